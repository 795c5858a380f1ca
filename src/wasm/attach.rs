//! `attachValidation`: live validation of a portal's own `<form>` whose controls are named like
//! the form's fields (`firstName`, `email`...). Messages appear next to each control
//! (`aria-invalid`, `aria-describedby`), an error summary with links to the fields appears on
//! submit and takes focus, and submission is blocked while the form is invalid. `detach()`
//! removes every listener and element it added and restores the attributes it changed.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use js_sys::{Function, Reflect};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement};

use super::compact::Node;
use super::convert::{
    attestation_validation, context_of, field_issues, read_validation_options, result_of, to_js,
    today_of,
};
use super::input::{function_of, Args, Obj};
use super::shapes::{FieldIssue, InvalidResult, ValidationOptions};
use crate::attestation::{enhanced_route_issues, AttestationForm};
use crate::customer::{customer_payload, validate_customer, CustomerForm, NewCustomer};
use crate::form::{self, ConfirmationForm, Report, Role};
use crate::issues::{Field, Issue};
use crate::messages::{self, Locale};
use crate::route::Route;

#[wasm_bindgen(typescript_custom_section)]
const TS_ATTACH: &'static str = r#"
/** Options of attachValidation: the options of validateConfirmation, and a few of its own. */
export interface AttachOptions extends ValidationOptions {
  /** Which form: the confirmation (default) or a new customer's account information. */
  kind?: "confirmation" | "customer";
  /**
   * Called after every validation with its result. A confirmation form is checked for the
   * route of the day (`confirmationRoute`): on the enhanced route the date of acceptance is not
   * asked (the customer accepts by the attestation's link) and the result is an
   * `AttestationValidationResult`.
   */
  onChange?: (result: ValidationResult | CustomerValidationResult | AttestationValidationResult) => void;
  /** The heading level of the error summary's title (2 to 6, default 2), to fit the page's outline. */
  summaryHeadingLevel?: number;
}
"#;

const CONFIRMATION_FIELDS: [Field; 10] = [
    Field::AgreementType,
    Field::DateAgreed,
    Field::FirstName,
    Field::LastName,
    Field::Email,
    Field::PhoneNumber,
    Field::CustomerId,
    Field::Country,
    Field::Language,
    Field::Role,
];
const CUSTOMER_FIELDS: [Field; 7] = [
    Field::CompanyName,
    Field::Domain,
    Field::Country,
    Field::FirstName,
    Field::LastName,
    Field::Email,
    Field::PhoneNumber,
];

/// An attribute's value before we changed it, to put back on detach.
struct Saved {
    name: &'static str,
    value: Option<String>,
}

/// A form control we watch, and the message elements we added for it.
struct Control {
    field: Field,
    element: HtmlElement,
    error: HtmlElement,
    warning: HtmlElement,
    saved: Vec<Saved>,
    touched: Cell<bool>,
}

struct Attached {
    form: HtmlFormElement,
    customer: bool,
    options: RefCell<ValidationOptions>,
    on_change: RefCell<Option<Function>>,
    controls: Vec<Control>,
    summary: HtmlElement,
    summary_heading: String,
    submitted: Cell<bool>,
    listeners: RefCell<Vec<EventListener>>,
}

