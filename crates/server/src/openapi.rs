//! The JSON API under `/api/v1/`, described by the OpenAPI document at
//! `/api/openapi.json` (generated from these handlers).

use crate::comments::api as comments;
use crate::documents::api as imports;
use crate::groups::api as groups;
use crate::hearings::api as hearings;
use crate::hearings::deadline;
use crate::people::api as me;
use crate::plans::api as plans;
use crate::responses::api as responses;

use crate::error::ErrorBody;
use crate::state::AppState;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samråd API",
        description = "Public hearings and consultation for Norwegian municipalities. \
Planner operations need `Authorization: Bearer <token>` (create one with `samrad token create`). \
Errors are `{\"error\":\"snake_case_code\",\"message\":\"…\"}`.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        plans::create_plan,
        plans::get_plan,
        plans::create_document,
        plans::list_milestones,
        plans::create_version,
        plans::diff_versions,
        imports::create_import,
        imports::get_import,
        imports::confirm_import,
        plans::create_milestone,
        plans::get_document,
        hearings::create_hearing,
        hearings::get_hearing,
        hearings::schedule_hearing,
        hearings::open_hearing,
        hearings::close_hearing,
        hearings::complete_hearing,
        hearings::extend_hearing,
        hearings::hearing_changes,
        hearings::municipality_hearings,
        comments::list_comments,
        comments::post_comment,
        comments::support_comment,
        comments::unsupport_comment,
        comments::edit_comment,
        comments::delete_comment,
        comments::comment_revisions,
        comments::report_comment,
        comments::hide_comment,
        comments::restore_comment,
        comments::publish_comment,
        hearings::set_screening,
        responses::submit_response,
        responses::list_responses,
        responses::get_response,
        responses::download_attachment,
        deadline::get_deadline,
        plans::list_planners,
        plans::add_planner,
        groups::list_groups,
        groups::create_group,
        groups::get_group,
        groups::invite,
        groups::import_roster,
        groups::resend_invitation,
        groups::revoke_invitation,
        groups::remove_member,
        groups::list_organisations,
        groups::create_organisation,
        me::export,
    ),
    components(schemas(ErrorBody)),
    tags((name = "plans"), (name = "hearings"), (name = "comments"), (name = "responses"), (name = "deadlines"), (name = "groups"), (name = "me"))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/plans", post(plans::create_plan))
        .route("/api/v1/plans/{id}", get(plans::get_plan))
        .route("/api/v1/plans/{id}/documents", post(plans::create_document))
        .route(
            "/api/v1/plans/{id}/milestones",
            get(plans::list_milestones).post(plans::create_milestone),
        )
        .route("/api/v1/documents/{id}", get(plans::get_document))
        .route(
            "/api/v1/documents/{id}/versions",
            post(plans::create_version),
        )
        .route("/api/v1/documents/{id}/diff", get(plans::diff_versions))
        .route(
            "/api/v1/plans/{id}/imports",
            post(imports::create_import).layer(axum::extract::DefaultBodyLimit::max(
                importer::MAX_INPUT_BYTES + 1024,
            )),
        )
        .route("/api/v1/imports/{id}", get(imports::get_import))
        .route(
            "/api/v1/imports/{id}/confirm",
            post(imports::confirm_import),
        )
        .route("/api/v1/hearings", post(hearings::create_hearing))
        .route("/api/v1/hearings/{id}", get(hearings::get_hearing))
        .route(
            "/api/v1/hearings/{id}/schedule",
            post(hearings::schedule_hearing),
        )
        .route("/api/v1/hearings/{id}/open", post(hearings::open_hearing))
        .route("/api/v1/hearings/{id}/close", post(hearings::close_hearing))
        .route(
            "/api/v1/hearings/{id}/complete",
            post(hearings::complete_hearing),
        )
        .route(
            "/api/v1/hearings/{id}/extend",
            post(hearings::extend_hearing),
        )
        .route(
            "/api/v1/hearings/{id}/changes",
            get(hearings::hearing_changes),
        )
        .route(
            "/api/v1/municipalities/{slug}/hearings",
            get(hearings::municipality_hearings),
        )
        .route(
            "/api/v1/hearings/{id}/screening",
            post(hearings::set_screening),
        )
        .route(
            "/api/v1/hearings/{id}/responses",
            get(responses::list_responses)
                .post(responses::submit_response)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::responses::pages::BODY_LIMIT,
                )),
        )
        .route("/api/v1/responses/{id}", get(responses::get_response))
        .route(
            "/api/v1/responses/{id}/attachments/{attachment_id}",
            get(responses::download_attachment),
        )
        .route("/api/v1/deadline", get(deadline::get_deadline))
        .route(
            "/api/v1/plans/{id}/planners",
            get(plans::list_planners).post(plans::add_planner),
        )
        .route(
            "/api/v1/plans/{id}/groups",
            get(groups::list_groups).post(groups::create_group),
        )
        .route("/api/v1/groups/{id}", get(groups::get_group))
        .route("/api/v1/groups/{id}/invitations", post(groups::invite))
        .route(
            "/api/v1/groups/{id}/invitations/import",
            // A little over the list's own limit, so the importer can say what is wrong.
            post(groups::import_roster).layer(axum::extract::DefaultBodyLimit::max(
                domain::roster::MAX_BYTES + 1024,
            )),
        )
        .route(
            "/api/v1/groups/{id}/members/{person_id}",
            axum::routing::delete(groups::remove_member),
        )
        .route(
            "/api/v1/invitations/{id}/resend",
            post(groups::resend_invitation),
        )
        .route(
            "/api/v1/invitations/{id}/revoke",
            post(groups::revoke_invitation),
        )
        .route(
            "/api/v1/municipalities/{slug}/organisations",
            get(groups::list_organisations).post(groups::create_organisation),
        )
        .route("/api/v1/me/export", get(me::export))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Times in the API are RFC 3339 in UTC.
pub(crate) fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.to_string()
}
