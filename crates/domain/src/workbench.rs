//! The planner's workbench around the register: who an input comes from, the
//! figures of a plan's inputs for its dashboard, and which assessments a bulk
//! action may change.

use crate::assessment::{AssessmentState, Outcome};
use crate::ids::*;
use crate::organisation::OrganisationKind;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Who gave an input: a private person, an organisation of a known kind (councils
/// among them), or an organisation whose kind was not recorded (a registered letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitterKind {
    Person,
    Organisation(OrganisationKind),
    /// A letter from an organisation: its kind is not known.
    OtherOrganisation,
}

impl SubmitterKind {
    /// Every kind, in the order the dashboard lists them.
    pub fn all() -> Vec<SubmitterKind> {
        let mut all = vec![SubmitterKind::Person];
        all.extend(OrganisationKind::ALL.map(SubmitterKind::Organisation));
        all.push(SubmitterKind::OtherOrganisation);
        all
    }

    /// The name in filters, the API and message ids.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmitterKind::Person => "person",
            SubmitterKind::Organisation(kind) => kind.as_str(),
            SubmitterKind::OtherOrganisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<SubmitterKind> {
        SubmitterKind::all().into_iter().find(|k| k.as_str() == s)
    }
}

/// How many inputs share one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally<K> {
    pub key: K,
    pub count: u64,
}

/// The figures of a plan's register (or of one hearing's part of it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InputStatistics {
    pub total: u64,
    /// Inputs that point to the section or whose assessment links it, in document order.
    pub by_section: Vec<Tally<SectionId>>,
    /// Inputs received per day (Europe/Oslo), oldest first, days without input left out.
    pub by_day: Vec<Tally<Date>>,
    pub by_submitter: Vec<Tally<SubmitterKind>>,
    /// `None`: no outcome decided yet.
    pub by_outcome: Vec<Tally<Option<Outcome>>>,
    pub by_state: Vec<Tally<AssessmentState>>,
    /// Inputs tagged with each theme of the plan, by theme name.
    pub by_theme: Vec<Tally<ThemeId>>,
    /// Inputs with no theme yet.
    pub without_theme: u64,
}

/// Whether a bulk action may change an assessment in this state: only what is not
/// yet reviewed; a reviewed or published assessment is left as it is (and named).
pub fn bulk_may_change(state: AssessmentState) -> bool {
    matches!(
        state,
        AssessmentState::Unassessed | AssessmentState::Drafted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitter_kinds_round_trip_and_are_distinct() {
        let all = SubmitterKind::all();
        for kind in &all {
            assert_eq!(SubmitterKind::parse(kind.as_str()), Some(*kind));
        }
        let mut names: Vec<&str> = all.iter().map(|k| k.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert_eq!(
            SubmitterKind::parse("council"),
            Some(SubmitterKind::Organisation(OrganisationKind::Council))
        );
        assert_eq!(SubmitterKind::parse("club"), None);
    }

    #[test]
    fn bulk_actions_leave_reviewed_and_published_assessments_alone() {
        assert!(bulk_may_change(AssessmentState::Unassessed));
        assert!(bulk_may_change(AssessmentState::Drafted));
        assert!(!bulk_may_change(AssessmentState::Reviewed));
        assert!(!bulk_may_change(AssessmentState::Published));
    }
}
