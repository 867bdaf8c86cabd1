//! The workbench's assessment pages: the plan's input register with its filters and
//! themes, the form that registers a letter, the assessment form of one input with
//! its history, and the printable report of a hearing. Every form works without
//! JavaScript and posts to the same use cases as the API.

use super::error_text;
use super::report::{ReportQuery, heading_label, outcome_label, sections_label, sender_label};
use super::workbench_pages::{BulkView, PAGE_KEYS, PageKeys};
use crate::auth::planner::{Planner, require_planner};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::section_label;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::assessment::{
    AssessmentCommand, AssessmentError, InputAssessment, LetterCommand, RegisterQuery, ThemeCommand,
};
use domain::assessment::{
    AssessmentState, Channel, InputContent, InputKind, Outcome, RegisteredInput, SenderKind,
};
use domain::{HearingId, InputId, Lang, PlanId, SectionId, ThemeId};
use http::StatusCode;
use minijinja::{Value, context};
use std::collections::HashMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner/plans/{id}/register", get(register_page))
        .route(
            "/planner/plans/{id}/letters",
            get(letter_page).post(letter_submit),
        )
        .route("/planner/plans/{id}/themes", post(theme_create))
        .route("/planner/plans/{id}/themes/{theme}", post(theme_change))
        .route("/planner/inputs/{id}", get(input_page).post(input_save))
        .route("/planner/inputs/{id}/review", post(input_review))
        .route("/planner/inputs/{id}/publish", post(input_publish))
        .route("/planner/hearings/{id}/report", get(report_page))
        .route(
            "/planner/hearings/{id}/assessments/publish",
            post(publish_hearing),
        )
}

/// The characters of an input the register shows.
const EXCERPT_CHARS: usize = 240;

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

fn not_found(state: &AppState, page: &PageCtx) -> Response {
    page.error(state, StatusCode::NOT_FOUND, "error-not-found")
}

/// The signed-in planner and the id in the path; a malformed id is not found.
pub(super) async fn planner_with_id(
    state: &AppState,
    page: &PageCtx,
    raw: &str,
) -> Result<(Planner, Uuid), Response> {
    let planner = require_planner(state, page).await?;
    match raw.parse() {
        Ok(id) => Ok((planner, id)),
        Err(_) => Err(not_found(state, page)),
    }
}

/// A refusal shown on the page it came from, or the not-found page for the unknown.
pub(super) fn refusal(state: &AppState, page: &PageCtx, err: &AssessmentError) -> Option<Response> {
    match err {
        AssessmentError::PlanNotFound
        | AssessmentError::HearingNotFound
        | AssessmentError::InputNotFound
        | AssessmentError::ThemeNotFound
        | AssessmentError::NotSignedIn => Some(not_found(state, page)),
        AssessmentError::Db(e) => {
            tracing::error!(error = %e, "assessment storage failed");
            Some(page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title"))
        }
        _ => None,
    }
}

pub(super) fn message(lang: Lang, err: &AssessmentError) -> String {
    match err {
        AssessmentError::Invalid(e) => i18n::catalog().message(
            lang,
            "assessment-error-field",
            &[(
                "field",
                i18n::t(lang, &format!("assessment-field-{}", e.field)).into(),
            )],
        ),
        other => error_text(lang, other),
    }
}

/// The query string as pairs, without the keys every page understands (the
/// language switch), the confirmation of the last action and the register page's
/// own keys (see `PageKeys`).
fn query_pairs(raw: Option<String>) -> (Vec<(String, String)>, Option<String>) {
    let all: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
    let done = all
        .iter()
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v.clone());
    let pairs = all
        .into_iter()
        .filter(|(k, _)| k != "lang" && k != "done" && !PAGE_KEYS.contains(&k.as_str()))
        .collect();
    (pairs, done)
}

/// The label of each section ("3.1 Roller og ansvar"), by id.
pub(super) fn section_labels(
    lang: Lang,
    sections: &[consultation::assessment::SectionRef],
) -> HashMap<SectionId, String> {
    sections
        .iter()
        .map(|s| {
            (
                s.section.id,
                section_label(lang, &s.section.number, &s.section.title),
            )
        })
        .collect()
}

