//! `word/document.xml` to a flat list of blocks in reading order.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::inline::{Emphasis, Rich};
use super::styles::{NumRef, Numbering, Styles};
use super::xml::{attr, reference};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Heading {
        depth: usize,
        number: Option<String>,
        title: String,
    },
    /// Text with its bold and italic; `\n` marks a line break inside the paragraph.
    Paragraph(Rich),
    /// A list item: nesting level from 0, and its number if the list is ordered.
    Item {
        level: usize,
        ordered: Option<u32>,
        text: Rich,
    },
    /// Rows of plain cell texts, the first row being the header.
    Table(Vec<Vec<String>>),
}

#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    outline: Option<usize>,
    num: Option<NumRef>,
    text: Rich,
}

/// A paragraph's place in a Word list.
struct Counted {
    level: usize,
    bullet: bool,
    /// The number as Word shows it, such as "3.1.".
    label: String,
    counter: u32,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    /// Grid columns the current cell spans (`w:gridSpan`), applied at its end.
    span: usize,
}

/// Subtrees whose text is not part of the visible document: deleted or
/// moved-away text, field instructions, the fallback copy of drawings, and
/// the old formatting of tracked changes.
const SKIPPED: &[&[u8]] = &[
    b"Fallback",
    b"del",
    b"delText",
    b"moveFrom",
    b"instrText",
    b"sdtPr",
    b"pPrChange",
    b"rPrChange",
    b"tblPrChange",
];

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    paragraphs: Vec<Paragraph>,
    tables: Vec<Table>,
    skip: usize,
    in_properties: bool,
    in_text: bool,
    /// Inside a run (`w:r`): its bold and italic, read from its `w:rPr`.
    run: Option<Emphasis>,
    in_run_properties: bool,
}

pub(crate) fn read(
    xml: &str,
    styles: &Styles,
    numbering: &mut Numbering,
) -> Result<Vec<Block>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut walker = Walker::default();
    loop {
        let event = reader.read_event()?;
        if walker.skip > 0 {
            match event {
                Event::Start(_) => walker.skip += 1,
                Event::End(_) => walker.skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Eof => break,
            Event::Start(e) => walker.start(&e),
            Event::Empty(e) => walker.empty(&e),
            Event::End(e) => walker.end(e.local_name().as_ref(), styles, numbering),
            Event::Text(text) if walker.in_text => {
                let text = text.xml10_content().map_err(quick_xml::Error::from)?;
                walker.push_text(&text);
            }
            Event::GeneralRef(r) if walker.in_text => {
                if let Some(text) = reference(&r) {
                    walker.push_text(&text);
                }
            }
            _ => {}
        }
    }
    Ok(walker.blocks)
}

