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
    /// `true` or `false`.
    Bool,
    /// UTF-8 text.
    Text,
}

/// A named, typed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name, written as the header or field name.
    pub name: String,
    /// How its values are typed in binary formats.
    pub kind: ColumnKind,
}

/// One feature: its outline (WGS84, `None` when it has none) and one value per column, `null`
/// when absent. Values hold the column's kind: an integer, a number, a boolean or a string.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Outline, WGS84; `None` when the feature has none.
    pub geometry: Option<MultiPolygon<f64>>,
    /// One value per column, in column order (`null` when absent).
    pub values: Vec<Value>,
}

/// Features with the same columns, written by the export formats (CSV, GeoJSON, GeoParquet,
/// FlatGeobuf).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeatureTable {
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The features.
    pub rows: Vec<TableRow>,
}
