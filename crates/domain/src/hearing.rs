//! Hearings (høyring og offentleg ettersyn), their states and when they accept input.

use crate::deadline::HearingKind;
use crate::ids::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingState {
    Draft,
    Scheduled,
    Open,
    Closed,
    Assessed,
}

impl HearingState {
    pub const ALL: [HearingState; 5] = [
        HearingState::Draft,
        HearingState::Scheduled,
        HearingState::Open,
        HearingState::Closed,
        HearingState::Assessed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HearingState::Draft => "draft",
            HearingState::Scheduled => "scheduled",
            HearingState::Open => "open",
            HearingState::Closed => "closed",
            HearingState::Assessed => "assessed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Whether the public may see the hearing at all.
    pub fn is_published(self) -> bool {
        !matches!(self, HearingState::Draft)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Public,
    Invited,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Invited => "invited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Audience::Public),
            "invited" => Some(Audience::Invited),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hearing {
    pub id: HearingId,
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub document_version_id: DocumentVersionId,
    pub title: String,
    pub kind: HearingKind,
    pub audience: Audience,
    pub state: HearingState,
    pub opens_at: Timestamp,
    pub deadline: Timestamp,
    pub created_at: Timestamp,
    /// The announcement (kunngjering): what is being decided and how to respond. Markdown.
    pub announcement: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Public input waits for a planner to screen it (for personal data about
    /// others) before it is shown.
    #[serde(default)]
    pub screen_public_input: bool,
    /// The weeks the period stands for; a deadline moved later to make up for
    /// holidays keeps them (see [`crate::deadline::season_warnings`]).
    pub period_weeks: u32,
    /// Days before the deadline the invited who have not answered are reminded
    /// (see [`crate::reminder`]), the earliest first; empty for none.
    #[serde(default = "default_reminder_days")]
    pub reminder_days: Vec<u32>,
}

fn default_reminder_days() -> Vec<u32> {
    crate::reminder::DEFAULT_DAYS.to_vec()
}

/// A change of state that a planner (or the scheduler) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Schedule,
    Open,
    Close,
    Complete,
}

impl Transition {
    pub const ALL: [Transition; 4] = [
        Transition::Schedule,
        Transition::Open,
        Transition::Close,
        Transition::Complete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Schedule => "schedule",
            Transition::Open => "open",
            Transition::Close => "close",
            Transition::Complete => "complete",
        }
    }

    /// The states this transition may start from.
    pub fn from_states(self) -> &'static [HearingState] {
        match self {
            Transition::Schedule => &[HearingState::Draft],
            Transition::Open => &[HearingState::Draft, HearingState::Scheduled],
            Transition::Close => &[HearingState::Open],
            Transition::Complete => &[HearingState::Closed],
        }
    }

    pub fn target(self) -> HearingState {
        match self {
            Transition::Schedule => HearingState::Scheduled,
            Transition::Open => HearingState::Open,
            Transition::Close => HearingState::Closed,
            Transition::Complete => HearingState::Assessed,
        }
    }

    pub fn allowed_from(self, state: HearingState) -> bool {
        self.from_states().contains(&state)
    }
}

/// What kind of change the hearing's log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Scheduled,
    Opened,
    Closed,
    Completed,
    DeadlineExtended,
    /// A draft's title, announcement, document version or contact changed.
    Edited,
    /// A planner sent the deadline reminder by hand.
    Reminded,
    /// A planner changed the days reminders go out on.
    RemindersChanged,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 9] = [
        ChangeKind::Created,
        ChangeKind::Scheduled,
        ChangeKind::Opened,
        ChangeKind::Closed,
        ChangeKind::Completed,
        ChangeKind::DeadlineExtended,
        ChangeKind::Edited,
        ChangeKind::Reminded,
        ChangeKind::RemindersChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Scheduled => "scheduled",
            ChangeKind::Opened => "opened",
            ChangeKind::Closed => "closed",
            ChangeKind::Completed => "completed",
            ChangeKind::DeadlineExtended => "deadline_extended",
            ChangeKind::Edited => "edited",
            ChangeKind::Reminded => "reminded",
            ChangeKind::RemindersChanged => "reminders_changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn of(transition: Transition) -> ChangeKind {
        match transition {
            Transition::Schedule => ChangeKind::Scheduled,
            Transition::Open => ChangeKind::Opened,
            Transition::Close => ChangeKind::Closed,
            Transition::Complete => ChangeKind::Completed,
        }
    }
}

/// One line of a hearing's log: who changed what, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingChange {
    pub hearing_id: HearingId,
    pub kind: ChangeKind,
    /// "scheduler", or who acted (for example "api-token:<label>").
    pub actor: String,
    pub reason: Option<String>,
    pub old_deadline: Option<Timestamp>,
    pub new_deadline: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// How an input that arrives at a given moment is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTiming {
    OnTime,
    /// After the deadline: kept and marked late (DESIGN.md, rules of the domain).
    Late,
    /// The hearing has not opened, or was never published.
    NotOpen,
}

