//! The planner's page of one hearing: its facts and warnings, the input that arrived
//! (kept up to date live by `web/static/planner_hearing.js`), and the forms that
//! move it through its lifecycle, extend its deadline, edit a draft and turn
//! screening on or off. A refused form is shown again with what was typed.

use super::workbench::{form_errors, hearing_row, non_empty};
use crate::auth::planner::{Planner, require_planner};
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field};
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use consultation::hearings::{ExtendError, HearingInputs};
use domain::hearing::{Hearing, HearingState, Transition};
use domain::policy::{Action, Actor, can};
use domain::{HearingId, Lang};
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

const DRAFT_FIELDS: &[Field] = &[
    field(
        "document_version_id",
        "draft-version",
        "planner-field-document",
    ),
    field("title", "draft-title", "planner-field-title"),
    field(
        "announcement",
        "draft-announcement",
        "planner-field-announcement",
    ),
    field(
        "contact_name",
        "draft-contact-name",
        "planner-field-contact-name",
    ),
    field(
        "contact_email",
        "draft-contact-email",
        "planner-field-contact-email",
    ),
];

const EXTEND_FIELDS: &[Field] = &[
    field("deadline_on", "new-deadline", "planner-field-deadline"),
    field("reason", "reason", "planner-field-reason"),
];

/// The "use the suggested deadline" form: its date is fixed, so only its reason can
/// be wrong, and that is told beside its own box.
const SUGGESTED_FIELDS: &[Field] = &[field("reason", "suggested-reason", "planner-field-reason")];

const CLOSE_FIELDS: &[Field] = &[field(
    "reason",
    "close-reason",
    "planner-field-close-reason",
)];

/// What the page shows besides the hearing: a confirmation, or the errors of a
/// refused form with what was typed in it.
pub(super) struct Shown {
    notice: Option<String>,
    errors: FormErrors,
    draft: Option<DraftForm>,
    extend: Option<ExtendForm>,
    close_reason: Option<String>,
    status: StatusCode,
}

impl Shown {
    fn plain(lang: Lang) -> Shown {
        Shown {
            notice: None,
            errors: FormErrors::new(lang),
            draft: None,
            extend: None,
            close_reason: None,
            status: StatusCode::OK,
        }
    }

    pub(super) fn done(lang: Lang, message_id: &str) -> Shown {
        Shown::notice(lang, i18n::t(lang, message_id))
    }

    pub(super) fn notice(lang: Lang, text: String) -> Shown {
        Shown {
            notice: Some(text),
            ..Shown::plain(lang)
        }
    }

    pub(super) fn refused(lang: Lang, status: StatusCode, errors: FormErrors) -> Shown {
        Shown {
            errors,
            status,
            ..Shown::plain(lang)
        }
    }
}

/// One of the planner's own hearings: `Ok(None)` when it is unknown or not theirs
/// (the two look the same); `Err` when the database failed, which is not "not found".
async fn load_own(
    state: &AppState,
    planner: &Planner,
    id: &str,
) -> Result<Option<Hearing>, consultation::DbError> {
    let Ok(id) = id.parse::<HearingId>() else {
        return Ok(None);
    };
    match state
        .consultation()
        .planned_hearing(&planner.actor, id)
        .await
    {
        Ok(hearing) => Ok(Some(hearing)),
        Err(consultation::hearings::HearingError::Db(e)) => Err(e),
        Err(_) => Ok(None),
    }
}

/// The signed-in planner and one of their own hearings, or the page to show instead.
pub(super) async fn planner_and_hearing(
    state: &AppState,
    page: &PageCtx,
    id: &str,
) -> Result<(Planner, Hearing), Response> {
    let planner = require_planner(state, page).await?;
    match load_own(state, &planner, id).await {
        Ok(Some(hearing)) => Ok((planner, hearing)),
        Ok(None) => Err(page.error(state, StatusCode::NOT_FOUND, "hearing-not-found")),
        Err(err) => {
            tracing::error!(error = %err, "could not read a hearing for the workbench");
            Err(page.error(
                state,
                StatusCode::SERVICE_UNAVAILABLE,
                "form-error-unavailable",
            ))
        }
    }
}

/// The label of each section the comments can be on.
pub(super) fn section_labels(
    lang: Lang,
    inputs: &HearingInputs,
) -> std::collections::HashMap<domain::SectionId, String> {
    inputs
        .sections
        .iter()
        .map(|s| (s.id, crate::web::section_label(lang, &s.number, &s.title)))
        .collect()
}

/// A line of the hearing's table of input.
pub(super) fn input_row(
    lang: Lang,
    labels: &std::collections::HashMap<domain::SectionId, String>,
    c: &domain::hearing::Comment,
) -> Value {
    context! {
        id => c.id.to_string(),
        section => labels.get(&c.section_id).cloned().unwrap_or_default(),
        author => crate::comments::views::shown_author(lang, c),
        anonymised => c.anonymised,
        late => c.late,
        reply => c.parent_id.is_some(),
        date => format_datetime(lang, c.created_at),
        excerpt => domain::email::excerpt(&c.body, 300),
    }
}

