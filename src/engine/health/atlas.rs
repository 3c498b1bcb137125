//! `HealthAtlas`: the health sources indexed on the geography, built once at load and shared.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::engine::health::care_places::CarePlaceIndex;
use crate::engine::health::commune_statistics::StatisticsIndex;
use crate::engine::health::e2sfca::{commune_access, e2sfca, supply_ratio, E2sfcaParams};
use crate::engine::health::establishments::EstablishmentIndex;
use crate::engine::territory::area_totals::ComparisonArea;
use crate::engine::territory::centroids::CommuneCentroids;
use crate::engine::{Atlas, CommuneRef};
use crate::model::{
    AgeCounts, AplValue, CarePlace, CommuneStatistics, Directory, EquipmentTable,
    EstablishmentList, HealthData, PracticeMode, Profession, TerritoryMember,
};

/// One directory's counts indexed by commune code and totalled by area.
struct DirectoryIndex {
    by_code: HashMap<String, Vec<(Profession, PracticeMode, u32)>>,
    /// By area, then by profession (looked up without building a key per query).
    totals: HashMap<ComparisonArea, HashMap<Profession, u64>>,
    /// The comparison areas its wholly covered départements cover entirely.
    covered: CoveredAreas,
}

/// The areas a directory covers entirely, worked out once from its départements (a query
/// compares every département of France otherwise).
struct CoveredAreas {
    departements: Vec<String>,
    regions: Vec<String>,
    france: bool,
}

impl CoveredAreas {
    fn new(
        departements: &[String],
        region_departements: &HashMap<String, Vec<String>>,
        france_departements: &[String],
    ) -> Self {
        let mut sorted = departements.to_vec();
        sorted.sort_unstable();
        let has = |d: &String| sorted.binary_search(d).is_ok();
        let mut regions: Vec<String> = region_departements
            .iter()
            .filter(|(_, ds)| ds.iter().all(has))
            .map(|(r, _)| r.clone())
            .collect();
        regions.sort_unstable();
        let france = france_departements.iter().all(has);
        Self {
            departements: sorted,
            regions,
            france,
        }
    }

    fn covers(&self, place: &ComparisonArea) -> bool {
        match place {
            ComparisonArea::Departement(d) => self.departements.binary_search(d).is_ok(),
            ComparisonArea::Region(r) => self.regions.binary_search(r).is_ok(),
            ComparisonArea::France => self.france,
        }
    }
}

/// Health data indexed on an [`Atlas`]: counts by commune and area totals,
/// centroids, located establishments and the computed (E2SFCA) accessibility to GPs.
pub struct HealthAtlas {
    data: HealthData,
    directories: Vec<DirectoryIndex>,
    centroids: CommuneCentroids,
    establishments: Option<EstablishmentIndex>,
    /// BPE care places of the newest equipment table holding every care-place type, and that
    /// table's position in `data.equipment`.
    care_places: Option<(CarePlaceIndex, usize)>,
    arrondissements_of: HashMap<String, Vec<String>>,
    params: E2sfcaParams,
    /// Per directory, GP supply by commune index (None when it lists no GP).
    gp_supply: Vec<Option<Vec<f64>>>,
    /// Per directory, GP accessibility, computed on first use.
    computed: Vec<ComputedAccess>,
    /// Per age source, the totals of each département it covers wholly.
    departement_ages: Vec<HashMap<String, AgeCounts>>,
    /// Census ages, population change and fragility, with their area totals.
    statistics: Option<StatisticsIndex>,
    /// Index in `data.directories` of the directory made from the first BPE table.
    bpe_directory: Option<usize>,
    /// That table's profession counts by IRIS code (rows of communes divided into IRIS).
    bpe_by_iris: HashMap<String, Vec<(Profession, u32)>>,
    /// Later BPE tables (trends), counts by commune code and profession.
    trends: Vec<TrendIndex>,
    /// Départements of France proper (métropole and DROM, not the collectivités d'outre-mer).
    france_departements: Vec<String>,
    /// Their legal population.
    france_population: f64,
}

