//! What the client's promises resolve to and reject with, declared once: the TypeScript types
//! are derived from these shapes (Tsify), and each result crosses as one string (its
//! `Serialize` derive). Only a failure's `error` is made a real `Error` after the crossing
//! (`PartnerCenterError`), so that a portal's `instanceof Error` and stack traces work.

use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::convert::{field_issues, to_js};
use super::shapes::FieldIssue;
use crate::checks::issues::Issue;
use crate::checks::messages::{self, Locale};
use crate::flows::attestation::Attestation;
use crate::flows::backend::{BackendProblem, Failure};
use crate::flows::confirm::Note;
use crate::flows::payload::Agreement;
use crate::rules::route::Route;

/// A failed request, as rejected by the client's promises (and in the results' `error`): an
/// `Error` whose `name` is `PartnerCenterError`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PartnerCenterError {
    /// `"PartnerCenterError"`.
    #[tsify(type = "\"PartnerCenterError\"")]
    pub name: &'static str,
    /// What went wrong, in the client's language.
    pub message: String,
    /// What went wrong (stable code).
    pub code: BackendProblem,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// Partner Center's own error code, when given.
    pub error_code: Option<String>,
    /// Partner Center's own error name, when given.
    pub error_name: Option<String>,
    /// Field problems the server reported (localized).
    pub issues: Vec<FieldIssue>,
    /// Give this to support.
    pub correlation_id: String,
    /// Attempts made.
    pub attempts: u32,
}

impl PartnerCenterError {
    /// A failure as the client reports it, its texts in `locale`.
    pub fn of(failure: &Failure, correlation: &str, locale: Locale) -> PartnerCenterError {
        PartnerCenterError {
            name: "PartnerCenterError",
            message: messages::backend_message(failure.problem, locale).into(),
            code: failure.problem,
            status: failure.status,
            error_code: failure.body.code.clone(),
            error_name: failure.body.error_name.clone(),
            issues: field_issues(failure.issues(), locale),
            correlation_id: correlation.into(),
            attempts: failure.attempts,
        }
    }

    /// The `Error` the promises reject with: a JS `Error` holding these properties.
    pub fn to_error(&self) -> JsValue {
        let error = js_sys::Error::new(&self.message);
        if let Ok(properties) = to_js(self) {
            js_sys::Object::assign(&error, &properties.into());
        }
        error.into()
    }
}

/// Why a success comes with a note: the answer was lost and the confirmation (or the
/// completion) was found recorded (`already-recorded`), or it was recorded but the
/// confirmations could not be read again (`read-back-failed`: `agreements` is the list read
/// before, plus it).
#[derive(Debug, Serialize, Tsify)]
pub struct ConfirmNote {
    /// Which note.
    pub code: Note,
    /// It, in the client's language.
    pub message: String,
}

impl ConfirmNote {
    fn of(note: Note, locale: Locale) -> ConfirmNote {
        ConfirmNote {
            code: note,
            message: messages::note_message(note, locale).into(),
        }
    }
}

/// A request refused by the checks: nothing was sent.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ValidationFailure {
    /// `false`.
    #[tsify(type = "false")]
    pub ok: bool,
    /// `"validation"`.
    #[tsify(type = "\"validation\"")]
    pub stage: &'static str,
    /// The route the confirmation would have taken (`confirm` only).
    pub route: Option<Route>,
    /// What to fix.
    pub errors: Vec<FieldIssue>,
    /// What to look at.
    pub warnings: Vec<FieldIssue>,
    /// Give this to support.
    pub correlation_id: String,
    /// Why the ledger could not keep what happened.
    pub ledger_error: Option<String>,
}

/// A request refused by the backend, or that could not reach it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BackendFailure {
    /// `false`.
    #[tsify(type = "false")]
    pub ok: bool,
    /// `"backend"`.
    #[tsify(type = "\"backend\"")]
    pub stage: &'static str,
    /// The route the confirmation took (`confirm` only).
    pub route: Option<Route>,
    /// What went wrong.
    pub error: PartnerCenterError,
    /// The backend's field problems, as the form shows them.
    pub errors: Vec<FieldIssue>,
    /// What to look at.
    pub warnings: Vec<FieldIssue>,
    /// Give this to support.
    pub correlation_id: String,
    /// Why the ledger could not keep what happened.
    pub ledger_error: Option<String>,
}

/// A request refused by the checks (nothing sent) or by the backend.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum RequestFailure {
    /// Refused by the checks.
    Validation(ValidationFailure),
    /// Refused by the backend.
    Backend(BackendFailure),
}

