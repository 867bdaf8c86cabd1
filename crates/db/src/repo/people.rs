//! People, staff roles, sign-in tokens and sessions.
//!
//! Secrets (sign-in tokens, session ids) are stored only as SHA-256 hashes, so a
//! copy of the database does not let anyone sign in.

use super::audit::{AuditRecord, insert_audit};
use super::parse_enum;
use super::tokens::hash_token;
use crate::entities::{person, session, sign_in_token, staff};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::audit::AuditKind;
use domain::person::{Person, StaffRole, normalise_email};
use domain::{Lang, MunicipalityId, PersonId, SessionId};
use jiff::{SignedDuration, Timestamp};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

pub(crate) fn into_domain(m: person::Model) -> Result<Person, DbError> {
    Ok(Person {
        id: m.id.into(),
        email: m.email,
        name: m.name,
        lang: parse_enum(&m.lang, Lang::parse, "language")?,
    })
}

/// A signed-in person and the session they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub session: SessionId,
    pub person: Person,
    pub expires_at: Timestamp,
    /// The municipality the person signed in to; their roles count only there.
    pub municipality: Option<MunicipalityId>,
    /// Staff of that municipality when they signed in (the shorter idle timeout).
    pub staff: bool,
}

/// How long a session may go unused before it ends; `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleTimeout {
    pub staff: Option<SignedDuration>,
    pub participant: Option<SignedDuration>,
}

impl IdleTimeout {
    pub const NONE: IdleTimeout = IdleTimeout {
        staff: None,
        participant: None,
    };

    pub fn for_session(self, staff: bool) -> Option<SignedDuration> {
        if staff { self.staff } else { self.participant }
    }
}

/// What a sign-in link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    SignIn,
    /// Confirms the address of someone who gave input without an account.
    ConfirmInput,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "sign_in",
            TokenPurpose::ConfirmInput => "confirm_input",
        }
    }
}

/// A new sign-in link.
#[derive(Debug, Clone)]
pub struct NewSignInToken<'a> {
    pub email: &'a str,
    /// `None` for an address nobody has: the row is still written so both cases cost
    /// the same, but it can never be redeemed.
    pub person: Option<PersonId>,
    pub municipality: Option<MunicipalityId>,
    pub token: &'a str,
    pub valid_for: SignedDuration,
    pub purpose: TokenPurpose,
}

impl Db {
    /// The person with this address, created with `name` and `lang` if new.
    pub async fn ensure_person(
        &self,
        email: &str,
        name: &str,
        lang: Lang,
    ) -> Result<Person, DbError> {
        into_domain(ensure_person_in(&self.conn, email, name, lang).await?)
    }

    pub async fn person(&self, id: PersonId) -> Result<Person, DbError> {
        into_domain(
            person::Entity::find_by_id(id.0)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?,
        )
    }

    pub async fn person_by_email(&self, email: &str) -> Result<Option<Person>, DbError> {
        person::Entity::find()
            .filter(person::Column::Email.eq(normalise_email(email)))
            .one(&self.read)
            .await?
            .map(into_domain)
            .transpose()
    }

    /// Gives a person a staff role in a municipality (replacing an earlier role there).
    pub async fn set_staff_role(
        &self,
        person: PersonId,
        municipality: MunicipalityId,
        role: StaffRole,
    ) -> Result<(), DbError> {
        let txn = self.conn.begin().await?;
        staff::Entity::delete_many()
            .filter(staff::Column::PersonId.eq(person.0))
            .filter(staff::Column::MunicipalityId.eq(municipality.0))
            .exec(&txn)
            .await?;
        staff::Entity::insert(staff::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(person.0),
            municipality_id: Set(municipality.0),
            role: Set(role.as_str().to_owned()),
            created_at: Set(to_db(now())),
        })
        .exec_without_returning(&txn)
        .await?;
        // Roles are given by the command line (an operator), so no actor.
        insert_audit(
            &txn,
            &AuditRecord::new(AuditKind::RoleChanged, Some(municipality))
                .target(person)
                .detail(role.as_str()),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn staff_roles(
        &self,
        person: PersonId,
    ) -> Result<Vec<(MunicipalityId, StaffRole)>, DbError> {
        staff::Entity::find()
            .filter(staff::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|s| {
                Ok((
                    MunicipalityId(s.municipality_id),
                    parse_enum(&s.role, StaffRole::parse, "staff role")?,
                ))
            })
            .collect()
    }

    /// Stores a sign-in token (only its hash).
    pub async fn create_sign_in_token(&self, new: NewSignInToken<'_>) -> Result<(), DbError> {
        insert_sign_in_token(&self.conn, &new).await
    }

    /// How many sign-in links were asked for this address since `since`.
    pub async fn sign_in_requests_since(
        &self,
        email: &str,
        since: Timestamp,
    ) -> Result<u64, DbError> {
        Ok(sign_in_token::Entity::find()
            .filter(sign_in_token::Column::Email.eq(normalise_email(email)))
            .filter(sign_in_token::Column::CreatedAt.gte(to_db(since)))
            .count(&self.read)
            .await?)
    }

    /// Uses a sign-in token once and opens a session for `session_secret`. Returns
    /// `None` for an unknown, used or expired token. Two concurrent redemptions of one
    /// token give one session: the conditional update lets only one through.
    pub async fn redeem_sign_in_token(
        &self,
        token: &str,
        session_secret: &str,
        session_ttl: SignedDuration,
    ) -> Result<Option<SignedIn>, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let Some((person, municipality)) =
            claim_token(&txn, token, TokenPurpose::SignIn, at).await?
        else {
            return Ok(None);
        };
        // Following the link proves the address.
        confirm_email(&txn, person, at).await?;
        let signed_in =
            open_session(&txn, person, municipality, session_secret, session_ttl).await?;
        txn.commit().await?;
        Ok(Some(signed_in))
    }

