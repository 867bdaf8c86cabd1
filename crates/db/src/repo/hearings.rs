use super::parse_enum;
use super::{events, outbox};
use crate::StoredEvent;
use crate::entities::hearing;
use crate::entities::hearing_change;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::deadline::HearingKind;
use domain::email::OutgoingEmail;
use domain::event::{EventPayload, HearingUpdated};
use domain::hearing::{Audience, Hearing, HearingState};
use domain::hearing::{ChangeKind, HearingChange, Transition};
use domain::room::Room;
use domain::{DocumentVersionId, HearingId, MunicipalityId, PlanId};
use jiff::Timestamp;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct NewHearing {
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub document_version_id: DocumentVersionId,
    pub title: String,
    pub kind: HearingKind,
    pub audience: Audience,
    pub state: HearingState,
    pub opens_at: Timestamp,
    pub deadline: Timestamp,
    pub announcement: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// The weeks the period stands for.
    pub period_weeks: u32,
    /// Who created it, for the hearing's log.
    pub actor: String,
}

fn kind_parse(s: &str) -> Option<HearingKind> {
    match s {
        "pbl" => Some(HearingKind::Pbl),
        "other" => Some(HearingKind::Other),
        _ => None,
    }
}

fn kind_str(kind: HearingKind) -> &'static str {
    match kind {
        HearingKind::Pbl => "pbl",
        HearingKind::Other => "other",
    }
}

pub(crate) fn into_domain(m: hearing::Model) -> Result<Hearing, DbError> {
    Ok(Hearing {
        id: m.id.into(),
        municipality_id: m.municipality_id.into(),
        plan_id: m.plan_id.into(),
        document_version_id: m.document_version_id.into(),
        title: m.title,
        kind: parse_enum(&m.kind, kind_parse, "hearing kind")?,
        audience: parse_enum(&m.audience, Audience::parse, "audience")?,
        state: parse_enum(&m.state, HearingState::parse, "hearing state")?,
        opens_at: from_db(m.opens_at)?,
        deadline: from_db(m.deadline)?,
        created_at: from_db(m.created_at)?,
        announcement: m.announcement,
        contact_name: m.contact_name,
        contact_email: m.contact_email,
        screen_public_input: m.screen_public_input,
        period_weeks: match m.period_weeks.and_then(|w| u32::try_from(w).ok()) {
            Some(weeks) => weeks,
            // Stored before the period was kept: its whole weeks.
            None => u32::try_from((m.deadline - m.opens_at).num_days() / 7).unwrap_or(0),
        },
        reminder_days: domain::reminder::parse_days(&m.reminder_days)
            .map_err(|e| DbError::Corrupt(format!("reminder days: {e}")))?,
    })
}

