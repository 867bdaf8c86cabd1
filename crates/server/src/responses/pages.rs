//! The response pages: giving or revising a response through a form that works
//! without JavaScript, and reading a response with every version. The form goes
//! through the same use case as the API (`Consultation::submit_response`).

use crate::responses::error_text;
use crate::responses::multipart::{ReadSubmission, read_submission};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response as HttpResponse};
use consultation::access::hearing_resource;
use consultation::responses::{ResponseError, Submission, response_page_path};
use domain::hearing::{Hearing, InputTiming};
use domain::policy::{Action, Actor, can};
use domain::response::{OnBehalfOf, Response};
use domain::{AttachmentId, HearingId, Lang, OrganisationId, ResponseId, SectionId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    organisation: Option<String>,
    saved: Option<i32>,
}

/// What the reader typed, kept when the form is shown again.
#[derive(Debug, Default)]
struct KeptForm {
    text: Option<String>,
    section_ids: Vec<SectionId>,
    keep_attachment_ids: Option<Vec<AttachmentId>>,
    error: Option<String>,
}

fn attachment_views(
    lang: Lang,
    response: &Response,
    version: &domain::response::ResponseVersion,
) -> Vec<Value> {
    response
        .attachments_of(version)
        .into_iter()
        .map(|a| {
            context! {
                id => a.id.to_string(),
                name => a.file_name,
                size => i18n::format_size(lang, a.size_bytes),
                href => format!("/api/v1/responses/{}/attachments/{}", response.id, a.id),
            }
        })
        .collect()
}

/// A response and its versions as the templates show them (newest first).
fn response_view(lang: Lang, response: &Response, sections: &[domain::plan::Section]) -> Value {
    let section_label = |id: &SectionId| {
        sections
            .iter()
            .find(|s| s.id == *id)
            .map(|s| crate::web::section_label(lang, &s.number, &s.title))
    };
    let versions: Vec<Value> = response
        .versions
        .iter()
        .rev()
        .map(|v| {
            context! {
                number => v.number,
                text => v.text,
                late => v.late,
                by => v.person_name,
                created => format_datetime(lang, v.created_at),
                sections => v.section_ids.iter().filter_map(section_label).collect::<Vec<_>>(),
                attachments => attachment_views(lang, response, v),
            }
        })
        .collect();
    context! {
        id => response.id.to_string(),
        author => response.author_label(),
        organisation => response.organisation_name,
        late => response.late,
        version_count => response.versions.len(),
        current => versions.first().cloned(),
        history => versions.iter().skip(1).cloned().collect::<Vec<_>>(),
    }
}

async fn visible_hearing(state: &AppState, actor: &Actor, id: &str) -> Option<Hearing> {
    let id = id.parse::<HearingId>().ok()?;
    state.consultation().visible_hearing(actor, id).await.ok()
}

