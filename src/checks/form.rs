//! The confirmation form (SPEC §4): every check of every field, run together so that all
//! problems come back at once, and the payload built when there are none.

use chrono::NaiveDate;
use serde::Serialize;

use crate::checks::fields::{check_email, check_name, check_phone, check_template, CustomerId};
use crate::checks::issues::{Field, Issue, Problem, RoleRefusal, Window};
use crate::checks::text;
use crate::checks::text::Trimmed;
use crate::flows::payload::{Agreement, AgreementPayload, Contact};
use crate::rules::agreement::AgreementType;
use crate::rules::date::{parse_date, Today};
use crate::rules::route::{confirmation_route, Route};
use crate::rules::status::{agreement_status, Scope};

/// The member of a form (a [`ConfirmationForm`] or a [`FormView`]) that holds `field`, borrowed
/// as `&` or `&mut`: one list of the fields' members for every accessor.
macro_rules! member_of {
    ($form:ident, $field:expr, $($borrow:tt)+) => {
        Some(match $field {
            Field::AgreementType => $($borrow)+ $form.agreement_type,
            Field::DateAgreed => $($borrow)+ $form.date_agreed,
            Field::FirstName => $($borrow)+ $form.first_name,
            Field::LastName => $($borrow)+ $form.last_name,
            Field::Email => $($borrow)+ $form.email,
            Field::PhoneNumber => $($borrow)+ $form.phone_number,
            Field::CustomerId => $($borrow)+ $form.customer_id,
            Field::Country => $($borrow)+ $form.country,
            Field::Language => $($borrow)+ $form.language,
            Field::Role | Field::Form | Field::CompanyName | Field::Domain => return None,
        })
    };
}

/// The form as the user typed it. Every value is text as entered; a missing or `null` value is
/// empty. Values are trimmed before they are checked and sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct ConfirmationForm {
    /// `MicrosoftCustomerAgreement` or `MicrosoftCloudAgreement`.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "AgreementType | \"\" | null")
    )]
    pub agreement_type: String,
    /// `YYYY-MM-DD`, as an `<input type="date">` gives it.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub date_agreed: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    /// The signatory's first name.
    pub first_name: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    /// The signatory's last name.
    pub last_name: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    /// The signatory's email address.
    pub email: String,
    /// Optional.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub phone_number: String,
    /// The customer's tenant id (a GUID); optional in the checks, required to send.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub customer_id: String,
    /// Country of the agreement template (`FR`), optional.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub country: String,
    /// Language of the agreement template (`fr-FR`), optional; default `en-US`.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub language: String,
}

impl ConfirmationForm {
    /// The fields of the form, in the order a written file puts them.
    pub const FIELDS: [Field; 9] = Field::join(
        Field::join::<1, 2, 3>([Field::CustomerId], Field::AGREEMENT),
        Field::join::<4, 2, 6>(Field::SIGNATORY, Field::TEMPLATE),
    );

    /// The value of one field (`role` and `form` have none here).
    pub fn get(&self, field: Field) -> Option<&str> {
        member_of!(self, field, &)
    }

    /// The value of one field, to change it.
    pub fn slot(&mut self, field: Field) -> Option<&mut String> {
        member_of!(self, field, &mut)
    }
}

/// A form's values, borrowed: a [`ConfirmationForm`], or a row of a file read where it lies.
/// The checks read this, so that a file's rows are checked without copying them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormView<'a> {
    /// See [`ConfirmationForm::agreement_type`].
    pub agreement_type: &'a str,
    /// See [`ConfirmationForm::date_agreed`].
    pub date_agreed: &'a str,
    /// See [`ConfirmationForm::first_name`].
    pub first_name: &'a str,
    /// See [`ConfirmationForm::last_name`].
    pub last_name: &'a str,
    /// See [`ConfirmationForm::email`].
    pub email: &'a str,
    /// See [`ConfirmationForm::phone_number`].
    pub phone_number: &'a str,
    /// See [`ConfirmationForm::customer_id`].
    pub customer_id: &'a str,
    /// See [`ConfirmationForm::country`].
    pub country: &'a str,
    /// See [`ConfirmationForm::language`].
    pub language: &'a str,
}

