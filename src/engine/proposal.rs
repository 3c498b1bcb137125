//! Candidate territories over the communes no CPTS covers: contiguous, grown from poles along
//! the commune adjacency, never across an existing CPTS, aiming at a configurable size.
//!
//! # Algorithm (deterministic: every tie is broken by commune code)
//! 1. The units are the communes of the scope no registry CPTS holds any of (the `coverage`
//!    report), plus, per partly covered commune, its arrondissements no CPTS lists (one unit:
//!    they have no outline, hence no neighbour).
//! 2. Units are split into connected components of the adjacency graph restricted to them, so
//!    a candidate never crosses an existing CPTS or leaves the scope.
//! 3. A component under `min_population` cannot reach it: it stays one candidate, reported
//!    below the minimum with what encloses it — unless it is an island (no neighbour at all
//!    outside itself), which joins the nearest candidate within `island_reach_km`, across water.
//! 4. A larger component of population P is cut into k candidates, k = P / `target_population`
//!    rounded (a commune above the target counts as one target), kept between
//!    P / `max_population` (rounded up) and P / `min_population` (rounded down). Poles are,
//!    best pole score first (population by default), the communes that alone reach the
//!    minimum, then communes at least 3 adjacency steps from any pole when possible (then 2,
//!    then 1).
//! 5. Candidates grow together: the one with the fewest inhabitants takes, among the free
//!    communes it borders, the one it shares the longest border with, unless that would take
//!    it over `max_population`; it stops when it reaches the maximum or has no free neighbour.
//!    Communes left free (all their neighbours full) are cut again from step 4.
//! 6. A candidate under the minimum merges into the smallest neighbouring candidate that stays
//!    within the maximum; if none can take it, it is kept and reported.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use geo::Centroid;
use serde::{Deserialize, Serialize};

use crate::engine::geometry::great_circle::distance_km;
use crate::engine::registry::coverage::RegistryCoverage;
use crate::engine::registry::index::RegistryIndex;
use crate::engine::registry::uncovered::{CoverageError, CoverageScope};
use crate::engine::territory::atlas::Atlas;
use crate::model::Commune;

/// Rules a proposal follows; every field has a named default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProposalRules {
    /// Fewest inhabitants of a viable candidate (default 20 000, half of taille 1's range).
    pub min_population: u64,
    /// Population the cut aims at (default 60 000, about the median PACA CPTS, taille 2).
    pub target_population: u64,
    /// Most inhabitants of a candidate (default 250 000, a taille 4).
    pub max_population: u64,
    /// Islands under the minimum join the nearest candidate within this distance, km.
    pub island_reach_km: f64,
}

impl Default for ProposalRules {
    fn default() -> Self {
        Self {
            min_population: 20_000,
            target_population: 60_000,
            max_population: 250_000,
            island_reach_km: 30.0,
        }
    }
}

/// Why rules were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProposalError {
    /// The scope was refused (unknown code, no registry covering it).
    #[error(transparent)]
    Scope(#[from] CoverageError),
    /// The population bounds are not ordered.
    #[error(
        "rules must satisfy 0 < min_population <= target_population <= max_population \
         (got {min} / {target} / {max})"
    )]
    Sizes {
        /// `min_population` given.
        min: u64,
        /// `target_population` given.
        target: u64,
        /// `max_population` given.
        max: u64,
    },
    /// `island_reach_km` is negative or not finite (the value given).
    #[error("island_reach_km must be a finite number >= 0 (got {0})")]
    Reach(f64),
}

/// How a candidate's population compares with the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeStatus {
    /// From `min_population` to `max_population`, both included.
    Within,
    /// Under the rules' `min_population`.
    BelowMinimum,
    /// Over the rules' `max_population`.
    AboveMaximum,
}

/// What lies across a candidate's border.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Across {
    /// An existing CPTS of the registry.
    Cpts {
        /// Id of the CPTS in its registry.
        id: String,
        /// Its name.
        name: String,
    },
    /// Another candidate of the proposal.
    Candidate {
        /// Id of the other candidate.
        id: String,
    },
    /// Communes outside the scope that no CPTS holds.
    OutsideScope,
}

/// A stretch of a candidate's border.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BorderShare {
    /// What lies across.
    #[serde(flatten)]
    pub across: Across,
    /// Length of the shared border, km.
    pub km: f64,
}

