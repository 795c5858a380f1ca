//! One status per customer (SPEC §6): the partner's attestations and the customer's direct
//! acceptance, merged under the refresh rule, answer "can this customer be ordered for today,
//! and if not, what must the partner do"; the ledger's attestation in flight says where the
//! partner is in that (waiting for the customer, to complete, to send again).
//!
//! The reads it needs are decided here too (`StandingReads`): the Customer Agreement
//! confirmations first, then only what they leave open.

use chrono::NaiveDate;
use serde::Serialize;

use crate::flows::attestation::AttestationStatus;
use crate::flows::ledger::{current_for, AttestationStep, LedgerRecord};
use crate::flows::payload::Agreement;
use crate::rules::agreement::AgreementType;
use crate::rules::date::Instant;
use crate::rules::gate::{
    order_gate, AcceptedBy, Action, Confirmation, GateReason, GateVerdict, Offer,
};
use crate::rules::route::{confirmation_route, Route};
use crate::rules::status::Scope;

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
        /// Sent for acceptance: waiting for the customer (see the attestation's dates).
        WaitForCustomer = "wait-for-customer",
        /// The customer accepted: complete the attestation, which records the agreement.
        Complete = "complete",
        /// The last attestation expired (or Partner Center no longer knows it): send again.
        SendAgain = "send-again",
    }
}

/// The attestation in flight for a customer, as its standing shows it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InFlight {
    /// Its id.
    pub attestation_id: String,
    /// Where it stands.
    pub status: AttestationStatus,
    /// What to do next with it.
    pub next: AttestationStep,
    /// When it was sent (`YYYY-MM-DDTHH:MM:SSZ`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub since: Instant,
    /// When its link expires, when known.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub expires_at: Option<Instant>,
    /// When it was last read, when it was.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub checked_at: Option<Instant>,
}

impl InFlight {
    /// The record's summary at `now`.
    pub fn of(record: &LedgerRecord, now: Instant) -> InFlight {
        InFlight {
            attestation_id: record.attestation_id.clone(),
            status: record.status,
            next: record.next(now),
            since: record.created_at,
            expires_at: record.expires_at,
            checked_at: record.checked_at,
        }
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
    /// The attestation in flight (from the ledger), when there is one.
    pub in_flight: Option<InFlight>,
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
        in_flight: None,
    }
}

impl Standing {
    /// The standing with the customer's attestations from the ledger at `now`: while no order
    /// can go ahead, the step becomes the attestation's (wait for the customer, complete it, or
    /// send again once it expired). A withdrawn attestation does not count; once the customer
    /// can be ordered for, nothing is left to do whatever the ledger holds.
    pub fn with_ledger<'a>(
        mut self,
        records: impl IntoIterator<Item = &'a LedgerRecord>,
        customer_id: &str,
        now: Instant,
    ) -> Standing {
        let Some(record) = current_for(records, customer_id, now) else {
            return self;
        };
        let in_flight = InFlight::of(record, now);
        if !self.verdict.allowed && self.route == Route::Enhanced {
            self.next_step = match in_flight.next {
                AttestationStep::Wait | AttestationStep::Check => NextStep::WaitForCustomer,
                AttestationStep::Complete => NextStep::Complete,
                AttestationStep::SendAgain => NextStep::SendAgain,
                AttestationStep::Done => self.next_step,
            };
        }
        self.in_flight = Some(in_flight);
        self
    }
}

/// A read a customer's standing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The partner's confirmations of one agreement.
    Agreements(AgreementType),
    /// Whether the customer accepted directly (Microsoft 365 admin center).
    Direct,
}

/// The reads of one customer's standing, apart from any I/O: the Customer Agreement
/// confirmations first; when they settle it (one counts), nothing more; otherwise the Cloud
/// Agreement confirmations while it still counts, or the direct acceptance once it exists.
/// One request for a customer whose confirmation counts, two at most. `full` reads all three
/// (a customer's own view shows each).
#[derive(Debug, Clone)]
pub struct StandingReads {
    day: NaiveDate,
    scope: Scope,
    full: bool,
    agreements: Vec<Agreement>,
    direct: bool,
    done: Vec<Read>,
}

