//! Density of the départements, régions and France a territory is compared with: populations
//! against the raw COG, areas against INSEE's published superficies.

mod common;

use std::path::Path;

use common::{diagnose_codes, raw_json, shared_data};
use cpts_atlas::diagnosis::PlaceDensity;

fn comparisons(codes: &[&str]) -> Vec<PlaceDensity> {
    diagnose_codes(codes).density_comparisons
}

/// Legal population of the raw COG's current communes that `keep` keeps.
fn raw_population(shared: &Path, keep: &dyn Fn(&serde_json::Value) -> bool) -> u64 {
    raw_json(&shared.join("cog-2026/communes.json"))
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "commune-actuelle" && keep(c))
        .map(|c| c["population"].as_u64().unwrap_or(0))
        .sum()
}

#[test]
fn comparison_populations_are_the_sums_of_the_raw_cog() {
    let Some(shared) = shared_data("comparison_populations_are_the_sums_of_the_raw_cog") else {
        return;
    };
    let sum = |keep: &dyn Fn(&serde_json::Value) -> bool| raw_population(&shared, keep);
    // Bayeux (Calvados) and Évreux (Eure): two départements of one région.
    let places = comparisons(&["14047", "27229"]);
    let levels: Vec<(&str, &str)> = places
        .iter()
        .map(|p| (p.level, p.code.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        levels,
        [
            ("departement", "14"),
            ("departement", "27"),
            ("region", "28"),
            ("france", "")
        ]
    );
    assert_eq!(places[0].name, "Calvados");
    assert_eq!(places[2].name, "Normandie");
    assert_eq!(places[0].population, sum(&|c| c["departement"] == "14"));
    assert_eq!(places[1].population, sum(&|c| c["departement"] == "27"));
    assert_eq!(places[2].population, sum(&|c| c["region"] == "28"));
    assert_eq!(places[3].population, sum(&|_| true));
    // Sannerville (14666), restored after the 2018 outlines, has none (data/import-log.md).
    let without: Vec<usize> = places.iter().map(|p| p.communes_without_outline).collect();
    assert_eq!(without[..3], [1, 0, 1]);
    for place in &places[..3] {
        assert_eq!(place.population_without_area, 0, "{}", place.name);
    }
}

#[test]
fn comparison_areas_match_the_published_superficies() {
    let places = comparisons(&["14047"]);
    // INSEE superficies (km²): Calvados 5 548, Normandie 29 906; France (metropolitan 543 940
    // and the five DROM 89 168). The shipped outlines are simplified: within 1.5 %.
    for (place, published) in places.iter().zip([5_548.0, 29_906.0, 633_108.0]) {
        let error = (place.area_km2 - published).abs() / published;
        assert!(
            error < 0.015,
            "{}: {} km² vs {published}",
            place.name,
            place.area_km2
        );
        let density = place.density_per_km2.expect("an area");
        assert!(
            density > 20.0 && density < 200.0,
            "{}: {density}",
            place.name
        );
    }
    // The collectivités d'outre-mer have no outline: out of France's density, said so.
    let Some(shared) = shared_data("comparison_areas_match_the_published_superficies (COM)") else {
        return;
    };
    let com = raw_population(&shared, &|c| c["zone"] == "com");
    assert!(com > 0);
    assert_eq!(places[2].population_without_area, com);
}
