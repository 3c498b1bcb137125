//! The batch and the API give the same figures for the same territories: commune codes,
//! arrondissements, IRIS codes, an EPCI and drawn polygons, through `cpts-atlas batch` (its CSV
//! output, as an analyst gets it) and `POST /api/diagnosis` in process (as the page gets it),
//! both on the shipped data with the shipped registry and health data.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use cpts_atlas::diagnosis::{FundingGrid, DEFAULT_GRID};
use cpts_atlas::engine::{Atlas, HealthAtlas, RegistryIndex};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The service as `serve` builds it by default (registry, health data, default grid).
fn router() -> axum::Router {
    static STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas =
            Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data()).expect("atlas"));
        let registry = RegistryIndex::new(
            &atlas,
            cpts_atlas::loaders::registry::read_registries(&[data().join(DEFAULT_REGISTRY_FILE)])
                .expect("registry"),
        )
        .expect("registry");
        let health = HealthAtlas::new(&atlas, read_health_data(&data()).expect("health data"));
        let grid = FundingGrid::by_id(DEFAULT_GRID).expect("grid");
        AppState::new(atlas, grid, registry, ServerConfig::default()).with_health(health)
    });
    app(state.clone())
}

/// `POST /api/diagnosis?territory=none` with this body.
fn api(body: &Value) -> Value {
    let request = Request::post("/api/diagnosis?territory=none")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    })
}

