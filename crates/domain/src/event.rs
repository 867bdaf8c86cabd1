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
    CommentAnonymised(CommentAnonymised),
}

impl EventPayload {
    pub fn kind(&self) -> &'static str {
        match self {
            EventPayload::CommentPosted(_) => "comment_posted",
            EventPayload::HearingUpdated(_) => "hearing_updated",
            EventPayload::CommentAnonymised(_) => "comment_anonymised",
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
