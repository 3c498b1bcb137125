//! Exports read back by readers we did not write: GeoParquet by pyarrow, FlatGeobuf by GDAL;
//! the same rows and populations as the CSV of the same command.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::{required_tool, runs};
use serde_json::Value;

fn cpts_atlas(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(args)
        .output()
        .expect("cpts-atlas runs");
    assert!(
        output.status.success(),
        "cpts-atlas {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A Python with pyarrow: the tests' venv of scripts/setup.sh, else `python3`.
fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-tests/bin/python");
    [venv, PathBuf::from("python3")]
        .into_iter()
        .find(|p| runs(p.to_str().unwrap(), &["-c", "import pyarrow"]))
}

/// Python with pyarrow and a fresh scratch folder for `test`; `None` (SKIPPED, or a failure in
/// CI) without pyarrow.
fn pyarrow_and_folder(test: &str) -> Option<(PathBuf, PathBuf)> {
    let Some(python) = python() else {
        required_tool(test, false, "python3 with pyarrow");
        return None;
    };
    let dir = std::env::temp_dir().join(format!("cpts-atlas-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Some((python, dir))
}

/// The GeoParquet file as pyarrow reads it (see tests/read_geoparquet.py).
fn read_parquet(python: &Path, file: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_geoparquet.py");
    let output = Command::new(python).arg(script).arg(file).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `key column -> value column` of a `;`-separated CSV.
fn csv_pairs(file: &Path, key: &str, value: &str) -> BTreeMap<String, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(file)
        .unwrap();
    let header = reader.headers().unwrap().clone();
    let k = header.iter().position(|h| h == key).unwrap();
    let v = header.iter().position(|h| h == value).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[k].to_string(), r[v].to_string())
        })
        .collect()
}

/// `key -> value` of the features GDAL reads from a file (`ogrinfo -al`).
fn ogr_pairs(file: &Path, key: &str, value: &str) -> BTreeMap<String, String> {
    let output = Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut pairs = BTreeMap::new();
    let mut current: (Option<String>, String) = (None, String::new());
    let field = |line: &str, name: &str| -> Option<String> {
        let rest = line.trim().strip_prefix(&format!("{name} ("))?;
        Some(rest.split_once(") = ")?.1.to_string())
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if line.starts_with("OGRFeature(") {
            if let (Some(k), v) = std::mem::take(&mut current) {
                pairs.insert(k, v);
            }
        }
        if let Some(k) = field(line, key) {
            current.0 = Some(k);
        }
        if let Some(v) = field(line, value) {
            current.1 = v;
        }
    }
    if let (Some(k), v) = current {
        pairs.insert(k, v);
    }
    pairs
}

