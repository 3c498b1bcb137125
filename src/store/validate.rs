//! Checks on a territory before it is saved: names, codes, geometry, missions.

use super::error::ValidationError;
use crate::engine::{prepare_territory, DrawnLimits};
use crate::model::RawTerritory;

/// Longest name accepted, in characters.
pub const MAX_NAME: usize = 200;
/// Longest author accepted, in characters.
pub const MAX_AUTHOR: usize = 120;
/// Most codes in one territory, the same for saving and for the diagnosis (the service's
/// `max_codes`): the largest région, Occitanie, holds 4 454 communes.
pub const MAX_CODES: usize = 5_000;
/// Most optional missions.
pub const MAX_MISSIONS: usize = 32;

/// A trimmed, non-empty name of at most [`MAX_NAME`] characters.
pub(super) fn name(raw: &str) -> Result<String, ValidationError> {
    let name = bounded(raw, MAX_NAME, ValidationError::EmptyName, |len, max| {
        ValidationError::NameTooLong { len, max }
    })?;
    printable("name", name)
}

/// A trimmed, non-empty author of at most [`MAX_AUTHOR`] characters.
pub(super) fn author(raw: &str) -> Result<String, ValidationError> {
    let author = bounded(raw, MAX_AUTHOR, ValidationError::EmptyAuthor, |len, max| {
        ValidationError::AuthorTooLong { len, max }
    })?;
    printable("author", author)
}

/// Refuses control characters (NUL, ESC, CR, LF, tab, DEL, C1) and the invisible characters that
/// reorder or hide text (bidi marks, embeddings, overrides and isolates, line separators, BOM):
/// names end up in logs, CSV files and pages.
fn printable(field: &'static str, text: String) -> Result<String, ValidationError> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
    };
    match text.chars().enumerate().find(|(_, c)| hidden(*c)) {
        Some((position, c)) => Err(ValidationError::ControlCharacter {
            field,
            position,
            code_point: c as u32,
        }),
        None => Ok(text),
    }
}

/// The syntax of a code a territory may list, for saving as for the diagnosis: a commune or
/// municipal arrondissement (5 characters: `13001`, `2A004`; 4 when a spreadsheet dropped the
/// leading zero), ASCII letters and digits, or an IRIS (9: `130010101`, the commune's and 4
/// digits).
pub fn is_code(code: &str) -> bool {
    let commune = |c: &[u8]| c.iter().all(u8::is_ascii_alphanumeric);
    match code.as_bytes() {
        c if matches!(c.len(), 4 | 5) => commune(c),
        c if c.len() == 9 => commune(&c[..5]) && c[5..].iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

fn bounded(
    raw: &str,
    max: usize,
    empty: ValidationError,
    too_long: fn(usize, usize) -> ValidationError,
) -> Result<String, ValidationError> {
    let text = raw.trim();
    match text.chars().count() {
        0 => Err(empty),
        len if len > max => Err(too_long(len, max)),
        _ => Ok(text.to_string()),
    }
}

/// Codes shaped like INSEE codes, an EPCI SIREN, or a drawn geometry the engine accepts.
/// Whether codes exist is checked when the territory is diagnosed, against the loaded geography.
pub(super) fn spec(spec: &RawTerritory) -> Result<(), ValidationError> {
    match spec {
        RawTerritory::Codes(codes) => {
            if codes.iter().all(|c| c.trim().is_empty()) {
                return Err(ValidationError::NoCodes);
            }
            if codes.len() > MAX_CODES {
                return Err(ValidationError::TooManyCodes {
                    count: codes.len(),
                    max: MAX_CODES,
                });
            }
            for (index, code) in codes.iter().enumerate() {
                if !is_code(code.trim()) {
                    return Err(ValidationError::BadCode {
                        index,
                        code: code.clone(),
                    });
                }
            }
            Ok(())
        }
        RawTerritory::Epci(siren) => {
            let s = siren.trim();
            if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(ValidationError::BadEpci(siren.clone()))
            }
        }
        RawTerritory::Geojson(_) => prepare_territory(spec, &DrawnLimits::default())
            .map(|_| ())
            .map_err(ValidationError::Geometry),
    }
}

/// At most [`MAX_MISSIONS`] ids of lower-case letters, digits and `_`.
pub(super) fn missions(missions: &[String]) -> Result<(), ValidationError> {
    if missions.len() > MAX_MISSIONS {
        return Err(ValidationError::TooManyMissions {
            count: missions.len(),
            max: MAX_MISSIONS,
        });
    }
    for (index, mission) in missions.iter().enumerate() {
        let ok = !mission.is_empty()
            && mission.len() <= 64
            && mission
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(ValidationError::BadMission {
                index,
                mission: mission.clone(),
            });
        }
    }
    Ok(())
}
