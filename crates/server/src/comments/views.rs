//! What the hearing page shows about each comment beyond its text: support, edits and
//! their history, deletion and moderation, and which actions the reader may take.

use crate::web::templates::format_datetime;
use consultation::access::input_resource;
use consultation::moderation::may_moderate;
use consultation::moderation::{ModerationOverview, PersonalData, PersonalDataKind};
use domain::hearing::{Comment, Hearing};
use domain::moderation::{CommentStatus, Revision, within_edit_window};
use domain::policy::{Action, Actor, can};
use domain::{CommentId, Lang};
use minijinja::{Value, context};
use std::collections::{HashMap, HashSet};

/// The name a comment is shown under: "Name removed" when its author was forgotten.
pub fn shown_author(lang: Lang, c: &Comment) -> String {
    if c.anonymised {
        i18n::t(lang, "comment-author-removed")
    } else {
        c.author_name.clone()
    }
}

/// The notice shown after a comment form did its work.
pub fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "supported" => "comment-done-supported",
        "unsupported" => "comment-done-unsupported",
        "edited" => "comment-done-edited",
        "deleted" => "comment-done-deleted",
        "reported" => "comment-done-reported",
        // After the author confirmed their address from the emailed link.
        "confirmed" => "comment-done-confirmed",
        "confirmed-none" => "me-confirmed-none",
        "screening" => "screening-confirmed",
        // After following or no longer following the hearing or a section.
        "followed" => "follow-done",
        "unfollowed" => "follow-stopped",
        _ => return None,
    })
}

pub struct Extras {
    actor: Actor,
    hearing: Hearing,
    supported: HashSet<CommentId>,
    revisions: HashMap<CommentId, Vec<Revision>>,
    signed_in: bool,
}

impl Extras {
    /// What the reader supports and the earlier texts of edited comments, as the
    /// consultation service loaded them.
    pub fn new(
        actor: &Actor,
        hearing: &Hearing,
        supported: HashSet<CommentId>,
        revisions: HashMap<CommentId, Vec<Revision>>,
    ) -> Extras {
        Extras {
            actor: actor.clone(),
            hearing: hearing.clone(),
            supported,
            revisions,
            signed_in: actor.person.is_some(),
        }
    }
}

impl Extras {
    /// The fields the comment templates read besides the text.
    pub fn view(&self, lang: Lang, c: &Comment, accepts: bool) -> Value {
        let public = c.status.is_public();
        let input = input_resource(&self.hearing, c);
        let now = jiff::Timestamp::now();
        let hidden_note = match c.status {
            CommentStatus::Published => None,
            // Never listed; shown as taken down should it ever be.
            CommentStatus::Unconfirmed => Some("comment-hidden"),
            CommentStatus::Deleted => Some("comment-deleted"),
            CommentStatus::Hidden => Some("comment-hidden"),
            CommentStatus::PendingReview => Some("comment-pending-review"),
            // Never listed for readers; shown as waiting should it ever be.
            CommentStatus::Screening => Some("screening-status-waiting"),
        };
        let history: Vec<Value> = self
            .revisions
            .get(&c.id)
            .map(|revs| {
                revs.iter()
                    .map(|r| {
                        context! {
                            body => r.body,
                            written => format_datetime(lang, r.written_at),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        context! {
            status => c.status.as_str(),
            public => public,
            hidden_note => hidden_note,
            supporters => c.supporters,
            supported => self.supported.contains(&c.id),
            may_support => public && self.signed_in && accepts,
            edited => c.edited_at.filter(|_| public).map(|t| format_datetime(lang, t)),
            history => history,
            may_edit => public
                && accepts
                && can(&self.actor, Action::Edit, input)
                && within_edit_window(c.created_at, now),
            may_delete => c.status != CommentStatus::Deleted && can(&self.actor, Action::Delete, input),
            may_report => public,
            signed_in => self.signed_in,
            moderator => may_moderate(&self.actor, &self.hearing),
        }
    }
}

/// The Fluent id naming a kind of personal data.
fn personal_data_label(kind: PersonalDataKind) -> &'static str {
    match kind {
        PersonalDataKind::NationalId => "personal-data-national-id",
        PersonalDataKind::Phone => "personal-data-phone",
        PersonalDataKind::Email => "personal-data-email",
        PersonalDataKind::Address => "personal-data-address",
        PersonalDataKind::SpecialCategory => "personal-data-special-category",
    }
}

/// A text cut into parts at the flagged ranges (in characters), each flagged part
/// with its kind, so the page marks what may be personal data.
fn marked_parts(body: &str, flags: &[PersonalData]) -> Vec<Value> {
    let chars: Vec<char> = body.chars().collect();
    let mut parts = Vec::new();
    let mut at = 0;
    for f in flags {
        if f.start < at || f.end > chars.len() || f.start >= f.end {
            continue;
        }
        if f.start > at {
            parts.push(context! {
                text => chars[at..f.start].iter().collect::<String>(),
                kind => (),
            });
        }
        parts.push(context! {
            text => chars[f.start..f.end].iter().collect::<String>(),
            kind => f.kind.as_str(),
            label => personal_data_label(f.kind),
            range => format!("{}-{}", f.start, f.end),
        });
        at = f.end;
    }
    if at < chars.len() {
        parts.push(context! { text => chars[at..].iter().collect::<String>(), kind => () });
    }
    parts
}

/// The planner's list of inputs waiting for screening, of reported and hidden
/// comments of a hearing, and the log.
pub fn moderation(lang: Lang, overview: ModerationOverview) -> Value {
    let ModerationOverview {
        screening,
        personal_data,
        queue,
        log,
    } = overview;
    let screening: Vec<Value> = screening
        .into_iter()
        .zip(personal_data)
        .map(|(c, flags)| {
            context! {
                id => c.id.to_string(),
                author => c.author_name,
                body_parts => marked_parts(&c.body, &flags),
                flags => flags.len(),
                body => c.body,
                quote => c.anchor.map(|a| a.quote),
                created => format_datetime(lang, c.created_at),
                late => c.late,
            }
        })
        .collect();
    let items: Vec<Value> = queue
        .into_iter()
        .map(|q| {
            let open: Vec<Value> = q
                .reports
                .iter()
                .filter(|r| !r.resolved)
                .map(|r| {
                    context! {
                        reason => r.reason,
                        at => format_datetime(lang, r.created_at),
                    }
                })
                .collect();
            context! {
                id => q.comment.id.to_string(),
                author => q.comment.author_name,
                body => q.comment.body,
                created => format_datetime(lang, q.comment.created_at),
                status => q.comment.status.as_str(),
                reports => open,
                may_hide => matches!(q.comment.status, CommentStatus::Published | CommentStatus::PendingReview),
                may_restore => matches!(q.comment.status, CommentStatus::Hidden | CommentStatus::PendingReview),
            }
        })
        .collect();
    let log: Vec<Value> = log
        .into_iter()
        .map(|e| {
            context! {
                comment_id => e.comment_id.to_string(),
                action => e.action,
                actor => e.actor,
                reason => e.reason,
                at => format_datetime(lang, e.created_at),
            }
        })
        .collect();
    context! { screening => screening, items => items, log => log }
}
