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

    // DuckDB (another Parquet reader we did not write) reads the same rows and the `geo` key.
    let parquet = run("parquet");
    if required_tool(
        test,
        runs(python.to_str().unwrap(), &["-c", "import duckdb"]),
        "the duckdb Python package in .venv-tests",
    ) {
        let script = "import duckdb, json, sys\n\
            rows = duckdb.sql(f\"select territory, population::varchar from read_parquet('{sys.argv[1]}')\").fetchall()\n\
            geo = duckdb.sql(f\"select decode(value) from parquet_kv_metadata('{sys.argv[1]}') where decode(key) = 'geo'\").fetchall()\n\
            print(json.dumps({'rows': rows, 'geo': json.loads(geo[0][0])}))";
        let output = Command::new(&python)
            .args(["-c", script])
            .arg(&parquet)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let read: Value = serde_json::from_slice(&output.stdout).unwrap();
        let duck: BTreeMap<String, String> = read["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_string(),
                    r[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(duck, csv);
        assert_eq!(read["geo"]["columns"]["geometry"]["encoding"], "WKB");
    }

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

/// `chunks` chunks of `rows` squares each, one a degree apart, with their index as `id`.
fn squares(chunk: usize, rows: usize) -> cpts_atlas::model::FeatureTable {
    use cpts_atlas::model::{Column, ColumnKind, FeatureTable, TableRow};
    FeatureTable {
        columns: vec![Column {
            name: "id".into(),
            kind: ColumnKind::Int,
        }],
        rows: (0..rows)
            .map(|k| {
                let n = chunk * rows + k;
                // Every square distinct (no dictionary encoding shrinks them).
                let x = n as f64 * 1e-4;
                TableRow {
                    geometry: Some(geo::MultiPolygon(vec![geo::Polygon::new(
                        geo::LineString::from(vec![
                            (x, 40.),
                            (x + 0.01, 40.),
                            (x + 0.01, 40.01),
                            (x, 40.),
                        ]),
                        Vec::new(),
                    )])),
                    values: vec![serde_json::json!(n)],
                }
            })
            .collect(),
    }
}

#[test]
fn large_geoparquet_and_flatgeobuf_exports_go_to_the_file_as_they_are_written() {
    use cpts_atlas::export::{ExportWriter, ROW_GROUP_ROWS};
    let dir = std::env::temp_dir().join(format!("cpts-atlas-streamed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (chunks, rows) = (6, 1000);
    for ext in ["parquet", "fgb"] {
        let path = dir.join(format!("many.{ext}"));
        let mut writer = ExportWriter::create(&path).unwrap();
        let mut sizes = Vec::new();
        for chunk in 0..chunks {
            writer.write(&squares(chunk, rows)).unwrap();
            sizes.push(std::fs::metadata(&path).unwrap().len());
        }
        // Written as it goes: after 3 000 rows (93 bytes of WKB each) the file already
        // holds most of them, before the end; a GeoParquet row group is at most
        // ROW_GROUP_ROWS rows, so at most that many are held back.
        let held = (ROW_GROUP_ROWS * 93 + 16 * 1024) as u64;
        assert!(sizes[2] + held >= 3 * 93 * rows as u64, "{ext}: {sizes:?}");
        assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{ext}: {sizes:?}");
        if ext == "parquet" {
            assert!(
                writer.flushed_row_groups() >= 5,
                "{}",
                writer.flushed_row_groups()
            );
        }
        writer.finish().unwrap();
    }

    // Read back by the crate: every row, in row groups of at most ROW_GROUP_ROWS, the geo key.
    let file = std::fs::File::open(dir.join("many.parquet")).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let metadata = reader.metadata().clone();
    let total: i64 = metadata.row_groups().iter().map(|g| g.num_rows()).sum();
    assert_eq!(total, (chunks * rows) as i64);
    assert!(metadata
        .row_groups()
        .iter()
        .all(|g| g.num_rows() as usize <= ROW_GROUP_ROWS));
    let geo = metadata
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .find(|kv| kv.key == "geo")
        .and_then(|kv| kv.value.clone())
        .unwrap();
    let geo: Value = serde_json::from_str(&geo).unwrap();
    let bbox: Vec<f64> = geo["columns"]["geometry"]["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (got, want) in bbox.iter().zip([0.0, 40.0, 0.6099, 40.01]) {
        assert!((got - want).abs() < 1e-9, "{bbox:?}");
    }

    // The FlatGeobuf header's count and extent, filled in at the end, as GDAL reads them.
    if required_tool(
        "large_geoparquet_and_flatgeobuf_exports_go_to_the_file_as_they_are_written",
        runs("ogrinfo", &["--version"]),
        "GDAL (Debian gdal-bin)",
    ) {
        let output = Command::new("ogrinfo")
            .args(["-ro", "-so", "-al"])
            .arg(dir.join("many.fgb"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains(&format!("Feature Count: {}", chunks * rows)),
            "{text}"
        );
        assert!(
            text.contains("Extent: (0.000000, 40.000000) - (0.609900, 40.010000)"),
            "{text}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `batch` on `input` to a CSV; the `territory -> (population, error)` of its rows.
fn batch_csv(input: &Path, out: &Path) -> BTreeMap<String, (String, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(["batch", "--no-registry", "--input"])
        .arg(input)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let populations = csv_pairs(out, "territory", "population");
    let errors = csv_pairs(out, "territory", "error");
    populations
        .into_iter()
        .map(|(k, p)| {
            let e = errors[&k].clone();
            (k, (p, e))
        })
        .collect()
}

#[test]
fn batch_reads_parquet_territories_as_duckdb_and_pyarrow_write_them() {
    let test = "batch_reads_parquet_territories_as_duckdb_and_pyarrow_write_them";
    let Some((python, dir)) = pyarrow_and_folder(test) else {
        return;
    };
    // The same territories as CSV (the reader the batch had): wide and long format.
    let csv = dir.join("t.csv");
    std::fs::write(
        &csv,
        "territory;communes\nAix;13001 13071\nMarseille 1er;13201\nMarseille 1er;13202\n",
    )
    .unwrap();
    let expected = batch_csv(&csv, &dir.join("from-csv.csv"));
    assert_eq!(expected.len(), 2);
    assert!(expected
        .values()
        .all(|(p, e)| !p.is_empty() && e.is_empty()));

    // pyarrow: a list column for Aix, one text code per row for Marseille, a row without code,
    // integer codes (leading zero lost: 1004 is 01004, Ambérieu-en-Bugey) in a second file.
    let script = r#"
import sys, struct, pyarrow as pa, pyarrow.parquet as pq
d = sys.argv[1]
pq.write_table(pa.table({
    "nom": ["Aix", "Marseille 1er", "Marseille 1er", "Vide"],
    "communes": [["13001", "13071"], ["13201"], ["13202"], None],
}), d + "/lists.parquet")
pq.write_table(pa.table({"territory": ["Ain"], "code_insee": pa.array([1004], pa.int64())}), d + "/ints.parquet")
def square(x, y, r):
    ring = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r), (x - r, y - r)]
    return struct.pack("<BII", 1, 3, 1) + struct.pack("<I", 5) + b"".join(struct.pack("<dd", *p) for p in ring)
point = struct.pack("<BIdd", 1, 1, 5.44, 43.53)
table = pa.table({"name": ["Carré d'Aix", "Point"], "geom": [square(5.44, 43.53, 0.01), point]})
table = table.replace_schema_metadata({"geo": '{"version":"1.1.0","primary_column":"geom","columns":{"geom":{"encoding":"WKB","geometry_types":["Polygon"]}}}'})
pq.write_table(table, d + "/shapes.parquet")
"#;
    let status = Command::new(&python)
        .args(["-c", script])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let lists = batch_csv(&dir.join("lists.parquet"), &dir.join("lists.csv"));
    assert_eq!(lists["Aix"], expected["Aix"]);
    assert_eq!(lists["Marseille 1er"], expected["Marseille 1er"]);
    assert!(
        lists["Vide"].1.contains("row 4") && lists["Vide"].1.contains("communes"),
        "{:?}",
        lists["Vide"]
    );
    // 01004 Ambérieu-en-Bugey: the population of the raw COG file.
    let ints = batch_csv(&dir.join("ints.parquet"), &dir.join("ints.csv"));
    let population = match common::atlas().find("01004").unwrap() {
        cpts_atlas::engine::CommuneRef::Commune(i) => common::atlas().commune(i).population,
        cpts_atlas::engine::CommuneRef::Arrondissement(a) => {
            common::atlas().arrondissement(a).population
        }
    };
    assert_eq!(ints["Ain"].0, population.unwrap().to_string());

    let shapes = batch_csv(&dir.join("shapes.parquet"), &dir.join("shapes.csv"));
    assert!(
        shapes["Carré d'Aix"].1.is_empty(),
        "{:?}",
        shapes["Carré d'Aix"]
    );
    let communes = csv_pairs(&dir.join("shapes.csv"), "territory", "commune_count");
    assert!(
        communes["Carré d'Aix"].parse::<u64>().unwrap() >= 1,
        "{communes:?}"
    );
    let point = &shapes["Point"].1;
    assert!(
        point.contains("row 2") && point.contains("geom") && point.contains("type 1"),
        "{point}"
    );

    // DuckDB's own writer (a LIST column), when the package is there.
    if required_tool(
        test,
        runs(python.to_str().unwrap(), &["-c", "import duckdb"]),
        "the duckdb Python package in .venv-tests",
    ) {
        let file = dir.join("duck.parquet");
        let sql = format!(
            "COPY (SELECT 'Aix' AS territory, ['13001', '13071'] AS communes UNION ALL \
             SELECT 'Marseille 1er', ['13201', '13202']) TO '{}' (FORMAT parquet)",
            file.display()
        );
        let status = Command::new(&python)
            .args(["-c", "import duckdb, sys; duckdb.sql(sys.argv[1])", &sql])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        assert_eq!(batch_csv(&file, &dir.join("duck.csv")), expected);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
