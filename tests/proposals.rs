//! ARS proposals on the real PACA data: commune adjacency against `geo`'s DE-9IM relation on
//! the raw IGN polygons, and the candidate territories against the raw COG and ARS membership
//! (every uncovered commune in exactly one candidate, contiguous, no registry CPTS crossed,
//! sizes within bounds or the reason reported, determinism).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;

use cpts_atlas::diagnosis::{
    propose, DiagnosisContext, DiagnosisOptions, FundingGrid, PoleRule, Proposal,
};
use cpts_atlas::engine::{
    Atlas, CommuneRef, CoverageScope, ProposalError, ProposalRules, RegistryIndex, SizeStatus,
};
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::{AreaBasis, Registry, RegistryArea};
use geo::{coordinate_position::CoordPos, dimensions::Dimensions, Geometry, Relate};

const PACA: [&str; 6] = ["04", "05", "06", "13", "83", "84"];

/// A registry declaring `departements` free of CPTS: every commune there is a white zone.
fn no_cpts(atlas: &Atlas, departements: &[&str]) -> RegistryIndex {
    let source = "no CPTS (test registry)".to_string();
    let area = RegistryArea {
        id: "no-cpts".into(),
        source: source.clone(),
        departements: departements.iter().map(|d| d.to_string()).collect(),
        basis: AreaBasis::Declared,
        cpts: 0,
    };
    let registry = Registry {
        source,
        cpts: vec![],
        areas: vec![area],
    };
    RegistryIndex::new(atlas, registry).unwrap()
}

fn shipped_registry(atlas: &Atlas) -> RegistryIndex {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    RegistryIndex::new(
        atlas,
        cpts_atlas::loaders::registry::read_registries(&[data.join(DEFAULT_REGISTRY_FILE)])
            .expect("registry"),
    )
    .expect("registry")
}

fn run(
    atlas: &Atlas,
    registry: &RegistryIndex,
    scope: CoverageScope,
    rules: &ProposalRules,
) -> Proposal {
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: Vec::new(),
    };
    propose(
        &DiagnosisContext::new(atlas),
        registry,
        &options,
        &scope,
        rules,
        PoleRule::Population,
    )
    .expect("proposal")
}

/// Raw COG: current commune code -> (département, population), and former code -> current.
fn raw_cog(shared: &Path) -> (HashMap<String, (String, u64)>, HashMap<String, String>) {
    let mut current = HashMap::new();
    let mut successor = HashMap::new();
    for c in common::raw_json(&shared.join("cog-2026/communes.json"))
        .as_array()
        .unwrap()
    {
        if c["type"] != "commune-actuelle" {
            continue;
        }
        let code = c["code"].as_str().unwrap().to_string();
        for old in c["anciensCodes"].as_array().into_iter().flatten() {
            successor.insert(old.as_str().unwrap().to_string(), code.clone());
        }
        current.insert(
            code,
            (
                c["departement"].as_str().unwrap().to_string(),
                c["population"].as_u64().unwrap_or(0),
            ),
        );
    }
    (current, successor)
}

/// Communes the raw ARS membership file lists (any CPTS, in whole or in part), current codes.
fn raw_held(shared: &Path, successor: &HashMap<String, String>) -> BTreeSet<String> {
    std::fs::read_to_string(shared.join("cpts-paca-2026/cpts_paca_2026_commune_membership.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let code = line
                .split(',')
                .nth(1)
                .unwrap()
                .trim_matches('"')
                .to_string();
            successor.get(&code).cloned().unwrap_or(code)
        })
        .collect()
}

fn index(atlas: &Atlas, code: &str) -> usize {
    match atlas.find(code) {
        Some(CommuneRef::Commune(i)) => i,
        other => panic!("{code}: {other:?}"),
    }
}

/// Connected components of `set` in the atlas adjacency.
fn components(atlas: &Atlas, set: &BTreeSet<usize>) -> Vec<BTreeSet<usize>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for &start in set {
        if !seen.insert(start) {
            continue;
        }
        let mut component = BTreeSet::from([start]);
        let mut queue = VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            for n in atlas.adjacency().neighbours(u) {
                if set.contains(&n.commune) && seen.insert(n.commune) {
                    component.insert(n.commune);
                    queue.push_back(n.commune);
                }
            }
        }
        out.push(component);
    }
    out
}

