//! Builds GeoJSON (RFC 7946) features from the atlas for API answers.

use geo::MultiPolygon;
use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use serde_json::Value;

/// A feature with a string id, a geometry (or null) and properties.
pub fn feature(id: &str, geometry: Option<&MultiPolygon<f64>>, properties: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: geometry.map(Geometry::from),
        id: Some(geojson::feature::Id::String(id.to_string())),
        properties: Some(properties),
        foreign_members: None,
    }
}

/// Wraps features into a collection.
pub fn collection(features: Vec<Feature>) -> FeatureCollection {
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
}

/// A JSON object from a serializable value (a struct of properties).
pub fn properties<T: serde::Serialize>(value: &T) -> JsonObject {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => JsonObject::new(),
    }
}
