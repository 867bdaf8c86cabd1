//! Milestones of a plan's process (framdriftsplan).

use crate::entities::plan_milestone;
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::plan::Milestone;
use domain::{MilestoneId, PlanId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn to_chrono(date: jiff::civil::Date) -> Result<chrono::NaiveDate, DbError> {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::try_from(date.month()).unwrap_or(1),
        u32::try_from(date.day()).unwrap_or(1),
    )
    .ok_or_else(|| DbError::Other(format!("date out of range: {date}")))
}

fn from_chrono(date: chrono::NaiveDate) -> Result<jiff::civil::Date, DbError> {
    use chrono::Datelike;
    jiff::civil::Date::new(
        i16::try_from(date.year()).map_err(|e| DbError::Corrupt(e.to_string()))?,
        i8::try_from(date.month()).map_err(|e| DbError::Corrupt(e.to_string()))?,
        i8::try_from(date.day()).map_err(|e| DbError::Corrupt(e.to_string()))?,
    )
    .map_err(|e| DbError::Corrupt(e.to_string()))
}

fn into_domain(m: plan_milestone::Model) -> Result<Milestone, DbError> {
    Ok(Milestone {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        title: m.title,
        due_on: from_chrono(m.due_on)?,
        done: m.done,
    })
}

impl Db {
    pub async fn add_milestone(
        &self,
        plan: PlanId,
        title: &str,
        due_on: jiff::civil::Date,
        done: bool,
    ) -> Result<Milestone, DbError> {
        let model = plan_milestone::ActiveModel {
            id: Set(MilestoneId::new().0),
            plan_id: Set(plan.0),
            title: Set(title.to_owned()),
            due_on: Set(to_chrono(due_on)?),
            done: Set(done),
            created_at: Set(to_db(now())),
        };
        into_domain(
            plan_milestone::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    /// A plan's milestones in date order.
    pub async fn milestones_of(&self, plan: PlanId) -> Result<Vec<Milestone>, DbError> {
        plan_milestone::Entity::find()
            .filter(plan_milestone::Column::PlanId.eq(plan.0))
            .order_by_asc(plan_milestone::Column::DueOn)
            .order_by_asc(plan_milestone::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// Marks a milestone of `plan` done or not; false when the plan has no such milestone.
    pub async fn set_milestone_done(
        &self,
        plan: PlanId,
        id: MilestoneId,
        done: bool,
    ) -> Result<bool, DbError> {
        let updated = plan_milestone::Entity::update_many()
            .col_expr(plan_milestone::Column::Done, Expr::value(done))
            .filter(plan_milestone::Column::Id.eq(id.0))
            .filter(plan_milestone::Column::PlanId.eq(plan.0))
            .exec(&self.conn)
            .await?;
        Ok(updated.rows_affected == 1)
    }
}
