//! Today's Partner Center (SPEC §6): the enhanced attestation flow (create, the customer's
//! acceptance page, status, completion), customer direct acceptance, the legacy POST retired,
//! and a demo order route gated by the same `order_gate` as the browser.
//!
//! The sandbox stands for production: the enhanced routes answer 404 before the enhanced flow's
//! production date, and the legacy POST answers 410 from its retirement (see `retired`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use csp_agreements::flows::attestation::{
    attestation_body, parse_status, AttestationRequest, AttestationStatus,
};
use csp_agreements::rules::date::{format_date, parse_date, parse_instant, Instant};
use csp_agreements::rules::gate::{order_gate, Action, Confirmation, Offer};
use csp_agreements::rules::standing::acceptances;
use csp_agreements::{Agreement, AgreementType, Environment, Policy};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::api::{
    existing_customer, fingerprint, idempotent, internal, invalid_input, parse_json, Shared,
    SANDBOX_USER_ID,
};
use crate::error::ApiError;
use crate::store::{self, StoredAttestation};

fn offered(today: NaiveDate) -> Result<(), ApiError> {
    if today < Policy::DEFAULT.enhanced_attestation_production {
        return Err(ApiError::not_found("The enhanced attestation API"));
    }
    Ok(())
}

/// The legacy attestation POST from its retirement: 410 Gone, in the agreement shape, not
/// retryable. Partner Center's exact answer is not published; 410 says that the route existed
/// and will not come back (a client must not retry it, nor take it for a missing customer).
pub fn retired() -> ApiError {
    ApiError::business(
        StatusCode::GONE,
        410,
        "LegacyAttestationRetired",
        &format!(
            "The attestation API was retired on {}: use the enhanced attestation API (POST /v1/attestations/enhanced).",
            format_date(Policy::DEFAULT.legacy_attestation_retired)
        ),
        json!({}),
    )
}

/// An indirect reseller's attestation: 403. Partner Center refuses it for the caller's role
/// (the indirect provider attests for its resellers' customers); its exact body is not
/// published.
pub fn indirect_reseller() -> ApiError {
    ApiError::business(
        StatusCode::FORBIDDEN,
        403,
        "IndirectResellerNotAllowed",
        "Indirect resellers cannot attest a customer's acceptance: the indirect provider does it.",
        json!({}),
    )
}

pub fn legacy_retired_on(today: NaiveDate) -> bool {
    today >= Policy::DEFAULT.legacy_attestation_retired
}

/// Where an attestation stands at `now`: as stored, or `Expired` once its link expired before
/// the customer accepted.
pub fn current_status(a: &StoredAttestation, now: Instant) -> AttestationStatus {
    let status = parse_status(&a.status);
    let expired = a
        .expires_on
        .as_deref()
        .and_then(parse_instant)
        .is_some_and(|at| at <= now);
    if status == AttestationStatus::Pending && expired {
        AttestationStatus::Expired
    } else {
        status
    }
}

/// An attestation as the sandbox answers it. No `attestationUrl`: most vendors build the link
/// from the id, and so does the client (the sandbox's page is `{base}/accept/{id}`).
pub fn attestation_json(a: &StoredAttestation, now: Instant) -> Value {
    let mut value = json!({
        "attestationId": a.id,
        "status": current_status(a, now).as_str(),
        "createdDateTime": a.created_on,
    });
    if let Some(customer) = &a.customer_id {
        value["customerId"] = json!(customer);
    }
    if let Some(expires) = &a.expires_on {
        value["expirationDateTime"] = json!(expires);
    }
    value
}

/// Whether a customer holds a current Customer Agreement confirmation (dated from the refresh).
fn holds_current(db: &Connection, customer_id: &str) -> Result<bool, ApiError> {
    Ok(store::agreements(
        db,
        customer_id,
        &[AgreementType::MicrosoftCustomerAgreement],
    )
    .map_err(internal)?
    .iter()
    .any(|a| a.date_agreed >= Policy::DEFAULT.mca_refresh))
}

/// `POST /v1/attestations/enhanced`: the body names no customer (Partner Center binds it at
/// completion); a body that does (older clients) binds it now. The link expires after the
/// sandbox's `--link-days`.
pub async fn create(State(state): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let today = state.today();
    if let Err(e) = offered(today) {
        return e.into_response();
    }
    if state.config.indirect_reseller {
        return indirect_reseller().into_response();
    }
    let fingerprint = fingerprint("POST /v1/attestations/enhanced", &body);
    let now = state.now();
    let link_days = i64::from(state.config.link_days);
    idempotent(&state, &headers, fingerprint, |db| {
        let body: AttestationRequest = parse_json(&body)?;
        let request = attestation_body(&body.form()).map_err(|issues| {
            invalid_input(issues.iter().map(|i| (i.field.as_str(), i.code().as_str())))
        })?;
        let customer = match body.customer_id.trim() {
            "" => None,
            id => Some(existing_customer(db, id)?),
        };
        if let Some(customer) = &customer {
            if holds_current(db, &customer.id)? {
                return Err(ApiError::duplicate_confirmation());
            }
        }
        let stored = StoredAttestation {
            id: uuid::Uuid::new_v4().to_string(),
            customer_id: customer.map(|c| c.id),
            status: AttestationStatus::Pending.as_str().into(),
            request: serde_json::to_string(&request).expect("requests serialize"),
            created_on: now.format(),
            accepted_on: None,
            expires_on: Some(now.plus_days(link_days).format()),
        };
        store::insert_attestation(db, &stored).map_err(internal)?;
        Ok((StatusCode::CREATED, attestation_json(&stored, now)))
    })
}

