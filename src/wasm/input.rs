//! Reads the arguments of the JS API from plain JS values with `Reflect`, field by field.
//! Written by hand rather than with serde's deserializer: serde-wasm-bindgen's deserializer and
//! serde's error formatting (float printing included) cost about half of the module's size.
//! A value of the wrong type is a malformed call: it becomes a JS `Error` naming the path.

use chrono::NaiveDate;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

use crate::date::{parse_agreed_date_time, parse_date};
use crate::payload::{Agreement, Contact};
use crate::timeline::Policy;
use crate::wire::Wire;

/// A JS object being read, with its path for error messages (`options.policy`).
pub struct Obj {
    path: String,
    value: JsValue,
}

/// A value quoted for an error message, cut after 40 characters (inputs can be huge).
pub fn quote(text: &str) -> String {
    let cut = text.char_indices().nth(40).map(|(at, _)| at);
    let shown = cut.map_or(text, |at| text.get(..at).unwrap_or_default());
    ["\"", shown, if cut.is_some() { "…\"" } else { "\"" }].concat()
}

fn error(path: &str, expected: &str) -> JsError {
    JsError::new(&format!("{path}: expected {expected}"))
}

impl Obj {
    /// An optional object argument: `undefined` and `null` are `None`.
    pub fn optional(path: &str, value: JsValue) -> Result<Option<Obj>, JsError> {
        if value.is_undefined() || value.is_null() {
            Ok(None)
        } else if value.is_object() && !Array::is_array(&value) {
            Ok(Some(Obj {
                path: path.to_string(),
                value,
            }))
        } else {
            Err(error(path, "an object"))
        }
    }

    /// A required object argument.
    pub fn required(path: &str, value: JsValue) -> Result<Obj, JsError> {
        Obj::optional(path, value)?.ok_or_else(|| error(path, "an object"))
    }

    fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The raw value of a property; a throwing getter reads as `undefined`.
    pub fn raw(&self, key: &str) -> Option<JsValue> {
        let value =
            Reflect::get(&self.value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    /// An optional string property.
    pub fn string(&self, key: &str) -> Result<Option<String>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(value) => value
                .as_string()
                .map(Some)
                .ok_or_else(|| error(&self.path_of(key), "a string")),
        }
    }

    /// A required string property.
    pub fn required_string(&self, key: &str) -> Result<String, JsError> {
        self.string(key)?
            .ok_or_else(|| error(&self.path_of(key), "a string"))
    }

    /// An optional `YYYY-MM-DD` date property.
    pub fn date(&self, key: &str) -> Result<Option<NaiveDate>, JsError> {
        self.string(key)?
            .map(|text| {
                parse_date(&text)
                    .ok_or_else(|| error(&self.path_of(key), "a calendar date written YYYY-MM-DD"))
            })
            .transpose()
    }

    /// An optional property holding one of the wire names of `T`.
    pub fn wire<T: Wire>(&self, key: &str) -> Result<Option<T>, JsError> {
        Ok(self.wire_index(key, T::NAMES)?.map(|i| T::ALL[i]))
    }

    /// The generic part of `wire`, kept out of it so that it is not compiled once per type.
    fn wire_index(&self, key: &str, names: &[&str]) -> Result<Option<usize>, JsError> {
        self.string(key)?
            .map(|text| name_index(&self.path_of(key), &text, names))
            .transpose()
    }

    /// An optional nested object.
    pub fn object(&self, key: &str) -> Result<Option<Obj>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(value) => Obj::optional(&self.path_of(key), value),
        }
    }

    /// An optional array property, as its items with their paths.
    pub fn array(&self, key: &str) -> Result<Vec<(String, JsValue)>, JsError> {
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(value) => {
                let array = value
                    .dyn_into::<Array>()
                    .map_err(|_| error(&self.path_of(key), "an array"))?;
                Ok(array
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{}.{key}[{i}]", self.path), item))
                    .collect())
            }
        }
    }

    /// The own enumerable keys of the object.
    pub fn keys(&self) -> Vec<String> {
        Object::keys(self.value.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    }
}

/// One of the wire names of `T`, or an error listing them.
pub fn wire_value<T: Wire>(path: &str, text: &str) -> Result<T, JsError> {
    name_index(path, text, T::NAMES).map(|i| T::ALL[i])
}

fn name_index(path: &str, text: &str, names: &[&str]) -> Result<usize, JsError> {
    names.iter().position(|name| *name == text).ok_or_else(|| {
        JsError::new(&format!(
            "{path}: {} is not one of {}",
            quote(text),
            names.join(", ")
        ))
    })
}

/// A policy: the default with the given fields overridden, unknown fields refused, then checked.
pub fn policy(obj: Option<Obj>) -> Result<Policy, JsError> {
    let mut policy = Policy::DEFAULT;
    if let Some(obj) = obj {
        for key in obj.keys() {
            let date = obj.date(&key)?;
            let slot = policy.field_mut(&key).ok_or_else(|| {
                JsError::new(&format!(
                    "{}: unknown field {} (expected one of {})",
                    obj.path,
                    quote(&key),
                    Policy::FIELDS.join(", ")
                ))
            })?;
            if let Some(date) = date {
                *slot = date;
            }
        }
    }
    policy.check().map_err(|e| JsError::new(&e.to_string()))
}

/// A contact as the backend returns it.
fn contact(obj: &Obj) -> Result<Contact, JsError> {
    Ok(Contact {
        first_name: obj.required_string("firstName")?,
        last_name: obj.required_string("lastName")?,
        email: obj.required_string("email")?,
        phone_number: obj.string("phoneNumber")?,
    })
}

/// An agreement as read back from the backend (`dateAgreed` with or without time and zone).
pub fn agreement(path: &str, value: JsValue) -> Result<Agreement, JsError> {
    let obj = Obj::required(path, value)?;
    let contact_obj = obj
        .object("primaryContact")?
        .ok_or_else(|| error(&obj.path_of("primaryContact"), "an object"))?;
    let date_text = obj.required_string("dateAgreed")?;
    Ok(Agreement {
        user_id: obj.string("userId")?,
        primary_contact: contact(&contact_obj)?,
        template_id: obj.string("templateId")?.unwrap_or_default(),
        date_agreed: parse_agreed_date_time(&date_text)
            .ok_or_else(|| error(&obj.path_of("dateAgreed"), "a date"))?,
        agreement_type: obj
            .wire("type")?
            .ok_or_else(|| error(&obj.path_of("type"), "an agreement type"))?,
        agreement_link: obj.string("agreementLink")?,
    })
}
