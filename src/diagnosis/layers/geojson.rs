//! The one GeoJSON (RFC 7946) feature builder: features, collections and properties for the API
//! answers and the layers.

use geo::{Coord, MapCoords, MultiPolygon};
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

/// A feature without id, its geometry rounded to 1e-5° (about 1 m, the precision of the
/// sources); an empty geometry is null.
pub fn rounded_feature<T: serde::Serialize>(geometry: &MultiPolygon<f64>, value: &T) -> Feature {
    let geometry = geometry.map_coords(|c| Coord {
        x: (c.x * 1e5).round() / 1e5,
        y: (c.y * 1e5).round() / 1e5,
    });
    Feature {
        geometry: (!geometry.0.is_empty()).then(|| Geometry::from(&geometry)),
        properties: Some(properties(value)),
        ..Feature::default()
    }
}
