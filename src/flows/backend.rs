//! Errors from the backend (research §2.4), in either of Partner Center's shapes, turned into a
//! problem the page can explain. Keyed on `errorName` and the message, not on the number alone
//! (600002 means two different things in Microsoft's own tables).

use crate::checks::fields::{EMAIL_LOCAL_MAX_BYTES, EMAIL_MAX_BYTES, NAME_MAX_CHARS};
use crate::checks::issues::{Field, Issue, IssueCode, Problem};
use crate::flows::retry::Outcome;

/// What the backend said, as read from its error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `code`, a number or a string in the body.
    pub code: Option<String>,
    /// The error's name (`PartnerConfirmedAgreementAlreadyExists`), when given.
    pub error_name: Option<String>,
    /// `description` or `message`.
    pub description: Option<String>,
    /// Whether the server says a retry may succeed, when it says so.
    pub is_retryable: Option<bool>,
    /// `parameters.issues` of the sandbox's InvalidInput: (field, code).
    pub issues: Vec<(Field, String)>,
}

/// An error body as Partner Center (or the sandbox) writes it, in the parts read: either of its
/// two shapes (`code` a number or a text, `description` or `message`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorAnswer {
    /// `code`.
    pub code: Option<crate::wire::Code>,
    /// `errorName`.
    pub error_name: Option<crate::wire::Code>,
    /// `description`.
    pub description: Option<crate::wire::Code>,
    /// `message`, where `description` is not given.
    pub message: Option<crate::wire::Code>,
    /// `isRetryable`.
    pub is_retryable: Option<bool>,
    /// `parameters` (the sandbox's InvalidInput lists its issues there).
    pub parameters: Option<ErrorParameters>,
}

/// The `parameters` of an error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(default)]
pub struct ErrorParameters {
    /// The problems of the fields.
    pub issues: Vec<ErrorIssue>,
}

/// One problem of a field in an error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(default)]
pub struct ErrorIssue {
    /// The field's name (`email`).
    pub field: Option<String>,
    /// The problem's code.
    pub code: Option<String>,
}

impl From<ErrorAnswer> for ErrorBody {
    fn from(answer: ErrorAnswer) -> ErrorBody {
        ErrorBody {
            code: answer.code.map(|c| c.0),
            error_name: answer.error_name.map(|c| c.0),
            description: answer.description.or(answer.message).map(|c| c.0),
            is_retryable: answer.is_retryable,
            issues: answer
                .parameters
                .unwrap_or_default()
                .issues
                .into_iter()
                .filter_map(|issue| Some((Field::parse(&issue.field?)?, issue.code?)))
                .collect(),
        }
    }
}

/// A request that failed, after its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What the failure means.
    pub problem: BackendProblem,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The error body as read (empty when there was none).
    pub body: ErrorBody,
    /// How many attempts were made.
    pub attempts: u32,
}

impl Failure {
    /// An answer that made no sense (a collection without the expected item, say).
    pub fn unexpected() -> Failure {
        Failure {
            problem: BackendProblem::Unexpected,
            status: None,
            body: ErrorBody::default(),
            attempts: 1,
        }
    }

    /// The field problems this failure stands for: the server's own list, or the form problem
    /// that a known error means (a duplicate).
    pub fn issues(&self) -> Vec<Issue> {
        let mut issues: Vec<Issue> = self
            .body
            .issues
            .iter()
            .filter_map(|(field, code)| problem_of(code, *field).map(|p| Issue::new(*field, p)))
            .collect();
        if issues.is_empty() && self.problem == BackendProblem::DuplicateConfirmation {
            issues.push(Issue::new(Field::Form, Problem::DuplicateConfirmation {}));
        }
        issues
    }
}

