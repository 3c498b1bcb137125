//! Establishments located: the commune each lies in, and distances to a territory's outline.

use geo::{Coord, Distance, Euclidean, MapCoords, Point, Rect};

use super::equal_area;
use super::great_circle::{PointIndex, EARTH_RADIUS_KM};
use super::Atlas;
use crate::model::{Establishment, EstablishmentList};

/// Establishments with the commune each lies in and a distance index, built once at load.
pub struct EstablishmentIndex {
    list: EstablishmentList,
    commune: Vec<Option<usize>>,
    points: PointIndex,
}

impl EstablishmentIndex {
    /// Locates every establishment: the commune given by the source when it is current, else
    /// the commune whose outline contains the point.
    pub fn new(atlas: &Atlas, list: EstablishmentList) -> Self {
        let commune = list
            .establishments
            .iter()
            .map(|e| {
                let given = e.commune.as_deref().and_then(|c| match atlas.find(c)? {
                    super::CommuneRef::Commune(i) => Some(i),
                    super::CommuneRef::Arrondissement(_) => None,
                });
                given.or_else(|| commune_at(atlas, (e.lon, e.lat)))
            })
            .collect();
        let points = PointIndex::new(
            list.establishments
                .iter()
                .enumerate()
                .map(|(i, e)| (i, (e.lon, e.lat))),
        );
        Self {
            list,
            commune,
            points,
        }
    }

    /// The list as loaded, with its source and vintage.
    pub fn list(&self) -> &EstablishmentList {
        &self.list
    }

    /// An establishment by index.
    pub fn get(&self, index: usize) -> &Establishment {
        &self.list.establishments[index]
    }

    /// Index of the commune the establishment lies in, if found.
    pub fn commune_of(&self, index: usize) -> Option<usize> {
        self.commune[index]
    }

    /// Establishments within `km` of a point (great-circle).
    pub fn within_km(&self, point: (f64, f64), km: f64) -> impl Iterator<Item = usize> + '_ {
        self.points.within_km(point, km)
    }
}

/// The commune whose outline contains a (longitude, latitude) point.
pub fn commune_at(atlas: &Atlas, point: (f64, f64)) -> Option<usize> {
    let p = equal_area::project_coord(Coord {
        x: point.0,
        y: point.1,
    });
    atlas
        .communes_near(Rect::new(p, p))
        .find(|&i| atlas.projected(i).is_some_and(|c| c.boundary.contains(p)))
}

/// Distance in km from a point to the nearest of the given communes' outlines (0 inside),
/// computed in a local equirectangular plane centred on the point (error well under 1 % within
/// 100 km). `None` when no commune has an outline.
pub fn distance_to_communes_km(
    atlas: &Atlas,
    communes: &[usize],
    point: (f64, f64),
) -> Option<f64> {
    let (lon0, lat0) = point;
    let k = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
    let cos0 = lat0.to_radians().cos();
    let local = |c: Coord<f64>| Coord {
        x: (c.x - lon0) * k * cos0,
        y: (c.y - lat0) * k,
    };
    let origin = Point::new(0.0, 0.0);
    communes
        .iter()
        .filter_map(|&i| atlas.commune(i).geometry.as_ref())
        .map(|g| Euclidean.distance(&origin, &g.map_coords(local)))
        .min_by(f64::total_cmp)
}
