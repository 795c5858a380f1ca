//! `attachValidation`: live validation of a portal's own `<form>` whose controls are named like
//! the form's fields (`firstName`, `email`...). Messages appear next to each control
//! (`aria-invalid`, `aria-describedby`), an error summary with links to the fields appears on
//! submit and takes focus, and submission is blocked while the form is invalid.
//!
//! Made for forms a framework renders (React, Vue): the controls are found when events happen
//! (a control rendered after attaching is covered), the listeners belong to the form (they live
//! as long as it does, whether or not the handle is kept), the host's `onChange` is called in a
//! task of its own after the event (a controlled input's own handler has run by then, so no
//! keystroke is lost), and `detach()` (also `free()` and `[Symbol.dispose]()`, in any order,
//! any number of times) removes every listener and element added and restores every attribute
//! changed. Element ids are unique per attachment.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement};

use super::convert::{
    attestation_validation, context_of, field_issues, result_of, to_js, today_of,
    validation_options,
};
use super::input::{self, function_of, Args, Obj};
use super::interface::js_interface;
use super::shapes::{FieldIssue, InvalidResult, ValidationOptions};
use crate::checks::customer::{customer_payload, validate_customer, CustomerForm, NewCustomer};
use crate::checks::form::{self, ConfirmationForm, Report, Role};
use crate::checks::issues::{Field, Issue};
use crate::checks::messages::{self, Locale};
use crate::flows::attestation::{enhanced_route_issues, AttestationForm};
use crate::rules::route::Route;

crate::wire_enum! {
    /// Which form `attachValidation` enhances.
    pub enum FormKind {
        /// The confirmation of the Customer Agreement (the default).
        Confirmation = "confirmation",
        /// A new customer's account information.
        Customer = "customer",
    }
}

/// Options of attachValidation: the options of validateConfirmation, and a few of its own.
#[csp_agreements_derive::optional_members]
#[derive(Debug, Default, Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
pub struct AttachOptions {
    /// The options of `validateConfirmation`.
    #[serde(flatten)]
    pub validation: ValidationOptions,
    /// Which form: the confirmation (default) or a new customer's account information.
    pub kind: Option<FormKind>,
    /// Called after every validation with its result, in a task of its own once the event that
    /// caused it has been handled (a framework's own input handlers run first). A confirmation
    /// form is checked for the route of the day (`confirmationRoute`): on the enhanced route
    /// the date of acceptance is not asked (the customer accepts by the attestation's link) and
    /// the result is an `AttestationValidationResult` (taken as it is from the argument).
    #[tsify(
        optional,
        type = "(result: ValidationResult | CustomerValidationResult | AttestationValidationResult) => void"
    )]
    #[allow(dead_code)]
    pub on_change: Option<super::input::Given>,
    /// The heading level of the error summary's title (2 to 6, default 2), to fit the page's
    /// outline.
    #[read(whole(2, 6))]
    pub summary_heading_level: Option<u32>,
}

js_interface! {
    /// What attachValidation returns. The validation lives as long as the form, whether or not
    /// this handle is kept; `detach()` ends it (as do `free()` and `[Symbol.dispose]()`, so
    /// `using handle = attachValidation(form)` detaches at the end of the block): every listener
    /// and element added is removed and every attribute changed is restored. Detaching again does
    /// nothing; the other methods throw once detached.
    pub(super) HandleMembers for "ValidationHandle" {
        /// Checks the whole form now and shows every message, the summary included (focused
        /// when there are errors).
        VALIDATE = "validate" "(): ValidationResult | CustomerValidationResult | AttestationValidationResult";
        /// The body to send when the form is valid (`undefined` otherwise), without showing
        /// anything.
        PAYLOAD = "payload" "(): AgreementPayload | NewCustomer | AttestationForm | undefined";
        /// Replaces the options (the locale, the existing confirmations, today...) and refreshes
        /// the messages shown.
        SET_OPTIONS = "setOptions" "(options: AttachOptions): void";
        /// Forgets what was touched and submitted, and hides every message.
        RESET = "reset" "(): void";
        /// Removes every listener and element added, and restores the attributes changed.
        DETACH = "detach" "(): void";
        /// The same as `detach()`.
        FREE = "free" "(): void";
        /// The same as `detach()`.
        DISPOSE = [Symbol "dispose"] "(): void";
    }
}

