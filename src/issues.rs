//! What a check can find: the fields of the confirmation form and the problems, each with a
//! stable code (SPEC §4.1). Messages are not here: `messages` turns a problem into text.

use chrono::NaiveDate;

use crate::agreement::AgreementType;

crate::wire_enum! {
    /// A field of the confirmation form, named as in the form object (`form` for the whole form,
    /// `role` for the user's role given in the options).
    pub enum Field {
        AgreementType = "agreementType",
        DateAgreed = "dateAgreed",
        FirstName = "firstName",
        LastName = "lastName",
        Email = "email",
        PhoneNumber = "phoneNumber",
        CustomerId = "customerId",
        Country = "country",
        Language = "language",
        Role = "role",
        Form = "form",
    }
}

/// Why an agreement cannot be confirmed on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// It was acceptable up to this day (inclusive).
    Until(NaiveDate),
    /// It becomes acceptable on this day.
    From(NaiveDate),
}

/// Why a partner's role does not allow confirming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleRefusal {
    /// Only admin agents and sales agents may confirm.
    Role,
    /// Indirect resellers cannot confirm: their indirect provider does.
    IndirectReseller,
}

/// One problem found by a check. `code()` is the stable, documented identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    InvalidAgreementType,
    AgreementNotAcceptable {
        agreement: AgreementType,
        window: Window,
    },
    LastDayOfTransition {
        last_day: NaiveDate,
    },
    InvalidDate,
    /// `latest` is the last allowed day; `utc_rule` when the user's local date is ahead of UTC.
    FutureDate {
        latest: NaiveDate,
        utc_rule: bool,
    },
    AfterRetirement {
        last_day: NaiveDate,
    },
    BeforeAvailability {
        available_from: NaiveDate,
    },
    TooLong {
        max: usize,
    },
    InvalidCharacters,
    InvalidEmail,
    InvalidPhone,
    InvalidCustomerId,
    UnknownCountry,
    UnsupportedLanguage {
        country: Option<&'static str>,
        supported: &'static [&'static str],
    },
    RoleNotAllowed(RoleRefusal),
    DuplicateConfirmation,
    TemplateMismatch {
        agreement: AgreementType,
    },
}

impl Problem {
    /// The stable code (kebab-case) of SPEC §4.1.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::InvalidAgreementType => "invalid-agreement-type",
            Problem::AgreementNotAcceptable { .. } => "agreement-not-acceptable",
            Problem::LastDayOfTransition { .. } => "last-day-of-transition",
            Problem::InvalidDate => "invalid-date",
            Problem::FutureDate { .. } => "future-date",
            Problem::AfterRetirement { .. } => "after-retirement",
            Problem::BeforeAvailability { .. } => "before-availability",
            Problem::TooLong { .. } => "too-long",
            Problem::InvalidCharacters => "invalid-characters",
            Problem::InvalidEmail => "invalid-email",
            Problem::InvalidPhone => "invalid-phone",
            Problem::InvalidCustomerId => "invalid-customer-id",
            Problem::UnknownCountry => "unknown-country",
            Problem::UnsupportedLanguage { .. } => "unsupported-language",
            Problem::RoleNotAllowed(_) => "role-not-allowed",
            Problem::DuplicateConfirmation => "duplicate-confirmation",
            Problem::TemplateMismatch { .. } => "template-mismatch",
        }
    }
}

/// A problem on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: Field,
    pub problem: Problem,
}

impl Issue {
    pub fn new(field: Field, problem: Problem) -> Issue {
        Issue { field, problem }
    }

    pub fn code(&self) -> &'static str {
        self.problem.code()
    }
}
