//! Deadline reminders of one hearing in the API: the days they go out on, who has
//! answered and who will be reminded when, and one reminder sent by hand now. The
//! workbench's forms call the same use cases.

use super::api::{HearingDto, dto, load_visible, local};
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use crate::web::lang::ReaderLang;
use axum::extract::State;
use consultation::reminders::{ReminderError, ReminderOverview};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A reminder use case's refusal as an API error.
pub(crate) fn reminder_error(err: ReminderError) -> ApiError {
    let message = err.to_string();
    match err {
        ReminderError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", message),
        ReminderError::Days(e) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), message)
        }
        ReminderError::NotOpen => ApiError::new(StatusCode::CONFLICT, "not_open", message),
        ReminderError::Db(e) => e.into(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedReminderDto {
    pub days: u32,
    /// RFC 3339 with the Europe/Oslo offset (09:00 on its day).
    pub at: String,
    /// Its time has passed.
    pub passed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteeDto {
    pub name: String,
    pub email: String,
    pub organisations: Vec<String>,
    /// They, or an organisation they are invited for, gave an official response.
    pub answered: bool,
    /// When they are reminded next, unless they answer first.
    pub next_reminder: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemindersDto {
    pub days: Vec<u32>,
    pub planned: Vec<PlannedReminderDto>,
    pub invitees: Vec<InviteeDto>,
}

fn overview_dto(o: ReminderOverview) -> RemindersDto {
    RemindersDto {
        days: o.days,
        planned: o
            .planned
            .into_iter()
            .map(|p| PlannedReminderDto {
                days: p.days,
                at: local(p.at),
                passed: p.passed,
            })
            .collect(),
        invitees: o
            .invitees
            .into_iter()
            .map(|i| InviteeDto {
                name: i.name,
                email: i.email,
                organisations: i.organisations,
                answered: i.answered,
                next_reminder: i.next_reminder.map(local),
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/reminders", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = RemindersDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_reminders(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<RemindersDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    let overview = state
        .consultation()
        .reminder_overview(&actor, &hearing)
        .await
        .map_err(reminder_error)?;
    Ok(ApiJson(overview_dto(overview)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderDaysBody {
    /// Days before the deadline, 1 to 60, at most six; empty turns reminders off.
    pub days: Vec<u32>,
}

#[utoipa::path(put, path = "/api/v1/hearings/{id}/reminders", tag = "hearings", request_body = ReminderDaysBody,
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_reminders(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReminderDaysBody>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    let changed = state
        .consultation()
        .set_reminder_days(&actor, &who, &hearing, &body.days)
        .await
        .map_err(reminder_error)?;
    Ok(ApiJson(dto(lang, changed)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemindedDto {
    /// How many invited people who had not answered are being reminded.
    pub reminded: usize,
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/reminders/send", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = RemindedDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "the hearing is not open")))]
pub async fn send_reminders(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<RemindedDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    let reminded = state
        .consultation()
        .send_reminders_now(&actor, &who, &hearing)
        .await
        .map_err(reminder_error)?;
    Ok(ApiJson(RemindedDto { reminded }))
}
