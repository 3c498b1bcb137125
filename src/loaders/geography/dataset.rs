//! The shipped dataset: a compact binary file (`data/france.cpat`) that loads in milliseconds.
//!
//! # Format (version 2, little-endian)
//! ```text
//! magic     8 bytes  "CPTSATL\0"
//! version   u32      2
//! length    u64      payload length in bytes
//! checksum  u64      CRC-32 (IEEE) of the payload (version 1: FNV-1a 64)
//! payload:
//!   vintage          str
//!   regions          n, then (code str, name str)*
//!   departements     n, then (code, name, region)*
//!   epcis            n, then (siren, name, n members, member code*)*
//!   communes         n, then (code, name, departement, region, epci opt-str,
//!                             population opt-uint, geometry)*
//!   arrondissements  n, then (code, name, commune, population opt-uint)*
//!   former codes     n, then (old code, current code)*
//!   display levels   n, then (tolerance f64 as u64 bits varint, geometry per commune)*
//! geometry: n polygons (0 = no polygon), then per polygon n rings, then per ring n points
//!   (closing point omitted) as zigzag varint deltas of (lon, lat) in 1e-5 degree units,
//!   running across the whole commune.
//! n, uint: LEB128 varints; str: varint length + UTF-8; opt-uint: 0 = none, else value + 1;
//! opt-str: empty string = none.
//! ```
//! Coordinates are rounded to 1e-5° (about 1 m), the precision of the IGN source.

use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::loaders::{read_file, LoadError};
use crate::model::{
    Arrondissement, Commune, Deferred, Departement, DisplayLevel, Epci, Geography, Region,
};

const MAGIC: &[u8; 8] = b"CPTSATL\0";
const VERSION: u32 = 2;
const HEADER_LEN: usize = 8 + 4 + 8 + 8;
const SCALE: f64 = 1e5;

/// File name of the geography inside a data directory.
pub const GEOGRAPHY_FILE: &str = "france.cpat";

/// Writes `geography` to `path` in the dataset format.
pub fn write_geography(path: &Path, geography: &Geography) -> Result<(), LoadError> {
    let mut w = Writer::default();
    w.str(&geography.vintage);
    w.len(geography.regions.len());
    for r in &geography.regions {
        w.str(&r.code);
        w.str(&r.name);
    }
    w.len(geography.departements.len());
    for d in &geography.departements {
        w.str(&d.code);
        w.str(&d.name);
        w.str(&d.region);
    }
    w.len(geography.epcis.len());
    for e in &geography.epcis {
        w.str(&e.siren);
        w.str(&e.name);
        w.len(e.members.len());
        e.members.iter().for_each(|m| w.str(m));
    }
    w.len(geography.communes.len());
    for c in &geography.communes {
        w.str(&c.code);
        w.str(&c.name);
        w.str(&c.departement);
        w.str(&c.region);
        w.str(c.epci.as_deref().unwrap_or(""));
        w.opt_uint(c.population);
        w.geometry(c.geometry.as_ref());
    }
    w.len(geography.arrondissements.len());
    for a in &geography.arrondissements {
        w.str(&a.code);
        w.str(&a.name);
        w.str(&a.commune);
        w.opt_uint(a.population);
    }
    w.len(geography.former_codes.len());
    for (old, new) in &geography.former_codes {
        w.str(old);
        w.str(new);
    }
    w.len(geography.display_levels.len());
    for level in &geography.display_levels {
        w.uint(level.tolerance_deg.to_bits());
        level.outlines.iter().for_each(|g| w.geometry(g.as_ref()));
    }

    write_framed(path, MAGIC, VERSION, &w.buf)
}

