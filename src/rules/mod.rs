//! The dated rules: the agreements, the timeline and what is acceptable, allowed and due on a day.

/// The two agreements, their templates, environments and channels.
pub mod agreement;
/// The 246 template countries and their languages (embedded at build time).
pub mod countries;
/// Calendar dates: strict parsing, read-back date-times, "today" in two calendars.
pub mod date;
/// What a partner may do (new orders, seat changes, Azure plan) on a date.
pub mod gate;
/// Which way a new confirmation goes on a day: the legacy POST or the enhanced flow.
pub mod route;
/// One status per customer: can it be ordered for today, and if not, what to do.
pub mod standing;
/// Whether an agreement is acceptable on a date, and its phase.
pub mod status;
/// The transition timeline as data (the policy) and its milestones.
pub mod timeline;
