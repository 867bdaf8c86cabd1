use super::parse_enum;
use crate::entities::hearing;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::deadline::HearingKind;
use domain::hearing::{Audience, Hearing, HearingState};
use domain::{DocumentVersionId, HearingId, MunicipalityId, PlanId};
use jiff::Timestamp;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

#[derive(Debug, Clone)]
pub struct NewHearing {
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub document_version_id: DocumentVersionId,
    pub title: String,
    pub kind: HearingKind,
    pub audience: Audience,
    pub state: HearingState,
    pub opens_at: Timestamp,
    pub deadline: Timestamp,
}

fn kind_parse(s: &str) -> Option<HearingKind> {
    match s {
        "pbl" => Some(HearingKind::Pbl),
        "other" => Some(HearingKind::Other),
        _ => None,
    }
}

fn kind_str(kind: HearingKind) -> &'static str {
    match kind {
        HearingKind::Pbl => "pbl",
        HearingKind::Other => "other",
    }
}

pub(crate) fn into_domain(m: hearing::Model) -> Result<Hearing, DbError> {
    Ok(Hearing {
        id: m.id.into(),
        municipality_id: m.municipality_id.into(),
        plan_id: m.plan_id.into(),
        document_version_id: m.document_version_id.into(),
        title: m.title,
        kind: parse_enum(&m.kind, kind_parse, "hearing kind")?,
        audience: parse_enum(&m.audience, Audience::parse, "audience")?,
        state: parse_enum(&m.state, HearingState::parse, "hearing state")?,
        opens_at: from_db(m.opens_at)?,
        deadline: from_db(m.deadline)?,
        created_at: from_db(m.created_at)?,
    })
}

impl Db {
    pub async fn create_hearing(&self, new: NewHearing) -> Result<Hearing, DbError> {
        let model = hearing::ActiveModel {
            id: Set(HearingId::new().0),
            municipality_id: Set(new.municipality_id.0),
            plan_id: Set(new.plan_id.0),
            document_version_id: Set(new.document_version_id.0),
            title: Set(new.title),
            kind: Set(kind_str(new.kind).to_owned()),
            audience: Set(new.audience.as_str().to_owned()),
            state: Set(new.state.as_str().to_owned()),
            opens_at: Set(to_db(new.opens_at)),
            deadline: Set(to_db(new.deadline)),
            created_at: Set(to_db(now())),
        };
        into_domain(
            hearing::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    pub async fn hearing(&self, id: HearingId) -> Result<Hearing, DbError> {
        hearing::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)
    }

    /// Moves a hearing to a new state; the caller has checked the transition.
    pub async fn set_hearing_state(
        &self,
        id: HearingId,
        state: HearingState,
    ) -> Result<Hearing, DbError> {
        let model = hearing::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.0),
            state: Set(state.as_str().to_owned()),
            ..Default::default()
        };
        let updated = hearing::Entity::update(model)
            .exec(&self.conn)
            .await
            .map_err(|e| match e {
                sea_orm::DbErr::RecordNotUpdated => DbError::NotFound,
                other => other.into(),
            })?;
        into_domain(updated)
    }

    /// Hearings the public can see (not drafts, public audience), soonest deadline first.
    pub async fn published_hearings(
        &self,
        municipality: Option<MunicipalityId>,
    ) -> Result<Vec<Hearing>, DbError> {
        let mut query = hearing::Entity::find()
            .filter(hearing::Column::State.ne(HearingState::Draft.as_str()))
            .filter(hearing::Column::Audience.eq(Audience::Public.as_str()));
        if let Some(m) = municipality {
            query = query.filter(hearing::Column::MunicipalityId.eq(m.0));
        }
        query
            .order_by_asc(hearing::Column::Deadline)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// Whether a version of the document is on a published, public hearing.
    pub async fn document_is_public(&self, document: domain::DocumentId) -> Result<bool, DbError> {
        use crate::entities::document_version;
        let versions: Vec<uuid::Uuid> = document_version::Entity::find()
            .select_only()
            .column(document_version::Column::Id)
            .filter(document_version::Column::DocumentId.eq(document.0))
            .into_tuple()
            .all(&self.conn)
            .await?;
        let count = hearing::Entity::find()
            .filter(hearing::Column::DocumentVersionId.is_in(versions))
            .filter(hearing::Column::State.ne(HearingState::Draft.as_str()))
            .filter(hearing::Column::Audience.eq(Audience::Public.as_str()))
            .count(&self.conn)
            .await?;
        Ok(count > 0)
    }

    pub async fn hearings_of_plan(&self, plan: PlanId) -> Result<Vec<Hearing>, DbError> {
        hearing::Entity::find()
            .filter(hearing::Column::PlanId.eq(plan.0))
            .order_by_asc(hearing::Column::OpensAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}
