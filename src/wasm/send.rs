//! `PartnerCenterClient.sendBulk`: the valid rows of a checked file sent as the rules crate's
//! `bulk::run` decides (read each customer first, skip those who already hold the agreement,
//! at most `concurrency` requests at once, pause, resume, cancel, a journal to resume after a
//! reload). This side only performs the requests it asks for and gives it their answers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::client::{attestation_form, json_body, new_id, Inner, PartnerCenterClient};
use super::compact::Node;
use super::convert::{context_of, read_validation_options, to_js};
use super::input::{self, function_of, wire_value, without, Args, Obj};
use super::shapes::{BulkJournalEntry, BulkProgress, BulkRowState};
use crate::attestation::{AttestationFlow, Outcome};
use crate::backend::{BackendProblem, Failure};
use crate::bulk::run::{BulkRun, Checked, Job, RowStatus, RunRow, Sent};
use crate::bulk::RowBody;
use crate::form::Context;
use crate::messages::{self, Locale};
use crate::payload::AgreementPayload;

/// Requests under way at once when the caller does not say.
const DEFAULT_CONCURRENCY: u32 = 4;
/// The most requests under way at once: a portal must not flood Partner Center.
const MAX_CONCURRENCY: u32 = 16;

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
        let args = Args::of(&payloads, &options, &JsValue::UNDEFINED);
        let [payloads, options, _] = args.nodes()?;
        let (rows, bodies) = read_payloads(&payloads)?;
        let (journal, concurrency) = read_send_options(&options)?;
        let (context, locale, _) = context_of(read_validation_options(&without(
            &options,
            &["concurrency", "journal", "onChange"],
        ))?)?;
        let rows = rows
            .into_iter()
            .map(|mut row| {
                if let Some(entry) = journal.get(&row.line) {
                    row.request_id.clone_from(&entry.request_id);
                    row.status = entry.status;
                    row.reference.clone_from(&entry.reference);
                    row.error = entry.error;
                }
                row
            })
            .collect::<Vec<_>>();
        let mut resolve = None;
        let finished = Promise::new(&mut |ok, _| resolve = Some(ok));
        let sending = Rc::new(Sending {
            client: self.inner.clone(),
            links: RefCell::new(vec![None; rows.len()]),
            run: RefCell::new(BulkRun::new(rows, concurrency as usize)),
            bodies,
            context,
            locale,
            correlation: new_id(),
            started_ms: js_sys::Date::now(),
            on_change,
            finished,
            resolve: RefCell::new(resolve),
        });
        sending.pump();
        Ok(BulkSending { sending })
    }
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
            })
            .collect();
        to_js(&rows)
    }

    /// What to keep to resume after a reload (`options.journal`): no personal data, only each
    /// row's line, request id, status, reference and error.
    #[wasm_bindgen(unchecked_return_type = "BulkJournalEntry[]")]
    pub fn journal(&self) -> Result<JsValue, JsError> {
        let run = self.sending.run.borrow();
        let entries: Vec<_> = run
            .rows()
            .iter()
            .enumerate()
            .map(|(index, row)| BulkJournalEntry {
                line: row.line,
                request_id: row.request_id.clone(),
                status: run.saved_status(index),
                reference: row.reference.clone(),
                error: row.error,
            })
            .collect();
        to_js(&entries)
    }

    /// Resolves with the last progress once nothing is under way and nothing more will start
    /// (every row done, or cancelled).
    #[wasm_bindgen(unchecked_return_type = "Promise<BulkProgress>")]
    pub fn finished(&self) -> Promise {
        self.sending.finished.clone()
    }
}

struct Sending {
    client: Rc<Inner>,
    run: RefCell<BulkRun>,
    /// What each row sends, by index.
    bodies: Vec<RowBody>,
    /// The acceptance link of each attestation created (never in the journal).
    links: RefCell<Vec<Option<String>>>,
    context: Context,
    locale: Locale,
    correlation: String,
    started_ms: f64,
    on_change: Option<Function>,
    finished: Promise,
    resolve: RefCell<Option<Function>>,
}

impl Sending {
    /// Starts every request the run allows now, each calling `pump` again when it ends.
    fn pump(self: &Rc<Self>) {
        loop {
            let job = self.run.borrow_mut().next_job();
            let Some(job) = job else { break };
            let sending = Rc::clone(self);
            spawn_local(async move {
                sending.perform(job).await;
                sending.pump();
            });
        }
        self.changed();
    }

