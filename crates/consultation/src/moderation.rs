//! A planner's decisions about comments: hiding one (with a reason, logged, and its
//! author told by email), showing it again, and publishing input that waited for
//! screening. Reports from readers, which hide a comment at
//! [`Settings::report_threshold`](crate::Settings) until a planner decides, are made
//! through [`Consultation::report_comment`].

use crate::Consultation;
use crate::comments::{Found, comment_notices, reason};
use db::DbError;
use domain::email::{Email, OutgoingEmail, excerpt};
use domain::hearing::Hearing;
use domain::moderation::CommentStatus;
use domain::policy::{Action, Actor, Resource, can};
use domain::validate::FieldError;
use domain::{CommentId, Lang};

mod reading;
pub use db::{CommentChange, ModerationEntry, QueuedComment};
pub use reading::{ModerationOverview, PersonalData, PersonalDataKind};

/// Why a planner's decision about a comment was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("the comment does not exist")]
    NotFound,
    #[error("you may not moderate this comment")]
    Forbidden,
    #[error("give a reason")]
    ReasonRequired,
    /// Deleted by its author, or (to publish it) not waiting for screening.
    #[error("the comment is deleted or hidden")]
    NotPublic,
    /// A range to redact lies outside the text or overlaps another.
    #[error("each redacted range must lie inside the text and not overlap another")]
    BadRedaction,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(DbError),
}

/// What stands in the published text for a redacted part: the same however long
/// the part was, so its length tells nothing.
pub const REDACTED: &str = "█████";

/// The text with the given ranges (in characters) replaced by [`REDACTED`]; `None`
/// when a range is empty, outside the text or overlaps another.
pub fn redact(text: &str, ranges: &[(usize, usize)]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in sorted {
        if start < at || start >= end || end > chars.len() {
            return None;
        }
        out.extend(&chars[at..start]);
        out.push_str(REDACTED);
        at = end;
    }
    out.extend(&chars[at..]);
    Some(out)
}

impl From<DbError> for ModerationError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ModerationError::NotFound,
            // The comment is in a state the decision does not apply to.
            DbError::Conflict(_) => ModerationError::NotPublic,
            other => ModerationError::Db(other),
        }
    }
}

/// Whether the actor decides about the comments of this hearing (its planners), and
/// so may see the text of comments that are not public.
pub fn may_moderate(actor: &Actor, hearing: &Hearing) -> bool {
    can(
        actor,
        Action::Moderate,
        Resource::Input {
            municipality: hearing.municipality_id,
            plan: hearing.plan_id,
            author: None,
        },
    )
}

impl Consultation {
    /// Loads a comment for a planner's decision: also one waiting for screening, which
    /// only those who may moderate it find. Refused unless the actor may moderate it.
    async fn find_for_moderation(
        &self,
        actor: &Actor,
        id: CommentId,
    ) -> Result<Found, ModerationError> {
        let comment = self.db().comment_for_moderation(id).await?;
        let found = self.found(actor, comment).await?;
        if found.comment.status == CommentStatus::Screening && !may_moderate(actor, &found.hearing)
        {
            return Err(ModerationError::NotFound);
        }
        if !can(actor, Action::Moderate, found.input()) {
            return Err(ModerationError::Forbidden);
        }
        Ok(found)
    }

