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

    /// An optional whole number from `min` to `max`: anything else (a fraction, a number out
    /// of range, another type) is a malformed call naming the property.
    #[cfg(feature = "client")]
    pub fn whole(&self, key: &str, min: u32, max: u32) -> Result<Option<u32>, JsError> {
        match self.number(key)? {
            None => Ok(None),
            Some(n) if n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(max) => {
                Ok(Some(n as u32))
            }
            Some(_) => Err(JsError::new(&format!(
                "{}: expected a whole number from {min} to {max}",
                self.path_of(key)
            ))),
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
#[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
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

/// A value read from the tree of a call's text, for the shapes declared with `readable!`: one
/// small reader per kind of field (text, number, date-time, wire name, list, optional), rather
/// than serde's generic deserializer, monomorphized for every shape (13 KB of wasm for the
/// ledger's records alone, measured).
#[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
pub trait FromNode<'a>: Sized {
    /// The value at `path` (for the error naming it).
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError>;
}

impl<'a> FromNode<'a> for String {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => Ok((*text).to_string()),
            _ => Err(error(path, "a string")),
        }
    }
}

impl<'a> FromNode<'a> for u64 {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Num(n) if n.fract() == 0.0 && *n >= 0.0 => Ok(*n as u64),
            _ => Err(error(path, "a whole number")),
        }
    }
}

impl<'a> FromNode<'a> for u32 {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        u32::try_from(u64::from_node(path, node)?)
            .map_err(|_| error(path, "a whole number up to 4294967295"))
    }
}

impl<'a> FromNode<'a> for crate::date::Instant {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => crate::date::parse_instant(text),
            _ => None,
        }
        .ok_or_else(|| error(path, "a date-time such as 2026-12-06T09:30:00Z"))
    }
}

impl<'a> FromNode<'a> for crate::date::Day {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => crate::date::parse_date(text).map(crate::date::Day),
            _ => None,
        }
        .ok_or_else(|| error(path, "a date written YYYY-MM-DD"))
    }
}

impl<'a, T: Wire> FromNode<'a> for T {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => wire_value(path, text),
            _ => Err(error(path, "a string")),
        }
    }
}

impl<'a, T: FromNode<'a>> FromNode<'a> for Option<T> {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Absent => Ok(None),
            node => T::from_node(path, node).map(Some),
        }
    }
}

impl<'a, T: FromNode<'a>> FromNode<'a> for Vec<T> {
    fn from_node(path: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Absent => Ok(Vec::new()),
            Node::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(T::from_node(&format!("{path}[{i}]"), item)?);
                }
                Ok(list)
            }
            _ => Err(error(path, "an array")),
        }
    }
}

impl<'a> Obj<'a> {
    /// A property read as its declared type (absent: as `undefined`).
    #[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
    pub fn field<T: FromNode<'a>>(&self, key: &str) -> Result<T, JsError> {
        T::from_node(&self.path_of(key), self.raw(key).unwrap_or(&Node::Absent))
    }
}

/// The reader of a declared shape, from its fields and their names on the wire: every field is
/// named (the struct literal fails to compile when one is added and not listed here).
#[macro_export]
#[doc(hidden)]
macro_rules! readable {
    ($($shape:ty { $($field:ident: $key:literal),* $(,)? })+) => {$(
        impl<'a> $crate::wasm::input::FromNode<'a> for $shape {
            fn from_node(
                path: &str,
                node: &'a $crate::wasm::compact::Node<'a>,
            ) -> Result<Self, wasm_bindgen::JsError> {
                let obj = $crate::wasm::input::Obj::required(path, node)?;
                Ok(Self { $($field: obj.field($key)?,)* })
            }
        }
    )+};
}

/// A JS value read as its declared type (`path` names it in the error).
#[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
pub fn value_as<T: for<'a> FromNode<'a>>(path: &str, value: &JsValue) -> Result<T, JsError> {
    let args = Args::one(value);
    let [node, _, _] = args.nodes()?;
    T::from_node(path, &node)
}