/// The confirmation form's fields (its controls are found in the form's order), the customer's
/// id and the user's role.
const CONFIRMATION_FIELDS: [Field; 10] =
    Field::join(Field::CONTROLS, [Field::CustomerId, Field::Role]);
/// A new customer's account information: the company, then its primary contact.
const CUSTOMER_FIELDS: [Field; 7] = Field::join(
    [Field::CompanyName, Field::Domain, Field::Country],
    Field::SIGNATORY,
);

/// The attribute that marks a control this attachment prepared (its value: the attachment's
/// number), and those of the elements it added.
const MARK: &str = "data-csp-validation";
const MESSAGE: &str = "data-csp-message";
const SUMMARY: &str = "data-csp-summary";
/// The attributes of a control this attachment may change, put back on detach.
const SAVED: [&str; 4] = ["id", "aria-describedby", "aria-invalid", "max"];

thread_local! {
    /// Attachments made so far: each one's number makes its ids unique in the page.
    static ATTACHMENTS: Cell<u32> = const { Cell::new(0) };
}

/// An attribute's value before we changed it, to put back on detach.
#[derive(Clone)]
struct Saved {
    name: &'static str,
    value: Option<String>,
}

/// A control of the form, found when it is needed.
struct Control {
    field: Field,
    element: HtmlElement,
}

/// One attachment's state. It holds no element: the listeners (owned by the form) hold it, and
/// the form is the event's `currentTarget`, so nothing keeps a removed form alive.
struct Attached {
    number: u32,
    customer: bool,
    options: RefCell<ValidationOptions>,
    on_change: RefCell<Option<Function>>,
    summary_heading: String,
    submitted: Cell<bool>,
    detached: Cell<bool>,
    touched: RefCell<Vec<Field>>,
    /// The original attributes of the control prepared for each field.
    saved: RefCell<Vec<(Field, Vec<Saved>)>>,
    /// The last result not yet given to `onChange`, and whether its task is scheduled.
    waiting: RefCell<Option<JsValue>>,
    scheduled: Cell<bool>,
}

fn document() -> Result<Document, JsError> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsError::new("attachValidation needs a document"))
}

fn element(document: &Document, tag: &str, class: &str) -> Result<HtmlElement, JsError> {
    let element: HtmlElement = document
        .create_element(tag)
        .map_err(|_| JsError::new("cannot create an element"))?
        .unchecked_into();
    element.set_class_name(class);
    Ok(element)
}

