//! The national IRIS layer (`iris-france/`): populations, arrondissement outlines, dasymetric
//! counts of drawn polygons in Toulouse, and batch == API, checked against the raw GeoJSON files
//! read independently here (serde_json + geo, none of the loader's code).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{atlas, polygon_from_geojson, raw_json, raw_populations, shared_data};
use cpts_atlas::diagnosis::{
    diagnose, diagnose_batch, BatchOptions, Diagnosis, DiagnosisContext, DiagnosisOptions,
    FundingGrid,
};
use cpts_atlas::engine::{geometry::equal_area, CommuneRef, OverlapKind, RegistryIndex};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::{BatchSource, BatchTerritory, CountingMethod, ListedCode, TerritorySpec};
use geo::orient::{Direction, Orient};
use geo::{polygon, unary_union, MultiPolygon, Polygon};

fn km2(g: &MultiPolygon<f64>) -> f64 {
    equal_area::area_km2(&equal_area::project(g))
}

fn run(spec: &TerritorySpec) -> Diagnosis {
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    diagnose(
        &DiagnosisContext::new(atlas()),
        atlas().resolve(spec).expect("resolves"),
        &options,
    )
    .expect("diagnosis")
}

/// The raw features of one département file: (code_iris, code_commune, population, geometry).
fn raw_iris(
    shared: &Path,
    departement: &str,
) -> Vec<(String, String, Option<f64>, serde_json::Value)> {
    raw_json(&shared.join(format!(
        "iris-france/departements_iris/{departement}.geojson"
    )))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["code_iris"].as_str().unwrap().to_string(),
                p["code_commune"].as_str().unwrap().to_string(),
                p["population"].as_f64(),
                f["geometry"].clone(),
            )
        })
        .collect()
}

#[test]
fn every_communes_iris_populations_sum_to_its_rp_2019_population() {
    let Some(shared) = shared_data("every_communes_iris_populations_sum_to_its_rp_2019_population")
    else {
        return;
    };
    let a = atlas();
    let mut layer: HashMap<&str, (f64, usize)> = HashMap::new();
    for iris in &a.iris_layer().iris {
        let e = layer.entry(&iris.code[..5]).or_default();
        e.0 += iris.population.unwrap_or(f64::NAN);
        e.1 += 1;
    }
    let legal = raw_populations(&shared);
    let (mut communes, mut split) = (0, 0);
    for departement in ["13", "31", "33", "59", "69", "75", "2A"] {
        let mut raw: HashMap<String, (f64, usize, bool)> = HashMap::new();
        for (_, commune, population, _) in raw_iris(&shared, departement) {
            let e = raw.entry(commune).or_default();
            e.0 += population.unwrap_or(0.0);
            e.1 += 1;
            e.2 |= population.is_some();
        }
        for (commune, (sum, n, has_census)) in raw {
            let (shipped, count) = layer[commune.as_str()];
            assert_eq!(count, n, "{commune}: IRIS count");
            communes += 1;
            if has_census {
                split += 1;
                // Stored in hundredths of an inhabitant.
                assert!(
                    (shipped - sum).abs() <= 0.005 * n as f64,
                    "{commune}: {shipped} vs RP 2019 {sum}"
                );
            } else if n == 1 && legal.contains_key(&commune) {
                // A whole commune: its legal population, unless a former commune merged into it
                // brings IRIS of its own (shares by type then).
                let i = a.find_iris(&format!("{commune}0000")).unwrap();
                let unit = &a.iris(i).unit;
                let merged = a
                    .iris_layer()
                    .iris
                    .iter()
                    .filter(|x| &x.unit == unit)
                    .count()
                    > 1;
                if !merged {
                    assert_eq!(shipped, legal[&commune] as f64, "{commune}");
                }
            }
        }
    }
    eprintln!("{communes} communes checked, {split} split into IRIS with RP 2019 populations");
    assert!(split > 300, "{split}");
    // All of France: 48 577 IRIS.
    assert_eq!(a.iris_layer().iris.len(), 48_577);
}

