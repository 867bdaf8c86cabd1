//! Documents: import, versions, editing and comparison.

pub(crate) mod api;
pub(crate) mod versions;
pub(crate) mod workbench;

/// The feature's API routes and pages.
pub(crate) fn router() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/api/v1/plans/{id}/documents",
            post(versions::create_document),
        )
        .route("/api/v1/documents/{id}", get(versions::get_document))
        .route(
            "/api/v1/documents/{id}/versions",
            post(versions::create_version),
        )
        .route("/api/v1/documents/{id}/diff", get(versions::diff_versions))
        .route(
            "/api/v1/plans/{id}/imports",
            post(api::create_import).layer(axum::extract::DefaultBodyLimit::max(
                importer::MAX_INPUT_BYTES + 1024,
            )),
        )
        .route("/api/v1/imports/{id}", get(api::get_import))
        .route("/api/v1/imports/{id}/confirm", post(api::confirm_import))
        .route("/api/v1/imports/{id}/outline", post(api::edit_outline))
        .merge(workbench::routes())
}

use crate::error::ApiError;
use consultation::documents::DocumentError;
use domain::Lang;
use http::StatusCode;

impl From<DocumentError> for ApiError {
    fn from(err: DocumentError) -> Self {
        let message = err.to_string();
        let refused = |status, code| ApiError::new(status, code, message.clone());
        let unprocessable = |code| refused(StatusCode::UNPROCESSABLE_ENTITY, code);
        match err {
            DocumentError::NotSignedIn => ApiError::unauthorized(
                "this needs a planner's sign-in or API token (Authorization: Bearer <token>)",
            ),
            DocumentError::PlanNotFound => ApiError::not_found("the plan"),
            DocumentError::DocumentNotFound => ApiError::not_found("the document"),
            DocumentError::ImportNotFound => ApiError::not_found("the import"),
            DocumentError::UnknownVersion { .. } => unprocessable("unknown_version"),
            DocumentError::ImportConfirmed => refused(StatusCode::CONFLICT, "import_confirmed"),
            DocumentError::OutlineChanged => refused(StatusCode::CONFLICT, "outline_changed"),
            DocumentError::Outline(e) => unprocessable(e.code()),
            DocumentError::UnknownPlan => unprocessable("unknown_plan"),
            DocumentError::InvalidKind => unprocessable("invalid_kind"),
            DocumentError::UnknownFormat => unprocessable("unknown_format"),
            DocumentError::Unreadable(code, _) => unprocessable(code),
            DocumentError::Sections(e) => unprocessable(e.code()),
            DocumentError::Edit(_) => unprocessable("invalid_edit"),
            DocumentError::ImporterFailed => ApiError::internal(),
            DocumentError::VersionConflict => ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                "another version was published at the same moment; reload and try again",
            ),
            DocumentError::Invalid(e) => e.into(),
            DocumentError::Db(e) => e.into(),
        }
    }
}

/// The workbench editor's message for a refused edit, in the reader's language.
pub(crate) fn edit_error_text(lang: Lang, err: &DocumentError) -> Option<String> {
    use domain::plan::SectionsError;
    use domain::version::EditError;
    let id = match err {
        DocumentError::Sections(SectionsError::Level { .. }) => "edit-error-level",
        DocumentError::Sections(SectionsError::Field { problem, .. })
            if problem.field == "body" =>
        {
            "edit-error-body"
        }
        DocumentError::Sections(SectionsError::Field { .. }) => "edit-error-title",
        DocumentError::Sections(SectionsError::Count(0))
        | DocumentError::Edit(EditError::Empty) => "edit-error-empty",
        DocumentError::Sections(SectionsError::Count(_)) => "edit-error-too-many",
        DocumentError::Edit(EditError::NothingToMergeInto) => "edit-error-merge-first",
        DocumentError::VersionConflict => "edit-error-conflict",
        _ => return None,
    };
    Some(i18n::t(lang, id))
}

/// An import's warning in the reader's language. A lost table names its part and
/// lines; a warning of a kind without a translation keeps the importer's sentence.
pub(crate) fn import_warning_text(
    lang: Lang,
    warning: &consultation::documents::DraftWarning,
    part_name: impl Fn(usize) -> String,
) -> String {
    let id = format!("import-warning-{}", warning.code);
    if !i18n::catalog().has(lang, &id) {
        return warning.message.clone();
    }
    match warning.place {
        Some(place) => i18n::catalog().message(
            lang,
            &id,
            &[
                ("part", i18n::FluentValue::from(part_name(place.section))),
                ("first", i18n::FluentValue::from(place.first_line)),
                ("last", i18n::FluentValue::from(place.last_line)),
            ],
        ),
        None => i18n::t(lang, &id),
    }
}
