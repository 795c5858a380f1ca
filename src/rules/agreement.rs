//! The two agreements, their template ids and links, and the environments and channels in which
//! a confirmation can be made.

crate::wire_enum! {
    /// An agreement a customer can accept. The wire values are the Partner Center ones.
    pub enum AgreementType {
        /// The older agreement, retired from the CSP program after 2020-01-31 (by default).
        MicrosoftCloudAgreement = "MicrosoftCloudAgreement",
        /// The agreement that replaced it (production from 2019-10-01).
        MicrosoftCustomerAgreement = "MicrosoftCustomerAgreement",
    }
}

impl AgreementType {
    /// The well-known production template of this agreement (SPEC §1). A client with a backend
    /// should prefer the templateId returned by `GET /v1/agreements?agreementType=...`.
    pub fn default_template(self) -> Template {
        match self {
            AgreementType::MicrosoftCloudAgreement => Template {
                agreement_type: self,
                template_id: "998b88de-aa99-4388-a42c-1b3517d49490",
                agreement_link: "https://learn.microsoft.com/partner-center/agreements",
            },
            AgreementType::MicrosoftCustomerAgreement => Template {
                agreement_type: self,
                template_id: "117a77b0-9360-443b-8795-c6dedc750cf9",
                agreement_link: "https://aka.ms/customeragreement",
            },
        }
    }

    /// Its position in [`AgreementType::ALL`] (tables by agreement).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The agreement whose well-known template id this is (case-insensitive).
    pub fn of_known_template(template_id: &str) -> Option<AgreementType> {
        AgreementType::ALL.iter().copied().find(|t| {
            t.default_template()
                .template_id
                .eq_ignore_ascii_case(template_id.trim())
        })
    }
}

/// A template of an agreement: the id sent in a confirmation, and the link to its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The agreement.
    pub agreement_type: AgreementType,
    /// Its template id (SPEC §1).
    pub template_id: &'static str,
    /// Where its text can be read.
    pub agreement_link: &'static str,
}

crate::wire_enum! {
    /// Where the partner works: the CSP sandbox (integration sandbox) or production.
    #[derive(Default)]
    pub enum Environment {
        #[default]
        Production = "production",
        Sandbox = "sandbox",
    }
}

crate::wire_enum! {
    /// How the partner confirms: in the Partner Center dashboard, through the REST API or through
    /// the .NET SDK. Only the sandbox previews depend on it.
    #[derive(Default)]
    pub enum Channel {
        #[default]
        Dashboard = "dashboard",
        Api = "api",
        Sdk = "sdk",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip() {
        for &t in AgreementType::ALL {
            assert_eq!(AgreementType::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        assert_eq!(AgreementType::parse("microsoftcustomeragreement"), None);
        assert_eq!(AgreementType::parse(""), None);
    }

    #[test]
    fn templates_of_spec_section_1() {
        let cloud = AgreementType::MicrosoftCloudAgreement.default_template();
        assert_eq!(cloud.template_id, "998b88de-aa99-4388-a42c-1b3517d49490");
        assert_eq!(
            cloud.agreement_link,
            "https://learn.microsoft.com/partner-center/agreements"
        );
        let customer = AgreementType::MicrosoftCustomerAgreement.default_template();
        assert_eq!(customer.template_id, "117a77b0-9360-443b-8795-c6dedc750cf9");
        assert_eq!(customer.agreement_link, "https://aka.ms/customeragreement");
        assert_eq!(
            AgreementType::of_known_template("117A77B0-9360-443B-8795-C6DEDC750CF9"),
            Some(AgreementType::MicrosoftCustomerAgreement)
        );
        assert_eq!(
            AgreementType::of_known_template("00000000-0000-0000-0000-000000000000"),
            None
        );
    }
}
