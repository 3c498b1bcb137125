//! Validation and repair of a territory drawn by a user (GeoJSON Polygon / MultiPolygon, WGS84).
//!
//! Rules: Polygon and MultiPolygon geometries are accepted, alone, in a Feature, or gathered from
//! a FeatureCollection / GeometryCollection (their union is the territory). Every position must
//! hold finite longitude in [-180, 180] and latitude in [-90, 90]. A ring whose last position
//! differs from its first is closed (with a warning); a ring with fewer than 3 distinct
//! positions is an error. An invalid polygon (self-intersection, bow-tie, hole outside its
//! shell) is repaired with the odd-even rule of `geo::MakeValid`, and polygons that overlap each
//! other are merged into their union (each with a warning). The work is bounded before any
//! repair: at most [`DrawnLimits::max_vertices`] vertices, and at most `max_crossings` edge
//! crossings found among at most `max_edge_pairs` pairs of edges whose boxes meet (see
//! [`crate::engine::geometry::crossings`]); beyond, the geometry is refused as too complex.

use geo::{unary_union, Area, Coord, LineString, MakeValid, MultiPolygon, Polygon};
use geojson::{GeoJson, Geometry, GeometryValue, PolygonType, Position};

use crate::engine::geometry::crossings::{count_crossings, BudgetExceeded, CrossingBudget};

/// Limits on drawn geometries, to bound the work one request can cause.
#[derive(Debug, Clone, Copy)]
pub struct DrawnLimits {
    pub max_vertices: usize,
    /// Crossings between edges repaired at most, and pairs of nearby edges examined at most.
    pub crossings: CrossingBudget,
}

impl Default for DrawnLimits {
    fn default() -> Self {
        Self {
            max_vertices: 20_000,
            crossings: CrossingBudget {
                max_crossings: 1_000,
                max_edge_pairs: 1_000_000,
            },
        }
    }
}

/// Why a drawn geometry was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DrawnError {
    #[error("not a GeoJSON geometry, Feature or FeatureCollection: {0}")]
    NotGeojson(String),
    #[error("unsupported geometry type {0}: a territory is a Polygon or MultiPolygon")]
    UnsupportedType(String),
    #[error("the geometry is empty")]
    Empty,
    #[error("polygon {polygon}, ring {ring}: a position needs a longitude and a latitude")]
    ShortPosition { polygon: usize, ring: usize },
    #[error("polygon {polygon}, ring {ring}: coordinate is not a finite number")]
    NotFinite { polygon: usize, ring: usize },
    #[error("polygon {polygon}, ring {ring}: position ({lon}, {lat}) is outside WGS84 longitude/latitude ranges")]
    OutOfRange {
        polygon: usize,
        ring: usize,
        lon: f64,
        lat: f64,
    },
    #[error("polygon {polygon}, ring {ring}: a ring needs at least 3 distinct positions")]
    TooFewPositions { polygon: usize, ring: usize },
    #[error("the geometry has {count} vertices, more than the limit of {max}")]
    TooManyVertices { count: usize, max: usize },
    #[error("the polygon could not be repaired: {0}")]
    Unrepairable(String),
    #[error("the geometry's edges cross each other more than {max} times: too complex to repair, simplify it")]
    TooManyCrossings { max: usize },
    #[error("more than {max} pairs of edges lie close together: too complex to check, simplify the geometry")]
    TooDense { max: usize },
}

