//! Builds the shipped health data from the raw sources (`../shared/data/directories`, `apl-drees`, `bpe-insee`).

use std::collections::BTreeSet;
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::health::ages::load_normandie_ages;
use crate::loaders::health::apl::{load_apl, AplReport};
use crate::loaders::health::bpe::{
    load_bpe_2019, load_bpe_2021, BpeReport, BPE_2019_FILE, BPE_2021_FILE,
};
use crate::loaders::health::directories::{
    load_gironde_rpps, load_normandie_counts, load_normandie_lines, DirectoryReport,
};
use crate::loaders::health::finess::load_eurostat_hospitals;
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{
    AgeStructure, Directory, DirectoryCoverage, EstablishmentList, Geography, HealthData,
    PracticeMode, Profession,
};

/// Départements wholly covered by the ARS Normandie files.
pub const NORMANDIE_DEPARTEMENTS: [&str; 5] = ["14", "27", "50", "61", "76"];

/// Raw file locations under the shared data folder.
pub const NORMANDIE_DIR: &str = "directories/normandie-ars-2021";
/// The Gironde RPPS extract of 2017, under the shared data folder.
pub const GIRONDE_FILE: &str = "directories/gironde-rpps-2017/rpps33_mg_neuro_sans_noms.csv";
/// Eurostat's FINESS hospital list of 2020, under the shared data folder.
pub const HOSPITALS_FILE: &str = "directories/eurostat_hospitals_FR_finess2020.csv";

const NORMANDIE_SOURCE: &str = "ARS Normandie, professionnels de santé libéraux (RPPS/ADELI) au 06/03/2021 — dépôt dnum-sante-ars-data/demographie_professionnels_sante, noms retirés";
const GIRONDE_SOURCE: &str =
    "Extraction RPPS Gironde du 27/08/2017 (médecins généralistes et neurologues), noms retirés";
const HOSPITALS_SOURCE: &str =
    "FINESS (extraction du 06/03/2020) via eurostat basic-services, établissements hospitaliers";
const AGES_SOURCE: &str =
    "ARS Normandie d'après INSEE, population légale 2017 par commune et classes d'âge";

/// What the health import read, merged and left aside, for `data/import-log.md`.
#[derive(Debug, Default)]
pub struct HealthImportReport {
    /// Per directory (id), what its loader read and left aside.
    pub directories: Vec<(String, DirectoryReport)>,
    /// Whether ARS Normandie's per-commune counts equal its per-professional lines, aggregated.
    pub normandie_counts_match_lines: bool,
    /// Per APL edition, what its loader read, merged and left aside.
    pub apl: Vec<(u16, AplReport)>,
    /// Establishments of the FINESS hospital list.
    pub establishments: usize,
    /// Codes of the ARS Normandie age file the COG does not map.
    pub ages_unmapped: Unmapped,
    /// Per BPE table (id), what its loader merged and left aside.
    pub bpe: Vec<(String, BpeReport)>,
}

/// Reads the raw health sources under `shared_data` and maps them to current COG codes.
pub fn import_health(
    shared_data: &Path,
    geography: &Geography,
) -> Result<(HealthData, HealthImportReport), LoadError> {
    let codes = CurrentCodes::new(geography);
    let mut report = HealthImportReport::default();
    let normandie = shared_data.join(NORMANDIE_DIR);

    let (lines, lines_report) =
        load_normandie_lines(&normandie.join("ps_liberaux_lignes_sans_noms.csv"), &codes)?;
    let (counts, _) =
        load_normandie_counts(&normandie.join("ps_liberaux_par_commune.csv"), &codes)?;
    let (ages_groups, ages, ages_unmapped) = load_normandie_ages(
        &normandie.join("communes_ts_population_ages_2017.csv"),
        &codes,
    )?;
    let border: BTreeSet<String> = ages
        .keys()
        .cloned()
        .chain(lines.iter().map(|p| p.commune.clone()))
        .filter(|c| {
            codes
                .departement(c)
                .is_some_and(|d| !NORMANDIE_DEPARTEMENTS.contains(&d))
        })
        .collect();
    let normandie_professions = Profession::ALL
        .into_iter()
        .filter(|p| lines.iter().any(|l| l.profession == *p))
        .collect();
    let coverage = DirectoryCoverage {
        professions: normandie_professions,
        modes: vec![PracticeMode::Liberal],
        departements: NORMANDIE_DEPARTEMENTS.map(String::from).to_vec(),
        communes: border.into_iter().collect(),
    };
    let from_lines = Directory::from_practitioners(
        "normandie-ars-2021",
        NORMANDIE_SOURCE,
        "2021-03-06",
        coverage,
        lines,
    );
    let from_counts = Directory::from_counts("", "", "", DirectoryCoverage::default(), counts);
    report.normandie_counts_match_lines = from_counts.counts == from_lines.counts;
    report
        .directories
        .push((from_lines.id.clone(), lines_report));

    let (gironde, gironde_report) = load_gironde_rpps(&shared_data.join(GIRONDE_FILE), &codes)?;
    let gironde = Directory::from_practitioners(
        "gironde-rpps-2017",
        GIRONDE_SOURCE,
        "2017-08-27",
        DirectoryCoverage {
            professions: vec![Profession::GeneralPractitioner, Profession::Neurologist],
            modes: vec![PracticeMode::Liberal, PracticeMode::Salaried],
            departements: vec!["33".into()],
            communes: Vec::new(),
        },
        gironde,
    );
    report
        .directories
        .push((gironde.id.clone(), gironde_report));

    let mut apl = Vec::new();
    for edition in [2022u16, 2023] {
        let path = shared_data.join(format!("apl-drees/apl_mg_communes_{edition}.csv"));
        let source = format!(
            "DREES, accessibilité potentielle localisée (APL) aux médecins généralistes, édition {edition}"
        );
        let (table, apl_report) = load_apl(&path, edition, &source, &codes)?;
        apl.push(table);
        report.apl.push((edition, apl_report));
    }

    let establishments = load_eurostat_hospitals(&shared_data.join(HOSPITALS_FILE))?;
    report.establishments = establishments.len();
    report.ages_unmapped = ages_unmapped;

    let (bpe_2019, bpe_2019_report) = load_bpe_2019(&shared_data.join(BPE_2019_FILE), &codes)?;
    report.bpe.push((bpe_2019.id.clone(), bpe_2019_report));
    let (bpe_2021, bpe_2021_report) = load_bpe_2021(&shared_data.join(BPE_2021_FILE), &codes)?;
    report.bpe.push((bpe_2021.id.clone(), bpe_2021_report));

    Ok((
        HealthData {
            directories: vec![from_lines, gironde],
            apl,
            establishments: Some(EstablishmentList {
                source: HOSPITALS_SOURCE.into(),
                vintage: "2020-03-06".into(),
                establishments,
            }),
            ages: vec![AgeStructure {
                source: AGES_SOURCE.into(),
                vintage: "2017".into(),
                groups: ages_groups,
                departements: NORMANDIE_DEPARTEMENTS.map(String::from).to_vec(),
                communes: ages,
            }],
            equipment: vec![bpe_2019, bpe_2021],
            patients: None,
            statistics: None,
        },
        report,
    ))
}

