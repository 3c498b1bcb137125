//! Batch diagnosis: the PACA registry reproduces the raw populations, bad rows are reported with
//! their line numbers, GeoJSON in and out, and the command's exit codes.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use cpts_atlas::diagnosis::{
    diagnose_batch, BatchOptions, DiagnosisContext, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::loaders::batch::read_batch_input;
use cpts_atlas::model::BatchRecord;

fn run_batch(path: &Path, outlines: bool) -> Vec<BatchRecord> {
    let territories = read_batch_input(path).expect("batch input reads");
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: Vec::new(),
    };
    let batch = BatchOptions {
        threads: 2,
        outlines,
    };
    diagnose_batch(
        &DiagnosisContext::new(common::atlas()),
        &territories,
        &options,
        batch,
        &|| {},
    )
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Former code -> current commune, from the raw COG (`anciensCodes`).
fn raw_successors(shared: &Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for c in common::raw_json(&shared.join("cog-2026/communes.json"))
        .as_array()
        .unwrap()
    {
        if c["type"] != "commune-actuelle" {
            continue;
        }
        for former in c["anciensCodes"].as_array().into_iter().flatten() {
            map.insert(
                former.as_str().unwrap().to_string(),
                c["code"].as_str().unwrap().to_string(),
            );
        }
    }
    map
}

/// Population of a set of codes from the raw COG, each current code counted once.
fn raw_population(
    codes: &[String],
    populations: &HashMap<String, u64>,
    successors: &HashMap<String, String>,
) -> u64 {
    let current: BTreeSet<&String> = codes
        .iter()
        .map(|c| successors.get(c).unwrap_or(c))
        .collect();
    current
        .iter()
        .map(|c| {
            *populations
                .get(*c)
                .unwrap_or_else(|| panic!("{c} in the raw COG"))
        })
        .sum()
}

#[test]
fn paca_registry_batch_reproduces_raw_populations() {
    let Some(shared) = common::shared_data("paca_registry_batch_reproduces_raw_populations") else {
        return;
    };
    let csv_path = shared.join("cpts-paca-2026/cpts_paca_2026_commune_membership.csv");
    // Independent reading of the membership file: arrondissements replace 13055 where given.
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        let list = members.entry(row[0].to_string()).or_default();
        if row[3].trim().is_empty() {
            list.push(row[1].to_string());
        } else {
            list.extend(row[3].split_whitespace().map(str::to_string));
        }
    }
    let populations = common::raw_populations(&shared);
    let successors = raw_successors(&shared);

    let records = run_batch(&csv_path, false);
    assert_eq!(records.len(), 70);
    assert_eq!(members.len(), 70);
    for r in &records {
        assert_eq!(r.error, None, "{}", r.territory);
        let expected = raw_population(&members[&r.territory], &populations, &successors);
        assert_eq!(r.population, Some(expected), "{}", r.territory);
        assert_eq!(r.population_estimated, Some(0), "{}", r.territory);
    }
    // 05120 (Ristolas) and 05001 (Abriès-Ristolas) are one commune, counted once.
    let ristolas: Vec<_> = members
        .iter()
        .filter(|(_, codes)| codes.iter().any(|c| c == "05120"))
        .collect();
    assert!(!ristolas.is_empty(), "the PACA file lists 05120");
}

#[test]
fn bad_rows_are_reported_with_line_numbers_and_do_not_stop_the_others() {
    let records = run_batch(&fixture("batch-bad-rows.csv"), false);
    let by_name: HashMap<&str, &BatchRecord> =
        records.iter().map(|r| (r.territory.as_str(), r)).collect();
    assert_eq!(records.len(), 5);

    let unknown = by_name["CPTS Inconnue"];
    let error = unknown.error.as_deref().unwrap();
    assert!(error.contains("99999 (line 5)"), "{error}");
    assert_eq!(unknown.population, None);
    assert_eq!(unknown.location, "line 4");

    let empty = by_name["CPTS Vide"].error.as_deref().unwrap();
    assert!(empty.contains("line 6: no code"), "{empty}");

    let Some(shared) = common::shared_data("bad_rows_...: populations") else {
        return;
    };
    let populations = common::raw_populations(&shared);
    let successors = raw_successors(&shared);
    let expect = |codes: &[&str]| {
        let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        Some(raw_population(&codes, &populations, &successors))
    };
    assert_eq!(
        by_name["CPTS Bonne"].population,
        expect(&["13001", "13002"])
    );
    assert_eq!(by_name["CPTS Bonne"].error, None);
    // A code list in one field (wide format).
    assert_eq!(
        by_name["CPTS Liste"].population,
        expect(&["04001", "04070", "04112"])
    );
    assert_eq!(by_name["CPTS Liste"].commune_count, Some(3));
    // A former code and its successor: one commune.
    assert_eq!(by_name["CPTS Ancienne"].commune_count, Some(1));
    assert_eq!(by_name["CPTS Ancienne"].population, expect(&["05001"]));
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cpts-batch-{}-{name}", std::process::id()))
}

