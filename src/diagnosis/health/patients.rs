//! Patients without médecin traitant, from the porteur's CPAM file, under the statistical
//! secret; without that file, only labelled proxies (never an invented count).
//!
//! Statistical-secret rule: a count from 1 to 4 is never shown (primary secret), nor is a count
//! the CPAM masked. A territory or département total including a masked commune is given as a
//! range (`min`–`max`, each masked count being 1 to 4). In the per-commune detail, when exactly
//! one commune's count of a measure is secret, the next smallest count of that measure is hidden
//! too (secondary secret), so that the shown total minus the shown communes does not reveal it.

use serde::Serialize;

use crate::diagnosis::indicator::{member_departements, Indicator};
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{CpamCount, PatientsWithoutGpRecord, Profession, TerritoryMember};

/// Smallest count that may be shown.
pub const SECRET_BELOW: u64 = 5;
/// A territory's GP density below this share of its département's is flagged "well under".
pub const WELL_UNDER_RATIO: f64 = 0.75;

/// Patients without médecin traitant, or why not, with the proxies shown in every case.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PatientsWithoutGpIndicator {
    #[serde(flatten)]
    pub counts: Indicator<PatientFigures>,
    /// Indirect indicators (never counts of patients), labelled as such.
    pub proxies: Vec<Proxy>,
}

/// Figures of the CPAM file for the territory, its départements and its communes.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PatientFigures {
    pub source: String,
    pub vintage: String,
    pub territory: PatientCounts,
    pub departements: Vec<AreaPatients>,
    pub communes: Vec<AreaPatients>,
    /// Members absent from the file (not counted).
    pub communes_missing: Vec<String>,
    pub secret_rule: &'static str,
}

/// Counts of an area (a département, a commune).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaPatients {
    pub code: String,
    pub name: String,
    /// For a département: communes of the file in it (the share is over these only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communes_in_file: Option<usize>,
    #[serde(flatten)]
    pub counts: PatientCounts,
}

/// The five counts and the share without médecin traitant.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PatientCounts {
    pub patients_17_plus: Shown,
    pub without_gp: Shown,
    pub without_gp_ald: Shown,
    pub without_gp_70_plus: Shown,
    pub without_gp_c2s: Shown,
    /// `without_gp / patients_17_plus` when both are exact and shown.
    pub share_without_gp: Option<f64>,
    /// True when partly covered communes are counted pro rata of area.
    pub estimated: bool,
}

/// A count as shown under the statistical secret.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Shown {
    Count { value: u64 },
    Range { min: u64, max: u64 },
    Secret,
}

/// An indirect indicator of lacking médecins traitants.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Proxy {
    pub id: &'static str,
    pub label_fr: &'static str,
    pub value: f64,
    /// For the density ratio: whether it is under [`WELL_UNDER_RATIO`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub well_under: Option<bool>,
    pub source: String,
}

/// A sum of CPAM counts: exact part and number of masked parts.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    known: f64,
    masked: u64,
}

impl Tally {
    fn add(&mut self, count: CpamCount, weight: f64) {
        match count {
            CpamCount::Value(v) => self.known += v as f64 * weight,
            CpamCount::Masked => self.masked += 1,
        }
    }

    fn shown(self) -> Shown {
        let known = self.known.round() as u64;
        if self.masked > 0 {
            Shown::Range {
                min: known + self.masked,
                max: known + 4 * self.masked,
            }
        } else if (1..SECRET_BELOW).contains(&known) {
            Shown::Secret
        } else {
            Shown::Count { value: known }
        }
    }
}

fn counts(records: &[(&PatientsWithoutGpRecord, f64)], estimated: bool) -> PatientCounts {
    let tally = |f: fn(&PatientsWithoutGpRecord) -> CpamCount| {
        let mut t = Tally::default();
        for (r, w) in records {
            t.add(f(r), *w);
        }
        t.shown()
    };
    let patients = tally(|r| r.patients_17_plus);
    let without = tally(|r| r.without_gp);
    let share = match (patients, without) {
        (Shown::Count { value: p }, Shown::Count { value: w }) if p > 0 => {
            Some(w as f64 / p as f64)
        }
        _ => None,
    };
    PatientCounts {
        patients_17_plus: patients,
        without_gp: without,
        without_gp_ald: tally(|r| r.without_gp_ald),
        without_gp_70_plus: tally(|r| r.without_gp_70_plus),
        without_gp_c2s: tally(|r| r.without_gp_c2s),
        share_without_gp: share,
        estimated,
    }
}

/// Hides, for each measure, the smallest other shown count when exactly one commune is secret.
fn secondary_secret(communes: &mut [AreaPatients]) {
    type Field = fn(&mut PatientCounts) -> &mut Shown;
    let fields: [Field; 5] = [
        |c| &mut c.patients_17_plus,
        |c| &mut c.without_gp,
        |c| &mut c.without_gp_ald,
        |c| &mut c.without_gp_70_plus,
        |c| &mut c.without_gp_c2s,
    ];
    for field in fields {
        let mut secret = 0;
        let mut smallest: Option<(u64, usize)> = None;
        for (i, c) in communes.iter_mut().enumerate() {
            match *field(&mut c.counts) {
                Shown::Secret => secret += 1,
                Shown::Count { value } if smallest.is_none_or(|(v, _)| value < v) => {
                    smallest = Some((value, i));
                }
                _ => {}
            }
        }
        if let (1, Some((_, i))) = (secret, smallest) {
            *field(&mut communes[i].counts) = Shown::Secret;
        }
    }
    for c in communes.iter_mut() {
        if matches!(c.counts.without_gp, Shown::Secret)
            || matches!(c.counts.patients_17_plus, Shown::Secret)
        {
            c.counts.share_without_gp = None;
        }
    }
}

