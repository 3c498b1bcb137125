//! The shipped health data (`data/supply/`): a JSON manifest and compact CSV tables.
//!
//! `manifest.json` lists every table with its source, vintage and coverage; the tables are
//! plain CSV with current COG codes, so a diff shows what an import changed:
//! - `directory-<id>.csv`: `commune,profession,mode,count` (profession and mode by stable id);
//! - `apl-<edition>.csv`: `code,apl,apl_under_65,standardized_population,population`;
//! - `establishments.csv`: `finess,name,category,status,commune,lon,lat` (the commune given by
//!   the source, else the one whose outline holds the point, located by `cpts-atlas import`);
//! - `ages-<id>.csv`: `code,population,<age group ids...>`;
//! - `<bpe id>.csv` (`bpe-2019.csv`): `code,iris,typequ,count` (INSEE BPE, IRIS empty when the
//!   source does not split the commune).
//! - `statistics.csv`: census ages, population change and fragility (`statistics_data`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::loaders::table::{Dialect, Table};
use crate::loaders::{read_json, LoadError};
use crate::model::{
    AgeCounts, AgeGroup, AgeStructure, AplTable, AplValue, Directory, DirectoryCoverage, Equipment,
    EquipmentTable, Establishment, EstablishmentList, HealthData, PracticeMode, PractitionerCount,
    Profession,
};

/// Folder of the health data inside a data directory.
pub const SUPPLY_DIR: &str = "supply";
/// The manifest file inside [`SUPPLY_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    directories: Vec<DirectoryEntry>,
    apl: Vec<AplEntry>,
    establishments: Option<SourcedFile>,
    ages: Vec<AgesEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    statistics: Option<crate::loaders::statistics::data::StatisticsEntry>,
    #[serde(default)]
    equipment: Vec<EquipmentEntry>,
}

