//! Delimited text files read row by row, columns found by name; errors name file, line, column.
//!
//! Fields are decoded as UTF-8, or as Latin-1 when they are not valid UTF-8 (FINESS and some
//! ARS exports are Latin-1). Rows are streamed with one reused buffer, so a national RPPS
//! extract (about 2 million rows) is read in one pass without holding it in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::loaders::LoadError;

/// How a file is delimited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dialect {
    pub delimiter: u8,
    /// Whether `"` quotes fields (false for the RPPS extracts, which never quote).
    pub quoting: bool,
}

impl Dialect {
    pub const COMMA: Dialect = Dialect {
        delimiter: b',',
        quoting: true,
    };
    pub const SEMICOLON: Dialect = Dialect {
        delimiter: b';',
        quoting: true,
    };
    pub const PIPE: Dialect = Dialect {
        delimiter: b'|',
        quoting: false,
    };
}

/// An open delimited file with its header.
pub(crate) struct Table {
    path: PathBuf,
    format: &'static str,
    headers: Vec<String>,
    reader: csv::Reader<CrlfAsLf<BufReader<File>>>,
}

/// Reads `\r\n` as `\n` (a lone `\r` is kept): the csv reader counts the lines of a CRLF file
/// one short otherwise (the `\n` of each terminator is only consumed with the next record).
struct CrlfAsLf<R> {
    inner: R,
    chunk: Vec<u8>,
    at: usize,
    held_cr: bool,
}

impl<R: Read> CrlfAsLf<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            chunk: Vec::new(),
            at: 0,
            held_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            let mut raw = [0u8; 1 << 14];
            let n = self.inner.read(&mut raw)?;
            self.chunk.clear();
            self.at = 0;
            if n == 0 {
                if std::mem::take(&mut self.held_cr) {
                    self.chunk.push(b'\r');
                    continue;
                }
                return Ok(0);
            }
            for &b in &raw[..n] {
                if std::mem::take(&mut self.held_cr) && b != b'\n' {
                    self.chunk.push(b'\r');
                }
                if b == b'\r' {
                    self.held_cr = true;
                } else {
                    self.chunk.push(b);
                }
            }
        }
        let n = (self.chunk.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// One data row, with what is needed to report an error about one of its fields.
pub(crate) struct Row<'a> {
    path: &'a Path,
    headers: &'a [String],
    record: &'a csv::ByteRecord,
    line: u64,
}

impl Table {
    /// Opens `path` and reads its header; `format` names the expected format in errors.
    pub fn open(path: &Path, dialect: Dialect, format: &'static str) -> Result<Self, LoadError> {
        let file = File::open(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .quoting(dialect.quoting)
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(CrlfAsLf::new(BufReader::with_capacity(1 << 16, file)));
        let headers = reader
            .byte_headers()
            .map_err(|e| csv_error(path, &e))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = decode(h);
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_string()
            })
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            format,
            headers,
            reader,
        })
    }

    /// The file's column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Index of a column, case-insensitively; a missing column is an error naming the file.
    pub fn column(&self, name: &str) -> Result<usize, LoadError> {
        self.find_column(name)
            .ok_or_else(|| LoadError::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
                format: self.format.to_string(),
            })
    }

    /// Index of a column if present (case-insensitive).
    pub fn find_column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Calls `f` on every data row, stopping at the first error.
    pub fn for_each_row(
        mut self,
        mut f: impl FnMut(&Row) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        let mut record = csv::ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    if record.iter().all(|f| f.is_empty()) {
                        continue;
                    }
                    let line = record.position().map_or(0, |p| p.line());
                    f(&Row {
                        path: &self.path,
                        headers: &self.headers,
                        record: &record,
                        line,
                    })?;
                }
                Err(e) => return Err(csv_error(&self.path, &e)),
            }
        }
    }
}

impl Row<'_> {
    /// The trimmed text of a field (empty when the row is short).
    pub fn get(&self, column: usize) -> Cow<'_, str> {
        match self.record.get(column).map(decode) {
            Some(Cow::Borrowed(s)) => Cow::Borrowed(s.trim()),
            Some(Cow::Owned(s)) => Cow::Owned(s.trim().to_string()),
            None => Cow::Borrowed(""),
        }
    }

    /// Line number in the file (1-based, header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// An error about a field of this row.
    pub fn error(&self, column: usize, problem: impl Into<String>) -> LoadError {
        LoadError::Field {
            path: self.path.to_path_buf(),
            line: self.line,
            column: self.headers.get(column).cloned().unwrap_or_default(),
            value: self.get(column).into_owned(),
            problem: problem.into(),
        }
    }

    /// A number; French decimal commas are accepted.
    pub fn f64(&self, column: usize) -> Result<f64, LoadError> {
        let text = self.get(column);
        parse_f64(&text).ok_or_else(|| self.error(column, "not a number"))
    }

    /// A number, or `None` when the field is empty or a missing-value marker (`NA`, `-`).
    pub fn opt_f64(&self, column: usize) -> Result<Option<f64>, LoadError> {
        let text = self.get(column);
        if is_missing(&text) {
            return Ok(None);
        }
        parse_f64(&text)
            .map(Some)
            .ok_or_else(|| self.error(column, "not a number"))
    }

    /// A non-negative whole number.
    pub fn u32(&self, column: usize) -> Result<u32, LoadError> {
        self.get(column)
            .parse()
            .map_err(|_| self.error(column, "not a non-negative whole number"))
    }

    /// An INSEE commune code: 5 characters, leading zero restored (`1001` -> `01001`).
    pub fn commune_code(&self, column: usize) -> Result<String, LoadError> {
        let code = self.get(column).to_ascii_uppercase();
        let code = if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
            format!("0{code}")
        } else {
            code
        };
        let valid = code.len() == 5
            && code
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || (i == 1 && (b == b'A' || b == b'B')));
        if valid {
            Ok(code)
        } else {
            Err(self.error(column, "not an INSEE commune code (5 characters)"))
        }
    }
}

fn parse_f64(text: &str) -> Option<f64> {
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn is_missing(text: &str) -> bool {
    text.is_empty() || text.eq_ignore_ascii_case("na") || text == "-" || text == "."
}

/// UTF-8 when valid, else Latin-1 (every byte is its code point).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| b as char).collect()),
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> LoadError {
    LoadError::Csv {
        path: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod crlf_tests {
    use std::io::Read;

    #[test]
    fn crlf_is_read_as_lf_and_lone_cr_kept() {
        let mut text = String::new();
        super::CrlfAsLf::new(&b"a\r\nb\rc\r\n\r"[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "a\nb\rc\n\r");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_latin1_fields() {
        assert_eq!(decode(b"Activit\xe9s"), "Activités");
        assert_eq!(decode("Activités".as_bytes()), "Activités");
    }

    #[test]
    fn parses_french_numbers_and_missing_markers() {
        assert_eq!(parse_f64("2,5"), Some(2.5));
        assert_eq!(parse_f64("nan"), None);
        assert!(is_missing("NA") && is_missing("") && !is_missing("0"));
    }
}
