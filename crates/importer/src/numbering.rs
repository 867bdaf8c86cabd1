//! Heading numbers ("1", "2.1", "1.0", "2.6.3") and whether one may follow another.

/// A heading number as written, and its parts with trailing zeros removed
/// ("1.0" is chapter 1, so it compares and nests like "1").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    pub text: String,
    pub parts: Vec<u32>,
}

impl Number {
    /// Section level: 1 for "1", 2 for "2.1", 3 for "2.6.3".
    pub fn level(&self) -> i32 {
        i32::try_from(self.parts.len()).unwrap_or(i32::MAX)
    }
}

/// Deepest numbering accepted; deeper dotted numbers are more often version
/// numbers or IP-like strings than headings.
const MAX_DEPTH: usize = 4;

/// Splits a leading heading number off `line`: 1 to 4 groups of one or two
/// digits separated by periods, an optional trailing period, then whitespace.
/// Two digits at most keeps years ("2018.") and dates ("14.5.2020.") out.
/// Returns the number and the rest of the line after the whitespace.
pub(crate) fn split_leading(line: &str) -> Option<(Number, &str)> {
    let (number, mut end) = scan(line)?;
    if line.as_bytes().get(end) == Some(&b'.') {
        end += 1;
    }
    let rest = &line[end..];
    let title = rest.trim_start();
    if title.len() == rest.len() {
        return None; // no whitespace after the number: "1.gangs", "3.1a"
    }
    Some((number, title))
}

/// Parses a whole string as a heading number ("3.1", "2.", "1.0").
pub(crate) fn parse(text: &str) -> Option<Number> {
    let text = text.trim();
    let (number, end) = scan(text)?;
    matches!(&text[end..], "" | ".").then_some(number)
}

/// Reads the digit groups at the start of `line`; returns the number and
/// the byte offset just after its last digit.
fn scan(line: &str) -> Option<(Number, usize)> {
    let bytes = line.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 2 {
            return None;
        }
        parts.push(line[start..i].parse::<u32>().ok()?);
        let more_digits =
            bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !more_digits {
            break;
        }
        if parts.len() == MAX_DEPTH {
            return None;
        }
        i += 1;
    }
    let text = line[..i].to_string();
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some((Number { text, parts }, i))
}

/// How a heading number relates to the previous accepted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The next number in sequence: a sibling, a parent's sibling or a first child.
    Expected,
    /// A small jump (a skipped number or a missing parent): kept, with a warning.
    Gap,
    /// Backwards or far away: not a heading of this outline.
    Unrelated,
}

/// Largest accepted increase of one number part; more is treated as body text.
const MAX_JUMP: u32 = 2;

pub(crate) fn step(previous: Option<&[u32]>, next: &[u32]) -> Step {
    if previous.is_none() && next == [0] {
        return Step::Expected; // "0 Samandrag" may open a document
    }
    let previous = previous.unwrap_or(&[]);
    for depth in 1..=next.len().min(previous.len() + 1) {
        if next[..depth - 1] != previous[..depth - 1] {
            break;
        }
        let base = previous.get(depth - 1).copied().unwrap_or(0);
        let Some(delta) = next[depth - 1].checked_sub(base) else {
            continue;
        };
        if (1..=MAX_JUMP).contains(&delta) && next[depth..].iter().all(|&part| part == 1) {
            return if delta == 1 && next.len() == depth {
                Step::Expected
            } else {
                Step::Gap
            };
        }
    }
    Step::Unrelated
}

/// The `numbering_gap` warning for a heading accepted with [`Step::Gap`].
pub(crate) fn gap_warning(previous: Option<&Number>, next: &Number) -> crate::ImportWarning {
    let message = match previous {
        Some(previous) => format!(
            "heading numbers jump from {} to {}",
            previous.text, next.text
        ),
        None => format!("heading numbers start at {} instead of 1", next.text),
    };
    crate::ImportWarning::new("numbering_gap", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Vec<u32> {
        split_leading(&format!("{s} Title"))
            .expect("a number")
            .0
            .parts
    }

    #[test]
    fn splits_numbers_in_all_written_forms() {
        let (n, title) = split_leading("2.6.3 Tittel her").unwrap();
        assert_eq!(
            (n.text.as_str(), n.parts.clone(), title),
            ("2.6.3", vec![2, 6, 3], "Tittel her")
        );
        let (n, title) = split_leading("1. Innleiing").unwrap();
        assert_eq!((n.text.as_str(), n.level(), title), ("1", 1, "Innleiing"));
        let (n, _) = split_leading("1.0 Innleiing").unwrap();
        assert_eq!((n.text.as_str(), n.parts.clone()), ("1.0", vec![1]));
        assert_eq!(parse("3.1.").map(|n| n.parts), Some(vec![3, 1]));
        assert_eq!(parse("3.1 a"), None);
        for not_a_number in [
            "2018. Det",
            "14.5.2020. Vedtak",
            "1.gangs handsaming",
            "x 1",
            "1.2.3.4.5 A",
            "",
        ] {
            assert!(split_leading(not_a_number).is_none(), "{not_a_number}");
        }
    }

    #[test]
    fn steps_follow_the_outline() {
        let p = parts("2.3");
        assert_eq!(step(Some(&p), &parts("2.4")), Step::Expected);
        assert_eq!(step(Some(&p), &parts("3")), Step::Expected);
        assert_eq!(step(Some(&p), &parts("2.3.1")), Step::Expected);
        assert_eq!(step(Some(&p), &parts("2.5")), Step::Gap);
        assert_eq!(step(Some(&p), &parts("3.1")), Step::Gap);
        assert_eq!(step(Some(&p), &parts("4")), Step::Gap);
        assert_eq!(step(Some(&p), &parts("2.1")), Step::Unrelated);
        assert_eq!(step(Some(&p), &parts("2.3")), Step::Unrelated);
        assert_eq!(step(Some(&p), &parts("9")), Step::Unrelated);
        assert_eq!(step(Some(&p), &parts("3.2")), Step::Unrelated);
        assert_eq!(step(None, &parts("1")), Step::Expected);
        assert_eq!(step(None, &parts("1.0")), Step::Expected);
        assert_eq!(step(None, &parts("0")), Step::Expected);
        assert_eq!(step(None, &parts("2")), Step::Gap);
        assert_eq!(step(None, &parts("7")), Step::Unrelated);
    }
}