#[derive(Serialize, Deserialize)]
struct EquipmentEntry {
    id: String,
    file: String,
    source: String,
    vintage: String,
    licence: String,
    caveat: String,
    departements: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct DirectoryEntry {
    id: String,
    file: String,
    source: String,
    vintage: String,
    coverage: DirectoryCoverage,
}

#[derive(Serialize, Deserialize)]
struct AplEntry {
    edition: u16,
    file: String,
    source: String,
}

#[derive(Serialize, Deserialize)]
struct SourcedFile {
    file: String,
    source: String,
    vintage: String,
}

#[derive(Serialize, Deserialize)]
struct AgesEntry {
    file: String,
    source: String,
    vintage: String,
    groups: Vec<AgeGroup>,
    departements: Vec<String>,
}

/// Whether a data directory holds shipped health data.
pub fn has_health_data(data_dir: &Path) -> bool {
    data_dir.join(SUPPLY_DIR).join(MANIFEST_FILE).exists()
}

/// Reads the health data of a data directory (`<data_dir>/supply/manifest.json` and its tables).
pub fn read_health_data(data_dir: &Path) -> Result<HealthData, LoadError> {
    let dir = data_dir.join(SUPPLY_DIR);
    let mut manifest: Manifest = read_json(&dir.join(MANIFEST_FILE))?;
    let equipment = std::mem::take(&mut manifest.equipment);
    // The BPE tables, the largest, are parsed while the other tables are.
    let (equipment, data) = rayon::join(
        || {
            equipment
                .into_iter()
                .map(|entry| read_equipment(&dir, entry))
                .collect::<Result<Vec<_>, _>>()
        },
        || read_tables_but_equipment(&dir, manifest),
    );
    let mut data = data?;
    data.equipment = equipment?;
    Ok(data)
}

/// Reads the tables of the manifest but its BPE tables.
fn read_tables_but_equipment(dir: &Path, manifest: Manifest) -> Result<HealthData, LoadError> {
    let mut data = HealthData::default();
    for entry in manifest.directories {
        let mut counts = Vec::new();
        let path = dir.join(&entry.file);
        let table = Table::open(&path, Dialect::COMMA, "cpts-atlas directory table")?;
        let [commune, profession, mode, count] =
            ["commune", "profession", "mode", "count"].map(|c| table.column(c));
        let (commune, profession, mode, count) = (commune?, profession?, mode?, count?);
        table.for_each_row(|row| {
            counts.push(PractitionerCount {
                commune: row.commune_code(commune)?,
                profession: Profession::from_id(&row.get(profession))
                    .ok_or_else(|| row.error(profession, "unknown profession id"))?,
                mode: PracticeMode::from_id(&row.get(mode))
                    .ok_or_else(|| row.error(mode, "unknown practice mode id"))?,
                count: row.u32(count)?,
            });
            Ok(())
        })?;
        data.directories.push(Directory::from_counts(
            &entry.id,
            &entry.source,
            &entry.vintage,
            entry.coverage,
            counts,
        ));
    }
    for entry in manifest.apl {
        let mut values = BTreeMap::new();
        let table = Table::open(
            &dir.join(&entry.file),
            Dialect::COMMA,
            "cpts-atlas APL table",
        )?;
        let columns = [
            "code",
            "apl",
            "apl_under_65",
            "standardized_population",
            "population",
        ]
        .map(|c| table.column(c));
        let [code, apl, apl65, std_pop, pop] = columns;
        let (code, apl, apl65, std_pop, pop) = (code?, apl?, apl65?, std_pop?, pop?);
        table.for_each_row(|row| {
            values.insert(
                row.commune_code(code)?,
                AplValue {
                    apl: row.f64(apl)?,
                    apl_under_65: row.f64(apl65)?,
                    standardized_population: row.f64(std_pop)?,
                    population: row.f64(pop)?,
                },
            );
            Ok(())
        })?;
        data.apl.push(AplTable {
            edition: entry.edition,
            source: entry.source,
            values,
        });
    }
    data.apl.sort_by_key(|t| t.edition);
    if let Some(entry) = manifest.establishments {
        let table = Table::open(
            &dir.join(&entry.file),
            Dialect::COMMA,
            "cpts-atlas establishments table",
        )?;
        let columns = [
            "finess", "name", "category", "status", "commune", "lon", "lat",
        ]
        .map(|c| table.column(c));
        let [finess, name, category, status, commune, lon, lat] = columns;
        let (finess, name, category, status, commune, lon, lat) =
            (finess?, name?, category?, status?, commune?, lon?, lat?);
        let mut establishments = Vec::new();
        table.for_each_row(|row| {
            establishments.push(Establishment {
                finess: row.get(finess).into_owned(),
                name: row.get(name).into_owned(),
                category: row.get(category).into_owned(),
                status: row.get(status).into_owned(),
                commune: Some(row.get(commune).into_owned()).filter(|c| !c.is_empty()),
                lon: row.f64(lon)?,
                lat: row.f64(lat)?,
            });
            Ok(())
        })?;
        data.establishments = Some(EstablishmentList {
            source: entry.source,
            vintage: entry.vintage,
            establishments,
        });
    }
    for entry in manifest.ages {
        let table = Table::open(
            &dir.join(&entry.file),
            Dialect::COMMA,
            "cpts-atlas ages table",
        )?;
        let code = table.column("code")?;
        let population = table.column("population")?;
        let groups = entry
            .groups
            .iter()
            .map(|g| table.column(&age_group_id(*g)))
            .collect::<Result<Vec<usize>, _>>()?;
        let mut communes = BTreeMap::new();
        table.for_each_row(|row| {
            communes.insert(
                row.commune_code(code)?,
                AgeCounts {
                    population: row.f64(population)?,
                    groups: groups
                        .iter()
                        .map(|&c| row.f64(c))
                        .collect::<Result<_, _>>()?,
                },
            );
            Ok(())
        })?;
        data.ages.push(AgeStructure {
            source: entry.source,
            vintage: entry.vintage,
            groups: entry.groups,
            departements: entry.departements,
            communes,
        });
    }
    if let Some(entry) = manifest.statistics {
        data.statistics = Some(crate::loaders::statistics::data::read_statistics(
            dir, entry,
        )?);
    }
    Ok(data)
}

/// Reads one BPE table (`code,iris,typequ,count`).
fn read_equipment(dir: &Path, entry: EquipmentEntry) -> Result<EquipmentTable, LoadError> {
    let table = Table::open(
        &dir.join(&entry.file),
        Dialect::COMMA,
        "cpts-atlas BPE table",
    )?;
    let [code, iris, typequ, count] = ["code", "iris", "typequ", "count"].map(|c| table.column(c));
    let (code, iris, typequ, count) = (code?, iris?, typequ?, count?);
    let mut rows = Vec::new();
    table.for_each_row(|row| {
        rows.push(Equipment {
            commune: row.commune_code(code)?,
            iris: Some(row.get(iris).into_owned()).filter(|i| !i.is_empty()),
            typequ: row.get(typequ).into_owned(),
            count: row.u32(count)?,
        });
        Ok(())
    })?;
    Ok(EquipmentTable {
        id: entry.id,
        source: entry.source,
        vintage: entry.vintage,
        licence: entry.licence,
        caveat: entry.caveat,
        departements: entry.departements,
        rows,
    })
}

/// Writes health data as `<data_dir>/supply/` (manifest and tables); the CPAM file, personal to
/// a porteur, is never written.
pub fn write_health_data(data_dir: &Path, data: &HealthData) -> Result<(), LoadError> {
    let dir = data_dir.join(SUPPLY_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| LoadError::Write {
        path: dir.clone(),
        source,
    })?;
    let mut manifest = Manifest {
        directories: Vec::new(),
        apl: Vec::new(),
        establishments: None,
        ages: Vec::new(),
        equipment: Vec::new(),
        statistics: None,
    };
    for d in &data.directories {
        let file = format!("directory-{}.csv", d.id);
        let mut rows = vec!["commune,profession,mode,count".to_string()];
        rows.extend(d.counts.iter().map(|c| {
            format!(
                "{},{},{},{}",
                c.commune,
                c.profession.id(),
                c.mode.id(),
                c.count
            )
        }));
        write_lines(&dir.join(&file), &rows)?;
        manifest.directories.push(DirectoryEntry {
            id: d.id.clone(),
            file,
            source: d.source.clone(),
            vintage: d.vintage.clone(),
            coverage: d.coverage.clone(),
        });
    }
    for t in &data.apl {
        let file = format!("apl-{}.csv", t.edition);
        let mut rows = vec!["code,apl,apl_under_65,standardized_population,population".to_string()];
        rows.extend(t.values.iter().map(|(code, v)| {
            format!(
                "{code},{},{},{},{}",
                round(v.apl, 4),
                round(v.apl_under_65, 4),
                round(v.standardized_population, 3),
                round(v.population, 3)
            )
        }));
        write_lines(&dir.join(&file), &rows)?;
        manifest.apl.push(AplEntry {
            edition: t.edition,
            file,
            source: t.source.clone(),
        });
    }
    if let Some(list) = &data.establishments {
        let file = "establishments.csv".to_string();
        let mut rows = vec!["finess,name,category,status,commune,lon,lat".to_string()];
        rows.extend(list.establishments.iter().map(|e| {
            format!(
                "{},{},{},{},{},{},{}",
                e.finess,
                quote(&e.name),
                quote(&e.category),
                quote(&e.status),
                e.commune.as_deref().unwrap_or(""),
                round(e.lon, 6),
                round(e.lat, 6)
            )
        }));
        write_lines(&dir.join(&file), &rows)?;
        manifest.establishments = Some(SourcedFile {
            file,
            source: list.source.clone(),
            vintage: list.vintage.clone(),
        });
    }
    for (i, a) in data.ages.iter().enumerate() {
        let file = format!("ages-{}.csv", i + 1);
        let mut header = vec!["code".to_string(), "population".to_string()];
        header.extend(a.groups.iter().map(|g| age_group_id(*g)));
        let mut rows = vec![header.join(",")];
        rows.extend(a.communes.iter().map(|(code, c)| {
            let mut fields = vec![code.clone(), round(c.population, 3)];
            fields.extend(c.groups.iter().map(|v| round(*v, 3)));
            fields.join(",")
        }));
        write_lines(&dir.join(&file), &rows)?;
        manifest.ages.push(AgesEntry {
            file,
            source: a.source.clone(),
            vintage: a.vintage.clone(),
            groups: a.groups.clone(),
            departements: a.departements.clone(),
        });
    }
    for t in &data.equipment {
        let file = format!("{}.csv", t.id);
        let mut rows = vec!["code,iris,typequ,count".to_string()];
        rows.extend(t.rows.iter().map(|r| {
            format!(
                "{},{},{},{}",
                r.commune,
                r.iris.as_deref().unwrap_or(""),
                r.typequ,
                r.count
            )
        }));
        write_lines(&dir.join(&file), &rows)?;
        manifest.equipment.push(EquipmentEntry {
            id: t.id.clone(),
            file,
            source: t.source.clone(),
            vintage: t.vintage.clone(),
            licence: t.licence.clone(),
            caveat: t.caveat.clone(),
            departements: t.departements.clone(),
        });
    }
    if let Some(statistics) = &data.statistics {
        manifest.statistics = Some(crate::loaders::statistics::data::write_statistics(
            &dir, statistics,
        )?);
    }
    let path = dir.join(MANIFEST_FILE);
    let json = serde_json::to_string_pretty(&manifest).map_err(|source| LoadError::Json {
        path: path.clone(),
        source,
    })?;
    std::fs::write(&path, json + "\n").map_err(|source| LoadError::Write { path, source })
}

/// The serde id of an age group (`age0_to6`), used as a column name.
pub(crate) fn age_group_id(group: AgeGroup) -> String {
    serde_json::to_value(group)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) fn round(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn write_lines(path: &Path, rows: &[String]) -> Result<(), LoadError> {
    std::fs::write(path, rows.join("\n") + "\n").map_err(|source| LoadError::Write {
        path: path.to_path_buf(),
        source,
    })
}
