//! The bulk sample (`--seed-sample`): a thousand customers, and `www/samples/customers-1000.csv`
//! which confirms them. Every row and customer is made from its number, so the file and the
//! database agree: every 10th row (9, 19, …) is wrong in one of five ways, every 40th customer
//! already holds a Customer Agreement confirmed in 2024 (skipped when sending).

use csp_agreements::rules::date::parse_date;
use csp_agreements::{Agreement, AgreementType, Contact};
use rusqlite::Connection;

use crate::api::SANDBOX_USER_ID;
use crate::store::{self, Customer};

/// Rows in the sample file (and sample customers).
pub const SAMPLE_ROWS: u32 = 1000;

const COUNTRIES: [(&str, &str, &str); 8] = [
    ("FR", "fr-FR", "+33 1 23 45 67 89"),
    ("DE", "de-DE", "+49 30 1234567"),
    ("US", "en-US", "+1 425 555 0100"),
    ("ES", "es-ES", "+34 912 345 678"),
    ("GB", "en-US", "+44 20 7946 0000"),
    ("NL", "nl-NL", "+31 20 123 4567"),
    ("IT", "it-IT", "+39 06 1234 5678"),
    ("CA", "fr-FR", "+1 613 555 0100"),
];
const FIRST_NAMES: [&str; 8] = [
    "Camille", "Jonas", "Avery", "Lucía", "Oliver", "Daan", "Giulia", "Émile",
];
const LAST_NAMES: [&str; 8] = [
    "Martin", "Weber", "Brooks", "García", "Hughes", "de Vries", "Rossi", "Tremblay",
];

/// The id of sample customer `n` (1 to 1000).
pub fn sample_customer_id(n: u32) -> String {
    format!("b0000000-0000-4000-8000-{n:012}")
}

/// Whether sample customer `n` already holds a current Customer Agreement confirmation.
pub fn already_confirmed(n: u32) -> bool {
    n.is_multiple_of(40)
}

/// Whether row `n` of the sample file is wrong (and how: 0 to 4).
pub fn wrong_row(n: u32) -> Option<u32> {
    (n % 10 == 9).then_some((n / 10) % 5)
}

struct Person {
    country: &'static str,
    language: &'static str,
    phone: &'static str,
    first: &'static str,
    last: &'static str,
    email: String,
}

fn person(n: u32) -> Person {
    let (country, language, phone) = COUNTRIES[(n % 8) as usize];
    let first = FIRST_NAMES[(n % 8) as usize];
    let last = LAST_NAMES[((n / 8) % 8) as usize];
    let local: String = format!("{first}.{last}")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' => 'e',
            'í' => 'i',
            ' ' => '-',
            c => c,
        })
        .collect();
    Person {
        country,
        language,
        phone,
        first,
        last,
        email: format!("{local}{n}@sample.example"),
    }
}

/// The sample file: a header and 1000 rows, CRLF line ends as spreadsheets write them.
pub fn sample_csv() -> String {
    let mut csv = String::from(
        "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language\r\n",
    );
    for n in 1..=SAMPLE_ROWS {
        let p = person(n);
        let mut id = sample_customer_id(n);
        let mut last = p.last.to_string();
        let mut email = p.email.clone();
        let mut country = p.country;
        match wrong_row(n) {
            Some(0) => email = email.replace('@', ".at."),
            Some(1) => last.clear(),
            Some(2) => country = "ZZ",
            Some(3) => id = format!("customer-{n}"),
            Some(_) => id = sample_customer_id(n - 1),
            None => {}
        }
        let day = 1 + n % 14;
        csv.push_str(&format!(
            "{id},MicrosoftCustomerAgreement,2019-11-{day:02},{first},{last},{email},{phone},{country},{language}\r\n",
            first = p.first,
            phone = p.phone,
            language = p.language,
        ));
    }
    csv
}

/// Adds the sample customers (and their confirmations) unless they are there. Returns how many
/// it added.
pub fn seed_sample(db: &Connection) -> rusqlite::Result<usize> {
    if store::customer(db, &sample_customer_id(1))?.is_some() {
        return Ok(0);
    }
    let now = chrono::Utc::now().to_rfc3339();
    let tx = db.unchecked_transaction()?;
    for n in 1..=SAMPLE_ROWS {
        let p = person(n);
        let id = sample_customer_id(n);
        let (domain, company) = (
            format!("sample-{n:04}.onmicrosoft.com"),
            format!("Sample Customer {n:04}"),
        );
        insert_person(&tx, &id, &p, &domain, &company, Some(p.phone), &now)?;
        if already_confirmed(n) {
            insert_confirmation(&tx, &id, &p, Some(p.phone), "2024-03-01", &now)?;
        }
    }
    tx.commit()?;
    Ok(SAMPLE_ROWS as usize)
}

