//! Table tests of the CSV reader and of the checks of a file.

use chrono::NaiveDate;

use super::*;
use crate::checks::issues::Field;
use crate::flows::payload::Contact;
use crate::rules::date::Today;
use crate::AgreementType;

const HEADER: &str =
    "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";
const ID1: &str = "14876998-c0dc-46e6-9d0c-65a57a6c32ec";
const ID2: &str = "2b7cc5ff-4e20-4a8c-9b5e-3c1f1c0e9d21";

fn day(text: &str) -> NaiveDate {
    crate::rules::date::parse_date(text).unwrap()
}

fn options() -> BulkOptions {
    let mut options = BulkOptions::default();
    options.context.today = Some(Today::same(day("2019-11-20")));
    options
}

fn row(id: &str, first: &str) -> String {
    format!(
        "{id},MicrosoftCustomerAgreement,2019-11-14,{first},Carr,{}@example.com,,FR,fr-FR",
        first.to_lowercase()
    )
}

/// (line, code) of every issue.
fn codes(report: &BulkReport) -> Vec<(u32, &'static str)> {
    report.issues.iter().map(|i| (i.line, i.code())).collect()
}

fn check(text: &str) -> BulkReport {
    validate_csv(text.as_bytes(), options())
}

#[test]
fn a_valid_file_gives_a_payload_per_row() {
    let text = format!("{HEADER}\n{}\n{}\n", row(ID1, "Tania"), row(ID2, "Jo"));
    let report = check(&text);
    assert_eq!((report.rows, report.valid, report.invalid), (2, 2, 0));
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    assert_eq!(report.payloads.len(), 2);
    assert_eq!(report.payloads.to_vec()[0].line, 2);
    assert_eq!(report.payloads.to_vec()[1].customer_id, ID2);
    let RowBody::Confirmation(payload) = &report.payloads.to_vec()[0].body else {
        panic!("legacy route: a confirmation");
    };
    assert_eq!(
        payload.agreement_type,
        AgreementType::MicrosoftCustomerAgreement
    );
    assert_eq!(payload.date_agreed, day("2019-11-14"));
    assert_eq!(
        payload.primary_contact,
        Contact {
            first_name: "Tania".into(),
            last_name: "Carr".into(),
            email: "tania@example.com".into(),
            phone_number: None,
        }
    );
}

