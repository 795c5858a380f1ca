//! A local sandbox of the Partner Center agreement API (`csp-sandbox`): the contract of SPEC §5,
//! validated with the same rules crate as the browser, stored in SQLite, plus the static site.

/// Routes, middleware and handlers.
pub mod api;
/// Today's Partner Center: the enhanced attestation flow, direct acceptance, orders.
pub mod enhanced;
/// Error bodies in Partner Center's shapes.
pub mod error;
/// Failures on purpose, and the counts of requests.
pub mod faults;
/// The ledger of attestations a portal keeps in its backend (`httpStore`'s contract).
pub mod ledger;
/// Demo customers and confirmations.
pub mod sample;
pub mod seed;
/// SQLite storage.
pub mod store;

pub use api::{app, AppState, Config};
pub use faults::Fault;
pub use store::Store;
