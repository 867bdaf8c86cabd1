use super::deadline::{WarningReport, warning_reports};
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use crate::web::lang::ReaderLang;
use axum::extract::State;
use consultation::access::hearing_resource;
use domain::HearingId;
use domain::deadline::{HearingKind, format_rfc3339, oslo};
use domain::hearing::{Hearing, HearingChange, Transition};
use domain::policy::{Action, Actor, can};
use domain::validate;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use consultation::hearings::NewHearingCommand;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHearing {
    pub document_version_id: Uuid,
    #[schema(example = "Høyring av planprogram for helse, sosial og omsorg")]
    pub title: String,
    /// The announcement (kunngjering): what is being decided and how to respond. Markdown.
    pub announcement: Option<String>,
    /// `pbl` (Planning and Building Act: at least six weeks) or `other`. Default `pbl`.
    pub kind: Option<String>,
    /// `public` or `invited`. Default `public`.
    pub audience: Option<String>,
    /// The opening day, `YYYY-MM-DD`. Default today.
    #[schema(example = "2026-03-02")]
    pub opens_on: Option<String>,
    /// Length of the period in weeks (default 6). Leave out when `deadline_on` is given.
    pub weeks: Option<u32>,
    /// A chosen last day instead of `weeks`, `YYYY-MM-DD`; moved to the next working day.
    pub deadline_on: Option<String>,
    /// Must be `Europe/Oslo` when given.
    #[schema(example = "Europe/Oslo")]
    pub time_zone: Option<String>,
    /// Needed for a pbl hearing shorter than six weeks; logged.
    pub override_reason: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HearingDto {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub plan_id: Uuid,
    pub document_version_id: Uuid,
    pub title: String,
    pub announcement: Option<String>,
    pub kind: String,
    pub audience: String,
    /// draft, scheduled, open, closed or assessed.
    pub state: String,
    /// RFC 3339 with the Europe/Oslo offset.
    pub opens_at: String,
    /// RFC 3339 with the Europe/Oslo offset, 23:59 on a working day.
    pub deadline: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Holiday overlaps and other things a planner should know about the period.
    pub warnings: Vec<WarningReport>,
    /// Input from the public (not planners, staff or members of the plan's groups)
    /// waits for a planner to screen it before it is shown.
    pub screen_public_input: bool,
    /// Days before the deadline on which invited people who have not answered
    /// are reminded, the earliest first.
    pub reminder_days: Vec<u32>,
}

pub(crate) fn local(ts: jiff::Timestamp) -> String {
    format_rfc3339(&ts.to_zoned(oslo()))
}

pub(crate) fn period_warnings(lang: domain::Lang, h: &Hearing) -> Vec<WarningReport> {
    let opens = h.opens_at.to_zoned(oslo()).date();
    let last = h.deadline.to_zoned(oslo()).date();
    let warnings = domain::deadline::season_warnings(opens, last, h.period_weeks);
    super::deadline::reports(lang, &warnings)
}

pub(crate) fn dto(lang: domain::Lang, h: Hearing) -> HearingDto {
    let warnings = period_warnings(lang, &h);
    HearingDto {
        id: h.id.0,
        municipality_id: h.municipality_id.0,
        plan_id: h.plan_id.0,
        document_version_id: h.document_version_id.0,
        title: h.title,
        announcement: h.announcement,
        kind: match h.kind {
            HearingKind::Pbl => "pbl".into(),
            HearingKind::Other => "other".into(),
        },
        audience: h.audience.as_str().to_owned(),
        state: h.state.as_str().to_owned(),
        opens_at: local(h.opens_at),
        deadline: local(h.deadline),
        contact_name: h.contact_name,
        contact_email: h.contact_email,
        warnings,
        screen_public_input: h.screen_public_input,
        reminder_days: h.reminder_days,
    }
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

fn parse_date(field: &str, text: &str) -> Result<jiff::civil::Date, ApiError> {
    text.trim().parse::<jiff::civil::Date>().map_err(|_| {
        unprocessable(
            "invalid_date",
            format!("{field} must be a date written YYYY-MM-DD"),
        )
    })
}

#[utoipa::path(post, path = "/api/v1/hearings", tag = "hearings", request_body = CreateHearing,
    responses((status = 201, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_hearing(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiJson(body): ApiJson<CreateHearing>,
) -> Result<(StatusCode, ApiJson<HearingDto>), ApiError> {
    let (hearing, warnings) = create(&state, &actor, who, lang, body).await?;
    let mut dto = dto(lang, hearing);
    // The creation answer also carries the warnings only the computation knows.
    dto.warnings = warnings;
    Ok((StatusCode::CREATED, ApiJson(dto)))
}

impl From<CreateHearing> for NewHearingCommand {
    fn from(body: CreateHearing) -> Self {
        NewHearingCommand {
            document_version_id: body.document_version_id,
            title: body.title,
            announcement: body.announcement,
            kind: body.kind,
            audience: body.audience,
            opens_on: body.opens_on,
            weeks: body.weeks,
            deadline_on: body.deadline_on,
            time_zone: body.time_zone,
            override_reason: body.override_reason,
            contact_name: body.contact_name,
            contact_email: body.contact_email,
        }
    }
}

/// Creates a draft hearing; the API and the planner's pages both come here.
pub(crate) async fn create(
    state: &AppState,
    actor: &Actor,
    who: String,
    lang: domain::Lang,
    body: CreateHearing,
) -> Result<(Hearing, Vec<WarningReport>), ApiError> {
    let (hearing, deadline) = state
        .consultation()
        .create_hearing(actor, who, body.into())
        .await
        .map_err(|e| super::hearing_error(e, lang))?;
    Ok((hearing, warning_reports(lang, &deadline)))
}

pub(crate) async fn load_visible(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> Result<Hearing, ApiError> {
    state
        .consultation()
        .visible_hearing(actor, HearingId(id))
        .await
        .map_err(|e| super::hearing_error(e, domain::Lang::En))
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_hearing(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    Ok(ApiJson(dto(lang, hearing)))
}

/// Changes to a draft; what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditDraft {
    pub title: Option<String>,
    /// Markdown; an empty text removes the announcement.
    pub announcement: Option<String>,
    /// Another version of a document of the same plan.
    pub document_version_id: Option<Uuid>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/hearings/{id}", tag = "hearings", request_body = EditDraft,
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "not a draft any more"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn edit_hearing(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<EditDraft>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    let command = consultation::hearings::DraftEditCommand {
        title: body.title.unwrap_or_else(|| hearing.title.clone()),
        announcement: body.announcement.or_else(|| hearing.announcement.clone()),
        document_version_id: body
            .document_version_id
            .unwrap_or(hearing.document_version_id.0),
        contact_name: body.contact_name.or_else(|| hearing.contact_name.clone()),
        contact_email: body.contact_email.or_else(|| hearing.contact_email.clone()),
    };
    let changed = state
        .consultation()
        .edit_draft_hearing(&actor, &who, &hearing, command)
        .await
        .map_err(|e| super::hearing_error(e, lang))?;
    Ok(ApiJson(dto(lang, changed)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// Why, for the hearing's log (optional).
    pub reason: Option<String>,
}

/// An optional JSON body: empty is `None`, anything else must parse.
fn optional_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<Option<T>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(bytes)
        .map(Some)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.to_string()))
}

async fn transition(
    state: &AppState,
    actor: &Actor,
    who: &str,
    lang: domain::Lang,
    id: Uuid,
    transition: Transition,
    reason: Option<String>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(state, actor, id).await?;
    let changed = change_state(state, actor, who, &hearing, transition, reason).await?;
    Ok(ApiJson(dto(lang, changed)))
}

/// Moves a hearing through its lifecycle; the API and the planner's pages both come here.
pub(crate) async fn change_state(
    state: &AppState,
    actor: &Actor,
    who: &str,
    hearing: &Hearing,
    transition: Transition,
    reason: Option<String>,
) -> Result<Hearing, ApiError> {
    state
        .consultation()
        .change_hearing_state(actor, who, hearing, transition, reason)
        .await
        .map_err(|e| super::hearing_error(e, domain::Lang::En))
}

macro_rules! transition_handler {
    ($name:ident, $path:literal, $transition:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "hearings", request_body(content = Option<TransitionBody>),
            params(("id" = Uuid, Path, description = "hearing id")),
            responses((status = 200, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
                (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
        pub async fn $name(
            State(state): State<AppState>,
            CurrentActor(actor, who): CurrentActor,
            ReaderLang(lang): ReaderLang,
            ApiPath(id): ApiPath<Uuid>,
            body: axum::body::Bytes,
        ) -> Result<ApiJson<HearingDto>, ApiError> {
            let reason = optional_body::<TransitionBody>(&body)?.and_then(|b| b.reason);
            transition(&state, &actor, &who, lang, id, $transition, reason).await
        }
    };
}

transition_handler!(
    schedule_hearing,
    "/api/v1/hearings/{id}/schedule",
    Transition::Schedule,
    "Publishes a draft; it opens by itself at its opening time."
);
transition_handler!(
    open_hearing,
    "/api/v1/hearings/{id}/open",
    Transition::Open,
    "Opens a draft or scheduled hearing now."
);
transition_handler!(
    close_hearing,
    "/api/v1/hearings/{id}/close",
    Transition::Close,
    "Closes an open hearing before (or at) its deadline."
);
transition_handler!(
    complete_hearing,
    "/api/v1/hearings/{id}/complete",
    Transition::Complete,
    "Marks a closed hearing as assessed."
);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendDeadline {
    /// The new last day, `YYYY-MM-DD`; moved to the next working day, 23:59.
    #[schema(example = "2026-05-15")]
    pub deadline_on: String,
    /// Why the deadline moves; logged and sent to participants.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/extend", tag = "hearings", request_body = ExtendDeadline,
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn extend_hearing(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ExtendDeadline>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    if !can(&actor, Action::ChangeState, hearing_resource(&hearing)) {
        return Err(ApiError::unauthorized("this needs a planner's API token"));
    }
    let reason = validate::text("reason", &body.reason, 2000)?;
    let requested = parse_date("deadline_on", &body.deadline_on)?;
    let changed = state
        .consultation()
        .extend_deadline(who, &hearing, requested, reason)
        .await
        .map_err(|e| crate::hearings::extend_error(e, lang))?;
    Ok(ApiJson(dto(lang, changed)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningBody {
    /// True: input from the public waits for a planner before it is shown.
    pub enabled: bool,
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/screening", tag = "hearings", request_body = ScreeningBody,
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = HearingDto, description = "the hearing with the setting as it is now"),
        (status = 403, body = crate::error::ErrorBody, description = "not a planner of the plan"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_screening(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ScreeningBody>,
) -> Result<ApiJson<HearingDto>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    if !can(&actor, Action::Edit, hearing_resource(&hearing)) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the planners of the plan may change this",
        ));
    }
    let changed = state
        .consultation()
        .set_screening(&actor, &who, &hearing, body.enabled)
        .await?;
    Ok(ApiJson(dto(lang, changed)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// created, scheduled, opened, closed, completed, deadline_extended, edited,
    /// reminded (a reminder sent by hand) or reminders_changed.
    pub kind: String,
    pub actor: String,
    pub reason: Option<String>,
    pub old_deadline: Option<String>,
    pub new_deadline: Option<String>,
    pub at: String,
}

impl From<HearingChange> for ChangeDto {
    fn from(c: HearingChange) -> Self {
        ChangeDto {
            kind: c.kind.as_str().to_owned(),
            actor: c.actor,
            reason: c.reason,
            old_deadline: c.old_deadline.map(local),
            new_deadline: c.new_deadline.map(local),
            at: local(c.created_at),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/changes", tag = "hearings",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = Vec<ChangeDto>), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn hearing_changes(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<ChangeDto>>, ApiError> {
    let hearing = load_visible(&state, &actor, id).await?;
    // The log names who acted: planners only.
    let changes = state
        .consultation()
        .hearing_log(&actor, &hearing)
        .await
        .map_err(|e| super::hearing_error(e, domain::Lang::En))?;
    Ok(ApiJson(changes.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/municipalities/{slug}/hearings", tag = "hearings",
    params(("slug" = String, Path, description = "municipality slug")),
    responses((status = 200, body = Vec<HearingDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn municipality_hearings(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    ApiPath(slug): ApiPath<String>,
) -> Result<ApiJson<Vec<HearingDto>>, ApiError> {
    let (_, hearings) = state
        .consultation()
        .municipality_with_hearings(&slug)
        .await?
        .ok_or_else(|| ApiError::not_found("the municipality"))?;
    Ok(ApiJson(
        hearings.into_iter().map(|h| dto(lang, h)).collect(),
    ))
}
