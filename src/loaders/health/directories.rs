//! Professional directories: RPPS `PS_LibreAcces_Personne_activite`, ARS Normandie, Gironde RPPS.
//!
//! All map to [`Practitioner`]s (profession, liberal/salaried, current commune code). The RPPS
//! profession code decides the profession; for physicians (code 10) the savoir-faire label
//! decides: "médecine générale" -> general practitioner, "pédiatrie", "gynécologie",
//! "neurologie", any other -> other specialist. Dentists with "orthopédie dento-faciale" are
//! orthodontists; pharmacists count only in the officine sections (A, D) of the Ordre's table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Row, Table};
use crate::loaders::LoadError;
use crate::model::{fold, PracticeMode, Practitioner, PractitionerCount, Profession};

/// What a directory loader read and what it left aside, for the import log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryReport {
    /// Rows read.
    pub rows: usize,
    /// Rows whose profession is outside the model (opticians, osteopaths, ...), by label.
    pub other_professions: BTreeMap<String, usize>,
    /// Rows without a practice commune (no address in the extract).
    pub without_commune: usize,
    /// Rows repeating a professional already counted at the same commune.
    pub duplicates: usize,
    /// Commune codes matching no current commune.
    pub unmapped: Unmapped,
}

/// Reads a national (or filtered) RPPS `PS_LibreAcces_Personne_activite` extract ('|' separated).
pub fn load_rpps(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(Vec<Practitioner>, DirectoryReport), LoadError> {
    let table = Table::open(path, Dialect::PIPE, "RPPS PS_LibreAcces_Personne_activite")?;
    let id = table.column("Identifiant PP")?;
    let profession_code = table.column("Code profession")?;
    let profession_label = table.column("Libellé profession")?;
    let skill = table.column("Libellé savoir-faire")?;
    let mode = table.column("Code mode exercice")?;
    let commune = table.column("Code commune (coord. structure)")?;
    let section = table.column("Code section tableau pharmaciens")?;
    read_practitioners(table, commune, codes, |row, report| {
        let profession = rpps_profession(
            &row.get(profession_code),
            &row.get(skill),
            &row.get(section),
        );
        let Some(profession) = profession else {
            *report
                .other_professions
                .entry(row.get(profession_label).into_owned())
                .or_default() += 1;
            return Ok(None);
        };
        let mode = match &*row.get(mode) {
            "L" => PracticeMode::Liberal,
            "S" => PracticeMode::Salaried,
            _ => PracticeMode::Unknown,
        };
        Ok(Some((profession, mode, Some(row.get(id).into_owned()))))
    })
}

/// Profession of an RPPS row from its profession code, savoir-faire label and pharmacist section.
fn rpps_profession(code: &str, skill: &str, section: &str) -> Option<Profession> {
    let skill = fold(skill);
    Some(match code {
        "10" => {
            if skill.contains("medecine generale") {
                Profession::GeneralPractitioner
            } else if skill.contains("pediatrie") {
                Profession::Pediatrician
            } else if skill.contains("gynecologie") {
                Profession::Gynecologist
            } else if skill.contains("neurologie") {
                Profession::Neurologist
            } else if skill.contains("cardiologie") {
                Profession::Cardiologist
            } else if skill.contains("dermatologie") {
                Profession::Dermatologist
            } else if skill.contains("gastro-enterologie") {
                Profession::Gastroenterologist
            } else if skill.contains("psychiatrie") {
                // Child and adolescent psychiatry too, as the BPE's D207 counts them.
                Profession::Psychiatrist
            } else if skill.contains("ophtalmologie") {
                Profession::Ophthalmologist
            } else if skill.contains("oto-rhino-laryngologie") || skill.starts_with("orl") {
                Profession::EntSpecialist
            } else if skill.contains("pneumologie") {
                Profession::Pneumologist
            } else if skill.contains("radio-diagnostic")
                || skill.contains("radiodiagnostic")
                || skill.contains("imagerie medicale")
            {
                // Not radiothérapie (oncology), which stays among the other specialists.
                Profession::Radiologist
            } else if skill.contains("stomatologie") {
                Profession::Stomatologist
            } else {
                Profession::OtherSpecialist
            }
        }
        "21" if section == "A" || section == "D" => Profession::Pharmacist,
        "40" if skill.contains("dento-faciale") => Profession::Orthodontist,
        "40" => Profession::Dentist,
        "50" => Profession::Midwife,
        "60" => Profession::Nurse,
        "70" => Profession::Physiotherapist,
        "80" => Profession::Podiatrist,
        "91" => Profession::SpeechTherapist,
        "92" => Profession::Orthoptist,
        "93" => Profession::Psychologist,
        "94" => Profession::OccupationalTherapist,
        "95" => Profession::Dietitian,
        "96" => Profession::PsychomotorTherapist,
        _ => return None,
    })
}

/// Reads the ARS Normandie per-professional file (`ps_liberaux_lignes_sans_noms.csv`): one row
/// per liberal professional and practice site; returns also each commune's territoire de santé.
pub fn load_normandie_lines(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(Vec<Practitioner>, DirectoryReport), LoadError> {
    let table = Table::open(path, Dialect::COMMA, "ARS Normandie ps_liberaux_lignes")?;
    let commune = table.column("code_commune")?;
    let profession = table.column("profession")?;
    read_practitioners(table, commune, codes, |row, _| {
        let p = normandie_profession(&row.get(profession))
            .ok_or_else(|| row.error(profession, "unknown ARS Normandie profession"))?;
        Ok(Some((p, PracticeMode::Liberal, None)))
    })
}

/// Reads the ARS Normandie per-commune counts (`ps_liberaux_par_commune.csv`): one column per
/// profession (liberal professionals); communes without any professional are absent.
pub fn load_normandie_counts(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(Vec<PractitionerCount>, DirectoryReport), LoadError> {
    let table = Table::open(
        path,
        Dialect::COMMA,
        "ARS Normandie ps_liberaux_par_commune",
    )?;
    let commune = table.column("code_commune")?;
    let columns: Vec<(usize, Profession)> = table
        .headers()
        .iter()
        .enumerate()
        .filter_map(|(i, h)| normandie_profession(h).map(|p| (i, p)))
        .collect();
    if columns.is_empty() {
        return Err(table.column("medecin_generaliste").unwrap_err());
    }
    let mut report = DirectoryReport::default();
    let mut out = Vec::new();
    table.for_each_row(|row| {
        report.rows += 1;
        let raw = row.commune_code(commune)?;
        let Some(code) = codes.current(&raw) else {
            report.unmapped.add(&raw);
            return Ok(());
        };
        for &(column, profession) in &columns {
            let count = row.u32(column)?;
            if count > 0 {
                out.push(PractitionerCount {
                    commune: code.to_string(),
                    profession,
                    mode: PracticeMode::Liberal,
                    count,
                });
            }
        }
        Ok(())
    })?;
    Ok((out, report))
}

fn normandie_profession(id: &str) -> Option<Profession> {
    Some(match id {
        "medecin_generaliste" => Profession::GeneralPractitioner,
        "gynecologue" => Profession::Gynecologist,
        "pediatre" => Profession::Pediatrician,
        "infirmier" => Profession::Nurse,
        "masseur_kinesitherapeute" => Profession::Physiotherapist,
        "orthophoniste" => Profession::SpeechTherapist,
        "orthoptiste" => Profession::Orthoptist,
        "pedicure_podologue" => Profession::Podiatrist,
        "chirurgien_dentiste" => Profession::Dentist,
        "chirurgien_dentiste_odf" => Profession::Orthodontist,
        "pharmacien_officine" => Profession::Pharmacist,
        "sage_femme" => Profession::Midwife,
        _ => return None,
    })
}

/// Reads the Gironde RPPS extract of 2017 (`rpps33_mg_neuro_sans_noms.csv`): general
/// practitioners and neurologists; `Etablissement = oui` means salaried in an establishment.
pub fn load_gironde_rpps(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(Vec<Practitioner>, DirectoryReport), LoadError> {
    let table = Table::open(path, Dialect::COMMA, "Gironde RPPS extract")?;
    let id = table.column("RPPS")?;
    let commune = table.column("Commune")?;
    let specialty = table.column("Specialite")?;
    let establishment = table.column("Etablissement")?;
    read_practitioners(table, commune, codes, |row, _| {
        let label = fold(&row.get(specialty));
        let profession = if label.contains("medecine generale") {
            Profession::GeneralPractitioner
        } else if label.contains("neurologie") {
            Profession::Neurologist
        } else {
            return Err(row.error(
                specialty,
                "expected a general practice or neurology specialty",
            ));
        };
        let mode = match &*row.get(establishment).to_ascii_lowercase() {
            "oui" => PracticeMode::Salaried,
            "non" => PracticeMode::Liberal,
            _ => return Err(row.error(establishment, "expected oui or non")),
        };
        Ok(Some((profession, mode, Some(row.get(id).into_owned()))))
    })
}

/// What a loader makes of one row: profession, mode and (when the file identifies people) the
/// professional's id; `None` leaves the row aside (the closure says why in the report).
type Parsed = Option<(Profession, PracticeMode, Option<String>)>;

/// Reads every row of a directory file: `parse` reads profession and mode; the commune is
/// mapped to the current COG; repeats of an identified professional at the same commune are
/// skipped (a second row there is another activity, not another person; with a liberal and a
/// salaried activity there, the professional counts as liberal).
fn read_practitioners(
    table: Table,
    commune: usize,
    codes: &CurrentCodes,
    mut parse: impl FnMut(&Row, &mut DirectoryReport) -> Result<Parsed, LoadError>,
) -> Result<(Vec<Practitioner>, DirectoryReport), LoadError> {
    let mut report = DirectoryReport::default();
    let mut seen: HashMap<(String, String, Profession), usize> = HashMap::new();
    let mut out: Vec<Practitioner> = Vec::new();
    table.for_each_row(|row| {
        report.rows += 1;
        let Some((profession, mode, person)) = parse(row, &mut report)? else {
            return Ok(());
        };
        if row.get(commune).is_empty() {
            report.without_commune += 1;
            return Ok(());
        }
        let raw = row.commune_code(commune)?;
        let Some(code) = codes.current(&raw) else {
            report.unmapped.add(&raw);
            return Ok(());
        };
        if let Some(person) = person {
            let key = (person, code.to_string(), profession);
            if let Some(&i) = seen.get(&key) {
                if mode == PracticeMode::Liberal {
                    out[i].mode = mode;
                }
                report.duplicates += 1;
                return Ok(());
            }
            seen.insert(key, out.len());
        }
        out.push(Practitioner {
            profession,
            mode,
            commune: code.to_string(),
        });
        Ok(())
    })?;
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_rpps_professions() {
        use Profession::*;
        assert_eq!(
            rpps_profession("10", "Médecine Générale", ""),
            Some(GeneralPractitioner)
        );
        assert_eq!(
            rpps_profession("10", "Gynécologie-obstétrique", ""),
            Some(Gynecologist)
        );
        assert_eq!(
            rpps_profession("10", "Neuro-chirurgie", ""),
            Some(OtherSpecialist)
        );
        // The RPPS savoir-faire labels (nomenclature TRE_R38) of the specialties the BPE counts.
        for (label, profession) in [
            ("Cardiologie et maladies vasculaires", Cardiologist),
            ("Dermatologie et vénéréologie", Dermatologist),
            ("Gastro-entérologie et hépatologie", Gastroenterologist),
            ("Psychiatrie", Psychiatrist),
            ("Psychiatrie de l'enfant et de l'adolescent", Psychiatrist),
            ("Ophtalmologie", Ophthalmologist),
            ("Oto-rhino-laryngologie", EntSpecialist),
            ("ORL et chirurgie cervico-faciale", EntSpecialist),
            ("Pneumologie", Pneumologist),
            ("Radio-diagnostic", Radiologist),
            ("Radiodiagnostic et imagerie médicale", Radiologist),
            ("Stomatologie", Stomatologist),
            ("Radiothérapie", OtherSpecialist),
            ("Chirurgie orthopédique et traumatologie", OtherSpecialist),
        ] {
            assert_eq!(
                rpps_profession("10", label, ""),
                Some(profession),
                "{label}"
            );
        }
        assert_eq!(rpps_profession("21", "", "A"), Some(Pharmacist));
        assert_eq!(rpps_profession("21", "", "G"), None);
        assert_eq!(
            rpps_profession("40", "Orthopédie dento-faciale", ""),
            Some(Orthodontist)
        );
        assert_eq!(rpps_profession("28", "", ""), None);
    }
}