/// What `attachValidation` gives Rust callers (the bindings' tests); JavaScript gets the same
/// methods on a plain object (`ValidationHandle` in the declarations).
pub struct ValidationHandle {
    inner: Option<Rc<Attached>>,
    form: HtmlFormElement,
    listeners: Vec<(&'static str, Function, bool)>,
}

/// Enhances `form`. Controls are found by name; a field without a control is still checked,
/// and its problems go to the summary.
pub fn attach_validation(
    form: HtmlFormElement,
    options: JsValue,
) -> Result<ValidationHandle, JsError> {
    document()?;
    let args = Args::one(&options);
    let [node, _, _] = args.nodes()?;
    let AttachOptions {
        validation: validation_options,
        kind,
        summary_heading_level,
        ..
    } = input::options_of("options", &node)?;
    let customer = kind == Some(FormKind::Customer);
    let summary_heading = crate::text!("h", summary_heading_level.unwrap_or(2));
    let on_change = function_of(&options, "onChange");
    // A day that does not exist is refused now, not at every keystroke.
    today_of(&validation_options.check)?;
    let number = ATTACHMENTS.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let attached = Rc::new(Attached {
        number,
        customer,
        options: RefCell::new(validation_options),
        on_change: RefCell::new(on_change),
        summary_heading,
        submitted: Cell::new(false),
        detached: Cell::new(false),
        touched: RefCell::new(Vec::new()),
        saved: RefCell::new(Vec::new()),
        waiting: RefCell::new(None),
        scheduled: Cell::new(false),
    });
    for control in attached.controls(&form) {
        attached.prepare(&form, &control)?;
    }
    attached.summary(&form)?;
    attached.set_date_max(&form);
    let listeners = attached.listen(&form);
    Ok(ValidationHandle {
        inner: Some(attached),
        form,
        listeners,
    })
}

/// `attachValidation(form, options?)` for JavaScript: a `ValidationHandle` object whose methods
/// hold the attachment (the form's listeners hold it too: dropping the object ends nothing).
#[wasm_bindgen(js_name = attachValidation, unchecked_return_type = "ValidationHandle")]
pub fn attach_validation_js(
    form: HtmlFormElement,
    #[wasm_bindgen(unchecked_optional_param_type = "AttachOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let handle = Rc::new(RefCell::new(attach_validation(
        form,
        options.unwrap_or(JsValue::UNDEFINED),
    )?));
    let object = Object::new();
    // One closure type for every method (each type of closure costs its own glue).
    type Method = dyn Fn(JsValue) -> Result<JsValue, JsError>;
    let method = |name: &JsValue, f: Box<Method>| {
        let _ = Reflect::set(&object, name, &Closure::wrap(f).into_js_value());
    };
    let h = handle.clone();
    method(
        &HandleMembers::VALIDATE.into(),
        Box::new(move |_| h.borrow().validate()),
    );
    let h = handle.clone();
    method(
        &HandleMembers::PAYLOAD.into(),
        Box::new(move |_| h.borrow().payload()),
    );
    let h = handle.clone();
    method(
        &HandleMembers::SET_OPTIONS.into(),
        Box::new(move |options| h.borrow().set_options(options).map(|()| JsValue::UNDEFINED)),
    );
    let h = handle.clone();
    method(
        &HandleMembers::RESET.into(),
        Box::new(move |_| h.borrow().reset().map(|()| JsValue::UNDEFINED)),
    );
    let h = handle;
    let detach = Closure::wrap(Box::new(move |_| {
        // Called from inside another of the handle's methods (an onChange that detaches), it
        // waits for that one to end.
        if let Ok(mut handle) = h.try_borrow_mut() {
            handle.detach();
        }
        Ok(JsValue::UNDEFINED)
    }) as Box<Method>)
    .into_js_value();
    let set = |name: &JsValue, f: &JsValue| {
        let _ = Reflect::set(&object, name, f);
    };
    set(&HandleMembers::DETACH.into(), &detach);
    set(&HandleMembers::FREE.into(), &detach);
    // `Symbol.dispose` where the engine has it (explicit resource management).
    let dispose = Reflect::get(&js_sys::global(), &"Symbol".into())
        .and_then(|symbol| Reflect::get(&symbol, &HandleMembers::DISPOSE.into()))
        .unwrap_or(JsValue::UNDEFINED);
    if dispose.is_symbol() {
        set(&dispose, &detach);
    }
    Ok(object.into())
}

/// A hidden message element right after the control (after its label when the control is in
/// one).
fn element_after(
    document: &Document,
    control: &HtmlElement,
    class: &str,
    id: &str,
    key: &str,
) -> Result<HtmlElement, JsError> {
    let message = element(document, "p", class)?;
    message.set_id(id);
    message.set_hidden(true);
    let _ = message.set_attribute(MESSAGE, key);
    let anchor: Element = match control.parent_element() {
        Some(parent) if parent.tag_name().eq_ignore_ascii_case("label") => parent,
        _ => control.clone().into(),
    };
    anchor
        .after_with_node_1(&message)
        .map_err(|_| JsError::new("cannot add a message element"))?;
    Ok(message)
}

