//! Observed road travel times (`travel-times/`): OSRM and INSEE METRIC point pairs in Gironde
//! (Lambert-93) and the OSRM car matrix between the communes of the Grand Paris.

use std::collections::HashMap;
use std::path::Path;

use shapefile::dbase::{self, FieldValue};

use crate::loaders::iris::crs::Lambert93;
use crate::loaders::table::{Dialect, Table};
use crate::loaders::{read_file, LoadError};

/// OSRM pairs of Gironde, in `travel-times/`.
pub const GIRONDE_OSRM: &str = "gironde_osrm_pairs.csv";
/// The same pairs timed off-peak by INSEE's METRIC (`HC`, 9999 = not computed).
pub const GIRONDE_METRIC: &str = "gironde_metric_pairs_HC.dbf";
/// OSRM car minutes between the communes of the Métropole du Grand Paris.
pub const GRAND_PARIS_MATRIX: &str = "mta_cardist_grand_paris.txt";
/// METRIC's code for a time it could not compute.
const METRIC_NOT_COMPUTED: f64 = 9999.0;

/// A timed pair of points, in WGS84 longitude/latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedPair {
    /// Origin, (longitude, latitude) degrees.
    pub from: (f64, f64),
    /// Destination, (longitude, latitude) degrees.
    pub to: (f64, f64),
    /// Car travel time, minutes.
    pub minutes: f64,
    /// Road distance, km, when the router gives it.
    pub road_km: Option<f64>,
}

/// The Gironde pairs as timed by OSRM (`Dist_min`, `Dist_km`), in file order.
pub fn load_osrm_pairs(path: &Path) -> Result<Vec<TimedPair>, LoadError> {
    let table = Table::open(
        path,
        Dialect::COMMA,
        "OSRM point pairs (X1,Y1,X2,Y2,Dist_min)",
    )?;
    let columns = ["X1", "Y1", "X2", "Y2", "Dist_min", "Dist_km"]
        .map(|c| table.column(c))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let lambert = Lambert93::new();
    let mut pairs = Vec::new();
    table.for_each_row(|row| {
        let v = columns
            .iter()
            .map(|&c| row.f64(c))
            .collect::<Result<Vec<f64>, _>>()?;
        let point = |x: f64, y: f64, column: usize| {
            lambert
                .to_wgs84(x, y)
                .map_err(|e| row.error(columns[column], e))
        };
        pairs.push(TimedPair {
            from: point(v[0], v[1], 0)?,
            to: point(v[2], v[3], 2)?,
            minutes: v[4],
            road_km: Some(v[5]),
        });
        Ok(())
    })?;
    Ok(pairs)
}

/// The METRIC off-peak times (`HC`) of the Gironde pairs, in the order of `osrm` (the pairs are
/// matched on their Lambert-93 coordinates, as the DREES script does); `None` where METRIC has
/// no such pair or could not compute it (9999).
pub fn load_metric_times(
    path: &Path,
    osrm_path: &Path,
) -> Result<(Vec<Option<f64>>, MetricReport), LoadError> {
    let corrupt = |reason: String| LoadError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = dbase::Reader::from_path(path).map_err(|e| corrupt(e.to_string()))?;
    let key = |v: [f64; 4]| v.map(|x| (x * 1000.0).round() as i64);
    let mut by_points: HashMap<[i64; 4], f64> = HashMap::new();
    let mut report = MetricReport::default();
    for (n, record) in reader.iter_records().enumerate() {
        let record = record.map_err(|e| corrupt(format!("record {}: {e}", n + 1)))?;
        let field = |name: &str| match record.get(name) {
            Some(FieldValue::Numeric(Some(x))) => Ok(*x),
            other => Err(corrupt(format!(
                "record {}: field {name} is {other:?}, expected a number",
                n + 1
            ))),
        };
        let points = [field("X1")?, field("Y1")?, field("X2")?, field("Y2")?];
        let hc = field("HC")?;
        report.records += 1;
        if hc >= METRIC_NOT_COMPUTED {
            report.not_computed += 1;
            continue;
        }
        by_points.insert(key(points), hc);
    }
    let table = Table::open(osrm_path, Dialect::COMMA, "OSRM point pairs")?;
    let columns = ["X1", "Y1", "X2", "Y2"]
        .map(|c| table.column(c))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let mut times = Vec::new();
    table.for_each_row(|row| {
        let mut v = [0.0; 4];
        for (slot, &c) in v.iter_mut().zip(&columns) {
            *slot = row.f64(c)?;
        }
        times.push(by_points.get(&key(v)).copied());
        Ok(())
    })?;
    Ok((times, report))
}

/// What the METRIC file held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricReport {
    /// Records read.
    pub records: usize,
    /// Records with `HC` = 9999.
    pub not_computed: usize,
}

/// A square matrix of minutes between places labelled by code (the MTA `cardist.txt` layout:
/// a header line of quoted codes, then one line per origin: its code, then the minutes).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMatrix {
    /// Codes of the places, in header order.
    pub codes: Vec<String>,
    /// `minutes[i][j]`, from `codes[i]` to `codes[j]`.
    pub minutes: Vec<Vec<f64>>,
}

/// Reads a square time matrix, naming the line of any malformed value.
pub fn load_time_matrix(path: &Path) -> Result<TimeMatrix, LoadError> {
    let bytes = read_file(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let field = |line: u64, column: &str, value: &str, problem: &str| LoadError::Field {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        value: value.to_string(),
        problem: problem.to_string(),
    };
    let unquote = |s: &str| s.trim_matches('"').to_string();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let codes: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(unquote)
        .collect();
    let mut minutes = Vec::with_capacity(codes.len());
    for (n, line) in lines.enumerate() {
        let number = n as u64 + 2;
        let mut cells = line.split_whitespace();
        let origin = unquote(cells.next().unwrap_or_default());
        if codes.get(n) != Some(&origin) {
            return Err(field(
                number,
                "row label",
                &origin,
                "rows must follow the header's order",
            ));
        }
        let row = cells
            .zip(&codes)
            .map(|(v, code)| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| field(number, code, v, "not a travel time in minutes"))
            })
            .collect::<Result<Vec<f64>, _>>()?;
        if row.len() != codes.len() {
            return Err(field(
                number,
                &origin,
                &row.len().to_string(),
                "row length differs from the header's",
            ));
        }
        minutes.push(row);
    }
    if minutes.len() != codes.len() {
        return Err(LoadError::Corrupt {
            path: path.to_path_buf(),
            reason: format!("{} codes but {} rows", codes.len(), minutes.len()),
        });
    }
    Ok(TimeMatrix { codes, minutes })
}
