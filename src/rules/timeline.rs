//! The transition timeline as data (SPEC §2): the dates of a policy, the built-in default, a
//! policy read from JSON, and the milestones drawn from it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::rules::agreement::{Channel, Environment};
use crate::rules::date::{format_date, parse_date, write_day};

/// The dates the rules reason about. Every milestone of the timeline is one of these fields, so a
/// portal overrides the timeline by giving its own values (in JSON: the same camelCase names and
/// `YYYY-MM-DD` strings; a field left out keeps its default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Customer Agreement confirmable in the sandbox dashboard.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_dashboard_preview: NaiveDate,
    /// ... through the REST API in the sandbox.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_api_preview: NaiveDate,
    /// ... through the .NET SDK in the sandbox.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_sdk_preview: NaiveDate,
    /// Customer Agreement available in production; new offers (Azure plan) require it.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub production_available: NaiveDate,
    /// The Cloud Agreement's last acceptable day (inclusive; the day of the
    /// `cloud-agreement-retired` milestone). From the next day on it is no longer accepted.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub cloud_agreement_last_day: NaiveDate,
    /// Customers may accept the Customer Agreement themselves in the Microsoft 365 admin center
    /// (customer direct acceptance).
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub customer_direct_acceptance: NaiveDate,
    /// The refreshed Customer Agreement: partner attestations dated before it are pre-refresh.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub mca_refresh: NaiveDate,
    /// The enhanced attestation flow in the sandbox.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub enhanced_attestation_sandbox: NaiveDate,
    /// The enhanced attestation flow in production.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub enhanced_attestation_production: NaiveDate,
    /// The legacy attestation POST retired (with the dashboard attestation and the bulk tool):
    /// new attestations go through the enhanced flow, and pre-refresh partner attestations no
    /// longer count for new orders and seat changes.
    #[serde(serialize_with = "write_day")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub legacy_attestation_retired: NaiveDate,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid built-in date"),
    }
}

impl Policy {
    /// The built-in policy (SPEC §2 and §6). Sources: the product page's table for 2019–2020;
    /// for the rest, `partner-center-2025-2026.md` of the reference notes: direct acceptance
    /// from Partner Center's documentation history, the refresh from partners' and
    /// distributors' notices (third parties), the enhanced flow's sandbox and production dates
    /// and the retirement from learn.microsoft.com's "Confirm customer acceptance" page.
    pub const DEFAULT: Policy = Policy {
        sandbox_dashboard_preview: ymd(2019, 8, 1),
        sandbox_api_preview: ymd(2019, 9, 3),
        sandbox_sdk_preview: ymd(2019, 9, 20),
        production_available: ymd(2019, 10, 1),
        cloud_agreement_last_day: ymd(2020, 1, 31),
        customer_direct_acceptance: ymd(2020, 2, 3),
        mca_refresh: ymd(2023, 4, 1),
        enhanced_attestation_sandbox: ymd(2025, 4, 11),
        enhanced_attestation_production: ymd(2025, 7, 10),
        legacy_attestation_retired: ymd(2026, 1, 5),
    };

