//! What readers, authors and planners do with a comment after it is posted: support
//! it, edit it within the window, delete it, report it, hide or restore it. Shared by
//! the JSON API and the HTML forms so both enforce the same rules in the same order.

use crate::error::ApiError;
use crate::state::AppState;
use consultation::access::hearing_resource;
use db::{CommentChange, DbError};
use domain::email::{Email, OutgoingEmail, excerpt};
use domain::hearing::{Comment, Hearing, InputTiming};
use domain::moderation::{CommentStatus, MAX_REASON_CHARS, Revision, within_edit_window};
use domain::policy::{Action, Actor, Resource, can};
use domain::validate::{self, FieldError};
use domain::{CommentId, DocumentId, Lang};
use http::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("the comment does not exist")]
    NotFound,
    #[error("sign in to do this")]
    SignInRequired,
    #[error("you may not do this with this comment")]
    Forbidden,
    #[error("a comment can be edited for 15 minutes after it was posted")]
    EditWindowClosed,
    #[error("the hearing is not open for input")]
    NotOpen,
    #[error("the comment is deleted or hidden")]
    NotPublic,
    #[error("give a reason")]
    ReasonRequired,
    #[error("too many reports from this address lately; try again later")]
    TooManyReports,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for LifecycleError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => LifecycleError::NotFound,
            DbError::Conflict(_) => LifecycleError::NotPublic,
            other => LifecycleError::Db(other),
        }
    }
}

impl From<LifecycleError> for ApiError {
    fn from(err: LifecycleError) -> Self {
        let message = err.to_string();
        let (status, code) = match err {
            LifecycleError::NotFound => return ApiError::not_found("the comment"),
            LifecycleError::SignInRequired => (StatusCode::UNAUTHORIZED, "sign_in_required"),
            LifecycleError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            LifecycleError::EditWindowClosed => (StatusCode::CONFLICT, "edit_window_closed"),
            LifecycleError::NotOpen => (StatusCode::CONFLICT, "hearing_not_open"),
            LifecycleError::NotPublic => (StatusCode::CONFLICT, "comment_not_public"),
            LifecycleError::ReasonRequired => (StatusCode::UNPROCESSABLE_ENTITY, "reason_required"),
            LifecycleError::TooManyReports => (StatusCode::TOO_MANY_REQUESTS, "too_many_reports"),
            LifecycleError::Invalid(e) => return e.into(),
            LifecycleError::Db(e) => return e.into(),
        };
        ApiError::new(status, code, message)
    }
}

impl LifecycleError {
    /// The message id the HTML pages show for this error, and the status.
    pub fn page_message(&self) -> (StatusCode, &'static str) {
        match self {
            LifecycleError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            LifecycleError::SignInRequired | LifecycleError::Forbidden => {
                (StatusCode::FORBIDDEN, "comment-error-forbidden")
            }
            LifecycleError::EditWindowClosed => (StatusCode::CONFLICT, "comment-error-window"),
            LifecycleError::NotOpen => (StatusCode::CONFLICT, "form-error-not-open"),
            LifecycleError::NotPublic => (StatusCode::CONFLICT, "comment-error-not-public"),
            LifecycleError::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "comment-error-reason")
            }
            LifecycleError::TooManyReports => {
                (StatusCode::TOO_MANY_REQUESTS, "screening-report-limited")
            }
            LifecycleError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "form-error-body"),
            LifecycleError::Db(_) => (StatusCode::SERVICE_UNAVAILABLE, "form-error-unavailable"),
        }
    }
}

/// A comment the actor may see, with its hearing and document.
pub struct Found {
    pub comment: Comment,
    pub hearing: Hearing,
    pub document: DocumentId,
}

impl Found {
    pub fn input(&self) -> Resource {
        input_resource(&self.hearing, &self.comment)
    }
}

pub fn input_resource(hearing: &Hearing, comment: &Comment) -> Resource {
    Resource::Input {
        municipality: hearing.municipality_id,
        plan: hearing.plan_id,
        author: comment.person_id,
    }
}

/// Whether the actor may see the text of comments that are not public (planners).
pub fn may_moderate(actor: &Actor, hearing: &Hearing) -> bool {
    can(
        actor,
        Action::Moderate,
        Resource::Input {
            municipality: hearing.municipality_id,
            plan: hearing.plan_id,
            author: None,
        },
    )
}

