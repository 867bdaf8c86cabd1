//! Sign-in by emailed link.
//!
//! The link's token has 256 random bits, is stored hashed, works once for 15 minutes
//! and only through the POST of the confirmation page, so mail scanners that open
//! links cannot use it up. The answer to a request is the same whether or not the
//! address is known, and costs the same database work either way.
//!
//! Someone who signs in from a page (a hearing) returns to it: the path travels as
//! `next` through the form, the emailed link and the confirmation page, and is
//! checked at every step, so only a path on this site is ever followed.

use crate::auth::session::{self, new_secret};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use domain::email::{Email, Letterhead, OutgoingEmail};
use domain::validate;
use http::StatusCode;
use jiff::SignedDuration;
use minijinja::context;
use serde::Deserialize;
use std::sync::Arc;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

pub const LINK_MINUTES: u32 = 15;
/// Links one address may ask for in a quarter of an hour.
const PER_EMAIL_LIMIT: u64 = 5;
/// Sign-in requests one client address may make at once ...
pub(crate) const SIGN_IN_BURST: u32 = 5;
/// ... and the seconds after which it may make one more.
pub(crate) const SIGN_IN_REFILL_SECS: u64 = 12;
/// The routes these limits guard.
pub(crate) const SIGN_IN_LIMITED: [&str; 2] = ["/sign-in", "/sign-in/password"];

pub fn routes() -> Router<AppState> {
    // At most 5 requests in a burst per client address, then one every 12 seconds.
    // The client address is the one a trusted proxy names, so clients behind one
    // proxy do not share one bucket. On PostgreSQL the same bucket is also kept in
    // the database (`security::limits::shared_sign_in`), so several processes count
    // together.
    let per_ip = GovernorConfigBuilder::default()
        .key_extractor(crate::security::client::ClientKey)
        .per_second(SIGN_IN_REFILL_SECS)
        .burst_size(SIGN_IN_BURST)
        .finish()
        .map(Arc::new);
    let request = Router::new()
        .route(SIGN_IN_LIMITED[0], post(request_link))
        .route(SIGN_IN_LIMITED[1], post(password_sign_in));
    let request = match per_ip {
        Some(config) => request.layer(GovernorLayer::new(config)),
        None => request,
    };
    Router::new()
        .route("/sign-in", get(form))
        .merge(request)
        .route("/sign-in/confirm", get(confirm_page).post(confirm))
        .route("/sign-out", post(sign_out))
        .route("/session/extend", post(crate::auth::session::extend))
}

#[derive(Debug, Default, Deserialize)]
struct FormQuery {
    /// The municipality to sign in to, by slug (links from its pages carry it).
    #[serde(default)]
    m: String,
    /// Where to return once signed in.
    #[serde(default)]
    next: String,
}

async fn form(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<FormQuery>,
) -> Response {
    let typed = Typed {
        email: "",
        municipality: &query.m,
        next: &query.next,
    };
    render_form(&state, &page, StatusCode::OK, typed, None).await
}

/// What the sign-in form shows again.
#[derive(Clone, Copy)]
struct Typed<'a> {
    email: &'a str,
    municipality: &'a str,
    next: &'a str,
}

/// The sign-in page; `error` names the message to show.
async fn render_form(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    typed: Typed<'_>,
    error: Option<&str>,
) -> Response {
    let Typed {
        email,
        municipality,
        next,
    } = typed;
    let municipalities = state.db().municipalities().await.unwrap_or_default();
    let options: Vec<_> = municipalities
        .iter()
        .map(|m| context! { slug => m.slug, name => m.name, selected => m.slug == municipality })
        .collect();
    let only_one = match municipalities.as_slice() {
        [only] => only.slug.as_str(),
        _ => municipality,
    };
    let providers: Vec<_> = super::oidc::offered(state, only_one)
        .into_iter()
        .map(|p| {
            let mut href = format!("/sign-in/oidc/{}", p.id);
            if let Some(next) = crate::web::return_path(next)
                && let Ok(pair) = serde_urlencoded::to_string([("next", next)])
            {
                href.push('?');
                href.push_str(&pair);
            }
            context! { label => p.label, href => href }
        })
        .collect();
    page.render(
        state,
        status,
        "sign_in.html",
        context! {
            email => email,
            error => error,
            municipalities => options,
            providers => providers,
            next => crate::web::return_path(next),
        },
    )
}