/// Turns user GeoJSON into a valid WGS84 multipolygon, with warnings for repairs made.
pub fn drawn_from_geojson(
    geojson: &GeoJson,
    limits: &DrawnLimits,
) -> Result<(MultiPolygon<f64>, Vec<String>), DrawnError> {
    let mut raw: Vec<&PolygonType> = Vec::new();
    match geojson {
        GeoJson::Geometry(g) => collect(g, &mut raw)?,
        GeoJson::Feature(f) => match &f.geometry {
            Some(g) => collect(g, &mut raw)?,
            None => return Err(DrawnError::Empty),
        },
        GeoJson::FeatureCollection(fc) => {
            for g in fc.features.iter().filter_map(|f| f.geometry.as_ref()) {
                collect(g, &mut raw)?;
            }
        }
    }
    let count: usize = raw.iter().flat_map(|p| p.iter()).map(Vec::len).sum();
    if count > limits.max_vertices {
        return Err(DrawnError::TooManyVertices {
            count,
            max: limits.max_vertices,
        });
    }
    let mut warnings = Vec::new();
    let mut polygons = Vec::with_capacity(raw.len());
    for (p, rings) in raw.iter().enumerate() {
        if rings.is_empty() {
            continue;
        }
        let mut converted = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            converted.push(ring_from_positions(ring, p, r, &mut warnings)?);
        }
        let exterior = converted.remove(0);
        polygons.push(Polygon::new(exterior, converted));
    }
    if polygons.is_empty() {
        return Err(DrawnError::Empty);
    }
    let crossings =
        count_crossings(&polygons, &limits.crossings).map_err(|exceeded| match exceeded {
            BudgetExceeded::Crossings(max) => DrawnError::TooManyCrossings { max },
            BudgetExceeded::EdgePairs(max) => DrawnError::TooDense { max },
        })?;
    // Each polygon is repaired on its own (odd-even), then polygons are unioned.
    let several = polygons.len() > 1;
    let mut repaired = Vec::with_capacity(polygons.len());
    for (p, polygon) in polygons.into_iter().enumerate() {
        match repair(polygon, crossings.within[p])? {
            Repair::Valid(polygon) => repaired.push(polygon),
            Repair::Repaired(fixed) => {
                warnings.push(format!(
                    "polygon {p} was invalid (self-intersecting or misplaced rings); \
                     it was repaired with the odd-even rule"
                ));
                repaired.extend(fixed.0);
            }
        }
    }
    let mut geometry = MultiPolygon(repaired);
    if several {
        let separate = geometry.unsigned_area();
        geometry = unary_union(&geometry.0);
        if crossings.between || !same_area(geometry.unsigned_area(), separate) {
            warnings.push("overlapping polygons were merged into their union".to_string());
        }
    }
    if geometry.unsigned_area() == 0.0 {
        return Err(DrawnError::Empty);
    }
    Ok((geometry, warnings))
}

enum Repair {
    Valid(Polygon<f64>),
    Repaired(MultiPolygon<f64>),
}

/// A polygon as it is when valid, else repaired. Without crossing edges only the holes can be
/// wrong (outside the shell, nested, overlapping): the repair is kept when it changes the area
/// or splits the polygon.
fn repair(polygon: Polygon<f64>, crosses_itself: bool) -> Result<Repair, DrawnError> {
    if !crosses_itself && polygon.interiors().is_empty() {
        return Ok(Repair::Valid(polygon));
    }
    let fixed = polygon
        .make_valid()
        .map_err(|e| DrawnError::Unrepairable(e.to_string()))?;
    let unchanged = !crosses_itself
        && fixed.0.len() == 1
        && fixed.0[0].interiors().len() == polygon.interiors().len()
        && same_area(fixed.unsigned_area(), polygon.unsigned_area());
    Ok(if unchanged {
        Repair::Valid(polygon)
    } else {
        Repair::Repaired(fixed)
    })
}

/// Equal areas up to rounding (relative 1e-9).
fn same_area(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn collect<'a>(geometry: &'a Geometry, out: &mut Vec<&'a PolygonType>) -> Result<(), DrawnError> {
    match &geometry.value {
        GeometryValue::Polygon { coordinates } => out.push(coordinates),
        GeometryValue::MultiPolygon { coordinates } => out.extend(coordinates.iter()),
        GeometryValue::GeometryCollection { geometries } => {
            for g in geometries {
                collect(g, out)?;
            }
        }
        other => return Err(DrawnError::UnsupportedType(other.type_name().to_string())),
    }
    Ok(())
}

