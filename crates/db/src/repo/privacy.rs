//! What is stored about a person: their profile, everything keyed by them or by
//! their address (for the export), and forgetting them when they ask.
//!
//! Forgetting keeps what the hearing's record needs – the text of every input –
//! and removes who gave it: names, addresses, sessions, links, memberships and roles.

use super::comments::{OwnComment, authored_by, documents_of_sections};
use super::outbox::OutboxStatus;
use super::{events, parse_enum, same_address};
use crate::entities::{
    comment, email_opt_out, event, follow, group_membership, hearing, hearing_change, invitation,
    municipality, notice_choice, organisation, outbox, person, plan, plan_group, plan_planner,
    session, sign_in_token, staff,
};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError, StoredEvent};
use domain::email::{Email, EmailEnvelope};
use domain::event::{CommentAnonymised, EventPayload};
use domain::group::{GroupKind, MemberRole};
use domain::hearing::CommentStatus;
use domain::person::{Person, StaffRole, normalise_email};
use domain::room::Room;
use domain::{
    CommentId, GroupId, HearingId, InvitationId, Lang, MunicipalityId, OutboxJobId, PersonId,
    PlanId, SessionId,
};
use jiff::Timestamp;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A person's row, with the facts the export shows (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub person: Person,
    pub created_at: Timestamp,
    pub email_confirmed_at: Option<Timestamp>,
    pub anonymised_at: Option<Timestamp>,
    pub has_password: bool,
}

/// A group the person belongs to, with its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRecord {
    pub group_id: GroupId,
    pub group_name: String,
    pub group_kind: GroupKind,
    pub plan_id: PlanId,
    pub plan_title: String,
    pub role: MemberRole,
    pub organisation: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: InvitationId,
    pub group_name: String,
    pub plan_title: String,
    pub role: MemberRole,
    pub invited_by: String,
    pub created_at: Timestamp,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// A session, by id only: its secret is never stored, and its hash never leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: SessionId,
    pub municipality: Option<MunicipalityId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A sign-in or confirmation link that was sent, without its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub id: Uuid,
    pub purpose: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub municipality: String,
    pub role: StaffRole,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: PlanId,
    pub title: String,
}

/// An email to the person: what kind, and what became of it (never its content,
/// which may hold a link's token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailRecord {
    pub id: OutboxJobId,
    pub kind: String,
    pub status: OutboxStatus,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// A change to a hearing the person made as staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRecord {
    pub hearing_id: HearingId,
    pub kind: String,
    pub created_at: Timestamp,
}

/// Plans and hearings that name the person's address as their contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    /// "plan" or "hearing".
    pub kind: &'static str,
    pub id: Uuid,
    pub title: String,
}

/// Everything stored about a person or keyed by their address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonData {
    pub person: PersonRecord,
    pub staff_roles: Vec<StaffRecord>,
    pub plans_planned: Vec<PlanRecord>,
    pub memberships: Vec<MembershipRecord>,
    pub invitations: Vec<InvitationRecord>,
    pub sessions: Vec<SessionRecord>,
    pub links: Vec<LinkRecord>,
    pub comments: Vec<OwnComment>,
    pub emails: Vec<EmailRecord>,
    pub hearing_changes: Vec<ChangeRecord>,
    pub contact_for: Vec<ContactRecord>,
    /// The kinds of email they turned off.
    pub email_opt_outs: Vec<String>,
    /// The hearings and sections they follow.
    pub follows: Vec<super::digests::FollowRecord>,
    /// The plans they plan, each with whether they hear of input at once or daily.
    pub notice_choices: Vec<super::digests::NoticeChoiceRecord>,
    /// Letters and emails from the person that planners registered by hand.
    pub letters_sent: Vec<super::letters::SentLetterRecord>,
}

