//! CSV written for spreadsheets: RFC 4180 quoting, and a cell that starts like a formula (`=`,
//! `+`, `-`, `@`, a tab or a carriage return, after any leading quotes or spaces) prefixed with
//! `'`, so that a spreadsheet shows it as text instead of running it (OWASP's "CSV
//! injection"). Every cell holding a separator of either kind (`,` or `;`), a quote, a tab, CR
//! or LF is quoted: a French spreadsheet splits on `;`, an English one on `,`, and neither may
//! see a cell begin in the middle of another. Written here rather than with the `csv` crate's
//! writer: that one added 20 KB (gzip) to the wasm module for the same output.

use std::borrow::Cow;

/// The separators a file may use: `,` (English spreadsheets), `;` (French and most of Europe,
/// where `,` is the decimal mark), tab.
pub const SEPARATORS: [char; 3] = [',', ';', '\t'];

/// The cell as a spreadsheet should show it: prefixed with `'` when, past any leading quotes
/// and spaces, it starts like a formula.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    let first = cell.bytes().find(|b| *b != b'"' && *b != b' ');
    match first {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => {
            let mut text = String::with_capacity(cell.len() + 1);
            text.push('\'');
            text.push_str(cell);
            Cow::Owned(text)
        }
        _ => Cow::Borrowed(cell),
    }
}

/// The rows as CSV (comma-separated, CRLF line ends, quoted where needed), every cell
/// neutralized; a UTF-8 byte order mark first, so that spreadsheets read accents right.
pub fn csv_of<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R]) -> String {
    csv_with(rows, ',')
}

/// The rows as CSV separated by `separator` (one of [`SEPARATORS`]; anything else is `,`).
pub fn csv_with<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R], separator: char) -> String {
    let separator = if SEPARATORS.contains(&separator) {
        separator
    } else {
        ','
    };
    let mut out = String::from("\u{feff}");
    for row in rows {
        for (i, cell) in row.as_ref().iter().enumerate() {
            if i > 0 {
                out.push(separator);
            }
            let cell = neutralize(cell.as_ref());
            if cell
                .bytes()
                .any(|b| matches!(b, b',' | b';' | b'"' | b'\t' | b'\n' | b'\r'))
            {
                out.push('"');
                for c in cell.chars() {
                    if c == '"' {
                        out.push('"');
                    }
                    out.push(c);
                }
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text_and_cells_are_quoted() {
        let rows = [
            vec!["name", "note"],
            vec!["=HYPERLINK(\"http://x\")", "+1"],
            vec!["-2", "@SUM(A1)"],
            vec!["\ttab", "\rreturn"],
            vec!["Dupont, \"Jo\"", "two\nlines"],
            vec!["Zoë", "a-b=c"],
        ];
        assert_eq!(
            csv_of(&rows),
            "\u{feff}name,note\r\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1\r\n'-2,'@SUM(A1)\r\n\"'\ttab\",\"'\rreturn\"\r\n\"Dupont, \"\"Jo\"\"\",\"two\nlines\"\r\nZoë,a-b=c\r\n"
        );
        assert_eq!(csv_of::<Vec<&str>, &str>(&[]), "\u{feff}");
    }

    /// The cells of a line as a spreadsheet splitting on `separator` reads them: quoted cells
    /// kept whole, quotes undone.
    fn split(line: &str, separator: char) -> Vec<String> {
        let mut cells = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    cells.last_mut().unwrap().push('"');
                }
                '"' => quoted = !quoted,
                c if c == separator && !quoted => cells.push(String::new()),
                c => cells.last_mut().unwrap().push(c),
            }
        }
        cells
    }

    #[test]
    fn no_cell_becomes_a_formula_whatever_the_separator_a_spreadsheet_splits_on() {
        // Found by review: `Acme;=1+1` in a comma file, opened by a spreadsheet that splits on
        // `;`, was a live formula in its second cell.
        let hostile = [
            "Acme;=1+1",
            "Acme,=1+1",
            " =1+1",
            "\"=1+1",
            "\" =cmd|'/C calc'!A0",
            "a\t=1",
            "ok;@SUM(A1)",
            "x,-2;+3",
        ];
        for written_with in [',', ';'] {
            let text = csv_with(&[hostile.to_vec()], written_with);
            let line = text.trim_start_matches('\u{feff}').trim_end_matches("\r\n");
            for read_with in [',', ';'] {
                for cell in split(line, read_with) {
                    let start = cell.trim_start_matches(['"', ' ']).chars().next();
                    assert!(
                        !matches!(start, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                        "written with {written_with:?}, read with {read_with:?}: {cell:?} in {line:?}"
                    );
                }
            }
            // Read with the separator it was written with, every cell comes back as given
            // (neutralized).
            let cells = split(line, written_with);
            assert_eq!(cells.len(), hostile.len());
            for (cell, given) in cells.iter().zip(hostile) {
                assert_eq!(cell.trim_start_matches('\''), given);
            }
        }
        assert_eq!(csv_with(&[vec!["a", "b"]], ';'), "\u{feff}a;b\r\n");
        assert_eq!(csv_with(&[vec!["a", "b"]], '|'), "\u{feff}a,b\r\n");
    }
}
