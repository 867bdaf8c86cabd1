//! Workshops in the JSON API: each handler calls one use case of
//! `consultation::workshops` and renders JSON.

use super::parse_time;
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use consultation::workshops::Registrant;
use domain::workshop::{
    AgendaDraft, IgpStage, Needs, Place, Registration, Workshop, WorkshopDraft,
};
use domain::{PersonId, PlanId, WorkshopId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
pub struct PlaceDto {
    pub address: String,
    #[serde(default)]
    pub step_free_access: bool,
    #[serde(default)]
    pub hearing_loop: bool,
    #[serde(default)]
    pub parking: bool,
    /// A sign-language or spoken-language interpreter can be booked on request.
    #[serde(default)]
    pub interpreter_on_request: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemDto {
    pub id: Uuid,
    pub position: u32,
    pub title: String,
    /// Sections of the plan's documents; empty for a free topic.
    pub sections: Vec<Uuid>,
    /// The time box in minutes.
    pub minutes: u32,
    /// IGP stages used: individual, group, plenum.
    pub stages: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkshopDto {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub purpose: String,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<PlaceDto>,
    pub online_link: Option<String>,
    /// Seats; past them a yes goes to the waiting list. `null` for no limit.
    pub capacity: Option<u32>,
    /// Hours before the start at which those who said yes are reminded; 0 for none.
    pub reminder_hours: u32,
    /// scheduled or cancelled.
    pub status: String,
    /// The iCalendar SEQUENCE, raised by every change.
    pub sequence: u32,
    /// The invited groups.
    pub groups: Vec<Uuid>,
    pub agenda: Vec<AgendaItemDto>,
    /// Documents to read beforehand.
    pub readings: Vec<Uuid>,
    /// The event as iCalendar.
    pub ics: String,
}

impl From<Workshop> for WorkshopDto {
    fn from(w: Workshop) -> Self {
        WorkshopDto {
            ics: format!("/workshops/{}.ics", w.id),
            id: w.id.0,
            plan_id: w.plan_id.0,
            title: w.title,
            purpose: w.purpose,
            starts_at: w.starts_at.to_string(),
            ends_at: w.ends_at.to_string(),
            place: w.place.map(|p| PlaceDto {
                address: p.address,
                step_free_access: p.step_free_access,
                hearing_loop: p.hearing_loop,
                parking: p.parking,
                interpreter_on_request: p.interpreter_on_request,
            }),
            online_link: w.online_link,
            capacity: w.capacity,
            reminder_hours: w.reminder_hours,
            status: w.status.as_str().to_owned(),
            sequence: w.sequence,
            groups: w.groups.iter().map(|g| g.0).collect(),
            agenda: w
                .agenda
                .into_iter()
                .map(|i| AgendaItemDto {
                    id: i.id.0,
                    position: i.position,
                    title: i.title,
                    sections: i.sections.iter().map(|s| s.0).collect(),
                    minutes: i.minutes,
                    stages: i.stages.iter().map(|s| s.as_str().to_owned()).collect(),
                })
                .collect(),
            readings: w.readings.iter().map(|d| d.0).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemInput {
    pub title: String,
    #[serde(default)]
    pub sections: Vec<Uuid>,
    pub minutes: u32,
    /// individual, group and/or plenum.
    #[serde(default)]
    pub stages: Vec<String>,
}

/// A workshop to create, or what it becomes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkshopInput {
    pub title: String,
    #[serde(default)]
    pub purpose: String,
    /// RFC 3339, or a local date and time (`2027-03-04T09:00`) in Norwegian time.
    pub starts_at: String,
    pub ends_at: String,
    /// A place, an online link, or both.
    pub place: Option<PlaceDto>,
    pub online_link: Option<String>,
    pub capacity: Option<u32>,
    /// 48 unless given; 0 for no reminder.
    pub reminder_hours: Option<u32>,
    pub groups: Vec<Uuid>,
    #[serde(default)]
    pub agenda: Vec<AgendaItemInput>,
    #[serde(default)]
    pub readings: Vec<Uuid>,
}

fn invalid(field: &'static str) -> ApiError {
    domain::validate::FieldError {
        field,
        problem: domain::validate::Problem::OutOfRange,
    }
    .into()
}

impl WorkshopInput {
    fn draft(self) -> Result<WorkshopDraft, ApiError> {
        let time = |field: &'static str, value: &str| -> Result<_, ApiError> {
            parse_time(value).map(Some).ok_or_else(|| invalid(field))
        };
        let agenda = self
            .agenda
            .into_iter()
            .map(|item| {
                Ok(AgendaDraft {
                    title: item.title,
                    sections: item.sections.into_iter().map(Into::into).collect(),
                    minutes: item.minutes,
                    stages: item
                        .stages
                        .iter()
                        .map(|s| IgpStage::parse(s.trim()).ok_or_else(|| invalid("stages")))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(WorkshopDraft {
            starts_at: time("starts_at", &self.starts_at)?,
            ends_at: time("ends_at", &self.ends_at)?,
            title: self.title,
            purpose: self.purpose,
            place: self.place.map(|p| Place {
                address: p.address,
                step_free_access: p.step_free_access,
                hearing_loop: p.hearing_loop,
                parking: p.parking,
                interpreter_on_request: p.interpreter_on_request,
            }),
            online_link: self.online_link,
            capacity: self.capacity,
            reminder_hours: self.reminder_hours,
            groups: self.groups.into_iter().map(Into::into).collect(),
            agenda,
            readings: self.readings.into_iter().map(Into::into).collect(),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationDto {
    pub person_id: Uuid,
    /// The person's name; in the planners' list only.
    pub name: Option<String>,
    /// yes, no or maybe.
    pub answer: String,
    /// confirmed (a seat), waiting (on the waiting list) or none (no or maybe).
    pub seat: String,
    pub diet: Option<String>,
    pub accessibility: Option<String>,
    pub interpreter: Option<String>,
    pub assistant: bool,
    pub answered_at: String,
    /// Recorded on the day; `null` until then.
    pub attended: Option<bool>,
}

fn seat_str(seat: domain::workshop::Seat) -> &'static str {
    match seat {
        domain::workshop::Seat::Confirmed => "confirmed",
        domain::workshop::Seat::Waiting => "waiting",
        domain::workshop::Seat::None => "none",
    }
}

fn registration_dto(r: Registration, name: Option<String>) -> RegistrationDto {
    RegistrationDto {
        person_id: r.person_id.0,
        name,
        answer: r.answer.as_str().to_owned(),
        seat: seat_str(r.seat).to_owned(),
        diet: r.needs.diet,
        accessibility: r.needs.accessibility,
        interpreter: r.needs.interpreter,
        assistant: r.needs.assistant,
        answered_at: r.answered_at.to_string(),
        attended: r.attended,
    }
}

/// An invited person's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// yes, no or maybe.
    pub answer: String,
    pub diet: Option<String>,
    pub accessibility: Option<String>,
    /// The language to interpret into, sign language included.
    pub interpreter: Option<String>,
    #[serde(default)]
    pub assistant: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    pub attended: bool,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/workshops", tag = "workshops",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<WorkshopDto>, description = "the plan's workshops the caller may see, by start time"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_workshops(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<WorkshopDto>>, ApiError> {
    let workshops = state
        .consultation()
        .workshops_of_plan(&actor, PlanId(id))
        .await?;
    Ok(ApiJson(workshops.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/workshops", tag = "workshops", request_body = WorkshopInput,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = WorkshopDto, description = "created; the members of its groups are invited by email with the event attached"),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_workshop(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<WorkshopInput>,
) -> Result<(StatusCode, ApiJson<WorkshopDto>), ApiError> {
    let draft = body.draft()?;
    let workshop = state
        .consultation()
        .create_workshop(&actor, PlanId(id), &draft)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(workshop.into())))
}

#[utoipa::path(get, path = "/api/v1/workshops/{id}", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = WorkshopDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_workshop(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<WorkshopDto>, ApiError> {
    let workshop = state
        .consultation()
        .workshop(&actor, WorkshopId(id))
        .await?;
    Ok(ApiJson(workshop.into()))
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}", tag = "workshops", request_body = WorkshopInput,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = WorkshopDto, description = "changed; SEQUENCE rose and the invited and those who answered get the update"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_workshop(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<WorkshopInput>,
) -> Result<ApiJson<WorkshopDto>, ApiError> {
    let draft = body.draft()?;
    let workshop = state
        .consultation()
        .update_workshop(&actor, WorkshopId(id), &draft)
        .await?;
    Ok(ApiJson(workshop.into()))
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/cancel", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = WorkshopDto, description = "cancelled; everyone told gets METHOD:CANCEL"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn cancel_workshop(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<WorkshopDto>, ApiError> {
    let workshop = state
        .consultation()
        .cancel_workshop(&actor, WorkshopId(id))
        .await?;
    Ok(ApiJson(workshop.into()))
}

#[utoipa::path(get, path = "/api/v1/workshops/{id}/registrations", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = Vec<RegistrationDto>, description = "every answer with its needs, for the plan's planners"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_registrations(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<RegistrationDto>>, ApiError> {
    let registrants = state
        .consultation()
        .workshop_registrations(&actor, WorkshopId(id))
        .await?;
    Ok(ApiJson(
        registrants
            .into_iter()
            .map(
                |Registrant {
                     registration,
                     person,
                 }| { registration_dto(registration, Some(person.name)) },
            )
            .collect(),
    ))
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}/registration", tag = "workshops", request_body = AnswerInput,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = RegistrationDto, description = "the caller's answer; past capacity a yes is put on the waiting list (seat: waiting)"),
        (status = 403, body = crate::error::ErrorBody, description = "not invited"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "the workshop started or was cancelled"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn answer_workshop(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AnswerInput>,
) -> Result<ApiJson<RegistrationDto>, ApiError> {
    let needs = Needs {
        diet: body.diet,
        accessibility: body.accessibility,
        interpreter: body.interpreter,
        assistant: body.assistant,
    };
    let registration = state
        .consultation()
        .answer_workshop(&actor, WorkshopId(id), &body.answer, &needs)
        .await?;
    Ok(ApiJson(registration_dto(registration, None)))
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}/registrations/{person_id}/attendance", tag = "workshops",
    request_body = AttendanceInput,
    params(("id" = Uuid, Path, description = "workshop id"), ("person_id" = Uuid, Path, description = "who answered")),
    responses((status = 204, description = "recorded"), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "before the workshop's day"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_attendance(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, person)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<AttendanceInput>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .record_attendance(&actor, WorkshopId(id), PersonId(person), body.attended)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
