//! People: who a signed-in person acts as, confirming input given without an
//! account, and the name and language a person chooses for themself.
//!
//! Confirmation works like sign-in: the emailed link's token is used once, and
//! only by an explicit request (the pages put it behind a button), so mail scanners
//! that open links confirm nothing.

use crate::Consultation;
pub use db::SignedIn;
use db::{ConfirmedInputs, DbError};
use domain::email::OutgoingEmail;
use domain::hearing::Comment;
use domain::policy::{Action, Actor, Resource, can};
use domain::validate::{self, FieldError};
use domain::{CommentId, Lang, PersonId};
use std::collections::HashMap;

/// Sessions end after this long on the server (the cookie also ends when the browser
/// closes).
pub const SESSION_DAYS: i64 = 14;

/// The longest confirmation token looked up; anything longer is no token of ours.
const MAX_TOKEN_CHARS: usize = 200;

/// What using a confirmation link did, and the secret of the session it opened.
#[derive(Debug, Clone)]
pub struct ConfirmedInput {
    pub confirmed: ConfirmedInputs,
    /// The secret of the new session (the server sets it as the session cookie).
    pub session_secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    #[error("the confirmation link is unknown, already used or expired")]
    LinkUnusable,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The name and language a person chooses, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub name: String,
    /// `nn`, `nb` or `en`.
    pub lang: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("you may change only your own profile")]
    Forbidden,
    #[error(transparent)]
    InvalidName(FieldError),
    #[error("the language must be nn, nb or en")]
    UnknownLanguage,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Consultation {
    /// The signed-in person with the roles they hold in the municipality their
    /// session is bound to. If the roles cannot be read, the person acts with none
    /// (fails closed).
    pub async fn actor_for(&self, signed_in: &SignedIn) -> Actor {
        let person = signed_in.person.id;
        match self.db().roles(person, signed_in.municipality).await {
            Ok(roles) => Actor::person(person, roles),
            Err(err) => {
                tracing::warn!(error = %err, "could not read roles");
                Actor::person(person, Vec::new())
            }
        }
    }

    /// Uses a confirmation link once: confirms the address, publishes every input of
    /// the person that waited for it (or hands it to screening), queues the planners'
    /// notices and opens a session, in one transaction; publishes after commit.
    pub async fn confirm_input(&self, token: &str) -> Result<ConfirmedInput, ConfirmError> {
        let token = token.trim();
        if token.is_empty() || token.len() > MAX_TOKEN_CHARS {
            return Err(ConfirmError::LinkUnusable);
        }
        let db = self.db();
        let Some(pending) = db.pending_confirmation(token).await? else {
            return Err(ConfirmError::LinkUnusable);
        };
        let notices = self.confirmation_notices(&pending.comments).await?;
        let session_secret = crate::secrets::new_secret();
        let Some(confirmed) = db
            .confirm_inputs(
                token,
                &session_secret,
                jiff::SignedDuration::from_hours(24 * SESSION_DAYS),
                &notices,
            )
            .await?
        else {
            // Used by another request meanwhile.
            return Err(ConfirmError::LinkUnusable);
        };
        self.after_commit(&confirmed.events, confirmed.queued_email);
        metrics::counter!("samrad_inputs_confirmed_total")
            .increment(confirmed.published.len() as u64);
        tracing::info!(
            person = %confirmed.signed_in.person.id,
            published = confirmed.published.len(),
            screening = confirmed.screening.len(),
            "input confirmed"
        );
        Ok(ConfirmedInput {
            confirmed,
            session_secret,
        })
    }

    /// The planners' notices for each comment a confirmation link will publish.
    async fn confirmation_notices(
        &self,
        comments: &[Comment],
    ) -> Result<HashMap<CommentId, Vec<OutgoingEmail>>, DbError> {
        let db = self.db();
        let mut notices = HashMap::new();
        for comment in comments {
            let hearing = db.hearing(comment.hearing_id).await?;
            let plan = db.plan(hearing.plan_id).await?;
            let section = db.section(comment.section_id).await?;
            notices.insert(
                comment.id,
                crate::comments::comment_notices(self, &hearing, &plan, &section, comment).await?,
            );
        }
        Ok(notices)
    }

    /// Changes the name and language `person` chose for themself; returns the
    /// language, which the pages follow too.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        person: PersonId,
        update: ProfileUpdate,
    ) -> Result<Lang, ProfileError> {
        if !can(actor, Action::Edit, Resource::Person { person }) {
            return Err(ProfileError::Forbidden);
        }
        let name = validate::line("name", &update.name, 200).map_err(ProfileError::InvalidName)?;
        let lang = Lang::parse(update.lang.trim()).ok_or(ProfileError::UnknownLanguage)?;
        self.db().update_profile(person, &name, lang).await?;
        Ok(lang)
    }
}
