//! Property tests of the plain-text importer on many random documents: it
//! never panics, it keeps every word of every line that is not page
//! furniture, it invents no text, and it recovers a generated outline.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Once;

use importer::{Format, Imported, import, import_markdown, import_text};
use proptest::collection::vec;
use proptest::prelude::*;

const FOOTER: &str =
    "Forslag til planprogram – Kommunedelplan for helse, sosial og omsorg – Alver kommune";

// ---------------------------------------------------------------- generators

fn lower_word() -> impl Strategy<Value = String> {
    "[a-zæøå]{1,10}"
}

fn capital_word() -> impl Strategy<Value = String> {
    "[A-ZÆØÅ][a-zæøå]{0,9}"
}

/// Any letters, digits, punctuation and symbols, including Markdown markup,
/// bullets, dots and dashes.
fn wild_word() -> impl Strategy<Value = String> {
    "[\\p{L}\\p{N}\\p{P}\\p{S}]{1,8}"
}

fn words(
    word: impl Strategy<Value = String>,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    vec(word, n).prop_map(|w| w.join(" "))
}

fn number() -> impl Strategy<Value = String> {
    (vec(0u32..13, 1..4), any::<bool>()).prop_map(|(parts, period)| {
        let n = parts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if period { format!("{n}.") } else { n }
    })
}

fn title() -> impl Strategy<Value = String> {
    (capital_word(), words(lower_word(), 0..6))
        .prop_map(|(first, rest)| format!("{first} {rest}").trim().to_string())
}

/// Running text: a line of a paragraph, sometimes hyphenated at the end.
fn prose() -> impl Strategy<Value = String> {
    (
        words(
            prop_oneof![3 => lower_word(), 1 => capital_word(), 1 => "[0-9]{1,4}"],
            1..12,
        ),
        prop_oneof![Just(""), Just("."), Just(","), Just("-"), Just(":")],
    )
        .prop_map(|(text, end)| format!("{text}{end}"))
}

fn bullet() -> impl Strategy<Value = String> {
    let marker = prop_oneof![
        Just("• "),
        Just("•"),
        Just("o "),
        Just("\u{f0b7} "),
        Just("\u{f0a7}"),
        Just("✓ "),
        Just("➢ "),
        Just("- "),
        Just("– "),
        Just("* "),
        Just("▪ "),
    ];
    (marker, prose()).prop_map(|(m, text)| format!("{m}{text}"))
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prose(),
        3 => (number(), title()).prop_map(|(n, t)| format!("{n} {t}")),
        3 => bullet(),
        1 => (1u32..32, 1u32..13, 1990u32..2040, title()).prop_map(|(d, m, y, t)| format!("{d}.{m}.{y}. {t}")),
        1 => (1990u32..2040, title()).prop_map(|(y, t)| format!("{y}. {t}")),
        1 => (2019u32..2025).prop_map(|y| format!("{y} Jan Feb Mar Apr Mai Jun Juli Aug Sep Okt Nov Des")),
        1 => Just("1 2 3 4 5 6 7 8 9 10 11 12".to_string()),
        4 => Just(String::new()),
        1 => " {1,3}",
        2 => (1u32..300).prop_map(|n| n.to_string()),
        2 => Just(FOOTER.to_string()),
        1 => (number(), title(), 1u32..40).prop_map(|(n, t, p)| format!("{n} {t} ........................ {p}")),
        1 => Just("Innhald".to_string()),
        1 => Just("\x0c".to_string()),
        3 => words(wild_word(), 1..8),
    ]
}

fn document() -> impl Strategy<Value = String> {
    vec(line(), 0..80).prop_map(|lines| lines.join("\n"))
}

// ------------------------------------------------------------------- oracle
//
// Boilerplate, per the rules: table-of-contents lines (dot leaders, the
// "Innhald" title, a wrapped entry's first line), repeated header and footer
// lines, bare page numbers. The oracle over-approximates each so that the
// property holds whatever the importer decides about doubtful lines: every
// line whose digit-folded text occurs twice may be a running header, every
// line with four leader dots may belong to the table of contents, and so may
// the line above it.

fn folded(line: &str) -> String {
    let mut key = String::new();
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        let mut digits = false;
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !digits {
                    key.push('#');
                }
                digits = true;
            } else {
                key.push(c);
                digits = false;
            }
        }
    }
    key
}

