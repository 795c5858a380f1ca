//! The exported functions: each reads its arguments, runs the rules, writes its result.

use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::convert::*;
use super::input::{self, form_arg, Args, FromNode, Options};
use super::shapes::*;

use super::validator::Validator;
use crate::checks::issues::{Field, Issue};
use crate::checks::messages::{self};
use crate::rules::agreement::AgreementType;
use crate::rules::countries;
use crate::rules::date::{format_date, parse_agreed_date_time};
use crate::rules::gate::{self, Confirmation};
use crate::rules::status::{self, Scope};
use crate::rules::timeline::Policy;

// validateConfirmation's overloads, written by `result_by_route!` from its result's variants
// (`shapes.rs`), given to wasm-bindgen beside the function.
#[wasm_bindgen(typescript_custom_section)]
const TS_OVERLOADS: &'static str = OVERLOADS;

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
    #[wasm_bindgen(unchecked_optional_param_type = "StatusOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::of(&agreement_type, &options, &JsValue::UNDEFINED);
    let [agreement_type, options, _] = args.nodes()?;
    let text = match agreement_type {
        Node::Str(text) => text,
        _ => "",
    };
    let agreement: AgreementType = input::wire_value("agreementType", text)?;
    let date = date_arg("date", date)?;
    let options: StatusOptions = input::options_of("options", &options)?;
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
    #[wasm_bindgen(unchecked_optional_param_type = "Policy")] policy: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Locale | string")] locale: JsValue,
) -> Result<JsValue, JsError> {
    let locale = locale_arg(&locale);
    let args = Args::one(&policy);
    let [policy, _, _] = args.nodes()?;
    let policy: Policy = input::options_of("policy", &policy)?;
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
    to_js(&Policy::read("policy", &policy)?)
}

