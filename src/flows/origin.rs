//! Where the client may send a bearer token, and which links it may hand to a page. Pure: the
//! page's own origin is an argument.
//!
//! The API base must be `https:`, the page's own origin (empty, or a path such as `/relay`), or
//! plain `http:` on the loopback interface (a local relay or the sandbox); never with user
//! information (`https://user:pass@host`, which also disguises the real host). Links coming back
//! from the backend (template documents, acceptance links) must be `https:`, or `http:` on the
//! page's own origin or the loopback interface (the sandbox): a `javascript:` or `data:` link
//! would run in the portal's origin when clicked, and an `http:` link to anywhere else would
//! send the customer to a page anyone on the way can change.
//!
//! Header values are checked before a request is built: a browser refuses a value with CR, LF
//! or a character beyond Latin-1 by throwing, deep inside the request.

/// Why an API base is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiBaseProblem {
    /// Not an absolute `scheme://host` URL nor a path of this origin.
    NotAUrl,
    /// Plain `http:` to another machine: the token would travel in clear.
    Insecure,
    /// `user:password@` in the URL.
    Credentials,
}

impl ApiBaseProblem {
    /// A sentence for the developer (the error thrown by the client's constructor).
    pub fn message(self) -> &'static str {
        match self {
            ApiBaseProblem::NotAUrl => {
                "options.apiBase: expected an https: URL, a path of this origin (\"/relay\") or \"\""
            }
            ApiBaseProblem::Insecure => {
                "options.apiBase: the bearer token is only sent over https: (or http: to this page's own origin or to 127.0.0.1, localhost, [::1])"
            }
            ApiBaseProblem::Credentials => {
                "options.apiBase: user information (user:password@) is not allowed in the URL"
            }
        }
    }
}

/// Checks the API base a client is given, and returns it without its trailing slashes.
/// `page_origin` is the page's `location.origin` (None outside a page, in Node say).
pub fn check_api_base(base: &str, page_origin: Option<&str>) -> Result<String, ApiBaseProblem> {
    let base = base.trim();
    // On bytes, not with `str` patterns: their searchers cost kilobytes of wasm.
    if base
        .bytes()
        .any(|b| b <= b' ' || b == 0x7F || b == b'\\' || b >= 0x80)
    {
        return Err(ApiBaseProblem::NotAUrl);
    }
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return Ok(String::new());
    }
    if base.starts_with('/') {
        // A path of the page's own origin; `//host` would be another origin.
        return if base.starts_with("//") {
            Err(ApiBaseProblem::NotAUrl)
        } else {
            Ok(base.to_string())
        };
    }
    let (scheme, authority, host) = split_url(base).ok_or(ApiBaseProblem::NotAUrl)?;
    if authority.bytes().any(|b| b == b'@') {
        return Err(ApiBaseProblem::Credentials);
    }
    if base.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(ApiBaseProblem::NotAUrl);
    }
    match scheme.as_str() {
        "https" => Ok(base.to_string()),
        "http" if is_loopback(&host) || same_origin(&authority, page_origin) => {
            Ok(base.to_string())
        }
        "http" => Err(ApiBaseProblem::Insecure),
        _ => Err(ApiBaseProblem::NotAUrl),
    }
}

