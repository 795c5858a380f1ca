//! The Partner Center agreement contract (SPEC §5, research §2–§3) as axum routes, checked with
//! the same rules crate as the browser, plus the sandbox's own routes (documents, faults) and the
//! static site.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use csp_agreements::countries;
use csp_agreements::customer::{validate_customer, NewCustomer};
use csp_agreements::date::{format_date, Today};
use csp_agreements::form::{validate, ConfirmationForm, Context};
use csp_agreements::issues::IssueCode;
use csp_agreements::{Agreement, AgreementPayload, AgreementType};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::enhanced;
use crate::error::ApiError;
use crate::store::{self, Customer, Store, StoredResponse};

/// The partner user the sandbox's token stands for (agreements record it as `userId`).
pub const SANDBOX_USER_ID: &str = "3d6f2c09-eb40-48ca-a4b3-d24c9c007531";
/// How long a template document link works, like the real one.
pub const DOCUMENT_LINK_SECONDS: i64 = 5 * 60;
/// The page's Content-Security-Policy: no inline script or style anywhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// How the sandbox runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The accepted bearer token.
    pub token: String,
    /// The server's calendar; None = today's UTC date.
    pub today: Option<NaiveDate>,
    /// The static site and the built wasm package.
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// The server's own address, for the document links it hands out.
    pub base_url: String,
    /// The signed-in partner is an indirect reseller: its attestations are refused (403).
    pub indirect_reseller: bool,
    /// Faults waiting from the start (`--faults`).
    pub faults: Option<Fault>,
}

/// A failure to inject into matching `/v1` requests (`POST /sandbox/faults`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// HTTP method to match; any when left out.
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix to match, e.g. `/v1/customers/`.
    pub path: String,
    /// The status answered by a `before` fault; default 503.
    #[serde(default = "unavailable")]
    pub status: u16,
    /// How many requests fail; default 1, at most [`MAX_FAULT_TIMES`].
    #[serde(default = "one")]
    pub times: u32,
    /// `Retry-After` seconds to send.
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// When the fault strikes.
    #[serde(default)]
    pub when: FaultWhen,
    /// With `after-commit`: also forget the `MS-RequestId`, as a backend that does not replay
    /// by request id would (a retry then meets its own record: 409).
    #[serde(default)]
    pub forget_request_id: bool,
    /// Strike only this share (0 to 1) of the matching requests, chosen by `seed`: the same
    /// seed strikes the same ones (the n-th matching request, counted from when the fault was
    /// added). `times` still bounds how many it strikes.
    #[serde(default)]
    pub rate: Option<f64>,
    /// The seed of `rate`.
    #[serde(default)]
    pub seed: u64,
    /// Strike with a kind drawn by `seed` from the mix (`MIX`) rather than `when` and
    /// `status`: every kind of failure a client meets.
    #[serde(default)]
    pub mix: bool,
    /// Matching requests seen so far (for `rate`).
    #[serde(skip)]
    pub seen: u64,
}

/// What a fault of the mix does, each as likely as the others.
const MIX: [(FaultWhen, u16); 11] = [
    (FaultWhen::Before, 500),
    (FaultWhen::Before, 502),
    (FaultWhen::Before, 503),
    (FaultWhen::Before, 504),
    (FaultWhen::Before, 429),
    (FaultWhen::Latency, 0),
    (FaultWhen::DropBefore, 0),
    (FaultWhen::AfterCommit, 0),
    (FaultWhen::Truncated, 0),
    (FaultWhen::Malformed, 0),
    (FaultWhen::Hang, 0),
];

