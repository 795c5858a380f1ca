//! Reads the arguments of the JS API from the tree of their text (`compact`): one crossing per
//! call, then plain Rust. A value of the wrong type is a malformed call: it becomes a JS `Error`
//! naming the path (`options.policy.cloudAgreementLastDay: expected a string`).
// The file checks' module (built without the client and the DOM code) uses fewer readers.
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use wasm_bindgen::{JsError, JsValue};

use super::compact::Node;
use crate::checks::form::{ConfirmationForm, FormView};
use crate::checks::issues::Field;
use crate::checks::messages::Locale;
use crate::rules::date::parse_agreed_date_time;
use crate::rules::timeline::Policy;
use crate::wire::Wire;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// Up to three arguments of a call, as one string (`undefined` for those left out).
    fn encode_args(a: &JsValue, b: &JsValue, c: &JsValue) -> String;
    /// The same, the first a confirmation form: its values alone, in the order `form_fields`
    /// gave (any other value as `encode_args` writes it).
    fn encode_form(form: &JsValue, b: &JsValue) -> String;
    /// The names of the confirmation form's fields, in their order (separated by U+0000).
    fn form_fields(names: &str);
    /// `validateConfirmation`'s form and options, the options written `=` when they are the
    /// last ones read (see `Options`).
    fn encode_form_options(form: &JsValue, options: &JsValue) -> String;
    /// `validateField`'s options: their text, or nothing when they are the last ones read.
    fn options_text(options: &JsValue) -> Option<String>;
    /// The text of the last options (the module no longer holds what it read from them).
    pub(super) fn last_options() -> String;
    /// The last options could not be read: the next call sends their text.
    fn forget_options();
}

/// The options of `validateConfirmation` and `validateField` as they crossed: their text, or
/// none when they are the ones the last call read (JavaScript keeps that text and compares).
pub enum Options<'a> {
    Text(&'a str),
    Last,
}

impl Options<'_> {
    /// `validateField`'s, read with `f` (see `forgotten_on_error`).
    pub fn of_field<T>(
        options: &JsValue,
        f: impl FnOnce(Options) -> Result<T, JsError>,
    ) -> Result<T, JsError> {
        let text = options_text(options);
        Options::forgotten_on_error(|| f(text.as_deref().map_or(Options::Last, Options::Text)))
    }

    /// Runs a call that took options; when it fails (its options unread, or its other
    /// arguments), JavaScript forgets the options, and sends their text with the next call:
    /// the two sides never disagree on the options read last.
    pub fn forgotten_on_error<T>(call: impl FnOnce() -> Result<T, JsError>) -> Result<T, JsError> {
        let result = call();
        if result.is_err() {
            forget_options();
        }
        result
    }
}

thread_local! {
    /// Whether `js/boundary.js` has the names of the form's fields.
    static FORM_FIELDS_GIVEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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

    /// A confirmation form (its values alone when they are text, see [`form_arg`]) and a
    /// second argument.
    pub fn form_and(form: &JsValue, b: &JsValue) -> Args {
        give_form_fields();
        Args(encode_form(form, b))
    }

    /// `validateConfirmation`'s form and options (see [`Options`]).
    pub fn form_options(form: &JsValue, options: &JsValue) -> Args {
        give_form_fields();
        Args(encode_form_options(form, options))
    }

    /// The three values, in order.
    pub fn nodes(&self) -> Result<[Node<'_>; 3], JsError> {
        Node::parse_args(&self.0).ok_or_else(unreadable)
    }

    /// The first value, and the text the second was written as when the third is `undefined`
    /// (the options of `validateConfirmation(form, options)`).
    pub fn first_and_second_text(&self) -> Result<(Node<'_>, &str), JsError> {
        Node::parse_first(&self.0)
            .and_then(|(first, rest)| Some((first, rest.strip_suffix("\0u")?)))
            .ok_or_else(unreadable)
    }
}

/// Gives `js/boundary.js` the names of the form's fields, once.
fn give_form_fields() {
    if !FORM_FIELDS_GIVEN.get() {
        form_fields(ConfirmationForm::FIELD_NAMES);
        FORM_FIELDS_GIVEN.set(true);
    }
}