#[derive(Debug, Deserialize)]
struct SignInForm {
    email: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    next: String,
}

/// The municipality a sign-in is for: the one named, or the only one there is.
async fn chosen_municipality(state: &AppState, slug: &str) -> Option<domain::MunicipalityId> {
    let db = state.db();
    if slug.trim().is_empty() {
        let all = db.municipalities().await.ok()?;
        return match all.as_slice() {
            [only] => Some(only.id),
            _ => None,
        };
    }
    db.municipality_by_slug(slug.trim())
        .await
        .ok()
        .flatten()
        .map(|m| m.id)
}

async fn request_link(
    State(state): State<AppState>,
    page: PageCtx,
    Form(input): Form<SignInForm>,
) -> Response {
    let typed = Typed {
        email: &input.email,
        municipality: &input.municipality,
        next: &input.next,
    };
    let Ok(email) = validate::email("email", &input.email) else {
        return render_form(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
            Some("sign-in-invalid-email"),
        )
        .await;
    };
    let Some(municipality) = chosen_municipality(&state, &input.municipality).await else {
        return render_form(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
            Some("sign-in-choose-municipality"),
        )
        .await;
    };
    let next = crate::web::return_path(&input.next);
    if let Err(err) = send_link(&state, &email, municipality, next.as_deref()).await {
        tracing::error!(error = %err, "could not create a sign-in link");
        return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
    }
    page.render(
        &state,
        StatusCode::OK,
        "sign_in_sent.html",
        context! { email => email },
    )
}

