//! The planners' assessment of inputs (merknadsbehandling, pbl § 11-14): letters and
//! emails registered by hand, the register of every input of a plan with its stable
//! number, and the assessment of each input (summary, themes, outcome, the
//! municipality's response) with its states and the four-eyes rule.

use crate::ids::*;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The longest text of a registered letter, in characters.
pub const MAX_LETTER_CHARS: usize = 100_000;
/// The longest sender name, in characters.
pub const MAX_SENDER_CHARS: usize = 200;
/// The longest summary of an input, in characters.
pub const MAX_SUMMARY_CHARS: usize = 4_000;
/// The longest response or description of a change, in characters.
pub const MAX_ASSESSMENT_TEXT_CHARS: usize = 20_000;
/// The longest theme name, in characters.
pub const MAX_THEME_CHARS: usize = 80;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

named_enum!(
    /// How a letter reached the municipality.
    Channel { Letter => "letter", Email => "email", Other => "other" }
);

named_enum!(
    /// Who sent a registered letter: a private person's name may be left out of a
    /// published report, an organisation's is always shown.
    SenderKind { Person => "person", Organisation => "organisation" }
);

named_enum!(
    /// The kinds of input in a plan's register.
    InputKind {
        Comment => "comment",
        Response => "response",
        Letter => "letter",
        WorkshopNote => "workshop_note",
    }
);

named_enum!(
    /// Where an assessment stands. Changing its content makes it a draft again.
    AssessmentState {
        Unassessed => "unassessed",
        Drafted => "drafted",
        Reviewed => "reviewed",
        Published => "published",
    }
);

named_enum!(
    /// What the municipality did with an input.
    Outcome {
        Followed => "followed",
        PartlyFollowed => "partly_followed",
        NotFollowed => "not_followed",
        Noted => "noted",
    }
);

named_enum!(
    /// What a line of an assessment's history records (`assigned`: the input was
    /// given to a planner to assess, or to nobody; not part of the assessment).
    ChangeAction {
        Drafted => "drafted",
        Reviewed => "reviewed",
        Published => "published",
        Assigned => "assigned",
    }
);

/// A letter or an email a planner registered by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredLetter {
    pub id: LetterId,
    pub plan_id: PlanId,
    pub hearing_id: Option<HearingId>,
    pub sender_name: String,
    pub sender_kind: SenderKind,
    pub channel: Channel,
    pub received_on: Date,
    pub text: String,
    /// Received after the deadline of its hearing.
    pub late: bool,
    /// Who registered it.
    pub registered_by: String,
    pub registered_at: Timestamp,
    /// Its number in the plan's register.
    pub number: i32,
    /// The sender's postal address or email, when the planner gave it.
    pub sender_contact: Option<String>,
    /// The known person the letter is from (their email matched), for their export
    /// and for forgetting them.
    pub sender_person_id: Option<PersonId>,
}

/// A theme (tema) of a plan that assessments are tagged with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub id: ThemeId,
    pub plan_id: PlanId,
    pub name: String,
}

/// The assessment of one input of the register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Assessment {
    pub state: AssessmentState,
    pub summary: String,
    pub outcome: Option<Outcome>,
    /// The municipality's response to the input.
    pub response: String,
    /// What was changed in the plan because of it, if anything.
    pub change: String,
    /// The section of a later document version where that change was made: the
    /// comparison of that version with the one before shows the input beside it.
    pub change_section_id: Option<SectionId>,
    /// The sections the input concerns, as the planner linked them.
    pub section_ids: Vec<SectionId>,
    pub themes: Vec<Theme>,
    /// Who last changed the content, and when.
    pub drafted_by: Option<String>,
    pub drafted_at: Option<Timestamp>,
    /// The second planner who reviewed it, and when.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Timestamp>,
    pub published_at: Option<Timestamp>,
}

// The enum is written by `named_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for AssessmentState {
    fn default() -> Self {
        AssessmentState::Unassessed
    }
}

