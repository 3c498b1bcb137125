//! Supply of professionals: counts and densities checked against counts made here from the raw
//! ARS Normandie and Gironde files, and against ARS Normandie's own published synthesis.

mod health_common;

use std::collections::HashSet;

use cpts_atlas::diagnosis::health::supply::supply;
use cpts_atlas::loaders::geography::codes::CurrentCodes;
use cpts_atlas::loaders::health::import::{load_normandie_synthesis, load_normandie_territories};
use cpts_atlas::model::{Profession, TerritorySpec};
use health_common::*;

fn members(codes: &[String]) -> Vec<cpts_atlas::model::TerritoryMember> {
    let (atlas, _) = loaded();
    atlas
        .resolve(&TerritorySpec::Codes(codes.to_vec()))
        .expect("resolves")
        .members
}

#[test]
fn gp_count_and_density_of_bayeux_territoire_match_the_raw_lines() {
    let Some(shared) = shared("gp_count_and_density_of_bayeux_territoire") else {
        return;
    };
    let communes = territoire_communes(&shared, "14047");
    assert_eq!(communes.len(), 59);
    let set: HashSet<&String> = communes.iter().collect();
    let (h, rows) = read_rows(
        &shared.join("directories/normandie-ars-2021/ps_liberaux_lignes_sans_noms.csv"),
        ',',
    );
    let expected_gp = rows
        .iter()
        .filter(|r| {
            r[h["profession"]] == "medecin_generaliste" && set.contains(&r[h["code_commune"]])
        })
        .count() as f64;
    let pops = cog_populations(&shared);
    let population: u64 = communes.iter().map(|c| pops[c].0).sum();

    let (atlas, health) = loaded();
    let m = members(&communes);
    let counted: f64 = m.iter().map(|x| x.population_counted).sum();
    assert_eq!(counted, population as f64);
    let s = supply(atlas, health, &m, counted);
    let gp = s[&Profession::GeneralPractitioner]
        .get()
        .expect("Bayeux is covered");
    assert_eq!(gp.count, expected_gp);
    assert!(expected_gp > 20.0, "{expected_gp}");
    assert_close(
        gp.density_per_10k.unwrap(),
        expected_gp / population as f64 * 10_000.0,
        1e-12,
        "GP density",
    );
    assert!(!gp.estimated);
}

#[test]
fn departement_and_region_comparisons_match_the_raw_lines() {
    let Some(shared) = shared("departement_and_region_comparisons") else {
        return;
    };
    let (h, rows) = read_rows(
        &shared.join("directories/normandie-ars-2021/ps_liberaux_lignes_sans_noms.csv"),
        ',',
    );
    let pops = cog_populations(&shared);
    let nurses_in = |deps: &[&str]| {
        rows.iter()
            .filter(|r| r[h["profession"]] == "infirmier")
            // A commune code starts with its département's (merges stay within départements).
            .filter(|r| deps.contains(&&r[h["code_commune"]][..2]))
            .count() as u64
    };
    let pop_of = |deps: &[&str]| -> u64 {
        pops.values()
            .filter(|p| deps.contains(&p.1.as_str()))
            .map(|p| p.0)
            .sum()
    };
    let (atlas, health) = loaded();
    let s = supply(atlas, health, &members(&["14118".into()]), 1.0);
    let nurse = s[&Profession::Nurse].get().unwrap();
    let calvados = nurse
        .comparisons
        .iter()
        .find(|c| c.level == "departement")
        .unwrap();
    let d = calvados.density.get().expect("Calvados is covered");
    assert_eq!(d.count, nurses_in(&["14"]));
    assert_eq!(d.population, pop_of(&["14"]));
    assert_close(
        d.density_per_10k,
        d.count as f64 / d.population as f64 * 1e4,
        1e-12,
        "density",
    );
    let normandie = ["14", "27", "50", "61", "76"];
    let region = nurse
        .comparisons
        .iter()
        .find(|c| c.level == "region")
        .unwrap();
    let r = region.density.get().expect("Normandie is covered");
    assert_eq!(r.count, nurses_in(&normandie));
    assert_eq!(r.population, pop_of(&normandie));
    let france = nurse
        .comparisons
        .iter()
        .find(|c| c.level == "france")
        .unwrap();
    assert!(!france.density.available && france.density.reason.is_some());
}

