//! `PartnerCenterClient.sendBulk`: the valid rows of a checked file sent as the rules crate's
//! `bulk::run` decides (read each customer first, skip those who already hold the agreement,
//! at most `concurrency` requests at once, pause, resume, cancel, a journal to resume after a
//! reload). This side only performs the requests it asks for and gives it their answers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::client::{json_body, new_id, new_ids, Inner, PartnerCenterClient};
use super::compact::Node;
use super::convert::{check_context, to_js};
use super::ending::Ending;
use super::input::{self, function_of, Args, FromNode};
use super::shapes::{BulkJournalEntry, BulkProgress, BulkRowState, BulkSendOptions, CheckOptions};
use crate::bulk::run::{row_request_id, BulkRun, Checked, Job, RowStatus, RunRow, Sent};
use crate::bulk::RowBody;
use crate::checks::fields::normalize_customer_id;
use crate::checks::form::Context;
use crate::checks::messages::{self, Locale};
use crate::checks::text::PersonKey;
use crate::flows::attestation::{AttestationFlow, Outcome};
use crate::flows::backend::{BackendProblem, Failure};
use crate::flows::endpoints;
use crate::flows::payload::{Agreement, AgreementPayload};
use crate::flows::pool::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};

#[wasm_bindgen]
impl PartnerCenterClient {
    /// Sends the valid rows of a checked file (`validateCsv(...).payloads`): each customer's
    /// confirmations (or, on the enhanced route, its standing) are read first and a customer
    /// who already holds the agreement is skipped; then the row is sent with its own
    /// `MS-RequestId`, kept across retries and, through `options.journal`, across reloads. A row
    /// whose answer never came is read again before it is sent again, so nothing is recorded
    /// twice. Starts at once; the returned handle pauses, resumes, cancels and reports.
    #[wasm_bindgen(js_name = sendBulk)]
    pub fn send_bulk(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BulkPayload[]")] payloads: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BulkSendOptions")] options: Option<JsValue>,
    ) -> Result<BulkSending, JsError> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let on_change = function_of(&options, "onChange");
        let list = payloads
            .dyn_into::<js_sys::Array>()
            .map_err(|_| JsError::new("payloads: expected an array"))?;
        let args = Args::of(&options, &JsValue::UNDEFINED, &JsValue::UNDEFINED);
        let [options, _, _] = args.nodes()?;
        let (journal, concurrency, seed, check) = read_send_options(&options)?;
        let (context, locale) = check_context(check)?;
        // The first slice is read now (a malformed call throws at once), the others a slice a
        // task, so that a file of 100 000 rows starts without a long task.
        let first = read_slice(&list, 0, &journal, seed.as_deref())?;
        let total = list.length() as usize;
        let mut run = BulkRun::new(Vec::new(), concurrency as usize);
        run.expect_more(total > SLICE);
        let sending = Rc::new(Sending {
            client: self.inner.clone(),
            links: RefCell::new(Vec::with_capacity(total)),
            run: RefCell::new(run),
            bodies: RefCell::new(Vec::with_capacity(total)),
            context,
            locale,
            correlation: new_id(),
            started_ms: js_sys::Date::now(),
            ending: Ending::new(on_change),
        });
        sending.add(first);
        sending.pump();
        if total > SLICE {
            let sending = Rc::clone(&sending);
            super::task::spawn(async move {
                let mut at = SLICE;
                while at < total {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    match read_slice(&list, at, &journal, seed.as_deref()) {
                        Ok(rows) => sending.add(rows),
                        // The payloads came from validateCsv: a slice that does not read ends
                        // the sending (the rows read so far go on), said by `cancelled`.
                        Err(_) => {
                            sending.run.borrow_mut().cancel();
                            break;
                        }
                    }
                    at += SLICE;
                    sending.run.borrow_mut().expect_more(at < total);
                    sending.pump();
                }
                sending.run.borrow_mut().expect_more(false);
                sending.pump();
            });
        }
        Ok(BulkSending { sending })
    }
}

/// Rows read at once from the payloads given (one crossing each).
const SLICE: usize = 500;

/// The rows of `payloads[from..from + SLICE]`, with what each sends, their saved state from the
/// journal when it has them.
fn read_slice(
    list: &js_sys::Array,
    from: usize,
    journal: &HashMap<u32, BulkJournalEntry>,
    seed: Option<&str>,
) -> Result<(Vec<RunRow>, Vec<RowBody>), JsError> {
    let slice = list.slice(from as u32, (from + SLICE) as u32);
    let args = Args::one(&slice);
    let [node, _, _] = args.nodes()?;
    let (rows, bodies) = read_payloads(&node, from, seed)?;
    let rows = rows
        .into_iter()
        .map(|mut row| {
            if let Some(entry) = journal.get(&row.line) {
                row.request_id.clone_from(&entry.request_id);
                row.status = entry.status;
                row.reference.clone_from(&entry.reference);
                row.error = entry.error;
                row.note = entry.note;
            }
            row
        })
        .collect();
    Ok((rows, bodies))
}

