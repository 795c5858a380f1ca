//! The portfolio (`PartnerCenterClient.portfolio`): every customer, page after page as Partner
//! Center pages them, each one's standing read with no request that is not needed (the
//! Customer Agreement confirmations first, the direct acceptance only when they do not settle
//! it), merged with the ledger; at most a number at once and fewer after throttling; rows
//! handed over as they arrive; cancel at any time. The decisions are the rules crate's
//! (`scan`, `standing::StandingReads`); this side performs the requests.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::client::{new_id, Inner, PartnerCenterClient};
use super::compact::Node;
use super::convert::{check_context, to_js};
use super::ending::Ending;
use super::input::{self, function_of, Args, FromNode};
use super::ledger::now_on;
use crate::checks::form::Context;
use crate::checks::messages::{self, Locale};
use crate::flows::backend::BackendProblem;
use crate::flows::endpoints;
use crate::flows::pool::MAX_CONCURRENCY;
use crate::flows::scan::{Job, Page, Scan};
use crate::rules::date::format_date;
use crate::rules::gate::GateReasonCode;
use crate::rules::standing::{InFlight, NextStep};

/// One customer of the portfolio, as it stands today.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioRow {
    /// The customer's id.
    pub customer_id: String,
    /// Its company name.
    pub company_name: String,
    /// Its domain.
    pub domain: String,
    /// Its country (ISO code).
    pub country: String,
    /// Whether a new order can be placed today (absent when it could not be read).
    pub orderable: Option<bool>,
    /// What the partner must do first.
    pub next_step: Option<NextStep>,
    /// The message saying it (or why the customer could not be read).
    pub message: String,
    /// The order gate's reason.
    pub reason: Option<GateReasonCode>,
    /// Partner Center's code for the refusal of an order (13605).
    pub partner_center_code: Option<u32>,
    /// The customer accepted directly, when that was read (it is only read when the
    /// confirmations do not settle it).
    pub direct_acceptance: Option<bool>,
    /// The latest partner confirmation of the Customer Agreement (`YYYY-MM-DD`).
    pub latest_attestation: Option<String>,
    /// The attestation in flight, from the ledger.
    pub in_flight: Option<InFlight>,
    /// Why it could not be read.
    pub error: Option<BackendProblem>,
    /// Requests made for it.
    pub requests: u32,
}

/// How far a portfolio is.
#[serde_with::skip_serializing_none]
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioProgress {
    /// Customers found so far.
    pub found: u32,
    /// How many Partner Center says there are, when it says.
    pub total_count: Option<u32>,
    /// Pages read.
    pub pages: u32,
    /// Customers read (failed ones included).
    pub read: u32,
    /// Customers that could not be read.
    pub failed: u32,
    /// Customers being read.
    pub in_flight: u32,
    /// Customers read at once now (fewer after throttling).
    pub limit: u32,
    /// Requests sent so far (pages and customers).
    pub requests: u32,
    /// Why the pages stopped before the last, if they did.
    pub page_error: Option<BackendProblem>,
    /// Its message, in the client's language.
    pub page_error_message: Option<String>,
    /// Cancelled: nothing new starts.
    pub cancelled: bool,
    /// Nothing under way and nothing more will be found or read.
    pub finished: bool,
}

/// Options of `portfolio`: those of every check (the day, the language), how many customers at
/// once, and what to call as rows arrive.
#[derive(Debug, Default, Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioOptions {
    /// The options of every check.
    #[serde(flatten)]
    pub check: super::shapes::CheckOptions,
    /// Called (with nothing) as rows arrive (taken as it is from the argument).
    #[tsify(optional, type = "() => void")]
    #[allow(dead_code)]
    pub on_change: Option<super::input::Given>,
    /// Customers read at once, 1 to 16; default 4 (halved while Partner Center throttles).
    #[tsify(optional)]
    #[read(whole(1, MAX_CONCURRENCY))]
    pub concurrency: Option<u32>,
}

#[wasm_bindgen]
impl PartnerCenterClient {
    /// Reads every customer's standing today, page after page as Partner Center pages its
    /// customers (`links.next`, `MS-ContinuationToken`): for each, its Customer Agreement
    /// confirmations, then the direct acceptance only when they do not settle it (one request
    /// for a customer whose confirmation counts, two at most), merged with the client's
    /// ledger. At most `options.concurrency` customers at once, halved while Partner Center
    /// throttles. Starts at once; `takeRows()` hands over the rows read since it was last
    /// called.
    pub fn portfolio(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "PortfolioOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<PortfolioScan, JsError> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let on_change = function_of(&options, "onChange");
        let args = Args::one(&options);
        let [node, _, _] = args.nodes()?;
        let options: PortfolioOptions = input::options_of("options", &node)?;
        let concurrency = options
            .concurrency
            .unwrap_or(crate::flows::pool::DEFAULT_CONCURRENCY);
        let (context, locale) = check_context(options.check)?;
        let state = Rc::new(ScanState {
            client: self.inner.clone(),
            scan: RefCell::new(Scan::new(concurrency as usize)),
            rows: RefCell::new(Vec::new()),
            handed: RefCell::new(0),
            context,
            locale,
            correlation: new_id(),
            requests_before: self.inner.requests.get(),
            ending: Ending::new(on_change),
        });
        state.pump();
        Ok(PortfolioScan { state })
    }
}

/// A portfolio being read (`PartnerCenterClient.portfolio`).
#[wasm_bindgen]
pub struct PortfolioScan {
    state: Rc<ScanState>,
}

