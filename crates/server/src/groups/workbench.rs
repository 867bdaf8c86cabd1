//! The workbench for groups: create groups on a plan, invite members one by one or
//! from a spreadsheet (with a preview and a report for every row), re-send and
//! revoke invitations, remove members.

use crate::auth::planner::{Planner, require_planner};
use crate::error::ApiError;
use crate::error::error_text;
use crate::groups::membership::{self, InviteInput};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::group::{GroupKind, MemberRole};
use domain::organisation::OrganisationKind;
use domain::policy::Action;
use domain::{GroupId, InvitationId, OrganisationId, PersonId, PlanId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/planner/plans/{id}/groups",
            get(groups_page).post(create_group),
        )
        .route("/planner/groups/{id}", get(group_page))
        .route("/planner/groups/{id}/invite", post(invite))
        .route(
            "/planner/groups/{id}/import",
            post(import_preview)
                .layer(DefaultBodyLimit::max(domain::roster::MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/planner/groups/{id}/import/confirm",
            post(import_confirm).layer(DefaultBodyLimit::max(
                3 * domain::roster::MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/planner/groups/{id}/members/{person}/remove",
            post(remove_member),
        )
        .route("/planner/invitations/{id}/resend", post(resend))
        .route("/planner/invitations/{id}/revoke", post(revoke))
}

async fn planner(state: &AppState, page: &PageCtx) -> Result<Planner, Response> {
    require_planner(state, page).await
}

fn not_found(state: &AppState, page: &PageCtx) -> Response {
    page.error(state, StatusCode::NOT_FOUND, "error-not-found")
}

fn kinds() -> Vec<&'static str> {
    GroupKind::ALL.iter().map(|k| k.as_str()).collect()
}

async fn render_groups(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    plan_id: PlanId,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let plan = match membership::managed_plan(state, &planner.actor, plan_id).await {
        Ok(p) => p,
        Err(_) => return not_found(state, page),
    };
    let db = state.db();
    let mut groups = Vec::new();
    for g in db.groups_of_plan(plan.id).await.unwrap_or_default() {
        let members = db.members(g.id).await.map(|m| m.len()).unwrap_or(0);
        let pending = db
            .invitations_of_group(g.id)
            .await
            .unwrap_or_default()
            .iter()
            .filter(|i| {
                i.invitation.status(db::time::now())
                    == domain::invitation::InvitationStatus::Pending
            })
            .count();
        groups.push(context! {
            id => g.id.to_string(), name => g.name, kind => g.kind.as_str(),
            members => members, pending => pending,
        });
    }
    page.render(
        state,
        status,
        "planner_groups.html",
        context! {
            plan => context! { id => plan.id.to_string(), title => plan.title },
            groups => groups,
            kinds => kinds(),
            error => error,
        },
    )
}

async fn groups_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(plan_id) = id.parse::<PlanId>() else {
        return not_found(&state, &page);
    };
    render_groups(&state, &page, &planner, plan_id, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
struct GroupForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

async fn create_group(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(plan_id) = id.parse::<PlanId>() else {
        return not_found(&state, &page);
    };
    match membership::create_group(&state, &planner.actor, plan_id, &form.kind, &form.name).await {
        Ok(group) => Redirect::to(&format!("/planner/groups/{}", group.id)).into_response(),
        Err(err) if err.status == StatusCode::NOT_FOUND => not_found(&state, &page),
        Err(err) => {
            let message = error_text(page.lang, &err);
            render_groups(&state, &page, &planner, plan_id, Some(message), err.status).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct GroupQuery {
    /// What the last action did, for the confirmation line.
    done: Option<String>,
    count: Option<usize>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    organisation_name: String,
    #[serde(default)]
    lang: String,
}

/// What the group page shows besides the group: a confirmation, or an error with
/// the form as it was typed.
#[derive(Default)]
struct Shown<'a> {
    notice: Option<Value>,
    form: Option<&'a InviteForm>,
    error: Option<String>,
    status: Option<StatusCode>,
}

impl Shown<'_> {
    fn error(message: String, status: StatusCode) -> Shown<'static> {
        Shown {
            error: Some(message),
            status: Some(status),
            ..Shown::default()
        }
    }
}

async fn render_group(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    group_id: GroupId,
    shown: Shown<'_>,
) -> Response {
    let fresh = InviteForm {
        role: "member".into(),
        ..InviteForm::default()
    };
    let form = shown.form.unwrap_or(&fresh);
    let (notice, error) = (shown.notice, shown.error);
    let status = shown.status.unwrap_or(StatusCode::OK);
    let (group, plan) =
        match membership::visible_group(state, &planner.actor, group_id, Action::ManageMembers)
            .await
        {
            Ok(found) => found,
            Err(_) => return not_found(state, page),
        };
    let db = state.db();
    let now = db::time::now();
    let members: Vec<Value> = db
        .members(group.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            context! {
                person_id => m.person.id.to_string(), name => m.person.name,
                email => m.person.email, role => m.membership.role.as_str(),
                organisation => m.organisation,
            }
        })
        .collect();
    let invitations: Vec<Value> = db
        .invitations_of_group(group.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let status = i.invitation.status(now);
            context! {
                id => i.invitation.id.to_string(), name => i.person.name,
                email => i.person.email, role => i.invitation.role.as_str(),
                status => status.as_str(),
                open => matches!(status, domain::invitation::InvitationStatus::Pending
                    | domain::invitation::InvitationStatus::Expired),
                sent => i18n::format_datetime(page.lang, i.invitation.sent_at),
                expires => i18n::format_datetime(page.lang, i.invitation.expires_at),
            }
        })
        .collect();
    let organisations: Vec<Value> = db
        .organisations(plan.municipality_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| {
            context! { id => o.id.to_string(), name => o.name, selected => o.id.to_string() == form.organisation_id }
        })
        .collect();
    page.render(
        state,
        status,
        "planner_group.html",
        context! {
            plan => context! { id => plan.id.to_string(), title => plan.title },
            group => context! { id => group.id.to_string(), name => group.name, kind => group.kind.as_str() },
            members => members,
            invitations => invitations,
            organisations => organisations,
            roles => MemberRole::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            organisation_kinds => OrganisationKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            form => Value::from_serialize(form),
            notice => notice,
            error => error,
        },
    )
}

async fn group_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<GroupQuery>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(group_id) = id.parse::<GroupId>() else {
        return not_found(&state, &page);
    };
    let notice = query
        .done
        .filter(|d| {
            matches!(
                d.as_str(),
                "invited" | "already_member" | "imported" | "resent" | "revoked" | "removed"
            )
        })
        .map(|d| context! { id => format!("group-done-{d}"), count => query.count.unwrap_or(0) });
    render_group(
        &state,
        &page,
        &planner,
        group_id,
        Shown {
            notice,
            ..Shown::default()
        },
    )
    .await
}

