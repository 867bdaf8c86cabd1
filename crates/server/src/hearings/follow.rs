//! Following a hearing or one of its sections from the hearing page (and no longer
//! following it, also from `/me`): a form with a button, without JavaScript. The
//! use cases are in `consultation::digests`.

use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use consultation::digests::DigestError;
use domain::{HearingId, SectionId};
use http::StatusCode;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(crate) struct FollowForm {
    /// Empty or absent: the whole hearing.
    #[serde(default)]
    section_id: String,
    /// Present: stop following.
    #[serde(default)]
    stop: Option<String>,
    /// `me`: the form is on `/me`, which is where the reader goes back to.
    #[serde(default)]
    back: Option<String>,
}

pub(crate) async fn follow_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<FollowForm>,
) -> Response {
    let Ok(hearing) = id.parse::<HearingId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let section = match form.section_id.trim() {
        "" => None,
        text => match text.parse::<SectionId>() {
            Ok(section) => Some(section),
            Err(_) => {
                return page.error(
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "follow-error-section",
                );
            }
        },
    };
    let actor = page.actor(&state).await;
    let stop = form.stop.is_some();
    let done = if stop {
        state
            .consultation()
            .unfollow(&actor, hearing, section)
            .await
    } else {
        state
            .consultation()
            .follow(&actor, hearing, section)
            .await
            .map(|_| ())
    };
    match done {
        Ok(()) if form.back.as_deref() == Some("me") => {
            Redirect::to("/me?unfollowed=1#follows-heading").into_response()
        }
        Ok(()) => {
            let anchor = section.map_or("follow".to_owned(), |s| format!("section-{s}"));
            let done = if stop { "unfollowed" } else { "followed" };
            Redirect::to(&format!("/hearings/{hearing}?done={done}#{anchor}")).into_response()
        }
        Err(DigestError::SignInRequired) => {
            let next = serde_urlencoded::to_string([("next", format!("/hearings/{hearing}"))])
                .unwrap_or_default();
            Redirect::to(&format!("/sign-in?{next}")).into_response()
        }
        Err(DigestError::HearingNotFound) => {
            page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found")
        }
        Err(DigestError::SectionNotInHearing) => page.error(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "follow-error-section",
        ),
        Err(DigestError::Forbidden | DigestError::NotYourPlan) => {
            page.error(&state, StatusCode::FORBIDDEN, "error-title")
        }
        Err(DigestError::Db(err)) => {
            tracing::error!(error = %err, "could not change what a reader follows");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
