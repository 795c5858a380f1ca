//! `attachValidation` on a form built in the test, in real browsers.
#![cfg(all(target_arch = "wasm32", feature = "dom"))]

use csp_agreements::wasm::attach_validation;
use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Event, EventInit, HtmlElement, HtmlFormElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

const FORM: &str = r#"
  <label for="t-type">Agreement</label>
  <select id="t-type" name="agreementType">
    <option value="MicrosoftCustomerAgreement">Microsoft Customer Agreement</option>
    <option value="MicrosoftCloudAgreement">Microsoft Cloud Agreement</option>
  </select>
  <label for="t-date">Date</label><input id="t-date" name="dateAgreed" type="date" aria-describedby="t-date-hint">
  <p id="t-date-hint">When the customer accepted.</p>
  <label>First name <input name="firstName"></label>
  <label for="t-last">Last name</label><input id="t-last" name="lastName">
  <label for="t-email">Email</label><input id="t-email" name="email" type="email">
  <label for="t-phone">Phone</label><input id="t-phone" name="phoneNumber">
  <button type="submit">Save</button>
"#;

/// A fresh form in the page, with a submit listener of the host's own that counts.
fn build() -> (HtmlFormElement, String) {
    let form: HtmlFormElement = document().create_element("form").unwrap().unchecked_into();
    form.set_id("t-form");
    form.set_inner_html(FORM);
    document().body().unwrap().append_child(&form).unwrap();
    let html = form.outer_html();
    (form, html)
}

fn input(form: &HtmlFormElement, name: &str) -> HtmlInputElement {
    form.query_selector(&format!("[name={name}]"))
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn type_into(form: &HtmlFormElement, name: &str, value: &str) {
    let control = input(form, name);
    control.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    control
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn leave(form: &HtmlFormElement, name: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    input(form, name)
        .dispatch_event(&Event::new_with_event_init_dict("focusout", &init).unwrap())
        .unwrap();
}

/// Submits as a user would (requestSubmit runs the submit listeners); returns whether the
/// submission went through to the host's handler.
fn submit(form: &HtmlFormElement) -> bool {
    let reached = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = reached.clone();
    let host = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        seen.set(true);
        event.prevent_default(); // stay on the test page
    });
    form.add_event_listener_with_callback("submit", host.as_ref().unchecked_ref())
        .unwrap();
    form.request_submit().unwrap();
    form.remove_event_listener_with_callback("submit", host.as_ref().unchecked_ref())
        .unwrap();
    reached.get()
}

fn options() -> JsValue {
    JSON::parse(r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"en-US"}"#).unwrap()
}

