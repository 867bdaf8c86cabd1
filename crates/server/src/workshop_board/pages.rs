//! The board's pages: the participant's board (with the facilitator's controls when
//! the reader facilitates), the large-screen view for the projector and the
//! minutes. Every form posts to the same use case as the API and comes back to the
//! page; `board.js` sends the same forms in the background and keeps the page live.

use super::status_and_code;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::workshop_board::reading::{BoardItem, BoardView};
use consultation::workshop_board::{BoardUseError, NoteCommand, StepCommand};
use domain::event::EventAudience;
use domain::workshop_board::{BoardError, ItemStatus, Stage};
use domain::{AgendaItemId, BoardNoteId, BoardTableId, WorkshopId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops/{id}/board", get(board_page))
        .route("/workshops/{id}/board/screen", get(screen_page))
        .route("/workshops/{id}/board/note", post(note_form))
        .route("/workshops/{id}/board/dot", post(dot_form))
        .route("/workshops/{id}/board/step", post(step_form))
        .route(
            "/workshops/{id}/minutes",
            get(minutes_page).post(minutes_form),
        )
        .route("/workshops/{id}/minutes/inputs", post(confirm_form))
}

#[derive(Serialize)]
struct NoteCtx {
    id: String,
    body: String,
    /// `person`, `table` or `everyone`.
    visible_to: &'static str,
    dots: u32,
    my_dots: u32,
    mine: bool,
    group_label: Option<String>,
    spoken_by: Option<String>,
    confirmed: bool,
}

#[derive(Serialize)]
struct ItemCtx {
    id: String,
    position: u32,
    title: String,
    status: &'static str,
    stage: Option<&'static str>,
    next_stage: Option<&'static str>,
    takes_notes: bool,
    takes_dots: bool,
    notes: Vec<NoteCtx>,
    dots_left: u32,
}

fn item_ctx(view: &BoardView, item: &BoardItem) -> ItemCtx {
    let open = item.board.status == ItemStatus::Open;
    ItemCtx {
        id: item.item.id.to_string(),
        position: item.item.position,
        title: item.item.title.clone(),
        status: item.board.status.as_str(),
        stage: item.board.stage.map(Stage::as_str),
        next_stage: item.board.next_stage().map(Stage::as_str),
        takes_notes: item.board.stage_for_note().is_ok(),
        takes_dots: open && item.board.check_dots_allowed().is_ok(),
        notes: item
            .notes
            .iter()
            .map(|n| NoteCtx {
                id: n.note.id.to_string(),
                body: n.note.body.clone(),
                visible_to: match n.audience {
                    EventAudience::Everyone => "everyone",
                    EventAudience::Person(_) => "person",
                    EventAudience::Table(_) => "table",
                },
                dots: n.note.dots,
                my_dots: n.my_dots,
                mine: n.mine,
                group_label: n.note.group_label.clone(),
                spoken_by: n.note.spoken_by.clone(),
                confirmed: n.note.input_id.is_some(),
            })
            .collect(),
        dots_left: view.dots_left(item),
    }
}

pub(super) fn board_ctx(view: &BoardView) -> Value {
    let items: Vec<ItemCtx> = view.items.iter().map(|i| item_ctx(view, i)).collect();
    let current = view.current().map(|i| item_ctx(view, i));
    let my_table = view
        .my_table
        .and_then(|t| view.tables.iter().find(|table| table.id == t))
        .map(|t| t.name.clone());
    let tables: Vec<Value> = view
        .tables
        .iter()
        .map(|t| context! { id => t.id.to_string(), name => t.name, seats => t.seats.len() })
        .collect();
    context! {
        workshop_id => view.workshop.id.to_string(),
        title => view.workshop.title,
        facilitator => view.is_facilitator(),
        participant => view.role.is_some(),
        current => current,
        items => items,
        dot_budget => view.dot_budget,
        my_table => my_table,
        tables => tables,
        minutes => view.minutes,
        minutes_html => Value::from_safe_string(view.minutes_html.clone()),
        seq => view.seq,
    }
}

/// A refusal as a page: the status and a sentence in the reader's language.
pub(super) fn refusal_page(state: &AppState, page: &PageCtx, err: &BoardUseError) -> Response {
    let (status, code) = status_and_code(err);
    if status == StatusCode::NOT_FOUND {
        return page.error(state, status, "board-not-found");
    }
    page.error(
        state,
        status,
        &format!("board-error-{}", code.replace('_', "-")),
    )
}

