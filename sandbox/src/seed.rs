//! Demo data (`--seed-demo`): customers in several countries, some with a Customer Agreement
//! confirmation, some with a Cloud Agreement one, some with none. Fixed ids, so that the README
//! and the tests can point at them. Added only to an empty database.

use csp_agreements::date::parse_date;
use csp_agreements::{Agreement, AgreementType, Contact};
use rusqlite::Connection;

use crate::api::SANDBOX_USER_ID;
use crate::store::{self, Customer};

struct Demo {
    id: &'static str,
    domain: &'static str,
    company: &'static str,
    country: &'static str,
    culture: &'static str,
    contact: (
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    ),
    confirmations: &'static [(AgreementType, &'static str)],
}

use AgreementType::{MicrosoftCloudAgreement as Cloud, MicrosoftCustomerAgreement as Customer_};

const DEMO: &[Demo] = &[
    Demo {
        id: "0f6a3c4e-5b1d-4e8a-9c2f-7d1e3a5b9c01",
        domain: "contoso-fr.onmicrosoft.com",
        company: "Contoso France",
        country: "FR",
        culture: "fr-FR",
        contact: (
            "Émilie",
            "Dupré",
            "emilie.dupre@contoso.fr",
            Some("+33 1 23 45 67 89"),
        ),
        confirmations: &[(Customer_, "2019-11-14")],
    },
    Demo {
        id: "1a7b4d5f-6c2e-4f9b-8d3a-8e2f4b6c0d02",
        domain: "fabrikam-de.onmicrosoft.com",
        company: "Fabrikam GmbH",
        country: "DE",
        culture: "de-DE",
        contact: ("Jürgen", "Weiß", "juergen.weiss@fabrikam.de", None),
        confirmations: &[(Cloud, "2019-05-14")],
    },
    Demo {
        id: "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03",
        domain: "northwind-us.onmicrosoft.com",
        company: "Northwind Traders",
        country: "US",
        culture: "en-US",
        contact: (
            "Tania",
            "Carr",
            "tania.carr@northwind.example",
            Some("(425) 555-0100"),
        ),
        confirmations: &[],
    },
    Demo {
        id: "3c9d6f7b-8e4a-4b2d-8f5c-0a4b6d8e2f04",
        domain: "tailspin-jp.onmicrosoft.com",
        company: "Tailspin 株式会社",
        country: "JP",
        culture: "ja-JP",
        contact: ("小林", "花子", "hanako.kobayashi@tailspin.example", None),
        confirmations: &[(Cloud, "2019-03-01"), (Customer_, "2020-01-20")],
    },
    Demo {
        id: "4d0e7a8c-9f5b-4c3e-9a6d-1b5c7e9f3a05",
        domain: "wideworld-ca.onmicrosoft.com",
        company: "Wide World Importers",
        country: "CA",
        culture: "fr-CA",
        contact: (
            "Jean-Luc",
            "Tremblay",
            "jl.tremblay@wideworld.example",
            None,
        ),
        confirmations: &[(Cloud, "2019-09-30")],
    },
    Demo {
        id: "5e1f8b9d-0a6c-4d4f-8b7e-2c6d8f0a4b06",
        domain: "adatum-es.onmicrosoft.com",
        company: "Adatum Ibérica",
        country: "ES",
        culture: "es-ES",
        contact: ("José", "Núñez", "jose.nunez@adatum.example", None),
        confirmations: &[],
    },
];

/// The id of the seeded customer of a country (FR, DE, US, JP, CA, ES).
pub fn demo_customer_id(country: &str) -> Option<&'static str> {
    DEMO.iter().find(|d| d.country == country).map(|d| d.id)
}

/// Adds the demo customers when the database has no customer yet. Returns how many it added.
pub fn seed_demo(db: &Connection) -> rusqlite::Result<usize> {
    if store::customer_count(db)? > 0 {
        return Ok(0);
    }
    let now = chrono::Utc::now().to_rfc3339();
    for demo in DEMO {
        let (first_name, last_name, email, phone) = demo.contact;
        store::insert_customer(
            db,
            &Customer {
                id: demo.id.into(),
                domain: demo.domain.into(),
                company_name: demo.company.into(),
                country: demo.country.into(),
                email: email.into(),
                first_name: first_name.into(),
                last_name: last_name.into(),
                phone: phone.map(Into::into),
                culture: demo.culture.into(),
            },
            &now,
        )?;
        for &(agreement_type, date) in demo.confirmations {
            let agreement = Agreement {
                user_id: Some(SANDBOX_USER_ID.into()),
                primary_contact: Contact {
                    first_name: first_name.into(),
                    last_name: last_name.into(),
                    email: email.into(),
                    phone_number: phone.map(Into::into),
                },
                template_id: agreement_type.default_template().template_id.into(),
                date_agreed: parse_date(date).expect("demo dates are valid"),
                agreement_type,
                agreement_link: None,
            };
            store::insert_agreement(db, demo.id, &agreement, &now)?;
        }
    }
    Ok(DEMO.len())
}
