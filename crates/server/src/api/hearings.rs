use super::deadline::{WarningReport, warning_reports};

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::lang::ReaderLang;
use crate::services::hearing_resource;
use crate::state::AppState;
use axum::extract::State;
use db::NewHearing;
use domain::deadline::{DeadlineRequest, HearingKind, compute_deadline, format_rfc3339, oslo};
use domain::hearing::{Audience, Hearing, HearingState};
use domain::policy::{Action, Actor, Resource, can};
use domain::validate;
use domain::{DocumentVersionId, HearingId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHearing {
    pub document_version_id: Uuid,
    #[schema(example = "Høyring av planprogram for helse, sosial og omsorg")]
    pub title: String,
    /// `pbl` (Planning and Building Act: at least six weeks) or `other`. Default `pbl`.
    pub kind: Option<String>,
    /// `public` or `invited`. Default `public`.
    pub audience: Option<String>,
    /// The opening day, `YYYY-MM-DD` (Europe/Oslo). Default today.
    #[schema(example = "2026-03-02")]
    pub opens_on: Option<String>,
    /// Length of the period in weeks. Default 6.
    pub weeks: Option<u32>,
    /// Needed for a pbl hearing shorter than six weeks; logged.
    pub override_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HearingDto {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub plan_id: Uuid,
    pub document_version_id: Uuid,
    pub title: String,
    pub kind: String,
    pub audience: String,
    pub state: String,
    /// RFC 3339 with the Europe/Oslo offset.
    pub opens_at: String,
    /// RFC 3339 with the Europe/Oslo offset, 23:59 on a working day.
    pub deadline: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WarningReport>,
}

pub(crate) fn local(ts: jiff::Timestamp) -> String {
    format_rfc3339(&ts.to_zoned(oslo()))
}

fn dto(h: Hearing, warnings: Vec<WarningReport>) -> HearingDto {
    HearingDto {
        id: h.id.0,
        municipality_id: h.municipality_id.0,
        plan_id: h.plan_id.0,
        document_version_id: h.document_version_id.0,
        title: h.title,
        kind: match h.kind {
            HearingKind::Pbl => "pbl".into(),
            HearingKind::Other => "other".into(),
        },
        audience: h.audience.as_str().to_owned(),
        state: h.state.as_str().to_owned(),
        opens_at: local(h.opens_at),
        deadline: local(h.deadline),
        warnings,
    }
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

#[utoipa::path(post, path = "/api/v1/hearings", tag = "hearings", request_body = CreateHearing,
    responses((status = 201, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_hearing(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiJson(body): ApiJson<CreateHearing>,
) -> Result<(StatusCode, ApiJson<HearingDto>), ApiError> {
    let Actor::Planner { .. } = actor else {
        return Err(ApiError::unauthorized("this needs a planner's API token"));
    };
    let db = state.db();
    let version = db
        .document_version(DocumentVersionId(body.document_version_id))
        .await
        .map_err(|e| match e {
            db::DbError::NotFound => unprocessable(
                "unknown_document_version",
                "the document version does not exist",
            ),
            other => other.into(),
        })?;
    let document = db.document(version.document_id).await?;
    let plan = db.plan(document.plan_id).await?;
    if !can(
        actor,
        Action::Create,
        Resource::Plan {
            municipality: plan.municipality_id,
        },
    ) {
        return Err(unprocessable(
            "unknown_document_version",
            "the document version does not exist",
        ));
    }
    let kind = match body.kind.as_deref().unwrap_or("pbl") {
        "pbl" => HearingKind::Pbl,
        "other" => HearingKind::Other,
        _ => return Err(unprocessable("invalid_kind", "kind must be pbl or other")),
    };
    let audience = Audience::parse(body.audience.as_deref().unwrap_or("public"))
        .ok_or_else(|| unprocessable("invalid_audience", "audience must be public or invited"))?;
    let opens = match body.opens_on.as_deref() {
        Some(text) => text.parse::<jiff::civil::Date>().map_err(|_| {
            unprocessable("invalid_date", "opens_on must be a date written YYYY-MM-DD")
        })?,
        None => jiff::Timestamp::now().to_zoned(oslo()).date(),
    };
    let request = DeadlineRequest {
        opens,
        weeks: body.weeks.unwrap_or(domain::deadline::PBL_MINIMUM_WEEKS),
        kind,
        override_reason: body.override_reason.clone(),
    };
    let deadline = compute_deadline(&request).map_err(|e| {
        let message = super::deadline::error_message(lang, &e);
        unprocessable(e.code(), message)
    })?;
    if let Some(reason) = &deadline.override_reason {
        tracing::warn!(plan = %plan.id, weeks = request.weeks, reason = %reason, "hearing shorter than the pbl minimum, overridden");
    }
    let opens_at = opens
        .to_zoned(oslo())
        .map_err(|_| unprocessable("invalid_date", "opens_on is out of range"))?
        .timestamp();
    let hearing = db
        .create_hearing(NewHearing {
            municipality_id: plan.municipality_id,
            plan_id: plan.id,
            document_version_id: version.id,
            title: validate::line("title", &body.title, 300)?,
            kind,
            audience,
            state: HearingState::Draft,
            opens_at,
            deadline: deadline.deadline.timestamp(),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(dto(hearing, warning_reports(lang, &deadline))),
    ))
}

async fn load_visible(state: &AppState, actor: Actor, id: Uuid) -> Result<Hearing, ApiError> {
    let hearing = state
        .db()
        .hearing(HearingId(id))
        .await
        .map_err(|e| match e {
            db::DbError::NotFound => ApiError::not_found("the hearing"),
            other => other.into(),
        })?;
    if !can(actor, Action::Read, hearing_resource(&hearing)) {
        return Err(ApiError::not_found("the hearing"));
    }
    Ok(hearing)
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_hearing(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, actor, id).await?;
    Ok(ApiJson(dto(hearing, Vec::new())))
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/open", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn open_hearing(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, actor, id).await?;
    if !can(actor, Action::ChangeState, hearing_resource(&hearing)) {
        return Err(ApiError::forbidden());
    }
    if !matches!(hearing.state, HearingState::Draft | HearingState::Scheduled) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid_transition",
            format!(
                "a hearing that is {} cannot be opened",
                hearing.state.as_str()
            ),
        ));
    }
    let opened = state
        .db()
        .set_hearing_state(hearing.id, HearingState::Open)
        .await?;
    Ok(ApiJson(dto(opened, Vec::new())))
}
