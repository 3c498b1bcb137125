//! Map layers as GeoJSON: the one feature builder, the registry, overlap and coverage layers, and
//! the collections the service publishes.

pub(crate) mod feature_layer;
pub mod geojson;
pub(crate) mod published;
pub(crate) mod registry_layers;