    /// Reads a policy from JSON (fields left out or `null` keep their defaults) and checks it.
    pub fn from_json(json: &str) -> Result<Policy, PolicyError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| PolicyError::Json(e.to_string()))?;
        let Some(object) = value.as_object() else {
            return Err(PolicyError::Json("expected an object".into()));
        };
        let mut entries = Vec::new();
        for (name, value) in object {
            let text = match value {
                serde_json::Value::Null => None,
                serde_json::Value::String(text) => Some(text.as_str()),
                _ => {
                    return Err(PolicyError::Json(crate::text!(
                        name,
                        ": expected a date string"
                    )))
                }
            };
            entries.push((name.as_str(), text));
        }
        Policy::with_overrides(entries)
    }

    /// The built-in policy with some dates replaced, by JSON name (`None` keeps the default),
    /// checked. The one reader of policies: JSON files and JavaScript objects both come here.
    pub fn with_overrides<'a>(
        entries: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<Policy, PolicyError> {
        let mut policy = Policy::DEFAULT;
        for (name, value) in entries {
            let slot = policy
                .field_mut(name)
                .ok_or_else(|| PolicyError::UnknownField(name.to_string()))?;
            if let Some(text) = value {
                *slot = parse_date(text).ok_or_else(|| PolicyError::InvalidDate {
                    field: name.to_string(),
                    value: text.to_string(),
                })?;
            }
        }
        policy.check()
    }

    /// Checks that the dates are in an order the rules can reason about: every sandbox preview
    /// no later than production availability, which is no later than the Cloud Agreement's
    /// last day, direct acceptance or the refresh; the enhanced flow in the sandbox no later
    /// than in production, which (with the refresh) is no later than the legacy retirement, so
    /// that there is always a route to confirm.
    pub fn check(self) -> Result<Policy, PolicyError> {
        use MilestoneId as M;
        const ORDER: [(MilestoneId, MilestoneId); 9] = [
            (M::SandboxDashboardPreview, M::ProductionAvailable),
            (M::SandboxApiPreview, M::ProductionAvailable),
            (M::SandboxSdkPreview, M::ProductionAvailable),
            (M::ProductionAvailable, M::CloudAgreementRetired),
            (M::ProductionAvailable, M::CustomerDirectAcceptance),
            (M::ProductionAvailable, M::McaRefresh),
            (
                M::EnhancedAttestationSandbox,
                M::EnhancedAttestationProduction,
            ),
            (
                M::EnhancedAttestationProduction,
                M::LegacyAttestationRetired,
            ),
            (M::McaRefresh, M::LegacyAttestationRetired),
        ];
        for (earlier, later) in ORDER {
            if self.date_of(earlier) > self.date_of(later) {
                return Err(PolicyError::Order {
                    earlier: Policy::FIELDS[earlier as usize],
                    later: Policy::FIELDS[later as usize],
                });
            }
        }
        Ok(self)
    }

    /// The names of the policy's fields (camelCase, as in JSON), in the order of the
    /// milestones they date.
    pub const FIELDS: [&'static str; 10] = [
        "sandboxDashboardPreview",
        "sandboxApiPreview",
        "sandboxSdkPreview",
        "productionAvailable",
        "cloudAgreementLastDay",
        "customerDirectAcceptance",
        "mcaRefresh",
        "enhancedAttestationSandbox",
        "enhancedAttestationProduction",
        "legacyAttestationRetired",
    ];

    /// The date of a field, by its JSON name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut NaiveDate> {
        let at = Policy::FIELDS.iter().position(|field| *field == name)?;
        Some(self.slot(MilestoneId::ALL[at]))
    }

    fn slot(&mut self, id: MilestoneId) -> &mut NaiveDate {
        match id {
            MilestoneId::SandboxDashboardPreview => &mut self.sandbox_dashboard_preview,
            MilestoneId::SandboxApiPreview => &mut self.sandbox_api_preview,
            MilestoneId::SandboxSdkPreview => &mut self.sandbox_sdk_preview,
            MilestoneId::ProductionAvailable => &mut self.production_available,
            MilestoneId::CloudAgreementRetired => &mut self.cloud_agreement_last_day,
            MilestoneId::CustomerDirectAcceptance => &mut self.customer_direct_acceptance,
            MilestoneId::McaRefresh => &mut self.mca_refresh,
            MilestoneId::EnhancedAttestationSandbox => &mut self.enhanced_attestation_sandbox,
            MilestoneId::EnhancedAttestationProduction => &mut self.enhanced_attestation_production,
            MilestoneId::LegacyAttestationRetired => &mut self.legacy_attestation_retired,
        }
    }

    /// The first day the Customer Agreement can be confirmed in this environment and channel.
    pub fn customer_agreement_from(&self, environment: Environment, channel: Channel) -> NaiveDate {
        match environment {
            Environment::Production => self.production_available,
            Environment::Sandbox => match channel {
                Channel::Dashboard => self.sandbox_dashboard_preview,
                Channel::Api => self.sandbox_api_preview,
                Channel::Sdk => self.sandbox_sdk_preview,
            },
        }
    }

    /// The sandbox preview milestone of a channel.
    pub fn preview_milestone(channel: Channel) -> MilestoneId {
        match channel {
            Channel::Dashboard => MilestoneId::SandboxDashboardPreview,
            Channel::Api => MilestoneId::SandboxApiPreview,
            Channel::Sdk => MilestoneId::SandboxSdkPreview,
        }
    }

    /// The date of a milestone in this policy.
    pub fn date_of(&self, id: MilestoneId) -> NaiveDate {
        let mut policy = *self;
        *policy.slot(id)
    }

    /// The first day the enhanced attestation flow is offered in this environment.
    pub fn enhanced_from(&self, environment: Environment) -> NaiveDate {
        match environment {
            Environment::Production => self.enhanced_attestation_production,
            Environment::Sandbox => self.enhanced_attestation_sandbox,
        }
    }

    /// The milestones of this policy, in the order of the product page's table.
    pub fn milestones(&self) -> impl Iterator<Item = Milestone> + '_ {
        MilestoneId::ALL.iter().map(|&id| Milestone {
            id,
            date: self.date_of(id),
            scope: id.scope(),
        })
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::DEFAULT
    }
}

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// Not JSON, or not an object of strings.
    Json(String),
    /// A field the policy does not have.
    UnknownField(String),
    /// A date that is not `YYYY-MM-DD`.
    InvalidDate {
        /// The field's JSON name.
        field: String,
        /// The text given.
        value: String,
    },
    /// Two milestones in the wrong order.
    Order {
        /// The field that must come first.
        earlier: &'static str,
        /// The field that must come later.
        later: &'static str,
    },
}

