//! The planners' assessment of inputs (merknadsbehandling, pbl § 11-14): letters
//! registered by hand (`letters`), the register of every input of a plan with its
//! stable number, filters and search (`register`), the assessment of each input with
//! its states, the four-eyes rule, themes and history (`assess`), and the report of a
//! hearing (`report`), suggestions computed by `analysis` (`suggestions`: near-copies,
//! themes, summaries per section and theme; stored with state and history, used only once a planner accepts them), and the trace from an input to the text it changed (`trace`). Everything here is for the plan's planners only: to anyone
//! else a plan, input or hearing is unknown.

mod assess;
mod letters;
mod publish;
mod register;
mod report;
pub mod search;
mod suggestions;
mod trace;
mod workbench;

pub use assess::{AssessmentCommand, InputAssessment, ThemeCommand};
pub use letters::LetterCommand;
pub use publish::{PublishedBatch, UnreviewedInput};
pub use register::{AssigneeQuery, QUERY_KEYS, RegisterPage, RegisterQuery, SectionRef};
pub use report::{
    GroupBy, GroupHeading, HearingReport, OutcomeCount, ReportGroup, ReportOptions, ReportRow,
};
pub use suggestions::{
    ApprovedSummary, HearingSuggestions, MemberDifference, SectionSummary, SuggestedGroup,
    SuggestedInput, SuggestedTheme, SuggestionDecision, SuggestionMark, SuggestionState,
    SuggestionStep, SummaryPoint, SummarySubject,
};
pub use trace::{ChangePlace, TracedChanges, TracedInput};

pub use workbench::{
    BulkAssessmentCommand, BulkResult, MAX_SELECTION, PlanStatistics, RegisterSurroundings,
    SkippedInput,
};

use crate::Consultation;
use crate::access::{PlanRefusal, editable_plan};
use db::{AssessmentWriteError, DbError};
use domain::PlanId;
use domain::assessment::StateRefusal;
use domain::plan::Plan;
use domain::policy::Actor;
use domain::validate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    #[error("this needs a planner's sign-in or API token (Authorization: Bearer <token>)")]
    NotSignedIn,
    /// Unknown, or not the actor's: the two look the same.
    #[error("the plan does not exist")]
    PlanNotFound,
    #[error("the hearing does not exist")]
    HearingNotFound,
    #[error("the input does not exist")]
    InputNotFound,
    #[error("the theme does not exist")]
    ThemeNotFound,
    #[error("the hearing belongs to another plan")]
    HearingNotInPlan,
    #[error("a section is not part of the plan's documents on hearing")]
    SectionNotInPlan,
    #[error(
        "change_section_id must be a section of a later version (2 or newer) of one of the plan's documents"
    )]
    ChangeSectionInvalid,
    #[error("a theme is not one of the plan's")]
    UnknownTheme,
    #[error("the plan has a theme with this name already")]
    ThemeExists,
    #[error("{field} must be one of: {allowed}")]
    UnknownValue {
        field: &'static str,
        allowed: String,
    },
    #[error("received_on must be a date written YYYY-MM-DD")]
    InvalidDate,
    #[error("received_on is in the future; give the day the letter arrived")]
    ReceivedInFuture,
    #[error(
        "unknown filter or sort key {0:?}; use hearing, section, kind, state, late, submitter, theme, from, to, assignee, q, sort, after or limit"
    )]
    UnknownFilter(String),
    #[error("the value of {0:?} is not valid")]
    InvalidFilter(String),
    #[error("summary, outcome and response are needed before the assessment is reviewed")]
    Incomplete,
    #[error("a second planner must review the assessment: its author cannot review it")]
    FourEyes,
    #[error("this step does not follow from the assessment's state")]
    WrongState,
    #[error("{} input(s) are not reviewed: numbers {}; confirm to publish the reviewed ones without them", .0.len(), .0.iter().map(|i| i.number.to_string()).collect::<Vec<_>>().join(", "))]
    Unreviewed(Vec<UnreviewedInput>),
    #[error("select at least one input")]
    NothingSelected,
    #[error("select at most {} inputs at once", workbench::MAX_SELECTION)]
    SelectionTooLarge,
    #[error("the assignee must be one of the plan's planners")]
    UnknownAssignee,
    #[error("the suggestion does not exist")]
    SuggestionNotFound,
    #[error("the suggestion was decided or recomputed meanwhile; look at it again")]
    SuggestionChanged,
    #[error("a group keeps at least two inputs")]
    GroupTooSmall,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl AssessmentError {
    /// The stable code of the refusal: the API's `error` and the form's message id.
    pub fn code(&self) -> &'static str {
        use AssessmentError::*;
        match self {
            NotSignedIn => "unauthorized",
            PlanNotFound | HearingNotFound | InputNotFound | ThemeNotFound => "not_found",
            HearingNotInPlan => "hearing_not_in_plan",
            SectionNotInPlan => "section_not_in_plan",
            ChangeSectionInvalid => "invalid_change_section",
            UnknownTheme => "unknown_theme",
            ThemeExists => "theme_exists",
            UnknownValue { .. } => "invalid_value",
            InvalidDate => "invalid_date",
            ReceivedInFuture => "received_in_future",
            UnknownFilter(_) => "unknown_filter",
            InvalidFilter(_) => "invalid_filter",
            Incomplete => "incomplete",
            FourEyes => "four_eyes",
            WrongState => "wrong_state",
            Unreviewed(_) => "unreviewed_assessments",
            NothingSelected => "nothing_selected",
            SelectionTooLarge => "selection_too_large",
            UnknownAssignee => "unknown_assignee",
            SuggestionNotFound => "not_found",
            SuggestionChanged => "suggestion_changed",
            GroupTooSmall => "group_too_small",
            Invalid(_) => "validation_failed",
            Db(_) => "database",
        }
    }
}

