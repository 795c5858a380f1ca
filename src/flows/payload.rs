//! The JSON Partner Center exchanges for a confirmation: the body sent to
//! `POST /v1/customers/{customerId}/agreements` (SPEC §4.3) and the agreements read back.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::agreement::AgreementType;
use crate::rules::date::{format_date, parse_agreed_date_time};

pub use crate::checks::schema::Contact;

impl Contact {
    /// The contact as confirmations compare people (`text::PersonKey`).
    pub fn person_key(&self) -> crate::checks::text::PersonKey {
        crate::checks::text::PersonKey::of(
            &self.first_name,
            &self.last_name,
            &self.email,
            self.phone_number.as_deref().unwrap_or(""),
        )
    }
}

/// The body of `POST /v1/customers/{customerId}/agreements`, fields in the documented order.
/// `userId` is never sent: the server derives it from the caller's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AgreementPayload {
    /// The customer's signatory.
    pub primary_contact: Contact,
    /// The agreement's template id.
    pub template_id: String,
    /// Midnight UTC of the day of acceptance: `2019-11-14T00:00:00Z`.
    #[serde(with = "date_time")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub date_agreed: NaiveDate,
    #[serde(rename = "type")]
    /// The agreement type (`type` on the wire).
    pub agreement_type: AgreementType,
}

impl AgreementPayload {
    /// The exact JSON text sent to the backend.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a payload always serializes")
    }
}

/// A confirmation as the backend returns it (`201` of the POST, items of the GET). Accepts
/// `dateAgreed` with or without `Z` and fractional seconds, and `userId: null`; writes
/// `dateAgreed` back as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify, csp_agreements_derive::Readable)
)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    /// The partner user who confirmed (set by the server; may be null).
    pub user_id: Option<String>,
    /// The customer's signatory.
    pub primary_contact: Contact,
    /// The agreement's template id.
    pub template_id: String,
    #[serde(with = "read_back_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    #[cfg_attr(target_arch = "wasm32", read(with = crate::wasm::input::agreed_date))]
    /// The day the customer accepted.
    pub date_agreed: NaiveDate,
    #[serde(rename = "type")]
    /// The agreement type (`type` on the wire).
    pub agreement_type: AgreementType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// Where the agreement's text can be read, when the server says.
    pub agreement_link: Option<String>,
}

/// The answers of Partner Center the flows read, in the parts they use. Fields the answer
/// leaves out read as empty.
pub mod answers {
    use serde::Deserialize;

    use super::Agreement;

    /// `GET /v1/agreements?agreementType=…`: the agreement's metadata.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct Metadata {
        /// The template to confirm with.
        pub template_id: Option<String>,
    }

    /// `GET /v1/customers/{id}/agreements?agreementType=…`: the customer's confirmations.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct AgreementCollection {
        /// Each confirmation recorded.
        pub items: Vec<Agreement>,
    }

    /// `GET /v1/customers/{id}`: what the attestation needs of a customer.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct Customer {
        /// The customer's company.
        pub company_profile: CompanyProfile,
    }

    /// A customer's `companyProfile`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct CompanyProfile {
        /// The company's name, which the attestation names.
        pub company_name: Option<String>,
    }

    /// `GET /v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct DirectAcceptance {
        /// Whether the customer accepted in the Microsoft 365 admin center.
        pub is_signed: Option<bool>,
    }

    /// `GET /v1/agreementtemplates/{id}/document?…`: where the template can be read.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
    #[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
    #[serde(rename_all = "camelCase", default)]
    pub struct TemplateDocument {
        /// The page that shows it.
        pub display_uri: Option<String>,
        /// The file to download.
        pub download_uri: Option<String>,
    }
}

mod date_time {
    use super::*;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        // Without `format!`: its machinery was a thirtieth of a form's check in WebAssembly.
        let mut text = format_date(*date);
        text.push_str("T00:00:00Z");
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        read_back_date::deserialize(d)
    }
}

mod read_back_date {
    use super::*;
    use serde::de::Error;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        parse_agreed_date_time(&text).ok_or_else(|| {
            D::Error::custom(crate::text!("dateAgreed \"", text, "\" is not a date"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tania(phone: Option<&str>) -> Contact {
        Contact {
            first_name: "Tania".into(),
            last_name: "Carr".into(),
            email: "someone@example.com".into(),
            phone_number: phone.map(Into::into),
        }
    }

    #[test]
    fn payload_is_exactly_the_spec_json() {
        let payload = AgreementPayload {
            primary_contact: tania(Some("1234567890")),
            template_id: "117a77b0-9360-443b-8795-c6dedc750cf9".into(),
            date_agreed: NaiveDate::from_ymd_opt(2019, 11, 14).unwrap(),
            agreement_type: AgreementType::MicrosoftCustomerAgreement,
        };
        assert_eq!(
            payload.to_json(),
            r#"{"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":"1234567890"},"templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z","type":"MicrosoftCustomerAgreement"}"#
        );
        let without_phone = AgreementPayload {
            primary_contact: tania(None),
            ..payload
        };
        assert!(!without_phone.to_json().contains("phoneNumber"));
        assert!(!without_phone.to_json().contains("userId"));
    }

    #[test]
    fn agreements_read_back_in_every_documented_form() {
        let items = r#"[
          {"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"SomeEmail@example.com","phoneNumber":"1234567890"},
           "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-08-26T00:00:00",
           "type":"MicrosoftCustomerAgreement","agreementLink":"https://aka.ms/customeragreement"},
          {"userId":null,"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com"},
           "templateId":"998b88de-aa99-4388-a42c-1b3517d49490","dateAgreed":"2018-06-14T00:00:00.000Z",
           "type":"MicrosoftCloudAgreement"},
          {"userId":"3d6f2c09-eb40-48ca-a4b3-d24c9c007531","primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com"},
           "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z",
           "type":"MicrosoftCustomerAgreement"}
        ]"#;
        let agreements: Vec<Agreement> = serde_json::from_str(items).unwrap();
        let dates: Vec<String> = agreements
            .iter()
            .map(|a| format_date(a.date_agreed))
            .collect();
        assert_eq!(dates, ["2019-08-26", "2018-06-14", "2019-11-14"]);
        assert_eq!(agreements[1].user_id, None);
        assert_eq!(
            agreements[1].agreement_type,
            AgreementType::MicrosoftCloudAgreement
        );
        assert_eq!(
            agreements[0].primary_contact.phone_number.as_deref(),
            Some("1234567890")
        );
        assert_eq!(
            agreements[2].user_id.as_deref(),
            Some("3d6f2c09-eb40-48ca-a4b3-d24c9c007531")
        );
        let back = serde_json::to_value(&agreements[0]).unwrap();
        assert_eq!(back["dateAgreed"], "2019-08-26");

        let bad = r#"{"primaryContact":{"firstName":"a","lastName":"b","email":"c@d.e"},"templateId":"x","dateAgreed":"yesterday","type":"MicrosoftCustomerAgreement"}"#;
        assert!(serde_json::from_str::<Agreement>(bad).is_err());
    }
}
