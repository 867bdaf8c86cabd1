//! The municipality's register of organisations.

use super::parse_enum;
use crate::entities::organisation;
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::organisation::{Organisation, OrganisationKind};
use domain::{MunicipalityId, OrganisationId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

pub(crate) fn into_domain(m: organisation::Model) -> Result<Organisation, DbError> {
    Ok(Organisation {
        id: m.id.into(),
        municipality_id: m.municipality_id.into(),
        name: m.name,
        kind: parse_enum(&m.kind, OrganisationKind::parse, "organisation kind")?,
    })
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The organisation of that name in the municipality, created if new.
pub(crate) async fn ensure<C: ConnectionTrait>(
    conn: &C,
    municipality: MunicipalityId,
    name: &str,
    kind: OrganisationKind,
) -> Result<Organisation, DbError> {
    if let Some(found) = organisation::Entity::find()
        .filter(organisation::Column::MunicipalityId.eq(municipality.0))
        .filter(organisation::Column::NameKey.eq(name_key(name)))
        .one(conn)
        .await?
    {
        return into_domain(found);
    }
    insert(conn, municipality, name, kind).await
}

async fn insert<C: ConnectionTrait>(
    conn: &C,
    municipality: MunicipalityId,
    name: &str,
    kind: OrganisationKind,
) -> Result<Organisation, DbError> {
    into_domain(
        organisation::Entity::insert(organisation::ActiveModel {
            id: Set(OrganisationId::new().0),
            municipality_id: Set(municipality.0),
            name: Set(name.trim().to_owned()),
            name_key: Set(name_key(name)),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(to_db(now())),
        })
        .exec_with_returning(conn)
        .await?,
    )
}

impl Db {
    /// Adds an organisation; a name the municipality already has is a conflict.
    pub async fn create_organisation(
        &self,
        municipality: MunicipalityId,
        name: &str,
        kind: OrganisationKind,
    ) -> Result<Organisation, DbError> {
        insert(&self.conn, municipality, name, kind).await
    }

    pub async fn organisations(
        &self,
        municipality: MunicipalityId,
    ) -> Result<Vec<Organisation>, DbError> {
        organisation::Entity::find()
            .filter(organisation::Column::MunicipalityId.eq(municipality.0))
            .order_by_asc(organisation::Column::NameKey)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<Organisation, DbError> {
        into_domain(
            organisation::Entity::find_by_id(id.0)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?,
        )
    }
}