impl Assessment {
    /// Everything a reviewer needs is there: a summary, an outcome and a response.
    pub fn is_complete(&self) -> bool {
        !self.summary.trim().is_empty()
            && self.outcome.is_some()
            && !self.response.trim().is_empty()
    }
}

/// A published assessment as the public and the participant see it: what the
/// municipality did with the input and its response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedAssessment {
    pub outcome: Option<Outcome>,
    pub response: String,
}

/// A row of a plan's register: which input, its number, and its assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub id: InputId,
    pub plan_id: PlanId,
    /// Given once, in order of arrival, never reused within the plan.
    pub number: i32,
    pub kind: InputKind,
    /// The comment's, response's or letter's id.
    pub source_id: uuid::Uuid,
    pub hearing_id: Option<HearingId>,
    pub received_at: Timestamp,
    pub late: bool,
    /// The sections the input itself points to.
    pub input_section_ids: Vec<SectionId>,
    pub assessment: Assessment,
    /// The planner who is to assess it, when someone is assigned.
    pub assignee_id: Option<PersonId>,
}

/// What an input of the register says, as it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputContent {
    /// A comment, and the comment it answers when it is a reply.
    Comment {
        comment: Box<crate::hearing::Comment>,
        parent: Option<Box<crate::hearing::Comment>>,
    },
    /// An official response; its current version is what counts.
    Response(crate::response::Response),
    Letter(RegisteredLetter),
    WorkshopNote(WorkshopNoteInput),
}

/// A note from a workshop's board that the facilitator confirmed as an input:
/// attributed to the workshop's groups, and to its writer when they agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopNoteInput {
    pub note_id: BoardNoteId,
    pub workshop_id: WorkshopId,
    pub workshop_title: String,
    pub item_title: String,
    /// The invited groups, joined: who the note speaks for.
    pub group_names: String,
    pub writer_name: Option<String>,
    /// "Referansegruppa (Kari Nordmann)", or the groups alone.
    pub sender: String,
    pub text: String,
}

impl WorkshopNoteInput {
    pub fn sender_of(group_names: &str, writer_name: Option<&str>) -> String {
        match writer_name {
            Some(name) => format!("{group_names} ({name})"),
            None => group_names.to_owned(),
        }
    }
}

/// A register row with the input it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredInput {
    pub entry: RegisterEntry,
    pub content: InputContent,
}

impl RegisteredInput {
    /// The text of the input (a response's current version).
    pub fn text(&self) -> &str {
        match &self.content {
            InputContent::Comment { comment, .. } => &comment.body,
            InputContent::Response(r) => r.current().map_or("", |v| v.text.as_str()),
            InputContent::Letter(l) => &l.text,
            InputContent::WorkshopNote(n) => &n.text,
        }
    }

    /// Who gave it, and whether that is an organisation (whose name is always shown)
    /// rather than a private person (whose name a published report may leave out).
    pub fn sender(&self) -> (&str, bool) {
        match &self.content {
            InputContent::Comment { comment, .. } => (&comment.author_name, false),
            InputContent::Response(r) => (r.author_label(), r.organisation_id.is_some()),
            InputContent::Letter(l) => (&l.sender_name, l.sender_kind == SenderKind::Organisation),
            // A group speaks like an organisation; a writer is named only if they agreed.
            InputContent::WorkshopNote(n) => (&n.sender, true),
        }
    }
}

/// One changed field in the history of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One line of an assessment's history: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentChange {
    pub input_id: InputId,
    pub action: ChangeAction,
    /// The person who acted, when a person did (the four-eyes rule compares them).
    pub person_id: Option<PersonId>,
    pub actor_name: String,
    pub fields: Vec<FieldChange>,
    pub at: Timestamp,
}

/// Why a change of state is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateRefusal {
    /// Only a draft can be reviewed, only a reviewed assessment published.
    WrongState,
    /// Summary, outcome and response are needed before review.
    Incomplete,
    /// The reviewer wrote (part of) the draft, or is not a known person.
    FourEyes,
}

