//! What a partner may do for a customer on a date, given the customer's confirmations (SPEC §3):
//! new orders, seat-count changes, renewals, and offers such as the Azure plan.

use chrono::NaiveDate;

use crate::rules::agreement::{AgreementType, Channel, Environment};
use crate::rules::timeline::{MilestoneId, Policy};

crate::wire_enum! {
    /// What the partner wants to do.
    pub enum Action {
        NewOrder = "new-order",
        SeatChange = "seat-change",
        /// Renewals are never gated by the confirmation.
        Renewal = "renewal",
    }
}

crate::wire_enum! {
    /// What is being ordered.
    #[derive(Default)]
    pub enum Offer {
        /// Any offer that accepts either agreement while both are acceptable.
        #[default]
        Standard = "standard",
        /// The Azure plan: offered from production availability, Customer Agreement only.
        AzurePlan = "azure-plan",
    }
}

crate::wire_enum! {
    /// Who recorded an acceptance.
    #[derive(Default)]
    pub enum AcceptedBy {
        /// The partner attested it (the legacy POST or the enhanced flow).
        #[default]
        Partner = "partner",
        /// The customer accepted in the Microsoft 365 admin center (direct acceptance).
        Customer = "customer",
    }
}

/// A confirmation the customer has: which agreement, accepted on which day, recorded by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    /// The agreement confirmed.
    pub agreement_type: AgreementType,
    /// The day the customer accepted it.
    pub date_agreed: NaiveDate,
    /// Who recorded it.
    pub by: AcceptedBy,
}

/// Partner Center's error code for an order blocked until the Customer Agreement is accepted
/// (403, "13605").
pub const ORDER_BLOCKED_CODE: u32 = 13605;

