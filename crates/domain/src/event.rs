//! Events that the hub pushes to clients and the notifier reacts to.
//!
//! An event carries what a client needs to render the change, never more than a
//! reader of that room may see.

use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventPayload {
    CommentPosted(CommentPosted),
    HearingUpdated(HearingUpdated),
    CommentSupported(CommentSupported),
    CommentEdited(CommentEdited),
    CommentDeleted(CommentGone),
    CommentHidden(CommentHidden),
    CommentRestored(CommentRestored),
    CommentAnonymised(CommentAnonymised),
    ResponseSubmitted(ResponseSubmitted),
    WorkshopBoardChanged(WorkshopBoardChanged),
    WorkshopNotePosted(WorkshopNotePosted),
    WorkshopNotesRevealed(WorkshopNotesRevealed),
    WorkshopDotsChanged(WorkshopDotsChanged),
    WorkshopNotesArranged(WorkshopNotesArranged),
    WorkshopTablesChanged(WorkshopTablesChanged),
    WorkshopChanged(WorkshopChanged),
}

impl EventPayload {
    pub fn kind(&self) -> &'static str {
        match self {
            EventPayload::CommentPosted(_) => "comment_posted",
            EventPayload::HearingUpdated(_) => "hearing_updated",
            EventPayload::CommentSupported(_) => "comment_supported",
            EventPayload::CommentEdited(_) => "comment_edited",
            EventPayload::CommentDeleted(_) => "comment_deleted",
            EventPayload::CommentHidden(_) => "comment_hidden",
            EventPayload::CommentRestored(_) => "comment_restored",
            EventPayload::CommentAnonymised(_) => "comment_anonymised",
            EventPayload::ResponseSubmitted(_) => "response_submitted",
            EventPayload::WorkshopBoardChanged(_) => "workshop_board_changed",
            EventPayload::WorkshopNotePosted(_) => "workshop_note_posted",
            EventPayload::WorkshopNotesRevealed(_) => "workshop_notes_revealed",
            EventPayload::WorkshopDotsChanged(_) => "workshop_dots_changed",
            EventPayload::WorkshopNotesArranged(_) => "workshop_notes_arranged",
            EventPayload::WorkshopTablesChanged(_) => "workshop_tables_changed",
            EventPayload::WorkshopChanged(_) => "workshop_changed",
        }
    }

    /// Who may receive the event. Most events are for everyone who may follow the
    /// room; a workshop note is for its writer or its table until its stage shows it
    /// to all.
    pub fn audience(&self) -> EventAudience {
        match self {
            EventPayload::WorkshopNotePosted(e) => e.audience,
            EventPayload::WorkshopNotesRevealed(e) => e.audience,
            _ => EventAudience::Everyone,
        }
    }
}

/// Who within a room may receive an event. The event log keeps it with the event,
/// so a client that resumes gets exactly what it would have got live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EventAudience {
    Everyone,
    /// One person (a note in the individual stage: its writer).
    Person(PersonId),
    /// The people at one table of a workshop, and its facilitators.
    Table(BoardTableId),
}

/// Who follows a room, as far as the audience of an event is concerned: decided when
/// the subscription is checked, then applied to every event, live or from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    pub person: Option<PersonId>,
    /// The workshop tables the person sits at.
    pub tables: Vec<BoardTableId>,
    /// Facilitators walk between the tables and see what each writes together.
    pub every_table: bool,
}

impl Viewer {
    /// Someone who receives what is for everyone and nothing else.
    pub fn anyone() -> Viewer {
        Viewer::default()
    }

    pub fn sees(&self, audience: &EventAudience) -> bool {
        match audience {
            EventAudience::Everyone => true,
            EventAudience::Person(person) => self.person == Some(*person),
            EventAudience::Table(table) => self.every_table || self.tables.contains(table),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentPosted {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    pub document_id: DocumentId,
    pub section_id: SectionId,
    pub author_name: String,
    pub body: String,
    pub late: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Set when the comment answers another one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<CommentId>,
    /// The quoted passage, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The author was forgotten since: `author_name` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymised: bool,
}

/// The author of a comment asked to be forgotten: readers replace the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentAnonymised {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    pub document_id: DocumentId,
}

/// A hearing's state or deadline changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingUpdated {
    pub hearing_id: HearingId,
    pub state: String,
    /// RFC 3339, UTC.
    pub deadline: String,
}

/// Someone supported a comment or took their support back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentSupported {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    /// The new number of supporters.
    pub supporters: u32,
}

