//! The `cpts-atlas diagnose` command as a user runs it: outputs, errors and exit codes.

use std::io::Write;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(args)
        .env_remove("CPTS_ATLAS_DATA")
        .output()
        .expect("the binary runs")
}

fn temp_file(name: &str, content: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("cpts-cli-{}-{name}", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(content.as_bytes())
        .unwrap();
    path
}

#[test]
fn diagnose_codes_prints_json_with_the_key_fields() {
    let out = run(&["diagnose", "--communes", "13001,13002"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["population", "tier", "commune_count", "area_km2", "funding"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["commune_count"], 2);
}

#[test]
fn diagnose_text_summary_is_readable() {
    let out = run(&["diagnose", "--communes", "13001", "--format", "text"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Taille 3"), "{text}");
    assert!(text.contains("Population"), "{text}");
}

#[test]
fn diagnose_geojson_file() {
    let path = temp_file(
        "box.geojson",
        r#"{"type":"Polygon","coordinates":[[[5.35,43.45],[5.55,43.45],[5.55,43.6],[5.35,43.6],[5.35,43.45]]]}"#,
    );
    let out = run(&["diagnose", "--geojson", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["partial_commune_count"].as_u64().unwrap() > 0);
}

#[test]
fn bad_input_is_a_clear_error_and_a_failure_exit() {
    let invalid = temp_file(
        "invalid.geojson",
        r#"{"type":"Polygon","coordinates":[[[5,43],[5.1"#,
    );
    let sea = temp_file(
        "sea.geojson",
        r#"{"type":"Polygon","coordinates":[[[-30,40],[-29,40],[-29,41],[-30,41],[-30,40]]]}"#,
    );
    let point = temp_file("point.geojson", r#"{"type":"Point","coordinates":[5,43]}"#);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["diagnose", "--communes", "13001,99999"], "99999"),
        (vec!["diagnose", "--communes", ","], "empty"),
        (vec!["diagnose"], "--communes"),
        (
            vec!["diagnose", "--geojson", invalid.to_str().unwrap()],
            "not valid GeoJSON",
        ),
        (
            vec!["diagnose", "--geojson", sea.to_str().unwrap()],
            "covers no commune",
        ),
        (
            vec!["diagnose", "--geojson", point.to_str().unwrap()],
            "Point",
        ),
        (
            vec!["diagnose", "--geojson", "/nonexistent/x.geojson"],
            "cannot read",
        ),
        (vec!["diagnose", "--epci", "123"], "unknown EPCI"),
        (
            vec!["diagnose", "--communes", "13001", "--missions", "flying"],
            "unknown mission",
        ),
        (
            vec!["diagnose", "--communes", "13001", "--data", "/nonexistent"],
            "france.cpat",
        ),
    ];
    for (args, needle) in cases {
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    // `cpts-atlas coverage ... | head -c 100`: the reader leaves after the first bytes.
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(["coverage", "--region", "93", "--format", "geojson"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the pipe is closed while the answer (MBs) is being written.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?} {stderr}", output.status);
    assert!(first.starts_with(b"{\"type\":\"FeatureCollection\""));
}

#[test]
fn missing_or_corrupt_data_files_are_named_at_start() {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let data = std::env::temp_dir().join(format!("cpts-cli-{}-data", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    for entry in ["france.cpat", "iris.cpat", "registry", "supply"] {
        let copied = Command::new("cp")
            .arg("-r")
            .arg(shipped.join(entry))
            .arg(&data)
            .status()
            .unwrap();
        assert!(copied.success());
    }
    let data_arg = data.to_str().unwrap();
    let ok = run(&["diagnose", "--communes", "13001", "--data", data_arg]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for file in [
        "france.cpat",
        "iris.cpat",
        "registry/cpts-paca-2026.json",
        "supply/manifest.json",
        "supply/apl-2022.csv",
        "supply/establishments.csv",
        "supply/directory-normandie-ars-2021.csv",
    ] {
        let path = data.join(file);
        let original = std::fs::read(&path).unwrap();
        let half = &original[..original.len() / 2];
        for (fault, content) in [("missing", None), ("corrupt", Some(half))] {
            match content {
                None => std::fs::remove_file(&path).unwrap(),
                Some(bytes) => std::fs::write(&path, bytes).unwrap(),
            }
            let out = run(&["diagnose", "--communes", "13001", "--data", data_arg]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let name = std::path::Path::new(file)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            if fault == "missing" && ["iris.cpat", "supply/manifest.json"].contains(&file) {
                // Optional layers: without IRIS, partly covered communes count by area; without
                // the supply manifest, the diagnosis has no health indicators.
                assert!(out.status.success(), "{stderr}");
            } else if fault == "corrupt" && out.status.success() {
                // A CSV cut between two rows is still a valid, shorter file.
                assert!(file.ends_with(".csv"), "{file} cut in half was accepted");
            } else {
                assert!(!out.status.success(), "{file} {fault}: accepted");
                assert!(stderr.contains(name), "{file} {fault}: {stderr}");
            }
            assert!(!stderr.contains("panicked"), "{file} {fault}: {stderr}");
            std::fs::write(&path, &original).unwrap();
        }
    }
    let grid = temp_file("grid.json", "{\"missions\": [");
    let out = run(&[
        "diagnose",
        "--communes",
        "13001",
        "--grid",
        grid.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("grid.json"));
    let _ = std::fs::remove_dir_all(&data);
}
