//! Geometry of the engine against brute force and independent computations.

mod common;

use common::{atlas, polygon_from_geojson, raw_json, shared_data, Rng};
use cpts_atlas::engine::geometry::equal_area;
use cpts_atlas::model::TerritorySpec;
use geo::orient::{Direction, Orient};
use geo::{BooleanOps, BoundingRect, GeodesicArea, MultiPolygon, Polygon};

#[test]
fn a_commune_outline_counts_that_communes_population() {
    let Some(shared) = shared_data("a_commune_outline_counts_that_communes_population") else {
        return;
    };
    let raw =
        raw_json(&shared.join("communes-2018-ign/communes-france-entiere-2018-simplifiee.geojson"));
    let features = raw["features"].as_array().unwrap();
    let populations = common::raw_populations(&shared);
    let mut rng = Rng(42);
    let mut checked = 0;
    while checked < 40 {
        let f = &features[rng.below(features.len())];
        let code = f["properties"]["code"].as_str().unwrap();
        // Only communes that still exist unchanged: same code, one 2018 polygon.
        let Some(&population) = populations.get(code) else {
            continue;
        };
        let Some(cpts_atlas::engine::CommuneRef::Commune(_)) = atlas().find(code) else {
            continue;
        };
        if atlas()
            .geography()
            .former_codes
            .iter()
            .any(|(_, new)| new == code)
            || population == 0
        {
            continue;
        }
        let outline = polygon_from_geojson(&f["geometry"]);
        let resolved = atlas().resolve(&TerritorySpec::Drawn(outline)).unwrap();
        let counted: f64 = resolved.members.iter().map(|m| m.population_counted).sum();
        let error = (counted - population as f64).abs() / population as f64;
        assert!(error < 0.01, "{code}: counted {counted} for {population}");
        let own = resolved.members.iter().find(|m| m.code == code).unwrap();
        assert!(own.coverage > 0.99, "{code}: coverage {}", own.coverage);
        checked += 1;
    }
}

#[test]
fn equal_area_matches_geodesic_area() {
    let mut rng = Rng(7);
    let communes = atlas().communes();
    for _ in 0..200 {
        let i = rng.below(communes.len());
        let Some(outline) = &communes[i].geometry else {
            continue;
        };
        // Karney's geodesic area wants counter-clockwise exteriors.
        let geodesic = outline.orient(Direction::Default).geodesic_area_unsigned() / 1e6;
        let ours = atlas().commune_area_km2(i).unwrap();
        assert!(
            (ours - geodesic).abs() / geodesic < 1e-3,
            "{}: {ours} km² vs geodesic {geodesic} km²",
            communes[i].code
        );
    }
}

#[test]
fn bbox_query_matches_brute_force() {
    let communes = atlas().communes();
    let rects: Vec<Option<geo::Rect<f64>>> = communes
        .iter()
        .map(|c| c.geometry.as_ref().and_then(|g| g.bounding_rect()))
        .collect();
    let mut rng = Rng(2026);
    for _ in 0..50 {
        let (lon, lat) = (rng.range(-1.5, 7.5), rng.range(42.5, 50.5));
        let (w, h) = (rng.range(0.01, 1.0), rng.range(0.01, 1.0));
        let mut got: Vec<usize> = atlas()
            .communes_in_bbox(lon, lat, lon + w, lat + h)
            .collect();
        got.sort();
        let expected: Vec<usize> = rects
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.is_some_and(|r| {
                    r.min().x <= lon + w
                        && r.max().x >= lon
                        && r.min().y <= lat + h
                        && r.max().y >= lat
                })
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(got, expected);
    }
}

