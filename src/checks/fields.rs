//! Checks of single values, independent of the rest of the form: names, email addresses, phone
//! numbers, customer ids.

use crate::checks::domain::DomainProblem;
use crate::checks::issues::{Field, Problem};
use crate::checks::text::Trimmed;
use crate::rules::countries;

/// Longest first or last name, in Unicode characters (not bytes).
pub const NAME_MAX_CHARS: usize = 100;
/// Longest email address (RFC 5321), in octets of UTF-8.
pub const EMAIL_MAX_BYTES: usize = 254;
/// The longest local part of an email address (RFC 5321), in octets of UTF-8.
pub const EMAIL_LOCAL_MAX_BYTES: usize = 64;
/// The longest label of a domain (RFC 1035).
const LABEL_MAX_CHARS: usize = 63;
/// The symbols an address's local part may hold besides letters and digits (`atext`, RFC 5322).
const ATEXT_SYMBOLS: &[u8] = b"!#$%&'*+-/=?^_`{|}~";

/// Checks a first or last name (already trimmed). Every problem is returned.
pub fn check_name(name: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(Problem::Required {});
        return problems;
    }
    if char_count(name) > NAME_MAX_CHARS {
        problems.push(Problem::TooLong {
            max: NAME_MAX_CHARS,
        });
    }
    if has_forbidden_name_character(name) {
        problems.push(Problem::InvalidCharacters {});
    }
    problems
}

