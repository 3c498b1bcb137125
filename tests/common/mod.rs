//! Shared helpers of the integration tests: the shipped atlas and the raw sources.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cpts_atlas::engine::Atlas;

/// The shipped dataset, loaded once per test binary.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| {
        Atlas::new(
            cpts_atlas::loaders::geography::read_atlas_sources(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
            )
            .expect("the shipped dataset loads"),
        )
    })
}

/// The raw sources folder (`../shared/data`), or `None` with a loud message when absent.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.join("cog-2026/communes.json").exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: ../shared/data not found; this test compares against the raw sources"
        );
        None
    }
}

/// Reads a raw JSON source file.
pub fn raw_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("raw file readable")).expect("raw JSON")
}

/// Legal population of every `commune-actuelle` in the raw COG, by code.
pub fn raw_populations(shared: &Path) -> std::collections::HashMap<String, u64> {
    raw_json(&shared.join("cog-2026/communes.json"))
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["type"] == "commune-actuelle" || c["type"] == "arrondissement-municipal")
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["population"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// A small deterministic generator (xorshift64*), for seeded random tests.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A GeoJSON Polygon or MultiPolygon value as a geo multipolygon.
pub fn polygon_from_geojson(value: &serde_json::Value) -> geo::MultiPolygon<f64> {
    let geometry: geojson::Geometry = serde_json::from_value(value.clone()).unwrap();
    match geo::Geometry::<f64>::try_from(geometry).unwrap() {
        geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
        geo::Geometry::MultiPolygon(mp) => mp,
        other => panic!("unexpected {other:?}"),
    }
}

/// The diagnosis of commune codes on the shipped atlas (ACI 2019 grid, no mission, no registry).
pub fn diagnose_codes(codes: &[&str]) -> cpts_atlas::diagnosis::Diagnosis {
    let grid = cpts_atlas::diagnosis::FundingGrid::aci_2019();
    let options = cpts_atlas::diagnosis::DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let spec =
        cpts_atlas::model::TerritorySpec::Codes(codes.iter().map(|c| c.to_string()).collect());
    let context = cpts_atlas::diagnosis::DiagnosisContext::new(atlas());
    let resolved = atlas().resolve(&spec).expect("resolves");
    cpts_atlas::diagnosis::diagnose(&context, resolved, &options).expect("diagnosis")
}
