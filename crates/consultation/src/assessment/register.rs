//! Reading a plan's register: every input of every hearing of the plan with its
//! number, filtered by an allow-listed set of keys, searched with Norwegian stemming
//! and paged by number.

use super::{AssessmentError, search};
use crate::Consultation;
use db::{AssigneeFilter, MoreFilters, RegisterFilter};
use domain::assessment::{AssessmentState, InputKind, RegisteredInput, Theme};
use domain::hearing::Hearing;
use domain::plan::{Plan, Section};
use domain::policy::Actor;
use domain::workbench::SubmitterKind;
use domain::{HearingId, PersonId, PlanId, SectionId, ThemeId};
use jiff::civil::Date;
use std::collections::HashMap;

/// Rows on one page unless the reader asks for another number.
pub const DEFAULT_PAGE: u64 = 50;
/// The most rows on one page.
pub const MAX_PAGE: u64 = 200;

/// The keys a register may be asked with; anything else is refused.
pub const QUERY_KEYS: &[&str] = &[
    "hearing",
    "section",
    "kind",
    "state",
    "late",
    "q",
    "sort",
    "after",
    "limit",
    "submitter",
    "theme",
    "from",
    "to",
    "assignee",
];

/// Whose inputs a register shows by assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeQuery {
    /// The reader's own (`assignee=me`).
    Me,
    /// Nobody's yet (`assignee=none`).
    Nobody,
    Planner(PersonId),
}

/// What a reader asks of the register, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    pub hearing: Option<HearingId>,
    pub section: Option<SectionId>,
    pub kind: Option<InputKind>,
    pub state: Option<AssessmentState>,
    pub late: Option<bool>,
    /// The words searched for, as typed.
    pub q: String,
    /// Newest first (`sort=-number`) instead of oldest first.
    pub descending: bool,
    /// Rows after this number (before it when descending).
    pub after: Option<i32>,
    pub limit: u64,
    pub submitter: Option<SubmitterKind>,
    pub theme: Option<ThemeId>,
    /// Received on or after this day (Europe/Oslo).
    pub from: Option<Date>,
    /// Received on or before this day (Europe/Oslo).
    pub to: Option<Date>,
    pub assignee: Option<AssigneeQuery>,
}

impl RegisterQuery {
    /// Reads the query string's pairs: unknown keys are refused, empty values are
    /// left out (as a form sends them).
    pub fn parse(pairs: &[(String, String)]) -> Result<RegisterQuery, AssessmentError> {
        let mut query = RegisterQuery {
            limit: DEFAULT_PAGE,
            ..RegisterQuery::default()
        };
        for (key, value) in pairs {
            if !QUERY_KEYS.contains(&key.as_str()) {
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
                "hearing" => query.hearing = Some(value.parse().map_err(|_| bad())?),
                "section" => query.section = Some(value.parse().map_err(|_| bad())?),
                "kind" => query.kind = Some(InputKind::parse(value).ok_or_else(bad)?),
                "state" => query.state = Some(AssessmentState::parse(value).ok_or_else(bad)?),
                "late" => {
                    query.late = Some(match value {
                        "true" | "yes" | "1" => true,
                        "false" | "no" | "0" => false,
                        _ => return Err(bad()),
                    })
                }
                "q" => query.q = value.chars().take(200).collect(),
                "sort" => {
                    query.descending = match value {
                        "number" => false,
                        "-number" => true,
                        _ => return Err(AssessmentError::UnknownFilter(format!("sort={value}"))),
                    }
                }
                "after" => query.after = Some(value.parse().map_err(|_| bad())?),
                "submitter" => query.submitter = Some(SubmitterKind::parse(value).ok_or_else(bad)?),
                "theme" => query.theme = Some(value.parse().map_err(|_| bad())?),
                "from" => query.from = Some(value.parse().map_err(|_| bad())?),
                "to" => query.to = Some(value.parse().map_err(|_| bad())?),
                "assignee" => {
                    query.assignee = Some(match value {
                        "me" => AssigneeQuery::Me,
                        "none" => AssigneeQuery::Nobody,
                        id => AssigneeQuery::Planner(id.parse().map_err(|_| bad())?),
                    })
                }
                "limit" => {
                    query.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_PAGE).contains(n))
                        .ok_or_else(bad)?
                }
                _ => return Err(bad()),
            }
        }
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(AssessmentError::InvalidFilter("to".to_owned()));
        }
        Ok(query)
    }

    /// The filters beyond the basic ones, as storage reads them, for this reader.
    fn more_filters(&self, actor: &Actor) -> Result<MoreFilters, AssessmentError> {
        let oslo = domain::deadline::oslo();
        let start_of = |day: Date| {
            day.to_zoned(oslo.clone())
                .map(|z| z.timestamp())
                .map_err(|_| AssessmentError::InvalidFilter("from".to_owned()))
        };
        let after_day = |day: Date| {
            day.tomorrow()
                .map_err(|_| AssessmentError::InvalidFilter("to".to_owned()))
        };
        Ok(MoreFilters {
            submitter: self.submitter,
            theme: self.theme,
            received_from: self.from.map(start_of).transpose()?,
            received_before: match self.to {
                Some(day) => Some(start_of(after_day(day)?)?),
                None => None,
            },
            assignee: match self.assignee {
                None => None,
                Some(AssigneeQuery::Nobody) => Some(AssigneeFilter::Nobody),
                Some(AssigneeQuery::Planner(p)) => Some(AssigneeFilter::Planner(p)),
                Some(AssigneeQuery::Me) => {
                    Some(AssigneeFilter::Planner(actor.person.ok_or_else(|| {
                        AssessmentError::InvalidFilter("assignee".to_owned())
                    })?))
                }
            },
        })
    }
}

