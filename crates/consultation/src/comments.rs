//! Comments on the sections of a document on hearing: posting them, and what readers
//! and authors do with them afterwards (support, edits within the window, deletion,
//! earlier texts, reports). A planner's decisions are in [`crate::moderation`].

mod reading;

use crate::Consultation;
use crate::access::{hearing_resource, input_resource};
use crate::moderation::may_moderate;
use db::{CommentChange, DbError, NewComment, PostedComment, ReportOutcome};
use domain::email::{Email, OutgoingEmail, excerpt};
use domain::hearing::{Comment, Hearing, InputTiming};
use domain::moderation::{CommentStatus, MAX_REASON_CHARS, Revision, within_edit_window};
use domain::policy::{Action, Actor, Resource, can};
use domain::validate::{self, FieldError};
use domain::{CommentId, DocumentId, HearingId, Lang, SectionId};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct CommentInput {
    pub section_id: SectionId,
    /// Ignored for a signed-in person, who writes under the name of their record.
    pub author_name: String,
    /// Required from someone who is not signed in: the link that confirms the input
    /// goes there. Ignored for a signed-in person.
    pub author_email: Option<String>,
    /// The language of the confirmation email.
    pub lang: Lang,
    pub body: String,
    pub idempotency_key: Option<Uuid>,
    /// Answer to this comment (same hearing and section; replies are not nested deeper).
    pub parent_id: Option<CommentId>,
    /// A passage of the section the comment is about.
    pub quote: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("the hearing does not exist")]
    HearingNotFound,
    #[error("the section is not part of the document on hearing")]
    SectionNotInHearing,
    #[error("a reply must answer a comment on the same section that is not itself a reply")]
    InvalidParent,
    #[error("the quoted passage is not in the section's text")]
    QuoteNotInSection,
    #[error("the hearing is not open for input")]
    NotOpen,
    #[error("you may not comment on this hearing")]
    Forbidden,
    #[error(
        "author_email is required when you are not signed in: the input is published once you confirm it through the link emailed to you"
    )]
    EmailRequired,
    #[error("the idempotency key was used for another comment; choose a new one")]
    KeyReused,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub const MAX_COMMENT_CHARS: usize = 10_000;

/// Confirmation links one address may get in a quarter of an hour; input beyond
/// that is still stored, and an earlier link confirms it.
const CONFIRM_LINKS_PER_QUARTER: u64 = 5;

/// Who writes a comment, as far as storing it goes.
enum Author {
    /// Signed in: writes as their person record, published at once.
    Person(domain::person::Person),
    /// Not signed in: waits for the address to be confirmed.
    Unconfirmed { name: String, email: String },
    /// An API token registering input someone gave (by letter, say): published at
    /// once under the name given.
    Registered { name: String, email: Option<String> },
}

/// The emails a comment sends once it is published: the planners' notice, and for a
/// reply the notice to the author of the comment it answers. Each in the language
/// of its recipient, from the municipality.
pub async fn comment_notices(
    service: &Consultation,
    hearing: &Hearing,
    plan: &domain::plan::Plan,
    section: &domain::plan::Section,
    comment: &Comment,
) -> Result<Vec<OutgoingEmail>, DbError> {
    let mut emails = planner_notice(service, hearing, plan, section, comment).await?;
    emails.extend(reply_notice(service, hearing, plan, section, comment).await?);
    Ok(emails)
}

