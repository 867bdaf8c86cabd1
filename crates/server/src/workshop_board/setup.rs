//! The facilitator's page for arranging the board: the dot budget, the tables and
//! who sits where, the facilitators, and grouping and merging the notes of the
//! current item once everyone sees them. Each form posts to the same use case as the
//! API and comes back to the page with a message that says what happened.

use super::pages::{board_ctx, parse_workshop, refusal_page};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::workshop_board::BoardUseError;
use domain::workshop_board::BoardError;
use domain::{AgendaItemId, BoardNoteId, BoardTableId, PersonId, WorkshopId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops/{id}/board/setup", get(setup_page))
        .route("/workshops/{id}/board/setup/budget", post(budget_form))
        .route("/workshops/{id}/board/setup/table", post(table_form))
        .route("/workshops/{id}/board/setup/seat", post(seat_form))
        .route(
            "/workshops/{id}/board/setup/facilitator",
            post(facilitator_form),
        )
        .route("/workshops/{id}/board/setup/group", post(group_form))
        .route("/workshops/{id}/board/setup/merge", post(merge_form))
}

/// What the page says after a form: one of these, else nothing.
const NOTICES: [&str; 6] = ["budget", "table", "seat", "facilitator", "group", "merge"];

#[derive(Debug, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

async fn setup_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let notice = query
        .done
        .filter(|d| NOTICES.contains(&d.as_str()))
        .map(|d| format!("board-setup-done-{d}"));
    let actor = page.actor(&state).await;
    let consultation = state.consultation();
    let view = match consultation.board_view(&actor, workshop, false).await {
        Ok(view) if view.is_facilitator() => view,
        Ok(_) => {
            return refusal_page(
                &state,
                &page,
                &BoardUseError::Refused(BoardError::NotFacilitator),
            );
        }
        Err(err) => return refusal_page(&state, &page, &err),
    };
    let people = match consultation.board_people(&actor, workshop).await {
        Ok(people) => people,
        Err(err) => return refusal_page(&state, &page, &err),
    };
    let table_name = |t: Option<BoardTableId>| {
        t.and_then(|t| view.tables.iter().find(|table| table.id == t))
            .map(|t| t.name.clone())
    };
    let people_ctx: Vec<Value> = people
        .iter()
        .map(|p| {
            context! {
                id => p.person.id.to_string(),
                name => p.person.name,
                organisation => p.organisation,
                table_id => p.table.map(|t| t.to_string()),
                table => table_name(p.table),
                facilitator => p.facilitator,
            }
        })
        .collect();
    let facilitator_names: Vec<&str> = people
        .iter()
        .filter(|p| p.facilitator)
        .map(|p| p.person.name.as_str())
        .collect();
    let candidates: Vec<Value> = people
        .iter()
        .filter(|p| !p.facilitator)
        .map(|p| context! { id => p.person.id.to_string(), name => p.person.name })
        .collect();
    let seated: Vec<Value> = view
        .tables
        .iter()
        .map(|t| {
            let names: Vec<String> = t
                .seats
                .iter()
                .filter_map(|s| people.iter().find(|p| p.person.id == *s))
                .map(|p| p.person.name.clone())
                .collect();
            context! { id => t.id.to_string(), name => t.name, people => names }
        })
        .collect();
    let arranging = view
        .current()
        .is_some_and(|item| item.board.check_arranging_allowed().is_ok());
    let names_facilitators = actor.plans(view.workshop.municipality_id, view.workshop.plan_id);
    page.render(
        &state,
        StatusCode::OK,
        "workshop_board_setup.html",
        context! {
            notice => notice,
            people => people_ctx,
            facilitator_names => facilitator_names,
            candidates => candidates,
            seated => seated,
            arranging => arranging,
            names_facilitators => names_facilitators,
            ..board_ctx(&view)
        },
    )
}

/// Back to the page, at the message that says what happened.
fn back(id: WorkshopId, done: &str) -> Response {
    Redirect::to(&format!("/workshops/{id}/board/setup?done={done}#status")).into_response()
}

