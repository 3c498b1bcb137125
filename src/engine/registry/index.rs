//! The registry of existing CPTS indexed against the atlas: each CPTS resolved once at load,
//! an R-tree over their bounding boxes, overlaps with a candidate and between every pair.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Contains, InteriorPoint, MakeValid, MultiPolygon, Validation};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;

use crate::engine::registry::overlap::{overlap, Overlap, OverlapTolerance};
use crate::engine::territory::atlas::{Atlas, CommuneRef};
use crate::engine::territory::footprint::{Claim, Footprint};
use crate::engine::territory::resolve::ResolveError;
use crate::model::{Cpts, Registry, RegistryArea, TerritoryMember, TerritorySpec};

/// A registry CPTS resolved against the geography.
pub struct IndexedCpts {
    /// The CPTS as the registry gives it.
    pub cpts: Cpts,
    /// Members as resolved (former codes mapped), with their populations and areas.
    pub members: Vec<TerritoryMember>,
    /// What it claims of each commune (whole, arrondissements, part of its area).
    pub footprint: Footprint,
    /// Sum of the members' legal populations; communes held in part without arrondissement
    /// detail count whole (see `population_in_split_communes`).
    pub population: u64,
    /// Part of `population` from communes the CPTS holds only in part (an upper bound).
    pub population_in_split_communes: u64,
    /// Area of the members' polygons, km² (communes held in part count whole; arrondissements
    /// their outlines dissolved from the IRIS).
    pub area_km2: f64,
    /// False when some member has no polygon (an arrondissement without IRIS loaded).
    pub area_complete: bool,
    /// What was adjusted while resolving (former codes mapped, duplicates, repaired polygons).
    pub notes: Vec<String>,
    /// Indexes of the communes the CPTS holds: for a polygon CPTS, those whose representative
    /// (interior) point lies inside the polygon, not those it merely touches or nicks.
    pub communes: Vec<usize>,
    outline: OnceLock<MultiPolygon<f64>>,
}

/// Why a registry could not be indexed.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A CPTS's members do not resolve (unknown codes...).
    #[error("CPTS {name:?} ({id}): {source}")]
    Cpts {
        /// Id of the CPTS.
        id: String,
        /// Its name.
        name: String,
        /// Why its members do not resolve.
        source: ResolveError,
    },
    /// A polygon CPTS whose outline could not be repaired.
    #[error("CPTS {name:?} ({id}): its polygon could not be repaired: {reason}")]
    Outline {
        /// Id of the CPTS.
        id: String,
        /// Its name.
        name: String,
        /// Why the repair failed.
        reason: String,
    },
}

/// An overlap between a candidate and a registry CPTS.
#[derive(Debug, Clone, PartialEq)]
pub struct CptsOverlap {
    /// Index of the CPTS in [`RegistryIndex::cpts`].
    pub cpts: usize,
    /// What the candidate and the CPTS share.
    pub overlap: Overlap,
}

/// An overlap between two registry CPTS (`first < second`).
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryPair {
    /// Index of the first CPTS in [`RegistryIndex::cpts`].
    pub first: usize,
    /// Index of the second CPTS (greater than `first`).
    pub second: usize,
    /// What the two share.
    pub overlap: Overlap,
}

/// A registry CPTS by id and name, as overlap reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CptsName {
    /// Id of the CPTS in its registry.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its status when the registry gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::model::CptsStatus>,
}

type CptsBox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The registry, indexed; built once at load and shared immutably.
pub struct RegistryIndex {
    source: String,
    /// The sources merged and the départements each covers (derived ones filled in).
    areas: Vec<RegistryArea>,
    /// Union of the areas' départements.
    covered_departements: std::collections::BTreeSet<String>,
    cpts: Vec<IndexedCpts>,
    tree: RTree<CptsBox>,
    /// CPTS without any polygon (no bounding box): always checked.
    unlocated: Vec<usize>,
    by_id: HashMap<String, usize>,
    /// Commune index -> CPTS holding some of it, with their claim.
    by_commune: HashMap<usize, Vec<usize>>,
    tolerance: OverlapTolerance,
}

