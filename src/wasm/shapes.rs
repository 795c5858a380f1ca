//! The shapes that cross the boundary, each declared once: its TypeScript type is derived from
//! it (Tsify), its result writer from its `Serialize` derive.

use csp_agreements_derive::{optional_members, Readable};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::checks::form::{ConfirmationForm, PartnerType};
use crate::checks::issues::{Field, IssueCode, Problem};
use crate::checks::messages::Locale;
use crate::flows::payload::{Agreement, AgreementPayload};
use crate::rules::agreement::{AgreementType, Channel, Environment};
use crate::rules::gate::{AcceptedBy, Action, GateReasonCode, Offer};
use crate::rules::route::Route;
use crate::rules::status::Phase;
use crate::rules::timeline::{MilestoneId, MilestoneScope, Policy};

/// Options of `agreementStatus`.
#[optional_members]
#[derive(Debug, Default, Tsify, Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusOptions {
    /// Default `production`.
    pub environment: Option<Environment>,
    /// Default `dashboard`; only the sandbox previews depend on it.
    pub channel: Option<Channel>,
    /// A custom policy (fields left out keep their defaults).
    pub policy: Option<Policy>,
    /// Language of the warnings' messages; default `en-US`.
    pub locale: Option<Locale>,
}

/// A code with its localized message.
#[derive(Debug, Serialize, Tsify)]
pub struct CodedMessage<C> {
    /// The stable code.
    pub code: C,
    /// Its message, in the requested language.
    pub message: String,
}

/// The verdict of `agreementStatus`.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AgreementStatus {
    /// The agreement asked about.
    pub agreement_type: AgreementType,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Whether it can be confirmed on that date.
    pub acceptable: bool,
    /// Where it stands in the transition.
    pub phase: Phase,
    /// The milestone the verdict rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<MilestoneId>,
    /// Warnings (the Cloud Agreement on its last day).
    pub warnings: Vec<CodedMessage<IssueCode>>,
}

/// A milestone of the timeline, with its text in the requested language.
#[derive(Debug, Serialize, Tsify)]
pub struct Milestone {
    /// Stable id.
    pub id: MilestoneId,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where it applies.
    pub environment: MilestoneScope,
    /// Short title, in the requested language.
    pub title: String,
    /// What happens, in the requested language.
    pub details: String,
}

/// A customer's confirmation, for `orderGate`: an agreement read back from the backend fits.
#[derive(Debug, Tsify, Readable)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationInput {
    #[serde(rename = "type")]
    /// The agreement confirmed (`type`, as the backend returns it).
    pub agreement_type: AgreementType,
    /// `YYYY-MM-DD`, or a date-time as the backend returns it.
    pub date_agreed: String,
    /// Who recorded it; default `partner` (an agreement read back from the backend).
    #[tsify(optional)]
    pub accepted_by: Option<AcceptedBy>,
}

/// The question of `orderGate`.
#[optional_members]
#[derive(Debug, Tsify, Readable)]
#[serde(rename_all = "camelCase")]
pub struct OrderGateRequest {
    /// `YYYY-MM-DD`: the day of the order.
    pub date: String,
    /// What the partner wants to do.
    pub action: Action,
    /// Default `standard`.
    pub offer: Option<Offer>,
    #[tsify(optional)]
    /// The customer's confirmations.
    pub confirmations: Vec<ConfirmationInput>,
    /// Default `production`.
    pub environment: Option<Environment>,
    /// A custom policy of dates; default: the timeline of Partner Center.
    pub policy: Option<Policy>,
    /// Language of the message; default `en-US`.
    pub locale: Option<Locale>,
}

/// The answer of `orderGate`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrderGateVerdict {
    /// Whether the action may go ahead.
    pub allowed: bool,
    /// When not allowed: the agreement to have the customer accept and confirm.
    pub required_agreement: Option<AgreementType>,
    /// The agreements whose confirmations count for this action and offer on the date.
    pub accepted_agreements: Vec<AgreementType>,
    /// Why, with its message.
    pub reason: CodedMessage<GateReasonCode>,
    /// The milestone the verdict rests on.
    pub milestone: Option<MilestoneId>,
    /// `YYYY-MM-DD` of the milestone.
    pub milestone_date: Option<String>,
    /// The error Partner Center answers such an order with (403, code 13605), when refused for
    /// want of an acceptance of the Customer Agreement.
    pub partner_center_code: Option<u32>,
}