/// Loads a comment; one the actor may not see is "not found".
pub async fn find(state: &AppState, actor: &Actor, id: CommentId) -> Result<Found, LifecycleError> {
    let db = state.db();
    let comment = db.comment(id).await?;
    let hearing = db.hearing(comment.hearing_id).await?;
    if !can(actor, Action::Read, hearing_resource(&hearing)) {
        return Err(LifecycleError::NotFound);
    }
    let document = db
        .document_version(hearing.document_version_id)
        .await?
        .document_id;
    Ok(Found {
        comment,
        hearing,
        document,
    })
}

/// Loads a comment for a planner's decision: also one waiting for screening, which
/// only those who may moderate it find.
pub async fn find_for_moderation(
    state: &AppState,
    actor: &Actor,
    id: CommentId,
) -> Result<Found, LifecycleError> {
    let db = state.db();
    let comment = db.comment_for_moderation(id).await?;
    let hearing = db.hearing(comment.hearing_id).await?;
    if !can(actor, Action::Read, hearing_resource(&hearing))
        || (comment.status == CommentStatus::Screening && !may_moderate(actor, &hearing))
    {
        return Err(LifecycleError::NotFound);
    }
    let document = db
        .document_version(hearing.document_version_id)
        .await?
        .document_id;
    Ok(Found {
        comment,
        hearing,
        document,
    })
}

fn publish(state: &AppState, change: &CommentChange, queued_email: bool) {
    state.after_commit(&change.events, queued_email);
}

/// Supports a comment ("eg er einig") or takes the support back.
pub async fn support(
    state: &AppState,
    actor: &Actor,
    id: CommentId,
    on: bool,
) -> Result<CommentChange, LifecycleError> {
    let found = find(state, actor, id).await?;
    let person = actor.person.ok_or(LifecycleError::SignInRequired)?;
    if !can(actor, Action::Comment, hearing_resource(&found.hearing)) {
        return Err(LifecycleError::Forbidden);
    }
    if on && !found.comment.status.is_public() {
        return Err(LifecycleError::NotPublic);
    }
    let change = state
        .db()
        .set_support(found.document, id, person, on)
        .await?;
    publish(state, &change, false);
    Ok(change)
}

/// The author corrects the text within the edit window while the hearing takes input.
/// The same text again is answered with the comment as it is.
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: CommentId,
    body: &str,
) -> Result<CommentChange, LifecycleError> {
    let found = find(state, actor, id).await?;
    if !can(actor, Action::Edit, found.input()) {
        return Err(LifecycleError::Forbidden);
    }
    let body = validate::text("body", body, consultation::comments::MAX_COMMENT_CHARS)?;
    if body == found.comment.body {
        return Ok(CommentChange {
            comment: found.comment,
            events: Vec::new(),
        });
    }
    if !found.comment.status.is_public() {
        return Err(LifecycleError::NotPublic);
    }
    let now = db::time::now();
    if found.hearing.input_timing(now) == InputTiming::NotOpen {
        return Err(LifecycleError::NotOpen);
    }
    if !within_edit_window(found.comment.created_at, now) {
        return Err(LifecycleError::EditWindowClosed);
    }
    let change = state
        .db()
        .edit_comment(found.document, id, &body, now)
        .await?;
    publish(state, &change, false);
    Ok(change)
}

/// The author deletes the comment: the record keeps it, readers no longer see the text.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: CommentId,
) -> Result<CommentChange, LifecycleError> {
    let found = find(state, actor, id).await?;
    if !can(actor, Action::Delete, found.input()) {
        return Err(LifecycleError::Forbidden);
    }
    let change = state.db().delete_comment(found.document, id).await?;
    publish(state, &change, false);
    Ok(change)
}

/// Earlier texts of a comment, for anyone who may see its text.
pub async fn revisions(
    state: &AppState,
    actor: &Actor,
    id: CommentId,
) -> Result<Vec<Revision>, LifecycleError> {
    let found = find(state, actor, id).await?;
    if !found.comment.status.is_public() && !may_moderate(actor, &found.hearing) {
        return Err(LifecycleError::NotFound);
    }
    Ok(state.db().comment_revisions(id).await?)
}

fn reason(value: Option<&str>) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => Ok(Some(validate::text("reason", r, MAX_REASON_CHARS)?)),
    }
}

/// Who reports a comment without signing in: the client's address and the random
/// value of the browser's reporter cookie. Neither is stored as it is.
#[derive(Debug, Clone)]
pub struct AnonymousReporter {
    pub address: std::net::IpAddr,
    pub browser: String,
}

/// Anonymous reports one client address may make in a quarter of an hour.
pub const ANONYMOUS_REPORTS_PER_QUARTER: u64 = 10;

/// The name of the server secret that salts the hashes of reporters' addresses.
const REPORTER_SALT: &str = "reporter-salt";

