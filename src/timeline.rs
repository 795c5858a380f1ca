//! The transition timeline as data (SPEC §2): the dates of a policy, the built-in default, a
//! policy read from JSON, and the milestones drawn from it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::agreement::{Channel, Environment};
use crate::date::{format_date, parse_date};

/// The dates the rules reason about. Every milestone of the timeline is one of these fields, so a
/// portal overrides the timeline by giving its own values (in JSON: the same camelCase names and
/// `YYYY-MM-DD` strings; a field left out keeps its default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Customer Agreement confirmable in the sandbox dashboard.
    #[serde(with = "iso_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_dashboard_preview: NaiveDate,
    /// ... through the REST API in the sandbox.
    #[serde(with = "iso_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_api_preview: NaiveDate,
    /// ... through the .NET SDK in the sandbox.
    #[serde(with = "iso_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub sandbox_sdk_preview: NaiveDate,
    /// Customer Agreement available in production; new offers (Azure plan) require it.
    #[serde(with = "iso_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub production_available: NaiveDate,
    /// The Cloud Agreement's last acceptable day (inclusive; the day of the
    /// `cloud-agreement-retired` milestone). From the next day on it is no longer accepted.
    #[serde(with = "iso_date")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
    pub cloud_agreement_last_day: NaiveDate,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid built-in date"),
    }
}

impl Policy {
    /// The built-in policy, from the product page's table (SPEC §2).
    pub const DEFAULT: Policy = Policy {
        sandbox_dashboard_preview: ymd(2019, 8, 1),
        sandbox_api_preview: ymd(2019, 9, 3),
        sandbox_sdk_preview: ymd(2019, 9, 20),
        production_available: ymd(2019, 10, 1),
        cloud_agreement_last_day: ymd(2020, 1, 31),
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
                _ => return Err(PolicyError::Json(format!("{name}: expected a date string"))),
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
    /// no later than production availability, which is no later than the Cloud Agreement's last day.
    pub fn check(self) -> Result<Policy, PolicyError> {
        for (name, date) in [
            ("sandboxDashboardPreview", self.sandbox_dashboard_preview),
            ("sandboxApiPreview", self.sandbox_api_preview),
            ("sandboxSdkPreview", self.sandbox_sdk_preview),
        ] {
            if date > self.production_available {
                return Err(PolicyError::Order {
                    earlier: name,
                    later: "productionAvailable",
                });
            }
        }
        if self.production_available > self.cloud_agreement_last_day {
            return Err(PolicyError::Order {
                earlier: "productionAvailable",
                later: "cloudAgreementLastDay",
            });
        }
        Ok(self)
    }

    /// The names of the policy's fields (camelCase, as in JSON).
    pub const FIELDS: [&'static str; 5] = [
        "sandboxDashboardPreview",
        "sandboxApiPreview",
        "sandboxSdkPreview",
        "productionAvailable",
        "cloudAgreementLastDay",
    ];

    /// The date of a field, by its JSON name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut NaiveDate> {
        Some(match name {
            "sandboxDashboardPreview" => &mut self.sandbox_dashboard_preview,
            "sandboxApiPreview" => &mut self.sandbox_api_preview,
            "sandboxSdkPreview" => &mut self.sandbox_sdk_preview,
            "productionAvailable" => &mut self.production_available,
            "cloudAgreementLastDay" => &mut self.cloud_agreement_last_day,
            _ => return None,
        })
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
        match id {
            MilestoneId::SandboxDashboardPreview => self.sandbox_dashboard_preview,
            MilestoneId::SandboxApiPreview => self.sandbox_api_preview,
            MilestoneId::SandboxSdkPreview => self.sandbox_sdk_preview,
            MilestoneId::ProductionAvailable => self.production_available,
            MilestoneId::CloudAgreementRetired => self.cloud_agreement_last_day,
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

/// The serde shape of the policy, for the tests that compare it with the readers of the
/// bindings: the same rules as `from_json`.
#[cfg(feature = "shape-check")]
impl<'de> serde::Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Policy::from_json(&value.to_string()).map_err(serde::de::Error::custom)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::DEFAULT
    }
}

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not JSON, or not an object of strings.
    #[error("policy is not valid JSON of the expected shape: {0}")]
    Json(String),
    /// A field the policy does not have.
    #[error("unknown field \"{0}\"")]
    UnknownField(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("{field}: \"{value}\" is not a calendar date written YYYY-MM-DD")]
    InvalidDate {
        /// The field's JSON name.
        field: String,
        /// The text given.
        value: String,
    },
    #[error("policy dates out of order: {earlier} must not be after {later}")]
    /// Two milestones in the wrong order.
    Order {
        /// The field that must come first.
        earlier: &'static str,
        /// The field that must come later.
        later: &'static str,
    },
}

