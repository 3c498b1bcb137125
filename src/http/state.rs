//! Shared, immutable state of the service and its configuration.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::diagnosis::{DiagnosisContext, FeatureLayer, FundingGrid, PublishedLayers};
use crate::engine::{Atlas, CommuneSearch, DrawnLimits, HealthAtlas, RegistryIndex};
use crate::store::TerritoryStore;

/// Default port of `cpts-atlas serve`.
pub const DEFAULT_PORT: u16 = 8765;

/// Service configuration, with named defaults.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: IpAddr,
    pub port: u16,
    /// Folder of the front end (`web/`).
    pub web_dir: PathBuf,
    /// Optional raster tile URL template for the map (none: the communes layer is the base map).
    pub tile_url: Option<String>,
    pub tile_attribution: String,
    pub max_body_bytes: usize,
    pub drawn_limits: DrawnLimits,
    /// Most codes one territory may list.
    pub max_codes: usize,
    /// Most communes one `/api/communes` answer may hold.
    pub max_features: usize,
    pub request_timeout_secs: u64,
    /// Bearer token required by write requests; writes are refused when unset.
    pub write_token: Option<String>,
    /// Origins allowed to call the API from a browser (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// Most bytes of one answer (before compression); larger ones are refused with 413.
    pub max_answer_bytes: usize,
    /// Time a client has to send a request's headers (slowloris), also the longest idle
    /// keep-alive between requests.
    pub header_read_timeout: Duration,
    /// A connection with no byte read or written for this long while the server waits on it is
    /// closed (a client that stops reading its answer or sending its body).
    pub idle_timeout: Duration,
    /// Most open connections; beyond, new ones wait in the kernel's backlog.
    pub max_connections: usize,
    /// The service's public base URL (`https://example.org/atlas`) for the absolute links of
    /// the OGC answers; without it they are built from the Host header.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            web_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web"),
            tile_url: None,
            tile_attribution: String::new(),
            max_body_bytes: 2 * 1024 * 1024,
            drawn_limits: DrawnLimits::default(),
            max_codes: crate::store::validate::MAX_CODES,
            max_features: 12_000,
            request_timeout_secs: 10,
            write_token: None,
            cors_origins: Vec::new(),
            max_answer_bytes: 24 << 20,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: 512,
            public_url: None,
        }
    }
}

/// A layer and the version of the store it was built from.
pub type VersionedLayer = (u64, Arc<FeatureLayer>);

/// What every handler can read: the indexed geography and registry, the funding grid, the
/// store of saved territories, the configuration.
#[derive(Clone)]
pub struct AppState {
    pub atlas: Arc<Atlas>,
    /// The grid used when a request names neither a grid nor a contract date.
    pub grid: Arc<FundingGrid>,
    /// Every grid a request may choose (`grid` id or `contract_date`): the shipped ones and
    /// the default.
    pub grids: Arc<Vec<FundingGrid>>,
    pub search: Arc<CommuneSearch>,
    pub registry: Arc<RegistryIndex>,
    /// Saved territories; `None` when the service runs without a database.
    pub store: Option<Arc<TerritoryStore>>,
    /// Health supply and access data; `None` when none is loaded.
    pub health: Option<Arc<HealthAtlas>>,
    pub config: Arc<ServerConfig>,
    pub metrics: Arc<super::Metrics>,
    /// The layers published under `/ogc`, built on first use.
    pub layers: Arc<OnceLock<Arc<PublishedLayers>>>,
    /// The OGC layer of saved territories, with the store version it was built from.
    pub territories_layer: Arc<Mutex<Option<VersionedLayer>>>,
}

impl AppState {
    /// The sources a diagnosis draws on: the atlas, the registry and the health data.
    pub fn context(&self) -> DiagnosisContext<'_> {
        DiagnosisContext::new(&self.atlas)
            .with_registry(Some(&self.registry))
            .with_health(self.health.as_deref())
    }

    /// Builds the state (no store, no health data); the search index is built here, once.
    pub fn new(
        atlas: Atlas,
        grid: FundingGrid,
        registry: RegistryIndex,
        config: ServerConfig,
    ) -> Self {
        let search = CommuneSearch::new(&atlas);
        let mut grids = FundingGrid::shipped();
        grids.retain(|g| g.id != grid.id);
        grids.push(grid.clone());
        Self {
            atlas: Arc::new(atlas),
            grid: Arc::new(grid),
            grids: Arc::new(grids),
            search: Arc::new(search),
            registry: Arc::new(registry),
            store: None,
            health: None,
            config: Arc::new(config),
            metrics: Arc::default(),
            layers: Arc::default(),
            territories_layer: Arc::default(),
        }
    }

    /// The grid a request chooses: by id, by contract date (`YYYY-MM-DD`), else the default.
    pub fn choose_grid(
        &self,
        id: Option<&str>,
        contract_date: Option<&str>,
    ) -> Result<FundingGrid, crate::diagnosis::GridChoiceError> {
        match (id, contract_date) {
            (Some(id), _) => FundingGrid::choose(&self.grids, id),
            (None, Some(date)) => FundingGrid::dated(&self.grids, date),
            (None, None) => Ok(self.grid.as_ref().clone()),
        }
    }

    /// With a store of saved territories.
    pub fn with_store(mut self, store: TerritoryStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// With health data (supply, APL, hospitals...), indexed on the same atlas.
    pub fn with_health(mut self, health: HealthAtlas) -> Self {
        self.health = Some(Arc::new(health));
        self
    }
}