/// A sending under way (`PartnerCenterClient.sendBulk`).
#[wasm_bindgen]
pub struct BulkSending {
    sending: Rc<Sending>,
}

#[wasm_bindgen]
impl BulkSending {
    /// No new request starts until `resume()`; those under way finish.
    pub fn pause(&self) {
        self.sending.run.borrow_mut().pause();
        self.sending.changed();
    }

    /// Requests start again.
    pub fn resume(&self) {
        self.sending.run.borrow_mut().resume();
        self.sending.pump();
    }

    /// No new request starts, ever; those under way finish, so no row is left half-sent.
    pub fn cancel(&self) {
        self.sending.run.borrow_mut().cancel();
        self.sending.changed();
    }

    /// Changes how many requests may be under way at once (1 to 16).
    #[wasm_bindgen(js_name = setConcurrency)]
    pub fn set_concurrency(&self, concurrency: u32) {
        let concurrency = concurrency.clamp(1, MAX_CONCURRENCY) as usize;
        self.sending.run.borrow_mut().set_concurrency(concurrency);
        self.sending.pump();
    }

    /// How far it is.
    #[wasm_bindgen(unchecked_return_type = "BulkProgress")]
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.sending.progress())
    }

    /// Every row, with its status, request id and error.
    #[wasm_bindgen(unchecked_return_type = "BulkRowState[]")]
    pub fn rows(&self) -> Result<JsValue, JsError> {
        let sending = &self.sending;
        let run = sending.run.borrow();
        let links = sending.links.borrow();
        let rows: Vec<_> = run
            .rows()
            .iter()
            .zip(links.iter())
            .map(|(row, link)| BulkRowState {
                line: row.line,
                customer_id: row.customer_id.clone(),
                status: row.status,
                request_id: row.request_id.clone(),
                reference: row.reference.clone(),
                acceptance_link: link.clone(),
                error: row.error,
                message: row
                    .error
                    .map(|problem| messages::backend_message(problem, sending.locale)),
                note: row.note,
                since: row.since.map(crate::rules::date::Instant::format),
            })
            .collect();
        to_js(&rows)
    }

    /// What to keep to resume after a reload (`options.journal`): no personal data, only each
    /// row's line, request id, status, reference, error and note.
    #[wasm_bindgen(unchecked_return_type = "BulkJournalEntry[]")]
    pub fn journal(&self) -> Result<JsValue, JsError> {
        let run = self.sending.run.borrow();
        let entries: Vec<_> = (0..run.rows().len())
            .map(|index| journal_entry_of(&run, index))
            .collect();
        to_js(&entries)
    }

    /// The entries of the journal that changed since the last call (each row once): what a
    /// page writes again, a row at a time, so that keeping the journal current costs the same
    /// for a file of a hundred rows or of a hundred thousand.
    #[wasm_bindgen(js_name = journalChanges, unchecked_return_type = "BulkJournalEntry[]")]
    pub fn journal_changes(&self) -> Result<JsValue, JsError> {
        let mut run = self.sending.run.borrow_mut();
        let changed = run.take_changed();
        let entries: Vec<_> = changed
            .into_iter()
            .map(|index| journal_entry_of(&run, index))
            .collect();
        to_js(&entries)
    }

    /// Resolves with the last progress once nothing is under way and nothing more will start
    /// (every row done, or cancelled).
    #[wasm_bindgen(unchecked_return_type = "Promise<BulkProgress>")]
    pub fn finished(&self) -> Promise {
        self.sending.ending.finished()
    }
}

/// Row `index`'s journal entry.
fn journal_entry_of(run: &BulkRun, index: usize) -> BulkJournalEntry {
    let row = &run.rows()[index];
    BulkJournalEntry {
        line: row.line,
        request_id: row.request_id.clone(),
        status: run.saved_status(index),
        reference: row.reference.clone(),
        error: row.error,
        note: row.note,
    }
}

struct Sending {
    client: Rc<Inner>,
    run: RefCell<BulkRun>,
    /// What each row sends, by index.
    bodies: RefCell<Vec<RowBody>>,
    /// The acceptance link of each attestation created (never in the journal).
    links: RefCell<Vec<Option<String>>>,
    context: Context,
    locale: Locale,
    correlation: String,
    started_ms: f64,
    ending: Ending,
}

