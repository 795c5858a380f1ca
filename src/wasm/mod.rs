//! The JavaScript API. Every function crosses the boundary once each way (`compact`): its
//! arguments come in as one string, read into a tree (`input`), the plain Rust rules run, and
//! the result goes out as one string written from its `Serialize` derive, which
//! `js/boundary.js` turns into plain objects. A malformed call (a value of the wrong type, a
//! date that is not `YYYY-MM-DD`, a policy out of order) throws a JS `Error`. Validation
//! failures are values, never exceptions. Only `browser_today` reads a clock.

#[cfg(feature = "dom")]
mod attach;
#[cfg(feature = "dom")]
pub use attach::{attach_validation, ValidationHandle};
#[cfg(feature = "client")]
mod client;
mod compact;
mod input;

use chrono::NaiveDate;
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use compact::Node;
use input::{Args, Obj};

use crate::agreement::{AgreementType, Channel, Environment};
use crate::countries;
use crate::date::{format_date, parse_agreed_date_time, parse_date, Today};
use crate::form::{self, ConfirmationForm, Context, PartnerType, Report, Role};
use crate::gate::{self, Action, Confirmation, Offer};
use crate::issues::{Field, Issue};
use crate::messages::{self, Locale};
use crate::payload::{Agreement, AgreementPayload};
use crate::status::{self, Phase, Scope};
use crate::timeline::{MilestoneId, MilestoneScope, Policy};

#[wasm_bindgen(typescript_custom_section)]
const TS_CODES: &'static str = r#"
/** Stable codes of form problems (errors and warnings). */
export type IssueCode =
  | "required" | "invalid-agreement-type" | "agreement-not-acceptable" | "last-day-of-transition"
  | "invalid-date" | "future-date" | "after-retirement" | "before-availability" | "too-long"
  | "invalid-characters" | "invalid-email" | "invalid-phone" | "invalid-customer-id"
  | "unknown-country" | "unsupported-language" | "role-not-allowed" | "duplicate-confirmation"
  | "template-mismatch";
/* Shorter forms of the functions whose last arguments are optional. */
export function agreementStatus(agreementType: AgreementType, date: string): AgreementStatus;
export function timeline(): Milestone[];
export function timeline(policy: Policy | undefined): Milestone[];
export function validateConfirmation(form: ConfirmationForm): ValidationResult;
export function validateField(field: Field, value: string): FieldIssue[];
export function today(): TodayInfo;
export function labels(): FieldLabels;
/** Stable codes of order-gate reasons. */
export type GateReasonCode =
  | "renewal-not-gated" | "confirmed" | "no-confirmation" | "cloud-agreement-no-longer-counts"
  | "offer-requires-customer-agreement" | "offer-not-available";
"#;

// ---------------------------------------------------------------------------------------------
// Shapes crossing the boundary
// ---------------------------------------------------------------------------------------------

/// Options of `agreementStatus`.
#[derive(Debug, Default, Tsify)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusOptions {
    /// Default `production`.
    #[tsify(optional)]
    pub environment: Option<Environment>,
    /// Default `dashboard`; only the sandbox previews depend on it.
    #[tsify(optional)]
    pub channel: Option<Channel>,
    /// A custom policy (fields left out keep their defaults).
    #[tsify(optional)]
    pub policy: Option<Policy>,
    /// Language of the warnings' messages; default `en-US`.
    #[tsify(optional)]
    pub locale: Option<Locale>,
}

/// A code with its localized message.
#[derive(Debug, Serialize, Tsify)]
pub struct CodedMessage<C> {
    pub code: C,
    pub message: String,
}

/// The verdict of `agreementStatus`.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AgreementStatus {
    pub agreement_type: AgreementType,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub acceptable: bool,
    pub phase: Phase,
    /// The milestone the verdict rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub milestone: Option<MilestoneId>,
    #[tsify(type = "{ code: IssueCode; message: string }[]")]
    pub warnings: Vec<CodedMessage<&'static str>>,
}

/// A milestone of the timeline, with its text in the requested language.
#[derive(Debug, Serialize, Tsify)]
pub struct Milestone {
    pub id: MilestoneId,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub environment: MilestoneScope,
    pub title: String,
    pub details: String,
}

