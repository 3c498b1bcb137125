//! Registries of existing CPTS: the shipped compact file, the ARS PACA listing, and the
//! dispatch to GeoJSON layers ([`crate::loaders::registry::geojson`]) and member lists
//! ([`crate::loaders::registry::members`]).
//!
//! # Compact registry file (`data/registry/*.json`, written by `cpts-atlas import`)
//! ```json
//! {"format": "cpts-atlas-registry", "version": 2, "source": "ARS PACA ...",
//!  "departements": ["04", "05", "06", "13", "83", "84"],
//!  "cpts": [{"id": "cpts-verdon", "name": "CPTS Verdon", "site": "",
//!            "members": [{"code": "04001"}, {"code": "83137", "infra_communal": true}],
//!            "outline": null, "status": "signed_aci"}]}
//! ```
//! `departements` is the area the registry covers wholly (every CPTS of those départements is
//! listed); `members` lists commune or arrondissement codes as published; `outline` is an
//! optional GeoJSON (Multi)Polygon for CPTS published as polygons; `status` is optional.
pub mod geojson;
pub mod members;

use std::collections::HashSet;
use std::path::Path;

use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::loaders::registry::geojson::{is_departement, registry_from_geojson};
use crate::loaders::registry::members::registry_from_member_list;
use crate::loaders::{read_file, read_json, LoadError};
use crate::model::{check_wgs84, AreaBasis, Cpts, CptsMember, CptsStatus, Registry, RegistryArea};

/// Format tag of the compact registry file.
pub const REGISTRY_FORMAT: &str = "cpts-atlas-registry";
const REGISTRY_VERSION: u32 = 2;

/// Path, inside a data directory, of the registry the service loads by default.
pub const DEFAULT_REGISTRY_FILE: &str = "registry/cpts-paca-2026.json";

#[derive(Serialize, Deserialize)]
struct RegistryFile {
    format: String,
    version: u32,
    source: String,
    departements: Vec<String>,
    cpts: Vec<CptsEntry>,
}

#[derive(Serialize, Deserialize)]
struct CptsEntry {
    id: String,
    name: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    members: Vec<CptsMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outline: Option<::geojson::Geometry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<CptsStatus>,
}

/// Reads registry files (each as [`load_registry`] does) and merges them in order.
pub fn read_registries(files: &[std::path::PathBuf]) -> Result<Registry, LoadError> {
    let mut registry = Registry::default();
    for file in files {
        registry.merge(load_registry(file)?);
    }
    Ok(registry)
}

/// Reads a registry: a member list (`.csv` files), GeoJSON polygons (any file whose top-level
/// `type` is `FeatureCollection`), else the compact JSON format.
pub fn load_registry(path: &Path) -> Result<Registry, LoadError> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        return registry_from_member_list(path);
    }
    let bytes = read_file(path)?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|source| LoadError::Json {
            path: path.to_path_buf(),
            source,
        })?;
    if value.get("type").and_then(|t| t.as_str()) == Some("FeatureCollection") {
        registry_from_geojson(path, value)
    } else {
        registry_from_compact(path, value)
    }
}

