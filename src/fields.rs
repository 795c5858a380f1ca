//! Checks of single values, independent of the rest of the form: names, email addresses, phone
//! numbers, customer ids.

use email_address::{EmailAddress, Error, Options};

use crate::issues::Problem;

/// Longest first or last name, in Unicode characters (not bytes).
pub const NAME_MAX_CHARS: usize = 100;
/// Longest email address, and longest part before the `@` (RFC 5321), in characters.
pub const EMAIL_MAX_CHARS: usize = 254;
pub const EMAIL_LOCAL_MAX_CHARS: usize = 64;

/// Checks a first or last name (already trimmed). Every problem is returned.
pub fn check_name(name: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(Problem::Required);
        return problems;
    }
    if name.chars().count() > NAME_MAX_CHARS {
        problems.push(Problem::TooLong {
            max: NAME_MAX_CHARS,
        });
    }
    if name.chars().any(is_forbidden_in_text) {
        problems.push(Problem::InvalidCharacters);
    }
    problems
}

/// Characters no name contains: control characters (C0, DEL, C1), line and paragraph
/// separators, and U+FFFD, which stands for text that was broken before it arrived (a lone
/// surrogate from JavaScript, say).
fn is_forbidden_in_text(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFD}')
}

/// Checks an email address (already trimmed): one `local@domain` address, at most 254
/// characters with at most 64 before the `@`, a domain of at least two labels, no spaces.
/// Internationalized addresses (RFC 6531) are accepted. The syntax is checked by the
/// `email_address` crate; the limits of this product are added around it.
pub fn check_email(email: &str) -> Vec<Problem> {
    if email.is_empty() {
        return vec![Problem::Required];
    }
    let local_chars = email.rfind('@').map_or(0, |at| email[..at].chars().count());
    let mut too_long =
        email.chars().count() > EMAIL_MAX_CHARS || local_chars > EMAIL_LOCAL_MAX_CHARS;
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_required_tld();
    let mut invalid = email
        .chars()
        .any(|c| c.is_whitespace() || is_forbidden_in_text(c));
    match EmailAddress::parse_with_options(email, options) {
        Ok(_) => {}
        Err(Error::LocalPartTooLong | Error::DomainTooLong | Error::SubDomainTooLong) => {
            too_long = true
        }
        Err(_) => invalid = true,
    }
    // The crate accepts labels that start or end with a hyphen; DNS does not.
    let domain = email.rsplit('@').next().unwrap_or_default();
    invalid |= domain
        .split('.')
        .any(|label| label.starts_with('-') || label.ends_with('-'));

    let mut problems = Vec::new();
    if too_long {
        problems.push(Problem::TooLong {
            max: EMAIL_MAX_CHARS,
        });
    }
    if invalid {
        problems.push(Problem::InvalidEmail);
    }
    problems
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
    // Split off the extension marker, if any: the first `x` or `ext`.
    let (number, extension) = match lower.find('x') {
        Some(x) => {
            let before = &lower[..x];
            let (number, marker_len) = match before.strip_suffix("e") {
                // "ext": the `e` precedes the `x` and a `t` follows it.
                Some(n) if lower[x + 1..].starts_with('t') => (n, 2),
                _ => (before, 1),
            };
            let rest = &lower[x + marker_len..];
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            (number, Some(rest.trim_start()))
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

/// Reads a customer id: a GUID with hyphens, upper or lower case, optionally in braces. Returns
/// it lower case without braces, as used in URLs.
pub fn normalize_customer_id(id: &str) -> Option<String> {
    let inner = match id.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}')?,
        None => id,
    };
    if inner.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(inner)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(problems: Vec<Problem>) -> Vec<&'static str> {
        problems.iter().map(Problem::code).collect()
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
