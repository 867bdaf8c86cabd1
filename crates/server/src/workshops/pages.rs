//! Workshop pages: the workshop (for the invited: the answer form; for its planners:
//! who comes, their needs, attendance and cancelling), its `.ics` file, the
//! planner's form to create or change one, and a group's own page. Every page works
//! without JavaScript; a refused form comes back as typed with the message beside
//! its field.

use super::{form_error, local_input, parse_time};
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field};
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::workshops::{WorkshopError, WorkshopFormOptions, WorkshopPage};
use domain::workshop::{AgendaDraft, IgpStage, Needs, Place, Seat, Workshop, WorkshopDraft};
use domain::{GroupId, Lang, PersonId, PlanId, WorkshopId};
use http::{StatusCode, header};
use minijinja::{Value, context};
use notify::calendar::{Method, workshop_calendar};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops/{file}", get(workshop_or_ics))
        .route("/workshops/{id}/answer", post(answer))
        .route("/workshops/{id}/cancel", post(cancel))
        .route("/workshops/{id}/attendance/{person}", post(attendance))
        .route("/groups/{id}", get(group_page))
        .route("/groups/{id}/readings/{document}", get(group_reading_page))
        .route("/planner/plans/{id}/workshops/new", get(new_workshop_form))
        .route("/planner/plans/{id}/workshops", post(create_workshop))
        .route(
            "/planner/workshops/{id}/edit",
            get(edit_workshop_form).post(update_workshop),
        )
}

/// How many agenda rows the planner's form offers.
const AGENDA_ROWS: usize = 6;

const ANSWER_FIELDS: &[Field] = &[
    field("answer", "ws-answer-yes", "workshop-answer-label"),
    field("diet", "ws-diet", "workshop-need-diet"),
    field(
        "accessibility",
        "ws-accessibility",
        "workshop-need-accessibility",
    ),
    field("interpreter", "ws-interpreter", "workshop-need-interpreter"),
];

const WORKSHOP_FIELDS: &[Field] = &[
    field("title", "ws-title", "workshop-field-title"),
    field("purpose", "ws-purpose", "workshop-field-purpose"),
    field("starts_at", "ws-starts", "workshop-field-starts"),
    field("ends_at", "ws-ends", "workshop-field-ends"),
    field("address", "ws-address", "workshop-field-address"),
    field("online_link", "ws-online", "workshop-field-online"),
    field("capacity", "ws-capacity", "workshop-field-capacity"),
    field("reminder_hours", "ws-reminder", "workshop-field-reminder"),
    field("groups", "ws-group-0", "workshop-field-groups"),
    field("agenda", "ws-agenda-title-0", "workshop-agenda-title"),
    field("agenda_title", "ws-agenda-title-0", "workshop-agenda-title"),
    field(
        "agenda_minutes",
        "ws-agenda-minutes-0",
        "workshop-agenda-minutes",
    ),
];

fn missing_or_unavailable(state: &AppState, page: &PageCtx, err: &WorkshopError) -> Response {
    if let WorkshopError::Db(e) = err {
        tracing::error!(error = %e, "could not show a workshop page");
        return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
    }
    page.error(state, StatusCode::NOT_FOUND, "error-not-found")
}

fn to_sign_in(path: &str) -> Response {
    Redirect::to(&format!("/sign-in?next={}", url_escape(path))).into_response()
}

