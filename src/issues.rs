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
        /// Of a new customer's account information.
        CompanyName = "companyName",
        /// Of a new customer's account information (`contoso.onmicrosoft.com`).
        Domain = "domain",
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
    InvalidDomain,
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
    /// A problem from its code, as a server reports it (`parameters.issues`), for the codes that
    /// need no more detail. `too-long` takes the field's limit.
    pub fn from_code(code: &str, field: Field) -> Option<Problem> {
        Some(match code {
            "required" => Problem::Required,
            "invalid-agreement-type" => Problem::InvalidAgreementType,
            "invalid-date" => Problem::InvalidDate,
            "too-long" => Problem::TooLong {
                max: if field == Field::Email {
                    crate::fields::EMAIL_MAX_CHARS
                } else {
                    crate::fields::NAME_MAX_CHARS
                },
            },
            "invalid-characters" => Problem::InvalidCharacters,
            "invalid-email" => Problem::InvalidEmail,
            "invalid-phone" => Problem::InvalidPhone,
            "invalid-customer-id" => Problem::InvalidCustomerId,
            "invalid-domain" => Problem::InvalidDomain,
            "unknown-country" => Problem::UnknownCountry,
            "duplicate-confirmation" => Problem::DuplicateConfirmation,
            _ => return None,
        })
    }

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
            Problem::InvalidDomain => "invalid-domain",
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