fn maybe_page_number(line: &str) -> bool {
    // A footer carries its page number after a bar ("Alver kommune | 6").
    if let Some((_, number)) = line.rsplit_once('|')
        && maybe_page_number(number)
    {
        return true;
    }
    let lower = line.to_lowercase();
    let rest: String = lower
        .split_whitespace()
        .filter(|w| !["side", "sida", "page", "s.", "av", "of"].contains(w))
        .flat_map(|w| {
            w.strip_prefix("side")
                .or(w.strip_prefix("page"))
                .unwrap_or(w)
                .chars()
        })
        .collect();
    rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || "/-–—".contains(c))
}

fn maybe_toc(line: &str) -> bool {
    let weight: usize = line
        .chars()
        .map(|c| match c {
            '.' | '·' | '_' => 1,
            '…' => 3,
            _ => 0,
        })
        .sum();
    weight >= 4
}

fn toc_title(line: &str) -> bool {
    let line = line.trim().trim_end_matches(':').to_lowercase();
    line.starts_with("innh") || line.ends_with("contents")
}

/// The bullet rule of the importer: a glyph, or a dash, star or "o" before a space.
fn strip_bullet(line: &str) -> &str {
    let Some(first) = line.chars().next() else {
        return line;
    };
    let rest = &line[first.len_utf8()..];
    let glyph =
        "•◦▪▫■□●○◆◇►▶▸➢➤➔→✓✔✗✘·‣⁃∙".contains(first) || ('\u{F000}'..='\u{F0FF}').contains(&first);
    let word_marker =
        "-–*o".contains(first) && (rest.is_empty() || rest.starts_with(char::is_whitespace));
    if glyph || word_marker { rest } else { line }
}

/// Word normalisation on both sides: Markdown escapes and list dashes are
/// not words, and a heading number loses its trailing period ("1." → "1").
fn normalize(word: &str) -> Option<String> {
    let word: String = word.chars().filter(|&c| c != '\\').collect();
    let word = word.trim_end_matches('.');
    (!word.is_empty() && word != "-").then(|| word.to_string())
}

/// A word the output must keep; `glued` when the line before it (past
/// lines that may be boilerplate) ended in a hyphen, so that the importer
/// may have joined this word to that line's last word.
struct Required {
    word: String,
    glued: bool,
    /// A word broken at the end of its line whose next line may be boilerplate: its
    /// other half may come from a line the oracle does not require.
    open_end: bool,
}

fn required_words(text: &str) -> Vec<Required> {
    let lines: Vec<&str> = text.split(['\n', '\x0c']).map(str::trim).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines.iter().filter(|l| !l.is_empty()) {
        *counts.entry(folded(line)).or_default() += 1;
    }
    let mut boilerplate: Vec<bool> = lines
        .iter()
        .map(|l| {
            l.is_empty()
                || maybe_page_number(l)
                || maybe_toc(l)
                || toc_title(l)
                || counts[&folded(l)] > 1
        })
        .collect();
    for i in 0..lines.len() {
        if maybe_toc(lines[i])
            && let Some(above) = (0..i).rev().find(|&j| !lines[j].is_empty())
        {
            boilerplate[above] = true;
        }
    }
    let mut required = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if boilerplate[i] {
            continue;
        }
        let mut glued = (0..i)
            .rev()
            .take_while(|&j| boilerplate[j])
            .any(|j| lines[j].ends_with('-'));
        let next_is_boilerplate = boilerplate.get(i + 1).copied().unwrap_or(true);
        for word in strip_bullet(line).split_whitespace().filter_map(normalize) {
            required.push(Required {
                word,
                glued,
                open_end: next_is_boilerplate,
            });
            glued = false;
        }
    }
    required
}

fn output_words(imported: &Imported) -> Vec<String> {
    imported
        .sections
        .iter()
        .flat_map(|s| {
            std::iter::once(s.number.as_str())
                .chain(s.title.split_whitespace())
                .chain(s.body.split_whitespace())
        })
        .filter_map(normalize)
        .collect()
}

/// Whether `required` occurs in order within `output`, where a word broken
/// by a hyphen at a line end may appear joined to the next ("plan-" then
/// "legging" as "planlegging"), also when the other half came from a line
/// that the oracle counted as possible boilerplate.
fn kept_in_order(required: &[Required], output: &[String]) -> Result<(), String> {
    let mut i = 0;
    for word in output {
        let Some(next) = required.get(i) else { break };
        let head = next
            .word
            .strip_suffix('-')
            .filter(|h| word.len() > h.len() && word.starts_with(h));
        if *word == next.word
            || (next.glued && word.len() > next.word.len() && word.ends_with(&next.word))
        {
            i += 1;
        } else if let Some(head) = head {
            // Joined to the next required word, or (after possible boilerplate) to
            // something the oracle does not require; never to an unrelated word that
            // merely starts the same way.
            if required.get(i + 1).map(|r| r.word.as_str()) == Some(&word[head.len()..]) {
                i += 2;
            } else if next.open_end {
                i += 1;
            }
        }
    }
    match required.get(i) {
        None => Ok(()),
        Some(missing) => {
            let context: Vec<&str> = required[i.saturating_sub(5)..(i + 5).min(required.len())]
                .iter()
                .map(|r| r.word.as_str())
                .collect();
            Err(format!(
                "word {i} {:?} of {context:?} is lost",
                missing.word
            ))
        }
    }
}