impl Db {
    /// Creates a hearing and the first line of its log.
    pub async fn create_hearing(&self, new: NewHearing) -> Result<Hearing, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let model = hearing::ActiveModel {
            id: Set(HearingId::new().0),
            municipality_id: Set(new.municipality_id.0),
            plan_id: Set(new.plan_id.0),
            document_version_id: Set(new.document_version_id.0),
            title: Set(new.title),
            kind: Set(kind_str(new.kind).to_owned()),
            audience: Set(new.audience.as_str().to_owned()),
            state: Set(new.state.as_str().to_owned()),
            opens_at: Set(to_db(new.opens_at)),
            deadline: Set(to_db(new.deadline)),
            created_at: Set(to_db(at)),
            announcement: Set(new.announcement),
            contact_name: Set(new.contact_name),
            contact_email: Set(new.contact_email),
            screen_public_input: Set(false),
            period_weeks: Set(Some(i32::try_from(new.period_weeks).unwrap_or(i32::MAX))),
            reminder_days: Set(domain::reminder::days_text(&domain::reminder::DEFAULT_DAYS)),
        };
        let created = into_domain(
            hearing::Entity::insert(model)
                .exec_with_returning(&txn)
                .await?,
        )?;
        log_change(
            &txn,
            &HearingChange {
                hearing_id: created.id,
                kind: ChangeKind::Created,
                actor: new.actor,
                reason: None,
                old_deadline: None,
                new_deadline: Some(created.deadline),
                created_at: at,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(created)
    }

    /// Turns screening of public input on or off; returns the hearing as it is now.
    pub async fn set_screening(&self, id: HearingId, on: bool) -> Result<Hearing, DbError> {
        hearing::Entity::update_many()
            .col_expr(hearing::Column::ScreenPublicInput, Expr::value(on))
            .filter(hearing::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        self.hearing(id).await
    }

    pub async fn hearing(&self, id: HearingId) -> Result<Hearing, DbError> {
        hearing::Entity::find_by_id(id.0)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)
    }

    /// Hearings the public can see (not drafts, public audience), soonest deadline first.
    pub async fn published_hearings(
        &self,
        municipality: Option<MunicipalityId>,
    ) -> Result<Vec<Hearing>, DbError> {
        let mut query = hearing::Entity::find()
            .filter(hearing::Column::State.ne(HearingState::Draft.as_str()))
            .filter(hearing::Column::Audience.eq(Audience::Public.as_str()));
        if let Some(m) = municipality {
            query = query.filter(hearing::Column::MunicipalityId.eq(m.0));
        }
        query
            .order_by_asc(hearing::Column::Deadline)
            .all(&self.read)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// The widest audience of a published hearing on any version of the document:
    /// public before invited, `None` while it is on no published hearing.
    pub async fn document_audience(
        &self,
        document: domain::DocumentId,
    ) -> Result<Option<Audience>, DbError> {
        use crate::entities::document_version;
        let versions: Vec<uuid::Uuid> = document_version::Entity::find()
            .select_only()
            .column(document_version::Column::Id)
            .filter(document_version::Column::DocumentId.eq(document.0))
            .into_tuple()
            .all(&self.read)
            .await?;
        let audiences: Vec<String> = hearing::Entity::find()
            .select_only()
            .column(hearing::Column::Audience)
            .filter(hearing::Column::DocumentVersionId.is_in(versions))
            .filter(hearing::Column::State.ne(HearingState::Draft.as_str()))
            .into_tuple()
            .all(&self.read)
            .await?;
        let audiences: Vec<Audience> = audiences
            .iter()
            .filter_map(|a| Audience::parse(a))
            .collect();
        Ok([Audience::Public, Audience::Invited]
            .into_iter()
            .find(|a| audiences.contains(a)))
    }

    pub async fn hearings_of_plan(&self, plan: PlanId) -> Result<Vec<Hearing>, DbError> {
        hearing::Entity::find()
            .filter(hearing::Column::PlanId.eq(plan.0))
            .order_by_asc(hearing::Column::OpensAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}

pub(crate) async fn log_change<C: ConnectionTrait>(
    conn: &C,
    change: &HearingChange,
) -> Result<(), DbError> {
    hearing_change::Entity::insert(hearing_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        hearing_id: Set(change.hearing_id.0),
        kind: Set(change.kind.as_str().to_owned()),
        actor: Set(change.actor.chars().take(200).collect()),
        reason: Set(change.reason.clone()),
        old_deadline: Set(change.old_deadline.map(to_db)),
        new_deadline: Set(change.new_deadline.map(to_db)),
        created_at: Set(to_db(change.created_at)),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn updated_event(h: &Hearing) -> EventPayload {
    EventPayload::HearingUpdated(HearingUpdated {
        hearing_id: h.id,
        state: h.state.as_str().to_owned(),
        deadline: h.deadline.to_string(),
    })
}

fn change_into_domain(m: hearing_change::Model) -> Result<HearingChange, DbError> {
    Ok(HearingChange {
        hearing_id: m.hearing_id.into(),
        kind: parse_enum(&m.kind, ChangeKind::parse, "change kind")?,
        actor: m.actor,
        reason: m.reason,
        old_deadline: m.old_deadline.map(from_db).transpose()?,
        new_deadline: m.new_deadline.map(from_db).transpose()?,
        created_at: from_db(m.created_at)?,
    })
}

/// What a planner may change in a draft before it is published.
#[derive(Debug, Clone)]
pub struct DraftHearingEdit {
    pub title: String,
    pub announcement: Option<String>,
    pub document_version_id: DocumentVersionId,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

/// The result of a change that others may follow live.
#[derive(Debug, Clone)]
pub struct HearingChanged {
    pub hearing: Hearing,
    pub events: Vec<StoredEvent>,
}

impl Db {
    /// Applies a state transition if the hearing is in a state it may start from.
    /// Returns `Ok(None)` when it is not (another planner or the scheduler was first).
    /// `emails` (the letters the change sends) are queued with it, or not at all.
    pub async fn transition_hearing(
        &self,
        id: HearingId,
        transition: Transition,
        actor: &str,
        reason: Option<String>,
        emails: &[OutgoingEmail],
    ) -> Result<Option<HearingChanged>, DbError> {
        self.transition_hearing_if(id, transition, actor, reason, emails, false)
            .await
    }

    /// Like [`Db::transition_hearing`], for the scheduler: only while the transition
    /// is still due (a deadline extended since the scheduler looked keeps the
    /// hearing open; an opening moved later keeps it scheduled).
    pub async fn transition_hearing_when_due(
        &self,
        id: HearingId,
        transition: Transition,
        actor: &str,
        emails: &[OutgoingEmail],
    ) -> Result<Option<HearingChanged>, DbError> {
        self.transition_hearing_if(id, transition, actor, None, emails, true)
            .await
    }

    async fn transition_hearing_if(
        &self,
        id: HearingId,
        transition: Transition,
        actor: &str,
        reason: Option<String>,
        emails: &[OutgoingEmail],
        only_when_due: bool,
    ) -> Result<Option<HearingChanged>, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let Some(current) = hearing::Entity::find_by_id(id.0).one(&txn).await? else {
            return Err(DbError::NotFound);
        };
        let current = into_domain(current)?;
        if !transition.allowed_from(current.state) {
            return Ok(None);
        }
        let from: Vec<&str> = transition
            .from_states()
            .iter()
            .map(|s| s.as_str())
            .collect();
        let mut update = hearing::Entity::update_many()
            .col_expr(
                hearing::Column::State,
                Expr::value(transition.target().as_str()),
            )
            .filter(hearing::Column::Id.eq(id.0))
            .filter(hearing::Column::State.is_in(from));
        if only_when_due {
            update = match transition {
                Transition::Open => update.filter(hearing::Column::OpensAt.lte(to_db(at))),
                Transition::Close => update.filter(hearing::Column::Deadline.lt(to_db(at))),
                _ => update,
            };
        }
        // Opened by hand before its time: it opened now.
        if transition == Transition::Open && current.opens_at > at {
            update = update.col_expr(hearing::Column::OpensAt, Expr::value(to_db(at)));
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            return Ok(None);
        }
        log_change(
            &txn,
            &HearingChange {
                hearing_id: id,
                kind: ChangeKind::of(transition),
                actor: actor.to_owned(),
                reason,
                old_deadline: None,
                new_deadline: None,
                created_at: at,
            },
        )
        .await?;
        let hearing = into_domain(
            hearing::Entity::find_by_id(id.0)
                .one(&txn)
                .await?
                .ok_or(DbError::NotFound)?,
        )?;
        let event = events::append(&txn, Room::Hearing(id), &updated_event(&hearing)).await?;
        for email in emails {
            super::outbox::enqueue(&txn, email).await?;
        }
        txn.commit().await?;
        Ok(Some(HearingChanged {
            hearing,
            events: vec![event],
        }))
    }

    /// Changes a draft (and logs who did); `None` when the hearing is no longer a draft.
    pub async fn edit_draft_hearing(
        &self,
        id: HearingId,
        edit: DraftHearingEdit,
        actor: &str,
    ) -> Result<Option<Hearing>, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let changed = hearing::Entity::update_many()
            .col_expr(hearing::Column::Title, Expr::value(edit.title))
            .col_expr(
                hearing::Column::Announcement,
                Expr::value(edit.announcement),
            )
            .col_expr(
                hearing::Column::DocumentVersionId,
                Expr::value(edit.document_version_id.0),
            )
            .col_expr(hearing::Column::ContactName, Expr::value(edit.contact_name))
            .col_expr(
                hearing::Column::ContactEmail,
                Expr::value(edit.contact_email),
            )
            .filter(hearing::Column::Id.eq(id.0))
            .filter(hearing::Column::State.eq(HearingState::Draft.as_str()))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            return Ok(None);
        }
        log_change(
            &txn,
            &HearingChange {
                hearing_id: id,
                kind: ChangeKind::Edited,
                actor: actor.to_owned(),
                reason: None,
                old_deadline: None,
                new_deadline: None,
                created_at: at,
            },
        )
        .await?;
        let hearing = into_domain(
            hearing::Entity::find_by_id(id.0)
                .one(&txn)
                .await?
                .ok_or(DbError::NotFound)?,
        )?;
        txn.commit().await?;
        Ok(Some(hearing))
    }

    /// Moves the deadline, logs who and why, queues the emails to participants, and
    /// reopens a closed hearing when the new deadline is still ahead. Fails with
    /// `Conflict` when the deadline changed since the caller read it.
    pub async fn extend_deadline(
        &self,
        id: HearingId,
        expected_deadline: Timestamp,
        new_deadline: Timestamp,
        actor: &str,
        reason: &str,
        emails: &[OutgoingEmail],
    ) -> Result<HearingChanged, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let mut update = hearing::Entity::update_many()
            .col_expr(hearing::Column::Deadline, Expr::value(to_db(new_deadline)))
            .filter(hearing::Column::Id.eq(id.0))
            .filter(hearing::Column::Deadline.eq(to_db(expected_deadline)))
            .filter(hearing::Column::State.ne(HearingState::Assessed.as_str()));
        if new_deadline > at {
            update = update.col_expr(
                hearing::Column::State,
                Expr::case(
                    Expr::col(hearing::Column::State).eq(HearingState::Closed.as_str()),
                    HearingState::Open.as_str(),
                )
                .finally(Expr::col(hearing::Column::State))
                .into(),
            );
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            return Err(DbError::Conflict("the hearing changed meanwhile".into()));
        }
        log_change(
            &txn,
            &HearingChange {
                hearing_id: id,
                kind: ChangeKind::DeadlineExtended,
                actor: actor.to_owned(),
                reason: Some(reason.to_owned()),
                old_deadline: Some(expected_deadline),
                new_deadline: Some(new_deadline),
                created_at: at,
            },
        )
        .await?;
        for email in emails {
            outbox::enqueue(&txn, email).await?;
        }
        let hearing = into_domain(
            hearing::Entity::find_by_id(id.0)
                .one(&txn)
                .await?
                .ok_or(DbError::NotFound)?,
        )?;
        let event = events::append(&txn, Room::Hearing(id), &updated_event(&hearing)).await?;
        txn.commit().await?;
        Ok(HearingChanged {
            hearing,
            events: vec![event],
        })
    }

    /// Hearings whose opening or deadline has passed without the state following:
    /// scheduled ones to open, open ones past their deadline to close.
    pub async fn due_transitions(
        &self,
        at: Timestamp,
    ) -> Result<Vec<(HearingId, Transition)>, DbError> {
        let to_open = hearing::Entity::find()
            .filter(hearing::Column::State.eq(HearingState::Scheduled.as_str()))
            .filter(hearing::Column::OpensAt.lte(to_db(at)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|h| (HearingId(h.id), Transition::Open));
        let to_close = hearing::Entity::find()
            .filter(hearing::Column::State.eq(HearingState::Open.as_str()))
            .filter(hearing::Column::Deadline.lt(to_db(at)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|h| (HearingId(h.id), Transition::Close));
        Ok(to_open.chain(to_close).collect())
    }

    /// The log of a hearing, oldest first.
    pub async fn hearing_changes(&self, id: HearingId) -> Result<Vec<HearingChange>, DbError> {
        hearing_change::Entity::find()
            .filter(hearing_change::Column::HearingId.eq(id.0))
            .order_by_asc(hearing_change::Column::CreatedAt)
            .order_by_asc(hearing_change::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(change_into_domain)
            .collect()
    }
}
