//! The shipped IRIS layer: `data/iris.cpat`, beside the geography, in the same framing.
//!
//! # Format (version 2)
//! ```text
//! magic "CPTSIRI\0", version u32 2, payload length u64, CRC-32 checksum (as france.cpat)
//! payload:
//!   sources             n, then str*
//!   population sources  n, then str*
//!   iris                n, then (code, name, type letter, unit, population opt-uint in
//!                                hundredths of an inhabitant, geometry)*
//!   arrondissements     n, then (code, geometry)*
//! ```
//! Strings, varints and geometries are encoded as in [`crate::loaders::geography::dataset`] (1e-5° coordinates).

use std::path::Path;

use crate::loaders::geography::dataset::{write_framed, DecodeError, FramedFile, Writer};
use crate::loaders::LoadError;
use crate::model::{Iris, IrisLayer, IrisType};

const MAGIC: &[u8; 8] = b"CPTSIRI\0";
const VERSION: u32 = 2;

/// File name of the IRIS layer inside a data directory (optional: absent means no IRIS).
pub const IRIS_FILE: &str = "iris.cpat";

/// Writes `layer` to `path`.
pub fn write_iris_layer(path: &Path, layer: &IrisLayer) -> Result<(), LoadError> {
    let mut w = Writer::default();
    for list in [&layer.sources, &layer.population_sources] {
        w.len(list.len());
        list.iter().for_each(|s| w.str(s));
    }
    w.len(layer.iris.len());
    for iris in &layer.iris {
        w.str(&iris.code);
        w.str(&iris.name);
        w.str(&iris.kind.letter().to_string());
        w.str(&iris.unit);
        w.opt_uint(iris.population.map(|p| (p * 100.0).round() as u64));
        w.geometry(iris.geometry.as_ref());
    }
    w.len(layer.arrondissement_outlines.len());
    for (code, outline) in &layer.arrondissement_outlines {
        w.str(code);
        w.geometry(Some(outline));
    }
    write_framed(path, MAGIC, VERSION, &w.buf)
}

/// Reads a layer written by [`write_iris_layer`].
pub fn read_iris_layer(path: &Path) -> Result<IrisLayer, LoadError> {
    IrisFile::open(path)?.read()
}

/// An IRIS layer file read and checked (header, checksum), decoded on demand.
pub struct IrisFile(FramedFile);

impl IrisFile {
    /// Reads `path` and checks its header and checksum.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        FramedFile::open(path, MAGIC, VERSION).map(Self)
    }

    /// Decodes the layer.
    pub fn read(&self) -> Result<IrisLayer, LoadError> {
        self.0.decode(decode)
    }
}

fn decode(r: &mut crate::loaders::geography::dataset::Reader) -> Result<IrisLayer, DecodeError> {
    {
        let sources = r.list(|r| r.str())?;
        let population_sources = r.list(|r| r.str())?;
        let iris = r.list(|r| {
            let code = r.str()?;
            let name = r.str()?;
            let letter = r.str()?;
            let kind = IrisType::parse(&letter).ok_or_else(|| {
                DecodeError::Corrupt(format!("IRIS {code}: unknown type `{letter}`"))
            })?;
            Ok(Iris {
                code,
                name,
                kind,
                unit: r.str()?,
                population: r.opt_uint()?.map(|p| p as f64 / 100.0),
                geometry: r.geometry()?,
            })
        })?;
        let arrondissement_outlines = r.list(|r| {
            let code = r.str()?;
            let outline = r.geometry()?.ok_or_else(|| {
                DecodeError::Corrupt(format!("arrondissement {code} without outline"))
            })?;
            Ok((code, outline))
        })?;
        Ok(IrisLayer {
            sources,
            population_sources,
            iris,
            arrondissement_outlines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    #[test]
    fn round_trips_and_refuses_a_geography_file() {
        let square = MultiPolygon(vec![polygon![
            (x: 4.8, y: 45.7), (x: 4.81, y: 45.7), (x: 4.81, y: 45.71), (x: 4.8, y: 45.71)
        ]]);
        let layer = IrisLayer {
            sources: vec!["a.shp".into()],
            population_sources: vec!["INSEE 2012".into()],
            iris: vec![Iris {
                code: "693810101".into(),
                name: "Terreaux".into(),
                kind: IrisType::Activity,
                unit: "69381".into(),
                population: Some(1234.56),
                geometry: Some(square.clone()),
            }],
            arrondissement_outlines: vec![("69381".into(), square)],
        };
        let dir = std::env::temp_dir().join(format!("iris-cpat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(IRIS_FILE);
        write_iris_layer(&path, &layer).unwrap();
        let mut expected = layer.clone();
        // Closed rings come back closed.
        for g in expected
            .iris
            .iter_mut()
            .filter_map(|i| i.geometry.as_mut())
            .chain(expected.arrondissement_outlines.iter_mut().map(|(_, g)| g))
        {
            g.0[0].exterior_mut(|r| r.close());
        }
        assert_eq!(read_iris_layer(&path).unwrap(), expected);
        let geography = dir.join("france.cpat");
        crate::loaders::geography::dataset::write_geography(&geography, &Default::default())
            .unwrap();
        let err = read_iris_layer(&geography).unwrap_err();
        assert!(matches!(err, LoadError::NotADataset { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
