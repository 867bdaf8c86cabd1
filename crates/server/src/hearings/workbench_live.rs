//! One row of the planner's hearing page, for the page's script to add when the
//! hub tells it that a comment or an official response arrived. The hub only
//! pushes; the row (in the planner's language, with the counts at the top of the
//! page) comes from here, over HTTP, after the same permission check as the page.

use super::workbench_page::{
    counts, input_row as comment_row, planner_and_hearing, section_labels,
};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::{CommentId, ResponseId};
use http::StatusCode;
use minijinja::{Value, context};

pub(super) async fn input_row(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, comment)): Path<(String, String)>,
) -> Response {
    let Ok(comment) = comment.parse::<CommentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    live_row(&state, &page, &id, |lang, inputs| {
        let labels = section_labels(lang, inputs);
        let found = inputs.comments.iter().find(|c| c.id == comment)?;
        Some(context! { input => comment_row(lang, &labels, found), response => () })
    })
    .await
}

pub(super) async fn response_row(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, response)): Path<(String, String)>,
) -> Response {
    let Ok(response) = response.parse::<ResponseId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    live_row(&state, &page, &id, |lang, inputs| {
        let found = inputs.responses.iter().find(|r| r.id == response)?;
        let row = super::workbench_page::response_row(lang, found);
        Some(context! { input => (), response => row })
    })
    .await
}

/// Renders the row `pick` finds among the hearing's input, with the counts; 404 when
/// it is not there (not published, or not this hearing's).
async fn live_row(
    state: &AppState,
    page: &PageCtx,
    hearing_id: &str,
    pick: impl FnOnce(domain::Lang, &consultation::hearings::HearingInputs) -> Option<Value>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(state, page, hearing_id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let inputs = match state
        .consultation()
        .hearing_inputs(&planner.actor, &hearing)
        .await
    {
        Ok(inputs) => inputs,
        Err(err) => {
            tracing::error!(error = %err, "could not load a hearing's input");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    match pick(page.lang, &inputs) {
        Some(rows) => page.render(
            state,
            StatusCode::OK,
            "planner_hearing_live.html",
            context! { counts => counts(&inputs), ..rows },
        ),
        None => page.error(state, StatusCode::NOT_FOUND, "error-not-found"),
    }
}
