//! Reading comments: a hearing's comments for a reader, and whose contact details a
//! reader may see.

use crate::Consultation;
use crate::hearings::HearingError;
use crate::moderation::may_moderate;
use db::DbError;
use domain::HearingId;
use domain::hearing::{Comment, Hearing};
use domain::policy::Actor;

impl Consultation {
    /// A hearing the reader may read with its listed comments, and whether the reader
    /// sees the authors' contact details (its planners do).
    pub async fn comments_of_hearing(
        &self,
        actor: &Actor,
        id: HearingId,
    ) -> Result<(Hearing, Vec<Comment>, bool), HearingError> {
        let hearing = self.visible_hearing(actor, id).await?;
        let comments = self.db().comments_of_hearing(hearing.id).await?;
        let reveal = may_moderate(actor, &hearing);
        Ok((hearing, comments, reveal))
    }

    /// Whether the actor sees a comment's author details: its author and the
    /// hearing's planners do.
    pub async fn reveals_author(&self, actor: &Actor, comment: &Comment) -> Result<bool, DbError> {
        if comment.person_id.is_some() && comment.person_id == actor.person {
            return Ok(true);
        }
        let hearing = self.db().hearing(comment.hearing_id).await?;
        Ok(may_moderate(actor, &hearing))
    }
}
