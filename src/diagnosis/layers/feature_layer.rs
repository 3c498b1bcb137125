//! Layers published as feature collections: features with ids, found by box through an R-tree,
//! paged in a stable order (OGC API - Features `bbox`, `limit`, `offset`).

use std::collections::HashMap;

use geo::{BoundingRect, Intersects, MultiPolygon, Rect};
use geojson::{Feature, Geometry, JsonObject};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::engine::{Atlas, CommuneRef};

/// Which features of a layer to return: those meeting `bbox` (WGS84
/// `[minlon, minlat, maxlon, maxlat]`), from `offset`, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRequest {
    /// WGS84 box `[minlon, minlat, maxlon, maxlat]`; `None`: every feature.
    pub bbox: Option<[f64; 4]>,
    /// Features matched to skip, from 0.
    pub offset: usize,
    /// Features to return at most.
    pub limit: usize,
}

/// One page of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct FeaturePage {
    /// Features meeting the box (all of them without a box).
    pub number_matched: usize,
    /// The page's features, in layer order.
    pub features: Vec<Feature>,
}

/// A layer's extent, WGS84 `[minlon, minlat, maxlon, maxlat]`; `None` when no feature has a
/// geometry.
pub type Extent = Option<[f64; 4]>;

type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Features held in memory (a few thousand at most), in their layer's order, with an R-tree
/// over their bounding boxes.
pub struct FeatureLayer {
    features: Vec<Feature>,
    outlines: Vec<Option<MultiPolygon<f64>>>,
    tree: RTree<BoxEntry>,
    by_id: HashMap<String, usize>,
    extent: Extent,
}

impl FeatureLayer {
    /// Indexes `features` (Polygon or MultiPolygon geometries) under the id `id_of` gives; ids
    /// must be unique (a later duplicate is reachable by page only).
    pub fn new(features: Vec<Feature>, id_of: impl Fn(&Feature) -> String) -> Self {
        let mut by_id = HashMap::new();
        let mut boxes = Vec::new();
        let mut extent: Extent = None;
        let mut kept = Vec::with_capacity(features.len());
        let mut outlines = Vec::with_capacity(features.len());
        for (k, mut feature) in features.into_iter().enumerate() {
            let outline = feature.geometry.clone().and_then(outline_of);
            let id = id_of(&feature);
            feature.id = Some(geojson::feature::Id::String(id.clone()));
            by_id.entry(id).or_insert(k);
            if let Some(r) = outline.as_ref().and_then(|o| o.bounding_rect()) {
                boxes.push(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    k,
                ));
                extent = Some(widen(extent, r));
            }
            kept.push(feature);
            outlines.push(outline);
        }
        Self {
            features: kept,
            outlines,
            tree: RTree::bulk_load(boxes),
            by_id,
            extent,
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether the layer has no feature.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The layer's extent.
    pub fn extent(&self) -> Extent {
        self.extent
    }

    /// The features meeting the request's box, in layer order, paged.
    pub fn page(&self, request: &PageRequest) -> FeaturePage {
        let matched: Vec<usize> = match request.bbox {
            None => (0..self.features.len()).collect(),
            Some(bbox) => {
                let rect = rect(bbox);
                let mut found: Vec<usize> = self
                    .tree
                    .locate_in_envelope_intersecting(&envelope(bbox))
                    .map(|e| e.data)
                    .filter(|&k| {
                        self.outlines[k]
                            .as_ref()
                            .is_some_and(|o| o.intersects(&rect))
                    })
                    .collect();
                found.sort_unstable();
                found
            }
        };
        paged(&matched, request, |k| self.features[k].clone())
    }

    /// A feature by id.
    pub fn get(&self, id: &str) -> Option<Feature> {
        self.by_id.get(id).map(|&k| self.features[k].clone())
    }
}

/// A subset of the atlas's communes (all of them, or those of a report), with properties of
/// their own; found by box through the atlas's R-tree, in atlas order (by code).
pub struct CommuneLayer {
    /// Atlas index -> properties, for the communes of the layer.
    members: HashMap<usize, JsonObject>,
    /// Atlas indexes of the members, sorted.
    order: Vec<usize>,
    extent: Extent,
}

impl CommuneLayer {
    /// The layer of the communes at the given atlas indexes with their properties.
    pub fn new(atlas: &Atlas, members: impl IntoIterator<Item = (usize, JsonObject)>) -> Self {
        let members: HashMap<usize, JsonObject> = members.into_iter().collect();
        let mut order: Vec<usize> = members.keys().copied().collect();
        order.sort_unstable();
        let extent = order
            .iter()
            .filter_map(|&i| atlas.commune(i).geometry.as_ref()?.bounding_rect())
            .fold(None, |extent, r| Some(widen(extent, r)));
        Self {
            members,
            order,
            extent,
        }
    }