pub(super) fn input_row(
    lang: Lang,
    input: &RegisteredInput,
    sections: &HashMap<SectionId, String>,
) -> Value {
    let e = &input.entry;
    let (from, organisation) = input.sender();
    let reply_to = match &input.content {
        InputContent::Comment {
            parent: Some(p), ..
        } => Some(excerpt(&p.body)),
        _ => None,
    };
    let linked = if e.assessment.section_ids.is_empty() {
        &e.input_section_ids
    } else {
        &e.assessment.section_ids
    };
    context! {
        id => e.id.to_string(),
        number => e.number,
        kind => e.kind.as_str(),
        from => from,
        organisation => organisation,
        excerpt => excerpt(input.text()),
        reply_to => reply_to,
        late => e.late,
        received => format_datetime(lang, e.received_at),
        sections => linked.iter().filter_map(|id| sections.get(id).cloned()).collect::<Vec<_>>(),
        state => e.assessment.state.as_str(),
        outcome => e.assessment.outcome.map(|o| o.as_str()),
        themes => e.assessment.themes.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
    }
}

fn option_list<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

async fn register_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    render_register(
        &state,
        &page,
        &planner,
        id,
        raw_query,
        BulkView::default(),
        StatusCode::OK,
    )
    .await
}

/// The register page with its filters from the query string, and the bulk form as
/// `bulk` left it (refused, it shows what was typed and why).
pub(super) async fn render_register(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    id: Uuid,
    raw_query: Option<String>,
    bulk: BulkView,
    mut status: StatusCode,
) -> Response {
    let (pairs, done) = query_pairs(raw_query.clone());
    let extras = PageKeys::of(raw_query.as_deref());
    let (query, error) = match RegisterQuery::parse(&pairs) {
        Ok(q) => (q, None),
        Err(err) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            (
                RegisterQuery::parse(&[]).unwrap_or_default(),
                Some(message(page.lang, &err)),
            )
        }
    };
    let service = state.consultation();
    let found = match service
        .plan_register(&planner.actor, PlanId(id), &query)
        .await
    {
        Ok(found) => found,
        Err(err) => {
            return refusal(state, page, &err).unwrap_or_else(|| not_found(state, page));
        }
    };
    let around = match service
        .register_surroundings(&planner.actor, PlanId(id))
        .await
    {
        Ok(around) => around,
        Err(err) => {
            return refusal(state, page, &err).unwrap_or_else(|| not_found(state, page));
        }
    };
    let lang = page.lang;
    let labels = section_labels(lang, &found.sections);
    let hearing_titles: HashMap<HearingId, &str> = found
        .hearings
        .iter()
        .map(|h| (h.id, h.title.as_str()))
        .collect();
    let next_url = found.next_after.map(|after| {
        let mut next: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "after")
            .cloned()
            .collect();
        next.push(("after".into(), after.to_string()));
        format!(
            "/planner/plans/{id}/register?{}",
            serde_urlencoded::to_string(&next).unwrap_or_default()
        )
    });
    let rows = super::workbench_pages::register_rows(
        lang,
        &found.inputs,
        &labels,
        &around.planners,
        extras.select_all,
        &bulk.selected,
    );
    page.render(
        state,
        status,
        "planner_register.html",
        context! {
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title.clone() },
            inputs => rows,
            total => found.total,
            next_url => next_url,
            hearings => found.hearings.iter().map(|h| context! { id => h.id.to_string(), title => h.title.clone() }).collect::<Vec<_>>(),
            sections => found.sections.iter().map(|s| context! {
                id => s.section.id.to_string(),
                label => format!("{} – {}", labels.get(&s.section.id).cloned().unwrap_or_default(), hearing_titles.get(&s.hearing_id).copied().unwrap_or_default()),
            }).collect::<Vec<_>>(),
            kinds => option_list(InputKind::ALL, InputKind::as_str),
            states => option_list(AssessmentState::ALL, AssessmentState::as_str),
            outcomes => option_list(Outcome::ALL, Outcome::as_str),
            themes => found.themes.iter().map(|t| context! { id => t.id.to_string(), name => t.name.clone() }).collect::<Vec<_>>(),
            filter => context! {
                hearing => query.hearing.map(|h| h.to_string()).unwrap_or_default(),
                section => query.section.map(|s| s.to_string()).unwrap_or_default(),
                kind => query.kind.map(|k| k.as_str()).unwrap_or_default(),
                state => query.state.map(|s| s.as_str()).unwrap_or_default(),
                late => query.late.map(|l| if l { "true" } else { "false" }).unwrap_or_default(),
                q => query.q.clone(),
                sort => if query.descending { "-number" } else { "number" },
                ..super::workbench_pages::filter_values(&query)
            },
            error => error,
            letter_number => done.as_deref().and_then(|d| d.strip_prefix("letter-")).and_then(|n| n.parse::<i32>().ok()),
            done => done,
            ..super::workbench_pages::register_context(id, &pairs, &around, &extras, bulk)
        },
    )
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
struct LetterForm {
    sender_name: String,
    sender_kind: String,
    channel: String,
    received_on: String,
    text: String,
    hearing_id: String,
    sender_contact: String,
}

