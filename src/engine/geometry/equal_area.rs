//! Lambert cylindrical equal-area projection on the WGS84 ellipsoid: planar areas are true areas.
//!
//! `x = a λ`, `y = a q(φ) / 2` where `q` is the authalic function (Snyder, *Map Projections — A
//! Working Manual*, 1987, eq. 3-12 and 10-15/10-16 with k₀ = 1). The projection preserves area
//! exactly on the ellipsoid, so the shoelace area of projected coordinates is in m².
//!
//! # Examples
//! ```
//! use cpts_atlas::engine::geometry::equal_area::{project, area_km2};
//! use geo::{polygon, MultiPolygon};
//! // One degree square at the equator: about 12 308 km² on WGS84.
//! let cell = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
//! let km2 = area_km2(&project(&MultiPolygon(vec![cell])));
//! assert!((km2 - 12_308.8).abs() < 1.0, "{km2}");
//! ```

use geo::{Area, Coord, MapCoords, MultiPolygon};

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

/// Projects one WGS84 (longitude, latitude) coordinate in degrees to metres.
pub fn project_coord(c: Coord<f64>) -> Coord<f64> {
    let e2 = F * (2.0 - F);
    let e = e2.sqrt();
    let s = c.y.to_radians().sin();
    let q = (1.0 - e2)
        * (s / (1.0 - e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln());
    Coord {
        x: A * c.x.to_radians(),
        y: A * q / 2.0,
    }
}

/// Projects a WGS84 multipolygon to the equal-area plane (metres).
pub fn project(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    geometry.map_coords(project_coord)
}

/// Area in km² of an already projected geometry.
pub fn area_km2(projected: &MultiPolygon<f64>) -> f64 {
    projected.unsigned_area() / 1e6
}