pub(super) fn parse_workshop(id: &str) -> Option<WorkshopId> {
    id.parse().ok()
}

async fn show(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    projector: bool,
    template: &str,
    extra: Value,
) -> Response {
    let Some(workshop) = parse_workshop(id) else {
        return page.error(state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(state).await;
    match state
        .consultation()
        .board_view(&actor, workshop, projector)
        .await
    {
        Ok(view) => {
            let ctx = board_ctx(&view);
            page.render(state, StatusCode::OK, template, context! { ..extra, ..ctx })
        }
        Err(err) => refusal_page(state, page, &err),
    }
}

async fn board_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    show(
        &state,
        &page,
        &id,
        false,
        "workshop_board.html",
        context! {},
    )
    .await
}

async fn screen_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    show(
        &state,
        &page,
        &id,
        true,
        "workshop_board_screen.html",
        context! {},
    )
    .await
}

async fn minutes_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    minutes_with(&state, &page, &id, Value::from(())).await
}

async fn minutes_with(state: &AppState, page: &PageCtx, id: &str, notice: Value) -> Response {
    let Some(workshop) = parse_workshop(id) else {
        return page.error(state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(state).await;
    // Minutes are the facilitator's; others see the board.
    match state
        .consultation()
        .board_view(&actor, workshop, true)
        .await
    {
        Ok(view) if view.is_facilitator() => page.render(
            state,
            StatusCode::OK,
            "workshop_minutes.html",
            context! { notice => notice, ..board_ctx(&view) },
        ),
        Ok(_) => refusal_page(
            state,
            page,
            &BoardUseError::Refused(BoardError::NotFacilitator),
        ),
        Err(err) => refusal_page(state, page, &err),
    }
}

/// Back to the board, at the message that says what happened.
fn back_to_board(id: WorkshopId, status: &str) -> Response {
    Redirect::to(&format!("/workshops/{id}/board?done={status}#status")).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoteForm {
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    spoken_by: Option<String>,
    #[serde(default)]
    table_id: String,
    #[serde(default)]
    named: Option<String>,
}

async fn note_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    let command = NoteCommand {
        item_id: form.item_id.parse::<AgendaItemId>().ok(),
        body: form.body,
        spoken_by: form.spoken_by.filter(|s| !s.trim().is_empty()),
        table_id: form.table_id.parse::<BoardTableId>().ok(),
        named: form.named.is_some(),
    };
    match state
        .consultation()
        .post_board_note(&actor, workshop, command)
        .await
    {
        Ok(_) => back_to_board(workshop, "note"),
        Err(err) => refusal_page(&state, &page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DotForm {
    note_id: String,
    /// `place` or `take`.
    action: String,
}

async fn dot_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<DotForm>,
) -> Response {
    let (Some(workshop), Ok(note)) = (parse_workshop(&id), form.note_id.parse::<BoardNoteId>())
    else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .board_dot(&actor, workshop, note, form.action != "take")
        .await
    {
        Ok(_) => back_to_board(workshop, "dot"),
        Err(err) => refusal_page(&state, &page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    item_id: String,
    step: String,
}

async fn step_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let (Some(workshop), Ok(item), Some(step)) = (
        parse_workshop(&id),
        form.item_id.parse::<AgendaItemId>(),
        StepCommand::parse(&form.step),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .step_board(&actor, workshop, item, step)
        .await
    {
        Ok(_) => back_to_board(workshop, "step"),
        Err(err) => refusal_page(&state, &page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct MinutesForm {
    minutes: String,
}

async fn minutes_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<MinutesForm>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .save_board_minutes(&actor, workshop, &form.minutes)
        .await
    {
        Ok(()) => minutes_with(&state, &page, &id, Value::from("saved")).await,
        Err(err) => refusal_page(&state, &page, &err),
    }
}

async fn confirm_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    // Several checkboxes share the name `note_id`.
    let notes: Vec<BoardNoteId> = pairs
        .into_iter()
        .filter(|(key, _)| key == "note_id")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .confirm_board_notes(&actor, workshop, &notes)
        .await
    {
        Ok(_) => minutes_with(&state, &page, &id, Value::from("confirmed")).await,
        Err(err) => refusal_page(&state, &page, &err),
    }
}
