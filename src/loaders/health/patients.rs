//! The cpts-atlas import format for patients without médecin traitant, per commune.
//!
//! No open data gives these counts per commune; a porteur asks its CPAM (caisse primaire) for
//! them. cpts-atlas reads them in this format (UTF-8 or Latin-1, `;` or `,` separated):
//!
//! ```text
//! # source: CPAM du Calvados, extraction SNDS du 2025-12-31
//! # vintage: 2025
//! code_commune;patients_17_plus;without_gp;without_gp_ald;without_gp_70_plus;without_gp_c2s
//! 14118;85210;7420;612;1203;1100
//! 14020;9804;s;s;s;s
//! ```
//!
//! - `code_commune`: INSEE code of the patients' commune of residence (older codes are mapped to
//!   the current commune and summed).
//! - `patients_17_plus`: patients aged 17 or more who consulted (consommants) over the period.
//! - `without_gp`: of whom without a declared médecin traitant; `without_gp_ald`,
//!   `without_gp_70_plus`, `without_gp_c2s`: of those, with an affection de longue durée, aged
//!   70 or more, covered by the complémentaire santé solidaire.
//! - A count the CPAM masked is written `s`, `secret`, `nc` or `<5` (read as between 1 and 4).
//! - The `# source:` and `# vintage:` comment lines are optional but shown with the figures.
//!
//! Errors name the line and column: a sub-count above `without_gp`, `without_gp` above
//! `patients_17_plus`, a repeated commune.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Row, Table};
use crate::loaders::LoadError;
use crate::model::{CpamCount, PatientsWithoutGp, PatientsWithoutGpRecord};

/// The columns of the format, in order.
pub const COLUMNS: [&str; 6] = [
    "code_commune",
    "patients_17_plus",
    "without_gp",
    "without_gp_ald",
    "without_gp_70_plus",
    "without_gp_c2s",
];

/// Reads a patients-without-médecin-traitant file (see the module doc for the format).
pub fn load_patients_without_gp(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(PatientsWithoutGp, Unmapped), LoadError> {
    let (source, vintage, delimiter) = read_preamble(path)?;
    let dialect = if delimiter == b';' {
        Dialect::SEMICOLON
    } else {
        Dialect::COMMA
    };
    let table = Table::open(
        path,
        dialect,
        "cpts-atlas patients without médecin traitant",
    )?;
    let columns = COLUMNS
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<usize>, _>>()?;
    let mut by_commune: BTreeMap<String, (u64, PatientsWithoutGpRecord)> = BTreeMap::new();
    let mut unmapped = Unmapped::default();
    let mut seen_codes = std::collections::HashSet::new();
    table.for_each_row(|row| {
        let raw = row.commune_code(columns[0])?;
        if !seen_codes.insert(raw.clone()) {
            return Err(row.error(columns[0], "commune listed twice"));
        }
        let counts = columns[1..]
            .iter()
            .map(|&c| count(row, c))
            .collect::<Result<Vec<CpamCount>, _>>()?;
        for (i, &sub) in counts.iter().enumerate().skip(2) {
            if exceeds(sub, counts[1]) {
                return Err(row.error(columns[i + 1], "greater than without_gp"));
            }
        }
        if exceeds(counts[1], counts[0]) {
            return Err(row.error(columns[2], "greater than patients_17_plus"));
        }
        let Some(current) = codes.current(&raw) else {
            unmapped.add(&raw);
            return Ok(());
        };
        let record = PatientsWithoutGpRecord {
            commune: current.to_string(),
            patients_17_plus: counts[0],
            without_gp: counts[1],
            without_gp_ald: counts[2],
            without_gp_70_plus: counts[3],
            without_gp_c2s: counts[4],
        };
        by_commune
            .entry(current.to_string())
            .and_modify(|(_, r)| merge_into(r, &record))
            .or_insert((row.line(), record));
        Ok(())
    })?;
    Ok((
        PatientsWithoutGp {
            source: source.unwrap_or_else(|| format!("fichier {}", path.display())),
            vintage: vintage.unwrap_or_else(|| "non précisé".into()),
            records: by_commune.into_values().map(|(_, r)| r).collect(),
        },
        unmapped,
    ))
}

fn count(row: &Row, column: usize) -> Result<CpamCount, LoadError> {
    let text = row.get(column).to_ascii_lowercase();
    match text.as_str() {
        "s" | "secret" | "nc" | "<5" | "< 5" => Ok(CpamCount::Masked),
        _ => text
            .parse()
            .map(CpamCount::Value)
            .map_err(|_| row.error(column, "expected a whole number or a masked marker (s, <5)")),
    }
}

fn exceeds(part: CpamCount, whole: CpamCount) -> bool {
    match (part, whole) {
        (CpamCount::Value(p), CpamCount::Value(w)) => p > w,
        (CpamCount::Value(p), CpamCount::Masked) => p > 4,
        (CpamCount::Masked, _) => false,
    }
}

/// Two lines of one current commune (merged communes): values add, a masked part masks the sum.
fn merge_into(into: &mut PatientsWithoutGpRecord, other: &PatientsWithoutGpRecord) {
    let add = |a: &mut CpamCount, b: CpamCount| {
        *a = match (*a, b) {
            (CpamCount::Value(x), CpamCount::Value(y)) => CpamCount::Value(x + y),
            _ => CpamCount::Masked,
        }
    };
    add(&mut into.patients_17_plus, other.patients_17_plus);
    add(&mut into.without_gp, other.without_gp);
    add(&mut into.without_gp_ald, other.without_gp_ald);
    add(&mut into.without_gp_70_plus, other.without_gp_70_plus);
    add(&mut into.without_gp_c2s, other.without_gp_c2s);
}

/// The `# source:` / `# vintage:` comments and the header's delimiter.
fn read_preamble(path: &Path) -> Result<(Option<String>, Option<String>, u8), LoadError> {
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (mut source, mut vintage) = (None, None);
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let line: String = String::from_utf8(line.clone())
            .unwrap_or_else(|_| line.iter().map(|&b| b as char).collect());
        let line = line.trim().trim_start_matches('\u{feff}');
        if let Some(comment) = line.strip_prefix('#') {
            if let Some((key, value)) = comment.split_once(':') {
                match key.trim() {
                    "source" => source = Some(value.trim().to_string()),
                    "vintage" => vintage = Some(value.trim().to_string()),
                    _ => {}
                }
            }
        } else if !line.is_empty() {
            let delimiter = if line.contains(';') { b';' } else { b',' };
            return Ok((source, vintage, delimiter));
        }
    }
    Ok((source, vintage, b';'))
}