/// Writes `payload` behind the header (magic, version, length, checksum).
pub(crate) fn write_framed(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    payload: &[u8],
) -> Result<(), LoadError> {
    let mut file = Vec::with_capacity(HEADER_LEN + payload.len());
    file.extend_from_slice(magic);
    file.extend_from_slice(&version.to_le_bytes());
    file.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    file.extend_from_slice(&checksum(payload).to_le_bytes());
    file.extend_from_slice(payload);
    std::fs::write(path, file).map_err(|source| LoadError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a geography written by [`write_geography`], checking magic, version and checksum.
pub fn read_geography(path: &Path) -> Result<Geography, LoadError> {
    read_framed(path, MAGIC, VERSION, decode)
}

/// Reads a geography written by [`write_geography`] (magic, version and checksum checked) but
/// decodes its display levels, which only the map needs, on first use.
/// Also gives the payload's checksum, which files derived from it record.
pub fn read_geography_deferred(
    path: &Path,
) -> Result<(Geography, Deferred<Vec<DisplayLevel>>, u64), LoadError> {
    let file = FramedFile::open(path, MAGIC, VERSION)?;
    let checksum = file.checksum();
    let (geography, end) = file.decode_at(0, decode_units)?;
    let communes = geography.communes.len();
    let levels = Deferred::new(move || {
        file.decode_to_end(end, |r| display_levels(r, communes))
            .map_err(|e| e.to_string())
    });
    Ok((geography, levels, checksum))
}

/// The checksum of a geography file's payload (header checked, payload not decoded).
pub fn geography_checksum(path: &Path) -> Result<u64, LoadError> {
    Ok(FramedFile::open(path, MAGIC, VERSION)?.checksum())
}

/// Reads a file written by [`write_framed`], checks its header and decodes its payload.
pub(crate) fn read_framed<T>(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    decode: impl FnOnce(&mut Reader) -> Result<T, DecodeError>,
) -> Result<T, LoadError> {
    FramedFile::open(path, magic, version)?.decode(decode)
}

/// A file written by [`write_framed`], read and checked (magic, version, length, checksum) but
/// not decoded yet: a layer loaded on first use is refused at start when damaged.
pub(crate) struct FramedFile {
    path: std::path::PathBuf,
    version: u32,
    bytes: Vec<u8>,
}

impl FramedFile {
    /// Reads `path` and checks its header and checksum.
    pub(crate) fn open(path: &Path, magic: &[u8; 8], version: u32) -> Result<Self, LoadError> {
        let bytes = read_file(path)?;
        unframe(&bytes, magic, version).map_err(|e| load_error(path, version, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            version,
            bytes,
        })
    }

    /// The payload's checksum (what a file derived from this one records).
    pub(crate) fn checksum(&self) -> u64 {
        u64::from_le_bytes(self.bytes[20..HEADER_LEN].try_into().expect("8 bytes"))
    }

    /// Decodes the payload (checked at [`FramedFile::open`]).
    pub(crate) fn decode<T>(
        &self,
        decode: impl FnOnce(&mut Reader) -> Result<T, DecodeError>,
    ) -> Result<T, LoadError> {
        self.decode_to_end(0, decode)
    }

    /// Decodes the payload from byte `start` to its end.
    fn decode_to_end<T>(
        &self,
        start: usize,
        decode: impl FnOnce(&mut Reader) -> Result<T, DecodeError>,
    ) -> Result<T, LoadError> {
        let (value, end) = self.decode_at(start, decode)?;
        if end != self.bytes.len() - HEADER_LEN {
            let e = DecodeError::Corrupt("trailing bytes after the payload".into());
            return Err(load_error(&self.path, self.version, e));
        }
        Ok(value)
    }

    /// Decodes a part of the payload from byte `start`; returns it and where it ends.
    pub(crate) fn decode_at<T>(
        &self,
        start: usize,
        decode: impl FnOnce(&mut Reader) -> Result<T, DecodeError>,
    ) -> Result<(T, usize), LoadError> {
        let mut r = Reader {
            buf: &self.bytes[HEADER_LEN..],
            pos: start,
        };
        decode(&mut r)
            .map(|value| (value, r.pos))
            .map_err(|e| load_error(&self.path, self.version, e))
    }
}

/// The load error of a decoding error in the file at `path`.
fn load_error(path: &Path, version: u32, e: DecodeError) -> LoadError {
    match e {
        DecodeError::Magic => LoadError::NotADataset {
            path: path.to_path_buf(),
        },
        DecodeError::Version(found) => LoadError::Version {
            path: path.to_path_buf(),
            found,
            expected: version,
        },
        DecodeError::Corrupt(reason) => LoadError::Corrupt {
            path: path.to_path_buf(),
            reason,
        },
    }
}

pub(crate) enum DecodeError {
    Magic,
    Version(u32),
    Corrupt(String),
}

/// The payload of a framed file, after checking magic, version, length and checksum.
fn unframe<'a>(bytes: &'a [u8], magic: &[u8; 8], expected: u32) -> Result<&'a [u8], DecodeError> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != magic {
        return Err(DecodeError::Magic);
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let version = u32_at(8);
    if version != expected {
        return Err(DecodeError::Version(version));
    }
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != u64_at(12) {
        return Err(DecodeError::Corrupt(format!(
            "truncated: payload is {} bytes, header says {}",
            payload.len(),
            u64_at(12)
        )));
    }
    if checksum(payload) != u64_at(20) {
        return Err(DecodeError::Corrupt("checksum mismatch".into()));
    }
    Ok(payload)
}

