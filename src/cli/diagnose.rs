//! `cpts-atlas diagnose`: one territory's diagnosis as JSON or a readable summary.

use clap::{Args, ValueEnum};

use crate::diagnosis::{diagnose, Diagnosis};
use crate::engine::{CoverageStatus, Estimate, Overlap, OverlapKind};
use crate::model::{CountingMethod, CptsStatus};

#[derive(Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    territory: super::territory::TerritoryArgs,
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
    let raw = args.territory.raw()?;
    let engines = args.engines.load()?;
    let resolved = super::territory::resolve(&engines.atlas, &raw)?;
    let diagnosis = diagnose(&engines.context(), resolved, &engines.options())?;
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
    line(format!(
        "Financement {} (annuel, max.) :",
        d.funding.grid_label
    ));
    let euros = |v: Option<f64>| v.map_or("non connu".to_string(), thousands);
    for l in &d.funding.lines {
        line(format!(
            "  {:<55} {:>10} € fixe + {:>10} € variable",
            l.label,
            euros(l.fixed),
            euros(l.variable)
        ));
    }
    if d.funding.total_known {
        line(format!(
            "  {:<55} {:>10} €",
            "Total",
            thousands(d.funding.total)
        ));
    } else {
        line(format!(
            "  {:<55} {:>10} € (montants connus seulement ; non connus : {})",
            "Total non connu",
            thousands(d.funding.total),
            d.funding.unknown_lines.join(", ")
        ));
    }
    for l in overlaps_lines(d) {
        line(l);
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

/// The overlaps part of the summary: what was found, and where nothing could be checked.
fn overlaps_lines(d: &Diagnosis) -> Vec<String> {
    let coverage = &d.registry_coverage;
    let Some(source) = &d.overlaps_checked_against else {
        return vec!["Chevauchements : non vérifiés (aucun registre de CPTS)".into()];
    };
    let mut lines = Vec::new();
    let outside =
        || {
            let more = coverage.communes_outside - coverage.communes_outside_sample.len();
            format!(
            "{} commune(s) hors des registres chargés : {}{} ; chargez un registre couvrant le(s) \
             département(s) {} (--registry : couche DGOS « CPTS et projets de CPTS » en GeoJSON, \
             ou liste CPTS;commune)",
            coverage.communes_outside,
            coverage.communes_outside_sample.join(", "),
            if more > 0 { format!(" et {more} autre(s)") } else { String::new() },
            coverage.departements_outside.join(", ")
        )
        };
    match (coverage.status, d.overlaps.is_empty()) {
        (CoverageStatus::None, true) => {
            lines.push(format!(
                "Chevauchements : NON VÉRIFIÉS, aucun registre chargé ne couvre ce territoire ({source})"
            ));
            lines.push(format!("  {}", outside()));
            return lines;
        }
        (CoverageStatus::Full, true) => {
            return vec![format!(
                "Chevauchements : aucun avec les CPTS existantes ({source})"
            )]
        }
        (CoverageStatus::Partial, true) => lines.push(format!(
            "Chevauchements : aucun dans la partie couverte par les registres chargés ({source})"
        )),
        (_, false) => {
            lines.push(format!(
                "Chevauchements avec les CPTS existantes ({source}) :"
            ));
            for o in &d.overlaps {
                let status = o
                    .status
                    .map(|s| format!(" [{}]", status_label(s)))
                    .unwrap_or_default();
                lines.push(format!(
                    "  {:<16} {}{status} : {}",
                    kind_label(o.overlap.kind),
                    o.name,
                    overlap_summary(&o.overlap, Some(o.population_share))
                ));
            }
        }
    }
    if coverage.status != CoverageStatus::Full {
        lines.push(format!("  Non vérifiés ailleurs : {}", outside()));
    }
    lines
}

/// French label of a CPTS status.
pub(super) fn status_label(status: CptsStatus) -> &'static str {
    match status {
        CptsStatus::SignedAci => "signataire ACI",
        CptsStatus::HealthProjectValidated => "projet de santé validé",
        CptsStatus::LetterOfIntent => "lettre d'intention",
        CptsStatus::Initiative => "initiative",
    }
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
