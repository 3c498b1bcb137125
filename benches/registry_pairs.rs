//! Criterion benches of the planner's all-pairs overlaps: a synthetic national registry of
//! about 1 250 CPTS, as codes and republished as polygons (exact geometry), and the PACA
//! registry as polygons.

use std::path::{Path, PathBuf};

use cpts_atlas::engine::{Atlas, RegistryIndex};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::{Cpts, Registry};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "support/synthetic.rs"]
mod synthetic;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A registry of codes republished with each CPTS as the union of its members' polygons.
fn as_polygons(atlas: &Atlas, codes: &RegistryIndex) -> RegistryIndex {
    let cpts = codes
        .cpts()
        .iter()
        .map(|c| Cpts {
            members: vec![],
            outline: Some(c.outline(atlas).clone()),
            ..c.cpts.clone()
        })
        .collect();
    RegistryIndex::new(
        atlas,
        Registry {
            source: format!("{} as polygons", codes.source()),
            cpts,
            areas: Vec::new(),
        },
    )
    .unwrap()
}

fn all_pairs(c: &mut Criterion) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let national = synthetic::national_registry(&atlas);
    let count = national.cpts.len();
    let index = RegistryIndex::new(&atlas, national.clone()).unwrap();
    let pairs = index.all_pairs(&atlas);
    eprintln!(
        "synthetic national registry: {count} CPTS, {} overlapping pairs",
        pairs.len()
    );
    let paca = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let polygons = as_polygons(&atlas, &paca);
    eprintln!(
        "PACA as polygons: outlines and index built in {:.2} s, {} CPTS, {} overlapping pairs",
        started.elapsed().as_secs_f64(),
        polygons.cpts().len(),
        polygons.all_pairs(&atlas).len()
    );
    let started = std::time::Instant::now();
    let national_polygons = as_polygons(&atlas, &index);
    eprintln!(
        "synthetic national registry as polygons: built in {:.1} s, {} overlapping pairs",
        started.elapsed().as_secs_f64(),
        national_polygons.all_pairs(&atlas).len()
    );

    let mut group = c.benchmark_group("registry");
    group.sample_size(10);
    group.bench_function("index_national_synthetic", |b| {
        b.iter(|| RegistryIndex::new(&atlas, national.clone()).unwrap())
    });
    group.bench_function("all_pairs_national_synthetic", |b| {
        b.iter(|| index.all_pairs(&atlas))
    });
    group.bench_function("all_pairs_paca_polygons", |b| {
        b.iter(|| polygons.all_pairs(&atlas))
    });
    group.bench_function("all_pairs_national_polygons", |b| {
        b.iter(|| national_polygons.all_pairs(&atlas))
    });
    group.finish();
}

criterion_group!(benches, all_pairs);
criterion_main!(benches);
