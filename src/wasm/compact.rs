//! One crossing each way. A JS value goes into the module as one string and a result comes out
//! as one string; `js/boundary.js` writes and reads them. Calling into JavaScript once per
//! property read and once per property written (`Reflect.get`/`Reflect.set`, each string decoded
//! on its own) cost ten to a hundred times the rules themselves.
//!
//! The text: tokens separated by U+0000 (a U+0000 inside a string is written U+FFFD, as a lone
//! surrogate already is), each a tag then its value:
//! `s<text>` a string, `n<number>`, `t` true, `f` false, `u` undefined (or null), `x` anything
//! else (a function, a symbol, too deep). Into the module, `[<count>` is an array followed by its
//! items and `{<count>` an object followed by `<key>` (no tag) and the value of each property;
//! a confirmation form whose values are all text may come as `v` then its values alone, in the
//! order of its table of fields, separated by U+0001 (`Args::form_and`, read by `form_arg`:
//! no keys written or matched, nothing copied). Out of it, where counts are not known in
//! advance, `[` items `]` and `{` keys and values `}`.
//!
//! Results are written from their `Serialize` derives (the shapes stay declared once, with the
//! TypeScript types generated from them). Numbers are integers only (no float formatting in the
//! module).

use serde::ser::{self, Serialize};

const SEP: char = '\0';

// ---------------------------------------------------------------------------------------------
// Reading: the text of a JS value, as a tree borrowing it
// ---------------------------------------------------------------------------------------------

/// A JS value, as `js/boundary.js` wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
    /// `undefined` or `null`.
    Absent,
    /// A function, a symbol, a value nested too deep: present, but no data.
    Other,
    Array(Vec<Node<'a>>),
    Object(Vec<(&'a str, Node<'a>)>),
    /// A form's values alone, in the order of its fields, separated by U+0001 (`v<values>`;
    /// only a form's reader reads it).
    Values(&'a str),
}

impl<'a> Node<'a> {
    /// The three arguments of a call, from the text `encode_args` wrote (None: not such a
    /// text).
    pub fn parse_args(text: &'a str) -> Option<[Node<'a>; 3]> {
        let mut tokens = text.split(SEP);
        if tokens.next()? != "[3" {
            return None;
        }
        let nodes = [
            read(&mut tokens, 1)?,
            read(&mut tokens, 1)?,
            read(&mut tokens, 1)?,
        ];
        tokens.next().is_none().then_some(nodes)
    }

    /// The first argument of a call, and the text of the two others (`<second>\0<third>`): what
    /// the second was written as tells options already read without reading them again.
    pub fn parse_first(text: &'a str) -> Option<(Node<'a>, &'a str)> {
        let mut tokens = text.split(SEP);
        if tokens.next()? != "[3" {
            return None;
        }
        let first = read(&mut tokens, 1)?;
        // The next token is a slice of `text`: the others start there.
        let start = tokens.next()?.as_ptr() as usize - text.as_ptr() as usize;
        Some((first, text.get(start..)?))
    }

    /// One value, from the text it was written as (an argument's, as `parse_first` gives it).
    #[cfg_attr(not(feature = "api"), allow(dead_code))]
    pub fn parse_one(text: &'a str) -> Option<Node<'a>> {
        let mut tokens = text.split(SEP);
        let node = read(&mut tokens, 1)?;
        tokens.next().is_none().then_some(node)
    }
}

/// The digits of `text` as a number (at most 16: every safe integer), None for anything else.
/// In 64 bits whatever the target: a `usize` of wasm32 would wrap past 4 294 967 295.
fn digits_value(text: &str) -> Option<u64> {
    let digits = text.as_bytes();
    if digits.is_empty() || digits.len() > 16 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')),
    )
}

/// The largest integer a JavaScript number holds exactly (2^53).
const SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A count of items or properties (as JavaScript wrote it: at most 2^32 - 1).
fn count(text: &str) -> Option<usize> {
    digits_value(text)
        .filter(|n| *n <= u64::from(u32::MAX))
        .and_then(|n| usize::try_from(n).ok())
}

/// A number as JavaScript wrote it. Integers only (`12`, `-3`), up to 2^53 in size: anything
/// else (`0.5`, `1e21`, `NaN`, `9007199254740993`) reads as NaN, which no option accepts.
/// Written by hand: the standard float parser costs kilobytes of wasm for the few whole
/// numbers the API takes (timeouts, a heading level).
fn number(text: &str) -> f64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    match digits_value(digits).filter(|n| *n as f64 <= SAFE_INTEGER) {
        Some(n) if negative => -(n as f64),
        Some(n) => n as f64,
        None => f64::NAN,
    }
}

