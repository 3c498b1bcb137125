//! The lettre's sections as a DOCX (docx-rs): A4, headings with Word's built-in style names,
//! bordered tables, the parts to write highlighted in yellow, the map as an inline PNG.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run as DocxRun, RunFonts,
    Shading, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::document::{Block, Run, Section};
use super::DossierError;

/// EMU (English Metric Units) per centimetre.
const EMU_PER_CM: f64 = 360_000.0;
/// Body text size, half-points.
const BODY_SIZE: usize = 21;
/// Page margins (2 cm) and the text width of an A4 page between them, twips.
const MARGIN_TWIPS: i32 = 1134;
const TEXT_WIDTH_TWIPS: usize = 11_906 - 2 * MARGIN_TWIPS as usize;

/// Writes the sections, titled `title` in the document properties.
pub fn write(title: &str, sections: &[Section]) -> Result<Vec<u8>, DossierError> {
    let mut doc = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .cs("Calibri"),
        )
        .default_size(BODY_SIZE)
        .default_line_spacing(LineSpacing::new().after(100))
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TWIPS)
                .bottom(MARGIN_TWIPS)
                .left(MARGIN_TWIPS)
                .right(MARGIN_TWIPS),
        )
        .custom_property("title", title);
    for (level, size) in [(1, 32), (2, 26), (3, 23)] {
        doc = doc.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .color("1F3864")
                .line_spacing(LineSpacing::new().before(200).after(100))
                .outline_lvl(level - 1),
        );
    }
    doc = doc.add_style(
        Style::new("SourceNote", StyleType::Paragraph)
            .name("Source Note")
            .based_on("Normal")
            .size(16)
            .italic()
            .color("595959"),
    );
    for (i, section) in sections.iter().enumerate() {
        let level = if i == 0 { 1 } else { 2 };
        doc = doc.add_paragraph(
            Paragraph::new()
                .style(&format!("Heading{level}"))
                .add_run(DocxRun::new().add_text(&section.title)),
        );
        for block in &section.blocks {
            doc = add_block(doc, block);
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| DossierError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn add_block(doc: Docx, block: &Block) -> Docx {
    match block {
        Block::Heading(level, text) => doc.add_paragraph(
            Paragraph::new()
                .style(&format!("Heading{}", (*level).clamp(1, 3)))
                .add_run(DocxRun::new().add_text(text)),
        ),
        Block::Paragraph(runs) => doc.add_paragraph(runs_paragraph(runs)),
        Block::Bullet(runs) => {
            let mut p = Paragraph::new().add_run(DocxRun::new().add_text("•\u{a0}"));
            p = runs.iter().fold(p, |p, r| p.add_run(docx_run(r)));
            doc.add_paragraph(p)
        }
        Block::Table { header, rows } => doc.add_table(table(header, rows)),
        Block::Picture {
            png,
            width_px,
            height_px,
            width_cm,
            caption,
        } => {
            let w = (width_cm * EMU_PER_CM) as u32;
            let h = (f64::from(w) * f64::from(*height_px) / f64::from(*width_px)) as u32;
            let pic = Pic::new_with_dimensions(png.clone(), *width_px, *height_px).size(w, h);
            doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(DocxRun::new().add_image(pic)),
            )
            .add_paragraph(
                Paragraph::new()
                    .style("SourceNote")
                    .align(AlignmentType::Center)
                    .add_run(DocxRun::new().add_text(caption)),
            )
        }
        Block::SourceNote(text) => doc.add_paragraph(
            Paragraph::new()
                .style("SourceNote")
                .add_run(DocxRun::new().add_text(text)),
        ),
    }
}

fn runs_paragraph(runs: &[Run]) -> Paragraph {
    runs.iter()
        .fold(Paragraph::new(), |p, r| p.add_run(docx_run(r)))
}

fn docx_run(run: &Run) -> DocxRun {
    match run {
        Run::Text(s) => DocxRun::new().add_text(s),
        Run::Bold(s) => DocxRun::new().add_text(s).bold(),
        Run::ToComplete(s) => DocxRun::new().add_text(s).highlight("yellow").italic(),
    }
}

/// Column widths in twips, in proportion to the columns' text: the mean length of their
/// cells, at least their longest word (up to 20) and 8, at most 45 characters.
fn column_widths(header: &[String], rows: &[Vec<Vec<Run>>]) -> Vec<usize> {
    let texts = |col: usize| {
        rows.iter().map(move |row| {
            row.get(col).map_or(String::new(), |runs| {
                runs.iter()
                    .map(|r| match r {
                        Run::Text(s) | Run::Bold(s) | Run::ToComplete(s) => s.as_str(),
                    })
                    .collect::<String>()
            })
        })
    };
    let weights: Vec<f64> = (0..header.len())
        .map(|col| {
            let longest_word = texts(col)
                .chain([header[col].clone()])
                .flat_map(|t| {
                    t.split_whitespace()
                        .map(|w| w.chars().count())
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(1);
            let mean = texts(col).map(|t| t.chars().count()).sum::<usize>() as f64
                / rows.len().max(1) as f64;
            mean.clamp(longest_word.min(20) as f64, 45.0).max(8.0)
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| (w / sum * TEXT_WIDTH_TWIPS as f64) as usize)
        .collect()
}

fn table(header: &[String], rows: &[Vec<Vec<Run>>]) -> Table {
    let widths = column_widths(header, rows);
    let head = TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, &w)| {
                TableCell::new()
                    .width(w, WidthType::Dxa)
                    .shading(Shading::new().fill("D9E2F3"))
                    .add_paragraph(
                        Paragraph::new()
                            .size(18)
                            .add_run(DocxRun::new().add_text(h).bold().size(18)),
                    )
            })
            .collect(),
    );
    let body = rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(&widths)
                .map(|(runs, &w)| {
                    let p = runs
                        .iter()
                        .fold(Paragraph::new(), |p, r| p.add_run(docx_run(r).size(18)));
                    TableCell::new().width(w, WidthType::Dxa).add_paragraph(p)
                })
                .collect(),
        )
    });
    Table::new(std::iter::once(head).chain(body).collect())
        .set_grid(widths.clone())
        .width(TEXT_WIDTH_TWIPS, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}
