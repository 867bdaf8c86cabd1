//! Invitations to join a group: a link valid for 14 days, accepted only by the POST
//! of its confirmation page, re-sent or revoked by the planner.

use crate::group::MemberRole;
use crate::ids::*;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

pub const VALID_DAYS: i64 = 14;

pub fn validity() -> SignedDuration {
    SignedDuration::from_hours(24 * VALID_DAYS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub group_id: GroupId,
    pub person_id: PersonId,
    pub role: MemberRole,
    pub organisation_id: Option<OrganisationId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// When the invitation email was last queued (it is queued again on re-send).
    pub sent_at: Timestamp,
}

impl Invitation {
    /// Revocation and acceptance are final; a pending invitation expires on its own.
    pub fn status(&self, now: Timestamp) -> InvitationStatus {
        if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(at: Timestamp) -> Invitation {
        Invitation {
            id: InvitationId::new(),
            group_id: GroupId::new(),
            person_id: PersonId::new(),
            role: MemberRole::Member,
            organisation_id: None,
            created_at: at,
            expires_at: at.checked_add(validity()).unwrap(),
            accepted_at: None,
            revoked_at: None,
            sent_at: at,
        }
    }

    #[test]
    fn pending_until_fourteen_days_have_passed() {
        let at: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let inv = invitation(at);
        let just_before: Timestamp = "2026-12-06T09:59:59Z".parse().unwrap();
        let at_expiry: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
        assert_eq!(inv.status(just_before), InvitationStatus::Pending);
        assert_eq!(inv.status(at_expiry), InvitationStatus::Expired);
    }

    #[test]
    fn revoked_beats_accepted_and_expiry() {
        let at: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let mut inv = invitation(at);
        inv.accepted_at = Some(at);
        assert_eq!(inv.status(at), InvitationStatus::Accepted);
        inv.revoked_at = Some(at);
        assert_eq!(inv.status(at), InvitationStatus::Revoked);
    }
}