const BOX: &str = r#"{"type":"Polygon","coordinates":[[[5.35,43.45],[5.55,43.45],[5.55,43.6],[5.35,43.6],[5.35,43.45]]]}"#;

#[test]
fn geojson_input_computes_polygons_and_reports_invalid_features() {
    let path = temp_path("in.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"name":"Boîte Aix"}},"geometry":{BOX}}},
            {{"type":"Feature","properties":{{"nom":"Ligne"}},"geometry":{{"type":"LineString","coordinates":[[5,43],[6,44]]}}}},
            {{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[[5,43],[6,44],[5,43]]]}}}}]}}"#
        ),
    )
    .unwrap();
    let records = run_batch(&path, true);
    assert_eq!(records.len(), 3);
    let ok = &records[0];
    assert_eq!(ok.territory, "Boîte Aix");
    assert_eq!(ok.error, None);
    assert!(ok.partial_commune_count.unwrap() > 0);
    assert!(ok.population.unwrap() > 0 && ok.population_estimated.unwrap() > 0);
    assert!(ok.outline.is_some());
    // Same polygon as a single diagnosis.
    let drawn = cpts_atlas::model::TerritorySpec::Drawn(
        cpts_atlas::engine::drawn_from_geojson(&BOX.parse().unwrap(), &Default::default())
            .unwrap()
            .0,
    );
    let single = cpts_atlas::diagnosis::diagnose(
        &DiagnosisContext::new(common::atlas()),
        common::atlas().resolve(&drawn).unwrap(),
        &DiagnosisOptions {
            grid: &FundingGrid::aci_2019(),
            missions: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(ok.population, Some(single.population));

    let line = records[1].error.as_deref().unwrap();
    assert!(
        line.contains("feature 2") && line.contains("LineString"),
        "{line}"
    );
    assert_eq!(records[2].territory, "feature 3");
    let ring = records[2].error.as_deref().unwrap();
    assert!(
        ring.contains("feature 3") && ring.contains("3 distinct"),
        "{ring}"
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .arg("batch")
        .args(args)
        .env_remove("CPTS_ATLAS_DATA")
        .output()
        .expect("the binary runs")
}

#[test]
fn cli_exit_code_says_whether_a_territory_failed() {
    let input = temp_path("good.csv");
    std::fs::write(&input, "territory,communes\nA,\"13001 13002\"\nB,04001\n").unwrap();
    let output = temp_path("good-out.csv");
    let out = cli(&[
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--no-registry",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&output).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("territory;population;"));
    assert_eq!(lines.count(), 2);

    let output = temp_path("bad-out.geojson");
    let bad = fixture("batch-bad-rows.csv");
    let out = cli(&[
        "--input",
        bad.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--no-registry",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CPTS Inconnue (line 4)"), "{stderr}");
    assert!(stderr.contains("2 of 5 territories failed"), "{stderr}");
    // The output still holds every territory, failed ones with their error and no geometry.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 5);
    let failed: Vec<_> = features
        .iter()
        .filter(|f| !f["properties"]["error"].is_null())
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|f| f["geometry"].is_null()));
    assert!(features
        .iter()
        .filter(|f| f["properties"]["error"].is_null())
        .all(|f| f["geometry"]["type"] == "Polygon" || f["geometry"]["type"] == "MultiPolygon"));
}
