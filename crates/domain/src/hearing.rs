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
            HearingState::Draft | HearingState::Scheduled => InputTiming::NotOpen,
            HearingState::Open if now <= self.deadline => InputTiming::OnTime,
            HearingState::Open | HearingState::Closed | HearingState::Assessed => InputTiming::Late,
        }
    }
}

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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hearing(state: HearingState, deadline: Timestamp) -> Hearing {
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
    fn draft_and_scheduled_hearings_take_no_input() {
        let deadline = Timestamp::from_second(1_000).expect("valid");
        for state in [HearingState::Draft, HearingState::Scheduled] {
            assert_eq!(
                hearing(state, deadline).input_timing(Timestamp::UNIX_EPOCH),
                InputTiming::NotOpen
            );
        }
    }

    #[test]
    fn state_names_round_trip() {
        for state in HearingState::ALL {
            assert_eq!(HearingState::parse(state.as_str()), Some(state));
        }
    }
}
