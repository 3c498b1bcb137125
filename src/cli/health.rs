//! Loading the health data for a command, and its French text summary.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::diagnosis::health::patients::Shown;
use crate::diagnosis::health::weighted::{Comparison, MemberWithoutValue, WeightedFigure};
use crate::diagnosis::{HealthIndicators, Indicator};
use crate::engine::{Atlas, HealthAtlas};
use crate::loaders::health::data::{has_health_data, read_health_data};
use crate::loaders::health::import::{add_user_files, UserHealthFiles};
use crate::loaders::LoadError;
use crate::model::HealthData;

/// Health files a user adds to the shipped data.
#[derive(Args, Default)]
pub struct HealthArgs {
    /// An Annuaire Santé RPPS extract (PS_LibreAcces_Personne_activite, '|' separated).
    #[arg(long)]
    rpps: Option<PathBuf>,
    /// Date of the RPPS extract, shown as its vintage.
    #[arg(long, requires = "rpps")]
    rpps_vintage: Option<String>,
    /// CPAM file of patients without médecin traitant (cpts-atlas format).
    #[arg(long)]
    patients: Option<PathBuf>,
    /// INSEE base-cc-evol-struct-pop file (population by age band).
    #[arg(long)]
    insee_ages: Option<PathBuf>,
}

/// Reads `data_dir/supply/`, if present (it needs no atlas: read while the atlas loads).
pub fn read_shipped_health(data_dir: &Path) -> Result<Option<HealthData>, LoadError> {
    if !has_health_data(data_dir) {
        return Ok(None);
    }
    read_health_data(data_dir).map(Some)
}

/// Adds the user's files to the shipped health data (if any) and indexes them on the atlas.
pub fn index_health(
    atlas: &Atlas,
    shipped: Option<HealthData>,
    args: HealthArgs,
) -> anyhow::Result<Option<HealthAtlas>> {
    let files = UserHealthFiles {
        rpps: args.rpps,
        rpps_vintage: args.rpps_vintage,
        patients: args.patients,
        insee_ages: args.insee_ages,
    };
    let user = files.rpps.is_some() || files.patients.is_some() || files.insee_ages.is_some();
    if shipped.is_none() && !user {
        return Ok(None);
    }
    let mut data = shipped.unwrap_or_default();
    for note in add_user_files(&mut data, atlas.geography(), &files)? {
        eprintln!("{note}");
    }
    Ok(Some(HealthAtlas::new(atlas, data)))
}

