//! The ARS PACA 2026 registry against the raw sources: populations, overlaps, uncovered
//! communes, candidate checks. Expected values are computed here from the raw JSON/CSV files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use cpts_atlas::diagnosis::{
    diagnose, registry_overlaps, DiagnosisContext, DiagnosisOptions, FundingGrid,
};
use cpts_atlas::engine::{
    drawn_from_geojson, Atlas, CoverageScope, DrawnLimits, Estimate, OverlapKind, RegistryIndex,
};
use cpts_atlas::loaders::registry::{import_paca_registry, load_registry, DEFAULT_REGISTRY_FILE};
use cpts_atlas::model::TerritorySpec;
use serde_json::Value;

fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.join("cpts-paca-2026").exists() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/data not found (the raw sources); these tests need it");
        None
    }
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The raw COG: code -> (population, type, parent commune, departement), and former codes.
struct Cog {
    population: HashMap<String, u64>,
    departement: HashMap<String, String>,
    arrondissement_of: HashMap<String, String>,
    successor: HashMap<String, String>,
    current: BTreeSet<String>,
}

fn read_cog(shared: &Path) -> Cog {
    let raw: Vec<Value> =
        serde_json::from_slice(&std::fs::read(shared.join("cog-2026/communes.json")).unwrap())
            .unwrap();
    let mut cog = Cog {
        population: HashMap::new(),
        departement: HashMap::new(),
        arrondissement_of: HashMap::new(),
        successor: HashMap::new(),
        current: BTreeSet::new(),
    };
    for c in &raw {
        let code = c["code"].as_str().unwrap().to_string();
        let population = c["population"].as_u64();
        match c["type"].as_str().unwrap() {
            "commune-actuelle" => {
                cog.current.insert(code.clone());
                cog.departement
                    .insert(code.clone(), c["departement"].as_str().unwrap().into());
                cog.population.insert(code.clone(), population.unwrap_or(0));
                for old in c["anciensCodes"].as_array().into_iter().flatten() {
                    cog.successor
                        .insert(old.as_str().unwrap().to_string(), code.clone());
                }
            }
            "arrondissement-municipal" => {
                cog.population.insert(code.clone(), population.unwrap());
                cog.arrondissement_of
                    .insert(code, c["commune"].as_str().unwrap().into());
            }
            _ => {}
        }
    }
    cog
}

/// The raw membership CSV: (cpts name, commune code, arrondissements, infra flag).
fn read_membership(shared: &Path) -> Vec<(String, String, Vec<String>, bool)> {
    let text = std::fs::read_to_string(
        shared.join("cpts-paca-2026/cpts_paca_2026_commune_membership.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            // The file quotes every text field and holds no comma inside quotes.
            let f: Vec<String> = line
                .split(',')
                .map(|s| s.trim_matches('"').to_string())
                .collect();
            (
                f[0].clone(),
                f[1].clone(),
                f[3].split_whitespace().map(String::from).collect(),
                f[4] == "1",
            )
        })
        .collect()
}