/// One candidate territory, by commune index.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateCut {
    /// `<scope code>-<rank>`, ranked by decreasing population.
    pub id: String,
    /// Index of the pole commune.
    pub pole: usize,
    /// Member communes, by code.
    pub communes: Vec<usize>,
    /// Uncovered arrondissements (indexes in the geography) of a partly covered commune.
    pub arrondissements: Vec<usize>,
    /// Island communes joined without a shared border.
    pub across_water: Vec<usize>,
    /// Legal population of the members, inhabitants.
    pub population: u64,
    /// How that population compares with the rules.
    pub size_status: SizeStatus,
    /// Why the candidate is what it is: pole, where and why growth stopped, merges.
    pub cut_reasons: Vec<String>,
    /// What lies across its border, longest first.
    pub borders: Vec<BorderShare>,
}

/// A proposal's partition of the uncovered communes of a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// The communes looked at.
    pub scope: CoverageScope,
    /// The rules the candidates were cut with.
    pub rules: ProposalRules,
    /// The candidates, ranked by decreasing population.
    pub candidates: Vec<CandidateCut>,
    /// Communes partly covered whose uncovered part cannot be proposed (no detail of the
    /// split), with the reason.
    pub left_out: Vec<(usize, String)>,
    /// Which communes of the scope lie in a loaded registry's area: only those were cut.
    pub registry_coverage: RegistryCoverage,
}

/// A candidate while it is being cut (local unit indexes).
struct Cut {
    pole: usize,
    units: Vec<usize>,
    population: u64,
    across_water: Vec<usize>,
    reasons: Vec<String>,
}

/// The graph of the uncovered units of a scope.
struct Units<'a> {
    atlas: &'a Atlas,
    /// Commune index of each unit; units are sorted by code.
    commune: Vec<usize>,
    population: Vec<u64>,
    score: Vec<f64>,
    /// Neighbour units and shared border, km.
    neighbours: Vec<Vec<(usize, f64)>>,
    /// True when the unit's commune has a neighbour that is not a unit.
    open: Vec<bool>,
}

