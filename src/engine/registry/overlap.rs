//! Overlap of two territories: shared communes, area and population, and whether it is a
//! conflict, a sliver or a split of a commune declared by the registry.
//!
//! Two rules decide what overlaps:
//! - Territories given by codes overlap on the communes (or arrondissements) both list; bordering
//!   communes only touch, whatever the simplified polygons say. A commune listed whole by one and
//!   held in part (`infra_communal`) by the other is a conflict whose population is bounded by
//!   the commune's; a commune held in part by both is a *declared split* (Nice, Toulon), listed
//!   apart and not a conflict.
//! - When both territories are geometries (drawn, polygon registries), the exact intersection of
//!   their outlines is computed in the equal-area plane; a drawn territory against codes counts,
//!   commune by commune, the share of each listed commune it covers.
//!
//! Geometric overlaps smaller than the [`OverlapTolerance`] are *slivers* (drawing imprecision,
//! simplified boundaries), reported as such and not as conflicts. Intersections under
//! [`TOUCH_M2`] are touching boundaries and not reported at all. Overlaps of listed codes are
//! always conflicts, whatever their size.

use geo::{Area, BooleanOps, Intersects, MultiPolygon};
use serde::Serialize;

use crate::engine::geometry::coverage::PreparedTerritory;
use crate::engine::territory::atlas::Atlas;
use crate::engine::territory::footprint::{Claim, Footprint};
use crate::engine::territory::resolve::MIN_COVERAGE;

/// Intersections smaller than this (m²) are boundaries touching, not overlaps.
pub const TOUCH_M2: f64 = 1.0;

/// Below which size a geometric overlap is a sliver rather than a conflict.
///
/// An overlap is a sliver when its area is under **both** `sliver_km2` and `sliver_share` of
/// the smaller territory's area. Defaults: 0.5 km² and 1 %, so a 30 km² urban CPTS tolerates
/// 0.3 km² and a large rural one 0.5 km².
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OverlapTolerance {
    /// Largest sliver area, km².
    pub sliver_km2: f64,
    /// Largest sliver share of the smaller territory's area, in [0, 1].
    pub sliver_share: f64,
}

impl Default for OverlapTolerance {
    fn default() -> Self {
        Self {
            sliver_km2: 0.5,
            sliver_share: 0.01,
        }
    }
}

impl OverlapTolerance {
    /// Whether an overlap of `area_km2` between territories of the given areas is a sliver.
    ///
    /// ```
    /// use cpts_atlas::engine::OverlapTolerance;
    /// let t = OverlapTolerance::default();
    /// assert!(t.is_sliver(0.2, 100.0, 400.0));
    /// assert!(!t.is_sliver(0.2, 10.0, 400.0)); // 2 % of the smaller territory
    /// assert!(!t.is_sliver(0.6, 1000.0, 1000.0));
    /// ```
    pub fn is_sliver(&self, area_km2: f64, first_km2: f64, second_km2: f64) -> bool {
        area_km2 < self.sliver_km2 && area_km2 < self.sliver_share * first_km2.min(second_km2)
    }
}

/// What an overlap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverlapKind {
    /// The same population is claimed twice.
    Conflict,
    /// A geometric overlap under the tolerance: imprecision, not a claim.
    Sliver,
    /// Only communes both hold in part, as the registry declares (a split, not a conflict).
    DeclaredSplit,
}

/// How a population figure was obtained, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Estimate {
    /// Legal populations of whole communes or arrondissements.
    Exact,
    /// Pro rata of the area covered (population assumed even over the commune, or over each
    /// IRIS where its IRIS tile it).
    AreaProRata,
    /// The sources do not locate the part of the commune concerned: the figure is a maximum.
    UpperBound,
}

/// A commune in an overlap, with what of it is shared.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SharedCommune {
    /// INSEE code of the commune.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Arrondissements shared, when the overlap is only part of a Paris/Lyon/Marseille commune.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arrondissements: Vec<String>,
    /// Inhabitants in the overlap (rounded).
    pub population: u64,
    /// How `population` was counted (exact, or estimated and how).
    pub estimate: Estimate,
    /// Area in the overlap, km²; `None` when unknown (arrondissements have no polygon).
    pub area_km2: Option<f64>,
}

/// The overlap of two territories.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Overlap {
    /// A conflict, a sliver or a declared split.
    pub kind: OverlapKind,
    /// Communes (or arrondissements) claimed by both; empty for a declared split.
    pub shared_communes: Vec<SharedCommune>,
    /// Communes both hold in part as declared by the registry (population: the whole commune's,
    /// an upper bound); not counted in the totals.
    pub declared_splits: Vec<SharedCommune>,
    /// Area of the overlap, km² (the known part, see `area_complete`).
    pub area_km2: f64,
    /// False when some shared part has no polygon (arrondissements), or is only bounded.
    pub area_complete: bool,
    /// Inhabitants in the overlap (rounded sum of `shared_communes`).
    pub population: u64,
    /// The worst estimate among the shared communes.
    pub population_estimate: Estimate,
}

