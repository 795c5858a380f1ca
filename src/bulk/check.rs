//! Each row of a bulk file checked as the confirmation form is: the same rules, the route of the
//! day, plus what only a file can get wrong (columns, duplicates between rows).

use std::collections::HashMap;

use crate::agreement::AgreementType;
use crate::attestation::{enhanced_route_issues, AttestationForm};
use crate::fields::normalize_customer_id;
use crate::form::{self, holds_same, ConfirmationForm};
use crate::issues::{Field, Issue, Problem};
use crate::route::Route;

use super::columns::field_of_header;
use super::problems::{FileProblem, LineIssue, LineProblem};
use super::read::{CsvReader, Item, MAX_ROW_BYTES};
use super::{BulkOptions, BulkReport, RowBody, RowPayload};

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
    /// The first line of each customer (and agreement, on the legacy route).
    seen: HashMap<(String, Option<AgreementType>), u32>,
    form: ConfirmationForm,
    report: BulkReport,
}

impl BulkValidator {
    /// A validator at the start of a file.
    pub fn new(mut options: BulkOptions) -> BulkValidator {
        // Customer ids are compared as the checks write them (lower case, no braces).
        options.existing = std::mem::take(&mut options.existing)
            .into_iter()
            .map(|(id, list)| (normalize_customer_id(id.trim()).unwrap_or(id), list))
            .collect();
        BulkValidator {
            options,
            reader: CsvReader::new(),
            columns: None,
            blocked: false,
            stopped: false,
            bytes: 0,
            seen: HashMap::new(),
            form: ConfirmationForm::default(),
            report: BulkReport::default(),
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
                self.file_issue(0, Field::Form, FileProblem::EmptyFile);
            }
        }
        self.report
    }

    /// Checks rows given as forms; each row's line is its position from 1.
    pub fn rows(mut self, rows: &[ConfirmationForm]) -> BulkReport {
        for (index, row) in rows.iter().enumerate() {
            self.report.rows += 1;
            self.form.clone_from(row);
            self.check_form(index as u32 + 1);
        }
        self.report
    }

    fn item(&mut self, item: Item<'_>) {
        let (line, fields) = match item {
            Item::Record { line, fields } => (line, fields),
            Item::TooLong { line } | Item::UnclosedQuote { line } => {
                let problem = match item {
                    Item::TooLong { .. } => FileProblem::RowTooLong {
                        max_bytes: MAX_ROW_BYTES,
                    },
                    _ => FileProblem::UnclosedQuote,
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
        self.row(line, fields, &columns);
        self.columns = Some(columns);
    }

    fn row(&mut self, line: u32, fields: super::read::Fields<'_>, columns: &[Option<Field>]) {
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
        for field in ConfirmationForm::FIELDS {
            if let Some(slot) = self.form.slot(field) {
                slot.clear();
            }
        }
        for (index, bytes) in fields.iter().enumerate() {
            let Some(field) = columns[index] else {
                continue;
            };
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    if let Some(slot) = self.form.slot(field) {
                        slot.push_str(text);
                    }
                }
                Err(_) => {
                    self.report.invalid += 1;
                    return self.file_issue(line, field, FileProblem::NotUtf8);
                }
            }
        }
        self.check_form(line);
    }

    fn header(&mut self, line: u32, fields: super::read::Fields<'_>) {
        let mut columns = Vec::with_capacity(fields.len());
        for bytes in fields.iter() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.columns = Some(Vec::new());
                self.blocked = true;
                return self.file_issue(line, Field::Form, FileProblem::NotUtf8);
            };
            let field = field_of_header(text);
            if let Some(field) = field.filter(|f| columns.contains(&Some(*f))) {
                self.file_issue(line, field, FileProblem::DuplicateColumn);
                self.blocked = true;
            }
            columns.push(field);
        }
        for &field in self.required_columns() {
            if !columns.contains(&Some(field)) {
                self.file_issue(line, field, FileProblem::MissingColumn);
                self.blocked = true;
            }
        }
        self.columns = Some(columns);
    }

    /// The columns every row needs on the route: what the form requires (the customer's id
    /// too, to send it), the template's country on the enhanced route.
    fn required_columns(&self) -> &'static [Field] {
        match self.options.route {
            Route::Legacy => &[
                Field::CustomerId,
                Field::AgreementType,
                Field::DateAgreed,
                Field::FirstName,
                Field::LastName,
                Field::Email,
            ],
            Route::Enhanced => &[
                Field::CustomerId,
                Field::FirstName,
                Field::LastName,
                Field::Email,
                Field::Country,
            ],
        }
    }

    /// Checks `self.form`, the row on `line`.
    fn check_form(&mut self, line: u32) {
        let form = &self.form;
        let customer_id = normalize_customer_id(form.customer_id.trim());
        let mut issues = Vec::new();
        if form.customer_id.trim().is_empty() {
            issues.push(Issue::new(Field::CustomerId, Problem::Required));
        }
        let ctx = &mut self.options.context;
        let mut existing = customer_id
            .as_ref()
            .and_then(|id| self.options.existing.get_mut(id));
        let agreement = AgreementType::parse(form.agreement_type.trim());
        let body = match self.options.route {
            Route::Legacy => {
                // The customer's confirmations lent to the context for this row (no copy).
                let mut lend = |ctx: &mut crate::form::Context| {
                    if let Some(list) = existing.as_deref_mut() {
                        std::mem::swap(&mut ctx.existing, list);
                    }
                };
                lend(ctx);
                let report = form::validate(form, ctx);
                lend(ctx);
                issues.extend(report.errors);
                report.payload.map(RowBody::Confirmation)
            }
            Route::Enhanced => {
                issues.extend(enhanced_route_issues(form, ctx));
                let (first, last) = (form.first_name.trim(), form.last_name.trim());
                let (email, phone) = (form.email.trim(), form.phone_number.trim());
                let mca = AgreementType::MicrosoftCustomerAgreement;
                if existing.is_some_and(|list| holds_same(list, mca, first, last, email, phone)) {
                    issues.push(Issue::new(Field::Form, Problem::DuplicateConfirmation));
                }
                Some(RowBody::Attestation(AttestationForm {
                    company_name: String::new(),
                    first_name: first.into(),
                    last_name: last.into(),
                    email: email.into(),
                    phone_number: phone.into(),
                    country: form.country.trim().to_ascii_uppercase(),
                    language: form.language.trim().into(),
                }))
            }
        };
        // The same customer (and agreement, on the legacy route) as an earlier row.
        let scope = match self.options.route {
            Route::Legacy => agreement.map(Some),
            Route::Enhanced => Some(None),
        };
        let duplicate_of = match (&customer_id, scope) {
            (Some(id), Some(scope)) => {
                let first_line = *self.seen.entry((id.clone(), scope)).or_insert(line);
                (first_line != line).then_some(first_line)
            }
            _ => None,
        };
        let rejected = !issues.is_empty() || duplicate_of.is_some();
        if rejected {
            self.report.invalid += 1;
            for issue in issues {
                self.push_issue(line, LineProblem::Form(issue));
            }
            if let Some(first_line) = duplicate_of {
                let problem = FileProblem::DuplicateInFile { first_line };
                self.push_issue(line, LineProblem::File(Field::CustomerId, problem));
            }
            return;
        }
        self.report.valid += 1;
        if let (true, Some(customer_id), Some(body)) = (self.options.payloads, customer_id, body) {
            self.report.payloads.push(RowPayload {
                line,
                customer_id,
                body,
            });
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
        }
    }
}
