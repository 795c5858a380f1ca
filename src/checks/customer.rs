//! A new customer's account information (the new-customer flow): company, domain, country and
//! primary contact. The sandbox server checks a created customer with the same function.

use serde::{Deserialize, Serialize};

use crate::checks::fields::{check_email, check_name, check_phone, is_valid_domain};
use crate::checks::issues::{Field, Issue, Problem};
use crate::rules::countries;

/// The account information as typed; values are trimmed before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerForm {
    /// The customer's company name.
    pub company_name: String,
    /// The domain prefix (`contoso` of `contoso.onmicrosoft.com`).
    pub domain: String,
    /// Billing country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The contact's first name.
    pub first_name: String,
    /// The contact's last name.
    pub last_name: String,
    /// The contact's email address.
    pub email: String,
    /// The contact's phone number (may be empty).
    pub phone_number: String,
}

/// Every problem of the account information.
pub fn validate_customer(form: &CustomerForm) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut add = |field, problems: Vec<Problem>| {
        issues.extend(problems.into_iter().map(|p| Issue::new(field, p)))
    };
    add(Field::CompanyName, check_name(form.company_name.trim()));
    add(Field::Domain, check_domain(form.domain.trim()));
    add(
        Field::Country,
        match form.country.trim() {
            "" => vec![Problem::Required {}],
            code if countries::find(code).is_none() => vec![Problem::UnknownCountry {}],
            _ => vec![],
        },
    );
    add(Field::FirstName, check_name(form.first_name.trim()));
    add(Field::LastName, check_name(form.last_name.trim()));
    add(Field::Email, check_email(form.email.trim()));
    add(Field::PhoneNumber, check_phone(form.phone_number.trim()));
    issues
}

/// The body of `POST /v1/customers` for a valid form (values trimmed, country upper case).
pub fn customer_payload(form: &CustomerForm) -> Option<NewCustomer> {
    if !validate_customer(form).is_empty() {
        return None;
    }
    let phone = form.phone_number.trim();
    Some(NewCustomer {
        company_profile: CompanyProfile {
            domain: full_domain(&form.domain).to_ascii_lowercase(),
        },
        billing_profile: BillingProfile {
            company_name: form.company_name.trim().into(),
            email: form.email.trim().into(),
            culture: None,
            default_address: Address {
                country: countries::find(&form.country)?.code.into(),
                first_name: form.first_name.trim().into(),
                last_name: form.last_name.trim().into(),
                phone_number: (!phone.is_empty()).then(|| phone.into()),
            },
        },
    })
}

/// The body of `POST /v1/customers` (the parts of Partner Center's Customer the flow needs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    /// The customer's domain.
    pub company_profile: CompanyProfile,
    /// The company's name, its contact and address.
    pub billing_profile: BillingProfile,
}

impl NewCustomer {
    /// The account information this body carries, to check it as the form is checked.
    pub fn form(&self) -> CustomerForm {
        let billing = &self.billing_profile;
        let address = &billing.default_address;
        CustomerForm {
            company_name: billing.company_name.clone(),
            domain: self.company_profile.domain.clone(),
            country: address.country.clone(),
            first_name: address.first_name.clone(),
            last_name: address.last_name.clone(),
            email: billing.email.clone(),
            phone_number: address.phone_number.clone().unwrap_or_default(),
        }
    }
}

/// The company profile of a new customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct CompanyProfile {
    /// `contoso.onmicrosoft.com`.
    pub domain: String,
}

/// The billing profile of a new customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BillingProfile {
    /// The company's name.
    pub company_name: String,
    /// The contact's email address.
    pub email: String,
    /// The customer's language (one of the template languages, `fr-FR`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub culture: Option<String>,
    /// The address and its contact.
    pub default_address: Address,
}

/// A new customer's address and contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The country code, upper case.
    pub country: String,
    /// The contact's first name.
    pub first_name: String,
    /// The contact's last name.
    pub last_name: String,
    /// The contact's phone number, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_number: Option<String>,
}

/// The domain a partner means: a bare prefix (`contoso`) is completed to
/// `contoso.onmicrosoft.com`, as Partner Center completes it; anything else is as typed.
pub fn full_domain(domain: &str) -> String {
    let domain = domain.trim();
    if !domain.is_empty() && !domain.contains('.') {
        crate::checks::text::join(&[domain, ONMICROSOFT], ".")
    } else {
        domain.to_string()
    }
}

/// The domain Partner Center gives a customer from its prefix.
pub const ONMICROSOFT: &str = "onmicrosoft.com";

/// A customer's domain name: ASCII labels of letters, digits and inner hyphens, at least two
/// (a bare prefix counts with `.onmicrosoft.com`, see `full_domain`).
pub fn check_domain(domain: &str) -> Vec<Problem> {
    let domain = &full_domain(domain);
    if domain.is_empty() {
        vec![Problem::Required {}]
    } else if domain.len() > 253 || !domain.is_ascii() || !is_valid_domain(domain) {
        vec![Problem::InvalidDomain {}]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_information() {
        let good = CustomerForm {
            company_name: "Contoso France".into(),
            domain: "contoso-fr.onmicrosoft.com".into(),
            country: "fr".into(),
            first_name: "Émilie".into(),
            last_name: "Dupré".into(),
            email: "emilie@contoso.fr".into(),
            phone_number: String::new(),
        };
        assert!(validate_customer(&good).is_empty());
        let codes = |form: &CustomerForm| -> Vec<(&str, &str)> {
            validate_customer(form)
                .iter()
                .map(|i| (i.field.as_str(), i.code().as_str()))
                .collect()
        };
        assert_eq!(
            codes(&CustomerForm::default()),
            [
                ("companyName", "required"),
                ("domain", "required"),
                ("country", "required"),
                ("firstName", "required"),
                ("lastName", "required"),
                ("email", "required")
            ]
        );
        for (domain, ok) in [
            ("contoso.com", true),
            ("a-b.c-d.example", true),
            ("contoso", true),
            ("contoso-", false),
            ("-contoso.com", false),
            ("contoso..com", false),
            ("con toso.com", false),
            ("contosö.com", false),
            ("contoso_fr.com", false),
        ] {
            let form = CustomerForm {
                domain: domain.into(),
                ..good.clone()
            };
            assert_eq!(codes(&form).is_empty(), ok, "{domain}");
        }
        // A bare prefix is completed as Partner Center completes it.
        let prefix = CustomerForm {
            domain: " Contoso-FR ".into(),
            ..good.clone()
        };
        let payload = customer_payload(&prefix).unwrap();
        assert_eq!(payload.company_profile.domain, "contoso-fr.onmicrosoft.com");
        let form = CustomerForm {
            country: "ZZ".into(),
            phone_number: "12".into(),
            ..good
        };
        assert_eq!(
            codes(&form),
            [
                ("country", "unknown-country"),
                ("phoneNumber", "invalid-phone")
            ]
        );
    }
}
