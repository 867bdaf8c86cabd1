//! The planners' assessment of inputs over HTTP: registered letters, the plan's
//! input register, assessments, themes and the hearing's report, as the JSON API
//! (`api.rs`), the workbench pages (`pages.rs`) and the report's DOCX and CSV
//! (`report/`). The rules live in `consultation::assessment`.

pub(crate) mod api;
pub(crate) mod pages;
pub(crate) mod report;
mod suggestion_pages;
pub(crate) mod workbench_api;
pub(crate) mod workbench_pages;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use consultation::assessment::AssessmentError;
use domain::Lang;
use http::StatusCode;

/// A letter of 100,000 characters, escaped in JSON or a form, with room to spare;
/// larger bodies are refused with 413 before anything is read.
const BODY_LIMIT: usize = 1024 * 1024;

/// The API's routes and the workbench's pages for assessment.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plans/{id}/letters", post(api::register_letter))
        .route("/api/v1/plans/{id}/inputs", get(api::list_inputs))
        .route(
            "/api/v1/plans/{id}/themes",
            get(api::list_themes).post(api::create_theme),
        )
        .route(
            "/api/v1/plans/{id}/themes/{theme_id}",
            patch(api::rename_theme),
        )
        .route(
            "/api/v1/plans/{id}/themes/{theme_id}/merge",
            post(api::merge_theme),
        )
        .route("/api/v1/inputs/{id}", get(api::get_input))
        .route("/api/v1/inputs/{id}/assessment", put(api::save_assessment))
        .route(
            "/api/v1/inputs/{id}/assessment/review",
            post(api::review_assessment),
        )
        .route(
            "/api/v1/inputs/{id}/assessment/publish",
            post(api::publish_assessment),
        )
        .route(
            "/api/v1/hearings/{id}/assessments/publish",
            post(api::publish_hearing),
        )
        .route("/api/v1/hearings/{id}/report.docx", get(api::report_docx))
        .route("/api/v1/hearings/{id}/report.csv", get(api::report_csv))
        .route(
            "/api/v1/plans/{id}/statistics",
            get(workbench_api::statistics),
        )
        .route(
            "/api/v1/plans/{id}/inputs/bulk/assessment",
            post(workbench_api::bulk_assessment),
        )
        .route(
            "/api/v1/plans/{id}/inputs/bulk/theme",
            post(workbench_api::bulk_theme),
        )
        .route(
            "/api/v1/plans/{id}/inputs/bulk/assignee",
            post(workbench_api::bulk_assignee),
        )
        .merge(pages::routes())
        .merge(suggestion_pages::routes())
        .merge(workbench_pages::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What a refusal means over HTTP, for the API and the forms alike.
pub(crate) fn status(err: &AssessmentError) -> StatusCode {
    use AssessmentError::*;
    match err {
        NotSignedIn => StatusCode::UNAUTHORIZED,
        PlanNotFound | HearingNotFound | InputNotFound | ThemeNotFound => StatusCode::NOT_FOUND,
        SuggestionNotFound => StatusCode::NOT_FOUND,
        ThemeExists | FourEyes | WrongState | Unreviewed(_) | SuggestionChanged => {
            StatusCode::CONFLICT
        }
        Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        HearingNotInPlan
        | SectionNotInPlan
        | ChangeSectionInvalid
        | UnknownTheme
        | UnknownValue { .. }
        | InvalidDate
        | ReceivedInFuture
        | UnknownFilter(_)
        | InvalidFilter(_)
        | Incomplete
        | NothingSelected
        | SelectionTooLarge
        | UnknownAssignee
        | GroupTooSmall
        | Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<AssessmentError> for ApiError {
    fn from(err: AssessmentError) -> Self {
        match err {
            AssessmentError::NotSignedIn => ApiError::unauthorized(
                "this needs a planner's sign-in or API token (Authorization: Bearer <token>)",
            ),
            AssessmentError::PlanNotFound => ApiError::not_found("the plan"),
            AssessmentError::HearingNotFound => ApiError::not_found("the hearing"),
            AssessmentError::InputNotFound => ApiError::not_found("the input"),
            AssessmentError::ThemeNotFound => ApiError::not_found("the theme"),
            AssessmentError::SuggestionNotFound => ApiError::not_found("the suggestion"),
            AssessmentError::Invalid(e) => e.into(),
            AssessmentError::Db(e) => e.into(),
            other => ApiError::new(status(&other), other.code(), other.to_string()),
        }
    }
}

/// A refusal as a workbench form shows it, in the reader's language.
pub(crate) fn error_text(lang: Lang, err: &AssessmentError) -> String {
    let id = format!("assessment-error-{}", err.code());
    if i18n::catalog().has(lang, &id) {
        i18n::t(lang, &id)
    } else {
        err.to_string()
    }
}

/// A published assessment as the public hearing page and the participant's own page
/// show it: the outcome in the reader's language and the municipality's response.
pub(crate) fn public_view(
    lang: Lang,
    assessment: &domain::assessment::PublishedAssessment,
) -> minijinja::Value {
    let outcome = assessment.outcome.map_or("none", |o| o.as_str());
    minijinja::context! {
        outcome => i18n::t(lang, &format!("outcome-{outcome}")),
        response => assessment.response,
    }
}
