//! How two spellings of a name are compared: the same text in Unicode's composed form (NFC), so
//! that `José` typed with a combining accent is the same person as `José` read back; the
//! joiners a name may hold (see `fields`) do not make a difference either. Email addresses
//! compare the same way, their ASCII letters without case; phone numbers by their digits.
//!
//! NFC is computed by the `unicode-normalization` crate natively (the sandbox, the tests) and by
//! the browser's own `String.prototype.normalize` in WebAssembly, where the crate's tables would
//! take the rules package from 39.4 KB to 101.2 KB gzip.

use std::borrow::Cow;

/// `str::trim`, quicker when the text starts and ends with a visible ASCII character (the
/// common case: the checks trim each value several times, a file's rows by the hundred
/// thousand). The same result in every case.
pub trait Trimmed {
    /// Without leading and trailing whitespace, as `str::trim`.
    fn trimmed(&self) -> &str;
}

impl Trimmed for str {
    fn trimmed(&self) -> &str {
        let visible = |b: &u8| (0x21..0x7F).contains(b);
        let bytes = self.as_bytes();
        if bytes.first().is_some_and(visible) && bytes.last().is_some_and(visible) {
            self
        } else {
            self.trim()
        }
    }
}

/// The composed form (NFC) of `text`; ASCII text is returned as is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    #[cfg(target_arch = "wasm32")]
    {
        Cow::Owned(String::from(js_sys::JsString::from(text).normalize("NFC")))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use unicode_normalization::UnicodeNormalization;
        Cow::Owned(text.nfc().collect())
    }
}

/// `text` in lower case, every letter (Unicode's full mapping, as `str::to_lowercase`): by the
/// browser's `String.prototype.toLowerCase` in WebAssembly, where the standard library's case
/// tables would cost the rules package about 15 KB gzip.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Owned(text.to_ascii_lowercase());
    }
    #[cfg(target_arch = "wasm32")]
    {
        Cow::Owned(String::from(js_sys::JsString::from(text).to_lower_case()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Cow::Owned(text.to_lowercase())
    }
}

/// `text` as names are compared: trimmed, composed, without zero-width joiners.
pub fn name_key(text: &str) -> String {
    nfc(text.trim())
        .chars()
        .filter(|c| !matches!(c, '\u{200C}' | '\u{200D}'))
        .collect()
}

/// An email address as addresses are compared: trimmed, composed, ASCII letters in lower case.
pub fn email_key(text: &str) -> String {
    nfc(text.trim()).to_ascii_lowercase()
}

/// A person as confirmations compare people: the names by `name_key`, the email address by
/// `email_key`, the phone number by its digits. The one rule of the duplicate check (Partner
/// Center's error 600061) and of a confirmation found again when read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKey {
    first: String,
    last: String,
    email: String,
    phone: String,
}

impl PersonKey {
    /// The key of a person as typed (values trimmed here).
    pub fn of(first_name: &str, last_name: &str, email: &str, phone: &str) -> PersonKey {
        PersonKey {
            first: name_key(first_name),
            last: name_key(last_name),
            email: email_key(email),
            phone: phone_key(phone),
        }
    }
}

/// A phone number as numbers are compared: its digits (`+33 1 23 45 67 89` = `+33123456789`).
pub fn phone_key(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// `items` joined by `separator`. (A loop rather than `[&str]::join`, whose copying code costs
/// about 1 KB of the wasm module.)
pub fn join(items: &[&str], separator: &str) -> String {
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push_str(separator);
        }
        text.push_str(item);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_in_two_spellings() {
        assert_eq!(name_key("Jose\u{301}"), name_key("Jos\u{e9}"));
        assert_eq!(name_key("  Tania "), "Tania");
        assert_eq!(name_key("Ha\u{308}ni"), "H\u{e4}ni");
        assert_eq!(name_key("نرگس\u{200C}ی"), name_key("نرگسی"));
        assert_ne!(
            name_key("Tania"),
            name_key("tania"),
            "case is part of a name"
        );
        assert_eq!(email_key(" Someone@Example.COM"), "someone@example.com");
        assert_eq!(email_key("jose\u{301}@exemple.fr"), "jos\u{e9}@exemple.fr");
        assert_eq!(
            phone_key("+33 (0)1 23-45.67"),
            "330123 4567".replace(' ', "")
        );
        assert_eq!(phone_key(""), "");
    }

    #[test]
    fn the_same_person_in_two_spellings() {
        let typed = PersonKey::of(
            "Jose\u{301}",
            " Núñez",
            "JOSE@adatum.example",
            "+34 91 123 45 67",
        );
        let read = PersonKey::of("Jos\u{e9}", "Núñez", "jose@adatum.example", "+34911234567");
        assert_eq!(typed, read);
        assert_ne!(
            typed,
            PersonKey::of("José", "Núñez", "jose@adatum.example", "")
        );
        assert_ne!(
            typed,
            PersonKey::of("josé", "Núñez", "jose@adatum.example", "+34911234567")
        );
    }
}
