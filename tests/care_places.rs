//! Care places (INSEE BPE 2019) of Guéret, a rural Creuse commune, Villeurbanne and Lyon:
//! counts inside against sums of the raw `bpe19_sante_iris.csv`, the nearest place outside
//! against a brute-force search over every commune holding the type, and the 30 km flag.

mod health_common;

use std::collections::{BTreeMap, HashMap};

use cpts_atlas::diagnosis::health::care_places::care_places;
use cpts_atlas::diagnosis::health::hospitals::hospitals;
use cpts_atlas::diagnosis::health::partners::{partners, NAME_NOT_AVAILABLE};
use cpts_atlas::engine::geometry::great_circle::distance_km;
use cpts_atlas::engine::{distance_to_outline_km, Atlas, CommuneRef};
use cpts_atlas::model::{CarePlace, TerritoryMember, TerritorySpec};
use geo::{Centroid, CoordsIter};
use health_common::*;

/// The BPE types of each care place, written here from INSEE's nomenclature (README of the
/// shared data), independently of the crate's taxonomy.
const TYPES: &[(&str, &[&str])] = &[
    ("emergency", &["D106"]),
    ("maternity", &["D107"]),
    ("short_stay", &["D101"]),
    ("follow_up_care", &["D102"]),
    ("long_stay", &["D103"]),
    ("psychiatry", &["D104", "D109"]),
    ("home_hospitalisation", &["D112"]),
    ("dialysis", &["D111"]),
    ("cancer_centre", &["D105"]),
    ("msp", &["D113"]),
    ("health_centre", &["D108"]),
    ("ehpad", &["D401"]),
    ("elderly_home_nursing", &["D402"]),
    ("elderly_home_help", &["D403"]),
    ("elderly_meals", &["D404"]),
    ("disabled_children_accommodation", &["D601"]),
    ("disabled_children_home_care", &["D602"]),
    ("disabled_adults_accommodation", &["D603"]),
    ("disabled_adults_services", &["D604"]),
    ("sheltered_work", &["D605"]),
    ("disabled_adults_home_care", &["D606"]),
    ("pharmacy", &["D301"]),
    ("laboratory", &["D302"]),
];

/// Raw BPE 2019 sums by (DEPCOM as published, TYPEQU).
fn raw_bpe(shared: &std::path::Path) -> HashMap<(String, String), u32> {
    let (h, rows) = read_rows(&shared.join("bpe-insee/bpe19_sante_iris.csv"), ';');
    let (com, typ, nb) = (h["DEPCOM"], h["TYPEQU"], h["NB_EQUIP"]);
    let mut sums = HashMap::new();
    for r in rows {
        *sums.entry((r[com].clone(), r[typ].clone())).or_default() += r[nb].parse::<u32>().unwrap();
    }
    sums
}

fn resolve(atlas: &Atlas, codes: &[&str]) -> Vec<TerritoryMember> {
    let spec = TerritorySpec::Codes(codes.iter().map(|c| c.to_string()).collect());
    atlas.resolve(&spec).unwrap().members
}

/// Brute force: every raw DEPCOM holding a type, mapped to its current commune (merged ones
/// through the COG history) and located at the geometric centroid of its outline (Lyon's
/// arrondissements at theirs); the smallest distance to any member outline, ties to the
/// smaller code. Returns (code, count, distance).
fn brute_nearest(
    atlas: &Atlas,
    raw: &HashMap<(String, String), u32>,
    typequ: &[&str],
    excluded: &[String],
    members: &[TerritoryMember],
) -> Option<(String, u32, f64)> {
    let mut holding: BTreeMap<String, u32> = BTreeMap::new();
    for ((code, t), n) in raw {
        if !typequ.contains(&t.as_str()) {
            continue;
        }
        let current = match atlas.find(code) {
            Some(_) => code.clone(),
            None => match atlas.successor(code) {
                Some(s) => s.to_string(),
                None => continue,
            },
        };
        *holding.entry(current).or_default() += n;
    }
    let outlines: Vec<_> = members
        .iter()
        .filter_map(|m| atlas.commune(m.commune_index).geometry.as_ref())
        .collect();
    let mut best: Option<(String, u32, f64)> = None;
    for (code, n) in holding {
        if excluded.contains(&code) {
            continue;
        }
        let outline = match atlas.find(&code) {
            Some(CommuneRef::Commune(i)) => atlas.commune(i).geometry.as_ref(),
            Some(CommuneRef::Arrondissement(a)) => {
                atlas.arrondissement_outline(&code).or_else(|| {
                    match atlas.find(&atlas.arrondissement(a).commune) {
                        Some(CommuneRef::Commune(i)) => atlas.commune(i).geometry.as_ref(),
                        _ => None,
                    }
                })
            }
            None => None,
        };
        let Some(c) = outline.and_then(|o| o.centroid()) else {
            continue;
        };
        let d = outlines
            .iter()
            .map(|o| distance_to_outline_km(o, (c.x(), c.y())))
            .fold(f64::INFINITY, f64::min);
        if best.as_ref().is_none_or(|b| d < b.2) {
            best = Some((code, n, d));
        }
    }
    best
}