async fn render_letter_form(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    plan: PlanId,
    form: &LetterForm,
    error: Option<(String, &'static str)>,
    status: StatusCode,
) -> Response {
    // The register's first page gives the plan and its hearings, checked the same way.
    let found = match state
        .consultation()
        .plan_register(
            &planner.actor,
            plan,
            &RegisterQuery {
                limit: 1,
                ..RegisterQuery::default()
            },
        )
        .await
    {
        Ok(found) => found,
        Err(err) => return refusal(state, page, &err).unwrap_or_else(|| not_found(state, page)),
    };
    let today = state
        .consultation()
        .now()
        .to_zoned(domain::deadline::oslo())
        .date()
        .to_string();
    let (error, error_field) = match error {
        Some((message, field)) => (Some(message), Some(field)),
        None => (None, None),
    };
    page.render(
        state,
        status,
        "planner_letter.html",
        context! {
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title.clone() },
            hearings => found.hearings.iter().map(|h| context! { id => h.id.to_string(), title => h.title.clone() }).collect::<Vec<_>>(),
            channels => option_list(Channel::ALL, Channel::as_str),
            sender_kinds => option_list(SenderKind::ALL, SenderKind::as_str),
            form => form,
            today => today,
            max_chars => domain::assessment::MAX_LETTER_CHARS,
            error => error,
            error_field => error_field,
        },
    )
}

async fn letter_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let form = LetterForm {
        sender_kind: "person".into(),
        channel: "letter".into(),
        ..LetterForm::default()
    };
    render_letter_form(
        &state,
        &page,
        &planner,
        PlanId(id),
        &form,
        None,
        StatusCode::OK,
    )
    .await
}

/// The form field a refusal of a letter concerns, for the message beside it.
fn letter_field(err: &AssessmentError) -> &'static str {
    match err {
        AssessmentError::InvalidDate | AssessmentError::ReceivedInFuture => "received_on",
        AssessmentError::HearingNotInPlan => "hearing_id",
        AssessmentError::UnknownValue { field, .. } => field,
        AssessmentError::Invalid(e) => e.field,
        _ => "text",
    }
}