/// What forgetting a person did.
#[derive(Debug, Clone, Default)]
pub struct Anonymised {
    /// The sessions that ended: their websockets must close.
    pub sessions: Vec<SessionId>,
    /// Events telling readers to remove the names, to publish after commit.
    pub events: Vec<StoredEvent>,
    /// Published comments that keep their text without a name.
    pub comments: usize,
    /// Comments that were never confirmed, deleted.
    pub deleted_unconfirmed: usize,
    /// Emails to the person that will not be sent.
    pub cancelled_emails: u64,
    /// Registered letters from the person that no longer name them.
    pub letters: u64,
    /// Workshop board notes that keep their text without a writer.
    pub workshop_notes: u64,
    /// Dots the person had put on workshop board notes, taken away.
    pub workshop_dots: u64,
}

fn opt(ts: Option<sea_orm::prelude::DateTimeUtc>) -> Result<Option<Timestamp>, DbError> {
    ts.map(from_db).transpose()
}

async fn person_row<C: ConnectionTrait>(conn: &C, id: PersonId) -> Result<person::Model, DbError> {
    person::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)
}

impl Db {
    pub async fn person_record(&self, id: PersonId) -> Result<PersonRecord, DbError> {
        let row = person_row(&self.read, id).await?;
        Ok(PersonRecord {
            created_at: from_db(row.created_at)?,
            email_confirmed_at: opt(row.email_confirmed_at)?,
            anonymised_at: opt(row.anonymised_at)?,
            has_password: row.password_hash.is_some(),
            person: super::people::into_domain(row)?,
        })
    }