fn ring_from_positions(
    positions: &[Position],
    polygon: usize,
    ring: usize,
    warnings: &mut Vec<String>,
) -> Result<LineString<f64>, DrawnError> {
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len() + 1);
    for position in positions {
        let (lon, lat) = match position.as_slice() {
            [lon, lat, ..] => (*lon, *lat),
            _ => return Err(DrawnError::ShortPosition { polygon, ring }),
        };
        if !lon.is_finite() || !lat.is_finite() {
            return Err(DrawnError::NotFinite { polygon, ring });
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(DrawnError::OutOfRange {
                polygon,
                ring,
                lon,
                lat,
            });
        }
        if coords.last() != Some(&Coord { x: lon, y: lat }) {
            coords.push(Coord { x: lon, y: lat });
        }
    }
    if coords.len() > 1 && coords.first() == coords.last() {
        coords.pop();
    } else if !coords.is_empty() && positions.first() != positions.last() {
        warnings.push(format!(
            "polygon {polygon}, ring {ring} was not closed; it was closed"
        ));
    }
    if coords.len() < 3 {
        return Err(DrawnError::TooFewPositions { polygon, ring });
    }
    coords.push(coords[0]);
    Ok(LineString(coords))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;

    fn parse(text: &str) -> Result<(MultiPolygon<f64>, Vec<String>), DrawnError> {
        drawn_from_geojson(&text.parse::<GeoJson>().unwrap(), &DrawnLimits::default())
    }

    #[test]
    fn accepts_polygon_feature_and_collection() {
        let square =
            r#"{"type":"Polygon","coordinates":[[[5,43],[5.1,43],[5.1,43.1],[5,43.1],[5,43]]]}"#;
        let (g, w) = parse(square).unwrap();
        assert_eq!(g.0.len(), 1);
        assert!(w.is_empty());
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{square}}}"#);
        assert_eq!(parse(&feature).unwrap().0, g);
        // Overlapping features are merged: two copies of the square are the square.
        let fc = format!(r#"{{"type":"FeatureCollection","features":[{feature},{feature}]}}"#);
        let (merged, w) = parse(&fc).unwrap();
        let (got, want) = (merged.unsigned_area(), g.unsigned_area());
        assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn closes_unclosed_rings_with_a_warning() {
        let (g, w) =
            parse(r#"{"type":"Polygon","coordinates":[[[5,43],[5.1,43],[5.1,43.1]]]}"#).unwrap();
        assert_eq!(g.0[0].exterior().0.len(), 4);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn refuses_bad_positions() {
        let cases = [
            (
                r#"{"type":"Polygon","coordinates":[[[5,43],[5.1,43],[5,43]]]}"#,
                "3 distinct",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[5,43],[500,43],[5.1,43.1],[5,43]]]}"#,
                "outside",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[5],[5.1,43],[5.1,43.1],[5,43]]]}"#,
                "longitude and a latitude",
            ),
            (r#"{"type":"Point","coordinates":[5,43]}"#, "Point"),
            (r#"{"type":"Polygon","coordinates":[]}"#, "empty"),
            (
                r#"{"type":"Polygon","coordinates":[[[5,43],[5,43],[5,43],[5,43]]]}"#,
                "3 distinct",
            ),
        ];
        for (text, needle) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn repairs_a_bow_tie() {
        let (g, w) =
            parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#).unwrap();
        assert!(g.is_valid());
        assert!(
            (g.unsigned_area() - 0.5).abs() < 1e-9,
            "{}",
            g.unsigned_area()
        );
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn keeps_valid_holes_and_repairs_a_hole_outside_its_shell() {
        let shell = "[[5,43],[5.1,43],[5.1,43.1],[5,43.1],[5,43]]";
        let inside = "[[5.02,43.02],[5.02,43.05],[5.05,43.05],[5.05,43.02],[5.02,43.02]]";
        let outside = "[[6,44],[6,44.05],[6.05,44.05],[6.05,44],[6,44]]";
        let polygon =
            |hole: &str| format!(r#"{{"type":"Polygon","coordinates":[{shell},{hole}]}}"#);
        let (g, w) = parse(&polygon(inside)).unwrap();
        assert_eq!((g.0.len(), g.0[0].interiors().len(), w.len()), (1, 1, 0));
        // Odd-even: the misplaced hole becomes a polygon of its own.
        let (g, w) = parse(&polygon(outside)).unwrap();
        assert!(g.is_valid());
        assert!((g.unsigned_area() - 0.01 - 0.0025).abs() < 1e-9);
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn refuses_geometries_too_complex_to_repair() {
        // A star {401/200}: 401 * 199 crossings, far above the budget.
        let ring: Vec<String> = (0..=401)
            .map(|i| {
                let a = (i * 200) as f64 / 401.0 * std::f64::consts::TAU;
                format!("[{},{}]", 5.0 + 0.1 * a.cos(), 43.0 + 0.1 * a.sin())
            })
            .collect();
        let text = format!(
            r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
            ring.join(",")
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err, DrawnError::TooManyCrossings { max: 1_000 });
    }

    #[test]
    fn bounds_the_vertex_count() {
        let ring: Vec<String> = (0..=30)
            .map(|i| {
                let a = i as f64 / 30.0 * std::f64::consts::TAU;
                format!("[{},{}]", 5.0 + a.cos(), 43.0 + a.sin())
            })
            .collect();
        let text = format!(
            r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
            ring.join(",")
        );
        let limits = DrawnLimits {
            max_vertices: 10,
            ..DrawnLimits::default()
        };
        let err = drawn_from_geojson(&text.parse().unwrap(), &limits).unwrap_err();
        assert!(matches!(
            err,
            DrawnError::TooManyVertices { count: 31, max: 10 }
        ));
    }
}
