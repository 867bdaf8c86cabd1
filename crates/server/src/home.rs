//! The public front: the list of open hearings, a municipality's page, the
//! accessibility statement, the language switch and the page for what is not found.

use crate::state::AppState;
use crate::web::lang;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::Lang;
use domain::hearing::{Hearing, HearingState};
use http::{StatusCode, header};
use minijinja::context;
use serde::Deserialize;

/// The front pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/accessibility", get(accessibility))
        .route("/m/{slug}", get(municipality_page))
        .route("/lang/{code}", get(switch_language))
}

pub async fn not_found(State(state): State<AppState>, page: PageCtx, uri: http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError::not_found("the endpoint").into_response();
    }
    page.error(&state, StatusCode::NOT_FOUND, "error-not-found")
}

fn hearing_card(lang: Lang, h: &Hearing) -> minijinja::Value {
    context! {
        id => h.id.to_string(),
        title => h.title,
        state => h.state.as_str(),
        deadline => format_datetime(lang, h.deadline),
        opens => format_datetime(lang, h.opens_at),
    }
}

async fn home(State(state): State<AppState>, page: PageCtx) -> Response {
    let lang = page.lang;
    let consultation = state.consultation();
    let (hearings, municipalities) = match (
        consultation.published_hearings().await,
        consultation.municipalities().await,
    ) {
        (Ok(h), Ok(m)) => (h, m),
        (Err(err), _) | (_, Err(err)) => {
            tracing::error!(error = %err, "could not list hearings");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let groups: Vec<_> = municipalities
        .iter()
        .filter_map(|m| {
            let cards: Vec<_> = hearings
                .iter()
                .filter(|h| {
                    h.municipality_id == m.id
                        && matches!(h.state, HearingState::Open | HearingState::Scheduled)
                })
                .map(|h| hearing_card(lang, h))
                .collect();
            (!cards.is_empty())
                .then(|| context! { slug => m.slug, name => m.name, hearings => cards })
        })
        .collect();
    page.render(
        &state,
        StatusCode::OK,
        "home.html",
        context! { municipalities => groups },
    )
}

async fn municipality_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Response {
    let lang = page.lang;
    let (municipality, hearings) =
        match state.consultation().municipality_with_hearings(&slug).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
            }
            Err(err) => {
                tracing::error!(error = %err, "could not list hearings");
                return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
            }
        };
    let (current, past): (Vec<&Hearing>, Vec<&Hearing>) = hearings
        .iter()
        .partition(|h| matches!(h.state, HearingState::Open | HearingState::Scheduled));
    page.render(
        &state,
        StatusCode::OK,
        "municipality.html",
        context! {
            municipality => context! { slug => municipality.slug, name => municipality.name },
            current => current.iter().map(|h| hearing_card(lang, h)).collect::<Vec<_>>(),
            past => past.iter().map(|h| hearing_card(lang, h)).collect::<Vec<_>>(),
        },
    )
}

async fn accessibility(State(state): State<AppState>, page: PageCtx) -> Response {
    page.render(&state, StatusCode::OK, "accessibility.html", context! {})
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to where the reader was.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Only local paths, so the switch cannot be used to send people elsewhere.
    let next = query
        .next
        .as_deref()
        .and_then(crate::web::return_path)
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&next).into_response();
    if let Some(value) = lang::lang_cookie(&state, lang) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
