//! Care places indexed: BPE counts of each care-place type by commune, arrondissement and IRIS,
//! and per type an R-tree of the places' locations for the nearest one outside a territory.
//!
//! BPE counts equipments by commune (and IRIS), not by address: a place is located at the
//! centroid of its commune (of its arrondissement where the atlas has the arrondissement's
//! outline: Lyon), and its distance to a territory is the great-circle distance from that
//! centroid to the nearest member outline.

use std::collections::HashMap;

use geo::Centroid;

use crate::engine::geometry::great_circle::PointIndex;
use crate::engine::{Atlas, CommuneCentroids, CommuneRef, CommunesDistance};
use crate::model::CarePlace;

/// How far the nearest place outside is looked for, km from the territory's outline (the
/// distance used is exact to well under 1 % within this range).
pub const NEAREST_SEARCH_KM: f64 = 200.0;

/// One BPE row of a care-place type, as indexed: the TYPEQU code and the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceCount {
    /// The care-place type.
    pub place: CarePlace,
    /// The BPE equipment type (TYPEQU) of the row.
    pub typequ: &'static str,
    /// Equipments counted.
    pub count: u32,
}

/// The places of one type in one commune or arrondissement (all TYPEQU of the type summed).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceUnit {
    /// Commune or arrondissement code (current COG).
    pub code: String,
    /// Index of the commune (of the commune an arrondissement divides).
    pub commune: usize,
    /// (longitude, latitude) the places are located at.
    pub point: (f64, f64),
    /// Equipments of the type there.
    pub count: u32,
}

/// The nearest unit of a type outside a territory.
#[derive(Debug, Clone, PartialEq)]
pub struct NearestPlace<'a> {
    /// The unit.
    pub unit: &'a PlaceUnit,
    /// Great-circle distance from the unit's point to the nearest member outline, km.
    pub distance_km: f64,
}

/// The located units of one type.
struct TypeUnits {
    units: Vec<PlaceUnit>,
    index: PointIndex,
    /// Count of places whose commune could not be located (no outline, unknown code).
    unlocated: u32,
}

/// BPE care places indexed on an atlas, built once at load.
pub struct CarePlaceIndex {
    by_code: HashMap<String, Vec<PlaceCount>>,
    by_iris: HashMap<String, Vec<PlaceCount>>,
    /// By position in [`CarePlace::ALL`].
    types: Vec<TypeUnits>,
}

