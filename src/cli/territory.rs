//! The options naming one territory (`--communes`, `--geojson`, `--epci`), shared by `diagnose`
//! and `export territory`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;

use crate::engine::{Atlas, DrawnLimits, ResolvedTerritory};
use crate::model::{RawTerritory, SavedTerritory};
use crate::store::TerritoryStore;

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

    /// The territory given, as given: a GeoJSON file is read, not yet validated.
    pub fn raw(&self) -> anyhow::Result<RawTerritory> {
        Ok(if let Some(path) = &self.geojson {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid GeoJSON", path.display()))?;
            RawTerritory::Geojson(value)
        } else if let Some(siren) = &self.epci {
            RawTerritory::Epci(siren.clone())
        } else if !self.communes.is_empty() {
            RawTerritory::Codes(self.communes.clone())
        } else {
            bail!("give the territory with --communes, --geojson or --epci");
        })
    }

    /// The territory given by these options, or the saved territory `saved` of the database
    /// `territories` (with its name and missions); not both.
    pub fn raw_or_saved(
        &self,
        saved: Option<i64>,
        territories: Option<&Path>,
    ) -> anyhow::Result<(RawTerritory, Option<SavedTerritory>)> {
        match (saved, territories) {
            (Some(id), Some(db)) => {
                anyhow::ensure!(
                    self.is_empty(),
                    "give either --saved or --communes/--geojson/--epci"
                );
                let saved = TerritoryStore::open(db)?.get(id)?;
                Ok((saved.spec.clone(), Some(saved)))
            }
            _ => Ok((self.raw()?, None)),
        }
    }
}

/// Prepares and resolves a raw territory (CLI limits); its warnings go to stderr.
pub fn resolve(atlas: &Atlas, raw: &RawTerritory) -> anyhow::Result<ResolvedTerritory> {
    let resolved = atlas.resolve_raw(raw, &DrawnLimits::default())?;
    resolved
        .warnings
        .iter()
        .for_each(|w| eprintln!("warning: {w}"));
    Ok(resolved)
}
