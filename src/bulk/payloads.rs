//! The payloads of a file's valid rows, held compactly. Each row is a fixed number of words: its
//! line, then two words per value, either the index of one of the payloads' own values (a text
//! of their own, each value written once: a template id, a date, a name copied) or, when the
//! caller keeps the file ([`Payloads::in_file`]), the value's span in the file itself. A hundred
//! thousand rows are then a few allocations that grow, not half a million strings; `get` builds
//! one row's payload, and the bindings hand the words and the own values to JavaScript as they
//! are (`src/wasm/bulk.rs` and `bulkResult` in `js/boundary.js` read this layout, whose
//! values that are fields, [`fields`], JavaScript is given).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::read::Segment;
use super::{RowBody, RowPayload};
use crate::checks::fields::CustomerId;
use crate::checks::form::FormView;
use crate::checks::issues::Field;
use crate::checks::text::Trimmed;
use crate::flows::attestation::AttestationForm;
use crate::flows::payload::{AgreementPayload, Contact};
use crate::rules::agreement::AgreementType;
use crate::rules::date::write_date;
use crate::rules::route::Route;

/// Words per row: its line, then two words for each of its [`VALUES`] values.
pub const ROW_WORDS: usize = 1 + 2 * VALUES;

/// The values of a legacy row, in order: the customer, the signatory's (`Field::SIGNATORY`,
/// an optional one absent when empty), the template id, the date-time of acceptance and the
/// agreement type.
const LEGACY_VALUES: usize = 1 + Field::SIGNATORY.len() + 3;
/// The values of an enhanced row, in order: the customer, then the attestation's
/// (`AttestationForm::FIELDS`; the company name always empty: the flow reads the customer's).
const ENHANCED_VALUES: usize = 1 + AttestationForm::FIELDS.len();
/// The values of a row: as many as the longer route has (the other's last are empty).
pub const VALUES: usize = if LEGACY_VALUES > ENHANCED_VALUES {
    LEGACY_VALUES
} else {
    ENHANCED_VALUES
};

/// The values of a route's rows that are fields, after the customer: the signatory's on the
/// legacy route, the attestation's on the enhanced one. JavaScript is given them to read the
/// rows (`bulkResult` in `js/boundary.js`, with [`ROW_WORDS`]).
pub fn fields(route: Route) -> &'static [Field] {
    match route {
        Route::Legacy => &Field::SIGNATORY,
        Route::Enhanced => &AttestationForm::FIELDS,
    }
}

/// Set in both words of a value that is a span of the file (its start and end in bytes, below
/// 2^31; a value further on is copied). Without it, the first word is the index of an own value
/// and the second repeats it.
pub const IN_FILE: u32 = 1 << 31;

/// Where a row's bytes lie in the file, those read in place (see [`Item::Record`]).
///
/// [`Item::Record`]: super::read::Item::Record
pub type Place<'a> = &'a [Segment];

/// The payloads of the valid rows of one file, in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payloads {
    route: Route,
    /// The own values, one after the other.
    text: String,
    /// The end of each own value in `text` (each starts where the one before ends).
    ends: Vec<u32>,
    words: Vec<u32>,
    /// Each agreement's template id and type name.
    constants: [[u32; 2]; 2],
    /// Values may be spans of the file.
    in_file: bool,
    /// The own value of each date-time written.
    dates: HashMap<NaiveDate, u32>,
}

impl Default for Payloads {
    fn default() -> Self {
        Payloads::new(Route::Legacy, None)
    }
}

/// The own value every empty value is.
const EMPTY: u32 = 0;

