//! Coverage of the geography by the registry: communes no CPTS covers, communes covered only in
//! part, with their population, per département and région.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::registry::coverage::{CoverageStatus, RegistryCoverage};
use crate::engine::registry::index::RegistryIndex;
use crate::engine::territory::atlas::Atlas;
use crate::engine::territory::footprint::Claim;

/// Which communes a coverage report looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "code")]
pub enum CoverageScope {
    /// Every commune of France.
    All,
    /// The communes of one département (its code: `13`, `2A`, `971`).
    Departement(String),
    /// The communes of one région (its code: `93`).
    Region(String),
}

/// Why `departement` / `region` options name no scope (the same words on every route and
/// command).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// Neither option given where one is required.
    #[error("give departement (e.g. 13) or region (e.g. 93)")]
    Missing,
    /// Both options given.
    #[error("give departement or region, not both")]
    Both,
}

impl CoverageScope {
    /// The scope named by a `departement` or a `region` option, at most one of them; `None`
    /// when neither is given (each caller says what that means). Whether the code exists is
    /// checked by [`RegistryIndex::coverage`].
    ///
    /// ```
    /// use cpts_atlas::engine::{CoverageScope, ScopeError};
    /// let d = CoverageScope::from_options(Some("13".into()), None);
    /// assert_eq!(d, Ok(Some(CoverageScope::Departement("13".into()))));
    /// assert_eq!(CoverageScope::from_options(None, None), Ok(None));
    /// let both = CoverageScope::from_options(Some("13".into()), Some("93".into()));
    /// assert_eq!(both, Err(ScopeError::Both));
    /// ```
    pub fn from_options(
        departement: Option<String>,
        region: Option<String>,
    ) -> Result<Option<Self>, ScopeError> {
        match (departement, region) {
            (Some(_), Some(_)) => Err(ScopeError::Both),
            (Some(d), None) => Ok(Some(Self::Departement(d))),
            (None, Some(r)) => Ok(Some(Self::Region(r))),
            (None, None) => Ok(None),
        }
    }

    /// As [`CoverageScope::from_options`], one of the two options being required.
    pub fn required(
        departement: Option<String>,
        region: Option<String>,
    ) -> Result<Self, ScopeError> {
        Self::from_options(departement, region)?.ok_or(ScopeError::Missing)
    }
}

/// A commune no CPTS of the registry covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncoveredCommune {
    /// INSEE code of the commune (COG).
    pub code: String,
    /// Name of the commune (COG).
    pub name: String,
    /// Code of its département.
    pub departement: String,
    /// Code of its région.
    pub region: String,
    /// Its legal population (INSEE, as shipped in the COG), inhabitants.
    pub population: u64,
}

/// A commune the registry covers only in part, or whose coverage cannot be verified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartlyCoveredCommune {
    /// INSEE code of the commune (COG).
    pub code: String,
    /// Name of the commune (COG).
    pub name: String,
    /// Code of its département.
    pub departement: String,
    /// Its legal population (INSEE, as shipped in the COG), inhabitants.
    pub population: u64,
    /// Arrondissements no CPTS lists (Marseille's 1st arrondissement, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncovered_arrondissements: Vec<String>,
    /// Inhabitants outside every CPTS: exact for arrondissements; `None` for communes split
    /// between CPTS without detail (Nice, Toulon), whose completeness the registry does not tell.
    pub uncovered_population: Option<u64>,
    /// Ids of the CPTS holding part of the commune.
    pub cpts: Vec<String>,
}

/// Totals of one département or région.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageTotals {
    /// Code of the département or région.
    pub code: String,
    /// Its name (COG).
    pub name: String,
    /// Communes of it that were checked (inside a loaded registry's area).
    pub communes: usize,
    /// Legal population of those communes, inhabitants.
    pub population: u64,
    /// Those of its communes no CPTS covers.
    pub uncovered_communes: usize,
    /// Population of uncovered communes plus the known uncovered part of partly covered ones.
    pub uncovered_population: u64,
}

