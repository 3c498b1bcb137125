//! Well-Known Binary (ISO/OGC simple features, little-endian) of a multipolygon.

use geo::{LineString, MultiPolygon};

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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn encodes_a_square() {
        let square = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 0.)];
        let wkb = multipolygon_wkb(&MultiPolygon(vec![square]));
        // header 9 + polygon header 9 + ring count 4 + 4 points of 16 bytes.
        assert_eq!(wkb.len(), 9 + 9 + 4 + 4 * 16);
        assert_eq!(&wkb[..9], &[1, 6, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&wkb[9..18], &[1, 3, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&wkb[18..22], &[4, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(wkb[38..46].try_into().unwrap()), 1.0);
    }
}