/// Whether a name holds a character it may not: see [`is_forbidden_in_text`]. The zero-width
/// joiner and non-joiner are the exception: Persian, Arabic and Indic spellings need them between
/// two letters, so they pass between two non-ASCII characters (never at an end, never next to
/// ASCII, where they could only hide a difference: `Tan\u{200D}ia`).
fn has_forbidden_name_character(name: &str) -> bool {
    // Most names of a file are ASCII: then only C0 controls and DEL are refused.
    if name.is_ascii() {
        return name.bytes().any(|b| b < 0x20 || b == 0x7F);
    }
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

/// Checks an email address (already trimmed): one `local@domain` address, at most 254 octets
/// of UTF-8 with at most 64 before the `@` (RFC 5321 counts octets), a domain of at least two
/// labels, no spaces. Internationalized addresses (RFC 6531) are accepted: non-ASCII letters
/// count as letters, and the domain must be read by mail systems as it was typed
/// (`domain::check`: IDNA, a top-level domain of two letters or more).
///
/// Written here rather than taken from the `email_address` crate: that crate (and the Unicode
/// tables it pulls in) cost 4.3 KB of the 40 KB gzip budget of the wasm module. The native tests
/// check every address of the test corpus against it.
pub fn check_email(email: &str) -> Vec<Problem> {
    if email.is_empty() {
        return vec![Problem::Required {}];
    }
    if is_plain_ascii_email(email) {
        return Vec::new();
    }
    email_problems(email)
}

/// Every problem of a non-empty address (the check without its fast path).
fn email_problems(email: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let at = email.bytes().rposition(|b| b == b'@');
    let split = at.and_then(|at| Some((email.get(..at)?, email.get(at + 1..)?)));
    let (local, domain) = split.unwrap_or(("", email));
    // RFC 5321 counts octets: a character outside ASCII takes two to four.
    if email.len() > EMAIL_MAX_BYTES {
        problems.push(Problem::EmailTooLong {
            max: EMAIL_MAX_BYTES,
        });
    }
    if local.len() > EMAIL_LOCAL_MAX_BYTES {
        problems.push(Problem::EmailLocalPartTooLong {
            max: EMAIL_LOCAL_MAX_BYTES,
        });
    }
    if !is_valid_local_part(local) || !is_valid_domain(domain) {
        problems.push(Problem::InvalidEmail {});
        return problems;
    }
    // The domain as mail systems read it (IDNA): as typed, or refused saying why.
    match crate::checks::domain::check(domain) {
        Ok(()) => {}
        Err(DomainProblem::Disallowed(character)) => {
            problems.push(Problem::EmailDomainCharacter { character })
        }
        Err(DomainProblem::ReadAs(read)) => problems.push(Problem::EmailReadAs {
            address: crate::checks::text::join(&[local, &read], "@"),
        }),
        Err(DomainProblem::TopLevel) => problems.push(Problem::EmailTopLevelDomain {}),
        Err(DomainProblem::Invalid) => problems.push(Problem::InvalidEmail {}),
    }
    problems
}

/// Whether `email` is a valid ASCII address, read in one pass over its bytes: the same rules
/// as below for the addresses of nearly every row of a file (the native tests compare the two
/// on every address of their corpus and on generated ones). `false` means "not known valid":
/// the full check then says what is wrong.
pub fn is_plain_ascii_email(email: &str) -> bool {
    let bytes = email.as_bytes();
    if bytes.len() > EMAIL_MAX_BYTES {
        return false;
    }
    let Some(at) = bytes.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    if local.is_empty() || local.len() > EMAIL_LOCAL_MAX_BYTES {
        return false;
    }
    // Atoms of atext separated by single dots.
    let mut previous = b'.';
    for &b in local {
        let atext = b.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(&b);
        if !(atext || (b == b'.' && previous != b'.')) {
            return false;
        }
        previous = b;
    }
    if previous == b'.' {
        return false;
    }
    // Labels of letters, digits and inner hyphens, at most 63 long; at least two; a top-level
    // label of letters only, two or more. A label starting `xn--` is left to the full check
    // (it must decode).
    let (mut labels, mut length, mut letters_only, mut previous) = (1, 0, true, b'.');
    let (mut first, mut ace_start) = (0u8, false);
    for &b in domain {
        if b == b'.' {
            if length == 0 || previous == b'-' {
                return false;
            }
            labels += 1;
            length = 0;
            letters_only = true;
        } else if b.is_ascii_alphanumeric() || (b == b'-' && length > 0) {
            // A label starting `xn--`: left to the full check (it must decode).
            if length == 3 && b == b'-' && previous == b'-' && ace_start {
                return false;
            }
            if length == 1 {
                ace_start = (b | 0x20) == b'n' && (first | 0x20) == b'x';
            } else if length == 0 {
                first = b;
            }
            length += 1;
            letters_only &= b.is_ascii_alphabetic();
            if length > LABEL_MAX_CHARS {
                return false;
            }
        } else {
            return false;
        }
        previous = b;
    }
    labels >= 2 && length >= 2 && previous != b'-' && letters_only
}

/// A dot-atom (RFC 5322 §3.2.3, with RFC 6531's non-ASCII characters): atoms of `atext`
/// separated by single dots. Quoted local parts are refused (they allow spaces).
fn is_valid_local_part(local: &str) -> bool {
    // On bytes: `str::contains(char)` would bring in the substring search and its panic
    // messages, which print characters with their Unicode tables (5.2 KB gzip of the module).
    let is_atext = |c: char| {
        c.is_ascii_alphanumeric()
            || (c.is_ascii() && ATEXT_SYMBOLS.contains(&(c as u8)))
            || is_non_ascii_text(c)
    };
    !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && all_chars(atom, is_atext))
}

/// Whether every character of `text` passes `test`; ASCII text is read byte by byte, without
/// decoding it (the checks of a file's rows read a few million characters).
fn all_chars(text: &str, test: impl Fn(char) -> bool) -> bool {
    if text.is_ascii() {
        text.bytes().all(|b| test(char::from(b)))
    } else {
        text.chars().all(test)
    }
}

/// At least two labels of letters, digits and inner hyphens (non-ASCII letters allowed for
/// internationalized domains), each at most 63 characters; a top-level label not all digits.
pub fn is_valid_domain(domain: &str) -> bool {
    let valid_label = |label: &str| {
        let chars = char_count(label);
        (1..=LABEL_MAX_CHARS).contains(&chars)
            && !label.starts_with('-')
            && !label.ends_with('-')
            && all_chars(label, |c| {
                c.is_ascii_alphanumeric() || c == '-' || is_non_ascii_text(c)
            })
    };
    // Without collecting the labels: this runs once per row of a bulk file.
    let (mut labels, mut tld) = (0, "");
    for label in domain.split('.') {
        if !valid_label(label) {
            return false;
        }
        labels += 1;
        tld = label;
    }
    labels >= 2 && !tld.bytes().all(|b| b.is_ascii_digit())
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
        vec![Problem::InvalidPhone {}]
    }
}

