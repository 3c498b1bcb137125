//! Care places (INSEE BPE): for each type the territory should give access to (urgences,
//! maternité, SSR, HAD, EHPAD...), the count inside and the nearest outside with its distance,
//! flagged when none is inside or within 30 km.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnosis::health::hospitals::SECOND_LINE_KM;
use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, CarePlaceIndex, CommunesDistance, HealthAtlas, NEAREST_SEARCH_KM};
use crate::model::{CarePlace, TerritoryMember};

/// How the distance to the nearest place outside is measured (shown with the figures).
pub const DISTANCE_RULE: &str = "distance à vol d'oiseau entre le centre (centroïde) de la \
     commune où se trouve l'équipement — de l'arrondissement pour Lyon — et la limite la plus \
     proche des communes du territoire (la BPE situe les équipements par commune, pas par \
     adresse)";
/// How places in partly covered communes are counted.
pub const PARTLY_COVERED_RULE: &str = "un équipement d'une commune partiellement couverte est \
     compté en entier parmi les équipements du territoire (la BPE ne dit pas où il est dans la \
     commune), et ce nombre est aussi donné à part ; un IRIS membre compte les équipements de \
     cet IRIS";

/// Access to one type of care place.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CarePlaceAccess {
    pub label_fr: &'static str,
    /// BPE equipment types counted (`D104`, `D109`).
    pub typequ: &'static [&'static str],
    /// Equipments counted in the territory's members.
    pub inside: u32,
    /// `inside` by BPE type.
    pub inside_by_typequ: BTreeMap<&'static str, u32>,
    /// Part of `inside` located in partly covered communes (may lie outside the drawn part).
    pub inside_in_partly_covered: u32,
    /// The nearest commune (or arrondissement) outside holding this type; `None` when none
    /// lies within `search_km` of the territory (`nearest_outside_reason` says so).
    pub nearest_outside: Option<NearestOutside>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_outside_reason: Option<String>,
    /// True when none is inside and none within 30 km of the territory's outline.
    pub none_within_30_km: bool,
    /// Equipments of this type the index could not locate (commune without outline).
    pub unlocated: u32,
    pub source: String,
    pub vintage: String,
}

/// The nearest place of a type outside the territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NearestOutside {
    /// Commune or arrondissement code (current COG).
    pub code: String,
    pub name: String,
    pub departement: String,
    /// Equipments of the type there.
    pub count: u32,
    /// See [`DISTANCE_RULE`]: centroid of that commune to the territory's outline, km.
    pub distance_km: f64,
}

/// Every care-place type for a territory's members, keyed by type.
pub fn care_places(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> BTreeMap<CarePlace, Indicator<CarePlaceAccess>> {
    let Some((index, table)) = health.care_places() else {
        return CarePlace::ALL
            .into_iter()
            .map(|t| {
                let reason = "no BPE table with the care-place types (INSEE BPE 2019, D1xx, \
                              D3xx, D4xx, D6xx) is loaded";
                (t, Indicator::not_available(reason))
            })
            .collect();
    };
    let tally = tally(health, index, members);
    let communes: Vec<usize> = members.iter().map(|m| m.commune_index).collect();
    let reach = CommunesDistance::new(atlas, health.centroids(), &communes);
    let excluded: BTreeSet<&str> = members
        .iter()
        .filter(|m| !m.iris)
        .flat_map(|m| health.place_codes(m))
        .collect();
    // A place code of a member belongs to the member's commune: a unit of another commune is
    // outside without comparing codes.
    let mut excluded_communes: Vec<usize> = members
        .iter()
        .filter(|m| !m.iris)
        .map(|m| m.commune_index)
        .collect();
    excluded_communes.sort_unstable();
    let outside = |u: &crate::engine::PlaceUnit| {
        excluded_communes.binary_search(&u.commune).is_err() || !excluded.contains(u.code.as_str())
    };
    CarePlace::ALL
        .into_iter()
        .map(|t| {
            let (inside, inside_by_typequ, partly) = tally.get(&t).cloned().unwrap_or_default();
            let nearest = index.nearest_outside(t, &reach, outside).map(|n| {
                let commune = atlas.commune(n.unit.commune);
                let name = match atlas.find(&n.unit.code) {
                    Some(crate::engine::CommuneRef::Arrondissement(a)) => {
                        atlas.arrondissement(a).name.clone()
                    }
                    _ => commune.name.clone(),
                };
                NearestOutside {
                    code: n.unit.code.clone(),
                    name,
                    departement: commune.departement.clone(),
                    count: n.unit.count,
                    distance_km: n.distance_km,
                }
            });
            let reason = nearest.is_none().then(|| {
                if reach.circle().is_none() {
                    "the territory has no outline to measure distances from".to_string()
                } else {
                    format!("none outside within {NEAREST_SEARCH_KM} km of the territory")
                }
            });
            let within = inside > 0
                || nearest
                    .as_ref()
                    .is_some_and(|n| n.distance_km <= SECOND_LINE_KM);
            let access = CarePlaceAccess {
                label_fr: t.label_fr(),
                typequ: t.typequ(),
                inside,
                inside_by_typequ,
                inside_in_partly_covered: partly,
                nearest_outside: nearest,
                nearest_outside_reason: reason,
                none_within_30_km: !within,
                unlocated: index.unlocated(t),
                source: table.source.clone(),
                vintage: table.vintage.clone(),
            };
            (t, Indicator::available(access))
        })
        .collect()
}

/// Per type: count inside, by TYPEQU, and the part in partly covered communes.
type Tally = BTreeMap<CarePlace, (u32, BTreeMap<&'static str, u32>, u32)>;

/// Counts inside the members: an IRIS member its IRIS rows, a commune or arrondissement member
/// every row filed under its place codes.
fn tally(health: &HealthAtlas, index: &CarePlaceIndex, members: &[TerritoryMember]) -> Tally {
    let mut tally = Tally::new();
    for m in members {
        let partly = m.estimated && !m.iris;
        let rows: Vec<_> = if m.iris {
            index.at_iris(&m.code).to_vec()
        } else {
            health
                .place_codes(m)
                .flat_map(|c| index.at_code(c).iter().copied())
                .collect()
        };
        for r in rows {
            let (inside, by_typequ, in_partly) = tally.entry(r.place).or_default();
            *inside += r.count;
            *by_typequ.entry(r.typequ).or_default() += r.count;
            if partly {
                *in_partly += r.count;
            }
        }
    }
    tally
}
