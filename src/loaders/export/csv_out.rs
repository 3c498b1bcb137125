//! A feature table as `;`-separated CSV (UTF-8, decimal point, empty cells for nulls).

use serde_json::Value;

use crate::model::FeatureTable;

/// The CSV bytes of `table`: a header line with the column names, one line per row.
pub fn csv_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // Writing to a Vec cannot fail.
    writer
        .write_record(table.columns.iter().map(|c| &c.name))
        .expect("in memory");
    for row in &table.rows {
        writer
            .write_record(row.values.iter().map(cell))
            .expect("in memory");
    }
    writer.into_inner().expect("in memory")
}
