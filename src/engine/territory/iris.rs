//! The IRIS layer indexed once at load: look-up by code, R-tree over outlines, each commune's
//! IRIS with their population shares, and arrondissement outlines.

use std::collections::HashMap;

use geo::{MultiPolygon, Rect};
use rstar::{RTree, AABB};

use crate::engine::geometry::coverage::PreparedTerritory;
use crate::engine::territory::atlas::{rtree_of, CommuneBox, ProjectedCommune};
use crate::engine::territory::dasymetric::unit_shares;
use crate::model::{CountingMethod, Geography, Iris, IrisLayer};

/// A commune's IRIS are used for its population only when their areas add up to the commune's
/// within this relative tolerance (the IRIS and commune outlines are of different vintages and
/// simplifications; a larger gap means IRIS are missing or belong elsewhere).
pub const TILING_TOLERANCE: f64 = 0.05;

/// A commune or arrondissement with a legal population, and its IRIS.
pub(crate) struct IrisUnit {
    pub commune_index: usize,
    /// Legal population of the unit (0 when unpublished).
    pub population: f64,
    /// IRIS indexes and their shares of `population`.
    pub iris: Vec<(usize, f64)>,
    pub method: CountingMethod,
}

/// An IRIS' part of its commune's (or arrondissement's) legal population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IrisShare {
    /// Share of the unit's legal population, in `[0, 1]`.
    pub share: f64,
    /// `share` × the unit's legal population (an estimate).
    pub population: f64,
    /// How the share was derived (IRIS population, or type-weighted area).
    pub method: CountingMethod,
}

/// How a commune's IRIS cover it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IrisTiling {
    /// IRIS of the commune (all its arrondissements').
    pub iris_count: usize,
    /// Sum of the IRIS areas over the commune's area; `None` when some IRIS has no outline or
    /// the commune has no polygon.
    pub area_ratio: Option<f64>,
    /// Whether a partly covered commune's population is counted through its IRIS: at least 2
    /// IRIS, all with outlines, tiling it within [`TILING_TOLERANCE`].
    pub used_for_population: bool,
}

/// Each IRIS code of a commune and the share of its area inside a territory.
pub type IrisCoverage = Vec<(String, f64)>;

/// Arrondissement code -> outline (WGS84) and projected outline, from an IRIS layer.
pub(crate) type ArrondissementOutlines = HashMap<String, (MultiPolygon<f64>, ProjectedCommune)>;

/// The arrondissement outlines of a layer, projected.
pub(crate) fn arrondissement_outlines(layer: &IrisLayer) -> ArrondissementOutlines {
    layer
        .arrondissement_outlines
        .iter()
        .filter_map(|(code, outline)| {
            Some((
                code.clone(),
                (outline.clone(), ProjectedCommune::new(outline)?),
            ))
        })
        .collect()
}

/// The IRIS layer with its indexes.
#[derive(Default)]
pub(crate) struct IrisIndex {
    pub layer: IrisLayer,
    pub projected: Vec<Option<ProjectedCommune>>,
    tree: RTree<CommuneBox>,
    by_code: HashMap<String, usize>,
    pub units: Vec<IrisUnit>,
    /// IRIS index -> unit index.
    pub unit_of: Vec<usize>,
    /// Commune index -> its units and tiling.
    communes: HashMap<usize, (Vec<usize>, IrisTiling)>,
}