impl<'a> FormView<'a> {
    /// The value of one field, to set it (`role` and `form` have none).
    pub fn slot(&mut self, field: Field) -> Option<&mut &'a str> {
        member_of!(self, field, &mut)
    }
}

impl ConfirmationForm {
    /// The form's values, borrowed.
    pub fn view(&self) -> FormView<'_> {
        FormView {
            agreement_type: &self.agreement_type,
            date_agreed: &self.date_agreed,
            first_name: &self.first_name,
            last_name: &self.last_name,
            email: &self.email,
            phone_number: &self.phone_number,
            customer_id: &self.customer_id,
            country: &self.country,
            language: &self.language,
        }
    }
}

crate::wire_enum! {
    /// The role of the signed-in partner user (Partner Center roles).
    pub enum Role {
        AdminAgent = "admin-agent",
        SalesAgent = "sales-agent",
        HelpdeskAgent = "helpdesk-agent",
        BillingAdmin = "billing-admin",
        GlobalAdmin = "global-admin",
    }
}

impl Role {
    /// Only admin agents and sales agents may confirm a customer's acceptance.
    pub fn may_confirm(self) -> bool {
        matches!(self, Role::AdminAgent | Role::SalesAgent)
    }
}

crate::wire_enum! {
    /// The kind of CSP partner the user works for.
    pub enum PartnerType {
        DirectBill = "direct-bill",
        IndirectProvider = "indirect-provider",
        /// Cannot confirm: the indirect provider does it for the reseller's customers.
        IndirectReseller = "indirect-reseller",
    }
}

/// What the checks need beyond the form: the day, the rules, the user, the customer's existing
/// confirmations and the template to use.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// None = the day is not known: the checks that depend on it are skipped.
    pub today: Option<Today>,
    /// The environment and channel, and the policy of dates.
    pub scope: Scope,
    /// The user's role, when the caller states it. `Some(None)`: a role this crate does not
    /// know (never allowed).
    pub role: Option<Option<Role>>,
    /// The partner's type, when the caller states it.
    pub partner_type: Option<PartnerType>,
    /// The customer's confirmations as read back from the backend (for the duplicate check).
    pub existing: Vec<Agreement>,
    /// The template id from the backend's metadata; default: the well-known one (SPEC §1).
    pub template_id: Option<String>,
    /// The route a confirmation takes, when the caller pins it; else the route of the day.
    pub route: Option<Route>,
}

impl Context {
    /// The route a confirmation takes: the one pinned, else the route of Partner Center's day
    /// (UTC), else (no day known) the route of today's Partner Center. The one place the route
    /// is chosen: the form, the client, a file's rows and `attachValidation` all ask here.
    pub fn route(&self) -> Route {
        self.route.unwrap_or_else(|| {
            self.today.map_or(Route::Enhanced, |today| {
                let scope = &self.scope;
                confirmation_route(today.utc, scope.environment, &scope.policy).route
            })
        })
    }
}

/// The outcome of checking a form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Every error found.
    pub errors: Vec<Issue>,
    /// Every warning found.
    pub warnings: Vec<Issue>,
    /// The body to send, when there are no errors.
    pub payload: Option<AgreementPayload>,
    /// The customer id, lower case without braces, when given and valid.
    pub customer_id: Option<String>,
    /// The template country (upper case), when valid.
    pub country: Option<&'static str>,
    /// The template language (canonical), when valid.
    pub language: Option<&'static str>,
}