    /// Tells the page, and settles `finished` once nothing more will happen.
    fn changed(&self) {
        if self.run.borrow().is_finished() {
            if let Some(resolve) = self.resolve.borrow_mut().take() {
                let progress = to_js(&self.progress()).unwrap_or(JsValue::UNDEFINED);
                let _ = resolve.call1(&JsValue::NULL, &progress);
            }
        }
        if let Some(on_change) = &self.on_change {
            let _ = on_change.call0(&JsValue::NULL);
        }
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
                let checked = match agreement {
                    Some(agreement) => client
                        .agreement_list(&customer, agreement, correlation)
                        .await
                        .map(Checked::Agreements),
                    None => client
                        .standing(&customer, &self.context, correlation)
                        .await
                        .map(|(_, standing, _)| Checked::Orderable(standing.verdict.allowed)),
                };
                let checked = checked.unwrap_or_else(|f| Checked::Failed(f.problem));
                self.run.borrow_mut().on_checked(index, checked);
            }
            Job::Send { .. } => {
                let sent = match &self.bodies[index] {
                    RowBody::Confirmation(payload) => {
                        let path = format!("/v1/customers/{customer}/agreements");
                        let sent = match json_body(payload) {
                            Ok(body) => {
                                let body = Some(body);
                                client
                                    .send_as(Method::POST, &path, body, correlation, &request_id)
                                    .await
                            }
                            Err(_) => Err(Failure::unexpected()),
                        };
                        match sent {
                            Ok(_) => Sent::Recorded(None),
                            Err(failure) => Sent::Failed(failure.problem),
                        }
                    }
                    RowBody::Attestation(form) => {
                        let (flow, step) = AttestationFlow::create(&customer, form, &self.context);
                        match client
                            .attest(flow, step, correlation, Some(&request_id))
                            .await
                        {
                            Outcome::Attestation(attestation) => {
                                self.links.borrow_mut()[index] = Some(attestation.acceptance_url);
                                Sent::Recorded(Some(attestation.attestation_id))
                            }
                            Outcome::Invalid(_) => Sent::Failed(BackendProblem::InvalidInput),
                            Outcome::Failed(failure) => Sent::Failed(failure.problem),
                            _ => Sent::Failed(BackendProblem::Unexpected),
                        }
                    }
                };
                self.run.borrow_mut().on_sent(index, sent);
            }
        }
    }
}

/// The rows of `BulkPayload[]`, each with a new request id, and what each sends.
fn read_payloads(node: &Node) -> Result<(Vec<RunRow>, Vec<RowBody>), JsError> {
    let Node::Array(items) = node else {
        return Err(JsError::new("payloads: expected an array"));
    };
    let mut rows = Vec::with_capacity(items.len());
    let mut bodies = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = format!("payloads[{index}]");
        let obj = Obj::required(&path, item)?;
        let line = obj.number("line")?.unwrap_or(0.0) as u32;
        let customer_id = obj.required_string("customerId")?;
        let (body, agreement, email) = match (obj.raw("payload"), obj.object("attestation")?) {
            (Some(payload), _) => {
                let agreement = input::agreement(&format!("{path}.payload"), payload)?;
                let email = agreement.primary_contact.email.clone();
                let agreement_type = agreement.agreement_type;
                let payload = AgreementPayload {
                    primary_contact: agreement.primary_contact,
                    template_id: agreement.template_id,
                    date_agreed: agreement.date_agreed,
                    agreement_type,
                };
                (RowBody::Confirmation(payload), Some(agreement_type), email)
            }
            (None, Some(form)) => {
                let form = attestation_form(&form)?;
                let email = form.email.clone();
                (RowBody::Attestation(form), None, email)
            }
            (None, None) => {
                return Err(JsError::new(&format!(
                    "{path}: expected a payload or an attestation"
                )))
            }
        };
        rows.push(RunRow {
            line,
            customer_id,
            agreement,
            email,
            request_id: new_id(),
            status: RowStatus::Waiting,
            reference: None,
            error: None,
        });
        bodies.push(body);
    }
    Ok((rows, bodies))
}

/// The journal by line, and the concurrency.
fn read_send_options(node: &Node) -> Result<(HashMap<u32, BulkJournalEntry>, u32), JsError> {
    let mut journal = HashMap::new();
    let mut concurrency = DEFAULT_CONCURRENCY;
    if let Some(obj) = Obj::optional("options", node)? {
        if let Some(n) = obj.number("concurrency")? {
            concurrency = (n as u32).clamp(1, MAX_CONCURRENCY);
        }
        for (path, item) in obj.array("journal")? {
            let entry = journal_entry(&path, item)?;
            journal.insert(entry.line, entry);
        }
    }
    Ok((journal, concurrency))
}

/// One entry of a saved journal.
pub(super) fn journal_entry(path: &str, node: &Node) -> Result<BulkJournalEntry, JsError> {
    let entry = Obj::required(path, node)?;
    let line = match entry.number("line")? {
        Some(n) if (0.0..=f64::from(u32::MAX)).contains(&n) && n.fract() == 0.0 => n as u32,
        _ => {
            let path = entry.path_of("line");
            return Err(JsError::new(&format!("{path}: expected a line number")));
        }
    };
    let status = entry.required_string("status")?;
    Ok(BulkJournalEntry {
        line,
        request_id: entry.required_string("requestId")?,
        status: wire_value(&entry.path_of("status"), &status)?,
        reference: entry.string("reference")?,
        error: entry.wire("error")?,
    })
}
