//! SPEC §4: every check of the confirmation form, one row per rule and boundary.

use chrono::NaiveDate;
use csp_agreements::checks::form::{
    validate, validate_field, ConfirmationForm, Context, PartnerType, Role,
};
use csp_agreements::flows::payload::{Agreement, Contact};
use csp_agreements::rules::date::parse_date;
use csp_agreements::{AgreementType, Channel, Environment, Field, Policy, Scope, Today};

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn form(agreement: &str, date: &str) -> ConfirmationForm {
    ConfirmationForm {
        agreement_type: agreement.into(),
        date_agreed: date.into(),
        first_name: "Tania".into(),
        last_name: "Carr".into(),
        email: "someone@example.com".into(),
        phone_number: "1234567890".into(),
        customer_id: "14876998-c0dc-46e6-9d0c-65a57a6c32ec".into(),
        country: "FR".into(),
        language: "fr-FR".into(),
    }
}

const MCUA: &str = "MicrosoftCustomerAgreement";
const MCLOUD: &str = "MicrosoftCloudAgreement";

fn ctx(today: &str) -> Context {
    Context {
        today: Some(Today::same(d(today))),
        ..Context::default()
    }
}

/// (field, code) of every error, in order.
fn errors(form: &ConfirmationForm, ctx: &Context) -> Vec<(&'static str, &'static str)> {
    validate(form, ctx)
        .errors
        .iter()
        .map(|i| (i.field.as_str(), i.code().as_str()))
        .collect()
}

fn warnings(form: &ConfirmationForm, ctx: &Context) -> Vec<(&'static str, &'static str)> {
    validate(form, ctx)
        .warnings
        .iter()
        .map(|i| (i.field.as_str(), i.code().as_str()))
        .collect()
}

#[test]
fn a_complete_form_is_valid_and_gives_the_exact_payload() {
    let report = validate(&form(MCUA, "2019-11-14"), &ctx("2019-11-20"));
    assert!(report.is_valid(), "{:?}", report.errors);
    assert!(report.warnings.is_empty());
    assert_eq!(
        report.payload.unwrap().to_json(),
        r#"{"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":"1234567890"},"templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z","type":"MicrosoftCustomerAgreement"}"#
    );
    assert_eq!(
        report.customer_id.as_deref(),
        Some("14876998-c0dc-46e6-9d0c-65a57a6c32ec")
    );
    assert_eq!(
        (report.country, report.language),
        (Some("FR"), Some("fr-FR"))
    );
}