/// A later BPE table's profession counts indexed by commune code.
/// The professionals' indexes: the BPE's professionals by IRIS, the directory made from the
/// BPE, the later BPE tables' counts, every directory (the BPE's last) by code with its
/// comparison totals, and the GPs' supply by commune of those covering GPs.
struct ProfessionIndexes {
    bpe_by_iris: HashMap<String, Vec<(Profession, u32)>>,
    /// Not yet in `data.directories`: it goes last there.
    bpe_directory: Option<Directory>,
    trends: Vec<TrendIndex>,
    directories: Vec<DirectoryIndex>,
    gp_supply: Vec<Option<Vec<f64>>>,
}

fn index_professions(
    atlas: &Atlas,
    data: &HealthData,
    france_departements: &[String],
) -> ProfessionIndexes {
    let mut bpe_by_iris: HashMap<String, Vec<(Profession, u32)>> = HashMap::new();
    for r in data.equipment.first().map_or(&[][..], |t| &t.rows) {
        if let (Some(iris), Some(p)) = (&r.iris, Profession::from_bpe_type(&r.typequ)) {
            bpe_by_iris
                .entry(iris.clone())
                .or_default()
                .push((p, r.count));
        }
    }
    let bpe_directory = data
        .equipment
        .first()
        .map(EquipmentTable::professions_directory);
    let listed: Vec<&Directory> = data.directories.iter().chain(&bpe_directory).collect();
    let trends = (1..data.equipment.len())
        .map(|table| {
            let mut by_code: HashMap<String, Vec<(Profession, u32)>> = HashMap::new();
            for r in &data.equipment[table].rows {
                if let Some(p) = Profession::from_bpe_type(&r.typequ) {
                    by_code
                        .entry(r.commune.clone())
                        .or_default()
                        .push((p, r.count));
                }
            }
            let mut professions: Vec<Profession> =
                by_code.values().flatten().map(|&(p, _)| p).collect();
            professions.sort_unstable();
            professions.dedup();
            TrendIndex {
                table,
                professions,
                by_code,
            }
        })
        .collect();
    let departement_of = |code: &str| -> Option<&str> {
        match atlas.find(code)? {
            CommuneRef::Commune(i) => Some(atlas.commune(i).departement.as_str()),
            CommuneRef::Arrondissement(a) => match atlas.find(&atlas.arrondissement(a).commune)? {
                CommuneRef::Commune(i) => Some(atlas.commune(i).departement.as_str()),
                CommuneRef::Arrondissement(_) => None,
            },
        }
    };
    let region_of: HashMap<&str, &str> = atlas
        .geography()
        .departements
        .iter()
        .map(|d| (d.code.as_str(), d.region.as_str()))
        .collect();
    let mut region_departements: HashMap<String, Vec<String>> = HashMap::new();
    for d in &atlas.geography().departements {
        region_departements
            .entry(d.region.clone())
            .or_default()
            .push(d.code.clone());
    }
    let directories = listed
        .iter()
        .map(|d| {
            let mut by_code: HashMap<String, Vec<_>> = HashMap::new();
            // Summed by département first, then carried to régions and France.
            let mut by_departement: HashMap<(&str, Profession), u64> = HashMap::new();
            for c in &d.counts {
                by_code
                    .entry(c.commune.clone())
                    .or_default()
                    .push((c.profession, c.mode, c.count));
                if let Some(dep) = departement_of(&c.commune) {
                    *by_departement.entry((dep, c.profession)).or_default() += u64::from(c.count);
                }
            }
            let mut totals: HashMap<ComparisonArea, HashMap<Profession, u64>> = HashMap::new();
            for ((dep, profession), n) in by_departement {
                let mut places = vec![
                    ComparisonArea::France,
                    ComparisonArea::Departement(dep.to_string()),
                ];
                if let Some(r) = region_of.get(dep) {
                    places.push(ComparisonArea::Region(r.to_string()));
                }
                for place in places {
                    *totals
                        .entry(place)
                        .or_default()
                        .entry(profession)
                        .or_default() += n;
                }
            }
            let covered = CoveredAreas::new(
                &d.coverage.departements,
                &region_departements,
                france_departements,
            );
            DirectoryIndex {
                by_code,
                totals,
                covered,
            }
        })
        .collect();
    let gp_supply: Vec<Option<Vec<f64>>> = listed
        .iter()
        .map(|d| {
            if !d
                .coverage
                .covers_profession(Profession::GeneralPractitioner)
            {
                return None;
            }
            let mut supply = vec![0.0; atlas.communes().len()];
            for c in d
                .counts
                .iter()
                .filter(|c| c.profession == Profession::GeneralPractitioner)
            {
                let index = match atlas.find(&c.commune) {
                    Some(CommuneRef::Commune(i)) => Some(i),
                    Some(CommuneRef::Arrondissement(a)) => {
                        match atlas.find(&atlas.arrondissement(a).commune) {
                            Some(CommuneRef::Commune(i)) => Some(i),
                            _ => None,
                        }
                    }
                    None => None,
                };
                if let Some(i) = index {
                    supply[i] += f64::from(c.count);
                }
            }
            Some(supply)
        })
        .collect();
    ProfessionIndexes {
        bpe_by_iris,
        bpe_directory,
        trends,
        directories,
        gp_supply,
    }
}