/// The options every check takes: the days, the language, who confirms, the environment and
/// its policy, the template and the route.
#[optional_members]
#[derive(Debug, Default, Clone, Tsify, Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct CheckOptions {
    /// The user's local date (`YYYY-MM-DD`). With `utcToday`, both left out: read from the
    /// browser clock; only one given: used for both.
    pub local_today: Option<String>,
    /// The UTC date (`YYYY-MM-DD`).
    pub utc_today: Option<String>,
    /// Language of the messages; default `en-US`.
    pub locale: Option<Locale>,
    /// The signed-in user's role; when given, only `admin-agent` and `sales-agent` may confirm.
    #[tsify(optional, type = "Role")]
    pub role: Option<String>,
    /// The partner's type; an indirect reseller may not confirm.
    pub partner_type: Option<PartnerType>,
    /// Default `production`.
    pub environment: Option<Environment>,
    /// The sandbox channel (its preview dates differ); default `api`.
    pub channel: Option<Channel>,
    /// A custom policy of dates; default: the timeline of Partner Center.
    pub policy: Option<Policy>,
    /// The template id from the backend's metadata; default: the well-known one.
    pub template_id: Option<String>,
    /// The route to check a confirmation for; default: the route of Partner Center's day
    /// (`confirmationRoute`): on the enhanced route no date of acceptance is asked.
    pub route: Option<Route>,
}

/// Options of `validateConfirmation`, `validateField` and `today`: those of every check, and
/// the customer's confirmations and the rest of the form.
#[optional_members]
#[derive(Debug, Default, Clone, Tsify, Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidationOptions {
    /// The options of every check.
    #[serde(flatten)]
    pub check: CheckOptions,
    /// The customer's confirmations as read back from the backend (duplicate check).
    pub existing: Option<Vec<Agreement>>,
    /// For `validateField`: the rest of the form, as context (agreement type, country...).
    pub form: Option<ConfirmationForm>,
}

/// A problem on a field: its stable code with the parameters of its message (`code` and
/// `params`, a union narrowed by the code: `too-long` has `params.max`), for a portal writing
/// messages of its own, and the message in the requested language.
#[derive(Debug, Serialize, Tsify)]
pub struct FieldIssue {
    /// The field concerned.
    pub field: Field,
    /// The stable code and its parameters (a union: declared as a type, which an interface
    /// cannot extend).
    #[serde(flatten)]
    #[tsify(type = "Problem")]
    pub problem: Problem,
    /// The message, in the requested language.
    pub message: String,
}

/// The outcome of `validateConfirmation`: narrow on `valid`, the payload is there exactly when
/// the form is valid.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum ValidationResult {
    /// No errors.
    Valid(ValidResult),
    /// At least one error.
    Invalid(InvalidResult),
}

/// A valid form: no errors, perhaps warnings, and what to send.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ValidResult {
    #[tsify(type = "true")]
    /// Always true.
    pub valid: bool,
    #[tsify(type = "[]")]
    /// Always empty.
    pub errors: Vec<FieldIssue>,
    /// Warnings worth showing.
    pub warnings: Vec<FieldIssue>,
    /// The exact body of `POST /v1/customers/{customerId}/agreements`.
    pub payload: AgreementPayload,
    /// The customer id, lower case without braces, when given.
    pub customer_id: Option<String>,
    /// The template country (upper case), when given.
    pub country: Option<&'static str>,
    /// The template language (canonical spelling; `en-US` when none was given).
    pub language: &'static str,
    /// The route it was checked for.
    #[tsify(type = "\"legacy\"")]
    pub route: Route,
}

/// A form with errors.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct InvalidResult {
    #[tsify(type = "false")]
    /// Always false.
    pub valid: bool,
    /// At least one.
    pub errors: Vec<FieldIssue>,
    /// Warnings worth showing.
    pub warnings: Vec<FieldIssue>,
    /// The customer id, lower case without braces, when given and valid.
    pub customer_id: Option<String>,
    /// The template country (upper case), when given and known.
    pub country: Option<&'static str>,
    /// The route a confirmation form was checked for.
    pub route: Option<Route>,
}

