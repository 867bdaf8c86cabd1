//! Markdown import: ATX and setext headings split the text; each body is
//! the Markdown source between two headings, kept as written.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::Imported;
use crate::outline::{self, Part};

struct Heading {
    depth: usize,
    title: String,
    range: Range<usize>,
}

pub(crate) fn import(text: &str) -> Imported {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (headings, content_start) = headings(text);
    let first = headings.first().map_or(text.len(), |h| h.range.start);
    let preamble = body(&text[content_start.min(first)..first]);
    let parts = headings
        .iter()
        .enumerate()
        .map(|(k, heading)| {
            let end = headings
                .get(k + 1)
                .map_or(text.len(), |next| next.range.start);
            Part {
                depth: heading.depth,
                number: None,
                title: heading.title.clone(),
                body: body(&text[heading.range.end.min(end)..end]),
            }
        })
        .collect();
    outline::assemble(preamble, parts)
}

/// Top-level headings (not those quoted or inside list items) with their
/// source ranges, and where the content starts after any YAML front matter.
fn headings(text: &str) -> (Vec<Heading>, usize) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut headings = Vec::new();
    let mut content_start = 0;
    let mut containers = 0usize;
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => {
                containers += 1
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1);
            }
            Event::End(TagEnd::MetadataBlock(_)) => content_start = range.end,
            Event::Start(Tag::Heading { level, .. }) if containers == 0 => {
                current = Some(Heading {
                    depth: level as usize,
                    title: String::new(),
                    range,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = current.as_mut() {
                    heading.title.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(heading) = current.as_mut() {
                    heading.title.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            _ => {}
        }
    }
    (headings, content_start)
}

/// The source between two headings without its surrounding blank lines.
/// Leading spaces of the first line stay: they may start a code block.
fn body(source: &str) -> String {
    let mut rest = source.trim_end();
    while let Some((line, after)) = rest.split_once('\n') {
        if !line.trim().is_empty() {
            break;
        }
        rest = after;
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_drops_surrounding_blank_lines_only() {
        assert_eq!(body("\n  \n    code\ntext\n\n"), "    code\ntext");
        assert_eq!(body("text\n"), "text");
        assert_eq!(body(" \n"), "");
    }
}
