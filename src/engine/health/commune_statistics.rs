//! Commune statistics indexed on the geography: each place's weighted figures, and the totals of
//! every département, région and France, summed once at load.
//!
//! A figure is carried as a weight and weighted sums, so that a territory, a département or
//! France adds its places up the same way: the RP 2020 ages as (population 2020, counts of each
//! band = share x population); the change 2014-2020 as (population 2020, rate x population); the
//! RP 2022 share of 75+, F-EDI and the poverty rate as (legal population, value x legal
//! population). A commune filed only by arrondissement (F-EDI of Paris, Lyon, Marseille)
//! combines its arrondissements by their legal population.

use std::collections::HashMap;

use crate::engine::territory::area_totals::ComparisonArea;
use crate::engine::{Atlas, CommuneRef};
use crate::model::{CommuneStatistics, StatisticNote, StatisticSource, TerritoryMember};

/// A weight and the weighted sums of a figure over some places, with the places left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeightedSum {
    /// Population the figure is weighted by (RP 2020 or legal population).
    pub weight: f64,
    /// Weighted sums (one per age band for the ages, else one).
    pub sums: Vec<f64>,
    /// Places without a value, left out.
    pub places_without_value: usize,
    /// Their legal population (pro rata for partly counted members).
    pub population_without_value: f64,
}

impl WeightedSum {
    /// Adds `other` scaled by `factor`.
    pub fn add(&mut self, other: &WeightedSum, factor: f64) {
        self.weight += other.weight * factor;
        if self.sums.len() < other.sums.len() {
            self.sums.resize(other.sums.len(), 0.0);
        }
        self.sums
            .iter_mut()
            .zip(&other.sums)
            .for_each(|(s, v)| *s += v * factor);
        self.places_without_value += other.places_without_value;
        self.population_without_value += other.population_without_value;
    }

    /// The sum scaled by `factor`: the same as adding it scaled to an empty sum (`0.0 + x`
    /// keeps a sum of `-0.0` at `0.0`), in place.
    fn scaled(mut self, factor: f64) -> Self {
        self.weight = 0.0 + self.weight * factor;
        self.sums.iter_mut().for_each(|s| *s = 0.0 + *s * factor);
        self.population_without_value += 0.0;
        self
    }

    /// Counts one place without value.
    pub fn add_missing(&mut self, population: f64) {
        self.places_without_value += 1;
        self.population_without_value += population;
    }

    /// The `i`-th weighted mean (a share for the ages); `None` without weight.
    pub fn mean(&self, i: usize) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sums.get(i).copied().unwrap_or(0.0) / self.weight)
    }
}

/// The statistics of every place, and the totals of every comparison area per figure.
pub struct StatisticsIndex {
    statistics: CommuneStatistics,
    arrondissements_of: HashMap<String, Vec<(String, f64)>>,
    totals: HashMap<(ComparisonArea, StatisticSource), WeightedSum>,
}

/// The figures a diagnosis computes from the statistics (the population source gives the change).
pub const FIGURES: [StatisticSource; 5] = [
    StatisticSource::Ages2020,
    StatisticSource::Population2020,
    StatisticSource::Share75Plus2022,
    StatisticSource::Fedi,
    StatisticSource::PovertyRate,
];

impl StatisticsIndex {
    /// Indexes `statistics` on `atlas` and sums every area.
    pub fn new(atlas: &Atlas, statistics: CommuneStatistics) -> Self {
        let mut arrondissements_of: HashMap<String, Vec<(String, f64)>> = HashMap::new();
        for a in &atlas.geography().arrondissements {
            arrondissements_of
                .entry(a.commune.clone())
                .or_default()
                .push((a.code.clone(), a.population.unwrap_or(0) as f64));
        }
        let mut index = Self {
            statistics,
            arrondissements_of,
            totals: HashMap::new(),
        };
        // Summed by département first, then the départements by région and for France.
        let mut departements: HashMap<&str, (&str, Vec<WeightedSum>)> = HashMap::new();
        for commune in atlas.communes() {
            let legal = commune.population.unwrap_or(0) as f64;
            let (_, sums) = departements
                .entry(&commune.departement)
                .or_insert_with(|| (&commune.region, vec![WeightedSum::default(); FIGURES.len()]));
            for (id, total) in FIGURES.into_iter().zip(sums.iter_mut()) {
                match index.place_value(&commune.code, legal, id) {
                    Some(v) => total.add(&v, 1.0),
                    None => total.add_missing(legal),
                }
            }
        }
        let mut totals: HashMap<(ComparisonArea, StatisticSource), WeightedSum> = HashMap::new();
        // In code order: floating-point sums in a hash map's order differ in their last digits
        // from one run to the next.
        let mut departements: Vec<_> = departements.into_iter().collect();
        departements.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (departement, (region, sums)) in departements {
            for (id, sum) in FIGURES.into_iter().zip(sums) {
                for place in [
                    ComparisonArea::France,
                    ComparisonArea::Region(region.to_string()),
                ] {
                    totals.entry((place, id)).or_default().add(&sum, 1.0);
                }
                totals.insert(
                    (ComparisonArea::Departement(departement.to_string()), id),
                    sum,
                );
            }
        }
        index.totals = totals;
        index
    }

