//! Properties over generated inputs (proptest): no check panics on any text; a valid form's
//! payload goes through its JSON and back unchanged; an agreement once retired stays retired on
//! every later day; checking a file gives what checking its rows one by one gives.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{Duration, NaiveDate};
use csp_agreements::bulk::{self, BulkOptions};
use csp_agreements::checks::domain;
use csp_agreements::checks::fields::check_email;
use csp_agreements::checks::form::{validate, validate_field, ConfirmationForm, Context};
use csp_agreements::flows::payload::AgreementPayload;
use csp_agreements::rules::date::format_date;
use csp_agreements::rules::route::Route;
use csp_agreements::{agreement_status, AgreementType, Field, Phase, Scope, Today};
use proptest::prelude::*;

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + Duration::days(offset)
}

fn context(today: NaiveDate) -> Context {
    Context {
        today: Some(Today {
            local: today,
            utc: today,
        }),
        ..Context::default()
    }
}

/// Any text: control characters, combining marks, right-to-left letters, quotes, long runs.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[\\x00-\\x1f\"',;=+@\\-\\\\]{0,20}",
        "[\\u{0590}-\\u{06ff}\\u{0300}-\\u{036f}a-z ]{0,30}",
        "[0-9+() .-]{0,30}",
    ]
}

fn any_form() -> impl Strategy<Value = ConfirmationForm> {
    (
        prop::array::uniform9(any_text()),
        prop::sample::select(vec![
            "MicrosoftCustomerAgreement",
            "MicrosoftCloudAgreement",
            "",
        ]),
    )
        .prop_map(|(t, agreement)| ConfirmationForm {
            agreement_type: if t[0].is_empty() {
                agreement.into()
            } else {
                t[0].clone()
            },
            date_agreed: t[1].clone(),
            first_name: t[2].clone(),
            last_name: t[3].clone(),
            email: t[4].clone(),
            phone_number: t[5].clone(),
            customer_id: t[6].clone(),
            country: t[7].clone(),
            language: t[8].clone(),
        })
}

/// A form that passes every check on `2019-11-20`.
fn valid_form() -> impl Strategy<Value = ConfirmationForm> {
    (
        "[A-Z][a-zé]{0,15}",
        "[A-Z][a-z]{0,15}( [A-Z][a-z]{1,10})?",
        "[a-z]{1,10}(\\.[a-z]{1,8})?@[a-z]{2,10}\\.(com|fr|example)",
        0u32..300,
        prop::sample::select(vec![("FR", "fr-FR"), ("US", "en-US"), ("DE", "de-DE")]),
        any::<u128>(),
    )
        .prop_map(
            |(first, last, email, days_before, (country, language), id)| ConfirmationForm {
                agreement_type: "MicrosoftCustomerAgreement".into(),
                date_agreed: format_date(day(688) - Duration::days(i64::from(days_before))),
                first_name: first,
                last_name: last,
                email,
                phone_number: String::new(),
                customer_id: uuid_text(id),
                country: country.into(),
                language: language.into(),
            },
        )
}