/// Patients without médecin traitant for a territory, with the given proxies attached.
pub fn patients_without_gp(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
    proxies: Vec<Proxy>,
) -> PatientsWithoutGpIndicator {
    let Some(file) = &health.data().patients else {
        return PatientsWithoutGpIndicator {
            counts: Indicator::not_available(
                "no open data gives patients without médecin traitant by commune: ask your CPAM \
                 for them and load them (cpts-atlas format, see loaders::patients); only proxies \
                 are shown",
            ),
            proxies,
        };
    };
    let by_code: std::collections::HashMap<&str, &PatientsWithoutGpRecord> = file
        .records
        .iter()
        .map(|r| (r.commune.as_str(), r))
        .collect();
    let mut territory = Vec::new();
    let mut communes = Vec::new();
    let mut missing = Vec::new();
    for m in members {
        let records: Vec<(&PatientsWithoutGpRecord, f64)> = health
            .place_codes(m)
            .filter_map(|c| by_code.get(c).map(|r| (*r, m.coverage)))
            .collect();
        if records.is_empty() {
            missing.push(m.code.clone());
            continue;
        }
        territory.extend(records.iter().copied());
        communes.push(AreaPatients {
            code: m.code.clone(),
            name: m.name.clone(),
            communes_in_file: None,
            counts: counts(&records, m.estimated),
        });
    }
    if territory.is_empty() {
        return PatientsWithoutGpIndicator {
            counts: Indicator::not_available(format!(
                "the loaded CPAM file ({}) has no commune of the territory",
                file.source
            )),
            proxies,
        };
    }
    secondary_secret(&mut communes);
    let departements = member_departements(atlas, members)
        .into_iter()
        .map(|d| {
            let records: Vec<(&PatientsWithoutGpRecord, f64)> = file
                .records
                .iter()
                .filter(|r| departement_of(atlas, &r.commune) == Some(d.as_str()))
                .map(|r| (r, 1.0))
                .collect();
            AreaPatients {
                name: atlas
                    .departement(&d)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                communes_in_file: Some(records.len()),
                counts: counts(&records, false),
                code: d,
            }
        })
        .collect();
    PatientsWithoutGpIndicator {
        counts: Indicator::available(PatientFigures {
            source: file.source.clone(),
            vintage: file.vintage.clone(),
            territory: counts(&territory, members.iter().any(|m| m.estimated)),
            departements,
            communes,
            communes_missing: missing,
            secret_rule:
                "counts of 1 to 4 hidden, also where a difference would reveal them (secondary \
                 secret); totals including a count masked by the CPAM given as a range",
        }),
        proxies,
    }
}

fn departement_of<'a>(atlas: &'a Atlas, code: &str) -> Option<&'a str> {
    match atlas.find(code)? {
        crate::engine::CommuneRef::Commune(i) => Some(&atlas.commune(i).departement),
        crate::engine::CommuneRef::Arrondissement(a) => {
            departement_of(atlas, &atlas.arrondissement(a).commune)
        }
    }
}

/// The proxies available from the other indicators: share of the population under 2.5 APL
/// (last edition) and the GP density relative to the département's.
pub fn proxies(
    apl: &Indicator<crate::diagnosis::health::access::AplIndicators>,
    supply: &std::collections::BTreeMap<
        Profession,
        Indicator<crate::diagnosis::health::supply::ProfessionSupply>,
    >,
    members: &[TerritoryMember],
    atlas: &Atlas,
) -> Vec<Proxy> {
    let mut out = Vec::new();
    if let Some(last) = apl.get().and_then(|a| a.editions.last()) {
        out.push(Proxy {
            id: "apl_population_share_under_2_5",
            label_fr:
                "Part de la population vivant dans une commune sous 2,5 consultations/an/hab. \
                       (APL DREES) — indicateur indirect, pas un nombre de patients",
            value: last.population_share_under_2_5,
            well_under: None,
            source: last.source.clone(),
        });
    }
    let gp = supply
        .get(&Profession::GeneralPractitioner)
        .and_then(Indicator::get);
    if let Some(gp) = gp {
        let main_dep = members
            .iter()
            .max_by(|a, b| a.population_counted.total_cmp(&b.population_counted))
            .map(|m| atlas.commune(m.commune_index).departement.clone());
        let dep_density = gp
            .comparisons
            .iter()
            .find(|c| c.level == "departement" && c.code == main_dep)
            .and_then(|c| c.density.get())
            .map(|d| d.density_per_10k);
        if let (Some(t), Some(d)) = (gp.density_per_10k, dep_density.filter(|d| *d > 0.0)) {
            out.push(Proxy {
                id: "gp_density_ratio_to_departement",
                label_fr: "Densité de médecins généralistes rapportée à celle du département \
                           (sous 0,75 : nettement inférieure) — indicateur indirect, pas un nombre de patients",
                value: t / d,
                well_under: Some(t / d < WELL_UNDER_RATIO),
                source: gp.source.clone(),
            });
        }
    }
    out
}
