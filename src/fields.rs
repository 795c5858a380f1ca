//! Checks of single values, independent of the rest of the form: names, email addresses, phone
//! numbers, customer ids.

use crate::countries;
use crate::issues::{Field, Problem};

/// Longest first or last name, in Unicode characters (not bytes).
pub const NAME_MAX_CHARS: usize = 100;
/// Longest email address, and longest part before the `@` (RFC 5321), in characters.
pub const EMAIL_MAX_CHARS: usize = 254;
/// The longest local part of an email address (RFC 5321).
pub const EMAIL_LOCAL_MAX_CHARS: usize = 64;

/// Checks a first or last name (already trimmed). Every problem is returned.
pub fn check_name(name: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(Problem::Required);
        return problems;
    }
    if char_count(name) > NAME_MAX_CHARS {
        problems.push(Problem::TooLong {
            max: NAME_MAX_CHARS,
        });
    }
    if has_forbidden_name_character(name) {
        problems.push(Problem::InvalidCharacters);
    }
    problems
}

/// Whether a name holds a character it may not: see [`is_forbidden_in_text`]. The zero-width
/// joiner and non-joiner are the exception: Persian, Arabic and Indic spellings need them between
/// two letters, so they pass between two non-ASCII characters (never at an end, never next to
/// ASCII, where they could only hide a difference: `Tan\u{200D}ia`).
fn has_forbidden_name_character(name: &str) -> bool {
    let fits_a_joiner = |n: Option<char>| {
        n.is_some_and(|n| !n.is_ascii() && !n.is_whitespace() && !is_forbidden_in_text(n))
    };
    let mut before = None;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let refused = if is_joiner(c) {
            !(fits_a_joiner(before) && fits_a_joiner(chars.peek().copied()))
        } else {
            is_forbidden_in_text(c)
        };
        if refused {
            return true;
        }
        before = Some(c);
    }
    false
}

/// U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// The number of Unicode characters (scalar values) of `text`: its bytes that do not continue
/// a UTF-8 sequence. `str::chars().count()` says the same with 0.8 KB more of wasm code.
fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// Characters no name or address contains: control characters (C0, DEL, C1), format characters
/// (invisible or bidirectional: `Tania\u{200B}` would look like `Tania` and defeat the duplicate
/// check), line and paragraph separators, and U+FFFD, which stands for text that was broken
/// before it arrived (a lone surrogate from JavaScript, say).
fn is_forbidden_in_text(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFD}')
}

/// General category Cf (format), Unicode 16.0 (`DerivedGeneralCategory.txt`): the soft hyphen,
/// Arabic and Syriac number signs, zero-width characters, bidirectional marks, embeddings,
/// overrides and isolates, invisible operators, the byte-order mark, interlinear annotations,
/// Egyptian hieroglyph and musical format controls, and the tag characters.
pub fn is_format(c: char) -> bool {
    const RANGES: [(u32, u32); 21] = [
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    let c = c as u32;
    c >= 0xAD && RANGES.iter().any(|&(low, high)| (low..=high).contains(&c))
}

/// Checks an email address (already trimmed): one `local@domain` address, at most 254
/// characters with at most 64 before the `@`, a domain of at least two labels, no spaces.
/// Internationalized addresses (RFC 6531) are accepted: non-ASCII letters count as letters.
///
/// Written here rather than taken from the `email_address` crate: that crate (and the Unicode
/// tables it pulls in) cost 4.3 KB of the 40 KB gzip budget of the wasm module. The native tests
/// check every address of the test corpus against it.
pub fn check_email(email: &str) -> Vec<Problem> {
    if email.is_empty() {
        return vec![Problem::Required];
    }
    let mut problems = Vec::new();
    let (local, domain) = email.rsplit_once('@').unwrap_or(("", email));
    if char_count(email) > EMAIL_MAX_CHARS || char_count(local) > EMAIL_LOCAL_MAX_CHARS {
        problems.push(Problem::TooLong {
            max: EMAIL_MAX_CHARS,
        });
    }
    if !is_valid_local_part(local) || !is_valid_domain(domain) {
        problems.push(Problem::InvalidEmail);
    }
    problems
}

/// A dot-atom (RFC 5322 §3.2.3, with RFC 6531's non-ASCII characters): atoms of `atext`
/// separated by single dots. Quoted local parts are refused (they allow spaces).
fn is_valid_local_part(local: &str) -> bool {
    // On bytes: `str::contains(char)` would bring in the substring search and its panic
    // messages, which print characters with their Unicode tables (5.2 KB gzip of the module).
    let is_atext = |c: char| {
        c.is_ascii_alphanumeric()
            || (c.is_ascii() && b"!#$%&'*+-/=?^_`{|}~".contains(&(c as u8)))
            || is_non_ascii_text(c)
    };
    !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

/// At least two labels of letters, digits and inner hyphens (non-ASCII letters allowed for
/// internationalized domains), each at most 63 characters; a top-level label not all digits.
pub fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_label = |label: &&str| {
        let chars = char_count(label);
        (1..=63).contains(&chars)
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || is_non_ascii_text(c))
    };
    labels.len() >= 2
        && labels.iter().all(valid_label)
        && !labels
            .last()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
}