fn message(form: &HtmlFormElement, id: &str) -> Option<String> {
    let element: HtmlElement = form
        .query_selector(&format!("#{id}"))
        .unwrap()?
        .unchecked_into();
    (!element.hidden()).then(|| element.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
fn messages_appear_and_clear_with_aria() {
    let (form, _) = build();
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    type_into(&form, "email", "someone@");
    assert_eq!(
        message(&form, "t-email-error"),
        None,
        "nothing before the field is left"
    );
    leave(&form, "email");
    let email = input(&form, "email");
    assert!(message(&form, "t-email-error")
        .unwrap()
        .contains("email address"));
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        email.get_attribute("aria-describedby").as_deref(),
        Some("t-email-error")
    );
    type_into(&form, "email", "someone@example.com");
    assert_eq!(
        message(&form, "t-email-error"),
        None,
        "cleared as the user types"
    );
    assert_eq!(email.get_attribute("aria-invalid"), None);
    assert_eq!(email.get_attribute("aria-describedby"), None);

    // An existing aria-describedby is kept, with the message added.
    type_into(&form, "dateAgreed", "2019-11-21");
    leave(&form, "dateAgreed");
    assert_eq!(
        input(&form, "dateAgreed")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("t-date-hint t-date-error")
    );
    assert_eq!(
        input(&form, "dateAgreed").get_attribute("max").as_deref(),
        Some("2019-11-20")
    );
    // A control without an id gets one of this attachment's, its message after its label.
    type_into(&form, "firstName", "");
    leave(&form, "firstName");
    let first = input(&form, "firstName").id();
    assert!(
        first.starts_with("csp-") && first.ends_with("-firstName"),
        "{first}"
    );
    assert_eq!(
        message(&form, &format!("{first}-error")).as_deref(),
        Some("First name is required.")
    );
    handle.detach();
    form.remove();
}

#[wasm_bindgen_test]
fn an_invalid_form_is_not_submitted_and_the_summary_takes_focus() {
    let (form, _) = build();
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    assert!(
        !submit(&form),
        "the host's handler never sees an invalid form"
    );
    let summary: HtmlElement = form
        .query_selector(".csp-error-summary")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!summary.hidden());
    assert_eq!(
        document().active_element().unwrap().id(),
        summary.id(),
        "focus moves to the summary"
    );
    let links = summary.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 4, "date, first name, last name, email");
    let first: HtmlElement = links.item(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("href").as_deref(), Some("#t-date"));
    first.click();
    assert_eq!(
        document().active_element().unwrap().id(),
        "t-date",
        "a link focuses its field"
    );

    for (name, value) in [
        ("dateAgreed", "2019-11-14"),
        ("firstName", "Tania"),
        ("lastName", "Carr"),
        ("email", "someone@example.com"),
    ] {
        type_into(&form, name, value);
    }
    assert!(
        summary.hidden(),
        "the summary goes once everything is fixed"
    );
    assert!(submit(&form), "a valid form reaches the host");
    let payload = handle.payload().unwrap();
    assert_eq!(
        Reflect::get(&payload, &"dateAgreed".into()).unwrap(),
        "2019-11-14T00:00:00Z"
    );
    let result = handle.validate().unwrap();
    assert_eq!(
        Reflect::get(&result, &"valid".into()).unwrap(),
        JsValue::TRUE
    );
    handle.detach();
    form.remove();
}

#[wasm_bindgen_test]
fn detach_leaves_the_dom_as_it_was() {
    let (form, before) = build();
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    type_into(&form, "email", "x");
    leave(&form, "email");
    submit(&form);
    for name in [
        "email",
        "dateAgreed",
        "firstName",
        "lastName",
        "phoneNumber",
    ] {
        input(&form, name).set_value("");
    }
    handle.detach();
    assert_eq!(form.outer_html(), before);
    // No listener is left: an invalid form now submits.
    assert!(submit(&form));
    assert!(
        handle.validate().is_err(),
        "a detached handle refuses to work"
    );
    form.remove();
}