/// Checks every type of a territory against the raw file and the brute force; returns the
/// flags (type, none within 30 km) for the callers' own checks.
fn check(codes: &[&str], expected_codes: &[&str]) -> BTreeMap<&'static str, (u32, bool)> {
    let Some(shared) = shared("care_places") else {
        return BTreeMap::new();
    };
    let raw = raw_bpe(&shared);
    let (atlas, health) = loaded();
    let members = resolve(atlas, codes);
    let places = care_places(atlas, health, &members);
    let excluded: Vec<String> = expected_codes.iter().map(|c| c.to_string()).collect();
    let mut flags = BTreeMap::new();
    for (id, typequ) in TYPES {
        let place = CarePlace::ALL.into_iter().find(|p| p.id() == *id).unwrap();
        let got = places[&place].get().expect("BPE 2019 is shipped");
        let expected: u32 = expected_codes
            .iter()
            .flat_map(|c| typequ.iter().map(move |t| (c.to_string(), t.to_string())))
            .filter_map(|k| raw.get(&k))
            .sum();
        assert_eq!(got.inside, expected, "{codes:?} {id} inside");
        let brute = brute_nearest(atlas, &raw, typequ, &excluded, &members);
        match (&got.nearest_outside, &brute) {
            (Some(n), Some((code, count, d))) if *d <= 200.0 => {
                assert!(
                    (n.distance_km - d).abs() < 1e-9,
                    "{codes:?} {id}: {} vs {d}",
                    n.distance_km
                );
                // Ties aside, the same commune.
                if n.code != *code {
                    panic!(
                        "{codes:?} {id}: nearest {} ({}) vs brute force {code} ({d})",
                        n.code, n.distance_km
                    );
                }
                assert_eq!(n.count, *count, "{codes:?} {id} count at {code}");
            }
            (None, Some((_, _, d))) => assert!(*d > 200.0, "{codes:?} {id}: none found, brute {d}"),
            (None, None) => {}
            (n, b) => panic!("{codes:?} {id}: {n:?} vs {b:?}"),
        }
        let flag = expected == 0 && brute.as_ref().is_none_or(|b| b.2 > 30.0);
        assert_eq!(got.none_within_30_km, flag, "{codes:?} {id} flag");
        assert!(got.source.contains("Base permanente des équipements"));
        assert_eq!(got.vintage, "2019");
        flags.insert(*id, (expected, flag));
    }
    flags
}

#[test]
fn gueret_has_an_emergency_service_inside() {
    let Some(shared) = shared("gueret_emergency") else {
        return;
    };
    // The raw file lists urgences (D106) in Guéret: awk -F';' '$3=="23096" && $6=="D106"'.
    let raw = raw_bpe(&shared);
    let d106 = raw
        .get(&("23096".to_string(), "D106".to_string()))
        .copied()
        .unwrap_or(0);
    assert!(d106 >= 1, "raw D106 rows for 23096");
    let flags = check(&["23096"], &["23096"]);
    assert_eq!(flags["emergency"], (d106, false));
}

#[test]
fn rural_creuse_commune_counts_nearest_and_flags_match_brute_force() {
    // 23079 has no D106, D107 nor D105 in the raw file; its nearest emergency is Guéret's or
    // another, at the brute-force distance; the flag is set both ways over the types.
    let flags = check(&["23079"], &["23079"]);
    if flags.is_empty() {
        return;
    }
    assert_eq!(flags["emergency"].0, 0);
    assert!(
        flags.values().any(|&(n, f)| n == 0 && f),
        "some type flagged: {flags:?}"
    );
    assert!(
        flags.values().any(|&(n, f)| n == 0 && !f),
        "some type absent but within 30 km: {flags:?}"
    );
}

#[test]
fn villeurbanne_and_lyon_match_the_raw_sums() {
    let flags = check(&["69266"], &["69266"]);
    if flags.is_empty() {
        return;
    }
    assert!(flags["emergency"].0 >= 1);
    assert!(flags.values().all(|&(_, f)| !f) || flags["cancer_centre"].1);
    // Lyon as a whole commune: its nine arrondissements' rows.
    let lyon: Vec<String> = (1..=9).map(|i| format!("6938{i}")).collect();
    let lyon_refs: Vec<&str> = lyon.iter().map(String::as_str).collect();
    let mut excluded = lyon_refs.clone();
    excluded.push("69123");
    check(&["69123"], &excluded);
    // And one arrondissement: places of the others are outside.
    check(&["69383"], &["69383"]);
}

#[test]
fn a_territory_of_several_communes_sums_its_members() {
    let codes = ["23096", "23079", "23176", "23247"];
    check(&codes, &codes);
}

