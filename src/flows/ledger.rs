//! The ledger of attestations (SPEC §7), apart from any storage: one record per attestation,
//! kept while it lives for days (sent, accepted by the customer some day or never, completed by
//! the partner), and the decisions that depend on it:
//!
//! - the next step of each record (`wait`, `check`, `complete`, `send-again`, `done`);
//! - one live attestation per customer: a second one is refused while the first is pending or
//!   accepted and neither expired, failed nor withdrawn;
//! - what the customer's standing becomes with it (wait for the customer, complete, send
//!   again);
//! - two copies of one record, written by two agents, merged without losing what either saw.
//!
//! A record keeps no token, no personal data and no link (the link is rebuilt from the id): the
//! customer, the ids, the company name, who sent it when the portal says, and each status seen
//! with its time, as evidence for an audit. Where records are kept (IndexedDB, a portal's
//! backend) is the caller's business: it loads them, and writes one record at a time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checks::fields::normalize_customer_id;
use crate::checks::issues::{Field, Issue, Problem};
use crate::flows::attestation::{acceptable_attestation_id, Attestation, AttestationStatus};
use crate::flows::backend::BackendProblem;
use crate::flows::confirm::Note;
use crate::rules::date::{Day, Instant};

/// How long a pending attestation waits before it is worth reading again: Partner Center said
/// attestations showed "within four hours", and asks partners not to poll.
pub const CHECK_AFTER_SECONDS: i64 = 4 * 3600;

/// The most statuses a record keeps (each distinct status once, with the time it was first
/// seen): a record stays small whatever happens to it.
pub const HISTORY_MAX: usize = 16;

/// The longest text a record keeps in a field (the company name, who sent it).
pub const TEXT_MAX_CHARS: usize = 200;

crate::wire_enum! {
    /// What to do next with one attestation.
    pub enum AttestationStep {
        /// Nothing yet: the customer has the link; it was read recently.
        Wait = "wait",
        /// Read its status again (it was not read for a while, or it was read as unknown).
        Check = "check",
        /// The customer accepted: complete it, which records the agreement.
        Complete = "complete",
        /// It expired, or Partner Center no longer knows it: send a new one.
        SendAgain = "send-again",
        /// Nothing more: completed, or withdrawn.
        Done = "done",
    }
}

/// A status seen, with the time it was first seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify, csp_agreements_derive::Readable)
)]
#[serde(rename_all = "camelCase")]
pub struct StatusSeen {
    /// The status, in the closed set.
    pub status: AttestationStatus,
    /// As Partner Center wrote it, when it is not a known spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub raw: Option<String>,
    /// When it was first seen.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub at: Instant,
}

/// One attestation, as the ledger keeps it. Times are `YYYY-MM-DDTHH:MM:SSZ`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify, csp_agreements_derive::Readable)
)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRecord {
    /// The attestation's id (Partner Center's).
    pub attestation_id: String,
    /// The customer it is for (lower case, no braces). Partner Center binds the customer when
    /// the attestation is completed: until then, only the ledger knows.
    pub customer_id: String,
    /// The company name it was sent with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub company_name: Option<String>,
    /// The creation's `MS-RequestId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub request_id: Option<String>,
    /// Who sent it, when the portal says (a user id of the portal's; never a token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sent_by: Option<String>,
    /// When it was created.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub created_at: Instant,
    /// When its link expires, when Partner Center says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub expires_at: Option<Instant>,
    /// Where it stands: the furthest status seen (completed, expired, accepted, pending,
    /// unknown, in that order).
    pub status: AttestationStatus,
    /// Each status seen, with the time it was first seen.
    #[serde(default)]
    pub history: Vec<StatusSeen>,
    /// When it was last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub checked_at: Option<Instant>,
    /// When it was first seen accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub accepted_at: Option<Instant>,
    /// When it was completed (the agreement recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub completed_at: Option<Instant>,
    /// The date of the agreement recorded, when the completion's answer said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub agreement_date: Option<Day>,
    /// Why a completion succeeded without its own answer (`already-recorded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub note: Option<Note>,
    /// When the partner withdrew it (Partner Center publishes no cancel: a mark here only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub withdrawn_at: Option<Instant>,
    /// Who withdrew it, when the portal says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub withdrawn_by: Option<String>,
    /// Partner Center no longer knows it (a read answered 404).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub failure: Option<BackendProblem>,
    /// Its version in the store: each write adds one; a write of an older version is refused
    /// (two agents), and the copies are merged.
    #[serde(default)]
    pub version: u64,
}