impl CarePlaceIndex {
    /// Indexes BPE rows `(commune or arrondissement code, IRIS code, TYPEQU, count)`; rows of
    /// other types are ignored. Rows are summed per code, per IRIS and per type.
    pub fn new<'r>(
        atlas: &Atlas,
        centroids: &CommuneCentroids,
        rows: impl IntoIterator<Item = (&'r str, Option<&'r str>, &'r str, u32)>,
    ) -> Self {
        let mut by_code: HashMap<String, Vec<PlaceCount>> = HashMap::new();
        let mut by_iris: HashMap<String, Vec<PlaceCount>> = HashMap::new();
        // (type position, code) -> count
        let mut units: HashMap<(usize, &'r str), u32> = HashMap::new();
        for (code, iris, typequ, count) in rows {
            let Some(place) = CarePlace::of_typequ(typequ) else {
                continue;
            };
            let typequ = place
                .typequ()
                .iter()
                .find(|t| **t == typequ)
                .copied()
                .unwrap_or_default();
            let row = PlaceCount {
                place,
                typequ,
                count,
            };
            add(by_code.entry(code.to_string()).or_default(), row);
            if let Some(iris) = iris {
                add(by_iris.entry(iris.to_string()).or_default(), row);
            }
            *units.entry((position(place), code)).or_default() += count;
        }
        let mut sorted: Vec<((usize, &str), u32)> = units.into_iter().collect();
        sorted.sort();
        let mut types: Vec<(Vec<PlaceUnit>, u32)> =
            CarePlace::ALL.iter().map(|_| (Vec::new(), 0)).collect();
        for ((t, code), count) in sorted {
            match locate(atlas, centroids, code) {
                Some((commune, point)) => types[t].0.push(PlaceUnit {
                    code: code.to_string(),
                    commune,
                    point,
                    count,
                }),
                None => types[t].1 += count,
            }
        }
        let types = types
            .into_iter()
            .map(|(units, unlocated)| TypeUnits {
                index: PointIndex::new(units.iter().enumerate().map(|(i, u)| (i, u.point))),
                units,
                unlocated,
            })
            .collect();
        Self {
            by_code,
            by_iris,
            types,
        }
    }

    /// Counts filed under a commune or arrondissement code (its IRIS included).
    pub fn at_code(&self, code: &str) -> &[PlaceCount] {
        self.by_code.get(code).map_or(&[], Vec::as_slice)
    }

    /// Counts filed under an IRIS code (9 characters).
    pub fn at_iris(&self, iris: &str) -> &[PlaceCount] {
        self.by_iris.get(iris).map_or(&[], Vec::as_slice)
    }

    /// Every located unit holding places of a type, sorted by code.
    pub fn units(&self, place: CarePlace) -> &[PlaceUnit] {
        &self.types[position(place)].units
    }

    /// Places of a type whose commune has no outline (or no current code): not located.
    pub fn unlocated(&self, place: CarePlace) -> u32 {
        self.types[position(place)].unlocated
    }

    /// The unit of `place` nearest to the territory `reach` among those `outside` accepts,
    /// within [`NEAREST_SEARCH_KM`] of its outline; ties go to the smaller code. The search
    /// widens a disc around the territory's bounding circle until the best exact distance
    /// found is no greater than the disc's margin, so no unit outside the disc can beat it.
    pub fn nearest_outside<'a>(
        &'a self,
        place: CarePlace,
        reach: &CommunesDistance,
        outside: impl Fn(&PlaceUnit) -> bool,
    ) -> Option<NearestPlace<'a>> {
        let (centre, radius) = reach.circle()?;
        let typed = &self.types[position(place)];
        let mut margin = 10.0_f64;
        loop {
            let margin_now = margin.min(NEAREST_SEARCH_KM);
            let mut candidates: Vec<(f64, usize)> = typed
                .index
                .within_km(centre, radius + margin_now)
                .filter(|&i| outside(&typed.units[i]))
                .map(|i| (reach.lower_bound_km(typed.units[i].point), i))
                .collect();
            // Unstable is the same order: no two candidates share an index.
            candidates.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut best: Option<(f64, usize)> = None;
            for (lower, i) in candidates {
                if best.is_some_and(|(d, _)| lower > d) {
                    break;
                }
                // Only a distance up to the best can change the answer (a tie may win on code).
                let limit = best.map_or(f64::INFINITY, |(d, _)| d);
                let Some(d) = reach.distance_within_km(typed.units[i].point, limit) else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((bd, bi)) => {
                        d < bd || (d == bd && typed.units[i].code < typed.units[bi].code)
                    }
                };
                if better {
                    best = Some((d, i));
                }
            }
            match best {
                Some((d, i)) if d <= margin_now => {
                    return (d <= NEAREST_SEARCH_KM).then(|| NearestPlace {
                        unit: &typed.units[i],
                        distance_km: d,
                    })
                }
                _ if margin_now >= NEAREST_SEARCH_KM => return None,
                _ => margin *= 4.0,
            }
        }
    }
}

/// Position of a type in [`CarePlace::ALL`].
fn position(place: CarePlace) -> usize {
    CarePlace::ALL
        .iter()
        .position(|&p| p == place)
        .unwrap_or_default()
}

/// Adds a row to a list, summing rows of the same TYPEQU.
fn add(list: &mut Vec<PlaceCount>, row: PlaceCount) {
    match list.iter_mut().find(|r| r.typequ == row.typequ) {
        Some(r) => r.count += row.count,
        None => list.push(row),
    }
}

/// The commune index and the point of a commune or arrondissement code.
fn locate(atlas: &Atlas, centroids: &CommuneCentroids, code: &str) -> Option<(usize, (f64, f64))> {
    match atlas.find(code)? {
        CommuneRef::Commune(i) => Some((i, centroids.centroid(i)?)),
        CommuneRef::Arrondissement(a) => {
            let CommuneRef::Commune(i) = atlas.find(&atlas.arrondissement(a).commune)? else {
                return None;
            };
            let own = atlas
                .arrondissement_outline(code)
                .and_then(|o| o.centroid())
                .map(|c| (c.x(), c.y()));
            Some((i, own.or(centroids.centroid(i))?))
        }
    }
}