fn is_valid_phone(phone: &str) -> bool {
    // Split off the extension, if any: after the first `x` (or `ext`, an `e` before it and a
    // `t` after it), an optional dot and spaces; letters in either case.
    let x = phone.bytes().position(|b| b == b'x' || b == b'X');
    let split = x.and_then(|x| Some((phone.get(..x)?, phone.get(x + 1..)?)));
    let (number, extension) = match split {
        Some((before, after)) => {
            let e = before
                .strip_suffix('e')
                .or_else(|| before.strip_suffix('E'));
            let t = after.strip_prefix('t').or_else(|| after.strip_prefix('T'));
            let (number, after) = match (e, t) {
                (Some(number), Some(after)) => (number, after),
                _ => (before, after),
            };
            let after = after.strip_prefix('.').unwrap_or(after);
            (number, Some(after.trim_start()))
        }
        None => (phone, None),
    };
    let number = number.trim_end();
    let body = number.strip_prefix('+').unwrap_or(number);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return false;
    }
    let mut digits = 0;
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'.' | b'(' | b')' => {}
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
    let id = id.trimmed();
    if id.is_empty() {
        return Err(Problem::Required {});
    }
    normalize_customer_id(id).ok_or(Problem::InvalidCustomerId {})
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
    let code = country.trimmed();
    if !code.is_empty() {
        choice.country = countries::find(code);
        if choice.country.is_none() {
            choice.country_problem = Some(Problem::UnknownCountry {});
        }
    }
    let language = language.trimmed();
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
    CustomerId::parse(id).map(CustomerId::to_text)
}

/// The value of each hexadecimal digit, 0x80 for any other byte.
const HEX: [u8; 256] = {
    let mut table = [0x80; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// A customer id read (a GUID), kept as its 128 bits: compared, hashed and written back
/// lower case without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub u128);

impl CustomerId {
    /// Reads a GUID with hyphens, upper or lower case, optionally in braces (no trimming).
    #[inline(never)]
    pub fn parse(id: &str) -> Option<CustomerId> {
        let inner = match id.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}')?,
            None => id,
        };
        let bytes: &[u8; 36] = inner.as_bytes().try_into().ok()?;
        if [bytes[8], bytes[13], bytes[18], bytes[23]] != [b'-'; 4] {
            return None;
        }
        // A file's rows each read one: its five groups of digits by table, into two 64-bit
        // halves (cheaper than 128-bit shifts in WebAssembly).
        let run = |digits: &[u8]| {
            let (mut value, mut invalid) = (0u64, 0u8);
            for &b in digits {
                let digit = HEX[usize::from(b)];
                invalid |= digit;
                value = value << 4 | u64::from(digit & 0xF);
            }
            (invalid & 0x80 == 0).then_some(value)
        };
        let high = run(&bytes[..8])? << 32 | run(&bytes[9..13])? << 16 | run(&bytes[14..18])?;
        let low = run(&bytes[19..23])? << 48 | run(&bytes[24..])?;
        Some(CustomerId(u128::from(high) << 64 | u128::from(low)))
    }

    /// Its text as used in URLs: lower case, hyphens, no braces.
    pub fn text(self) -> [u8; 36] {
        let mut text = [b'-'; 36];
        let (mut high, mut low) = ((self.0 >> 64) as u64, self.0 as u64);
        for (i, byte) in text.iter_mut().enumerate().rev() {
            if matches!(i, 8 | 13 | 18 | 23) {
                continue;
            }
            let half = if i < 19 { &mut high } else { &mut low };
            *byte = b"0123456789abcdef"[(*half & 0xF) as usize];
            *half >>= 4;
        }
        text
    }
}

