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
//! 5. An arrondissement municipal whose IRIS all have outlines gets the union of them.
//!
//! Outlines are snapped to the dataset's 1e-5° grid here; a full-resolution outline that the
//! snapping makes invalid (a spike folding on itself) is repaired (`geo::MakeValid`), so that
//! the stored outline is the one the engine measures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use geo::orient::{Direction, Orient};
use geo::{unary_union, Coord, LineString, MakeValid, MultiPolygon, Polygon, Validation};

use super::iris_fields::IrisFeature;
use super::iris_files::read_iris_file;
use super::iris_population::read_iris_population;
use super::LoadError;
use crate::model::{Geography, Iris, IrisLayer};

/// The IRIS files of the raw sources (`../shared/data`) the shipped layer is built from, in
/// priority order: IGN Contours IRIS of the Rhône (outlines), Lyon Métropole's file (its 2012
/// census populations), the Métropole Européenne de Lille's.
pub const SHIPPED_IRIS_FILES: [&str; 3] = [
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
}

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
            if let Some((year, _)) = feature.population {
                census_years.entry(year).or_default().push(file_name(path));
            }
            if owner != file_index {
                if let (Some(&i), Some((_, p))) = (by_code.get(&feature.code), feature.population) {
                    layer.iris[i].population.get_or_insert(p);
                }
                if taken.insert(unit.clone()) {
                    report.shadowed.push((unit, path.clone()));
                }
                continue;
            }
            taken.insert(unit.clone());
            by_code.insert(feature.code.clone(), layer.iris.len());
            layer.iris.push(Iris {
                code: feature.code,
                name: feature.name,
                kind: feature.kind,
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
    for (year, mut files) in census_years {
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
        let outline: MultiPolygon<f64> = snapped(&canonical(unary_union(&polygons)));
        layer
            .arrondissement_outlines
            .push((arrondissement.code.clone(), outline));
        report
            .arrondissement_outlines
            .push(arrondissement.code.clone());
    }
    layer.iris.sort_by(|a, b| a.code.cmp(&b.code));
    Ok((layer, report))
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
