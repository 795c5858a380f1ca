//! The JavaScript API. Every function crosses the boundary once each way (`compact`): its
//! arguments come in as one string, read into a tree (`input`), the plain Rust rules run, and
//! the result goes out as one string written from its `Serialize` derive, which
//! `js/boundary.js` turns into plain objects. A malformed call (a value of the wrong type, a
//! date that is not `YYYY-MM-DD`, a policy out of order) throws a JS `Error`. Validation
//! failures are values, never exceptions. Only `browser_today` reads a clock.

mod api;
#[cfg(feature = "dom")]
mod attach;
#[cfg(feature = "bulk")]
mod bulk;
/// Each reader beside its serde shape (tests only).
#[cfg(feature = "shape-check")]
#[doc(hidden)]
pub mod check;
#[cfg(feature = "client")]
mod client;
mod compact;
mod convert;
#[cfg(feature = "client")]
mod csv;
mod input;
#[cfg(all(feature = "bulk", feature = "client"))]
mod send;
mod shapes;

pub use api::*;
#[cfg(feature = "dom")]
pub use attach::{attach_validation, ValidationHandle};
#[cfg(feature = "bulk")]
pub use bulk::{validate_csv, validate_rows, CsvValidator};
#[cfg(feature = "client")]
pub use client::PartnerCenterClient;
pub use convert::to_js_value;
#[cfg(feature = "client")]
pub use csv::csv_of_rows;
#[cfg(all(feature = "bulk", feature = "client"))]
pub use send::BulkSending;
pub use shapes::*;

// A small free-list allocator for the rules alone: dlmalloc costs 3 KB more of the gzip budget,
// talc 1.4 KB more. Its free list is searched on every allocation, which checking a file of
// 100 000 rows (millions of short-lived strings) turns into minutes: with `bulk`, the module
// keeps Rust's default allocator (dlmalloc). wasm32-unknown-unknown (without the atomics
// feature) runs single-threaded.
#[cfg(not(feature = "bulk"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
