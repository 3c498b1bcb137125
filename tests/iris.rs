//! IRIS: tiling of communes, Lyon's arrondissements, dasymetric counts, loaders, against the raw
//! files (`../shared/data/iris`, `cog-2026`) read independently here.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{atlas, polygon_from_geojson, raw_json, raw_populations, shared_data};
use cpts_atlas::diagnosis::{
    diagnose, Diagnosis, DiagnosisContext, DiagnosisError, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::{
    geometry::equal_area, type_weight, Atlas, CommuneRef, ResolveError, TILING_TOLERANCE,
};
use cpts_atlas::loaders::iris::dataset::write_iris_layer;
use cpts_atlas::loaders::iris::import::{import_iris, SHIPPED_IRIS_FILES};
use cpts_atlas::loaders::LoadError;
use cpts_atlas::model::{CountingMethod, IrisLayer, IrisType, TerritorySpec};
use geo::orient::{Direction, Orient};
use geo::{polygon, unary_union, BooleanOps, MultiPolygon, Polygon};

/// Area in km², in the equal-area projection (checked against geodesic areas in
/// `tests/geometry.rs`); planar, so robust to the slivers boolean operations leave.
fn km2(g: &MultiPolygon<f64>) -> f64 {
    equal_area::area_km2(&equal_area::project(g))
}

fn union_of<'a>(parts: impl Iterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let polygons: Vec<Polygon<f64>> = parts.flat_map(|g| g.orient(Direction::Default).0).collect();
    unary_union(&polygons)
}

fn commune_index(a: &Atlas, code: &str) -> usize {
    match a.find(code) {
        Some(CommuneRef::Commune(i)) => i,
        Some(CommuneRef::Arrondissement(x)) => commune_index(a, &a.arrondissement(x).commune),
        None => panic!("{code} unknown"),
    }
}

fn run(a: &Atlas, spec: TerritorySpec) -> Result<Diagnosis, cpts_atlas::diagnosis::DiagnosisError> {
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let resolved = a.resolve(&spec).map_err(DiagnosisError::from)?;
    diagnose(&DiagnosisContext::new(a), resolved, &options)
}

fn codes(list: &[&str]) -> TerritorySpec {
    TerritorySpec::Codes(list.iter().map(|c| c.to_string()).collect())
}

/// The raw Lyon Métropole IRIS file's features by IRIS code.
fn lyon_raw(shared: &Path) -> HashMap<String, serde_json::Value> {
    raw_json(&shared.join("iris/iris_lyon_69_LyonMetro.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                f.clone(),
            )
        })
        .collect()
}