/// The value of a named control (or radio group) of the form.
fn value_of(form: &HtmlFormElement, name: &str) -> String {
    form.elements()
        .named_item(name)
        .and_then(|item| Reflect::get(&item, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The outcome of one run of the checks.
struct Run {
    report: Report,
    locale: Locale,
    /// The body to send, for a new customer's form when valid.
    customer: Option<NewCustomer>,
    /// A confirmation form on the enhanced route: what to send for acceptance, when valid.
    attestation: Option<Option<AttestationForm>>,
}

impl Run {
    /// The body to send when the form is valid.
    fn payload(&self) -> Result<JsValue, JsError> {
        match (&self.customer, &self.attestation, &self.report.payload) {
            (Some(customer), _, _) => to_js(customer),
            (_, Some(Some(attestation)), _) => to_js(attestation),
            (None, None, Some(payload)) => to_js(payload),
            _ => Ok(JsValue::UNDEFINED),
        }
    }
}

/// The outcome of checking a new customer's account information (`kind: "customer"`): narrow
/// on `valid`, the payload is there exactly when the form is valid.
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum CustomerValidationResult {
    Valid(ValidCustomer),
    Invalid(InvalidResult),
}

/// A new customer's valid account information, and what to send.
#[derive(Debug, Serialize, Tsify)]
pub struct ValidCustomer {
    #[tsify(type = "true")]
    pub valid: bool,
    #[tsify(type = "[]")]
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldIssue>,
    /// The body of `POST /v1/customers`.
    pub payload: NewCustomer,
}

impl Attached {
    /// The form's controls of our fields, in the order of the page (the form's elements are in
    /// tree order), so that the summary lists the errors as the fields come. A radio group
    /// counts once.
    fn controls(&self, form: &HtmlFormElement) -> Vec<Control> {
        let fields: &[Field] = if self.customer {
            &CUSTOMER_FIELDS
        } else {
            &CONFIRMATION_FIELDS
        };
        let mut left: Vec<Field> = fields.to_vec();
        let mut controls = Vec::new();
        let elements = form.elements();
        for index in 0..elements.length() {
            let Some(element) = elements
                .item(index)
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            else {
                continue;
            };
            let name = element.get_attribute("name").unwrap_or_default();
            if let Some(position) = left.iter().position(|f| f.as_str() == name) {
                controls.push(Control {
                    field: left.remove(position),
                    element,
                });
            }
        }
        controls
    }

    fn key(&self, field: Field, kind: &str) -> String {
        crate::checks::text::join(&[&crate::text!(self.number), field.as_str(), kind], "-")
    }

    fn message(&self, form: &HtmlFormElement, field: Field, kind: &str) -> Option<HtmlElement> {
        form.query_selector(&crate::text!(
            "[",
            MESSAGE,
            "=\"",
            self.key(field, kind),
            "\"]"
        ))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
    }

    /// The attributes of `field`'s control as they were before us.
    fn saved_of(&self, field: Field) -> Vec<Saved> {
        self.saved
            .borrow()
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, saved)| saved.clone())
            .unwrap_or_default()
    }

    /// Makes `control` ours the first time it is seen (a control rendered after attaching, or
    /// rendered again by a framework, is seen when it is needed): its attributes saved, an id
    /// given when it has none, its message elements added after it. Returns them.
    fn prepare(
        &self,
        form: &HtmlFormElement,
        control: &Control,
    ) -> Result<(HtmlElement, HtmlElement), JsError> {
        let number = crate::text!(self.number);
        let element = &control.element;
        if element.get_attribute(MARK).as_deref() != Some(number.as_str()) {
            let saved = SAVED
                .iter()
                .map(|&name| Saved {
                    name,
                    value: element.get_attribute(name),
                })
                .collect();
            let mut kept = self.saved.borrow_mut();
            kept.retain(|(field, _)| *field != control.field);
            kept.push((control.field, saved));
            drop(kept);
            if element.id().is_empty() {
                element.set_id(&crate::text!("csp-", number, "-", control.field.as_str()));
            }
            let _ = element.set_attribute(MARK, &number);
            // Messages of a control the framework replaced: gone with it.
            for kind in ["error", "warning"] {
                while let Some(old) = self.message(form, control.field, kind) {
                    old.remove();
                }
            }
        }
        let document = document()?;
        let mut made = Vec::with_capacity(2);
        for (kind, class) in [
            ("error", "csp-field-error"),
            ("warning", "csp-field-warning"),
        ] {
            let message = match self.message(form, control.field, kind) {
                Some(message) => message,
                None => element_after(
                    &document,
                    element,
                    class,
                    &crate::text!(element.id(), "-", kind),
                    &self.key(control.field, kind),
                )?,
            };
            made.push(message);
        }
        let warning = made.pop().unwrap_or_else(|| element.clone());
        let error = made.pop().unwrap_or_else(|| element.clone());
        Ok((error, warning))
    }

    /// The error summary at the top of the form (added again if a framework removed it).
    fn summary(&self, form: &HtmlFormElement) -> Result<HtmlElement, JsError> {
        if let Some(summary) = form
            .query_selector(&crate::text!("[", SUMMARY, "=\"", self.number, "\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            return Ok(summary);
        }
        let summary = element(&document()?, "div", "csp-error-summary")?;
        summary.set_id(&crate::text!("csp-", self.number, "-error-summary"));
        summary.set_tab_index(-1);
        summary.set_hidden(true);
        let _ = summary.set_attribute("role", "alert");
        let _ = summary.set_attribute(SUMMARY, &crate::text!(self.number));
        form.prepend_with_node_1(&summary)
            .map_err(|_| JsError::new("cannot add the error summary"))?;
        Ok(summary)
    }

    fn run(&self, form: &HtmlFormElement) -> Result<Run, JsError> {
        let value = |field: Field| value_of(form, field.as_str());
        let options = self.options.borrow().clone();
        if self.customer {
            let locale = options.check.locale.unwrap_or_default();
            let form = CustomerForm {
                company_name: value(Field::CompanyName),
                domain: value(Field::Domain),
                country: value(Field::Country),
                first_name: value(Field::FirstName),
                last_name: value(Field::LastName),
                email: value(Field::Email),
                phone_number: value(Field::PhoneNumber),
            };
            let report = Report {
                errors: validate_customer(&form),
                ..Report::default()
            };
            return Ok(Run {
                customer: customer_payload(&form).filter(|_| report.errors.is_empty()),
                report,
                locale,
                attestation: None,
            });
        }
        let role_control = form.elements().named_item(Field::Role.as_str()).is_some();
        let mut form = ConfirmationForm::default();
        for &field in &CONFIRMATION_FIELDS {
            if let Some(slot) = form.slot(field) {
                *slot = value(field);
            }
        }
        let (mut context, locale, _) = context_of(options)?;
        if role_control {
            context.role = Some(Role::parse(value(Field::Role).trim()));
        }
        if context.route() == Route::Enhanced {
            let errors = enhanced_route_issues(&form, &context);
            let attestation = errors
                .is_empty()
                .then(|| AttestationForm::of_confirmation(&form).0);
            return Ok(Run {
                report: Report {
                    errors,
                    ..Report::default()
                },
                locale,
                customer: None,
                attestation: Some(attestation),
            });
        }
        Ok(Run {
            report: form::validate(&form, &context),
            locale,
            customer: None,
            attestation: None,
        })
    }

    /// Runs the checks, shows the messages of the fields that should show them, and tells the
    /// host (`onChange`, in a task of its own).
    fn refresh(self: &Rc<Self>, form: &HtmlFormElement) -> Result<Run, JsError> {
        let run = self.run(form)?;
        for control in self.controls(form) {
            let (error, warning) = self.prepare(form, &control)?;
            let show = self.submitted.get() || self.touched.borrow().contains(&control.field);
            let of = |issues: &[Issue]| -> Vec<String> {
                if !show {
                    return Vec::new();
                }
                issues
                    .iter()
                    .filter(|i| i.field == control.field)
                    .map(|i| messages::issue_message(i, run.locale))
                    .collect()
            };
            let saved = self.saved_of(control.field);
            render(
                &control.element,
                &error,
                &warning,
                &saved,
                &of(&run.report.errors),
                &of(&run.report.warnings),
            );
        }
        if self.submitted.get() {
            self.render_summary(form, &run, false);
        }
        self.tell(self.result(&run)?);
        Ok(run)
    }

    /// Gives `result` to `onChange` in a task of its own, once the event that caused it has
    /// been handled: a React or Vue controlled input has taken its new value by then (a
    /// callback that sets a framework's state during the event makes it render the input with
    /// its old value, and the keystroke is lost). Several results before that task: the last.
    fn tell(self: &Rc<Self>, result: JsValue) {
        if self.on_change.borrow().is_none() {
            return;
        }
        *self.waiting.borrow_mut() = Some(result);
        if self.scheduled.replace(true) {
            return;
        }
        let attached = Rc::clone(self);
        let task = Closure::once_into_js(move || {
            attached.scheduled.set(false);
            let result = attached.waiting.borrow_mut().take();
            // Taken out of its cell first: the callback may call setOptions({ onChange }).
            let on_change = attached.on_change.borrow().clone();
            if let (Some(result), Some(on_change), false) =
                (result, on_change, attached.detached.get())
            {
                let _ = on_change.call1(&JsValue::NULL, &result);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(task.unchecked_ref());
        }
    }

    fn result(&self, run: &Run) -> Result<JsValue, JsError> {
        if let Some(attestation) = &run.attestation {
            return to_js(&attestation_validation(
                run.report.clone(),
                attestation.clone(),
                run.locale,
            ));
        }
        if !self.customer {
            return to_js(&result_of(run.report.clone(), run.locale));
        }
        let warnings = field_issues(run.report.warnings.clone(), run.locale);
        to_js(&match &run.customer {
            Some(payload) => CustomerValidationResult::Valid(ValidCustomer {
                valid: true,
                errors: Vec::new(),
                warnings,
                payload: payload.clone(),
            }),
            None => CustomerValidationResult::Invalid(InvalidResult {
                valid: false,
                errors: field_issues(run.report.errors.clone(), run.locale),
                warnings,
                customer_id: None,
                country: None,
                route: None,
            }),
        })
    }

    /// The error summary: hidden when there is no error; otherwise a title and one link per
    /// error to its control (plain text for an error without a control).
    fn render_summary(&self, form: &HtmlFormElement, run: &Run, focus: bool) {
        let Ok(summary) = self.summary(form) else {
            return;
        };
        // Not `innerHTML = ""`: a page requiring Trusted Types refuses every string sink.
        summary.replace_children_with_node_0();
        if run.report.errors.is_empty() {
            summary.set_hidden(true);
            return;
        }
        let Ok(document) = document() else { return };
        let title_id = crate::text!(summary.id(), "-title");
        if let Ok(title) = element(&document, &self.summary_heading, "csp-error-summary-title") {
            title.set_id(&title_id);
            title.set_text_content(Some(messages::error_summary_title(run.locale)));
            let _ = summary.append_child(&title);
        }
        let _ = summary.set_attribute("aria-labelledby", &title_id);
        let controls = self.controls(form);
        if let Ok(list) = element(&document, "ul", "csp-error-summary-list") {
            // Errors of the controls in their page order, then the others (whole form, role).
            let errors = &run.report.errors;
            let has_control = |i: &&Issue| controls.iter().any(|c| c.field == i.field);
            let ordered = controls
                .iter()
                .flat_map(|c| errors.iter().filter(move |i| i.field == c.field))
                .chain(errors.iter().filter(|i| !has_control(i)));
            for issue in ordered {
                let Ok(item) = element(&document, "li", "") else {
                    continue;
                };
                let text = messages::issue_message(issue, run.locale);
                match controls.iter().find(|c| c.field == issue.field) {
                    Some(control) => {
                        if let Ok(link) = element(&document, "a", "") {
                            let _ = link
                                .set_attribute("href", &crate::text!("#", control.element.id()));
                            let _ = link.set_attribute("data-field", issue.field.as_str());
                            link.set_text_content(Some(&text));
                            let _ = item.append_child(&link);
                        }
                    }
                    None => item.set_text_content(Some(&text)),
                }
                let _ = list.append_child(&item);
            }
            let _ = summary.append_child(&list);
        }
        summary.set_hidden(false);
        if focus {
            let _ = summary.focus();
        }
    }

    /// The date input's `max`: the latest allowed day (SPEC §4.2).
    fn set_date_max(&self, form: &HtmlFormElement) {
        let Some(control) = self
            .controls(form)
            .into_iter()
            .find(|c| c.field == Field::DateAgreed)
        else {
            return;
        };
        if self.prepare(form, &control).is_err() {
            return;
        }
        let options = self.options.borrow();
        if let Ok(today) = today_of(&options.check) {
            let _ = control.element.set_attribute(
                "max",
                &crate::rules::date::format_date(today.latest_agreed_date()),
            );
        }
    }

    /// The listeners, added to the form: owned by it (they live as long as it does) and holding
    /// this state. Returned so that `detach` can remove them.
    fn listen(self: &Rc<Self>, form: &HtmlFormElement) -> Vec<(&'static str, Function, bool)> {
        let mut listeners = Vec::new();
        // `submit` in the capture phase, so that an invalid form never reaches the host's own
        // handlers; `click` for the summary's links.
        for (name, capture) in [
            ("input", false),
            ("change", false),
            ("focusout", false),
            ("submit", true),
            ("click", false),
        ] {
            let attached = Rc::clone(self);
            let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                attached.on_event(name, &event)
            })
            .into_js_value()
            .unchecked_into::<Function>();
            let _ = form.add_event_listener_with_callback_and_bool(name, &listener, capture);
            listeners.push((name, listener, capture));
        }
        listeners
    }

    fn on_event(self: &Rc<Self>, name: &str, event: &web_sys::Event) {
        if self.detached.get() {
            return;
        }
        let Some(form) = event
            .current_target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        match name {
            "input" | "change" => {
                let _ = self.refresh(&form);
            }
            "focusout" => {
                if let Some(field) = self.field_of(event) {
                    {
                        let mut touched = self.touched.borrow_mut();
                        if !touched.contains(&field) {
                            touched.push(field);
                        }
                    }
                    // Focus going to a submit button: the submission checks everything at
                    // once. A message shown now would move the button from under the pointer.
                    if !focus_goes_to_submit(&form, event) {
                        let _ = self.refresh(&form);
                    }
                }
            }
            "submit" => {
                self.submitted.set(true);
                match self.refresh(&form) {
                    Ok(run) if run.report.errors.is_empty() => {
                        if let Ok(summary) = self.summary(&form) {
                            summary.set_hidden(true);
                        }
                    }
                    Ok(run) => {
                        event.prevent_default();
                        event.stop_immediate_propagation();
                        self.render_summary(&form, &run, true);
                    }
                    Err(_) => {
                        event.prevent_default();
                        event.stop_immediate_propagation();
                    }
                }
            }
            _ => {
                // A link of our summary: focus its control rather than follow the fragment.
                let link = event
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|e| {
                        e.closest(&crate::text!(
                            "[",
                            SUMMARY,
                            "=\"",
                            self.number,
                            "\"] a[data-field]"
                        ))
                        .ok()
                        .flatten()
                    });
                let field = link.and_then(|a| a.get_attribute("data-field"));
                if let Some(control) = field.and_then(|f| {
                    self.controls(&form)
                        .into_iter()
                        .find(|c| c.field.as_str() == f)
                }) {
                    event.prevent_default();
                    let _ = control.element.focus();
                }
            }
        }
    }

    /// The field of the control an event happened on.
    fn field_of(&self, event: &web_sys::Event) -> Option<Field> {
        let target = event.target()?.dyn_into::<Element>().ok()?;
        let name = target.get_attribute("name")?;
        let fields: &[Field] = if self.customer {
            &CUSTOMER_FIELDS
        } else {
            &CONFIRMATION_FIELDS
        };
        fields.iter().copied().find(|f| f.as_str() == name)
    }

    /// Removes what this attachment added and restores what it changed.
    fn undo(&self, form: &HtmlFormElement) {
        let number = crate::text!(self.number);
        let removed = |selector: &str| {
            while let Ok(Some(element)) = form.query_selector(selector) {
                element.remove();
            }
        };
        removed(&crate::text!("[", SUMMARY, "=\"", number, "\"]"));
        removed(&crate::text!("[", MESSAGE, "^=\"", number, "-\"]"));
        let marked = form.elements();
        let saved = self.saved.borrow();
        for index in 0..marked.length() {
            let Some(element) = marked.item(index) else {
                continue;
            };
            if element.get_attribute(MARK).as_deref() != Some(number.as_str()) {
                continue;
            }
            let _ = element.remove_attribute(MARK);
            let name = element.get_attribute("name").unwrap_or_default();
            if let Some((_, saved)) = saved.iter().find(|(f, _)| f.as_str() == name) {
                for saved in saved {
                    let _ = match &saved.value {
                        Some(value) => element.set_attribute(saved.name, value),
                        None => element.remove_attribute(saved.name),
                    };
                }
            }
        }
    }
}

fn focus_goes_to_submit(form: &HtmlFormElement, event: &web_sys::Event) -> bool {
    let Some(next) = event
        .dyn_ref::<web_sys::FocusEvent>()
        .and_then(|e| e.related_target())
    else {
        return false;
    };
    let Ok(next) = next.dyn_into::<Element>() else {
        return false;
    };
    next.matches("button:not([type=button]):not([type=reset]), input[type=submit]")
        .unwrap_or(false)
        && Reflect::get(&next, &"form".into()).is_ok_and(|f| f == JsValue::from(form))
}

/// A control's messages and ARIA state: `saved` holds its attributes as they were before us.
fn render(
    control: &HtmlElement,
    error: &HtmlElement,
    warning: &HtmlElement,
    saved: &[Saved],
    errors: &[String],
    warnings: &[String],
) {
    show(error, errors);
    show(warning, warnings);
    let original = |name: &str| {
        saved
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.value.clone())
    };
    let mut described: Vec<String> = original("aria-describedby").into_iter().collect();
    if !errors.is_empty() {
        described.push(error.id());
    }
    if !warnings.is_empty() {
        described.push(warning.id());
    }
    let _ = if described.is_empty() {
        control.remove_attribute("aria-describedby")
    } else {
        control.set_attribute(
            "aria-describedby",
            &crate::checks::text::join(
                &described.iter().map(String::as_str).collect::<Vec<_>>(),
                " ",
            ),
        )
    };
    let _ = if errors.is_empty() {
        match original("aria-invalid") {
            Some(value) => control.set_attribute("aria-invalid", &value),
            None => control.remove_attribute("aria-invalid"),
        }
    } else {
        control.set_attribute("aria-invalid", "true")
    };
}