/// A reader reports a comment, signed in or not; enough reports from different
/// people hide it until a planner decides. Without signing in, a report counts once
/// per client address and once per browser, and each address may report a limited
/// number of times.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    anonymous: Option<&AnonymousReporter>,
    id: CommentId,
    why: Option<&str>,
) -> Result<db::ReportOutcome, LifecycleError> {
    let found = find(state, actor, id).await?;
    let why = reason(why)?;
    let (key, person) = match (actor.person, anonymous) {
        (Some(person), _) => (format!("person:{person}"), Some(person)),
        (None, Some(reporter)) => {
            let salt = state.db().server_secret(REPORTER_SALT).await?;
            let key =
                db::anonymous_reporter_key(&salt, &reporter.address.to_string(), &reporter.browser);
            let since = db::time::now()
                .checked_sub(jiff::SignedDuration::from_mins(15))
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            if state.db().anonymous_reports_since(&key, since).await?
                >= ANONYMOUS_REPORTS_PER_QUARTER
            {
                metrics::counter!("samrad_anonymous_reports_limited_total").increment(1);
                return Err(LifecycleError::TooManyReports);
            }
            (key, None)
        }
        (None, None) => return Err(LifecycleError::SignInRequired),
    };
    if matches!(
        found.comment.status,
        CommentStatus::Deleted | CommentStatus::Hidden
    ) {
        return Err(LifecycleError::NotPublic);
    }
    let outcome = state
        .db()
        .report_comment(
            found.document,
            id,
            &key,
            person,
            why.as_deref(),
            state.config().report_threshold,
            db::time::now(),
        )
        .await?;
    publish(state, &outcome.change, false);
    Ok(outcome)
}

/// A planner hides (with a reason, and the author is told by email) or restores a comment.
pub async fn moderate(
    state: &AppState,
    actor: &Actor,
    who: &str,
    id: CommentId,
    hide: bool,
    why: Option<&str>,
) -> Result<CommentChange, LifecycleError> {
    let found = find_for_moderation(state, actor, id).await?;
    if !can(actor, Action::Moderate, found.input()) {
        return Err(LifecycleError::Forbidden);
    }
    let why = reason(why)?;
    if hide && why.is_none() {
        return Err(LifecycleError::ReasonRequired);
    }
    let db = state.db();
    let mut emails = Vec::new();
    if hide {
        let recipient = match found.comment.person_id {
            Some(person) => match db.person(person).await {
                Ok(p) => Some((p.email, p.lang)),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        }
        .or_else(|| {
            found
                .comment
                .author_email
                .clone()
                .map(|email| (email, Lang::Nn))
        });
        if let Some((recipient, lang)) = recipient {
            emails.push(OutgoingEmail {
                dedupe_key: format!("input-hidden:{id}:{}", db::time::now().as_second()),
                recipient,
                lang,
                email: Email::InputHidden {
                    hearing_title: found.hearing.title.clone(),
                    excerpt: excerpt(&found.comment.body, 600),
                    reason: why.clone().unwrap_or_default(),
                    link: format!(
                        "{}/hearings/{}#comment-{id}",
                        state.config().base_url,
                        found.hearing.id
                    ),
                },
            });
        }
    }
    let change = db
        .moderate_comment(found.document, id, hide, who, why.as_deref(), &emails)
        .await?;
    if !change.events.is_empty() {
        tracing::info!(comment = %id, actor = %who, hide, "comment moderated");
    }
    publish(
        state,
        &change,
        !emails.is_empty() && !change.events.is_empty(),
    );
    Ok(change)
}

/// A planner publishes input that waited for screening: readers get it live as a new
/// comment, and the planners' notice is queued.
pub async fn publish_screened(
    state: &AppState,
    actor: &Actor,
    who: &str,
    id: CommentId,
) -> Result<CommentChange, LifecycleError> {
    let found = find_for_moderation(state, actor, id).await?;
    if !can(actor, Action::Moderate, found.input()) {
        return Err(LifecycleError::Forbidden);
    }
    let db = state.db();
    let plan = db.plan(found.hearing.plan_id).await?;
    let section = db.section(found.comment.section_id).await?;
    let mut published = found.comment.clone();
    published.status = CommentStatus::Published;
    let emails = consultation::comments::comment_notices(
        state.consultation(),
        &found.hearing,
        &plan,
        &section,
        &published,
    );
    let change = db
        .publish_screened(found.document, id, who, &emails)
        .await?;
    if !change.events.is_empty() {
        tracing::info!(comment = %id, actor = %who, "screened input published");
    }
    publish(
        state,
        &change,
        !emails.is_empty() && !change.events.is_empty(),
    );
    Ok(change)
}