impl Walker {
    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.local_name();
        let name = name.as_ref();
        if SKIPPED.contains(&name) {
            self.skip = 1;
            return;
        }
        match name {
            b"p" => self.paragraphs.push(Paragraph::default()),
            b"pPr" => self.in_properties = true,
            b"r" => self.run = Some(Emphasis::default()),
            b"rPr" => self.in_run_properties = self.run.is_some() && !self.in_properties,
            b"t" => self.in_text = true,
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.rows.push(Vec::new());
                }
            }
            b"tc" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            _ => self.empty(e),
        }
    }

    fn empty(&mut self, e: &BytesStart<'_>) {
        let name = e.local_name();
        let value = || attr(e, b"val").unwrap_or_default();
        let in_properties = self.in_properties;
        if self.in_run_properties
            && let Some(run) = self.run.as_mut()
        {
            // `<w:b/>` is on; `w:val="0"` (or false, off) turns off what a style set.
            let on = || !matches!(value().as_str(), "0" | "false" | "off");
            match name.as_ref() {
                b"b" => run.bold = on(),
                b"i" => run.italic = on(),
                _ => {}
            }
            return;
        }
        let Some(paragraph) = self.paragraphs.last_mut() else {
            if let (b"gridSpan", Some(table)) = (name.as_ref(), self.tables.last_mut()) {
                table.span = value().parse().unwrap_or(1);
            }
            return;
        };
        match name.as_ref() {
            b"pStyle" if in_properties => paragraph.style = Some(value()),
            b"outlineLvl" if in_properties => paragraph.outline = value().parse().ok(),
            b"numId" if in_properties => {
                paragraph.num.get_or_insert_with(NumRef::default).num_id = value()
            }
            b"ilvl" if in_properties => {
                paragraph.num.get_or_insert_with(NumRef::default).level =
                    value().parse().unwrap_or(0)
            }
            // In properties, `w:tab` is a tab stop, not a tab character.
            b"tab" | b"ptab" if !in_properties => paragraph.text.push("\t", Emphasis::default()),
            b"br" | b"cr" if !in_properties => paragraph.text.push("\n", Emphasis::default()),
            b"noBreakHyphen" => paragraph.text.push("-", self.run.unwrap_or_default()),
            _ => {}
        }
    }

    /// A cell spanning several grid columns gets empty cells after it, so
    /// that the Markdown table keeps its columns aligned.
    fn end_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            let padding = table.span.clamp(1, 64) - 1;
            table.span = 1;
            if let Some(row) = table.rows.last_mut() {
                row.extend(std::iter::repeat_n(String::new(), padding));
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        let emphasis = self.run.unwrap_or_default();
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.text.push(text, emphasis);
        }
    }

    fn end(&mut self, name: &[u8], styles: &Styles, numbering: &mut Numbering) {
        match name {
            b"t" => self.in_text = false,
            b"pPr" => self.in_properties = false,
            b"r" => self.run = None,
            b"rPr" => self.in_run_properties = false,
            b"p" => {
                if let Some(paragraph) = self.paragraphs.pop() {
                    self.finish_paragraph(paragraph, styles, numbering);
                }
            }
            b"tc" => self.end_cell(),
            b"tbl" => {
                if let Some(table) = self.tables.pop() {
                    self.finish_table(table);
                }
            }
            _ => {}
        }
    }

    fn finish_paragraph(
        &mut self,
        paragraph: Paragraph,
        styles: &Styles,
        numbering: &mut Numbering,
    ) {
        let rich = paragraph.text;
        let text = rich.plain().trim().to_string();
        // Inside a table, paragraphs are lines of the current cell.
        if let Some(cell) = self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
            return;
        }
        let style = paragraph.style.as_deref().unwrap_or("Normal");
        if styles.is_toc(style) {
            return;
        }
        let heading = match paragraph.outline {
            Some(outline) => (outline < 9).then_some(outline + 1),
            None => styles.heading_level(style),
        };
        let num = paragraph.num.or_else(|| styles.numbering(style));
        let list = num.filter(|n| numbering.level(n).is_some_and(|l| l.format != "none"));
        // Count even an empty paragraph: Word numbers it too.
        let counted = list.as_ref().and_then(|n| {
            let bullet = numbering.level(n).is_some_and(|l| l.is_bullet());
            let (label, counter) = numbering.advance(n)?;
            Some(Counted {
                level: n.level,
                bullet,
                label,
                counter,
            })
        });
        if text.is_empty() {
            return;
        }
        let block = match (heading, counted) {
            (Some(depth), counted) => Block::Heading {
                depth,
                number: counted
                    .filter(|c| !c.bullet)
                    .map(|c| c.label.trim().trim_end_matches(['.', ')']).to_string()),
                title: text,
            },
            (None, Some(c)) => Block::Item {
                level: c.level,
                ordered: (!c.bullet).then_some(c.counter),
                text: rich,
            },
            (None, None) => Block::Paragraph(rich),
        };
        self.blocks.push(block);
    }

    fn finish_table(&mut self, table: Table) {
        // A table inside a table cell is flattened into that cell's text.
        if let Some(cell) = self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            for text in table.rows.iter().flatten().filter(|t| !t.is_empty()) {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text);
            }
            return;
        }
        let rows: Vec<Vec<String>> = table.rows.into_iter().filter(|r| !r.is_empty()).collect();
        if rows.iter().flatten().any(|cell| !cell.is_empty()) {
            self.blocks.push(Block::Table(rows));
        }
    }
}
