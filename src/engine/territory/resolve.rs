//! Territory resolution: from codes, a drawn polygon or an EPCI to the communes it counts.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::MultiPolygon;

use crate::engine::geometry::coverage::PreparedTerritory;
use crate::engine::geometry::coverage_work::MAX_COVERAGE_WORK;
use crate::engine::geometry::equal_area;
use crate::engine::territory::atlas::{Atlas, CommuneRef};
use crate::model::{is_iris_code, CountingMethod, TerritoryMember, TerritorySpec};

/// Coverage below this share of a commune's area is a touching boundary, not coverage.
pub const MIN_COVERAGE: f64 = 1e-6;
/// Coverage above `1 - FULL_COVERAGE_SLACK` counts the commune whole: the polygon clipper snaps
/// to an integer grid, so an enclosed commune can come out at 0.99999999.
pub const FULL_COVERAGE_SLACK: f64 = 1e-6;

/// A territory resolved against the geography, once per request: its members, what was adjusted
/// on the way, and what every indicator needs of it (population, départements, régions, and
/// the projected outline of a drawn territory for its overlaps).
#[derive(Debug, Clone)]
pub struct ResolvedTerritory {
    /// Members sorted by code, each with its coverage and counted population.
    pub members: Vec<TerritoryMember>,
    /// Things the user should know (codes mapped, rings closed, polygons repaired, ...).
    pub warnings: Vec<String>,
    /// Inhabitants counted: the sum of the members' `population_counted`.
    pub population: f64,
    /// Part of `population` that is an estimate (members counted in part, IRIS).
    pub population_estimated: f64,
    /// Codes of the départements the members lie in, sorted.
    pub departements: Vec<String>,
    /// Codes of the régions the members lie in, sorted.
    pub regions: Vec<String>,
    /// The geometry a drawn territory was given with (WGS84); `None` for codes and EPCI.
    pub drawn: Option<MultiPolygon<f64>>,
    /// The drawn outline, projected and edge-indexed once at resolution; `None` for codes.
    pub(crate) outline: Option<Arc<PreparedTerritory>>,
}

impl ResolvedTerritory {
    fn new(
        atlas: &Atlas,
        mut members: Vec<TerritoryMember>,
        warnings: Vec<String>,
        drawn: Option<(&MultiPolygon<f64>, PreparedTerritory)>,
    ) -> Self {
        members.sort_by(|a, b| a.code.cmp(&b.code));
        let population = members.iter().map(|m| m.population_counted).sum();
        let population_estimated = members
            .iter()
            .filter(|m| m.estimated)
            .map(|m| m.population_counted)
            .sum();
        let mut departements: Vec<&str> = Vec::new();
        let mut regions: Vec<&str> = Vec::new();
        for m in &members {
            let c = atlas.commune(m.commune_index);
            if !departements.contains(&c.departement.as_str()) {
                departements.push(&c.departement);
            }
            if !regions.contains(&c.region.as_str()) {
                regions.push(&c.region);
            }
        }
        departements.sort_unstable();
        regions.sort_unstable();
        let owned = |codes: Vec<&str>| codes.into_iter().map(str::to_string).collect();
        let (departements, regions) = (owned(departements), owned(regions));
        ResolvedTerritory {
            members,
            warnings,
            population,
            population_estimated,
            departements,
            regions,
            drawn: drawn.as_ref().map(|(geometry, _)| (*geometry).clone()),
            outline: drawn.map(|(_, prepared)| Arc::new(prepared)),
        }
    }
}

