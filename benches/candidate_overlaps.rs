//! Criterion benches of the porteur's check: a candidate territory against a registry (the
//! shipped PACA one and a synthetic national one of about 1 250 CPTS), by codes and drawn.

use std::path::{Path, PathBuf};

use cpts_atlas::diagnosis::{
    candidate_overlaps, diagnose, DiagnosisContext, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::{Atlas, RegistryIndex};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::TerritorySpec;
use criterion::{criterion_group, criterion_main, Criterion};
use geo::{LineString, MultiPolygon, Polygon};

#[path = "support/synthetic.rs"]
mod synthetic;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A 48-gon of about 25 km radius around Aix-en-Provence, across several CPTS.
fn drawn_around_aix() -> TerritorySpec {
    let ring: Vec<(f64, f64)> = (0..48)
        .map(|k| {
            let a = k as f64 / 48.0 * std::f64::consts::TAU;
            (5.45 + 0.31 * a.cos(), 43.53 + 0.225 * a.sin())
        })
        .collect();
    TerritorySpec::Drawn(MultiPolygon(vec![Polygon::new(
        LineString::from(ring),
        vec![],
    )]))
}

fn candidate(c: &mut Criterion) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let paca = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    let national = RegistryIndex::new(&atlas, synthetic::national_registry(&atlas)).unwrap();
    let drawn = drawn_around_aix();
    let drawn_resolved = atlas.resolve(&drawn).unwrap();
    let codes = TerritorySpec::Codes(
        drawn_resolved
            .members
            .iter()
            .map(|m| m.code.clone())
            .collect(),
    );
    let codes_resolved = atlas.resolve(&codes).unwrap();
    eprintln!(
        "candidate: {} communes; overlaps drawn/PACA {}, codes/PACA {}, drawn/national {}",
        drawn_resolved.members.len(),
        candidate_overlaps(&atlas, &paca, &drawn_resolved).len(),
        candidate_overlaps(&atlas, &paca, &codes_resolved).len(),
        candidate_overlaps(&atlas, &national, &drawn_resolved).len(),
    );
    let grid = FundingGrid::aci_2019();
    let mut group = c.benchmark_group("candidate");
    for (name, registry) in [("paca", &paca), ("national_synthetic", &national)] {
        group.bench_function(format!("codes_vs_{name}"), |b| {
            b.iter(|| candidate_overlaps(&atlas, registry, &codes_resolved))
        });
        group.bench_function(format!("drawn_vs_{name}"), |b| {
            b.iter(|| candidate_overlaps(&atlas, registry, &drawn_resolved))
        });
    }
    for (name, registry) in [("without_registry", None), ("with_paca", Some(&paca))] {
        let options = DiagnosisOptions {
            grid: &grid,
            missions: vec![],
        };
        let context = DiagnosisContext::new(&atlas).with_registry(registry);
        group.bench_function(format!("diagnose_drawn_{name}"), |b| {
            b.iter(|| diagnose(&context, atlas.resolve(&drawn).unwrap(), &options).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, candidate);
criterion_main!(benches);
