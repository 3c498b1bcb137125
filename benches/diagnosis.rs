//! Criterion benches of the engine's hot paths: loading, resolving codes and drawn polygons.

use std::path::Path;

use cpts_atlas::diagnosis::{diagnose, DiagnosisContext, DiagnosisOptions, FundingGrid};
use cpts_atlas::engine::{drawn_from_geojson, Atlas, DrawnLimits, HealthAtlas, RegistryIndex};
use cpts_atlas::loaders::geography::dataset;
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::TerritorySpec;
use criterion::{criterion_group, criterion_main, Criterion};

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The 50 communes of the drawn fixture, as a code list (same territory, whole communes).
fn fifty_codes(atlas: &Atlas, drawn: &TerritorySpec) -> Vec<String> {
    let resolved = atlas.resolve(drawn).unwrap();
    resolved
        .members
        .iter()
        .map(|m| m.code.clone())
        .take(50)
        .collect()
}

fn drawn_fixture() -> TerritorySpec {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/drawn-50.geojson"),
    )
    .unwrap();
    let (geometry, _) =
        drawn_from_geojson(&text.parse().unwrap(), &DrawnLimits::default()).unwrap();
    TerritorySpec::Drawn(geometry)
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let path = data_dir().join(dataset::GEOGRAPHY_FILE);
    group.bench_function("read_dataset", |b| {
        b.iter(|| dataset::read_geography(&path).unwrap())
    });
    group.bench_function("read_and_index_france", |b| {
        b.iter(|| {
            Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap())
        })
    });
    group.finish();
}

fn resolve(c: &mut Criterion) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let drawn = drawn_fixture();
    let codes = TerritorySpec::Codes(fifty_codes(&atlas, &drawn));
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let context = DiagnosisContext::new(&atlas);
    let mut group = c.benchmark_group("resolve");
    group.bench_function("codes_50", |b| b.iter(|| atlas.resolve(&codes).unwrap()));
    group.bench_function("drawn_50", |b| b.iter(|| atlas.resolve(&drawn).unwrap()));
    group.bench_function("diagnose_codes_50", |b| {
        b.iter(|| diagnose(&context, atlas.resolve(&codes).unwrap(), &options).unwrap())
    });
    group.bench_function("diagnose_drawn_50", |b| {
        b.iter(|| diagnose(&context, atlas.resolve(&drawn).unwrap(), &options).unwrap())
    });
    group.finish();
}

/// The first 50 squares of `benches/fixtures/squares-550.geojson` (0.3 x 0.2 degree, the
/// workload of `benches/compare/job.py`).
fn fifty_squares() -> Vec<TerritorySpec> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/squares-550.geojson"),
    )
    .unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = text.parse().unwrap() else {
        panic!("a FeatureCollection");
    };
    fc.features
        .into_iter()
        .take(50)
        .map(|f| {
            let (g, _) =
                drawn_from_geojson(&geojson::GeoJson::Feature(f), &DrawnLimits::default()).unwrap();
            TerritorySpec::Drawn(g)
        })
        .collect()
}

/// The 50 squares: resolution alone, and the full diagnosis as `batch` computes it (health
/// indicators, overlaps with the shipped registry), all national data loaded.
fn squares(c: &mut Criterion) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let health = HealthAtlas::new(&atlas, read_health_data(&data_dir()).unwrap());
    let registry = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    let grid = FundingGrid::by_id("avenant-2-2021").unwrap();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let context = DiagnosisContext::new(&atlas)
        .with_registry(Some(&registry))
        .with_health(Some(&health));
    let squares = fifty_squares();
    let mut group = c.benchmark_group("squares");
    group.sample_size(20);
    group.bench_function("resolve_50", |b| {
        b.iter(|| {
            for s in &squares {
                atlas.resolve(s).unwrap();
            }
        })
    });
    group.bench_function("diagnose_with_health_50", |b| {
        b.iter(|| {
            for s in &squares {
                diagnose(&context, atlas.resolve(s).unwrap(), &options).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, load, resolve, squares);
criterion_main!(benches);
