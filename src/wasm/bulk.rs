//! `validateCsv` and `validateRows`: every row of a file checked in one call (the rules crate's
//! `bulk`), and `CsvValidator`, the same fed in chunks (for a Web Worker reading a large file).
//!
//! A result crosses as three things: its summary (counts, and the distinct kinds of its issues)
//! as the one string of `compact`, each issue as its line and kind, and its payloads as they are
//! held (`bulk::Payloads`: a table of spans, into the file's own string or into a few own
//! values), which `bulkResult` in `js/boundary.js` copies and turns into the payload objects
//! when they are first read. A hundred thousand payloads written as text and parsed again cost
//! several times the checks.

use std::borrow::Cow;

use wasm_bindgen::prelude::*;

use super::compact::{self, Node};
use super::convert::*;
use super::input::{self, Args, FromNode};
use super::shapes::*;
use crate::checks::form::ConfirmationForm;

use crate::bulk::payloads::{IN_FILE, ROW_WORDS};
use crate::bulk::{self, BulkOptions, BulkReport, LineIssue, LineProblem, Payloads};
use crate::checks::messages::Locale;
use crate::rules::route::Route;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// A bulk result: its summary from its string, its issues from their lines and kinds, then
    /// its payloads from their text and spans (in UTF-16 code units).
    #[wasm_bindgen(js_name = bulkResult)]
    fn bulk_result(
        summary: &str,
        issues: &[u32],
        text: &[u8],
        ends: &[u32],
        words: &[u32],
        row_words: usize,
        file: &JsValue,
        lines_left_off: &[u32],
    ) -> JsValue;
    /// The browser's UTF-8 encoder writes `text`, from its code unit `from`, into `into` (the
    /// module's memory); `done` receives the code units read and the bytes written.
    #[wasm_bindgen(js_name = encodeTextInto)]
    fn encode_text_into(text: &JsValue, from: u32, into: &js_sys::Uint8Array, done: &mut [u32]);
}

/// The UTF-8 bytes of a file given as a string, written by the browser's encoder straight into
/// the module's memory: room for the text as if it were ASCII (and a little more) first, then,
/// when characters of several bytes filled it, room for the rest at three bytes per code unit.
/// (The glue's own passing reserves three bytes per code unit for the whole text when one
/// character is not ASCII: the memory grew to three times the file, and a check of 100 000
/// rows took 11 to 24 % longer.)
fn utf8_of(text: &JsValue) -> Vec<u8> {
    let units = text.unchecked_ref::<js_sys::JsString>().length() as usize;
    let mut bytes = Vec::with_capacity(units + units / 16 + 16);
    let mut read = 0;
    let mut done = [0u32; 2];
    while read < units {
        let spare = bytes.spare_capacity_mut();
        // SAFETY: the view covers the vector's spare capacity, which nothing else touches
        // during the call (no allocation happens in it); only the bytes the encoder says it
        // wrote are then counted in the vector's length.
        let view =
            unsafe { js_sys::Uint8Array::view_mut_raw(spare.as_mut_ptr().cast(), spare.len()) };
        encode_text_into(text, read as u32, &view, &mut done);
        read += done[0] as usize;
        // SAFETY: the encoder initialized these bytes, within the capacity.
        unsafe { bytes.set_len(bytes.len() + done[1] as usize) };
        // Three bytes per code unit left always hold the rest (a surrogate pair is four bytes
        // for two units), so the next call finishes.
        bytes.reserve(units.saturating_sub(read) * 3);
    }
    bytes
}

/// Checks every row of a CSV file (the text, or its bytes as read from a `File`) by the rules of
/// the confirmation form, on the route of the day: the issues of every line in `locale`, and
/// what each valid row sends. A malformed file gives issues, never an exception. Columns:
/// `customerId, agreementType, dateAgreed, firstName, lastName, email, phoneNumber, country,
/// language`, headers in English or French, in any order; `,`, `;` or tab.
#[wasm_bindgen(js_name = validateCsv, unchecked_return_type = "BulkValidation")]
pub fn validate_csv(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] file: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "BulkValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (mut options, locale) = bulk_options(&options)?;
    if file.is_string() {
        // JavaScript holds the text: the payloads' values are its substrings, not copies.
        options.values_in_file = true;
        let text = utf8_of(&file);
        let report = bulk::validate_csv(&text, options);
        return result_of(report, locale, Some((&text, &file)));
    }
    match file.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => result_of(bulk::validate_csv(&bytes.to_vec(), options), locale, None),
        None => Err(JsError::new("file: expected a string or a Uint8Array")),
    }
}