/// One row of ARS Normandie's published synthesis per territoire de santé
/// (`Synthe_TSNormandie20210306.xls`, converted to CSV by `tools/xls_to_csv.py`).
#[derive(Debug, Clone, PartialEq)]
pub struct SynthesisRow {
    /// Code of the territoire de santé.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Total population of the territoire (INSEE 2017), all regions.
    pub population: f64,
    /// Counts per profession as published.
    pub counts: Vec<(Profession, f64)>,
    /// Densities per 100 000 inhabitants as published (midwives: per 100 000 women 16-59).
    pub densities_per_100k: Vec<(Profession, f64)>,
}

/// Reads the CSV conversion of the ARS Normandie synthesis (technical column names).
pub fn load_normandie_synthesis(path: &Path) -> Result<Vec<SynthesisRow>, LoadError> {
    const COLUMNS: [(&str, &str, Profession); 8] = [
        ("nb_omni", "dens_omni", Profession::GeneralPractitioner),
        ("nb_chir_dent", "dens_chir_dent", Profession::Dentist),
        ("nb_kine", "dens_kine", Profession::Physiotherapist),
        ("nb_inf", "dens_inf", Profession::Nurse),
        ("nb_ortho", "dens_ortho", Profession::SpeechTherapist),
        ("nb_pedicure", "dens_pedicure", Profession::Podiatrist),
        ("nb_orthoptist", "dens_orthoptist", Profession::Orthoptist),
        ("nb_sage_femme", "dens_sage_femme", Profession::Midwife),
    ];
    let table = Table::open(path, Dialect::COMMA, "ARS Normandie synthesis (CSV)")?;
    let code = table.column("num_bass_vie")?;
    let name = table.column("libbassin")?;
    let population = table.column("poptot")?;
    let columns = COLUMNS
        .iter()
        .map(|(n, d, p)| Ok((table.column(n)?, table.column(d)?, *p)))
        .collect::<Result<Vec<_>, LoadError>>()?;
    let mut out = Vec::new();
    table.for_each_row(|row| {
        out.push(SynthesisRow {
            code: row.get(code).into_owned(),
            name: row.get(name).into_owned(),
            population: row.f64(population)?,
            counts: columns
                .iter()
                .map(|&(n, _, p)| Ok((p, row.f64(n)?)))
                .collect::<Result<_, LoadError>>()?,
            densities_per_100k: columns
                .iter()
                .map(|&(_, d, p)| Ok((p, row.f64(d)?)))
                .collect::<Result<_, LoadError>>()?,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Territoires de santé: code -> member communes (current codes).
pub type Territories = std::collections::BTreeMap<String, Vec<String>>;

/// The territoires de santé of ARS Normandie: code -> member communes (current codes), from
/// `communes_ts_population_ages_2017.csv`, plus each professional line's `code_ts` for communes
/// absent there. A current commune whose former parts sat in different territoires goes to the
/// first one listed and is reported.
pub fn load_normandie_territories(
    normandie_dir: &Path,
    codes: &CurrentCodes,
) -> Result<(Territories, Vec<String>), LoadError> {
    let mut territory_of: std::collections::BTreeMap<String, String> = Default::default();
    let mut conflicts = BTreeSet::new();
    for file in [
        "communes_ts_population_ages_2017.csv",
        "ps_liberaux_lignes_sans_noms.csv",
    ] {
        let table = Table::open(
            &normandie_dir.join(file),
            Dialect::COMMA,
            "ARS Normandie file",
        )?;
        let ts = table.column("code_ts")?;
        let commune = table.column("code_commune")?;
        let from_ages = file.starts_with("communes");
        table.for_each_row(|row| {
            let ts = row.get(ts);
            if ts.is_empty() {
                return Ok(());
            }
            let raw = row.commune_code(commune)?;
            if let Some(current) = codes.current(&raw) {
                match territory_of.get(current) {
                    Some(existing) if existing != &*ts && from_ages => {
                        conflicts.insert(current.to_string());
                    }
                    Some(_) => {}
                    None => {
                        territory_of.insert(current.to_string(), ts.into_owned());
                    }
                }
            }
            Ok(())
        })?;
    }
    let mut territories = Territories::new();
    for (commune, ts) in territory_of {
        territories.entry(ts).or_default().push(commune);
    }
    Ok((territories, conflicts.into_iter().collect()))
}

/// Files a user adds to the shipped health data.
#[derive(Debug, Clone, Default)]
pub struct UserHealthFiles {
    /// An RPPS `PS_LibreAcces_Personne_activite` extract; it covers the départements it has
    /// rows in (a national file covers them all) and answers before the shipped directories.
    pub rpps: Option<std::path::PathBuf>,
    /// Date of the RPPS extract (`2026-05-01`), shown as its vintage.
    pub rpps_vintage: Option<String>,
    /// A CPAM file of patients without médecin traitant (see `loaders::patients`).
    pub patients: Option<std::path::PathBuf>,
    /// An INSEE `base-cc-evol-struct-pop` file; it covers the départements it has rows in.
    pub insee_ages: Option<std::path::PathBuf>,
}

/// Adds the user's files to `data`; returns notes on what was read and left aside.
pub fn add_user_files(
    data: &mut HealthData,
    geography: &Geography,
    files: &UserHealthFiles,
) -> Result<Vec<String>, LoadError> {
    let mut notes = Vec::new();
    if files.rpps.is_none() && files.patients.is_none() && files.insee_ages.is_none() {
        return Ok(notes);
    }
    let codes = CurrentCodes::new(geography);
    if let Some(path) = &files.rpps {
        let (practitioners, report) = crate::loaders::health::directories::load_rpps(path, &codes)?;
        let departements: BTreeSet<String> = practitioners
            .iter()
            .filter_map(|p| codes.departement(&p.commune).map(str::to_string))
            .collect();
        let professions = Profession::ALL
            .into_iter()
            .filter(|p| practitioners.iter().any(|x| x.profession == *p))
            .collect();
        notes.push(format!(
            "{}: {} lignes, {} professionnels retenus, {} sans commune d'exercice, {} hors professions suivies, {} codes commune inconnus",
            path.display(),
            report.rows,
            practitioners.len(),
            report.without_commune,
            report.other_professions.values().sum::<usize>(),
            report.unmapped.rows()
        ));
        let directory = Directory::from_practitioners(
            "rpps-user",
            &format!(
                "Annuaire Santé (RPPS) PS_LibreAcces_Personne_activite, fichier {}",
                path.display()
            ),
            files
                .rpps_vintage
                .as_deref()
                .unwrap_or("date d'extraction non précisée"),
            DirectoryCoverage {
                professions,
                modes: PracticeMode::ALL.to_vec(),
                departements: departements.into_iter().collect(),
                communes: Vec::new(),
            },
            practitioners,
        );
        data.directories.insert(0, directory);
    }
    if let Some(path) = &files.patients {
        let (patients, unmapped) =
            crate::loaders::health::patients::load_patients_without_gp(path, &codes)?;
        notes.push(format!(
            "{}: {} communes, {} lignes aux codes inconnus",
            path.display(),
            patients.records.len(),
            unmapped.rows()
        ));
        data.patients = Some(patients);
    }
    if let Some(path) = &files.insee_ages {
        let (year, (groups, communes, unmapped)) =
            crate::loaders::health::ages::load_insee_age_bands(path, &codes)?;
        let departements: BTreeSet<String> = communes
            .keys()
            .filter_map(|c| codes.departement(c).map(str::to_string))
            .collect();
        notes.push(format!(
            "{}: recensement {year}, {} communes, {} lignes aux codes inconnus",
            path.display(),
            communes.len(),
            unmapped.rows()
        ));
        data.ages.insert(
            0,
            AgeStructure {
                source: format!(
                    "INSEE, base-cc-evol-struct-pop (recensement {year}), fichier {}",
                    path.display()
                ),
                vintage: year.to_string(),
                groups,
                departements: departements.into_iter().collect(),
                communes,
            },
        );
    }
    Ok(notes)
}