fn shipped(atlas: &Atlas) -> RegistryIndex {
    RegistryIndex::new(
        atlas,
        cpts_atlas::loaders::registry::read_registries(&[data_dir().join(DEFAULT_REGISTRY_FILE)])
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn shipped_registry_is_the_raw_listing() {
    let Some(shared) = shared_data() else { return };
    let imported = import_paca_registry(&shared.join("cpts-paca-2026")).unwrap();
    let shipped = load_registry(&data_dir().join(DEFAULT_REGISTRY_FILE)).unwrap();
    assert_eq!(imported, shipped, "re-run `cpts-atlas import`");
    assert_eq!(shipped.cpts.len(), 70);
    let ids: BTreeSet<&str> = shipped.cpts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 70, "ids are unique");
}

#[test]
fn population_of_each_cpts_is_the_sum_of_its_members() {
    let Some(shared) = shared_data() else { return };
    let cog = read_cog(&shared);
    let listing: Vec<Value> = serde_json::from_slice(
        &std::fs::read(shared.join("cpts-paca-2026/cpts_paca_2026_communes.json")).unwrap(),
    )
    .unwrap();
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = shipped(&atlas);
    let by_name: HashMap<&str, _> = registry
        .cpts()
        .iter()
        .map(|c| (c.cpts.name.as_str(), c))
        .collect();
    for entry in &listing {
        let name = entry["nom"].as_str().unwrap();
        let arrondissements: Vec<&str> = entry["arrondissements"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| a.as_str().unwrap())
            .collect();
        let divided: BTreeSet<&str> = arrondissements
            .iter()
            .map(|a| cog.arrondissement_of[*a].as_str())
            .collect();
        // Member units: arrondissements where given, else communes (former codes mapped).
        let mut units: BTreeSet<String> = arrondissements.iter().map(|a| a.to_string()).collect();
        for c in entry["communes"].as_array().unwrap() {
            let code = c.as_str().unwrap();
            if divided.contains(code) {
                continue;
            }
            let current = if cog.current.contains(code) {
                code.to_string()
            } else {
                cog.successor[code].clone()
            };
            units.insert(current);
        }
        let expected: u64 = units.iter().map(|u| cog.population[u]).sum();
        let cpts = by_name[name];
        assert_eq!(cpts.population, expected, "{name}");
        assert_eq!(cpts.members.len(), units.len(), "{name}");
    }
    // Guil Durance lists 05120, merged into 05001, which it also lists: counted once, noted.
    let guil = by_name["CPTS Guil Durance"];
    assert!(
        guil.notes.iter().any(|n| n.contains("05120")),
        "{:?}",
        guil.notes
    );
    // Nice's population counts whole in each CPTS splitting it, and says so.
    let nice = cog.population["06088"];
    for name in [
        "CPTS Nice Centre - Nice Est",
        "CPTS Nice Nord et ses Collines",
        "CPTS Nice ouest Vallée",
    ] {
        assert_eq!(by_name[name].population_in_split_communes, nice, "{name}");
    }
}

#[test]
fn overlaps_of_the_registry_are_the_communes_listed_twice() {
    let Some(shared) = shared_data() else { return };
    let rows = read_membership(&shared);
    // Independent expectation: pairs of CPTS listing the same commune; with arrondissements,
    // only if they share one; infra-communal in both = declared split, else conflict.
    let mut expected: BTreeMap<(String, String), (OverlapKind, Vec<String>)> = BTreeMap::new();
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            if a.0 == b.0 || a.1 != b.1 {
                continue;
            }
            if !a.2.is_empty() && !a.2.iter().any(|x| b.2.contains(x)) {
                continue;
            }
            let kind = if a.3 && b.3 && a.2.is_empty() {
                OverlapKind::DeclaredSplit
            } else {
                OverlapKind::Conflict
            };
            let key = if a.0 < b.0 {
                (a.0.clone(), b.0.clone())
            } else {
                (b.0.clone(), a.0.clone())
            };
            let entry = expected.entry(key).or_insert((kind, vec![]));
            entry.1.push(a.1.clone());
        }
    }
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = shipped(&atlas);
    let pairs = registry_overlaps(&atlas, &registry);
    let found: BTreeMap<(String, String), (OverlapKind, Vec<String>)> = pairs
        .iter()
        .map(|p| {
            let mut names = [p.first.name.clone(), p.second.name.clone()];
            names.sort();
            let communes = p
                .overlap
                .shared_communes
                .iter()
                .chain(&p.overlap.declared_splits)
                .map(|c| c.code.clone())
                .collect();
            (
                (names[0].clone(), names[1].clone()),
                (p.overlap.kind, communes),
            )
        })
        .collect();
    assert_eq!(found, expected);
    // The known splits: Nice between three CPTS (three pairs), Toulon between two.
    let split_of = |code: &str| {
        found
            .values()
            .filter(|(k, c)| *k == OverlapKind::DeclaredSplit && c == &vec![code.to_string()])
            .count()
    };
    assert_eq!(split_of("06088"), 3);
    assert_eq!(split_of("83137"), 1);
}

#[test]
fn uncovered_communes_per_departement_match_the_membership_file() {
    let Some(shared) = shared_data() else { return };
    let cog = read_cog(&shared);
    let listed: BTreeSet<String> = read_membership(&shared)
        .into_iter()
        .map(|(_, code, ..)| cog.successor.get(&code).cloned().unwrap_or(code))
        .collect();
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = shipped(&atlas);
    let mut total = 0;
    for dep in ["04", "05", "06", "13", "83", "84"] {
        let expected: Vec<&String> = cog
            .current
            .iter()
            .filter(|c| cog.departement[*c] == dep && !listed.contains(*c))
            .collect();
        let expected_population: u64 = expected.iter().map(|c| cog.population[*c]).sum();
        let report = registry
            .coverage(&atlas, &CoverageScope::Departement(dep.into()))
            .unwrap();
        let found: Vec<&String> = report.uncovered.iter().map(|c| &c.code).collect();
        assert_eq!(found, expected, "département {dep}");
        assert_eq!(report.uncovered_communes, expected.len());
        let partly: u64 = report
            .partly_covered
            .iter()
            .filter_map(|p| p.uncovered_population)
            .sum();
        assert_eq!(report.uncovered_population, expected_population + partly);
        total += expected.len();
    }
    assert!(total > 0, "PACA has communes outside every CPTS");
    // Marseille: the 1st arrondissement is in no CPTS.
    let report = registry
        .coverage(&atlas, &CoverageScope::Departement("13".into()))
        .unwrap();
    let marseille = report
        .partly_covered
        .iter()
        .find(|p| p.code == "13055")
        .unwrap();
    assert_eq!(marseille.uncovered_arrondissements, ["13201"]);
    let cog_13201 = cog.population["13201"];
    assert_eq!(marseille.uncovered_population, Some(cog_13201));
}