#[test]
fn marseille_arrondissements_tile_marseille() {
    let Some(shared) = shared_data("marseille_arrondissements_tile_marseille") else {
        return;
    };
    let a = atlas();
    let codes: Vec<String> = (1..=16).map(|k| format!("132{k:02}")).collect();
    let sum: f64 = codes
        .iter()
        .map(|c| {
            km2(a
                .arrondissement_outline(c)
                .expect("Marseille arrondissement outline"))
        })
        .sum();
    // Marseille's own polygon (IGN 2018) and the union of its raw 2023 IRIS.
    let Some(CommuneRef::Commune(m)) = a.find("13055") else {
        panic!("13055")
    };
    let commune = km2(a.commune(m).geometry.as_ref().unwrap());
    let polygons: Vec<Polygon<f64>> = raw_iris(&shared, "13")
        .iter()
        .filter(|(_, c, _, _)| c.starts_with("132"))
        .flat_map(|(_, _, _, g)| polygon_from_geojson(g).orient(Direction::Default).0)
        .collect();
    let raw_union = km2(&unary_union(&polygons));
    eprintln!(
        "Marseille: 16 arrondissements {sum:.3} km², commune polygon {commune:.3} km², raw IRIS union {raw_union:.3} km²"
    );
    assert!((sum / commune - 1.0).abs() < 0.005, "{sum} vs {commune}");
    assert!(
        (sum / raw_union - 1.0).abs() < 0.002,
        "{sum} vs {raw_union}"
    );
    // A diagnosis by arrondissement now has an area and a density.
    let refs: Vec<String> = codes.clone();
    let d = run(&TerritorySpec::Codes(refs));
    assert!(d.area_complete, "{:?}", d.warnings);
    assert!((d.area_km2 - sum).abs() / sum < 0.002);
    assert!(d.density_per_km2.is_some());
    for code in ["75101", "69381"] {
        assert!(a.arrondissement_outline(code).is_some(), "{code}");
    }
}

/// Toulouse's raw IRIS: code -> (RP 2019 population, geometry).
fn toulouse(shared: &Path) -> Vec<(String, f64, MultiPolygon<f64>)> {
    raw_iris(shared, "31")
        .into_iter()
        .filter(|(_, c, _, _)| c == "31555")
        .map(|(code, _, p, g)| (code, p.unwrap(), polygon_from_geojson(&g)))
        .collect()
}

#[test]
fn a_polygon_equal_to_toulouse_iris_counts_their_share_of_the_legal_population() {
    let Some(shared) = shared_data("a_polygon_equal_to_toulouse_iris_counts_their_share") else {
        return;
    };
    let iris = toulouse(&shared);
    let total: f64 = iris.iter().map(|(_, p, _)| p).sum();
    let legal = raw_populations(&shared)["31555"] as f64;
    // The IRIS of Toulouse's first three quarters (codes 315550[1-3]xx), whole.
    let chosen: Vec<&(String, f64, MultiPolygon<f64>)> = iris
        .iter()
        .filter(|(c, _, _)| ["01", "02", "03"].contains(&&c[5..7]))
        .collect();
    assert!(chosen.len() >= 5, "{}", chosen.len());
    let share: f64 = chosen.iter().map(|(_, p, _)| p).sum::<f64>() / total;
    let polygons: Vec<Polygon<f64>> = chosen
        .iter()
        .flat_map(|(_, _, g)| g.orient(Direction::Default).0)
        .collect();
    let drawn = unary_union(&polygons);
    let d = run(&TerritorySpec::Drawn(drawn));
    let m = d.communes.iter().find(|m| m.code == "31555").unwrap();
    let expected = legal * share;
    eprintln!(
        "{} IRIS, RP 2019 share {share:.4}: expected {expected:.0}, counted {:.0} ({:?})",
        chosen.len(),
        m.population_counted,
        m.method
    );
    assert_eq!(m.method, CountingMethod::IrisPopulation);
    // The stored IRIS are simplified (5 m): a thin band along the outline is lost or gained.
    assert!(
        (m.population_counted - expected).abs() < 0.01 * expected,
        "{} vs {expected}",
        m.population_counted
    );
}