/// What `validateCsv` returns but its issues and payloads, written by `compact` and read by
/// `decode`: the issues cross as a line and an index into `kinds`, the distinct problems (a
/// file of a hundred thousand rows has ten thousand issues of a few dozen kinds).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct BulkSummary {
    route: Route,
    rows: u32,
    valid: u32,
    invalid: u32,
    kinds: Vec<BulkIssueKind>,
    issues_left_off: u32,
    /// The values of each row that are fields, after the customer (`payloads::fields`).
    fields: &'static [crate::checks::issues::Field],
}

/// An issue without its line: what several lines can share.
#[derive(serde::Serialize)]
struct BulkIssueKind {
    field: crate::checks::issues::Field,
    #[serde(flatten)]
    problem: BulkProblem,
    message: String,
}

/// The result of a check, as `BulkValidation` declares it; `file` is the file's bytes and its
/// JavaScript string when the payloads' values may be spans of it.
fn result_of(
    report: BulkReport,
    locale: Locale,
    file: Option<(&[u8], &JsValue)>,
) -> Result<JsValue, JsError> {
    let route = report.payloads.route();
    let mut kinds = Vec::new();
    let mut kind_of = std::collections::HashMap::new();
    let mut issues = Vec::with_capacity(report.issues.len() * 2);
    for issue in &report.issues {
        let kind = *kind_of.entry(&issue.problem).or_insert_with(|| {
            kinds.push(kind_of_issue(issue, locale));
            kinds.len() as u32 - 1
        });
        issues.push(issue.line);
        issues.push(kind);
    }
    let summary = BulkSummary {
        route,
        rows: report.rows,
        valid: report.valid,
        invalid: report.invalid,
        kinds,
        issues_left_off: report.issues_left_off,
        fields: bulk::payloads::fields(route),
    };
    let summary =
        compact::to_text(&summary).map_err(|_| JsError::new("cannot convert the result"))?;
    let (bytes, string) = file.unzip();
    let payloads = &report.payloads;
    let ends = utf16_ends(payloads);
    let words = utf16_words(payloads, bytes.unwrap_or_default());
    Ok(bulk_result(
        &summary,
        &issues,
        payloads.text().as_bytes(),
        &ends,
        &words,
        bulk::payloads::ROW_WORDS,
        string.unwrap_or(&JsValue::UNDEFINED),
        &report.lines_left_off,
    ))
}

fn kind_of_issue(issue: &LineIssue, locale: Locale) -> BulkIssueKind {
    BulkIssueKind {
        field: issue.field(),
        problem: match &issue.problem {
            LineProblem::Form(form) => BulkProblem::Form(form.problem.clone()),
            LineProblem::File(_, problem) => BulkProblem::File(*problem),
        },
        message: issue.message(locale),
    }
}

/// The ends of the payloads' own values in UTF-16 code units (the indexes of a JavaScript
/// string) rather than bytes.
fn utf16_ends(payloads: &Payloads) -> Cow<'_, [u32]> {
    let mut own = Utf16Index::new(payloads.text().as_bytes());
    if own.ascii {
        return Cow::Borrowed(payloads.ends());
    }
    Cow::Owned(
        payloads
            .ends()
            .iter()
            .map(|&end| own.units_before(end as usize))
            .collect(),
    )
}

/// The payloads' words with their spans of `file` in UTF-16 code units rather than bytes.
fn utf16_words<'a>(payloads: &'a Payloads, file: &[u8]) -> Cow<'a, [u32]> {
    let mut file = Utf16Index::new(file);
    if file.ascii {
        return Cow::Borrowed(payloads.words());
    }
    let mut words = payloads.words().to_vec();
    for row in words.chunks_exact_mut(ROW_WORDS) {
        for word in &mut row[1..] {
            if *word & IN_FILE != 0 {
                *word = file.units_before((*word ^ IN_FILE) as usize) | IN_FILE;
            }
        }
    }
    Cow::Owned(words)
}

