//! A feature table as a GeoJSON FeatureCollection (RFC 7946), the columns as properties.

use serde_json::{json, Map, Value};

use crate::model::FeatureTable;

/// The GeoJSON bytes of `table`; rows without outline have a null geometry.
pub fn geojson_bytes(table: &FeatureTable) -> Vec<u8> {
    let features: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let properties: Map<String, Value> = table
                .columns
                .iter()
                .map(|c| c.name.clone())
                .zip(row.values.iter().cloned())
                .collect();
            let geometry = row
                .geometry
                .as_ref()
                .map(|g| json!(geojson::Geometry::from(g)))
                .unwrap_or(Value::Null);
            json!({"type": "Feature", "properties": properties, "geometry": geometry})
        })
        .collect();
    serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features}))
        .expect("JSON values serialize")
}
