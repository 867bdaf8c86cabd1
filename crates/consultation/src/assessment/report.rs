//! The assessment report of a hearing (the table for the political case): every
//! input of the hearing a row, assessed or not, grouped by section or theme, with a
//! count per outcome. Private persons' names can be left out; organisations are
//! always named. The server renders it as DOCX, CSV and HTML.

use super::AssessmentError;
use crate::Consultation;
use db::DbError;
use domain::assessment::{AssessmentState, InputContent, InputKind, Outcome, RegisteredInput};
use domain::hearing::Hearing;
use domain::plan::{Plan, Section};
use domain::policy::Actor;
use domain::{HearingId, SectionId};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Section,
    Theme,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s {
            "section" => Some(GroupBy::Section),
            "theme" => Some(GroupBy::Theme),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Section => "section",
            GroupBy::Theme => "theme",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    pub group_by: GroupBy,
    /// Leave out the names of private persons (organisations stay named).
    pub anonymise: bool,
}

/// What a group of rows is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupHeading {
    Section {
        number: String,
        title: String,
    },
    Theme(String),
    /// Inputs linked to no section.
    NoSection,
    /// Inputs tagged with no theme.
    NoTheme,
}

/// One input of the report.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub number: i32,
    pub kind: InputKind,
    /// `None` when a private person's name is left out.
    pub sender: Option<String>,
    pub organisation: bool,
    pub text: String,
    /// For a reply: the comment it answers.
    pub context: Option<String>,
    pub late: bool,
    pub received_at: jiff::Timestamp,
    pub state: AssessmentState,
    pub summary: String,
    pub outcome: Option<Outcome>,
    pub response: String,
    pub change: String,
    /// The linked sections (or, when none are linked, the input's own), in document
    /// order, as `(number, title)`.
    pub sections: Vec<(String, String)>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ReportGroup {
    pub heading: GroupHeading,
    pub rows: Vec<ReportRow>,
}

/// How many inputs got an outcome; `None` counts those without one yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeCount {
    pub outcome: Option<Outcome>,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct HearingReport {
    pub plan: Plan,
    pub hearing: Hearing,
    pub options: ReportOptions,
    pub groups: Vec<ReportGroup>,
    pub totals: Vec<OutcomeCount>,
    /// The summaries a planner approved (never the ones only suggested).
    pub summaries: Vec<super::ApprovedSummary>,
    pub generated_at: jiff::Timestamp,
}

impl HearingReport {
    /// Every row, group by group.
    pub fn rows(&self) -> impl Iterator<Item = &ReportRow> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }
}

fn row(
    input: &RegisteredInput,
    sections: &HashMap<SectionId, &Section>,
    anonymise: bool,
) -> ReportRow {
    let (sender, organisation) = input.sender();
    let entry = &input.entry;
    let a = &entry.assessment;
    let linked = if a.section_ids.is_empty() {
        &entry.input_section_ids
    } else {
        &a.section_ids
    };
    let mut linked: Vec<&Section> = linked
        .iter()
        .filter_map(|id| sections.get(id).copied())
        .collect();
    linked.sort_by_key(|s| s.position);
    let context = match &input.content {
        InputContent::Comment {
            parent: Some(parent),
            ..
        } => Some(parent.body.clone()),
        _ => None,
    };
    ReportRow {
        number: entry.number,
        kind: entry.kind,
        sender: (organisation || !anonymise).then(|| sender.to_owned()),
        organisation,
        text: input.text().to_owned(),
        context,
        late: entry.late,
        received_at: entry.received_at,
        state: a.state,
        summary: a.summary.clone(),
        outcome: a.outcome,
        response: a.response.clone(),
        change: a.change.clone(),
        sections: linked
            .iter()
            .map(|s| (s.number.clone(), s.title.clone()))
            .collect(),
        themes: a.themes.iter().map(|t| t.name.clone()).collect(),
    }
}

/// Each input once, under its first section (in document order) or first theme
/// (by name); those with none last.
fn group(
    inputs: &[RegisteredInput],
    sections: &HashMap<SectionId, &Section>,
    options: ReportOptions,
) -> Vec<ReportGroup> {
    // Those with a section or theme first, in document or name order.
    type SortKey = (u8, i64, String);
    let mut groups: Vec<(SortKey, GroupHeading, Vec<ReportRow>)> = Vec::new();
    for input in inputs {
        let r = row(input, sections, options.anonymise);
        let (key, heading) = match options.group_by {
            GroupBy::Section => {
                let entry = &input.entry;
                let ids = if entry.assessment.section_ids.is_empty() {
                    &entry.input_section_ids
                } else {
                    &entry.assessment.section_ids
                };
                let first = ids
                    .iter()
                    .filter_map(|id| sections.get(id).copied())
                    .min_by_key(|s| s.position);
                match first {
                    Some(s) => (
                        (0, i64::from(s.position), s.number.clone()),
                        GroupHeading::Section {
                            number: s.number.clone(),
                            title: s.title.clone(),
                        },
                    ),
                    None => ((1, 0, String::new()), GroupHeading::NoSection),
                }
            }
            GroupBy::Theme => match r.themes.iter().min_by_key(|t| t.to_lowercase()) {
                Some(t) => ((0, 0, t.to_lowercase()), GroupHeading::Theme(t.clone())),
                None => ((1, 0, String::new()), GroupHeading::NoTheme),
            },
        };
        match groups.iter_mut().find(|(_, h, _)| *h == heading) {
            Some((_, _, rows)) => rows.push(r),
            None => groups.push((key, heading, vec![r])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .map(|(_, heading, rows)| ReportGroup { heading, rows })
        .collect()
}

fn totals(inputs: &[RegisteredInput]) -> Vec<OutcomeCount> {
    Outcome::ALL
        .iter()
        .map(|o| Some(*o))
        .chain([None])
        .map(|outcome| OutcomeCount {
            outcome,
            count: inputs
                .iter()
                .filter(|i| i.entry.assessment.outcome == outcome)
                .count(),
        })
        .collect()
}

impl Consultation {
    /// The assessment report of a hearing, for the plan's planners.
    pub async fn hearing_report(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
        options: ReportOptions,
    ) -> Result<HearingReport, AssessmentError> {
        let hearing = match self.db().hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(AssessmentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = match self.assessed_plan(actor, hearing.plan_id).await {
            Err(AssessmentError::PlanNotFound) => return Err(AssessmentError::HearingNotFound),
            other => other?,
        };
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let inputs = self.case_file_inputs(entries).await?;
        let hearings = self.db().hearings_of_plan(plan.id).await?;
        let sections = self.plan_sections(&hearings).await?;
        let by_id: HashMap<SectionId, &Section> = sections
            .iter()
            .map(|s| (s.section.id, &s.section))
            .collect();
        let summaries = self.approved_summaries(&hearing).await?;
        Ok(HearingReport {
            summaries,
            groups: group(&inputs, &by_id, options),
            totals: totals(&inputs),
            plan,
            hearing,
            options,
            generated_at: self.now(),
        })
    }
}
