//! Every code has a message in en-US and fr-FR, and the French wording of the reference page is
//! used where it has one.

use csp_agreements::date::parse_date;
use csp_agreements::gate::{order_gate, AcceptedBy, Action, Confirmation, GateReason, Offer};
use csp_agreements::issues::{Issue, Problem, RoleRefusal, Window};
use csp_agreements::messages::{self, gate_message, issue_message, milestone_text};
use csp_agreements::{AgreementType, Environment, Field, Locale, MilestoneId, Policy};

fn every_problem() -> Vec<Problem> {
    let day = parse_date("2020-01-31").unwrap();
    vec![
        Problem::Required,
        Problem::InvalidAgreementType,
        Problem::AgreementNotAcceptable {
            agreement: AgreementType::MicrosoftCloudAgreement,
            window: Window::Until(day),
        },
        Problem::AgreementNotAcceptable {
            agreement: AgreementType::MicrosoftCustomerAgreement,
            window: Window::From(day),
        },
        Problem::LastDayOfTransition { last_day: day },
        Problem::InvalidDate,
        Problem::FutureDate {
            latest: day,
            utc_rule: false,
        },
        Problem::FutureDate {
            latest: day,
            utc_rule: true,
        },
        Problem::AfterRetirement { last_day: day },
        Problem::BeforeAvailability {
            available_from: day,
        },
        Problem::TooLong { max: 100 },
        Problem::InvalidCharacters,
        Problem::InvalidEmail,
        Problem::EmailTooLong { max: 254 },
        Problem::EmailLocalPartTooLong { max: 64 },
        Problem::EmailDomainCharacter { character: '©' },
        Problem::EmailReadAs {
            address: "someone@gmail.com".into(),
        },
        Problem::EmailTopLevelDomain,
        Problem::InvalidPhone,
        Problem::InvalidCustomerId,
        Problem::InvalidDomain,
        Problem::UnknownCountry,
        Problem::UnsupportedLanguage {
            country: Some("FR"),
            supported: &["en-US", "fr-FR"],
        },
        Problem::UnsupportedLanguage {
            country: None,
            supported: &[],
        },
        Problem::RoleNotAllowed(RoleRefusal::Role),
        Problem::RoleNotAllowed(RoleRefusal::IndirectReseller),
        Problem::DuplicateConfirmation,
        Problem::TemplateMismatch {
            agreement: AgreementType::MicrosoftCustomerAgreement,
        },
        Problem::InvalidAttestationId,
        Problem::AttestationInProgress {
            since: day,
            expires: Some(day),
        },
        Problem::AttestationInProgress {
            since: day,
            expires: None,
        },
        Problem::AttestationOfAnotherCustomer,
    ]
}

/// Every code of the generated `IssueCode` union is a problem the rules can report, and every
/// problem's code is in the union (the union is the enum; this checks the list above too).
#[test]
fn every_issue_code_has_its_problem() {
    let codes: Vec<&str> = every_problem().iter().map(|p| p.code().as_str()).collect();
    for code in csp_agreements::issues::IssueCode::ALL {
        assert!(
            codes.contains(&code.as_str()),
            "{code} has no problem in the list"
        );
    }
}

#[test]
fn spec_codes_are_stable() {
    let codes: Vec<&str> = every_problem().iter().map(|p| p.code().as_str()).collect();
    for code in [
        "required",
        "agreement-not-acceptable",
        "last-day-of-transition",
        "invalid-date",
        "future-date",
        "after-retirement",
        "before-availability",
        "too-long",
        "invalid-characters",
        "invalid-email",
        "invalid-phone",
        "invalid-customer-id",
        "unknown-country",
        "unsupported-language",
        "role-not-allowed",
        "duplicate-confirmation",
    ] {
        assert!(codes.contains(&code), "SPEC §4.1 code {code} is produced");
    }
}

#[test]
fn every_problem_has_a_message_in_both_languages() {
    for problem in every_problem() {
        for &field in Field::ALL {
            let issue = Issue::new(field, problem.clone());
            let en = issue_message(&issue, Locale::EnUs);
            let fr = issue_message(&issue, Locale::FrFr);
            assert!(!en.is_empty() && !fr.is_empty(), "{problem:?}");
            assert_ne!(en, fr, "{problem:?} is translated");
            for text in [&en, &fr] {
                assert!(!text.contains('{') && !text.contains("Some("), "{text}");
            }
        }
    }
}

