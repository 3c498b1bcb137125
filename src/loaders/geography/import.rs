//! Builds the shipped geography from the raw sources (`../shared/data`): COG 2026 + IGN 2018 polygons.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{unary_union, LineString, MultiPolygon, Polygon, Simplify};

use crate::loaders::geography::cog::load_cog;
use crate::loaders::geography::ign::load_ign_communes;
use crate::loaders::LoadError;
use crate::model::{DisplayLevel, Geography};

/// Vintage label of the geography this import builds.
pub const VINTAGE: &str =
    "COG 2026 (INSEE populations légales) + IGN ADMIN EXPRESS-COG 2018 simplifié";

/// What the import did, for its log: nothing is dropped silently.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Current communes imported.
    pub communes: usize,
    /// Of those, communes with an IGN polygon.
    pub with_polygon: usize,
    /// Current communes whose polygon is the union of several 2018 polygons: (code, parts).
    pub dissolved: Vec<(String, usize)>,
    /// Current communes left without polygon: (code, name, reason).
    pub without_polygon: Vec<(String, String, String)>,
    /// 2018 codes that map to no current commune.
    pub unmatched_ign_codes: Vec<String>,
}

/// Display simplification tolerances (degrees): about 2 pixels at zoom 8 and at zoom 10.
pub const DISPLAY_TOLERANCES: [f64; 2] = [0.01, 0.003];

/// Douglas-Peucker per ring: a shell that would collapse keeps its full outline, a hole that
/// would collapse is dropped.
pub(crate) fn simplify_for_display(
    geometry: &MultiPolygon<f64>,
    tolerance: f64,
) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>| Some(r.simplify(tolerance)).filter(|s| s.0.len() >= 4);
    MultiPolygon(
        geometry
            .0
            .iter()
            .map(|p| {
                Polygon::new(
                    ring(p.exterior()).unwrap_or_else(|| p.exterior().clone()),
                    p.interiors().iter().filter_map(ring).collect(),
                )
            })
            .collect(),
    )
}

/// Collectivités d'outre-mer: in the COG, outside IGN ADMIN EXPRESS-COG.
const COM_DEPARTEMENTS: [&str; 8] = ["975", "977", "978", "984", "986", "987", "988", "989"];

/// Reads `cog-2026/` and `communes-2018-ign/` under `shared_data` and joins them.
///
/// A 2018 code maps to the current commune with the same code, else to the commune that lists
/// it in `anciensCodes`, else to the `chefLieu` of the commune déléguée or associée it became.
/// The polygons mapped to one current commune are dissolved (unioned) into its outline.
pub fn import_geography(shared_data: &Path) -> Result<(Geography, ImportReport), LoadError> {
    let mut geography = load_cog(&shared_data.join("cog-2026"))?;
    geography.vintage = VINTAGE.to_string();
    let ign = load_ign_communes(
        &shared_data.join("communes-2018-ign/communes-france-entiere-2018-simplifiee.geojson"),
    )?;

    let index: std::collections::HashMap<&str, usize> = geography
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    let former: std::collections::HashMap<&str, &str> = geography
        .former_codes
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();

    let mut report = ImportReport::default();
    // Current commune -> (number of 2018 features mapped to it, their polygons).
    let mut parts: BTreeMap<usize, (usize, Vec<geo::Polygon<f64>>)> = BTreeMap::new();
    for commune in ign {
        let target = index.get(commune.code.as_str()).copied().or_else(|| {
            former
                .get(commune.code.as_str())
                .and_then(|new| index.get(new).copied())
        });
        match target {
            Some(i) => {
                let entry = parts.entry(i).or_default();
                entry.0 += 1;
                entry.1.extend(commune.geometry.0);
            }
            None => report.unmatched_ign_codes.push(commune.code),
        }
    }
    for (i, (features, polygons)) in parts {
        let geometry = if features == 1 {
            MultiPolygon(polygons)
        } else {
            report
                .dissolved
                .push((geography.communes[i].code.clone(), features));
            unary_union(&polygons)
        };
        geography.communes[i].geometry = Some(geometry);
    }

    geography.display_levels = DISPLAY_TOLERANCES
        .iter()
        .map(|&tolerance_deg| DisplayLevel {
            tolerance_deg,
            outlines: geography
                .communes
                .iter()
                .map(|c| {
                    c.geometry
                        .as_ref()
                        .map(|g| simplify_for_display(g, tolerance_deg))
                })
                .collect(),
        })
        .collect();

    report.communes = geography.communes.len();
    for commune in &geography.communes {
        if commune.geometry.is_some() {
            report.with_polygon += 1;
        } else {
            let reason = if COM_DEPARTEMENTS.contains(&commune.departement.as_str()) {
                "collectivité d'outre-mer: not covered by IGN ADMIN EXPRESS-COG"
            } else {
                "no 2018 polygon maps to this code (commune created or restored after 2018)"
            };
            report.without_polygon.push((
                commune.code.clone(),
                commune.name.clone(),
                reason.to_string(),
            ));
        }
    }
    Ok((geography, report))
}
