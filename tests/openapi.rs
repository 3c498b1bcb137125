//! The served OpenAPI document against the service itself: every route the router serves is in
//! it (and nothing else), the document is valid OpenAPI 3.1, and real answers validate against
//! its schemas (read by openapi-spec-validator and jsonschema, which we did not write).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::server::{required_tool, runs};
use cpts_atlas::diagnosis::FundingGrid;
use cpts_atlas::engine::{Atlas, HealthAtlas, RegistryIndex};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::store::TerritoryStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The service on the shipped data, with health data, the registry and an empty store.
fn router() -> Router {
    static STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas = Atlas::new(common::atlas().whole_geography())
            .with_iris(common::atlas().iris_layer().clone());
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let registry = RegistryIndex::new(
            &atlas,
            cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
                .expect("registry"),
        )
        .expect("registry");
        let health = HealthAtlas::new(&atlas, read_health_data(&data).expect("health data"));
        AppState::new(
            atlas,
            FundingGrid::aci_2019(),
            registry,
            ServerConfig::default(),
        )
        .with_store(TerritoryStore::open_in_memory().expect("store"))
        .with_health(health)
    });
    app(state.clone())
}

async fn call(method: Method, uri: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = router().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn document() -> Value {
    let (status, document) = call(Method::GET, "/api/openapi.json", "").await;
    assert_eq!(status, StatusCode::OK);
    document
}

/// The methods axum routes by (HEAD follows GET, OPTIONS and TRACE are not served).
const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// Whether the router answered with its fallback: no route for that path.
fn is_fallback(status: StatusCode, body: &Value) -> bool {
    status == StatusCode::NOT_FOUND
        && body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("no route for"))
}

