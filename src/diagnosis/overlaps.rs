//! Overlaps with the registry of existing CPTS, as reported: named CPTS and population shares.

use serde::Serialize;

use crate::diagnosis::DiagnosisError;
use crate::engine::{
    Atlas, CptsName, DrawnLimits, Overlap, RegistryIndex, RegistryPair, ResolvedTerritory,
};
use crate::model::{CptsStatus, SavedTerritory};

/// An existing CPTS a candidate territory overlaps.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CandidateOverlap {
    /// Registry id of the CPTS.
    pub id: String,
    /// Name of the CPTS.
    pub name: String,
    /// Its status when the registry gives one (signataire ACI, projet de santé validé...).
    pub status: Option<CptsStatus>,
    #[serde(flatten)]
    pub overlap: Overlap,
    /// Share of the candidate's population in the overlap (0..1; may exceed the true share when
    /// the population is an upper bound).
    pub population_share: f64,
}

/// Two registry CPTS that overlap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairOverlap {
    pub first: CptsName,
    pub second: CptsName,
    #[serde(flatten)]
    pub overlap: Overlap,
    /// Share of each CPTS's population in the overlap.
    pub share_of_first: f64,
    pub share_of_second: f64,
}

/// The registry CPTS a resolved candidate overlaps, most populated overlap first.
pub fn candidate_overlaps(
    atlas: &Atlas,
    registry: &RegistryIndex,
    resolved: &ResolvedTerritory,
) -> Vec<CandidateOverlap> {
    let footprint = atlas.footprint(resolved, &[]);
    let population = resolved.population;
    let mut found: Vec<CandidateOverlap> = registry
        .overlaps_with(atlas, &footprint)
        .into_iter()
        .map(|o| {
            let CptsName { id, name, status } = registry.name(o.cpts);
            CandidateOverlap {
                id,
                name,
                status,
                population_share: share(o.overlap.population, population),
                overlap: o.overlap,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.overlap
            .population
            .cmp(&a.overlap.population)
            .then_with(|| a.name.cmp(&b.name))
    });
    found
}

/// The registry CPTS a saved territory overlaps: saved territories are candidates, checked
/// against the registry, never part of it.
pub fn saved_territory_overlaps(
    atlas: &Atlas,
    registry: &RegistryIndex,
    saved: &SavedTerritory,
) -> Result<Vec<CandidateOverlap>, DiagnosisError> {
    let resolved = atlas.resolve_raw(&saved.spec, &DrawnLimits::default())?;
    Ok(candidate_overlaps(atlas, registry, &resolved))
}

/// Every pair of registry CPTS that overlap, conflicts first, then by population.
pub fn registry_overlaps(atlas: &Atlas, registry: &RegistryIndex) -> Vec<PairOverlap> {
    let mut pairs: Vec<PairOverlap> = registry
        .all_pairs(atlas)
        .into_iter()
        .map(
            |RegistryPair {
                 first,
                 second,
                 overlap,
             }| {
                let cpts = registry.cpts();
                PairOverlap {
                    share_of_first: share(overlap.population, cpts[first].population as f64),
                    share_of_second: share(overlap.population, cpts[second].population as f64),
                    first: registry.name(first),
                    second: registry.name(second),
                    overlap,
                }
            },
        )
        .collect();
    pairs.sort_by(|a, b| {
        (a.overlap.kind as u8)
            .cmp(&(b.overlap.kind as u8))
            .then_with(|| b.overlap.population.cmp(&a.overlap.population))
            .then_with(|| a.first.name.cmp(&b.first.name))
    });
    pairs
}

fn share(part: u64, whole: f64) -> f64 {
    if whole > 0.0 {
        part as f64 / whole
    } else {
        0.0
    }
}
