//! The planner's workbench: the municipality's plans and hearings, and creating a
//! hearing with the deadline rules. The hearing's own page is in `workbench_page.rs`,
//! its live rows in `workbench_live.rs`. Forms call the same use cases as the JSON
//! API; a refused form is shown again with what was typed and each error beside its
//! field.

use super::workbench_live as live;
use super::workbench_page as hearing_page;
use crate::auth::planner::{Planner, require_planner};
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field, no_errors};
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::hearings::{HearingError, NewHearingCommand};
use domain::Lang;
use domain::deadline::DeadlineError;
use domain::hearing::Hearing;
use domain::policy::Actor;
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner", get(overview))
        .route("/planner/hearings/new", get(new_hearing_form))
        .route("/planner/hearings", post(create_hearing))
        .route("/planner/hearings/{id}", get(hearing_page::hearing))
        .route("/planner/hearings/{id}/state", post(hearing_page::change))
        .route("/planner/hearings/{id}/extend", post(hearing_page::extend))
        .route(
            "/planner/hearings/{id}/screening",
            post(hearing_page::screening),
        )
        .route(
            "/planner/hearings/{id}/edit",
            post(hearing_page::edit_draft),
        )
        .route(
            "/planner/hearings/{id}/reminders",
            post(super::workbench_reminders::set_reminders),
        )
        .route(
            "/planner/hearings/{id}/reminders/send",
            post(super::workbench_reminders::send_reminders),
        )
        .route(
            "/planner/hearings/{id}/rows/inputs/{comment}",
            get(live::input_row),
        )
        .route(
            "/planner/hearings/{id}/rows/responses/{response}",
            get(live::response_row),
        )
}

pub(super) fn hearing_row(lang: Lang, h: &Hearing) -> Value {
    context! {
        id => h.id.to_string(),
        title => h.title,
        state => h.state.as_str(),
        deadline => format_datetime(lang, h.deadline),
        opens => format_datetime(lang, h.opens_at),
    }
}

/// A hearing's use case refused a form: the page's status and the errors by field
/// (`period_field` is where a refused period is told: the deadline or the weeks);
/// `None` when the page itself cannot be shown (not found, storage down).
pub(super) fn form_errors(
    lang: Lang,
    fields: &[Field],
    period_field: &str,
    err: &HearingError,
) -> Option<(StatusCode, FormErrors)> {
    let text = |id: &str| i18n::t(lang, id);
    let on = |name: &str, message: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::field(lang, fields, name, message),
        )
    };
    Some(match err {
        HearingError::Invalid(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::invalid(lang, fields, e),
        ),
        HearingError::UnknownDocumentVersion => on(
            "document_version_id",
            text("planner-error-unknown_document_version"),
        ),
        HearingError::InvalidKind => on("kind", text("planner-error-invalid_kind")),
        HearingError::InvalidAudience => on("audience", text("planner-error-invalid_audience")),
        HearingError::InvalidDate(name) => on(name, text("planner-error-invalid_date")),
        HearingError::AmbiguousDeadline | HearingError::UnknownTimeZone(_) => {
            on("deadline_on", text("planner-error-ambiguous_deadline"))
        }
        HearingError::Deadline(e) => {
            let name = match e {
                DeadlineError::DeadlineBeforeOpening => "deadline_on",
                DeadlineError::WeeksOutOfRange { .. } | DeadlineError::TooShortForPbl { .. } => {
                    period_field
                }
            };
            on(name, super::deadline::error_message(lang, e))
        }
        HearingError::EarlyCloseNeedsReason => {
            on("reason", text("planner-error-early_close_needs_reason"))
        }
        HearingError::NotADraft => (
            StatusCode::CONFLICT,
            FormErrors::general(lang, text("planner-error-not_a_draft")),
        ),
        HearingError::InvalidTransition { .. } => (
            StatusCode::CONFLICT,
            FormErrors::general(lang, text("planner-error-invalid_transition")),
        ),
        HearingError::NotSignedIn
        | HearingError::Forbidden
        | HearingError::NotFound
        | HearingError::Db(_) => return None,
    })
}

