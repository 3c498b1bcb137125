//! Checks on a territory before it is saved: names, codes, geometry, missions.

use super::error::ValidationError;
use crate::engine::{territory_spec, DrawnLimits};
use crate::model::SavedSpec;

/// Longest name accepted, in characters.
pub const MAX_NAME: usize = 200;
/// Longest author accepted, in characters.
pub const MAX_AUTHOR: usize = 120;
/// Most codes in one territory (a whole région holds about 5 000 communes).
pub const MAX_CODES: usize = 10_000;
/// Most optional missions.
pub const MAX_MISSIONS: usize = 32;

/// A trimmed, non-empty name of at most [`MAX_NAME`] characters.
pub(super) fn name(raw: &str) -> Result<String, ValidationError> {
    bounded(raw, MAX_NAME, ValidationError::EmptyName, |len, max| {
        ValidationError::NameTooLong { len, max }
    })
}

/// A trimmed, non-empty author of at most [`MAX_AUTHOR`] characters.
pub(super) fn author(raw: &str) -> Result<String, ValidationError> {
    bounded(raw, MAX_AUTHOR, ValidationError::EmptyAuthor, |len, max| {
        ValidationError::AuthorTooLong { len, max }
    })
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
pub(super) fn spec(spec: &SavedSpec) -> Result<(), ValidationError> {
    match spec {
        SavedSpec::Codes(codes) => {
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
                let c = code.trim();
                if !(4..=5).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(ValidationError::BadCode {
                        index,
                        code: code.clone(),
                    });
                }
            }
            Ok(())
        }
        SavedSpec::Epci(siren) => {
            let s = siren.trim();
            if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(ValidationError::BadEpci(siren.clone()))
            }
        }
        SavedSpec::Geojson(_) => territory_spec(spec, &DrawnLimits::default())
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
