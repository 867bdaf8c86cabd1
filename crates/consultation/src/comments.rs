//! Comments on the sections of a document on hearing.

use crate::Consultation;
use crate::access::hearing_resource;
use db::{DbError, NewComment, PostedComment};
use domain::email::{Email, OutgoingEmail, excerpt};
use domain::hearing::{Comment, Hearing, InputTiming};
use domain::policy::{Action, Actor, can};
use domain::validate::{self, FieldError};
use domain::{CommentId, HearingId, Lang, SectionId};
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

/// The planners' notice about a published comment.
pub fn comment_notices(
    service: &Consultation,
    hearing: &Hearing,
    plan: &domain::plan::Plan,
    section: &domain::plan::Section,
    comment: &Comment,
) -> Vec<OutgoingEmail> {
    plan.contact_email
        .iter()
        .map(|recipient| OutgoingEmail {
            dedupe_key: format!("comment-notice:{}:{recipient}", comment.id),
            recipient: recipient.clone(),
            lang: Lang::Nn,
            email: Email::CommentNotice {
                plan_title: plan.title.clone(),
                hearing_title: hearing.title.clone(),
                section_number: section.number.clone(),
                section_title: section.title.clone(),
                author_name: comment.author_name.clone(),
                excerpt: excerpt(&comment.body, 600),
                late: comment.late,
                link: format!(
                    "{}/hearings/{}#section-{}",
                    service.settings().base_url,
                    hearing.id,
                    section.id
                ),
            },
        })
        .collect()
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
        let hearing = match db.hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(CommentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
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
        let section = match db.section(input.section_id).await {
            Ok(s) if s.version_id == hearing.document_version_id => s,
            Ok(_) | Err(DbError::NotFound) => return Err(CommentError::SectionNotInHearing),
            Err(e) => return Err(e.into()),
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
        let version = db.document_version(hearing.document_version_id).await?;
        let plan = db.plan(hearing.plan_id).await?;
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
                    .checked_sub(jiff::SignedDuration::from_mins(15))
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
                let emails = link
                    .iter()
                    .map(|link| OutgoingEmail {
                        dedupe_key: format!("confirm-input:{}", db::hash_token(&link.token)),
                        recipient: email.clone(),
                        lang: input.lang,
                        email: Email::ConfirmInput {
                            hearing_title: hearing.title.clone(),
                            excerpt: excerpt(&body, 600),
                            link: format!(
                                "{}/inputs/confirm?token={}",
                                service.settings().base_url,
                                link.token
                            ),
                            valid_minutes: domain::privacy::CONFIRM_LINK_MINUTES,
                        },
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
                    author_email: None,
                    person_id: None,
                    edited_at: None,
                    supporters: 0,
                };
                // The planners hear about screened input when it is published.
                let notices = if screened {
                    Vec::new()
                } else {
                    comment_notices(service, &hearing, &plan, &section, &draft)
                };
                (notices, None)
            }
        };
        let queued_email = !emails.is_empty();
        let posted = db
            .post_comment(NewComment {
                id,
                hearing_id: hearing.id,
                document_id: version.document_id,
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
            })
            .await?;
        if posted.created {
            metrics::counter!("samrad_comments_posted_total").increment(1);
            self.after_commit(&posted.events, queued_email);
        }
        Ok(posted)
    }
}
