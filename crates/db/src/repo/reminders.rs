//! Who is invited to a hearing and has answered it, for deadline reminders.
//!
//! Invited are the members of the groups attached to the hearing's plan; a member
//! who represents an organisation is invited for it. A person has answered when they
//! gave an official response to the hearing, or when an organisation their
//! membership is for has one (given by any of its representatives).

use super::hearings::log_change;
use super::{outbox, people};
use crate::entities::{group_membership, organisation, person, plan_group, response};
use crate::{Db, DbError};
use domain::email::OutgoingEmail;
use domain::hearing::{ChangeKind, Hearing, HearingChange, HearingState};
use domain::person::Person;
use domain::{HearingId, OrganisationId};
use jiff::Timestamp;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use std::collections::{BTreeMap, HashSet};

/// One person invited to a hearing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub person: Person,
    /// The organisations their memberships are for, by name.
    pub organisations: Vec<(OrganisationId, String)>,
    /// They, or an organisation they are invited for, gave an official response.
    pub answered: bool,
}

impl Db {
    /// Everyone invited to the hearing (see the module's comment), by name; people
    /// who asked to be forgotten are left out.
    pub async fn invitees(&self, hearing: &Hearing) -> Result<Vec<Invitee>, DbError> {
        let groups: Vec<uuid::Uuid> = plan_group::Entity::find()
            .filter(plan_group::Column::PlanId.eq(hearing.plan_id.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect();
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let memberships = group_membership::Entity::find()
            .filter(group_membership::Column::GroupId.is_in(groups))
            .all(&self.conn)
            .await?;
        let responses = response::Entity::find()
            .filter(response::Column::HearingId.eq(hearing.id.0))
            .all(&self.conn)
            .await?;
        let answered_people: HashSet<uuid::Uuid> = responses.iter().map(|r| r.person_id).collect();
        let answered_organisations: HashSet<uuid::Uuid> =
            responses.iter().filter_map(|r| r.organisation_id).collect();
        let organisation_ids: Vec<uuid::Uuid> = memberships
            .iter()
            .filter_map(|m| m.organisation_id)
            .collect();
        let organisation_names: BTreeMap<uuid::Uuid, String> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(organisation_ids))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut by_person: BTreeMap<uuid::Uuid, Vec<Option<uuid::Uuid>>> = BTreeMap::new();
        for m in &memberships {
            by_person
                .entry(m.person_id)
                .or_default()
                .push(m.organisation_id);
        }
        let people = person::Entity::find()
            .filter(person::Column::Id.is_in(by_person.keys().copied()))
            .filter(person::Column::AnonymisedAt.is_null())
            .order_by_asc(person::Column::Name)
            .all(&self.conn)
            .await?;
        let mut invitees = Vec::new();
        for p in people {
            let for_organisations = by_person.get(&p.id).cloned().unwrap_or_default();
            let mut organisations: Vec<(OrganisationId, String)> = for_organisations
                .iter()
                .flatten()
                .filter_map(|id| {
                    organisation_names
                        .get(id)
                        .map(|name| (OrganisationId(*id), name.clone()))
                })
                .collect();
            organisations.sort();
            organisations.dedup();
            let answered = answered_people.contains(&p.id)
                || for_organisations
                    .iter()
                    .flatten()
                    .any(|o| answered_organisations.contains(o));
            invitees.push(Invitee {
                person: people::into_domain(p)?,
                organisations,
                answered,
            });
        }
        Ok(invitees)
    }

    /// Open hearings whose deadline is still to come at `at`, for the reminder scheduler.
    pub async fn open_hearings_at(&self, at: Timestamp) -> Result<Vec<Hearing>, DbError> {
        crate::entities::hearing::Entity::find()
            .filter(crate::entities::hearing::Column::State.eq(HearingState::Open.as_str()))
            .filter(crate::entities::hearing::Column::Deadline.gt(crate::time::to_db(at)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(super::hearings::into_domain)
            .collect()
    }

    /// Sets the days a hearing reminds on (checked by the caller) and logs who did.
    pub async fn set_reminder_days(
        &self,
        id: HearingId,
        days: &[u32],
        actor: &str,
    ) -> Result<Hearing, DbError> {
        use crate::entities::hearing;
        let txn = self.conn.begin().await?;
        let text = domain::reminder::days_text(days);
        let updated = hearing::Entity::update_many()
            .col_expr(hearing::Column::ReminderDays, Expr::value(text.clone()))
            .filter(hearing::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::NotFound);
        }
        log_change(
            &txn,
            &HearingChange {
                hearing_id: id,
                kind: ChangeKind::RemindersChanged,
                actor: actor.to_owned(),
                reason: Some(text),
                old_deadline: None,
                new_deadline: None,
                created_at: crate::time::now(),
            },
        )
        .await?;
        txn.commit().await?;
        self.hearing(id).await
    }

    /// Queues reminders a planner sends by hand and logs it, in one transaction.
    /// Returns how many were queued.
    pub async fn send_reminders_now(
        &self,
        id: HearingId,
        emails: &[OutgoingEmail],
        actor: &str,
    ) -> Result<usize, DbError> {
        let txn = self.conn.begin().await?;
        let mut queued = 0;
        for email in emails {
            if outbox::enqueue(&txn, email).await? {
                queued += 1;
            }
        }
        log_change(
            &txn,
            &HearingChange {
                hearing_id: id,
                kind: ChangeKind::Reminded,
                actor: actor.to_owned(),
                reason: None,
                old_deadline: None,
                new_deadline: None,
                created_at: crate::time::now(),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(queued)
    }

    /// The keys of the reminders queued for a hearing so far, for its planner's page.
    pub async fn reminder_keys(&self, id: HearingId) -> Result<Vec<String>, DbError> {
        use crate::entities::outbox as row;
        Ok(row::Entity::find()
            .filter(row::Column::DedupeKey.starts_with(format!("reminder:{id}:")))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| r.dedupe_key)
            .collect())
    }
}
