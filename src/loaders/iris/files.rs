//! IRIS outline files: ESRI shapefiles (IGN Contours IRIS) and GeoJSON, in WGS84 or Lambert-93.
//!
//! A shapefile needs its `.dbf` (attributes) and `.prj` (coordinate system) beside the `.shp`;
//! the `.cpg` names the attribute encoding (UTF-8 when absent, else e.g. 1252). A GeoJSON file is
//! a FeatureCollection of Polygon / MultiPolygon features, in WGS84 unless its `crs` member says
//! Lambert-93. A folder holds one shapefile, or GeoJSON files read in name order (the national
//! `departements_iris/` folder: one file per département). Attribute names: see
//! [`crate::loaders::iris::fields`].

use std::path::{Path, PathBuf};

use geo::{Contains, Coord, LineString, MultiPolygon, Polygon};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape};

use crate::loaders::iris::crs::{to_wgs84, Crs, Lambert93};
use crate::loaders::iris::fields::{iris_feature, json_text, Attributes, IrisFeature};
use crate::loaders::{multipolygon, read_file, LoadError};

/// Reads the IRIS of a shapefile (`.shp`, or a folder holding one), a GeoJSON file, or a
/// folder of GeoJSON files.
pub(crate) fn read_iris_file(path: &Path) -> Result<Vec<IrisFeature>, LoadError> {
    let lambert93 = Lambert93::new();
    if path.is_dir() {
        if let Some(files) = geojson_files(path)? {
            let mut features = Vec::new();
            for file in files {
                features.extend(read_geojson(&file, &lambert93)?);
            }
            return Ok(features);
        }
        let shp = single_shapefile(path)?;
        return read_shapefile(&shp, &lambert93);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "shp" => read_shapefile(path, &lambert93),
        "geojson" | "json" => read_geojson(path, &lambert93),
        _ => Err(iris_error(
            path,
            "expected a shapefile (.shp) or a GeoJSON file (.geojson, .json)",
        )),
    }
}

fn iris_error(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Iris {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The `.geojson` files of a folder holding no shapefile, in name order; `None` otherwise.
fn geojson_files(dir: &Path) -> Result<Option<Vec<PathBuf>>, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    let has = |ext: &str| {
        paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut geojson = has("geojson");
    if geojson.is_empty() || !has("shp").is_empty() {
        return Ok(None);
    }
    geojson.sort();
    Ok(Some(geojson))
}

fn single_shapefile(dir: &Path) -> Result<PathBuf, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let shps: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp")))
        .collect();
    match shps.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(iris_error(dir, "the folder holds no .shp file")),
        _ => Err(iris_error(
            dir,
            "the folder holds several .shp files: name the one to read",
        )),
    }
}

/// The file beside `shp` with extension `ext` in either case (`IRIS_GE.PRJ`, `iris.prj`).
fn sibling(shp: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.exists())
}

fn read_shapefile(shp: &Path, lambert93: &Lambert93) -> Result<Vec<IrisFeature>, LoadError> {
    let prj = sibling(shp, "prj").ok_or_else(|| {
        iris_error(
            shp,
            "no .prj beside it: its coordinate system is unknown (expected Lambert-93 or WGS84)",
        )
    })?;
    let wkt = String::from_utf8_lossy(&read_file(&prj)?).into_owned();
    let crs = Crs::from_prj(&wkt).ok_or_else(|| LoadError::UnknownCrs {
        path: prj.clone(),
        crs: wkt
            .split('"')
            .nth(1)
            .unwrap_or(wkt.trim())
            .chars()
            .take(80)
            .collect(),
    })?;
    let dbf = sibling(shp, "dbf")
        .ok_or_else(|| iris_error(shp, "no .dbf beside it: the IRIS attributes are missing"))?;
    let cpg = sibling(shp, "cpg")
        .map(|p| read_file(&p))
        .transpose()?
        .map(|b| String::from_utf8_lossy(&b).trim().to_ascii_lowercase());
    let shapefile_error = |e: &dyn std::fmt::Display| iris_error(shp, e.to_string());
    let builder = dbase::ReaderBuilder::new();
    let builder = match cpg.as_deref() {
        None | Some("utf-8" | "utf8" | "65001") => builder.with_encoding(dbase::UnicodeLossy),
        Some(c) if c.contains("1252") || c.contains("8859") || c.contains("latin") => {
            builder.with_encoding(dbase::yore::code_pages::CP1252)
        }
        Some(other) => {
            return Err(iris_error(
                shp,
                format!("unsupported attribute encoding `{other}` in its .cpg (UTF-8 or 1252)"),
            ))
        }
    };
    let records = builder.open(&dbf).map_err(|e| shapefile_error(&e))?;
    let shapes = shapefile::ShapeReader::from_path(shp).map_err(|e| shapefile_error(&e))?;
    let mut reader = shapefile::Reader::new(shapes, records);
    let mut features = Vec::new();
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| shapefile_error(&e))?;
        let attributes: Attributes = record
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_ascii_lowercase(), field_text(value)?)))
            .collect();
        let rings =
            shape_rings(shape).map_err(|m| iris_error(shp, format!("feature {index}: {m}")))?;
        let mut geometry = assemble(rings);
        to_wgs84(&mut geometry, crs, lambert93)
            .map_err(|m| iris_error(shp, format!("feature {index}: {m}")))?;
        features.push(iris_feature(&attributes, geometry, index).map_err(|m| iris_error(shp, m))?);
    }
    Ok(features)
}

