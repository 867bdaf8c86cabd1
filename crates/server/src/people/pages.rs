//! A person's own page and their rights over what is stored about them:
//! confirming input given without an account, `/me` (their name, language, groups,
//! hearings and inputs), downloading everything stored about them, and asking to be
//! forgotten.
//!
//! Confirmation works like sign-in: the emailed link opens a page whose button
//! (a POST) uses the token, so mail scanners that open links confirm nothing.

use crate::auth::session;
use crate::people::api::export_response;
use crate::people::profile_error_message;
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use consultation::access::hearing_resource;
use consultation::digests::DigestError;
use consultation::email_settings::EmailSettingsError;
use consultation::people::{ConfirmError, ProfileUpdate};
use consultation::privacy::PrivacyError;
use domain::hearing::{Audience, CommentStatus};
use domain::policy::{Action, can};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    token: String,
    /// Where to return once confirmed (the hearing the input was given to); used
    /// only when it is a path on this site.
    #[serde(default)]
    next: String,
}

/// Shows a button; only its POST uses the token.
pub(crate) async fn confirm_page(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<TokenForm>,
) -> Response {
    page.render(
        &state,
        StatusCode::OK,
        "confirm_input.html",
        context! {
            token => query.token,
            next => crate::web::return_path(&query.next),
            failed => false,
        },
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

pub(crate) async fn confirm(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(input): Form<TokenForm>,
) -> Response {
    match state.consultation().confirm_input(&input.token).await {
        Ok(done) => {
            let confirmed = &done.confirmed;
            let jar = jar.add(session::session_cookie(done.session_secret));
            // Back where the input was given, with the thanks there.
            if let Some(next) = crate::web::return_path(&input.next) {
                let done = match (confirmed.published.len(), confirmed.screening.len()) {
                    (_, 1..) => "screening",
                    (0, 0) => "confirmed-none",
                    _ => "confirmed",
                };
                let to = crate::web::with_query(&next, &format!("done={done}"));
                return (jar, Redirect::to(&to)).into_response();
            }
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
        Err(ConfirmError::LinkUnusable) => confirm_failed(&state, &page),
        Err(ConfirmError::Db(err)) => {
            tracing::error!(error = %err, "could not confirm input");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

/// Where someone who is not signed in is sent.
pub(crate) fn to_sign_in() -> Response {
    Redirect::to("/sign-in").into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MeQuery {
    confirmed: Option<usize>,
    /// How many of the confirmed inputs wait for screening.
    screening: Option<usize>,
    saved: Option<String>,
    emails_saved: Option<String>,
    notices_saved: Option<String>,
    unfollowed: Option<String>,
}

pub(crate) async fn me_page(
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
    let notice = notice
        .or_else(|| {
            query
                .emails_saved
                .is_some()
                .then(|| i18n::t(page.lang, "me-emails-saved"))
        })
        .or_else(|| {
            query
                .notices_saved
                .is_some()
                .then(|| i18n::t(page.lang, "me-notices-saved"))
        })
        .or_else(|| {
            query
                .unfollowed
                .is_some()
                .then(|| i18n::t(page.lang, "me-unfollowed"))
        });
    render_me(&state, &page, StatusCode::OK, notice, None).await
}

/// What the profile form got wrong, with what was typed.
pub(crate) struct ProfileError {
    message: &'static str,
    name: String,
}

/// What a form on `/me` got wrong.
pub(crate) enum MeError {
    Profile(ProfileError),
    /// The email settings form, with the message id.
    Emails(&'static str),
    /// The planner's notices form, with the message id.
    Notices(&'static str),
}

pub(crate) async fn render_me(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    notice: Option<String>,
    error: Option<MeError>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let lang = page.lang;
    let actor = page.actor(state).await;
    let person = signed_in.person.id;
    let loaded = async {
        let data = state.consultation().person_data(&actor, person).await?;
        let hearings = state.consultation().open_hearings().await?;
        let responses = state.consultation().own_responses(&actor).await?;
        let emails = match state.consultation().email_settings(&actor, person).await {
            Ok(emails) => emails,
            Err(EmailSettingsError::Db(e)) => return Err(PrivacyError::Db(e)),
            Err(_) => return Err(PrivacyError::Forbidden),
        };
        let digests = async {
            let follows = state.consultation().follows(&actor, person).await?;
            let notices = state.consultation().notice_choices(&actor, person).await?;
            Ok::<_, DigestError>((follows, notices))
        };
        let (follows, notices) = match digests.await {
            Ok(v) => v,
            Err(DigestError::Db(e)) => return Err(PrivacyError::Db(e)),
            Err(_) => return Err(PrivacyError::Forbidden),
        };
        Ok::<_, PrivacyError>((data, hearings, responses, emails, follows, notices))
    }
    .await;
    let (data, hearings, responses, emails, follows, notices) = match loaded {
        Ok(v) => v,
        Err(PrivacyError::Forbidden) => {
            return page.error(state, StatusCode::FORBIDDEN, "error-title");
        }
        Err(PrivacyError::Db(err)) => {
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
    // What the municipality answered, once it published its assessments.
    let sources: Vec<uuid::Uuid> = data
        .comments
        .iter()
        .map(|o| o.comment.id.0)
        .chain(responses.iter().map(|own| own.response.id.0))
        .chain(data.letters_sent.iter().map(|l| l.id.0))
        .collect();
    let assessments = match state.consultation().published_assessments(&sources).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(error = %err, "could not load the assessments of a person's inputs");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let assessment_of = |id: uuid::Uuid| {
        assessments
            .get(&id)
            .map(|a| crate::assessment::public_view(lang, a))
    };
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
                assessment => assessment_of(c.id.0),
            }
        })
        .collect();
    // Their own official responses and their organisations', every version listed.
    let responses: Vec<Value> = responses
        .iter()
        .map(|own| {
            let r = &own.response;
            context! {
                id => r.id.to_string(),
                hearing => own.hearing.title,
                from => r.author_label(),
                late => r.late,
                assessment => assessment_of(r.id.0),
                versions => r.versions.iter().rev().map(|v| context! {
                    number => v.number,
                    date => format_datetime(lang, v.created_at),
                    by => v.person_name,
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    // Letters and emails from them that planners registered by hand.
    let letters: Vec<Value> = data
        .letters_sent
        .iter()
        .map(|l| {
            context! {
                id => l.id.to_string(),
                number => l.number,
                plan => l.plan_title,
                received => i18n::format_date(lang, l.received_on),
                channel => format!("channel-{}", l.channel.as_str()),
                excerpt => domain::email::excerpt(&l.text, 200),
                assessment => assessment_of(l.id.0),
            }
        })
        .collect();
    let person = &data.person.person;
    let (error_message, typed_name, emails_error, notices_error) = match error {
        Some(MeError::Profile(e)) => (Some(e.message), e.name, None, None),
        Some(MeError::Emails(message)) => (None, person.name.clone(), Some(message), None),
        Some(MeError::Notices(message)) => (None, person.name.clone(), None, Some(message)),
        None => (None, person.name.clone(), None, None),
    };
    let follows: Vec<Value> = follows
        .iter()
        .map(|f| {
            let what = match &f.section {
                Some(section) => format!("{}: {section}", f.hearing_title),
                None => format!("{}: {}", f.hearing_title, i18n::t(lang, "me-follow-whole")),
            };
            context! {
                hearing_id => f.follow.hearing.to_string(),
                hearing => f.hearing_title,
                section_id => f.follow.section.map(|s| s.to_string()).unwrap_or_default(),
                section => f.section,
                what => what,
            }
        })
        .collect();
    let notices: Vec<Value> = notices
        .iter()
        .map(|n| {
            context! {
                plan_id => n.plan_id.to_string(),
                plan => n.plan_title,
                immediate => n.immediate,
            }
        })
        .collect();
    let emails: Vec<Value> = emails
        .iter()
        .map(|e| {
            context! {
                kind => e.kind,
                label => format!("email-kind-{}", e.kind.replace('_', "-")),
                receives => e.receives,
            }
        })
        .collect();
    page.render(
        state,
        status,
        "me.html",
        context! {
            notice => notice,
            error => error_message,
            emails_error => emails_error,
            emails => emails,
            notices_error => notices_error,
            notices => notices,
            follows => follows,
            person => context! {
                name => typed_name,
                email => person.email,
                lang => person.lang.code(),
            },
            groups => groups,
            plans => plans.into_iter().map(|(_, title)| title).collect::<Vec<_>>(),
            hearings => hearings,
            inputs => inputs,
            responses => responses,
            letters => letters,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    lang: String,
}

pub(crate) async fn update_profile(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<ProfileForm>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let person = signed_in.person.id;
    let actor = page.actor(&state).await;
    let typed = form.name.clone();
    let update = ProfileUpdate {
        name: form.name,
        lang: form.lang,
    };
    let lang = match state
        .consultation()
        .update_profile(&actor, person, update)
        .await
    {
        Ok(lang) => lang,
        Err(err) => {
            if let Some(message) = profile_error_message(&err) {
                let error = ProfileError {
                    message,
                    name: typed,
                };
                return render_me(
                    &state,
                    &page,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(MeError::Profile(error)),
                )
                .await;
            }
            return match err {
                consultation::people::ProfileError::Forbidden => {
                    page.error(&state, StatusCode::FORBIDDEN, "error-title")
                }
                other => {
                    tracing::error!(error = %other, "could not update a profile");
                    page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
                }
            };
        }
    };
    // The pages follow the chosen language too.
    let mut response = Redirect::to("/me?saved=1").into_response();
    if let Some(cookie) = crate::web::lang::lang_cookie(&state, lang) {
        response
            .headers_mut()
            .append(http::header::SET_COOKIE, cookie);
    }
    response
}

pub(crate) async fn export_download(State(state): State<AppState>, page: PageCtx) -> Response {
    match &page.signed_in {
        Some(signed_in) => export_response(&state, signed_in).await,
        None => to_sign_in(),
    }
}

pub(crate) async fn delete_page(State(state): State<AppState>, page: PageCtx) -> Response {
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
pub(crate) struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn delete(
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
    // The box is the form's own guard against a slip; the use case asks the policy.
    if form.confirm != "yes" {
        return page.render(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "me_delete.html",
            context! { error => true },
        );
    }
    let done = match state.consultation().forget_person(&actor, person).await {
        Ok(done) => done,
        Err(PrivacyError::Forbidden) => {
            return page.error(&state, StatusCode::FORBIDDEN, "error-title");
        }
        Err(PrivacyError::Db(err)) => {
            tracing::error!(error = %err, "could not forget a person");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // What their sessions could see they may no longer see.
    for session in &done.sessions {
        state.end_session_sockets(*session);
    }
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