impl Sending {
    /// Rows read, and what they send.
    fn add(&self, (rows, bodies): (Vec<RunRow>, Vec<RowBody>)) {
        self.links.borrow_mut().extend(rows.iter().map(|_| None));
        self.bodies.borrow_mut().extend(bodies);
        self.run.borrow_mut().extend(rows);
    }

    /// Starts every request the run allows now, each calling `pump` again when it ends.
    fn pump(self: &Rc<Self>) {
        loop {
            let job = self.run.borrow_mut().next_job();
            let Some(job) = job else { break };
            let sending = Rc::clone(self);
            super::task::spawn(async move {
                sending.perform(job).await;
                sending.pump();
            });
        }
        self.changed();
    }

    /// Tells the page, and settles `finished` once nothing more will happen.
    fn changed(&self) {
        let done = self.run.borrow().is_finished();
        self.ending.changed(done, || {
            to_js(&self.progress()).unwrap_or(JsValue::UNDEFINED)
        });
    }

    fn progress(&self) -> BulkProgress {
        let run = self.run.borrow();
        let p = run.progress();
        BulkProgress {
            total: p.total as u32,
            sent: p.sent as u32,
            skipped: p.skipped as u32,
            failed: p.failed as u32,
            in_flight: p.in_flight as u32,
            left: p.left as u32,
            done: p.done() as u32,
            remaining_ms: p
                .remaining_ms(js_sys::Date::now() - self.started_ms)
                .map(|ms| ms as u32),
            paused: run.is_paused(),
            blocked: run.blocked(),
            cancelled: run.is_cancelled(),
            finished: run.is_finished(),
        }
    }

    /// Performs one job and gives the run its answer.
    async fn perform(&self, job: Job) {
        let index = match job {
            Job::Check { index } | Job::Send { index } => index,
        };
        let (customer, agreement, request_id) = {
            let run = self.run.borrow();
            let row = &run.rows()[index];
            (
                row.customer_id.clone(),
                row.agreement,
                row.request_id.clone(),
            )
        };
        let client = &self.client;
        let correlation = &self.correlation;
        match job {
            Job::Check { .. } => {
                // One live attestation per customer: the ledger says so without a request.
                let live = client
                    .ledger
                    .as_ref()
                    .filter(|_| agreement.is_none())
                    .and_then(|ledger| {
                        let records = ledger.records_of(&customer);
                        crate::flows::ledger::live_for(
                            &records,
                            &customer,
                            super::ledger::now_on(self.context.today),
                        )
                        .map(|r| Checked::Waiting {
                            attestation_id: r.attestation_id.clone(),
                            since: r.created_at,
                            request_id: r.request_id.clone(),
                        })
                    });
                let checked = match (live, agreement) {
                    (Some(waiting), _) => Ok(waiting),
                    (None, Some(agreement)) => client
                        .agreement_list(&customer, agreement, correlation)
                        .await
                        .map(Checked::Agreements),
                    (None, None) => client
                        .lean_standing(&customer, &self.context, correlation)
                        .await
                        .map(|lean| Checked::Orderable(lean.standing.verdict.allowed)),
                };
                let checked = checked.unwrap_or_else(|f| Checked::Failed(f.problem));
                self.run.borrow_mut().on_checked(index, checked);
            }
            Job::Send { .. } => {
                let body = self.bodies.borrow()[index].clone();
                let sent = match &body {
                    RowBody::Confirmation(payload) => {
                        let endpoint = endpoints::create_agreement(&customer);
                        let sent = match json_body(payload) {
                            Ok(body) => {
                                let body = Some(body);
                                client
                                    .send_as(&endpoint, body, correlation, &request_id)
                                    .await
                            }
                            Err(_) => Err(Failure::unexpected()),
                        };
                        match sent {
                            Ok(_) => Sent::Recorded(None),
                            Err(failure) => sent_failure(&failure),
                        }
                    }
                    RowBody::Attestation(form) => {
                        let (flow, step) = AttestationFlow::create(&customer, form, &self.context);
                        let attested = client
                            .attest(flow, step, correlation, Some(&request_id))
                            .await;
                        // Kept in the ledger before the row is reported sent: a reload in
                        // between finds the attestation there, and sends nothing again.
                        let at = super::ledger::now_on(self.context.today);
                        client.keep(&customer, "", &attested, at).await;
                        match attested.outcome {
                            Outcome::Attestation(attestation) => {
                                self.links.borrow_mut()[index] = Some(attestation.acceptance_url);
                                Sent::Recorded(Some(attestation.attestation_id))
                            }
                            Outcome::Invalid(_) => Sent::Failed(BackendProblem::InvalidInput),
                            Outcome::Failed(failure) => sent_failure(&failure),
                            _ => Sent::Failed(BackendProblem::Unexpected),
                        }
                    }
                };
                self.run.borrow_mut().on_sent(index, sent);
            }
        }
    }
}

