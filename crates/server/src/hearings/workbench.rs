//! The planner's workbench: the municipality's plans and hearings, creating a
//! hearing with the deadline rules, moving it through its lifecycle, extending its
//! deadline, and its log. Forms post to the same operations as the JSON API.

use crate::auth::planner::{Planner, require_planner};
use crate::error::error_text;
use crate::hearings::api::{CreateHearing, change_state, create, period_warnings};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::hearing::{Hearing, Transition};
use domain::policy::{Action, Actor, can};
use domain::{HearingId, Lang};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner", get(overview))
        .route("/planner/hearings/new", get(new_hearing_form))
        .route("/planner/hearings", post(create_hearing))
        .route("/planner/hearings/{id}", get(hearing))
        .route("/planner/hearings/{id}/state", post(change))
        .route("/planner/hearings/{id}/extend", post(extend))
        .route("/planner/hearings/{id}/screening", post(screening))
        .route("/planner/hearings/{id}/edit", post(edit_draft))
        .route("/planner/hearings/{id}/reminders", post(set_reminders))
        .route(
            "/planner/hearings/{id}/reminders/send",
            post(send_reminders),
        )
}

fn hearing_row(lang: Lang, h: &Hearing) -> Value {
    context! {
        id => h.id.to_string(),
        title => h.title,
        state => h.state.as_str(),
        deadline => format_datetime(lang, h.deadline),
        opens => format_datetime(lang, h.opens_at),
    }
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
                    milestones => p.milestones
                        .iter()
                        .map(|m| context! { id => m.id.to_string(), title => m.title, date => i18n::format_date(lang, m.due_on), done => m.done })
                        .collect::<Vec<_>>(),
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

/// The document versions a hearing can be opened on: the newest of each document.
async fn version_choices(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<Value>, consultation::plans::PlanError> {
    Ok(state
        .consultation()
        .version_choices(actor)
        .await?
        .into_iter()
        .map(|c| {
            context! {
                id => c.version.id.to_string(),
                label => format!("{} – {} ({})", c.plan.title, c.document.title, c.version.number),
            }
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
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
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match version_choices(state, &planner.actor).await {
        Ok(versions) => page.render(
            state,
            status,
            "planner_new_hearing.html",
            context! { versions => versions, form => Value::from_serialize(form), error => error },
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not list documents");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn new_hearing_form(State(state): State<AppState>, page: PageCtx) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let form = HearingForm {
        kind: "pbl".into(),
        audience: "public".into(),
        weeks: "6".into(),
        opens_on: jiff::Timestamp::now()
            .to_zoned(domain::deadline::oslo())
            .date()
            .to_string(),
        ..HearingForm::default()
    };
    render_form(&state, &page, &planner, &form, None, StatusCode::OK).await
}

fn non_empty(value: &str) -> Option<String> {
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
    let invalid = |message: String| (StatusCode::UNPROCESSABLE_ENTITY, message);
    let parsed = (|| {
        let version = uuid::Uuid::parse_str(form.document_version_id.trim())
            .map_err(|_| invalid(i18n::t(page.lang, "planner-error-unknown_document_version")))?;
        let deadline_on = non_empty(&form.deadline_on);
        let weeks = match (&deadline_on, non_empty(&form.weeks)) {
            (Some(_), _) | (None, None) => None,
            (None, Some(w)) => Some(
                w.parse::<u32>()
                    .map_err(|_| invalid(i18n::t(page.lang, "planner-error-weeks_out_of_range")))?,
            ),
        };
        Ok::<_, (StatusCode, String)>(CreateHearing {
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
    let body = match parsed {
        Ok(body) => body,
        Err((status, message)) => {
            return render_form(&state, &page, &planner, &form, Some(message), status).await;
        }
    };
    match create(&state, &planner.actor, planner.who.clone(), page.lang, body).await {
        Ok((hearing, _)) => {
            Redirect::to(&format!("/planner/hearings/{}", hearing.id)).into_response()
        }
        Err(err) => {
            let message = error_text(page.lang, &err);
            render_form(&state, &page, &planner, &form, Some(message), err.status).await
        }
    }
}

async fn load_own(state: &AppState, planner: &Planner, id: &str) -> Option<Hearing> {
    let id = id.parse::<HearingId>().ok()?;
    state
        .consultation()
        .planned_hearing(&planner.actor, id)
        .await
        .ok()
}

/// The signed-in planner and one of their own hearings, or the page to show instead.
async fn planner_and_hearing(
    state: &AppState,
    page: &PageCtx,
    id: &str,
) -> Result<(Planner, Hearing), Response> {
    let planner = require_planner(state, page).await?;
    match load_own(state, &planner, id).await {
        Some(hearing) => Ok((planner, hearing)),
        None => Err(page.error(state, StatusCode::NOT_FOUND, "hearing-not-found")),
    }
}

async fn render_hearing(
    state: &AppState,
    page: &PageCtx,
    hearing: &Hearing,
    message: Option<(bool, String)>,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let planner_actor = page.actor(state).await;
    let loaded = match state
        .consultation()
        .planner_hearing(&planner_actor, hearing)
        .await
    {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(error = %err, "could not load a hearing");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let consultation::hearings::PlannerHearing {
        plan,
        changes,
        comments,
        sections,
        responses,
        moderation,
        draft_versions,
        last_seq,
    } = loaded;
    let moderation = crate::comments::views::moderation(lang, moderation);
    let reminders = match state
        .consultation()
        .reminder_overview(&planner_actor, hearing)
        .await
    {
        Ok(overview) => reminders_view(lang, overview),
        Err(err) => {
            tracing::error!(error = %err, "could not load the hearing's reminders");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // Closing before the deadline has a form of its own, with the reason.
    let closes_early = hearing.state == domain::hearing::HearingState::Open
        && state.consultation().now() < hearing.deadline;
    let actions: Vec<&str> = Transition::ALL
        .into_iter()
        .filter(|t| t.allowed_from(hearing.state))
        .filter(|t| !(closes_early && *t == Transition::Close))
        .map(Transition::as_str)
        .collect();
    let log: Vec<Value> = changes
        .iter()
        .map(|c| {
            context! {
                kind => c.kind.as_str(),
                actor => c.actor,
                reason => c.reason,
                at => format_datetime(lang, c.created_at),
                new_deadline => c.new_deadline.map(|d| format_datetime(lang, d)),
            }
        })
        .collect();
    let section_label: std::collections::HashMap<_, _> = sections
        .iter()
        .map(|s| (s.id, crate::web::section_label(lang, &s.number, &s.title)))
        .collect();
    // Every published input, newest first; a forgotten author shows as such.
    let inputs: Vec<Value> = comments
        .iter()
        .rev()
        .map(|c| {
            context! {
                id => c.id.to_string(),
                section => section_label.get(&c.section_id).cloned().unwrap_or_default(),
                author => crate::comments::views::shown_author(lang, c),
                anonymised => c.anonymised,
                late => c.late,
                reply => c.parent_id.is_some(),
                date => format_datetime(lang, c.created_at),
                excerpt => domain::email::excerpt(&c.body, 300),
            }
        })
        .collect();
    let (ok, text) = message.map_or((true, None), |(ok, text)| (ok, Some(text)));
    // A draft can still be edited: its title, announcement, version and contact.
    let draft = if hearing.state == domain::hearing::HearingState::Draft {
        let mut versions = Vec::new();
        for (document, document_versions) in &draft_versions {
            for version in document_versions {
                versions.push(context! {
                    id => version.id.to_string(),
                    label => format!("{} ({})", document.title, version.number),
                    selected => version.id == hearing.document_version_id,
                });
            }
        }
        Some(context! {
            title => hearing.title,
            announcement => hearing.announcement,
            contact_name => hearing.contact_name,
            contact_email => hearing.contact_email,
            versions => versions,
        })
    } else {
        None
    };
    let warnings = period_warnings(lang, hearing);
    // "Use the suggested deadline": one action, with the reason written out.
    let suggestion = warnings
        .iter()
        .find_map(|w| w.suggested_deadline.as_deref())
        .and_then(|at| at.parse::<jiff::Timestamp>().ok())
        .map(|at| {
            let date = at.to_zoned(domain::deadline::oslo()).date();
            let weeks = i64::from(hearing.period_weeks);
            context! {
                date => date.to_string(),
                shown => i18n::format_date(lang, date),
                weeks => weeks,
                reason => i18n::catalog().message(
                    lang,
                    "planner-suggested-reason",
                    &[("weeks", fluent_bundle::FluentValue::from(weeks))],
                ),
            }
        });
    page.render(
        state,
        status,
        "planner_hearing.html",
        context! {
            hearing => hearing_row(lang, hearing),
            plan => plan.title,
            public => can(&Actor::anonymous(), Action::Read, consultation::access::hearing_resource(hearing)),
            warnings => warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
            suggestion => suggestion,
            closes_early => closes_early,
            draft => draft,
            actions => actions,
            log => log,
            comment_count => comments.len(),
            responses => responses.iter().map(|r| response_row(lang, r)).collect::<Vec<_>>(),
            last_seq => last_seq,
            late_count => comments.iter().filter(|c| c.late).count(),
            inputs => inputs,
            message => text,
            message_ok => ok,
            moderation => moderation,
            screening_on => hearing.screen_public_input,
            reminders => reminders,
        },
    )
}

/// The reminders section: the days, when each goes out, and who stands where.
fn reminders_view(lang: Lang, o: consultation::reminders::ReminderOverview) -> Value {
    context! {
        days => domain::reminder::days_text(&o.days).replace(',', ", "),
        planned => o.planned.iter().map(|p| context! {
            days => p.days,
            at => format_datetime(lang, p.at),
            passed => p.passed,
        }).collect::<Vec<_>>(),
        invitees => o.invitees.iter().map(|i| context! {
            name => i.name,
            email => i.email,
            organisations => i.organisations.join(", "),
            answered => i.answered,
            next => i.next_reminder.map(|at| format_datetime(lang, at)),
        }).collect::<Vec<_>>(),
        can_send_now => o.can_send_now,
    }
}

/// A reminder refusal in the reader's language.
fn reminder_message(lang: Lang, err: &consultation::reminders::ReminderError) -> String {
    use consultation::reminders::ReminderError;
    match err {
        ReminderError::Forbidden => i18n::t(lang, "planner-forbidden"),
        ReminderError::Db(_) => i18n::t(lang, "reminders-error-unavailable"),
        ReminderError::Days(_) | ReminderError::NotOpen => {
            i18n::t(lang, &format!("reminders-error-{}", err.code()))
        }
    }
}

#[derive(Debug, Deserialize)]
struct RemindersForm {
    #[serde(default)]
    days: String,
}

async fn set_reminders(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<RemindersForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let days = match domain::reminder::parse_days(&form.days) {
        Ok(days) => days,
        Err(e) => {
            let text = reminder_message(page.lang, &e.into());
            return render_hearing(
                &state,
                &page,
                &hearing,
                Some((false, text)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .consultation()
        .set_reminder_days(&planner.actor, &planner.who, &hearing, &days)
        .await
    {
        Ok(changed) => {
            let text = i18n::t(page.lang, "reminders-done-saved");
            render_hearing(&state, &page, &changed, Some((true, text)), StatusCode::OK).await
        }
        Err(err) => {
            let text = reminder_message(page.lang, &err);
            let status = crate::hearings::reminders::reminder_error(err).status;
            render_hearing(&state, &page, &hearing, Some((false, text)), status).await
        }
    }
}

async fn send_reminders(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    match state
        .consultation()
        .send_reminders_now(&planner.actor, &planner.who, &hearing)
        .await
    {
        Ok(count) => {
            let text = i18n::catalog().message(
                page.lang,
                "reminders-done-sent",
                &[("count", fluent_bundle::FluentValue::from(count))],
            );
            render_hearing(&state, &page, &hearing, Some((true, text)), StatusCode::OK).await
        }
        Err(err) => {
            let text = reminder_message(page.lang, &err);
            let status = crate::hearings::reminders::reminder_error(err).status;
            render_hearing(&state, &page, &hearing, Some((false, text)), status).await
        }
    }
}

/// A line of the hearing's list of official responses.
fn response_row(lang: Lang, r: &domain::response::Response) -> Value {
    let current = r.current();
    context! {
        id => r.id.to_string(),
        organisation => r.organisation_name,
        author => r.author_label(),
        versions => r.versions.len(),
        attachments => current.map_or(0, |v| v.attachment_ids.len()),
        updated => format_datetime(lang, r.updated_at),
        late => r.late,
    }
}

#[derive(Debug, Deserialize)]
struct HearingQuery {
    /// What a moderation form just did (`hidden` or `restored`).
    done: Option<String>,
}

async fn hearing(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<HearingQuery>,
) -> Response {
    let message = match query.done.as_deref() {
        Some(done @ ("hidden" | "restored" | "published")) => {
            Some((true, i18n::t(page.lang, &format!("moderation-done-{done}"))))
        }
        _ => None,
    };
    match planner_and_hearing(&state, &page, &id).await {
        Ok((_, hearing)) => render_hearing(&state, &page, &hearing, message, StatusCode::OK).await,
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize)]
struct StateForm {
    action: String,
    /// Needed to close before the published deadline.
    #[serde(default)]
    reason: String,
}

async fn change(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<StateForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Some(transition) = Transition::ALL
        .into_iter()
        .find(|t| t.as_str() == form.action)
    else {
        return page.error(&state, StatusCode::BAD_REQUEST, "error-title");
    };
    let reason = Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty());
    match change_state(
        &state,
        &planner.actor,
        &planner.who,
        &hearing,
        transition,
        reason,
    )
    .await
    {
        Ok(changed) => {
            let text = i18n::t(page.lang, &format!("planner-done-{}", transition.as_str()));
            render_hearing(&state, &page, &changed, Some((true, text)), StatusCode::OK).await
        }
        Err(err) => {
            let text = error_text(page.lang, &err);
            render_hearing(&state, &page, &hearing, Some((false, text)), err.status).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct ScreeningForm {
    /// "1" to screen public input, "0" to stop.
    enabled: String,
}

async fn screening(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ScreeningForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let on = form.enabled == "1";
    match state
        .consultation()
        .set_screening(&planner.actor, &planner.who, &hearing, on)
        .await
    {
        Ok(changed) => {
            let text = i18n::t(
                page.lang,
                if on {
                    "screening-done-on"
                } else {
                    "screening-done-off"
                },
            );
            render_hearing(&state, &page, &changed, Some((true, text)), StatusCode::OK).await
        }
        Err(err) => {
            tracing::error!(error = %err, "could not change screening");
            page.error(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "form-error-unavailable",
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct ExtendForm {
    #[serde(default)]
    deadline_on: String,
    #[serde(default)]
    reason: String,
}

async fn extend(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ExtendForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let fail = |text: String| (false, text);
    let result = async {
        let requested = form
            .deadline_on
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| fail(i18n::t(page.lang, "planner-error-invalid_date")))?;
        let reason = domain::validate::text("reason", &form.reason, 2000)
            .map_err(|_| fail(i18n::t(page.lang, "planner-error-reason_required")))?;
        state
            .consultation()
            .extend_deadline(planner.who.clone(), &hearing, requested, reason)
            .await
            .map_err(|e| {
                fail(error_text(
                    page.lang,
                    &crate::hearings::extend_error(e, page.lang),
                ))
            })
    }
    .await;
    match result {
        Ok(changed) => {
            let text = i18n::t(page.lang, "planner-done-extend");
            render_hearing(&state, &page, &changed, Some((true, text)), StatusCode::OK).await
        }
        Err(message) => {
            render_hearing(
                &state,
                &page,
                &hearing,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
struct DraftForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    announcement: String,
    #[serde(default)]
    document_version_id: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_email: String,
}

async fn edit_draft(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Ok(version) = uuid::Uuid::parse_str(form.document_version_id.trim()) else {
        let text = i18n::t(page.lang, "planner-error-unknown_document_version");
        return render_hearing(
            &state,
            &page,
            &hearing,
            Some((false, text)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let command = consultation::hearings::DraftEditCommand {
        title: form.title,
        announcement: non_empty(&form.announcement),
        document_version_id: version,
        contact_name: non_empty(&form.contact_name),
        contact_email: non_empty(&form.contact_email),
    };
    match state
        .consultation()
        .edit_draft_hearing(&planner.actor, &planner.who, &hearing, command)
        .await
    {
        Ok(changed) => {
            let text = i18n::t(page.lang, "planner-done-edited");
            render_hearing(&state, &page, &changed, Some((true, text)), StatusCode::OK).await
        }
        Err(err) => {
            let err = crate::hearings::hearing_error(err, page.lang);
            let text = error_text(page.lang, &err);
            render_hearing(&state, &page, &hearing, Some((false, text)), err.status).await
        }
    }
}
