//! INSEE BPE 2019 as shipped (`data/supply/bpe-2019.csv`): totals checked against sums made
//! here from the raw `bpe19_sante_iris.csv`, read with a plain split (not the crate's loader).

mod health_common;

use std::collections::{BTreeMap, HashSet};

use cpts_atlas::diagnosis::health::supply::supply;
use cpts_atlas::model::{Profession, TerritorySpec};
use health_common::*;

/// Raw BPE 2019 rows: (DEP, DEPCOM, DCIRIS, TYPEQU, NB_EQUIP).
fn raw_bpe(shared: &std::path::Path) -> Vec<(String, String, String, String, u64)> {
    let (h, rows) = read_rows(&shared.join("bpe-insee/bpe19_sante_iris.csv"), ';');
    rows.iter()
        .map(|r| {
            (
                r[h["DEP"]].clone(),
                r[h["DEPCOM"]].clone(),
                r[h["DCIRIS"]].clone(),
                r[h["TYPEQU"]].clone(),
                r[h["NB_EQUIP"]].parse().expect("NB_EQUIP"),
            )
        })
        .collect()
}

fn shipped() -> &'static cpts_atlas::model::EquipmentTable {
    let (_, health) = loaded();
    health
        .data()
        .equipment
        .iter()
        .find(|t| t.id == "bpe-2019")
        .expect("bpe-2019 is shipped")
}

#[test]
fn national_gp_total_is_insee_61_429() {
    let Some(shared) = shared("national_gp_total_is_insee_61_429") else {
        return;
    };
    // awk -F';' '$6=="D201"{s+=$7} END{print s}' bpe19_sante_iris.csv  ->  61429
    let raw: u64 = raw_bpe(&shared)
        .iter()
        .filter(|r| r.3 == "D201")
        .map(|r| r.4)
        .sum();
    assert_eq!(raw, 61_429);
    assert_eq!(shipped().total("D201"), 61_429);
}

#[test]
fn every_departement_and_type_total_equals_the_raw_file() {
    let Some(shared) = shared("every_departement_and_type_total_equals_the_raw_file") else {
        return;
    };
    let mut raw: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut raw_iris: u64 = 0;
    for (dep, depcom, dciris, typequ, n) in raw_bpe(&shared) {
        *raw.entry((dep, typequ)).or_default() += n;
        if dciris != depcom {
            raw_iris += n;
        }
    }
    let (atlas, _) = loaded();
    let departement = |code: &str| -> String {
        match atlas.find(code).expect("a current code") {
            cpts_atlas::engine::CommuneRef::Commune(i) => atlas.commune(i).departement.clone(),
            cpts_atlas::engine::CommuneRef::Arrondissement(a) => {
                code_departement(&atlas.arrondissement(a).commune)
            }
        }
    };
    let mut ours: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut ours_iris: u64 = 0;
    for e in &shipped().rows {
        *ours
            .entry((departement(&e.commune), e.typequ.clone()))
            .or_default() += u64::from(e.count);
        if let Some(iris) = &e.iris {
            assert_eq!(iris.len(), 9, "{iris}");
            ours_iris += u64::from(e.count);
        }
    }
    assert_eq!(raw.len(), ours.len());
    for (key, n) in &raw {
        assert_eq!(
            ours.get(key),
            Some(n),
            "département {} type {}",
            key.0,
            key.1
        );
    }
    assert_eq!(ours_iris, raw_iris, "equipments located in an IRIS");
    // Types beyond D2xx are kept for the care places (D1xx hospitals, D4xx elderly care...).
    for t in ["D106", "D113", "D301", "D401", "D502", "D601", "D701"] {
        assert!(ours.keys().any(|(_, k)| k == t), "{t}");
    }
}

/// The département of a commune code of Paris, Lyon or Marseille (`75056` -> `75`).
fn code_departement(code: &str) -> String {
    code[..2].to_string()
}

/// Raw BPE 2019 sum of one type over a set of DEPCOM codes (current codes of the raw file:
/// none of the communes tested here merged since 2019).
fn raw_sum(shared: &std::path::Path, depcoms: &[&str], typequ: &str) -> f64 {
    let set: HashSet<&str> = depcoms.iter().copied().collect();
    raw_bpe(shared)
        .iter()
        .filter(|r| r.3 == typequ && set.contains(r.1.as_str()))
        .map(|r| r.4 as f64)
        .sum()
}

fn diagnosed(
    codes: &[&str],
) -> BTreeMap<
    Profession,
    cpts_atlas::diagnosis::Indicator<cpts_atlas::diagnosis::health::supply::ProfessionSupply>,
> {
    let (atlas, health) = loaded();
    let members = atlas
        .resolve(&TerritorySpec::Codes(
            codes.iter().map(|c| c.to_string()).collect(),
        ))
        .expect("resolves")
        .members;
    let population: f64 = members.iter().map(|m| m.population_counted).sum();
    supply(atlas, health, &members, population)
}

