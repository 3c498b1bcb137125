//! `Atlas`: the geography with its indexes, built once at load and shared immutably.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use geo::{Centroid, Intersects, MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::engine::geometry::equal_area;
use crate::engine::geometry::intersection_area::{Boundary, Extent};
use crate::engine::territory::adjacency::Adjacency;
use crate::engine::territory::area_totals::{AreaTotal, AreaTotals, ComparisonArea};
use crate::engine::territory::iris::{
    arrondissement_outlines, ArrondissementOutlines, IrisIndex, IrisShare, IrisTiling,
};
use crate::model::{
    Arrondissement, AtlasSources, Commune, Deferred, Departement, DisplayLevel, Epci, Geography,
    Iris, IrisLayer, OutlineMeasures, Region, StoredMeasures, TerritoryMember,
};

/// An R-tree entry: a commune's (or IRIS') projected bounding box and its index.
pub(crate) type CommuneBox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A commune's (or IRIS', or arrondissement's) projected boundary, for area computations.
pub(crate) struct ProjectedCommune {
    pub boundary: Boundary,
    pub area_km2: f64,
}

impl ProjectedCommune {
    /// Projects a WGS84 outline to the equal-area plane; `None` for an empty one.
    pub fn new(outline: &MultiPolygon<f64>) -> Option<Self> {
        let boundary = Boundary::new(&equal_area::project(outline))?;
        let area_km2 = boundary.area() / 1e6;
        Some(Self { boundary, area_km2 })
    }

    /// The projected box and area of a WGS84 outline, as [`ProjectedCommune::new`] gives them,
    /// without building the boundary; `None` for an empty outline.
    pub fn extent(outline: &MultiPolygon<f64>) -> Option<Extent> {
        Extent::new(&equal_area::project(outline))
    }
}

/// An R-tree over the projected bounding boxes of outlines, keyed by their index.
pub(crate) fn rtree_of(projected: &[Option<ProjectedCommune>]) -> RTree<CommuneBox> {
    rtree_of_rects(
        projected
            .iter()
            .map(|p| p.as_ref().map(|p| p.boundary.rect)),
    )
}

/// An R-tree over projected bounding boxes (`None`: no outline), keyed by their position.
fn rtree_of_rects(rects: impl Iterator<Item = Option<Rect<f64>>>) -> RTree<CommuneBox> {
    let boxes = rects
        .enumerate()
        .filter_map(|(i, r)| {
            let r = r?;
            Some(GeomWithData::new(
                Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                i,
            ))
        })
        .collect();
    RTree::bulk_load(boxes)
}

