//! What a bulk file can get wrong beyond the form's own checks, with stable codes and messages
//! in both languages.

use crate::checks::issues::{Field, Issue, IssueCode};
use crate::checks::messages::{issue_message, Locale};

crate::coded_enum! {
    /// A problem of the file, or of a row as a whole.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum FileProblem =>
        /// The stable code of a problem of the file or of a row as a whole.
        FileCode with params {
        /// Larger than the limit.
        FileTooLarge {
            /// The limit, in bytes.
            max_bytes: usize,
        } = "file-too-large",
        /// No header line, or no rows under it.
        EmptyFile {} = "empty-file",
        /// Bytes that are not UTF-8 text.
        NotUtf8 {} = "not-utf8",
        /// The column of the issue's field is not in the header.
        MissingColumn {} = "missing-column",
        /// Two columns name the issue's field.
        DuplicateColumn {} = "duplicate-column",
        /// A row with more or fewer fields than the header.
        ColumnCount {
            /// The header's number of columns.
            expected: usize,
            /// The row's.
            found: usize,
        } = "column-count",
        /// A quote opened on the line and never closed.
        UnclosedQuote {} = "unclosed-quote",
        /// A row longer than any real one (a quote left open, most often).
        RowTooLong {
            /// The limit, in bytes.
            max_bytes: usize,
        } = "row-too-long",
        /// The same customer and agreement as an earlier row.
        DuplicateInFile {
            /// The line of that earlier row.
            first_line: u32,
        } = "duplicate-in-file",
    }
}

/// What is wrong on a line: one of the form's problems, or one of the file's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LineProblem {
    /// A check of the confirmation form (with its field).
    Form(Issue),
    /// A problem of the file or of the row (with the field concerned, or `form`).
    File(Field, FileProblem),
}

/// A problem and the line of the file it is on (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIssue {
    /// The line, from 1 (the header is line 1); 0 for the whole file.
    pub line: u32,
    /// What is wrong.
    pub problem: LineProblem,
}

impl LineIssue {
    /// The field concerned (`form` for the row or the file as a whole).
    pub fn field(&self) -> Field {
        match &self.problem {
            LineProblem::Form(issue) => issue.field,
            LineProblem::File(field, _) => *field,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match &self.problem {
            LineProblem::Form(issue) => IssueCode::as_str(issue.code()),
            LineProblem::File(_, problem) => problem.code().as_str(),
        }
    }

    /// The message, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match &self.problem {
            LineProblem::Form(issue) => issue_message(issue, locale),
            LineProblem::File(field, problem) => file_message(*field, *problem, locale),
        }
    }
}

/// The message of a file's problem.
pub fn file_message(field: Field, problem: FileProblem, locale: Locale) -> String {
    let fr = locale == Locale::FrFr;
    let column = field.as_str();
    let label = field.label(locale);
    match problem {
        FileProblem::FileTooLarge { max_bytes } => {
            let mb = max_bytes / 1_000_000;
            if fr {
                crate::text!("Le fichier dépasse ", mb, "\u{a0}Mo\u{a0}: découpez-le en plusieurs fichiers.")
            } else {
                crate::text!("The file is larger than ", mb, " MB: split it into several files.")
            }
        }
        FileProblem::EmptyFile {} => if fr {
            "Le fichier ne contient aucune ligne sous son en-tête."
        } else {
            "The file holds no rows under its header."
        }
        .into(),
        FileProblem::NotUtf8 {} => if fr {
            "Cette ligne n'est pas du texte UTF-8\u{a0}: enregistrez le fichier en «\u{a0}CSV UTF-8\u{a0}»."
        } else {
            "This line is not UTF-8 text: save the file as \"CSV UTF-8\"."
        }
        .into(),
        FileProblem::MissingColumn {} => {
            if fr {
                crate::text!("Il manque la colonne «\u{a0}", label, "\u{a0}» (", column, ") dans l'en-tête.")
            } else {
                crate::text!("The header has no column \"", label, "\" (", column, ").")
            }
        }
        FileProblem::DuplicateColumn {} => {
            if fr {
                crate::text!("Deux colonnes de l'en-tête désignent «\u{a0}", label, "\u{a0}» (", column, ").")
            } else {
                crate::text!("Two columns of the header name \"", label, "\" (", column, ").")
            }
        }
        FileProblem::ColumnCount { expected, found } => {
            if fr {
                crate::text!("Cette ligne a ", found, " colonnes au lieu de ", expected, " (celles de l'en-tête).")
            } else {
                crate::text!("This row has ", found, " columns instead of the header's ", expected, ".")
            }
        }
        FileProblem::UnclosedQuote {} => if fr {
            "Un guillemet ouvert sur cette ligne n'est jamais fermé."
        } else {
            "A quote opened on this line is never closed."
        }
        .into(),
        FileProblem::RowTooLong { max_bytes } => {
            let kb = max_bytes / 1024;
            if fr {
                crate::text!("Cette ligne dépasse ", kb, "\u{a0}Ko\u{a0}: un guillemet resté ouvert, sans doute.")
            } else {
                crate::text!("This row is longer than ", kb, " KB: most likely a quote left open.")
            }
        }
        FileProblem::DuplicateInFile { first_line } => {
            if fr {
                crate::text!("Même client et même contrat qu'à la ligne ", first_line, ".")
            } else {
                crate::text!("The same customer and agreement as line ", first_line, ".")
            }
        }
    }
}