impl Payloads {
    /// No rows yet, for the route's payloads; `template_id` is the backend's (the well-known
    /// one of each agreement when `None`).
    pub fn new(route: Route, template_id: Option<&str>) -> Payloads {
        let mut payloads = Payloads {
            route,
            text: String::new(),
            ends: vec![0],
            words: Vec::new(),
            constants: [[EMPTY; 2]; 2],
            in_file: false,
            dates: HashMap::new(),
        };
        if route == Route::Legacy {
            for (index, agreement) in AgreementType::ALL.iter().enumerate() {
                let template = template_id.map(str::trimmed);
                let template = template.unwrap_or(agreement.default_template().template_id);
                payloads.constants[index] =
                    [payloads.own(template), payloads.own(agreement.as_str())];
            }
        }
        payloads
    }

    /// Lets the values of rows read in place be spans of the file rather than copies: for a
    /// caller that keeps the file (the bindings, given the file's text by JavaScript); such
    /// payloads are read back with [`Payloads::get_in`].
    pub fn in_file(mut self) -> Payloads {
        self.in_file = true;
        self
    }

    /// The route these payloads are for.
    pub fn route(&self) -> Route {
        self.route
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.words.len() / ROW_WORDS
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The own values, one after the other.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The end of each own value in [`Payloads::text`], in bytes (the first is empty).
    pub fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// [`ROW_WORDS`] words per row: its line, then two words for each of its values.
    pub fn words(&self) -> &[u32] {
        &self.words
    }

    /// A new own value.
    fn own(&mut self, value: &str) -> u32 {
        if value.is_empty() {
            return EMPTY;
        }
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
        self.ends.len() as u32 - 1
    }

    /// A value of a row: its span in the file when it lies there, or a copy.
    fn value(&mut self, value: &str, place: Place<'_>) -> [u32; 2] {
        if self.in_file && !value.is_empty() {
            if let Some(start) = Segment::find(place, value.as_bytes()) {
                let end = start + value.len() as u64;
                if end < u64::from(IN_FILE) {
                    return [start as u32 | IN_FILE, end as u32 | IN_FILE];
                }
            }
        }
        let index = self.own(value);
        [index, index]
    }

    /// The customer id as used in URLs: the file's text when it is written so already.
    fn customer(&mut self, customer: CustomerId, given: &str, place: Place) -> [u32; 2] {
        // `given` reads as `customer`: written so already without braces or capitals.
        if given.len() == 36 && !given.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.value(given, place);
        }
        let text = customer.text();
        // Hexadecimal digits and hyphens: always UTF-8.
        let index = self.own(std::str::from_utf8(&text).unwrap_or_default());
        [index, index]
    }

    /// The date-time of a day of acceptance, `2019-11-14T00:00:00Z`, written once per day.
    fn date(&mut self, date: NaiveDate) -> [u32; 2] {
        let index = match self.dates.get(&date) {
            Some(&index) => index,
            None => {
                write_date(&mut self.text, date);
                self.text.push_str("T00:00:00Z");
                self.ends.push(self.text.len() as u32);
                let index = self.ends.len() as u32 - 1;
                self.dates.insert(date, index);
                index
            }
        };
        [index, index]
    }

    fn push_row(&mut self, line: u32, values: impl IntoIterator<Item = [u32; 2]>) {
        let mut row = [EMPTY; ROW_WORDS];
        row[0] = line;
        for (i, [first, second]) in values.into_iter().take(VALUES).enumerate() {
            row[1 + 2 * i] = first;
            row[2 + 2 * i] = second;
        }
        self.words.extend_from_slice(&row);
    }

    /// Adds a valid row of the legacy route: `form` as it was checked (values are trimmed), its
    /// agreement and date as read, and where the row lies in the file when read in place.
    pub fn push_confirmation(
        &mut self,
        line: u32,
        customer: CustomerId,
        form: FormView<'_>,
        agreement: AgreementType,
        date: NaiveDate,
        place: Place<'_>,
    ) {
        let mut values = [[EMPTY; 2]; LEGACY_VALUES];
        values[0] = self.customer(customer, form.customer_id.trimmed(), place);
        for (at, field) in Field::SIGNATORY.into_iter().enumerate() {
            values[1 + at] = self.value(form.get(field).unwrap_or_default().trimmed(), place);
        }
        let [template, kind] = self.constants[agreement.index()];
        let [.., template_at, date_at, kind_at] = &mut values;
        [*template_at, *date_at, *kind_at] = [[template; 2], self.date(date), [kind; 2]];
        self.push_row(line, values);
    }

