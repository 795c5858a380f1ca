//! The enhanced attestation flow (SPEC §6), apart from any I/O: the partner creates an
//! attestation for a customer, the customer accepts the Customer Agreement by the attestation's
//! link, the partner completes it, which records the agreement. Three entry points (create,
//! check, complete); each asks for the requests to send and decides on each answer, the way
//! `confirm` does for the legacy POST. The caller performs the requests (with their retries:
//! `exchange`).
//!
//! Completing is the step whose answer must not be lost: when the POST's answer does not come
//! back, the flow reads the attestation again and concludes from its status, never by sending a
//! second completion with a new request id.

use serde::Serialize;

use crate::checks::fields::{check_name, check_template, required_customer_id, CustomerId};
use crate::checks::form::{
    signatory_problems, who_may_confirm, ConfirmationForm, Context, FormView,
};
use crate::checks::issues::{Field, Issue, Problem};
pub use crate::checks::schema::{AttestationForm, AttestationRequest};
use crate::checks::text::Trimmed;
use crate::flows::backend::{BackendProblem, Failure};
use crate::flows::confirm::Note;
use crate::flows::endpoints::{self, Endpoint};
use crate::flows::payload::Agreement;
use crate::rules::agreement::AgreementType;
use crate::rules::countries::Country;
use crate::rules::date::{parse_instant, Instant};

/// Every wire name of the flow's bodies and answers, in one place (its paths are in
/// `endpoints`, with every other request's). Partner Center documents the path of the creation
/// and the first five fields of its body (confirmed); the rest is inferred from third-party
/// code and marked so here and in the README, so that a correction is one line.
pub mod wire {
    // The paths are `endpoints`': the creation's (`POST /v1/attestations/enhanced`,
    // confirmed), the status read's (`GET` the same path, `/` and the id: inferred) and the
    // completion's, Partner Center's "Create agreement" with the attestation id (`POST
    // /v1/customers/{customerId}/agreements`: confirmed; its body inferred:
    // `{"attestationId", "templateId", "type"}`).

    // The body's field names are those of `AttestationRequest` (camelCase), confirmed:
    // `country`, `language`, `companyName`, `signatoryFirstName`, `signatoryLastName`;
    // inferred: `signatoryEmail`, `signatoryPhoneNumber`. No `customerId`: the path names no
    // customer, and Partner Center binds the customer when the attestation is completed
    // ("Create agreement" with the attestation id).

    /// Answer field, from third-party code (two distributors return it).
    pub const ATTESTATION_ID: &str = "attestationId";
    /// Answer field, doubtful: one distributor returns the customer's acceptance link so; the
    /// others build it from the id (`acceptance_link`). Used when present.
    pub const ATTESTATION_URL: &str = "attestationUrl";
    /// Answer field, from third-party code: where it stands (see `parse_status`).
    pub const STATUS: &str = "status";
    /// Answer fields, inferred (no source names them): when it was created, when its link
    /// expires. Read when present, in this order.
    pub const CREATED: [&str; 2] = ["createdDateTime", "createdDate"];
    /// See `CREATED`.
    pub const EXPIRES: [&str; 2] = ["expirationDateTime", "expiresAt"];

    /// Where the customer accepts, against Partner Center: the id goes at the end (three
    /// independent vendors build the link so; no sign-in on it).
    pub const ACCEPTANCE_PAGE: &str = "https://cdn.partner.microsoft.com/mca/?attestationid=";

    /// The customer's acceptance link of an attestation: `page` (Partner Center's by default,
    /// the sandbox's own page against the sandbox) followed by the id. The one place a link is
    /// built: a record keeps the id, never the link.
    pub fn acceptance_link(page: &str, attestation_id: &str) -> String {
        crate::checks::text::join(&[page, attestation_id], "")
    }
}

crate::wire_enum! {
    /// Where an attestation stands: a closed set. Partner Center publishes no status values;
    /// distributors report several spellings (`parse_status` reads them all), and anything else
    /// is `Unknown`, its text kept: never completed, never sent again by itself.
    pub enum AttestationStatus {
        /// Waiting for the customer's acceptance.
        Pending = "Pending",
        /// The customer accepted: the partner can complete it.
        Accepted = "Accepted",
        /// Completed: the agreement is recorded.
        Completed = "Completed",
        /// The link expired before the customer accepted: send a new one.
        Expired = "Expired",
        /// A status this crate does not know.
        Unknown = "Unknown",
    }
}

/// Reads a status in any of the reported spellings (case, spaces and punctuation ignored):
/// `Pending`, `unverified`, `MCA Pending`; `accepted`, `Valid`, `Ready to create agreement`;
/// `Completed`; `Expired`, `Expired Links`. Anything else is `Unknown`.
pub fn parse_status(text: &str) -> AttestationStatus {
    let key: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match key.as_str() {
        "pending" | "unverified" | "mcapending" => AttestationStatus::Pending,
        "accepted" | "valid" | "readytocreateagreement" => AttestationStatus::Accepted,
        "completed" => AttestationStatus::Completed,
        "expired" | "expiredlink" | "expiredlinks" => AttestationStatus::Expired,
        _ => AttestationStatus::Unknown,
    }
}

