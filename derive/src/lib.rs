//! `#[derive(Readable)]`: the reader of a shape that crosses into the module, derived from its
//! declaration. Each field is read by the type it is declared with (`FromNode` in
//! `src/wasm/input.rs`), under the name serde gives it on the wire: `#[serde(rename_all =
//! "camelCase")]` on the struct, `#[serde(rename = "...")]` on a field. Two attributes of its own:
//! - `#[read(with = path)]`: the field is read by `path(field_path, node)`;
//! - `#[read(whole(min, max))]`: a whole number from `min` to `max` (optional when the field is
//!   an `Option`).
//!
//! As with serde, `#[serde(default)]` (on the struct or a field) reads an absent field as its
//! default, `#[serde(flatten)]` reads a field's shape from the same object, and fields marked
//! `#[serde(skip)]` or `#[serde(skip_deserializing)]` take their default.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Expr, Fields, LitStr, Path};

/// The reader of a struct with named fields (see the crate's documentation).
#[proc_macro_derive(Readable, attributes(read, serde))]
pub fn derive_readable(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match readable(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

enum How {
    Typed,
    Skip,
    Flatten,
    With(Path),
    Whole(Box<(Expr, Expr)>),
}

fn readable(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "Readable: no generic parameters",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            name,
            "Readable: a struct with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            name,
            "Readable: a struct with named fields",
        ));
    };
    let mut camel = false;
    let mut all_default = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let rule: LitStr = meta.value()?.parse()?;
                if rule.value() != "camelCase" {
                    return Err(meta.error("Readable: only rename_all = \"camelCase\""));
                }
                camel = true;
            } else if meta.path.is_ident("default") {
                all_default = true;
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<Expr>()?;
            }
            Ok(())
        })?;
    }
    let mut inits = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().expect("named fields");
        let written = ident.to_string();
        let written = written.strip_prefix("r#").unwrap_or(&written);
        let mut key = if camel {
            camel_case(written)
        } else {
            written.to_string()
        };
        let mut how = How::Typed;
        let mut default = all_default;
        for attr in &field.attrs {
            if attr.path().is_ident("serde") {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        key = meta.value()?.parse::<LitStr>()?.value();
                    } else if meta.path.is_ident("skip") || meta.path.is_ident("skip_deserializing")
                    {
                        how = How::Skip;
                    } else if meta.path.is_ident("flatten") {
                        how = How::Flatten;
                    } else if meta.path.is_ident("default") && !meta.input.peek(syn::Token![=]) {
                        default = true;
                    } else if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<Expr>()?;
                    }
                    Ok(())
                })?;
            } else if attr.path().is_ident("read") {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("with") {
                        how = How::With(meta.value()?.parse()?);
                        Ok(())
                    } else if meta.path.is_ident("whole") {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        let min: Expr = content.parse()?;
                        content.parse::<syn::Token![,]>()?;
                        let max: Expr = content.parse()?;
                        how = How::Whole(Box::new((min, max)));
                        Ok(())
                    } else {
                        Err(meta.error("Readable: read(with = path) or read(whole(min, max))"))
                    }
                })?;
            }
        }
        inits.push(match how {
            How::Typed if default || is_option(&field.ty) => {
                quote! { #ident: obj.field_or_default(#key)? }
            }
            How::Typed => quote! { #ident: obj.field(#key)? },
            How::Skip => quote! { #ident: ::core::default::Default::default() },
            How::Flatten => quote! { #ident: crate::wasm::input::FromNode::from_node(path, node)? },
            How::With(path) => quote! { #ident: #path(&obj.at(#key), obj.node(#key))? },
            How::Whole(bounds) => {
                let (min, max) = *bounds;
                if is_option(&field.ty) {
                    quote! { #ident: obj.whole(#key, #min, #max)? }
                } else {
                    quote! { #ident: obj.required_whole(#key, #min, #max)? }
                }
            }
        });
    }
    Ok(quote! {
        impl<'a> crate::wasm::input::FromNode<'a> for #name {
            // One copy per shape, however many places read it.
            #[inline(never)]
            fn from_node(
                path: &crate::wasm::input::Path<'_>,
                node: &'a crate::wasm::compact::Node<'a>,
            ) -> ::core::result::Result<Self, ::wasm_bindgen::JsError> {
                let obj = crate::wasm::input::Obj::required_at(path, node)?;
                ::core::result::Result::Ok(Self { #(#inits,)* })
            }
        }
    })
}

/// Whether a field's type is `Option<..>` (an optional property).
fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}

/// `snake_case` as serde's `camelCase` writes it.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `#[optional_members]` on a shape read by `Readable`: every member whose type is an `Option`
/// is declared optional in TypeScript (`#[tsify(optional)]`, so `name?: T`), as the reader takes
/// it when absent. A member with a `tsify` attribute of its own keeps it as written. Goes above
/// the `derive`.
#[proc_macro_attribute]
pub fn optional_members(_: TokenStream, item: TokenStream) -> TokenStream {
    let mut input = parse_macro_input!(item as DeriveInput);
    if let Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            let own = field.attrs.iter().any(|a| a.path().is_ident("tsify"));
            if is_option(&field.ty) && !own {
                field.attrs.push(syn::parse_quote!(#[tsify(optional)]));
            }
        }
    }
    quote!(#input).into()
}