/// One shared commune before rounding, and whether listed codes make it a conflict.
struct SharedPart {
    commune: usize,
    arrondissements: Vec<usize>,
    population: f64,
    estimate: Estimate,
    area_km2: Option<f64>,
    exact_area: bool,
    listed: bool,
}

/// The overlap of `a` and `b`, or `None` when they only touch or are apart.
pub fn overlap(
    atlas: &Atlas,
    a: &Footprint,
    b: &Footprint,
    tolerance: &OverlapTolerance,
) -> Option<Overlap> {
    if let (Some(ra), Some(rb)) = (a.rect, b.rect) {
        if !ra.intersects(&rb) {
            return None;
        }
    }
    let (parts, splits) = match (&a.outline, &b.outline) {
        // Two geometries can only overlap inside a commune both cover (their claims come from
        // the same coverage computation): a cheap filter before the exact intersection.
        (Some(_), Some(_)) if !claims_meet(a, b) => return None,
        (Some(oa), Some(ob)) => (geometric_parts(atlas, &oa.outline, &ob.outline)?, vec![]),
        _ => claimed_parts(atlas, a, b),
    };
    if parts.is_empty() && splits.is_empty() {
        return None;
    }
    // `+ 0.0`: an empty float sum is -0.0.
    let area_km2 = parts.iter().filter_map(|p| p.area_km2).sum::<f64>() + 0.0;
    let kind = if parts.is_empty() {
        OverlapKind::DeclaredSplit
    } else if parts.iter().all(|p| !p.listed)
        && tolerance.is_sliver(area_km2, a.area_km2, b.area_km2)
    {
        OverlapKind::Sliver
    } else {
        OverlapKind::Conflict
    };
    let population: f64 = parts.iter().map(|p| p.population).sum();
    let by_code = |list: &[SharedPart]| {
        let mut out: Vec<SharedCommune> = list.iter().map(|p| shared(atlas, p)).collect();
        out.sort_by(|x, y| x.code.cmp(&y.code));
        out
    };
    Some(Overlap {
        kind,
        area_km2,
        area_complete: parts.iter().all(|p| p.exact_area),
        population: population.round() as u64,
        population_estimate: parts
            .iter()
            .map(|p| p.estimate)
            .max()
            .unwrap_or(Estimate::Exact),
        shared_communes: by_code(&parts),
        declared_splits: by_code(&splits),
    })
}

fn shared(atlas: &Atlas, part: &SharedPart) -> SharedCommune {
    let commune = atlas.commune(part.commune);
    SharedCommune {
        code: commune.code.clone(),
        name: commune.name.clone(),
        arrondissements: part
            .arrondissements
            .iter()
            .map(|&i| atlas.arrondissement(i).code.clone())
            .collect(),
        population: part.population.round() as u64,
        estimate: part.estimate,
        area_km2: part.area_km2,
    }
}

