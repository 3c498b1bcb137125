//! Supply of professionals: count and density per 10 000 inhabitants by profession, compared
//! with the territory's départements, régions and France where the directory covers them.
//!
//! The rule: a finer directory (a user's RPPS extract, ARS Normandie 2021, Gironde RPPS 2017)
//! covering the whole territory for a profession gives the figure, with the INSEE BPE 2019
//! count beside it (`bpe`); where none does, the BPE is the figure. BPE professions also get
//! their 2019 -> 2021 trend where the BPE 2021 counts them.
//!
//! A partly covered commune counts its professionals times its covered share of area; where
//! its population is counted through its IRIS, the BPE counts of each IRIS times that IRIS'
//! covered share instead (`located`), both estimates.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnosis::indicator::{list_codes, Indicator};
use crate::engine::{Atlas, ComparisonArea, HealthAtlas};
use crate::model::{Directory, PracticeMode, Profession, TerritoryMember};

/// The supply of one profession in a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProfessionSupply {
    pub label_fr: &'static str,
    /// Practice sites counted (partly covered communes pro rata of area).
    pub count: f64,
    /// True when part of `count` comes from partly covered communes.
    pub estimated: bool,
    /// How the professionals of partly covered communes were counted.
    pub located: Located,
    /// Per 10 000 inhabitants (legal population counted for the territory).
    pub density_per_10k: Option<f64>,
    /// Count by mode of practice.
    pub by_mode: BTreeMap<PracticeMode, f64>,
    /// Modes the directory lists (e.g. only liberal): the count says nothing of the others.
    pub modes_covered: Vec<PracticeMode>,
    /// Id of the directory that answered.
    pub directory: String,
    pub source: String,
    pub vintage: String,
    /// What the source counts and leaves out (the BPE's liberal practice sites), if stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// Département(s), région(s) and France, each available only where the directory covers it.
    pub comparisons: Vec<AreaSupply>,
    /// The INSEE BPE figure, shown beside a finer directory's (absent when the BPE answered or
    /// does not list the profession).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bpe: Option<Indicator<BpeFigure>>,
    /// Change between the BPE 2019 and a later BPE (2021), for the professions both count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<Indicator<SupplyTrend>>,
}

/// The BPE count of a profession, beside a finer directory's.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BpeFigure {
    pub count: f64,
    pub estimated: bool,
    pub located: Located,
    pub density_per_10k: Option<f64>,
    pub source: String,
    pub vintage: String,
    pub caveat: Option<String>,
}

/// How a supply count treats the territory's partly covered communes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Located {
    /// Every commune is wholly inside: its count.
    Whole,
    /// A partly covered commune counts its count times its covered share of area (estimate).
    CommuneShare,
    /// Partly covered communes count each IRIS' BPE count times the IRIS' covered share of area
    /// (estimate).
    Iris,
    /// Some partly covered communes by IRIS, others by their covered share (estimate).
    Mixed,
}

/// A BPE count then and now, over the same territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SupplyTrend {
    /// Vintage of the reference BPE (`2019`) and its count.
    pub from: String,
    pub count_from: f64,
    /// Vintage of the later BPE (`2021`) and its count.
    pub to: String,
    pub count_to: f64,
    pub change: f64,
    /// Relative change, percent; `None` from a count of 0.
    pub change_pct: Option<f64>,
    pub estimated: bool,
    pub source: String,
}

/// One comparison area.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaSupply {
    /// `departement`, `region` or `france`.
    pub level: &'static str,
    pub code: Option<String>,
    pub name: String,
    #[serde(flatten)]
    pub density: Indicator<AreaDensity>,
}

/// Count and density of an area.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaDensity {
    pub count: u64,
    pub population: u64,
    pub density_per_10k: f64,
}

/// Supply of every profession for a territory's members; `population` is the territory's.
pub fn supply(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
    population: f64,
) -> BTreeMap<Profession, Indicator<ProfessionSupply>> {
    let places = comparison_areas(atlas, health, members);
    let tallies: Vec<Result<Tally, Vec<String>>> = (0..health.data().directories.len())
        .map(|d| tally(atlas, health, d, members))
        .collect();
    let mut trends: Vec<TrendCounts> = Vec::new();
    Profession::ALL
        .into_iter()
        .map(|p| {
            let mut supply = profession_supply(health, population, &places, &tallies, p);
            if let Some(s) = supply.value.as_mut() {
                s.trend = trend(atlas, health, members, &tallies, &mut trends, p);
            }
            (p, supply)
        })
        .collect()
}

