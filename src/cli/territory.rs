//! The options naming one territory (`--communes`, `--geojson`, `--epci`), shared by `diagnose`
//! and `export territory`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

use crate::engine::{drawn_from_geojson, DrawnLimits};
use crate::model::TerritorySpec;

#[derive(Args)]
pub struct TerritoryArgs {
    /// Commune, arrondissement or IRIS (9-character) codes, comma-separated
    /// (e.g. 13001,13201,693830301).
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["geojson", "epci"])]
    communes: Vec<String>,
    /// A GeoJSON file with the territory's Polygon or MultiPolygon (WGS84).
    #[arg(long, conflicts_with = "epci")]
    geojson: Option<PathBuf>,
    /// SIREN of an EPCI whose member communes form the territory.
    #[arg(long)]
    epci: Option<String>,
}

impl TerritoryArgs {
    /// Whether no territory option was given.
    pub fn is_empty(&self) -> bool {
        self.communes.is_empty() && self.geojson.is_none() && self.epci.is_none()
    }

    /// The territory given; warnings of repairing a drawn polygon go to stderr.
    pub fn spec(&self) -> anyhow::Result<TerritorySpec> {
        Ok(if let Some(path) = &self.geojson {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let geojson: geojson::GeoJson = text
                .parse()
                .with_context(|| format!("{} is not valid GeoJSON", path.display()))?;
            let (geometry, warnings) = drawn_from_geojson(&geojson, &DrawnLimits::default())
                .with_context(|| format!("{}", path.display()))?;
            warnings.iter().for_each(|w| eprintln!("warning: {w}"));
            TerritorySpec::Drawn(geometry)
        } else if let Some(siren) = &self.epci {
            TerritorySpec::Epci(siren.clone())
        } else if !self.communes.is_empty() {
            TerritorySpec::Codes(self.communes.clone())
        } else {
            bail!("give the territory with --communes, --geojson or --epci");
        })
    }
}