/// The creation's body as stored (it was checked before it was stored).
fn stored_request(attestation: &StoredAttestation) -> AttestationRequest {
    serde_json::from_str(&attestation.request).unwrap_or_default()
}

fn find(db: &Connection, id: &str) -> Result<StoredAttestation, ApiError> {
    store::attestation(db, id)
        .map_err(internal)?
        .ok_or_else(|| ApiError::not_found(&format!("Attestation '{id}'")))
}

/// `GET /v1/attestations/enhanced/{id}`.
pub async fn status(State(state): Shared, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    offered(state.today())?;
    let db = state.store.lock();
    let attestation = find(&db, &id)?;
    Ok(Json(attestation_json(&attestation, state.now())))
}

fn not_accepted(why: &str) -> ApiError {
    ApiError::business(
        StatusCode::CONFLICT,
        409,
        "AttestationNotAccepted",
        why,
        json!({}),
    )
}

/// The completion, in `POST /v1/customers/{id}/agreements` when the body names an attestation:
/// binds the attestation to the customer of the path, and records the agreement once.
pub fn complete(
    db: &Connection,
    customer_id: &str,
    body: &Value,
    now: Instant,
) -> Result<(StatusCode, Value), ApiError> {
    let today = now.day();
    offered(today)?;
    let customer = existing_customer(db, customer_id)?;
    let id = body["attestationId"].as_str().unwrap_or_default();
    let attestation = find(db, id)?;
    if attestation
        .customer_id
        .as_ref()
        .is_some_and(|bound| *bound != customer.id)
    {
        return Err(ApiError::not_found(&format!("Attestation '{id}'")));
    }
    match current_status(&attestation, now) {
        AttestationStatus::Accepted => {}
        AttestationStatus::Completed => return Err(ApiError::duplicate_confirmation()),
        AttestationStatus::Expired => {
            return Err(not_accepted(
                "The acceptance link of this attestation expired before the customer accepted it: send a new one.",
            ))
        }
        _ => {
            return Err(not_accepted(
                "The customer has not accepted the agreement of this attestation yet.",
            ))
        }
    }
    // Accepted twice (two attestations, or directly meanwhile): one current agreement only.
    if holds_current(db, &customer.id)? {
        return Err(ApiError::duplicate_confirmation());
    }
    let request = stored_request(&attestation);
    let template = AgreementType::MicrosoftCustomerAgreement.default_template();
    let agreement = Agreement {
        user_id: Some(SANDBOX_USER_ID.into()),
        primary_contact: request.contact(),
        template_id: template.template_id.into(),
        date_agreed: attestation
            .accepted_on
            .as_deref()
            .and_then(parse_instant)
            .map_or(today, Instant::day),
        agreement_type: AgreementType::MicrosoftCustomerAgreement,
        agreement_link: None,
    };
    store::insert_agreement(db, &customer.id, &agreement, &crate::api::now()).map_err(internal)?;
    let completed = AttestationStatus::Completed.as_str();
    store::set_attestation_status(db, &attestation.id, completed, None, Some(&customer.id))
        .map_err(internal)?;
    let mut created = serde_json::to_value(&agreement).expect("agreements serialize");
    created["attestationId"] = json!(attestation.id);
    created["dateAgreed"] = json!(format!("{}T00:00:00Z", format_date(agreement.date_agreed)));
    Ok((StatusCode::CREATED, created))
}

/// `GET /v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus`.
pub async fn direct_status(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let db = state.store.lock();
    let customer = existing_customer(&db, &id)?;
    let accepted = store::direct_acceptance(&db, &customer.id).map_err(internal)?;
    Ok(Json(json!({ "isSigned": accepted.is_some() })))
}

/// A customer's acceptances, as the order gate counts them.
pub fn confirmations(db: &Connection, customer_id: &str) -> Result<Vec<Confirmation>, ApiError> {
    let agreements = store::agreements(db, customer_id, AgreementType::ALL).map_err(internal)?;
    let direct = store::direct_acceptance(db, customer_id).map_err(internal)?;
    Ok(acceptances(
        &agreements,
        direct.as_deref().and_then(parse_date),
    ))
}

