//! Where the client may send a bearer token, and which links it may hand to a page. Pure: the
//! page's own origin is an argument.
//!
//! The API base must be `https:`, the page's own origin (empty, or a path such as `/relay`), or
//! plain `http:` on the loopback interface (a local relay or the sandbox); never with user
//! information (`https://user:pass@host`, which also disguises the real host). Links coming back
//! from the backend (template documents) must be `http:` or `https:`: a `javascript:` or `data:`
//! link would run in the portal's origin when clicked.

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
    // `split_once` on ASCII characters, never `&text[..i]`: a slice's panic path formats
    // characters with the Unicode tables (about 4 KB of wasm).
    let (scheme, rest) = base.split_once(':').ok_or(ApiBaseProblem::NotAUrl)?;
    let rest = rest.strip_prefix("//").ok_or(ApiBaseProblem::NotAUrl)?;
    let authority = rest
        .split_once('/')
        .map_or(rest, |(authority, _)| authority)
        .to_ascii_lowercase();
    if authority.bytes().any(|b| b == b'@') {
        return Err(ApiBaseProblem::Credentials);
    }
    if authority.is_empty() || base.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(ApiBaseProblem::NotAUrl);
    }
    // The host without its port; an IPv6 address keeps its brackets.
    let host = match authority.split_once(']') {
        Some((v6, _)) if v6.starts_with('[') => format!("{v6}]"),
        _ => authority
            .split_once(':')
            .map_or(authority.as_str(), |(host, _)| host)
            .to_string(),
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(base.to_string()),
        "http" if matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") => {
            Ok(base.to_string())
        }
        "http"
            if page_origin
                .is_some_and(|o| o.eq_ignore_ascii_case(&format!("http://{authority}"))) =>
        {
            Ok(base.to_string())
        }
        "http" => Err(ApiBaseProblem::Insecure),
        _ => Err(ApiBaseProblem::NotAUrl),
    }
}

/// Whether a link from the backend may be shown: an absolute `http:` or `https:` URL, no
/// control characters or spaces (browsers strip them, and `java\tscript:` is `javascript:`).
pub fn is_web_link(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    !link.bytes().any(|b| b <= b' ' || b == 0x7F) && rest.is_some_and(|r| !r.is_empty())
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
        for ok in [
            "https://download.example/doc?x=1",
            "http://127.0.0.1:9/sandbox/documents/ab",
        ] {
            assert!(is_web_link(ok), "{ok}");
        }
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
            assert!(!is_web_link(bad), "{bad:?}");
        }
    }
}
