//! FINESS establishments: the eurostat hospital list (WGS84) and the etalab extract (Lambert-93).

use std::path::Path;

use crate::loaders::geography::codes::CurrentCodes;
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::Establishment;

/// Reads eurostat's `basic-services` hospital CSV for France (FINESS, with `lat`/`lon`).
/// Its FINESS numbers lost their leading zero; it is restored (9 characters).
pub fn load_eurostat_hospitals(path: &Path) -> Result<Vec<Establishment>, LoadError> {
    let table = Table::open(path, Dialect::COMMA, "eurostat basic-services hospitals")?;
    let id = table.column("id")?;
    let name = table.column("hospital_name")?;
    let lat = table.column("lat")?;
    let lon = table.column("lon")?;
    let category = table.column("facility_type")?;
    let status = table.column("public_private")?;
    let mut out = Vec::new();
    table.for_each_row(|row| {
        let (lon_v, lat_v) = (row.f64(lon)?, row.f64(lat)?);
        check_wgs84(row, lon, lon_v, lat_v)?;
        out.push(Establishment {
            finess: format!("{:0>9}", row.get(id)),
            name: row.get(name).into_owned(),
            category: row.get(category).into_owned(),
            status: row.get(status).into_owned(),
            commune: None,
            lon: lon_v,
            lat: lat_v,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads the FINESS etalab extract (`etalab_cs1100507_stock_*.csv`, ';' separated, Latin-1,
/// Lambert-93 `coordx`/`coordy`); rows without coordinates are skipped and counted.
pub fn load_etalab_finess(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(Vec<Establishment>, usize), LoadError> {
    let table = Table::open(path, Dialect::SEMICOLON, "FINESS etalab cs1100507")?;
    let id = table.column("nofinesset")?;
    let name = table.column("rslongue")?;
    let category = table.column("liblongcategetab")?;
    let status = table.column("libsph")?;
    let departement = table.column("departement")?;
    let cog = table.column("cog")?;
    let x = table.column("coordx")?;
    let y = table.column("coordy")?;
    let mut out = Vec::new();
    let mut without_coordinates = 0;
    table.for_each_row(|row| {
        let (Some(xv), Some(yv)) = (row.opt_f64(x)?, row.opt_f64(y)?) else {
            without_coordinates += 1;
            return Ok(());
        };
        // The etalab `cog` is the 3 last digits of the code in some vintages.
        let raw = row.get(cog);
        let raw = if raw.len() == 3 {
            format!("{}{raw}", &row.get(departement))
        } else {
            raw.into_owned()
        };
        let (lon, lat) = lambert93_to_wgs84(xv, yv);
        check_wgs84(row, x, lon, lat)?;
        out.push(Establishment {
            finess: row.get(id).into_owned(),
            name: row.get(name).into_owned(),
            category: row.get(category).into_owned(),
            status: row.get(status).into_owned(),
            commune: codes.current(&raw).map(str::to_string),
            lon,
            lat,
        });
        Ok(())
    })?;
    Ok((out, without_coordinates))
}

fn check_wgs84(
    row: &crate::loaders::table::Row,
    column: usize,
    lon: f64,
    lat: f64,
) -> Result<(), LoadError> {
    if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
        Ok(())
    } else {
        Err(row.error(column, format!("coordinates out of range ({lon}, {lat})")))
    }
}

/// Lambert-93 (EPSG:2154, Lambert conformal conic on GRS80) to WGS84 longitude/latitude.
///
/// Inverse projection of IGN's note NTG_71 (algorithms ALG0004 and ALG0001); GRS80 and WGS84
/// differ by less than a millimetre here.
///
/// ```
/// use cpts_atlas::loaders::health::finess::lambert93_to_wgs84;
/// // The projection origin: 3°E, 46.5°N.
/// let (lon, lat) = lambert93_to_wgs84(700_000.0, 6_600_000.0);
/// assert!((lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9);
/// ```
pub fn lambert93_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    const A: f64 = 6_378_137.0;
    const F: f64 = 1.0 / 298.257_222_101;
    let e = (F * (2.0 - F)).sqrt();
    let (phi1, phi2, phi0) = (44f64.to_radians(), 49f64.to_radians(), 46.5f64.to_radians());
    let (lambda0, x0, y0) = (3f64.to_radians(), 700_000.0, 6_600_000.0);
    let m = |phi: f64| phi.cos() / (1.0 - e * e * phi.sin().powi(2)).sqrt();
    let t = |phi: f64| {
        (std::f64::consts::FRAC_PI_4 - phi / 2.0).tan()
            / ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0)
    };
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let f = m(phi1) / (n * t(phi1).powf(n));
    let rho0 = A * f * t(phi0).powf(n);
    let dx = x - x0;
    let dy = rho0 - (y - y0);
    let rho = (dx * dx + dy * dy).sqrt();
    let theta = dx.atan2(dy);
    let ts = (rho / (A * f)).powf(1.0 / n);
    let mut phi = std::f64::consts::FRAC_PI_2 - 2.0 * ts.atan();
    for _ in 0..15 {
        let s = phi.sin();
        phi = std::f64::consts::FRAC_PI_2
            - 2.0 * (ts * ((1.0 - e * s) / (1.0 + e * s)).powf(e / 2.0)).atan();
    }
    ((lambda0 + theta / n).to_degrees(), phi.to_degrees())
}
