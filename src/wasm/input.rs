//! Reads the arguments of the JS API from the tree of their text (`compact`): one crossing per
//! call, then plain Rust. A value of the wrong type is a malformed call: it becomes a JS `Error`
//! naming the path (`options.policy.cloudAgreementLastDay: expected a string`).

use wasm_bindgen::{JsError, JsValue};

use super::compact::Node;
use crate::date::parse_agreed_date_time;
use crate::payload::{Agreement, Contact};
use crate::timeline::Policy;
use crate::wire::Wire;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// Up to three arguments of a call, as one string (`undefined` for those left out).
    fn encode_args(a: &JsValue, b: &JsValue, c: &JsValue) -> String;
}

/// The text of up to three JS values (see `Args::nodes`).
pub struct Args(String);

impl Args {
    pub fn of(a: &JsValue, b: &JsValue, c: &JsValue) -> Args {
        Args(encode_args(a, b, c))
    }

    pub fn one(value: &JsValue) -> Args {
        Args::of(value, &JsValue::UNDEFINED, &JsValue::UNDEFINED)
    }

    /// The three values, in order.
    pub fn nodes(&self) -> Result<[Node<'_>; 3], JsError> {
        Node::parse_args(&self.0).ok_or_else(|| JsError::new("the arguments could not be read"))
    }
}

/// A function property of a JS object (`onChange`, `getToken`): functions do not cross as
/// text, they are taken as they are.
#[cfg(any(feature = "client", feature = "dom"))]
pub fn function_of(object: &JsValue, key: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(object, &JsValue::from_str(key))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()
}

/// A JS object being read, with its path for error messages (`options.policy`).
pub struct Obj<'a> {
    path: String,
    fields: &'a [(&'a str, Node<'a>)],
}

/// A value quoted for an error message, cut after 40 characters (inputs can be huge).
pub fn quote(text: &str) -> String {
    let cut = text.char_indices().nth(40).map(|(at, _)| at);
    let shown = cut.map_or(text, |at| text.get(..at).unwrap_or_default());
    let mut quoted = String::from('"');
    quoted.push_str(shown);
    if cut.is_some() {
        quoted.push('…');
    }
    quoted.push('"');
    quoted
}

fn error(path: &str, expected: &str) -> JsError {
    JsError::new(&format!("{path}: expected {expected}"))
}

impl<'a> Obj<'a> {
    /// An optional object argument: `undefined` and `null` are `None`.
    pub fn optional(path: &str, node: &'a Node<'a>) -> Result<Option<Obj<'a>>, JsError> {
        match node {
            Node::Absent => Ok(None),
            Node::Object(fields) => Ok(Some(Obj {
                path: path.to_string(),
                fields,
            })),
            _ => Err(error(path, "an object")),
        }
    }

    /// A required object argument.
    pub fn required(path: &str, node: &'a Node<'a>) -> Result<Obj<'a>, JsError> {
        Obj::optional(path, node)?.ok_or_else(|| error(path, "an object"))
    }

    pub fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// A property, unless it is `undefined` or `null`.
    pub fn raw(&self, key: &str) -> Option<&'a Node<'a>> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, node)| node)
            .filter(|node| !matches!(node, Node::Absent))
    }

    /// An optional string property.
    pub fn string(&self, key: &str) -> Result<Option<String>, JsError> {
        self.str(key).map(|s| s.map(str::to_string))
    }

    /// An optional string property, borrowed.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Node::Str(text)) => Ok(Some(text)),
            Some(_) => Err(error(&self.path_of(key), "a string")),
        }
    }

    /// A required string property.
    pub fn required_string(&self, key: &str) -> Result<String, JsError> {
        self.string(key)?
            .ok_or_else(|| error(&self.path_of(key), "a string"))
    }

    /// An optional number property.
    #[cfg(feature = "client")]
    pub fn number(&self, key: &str) -> Result<Option<f64>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Node::Num(n)) => Ok(Some(*n)),
            Some(_) => Err(error(&self.path_of(key), "a number")),
        }
    }

    /// An optional boolean property (anything else reads as absent).
    #[cfg(feature = "client")]
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.raw(key) {
            Some(Node::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// An optional property holding one of the wire names of `T`.
    pub fn wire<T: Wire>(&self, key: &str) -> Result<Option<T>, JsError> {
        Ok(self.wire_index(key, T::NAMES)?.map(|i| T::ALL[i]))
    }

    /// The generic part of `wire`, kept out of it so that it is not compiled once per type.
    fn wire_index(&self, key: &str, names: &[&str]) -> Result<Option<usize>, JsError> {
        self.str(key)?
            .map(|text| name_index(&self.path_of(key), text, names))
            .transpose()
    }

    /// An optional nested object.
    pub fn object(&self, key: &str) -> Result<Option<Obj<'a>>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(node) => Obj::optional(&self.path_of(key), node),
        }
    }

    /// An optional array property, as its items with their paths.
    pub fn array(&self, key: &str) -> Result<Vec<(String, &'a Node<'a>)>, JsError> {
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(Node::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, item)| (format!("{}.{key}[{i}]", self.path), item))
                .collect()),
            Some(_) => Err(error(&self.path_of(key), "an array")),
        }
    }

    /// The own enumerable keys of the object.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.fields.iter().map(|(k, _)| *k)
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
            crate::text::join(names, ", ")
        ))
    })
}

/// A policy: the default with the given fields overridden, unknown fields refused, then checked.
pub fn policy(obj: Option<Obj>) -> Result<Policy, JsError> {
    let Some(obj) = obj else {
        return Ok(Policy::DEFAULT);
    };
    let mut entries = Vec::new();
    for key in obj.keys() {
        entries.push((key, obj.str(key)?));
    }
    Policy::with_overrides(entries).map_err(|e| JsError::new(&format!("{}: {e}", obj.path)))
}

/// A policy when one is given (`None` keeps the default, as in the serde shape).
pub fn policy_if_given(obj: Option<Obj>) -> Result<Option<Policy>, JsError> {
    obj.map(|obj| policy(Some(obj))).transpose()
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
pub fn agreement(path: &str, node: &Node) -> Result<Agreement, JsError> {
    let obj = Obj::required(path, node)?;
    let contact_obj = obj
        .object("primaryContact")?
        .ok_or_else(|| error(&obj.path_of("primaryContact"), "an object"))?;
    let date_text = obj.required_string("dateAgreed")?;
    Ok(Agreement {
        user_id: obj.string("userId")?,
        primary_contact: contact(&contact_obj)?,
        template_id: obj.required_string("templateId")?,
        date_agreed: parse_agreed_date_time(&date_text)
            .ok_or_else(|| error(&obj.path_of("dateAgreed"), "a date"))?,
        agreement_type: obj
            .wire("type")?
            .ok_or_else(|| error(&obj.path_of("type"), "an agreement type"))?,
        agreement_link: obj.string("agreementLink")?,
    })
}

/// An object's node without the given keys (options another reader takes in part); `Absent`
/// for anything else.
pub fn without<'a>(node: &Node<'a>, keys: &[&str]) -> Node<'a> {
    match node {
        Node::Object(fields) => Node::Object(
            fields
                .iter()
                .filter(|(key, _)| !keys.contains(key))
                .cloned()
                .collect(),
        ),
        _ => Node::Absent,
    }
}
