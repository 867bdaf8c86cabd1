//! What happens to a comment after it is posted: support from other readers, edits by
//! its author within a short window (every earlier text kept), deletion by its author
//! (kept in the record, no longer shown), reports from readers and the planners'
//! decision to hide or restore it.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// How long after posting the author may still correct a comment's text.
pub const EDIT_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// Reports from different people that hide a comment until a planner decides, unless
/// the installation configures another number.
pub const DEFAULT_REPORT_THRESHOLD: u32 = 3;

/// Longest reason a reader or a planner may give.
pub const MAX_REASON_CHARS: usize = 2_000;

/// Whether the author may still edit a comment posted at `created_at`.
pub fn within_edit_window(created_at: Timestamp, now: Timestamp) -> bool {
    now.duration_since(created_at) <= EDIT_WINDOW
}

/// Where a comment stands; only a published comment shows its text to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    /// Given without signing in: kept aside, shown nowhere, until the author follows
    /// the link emailed to them.
    Unconfirmed,
    Published,
    /// Deleted by its author: the text stays in the record for the assessment.
    Deleted,
    /// Hidden by a planner, with a logged reason.
    Hidden,
    /// Reported by enough people: hidden until a planner decides.
    PendingReview,
    /// Public input on a hearing that screens it: shown nowhere until a planner has
    /// checked it for personal data about others and published it.
    Screening,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Unconfirmed => "unconfirmed",
            CommentStatus::Published => "published",
            CommentStatus::Deleted => "deleted",
            CommentStatus::Hidden => "hidden",
            CommentStatus::PendingReview => "pending_review",
            CommentStatus::Screening => "screening",
        }
    }

    /// Unknown values (a status from a newer version) are treated as not public.
    pub fn parse(s: &str) -> CommentStatus {
        match s {
            "unconfirmed" => CommentStatus::Unconfirmed,
            "published" => CommentStatus::Published,
            "deleted" => CommentStatus::Deleted,
            "pending_review" => CommentStatus::PendingReview,
            "screening" => CommentStatus::Screening,
            _ => CommentStatus::Hidden,
        }
    }

    pub fn is_public(self) -> bool {
        self == CommentStatus::Published
    }

    /// Whether the comment is part of the hearing's record that readers see (as
    /// text, or as a note that it was deleted or hidden). Input waiting for its
    /// author's confirmation or for screening is not.
    pub fn is_listed(self) -> bool {
        !matches!(self, CommentStatus::Unconfirmed | CommentStatus::Screening)
    }
}

/// Whether a comment by `actor` on a hearing waits for screening: the hearing screens
/// public input and the actor is neither on the municipality's staff, nor a planner
/// of the plan, nor a member of a group on the plan.
pub fn needs_screening(
    screen_public_input: bool,
    actor: &crate::policy::Actor,
    municipality: crate::MunicipalityId,
    plan: crate::PlanId,
) -> bool {
    screen_public_input && !actor.is_insider(municipality, plan)
}

/// A comment's earlier text, kept when its author edited it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub body: String,
    /// When this text was written (the comment's posting or an earlier edit).
    pub written_at: Timestamp,
    /// When it was replaced.
    pub replaced_at: Timestamp,
}

/// What a planner decided about a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Hidden automatically after enough reports.
    AutoHidden,
    Hidden,
    Restored,
    /// Published after screening.
    Published,
}

impl ModerationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::AutoHidden => "auto_hidden",
            ModerationAction::Hidden => "hidden",
            ModerationAction::Restored => "restored",
            ModerationAction::Published => "published",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_window_is_fifteen_minutes_inclusive() {
        let posted: Timestamp = "2026-11-22T12:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert!(within_edit_window(posted, at("2026-11-22T12:14:59Z")));
        assert!(within_edit_window(posted, at("2026-11-22T12:15:00Z")));
        assert!(!within_edit_window(posted, at("2026-11-22T12:15:01Z")));
    }

    #[test]
    fn unknown_statuses_are_not_public() {
        for s in [
            CommentStatus::Published,
            CommentStatus::Deleted,
            CommentStatus::Hidden,
            CommentStatus::PendingReview,
            CommentStatus::Screening,
        ] {
            assert_eq!(CommentStatus::parse(s.as_str()), s);
        }
        assert!(!CommentStatus::parse("something_new").is_public());
    }

    #[test]
    fn only_outsiders_are_screened_and_only_when_the_hearing_screens() {
        use crate::policy::{Actor, Role};
        use crate::{GroupId, MunicipalityId, PersonId, PlanId};
        let (m, plan) = (MunicipalityId::new(), PlanId::new());
        let public = Actor::person(PersonId::new(), Vec::new());
        let member = Actor::person(
            PersonId::new(),
            vec![Role::Member {
                municipality: m,
                plan,
                group: GroupId::new(),
                chair: false,
            }],
        );
        let planner = Actor::person(
            PersonId::new(),
            vec![Role::Planner {
                municipality: m,
                plan,
            }],
        );
        let staff = Actor::person(PersonId::new(), vec![Role::Staff { municipality: m }]);
        let other_staff = Actor::person(
            PersonId::new(),
            vec![Role::Staff {
                municipality: MunicipalityId::new(),
            }],
        );
        assert!(needs_screening(true, &public, m, plan));
        assert!(needs_screening(true, &Actor::anonymous(), m, plan));
        assert!(needs_screening(true, &other_staff, m, plan));
        assert!(!needs_screening(true, &member, m, plan));
        assert!(!needs_screening(true, &planner, m, plan));
        assert!(!needs_screening(true, &staff, m, plan));
        assert!(!needs_screening(false, &public, m, plan));
    }
}