impl RequestFailure {
    /// The failure with why the ledger could not keep it.
    pub fn with_ledger_error(mut self, error: Option<String>) -> RequestFailure {
        match &mut self {
            RequestFailure::Validation(f) => f.ledger_error = error,
            RequestFailure::Backend(f) => f.ledger_error = error,
        }
        self
    }
}

/// A confirmation recorded by the legacy POST.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Confirmed {
    /// `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// `"legacy"`.
    #[tsify(type = "\"legacy\"")]
    pub route: Route,
    /// What was recorded.
    pub agreement: Agreement,
    /// The customer's confirmations, it included.
    pub agreements: Vec<Agreement>,
    /// Give this to support.
    pub correlation_id: String,
    /// What to look at.
    pub warnings: Vec<FieldIssue>,
    /// Why it succeeded the way it did, when there is more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<ConfirmNote>,
}

/// An attestation created for the customer to accept (`confirm` on the enhanced route).
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AttestationCreated {
    /// `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// `"enhanced"`.
    #[tsify(type = "\"enhanced\"")]
    pub route: Route,
    /// The attestation, with the link to give the customer.
    pub attestation: Attestation,
    /// Give this to support.
    pub correlation_id: String,
    /// What to look at.
    pub warnings: Vec<FieldIssue>,
    /// Why the ledger could not keep it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger_error: Option<String>,
}

/// The outcome of `PartnerCenterClient.confirm`, tagged with the route it took
/// (`confirmationRoute` of the day): the legacy POST records the agreement; the enhanced route
/// creates an attestation for the customer to accept (then `completeAttestation`). Failures are
/// values: nothing typed is lost.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum ConfirmResult {
    /// Recorded by the legacy POST.
    Confirmed(Confirmed),
    /// Sent for the customer's acceptance.
    Created(AttestationCreated),
    /// Refused.
    Failed(RequestFailure),
}

/// An attestation read or created.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AttestationRead {
    /// `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// The attestation.
    pub attestation: Attestation,
    /// Give this to support.
    pub correlation_id: String,
    /// Why the ledger could not keep it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger_error: Option<String>,
}

/// The outcome of `createAttestation` and `attestation`.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum AttestationResult {
    /// Read or created.
    Read(AttestationRead),
    /// Refused.
    Failed(RequestFailure),
}

/// An attestation completed: the agreement recorded.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Completed {
    /// `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// The attestation.
    pub attestation_id: String,
    /// The agreement recorded (absent when the completion's answer was lost and the
    /// attestation says it is completed).
    pub agreement: Option<Agreement>,
    /// Why it succeeded the way it did, when there is more to say.
    pub note: Option<ConfirmNote>,
    /// Give this to support.
    pub correlation_id: String,
    /// Why the ledger could not keep it.
    pub ledger_error: Option<String>,
}

/// Not completed: the customer has not accepted (nothing sent).
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct NotAccepted {
    /// `false`.
    #[tsify(type = "false")]
    pub ok: bool,
    /// `"not-accepted"`.
    #[tsify(type = "\"not-accepted\"")]
    pub stage: &'static str,
    /// The attestation as read.
    pub attestation: Attestation,
    /// What it means, in the client's language.
    pub message: String,
    /// Give this to support.
    pub correlation_id: String,
    /// Why the ledger could not keep it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger_error: Option<String>,
}

/// The outcome of `completeAttestation`: the agreement recorded, or not accepted yet (nothing
/// sent).
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum CompletionResult {
    /// Recorded.
    Completed(Completed),
    /// Not accepted yet.
    NotAccepted(NotAccepted),
    /// Refused (written as `AttestationResult::Failed`: the same JSON).
    #[allow(dead_code)]
    Failed(RequestFailure),
}

/// A failure's result, its `error` (when the backend refused) a real `Error`.
fn failure_js(failure: &RequestFailure, value: JsValue) -> JsValue {
    if let RequestFailure::Backend(backend) = failure {
        let _ = js_sys::Reflect::set(&value, &"error".into(), &backend.error.to_error());
    }
    value
}

/// A result as its promise resolves to it.
pub trait Outcome: Serialize {
    /// Its failure, when it is one.
    fn failure(&self) -> Option<&RequestFailure>;

    /// One crossing, then the backend's error made an `Error`.
    fn to_js_result(&self) -> Result<JsValue, JsValue> {
        let value = to_js(self)?;
        Ok(match self.failure() {
            Some(failure) => failure_js(failure, value),
            None => value,
        })
    }
}