/// Whether both footprints claim some commune.
fn claims_meet(a: &Footprint, b: &Footprint) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.claims.len() && j < b.claims.len() {
        match a.claims[i].0.cmp(&b.claims[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Shared communes from the claims of both sides (merge of two sorted lists), and the communes
/// both hold in part (declared splits).
fn claimed_parts(
    atlas: &Atlas,
    a: &Footprint,
    b: &Footprint,
) -> (Vec<SharedPart>, Vec<SharedPart>) {
    let (mut parts, mut splits) = (Vec::new(), Vec::new());
    // The outline locating a `Share` claim (a side holding arrondissements has none).
    let located = a.outline.as_ref().or(b.outline.as_ref());
    let (mut i, mut j) = (0, 0);
    while i < a.claims.len() && j < b.claims.len() {
        let (ca, cb) = (&a.claims[i], &b.claims[j]);
        if ca.0 < cb.0 {
            i += 1;
            continue;
        }
        if cb.0 < ca.0 {
            j += 1;
            continue;
        }
        i += 1;
        j += 1;
        let commune = ca.0;
        let population = atlas.commune(commune).population.unwrap_or(0) as f64;
        let area = atlas.commune_area_km2(commune);
        let arrondissements_population = |list: &[usize]| -> f64 {
            list.iter()
                .map(|&k| atlas.arrondissement(k).population.unwrap_or(0) as f64)
                .sum()
        };
        let part = |arrondissements: Vec<usize>,
                    population: f64,
                    estimate: Estimate,
                    area_km2: Option<f64>,
                    exact_area: bool,
                    listed: bool| SharedPart {
            commune,
            arrondissements,
            population,
            estimate,
            area_km2,
            exact_area: exact_area && area_km2.is_some(),
            listed,
        };
        // Both hold an unlocated part of the commune: at most the smaller share overlaps.
        let bounded_share = |f: f64| {
            part(
                vec![],
                population * f,
                Estimate::UpperBound,
                area.map(|x| x * f),
                false,
                false,
            )
        };
        use Claim::*;
        let found = match (&ca.1, &cb.1) {
            (Whole, Whole) => part(vec![], population, Estimate::Exact, area, true, true),
            (Whole, Arrondissements(s)) | (Arrondissements(s), Whole) => part(
                s.clone(),
                arrondissements_population(s),
                Estimate::Exact,
                atlas.arrondissements_area_km2(s),
                true,
                true,
            ),
            (Arrondissements(s), Arrondissements(t)) => {
                let both: Vec<usize> = s.iter().copied().filter(|k| t.contains(k)).collect();
                if both.is_empty() {
                    continue;
                }
                let p = arrondissements_population(&both);
                let area = atlas.arrondissements_area_km2(&both);
                part(both, p, Estimate::Exact, area, true, true)
            }
            // A located share against arrondissements with outlines: their intersection.
            (Share(_), Arrondissements(s)) | (Arrondissements(s), Share(_))
                if located.is_some()
                    && s.iter()
                        .all(|&k| atlas.arrondissement_projected_at(k).is_some()) =>
            {
                match located.and_then(|o| located_in_arrondissements(atlas, commune, s, o)) {
                    Some(found) => found,
                    None => continue,
                }
            }
            (Whole, Share(f)) | (Share(f), Whole) => part(
                vec![],
                population * f,
                Estimate::AreaProRata,
                area.map(|x| x * f),
                true,
                false,
            ),
            (Share(f), Share(g)) => bounded_share(f.min(*g)),
            (Share(f), Part) | (Part, Share(f)) => bounded_share(*f),
            (Share(f), Arrondissements(s)) | (Arrondissements(s), Share(f)) => part(
                s.clone(),
                (population * f).min(arrondissements_population(s)),
                Estimate::UpperBound,
                area.map(|x| x * f),
                false,
                false,
            ),
            (Whole, Part) | (Part, Whole) => {
                part(vec![], population, Estimate::UpperBound, area, false, true)
            }
            (Part, Arrondissements(s)) | (Arrondissements(s), Part) => part(
                s.clone(),
                arrondissements_population(s),
                Estimate::UpperBound,
                None,
                false,
                true,
            ),
            (Part, Part) => {
                splits.push(part(
                    vec![],
                    population,
                    Estimate::UpperBound,
                    area,
                    false,
                    true,
                ));
                continue;
            }
        };
        parts.push(found);
    }
    (parts, splits)
}

/// What `outline` covers of the arrondissements `list` of `commune` (all with outlines): `None`
/// when it covers none of them (only touches), else the shared part (its population through the
/// IRIS, or by area where they are not usable).
fn located_in_arrondissements(
    atlas: &Atlas,
    commune: usize,
    list: &[usize],
    outline: &PreparedTerritory,
) -> Option<SharedPart> {
    let (mut arrondissements, mut population, mut area_m2) = (vec![], 0.0, 0.0);
    for &k in list {
        let projected = atlas.arrondissement_projected_at(k)?;
        let covered_m2 = outline.covered_area(projected);
        let share = (covered_m2 / (projected.area_km2 * 1e6)).min(1.0);
        if share < MIN_COVERAGE {
            continue;
        }
        let arrondissement = atlas.arrondissement(k);
        population += atlas
            .iris_index()
            .arrondissement_counted(commune, &arrondissement.code, outline)
            .unwrap_or(arrondissement.population.unwrap_or(0) as f64 * share);
        area_m2 += covered_m2;
        arrondissements.push(k);
    }
    (!arrondissements.is_empty()).then_some(SharedPart {
        commune,
        arrondissements,
        population,
        estimate: Estimate::AreaProRata,
        area_km2: Some(area_m2 / 1e6),
        exact_area: true,
        listed: false,
    })
}

/// Shared communes of two geometries: their exact intersection, then its share of each commune.
/// `None` when they only touch.
fn geometric_parts(
    atlas: &Atlas,
    a: &MultiPolygon<f64>,
    b: &MultiPolygon<f64>,
) -> Option<Vec<SharedPart>> {
    let common = a.intersection(b);
    if common.unsigned_area() < TOUCH_M2 {
        return None;
    }
    let common = PreparedTerritory::new(&common)?;
    let mut parts: Vec<SharedPart> = atlas
        .communes_near(common.rect())
        .filter_map(|i| {
            let projected = atlas.projected(i)?;
            let covered_m2 = common.covered_area(projected);
            let share = (covered_m2 / (projected.area_km2 * 1e6)).min(1.0);
            if share < MIN_COVERAGE {
                return None;
            }
            let population = atlas.commune(i).population.unwrap_or(0) as f64;
            Some(SharedPart {
                commune: i,
                arrondissements: vec![],
                population: population * share,
                estimate: Estimate::AreaProRata,
                area_km2: Some(covered_m2 / 1e6),
                exact_area: true,
                listed: false,
            })
        })
        .collect();
    parts.sort_by_key(|p| p.commune);
    Some(parts)
}