impl Report {
    /// No errors: the payload is present.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The refusals of the user's role or partner type (none when the caller states neither):
/// shared by the confirmation and the attestation; added to `issues`.
pub fn who_may_confirm(ctx: &Context, issues: &mut Vec<Issue>) {
    if let Some(role) = ctx.role {
        if !role.is_some_and(Role::may_confirm) {
            issues.push(Issue::new(
                Field::Role,
                Problem::RoleNotAllowed(RoleRefusal::Role),
            ));
        }
    }
    if ctx.partner_type == Some(PartnerType::IndirectReseller) {
        issues.push(Issue::new(
            Field::Role,
            Problem::RoleNotAllowed(RoleRefusal::IndirectReseller),
        ));
    }
}

/// Checks every field of the form and returns every error and warning.
pub fn validate(form: &ConfirmationForm, ctx: &Context) -> Report {
    let mut report = Report::default();
    let form = form.view();
    let checked = check(form, ctx, &mut report.errors, &mut report.warnings);
    report.customer_id = checked.customer_id.map(CustomerId::to_text);
    report.country = checked.country;
    report.language = checked.language;
    if report.errors.is_empty() {
        report.payload = checked.payload();
    }
    report
}

/// What [`check`] read from a form, beyond its problems.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked<'a> {
    /// The agreement, when known.
    pub agreement: Option<AgreementType>,
    /// The date of acceptance, when it is a date.
    pub date_agreed: Option<NaiveDate>,
    /// The template id to send: the backend's (from the context) or the well-known one.
    pub template_id: Option<&'a str>,
    /// The customer id, when given and valid.
    pub customer_id: Option<CustomerId>,
    /// The template country (upper case), when valid.
    pub country: Option<&'static str>,
    /// The template language (canonical), when valid.
    pub language: Option<&'static str>,
    /// The contact's first and last names, email and phone, trimmed.
    pub contact: [&'a str; 4],
}

impl Checked<'_> {
    /// The body to send, when nothing it needs is missing. Only meaningful when the check
    /// found no error.
    pub fn payload(&self) -> Option<AgreementPayload> {
        let (Some(template_id), Some(date_agreed), Some(agreement_type)) =
            (self.template_id, self.date_agreed, self.agreement)
        else {
            return None;
        };
        let [first_name, last_name, email, phone] = self.contact;
        Some(AgreementPayload {
            primary_contact: Contact {
                first_name: first_name.to_string(),
                last_name: last_name.to_string(),
                email: email.to_string(),
                phone_number: (!phone.is_empty()).then(|| phone.to_string()),
            },
            template_id: template_id.to_string(),
            date_agreed,
            agreement_type,
        })
    }
}

