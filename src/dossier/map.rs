//! A PNG map of the territory drawn from its members' outlines (no tiles): members filled, the
//! partly covered ones in another colour, borders dark, the drawn perimeter in red.
//!
//! Plate carrée scaled by the cosine of the mean latitude (true shapes at a territory's scale),
//! polygons filled by even-odd scanlines, edges drawn with Bresenham lines.

use geo::{BoundingRect, MultiPolygon};

/// Longest side of the picture, pixels.
pub const MAP_SIZE_PX: u32 = 1200;
const MARGIN_PX: f64 = 12.0;
const BACKGROUND: [u8; 3] = [255, 255, 255];
const WHOLE: [u8; 3] = [158, 202, 225];
const PARTIAL: [u8; 3] = [253, 208, 162];
const BORDER: [u8; 3] = [8, 48, 107];
const PERIMETER: [u8; 3] = [203, 24, 29];

/// One member to draw.
#[derive(Debug, Clone, Copy)]
pub struct MapLayer<'a> {
    /// Its outline, WGS84.
    pub outline: &'a MultiPolygon<f64>,
    /// Partly covered by a drawn perimeter.
    pub partial: bool,
}

/// A rendered map.
#[derive(Debug, Clone)]
pub struct MapImage {
    /// The PNG bytes.
    pub png: Vec<u8>,
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
}

/// Draws the members and the perimeter; `None` when there is nothing to draw.
pub fn render_map(
    layers: &[MapLayer],
    perimeter: Option<&MultiPolygon<f64>>,
) -> Result<Option<MapImage>, png::EncodingError> {
    let Some(view) = View::fit(layers.iter().map(|l| l.outline).chain(perimeter)) else {
        return Ok(None);
    };
    let mut canvas = Canvas::new(view.width, view.height);
    for l in layers {
        canvas.fill(
            &view.rings(l.outline),
            if l.partial { PARTIAL } else { WHOLE },
        );
    }
    for l in layers {
        canvas.stroke(&view.rings(l.outline), BORDER, 0);
    }
    if let Some(p) = perimeter {
        canvas.stroke(&view.rings(p), PERIMETER, 1);
    }
    Ok(Some(MapImage {
        png: canvas.png()?,
        width: view.width,
        height: view.height,
    }))
}

/// Longitude/latitude -> pixels.
struct View {
    min_x: f64,
    max_y: f64,
    scale: f64,
    cos_lat: f64,
    width: u32,
    height: u32,
}

impl View {
    fn fit<'a>(outlines: impl Iterator<Item = &'a MultiPolygon<f64>>) -> Option<Self> {
        let rect = outlines.filter_map(|o| o.bounding_rect()).reduce(|a, b| {
            geo::Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })?;
        let cos_lat = ((rect.min().y + rect.max().y) / 2.0).to_radians().cos();
        let (w, h) = (rect.width() * cos_lat, rect.height());
        if !(w > 0.0 && h > 0.0) {
            return None;
        }
        let inner = f64::from(MAP_SIZE_PX) - 2.0 * MARGIN_PX;
        let scale = inner / w.max(h);
        Some(Self {
            min_x: rect.min().x,
            max_y: rect.max().y,
            scale,
            cos_lat,
            width: (w * scale + 2.0 * MARGIN_PX).ceil() as u32,
            height: (h * scale + 2.0 * MARGIN_PX).ceil() as u32,
        })
    }

    fn rings(&self, outline: &MultiPolygon<f64>) -> Vec<Vec<(f64, f64)>> {
        outline
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| {
                ring.coords()
                    .map(|c| {
                        (
                            MARGIN_PX + (c.x - self.min_x) * self.cos_lat * self.scale,
                            MARGIN_PX + (self.max_y - c.y) * self.scale,
                        )
                    })
                    .collect()
            })
            .collect()
    }
}

