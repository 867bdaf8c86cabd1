use super::parse_enum;
use crate::entities::plan_group;
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::group::{Group, GroupKind};
use domain::{GroupId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn into_domain(m: plan_group::Model) -> Result<Group, DbError> {
    Ok(Group {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        kind: parse_enum(&m.kind, GroupKind::parse, "group kind")?,
        name: m.name,
    })
}

impl Db {
    pub async fn create_group(
        &self,
        plan: PlanId,
        kind: GroupKind,
        name: &str,
    ) -> Result<Group, DbError> {
        let model = plan_group::ActiveModel {
            id: Set(GroupId::new().0),
            plan_id: Set(plan.0),
            kind: Set(kind.as_str().to_owned()),
            name: Set(name.to_owned()),
            purpose: Set(String::new()),
            created_at: Set(to_db(now())),
        };
        into_domain(
            plan_group::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    pub async fn group(&self, id: GroupId) -> Result<Group, DbError> {
        into_domain(
            plan_group::Entity::find_by_id(id.0)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?,
        )
    }

    pub async fn groups_of_plan(&self, plan: PlanId) -> Result<Vec<Group>, DbError> {
        plan_group::Entity::find()
            .filter(plan_group::Column::PlanId.eq(plan.0))
            .order_by_asc(plan_group::Column::Name)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}