impl crate::piece::Piece for PolicyError {
    fn put(&self, out: &mut String) {
        out.push_str(&match self {
            PolicyError::Json(why) => {
                crate::text!("policy is not valid JSON of the expected shape: ", why)
            }
            PolicyError::UnknownField(name) => crate::text!("unknown field \"", name, "\""),
            PolicyError::InvalidDate { field, value } => crate::text!(
                field,
                ": \"",
                value,
                "\" is not a calendar date written YYYY-MM-DD"
            ),
            PolicyError::Order { earlier, later } => crate::text!(
                "policy dates out of order: ",
                earlier,
                " must not be after ",
                later
            ),
        });
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text!(self))
    }
}

impl std::error::Error for PolicyError {}

crate::wire_enum! {
    /// The milestones of the timeline (stable ids).
    pub enum MilestoneId {
        SandboxDashboardPreview = "sandbox-dashboard-preview",
        SandboxApiPreview = "sandbox-api-preview",
        SandboxSdkPreview = "sandbox-sdk-preview",
        ProductionAvailable = "production-available",
        CloudAgreementRetired = "cloud-agreement-retired",
        CustomerDirectAcceptance = "customer-direct-acceptance",
        McaRefresh = "mca-refresh",
        EnhancedAttestationSandbox = "enhanced-attestation-sandbox",
        EnhancedAttestationProduction = "enhanced-attestation-production",
        LegacyAttestationRetired = "legacy-attestation-retired",
    }
}

impl MilestoneId {
    /// Where the milestone applies.
    pub fn scope(self) -> MilestoneScope {
        match self {
            MilestoneId::SandboxDashboardPreview
            | MilestoneId::SandboxApiPreview
            | MilestoneId::SandboxSdkPreview
            | MilestoneId::EnhancedAttestationSandbox => MilestoneScope::Sandbox,
            MilestoneId::ProductionAvailable
            | MilestoneId::CustomerDirectAcceptance
            | MilestoneId::EnhancedAttestationProduction => MilestoneScope::Production,
            MilestoneId::CloudAgreementRetired
            | MilestoneId::McaRefresh
            | MilestoneId::LegacyAttestationRetired => MilestoneScope::Both,
        }
    }
}

crate::wire_enum! {
    /// The environment(s) a milestone concerns.
    pub enum MilestoneScope {
        Sandbox = "sandbox",
        Production = "production",
        Both = "both",
    }
}

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milestone {
    /// Which milestone.
    pub id: MilestoneId,
    /// Its day.
    pub date: NaiveDate,
    /// Where it applies.
    pub scope: MilestoneScope,
}