    /// Adds a valid row of the enhanced route: `form` as it was checked, and where the row lies
    /// in the file when read in place.
    pub fn push_attestation(
        &mut self,
        line: u32,
        customer: CustomerId,
        form: FormView<'_>,
        place: Place<'_>,
    ) {
        let mut values = [[EMPTY; 2]; ENHANCED_VALUES];
        values[0] = self.customer(customer, form.customer_id.trimmed(), place);
        for (at, field) in AttestationForm::FIELDS.into_iter().enumerate() {
            let given = form.get(field).unwrap_or_default().trimmed();
            values[1 + at] = match field {
                // The template's country as the check writes it: upper case.
                Field::Country if given.bytes().any(|b| b.is_ascii_lowercase()) => {
                    let index = self.own(&given.to_ascii_uppercase());
                    [index, index]
                }
                _ => self.value(given, place),
            };
        }
        self.push_row(line, values);
    }

    /// The row at `index`, as its payload (of payloads kept without the file).
    pub fn get(&self, index: usize) -> Option<RowPayload> {
        self.get_in(index, &[])
    }

    /// The row at `index`, as its payload, its values read from `file` where they lie in it.
    pub fn get_in(&self, index: usize, file: &[u8]) -> Option<RowPayload> {
        let words = self.words.get(index * ROW_WORDS..(index + 1) * ROW_WORDS)?;
        let value = |i: usize| {
            let (first, second) = (words[1 + 2 * i], words[2 + 2 * i]);
            let text = if first & IN_FILE != 0 {
                let bytes = file.get((first ^ IN_FILE) as usize..(second ^ IN_FILE) as usize);
                bytes.and_then(|b| std::str::from_utf8(b).ok())
            } else {
                let at = first as usize;
                let start = at.checked_sub(1).map_or(0, |i| self.ends[i]);
                self.text.get(start as usize..*self.ends.get(at)? as usize)
            };
            Some(text.unwrap_or_default().to_string())
        };
        let body = match self.route {
            Route::Legacy => {
                let after = 1 + Field::SIGNATORY.len();
                let position = |field| Field::SIGNATORY.iter().position(|f| *f == field);
                RowBody::Confirmation(AgreementPayload {
                    primary_contact: Contact::of_fields(|field| value(1 + position(field)?))?,
                    template_id: value(after)?,
                    date_agreed: crate::rules::date::parse_agreed_date_time(&value(after + 1)?)?,
                    agreement_type: AgreementType::parse(&value(after + 2)?)?,
                })
            }
            Route::Enhanced => {
                let mut form = AttestationForm::default();
                for (at, field) in AttestationForm::FIELDS.into_iter().enumerate() {
                    *form.slot(field)? = value(1 + at)?;
                }
                RowBody::Attestation(form)
            }
        };
        Some(RowPayload {
            line: words[0],
            customer_id: value(0)?,
            body,
        })
    }

    /// Every row, as its payload (of payloads kept without the file).
    pub fn iter(&self) -> impl Iterator<Item = RowPayload> + '_ {
        self.iter_in(&[])
    }

    /// Every row, as its payload, values read from `file` where they lie in it.
    pub fn iter_in<'a>(&'a self, file: &'a [u8]) -> impl Iterator<Item = RowPayload> + 'a {
        (0..self.len()).filter_map(move |i| self.get_in(i, file))
    }

    /// Every row, as its payload, in a list.
    pub fn to_vec(&self) -> Vec<RowPayload> {
        self.iter().collect()
    }
}
