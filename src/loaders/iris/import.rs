//! Builds the IRIS layer from outline files and an optional INSEE population file, joined to the
//! COG geography.
//!
//! Rules, in order:
//! 1. Within a file, an IRIS code given for several vintages (`year`) keeps the latest.
//! 2. An IRIS belongs to the unit of its code's first 5 characters: a current commune, an
//!    arrondissement municipal, or the current commune a former code merged into (COG).
//!    Codes of no known commune are dropped and reported.
//! 3. Each unit takes all its outlines from the first file (in the order given) that has it, so
//!    two vintages of one commune's IRIS are never mixed; later files only add populations.
//! 4. Populations: a `Pyy_POP` property of an outline file; an INSEE population file replaces
//!    them for every unit it covers, and adds the IRIS of units that have no outline (known by
//!    code and population only). Population rows whose unit has outlines of another vintage are
//!    reported, not added (they would overlap).
//! 5. IRIS types: a file without them (the national france-geojson folder) takes the type of
//!    the same code in a later file (IGN Rhône, Lille, Lyon); codes ending in `0000` are whole
//!    communes (`Z`); any other IRIS left without a type is assumed residential (`H`) and
//!    counted in the report (the type only matters where a unit lacks census populations).
//! 6. An IRIS that is its commune's only one (type `Z`, code `<commune>0000`) has no census
//!    population: it takes the commune's COG legal population, and no outline of its own (its
//!    outline is the commune's: 33 000 such IRIS would double the layer for nothing).
//! 7. An arrondissement municipal whose IRIS all have outlines gets the union of them, dissolved
//!    from the full-resolution outlines.
//!
//! Outlines are snapped to the dataset's 1e-5° grid, then simplified (Douglas-Peucker,
//! [`IRIS_TOLERANCE_DEG`]) so that the national layer stays a few MB; an outline that this makes
//! invalid (a spike folding on itself) is repaired (`geo::MakeValid`), so that the stored outline
//! is the one the engine measures. The report gives the area change this causes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use geo::orient::{Direction, Orient};
use geo::{
    unary_union, ChamberlainDuquetteArea, Coord, LineString, MakeValid, MultiPolygon, Polygon,
    Validation,
};

use crate::loaders::geography::import::simplify_for_display;
use crate::loaders::iris::fields::IrisFeature;
use crate::loaders::iris::files::read_iris_file;
use crate::loaders::iris::population::read_iris_population;
use crate::loaders::LoadError;
use crate::model::{Geography, Iris, IrisLayer, IrisType};

/// The IRIS files of the raw sources (`../shared/data`) the shipped layer is built from, in
/// priority order. The national folder (Contours IRIS about 2023, RP 2019 populations) comes
/// first and gives every outline and population: one vintage for all of metropolitan France,
/// whose populations are 7 years fresher than Lyon's 2012 ones and whose codes are those of the
/// BPE 2019 (`DCIRIS`). The older local files then only give their IRIS types (`TYP_IRIS`,
/// absent from the national files) to the same codes: IGN Contours IRIS of the Rhône, Lyon
/// Métropole's file, the Métropole Européenne de Lille's.
pub const SHIPPED_IRIS_FILES: [&str; 4] = [
    "iris-france/departements_iris",
    "iris/rhone-69-ign-shapefile/IRIS_GE.SHP",
    "iris/iris_lyon_69_LyonMetro.geojson",
    "iris/iris_lille_metropole_59_FaateApp.geojson",
];

/// What the IRIS import did, for its log.
#[derive(Debug, Default)]
pub struct IrisImportReport {
    /// Per outline file: (path, features read, older vintages dropped, units taken).
    pub files: Vec<(PathBuf, usize, usize, usize)>,
    /// IRIS unit codes that are former communes: (old code, current commune).
    pub mapped_units: Vec<(String, String)>,
    /// IRIS codes whose commune is unknown to the COG.
    pub unknown: Vec<String>,
    /// Units present in a file but taken from an earlier one: (unit, file).
    pub shadowed: Vec<(String, PathBuf)>,
    /// IRIS with a population.
    pub with_population: usize,
    /// Population rows matching no loaded IRIS of their (outlined) unit.
    pub unmatched_population: Vec<String>,
    /// IRIS known from the population file only (no outline).
    pub population_only: usize,
    /// Arrondissements that got an outline.
    pub arrondissement_outlines: Vec<String>,
    /// IRIS that no file gives a type: assumed residential (`H`).
    pub assumed_residential: Vec<String>,
    /// IRIS given their commune's legal population and outline (whole communes).
    pub legal_population: usize,
    /// Simplification: (vertices before, after, sum of |area change| / sum of areas, largest
    /// relative area change of an IRIS and its code).
    pub simplification: (usize, usize, f64, f64, String),
}

