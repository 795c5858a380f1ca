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
use csp_agreements::checks::customer::{validate_customer, NewCustomer};
use csp_agreements::checks::form::{validate, ConfirmationForm, Context};
use csp_agreements::checks::issues::IssueCode;
use csp_agreements::rules::countries;
use csp_agreements::rules::date::{format_date, parse_date, Instant, Today};
use csp_agreements::{Agreement, AgreementPayload, AgreementType};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::enhanced;
use crate::error::ApiError;
use crate::faults::{self, Fault, RequestCounts};
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
    /// How long an attestation's acceptance link works, in days (`--link-days`).
    pub link_days: u32,
}

/// How long an acceptance link works by default: 7 days, the longest a distributor's mirror of
/// the creation allows (Microsoft's own figure is not published).
pub const LINK_DAYS: u32 = 7;

impl Config {
    /// A sandbox answering `token` at `base_url`, serving `www` and `pkg`, on today's date, with
    /// no fault and links that work for [`LINK_DAYS`].
    pub fn new(token: &str, base_url: &str, www: PathBuf, pkg: PathBuf) -> Config {
        Config {
            token: token.into(),
            today: None,
            www,
            pkg,
            base_url: base_url.into(),
            indirect_reseller: false,
            faults: None,
            link_days: LINK_DAYS,
        }
    }
}

/// The sandbox's calendar: the day it started on (`--today`, else today in UTC), moved by
/// `POST /sandbox/clock` so that a test can let a link expire.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    /// The day set, if one was (else the real UTC date).
    pub fixed: Option<NaiveDate>,
    /// Days added to it.
    pub shift_days: i64,
}