#[test]
fn outside_coverage_is_not_available_never_zero() {
    let (atlas, health) = loaded();
    // Saint-Pierre (collectivité d'outre-mer): no loaded directory, not even the BPE, covers it.
    let s = supply(atlas, health, &members(&["97502".into()]), 1.0);
    for (p, indicator) in &s {
        assert!(!indicator.available, "{p:?} should not be available in 975");
        assert!(indicator.reason.as_deref().is_some_and(|r| !r.is_empty()));
    }
    // Marseille 1er: only the BPE covers it; what the BPE does not count is not available.
    let marseille = supply(atlas, health, &members(&["13201".into()]), 1.0);
    for p in [
        Profession::Neurologist,
        Profession::Orthodontist,
        Profession::Pharmacist,
    ] {
        assert!(!marseille[&p].available, "{p:?}");
    }
    assert_eq!(
        marseille[&Profession::GeneralPractitioner]
            .get()
            .unwrap()
            .directory,
        "bpe-2019"
    );
    // Normandie lists no neurologist; the Gironde extract does, only in Gironde.
    let caen = supply(atlas, health, &members(&["14118".into()]), 1.0);
    assert!(!caen[&Profession::Neurologist].available);
    let bordeaux = supply(atlas, health, &members(&["33063".into()]), 1.0);
    assert!(bordeaux[&Profession::Neurologist].available);
    // A territory straddling covered and uncovered communes is not available either.
    let mixed = supply(
        atlas,
        health,
        &members(&["14118".into(), "97502".into()]),
        1.0,
    );
    let reason = mixed[&Profession::GeneralPractitioner]
        .reason
        .clone()
        .unwrap();
    assert!(reason.contains("97502"), "{reason}");
    // Straddling Normandie and Provence: the BPE, which covers both, answers.
    let both = supply(
        atlas,
        health,
        &members(&["14118".into(), "13201".into()]),
        1.0,
    );
    let gp = both[&Profession::GeneralPractitioner].get().unwrap();
    assert_eq!(gp.directory, "bpe-2019");
}

#[test]
fn gironde_gps_are_distinct_professionals_per_commune() {
    let Some(shared) = shared("gironde_gps_are_distinct_professionals_per_commune") else {
        return;
    };
    let (h, rows) = read_rows(
        &shared.join("directories/gironde-rpps-2017/rpps33_mg_neuro_sans_noms.csv"),
        ',',
    );
    let bordeaux: HashSet<&String> = rows
        .iter()
        .filter(|r| r[h["Commune"]] == "33063" && r[h["Specialite"]].contains("Générale"))
        .map(|r| &r[h["RPPS"]])
        .collect();
    let (atlas, health) = loaded();
    let s = supply(atlas, health, &members(&["33063".into()]), 1.0);
    assert_eq!(
        s[&Profession::GeneralPractitioner].get().unwrap().count,
        bordeaux.len() as f64
    );
}

/// The ARS's own synthesis per territoire de santé: nurses, speech therapists and orthoptists
/// agree exactly in all 165 territoires; GPs in at least 140 (the ARS counts a professional with
/// several sites once, the lines file once per site).
#[test]
fn agrees_with_the_ars_normandie_synthesis() {
    let Some(shared) = shared("agrees_with_the_ars_normandie_synthesis") else {
        return;
    };
    let (atlas, health) = loaded();
    let codes = CurrentCodes::new(atlas.geography());
    let (territories, _) =
        load_normandie_territories(&shared.join("directories/normandie-ars-2021"), &codes).unwrap();
    let synthesis = load_normandie_synthesis(&fixture("normandie-synthese-ts-2021.csv")).unwrap();
    assert_eq!(synthesis.len(), 165);
    let mut exact = std::collections::BTreeMap::new();
    for row in &synthesis {
        let m = members(&territories[&row.code]);
        let s = supply(atlas, health, &m, 1.0);
        for &(p, theirs) in &row.counts {
            if s[&p].get().unwrap().count == theirs {
                *exact.entry(p).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(exact[&Profession::Nurse], 165);
    assert_eq!(exact[&Profession::SpeechTherapist], 165);
    assert_eq!(exact[&Profession::Orthoptist], 165);
    assert!(exact[&Profession::GeneralPractitioner] >= 140, "{exact:?}");
}

#[test]
fn health_atlas_is_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<cpts_atlas::engine::HealthAtlas>();
}
