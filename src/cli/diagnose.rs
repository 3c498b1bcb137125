//! `cpts-atlas diagnose`: one territory's diagnosis as JSON or a readable summary.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use crate::diagnosis::{diagnose, diagnose_with_health, Diagnosis};
use crate::engine::{drawn_from_geojson, DrawnLimits, Estimate, Overlap, OverlapKind};
use crate::model::{CountingMethod, TerritorySpec};

#[derive(Args)]
pub struct DiagnoseArgs {
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    #[command(flatten)]
    engines: super::engines::EngineArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

pub fn run(args: DiagnoseArgs) -> anyhow::Result<()> {
    let spec = if let Some(path) = &args.geojson {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let geojson: geojson::GeoJson = text
            .parse()
            .with_context(|| format!("{} is not valid GeoJSON", path.display()))?;
        let (geometry, warnings) = drawn_from_geojson(&geojson, &DrawnLimits::default())
            .with_context(|| format!("{}", path.display()))?;
        warnings.iter().for_each(|w| eprintln!("warning: {w}"));
        TerritorySpec::Drawn(geometry)
    } else if let Some(siren) = &args.epci {
        TerritorySpec::Epci(siren.clone())
    } else if !args.communes.is_empty() {
        TerritorySpec::Codes(args.communes.clone())
    } else {
        bail!("give the territory with --communes, --geojson or --epci");
    };
    let engines = args.engines.load()?;
    let (atlas, options) = (&engines.atlas, engines.options());
    let diagnosis = match &engines.health {
        Some(health) => diagnose_with_health(atlas, &spec, &options, health)?,
        None => diagnose(atlas, &spec, &options)?,
    };
    let answer = match args.format {
        Format::Json => serde_json::to_string_pretty(&diagnosis)? + "\n",
        Format::Text => summary(&diagnosis),
    };
    super::emit(&answer)
}

/// A readable summary in French, for porteurs.
fn summary(d: &Diagnosis) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let estimated = if d.population_estimated > 0 {
        format!(
            " (dont {} estimés)",
            thousands(d.population_estimated as f64)
        )
    } else {
        String::new()
    };
    line(format!(
        "Population      : {} hab.{estimated}",
        thousands(d.population as f64)
    ));
    line(format!("Taille ACI      : {}", d.tier.label()));
    line(format!(
        "Communes        : {} (dont {} partiellement couvertes)",
        d.commune_count, d.partial_commune_count
    ));
    let incomplete = if d.area_complete {
        ""
    } else {
        " (incomplète)"
    };
    line(format!(
        "Superficie      : {:.1} km²{incomplete}",
        d.area_km2
    ));
    if let Some(density) = d.density_per_km2 {
        line(format!("Densité         : {density:.1} hab./km²"));
    }
    let names = |v: &[crate::diagnosis::NamedCode]| {
        v.iter()
            .map(|n| format!("{} ({})", n.name, n.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    line(format!("Départements    : {}", names(&d.departements)));
    line(format!("Régions         : {}", names(&d.regions)));
    line(format!("Financement {} (annuel, max.) :", d.funding.grid));
    for l in &d.funding.lines {
        line(format!(
            "  {:<55} {:>10} € fixe + {:>10} € variable",
            l.label,
            thousands(l.fixed),
            thousands(l.variable)
        ));
    }
    line(format!(
        "  {:<55} {:>10} €",
        "Total",
        thousands(d.funding.total)
    ));
    match &d.overlaps_checked_against {
        None => line("Chevauchements : non vérifiés (aucun registre de CPTS)".into()),
        Some(source) if d.overlaps.is_empty() => line(format!(
            "Chevauchements : aucun avec les CPTS existantes ({source})"
        )),
        Some(source) => {
            line(format!(
                "Chevauchements avec les CPTS existantes ({source}) :"
            ));
            for o in &d.overlaps {
                line(format!(
                    "  {:<16} {} : {}",
                    kind_label(o.overlap.kind),
                    o.name,
                    overlap_summary(&o.overlap, Some(o.population_share))
                ));
            }
        }
    }
    if let Some(h) = &d.health {
        super::health::health_summary(h)
            .into_iter()
            .for_each(&mut line);
    }
    let counted_by =
        |method: CountingMethod| d.communes.iter().filter(|m| m.method == method).count();
    let by_iris =
        counted_by(CountingMethod::IrisPopulation) + counted_by(CountingMethod::IrisTypeWeighted);
    if by_iris > 0 {
        line(format!(
            "Estimation      : {by_iris} par IRIS ({} selon leur population INSEE, {} selon leur type), {} au prorata de la surface",
            counted_by(CountingMethod::IrisPopulation),
            counted_by(CountingMethod::IrisTypeWeighted),
            counted_by(CountingMethod::Area)
        ));
    }
    for w in &d.warnings {
        line(format!("Attention : {w}"));
    }
    out
}

/// French label of an overlap kind.
pub(super) fn kind_label(kind: OverlapKind) -> &'static str {
    match kind {
        OverlapKind::Conflict => "CONFLIT",
        OverlapKind::Sliver => "liseré (tolérance)",
        OverlapKind::DeclaredSplit => "partage déclaré",
    }
}

/// One line on an overlap: communes, area, population (and share of the candidate's).
pub(super) fn overlap_summary(o: &Overlap, share: Option<f64>) -> String {
    let names = |list: &[crate::engine::SharedCommune]| {
        list.iter()
            .map(|c| {
                if c.arrondissements.is_empty() {
                    format!("{} {}", c.code, c.name)
                } else {
                    format!("{} {} [{}]", c.code, c.name, c.arrondissements.join(" "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if o.kind == OverlapKind::DeclaredSplit {
        return format!(
            "commune(s) partagée(s) entre CPTS selon le registre : {}",
            names(&o.declared_splits)
        );
    }
    let estimate = match o.population_estimate {
        Estimate::Exact => "",
        Estimate::AreaProRata => " (estimés au prorata de la surface)",
        Estimate::UpperBound => " (au plus : partie de commune non localisée)",
    };
    let area = if o.area_complete {
        format!("{:.2} km²", o.area_km2)
    } else if o.area_km2 > 0.0 {
        format!("{:.2} km² (incomplet)", o.area_km2)
    } else {
        "surface inconnue (arrondissements sans polygone)".to_string()
    };
    let share = share
        .map(|s| format!(", {:.1} % de la population", s * 100.0))
        .unwrap_or_default();
    format!(
        "{} commune(s) : {} ; {area} ; {} hab.{estimate}{share}",
        o.shared_communes.len(),
        names(&o.shared_communes),
        thousands(o.population as f64)
    )
}

/// `123456.0` -> `123 456` (French thousands separator).
pub(super) fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}
