//! `word/styles.xml` and `word/numbering.xml`: which paragraph styles are
//! headings or lists, and how Word numbers list and heading paragraphs.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::attr;

/// A paragraph's list membership: `w:numId` and `w:ilvl`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct NumRef {
    pub num_id: String,
    pub level: usize,
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<usize>,
    num: Option<NumRef>,
}

#[derive(Debug, Default)]
pub(crate) struct Styles {
    styles: HashMap<String, Style>,
}

/// basedOn chains are short; the bound only guards against loops.
const MAX_CHAIN: usize = 16;

impl Styles {
    pub fn parse(xml: &str) -> Result<Styles, quick_xml::Error> {
        let mut styles = HashMap::new();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        loop {
            match reader.read_event()? {
                Event::Eof => break,
                Event::Start(e) if e.local_name().as_ref() == b"style" => {
                    current = attr(&e, b"styleId").map(|id| (id, Style::default()));
                }
                Event::End(e) if e.local_name().as_ref() == b"style" => {
                    if let Some((id, style)) = current.take() {
                        styles.insert(id, style);
                    }
                }
                Event::Start(e) | Event::Empty(e) => {
                    let Some((_, style)) = current.as_mut() else {
                        continue;
                    };
                    let value = || attr(&e, b"val").unwrap_or_default();
                    match e.local_name().as_ref() {
                        b"name" => style.name = value(),
                        b"basedOn" => style.based_on = Some(value()),
                        b"outlineLvl" => style.outline = value().parse().ok(),
                        b"numId" => style.num.get_or_insert_with(NumRef::default).num_id = value(),
                        b"ilvl" => {
                            style.num.get_or_insert_with(NumRef::default).level =
                                value().parse().unwrap_or(0)
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(Styles { styles })
    }

    fn chain<'a>(&'a self, style_id: &'a str) -> impl Iterator<Item = (&'a str, &'a Style)> + 'a {
        let mut next = Some(style_id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.styles.get(id)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
        .take(MAX_CHAIN)
    }

    /// Heading level 1–9 from the style's outline level or its name
    /// ("heading 2" is Word's built-in name in every language; the style id
    /// is localised, as "Overskrift2").
    pub fn heading_level(&self, style_id: &str) -> Option<usize> {
        for (id, style) in self.chain(style_id) {
            if let Some(outline) = style.outline {
                return (outline < 9).then_some(outline + 1);
            }
            let name = style.name.to_lowercase();
            let level = ["heading ", "overskrift "]
                .iter()
                .find_map(|prefix| name.strip_prefix(prefix))
                .or_else(|| {
                    ["Heading", "Overskrift"]
                        .iter()
                        .find_map(|prefix| id.strip_prefix(prefix))
                })
                .and_then(|n| n.trim().parse::<usize>().ok());
            if let Some(level) = level.filter(|l| (1..=9).contains(l)) {
                return Some(level);
            }
        }
        None
    }

    /// Table-of-contents entries ("toc 1") and its title ("TOC Heading").
    pub fn is_toc(&self, style_id: &str) -> bool {
        style_id.to_lowercase().starts_with("toc")
            || self
                .chain(style_id)
                .any(|(_, s)| s.name.to_lowercase().starts_with("toc"))
    }

    /// List numbering that the style gives its paragraphs ("List Bullet").
    pub fn numbering(&self, style_id: &str) -> Option<NumRef> {
        self.chain(style_id).find_map(|(_, s)| s.num.clone())
    }
}

/// One level of a list definition (`w:lvl`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub format: String,
    pub text: String,
    pub start: u32,
}

impl Level {
    pub fn is_bullet(&self) -> bool {
        self.format == "bullet"
    }
}

const LEVELS: usize = 9;

#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// `w:num` id → `w:abstractNum` id.
    nums: HashMap<String, String>,
    abstracts: HashMap<String, Vec<Level>>,
    /// Word counts per list definition, so separate `w:num`s of one
    /// definition continue each other's numbers.
    counters: HashMap<String, [u32; LEVELS]>,
}

impl Numbering {
    pub fn parse(xml: &str) -> Result<Numbering, quick_xml::Error> {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<usize> = None;
        loop {
            match reader.read_event()? {
                Event::Eof => break,
                Event::End(e) => match e.local_name().as_ref() {
                    b"abstractNum" => abstract_id = None,
                    b"num" => num_id = None,
                    b"lvl" => level = None,
                    _ => {}
                },
                Event::Start(e) | Event::Empty(e) => {
                    let value = || attr(&e, b"val").unwrap_or_default();
                    match e.local_name().as_ref() {
                        b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
                        b"num" => num_id = attr(&e, b"numId"),
                        b"abstractNumId" => {
                            if let Some(num) = &num_id {
                                numbering.nums.insert(num.clone(), value());
                            }
                        }
                        b"lvl" => {
                            level = attr(&e, b"ilvl")
                                .and_then(|l| l.parse().ok())
                                .filter(|&l| l < LEVELS)
                        }
                        b"numFmt" | b"lvlText" | b"start" => {
                            let (Some(id), Some(l)) = (&abstract_id, level) else {
                                continue;
                            };
                            let levels = numbering
                                .abstracts
                                .entry(id.clone())
                                .or_insert_with(|| vec![Level::default(); LEVELS]);
                            match e.local_name().as_ref() {
                                b"numFmt" => levels[l].format = value(),
                                b"lvlText" => levels[l].text = value(),
                                _ => levels[l].start = value().parse().unwrap_or(1),
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(numbering)
    }

    /// The list level a paragraph belongs to; `None` for `w:numId="0"`
    /// (numbering switched off) or an unknown list.
    pub fn level(&self, num: &NumRef) -> Option<&Level> {
        let abstract_id = self.nums.get(&num.num_id)?;
        self.abstracts.get(abstract_id)?.get(num.level)
    }

    /// Counts one more paragraph of this list and returns its label as Word
    /// shows it ("3.1." for `%1.%2.`), or the counter alone for plain lists.
    pub fn advance(&mut self, num: &NumRef) -> Option<(String, u32)> {
        let abstract_id = self.nums.get(&num.num_id)?.clone();
        let levels = self.abstracts.get(&abstract_id)?;
        let level = num.level.min(LEVELS - 1);
        let counters = self.counters.entry(abstract_id).or_insert([0; LEVELS]);
        counters[level] = if counters[level] == 0 {
            levels[level].start.max(1)
        } else {
            counters[level] + 1
        };
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        let mut label = levels[level].text.clone();
        for (k, parent) in levels.iter().enumerate().take(level + 1) {
            let value = if counters[k] == 0 {
                parent.start.max(1)
            } else {
                counters[k]
            };
            label = label.replace(
                &format!("%{}", k + 1),
                &format_counter(value, &parent.format),
            );
        }
        Some((label, counters[level]))
    }
}

fn format_counter(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letter(n).to_lowercase(),
        "upperLetter" => letter(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

fn letter(n: u32) -> String {
    let n = n.max(1) - 1;
    let c = char::from(b'A' + u8::try_from(n % 26).unwrap_or(0));
    c.to_string()
        .repeat(usize::try_from(n / 26).unwrap_or(0) + 1)
}

fn roman(mut n: u32) -> String {
    const NUMERALS: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(value, numeral) in NUMERALS {
        while n >= value && out.len() < 32 {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counters() {
        assert_eq!(format_counter(3, "lowerLetter"), "c");
        assert_eq!(format_counter(28, "upperLetter"), "BB");
        assert_eq!(format_counter(14, "lowerRoman"), "xiv");
        assert_eq!(format_counter(7, "decimal"), "7");
    }

    #[test]
    fn finds_headings_through_based_on_chains() {
        let xml = r#"<w:styles xmlns:w="x">
          <w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="heading 2"/></w:style>
          <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mi overskrift"/><w:basedOn w:val="Overskrift2"/></w:style>
          <w:style w:type="paragraph" w:styleId="Kapittel"><w:name w:val="Kapittel"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
        </w:styles>"#;
        let styles = Styles::parse(xml).unwrap();
        assert_eq!(styles.heading_level("Mine"), Some(2));
        assert_eq!(styles.heading_level("Kapittel"), Some(1));
        assert_eq!(styles.heading_level("Loop"), None);
        assert_eq!(styles.heading_level("Normal"), None);
    }
}
