//! # csp-agreements
//!
//! The rules of one compliance step of Microsoft's Cloud Solution Provider program: confirming
//! that a customer accepted the Microsoft Customer Agreement, and knowing when the older
//! Microsoft Cloud Agreement was still acceptable. Pure Rust: every function takes the dates it
//! reasons about; only the `wasm` bindings read a clock.
#![deny(missing_docs)]

/// The two agreements, their templates, environments and channels.
pub mod agreement;
/// The enhanced attestation flow: create, the customer accepts by a link, complete.
pub mod attestation;
/// Errors from the backend, in either of Partner Center's shapes, classified.
pub mod backend;
/// Many confirmations at once: a CSV file or rows, checked in one call.
#[cfg(feature = "bulk")]
pub mod bulk;
/// The confirmation flow's decisions after its POST: reading back, reconciling a lost answer.
// Steps, states and outcomes exist once per confirmation: boxing their large variants would buy
// nothing.
#[allow(clippy::large_enum_variant)]
pub mod confirm;
/// The 246 template countries and their languages (embedded at build time).
pub mod countries;
/// A new customer's account information and its checks.
pub mod customer;
/// Calendar dates: strict parsing, read-back date-times, "today" in two calendars.
pub mod date;
/// How mail systems read an address's domain: IDNA, and the top-level label.
pub mod domain;
/// One request and its retries, apart from any I/O: what to do after each attempt.
pub mod exchange;
/// Checks of single values: names, email, phone, customer id.
pub mod fields;
/// The confirmation form: every check, and the payload when valid.
pub mod form;
/// What a partner may do (new orders, seat changes, Azure plan) on a date.
pub mod gate;
/// Fields and problems with their stable codes.
pub mod issues;
/// The ledger of attestations: one record each, from sending to recorded, and what to do next.
pub mod ledger;
/// Every user-facing text, in en-US and fr-FR.
pub mod messages;
/// Where the client may send the token, and which links it may show.
pub mod origin;
/// The JSON exchanged with the backend: the POST body and agreements read back.
pub mod payload;
/// Many independent requests at most N at once, fewer after throttling, and cancel.
pub mod pool;
/// When to try a request again: what is retryable, backoff, `Retry-After`.
pub mod retry;
/// Which way a new confirmation goes on a day: the legacy POST or the enhanced flow.
pub mod route;
/// The portfolio: every customer, page after page, each one's standing read.
pub mod scan;
/// CSV for spreadsheets: cells a spreadsheet would run as formulas are neutralized.
pub mod spreadsheet;
/// One status per customer: can it be ordered for today, and if not, what to do.
pub mod standing;
/// Whether an agreement is acceptable on a date, and its phase.
pub mod status;
/// How names, addresses and phone numbers are compared (Unicode composition, digits).
pub mod text;
/// The transition timeline as data (the policy) and its milestones.
pub mod timeline;
/// Enums that travel as fixed strings (one declaration: names, parsing, serde, TypeScript).
pub mod wire;

/// The JavaScript API (wasm-bindgen): conversions only, no rules.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use agreement::{AgreementType, Channel, Environment};
pub use date::Today;
pub use form::{validate, validate_field, ConfirmationForm, Context, Report};
pub use gate::{order_gate, Action, Confirmation, GateVerdict, Offer};
pub use issues::{Field, Issue, Problem};
pub use messages::Locale;
pub use payload::{Agreement, AgreementPayload, Contact};
pub use status::{agreement_status, is_cloud_agreement_acceptable, Phase, Scope, Status};
pub use timeline::{Milestone, MilestoneId, Policy};