const LYON_ARRONDISSEMENTS: [&str; 9] = [
    "69381", "69382", "69383", "69384", "69385", "69386", "69387", "69388", "69389",
];

#[test]
fn gp_nurse_physio_of_gueret_villeurbanne_and_lyon_are_the_raw_bpe_sums() {
    let Some(shared) = shared("gp_nurse_physio_of_gueret_villeurbanne_and_lyon") else {
        return;
    };
    let cases: [(&[&str], &[&str]); 4] = [
        (&["23096"], &["23096"]),
        (&["69266"], &["69266"]),
        (&LYON_ARRONDISSEMENTS, &LYON_ARRONDISSEMENTS),
        // Lyon as one commune: its figures are filed under its arrondissements.
        (&["69123"], &LYON_ARRONDISSEMENTS),
    ];
    for (territory, raw_codes) in cases {
        let s = diagnosed(territory);
        for (profession, typequ) in [
            (Profession::GeneralPractitioner, "D201"),
            (Profession::Nurse, "D232"),
            (Profession::Physiotherapist, "D233"),
        ] {
            let expected = raw_sum(&shared, raw_codes, typequ);
            assert!(expected > 0.0, "{territory:?} {typequ}");
            let got = s[&profession].get().expect("BPE covers all of France");
            assert_eq!(got.count, expected, "{territory:?} {typequ}");
            assert_eq!(got.directory, "bpe-2019");
            assert!(!got.estimated);
            assert!(got.caveat.as_deref().unwrap_or("").contains("deux fois"));
            let france = got
                .comparisons
                .iter()
                .find(|c| c.level == "france")
                .unwrap();
            assert!(france.density.get().is_some(), "France compared");
        }
    }
}

#[test]
fn bayeux_shows_the_normandie_directory_with_the_bpe_beside() {
    let Some(shared) = shared("bayeux_shows_the_normandie_directory_with_the_bpe_beside") else {
        return;
    };
    let communes = territoire_communes(&shared, "14047");
    let (atlas, _) = loaded();
    // Raw BPE rows of the territoire, their 2019 codes mapped through the COG's former codes.
    let set: HashSet<&str> = communes.iter().map(String::as_str).collect();
    let expected_bpe: f64 = raw_bpe(&shared)
        .iter()
        .filter(|r| r.3 == "D201")
        .filter(|r| set.contains(atlas.successor(&r.1).unwrap_or(&r.1)))
        .map(|r| r.4 as f64)
        .sum();
    let codes: Vec<&str> = communes.iter().map(String::as_str).collect();
    let s = diagnosed(&codes);
    let gp = s[&Profession::GeneralPractitioner].get().unwrap();
    assert_eq!(gp.directory, "normandie-ars-2021");
    let bpe = gp
        .bpe
        .as_ref()
        .expect("BPE beside")
        .get()
        .expect("BPE covers Bayeux");
    assert_eq!(bpe.count, expected_bpe);
    assert!(expected_bpe > 20.0, "{expected_bpe}");
    assert_eq!(bpe.vintage, "2019");
    // A profession the Normandie file does not list: the BPE is the figure.
    let cardio = s[&Profession::Cardiologist].get().unwrap();
    assert_eq!(cardio.directory, "bpe-2019");
    assert!(cardio.bpe.is_none());
}

#[test]
fn trend_2019_2021_is_the_raw_2021_count_and_says_why_not_by_arrondissement() {
    let Some(shared) = shared("trend_2019_2021_is_the_raw_2021_count") else {
        return;
    };
    let (h, rows) = read_rows(
        &shared.join("bpe-insee/bpe21_communes_6_insee_equipements.csv"),
        ';',
    );
    let raw_2021 = |code: &str, column: &str| -> f64 {
        let row = rows.iter().find(|r| r[h["Code"]] == code).expect("commune");
        row[h[column]].trim().parse().expect("count")
    };
    let gp_col = "Médecin généraliste (en nombre) 2021";
    for code in ["23096", "69266", "69123"] {
        let s = diagnosed(&[code]);
        let gp = s[&Profession::GeneralPractitioner].get().unwrap();
        let trend = gp
            .trend
            .as_ref()
            .expect("GPs have a trend")
            .get()
            .expect("available");
        assert_eq!(trend.count_to, raw_2021(code, gp_col), "{code}");
        assert_eq!(trend.count_from, gp.count);
        assert_eq!(trend.change, trend.count_to - trend.count_from);
        assert_eq!((trend.from.as_str(), trend.to.as_str()), ("2019", "2021"));
    }
    let s = diagnosed(&["69381"]);
    let trend = s[&Profession::Nurse].get().unwrap().trend.as_ref().unwrap();
    assert!(trend.get().is_none());
    assert!(trend.reason.as_deref().unwrap().contains("whole communes"));
    // No trend for a profession the 2021 export does not count.
    assert!(s[&Profession::Midwife].get().unwrap().trend.is_none());
}
