//! INSEE BPE 2019 as shipped (`data/supply/bpe-2019.csv`): totals checked against sums made
//! here from the raw `bpe19_sante_iris.csv`, read with a plain split (not the crate's loader).

mod health_common;

use std::collections::BTreeMap;

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
