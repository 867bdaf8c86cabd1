//! Personal-data flags for screening: what in an input may identify a person or
//! reveal a special category of personal data, with its range in characters (not
//! bytes), so a planner sees it highlighted and can redact it before publishing.
//!
//! - **National identity numbers** (`national_id`): fødselsnummer and D-nummer (the
//!   day plus 40), written as 11 digits or as `DDMMYY NNNNN`, flagged only when the
//!   date exists (the century follows from the individual number) and both mod-11
//!   check digits are right. Any other 11 digits are left alone.
//! - **Phone numbers** (`phone`): 8 digits starting with 2–9, written together
//!   (`41234567`), as `412 34 567` or `41 23 45 67`, or after `+47`/`0047` in any
//!   grouping. Not flagged: sums (`12 500 000`, a number next to `kr`, `kroner`,
//!   `NOK` or `,-`), dates written `20240131`, and parts of longer digit runs.
//! - **Email addresses** (`email`).
//! - **Postal addresses** (`address`): a street name (a word ending in a street
//!   word such as `-gata`, `-vegen`, `-veien`, `-allé`, or a street word after
//!   capitalised words, as in `Olav Tryggvasons gate`) and a house number
//!   (`Storgata 12B`), `Postboks 123`, and a postcode with its place (`0150 Oslo`)
//!   after an address, after a comma or at the start of a line; an address and its
//!   postcode next to each other are one flag.
//! - **Special categories** (`special_category`): words that suggest health,
//!   religion or belief, ethnic origin, political opinion, trade-union membership,
//!   sexual orientation, criminal offences or social welfare — the list in
//!   `special_categories.txt` (nynorsk and bokmål, documented and editable there).

use serde::Serialize;
use std::sync::OnceLock;

/// What a flag found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    NationalId,
    Phone,
    Email,
    Address,
    SpecialCategory,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NationalId => "national_id",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Address => "address",
            Kind::SpecialCategory => "special_category",
        }
    }
}

/// One flag: its kind, its range in characters (start inclusive, end exclusive)
/// and the text in that range. A special category names its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// Every flag in the text, in order, none overlapping another.
pub fn find(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(Kind, usize, usize, Option<String>)> = Vec::new();
    let add = |spans: &mut Vec<(Kind, usize, usize, Option<String>)>,
               kind: Kind,
               start: usize,
               end: usize,
               category: Option<String>| {
        if !spans.iter().any(|(_, s, e, _)| start < *e && *s < end) {
            spans.push((kind, start, end, category));
        }
    };
    for (s, e) in national_ids(&chars) {
        add(&mut spans, Kind::NationalId, s, e, None);
    }
    for (s, e) in emails(&chars) {
        add(&mut spans, Kind::Email, s, e, None);
    }
    for (s, e) in phones(&chars) {
        add(&mut spans, Kind::Phone, s, e, None);
    }
    for (s, e) in addresses(&chars) {
        add(&mut spans, Kind::Address, s, e, None);
    }
    for (s, e, category) in special_categories(&chars) {
        add(&mut spans, Kind::SpecialCategory, s, e, Some(category));
    }
    spans.sort_by_key(|(_, s, _, _)| *s);
    spans
        .into_iter()
        .map(|(kind, start, end, category)| Finding {
            kind,
            start,
            end,
            text: chars[start..end].iter().collect(),
            category,
        })
        .collect()
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{00A0}' || c == '\u{202F}'
}

/// The run of ASCII digits starting at `i` (its end).
fn digits_from(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    j
}

/// Whether `i` starts a token: the character before it is no letter or digit.
fn token_starts(chars: &[char], i: usize) -> bool {
    i == 0 || !(chars[i - 1].is_alphanumeric())
}

fn digit(c: char) -> u32 {
    c.to_digit(10).unwrap_or(0)
}