/// The scheme (lower case), authority (lower case) and host (its port left out, an IPv6
/// address with its brackets) of an absolute `scheme://authority/…` URL.
fn split_url(url: &str) -> Option<(String, String, String)> {
    // `split_once` on ASCII characters, never `&text[..i]`: a slice's panic path formats
    // characters with the Unicode tables (about 4 KB of wasm).
    let (scheme, rest) = url.split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if authority.is_empty() {
        return None;
    }
    let host = match authority.split_once(']') {
        Some((v6, _)) if v6.starts_with('[') => crate::text!(v6, "]"),
        _ => authority
            .split_once(':')
            .map_or(authority.as_str(), |(host, _)| host)
            .to_string(),
    };
    Some((scheme.to_ascii_lowercase(), authority, host))
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn same_origin(authority: &str, page_origin: Option<&str>) -> bool {
    page_origin.is_some_and(|o| o.eq_ignore_ascii_case(&crate::text!("http://", authority)))
}

/// Whether a link from the backend may be shown: an absolute `https:` URL, or `http:` to the
/// page's own origin (`page_origin`) or to the loopback interface; no user information, no
/// control characters or spaces (browsers strip them, and `java\tscript:` is `javascript:`).
pub fn is_web_link(link: &str, page_origin: Option<&str>) -> bool {
    if link.bytes().any(|b| b <= b' ' || b == 0x7F || b == b'\\') {
        return false;
    }
    match split_url(link) {
        Some((scheme, authority, host)) if !authority.bytes().any(|b| b == b'@') => {
            scheme == "https"
                || (scheme == "http"
                    && (is_loopback(&host) || same_origin(&authority, page_origin)))
        }
        _ => false,
    }
}

/// Whether a header name is an HTTP token (letters, digits and ``!#$%&'*+-.^_`|~``).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether a header value can be sent as it is: tab and visible characters of Latin-1, no CR,
/// LF or NUL (a browser throws on anything else).
pub fn is_header_value(value: &str) -> bool {
    value
        .chars()
        .all(|c| c == '\t' || (' '..='~').contains(&c) || ('\u{a0}'..='\u{ff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApiBaseProblem::*;

    #[test]
    fn api_bases() {
        let page = Some("http://intranet.example:8080");
        #[rustfmt::skip]
        let rows: [(&str, Result<&str, ApiBaseProblem>); 22] = [
            ("", Ok("")),
            ("  ", Ok("")),
            ("/", Ok("")),
            ("/relay/", Ok("/relay")),
            ("https://api.partnercenter.microsoft.com", Ok("https://api.partnercenter.microsoft.com")),
            ("HTTPS://relay.example/pc/", Ok("HTTPS://relay.example/pc")),
            ("http://127.0.0.1:8787", Ok("http://127.0.0.1:8787")),
            ("http://localhost:3000/", Ok("http://localhost:3000")),
            ("http://[::1]:9", Ok("http://[::1]:9")),
            ("http://intranet.example:8080/api", Ok("http://intranet.example:8080/api")),
            ("http://intranet.example:8081/api", Err(Insecure)),
            ("http://relay.example", Err(Insecure)),
            ("http://localhost.evil.example", Err(Insecure)),
            ("http://127.0.0.1.nip.io", Err(Insecure)),
            ("https://user:pass@relay.example", Err(Credentials)),
            ("https://relay.example@evil.example", Err(Credentials)),
            ("//evil.example", Err(NotAUrl)),
            ("/\\evil.example", Err(NotAUrl)),
            ("javascript:alert(1)", Err(NotAUrl)),
            ("ftp://relay.example", Err(NotAUrl)),
            ("relay.example", Err(NotAUrl)),
            ("https://relay.example/?x=1", Err(NotAUrl)),
        ];
        for (base, expected) in rows {
            assert_eq!(
                check_api_base(base, page),
                expected.map(str::to_string),
                "{base:?}"
            );
        }
        assert_eq!(
            check_api_base("http://intranet.example:8080", None),
            Err(Insecure)
        );
    }

    #[test]
    fn links() {
        let page = Some("http://intranet.example:8080");
        for ok in [
            "https://download.example/doc?x=1",
            "http://127.0.0.1:9/sandbox/documents/ab",
            "http://localhost:8787/accept/a-1",
            "http://intranet.example:8080/accept/a-1",
            "https://cdn.partner.microsoft.com/mca/?attestationid=a-1",
        ] {
            assert!(is_web_link(ok, page), "{ok}");
        }
        // Plain http: to another machine, or to this page's host on another port.
        for bad in [
            "http://evil.example/accept",
            "http://intranet.example:8081/accept",
            "http://127.0.0.1.nip.io/accept",
            "https://user@evil.example/",
            "https://a.example\\@evil.example/",
        ] {
            assert!(!is_web_link(bad, page), "{bad}");
        }
        assert!(!is_web_link("http://intranet.example:8080/x", None));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "/relative",
            "https://",
            "https://a.example/\u{0}",
            "",
        ] {
            assert!(!is_web_link(bad, page), "{bad:?}");
        }
    }

    #[test]
    fn header_values_a_browser_takes() {
        for ok in [
            "Bearer eyJ0eXAi.abc-_~",
            "0c9b1d1e-7c4a-4bb7-9c5c-2f1e8d1a4b21",
            "fr-FR",
            "a\tb",
            "café",
        ] {
            assert!(is_header_value(ok), "{ok:?}");
        }
        for bad in ["a\r\nX-Injected: 1", "a\nb", "a\0b", "jeton-€", "李"] {
            assert!(!is_header_value(bad), "{bad:?}");
        }
        assert!(is_header_name("MS-ContinuationToken"));
        for bad in ["", "a b", "a:b", "é"] {
            assert!(!is_header_name(bad), "{bad:?}");
        }
    }
}
