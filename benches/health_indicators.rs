//! Health indicators of a 50-commune territory (the 50 communes nearest Bayeux): supply,
//! APL and computed access, hospitals, patients proxies, ages and care places, on the shipped
//! data.

use std::path::Path;

use cpts_atlas::diagnosis::{
    diagnose, health_indicators, DiagnosisContext, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::geometry::great_circle::distance_km;
use cpts_atlas::engine::{Atlas, HealthAtlas};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::model::TerritorySpec;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data).expect("dataset"));
    let health = HealthAtlas::new(&atlas, read_health_data(&data).expect("health data"));
    let bayeux = atlas
        .communes()
        .iter()
        .position(|c| c.code == "14047")
        .unwrap();
    let centre = health.centroids().centroid(bayeux).unwrap();
    let mut near: Vec<(f64, String)> = (0..atlas.communes().len())
        .filter_map(|i| {
            let p = health.centroids().centroid(i)?;
            Some((distance_km(centre, p), atlas.commune(i).code.clone()))
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    let codes: Vec<String> = near.into_iter().take(50).map(|(_, c)| c).collect();
    let spec = TerritorySpec::Codes(codes);
    let resolved = atlas.resolve(&spec).unwrap();
    let members = resolved.members.clone();
    assert_eq!(members.len(), 50);
    let context = DiagnosisContext::new(&atlas).with_health(Some(&health));
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: Vec::new(),
    };

    c.bench_function("health_indicators_50_communes", |b| {
        b.iter(|| health_indicators(&atlas, &health, std::hint::black_box(&resolved)))
    });
    c.bench_function("care_places_50_communes", |b| {
        b.iter(|| {
            cpts_atlas::diagnosis::health::care_places::care_places(
                &atlas,
                &health,
                std::hint::black_box(&members),
            )
        })
    });
    let hospitals = cpts_atlas::diagnosis::health::hospitals::hospitals(&atlas, &health, &members);
    c.bench_function("partners_50_communes", |b| {
        b.iter(|| {
            cpts_atlas::diagnosis::health::partners::partners(
                &atlas,
                &health,
                std::hint::black_box(&members),
                &hospitals,
            )
        })
    });
    c.bench_function("hospitals_50_communes", |b| {
        b.iter(|| {
            cpts_atlas::diagnosis::health::hospitals::hospitals(
                &atlas,
                &health,
                std::hint::black_box(&members),
            )
        })
    });
    c.bench_function("diagnose_with_health_50_communes", |b| {
        b.iter(|| {
            let resolved = atlas.resolve(std::hint::black_box(&spec)).unwrap();
            diagnose(&context, resolved, &options).unwrap()
        })
    });
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("health_atlas_build", |b| {
        b.iter(|| HealthAtlas::new(&atlas, read_health_data(&data).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
