//! French number formatting for the documents: `12 345`, `3,4`, `12,5 %`.

/// `v` with `decimals` decimals, a narrow no-break space between thousands and a decimal comma.
///
/// # Examples
/// ```
/// use cpts_atlas::dossier::fr_number;
/// assert_eq!(fr_number(123456.0, 0), "123\u{202f}456");
/// assert_eq!(fr_number(-2.456, 2), "-2,46");
/// ```
pub fn fr_number(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// An amount in euros: `185 000 €`.
pub fn euros(v: f64) -> String {
    format!("{} €", fr_number(v, 0))
}

/// An amount the grid may not know: `12 500 €`, or « montant non connu ».
pub fn euros_known(v: Option<f64>) -> String {
    v.map_or_else(|| "montant non connu".to_string(), euros)
}

/// A share in `[0, 1]` as a percentage with one decimal: `12,5 %`.
pub fn percent(share: f64) -> String {
    format!("{} %", fr_number(share * 100.0, 1))
}

/// Day, month and year of a Unix time (UTC), for dating a document without a clock inside.
///
/// # Examples
/// ```
/// use cpts_atlas::dossier::civil_date;
/// assert_eq!(civil_date(0), (1970, 1, 1));
/// assert_eq!(civil_date(1_772_323_200), (2026, 3, 1));
/// ```
pub fn civil_date(unix_secs: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = unix_secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Today's date (UTC) from the system clock: the CLI and HTTP date their documents with it.
pub fn today() -> (i64, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    civil_date(secs)
}
