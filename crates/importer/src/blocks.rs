//! Body lines of plain text to Markdown: paragraphs with their hard line
//! wraps and hyphenations joined, and bullets as (nested) Markdown lists.

/// Glyphs that PDF text uses as bullets; they may touch the text ("•Tekst").
const BULLET_GLYPHS: &str = "•◦▪▫■□●○◆◇►▶▸➢➤➔→✓✔✗✘·‣⁃∙";

fn is_bullet_glyph(c: char) -> bool {
    // Symbol and Wingdings fonts map their bullets to private-use code points.
    BULLET_GLYPHS.contains(c) || ('\u{F000}'..='\u{F0FF}').contains(&c)
}

/// Letters and dashes used as bullets only when a space follows ("o Tekst").
const WORD_MARKERS: &[char] = &['-', '–', '*', 'o'];

/// A bullet line: the marker (which tells the nesting level apart) and the
/// item text. A marker alone on its line gives an empty text.
pub(crate) fn bullet(line: &str) -> Option<(char, &str)> {
    let line = line.trim();
    let first = line.chars().next()?;
    let rest = &line[first.len_utf8()..];
    if is_bullet_glyph(first) {
        return Some((first, rest.trim_start()));
    }
    if WORD_MARKERS.contains(&first) && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return Some((first, rest.trim_start()));
    }
    None
}

enum Block {
    Paragraph(String),
    Item { depth: usize, text: String },
}

impl Block {
    fn text(&self) -> &str {
        match self {
            Block::Paragraph(text) | Block::Item { text, .. } => text,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Block::Paragraph(text) | Block::Item { text, .. } => text,
        }
    }
}

/// Deepest list nesting produced; PDF text rarely shows more.
const MAX_DEPTH: usize = 3;

/// Converts the body lines of one section to Markdown.
pub(crate) fn to_markdown<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let lines: Vec<&str> = lines.into_iter().map(str::trim).collect();
    let mut blocks: Vec<Block> = Vec::new();
    // Bullet markers of the current list, outermost first: a new kind of
    // marker opens a deeper level, a known one returns to its level.
    let mut markers: Vec<char> = Vec::new();
    let mut blank_before = false;
    let mut closed = false; // the last block is a short title line: nothing joins it
    for (i, &line) in lines.iter().enumerate() {
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        if let Some((marker, text)) = bullet(line) {
            let depth = match markers.iter().position(|&m| m == marker) {
                Some(i) => i + 1,
                None if markers.len() < MAX_DEPTH => {
                    markers.push(marker);
                    markers.len()
                }
                None => MAX_DEPTH,
            };
            markers.truncate(depth);
            blocks.push(Block::Item {
                depth,
                text: collapse_spaces(text),
            });
            closed = false;
        } else {
            let next = lines.get(i + 1).copied().unwrap_or_default();
            let title =
                is_title_line(line, next) && blocks.last().is_none_or(|b| ends_sentence(b.text()));
            let joins = !closed
                && !title
                && blocks
                    .last()
                    .is_some_and(|b| !blank_before || continues(b, line));
            match blocks.last_mut() {
                Some(last) if joins => join(last.text_mut(), line),
                _ => {
                    markers.clear();
                    blocks.push(Block::Paragraph(collapse_spaces(line)));
                }
            }
            closed = title;
        }
        blank_before = false;
    }
    render(&blocks)
}

/// A short line without closing punctuation between two sentences, such as
/// an unnumbered sub-heading ("Aktuelle tema for kommunedelplanen"): it is
/// kept as its own paragraph instead of being joined as a line wrap.
fn is_title_line(line: &str, next: &str) -> bool {
    const MAX_WORDS: usize = 8;
    line.split_whitespace().count() <= MAX_WORDS
        && !line.ends_with(['.', ',', ';', ':', '!', '?', '-', '–'])
        && line.chars().next().is_some_and(char::is_uppercase)
        && (next.is_empty() || next.chars().next().is_some_and(char::is_uppercase))
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':'])
}

