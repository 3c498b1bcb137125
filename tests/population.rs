//! Population counts against the raw INSEE/COG files, computed independently here.

mod common;

use common::{atlas, diagnose_codes, raw_json, raw_populations, shared_data, Rng};
use cpts_atlas::diagnosis::{diagnose, DiagnosisContext, DiagnosisOptions, FundingGrid};
use cpts_atlas::engine::CommuneRef;
use cpts_atlas::model::TerritorySpec;

#[test]
fn sum_over_all_communes_equals_the_cog_total() {
    let Some(shared) = shared_data("sum_over_all_communes_equals_the_cog_total") else {
        return;
    };
    let raw = raw_json(&shared.join("cog-2026/communes.json"));
    let mut expected = 0u64;
    let mut count = 0usize;
    for c in raw.as_array().unwrap() {
        if c["type"] == "commune-actuelle" {
            expected += c["population"].as_u64().unwrap_or(0);
            count += 1;
        }
    }
    let communes = atlas().communes();
    assert_eq!(communes.len(), count);
    let total: u64 = communes.iter().filter_map(|c| c.population).sum();
    assert_eq!(total, expected);
}

#[test]
fn whole_communes_count_the_sum_of_their_populations() {
    let Some(shared) = shared_data("whole_communes_count_the_sum_of_their_populations") else {
        return;
    };
    let raw = raw_populations(&shared);
    let mut rng = Rng(0x5eed_2026);
    // Current communes only: an arrondissement with its commune is refused (double count).
    let mut all: Vec<&String> = raw
        .keys()
        .filter(|c| matches!(atlas().find(c), Some(CommuneRef::Commune(_))))
        .collect();
    all.sort();
    for size in [1, 7, 50, 300] {
        let mut codes: Vec<&str> = Vec::new();
        while codes.len() < size {
            let code = all[rng.below(all.len())].as_str();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let expected: u64 = codes.iter().map(|c| raw[*c]).sum();
        let d = diagnose_codes(&codes);
        assert_eq!(d.population, expected, "{size} communes");
        assert_eq!(d.population_estimated, 0);
        assert_eq!(d.commune_count, size);
    }
}

#[test]
fn arrondissements_sum_to_their_commune() {
    let Some(shared) = shared_data("arrondissements_sum_to_their_commune") else {
        return;
    };
    let raw = raw_json(&shared.join("cog-2026/communes.json"));
    for city in ["75056", "69123", "13055"] {
        let arrondissements: Vec<(&str, u64)> = raw
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["type"] == "arrondissement-municipal" && c["commune"] == city)
            .map(|c| {
                (
                    c["code"].as_str().unwrap(),
                    c["population"].as_u64().unwrap(),
                )
            })
            .collect();
        let codes: Vec<&str> = arrondissements.iter().map(|a| a.0).collect();
        let expected: u64 = arrondissements.iter().map(|a| a.1).sum();
        let d = diagnose_codes(&codes);
        assert_eq!(d.population, expected, "{city}");
        // Paris, Lyon and Marseille arrondissements have outlines, dissolved from their IRIS
        // (tests/iris.rs, tests/iris_france.rs).
        assert!(d.area_complete, "{city}: arrondissements have outlines");
        assert!(d.density_per_km2.is_some(), "{city}");
    }
}

#[test]
fn epci_counts_its_member_communes() {
    let Some(shared) = shared_data("epci_counts_its_member_communes") else {
        return;
    };
    let raw = raw_populations(&shared);
    let epcis = raw_json(&shared.join("cog-2026/epci.json"));
    for epci in epcis.as_array().unwrap().iter().step_by(97) {
        let members = epci["membres"].as_array().unwrap();
        let expected: u64 = members
            .iter()
            .map(|m| raw[m["code"].as_str().unwrap()])
            .sum();
        let grid = FundingGrid::aci_2019();
        let options = DiagnosisOptions {
            grid: &grid,
            missions: vec![],
        };
        let spec = TerritorySpec::Epci(epci["code"].as_str().unwrap().to_string());
        let d = diagnose(
            &DiagnosisContext::new(atlas()),
            atlas().resolve(&spec).unwrap(),
            &options,
        )
        .unwrap();
        assert_eq!(d.population, expected, "{}", epci["nom"]);
        assert_eq!(d.commune_count, members.len());
    }
}

#[test]
fn former_codes_map_to_their_current_commune_with_a_warning() {
    // 05120 Ristolas is a commune déléguée of 05001 Abriès-Ristolas (COG 2026).
    let d = diagnose_codes(&["05120"]);
    assert_eq!(d.communes[0].code, "05001");
    assert!(
        d.warnings.iter().any(|w| w.contains("05120")),
        "{:?}",
        d.warnings
    );
    // Listing both the old and the new code counts the commune once.
    let both = diagnose_codes(&["05120", "05001"]);
    assert_eq!(both.population, d.population);
    assert_eq!(both.commune_count, 1);
}