/// Runs `cpts-atlas batch` on `input` and reads its CSV output: one map per row.
fn batch(input: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let output = input.with_extension("out.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(["batch", "--quiet", "--input"])
        .arg(input)
        .arg("--output")
        .arg(&output)
        .env("CPTS_ATLAS_DATA", data())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(&output)
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// A figure of the API answer as the batch writes it: `digits` decimals, empty when null.
fn rounded(v: &Value, digits: i32) -> String {
    match v.as_f64() {
        Some(x) => {
            let k = 10f64.powi(digits);
            json!((x * k).round() / k).to_string()
        }
        None => String::new(),
    }
}

fn codes(list: &Value) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("|")
}

/// Compares a batch row with the API's answer for the same territory, column by column.
fn assert_same(name: &str, row: &std::collections::HashMap<String, String>, d: &Value) {
    assert_eq!(row["error"], "", "{name}: the batch failed");
    let gp = &d["supply"]["general_practitioner"];
    let apl = d["apl"]["editions"]
        .as_array()
        .and_then(|e| e.last())
        .cloned()
        .unwrap_or(Value::Null);
    let emergency = &d["care_places"]["emergency"];
    let share_75 = d["age_structure"]["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["group"] == "age_75_plus"))
        .map(|g| g["share"].clone())
        .unwrap_or(Value::Null);
    let overlaps: Vec<&str> = d["overlaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    let expected = [
        ("population", d["population"].to_string()),
        (
            "population_estimated",
            d["population_estimated"].to_string(),
        ),
        ("tier", d["tier"]["size"].to_string()),
        (
            "funding_grid",
            d["funding"]["grid"].as_str().unwrap().to_string(),
        ),
        ("commune_count", d["commune_count"].to_string()),
        (
            "partial_commune_count",
            d["partial_commune_count"].to_string(),
        ),
        ("area_km2", rounded(&d["area_km2"], 3)),
        ("density_per_km2", rounded(&d["density_per_km2"], 1)),
        ("departements", codes(&d["departements"])),
        ("regions", codes(&d["regions"])),
        ("overlap_count", overlaps.len().to_string()),
        ("overlaps", overlaps.join("|")),
        (
            "registry_coverage",
            d["registry_coverage"]["status"]
                .as_str()
                .unwrap()
                .to_string(),
        ),
        ("gp_count", rounded(&gp["count"], 1)),
        (
            "gp_source",
            gp["directory"].as_str().unwrap_or_default().to_string(),
        ),
        ("apl", rounded(&apl["apl"], 2)),
        ("emergency_inside", emergency["inside"].to_string()),
        ("share_75_plus", rounded(&share_75, 4)),
        ("fedi", rounded(&d["fragility"]["fedi"]["value"], 2)),
    ];
    for (column, value) in expected {
        assert_eq!(row[column], value, "{name}: column {column}");
    }
    // Never equal by being both empty: every territory has a population and a GP count.
    assert!(d["population"].as_u64().unwrap() > 0, "{name}");
    assert!(!row["gp_count"].is_empty(), "{name}");
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-batch-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn batch_and_api_agree_on_codes_arrondissements_iris_and_an_epci() {
    let atlas = common::atlas();
    let epci = atlas
        .geography()
        .epcis
        .iter()
        .find(|e| e.members.iter().any(|m| m == "23096"))
        .expect("the EPCI of Guéret");
    let territories: [(&str, Value, &str); 7] = [
        (
            "creuse",
            json!({"communes": ["23096", "23079", "23031"]}),
            "23096 23079 23031",
        ),
        (
            "bessin",
            json!({"communes": ["14047", "14001", "14002"]}),
            "14047,14001,14002",
        ),
        (
            "lyon",
            json!({"communes": ["69381", "69382"]}),
            "69381|69382",
        ),
        (
            "marseille",
            json!({"communes": ["13201", "13202", "13203"]}),
            "13201 13202 13203",
        ),
        (
            "toulouse_iris",
            json!({"communes": ["315552802", "315552801"]}),
            "315552802 315552801",
        ),
        (
            "mixed_iris",
            json!({"communes": ["315552802", "31003"]}),
            "315552802 31003",
        ),
        ("epci", json!({"epci": epci.siren}), ""),
    ];
    let mut csv = String::from("territory;codes;epci\n");
    for (name, _, listed) in &territories {
        let siren = if listed.is_empty() {
            epci.siren.as_str()
        } else {
            ""
        };
        csv.push_str(&format!("{name};{listed};{siren}\n"));
    }
    let input = temp("codes.csv");
    std::fs::write(&input, csv).unwrap();
    let rows = batch(&input);
    assert_eq!(rows.len(), territories.len());
    for ((name, body, _), row) in territories.iter().zip(&rows) {
        assert_eq!(row["territory"], *name);
        assert_same(name, row, &api(body));
    }
    let row = |name: &str| rows.iter().find(|r| r["territory"] == name).unwrap();
    // The figures compared are there: overlaps in Marseille, IRIS counted in part, the
    // Normandie directory, an APL and the 75+ share for whole communes.
    assert!(row("marseille")["overlap_count"].parse::<u32>().unwrap() > 0);
    assert_eq!(row("toulouse_iris")["partial_commune_count"], "2");
    assert_eq!(row("bessin")["gp_source"], "normandie-ars-2021");
    assert!(!row("creuse")["apl"].is_empty() && !row("creuse")["share_75_plus"].is_empty());
}

#[test]
fn batch_and_api_agree_on_drawn_polygons() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/squares-550.geojson"),
    )
    .unwrap();
    let mut squares: Value = serde_json::from_str(&text).unwrap();
    let features = squares["features"].as_array_mut().unwrap();
    features.truncate(4);
    // The Aix square of the benches: partly covered communes counted through their IRIS, and
    // overlaps with the PACA registry.
    let aix: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/drawn-50.geojson"),
        )
        .unwrap(),
    )
    .unwrap();
    let aix_geometry = match aix["type"].as_str() {
        Some("Feature") => aix["geometry"].clone(),
        _ => aix.clone(),
    };
    features
        .push(json!({"type": "Feature", "properties": {"name": "aix"}, "geometry": aix_geometry}));
    for (i, f) in features.iter_mut().enumerate() {
        f["properties"] = json!({"name": format!("square {i}")});
    }
    let input = temp("drawn.geojson");
    std::fs::write(&input, squares.to_string()).unwrap();
    let rows = batch(&input);
    let features = squares["features"].as_array().unwrap();
    assert_eq!(rows.len(), features.len());
    let mut partial = 0;
    for (f, row) in features.iter().zip(&rows) {
        let name = f["properties"]["name"].as_str().unwrap();
        let d = api(&json!({"geometry": f["geometry"]}));
        partial += d["partial_commune_count"].as_u64().unwrap();
        assert_same(name, row, &d);
    }
    assert!(partial > 0, "some commune is counted in part");
}
