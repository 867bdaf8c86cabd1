//! The plan's emails: what Samråd sent (or will send, or gave up) for a plan —
//! invitations, hearing opened and closed, deadline reminders, notices — so that
//! the planners can see who was told what, and when, without being administrators.

use crate::auth::planner::require_planner;
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Path, State};
use axum::response::Response;
use consultation::outbox::OutboxEmail;
use consultation::plans::PlanError;
use domain::{Lang, PlanId};
use http::StatusCode;
use minijinja::{Value, context};

fn row(lang: Lang, email: &OutboxEmail) -> Value {
    context! {
        id => email.id.to_string(),
        kind => email.kind,
        recipient => email.recipient,
        status => email.status.as_str(),
        attempts => email.attempt,
        error => email.last_error,
        created => format_datetime(lang, email.created_at),
        sent => email.sent_at.map(|at| format_datetime(lang, at)),
        next => format_datetime(lang, email.run_after),
    }
}

pub(crate) async fn plan_emails(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(plan) = id.parse::<PlanId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match state.consultation().plan_emails(&planner.actor, plan).await {
        Ok(found) => {
            let count = |status: &str| {
                found
                    .emails
                    .iter()
                    .filter(|e| e.status.as_str() == status)
                    .count()
            };
            page.render(
                &state,
                StatusCode::OK,
                "planner_plan_emails.html",
                context! {
                    plan => context! { id => found.plan.id.to_string(), title => found.plan.title },
                    emails => found.emails.iter().map(|e| row(page.lang, e)).collect::<Vec<_>>(),
                    queued => count("pending"),
                    sent => count("sent"),
                    dead => count("failed"),
                },
            )
        }
        Err(PlanError::Db(e)) => {
            tracing::error!(error = %e, "could not list a plan's emails");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
        Err(_) => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
    }
}
