//! The flows that talk to Partner Center, apart from any I/O: each decides what to send next from
//! the last answer.

/// The enhanced attestation flow: create, the customer accepts by a link, complete.
pub mod attestation;
/// Errors from the backend, in either of Partner Center's shapes, classified.
pub mod backend;
/// The confirmation flow's decisions after its POST: reading back, reconciling a lost answer.
// Steps, states and outcomes exist once per confirmation: boxing their large variants would buy
// nothing.
#[allow(clippy::large_enum_variant)]
pub mod confirm;
/// Partner Center's REST endpoints, each written once: method and path.
pub mod endpoints;
/// One request and its retries, apart from any I/O: what to do after each attempt.
pub mod exchange;
/// The ledger of attestations: one record each, from sending to recorded, and what to do next.
pub mod ledger;
/// Where the client may send the token, and which links it may show.
pub mod origin;
/// The JSON exchanged with the backend: the POST body and agreements read back.
pub mod payload;
/// Many independent requests at most N at once, fewer after throttling, and cancel.
pub mod pool;
/// When to try a request again: what is retryable, backoff, `Retry-After`.
pub mod retry;
/// The portfolio: every customer, page after page, each one's standing read.
pub mod scan;