/// Why a territory could not be resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// No code and no polygon.
    #[error("the territory is empty: give at least one commune code or a polygon")]
    Empty,
    /// Codes neither the geography nor the IRIS layer knows.
    #[error("unknown commune, arrondissement or IRIS code(s): {}", .0.join(", "))]
    UnknownCodes(Vec<String>),
    /// An EPCI SIREN the geography does not know.
    #[error("unknown EPCI SIREN {0}")]
    UnknownEpci(String),
    /// A commune listed with some of its arrondissements.
    #[error("commune {commune} and its arrondissement(s) {} are both listed: the population would be counted twice", .arrondissements.join(", "))]
    CommuneAndArrondissement {
        /// The commune's code.
        commune: String,
        /// Its arrondissements listed too.
        arrondissements: Vec<String>,
    },
    /// A commune or arrondissement listed with IRIS inside it.
    #[error("{whole} and IRIS {} inside it are both listed: the population would be counted twice", .parts.join(", "))]
    IrisInsideListed {
        /// The commune's or arrondissement's code.
        whole: String,
        /// The IRIS listed too.
        parts: Vec<String>,
    },
    /// A drawn territory that covers no commune.
    #[error("the drawn territory covers no commune of the loaded geography")]
    OutsideGeography,
    /// A drawn territory whose cover needs more point tests than allowed (the limit).
    #[error("the drawn territory is too complex to cover in time (more than {0} point tests): simplify its outline")]
    TooComplex(u64),
}

impl Atlas {
    /// Resolves a territory: which communes it touches, how much of each, population counted.
    ///
    /// Whole communes and arrondissements count their legal population; an IRIS counts its
    /// share of its commune's (see `engine/territory/dasymetric.rs`); a commune partly inside a
    /// drawn polygon counts its population through its IRIS when they are loaded, else in
    /// proportion to the covered area (estimates, with the method said per member).
    pub fn resolve(&self, spec: &TerritorySpec) -> Result<ResolvedTerritory, ResolveError> {
        match spec {
            TerritorySpec::Codes(codes) => self.resolve_codes(codes),
            TerritorySpec::Epci(siren) => {
                let epci = self
                    .epci(siren.trim())
                    .ok_or_else(|| ResolveError::UnknownEpci(siren.clone()))?;
                self.resolve_codes(&epci.members)
            }
            TerritorySpec::Drawn(geometry) => self.resolve_drawn(geometry),
        }
    }