pub(crate) async fn response_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = state.consultation().actor_for(signed_in).await;
    let Some(hearing) = visible_hearing(&state, &actor, &id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let organisation = query
        .organisation
        .as_deref()
        .and_then(|o| o.parse::<OrganisationId>().ok());
    render_form_page(
        &state,
        &page,
        &actor,
        &hearing,
        organisation,
        query.saved,
        KeptForm::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_form_page(
    state: &AppState,
    page: &PageCtx,
    actor: &Actor,
    hearing: &Hearing,
    organisation: Option<OrganisationId>,
    saved: Option<i32>,
    kept: KeptForm,
    status: StatusCode,
) -> HttpResponse {
    let lang = page.lang;
    let Some(person) = page.signed_in.as_ref().map(|s| &s.person) else {
        return Redirect::to("/sign-in").into_response();
    };
    let may_answer = can(actor, Action::Comment, hearing_resource(hearing));
    let consultation = state.consultation();
    let loaded = async {
        let organisations = consultation
            .represented_organisations(actor, hearing)
            .await?;
        let sections = consultation.hearing_sections(hearing).await?;
        Ok::<_, consultation::DbError>((organisations, sections))
    }
    .await;
    let (organisations, sections) = match loaded {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(error = %err, "could not load the response page");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // An organisation the reader does not represent is shown as their own response.
    let chosen = organisation.and_then(|id| organisations.iter().find(|o| o.id == id));
    let on_behalf_of = match chosen {
        Some(o) => OnBehalfOf::Organisation(o.id),
        None => OnBehalfOf::Person(person.id),
    };
    let existing = match consultation
        .own_response(actor, hearing, on_behalf_of)
        .await
    {
        Ok(r) => r,
        Err(err) => {
            tracing::error!(error = %err, "could not load a response");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // Once the hearing takes no input, people still see what they sent.
    if !may_answer && existing.is_none() {
        return page.error(state, StatusCode::FORBIDDEN, "response-not-allowed");
    }
    let timing = hearing.input_timing(state.consultation().now());
    let may_submit = may_answer
        && match timing {
            InputTiming::OnTime => true,
            InputTiming::Late => existing.is_none(),
            InputTiming::NotOpen => false,
        };
    let current = existing.as_ref().and_then(Response::current);
    let text = kept
        .text
        .clone()
        .or_else(|| current.map(|v| v.text.clone()))
        .unwrap_or_default();
    let checked: Vec<SectionId> = if kept.text.is_some() {
        kept.section_ids.clone()
    } else {
        current.map(|v| v.section_ids.clone()).unwrap_or_default()
    };
    let keep: Vec<AttachmentId> = kept
        .keep_attachment_ids
        .clone()
        .or_else(|| current.map(|v| v.attachment_ids.clone()))
        .unwrap_or_default();
    let choices: Vec<Value> = std::iter::once(context! {
        label => i18n::catalog().message(lang, "response-behalf-self", &[("name", person.name.clone().into())]),
        href => response_page_path(hearing.id, OnBehalfOf::Person(person.id)),
        current => chosen.is_none(),
    })
    .chain(organisations.iter().map(|o| {
        context! {
            label => o.name,
            href => response_page_path(hearing.id, OnBehalfOf::Organisation(o.id)),
            current => chosen.is_some_and(|c| c.id == o.id),
        }
    }))
    .collect();
    let behalf_name = chosen.map_or(person.name.clone(), |o| o.name.clone());
    let current_attachments: Vec<Value> = match (existing.as_ref(), current) {
        (Some(r), Some(v)) => attachment_views(lang, r, v)
            .into_iter()
            .map(|a| {
                let id = a
                    .get_attr("id")
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let kept = keep.iter().any(|k| k.to_string() == id);
                context! { kept => kept, ..a }
            })
            .collect(),
        _ => Vec::new(),
    };
    page.render(
        state,
        status,
        "response.html",
        context! {
            hearing => context! {
                id => hearing.id.to_string(),
                title => hearing.title,
                deadline => format_datetime(lang, hearing.deadline),
                late => timing == InputTiming::Late,
                open => timing != InputTiming::NotOpen,
            },
            back_href => format!("/hearings/{}", hearing.id),
            back_label => "response-back",
            choices => if organisations.is_empty() { Vec::new() } else { choices },
            behalf_name => behalf_name,
            organisation_id => chosen.map(|o| o.id.to_string()).unwrap_or_default(),
            response => existing.as_ref().map(|r| response_view(lang, r, &sections)),
            show_form => may_submit,
            saved => saved,
            error => kept.error,
            form => context! {
                text => text,
                sections => sections
                    .iter()
                    .map(|s| context! {
                        id => s.id.to_string(),
                        label => crate::web::section_label(lang, &s.number, &s.title),
                        checked => checked.contains(&s.id),
                    })
                    .collect::<Vec<_>>(),
                attachments => current_attachments,
                idempotency_key => Uuid::new_v4().to_string(),
            },
        },
    )
}

pub(crate) async fn submit_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = state.consultation().actor_for(signed_in).await;
    let Some(hearing) = visible_hearing(&state, &actor, &id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let read = match multipart {
        Ok(multipart) => read_submission(multipart).await,
        Err(rejection) => ReadSubmission {
            submission: Submission::default(),
            problem: Some(ResponseError::Unreadable(rejection.body_text())),
        },
    };
    let organisation = read.submission.organisation_id;
    let had_files = !read.submission.files.is_empty();
    // What the form shows again if the submission is refused (not the files).
    let typed = read.submission.clone_without_files();
    let kept = |err: &ResponseError| {
        let mut message = error_text(page.lang, err);
        if had_files
            || matches!(
                err,
                ResponseError::AttachmentTooLarge | ResponseError::TooLarge
            )
        {
            message.push(' ');
            message.push_str(&i18n::t(page.lang, "response-files-again"));
        }
        KeptForm {
            text: Some(typed.text.clone()),
            section_ids: typed.section_ids.clone(),
            keep_attachment_ids: Some(typed.keep_attachment_ids.clone()),
            error: Some(message),
        }
    };
    if let Some(problem) = read.problem {
        let form = kept(&problem);
        return render_form_page(
            &state,
            &page,
            &actor,
            &hearing,
            organisation,
            None,
            form,
            crate::responses::status(&problem),
        )
        .await;
    }
    match state
        .consultation()
        .submit_response(&actor, hearing.id, read.submission)
        .await
    {
        Ok(submitted) => {
            let path = response_page_path(hearing.id, submitted.response.on_behalf_of());
            let separator = if path.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{path}{separator}saved={}", submitted.version)).into_response()
        }
        Err(ResponseError::HearingNotFound) => {
            page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found")
        }
        Err(err) => {
            if let ResponseError::Db(e) = &err {
                tracing::error!(error = %e, "could not store a response");
            }
            let status = match crate::responses::status(&err) {
                StatusCode::INTERNAL_SERVER_ERROR => StatusCode::SERVICE_UNAVAILABLE,
                other => other,
            };
            let form = kept(&err);
            render_form_page(
                &state,
                &page,
                &actor,
                &hearing,
                organisation,
                None,
                form,
                status,
            )
            .await
        }
    }
}

/// A response with every version, for its authors and the plan's planners.
pub(crate) async fn view_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = state.consultation().actor_for(signed_in).await;
    let Ok(id) = id.parse::<ResponseId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "response-not-found");
    };
    let (hearing, response) = match state.consultation().readable_response(&actor, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return page.error(&state, StatusCode::NOT_FOUND, "response-not-found"),
        Err(err) => {
            tracing::error!(error = %err, "could not load a response");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let sections = match state.consultation().hearing_sections(&hearing).await {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(error = %err, "could not load sections");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let planner = can(&actor, Action::Edit, hearing_resource(&hearing));
    let lang = page.lang;
    page.render(
        &state,
        StatusCode::OK,
        "response.html",
        context! {
            hearing => context! {
                id => hearing.id.to_string(),
                title => hearing.title,
                deadline => format_datetime(lang, hearing.deadline),
                late => false,
                open => false,
            },
            back_href => if planner { format!("/planner/hearings/{}", hearing.id) } else { format!("/hearings/{}", hearing.id) },
            back_label => if planner { "planner-back" } else { "response-back" },
            choices => Vec::<Value>::new(),
            behalf_name => response.author_label(),
            organisation_id => "",
            response => Some(response_view(lang, &response, &sections)),
            show_form => false,
            saved => None::<i32>,
            error => None::<String>,
            form => context! {},
        },
    )
}