/// A non-ASCII character that can be part of an internationalized address: anything but
/// whitespace, control characters and the like.
fn is_non_ascii_text(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace() && !is_forbidden_in_text(c)
}

/// Checks an optional phone number (already trimmed; empty is fine): an optional leading `+`,
/// digits and the separators space `-` `.` `(` `)`, 7 to 15 digits, then optionally an extension
/// `x123`, `ext 123` or `ext. 123` of 1 to 6 digits.
pub fn check_phone(phone: &str) -> Vec<Problem> {
    if phone.is_empty() || is_valid_phone(phone) {
        Vec::new()
    } else {
        vec![Problem::InvalidPhone]
    }
}

fn is_valid_phone(phone: &str) -> bool {
    let lower = phone.to_ascii_lowercase();
    // Split off the extension, if any: after the first `x` (or `ext`, an `e` before it and a
    // `t` after it), an optional dot and spaces.
    let (number, extension) = match lower.split_once('x') {
        Some((before, after)) => {
            let (number, after) = match (before.strip_suffix('e'), after.strip_prefix('t')) {
                (Some(number), Some(after)) => (number, after),
                _ => (before, after),
            };
            let after = after.strip_prefix('.').unwrap_or(after);
            (number, Some(after.trim_start()))
        }
        None => (lower.as_str(), None),
    };
    let number = number.trim_end();
    let body = number.strip_prefix('+').unwrap_or(number);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return false;
    }
    let mut digits = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return false,
        }
    }
    if !(7..=15).contains(&digits) {
        return false;
    }
    match extension {
        None => true,
        Some(ext) => (1..=6).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// A customer id that must be there (to send anything for the customer): the id as used in
/// URLs, or the problem (`required`, `invalid-customer-id`).
pub fn required_customer_id(id: &str) -> Result<String, Problem> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Problem::Required);
    }
    normalize_customer_id(id).ok_or(Problem::InvalidCustomerId)
}

/// The agreement template's country and language as typed, checked together.
#[derive(Debug, Clone, Default)]
pub struct TemplateChoice {
    /// The country, when given and known.
    pub country: Option<countries::Country>,
    /// The language (canonical): the given one when the country (or, without a country, any
    /// template) has it; `en-US` when none was given.
    pub language: Option<&'static str>,
    /// `unknown-country`, when the country is not a template country.
    pub country_problem: Option<Problem>,
    /// `unsupported-language`, when the language is not one of the country's (or of any).
    pub language_problem: Option<Problem>,
}

impl TemplateChoice {
    /// The problems, each with its field.
    pub fn issues(self) -> impl Iterator<Item = (Field, Problem)> {
        let country = self.country_problem.map(|p| (Field::Country, p));
        let language = self.language_problem.map(|p| (Field::Language, p));
        country.into_iter().chain(language)
    }
}

/// Checks a template country (optional, case-insensitive) and language (optional).
pub fn check_template(country: &str, language: &str) -> TemplateChoice {
    let mut choice = TemplateChoice::default();
    let code = country.trim();
    if !code.is_empty() {
        choice.country = countries::find(code);
        if choice.country.is_none() {
            choice.country_problem = Some(Problem::UnknownCountry);
        }
    }
    let language = language.trim();
    choice.language = if language.is_empty() {
        Some(countries::DEFAULT_LANGUAGE)
    } else {
        let found = match &choice.country {
            Some(country) => countries::find_language(country, language),
            None => countries::any_language(language),
        };
        if found.is_none() {
            choice.language_problem = Some(Problem::UnsupportedLanguage {
                country: choice.country.as_ref().map(|c| c.code),
                supported: choice.country.as_ref().map_or(&[][..], |c| c.languages),
            });
        }
        found
    };
    choice
}