#[test]
fn reference_wording_in_french() {
    let day = parse_date("2020-01-30").unwrap();
    let message = |field, problem| issue_message(&Issue::new(field, problem), Locale::FrFr);
    assert_eq!(
        message(
            Field::DateAgreed,
            Problem::FutureDate {
                latest: day,
                utc_rule: false
            }
        ),
        "Vous ne pouvez pas la définir sur une date ultérieure (au plus tard le 30 janvier 2020)."
    );
    assert_eq!(
        message(Field::FirstName, Problem::Required),
        "Le champ « Prénom » est obligatoire."
    );
    assert_eq!(
        message(Field::Email, Problem::Required),
        "Le champ « Adresse e-mail » est obligatoire."
    );
    let utc = message(
        Field::DateAgreed,
        Problem::FutureDate {
            latest: day,
            utc_rule: true,
        },
    );
    assert!(
        utc.contains("UTC") && utc.contains("30 janvier 2020"),
        "{utc}"
    );
    let en = issue_message(
        &Issue::new(
            Field::DateAgreed,
            Problem::FutureDate {
                latest: day,
                utc_rule: true,
            },
        ),
        Locale::EnUs,
    );
    assert!(
        en.contains("UTC") && en.contains("January 30, 2020"),
        "{en}"
    );
}

#[test]
fn every_gate_reason_and_milestone_has_text_in_both_languages() {
    let d = |s| parse_date(s).unwrap();
    let cloud = [Confirmation {
        agreement_type: AgreementType::MicrosoftCloudAgreement,
        date_agreed: d("2019-01-01"),
        by: AcceptedBy::Partner,
    }];
    let before_refresh = [Confirmation {
        agreement_type: AgreementType::MicrosoftCustomerAgreement,
        date_agreed: d("2022-05-01"),
        by: AcceptedBy::Partner,
    }];
    let cases = [
        (
            d("2020-02-01"),
            Action::Renewal,
            Offer::Standard,
            &[][..],
            GateReason::RenewalNotGated,
        ),
        (
            d("2019-12-01"),
            Action::NewOrder,
            Offer::Standard,
            &cloud[..],
            GateReason::Confirmed(AgreementType::MicrosoftCloudAgreement),
        ),
        (
            d("2019-12-01"),
            Action::NewOrder,
            Offer::Standard,
            &[][..],
            GateReason::NoConfirmation,
        ),
        (
            d("2020-02-01"),
            Action::SeatChange,
            Offer::Standard,
            &cloud[..],
            GateReason::CloudAgreementNoLongerCounts,
        ),
        (
            d("2019-12-01"),
            Action::NewOrder,
            Offer::AzurePlan,
            &cloud[..],
            GateReason::OfferRequiresCustomerAgreement,
        ),
        (
            d("2019-09-01"),
            Action::NewOrder,
            Offer::AzurePlan,
            &[][..],
            GateReason::OfferNotAvailable,
        ),
        (
            d("2026-01-05"),
            Action::NewOrder,
            Offer::Standard,
            &before_refresh[..],
            GateReason::AttestationBeforeRefresh,
        ),
    ];
    for (date, action, offer, confirmations, reason) in cases {
        let verdict = order_gate(
            date,
            action,
            offer,
            confirmations,
            Environment::Production,
            &Policy::DEFAULT,
        );
        assert_eq!(verdict.reason, reason);
        let en = gate_message(&verdict, Locale::EnUs);
        let fr = gate_message(&verdict, Locale::FrFr);
        assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{reason:?}");
    }
    let verdict = order_gate(
        d("2020-02-01"),
        Action::NewOrder,
        Offer::Standard,
        &cloud,
        Environment::Production,
        &Policy::DEFAULT,
    );
    assert!(gate_message(&verdict, Locale::EnUs).contains("February 1, 2020"));
    assert!(gate_message(&verdict, Locale::FrFr).contains("1er février 2020"));
    for &id in MilestoneId::ALL {
        let (en_title, en_details) = milestone_text(id, Locale::EnUs);
        let (fr_title, fr_details) = milestone_text(id, Locale::FrFr);
        assert!(!en_title.is_empty() && !en_details.is_empty());
        assert_ne!(en_title, fr_title);
        assert_ne!(en_details, fr_details);
    }
}

#[test]
fn every_backend_problem_has_a_message_in_both_languages() {
    use csp_agreements::backend::BackendProblem;
    use csp_agreements::messages::backend_message;
    for &problem in BackendProblem::ALL {
        let (en, fr) = (
            backend_message(problem, Locale::EnUs),
            backend_message(problem, Locale::FrFr),
        );
        assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{problem:?}");
    }
}

#[test]
fn every_next_step_has_text_in_both_languages() {
    use csp_agreements::standing::NextStep;
    for step in NextStep::ALL {
        let en = messages::next_step_message(*step, Locale::EnUs);
        let fr = messages::next_step_message(*step, Locale::FrFr);
        assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{step:?}");
    }
}
