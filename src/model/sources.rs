//! What a data directory gives the atlas: the geography as loaded, and the layers read and
//! checked at load but decoded on first use.

use std::fmt;

use crate::model::{DisplayLevel, Geography, IrisLayer};

/// A value whose bytes were read and checked at load, decoded on first use (a large layer a
/// command may not need). The loader that read the bytes supplies the decoder; decoding fails
/// only on a format bug (the checksum matched), with the reason.
pub struct Deferred<T>(Box<dyn FnOnce() -> Result<T, String> + Send>);

impl<T> Deferred<T> {
    /// A value decoded by `decode` when first needed.
    pub fn new(decode: impl FnOnce() -> Result<T, String> + Send + 'static) -> Self {
        Self(Box::new(decode))
    }

    /// A value already decoded.
    pub fn ready(value: T) -> Self
    where
        T: Send + 'static,
    {
        Self::new(move || Ok(value))
    }

    /// Decodes the value.
    pub fn decode(self) -> Result<T, String> {
        (self.0)()
    }
}

impl<T> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Deferred(..)")
    }
}

/// The geography and its optional layers, as loaded from a data directory.
#[derive(Debug, Default)]
pub struct AtlasSources {
    /// Communes and units (without display levels when `display_levels` is given).
    pub geography: Geography,
    /// The simplified outlines for the map, decoded on first use (else those of `geography`).
    pub display_levels: Option<Deferred<Vec<DisplayLevel>>>,
    /// The IRIS layer (`iris.cpat`), decoded on first use; `None` without one.
    pub iris: Option<Deferred<IrisLayer>>,
    /// Each commune's outline measures and the commune adjacency, stored by the import for
    /// this very geography; `None`: the atlas computes them (measures at load, adjacency on
    /// first use).
    pub measures: Option<StoredMeasures>,
}

/// What the import measures of the communes' outlines and stores built
/// (`france-measures.cpat`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredMeasures {
    /// Each commune's outline measures, by commune index (`None`: no outline).
    pub outlines: Vec<Option<OutlineMeasures>>,
    /// Which communes share a border.
    pub adjacency: AdjacencyRows,
}

/// A neighbour of a commune and the length of their common border.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// Index of the neighbouring commune.
    pub commune: usize,
    /// Length of the shared border, km (great-circle, along the shared segments).
    pub border_km: f64,
}

/// The commune adjacency graph as compressed rows: the neighbours of commune `i` are
/// `neighbours[offsets[i]..offsets[i + 1]]`, by increasing index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdjacencyRows {
    /// Start of each commune's row, then the total (one more entry than communes).
    pub offsets: Vec<usize>,
    /// The rows one after the other.
    pub neighbours: Vec<Neighbour>,
}

/// What the atlas measures of a commune outline at load, stored built by the import: the
/// box and area in the equal-area plane, and the (WGS84, planar) centroid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlineMeasures {
    /// `[min x, min y, max x, max y]` in the equal-area plane, metres.
    pub projected_box: [f64; 4],
    /// Area in km².
    pub area_km2: f64,
    /// (longitude, latitude) of the area centroid; `None` for a degenerate outline.
    pub centroid: Option<(f64, f64)>,
}

impl From<Geography> for AtlasSources {
    fn from(geography: Geography) -> Self {
        Self {
            geography,
            ..Self::default()
        }
    }
}