    fn resolve_codes(&self, codes: &[String]) -> Result<ResolvedTerritory, ResolveError> {
        let mut warnings = Vec::new();
        let mut unknown = Vec::new();
        let mut found: BTreeMap<String, CommuneRef> = BTreeMap::new();
        let mut iris_found: BTreeMap<String, usize> = BTreeMap::new();
        for raw in codes {
            let code = normalize_code(raw);
            if code.is_empty() {
                continue;
            }
            if is_iris_code(&code) {
                match self
                    .find_iris(&code)
                    .filter(|&i| self.iris_share(i).is_some())
                {
                    // The IRIS of a commune not split into IRIS is the commune.
                    Some(i) if self.is_whole_commune_iris(i) => {
                        let unit = self.iris(i).unit.clone();
                        if let Some(hit) = self.find(&unit) {
                            warnings.push(format!(
                                "{code} is the IRIS of a whole commune: counted as {unit} ({})",
                                self.commune_name(hit)
                            ));
                            if found.insert(unit, hit).is_some() {
                                warnings
                                    .push(format!("{code} is listed more than once: counted once"));
                            }
                        }
                    }
                    Some(i) => {
                        if iris_found.insert(code.clone(), i).is_some() {
                            warnings.push(format!("{code} is listed more than once: counted once"));
                        }
                    }
                    None => unknown.push(raw.trim().to_string()),
                }
                continue;
            }
            let hit = match self.find(&code) {
                Some(hit) => Some((code.clone(), hit)),
                None => self.successor(&code).and_then(|current| {
                    let hit = self.find(current)?;
                    warnings.push(format!(
                        "{code} is a former commune, now part of {current} ({}): counted as {current}",
                        self.commune_name(hit)
                    ));
                    Some((current.to_string(), hit))
                }),
            };
            match hit {
                Some((code, hit)) => {
                    if found.insert(code.clone(), hit).is_some() {
                        warnings.push(format!("{code} is listed more than once: counted once"));
                    }
                }
                None => unknown.push(raw.trim().to_string()),
            }
        }
        if !unknown.is_empty() {
            return Err(ResolveError::UnknownCodes(unknown));
        }
        if found.is_empty() && iris_found.is_empty() {
            return Err(ResolveError::Empty);
        }
        // A commune and one of its arrondissements together would count people twice.
        let mut parts_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (code, hit) in &found {
            if let CommuneRef::Arrondissement(i) = hit {
                parts_of
                    .entry(self.arrondissement(*i).commune.as_str())
                    .or_default()
                    .push(code.clone());
            }
        }
        for (commune, arrondissements) in parts_of {
            if found.contains_key(commune) {
                return Err(ResolveError::CommuneAndArrondissement {
                    commune: commune.to_string(),
                    arrondissements,
                });
            }
        }
        // Likewise an IRIS and its commune or arrondissement.
        let mut iris_inside: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (code, &i) in &iris_found {
            let unit = &self.iris(i).unit;
            let commune = match self.find(unit) {
                Some(CommuneRef::Arrondissement(a)) => Some(&self.arrondissement(a).commune),
                _ => None,
            };
            for whole in std::iter::once(unit).chain(commune) {
                if found.contains_key(whole) {
                    iris_inside
                        .entry(whole.clone())
                        .or_default()
                        .push(code.clone());
                }
            }
        }
        if let Some((whole, parts)) = iris_inside.into_iter().next() {
            return Err(ResolveError::IrisInsideListed { whole, parts });
        }

        let mut members = Vec::with_capacity(found.len());
        for (code, hit) in found {
            let member = match hit {
                CommuneRef::Commune(i) => {
                    let c = self.commune(i);
                    let population = c.population.unwrap_or(0);
                    if c.population.is_none() {
                        warnings.push(format!(
                            "{code} ({}) has no legal population published",
                            c.name
                        ));
                    }
                    let area_km2 = self.commune_area_km2(i);
                    if area_km2.is_none() {
                        warnings.push(format!(
                            "{code} ({}) has no polygon: its area is not counted",
                            c.name
                        ));
                    }
                    whole_member(code, c.name.clone(), i, false, population, area_km2)
                }
                CommuneRef::Arrondissement(a) => {
                    let arr = self.arrondissement(a);
                    let commune = self.commune_of_arrondissement(a);
                    let area_km2 = self
                        .arrondissement_projected(&code)
                        .map(|(_, p)| p.area_km2);
                    if area_km2.is_none() {
                        warnings.push(format!(
                            "{code} ({}) is an arrondissement municipal without polygon (they are \
                             drawn from their IRIS, none loaded here): its area is not counted",
                            arr.name
                        ));
                    }
                    whole_member(
                        code,
                        arr.name.clone(),
                        commune,
                        true,
                        arr.population.unwrap_or(0),
                        area_km2,
                    )
                }
            };
            members.push(member);
        }
        for (code, i) in iris_found {
            members.push(self.iris_member(code, i, &mut warnings));
        }
        Ok(ResolvedTerritory::new(self, members, warnings, None))
    }

    /// The commune an arrondissement divides.
    fn commune_of_arrondissement(&self, a: usize) -> usize {
        match self.find(&self.arrondissement(a).commune) {
            Some(CommuneRef::Commune(i)) => i,
            _ => 0,
        }
    }