#[wasm_bindgen]
impl PortfolioScan {
    /// No new page nor customer is read; those under way finish.
    pub fn cancel(&self) {
        self.state.scan.borrow_mut().cancel();
        self.state.changed();
    }

    /// How far it is.
    #[wasm_bindgen(unchecked_return_type = "PortfolioProgress")]
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.progress())
    }

    /// The rows read since the last call (each once, in the order they were read).
    #[wasm_bindgen(js_name = takeRows, unchecked_return_type = "PortfolioRow[]")]
    pub fn take_rows(&self) -> Result<JsValue, JsError> {
        let rows = self.state.rows.borrow();
        let mut handed = self.state.handed.borrow_mut();
        let fresh = &rows[*handed..];
        *handed = rows.len();
        to_js(fresh)
    }

    /// Resolves with the last progress once nothing more will happen.
    #[wasm_bindgen(unchecked_return_type = "Promise<PortfolioProgress>")]
    pub fn finished(&self) -> Promise {
        self.state.ending.finished()
    }
}

struct ScanState {
    client: Rc<Inner>,
    scan: RefCell<Scan>,
    rows: RefCell<Vec<PortfolioRow>>,
    handed: RefCell<usize>,
    context: Context,
    locale: Locale,
    correlation: String,
    requests_before: u32,
    ending: Ending,
}

impl ScanState {
    fn pump(self: &Rc<Self>) {
        loop {
            let job = self.scan.borrow_mut().next_job();
            let Some(job) = job else { break };
            let state = Rc::clone(self);
            super::task::spawn(async move {
                match job {
                    Job::Page(link) => {
                        let page = state.page(link).await;
                        state.scan.borrow_mut().on_page(page);
                    }
                    Job::Customer(index) => {
                        let throttled_before = state.client.throttled.get();
                        let row = state.customer(index).await;
                        let throttled = state.client.throttled.get() > throttled_before;
                        let failed = row.error.is_some();
                        state.rows.borrow_mut().push(row);
                        state.scan.borrow_mut().on_customer(failed, throttled);
                    }
                }
                state.pump();
            });
        }
        self.changed();
    }

    fn changed(&self) {
        let done = self.scan.borrow().progress().finished;
        self.ending.changed(done, || {
            to_js(&self.progress()).unwrap_or(JsValue::UNDEFINED)
        });
    }

    fn progress(&self) -> PortfolioProgress {
        let p = self.scan.borrow().progress();
        PortfolioProgress {
            found: p.found as u32,
            total_count: p.total_count.map(|n| n.min(u64::from(u32::MAX)) as u32),
            pages: p.pages as u32,
            read: p.pool.done as u32,
            failed: p.pool.failed as u32,
            in_flight: p.pool.in_flight as u32,
            limit: p.pool.limit as u32,
            requests: self
                .client
                .requests
                .get()
                .wrapping_sub(self.requests_before),
            page_error: p.page_error,
            page_error_message: p
                .page_error
                .map(|e| messages::backend_message(e, self.locale).into()),
            cancelled: p.pool.cancelled,
            finished: p.finished,
        }
    }

    /// A page of customers.
    async fn page(
        &self,
        link: Option<crate::flows::scan::PageLink>,
    ) -> Result<Page, BackendProblem> {
        let (endpoint, headers) = match &link {
            None => (Scan::first_page(), Vec::new()),
            Some(link) => (
                endpoints::next_page(link.path().ok_or(BackendProblem::Unexpected)?),
                link.headers(),
            ),
        };
        let value = self
            .client
            .send_with(&endpoint, None, &self.correlation, None, &headers)
            .await
            .map_err(|f| f.problem)?;
        let args = Args::one(&value);
        let [node, _, _] = args.nodes().map_err(|_| BackendProblem::Unexpected)?;
        match node {
            Node::Object(_) => Page::read("page", &node).map_err(|_| BackendProblem::Unexpected),
            _ => Err(BackendProblem::Unexpected),
        }
    }

    /// Customer `index`'s row: its standing from the reads it needs, merged with the ledger.
    async fn customer(&self, index: usize) -> PortfolioRow {
        let item = self.scan.borrow().customer(index).clone();
        let client = &self.client;
        let ended = client
            .lean_standing(&item.id, &self.context, &self.correlation)
            .await;
        let mut row = PortfolioRow {
            customer_id: item.id.clone(),
            company_name: item.company_profile.company_name.clone(),
            domain: item.company_profile.domain.clone(),
            country: item.billing_profile.default_address.country.clone(),
            orderable: None,
            next_step: None,
            message: String::new(),
            reason: None,
            partner_center_code: None,
            direct_acceptance: None,
            latest_attestation: None,
            in_flight: None,
            error: None,
            requests: 0,
        };
        match ended {
            Ok(lean) => {
                row.requests = lean.requests;
                let direct = lean.direct;
                let mut standing = lean.standing;
                if let Some(ledger) = &client.ledger {
                    let at = now_on(self.context.today);
                    standing = standing.with_ledger(&ledger.records_of(&item.id), &item.id, at);
                }
                row.orderable = Some(standing.verdict.allowed);
                row.next_step = Some(standing.next_step);
                row.message = messages::standing_message(&standing, self.locale);
                row.reason = Some(standing.verdict.reason.code());
                row.partner_center_code = standing.verdict.partner_center_code();
                row.direct_acceptance = direct;
                row.latest_attestation = standing.latest_attestation.map(format_date);
                row.in_flight = standing.in_flight;
            }
            Err(failure) => {
                row.error = Some(failure.problem);
                row.message = messages::backend_message(failure.problem, self.locale).into();
            }
        }
        row
    }
}