impl RegistryIndex {
    /// Partitions the communes of `scope` no CPTS covers into candidate territories (see the
    /// module doc); `pole_score` ranks the communes that may be poles (higher first).
    pub fn propose(
        &self,
        atlas: &Atlas,
        scope: &CoverageScope,
        rules: &ProposalRules,
        pole_score: &dyn Fn(usize) -> f64,
    ) -> Result<Partition, ProposalError> {
        let (min, target, max) = (
            rules.min_population,
            rules.target_population,
            rules.max_population,
        );
        if min == 0 || min > target || target > max {
            return Err(ProposalError::Sizes { min, target, max });
        }
        if !rules.island_reach_km.is_finite() || rules.island_reach_km < 0.0 {
            return Err(ProposalError::Reach(rules.island_reach_km));
        }
        let report = self.coverage(atlas, scope)?;
        let mut communes: Vec<usize> = report
            .uncovered
            .iter()
            .filter_map(|c| match atlas.find(&c.code) {
                Some(crate::engine::CommuneRef::Commune(i)) => Some(i),
                _ => None,
            })
            .collect();
        communes.sort_by(|&a, &b| atlas.commune(a).code.cmp(&atlas.commune(b).code));
        let units = Units::new(atlas, communes, pole_score);
        let mut cuts: Vec<Cut> = Vec::new();
        let mut islands: Vec<Vec<usize>> = Vec::new();
        for component in units.components(&vec![true; units.len()]) {
            let population: u64 = component.iter().map(|&u| units.population[u]).sum();
            if population < min && !component.iter().any(|&u| units.open[u]) {
                islands.push(component);
            } else if population < min {
                cuts.push(units.enclosed(component, population, rules));
            } else {
                cuts.extend(units.cut_component(component, rules));
            }
        }
        merge_small(&units, &mut cuts, rules);
        for island in islands {
            units.place_island(island, &mut cuts, rules);
        }
        let mut partition = Partition {
            scope: scope.clone(),
            rules: rules.clone(),
            candidates: Vec::new(),
            left_out: Vec::new(),
            registry_coverage: report.registry_coverage.clone(),
        };
        for c in &report.partly_covered {
            let Some(crate::engine::CommuneRef::Commune(i)) = atlas.find(&c.code) else {
                continue;
            };
            if c.uncovered_arrondissements.is_empty() {
                let why =
                    "split between CPTS without detail: its uncovered part, if any, is unknown";
                partition.left_out.push((i, why.to_string()));
                continue;
            }
            let arrondissements: Vec<usize> = c
                .uncovered_arrondissements
                .iter()
                .filter_map(|code| match atlas.find(code) {
                    Some(crate::engine::CommuneRef::Arrondissement(k)) => Some(k),
                    _ => None,
                })
                .collect();
            let population = arrondissements
                .iter()
                .map(|&k| atlas.arrondissement(k).population.unwrap_or(0))
                .sum();
            partition.candidates.push(CandidateCut {
                id: String::new(),
                pole: i,
                communes: Vec::new(),
                arrondissements,
                across_water: Vec::new(),
                population,
                size_status: size_status(population, rules),
                cut_reasons: vec![
                    format!(
                        "pole: {} ({})",
                        atlas.commune(i).name,
                        atlas.commune(i).code
                    ),
                    format!(
                        "the arrondissements of {} no CPTS lists ({}): arrondissements have no \
                         outline here, so no neighbours; kept together as one candidate",
                        atlas.commune(i).name,
                        c.uncovered_arrondissements.join(", ")
                    ),
                ],
                borders: Vec::new(),
            });
        }
        for cut in cuts {
            let mut members: Vec<usize> = cut.units.iter().map(|&u| units.commune[u]).collect();
            members.sort_by(|&a, &b| atlas.commune(a).code.cmp(&atlas.commune(b).code));
            partition.candidates.push(CandidateCut {
                id: String::new(),
                pole: units.commune[cut.pole],
                communes: members,
                arrondissements: Vec::new(),
                across_water: cut.across_water.iter().map(|&u| units.commune[u]).collect(),
                population: cut.population,
                size_status: size_status(cut.population, rules),
                cut_reasons: cut.reasons,
                borders: Vec::new(),
            });
        }
        partition.candidates.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then_with(|| atlas.commune(a.pole).code.cmp(&atlas.commune(b.pole).code))
        });
        let code = match scope {
            CoverageScope::All => "FR",
            CoverageScope::Departement(c) | CoverageScope::Region(c) => c.as_str(),
        };
        for (k, c) in partition.candidates.iter_mut().enumerate() {
            c.id = format!("{code}-{:02}", k + 1);
        }
        self.describe_borders(atlas, &mut partition);
        Ok(partition)
    }

    /// Fills each candidate's `borders` and says in its reasons what it is bordered by.
    fn describe_borders(&self, atlas: &Atlas, partition: &mut Partition) {
        let mut candidate_of: BTreeMap<usize, usize> = BTreeMap::new();
        for (k, c) in partition.candidates.iter().enumerate() {
            for &i in &c.communes {
                candidate_of.insert(i, k);
            }
        }
        let ids: Vec<String> = partition.candidates.iter().map(|c| c.id.clone()).collect();
        for (k, c) in partition.candidates.iter_mut().enumerate() {
            let mut km: BTreeMap<Across, f64> = BTreeMap::new();
            for &i in &c.communes {
                for n in atlas.adjacency().neighbours(i) {
                    let across: Vec<Across> = match candidate_of.get(&n.commune) {
                        Some(&other) if other == k => continue,
                        Some(&other) => vec![Across::Candidate {
                            id: ids[other].clone(),
                        }],
                        None => {
                            let holders = self.holders(n.commune);
                            if holders.is_empty() {
                                vec![Across::OutsideScope]
                            } else {
                                holders
                                    .iter()
                                    .map(|&h| {
                                        let name = self.name(h);
                                        Across::Cpts {
                                            id: name.id,
                                            name: name.name,
                                        }
                                    })
                                    .collect()
                            }
                        }
                    };
                    for a in across {
                        *km.entry(a).or_default() += n.border_km;
                    }
                }
            }
            let mut borders: Vec<BorderShare> = km
                .into_iter()
                .map(|(across, km)| BorderShare {
                    across,
                    km: (km * 10.0).round() / 10.0,
                })
                .collect();
            borders.sort_by(|a, b| b.km.total_cmp(&a.km).then_with(|| a.across.cmp(&b.across)));
            if !borders.is_empty() {
                let list: Vec<String> = borders
                    .iter()
                    .map(|b| {
                        let what = match &b.across {
                            Across::Cpts { name, .. } => name.clone(),
                            Across::Candidate { id } => format!("candidate {id}"),
                            Across::OutsideScope => "uncovered communes outside the scope".into(),
                        };
                        format!("{what} ({:.1} km)", b.km)
                    })
                    .collect();
                c.cut_reasons
                    .push(format!("bordered by {}", list.join(", ")));
            }
            c.borders = borders;
        }
    }
}