/// What `attachValidation` returns.
#[wasm_bindgen]
pub struct ValidationHandle {
    inner: Option<Rc<Attached>>,
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

/// Enhances `form`. Controls are found by name; a field without a control is still checked,
/// and its problems go to the summary.
#[wasm_bindgen(js_name = attachValidation)]
pub fn attach_validation(
    form: HtmlFormElement,
    #[wasm_bindgen(unchecked_param_type = "AttachOptions | undefined")] options: JsValue,
) -> Result<ValidationHandle, JsError> {
    let document = document()?;
    let args = Args::one(&options);
    let [node, _, _] = args.nodes()?;
    let obj = Obj::optional("options", &node)?;
    let customer = match obj
        .as_ref()
        .map(|o| o.string("kind"))
        .transpose()?
        .flatten()
        .as_deref()
    {
        None | Some("confirmation") => false,
        Some("customer") => true,
        Some(other) => {
            return Err(JsError::new(&format!(
                "options.kind: \"{other}\" is not confirmation or customer"
            )))
        }
    };
    let summary_heading = match obj.as_ref().and_then(|o| o.raw("summaryHeadingLevel")) {
        None => "h2".to_string(),
        Some(level) => match level {
            Node::Num(n) if (2.0..=6.0).contains(n) && n.fract() == 0.0 => {
                format!("h{}", *n as u8)
            }
            _ => {
                return Err(JsError::new(
                    "options.summaryHeadingLevel: expected 2, 3, 4, 5 or 6",
                ))
            }
        },
    };
    let on_change = function_of(&options, "onChange");
    let validation_options = read_validation_options(&node)?;
    // A day that does not exist is refused now, not at every keystroke.
    today_of(&validation_options)?;

    let form_id = if form.id().is_empty() {
        "csp-form".to_string()
    } else {
        form.id()
    };
    let fields: &[Field] = if customer {
        &CUSTOMER_FIELDS
    } else {
        &CONFIRMATION_FIELDS
    };
    // The controls in the order of the page (the form's elements are in tree order), so that
    // the summary lists the errors as the fields come. A radio group counts once.
    let mut controls = Vec::new();
    let mut left: Vec<Field> = fields.to_vec();
    let elements = form.elements();
    for index in 0..elements.length() {
        let Some(element) = elements
            .item(index)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        let name = element.get_attribute("name").unwrap_or_default();
        let Some(position) = left.iter().position(|f| f.as_str() == name) else {
            continue;
        };
        let field = left.remove(position);
        let mut saved = Vec::new();
        for name in ["id", "aria-describedby", "aria-invalid", "max"] {
            saved.push(Saved {
                name,
                value: element.get_attribute(name),
            });
        }
        if element.id().is_empty() {
            element.set_id(&format!("{form_id}-{}", field.as_str()));
        }
        let error = element_after(
            &document,
            &element,
            "csp-field-error",
            &format!("{}-error", element.id()),
        )?;
        let warning = element_after(
            &document,
            &element,
            "csp-field-warning",
            &format!("{}-warning", element.id()),
        )?;
        controls.push(Control {
            field,
            element,
            error,
            warning,
            saved,
            touched: Cell::new(false),
        });
    }
    let summary = element(&document, "div", "csp-error-summary")?;
    summary.set_id(&format!("{form_id}-error-summary"));
    summary.set_tab_index(-1);
    summary.set_hidden(true);
    let _ = summary.set_attribute("role", "alert");
    form.prepend_with_node_1(&summary)
        .map_err(|_| JsError::new("cannot add the error summary"))?;

    let attached = Rc::new(Attached {
        form,
        customer,
        options: RefCell::new(validation_options),
        on_change: RefCell::new(on_change),
        controls,
        summary,
        summary_heading,
        submitted: Cell::new(false),
        listeners: RefCell::new(Vec::new()),
    });
    attached.set_date_max();
    attached.listen();
    Ok(ValidationHandle {
        inner: Some(attached),
    })
}

/// A hidden message element right after the control (after its label when the control is in
/// one).
fn element_after(
    document: &Document,
    control: &HtmlElement,
    class: &str,
    id: &str,
) -> Result<HtmlElement, JsError> {
    let message = element(document, "p", class)?;
    message.set_id(id);
    message.set_hidden(true);
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
    fn run(&self) -> Result<Run, JsError> {
        let value = |field: Field| value_of(&self.form, field.as_str());
        let options = self.options.borrow().clone();
        if self.customer {
            let locale = options.locale.unwrap_or_default();
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
        let mut form = ConfirmationForm::default();
        for &field in &CONFIRMATION_FIELDS {
            if let Some(slot) = form.slot(field) {
                *slot = value(field);
            }
        }
        let role_control = self.controls.iter().any(|c| c.field == Field::Role);
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
    /// host (`onChange`).
    fn refresh(&self) -> Result<Run, JsError> {
        let run = self.run()?;
        for control in &self.controls {
            let show = self.submitted.get() || control.touched.get();
            let of = |issues: &[Issue]| -> Vec<String> {
                issues
                    .iter()
                    .filter(|i| i.field == control.field)
                    .map(|i| messages::issue_message(i, run.locale))
                    .collect()
            };
            let errors = if show {
                of(&run.report.errors)
            } else {
                Vec::new()
            };
            let warnings = if show {
                of(&run.report.warnings)
            } else {
                Vec::new()
            };
            control.render(&errors, &warnings);
        }
        if self.submitted.get() {
            self.render_summary(&run, false);
        }
        // Taken out of its cell first: the callback may call setOptions({ onChange }).
        let on_change = self.on_change.borrow().clone();
        if let Some(on_change) = on_change {
            let _ = on_change.call1(&JsValue::NULL, &self.result(&run)?);
        }
        Ok(run)
    }

    fn result(&self, run: &Run) -> Result<JsValue, JsError> {
        if let Some(attestation) = &run.attestation {
            return to_js(&attestation_validation(
                &run.report,
                attestation.clone(),
                run.locale,
            ));
        }
        if !self.customer {
            return to_js(&result_of(run.report.clone(), run.locale));
        }
        let warnings = field_issues(&run.report.warnings, run.locale);
        to_js(&match &run.customer {
            Some(payload) => CustomerValidationResult::Valid(ValidCustomer {
                valid: true,
                errors: Vec::new(),
                warnings,
                payload: payload.clone(),
            }),
            None => CustomerValidationResult::Invalid(InvalidResult {
                valid: false,
                errors: field_issues(&run.report.errors, run.locale),
                warnings,
                customer_id: None,
                country: None,
                route: None,
            }),
        })
    }

    /// The error summary: hidden when there is no error; otherwise a title and one link per
    /// error to its control (plain text for an error without a control).
    fn render_summary(&self, run: &Run, focus: bool) {
        let summary = &self.summary;
        // Not `innerHTML = ""`: a page requiring Trusted Types refuses every string sink.
        summary.replace_children_with_node_0();
        if run.report.errors.is_empty() {
            summary.set_hidden(true);
            return;
        }
        let Ok(document) = document() else { return };
        let title_id = format!("{}-title", summary.id());
        if let Ok(title) = element(&document, &self.summary_heading, "csp-error-summary-title") {
            title.set_id(&title_id);
            title.set_text_content(Some(messages::error_summary_title(run.locale)));
            let _ = summary.append_child(&title);
        }
        let _ = summary.set_attribute("aria-labelledby", &title_id);
        if let Ok(list) = element(&document, "ul", "csp-error-summary-list") {
            // Errors of the controls in their page order, then the others (whole form, role).
            let errors = &run.report.errors;
            let has_control = |i: &&Issue| self.controls.iter().any(|c| c.field == i.field);
            let ordered = self
                .controls
                .iter()
                .flat_map(|c| errors.iter().filter(move |i| i.field == c.field))
                .chain(errors.iter().filter(|i| !has_control(i)));
            for issue in ordered {
                let Ok(item) = element(&document, "li", "") else {
                    continue;
                };
                let text = messages::issue_message(issue, run.locale);
                match self.controls.iter().find(|c| c.field == issue.field) {
                    Some(control) => {
                        if let Ok(link) = element(&document, "a", "") {
                            let _ =
                                link.set_attribute("href", &format!("#{}", control.element.id()));
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
    fn set_date_max(&self) {
        let Some(control) = self.controls.iter().find(|c| c.field == Field::DateAgreed) else {
            return;
        };
        let options = self.options.borrow();
        if let Ok(today) = today_of(&options) {
            let _ = control
                .element
                .set_attribute("max", &crate::date::format_date(today.latest_agreed_date()));
        }
    }

    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let target = self.form.clone();
        let mut listeners = Vec::new();
        let on = |weak: &Weak<Attached>, f: fn(&Attached, &web_sys::Event)| {
            let weak = weak.clone();
            move |event: &web_sys::Event| {
                if let Some(attached) = weak.upgrade() {
                    f(&attached, event)
                }
            }
        };
        for name in ["input", "change"] {
            listeners.push(EventListener::new(
                &target,
                name,
                on(&weak, |a, _| {
                    let _ = a.refresh();
                }),
            ));
        }
        listeners.push(EventListener::new(
            &target,
            "focusout",
            on(&weak, |a, event| {
                if let Some(control) = a.control_for(event) {
                    control.touched.set(true);
                    // Focus going to a submit button: the submission checks everything at once.
                    // A message shown now would move the button from under the pointer.
                    if !a.focus_goes_to_submit(event) {
                        let _ = a.refresh();
                    }
                }
            }),
        ));
        // In the capture phase, so that an invalid form never reaches the host's own handlers.
        let capture = EventListenerOptions {
            phase: EventListenerPhase::Capture,
            passive: false,
        };
        listeners.push(EventListener::new_with_options(
            &target,
            "submit",
            capture,
            on(&weak, |a, event| {
                a.submitted.set(true);
                match a.refresh() {
                    Ok(run) if run.report.errors.is_empty() => a.summary.set_hidden(true),
                    Ok(run) => {
                        event.prevent_default();
                        event.stop_immediate_propagation();
                        a.render_summary(&run, true);
                    }
                    Err(_) => {
                        event.prevent_default();
                        event.stop_immediate_propagation();
                    }
                }
            }),
        ));
        listeners.push(EventListener::new_with_options(
            &self.summary,
            "click",
            EventListenerOptions::enable_prevent_default(),
            on(&weak, |a, event| {
                let field = event
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|e| e.closest("a[data-field]").ok().flatten())
                    .and_then(|a| a.get_attribute("data-field"));
                if let Some(control) =
                    field.and_then(|f| a.controls.iter().find(|c| c.field.as_str() == f))
                {
                    event.prevent_default();
                    let _ = control.element.focus();
                }
            }),
        ));
        *self.listeners.borrow_mut() = listeners;
    }

    fn focus_goes_to_submit(&self, event: &web_sys::Event) -> bool {
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
            && Reflect::get(&next, &"form".into())
                .is_ok_and(|form| form == JsValue::from(&self.form))
    }

    fn control_for(&self, event: &web_sys::Event) -> Option<&Control> {
        let target = event.target()?.dyn_into::<Element>().ok()?;
        let name = target.get_attribute("name")?;
        self.controls.iter().find(|c| c.field.as_str() == name)
    }

    fn detach(&self) {
        self.listeners.borrow_mut().clear();
        self.summary.remove();
        for control in &self.controls {
            control.error.remove();
            control.warning.remove();
            for saved in &control.saved {
                let _ = match &saved.value {
                    Some(value) => control.element.set_attribute(saved.name, value),
                    None => control.element.remove_attribute(saved.name),
                };
            }
        }
    }
}

impl Control {
    fn render(&self, errors: &[String], warnings: &[String]) {
        show(&self.error, errors);
        show(&self.warning, warnings);
        let original_described = self
            .saved
            .iter()
            .find(|s| s.name == "aria-describedby")
            .and_then(|s| s.value.clone());
        let mut described: Vec<String> = original_described.into_iter().collect();
        if !errors.is_empty() {
            described.push(self.error.id());
        }
        if !warnings.is_empty() {
            described.push(self.warning.id());
        }
        let _ = if described.is_empty() {
            self.element.remove_attribute("aria-describedby")
        } else {
            self.element.set_attribute(
                "aria-describedby",
                &crate::text::join(
                    &described.iter().map(String::as_str).collect::<Vec<_>>(),
                    " ",
                ),
            )
        };
        let _ = if errors.is_empty() {
            match self
                .saved
                .iter()
                .find(|s| s.name == "aria-invalid")
                .and_then(|s| s.value.as_deref())
            {
                Some(value) => self.element.set_attribute("aria-invalid", value),
                None => self.element.remove_attribute("aria-invalid"),
            }
        } else {
            self.element.set_attribute("aria-invalid", "true")
        };
    }
}

fn show(element: &HtmlElement, messages: &[String]) {
    element.set_text_content(Some(&crate::text::join(
        &messages.iter().map(String::as_str).collect::<Vec<_>>(),
        " ",
    )));
    element.set_hidden(messages.is_empty());
}

fn detached() -> JsError {
    JsError::new("this validation handle was detached")
}

#[wasm_bindgen]
impl ValidationHandle {
    /// Checks the whole form now and shows every message, the summary included (focused when
    /// there are errors). Returns the result, as `validateConfirmation` does.
    #[wasm_bindgen(
        unchecked_return_type = "ValidationResult | CustomerValidationResult | AttestationValidationResult"
    )]
    pub fn validate(&self) -> Result<JsValue, JsError> {
        let attached = self.inner.as_ref().ok_or_else(detached)?;
        attached.submitted.set(true);
        let run = attached.refresh()?;
        attached.render_summary(&run, !run.report.errors.is_empty());
        attached.result(&run)
    }

    /// The body to send when the form is valid (`undefined` otherwise), without showing
    /// anything.
    #[wasm_bindgen(
        unchecked_return_type = "AgreementPayload | NewCustomer | AttestationForm | undefined"
    )]
    pub fn payload(&self) -> Result<JsValue, JsError> {
        let attached = self.inner.as_ref().ok_or_else(detached)?;
        attached.run()?.payload()
    }

    /// Replaces the options (the locale, the existing confirmations, today...) and refreshes
    /// the messages shown.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AttachOptions")] options: JsValue,
    ) -> Result<(), JsError> {
        let attached = self.inner.as_ref().ok_or_else(detached)?;
        let args = Args::one(&options);
        let [node, _, _] = args.nodes()?;
        let given = Obj::optional("options", &node)?.is_some_and(|o| o.raw("onChange").is_some());
        // Checked before anything changes: refused options leave the handle as it was.
        let read = read_validation_options(&node)?;
        today_of(&read)?;
        if given {
            *attached.on_change.borrow_mut() = function_of(&options, "onChange");
        }
        let options = read;
        *attached.options.borrow_mut() = options;
        attached.set_date_max();
        attached.refresh()?;
        Ok(())
    }

    /// Forgets what was touched and submitted, and hides every message (after a successful
    /// submission, say).
    pub fn reset(&self) -> Result<(), JsError> {
        let attached = self.inner.as_ref().ok_or_else(detached)?;
        attached.submitted.set(false);
        for control in &attached.controls {
            control.touched.set(false);
            control.render(&[], &[]);
        }
        attached.summary.set_hidden(true);
        Ok(())
    }

    /// Removes every listener and element added, and restores the attributes changed.
    pub fn detach(&mut self) {
        if let Some(attached) = self.inner.take() {
            attached.detach();
        }
    }
}
