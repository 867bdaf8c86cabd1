use crate::entities::municipality;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::MunicipalityId;
use domain::plan::{Municipality, Sender};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn into_domain(m: municipality::Model) -> Result<Municipality, DbError> {
    let _ = from_db(m.created_at)?;
    Ok(Municipality {
        id: m.id.into(),
        slug: m.slug,
        name: m.name,
        sender: Sender {
            display_name: m.sender_name,
            from_address: m.sender_address,
            reply_to: m.reply_to,
            base_url: m.base_url,
        },
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
            sender_name: Set(None),
            sender_address: Set(None),
            reply_to: Set(None),
            base_url: Set(None),
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
            .one(&self.read)
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

    /// Sets how the municipality's emails are sent (each part optional).
    pub async fn set_municipality_sender(
        &self,
        id: MunicipalityId,
        sender: &Sender,
    ) -> Result<Municipality, DbError> {
        let result = municipality::Entity::update_many()
            .col_expr(
                municipality::Column::SenderName,
                Expr::value(sender.display_name.clone()),
            )
            .col_expr(
                municipality::Column::SenderAddress,
                Expr::value(sender.from_address.clone()),
            )
            .col_expr(
                municipality::Column::ReplyTo,
                Expr::value(sender.reply_to.clone()),
            )
            .col_expr(
                municipality::Column::BaseUrl,
                Expr::value(sender.base_url.clone()),
            )
            .filter(municipality::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        if result.rows_affected == 0 {
            return Err(DbError::NotFound);
        }
        self.municipality(id).await
    }
}
