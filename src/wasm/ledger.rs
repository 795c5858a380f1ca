//! The ledger of attestations in the bindings: the portal's `AttestationLedger` (`js/ledger.js`:
//! the records in memory over a store) as the client reads and writes it, and the rules on
//! records the page and a portal use (`ledgerView`, `mergeLedgerRecords`, `withdrawAttestation`,
//! `acceptanceLink`, `attestationEvidence`). The decisions are the rules crate's (`ledger`);
//! nothing here keeps a record.

use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::compact::Node;
use super::convert::to_js;
use super::input::{value_as, Args, FromNode};
use super::interface::js_interface;
use crate::checks::fields::normalize_customer_id;
use crate::checks::messages::{self, Locale};
use crate::flows::attestation::{self as enhanced, wire, Attestation, AttestationStatus};
use crate::flows::backend::BackendProblem;
use crate::flows::ledger::{self, counts, AttestationStep, LedgerCounts, LedgerRecord};
use crate::flows::origin::is_web_link;
use crate::flows::payload::Agreement;
use crate::rules::date::{format_date, parse_instant, Instant};

/// The time now (the browser's, or Node's, clock).
pub(super) fn now() -> Instant {
    Instant::from_millis(js_sys::Date::now())
}

/// The time now on the day a call is made for: the clock's time of day on the UTC day the
/// caller gave (a demonstration on a day of its own, a test), else the clock.
pub(super) fn now_on(today: Option<crate::rules::date::Today>) -> Instant {
    let clock = now();
    match today {
        Some(today) => Instant::start_of(today.utc).plus_seconds(clock.0.rem_euclid(86_400)),
        None => clock,
    }
}

/// A portal's ledger: any object with the members of `AttestationLedgerLike` (`LedgerMembers`),
/// such as `AttestationLedger`.
#[derive(Clone)]
pub(super) struct LedgerLink {
    ledger: JsValue,
}

/// The records of a JS array, each read alone: a record that does not read is left out.
fn records_of_value(value: &JsValue) -> Vec<LedgerRecord> {
    let args = Args::one(value);
    let Ok([Node::Array(items), _, _]) = args.nodes() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| LedgerRecord::read("record", item).ok())
        .filter(|r| r.check().is_ok())
        .collect()
}

/// Records in the order they were created: one sort of records in the module, whichever list.
fn by_creation(records: &mut [LedgerRecord]) {
    records.sort_unstable_by_key(|r| r.created_at);
}

impl LedgerLink {
    /// `options.ledger`, when given: an object with the three methods, or a malformed call.
    pub(super) fn of(options: &JsValue) -> Result<Option<LedgerLink>, JsError> {
        let value = Reflect::get(options, &"ledger".into()).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let has = |method: &str| {
            Reflect::get(&value, &method.into())
                .ok()
                .is_some_and(|f| f.is_function())
        };
        if ![
            LedgerMembers::RECORDS_OF,
            LedgerMembers::GET,
            LedgerMembers::PUT,
        ]
        .iter()
        .all(|m| has(m))
        {
            return Err(JsError::new(
                "options.ledger: expected an AttestationLedger (recordsOf, get and put)",
            ));
        }
        Ok(Some(LedgerLink { ledger: value }))
    }

    fn call(&self, method: &str, argument: &JsValue) -> Option<JsValue> {
        let function: Function = Reflect::get(&self.ledger, &method.into())
            .ok()?
            .dyn_into()
            .ok()?;
        function.call1(&self.ledger, argument).ok()
    }

    /// The records of a customer.
    pub(super) fn records_of(&self, customer_id: &str) -> Vec<LedgerRecord> {
        self.call(LedgerMembers::RECORDS_OF, &customer_id.into())
            .map(|value| records_of_value(&value))
            .unwrap_or_default()
    }

    /// The record of an attestation, if the ledger has it.
    pub(super) fn get(&self, attestation_id: &str) -> Option<LedgerRecord> {
        let value = self.call(LedgerMembers::GET, &attestation_id.into())?;
        if value.is_undefined() || value.is_null() {
            return None;
        }
        value_as::<LedgerRecord>("record", &value)
            .ok()
            .filter(|r| r.check().is_ok())
    }

    /// Who sends, when the portal said (`sentBy`).
    pub(super) fn sent_by(&self) -> Option<String> {
        Reflect::get(&self.ledger, &LedgerMembers::SENT_BY.into())
            .ok()?
            .as_string()
    }

