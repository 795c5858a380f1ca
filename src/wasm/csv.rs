//! `csvOf`: rows as a CSV file for spreadsheets (the rules crate's `spreadsheet`): quoted where
//! needed, every cell that a spreadsheet would run as a formula neutralized.

use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::input::Args;
use csp_agreements_derive::Readable;
use tsify::Tsify;

use super::input;
use crate::checks::spreadsheet::csv_with;

/// Options of csvOf.
#[derive(Debug, Default, Tsify, Readable)]
#[serde(rename_all = "camelCase")]
pub struct CsvOptions {
    /// The separator: default `,`; `;` for French spreadsheets, where `,` is the decimal mark.
    #[tsify(optional, type = "\",\" | \";\" | \"\\t\"")]
    pub separator: Option<String>,
}

/// The rows (arrays of strings, numbers or booleans; `null` is an empty cell) as CSV text with
/// a byte order mark, CRLF line ends, separated by `options.separator` (default `,`; `;` for a
/// French spreadsheet). Every cell that holds a separator of either kind is quoted, and every
/// cell a spreadsheet would run as a formula is neutralized.
#[wasm_bindgen(js_name = csvOf)]
pub fn csv_of_rows(
    #[wasm_bindgen(unchecked_param_type = "(string | number | boolean | null | undefined)[][]")]
    rows: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CsvOptions")] options: Option<JsValue>,
) -> Result<String, JsError> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let args = Args::of(&rows, &options, &JsValue::UNDEFINED);
    let [node, options, _] = args.nodes()?;
    let options: CsvOptions = input::options_of("options", &options)?;
    let separator = match options.separator.as_deref() {
        None | Some(",") => ',',
        Some(";") => ';',
        Some("\t") => '\t',
        Some(_) => {
            return Err(JsError::new(
                "options.separator: expected \",\", \";\" or a tab",
            ))
        }
    };
    let Node::Array(rows) = &node else {
        return Err(JsError::new("rows: expected an array of arrays"));
    };
    let mut table = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let Node::Array(cells) = row else {
            return Err(JsError::new(&crate::text!(
                "rows[",
                index,
                "]: expected an array"
            )));
        };
        let cell = |cell: &Node| match cell {
            Node::Str(text) => Ok(text.to_string()),
            Node::Num(n) => Ok(js_sys::Number::from(*n)
                .to_string_with_radix(10)
                .map(String::from)
                .unwrap_or_default()),
            Node::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
            Node::Absent => Ok(String::new()),
            _ => Err(JsError::new(&crate::text!(
                "rows[",
                index,
                "]: expected strings, numbers or booleans"
            ))),
        };
        table.push(cells.iter().map(cell).collect::<Result<Vec<_>, _>>()?);
    }
    Ok(csv_with(&table, separator))
}