/// SplitMix64 of (seed, n, salt) as a number in [0, 1): a fixed, well-spread draw.
fn draw(seed: u64, n: u64, salt: u64) -> f64 {
    let mut z = seed
        .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

impl Fault {
    /// The mix of every kind of failure on every `/v1` request, striking `rate` of them as
    /// `seed` draws (`--faults 'rate=0.2,seed=7'`).
    pub fn mix(rate: f64, seed: u64) -> Fault {
        Fault {
            method: None,
            path: "/v1/".into(),
            status: 503,
            times: u32::MAX,
            retry_after: None,
            when: FaultWhen::Before,
            forget_request_id: false,
            rate: Some(rate),
            seed,
            mix: true,
            seen: 0,
        }
    }

    /// Reads `rate=0.2,seed=7` (both needed; the rate between 0 and 1).
    pub fn parse_mix(text: &str) -> Result<Fault, String> {
        let (mut rate, mut seed) = (None, None);
        for part in text.split(',') {
            match part.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
                Some(("rate", value)) => rate = value.parse::<f64>().ok(),
                Some(("seed", value)) => seed = value.parse::<u64>().ok(),
                _ => {
                    return Err(format!(
                        "{part:?}: expected rate=<0 to 1> or seed=<integer>"
                    ))
                }
            }
        }
        match (rate, seed) {
            (Some(rate), Some(seed)) if (0.0..=1.0).contains(&rate) => Ok(Fault::mix(rate, seed)),
            _ => Err("expected rate=<0 to 1>,seed=<integer>, e.g. rate=0.2,seed=7".into()),
        }
    }

    /// What this strike does: the fault's own kind, or one drawn from the mix.
    fn kind(&self) -> (FaultWhen, u16, Option<u32>) {
        if !self.mix {
            return (self.when, self.status, self.retry_after);
        }
        let (when, status) = MIX[(draw(self.seed, self.seen, 1) * MIX.len() as f64) as usize];
        (when, status, (status == 429).then_some(1))
    }
}

impl Fault {
    /// Whether the next matching request is struck (and counts it).
    fn strikes(&mut self) -> bool {
        self.seen += 1;
        self.rate
            .is_none_or(|rate| draw(self.seed, self.seen, 0) < rate)
    }
}

/// When an injected fault strikes, and how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultWhen {
    /// Instead of the request: the fault's status, nothing done.
    #[default]
    Before,
    /// After the request was done and committed: the status line goes out, then the connection
    /// drops before the body. The record exists; the client never reads the answer.
    AfterCommit,
    /// The connection drops before the request is done: nothing is done.
    DropBefore,
    /// The answer comes 0.2 to 1.5 s late.
    Latency,
    /// The request is done, its JSON answer cut in half.
    Truncated,
    /// The request is done, its answer replaced by text that is not JSON.
    Malformed,
    /// No answer ever comes (the client's timeout ends it); nothing is done.
    Hang,
}

impl FaultWhen {
    /// Its name in the counts of `GET /sandbox/faults`.
    fn name(self, status: u16) -> String {
        match self {
            FaultWhen::Before => format!("status-{status}"),
            FaultWhen::AfterCommit => "drop-after-commit".into(),
            FaultWhen::DropBefore => "drop-before".into(),
            FaultWhen::Latency => "latency".into(),
            FaultWhen::Truncated => "truncated-json".into(),
            FaultWhen::Malformed => "malformed-json".into(),
            FaultWhen::Hang => "no-answer".into(),
        }
    }
}

/// At most this many faults wait at once, each for at most [`MAX_FAULT_TIMES`] requests.
pub const MAX_FAULTS: usize = 100;
pub const MAX_FAULT_TIMES: u32 = 1000;

fn one() -> u32 {
    1
}

fn unavailable() -> u16 {
    503
}

pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub faults: Mutex<Vec<Fault>>,
    /// How many faults of each kind struck (`GET /sandbox/faults`).
    pub injected: Mutex<std::collections::BTreeMap<String, u64>>,
    /// The API's requests so far, and the `MS-RequestId`s seen (to count those sent again: a
    /// client's retries), `GET /sandbox/faults`.
    pub requests: Mutex<RequestCounts>,
}

/// The API's requests, and how many repeated an `MS-RequestId` already seen.
#[derive(Default)]
pub struct RequestCounts {
    total: u64,
    repeated: u64,
    /// At most `MAX_SEEN` ids are kept; beyond them, repeats are no longer counted.
    seen: std::collections::HashSet<String>,
}

/// The request ids kept to count repeats.
const MAX_SEEN: usize = 1_000_000;

impl RequestCounts {
    fn count(&mut self, request_id: Option<&str>) {
        self.total += 1;
        if let Some(id) = request_id {
            if self.seen.contains(id) {
                self.repeated += 1;
            } else if self.seen.len() < MAX_SEEN {
                self.seen.insert(id.to_string());
            }
        }
    }
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Arc<AppState> {
        Arc::new(AppState {
            store,
            faults: Mutex::new(config.faults.iter().cloned().collect()),
            injected: Mutex::default(),
            requests: Mutex::default(),
            config,
        })
    }

