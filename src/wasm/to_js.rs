//! Results to JavaScript values: a small serde `Serializer` that builds plain objects, arrays,
//! strings, numbers and booleans (`None` becomes `undefined`). The shapes stay declared once, by
//! the `Serialize` derives the TypeScript types are generated from.
//!
//! It replaces serde-wasm-bindgen's serializer, whose interning cache of field names (a
//! thread-local hash map) and general-purpose options cost 3.3 KB of the 40 KB gzip budget.
//! Maps become plain objects (string keys only), 64-bit integers numbers when they are safe
//! integers, bytes a `Uint8Array`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::ser::{self, Serialize};
use wasm_bindgen::JsValue;

/// Converts a result; fails only for shapes the results never have (enum variants with data,
/// map keys that are not strings).
pub fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Unsupported> {
    value.serialize(Js)
}

/// A shape this serializer does not convert.
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

struct Js;

/// An array being filled.
pub struct Items(Array);

/// An object being filled (structs, maps with string keys).
pub struct Fields {
    object: Object,
    key: JsValue,
}

fn number(value: f64) -> Result<JsValue, Unsupported> {
    Ok(JsValue::from_f64(value))
}

/// 64-bit integers convert only within `Number.MAX_SAFE_INTEGER` (never silently rounded).
fn safe_integer(magnitude: u64) -> Result<(), Unsupported> {
    if magnitude < (1 << 53) {
        Ok(())
    } else {
        Err(Unsupported)
    }
}

impl ser::Serializer for Js {
    type Ok = JsValue;
    type Error = Unsupported;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = ser::Impossible<JsValue, Unsupported>;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = ser::Impossible<JsValue, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<JsValue, Unsupported> {
        safe_integer(v.unsigned_abs()).and(number(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<JsValue, Unsupported> {
        safe_integer(v).and(number(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, Unsupported> {
        number(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, Unsupported> {
        number(v)
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<JsValue, Unsupported> {
        Ok(Uint8Array::from(v).into())
    }
    fn serialize_none(self) -> Result<JsValue, Unsupported> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, Unsupported> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<JsValue, Unsupported> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<JsValue, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<JsValue, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Items, Unsupported> {
        Ok(Items(Array::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Items, Unsupported> {
        Ok(Items(Array::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Items, Unsupported> {
        Ok(Items(Array::new()))
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
    fn serialize_map(self, _: Option<usize>) -> Result<Fields, Unsupported> {
        Ok(Fields::new())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, Unsupported> {
        Ok(Fields::new())
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

impl Items {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.0.push(&value.serialize(Js)?);
        Ok(())
    }
}

/// The three array-like traits differ only in their method's name.
macro_rules! items {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Items {
            type Ok = JsValue;
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
                self.push(value)
            }
            fn end(self) -> Result<JsValue, Unsupported> {
                Ok(self.0.into())
            }
        }
    )+};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl Fields {
    fn new() -> Fields {
        Fields {
            object: Object::new(),
            key: JsValue::UNDEFINED,
        }
    }

    fn set(&self, key: &JsValue, value: JsValue) -> Result<(), Unsupported> {
        match Reflect::set(&self.object, key, &value) {
            Ok(_) => Ok(()),
            Err(_) => Err(Unsupported),
        }
    }
}

impl ser::SerializeMap for Fields {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        let key = key.serialize(Js)?;
        if !key.is_string() {
            return Err(Unsupported);
        }
        self.key = key;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        let key = core::mem::replace(&mut self.key, JsValue::UNDEFINED);
        self.set(&key, value.serialize(Js)?)
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.object.into())
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.set(&JsValue::from_str(key), value.serialize(Js)?)
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.object.into())
    }
}