/// A record that cannot be kept (read from a store or a portal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// Not an attestation id (letters, digits, `-` and `_`, at most 100).
    AttestationId,
    /// Not a customer id (a GUID).
    CustomerId,
    /// A text longer than [`TEXT_MAX_CHARS`], or a history longer than [`HISTORY_MAX`].
    TooLong,
}

impl RecordError {
    /// What is wrong, for the error a store or the sandbox answers.
    pub fn message(self) -> &'static str {
        match self {
            RecordError::AttestationId => "attestationId: not an attestation id",
            RecordError::CustomerId => "customerId: not a customer id (a GUID)",
            RecordError::TooLong => "a text or the history is too long",
        }
    }
}

/// How far a status is along the lifecycle: the furthest one seen is the record's.
fn rank(status: AttestationStatus) -> u8 {
    match status {
        AttestationStatus::Unknown => 0,
        AttestationStatus::Pending => 1,
        AttestationStatus::Accepted => 2,
        AttestationStatus::Expired => 3,
        AttestationStatus::Completed => 4,
    }
}

fn short(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().chars().take(TEXT_MAX_CHARS).collect::<String>())
        .filter(|t| !t.is_empty())
}

impl LedgerRecord {
    /// The record of an attestation just created for `customer_id` at `now`.
    pub fn created(
        customer_id: &str,
        attestation: &Attestation,
        request_id: Option<String>,
        company_name: Option<String>,
        sent_by: Option<String>,
        now: Instant,
    ) -> LedgerRecord {
        let created_at = attestation.created_at.unwrap_or(now);
        let mut record = LedgerRecord {
            attestation_id: attestation.attestation_id.clone(),
            customer_id: normalize_customer_id(customer_id).unwrap_or_else(|| customer_id.into()),
            company_name: short(company_name),
            request_id,
            sent_by: short(sent_by),
            created_at,
            expires_at: attestation.expires_at,
            status: AttestationStatus::Unknown,
            history: Vec::new(),
            checked_at: Some(now),
            accepted_at: None,
            completed_at: None,
            agreement_date: None,
            note: None,
            withdrawn_at: None,
            withdrawn_by: None,
            failure: None,
            version: 0,
        };
        record.see(attestation.status, attestation.raw_status.clone(), now);
        record
    }

    /// Checks a record read from a store: its ids, and texts of a bounded size.
    pub fn check(&self) -> Result<(), RecordError> {
        if !acceptable_attestation_id(&self.attestation_id) {
            return Err(RecordError::AttestationId);
        }
        if normalize_customer_id(&self.customer_id).as_deref() != Some(self.customer_id.as_str()) {
            return Err(RecordError::CustomerId);
        }
        let long = |t: &Option<String>| {
            t.as_ref()
                .is_some_and(|t| t.chars().count() > TEXT_MAX_CHARS)
        };
        let texts = [
            &self.company_name,
            &self.request_id,
            &self.sent_by,
            &self.withdrawn_by,
        ];
        if texts.into_iter().any(long)
            || self.history.len() > HISTORY_MAX
            || self.history.iter().any(|s| long(&s.raw))
        {
            return Err(RecordError::TooLong);
        }
        Ok(())
    }

    /// A status seen at `now`: kept in the history the first time, and the record's status
    /// when it is further along.
    fn see(&mut self, status: AttestationStatus, raw: Option<String>, at: Instant) {
        let raw = short(raw).filter(|_| status == AttestationStatus::Unknown);
        let known = self
            .history
            .iter()
            .any(|s| s.status == status && s.raw == raw);
        if !known && self.history.len() < HISTORY_MAX {
            self.history.push(StatusSeen { status, raw, at });
        }
        if rank(status) > rank(self.status) || self.history.len() == 1 {
            self.status = status;
        }
        if status == AttestationStatus::Accepted && self.accepted_at.is_none() {
            self.accepted_at = Some(at);
        }
    }

