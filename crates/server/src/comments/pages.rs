//! HTML forms for what happens to a comment after it is posted (support, edit,
//! delete, report) and the planner's moderation forms. They work without JavaScript
//! and go through the same rules as the API (`comment_lifecycle`).

use crate::comments::lifecycle::{self as lifecycle, LifecycleError};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use domain::CommentId;
use http::StatusCode;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/comments/{id}/support", post(support))
        .route("/comments/{id}/edit", post(edit))
        .route("/comments/{id}/delete", post(delete))
        .route("/comments/{id}/report", post(report))
        .route("/planner/comments/{id}/hide", post(hide))
        .route("/planner/comments/{id}/restore", post(restore))
        .route("/planner/comments/{id}/publish", post(publish_screened))
}

/// The random value that tells one browser's anonymous reports apart.
pub const REPORTER_COOKIE: &str = "samrad_reporter";

/// The client's address as the connection shows it, when known.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// The browser's reporter value, and the jar that sets it when it is new (HttpOnly,
/// SameSite=Lax, Secure, kept a year).
pub fn reporter(
    jar: CookieJar,
    address: Option<std::net::IpAddr>,
) -> (CookieJar, lifecycle::AnonymousReporter) {
    let existing = jar
        .get(REPORTER_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| {
            (20..=100).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let (jar, browser) = match existing {
        Some(value) => (jar, value),
        None => {
            let value = crate::auth::session::new_secret();
            let cookie = Cookie::parse(format!(
                "{REPORTER_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly; Secure"
            ));
            match cookie {
                Ok(cookie) => (jar.add(cookie.into_owned()), value),
                Err(_) => (jar, value),
            }
        }
    };
    let address = address.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    (jar, lifecycle::AnonymousReporter { address, browser })
}

fn back(change: &db::CommentChange, done: &str) -> Response {
    Redirect::to(&format!(
        "/hearings/{}?done={done}#comment-{}",
        change.comment.hearing_id, change.comment.id
    ))
    .into_response()
}

fn failed(state: &AppState, page: &PageCtx, err: &LifecycleError) -> Response {
    if let LifecycleError::Db(e) = err {
        tracing::error!(error = %e, "could not change a comment");
    }
    if matches!(err, LifecycleError::SignInRequired) {
        return Redirect::to("/sign-in").into_response();
    }
    let (status, message) = err.page_message();
    page.error(state, status, message)
}

async fn run(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    done: &str,
    action: impl AsyncFnOnce(CommentId) -> Result<db::CommentChange, LifecycleError>,
) -> Response {
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match action(id).await {
        Ok(change) => back(&change, done),
        Err(err) => failed(state, page, &err),
    }
}

#[derive(Debug, Deserialize)]
struct SupportForm {
    /// "1" to support, "0" to take the support back.
    on: String,
}

async fn support(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<SupportForm>,
) -> Response {
    let actor = page.actor(&state).await;
    let on = form.on == "1";
    run(
        &state,
        &page,
        &id,
        if on { "supported" } else { "unsupported" },
        async |id| lifecycle::support(&state, &actor, id, on).await,
    )
    .await
}

#[derive(Debug, Deserialize)]
struct EditForm {
    body: String,
}

async fn edit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let actor = page.actor(&state).await;
    run(&state, &page, &id, "edited", async |id| {
        lifecycle::edit(&state, &actor, id, &form.body).await
    })
    .await
}

async fn delete(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    let actor = page.actor(&state).await;
    run(&state, &page, &id, "deleted", async |id| {
        lifecycle::delete(&state, &actor, id).await
    })
    .await
}

#[derive(Debug, Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn report(
    State(state): State<AppState>,
    page: PageCtx,
    ClientAddr(address): ClientAddr,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    let actor = page.actor(&state).await;
    let (jar, anonymous) = reporter(jar, address);
    let anonymous = actor.person.is_none().then_some(anonymous);
    let response = run(&state, &page, &id, "reported", async |id| {
        lifecycle::report(&state, &actor, anonymous.as_ref(), id, Some(&form.reason))
            .await
            .map(|outcome| outcome.change)
    })
    .await;
    (jar, response).into_response()
}

async fn publish_screened(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = page.actor(&state).await;
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let who = signed_in.person.email.clone();
    match lifecycle::publish_screened(&state, &actor, &who, id).await {
        Ok(change) => Redirect::to(&format!(
            "/planner/hearings/{}?done=published#awaiting-heading",
            change.comment.hearing_id
        ))
        .into_response(),
        Err(err) => failed(&state, &page, &err),
    }
}

async fn moderate(
    state: &AppState,
    page: &PageCtx,
    id: &str,
    hide: bool,
    reason: &str,
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = page.actor(state).await;
    let Ok(id) = id.parse::<CommentId>() else {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let who = signed_in.person.email.clone();
    match lifecycle::moderate(state, &actor, &who, id, hide, Some(reason)).await {
        Ok(change) => Redirect::to(&format!(
            "/planner/hearings/{}?done={}#moderation-heading",
            change.comment.hearing_id,
            if hide { "hidden" } else { "restored" }
        ))
        .into_response(),
        Err(err) => failed(state, page, &err),
    }
}

async fn hide(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    moderate(&state, &page, &id, true, &form.reason).await
}

async fn restore(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    moderate(&state, &page, &id, false, &form.reason).await
}
