//! Territory resolution: from codes, a drawn polygon or an EPCI to the communes it counts.

use std::collections::BTreeMap;

use super::atlas::{Atlas, CommuneRef};
use super::coverage::PreparedTerritory;
use super::equal_area;
use crate::model::{TerritoryMember, TerritorySpec};

/// Coverage below this share of a commune's area is a touching boundary, not coverage.
pub const MIN_COVERAGE: f64 = 1e-6;
/// Coverage above `1 - FULL_COVERAGE_SLACK` counts the commune whole: the polygon clipper snaps
/// to an integer grid, so an enclosed commune can come out at 0.99999999.
pub const FULL_COVERAGE_SLACK: f64 = 1e-6;

/// A territory resolved against the geography: its members and what was adjusted on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedTerritory {
    /// Members sorted by code, each with its coverage and counted population.
    pub members: Vec<TerritoryMember>,
    /// Things the user should know (codes mapped, rings closed, polygons repaired, ...).
    pub warnings: Vec<String>,
}

/// Why a territory could not be resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    #[error("the territory is empty: give at least one commune code or a polygon")]
    Empty,
    #[error("unknown commune or arrondissement code(s): {}", .0.join(", "))]
    UnknownCodes(Vec<String>),
    #[error("unknown EPCI SIREN {0}")]
    UnknownEpci(String),
    #[error("commune {commune} and its arrondissement(s) {} are both listed: the population would be counted twice", .arrondissements.join(", "))]
    CommuneAndArrondissement {
        commune: String,
        arrondissements: Vec<String>,
    },
    #[error("the drawn territory covers no commune of the loaded geography")]
    OutsideGeography,
}

impl Atlas {
    /// Resolves a territory: which communes it touches, how much of each, population counted.
    ///
    /// Whole communes and arrondissements count their legal population; a commune partly inside
    /// a drawn polygon counts its population in proportion to the covered area (an estimate).
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
        for raw in codes {
            let code = normalize_code(raw);
            if code.is_empty() {
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
        if found.is_empty() {
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
                    let commune = self
                        .find(&arr.commune)
                        .and_then(|r| match r {
                            CommuneRef::Commune(i) => Some(i),
                            CommuneRef::Arrondissement(_) => None,
                        })
                        .unwrap_or(0);
                    warnings.push(format!(
                        "{code} ({}) is an arrondissement municipal: no polygon, its area is not counted",
                        arr.name
                    ));
                    whole_member(
                        code,
                        arr.name.clone(),
                        commune,
                        true,
                        arr.population.unwrap_or(0),
                        None,
                    )
                }
            };
            members.push(member);
        }
        Ok(ResolvedTerritory { members, warnings })
    }

    fn resolve_drawn(
        &self,
        geometry: &geo::MultiPolygon<f64>,
    ) -> Result<ResolvedTerritory, ResolveError> {
        let prepared =
            PreparedTerritory::new(&equal_area::project(geometry)).ok_or(ResolveError::Empty)?;
        let mut members: Vec<TerritoryMember> = self
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
                Some(TerritoryMember {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    commune_index: i,
                    arrondissement: false,
                    population,
                    coverage,
                    population_counted: population as f64 * coverage,
                    estimated: coverage < 1.0,
                    area_km2: Some(projected.area_km2 * coverage),
                })
            })
            .collect();
        if members.is_empty() {
            return Err(ResolveError::OutsideGeography);
        }
        members.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(ResolvedTerritory {
            members,
            warnings: Vec::new(),
        })
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
        population,
        coverage: 1.0,
        population_counted: population as f64,
        estimated: false,
        area_km2,
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