#[wasm_bindgen_test]
fn options_locale_and_customer_forms() {
    let (form, _) = build();
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    handle.validate().unwrap();
    handle
        .set_options(JSON::parse(r#"{"localToday":"2019-11-20","locale":"fr-FR"}"#).unwrap())
        .unwrap();
    assert_eq!(
        message(&form, "t-last-error").as_deref(),
        Some("Le champ «\u{a0}Nom\u{a0}» est obligatoire.")
    );
    handle.reset().unwrap();
    assert_eq!(message(&form, "t-last-error"), None);
    handle.detach();
    form.remove();

    let customer: HtmlFormElement = document().create_element("form").unwrap().unchecked_into();
    customer.set_inner_html(
        r#"<input name="companyName" aria-label="Company"><input name="domain" aria-label="Domain">
           <input name="country" aria-label="Country"><input name="firstName" aria-label="First">
           <input name="lastName" aria-label="Last"><input name="email" aria-label="Email">"#,
    );
    document().body().unwrap().append_child(&customer).unwrap();
    let options = JSON::parse(r#"{"kind":"customer"}"#).unwrap();
    let mut handle = attach_validation(customer.clone(), options).unwrap();
    let result = handle.validate().unwrap();
    assert_eq!(
        Reflect::get(&result, &"valid".into()).unwrap(),
        JsValue::FALSE
    );
    for (name, value) in [
        ("companyName", "Contoso"),
        ("domain", "contoso.onmicrosoft.com"),
        ("country", "fr"),
        ("firstName", "Ana"),
        ("lastName", "Lima"),
        ("email", "ana@contoso.fr"),
    ] {
        type_into(&customer, name, value);
    }
    let payload = handle.payload().unwrap();
    assert_eq!(
        JSON::stringify(&payload).unwrap(),
        r#"{"companyProfile":{"domain":"contoso.onmicrosoft.com"},"billingProfile":{"companyName":"Contoso","email":"ana@contoso.fr","defaultAddress":{"country":"FR","firstName":"Ana","lastName":"Lima"}}}"#
    );
    handle.detach();
    customer.remove();
    assert!(attach_validation(customer, JSON::parse(r#"{"kind":"other"}"#).unwrap()).is_err());
}

#[wasm_bindgen(inline_js = r#"
export function forbid_inner_html() {
  // What a page with `require-trusted-types-for 'script'` does to string sinks.
  const original = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML");
  Object.defineProperty(Element.prototype, "innerHTML", {
    configurable: true,
    get: original.get,
    set() { throw new TypeError("This document requires 'TrustedHTML' assignment."); },
  });
  return () => Object.defineProperty(Element.prototype, "innerHTML", original);
}
"#)]
extern "C" {
    fn forbid_inner_html() -> js_sys::Function;
}

#[wasm_bindgen_test]
fn the_summary_needs_no_string_sink() {
    let (form, _) = build();
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    let restore = forbid_inner_html();
    // The second submission empties the summary of the first before filling it again.
    let reached = [submit(&form), submit(&form)];
    restore.call0(&JsValue::NULL).unwrap();
    assert_eq!(
        reached,
        [false, false],
        "an invalid form never reaches the host"
    );
    let summary = form.query_selector(".csp-error-summary").unwrap().unwrap();
    assert_eq!(summary.query_selector_all("a").unwrap().length(), 4);
    handle.detach();
    form.remove();
}

/// A task later: what `onChange` waits for.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_callback_may_replace_itself() {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let (form, _) = build();
    let handle = Rc::new(RefCell::new(None::<csp_agreements::wasm::ValidationHandle>));
    let second_calls = Rc::new(Cell::new(0));
    let counted = second_calls.clone();
    let second = Closure::<dyn FnMut(JsValue)>::new(move |_| counted.set(counted.get() + 1));
    let second_fn: js_sys::Function = second.as_ref().unchecked_ref::<js_sys::Function>().clone();
    let slot = handle.clone();
    let first = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        // The host swaps its callback from inside the callback.
        let options = options();
        Reflect::set(&options, &"onChange".into(), &second_fn).unwrap();
        if let Some(handle) = slot.borrow().as_ref() {
            handle.set_options(options).unwrap();
        }
    });
    let options = options();
    Reflect::set(&options, &"onChange".into(), first.as_ref()).unwrap();
    *handle.borrow_mut() = Some(attach_validation(form.clone(), options).unwrap());
    type_into(&form, "email", "someone@");
    next_task().await;
    next_task().await;
    assert!(second_calls.get() >= 1, "the new callback took over");
    type_into(&form, "email", "someone@example.com");
    next_task().await;
    let calls = second_calls.get();
    type_into(&form, "lastName", "Carr");
    next_task().await;
    assert_eq!(second_calls.get(), calls + 1, "and it alone is called");
    handle.borrow_mut().take().unwrap().detach();
    form.remove();
    drop((first, second));
}

/// `onChange` comes in a task of its own after the event (a framework's controlled input has
/// taken its value by then), once for several events before it, and never after `detach`.
#[wasm_bindgen_test]
async fn on_change_comes_after_the_event_and_once_for_many() {
    use std::cell::Cell;
    use std::rc::Rc;
    let (form, _) = build();
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |_| counted.set(counted.get() + 1));
    let options = options();
    Reflect::set(&options, &"onChange".into(), callback.as_ref()).unwrap();
    let mut handle = attach_validation(form.clone(), options).unwrap();
    type_into(&form, "email", "a");
    type_into(&form, "email", "ab");
    assert_eq!(calls.get(), 0, "not while the event is dispatched");
    next_task().await;
    assert_eq!(calls.get(), 1, "once, with the last result");
    type_into(&form, "email", "abc");
    handle.detach();
    next_task().await;
    assert_eq!(calls.get(), 1, "nothing after detach");
    form.remove();
    drop(callback);
}

#[wasm_bindgen_test]
fn the_validation_lives_as_long_as_the_form_not_the_handle() {
    let (form, _) = build();
    drop(attach_validation(form.clone(), options()).unwrap());
    type_into(&form, "email", "someone@");
    leave(&form, "email");
    assert!(message(&form, "t-email-error").is_some(), "still checked");
    assert!(!submit(&form), "still blocked while invalid");
    form.remove();
}

#[wasm_bindgen_test]
fn controls_rendered_later_are_covered_and_ids_are_unique() {
    let make = || {
        let form: HtmlFormElement = document().create_element("form").unwrap().unchecked_into();
        form.set_inner_html(r#"<label>First name <input name="firstName"></label>"#);
        document().body().unwrap().append_child(&form).unwrap();
        form
    };
    let (one, two) = (make(), make());
    let mut first = attach_validation(one.clone(), options()).unwrap();
    let mut second = attach_validation(two.clone(), options()).unwrap();
    assert_ne!(
        input(&one, "firstName").id(),
        input(&two, "firstName").id(),
        "two forms without ids: distinct ids"
    );
    // An email field rendered after attaching (as a framework renders a step).
    let email: HtmlInputElement = document().create_element("input").unwrap().unchecked_into();
    email.set_name("email");
    one.append_child(&email).unwrap();
    type_into(&one, "email", "someone@");
    leave(&one, "email");
    let id = email.id();
    assert!(!id.is_empty());
    assert!(message(&one, &format!("{id}-error")).is_some());
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    first.detach();
    second.detach();
    assert_eq!(email.id(), "", "restored");
    one.remove();
    two.remove();
}

#[wasm_bindgen(inline_js = r#"
export function use_handle(handle) {
  // Any order, any number of times: free, detach, dispose; then the other methods throw.
  handle.free();
  handle.detach();
  handle[Symbol.dispose]?.();
  try { handle.validate(); return "validate did not throw"; } catch (e) { return e.message; }
}
"#)]
extern "C" {
    fn use_handle(handle: &JsValue) -> String;
}

#[wasm_bindgen_test]
fn the_javascript_handle_detaches_in_any_order() {
    let (form, before) = build();
    let handle = csp_agreements::wasm::attach_validation_js(form.clone(), Some(options())).unwrap();
    type_into(&form, "email", "x");
    leave(&form, "email");
    assert_eq!(use_handle(&handle), "this validation handle was detached");
    input(&form, "email").set_value("");
    assert_eq!(form.outer_html(), before, "everything added is gone");
    form.remove();
}

#[wasm_bindgen_test]
fn a_day_that_does_not_exist_is_refused_at_once() {
    let (form, _) = build();
    let bad = JSON::parse(r#"{"localToday":"2020-02-30"}"#).unwrap();
    assert!(attach_validation(form.clone(), bad.clone()).is_err());
    let mut handle = attach_validation(form.clone(), options()).unwrap();
    assert!(handle.set_options(bad).is_err());
    assert!(handle.validate().is_ok(), "the handle keeps its options");
    handle.detach();
    form.remove();
}
