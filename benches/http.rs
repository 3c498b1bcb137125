//! Criterion bench of the HTTP diagnosis path in-process: JSON in, routing, diagnosis, JSON out;
//! then as `serve` answers a browser: with the health indicators and gzip.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request};
use cpts_atlas::diagnosis::FundingGrid;
use cpts_atlas::engine::Atlas;
use cpts_atlas::http::{app, AppState, ServerConfig};
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn request(uri: &str, body: &str, gzip: bool) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if gzip {
        request = request.header(header::ACCEPT_ENCODING, "gzip");
    }
    request.body(Body::from(body.to_string())).unwrap()
}

fn diagnosis_handler(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&root.join("data")).unwrap());
    let drawn = std::fs::read_to_string(root.join("benches/fixtures/drawn-50.geojson")).unwrap();
    let drawn_body = format!(r#"{{"geometry":{drawn}}}"#);
    let codes: Vec<String> = {
        let (geometry, _) =
            cpts_atlas::engine::drawn_from_geojson(&drawn.parse().unwrap(), &Default::default())
                .unwrap();
        let resolved = atlas
            .resolve(&cpts_atlas::model::TerritorySpec::Drawn(geometry))
            .unwrap();
        resolved
            .members
            .iter()
            .take(50)
            .map(|m| format!("\"{}\"", m.code))
            .collect()
    };
    let codes_body = format!(r#"{{"communes":[{}]}}"#, codes.join(","));
    let registry = cpts_atlas::engine::RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[root
            .join("data")
            .join(cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE)])
        .unwrap(),
    )
    .unwrap();
    let health = cpts_atlas::engine::HealthAtlas::new(
        &atlas,
        cpts_atlas::loaders::health::data::read_health_data(&root.join("data")).unwrap(),
    );
    let state = AppState::new(
        atlas,
        FundingGrid::aci_2019(),
        registry,
        ServerConfig::default(),
    );
    let router = app(state.clone());
    let served = app(state.with_health(health));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut group = c.benchmark_group("http");
    for (name, router, uri, body, gzip) in [
        (
            "diagnosis_codes_50_no_geometry",
            &router,
            "/api/diagnosis?territory=none",
            &codes_body,
            false,
        ),
        (
            "diagnosis_codes_50_full_geometry",
            &router,
            "/api/diagnosis",
            &codes_body,
            false,
        ),
        (
            "diagnosis_drawn_50_no_geometry",
            &router,
            "/api/diagnosis?territory=none",
            &drawn_body,
            false,
        ),
        (
            "served_codes_50_health_gzip",
            &served,
            "/api/diagnosis?territory=none",
            &codes_body,
            true,
        ),
        (
            "served_drawn_50_health_gzip",
            &served,
            "/api/diagnosis?territory=none",
            &drawn_body,
            true,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let request = request(uri, body, gzip);
                    let response = router.clone().oneshot(request).await.unwrap();
                    assert!(response.status().is_success());
                    response.into_body().collect().await.unwrap().to_bytes()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, diagnosis_handler);
criterion_main!(benches);
