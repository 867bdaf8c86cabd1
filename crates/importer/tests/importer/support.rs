//! Helpers shared by the test modules.

use importer::Imported;

/// `(number, title)` of every section, in order.
pub fn outline(imported: &Imported) -> Vec<(String, String)> {
    imported
        .sections
        .iter()
        .map(|s| (s.number.clone(), s.title.clone()))
        .collect()
}

/// `(number, title)` pairs from literals, for comparing with [`outline`].
pub fn expected(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// The body of the section with this number.
pub fn body<'a>(imported: &'a Imported, number: &str) -> &'a str {
    &imported
        .sections
        .iter()
        .find(|s| s.number == number)
        .unwrap_or_else(|| panic!("no section {number:?} in {:#?}", outline(imported)))
        .body
}

pub fn warning_codes(imported: &Imported) -> Vec<&'static str> {
    imported.warnings.iter().map(|w| w.code).collect()
}
