//! Hospitals and second-line care: FINESS establishments inside the territory, the nearest
//! outside with their distance, and the DGOS check that a CPTS gives access to second-line care
//! (a general hospital inside the territory or within 30 km of its boundary).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, CommunesDistance, HealthAtlas};
use crate::model::TerritoryMember;

/// Distance within which a second-line hospital must lie (km from the territory's boundary).
pub const SECOND_LINE_KM: f64 = 30.0;
/// How far the nearest establishments outside are looked for (km).
pub const SEARCH_KM: f64 = 100.0;
/// How many establishments outside are listed.
pub const NEAREST_LISTED: usize = 5;

/// Hospitals of and around a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HospitalAccess {
    /// Establishments located in the territory's members.
    pub inside: Vec<Hospital>,
    /// The nearest outside (up to 5, within 100 km of the boundary), nearest first.
    pub nearest_outside: Vec<Hospital>,
    /// Second-line (general care) establishments inside or within 30 km.
    pub second_line_within_30_km: usize,
    /// The DGOS flag: no second-line hospital inside or within 30 km.
    pub no_second_line_within_30_km: bool,
    /// Who published the FINESS list (French, shown in the UI).
    pub source: String,
    /// Date or year of the list.
    pub vintage: String,
}

/// One establishment as listed for a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Hospital {
    /// FINESS number of the site, 9 characters.
    pub finess: String,
    /// Name as published.
    pub name: String,
    /// Category as published (`Centre Hospitalier (C.H.)`).
    pub category: String,
    /// `public`, `private` or the source's wording.
    pub status: String,
    /// General care (not psychiatric, SSR or long-term care only).
    pub second_line: bool,
    /// Commune the establishment lies in.
    pub commune: Option<String>,
    /// WGS84 longitude, degrees.
    pub lon: f64,
    /// WGS84 latitude, degrees.
    pub lat: f64,
    /// Great-circle distance to the territory's boundary, km (0 inside).
    pub distance_km: f64,
    /// Inside a commune only partly covered by the territory: may lie outside the drawn part.
    pub in_partly_covered_commune: bool,
}

/// Hospitals of a territory's members.
///
/// Establishments are taken within [`SEARCH_KM`] of a circle around the territory and visited
/// by increasing lower bound of their distance; the exact distance to the outlines is computed
/// only where it can change the answer: a candidate for the nearest listed, a second-line
/// establishment within [`SECOND_LINE_KM`], or one that may lie inside a member's outline.
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
    let reach = CommunesDistance::new(atlas, health.centroids(), &communes);
    let mut candidates: Vec<(f64, usize)> = match reach.circle() {
        Some((centre, radius)) => index
            .within_km(centre, radius + SEARCH_KM)
            .map(|i| {
                let e = index.get(i);
                (reach.lower_bound_km((e.lon, e.lat)), i)
            })
            .collect(),
        None => Vec::new(),
    };
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    // The NEAREST_LISTED smallest distances outside found so far, ascending.
    let mut nearest: Vec<f64> = Vec::with_capacity(NEAREST_LISTED + 1);
    for (lower, i) in candidates {
        let e = index.get(i);
        let commune = index.commune_of(i);
        // In a member commune, or inside a member's outline though located in a neighbour
        // (simplified outlines overlap slightly).
        let distance = if commune.is_some_and(|c| member_set.contains(&c)) {
            0.0
        } else {
            let may_be_listed =
                nearest.len() < NEAREST_LISTED || lower < nearest[NEAREST_LISTED - 1];
            let may_count = index.is_second_line(i) && lower <= SECOND_LINE_KM;
            if lower > SEARCH_KM || !(may_be_listed || may_count) {
                continue;
            }
            // Beyond both thresholds the distance changes nothing: neither listed (a tie with
            // the fifth comes after it) nor counted.
            let limit = if nearest.len() < NEAREST_LISTED {
                SEARCH_KM
            } else {
                let listed = if may_be_listed {
                    nearest[NEAREST_LISTED - 1]
                } else {
                    0.0
                };
                listed.max(if may_count { SECOND_LINE_KM } else { 0.0 })
            };
            // At most `limit`, itself at most SEARCH_KM.
            let Some(d) = reach.distance_within_km((e.lon, e.lat), limit) else {
                continue;
            };
            d
        };
        if distance > 0.0 {
            let at = nearest.partition_point(|&d| d <= distance);
            nearest.insert(at, distance);
            nearest.truncate(NEAREST_LISTED);
            outside.push((distance, i));
        } else {
            inside.push((distance, i));
        }
    }
    // Sorted and counted by index, and only those listed made into `Hospital`s.
    inside.sort_by(|a, b| index.get(a.1).name.cmp(&index.get(b.1).name));
    outside.sort_by(|a, b| a.0.total_cmp(&b.0));
    let second_line_within_30_km = inside.iter().filter(|h| index.is_second_line(h.1)).count()
        + outside
            .iter()
            .filter(|h| index.is_second_line(h.1) && h.0 <= SECOND_LINE_KM)
            .count();
    outside.truncate(NEAREST_LISTED);
    let hospital = |&(distance_km, i): &(f64, usize)| {
        let e = index.get(i);
        let commune = index.commune_of(i);
        Hospital {
            finess: e.finess.clone(),
            name: e.name.clone(),
            category: e.category.clone(),
            status: e.status.clone(),
            second_line: index.is_second_line(i),
            commune: commune.map(|c| atlas.commune(c).code.clone()),
            lon: e.lon,
            lat: e.lat,
            distance_km,
            in_partly_covered_commune: commune.is_some_and(|c| partly.contains(&c)),
        }
    };
    let inside = inside.iter().map(hospital).collect();
    let outside = outside.iter().map(hospital).collect();
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
