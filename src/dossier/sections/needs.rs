//! « Les besoins identifiés » : the indicators of the diagnosis set against the département(s)
//! and France, the ones that stand out first.
//!
//! Each row is read by one small function of [`READERS`]; a new indicator of the diagnosis is
//! one more function there (fragility, care places within 30 km: issue 14).

use crate::diagnosis::health::access::{AplIndicators, UNDER_SERVED_APL};
use crate::diagnosis::health::patients::Shown;
use crate::diagnosis::Diagnosis;
use crate::dossier::document::{bold, cell, paragraph, text, to_complete, Block, Run, Section};
use crate::dossier::format::{fr_number, percent};
use crate::model::{AgeGroup, Profession};

/// A territory figure at least this far from its reference (ratio) stands out.
pub const STANDS_OUT_RATIO: f64 = 0.2;

/// One row of the needs table.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub label: String,
    /// The territory's value, formatted; `None`: not available, `reason` says why.
    pub territory: Option<String>,
    pub departement: Option<String>,
    pub france: Option<String>,
    /// Why it stands out, when it does (« inférieure de 32 % à celle du département »).
    pub stands_out: Option<String>,
    pub reason: Option<String>,
    pub source: String,
}

/// Each reader looks at one figure of the diagnosis: its rows, none when the diagnosis has no
/// such part at all (no health data loaded), a "non disponible" row with the reason otherwise.
type Reader = fn(&Diagnosis) -> Vec<Need>;

const READERS: [Reader; 6] = [
    population_density,
    professional_densities,
    apl,
    ages,
    patients_without_gp,
    second_line_care,
];

/// Every need row, in the order of [`READERS`].
pub fn needs(d: &Diagnosis) -> Vec<Need> {
    READERS.iter().flat_map(|read| read(d)).collect()
}

pub fn section(input: &crate::dossier::DossierInput) -> Section {
    let rows = needs(input.diagnosis);
    let mut s = Section::new("2. Les besoins identifiés (diagnostic territorial)");
    let standing: Vec<&Need> = rows.iter().filter(|n| n.stands_out.is_some()).collect();
    if standing.is_empty() {
        s.push(paragraph(vec![text(
            "Aucun indicateur disponible ne s'écarte nettement (de plus de 20 %) de celui du \
             département ou de la France.",
        )]));
    } else {
        s.push(paragraph(vec![text(
            "Les indicateurs suivants se distinguent nettement (écart de plus de 20 %, ou seuil \
             de zonage) de ceux du département ou de la France :",
        )]));
        for n in &standing {
            s.push(Block::Bullet(vec![
                bold(format!("{} : ", n.label)),
                text(format!(
                    "{} — {}.",
                    n.territory.clone().unwrap_or_default(),
                    n.stands_out.clone().unwrap_or_default()
                )),
            ]));
        }
    }
    s.push(table(&rows));
    s.push(sources_note(&rows));
    s.push(paragraph(vec![to_complete(
        "les besoins constatés par les professionnels du territoire (retours de terrain, \
         difficultés d'accès, publics fragiles), qui complètent ces chiffres",
    )]));
    s
}

fn table(rows: &[Need]) -> Block {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    Block::Table {
        header: vec![
            "Indicateur".into(),
            "Territoire".into(),
            "Département(s)".into(),
            "France".into(),
            "Lecture".into(),
        ],
        rows: rows
            .iter()
            .map(|n| {
                let reading: Vec<Run> = match (&n.territory, &n.stands_out, &n.reason) {
                    (None, _, reason) => vec![text(format!(
                        "non disponible{}",
                        reason
                            .as_ref()
                            .map(|r| format!(" : {r}"))
                            .unwrap_or_default()
                    ))],
                    (Some(_), Some(why), _) => vec![bold(why.clone())],
                    (Some(_), None, _) => vec![text("sans écart marqué")],
                };
                vec![
                    cell(&n.label),
                    cell(
                        n.territory
                            .clone()
                            .unwrap_or_else(|| "non disponible".into()),
                    ),
                    cell(value(&n.departement)),
                    cell(value(&n.france)),
                    reading,
                ]
            })
            .collect(),
    }
}

/// The sources of the rows, each once, in order.
fn sources_note(rows: &[Need]) -> Block {
    let mut sources: Vec<&str> = Vec::new();
    for n in rows {
        if !n.source.is_empty() && !sources.contains(&n.source.as_str()) {
            sources.push(&n.source);
        }
    }
    Block::SourceNote(format!("Sources : {}.", sources.join(" ; ")))
}

/// « inférieure de 32 % à celle du département » when `value` is at least
/// [`STANDS_OUT_RATIO`] away from `reference`.
fn gap(value: f64, reference: f64, what: &str) -> Option<String> {
    if reference <= 0.0 {
        return None;
    }
    let ratio = value / reference - 1.0;
    (ratio.abs() >= STANDS_OUT_RATIO).then(|| {
        format!(
            "{} de {} % à celle {what}",
            if ratio < 0.0 {
                "inférieure"
            } else {
                "supérieure"
            },
            fr_number(ratio.abs() * 100.0, 0)
        )
    })
}