#[test]
fn values_are_trimmed_and_an_empty_phone_is_left_out() {
    let mut f = form(MCUA, " 2019-11-14 ");
    f.first_name = "  Tania ".into();
    f.email = " someone@example.com\t".into();
    f.phone_number = "   ".into();
    f.customer_id = "{14876998-C0DC-46E6-9D0C-65A57A6C32EC}".into();
    f.country = "fr".into();
    f.language = "FR-fr".into();
    let report = validate(&f, &ctx("2019-11-20"));
    assert!(report.is_valid(), "{:?}", report.errors);
    let json = report.payload.unwrap().to_json();
    assert!(json.contains(r#""firstName":"Tania""#));
    assert!(json.contains(r#""email":"someone@example.com""#));
    assert!(!json.contains("phoneNumber"));
    assert_eq!(
        report.customer_id.as_deref(),
        Some("14876998-c0dc-46e6-9d0c-65a57a6c32ec")
    );
    assert_eq!(
        (report.country, report.language),
        (Some("FR"), Some("fr-FR"))
    );
}

#[test]
fn an_empty_form_reports_every_required_field_at_once() {
    let report = validate(&ConfirmationForm::default(), &ctx("2020-03-01"));
    let got: Vec<_> = report
        .errors
        .iter()
        .map(|i| (i.field.as_str(), i.code().as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("agreementType", "required"),
            ("dateAgreed", "required"),
            ("firstName", "required"),
            ("lastName", "required"),
            ("email", "required"),
        ]
    );
    assert!(report.payload.is_none());
    // Optional fields left empty: no error, default language.
    assert_eq!(report.language, Some("en-US"));
}

#[test]
fn every_error_of_a_bad_form_comes_back() {
    let f = ConfirmationForm {
        agreement_type: MCLOUD.into(),
        date_agreed: "2020-02-30".into(),
        first_name: "Ta\u{0}nia".into(),
        last_name: "C".repeat(101),
        email: "someone@localhost".into(),
        phone_number: "12".into(),
        customer_id: "contoso".into(),
        country: "ZZ".into(),
        language: "xx-XX".into(),
    };
    let ctx = Context {
        role: Some(Some(Role::HelpdeskAgent)),
        ..ctx("2020-02-01")
    };
    assert_eq!(
        errors(&f, &ctx),
        [
            ("agreementType", "agreement-not-acceptable"),
            ("dateAgreed", "invalid-date"),
            ("firstName", "invalid-characters"),
            ("lastName", "too-long"),
            ("email", "invalid-email"),
            ("phoneNumber", "invalid-phone"),
            ("customerId", "invalid-customer-id"),
            ("country", "unknown-country"),
            ("language", "unsupported-language"),
            ("role", "role-not-allowed"),
        ]
    );
}

#[test]
#[allow(clippy::type_complexity)]
fn agreement_type_on_the_day_of_submission() {
    #[rustfmt::skip]
    let rows: &[(&str, &str, &[(&str, &str)], &[(&str, &str)])] = &[
        // Cloud Agreement: acceptable through its last day, with a warning on that day.
        (MCLOUD, "2020-01-30", &[], &[]),
        (MCLOUD, "2020-01-31", &[], &[("agreementType", "last-day-of-transition")]),
        (MCLOUD, "2020-02-01", &[("agreementType", "agreement-not-acceptable")], &[]),
        (MCLOUD, "2026-11-23", &[("agreementType", "agreement-not-acceptable")], &[]),
        // Customer Agreement in production from 2019-10-01.
        (MCUA, "2019-09-30", &[("agreementType", "agreement-not-acceptable")], &[]),
        (MCUA, "2019-10-01", &[], &[]),
        (MCUA, "2019-10-02", &[], &[]),
        ("", "2019-10-02", &[("agreementType", "required")], &[]),
        ("   ", "2019-10-02", &[("agreementType", "required")], &[]),
        ("MicrosoftPartnerAgreement", "2019-10-02", &[("agreementType", "invalid-agreement-type")], &[]),
        ("microsoftcustomeragreement", "2019-10-02", &[("agreementType", "invalid-agreement-type")], &[]),
    ];
    for &(agreement, today, want_errors, want_warnings) in rows {
        let f = form(agreement, "2019-09-01");
        let c = ctx(today);
        let got: Vec<_> = errors(&f, &c)
            .into_iter()
            .filter(|(f, _)| *f == "agreementType")
            .collect();
        assert_eq!(got, want_errors, "{agreement} on {today}");
        let got: Vec<_> = warnings(&f, &c)
            .into_iter()
            .filter(|(f, _)| *f == "agreementType")
            .collect();
        assert_eq!(got, want_warnings, "{agreement} on {today}");
    }
}

#[test]
fn customer_agreement_in_the_sandbox_follows_the_channel() {
    for (channel, today, acceptable) in [
        (Channel::Dashboard, "2019-07-31", false),
        (Channel::Dashboard, "2019-08-01", true),
        (Channel::Api, "2019-09-02", false),
        (Channel::Api, "2019-09-03", true),
        (Channel::Sdk, "2019-09-19", false),
        (Channel::Sdk, "2019-09-20", true),
    ] {
        let c = Context {
            scope: Scope {
                environment: Environment::Sandbox,
                channel,
                policy: Policy::DEFAULT,
            },
            ..ctx(today)
        };
        let report = validate(&form(MCUA, today), &c);
        let refused = report
            .errors
            .iter()
            .any(|i| i.code() == "agreement-not-acceptable");
        assert_eq!(!refused, acceptable, "{channel:?} {today}");
    }
}

#[test]
#[allow(clippy::type_complexity)]
fn date_agreed_rules() {
    #[rustfmt::skip]
    let rows: &[(&str, &str, &str, &[&str], &[&str])] = &[
        // (agreement, dateAgreed, today, errors on dateAgreed, warnings on dateAgreed)
        (MCUA, "2019-11-14", "2019-11-14", &[], &[]),
        (MCUA, "2019-11-15", "2019-11-14", &["future-date"], &[]),
        (MCUA, "2019-11-13", "2019-11-14", &[], &[]),
        (MCUA, "2019-02-29", "2019-11-14", &["invalid-date"], &[]),
        (MCUA, "14/11/2019", "2019-11-14", &["invalid-date"], &[]),
        (MCUA, "2019-11-14T00:00:00Z", "2019-11-14", &["invalid-date"], &[]),
        (MCUA, "", "2019-11-14", &["required"], &[]),
        // Customer Agreement dated before it was available in production: a warning only.
        (MCUA, "2019-09-30", "2019-11-14", &[], &["before-availability"]),
        (MCUA, "2019-10-01", "2019-11-14", &[], &[]),
        // Cloud Agreement dated after its last day.
        (MCLOUD, "2020-01-31", "2020-01-31", &[], &[]),
        (MCLOUD, "2020-01-30", "2020-01-31", &[], &[]),
        (MCLOUD, "2020-02-01", "2020-03-01", &["after-retirement"], &[]),
        (MCLOUD, "2020-02-02", "2020-02-01", &["future-date", "after-retirement"], &[]),
    ];
    for &(agreement, date, today, want_errors, want_warnings) in rows {
        let f = form(agreement, date);
        let c = ctx(today);
        let got: Vec<_> = errors(&f, &c)
            .into_iter()
            .filter(|(f, _)| *f == "dateAgreed")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(got, want_errors, "{agreement} {date} on {today}");
        let got: Vec<_> = warnings(&f, &c)
            .into_iter()
            .filter(|(f, _)| *f == "dateAgreed")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(got, want_warnings, "{agreement} {date} on {today}");
    }
}

#[test]
fn before_availability_depends_on_the_environment() {
    let c = Context {
        scope: Scope {
            environment: Environment::Sandbox,
            channel: Channel::Api,
            policy: Policy::DEFAULT,
        },
        ..ctx("2019-09-10")
    };
    assert!(warnings(&form(MCUA, "2019-09-03"), &c).is_empty());
    assert_eq!(
        warnings(&form(MCUA, "2019-09-02"), &c),
        [("dateAgreed", "before-availability")]
    );
}

/// SPEC §4.2: the latest allowed day is the earlier of the local and the UTC date.
#[test]
fn future_dates_across_time_zones() {
    use csp_agreements::checks::issues::Problem;
    // East of UTC in the small hours (Kiritimati, UTC+14): local 2019-11-15, UTC still 11-14.
    let east = Context {
        today: Some(Today {
            local: d("2019-11-15"),
            utc: d("2019-11-14"),
        }),
        ..Context::default()
    };
    let report = validate(&form(MCUA, "2019-11-15"), &east);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        report.errors[0].problem,
        Problem::FutureDate {
            latest: d("2019-11-14"),
            utc_rule: true
        },
        "the message explains the UTC day"
    );
    assert!(validate(&form(MCUA, "2019-11-14"), &east).is_valid());
    // A date after the local day too is simply in the future.
    let report = validate(&form(MCUA, "2019-11-16"), &east);
    assert_eq!(
        report.errors[0].problem,
        Problem::FutureDate {
            latest: d("2019-11-14"),
            utc_rule: false
        }
    );

    // West of UTC in the evening (Honolulu, UTC-10): local 2019-11-14, UTC already 11-15.
    let west = Context {
        today: Some(Today {
            local: d("2019-11-14"),
            utc: d("2019-11-15"),
        }),
        ..Context::default()
    };
    assert!(validate(&form(MCUA, "2019-11-14"), &west).is_valid());
    let report = validate(&form(MCUA, "2019-11-15"), &west);
    assert_eq!(
        report.errors[0].problem,
        Problem::FutureDate {
            latest: d("2019-11-14"),
            utc_rule: false
        }
    );
}

/// The cut-off applies to the day of submission, in whichever calendar is later.
#[test]
fn the_cloud_agreement_cut_off_across_time_zones() {
    let west_on_last_evening = Context {
        today: Some(Today {
            local: d("2020-01-31"),
            utc: d("2020-02-01"),
        }),
        ..Context::default()
    };
    assert_eq!(
        errors(&form(MCLOUD, "2020-01-20"), &west_on_last_evening),
        [("agreementType", "agreement-not-acceptable")],
        "the server's (UTC) day is already past the cut-off"
    );
    let east_on_first_morning = Context {
        today: Some(Today {
            local: d("2020-02-01"),
            utc: d("2020-01-31"),
        }),
        ..Context::default()
    };
    assert_eq!(
        errors(&form(MCLOUD, "2020-01-20"), &east_on_first_morning),
        [("agreementType", "agreement-not-acceptable")]
    );
}

#[test]
fn without_a_day_the_date_dependent_checks_are_skipped() {
    let report = validate(&form(MCLOUD, "2030-01-01"), &Context::default());
    assert_eq!(
        report.errors.iter().map(|i| i.code()).collect::<Vec<_>>(),
        ["after-retirement"]
    );
}

#[test]
fn names_in_several_scripts_pass_and_bad_names_fail() {
    for (first, last) in [
        ("Émilie", "Dupré"),
        ("José", "Núñez"),
        ("李", "小龙"),
        ("Jürgen", "Straße"),
        ("Seán", "O'Brien"),
        ("Jean-Luc", "Picard"),
        ("Александр", "Пушкин"),
        ("محمد", "الأحمد"),
        ("Nguyễn", "Văn An"),
        ("ওয়াসিম", "খান"),
        ("Ólafur", "Þórsson"),
    ] {
        let mut f = form(MCUA, "2019-11-14");
        f.first_name = first.into();
        f.last_name = last.into();
        assert!(
            validate(&f, &ctx("2019-11-20")).is_valid(),
            "{first} {last}"
        );
    }
    let mut f = form(MCUA, "2019-11-14");
    f.first_name = "é".repeat(100); // 200 bytes, 100 characters: allowed
    f.last_name = "Carr\r\n".into(); // trimmed away
    assert!(validate(&f, &ctx("2019-11-20")).is_valid());
    f.last_name = "Ca\rrr".into();
    assert_eq!(
        errors(&f, &ctx("2019-11-20")),
        [("lastName", "invalid-characters")]
    );
}

#[test]
fn emails_phones_ids_countries_languages() {
    #[rustfmt::skip]
    let rows: &[(Field, &str, &[&str])] = &[
        (Field::Email, "someone@example.com", &[]),
        (Field::Email, "josé@exemple.fr", &[]),
        (Field::Email, "someone@example", &["invalid-email"]),
        (Field::Email, "a b@example.com", &["invalid-email"]),
        (Field::Email, "", &["required"]),
        (Field::PhoneNumber, "", &[]),
        (Field::PhoneNumber, "+33 1 23 45 67 89", &[]),
        (Field::PhoneNumber, "(425) 555-0100 ext. 42", &[]),
        (Field::PhoneNumber, "555-0100", &[]),
        (Field::PhoneNumber, "555-010", &["invalid-phone"]),
        (Field::PhoneNumber, "call me", &["invalid-phone"]),
        (Field::CustomerId, "", &[]),
        (Field::CustomerId, "14876998-c0dc-46e6-9d0c-65a57a6c32ec", &[]),
        (Field::CustomerId, "{14876998-C0DC-46E6-9D0C-65A57A6C32EC}", &[]),
        (Field::CustomerId, "14876998c0dc46e69d0c65a57a6c32ec", &["invalid-customer-id"]),
        (Field::Country, "", &[]),
        (Field::Country, "de", &[]),
        (Field::Country, "XK", &[]),
        (Field::Country, "FRA", &["unknown-country"]),
        (Field::Country, "ZZ", &["unknown-country"]),
    ];
    for &(field, value, want) in rows {
        let mut f = form(MCUA, "2019-11-14");
        f.language = String::new();
        *f.slot(field).unwrap() = value.into();
        let got: Vec<_> = validate(&f, &ctx("2019-11-20"))
            .errors
            .iter()
            .filter(|i| i.field == field)
            .map(|i| i.code())
            .collect();
        assert_eq!(got, want, "{field:?} {value:?}");
    }
}

#[test]
fn template_language_must_belong_to_the_country() {
    for (country, language, ok, canonical) in [
        ("FR", "fr-FR", true, Some("fr-FR")),
        ("FR", "en-US", true, Some("en-US")),
        ("FR", "", true, Some("en-US")),
        ("FR", "de-DE", false, None),
        ("US", "fr-FR", false, None),
        ("JP", "ja-jp", true, Some("ja-JP")),
        ("", "ja-JP", true, Some("ja-JP")),
        ("", "xx-XX", false, None),
    ] {
        let mut f = form(MCUA, "2019-11-14");
        f.country = country.into();
        f.language = language.into();
        let report = validate(&f, &ctx("2019-11-20"));
        assert_eq!(report.is_valid(), ok, "{country} {language}");
        assert_eq!(report.language, canonical, "{country} {language}");
    }
}

#[test]
fn who_may_confirm() {
    for (role, partner, ok) in [
        (None, None, true),
        (Some(Some(Role::AdminAgent)), None, true),
        (
            Some(Some(Role::SalesAgent)),
            Some(PartnerType::DirectBill),
            true,
        ),
        (
            Some(Some(Role::SalesAgent)),
            Some(PartnerType::IndirectProvider),
            true,
        ),
        (Some(Some(Role::HelpdeskAgent)), None, false),
        (Some(Some(Role::BillingAdmin)), None, false),
        (Some(Some(Role::GlobalAdmin)), None, false),
        (Some(None), None, false),
        (
            Some(Some(Role::AdminAgent)),
            Some(PartnerType::IndirectReseller),
            false,
        ),
        (None, Some(PartnerType::IndirectReseller), false),
    ] {
        let c = Context {
            role,
            partner_type: partner,
            ..ctx("2019-11-20")
        };
        let got = errors(&form(MCUA, "2019-11-14"), &c);
        assert_eq!(got.is_empty(), ok, "{role:?} {partner:?}: {got:?}");
        if !ok {
            assert!(got
                .iter()
                .all(|&(f, c)| f == "role" && c == "role-not-allowed"));
        }
    }
}

fn existing(
    agreement: AgreementType,
    first: &str,
    last: &str,
    email: &str,
    phone: Option<&str>,
) -> Agreement {
    Agreement {
        user_id: None,
        primary_contact: Contact {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            phone_number: phone.map(Into::into),
        },
        template_id: agreement.default_template().template_id.into(),
        date_agreed: d("2019-10-15"),
        agreement_type: agreement,
        agreement_link: None,
    }
}

#[test]
fn duplicate_confirmations_are_refused_before_sending() {
    use AgreementType::*;
    let same = existing(
        MicrosoftCustomerAgreement,
        " Tania",
        "Carr ",
        "SOMEONE@example.com",
        Some("1234567890"),
    );
    #[rustfmt::skip]
    let rows: Vec<(Agreement, bool)> = vec![
        (same.clone(), true),
        (existing(MicrosoftCloudAgreement, "Tania", "Carr", "someone@example.com", Some("1234567890")), false),
        (existing(MicrosoftCustomerAgreement, "Tanya", "Carr", "someone@example.com", Some("1234567890")), false),
        (existing(MicrosoftCustomerAgreement, "Tania", "Kerr", "someone@example.com", Some("1234567890")), false),
        (existing(MicrosoftCustomerAgreement, "Tania", "Carr", "someone@example.org", Some("1234567890")), false),
        (existing(MicrosoftCustomerAgreement, "Tania", "Carr", "someone@example.com", None), false),
        (existing(MicrosoftCustomerAgreement, "Tania", "Carr", "someone@example.com", Some("1234567891")), false),
        // The same person written another way: other phone separators, other Unicode forms.
        (existing(MicrosoftCustomerAgreement, "Tania", "Carr", "someone@example.com", Some("123-456 7890")), true),
        (existing(MicrosoftCustomerAgreement, "Tania", "Carr", "someone@example.com", Some("(123) 456.7890")), true),
    ];
    for (agreement, duplicate) in rows {
        let c = Context {
            existing: vec![agreement.clone()],
            ..ctx("2019-11-20")
        };
        let got = errors(&form(MCUA, "2019-11-14"), &c);
        assert_eq!(
            got == [("form", "duplicate-confirmation")],
            duplicate,
            "{agreement:?}"
        );
    }
    // No phone on either side is the same phone.
    let mut f = form(MCUA, "2019-11-14");
    f.phone_number = " ".into();
    let c = Context {
        existing: vec![existing(
            MicrosoftCustomerAgreement,
            "Tania",
            "Carr",
            "someone@example.com",
            None,
        )],
        ..ctx("2019-11-20")
    };
    assert_eq!(errors(&f, &c), [("form", "duplicate-confirmation")]);
}

#[test]
fn the_duplicate_check_sees_through_unicode_forms_and_invisible_characters() {
    use AgreementType::*;
    // Read back with a decomposed accent; typed with the composed one (or the reverse).
    let c = Context {
        existing: vec![existing(
            MicrosoftCustomerAgreement,
            "Jose\u{301}",
            "Nu\u{301}n\u{303}ez",
            "jose@adatum.example",
            None,
        )],
        ..ctx("2019-11-20")
    };
    let mut f = form(MCUA, "2019-11-14");
    f.first_name = "Jos\u{e9}".into();
    f.last_name = "N\u{fa}\u{f1}ez".into();
    f.email = "jose@adatum.example".into();
    f.phone_number = String::new();
    assert_eq!(errors(&f, &c), [("form", "duplicate-confirmation")]);

    // An invisible character cannot make a new contact of the same one: it is refused.
    let c = Context {
        existing: vec![existing(
            MicrosoftCustomerAgreement,
            "Tania",
            "Carr",
            "someone@example.com",
            Some("1234567890"),
        )],
        ..ctx("2019-11-20")
    };
    for first in [
        "Tania\u{200B}",
        "\u{202E}Tania",
        "Tan\u{200D}ia",
        "Tania\u{2066}",
        "Ta\u{AD}nia",
    ] {
        let mut f = form(MCUA, "2019-11-14");
        f.first_name = first.into();
        let got = errors(&f, &c);
        assert_eq!(got[0], ("firstName", "invalid-characters"), "{first:?}");
        assert!(validate(&f, &c).payload.is_none());
    }
    let mut f = form(MCUA, "2019-11-14");
    f.email = "some\u{200B}one@example.com".into();
    assert_eq!(errors(&f, &c), [("email", "invalid-email")]);
}

#[test]
fn type_and_template_must_agree() {
    let cloud_template = AgreementType::MicrosoftCloudAgreement
        .default_template()
        .template_id;
    let c = Context {
        template_id: Some(cloud_template.into()),
        ..ctx("2019-11-20")
    };
    assert_eq!(
        errors(&form(MCUA, "2019-11-14"), &c),
        [("agreementType", "template-mismatch")]
    );
    // A template id from the backend that is not a known one is used as given.
    let c = Context {
        template_id: Some("5a1b5e3c-0000-4000-8000-000000000001".into()),
        ..ctx("2019-11-20")
    };
    let report = validate(&form(MCUA, "2019-11-14"), &c);
    assert_eq!(
        report.payload.unwrap().template_id,
        "5a1b5e3c-0000-4000-8000-000000000001"
    );
}

#[test]
fn a_custom_policy_changes_the_checks() {
    let policy = Policy::from_json(r#"{"cloudAgreementLastDay":"2020-03-31"}"#).unwrap();
    let c = Context {
        scope: Scope {
            policy,
            ..Scope::default()
        },
        ..ctx("2020-03-01")
    };
    assert!(validate(&form(MCLOUD, "2020-02-15"), &c).is_valid());
    let c = Context {
        scope: Scope {
            policy,
            ..Scope::default()
        },
        ..ctx("2020-04-01")
    };
    assert_eq!(
        errors(&form(MCLOUD, "2020-02-15"), &c),
        [("agreementType", "agreement-not-acceptable")]
    );
}

#[test]
fn one_field_at_a_time() {
    let blank = ConfirmationForm::default();
    let c = ctx("2019-11-20");
    let codes = |field, value: &str, context: &ConfirmationForm| -> Vec<&'static str> {
        let r = validate_field(field, value, context, &c);
        r.errors
            .iter()
            .chain(r.warnings.iter())
            .map(|i| {
                assert_eq!(i.field, field);
                i.code().as_str()
            })
            .collect()
    };
    assert_eq!(codes(Field::Email, "nope", &blank), ["invalid-email"]);
    assert_eq!(
        codes(Field::Email, "someone@example.com", &blank),
        Vec::<&str>::new()
    );
    assert_eq!(codes(Field::FirstName, "", &blank), ["required"]);
    assert_eq!(
        codes(Field::DateAgreed, "2019-11-21", &blank),
        ["future-date"]
    );
    // The rest of the form is context: the language depends on the country, the date on the type.
    let french = ConfirmationForm {
        country: "FR".into(),
        ..ConfirmationForm::default()
    };
    assert_eq!(
        codes(Field::Language, "de-DE", &french),
        ["unsupported-language"]
    );
    let cloud = ConfirmationForm {
        agreement_type: MCLOUD.into(),
        ..ConfirmationForm::default()
    };
    let late = Context {
        today: Some(Today::same(d("2020-01-31"))),
        ..Context::default()
    };
    let r = validate_field(Field::DateAgreed, "2020-02-01", &cloud, &late);
    assert_eq!(
        r.errors.iter().map(|i| i.code()).collect::<Vec<_>>(),
        ["future-date", "after-retirement"]
    );
    assert_eq!(
        codes(Field::Role, "helpdesk-agent", &blank),
        ["role-not-allowed"]
    );
    assert_eq!(
        codes(Field::Role, "admin-agent", &blank),
        Vec::<&str>::new()
    );
    assert!(
        validate_field(Field::Email, "someone@example.com", &blank, &c)
            .payload
            .is_none()
    );
}