/// Douglas-Peucker tolerance of the stored IRIS outlines, in degrees (about 5 m, under a pixel
/// at zoom 14 where the map shows IRIS).
pub const IRIS_TOLERANCE_DEG: f64 = 5e-5;

/// Reads the IRIS `files` (shapefiles or GeoJSON, in priority order) and the optional INSEE
/// `population` CSV, and joins them to `geography`.
pub fn import_iris(
    geography: &Geography,
    files: &[PathBuf],
    population: Option<&Path>,
) -> Result<(IrisLayer, IrisImportReport), LoadError> {
    let mut report = IrisImportReport::default();
    let units = UnitIndex::new(geography);
    let mut layer = IrisLayer::default();
    // Unit -> index of the file its outlines come from.
    let mut unit_source: HashMap<String, usize> = HashMap::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut census_years: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    // IRIS (indexes) no file has given a type yet.
    let mut untyped: HashSet<usize> = HashSet::new();

    for (file_index, path) in files.iter().enumerate() {
        let features = read_iris_file(path)?;
        let read = features.len();
        let (features, dropped) = latest_vintages(features);
        let mut taken: HashSet<String> = HashSet::new();
        let before = layer.iris.len();
        for feature in features {
            let Some(unit) = units.unit_of(&feature.code, &mut report) else {
                continue;
            };
            let owner = *unit_source.entry(unit.clone()).or_insert(file_index);
            if owner != file_index {
                if let Some(&i) = by_code.get(&feature.code) {
                    if let Some((year, p)) = feature
                        .population
                        .filter(|_| layer.iris[i].population.is_none())
                    {
                        layer.iris[i].population = Some(p);
                        census_years.entry(year).or_default().push(file_name(path));
                    }
                    if let Some(kind) = feature.kind.filter(|_| untyped.contains(&i)) {
                        layer.iris[i].kind = kind;
                        untyped.remove(&i);
                    }
                }
                if taken.insert(unit.clone()) {
                    report.shadowed.push((unit, path.clone()));
                }
                continue;
            }
            taken.insert(unit.clone());
            if let Some((year, _)) = feature.population {
                census_years.entry(year).or_default().push(file_name(path));
            }
            if feature.kind.is_none() {
                untyped.insert(layer.iris.len());
            }
            by_code.insert(feature.code.clone(), layer.iris.len());
            layer.iris.push(Iris {
                code: feature.code,
                name: feature.name,
                kind: feature.kind.unwrap_or(IrisType::Residential),
                unit,
                population: feature.population.map(|(_, p)| p),
                geometry: Some(snapped(&feature.geometry)),
            });
        }
        let units_taken = unit_source.values().filter(|&&f| f == file_index).count();
        report
            .files
            .push((path.clone(), read, dropped, units_taken));
        layer.sources.push(if units_taken == 0 {
            format!(
                "{}: populations only (an earlier file has its outlines)",
                file_name(path)
            )
        } else {
            format!(
                "{}: {} IRIS over {units_taken} communes or arrondissements",
                file_name(path),
                layer.iris.len() - before
            )
        });
    }
    report.assumed_residential = untyped
        .iter()
        .map(|&i| layer.iris[i].code.clone())
        .collect();
    report.assumed_residential.sort();
    for (year, mut files) in census_years {
        files.sort();
        files.dedup();
        layer.population_sources.push(format!(
            "INSEE census {year} IRIS populations (P{:02}_POP) in {}",
            year % 100,
            files.join(", ")
        ));
    }

    if let Some(path) = population {
        let file = read_iris_population(path)?;
        let covered: HashSet<String> = file
            .rows
            .iter()
            .filter_map(|r| units.unit_of(&r.code, &mut IrisImportReport::default()))
            .collect();
        for iris in layer.iris.iter_mut().filter(|i| covered.contains(&i.unit)) {
            iris.population = None;
        }
        for row in file.rows {
            let Some(unit) = units.unit_of(&row.code, &mut report) else {
                continue;
            };
            if let Some(&i) = by_code.get(&row.code) {
                layer.iris[i].population = Some(row.population);
            } else if unit_source.contains_key(&unit) {
                report.unmatched_population.push(row.code);
            } else {
                report.population_only += 1;
                by_code.insert(row.code.clone(), layer.iris.len());
                layer.iris.push(Iris {
                    name: row.name.unwrap_or_else(|| row.code.clone()),
                    code: row.code,
                    kind: row.kind,
                    unit,
                    population: Some(row.population),
                    geometry: None,
                });
            }
        }
        layer.population_sources = vec![format!(
            "INSEE census {} IRIS populations (P{:02}_POP) in {}",
            file.census_year,
            file.census_year % 100,
            file_name(path)
        )];
    }
    report.legal_population = whole_communes_take_legal_populations(geography, &mut layer);
    if report.legal_population > 0 {
        layer.population_sources.push(format!(
            "COG legal population of the commune for the {} IRIS that are a whole commune (type Z, no census figure)",
            report.legal_population
        ));
    }
    report.with_population = layer.iris.iter().filter(|i| i.population.is_some()).count();
    report.mapped_units.sort();
    report.mapped_units.dedup();

    for arrondissement in &geography.arrondissements {
        let parts: Vec<&Iris> = layer
            .iris
            .iter()
            .filter(|i| i.unit == arrondissement.code)
            .collect();
        if parts.is_empty() || parts.iter().any(|i| i.geometry.is_none()) {
            continue;
        }
        // The union wants consistently oriented rings (repaired outlines may be clockwise).
        let polygons: Vec<_> = parts
            .iter()
            .flat_map(|i| {
                i.geometry
                    .iter()
                    .flat_map(|g| g.orient(Direction::Default).0)
            })
            .collect();
        // On the dataset's grid, like the IRIS (the union adds vertices where edges cross).
        let outline: MultiPolygon<f64> = stored(&snapped(&canonical(unary_union(&polygons))));
        layer
            .arrondissement_outlines
            .push((arrondissement.code.clone(), outline));
        report
            .arrondissement_outlines
            .push(arrondissement.code.clone());
    }
    report.simplification = simplify_outlines(&mut layer);
    // As stored: hundredths of an inhabitant.
    for iris in &mut layer.iris {
        iris.population = iris.population.map(|p| (p * 100.0).round() / 100.0);
    }
    layer.iris.sort_by(|a, b| a.code.cmp(&b.code));
    Ok((layer, report))
}

