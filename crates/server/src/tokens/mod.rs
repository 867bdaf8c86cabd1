//! API tokens: a page in the workbench (`/planner/tokens`) where a member of staff
//! makes tokens (shown once), sees and revokes their own, and an administrator sees
//! and revokes all of the municipality's; the same list and revocation as JSON.

use crate::auth::CurrentActor;
use crate::auth::planner::{Planner, require_planner};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use consultation::ApiTokenInfo;
use consultation::tokens::{TokenError, TokenRequest};
use domain::{ApiTokenId, PlanId};
use http::StatusCode;
use minijinja::context;
use serde::Deserialize;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/planner/tokens", get(page).post(create))
        .route("/planner/tokens/{id}/revoke", post(revoke_form))
        .route("/api/v1/tokens", get(list_api))
        .route("/api/v1/tokens/{id}/revoke", post(revoke_api))
}

fn token_error(err: TokenError) -> ApiError {
    match err {
        TokenError::Forbidden => ApiError::forbidden(),
        TokenError::NotFound => ApiError::not_found("the token"),
        TokenError::Db(err) => err.into(),
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_token_request",
            other.to_string(),
        ),
    }
}

async fn list_api(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
) -> Result<Json<Vec<ApiTokenInfo>>, ApiError> {
    state
        .consultation()
        .tokens(&actor)
        .await
        .map(Json)
        .map_err(token_error)
}