/// Each documented path, with its parameters filled, is served for exactly the documented
/// methods: a documented method is routed (not the fallback, not 405) and any other method
/// answers 405. So the document lists no route the router lacks, and on each of its paths
/// every method the router serves.
#[tokio::test]
async fn every_documented_path_is_served_for_exactly_its_documented_methods() {
    let document = document().await;
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{} paths", paths.len());
    for (path, item) in paths {
        let uri = path
            .replace("{id}", "1")
            .replace("{collectionId}", "communes")
            .replace("{featureId}", "13001");
        assert!(!uri.contains('{'), "unfilled parameter in {path}");
        for method in METHODS {
            let documented = item.get(method.as_str().to_lowercase()).is_some();
            let (status, body) = call(method.clone(), &uri, "{}").await;
            if documented {
                assert!(
                    !is_fallback(status, &body) && status != StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is documented but not served: {status} {body}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not documented: {body}"
                );
            }
        }
    }
}

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// axum cannot list a router's routes, so the other half is read in the router's definition:
/// outside the static front end (`http/web.rs`), no route is registered by axum's own calls
/// (`.route(...)`, `.route_service(...)`, `.nest_service(...)`), only by utoipa-axum's
/// `routes!`, which takes the path and methods from the handler's `#[utoipa::path]`, so that a
/// route cannot be added without its documentation. The front end's own routes stay outside the
/// API's prefixes.
#[test]
fn no_route_is_registered_outside_the_document() {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let bypasses = [
        ".route(",
        ".route_service(",
        ".nest_service(",
        ".fallback_service(",
    ];
    let mut found = Vec::new();
    for file in rust_files(&http) {
        let text = std::fs::read_to_string(&file).unwrap();
        let web = file.ends_with("web.rs");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for call in bypasses {
                if let Some(at) = code.find(call) {
                    let path = code[at + call.len()..].trim_start().trim_start_matches('"');
                    let api = ["/api", "/ogc", "/metrics"]
                        .iter()
                        .any(|p| path.starts_with(p));
                    if !web || api {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "routes registered without their OpenAPI operation:\n{}",
        found.join("\n")
    );
    // The scan reads the calls it means to refuse: the front end has them.
    let web = std::fs::read_to_string(http.join("web.rs")).unwrap();
    assert!(web.contains(".route_service(\"/\""));
}

/// A Python with openapi-spec-validator and jsonschema: the tests' venv of scripts/setup.sh,
/// else `python3`.
fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-tests/bin/python");
    let imports = "import jsonschema, openapi_spec_validator";
    [venv, PathBuf::from("python3")]
        .into_iter()
        .find(|p| runs(p.to_str().unwrap(), &["-c", imports]))
}

/// Real answers (diagnoses of communes, arrondissements, IRIS, a drawn polygon, an EPCI, with
/// and without the territory's GeoJSON; error answers) validate against the document's
/// `DiagnosisResponse` and `Error` schemas, with no field the schema does not declare, and the
/// document is valid OpenAPI 3.1 (tests/validate_openapi.py).
#[tokio::test]
async fn real_answers_validate_against_the_documented_schemas() {
    let test = "real_answers_validate_against_the_documented_schemas";
    let Some(python) = python() else {
        required_tool(
            test,
            false,
            "python3 with openapi-spec-validator and jsonschema",
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("cpts-atlas-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let document_file = dir.join("openapi.json");
    std::fs::write(&document_file, document().await.to_string()).unwrap();
    let drawn = r#"{"geometry":{"type":"Polygon","coordinates":[[[5.35,43.45],[5.55,43.45],[5.55,43.6],[5.35,43.6],[5.35,43.45]]]},"missions":["access_to_care"]}"#;
    let answers = [
        (
            "/api/diagnosis?territory=none",
            r#"{"communes":["13001","13032","13113"]}"#,
            StatusCode::OK,
        ),
        (
            "/api/diagnosis",
            r#"{"communes":["13201","13202","14118"],"grid":"avenant-2-2021"}"#,
            StatusCode::OK,
        ),
        ("/api/diagnosis?territory=simplified", drawn, StatusCode::OK),
        (
            "/api/diagnosis?territory=none",
            r#"{"epci":"200054807"}"#,
            StatusCode::OK,
        ),
        (
            "/api/diagnosis",
            r#"{"communes":["99999"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/coverage?departement=69",
            "",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    let mut pairs = Vec::new();
    for (i, (uri, body, expected)) in answers.iter().enumerate() {
        let method = if body.is_empty() {
            Method::GET
        } else {
            Method::POST
        };
        let (status, answer) = call(method, uri, body).await;
        assert_eq!(status, *expected, "{uri} {body}: {answer}");
        let schema = if status.is_success() {
            // Health indicators present: the schema is checked on them too.
            assert!(answer["supply"].is_object(), "{uri}: no health indicators");
            "DiagnosisResponse"
        } else {
            "Error"
        };
        let file = dir.join(format!("answer-{i}.json"));
        std::fs::write(&file, answer.to_string()).unwrap();
        pairs.push(format!("{schema}={}", file.display()));
    }
    let (ok, said) = validate(&python, &document_file, &pairs);
    assert!(ok, "{said}");
    assert!(said.contains("valid OpenAPI 3.1"), "{said}");
    // The check can fail: a field the schema lacks, and a required field missing, are caught.
    let mut drifted: Value =
        serde_json::from_slice(&std::fs::read(dir.join("answer-0.json")).unwrap()).unwrap();
    drifted["supply"]["general_practitioner"]["new_figure"] = 1.into();
    drifted.as_object_mut().unwrap().remove("population");
    let file = dir.join("drifted.json");
    std::fs::write(&file, drifted.to_string()).unwrap();
    let (ok, said) = validate(
        &python,
        &document_file,
        &[format!("DiagnosisResponse={}", file.display())],
    );
    assert!(!ok, "a drifted answer passed: {said}");
    assert!(
        said.contains("'population' is a required property"),
        "{said}"
    );
    assert!(
        said.contains("$.supply.general_practitioner.new_figure: not declared"),
        "{said}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs tests/validate_openapi.py: whether it passed, and what it said.
fn validate(python: &Path, document: &Path, pairs: &[String]) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate_openapi.py");
    let output = Command::new(python)
        .arg(script)
        .arg(document)
        .args(pairs)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}
