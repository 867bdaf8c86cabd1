//! Plans and their milestones.

pub(crate) mod api;
pub(crate) mod emails;
pub(crate) mod workbench;

/// The feature's API routes and pages.
pub(crate) fn router() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/plans", post(api::create_plan))
        .route("/api/v1/plans/{id}", get(api::get_plan))
        .route(
            "/api/v1/plans/{id}/milestones",
            get(api::list_milestones).post(api::create_milestone),
        )
        .route("/planner/plans/{id}/emails", get(emails::plan_emails))
        .merge(workbench::routes())
}

use crate::error::ApiError;
use consultation::plans::PlanError;
use http::StatusCode;

impl From<PlanError> for ApiError {
    fn from(err: PlanError) -> Self {
        let message = err.to_string();
        let unprocessable =
            |code| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message.clone());
        match err {
            PlanError::NotSignedIn => ApiError::unauthorized(
                "this needs a planner's sign-in or API token (Authorization: Bearer <token>)",
            ),
            PlanError::Forbidden => ApiError::forbidden(),
            PlanError::PlanNotFound => ApiError::not_found("the plan"),
            PlanError::MilestoneNotFound => ApiError::not_found("the milestone"),
            PlanError::InvalidPeriod { .. } => unprocessable("invalid_period"),
            PlanError::InvalidDate => unprocessable("invalid_date"),
            PlanError::SlugTaken => ApiError::new(StatusCode::CONFLICT, "slug_taken", message),
            PlanError::Invalid(e) => e.into(),
            PlanError::Db(e) => e.into(),
        }
    }
}