fn decode(r: &mut Reader) -> Result<Geography, DecodeError> {
    let mut geography = decode_units(r)?;
    geography.display_levels = display_levels(r, geography.communes.len())?;
    Ok(geography)
}

/// The geography up to its display levels.
fn decode_units(r: &mut Reader) -> Result<Geography, DecodeError> {
    let vintage = r.str()?;
    let regions = r.list(|r| {
        Ok(Region {
            code: r.str()?,
            name: r.str()?,
        })
    })?;
    let departements = r.list(|r| {
        Ok(Departement {
            code: r.str()?,
            name: r.str()?,
            region: r.str()?,
        })
    })?;
    let epcis = r.list(|r| {
        Ok(Epci {
            siren: r.str()?,
            name: r.str()?,
            members: r.list(|r| r.str())?,
        })
    })?;
    let communes = r.list(|r| {
        Ok(Commune {
            code: r.str()?,
            name: r.str()?,
            departement: r.str()?,
            region: r.str()?,
            epci: Some(r.str()?).filter(|s| !s.is_empty()),
            population: r.opt_uint()?,
            geometry: r.geometry()?,
        })
    })?;
    let arrondissements = r.list(|r| {
        Ok(Arrondissement {
            code: r.str()?,
            name: r.str()?,
            commune: r.str()?,
            population: r.opt_uint()?,
        })
    })?;
    let former_codes = r.list(|r| Ok((r.str()?, r.str()?)))?;
    Ok(Geography {
        vintage,
        communes,
        arrondissements,
        departements,
        regions,
        epcis,
        former_codes,
        display_levels: Vec::new(),
        postal_codes: Vec::new(),
    })
}

/// The display levels, one outline per commune each.
fn display_levels(r: &mut Reader, communes: usize) -> Result<Vec<DisplayLevel>, DecodeError> {
    r.list(|r| {
        let tolerance_deg = f64::from_bits(r.uint()?);
        let outlines = (0..communes)
            .map(|_| r.geometry())
            .collect::<Result<_, _>>()?;
        Ok(DisplayLevel {
            tolerance_deg,
            outlines,
        })
    })
}