/// The places' indexes: commune centroids, care places, establishments, statistics and the
/// age counts by département.
struct PlaceIndexes {
    centroids: CommuneCentroids,
    care_places: Option<(CarePlaceIndex, usize)>,
    establishments: Option<EstablishmentIndex>,
    statistics: Option<StatisticsIndex>,
    departement_ages: Vec<HashMap<String, AgeCounts>>,
}

fn index_places(
    atlas: &Atlas,
    data: &HealthData,
    establishments: Option<EstablishmentList>,
    statistics: Option<CommuneStatistics>,
) -> PlaceIndexes {
    let centroids = CommuneCentroids::new(atlas);
    let establishments = establishments.map(|list| EstablishmentIndex::new(atlas, list));
    let statistics = statistics.map(|s| StatisticsIndex::new(atlas, s));
    let departement_ages = data
        .ages
        .iter()
        .map(|source| {
            let mut totals: HashMap<String, AgeCounts> = source
                .departements
                .iter()
                .map(|d| {
                    let zero = AgeCounts {
                        population: 0.0,
                        groups: vec![0.0; source.groups.len()],
                    };
                    (d.clone(), zero)
                })
                .collect();
            for (code, a) in &source.communes {
                let Some(CommuneRef::Commune(i)) = atlas.find(code) else {
                    continue;
                };
                if let Some(t) = totals.get_mut(&atlas.commune(i).departement) {
                    t.population += a.population;
                    t.groups
                        .iter_mut()
                        .zip(&a.groups)
                        .for_each(|(g, v)| *g += v);
                }
            }
            totals
        })
        .collect();
    let care_places = data
        .equipment
        .iter()
        .rposition(holds_every_care_place)
        .map(|t| {
            let rows = data.equipment[t].rows.iter().map(|r| {
                (
                    r.commune.as_str(),
                    r.iris.as_deref(),
                    r.typequ.as_str(),
                    r.count,
                )
            });
            (CarePlaceIndex::new(atlas, &centroids, rows), t)
        });
    PlaceIndexes {
        centroids,
        care_places,
        establishments,
        statistics,
        departement_ages,
    }
}

struct TrendIndex {
    table: usize,
    professions: Vec<Profession>,
    by_code: HashMap<String, Vec<(Profession, u32)>>,
}

impl HealthAtlas {
    /// Indexes `data` on `atlas` with the default E2SFCA parameters.
    pub fn new(atlas: &Atlas, data: HealthData) -> Self {
        Self::with_params(atlas, data, E2sfcaParams::default())
    }