#[test]
fn a_polygon_over_central_toulouse_is_counted_through_its_iris() {
    let drawn = MultiPolygon(vec![polygon![
        (x: 1.43, y: 43.595), (x: 1.455, y: 43.595), (x: 1.455, y: 43.61), (x: 1.43, y: 43.61)
    ]]);
    let d = run(&TerritorySpec::Drawn(drawn));
    let m = d.communes.iter().find(|m| m.code == "31555").unwrap();
    assert!(m.coverage < 0.1 && m.estimated);
    assert_eq!(m.method, CountingMethod::IrisPopulation);
}

/// The batch and the API (the `diagnose` it calls) give the same figures for the same territory:
/// commune codes, IRIS codes (not whole communes any more), a drawn polygon.
#[test]
fn batch_equals_api_for_codes_iris_and_polygons() {
    let listed = |codes: &[&str]| {
        BatchSource::Codes(
            codes
                .iter()
                .enumerate()
                .map(|(i, c)| ListedCode {
                    code: c.to_string(),
                    line: i as u64 + 2,
                })
                .collect(),
        )
    };
    let square = polygon![
        (x: 1.43, y: 43.595), (x: 1.455, y: 43.595), (x: 1.455, y: 43.61), (x: 1.43, y: 43.61)
    ];
    let geometry = geojson::Geometry::from(&geo::Geometry::Polygon(square.clone()));
    let cases: Vec<(BatchSource, TerritorySpec)> = vec![
        (
            listed(&["31555", "31069"]),
            TerritorySpec::Codes(vec!["31555".into(), "31069".into()]),
        ),
        (
            listed(&["315550101", "315550102", "31069"]),
            TerritorySpec::Codes(vec!["315550101".into(), "315550102".into(), "31069".into()]),
        ),
        (
            listed(&["13201", "13202"]),
            TerritorySpec::Codes(vec!["13201".into(), "13202".into()]),
        ),
        (
            BatchSource::Geometry(geometry),
            TerritorySpec::Drawn(MultiPolygon(vec![square])),
        ),
    ];
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let territories: Vec<BatchTerritory> = cases
        .iter()
        .enumerate()
        .map(|(i, (source, _))| BatchTerritory {
            name: format!("t{i}"),
            location: format!("line {}", i + 2),
            source: source.clone(),
            problems: vec![],
        })
        .collect();
    let batch = BatchOptions {
        threads: 1,
        outlines: false,
    };
    let records = diagnose_batch(
        &DiagnosisContext::new(atlas()),
        &territories,
        &options,
        batch,
        &|| {},
    );
    for ((_, spec), record) in cases.iter().zip(&records) {
        let api = run(spec);
        assert_eq!(record.error, None, "{spec:?}");
        assert_eq!(record.population, Some(api.population), "{spec:?}");
        assert_eq!(record.population_estimated, Some(api.population_estimated));
        assert_eq!(record.commune_count, Some(api.commune_count));
        assert_eq!(record.area_km2, Some(api.area_km2));
    }
    // Two IRIS of Toulouse are not the whole commune.
    let whole = run(&TerritorySpec::Codes(vec!["31555".into()]));
    assert!(records[1].population.unwrap() < whole.population / 10);
}

