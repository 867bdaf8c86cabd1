//! The planner's plans: the form for a new plan, the plan's page (documents,
//! hearings, milestones) and its milestone forms. A refused form is shown again with
//! what was typed and each error beside its field.

use crate::auth::planner::{Planner, require_planner};
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field, no_errors};
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::plans::{NewPlanCommand, PlanError};
use domain::{Lang, MilestoneId, PlanId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner/plans/new", get(new_plan_form))
        .route("/planner/plans", post(create_plan))
        .route("/planner/plans/{id}", get(plan_page))
        .route("/planner/plans/{id}/milestones", post(add_milestone))
        .route(
            "/planner/plans/{id}/milestones/{milestone}",
            post(mark_milestone),
        )
}

const PLAN_FIELDS: &[Field] = &[
    field("title", "plan-title", "plan-field-title"),
    field("slug", "plan-slug", "plan-field-slug"),
    field("sector", "plan-sector", "plan-field-sector"),
    field("period_start", "plan-start", "plan-field-start"),
    field("period_end", "plan-end", "plan-field-end"),
    field("contact_email", "plan-contact", "plan-field-contact"),
];

const MILESTONE_FIELDS: &[Field] = &[
    field("title", "ms-title", "milestone-field-title"),
    field("due_on", "ms-date", "milestone-field-date"),
];

/// A refusal of a plan's form: the page's status and the errors by field; `None`
/// when the page itself cannot be shown (not found, storage down).
fn form_errors(lang: Lang, fields: &[Field], err: &PlanError) -> Option<(StatusCode, FormErrors)> {
    let text = |id: &str| i18n::t(lang, id);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    Some(match err {
        PlanError::Invalid(e) => (unprocessable, FormErrors::invalid(lang, fields, e)),
        PlanError::InvalidPeriod { field } => (
            unprocessable,
            FormErrors::field(lang, fields, field, text("planner-error-invalid_period")),
        ),
        PlanError::SlugTaken => (
            StatusCode::CONFLICT,
            FormErrors::field(lang, fields, "slug", text("planner-error-slug_taken")),
        ),
        PlanError::InvalidDate => (
            unprocessable,
            FormErrors::field(lang, fields, "due_on", text("planner-error-invalid_date")),
        ),
        PlanError::NotSignedIn
        | PlanError::Forbidden
        | PlanError::PlanNotFound
        | PlanError::MilestoneNotFound
        | PlanError::Db(_) => return None,
    })
}

fn unavailable_or_missing(state: &AppState, page: &PageCtx, err: &PlanError) -> Response {
    if let PlanError::Db(e) = err {
        tracing::error!(error = %e, "could not show a plan");
        return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
    }
    page.error(state, StatusCode::NOT_FOUND, "error-not-found")
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct PlanForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_department: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    case_number: String,
}

async fn new_plan_form(State(state): State<AppState>, page: PageCtx) -> Response {
    if let Err(r) = require_planner(&state, &page).await {
        return r;
    }
    page.render(
        &state,
        StatusCode::OK,
        "planner_new_plan.html",
        context! { form => Value::from_serialize(PlanForm::default()), errors => no_errors() },
    )
}