fn field_text(value: FieldValue) -> Option<String> {
    match value {
        FieldValue::Character(s) => s.map(|s| s.trim().to_string()),
        FieldValue::Memo(s) => Some(s.trim().to_string()),
        FieldValue::Numeric(n) => n.map(|n| n.to_string()),
        FieldValue::Float(n) => n.map(|n| n.to_string()),
        FieldValue::Integer(n) => Some(n.to_string()),
        FieldValue::Double(n) | FieldValue::Currency(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A ring of a shapefile polygon: whether it is an outer ring, and its points.
type Ring = (bool, Vec<Coord<f64>>);

/// The rings of a polygon shape.
fn shape_rings(shape: Shape) -> Result<Vec<Ring>, String> {
    fn rings<P: shapefile::record::traits::HasXY>(rings: &[PolygonRing<P>]) -> Vec<Ring> {
        rings
            .iter()
            .map(|r| {
                let coords = r
                    .points()
                    .iter()
                    .map(|p| Coord { x: p.x(), y: p.y() })
                    .collect();
                (matches!(r, PolygonRing::Outer(_)), coords)
            })
            .collect()
    }
    match shape {
        Shape::Polygon(p) => Ok(rings(p.rings())),
        Shape::PolygonM(p) => Ok(rings(p.rings())),
        Shape::PolygonZ(p) => Ok(rings(p.rings())),
        Shape::NullShape => Err("no geometry (null shape)".into()),
        other => Err(format!(
            "expected a polygon shape, found {}",
            other.shapetype()
        )),
    }
}

/// Builds polygons from shapefile rings: each inner ring goes to the outer ring containing it
/// (the format does not promise that holes follow their shell).
fn assemble(rings: Vec<Ring>) -> MultiPolygon<f64> {
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    let mut holes = Vec::new();
    for (outer, coords) in rings {
        if outer {
            polygons.push(Polygon::new(LineString(coords), vec![]));
        } else {
            holes.push(LineString(coords));
        }
    }
    for hole in holes {
        let probe = geo::Point(hole.0[0]);
        let shell = polygons
            .iter()
            .position(|p| Polygon::new(p.exterior().clone(), vec![]).contains(&probe))
            .or_else(|| polygons.len().checked_sub(1));
        match shell {
            Some(i) => polygons[i].interiors_push(hole),
            // A lone "hole" is a shell drawn the wrong way round.
            None => polygons.push(Polygon::new(hole, vec![])),
        }
    }
    MultiPolygon(polygons)
}

fn read_geojson(path: &Path, lambert93: &Lambert93) -> Result<Vec<IrisFeature>, LoadError> {
    let bad = |message: String| LoadError::GeoJson {
        path: path.to_path_buf(),
        message,
    };
    let text = String::from_utf8(read_file(path)?).map_err(|e| bad(e.to_string()))?;
    let collection: geojson::FeatureCollection = text.parse().map_err(|e| bad(format!("{e}")))?;
    let crs = match collection
        .foreign_members
        .as_ref()
        .and_then(|m| m.get("crs"))
    {
        None => Crs::LonLat,
        Some(crs) => {
            let name = crs
                .pointer("/properties/name")
                .and_then(|n| n.as_str())
                .unwrap_or("");
            Crs::from_geojson_name(name).ok_or_else(|| LoadError::UnknownCrs {
                path: path.to_path_buf(),
                crs: if name.is_empty() {
                    crs.to_string()
                } else {
                    name.to_string()
                },
            })?
        }
    };
    let mut features = Vec::with_capacity(collection.features.len());
    for (index, feature) in collection.features.into_iter().enumerate() {
        let attributes: Attributes = feature
            .properties
            .iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), json_text(v)?)))
            .collect();
        let geometry = feature
            .geometry
            .ok_or_else(|| bad(format!("feature {index} has no geometry")))?;
        let mut geometry =
            multipolygon(geometry).map_err(|e| bad(format!("feature {index}: {e}")))?;
        to_wgs84(&mut geometry, crs, lambert93)
            .map_err(|m| bad(format!("feature {index}: {m}")))?;
        features.push(iris_feature(&attributes, geometry, index).map_err(|m| iris_error(path, m))?);
    }
    Ok(features)
}