impl StandingReads {
    /// The reads for `day` (Partner Center's), and the first one.
    pub fn new(day: NaiveDate, scope: Scope, full: bool) -> (StandingReads, Read) {
        let first = Read::Agreements(AgreementType::MicrosoftCustomerAgreement);
        let reads = StandingReads {
            day,
            scope,
            full,
            agreements: Vec::new(),
            direct: false,
            done: vec![first],
        };
        (reads, first)
    }

    /// The answer to a read; the next read, or None once the standing is settled.
    pub fn on_agreements(&mut self, list: Vec<Agreement>) -> Option<Read> {
        self.agreements.extend(list);
        self.next()
    }

    /// The answer to `Read::Direct`; the next read, if any.
    pub fn on_direct(&mut self, signed: bool) -> Option<Read> {
        self.direct = signed;
        self.next()
    }

    fn next(&mut self) -> Option<Read> {
        let policy = &self.scope.policy;
        let cloud = Read::Agreements(AgreementType::MicrosoftCloudAgreement);
        let wanted = if self.full {
            [Some(cloud), Some(Read::Direct)]
        } else if self.standing().verdict.allowed {
            [None, None]
        } else if self.day <= policy.cloud_agreement_last_day {
            [Some(cloud), None]
        } else if self.day >= policy.customer_direct_acceptance {
            [Some(Read::Direct), None]
        } else {
            [None, None]
        };
        let next = wanted
            .into_iter()
            .flatten()
            .find(|r| !self.done.contains(r))?;
        self.done.push(next);
        Some(next)
    }

    /// The confirmations read so far.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }

    /// The standing from what was read.
    pub fn standing(&self) -> Standing {
        customer_standing(self.day, &self.agreements, self.direct, &self.scope)
    }