    /// Changes the name and language a person chose for themself.
    pub async fn update_profile(
        &self,
        id: PersonId,
        name: &str,
        lang: Lang,
    ) -> Result<(), DbError> {
        let updated = person::Entity::update_many()
            .col_expr(person::Column::Name, Expr::value(name.to_owned()))
            .col_expr(person::Column::Lang, Expr::value(lang.code()))
            .filter(person::Column::Id.eq(id.0))
            .filter(person::Column::AnonymisedAt.is_null())
            .exec(&self.conn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Hearings open for input now, whatever their audience (the caller asks the
    /// policy which of them a person may take part in); soonest deadline first.
    pub async fn open_hearings(&self) -> Result<Vec<domain::hearing::Hearing>, DbError> {
        hearing::Entity::find()
            .filter(hearing::Column::State.eq(domain::hearing::HearingState::Open.as_str()))
            .order_by_asc(hearing::Column::Deadline)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(super::hearings::into_domain)
            .collect()
    }

    /// The groups a person belongs to, with their plans.
    pub async fn memberships_with_plans(
        &self,
        id: PersonId,
    ) -> Result<Vec<MembershipRecord>, DbError> {
        let rows = group_membership::Entity::find()
            .filter(group_membership::Column::PersonId.eq(id.0))
            .order_by_asc(group_membership::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let groups: HashMap<Uuid, plan_group::Model> = plan_group::Entity::find()
            .filter(plan_group::Column::Id.is_in(rows.iter().map(|r| r.group_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect();
        let plans = plan_titles(&self.conn, groups.values().map(|g| g.plan_id)).await?;
        let organisations: HashMap<Uuid, String> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows.iter().filter_map(|r| r.organisation_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(group) = groups.get(&row.group_id) else {
                continue;
            };
            out.push(MembershipRecord {
                group_id: GroupId(group.id),
                group_name: group.name.clone(),
                group_kind: parse_enum(&group.kind, GroupKind::parse, "group kind")?,
                plan_id: PlanId(group.plan_id),
                plan_title: plans.get(&group.plan_id).cloned().unwrap_or_default(),
                role: parse_enum(&row.role, MemberRole::parse, "member role")?,
                organisation: row
                    .organisation_id
                    .and_then(|o| organisations.get(&o).cloned()),
                created_at: from_db(row.created_at)?,
            });
        }
        Ok(out)
    }

    /// Everything stored about a person or keyed by their address, for them to
    /// download. Holds no secret: no token, session secret or password hash, and no
    /// email content (a sign-in email holds a link).
    pub async fn person_data(&self, id: PersonId) -> Result<PersonData, DbError> {
        let record = self.person_record(id).await?;
        let email = record.person.email.clone();
        let municipalities: HashMap<Uuid, String> = municipality::Entity::find()
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let staff_roles = staff::Entity::find()
            .filter(staff::Column::PersonId.eq(id.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|s| {
                Ok(StaffRecord {
                    municipality: municipalities
                        .get(&s.municipality_id)
                        .cloned()
                        .unwrap_or_default(),
                    role: parse_enum(&s.role, StaffRole::parse, "staff role")?,
                    created_at: from_db(s.created_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let planned: Vec<Uuid> = plan_planner::Entity::find()
            .filter(plan_planner::Column::PersonId.eq(id.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| p.plan_id)
            .collect();
        let planned_titles = plan_titles(&self.conn, planned.iter().copied()).await?;
        let plans_planned = planned
            .into_iter()
            .map(|p| PlanRecord {
                id: PlanId(p),
                title: planned_titles.get(&p).cloned().unwrap_or_default(),
            })
            .collect();
        let invitation_rows = invitation::Entity::find()
            .filter(invitation::Column::PersonId.eq(id.0))
            .order_by_asc(invitation::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let groups: HashMap<Uuid, plan_group::Model> = plan_group::Entity::find()
            .filter(plan_group::Column::Id.is_in(invitation_rows.iter().map(|r| r.group_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect();
        let group_plans = plan_titles(&self.conn, groups.values().map(|g| g.plan_id)).await?;
        let invitations = invitation_rows
            .into_iter()
            .map(|row| {
                let group = groups.get(&row.group_id);
                Ok(InvitationRecord {
                    id: InvitationId(row.id),
                    group_name: group.map(|g| g.name.clone()).unwrap_or_default(),
                    plan_title: group
                        .and_then(|g| group_plans.get(&g.plan_id).cloned())
                        .unwrap_or_default(),
                    role: parse_enum(&row.role, MemberRole::parse, "member role")?,
                    invited_by: row.invited_by,
                    created_at: from_db(row.created_at)?,
                    sent_at: from_db(row.sent_at)?,
                    expires_at: from_db(row.expires_at)?,
                    accepted_at: opt(row.accepted_at)?,
                    revoked_at: opt(row.revoked_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let sessions = session::Entity::find()
            .filter(session::Column::PersonId.eq(id.0))
            .order_by_asc(session::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|s| {
                Ok(SessionRecord {
                    id: SessionId(s.id),
                    municipality: s.municipality_id.map(MunicipalityId),
                    created_at: from_db(s.created_at)?,
                    expires_at: from_db(s.expires_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let links = sign_in_token::Entity::find()
            .filter(
                Condition::any()
                    .add(sign_in_token::Column::PersonId.eq(id.0))
                    .add(sign_in_token::Column::Email.eq(normalise_email(&email))),
            )
            .order_by_asc(sign_in_token::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|t| {
                Ok(LinkRecord {
                    id: t.id,
                    purpose: t.purpose,
                    created_at: from_db(t.created_at)?,
                    expires_at: from_db(t.expires_at)?,
                    used_at: opt(t.used_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let comments = self.comments_of_person(id, &email).await?;
        let emails = outbox::Entity::find()
            .filter(same_address(outbox::Column::Recipient, &email))
            .order_by_asc(outbox::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|o| {
                Ok(EmailRecord {
                    id: OutboxJobId(o.id),
                    kind: o.kind,
                    status: parse_enum(&o.status, OutboxStatus::parse, "outbox status")?,
                    created_at: from_db(o.created_at)?,
                    sent_at: opt(o.sent_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let hearing_changes = hearing_change::Entity::find()
            .filter(same_address(hearing_change::Column::Actor, &email))
            .order_by_asc(hearing_change::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| {
                Ok(ChangeRecord {
                    hearing_id: HearingId(c.hearing_id),
                    kind: c.kind,
                    created_at: from_db(c.created_at)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let mut contact_for: Vec<ContactRecord> = plan::Entity::find()
            .filter(same_address(plan::Column::ContactEmail, &email))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| ContactRecord {
                kind: "plan",
                id: p.id,
                title: p.title,
            })
            .collect();
        contact_for.extend(
            hearing::Entity::find()
                .filter(same_address(hearing::Column::ContactEmail, &email))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|h| ContactRecord {
                    kind: "hearing",
                    id: h.id,
                    title: h.title,
                }),
        );
        Ok(PersonData {
            person: record,
            staff_roles,
            plans_planned,
            memberships: self.memberships_with_plans(id).await?,
            invitations,
            sessions,
            links,
            comments,
            emails,
            hearing_changes,
            contact_for,
            email_opt_outs: self.opted_out_kinds(id).await?,
            follows: self.follows_of(id).await?,
            notice_choices: self.notice_choices(id).await?,
            letters_sent: super::letters::letters_sent_by(&self.conn, id, &email).await?,
        })
    }

    /// Forgets a person, in one transaction. Their published input stays in the
    /// hearings' record without their name (also in the event log and in emails not
    /// sent yet); input never confirmed is deleted; their sessions, links,
    /// memberships, invitations and roles are deleted and emails to them cancelled.
    /// The row stays with an empty name and an undeliverable address, so nothing
    /// can sign in as them again, and a new sign-up with the old address is a new
    /// person.
    pub async fn anonymise_person(&self, id: PersonId) -> Result<Anonymised, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let row = person_row(&txn, id).await?;
        if row.anonymised_at.is_some() {
            return Ok(Anonymised::default());
        }
        let email = row.email.clone();
        let placeholder = domain::privacy::placeholder_email(id);
        let mut done = Anonymised::default();

        let written = comment::Entity::find()
            .filter(authored_by(id, &email))
            .all(&txn)
            .await?;
        let (waiting, kept): (Vec<_>, Vec<_>) = written
            .into_iter()
            .partition(|c| c.status == CommentStatus::Unconfirmed.as_str());
        // Never part of a hearing: nothing of it needs to stay.
        done.deleted_unconfirmed = waiting.len();
        comment::Entity::delete_many()
            .filter(comment::Column::Id.is_in(waiting.iter().map(|c| c.id)))
            .exec(&txn)
            .await?;
        comment::Entity::update_many()
            .col_expr(comment::Column::AuthorName, Expr::value(""))
            .col_expr(
                comment::Column::AuthorEmail,
                Expr::value(Option::<String>::None),
            )
            .col_expr(comment::Column::AnonymisedAt, Expr::value(Some(to_db(at))))
            .filter(comment::Column::Id.is_in(kept.iter().map(|c| c.id)))
            .exec(&txn)
            .await?;
        let documents = documents_of_sections(&txn, kept.iter().map(|c| c.section_id)).await?;
        for comment in &kept {
            done.comments += 1;
            let Some(document) = documents.get(&comment.section_id).copied() else {
                continue;
            };
            let rooms = [
                Room::Document(document),
                Room::Hearing(HearingId(comment.hearing_id)),
            ];
            scrub_events(&txn, &rooms, CommentId(comment.id)).await?;
            scrub_notices(&txn, CommentId(comment.id)).await?;
            let payload = EventPayload::CommentAnonymised(CommentAnonymised {
                comment_id: CommentId(comment.id),
                hearing_id: HearingId(comment.hearing_id),
                document_id: document,
            });
            for room in rooms {
                done.events
                    .push(events::append(&txn, room, &payload).await?);
            }
        }

        done.letters = super::letters::forget_sender(&txn, id, &email).await?;

        let sessions = session::Entity::find()
            .filter(session::Column::PersonId.eq(id.0))
            .all(&txn)
            .await?;
        // The municipalities whose records this touches each get a line in their
        // audit log: the act and the person's id, nothing that was erased.
        let mut municipalities: Vec<Uuid> =
            sessions.iter().filter_map(|s| s.municipality_id).collect();
        let hearings: Vec<Uuid> = kept.iter().map(|c| c.hearing_id).collect();
        if !hearings.is_empty() {
            municipalities.extend(
                crate::entities::hearing::Entity::find()
                    .filter(crate::entities::hearing::Column::Id.is_in(hearings))
                    .all(&txn)
                    .await?
                    .into_iter()
                    .map(|h| h.municipality_id),
            );
        }
        municipalities.extend(
            staff::Entity::find()
                .filter(staff::Column::PersonId.eq(id.0))
                .all(&txn)
                .await?
                .into_iter()
                .map(|s| s.municipality_id),
        );
        municipalities.sort();
        municipalities.dedup();
        let record = |m: Option<Uuid>| {
            super::audit::AuditRecord::new(
                domain::audit::AuditKind::Forgotten,
                m.map(domain::MunicipalityId),
            )
            .by(Some(id), None)
            .target(id)
        };
        if municipalities.is_empty() {
            super::audit::insert_audit(&txn, &record(None)).await?;
        }
        for m in municipalities {
            super::audit::insert_audit(&txn, &record(Some(m))).await?;
        }
        done.sessions = sessions.into_iter().map(|s| SessionId(s.id)).collect();
        session::Entity::delete_many()
            .filter(session::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        sign_in_token::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(sign_in_token::Column::PersonId.eq(id.0))
                    .add(sign_in_token::Column::Email.eq(normalise_email(&email))),
            )
            .exec(&txn)
            .await?;
        group_membership::Entity::delete_many()
            .filter(group_membership::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        invitation::Entity::delete_many()
            .filter(invitation::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        // Answers to workshops, with what the person needed (diet, access, interpreter).
        crate::entities::workshop_registration::Entity::delete_many()
            .filter(crate::entities::workshop_registration::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        super::workshop_board::forget_on_boards(&txn, id, &mut done).await?;
        staff::Entity::delete_many()
            .filter(staff::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        plan_planner::Entity::delete_many()
            .filter(plan_planner::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        // Their email settings: what they turned off, followed and chose.
        email_opt_out::Entity::delete_many()
            .filter(email_opt_out::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        follow::Entity::delete_many()
            .filter(follow::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        notice_choice::Entity::delete_many()
            .filter(notice_choice::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;
        // The identity provider's account no longer leads to them.
        crate::entities::external_identity::Entity::delete_many()
            .filter(crate::entities::external_identity::Column::PersonId.eq(id.0))
            .exec(&txn)
            .await?;

        done.cancelled_emails = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Cancelled.as_str()),
            )
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
            )
            .filter(same_address(outbox::Column::Recipient, &email))
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        // Letters to the person greet them by name: the log keeps no copy of it.
        for row in outbox::Entity::find()
            .filter(same_address(outbox::Column::Recipient, &email))
            .all(&txn)
            .await?
        {
            let Ok(mut envelope) = serde_json::from_str::<EmailEnvelope>(&row.payload) else {
                continue;
            };
            let named = envelope.letterhead.recipient_name.take().is_some();
            // A workshop's calendar event names its attendee too.
            let attended = envelope
                .email
                .workshop_event_mut()
                .and_then(|event| event.attendee.take())
                .is_some();
            if !named && !attended {
                continue;
            }
            let json =
                serde_json::to_string(&envelope).map_err(|e| DbError::Other(e.to_string()))?;
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Payload, Expr::value(json))
                .filter(outbox::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
        // The log of what was sent stays, without the address.
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Recipient, Expr::value(placeholder.clone()))
            .filter(same_address(outbox::Column::Recipient, &email))
            .exec(&txn)
            .await?;

        person::Entity::update_many()
            .col_expr(person::Column::Name, Expr::value(""))
            .col_expr(person::Column::Email, Expr::value(placeholder))
            .col_expr(
                person::Column::PasswordHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                person::Column::EmailConfirmedAt,
                Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
            )
            .col_expr(person::Column::AnonymisedAt, Expr::value(Some(to_db(at))))
            .filter(person::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(done)
    }
}

async fn plan_titles<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbError> {
    Ok(plan::Entity::find()
        .filter(plan::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect())
}

/// Removes the author's name from the logged events of a comment, so a client that
/// resumes from the log never sees it again.
async fn scrub_events<C: ConnectionTrait>(
    conn: &C,
    rooms: &[Room],
    comment: CommentId,
) -> Result<(), DbError> {
    let logged = event::Entity::find()
        .filter(event::Column::Room.is_in(rooms.iter().map(ToString::to_string)))
        .filter(event::Column::Kind.eq("comment_posted"))
        .filter(event::Column::Payload.contains(comment.to_string()))
        .all(conn)
        .await?;
    for row in logged {
        let mut payload: EventPayload =
            serde_json::from_str(&row.payload).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let EventPayload::CommentPosted(posted) = &mut payload else {
            continue;
        };
        if posted.comment_id != comment {
            continue;
        }
        posted.author_name.clear();
        posted.anonymised = true;
        let json = serde_json::to_string(&payload).map_err(|e| DbError::Other(e.to_string()))?;
        event::Entity::update_many()
            .col_expr(event::Column::Payload, Expr::value(json))
            .filter(event::Column::Id.eq(row.id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Removes the author's name from the planners' notices about a comment (those not
/// sent yet then say the name was removed; sent ones keep no copy of it).
async fn scrub_notices<C: ConnectionTrait>(conn: &C, comment: CommentId) -> Result<(), DbError> {
    let notices = outbox::Entity::find()
        .filter(outbox::Column::DedupeKey.starts_with(format!("comment-notice:{comment}:")))
        .all(conn)
        .await?;
    for row in notices {
        let mut envelope: EmailEnvelope =
            serde_json::from_str(&row.payload).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let Email::CommentNotice { author_name, .. } = &mut envelope.email else {
            continue;
        };
        author_name.clear();
        let json = serde_json::to_string(&envelope).map_err(|e| DbError::Other(e.to_string()))?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Payload, Expr::value(json))
            .filter(outbox::Column::Id.eq(row.id))
            .exec(conn)
            .await?;
    }
    // The daily digests that list it.
    let digests = outbox::Entity::find()
        .filter(outbox::Column::DedupeKey.starts_with("digest:"))
        .filter(outbox::Column::Payload.contains(comment.0.to_string()))
        .all(conn)
        .await?;
    for row in digests {
        let mut envelope: EmailEnvelope =
            serde_json::from_str(&row.payload).map_err(|e| DbError::Corrupt(e.to_string()))?;
        for input in envelope.email.digest_inputs_mut() {
            if input.id == comment.0 {
                input.author_name.clear();
            }
        }
        let json = serde_json::to_string(&envelope).map_err(|e| DbError::Other(e.to_string()))?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Payload, Expr::value(json))
            .filter(outbox::Column::Id.eq(row.id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Deletes a person whose address was never confirmed and about whom nothing else
/// is kept (no input, membership, invitation, role or session).
pub(crate) async fn forget_if_nothing_kept<C: ConnectionTrait>(
    conn: &C,
    id: PersonId,
) -> Result<bool, DbError> {
    let Some(row) = person::Entity::find_by_id(id.0).one(conn).await? else {
        return Ok(false);
    };
    if row.email_confirmed_at.is_some() || row.password_hash.is_some() {
        return Ok(false);
    }
    let kept = comment::Entity::find()
        .filter(comment::Column::PersonId.eq(id.0))
        .count(conn)
        .await?
        + group_membership::Entity::find()
            .filter(group_membership::Column::PersonId.eq(id.0))
            .count(conn)
            .await?
        + invitation::Entity::find()
            .filter(invitation::Column::PersonId.eq(id.0))
            .count(conn)
            .await?
        + staff::Entity::find()
            .filter(staff::Column::PersonId.eq(id.0))
            .count(conn)
            .await?
        + plan_planner::Entity::find()
            .filter(plan_planner::Column::PersonId.eq(id.0))
            .count(conn)
            .await?
        + session::Entity::find()
            .filter(session::Column::PersonId.eq(id.0))
            .count(conn)
            .await?;
    if kept > 0 {
        return Ok(false);
    }
    sign_in_token::Entity::delete_many()
        .filter(sign_in_token::Column::PersonId.eq(id.0))
        .exec(conn)
        .await?;
    person::Entity::delete_by_id(id.0).exec(conn).await?;
    Ok(true)
}