    /// Indexes `data` on `atlas`, computing accessibility with `params`.
    ///
    /// The first BPE table (`data.equipment[0]`) becomes the last directory (the one answering
    /// where no finer directory covers); later BPE tables are indexed for trends.
    pub fn with_params(atlas: &Atlas, mut data: HealthData, params: E2sfcaParams) -> Self {
        let france_departements: Vec<String> = atlas
            .geography()
            .departements
            .iter()
            .filter(|d| d.region != d.code)
            .map(|d| d.code.clone())
            .collect();
        let france_population = france_departements
            .iter()
            .map(|d| {
                atlas
                    .area_total(&ComparisonArea::Departement(d.clone()))
                    .population as f64
            })
            .sum();
        let (establishments, statistics) = (data.establishments.take(), data.statistics.take());
        // The professionals' indexes and the places' are independent: built side by side.
        let (professions, places) = rayon::join(
            || index_professions(atlas, &data, &france_departements),
            || index_places(atlas, &data, establishments, statistics),
        );
        let ProfessionIndexes {
            bpe_by_iris,
            bpe_directory,
            trends,
            directories,
            gp_supply,
        } = professions;
        let bpe_directory = bpe_directory.map(|d| {
            data.directories.push(d);
            data.directories.len() - 1
        });
        let mut arrondissements_of: HashMap<String, Vec<String>> = HashMap::new();
        for a in &atlas.geography().arrondissements {
            arrondissements_of
                .entry(a.commune.clone())
                .or_default()
                .push(a.code.clone());
        }
        let computed = gp_supply
            .iter()
            .map(|s| ComputedAccess::new(s.as_ref().map_or(0, Vec::len)))
            .collect();
        Self {
            data,
            directories,
            centroids: places.centroids,
            establishments: places.establishments,
            care_places: places.care_places,
            arrondissements_of,
            params,
            gp_supply,
            computed,
            departement_ages: places.departement_ages,
            statistics: places.statistics,
            bpe_directory,
            bpe_by_iris,
            trends,
            france_departements,
            france_population,
        }
    }

    /// Index of the directory made from the BPE (in `data().directories`), if one is loaded.
    pub fn bpe_directory(&self) -> Option<usize> {
        self.bpe_directory
    }

    /// Départements of France proper: métropole and DROM, without the collectivités
    /// d'outre-mer (whose région code is their own), which the BPE does not cover.
    pub fn france_departements(&self) -> &[String] {
        &self.france_departements
    }

    /// Legal population of [`Self::france_departements`].
    pub fn france_population(&self) -> f64 {
        self.france_population
    }

    /// The first later BPE table (index in `data().equipment`) counting a profession.
    pub fn trend_table(&self, profession: Profession) -> Option<usize> {
        self.trends
            .iter()
            .find(|t| t.professions.contains(&profession))
            .map(|t| t.table)
    }

    /// The professions trend table `table` counts (none for a table that is not one).
    pub fn trend_professions(&self, table: usize) -> &[Profession] {
        self.trends
            .iter()
            .find(|t| t.table == table)
            .map_or(&[], |t| t.professions.as_slice())
    }