    /// How many reads were asked for.
    pub fn requests(&self) -> usize {
        self.done.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::payload::Contact;
    use crate::rules::date::parse_date;

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

    fn record(customer: &str, status: AttestationStatus) -> LedgerRecord {
        use crate::flows::attestation::Attestation;
        let now = crate::rules::date::parse_instant("2026-11-20T10:00:00Z").unwrap();
        LedgerRecord::created(
            customer,
            &Attestation {
                attestation_id: "att-1".into(),
                acceptance_url: String::new(),
                status,
                raw_status: None,
                created_at: None,
                expires_at: Some(now.plus_days(7)),
            },
            None,
            None,
            None,
            now,
        )
    }

    #[test]
    fn the_ledger_says_where_the_partner_is() {
        const ID: &str = "0c9b1d1e-7c4a-4bb7-9c5c-2f1e8d1a4b21";
        let at = |t: &str| crate::rules::date::parse_instant(t).unwrap();
        let none = standing("2026-11-24", &[], false);
        let waiting = record(ID, AttestationStatus::Pending);
        let step = |records: &[LedgerRecord], now: &str| {
            none.clone().with_ledger(records, ID, at(now)).next_step
        };
        assert_eq!(
            step(std::slice::from_ref(&waiting), "2026-11-24T10:00:00Z"),
            NextStep::WaitForCustomer
        );
        let in_flight = none
            .clone()
            .with_ledger([&waiting], ID, at("2026-11-24T10:00:00Z"))
            .in_flight
            .unwrap();
        assert_eq!(in_flight.since, at("2026-11-20T10:00:00Z"));
        assert_eq!(in_flight.expires_at, Some(at("2026-11-27T10:00:00Z")));
        assert_eq!(
            step(std::slice::from_ref(&waiting), "2026-11-27T10:00:00Z"),
            NextStep::SendAgain
        );
        let accepted = record(ID, AttestationStatus::Accepted);
        assert_eq!(
            step(&[accepted], "2026-11-24T10:00:00Z"),
            NextStep::Complete
        );
        let mut withdrawn = waiting.clone();
        withdrawn.withdraw(at("2026-11-21T10:00:00Z"), None);
        assert_eq!(
            step(&[withdrawn], "2026-11-24T10:00:00Z"),
            NextStep::SendForAcceptance
        );
        // Another customer's attestation says nothing of this one.
        let other = record(
            "1a7b4d5f-6c2e-4f9b-8d3a-8e2f4b6c0d02",
            AttestationStatus::Pending,
        );
        assert_eq!(
            step(&[other], "2026-11-24T10:00:00Z"),
            NextStep::SendForAcceptance
        );
        // Orderable: nothing to do, whatever the ledger holds.
        let fine = standing("2026-11-24", &[agreement(MCA, "2024-02-01")], false).with_ledger(
            [&waiting],
            ID,
            at("2026-11-24T10:00:00Z"),
        );
        assert_eq!(fine.next_step, NextStep::None);
        // Re-acceptance in flight.
        let stale = standing("2026-11-24", &[agreement(MCA, "2022-05-10")], false).with_ledger(
            [&waiting],
            ID,
            at("2026-11-24T10:00:00Z"),
        );
        assert_eq!(stale.next_step, NextStep::WaitForCustomer);
    }

    /// Runs the reads against a customer's answers; the standing and the requests made.
    fn read(day: &str, full: bool, held: &[Agreement], direct: bool) -> (Standing, Vec<Read>) {
        let (mut reads, mut next) = StandingReads::new(day_(day), Scope::default(), full);
        let mut asked = Vec::new();
        loop {
            asked.push(next);
            let after = match next {
                Read::Agreements(t) => reads.on_agreements(
                    held.iter()
                        .filter(|a| a.agreement_type == t)
                        .cloned()
                        .collect(),
                ),
                Read::Direct => reads.on_direct(direct),
            };
            match after {
                Some(read) => next = read,
                None => break,
            }
        }
        assert_eq!(reads.requests(), asked.len());
        (reads.standing(), asked)
    }

    fn day_(text: &str) -> NaiveDate {
        day(text)
    }

    #[test]
    fn one_request_when_the_confirmation_counts_two_at_most() {
        use AgreementType::MicrosoftCloudAgreement as CLOUD;
        let direct = Read::Direct;
        let mca = Read::Agreements(MCA);
        let cloud = Read::Agreements(CLOUD);
        let current = [agreement(MCA, "2024-02-01")];
        let (s, asked) = read("2026-11-24", false, &current, false);
        assert!(s.verdict.allowed);
        assert_eq!(asked, [mca]);
        let (s, asked) = read("2026-11-24", false, &[], true);
        assert!(s.verdict.allowed, "accepted directly");
        assert_eq!(asked, [mca, direct]);
        let (s, asked) = read("2026-11-24", false, &[agreement(MCA, "2022-05-10")], false);
        assert_eq!(
            (s.next_step, asked),
            (NextStep::AcceptAgain, vec![mca, direct])
        );
        // While the Cloud Agreement still counts, it is the second read; no direct acceptance then.
        let (s, asked) = read(
            "2019-12-01",
            false,
            &[agreement(CLOUD, "2019-05-01")],
            false,
        );
        assert!(s.verdict.allowed);
        assert_eq!(asked, [mca, cloud]);
        // A customer's own view reads all three.
        let (_, asked) = read("2026-11-24", true, &current, false);
        assert_eq!(asked, [mca, cloud, direct]);
        // Every verdict as the three reads give it.
        for (day, held, direct) in [
            ("2026-11-24", vec![], false),
            ("2026-11-24", vec![agreement(CLOUD, "2019-05-01")], true),
            ("2019-12-01", vec![agreement(CLOUD, "2019-05-01")], false),
            ("2020-03-01", vec![agreement(CLOUD, "2019-05-01")], false),
        ] {
            let lean = read(day, false, &held, direct).0;
            let full = standing(day, &held, direct);
            assert_eq!(
                (lean.verdict.allowed, lean.next_step),
                (full.verdict.allowed, full.next_step),
                "{day}"
            );
        }
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
