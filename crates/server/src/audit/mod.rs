//! The audit log for administrators: a page in the administration area
//! (`/admin/audit`, filtered by kind, actor, plan and dates, paged) and the same as
//! JSON (`GET /api/v1/audit`).

use crate::auth::CurrentActor;
use crate::auth::planner::require_planner;
use crate::error::{ApiError, ApiQuery};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use consultation::AuditFilter;
use consultation::audit::{AuditError, AuditPage, audited_municipality};
use domain::audit::AuditKind;
use domain::{Lang, PersonId, PlanId};
use http::StatusCode;
use minijinja::context;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(page))
        .route("/api/v1/audit", get(api))
}

/// The filter as asked for, kept to fill the form again.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct Asked {
    kind: String,
    actor: String,
    plan: String,
    from: String,
    to: String,
    page: u64,
}

/// Why a filter was refused: the field and a message id.
struct BadFilter(&'static str, &'static str);

fn oslo_day_start(date: jiff::civil::Date) -> Option<jiff::Timestamp> {
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").ok()?;
    date.to_zoned(tz).ok().map(|z| z.timestamp())
}

/// Reads the query (only known keys; empty values are "any"). The actor is an
/// email address or a person's id.
async fn parse(
    state: &AppState,
    pairs: &[(String, String)],
) -> Result<(Asked, AuditFilter), BadFilter> {
    let mut asked = Asked {
        page: 1,
        ..Asked::default()
    };
    let mut filter = AuditFilter::default();
    for (key, value) in pairs {
        let value = value.trim();
        match key.as_str() {
            "kind" => asked.kind = value.to_owned(),
            "actor" => asked.actor = value.to_owned(),
            "plan" => asked.plan = value.to_owned(),
            "from" => asked.from = value.to_owned(),
            "to" => asked.to = value.to_owned(),
            // The reader's language, read by the page context.
            "lang" => {}
            "page" => {
                asked.page = value
                    .parse::<u64>()
                    .ok()
                    .filter(|p| (1..=1_000_000).contains(p))
                    .ok_or(BadFilter("page", "audit-error-page"))?;
            }
            _ => return Err(BadFilter("query", "audit-error-key")),
        }
    }
    if !asked.kind.is_empty() {
        filter.kind =
            Some(AuditKind::parse(&asked.kind).ok_or(BadFilter("kind", "audit-error-kind"))?);
    }
    if !asked.plan.is_empty() {
        filter.plan = Some(
            asked
                .plan
                .parse::<PlanId>()
                .map_err(|_| BadFilter("plan", "audit-error-plan"))?,
        );
    }
    if !asked.actor.is_empty() {
        filter.actor = Some(match asked.actor.parse::<PersonId>() {
            Ok(id) => id,
            Err(_) => match state.consultation().person_with_email(&asked.actor).await {
                Ok(Some(person)) => person,
                // Nobody by that address: a filter that matches nothing.
                Ok(None) => PersonId(uuid::Uuid::nil()),
                Err(_) => return Err(BadFilter("actor", "error-title")),
            },
        });
    }
    let date = |value: &str| -> Result<Option<jiff::civil::Date>, BadFilter> {
        if value.is_empty() {
            return Ok(None);
        }
        value
            .parse::<jiff::civil::Date>()
            .map(Some)
            .map_err(|_| BadFilter("date", "audit-error-date"))
    };
    if let Some(from) = date(&asked.from)? {
        filter.from = Some(oslo_day_start(from).ok_or(BadFilter("from", "audit-error-date"))?);
    }
    if let Some(to) = date(&asked.to)? {
        let next = to
            .tomorrow()
            .map_err(|_| BadFilter("to", "audit-error-date"))?;
        filter.until = Some(oslo_day_start(next).ok_or(BadFilter("to", "audit-error-date"))?);
    }
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && from >= until
    {
        return Err(BadFilter("date", "audit-error-range"));
    }
    Ok((asked, filter))
}

async fn api(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Result<Json<AuditPage>, ApiError> {
    if audited_municipality(&actor).is_none() {
        return Err(ApiError::forbidden());
    }
    let (asked, filter) = parse(&state, &pairs)
        .await
        .map_err(|BadFilter(field, id)| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_filter",
                i18n::t(Lang::En, id),
            )
            .with_detail("field", field.into())
        })?;
    match state
        .consultation()
        .audit_log(&actor, &filter, asked.page)
        .await
    {
        Ok(page) => Ok(Json(page)),
        Err(AuditError::Forbidden) => Err(ApiError::forbidden()),
        Err(AuditError::Db(err)) => Err(err.into()),
    }
}

async fn page(
    State(state): State<AppState>,
    page: PageCtx,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(municipality) = audited_municipality(&planner.actor) else {
        return page.error(&state, StatusCode::FORBIDDEN, "audit-forbidden");
    };
    let lang = page.lang;
    let plans = match state
        .consultation()
        .plans_of_municipality(municipality)
        .await
    {
        Ok(plans) => plans,
        Err(err) => {
            tracing::error!(error = %err, "could not list plans for the audit log");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let (asked, filter, error, status) = match parse(&state, &pairs).await {
        Ok((asked, filter)) => (asked, filter, None, StatusCode::OK),
        Err(BadFilter(_, id)) => (
            Asked {
                page: 1,
                ..Asked::default()
            },
            // Shows nothing rather than everything when the filter is wrong.
            AuditFilter {
                actor: Some(PersonId(uuid::Uuid::nil())),
                ..AuditFilter::default()
            },
            Some(i18n::t(lang, id)),
            StatusCode::BAD_REQUEST,
        ),
    };
    let log = match state
        .consultation()
        .audit_log(&planner.actor, &filter, asked.page)
        .await
    {
        Ok(log) => log,
        Err(AuditError::Forbidden) => {
            return page.error(&state, StatusCode::FORBIDDEN, "audit-forbidden");
        }
        Err(AuditError::Db(err)) => {
            tracing::error!(error = %err, "could not read the audit log");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let plan_title = |id: Option<PlanId>| {
        id.and_then(|id| plans.iter().find(|p| p.id == id))
            .map(|p| p.title.clone())
    };
    let rows: Vec<_> = log
        .entries
        .iter()
        .map(|e| {
            context! {
                at => format_datetime(lang, e.at),
                at_iso => e.at.to_string(),
                kind => e.kind,
                actor => e.actor_email.clone().or_else(|| e.actor_person.map(|p| p.to_string())),
                token => e.actor_token.map(|t| t.to_string()),
                plan => plan_title(e.plan),
                target => e.target,
                detail => e.detail,
            }
        })
        .collect();
    // Links to other pages keep the filter.
    let link = |page_number: u64| {
        let mut pairs: Vec<(&str, String)> = [
            ("kind", &asked.kind),
            ("actor", &asked.actor),
            ("plan", &asked.plan),
            ("from", &asked.from),
            ("to", &asked.to),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key, value.clone()))
        .collect();
        pairs.push(("page", page_number.to_string()));
        format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let kinds: Vec<&str> = AuditKind::ALL.iter().map(|k| k.as_str()).collect();
    let plan_options: Vec<_> = plans
        .iter()
        .map(|p| context! { id => p.id.to_string(), title => p.title })
        .collect();
    page.render(
        &state,
        status,
        "admin_audit.html",
        context! {
            rows => rows,
            kinds => kinds,
            plans => plan_options,
            asked => asked,
            error => error,
            total => log.total,
            page_number => log.page,
            pages => log.pages,
            previous => (log.page > 1).then(|| link(log.page - 1)),
            next => (log.page < log.pages).then(|| link(log.page + 1)),
        },
    )
    .into_response()
}