    /// Signs in with a password (staff only set one). `None` for a wrong password or
    /// an unknown address; both take one argon2 verification.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &str,
        municipality: MunicipalityId,
        session_secret: &str,
        session_ttl: SignedDuration,
    ) -> Result<Option<SignedIn>, DbError> {
        let found = person::Entity::find()
            .filter(person::Column::Email.eq(normalise_email(email)))
            .filter(person::Column::AnonymisedAt.is_null())
            .one(&self.conn)
            .await?;
        let hash = found
            .as_ref()
            .and_then(|p| p.password_hash.clone())
            .unwrap_or_else(|| crate::password::DUMMY_HASH.clone());
        let password = password.to_owned();
        let verified =
            tokio::task::spawn_blocking(move || crate::password::verify(&password, &hash))
                .await
                .map_err(|e| DbError::Other(e.to_string()))?;
        // A failed attempt is recorded with the person, when the address is theirs.
        let failed = |person: Option<Uuid>| {
            AuditRecord::new(AuditKind::SignInFailed, Some(municipality))
                .by(person.map(PersonId), None)
                .detail("password")
        };
        let known = found.as_ref().map(|p| p.id);
        let Some(person) = found.filter(|p| verified && p.password_hash.is_some()) else {
            insert_audit(&self.conn, &failed(known)).await?;
            return Ok(None);
        };
        let is_staff = staff::Entity::find()
            .filter(staff::Column::PersonId.eq(person.id))
            .filter(staff::Column::MunicipalityId.eq(municipality.0))
            .count(&self.conn)
            .await?
            > 0;
        if !is_staff {
            insert_audit(&self.conn, &failed(known)).await?;
            return Ok(None);
        }
        let txn = self.conn.begin().await?;
        let signed_in = open_session(
            &txn,
            PersonId(person.id),
            Some(municipality),
            session_secret,
            session_ttl,
        )
        .await?;
        txn.commit().await?;
        Ok(Some(signed_in))
    }

    /// Sets (or with `None` removes) a person's password; stores only the argon2id hash.
    pub async fn set_password(
        &self,
        person: PersonId,
        password: Option<&str>,
    ) -> Result<(), DbError> {
        let hash = match password {
            Some(p) => {
                let p = p.to_owned();
                Some(
                    tokio::task::spawn_blocking(move || crate::password::hash(&p))
                        .await
                        .map_err(|e| DbError::Other(e.to_string()))??,
                )
            }
            None => None,
        };
        let updated = person::Entity::update_many()
            .col_expr(person::Column::PasswordHash, Expr::value(hash))
            .filter(person::Column::Id.eq(person.0))
            .exec(&self.conn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn has_password(&self, person: PersonId) -> Result<bool, DbError> {
        Ok(person::Entity::find_by_id(person.0)
            .one(&self.conn)
            .await?
            .is_some_and(|p| p.password_hash.is_some()))
    }

    /// The person behind a live session cookie, without an idle timeout.
    pub async fn session(&self, secret: &str) -> Result<Option<SignedIn>, DbError> {
        self.session_in_use(secret, IdleTimeout::NONE).await
    }

    /// The person behind a live session cookie that was used within its idle
    /// timeout; using it counts as activity. A session idle for too long is ended
    /// (and recorded) here, so it is refused on every process at once.
    pub async fn session_in_use(
        &self,
        secret: &str,
        idle: IdleTimeout,
    ) -> Result<Option<SignedIn>, DbError> {
        let at = now();
        let Some(s) = session::Entity::find()
            .filter(session::Column::SecretHash.eq(hash_token(secret)))
            .filter(session::Column::ExpiresAt.gt(to_db(at)))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let last_seen = from_db(s.last_seen_at.unwrap_or(s.created_at))?;
        if let Some(limit) = idle.for_session(s.staff) {
            if at.duration_since(last_seen) > limit {
                let txn = self.conn.begin().await?;
                let gone = session::Entity::delete_by_id(s.id).exec(&txn).await?;
                if gone.rows_affected > 0 {
                    insert_audit(
                        &txn,
                        &AuditRecord::new(
                            AuditKind::SessionIdle,
                            s.municipality_id.map(MunicipalityId),
                        )
                        .by(Some(PersonId(s.person_id)), None),
                    )
                    .await?;
                }
                txn.commit().await?;
                return Ok(None);
            }
            // Write at most once a minute per session: a page's requests come in bursts.
            if at.duration_since(last_seen) > SignedDuration::from_secs(60) {
                session::Entity::update_many()
                    .col_expr(session::Column::LastSeenAt, Expr::value(Some(to_db(at))))
                    .filter(session::Column::Id.eq(s.id))
                    .exec(&self.conn)
                    .await?;
            }
        }
        let Some(p) = person::Entity::find_by_id(s.person_id)
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(SignedIn {
            session: SessionId(s.id),
            person: into_domain(p)?,
            expires_at: from_db(s.expires_at)?,
            municipality: s.municipality_id.map(MunicipalityId),
            staff: s.staff,
        }))
    }

    /// Ends a session (sign-out), recorded in the audit log. Returns whether there
    /// was one.
    pub async fn end_session(&self, secret: &str) -> Result<bool, DbError> {
        let txn = self.conn.begin().await?;
        let Some(s) = session::Entity::find()
            .filter(session::Column::SecretHash.eq(hash_token(secret)))
            .one(&txn)
            .await?
        else {
            return Ok(false);
        };
        session::Entity::delete_by_id(s.id).exec(&txn).await?;
        insert_audit(
            &txn,
            &AuditRecord::new(AuditKind::SignOut, s.municipality_id.map(MunicipalityId))
                .by(Some(PersonId(s.person_id)), None),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Marks a session as used now (the "stay signed in" button). Returns whether
    /// the session is still there.
    pub async fn touch_session(&self, id: SessionId) -> Result<bool, DbError> {
        let updated = session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(Some(to_db(now()))))
            .filter(session::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        Ok(updated.rows_affected > 0)
    }
}

/// Stores a sign-in token (only its hash) inside the caller's transaction.
pub(crate) async fn insert_sign_in_token<C: ConnectionTrait>(
    conn: &C,
    new: &NewSignInToken<'_>,
) -> Result<(), DbError> {
    let at = now();
    let expires = at
        .checked_add(new.valid_for)
        .map_err(|e| DbError::Other(e.to_string()))?;
    sign_in_token::Entity::insert(sign_in_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(hash_token(new.token)),
        email: Set(normalise_email(new.email)),
        person_id: Set(new.person.map(|p| p.0)),
        expires_at: Set(to_db(expires)),
        used_at: Set(None),
        created_at: Set(to_db(at)),
        municipality_id: Set(new.municipality.map(|m| m.0)),
        purpose: Set(new.purpose.as_str().to_owned()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The person a usable token of `purpose` belongs to, without using it up.
pub(crate) async fn token_holder<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: TokenPurpose,
    at: Timestamp,
) -> Result<Option<PersonId>, DbError> {
    let Some(row) = sign_in_token::Entity::find()
        .filter(usable_token(&hash_token(token), purpose, at))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(person_id) = row.person_id else {
        return Ok(None);
    };
    let live = person::Entity::find_by_id(person_id)
        .filter(person::Column::AnonymisedAt.is_null())
        .one(conn)
        .await?
        .is_some();
    Ok(live.then_some(PersonId(person_id)))
}

fn usable_token(hash: &str, purpose: TokenPurpose, at: Timestamp) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(sign_in_token::Column::TokenHash.eq(hash))
        .add(sign_in_token::Column::UsedAt.is_null())
        .add(sign_in_token::Column::ExpiresAt.gt(to_db(at)))
        .add(sign_in_token::Column::PersonId.is_not_null())
        .add(sign_in_token::Column::Purpose.eq(purpose.as_str()))
}

/// Uses a token once: the conditional update lets only one of two concurrent
/// redemptions through. Returns its person and municipality; `None` for an unknown,
/// used or expired token, a token for something else, or a forgotten person.
pub(crate) async fn claim_token<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: TokenPurpose,
    at: Timestamp,
) -> Result<Option<(PersonId, Option<MunicipalityId>)>, DbError> {
    let hash = hash_token(token);
    let Some(person) = token_holder(conn, token, purpose, at).await? else {
        return Ok(None);
    };
    let claimed = sign_in_token::Entity::update_many()
        .col_expr(sign_in_token::Column::UsedAt, Expr::value(Some(to_db(at))))
        .filter(usable_token(&hash, purpose, at))
        .exec(conn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    let municipality = sign_in_token::Entity::find()
        .filter(sign_in_token::Column::TokenHash.eq(hash))
        .one(conn)
        .await?
        .and_then(|row| row.municipality_id.map(MunicipalityId));
    Ok(Some((person, municipality)))
}

/// The person with this address inside the caller's transaction, created if new.
/// A person created meanwhile by a concurrent request is used, not an error (the
/// insert does nothing on a taken address, so the transaction stays usable).
pub(crate) async fn ensure_person_in<C: ConnectionTrait>(
    conn: &C,
    email: &str,
    name: &str,
    lang: Lang,
) -> Result<person::Model, DbError> {
    let email = normalise_email(email);
    let find = || {
        person::Entity::find()
            .filter(person::Column::Email.eq(email.clone()))
            .one(conn)
    };
    if let Some(found) = find().await? {
        return Ok(found);
    }
    let inserted = person::Entity::insert(person::ActiveModel {
        id: Set(PersonId::new().0),
        email: Set(email.clone()),
        name: Set(name.to_owned()),
        lang: Set(lang.code().to_owned()),
        created_at: Set(to_db(now())),
        password_hash: Set(None),
        email_confirmed_at: Set(None),
        anonymised_at: Set(None),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(person::Column::Email)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await;
    match inserted {
        Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e.into()),
    }
    find().await?.ok_or(DbError::NotFound)
}

pub(crate) async fn confirm_email<C: ConnectionTrait>(
    conn: &C,
    person: PersonId,
    at: Timestamp,
) -> Result<(), DbError> {
    person::Entity::update_many()
        .col_expr(
            person::Column::EmailConfirmedAt,
            Expr::value(Some(to_db(at))),
        )
        .filter(person::Column::Id.eq(person.0))
        .filter(person::Column::EmailConfirmedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Opens a session with a fresh id for `secret` (only its hash is stored).
pub(crate) async fn open_session<C: ConnectionTrait>(
    conn: &C,
    person: PersonId,
    municipality: Option<MunicipalityId>,
    secret: &str,
    ttl: SignedDuration,
) -> Result<SignedIn, DbError> {
    let at = now();
    let found = person::Entity::find_by_id(person.0)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)?;
    let expires = at
        .checked_add(ttl)
        .map_err(|e| DbError::Other(e.to_string()))?;
    let session_id = SessionId::new();
    // Staff sessions have the shorter idle timeout.
    let staff = match municipality {
        Some(m) => {
            staff::Entity::find()
                .filter(staff::Column::PersonId.eq(person.0))
                .filter(staff::Column::MunicipalityId.eq(m.0))
                .count(conn)
                .await?
                > 0
        }
        None => false,
    };
    session::Entity::insert(session::ActiveModel {
        id: Set(session_id.0),
        secret_hash: Set(hash_token(secret)),
        person_id: Set(person.0),
        created_at: Set(to_db(at)),
        expires_at: Set(to_db(expires)),
        municipality_id: Set(municipality.map(|m| m.0)),
        last_seen_at: Set(Some(to_db(at))),
        staff: Set(staff),
    })
    .exec_without_returning(conn)
    .await?;
    insert_audit(
        conn,
        &AuditRecord::new(AuditKind::SignIn, municipality).by(Some(person), None),
    )
    .await?;
    Ok(SignedIn {
        session: session_id,
        person: into_domain(found)?,
        expires_at: expires,
        municipality,
        staff,
    })
}

impl Db {
    /// Deletes sign-in and confirmation tokens that were used or have expired, once
    /// `keep_since` has passed (recent ones still count against the per-address
    /// limit), and sessions that have expired. Returns how many rows went.
    pub async fn purge_spent_tokens(
        &self,
        at: Timestamp,
        keep_since: Timestamp,
    ) -> Result<u64, DbError> {
        use sea_orm::sea_query::Condition;
        let tokens = sign_in_token::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(sign_in_token::Column::UsedAt.is_not_null())
                    .add(sign_in_token::Column::ExpiresAt.lt(to_db(at))),
            )
            .filter(sign_in_token::Column::CreatedAt.lt(to_db(keep_since)))
            .exec(&self.conn)
            .await?;
        let sessions = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(to_db(at)))
            .exec(&self.conn)
            .await?;
        Ok(tokens.rows_affected + sessions.rows_affected)
    }
}