/// `POST /v1/customers/{id}/orders` (a demo: nothing is ordered): 403 with code 13605 when the
/// order gate refuses for want of the Customer Agreement, else 201.
pub async fn order(State(state): Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    let db = state.store.lock();
    let customer = existing_customer(&db, &id)?;
    let held = confirmations(&db, &customer.id)?;
    let verdict = order_gate(
        state.today(),
        Action::NewOrder,
        Offer::Standard,
        &held,
        Environment::Production,
        &Policy::DEFAULT,
    );
    if let Some(code) = verdict.partner_center_code() {
        return Err(ApiError::business(
            StatusCode::FORBIDDEN,
            code,
            "CustomerAgreementNotAccepted",
            "The customer must accept the Microsoft Customer Agreement before this order (the partner attests it, or the customer accepts in the Microsoft 365 admin center).",
            json!({ "reason": verdict.reason.code().as_str() }),
        ));
    }
    if !verdict.allowed {
        return Err(ApiError::bad_request(
            "OrderNotAllowed",
            "This order is not allowed on this date.",
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "id": uuid::Uuid::new_v4().to_string(), "status": "completed", "demo": true }),
        ),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// The customer's acceptance page (a stand-in for Microsoft's; no sign-in)
// ---------------------------------------------------------------------------------------------

/// Text for HTML: the five characters that could end it, escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/css/app.css\"></head><body><main class=\"accept\"><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title)
    );
    // The page's form is sent with its origin (checked by `accept`), and no referrer leaves
    // for another site.
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "same-origin"),
        ],
        Html(html),
    )
        .into_response()
}

/// The per-page token of an attestation's acceptance page: the form carries it, a cross-site
/// form cannot (no page of another site can read this one).
fn page_token(state: &crate::AppState, attestation_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(state.page_secret);
    hash.update(attestation_id.as_bytes());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /accept/{id}`: the customer reviews the agreement and accepts.
pub async fn acceptance_page(State(state): Shared, Path(id): Path<String>) -> Response {
    let db = state.store.lock();
    let Ok(Some(attestation)) = store::attestation(&db, &id) else {
        return (
            StatusCode::NOT_FOUND,
            page("Unknown acceptance link", "<p>This link is not valid.</p>"),
        )
            .into_response();
    };
    drop(db);
    let request = stored_request(&attestation);
    let link = AgreementType::MicrosoftCustomerAgreement
        .default_template()
        .agreement_link;
    let action = match current_status(&attestation, state.now()) {
        AttestationStatus::Pending => format!(
            "<form method=\"post\" action=\"/accept/{id}\"><input type=\"hidden\" name=\"token\" value=\"{token}\"><button type=\"submit\">Accept the Microsoft Customer Agreement</button></form>",
            id = escape(&attestation.id),
            token = page_token(&state, &attestation.id),
        ),
        AttestationStatus::Expired => "<p role=\"status\">This acceptance link has expired. Ask your partner for a new one.</p>".to_string(),
        _ => "<p role=\"status\">Accepted. You can close this page.</p>".to_string(),
    };
    page(
        "Microsoft Customer Agreement",
        &format!(
            "<p>{company} is asked to accept the <a href=\"{link}\" rel=\"noreferrer\">Microsoft Customer Agreement</a>.</p>\
             <p>Signatory: {first} {last} ({email}).</p><p>Sandbox stand-in for Microsoft's acceptance page: no sign-in.</p>{action}",
            company = escape(&request.company_name),
            first = escape(&request.first_name),
            last = escape(&request.last_name),
            email = escape(&request.email),
        ),
    )
}

/// The form of the acceptance page.
#[derive(serde::Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    token: String,
}

/// `POST /accept/{id}`: the customer accepted. Only from the page itself: its per-page token,
/// and no `Origin` of another site.
pub async fn accept(
    State(state): Shared,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<AcceptForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    // A browser sends its page's origin with the form (`null` from a sandboxed or opaque
    // origin): only the sandbox's own is taken. A client that is not a browser sends none.
    let origin_ok = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or_default().to_ascii_lowercase())
        .is_none_or(|origin| {
            let host = origin.strip_prefix("http://").unwrap_or_default();
            state.allowed_hosts().iter().any(|allowed| allowed == host)
        });
    let token_ok = form.is_ok_and(|Form(f)| {
        let expected = page_token(&state, &id);
        f.token.len() == expected.len()
            && f.token
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    });
    if !origin_ok || !token_ok {
        return (
            StatusCode::FORBIDDEN,
            page(
                "Not accepted",
                "<p>This acceptance did not come from the acceptance page: open the link again.</p>",
            ),
        )
            .into_response();
    }
    let now = state.now();
    {
        let db = state.store.lock();
        match store::attestation(&db, &id) {
            Ok(Some(a)) if current_status(&a, now) == AttestationStatus::Pending => {
                let accepted = AttestationStatus::Accepted.as_str();
                let at = now.format();
                if let Err(e) = store::set_attestation_status(&db, &id, accepted, Some(&at), None) {
                    return internal(e).into_response();
                }
            }
            Ok(Some(_)) => {}
            _ => {
                return (
                    StatusCode::NOT_FOUND,
                    page("Unknown acceptance link", "<p>This link is not valid.</p>"),
                )
                    .into_response()
            }
        }
    }
    acceptance_page(State(state), Path(id)).await
}