fn alphanumeric_counts(texts: impl Iterator<Item = String>) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for text in texts {
        for c in text.chars().filter(|c| c.is_alphanumeric()) {
            *counts.entry(c).or_default() += 1;
        }
    }
    counts
}

fn check_invariants(imported: &Imported) -> Result<(), TestCaseError> {
    for section in &imported.sections {
        prop_assert!(
            (1..=4).contains(&section.level),
            "level {} of {:?}",
            section.level,
            section.number
        );
        prop_assert!(
            !section.number.ends_with('.'),
            "number {:?}",
            section.number
        );
        if section.number.is_empty() {
            prop_assert_eq!(section.level, 1);
        }
    }
    Ok(())
}

// --------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn text_import_keeps_every_word_that_is_not_boilerplate(text in document()) {
        let imported = import_text(&text);
        check_invariants(&imported)?;
        let required = required_words(&text);
        let output = output_words(&imported);
        if let Err(message) = kept_in_order(&required, &output) {
            return Err(TestCaseError::fail(format!("{message}\ninput:\n{text}\noutput: {imported:#?}")));
        }
        // Nothing is invented: every letter and digit comes from the input.
        let input = alphanumeric_counts(std::iter::once(text.clone()));
        let out = alphanumeric_counts(imported.sections.iter().flat_map(|s| [s.number.clone(), s.title.clone(), s.body.clone()]));
        for (c, n) in out {
            prop_assert!(n <= input.get(&c).copied().unwrap_or(0), "{:?} appears {} times in the output", c, n);
        }
    }

    #[test]
    fn importers_never_panic_on_arbitrary_text(text in "\\PC{0,400}|[\\s\\S]{0,200}") {
        let (checked, caught) = own_panics_in(|| -> Result<(), TestCaseError> {
            check_invariants(&import_text(&text))?;
            let _ = import_markdown(&text);
            for format in [Format::Text, Format::Markdown, Format::Docx, Format::Pdf] {
                let _ = import(text.as_bytes(), format);
            }
            Ok(())
        });
        checked?;
        prop_assert_eq!(caught, 0, "the PDF reader caught a panic of the importer's own code");
    }

    #[test]
    fn importers_never_panic_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..2000), prefix in prop_oneof![Just(&b""[..]), Just(&b"%PDF-1.4\n"[..]), Just(&b"PK\x03\x04"[..])]) {
        let bytes: Vec<u8> = prefix.iter().copied().chain(bytes).collect();
        let (checked, caught) = own_panics_in(|| -> Result<(), TestCaseError> {
            for format in [Format::Text, Format::Markdown, Format::Docx, Format::Pdf] {
                let _ = import(&bytes, format);
            }
            let _ = Format::detect("upload", &bytes);
            Ok(())
        });
        checked?;
        prop_assert_eq!(caught, 0, "the PDF reader caught a panic of the importer's own code");
    }
}

// ---------------------------------------------------------- outline recovery

/// A valid outline: each number is a sibling, a first child or the next
/// number of an ancestor of the one before.
fn outline_numbers() -> impl Strategy<Value = Vec<Vec<u32>>> {
    vec(0u8..3, 2..40).prop_map(|steps| {
        let mut numbers: Vec<Vec<u32>> = vec![vec![1]];
        for step in steps {
            let mut next = numbers.last().cloned().unwrap_or_default();
            match step {
                0 if next.len() < 3 => next.push(1),
                1 => *next.last_mut().unwrap() += 1,
                _ => {
                    if next.len() > 1 {
                        next.pop();
                    }
                    *next.last_mut().unwrap() += 1;
                }
            }
            if next.iter().all(|&p| p <= 99) {
                numbers.push(next);
            }
        }
        numbers
    })
}

