//! Hospitals around a territory, checked against distances computed here from the raw eurostat
//! FINESS list and the raw IGN outlines; FINESS etalab (Lambert-93) against eurostat (WGS84).

mod health_common;

use cpts_atlas::diagnosis::health::hospitals::hospitals;
use cpts_atlas::engine::geometry::great_circle::distance_km;
use cpts_atlas::loaders::geography::codes::CurrentCodes;
use cpts_atlas::loaders::health::finess::load_etalab_finess;
use cpts_atlas::model::TerritorySpec;
use health_common::*;

/// Second-line categories, written here from the FINESS labels: all but psychiatric, SSR and
/// long-term care.
fn second_line(category: &str) -> bool {
    let c = category.to_lowercase();
    !["mentales", "ssr", "longue dur"]
        .iter()
        .any(|k| c.contains(k))
}

/// (finess, lon, lat, second line) of every eurostat hospital.
fn raw_hospitals(shared: &std::path::Path) -> Vec<(String, f64, f64, bool)> {
    let text =
        std::fs::read_to_string(shared.join("directories/eurostat_hospitals_FR_finess2020.csv"))
            .unwrap();
    let mut lines = text.lines();
    let header = split_quoted(lines.next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (id, lat, lon, category) = (col("id"), col("lat"), col("lon"), col("facility_type"));
    lines
        .map(|l| {
            let f = split_quoted(l);
            (
                format!("{:0>9}", f[id]),
                f[lon].parse().unwrap(),
                f[lat].parse().unwrap(),
                second_line(&f[category]),
            )
        })
        .collect()
}

/// Vertices of a commune from the raw IGN 2018 outlines of its département.
fn raw_vertices(shared: &std::path::Path, code: &str) -> Vec<(f64, f64)> {
    let dep = &code[..2];
    let dir = shared.join("communes-2018-ign/departements");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("communes-{dep}-"))
        })
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let feature = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["code"] == code)
        .unwrap();
    fn walk(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
        match v.as_array() {
            Some(a) if a.len() == 2 && a[0].is_number() => {
                out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
            }
            Some(a) => a.iter().for_each(|x| walk(x, out)),
            None => {}
        }
    }
    let mut out = Vec::new();
    walk(&feature["geometry"]["coordinates"], &mut out);
    out
}

#[test]
fn ile_de_sein_is_flagged_and_caen_is_not() {
    let Some(shared) = shared("ile_de_sein_is_flagged") else {
        return;
    };
    let raw = raw_hospitals(&shared);
    let vertices = raw_vertices(&shared, "29083");
    let nearest = |second_line_only: bool| {
        raw.iter()
            .filter(|h| h.3 || !second_line_only)
            .map(|h| {
                vertices
                    .iter()
                    .map(|&v| distance_km(v, (h.1, h.2)))
                    .fold(f64::INFINITY, f64::min)
            })
            .fold(f64::INFINITY, f64::min)
    };
    let nearest_second_line = nearest(true);
    assert!(nearest_second_line > 31.0, "{nearest_second_line}");

    let (atlas, health) = loaded();
    let resolve = |c: &str| {
        atlas
            .resolve(&TerritorySpec::Codes(vec![c.into()]))
            .unwrap()
            .members
    };
    let sein = hospitals(atlas, health, &resolve("29083"));
    let sein = sein.get().unwrap();
    assert!(sein.no_second_line_within_30_km);
    assert!(sein.inside.is_empty());
    // The nearest establishment listed is at the distance computed from the raw vertices: not
    // farther (an edge is never farther than its vertices; 0.5 % for the local plane the
    // engine measures in) and not much nearer.
    let nearest_any = nearest(false);
    let listed = sein.nearest_outside[0].distance_km;
    assert!(
        listed <= nearest_any * 1.005 && listed > nearest_any - 1.0,
        "{listed} vs {nearest_any}"
    );

    let caen = hospitals(atlas, health, &resolve("14118"));
    let caen = caen.get().unwrap();
    assert!(!caen.no_second_line_within_30_km);
    assert!(caen
        .inside
        .iter()
        .any(|h| h.name.contains("CHU") || h.category.contains("C.H.R")));
    assert!(caen.inside.iter().all(|h| h.distance_km == 0.0));
}

#[test]
fn etalab_lambert93_coordinates_agree_with_eurostat_wgs84() {
    let Some(shared) = shared("etalab_lambert93_coordinates") else {
        return;
    };
    let (atlas, _) = loaded();
    let codes = CurrentCodes::new(atlas.geography());
    let (etalab, without) = load_etalab_finess(
        &shared.join("directories/sample_FINESS_etalab_cs1100507_100rows_2020-12-31.csv"),
        &codes,
    )
    .unwrap();
    assert_eq!(etalab.len() + without, 100);
    // The same establishments in eurostat's March 2020 list: most at the same point; a few
    // were re-geocoded at another address between the two extracts (up to a few km).
    let distances: Vec<f64> = raw_hospitals(&shared)
        .iter()
        .filter_map(|(id, lon, lat, _)| {
            let e = etalab.iter().find(|e| &e.finess == id)?;
            Some(distance_km((e.lon, e.lat), (*lon, *lat)))
        })
        .collect();
    assert!(distances.len() >= 10, "{distances:?}");
    let same_point = distances.iter().filter(|d| **d < 0.1).count();
    assert!(same_point * 2 > distances.len(), "{distances:?}");
    assert!(
        distances.iter().filter(|d| **d < 0.001).count() >= 2,
        "{distances:?}"
    );
    assert!(distances.iter().all(|d| *d < 5.0), "{distances:?}");
    assert!(etalab.iter().all(|e| e.commune.is_some()));
}

