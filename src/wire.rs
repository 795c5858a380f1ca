//! Enums whose values travel as fixed strings (`"production"`, `"MicrosoftCustomerAgreement"`):
//! one declaration gives the enum, its wire names, parsing, serde in both directions and, in the
//! wasm build, its TypeScript union type. Parsing by hand keeps serde's deserializer machinery
//! out of the wasm module.

/// What every wire enum can do (implemented by `wire_enum!`).
pub trait Wire: Sized + Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Their wire names, in the same order.
    const NAMES: &'static [&'static str];
    /// The value's name on the wire.
    fn as_str(self) -> &'static str;
    /// Reads a wire name (exact spelling).
    fn parse(value: &str) -> Option<Self>;
}

/// Declares a wire enum: `wire_enum! { /// doc  pub enum Name { /// doc  Variant = "wire", ... } }`.
#[macro_export]
#[doc(hidden)]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vmeta])* #[doc = concat!("\n\nOn the wire: `\"", $wire, "\"`.")] $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The value's name on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $wire ),+ }
            }

            /// Reads a wire name (exact spelling).
            pub fn parse(value: &str) -> Option<$name> {
                match value { $( $wire => Some($name::$variant), )+ _ => None }
            }
        }

        impl $crate::wire::Wire for $name {
            const ALL: &'static [$name] = $name::ALL;
            const NAMES: &'static [&'static str] = &[ $( $wire ),+ ];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(value: &str) -> Option<$name> {
                $name::parse(value)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::unknown_variant(&text, &[ $( $wire ),+ ])
                })
            }
        }

        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[::wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS: &'static str = concat!(
                "export type ", stringify!($name), " = never", $( " | \"", $wire, "\"" ),+ , ";"
            );
        };
    };
}

/// Declares an enum of problems (or reasons) and the enum of their stable codes at once: each
/// variant is written once, with its data and its code on the wire, and `code()` maps one to
/// the other. `coded_enum! { /// doc  #[derive(..)] pub enum Name => Code { /// doc  Variant
/// { field: Type } = "code", Other(Type) = "other", Unit = "unit" } }`; the codes are a
/// `wire_enum!` (names, parsing, serde, TypeScript union).
///
/// A problem whose parameters travel with it is declared `pub enum Name => Code with params`,
/// each variant with its fields in braces (`Unit {} = "unit"`): the enum is then serialized as
/// its code and its parameters (`{"code": "too-long", "params": {"max": 100}}`; serde's
/// adjacent tagging, the fields in camelCase) and, in the wasm build, typed by Tsify as the
/// union of its variants, each code with its own parameters.
#[macro_export]
#[doc(hidden)]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident => $(#[$code_meta:meta])* $code:ident with params {
            $(
                $(#[$vmeta:meta])*
                $variant:ident { $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)? }
                = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        #[cfg_attr(target_arch = "wasm32", derive(::tsify::Tsify))]
        #[serde(tag = "code", content = "params", rename_all_fields = "camelCase")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant { $( $(#[$fmeta])* $field : $fty ),* }
            ),+
        }

        $crate::coded_enum!(@codes $name => $(#[$code_meta])* $code { $( $(#[$vmeta])* $variant = $wire ),+ });
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident => $(#[$code_meta:meta])* $code:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident
                $( { $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)? } )?
                $( ( $tty:ty ) )?
                = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant $( { $( $(#[$fmeta])* $field : $fty ),* } )? $( ( $tty ) )?
            ),+
        }

        $crate::coded_enum!(@codes $name => $(#[$code_meta])* $code { $( $(#[$vmeta])* $variant = $wire ),+ });
    };
    (
        @codes $name:ident => $(#[$code_meta:meta])* $code:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+
        }
    ) => {
        $crate::wire_enum! {
            $(#[$code_meta])*
            pub enum $code { $( $(#[$vmeta])* $variant = $wire ),+ }
        }

        impl $name {
            /// The stable code.
            pub fn code(&self) -> $code {
                match self {
                    $( $name::$variant { .. } => $code::$variant ),+
                }
            }
        }
    };
}

/// A code that a backend writes as a number or as a text (`"code": 600` or `"code": "600"`),
/// kept as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Code(pub String);

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Number(i64),
        }
        Ok(Code(match Either::deserialize(d)? {
            Either::Text(text) => text,
            Either::Number(n) => n.to_string(),
        }))
    }
}