impl AttestationForm {
    /// The attestation a confirmation form asks for, on the enhanced route: the signatory and
    /// the template; no date (the customer accepts on the day they do), no company name (the
    /// flow reads the customer's). A form naming the Cloud Agreement is refused: an attestation
    /// is of the Customer Agreement only.
    pub fn of_confirmation(form: &ConfirmationForm) -> (AttestationForm, Vec<Issue>) {
        let mut issues = Vec::new();
        agreement_issue(form.view(), &mut issues);
        (AttestationForm::of_view(form.view()), issues)
    }
}

/// A form naming the Cloud Agreement: an attestation is of the Customer Agreement only.
fn agreement_issue(form: FormView<'_>, issues: &mut Vec<Issue>) {
    let agreement = form.agreement_type.trimmed();
    if !agreement.is_empty()
        && AgreementType::parse(agreement) != Some(AgreementType::MicrosoftCustomerAgreement)
    {
        issues.push(Issue::new(
            Field::AgreementType,
            Problem::InvalidAgreementType {},
        ));
    }
}

/// Checks the form and the customer id: every problem, or the body to send. The country is
/// required here; fields are checked as in the confirmation form.
pub fn attestation_request(
    customer_id: &str,
    form: &AttestationForm,
) -> Result<AttestationRequest, Vec<Issue>> {
    let customer = required_customer_id(customer_id);
    let body = attestation_body(form);
    match (customer, body) {
        (Ok(customer_id), Ok(body)) => Ok(AttestationRequest {
            customer_id,
            ..body
        }),
        (customer, body) => {
            let mut issues = Vec::new();
            if let Err(problem) = customer {
                issues.push(Issue::new(Field::CustomerId, problem));
            }
            issues.extend(body.err().unwrap_or_default());
            Err(issues)
        }
    }
}

/// Checks the form alone: every problem, or the body (its `customer_id` empty). The sandbox
/// reads a creation so: the body names no customer.
pub fn attestation_body(form: &AttestationForm) -> Result<AttestationRequest, Vec<Issue>> {
    let mut issues = Vec::new();
    for problem in check_name(form.company_name.trimmed()) {
        issues.push(Issue::new(Field::CompanyName, problem));
    }
    let (country, language) = signatory_issues(form.view(), &mut issues);
    match (country, language) {
        (Some(country), Some(language)) if issues.is_empty() => {
            let template = FormView {
                country: country.code,
                language,
                ..FormView::default()
            };
            Ok(AttestationRequest::of_form(form, template))
        }
        _ => Err(issues),
    }
}

/// The signatory's and the template's problems, added to `issues`; the template's country and
/// language as checked.
fn signatory_issues(
    form: FormView<'_>,
    issues: &mut Vec<Issue>,
) -> (Option<Country>, Option<&'static str>) {
    signatory_problems(form, &mut |field, problem| {
        issues.push(Issue::new(field, problem))
    });
    if form.country.trimmed().is_empty() {
        issues.push(Issue::new(Field::Country, Problem::Required {}));
    }
    let template = check_template(form.country, form.language);
    let chosen = (template.country, template.language);
    issues.extend(template.issues().map(|(f, p)| Issue::new(f, p)));
    chosen
}

/// The problems of a confirmation form on the enhanced route (`AttestationForm::of_confirmation`):
/// the agreement, the customer id when given, the signatory, the template, who may confirm.
/// The date of acceptance is not asked: the customer accepts on the day they do.
pub fn enhanced_route_issues(form: &ConfirmationForm, ctx: &Context) -> Vec<Issue> {
    let mut issues = Vec::new();
    enhanced_route_check(form.view(), ctx, &mut issues);
    issues
}

/// [`enhanced_route_issues`] of a borrowed form, added to `issues` (nothing is allocated for a
/// valid form: the rows of a file are checked so); the customer id, when given and valid.
pub fn enhanced_route_check(
    form: FormView<'_>,
    ctx: &Context,
    issues: &mut Vec<Issue>,
) -> Option<CustomerId> {
    agreement_issue(form, issues);
    let given = form.customer_id.trimmed();
    let customer_id = CustomerId::parse(given);
    if !given.is_empty() && customer_id.is_none() {
        issues.push(Issue::new(Field::CustomerId, Problem::InvalidCustomerId {}));
    }
    signatory_issues(form, issues);
    who_may_confirm(ctx, issues);
    customer_id
}

/// An attestation as the backend answers it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    /// Its id.
    pub attestation_id: String,
    /// The link the customer opens to accept: the answer's (`attestationUrl`) when it has one,
    /// else built from the id (`wire::acceptance_link`).
    pub acceptance_url: String,
    /// Where it stands.
    pub status: AttestationStatus,
    /// The status as Partner Center wrote it, when it is not a known spelling.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub raw_status: Option<String>,
    /// When it was created, when the answer says (`YYYY-MM-DDTHH:MM:SSZ`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub created_at: Option<Instant>,
    /// When its link expires, when the answer says.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub expires_at: Option<Instant>,
}