fn size_status(population: u64, rules: &ProposalRules) -> SizeStatus {
    if population < rules.min_population {
        SizeStatus::BelowMinimum
    } else if population > rules.max_population {
        SizeStatus::AboveMaximum
    } else {
        SizeStatus::Within
    }
}

impl<'a> Units<'a> {
    fn new(atlas: &'a Atlas, commune: Vec<usize>, pole_score: &dyn Fn(usize) -> f64) -> Self {
        let local: BTreeMap<usize, usize> =
            commune.iter().enumerate().map(|(u, &i)| (i, u)).collect();
        let adjacency = atlas.adjacency();
        let mut neighbours = Vec::with_capacity(commune.len());
        let mut open = Vec::with_capacity(commune.len());
        for &i in &commune {
            let list = adjacency.neighbours(i);
            open.push(list.iter().any(|n| !local.contains_key(&n.commune)));
            neighbours.push(
                list.iter()
                    .filter_map(|n| Some((*local.get(&n.commune)?, n.border_km)))
                    .collect(),
            );
        }
        Self {
            population: commune
                .iter()
                .map(|&i| atlas.commune(i).population.unwrap_or(0))
                .collect(),
            score: commune.iter().map(|&i| pole_score(i)).collect(),
            atlas,
            commune,
            neighbours,
            open,
        }
    }

    fn len(&self) -> usize {
        self.commune.len()
    }

    fn name(&self, u: usize) -> String {
        let c: &Commune = self.atlas.commune(self.commune[u]);
        format!("{} ({})", c.name, c.code)
    }

