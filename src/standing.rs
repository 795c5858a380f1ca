//! One status per customer (SPEC §6): the partner's attestations and the customer's direct
//! acceptance, merged under the refresh rule, answer "can this customer be ordered for today,
//! and if not, what must the partner do".

use chrono::NaiveDate;

use crate::agreement::AgreementType;
use crate::gate::{order_gate, AcceptedBy, Action, Confirmation, GateReason, GateVerdict, Offer};
use crate::payload::Agreement;
use crate::route::{confirmation_route, Route};
use crate::status::Scope;

crate::wire_enum! {
    /// What the partner must do before the next new order.
    pub enum NextStep {
        /// Nothing: a new order can be placed.
        None = "none",
        /// Confirm the customer's acceptance (the legacy POST, before its retirement).
        Confirm = "confirm",
        /// Send the Customer Agreement for the customer's acceptance (the enhanced flow), or
        /// have the customer accept it in the Microsoft 365 admin center.
        SendForAcceptance = "send-for-acceptance",
        /// The customer's acceptance predates the refresh: the customer must accept again
        /// (sent for acceptance, or directly).
        AcceptAgain = "accept-again",
    }
}

/// The acceptances a customer holds, as the order gate counts them: the partner's
/// confirmations (any agreement) and the customer's direct acceptance of the Customer
/// Agreement (`direct`: the day it is known to hold on).
pub fn acceptances(agreements: &[Agreement], direct: Option<NaiveDate>) -> Vec<Confirmation> {
    let mut held: Vec<Confirmation> = agreements
        .iter()
        .map(|a| Confirmation {
            agreement_type: a.agreement_type,
            date_agreed: a.date_agreed,
            by: AcceptedBy::Partner,
        })
        .collect();
    held.extend(direct.map(|day| Confirmation {
        agreement_type: AgreementType::MicrosoftCustomerAgreement,
        date_agreed: day,
        by: AcceptedBy::Customer,
    }));
    held
}

/// A customer's standing on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The verdict for a new order of a standard offer.
    pub verdict: GateVerdict,
    /// What the partner must do first (`None` when the order can go ahead).
    pub next_step: NextStep,
    /// The route a confirmation would take on the day.
    pub route: Route,
    /// The customer accepted directly.
    pub direct_acceptance: bool,
    /// The latest partner confirmation of the Customer Agreement, if any.
    pub latest_attestation: Option<NaiveDate>,
}

/// The standing of a customer on `utc_day` (Partner Center's day): `agreements` are the
/// partner's confirmations read from the backend, `direct_acceptance` whether the customer
/// accepted directly (Partner Center does not say when: it counts as holding on the day).
pub fn customer_standing(
    utc_day: NaiveDate,
    agreements: &[Agreement],
    direct_acceptance: bool,
    scope: &Scope,
) -> Standing {
    let held = acceptances(agreements, direct_acceptance.then_some(utc_day));
    let verdict = order_gate(
        utc_day,
        Action::NewOrder,
        Offer::Standard,
        &held,
        scope.environment,
        &scope.policy,
    );
    let route = confirmation_route(utc_day, scope.environment, &scope.policy).route;
    let next_step = match (verdict.allowed, verdict.reason, route) {
        (true, _, _) => NextStep::None,
        (false, GateReason::AttestationBeforeRefresh, _) => NextStep::AcceptAgain,
        (false, _, Route::Enhanced) => NextStep::SendForAcceptance,
        (false, _, Route::Legacy) => NextStep::Confirm,
    };
    let latest_attestation = agreements
        .iter()
        .filter(|a| a.agreement_type == AgreementType::MicrosoftCustomerAgreement)
        .map(|a| a.date_agreed)
        .max();
    Standing {
        verdict,
        next_step,
        route,
        direct_acceptance,
        latest_attestation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use crate::payload::Contact;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn agreement(agreement_type: AgreementType, date: &str) -> Agreement {
        Agreement {
            user_id: None,
            primary_contact: Contact {
                first_name: "Ana".into(),
                last_name: "Silva".into(),
                email: "ana@example.com".into(),
                phone_number: None,
            },
            template_id: agreement_type.default_template().template_id.into(),
            date_agreed: day(date),
            agreement_type,
            agreement_link: None,
        }
    }

    fn standing(on: &str, agreements: &[Agreement], direct: bool) -> Standing {
        customer_standing(day(on), agreements, direct, &Scope::default())
    }

    const MCA: AgreementType = AgreementType::MicrosoftCustomerAgreement;

    #[test]
    fn each_kind_of_customer_today() {
        let today = "2026-11-24";
        let after_refresh = [agreement(MCA, "2024-02-01")];
        let before_refresh = [agreement(MCA, "2022-05-10")];
        let fine = standing(today, &after_refresh, false);
        assert!(fine.verdict.allowed);
        assert_eq!(fine.next_step, NextStep::None);
        assert_eq!(fine.latest_attestation, Some(day("2024-02-01")));

        let stale = standing(today, &before_refresh, false);
        assert!(!stale.verdict.allowed);
        assert_eq!(stale.next_step, NextStep::AcceptAgain);
        assert_eq!(stale.verdict.partner_center_code(), Some(13605));

        let direct = standing(today, &[], true);
        assert!(direct.verdict.allowed);
        assert!(direct.direct_acceptance);
        // The direct acceptance outweighs an old attestation.
        assert!(standing(today, &before_refresh, true).verdict.allowed);

        let none = standing(today, &[], false);
        assert_eq!(none.next_step, NextStep::SendForAcceptance);
        assert_eq!(none.route, Route::Enhanced);
    }

    #[test]
    fn before_the_retirement_the_partner_confirms() {
        let none = standing("2025-12-15", &[], false);
        assert_eq!(
            (none.next_step, none.route),
            (NextStep::Confirm, Route::Legacy)
        );
        // The refresh rule applies from the retirement on.
        let stale = [agreement(MCA, "2022-05-10")];
        assert!(standing("2026-01-04", &stale, false).verdict.allowed);
        assert_eq!(
            standing("2026-01-05", &stale, false).next_step,
            NextStep::AcceptAgain
        );
        // Only the Cloud Agreement, after its retirement.
        let cloud = [agreement(
            AgreementType::MicrosoftCloudAgreement,
            "2019-05-01",
        )];
        assert_eq!(
            standing("2020-03-01", &cloud, false).next_step,
            NextStep::Confirm
        );
    }
}
