//! Criterion benches of the planner's all-pairs overlaps: a synthetic national registry of
//! about 1 250 CPTS (codes) and the PACA registry published as polygons (exact geometry).

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

/// The PACA registry with each CPTS published as the union of its members' polygons.
fn paca_polygons(atlas: &Atlas) -> RegistryIndex {
    let codes = RegistryIndex::load(atlas, &[data_dir().join(DEFAULT_REGISTRY_FILE)]).unwrap();
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
            source: "PACA as polygons".into(),
            cpts,
        },
    )
    .unwrap()
}

fn all_pairs(c: &mut Criterion) {
    let atlas = Atlas::load(&data_dir()).unwrap();
    let national = synthetic::national_registry(&atlas);
    let count = national.cpts.len();
    let index = RegistryIndex::new(&atlas, national.clone()).unwrap();
    let pairs = index.all_pairs(&atlas);
    eprintln!(
        "synthetic national registry: {count} CPTS, {} overlapping pairs",
        pairs.len()
    );
    let polygons = paca_polygons(&atlas);
    eprintln!(
        "PACA as polygons: {} CPTS, {} overlapping pairs",
        polygons.cpts().len(),
        polygons.all_pairs(&atlas).len()
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
    group.finish();
}

criterion_group!(benches, all_pairs);
criterion_main!(benches);
