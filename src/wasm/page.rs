//! What the client reads of the page it runs in.

/// The page's origin (`location.origin`), when there is a page.
pub(super) fn page_origin() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).ok()?;
    js_sys::Reflect::get(&location, &"origin".into())
        .ok()?
        .as_string()
}