impl std::fmt::Debug for RegistryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryIndex")
            .field("source", &self.source)
            .field("cpts", &self.cpts.len())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl RegistryIndex {
    /// Resolves every CPTS of `registry` against `atlas` and indexes them.
    ///
    /// Member codes go through [`Atlas::resolve`] (a former code such as `05120` is mapped to
    /// its current commune, with a note); `infra_communal` members become unlocated parts;
    /// polygon CPTS are repaired if invalid (odd-even rule, with a note) and resolved like a
    /// drawn territory.
    pub fn new(atlas: &Atlas, registry: Registry) -> Result<Self, RegistryError> {
        let mut cpts = Vec::with_capacity(registry.cpts.len());
        for c in registry.cpts {
            cpts.push(index_cpts(atlas, c)?);
        }
        let mut boxes = Vec::new();
        let mut unlocated = Vec::new();
        let mut by_commune: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, c) in cpts.iter().enumerate() {
            match c.footprint.rect {
                Some(r) => boxes.push(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    k,
                )),
                None => unlocated.push(k),
            }
            for i in &c.communes {
                by_commune.entry(*i).or_default().push(k);
            }
        }
        let areas = areas_with_departements(atlas, registry.areas, &cpts);
        let covered_departements = areas
            .iter()
            .flat_map(|a| a.departements.iter().cloned())
            .collect();
        let by_id = cpts
            .iter()
            .enumerate()
            .map(|(k, c)| (c.cpts.id.clone(), k))
            .collect();
        Ok(Self {
            source: registry.source,
            areas,
            covered_departements,
            tree: RTree::bulk_load(boxes),
            cpts,
            unlocated,
            by_id,
            by_commune,
            tolerance: OverlapTolerance::default(),
        })
    }

    /// The same index with another sliver tolerance.
    pub fn with_tolerance(mut self, tolerance: OverlapTolerance) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The sliver tolerance overlaps are classified with.
    pub fn tolerance(&self) -> &OverlapTolerance {
        &self.tolerance
    }

    /// What the registry is (its publisher and date).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The sources merged into the registry, with the départements each covers.
    pub fn areas(&self) -> &[RegistryArea] {
        &self.areas
    }

    /// Whether some loaded source covers département `code` wholly.
    pub fn covers_departement(&self, code: &str) -> bool {
        self.covered_departements.contains(code)
    }

    /// Every CPTS, in registry order.
    pub fn cpts(&self) -> &[IndexedCpts] {
        &self.cpts
    }

    /// A CPTS by id.
    pub fn get(&self, id: &str) -> Option<&IndexedCpts> {
        self.by_id.get(id).map(|&k| &self.cpts[k])
    }

    /// Id and name of the CPTS at `index`.
    pub fn name(&self, index: usize) -> CptsName {
        let c = &self.cpts[index].cpts;
        CptsName {
            id: c.id.clone(),
            name: c.name.clone(),
            status: c.status,
        }
    }

    /// Indexes of the CPTS holding some of commune `commune_index` (a polygon CPTS holds the
    /// communes whose representative point it contains).
    pub fn holders(&self, commune_index: usize) -> &[usize] {
        self.by_commune
            .get(&commune_index)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// CPTS whose bounding box meets the footprint's (all of them when it has none), plus the
    /// CPTS without polygon.
    fn near(&self, footprint: &Footprint) -> Vec<usize> {
        let mut found: Vec<usize> = match footprint.rect {
            Some(r) => self
                .tree
                .locate_in_envelope_intersecting(&AABB::from_corners(
                    [r.min().x, r.min().y],
                    [r.max().x, r.max().y],
                ))
                .map(|entry| entry.data)
                .chain(self.unlocated.iter().copied())
                .collect(),
            None => (0..self.cpts.len()).collect(),
        };
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The registry CPTS a candidate overlaps (candidates from the R-tree, then exact), in
    /// registry order.
    pub fn overlaps_with(&self, atlas: &Atlas, candidate: &Footprint) -> Vec<CptsOverlap> {
        self.near(candidate)
            .into_iter()
            .filter_map(|k| {
                let overlap = overlap(atlas, candidate, &self.cpts[k].footprint, &self.tolerance)?;
                Some(CptsOverlap { cpts: k, overlap })
            })
            .collect()
    }

    /// Every pair of registry CPTS that overlap: candidate pairs from the R-tree, then exact.
    pub fn all_pairs(&self, atlas: &Atlas) -> Vec<RegistryPair> {
        let mut pairs = Vec::new();
        for (first, c) in self.cpts.iter().enumerate() {
            for second in self.near(&c.footprint) {
                if second <= first {
                    continue;
                }
                if let Some(overlap) = overlap(
                    atlas,
                    &c.footprint,
                    &self.cpts[second].footprint,
                    &self.tolerance,
                ) {
                    pairs.push(RegistryPair {
                        first,
                        second,
                        overlap,
                    });
                }
            }
        }
        pairs
    }
}

impl IndexedCpts {
    /// The CPTS's outline (WGS84): its polygon, or the union of its members' polygons
    /// (arrondissements: their outlines dissolved from the IRIS), computed on first use.
    /// Communes held in part draw their whole commune (see [`IndexedCpts::approximate_outline`]).
    pub fn outline(&self, atlas: &Atlas) -> &MultiPolygon<f64> {
        self.outline.get_or_init(|| match &self.cpts.outline {
            Some(o) => o.clone(),
            // Without arrondissement outlines (no IRIS loaded), their whole commune.
            None if self.lacks_arrondissement_outlines(atlas) => {
                atlas.communes_outline(self.footprint.claims.iter().map(|(i, _)| *i))
            }
            None => atlas.members_outline(&self.members),
        })
    }

    /// Whether some arrondissement it holds has no outline (no IRIS loaded for it).
    fn lacks_arrondissement_outlines(&self, atlas: &Atlas) -> bool {
        self.footprint.claims.iter().any(|(_, c)| {
            matches!(c, Claim::Arrondissements(s) if atlas.arrondissements_area_km2(s).is_none())
        })
    }

    /// Codes of the communes the outline draws whole although the CPTS holds only part of them
    /// (held in part, or arrondissements without an outline).
    pub fn approximate_outline(&self, atlas: &Atlas) -> Vec<String> {
        if self.cpts.outline.is_some() {
            return Vec::new();
        }
        self.footprint
            .claims
            .iter()
            .filter(|(_, c)| match c {
                Claim::Part => true,
                Claim::Arrondissements(_) => self.lacks_arrondissement_outlines(atlas),
                _ => false,
            })
            .map(|(i, _)| atlas.commune(*i).code.clone())
            .collect()
    }
}

fn index_cpts(atlas: &Atlas, cpts: Cpts) -> Result<IndexedCpts, RegistryError> {
    let fail = |source: ResolveError| RegistryError::Cpts {
        id: cpts.id.clone(),
        name: cpts.name.clone(),
        source,
    };
    let mut notes = Vec::new();
    let (resolved, outline) = match &cpts.outline {
        Some(outline) => {
            let outline = if outline.is_valid() {
                outline.clone()
            } else {
                notes.push("invalid polygon repaired with the odd-even rule".to_string());
                outline.make_valid().map_err(|e| RegistryError::Outline {
                    id: cpts.id.clone(),
                    name: cpts.name.clone(),
                    reason: e.to_string(),
                })?
            };
            let resolved = atlas
                .resolve(&TerritorySpec::Drawn(outline.clone()))
                .map_err(fail)?;
            (resolved, Some(outline))
        }
        None => {
            let codes = cpts.members.iter().map(|m| m.code.clone()).collect();
            (
                atlas.resolve(&TerritorySpec::Codes(codes)).map_err(fail)?,
                None,
            )
        }
    };
    notes.extend(
        resolved
            .warnings
            .iter()
            .filter(|w| !w.contains("arrondissement municipal: no polygon"))
            .cloned(),
    );
    let parts: Vec<usize> = cpts
        .members
        .iter()
        .filter(|m| m.infra_communal)
        .filter_map(|m| {
            let code = atlas.successor(&m.code).unwrap_or(&m.code);
            match atlas.find(code)? {
                CommuneRef::Commune(i) => Some(i),
                CommuneRef::Arrondissement(_) => None,
            }
        })
        .collect();
    let footprint = atlas.footprint(&resolved, &parts);
    let communes = match &outline {
        Some(outline) => footprint
            .claims
            .iter()
            .map(|(i, _)| *i)
            .filter(|&i| {
                atlas
                    .commune(i)
                    .geometry
                    .as_ref()
                    .and_then(|g| g.interior_point())
                    .is_some_and(|p| outline.contains(&p))
            })
            .collect(),
        None => footprint.claims.iter().map(|(i, _)| *i).collect(),
    };
    let members = resolved.members;
    let population = resolved.population;
    let population_in_split_communes = members
        .iter()
        .filter(|m| !m.arrondissement && parts.contains(&m.commune_index))
        .map(|m| m.population)
        .sum();
    Ok(IndexedCpts {
        population: population.round() as u64,
        population_in_split_communes,
        // `+ 0.0`: an empty float sum is -0.0.
        area_km2: members.iter().filter_map(|m| m.area_km2).sum::<f64>() + 0.0,
        area_complete: members.iter().all(|m| m.area_km2.is_some()),
        members,
        footprint,
        notes,
        communes,
        outline: OnceLock::new(),
        cpts,
    })
}

/// The areas with the départements of sources that declare none filled in: those of the
/// communes their CPTS hold (CPTS follow each other in source order).
fn areas_with_departements(
    atlas: &Atlas,
    mut areas: Vec<RegistryArea>,
    cpts: &[IndexedCpts],
) -> Vec<RegistryArea> {
    let mut start = 0;
    for area in &mut areas {
        let end = (start + area.cpts).min(cpts.len());
        if area.basis == crate::model::AreaBasis::MemberDepartements {
            let mut found: Vec<String> = cpts[start..end]
                .iter()
                .flat_map(|c| c.communes.iter())
                .map(|&i| atlas.commune(i).departement.clone())
                .collect();
            found.sort();
            found.dedup();
            area.departements = found;
        }
        start = end;
    }
    areas
}