/// A problem from its code, as a server reports it (`parameters.issues`), for the codes that
/// need no more detail. `too-long` takes the field's limit.
fn problem_of(code: &str, field: Field) -> Option<Problem> {
    Some(match IssueCode::parse(code)? {
        IssueCode::Required => Problem::Required {},
        IssueCode::InvalidAgreementType => Problem::InvalidAgreementType {},
        IssueCode::InvalidDate => Problem::InvalidDate {},
        IssueCode::TooLong if field == Field::Email => Problem::EmailTooLong {
            max: EMAIL_MAX_BYTES,
        },
        IssueCode::TooLong => Problem::TooLong {
            max: NAME_MAX_CHARS,
        },
        IssueCode::EmailTooLong => Problem::EmailTooLong {
            max: EMAIL_MAX_BYTES,
        },
        IssueCode::EmailLocalPartTooLong => Problem::EmailLocalPartTooLong {
            max: EMAIL_LOCAL_MAX_BYTES,
        },
        IssueCode::EmailTopLevelDomain => Problem::EmailTopLevelDomain {},
        IssueCode::InvalidCharacters => Problem::InvalidCharacters {},
        IssueCode::InvalidEmail => Problem::InvalidEmail {},
        IssueCode::InvalidPhone => Problem::InvalidPhone {},
        IssueCode::InvalidCustomerId => Problem::InvalidCustomerId {},
        IssueCode::InvalidDomain => Problem::InvalidDomain {},
        IssueCode::UnknownCountry => Problem::UnknownCountry {},
        IssueCode::DuplicateConfirmation => Problem::DuplicateConfirmation {},
        IssueCode::InvalidAttestationId => Problem::InvalidAttestationId {},
        _ => return None,
    })
}

crate::wire_enum! {
    /// What went wrong with a request (stable codes).
    pub enum BackendProblem {
        /// The token is missing, expired or wrong (401).
        Unauthorized = "unauthorized",
        /// Partner Center wants a sign-in with multi-factor authentication: a 401 with error
        /// 900421 on an App+User call (enforced from 2026).
        MfaRequired = "mfa-required",
        /// The signed-in user may not do this (403).
        Forbidden = "forbidden",
        /// The customer (or resource) does not exist (404).
        NotFound = "not-found",
        /// 600061: the same contact already confirmed this agreement.
        DuplicateConfirmation = "duplicate-confirmation",
        /// The date of acceptance is after the server's current date (its 600002).
        FutureDate = "future-date",
        /// The agreement's template is no longer supported (the Cloud Agreement after its end).
        AgreementNotAcceptable = "agreement-not-acceptable",
        /// The server refused some fields (see the issues).
        InvalidInput = "invalid-input",
        /// Another conflict (409): a reused request id, a domain already taken...
        Conflict = "conflict",
        /// The service is unavailable or overloaded (408, 429, 5xx), after the retries.
        Unavailable = "unavailable",
        /// A failure the server says a retry cannot mend (`isRetryable: false` on a 5xx, as
        /// the sandbox's `StorageFull`): not tried again, a row not sent again.
        NotRetryable = "not-retryable",
        /// No answer in time, after the retries.
        Timeout = "timeout",
        /// No answer at all (offline, blocked), after the retries.
        Network = "network",
        /// The route is retired (the legacy attestation POST from its retirement: 410).
        RouteRetired = "route-retired",
        /// An attestation completed before the customer accepted it.
        NotAccepted = "not-accepted",
        /// An order refused until the Customer Agreement is accepted (403, code 13605).
        OrderBlocked = "order-blocked",
        /// Anything else.
        Unexpected = "unexpected",
    }
}

impl BackendProblem {
    /// Whether the sign-in must be given again before any request can succeed (a refused or
    /// expired token, or one without multi-factor authentication): a run pauses rather than
    /// failing its rows.
    pub fn needs_sign_in(self) -> bool {
        matches!(
            self,
            BackendProblem::Unauthorized | BackendProblem::MfaRequired
        )
    }

    /// Whether a request that ended so may still have been carried out: no answer, an answer
    /// cut off, or the service failing (a record can exist that the client never heard of).
    pub fn may_have_been_done(self) -> bool {
        matches!(
            self,
            BackendProblem::Network
                | BackendProblem::Timeout
                | BackendProblem::Unavailable
                | BackendProblem::Unexpected
        )
    }
}

/// Whether `text` contains `phrase`, compared as bytes. (`str::contains` with a `&str` pattern
/// brings its substring search and panic formatting into the wasm module: 5.4 KB gzip.)
fn mentions(text: &str, phrase: &str) -> bool {
    text.as_bytes()
        .windows(phrase.len())
        .any(|window| window == phrase.as_bytes())
}

