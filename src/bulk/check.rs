//! Each row of a bulk file checked as the confirmation form is: the same rules, the route of the
//! day, plus what only a file can get wrong (columns, duplicates between rows).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::checks::fields::CustomerId;
use crate::checks::form::{self, holds_same, ConfirmationForm, FormView};
use crate::checks::issues::{Field, Issue, Problem};
use crate::checks::text::Trimmed;
use crate::flows::attestation::enhanced_route_check;
use crate::flows::payload::Agreement;
use crate::rules::agreement::AgreementType;
use crate::rules::route::Route;

use super::columns::field_of_header;
use super::payloads::{Payloads, Place};
use super::problems::{FileProblem, LineIssue, LineProblem};
use super::read::{CsvReader, Fields, Item, MAX_ROW_BYTES};
use super::{BulkOptions, BulkReport};

/// The hasher of the maps by customer id, keyed: each word is mixed into the state by the
/// finalizer of SplitMix64 (a strong bijective mixer: every bit of the id reaches the low bits
/// the table indexes by; without it, ids that differ only in their first group, as numbered
/// ones do, all fell in one bucket), starting from a key of 128 random bits per check. Ids
/// crafted to fall in one bucket would make the check quadratic (160 000 of them took 15 s);
/// without the key, which is drawn from the platform's random source for every file, they
/// cannot be crafted. SipHash, the default, took a tenth of a row's checks; this costs what
/// the unkeyed multiplicative hash it replaces cost (four multiplications an id).
pub(super) struct IdHasher(u64);

/// The SplitMix64 finalizer.
fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = mix(self.0 ^ word);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`IdHasher`]s from a key (`BulkOptions::hash_key`).
#[derive(Clone, Copy)]
pub(super) struct BuildIdHasher(u64);

impl BuildIdHasher {
    pub(super) fn new(key: u64) -> BuildIdHasher {
        // The key itself mixed once: a key of 0 or a small one starts from a well-spread state.
        BuildIdHasher(mix(key ^ 0x9e37_79b9_7f4a_7c15))
    }
}

impl BuildHasher for BuildIdHasher {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

/// Checks a file as it arrives (`push` each chunk, then `finish`), or rows given as forms.
pub struct BulkValidator {
    options: BulkOptions,
    reader: CsvReader,
    /// The field of each column, once the header is read.
    columns: Option<Vec<Option<Field>>>,
    /// A required column is missing (or the header is unreadable): rows are counted, not
    /// checked.
    blocked: bool,
    /// The file is over its size limit: nothing more is read.
    stopped: bool,
    bytes: usize,
    /// Each customer's confirmations (`options.existing`), by the customer's id as read.
    existing: HashMap<CustomerId, Vec<Agreement>, BuildIdHasher>,
    /// The first line of each customer, by agreement on the legacy route (0: none yet). The id
    /// as two halves, so that an entry takes 24 bytes (a million customers: 48 MB of table).
    seen: HashMap<(u64, u64), [u32; 2], BuildIdHasher>,
    /// A row's problems and warnings, kept between rows so that a valid row allocates nothing.
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
    report: BulkReport,
}

impl BulkValidator {
    /// A validator at the start of a file.
    pub fn new(mut options: BulkOptions) -> BulkValidator {
        // Customer ids are compared as read (case and braces do not matter); an entry whose key
        // is no customer id matches no row.
        let hasher = BuildIdHasher::new(options.hash_key);
        let mut existing = HashMap::with_hasher(hasher);
        existing.extend(
            std::mem::take(&mut options.existing)
                .into_iter()
                .filter_map(|(id, list)| Some((CustomerId::parse(id.trimmed())?, list))),
        );
        let template_id = options.context.template_id.as_deref();
        let mut payloads = Payloads::new(options.route, template_id);
        if options.values_in_file {
            payloads = payloads.in_file();
        }
        BulkValidator {
            options,
            reader: CsvReader::new(),
            columns: None,
            blocked: false,
            stopped: false,
            bytes: 0,
            existing,
            seen: HashMap::with_hasher(hasher),
            issues: Vec::new(),
            warnings: Vec::new(),
            report: BulkReport {
                payloads,
                ..BulkReport::default()
            },
        }
    }

    /// The bytes read so far, and the rows found in them.
    pub fn progress(&self) -> (usize, u32) {
        (self.bytes, self.report.rows)
    }