/// After a blank line, text still continues the block above when that block
/// stopped mid-sentence and the text goes on in lower case: page breaks and
/// PDF extraction put blank lines inside sentences.
fn continues(block: &Block, line: &str) -> bool {
    let text = block.text();
    text.is_empty()
        || (!text.ends_with(['.', '!', '?', ':', ';'])
            && line.chars().next().is_some_and(char::is_lowercase))
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that follow a dash in enumerations such as "helse- og omsorg":
/// there the dash belongs to the text and is not a hyphenation.
const CONJUNCTIONS: &[&str] = &["og", "eller", "samt", "and", "or"];

/// Joins a wrapped line to its block: "plan-" + "legging" gives
/// "planlegging"; everything else is joined with one space.
pub(crate) fn join(text: &mut String, line: &str) {
    let line = collapse_spaces(line);
    if text.is_empty() {
        *text = line;
    } else if is_hyphenation(text, &line) {
        text.pop();
        text.push_str(&line);
    } else {
        text.push(' ');
        text.push_str(&line);
    }
}

/// A lower-case word broken at the line end and continued in lower case,
/// unless the next word shows an enumeration ("helse-" + "og", "sosial-og",
/// "sosial-").
fn is_hyphenation(text: &str, next_line: &str) -> bool {
    let Some(before) = text.strip_suffix('-') else {
        return false;
    };
    if !before.chars().next_back().is_some_and(char::is_lowercase) {
        return false;
    }
    let Some(word) = next_line.split_whitespace().next() else {
        return false;
    };
    let word = word.trim_end_matches([',', '.', ';', ':', ')', '!', '?']);
    word.chars().next().is_some_and(char::is_lowercase)
        && !word.ends_with('-')
        && !word.split('-').any(|part| CONJUNCTIONS.contains(&part))
}

fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous_was_item = false;
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                separate(&mut out, "\n\n");
                out.push_str(&escape(text));
                previous_was_item = false;
            }
            Block::Item { depth, text } => {
                if text.is_empty() {
                    continue;
                }
                separate(&mut out, if previous_was_item { "\n" } else { "\n\n" });
                out.push_str(&"  ".repeat(depth - 1));
                out.push_str("- ");
                out.push_str(&escape(text));
                previous_was_item = true;
            }
        }
    }
    out
}

fn separate(out: &mut String, separator: &str) {
    if !out.is_empty() {
        out.push_str(separator);
    }
}

/// Escapes what Markdown would otherwise read as markup: emphasis, code,
/// HTML, and block markers at the start ("# ", "> ", "---").
pub(crate) fn escape(text: &str) -> String {
    let mut out = escape_inline(text);
    let starts_block = out.starts_with(['#', '>'])
        || out.starts_with("+ ")
        || out.starts_with("- ")
        || out == "-"
        || out == "+"
        || (out.len() >= 3 && out.chars().all(|c| matches!(c, '-' | '_' | ' ')));
    if starts_block {
        out.insert(0, '\\');
    } else if let Some(marker) = ordered_list_marker(&out) {
        // "0. " or "12) " would start a numbered list: escape the dot or parenthesis.
        out.insert(marker, '\\');
    }
    out
}

/// Where the `.` or `)` of a leading ordered-list marker ("3. ", "12)") is, if the
/// text starts with one (at most nine digits, then the end or a space).
fn ordered_list_marker(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &text[digits..];
    let after = rest.get(1..)?;
    (rest.starts_with(['.', ')']) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(digits)
}

/// Escapes emphasis (`*`, `_`), code and HTML: text that does not start a line.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '*' | '_' | '`' => out.push('\\'),
            '<' if chars
                .peek()
                .is_some_and(|&n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push('\\')
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> String {
        to_markdown(text.lines())
    }

    #[test]
    fn joins_wraps_and_hyphenations() {
        assert_eq!(
            md("Dette er\nein plan-\nlegging av helse-\nog omsorg."),
            "Dette er ein planlegging av helse- og omsorg."
        );
        assert_eq!(md("helse-\nsosial-og omsorg"), "helse- sosial-og omsorg");
        assert_eq!(
            md("KDP-\nplanen og Nord-\nNorge"),
            "KDP- planen og Nord- Norge"
        );
        assert_eq!(
            md("Første avsnitt.\n\nAndre avsnitt"),
            "Første avsnitt.\n\nAndre avsnitt"
        );
        assert_eq!(
            md("avsnitt som held\n\nfram her"),
            "avsnitt som held fram her"
        );
    }

    #[test]
    fn nests_lists_by_marker() {
        assert_eq!(
            md("• Politisk\no Utval for helse\n\nog omsorg\n• Administrativ\n\nTekst etter."),
            "- Politisk\n  - Utval for helse og omsorg\n- Administrativ\n\nTekst etter."
        );
        assert_eq!(md("\u{f0b7}Ein\n✓ To\n➢ Tre"), "- Ein\n  - To\n    - Tre");
        assert_eq!(md("-\nTekst på neste linje"), "- Tekst på neste linje");
    }

    #[test]
    fn escapes_what_would_start_a_list() {
        assert_eq!(escape("0. "), "0\\. ");
        assert_eq!(escape("12) tolv"), "12\\) tolv");
        assert_eq!(escape("- strek"), "\\- strek");
        assert_eq!(escape("2026. Året"), "2026\\. Året");
        assert_eq!(escape("3.5 prosent"), "3.5 prosent");
        assert_eq!(escape("1234567890. lang"), "1234567890. lang");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("# ikkje overskrift"), "\\# ikkje overskrift");
        assert_eq!(escape("a*b*c <b>"), "a\\*b\\*c \\<b>");
        assert_eq!(escape("---"), "\\---");
        assert_eq!(escape("5 < 6"), "5 < 6");
    }
}