/// Classifies how a request ended (after any retries).
pub fn classify(outcome: Outcome, body: &ErrorBody) -> BackendProblem {
    let status = match outcome {
        Outcome::Network => return BackendProblem::Network,
        Outcome::Timeout => return BackendProblem::Timeout,
        Outcome::Status(status) => status,
    };
    let name = body.error_name.as_deref().unwrap_or_default();
    let text = body
        .description
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if status == 401 && (body.code.as_deref() == Some("900421") || mentions(&text, "900421")) {
        BackendProblem::MfaRequired
    } else if name == "PartnerConfirmedAgreementAlreadyExists"
        || mentions(&text, "partner confirmed agreement already exists")
    {
        BackendProblem::DuplicateConfirmation
    } else if name == "LegacyAttestationRetired" || status == 410 {
        BackendProblem::RouteRetired
    } else if name == "AttestationNotAccepted" {
        BackendProblem::NotAccepted
    } else if body.code.as_deref() == Some("13605") {
        BackendProblem::OrderBlocked
    } else if mentions(&text, "cannot be greater than the current date") {
        BackendProblem::FutureDate
    } else if mentions(&text, "is no longer supported") {
        BackendProblem::AgreementNotAcceptable
    } else if name == "InvalidInput" || !body.issues.is_empty() {
        BackendProblem::InvalidInput
    } else {
        match status {
            401 => BackendProblem::Unauthorized,
            403 => BackendProblem::Forbidden,
            404 => BackendProblem::NotFound,
            409 => BackendProblem::Conflict,
            500..=599 if body.is_retryable == Some(false) => BackendProblem::NotRetryable,
            408 | 429 | 500..=599 => BackendProblem::Unavailable,
            _ => BackendProblem::Unexpected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str, name: &str, description: &str) -> ErrorBody {
        ErrorBody {
            code: Some(code.into()),
            error_name: (!name.is_empty()).then(|| name.into()),
            description: Some(description.into()),
            ..ErrorBody::default()
        }
    }

    #[test]
    fn both_shapes_and_the_known_errors() {
        use BackendProblem::*;
        let rows = [
            (409, body("600061", "PartnerConfirmedAgreementAlreadyExists", "A partner confirmed agreement already exists for the customer."), DuplicateConfirmation),
            (400, body("600061", "", "A partner confirmed agreement already exists for the customer."), DuplicateConfirmation),
            (400, body("600002", "", "Date of agreement cannot be greater than the current date."), FutureDate),
            // The same number with the other documented meaning is not a date problem.
            (400, body("600002", "", "Organization registration ID value isn't supported."), Unexpected),
            (400, body("400", "TemplateNotSupported", "Microsoft Cloud Agreement Template ID '998b88de-aa99-4388-a42c-1b3517d49490' is no longer supported."), AgreementNotAcceptable),
            (400, body("400", "InvalidInput", "The request is not valid."), InvalidInput),
            (401, body("401", "", "Authentication failed"), Unauthorized),
            (401, body("900421", "", "MFA is required for this request."), MfaRequired),
            (401, body("401", "", "AADSTS error 900421: multi-factor authentication required"), MfaRequired),
            // The same number on another status is not the MFA rule.
            (400, body("900421", "", "?"), Unexpected),
            (403, body("403", "", "Forbidden"), Forbidden),
            (404, body("404", "", "Customer was not found."), NotFound),
            (409, body("409", "RequestIdConflict", "..."), Conflict),
            (503, ErrorBody::default(), Unavailable),
            (429, ErrorBody::default(), Unavailable),
            (418, ErrorBody::default(), Unexpected),
            (410, body("410", "LegacyAttestationRetired", "Retired."), RouteRetired),
            (410, ErrorBody::default(), RouteRetired),
            (409, body("409", "AttestationNotAccepted", "Not accepted yet."), NotAccepted),
            (403, body("13605", "", "Accept the Microsoft Customer Agreement first."), OrderBlocked),
        ];
        for (status, body, expected) in rows {
            assert_eq!(
                classify(Outcome::Status(status), &body),
                expected,
                "{status} {body:?}"
            );
        }
        assert_eq!(classify(Outcome::Network, &ErrorBody::default()), Network);
        assert_eq!(classify(Outcome::Timeout, &ErrorBody::default()), Timeout);
    }
}
