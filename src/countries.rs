//! The 246 countries/regions for which the Customer Agreement template can be downloaded, with
//! their template languages (`data/agreement-template-countries.csv`, embedded at build time).

/// One row of the table. `languages` are distinct, in the table's order (`en-US` first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Upper-case code, as the template endpoint expects (`FR`, and the user-assigned `XK`...).
    pub code: &'static str,
    /// English name from the table (pages should prefer `Intl.DisplayNames`).
    pub name: &'static str,
    pub languages: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// Every country of the table, sorted by code.
pub fn all() -> &'static [Country] {
    &COUNTRY_TABLE
}

/// The country with this code, case-insensitive (`fr`, `Fr` and `FR` are France).
pub fn find(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    if code.len() != 2 || !code.is_ascii() {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    COUNTRY_TABLE
        .binary_search_by(|c| c.code.cmp(upper.as_str()))
        .ok()
        .map(|i| &COUNTRY_TABLE[i])
}

/// The template language a country supports, matched case-insensitively, in its canonical
/// spelling (`fr-fr` → `fr-FR`).
pub fn find_language(country: &Country, language: &str) -> Option<&'static str> {
    country
        .languages
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(language.trim()))
}

/// A language that some country's template has (for a language given without a country).
pub fn any_language(language: &str) -> Option<&'static str> {
    COUNTRY_TABLE
        .iter()
        .find_map(|c| find_language(c, language))
}

/// The template language used when none is given (also the API's fallback).
pub const DEFAULT_LANGUAGE: &str = "en-US";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_table_is_embedded() {
        assert_eq!(all().len(), 246);
        let source = include_str!("../data/agreement-template-countries.csv");
        for line in source.lines().skip(1) {
            let code = &line[..2];
            let country = find(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(country.code, code);
            let listed = line.rsplit(',').next().unwrap();
            for language in listed.split_whitespace() {
                assert!(country.languages.contains(&language), "{code} {language}");
            }
        }
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn lookups() {
        assert_eq!(find("fr").unwrap().languages, &["en-US", "fr-FR"]);
        assert_eq!(find(" FR ").unwrap().name, "France");
        assert_eq!(find("us").unwrap().languages, &["en-US"]);
        assert_eq!(
            find("SH").unwrap().name,
            "St Helena, Ascension, Tristan da Cunha"
        );
        assert!(find("XK").is_some(), "user-assigned codes are kept");
        assert!(find("ZZ").is_none());
        assert!(find("FRA").is_none());
        assert!(find("").is_none());
        assert!(find("é").is_none());
        // Duplicated languages of the source (Algeria: en-US fr-FR en-US) are removed.
        assert_eq!(find("DZ").unwrap().languages, &["en-US", "fr-FR"]);
        let fr = find("FR").unwrap();
        assert_eq!(find_language(fr, "FR-fr"), Some("fr-FR"));
        assert_eq!(find_language(fr, "de-DE"), None);
        assert_eq!(any_language("sr-latn-rs"), Some("sr-Latn-RS"));
        assert_eq!(any_language("xx-XX"), None);
        let languages: std::collections::BTreeSet<_> =
            all().iter().flat_map(|c| c.languages.iter()).collect();
        assert_eq!(languages.len(), 40, "the research lists 40 language codes");
    }
}