/// Tells the author of the comment `reply` answers, unless they answered themself.
async fn reply_notice(
    service: &Consultation,
    hearing: &Hearing,
    plan: &domain::plan::Plan,
    section: &domain::plan::Section,
    reply: &Comment,
) -> Result<Option<OutgoingEmail>, DbError> {
    let Some(parent_id) = reply.parent_id else {
        return Ok(None);
    };
    let parent = match service.db().comment(parent_id).await {
        Ok(parent) => parent,
        // Deleted, hidden or forgotten meanwhile: nobody to tell.
        Err(DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let recipient = match parent.person_id {
        Some(person) => match service.db().person(person).await {
            Ok(p) => Some(crate::letters::Recipient::from(p)),
            Err(DbError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let recipient = match (recipient, parent.author_email.as_deref()) {
        (Some(r), _) => r,
        (None, Some(address)) => service.recipient_at(address, Lang::Nn).await?,
        (None, None) => return Ok(None),
    };
    let same_person = reply.person_id.is_some() && reply.person_id == recipient.person;
    let same_address = reply
        .author_email
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case(&recipient.email));
    if same_person || same_address {
        return Ok(None);
    }
    let letter = service.plan_letter(plan, Some(hearing)).await?;
    let name = if recipient.name.is_empty() {
        parent.author_name.clone()
    } else {
        recipient.name.clone()
    };
    Ok(Some(OutgoingEmail {
        dedupe_key: format!("comment-reply:{}", reply.id),
        municipality: Some(hearing.municipality_id),
        plan: Some(hearing.plan_id),
        recipient: recipient.email,
        lang: recipient.lang,
        email: Email::CommentReply {
            hearing_title: hearing.title.clone(),
            section_title: format!("{} {}", section.number, section.title),
            author_name: reply.author_name.clone(),
            excerpt: excerpt(&reply.body, 600),
            link: letter.link(&format!("/hearings/{}#comment-{}", hearing.id, reply.id)),
        },
        letterhead: letter.to(&name),
    }))
}

/// The planners' notice about a published comment, to the plan's contact address.
async fn planner_notice(
    service: &Consultation,
    hearing: &Hearing,
    plan: &domain::plan::Plan,
    section: &domain::plan::Section,
    comment: &Comment,
) -> Result<Vec<OutgoingEmail>, DbError> {
    let Some(address) = plan.contact_email.as_deref() else {
        return Ok(Vec::new());
    };
    // A planner who chose the daily digest hears of it there.
    if !service.notice_now(address, plan.id).await? {
        return Ok(Vec::new());
    }
    let letter = service.plan_letter(plan, Some(hearing)).await?;
    let recipient = service.recipient_at(address, Lang::Nn).await?;
    Ok(vec![OutgoingEmail {
        dedupe_key: format!("comment-notice:{}:{address}", comment.id),
        municipality: Some(hearing.municipality_id),
        plan: Some(hearing.plan_id),
        recipient: address.to_owned(),
        lang: recipient.lang,
        email: Email::CommentNotice {
            plan_title: plan.title.clone(),
            hearing_title: hearing.title.clone(),
            section_number: section.number.clone(),
            section_title: section.title.clone(),
            author_name: comment.author_name.clone(),
            excerpt: excerpt(&comment.body, 600),
            late: comment.late,
            link: letter.link(&format!("/hearings/{}#section-{}", hearing.id, section.id)),
        },
        letterhead: letter.to(&recipient.name),
    }])
}

impl Consultation {
    /// Validates and stores a comment with its events and emails, then publishes it.
    ///
    /// A signed-in person's comment is published at once. Someone who is not signed in
    /// must give an address: the comment is stored unconfirmed, shown nowhere, and a
    /// link to confirm it is emailed (through the outbox, in the same transaction).
    pub async fn post_comment(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
        input: CommentInput,
    ) -> Result<PostedComment, CommentError> {
        let service = self;
        let db = self.db();
        // The hearing, its plan, its document and the section, in one query.
        let target = match db.comment_target(hearing_id, input.section_id).await {
            Ok(t) => t,
            Err(DbError::NotFound) => return Err(CommentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let hearing = target.hearing;
        let resource = hearing_resource(&hearing);
        if !can(actor, Action::Read, resource) {
            // Do not reveal hearings the actor cannot see.
            return Err(CommentError::HearingNotFound);
        }
        let now = self.now();
        let late = match hearing.input_timing(now) {
            InputTiming::OnTime => false,
            InputTiming::Late => true,
            InputTiming::NotOpen => return Err(CommentError::NotOpen),
        };
        if !can(actor, Action::Comment, resource) {
            return Err(CommentError::Forbidden);
        }
        let typed_email = || match input.author_email.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(email) => validate::email("author_email", email)
                .map(|e| Some(domain::person::normalise_email(&e))),
        };
        let author = match actor.person {
            Some(person) => match db.person_record(person).await {
                Ok(record) if record.anonymised_at.is_none() => Author::Person(record.person),
                Ok(_) | Err(DbError::NotFound) => return Err(CommentError::Forbidden),
                Err(e) => return Err(e.into()),
            },
            None if actor.roles.is_empty() => {
                let name = validate::line("author_name", &input.author_name, 200)?;
                match typed_email()? {
                    Some(email) => Author::Unconfirmed { name, email },
                    None => return Err(CommentError::EmailRequired),
                }
            }
            None => Author::Registered {
                name: validate::line("author_name", &input.author_name, 200)?,
                email: typed_email()?,
            },
        };
        let body = validate::text("body", &input.body, MAX_COMMENT_CHARS)?;
        let Some(section) = target.section else {
            return Err(CommentError::SectionNotInHearing);
        };
        if let Some(parent) = input.parent_id {
            // Only published comments are found: input waiting for confirmation cannot
            // be answered (or discovered).
            match db.comment(parent).await {
                Ok(p)
                    if p.hearing_id == hearing.id
                        && p.section_id == section.id
                        && p.parent_id.is_none() => {}
                Ok(_) | Err(DbError::NotFound) => return Err(CommentError::InvalidParent),
                Err(e) => return Err(e.into()),
            }
        }
        let anchor = match input.quote.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(quote) => {
                if quote.chars().count() > domain::anchor::MAX_QUOTE_CHARS {
                    return Err(CommentError::Invalid(FieldError {
                        field: "quote",
                        problem: domain::validate::Problem::TooLong {
                            max: domain::anchor::MAX_QUOTE_CHARS,
                        },
                    }));
                }
                // Anchored in the text as readers see it (the rendered Markdown), so a
                // passage selected on the page is found even across formatting.
                let text = markup::section_text_of_markdown(&section.body);
                Some(domain::anchor::anchor(&text, quote).ok_or(CommentError::QuoteNotInSection)?)
            }
        };
        let plan = target.plan;
        let id = CommentId::new();
        // Input from the public waits for a planner when the hearing screens it (input
        // given without signing in is screened once its author confirms it).
        let screened = matches!(author, Author::Person(_))
            && domain::moderation::needs_screening(
                hearing.screen_public_input,
                actor,
                hearing.municipality_id,
                hearing.plan_id,
            );
        let (author_name, author_email, person_id) = match &author {
            Author::Person(person) => (
                person.name.clone(),
                Some(person.email.clone()),
                Some(person.id),
            ),
            Author::Unconfirmed { name, email } => (name.clone(), Some(email.clone()), None),
            Author::Registered { name, email } => (name.clone(), email.clone(), None),
        };
        let (emails, unconfirmed) = match &author {
            Author::Unconfirmed { name, email } => {
                let since = now
                    .checked_sub(jiff::SignedDuration::from_mins(
                        ANONYMOUS_REPORT_WINDOW_MINUTES,
                    ))
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
                let link = if db.sign_in_requests_since(email, since).await?
                    >= CONFIRM_LINKS_PER_QUARTER
                {
                    tracing::info!("confirmation links for one address limited");
                    None
                } else {
                    Some(db::ConfirmLink {
                        token: crate::secrets::new_secret(),
                        valid_for: jiff::SignedDuration::from_mins(i64::from(
                            domain::privacy::CONFIRM_LINK_MINUTES,
                        )),
                    })
                };
                let letter = service.plan_letter(&plan, Some(&hearing)).await?;
                let emails = link
                    .iter()
                    .map(|link| OutgoingEmail {
                        dedupe_key: format!("confirm-input:{}", db::hash_token(&link.token)),
                        municipality: Some(hearing.municipality_id),
                        plan: Some(hearing.plan_id),
                        recipient: email.clone(),
                        lang: input.lang,
                        email: Email::ConfirmInput {
                            hearing_title: hearing.title.clone(),
                            excerpt: excerpt(&body, 600),
                            // The author returns to the hearing once confirmed.
                            link: letter.link(&format!(
                                "/inputs/confirm?token={}&next=/hearings/{}",
                                link.token, hearing.id
                            )),
                            valid_minutes: domain::privacy::CONFIRM_LINK_MINUTES,
                        },
                        letterhead: letter.to(name),
                    })
                    .collect();
                let unconfirmed = db::UnconfirmedAuthor {
                    email: email.clone(),
                    name: name.clone(),
                    lang: input.lang,
                    municipality: hearing.municipality_id,
                    link,
                };
                (emails, Some(unconfirmed))
            }
            Author::Person(_) | Author::Registered { .. } => {
                let draft = Comment {
                    id,
                    hearing_id: hearing.id,
                    section_id: section.id,
                    author_name: author_name.clone(),
                    body: body.clone(),
                    late,
                    created_at: now,
                    parent_id: input.parent_id,
                    anchor: anchor.clone(),
                    status: domain::hearing::CommentStatus::Published,
                    anonymised: false,
                    // Who wrote it, so a reply to one's own comment tells nobody.
                    author_email: author_email.clone(),
                    person_id,
                    edited_at: None,
                    supporters: 0,
                };
                // The planners hear about screened input when it is published.
                let notices = if screened {
                    Vec::new()
                } else {
                    comment_notices(service, &hearing, &plan, &section, &draft).await?
                };
                (notices, None)
            }
        };
        let queued_email = !emails.is_empty();
        // Published by the comment writer right after its commit, in the order of the
        // commit's comments, so live readers get one group's events in sequence.
        let publisher = std::sync::Arc::clone(&self.inner.publisher);
        let publish: db::OnCommit = Box::new(move |posted: &db::PostedComment| {
            publisher.committed(&posted.events, queued_email);
        });
        let posted = db
            .post_comment_then(
                NewComment {
                    id,
                    hearing_id: hearing.id,
                    document_id: target.document,
                    section_id: section.id,
                    author_name,
                    author_email,
                    body,
                    late,
                    created_at: now,
                    parent_id: input.parent_id,
                    anchor,
                    person_id,
                    idempotency_key: input.idempotency_key,
                    emails,
                    unconfirmed,
                    screened,
                },
                publish,
            )
            .await
            .map_err(|e| match e {
                DbError::Conflict(detail) if detail == db::COMMENT_KEY_REUSED => {
                    CommentError::KeyReused
                }
                e => CommentError::Db(e),
            })?;
        if posted.created {
            metrics::counter!("samrad_comments_posted_total").increment(1);
        }
        Ok(posted)
    }
}

/// Why a change to a posted comment (support, an edit, deletion, a report) or a look
/// at its earlier texts was refused.
#[derive(Debug, thiserror::Error)]
pub enum CommentChangeError {
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
    #[error("too many reports from this address lately; try again later")]
    TooManyReports,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for CommentChangeError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => CommentChangeError::NotFound,
            // The comment left the state the change needs meanwhile.
            DbError::Conflict(_) => CommentChangeError::NotPublic,
            other => CommentChangeError::Db(other),
        }
    }
}

/// A comment the actor may see, with its hearing and the document it is on.
pub(crate) struct Found {
    pub comment: Comment,
    pub hearing: Hearing,
    pub document: DocumentId,
}

impl Found {
    pub fn input(&self) -> Resource {
        input_resource(&self.hearing, &self.comment)
    }
}

/// Who reports a comment without signing in, as the server recognised them from the
/// request: salted hashes of the client's address and of the browser's reporter
/// cookie (made by `db::anonymous_reporter_key`), never the address itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymousReporter {
    pub key: String,
}

/// Anonymous reports one client address may make in a quarter of an hour.
pub const ANONYMOUS_REPORTS_PER_QUARTER: u64 = 10;
/// The window of [`ANONYMOUS_REPORTS_PER_QUARTER`], in minutes.
pub const ANONYMOUS_REPORT_WINDOW_MINUTES: i64 = 15;

/// A reason given with a report or a planner's decision: optional, at most
/// [`MAX_REASON_CHARS`].
pub(crate) fn reason(value: Option<&str>) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => Ok(Some(validate::text("reason", r, MAX_REASON_CHARS)?)),
    }
}