/// Whether 11 digits are a valid fødselsnummer or D-nummer: an existing date (for a
/// D-nummer the day plus 40) in the century the individual number gives, and both
/// mod-11 check digits right.
pub fn is_national_id(digits: &[u32; 11]) -> bool {
    let d = digits;
    let mut day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    let yy = d[4] * 10 + d[5];
    let individual = d[6] * 100 + d[7] * 10 + d[8];
    if day > 40 {
        day -= 40; // D-nummer
    }
    let year = match individual {
        0..=499 => 1900 + yy,
        500..=749 if yy >= 54 => 1800 + yy,
        500..=999 if yy <= 39 => 2000 + yy,
        900..=999 if yy >= 40 => 1900 + yy,
        _ => return false,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    let check = |weights: &[u32]| -> Option<u32> {
        let sum: u32 = weights.iter().zip(d.iter()).map(|(w, x)| w * x).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    check(&[3, 7, 6, 1, 8, 9, 4, 5, 2]) == Some(d[9])
        && check(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

fn national_ids(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || !token_starts(chars, i) {
            i += 1;
            continue;
        }
        let end = digits_from(chars, i);
        let mut found = None;
        if end - i == 11 && !chars.get(end).is_some_and(|c| c.is_alphanumeric()) {
            found = Some((end, chars[i..end].to_vec()));
        } else if end - i == 6 && chars.get(end).copied().is_some_and(is_space) {
            let second = digits_from(chars, end + 1);
            if second - (end + 1) == 5 && !chars.get(second).is_some_and(|c| c.is_alphanumeric()) {
                let mut all = chars[i..end].to_vec();
                all.extend_from_slice(&chars[end + 1..second]);
                found = Some((second, all));
            }
        }
        if let Some((stop, all)) = found {
            let digits: [u32; 11] = std::array::from_fn(|k| digit(all[k]));
            if is_national_id(&digits) {
                out.push((i, stop));
            }
            i = stop;
        } else {
            i = end;
        }
    }
    out
}

fn emails(chars: &[char]) -> Vec<(usize, usize)> {
    let local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    let mut out = Vec::new();
    let mut from = 0;
    for at in 0..chars.len() {
        if chars[at] != '@' || at < from {
            continue;
        }
        let mut start = at;
        while start > from && local(chars[start - 1]) {
            start -= 1;
        }
        while start < at && chars[start] == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < chars.len() && domain(chars[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        let host: String = chars[at + 1..end].iter().collect();
        let labels: Vec<&str> = host.split('.').collect();
        let good = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
            });
        if good {
            out.push((start, end));
            from = end;
        }
    }
    out
}

/// The words before position `i` on the same line, lower case, nearest first.
fn previous_word(chars: &[char], i: usize) -> String {
    let mut j = i;
    while j > 0 && is_space(chars[j - 1]) {
        j -= 1;
    }
    let end = j;
    while j > 0 && (chars[j - 1].is_alphabetic() || chars[j - 1] == '.') {
        j -= 1;
    }
    chars[j..end]
        .iter()
        .collect::<String>()
        .trim_end_matches('.')
        .to_lowercase()
}

fn next_word(chars: &[char], i: usize) -> String {
    let mut j = i;
    while j < chars.len() && is_space(chars[j]) {
        j += 1;
    }
    if chars.get(j) == Some(&',') && chars.get(j + 1) == Some(&'-') {
        return ",-".into();
    }
    let start = j;
    while j < chars.len() && chars[j].is_alphabetic() {
        j += 1;
    }
    chars[start..j].iter().collect::<String>().to_lowercase()
}

fn is_money_word(word: &str) -> bool {
    matches!(
        word,
        "kr" | "kroner" | "krone" | "nok" | ",-" | "mill" | "millionar" | "millioner" | "mrd"
    )
}

fn phones(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some((start, end)) = phone_at(chars, i) else {
            i += 1;
            continue;
        };
        out.push((start, end));
        i = end;
    }
    out
}

/// A phone number starting at `i`, if one does.
fn phone_at(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let c = chars[i];
    if !(c == '+' || c.is_ascii_digit()) || !token_starts(chars, i) {
        return None;
    }
    // Not a continuation of a number written in groups ("1 234 567 890").
    if i >= 2 && is_space(chars[i - 1]) && chars[i - 2].is_ascii_digit() {
        return None;
    }
    let mut j = i;
    let mut prefixed = false;
    let starts_with = |at: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, x)| chars.get(at + k) == Some(&x))
    };
    if starts_with(j, "+47") {
        j += 3;
        prefixed = true;
    } else if starts_with(j, "0047") {
        j += 4;
        prefixed = true;
    } else if c == '+' {
        return None;
    }
    if prefixed && chars.get(j).copied().is_some_and(is_space) {
        j += 1;
    }
    let mut groups = Vec::new();
    let mut digits = 0;
    loop {
        let end = digits_from(chars, j);
        if end == j {
            return None;
        }
        groups.push(end - j);
        digits += end - j;
        j = end;
        if digits >= 8 {
            break;
        }
        if chars.get(j).copied().is_some_and(is_space)
            && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())
        {
            j += 1;
        } else {
            break;
        }
    }
    if digits != 8 || chars.get(j).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    // Followed by more digits in groups: a longer number.
    if chars.get(j).copied().is_some_and(is_space)
        && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let number: Vec<u32> = chars[i..j]
        .iter()
        .filter(|c| c.is_ascii_digit())
        .map(|c| digit(*c))
        .collect();
    let number = &number[number.len() - 8..];
    if number[0] < 2 {
        return None;
    }
    if !prefixed {
        let shape_ok = matches!(groups.as_slice(), [8] | [3, 2, 3] | [2, 2, 2, 2]);
        if !shape_ok {
            return None;
        }
        if is_money_word(&previous_word(chars, i)) || is_money_word(&next_word(chars, j)) {
            return None;
        }
        // A date written 20240131.
        let year = number[0] * 1000 + number[1] * 100 + number[2] * 10 + number[3];
        let month = number[4] * 10 + number[5];
        let day = number[6] * 10 + number[7];
        if groups == [8]
            && (1900..=2099).contains(&year)
            && (1..=12).contains(&month)
            && (1..=31).contains(&day)
        {
            return None;
        }
    }
    Some((i, j))
}