fn unreadable() -> JsError {
    JsError::new("the arguments could not be read")
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

/// Where a value is in a call's arguments (`options.policy.cloudAgreementLastDay`): a chain on
/// the stack, written out only for an error.
#[derive(Clone, Copy)]
pub enum Path<'p> {
    /// An argument, by name.
    Root(&'p str),
    /// A property of an object.
    Key(&'p Path<'p>, &'p str),
    /// An item of an array.
    Index(&'p Path<'p>, usize),
}

impl crate::piece::Piece for Path<'_> {
    fn put(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(parent, key) => {
                parent.put(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.put(out);
                out.push('[');
                index.put(out);
                out.push(']');
            }
        }
    }
}

/// A JS object being read, with its path for error messages (`options.policy`).
pub struct Obj<'a, 'p> {
    path: Path<'p>,
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

fn error(path: &Path, expected: &str) -> JsError {
    JsError::new(&crate::text!(path, ": expected ", expected))
}

#[cfg_attr(
    not(any(feature = "client", feature = "bulk", feature = "dom")),
    allow(dead_code)
)]
impl<'a, 'p> Obj<'a, 'p> {
    /// An optional object: `undefined` and `null` are `None`.
    pub fn optional_at(path: &Path<'p>, node: &'a Node<'a>) -> Result<Option<Self>, JsError> {
        match node {
            Node::Absent => Ok(None),
            Node::Object(fields) => Ok(Some(Obj {
                path: *path,
                fields,
            })),
            _ => Err(error(path, "an object")),
        }
    }

    /// A required object.
    pub fn required_at(path: &Path<'p>, node: &'a Node<'a>) -> Result<Self, JsError> {
        Obj::optional_at(path, node)?.ok_or_else(|| error(path, "an object"))
    }

    /// An optional object argument, by name.
    pub fn optional(name: &'p str, node: &'a Node<'a>) -> Result<Option<Self>, JsError> {
        Obj::optional_at(&Path::Root(name), node)
    }

    /// A required object argument, by name.
    pub fn required(name: &'p str, node: &'a Node<'a>) -> Result<Self, JsError> {
        Obj::required_at(&Path::Root(name), node)
    }

    /// The path of a property.
    pub fn at<'k>(&'k self, key: &'k str) -> Path<'k> {
        Path::Key(&self.path, key)
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
            Some(_) => Err(error(&self.at(key), "a string")),
        }
    }

    /// An optional number property.
    pub fn number(&self, key: &str) -> Result<Option<f64>, JsError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Node::Num(n)) => Ok(Some(*n)),
            Some(_) => Err(error(&self.at(key), "a number")),
        }
    }

    /// An optional whole number from `min` to `max`: anything else (a fraction, a number out
    /// of range, another type) is a malformed call naming the property.
    pub fn whole(&self, key: &str, min: u32, max: u32) -> Result<Option<u32>, JsError> {
        match self.number(key)? {
            None => Ok(None),
            Some(n) if n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(max) => {
                Ok(Some(n as u32))
            }
            Some(_) => Err(JsError::new(&crate::text!(
                self.at(key),
                ": expected a whole number from ",
                min,
                " to ",
                max
            ))),
        }
    }

    /// A required whole number from `min` to `max`.
    pub fn required_whole(&self, key: &str, min: u32, max: u32) -> Result<u32, JsError> {
        self.whole(key, min, max)?.ok_or_else(|| {
            JsError::new(&crate::text!(
                self.at(key),
                ": expected a whole number from ",
                min,
                " to ",
                max
            ))
        })
    }

    /// The own enumerable keys of the object.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.fields.iter().map(|(k, _)| *k)
    }
}

/// One of the wire names of `T`, or an error listing them.
pub fn wire_value<T: Wire>(name: &str, text: &str) -> Result<T, JsError> {
    name_index(&Path::Root(name), text, T::NAMES).map(|i| T::ALL[i])
}

fn name_index(path: &Path, text: &str, names: &[&str]) -> Result<usize, JsError> {
    names.iter().position(|name| *name == text).ok_or_else(|| {
        JsError::new(&crate::text!(
            path,
            ": ",
            quote(text),
            " is not one of ",
            crate::checks::text::join(names, ", ")
        ))
    })
}

/// A value read from the tree of a call's text. Shapes derive it (`#[derive(Readable)]`, from
/// their declarations); the kinds of field have one small reader each (text, number, date-time,
/// wire name, list, optional), rather than serde's generic deserializer, monomorphized for every
/// shape (13 KB of wasm for the ledger's records alone, measured).
pub trait FromNode<'a>: Sized {
    /// The value at `path` (for the error naming it).
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError>;

    /// The argument `name`.
    fn read(name: &str, node: &'a Node<'a>) -> Result<Self, JsError> {
        Self::from_node(&Path::Root(name), node)
    }
}