    /// Connected components of the units flagged in `within`, each sorted, in order of their
    /// first unit.
    fn components(&self, within: &[bool]) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.len()];
        let mut out = Vec::new();
        for start in 0..self.len() {
            if seen[start] || !within[start] {
                continue;
            }
            seen[start] = true;
            let mut component = vec![start];
            let mut queue = VecDeque::from([start]);
            while let Some(u) = queue.pop_front() {
                for &(v, _) in &self.neighbours[u] {
                    if within[v] && !seen[v] {
                        seen[v] = true;
                        component.push(v);
                        queue.push_back(v);
                    }
                }
            }
            component.sort_unstable();
            out.push(component);
        }
        out
    }

    /// Pole order: score, then population, both decreasing, then code.
    fn pole_order(&self, units: &[usize]) -> Vec<usize> {
        let mut order = units.to_vec();
        order.sort_by(|&a, &b| {
            self.score[b]
                .total_cmp(&self.score[a])
                .then(self.population[b].cmp(&self.population[a]))
                .then(a.cmp(&b))
        });
        order
    }

    /// A component too small to reach the minimum, kept whole.
    fn enclosed(&self, component: Vec<usize>, population: u64, rules: &ProposalRules) -> Cut {
        let pole = self.pole_order(&component)[0];
        Cut {
            reasons: vec![
                format!("pole: {}", self.name(pole)),
                format!(
                    "kept below the minimum ({} < {}): a component of {} uncovered commune(s) \
                     enclosed by existing CPTS or the scope's limit cannot reach it",
                    population,
                    rules.min_population,
                    component.len()
                ),
            ],
            pole,
            units: component,
            population,
            across_water: Vec::new(),
        }
    }

    /// Cuts a component of at least the minimum population into candidates.
    fn cut_component(&self, component: Vec<usize>, rules: &ProposalRules) -> Vec<Cut> {
        let population: u64 = component.iter().map(|&u| self.population[u]).sum();
        let fewest = population.div_ceil(rules.max_population);
        let most = (population / rules.min_population).max(1);
        // A commune larger than the target makes one candidate by itself: count it as one target.
        let effective: u64 = component
            .iter()
            .map(|&u| self.population[u].min(rules.target_population))
            .sum();
        let aimed = ((effective as f64 / rules.target_population as f64).round() as u64).max(1);
        let k = aimed.clamp(fewest.min(most), most) as usize;
        let k = k.min(component.len());
        let poles = self.poles(&component, k, rules.min_population);
        let mut owner: Vec<Option<usize>> = vec![None; self.len()];
        let in_component: BTreeSet<usize> = component.iter().copied().collect();
        let whole = if k == 1 {
            format!(
                "the whole component of {} uncovered commune(s), {} inhabitants (one candidate: \
                 target {}, bounds {}-{})",
                component.len(),
                population,
                rules.target_population,
                rules.min_population,
                rules.max_population
            )
        } else {
            format!(
                "one of {k} candidates cut from a component of {} uncovered communes, {} \
                 inhabitants (target {}; communes above it count once)",
                component.len(),
                population,
                rules.target_population
            )
        };
        let mut cuts: Vec<Cut> = poles
            .iter()
            .enumerate()
            .map(|(c, &p)| {
                owner[p] = Some(c);
                let mut reasons = vec![format!("pole: {}", self.name(p)), whole.clone()];
                if self.population[p] > rules.max_population {
                    reasons.push(format!(
                        "the pole alone exceeds the maximum ({} > {}): a candidate by itself, \
                         too large for the bounds",
                        self.population[p], rules.max_population
                    ));
                }
                Cut {
                    pole: p,
                    units: vec![p],
                    population: self.population[p],
                    across_water: Vec::new(),
                    reasons,
                }
            })
            .collect();
        let mut frontier: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); cuts.len()];
        for (c, &p) in poles.iter().enumerate() {
            for &(v, km) in &self.neighbours[p] {
                *frontier[c].entry(v).or_default() += km;
            }
        }
        let mut active = vec![true; cuts.len()];
        loop {
            let next = (0..cuts.len())
                .filter(|&c| active[c])
                .min_by_key(|&c| (cuts[c].population, cuts[c].pole));
            let Some(c) = next else { break };
            let free: Vec<(usize, f64)> = frontier[c]
                .iter()
                .filter(|(v, _)| owner[**v].is_none())
                .map(|(&v, &km)| (v, km))
                .collect();
            if free.is_empty() {
                active[c] = false;
                cuts[c]
                    .reasons
                    .push("stopped growing: no free uncovered neighbour left".into());
                continue;
            }
            let fitting = free
                .iter()
                .filter(|(v, _)| cuts[c].population + self.population[*v] <= rules.max_population)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some(&(v, _)) = fitting else {
                active[c] = false;
                cuts[c].reasons.push(format!(
                    "stopped growing: any further neighbour would exceed the maximum of {}",
                    rules.max_population
                ));
                continue;
            };
            owner[v] = Some(c);
            cuts[c].units.push(v);
            cuts[c].population += self.population[v];
            for &(w, km) in &self.neighbours[v] {
                if owner[w].is_none() {
                    *frontier[c].entry(w).or_default() += km;
                }
            }
        }
        let left: Vec<bool> = (0..self.len())
            .map(|u| in_component.contains(&u) && owner[u].is_none())
            .collect();
        for rest in self.components(&left) {
            let people: u64 = rest.iter().map(|&u| self.population[u]).sum();
            let mut more = if people < rules.min_population {
                vec![self.enclosed(rest, people, rules)]
            } else {
                self.cut_component(rest, rules)
            };
            for cut in &mut more {
                cut.reasons.push(
                    "cut from communes left free when the neighbouring candidates reached the maximum"
                        .into(),
                );
            }
            cuts.extend(more);
        }
        cuts
    }

    /// The k poles of a component: every commune that alone reaches the minimum, best pole
    /// score first; then the next best scores, at least 3 adjacency steps from any pole when
    /// possible, then 2, then 1.
    fn poles(&self, component: &[usize], k: usize, min_population: u64) -> Vec<usize> {
        let order = self.pole_order(component);
        let mut poles: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&u| self.population[u] >= min_population)
            .take(k)
            .collect();
        for spacing in (1..=3).rev() {
            for &u in &order {
                if poles.len() == k {
                    return poles;
                }
                if !poles.contains(&u) && self.steps_from(&poles, u, spacing) >= spacing {
                    poles.push(u);
                }
            }
        }
        poles
    }

    /// Adjacency steps from the nearest of `sources` to `target`, searched up to `limit`.
    fn steps_from(&self, sources: &[usize], target: usize, limit: usize) -> usize {
        let mut depth: BTreeMap<usize, usize> = sources.iter().map(|&s| (s, 0)).collect();
        let mut queue: VecDeque<usize> = sources.iter().copied().collect();
        while let Some(u) = queue.pop_front() {
            let d = depth[&u];
            if u == target {
                return d;
            }
            if d + 1 >= limit {
                continue;
            }
            for &(v, _) in &self.neighbours[u] {
                depth.entry(v).or_insert_with(|| {
                    queue.push_back(v);
                    d + 1
                });
            }
        }
        limit
    }

    /// An island under the minimum joins the nearest candidate within reach, else stands alone.
    fn place_island(&self, island: Vec<usize>, cuts: &mut Vec<Cut>, rules: &ProposalRules) {
        let centroid = |u: usize| {
            let c = self
                .atlas
                .commune(self.commune[u])
                .geometry
                .as_ref()?
                .centroid()?;
            Some((c.x(), c.y()))
        };
        let population: u64 = island.iter().map(|&u| self.population[u]).sum();
        let mut nearest: Option<(f64, usize, usize, usize)> = None;
        for &a in &island {
            let Some(pa) = centroid(a) else { continue };
            for (k, cut) in cuts.iter().enumerate() {
                if cut.population + population > rules.max_population {
                    continue;
                }
                for &b in &cut.units {
                    let Some(pb) = centroid(b) else { continue };
                    let d = distance_km(pa, pb);
                    if nearest.is_none_or(|(best, ..)| d < best) {
                        nearest = Some((d, k, a, b));
                    }
                }
            }
        }
        match nearest {
            Some((d, k, a, b)) if d <= rules.island_reach_km => {
                let names: Vec<String> = island.iter().map(|&u| self.name(u)).collect();
                let cut = &mut cuts[k];
                cut.reasons.push(format!(
                    "joined across water by the island commune(s) {} ({population} inhabitants, \
                     under the minimum): {} is {d:.1} km from {}",
                    names.join(", "),
                    self.name(a),
                    self.name(b)
                ));
                cut.population += population;
                cut.units.extend(&island);
                cut.across_water.extend(&island);
            }
            _ => {
                let mut cut = self.enclosed(island, population, rules);
                cut.reasons.push(format!(
                    "an island: no candidate within {} km to join across water",
                    rules.island_reach_km
                ));
                cuts.push(cut);
            }
        }
    }
}