/// Words that end a street's name ("Storgata", "Kyrkjevegen", "Parkveien", "Solbakken").
const STREET_ENDINGS: &[&str] = &[
    "gata",
    "gate",
    "gaten",
    "vegen",
    "veien",
    "veg",
    "vei",
    "allé",
    "alle",
    "plass",
    "plassen",
    "torg",
    "torget",
    "bakken",
    "bakke",
    "stien",
    "stigen",
    "stig",
    "sti",
    "tunet",
    "svingen",
    "ringen",
    "kroken",
    "løkka",
    "løkken",
    "brekka",
    "bråten",
    "kaia",
    "kaien",
    "brygga",
    "bryggen",
    "brygge",
    "terrassen",
    "terrasse",
    "haugen",
    "jordet",
    "vollen",
    "lia",
    "lien",
];

/// Words that may stand alone after a name: "Olav Tryggvasons gate", "Kong Oscars allé".
const STREET_WORDS: &[&str] = &[
    "gate", "gata", "gaten", "gt", "veg", "vei", "vegen", "veien", "allé", "alle", "plass", "torg",
    "bakke", "bakken", "brygge", "kai", "terrasse", "sti", "stig",
];

/// Words before a street name that belong to it ("Nedre Storgata").
const STREET_PREFIXES: &[&str] = &[
    "nedre", "øvre", "øvste", "vestre", "østre", "søndre", "nordre", "store", "vesle", "lille",
    "gamle", "nye", "indre", "ytre",
];

/// Roads that are not addresses ("Riksveg 7", "Fylkesvei 714").
const ROADS: &[&str] = &[
    "riksv",
    "fylkesv",
    "europav",
    "kommunalv",
    "privatv",
    "skogsv",
    "gangv",
    "sykkelv",
];

struct Word {
    start: usize,
    end: usize,
    lower: String,
    capital: bool,
}