/// The completion's body (inferred: see `wire`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionRequest {
    /// The attestation completed.
    pub attestation_id: String,
    /// The Customer Agreement's template id.
    pub template_id: String,
    /// Always the Customer Agreement.
    #[serde(rename = "type")]
    pub agreement_type: AgreementType,
}

/// A request the flow needs sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// Read the customer, for its company name (when the form has none).
    Customer(String),
    /// Read the Customer Agreement's metadata, for its template id.
    Metadata,
    /// Create the attestation.
    Create(AttestationRequest),
    /// Read the attestation.
    Read {
        /// Its id.
        attestation_id: String,
    },
    /// Complete it.
    Complete {
        /// The customer.
        customer: String,
        /// The body.
        body: CompletionRequest,
    },
}

impl Call {
    /// The request: its method and path.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            Call::Customer(customer) => endpoints::customer(customer),
            Call::Metadata => {
                endpoints::agreement_metadata(AgreementType::MicrosoftCustomerAgreement)
            }
            Call::Create(_) => endpoints::create_attestation(),
            Call::Read { attestation_id } => endpoints::attestation_status(attestation_id),
            Call::Complete { customer, .. } => endpoints::create_agreement(customer),
        }
    }

    /// The JSON body, for a POST.
    pub fn body(&self) -> Option<String> {
        match self {
            Call::Create(request) => serde_json::to_string(request).ok(),
            Call::Customer(_) | Call::Metadata | Call::Read { .. } => None,
            Call::Complete { body, .. } => serde_json::to_string(body).ok(),
        }
    }
}

/// What came back for a call, as the caller read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The customer's company name (None: a 2xx without one).
    CompanyName(Option<String>),
    /// The agreement's template id (None: a 2xx without one).
    TemplateId(Option<String>),
    /// An attestation (None: a 2xx whose body is not one).
    Attestation(Option<Attestation>),
    /// The completion's 2xx answer (None: its body is not an agreement).
    Completed(Option<Agreement>),
    /// The request failed, after its retries.
    Failed(Failure),
}

/// How the flow ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Refused by the checks, nothing sent.
    Invalid(Vec<Issue>),
    /// The attestation, created or read.
    Attestation(Attestation),
    /// Completion asked for before the customer accepted: nothing was sent.
    NotAccepted(Attestation),
    /// Completed: the agreement as recorded, when the answer said it.
    Completed {
        /// The attestation completed.
        attestation_id: String,
        /// The agreement recorded (None: the completion's answer was lost, the attestation
        /// says it is completed).
        agreement: Option<Agreement>,
        /// Why it succeeded without the completion's own answer (`already-recorded`): the
        /// attestation was read as completed, or a retried completion was answered "already
        /// exists" because its first attempt was recorded.
        note: Option<Note>,
    },
    /// The backend refused or could not be reached.
    Failed(Failure),
}

/// What to do now: send a request and call `on_answer` with its answer, or end.
pub type Step = crate::flows::exchange::Step<Call, Outcome>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Reading the customer's company name, to create with the rest of this form.
    Naming(AttestationForm),
    Creating,
    Reading,
    /// Reading before completing.
    BeforeComplete,
    /// Accepted: reading the Customer Agreement's template id to complete with.
    Templating,
    Completing,
    /// The completion's answer was lost: reading the attestation to conclude.
    AfterLostCompletion(Failure),
    Over,
}

/// One run of the flow.
#[derive(Debug, Clone)]
pub struct AttestationFlow {
    customer: String,
    attestation_id: String,
    state: State,
}

fn customer_or_issue(customer_id: &str) -> Result<String, Vec<Issue>> {
    required_customer_id(customer_id)
        .map_err(|problem| vec![Issue::new(Field::CustomerId, problem)])
}

fn attestation_id_or_issue(attestation_id: &str) -> Result<String, Vec<Issue>> {
    let id = attestation_id.trimmed();
    if acceptable_attestation_id(id) {
        Ok(id.into())
    } else {
        Err(vec![Issue::new(
            Field::Form,
            Problem::InvalidAttestationId {},
        )])
    }
}

