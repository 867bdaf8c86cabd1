//! Sign-in with the municipality's identity provider (OpenID Connect): the
//! authorization code flow with PKCE (S256), `state` bound to the browser by a cookie
//! and kept server-side for ten minutes and one use, and a `nonce`; the ID token is
//! checked against the provider's published keys (JWKS), issuer, audience, expiry and
//! the nonce before anyone is signed in. The emailed link stays for everyone else.
//!
//! Providers are configured per municipality (`sign_in_providers`): one for staff
//! (the municipality's Entra ID or similar; only people an administrator gave a
//! staff role get in) and, optionally, one for everyone (such as ID-porten).

use crate::auth::session::{self, new_secret};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use db::{ExternalAccount, ExternalSignIn, ExternalSignInStarted};
use http::StatusCode;
use jiff::SignedDuration;
use minijinja::context;
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::sync::OnceLock;
use std::time::Duration;

/// Binds the sign-in under way to the browser that started it (login CSRF).
const STATE_COOKIE: &str = "__Host-samrad_oidc";
const PENDING_MINUTES: i64 = 10;
pub const CALLBACK_PATH: &str = "/sign-in/oidc/callback";

/// Who a provider signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Only people with a staff role in the municipality (never created here).
    Staff,
    /// Anyone; a person is created at the first sign-in from the verified address.
    Everyone,
}

/// One identity provider of one municipality (a `[[sign_in_providers]]` table).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    /// In the sign-in address `/sign-in/oidc/{id}`: letters, digits and `-`.
    pub id: String,
    /// The municipality's slug.
    pub municipality: String,
    /// The button's name for the provider, such as "Fjordvik kommune (tilsette)".
    pub label: String,
    pub audience: Audience,
    /// The issuer; its `/.well-known/openid-configuration` is read.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Accept the `email` claim without `email_verified` (providers such as Entra ID
    /// that only issue addresses of their own directory).
    #[serde(default)]
    pub trust_email: bool,
}

impl ProviderSettings {
    /// A setting that cannot work, in one line; checked at start-up.
    pub fn problem(&self) -> Option<String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 60
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !id_ok {
            return Some(format!(
                "sign_in_providers: id {:?} must be 1–60 letters, digits or '-'",
                self.id
            ));
        }
        if IssuerUrl::new(self.issuer.clone()).is_err() || !self.issuer.starts_with("http") {
            return Some(format!(
                "sign_in_providers: {} has no valid issuer URL",
                self.id
            ));
        }
        if self.client_id.trim().is_empty() || self.label.trim().is_empty() {
            return Some(format!(
                "sign_in_providers: {} needs a client_id and a label",
                self.id
            ));
        }
        None
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CALLBACK_PATH, get(callback))
        .route("/sign-in/oidc/{provider}", get(start))
}

/// The providers to offer on the sign-in page: the municipality's, or every one when
/// no municipality is chosen yet.
pub(crate) fn offered<'a>(state: &'a AppState, municipality: &str) -> Vec<&'a ProviderSettings> {
    state
        .config()
        .sign_in_providers
        .iter()
        .filter(|p| municipality.is_empty() || p.municipality == municipality)
        .collect()
}

fn http_client() -> &'static openidconnect::reqwest::Client {
    static CLIENT: OnceLock<openidconnect::reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send us elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default()
    })
}

#[derive(Debug, thiserror::Error)]
enum ProviderError {
    #[error("discovery: {0}")]
    Discovery(String),
    #[error("token request: {0}")]
    Token(String),
    #[error("the token answer holds no ID token")]
    NoIdToken,
    #[error("ID token refused: {0}")]
    IdToken(String),
}

/// The provider's client, from its discovery document and keys (read each time, so
/// a rotated key is picked up at once).
async fn client_for(
    provider: &ProviderSettings,
    base_url: &str,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    ProviderError,
> {
    let issuer = IssuerUrl::new(provider.issuer.clone())
        .map_err(|e| ProviderError::Discovery(e.to_string()))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http_client())
        .await
        .map_err(|e| ProviderError::Discovery(error_chain(&e)))?;
    let redirect = RedirectUrl::new(format!("{base_url}{CALLBACK_PATH}"))
        .map_err(|e| ProviderError::Discovery(e.to_string()))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(
            provider.client_secret.expose_secret().to_owned(),
        )),
    )
    .set_redirect_uri(redirect))
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[derive(Debug, Default, Deserialize)]
struct StartQuery {
    #[serde(default)]
    next: String,
}

