//! The 246 countries/regions for which the Customer Agreement template can be downloaded, with
//! their template languages (`data/agreement-template-countries.csv`, embedded at build time).

use crate::checks::text::Trimmed;

/// One row of the table. `languages` are distinct, in the table's order (`en-US` first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Upper-case code, as the template endpoint expects (`FR`, and the user-assigned `XK`...).
    pub code: &'static str,
    /// English name from the table (pages should prefer `Intl.DisplayNames`).
    pub name: &'static str,
    /// Its template languages (canonical tags, the default first).
    pub languages: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// The country at `index` of the table (sorted by code).
fn at(index: usize) -> Country {
    let name_start = index
        .checked_sub(1)
        .map_or(0, |i| usize::from(NAME_ENDS[i]));
    Country {
        code: CODES.get(index * 2..index * 2 + 2).unwrap_or_default(),
        name: NAMES
            .get(name_start..usize::from(NAME_ENDS[index]))
            .unwrap_or_default(),
        languages: LANGUAGE_SETS[usize::from(LANGUAGE_SET_OF[index])],
    }
}

/// Every country of the table, sorted by code.
pub fn all() -> impl ExactSizeIterator<Item = Country> {
    (0..COUNTRY_COUNT).map(at)
}

/// The country with this code, case-insensitive (`fr`, `Fr` and `FR` are France).
pub fn find(code: &str) -> Option<Country> {
    let [a, b] = code.trimmed().as_bytes() else {
        return None;
    };
    let wanted = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
    let (mut low, mut high) = (0, COUNTRY_COUNT);
    while low < high {
        let middle = (low + high) / 2;
        let code = CODES.as_bytes().get(middle * 2..middle * 2 + 2)?;
        match code.cmp(&wanted[..]) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => return Some(at(middle)),
        }
    }
    None
}

/// The template language a country supports, matched case-insensitively, in its canonical
/// spelling (`fr-fr` → `fr-FR`).
pub fn find_language(country: &Country, language: &str) -> Option<&'static str> {
    country
        .languages
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(language.trimmed()))
}

/// A language that some country's template has (for a language given without a country).
pub fn any_language(language: &str) -> Option<&'static str> {
    let language = language.trimmed();
    LANGUAGE_SETS
        .iter()
        .flat_map(|set| set.iter().copied())
        .find(|l| l.eq_ignore_ascii_case(language))
}

/// The template language used when none is given (also the API's fallback).
pub const DEFAULT_LANGUAGE: &str = "en-US";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_table_is_embedded() {
        assert_eq!(all().len(), 246);
        assert_eq!(COUNTRY_COUNT, 246);
        let source = include_str!("../../data/agreement-template-countries.csv");
        for line in source.lines().skip(1) {
            let code = &line[..2];
            let country = find(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(country.code, code);
            let listed = line.rsplit(',').next().unwrap();
            for language in listed.split_whitespace() {
                assert!(country.languages.contains(&language), "{code} {language}");
            }
        }
        let codes: Vec<_> = all().map(|c| c.code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
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
        assert_eq!(find_language(&fr, "FR-fr"), Some("fr-FR"));
        assert_eq!(find_language(&fr, "de-DE"), None);
        assert_eq!(any_language("sr-latn-rs"), Some("sr-Latn-RS"));
        assert_eq!(any_language("xx-XX"), None);
        let languages: std::collections::BTreeSet<_> =
            all().flat_map(|c| c.languages.iter()).collect();
        assert_eq!(languages.len(), 40, "the research lists 40 language codes");
    }
}
