//! The budget prévisionnel as an XLSX workbook (rust_xlsxwriter): receipts by mission, charges
//! to fill in (yellow cells), totals and the balance computed by formula — with their values
//! cached, so readers that do not recalculate still show them.

use rust_xlsxwriter::{Color, Format, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use super::sections::budget::Budget;
use super::{fr_number, DossierError, DossierInput};

const EUROS: &str = "#,##0 \"€\"";
/// First row (0-based) of the receipts table's header.
const RECEIPTS_HEADER: u32 = 5;

/// Writes the workbook: sheet « Budget prévisionnel », then « Sources ».
pub fn write(budget: &Budget, input: &DossierInput) -> Result<Vec<u8>, DossierError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Budget prévisionnel")?;
    budget_sheet(sheet, budget, input)?;
    let sources = book.add_worksheet();
    sources.set_name("Sources")?;
    sources_sheet(sources, input)?;
    Ok(book.save_to_buffer()?)
}

/// A1-style reference of a 0-based cell.
fn cell_ref(row: u32, col: u16) -> String {
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

fn budget_sheet(
    sheet: &mut Worksheet,
    budget: &Budget,
    input: &DossierInput,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E2F3))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let money = Format::new()
        .set_num_format(EUROS)
        .set_border(FormatBorder::Thin);
    let money_bold = money.clone().set_bold();
    let text = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let input_cell = money.clone().set_background_color(Color::RGB(0xFFF2CC));
    sheet.set_column_width(0, 46)?;
    sheet.set_column_width(1, 18)?;
    sheet.set_column_width(2, 22)?;
    sheet.set_column_width(3, 18)?;

    let d = input.diagnosis;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "Budget prévisionnel annuel — CPTS « {} »",
            input.territory_name()
        ),
        &title,
    )?;
    sheet.write_string(
        1,
        0,
        format!(
            "Population : {} hab. ; {} ; grille : {}",
            fr_number(d.population as f64, 0),
            budget.tier,
            budget.grid
        ),
    )?;
    sheet.write_string(
        2,
        0,
        format!(
            "Établi le {} par cpts-atlas. Cellules jaunes : à compléter par les porteurs ; \
             totaux et solde calculés par formule.",
            input.date_fr()
        ),
    )?;
    sheet.write_string(
        3,
        0,
        "Population : populations légales INSEE (voir la feuille Sources).",
    )?;

    let r = RECEIPTS_HEADER;
    for (col, h) in [
        "Recettes : financement ACI maximal",
        "Part fixe",
        "Part variable (max.)",
        "Total",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(r, col as u16, *h, &header)?;
    }
    let first = r + 1;
    for (i, line) in budget.receipts.iter().enumerate() {
        let row = first + i as u32;
        let label = if line.mandatory {
            line.label.clone()
        } else {
            format!("{} (optionnelle)", line.label)
        };
        sheet.write_string_with_format(row, 0, label, &text)?;
        for (col, amount) in [(1, line.fixed), (2, line.variable)] {
            match amount {
                Some(v) => sheet.write_number_with_format(row, col, v, &money)?,
                None => sheet.write_string_with_format(row, col, "non disponible", &text)?,
            };
        }
        match line.total() {
            Some(total) => sheet.write_formula_with_format(
                row,
                3,
                Formula::new(format!("={}+{}", cell_ref(row, 1), cell_ref(row, 2)))
                    .set_result(total.to_string()),
                &money,
            )?,
            None => sheet.write_string_with_format(row, 3, "non disponible", &text)?,
        };
    }
    let last = first + budget.receipts.len() as u32 - 1;
    let receipts_total = last + 1;
    let (fixed, variable, total) = budget.totals();
    sheet.write_string_with_format(
        receipts_total,
        0,
        if budget.incomplete() {
            "Total des recettes ACI (au moins : montants non disponibles)"
        } else {
            "Total des recettes ACI"
        },
        &header,
    )?;
    for (col, value) in [(1u16, fixed), (2, variable), (3, total)] {
        sheet.write_formula_with_format(
            receipts_total,
            col,
            Formula::new(format!(
                "=SUM({}:{})",
                cell_ref(first, col),
                cell_ref(last, col)
            ))
            .set_result(value.to_string()),
            &money_bold,
        )?;
    }

    let ch = receipts_total + 2;
    for (col, h) in ["Charges", "Contenu", "", "Montant annuel"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(ch, col as u16, *h, &header)?;
    }
    let first_charge = ch + 1;
    for (i, (label, what)) in budget.charges.iter().enumerate() {
        let row = first_charge + i as u32;
        sheet.write_string_with_format(row, 0, *label, &text)?;
        sheet.merge_range(row, 1, row, 2, what, &text)?;
        sheet.write_blank(row, 3, &input_cell)?;
    }
    let last_charge = first_charge + budget.charges.len() as u32 - 1;
    let charges_total = last_charge + 1;
    sheet.write_string_with_format(charges_total, 0, "Total des charges", &header)?;
    sheet.write_formula_with_format(
        charges_total,
        3,
        Formula::new(format!(
            "=SUM({}:{})",
            cell_ref(first_charge, 3),
            cell_ref(last_charge, 3)
        ))
        .set_result("0"),
        &money_bold,
    )?;
    let balance = charges_total + 2;
    sheet.write_string_with_format(balance, 0, "Solde (recettes ACI − charges)", &bold)?;
    sheet.write_formula_with_format(
        balance,
        3,
        Formula::new(format!(
            "={}-{}",
            cell_ref(receipts_total, 3),
            cell_ref(charges_total, 3)
        ))
        .set_result(total.to_string()),
        &money_bold,
    )?;
    sheet.write_string(
        balance + 2,
        0,
        "La part variable n'est versée qu'à l'atteinte des indicateurs du contrat ; les \
         subventions FIR de démarrage s'ajoutent aux recettes (ligne à ajouter).",
    )?;
    Ok(())
}

fn sources_sheet(sheet: &mut Worksheet, input: &DossierInput) -> Result<(), XlsxError> {
    let header = Format::new().set_bold();
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 120)?;
    sheet.write_string_with_format(0, 0, "Donnée", &header)?;
    sheet.write_string_with_format(0, 1, "Source et millésime", &header)?;
    for (i, s) in input.diagnosis.sources.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, &s.indicator)?;
        sheet.write_string(i as u32 + 1, 1, &s.source)?;
    }
    Ok(())
}