/// The Marseille CPTS of the PACA registry, listed by arrondissement, have the outline of their
/// arrondissements (dissolved from the IRIS, not the whole of Marseille), their area, and a
/// drawn candidate over them gets a geometric overlap: area and population of the part shared.
/// Expected values from the raw `13.geojson` IRIS (unions per arrondissement) and the raw COG.
#[test]
fn marseille_cpts_by_arrondissement_have_outlines_and_geometric_overlaps() {
    let Some(shared) = shared_data("marseille_cpts_by_arrondissement") else {
        return;
    };
    let a = atlas();
    let registry = RegistryIndex::new(
        a,
        cpts_atlas::loaders::registry::read_registries(&[Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(DEFAULT_REGISTRY_FILE)])
        .unwrap(),
    )
    .unwrap();
    let mut raw: HashMap<String, Vec<Polygon<f64>>> = HashMap::new();
    for (_, commune, _, g) in raw_iris(&shared, "13") {
        if commune.starts_with("132") {
            let polygons = polygon_from_geojson(&g).orient(Direction::Default).0;
            raw.entry(commune).or_default().extend(polygons);
        }
    }
    let raw_union = |codes: &[&str]| {
        let polygons: Vec<Polygon<f64>> = codes.iter().flat_map(|c| raw[*c].clone()).collect();
        unary_union(&polygons)
    };
    let marseille = km2(&raw_union(
        &raw.keys().map(String::as_str).collect::<Vec<_>>(),
    ));
    // The membership file: "CPTS Activ Santé (Marseille 4-5)",13055,"Marseille","13204 13205",1
    let cases: [(&str, &[&str]); 3] = [
        ("CPTS Activ Santé (Marseille 4-5)", &["13204", "13205"]),
        ("CPTS Marseille-7", &["13207"]),
        ("CPTS Actes Santé", &["13214", "13215", "13216"]),
    ];
    for (name, codes) in cases {
        let cpts = registry
            .cpts()
            .iter()
            .find(|c| c.cpts.name == name)
            .unwrap();
        let expected = km2(&raw_union(codes));
        let outline = km2(cpts.outline(a));
        eprintln!("{name}: outline {outline:.3} km², raw IRIS {expected:.3} km², Marseille {marseille:.1} km²");
        assert!(
            (outline / expected - 1.0).abs() < 0.005,
            "{name}: {outline} vs {expected}"
        );
        assert!(cpts.approximate_outline(a).is_empty(), "{name}");
        assert!(cpts.area_complete, "{name}");
        assert!((cpts.area_km2 / expected - 1.0).abs() < 0.005, "{name}");
    }
    // A candidate drawn exactly over the raw IRIS of the 4th arrondissement.
    let drawn = raw_union(&["13204"]);
    let area = km2(&drawn);
    let legal = raw_populations(&shared)["13204"] as f64;
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let context = DiagnosisContext::new(a).with_registry(Some(&registry));
    let d = diagnose(
        &context,
        a.resolve(&TerritorySpec::Drawn(drawn)).unwrap(),
        &options,
    )
    .unwrap();
    let activ = d
        .overlaps
        .iter()
        .find(|o| o.name == "CPTS Activ Santé (Marseille 4-5)")
        .expect("overlap with Activ Santé");
    let o = &activ.overlap;
    eprintln!(
        "drawn 13204 ({area:.3} km², {legal} inhabitants): overlap {:.3} km², {} inhabitants, {:?}",
        o.area_km2, o.population, o.population_estimate
    );
    assert_eq!(o.kind, OverlapKind::Conflict);
    assert!(o.area_complete);
    assert!(
        (o.area_km2 / area - 1.0).abs() < 0.005,
        "{} vs {area}",
        o.area_km2
    );
    assert!(
        (o.population as f64 / legal - 1.0).abs() < 0.01,
        "{} vs {legal}",
        o.population
    );
    // 13204, and a sliver of 13205 along their border (the outlines are simplified by 5 m).
    assert_eq!(o.shared_communes[0].arrondissements[0], "13204");
    // Its neighbours only touch it: at most a sliver of the outlines' simplification.
    for other in &d.overlaps {
        if other.name != activ.name {
            assert_ne!(other.overlap.kind, OverlapKind::Conflict, "{}", other.name);
        }
    }
}