    /// Counts in trend table `table` filed under a member (all its place codes), by profession.
    pub fn member_trend_counts<'a>(
        &'a self,
        table: usize,
        member: &'a TerritoryMember,
    ) -> impl Iterator<Item = (Profession, u32)> + 'a {
        let index = self.trends.iter().find(|t| t.table == table);
        self.place_codes(member)
            .filter_map(move |code| index?.by_code.get(code))
            .flatten()
            .copied()
    }

    /// The census ages, population change and fragility figures, when loaded.
    pub fn statistics(&self) -> Option<&StatisticsIndex> {
        self.statistics.as_ref()
    }

    /// The health data as loaded (establishments are in [`Self::establishments`], statistics in
    /// [`Self::statistics`]).
    pub fn data(&self) -> &HealthData {
        &self.data
    }

    /// Commune centroids.
    pub fn centroids(&self) -> &CommuneCentroids {
        &self.centroids
    }

    /// The located establishments, if a list was loaded.
    pub fn establishments(&self) -> Option<&EstablishmentIndex> {
        self.establishments.as_ref()
    }

    /// The care places indexed, with the BPE table they come from, when one is loaded.
    pub fn care_places(&self) -> Option<(&CarePlaceIndex, &EquipmentTable)> {
        self.care_places
            .as_ref()
            .map(|(index, t)| (index, &self.data.equipment[*t]))
    }

    /// Codes under which a member's figures are filed: its own code, plus the arrondissements
    /// of a whole commune divided into arrondissements (Paris, Lyon, Marseille).
    pub fn place_codes<'a>(
        &'a self,
        member: &'a TerritoryMember,
    ) -> impl Iterator<Item = &'a str> + 'a {
        let arrondissements = (!member.arrondissement)
            .then(|| self.arrondissements_of.get(&member.code))
            .flatten();
        std::iter::once(member.code.as_str())
            .chain(arrondissements.into_iter().flatten().map(String::as_str))
    }

    /// Counts of directory `directory` filed under a member (all its place codes).
    pub fn member_counts<'a>(
        &'a self,
        directory: usize,
        member: &'a TerritoryMember,
    ) -> impl Iterator<Item = (Profession, PracticeMode, u32)> + 'a {
        let index = &self.directories[directory];
        self.place_codes(member)
            .filter_map(move |code| index.by_code.get(code))
            .flatten()
            .copied()
    }

    /// BPE counts of a member given as an IRIS: the rows the BPE files under its code (it
    /// locates equipment by IRIS in the communes split into IRIS); for a commune's only IRIS
    /// (`…0000`), the commune's rows. `None` without a BPE table.
    pub fn iris_member_counts(
        &self,
        atlas: &Atlas,
        member: &TerritoryMember,
    ) -> Option<Vec<(Profession, f64)>> {
        let b = self.bpe_directory?;
        let counts = if member.code.ends_with("0000") {
            let commune = atlas.commune(member.commune_index).code.as_str();
            self.directories[b]
                .by_code
                .get(commune)
                .into_iter()
                .flatten()
                .map(|&(p, _, n)| (p, f64::from(n)))
                .collect()
        } else {
            self.bpe_by_iris
                .get(&member.code)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&(p, n)| (p, f64::from(n)))
                .collect()
        };
        Some(counts)
    }

    /// BPE counts of a partly covered member counted through its IRIS: each IRIS' counts times
    /// the share of its area inside the territory; the member's counts filed under none of its
    /// IRIS (BPE `…0000` rows, equipment not located in an IRIS) times the member's covered
    /// share. `None` when the member has no IRIS coverage.
    pub fn member_iris_counts(&self, member: &TerritoryMember) -> Option<Vec<(Profession, f64)>> {
        let b = self.bpe_directory?;
        if member.iris_coverage.is_empty() {
            return None;
        }
        let mut unlocated: HashMap<Profession, f64> = HashMap::new();
        for (p, _, n) in self.member_counts(b, member) {
            *unlocated.entry(p).or_default() += f64::from(n);
        }
        let mut counts = Vec::new();
        for (code, share) in &member.iris_coverage {
            for &(p, n) in self.bpe_by_iris.get(code).map_or(&[][..], Vec::as_slice) {
                *unlocated.entry(p).or_default() -= f64::from(n);
                counts.push((p, f64::from(n) * share));
            }
        }
        let mut rest: Vec<(Profession, f64)> = unlocated.into_iter().collect();
        rest.sort_by_key(|(p, _)| *p);
        counts.extend(rest.into_iter().map(|(p, n)| (p, n * member.coverage)));
        Some(counts)
    }

    /// Total count of a profession in an area according to a directory.
    pub fn area_total(
        &self,
        directory: usize,
        place: &ComparisonArea,
        profession: Profession,
    ) -> u64 {
        self.directories[directory]
            .totals
            .get(place)
            .and_then(|t| t.get(&profession))
            .copied()
            .unwrap_or(0)
    }

    /// Whether directory `directory`'s wholly covered départements cover an area entirely.
    pub fn covers_area(&self, directory: usize, place: &ComparisonArea) -> bool {
        self.directories[directory].covered.covers(place)
    }

    /// The values filed under a member's place codes.
    fn member_parts<'a, T>(
        &'a self,
        values: &'a std::collections::BTreeMap<String, T>,
        member: &'a TerritoryMember,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.place_codes(member).filter_map(|c| values.get(c))
    }

    /// The APL of a member in edition table `table` (arrondissements of a whole commune
    /// combined by the DREES rule); `None` when DREES publishes no value for it.
    pub fn member_apl(&self, table: usize, member: &TerritoryMember) -> Option<AplValue> {
        let mut parts = self.member_parts(&self.data.apl[table].values, member);
        let first = *parts.next()?;
        match parts.next() {
            // One value (no arrondissements): itself, as `combine` gives it, without a list.
            None => Some(first),
            Some(&second) => {
                let parts: Vec<AplValue> =
                    [first, second].into_iter().chain(parts.copied()).collect();
                AplValue::combine(&parts)
            }
        }
    }

    /// A member's age counts in age source `source` (arrondissements of a whole commune summed).
    pub fn member_ages(&self, source: usize, member: &TerritoryMember) -> Option<AgeCounts> {
        let parts: Vec<&AgeCounts> = self
            .member_parts(&self.data.ages[source].communes, member)
            .collect();
        let first = parts.first()?;
        Some(AgeCounts {
            population: parts.iter().map(|p| p.population).sum(),
            groups: (0..first.groups.len())
                .map(|g| parts.iter().map(|p| p.groups[g]).sum())
                .collect(),
        })
    }

    /// Totals of a département in age source `source`, when the source covers it wholly (the
    /// communes filed under their own code; arrondissements are not summed twice).
    pub fn departement_ages(&self, source: usize, departement: &str) -> Option<&AgeCounts> {
        self.departement_ages[source].get(departement)
    }

    /// E2SFCA parameters used for the computed accessibility.
    pub fn e2sfca_params(&self) -> &E2sfcaParams {
        &self.params
    }

    /// Computed GP accessibility (per 10 000 inhabitants) by commune index, for a directory
    /// listing general practitioners: the E2SFCA of all France, computed on first use (`atlas`
    /// is the one this health atlas was built on).
    pub fn computed_access(&self, atlas: &Atlas, directory: usize) -> Option<&[Option<f64>]> {
        let supply = self.gp_supply[directory].as_ref()?;
        let access = self.computed[directory]
            .all
            .get_or_init(|| e2sfca(atlas, &self.centroids, supply, &self.params));
        Some(access)
    }

    /// Computes the accessibility of all France for every directory listing GPs (for many
    /// territories: cheaper than commune by commune once most of France is met).
    pub fn compute_all_access(&self, atlas: &Atlas) {
        for directory in 0..self.gp_supply.len() {
            self.computed_access(atlas, directory);
        }
    }

    /// Whether a directory lists general practitioners (its accessibility can be computed).
    pub fn lists_gps(&self, directory: usize) -> bool {
        self.gp_supply[directory].is_some()
    }

    /// One commune's computed GP accessibility, as [`Self::computed_access`] gives it, from the
    /// communes around it alone (kept for the next call); `None` for a directory listing no GP,
    /// `Some(None)` for a commune without centroid.
    pub fn computed_access_of(
        &self,
        atlas: &Atlas,
        directory: usize,
        commune: usize,
    ) -> Option<Option<f64>> {
        let supply = self.gp_supply[directory].as_ref()?;
        let computed = &self.computed[directory];
        if let Some(all) = computed.all.get() {
            return Some(all[commune]);
        }
        Some(*computed.communes[commune].get_or_init(|| {
            commune_access(&self.centroids, &self.params, commune, |j| {
                *computed.ratios[j].get_or_init(|| {
                    supply_ratio(atlas, &self.centroids, &self.params, j, supply[j])
                })
            })
        }))
    }
}

/// A directory's computed GP accessibility: all France when a caller needs it whole, else
/// commune by commune with the step-1 ratios they share.
struct ComputedAccess {
    all: OnceLock<Vec<Option<f64>>>,
    /// Step 1 by commune index (`None`: no practitioner, centroid or demand).
    ratios: Vec<OnceLock<Option<f64>>>,
    /// Step 2 by commune index.
    communes: Vec<OnceLock<Option<f64>>>,
}

impl ComputedAccess {
    fn new(communes: usize) -> Self {
        Self {
            all: OnceLock::new(),
            ratios: (0..communes).map(|_| OnceLock::new()).collect(),
            communes: (0..communes).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Whether an equipment table has rows of every care-place type (BPE 2021's few columns do
/// not: they carry only urgences and pharmacies among them).
fn holds_every_care_place(table: &EquipmentTable) -> bool {
    let present: std::collections::HashSet<&str> =
        table.rows.iter().map(|r| r.typequ.as_str()).collect();
    CarePlace::ALL
        .iter()
        .all(|p| p.typequ().iter().any(|t| present.contains(t)))
}
