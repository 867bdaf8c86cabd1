//! The planner's choice on `/me`, per plan, between a notice at each input and the
//! daily digest. What a person follows is listed on `/me` too; stopping goes to the
//! hearing's follow form. The use cases are in `consultation::digests`.

use crate::people::pages::{MeError, render_me, to_sign_in};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use consultation::digests::DigestError;
use domain::PlanId;
use http::StatusCode;

/// The name of a plan's field: `notice-<plan id>`, valued `digest` or `immediate`.
const FIELD_PREFIX: &str = "notice-";

/// Saves the notices form.
pub(crate) async fn save_notices(
    State(state): State<AppState>,
    page: PageCtx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let choices: Option<Vec<(PlanId, bool)>> = fields
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(FIELD_PREFIX)?, value)))
        .map(|(plan, value)| {
            let immediate = match value.as_str() {
                "immediate" => true,
                "digest" => false,
                _ => return None,
            };
            Some((plan.parse::<PlanId>().ok()?, immediate))
        })
        .collect();
    let actor = page.actor(&state).await;
    let saved = match choices {
        Some(choices) => {
            state
                .consultation()
                .save_notice_choices(&actor, signed_in.person.id, &choices)
                .await
        }
        None => Err(DigestError::NotYourPlan),
    };
    match saved {
        Ok(()) => Redirect::to("/me?notices_saved=1#notices-heading").into_response(),
        Err(DigestError::NotYourPlan) => {
            render_me(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(MeError::Notices("me-error-notice-plan")),
            )
            .await
        }
        Err(DigestError::Db(err)) => {
            tracing::error!(error = %err, "could not save a planner's notice choices");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
        Err(_) => page.error(&state, StatusCode::FORBIDDEN, "error-title"),
    }
}
