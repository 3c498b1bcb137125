//! Honest answers about existing CPTS: the registry coverage of every diagnosis, proposals and
//! coverage refused where no registry is loaded, DGOS layers and member lists with statuses,
//! the funding grid by contract date, sources actually used, authors withheld, postal codes,
//! contiguity. Expected values come from the raw COG (`../shared/data`) or the fixtures' own
//! text, never from what the code printed.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use cpts_atlas::diagnosis::{diagnose, DiagnosisContext, DiagnosisOptions, FundingGrid};
use cpts_atlas::engine::{Atlas, CoverageScope, CoverageStatus, HealthAtlas, RegistryIndex};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::{load_registry, DEFAULT_REGISTRY_FILE};
use cpts_atlas::model::{AreaBasis, CptsStatus, TerritorySpec};
use cpts_atlas::store::TerritoryStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "registry-coverage-token-42";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn paca(atlas: &Atlas) -> RegistryIndex {
    RegistryIndex::new(
        atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap()
}

/// The two vintages of the DGOS-like layer (see `tests/fixtures/README.md`): the communes each
/// CPTS was dissolved from, and the status wording of each file.
const VINTAGE_2023: &[(&str, &[&str], CptsStatus)] = &[
    (
        "CPTS Villefranche Beaujolais",
        &["69013", "69092", "69115", "69264"],
        CptsStatus::SignedAci,
    ),
    (
        "CPTS Val de Saône Sud",
        &["69009", "69156"],
        CptsStatus::LetterOfIntent,
    ),
];
const VINTAGE_2025: &[(&str, &[&str], CptsStatus)] = &[
    (
        "CPTS Villefranche Beaujolais",
        &["69013", "69092", "69115", "69264"],
        CptsStatus::SignedAci,
    ),
    (
        "CPTS Val de Saône Sud",
        &["69009", "69156"],
        CptsStatus::HealthProjectValidated,
    ),
    (
        "CPTS Coteaux du Beaujolais",
        &["69061", "69074", "69105"],
        CptsStatus::LetterOfIntent,
    ),
];

fn diagnosis_with(atlas: &Atlas, registry: Option<&RegistryIndex>, codes: &[&str]) -> Value {
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let spec = TerritorySpec::Codes(codes.iter().map(|c| c.to_string()).collect());
    let context = DiagnosisContext::new(atlas).with_registry(registry);
    let diagnosis = diagnose(&context, atlas.resolve(&spec).unwrap(), &options).unwrap();
    serde_json::to_value(diagnosis).unwrap()
}

#[test]
fn registry_coverage_is_full_partial_or_none() {
    let Some(shared) = common::shared_data("registry_coverage_is_full_partial_or_none") else {
        return;
    };
    let atlas = common::atlas();
    let registry = paca(atlas);
    // Independently: the départements of Aix (13001) and Lyon (69123) in the raw COG.
    let raw = common::raw_json(&shared.join("cog-2026/communes.json"));
    let dep = |code: &str| {
        raw.as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code && c["type"] == "commune-actuelle")
            .unwrap()["departement"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(dep("13001"), "13");
    assert_eq!(dep("69123"), "69");

    let aix = diagnosis_with(atlas, Some(&registry), &["13001"]);
    assert_eq!(aix["registry_coverage"]["status"], "full");
    assert_eq!(aix["registry_coverage"]["communes_outside"], 0);
    let area = &aix["registry_coverage"]["registries"][0];
    assert_eq!(area["id"], "cpts-paca-2026");
    assert_eq!(
        area["departements"],
        serde_json::json!(["04", "05", "06", "13", "83", "84"])
    );

    let lyon = diagnosis_with(atlas, Some(&registry), &["69123"]);
    assert_eq!(lyon["registry_coverage"]["status"], "none");
    assert_eq!(lyon["overlaps"], serde_json::json!([]));
    assert_eq!(
        lyon["registry_coverage"]["communes_outside_sample"],
        serde_json::json!(["69123 (Lyon)"])
    );
    assert_eq!(
        lyon["registry_coverage"]["departements_outside"],
        serde_json::json!(["69"])
    );
    // The source stays named: the check was made against it, and covered nothing here.
    assert!(lyon["overlaps_checked_against"]
        .as_str()
        .unwrap()
        .contains("Provence"));

    let both = diagnosis_with(atlas, Some(&registry), &["13001", "69123"]);
    assert_eq!(both["registry_coverage"]["status"], "partial");
    assert_eq!(both["registry_coverage"]["communes_outside"], 1);

    let unchecked = diagnosis_with(atlas, None, &["13001"]);
    assert_eq!(unchecked["registry_coverage"]["status"], "none");
    assert_eq!(
        unchecked["registry_coverage"]["registries"],
        serde_json::json!([])
    );
}

#[test]
fn dgos_layers_of_two_vintages_load_with_statuses_and_point_membership() {
    let atlas = common::atlas();
    for (file, expected, id_prefix) in [
        ("dgos-cpts-2023-rhone.geojson", VINTAGE_2023, "cpts-69-"),
        ("dgos-cpts-2025-rhone.geojson", VINTAGE_2025, "69"),
    ] {
        let registry = load_registry(&fixture(file)).unwrap();
        assert_eq!(registry.cpts.len(), expected.len(), "{file}");
        assert_eq!(registry.areas[0].basis, AreaBasis::MemberDepartements);
        let index = RegistryIndex::new(atlas, registry).unwrap();
        assert_eq!(index.areas()[0].departements, ["69"], "{file}");
        for (name, codes, status) in expected {
            let c = index
                .cpts()
                .iter()
                .find(|c| c.cpts.name == *name)
                .unwrap_or_else(|| panic!("{file}: {name}"));
            assert_eq!(c.cpts.status, Some(*status), "{file}: {name}");
            assert!(c.cpts.id.starts_with(id_prefix), "{file}: {}", c.cpts.id);
            // Members by representative point: exactly the communes dissolved, not the
            // neighbours the polygon touches along its border.
            let members: BTreeSet<&str> = c
                .communes
                .iter()
                .map(|&i| atlas.commune(i).code.as_str())
                .collect();
            assert_eq!(members, codes.iter().copied().collect(), "{file}: {name}");
            assert!(
                c.footprint.claims.len() >= codes.len(),
                "the polygon's footprint also touches neighbours"
            );
        }
    }
}

#[test]
fn a_layer_without_a_known_name_field_is_refused_listing_its_fields() {
    let dir = std::env::temp_dir().join(format!("cpts-regcov-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("layer.geojson");
    let square =
        r#"{"type":"Polygon","coordinates":[[[4.7,45.98],[4.75,45.98],[4.75,46.0],[4.7,45.98]]]}"#;
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"Raison":"X","Etape":"ACI"}},"geometry":{square}}}]}}"#
        ),
    )
    .unwrap();
    let err = load_registry(&path).unwrap_err().to_string();
    assert!(
        err.contains("fields found: Etape, Raison") && err.contains("nom_cpts"),
        "{err}"
    );
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"NOM":"X","Statut":"en réflexion"}},"geometry":{square}}}]}}"#
        ),
    )
    .unwrap();
    let err = load_registry(&path).unwrap_err().to_string();
    assert!(
        err.contains("\"en réflexion\"") && err.contains("signed_aci"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn member_list_csv_gives_members_statuses_and_its_area() {
    let Some(shared) = common::shared_data("member_list_csv_gives_members_statuses_and_its_area")
    else {
        return;
    };
    let atlas = common::atlas();
    let index = RegistryIndex::new(
        atlas,
        load_registry(&fixture("cpts-members-bessin.csv")).unwrap(),
    )
    .unwrap();
    assert_eq!(index.areas()[0].departements, ["14"]);
    // Independently: the fixture lists the communes of postal code 14400 (raw COG).
    let raw = common::raw_json(&shared.join("cog-2026/communes.json"));
    let postal: BTreeSet<String> = raw
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "commune-actuelle")
        .filter(|c| {
            c["codesPostaux"]
                .as_array()
                .is_some_and(|l| l.iter().any(|p| p == "14400"))
        })
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    let held: BTreeSet<String> = index
        .cpts()
        .iter()
        .flat_map(|c| c.communes.iter())
        .map(|&i| atlas.commune(i).code.clone())
        .collect();
    assert_eq!(held, postal);
    let bessin = index.get("cpts-du-bessin").unwrap();
    assert_eq!(bessin.cpts.status, Some(CptsStatus::SignedAci));
    assert_eq!(bessin.communes.len(), 27);
    let seulles = index.get("cpts-seulles-et-aure").unwrap();
    assert_eq!(
        seulles.cpts.status,
        Some(CptsStatus::HealthProjectValidated)
    );

    // Bayeux is now checked: full coverage, and the overlap named with its status.
    let d = diagnosis_with(atlas, Some(&index), &["14047"]);
    assert_eq!(d["registry_coverage"]["status"], "full");
    assert_eq!(d["overlaps"][0]["name"], "CPTS du Bessin");
    assert_eq!(d["overlaps"][0]["status"], "signed_aci");
    // White zones of Calvados: every commune but the 32 listed (raw COG count).
    let calvados = raw
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "commune-actuelle" && c["departement"] == "14")
        .count();
    let report = index
        .coverage(atlas, &CoverageScope::Departement("14".into()))
        .unwrap();
    assert_eq!(report.registry_coverage.status, CoverageStatus::Full);
    assert_eq!(report.uncovered_communes, calvados - postal.len());
}