fn registry_from_compact(path: &Path, value: serde_json::Value) -> Result<Registry, LoadError> {
    let file: RegistryFile = serde_json::from_value(value).map_err(|source| LoadError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |location: String, reason: String| registry_error(path, location, reason);
    if file.format != REGISTRY_FORMAT || file.version != REGISTRY_VERSION {
        return Err(bad(
            "header".into(),
            format!(
                "format {} version {}, expected {REGISTRY_FORMAT} version {REGISTRY_VERSION} \
                 (re-run `cpts-atlas import`)",
                file.format, file.version
            ),
        ));
    }
    if let Some(bad_code) = file.departements.iter().find(|d| !is_departement(d)) {
        return Err(bad(
            "departements".into(),
            format!("{bad_code:?} is not a département code"),
        ));
    }
    let mut ids = HashSet::new();
    let mut cpts = Vec::with_capacity(file.cpts.len());
    for entry in file.cpts {
        let location = format!("CPTS {:?}", entry.name);
        if !ids.insert(entry.id.clone()) {
            return Err(bad(location, format!("duplicate id {:?}", entry.id)));
        }
        let outline = entry
            .outline
            .map(|g| multipolygon(&g))
            .transpose()
            .map_err(|reason| bad(location.clone(), reason))?;
        if entry.members.is_empty() && outline.is_none() {
            return Err(bad(location, "neither member codes nor outline".into()));
        }
        cpts.push(Cpts {
            id: entry.id,
            name: entry.name,
            members: entry.members,
            outline,
            site: entry.site,
            status: entry.status,
        });
    }
    Ok(Registry {
        areas: vec![RegistryArea {
            id: source_id(path),
            source: file.source.clone(),
            departements: file.departements,
            basis: AreaBasis::Declared,
            cpts: cpts.len(),
        }],
        source: file.source,
        cpts,
    })
}

/// A registry error at `location` of `path`.
pub(crate) fn registry_error(path: &Path, location: String, reason: String) -> LoadError {
    LoadError::Registry {
        path: path.to_path_buf(),
        location,
        reason,
    }
}

/// The id of a registry source: its file name without extension.
pub(crate) fn source_id(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Writes `registry` in the compact format.
pub fn write_registry(path: &Path, registry: &Registry) -> Result<(), LoadError> {
    let file = RegistryFile {
        format: REGISTRY_FORMAT.into(),
        version: REGISTRY_VERSION,
        source: registry.source.clone(),
        departements: {
            let mut d: Vec<String> = registry
                .areas
                .iter()
                .flat_map(|a| a.departements.iter().cloned())
                .collect();
            d.sort();
            d.dedup();
            d
        },
        cpts: registry
            .cpts
            .iter()
            .map(|c| CptsEntry {
                id: c.id.clone(),
                name: c.name.clone(),
                site: c.site.clone(),
                members: c.members.clone(),
                outline: c.outline.as_ref().map(::geojson::Geometry::from),
                status: c.status,
            })
            .collect(),
    };
    let write_error = |source| LoadError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let text = serde_json::to_string(&file).map_err(|e| write_error(e.into()))?;
    std::fs::write(path, text).map_err(write_error)
}

/// A GeoJSON Polygon or MultiPolygon with finite WGS84 coordinates, as a multipolygon.
pub(crate) fn multipolygon(geometry: &::geojson::Geometry) -> Result<MultiPolygon<f64>, String> {
    let outline = match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
        geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
        geo::Geometry::MultiPolygon(mp) => mp,
        _ => {
            return Err(format!(
                "expected a Polygon or MultiPolygon, found {}",
                geometry.value.type_name()
            ))
        }
    };
    use geo::CoordsIter;
    if outline.coords_count() == 0 {
        return Err("empty geometry".into());
    }
    if let Some(e) = outline
        .coords_iter()
        .find_map(|c| check_wgs84(c.x, c.y).err())
    {
        return Err(e.to_string());
    }
    Ok(outline)
}

#[derive(Deserialize)]
struct PacaCpts {
    nom: String,
    communes: Vec<String>,
    #[serde(default)]
    arrondissements: Vec<String>,
    #[serde(default)]
    site: String,
}

/// Folder of the ARS PACA listing inside the shared sources.
pub const PACA_DIR: &str = "cpts-paca-2026";
/// The départements the ARS PACA listing covers wholly: the six of the région
/// Provence-Alpes-Côte d'Azur (the ARS lists every existing CPTS of its région).
pub const PACA_DEPARTEMENTS: [&str; 6] = ["04", "05", "06", "13", "83", "84"];
const PACA_JSON: &str = "cpts_paca_2026_communes.json";
const PACA_CSV: &str = "cpts_paca_2026_commune_membership.csv";

/// Reads the ARS PACA 2026 listing (`cpts-paca-2026/`): the membership CSV gives the members
/// (arrondissements of Marseille instead of `13055` where listed, `infra_communal` flags), the
/// JSON gives the web sites; both must list the same CPTS and communes.
///
/// Codes are kept as published: `05120` (Ristolas, merged into Abriès-Ristolas `05001`) is
/// mapped when the registry is indexed against the geography, with a note.
pub fn import_paca_registry(dir: &Path) -> Result<Registry, LoadError> {
    let json_path = dir.join(PACA_JSON);
    let csv_path = dir.join(PACA_CSV);
    let listed: Vec<PacaCpts> = read_json(&json_path)?;
    let text = String::from_utf8(read_file(&csv_path)?).map_err(|e| LoadError::Registry {
        path: csv_path.clone(),
        location: "file".into(),
        reason: format!("not UTF-8: {e}"),
    })?;
    let bad_csv = |line: usize, reason: String| LoadError::Registry {
        path: csv_path.clone(),
        location: format!("line {line}"),
        reason,
    };

    // name -> members, in file order
    let mut members: Vec<(String, Vec<CptsMember>, Vec<String>)> = Vec::new();
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, l)| split_csv_line(l, ','))
        .ok_or_else(|| bad_csv(1, "empty file".into()))?;
    let expected = [
        "cpts_nom",
        "code_commune",
        "nom_commune",
        "arrondissements",
        "infra_communal",
    ];
    if header != expected {
        return Err(bad_csv(
            1,
            format!("header {header:?}, expected {expected:?}"),
        ));
    }
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_csv_line(line, ',');
        let [name, code, _, arrondissements, infra] = fields.as_slice() else {
            return Err(bad_csv(n, format!("{} fields, expected 5", fields.len())));
        };
        if !is_code(code) {
            return Err(bad_csv(n, format!("invalid commune code {code:?}")));
        }
        let infra_communal = match infra.as_str() {
            "0" => false,
            "1" => true,
            other => {
                return Err(bad_csv(
                    n,
                    format!("infra_communal {other:?}, expected 0 or 1"),
                ))
            }
        };
        if members
            .last()
            .map(|(last, ..)| last != name)
            .unwrap_or(true)
        {
            if members.iter().any(|(seen, ..)| seen == name) {
                return Err(bad_csv(n, format!("rows of {name:?} are not contiguous")));
            }
            members.push((name.clone(), Vec::new(), Vec::new()));
        }
        let (_, list, communes) = members.last_mut().expect("pushed above");
        communes.push(code.clone());
        let parts: Vec<&str> = arrondissements.split_whitespace().collect();
        if parts.is_empty() {
            list.push(CptsMember {
                code: code.clone(),
                infra_communal,
            });
        } else {
            for part in parts {
                if !is_code(part) || part[..2] != code[..2] {
                    return Err(bad_csv(
                        n,
                        format!("invalid arrondissement {part:?} of {code}"),
                    ));
                }
                // A whole arrondissement: the split of the commune is known.
                list.push(CptsMember {
                    code: part.to_string(),
                    infra_communal: false,
                });
            }
        }
    }

    let bad_json = |name: &str, reason: String| LoadError::Registry {
        path: json_path.clone(),
        location: format!("CPTS {name:?}"),
        reason,
    };
    if listed.len() != members.len() {
        return Err(bad_json(
            "*",
            format!("{} CPTS, but {} in {PACA_CSV}", listed.len(), members.len()),
        ));
    }
    let mut ids = HashSet::new();
    let mut cpts = Vec::with_capacity(listed.len());
    for entry in listed {
        let (_, list, communes) = members
            .iter()
            .find(|(name, ..)| *name == entry.nom)
            .ok_or_else(|| bad_json(&entry.nom, format!("absent from {PACA_CSV}")))?;
        let mut a: Vec<&String> = communes.iter().collect();
        let mut b: Vec<&String> = entry.communes.iter().collect();
        a.sort();
        b.sort();
        if a != b {
            return Err(bad_json(
                &entry.nom,
                format!("communes {b:?} differ from {PACA_CSV}: {a:?}"),
            ));
        }
        let mut listed_arrondissements: Vec<&str> =
            entry.arrondissements.iter().map(String::as_str).collect();
        let mut csv_arrondissements: Vec<&str> = list
            .iter()
            .map(|m| m.code.as_str())
            .filter(|c| !communes.iter().any(|k| k == c))
            .collect();
        listed_arrondissements.sort_unstable();
        csv_arrondissements.sort_unstable();
        if listed_arrondissements != csv_arrondissements {
            return Err(bad_json(
                &entry.nom,
                format!(
                    "arrondissements {listed_arrondissements:?} differ from {PACA_CSV}: {csv_arrondissements:?}"
                ),
            ));
        }
        let mut id = slug(&entry.nom);
        let base = id.clone();
        let mut k = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        cpts.push(Cpts {
            id,
            name: entry.nom,
            members: list.clone(),
            outline: None,
            site: entry.site,
            status: None,
        });
    }
    let source =
        "ARS Provence-Alpes-Côte d'Azur, CPTS existantes 01/2026 (communes membres transcrites)";
    Ok(Registry {
        areas: vec![RegistryArea {
            id: PACA_DIR.into(),
            source: source.into(),
            departements: PACA_DEPARTEMENTS.iter().map(|d| d.to_string()).collect(),
            basis: AreaBasis::Declared,
            cpts: cpts.len(),
        }],
        source: source.into(),
        cpts,
    })
}

