//! APL aggregation checked against sums made here from the raw DREES files, and the E2SFCA
//! checked against a brute-force computation written here from its definition.

mod health_common;

use std::collections::HashMap;

use cpts_atlas::diagnosis::health::access::apl;
use cpts_atlas::engine::geometry::great_circle::distance_km;
use cpts_atlas::engine::TravelTimeModel;
use cpts_atlas::model::{Profession, TerritorySpec};
use health_common::*;

fn raw_apl(shared: &std::path::Path, edition: u16) -> HashMap<String, (f64, f64, f64)> {
    let (h, rows) = read_rows(
        &shared.join(format!("apl-drees/apl_mg_communes_{edition}.csv")),
        ',',
    );
    rows.iter()
        .map(|r| {
            let f = |c: &str| r[h[c]].parse::<f64>().unwrap();
            (
                r[h["code_commune"]].clone(),
                (f("apl_mg"), f("pop_standardisee"), f("pop_totale")),
            )
        })
        .collect()
}

#[test]
fn population_weighted_apl_of_bayeux_territoire_matches_the_raw_files() {
    let Some(shared) = shared("population_weighted_apl") else {
        return;
    };
    let communes = territoire_communes(&shared, "14047");
    let (atlas, health) = loaded();
    let members = atlas
        .resolve(&TerritorySpec::Codes(communes.clone()))
        .unwrap()
        .members;
    let indicator = apl(atlas, health, &members);
    let a = indicator.get().expect("APL available");
    let mut expected = Vec::new();
    for edition in [2022u16, 2023] {
        let raw = raw_apl(&shared, edition);
        let rows: Vec<&(f64, f64, f64)> = communes.iter().map(|c| &raw[c]).collect();
        let weight: f64 = rows.iter().map(|r| r.1).sum();
        let mean = rows.iter().map(|r| r.0 * r.1).sum::<f64>() / weight;
        let pop: f64 = rows.iter().map(|r| r.2).sum();
        let under = |t: f64| rows.iter().filter(|r| r.0 < t).map(|r| r.2).sum::<f64>() / pop;
        let e = a.editions.iter().find(|e| e.edition == edition).unwrap();
        assert_close(e.apl, mean, 1e-9, "APL");
        assert_close(
            e.population_share_under_2_5,
            under(2.5),
            1e-9,
            "share < 2.5",
        );
        assert_close(e.population_share_under_4, under(4.0), 1e-9, "share < 4");
        assert!(e.communes_without_value.is_empty());
        expected.push(mean);
    }
    let change = a.change.as_ref().unwrap();
    assert_close(change.absolute, expected[1] - expected[0], 1e-9, "change");
    let raw23 = raw_apl(&shared, 2023);
    let mut under: Vec<&String> = communes.iter().filter(|c| raw23[*c].0 < 2.5).collect();
    under.sort();
    let mut listed: Vec<&String> = a.under_served.iter().map(|c| &c.code).collect();
    listed.sort();
    assert_eq!(listed, under);
    assert!(!under.is_empty());
}

#[test]
fn apl_of_whole_marseille_merges_its_arrondissements() {
    let Some(shared) = shared("apl_of_whole_marseille") else {
        return;
    };
    let raw = raw_apl(&shared, 2023);
    let arrs: Vec<&(f64, f64, f64)> = (1..=16).map(|i| &raw[&format!("132{i:02}")]).collect();
    let weight: f64 = arrs.iter().map(|r| r.1).sum();
    let expected = arrs.iter().map(|r| r.0 * r.1).sum::<f64>() / weight;
    let (atlas, health) = loaded();
    let members = atlas
        .resolve(&TerritorySpec::Codes(vec!["13055".into()]))
        .unwrap()
        .members;
    let a = apl(atlas, health, &members);
    let e2023 = a.get().unwrap().editions.last().unwrap();
    assert_close(e2023.apl, expected, 1e-9, "Marseille APL");
}

#[test]
fn apl_not_available_where_drees_publishes_none() {
    let (atlas, health) = loaded();
    // Mayotte is absent from the DREES files.
    let members = atlas
        .resolve(&TerritorySpec::Codes(vec!["97611".into()]))
        .unwrap()
        .members;
    let a = apl(atlas, health, &members);
    assert!(!a.available && a.reason.is_some());
}