async fn invite(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<InviteForm>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(group_id) = id.parse::<GroupId>() else {
        return not_found(&state, &page);
    };
    let organisation_id = match form.organisation_id.trim() {
        "" => None,
        id => match id.parse::<OrganisationId>() {
            Ok(id) => Some(id),
            Err(_) => {
                let err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_organisation",
                    "the organisation is not in the register",
                );
                let message = error_text(page.lang, &err);
                return render_group(
                    &state,
                    &page,
                    &planner,
                    group_id,
                    Shown {
                        form: Some(&form),
                        ..Shown::error(message, err.status)
                    },
                )
                .await;
            }
        },
    };
    let input = InviteInput {
        name: form.name.clone(),
        email: form.email.clone(),
        role: form.role.clone(),
        organisation_id,
        organisation_name: Some(form.organisation_name.clone()),
        lang: Some(form.lang.clone()),
    };
    match membership::invite_one(&state, &planner.actor, &planner.who, group_id, input).await {
        Ok(db::InviteOutcome::Invited { .. }) => {
            Redirect::to(&format!("/planner/groups/{group_id}?done=invited&count=1"))
                .into_response()
        }
        Ok(db::InviteOutcome::AlreadyMember { .. }) => {
            Redirect::to(&format!("/planner/groups/{group_id}?done=already_member")).into_response()
        }
        Err(err) if err.status == StatusCode::NOT_FOUND => not_found(&state, &page),
        Err(err) => {
            let message = error_text(page.lang, &err);
            render_group(
                &state,
                &page,
                &planner,
                group_id,
                Shown {
                    form: Some(&form),
                    ..Shown::error(message, err.status)
                },
            )
            .await
        }
    }
}

/// The spreadsheet from the upload form.
async fn read_file(mut multipart: Multipart) -> Result<Vec<u8>, String> {
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        if field.name() == Some("file") {
            return Ok(field.bytes().await.map_err(|e| e.body_text())?.to_vec());
        }
    }
    Err("no file".into())
}

async fn import_preview(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(group_id) = id.parse::<GroupId>() else {
        return not_found(&state, &page);
    };
    let bytes = match read_file(multipart).await {
        Ok(b) => b,
        Err(message) => {
            tracing::info!(error = %message, "unreadable member list upload");
            let message = i18n::t(page.lang, "roster-error-upload");
            return render_group(
                &state,
                &page,
                &planner,
                group_id,
                Shown::error(message, StatusCode::BAD_REQUEST),
            )
            .await;
        }
    };
    show_preview(&state, &page, &planner, group_id, &bytes).await
}

