//! Paragraph text with the bold and italic of its runs, as Markdown.

use pulldown_cmark::{Event, Parser};

use crate::blocks;

/// Direct formatting of a run (`w:b`, `w:i`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Emphasis {
    pub bold: bool,
    pub italic: bool,
}

impl Emphasis {
    fn marker(self) -> &'static str {
        match (self.bold, self.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        }
    }
}

/// Text in pieces of one emphasis each; `\n` marks a line break.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rich {
    spans: Vec<(String, Emphasis)>,
}

impl Rich {
    pub fn push(&mut self, text: &str, emphasis: Emphasis) {
        match self.spans.last_mut() {
            Some((last, e)) if *e == emphasis => last.push_str(text),
            _ => self.spans.push((text.to_owned(), emphasis)),
        }
    }

    /// The text without formatting.
    pub fn plain(&self) -> String {
        self.spans.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// Markdown: each line with its whitespace collapsed and its markup escaped,
    /// bold as `**…**` and italic as `*…*`; lines joined by hard breaks.
    pub fn markdown(&self) -> String {
        let mut lines: Vec<Vec<(char, Emphasis)>> = vec![Vec::new()];
        for (text, emphasis) in &self.spans {
            for c in text.chars() {
                match c {
                    '\n' => lines.push(Vec::new()),
                    c => lines
                        .last_mut()
                        .into_iter()
                        .for_each(|l| l.push((c, *emphasis))),
                }
            }
        }
        lines
            .iter()
            .map(|line| render_line(line))
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\\\n")
    }
}

/// One line: whitespace collapsed and trimmed, markers tight around the words they
/// mark (CommonMark ignores `** text**`). A line whose markers would not read as
/// emphasis (`**2.**a`) is given without them, so no asterisk shows up as text.
fn render_line(chars: &[(char, Emphasis)]) -> String {
    let mut collapsed: Vec<(char, Emphasis)> = Vec::with_capacity(chars.len());
    for &(c, emphasis) in chars {
        if c.is_whitespace() {
            if collapsed.last().is_some_and(|&(p, _)| p != ' ') {
                collapsed.push((' ', Emphasis::default()));
            }
        } else {
            collapsed.push((c, emphasis));
        }
    }
    if collapsed.last().is_some_and(|&(c, _)| c == ' ') {
        collapsed.pop();
    }
    // A space between two words of the same emphasis belongs to it: "**to ord**".
    for i in 1..collapsed.len().saturating_sub(1) {
        if collapsed[i].0 == ' ' && collapsed[i - 1].1 == collapsed[i + 1].1 {
            collapsed[i].1 = collapsed[i - 1].1;
        }
    }
    let plain: String = collapsed.iter().map(|&(c, _)| c).collect();
    if collapsed.iter().all(|&(_, e)| e == Emphasis::default()) {
        return blocks::escape(&plain);
    }
    let mut out = String::new();
    let mut start = 0;
    while start < collapsed.len() {
        let emphasis = collapsed[start].1;
        let end = collapsed[start..]
            .iter()
            .position(|&(_, e)| e != emphasis)
            .map_or(collapsed.len(), |n| start + n);
        let text: String = collapsed[start..end].iter().map(|&(c, _)| c).collect();
        let escaped = if start == 0 && emphasis == Emphasis::default() {
            blocks::escape(&text)
        } else {
            blocks::escape_inline(&text)
        };
        let marker = emphasis.marker();
        out.push_str(marker);
        out.push_str(&escaped);
        out.push_str(marker);
        start = end;
    }
    if reads_as(&out, &plain) {
        out
    } else {
        blocks::escape(&plain)
    }
}

/// Whether Markdown shows exactly `plain` as its text (the markers became emphasis).
fn reads_as(markdown: &str, plain: &str) -> bool {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text == plain
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOLD: Emphasis = Emphasis {
        bold: true,
        italic: false,
    };
    const ITALIC: Emphasis = Emphasis {
        bold: false,
        italic: true,
    };

    fn rich(spans: &[(&str, Emphasis)]) -> Rich {
        let mut rich = Rich::default();
        for (text, emphasis) in spans {
            rich.push(text, *emphasis);
        }
        rich
    }

    #[test]
    fn markers_hug_the_words_they_mark() {
        let plain = Emphasis::default();
        assert_eq!(
            rich(&[("Fristen er ", plain), ("1. mars ", BOLD), ("i år.", plain)]).markdown(),
            "Fristen er **1. mars** i år."
        );
        assert_eq!(
            rich(&[("Sjå ", plain), (" heile ", ITALIC), ("livet", ITALIC)]).markdown(),
            "Sjå *heile livet*"
        );
        assert_eq!(
            rich(&[("plan", plain), ("legging", BOLD), ("\nNy *linje*", plain)]).markdown(),
            "plan**legging**\\\nNy \\*linje\\*"
        );
    }

    #[test]
    fn markers_that_would_show_as_text_are_left_out() {
        // "**2.**a" is no emphasis in CommonMark: the line keeps its text only.
        let plain = Emphasis::default();
        assert_eq!(rich(&[("2.", BOLD), ("a", plain)]).markdown(), "2.a");
    }
}