impl<'a> FromNode<'a> for String {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => Ok((*text).to_string()),
            _ => Err(error(path, "a string")),
        }
    }
}

impl<'a> FromNode<'a> for u64 {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Num(n) if n.fract() == 0.0 && *n >= 0.0 => Ok(*n as u64),
            _ => Err(error(path, "a whole number")),
        }
    }
}

impl<'a> FromNode<'a> for u32 {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        u32::try_from(u64::from_node(path, node)?)
            .map_err(|_| error(path, "a whole number up to 4294967295"))
    }
}

impl<'a> FromNode<'a> for crate::rules::date::Instant {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => crate::rules::date::parse_instant(text),
            _ => None,
        }
        .ok_or_else(|| error(path, "a date-time such as 2026-12-06T09:30:00Z"))
    }
}

impl<'a> FromNode<'a> for crate::rules::date::Day {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => crate::rules::date::parse_date(text).map(crate::rules::date::Day),
            _ => None,
        }
        .ok_or_else(|| error(path, "a date written YYYY-MM-DD"))
    }
}

impl<'a, T: Wire> FromNode<'a> for T {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        wire_index(path, node, T::NAMES).map(|i| T::ALL[i])
    }
}

/// The generic part of reading a wire name, compiled once rather than once per enum.
#[inline(never)]
fn wire_index(path: &Path, node: &Node, names: &[&str]) -> Result<usize, JsError> {
    match node {
        Node::Str(text) => name_index(path, text, names),
        Node::Absent => Err(one_of(path, names)),
        _ => Err(error(path, "a string")),
    }
}

/// A wire name left out: the error lists them.
fn one_of(path: &Path, names: &[&str]) -> JsError {
    JsError::new(&crate::text!(
        path,
        ": expected one of ",
        crate::checks::text::join(names, ", ")
    ))
}

impl<'a, T: FromNode<'a>> FromNode<'a> for Option<T> {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Absent => Ok(None),
            node => T::from_node(path, node).map(Some),
        }
    }
}

impl<'a, T: FromNode<'a>> FromNode<'a> for Vec<T> {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Absent => Ok(Vec::new()),
            Node::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(T::from_node(&Path::Index(path, i), item)?);
                }
                Ok(list)
            }
            _ => Err(error(path, "an array")),
        }
    }
}

impl<'a> Obj<'a, '_> {
    /// A property's node (`Absent` when left out).
    #[inline(never)]
    pub fn node(&self, key: &str) -> &'a Node<'a> {
        self.raw(key).unwrap_or(&Node::Absent)
    }

    /// A property read as its declared type (absent: as `undefined`). Out of line: one copy per
    /// type read, called by every field of that type.
    #[inline(never)]
    pub fn field<T: FromNode<'a>>(&self, key: &str) -> Result<T, JsError> {
        T::from_node(&self.at(key), self.node(key))
    }

    /// A property read as its declared type, its default when absent (serde's `default`).
    #[inline(never)]
    pub fn field_or_default<T: FromNode<'a> + Default>(&self, key: &str) -> Result<T, JsError> {
        match self.raw(key) {
            None => Ok(T::default()),
            Some(node) => T::from_node(&self.at(key), node),
        }
    }
}

impl<'a> FromNode<'a> for bool {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Bool(b) => Ok(*b),
            _ => Err(error(path, "true or false")),
        }
    }
}

/// A JS value taken as it is, not as data: a function (`getToken`, `onChange`) or an object
/// with methods (`ledger`). A shape declares it so that its TypeScript type says it (with
/// `#[tsify(type = ...)]`); the bindings take the value itself from the argument.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(any(feature = "client", feature = "dom")), allow(dead_code))]
pub struct Given;

impl<'a> FromNode<'a> for Given {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Absent => Err(error(path, "a value")),
            _ => Ok(Given),
        }
    }
}

/// A code written as a number or a text, kept as text.
impl<'a> FromNode<'a> for crate::wire::Code {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        match node {
            Node::Str(text) => Ok(crate::wire::Code((*text).to_string())),
            Node::Num(n) => Ok(crate::wire::Code(crate::text!(*n as i64))),
            _ => Err(error(path, "a number or a string")),
        }
    }
}