crate::coded_enum! {
    /// Why the verdict is what it is (stable codes).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GateReason =>
        /// The stable code of a gate reason.
        GateReasonCode {
        /// Renewals are not gated.
        RenewalNotGated = "renewal-not-gated",
        /// A partner's confirmation of this agreement counts on the date.
        Confirmed(AgreementType) = "confirmed",
        /// The customer's direct acceptance of the Customer Agreement (Microsoft 365 admin center)
        /// counts on the date, and no partner confirmation does.
        AcceptedDirectly = "accepted-directly",
        /// No confirmation of an agreement that counts on the date.
        NoConfirmation = "no-confirmation",
        /// The customer confirmed only the Cloud Agreement, which no longer counts.
        CloudAgreementNoLongerCounts = "cloud-agreement-no-longer-counts",
        /// The offer (Azure plan) needs a Customer Agreement confirmation.
        OfferRequiresCustomerAgreement = "offer-requires-customer-agreement",
        /// The offer (Azure plan) is not offered yet on the date.
        OfferNotAvailable = "offer-not-available",
        /// The customer's only Customer Agreement confirmation is a partner attestation dated
        /// before the refresh, which no longer counts since the legacy attestation was retired.
        AttestationBeforeRefresh = "attestation-before-refresh",
    }
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateVerdict {
    /// Whether the action may go ahead.
    pub allowed: bool,
    /// When not allowed: the agreement to have the customer accept and confirm.
    pub required_agreement: Option<AgreementType>,
    /// The agreements whose confirmations count for this action and offer on the date.
    pub accepted_agreements: Vec<AgreementType>,
    /// Why (stable code with its milestone).
    pub reason: GateReason,
    /// The milestone behind the rule applied, if any.
    pub milestone: Option<MilestoneId>,
    /// The date the milestone falls on.
    pub milestone_date: Option<NaiveDate>,
}

impl GateVerdict {
    /// Partner Center's error for this refusal, when it is the one an order would meet
    /// (`ORDER_BLOCKED_CODE`: no valid acceptance of the Customer Agreement).
    pub fn partner_center_code(&self) -> Option<u32> {
        let blocked = !self.allowed
            && self.required_agreement == Some(AgreementType::MicrosoftCustomerAgreement);
        blocked.then_some(ORDER_BLOCKED_CODE)
    }
}

/// Decides whether `action` on `offer` is allowed on `date` for a customer with these
/// confirmations. A confirmation counts when its agreement counts on `date` and it was accepted
/// on or before `date`.
pub fn order_gate(
    date: NaiveDate,
    action: Action,
    offer: Offer,
    confirmations: &[Confirmation],
    environment: Environment,
    policy: &Policy,
) -> GateVerdict {
    let customer_from = policy.customer_agreement_from(environment, Channel::Dashboard);
    let cloud_counts = date <= policy.cloud_agreement_last_day;
    let customer_counts = date >= customer_from;
    let milestone_of = |id: MilestoneId| (Some(id), Some(policy.date_of(id)));
    // The milestone that set the rules in force on `date`.
    let (milestone, milestone_date) = if !cloud_counts {
        milestone_of(MilestoneId::CloudAgreementRetired)
    } else if date >= policy.production_available {
        milestone_of(MilestoneId::ProductionAvailable)
    } else if customer_counts {
        milestone_of(Policy::preview_milestone(Channel::Dashboard))
    } else {
        (None, None)
    };

    let mut accepted = Vec::new();
    match offer {
        Offer::AzurePlan if date < policy.production_available => {
            let (milestone, milestone_date) = milestone_of(MilestoneId::ProductionAvailable);
            return GateVerdict {
                allowed: false,
                required_agreement: None,
                accepted_agreements: accepted,
                reason: GateReason::OfferNotAvailable,
                milestone,
                milestone_date,
            };
        }
        Offer::AzurePlan => accepted.push(AgreementType::MicrosoftCustomerAgreement),
        Offer::Standard => {
            if cloud_counts {
                accepted.push(AgreementType::MicrosoftCloudAgreement);
            }
            if customer_counts {
                accepted.push(AgreementType::MicrosoftCustomerAgreement);
            }
        }
    }

    if action == Action::Renewal {
        return GateVerdict {
            allowed: true,
            required_agreement: None,
            accepted_agreements: accepted,
            reason: GateReason::RenewalNotGated,
            milestone: None,
            milestone_date: None,
        };
    }

    // From the legacy retirement, a partner attestation from before the refresh is stale.
    let stale = |c: &Confirmation| {
        c.by == AcceptedBy::Partner
            && c.agreement_type == AgreementType::MicrosoftCustomerAgreement
            && c.date_agreed < policy.mca_refresh
            && date >= policy.legacy_attestation_retired
    };
    let counts = |c: &Confirmation| {
        c.date_agreed <= date
            && accepted.contains(&c.agreement_type)
            && (c.agreement_type != AgreementType::MicrosoftCloudAgreement
                || c.date_agreed <= policy.cloud_agreement_last_day)
            && !stale(c)
    };
    // When the customer has both, the Customer Agreement is the one reported.
    let counting = [
        AgreementType::MicrosoftCustomerAgreement,
        AgreementType::MicrosoftCloudAgreement,
    ]
    .into_iter()
    .find(|&t| {
        confirmations
            .iter()
            .any(|c| c.agreement_type == t && counts(c))
    });

    if let Some(agreement) = counting {
        // Credited to whoever recorded it: the partner when one of theirs counts.
        let by_partner = confirmations
            .iter()
            .any(|c| c.agreement_type == agreement && c.by == AcceptedBy::Partner && counts(c));
        return GateVerdict {
            allowed: true,
            required_agreement: None,
            accepted_agreements: accepted,
            reason: if by_partner {
                GateReason::Confirmed(agreement)
            } else {
                GateReason::AcceptedDirectly
            },
            milestone,
            milestone_date,
        };
    }

    let has_cloud = confirmations.iter().any(|c| {
        c.agreement_type == AgreementType::MicrosoftCloudAgreement && c.date_agreed <= date
    });
    let has_stale = confirmations
        .iter()
        .any(|c| c.date_agreed <= date && stale(c));
    let reason = match offer {
        _ if has_stale => GateReason::AttestationBeforeRefresh,
        Offer::AzurePlan => GateReason::OfferRequiresCustomerAgreement,
        Offer::Standard if has_cloud && !cloud_counts => GateReason::CloudAgreementNoLongerCounts,
        Offer::Standard => GateReason::NoConfirmation,
    };
    let (milestone, milestone_date) = match reason {
        GateReason::OfferRequiresCustomerAgreement => {
            milestone_of(MilestoneId::ProductionAvailable)
        }
        GateReason::AttestationBeforeRefresh => milestone_of(MilestoneId::LegacyAttestationRetired),
        _ => (milestone, milestone_date),
    };
    GateVerdict {
        allowed: false,
        required_agreement: Some(if customer_counts {
            AgreementType::MicrosoftCustomerAgreement
        } else {
            AgreementType::MicrosoftCloudAgreement
        }),
        accepted_agreements: accepted,
        reason,
        milestone,
        milestone_date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::parse_date;
    use AgreementType::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn conf(agreement_type: AgreementType, date: &str) -> Confirmation {
        Confirmation {
            agreement_type,
            date_agreed: d(date),
            by: AcceptedBy::Partner,
        }
    }

    fn gate(
        date: &str,
        action: Action,
        offer: Offer,
        confirmations: &[Confirmation],
    ) -> GateVerdict {
        order_gate(
            d(date),
            action,
            offer,
            confirmations,
            Environment::Production,
            &Policy::DEFAULT,
        )
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn the_spec_table_row_by_row() {
        let cloud = [conf(MicrosoftCloudAgreement, "2019-01-15")];
        let customer = [conf(MicrosoftCustomerAgreement, "2019-10-01")];
        let both = [cloud[0], customer[0]];
        use Action::*;
        use GateReason::*;
        use Offer::*;
        #[rustfmt::skip]
        let rows: &[(&str, Action, Offer, &[Confirmation], bool, Option<AgreementType>, GateReason)] = &[
            // Before 2019-10-01: the Cloud Agreement counts; no Azure plan.
            ("2019-09-30", NewOrder, Standard, &cloud, true, None, Confirmed(MicrosoftCloudAgreement)),
            ("2019-09-30", SeatChange, Standard, &cloud, true, None, Confirmed(MicrosoftCloudAgreement)),
            ("2019-09-30", NewOrder, Standard, &[], false, Some(MicrosoftCloudAgreement), NoConfirmation),
            ("2019-09-30", NewOrder, AzurePlan, &cloud, false, None, OfferNotAvailable),
            // 2019-10-01 .. 2020-01-31: either counts; Azure plan needs the Customer Agreement.
            ("2019-10-01", NewOrder, Standard, &cloud, true, None, Confirmed(MicrosoftCloudAgreement)),
            ("2019-10-01", NewOrder, Standard, &customer, true, None, Confirmed(MicrosoftCustomerAgreement)),
            ("2019-10-01", NewOrder, AzurePlan, &customer, true, None, Confirmed(MicrosoftCustomerAgreement)),
            ("2019-10-01", NewOrder, AzurePlan, &cloud, false, Some(MicrosoftCustomerAgreement), OfferRequiresCustomerAgreement),
            ("2019-10-01", NewOrder, Standard, &[], false, Some(MicrosoftCustomerAgreement), NoConfirmation),
            ("2020-01-31", SeatChange, Standard, &cloud, true, None, Confirmed(MicrosoftCloudAgreement)),
            ("2020-01-31", NewOrder, Standard, &both, true, None, Confirmed(MicrosoftCustomerAgreement)),
            // From 2020-02-01: Customer Agreement only, also for customers who had the Cloud one.
            ("2020-02-01", NewOrder, Standard, &cloud, false, Some(MicrosoftCustomerAgreement), CloudAgreementNoLongerCounts),
            ("2020-02-01", SeatChange, Standard, &cloud, false, Some(MicrosoftCustomerAgreement), CloudAgreementNoLongerCounts),
            ("2020-02-01", SeatChange, Standard, &customer, true, None, Confirmed(MicrosoftCustomerAgreement)),
            ("2020-02-01", NewOrder, Standard, &both, true, None, Confirmed(MicrosoftCustomerAgreement)),
            ("2020-02-01", NewOrder, AzurePlan, &customer, true, None, Confirmed(MicrosoftCustomerAgreement)),
            ("2020-02-01", NewOrder, Standard, &[], false, Some(MicrosoftCustomerAgreement), NoConfirmation),
            // Renewals are never gated.
            ("2020-02-01", Renewal, Standard, &[], true, None, RenewalNotGated),
            ("2020-02-01", Renewal, Standard, &cloud, true, None, RenewalNotGated),
            ("2019-01-01", Renewal, Standard, &[], true, None, RenewalNotGated),
        ];
        for &(date, action, offer, confirmations, allowed, required, reason) in rows {
            let v = gate(date, action, offer, confirmations);
            assert_eq!(
                (v.allowed, v.required_agreement, v.reason),
                (allowed, required, reason),
                "{date} {action:?} {offer:?} {confirmations:?}"
            );
        }
    }

    #[test]
    fn milestones_behind_the_verdicts() {
        let v = gate("2020-02-01", Action::NewOrder, Offer::Standard, &[]);
        assert_eq!(v.milestone, Some(MilestoneId::CloudAgreementRetired));
        assert_eq!(v.milestone_date, Some(d("2020-01-31")));
        assert_eq!(v.accepted_agreements, vec![MicrosoftCustomerAgreement]);
        let v = gate("2019-12-01", Action::NewOrder, Offer::Standard, &[]);
        assert_eq!(v.milestone, Some(MilestoneId::ProductionAvailable));
        assert_eq!(
            v.accepted_agreements,
            vec![MicrosoftCloudAgreement, MicrosoftCustomerAgreement]
        );
        let v = gate("2019-09-01", Action::NewOrder, Offer::AzurePlan, &[]);
        assert_eq!(v.milestone, Some(MilestoneId::ProductionAvailable));
        assert_eq!(v.milestone_date, Some(d("2019-10-01")));
        let v = gate("2019-09-01", Action::NewOrder, Offer::Standard, &[]);
        assert_eq!(v.milestone, None);
        assert_eq!(v.accepted_agreements, vec![MicrosoftCloudAgreement]);
    }

    #[test]
    fn a_confirmation_counts_only_from_its_date() {
        let later = [conf(MicrosoftCustomerAgreement, "2020-03-01")];
        let v = gate("2020-02-15", Action::NewOrder, Offer::Standard, &later);
        assert!(!v.allowed);
        assert_eq!(v.reason, GateReason::NoConfirmation);
        // A Cloud Agreement confirmation dated after its last day never counts.
        let custom = Policy {
            cloud_agreement_last_day: d("2020-06-30"),
            ..Policy::DEFAULT
        };
        let v = order_gate(
            d("2020-03-01"),
            Action::NewOrder,
            Offer::Standard,
            &[conf(MicrosoftCloudAgreement, "2020-02-15")],
            Environment::Production,
            &custom,
        );
        assert!(
            v.allowed,
            "the custom policy keeps the Cloud Agreement until June"
        );
        let v = gate(
            "2020-01-31",
            Action::NewOrder,
            Offer::Standard,
            &[conf(MicrosoftCloudAgreement, "2020-02-15")],
        );
        assert!(!v.allowed);
    }

    #[test]
    fn the_sandbox_counts_the_customer_agreement_from_its_preview() {
        let customer = [conf(MicrosoftCustomerAgreement, "2019-08-01")];
        let sandbox = order_gate(
            d("2019-08-01"),
            Action::NewOrder,
            Offer::Standard,
            &customer,
            Environment::Sandbox,
            &Policy::DEFAULT,
        );
        assert!(sandbox.allowed);
        assert_eq!(
            sandbox.milestone,
            Some(MilestoneId::SandboxDashboardPreview)
        );
        let production = gate("2019-08-01", Action::NewOrder, Offer::Standard, &customer);
        assert!(!production.allowed);
        assert_eq!(production.required_agreement, Some(MicrosoftCloudAgreement));
    }

    #[test]
    fn a_partner_attestation_before_the_refresh_stops_counting_at_the_retirement() {
        let before = [conf(MicrosoftCustomerAgreement, "2023-03-31")];
        let after = [conf(MicrosoftCustomerAgreement, "2023-04-01")];
        let direct = [Confirmation {
            by: AcceptedBy::Customer,
            ..before[0]
        }];
        // The day before the retirement, every acceptance still counts.
        for c in [&before, &after, &direct] {
            assert!(gate("2026-01-04", Action::NewOrder, Offer::Standard, c).allowed);
        }
        // From the retirement on, only the pre-refresh partner attestation is stale.
        let stale = gate("2026-01-05", Action::SeatChange, Offer::Standard, &before);
        assert!(!stale.allowed);
        assert_eq!(stale.reason, GateReason::AttestationBeforeRefresh);
        assert_eq!(stale.milestone, Some(MilestoneId::LegacyAttestationRetired));
        assert_eq!(stale.partner_center_code(), Some(ORDER_BLOCKED_CODE));
        let azure = gate("2026-01-05", Action::NewOrder, Offer::AzurePlan, &before);
        assert_eq!(azure.reason, GateReason::AttestationBeforeRefresh);
        assert!(gate("2026-01-05", Action::NewOrder, Offer::Standard, &after).allowed);
        assert!(gate("2026-01-05", Action::NewOrder, Offer::Standard, &direct).allowed);
        // Renewals stay ungated; a newer acceptance beside the stale one counts.
        assert!(gate("2026-01-05", Action::Renewal, Offer::Standard, &before).allowed);
        let both = [before[0], after[0]];
        assert!(gate("2026-01-05", Action::NewOrder, Offer::Standard, &both).allowed);
    }

    #[test]
    fn partner_centers_13605_names_refusals_for_want_of_the_customer_agreement() {
        let none = gate("2026-11-24", Action::NewOrder, Offer::Standard, &[]);
        assert_eq!(none.partner_center_code(), Some(13605));
        let allowed = gate(
            "2026-11-24",
            Action::NewOrder,
            Offer::Standard,
            &[conf(MicrosoftCustomerAgreement, "2026-02-01")],
        );
        assert_eq!(allowed.partner_center_code(), None);
        let not_offered = gate("2019-09-01", Action::NewOrder, Offer::AzurePlan, &[]);
        assert_eq!(not_offered.partner_center_code(), None);
    }
}