/// Rule 6: the only IRIS of a current commune, a whole commune without census population, takes
/// the commune's legal population. Returns how many did.
fn whole_communes_take_legal_populations(geography: &Geography, layer: &mut IrisLayer) -> usize {
    let mut per_unit: HashMap<&str, usize> = HashMap::new();
    for iris in &layer.iris {
        *per_unit.entry(iris.unit.as_str()).or_default() += 1;
    }
    let legal: HashMap<&str, u64> = geography
        .communes
        .iter()
        .filter_map(|c| Some((c.code.as_str(), c.population?)))
        .collect();
    let given: Vec<(usize, u64)> = layer
        .iris
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.kind == IrisType::Undivided
                && i.population.is_none()
                && i.code.starts_with(&i.unit)
                && per_unit[i.unit.as_str()] == 1
        })
        .filter_map(|(k, i)| Some((k, *legal.get(i.unit.as_str())?)))
        .collect();
    for &(k, population) in &given {
        layer.iris[k].population = Some(population as f64);
        layer.iris[k].geometry = None;
    }
    given.len()
}

/// A snapped full-resolution outline as stored: simplified, on the grid, valid.
fn stored(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    snapped(&simplify_for_display(geometry, IRIS_TOLERANCE_DEG))
}

/// Simplifies every IRIS outline for storage; returns what it changed (see
/// [`IrisImportReport::simplification`]), areas measured on the ellipsoid.
fn simplify_outlines(layer: &mut IrisLayer) -> (usize, usize, f64, f64, String) {
    let vertices = |g: &MultiPolygon<f64>| -> usize {
        g.0.iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum()
    };
    let (mut before, mut after, mut total, mut changed) = (0, 0, 0.0, 0.0);
    let mut worst = (0.0, String::new());
    for iris in &mut layer.iris {
        let Some(raw) = iris.geometry.take() else {
            continue;
        };
        let simple = stored(&raw);
        let (a, b) = (
            raw.chamberlain_duquette_unsigned_area(),
            simple.chamberlain_duquette_unsigned_area(),
        );
        before += vertices(&raw);
        after += vertices(&simple);
        total += a;
        changed += (b - a).abs();
        // Relative change of IRIS larger than a hectare (smaller ones are a few vertices).
        if a > 1e4 && (b - a).abs() / a > worst.0 {
            worst = ((b - a).abs() / a, iris.code.clone());
        }
        iris.geometry = Some(simple);
    }
    (before, after, changed / total.max(1.0), worst.0, worst.1)
}

