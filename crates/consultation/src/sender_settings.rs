//! How a municipality's emails are sent, as its administrators set it in the
//! workbench (or an operator with `samrad municipality sender`): the sender's
//! display name and address, where replies go when a plan names no contact, and the
//! public address that links in its emails start with.

use crate::Consultation;
use crate::access::administered_municipality;
use domain::plan::{Municipality, Sender};
use domain::policy::Actor;
use domain::validate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum SenderError {
    #[error("only the municipality's administrators may change how its emails are sent")]
    Forbidden,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] db::DbError),
}

/// The settings as typed; an empty part falls back to the installation's.
#[derive(Debug, Clone, Default)]
pub struct TypedSender {
    pub display_name: Option<String>,
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    pub base_url: Option<String>,
}

impl Consultation {
    /// The municipality the actor administers, with its sender settings.
    pub async fn sender_settings(&self, actor: &Actor) -> Result<Municipality, SenderError> {
        let id = administered_municipality(actor).ok_or(SenderError::Forbidden)?;
        Ok(self.db().municipality(id).await?)
    }

    /// Replaces the sender settings of the municipality the actor administers;
    /// nothing is stored when a part is refused. Logged with who changed them.
    pub async fn set_sender_settings(
        &self,
        actor: &Actor,
        who: &str,
        typed: &TypedSender,
    ) -> Result<Municipality, SenderError> {
        let id = administered_municipality(actor).ok_or(SenderError::Forbidden)?;
        let sender = Sender::typed(
            typed.display_name.as_deref(),
            typed.from_address.as_deref(),
            typed.reply_to.as_deref(),
            typed.base_url.as_deref(),
        )?;
        let municipality = self.db().set_municipality_sender(id, &sender).await?;
        tracing::info!(municipality = %id, actor = %who, "email sender settings changed");
        Ok(municipality)
    }
}
