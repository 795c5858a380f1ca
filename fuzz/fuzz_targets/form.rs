//! The confirmation form's checks on arbitrary field texts (nine fields split by 0xFF), on a day
//! chosen by the first two bytes: every check, every field alone, the enhanced route's checks.
#![no_main]

use chrono::{Duration, NaiveDate};
use csp_agreements::flows::attestation::enhanced_route_issues;
use csp_agreements::checks::form::{validate, validate_field, ConfirmationForm, Context};
use csp_agreements::{Field, Today};
use libfuzzer_sys::fuzz_target;

const FIELDS: [Field; 9] = csp_agreements::ConfirmationForm::FIELDS;

fuzz_target!(|data: &[u8]| {
    let (days, rest) = match data {
        [a, b, rest @ ..] => (i64::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    let today = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Duration::days(days % 8000);
    let ctx = Context {
        today: Some(Today { local: today, utc: today }),
        ..Context::default()
    };
    let mut form = ConfirmationForm::default();
    for (field, text) in FIELDS.iter().zip(rest.split(|b| *b == 0xFF)) {
        if let Some(slot) = form.slot(*field) {
            *slot = String::from_utf8_lossy(text).into_owned();
        }
    }
    let report = validate(&form, &ctx);
    assert_eq!(report.payload.is_some(), report.errors.is_empty());
    if let Some(payload) = &report.payload {
        let json = payload.to_json();
        let back: csp_agreements::AgreementPayload = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, payload);
    }
    for field in FIELDS {
        let value = form.clone().slot(field).map(|s| s.clone()).unwrap_or_default();
        validate_field(field, &value, &form, &ctx);
    }
    enhanced_route_issues(&form, &ctx);
});
