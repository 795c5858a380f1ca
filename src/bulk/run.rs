//! Sending the valid rows of a file, apart from any I/O: which row to read or send next (at
//! most `concurrency` at once), what each answer means, pause, resume and cancel, the progress,
//! and a journal that a reload restores without sending anything twice. The caller performs the
//! requests (each with its row's `MS-RequestId`, kept across retries and reloads) and reports
//! their answers.
//!
//! Each row goes: waiting → checking (the customer's confirmations are read) → ready → sending
//! → sent; or skipped (the customer already holds the agreement), or failed. A row that was
//! being sent when the page went away, or whose answer never came, is "uncertain": it is
//! checked again, found recorded (sent) or sent again with the same request id, which the
//! backend answers without a second record.

use std::collections::VecDeque;

use crate::checks::text::PersonKey;
use crate::flows::backend::BackendProblem;
use crate::flows::payload::Agreement;
use crate::rules::agreement::AgreementType;
use crate::rules::date::Instant;

/// How many times a row goes back to its queue after the backend was unavailable or silent
/// (each time after the client's own retries) before it fails: throttling slows a run down, it
/// does not fail its rows.
pub const MAX_ROUNDS: u8 = 3;

crate::wire_enum! {
    /// Where a row stands.
    pub enum RowStatus {
        /// Not read nor sent yet.
        Waiting = "waiting",
        /// Its customer's confirmations are being read.
        Checking = "checking",
        /// Read: to be sent.
        Ready = "ready",
        /// Being sent.
        Sending = "sending",
        /// Was being sent when the page went away: to be read again before anything else.
        Uncertain = "uncertain",
        /// Recorded by the backend.
        Sent = "sent",
        /// Not sent: the customer already holds the agreement.
        Skipped = "skipped",
        /// Not recorded: see its error.
        Failed = "failed",
    }
}

crate::wire_enum! {
    /// Why a row ended as it did, when there is more to say than its status.
    pub enum RowNote {
        /// Recorded by an earlier attempt whose answer was lost: a retried request was answered
        /// "already exists".
        AlreadyRecorded = "already-recorded",
        /// Skipped: an attestation sent earlier (its id in `reference`, its day in `since`) is
        /// waiting for the customer.
        Waiting = "waiting",
    }
}

/// A row to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// Its line in the file.
    pub line: u32,
    /// The customer.
    pub customer_id: String,
    /// The agreement it confirms (None: the enhanced route, where the customer accepts the
    /// Customer Agreement).
    pub agreement: Option<AgreementType>,
    /// The signatory, as confirmations compare people: to recognize the row's own confirmation
    /// when read back, by the rule of the duplicate check.
    pub person: PersonKey,
    /// Its `MS-RequestId`, the same for every attempt.
    pub request_id: String,
    /// Where it stands.
    pub status: RowStatus,
    /// What the backend recorded, when it says (the attestation's id on the enhanced route).
    pub reference: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<BackendProblem>,
    /// More about how it ended, when there is more.
    pub note: Option<RowNote>,
    /// When the attestation it waits on was sent (`RowNote::Waiting`).
    pub since: Option<Instant>,
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Read the customer's confirmations (or status) for row `index`.
    Check {
        /// The row's index in the run.
        index: usize,
    },
    /// Send row `index` with its request id.
    Send {
        /// The row's index in the run.
        index: usize,
    },
}

/// The answer to a `Check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The customer's confirmations (legacy route).
    Agreements(Vec<Agreement>),
    /// Whether the customer can already be ordered for (enhanced route: customer status).
    Orderable(bool),
    /// The ledger holds a live attestation for the customer (enhanced route): its id and the
    /// time it was sent. The row is skipped: one live attestation per customer.
    Waiting {
        /// The live attestation's id.
        attestation_id: String,
        /// When it was sent.
        since: Instant,
        /// The request id it was created with, when the ledger knows it: the row's own when
        /// the row sent it before the page went away (its journal entry not yet written).
        request_id: Option<String>,
    },
    /// The read failed (after the client's retries).
    Failed(BackendProblem),
}

/// The answer to a `Send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Recorded, with what the backend calls the record when it says.
    Recorded(Option<String>),
    /// Refused as "already exists" (600061, or another 409); `retried` when it was not the
    /// request's first attempt. A retried request, or one of a row whose earlier send may have
    /// been recorded, was recorded by that earlier attempt (SPEC §7: success); otherwise the
    /// customer already held it (skipped).
    AlreadyExists {
        /// The request was tried more than once.
        retried: bool,
    },
    /// Refused or unanswered (after the client's retries). A request that may still have been
    /// carried out (`may_have_been_done`) makes the row uncertain: it is read again, then sent
    /// again with the same request id if it is not there (at most `MAX_ROUNDS` times).
    Failed(BackendProblem),
}

/// Counts of the rows by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Every row of the run.
    pub total: usize,
    /// Sent.
    pub sent: usize,
    /// Skipped.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Being read or sent.
    pub in_flight: usize,
    /// Not done yet (waiting, ready, uncertain).
    pub left: usize,
    /// Done before this run was built (restored from a journal): not counted in its pace.
    pub done_before: usize,
}