/// A line of the hearing's list of official responses.
pub(super) fn response_row(lang: Lang, r: &domain::response::Response) -> Value {
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

/// The counts the page shows at the top, also sent with every live row.
pub(super) fn counts(inputs: &HearingInputs) -> Value {
    context! {
        comments => inputs.comments.len(),
        late => inputs.comments.iter().filter(|c| c.late).count(),
        responses => inputs.responses.len(),
    }
}

pub(super) async fn render_hearing(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    hearing: &Hearing,
    shown: Shown,
) -> Response {
    let lang = page.lang;
    let service = state.consultation();
    let loaded = match service.planner_hearing(&planner.actor, hearing).await {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(error = %err, "could not load a hearing");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let consultation::hearings::PlannerHearing {
        plan,
        changes,
        inputs,
        moderation,
        draft_versions,
        last_seq,
    } = loaded;
    let moderation = crate::comments::views::moderation(lang, moderation);
    let reminders = match service.reminder_overview(&planner.actor, hearing).await {
        Ok(overview) => super::workbench_reminders::reminders_view(lang, overview),
        Err(err) => {
            tracing::error!(error = %err, "could not load the hearing's reminders");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // Closing before the deadline has a form of its own, with the reason.
    let closes_early = hearing.state == HearingState::Open && service.now() < hearing.deadline;
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
    let labels = section_labels(lang, &inputs);
    // Every published input, newest first; a forgotten author shows as such.
    let rows: Vec<Value> = inputs
        .comments
        .iter()
        .rev()
        .map(|c| input_row(lang, &labels, c))
        .collect();
    let draft = if hearing.state == HearingState::Draft {
        Some(draft_form(hearing, &draft_versions, shown.draft.as_ref()))
    } else {
        None
    };
    let warnings = super::api::period_warnings(lang, hearing);
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
    let extend = shown.extend.unwrap_or_default();
    page.render(
        state,
        shown.status,
        "planner_hearing.html",
        context! {
            hearing => hearing_row(lang, hearing),
            plan => context! { id => plan.id.to_string(), title => plan.title },
            public => can(&Actor::anonymous(), Action::Read, consultation::access::hearing_resource(hearing)),
            warnings => warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
            suggestion => suggestion,
            closes_early => closes_early,
            close_reason => shown.close_reason.unwrap_or_default(),
            extend => Value::from_serialize(&extend),
            draft => draft,
            actions => actions,
            log => log,
            counts => counts(&inputs),
            responses => inputs.responses.iter().map(|r| response_row(lang, r)).collect::<Vec<_>>(),
            last_seq => last_seq,
            inputs => rows,
            message => shown.notice,
            errors => shown.errors.value(),
            moderation => moderation,
            screening_on => hearing.screen_public_input,
            reminders => reminders,
        },
    )
}

/// The draft's edit form: its versions, and its values or what was just typed.
fn draft_form(
    hearing: &Hearing,
    draft_versions: &[(domain::plan::Document, Vec<domain::plan::DocumentVersion>)],
    typed: Option<&DraftForm>,
) -> Value {
    let selected = typed
        .map(|t| t.document_version_id.trim().to_owned())
        .unwrap_or_else(|| hearing.document_version_id.to_string());
    let mut versions = Vec::new();
    for (document, document_versions) in draft_versions {
        for version in document_versions {
            versions.push(context! {
                id => version.id.to_string(),
                label => format!("{} ({})", document.title, version.number),
                selected => version.id.to_string() == selected,
            });
        }
    }
    match typed {
        Some(t) => context! {
            title => t.title, announcement => t.announcement,
            contact_name => t.contact_name, contact_email => t.contact_email,
            versions => versions,
        },
        None => context! {
            title => hearing.title, announcement => hearing.announcement,
            contact_name => hearing.contact_name, contact_email => hearing.contact_email,
            versions => versions,
        },
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct HearingQuery {
    /// What a moderation form just did (`hidden` or `restored`).
    done: Option<String>,
}

pub(super) async fn hearing(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<HearingQuery>,
) -> Response {
    let shown = match query.done.as_deref() {
        Some(done @ ("hidden" | "restored" | "published")) => {
            Shown::done(page.lang, &format!("moderation-done-{done}"))
        }
        _ => Shown::plain(page.lang),
    };
    match planner_and_hearing(&state, &page, &id).await {
        Ok((planner, hearing)) => render_hearing(&state, &page, &planner, &hearing, shown).await,
        Err(r) => r,
    }
}

/// The page for a refusal the use case gave, or the error page when the page itself
/// cannot be shown.
fn unavailable(state: &AppState, page: &PageCtx, err: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %err, "could not change a hearing");
    page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
}

#[derive(Debug, Deserialize)]
pub(super) struct StateForm {
    action: String,
    /// Needed to close before the published deadline.
    #[serde(default)]
    reason: String,
}

pub(super) async fn change(
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
    let lang = page.lang;
    match state
        .consultation()
        .change_hearing_state(
            &planner.actor,
            &planner.who,
            &hearing,
            transition,
            non_empty(&form.reason),
        )
        .await
    {
        Ok(changed) => {
            let done = format!("planner-done-{}", transition.as_str());
            render_hearing(&state, &page, &planner, &changed, Shown::done(lang, &done)).await
        }
        Err(err) => match form_errors(lang, CLOSE_FIELDS, "reason", &err) {
            Some((status, errors)) => {
                let shown = Shown {
                    close_reason: Some(form.reason),
                    ..Shown::refused(lang, status, errors)
                };
                render_hearing(&state, &page, &planner, &hearing, shown).await
            }
            None => unavailable(&state, &page, &err),
        },
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ScreeningForm {
    /// "1" to screen public input, "0" to stop.
    enabled: String,
}

pub(super) async fn screening(
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
            let done = if on {
                "screening-done-on"
            } else {
                "screening-done-off"
            };
            render_hearing(
                &state,
                &page,
                &planner,
                &changed,
                Shown::done(page.lang, done),
            )
            .await
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

#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct ExtendForm {
    #[serde(default)]
    deadline_on: String,
    #[serde(default)]
    reason: String,
    /// "suggested" when sent from the suggested-deadline form.
    #[serde(default)]
    form: String,
}

impl ExtendForm {
    fn fields(&self) -> &'static [Field] {
        if self.form == "suggested" {
            SUGGESTED_FIELDS
        } else {
            EXTEND_FIELDS
        }
    }
}

/// A refused extension, told beside its field.
fn extend_errors(
    lang: Lang,
    fields: &[Field],
    err: ExtendError,
) -> Result<(StatusCode, FormErrors), ExtendError> {
    let on = |name: &str, message: String| FormErrors::field(lang, fields, name, message);
    let general = |id: &str| FormErrors::general(lang, i18n::t(lang, id));
    Ok(match err {
        ExtendError::Deadline(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            on("deadline_on", super::deadline::error_message(lang, &e)),
        ),
        ExtendError::NotLater => (
            StatusCode::UNPROCESSABLE_ENTITY,
            on("deadline_on", i18n::t(lang, "planner-error-not_later")),
        ),
        ExtendError::Completed => (
            StatusCode::CONFLICT,
            general("planner-error-invalid_transition"),
        ),
        ExtendError::Conflict => (StatusCode::CONFLICT, general("planner-error-edit_conflict")),
        err @ ExtendError::Db(_) => return Err(err),
    })
}

pub(super) async fn extend(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ExtendForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let lang = page.lang;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let result = async {
        let mut errors = FormErrors::new(lang);
        let requested = form.deadline_on.trim().parse::<jiff::civil::Date>();
        if requested.is_err() {
            let text = i18n::t(lang, "planner-error-invalid_date");
            errors.add(form.fields(), "deadline_on", text);
        }
        let reason = domain::validate::text("reason", &form.reason, 2000);
        if let Err(e) = &reason {
            let text = crate::web::form::problem_text(lang, e.problem);
            errors.add(form.fields(), "reason", text);
        }
        let (Ok(requested), Ok(reason)) = (requested, reason) else {
            return Ok(Err((unprocessable, errors)));
        };
        match state
            .consultation()
            .extend_deadline(planner.who.clone(), &hearing, requested, reason)
            .await
        {
            Ok(changed) => Ok(Ok(changed)),
            Err(err) => extend_errors(lang, form.fields(), err).map(Err),
        }
    }
    .await;
    match result {
        Ok(Ok(changed)) => {
            let shown = Shown::done(lang, "planner-done-extend");
            render_hearing(&state, &page, &planner, &changed, shown).await
        }
        Ok(Err((status, errors))) => {
            let shown = Shown {
                extend: Some(form),
                ..Shown::refused(lang, status, errors)
            };
            render_hearing(&state, &page, &planner, &hearing, shown).await
        }
        Err(err) => unavailable(&state, &page, &err),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct DraftForm {
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

pub(super) async fn edit_draft(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let lang = page.lang;
    let refused = |status, errors| Shown {
        draft: None,
        ..Shown::refused(lang, status, errors)
    };
    let Ok(version) = uuid::Uuid::parse_str(form.document_version_id.trim()) else {
        let text = i18n::t(lang, "planner-error-unknown_document_version");
        let errors = FormErrors::field(lang, DRAFT_FIELDS, "document_version_id", text);
        let shown = Shown {
            draft: Some(form),
            ..refused(StatusCode::UNPROCESSABLE_ENTITY, errors)
        };
        return render_hearing(&state, &page, &planner, &hearing, shown).await;
    };
    let command = consultation::hearings::DraftEditCommand {
        title: form.title.clone(),
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
            let shown = Shown::done(lang, "planner-done-edited");
            render_hearing(&state, &page, &planner, &changed, shown).await
        }
        Err(err) => match form_errors(lang, DRAFT_FIELDS, "deadline_on", &err) {
            Some((status, errors)) => {
                let shown = Shown {
                    draft: Some(form),
                    ..refused(status, errors)
                };
                render_hearing(&state, &page, &planner, &hearing, shown).await
            }
            None => unavailable(&state, &page, &err),
        },
    }
}
