//! Demo data (`--seed-demo`): customers in several countries, some with a Customer Agreement
//! confirmation, some with a Cloud Agreement one, some with none. Fixed ids, so that the README
//! and the tests can point at them. Added only to an empty database.

use chrono::NaiveDate;
use csp_agreements::flows::attestation::{Attestation, AttestationRequest, AttestationStatus};
use csp_agreements::flows::ledger::LedgerRecord;
use csp_agreements::rules::date::{parse_date, Instant};
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
    /// The day the customer accepted directly (Microsoft 365 admin center), if they did.
    direct: Option<&'static str>,
    /// An enhanced attestation waiting for the customer's acceptance.
    pending: bool,
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
        direct: None,
        pending: false,
    },
    Demo {
        id: "1a7b4d5f-6c2e-4f9b-8d3a-8e2f4b6c0d02",
        domain: "fabrikam-de.onmicrosoft.com",
        company: "Fabrikam GmbH",
        country: "DE",
        culture: "de-DE",
        contact: ("Jürgen", "Weiß", "juergen.weiss@fabrikam.de", None),
        confirmations: &[(Cloud, "2019-05-14")],
        direct: None,
        pending: false,
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
        direct: None,
        pending: false,
    },
    Demo {
        id: "3c9d6f7b-8e4a-4b2d-8f5c-0a4b6d8e2f04",
        domain: "tailspin-jp.onmicrosoft.com",
        company: "Tailspin 株式会社",
        country: "JP",
        culture: "ja-JP",
        contact: ("小林", "花子", "hanako.kobayashi@tailspin.example", None),
        confirmations: &[(Cloud, "2019-03-01"), (Customer_, "2020-01-20")],
        direct: None,
        pending: false,
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
        direct: None,
        pending: false,
    },
    Demo {
        id: "5e1f8b9d-0a6c-4d4f-8b7e-2c6d8f0a4b06",
        domain: "adatum-es.onmicrosoft.com",
        company: "Adatum Ibérica",
        country: "ES",
        culture: "es-ES",
        contact: ("José", "Núñez", "jose.nunez@adatum.example", None),
        confirmations: &[],
        direct: None,
        pending: false,
    },
    Demo {
        id: "6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07",
        domain: "treyresearch-au.onmicrosoft.com",
        company: "Trey Research",
        country: "AU",
        culture: "en-AU",
        contact: ("Mia", "Wong", "mia.wong@treyresearch.example", None),
        // Attested before the refresh: re-acceptance needed from the legacy retirement on.
        confirmations: &[(Customer_, "2022-09-15")],
        direct: None,
        pending: false,
    },
    Demo {
        id: "7a3b0d1f-2c8e-4f6b-8d9a-4e8f0b2c6d08",
        domain: "litware-gb.onmicrosoft.com",
        company: "Litware Ltd",
        country: "GB",
        culture: "en-GB",
        contact: ("Oliver", "Hughes", "oliver.hughes@litware.example", None),
        // Attested after the refresh: counts today.
        confirmations: &[(Customer_, "2023-06-12")],
        direct: None,
        pending: false,
    },
    Demo {
        id: "8b4c1e2a-3d9f-4a7c-9e0b-5f9a1c3d7e09",
        domain: "proseware-nl.onmicrosoft.com",
        company: "Proseware B.V.",
        country: "NL",
        culture: "nl-NL",
        contact: ("Daan", "de Vries", "daan.devries@proseware.example", None),
        confirmations: &[],
        // Accepted in the Microsoft 365 admin center.
        direct: Some("2024-03-01"),
        pending: false,
    },
    Demo {
        id: "9c5d2f3b-4e0a-4b8d-8f1c-6a0b2d4e8f10",
        domain: "lucerne-it.onmicrosoft.com",
        company: "Lucerne Publishing",
        country: "IT",
        culture: "it-IT",
        contact: ("Giulia", "Rossi", "giulia.rossi@lucerne.example", None),
        confirmations: &[],
        direct: None,
        // Sent for acceptance, not accepted yet.
        pending: true,
    },
];

/// The id of the seeded customer of a country (FR, DE, US, JP, CA, ES, AU, GB, NL, IT).
pub fn demo_customer_id(country: &str) -> Option<&'static str> {
    DEMO.iter().find(|d| d.country == country).map(|d| d.id)
}

/// The seeded attestation waiting for the customer's acceptance.
pub const PENDING_ATTESTATION_ID: &str = "5b1e8f0a-6c2d-4e9b-a7f3-0d4c6e8a2b11";

/// Adds the demo customers when the database has no customer yet, on the sandbox's day
/// `today` (Lucerne's attestation was sent two days before, its link working `link_days`).
/// Returns how many it added. Lucerne's attestation is in the ledger too, as the portal that
/// sent it would have kept it.
pub fn seed_demo(db: &Connection, today: NaiveDate, link_days: u32) -> rusqlite::Result<usize> {
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
        if let Some(day) = demo.direct {
            store::insert_direct_acceptance(db, demo.id, day)?;
        }
        if demo.pending {
            let request = AttestationRequest {
                customer_id: String::new(),
                country: demo.country.into(),
                language: "en-US".into(),
                company_name: demo.company.into(),
                first_name: first_name.into(),
                last_name: last_name.into(),
                email: email.into(),
                phone_number: phone.map(Into::into),
            };
            let sent = Instant::start_of(today)
                .plus_days(-2)
                .plus_seconds(9 * 3600);
            let expires = sent.plus_days(i64::from(link_days));
            store::insert_attestation(
                db,
                &store::StoredAttestation {
                    id: PENDING_ATTESTATION_ID.into(),
                    customer_id: None,
                    status: AttestationStatus::Pending.as_str().into(),
                    request: serde_json::to_string(&request).expect("requests serialize"),
                    created_on: sent.format(),
                    accepted_on: None,
                    expires_on: Some(expires.format()),
                },
            )?;
            let answer = Attestation {
                attestation_id: PENDING_ATTESTATION_ID.into(),
                acceptance_url: String::new(),
                status: AttestationStatus::Pending,
                raw_status: None,
                created_at: Some(sent),
                expires_at: Some(expires),
            };
            let record = LedgerRecord {
                version: 1,
                ..LedgerRecord::created(
                    demo.id,
                    &answer,
                    None,
                    Some(demo.company.into()),
                    Some("demo".into()),
                    sent,
                )
            };
            let text = serde_json::to_string(&record).expect("records serialize");
            store::put_ledger_record(db, PENDING_ATTESTATION_ID, demo.id, 1, &text, &now)?;
        }
    }
    Ok(DEMO.len())
}