impl Progress {
    /// Rows done (sent, skipped or failed).
    pub fn done(&self) -> usize {
        self.sent + self.skipped + self.failed
    }

    /// The time still needed at this run's pace so far (`elapsed_ms` since it was built), in
    /// milliseconds; None before its first row is done.
    pub fn remaining_ms(&self, elapsed_ms: f64) -> Option<f64> {
        let done = self.done().saturating_sub(self.done_before);
        (done > 0).then(|| elapsed_ms / done as f64 * (self.left + self.in_flight) as f64)
    }
}

/// The run of a file's valid rows. Every change of a row costs the same whatever the size of
/// the run: the counts are kept as rows change, and the rows changed since the caller last
/// asked (`take_changed`) are listed, so that a journal is written a row at a time.
#[derive(Debug, Clone)]
pub struct BulkRun {
    rows: Vec<RunRow>,
    concurrency: usize,
    to_check: VecDeque<usize>,
    to_send: VecDeque<usize>,
    /// Rows whose earlier send may have been recorded (they were being sent at a reload).
    uncertain: Vec<bool>,
    /// How many times each row met an unavailable or silent backend (see `MAX_ROUNDS`).
    rounds: Vec<u8>,
    in_flight: usize,
    paused: bool,
    /// Why the run paused itself: the token was refused (every request would be).
    blocked: Option<BackendProblem>,
    cancelled: bool,
    done_before: usize,
    /// Rows by status (`RowStatus::ALL`'s order).
    counts: [usize; 8],
    /// Rows changed since `take_changed`, each once.
    changed: Vec<usize>,
    is_changed: Vec<bool>,
    /// Rows are still being added.
    more_coming: bool,
}

fn slot(status: RowStatus) -> usize {
    RowStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0)
}

