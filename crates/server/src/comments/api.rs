use crate::auth::CurrentActor;
use crate::comments::{ClientAddr, anonymous_reporter};
use crate::error::{ApiError, ApiJson, ApiPath, IdempotencyKey};
use crate::state::AppState;
use crate::web::lang::ReaderLang;
use axum::extract::State;
use axum_extra::extract::cookie::CookieJar;
use consultation::comments::CommentInput;
use consultation::moderation::CommentChange;
use domain::hearing::{Comment, CommentStatus};
use domain::{CommentId, HearingId, SectionId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentDto {
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub section_id: Uuid,
    /// Empty when the comment is not public (deleted, hidden or waiting for review),
    /// except for the planners of the plan.
    pub author_name: String,
    /// Empty when the comment is not public, except for the planners of the plan.
    pub body: String,
    /// Arrived after the deadline.
    pub late: bool,
    pub created_at: String,
    /// The comment this one answers.
    pub parent_id: Option<Uuid>,
    /// The quoted passage the comment is about.
    pub quote: Option<String>,
    /// `published`, `deleted` (by its author), `hidden` (by the municipality),
    /// `pending_review` (reported; hidden until a planner decides), `unconfirmed`
    /// (only ever in the answer to the post that stored it: the author must follow the
    /// link emailed to them first), or `screening` (waits for a planner of a hearing
    /// that screens public input; only in that answer and for the planners).
    pub status: String,
    /// When the author last edited the text; earlier texts at `/api/v1/comments/{id}/revisions`.
    pub edited_at: Option<String>,
    /// How many people support the comment.
    pub supporters: u32,
    /// The author asked to be forgotten: the text stays, `author_name` is empty.
    pub anonymised: bool,
}

impl CommentDto {
    /// The comment as `reveal` allows: the text of a comment that is not public only
    /// for those who moderate it.
    pub fn view(c: Comment, reveal: bool) -> Self {
        let shown = reveal || c.status.is_public();
        CommentDto {
            id: c.id.0,
            hearing_id: c.hearing_id.0,
            section_id: c.section_id.0,
            author_name: if shown { c.author_name } else { String::new() },
            body: if shown { c.body } else { String::new() },
            late: c.late,
            created_at: crate::web::rfc3339(c.created_at),
            parent_id: c.parent_id.map(|p| p.0),
            quote: if shown {
                c.anchor.map(|a| a.quote)
            } else {
                None
            },
            status: c.status.as_str().to_owned(),
            edited_at: c.edited_at.map(crate::web::rfc3339),
            supporters: c.supporters,
            anonymised: c.anonymised,
        }
    }
}

impl From<Comment> for CommentDto {
    fn from(c: Comment) -> Self {
        CommentDto::view(c, false)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostComment {
    pub section_id: Uuid,
    /// Required unless signed in (a signed-in person writes under their own name).
    #[serde(default)]
    pub author_name: String,
    /// Never shown to others. Required unless signed in: the comment is published
    /// once its author follows the link emailed there.
    pub author_email: Option<String>,
    pub body: String,
    /// Answer this comment (on the same section).
    pub parent_id: Option<Uuid>,
    /// A passage of the section's text that the comment is about (up to 1,000 characters).
    pub quote: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/comments", tag = "comments",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = Vec<CommentDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_comments(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<CommentDto>>, ApiError> {
    let (_, comments, reveal) = state
        .consultation()
        .comments_of_hearing(&actor, HearingId(id))
        .await
        .map_err(|e| match e {
            consultation::hearings::HearingError::Db(e) => e.into(),
            _ => ApiError::not_found("the hearing"),
        })?;
    Ok(ApiJson(
        comments
            .into_iter()
            .map(|c| CommentDto::view(c, reveal))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/comments", tag = "comments", request_body = PostComment,
    params(("id" = Uuid, Path, description = "hearing id"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "a UUID chosen by the client; a retry with the same key returns the first comment")),
    responses((status = 201, body = CommentDto, description = "stored and published"),
        (status = 202, body = CommentDto, description = "stored, not yet shown: status `unconfirmed` (published once the author follows the link emailed to them) or `screening` (the hearing screens public input: shown once a planner has published it)"),
        (status = 200, body = CommentDto, description = "a retry: the comment stored by the first post"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`hearing_not_open`, or `idempotency_key_reused`: the key was used by someone else or on another hearing (choose a new one)"),
        (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody, description = "`too_many_comments`: too many comments without an account from this client address, or naming this email address, lately; `Retry-After` says when to try again")))]
pub async fn post_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ClientAddr(address): ClientAddr,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    ApiJson(body): ApiJson<PostComment>,
) -> Result<(StatusCode, ApiJson<CommentDto>), ApiError> {
    if actor.person.is_none() && actor.roles.is_empty() {
        let email = body.author_email.as_deref().unwrap_or_default();
        state
            .count_anonymous_comment(address, email)
            .await
            .map_err(|seconds| {
                ApiError::too_many(
                    "too_many_comments",
                    "too many comments without an account from this address or to this email address lately; try again later",
                    seconds,
                )
            })?;
    }
    let posted = state
        .consultation()
        .post_comment(
            &actor,
            HearingId(id),
            CommentInput {
                section_id: SectionId(body.section_id),
                author_name: body.author_name,
                author_email: body.author_email,
                lang,
                body: body.body,
                idempotency_key,
                parent_id: body.parent_id.map(domain::CommentId),
                quote: body.quote,
            },
        )
        .await?;
    let status = match (posted.created, posted.comment.status) {
        (false, _) => StatusCode::OK,
        (true, CommentStatus::Published) => StatusCode::CREATED,
        (true, CommentStatus::Unconfirmed | CommentStatus::Screening) => StatusCode::ACCEPTED,
        // A new comment is published or waits for confirmation or screening.
        (true, _) => StatusCode::CREATED,
    };
    // The answer to a new post goes to its author, who may see what they wrote while
    // it waits; a retry answers only what anyone may see.
    Ok((
        status,
        ApiJson(CommentDto::view(posted.comment, posted.created)),
    ))
}

fn comment_id(id: Uuid) -> CommentId {
    CommentId(id)
}

async fn answer(
    state: &AppState,
    actor: &domain::policy::Actor,
    change: CommentChange,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let reveal = state
        .consultation()
        .reveals_author(actor, &change.comment)
        .await?;
    Ok(ApiJson(CommentDto::view(change.comment, reveal)))
}

#[utoipa::path(post, path = "/api/v1/comments/{id}/support", tag = "comments",
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "supported (once per person; repeating changes nothing)"),
        (status = 401, body = crate::error::ErrorBody, description = "not signed in"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "the comment is not public")))]
