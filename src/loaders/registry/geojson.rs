//! Registries published as GeoJSON polygons, such as the DGOS layer "CPTS et projets de CPTS"
//! served by Santégraphie / AtlaSanté: name, status and id fields detected among the names its
//! vintages use, statuses mapped to [`CptsStatus`].

use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::loaders::registry::{multipolygon, registry_error, slug, source_id};
use crate::loaders::LoadError;
use crate::model::{AreaBasis, Cpts, CptsStatus, Registry, RegistryArea};

/// Property names that hold a CPTS's name, in order of preference (compared case-insensitively).
pub const NAME_FIELDS: &[&str] = &[
    "nom_cpts",
    "nom",
    "name",
    "libelle",
    "libelle_cpts",
    "lib_cpts",
    "intitule",
    "raison_sociale",
];
/// Property names that hold its status (signataire ACI, projet de santé validé...).
pub const STATUS_FIELDS: &[&str] = &[
    "statut",
    "statut_cpts",
    "status",
    "etat",
    "etat_avancement",
    "avancement",
    "stade",
];
/// Property names that hold its identifier.
pub const ID_FIELDS: &[&str] = &["id", "id_cpts", "code", "code_cpts", "finess", "siret"];

/// The key of `keys` that matches a candidate name first (case-insensitively).
fn detect<'a>(keys: &'a [String], candidates: &[&str]) -> Option<&'a str> {
    candidates.iter().find_map(|c| {
        keys.iter()
            .find(|k| k.eq_ignore_ascii_case(c))
            .map(String::as_str)
    })
}

/// Reads a FeatureCollection of Polygon / MultiPolygon features (WGS84).
///
/// The name field is required (the first of [`NAME_FIELDS`] a feature has); the status
/// ([`STATUS_FIELDS`]) and id ([`ID_FIELDS`], else the feature id, else the name's slug) are
/// optional. A status that names none of the four [`CptsStatus`] is refused. A top-level
/// `departements` member (a list of codes) declares the area the layer covers; without it, the
/// area is the départements of its CPTS' communes.
pub fn registry_from_geojson(path: &Path, value: Value) -> Result<Registry, LoadError> {
    let bad = |location: String, reason: String| registry_error(path, location, reason);
    let declared = declared_departements(path, &value)?;
    let collection: geojson::FeatureCollection = serde_json::from_value(value)
        .map_err(|e| bad("FeatureCollection".into(), e.to_string()))?;
    if collection.features.is_empty() {
        return Err(bad("FeatureCollection".into(), "no feature".into()));
    }
    let mut keys: Vec<String> = Vec::new();
    for f in &collection.features {
        for k in f.properties.iter().flat_map(Map::keys) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    if detect(&keys, NAME_FIELDS).is_none() {
        return Err(bad(
            "properties".into(),
            format!(
                "no name field: expected one of {} (any case); fields found: {}",
                NAME_FIELDS.join(", "),
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            ),
        ));
    }
    let mut ids = HashSet::new();
    let mut cpts = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let location = format!("feature {i}");
        // Fields are detected per feature: a layer may mix vintages.
        let own: Vec<String> = feature
            .properties
            .iter()
            .flat_map(Map::keys)
            .cloned()
            .collect();
        let name_field = detect(&own, NAME_FIELDS).unwrap_or(NAME_FIELDS[0]);
        let status_field = detect(&own, STATUS_FIELDS);
        let id_field = detect(&own, ID_FIELDS);
        let name = feature
            .property(name_field)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| bad(location.clone(), format!("no `{name_field}` (name) value")))?
            .to_string();
        let id = match id_field.and_then(|k| feature.property(k)) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(_)) | Some(Value::Null) | None => match &feature.id {
                Some(geojson::feature::Id::String(s)) => s.clone(),
                Some(geojson::feature::Id::Number(n)) => n.to_string(),
                None => slug(&name),
            },
            Some(other) => {
                return Err(bad(
                    location,
                    format!(
                        "`{}` must be a string or a number, found {other}",
                        id_field.unwrap_or("id")
                    ),
                ))
            }
        };
        let location = format!("{location} ({name:?})");
        if !ids.insert(id.clone()) {
            return Err(bad(location, format!("duplicate id {id:?}")));
        }
        let status = match status_field.and_then(|k| feature.property(k)) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(CptsStatus::from_label(s).ok_or_else(|| {
                bad(
                    location.clone(),
                    unknown_status(status_field.unwrap_or(""), s),
                )
            })?),
            Some(other) => {
                return Err(bad(
                    location,
                    format!(
                        "`{}` must be a string, found {other}",
                        status_field.unwrap_or("")
                    ),
                ))
            }
        };
        let geometry = feature
            .geometry
            .as_ref()
            .ok_or_else(|| bad(location.clone(), "no geometry".into()))?;
        let outline = multipolygon(geometry).map_err(|reason| bad(location, reason))?;
        cpts.push(Cpts {
            id,
            name,
            members: Vec::new(),
            outline: Some(outline),
            site: String::new(),
            status,
        });
    }
    let source = format!(
        "{} (GeoJSON)",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let (departements, basis) = match declared {
        Some(list) => (list, AreaBasis::Declared),
        None => (Vec::new(), AreaBasis::MemberDepartements),
    };
    Ok(Registry {
        areas: vec![RegistryArea {
            id: source_id(path),
            source: source.clone(),
            departements,
            basis,
            cpts: cpts.len(),
        }],
        source,
        cpts,
    })
}

/// The message for a status no [`CptsStatus`] matches.
pub(crate) fn unknown_status(field: &str, value: &str) -> String {
    format!(
        "status `{field}` = {value:?} is none of: signataire ACI ({}), projet de santé validé ({}), \
         lettre d'intention ({}), initiative ({})",
        status_id(CptsStatus::ALL[0]),
        status_id(CptsStatus::ALL[1]),
        status_id(CptsStatus::ALL[2]),
        status_id(CptsStatus::ALL[3]),
    )
}

fn status_id(status: CptsStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The `departements` foreign member of a FeatureCollection, if any: a list of codes.
fn declared_departements(path: &Path, value: &Value) -> Result<Option<Vec<String>>, LoadError> {
    let Some(list) = value.get("departements") else {
        return Ok(None);
    };
    let bad = |reason: String| registry_error(path, "departements".into(), reason);
    let codes = list
        .as_array()
        .ok_or_else(|| {
            bad(format!(
                "expected a list of département codes, found {list}"
            ))
        })?
        .iter()
        .map(|v| match v.as_str() {
            Some(s) if is_departement(s) => Ok(s.to_string()),
            _ => Err(bad(format!(
                "{v} is not a département code (01..95, 2A, 2B, 971..976)"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut codes = codes;
    codes.sort();
    codes.dedup();
    Ok(Some(codes))
}

/// True for a département code: `01`..`95`, `2A`, `2B`, `971`..`976`.
pub fn is_departement(code: &str) -> bool {
    match code.len() {
        2 => {
            code == "2A"
                || code == "2B"
                || code.bytes().all(|b| b.is_ascii_digit()) && code != "00" && code != "20"
        }
        3 => code.starts_with("97") && code.as_bytes()[2].is_ascii_digit(),
        _ => false,
    }
}
