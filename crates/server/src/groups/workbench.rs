//! The workbench for groups: create groups on a plan, invite members one by one or
//! from a spreadsheet (with a preview and a report for every row), re-send and
//! revoke invitations, remove members.

use crate::auth::planner::Planner;
use crate::groups::{PlannerAt, field_errors};
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field, no_errors};
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::groups::{GroupError, InviteInput, InviteOutcome};
use domain::group::{GroupKind, MemberRole};
use domain::invitation::InvitationStatus;
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

fn not_found(state: &AppState, page: &PageCtx) -> Response {
    page.error(state, StatusCode::NOT_FOUND, "error-not-found")
}

const GROUP_FIELDS: &[Field] = &[
    field("kind", "group-kind", "groups-col-kind"),
    field("name", "group-name", "groups-col-name"),
];

const INVITE_FIELDS: &[Field] = &[
    field("name", "invite-name", "group-col-name"),
    field("email", "invite-email", "group-col-email"),
    field("role", "invite-role", "group-col-role"),
    field(
        "organisation_id",
        "invite-organisation",
        "group-col-organisation",
    ),
    field(
        "organisation_name",
        "invite-new-organisation",
        "group-new-organisation",
    ),
    field("lang", "invite-lang", "group-invite-lang"),
];

const ROSTER_FIELDS: &[Field] = &[field("file", "roster-file", "roster-file")];

fn kinds() -> Vec<&'static str> {
    GroupKind::ALL.iter().map(|k| k.as_str()).collect()
}

async fn render_groups(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    plan_id: PlanId,
    typed: Option<(&GroupForm, FormErrors)>,
    status: StatusCode,
) -> Response {
    let (plan, summaries) = match state
        .consultation()
        .group_overview(&planner.actor, plan_id)
        .await
    {
        Ok(found) => found,
        Err(GroupError::Db(err)) => {
            tracing::error!(error = %err, "could not list a plan's groups");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
        Err(_) => return not_found(state, page),
    };
    let groups: Vec<Value> = summaries
        .into_iter()
        .map(|s| {
            context! {
                id => s.group.id.to_string(), name => s.group.name, kind => s.group.kind.as_str(),
                members => s.members, pending => s.pending,
            }
        })
        .collect();
    page.render(
        state,
        status,
        "planner_groups.html",
        context! {
            plan => context! { id => plan.id.to_string(), title => plan.title },
            groups => groups,
            kinds => kinds(),
            form => typed.as_ref().map(|(form, _)| Value::from_serialize(form)),
            errors => typed.map_or_else(no_errors, |(_, errors)| errors.value()),
        },
    )
}

async fn groups_page(
    State(state): State<AppState>,
    PlannerAt {
        page,
        planner,
        id: plan_id,
    }: PlannerAt<PlanId>,
) -> Response {
    render_groups(&state, &page, &planner, plan_id, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize, serde::Serialize)]
struct GroupForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

async fn create_group(
    State(state): State<AppState>,
    PlannerAt {
        page,
        planner,
        id: plan_id,
    }: PlannerAt<PlanId>,
    Form(form): Form<GroupForm>,
) -> Response {
    match state
        .consultation()
        .create_group(&planner.actor, plan_id, &form.kind, &form.name)
        .await
    {
        Ok(group) => Redirect::to(&format!("/planner/groups/{}", group.id)).into_response(),
        Err(GroupError::PlanNotFound) => not_found(&state, &page),
        Err(err) => {
            let (status, errors) = field_errors(page.lang, GROUP_FIELDS, err);
            render_groups(
                &state,
                &page,
                &planner,
                plan_id,
                Some((&form, errors)),
                status,
            )
            .await
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
    errors: Option<FormErrors>,
    status: Option<StatusCode>,
}

impl Shown<'_> {
    fn error((status, errors): (StatusCode, FormErrors)) -> Shown<'static> {
        Shown {
            errors: Some(errors),
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
    let notice = shown.notice;
    let errors = shown.errors.map_or_else(no_errors, |e| e.value());
    let status = shown.status.unwrap_or(StatusCode::OK);
    let service = state.consultation();
    let detail = match service
        .group_detail(&planner.actor, group_id, Action::ManageMembers)
        .await
    {
        Ok(detail) => detail,
        Err(GroupError::Db(err)) => {
            tracing::error!(error = %err, "could not show a group");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
        Err(_) => return not_found(state, page),
    };
    let (group, plan) = (detail.group, detail.plan);
    let now = service.now();
    let members: Vec<Value> = detail
        .members
        .into_iter()
        .map(|m| {
            context! {
                person_id => m.person.id.to_string(), name => m.person.name,
                email => m.person.email, role => m.membership.role.as_str(),
                organisation => m.organisation,
            }
        })
        .collect();
    let invitations: Vec<Value> = detail
        .invitations
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let status = i.invitation.status(now);
            context! {
                id => i.invitation.id.to_string(), name => i.person.name,
                email => i.person.email, role => i.invitation.role.as_str(),
                status => status.as_str(),
                open => matches!(status, InvitationStatus::Pending | InvitationStatus::Expired),
                sent => i18n::format_datetime(page.lang, i.invitation.sent_at),
                expires => i18n::format_datetime(page.lang, i.invitation.expires_at),
            }
        })
        .collect();
    let organisations: Vec<Value> = detail
        .organisations
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
            errors => errors,
        },
    )
}

