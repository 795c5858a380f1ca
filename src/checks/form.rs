//! The confirmation form (SPEC §4): every check of every field, run together so that all
//! problems come back at once, and the payload built when there are none.

use chrono::NaiveDate;

use crate::checks::fields::{check_email, check_name, check_phone, check_template, CustomerId};
use crate::checks::issues::{AcceptableWindow, Field, Issue, Problem, RoleRefusal};
use crate::checks::text;
use crate::checks::text::Trimmed;
use crate::flows::payload::{Agreement, AgreementPayload, Contact};
use crate::rules::agreement::AgreementType;
use crate::rules::date::{parse_date, Today};
use crate::rules::route::{confirmation_route, Route};
use crate::rules::status::{agreement_status, Scope};

pub use crate::checks::schema::{ConfirmationForm, FormView};

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
                Problem::RoleNotAllowed {
                    refusal: RoleRefusal::Role,
                },
            ));
        }
    }
    if ctx.partner_type == Some(PartnerType::IndirectReseller) {
        issues.push(Issue::new(
            Field::Role,
            Problem::RoleNotAllowed {
                refusal: RoleRefusal::IndirectReseller,
            },
        ));
    }
}

/// Checks every field of the form and returns every error and warning.
pub fn validate(form: &ConfirmationForm, ctx: &Context) -> Report {
    validate_view(form.view(), ctx)
}

/// [`validate`] of a borrowed form.
pub fn validate_view(form: FormView<'_>, ctx: &Context) -> Report {
    let mut report = Report::default();
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
    /// The form's values (the contact is sent from them, trimmed).
    pub form: FormView<'a>,
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
        Some(AgreementPayload {
            primary_contact: Contact::of_view(self.form),
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
            error(Field::AgreementType, Problem::Required {});
            None
        }
        value => match AgreementType::parse(value) {
            Some(agreement) => Some(agreement),
            None => {
                error(Field::AgreementType, Problem::InvalidAgreementType {});
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
                    AcceptableWindow::Until(policy.cloud_agreement_last_day)
                }
                AgreementType::MicrosoftCustomerAgreement => AcceptableWindow::From(
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
            error(Field::DateAgreed, Problem::Required {});
            None
        }
        value => match parse_date(value) {
            None => {
                error(Field::DateAgreed, Problem::InvalidDate {});
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
    signatory_problems(form, &mut error);

    // Customer id: optional here, a GUID when given.
    let customer_id = form.customer_id.trimmed();
    if !customer_id.is_empty() {
        checked.customer_id = CustomerId::parse(customer_id);
        if checked.customer_id.is_none() {
            error(Field::CustomerId, Problem::InvalidCustomerId {});
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
            errors.push(Issue::new(Field::Form, Problem::DuplicateConfirmation {}));
        }
    }

    checked.agreement = agreement;
    checked.date_agreed = date_agreed;
    checked.template_id = template_id;
    checked.form = form;
    checked
}

/// The signatory's problems, each given to `problem`: every form asks for the same person, and
/// checks them so (the confirmation, the attestation, a file's rows).
pub fn signatory_problems(form: FormView<'_>, problem: &mut dyn FnMut(Field, Problem)) {
    for field in Field::SIGNATORY {
        signatory_field_problems(field, form.get(field).unwrap_or_default(), problem);
    }
}

/// The problems of one of the signatory's fields, on its value alone (trimmed here).
pub fn signatory_field_problems(
    field: Field,
    value: &str,
    problem: &mut dyn FnMut(Field, Problem),
) {
    let value = value.trimmed();
    let problems = match field {
        Field::FirstName | Field::LastName => check_name(value),
        Field::Email => check_email(value),
        Field::PhoneNumber => check_phone(value),
        _ => return,
    };
    for found in problems {
        problem(field, found);
    }
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
/// that field's errors and warnings are returned. For `role`, `value` is the role. A
/// signatory's field is checked on its value alone: nothing else in the form or the context
/// changes its problems (the same person confirming twice is the whole form's).
pub fn validate_field(field: Field, value: &str, form: &ConfirmationForm, ctx: &Context) -> Report {
    if Field::SIGNATORY.contains(&field) {
        let mut report = Report::default();
        signatory_field_problems(field, value, &mut |of, problem| {
            report.errors.push(Issue::new(of, problem))
        });
        return report;
    }
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