fn is_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Splits one CSV line (`separator`-separated, `"` quoting with `""` escapes).
pub(crate) fn split_csv_line(line: &str, separator: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (c, false) if c == separator => fields.push(std::mem::take(&mut field)),
            (ch, _) => field.push(ch),
        }
    }
    fields.push(field);
    fields
}

/// An ASCII identifier from a name: `CPTS Cœur du Var` -> `cpts-coeur-du-var`.
///
/// ```
/// # use cpts_atlas::loaders::registry::slug;
/// assert_eq!(slug("CPTS Hyères et des Iles d'Or"), "cpts-hyeres-et-des-iles-d-or");
/// assert_eq!(slug("CPTS Cœur du Var"), "cpts-coeur-du-var");
/// ```
pub fn slug(name: &str) -> String {
    let folded = crate::model::fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_csv() {
        assert_eq!(
            split_csv_line(r#""CPTS A, ""B""",06088,"Nice","",1"#, ','),
            vec![r#"CPTS A, "B""#, "06088", "Nice", "", "1"]
        );
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("CPTS Cœur du Var"), "cpts-coeur-du-var");
        assert_eq!(
            slug("CPTS Activ Santé (Marseille 4-5)"),
            "cpts-activ-sante-marseille-4-5"
        );
    }

    #[test]
    fn geojson_registry_errors_name_the_feature() {
        let dir = std::env::temp_dir().join(format!("cpts-atlas-reg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.geojson");
        let square = r#"{"type":"Polygon","coordinates":[[[5,43],[5.1,43],[5.1,43.1],[5,43]]]}"#;
        let cases = [
            (
                format!(r#"{{"type":"Feature","properties":{{"id":"a"}},"geometry":{square}}}"#),
                "no name field: expected one of nom_cpts, nom, name",
            ),
            (
                r#"{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[5,43]}}"#.to_string(),
                "found Point",
            ),
            (
                r#"{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[5,43],[500,43],[5.1,43.1],[5,43]]]}}"#.to_string(),
                "not a WGS84",
            ),
        ];
        for (feature, needle) in cases {
            let text = format!(r#"{{"type":"FeatureCollection","features":[{feature}]}}"#);
            std::fs::write(&path, text).unwrap();
            let err = load_registry(&path).unwrap_err().to_string();
            assert!(err.contains(needle) && err.contains("r.geojson"), "{err}");
        }
        let two = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"name":"CPTS A","id":7}},"geometry":{square}}},
            {{"type":"Feature","properties":{{"nom":"CPTS B"}},"geometry":{square}}}]}}"#
        );
        std::fs::write(&path, two).unwrap();
        let registry = load_registry(&path).unwrap();
        let ids: Vec<&str> = registry.cpts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["7", "cpts-b"]);
        assert!(registry.cpts.iter().all(|c| c.outline.is_some()));

        // Round trip through the compact format (its area is declared: none here).
        let compact = dir.join("r.json");
        write_registry(&compact, &registry).unwrap();
        let back = load_registry(&compact).unwrap();
        assert_eq!(back.cpts, registry.cpts);
        assert_eq!(back.areas[0].basis, AreaBasis::Declared);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
