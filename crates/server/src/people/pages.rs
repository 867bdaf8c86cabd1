//! A person's own page and their rights over what is stored about them:
//! confirming input given without an account, `/me` (their name, language, groups,
//! hearings and inputs), downloading everything stored about them, and asking to be
//! forgotten.
//!
//! Confirmation works like sign-in: the emailed link opens a page whose button
//! (a POST) uses the token, so mail scanners that open links confirm nothing.

use crate::auth::session::{self, new_secret};
use crate::people::api::export_response;
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use consultation::access::hearing_resource;
use db::DbError;
use domain::hearing::{Audience, CommentStatus};
use domain::policy::{Action, Resource, can};
use domain::{CommentId, Lang};
use http::StatusCode;
use jiff::SignedDuration;
use minijinja::{Value, context};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inputs/confirm", get(confirm_page).post(confirm))
        .route("/me", get(me_page).post(update_profile))
        .route("/me/export", get(export_download))
        .route("/me/delete", get(delete_page).post(delete))
}

#[derive(Debug, Default, Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

/// Shows a button; only its POST uses the token.
async fn confirm_page(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<TokenForm>,
) -> Response {
    page.render(
        &state,
        StatusCode::OK,
        "confirm_input.html",
        context! { token => query.token, failed => false },
    )
}

fn confirm_failed(state: &AppState, page: &PageCtx) -> Response {
    page.render(
        state,
        StatusCode::GONE,
        "confirm_input.html",
        context! { token => "", failed => true },
    )
}

/// The planners' notices for each comment the link will publish.
async fn prepare_notices(
    state: &AppState,
    comments: &[domain::hearing::Comment],
) -> Result<HashMap<CommentId, Vec<domain::email::OutgoingEmail>>, DbError> {
    let db = state.db();
    let mut notices = HashMap::new();
    for comment in comments {
        let hearing = db.hearing(comment.hearing_id).await?;
        let plan = db.plan(hearing.plan_id).await?;
        let section = db.section(comment.section_id).await?;
        notices.insert(
            comment.id,
            consultation::comments::comment_notices(
                state.consultation(),
                &hearing,
                &plan,
                &section,
                comment,
            ),
        );
    }
    Ok(notices)
}