/// Declares a check's result whose shape follows the route given: the union of the routes'
/// results (its TypeScript type) and the function's overloads, one per route, written from the
/// same variants (wasm-bindgen writes no overloads). Each variant is a `Route` and its wire name,
/// which the compiler checks against `Route`'s own.
macro_rules! result_by_route {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident for $function:literal (form: $form:ident, options: $options:ident) {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $wire:literal ($result:ident), )+
        }
    ) => {
        $(#[doc = $doc])*
        #[allow(dead_code)]
        #[derive(Debug, Serialize, Tsify)]
        #[serde(untagged)]
        pub enum $name { $( $(#[doc = $vdoc])* $variant($result), )+ }

        const _: () = {
            const fn same(a: &str, b: &str) -> bool {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                if a.len() != b.len() {
                    return false;
                }
                let mut i = 0;
                while i < a.len() {
                    if a[i] != b[i] {
                        return false;
                    }
                    i += 1;
                }
                true
            }
            $( assert!(same(Route::$variant.as_str(), $wire), "a route's wire name"); )+
            // The parameters' types are the crate's declared shapes.
            let _: Option<(&$form, &$options)> = None;
        };

        /// The function's overloads, one per route (`api.rs` gives them to wasm-bindgen, which
        /// reads them while compiling: the lint does not see it).
        #[cfg(feature = "api")]
        #[allow(dead_code)]
        pub(super) const OVERLOADS: &'static str = concat!(
            "/* The result's shape follows the route given. */\n",
            $(
                "export function ", $function, "(form: ", stringify!($form), ", options: ",
                stringify!($options), " & { route: \"", $wire, "\" }): ", stringify!($result), ";\n",
            )+
        );
    };
}

result_by_route! {
    /// The outcome of validateConfirmation, on the route it was checked for (the day's, or
    /// `options.route`): narrow on `valid`, then on `route` ("legacy": the payload of the POST;
    /// "enhanced": the attestation to create). Declared for its TypeScript type and the
    /// function's overloads: each route writes its own result.
    pub enum ConfirmationValidation for "validateConfirmation" (form: ConfirmationForm, options: ValidationOptions) {
        /// On the legacy route.
        Legacy = "legacy" (ValidationResult),
        /// On the enhanced route.
        Enhanced = "enhanced" (AttestationValidationResult),
    }
}

/// The outcome of `validateField`: the field's errors and warnings.
#[derive(Debug, Serialize, Tsify)]
pub struct FieldReport {
    /// The field's errors.
    pub errors: Vec<FieldIssue>,
    /// The field's warnings.
    pub warnings: Vec<FieldIssue>,
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

/// The answer of `confirmationRoute`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationRoute {
    /// `legacy` before the legacy attestation's retirement, `enhanced` from it.
    pub route: Route,
    /// Whether the enhanced flow is offered on the day.
    pub enhanced_available: bool,
    /// The milestone the choice rests on.
    pub milestone: Option<MilestoneId>,
    /// `YYYY-MM-DD` of the milestone.
    pub milestone_date: Option<String>,
    /// Partner Center's day the choice was made for (UTC), `YYYY-MM-DD`.
    pub day: String,
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
    /// The agreement.
    pub agreement_type: AgreementType,
    /// Its template id.
    pub template_id: &'static str,
    /// Where its text can be read.
    pub agreement_link: &'static str,
}

pub use crate::checks::schema::FieldLabels;

/// A control of the confirmation form (`formControls`).
#[cfg(feature = "client")]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FormControl {
    /// The field it takes.
    pub field: Field,
    /// What takes it.
    #[tsify(type = "\"text\" | \"email\" | \"tel\" | \"date\" | \"select\"")]
    pub control: &'static str,
    /// Only the legacy route asks for it (the agreement and the date of acceptance).
    pub legacy_only: bool,
}

/// Options of `validateCsv` and `validateRows`: those of every check, and these.
#[cfg(feature = "bulk")]
#[optional_members]
#[derive(Debug, Default, Tsify, Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct BulkValidationOptions {
    /// The options of every check.
    #[serde(flatten)]
    pub check: CheckOptions,
    /// Each customer's confirmations as read back, by customer id: rows they already hold are
    /// flagged.
    #[tsify(optional, type = "Record<string, Agreement[]>")]
    #[read(with = super::input::record)]
    pub existing: Option<Vec<(String, Vec<Agreement>)>>,
    /// The largest file read, in bytes; default 50 000 000; 0: no limit.
    #[read(whole(0, u32::MAX))]
    pub max_bytes: Option<u32>,
    /// The most issues returned (the others are counted in `issuesLeftOff`); default 10 000.
    #[read(whole(0, u32::MAX))]
    pub max_issues: Option<u32>,
    /// Whether the payloads of valid rows are returned; default true (false: counts and issues
    /// only).
    pub payloads: Option<bool>,
}

