//! Whether an agreement is acceptable on a date, and in which phase of the transition it is
//! (SPEC §2).

use chrono::NaiveDate;

use crate::checks::issues::Problem;
use crate::rules::agreement::{AgreementType, Channel, Environment};
use crate::rules::timeline::{MilestoneId, Policy};

crate::wire_enum! {
    /// Where an agreement stands on a date.
    pub enum Phase {
        /// Not yet confirmable (Customer Agreement before its preview or production date).
        NotYetAvailable = "not-yet-available",
        /// Confirmable in the sandbox before production availability.
        Preview = "preview",
        /// Confirmable, and not being phased out.
        Available = "available",
        /// The Cloud Agreement between the Customer Agreement's arrival and its own last day.
        Transition = "transition",
        /// No longer confirmable (the Cloud Agreement after its last day).
        Retired = "retired",
    }
}

/// The verdict for one agreement on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The agreement asked about.
    pub agreement_type: AgreementType,
    /// The day asked about.
    pub date: NaiveDate,
    /// Whether it can be confirmed that day.
    pub acceptable: bool,
    /// Where it stands in the transition.
    pub phase: Phase,
    /// The milestone the verdict rests on: the one that began the phase, or for
    /// `not-yet-available` the one that will end it. None for the Cloud Agreement before the
    /// transition (nothing in the timeline concerns it yet).
    pub milestone: Option<MilestoneId>,
    /// `last-day-of-transition` on the Cloud Agreement's last day.
    pub warnings: Vec<Problem>,
}

/// The environment, channel and policy a verdict is given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope {
    /// Production or sandbox.
    pub environment: Environment,
    /// Dashboard, API or SDK (the sandbox previews differ).
    pub channel: Channel,
    /// The dates of the timeline.
    pub policy: Policy,
}

/// Whether `agreement` can be confirmed on `date`, and why.
pub fn agreement_status(agreement: AgreementType, date: NaiveDate, scope: &Scope) -> Status {
    let policy = &scope.policy;
    let mut warnings = Vec::new();
    let (acceptable, phase, milestone) = match agreement {
        AgreementType::MicrosoftCloudAgreement => {
            let last_day = policy.cloud_agreement_last_day;
            if date > last_day {
                (
                    false,
                    Phase::Retired,
                    Some(MilestoneId::CloudAgreementRetired),
                )
            } else if date == last_day {
                warnings.push(Problem::LastDayOfTransition { last_day });
                (
                    true,
                    Phase::Transition,
                    Some(MilestoneId::CloudAgreementRetired),
                )
            } else if date >= policy.production_available {
                (
                    true,
                    Phase::Transition,
                    Some(MilestoneId::ProductionAvailable),
                )
            } else {
                (true, Phase::Available, None)
            }
        }
        AgreementType::MicrosoftCustomerAgreement => {
            let production = policy.production_available;
            match scope.environment {
                Environment::Production if date >= production => (
                    true,
                    Phase::Available,
                    Some(MilestoneId::ProductionAvailable),
                ),
                Environment::Production => (
                    false,
                    Phase::NotYetAvailable,
                    Some(MilestoneId::ProductionAvailable),
                ),
                Environment::Sandbox => {
                    let preview = Policy::preview_milestone(scope.channel);
                    let from = policy.customer_agreement_from(Environment::Sandbox, scope.channel);
                    if date >= production {
                        (
                            true,
                            Phase::Available,
                            Some(MilestoneId::ProductionAvailable),
                        )
                    } else if date >= from {
                        (true, Phase::Preview, Some(preview))
                    } else {
                        (false, Phase::NotYetAvailable, Some(preview))
                    }
                }
            }
        }
    };
    Status {
        agreement_type: agreement,
        date,
        acceptable,
        phase,
        milestone,
        warnings,
    }
}