pub async fn support_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .support_comment(&actor, comment_id(id), true)
        .await?;
    answer(&state, &actor, change).await
}

#[utoipa::path(delete, path = "/api/v1/comments/{id}/support", tag = "comments",
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "support taken back (repeating changes nothing)"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unsupport_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .support_comment(&actor, comment_id(id), false)
        .await?;
    answer(&state, &actor, change).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditComment {
    /// The new text. Sending the current text again changes nothing.
    pub body: String,
}

#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "comments", request_body = EditComment,
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "edited; the earlier text is kept"),
        (status = 403, body = crate::error::ErrorBody, description = "not the author"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "`edit_window_closed` after 15 minutes, `hearing_not_open`, or `comment_not_public`"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn edit_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<EditComment>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .edit_comment(&actor, comment_id(id), &body.body)
        .await?;
    answer(&state, &actor, change).await
}

#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "comments",
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "deleted: kept in the record, no longer shown"),
        (status = 403, body = crate::error::ErrorBody, description = "not the author"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .delete_comment(&actor, comment_id(id))
        .await?;
    answer(&state, &actor, change).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDto {
    /// The earlier text.
    pub body: String,
    pub written_at: String,
    /// When the author replaced it.
    pub replaced_at: String,
}

#[utoipa::path(get, path = "/api/v1/comments/{id}/revisions", tag = "comments",
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = Vec<RevisionDto>, description = "earlier texts, oldest first"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn comment_revisions(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<RevisionDto>>, ApiError> {
    let revisions = state
        .consultation()
        .comment_revisions(&actor, comment_id(id))
        .await?;
    Ok(ApiJson(
        revisions
            .into_iter()
            .map(|r| RevisionDto {
                body: r.body,
                written_at: crate::web::rfc3339(r.written_at),
                replaced_at: crate::web::rfc3339(r.replaced_at),
            })
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why (up to 2,000 characters). Optional for a report, required to hide.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportAnswer {
    /// False when this person had reported the comment before.
    pub recorded: bool,
    pub comment: CommentDto,
}

#[utoipa::path(post, path = "/api/v1/comments/{id}/reports", tag = "comments", request_body = ReasonBody,
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 201, body = ReportAnswer, description = "reported; enough reports from different people hide the comment until a planner decides"),
        (status = 200, body = ReportAnswer, description = "reported before by this person (or, without signing in, from this browser or client address)"),
        (status = 401, body = crate::error::ErrorBody, description = "an API token cannot report"),
        (status = 429, body = crate::error::ErrorBody, description = "`too_many_reports`: too many reports without signing in from this client address lately"),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn report_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ClientAddr(address): ClientAddr,
    jar: CookieJar,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<(StatusCode, CookieJar, ApiJson<ReportAnswer>), ApiError> {
    let (jar, anonymous) = anonymous_reporter(&state, &actor, jar, address).await?;
    let outcome = state
        .consultation()
        .report_comment(
            &actor,
            anonymous.as_ref(),
            comment_id(id),
            body.reason.as_deref(),
        )
        .await?;
    let status = if outcome.recorded {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        jar,
        ApiJson(ReportAnswer {
            recorded: outcome.recorded,
            comment: CommentDto::view(outcome.change.comment, false),
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/comments/{id}/hide", tag = "comments", request_body = ReasonBody,
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "hidden; logged, and the author is told by email"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "deleted by its author"),
        (status = 422, body = crate::error::ErrorBody, description = "`reason_required`")))]
pub async fn hide_comment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .hide_comment(&actor, &who, comment_id(id), body.reason.as_deref())
        .await?;
    Ok(ApiJson(CommentDto::view(change.comment, true)))
}

#[utoipa::path(post, path = "/api/v1/comments/{id}/restore", tag = "comments", request_body = ReasonBody,
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "shown again; open reports are resolved"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn restore_comment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    body: axum::body::Bytes,
) -> Result<ApiJson<CommentDto>, ApiError> {
    // The body is optional here: a reason for restoring may be given.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<ReasonBody>(&body)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?
            .reason
    };
    let change = state
        .consultation()
        .restore_comment(&actor, &who, comment_id(id), reason.as_deref())
        .await?;
    Ok(ApiJson(CommentDto::view(change.comment, true)))
}

#[utoipa::path(post, path = "/api/v1/comments/{id}/publish", tag = "comments",
    params(("id" = Uuid, Path, description = "comment id")),
    responses((status = 200, body = CommentDto, description = "input that waited for screening is published: readers get `comment_posted`, the planners' notice is sent; repeating changes nothing"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "the comment does not wait for screening")))]
pub async fn publish_comment(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<CommentDto>, ApiError> {
    let change = state
        .consultation()
        .publish_screened(&actor, &who, comment_id(id))
        .await?;
    Ok(ApiJson(CommentDto::view(change.comment, true)))
}