/// Body lines that look like headings, dates, tables or bullets but are not.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (capital_word(), words(lower_word(), 2..10)).prop_map(|(a, b)| format!("{a} {b}.")),
        2 => bullet(),
        1 => (1u32..29, 1u32..13, 2000u32..2030).prop_map(|(d, m, y)| format!("{d}.{m}.{y}. Kommunestyret vedtok planen.")),
        1 => (1990u32..2030).prop_map(|y| format!("{y}. Det året vart kommunane slått saman.")),
        1 => Just("2021 Jan Feb Mar Apr Mai Jun Juli Aug Sep Okt Nov Des".to_string()),
        1 => Just("1 2 3 4 5 6 7 8 9 10 11 12".to_string()),
        1 => Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_generated_outline_is_recovered(
        numbers in outline_numbers(),
        titles in vec(title(), 40),
        bodies in vec(vec(noise(), 0..6), 40),
        period in any::<bool>(),
        toc in any::<bool>(),
    ) {
        let name = |n: &Vec<u32>| n.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let mut text = String::from("Planprogram\n\n");
        if toc {
            text.push_str("Innhald\n");
            for (n, t) in numbers.iter().zip(&titles) {
                text.push_str(&format!("{} {} ............ 3\n", name(n), t));
            }
        }
        for (page, ((n, t), body)) in numbers.iter().zip(&titles).zip(&bodies).enumerate() {
            let dot = if period && n.len() == 1 { "." } else { "" };
            text.push_str(&format!("\n{}{dot} {t}\n", name(n)));
            for line in body {
                text.push_str(line);
                text.push('\n');
            }
            text.push_str(&format!("\n{}\n{FOOTER}\n", page + 1));
        }
        let imported = import_text(&text);
        let got: Vec<(String, String)> = imported.sections.iter().filter(|s| !s.number.is_empty()).map(|s| (s.number.clone(), s.title.clone())).collect();
        let want: Vec<(String, String)> = numbers.iter().zip(&titles).map(|(n, t)| (name(n), t.clone())).collect();
        prop_assert_eq!(got, want, "input:\n{}", text);
        // The noise holds rows of a progress table, which may rightly be pointed out
        // as a lost table; the outline itself gives no warning.
        let outline_warnings: Vec<_> = imported.warnings.iter().filter(|w| w.code != "looks_like_lost_table").collect();
        prop_assert!(outline_warnings.is_empty(), "{:?}", outline_warnings);
        prop_assert_eq!(imported.sections[0].body.as_str(), "Planprogram");
        for section in &imported.sections {
            prop_assert!(!section.body.contains(FOOTER) && !section.body.contains("....."), "{}", section.body);
        }
    }
}

// ------------------------------------------------------- damaged documents

// Panics raised in the importer's own code. The PDF reader turns a panic of the
// third-party parser into an error (`catch_unwind`), which would hide ours too, so
// no `import` call can show them by panicking: a panic hook sees every panic, caught
// or not, and tells ours apart by source file. It counts per thread, so tests
// running side by side do not see each other's.
thread_local! {
    static OWN_PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` and counts the panics raised in `importer/src` while it ran on this
/// thread, including those caught inside the importer.
fn own_panics_in<T>(f: impl FnOnce() -> T) -> (T, usize) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|l| l.file().replace('\\', "/").contains("importer/src/"))
            {
                OWN_PANICS.with(|n| n.set(n.get() + 1));
            }
            default(info);
        }));
    });
    let before = OWN_PANICS.with(Cell::get);
    let value = f();
    (value, OWN_PANICS.with(Cell::get) - before)
}

fn damage(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    for &(at, byte) in edits {
        let len = bytes.len();
        bytes[at % len] = byte;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn damaged_pdf_and_docx_files_give_errors_not_panics(
        edits in vec((any::<usize>(), any::<u8>()), 0..12),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let ((), caught) = own_panics_in(|| {
            let pdf = damage(crate::pdf::sample(), &edits, cut);
            let _ = import(&pdf, Format::Pdf);
            let docx = damage(crate::docx::sample(), &edits, cut);
            let _ = import(&docx, Format::Docx);
        });
        prop_assert_eq!(caught, 0, "the PDF reader caught a panic of the importer's own code");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever an upload holds, every format answers sections or an error; the
    /// importer's own code never panics (a panic caught inside a parser is counted).
    #[test]
    fn any_bytes_in_any_format_give_sections_or_an_error(
        bytes in vec(any::<u8>(), 0..2000),
        prefix in prop_oneof![Just(&b""[..]), Just(&b"PK\x03\x04"[..]), Just(&b"%PDF-1.7\n"[..]), Just(&b"\xef\xbb\xbf# "[..])],
    ) {
        let mut file = prefix.to_vec();
        file.extend(bytes);
        let (results, caught) = own_panics_in(|| {
            [Format::Text, Format::Markdown, Format::Docx, Format::Pdf].map(|f| import(&file, f))
        });
        prop_assert_eq!(caught, 0, "a parser caught a panic of the importer's own code");
        for imported in results.iter().flatten() {
            check_invariants(imported)?;
        }
    }
}
