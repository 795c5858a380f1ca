//! The reading of a call's arguments as the bindings get them (the one string `js/boundary.js`
//! writes, `src/wasm/compact.rs`), driven natively: any text reads as three values or as none,
//! never a panic nor a stack overflow; and results written by the same module never panic.
#![no_main]

#[allow(dead_code)]
#[path = "../../src/wasm/compact.rs"]
mod compact;
// The decimal writer the results' numbers share with the module's texts.
#[allow(dead_code)]
#[path = "../../src/piece.rs"]
mod piece;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As given, and as the arguments of a call (the header every call's text starts with).
    let _ = compact::Node::parse_args(text);
    let call = format!("[3\0{text}");
    if let Some(nodes) = compact::Node::parse_args(&call) {
        assert_eq!(nodes.len(), 3);
    }
    // Any JSON value written as a result: a text, or `Unsupported` (floats, maps).
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = compact::to_text(&value);
    }
});