/// A customer's confirmation, for `orderGate`: an agreement read back from the backend fits.
#[derive(Debug, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationInput {
    #[serde(rename = "type")]
    pub agreement_type: AgreementType,
    /// `YYYY-MM-DD`, or a date-time as the backend returns it.
    pub date_agreed: String,
}

/// The question of `orderGate`.
#[derive(Debug, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrderGateRequest {
    /// `YYYY-MM-DD`: the day of the order.
    pub date: String,
    pub action: Action,
    /// Default `standard`.
    #[serde(default)]
    #[tsify(optional)]
    pub offer: Option<Offer>,
    #[serde(default)]
    #[tsify(optional)]
    pub confirmations: Vec<ConfirmationInput>,
    #[serde(default)]
    #[tsify(optional)]
    pub environment: Option<Environment>,
    #[serde(default)]
    #[tsify(optional)]
    pub policy: Option<Policy>,
    #[serde(default)]
    #[tsify(optional)]
    pub locale: Option<Locale>,
}

/// The answer of `orderGate`.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrderGateVerdict {
    pub allowed: bool,
    /// When not allowed: the agreement to have the customer accept and confirm.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub required_agreement: Option<AgreementType>,
    /// The agreements whose confirmations count for this action and offer on the date.
    pub accepted_agreements: Vec<AgreementType>,
    #[tsify(type = "{ code: GateReasonCode; message: string }")]
    pub reason: CodedMessage<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub milestone: Option<MilestoneId>,
    /// `YYYY-MM-DD` of the milestone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub milestone_date: Option<String>,
}

/// Options of `validateConfirmation`, `validateField` and `today`.
#[derive(Debug, Default, Clone, Tsify)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidationOptions {
    /// The user's local date (`YYYY-MM-DD`). With `utcToday`, both left out: read from the
    /// browser clock; only one given: used for both.
    #[tsify(optional)]
    pub local_today: Option<String>,
    /// The UTC date (`YYYY-MM-DD`).
    #[tsify(optional)]
    pub utc_today: Option<String>,
    /// Language of the messages; default `en-US`.
    #[tsify(optional)]
    pub locale: Option<Locale>,
    /// The signed-in user's role; when given, only `admin-agent` and `sales-agent` may confirm.
    #[tsify(optional, type = "Role")]
    pub role: Option<String>,
    #[tsify(optional)]
    pub partner_type: Option<PartnerType>,
    #[tsify(optional)]
    pub environment: Option<Environment>,
    #[tsify(optional)]
    pub channel: Option<Channel>,
    #[tsify(optional)]
    pub policy: Option<Policy>,
    /// The customer's confirmations as read back from the backend (duplicate check).
    #[tsify(optional)]
    pub existing: Option<Vec<Agreement>>,
    /// The template id from the backend's metadata; default: the well-known one.
    #[tsify(optional)]
    pub template_id: Option<String>,
    /// For `validateField`: the rest of the form, as context (agreement type, country...).
    #[tsify(optional)]
    pub form: Option<ConfirmationForm>,
}

/// A problem on a field, with its localized message.
#[derive(Debug, Serialize, Tsify)]
pub struct FieldIssue {
    pub field: Field,
    #[tsify(type = "IssueCode")]
    pub code: &'static str,
    pub message: String,
}

/// The outcome of `validateConfirmation`.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ValidationResult {
    pub valid: bool,
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldIssue>,
    /// The exact body of `POST /v1/customers/{customerId}/agreements`, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub payload: Option<AgreementPayload>,
    /// The customer id, lower case without braces, when given and valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub customer_id: Option<String>,
    /// The template country (upper case), when given and known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub country: Option<&'static str>,
    /// The template language (canonical spelling; `en-US` when none was given), when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub language: Option<&'static str>,
}

/// The calendar days the checks use.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TodayInfo {
    /// The user's local date.
    pub local: String,
    /// The UTC date.
    pub utc: String,
    /// The latest date of acceptance allowed: the `max` of the date input.
    pub latest_agreed_date: String,
    /// The day an agreement must be acceptable on (the later of the two).
    pub submission_day: String,
    /// Whether the local date is ahead of UTC (the message then explains it).
    pub local_is_ahead: bool,
}