/// The outcome of `validateCsv` and `validateRows`.
#[cfg(feature = "bulk")]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkValidation {
    /// The route the rows were checked for.
    pub route: Route,
    /// Rows found (blank rows are not counted).
    pub rows: u32,
    /// Rows without a problem.
    pub valid: u32,
    /// Rows with at least one.
    pub invalid: u32,
    /// Every problem, in the order of the file.
    pub issues: Vec<BulkIssue>,
    /// Problems beyond `maxIssues`, counted only.
    pub issues_left_off: u32,
    /// The lines with a problem beyond `maxIssues` (each once, in the order of the file), so
    /// that a report can name every invalid line.
    pub lines_left_off: Vec<u32>,
    /// What each valid row sends, in the order of the file; made when first read, then kept.
    pub payloads: Vec<BulkPayload>,
}

/// A problem on a line of the file (0: the file as a whole).
#[cfg(feature = "bulk")]
#[derive(Debug, Serialize, Tsify)]
pub struct BulkIssue {
    /// The line, from 1 (the header is line 1; for `validateRows`, the row's position from 1).
    pub line: u32,
    /// The field concerned (`form`: the row or the file as a whole).
    pub field: Field,
    /// The stable code, one of the form's or one of the file's, and its parameters (a union:
    /// declared as a type, which an interface cannot extend).
    #[serde(flatten)]
    #[tsify(type = "BulkProblem")]
    pub problem: BulkProblem,
    /// The message, in the requested language.
    pub message: String,
}

/// A bulk problem: a check of the form's, or the file's.
#[cfg(feature = "bulk")]
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(untagged)]
pub enum BulkProblem {
    /// A check of the form.
    Form(Problem),
    /// Of the file, or of a row as a whole.
    File(crate::bulk::FileProblem),
}

/// A valid row, ready to send: a confirmation (legacy route) or an attestation (enhanced).
#[cfg(any(feature = "bulk", feature = "client"))]
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum BulkPayload {
    /// The legacy route.
    Confirmation(BulkConfirmation),
    /// The enhanced route.
    Attestation(BulkAttestation),
}

/// A row to send by the legacy POST.
#[cfg(any(feature = "bulk", feature = "client"))]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkConfirmation {
    /// Its line.
    pub line: u32,
    /// The customer, lower case without braces.
    pub customer_id: String,
    /// The exact body of `POST /v1/customers/{customerId}/agreements`.
    pub payload: AgreementPayload,
}

/// A row to send for acceptance by the enhanced flow.
#[cfg(any(feature = "bulk", feature = "client"))]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkAttestation {
    /// Its line.
    pub line: u32,
    /// The customer, lower case without braces.
    pub customer_id: String,
    /// What `createAttestation` takes.
    pub attestation: crate::flows::attestation::AttestationForm,
}

/// Options of `PartnerCenterClient.sendBulk`: those of every check, and these.
#[cfg(feature = "client")]
#[optional_members]
#[derive(Debug, Default, Tsify, Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct BulkSendOptions {
    /// The options of every check.
    #[serde(flatten)]
    pub check: CheckOptions,
    /// Called (with nothing) after every change of a row's status (taken as it is from the
    /// argument).
    #[tsify(optional, type = "() => void")]
    #[allow(dead_code)]
    pub on_change: Option<super::input::Given>,
    /// Requests under way at once, 1 to 16; default 4.
    #[read(whole(1, crate::flows::pool::MAX_CONCURRENCY))]
    pub concurrency: Option<u32>,
    /// The journal saved before a reload (`BulkSending.journal()`): rows sent are not sent
    /// again, rows that were being sent are read first, and every row keeps its request id.
    pub journal: Option<Vec<BulkJournalEntry>>,
    /// A random value kept with the journal (1 to 200 characters): each row's request id is
    /// derived from it and the row's line, so that a row sent just before a reload, whose
    /// journal entry was not yet written, keeps its request id when the sending resumes.
    pub request_id_seed: Option<String>,
}

