//! The JavaScript API. Every function crosses the boundary once each way (`compact`): its
//! arguments come in as one string, read into a tree (`input`), the plain Rust rules run, and
//! the result goes out as one string written from its `Serialize` derive, which
//! `js/boundary.js` turns into plain objects. A malformed call (a value of the wrong type, a
//! date that is not `YYYY-MM-DD`, a policy out of order) throws a JS `Error`. Validation
//! failures are values, never exceptions. Only `browser_today` reads a clock.

/// The exported functions of the rules.
#[cfg(feature = "api")]
mod api;
/// `attachValidation`: a portal's own form checked as the user types.
#[cfg(feature = "dom")]
mod attach;
/// `validateCsv`, `validateRows` and `CsvValidator`: a file's rows checked in one call.
#[cfg(feature = "bulk")]
mod bulk;
/// The Partner Center client: requests, retries, timeouts, the flows' I/O.
#[cfg(feature = "client")]
mod client;
/// The one-string crossing each way.
pub(crate) mod compact;
/// Reading arguments and writing results.
mod convert;
/// `csvOf`: rows as CSV for spreadsheets.
#[cfg(feature = "client")]
mod csv;
/// How a long run ends: its `finished()` promise and its caller's `onChange`.
#[cfg(feature = "client")]
mod ending;
/// The argument tree and its readers.
pub(crate) mod input;
/// Objects with methods (the validation's handle, a portal's ledger), declared once with
/// their TypeScript.
#[cfg(any(feature = "dom", feature = "client"))]
pub(crate) mod interface;
/// The ledger of attestations kept by JavaScript, read and written by the client.
#[cfg(feature = "client")]
mod ledger;
/// The page the client runs in: its origin.
#[cfg(feature = "client")]
mod page;
/// `client.portfolio()`: every customer, page after page, with its standing.
#[cfg(feature = "client")]
mod portfolio;
/// What the client's promises resolve to and reject with.
#[cfg(feature = "client")]
mod results;
/// `client.sendBulk()`: the sending of a file's rows.
#[cfg(feature = "client")]
mod send;
/// Every shape crossing the boundary, declared once.
mod shapes;
/// `client.sweep()`: the attestations in flight checked or completed, a few at once.
#[cfg(feature = "client")]
mod sweep;
/// The client's futures handed to the browser's event loop.
#[cfg(feature = "client")]
mod task;
/// `Validator`: the checks prepared once with their options.
#[cfg(feature = "api")]
mod validator;

#[cfg(feature = "api")]
pub use api::*;
#[cfg(feature = "dom")]
pub use attach::{attach_validation, attach_validation_js, ValidationHandle};
#[cfg(feature = "span-check")]
pub use bulk::bulk_by_serde;
#[cfg(feature = "bulk")]
pub use bulk::{validate_csv, validate_rows, CsvValidator};
#[cfg(feature = "client")]
pub use client::PartnerCenterClient;
pub use convert::to_js_value;
#[cfg(feature = "client")]
pub use csv::csv_of_rows;
#[cfg(feature = "client")]
pub use ledger::{
    acceptance_link, attestation_evidence, ledger_view, merge_ledger_records, withdraw_attestation,
};
#[cfg(feature = "client")]
pub use portfolio::PortfolioScan;
#[cfg(feature = "client")]
pub use send::BulkSending;
pub use shapes::*;
#[cfg(feature = "client")]
pub use sweep::LedgerSweep;
#[cfg(feature = "api")]
pub use validator::Validator;

// A small free-list allocator for the rules alone: dlmalloc costs 3 KB more of the gzip budget,
// talc 1.4 KB more. Its free list is searched on every allocation, which checking a file of
// 100 000 rows (millions of short-lived strings) turns into minutes: with `bulk`, the module
// keeps Rust's default allocator (dlmalloc). wasm32-unknown-unknown (without the atomics
// feature) runs single-threaded.
#[cfg(not(feature = "bulk"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
