//! Map layers as GeoJSON (WGS84): the registry, the overlaps, the uncovered communes.
//!
//! Geometries of code registries are unions of commune polygons. Arrondissements and communes
//! held only in part have no polygon of their own: the whole commune is drawn and its code is
//! listed in the `approximate` property.

use geo::{BooleanOps, MultiPolygon};
use geojson::{Feature, FeatureCollection};
use serde::Serialize;

use crate::diagnosis::layers::geojson::{collection, rounded_feature};
use crate::diagnosis::overlaps::{CandidateOverlap, PairOverlap};
use crate::diagnosis::tier::PopulationTier;
use crate::engine::{Atlas, CommuneRef, CoverageReport, IndexedCpts, Overlap, RegistryIndex};
use crate::model::CptsStatus;

/// A registry CPTS as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CptsSummary {
    pub id: String,
    pub name: String,
    pub site: String,
    /// Status when the registry gives one (`signed_aci`, `health_project_validated`,
    /// `letter_of_intent`, `initiative`); `null` for the ARS PACA listing of existing CPTS.
    pub status: Option<CptsStatus>,
    /// Sum of the members' legal populations (communes split between CPTS count whole).
    pub population: u64,
    /// Part of `population` from communes held only in part (an upper bound).
    pub population_in_split_communes: u64,
    pub tier: PopulationTier,
    /// Member codes as resolved (communes and arrondissements); for a polygon CPTS, the
    /// communes whose representative point lies inside it.
    pub members: Vec<String>,
    pub area_km2: f64,
    pub area_complete: bool,
    /// Communes drawn whole although the CPTS holds only part of them.
    pub approximate: Vec<String>,
    pub notes: Vec<String>,
}

impl CptsSummary {
    /// The summary of an indexed CPTS.
    pub fn of(atlas: &Atlas, c: &IndexedCpts) -> Self {
        Self {
            id: c.cpts.id.clone(),
            name: c.cpts.name.clone(),
            site: c.cpts.site.clone(),
            status: c.cpts.status,
            population: c.population,
            population_in_split_communes: c.population_in_split_communes,
            tier: PopulationTier::from_population(c.population),
            members: match &c.cpts.outline {
                Some(_) => c
                    .communes
                    .iter()
                    .map(|&i| atlas.commune(i).code.clone())
                    .collect(),
                None => c.members.iter().map(|m| m.code.clone()).collect(),
            },
            area_km2: c.area_km2,
            area_complete: c.area_complete,
            approximate: c.approximate_outline(atlas),
            notes: c.notes.clone(),
        }
    }
}

/// The registry: one feature per CPTS, properties of [`CptsSummary`]; the sources loaded and
/// their areas as the foreign member `registries`.
pub fn registry_layer(atlas: &Atlas, registry: &RegistryIndex) -> FeatureCollection {
    let mut layer = collection(
        registry
            .cpts()
            .iter()
            .map(|c| rounded_feature(c.outline(atlas), &CptsSummary::of(atlas, c)))
            .collect(),
    );
    layer.foreign_members = Some(
        [(
            "registries".to_string(),
            serde_json::to_value(registry.areas()).unwrap_or_default(),
        )]
        .into_iter()
        .collect(),
    );
    layer
}

/// Overlapping pairs of the registry: one feature per pair, on the shared area.
pub fn overlaps_layer(
    atlas: &Atlas,
    registry: &RegistryIndex,
    pairs: &[PairOverlap],
) -> FeatureCollection {
    let outline = |id: &str| registry.get(id).and_then(|c| c.cpts.outline.as_ref());
    collection(
        pairs
            .iter()
            .map(|p| {
                let geometry = overlap_geometry(
                    atlas,
                    outline(&p.first.id),
                    outline(&p.second.id),
                    &p.overlap,
                );
                rounded_feature(&geometry, p)
            })
            .collect(),
    )
}

/// The overlaps of a candidate (`drawn`: its geometry when drawn): one feature per CPTS
/// concerned, on the shared area.
pub fn candidate_overlaps_layer(
    atlas: &Atlas,
    registry: &RegistryIndex,
    drawn: Option<&MultiPolygon<f64>>,
    overlaps: &[CandidateOverlap],
) -> FeatureCollection {
    collection(
        overlaps
            .iter()
            .map(|o| {
                let cpts = registry.get(&o.id).and_then(|c| c.cpts.outline.as_ref());
                rounded_feature(&overlap_geometry(atlas, drawn, cpts, &o.overlap), o)
            })
            .collect(),
    )
}

/// Uncovered communes (`status: "uncovered"`) and partly covered ones (`"partly_covered"`).
pub fn coverage_layer(atlas: &Atlas, report: &CoverageReport) -> FeatureCollection {
    let mut features = Vec::new();
    let outline = |code: &str| outline_of_codes(atlas, [code]);
    for c in &report.uncovered {
        features.push(with_status(
            rounded_feature(&outline(&c.code), c),
            "uncovered",
        ));
    }
    for c in &report.partly_covered {
        features.push(with_status(
            rounded_feature(&outline(&c.code), c),
            "partly_covered",
        ));
    }
    let mut layer = collection(features);
    if let Ok(serde_json::Value::Object(coverage)) = serde_json::to_value(&report.registry_coverage)
    {
        layer.foreign_members = Some(
            [(
                "registry_coverage".to_string(),
                serde_json::Value::Object(coverage),
            )]
            .into_iter()
            .collect(),
        );
    }
    layer
}

/// Where two territories overlap: the intersection of their outlines when both are polygons;
/// else the shared communes, clipped by the outline of the side that has one.
fn overlap_geometry(
    atlas: &Atlas,
    a: Option<&MultiPolygon<f64>>,
    b: Option<&MultiPolygon<f64>>,
    overlap: &Overlap,
) -> MultiPolygon<f64> {
    if let (Some(a), Some(b)) = (a, b) {
        return a.intersection(b);
    }
    let communes = outline_of_codes(
        atlas,
        overlap
            .shared_communes
            .iter()
            .chain(&overlap.declared_splits)
            .map(|c| c.code.as_str()),
    );
    match a.or(b) {
        Some(outline) => communes.intersection(outline),
        None => communes,
    }
}

/// Union of the polygons of communes given by code (arrondissement codes add nothing); a single
/// commune keeps its polygon as published.
pub(crate) fn outline_of_codes<'a>(
    atlas: &Atlas,
    codes: impl IntoIterator<Item = &'a str>,
) -> MultiPolygon<f64> {
    let indices: Vec<usize> = codes
        .into_iter()
        .filter_map(|code| match atlas.find(code)? {
            CommuneRef::Commune(i) => Some(i),
            CommuneRef::Arrondissement(_) => None,
        })
        .collect();
    match indices.as_slice() {
        [] => MultiPolygon(Vec::new()),
        [i] => atlas
            .commune(*i)
            .geometry
            .clone()
            .unwrap_or(MultiPolygon(Vec::new())),
        _ => atlas.communes_outline(indices),
    }
}

fn with_status(mut feature: Feature, status: &str) -> Feature {
    feature.set_property("status", status);
    feature
}