/// Whether `id` can name an attestation in a path: letters, digits, `-` and `_`, 1 to 100.
pub fn acceptable_attestation_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl AttestationFlow {
    fn new(customer: String, attestation_id: String, state: State) -> AttestationFlow {
        AttestationFlow {
            customer,
            attestation_id,
            state,
        }
    }

    /// A flow refused before anything is sent (by a check outside the form: the ledger's).
    pub fn refused(issues: Vec<Issue>) -> (AttestationFlow, Step) {
        AttestationFlow::invalid(issues)
    }

    fn invalid(issues: Vec<Issue>) -> (AttestationFlow, Step) {
        (
            AttestationFlow::new(String::new(), String::new(), State::Over),
            Step::Done(Outcome::Invalid(issues)),
        )
    }

    /// Creates an attestation for the customer from the form, once it is valid and the user may
    /// confirm (`ctx`: role and partner type). A form without a company name takes the
    /// customer's, read first once nothing else is wrong.
    pub fn create(
        customer_id: &str,
        form: &AttestationForm,
        ctx: &Context,
    ) -> (AttestationFlow, Step) {
        let mut refusals = Vec::new();
        who_may_confirm(ctx, &mut refusals);
        // A missing company name is no problem of the form: the customer's is read instead.
        let unnamed = form.company_name.trimmed().is_empty();
        let checked = attestation_request(customer_id, form).map_err(|issues| {
            let name_required = |i: &Issue| {
                unnamed && i.field == Field::CompanyName && i.problem == Problem::Required {}
            };
            issues
                .into_iter()
                .filter(|i| !name_required(i))
                .collect::<Vec<_>>()
        });
        match checked {
            Ok(request) if refusals.is_empty() => AttestationFlow::creating(request),
            Err(issues) if refusals.is_empty() && issues.is_empty() => {
                let customer = required_customer_id(customer_id).unwrap_or_default();
                (
                    AttestationFlow::new(
                        customer.clone(),
                        String::new(),
                        State::Naming(form.clone()),
                    ),
                    Step::Send(Call::Customer(customer)),
                )
            }
            Ok(_) => AttestationFlow::invalid(refusals),
            Err(issues) => AttestationFlow::invalid(issues.into_iter().chain(refusals).collect()),
        }
    }

    /// The enhanced route of a confirmation form (`AttestationForm::of_confirmation`): every
    /// problem of the form at once, or the flow of `create`.
    pub fn create_from_confirmation(
        customer_id: &str,
        form: &ConfirmationForm,
        ctx: &Context,
    ) -> (AttestationFlow, Step) {
        let issues = enhanced_route_issues(form, ctx);
        if !issues.is_empty() {
            return AttestationFlow::invalid(issues);
        }
        AttestationFlow::create(customer_id, &AttestationForm::of_confirmation(form).0, ctx)
    }

    fn creating(request: AttestationRequest) -> (AttestationFlow, Step) {
        (
            AttestationFlow::new(request.customer_id.clone(), String::new(), State::Creating),
            Step::Send(Call::Create(request)),
        )
    }

    /// Reads an attestation's status again.
    pub fn check(customer_id: &str, attestation_id: &str) -> (AttestationFlow, Step) {
        AttestationFlow::reading(customer_id, attestation_id, State::Reading)
    }

    /// Completes an attestation the customer accepted: read first (nothing is sent before the
    /// acceptance), then the Customer Agreement's template id, then the completion.
    pub fn complete(customer_id: &str, attestation_id: &str) -> (AttestationFlow, Step) {
        AttestationFlow::reading(customer_id, attestation_id, State::BeforeComplete)
    }

    fn reading(customer_id: &str, attestation_id: &str, state: State) -> (AttestationFlow, Step) {
        let ids = customer_or_issue(customer_id).and_then(|customer| {
            attestation_id_or_issue(attestation_id).map(|attestation| (customer, attestation))
        });
        match ids {
            Ok((customer, attestation_id)) => {
                let call = Call::Read {
                    attestation_id: attestation_id.clone(),
                };
                (
                    AttestationFlow::new(customer, attestation_id, state),
                    Step::Send(call),
                )
            }
            Err(issues) => AttestationFlow::invalid(issues),
        }
    }

    fn done(&mut self, outcome: Outcome) -> Step {
        self.state = State::Over;
        Step::Done(outcome)
    }

    /// The next step, given the answer to the last call.
    pub fn on_answer(&mut self, answer: Answer) -> Step {
        let state = std::mem::replace(&mut self.state, State::Over);
        match (state, answer) {
            (State::Naming(mut form), Answer::CompanyName(Some(name))) => {
                form.company_name = name;
                let (flow, step) = match attestation_request(&self.customer, &form) {
                    Ok(request) => AttestationFlow::creating(request),
                    Err(issues) => AttestationFlow::invalid(issues),
                };
                *self = flow;
                step
            }
            (State::Creating | State::Reading, Answer::Attestation(Some(attestation))) => {
                self.done(Outcome::Attestation(attestation))
            }
            (State::Templating, Answer::TemplateId(Some(template_id))) => {
                self.state = State::Completing;
                Step::Send(Call::Complete {
                    customer: self.customer.clone(),
                    body: CompletionRequest {
                        attestation_id: self.attestation_id.clone(),
                        template_id,
                        agreement_type: AgreementType::MicrosoftCustomerAgreement,
                    },
                })
            }
            (State::BeforeComplete, Answer::Attestation(Some(attestation))) => {
                match attestation.status {
                    AttestationStatus::Accepted => {
                        self.state = State::Templating;
                        Step::Send(Call::Metadata)
                    }
                    AttestationStatus::Completed => self.done(Outcome::Completed {
                        attestation_id: attestation.attestation_id,
                        agreement: None,
                        note: Some(Note::AlreadyRecorded),
                    }),
                    AttestationStatus::Pending
                    | AttestationStatus::Expired
                    | AttestationStatus::Unknown => self.done(Outcome::NotAccepted(attestation)),
                }
            }
            (State::Completing, Answer::Completed(Some(agreement))) => {
                self.done(Outcome::Completed {
                    attestation_id: self.attestation_id.clone(),
                    agreement: Some(agreement),
                    note: None,
                })
            }
            (State::Completing, Answer::Completed(None)) => {
                self.state = State::AfterLostCompletion(Failure::unexpected());
                Step::Send(self.read())
            }
            // "Already exists" on a retried attempt: the first attempt was recorded and its
            // answer lost (a backend that does not replay by request id). SPEC §7: success.
            (State::Completing, Answer::Failed(failure))
                if already_exists(&failure) && failure.attempts > 1 =>
            {
                self.done(Outcome::Completed {
                    attestation_id: self.attestation_id.clone(),
                    agreement: None,
                    note: Some(Note::AlreadyRecorded),
                })
            }
            // Lost, or "already exists" at the first attempt (an earlier page may have
            // completed it and never heard): the attestation says which.
            (State::Completing, Answer::Failed(failure))
                if is_lost(&failure) || already_exists(&failure) =>
            {
                self.state = State::AfterLostCompletion(failure);
                Step::Send(self.read())
            }
            (State::AfterLostCompletion(failure), answer) => match answer {
                Answer::Attestation(Some(a)) if a.status == AttestationStatus::Completed => self
                    .done(Outcome::Completed {
                        attestation_id: a.attestation_id,
                        agreement: None,
                        note: Some(Note::AlreadyRecorded),
                    }),
                _ => self.done(Outcome::Failed(failure)),
            },
            (_, Answer::Failed(failure)) => self.done(Outcome::Failed(failure)),
            // An answer that does not fit the call.
            _ => self.done(Outcome::Failed(Failure::unexpected())),
        }
    }

    fn read(&self) -> Call {
        Call::Read {
            attestation_id: self.attestation_id.clone(),
        }
    }
}

