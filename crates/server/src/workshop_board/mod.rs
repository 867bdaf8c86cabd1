//! The live board of a workshop over HTTP: the JSON API (`api.rs`) and the pages
//! (`pages.rs`: the participant's board, the facilitator's controls, the large-screen
//! view and the minutes). The rules live in `consultation::workshop_board`; changes
//! reach the other participants as events of the `workshop:<id>` room.

pub(crate) mod api;
pub(crate) mod pages;
pub(crate) mod setup;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};
use consultation::workshop_board::BoardUseError;
use domain::workshop_board::BoardError;
use http::StatusCode;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/workshops/{id}/board", get(api::get_board))
        .route(
            "/api/v1/workshops/{id}/board/items/{item_id}/step",
            post(api::step),
        )
        .route("/api/v1/workshops/{id}/board/notes", post(api::post_note))
        .route(
            "/api/v1/workshops/{id}/board/notes/{note_id}/dots",
            post(api::place_dot).delete(api::take_dot),
        )
        .route(
            "/api/v1/workshops/{id}/board/notes/group",
            post(api::group_notes),
        )
        .route(
            "/api/v1/workshops/{id}/board/notes/merge",
            post(api::merge_notes),
        )
        .route("/api/v1/workshops/{id}/board/tables", post(api::add_table))
        .route(
            "/api/v1/workshops/{id}/board/seats/{person_id}",
            put(api::seat),
        )
        .route(
            "/api/v1/workshops/{id}/board/dot-budget",
            put(api::set_dot_budget),
        )
        .route(
            "/api/v1/workshops/{id}/board/facilitators",
            post(api::add_facilitator),
        )
        .route(
            "/api/v1/workshops/{id}/board/minutes",
            put(api::save_minutes),
        )
        .route(
            "/api/v1/workshops/{id}/board/inputs",
            post(api::confirm_inputs),
        )
        .merge(pages::routes())
        .merge(setup::routes())
}

/// What a refusal means over HTTP: the status and the stable code.
pub(crate) fn status_and_code(err: &BoardUseError) -> (StatusCode, &'static str) {
    use BoardError::*;
    match err {
        BoardUseError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        BoardUseError::NotSignedIn => (StatusCode::UNAUTHORIZED, "unauthorized"),
        BoardUseError::Refused(refusal) => match refusal {
            NotFacilitator => (StatusCode::FORBIDDEN, "not_facilitator"),
            NotInWorkshop => (StatusCode::FORBIDDEN, "not_in_workshop"),
            ItemNotOpen => (StatusCode::CONFLICT, "item_not_open"),
            StageTakesNoNotes(_) => (StatusCode::CONFLICT, "stage_takes_no_notes"),
            StageTakesNoDots => (StatusCode::CONFLICT, "stage_takes_no_dots"),
            DotBudgetSpent { .. } => (StatusCode::CONFLICT, "dot_budget_spent"),
            StageNotInPlan(_) => (StatusCode::UNPROCESSABLE_ENTITY, "stage_not_in_plan"),
            StageBackwards(_) => (StatusCode::CONFLICT, "stage_backwards"),
            NotInPlenum => (StatusCode::CONFLICT, "not_in_plenum"),
            TablesFixedInGroupStage => (StatusCode::CONFLICT, "tables_fixed"),
            NoStages => (StatusCode::UNPROCESSABLE_ENTITY, "no_stages"),
            Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        },
        BoardUseError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
    }
}

impl From<BoardUseError> for ApiError {
    fn from(err: BoardUseError) -> Self {
        let (status, code) = status_and_code(&err);
        match err {
            BoardUseError::NotFound => ApiError::not_found("the workshop"),
            BoardUseError::Db(e) => e.into(),
            BoardUseError::Refused(BoardError::Invalid(e)) => e.into(),
            other => ApiError::new(status, code, other.to_string()),
        }
    }
}