#[test]
fn coverage_of_a_scope_without_registry_is_refused_and_partial_scopes_are_cut() {
    let atlas = common::atlas();
    let registry = paca(atlas);
    let err = registry
        .coverage(atlas, &CoverageScope::Departement("69".into()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no loaded registry covers département 69"),
        "{err}"
    );
    assert!(err.contains("--registry"), "{err}");
    // All France: only PACA's communes are reported (the rest is not checked).
    let all = registry.coverage(atlas, &CoverageScope::All).unwrap();
    let paca_region = registry
        .coverage(atlas, &CoverageScope::Region("93".into()))
        .unwrap();
    assert_eq!(all.registry_coverage.status, CoverageStatus::Partial);
    assert_eq!(all.uncovered, paca_region.uncovered);
    assert_eq!(all.communes, paca_region.communes);
    assert_eq!(
        all.registry_coverage.communes_outside,
        atlas.communes().len() - paca_region.communes
    );
    assert_eq!(all.registry_coverage.communes_outside_sample.len(), 10);
}

fn router() -> axum::Router {
    static STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
    let state = STATE.get_or_init(|| {
        let atlas = Atlas::new(common::atlas().whole_geography())
            .with_iris(common::atlas().iris_layer().clone());
        let registry = paca(&atlas);
        let config = ServerConfig {
            write_token: Some(TOKEN.to_string()),
            ..ServerConfig::default()
        };
        let health = HealthAtlas::new(&atlas, read_health_data(&data_dir()).expect("health"));
        AppState::new(atlas, FundingGrid::aci_2019(), registry, config)
            .with_store(TerritoryStore::open_in_memory().unwrap())
            .with_health(health)
    });
    app(state.clone())
}

async fn call(method: &str, uri: &str, body: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = router()
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn get(uri: &str) -> (StatusCode, Value) {
    call("GET", uri, "", None).await
}

#[tokio::test]
async fn api_refuses_proposals_and_coverage_where_no_registry_covers() {
    for uri in [
        "/api/proposals?departement=69",
        "/api/coverage?departement=69",
    ] {
        let (status, body) = get(uri).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {body}");
        assert_eq!(body["error"]["code"], "registry_not_covering", "{uri}");
        assert_eq!(body["error"]["registry_coverage"]["status"], "none");
        assert_eq!(
            body["error"]["registry_coverage"]["departements_outside"],
            serde_json::json!(["69"])
        );
    }
    let (status, layer) = get("/api/coverage?region=93").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(layer["registry_coverage"]["status"], "full");
    let (status, layer) = get("/api/proposals?departement=04").await;
    assert_eq!(status, StatusCode::OK, "{layer}");
    assert_eq!(layer["proposal"]["registry_coverage"]["status"], "full");
    // The diagnosis says what was checked.
    let (status, d) = call(
        "POST",
        "/api/diagnosis?territory=none",
        r#"{"communes":["69123"]}"#,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["registry_coverage"]["status"], "none");
    // `/api/cpts` lists the loaded sources and their areas.
    let (_, cpts) = get("/api/cpts").await;
    assert_eq!(cpts["registries"][0]["departements"][0], "04");
    assert!(cpts["features"][0]["properties"]
        .as_object()
        .unwrap()
        .contains_key("status"));
}

#[tokio::test]
async fn api_chooses_the_grid_by_contract_date() {
    let body = |extra: &str| format!(r#"{{"communes":["13001"]{extra}}}"#);
    let (status, d) = call(
        "POST",
        "/api/diagnosis?territory=none",
        &body(r#","contract_date":"2020-05-01","missions":["quality_relevance","professional_support"]"#),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    // Aix-en-Provence (149 695 inhabitants in the raw COG 2026): taille 3 (80 000 to
    // 175 000); ACI 2019's "total possible" row for taille 3 is 315 000 € (annexe 3).
    assert_eq!(d["funding"]["grid"], "aci-2019");
    assert_eq!(d["tier"]["size"], 3);
    assert_eq!(d["funding"]["total"], 315_000.0);
    assert_eq!(d["funding"]["total_known"], true);

    let (status, d) = call(
        "POST",
        "/api/diagnosis?territory=none",
        &body(r#","contract_date":"2023-01-15""#),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["funding"]["grid"], "avenant-2-2021");
    assert_eq!(d["funding"]["total_known"], false);
    let operating = d["funding"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mission"] == "operating")
        .unwrap();
    // Avenant 2: taille 3 operating part 131 250 € (75 000 × 1.75).
    assert_eq!(operating["fixed"], 131_250.0);
    let unknown = d["funding"]["unknown_lines"].as_array().unwrap();
    assert!(unknown.contains(&Value::from("health_crisis_response")));

    for (extra, code) in [
        (r#","contract_date":"2021-02-30""#, "invalid_contract_date"),
        (
            r#","contract_date":"2018-01-01""#,
            "contract_date_before_grids",
        ),
        (r#","grid":"aci-2030""#, "unknown_grid"),
        (
            r#","grid":"aci-2019","contract_date":"2020-01-01""#,
            "ambiguous_grid",
        ),
    ] {
        let (status, e) = call("POST", "/api/diagnosis", &body(extra), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}");
        assert_eq!(e["error"]["code"], code, "{extra}: {e}");
    }
}

#[tokio::test]
async fn sources_are_those_the_territory_used() {
    let (status, d) = call(
        "POST",
        "/api/diagnosis?territory=none",
        r#"{"communes":["14047"]}"#,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let sources = d["sources"].to_string();
    // Bayeux (Calvados, Normandie) uses neither the Gironde RPPS nor the Rhône/Lyon/Lille IRIS.
    assert!(!sources.contains("Gironde"), "{sources}");
    assert!(!sources.contains("IRIS outlines"), "{sources}");
    assert!(sources.contains("Normandie"), "{sources}");
    // A drawn territory across Lyon's IRIS lists them.
    let (_, lyon) = call(
        "POST",
        "/api/diagnosis?territory=none",
        r#"{"geometry":{"type":"Polygon","coordinates":[[[4.82,45.75],[4.86,45.75],[4.86,45.78],[4.82,45.78],[4.82,45.75]]]}}"#,
        None,
    )
    .await;
    assert!(lyon["sources"].to_string().contains("IRIS outlines"));
}

#[tokio::test]
async fn authors_are_withheld_from_anonymous_readers() {
    let draft = r#"{"name":"Bessin","spec":{"codes":["14047"]},"author":"porteur@example.fr"}"#;
    let (status, saved) = call("POST", "/api/territories", draft, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    let (_, list) = get("/api/territories").await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t.get("author").is_none()));
    let (_, one) = get(&format!("/api/territories/{id}")).await;
    assert!(one.get("author").is_none() && one["name"] == "Bessin");
    let (_, one) = call("GET", &format!("/api/territories/{id}"), "", Some(TOKEN)).await;
    assert_eq!(one["author"], "porteur@example.fr");
    let (_, page) = get("/ogc/collections/territories/items").await;
    assert!(!page.to_string().contains("porteur@example.fr"), "{page}");
    let (_, page) = call("GET", "/ogc/collections/territories/items", "", Some(TOKEN)).await;
    assert!(page.to_string().contains("porteur@example.fr"));
    let (_, item) = get(&format!("/ogc/collections/territories/items/{id}")).await;
    assert!(item["properties"].get("author").is_none(), "{item}");
}

#[tokio::test]
async fn search_by_postal_code_finds_its_communes() {
    let Some(shared) = common::shared_data("search_by_postal_code_finds_its_communes") else {
        return;
    };
    let raw = common::raw_json(&shared.join("cog-2026/communes.json"));
    let expected: BTreeSet<String> = raw
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "commune-actuelle")
        .filter(|c| {
            c["codesPostaux"]
                .as_array()
                .is_some_and(|l| l.iter().any(|p| p == "14400"))
        })
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    let (status, body) = get("/api/search?q=14400&limit=50").await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().unwrap();
    // INSEE code 14400 (Le Manoir) is itself one of them: first as the exact code.
    assert_eq!(results[0]["code"], "14400");
    let found: BTreeSet<String> = results
        .iter()
        .take(expected.len())
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(found, expected);
    // The most populated served commune (Bayeux) comes right after the exact code.
    assert_eq!(results[1]["name"], "Bayeux");
}

#[test]
fn a_territory_in_several_parts_is_flagged() {
    let atlas = common::atlas();
    // Bayeux (Calvados) and Guéret (Creuse) are 400 km apart.
    let d = diagnosis_with(atlas, None, &["14047", "23096"]);
    assert_eq!(d["contiguity"]["parts"], 2);
    assert_eq!(d["warning_codes"], serde_json::json!(["not_contiguous"]));
    assert!(d["warnings"].to_string().contains("2 parts"));
    // Bayeux and Saint-Vigor-le-Grand, its neighbour to the north-east: one part.
    let d = diagnosis_with(atlas, None, &["14047", "14663"]);
    assert_eq!(d["contiguity"]["parts"], 1);
    assert_eq!(d["warning_codes"], serde_json::json!([]));
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(args)
        .env_remove("CPTS_ATLAS_DATA")
        .env_remove("CPTS_ATLAS_REGISTRY")
        .output()
        .unwrap()
}

#[test]
fn cli_says_what_was_not_checked_and_what_to_load() {
    let out = cli(&["diagnose", "--communes", "69123", "--format", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("NON VÉRIFIÉS"), "{text}");
    assert!(text.contains("69123 (Lyon)"), "{text}");
    assert!(!text.contains("aucun avec les CPTS existantes"), "{text}");

    let out = cli(&["propose", "--departement", "69"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no loaded registry covers département 69") && err.contains("--registry"),
        "{err}"
    );

    // With the DGOS layer of the Rhône loaded, Lyon is checked.
    let layer = fixture("dgos-cpts-2025-rhone.geojson");
    let out = cli(&[
        "diagnose",
        "--communes",
        "69264",
        "--registry",
        layer.to_str().unwrap(),
        "--format",
        "text",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CPTS Villefranche Beaujolais [signataire ACI]"),
        "{text}"
    );

    let out = cli(&[
        "diagnose",
        "--communes",
        "13001",
        "--grid-date",
        "2020-01-01",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["funding"]["grid"], "aci-2019");
    let out = cli(&["diagnose", "--communes", "13001"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["funding"]["grid"], "avenant-2-2021",
        "the default grid"
    );
    let out = cli(&["diagnose", "--communes", "13001", "--grid", "aci-2030"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("aci-2019, avenant-2-2021"));
}