/// The health indicators as French text lines.
pub fn health_summary(h: &HealthIndicators) -> Vec<String> {
    let mut out = vec!["Offre de soins (professionnels par lieu d'exercice) :".to_string()];
    for s in h.supply.values() {
        if let Some(s) = s.get() {
            let mut line = format!(
                "  {:<32} {:>7.1} {} ; {} /10 000 hab.",
                s.label_fr,
                s.count,
                if s.estimated { "(estimé)" } else { "" },
                s.density_per_10k.map_or("-".into(), |d| format!("{d:.1}"))
            );
            for c in &s.comparisons {
                if let Some(d) = c.density.get() {
                    line.push_str(&format!(" | {} {:.1}", c.name, d.density_per_10k));
                }
            }
            line.push_str(&format!(" [{} {}]", s.directory, s.vintage));
            out.push(line);
        }
    }
    let unavailable = h.supply.values().filter(|s| !s.available).count();
    if unavailable > 0 {
        out.push(format!(
            "  ({unavailable} professions non disponibles : hors couverture des annuaires chargés)"
        ));
    }
    match h.apl.get() {
        Some(a) => {
            for e in &a.editions {
                out.push(format!(
                    "APL {} (DREES) : {:.2} consultations/an/hab. ; population sous 2,5 : {:.1} % ; sous 4 : {:.1} %",
                    e.edition,
                    e.apl,
                    e.population_share_under_2_5 * 100.0,
                    e.population_share_under_4 * 100.0
                ));
            }
            if let Some(c) = &a.change {
                out.push(format!(
                    "Évolution APL {} -> {} : {:+.2} ({:+.1} %)",
                    c.from, c.to, c.absolute, c.relative_pct
                ));
            }
            if !a.under_served.is_empty() {
                let names: Vec<String> = a.under_served.iter().map(|c| c.name.clone()).collect();
                out.push(format!(
                    "Communes sous-dotées (APL < 2,5) : {}",
                    names.join(", ")
                ));
            }
            match a.computed.get() {
                Some(c) => out.push(format!(
                    "Accessibilité calculée (E2SFCA, {}) : {:.2} médecins généralistes accessibles pour 10 000 hab.",
                    c.directory, c.value
                )),
                None => out.push(format!(
                    "Accessibilité calculée : non disponible ({})",
                    a.computed.reason.clone().unwrap_or_default()
                )),
            }
        }
        None => out.push(format!(
            "APL : non disponible ({})",
            h.apl.reason.clone().unwrap_or_default()
        )),
    }
    if let Some(hosp) = h.hospitals.get() {
        out.push(format!(
            "Établissements de santé dans le territoire : {} ; de recours (MCO) dans le territoire ou à moins de 30 km : {}{}",
            hosp.inside.len(),
            hosp.second_line_within_30_km,
            if hosp.no_second_line_within_30_km {
                " — ALERTE : aucun hôpital de second recours à moins de 30 km"
            } else {
                ""
            }
        ));
        for e in &hosp.nearest_outside {
            out.push(format!(
                "  à {:.1} km : {} ({})",
                e.distance_km, e.name, e.category
            ));
        }
    }
    let p = &h.patients_without_gp;
    match p.counts.get() {
        Some(f) => out.push(format!(
            "Patients sans médecin traitant (17 ans et +) : {} sur {} ({})",
            shown(f.territory.without_gp),
            shown(f.territory.patients_17_plus),
            f.source
        )),
        None => out.push(format!(
            "Patients sans médecin traitant : non disponible ({})",
            p.counts.reason.clone().unwrap_or_default()
        )),
    }
    for proxy in &p.proxies {
        out.push(format!("  {} : {:.2}", proxy.label_fr, proxy.value));
    }
    match h.age_structure.get() {
        Some(a) => {
            out.push(format!(
                "Âges (INSEE, {}, effectifs = part x population 2020){} :",
                a.vintage,
                if a.estimated { ", estimation" } else { "" }
            ));
            for g in &a.groups {
                out.push(format!(
                    "  {} : {:.0} ({:.1} % ; {})",
                    g.label_fr,
                    g.count,
                    g.share * 100.0,
                    compared(&g.comparisons, |v| format!("{:.1} %", v * 100.0))
                ));
            }
            without_value(&mut out, &a.without_value);
            out.push(figure_line(
                &a.share_75_plus_2022,
                "Part des 75 ans et plus (RP 2022)",
            ));
        }
        None => out.push(format!(
            "Âges : non disponible ({})",
            h.age_structure.reason.clone().unwrap_or_default()
        )),
    }
    out.push(figure_line(
        &h.population_change,
        "Évolution de la population 2014-2020",
    ));
    out.push(figure_line(&h.fragility.fedi, "Indice F-EDI"));
    out.push(figure_line(&h.fragility.poverty_rate, "Taux de pauvreté"));
    if let Some(a) = h.detailed_ages.get() {
        for g in &a.groups {
            let deps: Vec<String> = g
                .departements
                .iter()
                .filter_map(|d| Some(format!("{} {:.1} %", d.name, d.share.get()?.share * 100.0)))
                .collect();
            out.push(format!(
                "Part des {} ({}) : {:.1} % ({})",
                g.label_fr,
                a.vintage,
                g.share * 100.0,
                deps.join(", ")
            ));
        }
    }
    out
}

/// A weighted figure on one line: value, comparisons, members without value.
fn figure_line(figure: &Indicator<WeightedFigure>, label: &str) -> String {
    let Some(f) = figure.get() else {
        return format!(
            "{label} : non disponible ({})",
            figure.reason.clone().unwrap_or_default()
        );
    };
    let format = |v: f64| match f.unit {
        "share" => format!("{:.1} %", v * 100.0),
        "percent_per_year" => format!("{v:+.2} %/an"),
        _ => format!("{v:.2}"),
    };
    let mut line = format!(
        "{label} : {}{} ({} ; {})",
        format(f.value),
        if f.estimated { " (estimation)" } else { "" },
        compared(&f.comparisons, format),
        f.vintage
    );
    if f.communes_without_value > 0 {
        line.push_str(&format!(
            " ; {} commune(s) sans valeur ({:.0} hab.) : {}",
            f.communes_without_value, f.population_without_value, f.without_value[0].reason
        ));
    }
    line
}

/// `Creuse 12.3 %, Nouvelle-Aquitaine 11.2 %, France 9.5 %`.
fn compared(comparisons: &[Comparison], format: impl Fn(f64) -> String) -> String {
    comparisons
        .iter()
        .map(|c| match c.value.get() {
            Some(v) => format!("{} {}", c.name, format(v.value)),
            None => format!("{} non disponible", c.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn without_value(out: &mut Vec<String>, members: &[MemberWithoutValue]) {
    for m in members {
        out.push(format!(
            "  {} {} : non disponible ({})",
            m.code, m.name, m.reason
        ));
    }
}

fn shown(s: Shown) -> String {
    match s {
        Shown::Count { value } => value.to_string(),
        Shown::Range { min, max } => format!("{min} à {max}"),
        Shown::Secret => "secret (< 5)".into(),
    }
}