fn read<'a>(tokens: &mut std::str::Split<'a, char>, depth: u32) -> Option<Node<'a>> {
    let token = tokens.next()?;
    let mut chars = token.chars();
    let tag = chars.next()?;
    let rest = chars.as_str();
    Some(match tag {
        's' => Node::Str(rest),
        'n' => Node::Num(number(rest)),
        't' => Node::Bool(true),
        'f' => Node::Bool(false),
        'u' => Node::Absent,
        'x' => Node::Other,
        '[' if depth < 64 => {
            let n = count(rest)?;
            let mut items = Vec::with_capacity(n.min(1 << 16));
            for _ in 0..n {
                items.push(read(tokens, depth + 1)?);
            }
            Node::Array(items)
        }
        'v' => Node::Values(rest),
        '{' if depth < 64 => {
            let n = count(rest)?;
            let mut fields = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                let key = tokens.next()?;
                fields.push((key, read(tokens, depth + 1)?));
            }
            Node::Object(fields)
        }
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Writing: a result's text, from its `Serialize` derive
// ---------------------------------------------------------------------------------------------

/// Writes a result; fails only for shapes the results never have (enum variants with data in
/// serde's default external tagging, other than a flattened member's; numbers that are not safe
/// integers; maps keyed by other than strings; bytes).
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> Result<String, Unsupported> {
    let mut writer = Writer::new();
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

/// A shape this writer does not write.
#[derive(Debug)]
pub struct Unsupported;

impl core::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a value of a shape that does not convert to JavaScript")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: core::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

struct Writer {
    out: String,
    /// The next string is a map's key: written without its tag.
    key: bool,
}

/// An array or object being written; its end token comes last.
pub struct Open<'w> {
    writer: &'w mut Writer,
    end: char,
}

impl Writer {
    #[inline(never)]
    fn new() -> Writer {
        Writer {
            out: String::with_capacity(256),
            key: false,
        }
    }

    fn token(&mut self, tag: char) {
        if !self.out.is_empty() {
            self.out.push(SEP);
        }
        self.out.push(tag);
    }

    fn text(&mut self, text: &str) {
        if !text.bytes().any(|b| b == 0) {
            self.out.push_str(text);
            return;
        }
        // U+0000 separates the tokens: inside a string it is written U+FFFD.
        for (i, part) in text.split(SEP).enumerate() {
            if i > 0 {
                self.out.push('\u{FFFD}');
            }
            self.out.push_str(part);
        }
    }

    fn integer(&mut self, negative: bool, magnitude: u64) -> Result<(), Unsupported> {
        if magnitude >= 1 << 53 {
            return Err(Unsupported);
        }
        self.token('n');
        crate::piece::decimal(&mut self.out, negative, magnitude);
        Ok(())
    }

    fn open(&mut self, tag: char, end: char) -> Open<'_> {
        self.token(tag);
        Open { writer: self, end }
    }
}

impl Open<'_> {
    fn close(self) -> Result<(), Unsupported> {
        self.writer.token(self.end);
        Ok(())
    }

    fn key(&mut self, key: &str) {
        self.writer.out.push(SEP);
        self.writer.text(key);
    }
}

fn float(writer: &mut Writer, v: f64) -> Result<(), Unsupported> {
    if v.fract() == 0.0 && v.abs() < (1u64 << 53) as f64 {
        writer.integer(v < 0.0, v.abs() as u64)
    } else {
        Err(Unsupported)
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Open<'w>;
    type SerializeTuple = Open<'w>;
    type SerializeTupleStruct = Open<'w>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Open<'w>;
    type SerializeStruct = Open<'w>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.token(if v { 't' } else { 'f' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.integer(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.integer(false, v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        float(self, v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        float(self, v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        if core::mem::take(&mut self.key) {
            self.out.push(SEP);
        } else {
            self.token('s');
        }
        self.text(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.token('u');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Open<'w>, Unsupported> {
        Ok(self.open('[', ']'))
    }
    fn serialize_tuple(self, _: usize) -> Result<Open<'w>, Unsupported> {
        Ok(self.open('[', ']'))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Open<'w>, Unsupported> {
        Ok(self.open('[', ']'))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Open<'w>, Unsupported> {
        Ok(self.open('{', '}'))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Open<'w>, Unsupported> {
        Ok(self.open('{', '}'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// The three array-like traits differ only in their method's name.
macro_rules! items {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Open<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
                value.serialize(&mut *self.writer)
            }
            fn end(self) -> Result<(), Unsupported> {
                self.close()
            }
        }
    )+};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl ser::SerializeStruct for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

/// A map: what serde writes a struct with a `#[serde(flatten)]` member as. Its keys are
/// strings, written as an object's are (no tag).
impl ser::SerializeMap for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        // A string clears the mark as it writes itself; anything else leaves it.
        self.writer.key = true;
        key.serialize(&mut *self.writer)?;
        match core::mem::take(&mut self.writer.key) {
            true => Err(Unsupported),
            false => Ok(()),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}
