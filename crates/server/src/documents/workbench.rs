//! The planner's documents: import a document (upload,
//! preview the outline, confirm), and read a document as imported.

use crate::auth::planner::require_planner;
use crate::error::error_text;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::Actor;
use domain::{DocumentId, PlanId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/planner/import",
            get(import_form)
                .post(upload)
                // The importer takes files up to its own limit; leave room for the form.
                .layer(DefaultBodyLimit::max(importer::MAX_INPUT_BYTES + 64 * 1024)),
        )
        .route("/planner/import/{id}", get(preview))
        .route("/planner/import/{id}/outline", post(edit_outline))
        .route("/planner/import/{id}/confirm", post(confirm))
        .route("/planner/documents/{id}", get(document))
        .route("/planner/documents/{id}/compare", get(compare))
        .route(
            "/planner/documents/{id}/edit",
            get(edit_form).post(publish_edit),
        )
}

macro_rules! planner_or_return {
    ($state:expr, $page:expr) => {
        match require_planner(&$state, &$page).await {
            Ok(p) => p,
            Err(r) => return r,
        }
    };
}

async fn plan_choices(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<Value>, consultation::plans::PlanError> {
    Ok(state
        .consultation()
        .municipality_plans(actor)
        .await?
        .into_iter()
        .map(|p| context! { id => p.id.to_string(), title => p.title })
        .collect())
}

async fn render_import_form(
    state: &AppState,
    page: &PageCtx,
    actor: &Actor,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match plan_choices(state, actor).await {
        Ok(plans) => page.render(
            state,
            status,
            "planner_import.html",
            context! { plans => plans, error => error },
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not list plans");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn import_form(State(state): State<AppState>, page: PageCtx) -> Response {
    let planner = planner_or_return!(state, page);
    render_import_form(&state, &page, &planner.actor, None, StatusCode::OK).await
}

/// The fields of the upload form, read from the multipart body.
#[derive(Default)]
struct Upload {
    plan_id: String,
    title: String,
    kind: String,
    format: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field
                .file_name()
                .unwrap_or("dokument")
                .chars()
                .take(300)
                .collect();
            upload.bytes = field.bytes().await.map_err(|e| e.body_text())?.to_vec();
        } else {
            let value = field.text().await.map_err(|e| e.body_text())?;
            match name.as_str() {
                "plan_id" => upload.plan_id = value,
                "title" => upload.title = value,
                "kind" => upload.kind = value,
                "format" => upload.format = value,
                _ => {}
            }
        }
    }
    Ok(upload)
}

async fn upload(State(state): State<AppState>, page: PageCtx, multipart: Multipart) -> Response {
    let planner = planner_or_return!(state, page);
    let lang = page.lang;
    let fail = |id: &str| Some(i18n::t(lang, id));
    let upload = match read_upload(multipart).await {
        Ok(u) => u,
        Err(message) => {
            tracing::info!(error = %message, "unreadable upload");
            return render_import_form(
                &state,
                &page,
                &planner.actor,
                fail("import-error-upload"),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let plan_id = upload
        .plan_id
        .parse::<Uuid>()
        .map(PlanId)
        .unwrap_or(PlanId(Uuid::nil()));
    let request = consultation::documents::ImportRequest {
        plan_id,
        file_name: upload.file_name,
        bytes: upload.bytes,
        format: Some(upload.format),
        title: Some(upload.title),
        kind: Some(upload.kind),
    };
    match state
        .consultation()
        .import_draft(&planner.actor, &planner.who, request)
        .await
    {
        Ok(draft) => Redirect::to(&format!("/planner/import/{}", draft.id)).into_response(),
        Err(err) => {
            let err = crate::ApiError::from(err);
            let message = error_text(lang, &err);
            render_import_form(&state, &page, &planner.actor, Some(message), err.status).await
        }
    }
}

async fn preview(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    let planner = planner_or_return!(state, page);
    let Ok(id) = id.parse::<Uuid>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match state.consultation().own_import(&planner.actor, id).await {
        Ok(draft) => match draft.document_id {
            Some(document) => {
                Redirect::to(&format!("/planner/documents/{document}")).into_response()
            }
            None => render_preview(&state, &page, &draft, None, StatusCode::OK),
        },
        Err(
            consultation::documents::DocumentError::ImportNotFound
            | consultation::documents::DocumentError::NotSignedIn,
        ) => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
        Err(err) => {
            tracing::error!(error = %err, "could not read an import");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// A refused correction, shown beside the field of the part it concerns.
struct OutlineError {
    section: usize,
    /// The form's field that is wrong: "number", "title", "level", "line", "merge",
    /// "split_number", "split_title", or "op" for the outline as a whole.
    field: &'static str,
    message: String,
}

/// How long the text of a line may be in the list of places to split at.
const LINE_LABEL_CHARS: usize = 80;

fn render_preview(
    state: &AppState,
    page: &PageCtx,
    draft: &consultation::documents::ImportDraft,
    error: Option<OutlineError>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let part_name = |index: usize| {
        draft.sections.get(index).map_or_else(String::new, |s| {
            let title = if s.title.is_empty() {
                i18n::t(lang, "import-preamble")
            } else {
                s.title.clone()
            };
            [s.number.as_str(), &format!("«{title}»")]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let warnings: Vec<Value> = draft
        .warnings
        .iter()
        .map(|w| {
            let text = crate::documents::import_warning_text(lang, w, part_name);
            context! { text => text, section => w.place.map(|p| p.section) }
        })
        .collect();
    let sections: Vec<Value> = draft
        .sections
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let lines: Vec<Value> = s
                .body
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    context! { number => i + 1, text => domain::email::excerpt(l, LINE_LABEL_CHARS) }
                })
                .collect();
            let lost_tables: Vec<Value> = draft
                .warnings
                .iter()
                .filter_map(|w| w.place.filter(|p| p.section == index))
                .map(|p| context! { first => p.first_line, last => p.last_line })
                .collect();
            let error = error.as_ref().filter(|e| e.section == index && e.field != "op");
            context! {
                index => index,
                number => s.number,
                title => s.title,
                level => s.level,
                excerpt => domain::email::excerpt(&s.body, 160),
                words => s.body.split_whitespace().count(),
                lines => lines,
                lost_tables => lost_tables,
                error_field => error.map(|e| e.field),
                error => error.map(|e| e.message.clone()),
            }
        })
        .collect();
    page.render(
        state,
        status,
        "planner_import_preview.html",
        context! {
            id => draft.id.to_string(),
            title => draft.title,
            file_name => draft.file_name,
            revision => draft.revision,
            sections => sections,
            warnings => warnings,
            levels => (1..=6).collect::<Vec<i32>>(),
            // A refusal that concerns no part of the outline (it changed meanwhile).
            page_error => error.filter(|e| e.field == "op").map(|e| e.message),
        },
    )
}

/// The preview's form for one correction of the outline; every field is text, so a
/// form that lost a field is explained instead of refused by the extractor.
#[derive(Debug, Default, Deserialize)]
struct OutlineForm {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    op: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    line: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    level: String,
}

async fn edit_outline(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<OutlineForm>,
) -> Response {
    use consultation::documents::DocumentError;
    let planner = planner_or_return!(state, page);
    let Ok(id) = id.parse::<Uuid>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let section = form.section.trim().parse::<usize>().unwrap_or(usize::MAX);
    let body = crate::documents::api::OutlineEditBody {
        revision: form.revision.trim().parse().unwrap_or(-1),
        op: form.op.trim().to_owned(),
        section,
        line: form.line.trim().parse().ok(),
        number: Some(form.number),
        title: Some(form.title),
        level: form.level.trim().parse().ok(),
    };
    let (op, revision) = (body.op.clone(), body.revision);
    let result = match body.edit() {
        Ok(edit) => state
            .consultation()
            .edit_import(&planner.actor, id, revision, edit)
            .await
            .map_err(Refusal::Use),
        Err(err) => Err(Refusal::Form(err)),
    };
    match result {
        Ok(draft) => {
            // Back to the part that was corrected (after a merge: the part it went into).
            let anchor = match op.as_str() {
                "merge_up" => section.saturating_sub(1),
                "split" => section + 1,
                _ => section,
            };
            Redirect::to(&format!("/planner/import/{}#part-{anchor}", draft.id)).into_response()
        }
        Err(Refusal::Use(DocumentError::ImportConfirmed)) => {
            match state.consultation().own_import(&planner.actor, id).await {
                Ok(consultation::documents::ImportDraft {
                    document_id: Some(document),
                    ..
                }) => Redirect::to(&format!("/planner/documents/{document}")).into_response(),
                _ => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
            }
        }
        Err(Refusal::Use(DocumentError::ImportNotFound | DocumentError::NotSignedIn)) => {
            page.error(&state, StatusCode::NOT_FOUND, "error-not-found")
        }
        Err(refusal) => {
            let (field, err) = match refusal {
                Refusal::Form(err) => ("op", err),
                Refusal::Use(err) => (outline_error_field(&err, &op), crate::ApiError::from(err)),
            };
            if err.status.is_server_error() {
                tracing::error!(error = %err.message, "could not correct an outline");
                return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
            }
            // The outline's own words first: "validation_failed" here is about a part.
            let own = format!("import-error-{}", err.code);
            let message = if i18n::catalog().has(page.lang, &own) {
                i18n::t(page.lang, &own)
            } else {
                error_text(page.lang, &err)
            };
            match state.consultation().own_import(&planner.actor, id).await {
                Ok(draft) => {
                    // An error about a part that no longer exists is shown at the top.
                    let field = if section < draft.sections.len() {
                        field
                    } else {
                        "op"
                    };
                    let error = OutlineError {
                        section,
                        field,
                        message,
                    };
                    render_preview(&state, &page, &draft, Some(error), err.status)
                }
                Err(_) => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
            }
        }
    }
}

enum Refusal {
    /// The form did not name a correction (a field was missing).
    Form(crate::ApiError),
    Use(consultation::documents::DocumentError),
}

/// The field of the preview's form that a refusal is about.
fn outline_error_field(err: &consultation::documents::DocumentError, op: &str) -> &'static str {
    use consultation::documents::DocumentError;
    use domain::outline::OutlineEditError;
    use domain::plan::SectionsError;
    match err {
        DocumentError::Outline(OutlineEditError::UnknownLine { .. }) => "line",
        DocumentError::Outline(OutlineEditError::NothingToMergeInto) => "merge",
        DocumentError::Sections(SectionsError::Level { .. }) => "level",
        DocumentError::Sections(SectionsError::Field { problem, .. })
            if problem.field == "number" =>
        {
            if op == "split" {
                "split_number"
            } else {
                "number"
            }
        }
        DocumentError::Sections(SectionsError::Field { .. }) => {
            if op == "split" {
                "split_title"
            } else {
                "title"
            }
        }
        _ => "op",
    }
}

async fn confirm(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    let planner = planner_or_return!(state, page);
    let Ok(id) = id.parse::<Uuid>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match state
        .consultation()
        .confirm_import(&planner.actor, id)
        .await
    {
        Ok((document, _)) => {
            Redirect::to(&format!("/planner/documents/{document}")).into_response()
        }
        Err(
            consultation::documents::DocumentError::ImportNotFound
            | consultation::documents::DocumentError::NotSignedIn,
        ) => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
        Err(err) => {
            let err = crate::ApiError::from(err);
            let status = err.status;
            if status.is_server_error() {
                tracing::error!(error = %err.message, "could not confirm an import");
                page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
            } else {
                page.error(&state, status, "error-title")
            }
        }
    }
}

async fn document(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let planner = planner_or_return!(state, page);
    let Ok(id) = id.parse::<DocumentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let Ok(consultation::documents::PlannerDocument {
        plan,
        document,
        version,
        sections,
        versions,
    }) = state
        .consultation()
        .planner_document(&planner.actor, id)
        .await
    else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let sections: Vec<Value> = sections
        .iter()
        .map(|s| {
            context! {
                id => s.id.to_string(),
                number => s.number,
                title => s.title,
                heading_level => (s.level + 1).clamp(2, 6),
                body_html => Value::from_safe_string(markup::markdown_to_html(&s.body)),
            }
        })
        .collect();
    page.render(
        &state,
        StatusCode::OK,
        "planner_document.html",
        context! {
            id => document.id.to_string(),
            title => document.title,
            plan => plan.title,
            version => version.number,
            versions => versions
                .iter()
                .map(|v| context! { number => v.number, created => crate::web::templates::format_datetime(page.lang, v.created_at) })
                .collect::<Vec<_>>(),
            sections => sections,
        },
    )
}

#[derive(Debug, Deserialize)]
struct CompareQuery {
    from: Option<i32>,
    to: Option<i32>,
}

/// What changed between two versions, word by word, for the planner to check which
/// inputs concern changed text.
async fn compare(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<CompareQuery>,
) -> Response {
    let planner = planner_or_return!(state, page);
    let Ok(id) = id.parse::<DocumentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let consultation = state.consultation();
    let Ok((_, document)) = consultation.staff_document(&planner.actor, id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match consultation
        .document_diff(&planner.actor, &document, query.from, query.to)
        .await
        .map_err(crate::ApiError::from)
    {
        Ok(diff) => page.render(
            &state,
            StatusCode::OK,
            "planner_compare.html",
            context! {
                diff => Value::from_serialize(crate::documents::versions::DocumentDiff::from(diff)),
                back_href => format!("/planner/documents/{id}"),
                back_label => "compare-back",
                show_inputs => true,
            },
        ),
        Err(err) => {
            let detail = error_text(page.lang, &err);
            page.render(
                &state,
                err.status,
                "error.html",
                context! { message_id => "error-title", detail => detail },
            )
        }
    }
}

/// A row of the edit form as typed, so it can be shown again after an error.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct EditFormRow {
    index: usize,
    number: String,
    title: String,
    level: i32,
    body: String,
    position: i64,
    merge_up: bool,
    delete: bool,
}

/// The planner's own document, or the page to show instead.
async fn own_document(
    state: &AppState,
    page: &PageCtx,
    id: &str,
) -> Result<(crate::auth::planner::Planner, domain::plan::Document), Response> {
    let planner = require_planner(state, page).await?;
    let not_found = || page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    let id = id.parse::<DocumentId>().map_err(|_| not_found())?;
    let (_, document) = state
        .consultation()
        .editable_document(&planner.actor, id)
        .await
        .map_err(|_| not_found())?;
    Ok((planner, document))
}

fn render_edit(
    state: &AppState,
    page: &PageCtx,
    document: &domain::plan::Document,
    rows: &[EditFormRow],
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let next = rows.iter().map(|r| r.position).max().unwrap_or(0) + 10;
    page.render(
        state,
        status,
        "planner_edit.html",
        context! {
            id => document.id.to_string(),
            title => document.title,
            rows => Value::from_serialize(rows),
            new_position => next,
            error => error,
        },
    )
}

async fn edit_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let (planner, document) = match own_document(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let sections = match state
        .consultation()
        .planner_document(&planner.actor, document.id)
        .await
    {
        Ok(loaded) => loaded.sections,
        Err(_) => return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title"),
    };
    let rows: Vec<EditFormRow> = sections
        .into_iter()
        .enumerate()
        .map(|(index, s)| EditFormRow {
            index,
            number: s.number,
            title: s.title,
            level: s.level,
            body: s.body,
            position: i64::try_from(index).unwrap_or(0) * 10 + 10,
            merge_up: false,
            delete: false,
        })
        .collect();
    render_edit(&state, &page, &document, &rows, None, StatusCode::OK)
}

/// Reads `s<i>_<field>` and `new_<field>` pairs into rows; the new row counts only
/// when it has a title or text.
fn parse_edit_form(pairs: &[(String, String)]) -> Vec<EditFormRow> {
    let mut rows: std::collections::BTreeMap<usize, EditFormRow> =
        std::collections::BTreeMap::new();
    const NEW: usize = usize::MAX;
    for (key, value) in pairs {
        let (index, field) = if let Some(rest) = key.strip_prefix("new_") {
            (NEW, rest)
        } else if let Some((index, field)) = key.strip_prefix('s').and_then(|k| k.split_once('_')) {
            match index.parse::<usize>() {
                Ok(i) if i < 5000 => (i, field),
                _ => continue,
            }
        } else {
            continue;
        };
        let row = rows.entry(index).or_insert_with(|| EditFormRow {
            index,
            level: 1,
            ..EditFormRow::default()
        });
        match field {
            "number" => row.number = value.trim().to_owned(),
            "title" => row.title = value.trim().to_owned(),
            "level" => row.level = value.trim().parse().unwrap_or(1),
            "body" => row.body = value.replace("\r\n", "\n"),
            "position" => row.position = value.trim().parse().unwrap_or(i64::MAX),
            "merge_up" => row.merge_up = value == "on" || value == "true",
            "delete" => row.delete = value == "on" || value == "true",
            _ => {}
        }
    }
    if let Some(new) = rows.get(&NEW)
        && new.title.is_empty()
        && new.body.trim().is_empty()
    {
        rows.remove(&NEW);
    }
    rows.into_values().collect()
}

async fn publish_edit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    use domain::version::EditRow;
    let (planner, document) = match own_document(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let rows = parse_edit_form(&pairs);
    let edits = rows
        .iter()
        .map(|row| EditRow {
            section: domain::plan::NewSection {
                number: row.number.clone(),
                title: row.title.clone(),
                level: row.level,
                body: row.body.clone(),
            },
            position: row.position,
            merge_up: row.merge_up,
            delete: row.delete,
        })
        .collect();
    match state
        .consultation()
        .publish_edit(&planner.actor, document.id, edits)
        .await
    {
        Ok(created) => Redirect::to(&format!(
            "/planner/documents/{}/compare?from={}&to={}",
            document.id,
            created.version.number - 1,
            created.version.number
        ))
        .into_response(),
        Err(err) => match super::edit_error_text(page.lang, &err) {
            Some(message) => {
                let status = match err {
                    consultation::documents::DocumentError::VersionConflict => StatusCode::CONFLICT,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                render_edit(&state, &page, &document, &rows, Some(message), status)
            }
            None => {
                tracing::error!(error = %err, "could not publish a version");
                page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
            }
        },
    }
}
