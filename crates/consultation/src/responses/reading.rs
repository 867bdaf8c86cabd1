//! Reading for the response form: the sections a response can point to, and the
//! response a person or an organisation they represent has given already.

use crate::Consultation;
use db::DbError;
use domain::hearing::Hearing;
use domain::plan::Section;
use domain::policy::Actor;
use domain::response::{OnBehalfOf, Response};

impl Consultation {
    /// The sections of the document version a hearing is on.
    pub async fn hearing_sections(&self, hearing: &Hearing) -> Result<Vec<Section>, DbError> {
        self.db().sections_of(hearing.document_version_id).await
    }

    /// The response given on behalf of the actor or of an organisation the actor
    /// represents in this hearing; `None` when none was given, and for anyone else's.
    pub async fn own_response(
        &self,
        actor: &Actor,
        hearing: &Hearing,
        on_behalf_of: OnBehalfOf,
    ) -> Result<Option<Response>, DbError> {
        let own = match on_behalf_of {
            OnBehalfOf::Person(person) => actor.person == Some(person),
            OnBehalfOf::Organisation(id) => self
                .represented_organisations(actor, hearing)
                .await?
                .iter()
                .any(|o| o.id == id),
        };
        if !own {
            return Ok(None);
        }
        self.db().response_of(hearing.id, on_behalf_of).await
    }
}
