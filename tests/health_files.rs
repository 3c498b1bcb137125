//! User files: RPPS extracts, the CPAM patients-without-GP format (with the statistical
//! secret), INSEE age bands; and the Normandie age shares against the raw ages file.

mod health_common;

use cpts_atlas::diagnosis::health::ages::age_structure;
use cpts_atlas::diagnosis::health::patients::Shown;
use cpts_atlas::diagnosis::health::supply::supply;
use cpts_atlas::diagnosis::health_indicators;
use cpts_atlas::engine::HealthAtlas;
use cpts_atlas::loaders::geography::codes::CurrentCodes;
use cpts_atlas::loaders::health::directories::load_rpps;
use cpts_atlas::loaders::health::import::{add_user_files, UserHealthFiles};
use cpts_atlas::loaders::health::patients::load_patients_without_gp;
use cpts_atlas::loaders::LoadError;
use cpts_atlas::model::{AgeGroup, PracticeMode, Profession, TerritorySpec};
use health_common::*;

fn with_user_files(files: UserHealthFiles) -> HealthAtlas {
    let (atlas, health) = loaded();
    let mut data = health.data().clone();
    data.establishments = None;
    add_user_files(&mut data, atlas.geography(), &files).unwrap();
    HealthAtlas::new(atlas, data)
}

fn resolved(codes: &[&str]) -> cpts_atlas::engine::ResolvedTerritory {
    let (atlas, _) = loaded();
    atlas
        .resolve(&TerritorySpec::Codes(
            codes.iter().map(|c| c.to_string()).collect(),
        ))
        .unwrap()
}

#[test]
fn rpps_sample_keeps_only_followed_professions_with_a_commune() {
    let Some(shared) = shared("rpps_sample") else {
        return;
    };
    let path = shared.join("directories/sample_RPPS_PS_LibreAcces_Personne_activite_22rows.txt");
    // Independent count: rows of a followed profession (codes 10, 40, 50, 60, 70, 80, 91-96;
    // 21 only in officine sections A/D) that have a practice commune.
    let (h, rows) = read_rows(&path, '|');
    let followed = [
        "10", "40", "50", "60", "70", "80", "91", "92", "93", "94", "95", "96",
    ];
    let expected = rows
        .iter()
        .filter(|r| !r[h["Code commune (coord. structure)"]].is_empty())
        .filter(|r| followed.contains(&r[h["Code profession"]].as_str()))
        .count();
    let (atlas, _) = loaded();
    let (practitioners, report) = load_rpps(&path, &CurrentCodes::new(atlas.geography())).unwrap();
    assert_eq!(report.rows, 22);
    assert_eq!(practitioners.len(), expected);
    assert!(practitioners
        .iter()
        .all(|p| p.mode == PracticeMode::Salaried));
    assert!(report.other_professions.contains_key("Opticien-Lunetier"));
}

#[test]
fn a_user_rpps_extract_answers_first_and_dedupes_activities() {
    let health = with_user_files(UserHealthFiles {
        rpps: Some(fixture("rpps-synthetic.txt")),
        ..Default::default()
    });
    let (atlas, _) = loaded();
    let caen = supply(atlas, &health, &resolved(&["14118"]).members, 10_000.0);
    let gp = caen[&Profession::GeneralPractitioner].get().unwrap();
    assert_eq!(gp.directory, "rpps-user");
    // One GP with a liberal and a salaried activity at Caen: one professional, liberal.
    assert_eq!(gp.count, 1.0);
    assert_eq!(gp.by_mode.get(&PracticeMode::Liberal), Some(&1.0));
    assert_eq!(caen[&Profession::Pediatrician].get().unwrap().count, 1.0);
    let bayeux = supply(atlas, &health, &resolved(&["14047"]).members, 10_000.0);
    // Only the officine pharmacist (section A) counts.
    assert_eq!(bayeux[&Profession::Pharmacist].get().unwrap().count, 1.0);
    // The extract's only nurse has no practice commune: it lists no nurse, so the shipped
    // Normandie directory answers for nurses.
    let nurse = bayeux[&Profession::Nurse].get().unwrap();
    assert_eq!(nurse.directory, "normandie-ars-2021");
}

#[test]
fn patients_without_gp_follow_the_statistical_secret() {
    let health = with_user_files(UserHealthFiles {
        patients: Some(fixture("patients-without-gp-synthetic.csv")),
        ..Default::default()
    });
    let (atlas, _) = loaded();
    let m = resolved(&["14047", "14001", "14002"]);
    let h = health_indicators(atlas, &health, &m);
    let f = h.patients_without_gp.counts.get().expect("file loaded");
    assert_eq!(f.vintage, "2025");
    // Sums made by hand from the fixture.
    assert_eq!(
        f.territory.patients_17_plus,
        Shown::Count {
            value: 9800 + 900 + 1350
        }
    );
    assert_eq!(
        f.territory.without_gp,
        Shown::Count {
            value: 1210 + 85 + 120
        }
    );
    assert_eq!(f.territory.share_without_gp, Some(1415.0 / 12050.0));
    // 14002's 70+ count is masked by the CPAM: the total is a range.
    assert_eq!(
        f.territory.without_gp_70_plus,
        Shown::Range {
            min: 260 + 12 + 1,
            max: 260 + 12 + 4
        }
    );
    let commune = |code: &str| &f.communes.iter().find(|c| c.code == code).unwrap().counts;
    // 14001's ALD count is 3: secret; the smallest other ALD count (11, of 14002 Acqueville,
    // now part of 14150) is hidden too, else the total minus the shown communes would reveal it.
    assert_eq!(commune("14001").without_gp_ald, Shown::Secret);
    assert_eq!(commune("14150").without_gp_ald, Shown::Secret);
    assert_eq!(commune("14047").without_gp_ald, Shown::Count { value: 140 });
    // Département: the file's Calvados communes.
    let dep = &f.departements[0];
    assert_eq!(dep.code, "14");
    assert_eq!(dep.communes_in_file, Some(5));
    assert_eq!(
        dep.counts.without_gp,
        Shown::Count {
            value: 1210 + 85 + 120 + 9400 + 650
        }
    );
    assert!(!h.patients_without_gp.proxies.is_empty());
}

