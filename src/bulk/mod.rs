//! Many confirmations at once, from a CSV file or from rows: every row checked by the rules of
//! the confirmation form on the route of the day, in one call, with the problems of the file
//! itself (columns, quotes, encoding, duplicates between rows) on their lines.

mod check;
/// Which field each header names, in English or French.
pub mod columns;
/// The payloads of the valid rows, in one text and a table of spans.
pub mod payloads;
/// The problems of a file and their messages.
pub mod problems;
/// CSV read in chunks (`csv-core`).
pub mod read;
/// Sending the valid rows: the decisions, apart from any I/O.
pub mod run;

use std::collections::HashMap;

pub use check::BulkValidator;
pub use payloads::Payloads;
pub use problems::{FileCode, FileProblem, LineIssue, LineProblem};

use crate::checks::form::{ConfirmationForm, Context};
use crate::flows::attestation::AttestationForm;
use crate::flows::payload::{Agreement, AgreementPayload};
use crate::rules::route::Route;

/// The default size limit of a file checked in one call: 50 MB (about 370 000 rows).
pub const DEFAULT_MAX_BYTES: usize = 50_000_000;
/// The default number of issues kept; the others are counted.
pub const DEFAULT_MAX_ISSUES: usize = 10_000;

/// What the checks of a file need.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// The day, the rules and the user, as for one form (its `existing` is not used: see
    /// `existing` here).
    pub context: Context,
    /// The route of the day: the legacy POST needs the date of acceptance, the enhanced flow
    /// the template's country.
    pub route: Route,
    /// Each customer's confirmations as read back from the backend, by customer id.
    pub existing: HashMap<String, Vec<Agreement>>,
    /// The largest file read, in bytes (0: no limit).
    pub max_bytes: usize,
    /// The most issues kept.
    pub max_issues: usize,
    /// Whether the payloads of the valid rows are kept (not when only counting).
    pub payloads: bool,
    /// Whether their values may be spans of the file (see [`Payloads::in_file`]): for a caller
    /// that keeps the file whole.
    pub values_in_file: bool,
    /// The key of the tables by customer id: give each check a random one (the default is
    /// drawn from the standard library's random source, which WebAssembly in a browser lacks:
    /// the bindings draw it from `crypto.getRandomValues`), so that no file can be made whose
    /// ids all fall in one place of the table.
    pub hash_key: u64,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            context: Context::default(),
            route: Route::Legacy,
            existing: HashMap::new(),
            max_bytes: DEFAULT_MAX_BYTES,
            max_issues: DEFAULT_MAX_ISSUES,
            payloads: true,
            values_in_file: false,
            hash_key: random_key(),
        }
    }
}

/// 64 bits from the standard library's per-process random keys (fresh on every call).
fn random_key() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// What a valid row sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowBody {
    /// The legacy route: the body of `POST /v1/customers/{id}/agreements`.
    Confirmation(AgreementPayload),
    /// The enhanced route: the attestation to create (the flow reads the company name).
    Attestation(AttestationForm),
}

/// A valid row, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPayload {
    /// Its line in the file.
    pub line: u32,
    /// The customer, lower case without braces.
    pub customer_id: String,
    /// What to send.
    pub body: RowBody,
}

/// The outcome of checking a file or rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkReport {
    /// Rows found (blank rows are not counted).
    pub rows: u32,
    /// Rows without a problem.
    pub valid: u32,
    /// Rows with at least one.
    pub invalid: u32,
    /// Every problem, in the order of the file (at most `max_issues`).
    pub issues: Vec<LineIssue>,
    /// Problems beyond `max_issues`, counted only.
    pub issues_left_off: u32,
    /// The lines with a problem beyond `max_issues`, in the order of the file: so that a
    /// report can still name every invalid line.
    pub lines_left_off: Vec<u32>,
    /// What each valid row sends, in the order of the file.
    pub payloads: Payloads,
}

/// Checks a whole CSV file held in memory.
pub fn validate_csv(bytes: &[u8], options: BulkOptions) -> BulkReport {
    let mut validator = BulkValidator::new(options);
    validator.push(bytes);
    validator.finish()
}

/// Checks rows given as forms (each row's line is its position, from 1).
pub fn validate_rows(rows: &[ConfirmationForm], options: BulkOptions) -> BulkReport {
    BulkValidator::new(options).rows(rows)
}

#[cfg(test)]
mod tests;