/// Coverage of a scope by the registry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The communes looked at.
    pub scope: CoverageScope,
    /// Which communes of the scope lie in a loaded registry's area: only those are reported
    /// (counted, uncovered or partly covered); the others were not checked.
    pub registry_coverage: RegistryCoverage,
    /// Communes of the scope checked (inside a loaded registry's area).
    pub communes: usize,
    /// Legal population of those communes, inhabitants.
    pub population: u64,
    /// Those of the checked communes no CPTS covers.
    pub uncovered_communes: usize,
    /// Population of the uncovered communes plus the known uncovered part of partly covered ones.
    pub uncovered_population: u64,
    /// Share of the population inside some CPTS (0..1).
    pub covered_population_share: f64,
    /// Communes no CPTS covers, by code.
    pub uncovered: Vec<UncoveredCommune>,
    /// Communes covered in part, or whose coverage cannot be verified, by code.
    pub partly_covered: Vec<PartlyCoveredCommune>,
    /// Totals per département of the scope, by code.
    pub by_departement: Vec<CoverageTotals>,
    /// Totals per région of the scope, by code.
    pub by_region: Vec<CoverageTotals>,
}

/// Why a coverage report could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverageError {
    /// The département code is not in the loaded geography.
    #[error("unknown département {0}")]
    UnknownDepartement(String),
    /// The région code is not in the loaded geography.
    #[error("unknown région {0}")]
    UnknownRegion(String),
    /// No commune of the scope lies in the area of a loaded registry: its white zones cannot
    /// be told from the CPTS that were not loaded.
    #[error("no loaded registry covers {scope}: {what_to_load}")]
    NotCovering {
        /// The scope, worded (`département 13`).
        scope: String,
        /// Which registry to load to cover it.
        what_to_load: String,
        /// What the loaded registries cover of the scope.
        coverage: Box<RegistryCoverage>,
    },
}

/// What the registry leaves of one commune outside every CPTS.
enum Left {
    Nothing,
    All,
    Arrondissements(Vec<usize>, u64),
    Unknown,
}