async fn confirm(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(input): Form<TokenForm>,
) -> Response {
    let token = input.token.trim();
    if token.is_empty() || token.len() > 200 {
        return confirm_failed(&state, &page);
    }
    let db = state.db();
    let confirmed = async {
        let Some(pending) = db.pending_confirmation(token).await? else {
            return Ok(None);
        };
        let notices = prepare_notices(&state, &pending.comments).await?;
        let secret = new_secret();
        let confirmed = db
            .confirm_inputs(
                token,
                &secret,
                SignedDuration::from_hours(24 * session::SESSION_DAYS),
                &notices,
            )
            .await?;
        Ok::<_, DbError>(confirmed.map(|c| (c, secret)))
    }
    .await;
    match confirmed {
        Ok(Some((confirmed, secret))) => {
            state.after_commit(&confirmed.events, confirmed.queued_email);
            metrics::counter!("samrad_inputs_confirmed_total")
                .increment(confirmed.published.len() as u64);
            tracing::info!(
                person = %confirmed.signed_in.person.id,
                published = confirmed.published.len(),
                "input confirmed"
            );
            let jar = jar.add(session::session_cookie(secret));
            let to = if confirmed.screening.is_empty() {
                format!("/me?confirmed={}", confirmed.published.len())
            } else {
                format!(
                    "/me?confirmed={}&screening={}",
                    confirmed.published.len(),
                    confirmed.screening.len()
                )
            };
            (jar, Redirect::to(&to)).into_response()
        }
        Ok(None) => confirm_failed(&state, &page),
        Err(err) => {
            tracing::error!(error = %err, "could not confirm input");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// Where someone who is not signed in is sent.
fn to_sign_in() -> Response {
    Redirect::to("/sign-in").into_response()
}

#[derive(Debug, Default, Deserialize)]
struct MeQuery {
    confirmed: Option<usize>,
    /// How many of the confirmed inputs wait for screening.
    screening: Option<usize>,
    saved: Option<String>,
}

async fn me_page(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<MeQuery>,
) -> Response {
    let notice = match (query.confirmed, query.saved.is_some()) {
        (Some(_), _) if query.screening.is_some_and(|n| n > 0) => {
            Some(i18n::t(page.lang, "screening-confirmed"))
        }
        (Some(0), _) => Some(i18n::t(page.lang, "me-confirmed-none")),
        (Some(count), _) => Some(i18n::catalog().message(
            page.lang,
            "me-confirmed",
            &[("count", i18n::FluentValue::from(count))],
        )),
        (None, true) => Some(i18n::t(page.lang, "me-saved")),
        (None, false) => None,
    };
    render_me(&state, &page, StatusCode::OK, notice, None).await
}

/// What the profile form got wrong, with what was typed.
struct ProfileError {
    message: &'static str,
    name: String,
}

async fn render_me(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    notice: Option<String>,
    error: Option<ProfileError>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let lang = page.lang;
    let actor = page.actor(state).await;
    let person = signed_in.person.id;
    if !can(&actor, Action::Read, Resource::Person { person }) {
        return page.error(state, StatusCode::FORBIDDEN, "error-title");
    }
    let db = state.db();
    let loaded = async {
        let data = db.person_data(person).await?;
        let hearings = db.open_hearings().await?;
        Ok::<_, DbError>((data, hearings))
    }
    .await;
    let (data, hearings) = match loaded {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(error = %err, "could not load a person's page");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let groups: Vec<Value> = data
        .memberships
        .iter()
        .map(|m| {
            let role = match (&m.organisation, m.role) {
                (Some(organisation), domain::group::MemberRole::OrganisationRepresentative) => {
                    i18n::catalog().message(
                        lang,
                        "me-role-organisation_representative",
                        &[(
                            "organisation",
                            i18n::FluentValue::from(organisation.as_str()),
                        )],
                    )
                }
                (_, domain::group::MemberRole::Chair) => i18n::t(lang, "me-role-chair"),
                _ => i18n::t(lang, "me-role-member"),
            };
            context! { group => m.group_name, plan => m.plan_title, role => role }
        })
        .collect();
    let mut plans: Vec<(domain::PlanId, String)> = data
        .plans_planned
        .iter()
        .map(|p| (p.id, p.title.clone()))
        .chain(
            data.memberships
                .iter()
                .map(|m| (m.plan_id, m.plan_title.clone())),
        )
        .collect();
    plans.sort_by(|a, b| a.1.cmp(&b.1));
    plans.dedup_by_key(|p| p.0);
    let hearings: Vec<Value> = hearings
        .iter()
        .filter(|h| can(&actor, Action::Comment, hearing_resource(h)))
        .map(|h| {
            context! {
                id => h.id.to_string(),
                title => h.title,
                deadline => format_datetime(lang, h.deadline),
                invited => h.audience == Audience::Invited,
            }
        })
        .collect();
    let inputs: Vec<Value> = data
        .comments
        .iter()
        .map(|o| {
            let c = &o.comment;
            let published = c.status == CommentStatus::Published;
            context! {
                href => if published {
                    format!("/hearings/{}#comment-{}", c.hearing_id, c.id)
                } else {
                    format!("/hearings/{}#section-{}", c.hearing_id, c.section_id)
                },
                hearing => o.hearing_title,
                section => format!("{} {}", o.section_number, o.section_title).trim().to_owned(),
                status => match c.status {
                    CommentStatus::Published => "me-status-published",
                    CommentStatus::Screening => "screening-status-waiting",
                    _ => "me-status-unconfirmed",
                },
                date => format_datetime(lang, c.created_at),
                excerpt => domain::email::excerpt(&c.body, 200),
                late => c.late,
            }
        })
        .collect();
    let person = &data.person.person;
    let (error_message, typed_name) = match error {
        Some(e) => (Some(e.message), e.name),
        None => (None, person.name.clone()),
    };
    page.render(
        state,
        status,
        "me.html",
        context! {
            notice => notice,
            error => error_message,
            person => context! {
                name => typed_name,
                email => person.email,
                lang => person.lang.code(),
            },
            groups => groups,
            plans => plans.into_iter().map(|(_, title)| title).collect::<Vec<_>>(),
            hearings => hearings,
            inputs => inputs,
        },
    )
}

#[derive(Debug, Deserialize)]
struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    lang: String,
}

async fn update_profile(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<ProfileForm>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let person = signed_in.person.id;
    let actor = page.actor(&state).await;
    if !can(&actor, Action::Edit, Resource::Person { person }) {
        return page.error(&state, StatusCode::FORBIDDEN, "error-title");
    }
    let refuse = |message| ProfileError {
        message,
        name: form.name.clone(),
    };
    let name = match domain::validate::line("name", &form.name, 200) {
        Ok(name) => name,
        Err(_) => {
            let error = refuse("me-error-name");
            return render_me(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(error),
            )
            .await;
        }
    };
    let Some(lang) = Lang::parse(form.lang.trim()) else {
        let error = refuse("me-error-lang");
        return render_me(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(error),
        )
        .await;
    };
    if let Err(err) = state.db().update_profile(person, &name, lang).await {
        tracing::error!(error = %err, "could not update a profile");
        return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
    }
    // The pages follow the chosen language too.
    let mut response = Redirect::to("/me?saved=1").into_response();
    if let Some(cookie) = crate::web::lang::lang_cookie(&state, lang) {
        response
            .headers_mut()
            .append(http::header::SET_COOKIE, cookie);
    }
    response
}

async fn export_download(State(state): State<AppState>, page: PageCtx) -> Response {
    match &page.signed_in {
        Some(signed_in) => export_response(&state, signed_in).await,
        None => to_sign_in(),
    }
}

async fn delete_page(State(state): State<AppState>, page: PageCtx) -> Response {
    if page.signed_in.is_none() {
        return to_sign_in();
    }
    page.render(
        &state,
        StatusCode::OK,
        "me_delete.html",
        context! { error => false },
    )
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

async fn delete(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some(signed_in) = page.signed_in.clone() else {
        return to_sign_in();
    };
    let person = signed_in.person.id;
    let actor = page.actor(&state).await;
    if !can(&actor, Action::Delete, Resource::Person { person }) {
        return page.error(&state, StatusCode::FORBIDDEN, "error-title");
    }
    if form.confirm != "yes" {
        return page.render(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "me_delete.html",
            context! { error => true },
        );
    }
    let done = match state.db().anonymise_person(person).await {
        Ok(done) => done,
        Err(err) => {
            tracing::error!(error = %err, "could not forget a person");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // What their sessions could see they may no longer see.
    for session in &done.sessions {
        state.end_session_sockets(*session);
    }
    state.after_commit(&done.events, false);
    metrics::counter!("samrad_people_anonymised_total").increment(1);
    tracing::info!(
        %person,
        comments = done.comments,
        deleted_unconfirmed = done.deleted_unconfirmed,
        cancelled_emails = done.cancelled_emails,
        "person forgotten at their request"
    );
    let page = PageCtx {
        signed_in: None,
        staff: false,
        ..page
    };
    let jar = jar.add(session::removal_cookie());
    (
        jar,
        page.render(&state, StatusCode::OK, "me_deleted.html", context! {}),
    )
        .into_response()
}