/// The outline snapped to the 1e-5° grid of the dataset, without repeated points, valid
/// (repairs come out in [`canonical`] form).
fn snapped(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>| {
        let mut coords: Vec<Coord<f64>> =
            r.0.iter()
                .map(|c| Coord {
                    x: (c.x * 1e5).round() / 1e5,
                    y: (c.y * 1e5).round() / 1e5,
                })
                .collect();
        coords.dedup();
        Some(LineString(coords)).filter(|l| l.0.len() >= 4)
    };
    let out = MultiPolygon(
        geometry
            .0
            .iter()
            .filter_map(|p| {
                Some(Polygon::new(
                    ring(p.exterior())?,
                    p.interiors().iter().filter_map(ring).collect(),
                ))
            })
            .collect(),
    );
    if out.is_valid() {
        out
    } else {
        canonical(out.make_valid().unwrap_or(out))
    }
}

/// The same region written one way: each ring starts at its smallest vertex, holes and polygons
/// in the order of their first vertex (boolean operations may start rings anywhere from run to
/// run, and the dataset file should not change when the sources have not).
fn canonical(region: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let order = |a: &Coord<f64>, b: &Coord<f64>| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y));
    let ring = |r: &LineString<f64>| {
        let open = &r.0[..r.0.len().saturating_sub(usize::from(r.is_closed()))];
        let start = (0..open.len())
            .min_by(|&a, &b| order(&open[a], &open[b]))
            .unwrap_or(0);
        let mut coords: Vec<Coord<f64>> = open[start..]
            .iter()
            .chain(&open[..start])
            .copied()
            .collect();
        coords.extend(coords.first().copied());
        LineString(coords)
    };
    let by_first = |a: &LineString<f64>, b: &LineString<f64>| match (a.0.first(), b.0.first()) {
        (Some(a), Some(b)) => order(a, b),
        _ => a.0.len().cmp(&b.0.len()),
    };
    let mut polygons: Vec<Polygon<f64>> = region
        .0
        .iter()
        .map(|p| {
            let mut holes: Vec<LineString<f64>> = p.interiors().iter().map(ring).collect();
            holes.sort_by(by_first);
            Polygon::new(ring(p.exterior()), holes)
        })
        .collect();
    polygons.sort_by(|a, b| by_first(a.exterior(), b.exterior()));
    MultiPolygon(polygons)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Keeps one feature per code, the latest vintage (`year`); returns them and the count dropped.
fn latest_vintages(features: Vec<IrisFeature>) -> (Vec<IrisFeature>, usize) {
    let total = features.len();
    let mut best: HashMap<String, IrisFeature> = HashMap::new();
    let mut order = Vec::new();
    for f in features {
        match best.get(&f.code) {
            Some(kept) if kept.year >= f.year => {}
            Some(_) => {
                best.insert(f.code.clone(), f);
            }
            None => {
                order.push(f.code.clone());
                best.insert(f.code.clone(), f);
            }
        }
    }
    let kept: Vec<IrisFeature> = order.iter().filter_map(|c| best.remove(c)).collect();
    let dropped = total - kept.len();
    (kept, dropped)
}

/// Commune and arrondissement codes of the geography, and former codes.
struct UnitIndex<'a> {
    known: HashSet<&'a str>,
    former: HashMap<&'a str, &'a str>,
}

impl<'a> UnitIndex<'a> {
    fn new(geography: &'a Geography) -> Self {
        Self {
            known: geography
                .communes
                .iter()
                .map(|c| c.code.as_str())
                .chain(geography.arrondissements.iter().map(|a| a.code.as_str()))
                .collect(),
            former: geography
                .former_codes
                .iter()
                .map(|(old, new)| (old.as_str(), new.as_str()))
                .collect(),
        }
    }

    /// The unit of an IRIS code, recording mapped and unknown codes in the report.
    fn unit_of(&self, code: &str, report: &mut IrisImportReport) -> Option<String> {
        let prefix = &code[..5];
        if self.known.contains(prefix) {
            return Some(prefix.to_string());
        }
        match self.former.get(prefix) {
            Some(current) => {
                report
                    .mapped_units
                    .push((prefix.to_string(), current.to_string()));
                Some(current.to_string())
            }
            None => {
                report.unknown.push(code.to_string());
                None
            }
        }
    }
}