/// Brute force: exact intersection with every commune, no index, no fast path.
fn brute_force_coverage(drawn: &MultiPolygon<f64>) -> Vec<(String, f64)> {
    let projected = equal_area::project(drawn);
    let mut out = Vec::new();
    for c in atlas().communes() {
        let Some(outline) = &c.geometry else { continue };
        let outline = equal_area::project(outline);
        let area = equal_area::area_km2(&outline);
        let covered = equal_area::area_km2(&projected.intersection(&outline));
        let coverage = covered / area;
        if coverage >= 1e-6 {
            out.push((c.code.clone(), coverage.min(1.0)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn drawn_coverage_matches_brute_force() {
    let mut rng = Rng(99);
    // Small polygons (edges scanned) and large ones (edges indexed in an R-tree).
    for vertices in [9, 9, 9, 40, 150, 400] {
        let (lon, lat) = (rng.range(-0.5, 6.0), rng.range(43.5, 49.0));
        let r = rng.range(0.05, 0.25);
        // A random star-shaped polygon: concave, with vertices inside communes.
        let ring: Vec<(f64, f64)> = (0..vertices)
            .map(|k| {
                let a = k as f64 / vertices as f64 * std::f64::consts::TAU;
                let rr = r * rng.range(0.4, 1.0);
                (lon + rr * a.cos() * 1.4, lat + rr * a.sin())
            })
            .collect();
        let drawn = MultiPolygon(vec![Polygon::new(ring.into(), vec![])]);
        let resolved = atlas()
            .resolve(&TerritorySpec::Drawn(drawn.clone()))
            .unwrap();
        let expected = brute_force_coverage(&drawn);
        assert_eq!(
            resolved.members.len(),
            expected.len(),
            "members at ({lon}, {lat})"
        );
        for (m, (code, coverage)) in resolved.members.iter().zip(&expected) {
            assert_eq!(&m.code, code);
            // i_overlay snaps to an integer grid: agreement to 1e-6 of the commune's area.
            assert!(
                (m.coverage - coverage).abs() < 1e-6,
                "{code}: {} vs {coverage}",
                m.coverage
            );
        }
    }
}

#[test]
fn partial_communes_are_estimates_and_areas_add_up() {
    // A 0.2° box around Aix-en-Provence: Aix partly covered, the box area equals the counted area.
    let ring = vec![
        (5.35, 43.45),
        (5.55, 43.45),
        (5.55, 43.60),
        (5.35, 43.60),
        (5.35, 43.45),
    ];
    let drawn = MultiPolygon(vec![Polygon::new(ring.into(), vec![])]);
    let box_km2 = equal_area::area_km2(&equal_area::project(&drawn));
    let resolved = atlas().resolve(&TerritorySpec::Drawn(drawn)).unwrap();
    let aix = resolved.members.iter().find(|m| m.code == "13001").unwrap();
    assert!(aix.estimated && aix.coverage < 1.0 && aix.coverage > 0.2);
    let counted_km2: f64 = resolved.members.iter().filter_map(|m| m.area_km2).sum();
    // Inland box: communes tile it, so their covered areas add up to the box (simplified borders).
    assert!(
        (counted_km2 - box_km2).abs() / box_km2 < 0.005,
        "{counted_km2} vs {box_km2}"
    );
}

#[test]
fn dataset_outlines_count_their_commune_only() {
    // The commune's own (dissolved, shipped) outline as the territory: shared borders with the
    // neighbours are touching, not coverage.
    for code in ["06088", "13001", "75056", "69123", "2A004", "97411"] {
        let Some(cpts_atlas::engine::CommuneRef::Commune(i)) = atlas().find(code) else {
            panic!("{code}")
        };
        let outline = atlas().commune(i).geometry.clone().unwrap();
        let resolved = atlas().resolve(&TerritorySpec::Drawn(outline)).unwrap();
        let population = atlas().commune(i).population.unwrap() as f64;
        let counted: f64 = resolved.members.iter().map(|m| m.population_counted).sum();
        assert!(
            (counted - population).abs() / population < 1e-3,
            "{code}: {counted} vs {population}: {:?}",
            resolved
                .members
                .iter()
                .map(|m| (&m.code, m.coverage))
                .collect::<Vec<_>>()
        );
    }
}

/// The shipped outline measures and adjacency are current (stored for this very `france.cpat`)
/// and give, to the bit, what the atlas computes from the outlines; another geography's file is
/// ignored and a damaged one refused with its path.
#[test]
fn stored_outline_measures_are_those_computed() {
    use cpts_atlas::loaders::geography::{dataset, measures, read_atlas_sources};
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let stored = read_atlas_sources(&data).unwrap();
    let stored_measures = stored
        .measures
        .clone()
        .expect("data/france-measures.cpat is missing or stale: cpts-atlas import --measures-only");
    let mut computed = read_atlas_sources(&data).unwrap();
    computed.measures = None;
    let computed = cpts_atlas::engine::Atlas::new(computed);
    let with_stored = cpts_atlas::engine::Atlas::new(stored);
    let bits = |m: &cpts_atlas::model::OutlineMeasures| {
        let mut b: Vec<u64> = m.projected_box.iter().map(|v| v.to_bits()).collect();
        b.push(m.area_km2.to_bits());
        b.extend(
            m.centroid
                .iter()
                .flat_map(|c| [c.0.to_bits(), c.1.to_bits()]),
        );
        b
    };
    let expected = computed.stored_measures();
    assert_eq!(expected.outlines.len(), stored_measures.outlines.len());
    assert!(expected.outlines.iter().filter(|m| m.is_some()).count() > 34_000);
    for (i, (e, s)) in expected
        .outlines
        .iter()
        .zip(&stored_measures.outlines)
        .enumerate()
    {
        assert_eq!(e.as_ref().map(bits), s.as_ref().map(bits), "commune {i}");
        assert_eq!(
            computed.commune_area_km2(i).map(f64::to_bits),
            with_stored.commune_area_km2(i).map(f64::to_bits)
        );
        assert_eq!(
            computed.commune_centroid(i),
            with_stored.commune_centroid(i)
        );
        let row = |a: &cpts_atlas::engine::Atlas| -> Vec<(usize, u64)> {
            a.adjacency()
                .neighbours(i)
                .iter()
                .map(|n| (n.commune, n.border_km.to_bits()))
                .collect()
        };
        assert_eq!(
            row(&computed),
            row(&with_stored),
            "neighbours of commune {i}"
        );
    }
    assert!(computed.adjacency().pair_count() > 90_000);
    let checksum = dataset::geography_checksum(&data.join(dataset::GEOGRAPHY_FILE)).unwrap();
    let dir = std::env::temp_dir().join(format!("cpts-measures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(measures::MEASURES_FILE);
    measures::write_measures(&path, checksum ^ 1, &stored_measures).unwrap();
    assert!(measures::read_measures(&path, checksum).unwrap().is_none());
    measures::write_measures(&path, checksum, &stored_measures).unwrap();
    assert_eq!(
        measures::read_measures(&path, checksum).unwrap().as_ref(),
        Some(&stored_measures)
    );
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    let error = measures::read_measures(&path, checksum)
        .unwrap_err()
        .to_string();
    assert!(error.contains("france-measures.cpat"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}
