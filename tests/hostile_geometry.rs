//! Property tests: hostile drawn territories (bow-ties, unclosed and short rings, holes outside
//! shells, NaN / infinite / out-of-range positions, antimeridian, whole world, empty geometries)
//! through the engine path the API and CLI use, and through the HTTP app. Bounded case counts.

mod common;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Request};
use cpts_atlas::diagnosis::{
    diagnose, DiagnosisContext, DiagnosisError, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::{
    drawn_from_geojson, geometry::equal_area, Atlas, DrawnLimits, RegistryIndex,
};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::TerritorySpec;
use geo::{BooleanOps, BoundingRect, MultiPolygon};
use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

/// Places rings are drawn around: Paris, Lyon, Marseille, Corsica, the Atlantic, the antimeridian.
const PLACES: [(f64, f64); 6] = [
    (2.35, 48.85),
    (4.84, 45.76),
    (5.37, 43.30),
    (9.15, 42.15),
    (-20.0, 45.0),
    (179.99, -17.0),
];

/// Values a hostile client may put in a position.
const SPECIAL: [f64; 8] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    180.000_001,
    -90.5,
    1e308,
    -0.0,
    180.0,
];

fn registry() -> &'static RegistryIndex {
    static REGISTRY: OnceLock<RegistryIndex> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        RegistryIndex::new(
            common::atlas(),
            cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
                .unwrap(),
        )
        .unwrap()
    })
}

fn national_population() -> u64 {
    common::atlas()
        .communes()
        .iter()
        .filter_map(|c| c.population)
        .sum()
}

/// A ring: random vertices around a place, with duplicates, collinear runs, spikes, special
/// values, closed or not, possibly with fewer than 4 positions.
fn ring() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (
        0..PLACES.len(),
        prop_oneof![Just(1e-4), Just(1e-2), Just(0.1), Just(1.0)],
        prop::collection::vec((-1.0..1.0f64, -1.0..1.0f64), 0..24),
        prop::collection::vec((any::<prop::sample::Index>(), 0..4u8), 0..4),
        prop::collection::vec((any::<prop::sample::Index>(), 0..SPECIAL.len()), 0..2),
        any::<bool>(),
    )
        .prop_map(|(place, radius, points, edits, specials, close)| {
            let (lon, lat) = PLACES[place];
            let mut ring: Vec<Vec<f64>> = points
                .iter()
                .map(|(x, y)| vec![lon + x * radius, lat + y * radius])
                .collect();
            for (at, edit) in edits {
                if ring.is_empty() {
                    break;
                }
                let i = at.index(ring.len());
                let p = ring[i].clone();
                match edit {
                    0 => ring.insert(i, p),                               // duplicate
                    1 => ring.insert(i, vec![p[0] + radius * 0.5, p[1]]), // collinear run
                    2 => ring
                        .splice(i..i, [vec![p[0], p[1] + 3.0 * radius], p.clone()])
                        .for_each(drop), // spike
                    _ => ring.insert(i, vec![p[0], p[1], 100.0]),         // a third coordinate
                }
            }
            for (at, value) in specials {
                if !ring.is_empty() {
                    let i = at.index(ring.len());
                    ring[i][i % 2] = SPECIAL[value];
                }
            }
            if close && !ring.is_empty() {
                ring.push(ring[0].clone());
            }
            ring
        })
}

/// A polygon: a shell and up to two holes (anywhere, so often outside the shell).
fn polygon() -> impl Strategy<Value = Vec<Vec<Vec<f64>>>> {
    prop::collection::vec(ring(), 0..3)
}

fn world_box() -> Vec<Vec<Vec<f64>>> {
    vec![vec![
        vec![-180.0, -90.0],
        vec![180.0, -90.0],
        vec![180.0, 90.0],
        vec![-180.0, 90.0],
        vec![-180.0, -90.0],
    ]]
}

