//! A feature table as `;`-separated CSV (UTF-8, decimal point, empty cells for nulls); written
//! whole or streamed chunk by chunk.
//!
//! Formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return would be run as a formula by Excel or LibreOffice; it is written
//! with a leading `'`. Numbers are never text cells here (JSON numbers in the table), so a
//! negative number stays a number: only text is escaped, `-2` as a name becomes `'-2`.

use std::io::Write;

use serde_json::Value;

use crate::model::FeatureTable;

/// The CSV bytes of `table`: a header line with the column names, one line per row.
pub fn csv_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut stream = CsvStream::new(Vec::new());
    stream.rows(table).expect("in memory");
    stream.end().expect("in memory")
}

/// CSV written as its rows come: the header with the first chunk, then rows.
pub struct CsvStream<W: Write> {
    writer: csv::Writer<W>,
    header: bool,
}

impl<W: Write> CsvStream<W> {
    pub fn new(out: W) -> Self {
        Self {
            writer: csv::WriterBuilder::new().delimiter(b';').from_writer(out),
            header: false,
        }
    }

    /// Appends the rows of `table` (after the header line, the first time).
    pub fn rows(&mut self, table: &FeatureTable) -> std::io::Result<()> {
        if !std::mem::replace(&mut self.header, true) {
            self.writer
                .write_record(table.columns.iter().map(|c| &c.name))
                .map_err(std::io::Error::other)?;
        }
        for row in &table.rows {
            self.writer
                .write_record(row.values.iter().map(cell))
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

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => escape_formula(s),
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
    use super::escape_formula;

    #[test]
    fn formulas_are_quoted() {
        assert_eq!(escape_formula("=1+1"), "'=1+1");
        assert_eq!(escape_formula("\tx"), "'\tx");
        assert_eq!(escape_formula("Aix"), "Aix");
        assert_eq!(escape_formula(""), "");
    }
}
