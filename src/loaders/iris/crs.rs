//! Coordinate reference systems of IRIS files: detection from a `.prj` or a GeoJSON `crs`, and
//! Lambert-93 -> WGS84 reprojection (`proj4rs`, a pure-Rust port of PROJ).
//!
//! RGF93 (the French realisation of ETRS89) and WGS84 agree to within a metre, below the 1e-5°
//! precision of the dataset, so RGF93 longitude/latitude is read as WGS84 (PROJ does the same
//! with its null `towgs84`).
//!
//! # Examples
//! ```
//! use cpts_atlas::loaders::iris::crs::Lambert93;
//! // The projection's origin: 3° E, 46.5° N by definition of Lambert-93.
//! let (lon, lat) = Lambert93::new().to_wgs84(700_000.0, 6_600_000.0).unwrap();
//! assert!((lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9);
//! ```

use geo::{Coord, MultiPolygon};
use proj4rs::proj::Proj;

use crate::model::check_wgs84;

/// A coordinate reference system an IRIS file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// Longitude/latitude in degrees on WGS84 or RGF93.
    LonLat,
    /// RGF93 / Lambert-93 (EPSG:2154), metres.
    Lambert93,
}

/// Lambert-93 as PROJ defines EPSG:2154.
const LAMBERT93: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 \
     +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
const WGS84: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

impl Crs {
    /// Reads the CRS of an ESRI `.prj` (WKT1). Lambert-93 is recognised by its name, its EPSG
    /// authority or its parameters (conformal conic, parallels 44° and 49°, origin 3° E
    /// 46.5° N, false easting 700 000 m, northing 6 600 000 m); a geographic CRS on WGS84,
    /// RGF93 or ETRS89 is longitude/latitude. Anything else is `None`.
    ///
    /// ```
    /// use cpts_atlas::loaders::iris::crs::Crs;
    /// let wkt = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    /// assert_eq!(Crs::from_prj(wkt), Some(Crs::LonLat));
    /// assert_eq!(Crs::from_prj(r#"PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984"]]"#), None);
    /// ```
    pub fn from_prj(wkt: &str) -> Option<Crs> {
        let flat: String = wkt
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if flat.starts_with("projcs[") || flat.starts_with("projcrs[") {
            let named = ["lambert_93", "lambert-93", "lambert93", "\"epsg\",\"2154\""]
                .iter()
                .any(|n| flat.contains(n));
            return (named || lambert93_parameters(&flat)).then_some(Crs::Lambert93);
        }
        let geographic = flat.starts_with("geogcs[") || flat.starts_with("geogcrs[");
        let datum = [
            "wgs_1984",
            "wgs84",
            "wgs1984",
            "rgf_1993",
            "rgf93",
            "etrs_1989",
            "etrs89",
        ]
        .iter()
        .any(|d| flat.contains(d));
        (geographic && datum).then_some(Crs::LonLat)
    }

    /// Reads the `name` of a GeoJSON (2008) `crs` member: CRS84, EPSG:4326, EPSG:4171 (RGF93)
    /// are longitude/latitude, EPSG:2154 is Lambert-93.
    ///
    /// ```
    /// use cpts_atlas::loaders::iris::crs::Crs;
    /// assert_eq!(Crs::from_geojson_name("urn:ogc:def:crs:OGC:1.3:CRS84"), Some(Crs::LonLat));
    /// assert_eq!(Crs::from_geojson_name("urn:ogc:def:crs:EPSG::2154"), Some(Crs::Lambert93));
    /// assert_eq!(Crs::from_geojson_name("EPSG:3857"), None);
    /// ```
    pub fn from_geojson_name(name: &str) -> Option<Crs> {
        let n = name.trim().to_ascii_lowercase();
        let epsg = n.rsplit(':').next().unwrap_or("");
        if n.ends_with("crs84") || epsg == "4326" || epsg == "4171" {
            Some(Crs::LonLat)
        } else if epsg == "2154" {
            Some(Crs::Lambert93)
        } else {
            None
        }
    }
}

/// Whether WKT parameters are those of Lambert-93.
fn lambert93_parameters(flat: &str) -> bool {
    let value = |names: &[&str]| -> Option<f64> {
        names.iter().find_map(|name| {
            let key = format!("parameter[\"{name}\",");
            let start = flat.find(&key)? + key.len();
            let end = start + flat[start..].find(']')?;
            flat[start..end].split(',').next()?.parse().ok()
        })
    };
    let is =
        |names: &[&str], expected: f64| value(names).is_some_and(|v| (v - expected).abs() < 1e-6);
    flat.contains("lambert_conformal_conic")
        && is(&["central_meridian", "longitude_of_origin"], 3.0)
        && is(&["latitude_of_origin"], 46.5)
        && is(&["false_easting"], 700_000.0)
        && is(&["false_northing"], 6_600_000.0)
        && {
            let (a, b) = (
                value(&["standard_parallel_1"]),
                value(&["standard_parallel_2"]),
            );
            matches!((a, b), (Some(a), Some(b)) if (a.min(b) - 44.0).abs() < 1e-6 && (a.max(b) - 49.0).abs() < 1e-6)
        }
}

/// A Lambert-93 -> WGS84 transformation, set up once.
pub struct Lambert93 {
    from: Proj,
    to: Proj,
}

impl Default for Lambert93 {
    fn default() -> Self {
        Self::new()
    }
}