/// Every check of the form, without building its payload: errors and warnings are added to
/// the two lists (nothing is allocated for a valid form), and what was read is returned.
pub fn check<'a>(
    form: FormView<'a>,
    ctx: &'a Context,
    errors: &mut Vec<Issue>,
    warnings: &mut Vec<Issue>,
) -> Checked<'a> {
    let mut checked = Checked::default();
    let mut error = |field, problem| errors.push(Issue::new(field, problem));
    // Agreement type: required, known, acceptable on the day of submission.
    let agreement = match form.agreement_type.trimmed() {
        "" => {
            error(Field::AgreementType, Problem::Required);
            None
        }
        value => match AgreementType::parse(value) {
            Some(agreement) => Some(agreement),
            None => {
                error(Field::AgreementType, Problem::InvalidAgreementType);
                None
            }
        },
    };
    if let (Some(agreement), Some(today)) = (agreement, ctx.today) {
        let status = agreement_status(agreement, today.submission_day(), &ctx.scope);
        if !status.acceptable {
            let policy = &ctx.scope.policy;
            let window = match agreement {
                AgreementType::MicrosoftCloudAgreement => {
                    Window::Until(policy.cloud_agreement_last_day)
                }
                AgreementType::MicrosoftCustomerAgreement => Window::From(
                    policy.customer_agreement_from(ctx.scope.environment, ctx.scope.channel),
                ),
            };
            error(
                Field::AgreementType,
                Problem::AgreementNotAcceptable { agreement, window },
            );
        }
        for warning in status.warnings {
            warnings.push(Issue::new(Field::AgreementType, warning));
        }
    }

    // Template: type and templateId must agree (the server follows the templateId).
    let template_id = agreement.map(|a| {
        ctx.template_id
            .as_deref()
            .map(str::trim)
            .unwrap_or(a.default_template().template_id)
    });
    // (The agreement's own template, when the context names none, always agrees.)
    if let (Some(agreement), Some(template_id), true) =
        (agreement, template_id, ctx.template_id.is_some())
    {
        if AgreementType::of_known_template(template_id).is_some_and(|t| t != agreement) {
            error(
                Field::AgreementType,
                Problem::TemplateMismatch { agreement },
            );
        }
    }

    // Date of acceptance.
    let date_agreed = match form.date_agreed.trimmed() {
        "" => {
            error(Field::DateAgreed, Problem::Required);
            None
        }
        value => match parse_date(value) {
            None => {
                error(Field::DateAgreed, Problem::InvalidDate);
                None
            }
            Some(date) => {
                if let Some(today) = ctx.today {
                    let latest = today.latest_agreed_date();
                    if date > latest {
                        let utc_rule = today.local_is_ahead() && date <= today.local;
                        error(Field::DateAgreed, Problem::FutureDate { latest, utc_rule });
                    }
                }
                let policy = &ctx.scope.policy;
                match agreement {
                    Some(AgreementType::MicrosoftCloudAgreement)
                        if date > policy.cloud_agreement_last_day =>
                    {
                        let last_day = policy.cloud_agreement_last_day;
                        error(Field::DateAgreed, Problem::AfterRetirement { last_day });
                    }
                    Some(AgreementType::MicrosoftCustomerAgreement) => {
                        let available_from = policy
                            .customer_agreement_from(ctx.scope.environment, ctx.scope.channel);
                        if date < available_from {
                            warnings.push(Issue::new(
                                Field::DateAgreed,
                                Problem::BeforeAvailability { available_from },
                            ));
                        }
                    }
                    _ => {}
                }
                Some(date)
            }
        },
    };

    // The person who accepted.
    let first_name = form.first_name.trimmed();
    let last_name = form.last_name.trimmed();
    let email = form.email.trimmed();
    let phone = form.phone_number.trimmed();
    for (field, problems) in [
        (Field::FirstName, check_name(first_name)),
        (Field::LastName, check_name(last_name)),
        (Field::Email, check_email(email)),
        (Field::PhoneNumber, check_phone(phone)),
    ] {
        for problem in problems {
            error(field, problem);
        }
    }

    // Customer id: optional here, a GUID when given.
    let customer_id = form.customer_id.trimmed();
    if !customer_id.is_empty() {
        checked.customer_id = CustomerId::parse(customer_id);
        if checked.customer_id.is_none() {
            error(Field::CustomerId, Problem::InvalidCustomerId);
        }
    }

    // Template country and language.
    let template = check_template(form.country, form.language);
    checked.country = template.country.map(|c| c.code);
    checked.language = template.language;
    if let Some(problem) = template.country_problem {
        error(Field::Country, problem);
    }
    if let Some(problem) = template.language_problem {
        error(Field::Language, problem);
    }

    // Who confirms.
    who_may_confirm(ctx, errors);

    // The same person already confirmed the same agreement for this customer (error 600061).
    if let Some(agreement) = agreement.filter(|_| !ctx.existing.is_empty()) {
        if holds_same(
            &ctx.existing,
            agreement,
            first_name,
            last_name,
            email,
            phone,
        ) {
            errors.push(Issue::new(Field::Form, Problem::DuplicateConfirmation));
        }
    }

    checked.agreement = agreement;
    checked.date_agreed = date_agreed;
    checked.template_id = template_id;
    checked.contact = [first_name, last_name, email, phone];
    checked
}

/// Whether `existing` holds a confirmation of `agreement` by the same person (Partner Center's
/// error 600061). Compared as the same person would be (composed Unicode, phone digits): a name
/// typed with a combining accent, or a phone written with other separators, is no new contact.
#[inline(always)]
pub fn holds_same(
    existing: &[Agreement],
    agreement: AgreementType,
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: &str,
) -> bool {
    let person = text::PersonKey::of(first_name, last_name, email, phone);
    existing
        .iter()
        .any(|e| e.agreement_type == agreement && e.primary_contact.person_key() == person)
}

/// Checks one field as the user types: `value` replaces that field of `form` (the rest of the
/// form gives context: the agreement type for the date, the country for the language), and only
/// that field's errors and warnings are returned. For `role`, `value` is the role.
pub fn validate_field(field: Field, value: &str, form: &ConfirmationForm, ctx: &Context) -> Report {
    let mut form = form.clone();
    let mut ctx = ctx.clone();
    match form.slot(field) {
        Some(slot) => *slot = value.to_string(),
        None if field == Field::Role => ctx.role = Some(Role::parse(value.trimmed())),
        None => {}
    }
    let mut report = validate(&form, &ctx);
    report.errors.retain(|i| i.field == field);
    report.warnings.retain(|i| i.field == field);
    report.payload = None;
    report
}