/// A drawn territory as GeoJSON: Polygon, MultiPolygon, Feature, FeatureCollection or
/// GeometryCollection of hostile polygons, now and then the whole world or nothing.
fn hostile_geojson() -> impl Strategy<Value = GeoJson> {
    let polygons = prop_oneof![
        20 => prop::collection::vec(polygon(), 0..3),
        1 => Just(vec![world_box()]),
        1 => Just(vec![]),
    ];
    (polygons, 0..5u8).prop_map(|(polygons, wrap)| {
        let geometry = |value| Geometry::new(value);
        let multi = geometry(GeometryValue::new_multi_polygon(polygons.clone()));
        match wrap {
            0 => GeoJson::Geometry(geometry(GeometryValue::new_polygon(
                polygons.first().cloned().unwrap_or_default(),
            ))),
            1 => GeoJson::Geometry(multi),
            2 => GeoJson::Feature(Feature::from(multi)),
            3 => GeoJson::FeatureCollection(FeatureCollection::from_iter(
                polygons
                    .iter()
                    .map(|p| Feature::from(geometry(GeometryValue::new_polygon(p.clone())))),
            )),
            _ => GeoJson::Geometry(geometry(GeometryValue::new_geometry_collection(vec![
                multi,
            ]))),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    /// Never a panic: a diagnosis whose numbers are sane, or an error that says something.
    #[test]
    fn hostile_geometries_are_repaired_or_refused_by_the_engine(geojson in hostile_geojson()) {
        let atlas = common::atlas();
        let (geometry, _warnings) = match drawn_from_geojson(&geojson, &DrawnLimits::default()) {
            Ok(drawn) => drawn,
            Err(e) => {
                prop_assert!(e.to_string().len() > 10, "{e}");
                return Ok(());
            }
        };
        prop_assert!(geometry.0.iter().all(|p| p.exterior().0.iter().all(|c| c.x.is_finite() && c.y.is_finite())));
        let grid = FundingGrid::aci_2019();
        let options = DiagnosisOptions { grid: &grid, missions: Vec::new() };
        let context = DiagnosisContext::new(atlas).with_registry(Some(registry()));
        match atlas.resolve(&TerritorySpec::Drawn(geometry)).map_err(DiagnosisError::from).and_then(|r| diagnose(&context, r, &options)) {
            Ok(d) => {
                prop_assert!(d.population <= national_population());
                prop_assert!(d.population_estimated <= d.population);
                prop_assert!(d.area_km2.is_finite() && d.area_km2 >= 0.0);
                prop_assert!(!d.communes.is_empty());
                for m in &d.communes {
                    prop_assert!(atlas.find(&m.code).is_some(), "{} is not a commune", m.code);
                    prop_assert!((0.0..=1.0).contains(&m.coverage), "{}: {}", m.code, m.coverage);
                    prop_assert!(m.population_counted.is_finite() && m.population_counted >= 0.0);
                    prop_assert!(m.population_counted <= m.population as f64 + 0.5);
                }
            }
            Err(e) => prop_assert!(e.to_string().len() > 10, "{e}"),
        }
    }
}

/// A random, often self-intersecting ring of 4-10 vertices in a box of France's interior.
fn inland_ring() -> impl Strategy<Value = Vec<(f64, f64)>> {
    (
        (1.0..5.0f64, 45.5..48.0f64),
        prop::collection::vec((0.0..0.12f64, 0.0..0.08f64), 4..10),
    )
        .prop_map(|((lon, lat), points)| points.iter().map(|(x, y)| (lon + x, lat + y)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// After repair, each commune's coverage equals its exact intersection with the repaired
    /// territory (geo's boolean operations, no index), and inland the covered areas add up to the
    /// territory's area.
    #[test]
    fn repaired_territories_are_covered_like_brute_force(points in inland_ring()) {
        let ring: Vec<Vec<f64>> = points.iter().map(|&(x, y)| vec![x, y]).collect();
        let geojson = GeoJson::Geometry(Geometry::new(GeometryValue::new_polygon(vec![ring])));
        let Ok((drawn, _)) = drawn_from_geojson(&geojson, &DrawnLimits::default()) else {
            return Ok(()); // fewer than 3 distinct positions, or no area left
        };
        let atlas = common::atlas();
        let resolved = atlas.resolve(&TerritorySpec::Drawn(drawn.clone())).unwrap();
        let projected = equal_area::project(&drawn);
        let territory_km2 = equal_area::area_km2(&projected);
        let rect = drawn.bounding_rect().unwrap();
        let mut expected = Vec::new();
        for c in atlas.communes() {
            let Some(outline) = &c.geometry else { continue };
            let Some(r) = outline.bounding_rect() else { continue };
            if r.max().x < rect.min().x || r.min().x > rect.max().x || r.max().y < rect.min().y || r.min().y > rect.max().y {
                continue;
            }
            let outline: MultiPolygon<f64> = equal_area::project(outline);
            let coverage = equal_area::area_km2(&projected.intersection(&outline)) / equal_area::area_km2(&outline);
            if coverage >= 1e-6 {
                expected.push((c.code.clone(), coverage.min(1.0)));
            }
        }
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        let got: Vec<&str> = resolved.members.iter().map(|m| m.code.as_str()).collect();
        let want: Vec<&str> = expected.iter().map(|e| e.0.as_str()).collect();
        prop_assert_eq!(got, want);
        for (m, (code, coverage)) in resolved.members.iter().zip(&expected) {
            prop_assert!((m.coverage - coverage).abs() < 1e-6, "{}: {} vs {}", code, m.coverage, coverage);
        }
        let counted_km2: f64 = resolved.members.iter().filter_map(|m| m.area_km2).sum();
        // Communes tile the interior up to their simplified borders.
        prop_assert!((counted_km2 - territory_km2).abs() <= 0.01 * territory_km2 + 1e-3, "{} vs {}", counted_km2, territory_km2);
    }
}

fn router() -> axum::Router {
    static STATE: OnceLock<AppState> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas = Atlas::new(common::atlas().whole_geography());
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let registry = RegistryIndex::new(
            &atlas,
            cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
                .unwrap(),
        )
        .unwrap();
        AppState::new(
            atlas,
            FundingGrid::aci_2019(),
            registry,
            ServerConfig::default(),
        )
    });
    app(state.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Through the HTTP app: 200, or a 4xx with a JSON error naming the problem; never a 5xx.
    #[test]
    fn hostile_bodies_get_200_or_a_4xx_with_a_json_error(geojson in hostile_geojson(), garble in 0..4u8) {
        // JSON has no NaN or infinity: serde_json writes them as null.
        let mut body = serde_json::json!({"geometry": serde_json::to_value(&geojson).unwrap()}).to_string();
        match garble {
            0 => body.truncate(body.len() / 2),                      // cut short
            1 => body = body.replacen("coordinates", "coords", 1),  // misspelt member
            _ => {}
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (status, json) = runtime.block_on(async {
            let request = Request::post("/api/diagnosis?territory=none")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .unwrap();
            let response = router().oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
        });
        prop_assert!(status.is_success() || status.is_client_error(), "{status}: {json} for {body}");
        if status.is_client_error() {
            prop_assert!(json["error"]["code"].is_string(), "{json}");
            prop_assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{json}");
        } else {
            prop_assert!(json["population"].is_u64(), "{json}");
        }
    }
}
