//! Conversions between the shapes and the rules: the readers of arguments, the writer of
//! results (one string each way, `compact`), today's dates, and the issues with their messages.
// The file checks' module (built without the rules' own exports) uses fewer of these.
#![cfg_attr(not(feature = "api"), allow(dead_code))]

use chrono::NaiveDate;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::compact;
use super::input;
use super::shapes::*;

use crate::checks::form::{ConfirmationForm, Context, FormView, Report, Role};
use crate::checks::issues::{Field, Issue};
use crate::checks::messages::{self, Locale};
use crate::flows::attestation::{enhanced_route_check, AttestationForm};
use crate::rules::date::{parse_date, Today};
use crate::rules::route::Route;
use crate::rules::status::Scope;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// A result, from its string.
    fn decode(text: &str) -> JsValue;
    /// `{ errors: [], warnings: [] }`: a field that passes, with nothing to cross.
    fn no_issues() -> JsValue;
}

/// A result as a plain JS value: one string across the boundary, read by `js/boundary.js`.
pub(super) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    from_text(compact::to_text(value))
}

/// The part of `to_js` that does not depend on the type (compiled once, not once per result).
#[inline(never)]
pub(super) fn from_text(text: Result<String, compact::Unsupported>) -> Result<JsValue, JsError> {
    match text {
        Ok(text) => Ok(decode(&text)),
        Err(_) => Err(JsError::new("cannot convert the result")),
    }
}

/// A value as the API returns its results (for the tests of the boundary itself).
#[doc(hidden)]
pub fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    to_js(value)
}

pub(super) fn date_arg(what: &str, value: &str) -> Result<NaiveDate, JsError> {
    parse_date(value).ok_or_else(|| {
        JsError::new(&crate::text!(
            what,
            ": ",
            input::quote(value),
            " is not a calendar date written YYYY-MM-DD"
        ))
    })
}

pub(super) fn locale_arg(value: &JsValue) -> Locale {
    Locale::parse(&value.as_string().unwrap_or_default())
}

/// Today in the browser: the local and the UTC calendar dates of `new Date()`.
pub(super) fn browser_today() -> Today {
    let now = js_sys::Date::new_0();
    let day = |y: u32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y as i32, m + 1, d).expect("the browser gives a real date")
    };
    Today {
        local: day(now.get_full_year(), now.get_month(), now.get_date()),
        utc: day(
            now.get_utc_full_year(),
            now.get_utc_month(),
            now.get_utc_date(),
        ),
    }
}

pub(super) fn today_of(options: &CheckOptions) -> Result<Today, JsError> {
    let local = options
        .local_today
        .as_deref()
        .map(|d| date_arg("localToday", d))
        .transpose()?;
    let utc = options
        .utc_today
        .as_deref()
        .map(|d| date_arg("utcToday", d))
        .transpose()?;
    Ok(match (local, utc) {
        (Some(local), Some(utc)) => Today { local, utc },
        (Some(date), None) | (None, Some(date)) => Today::same(date),
        (None, None) => browser_today(),
    })
}

pub(super) fn context_of(
    options: ValidationOptions,
) -> Result<(Context, Locale, ConfirmationForm), JsError> {
    let ValidationOptions {
        check: options,
        existing,
        form,
    } = options;
    let today = today_of(&options)?;
    let context = Context {
        today: Some(today),
        scope: Scope {
            environment: options.environment.unwrap_or_default(),
            channel: options.channel.unwrap_or_default(),
            policy: options.policy.unwrap_or_default(),
        },
        role: options.role.as_deref().map(|r| Role::parse(r.trim())),
        partner_type: options.partner_type,
        existing: existing.unwrap_or_default(),
        template_id: options.template_id,
        route: options.route,
    };
    Ok((
        context,
        options.locale.unwrap_or_default(),
        form.unwrap_or_default(),
    ))
}

pub(super) fn field_issue(issue: Issue, locale: Locale) -> FieldIssue {
    FieldIssue {
        message: messages::issue_message(&issue, locale),
        field: issue.field,
        problem: issue.problem,
    }
}

