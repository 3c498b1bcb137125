//! INSEE IRIS population files (`base-ic-evol-struct-pop-20yy.csv`, "Population en 20yy" of the
//! "bases infracommunales"): one row per IRIS with `IRIS`, `TYP_IRIS`, `LIBIRIS` and `Pyy_POP`.
//!
//! The separator (`;`, `,` or tab) is read from the header; the decimal separator may be a point
//! or a comma; UTF-8 or Latin-1. Required columns: `IRIS`, `TYP_IRIS` and one `Pyy_POP`
//! (`LIBIRIS` is optional). INSEE's spreadsheet editions (.xlsx, .xls) are refused with a hint
//! to export them as CSV.

use std::path::Path;

use crate::loaders::iris::fields::{census_year, parse_number};
use crate::loaders::{read_file, LoadError};
use crate::model::{is_iris_code, IrisType};

/// One row of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct IrisPopulationRow {
    /// IRIS code, 9 characters.
    pub code: String,
    /// IRIS name, when the file has one.
    pub name: Option<String>,
    /// IRIS type (`H`, `A`, `D`, `Z`).
    pub kind: IrisType,
    /// Census population of the IRIS.
    pub population: f64,
}

/// The populations of an IRIS population file and its census year.
#[derive(Debug, Clone, PartialEq)]
pub struct IrisPopulationFile {
    /// Year of the census the populations come from.
    pub census_year: u16,
    /// The rows, in file order.
    pub rows: Vec<IrisPopulationRow>,
}

/// Reads an INSEE IRIS population CSV, naming the file and line of any error.
pub fn read_iris_population(path: &Path) -> Result<IrisPopulationFile, LoadError> {
    let bytes = read_file(path)?;
    let at = |line: u64, message: String| LoadError::Csv {
        path: path.to_path_buf(),
        line,
        message,
    };
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(at(
            1,
            "this is a spreadsheet (.xlsx/.xls): export it as CSV (INSEE also publishes the CSV edition)"
                .into(),
        ));
    }
    // UTF-8, else Latin-1 (every byte is a character).
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| e.into_bytes().iter().map(|&b| b as char).collect());
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .find(|d| header_line.as_bytes().contains(d))
        .ok_or_else(|| at(1, "no header with `;`, `,` or tab separated columns".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| at(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_uppercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let code_col = column("IRIS").ok_or_else(|| at(1, "no `IRIS` column".into()))?;
    let type_col = column("TYP_IRIS").ok_or_else(|| at(1, "no `TYP_IRIS` column".into()))?;
    let name_col = column("LIBIRIS");
    let (pop_col, census_year) = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, census_year(h)?)))
        .max_by_key(|(_, year)| *year)
        .ok_or_else(|| at(1, "no population column `Pyy_POP` (e.g. P21_POP)".into()))?;

    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            at(
                e.position().map_or(0, |p| p.line()),
                format!("unreadable row: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let code = field(code_col).to_ascii_uppercase();
        if !is_iris_code(&code) {
            return Err(at(line, format!("`{code}` is not an IRIS code")));
        }
        let kind = IrisType::parse(field(type_col)).ok_or_else(|| {
            at(
                line,
                format!("IRIS {code}: unknown TYP_IRIS `{}`", field(type_col)),
            )
        })?;
        let population = parse_number(field(pop_col)).ok_or_else(|| {
            at(
                line,
                format!(
                    "IRIS {code}: {} `{}` is not a population",
                    header[pop_col],
                    field(pop_col)
                ),
            )
        })?;
        rows.push(IrisPopulationRow {
            code,
            name: name_col
                .map(|c| field(c).to_string())
                .filter(|n| !n.is_empty()),
            kind,
            population,
        });
    }
    Ok(IrisPopulationFile { census_year, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<IrisPopulationFile, LoadError> {
        let dir = std::env::temp_dir().join(format!("iris-pop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("p{}.csv", text.len()));
        std::fs::write(&path, text).unwrap();
        let result = read_iris_population(&path);
        std::fs::remove_file(&path).unwrap();
        result
    }

    #[test]
    fn reads_semicolon_and_comma_files() {
        let f = read(b"IRIS;COM;TYP_IRIS;LIBIRIS;P19_POP;P19_POP0002\n693810101;69381;H;Louis Pradel;2345,5;12\n").unwrap();
        assert_eq!(f.census_year, 2019);
        assert_eq!(f.rows[0].population, 2345.5);
        assert_eq!(f.rows[0].kind, IrisType::Residential);
        let f =
            read(b"\"IRIS\",\"TYP_IRIS\",\"P21_POP\"\n\"693810102\",\"A\",\"12.25\"\n").unwrap();
        assert_eq!((f.census_year, f.rows[0].population), (2021, 12.25));
        // Latin-1 names.
        let f = read(b"IRIS;TYP_IRIS;LIBIRIS;P20_POP\n693810101;H;Cr\xe9mieu;10\n").unwrap();
        assert_eq!(f.rows[0].name.as_deref(), Some("Crémieu"));
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let cases: [(&[u8], &str); 5] = [
            (b"IRIS;TYP_IRIS\n693810101;H\n", "no population column"),
            (
                b"CODE;TYP_IRIS;P19_POP\n693810101;H;1\n",
                "no `IRIS` column",
            ),
            (
                b"IRIS;TYP_IRIS;P19_POP\n693810101;H;1\n69381;H;2\n",
                "line 3",
            ),
            (
                b"IRIS;TYP_IRIS;P19_POP\n693810101;H;-4\n",
                "not a population",
            ),
            (b"PK\x03\x04rest", "spreadsheet"),
        ];
        for (text, needle) in cases {
            let err = read(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