impl Outcome for ConfirmResult {
    fn failure(&self) -> Option<&RequestFailure> {
        match self {
            ConfirmResult::Failed(failure) => Some(failure),
            _ => None,
        }
    }
}

impl Outcome for AttestationResult {
    fn failure(&self) -> Option<&RequestFailure> {
        match self {
            AttestationResult::Failed(failure) => Some(failure),
            AttestationResult::Read(_) => None,
        }
    }
}

impl Outcome for CompletionResult {
    fn failure(&self) -> Option<&RequestFailure> {
        match self {
            CompletionResult::Failed(failure) => Some(failure),
            _ => None,
        }
    }
}

/// The pieces every result is built from: the request's correlation id and the language.
pub struct Results<'a> {
    /// The correlation id of the call.
    pub correlation: &'a str,
    /// The language of the messages.
    pub locale: Locale,
}

impl Results<'_> {
    /// Issues with their messages.
    pub fn issues(&self, issues: Vec<Issue>) -> Vec<FieldIssue> {
        field_issues(issues, self.locale)
    }

    /// A note with its message.
    pub fn note(&self, note: Option<Note>) -> Option<ConfirmNote> {
        note.map(|note| ConfirmNote::of(note, self.locale))
    }

    /// Refused by the checks.
    pub fn invalid(
        &self,
        route: Option<Route>,
        errors: Vec<Issue>,
        warnings: Vec<Issue>,
    ) -> RequestFailure {
        RequestFailure::Validation(ValidationFailure {
            ok: false,
            stage: "validation",
            route,
            errors: self.issues(errors),
            warnings: self.issues(warnings),
            correlation_id: self.correlation.into(),
            ledger_error: None,
        })
    }

    /// Refused by the backend.
    pub fn failed(
        &self,
        route: Option<Route>,
        failure: &Failure,
        client_locale: Locale,
        errors: Vec<Issue>,
        warnings: Vec<Issue>,
    ) -> RequestFailure {
        RequestFailure::Backend(BackendFailure {
            ok: false,
            stage: "backend",
            route,
            error: PartnerCenterError::of(failure, self.correlation, client_locale),
            errors: self.issues(errors),
            warnings: self.issues(warnings),
            correlation_id: self.correlation.into(),
            ledger_error: None,
        })
    }
}

/// The message of an attestation that is not accepted yet.
pub fn not_accepted_message(locale: Locale) -> String {
    messages::backend_message(BackendProblem::NotAccepted, locale).into()
}

// Partner Center's answers that the client hands over as they are: declared for their
// TypeScript types only (the module never builds them).

/// Metadata of an agreement (`GET /v1/agreements`).
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AgreementMetadata {
    /// The template to confirm with.
    pub template_id: String,
    /// Which agreement.
    pub agreement_type: crate::rules::agreement::AgreementType,
    /// Where its text can be read.
    pub agreement_link: String,
    /// Its rank among the agreement's versions.
    #[tsify(optional)]
    pub version_rank: Option<u32>,
}

/// A customer (Partner Center's Customer resource, the parts the sandbox keeps).
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Its id.
    pub id: String,
    /// Its company.
    pub company_profile: CompanyProfile,
    /// Its billing profile.
    pub billing_profile: BillingProfile,
}

/// A customer's company.
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    /// Its Microsoft Entra tenant.
    pub tenant_id: String,
    /// Its domain.
    pub domain: String,
    /// Its name.
    pub company_name: String,
}

/// A customer's billing profile.
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BillingProfile {
    /// The company's name.
    pub company_name: String,
    /// The billing contact's email.
    pub email: String,
    /// Its culture (`fr-FR`).
    #[tsify(optional)]
    pub culture: Option<String>,
    /// The contact's first name.
    #[tsify(optional)]
    pub first_name: Option<String>,
    /// The contact's last name.
    #[tsify(optional)]
    pub last_name: Option<String>,
    /// The billing address.
    pub default_address: DefaultAddress,
}

/// A billing address.
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DefaultAddress {
    /// Its country (ISO code).
    pub country: String,
    /// The contact's first name.
    pub first_name: String,
    /// The contact's last name.
    pub last_name: String,
    /// The contact's phone number.
    #[tsify(optional)]
    pub phone_number: Option<String>,
}

/// A template document link (expires after five minutes).
#[allow(dead_code)]
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AgreementDocument {
    /// The page that shows it.
    pub display_uri: String,
    /// The file to download.
    pub download_uri: String,
    /// Its language.
    pub language: String,
    /// Its country.
    pub country: String,
}