    /// Writes one record; the store's message when it could not.
    pub(super) async fn put(&self, record: &LedgerRecord) -> Result<(), String> {
        let value = to_js(record).map_err(|_| "the record".to_string())?;
        let returned = self
            .call(LedgerMembers::PUT, &value)
            .ok_or_else(|| "the ledger refused the record".to_string())?;
        let promise = match returned.dyn_into::<Promise>() {
            Ok(promise) => promise,
            Err(_) => return Ok(()),
        };
        JsFuture::from(promise).await.map(drop).map_err(|error| {
            Reflect::get(&error, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the ledger's store failed".into())
        })
    }
}

/// What an outcome of the attestation flow was: a creation (with what it was created with) or
/// a read (check, completion).
pub(super) enum Kept {
    /// Created with this request id and company name.
    Created {
        request_id: String,
        company_name: Option<String>,
    },
    /// Read, or completed.
    Read,
}

/// The record an outcome of the flow leaves in the ledger (None: nothing to keep), from the
/// record the ledger had (`known`).
pub(super) fn record_after(
    known: Option<LedgerRecord>,
    customer_id: &str,
    attestation_id: &str,
    outcome: &enhanced::Outcome,
    kept: Kept,
    sent_by: Option<String>,
    at: Instant,
) -> Option<LedgerRecord> {
    use enhanced::Outcome as O;
    let customer = normalize_customer_id(customer_id)?;
    // An attestation the ledger did not know (sent before it existed, or by hand): kept from
    // now on, for the customer it was asked about.
    let adopt = |attestation: &Attestation| {
        LedgerRecord::created(&customer, attestation, None, None, None, at)
    };
    match (outcome, kept) {
        (
            O::Attestation(a),
            Kept::Created {
                request_id,
                company_name,
            },
        ) => Some(LedgerRecord::created(
            &customer,
            a,
            Some(request_id),
            company_name,
            sent_by,
            at,
        )),
        (O::Attestation(a) | O::NotAccepted(a), Kept::Read) => {
            let mut record = known.unwrap_or_else(|| adopt(a));
            record.observe(a, at);
            Some(record)
        }
        (
            O::Completed {
                attestation_id,
                agreement,
                note,
            },
            _,
        ) => {
            let mut record = known.unwrap_or_else(|| {
                adopt(&Attestation {
                    attestation_id: attestation_id.clone(),
                    acceptance_url: String::new(),
                    status: AttestationStatus::Completed,
                    raw_status: None,
                    created_at: None,
                    expires_at: None,
                })
            });
            record.complete(at, agreement.as_ref().map(|a| a.date_agreed), *note);
            Some(record)
        }
        (O::Failed(failure), Kept::Read) if failure.problem == BackendProblem::NotFound => {
            let mut record = known.filter(|r| r.attestation_id == attestation_id)?;
            record.fail(BackendProblem::NotFound, at);
            Some(record)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The rules on records, for the page and a portal
// ---------------------------------------------------------------------------------------------

/// One record of the ledger with what it means now.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LedgerItem {
    /// The record as kept.
    pub record: LedgerRecord,
    /// What to do next with it.
    pub next: AttestationStep,
    /// It still stands for its customer (pending or accepted, not expired, failed or withdrawn).
    pub live: bool,
    /// Its link expired before the customer accepted.
    pub expired: bool,
    /// Whole days since it was sent.
    pub age_days: u32,
    /// The customer's acceptance link, built from the id.
    pub acceptance_url: String,
}

/// Every record with what it means now, and the counts (`ledgerView`).
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LedgerView {
    /// The time it was judged at (`YYYY-MM-DDTHH:MM:SSZ`).
    pub now: String,
    /// The records, newest first.
    pub items: Vec<LedgerItem>,
    /// The counts, as Partner Center's dashboards group attestations.
    pub counts: LedgerCounts,
}

/// Options of the ledger functions.
#[csp_agreements_derive::optional_members]
#[derive(Debug, Default, Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase", default)]
pub struct LedgerOptions {
    /// The time to judge at (`YYYY-MM-DDTHH:MM:SSZ`); default: the clock.
    pub now: Option<String>,
    /// Where the customer accepts (the id is appended); default Partner Center's page.
    pub acceptance_page: Option<String>,
    /// Who withdraws (`withdrawAttestation`).
    pub by: Option<String>,
    /// The language of the evidence's headings; default `en-US`.
    #[tsify(optional, type = "Locale | string")]
    pub locale: Option<String>,
}

fn options_of(options: &JsValue) -> Result<LedgerOptions, JsError> {
    let args = Args::one(options);
    let [node, _, _] = args.nodes()?;
    if matches!(node, Node::Absent) {
        return Ok(LedgerOptions::default());
    }
    LedgerOptions::read("options", &node)
}

fn time_of(options: &LedgerOptions) -> Result<Instant, JsError> {
    match options.now.as_deref() {
        None => Ok(now()),
        Some(text) => parse_instant(text).ok_or_else(|| {
            JsError::new("options.now: expected a date-time such as 2026-12-06T09:30:00Z")
        }),
    }
}

/// The acceptance page of the options, checked: a web link (https:, or this page's origin).
pub(super) fn acceptance_page_of(page: Option<&str>) -> Result<String, JsError> {
    match page {
        None => Ok(wire::ACCEPTANCE_PAGE.into()),
        Some(page) if is_web_link(page, super::page::page_origin().as_deref()) => Ok(page.into()),
        Some(_) => Err(JsError::new(
            "acceptancePage: expected an https: URL (or one of this page's origin)",
        )),
    }
}

fn record_arg(name: &str, value: &JsValue) -> Result<LedgerRecord, JsError> {
    let record = value_as::<LedgerRecord>(name, value)?;
    record
        .check()
        .map_err(|e| JsError::new(&crate::text!(name, ": ", e.message())))?;
    Ok(record)
}

/// Every record of a ledger (`ledger.records()`) with what it means at `options.now` (default:
/// the clock): its next step (`wait`, `check`, `complete`, `send-again`, `done`), whether it
/// still stands for its customer, whether its link expired, its age in days and its acceptance
/// link (built from the id on `options.acceptancePage`); and the counts (waiting, accepted,
/// expired, recorded, unknown, withdrawn). Records that do not read are left out.
#[wasm_bindgen(js_name = ledgerView, unchecked_return_type = "LedgerView")]
pub fn ledger_view(
    #[wasm_bindgen(unchecked_param_type = "LedgerRecord[]")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LedgerOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let options = options_of(&options.unwrap_or(JsValue::UNDEFINED))?;
    let at = time_of(&options)?;
    let page = acceptance_page_of(options.acceptance_page.as_deref())?;
    let mut records = records_of_value(&records);
    by_creation(&mut records);
    records.reverse();
    let counts = counts(&records, at);
    let items = records
        .into_iter()
        .map(|record| LedgerItem {
            next: record.next(at),
            live: record.is_live(at),
            expired: record.is_expired(at),
            age_days: at.days_since(record.created_at).min(u32::MAX.into()) as u32,
            acceptance_url: wire::acceptance_link(&page, &record.attestation_id),
            record,
        })
        .collect();
    to_js(&LedgerView {
        now: at.format(),
        items,
        counts,
    })
}

/// Two copies of one record (two agents wrote it; a store refused a write as stale): every
/// status either saw, the furthest status, the higher version. The same whichever comes
/// first. `AttestationLedger` calls it when its store answers that the record changed.
#[wasm_bindgen(js_name = mergeLedgerRecords, unchecked_return_type = "LedgerRecord")]
pub fn merge_ledger_records(
    #[wasm_bindgen(unchecked_param_type = "LedgerRecord")] mine: JsValue,
    #[wasm_bindgen(unchecked_param_type = "LedgerRecord")] theirs: JsValue,
) -> Result<JsValue, JsError> {
    let mine = record_arg("mine", &mine)?;
    let theirs = record_arg("theirs", &theirs)?;
    if mine.attestation_id != theirs.attestation_id {
        return Err(JsError::new("theirs: not the same attestation"));
    }
    to_js(&ledger::merge(&mine, &theirs))
}

/// The record withdrawn by the partner (at `options.now`, by `options.by`): it no longer blocks
/// a new attestation for its customer. Partner Center publishes no cancel: the customer's link
/// may still work, and an acceptance by it would still show when checked.
#[wasm_bindgen(js_name = withdrawAttestation, unchecked_return_type = "LedgerRecord")]
pub fn withdraw_attestation(
    #[wasm_bindgen(unchecked_param_type = "LedgerRecord")] record: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LedgerOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let mut record = record_arg("record", &record)?;
    let options = options_of(&options.unwrap_or(JsValue::UNDEFINED))?;
    record.withdraw(time_of(&options)?, options.by);
    to_js(&record)
}

/// The customer's acceptance link of an attestation: `page` (default Partner Center's,
/// `https://cdn.partner.microsoft.com/mca/?attestationid=`) followed by the id. Throws for an id
/// that is not one, or a page that is not an https: link (or one of this page's origin).
#[wasm_bindgen(js_name = acceptanceLink)]
pub fn acceptance_link(
    #[wasm_bindgen(js_name = attestationId)] attestation_id: &str,
    page: Option<String>,
) -> Result<String, JsError> {
    if !enhanced::acceptable_attestation_id(attestation_id) {
        return Err(JsError::new("attestationId: not an attestation id"));
    }
    Ok(wire::acceptance_link(
        &acceptance_page_of(page.as_deref())?,
        attestation_id,
    ))
}

/// What an auditor asks of a customer (`attestationEvidence`): its attestations from the
/// ledger and the agreements recorded, as rows for a spreadsheet (`csvOf`) and as JSON.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The customer.
    pub customer_id: String,
    /// When it was drawn up.
    pub generated_at: String,
    /// Its attestations, oldest first.
    pub attestations: Vec<LedgerRecord>,
    /// The agreements recorded for it (both agreements).
    pub agreements: Vec<Agreement>,
    /// The same as rows: a header, then one row per attestation and per agreement.
    pub rows: Vec<Vec<String>>,
}

/// The evidence of one customer: its attestations from the ledger (`records`; those of other
/// customers are left out) with who sent each, when, every status seen with its time, accepted
/// on, completed on, the agreement's date; and the agreements recorded (`agreements`, as read
/// back). Headings in `options.locale`.
#[wasm_bindgen(js_name = attestationEvidence, unchecked_return_type = "Evidence")]
pub fn attestation_evidence(
    #[wasm_bindgen(js_name = customerId)] customer_id: &str,
    #[wasm_bindgen(unchecked_param_type = "LedgerRecord[]")] records: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Agreement[]")] agreements: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LedgerOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let customer = super::client::customer_id_arg(customer_id)?;
    let options = options_of(&options.unwrap_or(JsValue::UNDEFINED))?;
    let locale = Locale::parse(options.locale.as_deref().unwrap_or_default());
    let mut mine: Vec<LedgerRecord> = records_of_value(&records)
        .into_iter()
        .filter(|r| r.customer_id == customer)
        .collect();
    by_creation(&mut mine);
    let args = Args::one(&agreements);
    let [node, _, _] = args.nodes()?;
    let mut recorded = Vec::new();
    if let Node::Array(items) = &node {
        for (index, item) in items.iter().enumerate() {
            recorded.push(crate::flows::payload::Agreement::read(
                &crate::text!("agreements[", index, "]"),
                item,
            )?);
        }
    }
    let text = |t: Option<Instant>| t.map(Instant::format).unwrap_or_default();
    let mut rows = vec![messages::evidence_header(locale)
        .iter()
        .map(|h| (*h).to_string())
        .collect::<Vec<_>>()];
    for r in &mine {
        let seen = r
            .history
            .iter()
            .map(|s| {
                let status = s.raw.as_deref().unwrap_or(s.status.as_str());
                crate::checks::text::join(&[status, &s.at.format()], " ")
            })
            .collect::<Vec<_>>();
        rows.push(vec![
            "attestation".into(),
            r.attestation_id.clone(),
            r.status.as_str().into(),
            text(Some(r.created_at)),
            r.sent_by.clone().unwrap_or_default(),
            crate::checks::text::join(&seen.iter().map(String::as_str).collect::<Vec<_>>(), "; "),
            text(r.accepted_at),
            text(r.completed_at),
            r.agreement_date
                .map(|d| format_date(d.0))
                .unwrap_or_default(),
            text(r.withdrawn_at),
            String::new(),
        ]);
    }
    for a in &recorded {
        let c = &a.primary_contact;
        rows.push(vec![
            "agreement".into(),
            a.template_id.clone(),
            a.agreement_type.as_str().into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format_date(a.date_agreed),
            String::new(),
            crate::checks::text::join(&[&c.first_name, &c.last_name, &c.email], " "),
        ]);
    }
    to_js(&Evidence {
        customer_id: customer,
        generated_at: now().format(),
        attestations: mine,
        agreements: recorded,
        rows,
    })
}

js_interface! {
    /// A portal's ledger of attestations, as the client reads and writes it: `AttestationLedger`
    /// (csp-agreements/ledger) or any object with these methods.
    pub(super) LedgerMembers for "AttestationLedgerLike" {
        /// The records of a customer (its id lower case, without braces).
        RECORDS_OF = "recordsOf" "(customerId: string): LedgerRecord[]";
        /// The record of an attestation, if kept.
        GET = "get" "(attestationId: string): LedgerRecord | undefined";
        /// Writes one record (at the version it was read at).
        PUT = "put" "(record: LedgerRecord): Promise<unknown>";
        /// Who sends, kept in the records (a user id of the portal's, never a token).
        SENT_BY = "sentBy" "?: string";
    }
}