    /// The `Host` values the sandbox answers to: its loopback address and port, under any of
    /// the loopback names. Anything else is a page of another site reaching it through DNS
    /// rebinding.
    pub fn allowed_hosts(&self) -> Vec<String> {
        let port = self
            .config
            .base_url
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|host| format!("{host}:{port}"))
            .collect()
    }

    /// The server's date: `--today`, or today in UTC.
    pub fn today(&self) -> NaiveDate {
        self.config
            .today
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }
}

pub(crate) type Shared = State<Arc<AppState>>;

/// The whole application: the API, the sandbox routes, the site and the package.
pub fn app(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/v1/agreements", get(agreement_metadata))
        .route("/v1/customers", get(search_customers).post(create_customer))
        .route("/v1/customers/{id}", get(get_customer))
        .route(
            "/v1/customers/{id}/agreements",
            get(list_agreements).post(confirm_agreement),
        )
        .route("/v1/attestations/enhanced", post(enhanced::create))
        .route("/v1/attestations/enhanced/{id}", get(enhanced::status))
        .route(
            "/v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus",
            get(enhanced::direct_status),
        )
        .route("/v1/customers/{id}/orders", post(enhanced::order))
        .route(
            "/v1/agreementtemplates/{template_id}/document",
            get(template_document),
        )
        .route(
            "/sandbox/faults",
            get(fault_counts).post(add_fault).delete(clear_faults),
        )
        .route("/sandbox/records", get(records))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            injected_faults,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), bearer_token))
        .layer(middleware::from_fn(echo_request_ids))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    Router::new()
        .merge(api)
        .route("/sandbox/documents/{token}", get(document))
        .route(
            "/accept/{id}",
            get(enhanced::acceptance_page).post(enhanced::accept),
        )
        .nest_service("/pkg", ServeDir::new(&state.config.pkg))
        .fallback_service(ServeDir::new(&state.config.www))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(middleware::from_fn_with_state(state.clone(), loopback_host))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------------
// Middleware
// ---------------------------------------------------------------------------------------------

/// Every route, the site included, answers only to the sandbox's own loopback `Host`: a page
/// of another site whose name was rebound to 127.0.0.1 gets 421.
async fn loopback_host(State(state): Shared, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    match host {
        Some(host) if state.allowed_hosts().contains(&host) => next.run(request).await,
        _ => (
            StatusCode::MISDIRECTED_REQUEST,
            "This sandbox answers on 127.0.0.1, localhost and [::1] only.",
        )
            .into_response(),
    }
}

/// Every API route needs `Authorization: Bearer <token>`.
async fn bearer_token(State(state): Shared, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if constant_time_eq(token.as_bytes(), state.config.token.as_bytes()) => {
            next.run(request).await
        }
        _ => ApiError::unauthorized().into_response(),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failures injected with `POST /sandbox/faults` (never for the faults route itself).
async fn injected_faults(State(state): Shared, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/sandbox/") {
        return next.run(request).await;
    }
    if path.starts_with("/v1/") {
        let id = request
            .headers()
            .get("MS-RequestId")
            .and_then(|v| v.to_str().ok());
        state
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .count(id);
    }
    let fault = {
        let mut faults = state.faults.lock().unwrap_or_else(|p| p.into_inner());
        let method = request.method().as_str();
        faults
            .iter_mut()
            .position(|f| {
                path.starts_with(&f.path)
                    && f.method
                        .as_deref()
                        .is_none_or(|m| m.eq_ignore_ascii_case(method))
                    && f.strikes()
            })
            .map(|i| {
                faults[i].times -= 1;
                let fault = faults[i].clone();
                if fault.times == 0 {
                    faults.remove(i);
                }
                fault
            })
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    let (when, status, retry_after) = fault.kind();
    *state
        .injected
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(when.name(status))
        .or_default() += 1;
    let dropped = |why: &'static str| {
        axum::body::Body::from_stream(futures_util::stream::once(async move {
            Err::<Bytes, _>(std::io::Error::other(why))
        }))
    };
    match when {
        FaultWhen::Before => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            ApiError::transient(status, retry_after).into_response()
        }
        FaultWhen::DropBefore => Response::new(dropped("injected fault: the connection dropped")),
        FaultWhen::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            ApiError::transient(StatusCode::GATEWAY_TIMEOUT, None).into_response()
        }
        FaultWhen::Latency => {
            let ms = 200 + (draw(fault.seed, fault.seen, 2) * 1300.0) as u64;
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            next.run(request).await
        }
        FaultWhen::Truncated | FaultWhen::Malformed => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = match when {
                FaultWhen::Truncated => bytes.slice(..bytes.len() / 2),
                _ => Bytes::from_static(b"<html>Service temporarily unavailable"),
            };
            Response::from_parts(parts, axum::body::Body::from(body))
        }
        FaultWhen::AfterCommit => {
            let request_id = request
                .headers()
                .get("ms-requestid")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            // The handler has committed when it returns.
            let response = next.run(request).await;
            if let (true, Some(id)) = (fault.forget_request_id, request_id) {
                let _ = store::forget_response(&state.store.lock(), &id);
            }
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = dropped("injected fault: the connection dropped after the commit");
            Response::from_parts(parts, body)
        }
    }
}

