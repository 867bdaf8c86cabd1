//! The report as a Word document: a title, a summary table per outcome, and under a
//! heading for each section (or theme) a real Word table with one row per input.

use super::{
    heading_label, outcome_label, sections_label, sender_label, summary_point_label,
    summary_subject_label,
};
use consultation::assessment::{HearingReport, ReportRow};
use docx_rs::{
    Docx, PageMargin, PageOrientationType, Paragraph, Run, Style, StyleType, Table, TableCell,
    TableRow,
};
use domain::Lang;

/// The longest excerpt of an input shown where no summary is written yet.
const EXCERPT_CHARS: usize = 300;

fn text_cell(text: &str) -> TableCell {
    let mut cell = TableCell::new();
    let mut any = false;
    for line in text.lines() {
        cell = cell.add_paragraph(Paragraph::new().add_run(Run::new().add_text(line)));
        any = true;
    }
    if !any {
        cell = cell.add_paragraph(Paragraph::new());
    }
    cell
}

fn header_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()))
}

fn heading(text: &str, level: usize) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .add_run(Run::new().add_text(text))
}

fn heading_style(level: usize, size: usize) -> Style {
    Style::new(format!("Heading{level}"), StyleType::Paragraph)
        .name(format!("heading {level}"))
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .outline_lvl(level - 1)
        .size(size)
        .bold()
}

/// The summary of an input, or an excerpt of its text where none is written yet.
fn summary_or_excerpt(row: &ReportRow) -> String {
    if !row.summary.trim().is_empty() {
        return row.summary.clone();
    }
    let mut excerpt: String = row.text.chars().take(EXCERPT_CHARS).collect();
    if row.text.chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    excerpt
}

fn input_table(lang: Lang, rows: &[ReportRow]) -> Table {
    let columns = [
        "report-col-number",
        "report-col-from",
        "report-col-summary",
        "report-col-outcome",
        "report-col-response",
        "report-col-change",
        "report-col-sections",
    ];
    let mut table_rows = vec![TableRow::new(
        columns
            .iter()
            .map(|id| header_cell(&i18n::t(lang, id)))
            .collect(),
    )];
    for row in rows {
        table_rows.push(TableRow::new(vec![
            text_cell(&row.number.to_string()),
            text_cell(&sender_label(lang, row)),
            text_cell(&summary_or_excerpt(row)),
            text_cell(&outcome_label(lang, row.outcome)),
            text_cell(&row.response),
            text_cell(&row.change),
            text_cell(&sections_label(row)),
        ]));
    }
    // Twentieths of a point across the landscape page inside its margins.
    Table::new(table_rows).set_grid(vec![700, 2000, 3000, 1800, 3600, 2200, 1538])
}

pub(crate) fn docx(report: &HearingReport, lang: Lang) -> Result<Vec<u8>, String> {
    let title = i18n::catalog().message(
        lang,
        "report-title",
        &[("hearing", report.hearing.title.clone().into())],
    );
    let generated = i18n::format_datetime(lang, report.generated_at);
    let mut doc = Docx::new()
        .add_style(heading_style(1, 36))
        .add_style(heading_style(2, 28))
        // Landscape: seven columns of text.
        .page_size(16838, 11906)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(1000)
                .bottom(1000)
                .left(1000)
                .right(1000),
        )
        .add_paragraph(heading(&title, 1))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(format!(
            "{} · {}",
            report.plan.title,
            i18n::catalog().message(lang, "report-generated", &[("when", generated.into())])
        ))));
    if report.options.anonymise {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(Run::new().add_text(i18n::t(lang, "report-anonymised"))),
        );
    }
    let mut totals = vec![TableRow::new(vec![
        header_cell(&i18n::t(lang, "report-col-outcome")),
        header_cell(&i18n::t(lang, "report-col-count")),
    ])];
    for total in &report.totals {
        totals.push(TableRow::new(vec![
            text_cell(&outcome_label(lang, total.outcome)),
            text_cell(&total.count.to_string()),
        ]));
    }
    doc = doc
        .add_paragraph(heading(&i18n::t(lang, "report-totals"), 2))
        .add_table(Table::new(totals).set_grid(vec![5000, 2000]));
    // Only summaries a planner approved: a suggestion never reaches the report.
    if !report.summaries.is_empty() {
        doc = doc.add_paragraph(heading(&i18n::t(lang, "report-summaries"), 2));
        for summary in &report.summaries {
            doc = doc.add_paragraph(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(summary_subject_label(lang, &summary.subject))
                        .bold(),
                ),
            );
            for point in &summary.points {
                doc = doc.add_paragraph(
                    Paragraph::new().add_run(Run::new().add_text(summary_point_label(lang, point))),
                );
            }
        }
    }
    for group in &report.groups {
        doc = doc
            .add_paragraph(heading(&heading_label(lang, &group.heading), 2))
            .add_table(input_table(lang, &group.rows));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
