//! A feature table from GeoJSON features: columns and their kinds inferred from the properties.

use geojson::Feature;
use serde_json::Value;

use crate::model::{Column, ColumnKind, FeatureTable, TableRow};

/// The table of `features`: one column per property name, in order of first appearance (a
/// feature's properties are in alphabetical order: serde_json sorts object keys), of the
/// narrowest kind holding every value (integers, then floats, booleans, else text; a column of
/// nulls only is text). Lists of scalars become text joined by `", "`, objects their JSON text.
/// Polygon and MultiPolygon geometries are kept, others dropped.
pub fn table_from_features(features: &[Feature]) -> FeatureTable {
    let mut names: Vec<String> = Vec::new();
    for f in features {
        for key in f.properties.iter().flat_map(|p| p.keys()) {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    let cell = |f: &Feature, name: &str| -> Value {
        f.properties
            .as_ref()
            .and_then(|p| p.get(name))
            .map(flatten)
            .unwrap_or(Value::Null)
    };
    let columns: Vec<Column> = names
        .iter()
        .map(|name| Column {
            name: name.clone(),
            kind: kind_of(features.iter().map(|f| cell(f, name))),
        })
        .collect();
    let rows = features
        .iter()
        .map(|f| TableRow {
            geometry: f
                .geometry
                .clone()
                .and_then(|g| crate::loaders::multipolygon(g).ok()),
            values: columns
                .iter()
                .map(|c| conform(cell(f, &c.name), c.kind))
                .collect(),
        })
        .collect();
    FeatureTable { columns, rows }
}

/// Lists and objects as text; scalars as they are.
fn flatten(value: &Value) -> Value {
    match value {
        Value::Array(items) if items.is_empty() => Value::Null,
        Value::Array(items) => Value::String(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Value::Object(_) => Value::String(value.to_string()),
        other => other.clone(),
    }
}

/// The narrowest kind holding every non-null value.
fn kind_of(values: impl Iterator<Item = Value>) -> ColumnKind {
    let mut kind: Option<ColumnKind> = None;
    for v in values {
        let this = match &v {
            Value::Null => continue,
            Value::Bool(_) => ColumnKind::Bool,
            Value::Number(n) if n.is_i64() || n.is_u64() => ColumnKind::Int,
            Value::Number(_) => ColumnKind::Float,
            _ => ColumnKind::Text,
        };
        kind = Some(match (kind, this) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(ColumnKind::Int), ColumnKind::Float)
            | (Some(ColumnKind::Float), ColumnKind::Int) => ColumnKind::Float,
            _ => ColumnKind::Text,
        });
    }
    kind.unwrap_or(ColumnKind::Text)
}

/// A value converted to a column's kind (numbers of a float column as floats, anything in a
/// text column as text).
pub(super) fn conform(value: Value, kind: ColumnKind) -> Value {
    match (value, kind) {
        (Value::Null, _) => Value::Null,
        (Value::Number(n), ColumnKind::Float) => n.as_f64().map(Value::from).unwrap_or(Value::Null),
        (Value::String(s), ColumnKind::Text) => Value::String(s),
        (other, ColumnKind::Text) => Value::String(other.to_string()),
        (other, _) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feature(properties: Value) -> Feature {
        Feature {
            properties: properties.as_object().cloned(),
            ..Feature::default()
        }
    }

    #[test]
    fn infers_kinds_and_flattens_lists() {
        let table = table_from_features(&[
            feature(json!({"id": "a", "population": 10, "area": 1, "members": ["1", "2"]})),
            feature(json!({"id": "b", "population": null, "area": 2.5, "ok": true})),
        ]);
        let kinds: Vec<_> = table
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("area", ColumnKind::Float),
                ("id", ColumnKind::Text),
                ("members", ColumnKind::Text),
                ("population", ColumnKind::Int),
                ("ok", ColumnKind::Bool)
            ]
        );
        assert_eq!(table.rows[0].values[0], json!(1.0));
        assert_eq!(table.rows[0].values[2], json!("1, 2"));
        assert_eq!(table.rows[0].values[4], Value::Null);
    }
}
