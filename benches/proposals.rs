//! Criterion benches of the ARS proposal: the commune adjacency of all France (built once, on
//! first use), and the proposal for région 93 (PACA) against the shipped registry and over the
//! whole région (no registry), with all health indicators per candidate.

use std::path::{Path, PathBuf};

use cpts_atlas::diagnosis::{propose, DiagnosisContext, DiagnosisOptions, FundingGrid, PoleRule};
use cpts_atlas::engine::{
    Adjacency, Atlas, CoverageScope, HealthAtlas, ProposalRules, RegistryIndex,
};
use cpts_atlas::loaders::health::data::read_health_data;
use cpts_atlas::loaders::registry::{DEFAULT_REGISTRY_FILE, PACA_DEPARTEMENTS};
use cpts_atlas::model::{AreaBasis, Registry, RegistryArea};
use criterion::{criterion_group, criterion_main, Criterion};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn proposals(c: &mut Criterion) {
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let paca = RegistryIndex::new(
        &atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap();
    // The région declared free of CPTS: every commune is a white zone.
    let mut no_cpts = Registry::default();
    no_cpts.areas.push(RegistryArea {
        id: "no-cpts".into(),
        source: "no CPTS (bench)".into(),
        departements: PACA_DEPARTEMENTS.iter().map(|d| d.to_string()).collect(),
        basis: AreaBasis::Declared,
        cpts: 0,
    });
    let empty = RegistryIndex::new(&atlas, no_cpts).unwrap();
    let health = HealthAtlas::new(&atlas, read_health_data(&data_dir()).unwrap());
    let grid = FundingGrid::aci_2019();
    let rules = ProposalRules::default();
    let scope = CoverageScope::Region("93".into());

    c.bench_function("adjacency/france", |b| {
        b.iter(|| Adjacency::new(atlas.communes()))
    });
    atlas.adjacency();
    for (label, registry) in [("registry", &paca), ("whole_region", &empty)] {
        let options = DiagnosisOptions {
            grid: &grid,
            missions: Vec::new(),
        };
        let context = DiagnosisContext::new(&atlas).with_health(Some(&health));
        let run = || {
            propose(
                &context,
                registry,
                &options,
                &scope,
                &rules,
                PoleRule::Population,
            )
            .unwrap()
        };
        let p = run();
        eprintln!(
            "propose/93_{label}: {} uncovered communes -> {} candidates",
            p.uncovered_communes,
            p.candidates.len()
        );
        c.bench_function(&format!("propose/93_{label}"), |b| b.iter(run));
        c.bench_function(&format!("partition/93_{label}"), |b| {
            b.iter(|| registry.propose(&atlas, &scope, &rules, &|_| 0.0).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = proposals
}
criterion_main!(benches);
