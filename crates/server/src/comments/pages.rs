//! The HTML comment forms: what happens to a comment after it is posted (support,
//! edit, delete, report) and the planner's moderation forms.
//! They work without JavaScript and call the same use cases as the API; a refusal
//! reads as [`FormMessage`] says.

use crate::comments::{ClientAddr, FormMessage, anonymous_reporter};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use consultation::moderation::{CommentChange, ModerationError};
use domain::CommentId;
use http::StatusCode;
use serde::Deserialize;

/// Back to the hearing page, to the message by the comment that says what was done.
fn back(change: &CommentChange, done: &str) -> Response {
    Redirect::to(&format!(
        "/hearings/{}?done={done}&comment={}#status",
        change.comment.hearing_id, change.comment.id
    ))
    .into_response()
}

/// The error page for a refused change; a reader who must sign in is sent there.
fn failed(state: &AppState, page: &PageCtx, err: &impl FormMessage) -> Response {
    let (status, message) = err.form_message();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        tracing::error!(error = %err, "could not change a comment");
    }
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/sign-in").into_response();
    }
    let mut response = page.error(state, status, message);
    if status == StatusCode::TOO_MANY_REQUESTS {
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(crate::comments::REPORT_RETRY_AFTER),
        );
    }
    response
}

async fn run<E: FormMessage>(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    done: &str,
    action: impl AsyncFnOnce(CommentId) -> Result<CommentChange, E>,
) -> Response {
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match action(id).await {
        Ok(change) => back(&change, done),
        Err(err) => failed(state, page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SupportForm {
    /// "1" to support, "0" to take the support back.
    on: String,
}

pub(crate) async fn support(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<SupportForm>,
) -> Response {
    let actor = page.actor(&state).await;
    let on = form.on == "1";
    run(
        &state,
        &page,
        &id,
        if on { "supported" } else { "unsupported" },
        async |id| state.consultation().support_comment(&actor, id, on).await,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct EditForm {
    body: String,
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let actor = page.actor(&state).await;
    run(&state, &page, &id, "edited", async |id| {
        state
            .consultation()
            .edit_comment(&actor, id, &form.body)
            .await
    })
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteForm {
    /// "yes" once the reader has said they mean it; otherwise the page asks.
    #[serde(default)]
    confirm: String,
}

/// Deletes the reader's comment once they confirmed it; without the confirmation
/// (a form sent some other way) the page that asks comes first.
pub(crate) async fn delete(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Response {
    if form.confirm != "yes" {
        return ask_delete(&state, &page, &id).await;
    }
    let actor = page.actor(&state).await;
    run(&state, &page, &id, "deleted", async |id| {
        state.consultation().delete_comment(&actor, id).await
    })
    .await
}

/// The page that asks whether the reader means to delete their comment.
pub(crate) async fn confirm_delete(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    ask_delete(&state, &page, &id).await
}

async fn ask_delete(state: &AppState, page: &PageCtx, id: &str) -> Response {
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(state).await;
    match state.consultation().comment_to_delete(&actor, id).await {
        Ok(comment) => page.render(
            state,
            StatusCode::OK,
            "comment_delete.html",
            minijinja::context! {
                id => comment.id.to_string(),
                hearing_id => comment.hearing_id.to_string(),
                body => comment.body,
                deleted => !comment.status.is_public(),
            },
        ),
        Err(err) => failed(state, page, &err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn report(
    State(state): State<AppState>,
    page: PageCtx,
    ClientAddr(address): ClientAddr,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    let actor = page.actor(&state).await;
    let (jar, anonymous) = match anonymous_reporter(&state, &actor, jar, address).await {
        Ok(known) => known,
        Err(err) => {
            tracing::error!(error = %err, "could not recognise an anonymous reporter");
            return page.error(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "form-error-unavailable",
            );
        }
    };
    let response = run(&state, &page, &id, "reported", async |id| {
        state
            .consultation()
            .report_comment(&actor, anonymous.as_ref(), id, Some(&form.reason))
            .await
            .map(|outcome| outcome.change)
    })
    .await;
    (jar, response).into_response()
}

pub(crate) async fn publish_screened(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    // Read whatever the content type: a bare POST publishes as written.
    body: axum::body::Bytes,
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = page.actor(&state).await;
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let who = signed_in.person.email.clone();
    // The parts the planner ticked to redact, as `start-end` in characters.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let mut ranges = Vec::new();
    for (key, value) in &pairs {
        if key != "redact" {
            continue;
        }
        match value
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        {
            Some(range) => ranges.push(range),
            None => return failed(&state, &page, &ModerationError::BadRedaction),
        }
    }
    match state
        .consultation()
        .publish_screened_redacted(&actor, &who, id, &ranges)
        .await
    {
        Ok(change) => Redirect::to(&format!(
            "/planner/hearings/{}?done=published#awaiting-heading",
            change.comment.hearing_id
        ))
        .into_response(),
        Err(err) => failed(&state, &page, &err),
    }
}

async fn moderate(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    hide: bool,
    reason: &str,
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = page.actor(state).await;
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let who = signed_in.person.email.clone();
    let service = state.consultation();
    let decided = if hide {
        service.hide_comment(&actor, &who, id, Some(reason)).await
    } else {
        service
            .restore_comment(&actor, &who, id, Some(reason))
            .await
    };
    match decided {
        Ok(change) => Redirect::to(&format!(
            "/planner/hearings/{}?done={}#moderation-heading",
            change.comment.hearing_id,
            if hide { "hidden" } else { "restored" }
        ))
        .into_response(),
        Err(err) => failed(state, page, &err),
    }
}

pub(crate) async fn hide(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    moderate(&state, &page, &id, true, &form.reason).await
}

pub(crate) async fn restore(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    moderate(&state, &page, &id, false, &form.reason).await
}