fn url_escape(path: &str) -> String {
    serde_urlencoded::to_string([("", path)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The time of a workshop as one line: the start in full, the end as a time.
fn when(lang: Lang, workshop: &Workshop) -> String {
    format!(
        "{}–{}",
        format_datetime(lang, workshop.starts_at),
        workshop
            .ends_at
            .to_zoned(domain::deadline::oslo())
            .strftime("%H:%M")
    )
}

/// The accessibility features of a place, as message ids.
fn features(place: &Place) -> Vec<&'static str> {
    [
        (place.step_free_access, "workshop-feature-step-free"),
        (place.hearing_loop, "workshop-feature-hearing-loop"),
        (place.parking, "workshop-feature-parking"),
        (place.interpreter_on_request, "workshop-feature-interpreter"),
    ]
    .into_iter()
    .filter_map(|(offered, id)| offered.then_some(id))
    .collect()
}

/// A workshop as the lists show it.
fn summary(lang: Lang, w: &Workshop) -> Value {
    context! {
        id => w.id.to_string(),
        title => w.title,
        when => when(lang, w),
        cancelled => w.is_cancelled(),
        place => w.place.as_ref().map(|p| p.address.clone()),
        online => w.online_link.is_some(),
    }
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    diet: String,
    #[serde(default)]
    accessibility: String,
    #[serde(default)]
    interpreter: String,
    #[serde(default)]
    assistant: String,
}

impl AnswerForm {
    fn of(page: &WorkshopPage) -> AnswerForm {
        page.mine
            .as_ref()
            .map(|r| AnswerForm {
                answer: r.answer.as_str().to_owned(),
                diet: r.needs.diet.clone().unwrap_or_default(),
                accessibility: r.needs.accessibility.clone().unwrap_or_default(),
                interpreter: r.needs.interpreter.clone().unwrap_or_default(),
                assistant: if r.needs.assistant { "true" } else { "" }.to_owned(),
            })
            .unwrap_or_default()
    }

    fn needs(&self) -> Needs {
        let some = |v: &str| (!v.trim().is_empty()).then(|| v.to_owned());
        Needs {
            diet: some(&self.diet),
            accessibility: some(&self.accessibility),
            interpreter: some(&self.interpreter),
            assistant: self.assistant == "true",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn seat_id(seat: Seat) -> &'static str {
    match seat {
        Seat::Confirmed => "workshop-seat-confirmed",
        Seat::Waiting => "workshop-seat-waiting",
        Seat::None => "workshop-seat-none",
    }
}

async fn render_workshop(
    state: &AppState,
    page: &PageCtx,
    id: WorkshopId,
    notice: Option<&str>,
    typed: Option<(&AnswerForm, FormErrors)>,
    status: StatusCode,
) -> Response {
    let actor = page.actor(state).await;
    let found = match state.consultation().workshop_page(&actor, id).await {
        Ok(found) => found,
        Err(err) => return missing_or_unavailable(state, page, &err),
    };
    let lang = page.lang;
    let w = &found.workshop;
    let (form, errors) = match typed {
        Some((form, errors)) => (form.clone(), errors),
        None => (AnswerForm::of(&found), FormErrors::new(lang)),
    };
    let agenda: Vec<Value> = w
        .agenda
        .iter()
        .zip(found.agenda_sections.iter())
        .map(|(item, sections)| {
            context! {
                title => item.title,
                minutes => item.minutes,
                stages => item.stages.iter().map(|s| format!("workshop-stage-{}", s.as_str())).collect::<Vec<_>>(),
                sections => sections.iter().map(|s| context! {
                    number => s.section.number, title => s.section.title, document => s.document_title,
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let registrants: Vec<Value> = found
        .registrants
        .iter()
        .map(|r| {
            let needs = &r.registration.needs;
            context! {
                person => r.person.id.to_string(),
                name => r.person.name,
                answer => format!("workshop-answer-{}", r.registration.answer.as_str()),
                seat => seat_id(r.registration.seat),
                diet => needs.diet,
                accessibility => needs.accessibility,
                interpreter => needs.interpreter,
                assistant => needs.assistant,
                attended => r.registration.attended,
            }
        })
        .collect();
    page.render(
        state,
        status,
        "workshop.html",
        context! {
            workshop => context! {
                id => w.id.to_string(),
                title => w.title,
                purpose => w.purpose,
                when => when(lang, w),
                cancelled => w.is_cancelled(),
                capacity => w.capacity,
                online_link => w.online_link,
                place => w.place.as_ref().map(|p| context! {
                    address => p.address, features => features(p),
                }),
                sequence => w.sequence,
            },
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title },
            groups => found.groups.iter().map(|g| context! { id => g.id.to_string(), name => g.name }).collect::<Vec<_>>(),
            agenda => agenda,
            readings => found.readings.iter().map(|d| d.title.clone()).collect::<Vec<_>>(),
            mine => found.mine.as_ref().map(|r| context! {
                answer => format!("workshop-answer-{}", r.answer.as_str()),
                seat => seat_id(r.seat),
            }),
            invited => found.invited,
            may_answer => found.may_answer,
            manages => found.manages,
            registrants => registrants,
            turnout => context! {
                yes => found.turnout.yes, waiting => found.turnout.waiting, maybe => found.turnout.maybe,
                no => found.turnout.no, unanswered => found.turnout.unanswered, attended => found.turnout.attended,
            },
            attendance_open => found.attendance_open,
            notice => notice.map(|n| format!("workshop-done-{n}")),
            form => Value::from_serialize(&form),
            errors => errors.value(),
        },
    )
}

/// A planner's action on the workshop page that was refused: the page again with
/// the reason at the top (not found and storage errors as their own pages).
async fn refused_on_page(
    state: &AppState,
    page: &PageCtx,
    id: WorkshopId,
    err: WorkshopError,
) -> Response {
    if matches!(err, WorkshopError::WorkshopNotFound | WorkshopError::Db(_)) {
        return missing_or_unavailable(state, page, &err);
    }
    let (status, message) = form_error(page.lang, err);
    let errors = FormErrors::general(page.lang, message);
    render_workshop(
        state,
        page,
        id,
        None,
        Some((&AnswerForm::default(), errors)),
        status,
    )
    .await
}

async fn workshop_or_ics(
    State(state): State<AppState>,
    page: PageCtx,
    Path(file): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Response {
    if let Some(id) = file.strip_suffix(".ics") {
        return ics(&state, &page, id).await;
    }
    let Ok(id) = file.parse::<WorkshopId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let notice = query.done.as_deref().filter(|d| {
        matches!(
            *d,
            "answered" | "cancelled" | "saved" | "created" | "attendance"
        )
    });
    render_workshop(&state, &page, id, notice, None, StatusCode::OK).await
}

/// The workshop as an iCalendar file, for anyone who may see it; not found for
/// everyone else.
async fn ics(state: &AppState, page: &PageCtx, id: &str) -> Response {
    let Ok(id) = id.parse::<WorkshopId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let actor = page.actor(state).await;
    match state.consultation().workshop_event(&actor, id).await {
        Ok((workshop, event)) => {
            let method = if workshop.is_cancelled() {
                Method::Cancel
            } else {
                Method::Publish
            };
            (
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"arbeidsmote.ics\"",
                    ),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                workshop_calendar(&event, method),
            )
                .into_response()
        }
        Err(WorkshopError::Db(e)) => {
            tracing::error!(error = %e, "could not make a workshop's calendar file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn answer(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let Ok(id) = id.parse::<WorkshopId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    if page.signed_in.is_none() {
        return to_sign_in(&format!("/workshops/{id}"));
    }
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .answer_workshop(&actor, id, &form.answer, &form.needs())
        .await
    {
        Ok(_) => Redirect::to(&format!("/workshops/{id}?done=answered#answer")).into_response(),
        Err(err @ (WorkshopError::WorkshopNotFound | WorkshopError::Db(_))) => {
            missing_or_unavailable(&state, &page, &err)
        }
        Err(err) => {
            let errors = match &err {
                WorkshopError::Invalid(e) => FormErrors::invalid(page.lang, ANSWER_FIELDS, e),
                WorkshopError::UnknownAnswer => {
                    let (_, message) = form_error(page.lang, err);
                    FormErrors::field(page.lang, ANSWER_FIELDS, "answer", message)
                }
                _ => FormErrors::general(page.lang, form_error(page.lang, err).1),
            };
            render_workshop(
                &state,
                &page,
                id,
                None,
                Some((&form, errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn cancel(State(state): State<AppState>, page: PageCtx, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<WorkshopId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(&state).await;
    match state.consultation().cancel_workshop(&actor, id).await {
        Ok(_) => Redirect::to(&format!("/workshops/{id}?done=cancelled")).into_response(),
        Err(err) => refused_on_page(&state, &page, id, err).await,
    }
}

#[derive(Debug, Deserialize)]
struct AttendanceForm {
    #[serde(default)]
    attended: String,
}

async fn attendance(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, person)): Path<(String, String)>,
    Form(form): Form<AttendanceForm>,
) -> Response {
    let (Ok(id), Ok(person)) = (id.parse::<WorkshopId>(), person.parse::<PersonId>()) else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .record_attendance(&actor, id, person, form.attended == "true")
        .await
    {
        Ok(()) => {
            Redirect::to(&format!("/workshops/{id}?done=attendance#who-comes")).into_response()
        }
        Err(err) => refused_on_page(&state, &page, id, err).await,
    }
}

async fn group_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<GroupId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    if page.signed_in.is_none() {
        return to_sign_in(&format!("/groups/{id}"));
    }
    let actor = page.actor(&state).await;
    let found = match state.consultation().group_page(&actor, id).await {
        Ok(found) => found,
        Err(err) => return missing_or_unavailable(&state, &page, &err),
    };
    let lang = page.lang;
    page.render(
        &state,
        StatusCode::OK,
        "group.html",
        context! {
            group => context! {
                id => found.group.id.to_string(),
                name => found.group.name,
                kind => format!("group-kind-{}", found.group.kind.as_str()),
            },
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title },
            purpose => found.purpose,
            members => found.members.iter().map(|m| context! {
                name => m.person.name, organisation => m.organisation,
            }).collect::<Vec<_>>(),
            workshops => found.workshops.iter().map(|w| context! {
                answer => found.answers.get(&w.id).map(|r| format!("workshop-answer-{}", r.answer.as_str())),
                ..summary(lang, w)
            }).collect::<Vec<_>>(),
            readings => found.readings.iter().map(|d| context! {
                id => d.id.to_string(), title => d.title,
            }).collect::<Vec<_>>(),
            inputs => found.inputs.iter().map(|i| context! {
                number => i.entry.number,
                kind => format!("input-kind-{}", i.entry.kind.as_str()),
                from => i.sender().0,
                text => i.text(),
                received => format_datetime(lang, i.entry.received_at),
            }).collect::<Vec<_>>(),
            manages => found.manages,
        },
    )
}

/// A draft the group is asked to read, opened from the group page: its sections as
/// they stand, for reading before the meeting.
async fn group_reading_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, document)): Path<(String, String)>,
) -> Response {
    let (Ok(id), Ok(document)) = (
        id.parse::<GroupId>(),
        document.parse::<domain::DocumentId>(),
    ) else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    if page.signed_in.is_none() {
        return to_sign_in(&format!("/groups/{id}/readings/{document}"));
    }
    let actor = page.actor(&state).await;
    let found = match state
        .consultation()
        .group_reading(&actor, id, document)
        .await
    {
        Ok(found) => found,
        Err(err) => return missing_or_unavailable(&state, &page, &err),
    };
    page.render(
        &state,
        StatusCode::OK,
        "group_reading.html",
        context! {
            group => context! { id => found.group.id.to_string(), name => found.group.name },
            plan => context! { title => found.plan.title },
            document => context! { title => found.document.title },
            sections => found.sections.iter().map(|s| context! {
                id => s.id.to_string(),
                number => s.number,
                title => s.title,
                level => s.level.clamp(1, 4) + 1,
                body_html => Value::from_safe_string(markup::markdown_to_html(&s.body)),
            }).collect::<Vec<_>>(),
        },
    )
}

/// The planner's workshop form as typed (groups, readings and agenda rows repeat).
#[derive(Debug, Default, Clone, Serialize)]
struct WorkshopForm {
    title: String,
    purpose: String,
    starts_at: String,
    ends_at: String,
    address: String,
    step_free_access: bool,
    hearing_loop: bool,
    parking: bool,
    interpreter_on_request: bool,
    online_link: String,
    capacity: String,
    reminder_hours: String,
    groups: Vec<String>,
    readings: Vec<String>,
    agenda: Vec<AgendaRow>,
}

#[derive(Debug, Default, Clone, Serialize)]
struct AgendaRow {
    title: String,
    minutes: String,
    sections: Vec<String>,
    stages: Vec<String>,
}

impl WorkshopForm {
    fn empty() -> WorkshopForm {
        WorkshopForm {
            reminder_hours: domain::workshop::DEFAULT_REMINDER_HOURS.to_string(),
            agenda: vec![AgendaRow::default(); AGENDA_ROWS],
            ..WorkshopForm::default()
        }
    }

    fn of(w: &Workshop) -> WorkshopForm {
        let mut agenda: Vec<AgendaRow> = w
            .agenda
            .iter()
            .map(|i| AgendaRow {
                title: i.title.clone(),
                minutes: i.minutes.to_string(),
                sections: i.sections.iter().map(ToString::to_string).collect(),
                stages: i.stages.iter().map(|s| s.as_str().to_owned()).collect(),
            })
            .collect();
        agenda.resize(agenda.len().max(AGENDA_ROWS), AgendaRow::default());
        let place = w.place.clone().unwrap_or_default();
        WorkshopForm {
            title: w.title.clone(),
            purpose: w.purpose.clone(),
            starts_at: local_input(w.starts_at),
            ends_at: local_input(w.ends_at),
            address: place.address,
            step_free_access: place.step_free_access,
            hearing_loop: place.hearing_loop,
            parking: place.parking,
            interpreter_on_request: place.interpreter_on_request,
            online_link: w.online_link.clone().unwrap_or_default(),
            capacity: w.capacity.map(|c| c.to_string()).unwrap_or_default(),
            reminder_hours: w.reminder_hours.to_string(),
            groups: w.groups.iter().map(ToString::to_string).collect(),
            readings: w.readings.iter().map(ToString::to_string).collect(),
            agenda,
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> WorkshopForm {
        let mut form = WorkshopForm {
            agenda: vec![AgendaRow::default(); AGENDA_ROWS],
            ..WorkshopForm::default()
        };
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value,
                "purpose" => form.purpose = value,
                "starts_at" => form.starts_at = value,
                "ends_at" => form.ends_at = value,
                "address" => form.address = value,
                "step_free_access" => form.step_free_access = value == "true",
                "hearing_loop" => form.hearing_loop = value == "true",
                "parking" => form.parking = value == "true",
                "interpreter_on_request" => form.interpreter_on_request = value == "true",
                "online_link" => form.online_link = value,
                "capacity" => form.capacity = value,
                "reminder_hours" => form.reminder_hours = value,
                "groups" => form.groups.push(value),
                "readings" => form.readings.push(value),
                other => {
                    // agenda_{title,minutes,sections,stages}_{row}
                    let Some((name, row)) = other
                        .strip_prefix("agenda_")
                        .and_then(|rest| rest.rsplit_once('_'))
                    else {
                        continue;
                    };
                    let Some(row) = row.parse::<usize>().ok().filter(|r| *r < AGENDA_ROWS) else {
                        continue;
                    };
                    let item = &mut form.agenda[row];
                    match name {
                        "title" => item.title = value,
                        "minutes" => item.minutes = value,
                        "sections" => item.sections.push(value),
                        "stages" => item.stages.push(value),
                        _ => {}
                    }
                }
            }
        }
        form
    }

    /// The draft for the use case; `Err` names a field that is not even a value
    /// of its kind (a number, a time, an id).
    fn draft(&self) -> Result<WorkshopDraft, &'static str> {
        let number = |field: &'static str, value: &str| -> Result<Option<u32>, &'static str> {
            match value.trim() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| field),
            }
        };
        let time = |field: &'static str, value: &str| -> Result<_, &'static str> {
            match value.trim() {
                "" => Ok(None),
                v => parse_time(v).map(Some).ok_or(field),
            }
        };
        let ids =
            |values: &[String], field: &'static str| -> Result<Vec<uuid::Uuid>, &'static str> {
                values
                    .iter()
                    .map(|v| v.parse().map_err(|_| field))
                    .collect()
            };
        let mut agenda = Vec::new();
        for row in &self.agenda {
            if row.title.trim().is_empty() && row.minutes.trim().is_empty() {
                continue;
            }
            agenda.push(AgendaDraft {
                title: row.title.clone(),
                minutes: number("agenda_minutes", &row.minutes)?.unwrap_or(0),
                sections: ids(&row.sections, "agenda")?
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                stages: row
                    .stages
                    .iter()
                    .map(|s| IgpStage::parse(s).ok_or("agenda"))
                    .collect::<Result<_, _>>()?,
            });
        }
        Ok(WorkshopDraft {
            title: self.title.clone(),
            purpose: self.purpose.clone(),
            starts_at: time("starts_at", &self.starts_at)?,
            ends_at: time("ends_at", &self.ends_at)?,
            place: Some(Place {
                address: self.address.clone(),
                step_free_access: self.step_free_access,
                hearing_loop: self.hearing_loop,
                parking: self.parking,
                interpreter_on_request: self.interpreter_on_request,
            }),
            online_link: Some(self.online_link.clone()),
            capacity: number("capacity", &self.capacity)?,
            reminder_hours: Some(number("reminder_hours", &self.reminder_hours)?.unwrap_or(0)),
            groups: ids(&self.groups, "groups")?
                .into_iter()
                .map(Into::into)
                .collect(),
            agenda,
            readings: ids(&self.readings, "groups")?
                .into_iter()
                .map(Into::into)
                .collect(),
        })
    }
}

fn form_options(options: &WorkshopFormOptions) -> Value {
    context! {
        groups => options.groups.iter().map(|g| context! { id => g.id.to_string(), name => g.name }).collect::<Vec<_>>(),
        documents => options.documents.iter().map(|(d, sections)| context! {
            id => d.id.to_string(),
            title => d.title,
            sections => sections.iter().map(|s| context! {
                id => s.id.to_string(), number => s.number, title => s.title,
            }).collect::<Vec<_>>(),
        }).collect::<Vec<_>>(),
        stages => IgpStage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    }
}

/// The form page: new (`workshop` is `None`) or changing one.
#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    page: &PageCtx,
    plan: PlanId,
    workshop: Option<WorkshopId>,
    form: &WorkshopForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let actor = page.actor(state).await;
    let options = match state.consultation().workshop_form(&actor, plan).await {
        Ok(o) => o,
        Err(err) => return missing_or_unavailable(state, page, &err),
    };
    let action = match workshop {
        Some(id) => format!("/planner/workshops/{id}/edit"),
        None => format!("/planner/plans/{plan}/workshops"),
    };
    page.render(
        state,
        status,
        "planner_workshop.html",
        context! {
            plan => context! { id => options.plan.id.to_string(), title => options.plan.title },
            editing => workshop.map(|w| w.to_string()),
            action => action,
            options => form_options(&options),
            form => Value::from_serialize(form),
            errors => errors.value(),
        },
    )
}

async fn new_workshop_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(plan): Path<String>,
) -> Response {
    if page.signed_in.is_none() {
        return to_sign_in(&page.path);
    }
    let Ok(plan) = plan.parse::<PlanId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let form = WorkshopForm::empty();
    render_form(
        &state,
        &page,
        plan,
        None,
        &form,
        FormErrors::new(page.lang),
        StatusCode::OK,
    )
    .await
}

async fn edit_workshop_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    if page.signed_in.is_none() {
        return to_sign_in(&page.path);
    }
    let Ok(id) = id.parse::<WorkshopId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(&state).await;
    let workshop = match state.consultation().workshop(&actor, id).await {
        Ok(w) => w,
        Err(err) => return missing_or_unavailable(&state, &page, &err),
    };
    let form = WorkshopForm::of(&workshop);
    render_form(
        &state,
        &page,
        workshop.plan_id,
        Some(id),
        &form,
        FormErrors::new(page.lang),
        StatusCode::OK,
    )
    .await
}

/// The errors of a refused workshop form, beside their fields.
fn workshop_form_errors(lang: Lang, err: WorkshopError) -> (StatusCode, FormErrors) {
    match &err {
        WorkshopError::Invalid(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::invalid(lang, WORKSHOP_FIELDS, e),
        ),
        WorkshopError::UnknownGroup => {
            let (status, message) = form_error(lang, err);
            (
                status,
                FormErrors::field(lang, WORKSHOP_FIELDS, "groups", message),
            )
        }
        _ => {
            let (status, message) = form_error(lang, err);
            (status, FormErrors::general(lang, message))
        }
    }
}

fn not_a_value(lang: Lang, field_name: &'static str) -> FormErrors {
    FormErrors::invalid(
        lang,
        WORKSHOP_FIELDS,
        &domain::validate::FieldError {
            field: field_name,
            problem: domain::validate::Problem::OutOfRange,
        },
    )
}

async fn create_workshop(
    State(state): State<AppState>,
    page: PageCtx,
    Path(plan): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if page.signed_in.is_none() {
        return to_sign_in(&page.path);
    }
    let Ok(plan) = plan.parse::<PlanId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let form = WorkshopForm::from_pairs(pairs);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let draft = match form.draft() {
        Ok(d) => d,
        Err(field_name) => {
            let errors = not_a_value(page.lang, field_name);
            return render_form(&state, &page, plan, None, &form, errors, unprocessable).await;
        }
    };
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .create_workshop(&actor, plan, &draft)
        .await
    {
        Ok(w) => Redirect::to(&format!("/workshops/{}?done=created", w.id)).into_response(),
        Err(err @ (WorkshopError::PlanNotFound | WorkshopError::Db(_))) => {
            missing_or_unavailable(&state, &page, &err)
        }
        Err(err) => {
            let (status, errors) = workshop_form_errors(page.lang, err);
            render_form(&state, &page, plan, None, &form, errors, status).await
        }
    }
}

async fn update_workshop(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if page.signed_in.is_none() {
        return to_sign_in(&page.path);
    }
    let Ok(id) = id.parse::<WorkshopId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(&state).await;
    let plan = match state.consultation().workshop(&actor, id).await {
        Ok(w) => w.plan_id,
        Err(err) => return missing_or_unavailable(&state, &page, &err),
    };
    let form = WorkshopForm::from_pairs(pairs);
    let draft = match form.draft() {
        Ok(d) => d,
        Err(field_name) => {
            let errors = not_a_value(page.lang, field_name);
            return render_form(
                &state,
                &page,
                plan,
                Some(id),
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .consultation()
        .update_workshop(&actor, id, &draft)
        .await
    {
        Ok(_) => Redirect::to(&format!("/workshops/{id}?done=saved")).into_response(),
        Err(err @ (WorkshopError::WorkshopNotFound | WorkshopError::Db(_))) => {
            missing_or_unavailable(&state, &page, &err)
        }
        Err(err) => {
            let (status, errors) = workshop_form_errors(page.lang, err);
            render_form(&state, &page, plan, Some(id), &form, errors, status).await
        }
    }
}