async fn letter_submit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(form): Form<LetterForm>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let hearing_id = match form.hearing_id.trim() {
        "" => None,
        value => match value.parse() {
            Ok(h) => Some(HearingId(h)),
            Err(_) => {
                let err = AssessmentError::HearingNotInPlan;
                let shown = (message(page.lang, &err), "hearing_id");
                return render_letter_form(
                    &state,
                    &page,
                    &planner,
                    PlanId(id),
                    &form,
                    Some(shown),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let command = LetterCommand {
        sender_name: form.sender_name.clone(),
        sender_kind: form.sender_kind.clone(),
        channel: form.channel.clone(),
        received_on: form.received_on.clone(),
        text: form.text.clone(),
        hearing_id,
        sender_contact: form.sender_contact.clone(),
    };
    match state
        .consultation()
        .register_letter(&planner.actor, &planner.who, PlanId(id), command)
        .await
    {
        Ok(letter) => Redirect::to(&format!(
            "/planner/plans/{id}/register?done=letter-{}",
            letter.number
        ))
        .into_response(),
        Err(err) => match refusal(&state, &page, &err) {
            Some(response) => response,
            None => {
                let shown = (message(page.lang, &err), letter_field(&err));
                render_letter_form(
                    &state,
                    &page,
                    &planner,
                    PlanId(id),
                    &form,
                    Some(shown),
                    super::status(&err),
                )
                .await
            }
        },
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ThemeForm {
    name: String,
    /// `rename` or `merge`.
    action: String,
    into: String,
}

async fn theme_create(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(form): Form<ThemeForm>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    theme_result(
        &state,
        &page,
        id,
        state
            .consultation()
            .change_theme(
                &planner.actor,
                PlanId(id),
                ThemeCommand::Create { name: form.name },
            )
            .await,
    )
}

async fn theme_change(
    State(state): State<AppState>,
    page: PageCtx,
    Path((raw, theme)): Path<(String, String)>,
    Form(form): Form<ThemeForm>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Ok(theme) = theme.parse().map(ThemeId) else {
        return not_found(&state, &page);
    };
    let command = match form.action.as_str() {
        "merge" => match form.into.parse() {
            Ok(into) => ThemeCommand::Merge {
                from: theme,
                into: ThemeId(into),
            },
            Err(_) => return not_found(&state, &page),
        },
        _ => ThemeCommand::Rename {
            theme,
            name: form.name,
        },
    };
    theme_result(
        &state,
        &page,
        id,
        state
            .consultation()
            .change_theme(&planner.actor, PlanId(id), command)
            .await,
    )
}

fn theme_result(
    state: &AppState,
    page: &PageCtx,
    plan: Uuid,
    result: Result<domain::assessment::Theme, AssessmentError>,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("/planner/plans/{plan}/register?done=theme#themes"))
            .into_response(),
        Err(err) => refusal(state, page, &err).unwrap_or_else(|| {
            // Shown on a page of its own with the way back, in the reader's language.
            page.render(
                state,
                super::status(&err),
                "planner_assessment_error.html",
                context! {
                    message => message(page.lang, &err),
                    back => format!("/planner/plans/{plan}/register#themes"),
                },
            )
        }),
    }
}

/// The assessment form's fields as they were typed (sections and themes repeat).
#[derive(Debug, Default, Clone, serde::Serialize)]
struct AssessmentForm {
    summary: String,
    outcome: String,
    response: String,
    change: String,
    change_section_id: String,
    section_ids: Vec<String>,
    theme_ids: Vec<String>,
}

impl AssessmentForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> AssessmentForm {
        let mut form = AssessmentForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "summary" => form.summary = value,
                "outcome" => form.outcome = value,
                "response" => form.response = value,
                "change" => form.change = value,
                "change_section_id" => form.change_section_id = value,
                "section_ids" => form.section_ids.push(value),
                "theme_ids" => form.theme_ids.push(value),
                _ => {}
            }
        }
        form
    }

    fn of(found: &InputAssessment) -> AssessmentForm {
        let a = &found.input.entry.assessment;
        let sections = if a.section_ids.is_empty() {
            &found.input.entry.input_section_ids
        } else {
            &a.section_ids
        };
        AssessmentForm {
            summary: a.summary.clone(),
            outcome: a.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            response: a.response.clone(),
            change: a.change.clone(),
            change_section_id: a
                .change_section_id
                .map(|s| s.to_string())
                .unwrap_or_default(),
            section_ids: sections.iter().map(ToString::to_string).collect(),
            theme_ids: a.themes.iter().map(|t| t.id.to_string()).collect(),
        }
    }

    /// `None` when an id is not an id at all.
    fn command(&self) -> Option<AssessmentCommand> {
        Some(AssessmentCommand {
            summary: self.summary.clone(),
            outcome: self.outcome.clone(),
            response: self.response.clone(),
            change: self.change.clone(),
            change_section_id: match self.change_section_id.trim() {
                "" => None,
                id => Some(SectionId(id.parse().ok()?)),
            },
            section_ids: self
                .section_ids
                .iter()
                .map(|s| s.parse().map(SectionId).ok())
                .collect::<Option<_>>()?,
            theme_ids: self
                .theme_ids
                .iter()
                .map(|s| s.parse().map(ThemeId).ok())
                .collect::<Option<_>>()?,
        })
    }
}

/// What the input page shows besides the input: the form as typed, an error or a
/// confirmation, and the status.
struct Shown<'a> {
    typed: Option<&'a AssessmentForm>,
    error: Option<String>,
    done: Option<&'a str>,
    status: StatusCode,
}

