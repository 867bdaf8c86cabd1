//! Workshops of a plan's groups: the meeting with its invited groups, agenda and
//! documents to read, and the registrations of the invited.

use super::parse_enum;
use crate::entities::{
    plan, plan_group, workshop, workshop_agenda_item, workshop_agenda_section, workshop_group,
    workshop_reading, workshop_registration,
};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::email::OutgoingEmail;
use domain::workshop::{
    AgendaItem, Answer, IgpStage, Needs, Place, Registration, Seat, ValidWorkshop, Workshop,
    WorkshopStatus, promotions, seat_for,
};
use domain::{AgendaItemId, GroupId, PersonId, PlanId, WorkshopId};
use jiff::Timestamp;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

/// What answering an invitation did: the person's registration and who moved from
/// the waiting list to a seat because of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOutcome {
    pub registration: Registration,
    pub promoted: Vec<PersonId>,
}

fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn to_u32(value: i32, what: &str) -> Result<u32, DbError> {
    u32::try_from(value).map_err(|_| DbError::Corrupt(format!("negative {what}")))
}

async fn load<C: ConnectionTrait>(conn: &C, m: workshop::Model) -> Result<Workshop, DbError> {
    let municipality = plan::Entity::find_by_id(m.plan_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)?
        .municipality_id;
    let groups = workshop_group::Entity::find()
        .filter(workshop_group::Column::WorkshopId.eq(m.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| GroupId(g.group_id))
        .collect();
    let items = workshop_agenda_item::Entity::find()
        .filter(workshop_agenda_item::Column::WorkshopId.eq(m.id))
        .order_by_asc(workshop_agenda_item::Column::Position)
        .all(conn)
        .await?;
    let item_ids: Vec<_> = items.iter().map(|i| i.id).collect();
    let mut sections: HashMap<_, Vec<_>> = HashMap::new();
    for link in workshop_agenda_section::Entity::find()
        .filter(workshop_agenda_section::Column::AgendaItemId.is_in(item_ids))
        .order_by_asc(workshop_agenda_section::Column::Position)
        .all(conn)
        .await?
    {
        sections
            .entry(link.agenda_item_id)
            .or_default()
            .push(link.section_id.into());
    }
    let agenda = items
        .into_iter()
        .map(|i| {
            Ok(AgendaItem {
                id: i.id.into(),
                position: to_u32(i.position, "position")?,
                title: i.title,
                sections: sections.remove(&i.id).unwrap_or_default(),
                minutes: to_u32(i.minutes, "minutes")?,
                stages: IgpStage::split(&i.stages)
                    .ok_or_else(|| DbError::Corrupt(format!("unknown stages {:?}", i.stages)))?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let readings = workshop_reading::Entity::find()
        .filter(workshop_reading::Column::WorkshopId.eq(m.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.document_id.into())
        .collect();
    Ok(Workshop {
        id: m.id.into(),
        municipality_id: municipality.into(),
        plan_id: m.plan_id.into(),
        title: m.title,
        purpose: m.purpose,
        starts_at: from_db(m.starts_at)?,
        ends_at: from_db(m.ends_at)?,
        place: m.address.map(|address| Place {
            address,
            step_free_access: m.step_free_access,
            hearing_loop: m.hearing_loop,
            parking: m.parking,
            interpreter_on_request: m.interpreter_on_request,
        }),
        online_link: m.online_link,
        capacity: m.capacity.map(|c| to_u32(c, "capacity")).transpose()?,
        reminder_hours: to_u32(m.reminder_hours, "reminder hours")?,
        status: parse_enum(&m.status, WorkshopStatus::parse, "workshop status")?,
        sequence: to_u32(m.sequence, "sequence")?,
        groups,
        agenda,
        readings,
    })
}

async fn load_by_id<C: ConnectionTrait>(conn: &C, id: WorkshopId) -> Result<Workshop, DbError> {
    let model = workshop::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)?;
    load(conn, model).await
}

/// The change of a workshop that is still scheduled and at `sequence` (so two
/// planners' changes never overwrite each other unseen): raises its sequence.
fn next_version(
    id: WorkshopId,
    sequence: u32,
    at: Timestamp,
) -> sea_orm::UpdateMany<workshop::Entity> {
    workshop::Entity::update_many()
        .col_expr(
            workshop::Column::Sequence,
            Expr::value(to_i32(sequence + 1)),
        )
        .col_expr(workshop::Column::UpdatedAt, Expr::value(to_db(at)))
        .filter(workshop::Column::Id.eq(id.0))
        .filter(workshop::Column::Sequence.eq(to_i32(sequence)))
        .filter(workshop::Column::Status.eq(WorkshopStatus::Scheduled.as_str()))
}

async fn load_many<C: ConnectionTrait>(
    conn: &C,
    models: Vec<workshop::Model>,
) -> Result<Vec<Workshop>, DbError> {
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        out.push(load(conn, m).await?);
    }
    Ok(out)
}

/// Replaces the invited groups, the agenda and the readings of a workshop.
async fn write_parts<C: ConnectionTrait>(
    conn: &C,
    id: WorkshopId,
    valid: &ValidWorkshop,
) -> Result<(), DbError> {
    workshop_group::Entity::delete_many()
        .filter(workshop_group::Column::WorkshopId.eq(id.0))
        .exec(conn)
        .await?;
    workshop_agenda_item::Entity::delete_many()
        .filter(workshop_agenda_item::Column::WorkshopId.eq(id.0))
        .exec(conn)
        .await?;
    workshop_reading::Entity::delete_many()
        .filter(workshop_reading::Column::WorkshopId.eq(id.0))
        .exec(conn)
        .await?;
    for group in &valid.groups {
        workshop_group::Entity::insert(workshop_group::ActiveModel {
            workshop_id: Set(id.0),
            group_id: Set(group.0),
        })
        .exec_without_returning(conn)
        .await?;
    }
    for (index, item) in valid.agenda.iter().enumerate() {
        let item_id = AgendaItemId::new();
        workshop_agenda_item::Entity::insert(workshop_agenda_item::ActiveModel {
            id: Set(item_id.0),
            workshop_id: Set(id.0),
            position: Set(i32::try_from(index + 1).unwrap_or(i32::MAX)),
            title: Set(item.title.clone()),
            minutes: Set(to_i32(item.minutes)),
            stages: Set(IgpStage::join(&item.stages)),
        })
        .exec_without_returning(conn)
        .await?;
        for (position, section) in item.sections.iter().enumerate() {
            workshop_agenda_section::Entity::insert(workshop_agenda_section::ActiveModel {
                agenda_item_id: Set(item_id.0),
                section_id: Set(section.0),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            })
            .exec_without_returning(conn)
            .await?;
        }
    }
    for document in &valid.readings {
        workshop_reading::Entity::insert(workshop_reading::ActiveModel {
            workshop_id: Set(id.0),
            document_id: Set(document.0),
        })
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

fn registration_into_domain(m: workshop_registration::Model) -> Result<Registration, DbError> {
    Ok(Registration {
        workshop_id: m.workshop_id.into(),
        person_id: m.person_id.into(),
        answer: parse_enum(&m.answer, Answer::parse, "answer")?,
        seat: parse_enum(&m.seat, seat_parse, "seat")?,
        needs: Needs {
            diet: m.diet,
            accessibility: m.accessibility,
            interpreter: m.interpreter,
            assistant: m.assistant,
        },
        answered_at: from_db(m.answered_at)?,
        attended: m.attended,
    })
}

fn seat_str(seat: Seat) -> &'static str {
    match seat {
        Seat::Confirmed => "confirmed",
        Seat::Waiting => "waiting",
        Seat::None => "none",
    }
}

fn seat_parse(s: &str) -> Option<Seat> {
    [Seat::Confirmed, Seat::Waiting, Seat::None]
        .into_iter()
        .find(|seat| seat_str(*seat) == s)
}

async fn registrations_in<C: ConnectionTrait>(
    conn: &C,
    workshop: WorkshopId,
) -> Result<Vec<Registration>, DbError> {
    workshop_registration::Entity::find()
        .filter(workshop_registration::Column::WorkshopId.eq(workshop.0))
        .order_by_asc(workshop_registration::Column::AnsweredAt)
        .order_by_asc(workshop_registration::Column::PersonId)
        .all(conn)
        .await?
        .into_iter()
        .map(registration_into_domain)
        .collect()
}

/// Gives free seats to the waiting list, first come first served; returns who got one.
async fn promote_waiting<C: ConnectionTrait>(
    conn: &C,
    workshop: WorkshopId,
    capacity: Option<u32>,
) -> Result<Vec<PersonId>, DbError> {
    let registrations = registrations_in(conn, workshop).await?;
    let taken = seats_taken(&registrations);
    let waiting: Vec<_> = registrations
        .iter()
        .filter(|r| r.seat == Seat::Waiting)
        .map(|r| r.person_id)
        .collect();
    let promoted: Vec<_> = waiting
        .into_iter()
        .take(promotions(capacity, taken, usize::MAX))
        .collect();
    for person in &promoted {
        workshop_registration::Entity::update_many()
            .col_expr(
                workshop_registration::Column::Seat,
                Expr::value(seat_str(Seat::Confirmed)),
            )
            .filter(workshop_registration::Column::WorkshopId.eq(workshop.0))
            .filter(workshop_registration::Column::PersonId.eq(person.0))
            .exec(conn)
            .await?;
    }
    Ok(promoted)
}

/// Seats held by confirmed registrations.
pub fn seats_taken(registrations: &[Registration]) -> u32 {
    u32::try_from(
        registrations
            .iter()
            .filter(|r| r.seat == Seat::Confirmed)
            .count(),
    )
    .unwrap_or(u32::MAX)
}

async fn enqueue_all<C: ConnectionTrait>(
    conn: &C,
    emails: &[OutgoingEmail],
) -> Result<(), DbError> {
    for email in emails {
        super::outbox::enqueue(conn, email).await?;
    }
    Ok(())
}

impl Db {
    /// Stores a new workshop with its groups, agenda and readings, and its
    /// invitations, in one transaction.
    pub async fn create_workshop(
        &self,
        id: WorkshopId,
        plan: PlanId,
        valid: &ValidWorkshop,
        created_by: Option<PersonId>,
        at: Timestamp,
        emails: &[OutgoingEmail],
    ) -> Result<Workshop, DbError> {
        let txn = self.conn.begin().await?;
        let place = valid.place.clone().unwrap_or_default();
        workshop::Entity::insert(workshop::ActiveModel {
            id: Set(id.0),
            plan_id: Set(plan.0),
            title: Set(valid.title.clone()),
            purpose: Set(valid.purpose.clone()),
            starts_at: Set(to_db(valid.starts_at)),
            ends_at: Set(to_db(valid.ends_at)),
            address: Set(valid.place.as_ref().map(|p| p.address.clone())),
            step_free_access: Set(place.step_free_access),
            hearing_loop: Set(place.hearing_loop),
            parking: Set(place.parking),
            interpreter_on_request: Set(place.interpreter_on_request),
            online_link: Set(valid.online_link.clone()),
            capacity: Set(valid.capacity.map(to_i32)),
            reminder_hours: Set(to_i32(valid.reminder_hours)),
            status: Set(WorkshopStatus::Scheduled.as_str().to_owned()),
            sequence: Set(0),
            created_by: Set(created_by.map(|p| p.0)),
            created_at: Set(to_db(at)),
            updated_at: Set(to_db(at)),
        })
        .exec_without_returning(&txn)
        .await?;
        write_parts(&txn, id, valid).await?;
        enqueue_all(&txn, emails).await?;
        let stored = load_by_id(&txn, id).await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// Changes a workshop that is still at `sequence` (else `Conflict`: someone else
    /// changed it first), raising its sequence by one, and queues the updates, in one
    /// transaction. A larger capacity gives seats to the waiting list.
    /// `emails` makes the letters, given who got a seat from the waiting list.
    pub async fn update_workshop<F>(
        &self,
        id: WorkshopId,
        sequence: u32,
        valid: &ValidWorkshop,
        at: Timestamp,
        emails: F,
    ) -> Result<(Workshop, Vec<PersonId>, Vec<crate::StoredEvent>), DbError>
    where
        F: FnOnce(&[PersonId]) -> Vec<OutgoingEmail>,
    {
        let txn = self.conn.begin().await?;
        let place = valid.place.clone().unwrap_or_default();
        let updated = next_version(id, sequence, at)
            .col_expr(workshop::Column::Title, Expr::value(valid.title.clone()))
            .col_expr(
                workshop::Column::Purpose,
                Expr::value(valid.purpose.clone()),
            )
            .col_expr(
                workshop::Column::StartsAt,
                Expr::value(to_db(valid.starts_at)),
            )
            .col_expr(workshop::Column::EndsAt, Expr::value(to_db(valid.ends_at)))
            .col_expr(
                workshop::Column::Address,
                Expr::value(valid.place.as_ref().map(|p| p.address.clone())),
            )
            .col_expr(
                workshop::Column::StepFreeAccess,
                Expr::value(place.step_free_access),
            )
            .col_expr(
                workshop::Column::HearingLoop,
                Expr::value(place.hearing_loop),
            )
            .col_expr(workshop::Column::Parking, Expr::value(place.parking))
            .col_expr(
                workshop::Column::InterpreterOnRequest,
                Expr::value(place.interpreter_on_request),
            )
            .col_expr(
                workshop::Column::OnlineLink,
                Expr::value(valid.online_link.clone()),
            )
            .col_expr(
                workshop::Column::Capacity,
                Expr::value(valid.capacity.map(to_i32)),
            )
            .col_expr(
                workshop::Column::ReminderHours,
                Expr::value(to_i32(valid.reminder_hours)),
            )
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::Conflict("the workshop changed meanwhile".into()));
        }
        write_parts(&txn, id, valid).await?;
        let promoted = promote_waiting(&txn, id, valid.capacity).await?;
        enqueue_all(&txn, &emails(&promoted)).await?;
        let stored = load_by_id(&txn, id).await?;
        let events = changed(&txn, &stored, "updated").await?;
        txn.commit().await?;
        Ok((stored, promoted, events))
    }

    /// Cancels a workshop still at `sequence`, raising the sequence, and queues the
    /// cancellations, in one transaction.
    pub async fn cancel_workshop(
        &self,
        id: WorkshopId,
        sequence: u32,
        at: Timestamp,
        emails: &[OutgoingEmail],
    ) -> Result<(Workshop, Vec<crate::StoredEvent>), DbError> {
        let txn = self.conn.begin().await?;
        let updated = next_version(id, sequence, at)
            .col_expr(
                workshop::Column::Status,
                Expr::value(WorkshopStatus::Cancelled.as_str()),
            )
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::Conflict("the workshop changed meanwhile".into()));
        }
        enqueue_all(&txn, emails).await?;
        let stored = load_by_id(&txn, id).await?;
        let events = changed(&txn, &stored, "cancelled").await?;
        txn.commit().await?;
        Ok((stored, events))
    }

    pub async fn workshop(&self, id: WorkshopId) -> Result<Workshop, DbError> {
        load_by_id(&self.conn, id).await
    }

    /// A plan's workshops by start time.
    pub async fn workshops_of_plan(&self, plan: PlanId) -> Result<Vec<Workshop>, DbError> {
        let models = workshop::Entity::find()
            .filter(workshop::Column::PlanId.eq(plan.0))
            .order_by_asc(workshop::Column::StartsAt)
            .all(&self.conn)
            .await?;
        load_many(&self.conn, models).await
    }

    /// The workshops a group is invited to, by start time.
    pub async fn workshops_of_group(&self, group: GroupId) -> Result<Vec<Workshop>, DbError> {
        let ids: Vec<_> = workshop_group::Entity::find()
            .filter(workshop_group::Column::GroupId.eq(group.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|g| g.workshop_id)
            .collect();
        let models = workshop::Entity::find()
            .filter(workshop::Column::Id.is_in(ids))
            .order_by_asc(workshop::Column::StartsAt)
            .all(&self.conn)
            .await?;
        load_many(&self.conn, models).await
    }

    /// Scheduled workshops that start after `from` and no later than `to`.
    pub async fn workshops_starting_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Workshop>, DbError> {
        let models = workshop::Entity::find()
            .filter(workshop::Column::Status.eq(WorkshopStatus::Scheduled.as_str()))
            .filter(workshop::Column::StartsAt.gt(to_db(from)))
            .filter(workshop::Column::StartsAt.lte(to_db(to)))
            .order_by_asc(workshop::Column::StartsAt)
            .all(&self.conn)
            .await?;
        load_many(&self.conn, models).await
    }

    /// Registrations of a workshop in the order they were answered.
    pub async fn workshop_registrations(
        &self,
        workshop: WorkshopId,
    ) -> Result<Vec<Registration>, DbError> {
        registrations_in(&self.conn, workshop).await
    }

    /// Records a person's answer: a yes gets a seat or, past `capacity`, a place on
    /// the waiting list; a seat given up goes to the first who waits. `emails` makes
    /// the letters for the outcome, queued in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_workshop<F>(
        &self,
        workshop: WorkshopId,
        person: PersonId,
        answer: Answer,
        needs: &Needs,
        capacity: Option<u32>,
        at: Timestamp,
        emails: F,
    ) -> Result<AnswerOutcome, DbError>
    where
        F: FnOnce(&AnswerOutcome) -> Vec<OutgoingEmail>,
    {
        let txn = self.conn.begin().await?;
        // Lock the workshop row (a no-op update) so two answers never take one seat.
        workshop::Entity::update_many()
            .col_expr(workshop::Column::Id, Expr::col(workshop::Column::Id))
            .filter(workshop::Column::Id.eq(workshop.0))
            .exec(&txn)
            .await?;
        let registrations = registrations_in(&txn, workshop).await?;
        let previous = registrations.iter().find(|r| r.person_id == person);
        let seat = match (previous.map(|p| p.seat), answer) {
            // A yes again keeps the seat or the place in the queue.
            (Some(seat @ (Seat::Confirmed | Seat::Waiting)), Answer::Yes) => seat,
            _ => seat_for(answer, capacity, seats_taken(&registrations)),
        };
        // A repeated yes keeps its place in the queue.
        let answered_at = match previous {
            Some(p) if p.answer == Answer::Yes && answer == Answer::Yes => p.answered_at,
            _ => at,
        };
        let model = workshop_registration::ActiveModel {
            workshop_id: Set(workshop.0),
            person_id: Set(person.0),
            answer: Set(answer.as_str().to_owned()),
            seat: Set(seat_str(seat).to_owned()),
            diet: Set(needs.diet.clone()),
            accessibility: Set(needs.accessibility.clone()),
            interpreter: Set(needs.interpreter.clone()),
            assistant: Set(needs.assistant),
            answered_at: Set(to_db(answered_at)),
            attended: Set(previous.and_then(|p| p.attended)),
        };
        if previous.is_some() {
            workshop_registration::Entity::update(model)
                .exec(&txn)
                .await?;
        } else {
            workshop_registration::Entity::insert(model)
                .exec_without_returning(&txn)
                .await?;
        }
        let promoted = promote_waiting(&txn, workshop, capacity).await?;
        let registration = registrations_in(&txn, workshop)
            .await?
            .into_iter()
            .find(|r| r.person_id == person)
            .ok_or(DbError::NotFound)?;
        let outcome = AnswerOutcome {
            registration,
            promoted,
        };
        enqueue_all(&txn, &emails(&outcome)).await?;
        txn.commit().await?;
        Ok(outcome)
    }

    /// Records whether a registered person came; false when they never answered.
    pub async fn set_workshop_attendance(
        &self,
        workshop: WorkshopId,
        person: PersonId,
        attended: bool,
    ) -> Result<bool, DbError> {
        let updated = workshop_registration::Entity::update_many()
            .col_expr(
                workshop_registration::Column::Attended,
                Expr::value(Some(attended)),
            )
            .filter(workshop_registration::Column::WorkshopId.eq(workshop.0))
            .filter(workshop_registration::Column::PersonId.eq(person.0))
            .exec(&self.conn)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// The dedupe keys of queued emails that start with `prefix` (a workshop's
    /// reminders), so the scheduler skips those it queued already.
    pub async fn outbox_keys_starting(&self, prefix: &str) -> Result<Vec<String>, DbError> {
        use crate::entities::outbox as row;
        Ok(row::Entity::find()
            .filter(row::Column::DedupeKey.starts_with(prefix))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| r.dedupe_key)
            .collect())
    }

    /// The purpose of a group, shown on its page; empty when none was written.
    pub async fn group_purpose(&self, group: GroupId) -> Result<String, DbError> {
        Ok(plan_group::Entity::find_by_id(group.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)?
            .purpose)
    }

    pub async fn set_group_purpose(&self, group: GroupId, purpose: &str) -> Result<(), DbError> {
        let updated = plan_group::Entity::update_many()
            .col_expr(plan_group::Column::Purpose, Expr::value(purpose.to_owned()))
            .filter(plan_group::Column::Id.eq(group.0))
            .exec(&self.conn)
            .await?;
        if updated.rows_affected == 1 {
            Ok(())
        } else {
            Err(DbError::NotFound)
        }
    }
}

/// Tells the workshop's room that it changed (`updated` or `cancelled`), in the
/// transaction that changed it. Only the workshop's room: its readers are the
/// invited and the planners, while the plan's room is open to everyone.
async fn changed<C: ConnectionTrait>(
    conn: &C,
    workshop: &Workshop,
    change: &str,
) -> Result<Vec<crate::StoredEvent>, DbError> {
    let payload = domain::event::EventPayload::WorkshopChanged(domain::event::WorkshopChanged {
        workshop_id: workshop.id,
        plan_id: workshop.plan_id,
        change: change.to_owned(),
        sequence: workshop.sequence,
        title: workshop.title.clone(),
        starts_at: workshop.starts_at.to_string(),
        ends_at: workshop.ends_at.to_string(),
        place: workshop.place.as_ref().map(|p| p.address.clone()),
        online_link: workshop.online_link.clone(),
        agenda: workshop.agenda.iter().map(|i| i.title.clone()).collect(),
    });
    Ok(vec![
        super::events::append(conn, domain::room::Room::Workshop(workshop.id), &payload).await?,
    ])
}
