//! The columns of a bulk file: which field each header names. A header is recognized in English
//! or French, by its wire name (`customerId`), the form's label (`Prénom`) or a common
//! spreadsheet name (`Courriel`), whatever its case, accents, spaces or punctuation.

use crate::checks::form::ConfirmationForm;
use crate::checks::issues::Field;
use crate::checks::messages::Locale;

/// Other names spreadsheets give these columns, already folded (see `fold`).
const ALIASES: [(&str, Field); 19] = [
    ("idclient", Field::CustomerId),
    ("identifiantclient", Field::CustomerId),
    ("tenantid", Field::CustomerId),
    ("customer", Field::CustomerId),
    ("agreement", Field::AgreementType),
    ("typedecontrat", Field::AgreementType),
    ("typecontrat", Field::AgreementType),
    ("dateacceptation", Field::DateAgreed),
    ("datedacceptation", Field::DateAgreed),
    ("prenom", Field::FirstName),
    ("nom", Field::LastName),
    ("nomdefamille", Field::LastName),
    ("courriel", Field::Email),
    ("adresseemail", Field::Email),
    ("emailaddress", Field::Email),
    ("phone", Field::PhoneNumber),
    ("telephone", Field::PhoneNumber),
    ("pays", Field::Country),
    ("langue", Field::Language),
];

/// A header as compared: ASCII letters and digits in lower case, the accents of French taken
/// off, everything else (spaces, `_`, `-`, `'`, parentheses) left out; `(optional)` and
/// `(facultatif)` too, so that the form's label of the phone number matches.
fn fold(header: &str) -> String {
    let mut folded = String::with_capacity(header.len());
    for c in header.trim().chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            folded.push(c.to_ascii_lowercase());
        }
    }
    for optional in ["optional", "facultatif"] {
        if let Some(stem) = folded.strip_suffix(optional) {
            folded.truncate(stem.len());
        }
    }
    folded
}

/// The field a header names, if any.
pub fn field_of_header(header: &str) -> Option<Field> {
    let folded = fold(header);
    if folded.is_empty() {
        return None;
    }
    ConfirmationForm::FIELDS
        .into_iter()
        .find(|&field| {
            fold(field.as_str()) == folded
                || [Locale::EnUs, Locale::FrFr]
                    .into_iter()
                    .any(|locale| fold(field.label(locale)) == folded)
        })
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| *alias == folded)
                .map(|&(_, field)| field)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_english_and_french() {
        let cases = [
            ("customerId", Field::CustomerId),
            (" Customer ID (Microsoft ID) ", Field::CustomerId),
            ("ID client (ID Microsoft)", Field::CustomerId),
            ("customer_id", Field::CustomerId),
            ("AGREEMENTTYPE", Field::AgreementType),
            ("Contrat", Field::AgreementType),
            ("date_agreed", Field::DateAgreed),
            ("Date d'acceptation", Field::DateAgreed),
            ("Prénom", Field::FirstName),
            ("first name", Field::FirstName),
            ("Nom", Field::LastName),
            ("Adresse e-mail", Field::Email),
            ("Courriel", Field::Email),
            ("Téléphone", Field::PhoneNumber),
            ("Phone number (optional)", Field::PhoneNumber),
            ("Numéro de téléphone (facultatif)", Field::PhoneNumber),
            ("Pays", Field::Country),
            ("Langue du contrat", Field::Language),
        ];
        for (header, field) in cases {
            assert_eq!(field_of_header(header), Some(field), "{header}");
        }
        for header in ["", "  ", "notes", "companyName"] {
            assert_eq!(field_of_header(header), None, "{header}");
        }
    }
}
