//! Establishments located: the commune each lies in, and distances to a territory's outline.

use geo::{Coord, Rect};

use crate::engine::geometry::equal_area;
use crate::engine::geometry::great_circle::PointIndex;
use crate::engine::Atlas;
use crate::model::{Establishment, EstablishmentList};

/// Establishments with the commune each lies in and a distance index, built once at load.
pub struct EstablishmentIndex {
    list: EstablishmentList,
    commune: Vec<Option<usize>>,
    /// [`Establishment::is_second_line`] of each, read once.
    second_line: Vec<bool>,
    /// Whether some establishment is médico-social (the list names more than hospitals).
    medico_social: bool,
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
                    crate::engine::CommuneRef::Commune(i) => Some(i),
                    crate::engine::CommuneRef::Arrondissement(_) => None,
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
        let second_line = list
            .establishments
            .iter()
            .map(Establishment::is_second_line)
            .collect();
        let medico_social = list
            .establishments
            .iter()
            .any(Establishment::is_medico_social);
        Self {
            list,
            commune,
            second_line,
            medico_social,
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

    /// Whether an establishment gives second-line (general) care.
    pub fn is_second_line(&self, index: usize) -> bool {
        self.second_line[index]
    }

    /// Whether the list names médico-social structures (elderly, disability), not only
    /// hospitals: see [`Establishment::is_medico_social`].
    pub fn names_medico_social(&self) -> bool {
        self.medico_social
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