impl Milestone {
    /// The date as `YYYY-MM-DD`.
    pub fn date_string(&self) -> String {
        format_date(self.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_the_spec_table() {
        let rows: Vec<(&str, String, MilestoneScope)> = Policy::DEFAULT
            .milestones()
            .map(|m| (m.id.as_str(), m.date_string(), m.scope))
            .collect();
        use MilestoneScope::*;
        let expected = [
            ("sandbox-dashboard-preview", "2019-08-01", Sandbox),
            ("sandbox-api-preview", "2019-09-03", Sandbox),
            ("sandbox-sdk-preview", "2019-09-20", Sandbox),
            ("production-available", "2019-10-01", Production),
            ("cloud-agreement-retired", "2020-01-31", Both),
            ("customer-direct-acceptance", "2020-02-03", Production),
            ("mca-refresh", "2023-04-01", Both),
            ("enhanced-attestation-sandbox", "2025-04-11", Sandbox),
            ("enhanced-attestation-production", "2025-07-10", Production),
            ("legacy-attestation-retired", "2026-01-05", Both),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|&(id, date, scope)| (id, date.to_string(), scope))
            .collect();
        assert_eq!(rows, expected);
        assert_eq!(Policy::DEFAULT.check(), Ok(Policy::DEFAULT));
    }

    #[test]
    fn every_field_names_its_milestone() {
        let mut policy = Policy::DEFAULT;
        for (&id, name) in MilestoneId::ALL.iter().zip(Policy::FIELDS) {
            let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            *policy.field_mut(name).unwrap() = day;
            assert_eq!(policy.date_of(id), day, "{name}");
        }
        assert_eq!(Policy::FIELDS.len(), MilestoneId::ALL.len());
    }

    #[test]
    fn policy_json_round_trips_and_overrides() {
        let json = serde_json::to_string(&Policy::DEFAULT).unwrap();
        assert_eq!(
            json,
            r#"{"sandboxDashboardPreview":"2019-08-01","sandboxApiPreview":"2019-09-03","sandboxSdkPreview":"2019-09-20","productionAvailable":"2019-10-01","cloudAgreementLastDay":"2020-01-31","customerDirectAcceptance":"2020-02-03","mcaRefresh":"2023-04-01","enhancedAttestationSandbox":"2025-04-11","enhancedAttestationProduction":"2025-07-10","legacyAttestationRetired":"2026-01-05"}"#
        );
        assert_eq!(Policy::from_json(&json), Ok(Policy::DEFAULT));

        let later = Policy::from_json(r#"{"cloudAgreementLastDay":"2020-02-29"}"#).unwrap();
        assert_eq!(
            later.cloud_agreement_last_day,
            NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()
        );
        assert_eq!(
            later.production_available,
            Policy::DEFAULT.production_available
        );

        assert_eq!(Policy::from_json("{}"), Ok(Policy::DEFAULT));
    }

    #[test]
    fn bad_policies_are_refused() {
        for json in [
            r#"{"cloudAgreementLastDay":"2020-02-30"}"#,
            r#"{"cloudAgreementLastDay":"31/01/2020"}"#,
            r#"{"cloudAgreementLastDay":20200131}"#,
            r#"{"cloudAgreementLastDate":"2020-01-31"}"#,
            "[]",
            "not json",
        ] {
            assert!(
                matches!(
                    Policy::from_json(json),
                    Err(PolicyError::Json(_)
                        | PolicyError::InvalidDate { .. }
                        | PolicyError::UnknownField(_))
                ),
                "{json}"
            );
        }
        assert_eq!(
            Policy::from_json(r#"{"cloudAgreementLastDay":"2019-09-30"}"#),
            Err(PolicyError::Order {
                earlier: "productionAvailable",
                later: "cloudAgreementLastDay"
            })
        );
        assert_eq!(
            Policy::from_json(r#"{"sandboxSdkPreview":"2019-10-02"}"#),
            Err(PolicyError::Order {
                earlier: "sandboxSdkPreview",
                later: "productionAvailable"
            })
        );
    }

    #[test]
    fn customer_agreement_start_per_environment_and_channel() {
        let p = Policy::DEFAULT;
        for (environment, channel, day) in [
            (Environment::Production, Channel::Dashboard, "2019-10-01"),
            (Environment::Production, Channel::Sdk, "2019-10-01"),
            (Environment::Sandbox, Channel::Dashboard, "2019-08-01"),
            (Environment::Sandbox, Channel::Api, "2019-09-03"),
            (Environment::Sandbox, Channel::Sdk, "2019-09-20"),
        ] {
            assert_eq!(
                p.customer_agreement_from(environment, channel),
                parse_date(day).unwrap(),
                "{environment:?} {channel:?}"
            );
        }
    }
}
