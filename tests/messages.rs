//! Every code has a message in en-US and fr-FR, and the French wording of the reference page is
//! used where it has one.

use csp_agreements::checks::issues::{AcceptableWindow, Issue, Problem, RoleRefusal};
use csp_agreements::checks::messages::{self, gate_message, issue_message, milestone_text};
use csp_agreements::rules::date::parse_date;
use csp_agreements::rules::gate::{
    order_gate, AcceptedBy, Action, Confirmation, GateReason, Offer,
};
use csp_agreements::{AgreementType, Environment, Field, Locale, MilestoneId, Policy};

fn every_problem() -> Vec<Problem> {
    let day = parse_date("2020-01-31").unwrap();
    vec![
        Problem::Required {},
        Problem::InvalidAgreementType {},
        Problem::AgreementNotAcceptable {
            agreement: AgreementType::MicrosoftCloudAgreement,
            window: AcceptableWindow::Until(day),
        },
        Problem::AgreementNotAcceptable {
            agreement: AgreementType::MicrosoftCustomerAgreement,
            window: AcceptableWindow::From(day),
        },
        Problem::LastDayOfTransition { last_day: day },
        Problem::InvalidDate {},
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
        Problem::InvalidCharacters {},
        Problem::InvalidEmail {},
        Problem::EmailTooLong { max: 254 },
        Problem::EmailLocalPartTooLong { max: 64 },
        Problem::EmailDomainCharacter { character: '©' },
        Problem::EmailReadAs {
            address: "someone@gmail.com".into(),
        },
        Problem::EmailTopLevelDomain {},
        Problem::InvalidPhone {},
        Problem::InvalidCustomerId {},
        Problem::InvalidDomain {},
        Problem::UnknownCountry {},
        Problem::UnsupportedLanguage {
            country: Some("FR"),
            supported: &["en-US", "fr-FR"],
        },
        Problem::UnsupportedLanguage {
            country: None,
            supported: &[],
        },
        Problem::RoleNotAllowed {
            refusal: RoleRefusal::Role,
        },
        Problem::RoleNotAllowed {
            refusal: RoleRefusal::IndirectReseller,
        },
        Problem::DuplicateConfirmation {},
        Problem::TemplateMismatch {
            agreement: AgreementType::MicrosoftCustomerAgreement,
        },
        Problem::InvalidAttestationId {},
        Problem::AttestationInProgress {
            since: day,
            expires: Some(day),
        },
        Problem::AttestationInProgress {
            since: day,
            expires: None,
        },
        Problem::AttestationOfAnotherCustomer {},
    ]
}

/// Every code of the generated `IssueCode` union is a problem the rules can report, and every
/// problem's code is in the union (the union is the enum; this checks the list above too).
#[test]
fn every_issue_code_has_its_problem() {
    let codes: Vec<&str> = every_problem().iter().map(|p| p.code().as_str()).collect();
    for code in csp_agreements::checks::issues::IssueCode::ALL {
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
        "La date d'acceptation ne peut pas être postérieure à aujourd'hui (le 30 janvier 2020 au plus tard)."
    );
    assert_eq!(
        message(Field::FirstName, Problem::Required {}),
        "Le champ «\u{a0}Prénom\u{a0}» est obligatoire."
    );
    assert_eq!(
        message(Field::Email, Problem::Required {}),
        "Le champ «\u{a0}Adresse e-mail\u{a0}» est obligatoire."
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
    for (date, action, offer, confirmations, reason) in gate_cases() {
        let (date, confirmations) = (d(date), &confirmations[..]);
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
    use csp_agreements::checks::messages::backend_message;
    use csp_agreements::flows::backend::BackendProblem;
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
    use csp_agreements::rules::standing::NextStep;
    for step in NextStep::ALL {
        let en = messages::next_step_message(*step, Locale::EnUs);
        let fr = messages::next_step_message(*step, Locale::FrFr);
        assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{step:?}");
    }
}

/// The README's glossary: per row, Partner Center's French term and the words not to use.
fn glossary() -> Vec<(String, Vec<String>)> {
    let readme = include_str!("../README.md");
    let section = readme
        .split("\n## Glossary\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README.md has a Glossary section");
    section
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| English"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let not = cells[3]
                .split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            (cells[2].to_string(), not)
        })
        .collect()
}

