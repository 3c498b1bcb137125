//! `cpts-atlas propose`: candidate CPTS territories over the communes no CPTS covers.

use clap::Args;

use super::diagnose::thousands;
use super::engines::EngineArgs;
use super::registry::ReportFormat;
use crate::diagnosis::{proposal_layer, propose, PoleRule, Proposal};
use crate::engine::{
    CoverageScope, CoverageStatus, ProposalRules, RegistryCoverage, RegistryIndex, SizeStatus,
};
use crate::model::Registry;

#[derive(Args)]
pub struct ProposeArgs {
    /// The uncovered communes of this département (e.g. 13).
    #[arg(long, conflicts_with = "region", required_unless_present = "region")]
    departement: Option<String>,
    /// The uncovered communes of this région (e.g. 93); candidates may cross its départements.
    #[arg(long)]
    region: Option<String>,
    /// Fewest inhabitants of a viable candidate.
    #[arg(long, default_value_t = ProposalRules::default().min_population)]
    min: u64,
    /// Population the cut aims at.
    #[arg(long, default_value_t = ProposalRules::default().target_population)]
    target: u64,
    /// Most inhabitants of a candidate.
    #[arg(long, default_value_t = ProposalRules::default().max_population)]
    max: u64,
    /// Islands under the minimum join the nearest candidate within this distance (km).
    #[arg(long, default_value_t = ProposalRules::default().island_reach_km)]
    island_reach_km: f64,
    /// Which communes become poles: `population` or `general_practitioners` (where a loaded
    /// directory covers them).
    #[arg(long, default_value = "population", value_parser = parse_pole_rule)]
    poles: PoleRule,
    #[command(flatten)]
    engines: EngineArgs,
    /// Output format (`geojson`: candidates and their communes as a map layer).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

fn parse_pole_rule(s: &str) -> Result<PoleRule, String> {
    PoleRule::from_id(s)
        .ok_or_else(|| format!("unknown pole rule `{s}`: use population or general_practitioners"))
}

pub fn run(args: ProposeArgs) -> anyhow::Result<()> {
    let scope = match (args.departement, args.region) {
        (Some(d), _) => CoverageScope::Departement(d),
        (None, Some(r)) => CoverageScope::Region(r),
        (None, None) => anyhow::bail!("give --departement or --region"),
    };
    let rules = ProposalRules {
        min_population: args.min,
        target_population: args.target,
        max_population: args.max,
        island_reach_km: args.island_reach_km,
    };
    let engines = args.engines.load()?;
    let empty;
    let registry = match &engines.registry {
        Some(r) => r,
        None => {
            empty = RegistryIndex::new(&engines.atlas, Registry::default())?;
            &empty
        }
    };
    let proposal = propose(
        &engines.context(),
        registry,
        &engines.options(),
        &scope,
        &rules,
        args.poles,
    )?;
    let answer = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&proposal)? + "\n",
        ReportFormat::Text => text(&proposal),
        ReportFormat::Geojson => {
            serde_json::to_string(&proposal_layer(&engines.atlas, &proposal, 12))? + "\n"
        }
    };
    super::emit(&answer)
}

/// For a scope partly outside the loaded registries: the communes left out, not checked.
pub(super) fn not_checked_note(coverage: &RegistryCoverage) -> Option<String> {
    (coverage.status != CoverageStatus::Full).then(|| {
        format!(
            "non vérifié : {} commune(s) hors des registres chargés, laissées de côté (départements {} ; \
             chargez leur registre avec --registry), par exemple {}",
            coverage.communes_outside,
            coverage.departements_outside.join(", "),
            coverage.communes_outside_sample.join(", ")
        )
    })
}

fn text(p: &Proposal) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{} communes sans CPTS ({} hab.) -> {} territoires candidats (min {}, cible {}, max {} hab.)",
        p.uncovered_communes,
        thousands(p.uncovered_population as f64),
        p.candidates.len(),
        thousands(p.rules.min_population as f64),
        thousands(p.rules.target_population as f64),
        thousands(p.rules.max_population as f64),
    ));
    if let Some(note) = not_checked_note(&p.registry_coverage) {
        line(note);
    }
    if let Some(note) = &p.pole_note {
        line(format!("pôles : {note}"));
    }
    for c in &p.candidates {
        let status = match c.size_status {
            SizeStatus::Within => "",
            SizeStatus::BelowMinimum => " — SOUS LE MINIMUM",
            SizeStatus::AboveMaximum => " — AU-DESSUS DU MAXIMUM",
        };
        line(format!(
            "\n{} {} : {} hab., {}, {} €/an{}, {} communes{status}",
            c.id,
            c.name,
            thousands(c.population as f64),
            c.tier.label(),
            thousands(c.funding.total),
            if c.funding.total_known {
                ""
            } else {
                " (montants connus seulement)"
            },
            c.communes.len()
        ));
        if let Some(gp) = c.general_practitioners.get() {
            line(format!(
                "  médecins généralistes : {:.0}{}",
                gp.count,
                gp.density_per_10k
                    .map(|d| format!(" ({d:.1} / 10 000 hab.)"))
                    .unwrap_or_default()
            ));
        }
        if let Some(apl) = c.apl.get() {
            line(format!(
                "  APL {} : {:.2} ({:.0} % de la population sous {})",
                apl.edition,
                apl.apl,
                apl.population_share_under_2_5 * 100.0,
                apl.under_served_threshold
            ));
        }
        let names: Vec<String> = c
            .communes
            .iter()
            .map(|m| format!("{} {}", m.code, m.name))
            .collect();
        line(format!("  communes : {}", names.join(", ")));
        for r in &c.cut_reasons {
            line(format!("  - {r}"));
        }
    }
    if !p.left_out.is_empty() {
        line("\nCommunes couvertes en partie, non proposées :".into());
    }
    for c in &p.left_out {
        line(format!("  {} {} : {}", c.code, c.name, c.reason));
    }
    out
}