    /// The attestation as read again at `now`.
    pub fn observe(&mut self, attestation: &Attestation, now: Instant) {
        self.checked_at = Some(now);
        if attestation.expires_at.is_some() {
            self.expires_at = attestation.expires_at;
        }
        self.see(attestation.status, attestation.raw_status.clone(), now);
        if attestation.status == AttestationStatus::Completed && self.completed_at.is_none() {
            self.completed_at = Some(now);
        }
    }

    /// Completed at `now`: the agreement is recorded (dated `agreement_date` when the answer
    /// said), with a note when it was concluded without the completion's own answer.
    pub fn complete(
        &mut self,
        now: Instant,
        agreement_date: Option<NaiveDate>,
        note: Option<Note>,
    ) {
        self.see(AttestationStatus::Completed, None, now);
        self.checked_at = Some(now);
        self.completed_at.get_or_insert(now);
        if agreement_date.is_some() {
            self.agreement_date = agreement_date.map(Day);
        }
        if note.is_some() {
            self.note = note;
        }
    }

    /// A read that failed for good: Partner Center no longer knows the attestation.
    pub fn fail(&mut self, problem: BackendProblem, now: Instant) {
        self.checked_at = Some(now);
        self.failure = Some(problem);
    }

    /// Withdrawn by the partner at `now` (by `who`, when the portal says): it no longer blocks a
    /// new attestation. Partner Center publishes no cancel: the customer's link may still work.
    pub fn withdraw(&mut self, now: Instant, who: Option<String>) {
        if self.withdrawn_at.is_none() {
            self.withdrawn_at = Some(now);
            self.withdrawn_by = short(who);
        }
    }

    /// Whether its link expired by `now`: Partner Center said so, or its expiry passed while
    /// the customer had not accepted.
    pub fn is_expired(&self, now: Instant) -> bool {
        match self.status {
            AttestationStatus::Expired => true,
            AttestationStatus::Pending | AttestationStatus::Unknown => {
                self.expires_at.is_some_and(|at| at <= now)
            }
            AttestationStatus::Accepted | AttestationStatus::Completed => false,
        }
    }

    /// Whether it still stands for its customer at `now`: pending or accepted (or unknown), and
    /// neither expired, failed nor withdrawn. A customer has at most one.
    pub fn is_live(&self, now: Instant) -> bool {
        self.withdrawn_at.is_none()
            && self.failure.is_none()
            && self.status != AttestationStatus::Completed
            && !self.is_expired(now)
    }

    /// What to do next with it at `now`.
    pub fn next(&self, now: Instant) -> AttestationStep {
        if self.withdrawn_at.is_some() || self.status == AttestationStatus::Completed {
            return AttestationStep::Done;
        }
        if self.failure.is_some() || self.is_expired(now) {
            return AttestationStep::SendAgain;
        }
        match self.status {
            AttestationStatus::Accepted => AttestationStep::Complete,
            AttestationStatus::Unknown => AttestationStep::Check,
            _ => {
                let last = self
                    .checked_at
                    .unwrap_or(self.created_at)
                    .max(self.created_at);
                if now.0 - last.0 >= CHECK_AFTER_SECONDS {
                    AttestationStep::Check
                } else {
                    AttestationStep::Wait
                }
            }
        }
    }
}