fn diagnose_with(
    atlas: &Atlas,
    registry: &RegistryIndex,
    spec: &TerritorySpec,
) -> cpts_atlas::diagnosis::Diagnosis {
    let grid = FundingGrid::aci_2019();
    let options = DiagnosisOptions {
        grid: &grid,
        missions: vec![],
    };
    let context = DiagnosisContext::new(atlas).with_registry(Some(registry));
    diagnose(&context, atlas.resolve(spec).unwrap(), &options).unwrap()
}

#[test]
fn candidate_by_codes_names_the_cpts_it_bites_into() {
    let Some(shared) = shared_data() else { return };
    let cog = read_cog(&shared);
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = shipped(&atlas);
    // Aix (CPTS Aix Sainte Victoire), Vauvenargues (no CPTS), Nice (split), 13204 (Activ Santé).
    let spec = TerritorySpec::Codes(vec![
        "13001".into(),
        "13111".into(),
        "06088".into(),
        "13204".into(),
    ]);
    let d = diagnose_with(&atlas, &registry, &spec);
    let by_name: HashMap<&str, _> = d.overlaps.iter().map(|o| (o.name.as_str(), o)).collect();
    let aix = by_name["CPTS Aix Sainte Victoire"];
    assert_eq!(aix.overlap.kind, OverlapKind::Conflict);
    assert_eq!(aix.overlap.population, cog.population["13001"]);
    assert_eq!(aix.overlap.population_estimate, Estimate::Exact);
    let share = cog.population["13001"] as f64 / d.population as f64;
    assert!((aix.population_share - share).abs() < 1e-9);
    let activ = by_name["CPTS Activ Santé (Marseille 4-5)"];
    assert_eq!(activ.overlap.population, cog.population["13204"]);
    assert_eq!(activ.overlap.shared_communes[0].arrondissements, ["13204"]);
    for nice in [
        "CPTS Nice Centre - Nice Est",
        "CPTS Nice Nord et ses Collines",
        "CPTS Nice ouest Vallée",
    ] {
        let o = &by_name[nice].overlap;
        assert_eq!(o.kind, OverlapKind::Conflict, "{nice}");
        assert_eq!(o.population_estimate, Estimate::UpperBound, "{nice}");
    }
    assert_eq!(d.overlaps.len(), 5, "{:?}", by_name.keys());
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["overlaps"][0]["name"], "CPTS Nice Centre - Nice Est");
    assert!(json["overlaps"][0]["population_share"].is_number());

    // Away from every CPTS: none, and the diagnosis says it checked.
    let alone = diagnose_with(
        &atlas,
        &registry,
        &TerritorySpec::Codes(vec!["13111".into()]),
    );
    assert!(alone.overlaps.is_empty());
    assert!(alone.overlaps_checked_against.is_some());
}

