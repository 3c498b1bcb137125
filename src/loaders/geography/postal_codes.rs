//! The postal codes of the shipped dataset (`data/postal-codes.txt`): one line per postal code,
//! `14400 14001 14047 ...` (the commune and arrondissement codes it serves), sorted.

use std::path::Path;

use crate::loaders::{read_file, LoadError};

/// File name of the postal codes inside a data directory.
pub const POSTAL_CODES_FILE: &str = "postal-codes.txt";

/// Writes `postal_codes` (postal code -> INSEE codes) to `path`.
pub fn write_postal_codes(
    path: &Path,
    postal_codes: &[(String, Vec<String>)],
) -> Result<(), LoadError> {
    let mut text = String::new();
    for (postal, codes) in postal_codes {
        text.push_str(postal);
        for c in codes {
            text.push(' ');
            text.push_str(c);
        }
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|source| LoadError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a file written by [`write_postal_codes`].
pub fn read_postal_codes(path: &Path) -> Result<Vec<(String, Vec<String>)>, LoadError> {
    let text = String::from_utf8(read_file(path)?).map_err(|e| LoadError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("not UTF-8: {e}"),
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let mut words = line.split_whitespace();
            let postal = words.next().unwrap_or_default().to_string();
            let codes: Vec<String> = words.map(str::to_string).collect();
            if postal.len() != 5 || !postal.bytes().all(|b| b.is_ascii_digit()) || codes.is_empty()
            {
                return Err(LoadError::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("line {}: expected a postal code and INSEE codes", i + 1),
                });
            }
            Ok((postal, codes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_line() {
        let dir = std::env::temp_dir().join(format!("cpts-atlas-postal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(POSTAL_CODES_FILE);
        let codes = vec![
            (
                "14400".to_string(),
                vec!["14001".to_string(), "14047".to_string()],
            ),
            ("69001".to_string(), vec!["69381".to_string()]),
        ];
        write_postal_codes(&path, &codes).unwrap();
        assert_eq!(read_postal_codes(&path).unwrap(), codes);
        std::fs::write(&path, "1440 14047\n").unwrap();
        let err = read_postal_codes(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