/// Two copies of one record (written by two agents, or a write refused as stale): every status
/// either saw, the earliest creation and first sightings, the latest reads, the furthest
/// status, and the higher version. The same whichever comes first.
pub fn merge(a: &LedgerRecord, b: &LedgerRecord) -> LedgerRecord {
    let (first, second) = if (a.version, a.history.len(), a.checked_at)
        >= (b.version, b.history.len(), b.checked_at)
    {
        (a, b)
    } else {
        (b, a)
    };
    let mut merged = first.clone();
    let min = |x: Option<Instant>, y: Option<Instant>| match (x, y) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let max = |x: Option<Instant>, y: Option<Instant>| x.max(y);
    merged.created_at = first.created_at.min(second.created_at);
    merged.version = first.version.max(second.version);
    merged.checked_at = max(first.checked_at, second.checked_at);
    merged.accepted_at = min(first.accepted_at, second.accepted_at);
    merged.completed_at = min(first.completed_at, second.completed_at);
    merged.withdrawn_at = min(first.withdrawn_at, second.withdrawn_at);
    merged.expires_at = first.expires_at.or(second.expires_at);
    for field in [
        (&mut merged.company_name, &second.company_name),
        (&mut merged.request_id, &second.request_id),
        (&mut merged.sent_by, &second.sent_by),
        (&mut merged.withdrawn_by, &second.withdrawn_by),
    ] {
        if field.0.is_none() {
            field.0.clone_from(field.1);
        }
    }
    merged.agreement_date = first.agreement_date.or(second.agreement_date);
    merged.note = first.note.or(second.note);
    merged.failure = first.failure.or(second.failure);
    let mut history: Vec<StatusSeen> = Vec::new();
    for seen in first.history.iter().chain(&second.history) {
        match history
            .iter_mut()
            .find(|s| s.status == seen.status && s.raw == seen.raw)
        {
            Some(kept) => kept.at = kept.at.min(seen.at),
            None => history.push(seen.clone()),
        }
    }
    // In time order, the first seen first at the same instant. By insertion: at most twice
    // `HISTORY_MAX` entries, and the standard sort would be a copy of its machinery in the
    // module for this list alone (1.5 KB).
    for i in 1..history.len() {
        let mut j = i;
        while j > 0 && history[j - 1].at > history[j].at {
            history.swap(j - 1, j);
            j -= 1;
        }
    }
    history.truncate(HISTORY_MAX);
    merged.status = history
        .iter()
        .map(|s| s.status)
        .chain([first.status, second.status])
        .max_by_key(|s| rank(*s))
        .unwrap_or(first.status);
    merged.history = history;
    merged
}

/// A customer's live attestation at `now`, if it has one (the newest, should there be several).
pub fn live_for<'a>(
    records: impl IntoIterator<Item = &'a LedgerRecord>,
    customer_id: &str,
    now: Instant,
) -> Option<&'a LedgerRecord> {
    let customer = normalize_customer_id(customer_id)?;
    records
        .into_iter()
        .filter(|r| r.customer_id == customer && r.is_live(now))
        .max_by_key(|r| r.created_at)
}

/// Why a new attestation is refused: the customer's live one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// Its id.
    pub attestation_id: String,
    /// When it was sent.
    pub created_at: Instant,
    /// When its link expires, when known.
    pub expires_at: Option<Instant>,
    /// Where it stands.
    pub status: AttestationStatus,
}

/// Whether a new attestation may be sent for the customer at `now`: refused while it has a
/// live one (SPEC §7), which must expire, fail or be withdrawn first.
pub fn may_send<'a>(
    records: impl IntoIterator<Item = &'a LedgerRecord>,
    customer_id: &str,
    now: Instant,
) -> Result<(), Blocked> {
    match live_for(records, customer_id, now) {
        None => Ok(()),
        Some(live) => Err(Blocked {
            attestation_id: live.attestation_id.clone(),
            created_at: live.created_at,
            expires_at: live.expires_at,
            status: live.status,
        }),
    }
}

/// The problem a new attestation for the customer meets at `now`: its live attestation, if it
/// has one (`attestation-in-progress`, with the day it was sent and the day it expires).
pub fn sending_problem<'a>(
    records: impl IntoIterator<Item = &'a LedgerRecord>,
    customer_id: &str,
    now: Instant,
) -> Option<Issue> {
    may_send(records, customer_id, now).err().map(|blocked| {
        Issue::new(
            Field::Form,
            Problem::AttestationInProgress {
                since: blocked.created_at.day(),
                expires: blocked.expires_at.map(Instant::day),
            },
        )
    })
}

/// The problem of reading or completing an attestation for `customer_id` when the ledger keeps
/// it for another customer (Partner Center binds the customer at completion: completing it for
/// the wrong one would record the agreement there).
pub fn owner_problem(record: Option<&LedgerRecord>, customer_id: &str) -> Option<Issue> {
    let customer = normalize_customer_id(customer_id);
    record
        .filter(|r| customer.as_deref().is_some_and(|c| c != r.customer_id))
        .map(|_| Issue::new(Field::Form, Problem::AttestationOfAnotherCustomer {}))
}