/// The id of portfolio customer `n` (`--seed-customers`).
pub fn portfolio_customer_id(n: u32) -> String {
    format!("c0000000-0000-4000-8000-{n:012}")
}

/// What portfolio customer `n` holds: a current Customer Agreement (one in three), one
/// attested before the refresh (one in five of the others), a direct acceptance (one in seven
/// of the rest), or nothing.
pub fn portfolio_holding(n: u32) -> &'static str {
    if n.is_multiple_of(3) {
        "current"
    } else if n.is_multiple_of(5) {
        "before-refresh"
    } else if n.is_multiple_of(7) {
        "direct"
    } else {
        "none"
    }
}

/// Adds `count` customers for the portfolio's benchmark (`--seed-customers`): made from their
/// numbers, holding what `portfolio_holding` says, unless they are there. Returns how many it
/// added.
pub fn seed_customers(db: &Connection, count: u32) -> rusqlite::Result<usize> {
    if count == 0 || store::customer(db, &portfolio_customer_id(1))?.is_some() {
        return Ok(0);
    }
    let now = chrono::Utc::now().to_rfc3339();
    let tx = db.unchecked_transaction()?;
    for n in 1..=count {
        let p = person(n);
        let id = portfolio_customer_id(n);
        let (domain, company) = (
            format!("portfolio-{n:05}.onmicrosoft.com"),
            format!("Portfolio Customer {n:05}"),
        );
        insert_person(&tx, &id, &p, &domain, &company, None, &now)?;
        match portfolio_holding(n) {
            "current" => insert_confirmation(&tx, &id, &p, None, "2024-03-01", &now)?,
            "before-refresh" => insert_confirmation(&tx, &id, &p, None, "2022-03-01", &now)?,
            "direct" => store::insert_direct_acceptance(&tx, &id, "2024-05-01")?,
            _ => {}
        }
    }
    tx.commit()?;
    Ok(count as usize)
}

/// A made customer: `p` is its primary contact (with `phone`), its country and culture.
fn insert_person(
    tx: &Connection,
    id: &str,
    p: &Person,
    domain: &str,
    company: &str,
    phone: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    let customer = Customer {
        id: id.into(),
        domain: domain.into(),
        company_name: company.into(),
        country: p.country.into(),
        email: p.email.clone(),
        first_name: p.first.into(),
        last_name: p.last.into(),
        phone: phone.map(Into::into),
        culture: p.language.into(),
    };
    store::insert_customer(tx, &customer, now)
}

/// A partner's confirmation of the Customer Agreement by `p` (with `phone`), accepted on `day`.
fn insert_confirmation(
    tx: &Connection,
    id: &str,
    p: &Person,
    phone: Option<&str>,
    day: &str,
    now: &str,
) -> rusqlite::Result<()> {
    let agreement_type = AgreementType::MicrosoftCustomerAgreement;
    let agreement = Agreement {
        user_id: Some(SANDBOX_USER_ID.into()),
        primary_contact: Contact {
            first_name: p.first.into(),
            last_name: p.last.into(),
            email: p.email.clone(),
            phone_number: phone.map(Into::into),
        },
        template_id: agreement_type.default_template().template_id.into(),
        date_agreed: parse_date(day).expect("a valid date"),
        agreement_type,
        agreement_link: None,
    };
    store::insert_agreement(tx, id, &agreement, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file shipped in `www/samples/` is the one made here (`UPDATE_SAMPLE=1` writes it).
    #[test]
    fn the_shipped_sample_is_this_one() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../www/samples/customers-1000.csv"
        );
        let made = sample_csv();
        if std::env::var_os("UPDATE_SAMPLE").is_some() {
            std::fs::write(path, &made).unwrap();
        }
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == made,
            "{path} differs: run UPDATE_SAMPLE=1 cargo test -p csp-sandbox sample"
        );
    }

    #[test]
    fn the_first_200_rows_hold_20_wrong_and_5_already_confirmed() {
        assert_eq!((1..=200).filter(|&n| wrong_row(n).is_some()).count(), 20);
        assert_eq!((1..=200).filter(|&n| already_confirmed(n)).count(), 5);
        assert!((1..=SAMPLE_ROWS).all(|n| !(already_confirmed(n) && wrong_row(n).is_some())));
    }

    #[test]
    fn seeding_twice_adds_once() {
        let store = crate::Store::open(None).unwrap();
        let db = store.lock();
        assert_eq!(seed_sample(&db).unwrap(), 1000);
        assert_eq!(seed_sample(&db).unwrap(), 0);
        assert_eq!(store::customer_count(&db).unwrap(), 1000);
    }
}
