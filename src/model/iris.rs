//! IRIS (INSEE's infra-communal statistical units) and the layer of them the service has loaded.

use geo::MultiPolygon;
use serde::Serialize;

/// INSEE's IRIS type (`TYP_IRIS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum IrisType {
    /// `H`: residential IRIS ("IRIS d'habitat"), usually 1 800 to 5 000 inhabitants.
    #[serde(rename = "H")]
    Residential,
    /// `A`: activity IRIS ("IRIS d'activité"): about 1 000 employees, at least twice as many
    /// jobs as residents.
    #[serde(rename = "A")]
    Activity,
    /// `D`: miscellaneous IRIS ("IRIS divers"): large, sparsely inhabited areas (parks, ports,
    /// forests).
    #[serde(rename = "D")]
    Miscellaneous,
    /// `Z`: a commune not divided into IRIS (the IRIS is the whole commune).
    #[serde(rename = "Z")]
    Undivided,
}

impl IrisType {
    /// The one-letter INSEE code.
    pub fn letter(self) -> char {
        match self {
            Self::Residential => 'H',
            Self::Activity => 'A',
            Self::Miscellaneous => 'D',
            Self::Undivided => 'Z',
        }
    }

    /// Parses the INSEE letter (`H`) or a label as found in exports (`iris d'habitat`).
    ///
    /// ```
    /// use cpts_atlas::model::IrisType;
    /// assert_eq!(IrisType::parse("H"), Some(IrisType::Residential));
    /// assert_eq!(IrisType::parse("iris d'activité"), Some(IrisType::Activity));
    /// assert_eq!(IrisType::parse("Commune non découpée en iris"), Some(IrisType::Undivided));
    /// assert_eq!(IrisType::parse("X"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        match t.as_str() {
            "h" => Some(Self::Residential),
            "a" => Some(Self::Activity),
            "d" => Some(Self::Miscellaneous),
            "z" => Some(Self::Undivided),
            _ if t.contains("habitat") => Some(Self::Residential),
            _ if t.contains("activit") => Some(Self::Activity),
            _ if t.contains("divers") => Some(Self::Miscellaneous),
            _ if t.contains("non découpée") || t.contains("non decoupee") => {
                Some(Self::Undivided)
            }
            _ => None,
        }
    }
}

/// One IRIS: a 9-character code whose first 5 characters are its commune (or, in Paris, Lyon
/// and Marseille, its arrondissement municipal).
#[derive(Debug, Clone, PartialEq)]
pub struct Iris {
    /// `693830101`.
    pub code: String,
    /// Name (`LIBIRIS`).
    pub name: String,
    /// IRIS type: habitat, activity, miscellaneous or whole commune.
    pub kind: IrisType,
    /// Current commune or arrondissement code the IRIS lies in (the code's unit, mapped through
    /// the COG when that commune has merged since).
    pub unit: String,
    /// Population from an INSEE IRIS population file (census, not a legal population), if any.
    pub population: Option<f64>,
    /// Outline in WGS84 longitude/latitude; `None` when only known from a population file.
    pub geometry: Option<MultiPolygon<f64>>,
}

/// The IRIS the service has loaded, with the arrondissement outlines dissolved from them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IrisLayer {
    /// Where the IRIS outlines come from, one line per source file.
    pub sources: Vec<String>,
    /// Where the IRIS populations come from (file and census year), one line per source.
    pub population_sources: Vec<String>,
    /// The IRIS loaded (outlines, populations, or both).
    pub iris: Vec<Iris>,
    /// Arrondissement municipal code -> outline (union of its IRIS), where all its IRIS have one.
    pub arrondissement_outlines: Vec<(String, MultiPolygon<f64>)>,
}

/// Whether `code` has the shape of an IRIS code: a commune code (5 characters, digits or Corsica's
/// `2A`/`2B`) followed by 4 digits.
///
/// ```
/// use cpts_atlas::model::is_iris_code;
/// assert!(is_iris_code("693830101"));
/// assert!(is_iris_code("2A0040000"));
/// assert!(!is_iris_code("69383"));
/// assert!(!is_iris_code("69383010X"));
/// ```
pub fn is_iris_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 9
        && (b[..2].iter().all(u8::is_ascii_digit) || matches!(&b[..2], b"2A" | b"2B"))
        && b[2..].iter().all(u8::is_ascii_digit)
}
