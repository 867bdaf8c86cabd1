//! A person's rights over what is stored about them: everything about them, to
//! read and download, and being forgotten.
//!
//! Forgetting keeps the text of every published input and removes the name, also
//! from the event log and from queued emails (the storage side is `db`'s
//! `repo/privacy.rs`, one transaction).

use crate::Consultation;
pub use db::PersonData;
use db::{Anonymised, DbError};
use domain::PersonId;
use domain::policy::{Action, Actor, Resource, can};

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("only the person themself may do this")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Consultation {
    /// Everything stored about `person` or under their address: their page and the
    /// export. Holds no secret.
    pub async fn person_data(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<PersonData, PrivacyError> {
        if !can(actor, Action::Read, Resource::Person { person }) {
            return Err(PrivacyError::Forbidden);
        }
        Ok(self.db().person_data(person).await?)
    }

    /// Forgets `person` at their own request: their published inputs keep their text
    /// without the name, input never confirmed is deleted, emails not yet sent to them
    /// are cancelled and their sessions end. Publishes the events that take the name
    /// off readers' pages after commit; the caller closes the ended sessions' sockets.
    pub async fn forget_person(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Anonymised, PrivacyError> {
        if !can(actor, Action::Delete, Resource::Person { person }) {
            return Err(PrivacyError::Forbidden);
        }
        // Recorded in the audit log inside the same transaction.
        let done = self.db().anonymise_person(person).await?;
        self.after_commit(&done.events, false);
        metrics::counter!("samrad_people_anonymised_total").increment(1);
        tracing::info!(
            %person,
            comments = done.comments,
            deleted_unconfirmed = done.deleted_unconfirmed,
            cancelled_emails = done.cancelled_emails,
            "person forgotten at their request"
        );
        Ok(done)
    }
}