/// What is wrong with `text` (tests/text-rules.mjs holds the same rules for the page's texts).
fn typography_problems(text: &str, locale: Locale, words: &[(String, Vec<String>)]) -> Vec<String> {
    let mut problems = Vec::new();
    let prose: String = text
        .split(' ')
        .map(|w| if w.starts_with("http") { "URL" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = prose.chars().collect();
    for p in ["(s)", "(e)", "(es)", "(x)"] {
        if prose.contains(p) {
            problems.push(format!("a plural written with {p}"));
        }
    }
    if prose.contains('\u{2019}') {
        problems.push("a typographic apostrophe: the texts use '".into());
    }
    let spaced = |c: char| c == '\u{a0}' || c == '\u{202f}';
    for (i, &c) in chars.iter().enumerate() {
        let before = if i > 0 { Some(chars[i - 1]) } else { None };
        match locale {
            Locale::FrFr => {
                if matches!(c, ':' | ';' | '!' | '?' | '»' | '%') && before == Some(' ') {
                    problems.push(format!("an ordinary space before « {c} »"));
                }
                if matches!(c, ';' | '!' | '?' | '»')
                    && before.is_some_and(|b| !b.is_whitespace() && !spaced(b))
                {
                    problems.push(format!("no space before « {c} »"));
                }
                if c == ':'
                    && before
                        .is_some_and(|b| !b.is_whitespace() && !spaced(b) && !b.is_ascii_digit())
                    && chars.get(i + 1) != Some(&'/')
                {
                    problems.push("no non-breaking space before « : »".into());
                }
                if c == '«' && !chars.get(i + 1).is_some_and(|&n| spaced(n)) {
                    problems.push("« without a non-breaking space after it".into());
                }
            }
            Locale::EnUs => {
                if matches!(c, ':' | ';' | '!' | '?') && before == Some(' ') {
                    problems.push(format!("a space before « {c} »"));
                }
            }
        }
    }
    if locale == Locale::FrFr {
        // The months as the messages write them (the second of each: « 2 janvier 2026 »).
        for month in (1..=12).map(|m| {
            let second = chrono::NaiveDate::from_ymd_opt(2026, m, 2).unwrap();
            let written = messages::long_date(second, Locale::FrFr);
            written.split(' ').nth(1).unwrap_or_default().to_string()
        }) {
            for space in [' ', '\u{a0}'] {
                let first = format!("1{space}{month}");
                if let Some(at) = prose.find(&first) {
                    if !prose[..at].ends_with(|c: char| c.is_ascii_digit()) {
                        problems.push("« 1 » for the first of a month: « 1er »".into());
                    }
                }
            }
        }
        // A number and its unit stay together.
        for unit in [
            " Mo", " Ko", " Go", " octets", " minutes", " min", " jours", " s ",
        ] {
            if prose
                .match_indices(unit)
                .any(|(at, _)| prose[..at].ends_with(|c: char| c.is_ascii_digit()))
            {
                problems.push(format!(
                    "an ordinary space between a number and « {} »",
                    unit.trim()
                ));
            }
        }
        for (french, not) in words {
            for term in not {
                let found = prose.match_indices(term.as_str()).any(|(at, _)| {
                    let before = prose[..at].chars().next_back();
                    let after = prose[at + term.len()..].chars().next();
                    !before.is_some_and(char::is_alphabetic)
                        && !after.is_some_and(char::is_alphabetic)
                });
                if found {
                    problems.push(format!("« {term} »: Partner Center says « {french} »"));
                }
            }
        }
    }
    problems
}

#[test]
fn the_typography_rules_catch_what_they_name() {
    let words = glossary();
    assert!(words.iter().any(|(fr, _)| fr == "Contrat client Microsoft"));
    let fr = |text: &str| typography_problems(text, Locale::FrFr, &words);
    assert_eq!(
        fr("Oui\u{202f}? Non\u{a0}: «\u{a0}x\u{a0}» le 1er août, https://a.b/c?d=e").len(),
        0
    );
    assert_eq!(fr("Oui ? Non : x").len(), 2);
    assert_eq!(fr("Non: x; y").len(), 2);
    assert_eq!(fr("le 1 août 2019").len(), 1);
    assert_eq!(fr("200 Mo, 5\u{a0}minutes").len(), 1);
    assert_eq!(fr("le 21\u{a0}août 2019").len(), 0);
    assert_eq!(fr("3 client(s)").len(), 1);
    assert_eq!(fr("le contrat client Microsoft").len(), 1);
    assert_eq!(fr("Agent administrateur").len(), 1);
    assert_eq!(
        typography_problems("Yes : no", Locale::EnUs, &words).len(),
        1
    );
}

/// Every text of the rules in both languages: each problem on each field, each gate reason,
/// milestone, backend problem, note, next step, the standing with an attestation in flight, the
/// file's problems, the evidence's header, field labels, agreement names, the first of each month.
#[test]
fn every_text_follows_the_glossary_and_the_typography() {
    use csp_agreements::flows::backend::BackendProblem;
    use csp_agreements::flows::confirm::Note;
    use csp_agreements::rules::standing::NextStep;
    let words = glossary();
    let d = |s| parse_date(s).unwrap();
    let mut found = Vec::new();
    for locale in [Locale::EnUs, Locale::FrFr] {
        let mut texts: Vec<String> = Vec::new();
        for problem in every_problem() {
            for &field in Field::ALL {
                texts.push(issue_message(&Issue::new(field, problem.clone()), locale));
            }
        }
        for &field in Field::ALL {
            texts.push(field.label(locale).into());
        }
        #[cfg(feature = "bulk")]
        for &field in Field::ALL {
            use csp_agreements::bulk::problems::file_message;
            use csp_agreements::bulk::FileProblem;
            for problem in [
                FileProblem::FileTooLarge {
                    max_bytes: 200 << 20,
                },
                FileProblem::EmptyFile {},
                FileProblem::NotUtf8 {},
                FileProblem::MissingColumn {},
                FileProblem::DuplicateColumn {},
                FileProblem::ColumnCount {
                    expected: 9,
                    found: 8,
                },
                FileProblem::UnclosedQuote {},
                FileProblem::RowTooLong {
                    max_bytes: 64 << 10,
                },
                FileProblem::DuplicateInFile { first_line: 2 },
            ] {
                texts.push(file_message(field, problem, locale));
            }
        }
        for agreement in [
            AgreementType::MicrosoftCloudAgreement,
            AgreementType::MicrosoftCustomerAgreement,
        ] {
            texts.push(messages::agreement_name(agreement, locale).into());
        }
        for (date, action, offer, confirmations, _) in gate_cases() {
            let verdict = order_gate(
                d(date),
                action,
                offer,
                &confirmations,
                Environment::Production,
                &Policy::DEFAULT,
            );
            texts.push(gate_message(&verdict, locale));
        }
        for &id in MilestoneId::ALL {
            let (title, details) = milestone_text(id, locale);
            texts.push(title.into());
            texts.push(details.into());
        }
        texts.extend(
            BackendProblem::ALL
                .iter()
                .map(|&p| messages::backend_message(p, locale).to_string()),
        );
        texts.extend(
            Note::ALL
                .iter()
                .map(|&n| messages::note_message(n, locale).to_string()),
        );
        texts.extend(
            NextStep::ALL
                .iter()
                .map(|&s| messages::next_step_message(s, locale).to_string()),
        );
        texts.extend(
            messages::evidence_header(locale)
                .iter()
                .map(|s| s.to_string()),
        );
        texts.push(messages::error_summary_title(locale).into());
        for month in 1..=12 {
            texts.push(messages::long_date(
                chrono::NaiveDate::from_ymd_opt(2026, month, 1).unwrap(),
                locale,
            ));
        }
        for text in texts {
            for problem in typography_problems(&text, locale, &words) {
                found.push(format!("{locale:?}: {problem}\n    {text:?}"));
            }
        }
    }
    found.dedup();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// One case of each gate reason: the day, the order, the confirmations held, the reason.
fn gate_cases() -> Vec<(&'static str, Action, Offer, Vec<Confirmation>, GateReason)> {
    let d = |s| parse_date(s).unwrap();
    let held = |agreement_type, day, by| {
        vec![Confirmation {
            agreement_type,
            date_agreed: d(day),
            by,
        }]
    };
    let cloud = held(
        AgreementType::MicrosoftCloudAgreement,
        "2019-01-01",
        AcceptedBy::Partner,
    );
    let mca = AgreementType::MicrosoftCustomerAgreement;
    vec![
        (
            "2020-02-01",
            Action::Renewal,
            Offer::Standard,
            vec![],
            GateReason::RenewalNotGated,
        ),
        (
            "2019-12-01",
            Action::NewOrder,
            Offer::Standard,
            cloud.clone(),
            GateReason::Confirmed(AgreementType::MicrosoftCloudAgreement),
        ),
        (
            "2019-12-01",
            Action::NewOrder,
            Offer::Standard,
            vec![],
            GateReason::NoConfirmation,
        ),
        (
            "2020-02-01",
            Action::SeatChange,
            Offer::Standard,
            cloud.clone(),
            GateReason::CloudAgreementNoLongerCounts,
        ),
        (
            "2019-12-01",
            Action::NewOrder,
            Offer::AzurePlan,
            cloud,
            GateReason::OfferRequiresCustomerAgreement,
        ),
        (
            "2019-09-01",
            Action::NewOrder,
            Offer::AzurePlan,
            vec![],
            GateReason::OfferNotAvailable,
        ),
        (
            "2026-01-05",
            Action::NewOrder,
            Offer::Standard,
            held(mca, "2022-05-01", AcceptedBy::Partner),
            GateReason::AttestationBeforeRefresh,
        ),
        (
            "2026-11-24",
            Action::NewOrder,
            Offer::Standard,
            held(mca, "2026-11-24", AcceptedBy::Customer),
            GateReason::AcceptedDirectly,
        ),
        (
            "2026-11-24",
            Action::NewOrder,
            Offer::Standard,
            held(mca, "2024-02-01", AcceptedBy::Partner),
            GateReason::Confirmed(mca),
        ),
    ]
}