/// Merges candidates under the minimum into the smallest neighbouring candidate that stays
/// within the maximum, smallest first, until none can merge.
fn merge_small(units: &Units, cuts: &mut Vec<Cut>, rules: &ProposalRules) {
    loop {
        let mut owner = vec![usize::MAX; units.len()];
        for (k, cut) in cuts.iter().enumerate() {
            for &u in &cut.units {
                owner[u] = k;
            }
        }
        let mut small: Vec<usize> = (0..cuts.len())
            .filter(|&k| cuts[k].population < rules.min_population)
            .collect();
        small.sort_by_key(|&k| (cuts[k].population, cuts[k].pole));
        let merge = small.iter().find_map(|&k| {
            let neighbours: BTreeSet<usize> = cuts[k]
                .units
                .iter()
                .flat_map(|&u| units.neighbours[u].iter().map(|&(v, _)| owner[v]))
                .filter(|&o| o != k && o != usize::MAX)
                .collect();
            neighbours
                .into_iter()
                .filter(|&o| cuts[o].population + cuts[k].population <= rules.max_population)
                .min_by_key(|&o| (cuts[o].population, cuts[o].pole))
                .map(|o| (k, o))
        });
        let Some((from, into)) = merge else {
            for k in small {
                if cuts[k].units.iter().any(|&u| {
                    units.neighbours[u]
                        .iter()
                        .any(|&(v, _)| owner[v] != k && owner[v] != usize::MAX)
                }) {
                    cuts[k].reasons.push(format!(
                        "still below the minimum: no neighbouring candidate can take it without \
                         exceeding the maximum of {}",
                        rules.max_population
                    ));
                }
            }
            return;
        };
        let gone = cuts.remove(from);
        let into = if into > from { into - 1 } else { into };
        let target = &mut cuts[into];
        target.reasons.push(format!(
            "took in the candidate around {} ({} inhabitants, under the minimum of {})",
            units.name(gone.pole),
            gone.population,
            rules.min_population
        ));
        target.population += gone.population;
        target.units.extend(gone.units);
    }
}
