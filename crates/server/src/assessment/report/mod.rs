//! The hearing's assessment report as files: a Word document (`docx.rs`) and a CSV
//! table (`csv.rs`), with the labels in the language asked for (nynorsk unless told).

mod csv;
mod docx;

pub(crate) use self::csv::{Separator, csv};
pub(crate) use self::docx::docx;

use consultation::assessment::{AssessmentError, GroupBy, GroupHeading, ReportOptions, ReportRow};
use domain::Lang;
use domain::assessment::Outcome;

/// The keys a report may be asked with.
const KEYS: &[&str] = &["group_by", "anonymise", "lang", "separator"];

/// What a reader asks of a report: its grouping and names, its language and (for
/// CSV) its separator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportQuery {
    pub options: ReportOptions,
    pub lang: Lang,
    pub separator: Separator,
}

impl ReportQuery {
    /// Reads the query string: unknown keys and values are refused, empty values left out.
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<ReportQuery, AssessmentError> {
        let mut query = ReportQuery {
            options: ReportOptions::default(),
            lang: Lang::Nn,
            separator: Separator::Comma,
        };
        for (key, value) in pairs {
            if !KEYS.contains(&key.as_str()) {
                return Err(AssessmentError::UnknownFilter(
                    key.chars().take(40).collect(),
                ));
            }
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let bad = || AssessmentError::InvalidFilter(key.clone());
            match key.as_str() {
                "group_by" => query.options.group_by = GroupBy::parse(value).ok_or_else(bad)?,
                "anonymise" => {
                    query.options.anonymise = match value {
                        "true" | "yes" | "1" => true,
                        "false" | "no" | "0" => false,
                        _ => return Err(bad()),
                    }
                }
                "lang" => query.lang = Lang::parse(value).ok_or_else(bad)?,
                "separator" => {
                    query.separator = match value {
                        "comma" | "," => Separator::Comma,
                        "semicolon" | ";" => Separator::Semicolon,
                        _ => return Err(bad()),
                    }
                }
                _ => return Err(bad()),
            }
        }
        Ok(query)
    }
}

/// An outcome as the report names it; "not assessed yet" for none.
pub(crate) fn outcome_label(lang: Lang, outcome: Option<Outcome>) -> String {
    match outcome {
        Some(o) => i18n::t(lang, &format!("outcome-{}", o.as_str())),
        None => i18n::t(lang, "outcome-none"),
    }
}

/// Who gave an input as the report shows it.
pub(crate) fn sender_label(lang: Lang, row: &ReportRow) -> String {
    match &row.sender {
        Some(name) if !name.trim().is_empty() => name.clone(),
        _ => i18n::t(lang, "report-private-person"),
    }
}

pub(crate) fn sections_label(row: &ReportRow) -> String {
    row.sections
        .iter()
        .map(|(number, title)| format!("{number} {title}").trim().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// What an approved summary is about, as a heading.
pub(crate) fn summary_subject_label(
    lang: Lang,
    subject: &consultation::assessment::SummarySubject,
) -> String {
    use consultation::assessment::SummarySubject;
    match subject {
        SummarySubject::Section(s) => format!("{} {}", s.number, s.title).trim().to_owned(),
        SummarySubject::NoSection => i18n::t(lang, "report-no-section"),
        SummarySubject::Theme { name, .. } => i18n::catalog().message(
            lang,
            "report-summary-theme",
            &[("theme", name.clone().into())],
        ),
    }
}

/// One sentence of an approved summary with the input it came from and how many
/// inputs share it.
pub(crate) fn summary_point_label(
    lang: Lang,
    p: &consultation::assessment::SummaryPoint,
) -> String {
    let source = i18n::catalog().message(
        lang,
        "report-summary-source",
        &[
            ("number", i64::from(p.input.number).into()),
            ("count", (p.shared_by as i64).into()),
        ],
    );
    format!("«{}» ({source})", p.text)
}

pub(crate) fn heading_label(lang: Lang, heading: &GroupHeading) -> String {
    match heading {
        GroupHeading::Section { number, title } => format!("{number} {title}").trim().to_owned(),
        GroupHeading::Theme(name) => name.clone(),
        GroupHeading::NoSection => i18n::t(lang, "report-no-section"),
        GroupHeading::NoTheme => i18n::t(lang, "report-no-theme"),
    }
}
