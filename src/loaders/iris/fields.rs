//! The attributes of an IRIS feature, whatever the file's dialect (IGN, INSEE, OpenDataSoft).
//!
//! Field names are matched case-insensitively:
//! - code: `CODE_IRIS`, `iris_code`, `DCOMIRIS`, a 9-character `IRIS` or `id`, else the commune
//!   (`INSEE_COM`, `insee_com`, `com`, `com_code`, `DEPCOM`) followed by the 4-character `IRIS`;
//! - name: `NOM_IRIS`, `LIBIRIS`, `iris_name`, `lib_iris`, `libelle_iris`;
//! - type: `TYP_IRIS`, `iris_type`, `type_iris` (`H`/`A`/`D`/`Z` or `iris d'habitat`, ...);
//!   without one, a code ending in `0000` is a whole commune (`Z`), other codes have no type
//!   (the readers refuse them, except in the france-geojson dialect below);
//! - population (optional): `Pyy_POP` (INSEE census of 20yy), e.g. `p12_pop`;
//! - the france-geojson dialect (`libelle_iris`, `code_iris`, `population`: the national
//!   `departements_iris/` files of mathieulebasic/france-geojson): `population` is the INSEE
//!   RP 2019 IRIS population ([`FRANCE_GEOJSON_CENSUS`]), and IRIS types are not given;
//! - vintage (optional): `year`, when a file mixes vintages of the same IRIS.
//!
//! Values may be strings, numbers, or one-element arrays (OpenDataSoft exports).

use std::collections::HashMap;

use geo::MultiPolygon;

use crate::model::{is_iris_code, IrisType};

/// A feature's attributes as text, keyed by lower-case field name.
pub(crate) type Attributes = HashMap<String, String>;

/// One IRIS as read from a file, before it is joined to the geography.
#[derive(Debug, Clone)]
pub(crate) struct IrisFeature {
    pub code: String,
    pub name: String,
    /// `None` when the file gives no type (france-geojson dialect).
    pub kind: Option<IrisType>,
    /// (census year, population) when the file carries a `Pyy_POP` field.
    pub population: Option<(u16, f64)>,
    /// Vintage of the record when the file says (`year`).
    pub year: Option<u16>,
    pub geometry: MultiPolygon<f64>,
}

const CODE_FIELDS: [&str; 3] = ["code_iris", "iris_code", "dcomiris"];
const COMMUNE_FIELDS: [&str; 5] = ["insee_com", "com", "com_code", "depcom", "com_arm_code"];
const NAME_FIELDS: [&str; 5] = [
    "nom_iris",
    "libiris",
    "iris_name",
    "lib_iris",
    "libelle_iris",
];

/// Census year of the `population` field of the france-geojson dialect (its README: INSEE RP
/// 2019 IRIS populations, given only in communes split into IRIS).
pub const FRANCE_GEOJSON_CENSUS: u16 = 2019;
const TYPE_FIELDS: [&str; 3] = ["typ_iris", "iris_type", "type_iris"];

/// Reads the IRIS of one feature (`index` and the code name it in errors).
pub(crate) fn iris_feature(
    attributes: &Attributes,
    geometry: MultiPolygon<f64>,
    index: usize,
) -> Result<IrisFeature, String> {
    let first = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| attributes.get(*n).filter(|v| !v.is_empty()))
            .cloned()
    };
    let code = first(&CODE_FIELDS)
        .or_else(|| {
            ["iris", "id"]
                .iter()
                .filter_map(|n| attributes.get(*n))
                .find(|v| is_iris_code(v))
                .cloned()
        })
        .or_else(|| {
            let commune = first(&COMMUNE_FIELDS)?;
            let iris = attributes.get("iris").filter(|v| v.len() == 4)?;
            Some(format!("{commune}{iris}"))
        })
        .ok_or_else(|| {
            format!(
                "feature {index} has no IRIS code field ({}, or a commune field with a 4-character IRIS)",
                CODE_FIELDS.join(", ")
            )
        })?;
    if !is_iris_code(&code) {
        return Err(format!(
            "feature {index}: `{code}` is not an IRIS code (commune code + 4 digits)"
        ));
    }
    let name = first(&NAME_FIELDS).ok_or_else(|| {
        format!(
            "IRIS {code} (feature {index}) has no name field ({})",
            NAME_FIELDS.join(", ")
        )
    })?;
    let france_geojson = attributes.contains_key("libelle_iris");
    let kind = match first(&TYPE_FIELDS) {
        Some(text) => Some(IrisType::parse(&text).ok_or_else(|| {
            format!("IRIS {code}: unknown IRIS type `{text}` (expected H, A, D or Z)")
        })?),
        None if code.ends_with("0000") => Some(IrisType::Undivided),
        None if france_geojson => None,
        None => {
            return Err(format!(
                "IRIS {code} (feature {index}) has no type field ({})",
                TYPE_FIELDS.join(", ")
            ))
        }
    };
    let bare = attributes
        .get("population")
        .filter(|_| france_geojson)
        .map(|v| (FRANCE_GEOJSON_CENSUS, v));
    let population = attributes
        .iter()
        .filter_map(|(k, v)| Some((census_year(k)?, v)))
        .chain(bare)
        .min_by_key(|(year, _)| std::cmp::Reverse(*year))
        .map(|(year, v)| {
            parse_number(v)
                .map(|p| (year, p))
                .ok_or_else(|| format!("IRIS {code}: population `{v}` is not a number"))
        })
        .transpose()?;
    let year = attributes.get("year").and_then(|y| y.trim().parse().ok());
    Ok(IrisFeature {
        code,
        name,
        kind,
        population,
        year,
        geometry,
    })
}

