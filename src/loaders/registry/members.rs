//! Registries published as member lists: a CSV with one row per CPTS and commune (`CPTS;commune`,
//! optional status column), `;` or `,` separated.

use std::collections::HashSet;
use std::path::Path;

use crate::loaders::registry::geojson::unknown_status;
use crate::loaders::registry::{registry_error, slug, source_id, split_csv_line};
use crate::loaders::{read_file, LoadError};
use crate::model::{AreaBasis, Cpts, CptsMember, CptsStatus, Registry, RegistryArea};

/// Column names of the CPTS's name (case-insensitive).
pub const CPTS_COLUMNS: &[&str] = &["cpts", "nom_cpts", "cpts_nom", "nom", "name"];
/// Column names of the member commune's INSEE code.
pub const COMMUNE_COLUMNS: &[&str] = &[
    "commune",
    "code_commune",
    "code_insee",
    "insee",
    "codgeo",
    "com",
];
/// Column names of the optional status.
pub const STATUS_COLUMNS: &[&str] = &["statut", "status", "etat", "avancement"];

/// Reads a member list. Rows of one CPTS need not follow each other; a CPTS's status, when
/// given on several rows, must agree. The area is the départements of the listed communes.
pub fn registry_from_member_list(path: &Path) -> Result<Registry, LoadError> {
    let bytes = read_file(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| registry_error(path, "file".into(), format!("not UTF-8: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    let bad = |line: usize, reason: String| registry_error(path, format!("line {line}"), reason);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header_line) = lines.next().ok_or_else(|| bad(1, "empty file".into()))?;
    let separator = if header_line.contains(';') { ';' } else { ',' };
    let header: Vec<String> = split_csv_line(header_line, separator)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    let column = |candidates: &[&str]| {
        candidates
            .iter()
            .find_map(|c| header.iter().position(|h| h.eq_ignore_ascii_case(c)))
    };
    let (Some(name_col), Some(code_col)) = (column(CPTS_COLUMNS), column(COMMUNE_COLUMNS)) else {
        return Err(bad(
            1,
            format!(
                "expected a CPTS column ({}) and a commune column ({}); columns found: {}",
                CPTS_COLUMNS.join(", "),
                COMMUNE_COLUMNS.join(", "),
                header.join(", ")
            ),
        ));
    };
    let status_col = column(STATUS_COLUMNS);

    let mut cpts: Vec<Cpts> = Vec::new();
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    for (i, line) in lines {
        let n = i + 1;
        let fields = split_csv_line(line, separator);
        let field = |k: usize| fields.get(k).map(|f| f.trim()).unwrap_or("");
        let name = field(name_col);
        let code = field(code_col);
        if name.is_empty() {
            return Err(bad(n, format!("empty `{}`", header[name_col])));
        }
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad(
                n,
                format!(
                    "`{}` {code:?} is not an INSEE commune code",
                    header[code_col]
                ),
            ));
        }
        let status = match status_col.map(field) {
            None | Some("") => None,
            Some(label) => Some(
                CptsStatus::from_label(label)
                    .ok_or_else(|| bad(n, unknown_status(&header[status_col.unwrap()], label)))?,
            ),
        };
        let k = match cpts.iter().position(|c| c.name == name) {
            Some(k) => k,
            None => {
                cpts.push(Cpts {
                    id: slug(name),
                    name: name.to_string(),
                    members: Vec::new(),
                    outline: None,
                    site: String::new(),
                    status: None,
                });
                cpts.len() - 1
            }
        };
        let entry = &mut cpts[k];
        match (entry.status, status) {
            (Some(a), Some(b)) if a != b => {
                return Err(bad(
                    n,
                    format!("status of {name:?} differs from an earlier row ({a:?} then {b:?})"),
                ))
            }
            (None, Some(b)) => entry.status = Some(b),
            _ => {}
        }
        if !seen.insert((k, code.to_string())) {
            return Err(bad(n, format!("{code} listed twice for {name:?}")));
        }
        entry.members.push(CptsMember {
            code: code.to_string(),
            infra_communal: false,
        });
    }
    if cpts.is_empty() {
        return Err(bad(2, "no row".into()));
    }
    let mut ids = HashSet::new();
    for c in &cpts {
        if !ids.insert(c.id.clone()) {
            return Err(registry_error(
                path,
                format!("CPTS {:?}", c.name),
                format!("its id {:?} repeats another CPTS's", c.id),
            ));
        }
    }
    let source = format!(
        "{} (liste de communes membres)",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    Ok(Registry {
        areas: vec![RegistryArea {
            id: source_id(path),
            source: source.clone(),
            departements: Vec::new(),
            basis: AreaBasis::MemberDepartements,
            cpts: cpts.len(),
        }],
        source,
        cpts,
    })
}
