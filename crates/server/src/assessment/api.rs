//! Assessment over the JSON API: register a letter, read the plan's register, read,
//! save, review and publish an assessment, keep the plan's themes, and download the
//! hearing's report as DOCX or CSV.

use super::report::{self, ReportQuery};
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::web::rfc3339;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use consultation::assessment::{
    AssessmentCommand, AssessmentError, ChangePlace, InputAssessment, LetterCommand, RegisterQuery,
    ThemeCommand, UnreviewedInput,
};
use domain::assessment::{
    Assessment, AssessmentChange, InputContent, RegisterEntry, RegisteredInput, RegisteredLetter,
    Theme,
};
use domain::{HearingId, InputId, PlanId, SectionId, ThemeId};
use http::{HeaderValue, StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterBody {
    /// The person or organisation that wrote.
    #[schema(example = "Alver pensjonistlag")]
    pub sender_name: String,
    /// `person` (a private person, whose name a report may leave out) or `organisation`.
    #[schema(example = "organisation")]
    pub sender_kind: String,
    /// `letter`, `email` or `other`.
    #[schema(example = "letter")]
    pub channel: String,
    /// The day it arrived, YYYY-MM-DD (Europe/Oslo); not in the future.
    #[schema(example = "2026-03-02")]
    pub received_on: String,
    /// The text, at most 100,000 characters.
    pub text: String,
    /// The hearing it answers, if any (a hearing of the same plan).
    pub hearing_id: Option<Uuid>,
    /// The sender's postal address or email, if known. A private sender's email that
    /// belongs to a known person links the letter to them (their export shows it,
    /// and forgetting them removes the sender).
    #[serde(default)]
    pub sender_contact: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LetterDto {
    pub id: Uuid,
    /// Its number in the plan's register.
    pub number: i32,
    pub plan_id: Uuid,
    pub hearing_id: Option<Uuid>,
    pub sender_name: String,
    pub sender_kind: String,
    pub channel: String,
    pub received_on: String,
    pub text: String,
    /// Received after the hearing's deadline.
    pub late: bool,
    pub registered_by: String,
    pub registered_at: String,
    /// The sender's address or email, if given.
    pub sender_contact: Option<String>,
}

impl From<RegisteredLetter> for LetterDto {
    fn from(l: RegisteredLetter) -> Self {
        LetterDto {
            id: l.id.0,
            number: l.number,
            plan_id: l.plan_id.0,
            hearing_id: l.hearing_id.map(|h| h.0),
            sender_name: l.sender_name,
            sender_kind: l.sender_kind.as_str().to_owned(),
            channel: l.channel.as_str().to_owned(),
            received_on: l.received_on.to_string(),
            text: l.text,
            late: l.late,
            registered_by: l.registered_by,
            registered_at: rfc3339(l.registered_at),
            sender_contact: l.sender_contact,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeDto {
    pub id: Uuid,
    pub name: String,
}

impl From<&Theme> for ThemeDto {
    fn from(t: &Theme) -> Self {
        ThemeDto {
            id: t.id.0,
            name: t.name.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDto {
    /// `unassessed`, `drafted`, `reviewed` or `published`.
    pub state: String,
    pub summary: String,
    /// `followed`, `partly_followed`, `not_followed`, `noted`, or null.
    pub outcome: Option<String>,
    /// The municipality's response.
    pub response: String,
    /// The change made in the plan, if any.
    pub change: String,
    /// The section of a later document version where that change was made; the
    /// comparison of that version with the one before lists the input there.
    pub change_section_id: Option<Uuid>,
    pub section_ids: Vec<Uuid>,
    pub themes: Vec<ThemeDto>,
    pub drafted_by: Option<String>,
    pub drafted_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub published_at: Option<String>,
}

impl From<&Assessment> for AssessmentDto {
    fn from(a: &Assessment) -> Self {
        AssessmentDto {
            state: a.state.as_str().to_owned(),
            summary: a.summary.clone(),
            outcome: a.outcome.map(|o| o.as_str().to_owned()),
            response: a.response.clone(),
            change: a.change.clone(),
            change_section_id: a.change_section_id.map(|s| s.0),
            section_ids: a.section_ids.iter().map(|s| s.0).collect(),
            themes: a.themes.iter().map(Into::into).collect(),
            drafted_by: a.drafted_by.clone(),
            drafted_at: a.drafted_at.map(rfc3339),
            reviewed_by: a.reviewed_by.clone(),
            reviewed_at: a.reviewed_at.map(rfc3339),
            published_at: a.published_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InputDto {
    /// The register row's id: where its assessment is read and saved.
    pub id: Uuid,
    /// Stable within the plan: given once, in order of arrival, never reused.
    pub number: i32,
    /// `comment`, `response`, `letter` or `workshop_note`.
    pub kind: String,
    /// The comment's, response's or letter's own id.
    pub source_id: Uuid,
    pub hearing_id: Option<Uuid>,
    pub received_at: String,
    pub late: bool,
    /// Who gave it: a person's name, or an organisation.
    pub from: String,
    pub from_organisation: bool,
    /// Its text (a response's current version).
    pub text: String,
    /// For a reply: the text of the comment it answers.
    pub in_reply_to: Option<String>,
    /// The sections the input itself points to.
    pub section_ids: Vec<Uuid>,
    pub assessment: AssessmentDto,
    /// The planner assigned to assess it, if any.
    pub assignee_id: Option<Uuid>,
}

impl From<&RegisteredInput> for InputDto {
    fn from(i: &RegisteredInput) -> Self {
        let e: &RegisterEntry = &i.entry;
        let (from, from_organisation) = i.sender();
        InputDto {
            id: e.id.0,
            number: e.number,
            kind: e.kind.as_str().to_owned(),
            source_id: e.source_id,
            hearing_id: e.hearing_id.map(|h| h.0),
            received_at: rfc3339(e.received_at),
            late: e.late,
            from: from.to_owned(),
            from_organisation,
            text: i.text().to_owned(),
            in_reply_to: match &i.content {
                InputContent::Comment {
                    parent: Some(p), ..
                } => Some(p.body.clone()),
                _ => None,
            },
            section_ids: e.input_section_ids.iter().map(|s| s.0).collect(),
            assessment: (&e.assessment).into(),
            assignee_id: e.assignee_id.map(|p| p.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterDto {
    /// Inputs matching the filters, on every page.
    pub total: u64,
    /// Pass as `after` for the next page; null on the last.
    pub next_after: Option<i32>,
    pub inputs: Vec<InputDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChangeDto {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// `drafted`, `reviewed` or `published`.
    pub action: String,
    pub by: String,
    pub at: String,
    pub fields: Vec<FieldChangeDto>,
}

impl From<&AssessmentChange> for ChangeDto {
    fn from(c: &AssessmentChange) -> Self {
        ChangeDto {
            action: c.action.as_str().to_owned(),
            by: c.actor_name.clone(),
            at: rfc3339(c.at),
            fields: c
                .fields
                .iter()
                .map(|f| FieldChangeDto {
                    field: f.field.clone(),
                    before: f.before.clone(),
                    after: f.after.clone(),
                })
                .collect(),
        }
    }
}

/// The place in a later document version where the change an input led to was made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePlaceDto {
    pub section_id: Uuid,
    pub document_id: Uuid,
    pub document_title: String,
    /// The version the change was made in.
    pub version: i32,
    pub number: String,
    pub title: String,
    /// The comparison of that version with the one before, in the workbench.
    pub compare_href: String,
}

impl From<&ChangePlace> for ChangePlaceDto {
    fn from(p: &ChangePlace) -> Self {
        ChangePlaceDto {
            section_id: p.section_id.0,
            document_id: p.document_id.0,
            document_title: p.document_title.clone(),
            version: p.version,
            number: p.number.clone(),
            title: p.title.clone(),
            compare_href: compare_href(p),
        }
    }
}

/// The workbench's comparison that shows a change place, at its section.
pub(crate) fn compare_href(p: &ChangePlace) -> String {
    format!(
        "/planner/documents/{}/compare?from={}&to={}#lineage-{}",
        p.document_id,
        p.version - 1,
        p.version,
        p.lineage
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InputDetailDto {
    pub input: InputDto,
    /// Every change to its assessment, oldest first.
    pub history: Vec<ChangeDto>,
    /// Where the change it led to was made, when the assessment links one.
    pub change_place: Option<ChangePlaceDto>,
}

impl From<&InputAssessment> for InputDetailDto {
    fn from(a: &InputAssessment) -> Self {
        InputDetailDto {
            input: (&a.input).into(),
            history: a.history.iter().map(Into::into).collect(),
            change_place: a.change_place().map(Into::into),
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentBody {
    pub summary: String,
    /// `followed`, `partly_followed`, `not_followed`, `noted`, or empty.
    pub outcome: String,
    pub response: String,
    pub change: String,
    /// The section of a later version (2 or newer) of one of the plan's documents
    /// where the change was made.
    pub change_section_id: Option<Uuid>,
    /// Sections of the plan's documents on hearing.
    pub section_ids: Vec<Uuid>,
    /// Themes of the plan.
    pub theme_ids: Vec<Uuid>,
}

impl From<AssessmentBody> for AssessmentCommand {
    fn from(b: AssessmentBody) -> Self {
        AssessmentCommand {
            summary: b.summary,
            outcome: b.outcome,
            response: b.response,
            change: b.change,
            change_section_id: b.change_section_id.map(SectionId),
            section_ids: b.section_ids.into_iter().map(SectionId).collect(),
            theme_ids: b.theme_ids.into_iter().map(ThemeId).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeBody {
    #[schema(example = "Kollektivtransport")]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The theme that remains.
    pub into: Uuid,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/letters", tag = "assessment", request_body = LetterBody,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = LetterDto, description = "registered with the next number of the plan's register"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody, description = "the body is larger than 1 MB"),
        (status = 422, body = crate::error::ErrorBody, description = "a bad field, a date in the future (`received_in_future`) or a hearing of another plan")))]
pub async fn register_letter(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<LetterBody>,
) -> Result<(StatusCode, ApiJson<LetterDto>), ApiError> {
    let letter = state
        .consultation()
        .register_letter(
            &actor,
            &who,
            PlanId(id),
            LetterCommand {
                sender_name: body.sender_name,
                sender_kind: body.sender_kind,
                channel: body.channel,
                received_on: body.received_on,
                text: body.text,
                hearing_id: body.hearing_id.map(HearingId),
                sender_contact: body.sender_contact,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(letter.into())))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/inputs", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id"),
        ("hearing" = Option<Uuid>, Query, description = "only this hearing's inputs"),
        ("section" = Option<Uuid>, Query, description = "inputs on this section, or whose assessment links it"),
        ("kind" = Option<String>, Query, description = "comment, response or letter"),
        ("state" = Option<String>, Query, description = "unassessed, drafted, reviewed or published"),
        ("late" = Option<bool>, Query, description = "only late (true) or only timely (false) inputs"),
        ("submitter" = Option<String>, Query, description = "who gave it: person, an organisation kind (user_organisation, volunteer, business, public_body, council, union), or organisation (a letter from an organisation of no recorded kind)"),
        ("theme" = Option<Uuid>, Query, description = "inputs tagged with this theme of the plan"),
        ("from" = Option<String>, Query, description = "received on or after this day, YYYY-MM-DD (Europe/Oslo)"),
        ("to" = Option<String>, Query, description = "received on or before this day, YYYY-MM-DD (Europe/Oslo)"),
        ("assignee" = Option<String>, Query, description = "me, none, or a planner's person id"),
        ("q" = Option<String>, Query, description = "words to search for (Norwegian stemming: nynorsk and bokmål forms meet)"),
        ("sort" = Option<String>, Query, description = "number (oldest first, the default) or -number"),
        ("after" = Option<i32>, Query, description = "the next_after of the previous page"),
        ("limit" = Option<u64>, Query, description = "rows per page, 1 to 200 (50)")),
    responses((status = 200, body = RegisterDto),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody, description = "an unknown filter or sort key (`unknown_filter`) or a bad value (`invalid_filter`)")))]
pub async fn list_inputs(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Result<ApiJson<RegisterDto>, ApiError> {
    let query = RegisterQuery::parse(&pairs)?;
    let page = state
        .consultation()
        .plan_register(&actor, PlanId(id), &query)
        .await?;
    Ok(ApiJson(RegisterDto {
        total: page.total,
        next_after: page.next_after,
        inputs: page.inputs.iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/inputs/{id}", tag = "assessment",
    params(("id" = Uuid, Path, description = "the register row's id")),
    responses((status = 200, body = InputDetailDto),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_input(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<InputDetailDto>, ApiError> {
    let found = state
        .consultation()
        .input_assessment(&actor, InputId(id))
        .await?;
    Ok(ApiJson((&found).into()))
}

/// The input as it stands after a change.
async fn input_after(
    state: &AppState,
    actor: &domain::policy::Actor,
    id: InputId,
) -> Result<ApiJson<InputDetailDto>, ApiError> {
    let found = state.consultation().input_assessment(actor, id).await?;
    Ok(ApiJson((&found).into()))
}

#[utoipa::path(put, path = "/api/v1/inputs/{id}/assessment", tag = "assessment", request_body = AssessmentBody,
    params(("id" = Uuid, Path, description = "the register row's id")),
    responses((status = 200, body = InputDetailDto, description = "saved as a draft; a reviewed or published assessment needs a new review"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody, description = "unknown, or an input of a plan the caller does not plan"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_assessment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> Result<ApiJson<InputDetailDto>, ApiError> {
    state
        .consultation()
        .save_assessment(&actor, &who, InputId(id), body.into())
        .await?;
    input_after(&state, &actor, InputId(id)).await
}

#[utoipa::path(post, path = "/api/v1/inputs/{id}/assessment/review", tag = "assessment",
    params(("id" = Uuid, Path, description = "the register row's id")),
    responses((status = 200, body = InputDetailDto, description = "reviewed by the signed-in planner"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`four_eyes`: the reviewer wrote the draft (or is an API token); `wrong_state`: not a draft"),
        (status = 422, body = crate::error::ErrorBody, description = "`incomplete`: summary, outcome and response are needed")))]
pub async fn review_assessment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<InputDetailDto>, ApiError> {
    state
        .consultation()
        .review_assessment(&actor, &who, InputId(id))
        .await?;
    input_after(&state, &actor, InputId(id)).await
}

#[utoipa::path(post, path = "/api/v1/inputs/{id}/assessment/publish", tag = "assessment",
    params(("id" = Uuid, Path, description = "the register row's id")),
    responses((status = 200, body = InputDetailDto),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`wrong_state`: only a reviewed assessment is published")))]
pub async fn publish_assessment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<InputDetailDto>, ApiError> {
    state
        .consultation()
        .publish_assessment(&actor, &who, InputId(id))
        .await?;
    input_after(&state, &actor, InputId(id)).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishHearingBody {
    /// Publish the reviewed assessments even though some inputs are not reviewed.
    #[serde(default)]
    pub confirm_unreviewed: bool,
}

/// An input whose assessment is neither reviewed nor published.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreviewedDto {
    pub id: Uuid,
    pub number: i32,
    /// `unassessed` or `drafted`.
    pub state: String,
}

fn unreviewed_dto(list: &[UnreviewedInput]) -> Vec<UnreviewedDto> {
    list.iter()
        .map(|u| UnreviewedDto {
            id: u.id.0,
            number: u.number,
            state: u.state.as_str().to_owned(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedDto {
    /// The numbers of the inputs whose assessments were published now.
    pub published: Vec<i32>,
    /// Inputs left unreviewed, published without them as confirmed.
    pub unreviewed: Vec<UnreviewedDto>,
    /// Emails queued now: one per participant told.
    pub emails: usize,
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/assessments/publish", tag = "assessment",
    params(("id" = Uuid, Path, description = "hearing id")),
    request_body = PublishHearingBody,
    responses((status = 200, body = PublishedDto, description = "every reviewed assessment published; each participant told once by email"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "unknown, or a hearing of a plan the caller does not plan"),
        (status = 409, body = crate::error::ErrorBody, description = "`unreviewed_assessments`: some inputs are not reviewed; `unreviewed` lists them; send `confirm_unreviewed: true` to publish without them")))]
pub async fn publish_hearing(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PublishHearingBody>,
) -> Result<ApiJson<PublishedDto>, ApiError> {
    let batch = state
        .consultation()
        .publish_hearing_assessments(&actor, &who, HearingId(id), body.confirm_unreviewed)
        .await
        .map_err(|err| match &err {
            AssessmentError::Unreviewed(list) => {
                let list = serde_json::to_value(unreviewed_dto(list)).unwrap_or_default();
                ApiError::from(err).with_detail("unreviewed", list)
            }
            _ => ApiError::from(err),
        })?;
    Ok(ApiJson(PublishedDto {
        published: batch.published,
        unreviewed: unreviewed_dto(&batch.unreviewed),
        emails: batch.emails,
    }))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/themes", tag = "assessment",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<ThemeDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_themes(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<ThemeDto>>, ApiError> {
    let themes = state.consultation().plan_themes(&actor, PlanId(id)).await?;
    Ok(ApiJson(themes.iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/themes", tag = "assessment", request_body = ThemeBody,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = ThemeDto), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`theme_exists`")))]
pub async fn create_theme(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ThemeBody>,
) -> Result<(StatusCode, ApiJson<ThemeDto>), ApiError> {
    let theme = state
        .consultation()
        .change_theme(&actor, PlanId(id), ThemeCommand::Create { name: body.name })
        .await?;
    Ok((StatusCode::CREATED, ApiJson((&theme).into())))
}

#[utoipa::path(patch, path = "/api/v1/plans/{id}/themes/{theme_id}", tag = "assessment", request_body = ThemeBody,
    params(("id" = Uuid, Path, description = "plan id"), ("theme_id" = Uuid, Path, description = "theme id")),
    responses((status = 200, body = ThemeDto), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`theme_exists`")))]
pub async fn rename_theme(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, theme_id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<ThemeBody>,
) -> Result<ApiJson<ThemeDto>, ApiError> {
    let theme = state
        .consultation()
        .change_theme(
            &actor,
            PlanId(id),
            ThemeCommand::Rename {
                theme: ThemeId(theme_id),
                name: body.name,
            },
        )
        .await?;
    Ok(ApiJson((&theme).into()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/themes/{theme_id}/merge", tag = "assessment", request_body = MergeBody,
    params(("id" = Uuid, Path, description = "plan id"), ("theme_id" = Uuid, Path, description = "the theme that goes")),
    responses((status = 200, body = ThemeDto, description = "the theme that remains, now on every assessment of both"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn merge_theme(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, theme_id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<ApiJson<ThemeDto>, ApiError> {
    let theme = state
        .consultation()
        .change_theme(
            &actor,
            PlanId(id),
            ThemeCommand::Merge {
                from: ThemeId(theme_id),
                into: ThemeId(body.into),
            },
        )
        .await?;
    Ok(ApiJson((&theme).into()))
}

fn download(bytes: Vec<u8>, content_type: &'static str, file_name: String) -> Response {
    let mut http = bytes.into_response();
    let h = http.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    http
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/report.docx", tag = "assessment",
    params(("id" = Uuid, Path, description = "hearing id"),
        ("group_by" = Option<String>, Query, description = "section (default) or theme"),
        ("anonymise" = Option<bool>, Query, description = "leave out private persons' names (organisations stay named)"),
        ("lang" = Option<String>, Query, description = "nn (default), nb or en")),
    responses((status = 200, description = "the assessment table as a Word document, one row per input", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody, description = "an unknown option (`unknown_filter`) or value")))]
pub async fn report_docx(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let query = ReportQuery::parse(&pairs)?;
    let found = state
        .consultation()
        .hearing_report(&actor, HearingId(id), query.options)
        .await?;
    let bytes = report::docx(&found, query.lang).map_err(|err| {
        tracing::error!(error = %err, "could not write the report");
        ApiError::internal()
    })?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("merknadsbehandling-{id}.docx"),
    ))
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/report.csv", tag = "assessment",
    params(("id" = Uuid, Path, description = "hearing id"),
        ("group_by" = Option<String>, Query, description = "section (default) or theme"),
        ("anonymise" = Option<bool>, Query, description = "leave out private persons' names"),
        ("lang" = Option<String>, Query, description = "nn (default), nb or en"),
        ("separator" = Option<String>, Query, description = "comma (default) or semicolon (for spreadsheets set to Norwegian)")),
    responses((status = 200, description = "UTF-8 with a byte order mark; cells that would start a formula begin with '", content_type = "text/csv"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn report_csv(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let query = ReportQuery::parse(&pairs)?;
    let found = state
        .consultation()
        .hearing_report(&actor, HearingId(id), query.options)
        .await?;
    let bytes = report::csv(&found, query.lang, query.separator).map_err(|err| {
        tracing::error!(error = %err, "could not write the report");
        ApiError::internal()
    })?;
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        format!("merknadsbehandling-{id}.csv"),
    ))
}