async fn overview(State(state): State<AppState>, page: PageCtx) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = page.lang;
    let loaded = state
        .consultation()
        .planner_overview(&planner.actor)
        .await
        .map(|(municipality, plans)| {
            let plans: Vec<Value> = plans
                .into_iter()
                .map(|p| context! {
                    id => p.plan.id.to_string(),
                    title => p.plan.title,
                    period => format!("{}–{}", p.plan.period_start, p.plan.period_end),
                    documents => p.documents
                        .iter()
                        .map(|d| context! { id => d.id.to_string(), title => d.title })
                        .collect::<Vec<_>>(),
                    hearings => p.hearings.iter().map(|h| hearing_row(lang, h)).collect::<Vec<_>>(),
                })
                .collect();
            (municipality, plans)
        });
    match loaded {
        Ok((municipality, plans)) => page.render(
            &state,
            StatusCode::OK,
            "planner.html",
            context! {
                municipality => municipality.name,
                plans => plans,
                administrator => planner.actor.roles.iter().any(|r| matches!(r, domain::policy::Role::Administrator { .. })),
            },
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not load the workbench");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// A document version a hearing can be opened on (the newest of each document), with
/// its plan's contact address for the hearing's contact.
struct VersionChoice {
    id: String,
    label: String,
    plan_id: String,
    contact_email: Option<String>,
}

async fn version_choices(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<VersionChoice>, consultation::plans::PlanError> {
    Ok(state
        .consultation()
        .version_choices(actor)
        .await?
        .into_iter()
        .map(|c| VersionChoice {
            id: c.version.id.to_string(),
            label: format!(
                "{} – {} ({})",
                c.plan.title, c.document.title, c.version.number
            ),
            plan_id: c.plan.id.to_string(),
            contact_email: c.plan.contact_email.clone(),
        })
        .collect())
}

const NEW_HEARING_FIELDS: &[Field] = &[
    field("document_version_id", "version", "planner-field-document"),
    field("title", "title", "planner-field-title"),
    field("announcement", "announcement", "planner-field-announcement"),
    field("kind", "kind-pbl", "planner-field-kind"),
    field("audience", "audience-public", "planner-field-audience"),
    field("opens_on", "opens", "planner-field-opens"),
    field("weeks", "weeks", "planner-field-weeks"),
    field("deadline_on", "deadline", "planner-field-deadline"),
    field("override_reason", "override", "planner-field-override"),
    field("contact_name", "contact-name", "planner-field-contact-name"),
    field(
        "contact_email",
        "contact-email",
        "planner-field-contact-email",
    ),
];

#[derive(Debug, Default, Deserialize, Serialize)]
struct HearingForm {
    #[serde(default)]
    document_version_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    announcement: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    deadline_on: String,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_email: String,
}

async fn render_form(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    form: &HearingForm,
    errors: Value,
    status: StatusCode,
) -> Response {
    match version_choices(state, &planner.actor).await {
        Ok(versions) => page.render(
            state,
            status,
            "planner_new_hearing.html",
            context! {
                versions => versions.iter()
                    .map(|v| context! { id => v.id, label => v.label })
                    .collect::<Vec<_>>(),
                form => Value::from_serialize(form),
                errors => errors,
            },
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not list documents");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct NewHearingQuery {
    /// The plan the hearing is for (from the plan's page): its newest document is
    /// chosen and its contact address filled in.
    plan: Option<String>,
}

async fn new_hearing_form(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<NewHearingQuery>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let choices = version_choices(&state, &planner.actor)
        .await
        .unwrap_or_default();
    // What the planner entered before is not asked for again (WCAG 3.3.7): the
    // plan's contact address and the planner's own name.
    let chosen = choices
        .iter()
        .find(|c| Some(&c.plan_id) == query.plan.as_ref())
        .or(choices.first());
    let me = page.signed_in.as_ref().map(|s| &s.person);
    let form = HearingForm {
        document_version_id: chosen.map(|c| c.id.clone()).unwrap_or_default(),
        kind: "pbl".into(),
        audience: "public".into(),
        weeks: "6".into(),
        opens_on: jiff::Timestamp::now()
            .to_zoned(domain::deadline::oslo())
            .date()
            .to_string(),
        contact_name: me.map(|p| p.name.clone()).unwrap_or_default(),
        contact_email: chosen
            .and_then(|c| c.contact_email.clone())
            .or_else(|| me.map(|p| p.email.clone()))
            .unwrap_or_default(),
        ..HearingForm::default()
    };
    render_form(&state, &page, &planner, &form, no_errors(), StatusCode::OK).await
}

pub(super) fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

async fn create_hearing(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<HearingForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = page.lang;
    let refuse =
        |name: &str, id: &str| FormErrors::field(lang, NEW_HEARING_FIELDS, name, i18n::t(lang, id));
    let parsed = (|| {
        let version = uuid::Uuid::parse_str(form.document_version_id.trim()).map_err(|_| {
            refuse(
                "document_version_id",
                "planner-error-unknown_document_version",
            )
        })?;
        // A chosen last day wins over the number of weeks.
        let deadline_on = non_empty(&form.deadline_on);
        let weeks = match (&deadline_on, non_empty(&form.weeks)) {
            (Some(_), _) | (None, None) => None,
            (None, Some(w)) => Some(
                w.parse::<u32>()
                    .map_err(|_| refuse("weeks", "planner-error-weeks_out_of_range"))?,
            ),
        };
        Ok::<_, FormErrors>(NewHearingCommand {
            document_version_id: version,
            title: form.title.clone(),
            announcement: non_empty(&form.announcement),
            kind: non_empty(&form.kind),
            audience: non_empty(&form.audience),
            opens_on: non_empty(&form.opens_on),
            weeks,
            deadline_on,
            time_zone: None,
            override_reason: non_empty(&form.override_reason),
            contact_name: non_empty(&form.contact_name),
            contact_email: non_empty(&form.contact_email),
        })
    })();
    let command = match parsed {
        Ok(command) => command,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_form(&state, &page, &planner, &form, errors.value(), status).await;
        }
    };
    let period_field = if command.deadline_on.is_some() {
        "deadline_on"
    } else {
        "weeks"
    };
    match state
        .consultation()
        .create_hearing(&planner.actor, planner.who.clone(), command)
        .await
    {
        Ok((hearing, _)) => {
            Redirect::to(&format!("/planner/hearings/{}", hearing.id)).into_response()
        }
        Err(err) => match form_errors(lang, NEW_HEARING_FIELDS, period_field, &err) {
            Some((status, errors)) => {
                render_form(&state, &page, &planner, &form, errors.value(), status).await
            }
            None if matches!(err, HearingError::Db(_)) => {
                tracing::error!(error = %err, "could not create a hearing");
                page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
            }
            None => page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
        },
    }
}
