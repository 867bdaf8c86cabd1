//! An invitation as the invited person meets it: the emailed link shows what the
//! invitation is for, and accepting it (only ever by a deliberate POST, so mail
//! scanners that open links cannot use it up) makes the membership, confirms the
//! address and opens a session in the plan's municipality. An expired, revoked or
//! used link grants nothing, whichever way it is used.

use crate::Consultation;
use db::{DbError, SignedIn};
use domain::group::Group;
use domain::invitation::{Invitation, InvitationStatus};
use domain::person::Person;
use domain::plan::{Municipality, Plan};

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    /// Unknown, used, revoked or expired: the same answer for all of them.
    #[error("the invitation link is used, expired or revoked")]
    Unusable,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a pending invitation is for.
#[derive(Debug, Clone)]
pub struct InvitationView {
    pub invitation: Invitation,
    pub person: Person,
    pub group: Group,
    pub plan: Plan,
    pub municipality: Municipality,
}

/// An accepted invitation and the session it opened. The caller hands the secret to
/// the browser; only its hash is stored.
#[derive(Debug)]
pub struct Accepted {
    pub invitation: Invitation,
    pub signed_in: SignedIn,
    pub session_secret: String,
}

/// Links carry 43 characters; anything far from that is not worth a lookup.
fn plausible(token: &str) -> bool {
    !token.is_empty() && token.len() <= 200
}

impl Consultation {
    /// The pending invitation a link's token belongs to.
    pub async fn invitation_by_link(&self, token: &str) -> Result<InvitationView, InvitationError> {
        let token = token.trim();
        if !plausible(token) {
            return Err(InvitationError::Unusable);
        }
        let db = self.db();
        let found = match db.invitation_by_token(token).await? {
            Some(found) if found.invitation.status(self.now()) == InvitationStatus::Pending => {
                found
            }
            _ => return Err(InvitationError::Unusable),
        };
        let group = db.group(found.invitation.group_id).await?;
        let plan = db.plan(group.plan_id).await?;
        let municipality = db.municipality(plan.municipality_id).await?;
        Ok(InvitationView {
            invitation: found.invitation,
            person: found.person,
            group,
            plan,
            municipality,
        })
    }

    /// Accepts an invitation by its link's token, once: the person becomes a member
    /// of the group, their address counts as confirmed, and a session of
    /// `session_ttl` in the plan's municipality is opened. Their live subscriptions
    /// are checked again with the new role.
    pub async fn accept_invitation(
        &self,
        token: &str,
        session_ttl: jiff::SignedDuration,
    ) -> Result<Accepted, InvitationError> {
        let token = token.trim();
        if !plausible(token) {
            return Err(InvitationError::Unusable);
        }
        let session_secret = crate::secrets::new_secret();
        let (invitation, signed_in) = self
            .db()
            .accept_invitation(token, &session_secret, session_ttl, self.now())
            .await?
            .ok_or(InvitationError::Unusable)?;
        tracing::info!(invitation = %invitation.id, person = %signed_in.person.id, "invitation accepted");
        self.roles_changed(signed_in.person.id);
        Ok(Accepted {
            invitation,
            signed_in,
            session_secret,
        })
    }
}