/// The first gap found against the département(s), then France.
fn first_gap(value: f64, departement: Option<f64>, france: Option<f64>) -> Option<String> {
    departement
        .and_then(|r| gap(value, r, "du département"))
        .or_else(|| france.and_then(|r| gap(value, r, "de la France")))
}

fn source_of(d: &Diagnosis, indicator: &str) -> String {
    let list: Vec<&str> = d
        .sources
        .iter()
        .filter(|s| s.indicator == indicator)
        .map(|s| s.source.as_str())
        .collect();
    list.join(" ; ")
}

fn population_density(d: &Diagnosis) -> Vec<Need> {
    let level = |level: &str| {
        d.density_comparisons
            .iter()
            .filter(|p| p.level == level)
            .filter_map(|p| p.density_per_km2)
            .collect::<Vec<f64>>()
    };
    let deps = level("departement");
    let france = level("france").first().copied();
    let dep = (deps.len() == 1).then(|| deps[0]);
    let fmt = |v: f64| format!("{} hab./km²", fr_number(v, 1));
    vec![Need {
        label: "Densité de population".into(),
        territory: d.density_per_km2.map(fmt),
        departement: (!deps.is_empty())
            .then(|| deps.iter().map(|&v| fmt(v)).collect::<Vec<_>>().join(" ; ")),
        france: france.map(fmt),
        stands_out: d.density_per_km2.and_then(|v| first_gap(v, dep, france)),
        reason: d
            .density_per_km2
            .is_none()
            .then(|| "superficie incomplète (membres sans contour)".into()),
        source: source_of(d, "population"),
    }]
}

/// Professions whose density the needs compare (the others are in the professionals' section).
const COMPARED: [Profession; 6] = [
    Profession::GeneralPractitioner,
    Profession::Nurse,
    Profession::Physiotherapist,
    Profession::Dentist,
    Profession::Midwife,
    Profession::Pharmacist,
];

fn professional_densities(d: &Diagnosis) -> Vec<Need> {
    let Some(h) = &d.health else {
        return Vec::new();
    };
    COMPARED
        .iter()
        .filter_map(|p| Some((p, h.supply.get(p)?)))
        .map(|(p, indicator)| {
            let label = format!("Densité : {} (pour 10 000 hab.)", p.label_fr());
            let Some(s) = indicator.get() else {
                return Need {
                    label,
                    territory: None,
                    departement: None,
                    france: None,
                    stands_out: None,
                    reason: Some(
                        "aucun annuaire chargé ne couvre tout le territoire pour cette profession"
                            .into(),
                    ),
                    source: String::new(),
                };
            };
            let level = |level: &str| -> Vec<f64> {
                s.comparisons
                    .iter()
                    .filter(|c| c.level == level)
                    .filter_map(|c| c.density.get().map(|x| x.density_per_10k))
                    .collect()
            };
            let deps = level("departement");
            let france = level("france").first().copied();
            let fmt = |v: f64| fr_number(v, 1);
            Need {
                label,
                territory: s.density_per_10k.map(fmt),
                departement: (!deps.is_empty())
                    .then(|| deps.iter().map(|&v| fmt(v)).collect::<Vec<_>>().join(" ; ")),
                france: france.map(fmt),
                stands_out: s
                    .density_per_10k
                    .and_then(|v| first_gap(v, (deps.len() == 1).then(|| deps[0]), france)),
                reason: None,
                source: format!("{} (millésime {})", s.source, s.vintage),
            }
        })
        .collect()
}