/// A send that failed, as the run takes it: "already exists" apart (whether it was the
/// request's first attempt tells the run whether an earlier attempt of its own recorded it).
fn sent_failure(failure: &Failure) -> Sent {
    match failure.problem {
        BackendProblem::DuplicateConfirmation => Sent::AlreadyExists {
            retried: failure.attempts > 1,
        },
        problem => Sent::Failed(problem),
    }
}

/// The rows of `BulkPayload[]`, each with its request id (derived from `seed` and its line when
/// the caller gives one, else new), and what each sends.
fn read_payloads(
    node: &Node,
    from: usize,
    seed: Option<&str>,
) -> Result<(Vec<RunRow>, Vec<RowBody>), JsError> {
    let Node::Array(items) = node else {
        return Err(JsError::new("payloads: expected an array"));
    };
    let mut rows = Vec::with_capacity(items.len());
    let mut bodies = Vec::with_capacity(items.len());
    let mut ids = match seed {
        Some(_) => Vec::new(),
        None => new_ids(items.len()),
    }
    .into_iter();
    for (index, item) in items.iter().enumerate() {
        let path = crate::text!("payloads[", from + index, "]");
        let SendPayload {
            line,
            customer_id,
            payload,
            attestation,
        } = SendPayload::read(&path, item)?;
        let line = line.unwrap_or(0);
        // The id goes into request paths: a GUID, like every other call's.
        let Some(customer_id) = normalize_customer_id(customer_id.trim()) else {
            return Err(JsError::new(&crate::text!(
                path,
                ".customerId: ",
                input::quote(&customer_id),
                " is not a GUID"
            )));
        };
        let (body, agreement, person) = match (payload, attestation) {
            (Some(agreement), _) => {
                let person = agreement.primary_contact.person_key();
                let agreement_type = agreement.agreement_type;
                let payload = AgreementPayload {
                    primary_contact: agreement.primary_contact,
                    template_id: agreement.template_id,
                    date_agreed: agreement.date_agreed,
                    agreement_type,
                };
                (RowBody::Confirmation(payload), Some(agreement_type), person)
            }
            (None, Some(form)) => {
                let person = PersonKey::of(&form.first_name, &form.last_name, &form.email, "");
                (RowBody::Attestation(form), None, person)
            }
            (None, None) => {
                return Err(JsError::new(&crate::text!(
                    path,
                    ": expected a payload or an attestation"
                )))
            }
        };
        rows.push(RunRow {
            line,
            customer_id,
            agreement,
            person,
            request_id: match seed {
                Some(seed) => row_request_id(seed, line),
                None => ids.next().unwrap_or_default(),
            },
            status: RowStatus::Waiting,
            reference: None,
            error: None,
            note: None,
            since: None,
        });
        bodies.push(body);
    }
    Ok((rows, bodies))
}

/// One item of `BulkPayload[]` as `sendBulk` reads it: a legacy row's `payload` or an enhanced
/// row's `attestation`.
#[derive(csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
struct SendPayload {
    #[read(whole(0, u32::MAX))]
    line: Option<u32>,
    customer_id: String,
    payload: Option<Agreement>,
    attestation: Option<crate::flows::attestation::AttestationForm>,
}

/// The journal by line, the concurrency, the seed of the rows' request ids, and the options of
/// the checks.
type SendOptions = (
    HashMap<u32, BulkJournalEntry>,
    u32,
    Option<String>,
    CheckOptions,
);

fn read_send_options(node: &Node) -> Result<SendOptions, JsError> {
    let options: BulkSendOptions = input::options_of("options", node)?;
    if let Some(seed) = &options.request_id_seed {
        if seed.trim().is_empty() || seed.len() > 200 {
            return Err(JsError::new(
                "options.requestIdSeed: expected a random value of 1 to 200 characters",
            ));
        }
    }
    let journal = options
        .journal
        .unwrap_or_default()
        .into_iter()
        .map(|entry| (entry.line, entry))
        .collect();
    Ok((
        journal,
        options.concurrency.unwrap_or(DEFAULT_CONCURRENCY),
        options.request_id_seed,
        options.check,
    ))
}
