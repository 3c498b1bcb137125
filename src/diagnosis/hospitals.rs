//! Hospitals and second-line care: FINESS establishments inside the territory, the nearest
//! outside with their distance, and the DGOS check that a CPTS gives access to second-line care
//! (a general hospital inside the territory or within 30 km of its boundary).

use std::collections::BTreeSet;

use serde::Serialize;

use super::indicator::Indicator;
use crate::engine::{Atlas, HealthAtlas};
use crate::model::TerritoryMember;

/// Distance within which a second-line hospital must lie (km from the territory's boundary).
pub const SECOND_LINE_KM: f64 = 30.0;
/// How far the nearest establishments outside are looked for (km).
pub const SEARCH_KM: f64 = 100.0;
/// How many establishments outside are listed.
pub const NEAREST_LISTED: usize = 5;

/// Hospitals of and around a territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HospitalAccess {
    pub inside: Vec<Hospital>,
    /// The nearest outside (up to 5, within 100 km of the boundary), nearest first.
    pub nearest_outside: Vec<Hospital>,
    /// Second-line (general care) establishments inside or within 30 km.
    pub second_line_within_30_km: usize,
    /// The DGOS flag: no second-line hospital inside or within 30 km.
    pub no_second_line_within_30_km: bool,
    pub source: String,
    pub vintage: String,
}

/// One establishment as listed for a territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hospital {
    pub finess: String,
    pub name: String,
    pub category: String,
    pub status: String,
    /// General care (not psychiatric, SSR or long-term care only).
    pub second_line: bool,
    /// Commune the establishment lies in.
    pub commune: Option<String>,
    pub lon: f64,
    pub lat: f64,
    /// Great-circle distance to the territory's boundary, km (0 inside).
    pub distance_km: f64,
    /// Inside a commune only partly covered by the territory: may lie outside the drawn part.
    pub in_partly_covered_commune: bool,
}

/// Hospitals of a territory's members.
pub fn hospitals(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<HospitalAccess> {
    let Some(index) = health.establishments() else {
        return Indicator::not_available("no FINESS establishment list is loaded");
    };
    let communes: Vec<usize> = members.iter().map(|m| m.commune_index).collect();
    let partly: BTreeSet<usize> = members
        .iter()
        .filter(|m| m.estimated)
        .map(|m| m.commune_index)
        .collect();
    let member_set: BTreeSet<usize> = communes.iter().copied().collect();
    let mut candidates = BTreeSet::new();
    for &c in &communes {
        if let Some(centre) = health.centroids().centroid(c) {
            let reach = health.centroids().radius_km(c) + SEARCH_KM;
            candidates.extend(index.within_km(centre, reach));
        }
    }
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    for i in candidates {
        let e = index.get(i);
        let commune = index.commune_of(i);
        // In a member commune, or inside a member's outline though located in a neighbour
        // (simplified outlines overlap slightly).
        let distance = if commune.is_some_and(|c| member_set.contains(&c)) {
            0.0
        } else {
            match health.distance_to_communes_km(atlas, &communes, (e.lon, e.lat)) {
                Some(d) if d <= SEARCH_KM => d,
                _ => continue,
            }
        };
        let is_inside = distance == 0.0;
        let hospital = Hospital {
            finess: e.finess.clone(),
            name: e.name.clone(),
            category: e.category.clone(),
            status: e.status.clone(),
            second_line: e.is_second_line(),
            commune: commune.map(|c| atlas.commune(c).code.clone()),
            lon: e.lon,
            lat: e.lat,
            distance_km: distance,
            in_partly_covered_commune: commune.is_some_and(|c| partly.contains(&c)),
        };
        if is_inside {
            inside.push(hospital);
        } else {
            outside.push(hospital);
        }
    }
    inside.sort_by(|a, b| a.name.cmp(&b.name));
    outside.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km));
    let second_line_within_30_km = inside.iter().filter(|h| h.second_line).count()
        + outside
            .iter()
            .filter(|h| h.second_line && h.distance_km <= SECOND_LINE_KM)
            .count();
    outside.truncate(NEAREST_LISTED);
    let list = index.list();
    Indicator::available(HospitalAccess {
        inside,
        nearest_outside: outside,
        second_line_within_30_km,
        no_second_line_within_30_km: second_line_within_30_km == 0,
        source: list.source.clone(),
        vintage: list.vintage.clone(),
    })
}
