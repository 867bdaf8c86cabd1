use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::lang::ReaderLang;
use crate::services::{self, CommentInput, hearing_resource};
use crate::state::AppState;
use axum::extract::State;
use domain::hearing::{Comment, CommentStatus};
use domain::policy::{Action, can};
use domain::{HearingId, SectionId};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentDto {
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub section_id: Uuid,
    pub author_name: String,
    pub body: String,
    /// Arrived after the deadline.
    pub late: bool,
    pub created_at: String,
    /// The comment this one answers.
    pub parent_id: Option<Uuid>,
    /// The quoted passage the comment is about.
    pub quote: Option<String>,
    /// `published`, or `unconfirmed` (only ever in the answer to the post that
    /// stored it): the author must follow the link emailed to them first.
    pub status: String,
    /// The author asked to be forgotten: the text stays, `author_name` is empty.
    pub anonymised: bool,
}

impl From<Comment> for CommentDto {
    fn from(c: Comment) -> Self {
        CommentDto {
            id: c.id.0,
            hearing_id: c.hearing_id.0,
            section_id: c.section_id.0,
            author_name: c.author_name,
            body: c.body,
            late: c.late,
            created_at: super::rfc3339(c.created_at),
            parent_id: c.parent_id.map(|p| p.0),
            quote: c.anchor.map(|a| a.quote),
            status: c.status.as_str().to_owned(),
            anonymised: c.anonymised,
        }
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
    let hearing = state.db().hearing(HearingId(id)).await?;
    if !can(&actor, Action::Read, hearing_resource(&hearing)) {
        return Err(ApiError::not_found("the hearing"));
    }
    let comments = state.db().comments_of_hearing(hearing.id).await?;
    Ok(ApiJson(comments.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/comments", tag = "comments", request_body = PostComment,
    params(("id" = Uuid, Path, description = "hearing id"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "a UUID chosen by the client; a retry with the same key returns the first comment")),
    responses((status = 201, body = CommentDto, description = "stored and published"),
        (status = 202, body = CommentDto, description = "stored unconfirmed: published once the author follows the link emailed to them"),
        (status = 200, body = CommentDto, description = "a retry: the comment stored by the first post"),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn post_comment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ReaderLang(lang): ReaderLang,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PostComment>,
) -> Result<(StatusCode, ApiJson<CommentDto>), ApiError> {
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| Uuid::parse_str(v.trim()).ok())
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_idempotency_key",
                        "the Idempotency-Key header must be a UUID",
                    )
                })?,
        ),
    };
    let posted = services::post_comment(
        &state,
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
        (true, CommentStatus::Unconfirmed) => StatusCode::ACCEPTED,
    };
    Ok((status, ApiJson(posted.comment.into())))
}