impl RegistryIndex {
    /// The coverage of the communes of `scope` by the registry.
    ///
    /// Only the communes of the scope in the area of a loaded registry are looked at (see
    /// [`CoverageReport::registry_coverage`]); a scope with none is refused
    /// ([`CoverageError::NotCovering`]).
    ///
    /// A commune is uncovered when no CPTS holds any of it (a polygon CPTS holds the communes
    /// whose representative point it contains). It is partly covered when CPTS list some of its
    /// arrondissements but not all, or when it is only held in part by CPTS that split it
    /// without saying how (`infra_communal`: reported, completeness unknown).
    pub fn coverage(
        &self,
        atlas: &Atlas,
        scope: &CoverageScope,
    ) -> Result<CoverageReport, CoverageError> {
        match scope {
            CoverageScope::All => {}
            CoverageScope::Departement(code) if atlas.departement(code).is_none() => {
                return Err(CoverageError::UnknownDepartement(code.clone()))
            }
            CoverageScope::Region(code) if atlas.region(code).is_none() => {
                return Err(CoverageError::UnknownRegion(code.clone()))
            }
            _ => {}
        }
        let in_scope = |c: &crate::model::Commune| match scope {
            CoverageScope::All => true,
            CoverageScope::Departement(d) => &c.departement == d,
            CoverageScope::Region(r) => &c.region == r,
        };
        let registry_coverage = RegistryCoverage::of(
            atlas,
            Some(self),
            (0..atlas.communes().len()).filter(|&i| in_scope(atlas.commune(i))),
        );
        if registry_coverage.status == CoverageStatus::None {
            let scope_label = match scope {
                CoverageScope::All => "France".to_string(),
                CoverageScope::Departement(d) => format!("département {d}"),
                CoverageScope::Region(r) => format!("région {r}"),
            };
            return Err(CoverageError::NotCovering {
                scope: scope_label,
                what_to_load: registry_coverage.what_to_load(),
                coverage: Box::new(registry_coverage),
            });
        }
        let mut arrondissements_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (k, a) in atlas.geography().arrondissements.iter().enumerate() {
            arrondissements_of.entry(&a.commune).or_default().push(k);
        }
        let mut uncovered = Vec::new();
        let mut partly_covered = Vec::new();
        let mut departements: BTreeMap<&str, CoverageTotals> = BTreeMap::new();
        for (i, c) in atlas.communes().iter().enumerate() {
            if !in_scope(c) || !self.covers_departement(&c.departement) {
                continue;
            }
            let population = c.population.unwrap_or(0);
            let totals = departements.entry(&c.departement).or_insert_with(|| {
                let name = atlas
                    .departement(&c.departement)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                CoverageTotals {
                    code: c.departement.clone(),
                    name,
                    communes: 0,
                    population: 0,
                    uncovered_communes: 0,
                    uncovered_population: 0,
                }
            });
            totals.communes += 1;
            totals.population += population;
            let holders = self.holders(i);
            let left = self.left_of(
                i,
                holders,
                arrondissements_of.get(c.code.as_str()).map(Vec::as_slice),
                atlas,
            );
            let partly = |uncovered_arrondissements: Vec<String>, uncovered_population| {
                PartlyCoveredCommune {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    departement: c.departement.clone(),
                    population,
                    uncovered_arrondissements,
                    uncovered_population,
                    cpts: holders
                        .iter()
                        .map(|&k| self.cpts()[k].cpts.id.clone())
                        .collect(),
                }
            };
            match left {
                Left::Nothing => {}
                Left::All => {
                    totals.uncovered_communes += 1;
                    totals.uncovered_population += population;
                    uncovered.push(UncoveredCommune {
                        code: c.code.clone(),
                        name: c.name.clone(),
                        departement: c.departement.clone(),
                        region: c.region.clone(),
                        population,
                    });
                }
                Left::Arrondissements(list, people) => {
                    totals.uncovered_population += people;
                    let codes = list
                        .iter()
                        .map(|&k| atlas.arrondissement(k).code.clone())
                        .collect();
                    partly_covered.push(partly(codes, Some(people)));
                }
                Left::Unknown => partly_covered.push(partly(Vec::new(), None)),
            }
        }
        let by_departement: Vec<CoverageTotals> = departements.into_values().collect();
        let mut regions: BTreeMap<String, CoverageTotals> = BTreeMap::new();
        for d in &by_departement {
            let code = atlas
                .departement(&d.code)
                .map(|x| x.region.clone())
                .unwrap_or_default();
            let r = regions
                .entry(code.clone())
                .or_insert_with(|| CoverageTotals {
                    name: atlas
                        .region(&code)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    code,
                    communes: 0,
                    population: 0,
                    uncovered_communes: 0,
                    uncovered_population: 0,
                });
            r.communes += d.communes;
            r.population += d.population;
            r.uncovered_communes += d.uncovered_communes;
            r.uncovered_population += d.uncovered_population;
        }
        let population: u64 = by_departement.iter().map(|d| d.population).sum();
        let uncovered_population: u64 = by_departement.iter().map(|d| d.uncovered_population).sum();
        uncovered.sort_by(|a, b| a.code.cmp(&b.code));
        partly_covered.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(CoverageReport {
            scope: scope.clone(),
            registry_coverage,
            communes: by_departement.iter().map(|d| d.communes).sum(),
            population,
            uncovered_communes: uncovered.len(),
            uncovered_population,
            covered_population_share: if population > 0 {
                1.0 - uncovered_population as f64 / population as f64
            } else {
                0.0
            },
            uncovered,
            partly_covered,
            by_departement,
            by_region: regions.into_values().collect(),
        })
    }

    fn left_of(
        &self,
        commune: usize,
        holders: &[usize],
        arrondissements: Option<&[usize]>,
        atlas: &Atlas,
    ) -> Left {
        if holders.is_empty() {
            return Left::All;
        }
        let claims: Vec<&Claim> = holders
            .iter()
            .filter_map(|&k| self.cpts()[k].footprint.claim(commune))
            .collect();
        // A polygon CPTS holding the commune holds its representative point: the commune is its.
        if claims
            .iter()
            .any(|c| matches!(c, Claim::Whole | Claim::Share(_)))
        {
            return Left::Nothing;
        }
        if claims.iter().any(|c| matches!(c, Claim::Part)) {
            return Left::Unknown;
        }
        let listed: Vec<usize> = claims
            .iter()
            .filter_map(|c| match c {
                Claim::Arrondissements(list) => Some(list.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        if !listed.is_empty() {
            let missing: Vec<usize> = arrondissements
                .unwrap_or(&[])
                .iter()
                .copied()
                .filter(|k| !listed.contains(k))
                .collect();
            if missing.is_empty() {
                return Left::Nothing;
            }
            let people = missing
                .iter()
                .map(|&k| atlas.arrondissement(k).population.unwrap_or(0))
                .sum();
            return Left::Arrondissements(missing, people);
        }
        Left::Unknown
    }
}