    /// An IRIS given by code: its share of its unit's legal population (an estimate).
    fn iris_member(&self, code: String, i: usize, warnings: &mut Vec<String>) -> TerritoryMember {
        let iris = self.iris(i);
        let unit = self.iris_index().unit(i);
        let (population, method) = self
            .iris_share(i)
            .map_or((0.0, CountingMethod::Area), |s| (s.population, s.method));
        let commune_index = unit.map_or(0, |u| u.commune_index);
        if unit.is_some_and(|u| u.population == 0.0) {
            warnings.push(format!(
                "{code} ({}): {} has no legal population published",
                iris.name, iris.unit
            ));
        }
        let area_km2 = self.iris_area_km2(i);
        if area_km2.is_none() {
            warnings.push(format!(
                "{code} ({}) is known from a population file only, without outline: its area is not counted",
                iris.name
            ));
        }
        TerritoryMember {
            code,
            name: iris.name.clone(),
            commune_index,
            arrondissement: false,
            iris: true,
            population: population.round() as u64,
            coverage: 1.0,
            population_counted: population,
            estimated: true,
            method,
            area_km2,
            iris_coverage: Vec::new(),
        }
    }

    fn resolve_drawn(
        &self,
        geometry: &MultiPolygon<f64>,
    ) -> Result<ResolvedTerritory, ResolveError> {
        let prepared =
            PreparedTerritory::new(&equal_area::project(geometry)).ok_or(ResolveError::Empty)?;
        if !self.coverage_within(&prepared, MAX_COVERAGE_WORK) {
            return Err(ResolveError::TooComplex(MAX_COVERAGE_WORK));
        }
        let members: Vec<TerritoryMember> = self
            .communes_near(prepared.rect())
            .filter_map(|i| {
                let projected = self.projected(i)?;
                let covered_m2 = prepared.covered_area(projected);
                let area_m2 = projected.area_km2 * 1e6;
                let mut coverage = (covered_m2 / area_m2).min(1.0);
                if coverage < MIN_COVERAGE {
                    return None;
                }
                if coverage > 1.0 - FULL_COVERAGE_SLACK {
                    coverage = 1.0;
                }
                let c = self.commune(i);
                let population = c.population.unwrap_or(0);
                let (population_counted, method, iris_coverage) = if coverage == 1.0 {
                    (population as f64, CountingMethod::Whole, Vec::new())
                } else {
                    self.iris_index()
                        .counted_population(i, &prepared)
                        .unwrap_or((
                            population as f64 * coverage,
                            CountingMethod::Area,
                            Vec::new(),
                        ))
                };
                Some(TerritoryMember {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    commune_index: i,
                    arrondissement: false,
                    iris: false,
                    population,
                    coverage,
                    population_counted,
                    estimated: coverage < 1.0,
                    method,
                    area_km2: Some(projected.area_km2 * coverage),
                    iris_coverage,
                })
            })
            .collect();
        if members.is_empty() {
            return Err(ResolveError::OutsideGeography);
        }
        Ok(ResolvedTerritory::new(
            self,
            members,
            Vec::new(),
            Some((geometry, prepared)),
        ))
    }

    fn commune_name(&self, hit: CommuneRef) -> &str {
        match hit {
            CommuneRef::Commune(i) => &self.commune(i).name,
            CommuneRef::Arrondissement(i) => &self.arrondissement(i).name,
        }
    }
}

fn whole_member(
    code: String,
    name: String,
    commune_index: usize,
    arrondissement: bool,
    population: u64,
    area_km2: Option<f64>,
) -> TerritoryMember {
    TerritoryMember {
        code,
        name,
        commune_index,
        arrondissement,
        iris: false,
        population,
        coverage: 1.0,
        population_counted: population as f64,
        estimated: false,
        method: CountingMethod::Whole,
        area_km2,
        iris_coverage: Vec::new(),
    }
}

/// Normalises a user's code: trims, upper-cases Corsica's `2a`/`2b`, and restores the leading
/// zero spreadsheets strip from codes like `1001` (-> `01001`).
fn normalize_code(raw: &str) -> String {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_code;

    #[test]
    fn normalizes_codes() {
        assert_eq!(normalize_code(" 1001 "), "01001");
        assert_eq!(normalize_code("2a004"), "2A004");
        assert_eq!(normalize_code("13055"), "13055");
    }
}