    /// Features of the layer.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the layer has no feature.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The layer's extent.
    pub fn extent(&self) -> Extent {
        self.extent
    }

    /// The communes meeting the request's box, by code, paged; outlines at full resolution.
    pub fn page(&self, atlas: &Atlas, request: &PageRequest) -> FeaturePage {
        match request.bbox {
            None => paged(&self.order, request, |i| self.feature(atlas, i)),
            Some(bbox) => {
                let rect = rect(bbox);
                let [min_lon, min_lat, max_lon, max_lat] = bbox;
                let mut matched: Vec<usize> = atlas
                    .communes_in_bbox(min_lon, min_lat, max_lon, max_lat)
                    .filter(|i| self.members.contains_key(i))
                    .filter(|&i| {
                        atlas
                            .commune(i)
                            .geometry
                            .as_ref()
                            .is_some_and(|g| g.intersects(&rect))
                    })
                    .collect();
                matched.sort_unstable();
                paged(&matched, request, |i| self.feature(atlas, i))
            }
        }
    }

    /// A commune of the layer by code.
    pub fn get(&self, atlas: &Atlas, code: &str) -> Option<Feature> {
        match atlas.find(code)? {
            CommuneRef::Commune(i) if self.members.contains_key(&i) => Some(self.feature(atlas, i)),
            _ => None,
        }
    }

    fn feature(&self, atlas: &Atlas, i: usize) -> Feature {
        let c = atlas.commune(i);
        Feature {
            id: Some(geojson::feature::Id::String(c.code.clone())),
            geometry: c.geometry.as_ref().map(Geometry::from),
            properties: self.members.get(&i).cloned(),
            ..Feature::default()
        }
    }
}

/// The page `request` asks of the `matched` items, built by `build`.
fn paged<F: Fn(usize) -> Feature>(
    matched: &[usize],
    request: &PageRequest,
    build: F,
) -> FeaturePage {
    FeaturePage {
        number_matched: matched.len(),
        features: matched
            .iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|&k| build(k))
            .collect(),
    }
}

/// A GeoJSON Polygon or MultiPolygon as a multipolygon.
fn outline_of(geometry: Geometry) -> Option<MultiPolygon<f64>> {
    match geo::Geometry::<f64>::try_from(geometry).ok()? {
        geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(m) => Some(m),
        _ => None,
    }
}

fn rect([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> Rect<f64> {
    Rect::new((min_lon, min_lat), (max_lon, max_lat))
}

fn envelope([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> AABB<[f64; 2]> {
    AABB::from_corners([min_lon, min_lat], [max_lon, max_lat])
}

fn widen(extent: Extent, r: Rect<f64>) -> [f64; 4] {
    match extent {
        None => [r.min().x, r.min().y, r.max().x, r.max().y],
        Some([a, b, c, d]) => [
            a.min(r.min().x),
            b.min(r.min().y),
            c.max(r.max().x),
            d.max(r.max().y),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// Squares of side 1 at x = 0, 2, 4, ... 18.
    fn squares() -> FeatureLayer {
        FeatureLayer::new(
            (0..10)
                .map(|k| {
                    let x = 2.0 * k as f64;
                    let square = polygon![(x: x, y: 0.), (x: x + 1., y: 0.), (x: x + 1., y: 1.), (x: x, y: 1.)];
                    let mut f = Feature::from(Geometry::from(&MultiPolygon(vec![square])));
                    f.set_property("n", k);
                    f
                })
                .collect(),
            |f| f.property("n").map(|n| format!("sq{n}")).unwrap_or_default(),
        )
    }

    fn ids(page: &FeaturePage) -> Vec<String> {
        page.features
            .iter()
            .map(|f| match &f.id {
                Some(geojson::feature::Id::String(s)) => s.clone(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn pages_in_layer_order_and_against_brute_force() {
        let layer = squares();
        let page = layer.page(&PageRequest {
            bbox: None,
            offset: 8,
            limit: 5,
        });
        assert_eq!(page.number_matched, 10);
        assert_eq!(ids(&page), ["sq8", "sq9"]);
        // A box from x = 3.5 to 8.5 meets the squares at x = 4, 6 and 8, not the one ending at 3.
        let page = layer.page(&PageRequest {
            bbox: Some([3.5, 0.5, 8.5, 2.0]),
            offset: 0,
            limit: 10,
        });
        assert_eq!(ids(&page), ["sq2", "sq3", "sq4"]);
        assert_eq!(layer.extent(), Some([0.0, 0.0, 19.0, 1.0]));
        assert_eq!(
            layer.get("sq3").and_then(|f| f.property("n").cloned()),
            Some(3.into())
        );
        assert!(layer.get("sq10").is_none());
    }
}