/// IRIS codes and populations of the national raw files (`iris-france/departements_iris`).
fn national_raw(shared: &Path) -> Vec<(String, Option<f64>)> {
    let dir = shared.join("iris-france/departements_iris");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            raw_json(f)["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let p = &f["properties"];
                    (
                        p["code_iris"].as_str().unwrap().to_string(),
                        p["population"].as_f64(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_shipped_layer_holds_every_raw_iris() {
    let Some(shared) = shared_data("the_shipped_layer_holds_every_raw_iris") else {
        return;
    };
    // The national files: every IRIS, with its RP 2019 population where given.
    let mut raw = national_raw(&shared);
    raw.sort_by(|a, b| a.0.cmp(&b.0));
    let layer = &atlas().iris_layer().iris;
    assert_eq!(
        layer.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        raw.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()
    );
    for (iris, (_, population)) in layer.iter().zip(&raw) {
        if let Some(p) = population {
            assert!(
                (iris.population.unwrap() - p).abs() < 0.005,
                "{}",
                iris.code
            );
        }
    }
    // The IGN Rhône shapefile gives its types (TYP_IRIS, read with the dbase crate alone) to
    // the national IRIS of the same code.
    let mut dbf =
        shapefile::dbase::Reader::from_path(shared.join("iris/rhone-69-ign-shapefile/IRIS_GE.DBF"))
            .unwrap();
    let text = |r: &shapefile::dbase::Record, f: &str| match r.get(f) {
        Some(shapefile::dbase::FieldValue::Character(Some(c))) => c.trim().to_string(),
        other => panic!("{other:?}"),
    };
    let mut typed = 0;
    for record in dbf.read().unwrap() {
        let code = text(&record, "CODE_IRIS");
        if let Some(i) = atlas().find_iris(&code) {
            let kind = IrisType::parse(&text(&record, "TYP_IRIS")).unwrap();
            assert_eq!(atlas().iris(i).kind, kind, "{code}");
            typed += 1;
        }
    }
    assert!(typed > 700, "{typed}");
}

#[test]
fn iris_tile_their_communes() {
    let a = atlas();
    let mut by_commune: HashMap<usize, Vec<&MultiPolygon<f64>>> = HashMap::new();
    for iris in &a.iris_layer().iris {
        by_commune
            .entry(commune_index(a, &iris.unit))
            .or_default()
            .extend(iris.geometry.as_ref());
    }
    let mut report = Vec::new();
    for (&i, parts) in by_commune.iter().filter(|(_, p)| p.len() > 1) {
        let commune = a.commune(i).geometry.as_ref().unwrap();
        let union = union_of(parts.iter().copied());
        let (commune_km2, union_km2) = (km2(commune), km2(&union));
        let sum_km2: f64 = parts.iter().map(|g| km2(g)).sum();
        let inside = km2(&union.intersection(commune));
        let missing = commune_km2 - inside; // commune not covered by any IRIS
        let outside = union_km2 - inside; // IRIS outside the commune outline
        let overlap = sum_km2 - union_km2; // IRIS over one another
        report.push((
            (missing + outside) / commune_km2,
            a.commune(i).code.clone(),
            parts.len(),
            commune_km2,
            missing,
            outside,
            overlap,
        ));
    }
    report.sort_by(|x, y| y.0.total_cmp(&x.0));
    eprintln!(
        "communes tiled by several IRIS: {}; largest slivers (km²):",
        report.len()
    );
    eprintln!("commune  IRIS  area     not in IRIS  IRIS outside  overlaps");
    for (_, code, n, area, missing, outside, overlap) in report.iter().take(12) {
        eprintln!("{code}  {n:>4}  {area:>7.3}  {missing:>11.4}  {outside:>12.4}  {overlap:>8.5}");
    }
    assert!(report.len() > 1500, "{} communes", report.len());
    let mut outliers = Vec::new();
    for (_, code, _, area, missing, outside, overlap) in &report {
        let union = area - missing + outside;
        // Coastal communes whose IRIS 2023 and IGN 2018 outlines disagree on the shore: the
        // engine does not count them through their IRIS (a few in a thousand).
        if (union / area - 1.0).abs() >= TILING_TOLERANCE {
            let tiling = a.iris_tiling(commune_index(a, code)).unwrap();
            assert!(!tiling.used_for_population, "{code}");
            outliers.push(code.clone());
            continue;
        }
        // Small communes whose IRIS and commune outlines are shifted against each other.
        if missing / area >= TILING_TOLERANCE || outside / area >= TILING_TOLERANCE {
            outliers.push(code.clone());
            continue;
        }
        // The IRIS and commune outlines are of different vintages and simplifications: their
        // edges wander by some metres, within the engine's tiling tolerance.
        assert!(
            (union / area - 1.0).abs() < TILING_TOLERANCE,
            "{code}: IRIS {union} km² vs {area} km²"
        );
        assert!(overlap / area < 0.002, "{code}: IRIS overlap {overlap} km²");
        assert!(
            missing / area < TILING_TOLERANCE,
            "{code}: {missing} km² without IRIS"
        );
        assert!(
            outside / area < TILING_TOLERANCE,
            "{code}: {outside} km² of IRIS outside"
        );
    }
    eprintln!("outside the tiling tolerance: {outliers:?}");
    assert!(outliers.len() * 100 < report.len(), "{outliers:?}");
}

#[test]
fn lyon_arrondissements_cover_lyon() {
    let a = atlas();
    let codes9: Vec<String> = (1..=9).map(|k| format!("6938{k}")).collect();
    let outlines: Vec<&MultiPolygon<f64>> = codes9
        .iter()
        .map(|c| {
            a.arrondissement_outline(c)
                .expect("Lyon arrondissement outline")
        })
        .collect();
    let lyon = a
        .commune(commune_index(a, "69123"))
        .geometry
        .as_ref()
        .unwrap();
    let union = union_of(outlines.iter().copied());
    let (lyon_km2, union_km2) = (km2(lyon), km2(&union));
    let covered = km2(&union.intersection(lyon));
    eprintln!(
        "Lyon {lyon_km2:.3} km², arrondissements {union_km2:.3} km², Lyon covered {covered:.3} km²"
    );
    assert!(covered / lyon_km2 > 0.98, "{covered} of {lyon_km2}");
    assert!((union_km2 / lyon_km2 - 1.0).abs() < 0.02);
    let sum: f64 = outlines.iter().map(|g| km2(g)).sum();
    assert!(
        (sum - union_km2).abs() / union_km2 < 0.001,
        "arrondissements overlap"
    );

    let refs: Vec<&str> = codes9.iter().map(String::as_str).collect();
    let d = run(a, codes(&refs)).unwrap();
    assert!(d.area_complete);
    assert!(
        (d.area_km2 - sum).abs() / sum < 0.002,
        "{} vs {sum}",
        d.area_km2
    );
    // Paris and Marseille arrondissements have outlines too, from the national IRIS.
    let paris = run(a, codes(&["75101", "13201"])).unwrap();
    assert!(paris.area_complete);
    assert!(paris.communes.iter().all(|m| m.area_km2.unwrap() > 1.0));
    assert!(!paris.warnings.iter().any(|w| w.contains("without polygon")));
}

/// A polygon drawn over Lyon's Parc de la Tête d'Or (IRIS 693860102, type D, 0 inhabitants in
/// 2012) or the Part-Dieu business district (693830301, type A) against the area share.
#[test]
fn a_non_residential_iris_counts_far_less_than_its_area_share() {
    let Some(shared) = shared_data("a_non_residential_iris_counts_far_less_than_its_area_share")
    else {
        return;
    };
    let lyon_raw = lyon_raw(&shared);
    let populations = raw_populations(&shared);
    let a = atlas();
    let lyon_outline = a
        .commune(commune_index(a, "69123"))
        .geometry
        .clone()
        .unwrap();
    // Same IRIS without their census populations: the type-weighted estimate.
    let mut typed = a.iris_layer().clone();
    typed.iris.iter_mut().for_each(|i| i.population = None);
    let typed = Atlas::new(a.whole_geography()).with_iris(typed);
    // (IRIS, largest ratio to the area share by census, by type). Part-Dieu is an activity IRIS
    // that still had 3 192 inhabitants in 2012: the census says so, the type weight does not.
    for (code, census_ratio, type_ratio) in [("693860102", 0.1, 0.1), ("693830301", 0.9, 0.5)] {
        let drawn = polygon_from_geojson(&lyon_raw[code]["geometry"]);
        // Area-proportional share, computed here with geodesic areas.
        let area_share = populations["69123"] as f64 * km2(&drawn.intersection(&lyon_outline))
            / km2(&lyon_outline);
        let lyon_counted = |d: &Diagnosis| {
            let m = d.communes.iter().find(|m| m.code == "69123").unwrap();
            (m.population_counted, m.method)
        };
        let (by_census, method) =
            lyon_counted(&run(a, TerritorySpec::Drawn(drawn.clone())).unwrap());
        assert_eq!(method, CountingMethod::IrisPopulation);
        let (by_type, method) = lyon_counted(&run(&typed, TerritorySpec::Drawn(drawn)).unwrap());
        assert_eq!(method, CountingMethod::IrisTypeWeighted);
        eprintln!(
            "{code} {}: area share {area_share:.0}, IRIS census {by_census:.0}, IRIS type {by_type:.0}",
            lyon_raw[code]["properties"]["libiris"]
        );
        assert!(area_share > 1000.0);
        assert!(
            by_census < census_ratio * area_share,
            "{by_census} vs {area_share}"
        );
        assert!(
            by_type < type_ratio * area_share,
            "{by_type} vs {area_share}"
        );
    }
}

#[test]
fn iris_codes_count_their_census_share_of_the_legal_population() {
    let Some(shared) = shared_data("iris_codes_count_their_census_share_of_the_legal_population")
    else {
        return;
    };
    let national = national_raw(&shared);
    let legal = raw_populations(&shared)["69381"] as f64;
    let census: Vec<(&String, f64)> = national
        .iter()
        .filter(|(c, _)| c.starts_with("69381"))
        .map(|(c, p)| (c, p.unwrap()))
        .collect();
    let total: f64 = census.iter().map(|(_, p)| p).sum();
    let list: Vec<&str> = census.iter().map(|(c, _)| c.as_str()).collect();
    let d = run(atlas(), codes(&list)).unwrap();
    assert_eq!(d.communes.len(), census.len());
    assert_eq!(d.population, legal as u64);
    assert_eq!(d.population_estimated, legal as u64);
    for (code, p) in &census {
        let m = d.communes.iter().find(|m| &&m.code == code).unwrap();
        assert!(m.iris && m.estimated);
        assert_eq!(m.method, CountingMethod::IrisPopulation);
        assert!((m.population_counted - legal * p / total).abs() < 1e-6 * legal);
    }
    // An IRIS with its arrondissement or its commune would count people twice.
    for whole in ["69381", "69123"] {
        let err = run(atlas(), codes(&[whole, "693810101"])).unwrap_err();
        assert!(
            matches!(
                err,
                cpts_atlas::diagnosis::DiagnosisError::Territory(
                    ResolveError::IrisInsideListed { .. }
                )
            ),
            "{err}"
        );
    }
    // A Nice/Toulon-style split: a commune's IRIS plus whole neighbours.
    let split = run(atlas(), codes(&["693810101", "693810102", "69029"])).unwrap();
    assert_eq!(split.commune_count, 3);
    let unknown = run(atlas(), codes(&["060889999"])).unwrap_err();
    assert!(unknown.to_string().contains("060889999"), "{unknown}");
}

#[test]
fn activity_weight_is_the_lyon_census_ratio() {
    let Some(shared) = shared_data("activity_weight_is_the_lyon_census_ratio") else {
        return;
    };
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for f in lyon_raw(&shared).values() {
        let e = sums
            .entry(f["properties"]["typ_iris"].as_str().unwrap().to_string())
            .or_default();
        e.0 += f["properties"]["p12_pop"].as_f64().unwrap();
        e.1 += 1.0;
    }
    let mean = |t: &str| sums[t].0 / sums[t].1;
    let ratio = mean("A") / mean("H");
    eprintln!(
        "Lyon 2012: mean A {:.0}, mean H {:.0}, ratio {ratio:.4}",
        mean("A"),
        mean("H")
    );
    assert!((type_weight(IrisType::Activity) - ratio).abs() < 0.005);
    assert!(type_weight(IrisType::Miscellaneous) <= 0.05 && mean("D") < 0.05 * mean("H"));
}

/// On the units whose every IRIS has a 2012 census population, the type-weighted shares are
/// closer to the census shares than area shares are (the reason for the method).
#[test]
fn type_weights_beat_area_shares_on_the_lyon_census() {
    let Some(shared) = shared_data("type_weights_beat_area_shares_on_the_lyon_census") else {
        return;
    };
    let lyon = lyon_raw(&shared);
    let a = atlas();
    let mut units: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, iris) in a.iris_layer().iris.iter().enumerate() {
        units.entry(iris.unit.as_str()).or_default().push(i);
    }
    let (mut err_type, mut err_area, mut n) = (0.0, 0.0, 0usize);
    for members in units.values().filter(|m| m.len() > 1) {
        let census: Option<Vec<f64>> = members
            .iter()
            .map(|&i| lyon.get(&a.iris(i).code)?["properties"]["p12_pop"].as_f64())
            .collect();
        let Some(census) = census else { continue };
        let weights: Vec<f64> = members
            .iter()
            .map(|&i| type_weight(a.iris(i).kind))
            .collect();
        let areas: Vec<f64> = members
            .iter()
            .map(|&i| a.iris_area_km2(i).unwrap())
            .collect();
        let (tc, tw, ta) = (
            census.iter().sum::<f64>(),
            weights.iter().sum::<f64>(),
            areas.iter().sum::<f64>(),
        );
        for k in 0..members.len() {
            let truth = census[k] / tc;
            err_type += (weights[k] / tw - truth).abs();
            err_area += (areas[k] / ta - truth).abs();
            n += 1;
        }
    }
    eprintln!(
        "{n} IRIS: mean absolute error of the population share: type-weighted {:.4}, area {:.4}",
        err_type / n as f64,
        err_area / n as f64
    );
    assert!(n > 200);
    assert!(err_type < 0.7 * err_area);
}

/// Real partial cuts: the population counted by area share against the IRIS method.
#[test]
fn partial_cuts_area_vs_iris() {
    let Some(shared) = shared_data("partial_cuts_area_vs_iris") else {
        return;
    };
    let lyon = lyon_raw(&shared);
    let a = atlas();
    let by_area = Atlas::new(a.whole_geography());
    let rect = |x0: f64, y0: f64, x1: f64, y1: f64| {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)],
        ])
    };
    let cuts = [
        (
            "Parc de la Tête d'Or (IRIS D)",
            polygon_from_geojson(&lyon["693860102"]["geometry"]),
        ),
        (
            "Part-Dieu (IRIS A)",
            polygon_from_geojson(&lyon["693830301"]["geometry"]),
        ),
        (
            "Lyon Gerland + port Édouard-Herriot",
            rect(4.81, 45.705, 4.86, 45.735),
        ),
        (
            "Lyon Presqu'île to Villeurbanne",
            rect(4.82, 45.755, 4.90, 45.775),
        ),
        ("Lille centre and south", rect(3.03, 50.60, 3.10, 50.64)),
        (
            "Vaulx-en-Velin / Rillieux band",
            rect(4.90, 45.77, 4.95, 45.82),
        ),
    ];
    eprintln!("cut | by area | by IRIS | change | partial communes (method)");
    for (label, drawn) in cuts {
        let iris = run(a, TerritorySpec::Drawn(drawn.clone())).unwrap();
        let area = run(&by_area, TerritorySpec::Drawn(drawn)).unwrap();
        assert_eq!(iris.communes.len(), area.communes.len(), "{label}");
        let mut partial = Vec::new();
        for (m, n) in iris.communes.iter().zip(&area.communes) {
            assert_eq!((&m.code, m.coverage), (&n.code, n.coverage));
            if m.coverage == 1.0 {
                assert_eq!(m.population_counted, n.population_counted);
                continue;
            }
            assert_eq!(n.method, CountingMethod::Area);
            partial.push(format!(
                "{} {:.0}→{:.0} ({:?})",
                m.name, n.population_counted, m.population_counted, m.method
            ));
        }
        let change = iris.population as f64 / area.population as f64 - 1.0;
        eprintln!(
            "{label} | {} | {} | {:+.1} % | {}",
            area.population,
            iris.population,
            change * 100.0,
            partial.join("; ")
        );
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-iris-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn import(files: &[PathBuf], population: Option<&Path>) -> Result<IrisLayer, LoadError> {
    import_iris(atlas().geography(), files, population).map(|(layer, _)| layer)
}

#[test]
fn a_lambert93_geojson_loads_back_to_wgs84() {
    let Some(shared) = shared_data("a_lambert93_geojson_loads_back_to_wgs84") else {
        return;
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/iris-693860102-lambert93.geojson");
    let layer = import(&[fixture], None).unwrap();
    let loaded = layer.iris[0].geometry.as_ref().unwrap();
    let original = polygon_from_geojson(&lyon_raw(&shared)["693860102"]["geometry"]);
    // Snapped to 1e-5° (about 1 m): the outlines differ by a thin band along the boundary.
    let apart = km2(&loaded.xor(&original));
    assert!(apart / km2(&original) < 0.005, "{apart} km² apart");
    assert_eq!(layer.iris[0].kind, IrisType::Miscellaneous);
}

#[test]
fn a_messy_multi_vintage_export_loads_its_latest_vintage() {
    let Some(shared) = shared_data("a_messy_multi_vintage_export_loads_its_latest_vintage") else {
        return;
    };
    let file = shared.join("iris/iris_grenoble_38_ods.geojson");
    let (layer, report) = import_iris(atlas().geography(), &[file], None).unwrap();
    let raw = raw_json(&shared.join("iris/iris_grenoble_38_ods.geojson"));
    let features = raw["features"].as_array().unwrap();
    let latest = features
        .iter()
        .map(|f| f["properties"]["year"].as_str().unwrap())
        .max()
        .unwrap();
    let latest_count = features
        .iter()
        .filter(|f| f["properties"]["year"].as_str() == Some(latest))
        .count();
    assert_eq!(layer.iris.len(), latest_count);
    assert_eq!(report.files[0].2, features.len() - latest_count);
    let a = Atlas::new(atlas().whole_geography()).with_iris(layer);
    let tiling = a.iris_tiling(commune_index(&a, "38185")).unwrap();
    eprintln!("Grenoble ({latest}): {tiling:?}");
    assert!(tiling.used_for_population);
}

#[test]
fn population_file_gives_the_census_method() {
    let Some(shared) = shared_data("population_file_gives_the_census_method") else {
        return;
    };
    let csv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/base-ic-evol-struct-pop-2012-lyon-1er.csv");
    let shp = shared.join(SHIPPED_IRIS_FILES[0]);
    let layer = import(&[shp], Some(&csv)).unwrap();
    assert!(
        layer.population_sources[0].contains("2012"),
        "{:?}",
        layer.population_sources
    );
    let a = Atlas::new(atlas().whole_geography()).with_iris(layer);
    // Independently: Louis-Pradel's census share of Lyon 1er in the CSV.
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect())
        .collect();
    let total: f64 = rows.iter().map(|r| r[4].parse::<f64>().unwrap()).sum();
    let pradel: f64 = rows.iter().find(|r| r[0] == "693810102").unwrap()[4]
        .parse()
        .unwrap();
    let share = a.iris_share(a.find_iris("693810102").unwrap()).unwrap();
    assert_eq!(share.method, CountingMethod::IrisPopulation);
    assert!((share.share - pradel / total).abs() < 1e-12);
    // Lyon 2e is not in the 2012 file: it keeps the RP 2019 population of the national IRIS
    // layer (iris-france), so it is counted by census too, from that other source.
    let other = a.iris_share(a.find_iris("693820101").unwrap()).unwrap();
    assert_eq!(other.method, CountingMethod::IrisPopulation, "{other:?}");
    let raw = raw_json(&shared.join("iris-france/departements_iris/69.geojson"));
    let lyon_2e: Vec<(String, f64)> = raw["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["code_commune"] == "69382")
        .map(|f| {
            let p = &f["properties"];
            (
                p["code_iris"].as_str().unwrap().to_string(),
                p["population"].as_f64().unwrap(),
            )
        })
        .collect();
    let lyon_2e_total: f64 = lyon_2e.iter().map(|(_, p)| p).sum();
    let first = lyon_2e.iter().find(|(c, _)| c == "693820101").unwrap().1;
    // The layer keeps populations to the hundredth (data/iris.cpat): a relative error of 1e-6.
    assert!(
        (other.share - first / lyon_2e_total).abs() < 1e-5,
        "{other:?} vs {}",
        first / lyon_2e_total
    );
}

#[test]
fn bad_iris_files_are_refused_with_their_name() {
    let Some(shared) = shared_data("bad_iris_files_are_refused_with_their_name") else {
        return;
    };
    let src = shared.join("iris/rhone-69-ign-shapefile");
    let dir = temp_dir("bad");
    for ext in ["SHP", "SHX", "DBF", "CPG"] {
        std::fs::copy(
            src.join(format!("IRIS_GE.{ext}")),
            dir.join(format!("iris.{ext}")),
        )
        .unwrap();
    }
    let shp = dir.join("iris.SHP");
    let err = import(std::slice::from_ref(&shp), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("iris.SHP") && err.contains(".prj"), "{err}");
    std::fs::write(
        dir.join("iris.prj"),
        r#"PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Transverse_Mercator"],PARAMETER["Central_Meridian",3.0]]"#,
    )
    .unwrap();
    let err = import(std::slice::from_ref(&shp), None).unwrap_err();
    assert!(matches!(err, LoadError::UnknownCrs { .. }), "{err}");
    assert!(
        err.to_string().contains("iris.prj") && err.to_string().contains("UTM"),
        "{err}"
    );
    // Lambert-93 coordinates declared as WGS84.
    std::fs::write(
        dir.join("iris.prj"),
        r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]"#,
    )
    .unwrap();
    let err = import(&[shp], None).unwrap_err().to_string();
    assert!(
        err.contains("iris.SHP") && err.contains("look projected"),
        "{err}"
    );

    let geojson = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        import(&[path], None).unwrap_err().to_string()
    };
    let square =
        r#"{"type":"Polygon","coordinates":[[[4.8,45.7],[4.81,45.7],[4.81,45.71],[4.8,45.7]]]}"#;
    let err = geojson(
        "mercator.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:3857"}}}},"features":[{{"type":"Feature","properties":{{}},"geometry":{square}}}]}}"#
        ),
    );
    assert!(
        err.contains("mercator.geojson") && err.contains("EPSG:3857"),
        "{err}"
    );
    let err = geojson(
        "untyped.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code_iris":"693810101","nom_iris":"x"}},"geometry":{square}}}]}}"#
        ),
    );
    assert!(
        err.contains("untyped.geojson") && err.contains("no type field"),
        "{err}"
    );
    let err = geojson("notes.txt", "hello");
    assert!(
        err.contains("notes.txt") && err.contains("shapefile"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_shipped_layer_is_what_the_import_builds() {
    let Some(shared) = shared_data("the_shipped_layer_is_what_the_import_builds") else {
        return;
    };
    let files: Vec<PathBuf> = SHIPPED_IRIS_FILES.iter().map(|f| shared.join(f)).collect();
    // The shipped file comes from another run: the import is deterministic, and data/iris.cpat
    // is up to date, byte for byte (what is compared is what the service reads).
    let layer = import(&files, None).unwrap();
    let fresh = std::env::temp_dir().join(format!("iris-fresh-{}.cpat", std::process::id()));
    write_iris_layer(&fresh, &layer).unwrap();
    let built = std::fs::read(&fresh).unwrap();
    std::fs::remove_file(&fresh).unwrap();
    let shipped =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/iris.cpat")).unwrap();
    assert!(
        built == shipped,
        "data/iris.cpat ({} bytes) differs from a fresh import ({} bytes): re-run `cpts-atlas import`",
        shipped.len(),
        built.len()
    );
}
