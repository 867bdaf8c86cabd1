//! Which kinds of email a person receives: chosen on `/me`, or one kind turned off
//! with the one-click link (RFC 8058) in an email of that kind. The notification
//! worker reads the choice when it sends, so it holds for email already queued.
//!
//! The link's token (`domain::unsubscribe`) names the person and the kind, signed
//! under a server secret: it turns off that kind for that person and does nothing
//! else, and it signs nobody in.

use crate::Consultation;
use db::DbError;
use domain::email::{OPTIONAL_KINDS, optional_kind};
use domain::policy::{Action, Actor, Resource, can};
use domain::{PersonId, unsubscribe};

/// Each kind of email a person may turn off, and whether they receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSetting {
    pub kind: &'static str,
    pub receives: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EmailSettingsError {
    #[error("you may change only your own email settings")]
    Forbidden,
    #[error("there is no kind of email called {0:?} that can be turned off")]
    UnknownKind(String),
    /// A link nobody made: forged, cut short, or for a kind that cannot be turned off.
    #[error("this unsubscribe link is not valid")]
    UnknownLink,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Consultation {
    /// The kinds of email `person` may turn off, and which they receive.
    pub async fn email_settings(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<EmailSetting>, EmailSettingsError> {
        if !can(actor, Action::Read, Resource::Person { person }) {
            return Err(EmailSettingsError::Forbidden);
        }
        let off = self.db().opted_out_kinds(person).await?;
        Ok(OPTIONAL_KINDS
            .into_iter()
            .map(|kind| EmailSetting {
                kind,
                receives: !off.iter().any(|k| k == kind),
            })
            .collect())
    }

    /// `person` receives the kinds in `receive` and none of the other kinds that
    /// can be turned off. An unknown kind changes nothing.
    pub async fn save_email_settings(
        &self,
        actor: &Actor,
        person: PersonId,
        receive: &[String],
    ) -> Result<(), EmailSettingsError> {
        if !can(actor, Action::Edit, Resource::Person { person }) {
            return Err(EmailSettingsError::Forbidden);
        }
        if let Some(unknown) = receive.iter().find(|k| optional_kind(k).is_none()) {
            return Err(EmailSettingsError::UnknownKind(
                unknown.chars().take(40).collect(),
            ));
        }
        let off: Vec<&str> = OPTIONAL_KINDS
            .into_iter()
            .filter(|kind| !receive.iter().any(|k| k == kind))
            .collect();
        self.db().set_opted_out_kinds(person, &off).await?;
        Ok(())
    }

    /// The kind of email an unsubscribe link turns off, without turning it off (what
    /// the link's page shows: opening a link changes nothing).
    pub async fn unsubscribe_link(&self, token: &str) -> Result<&'static str, EmailSettingsError> {
        Ok(self.verify_unsubscribe(token).await?.1)
    }

    /// Turns off the kind of email the link names for the person it names; returns
    /// the kind. Needs no session: the link is the proof.
    pub async fn unsubscribe(&self, token: &str) -> Result<&'static str, EmailSettingsError> {
        let (person, kind) = self.verify_unsubscribe(token).await?;
        self.db().opt_out(person, kind).await?;
        Ok(kind)
    }

    async fn verify_unsubscribe(
        &self,
        token: &str,
    ) -> Result<(PersonId, &'static str), EmailSettingsError> {
        if token.len() > 200 {
            return Err(EmailSettingsError::UnknownLink);
        }
        let secret = self.db().server_secret(unsubscribe::SECRET_NAME).await?;
        let (person, kind) =
            unsubscribe::verify(&secret, token).ok_or(EmailSettingsError::UnknownLink)?;
        // A link for a person no longer stored is no link.
        self.db().person(person).await.map_err(|e| match e {
            DbError::NotFound => EmailSettingsError::UnknownLink,
            other => other.into(),
        })?;
        Ok((person, kind))
    }
}
