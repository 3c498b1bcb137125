//! Population and area of every département, région and France, summed once at load.

use std::collections::HashMap;

use crate::model::Commune;

/// An area a territory is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ComparisonArea {
    /// A département, by code.
    Departement(String),
    /// A région, by code.
    Region(String),
    /// All of France.
    France,
}

/// Totals of an area's communes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AreaTotal {
    /// Legal population of all its communes.
    pub population: u64,
    /// Area of its communes with an outline, km² (equal-area).
    pub area_km2: f64,
    /// Communes without an outline. In a département with outlines they were restored after the
    /// outlines' vintage: their area lies in a neighbour's and their population counts in the
    /// density; in one without any (collectivités d'outre-mer) they are out of the density.
    pub communes_without_outline: usize,
    /// Population of its départements without any outline, left out of the density.
    pub population_without_area: u64,
}

impl AreaTotal {
    /// Inhabitants per km² of the départements with outlines; `None` without area.
    pub fn density_per_km2(&self) -> Option<f64> {
        (self.area_km2 > 0.0)
            .then(|| (self.population - self.population_without_area) as f64 / self.area_km2)
    }

    fn add(&mut self, other: &AreaTotal) {
        self.population += other.population;
        self.area_km2 += other.area_km2;
        self.communes_without_outline += other.communes_without_outline;
        self.population_without_area += other.population_without_area;
    }
}

/// [`AreaTotal`] of every département, région and France.
#[derive(Debug, Clone, Default)]
pub struct AreaTotals {
    totals: HashMap<ComparisonArea, AreaTotal>,
}

impl AreaTotals {
    /// Sums `communes`, whose areas `area_km2(index)` gives (`None` without outline), by
    /// département, then the départements by région and for France.
    pub fn new(communes: &[Commune], area_km2: impl Fn(usize) -> Option<f64>) -> Self {
        let mut departements: HashMap<&str, (&str, AreaTotal)> = HashMap::new();
        for (i, c) in communes.iter().enumerate() {
            let (_, total) = departements
                .entry(&c.departement)
                .or_insert((&c.region, AreaTotal::default()));
            total.population += c.population.unwrap_or(0);
            match area_km2(i) {
                Some(a) => total.area_km2 += a,
                None => total.communes_without_outline += 1,
            }
        }
        let mut totals: HashMap<ComparisonArea, AreaTotal> = HashMap::new();
        // In code order: the régions' and France's float sums come out the same in every run.
        let mut departements: Vec<_> = departements.into_iter().collect();
        departements.sort_unstable_by_key(|(code, _)| *code);
        for (code, (region, mut total)) in departements {
            if total.area_km2 <= 0.0 {
                total.population_without_area = total.population;
            }
            totals
                .entry(ComparisonArea::Region(region.to_string()))
                .or_default()
                .add(&total);
            totals
                .entry(ComparisonArea::France)
                .or_default()
                .add(&total);
            totals.insert(ComparisonArea::Departement(code.to_string()), total);
        }
        Self { totals }
    }

    /// The totals of an area; zeros for an area without communes.
    pub fn get(&self, place: &ComparisonArea) -> AreaTotal {
        self.totals.get(place).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(code: &str, departement: &str, region: &str, population: u64) -> Commune {
        Commune {
            code: code.into(),
            name: code.into(),
            departement: departement.into(),
            region: region.into(),
            epci: None,
            population: Some(population),
            geometry: None,
        }
    }

    #[test]
    fn sums_by_departement_region_and_france() {
        let communes = [
            commune("01001", "01", "84", 1_000),
            commune("01002", "01", "84", 500), // restored: no outline, area in a neighbour's
            commune("38001", "38", "84", 2_000),
            commune("97701", "977", "977", 10_000), // no outline in its whole département
        ];
        let areas = [Some(10.0), None, Some(40.0), None];
        let totals = AreaTotals::new(&communes, |i| areas[i]);
        let ain = totals.get(&ComparisonArea::Departement("01".into()));
        assert_eq!(
            (ain.population, ain.area_km2, ain.communes_without_outline),
            (1_500, 10.0, 1)
        );
        assert_eq!(ain.density_per_km2(), Some(150.0));
        let region = totals.get(&ComparisonArea::Region("84".into()));
        assert_eq!((region.population, region.area_km2), (3_500, 50.0));
        let france = totals.get(&ComparisonArea::France);
        assert_eq!(
            (france.population, france.population_without_area),
            (13_500, 10_000)
        );
        assert_eq!(france.communes_without_outline, 2);
        assert_eq!(france.density_per_km2(), Some(70.0));
        let com = totals.get(&ComparisonArea::Departement("977".into()));
        assert_eq!(com.density_per_km2(), None);
        assert_eq!(
            totals.get(&ComparisonArea::Region("11".into())),
            AreaTotal::default()
        );
    }
}