impl Lambert93 {
    /// The transformation between PROJ's EPSG:2154 and WGS84 definitions.
    pub fn new() -> Self {
        Self {
            from: Proj::from_proj_string(LAMBERT93).expect("valid Lambert-93 definition"),
            to: Proj::from_proj_string(WGS84).expect("valid WGS84 definition"),
        }
    }

    /// Lambert-93 metres -> WGS84 (longitude, latitude) in degrees.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.from, &self.to, &mut p)
            .map_err(|e| format!("cannot reproject ({x}, {y}) from Lambert-93: {e}"))?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        check_wgs84(lon, lat)
            .map(|()| (lon, lat))
            .map_err(|e| format!("({x}, {y}) is outside Lambert-93's domain: {e}"))
    }
}

/// Brings a geometry in `crs` to WGS84 longitude/latitude, checking the ranges: a file whose
/// coordinates are not what its CRS says (projected metres in a "longitude/latitude" file) is
/// refused with the first offending position.
pub fn to_wgs84(
    geometry: &mut MultiPolygon<f64>,
    crs: Crs,
    lambert93: &Lambert93,
) -> Result<(), String> {
    let mut failure = None;
    let mut convert = |c: &mut Coord<f64>| {
        if failure.is_some() {
            return;
        }
        match crs {
            Crs::LonLat => {
                if let Err(e) = check_wgs84(c.x, c.y) {
                    failure = Some(format!(
                        "{e}: the file's coordinates look projected; declare its CRS (a .prj, \
                         or a GeoJSON `crs`)"
                    ));
                }
            }
            Crs::Lambert93 => match lambert93.to_wgs84(c.x, c.y) {
                Ok((lon, lat)) => *c = Coord { x: lon, y: lat },
                Err(e) => failure = Some(e),
            },
        }
    };
    for polygon in &mut geometry.0 {
        polygon.exterior_mut(|ring| ring.0.iter_mut().for_each(&mut convert));
        polygon.interiors_mut(|rings| {
            rings
                .iter_mut()
                .for_each(|ring| ring.0.iter_mut().for_each(&mut convert))
        });
    }
    failure.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// Lambert-93 (x, y) -> WGS84 (lon, lat), computed independently with pyproj 3.7.2 /
    /// PROJ 9.5.1 (`Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)`,
    /// "Inverse of Lambert-93 + RGF93 v1 to WGS 84 (1)"). The first pair is the projection's
    /// defining origin. Points near Lyon, Lille, Marseille, Brest, Strasbourg and Ajaccio.
    const PAIRS: [(f64, f64, f64, f64); 7] = [
        (700000.0, 6600000.0, 3.000000000, 46.500000000),
        (842000.0, 6519000.0, 4.826850003, 45.755817633),
        (704000.0, 7059000.0, 3.056435896, 50.627974596),
        (892000.0, 6247000.0, 5.364983252, 43.296288212),
        (145000.0, 6836000.0, -4.507722262, 48.386657811),
        (1050000.0, 6840000.0, 7.746459879, 48.565518045),
        (1185000.0, 6108000.0, 8.838309303, 41.911269115),
    ];

    #[test]
    fn lambert93_matches_proj_on_known_pairs() {
        let l93 = Lambert93::new();
        for (x, y, lon, lat) in PAIRS {
            let (got_lon, got_lat) = l93.to_wgs84(x, y).unwrap();
            // 1e-8° is about 1 mm.
            assert!(
                (got_lon - lon).abs() < 1e-8 && (got_lat - lat).abs() < 1e-8,
                "({x}, {y}) -> ({got_lon}, {got_lat}), PROJ says ({lon}, {lat})"
            );
        }
    }

    #[test]
    fn detects_the_crs_of_real_prj_files() {
        // IGN Contours IRIS (shared/data/iris/rhone-69-ign-shapefile/IRIS_GE.PRJ).
        let ign = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",44.0],PARAMETER["Standard_Parallel_2",49.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
        assert_eq!(Crs::from_prj(ign), Some(Crs::Lambert93));
        // Same parameters under another name: recognised by its parameters.
        let renamed = ign.replace("RGF93_Lambert_93", "France_LCC");
        assert_eq!(Crs::from_prj(&renamed), Some(Crs::Lambert93));
        // Lambert II étendu (EPSG:27572) is not Lambert-93.
        let lambert2 = r#"PROJCS["NTF_Paris_Lambert_II_etendu",GEOGCS["GCS_NTF_Paris"],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",600000.0],PARAMETER["False_Northing",2200000.0],PARAMETER["Central_Meridian",2.337229166666667],PARAMETER["Standard_Parallel_1",45.89891888888889],PARAMETER["Standard_Parallel_2",47.69601444444444],PARAMETER["Latitude_Of_Origin",46.8]]"#;
        assert_eq!(Crs::from_prj(lambert2), None);
    }

    #[test]
    fn projected_coordinates_in_a_lonlat_file_are_refused() {
        let mut g = MultiPolygon(vec![polygon![
            (x: 842000.0, y: 6519000.0), (x: 843000.0, y: 6519000.0), (x: 843000.0, y: 6520000.0)
        ]]);
        let err = to_wgs84(&mut g, Crs::LonLat, &Lambert93::new()).unwrap_err();
        assert!(err.contains("842000"), "{err}");
        to_wgs84(&mut g, Crs::Lambert93, &Lambert93::new()).unwrap();
        assert!((g.0[0].exterior().0[0].x - 4.826850003).abs() < 1e-8);
    }
}
