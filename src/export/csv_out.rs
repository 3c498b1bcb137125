//! A feature table as `;`-separated CSV (UTF-8, decimal point, empty cells for nulls); written
//! whole or streamed chunk by chunk.
//!
//! For a spreadsheet set to French ([`CsvStyle::Spreadsheet`]): the same cells, after a UTF-8
//! byte-order mark (so Excel reads the accents), with a decimal comma in numbers.
//!
//! Formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return would be run as a formula by Excel or LibreOffice; it is written
//! with a leading `'`. Numbers are never text cells here (JSON numbers in the table), so a
//! negative number stays a number: only text is escaped, `-2` as a name becomes `'-2`.

use std::io::Write;

use serde_json::Value;

use crate::model::FeatureTable;

/// How numbers and the file's start are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvStyle {
    /// For programs: decimal point, no byte-order mark.
    #[default]
    Data,
    /// For a spreadsheet set to French (Excel, LibreOffice): a UTF-8 byte-order mark first, and
    /// a decimal comma (`0,25`).
    Spreadsheet,
}

/// The CSV bytes of `table`: a header line with the column names, one line per row.
pub fn csv_bytes(table: &FeatureTable, style: CsvStyle) -> Vec<u8> {
    let mut stream = CsvStream::new(Vec::new(), style);
    stream.rows(table).expect("in memory");
    stream.end().expect("in memory")
}

/// CSV written as its rows come: the header with the first chunk, then rows.
pub struct CsvStream<W: Write> {
    writer: csv::Writer<W>,
    style: CsvStyle,
    header: bool,
}

impl<W: Write> CsvStream<W> {
    pub fn new(out: W, style: CsvStyle) -> Self {
        Self {
            writer: csv::WriterBuilder::new().delimiter(b';').from_writer(out),
            style,
            header: false,
        }
    }

    /// Appends the rows of `table` (after the header line, the first time).
    pub fn rows(&mut self, table: &FeatureTable) -> std::io::Result<()> {
        if !std::mem::replace(&mut self.header, true) {
            // The byte-order mark opens the file, before the first column's name.
            let bom = if self.style == CsvStyle::Spreadsheet {
                "\u{feff}"
            } else {
                ""
            };
            self.writer
                .write_record(table.columns.iter().enumerate().map(|(k, c)| {
                    if k == 0 {
                        format!("{bom}{}", c.name)
                    } else {
                        c.name.clone()
                    }
                }))
                .map_err(std::io::Error::other)?;
        }
        for row in &table.rows {
            self.writer
                .write_record(row.values.iter().map(|v| cell(v, self.style)))
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    /// Flushes; returns the writer.
    pub fn end(self) -> std::io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

fn cell(v: &Value, style: CsvStyle) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => escape_formula(s),
        Value::Number(n) if style == CsvStyle::Spreadsheet => n.to_string().replace('.', ","),
        other => other.to_string(),
    }
}

/// A text cell with a leading `'` when a spreadsheet would read it as a formula.
pub fn escape_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, TableRow};
    use serde_json::json;

    /// Both styles of one small table, byte for byte.
    #[test]
    fn data_and_spreadsheet_styles() {
        let table = FeatureTable {
            columns: vec![
                Column {
                    name: "nom".into(),
                    kind: ColumnKind::Text,
                },
                Column {
                    name: "couverture".into(),
                    kind: ColumnKind::Float,
                },
                Column {
                    name: "population".into(),
                    kind: ColumnKind::Int,
                },
            ],
            rows: vec![TableRow {
                geometry: None,
                values: vec![json!("Éguilles"), json!(0.25), json!(-2)],
            }],
        };
        assert_eq!(
            csv_bytes(&table, CsvStyle::Data),
            "nom;couverture;population\nÉguilles;0.25;-2\n".as_bytes()
        );
        assert_eq!(
            csv_bytes(&table, CsvStyle::Spreadsheet),
            "\u{feff}nom;couverture;population\nÉguilles;0,25;-2\n".as_bytes()
        );
    }

    #[test]
    fn formulas_are_quoted() {
        assert_eq!(escape_formula("=1+1"), "'=1+1");
        assert_eq!(escape_formula("\tx"), "'\tx");
        assert_eq!(escape_formula("Aix"), "Aix");
        assert_eq!(escape_formula(""), "");
    }
}
