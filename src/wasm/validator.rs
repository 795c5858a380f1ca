//! `Validator`: the checks of a form prepared once with their options, so that each check as
//! the user types crosses only the form (or one field's value).

use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::convert::{
    browser_today, confirmation_validation, context_of, field_arg, field_report, validation_options,
};
use super::input::{form_arg, Args, FromNode};
use crate::checks::form::{self, ConfirmationForm, Context, FormView};
use crate::checks::issues::Field;
use crate::checks::messages::Locale;

/// The checks of `validateConfirmation` and `validateField` with their options read once
/// (`new Validator(options)`): the days, the language, the role, the policy, the customer's
/// confirmations. Each call then crosses only the form. Without `localToday`/`utcToday`, each
/// call reads the browser clock, as the functions do: a validator kept past midnight checks
/// against the new day.
#[wasm_bindgen]
pub struct Validator {
    context: Context,
    locale: Locale,
    form: ConfirmationForm,
    clock: bool,
}

#[wasm_bindgen]
impl Validator {
    /// The checks with `options` (those of `validateConfirmation`). Throws an `Error` for
    /// malformed options, as the functions do.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: JsValue,
    ) -> Result<Validator, JsError> {
        Validator::of_args(&Args::one(&options))
    }

    /// `validateConfirmation(form, options)`, with the options given to the constructor.
    #[wasm_bindgen(unchecked_return_type = "ConfirmationValidation")]
    pub fn validate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ConfirmationForm")] form: JsValue,
    ) -> Result<JsValue, JsError> {
        let args = Args::form_and(&form, &JsValue::UNDEFINED);
        let [form, _, _] = args.nodes()?;
        self.confirmation(form_arg("form", &form)?.view())
    }

    /// `validateField(field, value, options)`, with the options given to the constructor;
    /// `form`, when given, is the rest of the form as context (else the options' `form`).
    #[wasm_bindgen(js_name = validateField, unchecked_return_type = "FieldReport")]
    pub fn validate_field(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Field")] field: &str,
        value: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "ConfirmationForm")] form: JsValue,
    ) -> Result<JsValue, JsError> {
        let field = field_arg(field)?;
        let given = if form.is_undefined() || form.is_null() {
            None
        } else {
            let args = Args::one(&form);
            let [form, _, _] = args.nodes()?;
            Some(ConfirmationForm::read("form", &form)?)
        };
        self.field(field, value, given.as_ref())
    }
}

impl Validator {
    /// A validator of the options a call's arguments hold first.
    pub(super) fn of_args(args: &Args) -> Result<Validator, JsError> {
        let [options, _, _] = args.nodes()?;
        Validator::of_node(&options)
    }

    /// A validator of these options.
    pub(super) fn of_node(options: &Node) -> Result<Validator, JsError> {
        let options = validation_options(options)?;
        let clock = options.check.local_today.is_none() && options.check.utc_today.is_none();
        let (context, locale, form) = context_of(options)?;
        Ok(Validator {
            context,
            locale,
            form,
            clock,
        })
    }

    /// One field's report, `form` the rest of the form (else the options').
    pub(super) fn field(
        &mut self,
        field: Field,
        value: &str,
        form: Option<&ConfirmationForm>,
    ) -> Result<JsValue, JsError> {
        self.refresh_today();
        let form = form.unwrap_or(&self.form);
        let report = form::validate_field(field, value, form, &self.context);
        field_report(report, self.locale)
    }

    /// The whole form's result.
    pub(super) fn confirmation(&mut self, form: FormView) -> Result<JsValue, JsError> {
        self.refresh_today();
        confirmation_validation(form, &self.context, self.locale)
    }

    /// Before a call: today from the clock when the options gave no day.
    fn refresh_today(&mut self) {
        if self.clock {
            self.context.today = Some(browser_today());
        }
    }
}