/// The author corrected a comment's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentEdited {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    pub body: String,
    /// RFC 3339, UTC.
    pub edited_at: String,
}

/// The author deleted a comment: readers stop seeing its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentGone {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
}

/// A comment is no longer shown: hidden by a planner, or after enough reports until a
/// planner decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentHidden {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    /// True while it waits for a planner's decision.
    pub pending_review: bool,
}

/// A planner restored a hidden comment: its text is shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRestored {
    pub comment_id: CommentId,
    pub hearing_id: HearingId,
    pub author_name: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// An official response (høyringssvar) or a new version of one arrived. Carries no
/// text: the hearing room may be public, and a response is read only by its
/// authors and the plan's planners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseSubmitted {
    pub response_id: ResponseId,
    pub hearing_id: HearingId,
    /// Set when the response speaks for an organisation.
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    #[serde(default)]
    pub organisation_name: Option<String>,
    /// 1 for a new response, then 2, 3, … for revisions.
    pub version: i32,
    /// The response arrived after the deadline.
    pub late: bool,
    pub attachment_count: usize,
    /// RFC 3339, UTC.
    pub submitted_at: String,
}

/// A note on a workshop's board as participants see it. Carries no writer: the
/// board is about what was said; writers are named only in the minutes, and only
/// when they agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardNote {
    pub note_id: BoardNoteId,
    pub item_id: AgendaItemId,
    pub body: String,
    #[serde(default)]
    pub table_id: Option<BoardTableId>,
    /// The stage it was written in: `individual`, `group` or `plenum`.
    pub stage: String,
    /// The heading the facilitator put it under, if any.
    #[serde(default)]
    pub group_label: Option<String>,
    pub dots: u32,
    /// Written by the facilitator for someone who spoke: whom (as they wish to be
    /// called on the board), if said.
    #[serde(default)]
    pub spoken_by: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// The facilitator moved the board: the current item, its status or its stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopBoardChanged {
    pub workshop_id: WorkshopId,
    /// The item now in front of everyone, if any.
    pub current_item: Option<AgendaItemId>,
    /// The item that changed; `None` when only the dot budget did.
    pub item_id: Option<AgendaItemId>,
    /// `waiting`, `open` or `closed`.
    pub status: Option<String>,
    /// `individual`, `group`, `plenum` or `voting`, once started.
    pub stage: Option<String>,
    pub dot_budget: u32,
}

/// A new note, for the people who may see it at its stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopNotePosted {
    pub workshop_id: WorkshopId,
    pub note: BoardNote,
    pub audience: EventAudience,
}

/// The stage moved on and these notes now reach `audience`, who did not see them
/// before (the notes of one table in the group stage, everyone's in plenum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopNotesRevealed {
    pub workshop_id: WorkshopId,
    pub item_id: AgendaItemId,
    pub stage: String,
    pub notes: Vec<BoardNote>,
    pub audience: EventAudience,
}

/// The number of dots on a note changed (voting: everyone sees every note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopDotsChanged {
    pub workshop_id: WorkshopId,
    pub item_id: AgendaItemId,
    pub note_id: BoardNoteId,
    pub dots: u32,
}

/// The facilitator grouped or merged notes (only once everyone sees them): the notes
/// as they are now, and the notes merged away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopNotesArranged {
    pub workshop_id: WorkshopId,
    pub item_id: AgendaItemId,
    pub notes: Vec<BoardNote>,
    #[serde(default)]
    pub removed: Vec<BoardNoteId>,
}

/// The tables changed: clients follow the room again so that what they receive
/// matches the table they now sit at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopTablesChanged {
    pub workshop_id: WorkshopId,
}

/// A workshop's time, place, agenda or other details changed, or it was cancelled:
/// its open pages show the workshop as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopChanged {
    pub workshop_id: WorkshopId,
    pub plan_id: PlanId,
    /// `updated` or `cancelled`.
    pub change: String,
    /// The calendar SEQUENCE after the change.
    pub sequence: u32,
    pub title: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<String>,
    pub online_link: Option<String>,
    /// The agenda items' titles, in order.
    pub agenda: Vec<String>,
}
