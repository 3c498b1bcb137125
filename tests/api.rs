//! The HTTP API in-process (`tower::ServiceExt::oneshot`): contracts and bad inputs.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use cpts_atlas::diagnosis::FundingGrid;
use cpts_atlas::engine::{Atlas, HealthAtlas, RegistryIndex};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::store::TerritoryStore;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789";

fn router() -> Router {
    static STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas = Atlas::new(common::atlas().whole_geography())
            .with_iris(common::atlas().iris_layer().clone());
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let registry = RegistryIndex::new(
            &atlas,
            cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
                .expect("registry"),
        )
        .expect("registry");
        let store = TerritoryStore::open_in_memory().expect("store");
        let config = ServerConfig {
            write_token: Some(TOKEN.to_string()),
            ..ServerConfig::default()
        };
        let health = HealthAtlas::new(&atlas, read_health_data(&data).expect("health data"));
        AppState::new(atlas, FundingGrid::aci_2019(), registry, config)
            .with_store(store)
            .with_health(health)
    });
    app(state.clone())
}

async fn send(request: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let response = router().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body, headers)
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let (s, b, _) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, b)
}

async fn post_json(uri: &str, body: &str) -> (StatusCode, Value) {
    write("POST", uri, body, None).await
}

/// A request with a JSON body and an optional bearer token.
async fn write(method: &str, uri: &str, body: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let (s, b, _) = send(request.body(Body::from(body.to_string())).unwrap()).await;
    (s, b)
}

#[tokio::test]
async fn health_version_missions_openapi() {
    assert_eq!(
        get("/api/health").await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    let (status, version) = get("/api/version").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        version["dataset"]["communes"],
        common::atlas().communes().len()
    );
    let (_, missions) = get("/api/missions").await;
    assert_eq!(missions["missions"].as_array().unwrap().len(), 7);
    // Follow-up indicators come from the grid's data, with the measure giving today's value.
    let access = &missions["missions"][1];
    assert_eq!(access["id"], "access_to_care");
    assert_eq!(access["indicators"][0]["measure"], "share_without_gp");
    assert!(missions["indicators_note"]
        .as_str()
        .unwrap()
        .contains("contrat"));
    let (status, openapi) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/diagnosis",
        "/api/communes",
        "/api/iris",
        "/api/arrondissements",
        "/api/search",
        "/api/health",
        "/api/dossier/letter",
        "/api/territories/{id}/budget",
    ] {
        assert!(
            openapi["paths"].get(path).is_some(),
            "OpenAPI misses {path}"
        );
    }
}

