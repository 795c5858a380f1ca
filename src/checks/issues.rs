//! What a check can find: the fields of the confirmation form and the problems, each with a
//! stable code (SPEC §4.1). Messages are not here: `messages` turns a problem into text.

use chrono::NaiveDate;

use crate::rules::agreement::AgreementType;

pub use crate::checks::schema::Field;

/// Lists of fields joined.
impl Field {
    /// Two lists of fields one after the other (`R` must be their lengths added: checked when
    /// the constant is built).
    pub const fn join<const N: usize, const M: usize, const R: usize>(
        first: [Field; N],
        then: [Field; M],
    ) -> [Field; R] {
        assert!(N + M == R, "Field::join: the length of the joined list");
        let mut joined = [Field::Form; R];
        let mut i = 0;
        while i < N {
            joined[i] = first[i];
            i += 1;
        }
        let mut j = 0;
        while j < M {
            joined[N + j] = then[j];
            j += 1;
        }
        joined
    }
}

/// Why an agreement cannot be confirmed on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum AcceptableWindow {
    /// It was acceptable up to this day (inclusive).
    Until(
        #[serde(serialize_with = "crate::rules::date::write_day")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        NaiveDate,
    ),
    /// It becomes acceptable on this day.
    From(
        #[serde(serialize_with = "crate::rules::date::write_day")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        NaiveDate,
    ),
}

crate::wire_enum! {
    /// Why a partner's role does not allow confirming.
    pub enum RoleRefusal {
        /// Only admin agents and sales agents may confirm.
        Role = "role",
        /// Indirect resellers cannot confirm: their indirect provider does.
        IndirectReseller = "indirect-reseller",
    }
}

crate::coded_enum! {
    /// One problem found by a check. `code()` is the stable, documented identifier.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Problem =>
        /// The stable code of a problem (SPEC §4.1), as it appears in results and server answers.
        IssueCode with params {
        /// The field is empty.
        Required {} = "required",
        /// Neither of the two agreement types.
        InvalidAgreementType {} = "invalid-agreement-type",
        /// The agreement cannot be confirmed on the day.
        AgreementNotAcceptable {
            /// The agreement chosen.
            #[serde(rename = "agreementType")]
            agreement: AgreementType,
            /// When it is acceptable: `until` its last day, or `from` its first.
            #[serde(flatten)]
            window: AcceptableWindow,
        } = "agreement-not-acceptable",
        /// The Cloud Agreement on its last acceptable day (a warning).
        LastDayOfTransition {
            /// That last day.
            #[serde(serialize_with = "crate::rules::date::write_day")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            last_day: NaiveDate,
        } = "last-day-of-transition",
        /// Not a real `YYYY-MM-DD` date.
        InvalidDate {} = "invalid-date",
        /// Later than the last allowed day.
        FutureDate {
            /// The last allowed day.
            #[serde(serialize_with = "crate::rules::date::write_day")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            latest: NaiveDate,
            /// The user's local date is ahead of UTC: Partner Center counts days in UTC.
            utc_rule: bool,
        } = "future-date",
        /// A Cloud Agreement dated after its last day.
        AfterRetirement {
            /// That last day.
            #[serde(serialize_with = "crate::rules::date::write_day")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            last_day: NaiveDate,
        } = "after-retirement",
        /// A Customer Agreement dated before it was available (a warning).
        BeforeAvailability {
            /// The first day it was available in that environment.
            #[serde(serialize_with = "crate::rules::date::write_day")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            available_from: NaiveDate,
        } = "before-availability",
        /// Longer than allowed.
        TooLong {
            /// The most characters allowed.
            max: usize,
        } = "too-long",
        /// Control or format characters.
        InvalidCharacters {} = "invalid-characters",
        /// Not one email address.
        InvalidEmail {} = "invalid-email",
        /// An email address longer than its limit in octets of UTF-8 (RFC 5321: 254).
        EmailTooLong {
            /// The most octets.
            max: usize,
        } = "email-too-long",
        /// The part before the `@` longer than its limit in octets of UTF-8 (RFC 5321: 64).
        EmailLocalPartTooLong {
            /// The most octets.
            max: usize,
        } = "email-local-part-too-long",
        /// The domain holds a character no domain name can hold (IDNA).
        EmailDomainCharacter {
            /// That character, written with its code point (`© (U+00A9)`).
            #[serde(serialize_with = "crate::checks::messages::write_code_point")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            character: char,
        } = "email-domain-character",
        /// The domain would be read as another (a label IDNA maps to something else).
        EmailReadAs {
            /// The address as it would be read.
            address: String,
        } = "email-read-as",
        /// The top-level label of the domain is not letters only, two or more.
        EmailTopLevelDomain {} = "email-top-level-domain",
        /// Not a phone number.
        InvalidPhone {} = "invalid-phone",
        /// Not a GUID.
        InvalidCustomerId {} = "invalid-customer-id",
        /// Not a valid domain prefix.
        InvalidDomain {} = "invalid-domain",
        /// Not a template country.
        UnknownCountry {} = "unknown-country",
        /// Not one of the country's languages.
        UnsupportedLanguage {
            /// The country, when known.
            #[serde(skip_serializing_if = "Option::is_none")]
            #[cfg_attr(target_arch = "wasm32", tsify(optional))]
            country: Option<&'static str>,
            /// Its languages.
            supported: &'static [&'static str],
        } = "unsupported-language",
        /// The user or partner may not confirm.
        RoleNotAllowed {
            /// Why.
            refusal: RoleRefusal,
        } = "role-not-allowed",
        /// The customer already holds the same confirmation.
        DuplicateConfirmation {} = "duplicate-confirmation",
        /// The template id is not the agreement's.
        TemplateMismatch {
            /// The agreement the payload names.
            #[serde(rename = "agreementType")]
            agreement: AgreementType,
        } = "template-mismatch",
        /// Not an attestation id (letters, digits, `-` and `_`).
        InvalidAttestationId {} = "invalid-attestation-id",
        /// An attestation sent earlier waits for this customer (one live attestation per
        /// customer): check it, complete it, or withdraw it first.
        AttestationInProgress {
            /// The day it was sent.
            #[serde(serialize_with = "crate::rules::date::write_day")]
            #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
            since: NaiveDate,
            /// The day its link expires, when known.
            #[serde(serialize_with = "crate::rules::date::write_some_day")]
            #[serde(skip_serializing_if = "Option::is_none")]
            #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
            expires: Option<NaiveDate>,
        } = "attestation-in-progress",
        /// The ledger has this attestation for another customer.
        AttestationOfAnotherCustomer {} = "attestation-of-another-customer",
    }
}

/// A problem on a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Issue {
    /// The field concerned.
    pub field: Field,
    /// What is wrong.
    pub problem: Problem,
}

impl Issue {
    /// An issue of this field.
    pub fn new(field: Field, problem: Problem) -> Issue {
        Issue { field, problem }
    }

    /// The problem's stable code.
    pub fn code(&self) -> IssueCode {
        self.problem.code()
    }
}