/// A directory's counts for a territory: by profession, count by mode and whether part of it
/// comes from partly covered communes; and how those were counted.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<Profession, (BTreeMap<PracticeMode, f64>, bool)>,
    located: Option<Located>,
}

impl Tally {
    fn add(&mut self, p: Profession, mode: PracticeMode, count: f64, estimated: bool) {
        let (by_mode, e) = self.counts.entry(p).or_default();
        *by_mode.entry(mode).or_default() += count;
        *e |= estimated;
    }

    /// The count of a profession by mode, whether estimated, and how it was located.
    fn of(&self, p: Profession) -> (BTreeMap<PracticeMode, f64>, bool, Located) {
        let (by_mode, estimated) = self.counts.get(&p).cloned().unwrap_or_default();
        (by_mode, estimated, self.located.unwrap_or(Located::Whole))
    }
}

/// The counts of directory `d` over the members, read once for all professions; the members
/// it does not cover (`code (name)`) when there are any.
fn tally(
    atlas: &Atlas,
    health: &HealthAtlas,
    d: usize,
    members: &[TerritoryMember],
) -> Result<Tally, Vec<String>> {
    let coverage = &health.data().directories[d].coverage;
    let mut departements = ByDepartement::default();
    let mut covers = |m: &TerritoryMember| {
        let dep = atlas.commune(m.commune_index).departement.as_str();
        departements.get(dep, |d| coverage.covers_departement(d)) || coverage.lists_commune(&m.code)
    };
    let missing: Vec<String> = members
        .iter()
        .filter(|m| {
            // Only the BPE locates its rows by IRIS: a directory by commune cannot count an IRIS.
            (m.iris && health.bpe_directory() != Some(d)) || !covers(m)
        })
        .map(|m| format!("{} ({})", m.code, m.name))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut tally = Tally::default();
    let (mut by_iris, mut by_share) = (false, false);
    for m in members {
        if m.iris {
            for (p, count) in health.iris_member_counts(atlas, m).unwrap_or_default() {
                tally.add(
                    p,
                    PracticeMode::Liberal,
                    count * m.coverage,
                    m.coverage < 1.0,
                );
            }
            by_iris = true;
            continue;
        }
        let iris_counts = (health.bpe_directory() == Some(d))
            .then(|| health.member_iris_counts(m))
            .flatten();
        if let Some(counts) = iris_counts {
            by_iris = true;
            for (p, count) in counts {
                tally.add(p, PracticeMode::Liberal, count, true);
            }
            continue;
        }
        by_share |= m.coverage < 1.0;
        for (p, mode, count) in health.member_counts(d, m) {
            tally.add(p, mode, f64::from(count) * m.coverage, m.estimated);
        }
    }
    tally.located = Some(match (by_iris, by_share) {
        (false, false) => Located::Whole,
        (false, true) => Located::CommuneShare,
        (true, false) => Located::Iris,
        (true, true) => Located::Mixed,
    });
    Ok(tally)
}

/// An area the territory is compared with: the area, its level, name and legal population.
struct Place {
    area: ComparisonArea,
    level: &'static str,
    name: String,
    population: f64,
}

/// Whether each département is covered, found once per département (a territory's members
/// share few; a source lists up to a hundred).
#[derive(Default)]
struct ByDepartement<'a> {
    seen: Vec<(&'a str, bool)>,
}

impl<'a> ByDepartement<'a> {
    fn get(&mut self, departement: &'a str, covered: impl FnOnce(&str) -> bool) -> bool {
        if let Some(&(_, c)) = self.seen.iter().find(|(d, _)| *d == departement) {
            return c;
        }
        let c = covered(departement);
        self.seen.push((departement, c));
        c
    }
}

