//! "Check all" and "Complete all accepted" (`PartnerCenterClient.sweep`): attestations of the
//! ledger, each read (or completed) as the attestation flow of the rules crate decides, at most
//! a number at once and fewer after throttling (`pool`), cancel at any time; each outcome kept
//! in the ledger. This side only performs the requests and the timers.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::client::{new_id, Inner, PartnerCenterClient};
use super::compact::Node;
use super::convert::to_js;
use super::ending::Ending;
use super::input::{function_of, Args, FromNode};
use crate::checks::messages;
use crate::flows::attestation::{AttestationFlow, AttestationStatus, Outcome};
use crate::flows::backend::BackendProblem;
use crate::flows::ledger::{owner_problem, LedgerRecord};
use crate::flows::pool::Pool;
use crate::flows::pool::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};

crate::wire_enum! {
    /// What a sweep does to each attestation.
    pub enum SweepAction {
        /// Read its status ("Check all").
        Check = "check",
        /// Complete it, once the customer accepted ("Complete all accepted"): read first,
        /// nothing sent before the acceptance, never twice.
        Complete = "complete",
    }
}

crate::wire_enum! {
    /// How one attestation of a sweep ended.
    pub enum SweepOutcome {
        /// Read: its status is in `status`.
        Checked = "checked",
        /// Completed: the agreement is recorded.
        Completed = "completed",
        /// Not accepted yet (or expired): nothing was sent.
        NotAccepted = "not-accepted",
        /// The ledger keeps it for another customer: nothing was sent.
        Refused = "refused",
        /// The request failed (see `error`).
        Failed = "failed",
    }
}

/// Options of `sweep`.
#[csp_agreements_derive::optional_members]
#[derive(Debug, Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
pub struct SweepOptions {
    /// What to do to each attestation.
    pub action: SweepAction,
    /// Attestations at once, 1 to 16; default 4 (fewer after Partner Center throttles).
    pub concurrency: Option<u32>,
    /// The UTC day the sweep is made on (`YYYY-MM-DD`, a demonstration's day); default: the
    /// clock's.
    pub utc_today: Option<String>,
    /// Called (with nothing) after every change (taken as it is from the argument).
    #[tsify(optional, type = "() => void")]
    #[allow(dead_code)]
    pub on_change: Option<super::input::Given>,
}

/// How one attestation of a sweep ended.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SweepResult {
    /// The attestation.
    pub attestation_id: String,
    /// Its customer.
    pub customer_id: String,
    /// How it ended.
    pub outcome: SweepOutcome,
    /// Its status as read, when it was.
    pub status: Option<AttestationStatus>,
    /// Why it failed.
    pub error: Option<BackendProblem>,
    /// The failure's message, in the client's language.
    pub message: Option<String>,
    /// Why a completion succeeded without its own answer (`already-recorded`).
    pub note: Option<crate::flows::confirm::Note>,
}

/// How far a sweep is.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SweepProgress {
    /// Attestations in the sweep.
    pub total: u32,
    /// Done (failed ones included).
    pub done: u32,
    /// Failed (or refused).
    pub failed: u32,
    /// Under way.
    pub in_flight: u32,
    /// Attestations at once now (fewer after throttling).
    pub limit: u32,
    /// Completed by this sweep.
    pub completed: u32,
    /// Read as accepted by the customer.
    pub accepted: u32,
    /// Not accepted yet, or expired.
    pub not_accepted: u32,
    /// Cancelled: nothing new starts.
    pub cancelled: bool,
    /// Nothing under way and nothing more will start.
    pub finished: bool,
}

#[wasm_bindgen]
impl PartnerCenterClient {
    /// Checks (`options.action: "check"`) or completes (`"complete"`) the attestations given
    /// (records of the ledger, as `ledger.records()` lists them), at most `options.concurrency`
    /// at once and fewer while Partner Center throttles; each outcome is kept in the client's
    /// ledger. A completion reads the attestation first: nothing is sent before the customer
    /// accepted, and one already completed is not completed again. Starts at once; the handle
    /// reports, cancels, and settles `finished()` when nothing more will happen.
    pub fn sweep(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LedgerRecord[]")] records: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SweepOptions")] options: JsValue,
    ) -> Result<LedgerSweep, JsError> {
        let on_change = function_of(&options, "onChange");
        let args = Args::of(&records, &options, &JsValue::UNDEFINED);
        let [records, options, _] = args.nodes()?;
        let options = SweepOptions::read("options", &options)?;
        let Node::Array(items) = &records else {
            return Err(JsError::new("records: expected an array of ledger records"));
        };
        let mut work = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let record = LedgerRecord::read(&crate::text!("records[", index, "]"), item)?;
            work.push(record);
        }
        let concurrency = options
            .concurrency
            .unwrap_or(DEFAULT_CONCURRENCY)
            .clamp(1, MAX_CONCURRENCY);
        let today = match options.utc_today.as_deref() {
            Some(day) => Some(crate::rules::date::Today::same(
                crate::rules::date::parse_date(day)
                    .ok_or_else(|| JsError::new("options.utcToday: expected YYYY-MM-DD"))?,
            )),
            None => None,
        };
        let state = Rc::new(SweepState {
            client: self.inner.clone(),
            pool: RefCell::new(Pool::new(work.len(), concurrency as usize)),
            results: RefCell::new(vec![None; work.len()]),
            work,
            action: options.action,
            today,
            correlation: new_id(),
            ending: Ending::new(on_change),
        });
        state.pump();
        Ok(LedgerSweep { state })
    }
}