async fn create_plan(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<PlanForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    // A year that is not a number is outside the period, and said so by its field.
    let year = |v: &str| v.trim().parse::<i32>().unwrap_or(0);
    let command = NewPlanCommand {
        slug: form.slug.trim().to_owned(),
        title: form.title.clone(),
        sector: Some(form.sector.clone()),
        period_start: year(&form.period_start),
        period_end: year(&form.period_end),
        contact_email: Some(form.contact_email.clone()),
        contact_name: Some(form.contact_name.clone()),
        contact_department: Some(form.contact_department.clone()),
        contact_phone: Some(form.contact_phone.clone()),
        case_number: Some(form.case_number.clone()),
    };
    match state
        .consultation()
        .create_plan(&planner.actor, command)
        .await
    {
        Ok(plan) => {
            Redirect::to(&format!("/planner/plans/{}?done=created", plan.id)).into_response()
        }
        Err(err) => match form_errors(page.lang, PLAN_FIELDS, &err) {
            Some((status, errors)) => page.render(
                &state,
                status,
                "planner_new_plan.html",
                context! { form => Value::from_serialize(&form), errors => errors.value() },
            ),
            None => unavailable_or_missing(&state, &page, &err),
        },
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct MilestoneForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_on: String,
}

#[derive(Debug, Default, Deserialize)]
struct PlanQuery {
    /// What the last action did, for the confirmation line.
    done: Option<String>,
}

async fn render_plan(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    plan_id: PlanId,
    notice: Option<&str>,
    milestone: (&MilestoneForm, FormErrors),
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let overview = match state
        .consultation()
        .plan_overview(&planner.actor, plan_id)
        .await
    {
        Ok(o) => o,
        Err(err) => return unavailable_or_missing(state, page, &err),
    };
    let plan = &overview.plan;
    // The plan's meeting plan beside its milestones.
    let meetings = state
        .consultation()
        .workshops_of_plan(&planner.actor, plan.id)
        .await
        .unwrap_or_default();
    let (form, errors) = milestone;
    page.render(
        state,
        status,
        "planner_plan.html",
        context! {
            plan => context! {
                id => plan.id.to_string(),
                title => plan.title,
                slug => plan.slug,
                sector => plan.sector,
                period => format!("{}–{}", plan.period_start, plan.period_end),
                contact_email => plan.contact_email,
            },
            documents => overview.documents.iter()
                .map(|d| context! { id => d.id.to_string(), title => d.title })
                .collect::<Vec<_>>(),
            hearings => overview.hearings.iter()
                .map(|h| context! {
                    id => h.id.to_string(), title => h.title, state => h.state.as_str(),
                    deadline => format_datetime(lang, h.deadline),
                })
                .collect::<Vec<_>>(),
            milestones => overview.milestones.iter()
                .map(|m| context! {
                    id => m.id.to_string(), title => m.title,
                    date => i18n::format_date(lang, m.due_on), done => m.done,
                })
                .collect::<Vec<_>>(),
            meetings => meetings.iter()
                .map(|w| context! {
                    id => w.id.to_string(), title => w.title,
                    when => format_datetime(lang, w.starts_at), cancelled => w.is_cancelled(),
                })
                .collect::<Vec<_>>(),
            notice => notice.map(|n| format!("plan-done-{n}")),
            form => Value::from_serialize(form),
            errors => errors.value(),
        },
    )
}

async fn plan_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<PlanQuery>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(plan_id) = id.parse::<PlanId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let notice = query
        .done
        .as_deref()
        .filter(|d| matches!(*d, "created" | "milestone"));
    let empty = FormErrors::new(page.lang);
    let form = MilestoneForm::default();
    render_plan(
        &state,
        &page,
        &planner,
        plan_id,
        notice,
        (&form, empty),
        StatusCode::OK,
    )
    .await
}

async fn add_milestone(
    State(state): State<AppState>,
    page: PageCtx,
    Path(plan_id): Path<String>,
    Form(form): Form<MilestoneForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(plan_id) = plan_id.parse::<PlanId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match state
        .consultation()
        .add_milestone(&planner.actor, plan_id, &form.title, &form.due_on, false)
        .await
    {
        Ok(_) => Redirect::to(&format!("/planner/plans/{plan_id}?done=milestone")).into_response(),
        Err(err) => match form_errors(page.lang, MILESTONE_FIELDS, &err) {
            Some((status, errors)) => {
                render_plan(
                    &state,
                    &page,
                    &planner,
                    plan_id,
                    None,
                    (&form, errors),
                    status,
                )
                .await
            }
            None => unavailable_or_missing(&state, &page, &err),
        },
    }
}

#[derive(Debug, Deserialize)]
struct DoneForm {
    #[serde(default)]
    done: String,
}

async fn mark_milestone(
    State(state): State<AppState>,
    page: PageCtx,
    Path((plan_id, milestone_id)): Path<(String, String)>,
    Form(form): Form<DoneForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (Ok(plan_id), Ok(milestone_id)) = (
        plan_id.parse::<PlanId>(),
        milestone_id.parse::<MilestoneId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match state
        .consultation()
        .set_milestone_done(&planner.actor, plan_id, milestone_id, form.done == "true")
        .await
    {
        Ok(()) => Redirect::to(&format!("/planner/plans/{plan_id}")).into_response(),
        Err(err) => unavailable_or_missing(&state, &page, &err),
    }
}
