//! `cpts-atlas serve`: loads the dataset once and serves the API and the map.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::engine::RegistryIndex;
use crate::http::{AppState, ServerConfig};
use crate::model::Registry;
use crate::store::TerritoryStore;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to bind.
    #[arg(long, env = "CPTS_ATLAS_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on.
    #[arg(long, env = "CPTS_ATLAS_PORT", default_value_t = crate::http::state::DEFAULT_PORT)]
    port: u16,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    /// Front-end folder.
    #[arg(long, env = "CPTS_ATLAS_WEB")]
    web: Option<PathBuf>,
    /// Raster tile URL template for the map background (none by default: works offline).
    #[arg(long, env = "CPTS_ATLAS_TILE_URL")]
    tile_url: Option<String>,
    /// Attribution shown for the tiles.
    #[arg(long, env = "CPTS_ATLAS_TILE_ATTRIBUTION", default_value = "")]
    tile_attribution: String,
    #[command(flatten)]
    grid: super::engines::GridArgs,
    #[command(flatten)]
    registry: super::registry::RegistryArgs,
    #[command(flatten)]
    health: super::health::HealthArgs,
    /// SQLite database of saved territories (created if missing).
    #[arg(long, env = "CPTS_ATLAS_DB")]
    db: Option<PathBuf>,
    /// Run without a database of saved territories.
    #[arg(long, conflicts_with = "db")]
    no_db: bool,
    /// File holding the bearer token that write requests must present (else CPTS_ATLAS_TOKEN);
    /// without a token, saving territories is disabled.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Origins allowed to call the API from other sites (CORS), comma-separated; none by default.
    #[arg(long, env = "CPTS_ATLAS_CORS_ORIGINS", value_delimiter = ',')]
    cors_origin: Vec<String>,
    /// Public base URL of the service (`https://example.org/atlas`), for the absolute links of
    /// the OGC answers; without it they are built from the request's Host header.
    #[arg(long, env = "CPTS_ATLAS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Seconds a client has to send a request's headers; also the longest idle keep-alive.
    #[arg(long, env = "CPTS_ATLAS_HEADER_READ_TIMEOUT", default_value_t = 10)]
    header_read_timeout: u64,
    /// Seconds without a byte read or written after which a waiting connection is closed.
    #[arg(long, env = "CPTS_ATLAS_IDLE_TIMEOUT", default_value_t = 30)]
    idle_timeout: u64,
    /// Most open connections (beyond, new ones wait in the kernel's backlog).
    #[arg(long, env = "CPTS_ATLAS_MAX_CONNECTIONS", default_value_t = 512)]
    max_connections: usize,
    /// Most MiB of one answer; larger ones are refused with 413.
    #[arg(long, env = "CPTS_ATLAS_MAX_ANSWER_MIB", default_value_t = 24)]
    max_answer_mib: usize,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_target(false)
        .init();
    let started = Instant::now();
    let data = args.data.unwrap_or_else(super::default_data_dir);
    let grid = args.grid.load()?;
    let (atlas, registry, health) =
        super::engines::load_sources(&data, &args.registry, args.health)?;
    let registry = match registry {
        Some(registry) => registry,
        None => RegistryIndex::new(&atlas, Registry::default())?,
    };
    let store = if args.no_db {
        None
    } else {
        let path = args
            .db
            .unwrap_or_else(|| TerritoryStore::default_path(&data));
        let store = TerritoryStore::open_for_service(&path);
        if let Some(reason) = store.refused() {
            tracing::warn!(
                "saved territories unavailable for writes: {} is {reason}; the map and the \
                 diagnosis are served, saving answers 503",
                path.display()
            );
        }
        Some(store)
    };
    let write_token = match &args.token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?
                .trim()
                .to_string(),
        ),
        None => std::env::var("CPTS_ATLAS_TOKEN").ok(),
    }
    .filter(|t| !t.is_empty());
    if let Some(url) = &args.public_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("--public-url must start with http:// or https://, not {url:?}");
        }
    }
    let defaults = ServerConfig::default();
    let config = ServerConfig {
        bind: args.bind,
        port: args.port,
        web_dir: args.web.unwrap_or(defaults.web_dir.clone()),
        tile_url: args.tile_url,
        tile_attribution: args.tile_attribution,
        write_token,
        cors_origins: args.cors_origin,
        public_url: args.public_url,
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout.max(1)),
        idle_timeout: std::time::Duration::from_secs(args.idle_timeout.max(1)),
        max_connections: args.max_connections.max(1),
        max_answer_bytes: args.max_answer_mib.max(1) << 20,
        ..defaults
    };
    if !config.web_dir.join("node_modules/leaflet").exists() {
        tracing::warn!(
            "{} has no node_modules/leaflet: the map page needs `scripts/setup.sh` (npm ci in web/)",
            config.web_dir.display()
        );
    }
    let geography = atlas.geography();
    tracing::info!(
        "loaded {} in {:.0} ms: {} communes ({} with polygon), {} arrondissements, {} EPCI, \
         {} IRIS, {} registry CPTS; health data: {}; grid {}; saved territories: {}; writes {}",
        data.display(),
        started.elapsed().as_secs_f64() * 1e3,
        geography.communes.len(),
        geography
            .communes
            .iter()
            .filter(|c| c.geometry.is_some())
            .count(),
        geography.arrondissements.len(),
        geography.epcis.len(),
        atlas.iris_layer().iris.len(),
        registry.cpts().len(),
        if health.is_some() { "loaded" } else { "none" },
        grid.id,
        store
            .as_ref()
            .map_or("none".to_string(), |s| s.label().to_string()),
        if config.write_token.is_some() {
            "enabled (bearer token)"
        } else {
            "disabled (no token)"
        },
    );
    let mut state = AppState::new(atlas, grid, registry, config);
    if let Some(store) = store {
        state = state.with_store(store);
    }
    if let Some(health) = health {
        state = state.with_health(health);
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(crate::http::serve(state))
        .context("the server stopped with an error")
}