/// `p12_pop` -> 2012; `P21_POP` -> 2021 (lower-case names).
pub(crate) fn census_year(field: &str) -> Option<u16> {
    let f = field.trim().to_ascii_lowercase();
    let yy = f.strip_prefix('p')?.strip_suffix("_pop")?;
    (yy.len() == 2 && yy.bytes().all(|b| b.is_ascii_digit()))
        .then(|| 2000 + yy.parse::<u16>().unwrap_or(0))
}

/// A non-negative finite number, with a decimal point or a decimal comma.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let v: f64 = text.trim().replace(',', ".").parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// A JSON property value as text: strings as is, numbers formatted, one-element arrays
/// unwrapped; `None` for null, objects and longer arrays.
pub(crate) fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(a) if a.len() == 1 => json_text(&a[0]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_each_dialect() {
        let g = MultiPolygon(vec![]);
        let ign = attrs(&[
            ("code_iris", "693830101"),
            ("nom_iris", "Guillotière"),
            ("typ_iris", "H"),
        ]);
        let f = iris_feature(&ign, g.clone(), 0).unwrap();
        assert_eq!(
            (f.code.as_str(), f.kind),
            ("693830101", Some(IrisType::Residential))
        );
        let lyon = attrs(&[
            ("id", "693840302"),
            ("libiris", "Canuts"),
            ("typ_iris", "A"),
            ("p12_pop", "2390"),
        ]);
        let f = iris_feature(&lyon, g.clone(), 1).unwrap();
        assert_eq!(f.population, Some((2012, 2390.0)));
        assert_eq!(f.kind, Some(IrisType::Activity));
        let split = attrs(&[
            ("insee_com", "59650"),
            ("iris", "0603"),
            ("nom_iris", "Beaulieu 1"),
            ("typ_iris", "iris d'habitat"),
        ]);
        assert_eq!(
            iris_feature(&split, g.clone(), 2).unwrap().code,
            "596500603"
        );
        // france-geojson: RP 2019 populations, no types but the whole communes'.
        let national = |code: &str, population: Option<&str>| {
            let mut a = attrs(&[("code_iris", code), ("libelle_iris", "Capitole")]);
            a.extend(population.map(|p| ("population".to_string(), p.to_string())));
            iris_feature(&a, g.clone(), 3).unwrap()
        };
        let f = national("315550101", Some("2765.4"));
        assert_eq!((f.kind, f.population), (None, Some((2019, 2765.4))));
        let f = national("310010000", None);
        assert_eq!((f.kind, f.population), (Some(IrisType::Undivided), None));
    }

    #[test]
    fn missing_or_bad_fields_are_named() {
        let g = MultiPolygon(vec![]);
        let cases = [
            (
                attrs(&[("nom_iris", "x"), ("typ_iris", "H")]),
                "no IRIS code field",
            ),
            (
                attrs(&[
                    ("code_iris", "6938301"),
                    ("nom_iris", "x"),
                    ("typ_iris", "H"),
                ]),
                "not an IRIS code",
            ),
            (
                attrs(&[("code_iris", "693830101"), ("typ_iris", "H")]),
                "no name field",
            ),
            (
                attrs(&[("code_iris", "693830101"), ("nom_iris", "x")]),
                "no type field",
            ),
            (
                attrs(&[
                    ("code_iris", "693830101"),
                    ("nom_iris", "x"),
                    ("typ_iris", "Q"),
                ]),
                "unknown IRIS type",
            ),
        ];
        for (a, needle) in cases {
            let err = iris_feature(&a, g.clone(), 3).unwrap_err();
            assert!(err.contains(needle), "{err}");
        }
    }
}