/// A sweep under way (`PartnerCenterClient.sweep`).
#[wasm_bindgen]
pub struct LedgerSweep {
    state: Rc<SweepState>,
}

#[wasm_bindgen]
impl LedgerSweep {
    /// No new attestation starts; those under way finish.
    pub fn cancel(&self) {
        self.state.pool.borrow_mut().cancel();
        self.state.changed();
    }

    /// Changes how many attestations may be under way at once (1 to 16).
    #[wasm_bindgen(js_name = setConcurrency)]
    pub fn set_concurrency(&self, concurrency: u32) {
        let concurrency = concurrency.clamp(1, MAX_CONCURRENCY) as usize;
        self.state.pool.borrow_mut().set_concurrency(concurrency);
        self.state.pump();
    }

    /// How far it is.
    #[wasm_bindgen(unchecked_return_type = "SweepProgress")]
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.progress())
    }

    /// The attestations done so far, with how each ended.
    #[wasm_bindgen(unchecked_return_type = "SweepResult[]")]
    pub fn results(&self) -> Result<JsValue, JsError> {
        let results: Vec<SweepResult> = self
            .state
            .results
            .borrow()
            .iter()
            .flatten()
            .cloned()
            .collect();
        to_js(&results)
    }

    /// Resolves with the last progress once nothing more will happen.
    #[wasm_bindgen(unchecked_return_type = "Promise<SweepProgress>")]
    pub fn finished(&self) -> Promise {
        self.state.ending.finished()
    }
}

struct SweepState {
    client: Rc<Inner>,
    pool: RefCell<Pool>,
    work: Vec<LedgerRecord>,
    results: RefCell<Vec<Option<SweepResult>>>,
    action: SweepAction,
    today: Option<crate::rules::date::Today>,
    correlation: String,
    ending: Ending,
}

impl SweepState {
    fn pump(self: &Rc<Self>) {
        loop {
            let next = self.pool.borrow_mut().next_item();
            let Some(index) = next else { break };
            let state = Rc::clone(self);
            super::task::spawn(async move {
                let throttled_before = state.client.throttled.get();
                let result = state.perform(index).await;
                let throttled = state.client.throttled.get() > throttled_before;
                let failed = matches!(result.outcome, SweepOutcome::Failed | SweepOutcome::Refused);
                state.results.borrow_mut()[index] = Some(result);
                state.pool.borrow_mut().on_done(failed, throttled);
                state.pump();
            });
        }
        self.changed();
    }

    fn changed(&self) {
        let done = self.pool.borrow().progress(false).finished;
        self.ending.changed(done, || {
            to_js(&self.progress()).unwrap_or(JsValue::UNDEFINED)
        });
    }

    fn progress(&self) -> SweepProgress {
        let p = self.pool.borrow().progress(false);
        let results = self.results.borrow();
        let count = |f: &dyn Fn(&SweepResult) -> bool| {
            results.iter().flatten().filter(|r| f(r)).count() as u32
        };
        SweepProgress {
            total: p.total as u32,
            done: p.done as u32,
            failed: p.failed as u32,
            in_flight: p.in_flight as u32,
            limit: p.limit as u32,
            completed: count(&|r| r.outcome == SweepOutcome::Completed),
            accepted: count(&|r| r.status == Some(AttestationStatus::Accepted)),
            not_accepted: count(&|r| r.outcome == SweepOutcome::NotAccepted),
            cancelled: p.cancelled,
            finished: p.finished,
        }
    }

    async fn perform(&self, index: usize) -> SweepResult {
        let record = &self.work[index];
        let client = &self.client;
        let customer = record.customer_id.as_str();
        let id = record.attestation_id.as_str();
        let owner = client
            .ledger
            .as_ref()
            .and_then(|ledger| owner_problem(ledger.get(id).as_ref(), customer));
        let (flow, step) = match (owner, self.action) {
            (Some(issue), _) => AttestationFlow::refused(vec![issue]),
            (None, SweepAction::Check) => AttestationFlow::check(customer, id),
            (None, SweepAction::Complete) => AttestationFlow::complete(customer, id),
        };
        let attested = client.attest(flow, step, &self.correlation, None).await;
        let at = super::ledger::now_on(self.today);
        client.keep(customer, id, &attested, at).await;
        let mut result = SweepResult {
            attestation_id: id.into(),
            customer_id: customer.into(),
            outcome: SweepOutcome::Failed,
            status: None,
            error: None,
            message: None,
            note: None,
        };
        match attested.outcome {
            Outcome::Attestation(a) => {
                result.outcome = SweepOutcome::Checked;
                result.status = Some(a.status);
            }
            Outcome::NotAccepted(a) => {
                result.outcome = SweepOutcome::NotAccepted;
                result.status = Some(a.status);
            }
            Outcome::Completed { note, .. } => {
                result.outcome = SweepOutcome::Completed;
                result.status = Some(AttestationStatus::Completed);
                result.note = note;
            }
            Outcome::Invalid(issues) => {
                result.outcome = SweepOutcome::Refused;
                result.message = issues
                    .first()
                    .map(|i| messages::issue_message(i, client.locale()));
            }
            Outcome::Failed(failure) => {
                result.error = Some(failure.problem);
                result.message =
                    Some(messages::backend_message(failure.problem, client.locale()).into());
            }
        }
        result
    }
}