    /// Reads the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.stopped {
            return;
        }
        self.bytes += chunk.len();
        let max = self.options.max_bytes;
        if max > 0 && self.bytes > max {
            self.stopped = true;
            let problem = FileProblem::FileTooLarge { max_bytes: max };
            self.file_issue(0, Field::Form, problem);
            return;
        }
        let mut reader = std::mem::take(&mut self.reader);
        reader.push(chunk, &mut |item| self.item(item));
        self.reader = reader;
    }

    /// The end of the file: the report.
    pub fn finish(mut self) -> BulkReport {
        if !self.stopped {
            let mut reader = std::mem::take(&mut self.reader);
            reader.finish(&mut |item| self.item(item));
            if self.columns.is_none() || (self.report.rows == 0 && !self.blocked) {
                self.file_issue(0, Field::Form, FileProblem::EmptyFile {});
            }
        }
        self.report
    }

    /// Checks rows given as forms; each row's line is its position from 1.
    pub fn rows(mut self, rows: &[ConfirmationForm]) -> BulkReport {
        for (index, row) in rows.iter().enumerate() {
            self.report.rows += 1;
            self.check_form(row.view(), index as u32 + 1, &[]);
        }
        self.report
    }

    fn item(&mut self, item: Item<'_>) {
        let (line, fields, place) = match item {
            Item::Record {
                line,
                fields,
                place,
            } => (line, fields, place),
            Item::TooLong { line } | Item::UnclosedQuote { line } => {
                let problem = match item {
                    Item::TooLong { .. } => FileProblem::RowTooLong {
                        max_bytes: MAX_ROW_BYTES,
                    },
                    _ => FileProblem::UnclosedQuote {},
                };
                if self.columns.is_none() {
                    self.columns = Some(Vec::new());
                    self.blocked = true;
                } else {
                    self.report.rows += 1;
                    self.report.invalid += 1;
                }
                self.file_issue(line, Field::Form, problem);
                return;
            }
        };
        let Some(columns) = self.columns.take() else {
            return self.header(line, fields);
        };
        self.row(line, fields, place, &columns);
        self.columns = Some(columns);
    }

    fn row(&mut self, line: u32, fields: Fields<'_>, place: Place<'_>, columns: &[Option<Field>]) {
        // A row of empty cells (spreadsheets write them below the data) is no row.
        if fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return;
        }
        self.report.rows += 1;
        if self.blocked {
            self.report.invalid += 1;
            return;
        }
        if fields.len() != columns.len() {
            self.report.invalid += 1;
            let problem = FileProblem::ColumnCount {
                expected: columns.len(),
                found: fields.len(),
            };
            return self.file_issue(line, Field::Form, problem);
        }
        // The row is checked where the reader holds it: no copy. Its text is checked as UTF-8
        // at once (each field alone only to name the one that is not).
        let whole = std::str::from_utf8(fields.bytes()).ok();
        let mut form = FormView::default();
        for (index, field) in columns.iter().enumerate() {
            let Some(field) = *field else {
                continue;
            };
            let (start, end) = fields.span(index);
            let text = match whole {
                Some(whole) => whole.get(start..end),
                None => fields.get(index).and_then(|b| std::str::from_utf8(b).ok()),
            };
            let Some(text) = text else {
                self.report.invalid += 1;
                return self.file_issue(line, field, FileProblem::NotUtf8 {});
            };
            if let Some(slot) = form.slot(field) {
                *slot = text;
            }
        }
        self.check_form(form, line, place);
    }

    fn header(&mut self, line: u32, fields: Fields<'_>) {
        let mut columns = Vec::with_capacity(fields.len());
        for bytes in fields.iter() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.columns = Some(Vec::new());
                self.blocked = true;
                return self.file_issue(line, Field::Form, FileProblem::NotUtf8 {});
            };
            let field = field_of_header(text);
            if let Some(field) = field.filter(|f| columns.contains(&Some(*f))) {
                self.file_issue(line, field, FileProblem::DuplicateColumn {});
                self.blocked = true;
            }
            columns.push(field);
        }
        for fields in Self::required_columns(self.options.route) {
            for &field in fields {
                if !field.optional() && !columns.contains(&Some(field)) {
                    self.file_issue(line, field, FileProblem::MissingColumn {});
                    self.blocked = true;
                }
            }
        }
        self.columns = Some(columns);
    }

    /// The columns every row needs on the route, those of them that may not be left empty:
    /// what the form requires (the customer's id too, to send it; the agreement and its date
    /// on the legacy route, the template on the enhanced one).
    fn required_columns(route: Route) -> [&'static [Field]; 4] {
        let (before, after): (&[Field], &[Field]) = match route {
            Route::Legacy => (&Field::AGREEMENT, &[]),
            Route::Enhanced => (&[], &Field::TEMPLATE),
        };
        [&[Field::CustomerId], before, &Field::SIGNATORY, after]
    }

    /// Checks `form`, the row on `line`.
    fn check_form(&mut self, form: FormView<'_>, line: u32, place: Place<'_>) {
        let given_id = form.customer_id.trimmed();
        let (issues, warnings) = (&mut self.issues, &mut self.warnings);
        issues.clear();
        warnings.clear();
        if given_id.is_empty() {
            issues.push(Issue::new(Field::CustomerId, Problem::Required {}));
        }
        let ctx = &mut self.options.context;
        // The customer's confirmations, when there are any (the checks read the id again).
        let mut existing = match self.existing.is_empty() {
            true => None,
            false => CustomerId::parse(given_id).and_then(|id| self.existing.get_mut(&id)),
        };
        let (customer_id, agreement, date) = match self.options.route {
            Route::Legacy => {
                // The customer's confirmations lent to the context for this row (no copy).
                if let Some(list) = existing.as_deref_mut() {
                    std::mem::swap(&mut ctx.existing, list);
                }
                let checked = form::check(form, ctx, issues, warnings);
                let read = (checked.customer_id, checked.agreement, checked.date_agreed);
                if let Some(list) = existing {
                    std::mem::swap(&mut ctx.existing, list);
                }
                read
            }
            Route::Enhanced => {
                let customer_id = enhanced_route_check(form, ctx, issues);
                let (first, last) = (form.first_name.trimmed(), form.last_name.trimmed());
                let (email, phone) = (form.email.trimmed(), form.phone_number.trimmed());
                let mca = AgreementType::MicrosoftCustomerAgreement;
                if existing.is_some_and(|list| holds_same(list, mca, first, last, email, phone)) {
                    issues.push(Issue::new(Field::Form, Problem::DuplicateConfirmation {}));
                }
                (customer_id, None, None)
            }
        };
        // The same customer (and agreement, on the legacy route) as an earlier row.
        let scope = match self.options.route {
            Route::Legacy => agreement.map(AgreementType::index),
            Route::Enhanced => Some(0),
        };
        let duplicate_of = match (customer_id, scope) {
            (Some(id), Some(scope)) => {
                let key = (id.0 as u64, (id.0 >> 64) as u64);
                let first_line = &mut self.seen.entry(key).or_default()[scope];
                if *first_line == 0 {
                    *first_line = line;
                }
                (*first_line != line).then_some(*first_line)
            }
            _ => None,
        };
        if !self.issues.is_empty() || duplicate_of.is_some() {
            self.report.invalid += 1;
            let mut issues = std::mem::take(&mut self.issues);
            for issue in issues.drain(..) {
                self.push_issue(line, LineProblem::Form(issue));
            }
            self.issues = issues;
            if let Some(first_line) = duplicate_of {
                let problem = FileProblem::DuplicateInFile { first_line };
                self.push_issue(line, LineProblem::File(Field::CustomerId, problem));
            }
            return;
        }
        self.report.valid += 1;
        let (Some(customer_id), true) = (customer_id, self.options.payloads) else {
            return;
        };
        let payloads = &mut self.report.payloads;
        match (self.options.route, agreement, date) {
            (Route::Legacy, Some(agreement), Some(date)) => {
                payloads.push_confirmation(line, customer_id, form, agreement, date, place)
            }
            (Route::Enhanced, ..) => payloads.push_attestation(line, customer_id, form, place),
            _ => {}
        }
    }

    /// A problem of the file, or of a row (then counted as invalid by the caller).
    fn file_issue(&mut self, line: u32, field: Field, problem: FileProblem) {
        // A problem of the whole file (line 0: too large, empty) comes first and is always
        // kept, whatever the rows' problems took.
        if line == 0 {
            let issue = LineIssue {
                line,
                problem: LineProblem::File(field, problem),
            };
            self.report.issues.insert(0, issue);
            if self.report.issues.len() > self.options.max_issues.max(1) {
                self.report.issues.pop();
                self.report.issues_left_off += 1;
            }
            return;
        }
        self.push_issue(line, LineProblem::File(field, problem));
    }

    fn push_issue(&mut self, line: u32, problem: LineProblem) {
        if self.report.issues.len() < self.options.max_issues {
            self.report.issues.push(LineIssue { line, problem });
        } else {
            self.report.issues_left_off += 1;
            if self.report.lines_left_off.last() != Some(&line) {
                self.report.lines_left_off.push(line);
            }
        }
    }
}