#[tokio::test]
async fn diagnosis_by_codes_matches_the_sum_of_populations() {
    let atlas = common::atlas();
    let codes = ["13001", "13032", "13113"];
    let expected: u64 = codes
        .iter()
        .map(|c| match atlas.find(c).unwrap() {
            cpts_atlas::engine::CommuneRef::Commune(i) => atlas.commune(i).population.unwrap(),
            _ => unreachable!(),
        })
        .sum();
    let (status, body) = post_json(
        "/api/diagnosis",
        r#"{"communes":["13001","13032","13113"]}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["population"], expected);
    assert_eq!(body["tier"]["label"], "Taille 3");
    let levels: Vec<&str> = body["density_comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["departement", "region", "france"]);
    assert_eq!(body["territory"]["type"], "FeatureCollection");
    let features = body["territory"]["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    assert_eq!(features[0]["properties"]["coverage"], 1.0);
    assert!(features[0]["geometry"]["type"] == "MultiPolygon");
}

#[tokio::test]
async fn diagnosis_by_drawn_geometry_and_missions() {
    let body = r#"{"geometry":{"type":"Polygon","coordinates":[[[5.35,43.45],[5.55,43.45],[5.55,43.6],[5.35,43.6],[5.35,43.45]]]},
                   "missions":["quality_relevance"]}"#;
    let (status, d) = post_json("/api/diagnosis?territory=none", body).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert!(d["partial_commune_count"].as_u64().unwrap() > 0);
    assert!(d["population_estimated"].as_u64().unwrap() > 0);
    let lines = d["funding"]["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["mission"] == "quality_relevance"));
    assert!(
        d.get("territory").is_none(),
        "territory=none leaves the outlines out"
    );
    // Clockwise ring: same answer.
    let cw = r#"{"geometry":{"type":"Polygon","coordinates":[[[5.35,43.45],[5.35,43.6],[5.55,43.6],[5.55,43.45],[5.35,43.45]]]},
                 "missions":["quality_relevance"]}"#;
    let (_, d2) = post_json("/api/diagnosis?territory=none", cw).await;
    assert_eq!(d["population"], d2["population"]);
    assert_eq!(
        d["warnings"],
        serde_json::json!([]),
        "a valid polygon needs no repair"
    );
    // A bow-tie and an unclosed ring: repaired, and the answer says so.
    let bow_tie = r#"{"geometry":{"type":"Polygon","coordinates":[[[5.35,43.45],[5.55,43.6],[5.55,43.45],[5.35,43.6]]]}}"#;
    let (status, d3) = post_json("/api/diagnosis?territory=none", bow_tie).await;
    assert_eq!(status, StatusCode::OK, "{d3}");
    let warnings = d3["warnings"].to_string();
    assert!(warnings.contains("was not closed"), "{warnings}");
    assert!(
        warnings.contains("repaired with the odd-even rule"),
        "{warnings}"
    );
}

#[tokio::test]
async fn communes_layer_by_bbox_and_zoom() {
    let (status, low) = get("/api/communes?bbox=5.3,43.4,5.6,43.7&zoom=8").await;
    assert_eq!(status, StatusCode::OK);
    let (_, high) = get("/api/communes?bbox=5.3,43.4,5.6,43.7&zoom=14").await;
    let count = |v: &Value| v["features"].as_array().unwrap().len();
    assert_eq!(count(&low), count(&high));
    assert!(count(&low) > 20);
    let size = |v: &Value| v.to_string().len();
    assert!(size(&low) < size(&high) / 2, "low zoom is simplified");
    let aix = high["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "13001")
        .unwrap();
    assert_eq!(aix["properties"]["name"], "Aix-en-Provence");
}

#[tokio::test]
async fn search_finds_names_without_accents() {
    let (status, body) = get("/api/search?q=saint%20etienne&limit=3").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["code"], "42218");
    let (_, by_code) = get("/api/search?q=13001").await;
    assert_eq!(by_code["results"][0]["name"], "Aix-en-Provence");
}

#[tokio::test]
async fn bad_inputs_are_4xx_with_a_json_error() {
    let big_ring: Vec<String> = (0..=30_000)
        .map(|i| {
            let a = i as f64 / 30_000.0 * std::f64::consts::TAU;
            format!("[{},{}]", 5.4 + 0.1 * a.cos(), 43.5 + 0.1 * a.sin())
        })
        .collect();
    let too_many = format!(
        r#"{{"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
        big_ring.join(",")
    );
    let nested = format!(r#"{{"geometry":{}{}}}"#, "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        ("/api/diagnosis", "{not json".into(), StatusCode::BAD_REQUEST, "invalid_json"),
        ("/api/diagnosis", "{}".into(), StatusCode::UNPROCESSABLE_ENTITY, "missing_territory"),
        ("/api/diagnosis", r#"{"communes":["13001"],"epci":"200054807"}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "ambiguous_territory"),
        ("/api/diagnosis", r#"{"communes":["99999"]}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "unknown_codes"),
        ("/api/diagnosis", r#"{"communes":[]}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "empty_territory"),
        ("/api/diagnosis", r#"{"communes":["13001"],"missions":["x"]}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "unknown_mission"),
        ("/api/diagnosis", r#"{"communes":["13055","13201"]}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "double_counted"),
        ("/api/diagnosis", r#"{"epci":"000"}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "unknown_epci"),
        ("/api/diagnosis", r#"{"geometry":{"type":"Point","coordinates":[5,43]}}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "unsupported_geometry"),
        ("/api/diagnosis", r#"{"geometry":{"type":"Polygon","coordinates":[[[5,43],[6,43],[5,43]]]}}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_geometry"),
        ("/api/diagnosis", r#"{"geometry":{"type":"Polygon","coordinates":[[[5,43],[600,43],[6,44],[5,43]]]}}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_geometry"),
        ("/api/diagnosis", r#"{"geometry":{"type":"Nonsense"}}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_geojson"),
        ("/api/diagnosis", r#"{"geometry":{"type":"Polygon","coordinates":[[[-30,40],[-29,40],[-29,41],[-30,40]]]}}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "outside_geography"),
        ("/api/diagnosis", r#"{"communes":["13001"],"extra":1}"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/diagnosis", r#"[1,2]"#.into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/diagnosis", too_many, StatusCode::UNPROCESSABLE_ENTITY, "too_many_vertices"),
        ("/api/diagnosis", nested, StatusCode::BAD_REQUEST, "invalid_json"),
        ("/api/diagnosis", format!(r#"{{"communes":["{}"]}}"#, "1".repeat(3_000_000)), StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
    ];
    for (uri, body, status, code) in cases {
        let (got, json) = post_json(uri, &body).await;
        assert_eq!(got, status, "{}: {json}", &body[..body.len().min(80)]);
        assert_eq!(
            json["error"]["code"],
            code,
            "{}: {json}",
            &body[..body.len().min(80)]
        );
        assert!(json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    for uri in [
        "/api/communes?bbox=1,2,3",
        "/api/communes?bbox=5,44,4,43&zoom=10",
        "/api/communes?bbox=a,b,c,d",
        "/api/communes",
        "/api/communes?bbox=-5,41,10,51&zoom=5",
        "/api/nowhere",
    ] {
        let (status, json) = get(uri).await;
        assert!(status.is_client_error(), "{uri}: {status}");
        assert!(json["error"]["code"].is_string(), "{uri}: {json}");
    }
}

#[tokio::test]
async fn page_is_served_with_security_headers_and_private_files_are_not() {
    let (status, _, headers) = send(Request::get("/report").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the printable report page");
    assert!(headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    let (status, _, headers) = send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    for uri in [
        "/static/package.json",
        "/static/node_modules/leaflet/package.json",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/..%2fCargo.toml",
        "/vendor/leaflet/../../../../Cargo.toml",
    ] {
        let (status, _, _) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
        assert!(status.is_client_error(), "{uri}: {status}");
    }
}

#[tokio::test]
async fn registry_layers_and_diagnosis_overlaps() {
    let (status, cpts) = get("/api/cpts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cpts["features"].as_array().unwrap().len(), 70);
    let (status, overlaps) = get("/api/overlaps").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(overlaps["type"], "FeatureCollection");
    let (status, coverage) = get("/api/coverage?departement=13").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!coverage["features"].as_array().unwrap().is_empty());
    for uri in ["/api/coverage?departement=13&region=93", "/api/coverage"] {
        assert_eq!(get(uri).await.0, StatusCode::BAD_REQUEST, "{uri}");
    }
    // Aix-en-Provence belongs to an existing CPTS: a candidate over it overlaps it, by name.
    let (status, d) = post_json("/api/diagnosis?territory=none", r#"{"communes":["13001"]}"#).await;
    assert_eq!(status, StatusCode::OK);
    let overlaps = d["overlaps"].as_array().unwrap();
    assert!(!overlaps.is_empty(), "{d}");
    assert!(overlaps
        .iter()
        .all(|o| o["name"].as_str().is_some_and(|n| n.starts_with("CPTS"))));
}

#[tokio::test]
async fn saved_territories_need_the_token_and_round_trip() {
    let draft = r#"{"name":"Pays d'Aix nord","spec":{"codes":["13001","13113"]},"missions":["quality_relevance"],"author":"porteur@example.org"}"#;
    assert_eq!(
        write("POST", "/api/territories", draft, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        write("POST", "/api/territories", draft, Some("wrong"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, saved) = write("POST", "/api/territories", draft, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    let (status, got) = get(&format!("/api/territories/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["name"], "Pays d'Aix nord");
    assert_eq!(got["spec"]["codes"][1], "13113");
    let (status, renamed) = write(
        "PATCH",
        &format!("/api/territories/{id}"),
        r#"{"name":"Pays d'Aix"}"#,
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Pays d'Aix");
    let (_, list) = get("/api/territories?author=porteur@example.org").await;
    assert!(list.as_array().unwrap().iter().any(|t| t["id"] == id));
    assert_eq!(
        write("DELETE", &format!("/api/territories/{id}"), "", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        write("DELETE", &format!("/api/territories/{id}"), "", Some(TOKEN))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (status, err) = get(&format!("/api/territories/{id}")).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        get("/api/territories/999999").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get("/api/territories/abc").await.0, StatusCode::BAD_REQUEST);
    for bad in [
        r#"{"name":"","spec":{"codes":["13001"]},"author":"a"}"#,
        r#"{"name":"x","spec":{"codes":["99999"]},"author":"a"}"#,
        r#"{"name":"x","spec":{"codes":[]},"author":"a"}"#,
        r#"{"name":"x","spec":{"geojson":{"type":"Point","coordinates":[5,43]}},"author":"a"}"#,
        r#"{"name":"x","spec":{"codes":["13001"]}}"#,
        r#"{"name":"x","spec":{"shape":1},"author":"a"}"#,
        r#"{"name":"x","spec":{"codes":["13001"]},"missions":["nope"],"author":"a"}"#,
        "not json",
    ] {
        let (status, err) = write("POST", "/api/territories", bad, Some(TOKEN)).await;
        assert!(status.is_client_error(), "{bad}: {status}");
        assert!(err["error"]["message"].is_string(), "{bad}: {err}");
    }
}

#[tokio::test]
async fn metrics_request_ids_and_closed_cors() {
    let _ = get("/api/health").await;
    let (status, _, headers) = send(
        Request::get("/api/health")
            .header(header::ORIGIN, "https://elsewhere.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("x-request-id").is_some());
    assert!(
        headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
        "CORS closed by default"
    );
    let response = router()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(
        text.contains(
            r#"cpts_atlas_http_requests_total{route="/api/health",method="GET",status="200"}"#
        ),
        "{text}"
    );
    assert!(text.contains("cpts_atlas_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn diagnosis_carries_supply_and_access_with_sources() {
    // Bayeux (Calvados) is covered by the ARS Normandie directory and the DREES APL.
    let (status, d) = post_json("/api/diagnosis?territory=none", r#"{"communes":["14047"]}"#).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    let gp = &d["supply"]["general_practitioner"];
    assert_eq!(gp["available"], true, "{gp}");
    assert!(gp["count"].as_f64().unwrap() > 0.0);
    assert!(gp["source"].is_string() && gp["vintage"].is_string());
    assert!(
        d["apl"]["editions"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{}",
        d["apl"]
    );
    // The Normandie figure, with the INSEE BPE 2019 count beside it.
    assert_eq!(gp["directory"], "normandie-ars-2021");
    assert_eq!(gp["bpe"]["available"], true, "{gp}");
    assert!(gp["bpe"]["count"].as_f64().unwrap() > 0.0);
    assert_eq!(gp["bpe"]["vintage"], "2019");
    // Aix-en-Provence: no finer directory, the BPE is the figure, with its caveat and trend.
    let (_, aix) = post_json("/api/diagnosis?territory=none", r#"{"communes":["13001"]}"#).await;
    let gp = &aix["supply"]["general_practitioner"];
    assert_eq!(gp["available"], true, "{gp}");
    assert_eq!(gp["directory"], "bpe-2019");
    assert!(gp["count"].as_f64().unwrap() > 50.0, "{gp}");
    assert!(gp["density_per_10k"].as_f64().is_some());
    assert!(gp["caveat"].as_str().unwrap().contains("deux fois"));
    assert!(gp.get("bpe").is_none());
    assert_eq!(gp["trend"]["available"], true, "{gp}");
    assert_eq!(gp["trend"]["to"], "2021");
    let levels: Vec<&str> = gp["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["departement", "region", "france"]);
    assert!(gp["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["available"] == true));
    for id in [
        "cardiologist",
        "psychologist",
        "pharmacy",
        "laboratory",
        "ambulance",
    ] {
        assert_eq!(aix["supply"][id]["available"], true, "{id}");
    }
    // What no directory covers: not available, with a reason (never a silent 0).
    let pharmacist = &aix["supply"]["pharmacist"];
    assert_eq!(pharmacist["available"], false, "{pharmacist}");
    assert!(pharmacist["reason"].is_string());
}

#[tokio::test]
async fn iris_layer_by_bbox_and_territories_by_iris_code() {
    use geo::BoundingRect;
    let (min_lon, min_lat, max_lon, max_lat) = (4.84, 45.755, 4.86, 45.765);
    let (status, body) = get(&format!(
        "/api/iris?bbox={min_lon},{min_lat},{max_lon},{max_lat}"
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut got: Vec<&str> = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap())
        .collect();
    got.sort_unstable();
    // Brute force over the loaded IRIS' bounding boxes.
    let mut expected: Vec<&str> = common::atlas()
        .iris_layer()
        .iris
        .iter()
        .filter(|i| {
            let Some(r) = i.geometry.as_ref().and_then(|g| g.bounding_rect()) else {
                return false;
            };
            r.min().x <= max_lon
                && r.max().x >= min_lon
                && r.min().y <= max_lat
                && r.max().y >= min_lat
        })
        .map(|i| i.code.as_str())
        .collect();
    expected.sort_unstable();
    assert!(expected.len() > 5);
    assert_eq!(got, expected);
    let part_dieu = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "693830301")
        .expect("Part-Dieu is in the box");
    let p = &part_dieu["properties"];
    assert_eq!(
        (&p["type"], &p["commune"], &p["arrondissement"]),
        (&json!("A"), &json!("69123"), &json!("69383"))
    );
    assert_eq!(p["method"], "iris_population");
    assert!(part_dieu["geometry"]["type"]
        .as_str()
        .unwrap()
        .ends_with("Polygon"));
    // Marseille's IRIS are loaded too (the national layer); out at sea the layer is empty; a
    // bad box is refused.
    let (_, marseille) = get("/api/iris?bbox=5.3,43.2,5.4,43.3").await;
    assert!(marseille["features"].as_array().unwrap().len() > 50);
    let (_, sea) = get("/api/iris?bbox=5.0,42.8,5.1,42.9").await;
    assert_eq!(sea["features"].as_array().unwrap().len(), 0);
    let (status, bad) = get("/api/iris?bbox=4,45,3,46").await;
    assert_eq!(
        (status, &bad["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_bbox"))
    );
    // The arrondissements layer: Marseille's 16 in a box over Marseille, each with its outline
    // and its legal population; none at sea; a bad box refused.
    let (_, arrondissements) = get("/api/arrondissements?bbox=5.2,43.15,5.6,43.45").await;
    let features = arrondissements["features"].as_array().unwrap();
    let codes: Vec<&str> = features.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 16, "{codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("132")));
    let first = &features[0];
    assert_eq!(first["properties"]["commune"], "13055");
    assert!(first["properties"]["population"].as_u64().unwrap() > 10_000);
    assert!(first["geometry"]["type"]
        .as_str()
        .unwrap()
        .ends_with("Polygon"));
    let (_, sea) = get("/api/arrondissements?bbox=5.0,42.8,5.1,42.9").await;
    assert_eq!(sea["features"].as_array().unwrap().len(), 0);
    let (status, bad) = get("/api/arrondissements?bbox=5,43").await;
    assert_eq!(
        (status, &bad["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_bbox"))
    );

    // A territory of IRIS and arrondissements: each member says how it was counted, with its
    // own outline.
    let (status, d) = post_json(
        "/api/diagnosis",
        r#"{"communes":["693830301","69381","13201"]}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    let features = d["territory"]["features"].as_array().unwrap();
    let member = |code: &str| features.iter().find(|f| f["id"] == code).unwrap();
    assert_eq!(member("693830301")["properties"]["iris"], true);
    assert_eq!(
        member("693830301")["properties"]["method"],
        "iris_population"
    );
    assert!(member("693830301")["geometry"].is_object());
    assert_eq!(member("69381")["properties"]["method"], "whole");
    assert!(
        member("69381")["geometry"].is_object(),
        "Lyon 1er has an outline"
    );
    assert!(
        member("13201")["geometry"].is_object(),
        "Marseille 1er has an outline"
    );
    let (status, dup) = post_json("/api/diagnosis", r#"{"communes":["69123","693830301"]}"#).await;
    assert_eq!(
        (status, &dup["error"]["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("double_counted"))
    );
}

#[tokio::test]
async fn apl_choropleth_and_hospitals_layers() {
    // Around Bayeux: APL values for communes of the box, hospitals as points.
    let (status, apl) = get("/api/apl?bbox=-0.8,49.2,-0.6,49.35").await;
    assert_eq!(status, StatusCode::OK, "{apl}");
    assert_eq!(apl["edition"], 2023);
    let bayeux = apl["values"]["14047"].as_f64().expect("Bayeux has an APL");
    assert!(bayeux > 0.0);
    // Marseille's value combines its arrondissements.
    let (_, marseille) = get("/api/apl?bbox=5.35,43.28,5.40,43.32&edition=2022").await;
    assert!(
        marseille["values"]["13055"].as_f64().is_some(),
        "{marseille}"
    );
    assert_eq!(
        get("/api/apl?bbox=0,45,1,46&edition=1999").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, hospitals) = get("/api/hospitals?bbox=-0.8,49.2,-0.6,49.35").await;
    assert_eq!(status, StatusCode::OK);
    let features = hospitals["features"].as_array().unwrap();
    assert!(!features.is_empty());
    assert_eq!(features[0]["geometry"]["type"], "Point");
    assert!(hospitals["vintage"].is_string());
}

#[tokio::test]
async fn proposals_layer_and_saving_a_proposal_in_one_transaction() {
    let (s, b) = get("/api/proposals?departement=13").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let candidates: Vec<&Value> = b["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "candidate")
        .collect();
    // Bouches-du-Rhône: Marseille's 1st arrondissement and one commune are outside every CPTS.
    assert!(!candidates.is_empty());
    let p = &candidates[0]["properties"];
    for key in [
        "population",
        "tier",
        "funding",
        "codes",
        "cut_reasons",
        "apl",
        "borders",
    ] {
        assert!(!p[key].is_null(), "{key}: {p}");
    }
    assert_eq!(b["proposal"]["rules"]["min_population"], 20_000);
    for bad in [
        "/api/proposals",
        "/api/proposals?departement=13&region=93",
        "/api/proposals?departement=13&poles=gps",
        "/api/proposals?departement=13&colour=red",
    ] {
        let (s, b) = get(bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    for bad in [
        "/api/proposals?departement=00",
        "/api/proposals?region=93&min=90000&max=50000",
    ] {
        let (s, b) = get(bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {b}");
        assert!(b["error"]["message"].is_string());
    }
    // Saving: the token is required; one bad territory saves none.
    let draft = |name: &str, code: &str| json!({"name": name, "spec": {"codes": [code]}, "author": "ars@example.org"});
    let body = json!({"territories": [draft("Candidat A", "04140"), draft("Candidat B", "04209")]});
    let (s, _) = write("POST", "/api/proposals", &body.to_string(), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let bad = json!({"territories": [draft("Candidat A", "04140"), draft("Candidat B", "99999")]});
    let (s, _) = write("POST", "/api/proposals", &bad.to_string(), Some(TOKEN)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, before) = get("/api/territories?author=ars@example.org").await;
    assert_eq!(before.as_array().unwrap().len(), 0);
    let (s, saved) = write("POST", "/api/proposals", &body.to_string(), Some(TOKEN)).await;
    assert_eq!(s, StatusCode::CREATED, "{saved}");
    assert_eq!(saved.as_array().unwrap().len(), 2);
    let (_, after) = get("/api/territories?author=ars@example.org").await;
    assert_eq!(after.as_array().unwrap().len(), 2);
}

/// Status, headers and raw bytes of a request.
async fn send_bytes(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn dossier_files_for_a_given_and_a_saved_territory_and_their_refusals() {
    let post = |uri: &str, body: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let body = r#"{"communes": ["14047", "14663"], "missions": ["quality_relevance"]}"#;
    for (uri, media, part) in [
        (
            "/api/dossier/letter",
            "wordprocessingml.document",
            "word/document.xml",
        ),
        (
            "/api/dossier/budget",
            "spreadsheetml.sheet",
            "xl/workbook.xml",
        ),
    ] {
        let (s, headers, bytes) = send_bytes(post(uri, body)).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let content_type = headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(content_type.ends_with(media), "{content_type}");
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename="));
        assert_eq!(&bytes[..2], b"PK");
        let name = part.as_bytes();
        assert!(
            bytes.windows(name.len()).any(|w| w == name),
            "{uri}: {part}"
        );
    }
    // Refused as the diagnosis refuses: a JSON error naming the problem.
    for (bad, code) in [
        (r#"{"missions": []}"#, "missing_territory"),
        (
            r#"{"communes": ["14047"], "epci": "200066801"}"#,
            "ambiguous_territory",
        ),
        (r#"{"communes": ["99999"]}"#, "unknown_codes"),
        (
            r#"{"communes": ["14047"], "missions": ["teleportation"]}"#,
            "unknown_mission",
        ),
    ] {
        let (s, _, bytes) = send_bytes(post("/api/dossier/letter", bad)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let error: Value = serde_json::from_slice(&bytes).expect("a JSON error");
        assert!(error["error"]["message"].is_string(), "{bad}: {error}");
        assert_eq!(error["error"]["code"], code, "{bad}: {error}");
    }
    let too_many: Vec<String> = (0..5_001).map(|i| format!("{:05}", 1000 + i)).collect();
    let (s, _, _) = send_bytes(post(
        "/api/dossier/budget",
        &json!({ "communes": too_many }).to_string(),
    ))
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A saved territory: its lettre and budget; an unknown id is a JSON 404.
    let draft =
        json!({"name": "CPTS du Bessin", "spec": {"codes": ["14047"]}, "author": "dossier"});
    let (s, saved) = write("POST", "/api/territories", &draft.to_string(), Some(TOKEN)).await;
    assert_eq!(s, StatusCode::CREATED, "{saved}");
    for what in ["letter", "budget"] {
        let uri = format!("/api/territories/{}/{what}", saved["id"]);
        let (s, _, bytes) = send_bytes(Request::get(&uri).body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert_eq!(&bytes[..2], b"PK");
    }
    let (s, b) = get("/api/territories/999999/letter").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
}

/// The communes' CSV for a French spreadsheet (`excel=true`, what the map page downloads): the
/// data CSV's cells, after a byte-order mark, with decimal commas; only with `f=csv`.
#[tokio::test]
async fn communes_csv_for_a_spreadsheet() {
    let post = |uri: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"communes": ["13001", "13032"]}"#))
            .unwrap()
    };
    let (s, h, data) = send_bytes(post("/api/diagnosis/communes?f=csv")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let (s, h, excel) = send_bytes(post("/api/diagnosis/communes?f=csv&excel=true")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let (data, excel) = (
        String::from_utf8(data).unwrap(),
        String::from_utf8(excel).unwrap(),
    );
    assert!(!data.starts_with('\u{feff}'));
    let excel = excel
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    let cells = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(';').map(str::to_string).collect())
            .collect()
    };
    let (data, excel) = (cells(&data), cells(excel));
    assert_eq!(data.len(), 3);
    assert_eq!(data[0], excel[0]);
    let column = |name: &str| data[0].iter().position(|c| c == name).unwrap();
    for (d, e) in data.iter().zip(&excel).skip(1) {
        for (k, (d, e)) in d.iter().zip(e).enumerate() {
            let expected = if d.parse::<f64>().is_ok() {
                d.replace('.', ",")
            } else {
                d.clone()
            };
            assert_eq!(e, &expected, "column {}", data[0][k]);
        }
    }
    let aix = excel.iter().find(|r| r[0] == "13001").unwrap();
    assert_eq!(aix[column("coverage")], "1,0");
    // The population cell is the raw COG's legal population.
    if let Some(shared) = common::shared_data("communes_csv_for_a_spreadsheet") {
        let raw = common::raw_populations(&shared);
        for row in &excel[1..] {
            assert_eq!(row[column("population")], raw[&row[0]].to_string());
        }
    }
    // Only CSV has a spreadsheet flavour.
    let (s, _, bytes) = send_bytes(post("/api/diagnosis/communes?f=geojson&excel=true")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let error: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(error["error"]["code"], "invalid_query", "{error}");
}

/// `departement` / `region` are parsed in one place: the same bad value gets the same status,
/// code and message from `/api/coverage` and `/api/proposals`.
#[tokio::test]
async fn scope_refusals_are_the_same_on_coverage_and_proposals() {
    for (query, status, code, message) in [
        (
            "",
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "give departement (e.g. 13) or region (e.g. 93)",
        ),
        (
            "?departement=13&region=93",
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "give departement or region, not both",
        ),
        (
            "?departement=99",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_scope",
            "unknown département 99",
        ),
        (
            "?region=00",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_scope",
            "unknown région 00",
        ),
    ] {
        for route in ["/api/coverage", "/api/proposals"] {
            let (s, b) = get(&format!("{route}{query}")).await;
            assert_eq!(
                (s, &b["error"]["code"], &b["error"]["message"]),
                (status, &json!(code), &json!(message)),
                "{route}{query}: {b}"
            );
        }
    }
}