crate::wire_enum! {
    /// The milestones of the timeline (stable ids).
    pub enum MilestoneId {
        SandboxDashboardPreview = "sandbox-dashboard-preview",
        SandboxApiPreview = "sandbox-api-preview",
        SandboxSdkPreview = "sandbox-sdk-preview",
        ProductionAvailable = "production-available",
        CloudAgreementRetired = "cloud-agreement-retired",
    }
}

impl MilestoneId {
    /// Where the milestone applies.
    pub fn scope(self) -> MilestoneScope {
        match self {
            MilestoneId::SandboxDashboardPreview
            | MilestoneId::SandboxApiPreview
            | MilestoneId::SandboxSdkPreview => MilestoneScope::Sandbox,
            MilestoneId::ProductionAvailable => MilestoneScope::Production,
            MilestoneId::CloudAgreementRetired => MilestoneScope::Both,
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

/// Serde helper: a `NaiveDate` written as `YYYY-MM-DD`.
pub(crate) mod iso_date {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*date))
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
        assert_eq!(
            rows,
            vec![
                (
                    "sandbox-dashboard-preview",
                    "2019-08-01".to_string(),
                    MilestoneScope::Sandbox
                ),
                (
                    "sandbox-api-preview",
                    "2019-09-03".to_string(),
                    MilestoneScope::Sandbox
                ),
                (
                    "sandbox-sdk-preview",
                    "2019-09-20".to_string(),
                    MilestoneScope::Sandbox
                ),
                (
                    "production-available",
                    "2019-10-01".to_string(),
                    MilestoneScope::Production
                ),
                (
                    "cloud-agreement-retired",
                    "2020-01-31".to_string(),
                    MilestoneScope::Both
                ),
            ]
        );
        assert_eq!(Policy::DEFAULT.check(), Ok(Policy::DEFAULT));
    }

    #[test]
    fn policy_json_round_trips_and_overrides() {
        let json = serde_json::to_string(&Policy::DEFAULT).unwrap();
        assert_eq!(
            json,
            r#"{"sandboxDashboardPreview":"2019-08-01","sandboxApiPreview":"2019-09-03","sandboxSdkPreview":"2019-09-20","productionAvailable":"2019-10-01","cloudAgreementLastDay":"2020-01-31"}"#
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
        let d = |s| parse_date(s).unwrap();
        assert_eq!(
            p.customer_agreement_from(Environment::Production, Channel::Dashboard),
            d("2019-10-01")
        );
        assert_eq!(
            p.customer_agreement_from(Environment::Production, Channel::Sdk),
            d("2019-10-01")
        );
        assert_eq!(
            p.customer_agreement_from(Environment::Sandbox, Channel::Dashboard),
            d("2019-08-01")
        );
        assert_eq!(
            p.customer_agreement_from(Environment::Sandbox, Channel::Api),
            d("2019-09-03")
        );
        assert_eq!(
            p.customer_agreement_from(Environment::Sandbox, Channel::Sdk),
            d("2019-09-20")
        );
    }
}