/// Sends the browser to the provider.
async fn start(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Path(provider_id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = provider_by_id(&state, &provider_id) else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let base_url = state.config().base_url.clone();
    let client = match client_for(provider, &base_url).await {
        Ok(client) => client,
        Err(err) => {
            tracing::warn!(provider = %provider.id, error = %err, "identity provider unavailable");
            return failed(
                &state,
                &page,
                StatusCode::BAD_GATEWAY,
                "sign-in-provider-unavailable",
            );
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let started = ExternalSignInStarted {
        provider: provider.id.clone(),
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
        next: crate::web::return_path(&query.next),
    };
    if let Err(err) = state
        .db()
        .start_external_sign_in(
            csrf.secret(),
            &started,
            SignedDuration::from_mins(PENDING_MINUTES),
        )
        .await
    {
        tracing::error!(error = %err, "could not store a sign-in under way");
        return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
    }
    let cookie = Cookie::build((STATE_COOKIE, csrf.secret().clone()))
        .path("/")
        .secure(true)
        .http_only(true)
        // Lax: the provider's redirect back is a top-level GET, which carries it.
        .same_site(SameSite::Lax)
        .build();
    (jar.add(cookie), Redirect::to(url.as_str())).into_response()
}

fn provider_by_id<'a>(state: &'a AppState, id: &str) -> Option<&'a ProviderSettings> {
    state.config().sign_in_providers.iter().find(|p| p.id == id)
}

fn failed(state: &AppState, page: &PageCtx, status: StatusCode, reason: &str) -> Response {
    page.render(
        state,
        status,
        "sign_in_provider_failed.html",
        context! { reason => reason },
    )
}

#[derive(Debug, Default, Deserialize)]
struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// The provider sends the browser back here with a code (or an error).
async fn callback(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let bound = jar.get(STATE_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path("/"));
    let refuse = |reason: &str, why: &str| {
        tracing::info!(reason = why, "sign-in through an identity provider refused");
        (
            jar.clone(),
            failed(&state, &page, StatusCode::FORBIDDEN, reason),
        )
            .into_response()
    };
    if !query.error.is_empty() {
        return refuse(
            "sign-in-provider-failed",
            "the provider answered with an error",
        );
    }
    // The state must be the one this browser was given, and still be under way.
    if query.state.is_empty() || query.state.len() > 200 || bound.as_deref() != Some(&query.state) {
        return refuse(
            "sign-in-provider-failed",
            "state does not match the browser's",
        );
    }
    let started = match state.db().take_external_sign_in(&query.state).await {
        Ok(Some(started)) => started,
        Ok(None) => return refuse("sign-in-provider-failed", "unknown, used or expired state"),
        Err(err) => {
            tracing::error!(error = %err, "could not read a sign-in under way");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let Some(provider) = provider_by_id(&state, &started.provider) else {
        return refuse(
            "sign-in-provider-failed",
            "the provider is no longer configured",
        );
    };
    if query.code.is_empty() || query.code.len() > 2000 {
        return refuse("sign-in-provider-failed", "no code");
    }
    let account = match verified_account(&state, provider, &started, &query.code).await {
        Ok(account) => account,
        Err(err @ (ProviderError::Discovery(_) | ProviderError::Token(_))) => {
            tracing::warn!(provider = %provider.id, error = %err, "identity provider unavailable");
            return (
                jar,
                failed(
                    &state,
                    &page,
                    StatusCode::BAD_GATEWAY,
                    "sign-in-provider-unavailable",
                ),
            )
                .into_response();
        }
        Err(err) => {
            tracing::warn!(provider = %provider.id, error = %err, "ID token refused");
            return refuse("sign-in-provider-failed", "ID token refused");
        }
    };
    let municipality = match state
        .db()
        .municipality_by_slug(&provider.municipality)
        .await
    {
        Ok(Some(m)) => m.id,
        Ok(None) => return refuse("sign-in-provider-failed", "no such municipality"),
        Err(err) => {
            tracing::error!(error = %err, "could not read a municipality");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let secret = new_secret();
    let outcome = state
        .db()
        .sign_in_external(
            &ExternalAccount {
                issuer: &account.issuer,
                subject: &account.subject,
                verified_email: account.email.as_deref(),
                name: account.name.as_deref(),
            },
            municipality,
            provider.audience == Audience::Staff,
            &secret,
            SignedDuration::from_hours(24 * session::SESSION_DAYS),
        )
        .await;
    match outcome {
        Ok(ExternalSignIn::SignedIn(signed_in)) => {
            tracing::info!(person = %signed_in.person.id, provider = %provider.id, "signed in through an identity provider");
            let jar = jar.add(session::session_cookie(secret));
            let to = match started.next {
                Some(next) => next,
                None => super::sign_in::landing(&state, &signed_in).await.to_owned(),
            };
            (jar, Redirect::to(&to)).into_response()
        }
        Ok(ExternalSignIn::NotStaff) => refuse("sign-in-provider-not-staff", "not staff"),
        Ok(ExternalSignIn::NoVerifiedEmail) => {
            refuse("sign-in-provider-no-email", "no verified email")
        }
        Err(err) => {
            tracing::error!(error = %err, "could not sign in through an identity provider");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// The account in a verified ID token.
struct VerifiedAccount {
    issuer: String,
    subject: String,
    email: Option<String>,
    name: Option<String>,
}

async fn verified_account(
    state: &AppState,
    provider: &ProviderSettings,
    started: &ExternalSignInStarted,
    code: &str,
) -> Result<VerifiedAccount, ProviderError> {
    use openidconnect::TokenResponse;
    let client = client_for(provider, &state.config().base_url).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| ProviderError::Token(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(started.pkce_verifier.clone()))
        .request_async(http_client())
        .await
        .map_err(|e| ProviderError::Token(error_chain(&e)))?;
    let id_token = tokens.id_token().ok_or(ProviderError::NoIdToken)?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(started.nonce.clone()),
        )
        .map_err(|e| ProviderError::IdToken(error_chain(&e)))?;
    let email = claims
        .email()
        .filter(|_| provider.trust_email || claims.email_verified() == Some(true))
        .map(|e| e.as_str().to_owned())
        .filter(|e| domain::validate::email("email", e).is_ok());
    Ok(VerifiedAccount {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
    })
}
