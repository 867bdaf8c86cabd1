//! API tokens: a person on the municipality's staff makes tokens that act as them
//! (narrowed to reading, to one plan, and to a date if they choose), lists and
//! revokes their own; administrators see and revoke all of their municipality's.

use crate::Consultation;
use db::{ApiTokenInfo, NewApiToken};
use domain::policy::{Action, Actor, can};
use domain::{ApiTokenId, PlanId};
use jiff::Timestamp;

/// The longest label a token may have.
const MAX_LABEL_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("only the municipality's staff may have API tokens")]
    Forbidden,
    #[error("no such token")]
    NotFound,
    #[error("the label must be 1 to 100 characters")]
    BadLabel,
    #[error("the expiry must be in the future")]
    ExpiryPast,
    #[error("no such plan")]
    UnknownPlan,
    #[error(transparent)]
    Db(#[from] db::DbError),
}

/// A token just made: its secret is shown this once and stored only hashed.
pub struct CreatedToken {
    pub id: ApiTokenId,
    pub secret: String,
}

/// What a new token may do.
pub struct TokenRequest<'a> {
    pub label: &'a str,
    pub read_only: bool,
    pub plan: Option<PlanId>,
    pub expires_at: Option<Timestamp>,
}

impl Consultation {
    /// The actor a live token acts as: its person with the roles they hold now
    /// (so taking a role away takes it from their tokens too), or for a token
    /// made on the command line the municipality's administrator; narrowed by
    /// the token's scope.
    pub async fn actor_for_token(&self, token: &ApiTokenInfo) -> Actor {
        let actor = match token.person {
            Some(person) => match self.db().roles(person, Some(token.municipality)).await {
                Ok(roles) => Actor::person(person, roles),
                Err(err) => {
                    tracing::warn!(error = %err, "could not read a token's roles");
                    Actor::person(person, Vec::new())
                }
            },
            None => Actor::api_token(token.municipality),
        };
        actor.scoped(token.id, token.plan, token.read_only)
    }

    /// Makes a token acting as the signed-in staff member `actor`.
    pub async fn create_token(
        &self,
        actor: &Actor,
        request: &TokenRequest<'_>,
    ) -> Result<CreatedToken, TokenError> {
        // Tokens do not make tokens: only a person signed in with a session.
        let (Some(person), None) = (actor.person, actor.token) else {
            return Err(TokenError::Forbidden);
        };
        let municipality = actor.staff_municipality().ok_or(TokenError::Forbidden)?;
        let label = request.label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            return Err(TokenError::BadLabel);
        }
        if request.expires_at.is_some_and(|e| e <= db::time::now()) {
            return Err(TokenError::ExpiryPast);
        }
        if let Some(plan) = request.plan {
            let found = match self.db().plan(plan).await {
                Ok(found) => found,
                Err(db::DbError::NotFound) => return Err(TokenError::UnknownPlan),
                Err(err) => return Err(err.into()),
            };
            let resource = crate::access::readable_plan_resource(self.db(), &found).await?;
            if found.municipality_id != municipality || !can(actor, Action::Read, resource) {
                return Err(TokenError::UnknownPlan);
            }
        }
        let secret = new_token_secret();
        let id = self
            .db()
            .create_scoped_api_token(
                &NewApiToken {
                    municipality,
                    person: Some(person),
                    label,
                    read_only: request.read_only,
                    plan: request.plan,
                    expires_at: request.expires_at,
                    created_by: Some(person),
                },
                &secret,
            )
            .await?;
        tracing::info!(token = %id, %person, "API token created");
        Ok(CreatedToken { id, secret })
    }

    /// The tokens the actor manages: an administrator's municipality's, or a staff
    /// member's own.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiTokenInfo>, TokenError> {
        let municipality = actor.staff_municipality().ok_or(TokenError::Forbidden)?;
        if crate::audit::audited_municipality(actor) == Some(municipality) {
            return Ok(self.db().api_tokens(municipality, None).await?);
        }
        let person = actor.person.ok_or(TokenError::Forbidden)?;
        Ok(self.db().api_tokens(municipality, Some(person)).await?)
    }

    /// Revokes one of the tokens the actor manages; refused at once everywhere.
    /// Revoking again changes nothing.
    pub async fn revoke_token(&self, actor: &Actor, id: ApiTokenId) -> Result<(), TokenError> {
        if actor.read_only {
            return Err(TokenError::Forbidden);
        }
        let visible = self.tokens(actor).await?;
        let Some(token) = visible.iter().find(|t| t.id == id) else {
            return Err(TokenError::NotFound);
        };
        self.db()
            .revoke_api_token(token.municipality, id, actor.person, actor.token)
            .await?;
        tracing::info!(token = %id, "API token revoked");
        Ok(())
    }
}

/// A token secret: 32 random bytes, prefixed so that secret scanners recognise it.
pub fn new_token_secret() -> String {
    format!("samrad_{}", crate::secrets::new_secret())
}
