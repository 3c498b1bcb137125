//! Batch diagnosis: many territories computed in parallel, one flat record each, a failed
//! territory reported with its input line numbers without stopping the others.

use rayon::prelude::*;

use crate::diagnosis::{diagnose, Diagnosis, DiagnosisContext, DiagnosisOptions};
use crate::engine::{CrossingBudget, DrawnLimits, ResolveError, TerritoryError};
use crate::model::{
    AgeGroup, BatchRecord, BatchSource, BatchTerritory, CarePlace, ListedCode, Profession,
    RawTerritory,
};

/// How a batch runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchOptions {
    /// Worker threads; 0 uses all cores.
    pub threads: usize,
    /// Whether to compute each territory's outline (for the outputs with geometry).
    pub outlines: bool,
}

/// Vertex limit of one batch polygon (a local file, not a web request: generous).
const BATCH_MAX_VERTICES: usize = 1_000_000;

/// Diagnoses every territory, in parallel, in input order; `progress` is called once per
/// territory done (from any thread).
pub fn diagnose_batch(
    context: &DiagnosisContext,
    territories: &[BatchTerritory],
    options: &DiagnosisOptions,
    batch: BatchOptions,
    progress: &(dyn Fn() + Sync),
) -> Vec<BatchRecord> {
    let mut all = Vec::with_capacity(territories.len());
    let gathered: Result<(), std::convert::Infallible> =
        diagnose_batch_chunks(context, territories, options, batch, progress, |chunk| {
            all.extend(chunk);
            Ok(())
        });
    let Ok(()) = gathered;
    all
}

/// From this many territories, the computed accessibility of all France is worked out once
/// first (~60 ms of CPU) rather than commune by commune (~0.14 ms more per new 0.3 x 0.2 degree
/// square, measured on `cpts-atlas batch --threads 1` over 50 and 550 squares).
const WHOLE_ACCESS_FROM: usize = 64;

/// Territories diagnosed together by [`diagnose_batch_chunks`]: only one chunk of records is
/// in memory at a time.
pub const BATCH_CHUNK: usize = 256;

