//! The layers the service publishes as collections (OGC API - Features), built once: the
//! communes, the registry of CPTS, their overlaps, the communes no CPTS covers; and the layer of
//! saved territories, built from the store when asked.

use geojson::{Feature, Geometry, JsonObject};
use serde_json::{json, Value};

use crate::diagnosis::layers::feature_layer::{CommuneLayer, FeatureLayer};
use crate::diagnosis::layers::registry_layers::{overlaps_layer, registry_layer};
use crate::diagnosis::overlaps::registry_overlaps;
use crate::engine::{Atlas, CommuneRef, CoverageScope, DrawnLimits, RegistryIndex};
use crate::model::SavedTerritory;

/// The published layers derived from the atlas and the registry.
pub struct PublishedLayers {
    /// Every commune: `code`, `name`, `population`, `departement`, `region`, `epci`.
    pub communes: CommuneLayer,
    /// The registry, as `/api/cpts` (id: the CPTS id).
    pub cpts: FeatureLayer,
    /// Overlapping pairs, as `/api/overlaps` (id: `first+second`).
    pub overlaps: FeatureLayer,
    /// Communes of France no CPTS covers (`status: uncovered`) or covers in part
    /// (`partly_covered`), as `/api/coverage` (id: the commune code).
    pub uncovered: CommuneLayer,
}

impl PublishedLayers {
    /// Builds every layer (the registry's overlaps and coverage are computed here, once).
    pub fn build(atlas: &Atlas, registry: &RegistryIndex) -> Self {
        let communes = CommuneLayer::new(
            atlas,
            atlas.communes().iter().enumerate().map(|(i, c)| {
                let properties = json!({
                    "code": c.code,
                    "name": c.name,
                    "population": c.population,
                    "departement": c.departement,
                    "region": c.region,
                    "epci": c.epci,
                });
                (i, object(properties))
            }),
        );
        let cpts = FeatureLayer::new(registry_layer(atlas, registry).features, |f| text(f, "id"));
        let pairs = registry_overlaps(atlas, registry);
        let overlaps = FeatureLayer::new(overlaps_layer(atlas, registry, &pairs).features, |f| {
            let id = |side: &str| {
                f.property(side)
                    .and_then(|s| s.get("id"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            format!("{}+{}", id("first"), id("second"))
        });
        let uncovered = match registry.coverage(atlas, &CoverageScope::All) {
            Ok(report) => {
                let with_status = |code: &str, value: Value, status: &str| {
                    let mut properties = object(value);
                    properties.insert("status".into(), status.into());
                    match atlas.find(code) {
                        Some(CommuneRef::Commune(i)) => Some((i, properties)),
                        _ => None,
                    }
                };
                let uncovered = report
                    .uncovered
                    .iter()
                    .filter_map(|c| with_status(&c.code, json!(c), "uncovered"));
                let partly = report
                    .partly_covered
                    .iter()
                    .filter_map(|c| with_status(&c.code, json!(c), "partly_covered"));
                CommuneLayer::new(atlas, uncovered.chain(partly).collect::<Vec<_>>())
            }
            // Scope `All` always exists.
            Err(_) => CommuneLayer::new(atlas, []),
        };
        Self {
            communes,
            cpts,
            overlaps,
            uncovered,
        }
    }
}

/// Saved territories as a layer (id: the territory id): `id`, `name`, `author` (absent when
/// empty: authors are withheld from anonymous readers), `missions`, `created_at`, `updated_at`,
/// `population`, `commune_count`, and the outline (the drawn polygon, else the union of the
/// communes); a territory that no longer resolves keeps its row with an `error` and no geometry.
pub fn territories_layer(
    atlas: &Atlas,
    saved: &[SavedTerritory],
    limits: &DrawnLimits,
) -> FeatureLayer {
    let features = saved
        .iter()
        .map(|t| {
            let mut properties = object(json!({
                "id": t.id,
                "name": t.name,
                "missions": t.missions,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
            }));
            if !t.author.is_empty() {
                properties.insert("author".into(), json!(t.author));
            }
            let geometry = match atlas.resolve_raw(&t.spec, limits) {
                Ok(resolved) => {
                    let population = resolved.population.round() as u64;
                    properties.insert("population".into(), json!(population));
                    properties.insert("commune_count".into(), json!(resolved.members.len()));
                    let outline = match resolved.drawn {
                        Some(geometry) => geometry,
                        None => {
                            atlas.communes_outline(resolved.members.iter().map(|m| m.commune_index))
                        }
                    };
                    (!outline.0.is_empty()).then(|| Geometry::from(&outline))
                }
                Err(error) => {
                    properties.insert("error".into(), error.to_string().into());
                    None
                }
            };
            Feature {
                geometry,
                properties: Some(properties),
                ..Feature::default()
            }
        })
        .collect();
    FeatureLayer::new(features, |f| text(f, "id"))
}

fn object(value: Value) -> JsonObject {
    match value {
        Value::Object(map) => map,
        _ => JsonObject::new(),
    }
}

/// A property as text (strings as they are, numbers written out).
fn text(feature: &Feature, name: &str) -> String {
    match feature.property(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}
