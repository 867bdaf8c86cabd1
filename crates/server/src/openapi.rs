//! The JSON API under `/api/v1/`, described by the OpenAPI document at
//! `/api/openapi.json` (generated from these handlers).

use crate::assessment::api as assessment;
use crate::assessment::workbench_api as workbench;
use crate::comments::api as comments;
use crate::documents::api as imports;
use crate::documents::versions;
use crate::groups::api as groups;
use crate::hearings::api as hearings;
use crate::hearings::deadline;
use crate::hearings::reminders;
use crate::people::api as me;
use crate::plans::api as plans;
use crate::responses::api as responses;
use crate::workshop_board::api as workshop_board;
use crate::workshops::api as workshops;

use crate::error::ErrorBody;
use crate::state::AppState;
use axum::routing::get;
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
        versions::create_document,
        plans::list_milestones,
        versions::create_version,
        versions::diff_versions,
        imports::create_import,
        imports::get_import,
        imports::confirm_import,
        imports::edit_outline,
        plans::create_milestone,
        versions::get_document,
        hearings::create_hearing,
        hearings::get_hearing,
        hearings::edit_hearing,
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
        reminders::get_reminders,
        reminders::set_reminders,
        reminders::send_reminders,
        responses::submit_response,
        responses::list_responses,
        responses::get_response,
        responses::download_attachment,
        deadline::get_deadline,
        groups::list_planners,
        groups::add_planner,
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
        assessment::register_letter,
        assessment::list_inputs,
        assessment::get_input,
        assessment::save_assessment,
        assessment::review_assessment,
        assessment::publish_assessment,
        assessment::publish_hearing,
        assessment::list_themes,
        assessment::create_theme,
        assessment::rename_theme,
        assessment::merge_theme,
        assessment::report_docx,
        assessment::report_csv,
        workbench::statistics,
        workbench::bulk_assessment,
        workbench::bulk_theme,
        workbench::bulk_assignee,
        workshop_board::get_board,
        workshop_board::step,
        workshop_board::post_note,
        workshop_board::place_dot,
        workshop_board::take_dot,
        workshop_board::group_notes,
        workshop_board::merge_notes,
        workshop_board::add_table,
        workshop_board::seat,
        workshop_board::set_dot_budget,
        workshop_board::add_facilitator,
        workshop_board::save_minutes,
        workshop_board::confirm_inputs,
        workshops::list_workshops,
        workshops::create_workshop,
        workshops::get_workshop,
        workshops::update_workshop,
        workshops::cancel_workshop,
        workshops::list_registrations,
        workshops::answer_workshop,
        workshops::record_attendance,
    ),
    components(schemas(ErrorBody)),
    tags((name = "plans"), (name = "hearings"), (name = "comments"), (name = "responses"), (name = "deadlines"), (name = "groups"), (name = "me"), (name = "assessment"), (name = "workshops"))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