/// The framing's checksum: CRC-32 (IEEE), which `crc32fast` computes at several GB/s
/// (FNV-1a, byte by byte, was ~5 % of a one-commune diagnosis).
fn checksum(bytes: &[u8]) -> u64 {
    u64::from(crc32fast::hash(bytes))
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    pub fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }
    pub fn opt_uint(&mut self, v: Option<u64>) {
        self.uint(v.map_or(0, |v| v + 1));
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    /// A float's 8 bytes as they are (the same bits back).
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn geometry(&mut self, geometry: Option<&MultiPolygon<f64>>) {
        let Some(mp) = geometry else {
            self.len(0);
            return;
        };
        self.len(mp.0.len());
        let mut prev = (0i64, 0i64);
        for polygon in &mp.0 {
            let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .collect();
            self.len(rings.len());
            for ring in rings {
                let points = &ring.0[..ring.0.len().saturating_sub(usize::from(ring.is_closed()))];
                self.len(points.len());
                for p in points {
                    let q = ((p.x * SCALE).round() as i64, (p.y * SCALE).round() as i64);
                    self.uint(zigzag(q.0 - prev.0));
                    self.uint(zigzag(q.1 - prev.1));
                    prev = q;
                }
            }
        }
    }
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    pub fn uint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| DecodeError::Corrupt("unexpected end of payload".into()))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(DecodeError::Corrupt("varint too long".into()))
    }
    pub fn len(&mut self) -> Result<usize, DecodeError> {
        let n = self.uint()? as usize;
        // Every element takes at least one byte: a larger count is corruption, not a huge alloc.
        if n > self.buf.len() - self.pos {
            return Err(DecodeError::Corrupt(format!(
                "count {n} exceeds the payload"
            )));
        }
        Ok(n)
    }
    pub fn opt_uint(&mut self) -> Result<Option<u64>, DecodeError> {
        Ok(self.uint()?.checked_sub(1))
    }
    pub fn f64(&mut self) -> Result<f64, DecodeError> {
        let bytes = self
            .buf
            .get(self.pos..self.pos + 8)
            .ok_or_else(|| DecodeError::Corrupt("unexpected end of payload".into()))?;
        self.pos += 8;
        Ok(f64::from_le_bytes(bytes.try_into().expect("8 bytes")))
    }
    pub fn str(&mut self) -> Result<String, DecodeError> {
        let n = self.len()?;
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| DecodeError::Corrupt("invalid UTF-8 in a string".into()))
    }
    pub fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let n = self.len()?;
        // `len` bounds `n` by the bytes left (every element takes at least one).
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(item(self)?);
        }
        Ok(items)
    }
    pub fn geometry(&mut self) -> Result<Option<MultiPolygon<f64>>, DecodeError> {
        let mut prev = (0i64, 0i64);
        let polygons = self.list(|r| {
            let mut rings = r.list(|r| {
                let n = r.len()?;
                if n < 3 {
                    return Err(DecodeError::Corrupt("ring with fewer than 3 points".into()));
                }
                // One more for the closing point.
                let mut coords = Vec::with_capacity(n + 1);
                for _ in 0..n {
                    prev.0 += unzigzag(r.uint()?);
                    prev.1 += unzigzag(r.uint()?);
                    coords.push(Coord {
                        x: prev.0 as f64 / SCALE,
                        y: prev.1 as f64 / SCALE,
                    });
                }
                coords.push(coords[0]);
                Ok(LineString(coords))
            })?;
            if rings.is_empty() {
                return Err(DecodeError::Corrupt("polygon without rings".into()));
            }
            let exterior = rings.remove(0);
            Ok(Polygon::new(exterior, rings))
        })?;
        Ok((!polygons.is_empty()).then_some(MultiPolygon(polygons)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_round_trips() {
        for v in [0, 1, -1, 63, -64, 1 << 40, -(1 << 40), i64::MAX >> 1] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn deferred_display_levels_decode_to_the_whole_geography() {
        let dir = std::env::temp_dir().join(format!("cpat-deferred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("levels.cpat");
        let square = |d: f64| {
            MultiPolygon(vec![Polygon::new(
                LineString::from(vec![(5.0, 43.0), (5.0 + d, 43.0), (5.0, 43.0 + d)]),
                vec![],
            )])
        };
        let geography = Geography {
            vintage: "test".into(),
            communes: vec![Commune {
                code: "13001".into(),
                name: "Aix".into(),
                departement: "13".into(),
                region: "93".into(),
                epci: None,
                population: Some(10),
                geometry: Some(square(0.1)),
            }],
            former_codes: vec![("13999".into(), "13001".into())],
            display_levels: vec![DisplayLevel {
                tolerance_deg: 0.01,
                outlines: vec![Some(square(0.2))],
            }],
            ..Default::default()
        };
        write_geography(&path, &geography).unwrap();
        let (units, levels, _) = read_geography_deferred(&path).unwrap();
        assert!(units.display_levels.is_empty());
        assert_eq!(units.former_codes, geography.former_codes);
        let whole = Geography {
            display_levels: levels.decode().unwrap(),
            ..units
        };
        assert_eq!(whole, geography);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_files_are_named_errors() {
        let dir = std::env::temp_dir().join(format!("cpat-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.cpat");
        std::fs::write(&path, b"not a dataset at all, just text....").unwrap();
        assert!(matches!(
            read_geography(&path),
            Err(LoadError::NotADataset { .. })
        ));

        let geography = Geography {
            vintage: "test".into(),
            communes: vec![Commune {
                code: "13001".into(),
                name: "Aix".into(),
                departement: "13".into(),
                region: "93".into(),
                epci: None,
                population: Some(10),
                geometry: Some(MultiPolygon(vec![Polygon::new(
                    LineString::from(vec![(5.0, 43.0), (5.1, 43.0), (5.1, 43.1), (5.0, 43.0)]),
                    vec![],
                )])),
            }],
            ..Default::default()
        };
        write_geography(&path, &geography).unwrap();
        assert_eq!(read_geography(&path).unwrap(), geography);

        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let err = read_geography(&path).unwrap_err();
        assert!(err.to_string().contains("bad.cpat"), "{err}");
        assert!(matches!(err, LoadError::Corrupt { .. }));

        bytes.truncate(bytes.len() - 10);
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            read_geography(&path),
            Err(LoadError::Corrupt { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