fn parquet_pairs(read: &Value, key: &str, value: &str) -> BTreeMap<String, String> {
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    read["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (text(&r[key]), text(&r[value])))
        .collect()
}

/// The `geo` metadata says GeoParquet 1.1, WKB MultiPolygons in CRS84 with a bbox in France,
/// and every geometry is a little-endian WKB MultiPolygon.
fn check_geo(read: &Value) {
    let geo = &read["geo"];
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    let column = &geo["columns"]["geometry"];
    assert_eq!(column["encoding"], "WKB");
    assert_eq!(
        column["geometry_types"],
        serde_json::json!(["MultiPolygon"])
    );
    assert_eq!(column["crs"]["id"]["code"], "CRS84");
    let bbox: Vec<f64> = column["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        bbox[0] > 4.0 && bbox[2] < 8.0 && bbox[1] > 42.0 && bbox[3] < 46.0,
        "{bbox:?}"
    );
    for wkb in read["wkb"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| !w.is_null())
    {
        assert_eq!(wkb, &serde_json::json!([1, 6]));
    }
}

#[test]
fn batch_results_read_back_with_the_rows_and_populations_of_the_csv() {
    let test = "batch_results_read_back_with_the_rows_and_populations_of_the_csv";
    let Some((python, dir)) = pyarrow_and_folder(test) else {
        return;
    };
    // The 70 PACA CPTS of the shipped registry, one row per CPTS with its member codes, and a
    // bad row.
    let registry: Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("data/registry/cpts-paca-2026.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut input = String::from("territory;communes\n");
    for c in registry["cpts"].as_array().unwrap() {
        let codes: Vec<&str> = c["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["code"].as_str().unwrap())
            .collect();
        input.push_str(&format!(
            "{};{}\n",
            c["name"].as_str().unwrap(),
            codes.join(" ")
        ));
    }
    input.push_str("Bad;99999\n");
    let input_file = dir.join("territories.csv");
    std::fs::write(&input_file, input).unwrap();

    let run = |ext: &str| -> PathBuf {
        let out = dir.join(format!("results.{ext}"));
        // Exit code 1: the bad row failed, the others were computed.
        let status = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
            .args(["batch", "--no-registry", "--input"])
            .arg(&input_file)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            status.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        out
    };
    let csv = csv_pairs(&run("csv"), "territory", "population");
    assert_eq!(csv.len(), 71);
    assert_eq!(csv["Bad"], "");
    assert!(csv
        .values()
        .filter(|p| !p.is_empty())
        .all(|p| p.parse::<u64>().unwrap() > 1000));

    let read = read_parquet(&python, &run("parquet"));
    assert_eq!(read["schema"]["population"], "int64");
    assert_eq!(read["schema"]["area_km2"], "double");
    assert_eq!(read["schema"]["area_complete"], "bool");
    assert_eq!(read["schema"]["territory"], "string");
    assert_eq!(read["schema"]["geometry"], "binary");
    assert_eq!(parquet_pairs(&read, "territory", "population"), csv);
    check_geo(&read);
    assert_eq!(
        read["wkb"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w.is_null())
            .count(),
        1
    );

    if required_tool(
        test,
        runs("ogrinfo", &["--version"]),
        "GDAL (Debian gdal-bin)",
    ) {
        let fgb = run("fgb");
        let mut gdal = ogr_pairs(&fgb, "territory", "population");
        gdal.entry("Bad".into()).or_default();
        assert_eq!(gdal, csv);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn registry_and_territory_exports_read_back() {
    let Some((python, dir)) = pyarrow_and_folder("registry_and_territory_exports_read_back") else {
        return;
    };
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();

    cpts_atlas(&["export", "cpts", "--output", &file("cpts.csv")]);
    cpts_atlas(&["export", "cpts", "--output", &file("cpts.parquet")]);
    let csv = csv_pairs(Path::new(&file("cpts.csv")), "id", "population");
    assert_eq!(csv.len(), 70);
    let read = read_parquet(&python, Path::new(&file("cpts.parquet")));
    assert_eq!(parquet_pairs(&read, "id", "population"), csv);
    check_geo(&read);

    // A territory's communes: the legal populations of the COG, as the CSV says.
    let codes = "13001,13071,13201";
    cpts_atlas(&[
        "export",
        "territory",
        "--communes",
        codes,
        "--output",
        &file("t.csv"),
    ]);
    cpts_atlas(&[
        "export",
        "territory",
        "--communes",
        codes,
        "--output",
        &file("t.parquet"),
    ]);
    let csv = csv_pairs(Path::new(&file("t.csv")), "code", "population");
    let expected: BTreeMap<String, String> = codes
        .split(',')
        .map(|code| {
            let population = match common::atlas().find(code).unwrap() {
                cpts_atlas::engine::CommuneRef::Commune(i) => common::atlas().commune(i).population,
                cpts_atlas::engine::CommuneRef::Arrondissement(a) => {
                    common::atlas().arrondissement(a).population
                }
            };
            (code.to_string(), population.unwrap().to_string())
        })
        .collect();
    assert_eq!(csv, expected);
    let read = read_parquet(&python, Path::new(&file("t.parquet")));
    assert_eq!(parquet_pairs(&read, "code", "population"), csv);
    check_geo(&read);
    let _ = std::fs::remove_dir_all(&dir);
}