fn show(element: &HtmlElement, messages: &[String]) {
    element.set_text_content(Some(&crate::checks::text::join(
        &messages.iter().map(String::as_str).collect::<Vec<_>>(),
        " ",
    )));
    element.set_hidden(messages.is_empty());
}

fn detached() -> JsError {
    JsError::new("this validation handle was detached")
}

impl ValidationHandle {
    fn attached(&self) -> Result<&Rc<Attached>, JsError> {
        self.inner.as_ref().ok_or_else(detached)
    }

    /// Checks the whole form now and shows every message, the summary included (focused when
    /// there are errors). Returns the result, as `validateConfirmation` does.
    pub fn validate(&self) -> Result<JsValue, JsError> {
        let attached = self.attached()?;
        attached.submitted.set(true);
        let run = attached.refresh(&self.form)?;
        attached.render_summary(&self.form, &run, !run.report.errors.is_empty());
        attached.result(&run)
    }

    /// The body to send when the form is valid (`undefined` otherwise), without showing
    /// anything.
    pub fn payload(&self) -> Result<JsValue, JsError> {
        self.attached()?.run(&self.form)?.payload()
    }

    /// Replaces the options (the locale, the existing confirmations, today...) and refreshes
    /// the messages shown.
    pub fn set_options(&self, options: JsValue) -> Result<(), JsError> {
        let attached = self.attached()?;
        let args = Args::one(&options);
        let [node, _, _] = args.nodes()?;
        let given = Obj::optional("options", &node)?.is_some_and(|o| o.raw("onChange").is_some());
        // Checked before anything changes: refused options leave the handle as it was.
        let read = validation_options(&node)?;
        today_of(&read.check)?;
        if given {
            *attached.on_change.borrow_mut() = function_of(&options, "onChange");
        }
        *attached.options.borrow_mut() = read;
        attached.set_date_max(&self.form);
        attached.refresh(&self.form)?;
        Ok(())
    }

    /// Forgets what was touched and submitted, and hides every message (after a successful
    /// submission, say).
    pub fn reset(&self) -> Result<(), JsError> {
        let attached = self.attached()?;
        attached.submitted.set(false);
        attached.touched.borrow_mut().clear();
        for control in attached.controls(&self.form) {
            let (error, warning) = attached.prepare(&self.form, &control)?;
            let saved = attached.saved_of(control.field);
            render(&control.element, &error, &warning, &saved, &[], &[]);
        }
        attached.summary(&self.form)?.set_hidden(true);
        Ok(())
    }

    /// Removes every listener and element added, and restores the attributes changed. Again:
    /// nothing.
    pub fn detach(&mut self) {
        let Some(attached) = self.inner.take() else {
            return;
        };
        attached.detached.set(true);
        for (name, listener, capture) in self.listeners.drain(..) {
            let _ = self
                .form
                .remove_event_listener_with_callback_and_bool(name, &listener, capture);
        }
        attached.undo(&self.form);
    }
}
