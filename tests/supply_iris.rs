//! Supply located by IRIS: a drawn polygon over part of Toulouse counts the BPE 2019 GPs of the
//! IRIS inside (times their covered share of area), checked against sums made here from the
//! raw `bpe19_sante_iris.csv` (`DCIRIS` column), read with a plain split.

mod health_common;

use std::collections::HashMap;

use cpts_atlas::diagnosis::health::supply::{supply, Located, ProfessionSupply};
use cpts_atlas::engine::geometry::equal_area;
use cpts_atlas::model::{Profession, TerritorySpec};
use geo::orient::{Direction, Orient};
use geo::{unary_union, BooleanOps, BoundingRect, MultiPolygon, Polygon};
use health_common::*;

/// Raw BPE 2019 GPs (D201) of Toulouse (31555) by IRIS code (`31555_0101` -> `315550101`).
///
/// awk -F';' '$3=="31555" && $6=="D201"{s+=$7} END{print s}' bpe19_sante_iris.csv  ->  548
fn raw_toulouse_gps(shared: &std::path::Path) -> HashMap<String, f64> {
    let (h, rows) = read_rows(&shared.join("bpe-insee/bpe19_sante_iris.csv"), ';');
    let mut gps = HashMap::new();
    for r in rows
        .iter()
        .filter(|r| r[h["DEPCOM"]] == "31555" && r[h["TYPEQU"]] == "D201")
    {
        *gps.entry(r[h["DCIRIS"]].replace('_', "")).or_default() +=
            r[h["NB_EQUIP"]].parse::<f64>().expect("NB_EQUIP");
    }
    assert_eq!(gps.values().sum::<f64>(), 548.0);
    gps
}

/// The GP supply of a drawn polygon, and Toulouse's covered share of area.
fn gps_of(drawn: MultiPolygon<f64>) -> (ProfessionSupply, f64) {
    let (atlas, health) = loaded();
    let members = atlas
        .resolve(&TerritorySpec::Drawn(drawn))
        .expect("resolves")
        .members;
    let toulouse = members
        .iter()
        .find(|m| m.code == "31555")
        .expect("Toulouse");
    let population: f64 = members.iter().map(|m| m.population_counted).sum();
    let s = supply(atlas, health, &members, population);
    let gp = s[&Profession::GeneralPractitioner]
        .get()
        .expect("BPE covers all of France")
        .clone();
    (gp, toulouse.coverage)
}

/// The stored outline of one IRIS of the shipped layer.
fn outline(code: &str) -> MultiPolygon<f64> {
    let (atlas, _) = loaded();
    let i = atlas.find_iris(code).expect("IRIS shipped");
    atlas.iris(i).geometry.clone().expect("IRIS outline")
}

fn km2(g: &MultiPolygon<f64>) -> f64 {
    equal_area::area_km2(&equal_area::project(g))
}

#[test]
fn a_polygon_equal_to_toulouse_iris_counts_their_bpe_gps() {
    let Some(shared) = shared("a_polygon_equal_to_toulouse_iris_counts_their_bpe_gps") else {
        return;
    };
    let raw = raw_toulouse_gps(&shared);
    let (atlas, _) = loaded();
    // The IRIS of Toulouse's first three quarters (codes 315550[1-3]xx), whole.
    let chosen: Vec<String> = atlas
        .iris_layer()
        .iris
        .iter()
        .filter(|i| i.code.starts_with("31555") && ["01", "02", "03"].contains(&&i.code[5..7]))
        .map(|i| i.code.clone())
        .collect();
    assert!(chosen.len() >= 5, "{}", chosen.len());
    let expected: f64 = chosen.iter().filter_map(|c| raw.get(c)).sum();
    assert!(expected > 20.0, "{expected}");
    let polygons: Vec<Polygon<f64>> = chosen
        .iter()
        .flat_map(|c| outline(c).orient(Direction::Default).0)
        .collect();
    let (gp, coverage) = gps_of(unary_union(&polygons));
    eprintln!(
        "{} IRIS: raw BPE GPs {expected}, counted {:.2} ({:?}); commune share would say {:.1}",
        chosen.len(),
        gp.count,
        gp.located,
        548.0 * coverage
    );
    assert_eq!(gp.located, Located::Iris);
    assert!(gp.estimated);
    // Neighbouring IRIS may lend a sliver along the shared outlines: well under one GP.
    assert!(
        (gp.count - expected).abs() < 0.5,
        "{} vs {expected}",
        gp.count
    );
}

#[test]
fn a_polygon_cutting_an_iris_counts_its_gps_times_the_area_share() {
    let Some(shared) = shared("a_polygon_cutting_an_iris_counts_its_gps_times_the_area_share")
    else {
        return;
    };
    let raw = raw_toulouse_gps(&shared);
    // The IRIS of Toulouse with the most GPs in the raw file (33).
    let code = "315552802";
    let n = raw[code];
    assert_eq!(n, 33.0);
    let whole = outline(code);
    // Its western half (of its bounding box).
    let b = whole.bounding_rect().unwrap();
    let mid = (b.min().x + b.max().x) / 2.0;
    let west = Polygon::new(
        vec![
            (b.min().x - 0.01, b.min().y - 0.01),
            (mid, b.min().y - 0.01),
            (mid, b.max().y + 0.01),
            (b.min().x - 0.01, b.max().y + 0.01),
        ]
        .into(),
        vec![],
    );
    let drawn = whole.intersection(&MultiPolygon(vec![west]));
    let share = km2(&drawn) / km2(&whole);
    assert!(share > 0.1 && share < 0.9, "{share}");
    let (gp, coverage) = gps_of(drawn);
    let expected = n * share;
    eprintln!(
        "share {share:.4} of {code}: expected {expected:.2}, counted {:.2} ({:?}); \
         commune share would say {:.2}",
        gp.count,
        gp.located,
        548.0 * coverage
    );
    assert_eq!(gp.located, Located::Iris);
    assert!(gp.estimated);
    assert!(gp.count > 0.0 && gp.count < n, "{}", gp.count);
    assert!(
        (gp.count - expected).abs() < 0.02 * n,
        "{} vs {expected}",
        gp.count
    );
}

#[test]
fn a_territory_given_as_iris_codes_counts_their_bpe_gps() {
    let Some(shared) = shared("a_territory_given_as_iris_codes_counts_their_bpe_gps") else {
        return;
    };
    let raw = raw_toulouse_gps(&shared);
    let (atlas, health) = loaded();
    // Three IRIS of Toulouse given by code (not drawn): the BPE rows filed under them, whole.
    let codes = ["315552801", "315552802", "315550101"];
    let members = atlas
        .resolve(&TerritorySpec::Codes(
            codes.iter().map(|c| c.to_string()).collect(),
        ))
        .expect("resolves")
        .members;
    assert!(members.iter().all(|m| m.iris));
    let population: f64 = members.iter().map(|m| m.population_counted).sum();
    let s = supply(atlas, health, &members, population);
    let gp = s[&Profession::GeneralPractitioner]
        .get()
        .expect("the BPE locates GPs by IRIS")
        .clone();
    let expected: f64 = codes.iter().filter_map(|c| raw.get(*c)).sum();
    assert!(expected > 30.0, "{expected}");
    assert_eq!(gp.count, expected);
    assert_eq!(gp.located, Located::Iris);
    assert!(!gp.estimated);
}