/// Byte offsets of a UTF-8 text turned into UTF-16 offsets. The offsets asked mostly follow one
/// another (the values of each row, the rows in order): counted on from the last one; one
/// further back is counted from the start of its block of [`Utf16Index::BLOCK`] bytes, whose
/// units are tabled the first time.
struct Utf16Index<'a> {
    bytes: &'a [u8],
    ascii: bool,
    /// The last offset asked, and its units.
    last: (usize, u32),
    /// The units before each block, once an offset went back.
    blocks: Vec<u32>,
}

impl<'a> Utf16Index<'a> {
    const BLOCK: usize = 256;

    fn new(bytes: &'a [u8]) -> Utf16Index<'a> {
        Utf16Index {
            bytes,
            ascii: bytes.is_ascii(),
            last: (0, 0),
            blocks: Vec::new(),
        }
    }

    /// A character is one unit, or two from four bytes: its lead bytes, and 4-byte leads again.
    fn units(bytes: &[u8]) -> u32 {
        if bytes.is_ascii() {
            return bytes.len() as u32;
        }
        // ASCII runs are passed over (most text is), the other bytes counted one by one.
        let (mut units, mut at) = (0, 0);
        while at < bytes.len() {
            let run = &bytes[at..bytes.len().min(at + 32)];
            at += run.len();
            if run.is_ascii() {
                units += run.len() as u32;
                continue;
            }
            for &b in run {
                units += u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0);
            }
        }
        units
    }

    fn units_before(&mut self, at: usize) -> u32 {
        if self.ascii {
            return at as u32;
        }
        let count = |from: usize| Self::units(self.bytes.get(from..at).unwrap_or_default());
        if at >= self.last.0 {
            self.last = (at, self.last.1 + count(self.last.0));
            return self.last.1;
        }
        if self.blocks.is_empty() {
            let mut units = 0;
            for block in self.bytes.chunks(Self::BLOCK) {
                self.blocks.push(units);
                units += Self::units(block);
            }
        }
        let block = at / Self::BLOCK;
        self.blocks.get(block).copied().unwrap_or_default() + count(block * Self::BLOCK)
    }
}

/// Checks rows given as objects (the fields of `ConfirmationForm`) in one call, as
/// `validateCsv` checks the rows of a file; each row's `line` is its position from 1.
#[wasm_bindgen(js_name = validateRows, unchecked_return_type = "BulkValidation")]
pub fn validate_rows(
    #[wasm_bindgen(unchecked_param_type = "ConfirmationForm[]")] rows: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "BulkValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (options, locale) = bulk_options(&options)?;
    let args = Args::one(&rows);
    let [rows, _, _] = args.nodes()?;
    let Node::Array(items) = &rows else {
        return Err(JsError::new("rows: expected an array"));
    };
    let mut forms = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        forms.push(ConfirmationForm::read(
            &crate::text!("rows[", index, "]"),
            item,
        )?);
    }
    result_of(bulk::validate_rows(&forms, options), locale, None)
}

/// A CSV file checked as it is read, chunk by chunk: memory stays bounded by a chunk and the
/// results kept (pass `payloads: false` and a small `maxIssues` to count only). `cancel()`
/// stops it between chunks and frees what it kept.
#[wasm_bindgen]
pub struct CsvValidator {
    validator: Option<bulk::BulkValidator>,
    locale: Locale,
    cancelled: bool,
}

