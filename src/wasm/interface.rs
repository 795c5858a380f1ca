//! Objects with methods that cross the boundary: the handle `attachValidation` makes, the ledger
//! a portal gives the client. Tsify types data, and wasm-bindgen types its own classes, not a
//! plain object's methods; so each such object is declared once here, as the member names its
//! code uses, and its TypeScript interface is written from that declaration.

/// Declares an object's members: a constant per member (its name, as the code sets or calls
/// it) and the TypeScript interface made of them, doc comments included.
///
/// ```text
/// js_interface! {
///     /// The interface's doc.
///     pub(super) Members for "InterfaceName" {
///         /// A member's doc.
///         CONSTANT = "name" "(argument: Type): Result";
///         OTHER = [Symbol "dispose"] "(): void";   // keyed by Symbol.dispose; OTHER is "dispose"
///         FIELD = "field" "?: string";
///     }
/// }
/// ```
macro_rules! js_interface {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $members:ident for $interface:literal {
            $( $(#[doc = $mdoc:literal])* $constant:ident = $key:tt $signature:literal; )+
        }
    ) => {
        #[doc = concat!("The members of `", $interface, "` (TypeScript written from them):")]
        $(#[doc = $doc])*
        $vis struct $members;

        impl $members {
            $( $(#[doc = $mdoc])* $vis const $constant: &'static str = $crate::wasm::interface::js_interface!(@name $key); )+
        }

        const _: () = {
            #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS: &'static str = concat!(
                "/**\n", $(" *", $doc, "\n",)* " */\nexport interface ", $interface, " {\n",
                $(
                    "  /**\n", $("   *", $mdoc, "\n",)* "   */\n  ",
                    $crate::wasm::interface::js_interface!(@key $key), $signature, ";\n",
                )+
                "}\n"
            );
        };
    };
    (@name [Symbol $name:literal]) => { $name };
    (@name $name:literal) => { $name };
    (@key [Symbol $name:literal]) => { concat!("[Symbol.", $name, "]") };
    (@key $name:literal) => { $name };
}

pub(crate) use js_interface;
