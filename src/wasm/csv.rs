//! `csvOf`: rows as a CSV file for spreadsheets (the rules crate's `spreadsheet`): quoted where
//! needed, every cell that a spreadsheet would run as a formula neutralized.

use wasm_bindgen::prelude::*;

use super::compact::Node;
use super::input::Args;
use crate::spreadsheet::csv_of;

/// The rows (arrays of strings, numbers or booleans; `null` is an empty cell) as CSV text with
/// a byte order mark, CRLF line ends.
#[wasm_bindgen(js_name = csvOf)]
pub fn csv_of_rows(
    #[wasm_bindgen(unchecked_param_type = "(string | number | boolean | null | undefined)[][]")]
    rows: JsValue,
) -> Result<String, JsError> {
    let args = Args::one(&rows);
    let [node, _, _] = args.nodes()?;
    let Node::Array(rows) = &node else {
        return Err(JsError::new("rows: expected an array of arrays"));
    };
    let mut table = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let Node::Array(cells) = row else {
            return Err(JsError::new(&format!("rows[{index}]: expected an array")));
        };
        let cell = |cell: &Node| match cell {
            Node::Str(text) => Ok(text.to_string()),
            Node::Num(n) => Ok(js_sys::Number::from(*n)
                .to_string_with_radix(10)
                .map(String::from)
                .unwrap_or_default()),
            Node::Bool(b) => Ok(b.to_string()),
            Node::Absent => Ok(String::new()),
            _ => Err(JsError::new(&format!(
                "rows[{index}]: expected strings, numbers or booleans"
            ))),
        };
        table.push(cells.iter().map(cell).collect::<Result<Vec<_>, _>>()?);
    }
    Ok(csv_of(&table))
}