fn apl(d: &Diagnosis) -> Vec<Need> {
    let Some(h) = &d.health else {
        return Vec::new();
    };
    let label = "Accessibilité potentielle localisée (APL) aux médecins généralistes".to_string();
    let Some(a) = h.apl.get() else {
        return vec![not_available(
            label,
            Some(
                "aucune édition DREES chargée ne donne d'APL pour les communes du territoire"
                    .into(),
            ),
        )];
    };
    let Some(last) = a.editions.last() else {
        return vec![not_available(label, Some("aucune édition chargée".into()))];
    };
    vec![
        Need {
            label: format!("{label}, {}", last.edition),
            territory: Some(format!("{} consultations/an/hab.", fr_number(last.apl, 2))),
            departement: None,
            france: None,
            stands_out: apl_reading(a, last.apl),
            reason: None,
            source: last.source.clone(),
        },
        Need {
            label: format!(
                "Population vivant dans une commune d'APL < {}",
                fr_number(UNDER_SERVED_APL, 1)
            ),
            territory: Some(percent(last.population_share_under_2_5)),
            departement: None,
            france: None,
            stands_out: (last.population_share_under_2_5 > 0.0).then(|| {
                format!(
                    "communes sous le seuil de zonage : {}",
                    a.under_served
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
            reason: None,
            source: last.source.clone(),
        },
    ]
}

fn apl_reading(a: &AplIndicators, apl: f64) -> Option<String> {
    let change = a.change.as_ref().map(|c| {
        format!(
            " ; évolution {}–{} : {} %",
            c.from,
            c.to,
            fr_number(c.relative_pct, 1)
        )
    });
    (apl < UNDER_SERVED_APL).then(|| {
        format!(
            "sous le seuil de {} (zone d'intervention prioritaire){}",
            fr_number(UNDER_SERVED_APL, 1),
            change.unwrap_or_default()
        )
    })
}

fn ages(d: &Diagnosis) -> Vec<Need> {
    let Some(h) = &d.health else {
        return Vec::new();
    };
    let Some(a) = h.age_structure.get() else {
        return vec![not_available(
            "Structure par âge".into(),
            Some("aucune source de population par âge chargée ne couvre le territoire".into()),
        )];
    };
    a.groups
        .iter()
        .filter(|g| matches!(g.group, AgeGroup::Age75Plus | AgeGroup::Age0To14))
        .map(|g| {
            let shares = |level: &str| -> Vec<f64> {
                g.comparisons
                    .iter()
                    .filter(|c| c.level == level)
                    .filter_map(|c| c.value.get().map(|v| v.value))
                    .collect()
            };
            let deps = shares("departement");
            let france = shares("france").first().copied();
            Need {
                label: format!("Part des {}", g.label_fr),
                territory: Some(percent(g.share)),
                departement: (!deps.is_empty()).then(|| {
                    deps.iter()
                        .map(|&v| percent(v))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                }),
                france: france.map(percent),
                stands_out: (deps.len() == 1)
                    .then(|| gap(g.share, deps[0], "du département"))
                    .flatten(),
                reason: None,
                source: format!("{} (millésime {})", a.source, a.vintage),
            }
        })
        .collect()
}

fn patients_without_gp(d: &Diagnosis) -> Vec<Need> {
    let Some(h) = &d.health else {
        return Vec::new();
    };
    let p = &h.patients_without_gp;
    let label = "Patients de 17 ans et plus sans médecin traitant".to_string();
    let Some(f) = p.counts.get() else {
        let mut reason =
            "fichier de la CPAM non chargé (à lui demander : aucune donnée ouverte ne le donne par commune)".to_string();
        if !p.proxies.is_empty() {
            reason.push_str(&format!(
                " ; indicateurs indirects : {}",
                p.proxies
                    .iter()
                    .map(|x| format!("{} {}", x.label_fr, fr_number(x.value, 2)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return vec![not_available(label, Some(reason))];
    };
    let t = &f.territory;
    let deps: Vec<f64> = f
        .departements
        .iter()
        .filter_map(|x| x.counts.share_without_gp)
        .collect();
    let territory = match (t.share_without_gp, shown(t.without_gp)) {
        (Some(share), count) => format!("{count} ({})", percent(share)),
        (None, count) => count,
    };
    vec![Need {
        label,
        territory: Some(territory),
        departement: (!deps.is_empty()).then(|| {
            deps.iter()
                .map(|&v| percent(v))
                .collect::<Vec<_>>()
                .join(" ; ")
        }),
        france: None,
        stands_out: t
            .share_without_gp
            .and_then(|s| (deps.len() == 1).then(|| gap(s, deps[0], "du département"))?),
        reason: None,
        source: format!("{} (millésime {})", f.source, f.vintage),
    }]
}

fn second_line_care(d: &Diagnosis) -> Vec<Need> {
    let Some(h) = &d.health else {
        return Vec::new();
    };
    let label =
        "Établissements de second recours (MCO) dans le territoire ou à moins de 30 km".to_string();
    let Some(x) = h.hospitals.get() else {
        return vec![not_available(
            label,
            Some("aucun fichier FINESS chargé".into()),
        )];
    };
    vec![Need {
        label,
        territory: Some(x.second_line_within_30_km.to_string()),
        departement: None,
        france: None,
        stands_out: x
            .no_second_line_within_30_km
            .then(|| "aucun hôpital de second recours à moins de 30 km".into()),
        reason: None,
        source: format!("{} (millésime {})", x.source, x.vintage),
    }]
}

fn not_available(label: String, reason: Option<String>) -> Need {
    Need {
        label,
        territory: None,
        departement: None,
        france: None,
        stands_out: None,
        reason,
        source: String::new(),
    }
}

/// A CPAM count as shown under the statistical secret.
pub fn shown(s: Shown) -> String {
    match s {
        Shown::Count { value } => fr_number(value as f64, 0),
        Shown::Range { min, max } => format!(
            "{} à {}",
            fr_number(min as f64, 0),
            fr_number(max as f64, 0)
        ),
        Shown::Secret => "secret statistique (< 5)".into(),
    }
}
