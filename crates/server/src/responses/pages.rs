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
use consultation::responses::{
    Closed, ResponseError, Submission, closed_for_responses, response_page_path,
};

use domain::hearing::{Hearing, InputTiming};
use domain::organisation::Organisation;
use domain::policy::{Action, Actor, can};
use domain::response::{OnBehalfOf, Response};
use domain::{AttachmentId, HearingId, Lang, OrganisationId, ResponseId, SectionId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    /// `self`, or the id of an organisation the reader represents; left out, a
    /// representative of one organisation starts with it chosen.
    organisation: Option<String>,
    saved: Option<i32>,
}

/// Whom the reader asked to answer for.
#[derive(Debug, Clone, Copy)]
enum Behalf {
    /// Nothing asked: the one organisation they represent, else themself.
    Default,
    Myself,
    Organisation(OrganisationId),
}

impl Behalf {
    fn from_query(value: Option<&str>) -> Behalf {
        match value.map(str::trim) {
            None => Behalf::Default,
            Some(v) => v
                .parse::<OrganisationId>()
                .map_or(Behalf::Myself, Behalf::Organisation),
        }
    }

    /// The organisation chosen among those the reader represents; `None` for a
    /// personal response (also for an organisation they do not represent).
    fn chosen(self, organisations: &[Organisation]) -> Option<&Organisation> {
        match self {
            Behalf::Default => match organisations {
                [only] => Some(only),
                _ => None,
            },
            Behalf::Myself => None,
            Behalf::Organisation(id) => organisations.iter().find(|o| o.id == id),
        }
    }
}

/// What the reader typed, kept when the form is shown again.
#[derive(Debug, Default)]
struct KeptForm {
    text: Option<String>,
    section_ids: Vec<SectionId>,
    keep_attachment_ids: Option<Vec<AttachmentId>>,
    /// The version the typed text revises; `None` shows the current one.
    based_on_version: Option<i32>,
    error: Option<String>,
    /// Someone else stored a version meanwhile: show it beside the typed text.
    conflict: bool,
}

/// The message that says why no (new) response can be given.
fn closed_message(closed: Closed) -> &'static str {
    match closed {
        Closed::NotOpen => "response-closed-not-open",
        Closed::DeadlinePassed => "response-closed-deadline",
        Closed::ClosedAfterDeadline => "response-closed-closed",
        Closed::Assessed => "response-closed-assessed",
    }
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

