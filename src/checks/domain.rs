//! How mail systems read the domain of an address: IDNA, as UTS #46 processes it (the mapping of
//! characters such as fullwidth letters to others, then the validity of each label), the way
//! browsers and mail systems do. A domain is accepted only when it is read as it was typed: its
//! ASCII form (`xn--` labels for the others) turns back into the same text, and its top-level
//! label is letters only, two or more.
//!
//! The processing is the platform's where there is one: in WebAssembly the browser's own (the
//! WHATWG URL parser's host processing, through `js/boundary.js`: it costs the package nothing),
//! natively the `idna` crate, which implements the same standard (a test compares the two on
//! generated domains). The decoding of `xn--` labels (RFC 3492, a few lines with no table) is
//! this module's own on both.

/// Why a domain is not read as it was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainProblem {
    /// A character no domain name can hold (IDNA disallows it), the first one found.
    Disallowed(char),
    /// It would be read as another domain (`read_as`): a label IDNA maps to something else, such
    /// as fullwidth letters that are read as ASCII ones.
    ReadAs(String),
    /// The top-level label is not letters only, two or more.
    TopLevel,
    /// Not a domain name at all (a label too long, empty, an invalid `xn--` label...).
    Invalid,
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// `new URL("http://" + domain + "/").hostname`, or undefined when the URL parser refuses.
    #[wasm_bindgen(js_name = domainToAscii)]
    fn domain_to_ascii_js(domain: &str) -> Option<String>;
    /// The first code point of `text` that is not a letter, a mark or a decimal digit
    /// (general categories Ll, Lo, Lm, Mn, Mc, Nd) nor `-`, or 0.
    #[wasm_bindgen(js_name = firstNotLetterDigit)]
    fn first_not_letter_digit_js(text: &str) -> u32;
}

/// The ASCII form of `domain` as the platform's IDNA processing gives it (lower case, `xn--`
/// labels), or `None` when IDNA refuses it. Only for text whose ASCII characters are letters,
/// digits, `-` and `.` (so that the URL parser reads it as a host, nothing else).
pub fn to_ascii(domain: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        domain_to_ascii_js(domain)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        idna::domain_to_ascii(domain).ok()
    }
}

/// The first character of a label that IDNA2008 does not allow in it (RFC 5892: letters of
/// the categories Ll, Lo, Lm, marks Mn and Mc, decimal digits Nd, and `-`; symbols such as
/// `©` or emoji are not), if any. The general categories are the platform's (the browser's
/// regular expressions, natively `icu_properties`).
pub fn first_not_letter_digit(label: &str) -> Option<char> {
    #[cfg(target_arch = "wasm32")]
    {
        char::from_u32(first_not_letter_digit_js(label)).filter(|&c| c != '\0')
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use icu_properties::props::GeneralCategory as G;
        let categories = icu_properties::CodePointMapData::<G>::new();
        label.chars().find(|&c| {
            c != '-'
                && !matches!(
                    categories.get(c),
                    G::LowercaseLetter
                        | G::OtherLetter
                        | G::ModifierLetter
                        | G::NonspacingMark
                        | G::SpacingMark
                        | G::DecimalNumber
                )
        })
    }
}