fn envelope(rect: Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

impl IrisIndex {
    /// Indexes `layer` against the geography; `commune_area_km2(i)` gives commune areas.
    /// IRIS whose unit is unknown to the geography are left out of the units (never counted).
    pub fn new(
        layer: IrisLayer,
        geography: &Geography,
        commune_area_km2: impl Fn(usize) -> Option<f64>,
    ) -> Self {
        let projected: Vec<Option<ProjectedCommune>> = layer
            .iris
            .iter()
            .map(|i| i.geometry.as_ref().and_then(ProjectedCommune::new))
            .collect();
        let tree = rtree_of(&projected);
        let commune_by_code: HashMap<&str, usize> = geography
            .communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .collect();
        // Unit code -> (commune index, legal population).
        let mut unit_info: HashMap<&str, (usize, f64)> = geography
            .communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), (i, c.population.unwrap_or(0) as f64)))
            .collect();
        for a in &geography.arrondissements {
            if let Some(&i) = commune_by_code.get(a.commune.as_str()) {
                unit_info.insert(a.code.as_str(), (i, a.population.unwrap_or(0) as f64));
            }
        }
        let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, iris) in layer.iris.iter().enumerate() {
            if unit_info.contains_key(iris.unit.as_str()) {
                members.entry(iris.unit.as_str()).or_default().push(i);
            }
        }
        let mut unit_codes: Vec<&str> = members.keys().copied().collect();
        unit_codes.sort_unstable();
        let mut units = Vec::with_capacity(unit_codes.len());
        let mut unit_of = vec![usize::MAX; layer.iris.len()];
        let mut communes: HashMap<usize, (Vec<usize>, IrisTiling)> = HashMap::new();
        for code in unit_codes {
            let (commune_index, population) = unit_info[code];
            let indexes = &members[code];
            let refs: Vec<&Iris> = indexes.iter().map(|&i| &layer.iris[i]).collect();
            let (shares, method) = unit_shares(&refs);
            for &i in indexes {
                unit_of[i] = units.len();
            }
            communes
                .entry(commune_index)
                .or_insert_with(|| {
                    (
                        Vec::new(),
                        IrisTiling {
                            iris_count: 0,
                            area_ratio: None,
                            used_for_population: false,
                        },
                    )
                })
                .0
                .push(units.len());
            units.push(IrisUnit {
                commune_index,
                population,
                iris: indexes.iter().copied().zip(shares).collect(),
                method,
            });
        }
        for (&commune, (unit_list, tiling)) in communes.iter_mut() {
            let iris: Vec<usize> = unit_list
                .iter()
                .flat_map(|&u| units[u].iris.iter().map(|(i, _)| *i))
                .collect();
            tiling.iris_count = iris.len();
            let iris_area: Option<f64> = iris
                .iter()
                .map(|&i| projected[i].as_ref().map(|p| p.area_km2))
                .sum();
            tiling.area_ratio = iris_area.zip(commune_area_km2(commune)).map(|(a, c)| a / c);
            tiling.used_for_population = tiling.iris_count >= 2
                && tiling
                    .area_ratio
                    .is_some_and(|r| (r - 1.0).abs() <= TILING_TOLERANCE);
        }
        Self {
            by_code: layer
                .iris
                .iter()
                .enumerate()
                .map(|(i, iris)| (iris.code.clone(), i))
                .collect(),
            tree,
            projected,
            units,
            unit_of,
            communes,
            layer,
        }
    }

    pub fn find(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The unit of an IRIS, if it is known to the geography.
    pub fn unit(&self, iris: usize) -> Option<&IrisUnit> {
        self.units.get(self.unit_of[iris])
    }

    /// The share of its unit's population an IRIS carries.
    pub fn share(&self, iris: usize) -> Option<IrisShare> {
        let unit = self.unit(iris)?;
        let share = unit.iris.iter().find(|(i, _)| *i == iris)?.1;
        Some(IrisShare {
            share,
            population: share * unit.population,
            method: unit.method,
        })
    }

    pub fn tiling(&self, commune: usize) -> Option<IrisTiling> {
        self.communes.get(&commune).map(|(_, t)| *t)
    }

    /// IRIS whose projected bounding box meets `rect`.
    pub fn near(&self, rect: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&envelope(rect))
            .map(|e| e.data)
    }

    /// Population of a partly covered commune counted through its IRIS (see
    /// [`crate::engine::territory::dasymetric`]), with the method and each IRIS' covered share of area (code,
    /// share); `None` when its IRIS are not usable.
    pub fn counted_population(
        &self,
        commune: usize,
        territory: &PreparedTerritory,
    ) -> Option<(f64, CountingMethod, IrisCoverage)> {
        let (unit_list, tiling) = self.communes.get(&commune)?;
        if !tiling.used_for_population {
            return None;
        }
        let mut counted = 0.0;
        let mut method = CountingMethod::IrisPopulation;
        let mut iris_coverage = Vec::new();
        for unit in unit_list.iter().map(|&u| &self.units[u]) {
            let covered = self.covered_fractions(unit, territory)?;
            let unit_share: f64 = unit
                .iris
                .iter()
                .zip(&covered)
                .map(|((_, s), a)| s * a)
                .sum();
            if unit_share > 0.0 && unit.method == CountingMethod::IrisTypeWeighted {
                method = CountingMethod::IrisTypeWeighted;
            }
            counted += unit.population * unit_share;
            iris_coverage.extend(
                unit.iris
                    .iter()
                    .zip(covered)
                    .map(|((i, _), a)| (self.layer.iris[*i].code.clone(), a)),
            );
        }
        Some((counted, method, iris_coverage))
    }

    /// Population of one arrondissement (`code`, of commune `commune`) inside `territory`,
    /// counted through its IRIS like [`IrisIndex::counted_population`]; `None` when the
    /// commune's IRIS are not usable.
    pub fn arrondissement_counted(
        &self,
        commune: usize,
        code: &str,
        territory: &PreparedTerritory,
    ) -> Option<f64> {
        let (unit_list, tiling) = self.communes.get(&commune)?;
        if !tiling.used_for_population {
            return None;
        }
        let unit = unit_list.iter().map(|&u| &self.units[u]).find(|u| {
            u.iris
                .first()
                .is_some_and(|(i, _)| self.layer.iris[*i].unit == code)
        })?;
        Some(unit.population * self.covered_share(unit, territory)?)
    }

    /// The share of a unit's population inside `territory`: `Σ sᵢ aᵢ` over its IRIS.
    fn covered_share(&self, unit: &IrisUnit, territory: &PreparedTerritory) -> Option<f64> {
        let covered = self.covered_fractions(unit, territory)?;
        Some(unit.iris.iter().zip(covered).map(|((_, s), a)| s * a).sum())
    }

    /// The share `aᵢ` of each of a unit's IRIS' area inside `territory`, in the unit's order.
    fn covered_fractions(
        &self,
        unit: &IrisUnit,
        territory: &PreparedTerritory,
    ) -> Option<Vec<f64>> {
        unit.iris
            .iter()
            .map(|&(i, _)| {
                let outline = self.projected[i].as_ref()?;
                Some((territory.covered_area(outline) / (outline.area_km2 * 1e6)).min(1.0))
            })
            .collect()
    }
}