#[test]
fn partners_list_hospitals_by_name_and_the_rest_unnamed() {
    let Some(shared) = shared("partners") else {
        return;
    };
    let raw = raw_bpe(&shared);
    let (atlas, health) = loaded();
    let members = resolve(atlas, &["23096"]);
    let h = hospitals(atlas, health, &members);
    let p = partners(atlas, health, &members, &h);
    assert_eq!(p.names_cover, "hospitals");
    assert!(!p.complete);
    assert!(
        p.establishments.iter().any(|e| e.name.contains("GUERET")),
        "{:?}",
        p.establishments
    );
    // Every partner type's raw count in Guéret is listed, médico-social ones without name.
    let ehpad = p
        .bpe_counts
        .iter()
        .find(|c| c.place == CarePlace::Ehpad)
        .unwrap();
    assert_eq!(ehpad.count, raw[&("23096".to_string(), "D401".to_string())]);
    assert_eq!(ehpad.names, NAME_NOT_AVAILABLE);
    let total: u32 = p.bpe_counts.iter().map(|c| c.count).sum();
    let expected: u32 = TYPES
        .iter()
        .filter(|(id, _)| !matches!(*id, "pharmacy" | "laboratory"))
        .flat_map(|(_, t)| t.iter())
        .filter_map(|t| raw.get(&("23096".to_string(), t.to_string())))
        .sum();
    assert_eq!(total, expected);
    assert!(p.bpe_counts.iter().all(|c| c.place.is_partner()));
}

#[test]
fn brute_force_distances_agree_with_haversine_to_the_vertices() {
    // The engine's outline distance (local plane) against great-circle distances to the
    // outline's vertices: an edge is never farther than its vertices, and within 1 km here.
    let (atlas, health) = loaded();
    let members = resolve(atlas, &["23079"]);
    let places = care_places(atlas, health, &members);
    let Some(e) = places[&CarePlace::Emergency].get() else {
        eprintln!("SKIPPED: no BPE table shipped");
        return;
    };
    let n = e.nearest_outside.as_ref().unwrap();
    let CommuneRef::Commune(i) = atlas.find(&n.code).unwrap() else {
        panic!()
    };
    let c = atlas
        .commune(i)
        .geometry
        .as_ref()
        .unwrap()
        .centroid()
        .unwrap();
    let outline = atlas
        .commune(members[0].commune_index)
        .geometry
        .as_ref()
        .unwrap();
    let vertex = outline
        .coords_iter()
        .map(|v| distance_km((v.x, v.y), (c.x(), c.y())))
        .fold(f64::INFINITY, f64::min);
    assert!(
        n.distance_km <= vertex * 1.005 && n.distance_km > vertex - 1.0,
        "{} vs {vertex}",
        n.distance_km
    );
}

#[test]
fn nearest_outside_equals_brute_force_on_seeded_random_places() {
    use cpts_atlas::engine::{CarePlaceIndex, CommunesDistance};
    let (atlas, health) = loaded();
    let mut rng = common_rng();
    let n = atlas.communes().len();
    // 300 random communes hold an emergency service (D106), 3 000 a pharmacy (D301).
    let codes: Vec<(String, &str)> = (0..3300)
        .map(|k| {
            let c = atlas.commune(rng.below(n)).code.clone();
            (c, if k < 300 { "D106" } else { "D301" })
        })
        .collect();
    let index = CarePlaceIndex::new(
        atlas,
        health.centroids(),
        codes.iter().map(|(c, t)| (c.as_str(), None, *t, 1)),
    );
    for _ in 0..40 {
        // A random commune and up to 5 others drawn near it.
        let first = rng.below(n);
        let Some(centre) = health.centroids().centroid(first) else {
            continue;
        };
        let mut members: Vec<usize> = health.centroids().within_km(centre, 15.0).take(6).collect();
        members.sort();
        members.dedup();
        let reach = CommunesDistance::new(atlas, health.centroids(), &members);
        let member_codes: Vec<&str> = members
            .iter()
            .map(|&i| atlas.commune(i).code.as_str())
            .collect();
        for place in [CarePlace::Emergency, CarePlace::Pharmacy] {
            let got =
                index.nearest_outside(place, &reach, |u| !member_codes.contains(&u.code.as_str()));
            let brute = index
                .units(place)
                .iter()
                .filter(|u| !member_codes.contains(&u.code.as_str()))
                .filter_map(|u| Some((reach.distance_km(u.point)?, u.code.clone())))
                .filter(|(d, _)| *d <= 200.0)
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            match (got, brute) {
                (Some(g), Some((d, code))) => {
                    assert_eq!(g.distance_km, d);
                    assert_eq!(g.unit.code, code);
                }
                (None, None) => {}
                (g, b) => panic!(
                    "{:?} vs {b:?}",
                    g.map(|g| (g.distance_km, g.unit.code.clone()))
                ),
            }
        }
    }
}

/// The seeded generator of the shared test helpers.
fn common_rng() -> Rng {
    Rng(0x5eed_ca5e)
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}