impl std::fmt::Display for CustomerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl CustomerId {
    /// Its text as used in URLs, as a `String` (without the formatting machinery).
    pub fn to_text(self) -> String {
        // Always ASCII: hexadecimal digits and hyphens.
        std::str::from_utf8(&self.text()).unwrap_or_default().into()
    }
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
            (
                format!("{too_long_local}@example.com"),
                vec!["email-local-part-too-long"],
            ),
            (format!("someone@{long_domain}"), vec!["email-too-long"]),
            (
                format!("{too_long_local} x@example.com"),
                vec!["email-local-part-too-long", "invalid-email"],
            ),
            // Limits in octets: 22 characters of three bytes each are 66 octets.
            (
                format!("{}@example.com", "用".repeat(22)),
                vec!["email-local-part-too-long"],
            ),
            (format!("{}@example.com", "用".repeat(21)), vec![]),
            // Domains as mail systems read them (IDNA).
            ("someone@example.co©".into(), vec!["email-domain-character"]),
            ("someone@ex☃mple.com".into(), vec!["email-domain-character"]),
            ("someone@ｇｍａｉｌ.com".into(), vec!["email-read-as"]),
            ("someone@example.c".into(), vec!["email-top-level-domain"]),
            ("someone@example.c0m".into(), vec!["email-top-level-domain"]),
            ("hans@müller.example".into(), vec![]),
            ("hans@xn--mller-kva.example".into(), vec![]),
            ("someone@xn--zz.example".into(), vec!["invalid-email"]),
            ("иван@пример.рф".into(), vec![]),
            ("someone@例え.テスト".into(), vec![]),
        ];
        for (email, expected) in cases {
            assert_eq!(codes(check_email(&email)), expected, "{email:?}");
        }
    }

    /// Every address of the corpus gets the same verdict from the `email_address` crate (with
    /// display names and domain literals off, two labels required), except where this product
    /// is stricter on purpose.
    #[test]
    fn the_fast_path_of_ascii_addresses_agrees_with_the_full_check() {
        // Every address of up to six characters over an alphabet of the cases that matter.
        let alphabet = ['a', '1', '.', '-', '@', '_', ' ', '+'];
        let mut addresses = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = addresses
                .iter()
                .filter(|a| a.len() == addresses.last().map_or(0, String::len))
                .flat_map(|a| alphabet.iter().map(move |c| format!("{a}{c}")))
                .collect();
            addresses.extend(longer);
        }
        let long = |n: usize| "a".repeat(n);
        addresses.extend([
            format!("{}@example.com", long(64)),
            format!("{}@example.com", long(65)),
            format!("a@{}.com", long(63)),
            format!("a@{}.com", long(64)),
            format!("a@{}.{}.{}.{}.com", long(63), long(63), long(63), long(58)),
            format!("a@{}.{}.{}.{}.com", long(63), long(63), long(63), long(59)),
            "someone@example.123".into(),
            "someone@123.example".into(),
            "someone@example.c".into(),
            "someone@example.co".into(),
            "someone@ab--cd.com".into(),
            "someone@xn--mller-kva.example".into(),
            "someone@xn--zz.example".into(),
            "someone@ex-ample.com".into(),
        ]);
        let mut valid = 0;
        for address in addresses.iter().filter(|a| !a.is_empty()) {
            let full = email_problems(address).is_empty();
            // The same verdict, except that `xn--` labels are left to the full check.
            let leaves_it = address.to_ascii_lowercase().contains("xn--");
            if !leaves_it {
                assert_eq!(is_plain_ascii_email(address), full, "{address:?}");
            } else {
                assert!(!is_plain_ascii_email(address), "{address:?}");
            }
            valid += usize::from(full);
        }
        assert!(
            valid > 10,
            "{valid} valid addresses among {}",
            addresses.len()
        );
    }

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
        // Its 128 bits, written back.
        let parsed = CustomerId::parse(id).unwrap();
        assert_eq!(parsed.0, 0x14876998_c0dc_46e6_9d0c_65a57a6c32ec);
        assert_eq!(parsed.to_string(), id);
        for text in [
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ] {
            assert_eq!(CustomerId::parse(text).unwrap().to_string(), text);
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
