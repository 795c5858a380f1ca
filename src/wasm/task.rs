//! The module's futures handed to the browser's event loop, each as one boxed future: a future
//! of its own type given to `future_to_promise` or `spawn_local` is a copy of their machinery
//! per call site, a boxed one shares a single copy.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;

/// A call's work as the promise JavaScript awaits.
pub(super) fn promise(work: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let work: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(work);
    wasm_bindgen_futures::future_to_promise(work)
}

/// Work that runs on its own (a long run's requests), its results kept by its owner.
pub(super) fn spawn(work: impl Future<Output = ()> + 'static) {
    let work: Pin<Box<dyn Future<Output = ()>>> = Box::pin(work);
    wasm_bindgen_futures::spawn_local(work);
}