/// An RGB picture.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            pixels: BACKGROUND.repeat((width * height) as usize),
        }
    }

    fn set(&mut self, x: i64, y: i64, color: [u8; 3]) {
        if x >= 0 && y >= 0 && x < i64::from(self.width) && y < i64::from(self.height) {
            let i = (y as usize * self.width as usize + x as usize) * 3;
            self.pixels[i..i + 3].copy_from_slice(&color);
        }
    }

    /// Even-odd fill of the rings (shells and holes together), sampled at pixel centres.
    fn fill(&mut self, rings: &[Vec<(f64, f64)>], color: [u8; 3]) {
        let (lo, hi) = rings
            .iter()
            .flatten()
            .fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
        if lo > hi {
            return;
        }
        let mut crossings = Vec::new();
        for y in (lo.floor().max(0.0) as i64)..=(hi.ceil().min(f64::from(self.height)) as i64) {
            let yc = y as f64 + 0.5;
            crossings.clear();
            for ring in rings {
                for w in ring.windows(2) {
                    let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                    if (y0 <= yc) != (y1 <= yc) {
                        crossings.push(x0 + (yc - y0) / (y1 - y0) * (x1 - x0));
                    }
                }
            }
            crossings.sort_by(f64::total_cmp);
            for pair in crossings.chunks_exact(2) {
                let from = (pair[0] - 0.5).ceil() as i64;
                let to = (pair[1] - 0.5).floor() as i64;
                for x in from..=to {
                    self.set(x, y, color);
                }
            }
        }
    }

    /// The rings' edges, `thickness` pixels on each side of the line.
    fn stroke(&mut self, rings: &[Vec<(f64, f64)>], color: [u8; 3], thickness: i64) {
        for ring in rings {
            for w in ring.windows(2) {
                let (mut x0, mut y0) = (w[0].0.floor() as i64, w[0].1.floor() as i64);
                let (x1, y1) = (w[1].0.floor() as i64, w[1].1.floor() as i64);
                let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
                let (sx, sy) = ((x1 - x0).signum(), (y1 - y0).signum());
                let mut err = dx + dy;
                loop {
                    for ox in -thickness..=thickness {
                        for oy in -thickness..=thickness {
                            self.set(x0 + ox, y0 + oy, color);
                        }
                    }
                    if x0 == x1 && y0 == y1 {
                        break;
                    }
                    let e2 = 2 * err;
                    if e2 >= dy {
                        err += dy;
                        x0 += sx;
                    }
                    if e2 <= dx {
                        err += dx;
                        y0 += sy;
                    }
                }
            }
        }
    }

    fn png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_square_with_a_hole_is_filled_around_the_hole() {
        let square = MultiPolygon(vec![polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.4, y: 0.4), (x: 0.6, y: 0.4), (x: 0.6, y: 0.6), (x: 0.4, y: 0.6), (x: 0.4, y: 0.4)]],
        ]]);
        let view = View::fit(std::iter::once(&square)).unwrap();
        // At 0.5° of latitude the cosine shrinks the width a little: the height is the long side.
        assert_eq!(view.height, MAP_SIZE_PX);
        let mut canvas = Canvas::new(view.width, view.height);
        canvas.fill(&view.rings(&square), WHOLE);
        let at = |x: u32, y: u32| {
            let i = ((y * canvas.width + x) * 3) as usize;
            [canvas.pixels[i], canvas.pixels[i + 1], canvas.pixels[i + 2]]
        };
        let (cx, cy) = (view.width / 2, view.height / 2);
        assert_eq!(at(cx, cy), BACKGROUND, "the hole");
        assert_eq!(at(100, cy), WHOLE, "the ring around it");
        assert_eq!(at(2, 2), BACKGROUND, "the margin");
        let image = render_map(
            &[MapLayer {
                outline: &square,
                partial: false,
            }],
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(&image.png[1..4], b"PNG");
    }

    #[test]
    fn nothing_to_draw_gives_no_map() {
        assert!(render_map(&[], None).unwrap().is_none());
    }
}