#[test]
fn adjacency_is_the_shared_boundary_of_the_raw_ign_polygons() {
    let Some(shared) = common::shared_data("adjacency_is_the_shared_boundary") else {
        return;
    };
    let atlas = common::atlas();
    for file in [
        "communes-13-bouches-du-rhone.geojson",
        "communes-84-vaucluse.geojson",
    ] {
        let raw = common::raw_json(&shared.join("communes-2018-ign/departements").join(file));
        let mut polygons: Vec<(String, Geometry<f64>)> = Vec::new();
        for f in raw["features"].as_array().unwrap() {
            let code = f["properties"]["code"].as_str().unwrap().to_string();
            // 2018 communes merged since have been dissolved: compare current communes only.
            if !matches!(atlas.find(&code), Some(CommuneRef::Commune(_))) {
                continue;
            }
            let g: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
            polygons.push((code, Geometry::try_from(g).unwrap()));
        }
        let rects: Vec<geo::Rect<f64>> = polygons
            .iter()
            .map(|(_, g)| geo::BoundingRect::bounding_rect(g).unwrap())
            .collect();
        let mut expected = BTreeSet::new();
        let mut touching_at_points = 0;
        for a in 0..polygons.len() {
            for b in a + 1..polygons.len() {
                let (ra, rb) = (rects[a], rects[b]);
                if ra.max().x < rb.min().x
                    || rb.max().x < ra.min().x
                    || ra.max().y < rb.min().y
                    || rb.max().y < ra.min().y
                {
                    continue;
                }
                let matrix = polygons[a].1.relate(&polygons[b].1);
                assert_eq!(
                    matrix.get(CoordPos::Inside, CoordPos::Inside),
                    Dimensions::Empty,
                    "{} and {} overlap",
                    polygons[a].0,
                    polygons[b].0
                );
                match matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary) {
                    Dimensions::OneDimensional => {
                        let (x, y) = (&polygons[a].0, &polygons[b].0);
                        expected.insert((x.min(y).clone(), x.max(y).clone()));
                    }
                    Dimensions::ZeroDimensional => touching_at_points += 1,
                    _ => {}
                }
            }
        }
        let codes: BTreeSet<&str> = polygons.iter().map(|(c, _)| c.as_str()).collect();
        let mut found = BTreeSet::new();
        for code in &codes {
            let i = index(atlas, code);
            for n in atlas.adjacency().neighbours(i) {
                let other = &atlas.commune(n.commune).code;
                if code < &other.as_str() && codes.contains(other.as_str()) {
                    assert!(n.border_km > 0.0);
                    found.insert((code.to_string(), other.clone()));
                }
            }
        }
        assert_eq!(found, expected, "{file}");
        assert!(expected.len() > 250, "{file}: {}", expected.len());
        eprintln!(
            "{file}: {} neighbouring pairs, {touching_at_points} pairs touching at points only",
            expected.len()
        );
    }
}

#[test]
fn islands_are_the_communes_without_neighbours() {
    let atlas = common::atlas();
    let isolated: BTreeSet<&str> = atlas
        .communes()
        .iter()
        .enumerate()
        .filter(|(i, c)| c.geometry.is_some() && atlas.adjacency().neighbours(*i).is_empty())
        .map(|(_, c)| c.code.as_str())
        .collect();
    // Île-de-Sein, Ouessant, Molène, Batz, Bréhat, Groix, Houat, Hœdic, Île-aux-Moines, Arz,
    // Yeu, Aix, and three of Guadeloupe's islands.
    let known = [
        "17004", "22016", "29082", "29083", "29084", "29155", "56069", "56085", "56086", "56087",
        "56088", "85113", "97110", "97130", "97131",
    ];
    assert_eq!(isolated, known.into_iter().collect());
}

#[test]
fn paca_proposals_cover_every_uncovered_commune_once_without_crossing_a_cpts() {
    let Some(shared) = common::shared_data("paca_proposals") else {
        return;
    };
    let atlas = common::atlas();
    let registry = shipped_registry(atlas);
    let (cog, successor) = raw_cog(&shared);
    let held = raw_held(&shared, &successor);
    let rules = ProposalRules::default();
    let mut total_candidates = 0;
    for dep in PACA {
        let uncovered: BTreeSet<String> = cog
            .iter()
            .filter(|(code, (d, _))| d == dep && !held.contains(*code))
            .map(|(code, _)| code.clone())
            .collect();
        let proposal = run(
            atlas,
            &registry,
            CoverageScope::Departement(dep.into()),
            &rules,
        );
        check(atlas, &proposal, &uncovered, &cog, &held, &rules);
        total_candidates += proposal.candidates.len();
    }
    assert!(total_candidates >= 4, "{total_candidates}");
}