/// A language: any text, read by the locale rule (`Locale::parse`).
impl<'a> FromNode<'a> for Locale {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        String::from_node(path, node).map(|text| Locale::parse(&text))
    }
}

/// A policy: the default with the given fields overridden, unknown fields refused, then checked.
impl<'a> FromNode<'a> for Policy {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        let obj = Obj::required_at(path, node)?;
        let mut entries = Vec::new();
        for key in obj.keys() {
            entries.push((key, obj.str(key)?));
        }
        Policy::with_overrides(entries).map_err(|e| JsError::new(&crate::text!(path, ": ", e)))
    }
}

/// A form as the user typed it: each of its `fields` read as text into its `slot`, a missing
/// or `null` value empty.
fn text_fields<F: Default>(
    path: &Path,
    node: &Node,
    fields: &[Field],
    slot: for<'f> fn(&'f mut F, Field) -> Option<&'f mut String>,
) -> Result<F, JsError> {
    let obj = Obj::required_at(path, node)?;
    let mut form = F::default();
    for &field in fields {
        if let Some(slot) = slot(&mut form, field) {
            *slot = obj.string(field.as_str())?.unwrap_or_default();
        }
    }
    Ok(form)
}

/// The confirmation form as the user typed it.
impl<'a> FromNode<'a> for ConfirmationForm {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        text_fields(path, node, &Self::FIELDS, Self::slot)
    }
}

/// A confirmation form given as an argument: its values where the arguments' text holds them
/// (`Args::form_and`: nothing copied), or read from the object it was written as.
pub enum FormArg<'a> {
    Values(FormView<'a>),
    Read(ConfirmationForm),
}

impl FormArg<'_> {
    pub fn view(&self) -> FormView<'_> {
        match self {
            FormArg::Values(view) => *view,
            FormArg::Read(form) => form.view(),
        }
    }
}

/// The confirmation form `name`.
pub fn form_arg<'a>(name: &str, node: &'a Node<'a>) -> Result<FormArg<'a>, JsError> {
    match node {
        Node::Values(values) => {
            let mut view = FormView::default();
            for (field, value) in ConfirmationForm::FIELDS
                .into_iter()
                .zip(values.split('\u{1}'))
            {
                if let Some(slot) = view.slot(field) {
                    *slot = value;
                }
            }
            Ok(FormArg::Values(view))
        }
        node => ConfirmationForm::read(name, node).map(FormArg::Read),
    }
}

/// What the partner types to send for acceptance.
#[cfg(feature = "client")]
impl<'a> FromNode<'a> for crate::flows::attestation::AttestationForm {
    fn from_node(path: &Path, node: &'a Node<'a>) -> Result<Self, JsError> {
        text_fields(path, node, &Self::FIELDS, Self::slot)
    }
}

/// `dateAgreed` as the backend reads it back (a day, with or without time and zone).
pub fn agreed_date(path: &Path, node: &Node) -> Result<chrono::NaiveDate, JsError> {
    match node {
        Node::Str(text) => parse_agreed_date_time(text),
        _ => None,
    }
    .ok_or_else(|| error(path, "a date"))
}

/// An object used as a map (`Record<string, T>`): its keys and values in order, `None` when
/// absent.
#[cfg_attr(not(feature = "bulk"), allow(dead_code))]
pub fn record<'a, T: FromNode<'a>>(
    path: &Path,
    node: &'a Node<'a>,
) -> Result<Option<Vec<(String, T)>>, JsError> {
    let Some(obj) = Obj::optional_at(path, node)? else {
        return Ok(None);
    };
    let mut entries = Vec::new();
    for (key, value) in obj.fields {
        entries.push((key.to_string(), T::from_node(&obj.at(key), value)?));
    }
    Ok(Some(entries))
}

/// An optional JS value read as its declared type: `undefined` and `null` are `T::default()`
/// (an options argument left out).
pub fn options_of<'a, T: FromNode<'a> + Default>(
    name: &str,
    node: &'a Node<'a>,
) -> Result<T, JsError> {
    match node {
        Node::Absent => Ok(T::default()),
        node => T::from_node(&Path::Root(name), node),
    }
}

/// A JS value read as its declared type (`path` names it in the error).
#[cfg_attr(not(any(feature = "client", feature = "bulk")), allow(dead_code))]
pub fn value_as<T: for<'a> FromNode<'a>>(name: &str, value: &JsValue) -> Result<T, JsError> {
    let args = Args::one(value);
    let [node, _, _] = args.nodes()?;
    T::read(name, &node)
}
