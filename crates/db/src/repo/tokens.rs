//! API tokens for programmatic access. Only a SHA-256 hash of the secret is stored;
//! the secret is shown once, when the token is created. Every request looks the
//! token up again, so a revoked or expired token is refused at once on every process.

use super::audit::{AuditRecord, insert_audit};
use crate::entities::api_token;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::audit::AuditKind;
use domain::{ApiTokenId, MunicipalityId, PersonId, PlanId};
use jiff::Timestamp;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sha2::{Digest, Sha256};

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token to create: whose it is and what it may do.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    pub municipality: MunicipalityId,
    /// The person it acts as; `None` for a token made with the command line, which
    /// acts as the municipality's administrator.
    pub person: Option<PersonId>,
    pub label: &'a str,
    pub read_only: bool,
    pub plan: Option<PlanId>,
    pub expires_at: Option<Timestamp>,
    /// Who created it (for the audit log), if a person.
    pub created_by: Option<PersonId>,
}

/// A stored token as its owner and administrators see it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiTokenInfo {
    pub id: ApiTokenId,
    pub municipality: MunicipalityId,
    pub person: Option<PersonId>,
    pub label: String,
    pub read_only: bool,
    pub plan: Option<PlanId>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiTokenInfo {
    /// Neither revoked nor expired at `at`.
    pub fn is_live(&self, at: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > at)
    }
}

fn info(m: api_token::Model) -> Result<ApiTokenInfo, DbError> {
    Ok(ApiTokenInfo {
        id: ApiTokenId(m.id),
        municipality: MunicipalityId(m.municipality_id),
        person: m.person_id.map(PersonId),
        label: m.label,
        read_only: m.read_only,
        plan: m.plan_id.map(PlanId),
        created_at: from_db(m.created_at)?,
        expires_at: m.expires_at.map(from_db).transpose()?,
        revoked_at: m.revoked_at.map(from_db).transpose()?,
    })
}

impl Db {
    /// A token acting as the municipality's administrator, with no limits.
    pub async fn create_api_token(
        &self,
        municipality: MunicipalityId,
        label: &str,
        token: &str,
    ) -> Result<ApiTokenId, DbError> {
        self.create_scoped_api_token(
            &NewApiToken {
                municipality,
                person: None,
                label,
                read_only: false,
                plan: None,
                expires_at: None,
                created_by: None,
            },
            token,
        )
        .await
    }

    /// Stores the hash of a freshly generated token, and records its creation.
    pub async fn create_scoped_api_token(
        &self,
        new: &NewApiToken<'_>,
        token: &str,
    ) -> Result<ApiTokenId, DbError> {
        let id = ApiTokenId::new();
        let txn = self.conn.begin().await?;
        api_token::Entity::insert(api_token::ActiveModel {
            id: Set(id.0),
            municipality_id: Set(new.municipality.0),
            label: Set(new.label.to_owned()),
            token_hash: Set(hash_token(token)),
            created_at: Set(to_db(now())),
            revoked_at: Set(None),
            person_id: Set(new.person.map(|p| p.0)),
            read_only: Set(new.read_only),
            plan_id: Set(new.plan.map(|p| p.0)),
            expires_at: Set(new.expires_at.map(to_db)),
        })
        .exec_without_returning(&txn)
        .await?;
        let scope = match (new.read_only, new.plan) {
            (true, Some(_)) => "read_only plan",
            (true, None) => "read_only",
            (false, Some(_)) => "plan",
            (false, None) => "full",
        };
        insert_audit(
            &txn,
            &AuditRecord::new(AuditKind::TokenCreated, Some(new.municipality))
                .by(new.created_by, None)
                .plan(new.plan)
                .target(id)
                .detail(scope),
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The live (unrevoked, unexpired) token with this secret, read from the
    /// database at every call.
    pub async fn live_api_token(&self, token: &str) -> Result<Option<ApiTokenInfo>, DbError> {
        api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash_token(token)))
            .filter(api_token::Column::RevokedAt.is_null())
            .filter(
                Condition::any()
                    .add(api_token::Column::ExpiresAt.is_null())
                    .add(api_token::Column::ExpiresAt.gt(to_db(now()))),
            )
            .one(&self.read)
            .await?
            .map(info)
            .transpose()
    }

    /// The municipality a live token belongs to.
    pub async fn api_token_municipality(
        &self,
        token: &str,
    ) -> Result<Option<MunicipalityId>, DbError> {
        Ok(self.live_api_token(token).await?.map(|t| t.municipality))
    }

    pub async fn api_token(&self, id: ApiTokenId) -> Result<Option<ApiTokenInfo>, DbError> {
        api_token::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .map(info)
            .transpose()
    }

    /// A municipality's tokens (only `person`'s when given), newest first.
    pub async fn api_tokens(
        &self,
        municipality: MunicipalityId,
        person: Option<PersonId>,
    ) -> Result<Vec<ApiTokenInfo>, DbError> {
        let mut query =
            api_token::Entity::find().filter(api_token::Column::MunicipalityId.eq(municipality.0));
        if let Some(person) = person {
            query = query.filter(api_token::Column::PersonId.eq(person.0));
        }
        query
            .order_by_desc(api_token::Column::CreatedAt)
            .all(&self.read)
            .await?
            .into_iter()
            .map(info)
            .collect()
    }

    /// Revokes a token of the municipality, and records it. Returns whether a live
    /// token was revoked (revoking again changes nothing).
    pub async fn revoke_api_token(
        &self,
        municipality: MunicipalityId,
        id: ApiTokenId,
        by: Option<PersonId>,
        by_token: Option<ApiTokenId>,
    ) -> Result<bool, DbError> {
        let txn = self.conn.begin().await?;
        let found = api_token::Entity::find_by_id(id.0)
            .filter(api_token::Column::MunicipalityId.eq(municipality.0))
            .one(&txn)
            .await?;
        let Some(found) = found else {
            return Err(DbError::NotFound);
        };
        let updated = api_token::Entity::update_many()
            .col_expr(
                api_token::Column::RevokedAt,
                Expr::value(Some(to_db(now()))),
            )
            .filter(api_token::Column::Id.eq(id.0))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Ok(false);
        }
        insert_audit(
            &txn,
            &AuditRecord::new(AuditKind::TokenRevoked, Some(municipality))
                .by(by, by_token)
                .plan(found.plan_id.map(PlanId))
                .target(id),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