async fn show_preview(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    group_id: GroupId,
    bytes: &[u8],
) -> Response {
    match membership::preview_roster(state, &planner.actor, group_id, bytes).await {
        Ok((group, plan, preview)) => {
            let rows: Vec<Value> = preview
                .rows
                .iter()
                .map(|r| {
                    context! {
                        line => r.line, name => r.raw.name, email => r.raw.email,
                        organisation => r.raw.organisation,
                        group => r.invitee.as_ref().map_or(r.raw.group.clone(), |i| i.group.name.clone()),
                        role => r.invitee.as_ref().map(|i| i.role.as_str()),
                        new_organisation => matches!(r.invitee.as_ref().and_then(|i| i.organisation.as_ref()),
                            Some(domain::roster::OrganisationRef::New { .. })),
                        problems => r.problems.iter().map(|p| context! {
                            field => p.field,
                            message => roster_problem_text(page.lang, p),
                        }).collect::<Vec<_>>(),
                    }
                })
                .collect();
            page.render(
                state,
                StatusCode::OK,
                "planner_roster_preview.html",
                context! {
                    plan => context! { id => plan.id.to_string(), title => plan.title },
                    group => context! { id => group.id.to_string(), name => group.name },
                    rows => rows,
                    valid => preview.valid,
                    invalid => preview.invalid,
                    // Sent back with the confirmation and checked again then.
                    csv => String::from_utf8_lossy(bytes).into_owned(),
                },
            )
        }
        Err(err) if err.status == StatusCode::NOT_FOUND => not_found(state, page),
        Err(err) => {
            let message = roster_error_text(page.lang, &err);
            render_group(
                state,
                page,
                planner,
                group_id,
                Shown::error(message, err.status),
            )
            .await
        }
    }
}

fn roster_problem_text(lang: domain::Lang, problem: &domain::roster::RowProblem) -> String {
    let id = format!("roster-problem-{}", problem.code);
    if i18n::catalog().has(lang, &id) {
        i18n::t(lang, &id)
    } else {
        problem.message.clone()
    }
}

fn roster_error_text(lang: domain::Lang, err: &ApiError) -> String {
    let id = format!("roster-error-{}", err.code);
    if i18n::catalog().has(lang, &id) {
        i18n::t(lang, &id)
    } else {
        error_text(lang, err)
    }
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    skip_invalid: Option<String>,
}

async fn import_confirm(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(group_id) = id.parse::<GroupId>() else {
        return not_found(&state, &page);
    };
    match membership::import_roster(
        &state,
        &planner.actor,
        &planner.who,
        group_id,
        form.csv.as_bytes(),
        form.skip_invalid.is_some(),
    )
    .await
    {
        Ok((_, outcomes)) => {
            let invited = outcomes
                .iter()
                .filter(|o| matches!(o, db::InviteOutcome::Invited { .. }))
                .count();
            Redirect::to(&format!(
                "/planner/groups/{group_id}?done=imported&count={invited}"
            ))
            .into_response()
        }
        Err(err) if err.code == "invalid_rows" => {
            // The list changed meanwhile, or the box was not ticked: show it again.
            show_preview(&state, &page, &planner, group_id, form.csv.as_bytes()).await
        }
        Err(err) if err.status == StatusCode::NOT_FOUND => not_found(&state, &page),
        Err(err) => {
            let message = roster_error_text(page.lang, &err);
            render_group(
                &state,
                &page,
                &planner,
                group_id,
                Shown::error(message, err.status),
            )
            .await
        }
    }
}

async fn remove_member(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, person)): Path<(String, String)>,
) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (Ok(group_id), Ok(person)) = (id.parse::<GroupId>(), person.parse::<PersonId>()) else {
        return not_found(&state, &page);
    };
    match membership::remove_member(&state, &planner.actor, group_id, person).await {
        Ok(()) => Redirect::to(&format!("/planner/groups/{group_id}?done=removed")).into_response(),
        Err(_) => not_found(&state, &page),
    }
}

async fn invitation_action(state: AppState, page: PageCtx, id: String, resend: bool) -> Response {
    let planner = match planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<InvitationId>() else {
        return not_found(&state, &page);
    };
    let group = match state.db().invitation(id).await {
        Ok(i) => i.group_id,
        Err(_) => return not_found(&state, &page),
    };
    let done = if resend {
        membership::resend(&state, &planner.actor, id)
            .await
            .map(|_| "resent")
    } else {
        membership::revoke(&state, &planner.actor, id)
            .await
            .map(|()| "revoked")
    };
    match done {
        Ok(done) => Redirect::to(&format!("/planner/groups/{group}?done={done}")).into_response(),
        Err(err) if err.status == StatusCode::NOT_FOUND => not_found(&state, &page),
        Err(err) => {
            let message = error_text(page.lang, &err);
            render_group(
                &state,
                &page,
                &planner,
                group,
                Shown::error(message, err.status),
            )
            .await
        }
    }
}

async fn resend(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    invitation_action(state, page, id, true).await
}

async fn revoke(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    invitation_action(state, page, id, false).await
}