async fn render_input(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    id: InputId,
    shown: Shown<'_>,
) -> Response {
    let Shown {
        typed,
        error,
        done,
        status,
    } = shown;
    let found = match state
        .consultation()
        .input_assessment(&planner.actor, id)
        .await
    {
        Ok(found) => found,
        Err(err) => return refusal(state, page, &err).unwrap_or_else(|| not_found(state, page)),
    };
    let lang = page.lang;
    let form = typed.cloned().unwrap_or_else(|| AssessmentForm::of(&found));
    let labels: HashMap<SectionId, String> = found
        .sections
        .iter()
        .map(|s| {
            (
                s.section.id,
                section_label(lang, &s.section.number, &s.section.title),
            )
        })
        .collect();
    let input = &found.input;
    let e = &input.entry;
    let a = &e.assessment;
    let history: Vec<Value> = found
        .history
        .iter()
        .rev()
        .map(|c| {
            context! {
                when => format_datetime(lang, c.at),
                who => c.actor_name.clone(),
                action => c.action.as_str(),
                fields => c.fields.iter().map(|f| context! {
                    field => f.field.clone(),
                    before => excerpt(&f.before),
                    after => excerpt(&f.after),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    page.render(
        state,
        status,
        "planner_input.html",
        context! {
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title.clone() },
            input => input_row(lang, input, &labels),
            text => input.text(),
            reply_to => match &input.content {
                InputContent::Comment { parent: Some(p), .. } => Some(p.body.clone()),
                _ => None,
            },
            assessment => context! {
                state => a.state.as_str(),
                drafted_by => a.drafted_by.clone(),
                drafted_at => a.drafted_at.map(|t| format_datetime(lang, t)),
                reviewed_by => a.reviewed_by.clone(),
                reviewed_at => a.reviewed_at.map(|t| format_datetime(lang, t)),
                published_at => a.published_at.map(|t| format_datetime(lang, t)),
            },
            form => &form,
            outcomes => option_list(Outcome::ALL, Outcome::as_str),
            sections => found.sections.iter().map(|s| context! {
                id => s.section.id.to_string(),
                label => labels.get(&s.section.id).cloned().unwrap_or_default(),
                checked => form.section_ids.contains(&s.section.id.to_string()),
            }).collect::<Vec<_>>(),
            change_places => found.change_places.iter().map(|p| context! {
                id => p.section_id.to_string(),
                document => p.document_title.clone(),
                version => p.version,
                label => section_label(lang, &p.number, &p.title),
                selected => form.change_section_id == p.section_id.to_string(),
            }).collect::<Vec<_>>(),
            change_place => found.change_place().map(|p| context! {
                document => p.document_title.clone(),
                version => p.version,
                label => section_label(lang, &p.number, &p.title),
                href => super::api::compare_href(p),
            }),
            themes => found.themes.iter().map(|t| context! {
                id => t.id.to_string(),
                name => t.name.clone(),
                checked => form.theme_ids.contains(&t.id.to_string()),
            }).collect::<Vec<_>>(),
            history => history,
            error => error,
            done => done,
        },
    )
}

async fn input_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let (_, done) = query_pairs(raw_query);
    render_input(
        &state,
        &page,
        &planner,
        InputId(id),
        Shown {
            typed: None,
            error: None,
            done: done.as_deref(),
            status: StatusCode::OK,
        },
    )
    .await
}

async fn input_save(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let form = AssessmentForm::from_pairs(pairs);
    let Some(command) = form.command() else {
        return not_found(&state, &page);
    };
    match state
        .consultation()
        .save_assessment(&planner.actor, &planner.who, InputId(id), command)
        .await
    {
        Ok(_) => Redirect::to(&format!("/planner/inputs/{id}?done=saved")).into_response(),
        Err(err) => match refusal(&state, &page, &err) {
            Some(response) => response,
            None => {
                let text = message(page.lang, &err);
                render_input(
                    &state,
                    &page,
                    &planner,
                    InputId(id),
                    Shown {
                        typed: Some(&form),
                        error: Some(text),
                        done: None,
                        status: super::status(&err),
                    },
                )
                .await
            }
        },
    }
}

async fn step(state: AppState, page: PageCtx, raw: String, publish: bool) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let service = state.consultation();
    let result = if publish {
        service
            .publish_assessment(&planner.actor, &planner.who, InputId(id))
            .await
    } else {
        service
            .review_assessment(&planner.actor, &planner.who, InputId(id))
            .await
    };
    match result {
        Ok(_) => Redirect::to(&format!(
            "/planner/inputs/{id}?done={}",
            if publish { "published" } else { "reviewed" }
        ))
        .into_response(),
        Err(err) => match refusal(&state, &page, &err) {
            Some(response) => response,
            None => {
                let text = message(page.lang, &err);
                render_input(
                    &state,
                    &page,
                    &planner,
                    InputId(id),
                    Shown {
                        typed: None,
                        error: Some(text),
                        done: None,
                        status: super::status(&err),
                    },
                )
                .await
            }
        },
    }
}

async fn input_review(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
) -> Response {
    step(state, page, raw, false).await
}

async fn input_publish(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
) -> Response {
    step(state, page, raw, true).await
}

async fn report_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let (pairs, done) = query_pairs(raw_query);
    let lang = page.lang;
    // `published-<assessments>-<emails>`, from the publish form's redirect.
    let published = done.as_deref().and_then(|d| {
        let mut parts = d.strip_prefix("published-")?.splitn(2, '-');
        let count: u32 = parts.next()?.parse().ok()?;
        let emails: u32 = parts.next()?.parse().ok()?;
        Some(i18n::catalog().message(
            lang,
            "publish-done",
            &[("count", count.into()), ("emails", emails.into())],
        ))
    });
    let query = match ReportQuery::parse(&pairs) {
        Ok(q) => q,
        Err(err) => {
            return page.render(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "planner_assessment_error.html",
                context! { message => message(lang, &err), back => format!("/planner/hearings/{id}/report") },
            );
        }
    };
    let report = match state
        .consultation()
        .hearing_report(&planner.actor, HearingId(id), query.options)
        .await
    {
        Ok(report) => report,
        Err(err) => {
            return refusal(&state, &page, &err).unwrap_or_else(|| not_found(&state, &page));
        }
    };
    let options = format!(
        "group_by={}&anonymise={}&lang={}",
        query.options.group_by.as_str(),
        query.options.anonymise,
        lang.code()
    );
    let groups: Vec<Value> = report
        .groups
        .iter()
        .map(|g| {
            context! {
                heading => heading_label(lang, &g.heading),
                rows => g.rows.iter().map(|r| context! {
                    number => r.number,
                    from => sender_label(lang, r),
                    summary => r.summary.clone(),
                    text => excerpt(&r.text),
                    outcome => outcome_label(lang, r.outcome),
                    response => r.response.clone(),
                    change => r.change.clone(),
                    sections => sections_label(r),
                    state => r.state.as_str(),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    page.render(
        &state,
        StatusCode::OK,
        "planner_report.html",
        context! {
            hearing => context! { id => report.hearing.id.to_string(), title => report.hearing.title.clone() },
            plan => context! { id => report.plan.id.to_string(), title => report.plan.title.clone() },
            generated => format_datetime(lang, report.generated_at),
            anonymise => query.options.anonymise,
            published => published,
            group_by => query.options.group_by.as_str(),
            totals => report.totals.iter().map(|t| context! {
                outcome => outcome_label(lang, t.outcome),
                count => t.count,
            }).collect::<Vec<_>>(),
            groups => groups,
            summaries => report.summaries.iter().map(|s| context! {
                subject => super::report::summary_subject_label(lang, &s.subject),
                approved_by => s.approved_by.clone(),
                approved_at => format_datetime(lang, s.approved_at),
                points => s.points.iter().map(|p| context! {
                    text => p.text.clone(),
                    id => p.input.id.to_string(),
                    number => p.input.number,
                    shared_by => p.shared_by,
                }).collect::<Vec<_>>(),
            }).collect::<Vec<_>>(),
            docx_url => format!("/api/v1/hearings/{id}/report.docx?{options}"),
            csv_url => format!("/api/v1/hearings/{id}/report.csv?{options}"),
            csv_semicolon_url => format!("/api/v1/hearings/{id}/report.csv?{options}&separator=semicolon"),
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
struct PublishForm {
    #[serde(default)]
    confirm_unreviewed: Option<String>,
}

/// Publishes the hearing's reviewed assessments; when some inputs are not
/// reviewed, a page names them and asks the planner to confirm first.
async fn publish_hearing(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(form): Form<PublishForm>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let confirmed = form.confirm_unreviewed.as_deref() == Some("true");
    let result = state
        .consultation()
        .publish_hearing_assessments(&planner.actor, &planner.who, HearingId(id), confirmed)
        .await;
    let lang = page.lang;
    match result {
        Ok(batch) => Redirect::to(&format!(
            "/planner/hearings/{id}/report?done=published-{}-{}",
            batch.published.len(),
            batch.emails
        ))
        .into_response(),
        Err(AssessmentError::Unreviewed(list)) => page.render(
            &state,
            StatusCode::CONFLICT,
            "planner_publish_confirm.html",
            context! {
                hearing_id => id.to_string(),
                count => list.len(),
                unreviewed => list.iter().map(|u| context! {
                    id => u.id.to_string(),
                    number => u.number,
                    state => i18n::t(lang, &format!("assessment-state-{}", u.state.as_str())),
                }).collect::<Vec<_>>(),
            },
        ),
        Err(err) => refusal(&state, &page, &err).unwrap_or_else(|| {
            page.render(
                &state,
                super::status(&err),
                "planner_assessment_error.html",
                context! { message => message(lang, &err), back => format!("/planner/hearings/{id}/report") },
            )
        }),
    }
}