/// The words of the text: letters, with hyphens inside.
fn words(chars: &[char]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphabetic()
                || (chars[i] == '-' && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())))
        {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        out.push(Word {
            start,
            end: i,
            lower: text.to_lowercase(),
            capital: chars[start].is_uppercase(),
        });
    }
    out
}

/// The house number after a street name ending at `i`: " 12", " 12B", " 12 b".
fn house_number(chars: &[char], i: usize) -> Option<usize> {
    if !chars.get(i).copied().is_some_and(is_space) {
        return None;
    }
    let start = i + 1;
    let end = digits_from(chars, start);
    if end == start || end - start > 4 || chars[start] == '0' {
        return None;
    }
    let mut stop = end;
    let letter_at = |k: usize| {
        chars.get(k).is_some_and(|c| c.is_alphabetic())
            && !chars.get(k + 1).is_some_and(|c| c.is_alphanumeric())
    };
    if letter_at(end) {
        stop = end + 1;
    } else if chars.get(end).copied().is_some_and(is_space)
        && letter_at(end + 1)
        && chars[end + 1].is_uppercase()
    {
        stop = end + 2;
    } else if chars.get(end).is_some_and(|c| {
        c.is_alphanumeric() || *c == ',' && chars.get(end + 1).is_some_and(|d| d.is_ascii_digit())
    }) {
        return None;
    }
    Some(stop)
}

/// A postcode and place starting at `i` ("0150 Oslo", "9990 Båtsfjord"): its end.
fn postcode_at(chars: &[char], i: usize) -> Option<usize> {
    if !token_starts(chars, i) {
        return None;
    }
    let end = digits_from(chars, i);
    if end - i != 4 || !chars.get(end).copied().is_some_and(is_space) {
        return None;
    }
    let start = end + 1;
    if !chars.get(start).is_some_and(|c| c.is_uppercase()) {
        return None;
    }
    let mut j = start;
    while j < chars.len() && (chars[j].is_alphabetic() || chars[j] == '-') {
        j += 1;
    }
    (j - start >= 2).then_some(j)
}

fn addresses(chars: &[char]) -> Vec<(usize, usize)> {
    let words = words(chars);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let standalone = STREET_WORDS.contains(&w.lower.as_str());
        let ending = STREET_ENDINGS
            .iter()
            .any(|e| w.lower.ends_with(e) && w.lower.chars().count() > e.chars().count() + 1);
        let postbox = w.lower == "postboks" || w.lower == "pb";
        let Some(mut end) = house_number(chars, w.end) else {
            continue;
        };
        let mut start = w.start;
        if postbox || (ending && w.capital && !ROADS.iter().any(|r| w.lower.starts_with(r))) {
            // "Nedre Storgata 5".
            if k > 0 {
                let before = &words[k - 1];
                if STREET_PREFIXES.contains(&before.lower.as_str())
                    && before.capital
                    && chars[before.end..w.start].iter().all(|c| is_space(*c))
                {
                    start = before.start;
                }
            }
        } else if standalone {
            // "Olav Tryggvasons gate 5": up to three capitalised words before.
            let mut first = None;
            let mut at = k;
            while at > 0 && k - at < 3 {
                let before = &words[at - 1];
                if before.capital
                    && chars[before.end..words[at].start]
                        .iter()
                        .all(|c| is_space(*c))
                {
                    first = Some(before.start);
                    at -= 1;
                } else {
                    break;
                }
            }
            match first {
                Some(f) => start = f,
                None => continue,
            }
        } else {
            continue;
        }
        // A postcode and place right after it: ", 0150 Oslo".
        let mut j = end;
        if chars.get(j) == Some(&',') {
            j += 1;
        }
        while j < chars.len() && (is_space(chars[j]) || chars[j] == '\n') {
            j += 1;
        }
        if j > end
            && let Some(place_end) = postcode_at(chars, j)
        {
            end = place_end;
        }
        out.push((start, end));
    }
    // A postcode and place alone: at the start of a line or after a comma.
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && !out.iter().any(|(s, e)| *s <= i && i < *e) {
            let mut j = i;
            while j > 0 && is_space(chars[j - 1]) {
                j -= 1;
            }
            let line_start = j == 0 || chars[j - 1] == '\n';
            let after_comma = j > 0 && chars[j - 1] == ',' && j < i;
            if (line_start || after_comma)
                && let Some(end) = postcode_at(chars, i)
            {
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

/// One term of the special-category list.
struct Term {
    category: String,
    /// Lower-case words; a word ending in `*` matches every word it begins.
    words: Vec<String>,
}

fn special_terms() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| parse_terms(include_str!("special_categories.txt")))
}