/// Each commune's projected box and area, computed on two threads (halves of the list).
fn extents_of(communes: &[Commune]) -> Vec<Option<Extent>> {
    let extent = |c: &Commune| c.geometry.as_ref().and_then(ProjectedCommune::extent);
    let (first, second) = communes.split_at(communes.len() / 2);
    std::thread::scope(|s| {
        let second = s.spawn(|| second.iter().map(extent).collect::<Vec<_>>());
        let mut extents: Vec<Option<Extent>> = first.iter().map(extent).collect();
        extents.extend(
            second
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        extents
    })
}

/// The extent stored in a commune's measures.
fn extent_of_measures(m: OutlineMeasures) -> Extent {
    let [min_x, min_y, max_x, max_y] = m.projected_box;
    Extent {
        rect: Rect::new((min_x, min_y), (max_x, max_y)),
        area_km2: m.area_km2,
    }
}

/// A longitude/latitude box in the equal-area plane (the projection keeps meridians and
/// parallels straight, so boxes map to boxes).
fn projected_box(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Rect<f64> {
    Rect::new(
        equal_area::project_coord((min_lon, min_lat).into()),
        equal_area::project_coord((max_lon, max_lat).into()),
    )
}

/// How a user's code was found: a commune or an arrondissement municipal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneRef {
    /// A commune, by index in the geography.
    Commune(usize),
    /// An arrondissement municipal, by index in the geography.
    Arrondissement(usize),
}

/// The loaded geography, indexed: look-ups by code and an R-tree over commune outlines.
pub struct Atlas {
    geography: Geography,
    /// Each commune's projected box and area, computed at load (no boundary built) unless
    /// stored built.
    extents: Vec<Option<Extent>>,
    /// Each commune's centroid when stored built (else computed from the outline on demand).
    centroids: Option<Vec<Option<(f64, f64)>>>,
    /// Each commune's projected boundary, built on first use (a drawn territory near it).
    projected: Vec<OnceLock<Option<ProjectedCommune>>>,
    tree: RTree<CommuneBox>,
    by_code: HashMap<String, CommuneRef>,
    epci_by_siren: HashMap<String, usize>,
    former: HashMap<String, String>,
    departement_by_code: HashMap<String, usize>,
    region_by_code: HashMap<String, usize>,
    area_totals: AreaTotals,
    /// The simplified outlines for the map, decoded on first use from `display_file`.
    display_levels: OnceLock<Vec<DisplayLevel>>,
    display_file: Mutex<Option<Deferred<Vec<DisplayLevel>>>>,
    /// The IRIS layer, decoded and indexed on first use from `iris_file`.
    iris: OnceLock<IrisIndex>,
    iris_file: Mutex<Option<Deferred<IrisLayer>>>,
    /// The layer decoded before it is indexed (for the arrondissement outlines alone).
    iris_decoded: Mutex<Option<IrisLayer>>,
    /// Arrondissement outlines from the IRIS layer, built on first use without indexing IRIS.
    arrondissements: OnceLock<ArrondissementOutlines>,
    adjacency: OnceLock<Adjacency>,
}

impl Atlas {
    /// Adds an IRIS layer, indexed once: IRIS codes resolve, arrondissements get their outlines,
    /// and partly covered communes with IRIS count their population through them.
    pub fn with_iris(self, layer: IrisLayer) -> Self {
        let index = self.index_iris(layer);
        *self.iris_file.lock().expect("not poisoned") = None;
        let iris = OnceLock::new();
        let _ = iris.set(index);
        Self { iris, ..self }
    }

    fn index_iris(&self, layer: IrisLayer) -> IrisIndex {
        IrisIndex::new(layer, &self.geography, |i| self.commune_area_km2(i))
    }

    /// The IRIS index, decoded from the checked file on first use (an empty layer without one).
    fn iris_loaded(&self) -> &IrisIndex {
        self.iris.get_or_init(|| {
            let decoded = self.iris_decoded.lock().expect("not poisoned").take();
            match decoded.or_else(|| self.decode_iris_file()) {
                Some(layer) => self.index_iris(layer),
                None => IrisIndex::default(),
            }
        })
    }

    /// Decodes the checked IRIS file, if one is waiting.
    fn decode_iris_file(&self) -> Option<IrisLayer> {
        let file = self.iris_file.lock().expect("not poisoned").take()?;
        file.decode()
            .map_err(|e| {
                // The checksum matched at start: only a format bug can land here.
                eprintln!("IRIS layer not loaded: {e}");
            })
            .ok()
    }

    /// The arrondissement outlines of the IRIS layer: decoded (not indexed) on first use.
    fn arrondissements(&self) -> &ArrondissementOutlines {
        self.arrondissements.get_or_init(|| {
            if let Some(index) = self.iris.get() {
                return arrondissement_outlines(&index.layer);
            }
            let mut decoded = self.iris_decoded.lock().expect("not poisoned");
            if decoded.is_none() {
                *decoded = self.decode_iris_file();
            }
            match decoded.as_ref() {
                Some(layer) => arrondissement_outlines(layer),
                // Indexed meanwhile by another thread.
                None => self
                    .iris
                    .get()
                    .map(|index| arrondissement_outlines(&index.layer))
                    .unwrap_or_default(),
            }
        })
    }

    /// The outline of an arrondissement municipal and its projection, where IRIS gave one.
    pub(crate) fn arrondissement_projected(
        &self,
        code: &str,
    ) -> Option<&(MultiPolygon<f64>, ProjectedCommune)> {
        self.arrondissements().get(code)
    }

    /// Indexes a geography and its layers (a [`Geography`] alone, or the
    /// [`AtlasSources`] a data directory gives): takes every outline's projected box, area and
    /// centroid from the stored measures, or computes them without those (the boundaries are
    /// built on first use), bulk-loads the R-tree; display levels and IRIS are decoded on first
    /// use.
    pub fn new(sources: impl Into<AtlasSources>) -> Self {
        let AtlasSources {
            mut geography,
            display_levels,
            iris,
            measures,
        } = sources.into();
        let display_file = display_levels
            .unwrap_or_else(|| Deferred::ready(std::mem::take(&mut geography.display_levels)));
        let communes = geography.communes.len();
        let measures = measures
            .filter(|m| m.outlines.len() == communes && m.adjacency.offsets.len() == communes + 1);
        let adjacency = OnceLock::new();
        let (extents, centroids) = match measures {
            Some(StoredMeasures {
                outlines,
                adjacency: rows,
            }) => {
                let _ = adjacency.set(Adjacency::from(rows));
                (
                    outlines.iter().map(|m| m.map(extent_of_measures)).collect(),
                    Some(
                        outlines
                            .iter()
                            .map(|m| m.and_then(|m| m.centroid))
                            .collect(),
                    ),
                )
            }
            None => (extents_of(&geography.communes), None),
        };
        let mut by_code: HashMap<String, CommuneRef> = geography
            .communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), CommuneRef::Commune(i)))
            .collect();
        for (i, a) in geography.arrondissements.iter().enumerate() {
            by_code.insert(a.code.clone(), CommuneRef::Arrondissement(i));
        }
        let index_by = |codes: Vec<&String>| -> HashMap<String, usize> {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i))
                .collect()
        };
        let area_totals = AreaTotals::new(&geography.communes, |i| {
            extents[i].as_ref().map(|e| e.area_km2)
        });
        Self {
            tree: rtree_of_rects(extents.iter().map(|e| e.as_ref().map(|e| e.rect))),
            projected: extents.iter().map(|_| OnceLock::new()).collect(),
            extents,
            centroids,
            area_totals,
            epci_by_siren: index_by(geography.epcis.iter().map(|e| &e.siren).collect()),
            departement_by_code: index_by(geography.departements.iter().map(|d| &d.code).collect()),
            region_by_code: index_by(geography.regions.iter().map(|r| &r.code).collect()),
            former: geography.former_codes.iter().cloned().collect(),
            display_levels: OnceLock::new(),
            display_file: Mutex::new(Some(display_file)),
            iris: OnceLock::new(),
            iris_file: Mutex::new(iris),
            iris_decoded: Mutex::new(None),
            arrondissements: OnceLock::new(),
            adjacency,
            by_code,
            geography,
        }
    }

    /// A commune's centroid (longitude, latitude): the area centroid of its outline (planar,
    /// in degrees); `None` without outline.
    pub fn commune_centroid(&self, index: usize) -> Option<(f64, f64)> {
        match &self.centroids {
            Some(stored) => stored[index],
            None => {
                let outline = self.geography.communes[index].geometry.as_ref()?;
                outline.centroid().map(|c| (c.x(), c.y()))
            }
        }
    }

    /// Every commune's outline measures and the adjacency, as the import stores them (the
    /// adjacency built if it was not stored).
    pub fn stored_measures(&self) -> StoredMeasures {
        let outlines = self
            .extents
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let e = e.as_ref()?;
                let (min, max) = (e.rect.min(), e.rect.max());
                Some(OutlineMeasures {
                    projected_box: [min.x, min.y, max.x, max.y],
                    area_km2: e.area_km2,
                    centroid: self.commune_centroid(i),
                })
            })
            .collect();
        StoredMeasures {
            outlines,
            adjacency: self.adjacency().rows().clone(),
        }
    }

    /// The geography as loaded (its display levels apart: [`Atlas::display_outline`]).
    pub fn geography(&self) -> &Geography {
        &self.geography
    }

    /// The geography with its display levels decoded: what another atlas is built from.
    pub fn whole_geography(&self) -> Geography {
        Geography {
            display_levels: self.display_levels().to_vec(),
            ..self.geography.clone()
        }
    }

    /// Every current commune.
    pub fn communes(&self) -> &[Commune] {
        &self.geography.communes
    }

    /// A commune by its index.
    pub fn commune(&self, index: usize) -> &Commune {
        &self.geography.communes[index]
    }

    /// An arrondissement municipal by its index.
    pub fn arrondissement(&self, index: usize) -> &Arrondissement {
        &self.geography.arrondissements[index]
    }

    /// Finds a current commune or an arrondissement by its INSEE code.
    pub fn find(&self, code: &str) -> Option<CommuneRef> {
        self.by_code.get(code).copied()
    }

    /// The current commune a former (merged, delegated or associated) commune code belongs to.
    pub fn successor(&self, former_code: &str) -> Option<&str> {
        self.former.get(former_code).map(String::as_str)
    }

    /// An EPCI by SIREN.
    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epci_by_siren
            .get(siren)
            .map(|&i| &self.geography.epcis[i])
    }

    /// A département by code.
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departement_by_code
            .get(code)
            .map(|&i| &self.geography.departements[i])
    }

    /// A région by code.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.region_by_code
            .get(code)
            .map(|&i| &self.geography.regions[i])
    }

    /// Population and area of a département, a région or France (summed at load).
    pub fn area_total(&self, place: &ComparisonArea) -> AreaTotal {
        self.area_totals.get(place)
    }

    /// Area of a commune in km² (equal-area projection), if it has an outline.
    pub fn commune_area_km2(&self, index: usize) -> Option<f64> {
        self.extents[index].as_ref().map(|e| e.area_km2)
    }

    /// The simplified outlines for the map, decoded on first use.
    fn display_levels(&self) -> &[DisplayLevel] {
        self.display_levels.get_or_init(|| {
            let deferred = self.display_file.lock().expect("not poisoned").take();
            deferred
                .map(|d| {
                    d.decode().unwrap_or_else(|e| {
                        // The checksum matched at start: only a format bug can land here.
                        eprintln!("display outlines not loaded: {e}");
                        Vec::new()
                    })
                })
                .unwrap_or_default()
        })
    }

    /// A commune's WGS84 outline for display at a web-map zoom level: the coarse simplified
    /// level up to zoom 8, the fine one up to zoom 10, the full outline beyond.
    pub fn display_outline(&self, index: usize, zoom: u8) -> Option<&MultiPolygon<f64>> {
        let levels = self.display_levels();
        let level = match zoom {
            0..=8 => levels.first(),
            9..=10 => levels.get(1),
            _ => None,
        };
        level
            .and_then(|l| l.outlines.get(index)?.as_ref())
            .or(self.geography.communes[index].geometry.as_ref())
    }

    /// Which communes share a border: stored by the import, or built from the outlines on
    /// first use (about 0.3 s of CPU for all France, see `benches/proposals.rs`) and kept.
    pub fn adjacency(&self) -> &Adjacency {
        self.adjacency
            .get_or_init(|| Adjacency::new(&self.geography.communes))
    }

    /// The IRIS layer loaded (empty without `iris.cpat`).
    pub fn iris_layer(&self) -> &IrisLayer {
        &self.iris_loaded().layer
    }

    /// Whether an IRIS is a whole commune stored without an outline of its own (type `Z`, the
    /// only IRIS of a commune not split into IRIS): its outline is the commune's.
    pub fn is_whole_commune_iris(&self, index: usize) -> bool {
        let iris = self.iris(index);
        iris.geometry.is_none() && iris.kind == crate::model::IrisType::Undivided
    }

    /// An IRIS by its index in [`Atlas::iris_layer`].
    pub fn iris(&self, index: usize) -> &Iris {
        &self.iris_loaded().layer.iris[index]
    }

    /// Finds an IRIS by its 9-character code.
    pub fn find_iris(&self, code: &str) -> Option<usize> {
        self.iris_loaded().find(code)
    }

    /// The share of its commune's (or arrondissement's) legal population an IRIS carries, and
    /// the method that gave it; `None` when its commune is unknown to the geography.
    pub fn iris_share(&self, index: usize) -> Option<IrisShare> {
        self.iris_loaded().share(index)
    }

    /// Area of an IRIS in km², if it has an outline.
    pub fn iris_area_km2(&self, index: usize) -> Option<f64> {
        self.iris_loaded().projected[index]
            .as_ref()
            .map(|p| p.area_km2)
    }

    /// How a commune's IRIS cover it; `None` when it has no IRIS loaded.
    pub fn iris_tiling(&self, commune: usize) -> Option<IrisTiling> {
        self.iris_loaded().tiling(commune)
    }

    /// Indexes of the IRIS whose WGS84 bounding box meets the given longitude/latitude box.
    pub fn iris_in_bbox(
        &self,
        min_lon: f64,
        min_lat: f64,
        max_lon: f64,
        max_lat: f64,
    ) -> impl Iterator<Item = usize> + '_ {
        self.iris_loaded()
            .near(projected_box(min_lon, min_lat, max_lon, max_lat))
    }

    /// Indexes of the arrondissements with an outline whose projected bounding box meets the
    /// given longitude/latitude box (the map's arrondissements layer).
    pub fn arrondissements_in_bbox(
        &self,
        min_lon: f64,
        min_lat: f64,
        max_lon: f64,
        max_lat: f64,
    ) -> impl Iterator<Item = usize> + '_ {
        let rect = projected_box(min_lon, min_lat, max_lon, max_lat);
        (0..self.geography.arrondissements.len()).filter(move |&k| {
            self.arrondissement_projected_at(k)
                .is_some_and(|p| p.boundary.rect.intersects(&rect))
        })
    }

    /// The outline of an arrondissement municipal, where its IRIS gave one.
    pub fn arrondissement_outline(&self, code: &str) -> Option<&MultiPolygon<f64>> {
        self.arrondissement_projected(code)
            .map(|(outline, _)| outline)
    }

    /// The projected outline of an arrondissement (index in `Geography::arrondissements`), where
    /// its IRIS gave one.
    pub(crate) fn arrondissement_projected_at(&self, index: usize) -> Option<&ProjectedCommune> {
        self.arrondissement_projected(&self.arrondissement(index).code)
            .map(|(_, projected)| projected)
    }

    /// Area of arrondissements, km²; `None` when one has no outline.
    pub(crate) fn arrondissements_area_km2(&self, indexes: &[usize]) -> Option<f64> {
        indexes
            .iter()
            .map(|&k| self.arrondissement_projected_at(k).map(|p| p.area_km2))
            .sum()
    }

    /// The outline of a territory member for display: its commune's (simplified for `zoom`,
    /// see [`Atlas::display_outline`]), its arrondissement's or its IRIS'.
    pub fn member_outline(&self, member: &TerritoryMember, zoom: u8) -> Option<&MultiPolygon<f64>> {
        if member.iris {
            self.find_iris(&member.code)
                .and_then(|i| self.iris(i).geometry.as_ref())
        } else if member.arrondissement {
            self.arrondissement_outline(&member.code)
        } else {
            self.display_outline(member.commune_index, zoom)
        }
    }

    pub(crate) fn iris_index(&self) -> &IrisIndex {
        self.iris_loaded()
    }

    pub(crate) fn projected(&self, index: usize) -> Option<&ProjectedCommune> {
        self.projected[index]
            .get_or_init(|| {
                let outline = self.geography.communes[index].geometry.as_ref()?;
                ProjectedCommune::new(outline)
            })
            .as_ref()
    }

    /// Indexes of the communes whose projected bounding box meets `rect` (projected metres).
    pub(crate) fn communes_near(&self, rect: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        let envelope =
            AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data)
    }

    /// Indexes of the communes whose WGS84 bounding box meets the given longitude/latitude box.
    pub fn communes_in_bbox(
        &self,
        min_lon: f64,
        min_lat: f64,
        max_lon: f64,
        max_lat: f64,
    ) -> impl Iterator<Item = usize> + '_ {
        self.communes_near(projected_box(min_lon, min_lat, max_lon, max_lat))
    }
}