async fn revoke_api(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = id
        .parse::<ApiTokenId>()
        .map_err(|_| ApiError::not_found("the token"))?;
    state
        .consultation()
        .revoke_token(&actor, id)
        .await
        .map_err(token_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the page says after an action: a message, and a new token's secret once.
#[derive(Default)]
struct Outcome {
    message: Option<(bool, String)>,
    secret: Option<String>,
    form: TokenForm,
}

async fn render(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let consultation = state.consultation();
    let tokens = match consultation.tokens(&planner.actor).await {
        Ok(tokens) => tokens,
        Err(TokenError::Forbidden) => {
            return page.error(state, StatusCode::FORBIDDEN, "tokens-forbidden");
        }
        Err(err) => {
            tracing::error!(error = %err, "could not list API tokens");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let municipality = planner.actor.staff_municipality();
    let plans = match municipality {
        Some(m) => state
            .consultation()
            .plans_of_municipality(m)
            .await
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let now = state.consultation().now();
    let mut rows = Vec::with_capacity(tokens.len());
    for token in &tokens {
        let owner = match token.person {
            Some(p) if Some(p) != planner.actor.person => {
                state.consultation().email_of(p).await.ok()
            }
            Some(_) => None,
            None => Some(i18n::t(lang, "tokens-owner-cli")),
        };
        let status = if token.revoked_at.is_some() {
            "revoked"
        } else if token.is_live(now) {
            "live"
        } else {
            "expired"
        };
        rows.push(context! {
            id => token.id.to_string(),
            label => token.label,
            owner => owner,
            read_only => token.read_only,
            plan => token.plan.and_then(|id| plans.iter().find(|p| p.id == id)).map(|p| p.title.clone()),
            created => format_datetime(lang, token.created_at),
            expires => token.expires_at.map(|at| format_datetime(lang, at)),
            status => status,
        });
    }
    let plan_options: Vec<_> = plans
        .iter()
        .map(|p| context! { id => p.id.to_string(), title => p.title })
        .collect();
    let (ok, text) = outcome
        .message
        .map_or((true, None), |(ok, text)| (ok, Some(text)));
    page.render(
        state,
        status,
        "planner_tokens.html",
        context! {
            tokens => rows,
            plans => plan_options,
            secret => outcome.secret,
            message => text,
            message_ok => ok,
            form => context! {
                label => outcome.form.label,
                access => outcome.form.access,
                plan => outcome.form.plan,
                expires => outcome.form.expires,
            },
        },
    )
}

async fn page(State(state): State<AppState>, page: PageCtx) -> Response {
    match require_planner(&state, &page).await {
        Ok(planner) => render(&state, &page, &planner, Outcome::default(), StatusCode::OK).await,
        Err(r) => r,
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    label: String,
    /// `read` or `write`.
    #[serde(default)]
    access: String,
    #[serde(default)]
    plan: String,
    /// A date; the token works until the end of that day in Norway.
    #[serde(default)]
    expires: String,
}

fn parse_form(
    form: &TokenForm,
) -> Result<(bool, Option<PlanId>, Option<jiff::Timestamp>), &'static str> {
    let read_only = match form.access.as_str() {
        "read" => true,
        "write" => false,
        _ => return Err("tokens-error-access"),
    };
    let plan = match form.plan.trim() {
        "" => None,
        id => Some(id.parse::<PlanId>().map_err(|_| "tokens-error-plan")?),
    };
    let expires = match form.expires.trim() {
        "" => None,
        date => {
            let date = date
                .parse::<jiff::civil::Date>()
                .map_err(|_| "tokens-error-expires")?;
            let end = date.tomorrow().map_err(|_| "tokens-error-expires")?;
            let tz = jiff::tz::TimeZone::get("Europe/Oslo").map_err(|_| "tokens-error-expires")?;
            Some(
                end.to_zoned(tz)
                    .map_err(|_| "tokens-error-expires")?
                    .timestamp(),
            )
        }
    };
    Ok((read_only, plan, expires))
}

async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<TokenForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = page.lang;
    let refused = |id: &str, form: TokenForm| Outcome {
        message: Some((false, i18n::t(lang, id))),
        secret: None,
        form,
    };
    let (read_only, plan, expires_at) = match parse_form(&form) {
        Ok(parsed) => parsed,
        Err(id) => {
            return render(
                &state,
                &page,
                &planner,
                refused(id, form),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let request = TokenRequest {
        label: &form.label,
        read_only,
        plan,
        expires_at,
    };
    match state
        .consultation()
        .create_token(&planner.actor, &request)
        .await
    {
        Ok(created) => {
            let outcome = Outcome {
                message: Some((true, i18n::t(lang, "tokens-created"))),
                secret: Some(created.secret),
                form: TokenForm::default(),
            };
            let mut response = render(&state, &page, &planner, outcome, StatusCode::OK).await;
            // The secret is on this answer only: never cached, never stored.
            response.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(TokenError::Forbidden) => page.error(&state, StatusCode::FORBIDDEN, "tokens-forbidden"),
        Err(TokenError::Db(err)) => {
            tracing::error!(error = %err, "could not create an API token");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
        Err(err) => {
            let id = match err {
                TokenError::BadLabel => "tokens-error-label",
                TokenError::ExpiryPast => "tokens-error-expires",
                _ => "tokens-error-plan",
            };
            render(
                &state,
                &page,
                &planner,
                refused(id, form),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

async fn revoke_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = page.lang;
    let outcome = |ok: bool, id: &str| Outcome {
        message: Some((ok, i18n::t(lang, id))),
        ..Outcome::default()
    };
    let Ok(id) = id.parse::<ApiTokenId>() else {
        return render(
            &state,
            &page,
            &planner,
            outcome(false, "tokens-error-not-found"),
            StatusCode::NOT_FOUND,
        )
        .await;
    };
    match state.consultation().revoke_token(&planner.actor, id).await {
        Ok(()) => {
            render(
                &state,
                &page,
                &planner,
                outcome(true, "tokens-revoked"),
                StatusCode::OK,
            )
            .await
        }
        Err(TokenError::NotFound) => {
            render(
                &state,
                &page,
                &planner,
                outcome(false, "tokens-error-not-found"),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(TokenError::Forbidden) => page.error(&state, StatusCode::FORBIDDEN, "tokens-forbidden"),
        Err(err) => {
            tracing::error!(error = %err, "could not revoke an API token");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