/// A row of the template country table.
#[derive(Debug, Serialize, Tsify)]
pub struct Country {
    /// Upper-case code, e.g. `FR`.
    pub code: &'static str,
    /// English name from the table.
    pub name: &'static str,
    /// Template languages, e.g. `["en-US", "fr-FR"]`.
    pub languages: &'static [&'static str],
}

/// A well-known agreement template.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub agreement_type: AgreementType,
    pub template_id: &'static str,
    pub agreement_link: &'static str,
}

/// The label of each field, for forms.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabels {
    pub agreement_type: &'static str,
    pub date_agreed: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub phone_number: &'static str,
    pub customer_id: &'static str,
    pub country: &'static str,
    pub language: &'static str,
    pub role: &'static str,
    /// Of a new customer's account information.
    pub company_name: &'static str,
    pub domain: &'static str,
    /// Names of the agreements.
    pub microsoft_customer_agreement: &'static str,
    pub microsoft_cloud_agreement: &'static str,
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// A result, from its string.
    fn decode(text: &str) -> JsValue;
}

/// A result as a plain JS value: one string across the boundary, read by `js/boundary.js`.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    from_text(compact::to_text(value))
}

/// The part of `to_js` that does not depend on the type (compiled once, not once per result).
#[inline(never)]
fn from_text(text: Result<String, compact::Unsupported>) -> Result<JsValue, JsError> {
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

fn date_arg(what: &str, value: &str) -> Result<NaiveDate, JsError> {
    parse_date(value).ok_or_else(|| {
        JsError::new(&format!(
            "{what}: {} is not a calendar date written YYYY-MM-DD",
            input::quote(value)
        ))
    })
}

fn locale_arg(value: &JsValue) -> Locale {
    Locale::parse(&value.as_string().unwrap_or_default())
}

fn read_status_options(value: &Node) -> Result<StatusOptions, JsError> {
    let Some(obj) = Obj::optional("options", value)? else {
        return Ok(StatusOptions::default());
    };
    Ok(StatusOptions {
        environment: obj.wire("environment")?,
        channel: obj.wire("channel")?,
        policy: Some(input::policy(obj.object("policy")?)?),
        locale: obj.string("locale")?.map(|l| Locale::parse(&l)),
    })
}

fn read_gate_request(value: &Node) -> Result<OrderGateRequest, JsError> {
    let obj = Obj::required("request", value)?;
    // Loops rather than `collect::<Result<Vec<_>, _>>()`: 0.3 KB less of wasm each.
    let mut confirmations = Vec::new();
    for (path, item) in obj.array("confirmations")? {
        let item = Obj::required(&path, item)?;
        confirmations.push(ConfirmationInput {
            agreement_type: item
                .wire("type")?
                .ok_or_else(|| JsError::new(&format!("{path}.type: expected an agreement type")))?,
            date_agreed: item.required_string("dateAgreed")?,
        });
    }
    Ok(OrderGateRequest {
        date: obj.required_string("date")?,
        action: obj
            .wire("action")?
            .ok_or_else(|| JsError::new("request.action: expected an action"))?,
        offer: obj.wire("offer")?,
        confirmations,
        environment: obj.wire("environment")?,
        policy: Some(input::policy(obj.object("policy")?)?),
        locale: obj.string("locale")?.map(|l| Locale::parse(&l)),
    })
}

fn read_form(obj: Option<Obj>) -> Result<ConfirmationForm, JsError> {
    let Some(obj) = obj else {
        return Ok(ConfirmationForm::default());
    };
    let mut form = ConfirmationForm::default();
    for &field in Field::ALL {
        if let Some(slot) = form.slot(field) {
            *slot = obj.string(field.as_str())?.unwrap_or_default();
        }
    }
    Ok(form)
}

fn read_validation_options(value: &Node) -> Result<ValidationOptions, JsError> {
    let Some(obj) = Obj::optional("options", value)? else {
        return Ok(ValidationOptions::default());
    };
    let mut existing = Vec::new();
    for (path, item) in obj.array("existing")? {
        existing.push(input::agreement(&path, item)?);
    }
    Ok(ValidationOptions {
        local_today: obj.string("localToday")?,
        utc_today: obj.string("utcToday")?,
        locale: obj.string("locale")?.map(|l| Locale::parse(&l)),
        role: obj.string("role")?,
        partner_type: obj.wire("partnerType")?,
        environment: obj.wire("environment")?,
        channel: obj.wire("channel")?,
        policy: Some(input::policy(obj.object("policy")?)?),
        existing: Some(existing),
        template_id: obj.string("templateId")?,
        form: Some(read_form(obj.object("form")?)?),
    })
}

/// Today in the browser: the local and the UTC calendar dates of `new Date()`.
fn browser_today() -> Today {
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

fn today_of(options: &ValidationOptions) -> Result<Today, JsError> {
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

fn context_of(options: ValidationOptions) -> Result<(Context, Locale, ConfirmationForm), JsError> {
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
        existing: options.existing.unwrap_or_default(),
        template_id: options.template_id,
    };
    Ok((
        context,
        options.locale.unwrap_or_default(),
        options.form.unwrap_or_default(),
    ))
}

fn field_issues(issues: &[Issue], locale: Locale) -> Vec<FieldIssue> {
    issues
        .iter()
        .map(|issue| FieldIssue {
            field: issue.field,
            code: issue.code(),
            message: messages::issue_message(issue, locale),
        })
        .collect()
}

fn result_of(report: Report, locale: Locale) -> ValidationResult {
    ValidationResult {
        valid: report.is_valid(),
        errors: field_issues(&report.errors, locale),
        warnings: field_issues(&report.warnings, locale),
        payload: report.payload,
        customer_id: report.customer_id,
        country: report.country,
        language: report.language,
    }
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

/// Whether the Microsoft Cloud Agreement can be confirmed in production on `date`
/// (`YYYY-MM-DD`), with the built-in policy: true up to and including 2020-01-31.
/// Throws an `Error` when `date` is not a real calendar date.
#[wasm_bindgen(js_name = isCloudAgreementAcceptable)]
pub fn is_cloud_agreement_acceptable(date: &str) -> Result<bool, JsError> {
    Ok(status::is_cloud_agreement_acceptable(
        date_arg("date", date)?,
        &Policy::DEFAULT,
    ))
}

/// Whether `agreementType` can be confirmed on `date` (`YYYY-MM-DD`), in which phase of the
/// transition it is, the milestone behind the verdict, and warnings (the Cloud Agreement's last
/// day).
#[wasm_bindgen(js_name = agreementStatus, unchecked_return_type = "AgreementStatus")]
pub fn agreement_status(
    #[wasm_bindgen(js_name = agreementType, unchecked_param_type = "AgreementType")]
    agreement_type: JsValue,
    date: &str,
    #[wasm_bindgen(unchecked_param_type = "StatusOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::of(&agreement_type, &options, &JsValue::UNDEFINED);
    let [agreement_type, options, _] = args.nodes()?;
    let text = match agreement_type {
        Node::Str(text) => text,
        _ => "",
    };
    let agreement: AgreementType = input::wire_value("agreementType", text)?;
    let date = date_arg("date", date)?;
    let options = read_status_options(&options)?;
    let locale = options.locale.unwrap_or_default();
    let scope = Scope {
        environment: options.environment.unwrap_or_default(),
        channel: options.channel.unwrap_or_default(),
        policy: options.policy.unwrap_or_default(),
    };
    let status = status::agreement_status(agreement, date, &scope);
    to_js(&AgreementStatus {
        agreement_type: status.agreement_type,
        date: format_date(status.date),
        acceptable: status.acceptable,
        phase: status.phase,
        milestone: status.milestone,
        warnings: status
            .warnings
            .into_iter()
            .map(|problem| {
                let issue = Issue::new(Field::AgreementType, problem);
                CodedMessage {
                    code: issue.code(),
                    message: messages::issue_message(&issue, locale),
                }
            })
            .collect(),
    })
}

/// The milestones of the timeline (the built-in policy, or `policy` with its overrides), with
/// their title and details in `locale` (default `en-US`).
#[wasm_bindgen(unchecked_return_type = "Milestone[]")]
pub fn timeline(
    #[wasm_bindgen(unchecked_param_type = "Policy | undefined")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Locale | string | undefined")] locale: JsValue,
) -> Result<JsValue, JsError> {
    let locale = locale_arg(&locale);
    let args = Args::one(&policy);
    let [policy, _, _] = args.nodes()?;
    let policy = input::policy(Obj::optional("policy", &policy)?)?;
    let milestones: Vec<Milestone> = policy
        .milestones()
        .map(|m| {
            let (title, details) = messages::milestone_text(m.id, locale);
            Milestone {
                id: m.id,
                date: m.date_string(),
                environment: m.scope,
                title: title.into(),
                details: details.into(),
            }
        })
        .collect();
    to_js(&milestones)
}

/// The built-in policy: the dates of the timeline, in the shape a custom policy takes.
#[wasm_bindgen(js_name = defaultPolicy, unchecked_return_type = "Policy")]
pub fn default_policy() -> Result<JsValue, JsError> {
    to_js(&Policy::DEFAULT)
}

/// Checks a custom policy (for example `JSON.parse` of a file): fields left out keep their
/// defaults; an unknown field, a date that is not `YYYY-MM-DD` or dates out of order throw an
/// `Error` saying what is wrong. Returns the complete policy.
#[wasm_bindgen(js_name = checkPolicy, unchecked_return_type = "Policy")]
pub fn check_policy(
    #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&policy);
    let [policy, _, _] = args.nodes()?;
    to_js(&input::policy(Some(Obj::required("policy", &policy)?))?)
}

/// Whether a partner may place a new order, change a seat count or renew, for an offer, given
/// the customer's confirmations: `{ allowed, requiredAgreement?, acceptedAgreements, reason }`.
#[wasm_bindgen(js_name = orderGate, unchecked_return_type = "OrderGateVerdict")]
pub fn order_gate(
    #[wasm_bindgen(unchecked_param_type = "OrderGateRequest")] request: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&request);
    let [request, _, _] = args.nodes()?;
    let request = read_gate_request(&request)?;
    let date = date_arg("date", &request.date)?;
    let mut confirmations = Vec::new();
    for c in &request.confirmations {
        let date_agreed = parse_agreed_date_time(&c.date_agreed).ok_or_else(|| {
            JsError::new(&format!(
                "confirmations: dateAgreed {} is not a date",
                input::quote(&c.date_agreed)
            ))
        })?;
        confirmations.push(Confirmation {
            agreement_type: c.agreement_type,
            date_agreed,
        });
    }
    let policy = request.policy.unwrap_or_default();
    let verdict = gate::order_gate(
        date,
        request.action,
        request.offer.unwrap_or_default(),
        &confirmations,
        request.environment.unwrap_or_default(),
        &policy,
    );
    let locale = request.locale.unwrap_or_default();
    to_js(&OrderGateVerdict {
        allowed: verdict.allowed,
        required_agreement: verdict.required_agreement,
        accepted_agreements: verdict.accepted_agreements.clone(),
        reason: CodedMessage {
            code: verdict.reason.code(),
            message: messages::gate_message(&verdict, locale),
        },
        milestone: verdict.milestone,
        milestone_date: verdict.milestone_date.map(format_date),
    })
}

/// Checks the whole confirmation form and returns every error and warning with a localized
/// message, and the exact payload to send when it is valid. Today's dates come from
/// `options.localToday`/`utcToday`, or from the browser clock.
#[wasm_bindgen(js_name = validateConfirmation, unchecked_return_type = "ValidationResult")]
pub fn validate_confirmation(
    #[wasm_bindgen(unchecked_param_type = "ConfirmationForm")] form: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::of(&form, &options, &JsValue::UNDEFINED);
    let [form, options, _] = args.nodes()?;
    let form = read_form(Some(Obj::required("form", &form)?))?;
    let (context, locale, _) = context_of(read_validation_options(&options)?)?;
    to_js(&result_of(form::validate(&form, &context), locale))
}

/// Checks one field as the user types. `options.form` gives the rest of the form as context
/// (the agreement type for the date, the country for the language). For `role`, `value` is the
/// role.
#[wasm_bindgen(js_name = validateField, unchecked_return_type = "FieldIssue[]")]
pub fn validate_field(
    #[wasm_bindgen(unchecked_param_type = "Field")] field: &str,
    value: &str,
    #[wasm_bindgen(unchecked_param_type = "ValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let field = Field::parse(field)
        .ok_or_else(|| JsError::new(&format!("field: unknown field {}", input::quote(field))))?;
    let args = Args::one(&options);
    let [options, _, _] = args.nodes()?;
    let (context, locale, form) = context_of(read_validation_options(&options)?)?;
    let report = form::validate_field(field, value, &form, &context);
    let mut issues = field_issues(&report.errors, locale);
    issues.extend(field_issues(&report.warnings, locale));
    to_js(&issues)
}

/// The calendar days the checks use: from `options.localToday`/`utcToday`, or the browser
/// clock. `latestAgreedDate` is the `max` of the date input.
#[wasm_bindgen(unchecked_return_type = "TodayInfo")]
pub fn today(
    #[wasm_bindgen(unchecked_param_type = "ValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&options);
    let [options, _, _] = args.nodes()?;
    let options = read_validation_options(&options)?;
    let today = today_of(&options)?;
    to_js(&TodayInfo {
        local: format_date(today.local),
        utc: format_date(today.utc),
        latest_agreed_date: format_date(today.latest_agreed_date()),
        submission_day: format_date(today.submission_day()),
        local_is_ahead: today.local_is_ahead(),
    })
}

/// The 246 countries/regions whose agreement template can be downloaded, with their languages.
#[wasm_bindgen(unchecked_return_type = "Country[]")]
pub fn countries() -> Result<JsValue, JsError> {
    let rows: Vec<Country> = countries::all()
        .map(|c| Country {
            code: c.code,
            name: c.name,
            languages: c.languages,
        })
        .collect();
    to_js(&rows)
}

/// The template languages of a country (case-insensitive code); empty for an unknown country.
#[wasm_bindgen(js_name = templateLanguages, unchecked_return_type = "string[]")]
pub fn template_languages(
    #[wasm_bindgen(js_name = countryCode)] country_code: &str,
) -> Result<JsValue, JsError> {
    to_js(&countries::find(country_code).map_or(&[][..], |c| c.languages))
}

/// The well-known templates of both agreements (the offline default of the metadata endpoint).
#[wasm_bindgen(unchecked_return_type = "Template[]")]
pub fn templates() -> Result<JsValue, JsError> {
    let rows: Vec<Template> = AgreementType::ALL
        .iter()
        .map(|t| {
            let template = t.default_template();
            Template {
                agreement_type: template.agreement_type,
                template_id: template.template_id,
                agreement_link: template.agreement_link,
            }
        })
        .collect();
    to_js(&rows)
}

/// The labels of the form's fields and the agreements' names, in `locale`.
#[wasm_bindgen(unchecked_return_type = "FieldLabels")]
pub fn labels(
    #[wasm_bindgen(unchecked_param_type = "Locale | string | undefined")] locale: JsValue,
) -> Result<JsValue, JsError> {
    let locale = locale_arg(&locale);
    let label = |f| messages::field_label(f, locale);
    to_js(&FieldLabels {
        agreement_type: label(Field::AgreementType),
        date_agreed: label(Field::DateAgreed),
        first_name: label(Field::FirstName),
        last_name: label(Field::LastName),
        email: label(Field::Email),
        phone_number: label(Field::PhoneNumber),
        customer_id: label(Field::CustomerId),
        country: label(Field::Country),
        language: label(Field::Language),
        role: label(Field::Role),
        company_name: label(Field::CompanyName),
        domain: label(Field::Domain),
        microsoft_customer_agreement: messages::agreement_name(
            AgreementType::MicrosoftCustomerAgreement,
            locale,
        ),
        microsoft_cloud_agreement: messages::agreement_name(
            AgreementType::MicrosoftCloudAgreement,
            locale,
        ),
    })
}

// A small free-list allocator: dlmalloc costs 3 KB more of the gzip budget, talc 1.4 KB more.
// wasm32-unknown-unknown (without the atomics feature) runs single-threaded.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
