use crate::entities::municipality;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::MunicipalityId;
use domain::plan::Municipality;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn into_domain(m: municipality::Model) -> Result<Municipality, DbError> {
    let _ = from_db(m.created_at)?;
    Ok(Municipality {
        id: m.id.into(),
        slug: m.slug,
        name: m.name,
    })
}

impl Db {
    pub async fn create_municipality(
        &self,
        slug: &str,
        name: &str,
    ) -> Result<Municipality, DbError> {
        let model = municipality::ActiveModel {
            id: Set(MunicipalityId::new().0),
            slug: Set(slug.to_owned()),
            name: Set(name.to_owned()),
            created_at: Set(to_db(now())),
        };
        into_domain(
            municipality::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    pub async fn municipality_by_slug(&self, slug: &str) -> Result<Option<Municipality>, DbError> {
        municipality::Entity::find()
            .filter(municipality::Column::Slug.eq(slug))
            .one(&self.conn)
            .await?
            .map(into_domain)
            .transpose()
    }

    pub async fn municipality(&self, id: MunicipalityId) -> Result<Municipality, DbError> {
        municipality::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .map(into_domain)
            .transpose()?
            .ok_or(DbError::NotFound)
    }

    pub async fn municipalities(&self) -> Result<Vec<Municipality>, DbError> {
        municipality::Entity::find()
            .order_by_asc(municipality::Column::Name)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}
