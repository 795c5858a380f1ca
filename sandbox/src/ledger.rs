//! The ledger a portal keeps in its own backend (the toolkit's `httpStore`), so that a whole
//! team sees the same attestations: `GET /ledger` lists every record; `PUT /ledger/{id}`
//! writes one, at the version it was read at (a record written by someone else meanwhile is
//! refused with 409 and the current record, which the writer merges and writes again). Behind
//! the sandbox's token like the API. A record is checked by the rules crate and stored as it
//! reads: fields it does not declare (a link, a name) are not kept.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use csp_agreements::flows::ledger::LedgerRecord;
use serde_json::{json, Value};

use crate::api::{internal, parse_json, Shared};
use crate::error::ApiError;
use crate::store;

/// `GET /ledger`: `{ "items": [record, …] }`, in the order they were first written.
pub async fn list(State(state): Shared) -> Result<Json<Value>, ApiError> {
    let texts = store::ledger_records(&state.store.lock()).map_err(internal)?;
    let items: Vec<Value> = texts
        .iter()
        .filter_map(|text| serde_json::from_str(text).ok())
        .collect();
    Ok(Json(json!({ "totalCount": items.len(), "items": items })))
}

/// `PUT /ledger/{attestationId}`: the record at the version it was read at (0 for a new one):
/// 200 with the record as stored (its version one more), or 409 `StaleRecord` with the current
/// record.
pub async fn put(State(state): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    match write(&state, &id, &body) {
        Ok(record) => (StatusCode::OK, Json(record)).into_response(),
        Err(error) => error.into_response(),
    }
}

fn write(state: &crate::AppState, id: &str, body: &[u8]) -> Result<Value, ApiError> {
    let record: LedgerRecord = parse_json(body)?;
    record
        .check()
        .map_err(|e| ApiError::bad_request("InvalidRecord", e.message()))?;
    if record.attestation_id != id {
        return Err(ApiError::bad_request(
            "InvalidRecord",
            "attestationId: not the id of the path",
        ));
    }
    let mut db = state.store.lock();
    let tx = db.transaction().map_err(internal)?;
    let current = store::ledger_record(&tx, id).map_err(internal)?;
    let version = current.as_ref().map_or(0, |(version, _)| *version);
    if record.version != version {
        let current: Value = current
            .and_then(|(_, text)| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null);
        let mut stale = ApiError::business(
            StatusCode::CONFLICT,
            409,
            "StaleRecord",
            "The record changed since it was read: merge it with the current one and write again.",
            json!({}),
        );
        stale.body["current"] = current;
        return Err(stale);
    }
    let saved = LedgerRecord {
        version: version + 1,
        ..record
    };
    let text = serde_json::to_string(&saved).expect("records serialize");
    store::put_ledger_record(
        &tx,
        id,
        &saved.customer_id,
        saved.version,
        &text,
        &crate::api::now(),
    )
    .map_err(internal)?;
    tx.commit().map_err(internal)?;
    Ok(serde_json::to_value(&saved).expect("records serialize"))
}