/// The attestation that speaks for a customer at `now`: its live one, else its latest that was
/// not withdrawn.
pub fn current_for<'a>(
    records: impl IntoIterator<Item = &'a LedgerRecord>,
    customer_id: &str,
    now: Instant,
) -> Option<&'a LedgerRecord> {
    let customer = normalize_customer_id(customer_id)?;
    let mine: Vec<&LedgerRecord> = records
        .into_iter()
        .filter(|r| r.customer_id == customer && r.withdrawn_at.is_none())
        .collect();
    let newest = |rs: &mut dyn Iterator<Item = &'a LedgerRecord>| rs.max_by_key(|r| r.created_at);
    newest(&mut mine.iter().copied().filter(|r| r.is_live(now)))
        .or_else(|| newest(&mut mine.into_iter()))
}

/// The counts of a ledger at `now`, as Partner Center's own dashboards group attestations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct LedgerCounts {
    /// Pending: the customer has not accepted yet.
    pub waiting: u32,
    /// Accepted by the customer: to complete.
    pub accepted: u32,
    /// Expired, or unknown to Partner Center: to send again.
    pub expired: u32,
    /// Completed: the agreement is recorded.
    pub recorded: u32,
    /// Read in a status this toolkit does not know.
    pub unknown: u32,
    /// Withdrawn by the partner.
    pub withdrawn: u32,
}

