//! Shared helpers of the health tests: the raw source folder, the loaded atlas and health data,
//! and a plain reader for the raw CSV files (independent of the crate's loaders).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cpts_atlas::engine::{Atlas, HealthAtlas};
use cpts_atlas::loaders::health::data::read_health_data;

/// `../shared/data`, or `None` after a loud SKIPPED message when it is absent.
pub fn shared(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/data not found, {test} needs the raw source files");
        None
    }
}

/// A fixture of `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The shipped atlas and health data (data/), loaded once per test binary.
pub fn loaded() -> &'static (Atlas, HealthAtlas) {
    static LOADED: OnceLock<(Atlas, HealthAtlas)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let atlas = Atlas::new(
            cpts_atlas::loaders::geography::read_atlas_sources(&data).expect("shipped dataset"),
        );
        let health = HealthAtlas::new(
            &atlas,
            read_health_data(&data).expect("shipped health data"),
        );
        (atlas, health)
    })
}

/// A raw delimited file as header -> column index and rows of fields (no quoting in these files).
pub fn read_rows(path: &Path, delimiter: char) -> (HashMap<String, usize>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("raw file");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header = lines
        .next()
        .expect("header")
        .trim_start_matches('\u{feff}')
        .split(delimiter)
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(delimiter).map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Legal populations of current communes from the raw COG file.
pub fn cog_populations(shared: &Path) -> HashMap<String, (u64, String)> {
    let text = std::fs::read_to_string(shared.join("cog-2026/communes.json")).expect("COG");
    let communes: Vec<serde_json::Value> = serde_json::from_str(&text).expect("COG JSON");
    communes
        .iter()
        .filter(|c| c["type"] == "commune-actuelle")
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                (
                    c["population"].as_u64().unwrap_or(0),
                    c["departement"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect()
}

/// Communes of an ARS Normandie territoire de santé, from the raw ages file.
pub fn territoire_communes(shared: &Path, code_ts: &str) -> Vec<String> {
    let (h, rows) = read_rows(
        &shared.join("directories/normandie-ars-2021/communes_ts_population_ages_2017.csv"),
        ',',
    );
    rows.iter()
        .filter(|r| r[h["code_ts"]] == code_ts)
        .map(|r| r[h["code_commune"]].clone())
        .collect()
}

/// Asserts two floats agree to a relative tolerance.
pub fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    let scale = expected.abs().max(1e-12);
    assert!(
        ((actual - expected) / scale).abs() <= tolerance,
        "{what}: got {actual}, expected {expected}"
    );
}

/// Fields of one CSV line with `"` quoting (the eurostat file quotes names with commas).
pub fn split_quoted(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}