/// Diagnoses every territory, in parallel within chunks of [`BATCH_CHUNK`], handing each
/// chunk's records to `sink` in input order as soon as it is done (to write them out); stops at
/// the first error of `sink`.
pub fn diagnose_batch_chunks<E: Send>(
    context: &DiagnosisContext,
    territories: &[BatchTerritory],
    options: &DiagnosisOptions,
    batch: BatchOptions,
    progress: &(dyn Fn() + Sync),
    mut sink: impl FnMut(Vec<BatchRecord>) -> Result<(), E> + Send,
) -> Result<(), E> {
    if let Some(health) = context
        .health
        .filter(|_| territories.len() > WHOLE_ACCESS_FROM)
    {
        health.compute_all_access(context.atlas);
    }
    let mut run = || {
        for chunk in territories.chunks(BATCH_CHUNK) {
            let records = chunk
                .par_iter()
                .map(|t| {
                    let record = diagnose_one(context, t, options, batch.outlines);
                    progress();
                    record
                })
                .collect();
            sink(records)?;
        }
        Ok(())
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(batch.threads)
        .build()
    {
        Ok(pool) => pool.install(run),
        // No pool could be built (threads exhausted): compute on the global pool.
        Err(_) => run(),
    }
}

/// One territory's record (its error when it cannot be computed): the same path as a diagnosis
/// through the API, from the raw territory to one resolution and one diagnosis.
fn diagnose_one(
    context: &DiagnosisContext,
    territory: &BatchTerritory,
    options: &DiagnosisOptions,
    outlines: bool,
) -> BatchRecord {
    let failed = |error: String| BatchRecord {
        territory: territory.name.clone(),
        location: territory.location.clone(),
        error: Some(error),
        ..BatchRecord::default()
    };
    if !territory.problems.is_empty() {
        return failed(territory.problems.join("; "));
    }
    let resolved = match context.atlas.resolve_raw(&raw(territory), &batch_limits()) {
        Ok(resolved) => resolved,
        Err(TerritoryError::Resolve(ResolveError::UnknownCodes(codes))) => {
            return failed(unknown_codes(territory, &codes))
        }
        Err(TerritoryError::Drawn(e)) => {
            return failed(format!("{}: invalid geometry: {e}", territory.location))
        }
        Err(e) => return failed(e.to_string()),
    };
    let diagnosis = match diagnose(context, resolved, options) {
        Ok(d) => d,
        Err(e) => return failed(e.to_string()),
    };
    let outline = outlines.then(|| match &diagnosis.drawn {
        Some(geometry) => geometry.clone(),
        None => context.atlas.members_outline(&diagnosis.communes),
    });
    record(territory, &diagnosis, diagnosis.warnings.clone(), outline)
}

/// The territory as given: codes as listed (IRIS codes too), or its geometry.
fn raw(territory: &BatchTerritory) -> RawTerritory {
    match &territory.source {
        BatchSource::Codes(codes) => {
            RawTerritory::Codes(codes.iter().map(|c| c.code.clone()).collect())
        }
        BatchSource::Geometry(geometry) => {
            RawTerritory::Geojson(serde_json::to_value(geometry).unwrap_or_default())
        }
        BatchSource::Epci(siren) => RawTerritory::Epci(siren.clone()),
    }
}

/// A batch accepts larger drawn territories than a request (files of whole régions).
fn batch_limits() -> DrawnLimits {
    DrawnLimits {
        max_vertices: BATCH_MAX_VERTICES,
        crossings: CrossingBudget {
            max_edge_pairs: 50 * BATCH_MAX_VERTICES,
            ..DrawnLimits::default().crossings
        },
    }
}

/// "unknown code(s): 99999 (line 12), ..." with the lines each unknown code was listed on.
fn unknown_codes(territory: &BatchTerritory, unknown: &[String]) -> String {
    let listed: &[ListedCode] = match &territory.source {
        BatchSource::Codes(codes) => codes,
        BatchSource::Geometry(_) | BatchSource::Epci(_) => &[],
    };
    let parts: Vec<String> = unknown
        .iter()
        .map(|code| {
            let lines: Vec<String> = listed
                .iter()
                .filter(|c| c.code.trim() == code)
                .map(|c| c.line.to_string())
                .collect();
            if lines.is_empty() {
                code.clone()
            } else {
                format!("{code} (line {})", lines.join(", "))
            }
        })
        .collect();
    format!(
        "unknown commune, arrondissement or IRIS code(s): {}",
        parts.join(", ")
    )
}

fn record(
    territory: &BatchTerritory,
    d: &Diagnosis,
    warnings: Vec<String>,
    outline: Option<geo::MultiPolygon<f64>>,
) -> BatchRecord {
    let codes = |v: &[crate::diagnosis::NamedCode]| {
        v.iter()
            .map(|n| n.code.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    let gp = d
        .health
        .as_ref()
        .and_then(|h| h.supply.get(&Profession::GeneralPractitioner))
        .and_then(|s| s.get());
    let apl = d
        .health
        .as_ref()
        .and_then(|h| h.apl.get())
        .and_then(|a| a.editions.iter().max_by_key(|e| e.edition));
    let emergency = d
        .health
        .as_ref()
        .and_then(|h| h.care_places.get(&CarePlace::Emergency))
        .and_then(|c| c.get());
    let figure = |f: &crate::diagnosis::Indicator<
        crate::diagnosis::health::weighted::WeightedFigure,
    >| f.get().map(|f| f.value);
    let share_75_plus = d
        .health
        .as_ref()
        .and_then(|h| h.age_structure.get())
        .and_then(|a| a.groups.iter().find(|g| g.group == AgeGroup::Age75Plus))
        .map(|g| g.share);
    BatchRecord {
        territory: territory.name.clone(),
        location: territory.location.clone(),
        error: None,
        population: Some(d.population),
        population_estimated: Some(d.population_estimated),
        tier: Some(d.tier.size()),
        // Not known when some line's amount is not: never the partial sum under this name.
        funding_total: d.funding.total_known.then_some(d.funding.total),
        funding_grid: Some(d.funding.grid.clone()),
        commune_count: Some(d.commune_count),
        partial_commune_count: Some(d.partial_commune_count),
        area_km2: Some(d.area_km2),
        area_complete: Some(d.area_complete),
        density_per_km2: d.density_per_km2,
        departements: codes(&d.departements),
        regions: codes(&d.regions),
        overlap_count: d
            .overlaps_checked_against
            .as_ref()
            .map(|_| d.overlaps.len()),
        overlaps: d
            .overlaps
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        registry_coverage: serde_json::to_value(d.registry_coverage.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
        gp_count: gp.map(|s| s.count),
        gp_density_per_10k: gp.and_then(|s| s.density_per_10k),
        gp_source: gp.map(|s| s.directory.clone()).unwrap_or_default(),
        apl: apl.map(|e| e.apl),
        apl_edition: apl.map(|e| e.edition),
        warnings: warnings.join("|"),
        emergency_inside: emergency.map(|e| e.inside),
        emergency_nearest_km: emergency
            .and_then(|e| e.nearest_outside.as_ref())
            .map(|n| n.distance_km),
        care_places_missing_30km: care_places_missing(d),
        share_75_plus,
        fedi: d.health.as_ref().and_then(|h| figure(&h.fragility.fedi)),
        poverty_rate: d
            .health
            .as_ref()
            .and_then(|h| figure(&h.fragility.poverty_rate)),
        outline,
    }
}

/// Ids of the care-place types flagged none within 30 km, `|`-separated.
fn care_places_missing(d: &Diagnosis) -> String {
    d.health
        .iter()
        .flat_map(|h| &h.care_places)
        .filter(|(_, c)| c.get().is_some_and(|c| c.none_within_30_km))
        .map(|(t, _)| t.id())
        .collect::<Vec<_>>()
        .join("|")
}