/// LedgerCounts the records at `now`.
pub fn counts<'a>(
    records: impl IntoIterator<Item = &'a LedgerRecord>,
    now: Instant,
) -> LedgerCounts {
    let mut counts = LedgerCounts::default();
    for record in records {
        let slot = if record.withdrawn_at.is_some() {
            &mut counts.withdrawn
        } else if record.status == AttestationStatus::Completed {
            &mut counts.recorded
        } else if record.failure.is_some() || record.is_expired(now) {
            &mut counts.expired
        } else {
            match record.status {
                AttestationStatus::Accepted => &mut counts.accepted,
                AttestationStatus::Unknown => &mut counts.unknown,
                _ => &mut counts.waiting,
            }
        };
        *slot += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::parse_instant;

    const CUSTOMER: &str = "0c9b1d1e-7c4a-4bb7-9c5c-2f1e8d1a4b21";
    const OTHER: &str = "1a7b4d5f-6c2e-4f9b-8d3a-8e2f4b6c0d02";

    fn at(text: &str) -> Instant {
        parse_instant(text).unwrap()
    }

    fn answer(id: &str, status: AttestationStatus) -> Attestation {
        Attestation {
            attestation_id: id.into(),
            acceptance_url: format!("https://example.invalid/?id={id}"),
            status,
            raw_status: None,
            created_at: None,
            expires_at: Some(at("2026-12-13T09:00:00Z")),
        }
    }

    fn sent(id: &str) -> LedgerRecord {
        LedgerRecord::created(
            &CUSTOMER.to_uppercase(),
            &answer(id, AttestationStatus::Pending),
            Some("req-1".into()),
            Some("Adatum".into()),
            Some("agent-7".into()),
            at("2026-12-06T09:00:00Z"),
        )
    }

    #[test]
    fn a_new_record_waits_then_asks_to_be_checked() {
        let record = sent("att-1");
        assert_eq!(record.customer_id, CUSTOMER, "kept lower case");
        assert_eq!(record.status, AttestationStatus::Pending);
        assert_eq!(record.history.len(), 1);
        assert_eq!(
            record.next(at("2026-12-06T12:59:59Z")),
            AttestationStep::Wait
        );
        assert_eq!(
            record.next(at("2026-12-06T13:00:00Z")),
            AttestationStep::Check
        );
        assert!(record.is_live(at("2026-12-12T23:59:59Z")));
        // Its link expires: then it is sent again, and no longer blocks a new one.
        assert!(record.is_expired(at("2026-12-13T09:00:00Z")));
        assert_eq!(
            record.next(at("2026-12-13T09:00:00Z")),
            AttestationStep::SendAgain
        );
        assert!(!record.is_live(at("2026-12-13T09:00:00Z")));
    }

    #[test]
    fn every_transition() {
        let now = at("2026-12-07T10:00:00Z");
        let mut record = sent("att-1");
        record.observe(&answer("att-1", AttestationStatus::Accepted), now);
        assert_eq!(
            (record.status, record.next(now)),
            (AttestationStatus::Accepted, AttestationStep::Complete)
        );
        assert_eq!(record.accepted_at, Some(now));
        // Accepted does not expire: the customer did what the link asked.
        assert_eq!(
            record.next(at("2027-01-01T00:00:00Z")),
            AttestationStep::Complete
        );
        // Status lag: pending read after accepted does not move it back.
        record.observe(
            &answer("att-1", AttestationStatus::Pending),
            now.plus_seconds(60),
        );
        assert_eq!(record.status, AttestationStatus::Accepted);
        record.complete(
            now.plus_seconds(120),
            NaiveDate::from_ymd_opt(2026, 12, 7),
            None,
        );
        assert_eq!(
            (record.status, record.next(now)),
            (AttestationStatus::Completed, AttestationStep::Done)
        );
        assert!(!record.is_live(now));
        let statuses: Vec<_> = record.history.iter().map(|s| s.status).collect();
        use AttestationStatus::*;
        assert_eq!(statuses, [Pending, Accepted, Completed]);

        // Expired by Partner Center's word.
        let mut expired = sent("att-2");
        expired.observe(&answer("att-2", Expired), now);
        assert_eq!(expired.next(now), AttestationStep::SendAgain);
        // Gone from Partner Center.
        let mut gone = sent("att-3");
        gone.fail(BackendProblem::NotFound, now);
        assert_eq!(gone.next(now), AttestationStep::SendAgain);
        assert!(!gone.is_live(now));
        // Withdrawn: done, and no longer blocking.
        let mut withdrawn = sent("att-4");
        withdrawn.withdraw(now, Some("agent-9".into()));
        assert_eq!(withdrawn.next(now), AttestationStep::Done);
        assert!(!withdrawn.is_live(now));
    }

    #[test]
    fn an_unknown_status_is_kept_raw_never_completed_nor_sent_again_by_itself() {
        let now = at("2026-12-06T10:00:00Z");
        let mut record = sent("att-1");
        let mut odd = answer("att-1", AttestationStatus::Unknown);
        odd.raw_status = Some("InReview".into());
        record.observe(&odd, now);
        assert_eq!(
            record.status,
            AttestationStatus::Pending,
            "pending is further along"
        );
        assert_eq!(record.history[1].raw.as_deref(), Some("InReview"));
        let only_odd = LedgerRecord::created(CUSTOMER, &odd, None, None, None, now);
        assert_eq!(only_odd.status, AttestationStatus::Unknown);
        assert_eq!(only_odd.next(now), AttestationStep::Check);
        // Unknown still blocks a second attestation: nothing is re-sent by itself.
        assert!(only_odd.is_live(now));
    }

    #[test]
    fn one_live_attestation_per_customer() {
        let now = at("2026-12-08T10:00:00Z");
        let first = sent("att-1");
        let records = [first.clone()];
        let blocked = may_send(&records, CUSTOMER, now).unwrap_err();
        assert_eq!(blocked.attestation_id, "att-1");
        assert_eq!(blocked.expires_at, Some(at("2026-12-13T09:00:00Z")));
        assert!(may_send(&records, OTHER, now).is_ok(), "another customer");
        assert!(may_send(&records, &format!("{{{}}}", CUSTOMER.to_uppercase()), now).is_err());
        // Once it expired, failed, or was withdrawn: a new one may go.
        assert!(may_send(&records, CUSTOMER, at("2026-12-13T09:00:00Z")).is_ok());
        let mut withdrawn = first.clone();
        withdrawn.withdraw(now, None);
        assert!(may_send(&[withdrawn.clone()], CUSTOMER, now).is_ok());
        // Completed: nothing live (the customer's agreements then speak).
        let mut done = first.clone();
        done.complete(now, None, None);
        assert!(may_send(&[done.clone()], CUSTOMER, now).is_ok());
        // The current one: the live one over an older completed one.
        let mut second = sent("att-2");
        second.created_at = at("2026-12-07T09:00:00Z");
        let records = [done, second, withdrawn];
        assert_eq!(
            current_for(&records, CUSTOMER, now).unwrap().attestation_id,
            "att-2"
        );
        assert_eq!(
            current_for(&records[..1], CUSTOMER, now)
                .unwrap()
                .attestation_id,
            "att-1"
        );
        assert!(
            current_for(&records[2..], CUSTOMER, now).is_none(),
            "withdrawn only"
        );
    }

    #[test]
    fn the_problems_a_partner_is_told() {
        let now = at("2026-12-08T10:00:00Z");
        let record = sent("att-1");
        let issue = sending_problem([&record], CUSTOMER, now).unwrap();
        assert_eq!(
            issue.problem,
            Problem::AttestationInProgress {
                since: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
                expires: NaiveDate::from_ymd_opt(2026, 12, 13),
            }
        );
        assert_eq!(sending_problem([&record], OTHER, now), None);
        assert_eq!(owner_problem(Some(&record), CUSTOMER), None);
        assert_eq!(
            owner_problem(None, OTHER),
            None,
            "unknown to the ledger: asked as given"
        );
        assert_eq!(
            owner_problem(Some(&record), OTHER).map(|i| i.problem),
            Some(Problem::AttestationOfAnotherCustomer {})
        );
    }

    #[test]
    fn two_copies_merge_whatever_the_order() {
        let mut a = sent("att-1");
        let mut b = a.clone();
        a.observe(
            &answer("att-1", AttestationStatus::Accepted),
            at("2026-12-07T08:00:00Z"),
        );
        a.version = 3;
        b.complete(
            at("2026-12-07T09:00:00Z"),
            None,
            Some(Note::AlreadyRecorded),
        );
        b.version = 2;
        let ab = merge(&a, &b);
        assert_eq!(ab, merge(&b, &a));
        assert_eq!(ab.status, AttestationStatus::Completed);
        assert_eq!(ab.version, 3);
        assert_eq!(ab.accepted_at, Some(at("2026-12-07T08:00:00Z")));
        assert_eq!(ab.note, Some(Note::AlreadyRecorded));
        let statuses: Vec<_> = ab.history.iter().map(|s| s.status).collect();
        use AttestationStatus::*;
        assert_eq!(statuses, [Pending, Accepted, Completed]);
        assert_eq!(merge(&ab, &ab), ab);
    }

    #[test]
    fn records_from_a_store_are_checked() {
        let good = sent("att-1");
        assert_eq!(good.check(), Ok(()));
        for (bad, error) in [
            (
                LedgerRecord {
                    attestation_id: "../x".into(),
                    ..good.clone()
                },
                RecordError::AttestationId,
            ),
            (
                LedgerRecord {
                    customer_id: "nope".into(),
                    ..good.clone()
                },
                RecordError::CustomerId,
            ),
            (
                LedgerRecord {
                    customer_id: CUSTOMER.to_uppercase(),
                    ..good.clone()
                },
                RecordError::CustomerId,
            ),
            (
                LedgerRecord {
                    sent_by: Some("x".repeat(201)),
                    ..good.clone()
                },
                RecordError::TooLong,
            ),
        ] {
            assert_eq!(bad.check(), Err(error));
        }
        // Its JSON: camelCase, times as UTC text, nothing personal.
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"attestationId":"att-1","customerId":"{CUSTOMER}","companyName":"Adatum","requestId":"req-1","sentBy":"agent-7","createdAt":"2026-12-06T09:00:00Z","expiresAt":"2026-12-13T09:00:00Z","status":"Pending","history":[{{"status":"Pending","at":"2026-12-06T09:00:00Z"}}],"checkedAt":"2026-12-06T09:00:00Z","version":0}}"#
            )
        );
        assert_eq!(serde_json::from_str::<LedgerRecord>(&json).unwrap(), good);
    }

    #[test]
    fn counts_as_dashboards_group_them() {
        let now = at("2026-12-08T10:00:00Z");
        let pending = sent("a");
        let mut accepted = sent("b");
        accepted.observe(&answer("b", AttestationStatus::Accepted), now);
        let mut done = sent("c");
        done.complete(now, None, None);
        let mut old = sent("d");
        old.expires_at = Some(at("2026-12-07T00:00:00Z"));
        let mut odd = LedgerRecord::created(
            CUSTOMER,
            &answer("e", AttestationStatus::Unknown),
            None,
            None,
            None,
            now,
        );
        odd.history[0].raw = Some("Processing".into());
        let mut withdrawn = sent("f");
        withdrawn.withdraw(now, None);
        let all = [pending, accepted, done, old, odd, withdrawn];
        assert_eq!(
            counts(&all, now),
            LedgerCounts {
                waiting: 1,
                accepted: 1,
                expired: 1,
                recorded: 1,
                unknown: 1,
                withdrawn: 1
            }
        );
    }
}
