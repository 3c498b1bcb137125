//! Database faults through the HTTP app: a database locked by another connection, or made
//! read-only, answers writes with 503 and a JSON error; reads keep working; nothing is lost.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use cpts_atlas::diagnosis::FundingGrid;
use cpts_atlas::engine::{Atlas, RegistryIndex};
use cpts_atlas::http::{app, AppState, ServerConfig};
use cpts_atlas::store::TerritoryStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789";
const DRAFT: &str = r#"{"name":"Pays d'Aix","spec":{"codes":["13001"]},"author":"a@example.org"}"#;

fn state(db: &std::path::Path) -> AppState {
    let store = TerritoryStore::open(db).expect("store opens");
    store.set_busy_timeout(Duration::from_millis(200)).unwrap();
    let atlas = Atlas::new(common::atlas().whole_geography());
    let registry = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[]).unwrap(),
    )
    .unwrap();
    let config = ServerConfig {
        write_token: Some(TOKEN.to_string()),
        ..ServerConfig::default()
    };
    AppState::new(atlas, FundingGrid::aci_2019(), registry, config).with_store(store)
}

async fn call(state: &AppState, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn temp_db(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-atlas-faults-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("territories.sqlite")
}

/// Every write answers 503 `store_unavailable` with a message; list and read still answer 200.
async fn writes_unavailable_reads_fine(state: &AppState, id: i64) {
    for (method, uri, body) in [
        ("POST", "/api/territories".to_string(), DRAFT),
        (
            "PATCH",
            format!("/api/territories/{id}"),
            r#"{"name":"Renamed"}"#,
        ),
        ("DELETE", format!("/api/territories/{id}"), ""),
    ] {
        let (status, json) = call(state, method, &uri, body).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{method} {uri}: {json}"
        );
        assert_eq!(json["error"]["code"], "store_unavailable", "{json}");
        assert!(json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"));
    }
    let (status, list) = call(state, "GET", "/api/territories", "").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, got) = call(state, "GET", &format!("/api/territories/{id}"), "").await;
    assert_eq!(
        (status, got["name"].as_str()),
        (StatusCode::OK, Some("Pays d'Aix"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_database_answers_503_and_keeps_serving_reads() {
    let db = temp_db("locked");
    let state = state(&db);
    let (status, saved) = call(&state, "POST", "/api/territories", DRAFT).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();

    // Another process's connection holds the write lock.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    writes_unavailable_reads_fine(&state, id).await;
    // Each write waited for the busy timeout (200 ms), not the default 5 s.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    other.execute_batch("ROLLBACK").unwrap();

    // Released: writes work again and nothing was lost.
    let (status, renamed) = call(
        &state,
        "PATCH",
        &format!("/api/territories/{id}"),
        r#"{"name":"Aix"}"#,
    )
    .await;
    assert_eq!(
        (status, renamed["name"].as_str()),
        (StatusCode::OK, Some("Aix")),
        "{renamed}"
    );
    let (status, second) = call(&state, "POST", "/api/territories", DRAFT).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    drop(state);
    let reopened = TerritoryStore::open(&db).unwrap();
    assert_eq!(reopened.list(None).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_answers_503_and_keeps_serving_reads() {
    use std::os::unix::fs::PermissionsExt;
    // Root writes through any file mode: as root, the files are made immutable (chattr +i,
    // which binds root too) instead of read-only.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let chattr = |flag: &str, path: &std::path::Path| {
        std::process::Command::new("chattr")
            .arg(flag)
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    let db = temp_db("readonly");
    let state = state(&db);
    let (status, saved) = call(&state, "POST", "/api/territories", DRAFT).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    // Checkpoint so the database file holds everything, then make the files read-only.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let dir = db.parent().unwrap();
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .chain([dir.to_path_buf()])
        .collect();
    if root {
        if !files.iter().all(|f| chattr("+i", f)) {
            files.iter().for_each(|f| {
                chattr("-i", f);
            });
            eprintln!(
                "SKIPPED a_read_only_database_answers_503: running as root and chattr +i \
                 is not available on this file system"
            );
            return;
        }
    } else {
        for path in &files {
            let mode = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    writes_unavailable_reads_fine(&state, id).await;
    if root {
        files.iter().for_each(|f| {
            chattr("-i", f);
        });
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}
