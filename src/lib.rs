//! # csp-agreements
//!
//! The rules of one compliance step of Microsoft's Cloud Solution Provider program: confirming
//! that a customer accepted the Microsoft Customer Agreement, and knowing when the older
//! Microsoft Cloud Agreement was still acceptable. Pure Rust: every function takes the dates it
//! reasons about; only the `wasm` bindings read a clock.
#![deny(missing_docs)]

/// Many confirmations at once: a CSV file or rows, checked in one call, and their sending.
pub mod bulk;
/// The checks of the forms and single values, their problems with stable codes, and every
/// user-facing text in en-US and fr-FR.
pub mod checks;
/// The flows that talk to the backend, apart from any I/O (confirmation, attestation, ledger,
/// portfolio), and what they exchange (requests, retries, errors, origins, JSON).
pub mod flows;
/// Text written piece by piece (`text!`), without the formatting machinery of `format!`.
pub mod piece;
/// The dated rules: the agreements, the transition timeline, whether an agreement is
/// acceptable, what a partner may do, a customer's standing, calendar days.
pub mod rules;
/// Enums that travel as fixed strings (one declaration: names, parsing, serde, TypeScript).
pub mod wire;

/// The JavaScript API (wasm-bindgen): conversions only, no rules.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use checks::form::{validate, validate_field, ConfirmationForm, Context, Report};
pub use checks::issues::{Field, Issue, Problem};
pub use checks::messages::Locale;
pub use flows::payload::{Agreement, AgreementPayload, Contact};
pub use rules::agreement::{AgreementType, Channel, Environment};
pub use rules::date::Today;
pub use rules::gate::{order_gate, Action, Confirmation, GateVerdict, Offer};
pub use rules::status::{agreement_status, is_cloud_agreement_acceptable, Phase, Scope, Status};
pub use rules::timeline::{Milestone, MilestoneId, Policy};
