//! The comment form on the hearing page: it posts to the same use case as the API and,
//! when the comment is refused, shows the page again with what was typed and why.

use crate::comments::{ClientAddr, FormMessage};
use crate::hearings::pages::{FormState, Notice, render_hearing};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
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
    ClientAddr(address): ClientAddr,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    let (Ok(hearing_id), Ok(section_id)) = (
        id.parse::<HearingId>(),
        form.section_id.parse::<SectionId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let mut wait = None;
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
        if actor.person.is_none() && actor.roles.is_empty() {
            wait = state
                .count_anonymous_comment(address, &form.author_email)
                .await
                .err();
            if wait.is_some() {
                return Err(CommentError::Forbidden);
            }
        }
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
            // To the message that says what happened, by the section's comments.
            return Redirect::to(&format!(
                "/hearings/{hearing_id}?{notice}={section_id}#status-{section_id}"
            ))
            .into_response();
        }
        Err(err) => err,
    };
    let (status, message) = match wait {
        Some(_) => (StatusCode::TOO_MANY_REQUESTS, "comment-error-too-many"),
        None => err.form_message(),
    };
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
        done_comment: None,
    };
    let mut response =
        render_hearing(&state, &page, hearing_id, Notice::default(), kept, status).await;
    if let Some(seconds) = wait {
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
    response
}