/// Reads a customer id: a GUID with hyphens, upper or lower case, optionally in braces. Returns
/// it lower case without braces, as used in URLs.
pub fn normalize_customer_id(id: &str) -> Option<String> {
    let inner = match id.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}')?,
        None => id,
    };
    let hyphens = [8, 13, 18, 23];
    let well_formed = inner.len() == 36
        && inner.bytes().enumerate().all(|(i, b)| {
            if hyphens.contains(&i) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        });
    well_formed.then(|| inner.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(problems: Vec<Problem>) -> Vec<&'static str> {
        problems.iter().map(|p| p.code().as_str()).collect()
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        for text in ["", "a", "é", "李小林", "👩🏽‍💻", "Nguyễn", "\u{10FFFF}x"] {
            assert_eq!(char_count(text), text.chars().count(), "{text}");
        }
    }

    #[test]
    fn names_in_every_script() {
        for name in [
            "Tania",
            "Émilie",
            "José",
            "Niño",
            "李",
            "小林",
            "Straße",
            "O'Brien",
            "Jean-Luc",
            "Nguyễn",
            "Александр",
            "محمد",
            "שרה",
            "Ólafur",
            "Zoë",
            "Mary Ann",
            "X",
            "👩🏽‍💻", // an emoji sequence is not a control character
        ] {
            assert!(check_name(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn name_problems() {
        let cases: Vec<(String, Vec<&str>)> = vec![
            (String::new(), vec!["required"]),
            ("a".repeat(100), vec![]),
            ("a".repeat(101), vec!["too-long"]),
            ("é".repeat(100), vec![]), // 200 bytes, 100 characters
            ("李".repeat(101), vec!["too-long"]),
            ("Tania\u{0}".into(), vec!["invalid-characters"]),
            ("Ta\nnia".into(), vec!["invalid-characters"]),
            ("Ta\tnia".into(), vec!["invalid-characters"]),
            ("Ta\u{7f}nia".into(), vec!["invalid-characters"]),
            ("Ta\u{85}nia".into(), vec!["invalid-characters"]),
            ("Ta\u{2028}nia".into(), vec!["invalid-characters"]),
            ("Ta\u{FFFD}nia".into(), vec!["invalid-characters"]),
            // Format characters (Cf): invisible, or reordering what is shown.
            ("Tania\u{200B}".into(), vec!["invalid-characters"]),
            ("\u{FEFF}Tania".into(), vec!["invalid-characters"]),
            ("Ta\u{202E}ain".into(), vec!["invalid-characters"]),
            ("Tania\u{2069}".into(), vec!["invalid-characters"]),
            ("Ta\u{AD}nia".into(), vec!["invalid-characters"]),
            ("Tania\u{E0041}".into(), vec!["invalid-characters"]),
            // Joiners only between two non-ASCII characters, as Persian and Indic names need.
            ("Tan\u{200D}ia".into(), vec!["invalid-characters"]),
            ("\u{200C}نرگس".into(), vec!["invalid-characters"]),
            ("نرگس\u{200C}".into(), vec!["invalid-characters"]),
            ("می\u{200C}نا".into(), vec![]),
            ("श्\u{200D}री".into(), vec![]),
            ("می\u{200C}\u{200C}نا".into(), vec!["invalid-characters"]),
            (
                format!("{}\u{1}", "a".repeat(101)),
                vec!["too-long", "invalid-characters"],
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(codes(check_name(&name)), expected, "{name:?}");
        }
    }

    #[test]
    fn emails() {
        let long_local = "a".repeat(64);
        let too_long_local = "a".repeat(65);
        let long_domain = format!(
            "{}.{}.{}.{}.com",
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(63),
            "e".repeat(60)
        );
        let cases: Vec<(String, Vec<&str>)> = vec![
            ("someone@example.com".into(), vec![]),
            ("SomeEmail@Example.COM".into(), vec![]),
            ("first.last+tag@sub.example.co.uk".into(), vec![]),
            ("o'brien@example.ie".into(), vec![]),
            ("josé@exemple.fr".into(), vec![]),
            ("用户@例子.广告".into(), vec![]),
            ("δοκιμή@παράδειγμα.δοκιμή".into(), vec![]),
            (format!("{long_local}@example.com"), vec![]),
            (String::new(), vec!["required"]),
            ("someone".into(), vec!["invalid-email"]),
            ("someone@".into(), vec!["invalid-email"]),
            ("@example.com".into(), vec!["invalid-email"]),
            ("someone@localhost".into(), vec!["invalid-email"]),
            ("someone@example".into(), vec!["invalid-email"]),
            ("some one@example.com".into(), vec!["invalid-email"]),
            ("someone@exa mple.com".into(), vec!["invalid-email"]),
            ("\"some one\"@example.com".into(), vec!["invalid-email"]),
            ("a@b@example.com".into(), vec!["invalid-email"]),
            ("someone@@example.com".into(), vec!["invalid-email"]),
            ("some..one@example.com".into(), vec!["invalid-email"]),
            (".someone@example.com".into(), vec!["invalid-email"]),
            ("someone@example..com".into(), vec!["invalid-email"]),
            ("someone@.example.com".into(), vec!["invalid-email"]),
            ("someone@example.com.".into(), vec!["invalid-email"]),
            ("someone@-example.com".into(), vec!["invalid-email"]),
            ("someone@[192.168.0.1]".into(), vec!["invalid-email"]),
            ("Tania <someone@example.com>".into(), vec!["invalid-email"]),
            (
                "someone@example.com, other@example.com".into(),
                vec!["invalid-email"],
            ),
            ("someone@example.com\u{0}".into(), vec!["invalid-email"]),
            ("someone@example.123".into(), vec!["invalid-email"]),
            ("some\u{3000}one@example.com".into(), vec!["invalid-email"]),
            (format!("{too_long_local}@example.com"), vec!["too-long"]),
            (format!("someone@{long_domain}"), vec!["too-long"]),
            (
                format!("{too_long_local} x@example.com"),
                vec!["too-long", "invalid-email"],
            ),
        ];
        for (email, expected) in cases {
            assert_eq!(codes(check_email(&email)), expected, "{email:?}");
        }
    }

    /// Every address of the corpus gets the same verdict from the `email_address` crate (with
    /// display names and domain literals off, two labels required), except where this product
    /// is stricter on purpose.
    #[test]
    fn emails_agree_with_the_email_address_crate() {
        use email_address::{EmailAddress, Options};
        let options = Options::default()
            .without_display_text()
            .without_domain_literal()
            .with_required_tld();
        let corpus = [
            "someone@example.com",
            "first.last+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "josé@exemple.fr",
            "用户@例子.广告",
            "a@b.cd",
            "x_y-z@a-b.example",
            "1@2.com",
            "someone",
            "someone@",
            "@example.com",
            "someone@localhost",
            "a@b@example.com",
            "some..one@example.com",
            ".someone@example.com",
            "someone.@example.com",
            "someone@example..com",
            "someone@.example.com",
            "someone@example.com.",
            "someone@[192.168.0.1]",
            "Tania <someone@example.com>",
            "some(comment)one@example.com",
        ];
        // Stricter here: quoted local parts (spaces), hyphens at label edges, underscores in
        // host names, numeric top-level labels.
        let stricter = [
            "\"some one\"@example.com",
            "someone@-example.com",
            "someone@exa_mple.com",
            "someone@example.123",
        ];
        for email in corpus {
            let ours = check_email(email).is_empty();
            let theirs = EmailAddress::parse_with_options(email, options).is_ok();
            assert_eq!(ours, theirs, "{email}");
        }
        for email in stricter {
            assert!(!check_email(email).is_empty(), "{email}");
        }
    }

    #[test]
    fn phones() {
        let good = [
            "",
            "1234567",
            "1234567890",
            "+33 1 23 45 67 89",
            "(425) 555-0100",
            "425.555.0100",
            "+1-425-555-0100",
            "123456789012345",
            "+1 425 555 0100 x123",
            "425-555-0100 ext 42",
            "425-555-0100 ext. 123456",
            "425-555-0100x1",
            "425 555 0100 EXT 7",
        ];
        for phone in good {
            assert!(check_phone(phone).is_empty(), "{phone:?}");
        }
        let bad = [
            "123456",
            "1234567890123456",
            "phone",
            "+",
            "++33123456789",
            "33+123456789",
            "425/555/0100",
            "425-555-0100 x",
            "425-555-0100 x1234567",
            "425-555-0100 ext abc",
            "425-555-0100 x12 x3",
            "x123",
            "+33 ١٢٣٤٥٦٧٨",
            "-4255550100",
            "425\n555-0100",
            "１２３４５６７８",
        ];
        for phone in bad {
            assert_eq!(
                codes(check_phone(phone)),
                vec!["invalid-phone"],
                "{phone:?}"
            );
        }
    }

    #[test]
    fn customer_ids() {
        let id = "14876998-c0dc-46e6-9d0c-65a57a6c32ec";
        for input in [
            id,
            "14876998-C0DC-46E6-9D0C-65A57A6C32EC",
            "{14876998-c0dc-46e6-9d0c-65a57a6c32ec}",
        ] {
            assert_eq!(normalize_customer_id(input).as_deref(), Some(id), "{input}");
        }
        for input in [
            "14876998c0dc46e69d0c65a57a6c32ec",
            "urn:uuid:14876998-c0dc-46e6-9d0c-65a57a6c32ec",
            "{14876998-c0dc-46e6-9d0c-65a57a6c32ec",
            "14876998-c0dc-46e6-9d0c-65a57a6c32ec}",
            "14876998-c0dc-46e6-9d0c-65a57a6c32eg",
            "14876998-c0dc-46e6-9d0c-65a57a6c32e",
            "contoso",
            "",
        ] {
            assert_eq!(normalize_customer_id(input), None, "{input}");
        }
    }
}