    /// The sources' notes.
    pub fn notes(&self) -> &[StatisticNote] {
        &self.statistics.notes
    }

    /// The note of one source.
    pub fn note(&self, id: StatisticSource) -> Option<&StatisticNote> {
        self.statistics.note(id)
    }

    /// The totals of an area for a figure.
    pub fn area_total(&self, place: &ComparisonArea, id: StatisticSource) -> WeightedSum {
        self.totals
            .get(&(place.clone(), id))
            .cloned()
            .unwrap_or_default()
    }

    /// A member's weighted figure, pro rata of its counted population (partly covered
    /// communes as the population: an estimate); `None` when its source gives no value.
    pub fn member_value(
        &self,
        atlas: &Atlas,
        member: &TerritoryMember,
        id: StatisticSource,
    ) -> Option<WeightedSum> {
        // An IRIS is filed under its commune or arrondissement (the code's first 5 characters).
        let code = if member.iris {
            member.code.get(..5).unwrap_or(&member.code)
        } else {
            member.code.as_str()
        };
        let legal = match atlas.find(code) {
            Some(CommuneRef::Commune(i)) => atlas.commune(i).population,
            Some(CommuneRef::Arrondissement(a)) => atlas.arrondissement(a).population,
            None => None,
        }
        .unwrap_or(0) as f64;
        let factor = if legal > 0.0 {
            member.population_counted / legal
        } else {
            member.coverage
        };
        Some(self.place_value(code, legal, id)?.scaled(factor))
    }

    /// A place's weighted figure (factor 1), its arrondissements combined when only they have it.
    fn place_value(&self, code: &str, legal: f64, id: StatisticSource) -> Option<WeightedSum> {
        if let Some(v) = self.own_value(code, legal, id) {
            return Some(v);
        }
        let arrondissements = self.arrondissements_of.get(code)?;
        let mut sum = WeightedSum::default();
        for (a, population) in arrondissements {
            sum.add(&self.own_value(a, *population, id)?, 1.0);
        }
        Some(sum)
    }

    fn own_value(&self, code: &str, legal: f64, id: StatisticSource) -> Option<WeightedSum> {
        let f = self.statistics.communes.get(code)?;
        let weighted = |weight: f64, values: Vec<f64>| WeightedSum {
            weight,
            sums: values.into_iter().map(|v| v * weight).collect(),
            ..WeightedSum::default()
        };
        match id {
            StatisticSource::Ages2020 => {
                let population = f.population_2020?;
                if population == 0.0 {
                    // No inhabitants: no one in any band (the shares are "N/A - division par 0").
                    return Some(weighted(0.0, vec![0.0; 6]));
                }
                Some(weighted(
                    population,
                    f.age_shares?.iter().map(|s| s / 100.0).collect(),
                ))
            }
            StatisticSource::Population2020 => {
                let population = f.population_2020?;
                if population == 0.0 {
                    return Some(weighted(0.0, vec![0.0]));
                }
                Some(weighted(population, vec![f.change_2014_2020?]))
            }
            StatisticSource::Share75Plus2022 => {
                Some(weighted(legal, vec![f.share_75_plus_2022? / 100.0]))
            }
            StatisticSource::Fedi => Some(weighted(legal, vec![f.fedi?])),
            StatisticSource::PovertyRate => Some(weighted(legal, vec![f.poverty_rate? / 100.0])),
        }
    }
}