/// Responses echo `MS-RequestId` and `MS-CorrelationId`, like Partner Center's.
async fn echo_request_ids(request: Request, next: Next) -> Response {
    let ids: Vec<(HeaderName, HeaderValue)> = ["ms-requestid", "ms-correlationid"]
        .into_iter()
        .filter_map(|name| {
            Some((
                HeaderName::from_static(name),
                request.headers().get(name)?.clone(),
            ))
        })
        .collect();
    let mut response = next.run(request).await;
    for (name, value) in ids {
        response.headers_mut().insert(name, value);
    }
    response
}

async fn add_fault(State(state): Shared, Json(fault): Json<Fault>) -> Result<StatusCode, ApiError> {
    if fault.rate.is_some_and(|rate| !(0.0..=1.0).contains(&rate)) {
        return Err(ApiError::bad_request(
            "InvalidFault",
            "A fault's rate is between 0 and 1.",
        ));
    }
    if fault.times > MAX_FAULT_TIMES {
        return Err(ApiError::bad_request(
            "InvalidFault",
            &format!("A fault strikes at most {MAX_FAULT_TIMES} times."),
        ));
    }
    let mut faults = state.faults.lock().unwrap_or_else(|p| p.into_inner());
    if faults.len() >= MAX_FAULTS {
        return Err(ApiError::bad_request(
            "TooManyFaults",
            &format!(
                "At most {MAX_FAULTS} faults wait at once: clear them (DELETE /sandbox/faults)."
            ),
        ));
    }
    if fault.times > 0 {
        faults.push(fault);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /sandbox/records`: what the database holds, for tests that compare a client's report
/// with it: every attestation (id, customer, status), every confirmation (customer, type,
/// signatory's email, day), and SQLite's integrity check.
async fn records(State(state): Shared) -> Result<Json<Value>, ApiError> {
    let db = state.store.lock();
    let (attestations, agreements) = store::records(&db).map_err(internal)?;
    drop(db);
    let integrity = state.store.integrity().map_err(internal)?;
    Ok(Json(
        json!({ "attestations": attestations, "agreements": agreements, "integrity": integrity }),
    ))
}

/// `GET /sandbox/faults`: how many faults of each kind struck so far, how many API requests
/// came, and how many of them repeated an `MS-RequestId` (a client trying again).
async fn fault_counts(State(state): Shared) -> Json<Value> {
    let injected = state
        .injected
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let requests = state.requests.lock().unwrap_or_else(|p| p.into_inner());
    Json(json!({ "injected": injected, "requests": requests.total, "repeated": requests.repeated }))
}

async fn clear_faults(State(state): Shared) -> StatusCode {
    state
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

pub(crate) fn now() -> String {
    store::timestamp(chrono::Utc::now())
}

/// What identifies a request for replay: SHA-256 of its method, path and body, in hex.
pub(crate) fn fingerprint(method_and_path: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(method_and_path.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn internal(error: rusqlite::Error) -> ApiError {
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        let mut full = ApiError::business(
            StatusCode::SERVICE_UNAVAILABLE,
            503,
            "StorageFull",
            "The sandbox's storage is full: nothing was recorded. Free some space, then try again.",
            json!({}),
        );
        full.body["isRetryable"] = json!(false);
        return full;
    }
    ApiError::generic(
        StatusCode::INTERNAL_SERVER_ERROR,
        "500",
        &format!("Storage error: {error}"),
    )
}

/// Runs a creating request once per `MS-RequestId`: a repeat with the same method, path and body
/// gets the first response again (and creates nothing); a repeat with anything else is refused.
/// The work and its replay row are one transaction: both are kept, or neither.
pub(crate) fn idempotent(
    state: &AppState,
    headers: &HeaderMap,
    fingerprint: String,
    work: impl FnOnce(&Connection) -> Result<(StatusCode, Value), ApiError>,
) -> Response {
    let mut db = state.store.lock();
    let request_id = headers
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let tx = match db.transaction() {
        Ok(tx) => tx,
        Err(e) => return internal(e).into_response(),
    };
    if let Some(id) = &request_id {
        match store::stored_response(&tx, id) {
            Ok(Some(stored)) if stored.fingerprint == fingerprint => {
                let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
                let body: Value = serde_json::from_str(&stored.body).unwrap_or(Value::Null);
                return (status, Json(body)).into_response();
            }
            Ok(Some(_)) => {
                return ApiError::business(
                    StatusCode::CONFLICT,
                    409,
                    "RequestIdConflict",
                    "This MS-RequestId was already used for a different request.",
                    json!({}),
                )
                .into_response()
            }
            Ok(None) => {}
            Err(e) => return internal(e).into_response(),
        }
    }
    let (status, body) = match work(&tx) {
        Ok(done) => done,
        Err(error) => (error.status, error.body),
    };
    if status.is_server_error() {
        // Dropped: rolled back, nothing half-made is kept; a retry runs the work again.
        drop(tx);
        return (status, Json(body)).into_response();
    }
    if let Some(id) = &request_id {
        let stored = StoredResponse {
            fingerprint,
            status: status.as_u16(),
            body: body.to_string(),
        };
        if let Err(e) = store::store_response(&tx, id, &stored, chrono::Utc::now()) {
            return internal(e).into_response();
        }
    }
    if let Err(e) = tx.commit() {
        return internal(e).into_response();
    }
    (status, Json(body)).into_response()
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(
            "InvalidRequestBody",
            &format!("The request body is not valid: {e}."),
        )
    })
}

fn collection(items: Vec<Value>) -> Value {
    json!({ "totalCount": items.len(), "items": items, "attributes": { "objectType": "Collection" } })
}

// ---------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypeQuery {
    agreement_type: Option<String>,
}

/// `agreementType` as the API reads it: left out = the Cloud Agreement (backward
/// compatibility), `*` = every type.
fn agreement_types(query: &TypeQuery) -> Result<Vec<AgreementType>, ApiError> {
    match query.agreement_type.as_deref() {
        None | Some("") => Ok(vec![AgreementType::MicrosoftCloudAgreement]),
        Some("*") => Ok(AgreementType::ALL.to_vec()),
        Some(name) => AgreementType::parse(name).map(|t| vec![t]).ok_or_else(|| {
            ApiError::bad_request(
                "InvalidAgreementType",
                &format!("Agreement type '{name}' is not valid."),
            )
        }),
    }
}

async fn agreement_metadata(Query(query): Query<TypeQuery>) -> Result<Json<Value>, ApiError> {
    let items = agreement_types(&query)?
        .into_iter()
        .map(|t| {
            let template = t.default_template();
            json!({
                "templateId": template.template_id,
                "agreementType": t.as_str(),
                "agreementLink": template.agreement_link,
                "versionRank": 0,
            })
        })
        .collect();
    Ok(Json(collection(items)))
}

/// An agreement as the GET returns it: `dateAgreed` without a zone, like the documented example.
fn agreement_json(agreement: &Agreement) -> Value {
    let mut value = serde_json::to_value(agreement).expect("agreements serialize");
    value["dateAgreed"] = json!(format!("{}T00:00:00", format_date(agreement.date_agreed)));
    value
}

pub(crate) fn existing_customer(db: &Connection, id: &str) -> Result<Customer, ApiError> {
    store::customer(db, &id.to_ascii_lowercase())
        .map_err(internal)?
        .ok_or_else(|| ApiError::not_found(&format!("Customer '{id}'")))
}

async fn list_agreements(
    State(state): Shared,
    Path(id): Path<String>,
    Query(query): Query<TypeQuery>,
) -> Result<Json<Value>, ApiError> {
    let types = agreement_types(&query)?;
    let db = state.store.lock();
    let customer = existing_customer(&db, &id)?;
    let items = store::agreements(&db, &customer.id, &types).map_err(internal)?;
    Ok(Json(collection(items.iter().map(agreement_json).collect())))
}

async fn confirm_agreement(
    State(state): Shared,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fingerprint = fingerprint(&format!("POST /v1/customers/{id}/agreements"), &body);
    let today = state.today();
    if state.config.indirect_reseller {
        return enhanced::indirect_reseller().into_response();
    }
    idempotent(&state, &headers, fingerprint, |db| {
        confirm(db, &id, &body, today)
    })
}

fn confirm(
    db: &Connection,
    id: &str,
    body: &[u8],
    today: NaiveDate,
) -> Result<(StatusCode, Value), ApiError> {
    let value: Value = parse_json(body)?;
    if value.get("attestationId").is_some() {
        return enhanced::complete(db, id, &value, today);
    }
    if enhanced::legacy_retired_on(today) {
        return Err(enhanced::retired());
    }
    let customer = existing_customer(db, id)?;
    let payload: AgreementPayload = parse_json(body)?;
    // Like the real service, the stored type follows the template id.
    let agreement_type =
        AgreementType::of_known_template(&payload.template_id).ok_or_else(|| {
            ApiError::bad_request(
                "InvalidTemplateId",
                &format!("Template ID '{}' is not valid.", payload.template_id),
            )
        })?;
    let contact = &payload.primary_contact;
    let form = ConfirmationForm {
        agreement_type: agreement_type.as_str().to_string(),
        date_agreed: format_date(payload.date_agreed),
        first_name: contact.first_name.clone(),
        last_name: contact.last_name.clone(),
        email: contact.email.clone(),
        phone_number: contact.phone_number.clone().unwrap_or_default(),
        ..ConfirmationForm::default()
    };
    let context = Context {
        today: Some(Today::same(today)),
        existing: store::agreements(db, &customer.id, &[agreement_type]).map_err(internal)?,
        template_id: Some(payload.template_id.clone()),
        ..Context::default()
    };
    let report = validate(&form, &context);
    let has = |code: IssueCode| report.errors.iter().any(|i| i.code() == code);
    if agreement_type == AgreementType::MicrosoftCloudAgreement
        && has(IssueCode::AgreementNotAcceptable)
    {
        return Err(ApiError::bad_request(
            "TemplateNotSupported",
            &format!(
                "Microsoft Cloud Agreement Template ID '{}' is no longer supported.",
                payload.template_id
            ),
        ));
    }
    if has(IssueCode::FutureDate) {
        return Err(ApiError::business(
            StatusCode::BAD_REQUEST,
            600002,
            "InvalidDateAgreed",
            "Date of agreement cannot be greater than the current date.",
            json!({}),
        ));
    }
    if has(IssueCode::DuplicateConfirmation) {
        return Err(ApiError::duplicate_confirmation());
    }
    let Some(valid) = report.payload.filter(|_| report.errors.is_empty()) else {
        return Err(invalid_input(
            report
                .errors
                .iter()
                .map(|i| (i.field.as_str(), i.code().as_str())),
        ));
    };
    let agreement = Agreement {
        user_id: Some(SANDBOX_USER_ID.to_string()),
        primary_contact: valid.primary_contact.clone(),
        template_id: valid.template_id.clone(),
        date_agreed: valid.date_agreed,
        agreement_type,
        agreement_link: None,
    };
    store::insert_agreement(db, &customer.id, &agreement, &now()).map_err(internal)?;
    let mut created = serde_json::to_value(&valid).expect("payloads serialize");
    created["userId"] = json!(SANDBOX_USER_ID);
    Ok((StatusCode::CREATED, created))
}

/// 400 with every field problem, as codes a client can map to its own fields and messages.
pub(crate) fn invalid_input<'a>(issues: impl Iterator<Item = (&'a str, &'static str)>) -> ApiError {
    let issues: Vec<Value> = issues
        .map(|(field, code)| json!({ "field": field, "code": code }))
        .collect();
    let summary: Vec<String> = issues
        .iter()
        .map(|i| format!("{}: {}", i["field"], i["code"]))
        .collect();
    ApiError::business(
        StatusCode::BAD_REQUEST,
        400,
        "InvalidInput",
        &format!("The request is not valid ({}).", summary.join(", ")),
        json!({ "issues": issues }),
    )
}

// ---------------------------------------------------------------------------------------------
// Template documents
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct DocumentQuery {
    country: Option<String>,
    language: Option<String>,
}

async fn template_document(
    State(state): Shared,
    Path(template_id): Path<String>,
    Query(query): Query<DocumentQuery>,
) -> Result<Json<Value>, ApiError> {
    // Only the Customer Agreement has downloadable templates; the id is case-sensitive.
    let template = AgreementType::MicrosoftCustomerAgreement.default_template();
    if template_id != template.template_id {
        return Err(ApiError::not_found(&format!(
            "Agreement template '{template_id}'"
        )));
    }
    let code = query.country.unwrap_or_else(|| "US".to_string());
    // Country codes are case-sensitive: upper case, as in the table.
    let country = countries::find(&code)
        .filter(|c| c.code == code)
        .ok_or_else(|| {
            ApiError::bad_request(
                "InvalidCountry",
                &format!("Country '{code}' is not supported."),
            )
        })?;
    // An unsupported language falls back to en-US, as the real endpoint does.
    let language = query
        .language
        .and_then(|l| countries::find_language(&country, &l))
        .unwrap_or(countries::DEFAULT_LANGUAGE);
    let token = uuid::Uuid::new_v4().simple().to_string();
    let now = chrono::Utc::now().timestamp();
    store::insert_document(
        &state.store.lock(),
        &token,
        country.code,
        language,
        now + DOCUMENT_LINK_SECONDS,
        now,
    )
    .map_err(internal)?;
    let link = format!("{}/sandbox/documents/{token}", state.config.base_url);
    Ok(Json(json!({
        "displayUri": format!("{link}?display=true"),
        "downloadUri": link,
        "language": language,
        "country": country.code,
        "versionRank": 0,
    })))
}

#[derive(Deserialize)]
struct DisplayQuery {
    display: Option<bool>,
}

/// The document behind a link: a small HTML stand-in for the Word file, for five minutes.
async fn document(
    State(state): Shared,
    Path(token): Path<String>,
    Query(query): Query<DisplayQuery>,
) -> Response {
    let found = store::document(&state.store.lock(), &token);
    let (country, language, expires_at) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, "This document link does not exist.").into_response()
        }
        Err(e) => return internal(e).into_response(),
    };
    if chrono::Utc::now().timestamp() > expires_at {
        return (
            StatusCode::GONE,
            "This document link has expired: ask for a new one.",
        )
            .into_response();
    }
    let name = countries::find(&country)
        .map_or(country.as_str(), |c| c.name)
        .to_string();
    let html = format!(
        "<!doctype html><html lang=\"{language}\"><meta charset=\"utf-8\"><title>Microsoft Customer Agreement ({country}, {language})</title>\
         <h1>Microsoft Customer Agreement</h1><p>Sandbox stand-in for the template of {name} ({country}), in {language}. \
         The real template is at <a href=\"https://aka.ms/customeragreement\">https://aka.ms/customeragreement</a>.</p></html>",
        name = escape(&name)
    );
    let disposition = if query.display.unwrap_or(false) {
        "inline".to_string()
    } else {
        format!("attachment; filename=\"MicrosoftCustomerAgreement-{country}-{language}.html\"")
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        html,
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/// A customer in the Partner Center shape.
pub fn customer_json(c: &Customer) -> Value {
    let mut address =
        json!({ "country": c.country, "firstName": c.first_name, "lastName": c.last_name });
    if let Some(phone) = &c.phone {
        address["phoneNumber"] = json!(phone);
    }
    json!({
        "id": c.id,
        "companyProfile": { "tenantId": c.id, "domain": c.domain, "companyName": c.company_name },
        "billingProfile": {
            "companyName": c.company_name,
            "email": c.email,
            "culture": c.culture,
            "firstName": c.first_name,
            "lastName": c.last_name,
            "defaultAddress": address,
        },
        "relationshipToPartner": "reseller",
        "attributes": { "objectType": "Customer" },
    })
}

async fn get_customer(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(customer_json(&existing_customer(
        &state.store.lock(),
        &id,
    )?)))
}

#[derive(Deserialize)]
struct SearchQuery {
    size: Option<u32>,
    filter: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Filter {
    field: String,
    value: String,
    // `Operator` (starts_with) is accepted and ignored: the sandbox searches by "contains".
}

/// `GET /v1/customers?size=20&filter={"Field":"CompanyName","Value":"con","Operator":"starts_with"}`:
/// customers whose name or domain contains the value.
async fn search_customers(
    State(state): Shared,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Value>, ApiError> {
    let text = match query.filter.as_deref() {
        None | Some("") => String::new(),
        Some(filter) => {
            let filter: Filter = serde_json::from_str(filter).map_err(|e| {
                ApiError::bad_request("InvalidFilter", &format!("The filter is not valid: {e}."))
            })?;
            if !matches!(filter.field.as_str(), "CompanyName" | "Domain") {
                return Err(ApiError::bad_request(
                    "InvalidFilter",
                    "Filter on CompanyName or Domain.",
                ));
            }
            filter.value
        }
    };
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let found =
        store::search_customers(&state.store.lock(), text.trim(), size).map_err(internal)?;
    Ok(Json(collection(found.iter().map(customer_json).collect())))
}

async fn create_customer(State(state): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let fingerprint = fingerprint("POST /v1/customers", &body);
    idempotent(&state, &headers, fingerprint, |db| new_customer(db, &body))
}

fn new_customer(db: &Connection, body: &[u8]) -> Result<(StatusCode, Value), ApiError> {
    let input: NewCustomer = parse_json(body)?;
    let billing = &input.billing_profile;
    let address = &billing.default_address;
    let domain = input.company_profile.domain.trim().to_ascii_lowercase();
    let form = input.form();
    let mut issues: Vec<(&str, &str)> = validate_customer(&form)
        .iter()
        .map(|i| (i.field.as_str(), i.code().as_str()))
        .collect();
    // The culture, when given, is one of the template languages (`fr-FR`), in their spelling.
    let culture = match billing.culture.as_deref().map(str::trim) {
        None | Some("") => "en-US",
        Some(culture) => countries::any_language(culture).unwrap_or_else(|| {
            issues.push(("culture", "unsupported-language"));
            ""
        }),
    };
    if !issues.is_empty() {
        return Err(invalid_input(issues.into_iter()));
    }
    let phone = address
        .phone_number
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let country = countries::find(&address.country);
    if store::domain_taken(db, &domain).map_err(internal)? {
        return Err(ApiError::business(
            StatusCode::CONFLICT,
            409,
            "DomainAlreadyExists",
            &format!("The domain '{domain}' is already used by another customer."),
            json!({}),
        ));
    }
    let customer = Customer {
        id: uuid::Uuid::new_v4().to_string(),
        domain,
        company_name: billing.company_name.trim().to_string(),
        country: country.map(|c| c.code.to_string()).unwrap_or_default(),
        email: billing.email.trim().to_string(),
        first_name: address.first_name.trim().to_string(),
        last_name: address.last_name.trim().to_string(),
        phone: phone.map(str::to_string),
        culture: culture.to_string(),
    };
    store::insert_customer(db, &customer, &now()).map_err(internal)?;
    Ok((StatusCode::CREATED, customer_json(&customer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strikes(fault: &mut Fault, n: usize) -> Vec<Option<String>> {
        (0..n)
            .map(|_| {
                fault.strikes().then(|| {
                    let (when, status, _) = fault.kind();
                    when.name(status)
                })
            })
            .collect()
    }

    #[test]
    fn the_mix_is_every_kind_and_the_same_for_the_same_seed() {
        let first = strikes(&mut Fault::parse_mix("rate=0.2,seed=7").unwrap(), 5000);
        assert_eq!(first, strikes(&mut Fault::mix(0.2, 7), 5000));
        assert_ne!(first, strikes(&mut Fault::mix(0.2, 8), 5000));
        let struck: Vec<_> = first.iter().flatten().collect();
        assert!((900..1100).contains(&struck.len()), "{}", struck.len());
        for (when, status) in MIX {
            let name = when.name(status);
            let count = struck.iter().filter(|s| ***s == name).count();
            assert!(count > 50, "{name}: {count}");
        }
        // A 429 of the mix says when to come back.
        let mut fault = Fault::mix(1.0, 3);
        let throttled = std::iter::repeat_with(|| {
            fault.strikes();
            fault.kind()
        })
        .find(|(_, status, _)| *status == 429);
        assert_eq!(throttled.map(|k| k.2), Some(Some(1)));
    }

    #[test]
    fn the_mix_flag_is_read_strictly() {
        for wrong in [
            "",
            "rate=0.2",
            "seed=7",
            "rate=2,seed=7",
            "rate=x,seed=7",
            "rate=0.2,seed=7,extra=1",
        ] {
            assert!(Fault::parse_mix(wrong).is_err(), "{wrong}");
        }
        let fault = Fault::parse_mix(" rate = 0.5 , seed = 42 ").unwrap();
        assert_eq!(
            (fault.rate, fault.seed, fault.path.as_str()),
            (Some(0.5), 42, "/v1/")
        );
    }
}