#[test]
fn without_the_cpam_file_only_labelled_proxies_are_shown() {
    let (atlas, health) = loaded();
    let h = health_indicators(atlas, health, &resolved(&["14047", "14001"]));
    let p = &h.patients_without_gp;
    assert!(!p.counts.available);
    assert!(p.counts.reason.as_deref().unwrap().contains("CPAM"));
    assert_eq!(p.proxies.len(), 2);
    assert!(p
        .proxies
        .iter()
        .all(|x| x.label_fr.contains("indicateur indirect")));
}

#[test]
fn bad_cpam_files_are_clear_errors() {
    let (atlas, _) = loaded();
    let codes = CurrentCodes::new(atlas.geography());
    let dir = std::env::temp_dir().join(format!("cpts-atlas-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "code_commune;patients_17_plus;without_gp;without_gp_ald;without_gp_70_plus;without_gp_c2s\n14047;100;120;1;1;1\n",
    )
    .unwrap();
    match load_patients_without_gp(&bad, &codes) {
        Err(LoadError::Field { line, column, .. }) => {
            assert_eq!(line, 2);
            assert_eq!(column, "without_gp");
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    std::fs::write(&bad, "code_commune;patients\n14047;100\n").unwrap();
    let err = load_patients_without_gp(&bad, &codes).unwrap_err();
    assert!(
        matches!(err, LoadError::MissingColumn { ref column, .. } if column == "without_gp" || column == "patients_17_plus"),
        "{err}"
    );
    assert!(err.to_string().contains("bad.csv"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn normandie_age_shares_match_the_raw_file() {
    let Some(shared) = shared("normandie_age_shares") else {
        return;
    };
    let communes = territoire_communes(&shared, "14047");
    let (h, rows) = read_rows(
        &shared.join("directories/normandie-ars-2021/communes_ts_population_ages_2017.csv"),
        ',',
    );
    let sum = |filter: &dyn Fn(&Vec<String>) -> bool, col: &str| -> f64 {
        rows.iter()
            .filter(|r| filter(r))
            .map(|r| r[h[col]].parse::<f64>().unwrap())
            .sum()
    };
    let in_ts = |r: &Vec<String>| communes.contains(&r[h["code_commune"]]);
    let in_14 = |r: &Vec<String>| r[h["code_commune"]].starts_with("14");
    let (atlas, health) = loaded();
    let codes: Vec<&str> = communes.iter().map(String::as_str).collect();
    let a = age_structure(atlas, health, &resolved(&codes).members);
    let a = a.get().expect("Normandie ages");
    let g75 = a
        .groups
        .iter()
        .find(|g| g.group == AgeGroup::Age75Plus)
        .unwrap();
    assert_close(
        g75.share,
        sum(&in_ts, "pop_75p") / sum(&in_ts, "pop_legale_2017"),
        1e-9,
        "75+ share",
    );
    let dep = g75.departements[0].share.get().unwrap().share;
    assert_close(
        dep,
        sum(&in_14, "pop_75p") / sum(&in_14, "pop_legale_2017"),
        1e-9,
        "Calvados 75+",
    );
}

#[test]
fn insee_age_bands_are_read_in_the_official_layout() {
    let health = with_user_files(UserHealthFiles {
        insee_ages: Some(fixture("insee-base-cc-evol-struct-pop-synthetic.csv")),
        ..Default::default()
    });
    let (atlas, _) = loaded();
    let a = age_structure(atlas, &health, &resolved(&["14001", "14054"]).members);
    let a = a.get().expect("INSEE fixture covers 14001 and 14054");
    assert!(a.source.contains("INSEE"));
    assert_eq!(a.vintage, "2021");
    let share = |g: AgeGroup| a.groups.iter().find(|x| x.group == g).unwrap().share;
    // By hand from the fixture: 0-14 = 210.5 + 80, 75+ = 110 + 9.5 + 55 + 5, over 1700.
    assert_close(share(AgeGroup::Age0To14), 290.5 / 1700.0, 1e-12, "0-14");
    assert_close(share(AgeGroup::Age75Plus), 179.5 / 1700.0, 1e-12, "75+");
    assert_close(
        share(AgeGroup::Age60Plus),
        (220.0 + 90.0 + 179.5) / 1700.0,
        1e-12,
        "60+",
    );
    // Outside the fixture, the Normandie source answers.
    let caen = age_structure(atlas, &health, &resolved(&["14118"]).members);
    assert!(caen.get().unwrap().source.contains("Normandie"));
}