async fn group_page(
    State(state): State<AppState>,
    PlannerAt {
        page,
        planner,
        id: group_id,
    }: PlannerAt<GroupId>,
    Query(query): Query<GroupQuery>,
) -> Response {
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
    PlannerAt {
        page,
        planner,
        id: group_id,
    }: PlannerAt<GroupId>,
    Form(form): Form<InviteForm>,
) -> Response {
    let organisation_id = match form.organisation_id.trim() {
        "" => Ok(None),
        id => id
            .parse::<OrganisationId>()
            .map(Some)
            .map_err(|_| GroupError::UnknownOrganisation),
    };
    let invited = match organisation_id {
        Ok(organisation_id) => {
            let input = InviteInput {
                name: form.name.clone(),
                email: form.email.clone(),
                role: form.role.clone(),
                organisation_id,
                organisation_name: Some(form.organisation_name.clone()),
                lang: Some(form.lang.clone()),
            };
            state
                .consultation()
                .invite_one(&planner.actor, &planner.who, group_id, input)
                .await
        }
        Err(err) => Err(err),
    };
    match invited {
        Ok(InviteOutcome::Invited { .. }) => {
            Redirect::to(&format!("/planner/groups/{group_id}?done=invited&count=1"))
                .into_response()
        }
        Ok(InviteOutcome::AlreadyMember { .. }) => {
            Redirect::to(&format!("/planner/groups/{group_id}?done=already_member")).into_response()
        }
        Err(GroupError::GroupNotFound) => not_found(&state, &page),
        Err(err) => {
            render_group(
                &state,
                &page,
                &planner,
                group_id,
                Shown {
                    form: Some(&form),
                    ..Shown::error(field_errors(page.lang, INVITE_FIELDS, err))
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
    PlannerAt {
        page,
        planner,
        id: group_id,
    }: PlannerAt<GroupId>,
    multipart: Multipart,
) -> Response {
    let bytes = match read_file(multipart).await {
        Ok(b) => b,
        Err(message) => {
            tracing::info!(error = %message, "unreadable member list upload");
            let message = i18n::t(page.lang, "roster-error-upload");
            let errors = FormErrors::field(page.lang, ROSTER_FIELDS, "file", message);
            return render_group(
                &state,
                &page,
                &planner,
                group_id,
                Shown::error((StatusCode::BAD_REQUEST, errors)),
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
    match state
        .consultation()
        .preview_roster(&planner.actor, group_id, bytes)
        .await
    {
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
        Err(GroupError::GroupNotFound) => not_found(state, page),
        Err(err) => {
            let errors = field_errors(page.lang, ROSTER_FIELDS, err);
            render_group(state, page, planner, group_id, Shown::error(errors)).await
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

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    skip_invalid: Option<String>,
}

async fn import_confirm(
    State(state): State<AppState>,
    PlannerAt {
        page,
        planner,
        id: group_id,
    }: PlannerAt<GroupId>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    match state
        .consultation()
        .import_roster(
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
                .filter(|o| matches!(o, InviteOutcome::Invited { .. }))
                .count();
            Redirect::to(&format!(
                "/planner/groups/{group_id}?done=imported&count={invited}"
            ))
            .into_response()
        }
        Err(GroupError::InvalidRows { .. }) => {
            // The list changed meanwhile, or the box was not ticked: show it again.
            show_preview(&state, &page, &planner, group_id, form.csv.as_bytes()).await
        }
        Err(GroupError::GroupNotFound) => not_found(&state, &page),
        Err(err) => {
            let errors = field_errors(page.lang, ROSTER_FIELDS, err);
            render_group(&state, &page, &planner, group_id, Shown::error(errors)).await
        }
    }
}

async fn remove_member(
    State(state): State<AppState>,
    PlannerAt {
        page,
        planner,
        id: (group_id, person),
    }: PlannerAt<(GroupId, PersonId)>,
) -> Response {
    match state
        .consultation()
        .remove_member(&planner.actor, group_id, person)
        .await
    {
        Ok(()) => Redirect::to(&format!("/planner/groups/{group_id}?done=removed")).into_response(),
        Err(GroupError::Db(err)) => {
            tracing::error!(error = %err, "could not remove a member");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
        Err(_) => not_found(&state, &page),
    }
}

async fn invitation_action(
    state: AppState,
    PlannerAt { page, planner, id }: PlannerAt<InvitationId>,
    resend: bool,
) -> Response {
    let service = state.consultation();
    let group = match service.managed_invitation(&planner.actor, id).await {
        Ok((_, group, _)) => group.id,
        Err(GroupError::Db(err)) => {
            tracing::error!(error = %err, "could not look up an invitation");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
        Err(_) => return not_found(&state, &page),
    };
    let done = if resend {
        service
            .resend_invitation(&planner.actor, id)
            .await
            .map(|_| "resent")
    } else {
        service
            .revoke_invitation(&planner.actor, id)
            .await
            .map(|()| "revoked")
    };
    match done {
        Ok(done) => Redirect::to(&format!("/planner/groups/{group}?done={done}")).into_response(),
        Err(GroupError::InvitationNotFound) => not_found(&state, &page),
        Err(err) => {
            let errors = field_errors(page.lang, &[], err);
            render_group(&state, &page, &planner, group, Shown::error(errors)).await
        }
    }
}

async fn resend(State(state): State<AppState>, at: PlannerAt<InvitationId>) -> Response {
    invitation_action(state, at, true).await
}

async fn revoke(State(state): State<AppState>, at: PlannerAt<InvitationId>) -> Response {
    invitation_action(state, at, false).await
}