pub(super) fn field_issues(issues: Vec<Issue>, locale: Locale) -> Vec<FieldIssue> {
    issues
        .into_iter()
        .map(|issue| field_issue(issue, locale))
        .collect()
}

pub(super) fn result_of(report: Report, locale: Locale) -> ValidationResult {
    let warnings = field_issues(report.warnings, locale);
    match report.payload {
        Some(payload) if report.errors.is_empty() => ValidationResult::Valid(ValidResult {
            valid: true,
            errors: Vec::new(),
            warnings,
            payload,
            customer_id: report.customer_id,
            country: report.country,
            language: report.language.unwrap_or("en-US"),
            route: Route::Legacy,
        }),
        _ => ValidationResult::Invalid(InvalidResult {
            valid: false,
            errors: field_issues(report.errors, locale),
            warnings,
            customer_id: report.customer_id,
            country: report.country,
            route: Some(Route::Legacy),
        }),
    }
}

/// The result of a confirmation form checked for the enhanced route: the problems of `report`,
/// and the attestation to create when there is none.
pub(super) fn attestation_validation(
    report: Report,
    attestation: Option<AttestationForm>,
    locale: Locale,
) -> AttestationValidationResult {
    let warnings = field_issues(report.warnings, locale);
    match attestation {
        Some(attestation) if report.errors.is_empty() => {
            AttestationValidationResult::Valid(ValidAttestation {
                valid: true,
                errors: Vec::new(),
                warnings,
                route: Route::Enhanced,
                attestation,
            })
        }
        _ => AttestationValidationResult::Invalid(InvalidResult {
            valid: false,
            errors: field_issues(report.errors, locale),
            warnings,
            customer_id: None,
            country: None,
            route: Some(Route::Enhanced),
        }),
    }
}

/// A confirmation form checked for the route of `context` (pinned, or the day's): the legacy
/// result with its payload, or on the enhanced route the attestation to create.
pub(super) fn confirmation_validation(
    form: FormView,
    context: &Context,
    locale: Locale,
) -> Result<JsValue, JsError> {
    if context.route() == Route::Enhanced {
        let mut errors = Vec::new();
        enhanced_route_check(form, context, &mut errors);
        let attestation = errors.is_empty().then(|| AttestationForm::of_view(form));
        let report = Report {
            errors,
            ..Report::default()
        };
        return to_js(&attestation_validation(report, attestation, locale));
    }
    to_js(&result_of(
        crate::checks::form::validate_view(form, context),
        locale,
    ))
}

/// The options every check takes (`ValidationOptions`), read from a call's argument.
pub(super) fn validation_options(node: &compact::Node) -> Result<ValidationOptions, JsError> {
    input::options_of("options", node)
}

/// The options of a check that takes no confirmations and no form (a file's rows, a sending,
/// the portfolio).
#[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
pub(super) fn check_context(check: CheckOptions) -> Result<(Context, Locale), JsError> {
    let (context, locale, _) = context_of(ValidationOptions {
        check,
        ..ValidationOptions::default()
    })?;
    Ok((context, locale))
}

/// The report of one field's check: nothing crosses for a field that passes (the common case
/// as the user types).
pub(super) fn field_report(report: Report, locale: Locale) -> Result<JsValue, JsError> {
    if report.errors.is_empty() && report.warnings.is_empty() {
        return Ok(no_issues());
    }
    to_js(&FieldReport {
        errors: field_issues(report.errors, locale),
        warnings: field_issues(report.warnings, locale),
    })
}

/// A field's wire name as an argument (`validateField`'s first).
pub(super) fn field_arg(field: &str) -> Result<Field, JsError> {
    Field::parse(field)
        .ok_or_else(|| JsError::new(&crate::text!("field: unknown field ", input::quote(field))))
}

#[cfg(any(feature = "client", feature = "bulk"))]
#[wasm_bindgen]
extern "C" {
    /// Fills `bytes` from the platform's cryptographic generator (`crypto.getRandomValues`, in
    /// every supported browser, worker and Node; at most 65 536 bytes a call).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    pub(super) fn fill_random(bytes: &mut [u8]);
}
