//! The HTML comment forms: posting a comment on the hearing page, what happens to it
//! afterwards (support, edit, delete, report) and the planner's moderation forms.
//! They work without JavaScript and call the same use cases as the API; a refusal
//! reads as [`FormMessage`] says.

use crate::comments::{ClientAddr, FormMessage, anonymous_reporter};
use crate::hearings::pages::{FormState, Notice, render_hearing};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use consultation::comments::{CommentError, CommentInput};
use domain::hearing::CommentStatus;
use domain::{CommentId, HearingId, SectionId};
use http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub(crate) struct CommentForm {
    section_id: String,
    #[serde(default)]
    author_name: String,
    #[serde(default)]
    author_email: String,
    body: String,
    idempotency_key: Option<String>,
    /// Empty for a comment of its own; otherwise the comment it answers.
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    quote: String,
}

/// Posts a comment from the hearing page. A refusal shows the page again with what
/// the reader typed and the reason next to the form.
pub(crate) async fn post_comment_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    let (Ok(hearing_id), Ok(section_id)) = (
        id.parse::<HearingId>(),
        form.section_id.parse::<SectionId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let posted = async {
        // An answer to something that cannot be a comment is refused like an answer
        // to a comment it cannot be: nothing is stored.
        let parent_id = match form.parent_id.trim() {
            "" => None,
            parent => Some(
                parent
                    .parse::<CommentId>()
                    .map_err(|_| CommentError::InvalidParent)?,
            ),
        };
        let input = CommentInput {
            section_id,
            author_name: form.author_name.clone(),
            author_email: Some(form.author_email.clone()),
            lang: page.lang,
            body: form.body.clone(),
            parent_id,
            quote: Some(form.quote.clone()),
            idempotency_key: form
                .idempotency_key
                .as_deref()
                .and_then(|k| Uuid::parse_str(k.trim()).ok()),
        };
        let actor = page.actor(&state).await;
        state
            .consultation()
            .post_comment(&actor, hearing_id, input)
            .await
    }
    .await;
    let err = match posted {
        Ok(posted) => {
            let notice = match posted.comment.status {
                CommentStatus::Unconfirmed => "pending",
                CommentStatus::Screening => "screening",
                _ => "posted",
            };
            return Redirect::to(&format!(
                "/hearings/{hearing_id}?{notice}={section_id}#section-{section_id}"
            ))
            .into_response();
        }
        Err(err) => err,
    };
    let (status, message) = err.form_message();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        tracing::error!(error = %err, "could not store comment");
    }
    if status == StatusCode::NOT_FOUND {
        return page.error(&state, status, message);
    }
    let kept = FormState {
        section_id: Some(section_id),
        author_name: form.author_name,
        author_email: form.author_email,
        body: form.body,
        quote: form.quote,
        error: Some(message),
        done: None,
    };
    render_hearing(&state, &page, hearing_id, Notice::default(), kept, status).await
}

fn back(change: &db::CommentChange, done: &str) -> Response {
    Redirect::to(&format!(
        "/hearings/{}?done={done}#comment-{}",
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
    page.error(state, status, message)
}

async fn run<E: FormMessage>(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    done: &str,
    action: impl AsyncFnOnce(CommentId) -> Result<db::CommentChange, E>,
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

pub(crate) async fn delete(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let actor = page.actor(&state).await;
    run(&state, &page, &id, "deleted", async |id| {
        state.consultation().delete_comment(&actor, id).await
    })
    .await
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
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = page.actor(&state).await;
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let who = signed_in.person.email.clone();
    match state
        .consultation()
        .publish_screened(&actor, &who, id)
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