/// The outcome of a form: back to the page, or the refusal in the reader's language
/// (a name or heading that is empty or too long has its own message).
fn outcome(
    state: &AppState,
    page: &PageCtx,
    id: WorkshopId,
    done: &str,
    result: Result<(), BoardUseError>,
) -> Response {
    match result {
        Ok(()) => back(id, done),
        Err(BoardUseError::Refused(BoardError::Invalid(_))) => page.error(
            state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "board-setup-error-label",
        ),
        Err(err) => refusal_page(state, page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct BudgetForm {
    #[serde(default)]
    dot_budget: String,
}

async fn budget_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<BudgetForm>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let Ok(budget) = form.dot_budget.trim().parse::<u32>() else {
        return page.error(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "board-setup-error-budget",
        );
    };
    let actor = page.actor(&state).await;
    let result = state
        .consultation()
        .set_board_dot_budget(&actor, workshop, budget)
        .await;
    match result {
        Err(BoardUseError::Refused(BoardError::Invalid(_))) => page.error(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "board-setup-error-budget",
        ),
        other => outcome(&state, &page, workshop, "budget", other),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TableForm {
    #[serde(default)]
    name: String,
}

async fn table_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<TableForm>,
) -> Response {
    let Some(workshop) = parse_workshop(&id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    let result = state
        .consultation()
        .add_board_table(&actor, workshop, &form.name)
        .await
        .map(|_| ());
    outcome(&state, &page, workshop, "table", result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct SeatForm {
    #[serde(default)]
    person_id: String,
    /// Empty: at no table.
    #[serde(default)]
    table_id: String,
}

async fn seat_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<SeatForm>,
) -> Response {
    let (Some(workshop), Ok(person)) = (parse_workshop(&id), form.person_id.parse::<PersonId>())
    else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let table = match form.table_id.trim() {
        "" => None,
        t => match t.parse::<BoardTableId>() {
            Ok(t) => Some(t),
            Err(_) => return page.error(&state, StatusCode::NOT_FOUND, "board-not-found"),
        },
    };
    let actor = page.actor(&state).await;
    let result = state
        .consultation()
        .seat_at_board_table(&actor, workshop, person, table)
        .await;
    outcome(&state, &page, workshop, "seat", result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct FacilitatorForm {
    #[serde(default)]
    person_id: String,
}

async fn facilitator_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<FacilitatorForm>,
) -> Response {
    let (Some(workshop), Ok(person)) = (parse_workshop(&id), form.person_id.parse::<PersonId>())
    else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let actor = page.actor(&state).await;
    // Only someone the workshop invites (or already facilitates) can be named.
    let known = match state.consultation().board_people(&actor, workshop).await {
        Ok(people) => people.iter().any(|p| p.person.id == person),
        Err(err) => return refusal_page(&state, &page, &err),
    };
    if !known {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    }
    let result = state
        .consultation()
        .add_board_facilitator(&actor, workshop, person)
        .await;
    outcome(&state, &page, workshop, "facilitator", result)
}

/// The notes ticked in a form (several checkboxes share one name).
fn ticked(pairs: &[(String, String)], name: &str) -> Vec<BoardNoteId> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .filter_map(|(_, value)| value.parse().ok())
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or_default()
}

async fn group_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (Some(workshop), Ok(item)) = (
        parse_workshop(&id),
        field(&pairs, "item_id").parse::<AgendaItemId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let notes = ticked(&pairs, "note_id");
    if notes.is_empty() {
        return page.error(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "board-setup-error-no-notes",
        );
    }
    let actor = page.actor(&state).await;
    let result = state
        .consultation()
        .group_board_notes(&actor, workshop, item, &notes, field(&pairs, "label"))
        .await;
    outcome(&state, &page, workshop, "group", result)
}

async fn merge_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (Some(workshop), Ok(item), Ok(into)) = (
        parse_workshop(&id),
        field(&pairs, "item_id").parse::<AgendaItemId>(),
        field(&pairs, "into").parse::<BoardNoteId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "board-not-found");
    };
    let from: Vec<BoardNoteId> = ticked(&pairs, "from")
        .into_iter()
        .filter(|n| *n != into)
        .collect();
    if from.is_empty() {
        return page.error(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "board-setup-error-no-notes",
        );
    }
    let actor = page.actor(&state).await;
    let result = state
        .consultation()
        .merge_board_notes(&actor, workshop, item, into, &from)
        .await;
    outcome(&state, &page, workshop, "merge", result)
}
