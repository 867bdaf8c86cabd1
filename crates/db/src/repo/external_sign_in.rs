//! Sign-in with an identity provider (OpenID Connect): the sign-ins under way, and
//! the provider accounts linked to people.
//!
//! A sign-in under way is keyed by the hash of its `state`, lives ten minutes and is
//! taken once: a replayed or forged callback finds nothing.

use super::people::{confirm_email, ensure_person_in, into_domain, open_session};
use super::tokens::hash_token;
use crate::entities::{external_identity, external_sign_in, person, staff};
use crate::time::{now, to_db};
use crate::{Db, DbError, SignedIn};
use domain::{Lang, MunicipalityId, PersonId};
use jiff::SignedDuration;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// What the callback needs to finish a sign-in it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSignInStarted {
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub next: Option<String>,
}

/// The account the provider vouched for, from a verified ID token.
#[derive(Debug, Clone)]
pub struct ExternalAccount<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    /// Only an address the provider says it verified.
    pub verified_email: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// How a sign-in through a provider ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalSignIn {
    SignedIn(SignedIn),
    /// A provider for staff, and the person holds no staff role in its municipality.
    NotStaff,
    /// Nobody is linked to the account and the provider gave no verified address.
    NoVerifiedEmail,
}

impl Db {
    pub async fn start_external_sign_in(
        &self,
        state: &str,
        started: &ExternalSignInStarted,
        valid_for: SignedDuration,
    ) -> Result<(), DbError> {
        let expires = now()
            .checked_add(valid_for)
            .map_err(|e| DbError::Other(e.to_string()))?;
        external_sign_in::Entity::insert(external_sign_in::ActiveModel {
            state_hash: Set(hash_token(state)),
            provider: Set(started.provider.clone()),
            pkce_verifier: Set(started.pkce_verifier.clone()),
            nonce: Set(started.nonce.clone()),
            next: Set(started.next.clone()),
            expires_at: Set(to_db(expires)),
        })
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }

    /// Takes the sign-in started with `state`, once; `None` when it is unknown, taken
    /// or older than ten minutes. Expired ones are swept on the way.
    pub async fn take_external_sign_in(
        &self,
        state: &str,
    ) -> Result<Option<ExternalSignInStarted>, DbError> {
        let at = to_db(now());
        external_sign_in::Entity::delete_many()
            .filter(external_sign_in::Column::ExpiresAt.lt(at))
            .exec(&self.conn)
            .await?;
        let hash = hash_token(state);
        let Some(found) = external_sign_in::Entity::find_by_id(hash.clone())
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        // Only the request that deletes the row may use it.
        let taken = external_sign_in::Entity::delete_by_id(hash)
            .exec(&self.conn)
            .await?;
        if taken.rows_affected != 1 || found.expires_at < at {
            return Ok(None);
        }
        Ok(Some(ExternalSignInStarted {
            provider: found.provider,
            pkce_verifier: found.pkce_verifier,
            nonce: found.nonce,
            next: found.next,
        }))
    }

    /// Signs in the person linked to the provider's account – linking it the first
    /// time by its verified address, and creating the person when `create` allows –
    /// and opens a session in `municipality`. With `staff_only` the person must hold
    /// a staff role there.
    pub async fn sign_in_external(
        &self,
        account: &ExternalAccount<'_>,
        municipality: MunicipalityId,
        staff_only: bool,
        session_secret: &str,
        session_ttl: SignedDuration,
    ) -> Result<ExternalSignIn, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let linked = external_identity::Entity::find_by_id((
            account.issuer.to_owned(),
            account.subject.to_owned(),
        ))
        .one(&txn)
        .await?;
        let person = match linked {
            Some(link) => person::Entity::find_by_id(link.person_id)
                .filter(person::Column::AnonymisedAt.is_null())
                .one(&txn)
                .await?
                .map(into_domain)
                .transpose()?,
            None => None,
        };
        let person = match (person, account.verified_email) {
            (Some(person), _) => person,
            (None, None) => return Ok(ExternalSignIn::NoVerifiedEmail),
            (None, Some(email)) => {
                if staff_only {
                    // Staff are never created here: an administrator gives the role.
                    let existing = person::Entity::find()
                        .filter(person::Column::Email.eq(domain::person::normalise_email(email)))
                        .filter(person::Column::AnonymisedAt.is_null())
                        .one(&txn)
                        .await?;
                    match existing {
                        Some(found) => into_domain(found)?,
                        None => return Ok(ExternalSignIn::NotStaff),
                    }
                } else {
                    let name = account.name.unwrap_or("");
                    into_domain(ensure_person_in(&txn, email, name, Lang::Nn).await?)?
                }
            }
        };
        if staff_only && !is_staff(&txn, person.id, municipality).await? {
            return Ok(ExternalSignIn::NotStaff);
        }
        if account.verified_email.is_some() {
            confirm_email(&txn, person.id, at).await?;
        }
        external_identity::Entity::insert(external_identity::ActiveModel {
            issuer: Set(account.issuer.to_owned()),
            subject: Set(account.subject.to_owned()),
            person_id: Set(person.id.0),
            created_at: Set(to_db(at)),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                external_identity::Column::Issuer,
                external_identity::Column::Subject,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .or_else(|e| match e {
            sea_orm::DbErr::RecordNotInserted => Ok(0),
            e => Err(e),
        })?;
        let signed_in = open_session(
            &txn,
            person.id,
            Some(municipality),
            session_secret,
            session_ttl,
        )
        .await?;
        txn.commit().await?;
        Ok(ExternalSignIn::SignedIn(signed_in))
    }
}

async fn is_staff<C: sea_orm::ConnectionTrait>(
    conn: &C,
    person: PersonId,
    municipality: MunicipalityId,
) -> Result<bool, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(staff::Entity::find()
        .filter(staff::Column::PersonId.eq(person.0))
        .filter(staff::Column::MunicipalityId.eq(municipality.0))
        .count(conn)
        .await?
        > 0)
}