pub struct AppState {
    pub config: Config,
    pub store: Store,
    /// The calendar (`today`, `now`).
    pub clock: Mutex<Clock>,
    /// The secret behind the acceptance page's per-page tokens (random for each run).
    pub page_secret: [u8; 32],
    pub faults: Mutex<Vec<Fault>>,
    /// How many faults of each kind struck (`GET /sandbox/faults`).
    pub injected: Mutex<std::collections::BTreeMap<String, u64>>,
    /// The API's requests so far, and the `MS-RequestId`s seen (to count those sent again: a
    /// client's retries), `GET /sandbox/faults`.
    pub requests: Mutex<RequestCounts>,
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Arc<AppState> {
        let mut page_secret = [0u8; 32];
        page_secret[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        page_secret[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        Arc::new(AppState {
            store,
            clock: Mutex::new(Clock {
                fixed: config.today,
                shift_days: 0,
            }),
            page_secret,
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

    /// The server's date: `--today`, or today in UTC, moved by `POST /sandbox/clock`.
    pub fn today(&self) -> NaiveDate {
        let clock = *self.clock.lock().unwrap_or_else(|p| p.into_inner());
        let day = clock
            .fixed
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        day.checked_add_signed(chrono::Duration::days(clock.shift_days))
            .unwrap_or(day)
    }

    /// The server's time: its day, at the real time of day (UTC).
    pub fn now(&self) -> Instant {
        let time = chrono::Utc::now().time();
        let seconds = chrono::Timelike::num_seconds_from_midnight(&time);
        Instant::start_of(self.today()).plus_seconds(i64::from(seconds))
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
            get(faults::fault_counts)
                .post(faults::add_fault)
                .delete(faults::clear_faults),
        )
        .route("/sandbox/records", get(records))
        .route("/sandbox/clock", get(clock).post(move_clock))
        .route("/ledger", get(crate::ledger::list))
        .route("/ledger/{id}", axum::routing::put(crate::ledger::put))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            faults::injected_faults,
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
        // `no-referrer` unless a page says otherwise (the acceptance page says `same-origin`,
        // so that its own form carries its origin).
        .layer(SetResponseHeaderLayer::if_not_present(
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

/// `GET /sandbox/records`: what the database holds, for tests that compare a client's report
/// with it: every attestation (id, customer once bound, company name, status on the sandbox's
/// day, times), every confirmation (customer, type, signatory's email, day), and SQLite's
/// integrity check.
async fn records(State(state): Shared) -> Result<Json<Value>, ApiError> {
    let db = state.store.lock();
    let (attestations, agreements) = store::records(&db).map_err(internal)?;
    drop(db);
    let now = state.now();
    let attestations: Vec<Value> = attestations
        .iter()
        .map(|a| {
            let request: csp_agreements::flows::attestation::AttestationRequest =
                serde_json::from_str(&a.request).unwrap_or_default();
            json!({
                "id": a.id,
                "customerId": a.customer_id,
                "companyName": request.company_name,
                "status": enhanced::current_status(a, now).as_str(),
                "createdOn": a.created_on,
                "expiresOn": a.expires_on,
            })
        })
        .collect();
    let integrity = state.store.integrity().map_err(internal)?;
    Ok(Json(
        json!({ "attestations": attestations, "agreements": agreements, "integrity": integrity }),
    ))
}

/// `GET /sandbox/clock`: the sandbox's day.
async fn clock(State(state): Shared) -> Json<Value> {
    Json(json!({ "today": format_date(state.today()) }))
}

/// What `POST /sandbox/clock` takes: a day to set, or days to move by.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    today: Option<String>,
    days: Option<i64>,
}

/// `POST /sandbox/clock` (behind the token, like every sandbox route): `{"today":
/// "2026-12-20"}` sets the sandbox's day, `{"days": 8}` moves it on (links expire, as days go
/// by for real). Answers the new day.
async fn move_clock(
    State(state): Shared,
    Json(change): Json<ClockChange>,
) -> Result<Json<Value>, ApiError> {
    {
        let mut clock = state.clock.lock().unwrap_or_else(|p| p.into_inner());
        match (change.today.as_deref().map(parse_date), change.days) {
            (Some(Some(day)), None) => {
                *clock = Clock {
                    fixed: Some(day),
                    shift_days: 0,
                }
            }
            (None, Some(days)) if days.abs() <= 36_500 => clock.shift_days += days,
            _ => {
                return Err(ApiError::bad_request(
                    "InvalidClock",
                    "Give {\"today\": \"YYYY-MM-DD\"} or {\"days\": n}.",
                ))
            }
        }
    }
    Ok(clock(State(state)).await)
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
    let at = state.now();
    if state.config.indirect_reseller {
        return enhanced::indirect_reseller().into_response();
    }
    idempotent(&state, &headers, fingerprint, |db| {
        confirm(db, &id, &body, at)
    })
}

fn confirm(
    db: &Connection,
    id: &str,
    body: &[u8],
    at: Instant,
) -> Result<(StatusCode, Value), ApiError> {
    let today = at.day();
    let value: Value = parse_json(body)?;
    if value.get("attestationId").is_some() {
        return enhanced::complete(db, id, &value, at);
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

/// The most customers a page holds (Partner Center's own maximum is not published).
pub const MAX_PAGE_SIZE: u32 = 500;

/// The continuation token of the page that starts at `offset` (opaque to clients).
fn continuation_token(offset: u64) -> String {
    format!("o{offset:010x}")
}

fn continuation_offset(token: &str) -> Option<u64> {
    u64::from_str_radix(token.strip_prefix('o')?, 16).ok()
}

/// `GET /v1/customers?size=20&filter={"Field":"CompanyName","Value":"con","Operator":"starts_with"}`:
/// customers whose name or domain contains the value, a page at a time as Partner Center pages
/// them: `totalCount` is every match, and `links.next` (absent on the last page) is the next
/// page's `uri` with the `MS-ContinuationToken` header to send.
async fn search_customers(
    State(state): Shared,
    headers: HeaderMap,
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
    let size = query.size.unwrap_or(20).clamp(1, MAX_PAGE_SIZE);
    let offset = match headers.get("ms-continuationtoken") {
        None => 0,
        Some(token) => token
            .to_str()
            .ok()
            .and_then(continuation_offset)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "InvalidContinuationToken",
                    "The continuation token is not valid.",
                )
            })?,
    };
    let (found, total) = store::search_customers(&state.store.lock(), text.trim(), size, offset)
        .map_err(internal)?;
    let next = offset + found.len() as u64;
    let mut body = json!({
        "totalCount": total,
        "items": found.iter().map(customer_json).collect::<Vec<_>>(),
        "links": {},
        "attributes": { "objectType": "Collection" },
    });
    if next < total && !found.is_empty() {
        let mut uri = format!("/customers?size={size}");
        if let Some(filter) = query.filter.as_deref().filter(|f| !f.is_empty()) {
            uri.push_str("&filter=");
            uri.push_str(&urlencode(filter));
        }
        uri.push_str("&seekOperation=Next");
        body["links"]["next"] = json!({
            "uri": uri,
            "method": "GET",
            "headers": [{ "key": "MS-ContinuationToken", "value": continuation_token(next) }],
        });
    }
    Ok(Json(body))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