#[test]
fn the_same_rows_read_alike_in_every_spelling_of_a_file() {
    let rows = format!("{}\n{}\n", row(ID1, "Tania"), row(ID2, "Jo"));
    let expected = check(&format!("{HEADER}\n{rows}"));
    let french = "ID client,Contrat,Date d'acceptation,Prénom,Nom,Courriel,Téléphone,Pays,Langue";
    let variants = [
        // A byte order mark, CRLF line ends, no line end at the end.
        format!(
            "\u{feff}{HEADER}\r\n{}\r\n{}",
            row(ID1, "Tania"),
            row(ID2, "Jo")
        ),
        // French headers.
        format!("{french}\n{rows}"),
        // Semicolons (Excel in French), the same fields.
        format!("{HEADER}\n{rows}").replace(',', ";"),
        // Blank lines between rows, and rows of empty cells at the end.
        format!(
            "{HEADER}\n\n{}\n\r\n{}\n,,,,,,,,\n",
            row(ID1, "Tania"),
            row(ID2, "Jo")
        ),
    ];
    for (i, text) in variants.iter().enumerate() {
        let report = check(text);
        assert_eq!(
            (report.rows, report.valid),
            (2, 2),
            "variant {i}: {:?}",
            report.issues
        );
        let strip = |r: &BulkReport| {
            r.payloads
                .iter()
                .map(|p| (p.customer_id.clone(), p.body.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&report), strip(&expected), "variant {i}");
    }
}

#[test]
fn columns_in_any_order_and_unknown_columns_are_ignored() {
    let text = format!(
        "notes,email,lastName,firstName,dateAgreed,agreementType,customerId\n\"a, b\",tania@example.com,Carr,Tania,2019-11-14,MicrosoftCustomerAgreement,{ID1}\n"
    );
    let report = check(&text);
    assert_eq!(
        (report.valid, report.invalid),
        (1, 0),
        "{:?}",
        report.issues
    );
}

#[test]
fn quoted_fields_hold_separators_quotes_and_newlines() {
    // A newline inside a name is a real character: the form refuses it, on the row's first line.
    let text = format!(
        "{HEADER}\n{ID1},MicrosoftCustomerAgreement,2019-11-14,\"Ta\"\"nia\",\"Carr, Jr\",tania@example.com,,FR,fr-FR\n{ID2},MicrosoftCustomerAgreement,2019-11-14,\"Jo\nAnn\",Carr,jo@example.com,,FR,fr-FR\n{}\n",
        row("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Kim")
    );
    let report = check(&text);
    assert_eq!((report.rows, report.valid, report.invalid), (3, 2, 1));
    assert_eq!(codes(&report), vec![(3, "invalid-characters")]);
    let RowBody::Confirmation(payload) = &report.payloads.to_vec()[0].body else {
        panic!()
    };
    assert_eq!(payload.primary_contact.first_name, "Ta\"nia");
    assert_eq!(payload.primary_contact.last_name, "Carr, Jr");
    // The row after the two-line record is on line 5.
    assert_eq!(report.payloads.to_vec()[1].line, 5);
}

#[test]
fn malformed_files_give_issues_on_their_lines() {
    let cases: Vec<(String, Vec<(u32, &str)>)> = vec![
        // Nothing, or a header only.
        (String::new(), vec![(0, "empty-file")]),
        (format!("{HEADER}\n"), vec![(0, "empty-file")]),
        // A quote opened and never closed: the rest of the file is in it.
        (format!("{HEADER}\n{}\n{ID2},MicrosoftCustomerAgreement,2019-11-14,\"Jo,Carr,jo@example.com,,FR,fr-FR\n{}\n", row(ID1, "Tania"), row(ID1, "Kim")),
         vec![(3, "unclosed-quote")]),
        // A row with a column too many, one with too few.
        (format!("{HEADER}\n{},extra\n{ID2},MicrosoftCustomerAgreement\n", row(ID1, "Tania")),
         vec![(2, "column-count"), (3, "column-count")]),
        // A required column missing: said once, rows not checked.
        ("customerId,agreementType,dateAgreed,firstName,lastName\nx,y,z,a,b\n".to_string(),
         vec![(1, "missing-column")]),
        // Two columns for one field.
        (format!("{HEADER},Prénom\n{},Jo\n", row(ID1, "Tania")), vec![(1, "duplicate-column")]),
        // The same customer and agreement twice.
        (format!("{HEADER}\n{}\n{}\n", row(ID1, "Tania"), row(&ID1.to_uppercase(), "Jo")),
         vec![(3, "duplicate-in-file")]),
    ];
    for (text, expected) in cases {
        let report = check(&text);
        assert_eq!(codes(&report), expected, "{text:?}");
        assert_eq!(report.rows, report.valid + report.invalid, "{text:?}");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_named_with_their_line_and_column() {
    let mut bytes = format!("{HEADER}\n{}\n", row(ID1, "Tania")).into_bytes();
    // "Zoë" in Latin-1, as Excel's plain "CSV" saves it.
    bytes.extend_from_slice(format!("{ID2},MicrosoftCustomerAgreement,2019-11-14,Zo").as_bytes());
    bytes.push(0xEB);
    bytes.extend_from_slice(b",Carr,zoe@example.com,,FR,fr-FR\n");
    let report = validate_csv(&bytes, options());
    assert_eq!(codes(&report), vec![(3, "not-utf8")]);
    assert_eq!(report.issues[0].field(), Field::FirstName);
    assert_eq!((report.valid, report.invalid), (1, 1));
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let text = format!("{HEADER}\n{}\n", row(ID1, "Tania"));
    let mut small = options();
    small.max_bytes = 100;
    let report = validate_csv(text.as_bytes(), small);
    assert_eq!(codes(&report), vec![(0, "file-too-large")]);
    assert_eq!(report.rows, 0);
    assert!(report.issues[0]
        .message(crate::Locale::FrFr)
        .contains("découpez-le"));
}

#[test]
fn a_row_longer_than_any_real_one_is_dropped_and_reported() {
    let long = "x".repeat(read::MAX_ROW_BYTES + 10);
    let text = format!("{HEADER}\n{ID1},MicrosoftCustomerAgreement,2019-11-14,{long},Carr,t@example.com,,FR,fr-FR\n{}\n", row(ID2, "Jo"));
    let report = check(&text);
    assert_eq!(codes(&report), vec![(2, "row-too-long")]);
    assert_eq!((report.rows, report.valid, report.invalid), (2, 1, 1));
}

#[test]
fn rows_the_customer_already_holds_are_flagged() {
    let text = format!("{HEADER}\n{}\n{}\n", row(ID1, "Tania"), row(ID2, "Jo"));
    let mut opts = options();
    let held = crate::flows::payload::Agreement {
        primary_contact: Contact {
            first_name: "Tania".into(),
            last_name: "Carr".into(),
            email: "TANIA@example.com".into(),
            phone_number: None,
        },
        template_id: AgreementType::MicrosoftCustomerAgreement
            .default_template()
            .template_id
            .into(),
        date_agreed: day("2019-11-01"),
        agreement_type: AgreementType::MicrosoftCustomerAgreement,
        user_id: None,
        agreement_link: None,
    };
    opts.existing.insert(ID1.to_uppercase(), vec![held]);
    let report = validate_csv(text.as_bytes(), opts);
    assert_eq!(codes(&report), vec![(2, "duplicate-confirmation")]);
}

#[test]
fn every_row_is_checked_by_the_form_rules_and_a_row_without_date_is_an_error() {
    let text = format!(
        "{HEADER}\n{ID1},MicrosoftCustomerAgreement,,Tania,Carr,tania@example.com,,FR,fr-FR\n,MicrosoftCloudAgreement,2020-02-03,Jo,Carr,jo@,,XX,fr-FR\n"
    );
    let report = check(&text);
    assert_eq!(
        codes(&report),
        vec![
            (2, "required"),
            (3, "required"),
            (3, "future-date"),
            (3, "after-retirement"),
            (3, "invalid-email"),
            (3, "unknown-country"),
        ]
    );
    let fields: Vec<Field> = report.issues.iter().map(LineIssue::field).collect();
    assert_eq!(fields[0], Field::DateAgreed);
    assert_eq!(fields[1], Field::CustomerId);
}

#[test]
fn on_the_enhanced_route_rows_become_attestations_and_need_a_country() {
    let mut opts = options();
    opts.route = crate::rules::route::Route::Enhanced;
    let text = format!(
        "customerId,firstName,lastName,email,country,language\n{ID1}, Tania ,Carr,tania@example.com,fr,fr-FR\n{ID2},Jo,Carr,jo@example.com,,\n{ID1},Kim,Lee,kim@example.com,FR,\n"
    );
    let report = validate_csv(text.as_bytes(), opts.clone());
    assert_eq!(
        codes(&report),
        vec![(3, "required"), (4, "duplicate-in-file")]
    );
    let RowBody::Attestation(form) = &report.payloads.to_vec()[0].body else {
        panic!()
    };
    assert_eq!(
        (form.first_name.as_str(), form.country.as_str()),
        ("Tania", "FR")
    );
    // The date of acceptance is not a column of this route; a file without country is refused.
    let report = validate_csv(b"customerId,firstName,lastName,email\n", opts);
    assert_eq!(codes(&report), vec![(1, "missing-column")]);
}

#[test]
fn chunks_of_any_size_give_the_same_report() {
    let text = format!(
        "\u{feff}{HEADER}\r\n{}\r\n{ID2},MicrosoftCustomerAgreement,2019-11-14,\"Jo\"\"\",\"Carr;\nJr\",jo@example.com,,FR,fr-FR\r\n\r\n{}\n,,\"unclosed",
        row(ID1, "Tania"),
        row("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Kim")
    );
    let whole = check(&text);
    assert_eq!(codes(&whole).last(), Some(&(7, "unclosed-quote")));
    for size in [1, 2, 3, 7, 64, 1000] {
        let mut validator = BulkValidator::new(options());
        for chunk in text.as_bytes().chunks(size) {
            validator.push(chunk);
        }
        assert_eq!(validator.finish(), whole, "chunks of {size}");
    }
}

#[test]
fn messages_exist_in_both_languages() {
    let text = format!("{HEADER}\n{}\n{}\n", row(ID1, "Tania"), row(ID1, "Jo"));
    let report = check(&text);
    let issue = &report.issues[0];
    assert_eq!(
        issue.message(crate::Locale::EnUs),
        "The same customer and agreement as line 2."
    );
    assert_eq!(
        issue.message(crate::Locale::FrFr),
        "Même client et même contrat qu'à la ligne 2."
    );
}

#[test]
fn validate_rows_agrees_with_the_file() {
    let text = format!(
        "{HEADER}\n{}\n{ID2},MicrosoftCustomerAgreement,2019-11-14,Jo,,jo@example.com,,FR,fr-FR\n",
        row(ID1, "Tania")
    );
    let from_file = check(&text);
    let forms = vec![
        ConfirmationForm {
            customer_id: ID1.into(),
            agreement_type: "MicrosoftCustomerAgreement".into(),
            date_agreed: "2019-11-14".into(),
            first_name: "Tania".into(),
            last_name: "Carr".into(),
            email: "tania@example.com".into(),
            country: "FR".into(),
            language: "fr-FR".into(),
            ..Default::default()
        },
        ConfirmationForm {
            customer_id: ID2.into(),
            agreement_type: "MicrosoftCustomerAgreement".into(),
            date_agreed: "2019-11-14".into(),
            first_name: "Jo".into(),
            email: "jo@example.com".into(),
            country: "FR".into(),
            language: "fr-FR".into(),
            ..Default::default()
        },
    ];
    let from_rows = validate_rows(&forms, options());
    assert_eq!(
        (from_rows.valid, from_rows.invalid),
        (from_file.valid, from_file.invalid)
    );
    assert_eq!(
        from_rows
            .issues
            .iter()
            .map(|i| (i.line + 1, i.code()))
            .collect::<Vec<_>>(),
        codes(&from_file)
    );
}

#[test]
fn a_file_too_large_is_said_first_even_after_many_row_problems() {
    let mut csv = String::from("customerId,agreementType,dateAgreed,firstName,lastName,email\r\n");
    for _ in 0..50 {
        csv.push_str("x,MicrosoftCustomerAgreement,2019-11-14,Ana,Lima,ana@example.com\r\n");
    }
    let options = BulkOptions {
        max_bytes: csv.len() - 10,
        max_issues: 5,
        ..options()
    };
    let mut validator = BulkValidator::new(options);
    for chunk in csv.as_bytes().chunks(100) {
        validator.push(chunk);
    }
    let report = validator.finish();
    assert_eq!(report.issues.len(), 5);
    assert_eq!(report.issues[0].line, 0);
    assert_eq!(report.issues[0].code(), "file-too-large");
}

#[test]
fn lines_past_the_issues_kept_are_still_named() {
    let mut csv = String::from("customerId,agreementType,dateAgreed,firstName,lastName,email\r\n");
    for n in 0..6 {
        // Two problems on each of the first rows, one valid row in the middle.
        if n == 3 {
            csv.push_str(&format!(
                "{ID1},MicrosoftCustomerAgreement,2019-11-14,Ana,Lima,ana@example.com\r\n"
            ));
        } else {
            csv.push_str("x,MicrosoftCustomerAgreement,2019-11-14,Ana,Lima,ana@\r\n");
        }
    }
    let options = BulkOptions {
        max_issues: 3,
        ..options()
    };
    let report = validate_csv(csv.as_bytes(), options);
    assert_eq!(report.invalid, 5);
    // Lines 2 and 3 have their issues kept (2 + 1 of 2); line 3's second and lines 4, 6, 7 are
    // left off, each line named once.
    assert_eq!(
        report.issues.iter().map(|i| i.line).collect::<Vec<_>>(),
        [2, 2, 3]
    );
    assert_eq!(report.issues_left_off, 7);
    assert_eq!(report.lines_left_off, [3, 4, 6, 7]);
}

#[test]
fn values_in_the_file_read_back_as_copies_do() {
    // Rows read in place and through the parser (quotes), a customer id to rewrite, a BOM,
    // both routes, whole and in chunks: the spans of the file give what the copies give.
    let text = format!(
        "\u{feff}{HEADER}\r\n{}\r\n{},MicrosoftCustomerAgreement,2019-11-14,\"Jo\"\"\",\"Carr, Jr\",jo@example.com,+33 1 23 45 67 89,fr,fr-FR\r\n{}\n",
        row(ID1, "Zoë"),
        ID2.to_uppercase(),
        row("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Kim")
    );
    for route in [
        crate::rules::route::Route::Legacy,
        crate::rules::route::Route::Enhanced,
    ] {
        let copied = BulkOptions { route, ..options() };
        let in_file = BulkOptions {
            values_in_file: true,
            ..copied.clone()
        };
        let expected = validate_csv(text.as_bytes(), copied).payloads.to_vec();
        assert_eq!(expected.len(), 3, "{route:?}");
        let whole = validate_csv(text.as_bytes(), in_file.clone()).payloads;
        assert!(whole.words().iter().any(|w| w & payloads::IN_FILE != 0));
        assert_eq!(whole.iter_in(text.as_bytes()).collect::<Vec<_>>(), expected);
        let mut validator = BulkValidator::new(in_file);
        for chunk in text.as_bytes().chunks(5) {
            validator.push(chunk);
        }
        let chunked = validator.finish().payloads;
        assert_eq!(
            chunked.iter_in(text.as_bytes()).collect::<Vec<_>>(),
            expected
        );
    }
}

#[test]
fn customer_ids_numbered_in_any_group_spread_over_the_table() {
    use std::hash::BuildHasher;
    // Ids that differ in one group only (numbered ones): their hashes' low bits, which index
    // the table, must differ too.
    let hasher = super::check::BuildIdHasher::new(7);
    for group in [0u32, 16, 32, 48, 80, 112] {
        let low_bits: std::collections::HashSet<u64> = (0u128..4096)
            .map(|n| hasher.hash_one((((n << group) as u64), ((n << group) >> 64) as u64)) & 0xFFF)
            .collect();
        assert!(
            low_bits.len() > 2000,
            "group at bit {group}: {} buckets",
            low_bits.len()
        );
    }
}

/// Customer ids whose halves (as the table keys them) collide completely under the unkeyed
/// multiplicative hash the tables used to have: any first half, and a second half chosen so
/// that the state after it is the same for every id.
pub(super) fn colliding_ids(count: u64) -> Vec<(u64, u64)> {
    const C: u64 = 0x517c_c1b7_2722_0a95;
    (1..=count)
        .map(|n| {
            let first = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let state = first.wrapping_mul(C);
            (first, state.rotate_left(5) ^ 0x1234_5678)
        })
        .collect()
}

#[test]
fn ids_crafted_to_collide_spread_over_the_table_under_its_random_key() {
    use std::hash::BuildHasher;
    let ids = colliding_ids(20_000);
    // They did collide, every one, under the old hash.
    let old = |&(a, b): &(u64, u64)| {
        let step = |s: u64, w: u64| (s.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        step(step(0, a), b)
    };
    assert_eq!(
        ids.iter()
            .map(old)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        1
    );
    // Under the keyed hash, whatever the key, they fill the table's buckets.
    for key in [0, 1, 0xdead_beef, u64::MAX] {
        let hasher = super::check::BuildIdHasher::new(key);
        let buckets: std::collections::HashSet<u64> =
            ids.iter().map(|id| hasher.hash_one(id) & 0x3FFF).collect();
        // 20 000 ids thrown at random into 16 384 buckets fill about 11 500 of them.
        assert!(
            buckets.len() > 10_500,
            "key {key}: {} buckets",
            buckets.len()
        );
    }
    // Every check draws its own key.
    assert_ne!(
        BulkOptions::default().hash_key,
        BulkOptions::default().hash_key
    );
}

#[test]
fn a_byte_order_mark_after_the_start_is_text_however_the_file_is_cut() {
    // Found by the fuzzer: `csv-core` drops a mark on its first read, which was this row's
    // when the records before it were read in place, and not when a chunk cut them.
    let file = b"\t\t\t\t\t\t\n\xEF\xBB\xBF\n";
    let whole = validate_csv(file, options());
    assert_eq!(whole.rows, 1, "the mark is a row's text");
    for size in 1..file.len() {
        let mut chunked = BulkValidator::new(options());
        for chunk in file.chunks(size) {
            chunked.push(chunk);
        }
        assert_eq!(chunked.finish(), whole, "chunks of {size}");
    }
}

#[test]
fn a_header_line_over_the_limit_is_said_whole_or_in_chunks() {
    let mut csv = "customerId,".repeat(7000);
    csv.push_str("\r\nx\r\n");
    let whole = validate_csv(csv.as_bytes(), options());
    assert_eq!(codes(&whole)[0], (1, "row-too-long"));
    let mut chunked = BulkValidator::new(options());
    for chunk in csv.as_bytes().chunks(1000) {
        chunked.push(chunk);
    }
    assert_eq!(chunked.finish(), whole);
}
