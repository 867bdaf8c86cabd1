//! The report as CSV: UTF-8 with a byte order mark (so spreadsheets read æ, ø and å),
//! comma or semicolon between cells, and every cell that a spreadsheet would take
//! for a formula neutralised with a leading apostrophe.

use super::{heading_label, outcome_label, sections_label, sender_label};
use consultation::assessment::HearingReport;
use domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    Comma,
    Semicolon,
}

/// A cell a spreadsheet would run as a formula (or a DDE call) starts with `'`.
pub(crate) fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

pub(crate) fn csv(
    report: &HearingReport,
    lang: Lang,
    separator: Separator,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(match separator {
                Separator::Comma => b',',
                Separator::Semicolon => b';',
            })
            .from_writer(&mut out);
        let group_column = match report.options.group_by {
            consultation::assessment::GroupBy::Section => "report-col-group-section",
            consultation::assessment::GroupBy::Theme => "report-col-group-theme",
        };
        let headings = [
            "report-col-number",
            group_column,
            "report-col-kind",
            "report-col-received",
            "report-col-late",
            "report-col-from",
            "report-col-text",
            "report-col-reply-to",
            "report-col-summary",
            "report-col-outcome",
            "report-col-response",
            "report-col-change",
            "report-col-sections",
            "report-col-themes",
            "report-col-state",
        ];
        writer.write_record(headings.iter().map(|id| neutralise(&i18n::t(lang, id))))?;
        let yes_no = |b: bool| i18n::t(lang, if b { "report-yes" } else { "report-no" });
        for group in &report.groups {
            let heading = heading_label(lang, &group.heading);
            for row in &group.rows {
                let cells = [
                    row.number.to_string(),
                    heading.clone(),
                    i18n::t(lang, &format!("input-kind-{}", row.kind.as_str())),
                    i18n::format_date(
                        lang,
                        row.received_at.to_zoned(domain::deadline::oslo()).date(),
                    ),
                    yes_no(row.late),
                    sender_label(lang, row),
                    row.text.clone(),
                    row.context.clone().unwrap_or_default(),
                    row.summary.clone(),
                    outcome_label(lang, row.outcome),
                    row.response.clone(),
                    row.change.clone(),
                    sections_label(row),
                    row.themes.join("; "),
                    i18n::t(lang, &format!("assessment-state-{}", row.state.as_str())),
                ];
                writer.write_record(cells.iter().map(|c| neutralise(c)))?;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_and_control_starts_are_neutralised() {
        for cell in ["=SUM(A1)", "+47 999", "-1", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("Ærlig talt"), "Ærlig talt");
        assert_eq!(neutralise(""), "");
    }
}
