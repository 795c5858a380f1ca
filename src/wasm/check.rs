//! For the tests of the bindings (feature `shape-check`): each hand-written reader beside the
//! serde shape it stands for, on the same JSON. The readers exist because serde's deserializer
//! machinery costs kilobytes of wasm; this keeps them from drifting from the declared shapes.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::convert::{read_form, read_gate_request, read_status_options, read_validation_options};
use super::input::{self, Args, Obj};
use super::shapes::{OrderGateRequest, StatusOptions, ValidationOptions};
use crate::form::ConfirmationForm;
use crate::payload::Agreement;
use crate::timeline::Policy;

/// The shapes with a reader, by name.
pub const SHAPES: &[&str] = &[
    "StatusOptions",
    "OrderGateRequest",
    "ValidationOptions",
    "ConfirmationForm",
    "Agreement",
    "Policy",
    #[cfg(all(feature = "bulk", feature = "client"))]
    "BulkJournalEntry",
];

/// Reads `json` with the reader of `shape` and with its serde shape. `Ok` when both refuse it,
/// or both accept it and read the same value; otherwise what each read.
pub fn compare(shape: &str, json: &str) -> Result<(), String> {
    match shape {
        "StatusOptions" => agree::<StatusOptions>(json, read_status_options),
        "OrderGateRequest" => agree::<OrderGateRequest>(json, read_gate_request),
        "ValidationOptions" => agree::<ValidationOptions>(json, read_validation_options),
        "ConfirmationForm" => {
            agree::<ConfirmationForm>(json, |node| read_form(Some(Obj::required("form", node)?)))
        }
        "Agreement" => agree::<Agreement>(json, |node| input::agreement("agreement", node)),
        "Policy" => agree::<Policy>(json, |node| {
            input::policy(Some(Obj::required("policy", node)?))
        }),
        #[cfg(all(feature = "bulk", feature = "client"))]
        "BulkJournalEntry" => agree::<super::shapes::BulkJournalEntry>(json, |node| {
            super::send::journal_entry("entry", node)
        }),
        _ => Err(format!("no reader named {shape}")),
    }
}

fn agree<T: DeserializeOwned + PartialEq + Debug>(
    json: &str,
    read: impl FnOnce(&Node) -> Result<T, JsError>,
) -> Result<(), String> {
    let value = js_sys::JSON::parse(json).map_err(|_| format!("not JSON: {json}"))?;
    let args = Args::one(&value);
    let nodes = args
        .nodes()
        .map_err(|_| "the arguments could not be read")?;
    let by_reader = read(&nodes[0]).ok();
    let by_serde = serde_json::from_str::<T>(json).ok();
    if by_reader == by_serde {
        Ok(())
    } else {
        Err(format!(
            "{json}\n  reader: {by_reader:?}\n  serde:  {by_serde:?}"
        ))
    }
}

/// The result of `validateCsv(text, options)` built the slow way: every payload by its serde
/// derive, as the declared shape `BulkValidation` says. The bindings hand payloads over as spans
/// instead (`bulk::Payloads`, `bulkResult` in `js/boundary.js`); the tests compare the two.
#[cfg(feature = "bulk")]
pub fn bulk_by_serde(text: &str, options: &JsValue, in_file: bool) -> Result<JsValue, JsError> {
    let (mut options, locale) = super::bulk::bulk_options(options)?;
    options.values_in_file = in_file;
    let report = crate::bulk::validate_csv(text.as_bytes(), options);
    let validation = super::bulk::validation_of(report, locale, text.as_bytes());
    let json = serde_json::to_string(&validation).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("not JSON"))
}