/// Where a row of a sending stands, without any personal data: what a page keeps to resume
/// after a reload.
#[cfg(feature = "client")]
#[optional_members]
#[derive(Debug, Serialize, Tsify, Readable)]
#[serde(rename_all = "camelCase")]
pub struct BulkJournalEntry {
    /// The row's line in the file.
    #[read(whole(0, u32::MAX))]
    pub line: u32,
    /// Its `MS-RequestId`, the same for every attempt.
    pub request_id: String,
    /// Where it stands (a row that was being sent is `uncertain`).
    pub status: crate::bulk::run::RowStatus,
    /// What the backend recorded (the attestation's id), when it said.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reference: Option<String>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<crate::flows::backend::BackendProblem>,
    /// How it ended, when there is more to say (`waiting`, `already-recorded`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<crate::bulk::run::RowNote>,
}

/// A row of a sending, for the page and the report.
#[serde_with::skip_serializing_none]
#[cfg(feature = "client")]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkRowState {
    /// The row's line in the file.
    pub line: u32,
    /// The customer.
    pub customer_id: String,
    /// Where it stands.
    pub status: crate::bulk::run::RowStatus,
    /// Its `MS-RequestId`.
    pub request_id: String,
    /// What the backend recorded (the attestation's id), when it said.
    pub reference: Option<String>,
    /// The link the customer accepts by (enhanced route; this page's memory only, never in the
    /// journal).
    pub acceptance_link: Option<String>,
    /// Why it failed.
    pub error: Option<crate::flows::backend::BackendProblem>,
    /// The failure's message, in the client's language.
    pub message: Option<&'static str>,
    /// How it ended, when there is more to say: `waiting` (skipped: an attestation sent on
    /// `since` waits for the customer; its id in `reference`), `already-recorded` (an earlier
    /// attempt was recorded, its answer lost).
    pub note: Option<crate::bulk::run::RowNote>,
    /// When the attestation it waits on was sent (`YYYY-MM-DDTHH:MM:SSZ`).
    pub since: Option<String>,
}

/// How far a sending is.
#[serde_with::skip_serializing_none]
#[cfg(feature = "client")]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkProgress {
    /// Rows to send.
    pub total: u32,
    /// Recorded by the backend.
    pub sent: u32,
    /// Not sent: the customer already holds the agreement.
    pub skipped: u32,
    /// Not recorded (see each row's error).
    pub failed: u32,
    /// Being read or sent.
    pub in_flight: u32,
    /// Not done yet.
    pub left: u32,
    /// Sent, skipped or failed.
    pub done: u32,
    /// The time still needed at the pace so far, in milliseconds (absent before a first row).
    pub remaining_ms: Option<u32>,
    /// Paused: nothing new starts until `resume()`.
    pub paused: bool,
    /// Why the sending paused itself (`unauthorized`: the token was refused; give it again,
    /// then `resume()`).
    pub blocked: Option<crate::flows::backend::BackendProblem>,
    /// Cancelled: nothing new starts, ever.
    pub cancelled: bool,
    /// Nothing under way and nothing more will start.
    pub finished: bool,
}

/// The outcome of checking a confirmation form on the enhanced route: narrow on `valid`.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum AttestationValidationResult {
    /// No errors: the attestation to create.
    Valid(ValidAttestation),
    /// At least one error.
    Invalid(InvalidResult),
}

/// A confirmation form valid for the enhanced route, and the attestation to create from it
/// (`createAttestation`, or `confirm` which takes the route itself).
#[derive(Debug, Serialize, Tsify)]
pub struct ValidAttestation {
    /// Always true.
    #[tsify(type = "true")]
    pub valid: bool,
    /// Always empty.
    #[tsify(type = "[]")]
    pub errors: Vec<FieldIssue>,
    /// Warnings worth showing.
    pub warnings: Vec<FieldIssue>,
    /// The route it was checked for.
    #[tsify(type = "\"enhanced\"")]
    pub route: Route,
    /// What to send for acceptance (the company name: the customer's, read by the client).
    pub attestation: crate::flows::attestation::AttestationForm,
}