/// Checks a domain already shaped as one (labels of letters, digits and inner hyphens, non-ASCII
/// text allowed; see `fields::is_valid_domain`).
pub fn check(domain: &str) -> Result<(), DomainProblem> {
    if domain.is_ascii() && !domain.split('.').any(is_ace) {
        // ASCII is read as typed (its letters in lower case).
        return top_level(domain);
    }
    let typed = crate::checks::text::nfc(domain);
    let Some(ascii) = to_ascii(&typed) else {
        // The first character IDNA refuses alone, to name it; none alone: the domain as a whole
        // (its right-to-left rule, say).
        return Err(typed
            .chars()
            .filter(|c| !c.is_ascii())
            .find(|&c| {
                let mut probe = String::from("a");
                probe.push(c);
                probe.push_str(".example");
                to_ascii(&probe).is_none()
            })
            .map_or(DomainProblem::Invalid, DomainProblem::Disallowed));
    };
    // Each label as mail systems read it (an `xn--` label decoded), beside the label typed.
    let mut read_as = String::new();
    let (mut same, mut typed_labels) = (true, typed.split('.'));
    let mut disallowed = None;
    for label in ascii.split('.') {
        let decoded = decode_label(label);
        if is_ace(label) && decoded.is_none() {
            return Err(DomainProblem::Invalid);
        }
        let read = decoded.as_deref().unwrap_or(label);
        if !read_as.is_empty() {
            read_as.push('.');
        }
        read_as.push_str(read);
        // Case does not matter in a domain: `Müller` is read as `müller`, the same name.
        // A label typed as `xn--` is the same as its ASCII form.
        same &= typed_labels.next().is_some_and(|typed| {
            let typed = crate::checks::text::lowercase(typed);
            typed == read || (is_ace(&typed) && typed == label)
        });
        // IDNA2008's rule for each label read: letters, marks and digits only.
        if disallowed.is_none() && decoded.is_some() {
            disallowed = first_not_letter_digit(read);
        }
    }
    if !same || typed_labels.next().is_some() {
        return Err(DomainProblem::ReadAs(read_as));
    }
    if let Some(c) = disallowed {
        return Err(DomainProblem::Disallowed(c));
    }
    top_level(&ascii)
}

/// The top-level label (of the ASCII form): letters only, two or more; or an `xn--` label.
fn top_level(ascii: &str) -> Result<(), DomainProblem> {
    let start = ascii
        .bytes()
        .rposition(|b| b == b'.')
        .map_or(0, |dot| dot + 1);
    let tld = ascii.get(start..).unwrap_or_default();
    if is_ace(tld) || (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())) {
        Ok(())
    } else {
        Err(DomainProblem::TopLevel)
    }
}

fn is_ace(label: &str) -> bool {
    label.len() > 4 && label.as_bytes()[..4].eq_ignore_ascii_case(b"xn--")
}

/// The Unicode text of an `xn--` label (RFC 3492's decoding), `None` when it is not one.
pub fn decode_label(label: &str) -> Option<String> {
    if !is_ace(label) {
        return None;
    }
    let input = label.get(4..)?.as_bytes();
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let (basic, rest) = match input.iter().rposition(|&b| b == b'-') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => (&input[..0], input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.iter().map(|&b| char::from(b)).collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut bytes = rest.iter();
    while bytes.len() > 0 {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = match *bytes.next()? {
                b @ b'a'..=b'z' => u32::from(b - b'a'),
                b @ b'A'..=b'Z' => u32::from(b - b'A'),
                b @ b'0'..=b'9' => u32::from(b - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let length = output.len() as u32 + 1;
        bias = adapt(i - old_i, length, old_i == 0);
        n = n.checked_add(i / length)?;
        i %= length;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_decode_as_rfc_3492_says() {
        assert_eq!(decode_label("xn--mller-kva").as_deref(), Some("müller"));
        assert_eq!(decode_label("xn--80ak6aa92e").as_deref(), Some("аррӏе"));
        assert_eq!(decode_label("xn--fiqs8s").as_deref(), Some("中国"));
        assert_eq!(decode_label("xn--zz").as_deref(), None);
        assert_eq!(decode_label("example"), None);
    }

    #[test]
    fn the_four_kinds_and_the_good_ones() {
        assert_eq!(check("example.co©"), Err(DomainProblem::Disallowed('©')));
        assert_eq!(
            check("ｇｍａｉｌ.com"),
            Err(DomainProblem::ReadAs("gmail.com".into()))
        );
        assert_eq!(check("example.c"), Err(DomainProblem::TopLevel));
        assert_eq!(check("example.c0m"), Err(DomainProblem::TopLevel));
        for good in [
            "müller.example",
            "пример.рф",
            "例え.テスト",
            "Example.COM",
            "Müller.Example",
            "xn--mller-kva.example",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }
}