fn parse_terms(list: &str) -> Vec<Term> {
    let mut category = String::from("other");
    let mut out = Vec::new();
    for line in list.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            category = name.trim().to_owned();
            continue;
        }
        out.push(Term {
            category: category.clone(),
            words: line.split_whitespace().map(str::to_lowercase).collect(),
        });
    }
    out
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == pattern,
    }
}

fn special_categories(chars: &[char]) -> Vec<(usize, usize, String)> {
    let words = words(chars);
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let mut matched = None;
        for term in special_terms() {
            let n = term.words.len();
            if k + n > words.len() {
                continue;
            }
            let all = term.words.iter().enumerate().all(|(m, pattern)| {
                let w = &words[k + m];
                word_matches(pattern, &w.lower)
                    && (m == 0
                        || chars[words[k + m - 1].end..w.start]
                            .iter()
                            .all(|c| is_space(*c)))
            });
            if all && matched.as_ref().is_none_or(|(len, _)| n > *len) {
                matched = Some((n, term.category.clone()));
            }
        }
        if let Some((n, category)) = matched {
            out.push((words[k].start, words[k + n - 1].end, category));
            k += n;
        } else {
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A national identity number with the right check digits for the first nine.
    fn with_check_digits(nine: &str) -> Option<String> {
        let d: Vec<u32> = nine.chars().map(digit).collect();
        let k = |weights: &[u32], d: &[u32]| -> Option<u32> {
            let sum: u32 = weights.iter().zip(d).map(|(w, x)| w * x).sum();
            match 11 - sum % 11 {
                11 => Some(0),
                10 => None,
                k => Some(k),
            }
        };
        let k1 = k(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &d)?;
        let mut ten = d.clone();
        ten.push(k1);
        let k2 = k(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &ten)?;
        Some(format!("{nine}{k1}{k2}"))
    }

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        find(text).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    /// Valid numbers: born 1 January 1990 (and a D-nummer for the same date, 41…).
    fn valid_ids() -> Vec<String> {
        let mut out = Vec::new();
        for start in [
            "010190123",
            "410190123",
            "290200500",
            "311299456",
            "150575987",
            "681187234",
        ] {
            for last in 0..10 {
                let nine = format!("{}{}", &start[..8], last);
                if let Some(id) = with_check_digits(&nine) {
                    out.push(id);
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn valid_national_ids_and_d_numbers_are_flagged() {
        let ids = valid_ids();
        assert_eq!(ids.len(), 6, "{ids:?}");
        assert!(
            ids.iter()
                .any(|id| id.starts_with('4') || id.starts_with('6'))
        );
        for id in &ids {
            let text = format!("Fødselsnummeret mitt er {id}, ring meg.");
            assert_eq!(kinds(&text), [(Kind::NationalId, id.clone())], "{text}");
            let spaced = format!("Fnr.: {} {}", &id[..6], &id[6..]);
            assert_eq!(
                kinds(&spaced),
                [(Kind::NationalId, spaced[6..].to_owned())],
                "{spaced}"
            );
        }
    }

    #[test]
    fn wrong_check_digits_and_impossible_dates_are_not_flagged() {
        for id in valid_ids() {
            for position in [9, 10] {
                let mut wrong: Vec<char> = id.chars().collect();
                wrong[position] = char::from_digit((digit(wrong[position]) + 1) % 10, 10).unwrap();
                let wrong: String = wrong.into_iter().collect();
                assert!(
                    find(&format!("Nummer {wrong} her.")).is_empty(),
                    "{wrong} flagged"
                );
            }
        }
        // Check digits right, but 30 February and month 13 do not exist.
        for nine in ["300290123", "011390123"] {
            for last in 0..10 {
                let candidate = format!("{}{}", &nine[..8], last);
                if let Some(id) = with_check_digits(&candidate) {
                    assert!(find(&id).is_empty(), "{id} flagged");
                }
            }
        }
        // Eleven digits of an account number.
        assert!(find("Kontonummer 12345678903.").is_empty());
    }

    #[test]
    fn ordinary_numbers_are_not_flagged() {
        for text in [
            "Planen gjeld frå 2024 til 2036, jf. § 12-4 og § 11-1 i plan- og bygningslova.",
            "Det kostar 12 500 000 kroner, eller kr 45000000 i alt.",
            "Budsjettet er 42345678 kr.",
            "Vedtak 20240131 i sak 24/1234, gnr. 12 bnr. 345.",
            "Organisasjonsnummer 974 760 673 og telefon 1881.",
            "Vi var 250 personar på møtet 14. mars 2025 kl. 18.00.",
            "I 2024 Kommunen vedtok planen, og kapittel 3 Vegen vidare.",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn phone_numbers_in_norwegian_formats_are_flagged() {
        for number in [
            "41234567",
            "412 34 567",
            "41 23 45 67",
            "+47 412 34 567",
            "+4741234567",
            "0047 22 33 44 55",
            "22 33 44 55",
        ] {
            let text = format!("Ring meg på {number} etter klokka fire.");
            assert_eq!(kinds(&text), [(Kind::Phone, number.to_owned())], "{text}");
        }
        // Numbers starting with 0 or 1 are no Norwegian subscriber numbers.
        assert!(find("Ring 12345678.").is_empty());
    }

    #[test]
    fn emails_addresses_and_special_categories_are_flagged_with_character_ranges() {
        let text = "Frå Åse Ødegård, Kyrkjevegen 12B, 5003 Bergen. E-post: åse.ødegård@døme.no.\n\
            Eg har diagnosen ADHD og går i moskeen. Sønnen min har psykiske plager.\n\
            Olav Tryggvasons gate 5\n7011 Trondheim";
        let found = find(text);
        let got: Vec<(Kind, &str)> = found.iter().map(|f| (f.kind, f.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Kind::Address, "Kyrkjevegen 12B, 5003 Bergen"),
                (Kind::Email, "åse.ødegård@døme.no"),
                (Kind::SpecialCategory, "diagnosen"),
                (Kind::SpecialCategory, "ADHD"),
                (Kind::SpecialCategory, "psykiske plager"),
                (Kind::Address, "Olav Tryggvasons gate 5\n7011 Trondheim"),
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        for f in &found {
            assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text);
        }
        assert_eq!(found[2].category.as_deref(), Some("helse"));
    }

    #[test]
    fn postcodes_alone_only_at_a_line_start_or_after_a_comma() {
        assert_eq!(
            kinds("Postboks 123, 0101 Oslo"),
            [(Kind::Address, "Postboks 123, 0101 Oslo".to_owned())]
        );
        assert_eq!(
            kinds("Ola Nordmann\n0150 Oslo"),
            [(Kind::Address, "0150 Oslo".to_owned())]
        );
        assert!(find("Frå 2024 Kommunen skal").is_empty());
        assert!(find("Riksveg 7 og Fylkesvei 714 går her.").is_empty());
    }

    #[test]
    fn the_special_category_list_parses_with_categories() {
        let terms = special_terms();
        assert!(terms.len() > 50);
        for category in [
            "helse",
            "religion",
            "etnisitet",
            "politikk",
            "fagforeining",
            "seksualitet",
            "straff",
        ] {
            assert!(terms.iter().any(|t| t.category == category), "{category}");
        }
    }
}