/// The `MS-RequestId` of line `line` of a sending whose seed is `seed` (a random value the
/// caller keeps with its journal): the same for the same sending, so that a row sent just before
/// the page went away, whose journal entry was not yet written, is sent again under the same id
/// after the reload (the backend answers it again, creating nothing) and recognized in the
/// ledger as the row's own. A UUID (version 4 and variant bits set) of 122 bits hashed from the
/// seed and the line.
pub fn row_request_id(seed: &str, line: u32) -> String {
    fn mix(z: u64) -> u64 {
        let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let (mut a, mut b) = (0x6a09_e667_f3bc_c908_u64, 0xbb67_ae85_84ca_a73b_u64);
    for byte in seed.bytes().chain(line.to_le_bytes()) {
        a = mix(a ^ u64::from(byte));
        b = mix(b.rotate_left(7) ^ u64::from(byte) ^ a);
    }
    let high = (a & !0xF000) | 0x4000;
    let low = (b & !(0b11 << 62)) | (0b10 << 62);
    let hex = |n: u64, digits: usize| {
        let mut out = String::with_capacity(digits);
        for i in (0..digits).rev() {
            out.push(char::from(
                b"0123456789abcdef"[((n >> (i * 4)) & 0xF) as usize],
            ));
        }
        out
    };
    crate::checks::text::join(
        &[
            &hex(high >> 32, 8),
            &hex(high >> 16 & 0xFFFF, 4),
            &hex(high & 0xFFFF, 4),
            &hex(low >> 48, 4),
            &hex(low & 0xFFFF_FFFF_FFFF, 12),
        ],
        "-",
    )
}

impl BulkRun {
    /// A run of `rows` with their status as saved: `sending` becomes uncertain, `checking` and
    /// `ready` are read again, and `failed` rows are tried again (read first, as uncertain,
    /// when the failure may have been recorded). At most `concurrency` requests at once (at
    /// least 1).
    pub fn new(rows: Vec<RunRow>, concurrency: usize) -> BulkRun {
        let mut run = BulkRun {
            done_before: 0,
            rows: Vec::new(),
            concurrency: concurrency.max(1),
            to_check: VecDeque::new(),
            to_send: VecDeque::new(),
            rounds: Vec::new(),
            uncertain: Vec::new(),
            in_flight: 0,
            paused: false,
            blocked: None,
            cancelled: false,
            counts: [0; 8],
            changed: Vec::new(),
            is_changed: Vec::new(),
            more_coming: false,
        };
        run.extend(rows);
        run
    }

    /// Adds rows (their status as saved, read as `new` reads them), for a run whose rows are
    /// read a slice at a time: a large file's rows are handed over without a long task.
    pub fn extend(&mut self, rows: Vec<RunRow>) {
        for mut row in rows {
            let index = self.rows.len();
            let uncertain = match row.status {
                RowStatus::Sending | RowStatus::Uncertain => true,
                RowStatus::Failed => row.error.map_or(true, BackendProblem::may_have_been_done),
                _ => false,
            };
            row.status = match row.status {
                _ if uncertain => RowStatus::Uncertain,
                RowStatus::Checking | RowStatus::Ready | RowStatus::Failed => RowStatus::Waiting,
                done => done,
            };
            if row.status != RowStatus::Sent && row.status != RowStatus::Skipped {
                row.error = None;
                row.note = None;
            }
            if matches!(row.status, RowStatus::Waiting | RowStatus::Uncertain) {
                self.to_check.push_back(index);
            }
            if matches!(row.status, RowStatus::Sent | RowStatus::Skipped) {
                self.done_before += 1;
            }
            self.counts[slot(row.status)] += 1;
            self.uncertain.push(uncertain);
            self.rounds.push(0);
            self.is_changed.push(false);
            self.rows.push(row);
        }
    }

    /// Whether more rows will be added (`extend`): until then the run is not finished.
    pub fn expect_more(&mut self, more: bool) {
        self.more_coming = more;
    }

    /// The rows, with their status.
    pub fn rows(&self) -> &[RunRow] {
        &self.rows
    }

    /// Moves row `index` to `status`, keeping the counts and the list of rows changed.
    fn set(&mut self, index: usize, status: RowStatus) {
        let row = &mut self.rows[index];
        self.counts[slot(row.status)] -= 1;
        self.counts[slot(status)] += 1;
        row.status = status;
        if !self.is_changed[index] {
            self.is_changed[index] = true;
            self.changed.push(index);
        }
    }

    /// The rows changed since the last call (each once, in the order of their first change):
    /// what a journal writes again.
    pub fn take_changed(&mut self) -> Vec<usize> {
        for &index in &self.changed {
            self.is_changed[index] = false;
        }
        std::mem::take(&mut self.changed)
    }

    /// The status to save for row `index` (to build the run again after a reload): a row whose
    /// earlier send may have been recorded stays uncertain until it is read.
    pub fn saved_status(&self, index: usize) -> RowStatus {
        match self.rows[index].status {
            RowStatus::Checking | RowStatus::Waiting if self.uncertain[index] => {
                RowStatus::Uncertain
            }
            status => status,
        }
    }

    /// Changes how many requests may be under way at once (at least 1).
    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.concurrency = concurrency.max(1);
    }

    /// The next request to make, if one may start now: rows ready to send first, then rows to
    /// read. None when paused, cancelled, at the concurrency limit, or nothing is left.
    pub fn next_job(&mut self) -> Option<Job> {
        if self.paused || self.cancelled || self.in_flight >= self.concurrency {
            return None;
        }
        let job = if let Some(index) = self.to_send.pop_front() {
            self.set(index, RowStatus::Sending);
            Job::Send { index }
        } else {
            let index = self.to_check.pop_front()?;
            self.set(index, RowStatus::Checking);
            Job::Check { index }
        };
        self.in_flight += 1;
        Some(job)
    }

    /// The status a row waits in: uncertain when its earlier send may have been recorded.
    fn waiting(&self, index: usize) -> RowStatus {
        if self.uncertain[index] {
            RowStatus::Uncertain
        } else {
            RowStatus::Waiting
        }
    }

    /// The answer to `Check { index }`.
    pub fn on_checked(&mut self, index: usize, checked: Checked) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let uncertain = self.uncertain[index];
        let (holds, own) = match checked {
            Checked::Agreements(list) => {
                let row = &self.rows[index];
                let same_type = |a: &&Agreement| Some(a.agreement_type) == row.agreement;
                let own = |a: &&Agreement| a.primary_contact.person_key() == row.person;
                (
                    list.iter().any(|a| same_type(&a)),
                    list.iter().filter(same_type).any(|a| own(&a)),
                )
            }
            Checked::Orderable(orderable) => (orderable, orderable),
            Checked::Waiting {
                attestation_id,
                since,
                request_id,
            } => {
                let row = &mut self.rows[index];
                // Its own attestation, sent before the page went away: sent. Known by its id
                // (the journal kept it) or by the request id it was created with.
                let own = (uncertain && row.reference.as_deref() == Some(&attestation_id))
                    || request_id.as_deref() == Some(row.request_id.as_str());
                if !own {
                    row.note = Some(RowNote::Waiting);
                    row.since = Some(since);
                }
                row.reference = Some(attestation_id);
                let status = if own {
                    RowStatus::Sent
                } else {
                    RowStatus::Skipped
                };
                self.set(index, status);
                return;
            }
            Checked::Failed(problem) if problem.needs_sign_in() => {
                let status = self.waiting(index);
                self.set(index, status);
                self.to_check.push_front(index);
                self.block(problem);
                return;
            }
            // Unavailable or unanswered, after the client's retries: read again later.
            Checked::Failed(problem)
                if problem.may_have_been_done() && self.rounds[index] < MAX_ROUNDS =>
            {
                self.rounds[index] += 1;
                let status = self.waiting(index);
                self.set(index, status);
                self.to_check.push_back(index);
                return;
            }
            Checked::Failed(problem) => {
                self.rows[index].error = Some(problem);
                self.set(index, RowStatus::Failed);
                return;
            }
        };
        let status = match (holds, uncertain && own) {
            // Sent before the page went away: its own confirmation is there.
            (_, true) => RowStatus::Sent,
            (true, false) => RowStatus::Skipped,
            (false, false) => {
                self.to_send.push_back(index);
                RowStatus::Ready
            }
        };
        self.set(index, status);
    }

    /// The answer to `Send { index }`.
    pub fn on_sent(&mut self, index: usize, sent: Sent) {
        self.in_flight = self.in_flight.saturating_sub(1);
        match sent {
            Sent::Recorded(reference) => {
                self.rows[index].reference = reference;
                self.set(index, RowStatus::Sent);
            }
            Sent::AlreadyExists { retried } if retried || self.uncertain[index] => {
                self.rows[index].note = Some(RowNote::AlreadyRecorded);
                self.set(index, RowStatus::Sent);
            }
            Sent::AlreadyExists { .. } => self.set(index, RowStatus::Skipped),
            // Refused before anything was done: sent again once the token is given again.
            Sent::Failed(problem) if problem.needs_sign_in() => {
                self.set(index, RowStatus::Ready);
                self.to_send.push_front(index);
                self.block(problem);
            }
            // Unavailable or unanswered, after the client's retries: it may be recorded. Read
            // again later (after the rows waiting), then sent again with the same request id
            // if it is not there.
            Sent::Failed(problem)
                if problem.may_have_been_done() && self.rounds[index] < MAX_ROUNDS =>
            {
                self.rounds[index] += 1;
                self.uncertain[index] = true;
                self.set(index, RowStatus::Uncertain);
                self.to_check.push_back(index);
            }
            Sent::Failed(problem) => {
                self.rows[index].error = Some(problem);
                self.set(index, RowStatus::Failed);
            }
        }
    }

    /// No new request starts until `resume`; those under way finish.
    pub fn pause(&mut self) {
        self.paused = true;
    }

    /// Pauses because every request would be refused so (a refused token): the row goes back
    /// to its queue, nothing fails for it.
    fn block(&mut self, problem: BackendProblem) {
        self.paused = true;
        self.blocked = Some(problem);
    }

    /// Requests start again.
    pub fn resume(&mut self) {
        self.paused = false;
        self.blocked = None;
    }

    /// Why the run paused itself, if it did (until `resume`).
    pub fn blocked(&self) -> Option<BackendProblem> {
        self.blocked
    }

    /// No new request starts, ever; those under way finish, so no row is left half-sent.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Whether the run is paused.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Whether the run was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled
    }

    /// Nothing under way, and nothing more will start.
    pub fn is_finished(&self) -> bool {
        self.in_flight == 0
            && (self.cancelled
                || (!self.more_coming && self.to_check.is_empty() && self.to_send.is_empty()))
    }

    /// The counts by status (kept as rows change: the same cost whatever the size).
    pub fn progress(&self) -> Progress {
        let count = |status| self.counts[slot(status)];
        Progress {
            total: self.rows.len(),
            in_flight: self.in_flight,
            done_before: self.done_before,
            sent: count(RowStatus::Sent),
            skipped: count(RowStatus::Skipped),
            failed: count(RowStatus::Failed),
            left: count(RowStatus::Waiting) + count(RowStatus::Ready) + count(RowStatus::Uncertain),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::payload::Contact;

    const MCA: AgreementType = AgreementType::MicrosoftCustomerAgreement;

    fn row(line: u32) -> RunRow {
        RunRow {
            line,
            customer_id: format!("customer-{line}"),
            agreement: Some(MCA),
            person: PersonKey::of("A", "B", &format!("p{line}@example.com"), ""),
            request_id: format!("request-{line}"),
            status: RowStatus::Waiting,
            reference: None,
            error: None,
            note: None,
            since: None,
        }
    }

    fn held(email: &str) -> Agreement {
        Agreement {
            user_id: None,
            primary_contact: Contact {
                first_name: "A".into(),
                last_name: "B".into(),
                email: email.into(),
                phone_number: None,
            },
            template_id: "t".into(),
            date_agreed: chrono::NaiveDate::from_ymd_opt(2019, 11, 1).unwrap(),
            agreement_type: MCA,
            agreement_link: None,
        }
    }

    /// Runs to the end, answering every check with `check(index)` and every send "recorded";
    /// returns the jobs in order.
    fn drive(run: &mut BulkRun, check: impl Fn(usize) -> Checked) -> Vec<Job> {
        let mut jobs = Vec::new();
        while let Some(job) = run.next_job() {
            jobs.push(job.clone());
            match job {
                Job::Check { index } => run.on_checked(index, check(index)),
                Job::Send { index } => run.on_sent(index, Sent::Recorded(None)),
            }
        }
        jobs
    }

    #[test]
    fn each_row_is_read_then_sent_and_held_ones_are_skipped() {
        let mut run = BulkRun::new((2..6).map(row).collect(), 4);
        let jobs = drive(&mut run, |index| {
            Checked::Agreements(if index == 1 {
                vec![held("someone@example.com")]
            } else {
                vec![]
            })
        });
        let sends = jobs
            .iter()
            .filter(|j| matches!(j, Job::Send { .. }))
            .count();
        assert_eq!(sends, 3);
        assert!(run.is_finished());
        let statuses: Vec<_> = run.rows().iter().map(|r| r.status).collect();
        use RowStatus::*;
        assert_eq!(statuses, vec![Sent, Skipped, Sent, Sent]);
        let p = run.progress();
        assert_eq!(
            (p.sent, p.skipped, p.failed, p.left, p.done()),
            (3, 1, 0, 0, 4)
        );
    }

    #[test]
    fn at_most_concurrency_requests_at_once() {
        let mut run = BulkRun::new((2..12).map(row).collect(), 3);
        let started: Vec<_> = std::iter::from_fn(|| run.next_job()).collect();
        assert_eq!(started.len(), 3);
        assert_eq!(run.progress().in_flight, 3);
        run.on_checked(0, Checked::Agreements(vec![]));
        // The freed slot goes to sending the row just read.
        assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
        assert_eq!(run.next_job(), None);
        run.set_concurrency(5);
        assert_eq!(run.next_job(), Some(Job::Check { index: 3 }));
    }

    #[test]
    fn pause_resume_and_cancel_leave_no_row_half_sent() {
        let mut run = BulkRun::new((2..8).map(row).collect(), 2);
        let a = run.next_job().unwrap();
        run.pause();
        assert_eq!(run.next_job(), None);
        run.resume();
        let b = run.next_job().unwrap();
        run.cancel();
        assert_eq!(run.next_job(), None);
        assert!(!run.is_finished(), "two requests are under way");
        for job in [a, b] {
            let Job::Check { index } = job else { panic!() };
            run.on_checked(index, Checked::Agreements(vec![]));
        }
        assert!(run.is_finished());
        assert_eq!(run.next_job(), None);
        // Nothing was sent; every row is still to do.
        let p = run.progress();
        assert_eq!((p.sent, p.left, p.in_flight), (0, 6, 0));
    }

    #[test]
    fn failures_are_kept_with_their_code() {
        let mut run = BulkRun::new(vec![row(2), row(3)], 1);
        let Some(Job::Check { index }) = run.next_job() else {
            panic!()
        };
        run.on_checked(index, Checked::Failed(BackendProblem::Forbidden));
        let Some(Job::Check { index }) = run.next_job() else {
            panic!()
        };
        run.on_checked(index, Checked::Agreements(vec![]));
        let Some(Job::Send { index }) = run.next_job() else {
            panic!()
        };
        run.on_sent(index, Sent::Failed(BackendProblem::InvalidInput));
        assert!(run.is_finished());
        let errors: Vec<_> = run.rows().iter().map(|r| r.error).collect();
        assert_eq!(
            errors,
            vec![
                Some(BackendProblem::Forbidden),
                Some(BackendProblem::InvalidInput)
            ]
        );
    }

    #[test]
    fn a_send_without_an_answer_is_read_again_then_sent_with_the_same_id() {
        let mut run = BulkRun::new(vec![row(2)], 1);
        let Some(Job::Check { index }) = run.next_job() else {
            panic!()
        };
        run.on_checked(index, Checked::Agreements(vec![]));
        assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
        run.on_sent(0, Sent::Failed(BackendProblem::Timeout));
        assert_eq!(run.rows()[0].status, RowStatus::Uncertain);
        assert_eq!(run.saved_status(0), RowStatus::Uncertain);
        // Read again: its own confirmation is there (the first send was recorded).
        assert_eq!(run.next_job(), Some(Job::Check { index: 0 }));
        run.on_checked(0, Checked::Agreements(vec![held("p2@example.com")]));
        assert_eq!(run.rows()[0].status, RowStatus::Sent);
        assert!(run.is_finished());

        // Not there: sent again (same request id), until the rounds are spent.
        let mut run = BulkRun::new(vec![row(2)], 1);
        let mut sends = 0;
        while let Some(job) = run.next_job() {
            match job {
                Job::Check { index } => run.on_checked(index, Checked::Agreements(vec![])),
                Job::Send { index } => {
                    sends += 1;
                    run.on_sent(index, Sent::Failed(BackendProblem::Network));
                }
            }
        }
        assert_eq!(sends, 1 + usize::from(MAX_ROUNDS));
        assert_eq!(run.rows()[0].status, RowStatus::Failed);
        assert_eq!(run.rows()[0].error, Some(BackendProblem::Network));
        assert_eq!(run.rows()[0].request_id, "request-2");
        // A refusal is final at once.
        let mut run = BulkRun::new(vec![row(2)], 1);
        run.next_job();
        run.on_checked(0, Checked::Agreements(vec![]));
        run.next_job();
        run.on_sent(0, Sent::Failed(BackendProblem::Forbidden));
        assert_eq!(run.rows()[0].status, RowStatus::Failed);
    }

    #[test]
    fn after_a_reload_a_row_that_was_being_sent_is_read_first_and_never_sent_twice() {
        // Saved mid-run: row 2 sent, row 3 being sent (recorded by the backend), row 4 being
        // sent (lost before the backend), row 5 read, row 6 waiting.
        let mut saved: Vec<RunRow> = (2..7).map(row).collect();
        saved[0].status = RowStatus::Sent;
        saved[1].status = RowStatus::Sending;
        saved[2].status = RowStatus::Sending;
        saved[3].status = RowStatus::Ready;
        let mut run = BulkRun::new(saved.clone(), 2);
        assert_eq!(run.progress().sent, 1);
        // Reloaded again while row 3 is being read: it is still uncertain.
        let mut again = BulkRun::new(saved, 1);
        assert_eq!(again.next_job(), Some(Job::Check { index: 1 }));
        assert_eq!(again.saved_status(1), RowStatus::Uncertain);
        assert_eq!(again.saved_status(3), RowStatus::Waiting);
        let jobs = drive(&mut run, |index| {
            Checked::Agreements(if index == 1 {
                vec![held("p3@example.com")]
            } else {
                vec![]
            })
        });
        // Row 2 is not touched again; row 3 is found recorded; rows 4, 5, 6 are sent (row 4
        // with its saved request id).
        assert!(
            !jobs.contains(&Job::Check { index: 0 }) && !jobs.contains(&Job::Send { index: 0 })
        );
        assert!(!jobs.contains(&Job::Send { index: 1 }));
        assert!(jobs.contains(&Job::Send { index: 2 }));
        assert_eq!(run.rows()[2].request_id, "request-4");
        assert!(run.rows().iter().all(|r| r.status == RowStatus::Sent));
    }

    #[test]
    fn rows_that_failed_are_tried_again_after_a_reload() {
        let mut saved: Vec<RunRow> = (2..5).map(row).collect();
        saved[0].status = RowStatus::Failed;
        saved[0].error = Some(BackendProblem::Forbidden);
        saved[1].status = RowStatus::Failed;
        saved[1].error = Some(BackendProblem::Timeout);
        saved[2].status = RowStatus::Sent;
        let mut run = BulkRun::new(saved, 1);
        assert_eq!(run.rows()[0].status, RowStatus::Waiting);
        assert_eq!(run.rows()[0].error, None);
        // The one whose answer never came may be recorded: read first, found, not sent again.
        assert_eq!(run.rows()[1].status, RowStatus::Uncertain);
        let jobs = drive(&mut run, |index| {
            Checked::Agreements(if index == 1 {
                vec![held("p3@example.com")]
            } else {
                vec![]
            })
        });
        assert!(!jobs.contains(&Job::Send { index: 1 }));
        assert!(jobs.contains(&Job::Send { index: 0 }));
        assert!(run.rows().iter().all(|r| r.status == RowStatus::Sent));
    }

    #[test]
    fn throttling_slows_a_run_down_and_fails_no_row() {
        // Every request of row 2 is throttled twice (after the client's retries), row 3 never.
        let mut run = BulkRun::new(vec![row(2), row(3)], 1);
        let mut throttled = [0, 0];
        let mut order = Vec::new();
        while let Some(job) = run.next_job() {
            order.push(job.clone());
            match job {
                Job::Check { index } if index == 0 && throttled[0] < 2 => {
                    throttled[0] += 1;
                    run.on_checked(index, Checked::Failed(BackendProblem::Unavailable));
                }
                Job::Check { index } => run.on_checked(index, Checked::Agreements(vec![])),
                Job::Send { index } if index == 0 && throttled[1] < 1 => {
                    throttled[1] += 1;
                    run.on_sent(index, Sent::Failed(BackendProblem::Unavailable));
                }
                Job::Send { index } => run.on_sent(index, Sent::Recorded(None)),
            }
        }
        assert!(run.rows().iter().all(|r| r.status == RowStatus::Sent));
        // The throttled row went to the back: row 3 was read before row 2's second read.
        assert_eq!(order[1], Job::Check { index: 1 });
        // After its throttled send, row 2 was read again before it was sent again.
        let sends: Vec<_> = order
            .iter()
            .filter(|j| **j == Job::Send { index: 0 })
            .collect();
        assert_eq!(sends.len(), 2);
        // A refusal that is not throttling fails at once.
        let mut run = BulkRun::new(vec![row(2)], 1);
        run.next_job();
        run.on_checked(0, Checked::Failed(BackendProblem::NotFound));
        assert_eq!(run.rows()[0].status, RowStatus::Failed);
    }

    #[test]
    fn a_refused_token_pauses_the_run_and_fails_no_row() {
        let mut run = BulkRun::new(vec![row(2), row(3)], 2);
        let first = run.next_job().unwrap();
        let second = run.next_job().unwrap();
        run.on_checked(0, Checked::Agreements(vec![]));
        assert_eq!(first, Job::Check { index: 0 });
        assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
        run.on_sent(0, Sent::Failed(BackendProblem::Unauthorized));
        assert_eq!(second, Job::Check { index: 1 });
        run.on_checked(1, Checked::Failed(BackendProblem::Unauthorized));
        assert_eq!(run.blocked(), Some(BackendProblem::Unauthorized));
        assert!(run.is_paused() && run.next_job().is_none());
        assert_eq!(run.progress().failed, 0);
        // The token is given again: the row read goes out first, then the other is read.
        run.resume();
        assert_eq!(run.blocked(), None);
        assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
        assert_eq!(run.next_job(), Some(Job::Check { index: 1 }));
    }

    #[test]
    fn on_the_enhanced_route_an_orderable_customer_is_skipped() {
        let mut rows = vec![row(2), row(3)];
        for r in &mut rows {
            r.agreement = None;
        }
        let mut run = BulkRun::new(rows, 4);
        drive(&mut run, |index| Checked::Orderable(index == 0));
        let statuses: Vec<_> = run.rows().iter().map(|r| r.status).collect();
        assert_eq!(statuses, vec![RowStatus::Skipped, RowStatus::Sent]);
    }

    #[test]
    fn a_rows_own_confirmation_is_known_as_the_duplicate_check_knows_people() {
        // Sent, its answer lost, then read back: `found` is what the read gives.
        let status = |found: Agreement| {
            let mut mine = row(2);
            mine.person = PersonKey::of("A", "B", "Jose\u{301}@Example.com", "");
            let mut run = BulkRun::new(vec![mine], 1);
            run.next_job();
            run.on_checked(0, Checked::Agreements(vec![]));
            run.next_job();
            run.on_sent(0, Sent::Failed(BackendProblem::Timeout));
            assert_eq!(run.next_job(), Some(Job::Check { index: 0 }));
            run.on_checked(0, Checked::Agreements(vec![found]));
            run.rows()[0].status
        };
        // The address composed and in other case: its own.
        assert_eq!(status(held("josé@example.com")), RowStatus::Sent);
        // The same address for another person: someone else's confirmation.
        let mut other = held("josé@example.com");
        other.primary_contact.first_name = "C".into();
        assert_eq!(status(other), RowStatus::Skipped);
    }

    #[test]
    fn a_retried_send_answered_already_exists_was_recorded() {
        let ready = || {
            let mut run = BulkRun::new(vec![row(2)], 1);
            run.next_job();
            run.on_checked(0, Checked::Agreements(vec![]));
            assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
            run
        };
        // Its first attempt recorded, its answer lost, the retry refused: sent, with a note.
        let mut run = ready();
        run.on_sent(0, Sent::AlreadyExists { retried: true });
        assert_eq!(
            (run.rows()[0].status, run.rows()[0].note),
            (RowStatus::Sent, Some(RowNote::AlreadyRecorded))
        );
        // At its first attempt: someone else recorded it meanwhile: skipped, like a held one.
        let mut run = ready();
        run.on_sent(0, Sent::AlreadyExists { retried: false });
        assert_eq!(run.rows()[0].status, RowStatus::Skipped);
        // Sent again after an unanswered send (uncertain), then refused so: its own record.
        let mut run = ready();
        run.on_sent(0, Sent::Failed(BackendProblem::Timeout));
        run.next_job();
        run.on_checked(0, Checked::Agreements(vec![]));
        run.next_job();
        run.on_sent(0, Sent::AlreadyExists { retried: false });
        assert_eq!(run.rows()[0].status, RowStatus::Sent);
    }

    #[test]
    fn a_customer_with_a_live_attestation_is_skipped_with_its_day() {
        let since = crate::rules::date::parse_instant("2026-12-01T10:00:00Z").unwrap();
        let mut rows = vec![row(2), row(3)];
        for r in &mut rows {
            r.agreement = None;
        }
        let mut run = BulkRun::new(rows, 4);
        let jobs = drive(&mut run, |index| {
            if index == 0 {
                Checked::Waiting {
                    attestation_id: "att-9".into(),
                    since,
                    request_id: Some("someone-else's".into()),
                }
            } else {
                Checked::Orderable(false)
            }
        });
        assert!(!jobs.contains(&Job::Send { index: 0 }));
        let waiting = &run.rows()[0];
        assert_eq!(
            (
                waiting.status,
                waiting.note,
                waiting.reference.as_deref(),
                waiting.since
            ),
            (
                RowStatus::Skipped,
                Some(RowNote::Waiting),
                Some("att-9"),
                Some(since)
            )
        );
        // A row that was being sent at a reload and finds its own attestation: sent.
        let mut saved = run.rows()[1].clone();
        saved.status = RowStatus::Sending;
        saved.reference = Some("att-10".into());
        let mut run = BulkRun::new(vec![saved], 1);
        run.next_job();
        run.on_checked(
            0,
            Checked::Waiting {
                attestation_id: "att-10".into(),
                since,
                request_id: None,
            },
        );
        assert_eq!(
            (run.rows()[0].status, run.rows()[0].note),
            (RowStatus::Sent, None)
        );
        // A row sent before the page went away whose journal entry was never written: found by
        // the request id its attestation was created with (the same for the same sending).
        let fresh = row(4);
        let request_id = fresh.request_id.clone();
        let mut run = BulkRun::new(vec![fresh], 1);
        run.next_job();
        run.on_checked(
            0,
            Checked::Waiting {
                attestation_id: "att-11".into(),
                since,
                request_id: Some(request_id),
            },
        );
        let found = &run.rows()[0];
        assert_eq!(
            (found.status, found.note, found.reference.as_deref()),
            (RowStatus::Sent, None, Some("att-11"))
        );
    }

    #[test]
    fn request_ids_of_a_sending_are_the_same_for_its_seed_and_differ_by_line() {
        let id = row_request_id("seed-1", 2);
        assert_eq!(id, row_request_id("seed-1", 2));
        assert!(
            crate::checks::fields::normalize_customer_id(&id).is_some(),
            "a GUID: {id}"
        );
        assert_eq!((&id[14..15], &id[19..20]), ("4", &id[19..20]));
        assert!("89ab".contains(&id[19..20]), "variant bits: {id}");
        let ids: std::collections::HashSet<String> = (0..10_000)
            .map(|line| row_request_id("seed-1", line))
            .chain((0..10_000).map(|line| row_request_id("seed-2", line)))
            .collect();
        assert_eq!(ids.len(), 20_000);
    }

    #[test]
    fn the_counts_and_the_changed_rows_follow_every_change() {
        let mut run = BulkRun::new((2..12).map(row).collect(), 3);
        assert_eq!(run.take_changed(), Vec::<usize>::new());
        let first = run.next_job();
        assert_eq!(first, Some(Job::Check { index: 0 }));
        run.on_checked(0, Checked::Agreements(vec![]));
        assert_eq!(run.next_job(), Some(Job::Send { index: 0 }));
        assert_eq!(run.next_job(), Some(Job::Check { index: 1 }));
        // Row 0 changed three times, row 1 once: each listed once.
        assert_eq!(run.take_changed(), vec![0, 1]);
        assert_eq!(run.take_changed(), Vec::<usize>::new());
        run.on_sent(0, Sent::Recorded(None));
        run.on_checked(1, Checked::Agreements(vec![]));
        // The counts kept as rows change equal the counts of the rows.
        drive(&mut run, |index| {
            Checked::Agreements(if index % 3 == 0 {
                vec![held("x@example.com")]
            } else {
                vec![]
            })
        });
        let p = run.progress();
        let count = |status| run.rows().iter().filter(|r| r.status == status).count();
        assert_eq!(
            (p.sent, p.skipped, p.failed, p.left),
            (
                count(RowStatus::Sent),
                count(RowStatus::Skipped),
                count(RowStatus::Failed),
                0
            )
        );
        assert_eq!(p.done(), 10);
    }

    #[test]
    fn rows_added_a_slice_at_a_time_make_the_same_run() {
        let mut whole = BulkRun::new((2..12).map(row).collect(), 3);
        let mut sliced = BulkRun::new(Vec::new(), 3);
        sliced.expect_more(true);
        assert!(!sliced.is_finished(), "rows are still coming");
        sliced.extend((2..5).map(row).collect());
        let first = sliced.next_job();
        sliced.extend((5..12).map(row).collect());
        sliced.expect_more(false);
        if let Some(Job::Check { index }) = first {
            sliced.on_checked(index, Checked::Agreements(vec![]));
        }
        drive(&mut whole, |_| Checked::Agreements(vec![]));
        drive(&mut sliced, |_| Checked::Agreements(vec![]));
        assert!(sliced.is_finished());
        assert_eq!(sliced.progress(), whole.progress());
    }

    #[test]
    fn the_time_left_follows_the_pace_so_far() {
        let mut run = BulkRun::new((2..12).map(row).collect(), 1);
        assert_eq!(run.progress().remaining_ms(1000.0), None);
        drive(&mut run, |_| Checked::Agreements(vec![]));
        assert_eq!(run.progress().remaining_ms(1000.0), Some(0.0));
        let mut run = BulkRun::new((2..12).map(row).collect(), 1);
        for _ in 0..2 {
            let Some(Job::Check { index }) = run.next_job() else {
                panic!()
            };
            run.on_checked(index, Checked::Agreements(vec![]));
            let Some(Job::Send { index }) = run.next_job() else {
                panic!()
            };
            run.on_sent(index, Sent::Recorded(None));
        }
        // 2 rows in 1 s: 8 left, 4 s.
        assert_eq!(run.progress().remaining_ms(1000.0), Some(4000.0));
        // Restored with those 2 done: the pace is this run's own.
        let saved = run.rows().to_vec();
        let mut run = BulkRun::new(saved, 1);
        assert_eq!(run.progress().remaining_ms(1000.0), None);
        let Some(Job::Check { index }) = run.next_job() else {
            panic!()
        };
        run.on_checked(index, Checked::Orderable(true));
        assert_eq!(run.progress().remaining_ms(500.0), Some(3500.0));
    }
}