/// Whether `reviewer` may review an assessment whose history is `history` (oldest
/// first): it must be a draft, complete, and the reviewer a person who changed
/// nothing in it since it was last reviewed.
pub fn may_review(
    assessment: &Assessment,
    history: &[AssessmentChange],
    reviewer: Option<PersonId>,
) -> Result<(), StateRefusal> {
    if assessment.state != AssessmentState::Drafted {
        return Err(StateRefusal::WrongState);
    }
    if !assessment.is_complete() {
        return Err(StateRefusal::Incomplete);
    }
    let Some(reviewer) = reviewer else {
        return Err(StateRefusal::FourEyes);
    };
    let since_review = history
        .iter()
        .rposition(|c| c.action == ChangeAction::Reviewed)
        .map_or(0, |at| at + 1);
    let wrote_it = history[since_review..]
        .iter()
        .any(|c| c.action == ChangeAction::Drafted && c.person_id == Some(reviewer));
    if wrote_it {
        return Err(StateRefusal::FourEyes);
    }
    Ok(())
}

/// Whether a reviewed assessment may be published.
pub fn may_publish(assessment: &Assessment) -> Result<(), StateRefusal> {
    if assessment.state == AssessmentState::Reviewed {
        Ok(())
    } else {
        Err(StateRefusal::WrongState)
    }
}

/// Whether a letter received on `received_on` is late for a hearing whose deadline
/// falls on `deadline_date` (both Europe/Oslo civil dates).
pub fn letter_is_late(received_on: Date, deadline_date: Date) -> bool {
    received_on > deadline_date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(action: ChangeAction, person: PersonId) -> AssessmentChange {
        AssessmentChange {
            input_id: InputId::new(),
            action,
            person_id: Some(person),
            actor_name: "x".into(),
            fields: Vec::new(),
            at: Timestamp::UNIX_EPOCH,
        }
    }

    fn drafted() -> Assessment {
        Assessment {
            state: AssessmentState::Drafted,
            summary: "Ønskjer fleire benkar".into(),
            outcome: Some(Outcome::Followed),
            response: "Teke inn i kap. 3".into(),
            ..Assessment::default()
        }
    }

    #[test]
    fn names_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(*o));
        }
        for s in AssessmentState::ALL {
            assert_eq!(AssessmentState::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Channel::parse("fax"), None);
    }

    #[test]
    fn the_author_of_a_draft_cannot_review_it_but_a_second_planner_can() {
        let (ann, bob) = (PersonId::new(), PersonId::new());
        let history = vec![change(ChangeAction::Drafted, ann)];
        assert_eq!(
            may_review(&drafted(), &history, Some(ann)),
            Err(StateRefusal::FourEyes)
        );
        assert_eq!(
            may_review(&drafted(), &history, None),
            Err(StateRefusal::FourEyes)
        );
        assert_eq!(may_review(&drafted(), &history, Some(bob)), Ok(()));
    }

    #[test]
    fn only_edits_since_the_last_review_count() {
        let (ann, bob) = (PersonId::new(), PersonId::new());
        let history = vec![
            change(ChangeAction::Drafted, bob),
            change(ChangeAction::Reviewed, ann),
            change(ChangeAction::Drafted, ann),
        ];
        assert_eq!(may_review(&drafted(), &history, Some(bob)), Ok(()));
        assert_eq!(
            may_review(&drafted(), &history, Some(ann)),
            Err(StateRefusal::FourEyes)
        );
    }

    #[test]
    fn review_needs_a_complete_draft() {
        let mut a = drafted();
        a.outcome = None;
        assert_eq!(
            may_review(&a, &[], Some(PersonId::new())),
            Err(StateRefusal::Incomplete)
        );
        let unassessed = Assessment::default();
        assert_eq!(
            may_review(&unassessed, &[], Some(PersonId::new())),
            Err(StateRefusal::WrongState)
        );
        assert_eq!(may_publish(&drafted()), Err(StateRefusal::WrongState));
    }
}
