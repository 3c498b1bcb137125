//! Map layers and saved-territory checks on the shipped data (no raw sources needed).

use std::path::{Path, PathBuf};

use cpts_atlas::diagnosis::{
    candidate_overlaps, candidate_overlaps_layer, coverage_layer, overlaps_layer, registry_layer,
    registry_overlaps, saved_territory_overlaps, DiagnosisError,
};
use cpts_atlas::engine::{Atlas, CoverageScope, OverlapKind, RegistryIndex};
use cpts_atlas::loaders::registry::{load_registry, DEFAULT_REGISTRY_FILE};
use cpts_atlas::model::{RawTerritory, TerritoryDraft, TerritorySpec};
use cpts_atlas::store::TerritoryStore;
use geo::Area;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn setup() -> (Atlas, RegistryIndex) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    (atlas, registry)
}

#[test]
fn layers_have_one_feature_per_item_with_geometry() {
    let (atlas, registry) = setup();
    let listed = load_registry(&data_dir().join(DEFAULT_REGISTRY_FILE)).unwrap();
    let layer = registry_layer(&atlas, &registry);
    assert_eq!(layer.features.len(), listed.cpts.len());
    for (f, c) in layer.features.iter().zip(&listed.cpts) {
        assert_eq!(
            f.property("name").and_then(|v| v.as_str()),
            Some(c.name.as_str())
        );
        assert!(f.geometry.is_some(), "{}", c.name);
        assert!(f.property("tier").is_some() && f.property("population").is_some());
    }
    // Marseille CPTS hold arrondissements: drawn as their arrondissements' outlines (dissolved
    // from the IRIS), not approximated by the whole commune.
    let plateau = layer
        .features
        .iter()
        .find(|f| f.property("name").and_then(|v| v.as_str()) == Some("CPTS du Plateau"))
        .unwrap();
    assert_eq!(
        plateau.property("approximate").unwrap(),
        &serde_json::json!([])
    );
    let drawn: geo::MultiPolygon<f64> = plateau.geometry.clone().unwrap().try_into().unwrap();
    let expected = atlas.arrondissement_outline("13206").unwrap();
    assert!((drawn.unsigned_area() / expected.unsigned_area() - 1.0).abs() < 1e-9);

    let pairs = registry_overlaps(&atlas, &registry);
    let layer = overlaps_layer(&atlas, &registry, &pairs);
    assert_eq!(layer.features.len(), pairs.len());
    assert!(layer.features.iter().all(|f| f.geometry.is_some()));

    let report = registry
        .coverage(&atlas, &CoverageScope::Region("93".into()))
        .unwrap();
    let layer = coverage_layer(&atlas, &report);
    assert_eq!(
        layer.features.len(),
        report.uncovered.len() + report.partly_covered.len()
    );
    let uncovered = layer
        .features
        .iter()
        .filter(|f| f.property("status").and_then(|v| v.as_str()) == Some("uncovered"))
        .count();
    assert_eq!(uncovered, report.uncovered_communes);
}

#[test]
fn candidate_layer_clips_shared_communes_to_the_drawing() {
    let (atlas, registry) = setup();
    // A small square over the east of Aix-en-Provence.
    let square = geo::MultiPolygon(vec![geo::Polygon::new(
        geo::LineString::from(vec![
            (5.45, 43.52),
            (5.50, 43.52),
            (5.50, 43.55),
            (5.45, 43.55),
        ]),
        vec![],
    )]);
    let spec = TerritorySpec::Drawn(square);
    let resolved = atlas.resolve(&spec).unwrap();
    let overlaps = candidate_overlaps(&atlas, &registry, &resolved);
    let aix = overlaps
        .iter()
        .find(|o| o.name == "CPTS Aix Sainte Victoire")
        .unwrap();
    assert_eq!(aix.overlap.kind, OverlapKind::Conflict);
    let layer = candidate_overlaps_layer(&atlas, &registry, resolved.drawn.as_ref(), &overlaps);
    let geometry: geo::Geometry<f64> = layer.features[0]
        .geometry
        .clone()
        .unwrap()
        .try_into()
        .unwrap();
    use geo::BoundingRect;
    let r = geometry.bounding_rect().unwrap();
    assert!(
        r.min().x >= 5.45 - 1e-5 && r.max().x <= 5.50 + 1e-5,
        "{r:?}"
    );
}

#[test]
fn saved_territories_are_checked_as_candidates() {
    let (atlas, registry) = setup();
    let store = TerritoryStore::open_in_memory().unwrap();
    let draft = |name: &str, spec| TerritoryDraft {
        name: name.into(),
        spec,
        missions: vec![],
        author: "porteur".into(),
    };
    let by_codes = store
        .create(&draft(
            "Aix",
            RawTerritory::Codes(vec!["13001".into(), "13111".into()]),
        ))
        .unwrap();
    let drawn = store
        .create(&draft(
            "Carré",
            RawTerritory::Geojson(serde_json::json!({"type": "Polygon", "coordinates":
                [[[5.45, 43.52], [5.50, 43.52], [5.50, 43.55], [5.45, 43.55], [5.45, 43.52]]]})),
        ))
        .unwrap();
    let unknown = store
        .create(&draft("Inconnu", RawTerritory::Codes(vec!["99999".into()])))
        .unwrap();
    let names = |id| -> Vec<String> {
        saved_territory_overlaps(&atlas, &registry, &store.get(id).unwrap())
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect()
    };
    assert_eq!(names(by_codes.id), ["CPTS Aix Sainte Victoire"]);
    assert!(names(drawn.id).contains(&"CPTS Aix Sainte Victoire".to_string()));
    assert!(matches!(
        saved_territory_overlaps(&atlas, &registry, &unknown),
        Err(DiagnosisError::Territory(_))
    ));
    // Saved territories never join the registry.
    assert_eq!(registry.cpts().len(), 70);
}