#[test]
fn whole_departements_without_registry_are_cut_within_bounds() {
    let Some(shared) = common::shared_data("whole_departements_without_registry") else {
        return;
    };
    let atlas = common::atlas();
    let empty = no_cpts(atlas, &PACA);
    let (cog, _) = raw_cog(&shared);
    let rules = ProposalRules::default();
    for dep in PACA {
        let all: BTreeSet<String> = cog
            .iter()
            .filter(|(_, (d, _))| d == dep)
            .map(|(code, _)| code.clone())
            .collect();
        let proposal = run(
            atlas,
            &empty,
            CoverageScope::Departement(dep.into()),
            &rules,
        );
        check(atlas, &proposal, &all, &cog, &BTreeSet::new(), &rules);
        let within = proposal
            .candidates
            .iter()
            .filter(|c| c.size_status == SizeStatus::Within)
            .count();
        assert!(
            within * 10 >= proposal.candidates.len() * 8,
            "{dep}: {within} of {} within bounds",
            proposal.candidates.len()
        );
    }
    // Région scope: candidates may cross départements, never the région.
    let region = run(atlas, &empty, CoverageScope::Region("93".into()), &rules);
    let all: BTreeSet<String> = cog
        .iter()
        .filter(|(_, (d, _))| PACA.contains(&d.as_str()))
        .map(|(code, _)| code.clone())
        .collect();
    check(atlas, &region, &all, &cog, &BTreeSet::new(), &rules);
}

#[test]
fn proposals_are_deterministic_and_follow_the_rules() {
    let atlas = common::atlas();
    let empty = no_cpts(atlas, &PACA);
    let scope = CoverageScope::Region("93".into());
    let rules = ProposalRules::default();
    let a = serde_json::to_string(&run(atlas, &empty, scope.clone(), &rules)).unwrap();
    let b = serde_json::to_string(&run(atlas, &empty, scope.clone(), &rules)).unwrap();
    assert_eq!(a, b);
    // A higher target gives fewer, larger candidates.
    let small = run(atlas, &empty, scope.clone(), &rules);
    let large = run(
        atlas,
        &empty,
        scope.clone(),
        &ProposalRules {
            target_population: 150_000,
            ..rules.clone()
        },
    );
    assert!(large.candidates.len() < small.candidates.len());
    // Bad rules and scopes are refused.
    let bad = |r: ProposalRules| {
        empty
            .propose(atlas, &scope, &r, &|_| 0.0)
            .expect_err("refused")
    };
    assert!(matches!(
        bad(ProposalRules {
            min_population: 300_000,
            ..rules.clone()
        }),
        ProposalError::Sizes { .. }
    ));
    assert!(matches!(
        bad(ProposalRules {
            island_reach_km: f64::NAN,
            ..rules.clone()
        }),
        ProposalError::Reach(_)
    ));
    assert!(matches!(
        empty.propose(
            atlas,
            &CoverageScope::Departement("00".into()),
            &rules,
            &|_| 0.0
        ),
        Err(ProposalError::Scope(_))
    ));
}

#[test]
fn an_island_under_the_minimum_joins_the_nearest_candidate_across_water() {
    let atlas = common::atlas();
    let empty = no_cpts(atlas, &["29"]);
    let proposal = run(
        atlas,
        &empty,
        CoverageScope::Departement("29".into()),
        &ProposalRules::default(),
    );
    for island in ["29083", "29155", "29084", "29082"] {
        let holder = proposal
            .candidates
            .iter()
            .find(|c| c.codes.iter().any(|c| c == island))
            .unwrap_or_else(|| panic!("{island} in no candidate"));
        assert!(holder.across_water.iter().any(|c| c == island), "{island}");
        assert!(
            holder
                .cut_reasons
                .iter()
                .any(|r| r.contains("across water")),
            "{:?}",
            holder.cut_reasons
        );
        assert!(holder.codes.len() > 1);
    }
}