/// Whether a partner may place a new order, change a seat count or renew, for an offer, given
/// the customer's confirmations: `{ allowed, requiredAgreement?, acceptedAgreements, reason }`.
#[wasm_bindgen(js_name = orderGate, unchecked_return_type = "OrderGateVerdict")]
pub fn order_gate(
    #[wasm_bindgen(unchecked_param_type = "OrderGateRequest")] request: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&request);
    let [request, _, _] = args.nodes()?;
    let request = OrderGateRequest::read("request", &request)?;
    let date = date_arg("date", &request.date)?;
    let mut confirmations = Vec::new();
    for c in &request.confirmations {
        let date_agreed = parse_agreed_date_time(&c.date_agreed).ok_or_else(|| {
            JsError::new(&crate::text!(
                "confirmations: dateAgreed ",
                input::quote(&c.date_agreed),
                " is not a date"
            ))
        })?;
        confirmations.push(Confirmation {
            agreement_type: c.agreement_type,
            date_agreed,
            by: c.accepted_by.unwrap_or_default(),
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
        partner_center_code: verdict.partner_center_code(),
    })
}

/// Checks the whole confirmation form for the route of the day (or `options.route`) and returns
/// every error and warning with a localized message, and what to send when it is valid: on the
/// legacy route the exact payload of the POST, on the enhanced route (from 2026-01-05) the
/// attestation to create (no date of acceptance is asked: the customer accepts on the day they
/// do). Today's dates come from `options.localToday`/`utcToday`, or from the browser clock.
#[wasm_bindgen(js_name = validateConfirmation, unchecked_return_type = "ConfirmationValidation")]
pub fn validate_confirmation(
    #[wasm_bindgen(unchecked_param_type = "ConfirmationForm")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::form_options(&form, &options);
    Options::forgotten_on_error(|| {
        let (form, options) = args.first_and_second_text()?;
        let form = form_arg("form", &form)?;
        let options = match options {
            "=" => Options::Last,
            text => Options::Text(text),
        };
        with_validator(options, &mut |validator| {
            validator.confirmation(form.view())
        })
    })
}

/// Checks one field as the user types. `options.form` gives the rest of the form as context
/// (the agreement type for the date, the country for the language). For `role`, `value` is the
/// role.
#[wasm_bindgen(js_name = validateField, unchecked_return_type = "FieldReport")]
pub fn validate_field(
    #[wasm_bindgen(unchecked_param_type = "Field")] field: &str,
    value: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let field = field_arg(field)?;
    Options::of_field(&options, |options| {
        with_validator(options, &mut |validator| {
            validator.field(field, value, None)
        })
    })
}

/// Runs `check` with the validator of the options. The same options as the last call (a
/// portal checking each keystroke, the field's check or the form's) are read once: JavaScript
/// keeps their text and sends a mark instead ([`Options`]). Its callers make JavaScript forget
/// them when the call fails.
fn with_validator(
    options: Options,
    // One copy, whatever the check (`dyn`).
    check: &mut dyn FnMut(&mut Validator) -> Result<JsValue, JsError>,
) -> Result<JsValue, JsError> {
    LAST_OPTIONS.with(|last| {
        let mut last = last.borrow_mut();
        let validator = match (options, &mut *last) {
            (Options::Last, Some(validator)) => validator,
            (options, slot) => {
                // Nothing is kept until these options are read: a call that fails here leaves
                // no validator of other options behind.
                *slot = None;
                let text = match options {
                    Options::Text(text) => std::borrow::Cow::Borrowed(text),
                    Options::Last => std::borrow::Cow::Owned(input::last_options()),
                };
                let read = Node::parse_one(&text)
                    .ok_or_else(|| JsError::new("the arguments could not be read"))
                    .and_then(|options| Validator::of_node(&options));
                slot.insert(read?)
            }
        };
        check(validator)
    })
}

thread_local! {
    /// What was read from the options `validateConfirmation` or `validateField` was last given
    /// (JavaScript keeps their text).
    static LAST_OPTIONS: std::cell::RefCell<Option<Validator>> =
        const { std::cell::RefCell::new(None) };
}

/// The calendar days the checks use: from `options.localToday`/`utcToday`, or the browser
/// clock. `latestAgreedDate` is the `max` of the date input.
#[wasm_bindgen(unchecked_return_type = "TodayInfo")]
pub fn today(
    #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&options);
    let [options, _, _] = args.nodes()?;
    let options = validation_options(&options)?.check;
    let today = today_of(&options)?;
    to_js(&TodayInfo {
        local: format_date(today.local),
        utc: format_date(today.utc),
        latest_agreed_date: format_date(today.latest_agreed_date()),
        submission_day: format_date(today.submission_day()),
        local_is_ahead: today.local_is_ahead(),
    })
}

/// Which way a confirmation goes on Partner Center's day (`options.utcToday`, or the browser's
/// UTC date): `legacy` (`POST /v1/customers/{id}/agreements`) until the legacy attestation's
/// retirement, `enhanced` (create an attestation, the customer accepts, complete) from it.
#[wasm_bindgen(js_name = confirmationRoute, unchecked_return_type = "ConfirmationRoute")]
pub fn confirmation_route(
    #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = Args::one(&options);
    let [options, _, _] = args.nodes()?;
    let options = validation_options(&options)?.check;
    let day = today_of(&options)?.utc;
    let policy = options.policy.unwrap_or_default();
    let choice = crate::rules::route::confirmation_route(
        day,
        options.environment.unwrap_or_default(),
        &policy,
    );
    to_js(&ConfirmationRoute {
        route: choice.route,
        enhanced_available: choice.enhanced_available,
        milestone: choice.milestone,
        milestone_date: choice.milestone.map(|id| format_date(policy.date_of(id))),
        day: format_date(day),
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

/// The controls of the confirmation form, in the order a form shows them: each field, the
/// control that takes it, and whether only the legacy route asks for it. The element draws its
/// form from these.
#[cfg(feature = "client")]
#[wasm_bindgen(js_name = formControls, unchecked_return_type = "FormControl[]")]
pub fn form_controls() -> Result<JsValue, JsError> {
    let control = |&field: &Field| FormControl {
        field,
        control: field.control(),
        legacy_only: field.legacy_only(),
    };
    to_js(&Field::CONTROLS.each_ref().map(control))
}

/// The labels of the form's fields and the agreements' names, in `locale`.
#[wasm_bindgen(unchecked_return_type = "FieldLabels")]
pub fn labels(
    #[wasm_bindgen(unchecked_optional_param_type = "Locale | string")] locale: JsValue,
) -> Result<JsValue, JsError> {
    let locale = locale_arg(&locale);
    to_js(&FieldLabels::of(locale))
}