    /// A planner hides a comment: a reason is required; the decision is logged with
    /// `who` and why, open reports are resolved and the author is told by email.
    /// Hiding it again changes nothing.
    pub async fn hide_comment(
        &self,
        actor: &Actor,
        who: &str,
        id: CommentId,
        why: Option<&str>,
    ) -> Result<CommentChange, ModerationError> {
        let found = self.find_for_moderation(actor, id).await?;
        let why = reason(why)?.ok_or(ModerationError::ReasonRequired)?;
        // The author's own language: their person's, else that of the address they
        // gave (a person once they confirmed it), else nynorsk.
        let recipient = match found.comment.person_id {
            Some(person) => match self.db().person(person).await {
                Ok(p) => Some(crate::letters::Recipient::from(p)),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let recipient = match (recipient, found.comment.author_email.as_deref()) {
            (Some(r), _) => Some(r),
            (None, Some(address)) => Some(self.recipient_at(address, Lang::Nn).await?),
            (None, None) => None,
        };
        let plan = self.db().plan(found.hearing.plan_id).await?;
        let letter = self.plan_letter(&plan, Some(&found.hearing)).await?;
        let emails: Vec<OutgoingEmail> = recipient
            .into_iter()
            .map(|recipient| OutgoingEmail {
                dedupe_key: format!("input-hidden:{id}:{}", self.now().as_second()),
                letterhead: letter.to(if recipient.name.is_empty() {
                    &found.comment.author_name
                } else {
                    &recipient.name
                }),
                municipality: Some(found.hearing.municipality_id),
                plan: Some(found.hearing.plan_id),
                recipient: recipient.email,
                lang: recipient.lang,
                email: Email::InputHidden {
                    hearing_title: found.hearing.title.clone(),
                    excerpt: excerpt(&found.comment.body, 600),
                    reason: why.clone(),
                    link: letter.link(&format!("/hearings/{}#comment-{id}", found.hearing.id)),
                },
            })
            .collect();
        self.decide(actor, &found, who, true, Some(&why), &emails)
            .await
    }

    /// A planner shows a hidden comment (or one hidden by reports) again, with an
    /// optional reason; logged, and open reports are resolved. Repeating it changes
    /// nothing.
    pub async fn restore_comment(
        &self,
        actor: &Actor,
        who: &str,
        id: CommentId,
        why: Option<&str>,
    ) -> Result<CommentChange, ModerationError> {
        let found = self.find_for_moderation(actor, id).await?;
        let why = reason(why)?;
        self.decide(actor, &found, who, false, why.as_deref(), &[])
            .await
    }

    async fn decide(
        &self,
        actor: &Actor,
        found: &Found,
        who: &str,
        hide: bool,
        why: Option<&str>,
        emails: &[OutgoingEmail],
    ) -> Result<CommentChange, ModerationError> {
        let id = found.comment.id;
        let change = self
            .db()
            .moderate_comment(found.document, id, hide, who, why, emails)
            .await?;
        let changed = !change.events.is_empty();
        if changed {
            tracing::info!(comment = %id, actor = %who, hide, "comment moderated");
        }
        let screened = found.comment.status == CommentStatus::Screening;
        if changed || screened {
            let kind = match (screened, hide) {
                (true, _) => domain::audit::AuditKind::Screened,
                (false, true) => domain::audit::AuditKind::Hidden,
                (false, false) => domain::audit::AuditKind::Restored,
            };
            let record = crate::audit::by(actor, kind, Some(found.hearing.municipality_id))
                .plan(Some(found.hearing.plan_id))
                .target(id);
            self.record(if screened {
                record.detail("rejected")
            } else {
                record
            })
            .await;
        }
        self.after_commit(&change.events, changed && !emails.is_empty());
        Ok(change)
    }

    /// A planner publishes input that waited for screening: logged, announced to
    /// readers as a new comment, and the planners' notice is queued. Publishing it
    /// again changes nothing.
    pub async fn publish_screened(
        &self,
        actor: &Actor,
        who: &str,
        id: CommentId,
    ) -> Result<CommentChange, ModerationError> {
        self.publish_screened_redacted(actor, who, id, &[]).await
    }

    /// Publishes screened input with the given ranges (in characters) redacted:
    /// everyone sees the redacted text — pages, API, live updates, feeds — while the
    /// original stays in the case file for the plan's planners and the report.
    /// Without ranges it is published as written.
    pub async fn publish_screened_redacted(
        &self,
        actor: &Actor,
        who: &str,
        id: CommentId,
        ranges: &[(usize, usize)],
    ) -> Result<CommentChange, ModerationError> {
        let found = self.find_for_moderation(actor, id).await?;
        let redaction = if ranges.is_empty() {
            None
        } else {
            let text = redact(&found.comment.body, ranges).ok_or(ModerationError::BadRedaction)?;
            let mut sorted = ranges.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            Some((text, serde_json::to_string(&sorted).unwrap_or_default()))
        };
        let db = self.db();
        let plan = db.plan(found.hearing.plan_id).await?;
        let section = db.section(found.comment.section_id).await?;
        let mut published = found.comment.clone();
        published.status = CommentStatus::Published;
        if let Some((text, _)) = &redaction {
            published.body = text.clone();
        }
        let emails = comment_notices(self, &found.hearing, &plan, &section, &published).await?;
        let change = db
            .publish_screened_redacted(
                found.document,
                id,
                who,
                &emails,
                redaction.as_ref().map(|(t, r)| (t.as_str(), r.as_str())),
            )
            .await?;
        let changed = !change.events.is_empty();
        if changed {
            tracing::info!(comment = %id, actor = %who, "screened input published");
            self.record(
                crate::audit::by(
                    actor,
                    domain::audit::AuditKind::Screened,
                    Some(found.hearing.municipality_id),
                )
                .plan(Some(found.hearing.plan_id))
                .target(id)
                .detail("published"),
            )
            .await;
        }
        self.after_commit(&change.events, changed && !emails.is_empty());
        Ok(change)
    }
}