impl Hearing {
    pub fn input_timing(&self, now: Timestamp) -> InputTiming {
        match self.state {
            // Once assessed, the record is complete: late input can no longer be weighed.
            HearingState::Draft | HearingState::Scheduled | HearingState::Assessed => {
                InputTiming::NotOpen
            }
            // "Late" means after the published deadline, also when a planner closed the
            // hearing before it: the public was promised that day.
            HearingState::Open | HearingState::Closed if now <= self.deadline => {
                InputTiming::OnTime
            }
            HearingState::Open | HearingState::Closed => InputTiming::Late,
        }
    }
}

/// Where a comment stands: published, waiting for its author, or taken down.
pub use crate::moderation::CommentStatus;

/// A comment on a section, the simplest kind of input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub hearing_id: HearingId,
    pub section_id: SectionId,
    pub author_name: String,
    pub body: String,
    pub late: bool,
    pub created_at: Timestamp,
    /// The comment this one answers, if it is a reply.
    pub parent_id: Option<CommentId>,
    /// The passage the comment is about, if it quotes one.
    pub anchor: Option<crate::anchor::Anchor>,
    /// Given by the author; never shown to others.
    #[serde(skip)]
    pub author_email: Option<String>,
    /// The signed-in author, if any (who may edit or delete it).
    pub person_id: Option<PersonId>,
    pub status: crate::moderation::CommentStatus,
    /// When the author last edited the text.
    pub edited_at: Option<Timestamp>,
    /// How many people support ("eg er einig") the comment.
    pub supporters: u32,
    /// The author asked to be forgotten: the text stays in the hearing's record,
    /// the name is gone (`author_name` is empty).
    pub anonymised: bool,
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// An open hearing with the default reminders, for the rules' tests.
    pub(crate) fn open_hearing(opens_at: Timestamp, deadline: Timestamp) -> Hearing {
        Hearing {
            opens_at,
            ..super::tests::hearing(HearingState::Open, deadline)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn hearing(state: HearingState, deadline: Timestamp) -> Hearing {
        Hearing {
            id: HearingId::new(),
            municipality_id: MunicipalityId::new(),
            plan_id: PlanId::new(),
            document_version_id: DocumentVersionId::new(),
            title: "Høyring".into(),
            kind: HearingKind::Pbl,
            audience: Audience::Public,
            state,
            opens_at: Timestamp::UNIX_EPOCH,
            deadline,
            created_at: Timestamp::UNIX_EPOCH,
            announcement: None,
            contact_name: None,
            contact_email: None,
            screen_public_input: false,
            period_weeks: 6,
            reminder_days: default_reminder_days(),
        }
    }

    #[test]
    fn open_hearing_takes_input_until_deadline_then_marks_it_late() {
        let deadline = Timestamp::from_second(1_000).expect("valid");
        let h = hearing(HearingState::Open, deadline);
        assert_eq!(h.input_timing(deadline), InputTiming::OnTime);
        let after = Timestamp::from_second(1_001).expect("valid");
        assert_eq!(h.input_timing(after), InputTiming::Late);
    }

    #[test]
    fn input_after_an_early_close_is_late_only_after_the_published_deadline() {
        let deadline = Timestamp::from_second(1_000).expect("valid");
        let h = hearing(HearingState::Closed, deadline);
        let before = Timestamp::from_second(500).expect("valid");
        assert_eq!(h.input_timing(before), InputTiming::OnTime);
        let after = Timestamp::from_second(1_001).expect("valid");
        assert_eq!(h.input_timing(after), InputTiming::Late);
    }

    #[test]
    fn draft_scheduled_and_assessed_hearings_take_no_input() {
        let deadline = Timestamp::from_second(1_000).expect("valid");
        for state in [
            HearingState::Draft,
            HearingState::Scheduled,
            HearingState::Assessed,
        ] {
            assert_eq!(
                hearing(state, deadline).input_timing(Timestamp::UNIX_EPOCH),
                InputTiming::NotOpen
            );
        }
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        use HearingState::*;
        let allowed: Vec<(Transition, HearingState)> = Transition::ALL
            .into_iter()
            .flat_map(|t| HearingState::ALL.into_iter().map(move |s| (t, s)))
            .filter(|(t, s)| t.allowed_from(*s))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Transition::Schedule, Draft),
                (Transition::Open, Draft),
                (Transition::Open, Scheduled),
                (Transition::Close, Open),
                (Transition::Complete, Closed),
            ]
        );
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn comment_statuses_round_trip() {
        for status in [CommentStatus::Unconfirmed, CommentStatus::Published] {
            assert_eq!(CommentStatus::parse(status.as_str()), status);
        }
        assert!(!CommentStatus::parse("from-a-newer-version").is_public());
    }

    #[test]
    fn state_names_round_trip() {
        for state in HearingState::ALL {
            assert_eq!(HearingState::parse(state.as_str()), Some(state));
        }
    }
}
