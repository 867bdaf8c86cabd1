use super::parse_enum;
use crate::entities::plan;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::plan::{Plan, PlanContact, PlanStatus};
use domain::{MunicipalityId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Debug, Clone)]
pub struct NewPlan {
    pub municipality_id: MunicipalityId,
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub contact_email: Option<String>,
    pub contact: PlanContact,
    pub case_number: Option<String>,
}

pub(crate) fn into_domain(m: plan::Model) -> Result<Plan, DbError> {
    Ok(Plan {
        id: m.id.into(),
        municipality_id: m.municipality_id.into(),
        slug: m.slug,
        title: m.title,
        sector: m.sector,
        period_start: m.period_start,
        period_end: m.period_end,
        status: parse_enum(&m.status, PlanStatus::parse, "plan status")?,
        contact_email: m.contact_email,
        contact: PlanContact {
            name: m.contact_name,
            department: m.contact_department,
            phone: m.contact_phone,
        },
        case_number: m.case_number,
        created_at: from_db(m.created_at)?,
    })
}

impl Db {
    pub async fn create_plan(&self, new: NewPlan) -> Result<Plan, DbError> {
        let model = plan::ActiveModel {
            id: Set(PlanId::new().0),
            municipality_id: Set(new.municipality_id.0),
            slug: Set(new.slug),
            title: Set(new.title),
            sector: Set(new.sector),
            period_start: Set(new.period_start),
            period_end: Set(new.period_end),
            status: Set(PlanStatus::Preparation.as_str().to_owned()),
            contact_email: Set(new.contact_email),
            contact_name: Set(new.contact.name),
            contact_department: Set(new.contact.department),
            contact_phone: Set(new.contact.phone),
            case_number: Set(new.case_number),
            created_at: Set(to_db(now())),
        };
        into_domain(
            plan::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    pub async fn plan(&self, id: PlanId) -> Result<Plan, DbError> {
        plan::Entity::find_by_id(id.0)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)
    }

    pub async fn plan_by_slug(
        &self,
        municipality: MunicipalityId,
        slug: &str,
    ) -> Result<Option<Plan>, DbError> {
        plan::Entity::find()
            .filter(plan::Column::MunicipalityId.eq(municipality.0))
            .filter(plan::Column::Slug.eq(slug))
            .one(&self.conn)
            .await?
            .map(into_domain)
            .transpose()
    }

    pub async fn plans_of(&self, municipality: MunicipalityId) -> Result<Vec<Plan>, DbError> {
        plan::Entity::find()
            .filter(plan::Column::MunicipalityId.eq(municipality.0))
            .order_by_asc(plan::Column::Title)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}