/// Whether the Microsoft Cloud Agreement can be confirmed in production on `date`.
pub fn is_cloud_agreement_acceptable(date: NaiveDate, policy: &Policy) -> bool {
    date <= policy.cloud_agreement_last_day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::parse_date;
    use AgreementType::*;
    use Phase::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn cloud_agreement_around_every_milestone() {
        let scope = Scope::default();
        let rows: &[(&str, bool, Phase, Option<MilestoneId>, bool)] = &[
            ("2018-01-01", true, Available, None, false),
            ("2019-09-30", true, Available, None, false),
            (
                "2019-10-01",
                true,
                Transition,
                Some(MilestoneId::ProductionAvailable),
                false,
            ),
            (
                "2019-10-02",
                true,
                Transition,
                Some(MilestoneId::ProductionAvailable),
                false,
            ),
            (
                "2020-01-30",
                true,
                Transition,
                Some(MilestoneId::ProductionAvailable),
                false,
            ),
            (
                "2020-01-31",
                true,
                Transition,
                Some(MilestoneId::CloudAgreementRetired),
                true,
            ),
            (
                "2020-02-01",
                false,
                Retired,
                Some(MilestoneId::CloudAgreementRetired),
                false,
            ),
            (
                "2026-11-23",
                false,
                Retired,
                Some(MilestoneId::CloudAgreementRetired),
                false,
            ),
        ];
        for &(date, acceptable, phase, milestone, warned) in rows {
            let s = agreement_status(MicrosoftCloudAgreement, d(date), &scope);
            assert_eq!(
                (s.acceptable, s.phase, s.milestone),
                (acceptable, phase, milestone),
                "{date}"
            );
            assert_eq!(!s.warnings.is_empty(), warned, "{date}");
            assert_eq!(
                is_cloud_agreement_acceptable(d(date), &Policy::DEFAULT),
                acceptable,
                "{date}"
            );
            // The sandbox follows the same retirement (milestone scope "both").
            let sandbox = Scope {
                environment: Environment::Sandbox,
                ..scope
            };
            assert_eq!(
                agreement_status(MicrosoftCloudAgreement, d(date), &sandbox).acceptable,
                acceptable
            );
        }
        let warning =
            &agreement_status(MicrosoftCloudAgreement, d("2020-01-31"), &scope).warnings[0];
        assert_eq!(warning.code().as_str(), "last-day-of-transition");
    }

    #[test]
    fn customer_agreement_in_production() {
        let scope = Scope::default();
        for &(date, acceptable, phase) in &[
            ("2019-08-01", false, NotYetAvailable),
            ("2019-09-30", false, NotYetAvailable),
            ("2019-10-01", true, Available),
            ("2019-10-02", true, Available),
            ("2020-02-01", true, Available),
        ] {
            let s = agreement_status(MicrosoftCustomerAgreement, d(date), &scope);
            assert_eq!((s.acceptable, s.phase), (acceptable, phase), "{date}");
            assert_eq!(s.milestone, Some(MilestoneId::ProductionAvailable));
            assert!(s.warnings.is_empty());
        }
    }

    #[test]
    fn customer_agreement_in_the_sandbox_per_channel() {
        use Channel::*;
        let rows: &[(Channel, &str, bool, Phase)] = &[
            (Dashboard, "2019-07-31", false, NotYetAvailable),
            (Dashboard, "2019-08-01", true, Preview),
            (Dashboard, "2019-08-02", true, Preview),
            (Api, "2019-08-01", false, NotYetAvailable),
            (Api, "2019-09-02", false, NotYetAvailable),
            (Api, "2019-09-03", true, Preview),
            (Api, "2019-09-04", true, Preview),
            (Sdk, "2019-09-03", false, NotYetAvailable),
            (Sdk, "2019-09-19", false, NotYetAvailable),
            (Sdk, "2019-09-20", true, Preview),
            (Sdk, "2019-09-21", true, Preview),
            (Sdk, "2019-09-30", true, Preview),
            (Sdk, "2019-10-01", true, Available),
            (Dashboard, "2019-10-01", true, Available),
        ];
        for &(channel, date, acceptable, phase) in rows {
            let scope = Scope {
                environment: Environment::Sandbox,
                channel,
                ..Scope::default()
            };
            let s = agreement_status(MicrosoftCustomerAgreement, d(date), &scope);
            assert_eq!(
                (s.acceptable, s.phase),
                (acceptable, phase),
                "{channel:?} {date}"
            );
            let expected_milestone = if phase == Available {
                MilestoneId::ProductionAvailable
            } else {
                Policy::preview_milestone(channel)
            };
            assert_eq!(s.milestone, Some(expected_milestone), "{channel:?} {date}");
        }
    }

    #[test]
    fn a_custom_policy_moves_the_cut_off() {
        let policy = Policy {
            cloud_agreement_last_day: d("2020-03-31"),
            ..Policy::DEFAULT
        };
        let scope = Scope {
            policy,
            ..Scope::default()
        };
        assert!(agreement_status(MicrosoftCloudAgreement, d("2020-02-01"), &scope).acceptable);
        assert!(!agreement_status(MicrosoftCloudAgreement, d("2020-04-01"), &scope).acceptable);
        assert!(is_cloud_agreement_acceptable(d("2020-03-31"), &policy));
    }
}
