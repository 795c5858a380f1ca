//! Every backend answer the client reads, from arbitrary JSON: agreements and their collections,
//! attestations, both error shapes (classified for every status), the `Retry-After` header.
#![no_main]

use csp_agreements::flows::attestation::{parse_status, read_attestation};
use csp_agreements::flows::backend::{classify, ErrorBody};
use csp_agreements::flows::retry::{retry_after_ms, Outcome, RetryPolicy};
use csp_agreements::Agreement;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = std::str::from_utf8(data) {
        retry_after_ms(header, 1.7e12);
        RetryPolicy::default().next_delay(1, Outcome::Status(429), Some(header), 1.7e12, 0.5);
    }
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    // An agreement, and a collection of them.
    let _ = serde_json::from_value::<Agreement>(value.clone());
    if let Some(items) = value.get("items").and_then(Value::as_array) {
        for item in items {
            let _ = serde_json::from_value::<Agreement>(item.clone());
        }
    }
    // An attestation, read field by field as the client reads it.
    let attestation = read_attestation(
        |key| value.get(key).and_then(Value::as_str),
        csp_agreements::flows::attestation::wire::ACCEPTANCE_PAGE,
    );
    if let Some(a) = attestation {
        assert!(!a.attestation_id.is_empty());
    }
    if let Some(status) = value.get("status").and_then(Value::as_str) {
        parse_status(status);
    }
    // Either error shape: `{ code, description, errorName }` or `{ error: { code, message } }`.
    for shape in [Some(&value), value.get("error")].into_iter().flatten() {
        let body = ErrorBody {
            code: text(shape, "code"),
            error_name: text(shape, "errorName"),
            description: text(shape, "description").or_else(|| text(shape, "message")),
            is_retryable: shape.get("isRetryable").and_then(Value::as_bool),
            issues: Vec::new(),
        };
        for status in [400, 401, 403, 404, 408, 409, 410, 429, 500, 503, 599, 0, 999] {
            classify(Outcome::Status(status), &body);
        }
    }
});