#[wasm_bindgen]
impl CsvValidator {
    /// A validator with the options of `validateCsv`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "BulkValidationOptions")] options: JsValue,
    ) -> Result<CsvValidator, JsError> {
        let (options, locale) = bulk_options(&options)?;
        Ok(CsvValidator {
            validator: Some(bulk::BulkValidator::new(options)),
            locale,
            cancelled: false,
        })
    }

    /// Reads the next chunk of the file; returns the rows found so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32, JsError> {
        let cancelled = self.cancelled;
        let validator = self.validator.as_mut().ok_or_else(|| finished(cancelled))?;
        validator.push(chunk);
        Ok(validator.progress().1)
    }

    /// The end of the file: the result, as `validateCsv` gives it.
    #[wasm_bindgen(unchecked_return_type = "BulkValidation")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let validator = self
            .validator
            .take()
            .ok_or_else(|| finished(self.cancelled))?;
        result_of(validator.finish(), self.locale, None)
    }

    /// Stops the check: what it kept is freed, and `push` and `finish` throw from now on.
    pub fn cancel(&mut self) {
        if self.validator.take().is_some() {
            self.cancelled = true;
        }
    }
}

fn finished(cancelled: bool) -> JsError {
    JsError::new(if cancelled {
        "this CsvValidator was cancelled"
    } else {
        "this CsvValidator has already finished"
    })
}

pub(super) fn bulk_options(value: &JsValue) -> Result<(BulkOptions, Locale), JsError> {
    let args = Args::one(value);
    let [node, _, _] = args.nodes()?;
    let mut options = BulkOptions {
        hash_key: random_u64(),
        ..BulkOptions::default()
    };
    let only: BulkValidationOptions = input::options_of("options", &node)?;
    if let Some(max) = only.max_bytes {
        options.max_bytes = max as usize;
    }
    if let Some(max) = only.max_issues {
        options.max_issues = max as usize;
    }
    if let Some(payloads) = only.payloads {
        options.payloads = payloads;
    }
    for (customer, agreements) in only.existing.unwrap_or_default() {
        options
            .existing
            .entry(customer)
            .or_default()
            .extend(agreements);
    }
    let (context, locale) = check_context(only.check)?;
    options.route = context.route();
    options.context = context;
    Ok((options, locale))
}

#[cfg(feature = "span-check")]
fn issues_of(report: &BulkReport, locale: Locale) -> Vec<BulkIssue> {
    report
        .issues
        .iter()
        .map(|issue| {
            let kind = kind_of_issue(issue, locale);
            BulkIssue {
                line: issue.line,
                field: kind.field,
                problem: kind.problem,
                message: kind.message,
            }
        })
        .collect()
}

/// The result of a check as its declared shape, every payload built by serde (for the tests:
/// the crossing above must give the same).
#[cfg(feature = "span-check")]
pub(super) fn validation_of(report: BulkReport, locale: Locale, file: &[u8]) -> BulkValidation {
    use crate::bulk::RowBody;
    BulkValidation {
        route: report.payloads.route(),
        rows: report.rows,
        valid: report.valid,
        invalid: report.invalid,
        issues: issues_of(&report, locale),
        issues_left_off: report.issues_left_off,
        lines_left_off: report.lines_left_off.clone(),
        payloads: report
            .payloads
            .iter_in(file)
            .map(|row| match row.body {
                RowBody::Confirmation(payload) => BulkPayload::Confirmation(BulkConfirmation {
                    line: row.line,
                    customer_id: row.customer_id,
                    payload,
                }),
                RowBody::Attestation(attestation) => BulkPayload::Attestation(BulkAttestation {
                    line: row.line,
                    customer_id: row.customer_id,
                    attestation,
                }),
            })
            .collect(),
    }
}

/// The result of `validateCsv(text, options)` built the slow way: every payload by its serde
/// derive, as the declared shape `BulkValidation` says. The bindings hand payloads over as spans
/// instead (`bulk::Payloads`, `bulkResult` in `js/boundary.js`); the tests compare the two.
#[cfg(feature = "span-check")]
#[doc(hidden)]
pub fn bulk_by_serde(text: &str, options: &JsValue, in_file: bool) -> Result<JsValue, JsError> {
    let (mut options, locale) = bulk_options(options)?;
    options.values_in_file = in_file;
    let report = crate::bulk::validate_csv(text.as_bytes(), options);
    let validation = validation_of(report, locale, text.as_bytes());
    let json = serde_json::to_string(&validation).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("not JSON"))
}

/// 64 random bits from the platform's generator.
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    super::convert::fill_random(&mut bytes);
    u64::from_le_bytes(bytes)
}
