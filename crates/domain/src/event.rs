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
    ResponseSubmitted(ResponseSubmitted),
}

impl EventPayload {
    pub fn kind(&self) -> &'static str {
        match self {
            EventPayload::CommentPosted(_) => "comment_posted",
            EventPayload::HearingUpdated(_) => "hearing_updated",
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
}

/// A hearing's state or deadline changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingUpdated {
    pub hearing_id: HearingId,
    pub state: String,
    /// RFC 3339, UTC.
    pub deadline: String,
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