/// The territory's départements, then its régions, then France: the areas it is compared with.
fn comparison_areas(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Vec<Place> {
    let mut departements: Vec<&str> = Vec::new();
    let mut regions: Vec<&str> = Vec::new();
    for m in members {
        let c = atlas.commune(m.commune_index);
        if !departements.contains(&c.departement.as_str()) {
            departements.push(&c.departement);
        }
        if !regions.contains(&c.region.as_str()) {
            regions.push(&c.region);
        }
    }
    let mut places = Vec::with_capacity(departements.len() + regions.len() + 1);
    let mut place = |area: ComparisonArea, level, name: Option<String>| {
        let population = area_population(atlas, health, &area);
        places.push(Place {
            area,
            level,
            name: name.unwrap_or_default(),
            population,
        })
    };
    for code in departements {
        let name = atlas.departement(code).map(|x| x.name.clone());
        place(
            ComparisonArea::Departement(code.to_string()),
            "departement",
            name,
        );
    }
    for code in regions {
        let name = atlas.region(code).map(|x| x.name.clone());
        place(ComparisonArea::Region(code.to_string()), "region", name);
    }
    place(ComparisonArea::France, "france", Some("France".into()));
    places
}

fn profession_supply(
    health: &HealthAtlas,
    population: f64,
    places: &[Place],
    tallies: &[Result<Tally, Vec<String>>],
    profession: Profession,
) -> Indicator<ProfessionSupply> {
    let directories = &health.data().directories;
    let listing: Vec<usize> = (0..directories.len())
        .filter(|&d| directories[d].coverage.covers_profession(profession))
        .collect();
    let Some(&first) = listing.first() else {
        return Indicator::not_available(format!(
            "no loaded directory lists {} (load an RPPS extract that does)",
            profession.id()
        ));
    };
    let Some((d, tally)) = listing
        .iter()
        .find_map(|&d| Some((d, tallies[d].as_ref().ok()?)))
    else {
        let missing = tallies[first].as_ref().err().cloned().unwrap_or_default();
        return Indicator::not_available(format!(
            "outside coverage: {} ({}) does not cover {} commune(s) of the territory: {}",
            directories[first].id,
            coverage_text(&directories[first]),
            missing.len(),
            list_codes(&missing, 5)
        ));
    };
    let directory = &directories[d];
    let (by_mode, estimated, located) = tally.of(profession);
    let count = total(&by_mode);
    let bpe = health
        .bpe_directory()
        .filter(|&b| b != d && directories[b].coverage.covers_profession(profession))
        .map(|b| bpe_figure(&directories[b], &tallies[b], profession, population));
    let comparisons = places
        .iter()
        .map(|place| {
            let code = match &place.area {
                ComparisonArea::Departement(c) | ComparisonArea::Region(c) => Some(c.clone()),
                ComparisonArea::France => None,
            };
            let density = if health.covers_area(d, &place.area) {
                let count = health.area_total(d, &place.area, profession);
                let pop = place.population;
                Indicator::available(AreaDensity {
                    count,
                    population: pop.round() as u64,
                    density_per_10k: per_10k(count as f64, pop).unwrap_or(0.0),
                })
            } else {
                Indicator::not_available(format!(
                    "{} does not cover all of this comparison area ({})",
                    directory.id,
                    coverage_text(directory)
                ))
            };
            AreaSupply {
                level: place.level,
                code,
                name: place.name.clone(),
                density,
            }
        })
        .collect();
    Indicator::available(ProfessionSupply {
        label_fr: profession.label_fr(),
        count,
        estimated,
        located,
        density_per_10k: per_10k(count, population),
        by_mode,
        modes_covered: directory.coverage.modes.clone(),
        directory: directory.id.clone(),
        source: directory.source.clone(),
        vintage: directory.vintage.clone(),
        caveat: directory.caveat.clone(),
        comparisons,
        bpe,
        // Filled in by `supply`, which reads the trend tables once for every profession.
        trend: None,
    })
}

/// Legal population of an area; France is France proper (métropole and DROM, without the
/// collectivités d'outre-mer no directory covers).
fn area_population(atlas: &Atlas, health: &HealthAtlas, place: &ComparisonArea) -> f64 {
    match place {
        ComparisonArea::France => health.france_population(),
        _ => atlas.area_total(place).population as f64,
    }
}

/// The BPE directory's figure for a profession, from its tally.
fn bpe_figure(
    bpe: &Directory,
    tally: &Result<Tally, Vec<String>>,
    profession: Profession,
    population: f64,
) -> Indicator<BpeFigure> {
    match tally {
        Ok(tally) => {
            let (by_mode, estimated, located) = tally.of(profession);
            let count = total(&by_mode);
            Indicator::available(BpeFigure {
                count,
                estimated,
                located,
                density_per_10k: per_10k(count, population),
                source: bpe.source.clone(),
                vintage: bpe.vintage.clone(),
                caveat: bpe.caveat.clone(),
            })
        }
        Err(missing) => Indicator::not_available(format!(
            "outside coverage: {} does not cover {} commune(s) of the territory: {}",
            bpe.id,
            missing.len(),
            list_codes(missing, 5)
        )),
    }
}

/// The reference BPE's and a later BPE table's counts over a territory, by profession, both by
/// commune share; or why the two cannot be compared there.
struct TrendCounts {
    table: usize,
    counts: Result<BTreeMap<Profession, (f64, f64)>, String>,
}

/// The BPE count of a profession in the first later BPE table that counts it, against the
/// reference BPE's; `None` when no later table counts the profession. `cache` keeps each
/// table's counts for the territory, read once for all professions.
fn trend(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
    tallies: &[Result<Tally, Vec<String>>],
    cache: &mut Vec<TrendCounts>,
    profession: Profession,
) -> Option<Indicator<SupplyTrend>> {
    let b = health.bpe_directory()?;
    let data = health.data();
    let table = health.trend_table(profession)?;
    let later = &data.equipment[table];
    if tallies[b].is_err() {
        return Some(Indicator::not_available(format!(
            "outside coverage: {} does not cover the whole territory",
            data.directories[b].id
        )));
    }
    let at = match cache.iter().position(|c| c.table == table) {
        Some(at) => at,
        None => {
            cache.push(TrendCounts {
                table,
                counts: trend_counts(atlas, health, members, b, table),
            });
            cache.len() - 1
        }
    };
    let (count_from, count_to) = match &cache[at].counts {
        Ok(counts) => counts.get(&profession).copied().unwrap_or((0.0, 0.0)),
        Err(reason) => return Some(Indicator::not_available(reason.clone())),
    };
    let change = count_to - count_from;
    Some(Indicator::available(SupplyTrend {
        from: data.directories[b].vintage.clone(),
        count_from,
        to: later.vintage.clone(),
        count_to,
        change,
        change_pct: (count_from > 0.0).then(|| change / count_from * 100.0),
        estimated: members.iter().any(|m| m.estimated),
        source: later.source.clone(),
    }))
}

/// The counts of every profession of trend table `table` over the members, in the reference
/// BPE (directory `b`) and in that table, each member's times its covered share; or why they
/// cannot be compared (arrondissements, members outside the table's départements).
fn trend_counts(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
    b: usize,
    table: usize,
) -> Result<BTreeMap<Profession, (f64, f64)>, String> {
    let later = &health.data().equipment[table];
    let arrondissements: Vec<String> = members
        .iter()
        .filter(|m| m.arrondissement)
        .map(|m| format!("{} ({})", m.code, m.name))
        .collect();
    if !arrondissements.is_empty() {
        return Err(format!(
            "{} counts Paris, Lyon and Marseille as whole communes, not by arrondissement: {}",
            later.id,
            list_codes(&arrondissements, 5)
        ));
    }
    let mut covered = ByDepartement::default();
    let outside: Vec<String> = members
        .iter()
        .filter(|m| {
            let dep = atlas.commune(m.commune_index).departement.as_str();
            !covered.get(dep, |d| later.departements.iter().any(|x| x == d))
        })
        .map(|m| format!("{} ({})", m.code, m.name))
        .collect();
    if !outside.is_empty() {
        return Err(format!(
            "outside coverage: {} does not cover {}",
            later.id,
            list_codes(&outside, 5)
        ));
    }
    // The later table is filed by commune: both ends are counted by commune share (not by
    // IRIS) so that the change compares like with like. Members are added in order, each
    // member's count of a profession once (as one sum per profession would).
    let mut counts: BTreeMap<Profession, (f64, f64)> = health
        .trend_professions(table)
        .iter()
        .map(|&p| (p, (0.0, 0.0)))
        .collect();
    let mut filed: BTreeMap<Profession, (u32, u32)> = BTreeMap::new();
    for m in members {
        filed.clear();
        for (p, _, n) in health.member_counts(b, m) {
            if counts.contains_key(&p) {
                filed.entry(p).or_default().0 += n;
            }
        }
        for (p, n) in health.member_trend_counts(table, m) {
            filed.entry(p).or_default().1 += n;
        }
        for (p, &(from, to)) in &filed {
            if let Some(c) = counts.get_mut(p) {
                c.0 += f64::from(from) * m.coverage;
                c.1 += f64::from(to) * m.coverage;
            }
        }
    }
    Ok(counts)
}

/// Sum of counts by mode; 0 (not -0, the empty sum of floats) without any.
fn total(by_mode: &BTreeMap<PracticeMode, f64>) -> f64 {
    by_mode.values().sum::<f64>() + 0.0
}

/// Count per 10 000 inhabitants; `None` for an empty population.
pub(crate) fn per_10k(count: f64, population: f64) -> Option<f64> {
    (population > 0.0).then(|| count / population * 10_000.0)
}

fn coverage_text(d: &Directory) -> String {
    let mut text = format!("départements {}", d.coverage.departements.join(", "));
    if !d.coverage.communes.is_empty() {
        text.push_str(&format!(
            " and {} border communes",
            d.coverage.communes.len()
        ));
    }
    text
}
