//! FINESS establishments: the eurostat hospital list (WGS84) and the etalab extract (Lambert-93).

use std::path::Path;

use crate::loaders::geography::codes::CurrentCodes;
use crate::loaders::iris::crs::Lambert93;
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{check_wgs84, Establishment};

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
        check_wgs84(lon_v, lat_v).map_err(|e| row.error(lon, e.to_string()))?;
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
/// Lambert-93 `coordx`/`coordy`, reprojected by [`Lambert93`]); rows without coordinates are
/// skipped and counted.
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
    let lambert93 = Lambert93::new();
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
        let (lon, lat) = lambert93.to_wgs84(xv, yv).map_err(|e| row.error(x, e))?;
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