/// E2SFCA by brute force over every pair of communes (no index), from its definition.
#[test]
fn e2sfca_matches_a_brute_force_computation() {
    let (atlas, health) = loaded();
    let d = health
        .data()
        .directories
        .iter()
        .position(|x| x.id == "gironde-rpps-2017")
        .unwrap();
    let computed = health.computed_access(atlas, d).unwrap();
    let params = health.e2sfca_params();
    // Supply per commune from the directory's counts.
    let mut supply: HashMap<usize, f64> = HashMap::new();
    for c in &health.data().directories[d].counts {
        if c.profession == Profession::GeneralPractitioner {
            let i = atlas
                .communes()
                .iter()
                .position(|x| x.code == c.commune)
                .unwrap();
            *supply.entry(i).or_default() += f64::from(c.count);
        }
    }
    let points: Vec<(usize, (f64, f64))> = (0..atlas.communes().len())
        .filter_map(|i| Some((i, health.centroids().centroid(i)?)))
        .filter(|(_, p)| p.0 > -2.5 && p.0 < 1.5 && p.1 > 43.5 && p.1 < 46.0)
        .collect();
    // Travel time of the calibrated model, written here from its definition: the road km
    // (great-circle km × detour) inside each band of great-circle distance at its speed.
    assert_eq!(params.travel, TravelTimeModel::calibrated());
    let travel = &params.travel;
    let weight = |a: (f64, f64), b: (f64, f64), same: bool| {
        let km = if same { 0.0 } else { distance_km(a, b) };
        let mut lower = 0.0;
        let mut minutes = 0.0;
        for band in &travel.bands {
            let inside = (km.min(band.up_to_km) - lower).max(0.0);
            minutes += inside * travel.detour_factor * 60.0 / band.speed_kmh;
            lower = band.up_to_km;
        }
        if minutes <= 10.0 {
            1.0
        } else if minutes <= 15.0 {
            2.0 / 3.0
        } else if minutes <= 20.0 {
            1.0 / 3.0
        } else {
            0.0
        }
    };
    let pop = |i: usize| atlas.commune(i).population.unwrap_or(0) as f64;
    let ratios: HashMap<usize, f64> = supply
        .iter()
        .map(|(&j, &s)| {
            let pj = health.centroids().centroid(j).unwrap();
            let demand: f64 = points
                .iter()
                .map(|&(k, pk)| weight(pj, pk, k == j) * pop(k))
                .sum();
            (j, s / demand)
        })
        .collect();
    let mut checked = 0;
    for &(i, pi) in points
        .iter()
        .filter(|(i, _)| atlas.commune(*i).departement == "33")
    {
        let expected: f64 = ratios
            .iter()
            .map(|(&j, &r)| weight(pi, health.centroids().centroid(j).unwrap(), i == j) * r)
            .sum::<f64>()
            * 10_000.0;
        let got = computed[i].unwrap();
        assert!(
            (got - expected).abs() <= 1e-9 * expected.max(1.0),
            "{}: {got} vs {expected}",
            atlas.commune(i).code
        );
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}

/// Commune by commune (what a diagnosis computes) gives the E2SFCA of all France to the bit,
/// for every commune of France and every directory listing GPs.
#[test]
fn e2sfca_of_one_commune_is_that_of_all_france() {
    let (atlas, whole) = loaded();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let alone = cpts_atlas::engine::HealthAtlas::new(
        atlas,
        cpts_atlas::loaders::health::data::read_health_data(&data).unwrap(),
    );
    let mut checked = 0;
    for d in 0..whole.data().directories.len() {
        let Some(all) = whole.computed_access(atlas, d) else {
            assert!(!alone.lists_gps(d));
            continue;
        };
        // In an order unlike the index order, so the ratios kept come from other communes.
        for i in (0..all.len()).rev() {
            let one = alone.computed_access_of(atlas, d, i).unwrap();
            assert_eq!(
                one.map(f64::to_bits),
                all[i].map(f64::to_bits),
                "directory {d}, commune {}",
                atlas.commune(i).code
            );
            checked += usize::from(one.is_some_and(|a| a > 0.0));
        }
    }
    assert!(checked > 30_000, "{checked}");
}