impl From<AssessmentWriteError> for AssessmentError {
    fn from(err: AssessmentWriteError) -> Self {
        match err {
            AssessmentWriteError::Refused(StateRefusal::FourEyes) => AssessmentError::FourEyes,
            AssessmentWriteError::Refused(StateRefusal::Incomplete) => AssessmentError::Incomplete,
            AssessmentWriteError::Refused(StateRefusal::WrongState) => AssessmentError::WrongState,
            AssessmentWriteError::UnknownTheme => AssessmentError::UnknownTheme,
            AssessmentWriteError::Db(DbError::NotFound) => AssessmentError::InputNotFound,
            AssessmentWriteError::Db(e) => AssessmentError::Db(e),
        }
    }
}

fn parse_choice<T: Copy>(
    field: &'static str,
    value: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, AssessmentError> {
    all.iter()
        .copied()
        .find(|v| name(*v) == value.trim())
        .ok_or_else(|| AssessmentError::UnknownValue {
            field,
            allowed: all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", "),
        })
}

impl Consultation {
    /// The inputs as the case file holds them, for the plan's planners: a comment
    /// published with parts redacted shows its original text here (everyone else
    /// sees the redacted one).
    pub(crate) async fn case_file_inputs(
        &self,
        rows: Vec<domain::assessment::RegisterEntry>,
    ) -> Result<Vec<domain::assessment::RegisteredInput>, DbError> {
        let mut inputs = self.db().registered_inputs(rows).await?;
        let ids: Vec<domain::CommentId> = inputs
            .iter()
            .filter_map(|i| match &i.content {
                domain::assessment::InputContent::Comment { comment, .. } => Some(comment.id),
                _ => None,
            })
            .collect();
        let originals = self.db().redacted_originals(&ids).await?;
        if !originals.is_empty() {
            for input in &mut inputs {
                if let domain::assessment::InputContent::Comment { comment, .. } =
                    &mut input.content
                    && let Some(original) = originals.get(&comment.id)
                {
                    comment.body = original.clone();
                }
            }
        }
        Ok(inputs)
    }

    /// A plan the actor plans; anyone else is told it does not exist.
    async fn assessed_plan(&self, actor: &Actor, id: PlanId) -> Result<Plan, AssessmentError> {
        editable_plan(self.db(), actor, id)
            .await
            .map_err(|refusal| match refusal {
                PlanRefusal::NotSignedIn => AssessmentError::NotSignedIn,
                PlanRefusal::NotFound => AssessmentError::PlanNotFound,
                PlanRefusal::Db(e) => e.into(),
            })
    }

    /// How the history names the actor: a person by name, a token by its label.
    async fn actor_name(&self, actor: &Actor, who: &str) -> Result<String, AssessmentError> {
        Ok(match actor.person {
            Some(person) => self.db().person(person).await?.name,
            None => who.to_owned(),
        })
    }
}
