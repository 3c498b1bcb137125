//! Well-Known Binary (ISO/OGC simple features) of a multipolygon: written little-endian, read
//! in either byte order (2D; Z and M coordinates dropped).

use geo::{Coord, LineString, MultiPolygon, Polygon};

const LITTLE_ENDIAN: u8 = 1;
const POLYGON: u32 = 3;
const MULTI_POLYGON: u32 = 6;

/// The WKB of `geometry`: a MultiPolygon of 2D rings.
pub fn multipolygon_wkb(geometry: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(LITTLE_ENDIAN);
    out.extend(MULTI_POLYGON.to_le_bytes());
    out.extend((geometry.0.len() as u32).to_le_bytes());
    for polygon in &geometry.0 {
        out.push(LITTLE_ENDIAN);
        out.extend(POLYGON.to_le_bytes());
        out.extend((1 + polygon.interiors().len() as u32).to_le_bytes());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            ring_wkb(&mut out, ring);
        }
    }
    out
}

fn ring_wkb(out: &mut Vec<u8>, ring: &LineString<f64>) {
    out.extend((ring.0.len() as u32).to_le_bytes());
    for c in &ring.0 {
        out.extend(c.x.to_le_bytes());
        out.extend(c.y.to_le_bytes());
    }
}

/// The (multi)polygon of a WKB value: Polygon, MultiPolygon, or their ISO / EWKB Z, M and ZM
/// variants (the extra coordinates dropped); an error naming what it is otherwise.
pub fn multipolygon_from_wkb(bytes: &[u8]) -> Result<MultiPolygon<f64>, String> {
    let mut reader = WkbReader {
        bytes,
        at: 0,
        little: true,
    };
    let (kind, dims) = reader.header()?;
    let geometry = match kind {
        POLYGON => MultiPolygon(vec![reader.polygon(dims)?]),
        MULTI_POLYGON => {
            let count = reader.u32()?;
            let mut polygons = Vec::new();
            for _ in 0..count {
                let (kind, dims) = reader.header()?;
                if kind != POLYGON {
                    return Err(format!("a MultiPolygon part of WKB type {kind}"));
                }
                polygons.push(reader.polygon(dims)?);
            }
            MultiPolygon(polygons)
        }
        other => {
            return Err(format!(
                "WKB geometry type {other} is not a Polygon (3) or MultiPolygon (6)"
            ))
        }
    };
    Ok(geometry)
}

struct WkbReader<'a> {
    bytes: &'a [u8],
    at: usize,
    little: bool,
}

impl WkbReader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let end = self.at + N;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| format!("WKB cut short at byte {}", self.at))?;
        self.at = end;
        Ok(slice.try_into().expect("N bytes"))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// Byte order, then the type: its 2D code and its number of coordinates per point.
    fn header(&mut self) -> Result<(u32, usize), String> {
        self.little = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            other => return Err(format!("not WKB (byte order {other})")),
        };
        let raw = self.u32()?;
        // EWKB flags (PostGIS): Z, M, SRID.
        let (ewkb_z, ewkb_m, srid) = (
            raw & 0x8000_0000 != 0,
            raw & 0x4000_0000 != 0,
            raw & 0x2000_0000 != 0,
        );
        let code = raw & 0x0fff_ffff;
        if srid {
            self.u32()?;
        }
        let (kind, iso) = (code % 1000, code / 1000);
        let dims = 2
            + usize::from(ewkb_z)
            + usize::from(ewkb_m)
            + match iso {
                0 => 0,
                1 | 2 => 1,
                3 => 2,
                _ => return Err(format!("unknown WKB type {code}")),
            };
        Ok((kind, dims))
    }

    fn polygon(&mut self, dims: usize) -> Result<Polygon<f64>, String> {
        let rings = self.u32()?;
        let mut all = Vec::new();
        for _ in 0..rings {
            let points = self.u32()? as usize;
            if points > self.bytes.len() / 16 {
                return Err(format!(
                    "WKB ring of {points} points is longer than the value"
                ));
            }
            let mut ring = Vec::with_capacity(points);
            for _ in 0..points {
                let x = self.f64()?;
                let y = self.f64()?;
                for _ in 2..dims {
                    self.f64()?;
                }
                ring.push(Coord { x, y });
            }
            all.push(LineString(ring));
        }
        let mut rings = all.into_iter();
        let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
        Ok(Polygon::new(exterior, rings.collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn encodes_a_square() {
        let square = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 0.)];
        let wkb = multipolygon_wkb(&MultiPolygon(vec![square.clone()]));
        // header 9 + polygon header 9 + ring count 4 + 4 points of 16 bytes.
        assert_eq!(wkb.len(), 9 + 9 + 4 + 4 * 16);
        assert_eq!(&wkb[..9], &[1, 6, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&wkb[9..18], &[1, 3, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&wkb[18..22], &[4, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(wkb[38..46].try_into().unwrap()), 1.0);
        // Read back, and read as a Polygon; a Point is refused by its type.
        let back = multipolygon_from_wkb(&wkb).unwrap();
        assert_eq!(back, MultiPolygon(vec![square]));
        assert_eq!(multipolygon_from_wkb(&wkb[9..]).unwrap(), back);
        let point = [
            1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert!(multipolygon_from_wkb(&point)
            .unwrap_err()
            .contains("type 1"));
        // Cut inside the ring: refused (its 4 points do not fit in what is left).
        assert!(multipolygon_from_wkb(&wkb[..30])
            .unwrap_err()
            .contains("longer than the value"));
        assert!(multipolygon_from_wkb(&wkb[..5])
            .unwrap_err()
            .contains("cut short"));
    }
}
