//! Hearings: their deadlines and how they take input.

use crate::Consultation;
use crate::access::hearing_resource;
use db::DbError;
use domain::Lang;
use domain::email::{Email, OutgoingEmail};
use domain::hearing::Hearing;
use domain::policy::{Action, Actor, can};

#[derive(Debug, thiserror::Error)]
pub enum ExtendError {
    #[error(transparent)]
    Deadline(#[from] domain::deadline::DeadlineError),
    #[error("the new deadline must be later than the current one")]
    NotLater,
    #[error("an assessed hearing cannot be extended")]
    Completed,
    #[error("the hearing changed meanwhile; reload and try again")]
    Conflict,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Consultation {
    /// Turns screening of public input on a hearing on or off. The caller has checked
    /// that the actor plans the hearing's plan.
    pub async fn set_screening(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
        on: bool,
    ) -> Result<Hearing, DbError> {
        debug_assert!(can(actor, Action::Edit, hearing_resource(hearing)));
        let changed = self.db().set_screening(hearing.id, on).await?;
        if hearing.screen_public_input != on {
            tracing::info!(hearing = %hearing.id, actor = %who, on, "screening of public input changed");
        }
        Ok(changed)
    }

    /// Moves a hearing's deadline to `requested` (or the next working day), logs it with
    /// its reason and tells everyone who took part.
    pub async fn extend_deadline(
        &self,
        actor: String,
        hearing: &Hearing,
        requested: jiff::civil::Date,
        reason: String,
    ) -> Result<Hearing, ExtendError> {
        use domain::deadline::{deadline_on, oslo};
        use domain::hearing::HearingState;
        if hearing.state == HearingState::Assessed {
            return Err(ExtendError::Completed);
        }
        let opens = hearing.opens_at.to_zoned(oslo()).date();
        // The reason is logged, so it also covers a period that stays under six weeks.
        let computed = deadline_on(opens, requested, hearing.kind, Some(&reason))?;
        let new_deadline = computed.deadline.timestamp();
        if new_deadline <= hearing.deadline {
            return Err(ExtendError::NotLater);
        }
        let db = self.db();
        let plan = db.plan(hearing.plan_id).await?;
        let mut recipients: Vec<String> = plan
            .contact_email
            .into_iter()
            .chain(hearing.contact_email.clone())
            .chain(db.commenter_emails(hearing.id).await?)
            .collect();
        recipients.sort();
        recipients.dedup();
        let emails: Vec<OutgoingEmail> = recipients
            .into_iter()
            .map(|recipient| OutgoingEmail {
                dedupe_key: format!(
                    "deadline-extended:{}:{}:{recipient}",
                    hearing.id,
                    new_deadline.as_second()
                ),
                recipient,
                lang: Lang::Nn,
                email: Email::DeadlineExtended {
                    hearing_title: hearing.title.clone(),
                    new_deadline: new_deadline.to_string(),
                    reason: reason.clone(),
                    link: self.link(&format!("/hearings/{}", hearing.id)),
                },
            })
            .collect();
        let changed = match db
            .extend_deadline(
                hearing.id,
                hearing.deadline,
                new_deadline,
                &actor,
                &reason,
                &emails,
            )
            .await
        {
            Ok(changed) => changed,
            Err(DbError::Conflict(_)) => return Err(ExtendError::Conflict),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(hearing = %hearing.id, actor = %actor, reason = %reason, "deadline extended");
        self.after_commit(&changed.events, !emails.is_empty());
        Ok(changed.hearing)
    }
}