async fn send_link(
    state: &AppState,
    email: &str,
    municipality: domain::MunicipalityId,
    next: Option<&str>,
) -> Result<(), db::DbError> {
    let db = state.db();
    let since = jiff::Timestamp::now()
        .checked_sub(SignedDuration::from_mins(15))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    if db.sign_in_requests_since(email, since).await? >= PER_EMAIL_LIMIT {
        tracing::info!("sign-in links for one address limited");
        return Ok(());
    }
    let person = db.person_by_email(email).await?;
    let token = new_secret();
    db.create_sign_in_token(db::NewSignInToken {
        email,
        person: person.as_ref().map(|p| p.id),
        municipality: Some(municipality),
        token: &token,
        valid_for: SignedDuration::from_mins(i64::from(LINK_MINUTES)),
        purpose: db::TokenPurpose::SignIn,
    })
    .await?;
    if let Some(person) = person {
        // From the municipality the person signs in to, with its own address.
        let municipality = db.municipality(municipality).await?;
        let base_url = state.consultation().base_url_of(&municipality);
        let mut link = format!("{base_url}/sign-in/confirm?token={token}");
        if let Some(next) = next
            && let Ok(pair) = serde_urlencoded::to_string([("next", next)])
        {
            link.push('&');
            link.push_str(&pair);
        }
        db.enqueue_email(&OutgoingEmail {
            dedupe_key: format!("sign-in:{}", db::hash_token(&token)),
            municipality: Some(municipality.id),
            plan: None,
            recipient: person.email.clone(),
            lang: person.lang,
            email: Email::SignInLink {
                link,
                valid_minutes: LINK_MINUTES,
            },
            letterhead: Letterhead::of_municipality(&municipality).to(&person.name),
        })
        .await?;
        state.after_commit(&[], true);
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: String,
}

/// Shows a button; only its POST uses the token.
async fn confirm_page(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<TokenQuery>,
) -> Response {
    page.render(
        &state,
        StatusCode::OK,
        "sign_in_confirm.html",
        context! { token => query.token, next => crate::web::return_path(&query.next) },
    )
}

async fn confirm(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(input): Form<TokenQuery>,
) -> Response {
    let secret = new_secret();
    let token = input.token.trim();
    let redeemed = if token.is_empty() || token.len() > 200 {
        Ok(None)
    } else {
        state
            .db()
            .redeem_sign_in_token(
                token,
                &secret,
                SignedDuration::from_hours(24 * session::SESSION_DAYS),
            )
            .await
    };
    match redeemed {
        Ok(Some(signed_in)) => {
            // A fresh session id at every sign-in; an older session cookie is replaced.
            let jar = jar.add(session::session_cookie(secret));
            tracing::info!(person = %signed_in.person.id, "signed in");
            let to = destination(&state, &signed_in, &input.next).await;
            (jar, Redirect::to(&to)).into_response()
        }
        Ok(None) => page.render(&state, StatusCode::GONE, "sign_in_failed.html", context! {}),
        Err(err) => {
            tracing::error!(error = %err, "could not redeem a sign-in link");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// Where a person goes after signing in: back to the page they came from when that
/// is a path on this site, else where they land.
async fn destination(state: &AppState, signed_in: &db::SignedIn, next: &str) -> String {
    match crate::web::return_path(next) {
        Some(path) => path,
        None => landing(state, signed_in).await.to_owned(),
    }
}

/// Where a person lands after signing in: the workbench for staff, else their page.
pub(crate) async fn landing(state: &AppState, signed_in: &db::SignedIn) -> &'static str {
    let actor = session::actor_for(state, signed_in).await;
    if actor.staff_municipality().is_some() {
        "/planner"
    } else {
        "/me"
    }
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    email: String,
    password: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    next: String,
}

/// Staff who set a password may sign in with it; anyone else uses the emailed link.
async fn password_sign_in(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(input): Form<PasswordForm>,
) -> Response {
    let failed = |code: &'static str| {
        let state = state.clone();
        let input_email = input.email.clone();
        let municipality = input.municipality.clone();
        let next = input.next.clone();
        let page = &page;
        async move {
            let typed = Typed {
                email: &input_email,
                municipality: &municipality,
                next: &next,
            };
            render_form(&state, page, StatusCode::UNAUTHORIZED, typed, Some(code)).await
        }
    };
    let (Ok(email), Some(municipality)) = (
        validate::email("email", &input.email),
        chosen_municipality(&state, &input.municipality).await,
    ) else {
        return failed("sign-in-password-failed").await;
    };
    if input.password.is_empty() || input.password.chars().count() > db::password::MAX_CHARS {
        return failed("sign-in-password-failed").await;
    }
    let secret = new_secret();
    match state
        .db()
        .sign_in_with_password(
            &email,
            &input.password,
            municipality,
            &secret,
            SignedDuration::from_hours(24 * session::SESSION_DAYS),
        )
        .await
    {
        Ok(Some(signed_in)) => {
            tracing::info!(person = %signed_in.person.id, "signed in with a password");
            let jar = jar.add(session::session_cookie(secret));
            let to = destination(&state, &signed_in, &input.next).await;
            (jar, Redirect::to(&to)).into_response()
        }
        Ok(None) => failed("sign-in-password-failed").await,
        Err(err) => {
            tracing::error!(error = %err, "could not check a password");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Response {
    if let Some(cookie) = jar.get(session::COOKIE) {
        let signed_in = state.db().session(cookie.value()).await;
        if let Err(err) = state.db().end_session(cookie.value()).await {
            tracing::error!(error = %err, "could not end a session");
        }
        // After the session is gone, so that no process lets the socket back in.
        if let Ok(Some(signed_in)) = signed_in {
            state.end_session_sockets(signed_in.session);
        }
    }
    (jar.add(session::removal_cookie()), Redirect::to("/")).into_response()
}
