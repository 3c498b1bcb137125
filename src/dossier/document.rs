//! A neutral model of the lettre d'intention (headings, paragraphs, tables, a picture), written
//! to DOCX by `docx.rs` and read by the tests without a DOCX reader.

/// A piece of text: plain, bold, or a part left for the porteurs to write (highlighted).
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    /// Plain text.
    Text(String),
    /// Bold text.
    Bold(String),
    /// « [À compléter par les porteurs : ...] », highlighted in the document.
    ToComplete(String),
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading: its level (1 the highest, 3 the lowest DOCX style) and its text.
    Heading(u8, String),
    /// A paragraph of runs.
    Paragraph(Vec<Run>),
    /// A bulleted item.
    Bullet(Vec<Run>),
    /// A table: header row, then rows of cells (each cell a list of runs).
    Table {
        /// Header cells.
        header: Vec<String>,
        /// Rows, each a list of cells, each cell a list of runs.
        rows: Vec<Vec<Vec<Run>>>,
    },
    /// A PNG picture shown `width_cm` wide, with its caption.
    Picture {
        /// The PNG bytes.
        png: Vec<u8>,
        /// Width of the picture, pixels.
        width_px: u32,
        /// Height of the picture, pixels.
        height_px: u32,
        /// Width shown in the document, cm.
        width_cm: f64,
        /// Caption below the picture (French).
        caption: String,
    },
    /// A smaller line naming where the figures above come from.
    SourceNote(String),
}

/// A titled section of the lettre.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Title of the section (French).
    pub title: String,
    /// Its blocks, in order.
    pub blocks: Vec<Block>,
}

/// Shorthands for building blocks.
pub fn text(s: impl Into<String>) -> Run {
    Run::Text(s.into())
}

pub fn bold(s: impl Into<String>) -> Run {
    Run::Bold(s.into())
}

/// A part left for the porteurs: `what` says what to write.
pub fn to_complete(what: impl Into<String>) -> Run {
    Run::ToComplete(format!("[À compléter par les porteurs : {}]", what.into()))
}

pub fn paragraph(runs: Vec<Run>) -> Block {
    Block::Paragraph(runs)
}

/// A one-cell row value.
pub fn cell(s: impl Into<String>) -> Vec<Run> {
    vec![text(s)]
}

impl Section {
    /// An empty section titled `title`.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// Appends a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Every text of the section, for tests and searches.
    pub fn plain_text(&self) -> String {
        let mut out = self.title.clone();
        let runs = |out: &mut String, runs: &[Run]| {
            for r in runs {
                out.push(' ');
                out.push_str(match r {
                    Run::Text(s) | Run::Bold(s) | Run::ToComplete(s) => s,
                });
            }
        };
        for b in &self.blocks {
            match b {
                Block::Heading(_, s) | Block::SourceNote(s) => {
                    out.push(' ');
                    out.push_str(s);
                }
                Block::Paragraph(r) | Block::Bullet(r) => runs(&mut out, r),
                Block::Table { header, rows } => {
                    out.push(' ');
                    out.push_str(&header.join(" "));
                    rows.iter().flatten().for_each(|c| runs(&mut out, c));
                }
                Block::Picture { caption, .. } => {
                    out.push(' ');
                    out.push_str(caption);
                }
            }
        }
        out
    }
}