/// A hearing the actor may read: `Ok(None)` when it is unknown or hidden (the two
/// look the same); `Err` when the database failed, which is not "not found".
async fn visible_hearing(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<Option<Hearing>, consultation::DbError> {
    let Ok(id) = id.parse::<HearingId>() else {
        return Ok(None);
    };
    match state.consultation().visible_hearing(actor, id).await {
        Ok(hearing) => Ok(Some(hearing)),
        Err(consultation::hearings::HearingError::Db(e)) => Err(e),
        Err(_) => Ok(None),
    }
}

/// The page for a hearing that could not be read: not found, or (logged once) the
/// database is unavailable.
fn hearing_missing(
    state: &AppState,
    page: &PageCtx,
    err: Option<consultation::DbError>,
) -> HttpResponse {
    match err {
        None => page.error(state, StatusCode::NOT_FOUND, "hearing-not-found"),
        Some(err) => {
            tracing::error!(error = %err, "could not read a hearing");
            page.error(
                state,
                StatusCode::SERVICE_UNAVAILABLE,
                "form-error-unavailable",
            )
        }
    }
}

pub(crate) async fn response_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        // Back to this form once signed in.
        let next = serde_urlencoded::to_string([("next", page.path.as_str())]).unwrap_or_default();
        return Redirect::to(&format!("/sign-in?{next}")).into_response();
    };
    let actor = state.consultation().actor_for(signed_in).await;
    let hearing = match visible_hearing(&state, &actor, &id).await {
        Ok(Some(hearing)) => hearing,
        Ok(None) => return hearing_missing(&state, &page, None),
        Err(err) => return hearing_missing(&state, &page, Some(err)),
    };
    render_form_page(
        &state,
        &page,
        &actor,
        &hearing,
        Behalf::from_query(query.organisation.as_deref()),
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
    behalf: Behalf,
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
    let chosen = behalf.chosen(&organisations);
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
    let now = state.consultation().now();
    let closed = closed_for_responses(hearing, existing.is_some(), now);
    // Once the hearing takes no input, people still see what they sent and why
    // nothing more can be sent; someone who may not take part is told so.
    if !may_answer && existing.is_none() && closed != Some(Closed::Assessed) {
        return page.error(state, StatusCode::FORBIDDEN, "response-not-allowed");
    }
    let timing = hearing.input_timing(now);
    let may_submit = may_answer && closed.is_none();
    let current = existing.as_ref().and_then(Response::current);
    let current_number = current.map_or(0, |v| v.number);
    let conflict = match current {
        Some(v) if kept.conflict => Some(context! {
            number => v.number,
            by => v.person_name,
            created => format_datetime(lang, v.created_at),
            text => v.text,
        }),
        _ => None,
    };
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
        value => "self",
        current => chosen.is_none(),
    })
    .chain(organisations.iter().map(|o| {
        context! {
            label => o.name,
            value => o.id.to_string(),
            current => chosen.is_some_and(|c| c.id == o.id),
        }
    }))
    .collect();
    let behalf_name = chosen.map_or(person.name.clone(), |o| o.name.clone());
    // The current version's files, and any other file of the response the reader
    // chose to keep (after a conflict, the version they revised may have had it).
    let current_attachments: Vec<Value> = match existing.as_ref() {
        Some(r) => r
            .attachments
            .iter()
            .filter(|a| {
                keep.contains(&a.id) || current.is_some_and(|v| v.attachment_ids.contains(&a.id))
            })
            .map(|a| {
                context! {
                    id => a.id.to_string(),
                    name => a.file_name,
                    size => i18n::format_size(lang, a.size_bytes),
                    kept => keep.contains(&a.id),
                }
            })
            .collect(),
        None => Vec::new(),
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
            closed => closed.map(closed_message),
            conflict => conflict,
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
                based_on_version => kept.based_on_version.unwrap_or(current_number),
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
    let hearing = match visible_hearing(&state, &actor, &id).await {
        Ok(Some(hearing)) => hearing,
        Ok(None) => return hearing_missing(&state, &page, None),
        Err(err) => return hearing_missing(&state, &page, Some(err)),
    };
    let read = match multipart {
        Ok(multipart) => {
            let store = state.consultation().attachment_store();
            read_submission(multipart, &store, state.uploads()).await
        }
        Err(rejection) => ReadSubmission {
            submission: Submission::default(),
            problem: Some(ResponseError::Unreadable(rejection.body_text())),
            upload_permit: None,
        },
    };
    let behalf = read
        .submission
        .organisation_id
        .map_or(Behalf::Myself, Behalf::Organisation);
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
        let conflict = matches!(err, ResponseError::VersionConflict { .. });
        KeptForm {
            text: Some(typed.text.clone()),
            section_ids: typed.section_ids.clone(),
            keep_attachment_ids: Some(typed.keep_attachment_ids.clone()),
            // After a conflict the text is to be sent again based on what is
            // current now; after any other refusal it still revises what it did.
            based_on_version: if conflict {
                None
            } else {
                typed.based_on_version
            },
            error: Some(message),
            conflict,
        }
    };
    let _upload_permit = read.upload_permit;
    if let Some(problem) = read.problem {
        let form = kept(&problem);
        let mut http = render_form_page(
            &state,
            &page,
            &actor,
            &hearing,
            behalf,
            None,
            form,
            crate::responses::status(&problem),
        )
        .await;
        if matches!(problem, ResponseError::Busy) {
            http.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(crate::state::UPLOAD_RETRY_AFTER_SECONDS),
            );
        }
        return http;
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
            render_form_page(&state, &page, &actor, &hearing, behalf, None, form, status).await
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
            closed => None::<&str>,
            conflict => None::<Value>,
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
