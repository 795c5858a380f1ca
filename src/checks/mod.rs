//! The checks of what a partner types, the problems they find, and every text a partner reads.

/// A new customer's account information and its checks.
pub mod customer;
/// How mail systems read an address's domain: IDNA, and the top-level label.
pub mod domain;
/// Checks of single values: names, email, phone, customer id.
pub mod fields;
/// The confirmation form: every check, and the payload when valid.
pub mod form;
/// Fields and problems with their stable codes.
pub mod issues;
/// Every user-facing text, in en-US and fr-FR.
pub mod messages;
/// The form's fields, declared once, and every shape made of them.
pub mod schema;
/// CSV for spreadsheets: cells a spreadsheet would run as formulas are neutralized.
pub mod spreadsheet;
/// How names, addresses and phone numbers are compared (Unicode composition, digits).
pub mod text;
