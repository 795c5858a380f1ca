//! CSV written for spreadsheets: RFC 4180 quoting, and a cell that starts like a formula (`=`,
//! `+`, `-`, `@`, a tab or a carriage return) prefixed with `'`, so that a spreadsheet shows it
//! as text instead of running it (OWASP's "CSV injection"). Written here rather than with the
//! `csv` crate's writer: that one added 20 KB (gzip) to the wasm module for the same output.

use std::borrow::Cow;

/// The cell as a spreadsheet should show it.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The rows as CSV (comma-separated, CRLF line ends, quoted where needed), every cell
/// neutralized; a UTF-8 byte order mark first, so that spreadsheets read accents right.
pub fn csv_of<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        for (i, cell) in row.as_ref().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let cell = neutralize(cell.as_ref());
            if cell.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
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
            "\u{feff}name,note\r\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1\r\n'-2,'@SUM(A1)\r\n'\ttab,\"'\rreturn\"\r\n\"Dupont, \"\"Jo\"\"\",\"two\nlines\"\r\nZoë,a-b=c\r\n"
        );
        assert_eq!(csv_of::<Vec<&str>, &str>(&[]), "\u{feff}");
    }
}
