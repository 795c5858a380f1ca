//! The CSV reader and the bulk checks on arbitrary bytes, on both routes, whole and in chunks
//! (the first byte sets the chunk size): no panic, the chunks give the same report, and
//! payloads kept as spans of the file read as the copies.
#![no_main]

use csp_agreements::bulk::{validate_csv, BulkOptions, BulkValidator};
use csp_agreements::rules::route::Route;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, file)) = data.split_first() else {
        return;
    };
    let route = if first & 0x80 == 0 { Route::Legacy } else { Route::Enhanced };
    let options = || BulkOptions {
        route,
        max_issues: 1000,
        ..BulkOptions::default()
    };
    let whole = validate_csv(file, options());
    let mut chunked = BulkValidator::new(options());
    for chunk in file.chunks(usize::from(first & 0x7F) + 1) {
        chunked.push(chunk);
    }
    assert_eq!(chunked.finish(), whole);
    let in_file = validate_csv(file, BulkOptions { values_in_file: true, ..options() });
    assert_eq!(in_file.payloads.iter_in(file).collect::<Vec<_>>(), whole.payloads.to_vec());
    assert_eq!((in_file.rows, in_file.valid, &in_file.issues), (whole.rows, whole.valid, &whole.issues));
});