/// The invariants of a proposal over `expected` (the uncovered communes, from the raw files).
fn check(
    atlas: &Atlas,
    proposal: &Proposal,
    expected: &BTreeSet<String>,
    cog: &HashMap<String, (String, u64)>,
    held: &BTreeSet<String>,
    rules: &ProposalRules,
) {
    let scope = format!("{:?}", proposal.scope);
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let expected_idx: BTreeSet<usize> = expected.iter().map(|c| index(atlas, c)).collect();
    let whole_components = components(atlas, &expected_idx);
    for c in &proposal.candidates {
        let communes: Vec<&str> = c
            .codes
            .iter()
            .map(String::as_str)
            .filter(|code| matches!(atlas.find(code), Some(CommuneRef::Commune(_))))
            .collect();
        for code in &communes {
            if let Some(other) = seen.insert(code, &c.id) {
                panic!("{scope}: {code} in {other} and {}", c.id);
            }
            assert!(
                !held.contains(*code),
                "{scope}: {code} is held by a registry CPTS"
            );
        }
        // Population: the raw COG's (arrondissement candidates are checked by the API test).
        if communes.len() == c.codes.len() {
            let raw: u64 = communes.iter().map(|code| cog[*code].1).sum();
            assert_eq!(c.population, raw, "{scope} {}", c.id);
        }
        // Contiguous: members reachable from the pole through members (islands apart).
        let members: BTreeSet<usize> = communes
            .iter()
            .filter(|code| !c.across_water.iter().any(|w| w == *code))
            .map(|code| index(atlas, code))
            .collect();
        if !members.is_empty() {
            assert_eq!(
                components(atlas, &members).len(),
                1,
                "{scope}: {} is not contiguous",
                c.id
            );
        }
        // Sizes: within bounds, or the geography made it impossible, said in the reasons.
        match c.size_status {
            SizeStatus::Within => assert!(
                (rules.min_population..=rules.max_population).contains(&c.population),
                "{scope} {}",
                c.id
            ),
            SizeStatus::BelowMinimum => {
                assert!(c.population < rules.min_population);
                let component = whole_components
                    .iter()
                    .find(|k| members.iter().all(|m| k.contains(m)))
                    .expect("inside one component");
                let component_population: u64 = component
                    .iter()
                    .map(|&i| atlas.commune(i).population.unwrap_or(0))
                    .sum();
                let enclosed = component_population < rules.min_population;
                let blocked = c.cut_reasons.iter().any(|r| r.contains("still below"));
                assert!(
                    enclosed || blocked || members.is_empty(),
                    "{scope} {}: below the minimum without reason: {:?}",
                    c.id,
                    c.cut_reasons
                );
                if enclosed && !members.is_empty() {
                    assert_eq!(component, &members, "{scope} {}: the whole component", c.id);
                    assert!(c
                        .cut_reasons
                        .iter()
                        .any(|r| r.contains("below the minimum")));
                }
            }
            SizeStatus::AboveMaximum => {
                assert!(c.population > rules.max_population);
                assert_eq!(communes.len(), 1, "{scope} {}: only a single commune", c.id);
                assert!(c
                    .cut_reasons
                    .iter()
                    .any(|r| r.contains("exceeds the maximum")));
            }
        }
        assert!(
            c.cut_reasons[0].starts_with("pole: "),
            "{:?}",
            c.cut_reasons
        );
        assert_eq!(
            c.tier,
            cpts_atlas::diagnosis::PopulationTier::from_population(c.population)
        );
    }
    let got: BTreeSet<&str> = seen.keys().copied().collect();
    let want: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(
        got, want,
        "{scope}: every uncovered commune in exactly one candidate"
    );
    assert_eq!(proposal.uncovered_communes, expected.len());
}

#[test]
fn cli_propose_prints_json_and_refuses_bad_rules() {
    let bin = env!("CARGO_BIN_EXE_cpts-atlas");
    let out = std::process::Command::new(bin)
        .args(["propose", "--departement", "04", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let atlas = common::atlas();
    let registry = shipped_registry(atlas);
    let report = registry
        .coverage(atlas, &CoverageScope::Departement("04".into()))
        .unwrap();
    assert_eq!(p["uncovered_communes"], report.uncovered_communes);
    let bad = std::process::Command::new(bin)
        .args([
            "propose",
            "--departement",
            "04",
            "--min",
            "90000",
            "--max",
            "50000",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("min_population"));
    let no_scope = std::process::Command::new(bin)
        .arg("propose")
        .output()
        .unwrap();
    assert_eq!(no_scope.status.code(), Some(2));
}
