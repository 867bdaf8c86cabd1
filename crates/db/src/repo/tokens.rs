//! API tokens for planners' programmatic access. Only a SHA-256 hash is stored.

use crate::entities::api_token;
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::{ApiTokenId, MunicipalityId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Db {
    /// Stores the hash of a freshly generated token for a municipality's planner.
    pub async fn create_api_token(
        &self,
        municipality: MunicipalityId,
        label: &str,
        token: &str,
    ) -> Result<ApiTokenId, DbError> {
        let id = ApiTokenId::new();
        api_token::Entity::insert(api_token::ActiveModel {
            id: Set(id.0),
            municipality_id: Set(municipality.0),
            label: Set(label.to_owned()),
            token_hash: Set(hash_token(token)),
            created_at: Set(to_db(now())),
            revoked_at: Set(None),
        })
        .exec_without_returning(&self.conn)
        .await?;
        Ok(id)
    }

    /// The municipality a valid, unrevoked token belongs to.
    pub async fn api_token_municipality(
        &self,
        token: &str,
    ) -> Result<Option<MunicipalityId>, DbError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash_token(token)))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.read)
            .await?
            .map(|t| MunicipalityId(t.municipality_id)))
    }
}
