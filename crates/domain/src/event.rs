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
