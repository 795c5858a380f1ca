//! `validateCsv` and `validateRows`: every row of a file checked in one call (the rules crate's
//! `bulk`), and `CsvValidator`, the same fed in chunks (for a Web Worker reading a large file).

use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::convert::*;
use super::input::{self, Args, Obj};
use super::shapes::*;

use crate::bulk::{self, BulkOptions, BulkReport, FileProblem, LineProblem, RowBody};
use crate::messages::Locale;
use crate::route::confirmation_route;

/// Checks every row of a CSV file (the text, or its bytes as read from a `File`) by the rules of
/// the confirmation form, on the route of the day: the issues of every line in `locale`, and
/// what each valid row sends. A malformed file gives issues, never an exception. Columns:
/// `customerId, agreementType, dateAgreed, firstName, lastName, email, phoneNumber, country,
/// language`, headers in English or French, in any order; `,`, `;` or tab.
#[wasm_bindgen(js_name = validateCsv, unchecked_return_type = "BulkValidation")]
pub fn validate_csv(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] file: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BulkValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (options, locale) = bulk_options(&options)?;
    let route = options.route;
    let report = match file.as_string() {
        Some(text) => bulk::validate_csv(text.as_bytes(), options),
        None => match file.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => bulk::validate_csv(&bytes.to_vec(), options),
            None => return Err(JsError::new("file: expected a string or a Uint8Array")),
        },
    };
    json_to_js(&validation_of(report, route, locale))
}

/// A large result as JSON, read by the engine's `JSON.parse` (several times faster than the
/// token reader of `js/boundary.js` on a hundred thousand payloads).
fn json_to_js(value: &BulkValidation) -> Result<JsValue, JsError> {
    let text =
        serde_json::to_string(value).map_err(|_| JsError::new("cannot convert the result"))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("cannot convert the result"))
}

/// Checks rows given as objects (the fields of `ConfirmationForm`) in one call, as
/// `validateCsv` checks the rows of a file; each row's `line` is its position from 1.
#[wasm_bindgen(js_name = validateRows, unchecked_return_type = "BulkValidation")]
pub fn validate_rows(
    #[wasm_bindgen(unchecked_param_type = "ConfirmationForm[]")] rows: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BulkValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (options, locale) = bulk_options(&options)?;
    let route = options.route;
    let args = Args::one(&rows);
    let [rows, _, _] = args.nodes()?;
    let Node::Array(items) = &rows else {
        return Err(JsError::new("rows: expected an array"));
    };
    let mut forms = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        forms.push(read_form(Some(Obj::required(
            &format!("rows[{index}]"),
            item,
        )?))?);
    }
    to_js(&validation_of(
        bulk::validate_rows(&forms, options),
        route,
        locale,
    ))
}

/// A CSV file checked as it is read, chunk by chunk: memory stays bounded by a chunk and the
/// results kept (pass `payloads: false` and a small `maxIssues` to count only).
#[wasm_bindgen]
pub struct CsvValidator {
    validator: Option<bulk::BulkValidator>,
    route: crate::route::Route,
    locale: Locale,
}

#[wasm_bindgen]
impl CsvValidator {
    /// A validator with the options of `validateCsv`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "BulkValidationOptions | undefined")]
        options: JsValue,
    ) -> Result<CsvValidator, JsError> {
        let (options, locale) = bulk_options(&options)?;
        Ok(CsvValidator {
            route: options.route,
            validator: Some(bulk::BulkValidator::new(options)),
            locale,
        })
    }

    /// Reads the next chunk of the file; returns the rows found so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32, JsError> {
        let validator = self.validator.as_mut().ok_or_else(finished)?;
        validator.push(chunk);
        Ok(validator.progress().1)
    }

    /// The end of the file: the result, as `validateCsv` gives it.
    #[wasm_bindgen(unchecked_return_type = "BulkValidation")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let validator = self.validator.take().ok_or_else(finished)?;
        to_js(&validation_of(validator.finish(), self.route, self.locale))
    }
}

fn finished() -> JsError {
    JsError::new("this CsvValidator has already finished")
}

fn bulk_options(value: &JsValue) -> Result<(BulkOptions, Locale), JsError> {
    let args = Args::one(value);
    let [node, _, _] = args.nodes()?;
    let mut options = BulkOptions::default();
    let mut route = None;
    if let Some(obj) = Obj::optional("options", &node)? {
        route = obj.wire("route")?;
        if let Some(max) = obj.number("maxBytes")? {
            options.max_bytes = max as usize;
        }
        if let Some(max) = obj.number("maxIssues")? {
            options.max_issues = max as usize;
        }
        if let Some(payloads) = obj.bool("payloads") {
            options.payloads = payloads;
        }
        if let Some(existing) = obj.object("existing")? {
            for key in existing.keys() {
                let list = options.existing.entry(key.to_string()).or_default();
                for (path, item) in existing.array(key)? {
                    list.push(input::agreement(&path, item)?);
                }
            }
        }
    }
    // The options every check takes, read as `validateConfirmation` reads them (`existing`
    // is a list there, a map by customer here).
    let common = input::without(&node, &["existing"]);
    let (context, locale, _) = context_of(read_validation_options(&common)?)?;
    options.route = route.unwrap_or_else(|| route_of(&context));
    options.context = context;
    Ok((options, locale))
}

/// The route of Partner Center's day (UTC).
fn route_of(context: &crate::form::Context) -> crate::route::Route {
    let day = context.today.map(|t| t.utc).unwrap_or_default();
    confirmation_route(day, context.scope.environment, &context.scope.policy).route
}

fn validation_of(report: BulkReport, route: crate::route::Route, locale: Locale) -> BulkValidation {
    let issues = report
        .issues
        .iter()
        .map(|issue| BulkIssue {
            line: issue.line,
            field: issue.field(),
            code: issue.code(),
            message: issue.message(locale),
            params: match &issue.problem {
                LineProblem::Form(form) => BulkParams::Form(params_of(&form.problem)),
                LineProblem::File(_, problem) => BulkParams::File(file_params(*problem)),
            },
        })
        .collect();
    let payloads = report
        .payloads
        .into_iter()
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
        .collect();
    BulkValidation {
        route,
        rows: report.rows,
        valid: report.valid,
        invalid: report.invalid,
        issues,
        issues_left_off: report.issues_left_off,
        payloads,
    }
}

fn file_params(problem: FileProblem) -> FileParams {
    let mut params = FileParams::default();
    match problem {
        FileProblem::FileTooLarge { max_bytes } | FileProblem::RowTooLong { max_bytes } => {
            params.max_bytes = Some(max_bytes as u32)
        }
        FileProblem::ColumnCount { expected, found } => {
            params.expected = Some(expected as u32);
            params.found = Some(found as u32);
        }
        FileProblem::DuplicateInFile { first_line } => params.first_line = Some(first_line),
        _ => {}
    }
    params
}
