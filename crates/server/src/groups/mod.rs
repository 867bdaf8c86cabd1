//! Groups, memberships, invitations, the register of organisations and the planners
//! of a plan, over HTTP: the JSON API (`api.rs`), the planner's workbench
//! (`workbench.rs`) and the invited person's page (`invitations.rs`). The rules live
//! in `consultation::groups` and `consultation::invitations`; this folder extracts,
//! calls one use case and renders.

pub(crate) mod api;
pub(crate) mod invitations;
pub(crate) mod workbench;

use crate::auth::planner::{Planner, require_planner};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::response::Response;
use axum::routing::{delete, get, post};
use consultation::groups::GroupError;
use domain::Lang;
use domain::roster::RosterError;
use http::StatusCode;
use http::request::Parts;
use serde::de::DeserializeOwned;

/// The API's routes for groups, invitations, organisations and planners, the
/// workbench's group pages and the invitation page.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/plans/{id}/planners",
            get(api::list_planners).post(api::add_planner),
        )
        .route(
            "/api/v1/plans/{id}/groups",
            get(api::list_groups).post(api::create_group),
        )
        .route("/api/v1/groups/{id}", get(api::get_group))
        .route("/api/v1/groups/{id}/invitations", post(api::invite))
        .route(
            "/api/v1/groups/{id}/invitations/import",
            // A little over the list's own limit, so the importer can say what is wrong.
            post(api::import_roster).layer(axum::extract::DefaultBodyLimit::max(
                domain::roster::MAX_BYTES + 1024,
            )),
        )
        .route(
            "/api/v1/groups/{id}/members/{person_id}",
            delete(api::remove_member),
        )
        .route(
            "/api/v1/invitations/{id}/resend",
            post(api::resend_invitation),
        )
        .route(
            "/api/v1/invitations/{id}/revoke",
            post(api::revoke_invitation),
        )
        .route(
            "/api/v1/municipalities/{slug}/organisations",
            get(api::list_organisations).post(api::create_organisation),
        )
        .merge(workbench::routes())
        .merge(invitations::routes())
}

/// What a refusal means over HTTP: the status and the stable code.
fn status_and_code(err: &GroupError) -> (StatusCode, &'static str) {
    use GroupError::*;
    match err {
        PlanNotFound | GroupNotFound | InvitationNotFound | MemberNotFound
        | MunicipalityNotFound => (StatusCode::NOT_FOUND, "not_found"),
        NotSignedIn => (StatusCode::UNAUTHORIZED, "unauthorized"),
        Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        InvalidGroupKind | InvalidOrganisationKind => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_kind")
        }
        GroupExists => (StatusCode::CONFLICT, "group_exists"),
        OrganisationExists => (StatusCode::CONFLICT, "organisation_exists"),
        UnknownRole => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_role"),
        UnknownLanguage => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_language"),
        UnknownOrganisation => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_organisation"),
        OrganisationRequired => (StatusCode::UNPROCESSABLE_ENTITY, "organisation_required"),
        Roster(e @ RosterError::TooLarge { .. }) => (StatusCode::PAYLOAD_TOO_LARGE, e.code()),
        Roster(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.code()),
        InvalidRows { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows"),
        NoValidRows => (StatusCode::UNPROCESSABLE_ENTITY, "no_valid_rows"),
        InvitationClosed => (StatusCode::CONFLICT, "invitation_closed"),
        NotStaff => (StatusCode::UNPROCESSABLE_ENTITY, "not_staff"),
        Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        // Mapped by `From<DbError>`; never asked for here.
        Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
    }
}

impl From<GroupError> for ApiError {
    fn from(err: GroupError) -> Self {
        let (status, code) = status_and_code(&err);
        match err {
            GroupError::PlanNotFound => ApiError::not_found("the plan"),
            GroupError::GroupNotFound => ApiError::not_found("the group"),
            GroupError::InvitationNotFound => ApiError::not_found("the invitation"),
            GroupError::MemberNotFound => ApiError::not_found("the member"),
            GroupError::MunicipalityNotFound => ApiError::not_found("the municipality"),
            GroupError::NotSignedIn => ApiError::unauthorized(
                "this needs a planner's sign-in or API token (Authorization: Bearer <token>)",
            ),
            GroupError::NotStaff => ApiError::new(
                status,
                code,
                "only the municipality's staff can plan its plans (see `samrad staff add`)",
            ),
            GroupError::Invalid(e) => e.into(),
            GroupError::Db(e) => e.into(),
            other => ApiError::new(status, code, other.to_string()),
        }
    }
}

/// A refusal as the workbench shows it: the status of the page and a sentence in the
/// reader's language (the English sentence when there is no translation).
pub(crate) fn form_error(lang: Lang, err: GroupError) -> (StatusCode, String) {
    if let GroupError::Db(e) = err {
        // Logged once by the conversion, and told without its details.
        let api = ApiError::from(e);
        return (api.status, api.message);
    }
    let (status, code) = status_and_code(&err);
    for prefix in ["roster-error", "planner-error"] {
        let id = format!("{prefix}-{code}");
        if i18n::catalog().has(lang, &id) {
            return (status, i18n::t(lang, &id));
        }
    }
    (status, err.to_string())
}

/// A refusal as a workbench form shows it: the status of the page and the message
/// beside the field it concerns (in the summary only, when it concerns the form).
pub(crate) fn field_errors(
    lang: Lang,
    fields: &[crate::web::form::Field],
    err: GroupError,
) -> (StatusCode, crate::web::form::FormErrors) {
    use crate::web::form::FormErrors;
    use GroupError::*;
    if let Invalid(e) = &err {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::invalid(lang, fields, e),
        );
    }
    let field = match &err {
        InvalidGroupKind => Some("kind"),
        GroupExists => Some("name"),
        UnknownRole => Some("role"),
        UnknownLanguage => Some("lang"),
        UnknownOrganisation | OrganisationRequired => Some("organisation_id"),
        OrganisationExists | InvalidOrganisationKind => Some("organisation_name"),
        Roster(_) | NoValidRows => Some("file"),
        _ => None,
    };
    let (status, message) = form_error(lang, err);
    let errors = match field {
        Some(name) => FormErrors::field(lang, fields, name, message),
        None => FormErrors::general(lang, message),
    };
    (status, errors)
}

/// A workbench request: the signed-in planner, the page and the ids in its path.
///
/// Checked in this order, so a malformed id tells nobody anything: someone not signed
/// in is sent to sign in, someone not on a municipality's staff gets the "planners
/// only" page, and a path whose ids do not parse gets the not-found page. `T` is an
/// id (`PlannerAt<GroupId>`) or a tuple of them (`PlannerAt<(GroupId, PersonId)>`);
/// whether the planner may act on the thing is the use case's question.
pub(crate) struct PlannerAt<T> {
    pub page: PageCtx,
    pub planner: Planner,
    pub id: T,
}

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PlannerAt<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let page = PageCtx::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let planner = require_planner(state, &page).await?;
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(PlannerAt { page, planner, id }),
            Err(_) => Err(page.error(state, StatusCode::NOT_FOUND, "error-not-found")),
        }
    }
}