/// The Lambert-93 coordinates of the 100 etalab rows, reprojected by GDAL (the fixture, made by
/// `gdaltransform -s_srs EPSG:2154 -t_srs EPSG:4326` outside the project): the loader agrees to
/// 1e-7° (about 1 cm) on every row.
#[test]
fn etalab_lambert93_coordinates_match_gdal() {
    let Some(shared) = shared("etalab_lambert93_coordinates_match_gdal") else {
        return;
    };
    let (atlas, _) = loaded();
    let codes = CurrentCodes::new(atlas.geography());
    let (etalab, without) = load_etalab_finess(
        &shared.join("directories/sample_FINESS_etalab_cs1100507_100rows_2020-12-31.csv"),
        &codes,
    )
    .unwrap();
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/finess-etalab-100-wgs84-gdaltransform.txt"),
    )
    .unwrap();
    let expected: Vec<(&str, f64, f64)> = fixture
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0], f[1].parse().unwrap(), f[2].parse().unwrap())
        })
        .collect();
    assert_eq!((expected.len(), etalab.len(), without), (100, 100, 0));
    for (finess, lon, lat) in expected {
        let e = etalab.iter().find(|e| e.finess == finess).unwrap();
        assert!(
            (e.lon - lon).abs() < 1e-7 && (e.lat - lat).abs() < 1e-7,
            "{finess}: ({}, {}), GDAL says ({lon}, {lat})",
            e.lon,
            e.lat
        );
    }
}

/// Every establishment of the loaded list measured against every member outline with geo's
/// own point-to-polygon distance (in the same local plane), then sorted and cut as the
/// indicator promises: the pruned search must give exactly this.
fn brute_force(
    atlas: &cpts_atlas::engine::Atlas,
    health: &cpts_atlas::engine::HealthAtlas,
    communes: &[usize],
) -> (Vec<String>, Vec<(String, f64)>, usize) {
    use geo::{Distance, Euclidean, MapCoords, Point};
    let index = health.establishments().unwrap();
    let members: std::collections::BTreeSet<usize> = communes.iter().copied().collect();
    let (mut inside, mut outside, mut second_line) = (Vec::new(), Vec::new(), 0);
    for (i, e) in index.list().establishments.iter().enumerate() {
        let d = if index.commune_of(i).is_some_and(|c| members.contains(&c)) {
            0.0
        } else {
            let k = 6_371.008_8 * std::f64::consts::PI / 180.0;
            let cos0 = e.lat.to_radians().cos();
            communes
                .iter()
                .filter_map(|&c| atlas.commune(c).geometry.as_ref())
                .map(|g| {
                    let local = g.map_coords(|c| geo::Coord {
                        x: (c.x - e.lon) * k * cos0,
                        y: (c.y - e.lat) * k,
                    });
                    Euclidean.distance(&Point::new(0.0, 0.0), &local)
                })
                .fold(f64::INFINITY, f64::min)
        };
        if e.is_second_line() && d <= 30.0 {
            second_line += 1;
        }
        if d == 0.0 {
            inside.push(e.finess.clone());
        } else if d <= 100.0 {
            outside.push((e.finess.clone(), d));
        }
    }
    inside.sort();
    outside.sort_by(|a, b| a.1.total_cmp(&b.1));
    outside.truncate(5);
    (inside, outside, second_line)
}

#[test]
fn pruned_search_equals_brute_force() {
    let (atlas, health) = loaded();
    let drawn: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("benches/fixtures/drawn-50.geojson"),
        )
        .unwrap(),
    )
    .unwrap();
    let drawn = atlas
        .resolve(&TerritorySpec::Drawn(
            cpts_atlas::engine::drawn_from_geojson(
                &drawn["geometry"].to_string().parse().unwrap(),
                &Default::default(),
            )
            .unwrap()
            .0,
        ))
        .unwrap()
        .members;
    let bayeux_area = atlas
        .resolve(&TerritorySpec::Codes(
            ["14047", "14370", "14406", "14280", "14543", "14059"]
                .map(String::from)
                .to_vec(),
        ))
        .unwrap()
        .members;
    let sein = atlas
        .resolve(&TerritorySpec::Codes(vec!["29083".into()]))
        .unwrap()
        .members;
    for members in [drawn, bayeux_area, sein] {
        let communes: Vec<usize> = members.iter().map(|m| m.commune_index).collect();
        let (inside, outside, second_line) = brute_force(atlas, health, &communes);
        let access = hospitals(atlas, health, &members);
        let access = access.get().unwrap();
        let mut got_inside: Vec<String> = access.inside.iter().map(|h| h.finess.clone()).collect();
        got_inside.sort();
        assert_eq!(got_inside, inside);
        assert_eq!(access.nearest_outside.len(), outside.len());
        for (h, (finess, d)) in access.nearest_outside.iter().zip(&outside) {
            assert_eq!(&h.finess, finess);
            assert!((h.distance_km - d).abs() < 1e-9, "{} vs {d}", h.distance_km);
        }
        assert_eq!(access.second_line_within_30_km, second_line);
    }
}