fn uuid_text(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_check_panics_on_any_text(form in any_form(), offset in 0i64..4000) {
        let ctx = context(day(offset));
        let report = validate(&form, &ctx);
        prop_assert_eq!(report.payload.is_some(), report.errors.is_empty());
        for field in [Field::AgreementType, Field::DateAgreed, Field::FirstName, Field::LastName,
            Field::Email, Field::PhoneNumber, Field::CustomerId, Field::Country, Field::Language] {
            let value = form.clone().slot(field).map(|s| s.clone()).unwrap_or_default();
            validate_field(field, &value, &form, &ctx);
        }
    }

    #[test]
    fn a_signatorys_field_is_checked_as_the_whole_form_checks_it(form in any_form(), offset in 0i64..4000, at in 0usize..4) {
        let ctx = context(day(offset));
        let field = Field::SIGNATORY[at];
        let value = form.get(field).unwrap_or_default().to_string();
        let whole = validate(&form, &ctx);
        let alone = validate_field(field, &value, &ConfirmationForm::default(), &ctx);
        let of_field: Vec<_> = whole.errors.iter().filter(|i| i.field == field).cloned().collect();
        prop_assert_eq!(alone.errors, of_field);
        prop_assert!(alone.warnings.is_empty() && whole.warnings.iter().all(|i| i.field != field));
    }

    #[test]
    fn a_valid_forms_payload_round_trips_through_its_json(form in valid_form()) {
        let report = validate(&form, &context(day(688)));
        prop_assert!(report.errors.is_empty(), "{:?} {:?}", form, report.errors);
        let payload = report.payload.expect("a valid form has a payload");
        let back: AgreementPayload = serde_json::from_str(&payload.to_json()).unwrap();
        prop_assert_eq!(back, payload);
    }

    #[test]
    fn once_retired_an_agreement_stays_retired(first in 0i64..4000, later in 0i64..4000) {
        let scope = Scope::default();
        for agreement in AgreementType::ALL {
            let earlier = agreement_status(*agreement, day(first), &scope);
            let after = agreement_status(*agreement, day(first + later), &scope);
            if earlier.phase == Phase::Retired {
                prop_assert_eq!(after.phase, Phase::Retired);
                prop_assert!(!after.acceptable);
            }
            if !earlier.acceptable && earlier.phase == Phase::Retired {
                prop_assert!(!after.acceptable);
            }
        }
    }

    #[test]
    fn checking_a_file_is_checking_its_rows_one_by_one(
        rows in prop::collection::vec(prop_oneof![valid_form(), any_form()], 0..12),
        route in prop::sample::select(vec![Route::Legacy, Route::Enhanced]),
    ) {
        let options = || BulkOptions { context: context(day(688)), route, ..BulkOptions::default() };
        let mut csv = String::from("customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language\r\n");
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        for r in &rows {
            let cells = [&r.customer_id, &r.agreement_type, &r.date_agreed, &r.first_name,
                &r.last_name, &r.email, &r.phone_number, &r.country, &r.language];
            csv.push_str(&cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
            csv.push_str("\r\n");
        }
        let from_file = bulk::validate_csv(csv.as_bytes(), options());
        let from_rows = bulk::validate_rows(&rows, options());
        // A file cannot hold a blank row nor the file's own problems (a NUL is text in both).
        if from_file.issues.iter().any(|i| matches!(i.problem, bulk::LineProblem::File(..)))
            || rows.iter().any(|r| [&r.customer_id, &r.agreement_type, &r.date_agreed, &r.first_name,
                &r.last_name, &r.email, &r.phone_number, &r.country, &r.language].iter().all(|c| c.trim().is_empty()))
        {
            return Ok(());
        }
        prop_assert_eq!((from_file.rows, from_file.valid, from_file.invalid),
            (from_rows.rows, from_rows.valid, from_rows.invalid));
        // A row's line in the file is where its record starts (a quoted newline moves the next).
        let mut start = 2;
        let mut row_of_line = std::collections::HashMap::new();
        for (index, r) in rows.iter().enumerate() {
            row_of_line.insert(start, index as u32 + 1);
            let text = [&r.customer_id, &r.agreement_type, &r.date_agreed, &r.first_name,
                &r.last_name, &r.email, &r.phone_number, &r.country, &r.language];
            start += 1 + text.iter().map(|c| c.matches('\n').count() as u32).sum::<u32>();
        }
        let in_file = from_file.issues.iter()
            .map(|i| (row_of_line[&i.line], i.field(), i.code())).collect::<Vec<_>>();
        let in_rows = from_rows.issues.iter()
            .map(|i| (i.line, i.field(), i.code())).collect::<Vec<_>>();
        prop_assert_eq!(in_file, in_rows);
        let bodies = |report: &bulk::BulkReport| report.payloads.iter()
            .map(|p| (p.customer_id.clone(), p.body.clone())).collect::<Vec<_>>();
        prop_assert_eq!(bodies(&from_file), bodies(&from_rows));
    }

    #[test]
    fn payloads_kept_as_spans_of_the_file_read_as_copies(
        rows in prop::collection::vec(prop_oneof![valid_form(), any_form()], 0..12),
        quoting in prop::collection::vec(0u8..3, 9 * 12),
        route in prop::sample::select(vec![Route::Legacy, Route::Enhanced]),
        chunk in 1usize..400,
    ) {
        // Cells left bare, quoted, or quoted with spaces around: the parser's records and the
        // ones read in place alike.
        let mut csv = String::from("customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language\n");
        for (r, form) in rows.iter().enumerate() {
            let cells = [&form.customer_id, &form.agreement_type, &form.date_agreed, &form.first_name,
                &form.last_name, &form.email, &form.phone_number, &form.country, &form.language];
            let cells: Vec<String> = cells.iter().enumerate().map(|(c, cell)| {
                let bare = !cell.contains([',', '"', '\r', '\n']);
                match quoting[r * 9 + c] {
                    0 if bare => cell.to_string(),
                    2 => format!(" \"{}\" ", cell.replace('"', "\"\"")),
                    _ => format!("\"{}\"", cell.replace('"', "\"\"")),
                }
            }).collect();
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        let options = |values_in_file| BulkOptions {
            context: context(day(688)), route, values_in_file, ..BulkOptions::default()
        };
        let copies = bulk::validate_csv(csv.as_bytes(), options(false));
        let spans = bulk::validate_csv(csv.as_bytes(), options(true));
        prop_assert_eq!(spans.payloads.iter_in(csv.as_bytes()).collect::<Vec<_>>(), copies.payloads.to_vec());
        let mut validator = bulk::BulkValidator::new(options(true));
        for part in csv.as_bytes().chunks(chunk) {
            validator.push(part);
        }
        let chunked = validator.finish();
        prop_assert_eq!(chunked.payloads.iter_in(csv.as_bytes()).collect::<Vec<_>>(), copies.payloads.to_vec());
    }

    /// For any address the rule accepts, the domain converts to ASCII (`xn--` labels) and back
    /// to itself, as typed (in lower case, composed; a label typed as `xn--` stays so): what the customer typed is where the mail
    /// goes. The domains mix ASCII, accented, Cyrillic, Greek and CJK letters with the
    /// characters that IDNA maps (fullwidth, upper case, ligatures) or disallows (symbols).
    #[test]
    fn an_accepted_domain_reads_back_as_typed(
        local in "[a-z0-9._%+-]{1,12}|[a-zéü]{1,8}",
        labels in proptest::collection::vec(prop_oneof![
            3 => "[a-z0-9éüßçøÜÉаяжЖαωΣ例え中国テスト]{1,10}",
            1 => "[a-z0-9éüаж例\\-ｇｍａ©™ﬁ①\u{301}\u{200d}]{1,10}",
        ], 1..3),
        tld in "[a-zрфテスト]{1,4}|xn--p1ai|c0m|[A-Z]{2}",
    ) {
        let domain = format!("{}.{tld}", labels.join("."));
        let email = format!("{local}@{domain}");
        if check_email(&email).is_empty() {
            let ascii = domain::to_ascii(&domain);
            prop_assert!(ascii.is_some(), "{}", email);
            let ascii = ascii.unwrap();
            prop_assert!(ascii.is_ascii());
            // Each label typed in ASCII (an `xn--` one too) is its ASCII form; each other
            // label is what its `xn--` form decodes to.
            let typed: Vec<String> = csp_agreements::checks::text::nfc(&domain)
                .split('.')
                .map(str::to_lowercase)
                .collect();
            let typed = typed.join(".");
            let back: Vec<String> = ascii
                .split('.')
                .zip(typed.split('.'))
                .map(|(label, typed)| match domain::decode_label(label) {
                    Some(decoded) if !typed.is_ascii() => decoded,
                    _ => label.to_string(),
                })
                .collect();
            prop_assert_eq!(back.join("."), typed, "{}", email);
        }
    }
}
