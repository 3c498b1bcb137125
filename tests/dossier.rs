//! The lettre d'intention (DOCX) and budget prévisionnel (XLSX) read back by readers cpts-atlas
//! did not write — python-docx and openpyxl (tests/read_dossier.py) — with the figures of the
//! diagnosis computed here from the raw sources.

mod common;
mod health_common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::{required_tool, runs};
use serde_json::Value;

/// A Python with python-docx and openpyxl (the venv of scripts/setup.sh, else `python3`).
fn python(test: &str) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-tests/bin/python");
    let found = [venv, PathBuf::from("python3")]
        .into_iter()
        .find(|p| runs(p.to_str().unwrap(), &["-c", "import docx, openpyxl"]));
    if found.is_none() {
        required_tool(test, false, "python3 with python-docx and openpyxl");
    }
    found
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-atlas-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cpts_atlas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(args)
        .output()
        .expect("cpts-atlas runs")
}

/// What python-docx and openpyxl read in the files.
fn read_back(python: &Path, files: &[&Path]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_dossier.py");
    let output = Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `12345` -> `12 345` with the narrow no-break space the documents use.
fn fr(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[test]
fn lettre_and_budget_read_back_with_the_figures_of_the_raw_sources() {
    let test = "lettre_and_budget_read_back";
    let Some(shared) = health_common::shared(test) else {
        return;
    };
    let Some(python) = python(test) else {
        return;
    };
    // The 59 communes of ARS Normandie's territoire de santé of Bayeux (raw ages file).
    let communes = health_common::territoire_communes(&shared, "14047");
    assert_eq!(communes.len(), 59);
    // Population: the raw COG's legal populations.
    let populations = health_common::cog_populations(&shared);
    let population: u64 = communes.iter().map(|c| populations[c].0).sum();
    // Tier after the ACI 2019 text: 40 000 <= p < 80 000 is taille 2 (the test needs it).
    assert!((40_000..80_000).contains(&population), "{population}");
    // With both optional missions, the envelope is the ACI's published "total possible" for a
    // taille 2: 242 000 € (ACI 2019, art. 6).
    let envelope = 242_000u64;
    // GPs: the raw ARS Normandie lines of those communes.
    let set: HashSet<&String> = communes.iter().collect();
    let (h, rows) = health_common::read_rows(
        &shared.join("directories/normandie-ars-2021/ps_liberaux_lignes_sans_noms.csv"),
        ',',
    );
    let gps = rows
        .iter()
        .filter(|r| {
            r[h["profession"]] == "medecin_generaliste" && set.contains(&r[h["code_commune"]])
        })
        .count() as u64;
    assert!(gps > 20, "{gps}");

    let dir = scratch(test);
    let (letter, budget) = (dir.join("lettre.docx"), dir.join("budget.xlsx"));
    let codes = communes.join(",");
    let output = cpts_atlas(&[
        "dossier",
        "--communes",
        &codes,
        "--missions",
        "quality_relevance,professional_support",
        // The ACI 2019 grid: the one whose published totals the test checks (242 000 € for a
        // taille 2 with both optional missions); avenant 2's other amounts are not known here.
        "--grid",
        "aci-2019",
        "--output",
        letter.to_str().unwrap(),
        "--budget",
        budget.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = read_back(&python, &[&letter, &budget]);

    // The lettre.
    let doc = &read["docx"];
    let text: String = doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_string() + "\n")
        .collect();
    assert!(
        text.contains(&format!("{} habitants", fr(population))),
        "population {population} not in the lettre:\n{text}"
    );
    assert!(text.contains("taille 2"), "{text}");
    assert!(
        text.contains(&format!("{} €", fr(envelope)))
            || table_has(doc, &format!("{} €", fr(envelope))),
        "envelope"
    );
    let headings: Vec<&str> = doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["style"].as_str().unwrap().starts_with("Heading"))
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    for title in [
        "1. Le territoire",
        "2. Les besoins identifiés",
        "3. Les professionnels",
        "4. Le projet de santé",
        "6. Budget prévisionnel",
        "7. Sources et millésimes",
    ] {
        assert!(
            headings.iter().any(|h| h.starts_with(title)),
            "{title} in {headings:?}"
        );
    }
    // The professionals' table: the GP row counts the raw lines.
    let gp_row = row_starting(doc, "Médecins généralistes").expect("a GP row");
    assert_eq!(gp_row[1], gps.to_string(), "{gp_row:?}");
    // Every member is listed with its legal population.
    let bayeux = row_starting(doc, "14047").expect("Bayeux's row");
    assert_eq!(bayeux[2], fr(populations["14047"].0));
    // The parts to write are highlighted.
    let highlighted = doc["highlighted"].as_array().unwrap();
    assert!(highlighted.len() >= 10, "{highlighted:?}");
    assert!(highlighted
        .iter()
        .all(|h| h.as_str().unwrap().contains("[À compléter")
            || h.as_str().unwrap().contains("surlignés")));
    // The map: one PNG picture, 15 cm wide.
    assert_eq!(doc["images"], serde_json::json!(["image/png"]));
    assert_eq!(doc["pictures"][0]["width_emu"], 15 * 360_000);
    // Sources and vintages: the COG and the ARS Normandie directory are named.
    let sources = table_text(doc);
    assert!(sources.contains("INSEE populations légales"), "{sources}");
    assert!(sources.contains("2021"), "{sources}");

    // The budget: receipts by mission, totals and balance by formula, values cached.
    let sheet = &read["xlsx"]["sheets"]["Budget prévisionnel"];
    let cells = sheet.as_object().unwrap();
    let (label, _) = cells
        .iter()
        .find(|(_, c)| {
            c["value"]
                .as_str()
                .is_some_and(|v| v.starts_with("Total des recettes"))
        })
        .expect("a receipts total row");
    let row: u32 = label[1..].parse().unwrap();
    let total = &sheet[format!("D{row}")];
    assert_eq!(total["value"], format!("=SUM(D7:D{})", row - 1));
    assert_eq!(total["cached"].as_f64(), Some(envelope as f64));
    // Each mission's total is its fixed plus variable part, by formula.
    let mut sum = 0.0;
    for r in 7..row {
        let cell = &sheet[format!("D{r}")];
        assert_eq!(cell["value"], format!("=B{r}+C{r}"));
        let fixed = sheet[format!("B{r}")]["value"].as_f64().unwrap();
        let variable = sheet[format!("C{r}")]["value"].as_f64().unwrap();
        assert_eq!(cell["cached"].as_f64(), Some(fixed + variable));
        sum += fixed + variable;
    }
    assert_eq!(sum, envelope as f64);
    assert_eq!(row - 7, 6, "socle (4) and the two optional missions");
    let find = |prefix: &str| {
        cells
            .iter()
            .find(|(_, c)| c["value"].as_str().is_some_and(|v| v.starts_with(prefix)))
            .map(|(k, _)| k[1..].parse::<u32>().unwrap())
            .unwrap_or_else(|| panic!("{prefix}"))
    };
    let charges = find("Total des charges");
    let first_charge = find("Coordination");
    assert_eq!(
        sheet[format!("D{charges}")]["value"],
        format!("=SUM(D{first_charge}:D{})", charges - 1)
    );
    let balance = find("Solde");
    assert_eq!(
        sheet[format!("D{balance}")]["value"],
        format!("=D{row}-D{charges}")
    );
    assert_eq!(
        sheet[format!("D{balance}")]["cached"].as_f64(),
        Some(envelope as f64)
    );
    let sources = &read["xlsx"]["sheets"]["Sources"];
    assert!(sources.to_string().contains("INSEE populations légales"));
    std::fs::remove_dir_all(dir).ok();
}

fn tables(doc: &Value) -> impl Iterator<Item = Vec<String>> + '_ {
    doc["tables"].as_array().unwrap().iter().flat_map(|t| {
        t.as_array().unwrap().iter().map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect()
        })
    })
}

fn row_starting(doc: &Value, first: &str) -> Option<Vec<String>> {
    tables(doc).find(|row| row.first().is_some_and(|c| c == first))
}

fn table_has(doc: &Value, text: &str) -> bool {
    tables(doc).any(|row| row.iter().any(|c| c.contains(text)))
}

fn table_text(doc: &Value) -> String {
    tables(doc).map(|row| row.join(" | ") + "\n").collect()
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let dir = scratch("dossier_bad_input");
    let letter = dir.join("lettre.docx");
    let output = cpts_atlas(&["dossier", "--communes", "14047"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--output"));
    let output = cpts_atlas(&[
        "dossier",
        "--communes",
        "14047,99999",
        "--output",
        letter.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("99999"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = cpts_atlas(&[
        "dossier",
        "--communes",
        "14047",
        "--missions",
        "teleportation",
        "--output",
        letter.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("teleportation"));
    assert!(!letter.exists());
    std::fs::remove_dir_all(dir).ok();
}
