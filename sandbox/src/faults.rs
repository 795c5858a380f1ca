//! Failures on purpose (`POST /sandbox/faults`, `--faults 'rate=0.2,seed=7'`): every way a
//! request to Partner Center can fail, struck on the matching requests of the API, and counted
//! (`GET /sandbox/faults`), with the API's requests and those repeating an `MS-RequestId`.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::Shared;
use crate::error::ApiError;
use crate::store;

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
    /// With `before`: Partner Center's own error code in the body (`900421` with status 401 is
    /// its "sign in with multi-factor authentication").
    #[serde(default)]
    pub error_code: Option<u32>,
    /// With `status-spelling`: the status an attestation is answered with instead of its own
    /// (`InReview`, `MCA Pending`…): the spellings a client must read, or keep as unknown.
    #[serde(default)]
    pub spelling: Option<String>,
    /// Matching requests seen so far (for `rate`).
    #[serde(skip)]
    pub seen: u64,
}

/// What a fault of the mix does, each as likely as the others.
const MIX: [(FaultWhen, u16); 12] = [
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
    (FaultWhen::RecordedForgotten, 0),
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
            error_code: None,
            spelling: None,
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

    /// What this strike does to a request of `method` on `path`: the fault's own kind, or one
    /// drawn from the mix. "Recorded, answer lost, request id forgotten" strikes only what
    /// records an agreement (the legacy POST, a completion), whose retry the backend answers
    /// "already exists"; elsewhere it is "recorded, answer lost".
    fn kind(&self, method: &str, path: &str) -> (FaultWhen, u16, Option<u32>) {
        if !self.mix {
            return (self.when, self.status, self.retry_after);
        }
        let (when, status) = MIX[(draw(self.seed, self.seen, 1) * MIX.len() as f64) as usize];
        let records_agreement =
            method == "POST" && path.starts_with("/v1/customers/") && path.ends_with("/agreements");
        let when = match when {
            FaultWhen::RecordedForgotten if !records_agreement => FaultWhen::AfterCommit,
            when => when,
        };
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
    /// `after-commit` with the `MS-RequestId` forgotten: the record exists, the answer is lost,
    /// and a retry meets the record ("already exists", 409).
    RecordedForgotten,
    /// The request is done, and an attestation's `status` answered as `spelling`.
    StatusSpelling,
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
            FaultWhen::RecordedForgotten => "recorded-answer-lost".into(),
            FaultWhen::StatusSpelling => "status-spelling".into(),
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
/// The longest request id kept (a UUID has 36 characters): a longer one is counted, not kept,
/// so that the table stays bounded by `MAX_SEEN` short ids whatever clients send.
const MAX_ID_BYTES: usize = 128;

impl RequestCounts {
    fn count(&mut self, request_id: Option<&str>) {
        self.total += 1;
        if let Some(id) = request_id.filter(|id| id.len() <= MAX_ID_BYTES) {
            if self.seen.contains(id) {
                self.repeated += 1;
            } else if self.seen.len() < MAX_SEEN {
                self.seen.insert(id.to_string());
            }
        }
    }
}

/// Failures injected with `POST /sandbox/faults` (never for the faults route itself).
pub(crate) async fn injected_faults(
    State(state): Shared,
    request: Request,
    next: Next,
) -> Response {
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
    let (when, status, retry_after) = fault.kind(request.method().as_str(), &path);
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
            match fault.error_code {
                Some(code) => ApiError::business(
                    status,
                    code,
                    "InjectedFault",
                    &format!("Error {code} (injected by the sandbox)."),
                    json!({}),
                )
                .into_response(),
                None => ApiError::transient(status, retry_after).into_response(),
            }
        }
        FaultWhen::StatusSpelling => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let mut value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if value.get("status").is_some_and(Value::is_string) {
                value["status"] = json!(fault.spelling.clone().unwrap_or_default());
            }
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, axum::body::Body::from(value.to_string()))
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
        FaultWhen::AfterCommit | FaultWhen::RecordedForgotten => {
            let request_id = request
                .headers()
                .get("ms-requestid")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            // The handler has committed when it returns.
            let response = next.run(request).await;
            let forget = fault.forget_request_id || when == FaultWhen::RecordedForgotten;
            if let (true, Some(id)) = (forget, request_id) {
                let _ = store::forget_response(&state.store.lock(), &id);
            }
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = dropped("injected fault: the connection dropped after the commit");
            Response::from_parts(parts, body)
        }
    }
}

pub(crate) async fn add_fault(
    State(state): Shared,
    Json(fault): Json<Fault>,
) -> Result<StatusCode, ApiError> {
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

/// `GET /sandbox/faults`: how many faults of each kind struck so far, how many API requests
/// came, and how many of them repeated an `MS-RequestId` (a client trying again).
pub(crate) async fn fault_counts(State(state): Shared) -> Json<Value> {
    let injected = state
        .injected
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let requests = state.requests.lock().unwrap_or_else(|p| p.into_inner());
    Json(json!({ "injected": injected, "requests": requests.total, "repeated": requests.repeated }))
}

pub(crate) async fn clear_faults(State(state): Shared) -> StatusCode {
    state
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strikes(fault: &mut Fault, n: usize) -> Vec<Option<String>> {
        (0..n)
            .map(|_| {
                fault.strikes().then(|| {
                    let (when, status, _) = fault.kind("POST", "/v1/customers/x/agreements");
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
        // Elsewhere than an agreement's POST, "recorded, answer lost" keeps the request id.
        let mut fault = Fault::mix(1.0, 7);
        let kinds: Vec<_> = (0..500)
            .map(|_| {
                fault.strikes();
                fault.kind("POST", "/v1/attestations/enhanced").0
            })
            .collect();
        assert!(!kinds.contains(&FaultWhen::RecordedForgotten));
        assert!(kinds.contains(&FaultWhen::AfterCommit));
        for (when, status) in MIX {
            let name = when.name(status);
            let count = struck.iter().filter(|s| ***s == name).count();
            assert!(count > 50, "{name}: {count}");
        }
        // A 429 of the mix says when to come back.
        let mut fault = Fault::mix(1.0, 3);
        let throttled = std::iter::repeat_with(|| {
            fault.strikes();
            fault.kind("GET", "/v1/agreements")
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
