//! Partner Center's REST endpoints, each written once: its method and its path after the API
//! base, query included. The flows and the client build every request they send from here, so
//! that a path Partner Center renames is one line to correct (the enhanced attestation's
//! status read is inferred: see the README's wire names).

use crate::rules::agreement::AgreementType;

/// The enhanced attestations: `POST` creates one (confirmed), `GET` with `/` and its id reads
/// its status (inferred: vendors offer a status read, its path is published nowhere).
const ATTESTATIONS: &str = "/v1/attestations/enhanced";

/// A request's method and path (after the API base, with its query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path and query.
    pub path: String,
}

fn get(path: String) -> Endpoint {
    Endpoint {
        method: "GET",
        path,
    }
}

fn post(path: String) -> Endpoint {
    Endpoint {
        method: "POST",
        path,
    }
}

/// A value in a path or a query, percent-encoded as `encodeURIComponent` does: letters,
/// digits and `-_.!~*'()` as they are, every other byte of its UTF-8 as `%XX`.
fn component(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push('%');
            for nibble in [b >> 4, b & 0xF] {
                encoded.push(char::from(b"0123456789ABCDEF"[usize::from(nibble)]));
            }
        }
    }
    encoded
}

/// `/v1/customers/{id}` and what follows (`rest`, from its `/` or `?`).
fn customer_path(customer: &str, rest: &str) -> String {
    let mut path = String::from("/v1/customers/");
    path.push_str(&component(customer));
    path.push_str(rest);
    path
}

/// `GET`: the agreements' metadata of a type (its item holds the template id).
pub fn agreement_metadata(agreement: AgreementType) -> Endpoint {
    let mut path = String::from("/v1/agreements?agreementType=");
    path.push_str(agreement.as_str());
    get(path)
}

/// `GET`: a customer's confirmations of an agreement type.
pub fn customer_agreements(customer: &str, agreement: AgreementType) -> Endpoint {
    let mut path = customer_path(customer, "/agreements?agreementType=");
    path.push_str(agreement.as_str());
    get(path)
}

/// `POST`: Partner Center's "Create agreement" for a customer: the legacy confirmation with its
/// signatory and date, or the completion of an enhanced attestation with its id.
pub fn create_agreement(customer: &str) -> Endpoint {
    post(customer_path(customer, "/agreements"))
}

/// `GET`: whether the customer accepted the Customer Agreement directly (Microsoft 365 admin
/// center).
pub fn direct_acceptance(customer: &str) -> Endpoint {
    get(customer_path(
        customer,
        "/directSignedMicrosoftCustomerAgreementStatus",
    ))
}

/// `GET`: one customer.
pub fn customer(customer: &str) -> Endpoint {
    get(customer_path(customer, ""))
}

/// `POST`: creates a customer.
pub fn create_customer() -> Endpoint {
    post("/v1/customers".into())
}

/// `GET`: the first page of the partner's customers (`size` at once; the next pages follow
/// the links of each answer).
pub fn customers(size: u32) -> Endpoint {
    let mut path = String::from("/v1/customers?size=");
    crate::piece::Piece::put(&size, &mut path);
    get(path)
}

/// `GET`: a next page of customers, at the path the answer's link gave (`scan::PageLink`).
pub fn next_page(path: String) -> Endpoint {
    get(path)
}

/// `GET`: at most `size` customers whose company name starts with `text`.
pub fn search_customers(text: &str, size: u32) -> Endpoint {
    let mut filter = String::from(r#"{"Field":"CompanyName","Value":"#);
    filter.push_str(&serde_json::to_string(text).unwrap_or_default());
    filter.push_str(r#","Operator":"starts_with"}"#);
    let mut path = String::from("/v1/customers?size=");
    crate::piece::Piece::put(&size, &mut path);
    path.push_str("&filter=");
    path.push_str(&component(&filter));
    get(path)
}

/// `GET`: a download link of an agreement's template for a country, in one of its languages.
pub fn template_document(template_id: &str, country: &str, language: &str) -> Endpoint {
    let mut path = String::from("/v1/agreementtemplates/");
    path.push_str(&component(template_id));
    path.push_str("/document?country=");
    path.push_str(&component(country));
    path.push_str("&language=");
    path.push_str(&component(language));
    get(path)
}

/// `POST`: creates an enhanced attestation (confirmed).
pub fn create_attestation() -> Endpoint {
    post(ATTESTATIONS.into())
}

/// `GET`: an enhanced attestation's status (inferred).
pub fn attestation_status(attestation_id: &str) -> Endpoint {
    let mut path = String::from(ATTESTATIONS);
    path.push('/');
    path.push_str(&component(attestation_id));
    get(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUSTOMER: &str = "0c39d6d5-c70d-4c55-bc02-f620844f3fd1";

    #[test]
    fn every_endpoint_with_its_method_and_path() {
        use AgreementType::*;
        let rows = [
            (agreement_metadata(MicrosoftCustomerAgreement), "GET", "/v1/agreements?agreementType=MicrosoftCustomerAgreement".to_string()),
            (customer_agreements(CUSTOMER, MicrosoftCloudAgreement), "GET", format!("/v1/customers/{CUSTOMER}/agreements?agreementType=MicrosoftCloudAgreement")),
            (create_agreement(CUSTOMER), "POST", format!("/v1/customers/{CUSTOMER}/agreements")),
            (direct_acceptance(CUSTOMER), "GET", format!("/v1/customers/{CUSTOMER}/directSignedMicrosoftCustomerAgreementStatus")),
            (customer(CUSTOMER), "GET", format!("/v1/customers/{CUSTOMER}")),
            (create_customer(), "POST", "/v1/customers".to_string()),
            (customers(200), "GET", "/v1/customers?size=200".to_string()),
            (template_document("117a15ef-a3cb-4f9a-a9ac-b06b2e3c6c15", "FR", "fr-FR"), "GET", "/v1/agreementtemplates/117a15ef-a3cb-4f9a-a9ac-b06b2e3c6c15/document?country=FR&language=fr-FR".to_string()),
            (create_attestation(), "POST", "/v1/attestations/enhanced".to_string()),
            (attestation_status("att-1_x"), "GET", "/v1/attestations/enhanced/att-1_x".to_string()),
        ];
        for (endpoint, method, path) in rows {
            assert_eq!((endpoint.method, endpoint.path), (method, path));
        }
    }

    fn percent_decoded(text: &str) -> String {
        let bytes = text.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_are_encoded_as_encode_uri_component_does() {
        assert_eq!(component("a b/c?d=e&f#g"), "a%20b%2Fc%3Fd%3De%26f%23g");
        assert_eq!(component("-_.!~*'()"), "-_.!~*'()");
        assert_eq!(component("Ibérica"), "Ib%C3%A9rica");
        assert_eq!(customer("../x").path, "/v1/customers/..%2Fx");
        let search = search_customers("Adatum \"Ibérica\" & co", 20);
        let filter = |text| {
            let path = search_customers(text, 1).path;
            let encoded = path.split_once("filter=").unwrap().1.to_string();
            let json = percent_decoded(&encoded);
            serde_json::from_str::<serde_json::Value>(&json).unwrap()["Value"].clone()
        };
        for text in ["a\"b\\c", "tab\there\u{1}\u{1f}", "Ibérica 🙂", ""] {
            assert_eq!(filter(text), serde_json::Value::from(text), "{text:?}");
        }
        assert_eq!(
            search.path,
            "/v1/customers?size=20&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22Adatum%20%5C%22Ib%C3%A9rica%5C%22%20%26%20co%22%2C%22Operator%22%3A%22starts_with%22%7D"
        );
    }
}