/// A completion refused because the agreement exists (600061, or another 409).
fn already_exists(failure: &Failure) -> bool {
    matches!(
        failure.problem,
        BackendProblem::DuplicateConfirmation | BackendProblem::Conflict
    )
}

/// A failure after which the request may have been carried out: its answer was lost.
fn is_lost(failure: &Failure) -> bool {
    matches!(
        failure.problem,
        BackendProblem::Network | BackendProblem::Timeout | BackendProblem::Unavailable
    )
}

/// Reads an attestation from an answer, given its text fields: the same reader for serde_json
/// and for the browser's JSON. An id that the flow would refuse to send back (empty, or holding
/// more than letters, digits, `-` and `_`) makes the answer unreadable: an attestation is only
/// known by its id. Without a link in the answer, the link is built from the id on
/// `acceptance_page` (`wire::ACCEPTANCE_PAGE` against Partner Center).
pub fn read_attestation<'a>(
    text: impl Fn(&str) -> Option<&'a str>,
    acceptance_page: &str,
) -> Option<Attestation> {
    let attestation_id = attestation_id_or_issue(text(wire::ATTESTATION_ID)?).ok()?;
    let raw = text(wire::STATUS).unwrap_or_default();
    let status = parse_status(raw);
    let instant = |keys: [&str; 2]| keys.iter().find_map(|k| text(k).and_then(parse_instant));
    Some(Attestation {
        acceptance_url: text(wire::ATTESTATION_URL)
            .or_else(|| text("acceptanceUrl"))
            .filter(|link| !link.trim().is_empty())
            .map_or_else(
                || wire::acceptance_link(acceptance_page, &attestation_id),
                str::to_string,
            ),
        attestation_id,
        status,
        raw_status: (status == AttestationStatus::Unknown && !raw.is_empty())
            .then(|| raw.chars().take(100).collect()),
        created_at: instant(wire::CREATED),
        expires_at: instant(wire::EXPIRES),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::payload::Contact;
    use crate::rules::date::parse_date;

    const CUSTOMER: &str = "0c9b1d1e-7c4a-4bb7-9c5c-2f1e8d1a4b21";

    fn form() -> AttestationForm {
        AttestationForm {
            company_name: "Adatum".into(),
            first_name: " José ".into(),
            last_name: "Núñez".into(),
            email: "jose@adatum.example".into(),
            phone_number: String::new(),
            country: "es".into(),
            language: String::new(),
        }
    }

    fn attestation(status: AttestationStatus) -> Attestation {
        Attestation {
            attestation_id: "att-1".into(),
            acceptance_url: "https://example.invalid/mca/?attestationid=att-1".into(),
            status,
            raw_status: None,
            created_at: None,
            expires_at: None,
        }
    }

    /// A completion whose attestation was read as accepted: its POST is out.
    /// The end of a completion found already recorded by reading the attestation.
    fn already_recorded() -> Step {
        Step::Done(Outcome::Completed {
            attestation_id: "att-1".into(),
            agreement: None,
            note: Some(Note::AlreadyRecorded),
        })
    }

    fn completing() -> AttestationFlow {
        let (mut flow, _) = AttestationFlow::complete(CUSTOMER, "att-1");
        let step = flow.on_answer(Answer::Attestation(Some(attestation(
            AttestationStatus::Accepted,
        ))));
        assert_eq!(step, Step::Send(Call::Metadata));
        let step = flow.on_answer(Answer::TemplateId(Some("tpl".into())));
        assert!(
            matches!(step, Step::Send(Call::Complete { .. })),
            "{step:?}"
        );
        flow
    }

    fn failure(problem: BackendProblem) -> Failure {
        Failure {
            problem,
            ..Failure::unexpected()
        }
    }

    fn agreement() -> Agreement {
        Agreement {
            user_id: None,
            primary_contact: Contact {
                first_name: "José".into(),
                last_name: "Núñez".into(),
                email: "jose@adatum.example".into(),
                phone_number: None,
            },
            template_id: "117a77b0-9360-443b-8795-c6dedc750cf9".into(),
            date_agreed: parse_date("2026-11-24").unwrap(),
            agreement_type: AgreementType::MicrosoftCustomerAgreement,
            agreement_link: None,
        }
    }

    #[test]
    fn the_request_has_the_wire_names_trimmed_values_and_the_countrys_language() {
        let request = attestation_request(&CUSTOMER.to_uppercase(), &form()).unwrap();
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            format!(
                r#"{{"country":"ES","language":"en-US","companyName":"Adatum","signatoryFirstName":"José","signatoryLastName":"Núñez","signatoryEmail":"jose@adatum.example"}}"#
            )
        );
    }

    #[test]
    fn every_problem_of_the_form_is_reported() {
        let bad = AttestationForm {
            company_name: String::new(),
            email: "not an address".into(),
            country: "ZZ".into(),
            ..form()
        };
        let issues = attestation_request("nope", &bad).unwrap_err();
        let fields: Vec<Field> = issues.iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                Field::CustomerId,
                Field::CompanyName,
                Field::Email,
                Field::Country
            ]
        );
        let french_in_spain = AttestationForm {
            language: "fr-FR".into(),
            ..form()
        };
        let issues = attestation_request(CUSTOMER, &french_in_spain).unwrap_err();
        assert_eq!(issues[0].field, Field::Language);
    }

    #[test]
    fn create_sends_once_and_gives_the_attestation() {
        let (mut flow, step) = AttestationFlow::create(CUSTOMER, &form(), &Context::default());
        let Step::Send(call) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            (call.endpoint().method, call.endpoint().path),
            ("POST", "/v1/attestations/enhanced".to_string())
        );
        let pending = attestation(AttestationStatus::Pending);
        assert_eq!(
            flow.on_answer(Answer::Attestation(Some(pending.clone()))),
            Step::Done(Outcome::Attestation(pending))
        );
        let (_, invalid) =
            AttestationFlow::create("", &AttestationForm::default(), &Context::default());
        assert!(matches!(invalid, Step::Done(Outcome::Invalid(issues)) if issues.len() == 5));
    }

    #[test]
    fn create_reports_the_backends_refusal() {
        let (mut flow, _) = AttestationFlow::create(CUSTOMER, &form(), &Context::default());
        let duplicate = failure(BackendProblem::DuplicateConfirmation);
        assert_eq!(
            flow.on_answer(Answer::Failed(duplicate.clone())),
            Step::Done(Outcome::Failed(duplicate))
        );
        let (mut flow, _) = AttestationFlow::create(CUSTOMER, &form(), &Context::default());
        assert_eq!(
            flow.on_answer(Answer::Attestation(None)),
            Step::Done(Outcome::Failed(Failure::unexpected()))
        );
    }

    #[test]
    fn check_reads_the_status() {
        let (mut flow, step) = AttestationFlow::check(CUSTOMER, "att-1");
        assert_eq!(
            step,
            Step::Send(Call::Read {
                attestation_id: "att-1".into()
            })
        );
        assert_eq!(
            Call::Read {
                attestation_id: "att-1".into()
            }
            .endpoint()
            .path,
            "/v1/attestations/enhanced/att-1"
        );
        let accepted = attestation(AttestationStatus::Accepted);
        assert_eq!(
            flow.on_answer(Answer::Attestation(Some(accepted.clone()))),
            Step::Done(Outcome::Attestation(accepted))
        );
        // An id that could leave its path segment is refused before anything is sent.
        for id in ["", "../customers", "a/b", "a?b=c", "a#b"] {
            let (_, step) = AttestationFlow::check(CUSTOMER, id);
            assert!(matches!(step, Step::Done(Outcome::Invalid(_))), "{id}");
        }
    }

    #[test]
    fn complete_sends_nothing_unless_the_customer_accepted() {
        // Before the acceptance, and after the link expired.
        for status in [AttestationStatus::Pending, AttestationStatus::Expired] {
            let (mut flow, _) = AttestationFlow::complete(CUSTOMER, "att-1");
            let seen = attestation(status);
            assert_eq!(
                flow.on_answer(Answer::Attestation(Some(seen.clone()))),
                Step::Done(Outcome::NotAccepted(seen))
            );
        }
    }

    #[test]
    fn complete_after_the_acceptance_records_the_agreement() {
        let (mut flow, _) = AttestationFlow::complete(CUSTOMER, "att-1");
        let step = flow.on_answer(Answer::Attestation(Some(attestation(
            AttestationStatus::Accepted,
        ))));
        let Step::Send(metadata) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            metadata.endpoint().path,
            "/v1/agreements?agreementType=MicrosoftCustomerAgreement"
        );
        let step = flow.on_answer(Answer::TemplateId(Some("tpl".into())));
        let Step::Send(call) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            call.endpoint().path,
            format!("/v1/customers/{CUSTOMER}/agreements")
        );
        assert_eq!(
            call.body().unwrap(),
            r#"{"attestationId":"att-1","templateId":"tpl","type":"MicrosoftCustomerAgreement"}"#
        );
        assert_eq!(
            flow.on_answer(Answer::Completed(Some(agreement()))),
            Step::Done(Outcome::Completed {
                attestation_id: "att-1".into(),
                agreement: Some(agreement()),
                note: None
            })
        );
    }

    #[test]
    fn an_attestation_already_completed_is_not_completed_twice() {
        let (mut flow, _) = AttestationFlow::complete(CUSTOMER, "att-1");
        assert_eq!(
            flow.on_answer(Answer::Attestation(Some(attestation(
                AttestationStatus::Completed
            )))),
            already_recorded()
        );
    }

    #[test]
    fn a_lost_completion_is_concluded_from_the_attestation() {
        for lost in [
            Answer::Failed(failure(BackendProblem::Network)),
            Answer::Failed(failure(BackendProblem::Timeout)),
            Answer::Failed(failure(BackendProblem::Unavailable)),
            Answer::Completed(None),
        ] {
            // Completed on the backend: done, without a second completion.
            let mut flow = completing();
            assert_eq!(
                flow.on_answer(lost.clone()),
                Step::Send(Call::Read {
                    attestation_id: "att-1".into()
                })
            );
            assert_eq!(
                flow.on_answer(Answer::Attestation(Some(attestation(
                    AttestationStatus::Completed
                )))),
                already_recorded()
            );
            // Not completed: the failure, so the partner can complete again.
            let mut flow = completing();
            flow.on_answer(lost.clone());
            let step = flow.on_answer(Answer::Attestation(Some(attestation(
                AttestationStatus::Accepted,
            ))));
            assert!(matches!(step, Step::Done(Outcome::Failed(_))), "{lost:?}");
            // The read-back itself failing: the failure too.
            let mut flow = completing();
            flow.on_answer(lost.clone());
            let step = flow.on_answer(Answer::Failed(failure(BackendProblem::Network)));
            assert!(matches!(step, Step::Done(Outcome::Failed(_))), "{lost:?}");
        }
    }

    #[test]
    fn a_refused_completion_is_reported_as_is() {
        let mut flow = completing();
        let refused = failure(BackendProblem::NotAccepted);
        assert_eq!(
            flow.on_answer(Answer::Failed(refused.clone())),
            Step::Done(Outcome::Failed(refused))
        );
    }

    #[test]
    fn statuses_in_every_reported_spelling() {
        use AttestationStatus::*;
        for (text, status) in [
            ("Pending", Pending),
            ("unverified", Pending),
            ("MCA Pending", Pending),
            ("accepted", Accepted),
            ("Valid", Accepted),
            ("Ready to create agreement", Accepted),
            ("COMPLETED", Completed),
            ("Expired", Expired),
            ("Expired Links", Expired),
            ("InReview", Unknown),
            ("", Unknown),
        ] {
            assert_eq!(parse_status(text), status, "{text}");
        }
        let json = |value: serde_json::Value| {
            read_attestation(
                |key| value.get(key).and_then(|v| v.as_str()),
                wire::ACCEPTANCE_PAGE,
            )
        };
        let read = json(serde_json::json!({
            "attestationId": "a1", "attestationUrl": "https://x.example/?a=1", "status": "Valid",
            "createdDateTime": "2026-12-06T09:00:00Z", "expirationDateTime": "2026-12-13T09:00:00Z"
        }))
        .unwrap();
        assert_eq!(read.status, Accepted);
        assert_eq!(read.acceptance_url, "https://x.example/?a=1");
        assert_eq!(read.raw_status, None);
        assert_eq!(
            read.created_at.map(Instant::format).as_deref(),
            Some("2026-12-06T09:00:00Z")
        );
        assert_eq!(
            read.expires_at.map(Instant::format).as_deref(),
            Some("2026-12-13T09:00:00Z")
        );
        assert_eq!(json(serde_json::json!({"status": "Pending"})), None);
        // Found by the fuzzer: an empty id was read as an attestation no call could name.
        for id in ["", " ", "../x", "a/b"] {
            let answer =
                serde_json::json!({ "attestationId": id, "attestationUrl": "https://x.example" });
            assert_eq!(json(answer), None, "{id:?}");
        }
        // No link in the answer (most vendors build it): built from the id, not a failure; an
        // unknown status keeps its text.
        let bare =
            json(serde_json::json!({ "attestationId": "a-2", "status": "InReview" })).unwrap();
        assert_eq!(
            bare.acceptance_url,
            "https://cdn.partner.microsoft.com/mca/?attestationid=a-2"
        );
        assert_eq!(
            (bare.status, bare.raw_status.as_deref()),
            (Unknown, Some("InReview"))
        );
        let sandbox = read_attestation(
            |key| (key == "attestationId").then_some("a-3"),
            "http://127.0.0.1:8787/accept/",
        );
        assert_eq!(
            sandbox.unwrap().acceptance_url,
            "http://127.0.0.1:8787/accept/a-3"
        );
    }

    #[test]
    fn a_retried_completion_answered_already_exists_is_success() {
        let refused = |attempts| Failure {
            problem: BackendProblem::DuplicateConfirmation,
            status: Some(409),
            attempts,
            ..Failure::unexpected()
        };
        // Its first attempt was recorded, its answer lost: success with a note, nothing read.
        let mut flow = completing();
        assert_eq!(
            flow.on_answer(Answer::Failed(refused(2))),
            Step::Done(Outcome::Completed {
                attestation_id: "att-1".into(),
                agreement: None,
                note: Some(Note::AlreadyRecorded)
            })
        );
        // At the first attempt: the attestation says whether it is completed.
        let mut flow = completing();
        assert_eq!(
            flow.on_answer(Answer::Failed(refused(1))),
            Step::Send(Call::Read {
                attestation_id: "att-1".into()
            })
        );
        assert!(matches!(
            flow.on_answer(Answer::Attestation(Some(attestation(
                AttestationStatus::Completed
            )))),
            Step::Done(Outcome::Completed {
                note: Some(Note::AlreadyRecorded),
                ..
            })
        ));
        let mut flow = completing();
        flow.on_answer(Answer::Failed(refused(1)));
        assert_eq!(
            flow.on_answer(Answer::Attestation(Some(attestation(
                AttestationStatus::Accepted
            )))),
            Step::Done(Outcome::Failed(refused(1)))
        );
    }

    #[test]
    fn a_form_without_a_company_name_takes_the_customers() {
        let unnamed = AttestationForm {
            company_name: " ".into(),
            ..form()
        };
        let (mut flow, step) = AttestationFlow::create(CUSTOMER, &unnamed, &Context::default());
        let Step::Send(call) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            (call.endpoint().method, call.endpoint().path, call.body()),
            ("GET", format!("/v1/customers/{CUSTOMER}"), None)
        );
        let Step::Send(Call::Create(request)) =
            flow.on_answer(Answer::CompanyName(Some("Adatum Corporation".into())))
        else {
            panic!("no creation")
        };
        assert_eq!(request.company_name, "Adatum Corporation");
        // A customer without a name, or a failed read, ends the flow.
        let (mut flow, _) = AttestationFlow::create(CUSTOMER, &unnamed, &Context::default());
        assert!(matches!(
            flow.on_answer(Answer::CompanyName(None)),
            Step::Done(Outcome::Failed(_))
        ));
        // Another problem besides the name: refused at once, nothing read.
        let worse = AttestationForm {
            email: "x".into(),
            ..unnamed
        };
        let (_, step) = AttestationFlow::create(CUSTOMER, &worse, &Context::default());
        assert!(matches!(step, Step::Done(Outcome::Invalid(issues)) if issues.len() == 1));
    }

    #[test]
    fn a_user_who_may_not_confirm_sends_nothing() {
        use crate::checks::form::{PartnerType, Role};
        for ctx in [
            Context {
                role: Some(Some(Role::HelpdeskAgent)),
                ..Context::default()
            },
            Context {
                partner_type: Some(PartnerType::IndirectReseller),
                ..Context::default()
            },
        ] {
            let (_, step) = AttestationFlow::create(CUSTOMER, &form(), &ctx);
            let Step::Done(Outcome::Invalid(issues)) = step else {
                panic!("{step:?}")
            };
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].field, Field::Role);
        }
    }

    #[test]
    fn a_confirmation_form_becomes_an_attestation_of_the_customer_agreement() {
        let confirmation = ConfirmationForm {
            agreement_type: "MicrosoftCustomerAgreement".into(),
            date_agreed: "2026-11-20".into(),
            first_name: "José".into(),
            last_name: "Núñez".into(),
            email: "jose@adatum.example".into(),
            country: "ES".into(),
            ..ConfirmationForm::default()
        };
        let (attestation, issues) = AttestationForm::of_confirmation(&confirmation);
        assert!(issues.is_empty());
        assert_eq!(
            (
                attestation.company_name.as_str(),
                attestation.first_name.as_str(),
                attestation.country.as_str()
            ),
            ("", "José", "ES")
        );
        let cloud = ConfirmationForm {
            agreement_type: "MicrosoftCloudAgreement".into(),
            ..confirmation.clone()
        };
        let (_, issues) = AttestationForm::of_confirmation(&cloud);
        assert_eq!(issues[0].field, Field::AgreementType);
        // As a flow: the agreement's problem with the others, nothing sent.
        let ctx = Context::default();
        let (_, step) = AttestationFlow::create_from_confirmation(CUSTOMER, &cloud, &ctx);
        assert!(matches!(step, Step::Done(Outcome::Invalid(issues)) if issues.len() == 1));
        let unsigned = ConfirmationForm {
            email: String::new(),
            ..cloud
        };
        let (_, step) = AttestationFlow::create_from_confirmation(CUSTOMER, &unsigned, &ctx);
        assert!(matches!(step, Step::Done(Outcome::Invalid(issues)) if issues.len() == 2));
        let (_, step) = AttestationFlow::create_from_confirmation(CUSTOMER, &confirmation, &ctx);
        assert_eq!(step, Step::Send(Call::Customer(CUSTOMER.into())));
    }
}
