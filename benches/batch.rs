//! Criterion bench of the batch diagnosis: the 70 PACA CPTS (membership file) and a synthetic
//! national set, one territory per EPCI (~1 250), with the shipped registry and health data.

use std::path::Path;

use cpts_atlas::diagnosis::{
    diagnose_batch, BatchOptions, DiagnosisContext, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::{Atlas, HealthAtlas, RegistryIndex};
use cpts_atlas::loaders::batch::read_batch_input;
use cpts_atlas::loaders::health::data::{has_health_data, read_health_data};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::{BatchSource, BatchTerritory, ListedCode};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn batch(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let atlas = Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data).unwrap());
    let registry = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    let health =
        has_health_data(&data).then(|| HealthAtlas::new(&atlas, read_health_data(&data).unwrap()));
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: Vec::new(),
    };
    let context = DiagnosisContext::new(&atlas)
        .with_registry(Some(&registry))
        .with_health(health.as_ref());

    let national: Vec<BatchTerritory> = atlas
        .geography()
        .epcis
        .iter()
        .enumerate()
        .map(|(i, e)| BatchTerritory {
            name: e.name.clone(),
            location: format!("epci {i}"),
            source: BatchSource::Codes(
                e.members
                    .iter()
                    .map(|code| ListedCode {
                        code: code.clone(),
                        line: i as u64,
                    })
                    .collect(),
            ),
            problems: Vec::new(),
        })
        .collect();
    let paca_file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/cpts-paca-2026/cpts_paca_2026_commune_membership.csv");
    let paca = if paca_file.exists() {
        read_batch_input(&paca_file).unwrap()
    } else {
        eprintln!("SKIPPED the PACA batch: {} not found", paca_file.display());
        Vec::new()
    };

    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    for (name, territories) in [("paca_70_cpts", &paca), ("national_epcis", &national)] {
        if territories.is_empty() {
            continue;
        }
        group.throughput(Throughput::Elements(territories.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let records = diagnose_batch(
                    &context,
                    territories,
                    &options,
                    BatchOptions::default(),
                    &|| {},
                );
                assert!(records.iter().all(|r| r.error.is_none()));
                records
            })
        });
    }
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