/// The outline of commune `code` in the raw IGN file, scaled by `factor` about the centre of its
/// bounding box.
fn ign_outline(shared: &Path, code: &str, factor: f64) -> geo::MultiPolygon<f64> {
    let path = shared.join(format!(
        "communes-2018-ign/departements/{}",
        std::fs::read_dir(shared.join("communes-2018-ign/departements"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|f| f.starts_with(&format!("communes-{}-", &code[..2])))
            .unwrap()
    ));
    let fc: geojson::FeatureCollection = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let feature = fc
        .features
        .into_iter()
        .find(|f| f.property("code").and_then(|v| v.as_str()) == Some(code))
        .unwrap();
    let mut geometry = geojson::GeoJson::Feature(feature);
    if let geojson::GeoJson::Feature(f) = &mut geometry {
        use geo::{BoundingRect, MapCoords};
        let g: geo::Geometry<f64> = f.geometry.clone().unwrap().try_into().unwrap();
        let c = g.bounding_rect().unwrap().center();
        let scaled = g.map_coords(|p| geo::Coord {
            x: c.x + (p.x - c.x) * factor,
            y: c.y + (p.y - c.y) * factor,
        });
        f.geometry = Some(geojson::Geometry::from(&scaled));
    }
    drawn_from_geojson(&geometry, &DrawnLimits::default())
        .unwrap()
        .0
}

#[test]
fn drawn_candidate_conflicts_slivers_and_touches() {
    let Some(shared) = shared_data() else { return };
    let cog = read_cog(&shared);
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let registry = shipped(&atlas);

    // Drawn exactly on Beaurecueil (13012, in CPTS Aix Sainte Victoire): a conflict holding
    // about its population; neighbouring CPTS are touched at most (slivers, never conflicts).
    let d = diagnose_with(
        &atlas,
        &registry,
        &TerritorySpec::Drawn(ign_outline(&shared, "13012", 1.0)),
    );
    let conflicts: Vec<_> = d
        .overlaps
        .iter()
        .filter(|o| o.overlap.kind == OverlapKind::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 1, "{:#?}", d.overlaps);
    assert_eq!(conflicts[0].name, "CPTS Aix Sainte Victoire");
    let beaurecueil = cog.population["13012"] as f64;
    let got = conflicts[0].overlap.population as f64;
    assert!(
        (got - beaurecueil).abs() <= 0.01 * beaurecueil + 1.0,
        "{got} vs {beaurecueil}"
    );
    // Drawn on its exact outline, Beaurecueil counts whole: an exact figure.
    assert_ne!(
        conflicts[0].overlap.population_estimate,
        Estimate::UpperBound
    );
    eprintln!(
        "Beaurecueil drawn: {:?}",
        d.overlaps
            .iter()
            .map(|o| (&o.name, o.overlap.kind, o.overlap.area_km2))
            .collect::<Vec<_>>()
    );

    // Vauvenargues (13111) is in no CPTS; drawn 0.2 % larger it bites its neighbours by
    // slivers only; 15 % larger it conflicts with the CPTS around it.
    let d = diagnose_with(
        &atlas,
        &registry,
        &TerritorySpec::Drawn(ign_outline(&shared, "13111", 1.002)),
    );
    eprintln!(
        "Vauvenargues x1.002: {:?}",
        d.overlaps
            .iter()
            .map(|o| (&o.name, o.overlap.kind, o.overlap.area_km2))
            .collect::<Vec<_>>()
    );
    assert!(!d.overlaps.is_empty());
    assert!(
        d.overlaps
            .iter()
            .all(|o| o.overlap.kind == OverlapKind::Sliver),
        "{:#?}",
        d.overlaps
    );
    let d = diagnose_with(
        &atlas,
        &registry,
        &TerritorySpec::Drawn(ign_outline(&shared, "13111", 1.15)),
    );
    assert!(d
        .overlaps
        .iter()
        .any(|o| o.overlap.kind == OverlapKind::Conflict && o.name == "CPTS Aix Sainte Victoire"));
}

#[test]
fn polygon_registry_overlaps_are_exact_geometry() {
    let Some(_) = shared_data() else { return };
    let atlas =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let codes = shipped(&atlas);
    // The three Nice CPTS and two neighbours, published as polygons (their members' union, so
    // each Nice CPTS holds all of Nice) as an ARS of another région would.
    let names = [
        "CPTS Nice Centre - Nice Est",
        "CPTS Nice Nord et ses Collines",
        "CPTS Nice ouest Vallée",
        "CPTS des Baous",
        "CPTS Vallée des Paillons et de la Banquière",
    ];
    let features: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let c = codes.cpts().iter().find(|c| c.cpts.name == *name).unwrap();
            serde_json::json!({"type": "Feature",
                "properties": {"id": format!("cpts-{k}"), "name": name},
                "geometry": geojson::Geometry::from(c.outline(&atlas))})
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("cpts-atlas-polyreg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nice.geojson");
    std::fs::write(
        &path,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let polygons = RegistryIndex::new(&atlas, load_registry(&path).unwrap()).unwrap();
    let pairs = registry_overlaps(&atlas, &polygons);
    let nice_area = atlas
        .commune_area_km2(match atlas.find("06088").unwrap() {
            cpts_atlas::engine::CommuneRef::Commune(i) => i,
            _ => unreachable!(),
        })
        .unwrap();
    let conflicts: Vec<_> = pairs
        .iter()
        .filter(|p| p.overlap.kind == OverlapKind::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 3, "{pairs:#?}");
    for p in &conflicts {
        assert!(
            names[..3].contains(&p.first.name.as_str())
                && names[..3].contains(&p.second.name.as_str())
        );
        // Each pair shares Nice (and maybe a common member): at least Nice's area.
        assert!(
            p.overlap.area_km2 >= nice_area * 0.999,
            "{} km² < Nice {nice_area}",
            p.overlap.area_km2
        );
        assert!(p.overlap.shared_communes.iter().any(|c| c.code == "06088"));
    }
    // Other pairs only touch along shared borders: slivers at most.
    assert!(pairs
        .iter()
        .all(|p| p.overlap.kind != OverlapKind::DeclaredSplit));
    std::fs::remove_dir_all(&dir).unwrap();
}