/// A section that inputs of the plan can point to, with the hearing it was on.
#[derive(Debug, Clone)]
pub struct SectionRef {
    pub hearing_id: HearingId,
    pub section: Section,
}

/// One page of a plan's register, with what its filters and rows name.
#[derive(Debug, Clone)]
pub struct RegisterPage {
    pub plan: Plan,
    pub hearings: Vec<Hearing>,
    pub sections: Vec<SectionRef>,
    pub themes: Vec<Theme>,
    pub inputs: Vec<RegisteredInput>,
    /// Rows matching the filters, on every page.
    pub total: u64,
    /// The `after` of the next page, when there is one.
    pub next_after: Option<i32>,
}

impl RegisterPage {
    /// The sections by id, for labels.
    pub fn section_map(&self) -> HashMap<SectionId, &Section> {
        self.sections
            .iter()
            .map(|s| (s.section.id, &s.section))
            .collect()
    }
}

impl Consultation {
    /// The sections of every hearing of a plan, hearing by hearing in document order.
    pub(super) async fn plan_sections(
        &self,
        hearings: &[Hearing],
    ) -> Result<Vec<SectionRef>, AssessmentError> {
        let mut out = Vec::new();
        for hearing in hearings {
            for section in self.db().sections_of(hearing.document_version_id).await? {
                if !out.iter().any(|s: &SectionRef| s.section.id == section.id) {
                    out.push(SectionRef {
                        hearing_id: hearing.id,
                        section,
                    });
                }
            }
        }
        Ok(out)
    }

    /// One page of the plan's register for its planners.
    pub async fn plan_register(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        query: &RegisterQuery,
    ) -> Result<RegisterPage, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let hearings = self.db().hearings_of_plan(plan.id).await?;
        let sections = self.plan_sections(&hearings).await?;
        let themes = self.db().themes_of_plan(plan.id).await?;
        let mut filter = RegisterFilter {
            hearing: query.hearing,
            section: query.section,
            kind: query.kind,
            state: query.state,
            late: query.late,
            tokens: search::query_tokens(&query.q),
            after: None,
            descending: query.descending,
            // One more than shown tells whether there is a next page.
            limit: query.limit + 1,
            more: query.more_filters(actor)?,
        };
        let total = self.db().register_count(plan.id, &filter).await?;
        filter.after = query.after;
        let mut rows = self.db().register_page(plan.id, &filter).await?;
        let next_after = if rows.len() as u64 > query.limit {
            rows.truncate(query.limit as usize);
            rows.last().map(|r| r.number)
        } else {
            None
        };
        let inputs = self.case_file_inputs(rows).await?;
        Ok(RegisterPage {
            plan,
            hearings,
            sections,
            themes,
            inputs,
            total,
            next_after,
        })
    }
}
