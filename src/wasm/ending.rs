//! How a long run ends (a file's sending, a sweep of the ledger, a portfolio's read): the promise
//! its `finished()` returns, settled once with the last progress, and the caller's `onChange`,
//! told of every change.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;

/// The promise of a run and its caller's `onChange`.
pub(super) struct Ending {
    finished: Promise,
    resolve: RefCell<Option<Function>>,
    on_change: Option<Function>,
}

impl Ending {
    /// A pending promise; `on_change` is called on every change, when given.
    pub(super) fn new(on_change: Option<Function>) -> Ending {
        let mut resolve = None;
        let finished = Promise::new(&mut |ok, _| resolve = Some(ok));
        Ending {
            finished,
            resolve: RefCell::new(resolve),
            on_change,
        }
    }

    /// The promise `finished()` returns.
    pub(super) fn finished(&self) -> Promise {
        self.finished.clone()
    }

    /// Tells the caller of a change; once `done` (nothing more will happen), settles the promise
    /// with `progress()`, once.
    pub(super) fn changed(&self, done: bool, progress: impl FnOnce() -> JsValue) {
        if done {
            if let Some(resolve) = self.resolve.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &progress());
            }
        }
        if let Some(on_change) = &self.on_change {
            let _ = on_change.call0(&JsValue::NULL);
        }
    }
}
