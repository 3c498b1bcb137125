//! Criterion benches of each loading stage on the shipped national data: the geography (read
//! with its display levels deferred, then decoded on first use; indexed with its stored outline
//! measures, and computing them), the IRIS layer, the health data (directories, BPE, statistics, E2SFCA), the registry, and the
//! cold path of a one-commune CLI diagnosis (everything `diagnose --communes 23096` does).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use cpts_atlas::diagnosis::{diagnose, DiagnosisContext, DiagnosisOptions, FundingGrid};
use cpts_atlas::engine::{Atlas, HealthAtlas, RegistryIndex};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::{read_registries, DEFAULT_REGISTRY_FILE};
use cpts_atlas::loaders::{geography, iris};
use cpts_atlas::model::{Profession, TerritorySpec};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Forces every lazily built part of a health atlas (the E2SFCA of each GP directory).
fn force_health(atlas: &Atlas, health: &HealthAtlas) -> usize {
    (0..health.data().directories.len())
        .filter_map(|d| health.computed_access(atlas, d))
        .count()
}

fn stages(c: &mut Criterion) {
    let data = data_dir();
    let geography_path = data.join(geography::dataset::GEOGRAPHY_FILE);
    let iris_path = data.join(iris::dataset::IRIS_FILE);
    let geography = geography::dataset::read_geography(&geography_path).unwrap();
    let mut group = c.benchmark_group("load_stage");
    group.sample_size(10);
    // What a command reads: france.cpat checked and decoded but its display levels, postal
    // codes, iris.cpat checked.
    group.bench_function("geography_read", |b| {
        b.iter(|| geography::read_atlas_sources(&data).unwrap())
    });
    group.bench_function("display_levels_first_use", |b| {
        b.iter_batched(
            || Atlas::new(geography::read_atlas_sources(&data).unwrap()),
            |atlas| {
                black_box(atlas.display_outline(0, 5).is_some());
                atlas
            },
            BatchSize::LargeInput,
        )
    });
    // What a command does: boxes, areas and centroids read from france-measures.cpat.
    group.bench_function("geography_index", |b| {
        b.iter_batched(
            || geography::read_atlas_sources(&data).unwrap(),
            Atlas::new,
            BatchSize::LargeInput,
        )
    });
    // Without stored measures: every outline projected and measured.
    group.bench_function("geography_index_computed", |b| {
        b.iter_batched(|| geography.clone(), Atlas::new, BatchSize::LargeInput)
    });
    group.bench_function("iris_read", |b| {
        b.iter(|| iris::dataset::read_iris_layer(&iris_path).unwrap())
    });
    let layer = iris::dataset::read_iris_layer(&iris_path).unwrap();
    group.bench_function("iris_index", |b| {
        b.iter_batched(
            || (Atlas::new(geography.clone()), layer.clone()),
            |(atlas, layer)| {
                let atlas = atlas.with_iris(layer);
                black_box(atlas.iris_layer().iris.len());
                atlas
            },
            BatchSize::LargeInput,
        )
    });
    let atlas = Atlas::new(geography::read_atlas_sources(&data).unwrap());
    group.bench_function("health_read", |b| {
        b.iter(|| read_health_data(&data).unwrap())
    });
    let health_data = read_health_data(&data).unwrap();
    group.bench_function("health_index", |b| {
        b.iter_batched(
            || health_data.clone(),
            |d| HealthAtlas::new(&atlas, d),
            BatchSize::LargeInput,
        )
    });
    let health = HealthAtlas::new(&atlas, health_data.clone());
    assert!(health.data().directories.iter().any(|d| d
        .coverage
        .covers_profession(Profession::GeneralPractitioner)));
    group.bench_function("health_e2sfca", |b| {
        b.iter_batched(
            || HealthAtlas::new(&atlas, health_data.clone()),
            |h| {
                black_box(force_health(&atlas, &h));
                h
            },
            BatchSize::LargeInput,
        )
    });
    let registry = [data.join(DEFAULT_REGISTRY_FILE)];
    group.bench_function("registry", |b| {
        b.iter(|| RegistryIndex::new(&atlas, read_registries(&registry).unwrap()).unwrap())
    });
    // What `cpts-atlas diagnose --communes 23096` does, in process: load, index, diagnose.
    let grid = FundingGrid::by_id("avenant-2-2021").unwrap();
    let spec = TerritorySpec::Codes(vec!["23096".into()]);
    group.bench_function("cold_diagnose_23096", |b| {
        b.iter(|| {
            let atlas = Atlas::new(geography::read_atlas_sources(&data).unwrap());
            let registry = RegistryIndex::new(&atlas, read_registries(&registry).unwrap()).unwrap();
            let health = HealthAtlas::new(&atlas, read_health_data(&data).unwrap());
            let options = DiagnosisOptions {
                grid: &grid,
                missions: Vec::new(),
            };
            let context = DiagnosisContext::new(&atlas)
                .with_registry(Some(&registry))
                .with_health(Some(&health));
            diagnose(&context, atlas.resolve(&spec).unwrap(), &options)
                .unwrap()
                .population
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
