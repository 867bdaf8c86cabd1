//! The administrator's pages: the municipality's outbox (emails queued, sent and
//! given up, with their errors) and queueing a given-up email again; how the
//! municipality's emails are sent.

use crate::auth::planner::{Planner, require_planner};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use consultation::outbox::{OutboxEmail, OutboxError};
use domain::{Lang, OutboxJobId};
use http::StatusCode;
use minijinja::{Value, context};

mod sender;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/sender",
            get(sender::sender_form).post(sender::save_sender),
        )
        .route("/admin/outbox", get(outbox))
        .route("/admin/outbox/{id}/retry", post(retry))
}

fn row(lang: Lang, email: &OutboxEmail) -> Value {
    context! {
        id => email.id.to_string(),
        kind => email.kind,
        recipient => email.recipient,
        attempts => email.attempt,
        error => email.last_error,
        created => format_datetime(lang, email.created_at),
        sent => email.sent_at.map(|at| format_datetime(lang, at)),
        next => format_datetime(lang, email.run_after),
    }
}

async fn render(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    message: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    match state.consultation().outbox_overview(&planner.actor).await {
        Ok(overview) => {
            let rows =
                |emails: &[OutboxEmail]| emails.iter().map(|e| row(lang, e)).collect::<Vec<_>>();
            let (ok, text) = message.map_or((true, None), |(ok, text)| (ok, Some(text)));
            page.render(
                state,
                status,
                "admin_outbox.html",
                context! {
                    queued => rows(&overview.queued),
                    sent => rows(&overview.sent),
                    dead => rows(&overview.dead),
                    message => text,
                    message_ok => ok,
                },
            )
        }
        Err(OutboxError::Forbidden) => page.error(state, StatusCode::FORBIDDEN, "outbox-forbidden"),
        Err(err) => {
            tracing::error!(error = %err, "could not load the outbox");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn outbox(State(state): State<AppState>, page: PageCtx) -> Response {
    match require_planner(&state, &page).await {
        Ok(planner) => render(&state, &page, &planner, None, StatusCode::OK).await,
        Err(r) => r,
    }
}

async fn retry(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        let text = i18n::t(page.lang, "outbox-error-not_found");
        return render(
            &state,
            &page,
            &planner,
            Some((false, text)),
            StatusCode::NOT_FOUND,
        )
        .await;
    };
    match state
        .consultation()
        .retry_email(&planner.actor, &planner.who, OutboxJobId(id))
        .await
    {
        Ok(()) => {
            let text = i18n::t(page.lang, "outbox-done-retried");
            render(&state, &page, &planner, Some((true, text)), StatusCode::OK).await
        }
        Err(OutboxError::NotFound) => {
            let text = i18n::t(page.lang, "outbox-error-not_found");
            render(
                &state,
                &page,
                &planner,
                Some((false, text)),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(OutboxError::Forbidden) => {
            page.error(&state, StatusCode::FORBIDDEN, "outbox-forbidden")
        }
        Err(err) => {
            tracing::error!(error = %err, "could not queue an email again");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