impl Consultation {
    /// The hearing and document of a comment the actor may read the hearing of; one
    /// they may not see is "not found".
    pub(crate) async fn found(&self, actor: &Actor, comment: Comment) -> Result<Found, DbError> {
        let hearing = self.db().hearing(comment.hearing_id).await?;
        if !can(actor, Action::Read, hearing_resource(&hearing)) {
            return Err(DbError::NotFound);
        }
        let document = self
            .db()
            .document_version(hearing.document_version_id)
            .await?
            .document_id;
        Ok(Found {
            comment,
            hearing,
            document,
        })
    }

    /// Loads a listed comment (not one waiting for confirmation or screening).
    async fn find_comment(&self, actor: &Actor, id: CommentId) -> Result<Found, DbError> {
        let comment = self.db().comment(id).await?;
        self.found(actor, comment).await
    }

    /// Supports a comment ("eg er einig", `on`) or takes the support back; once per
    /// person, so repeating it changes nothing.
    pub async fn support_comment(
        &self,
        actor: &Actor,
        id: CommentId,
        on: bool,
    ) -> Result<CommentChange, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        let person = actor.person.ok_or(CommentChangeError::SignInRequired)?;
        if !can(actor, Action::Comment, hearing_resource(&found.hearing)) {
            return Err(CommentChangeError::Forbidden);
        }
        if on && !found.comment.status.is_public() {
            return Err(CommentChangeError::NotPublic);
        }
        let change = self
            .db()
            .set_support(found.document, id, person, on)
            .await?;
        self.after_commit(&change.events, false);
        Ok(change)
    }

    /// The author corrects the text within the edit window (15 minutes) while the
    /// hearing takes input; the earlier text is kept. The same text again is answered
    /// with the comment as it is.
    pub async fn edit_comment(
        &self,
        actor: &Actor,
        id: CommentId,
        body: &str,
    ) -> Result<CommentChange, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        if !can(actor, Action::Edit, found.input()) {
            return Err(CommentChangeError::Forbidden);
        }
        let body = validate::text("body", body, MAX_COMMENT_CHARS)?;
        if body == found.comment.body {
            return Ok(CommentChange {
                comment: found.comment,
                events: Vec::new(),
            });
        }
        if !found.comment.status.is_public() {
            return Err(CommentChangeError::NotPublic);
        }
        let now = self.now();
        if found.hearing.input_timing(now) == InputTiming::NotOpen {
            return Err(CommentChangeError::NotOpen);
        }
        if !within_edit_window(found.comment.created_at, now) {
            return Err(CommentChangeError::EditWindowClosed);
        }
        let change = self
            .db()
            .edit_comment(found.document, id, &body, now)
            .await?;
        self.after_commit(&change.events, false);
        Ok(change)
    }

    /// The author deletes the comment: the record keeps it, readers no longer see the
    /// text. Repeating it changes nothing.
    pub async fn delete_comment(
        &self,
        actor: &Actor,
        id: CommentId,
    ) -> Result<CommentChange, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        if !can(actor, Action::Delete, found.input()) {
            return Err(CommentChangeError::Forbidden);
        }
        let change = self.db().delete_comment(found.document, id).await?;
        if !change.events.is_empty() {
            self.record(
                crate::audit::by(
                    actor,
                    domain::audit::AuditKind::Deleted,
                    Some(found.hearing.municipality_id),
                )
                .plan(Some(found.hearing.plan_id))
                .target(id)
                .detail("comment"),
            )
            .await;
        }
        self.after_commit(&change.events, false);
        Ok(change)
    }

    /// A comment the actor may delete, for the page that asks before it is deleted.
    pub async fn comment_to_delete(
        &self,
        actor: &Actor,
        id: CommentId,
    ) -> Result<Comment, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        if !can(actor, Action::Delete, found.input()) {
            return Err(CommentChangeError::Forbidden);
        }
        Ok(found.comment)
    }

    /// Earlier texts of a comment, oldest first, for anyone who may see its text.
    pub async fn comment_revisions(
        &self,
        actor: &Actor,
        id: CommentId,
    ) -> Result<Vec<Revision>, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        if !found.comment.status.is_public() && !may_moderate(actor, &found.hearing) {
            return Err(CommentChangeError::NotFound);
        }
        Ok(self.db().comment_revisions(id).await?)
    }

    /// A reader reports a comment, signed in or not (`anonymous`: who the server
    /// recognised); [`Settings::report_threshold`](crate::Settings) reports from
    /// different people hide it until a planner decides. Without signing in, a report
    /// counts once per client address and once per browser, and one address may make
    /// [`ANONYMOUS_REPORTS_PER_QUARTER`] reports in a quarter of an hour.
    pub async fn report_comment(
        &self,
        actor: &Actor,
        anonymous: Option<&AnonymousReporter>,
        id: CommentId,
        why: Option<&str>,
    ) -> Result<ReportOutcome, CommentChangeError> {
        let found = self.find_comment(actor, id).await?;
        let why = reason(why)?;
        let now = self.now();
        let (key, person) = match (actor.person, anonymous) {
            (Some(person), _) => (format!("person:{person}"), Some(person)),
            (None, Some(reporter)) => {
                let since = now
                    .checked_sub(jiff::SignedDuration::from_mins(15))
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
                if self
                    .db()
                    .anonymous_reports_since(&reporter.key, since)
                    .await?
                    >= ANONYMOUS_REPORTS_PER_QUARTER
                {
                    metrics::counter!("samrad_anonymous_reports_limited_total").increment(1);
                    return Err(CommentChangeError::TooManyReports);
                }
                (reporter.key.clone(), None)
            }
            (None, None) => return Err(CommentChangeError::SignInRequired),
        };
        if matches!(
            found.comment.status,
            CommentStatus::Deleted | CommentStatus::Hidden
        ) {
            return Err(CommentChangeError::NotPublic);
        }
        let outcome = self
            .db()
            .report_comment(
                found.document,
                id,
                &key,
                person,
                why.as_deref(),
                self.settings().report_threshold,
                now,
            )
            .await?;
        self.after_commit(&outcome.change.events, false);
        Ok(outcome)
    }
}
