//! The board's JSON API: each handler calls one use case of
//! `consultation::workshop_board` and renders JSON.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use consultation::workshop_board::reading::{BoardView, VisibleNote};
use consultation::workshop_board::{NoteCommand, StepCommand};
use domain::event::EventAudience;
use domain::{AgendaItemId, BoardNoteId, BoardTableId, PersonId, WorkshopId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteDto {
    pub id: Uuid,
    pub item_id: Uuid,
    pub body: String,
    pub table_id: Option<Uuid>,
    /// The stage it was written in.
    pub stage: String,
    pub group_label: Option<String>,
    pub dots: u32,
    pub spoken_by: Option<String>,
    /// Who sees it now: `person` (its writer), `table` or `everyone`.
    pub visible_to: String,
    pub mine: bool,
    pub my_dots: u32,
    pub created_at: String,
}

fn audience_name(audience: &EventAudience) -> &'static str {
    match audience {
        EventAudience::Everyone => "everyone",
        EventAudience::Person(_) => "person",
        EventAudience::Table(_) => "table",
    }
}

impl From<&VisibleNote> for NoteDto {
    fn from(v: &VisibleNote) -> Self {
        let n = &v.note;
        NoteDto {
            id: n.id.0,
            item_id: n.item_id.0,
            body: n.body.clone(),
            table_id: n.table_id.map(|t| t.0),
            stage: n.stage.as_str().to_owned(),
            group_label: n.group_label.clone(),
            dots: n.dots,
            spoken_by: n.spoken_by.clone(),
            visible_to: audience_name(&v.audience).to_owned(),
            mine: v.mine,
            my_dots: v.my_dots,
            created_at: n.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardItemDto {
    pub id: Uuid,
    pub title: String,
    /// `waiting`, `open` or `closed`.
    pub status: String,
    /// The stage reached, once started.
    pub stage: Option<String>,
    /// The stages the item goes through on the board, in order.
    pub stages: Vec<String>,
    pub notes: Vec<NoteDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableDto {
    pub id: Uuid,
    pub name: String,
    pub seats: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardDto {
    pub workshop_id: Uuid,
    pub title: String,
    /// `facilitator`, `participant`, or none for those who only follow.
    pub role: Option<String>,
    pub current_item: Option<Uuid>,
    pub dot_budget: u32,
    pub items: Vec<BoardItemDto>,
    pub tables: Vec<TableDto>,
    pub my_table: Option<Uuid>,
    pub minutes: String,
    /// The newest event of the room `workshop:<id>`: subscribe with `since` = this.
    pub seq: i64,
}

impl From<&BoardView> for BoardDto {
    fn from(view: &BoardView) -> Self {
        BoardDto {
            workshop_id: view.workshop.id.0,
            title: view.workshop.title.clone(),
            role: view.role.map(|r| {
                match r {
                    domain::workshop_board::BoardRole::Facilitator => "facilitator",
                    domain::workshop_board::BoardRole::Participant => "participant",
                }
                .to_owned()
            }),
            current_item: view.current_item.map(|i| i.0),
            dot_budget: view.dot_budget,
            items: view
                .items
                .iter()
                .map(|i| BoardItemDto {
                    id: i.item.id.0,
                    title: i.item.title.clone(),
                    status: i.board.status.as_str().to_owned(),
                    stage: i.board.stage.map(|s| s.as_str().to_owned()),
                    stages: i
                        .board
                        .plan
                        .stages()
                        .iter()
                        .map(|s| s.as_str().to_owned())
                        .collect(),
                    notes: i.notes.iter().map(NoteDto::from).collect(),
                })
                .collect(),
            tables: view
                .tables
                .iter()
                .map(|t| TableDto {
                    id: t.id.0,
                    name: t.name.clone(),
                    seats: t.seats.iter().map(|p| p.0).collect(),
                })
                .collect(),
            my_table: view.my_table.map(|t| t.0),
            minutes: view.minutes.clone(),
            seq: view.seq,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/workshops/{id}/board", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = BoardDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_board(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<BoardDto>, ApiError> {
    let view = state
        .consultation()
        .board_view(&actor, WorkshopId(id), false)
        .await?;
    Ok(ApiJson(BoardDto::from(&view)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// `open`, `next`, `close`, or a stage: `individual`, `group`, `plenum`, `voting`.
    pub step: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemStateDto {
    pub status: String,
    pub stage: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/items/{item_id}/step", tag = "workshops",
    request_body = StepBody,
    params(("id" = Uuid, Path, description = "workshop id"), ("item_id" = Uuid, Path, description = "agenda item id")),
    responses((status = 200, body = ItemStateDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, item)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<ApiJson<ItemStateDto>, ApiError> {
    let command = StepCommand::parse(body.step.trim()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_step",
            "step must be open, next, close, individual, group, plenum or voting",
        )
    })?;
    let board = state
        .consultation()
        .step_board(&actor, WorkshopId(id), AgendaItemId(item), command)
        .await?;
    Ok(ApiJson(ItemStateDto {
        status: board.status.as_str().to_owned(),
        stage: board.stage.map(|s| s.as_str().to_owned()),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The agenda item; the current item when left out.
    #[serde(default)]
    pub item_id: Option<Uuid>,
    pub body: String,
    /// Facilitator only: who spoke the note.
    #[serde(default)]
    pub spoken_by: Option<String>,
    /// Facilitator only: the table the spoken note belongs to.
    #[serde(default)]
    pub table_id: Option<Uuid>,
    /// The writer agrees to be named if the note becomes an input.
    #[serde(default)]
    pub named: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostedNoteDto {
    pub id: Uuid,
    pub item_id: Uuid,
    pub stage: String,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/notes", tag = "workshops",
    request_body = NoteBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 201, body = PostedNoteDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn post_note(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<(StatusCode, ApiJson<PostedNoteDto>), ApiError> {
    let note = state
        .consultation()
        .post_board_note(
            &actor,
            WorkshopId(id),
            NoteCommand {
                item_id: body.item_id.map(AgendaItemId),
                body: body.body,
                spoken_by: body.spoken_by,
                table_id: body.table_id.map(BoardTableId),
                named: body.named,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(PostedNoteDto {
            id: note.id.0,
            item_id: note.item_id.0,
            stage: note.stage.as_str().to_owned(),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DotsDto {
    /// The note's dots after the change.
    pub dots: u32,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/notes/{note_id}/dots", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id"), ("note_id" = Uuid, Path, description = "note id")),
    responses((status = 200, body = DotsDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn place_dot(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, note)): ApiPath<(Uuid, Uuid)>,
) -> Result<ApiJson<DotsDto>, ApiError> {
    let dots = state
        .consultation()
        .board_dot(&actor, WorkshopId(id), BoardNoteId(note), true)
        .await?;
    Ok(ApiJson(DotsDto { dots }))
}

#[utoipa::path(delete, path = "/api/v1/workshops/{id}/board/notes/{note_id}/dots", tag = "workshops",
    params(("id" = Uuid, Path, description = "workshop id"), ("note_id" = Uuid, Path, description = "note id")),
    responses((status = 200, body = DotsDto), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn take_dot(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, note)): ApiPath<(Uuid, Uuid)>,
) -> Result<ApiJson<DotsDto>, ApiError> {
    let dots = state
        .consultation()
        .board_dot(&actor, WorkshopId(id), BoardNoteId(note), false)
        .await?;
    Ok(ApiJson(DotsDto { dots }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupBody {
    pub item_id: Uuid,
    pub note_ids: Vec<Uuid>,
    /// The heading; empty to take the notes out of any group.
    pub label: String,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/notes/group", tag = "workshops",
    request_body = GroupBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn group_notes(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<GroupBody>,
) -> Result<StatusCode, ApiError> {
    let notes: Vec<BoardNoteId> = body.note_ids.into_iter().map(BoardNoteId).collect();
    state
        .consultation()
        .group_board_notes(
            &actor,
            WorkshopId(id),
            AgendaItemId(body.item_id),
            &notes,
            &body.label,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    pub item_id: Uuid,
    /// The note that stays.
    pub into: Uuid,
    /// The notes merged into it.
    pub from: Vec<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/notes/merge", tag = "workshops",
    request_body = MergeBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn merge_notes(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<StatusCode, ApiError> {
    let from: Vec<BoardNoteId> = body.from.into_iter().map(BoardNoteId).collect();
    state
        .consultation()
        .merge_board_notes(
            &actor,
            WorkshopId(id),
            AgendaItemId(body.item_id),
            BoardNoteId(body.into),
            &from,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TableBody {
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTableDto {
    pub id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/tables", tag = "workshops",
    request_body = TableBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 201, body = CreatedTableDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_table(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<TableBody>,
) -> Result<(StatusCode, ApiJson<CreatedTableDto>), ApiError> {
    let table = state
        .consultation()
        .add_board_table(&actor, WorkshopId(id), &body.name)
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedTableDto { id: table.0 }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatBody {
    /// The table; `null` for none.
    pub table_id: Option<Uuid>,
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}/board/seats/{person_id}", tag = "workshops",
    request_body = SeatBody,
    params(("id" = Uuid, Path, description = "workshop id"), ("person_id" = Uuid, Path, description = "participant")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn seat(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, person)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<SeatBody>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .seat_at_board_table(
            &actor,
            WorkshopId(id),
            PersonId(person),
            body.table_id.map(BoardTableId),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DotBudgetBody {
    /// Dots per participant and item, 1 to 20.
    pub dot_budget: u32,
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}/board/dot-budget", tag = "workshops",
    request_body = DotBudgetBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_dot_budget(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<DotBudgetBody>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .set_board_dot_budget(&actor, WorkshopId(id), body.dot_budget)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilitatorBody {
    pub person_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/facilitators", tag = "workshops",
    request_body = FacilitatorBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn add_facilitator(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<FacilitatorBody>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .add_board_facilitator(&actor, WorkshopId(id), PersonId(body.person_id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesBody {
    /// Markdown; shown sanitised.
    pub minutes: String,
}

#[utoipa::path(put, path = "/api/v1/workshops/{id}/board/minutes", tag = "workshops",
    request_body = MinutesBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_minutes(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<MinutesBody>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .save_board_minutes(&actor, WorkshopId(id), &body.minutes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmBody {
    pub note_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedDto {
    /// The register numbers the notes got (notes confirmed before are left out).
    pub numbers: Vec<i32>,
}

#[utoipa::path(post, path = "/api/v1/workshops/{id}/board/inputs", tag = "workshops",
    request_body = ConfirmBody,
    params(("id" = Uuid, Path, description = "workshop id")),
    responses((status = 200, body = ConfirmedDto), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn confirm_inputs(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ConfirmBody>,
) -> Result<ApiJson<ConfirmedDto>, ApiError> {
    let notes: Vec<BoardNoteId> = body.note_ids.into_iter().map(BoardNoteId).collect();
    let numbers = state
        .consultation()
        .confirm_board_notes(&actor, WorkshopId(id), &notes)
        .await?;
    Ok(ApiJson(ConfirmedDto { numbers }))
}
