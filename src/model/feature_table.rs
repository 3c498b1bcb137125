//! A table of features for file exports: typed columns, one row per feature, an optional outline.

use geo::MultiPolygon;
use serde_json::Value;

/// The type of a column, as the export formats store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// 64-bit signed integer.
    Int,
    /// 64-bit float.
    Float,
    Bool,
    /// UTF-8 text.
    Text,
}

/// A named, typed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

/// One feature: its outline (WGS84, `None` when it has none) and one value per column, `null`
/// when absent. Values hold the column's kind: an integer, a number, a boolean or a string.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub geometry: Option<MultiPolygon<f64>>,
    pub values: Vec<Value>,
}

/// Features with the same columns, written by the export formats (CSV, GeoJSON, GeoParquet,
/// FlatGeobuf).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeatureTable {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
}
