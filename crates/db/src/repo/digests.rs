//! Daily digests: the planners' choice between a notice at each input and a digest
//! (per plan), what people follow, and the day's new inputs a digest lists.

use crate::entities::{
    comment, follow, hearing, notice_choice, outbox, plan, plan_planner, response,
    response_version, section,
};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::digest::Follow;
use domain::hearing::{CommentStatus, Hearing};
use domain::person::Person;
use domain::plan::{Municipality, Plan};
use domain::{HearingId, MunicipalityId, PersonId, PlanId, SectionId};
use jiff::Timestamp;
use jiff::civil::Date;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// The stored section of a whole-hearing follow.
const WHOLE_HEARING: Uuid = Uuid::nil();

/// Something a person follows, with what their page shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowRecord {
    pub follow: Follow,
    pub hearing_title: String,
    /// `3.1 Roller og ansvar`; `None` for the whole hearing.
    pub section: Option<String>,
    pub created_at: Timestamp,
}

/// A plan whose inputs a person hears of, and how: at once or in the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeChoiceRecord {
    pub plan_id: PlanId,
    pub plan_title: String,
    pub immediate: bool,
}

/// A section a digest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSectionRef {
    pub id: SectionId,
    pub number: String,
    pub title: String,
}

/// An input that came in during a digest's day: a published comment, or a version
/// of an official response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInput {
    pub id: Uuid,
    pub hearing: HearingId,
    /// `None` for a response.
    pub section: Option<DigestSectionRef>,
    pub author: Option<PersonId>,
    pub author_email: Option<String>,
    pub author_name: String,
    pub body: String,
    pub late: bool,
    pub created_at: Timestamp,
}

impl NewInput {
    pub fn is_response(&self) -> bool {
        self.section.is_none()
    }
}

/// What the digests of a day are made from.
#[derive(Debug, Clone, Default)]
pub struct DigestSources {
    pub inputs: Vec<NewInput>,
    pub hearings: HashMap<HearingId, Hearing>,
    pub plans: HashMap<PlanId, Plan>,
    pub municipalities: HashMap<MunicipalityId, Municipality>,
    /// Planners of the plans with new input who chose the digest (or never chose),
    /// with their plans.
    pub planners: Vec<(Person, PlanId)>,
    /// Who follows what, on the hearings with new comments.
    pub follows: Vec<(Person, Follow)>,
}

fn follow_row(person: PersonId, what: Follow) -> follow::ActiveModel {
    follow::ActiveModel {
        person_id: Set(person.0),
        hearing_id: Set(what.hearing.0),
        section_id: Set(what.section.map_or(WHOLE_HEARING, |s| s.0)),
        created_at: Set(to_db(now())),
    }
}

fn follow_of(row: &follow::Model) -> Follow {
    Follow {
        hearing: HearingId(row.hearing_id),
        section: (row.section_id != WHOLE_HEARING).then_some(SectionId(row.section_id)),
    }
}

impl Db {
    /// `person` follows `what` (again is no change).
    pub async fn follow(&self, person: PersonId, what: Follow) -> Result<(), DbError> {
        follow::Entity::insert(follow_row(person, what))
            .on_conflict(
                OnConflict::columns([
                    follow::Column::PersonId,
                    follow::Column::HearingId,
                    follow::Column::SectionId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&self.conn)
            .await?;
        Ok(())
    }

    /// `person` no longer follows `what` (not following it is no change).
    pub async fn unfollow(&self, person: PersonId, what: Follow) -> Result<(), DbError> {
        follow::Entity::delete_many()
            .filter(follow::Column::PersonId.eq(person.0))
            .filter(follow::Column::HearingId.eq(what.hearing.0))
            .filter(follow::Column::SectionId.eq(what.section.map_or(WHOLE_HEARING, |s| s.0)))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// What `person` follows, oldest first, with the hearings' and sections' names.
    pub async fn follows_of(&self, person: PersonId) -> Result<Vec<FollowRecord>, DbError> {
        let rows = follow::Entity::find()
            .filter(follow::Column::PersonId.eq(person.0))
            .order_by_asc(follow::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let hearings: HashMap<Uuid, String> = hearing::Entity::find()
            .filter(hearing::Column::Id.is_in(rows.iter().map(|r| r.hearing_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|h| (h.id, h.title))
            .collect();
        let sections: HashMap<Uuid, String> = section::Entity::find()
            .filter(section::Column::Id.is_in(rows.iter().map(|r| r.section_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|s| (s.id, format!("{} {}", s.number, s.title).trim().to_owned()))
            .collect();
        rows.iter()
            .map(|row| {
                Ok(FollowRecord {
                    follow: follow_of(row),
                    hearing_title: hearings.get(&row.hearing_id).cloned().unwrap_or_default(),
                    section: (row.section_id != WHOLE_HEARING)
                        .then(|| sections.get(&row.section_id).cloned().unwrap_or_default()),
                    created_at: from_db(row.created_at)?,
                })
            })
            .collect()
    }

    /// The plans `person` plans, and whether they hear of each input at once
    /// (without a choice made: the digest).
    pub async fn notice_choices(
        &self,
        person: PersonId,
    ) -> Result<Vec<NoticeChoiceRecord>, DbError> {
        let planned: Vec<Uuid> = plan_planner::Entity::find()
            .filter(plan_planner::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| p.plan_id)
            .collect();
        let immediate: BTreeSet<Uuid> = notice_choice::Entity::find()
            .filter(notice_choice::Column::PersonId.eq(person.0))
            .filter(notice_choice::Column::Immediate.eq(true))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| c.plan_id)
            .collect();
        Ok(plan::Entity::find()
            .filter(plan::Column::Id.is_in(planned))
            .order_by_asc(plan::Column::Title)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| NoticeChoiceRecord {
                plan_id: PlanId(p.id),
                immediate: immediate.contains(&p.id),
                plan_title: p.title,
            })
            .collect())
    }

    /// The plans for which `person` recorded a choice, whatever they plan now.
    pub async fn notice_choice_plans(&self, person: PersonId) -> Result<Vec<PlanId>, DbError> {
        Ok(notice_choice::Entity::find()
            .filter(notice_choice::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| PlanId(c.plan_id))
            .collect())
    }

    /// Records, in one transaction, for each plan whether `person` hears of each
    /// input at once (`true`) or in the digest.
    pub async fn set_notice_choices(
        &self,
        person: PersonId,
        choices: &[(PlanId, bool)],
    ) -> Result<(), DbError> {
        let txn = self.conn.begin().await?;
        for (plan, immediate) in choices {
            notice_choice::Entity::delete_many()
                .filter(notice_choice::Column::PersonId.eq(person.0))
                .filter(notice_choice::Column::PlanId.eq(plan.0))
                .exec(&txn)
                .await?;
            notice_choice::Entity::insert(notice_choice::ActiveModel {
                person_id: Set(person.0),
                plan_id: Set(plan.0),
                immediate: Set(*immediate),
                created_at: Set(to_db(now())),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Whether the person at `address` hears of new input to `plan` in the digest
    /// rather than at once: a planner of the plan who has not chosen otherwise.
    /// Anyone else at a contact address (who cannot choose) hears at once.
    pub async fn wants_digest(&self, address: &str, plan: PlanId) -> Result<bool, DbError> {
        let Some(person) = self.person_by_email(address).await? else {
            return Ok(false);
        };
        let plans = plan_planner::Entity::find()
            .filter(plan_planner::Column::PersonId.eq(person.id.0))
            .filter(plan_planner::Column::PlanId.eq(plan.0))
            .count(&self.read)
            .await?;
        if plans == 0 {
            return Ok(false);
        }
        let immediate = notice_choice::Entity::find_by_id((person.id.0, plan.0))
            .one(&self.read)
            .await?
            .is_some_and(|c| c.immediate);
        Ok(!immediate)
    }

    /// The keys of the digests queued for `day` already.
    pub async fn digest_keys_on(&self, day: Date) -> Result<BTreeSet<String>, DbError> {
        Ok(outbox::Entity::find()
            .select_only()
            .column(outbox::Column::DedupeKey)
            .filter(outbox::Column::DedupeKey.starts_with("digest:"))
            .filter(outbox::Column::DedupeKey.ends_with(format!(":{day}")))
            .into_tuple::<String>()
            .all(&self.conn)
            .await?
            .into_iter()
            .collect())
    }

    /// The inputs that came in from `from` until before `until` (published comments
    /// and versions of official responses), with their hearings, plans and
    /// municipalities, the planners who hear of them in the digest, and who follows
    /// those hearings.
    pub async fn digest_sources(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<DigestSources, DbError> {
        let mut sources = DigestSources::default();
        let comments = comment::Entity::find()
            .filter(comment::Column::CreatedAt.gte(to_db(from)))
            .filter(comment::Column::CreatedAt.lt(to_db(until)))
            .filter(comment::Column::Status.eq(CommentStatus::Published.as_str()))
            .order_by_asc(comment::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let sections: HashMap<Uuid, section::Model> = section::Entity::find()
            .filter(section::Column::Id.is_in(comments.iter().map(|c| c.section_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        for c in comments {
            let section = sections.get(&c.section_id);
            sources.inputs.push(NewInput {
                id: c.id,
                hearing: HearingId(c.hearing_id),
                section: Some(DigestSectionRef {
                    id: SectionId(c.section_id),
                    number: section.map(|s| s.number.clone()).unwrap_or_default(),
                    title: section.map(|s| s.title.clone()).unwrap_or_default(),
                }),
                author: c.person_id.map(PersonId),
                author_email: c.author_email,
                author_name: c.author_name,
                body: c.body,
                late: c.late,
                created_at: from_db(c.created_at)?,
            });
        }
        let versions = response_version::Entity::find()
            .filter(response_version::Column::CreatedAt.gte(to_db(from)))
            .filter(response_version::Column::CreatedAt.lt(to_db(until)))
            .order_by_asc(response_version::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let responses: HashMap<Uuid, response::Model> = response::Entity::find()
            .filter(response::Column::Id.is_in(versions.iter().map(|v| v.response_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        for v in versions {
            let Some(r) = responses.get(&v.response_id) else {
                continue;
            };
            sources.inputs.push(NewInput {
                id: r.id,
                hearing: HearingId(r.hearing_id),
                section: None,
                author: Some(PersonId(v.person_id)),
                author_email: None,
                author_name: v.person_name,
                body: v.body,
                late: v.late,
                created_at: from_db(v.created_at)?,
            });
        }
        let hearing_ids: BTreeSet<HearingId> = sources.inputs.iter().map(|i| i.hearing).collect();
        for id in &hearing_ids {
            let hearing = self.hearing(*id).await?;
            if let Entry::Vacant(plan_slot) = sources.plans.entry(hearing.plan_id) {
                let plan = self.plan(hearing.plan_id).await?;
                if let Entry::Vacant(slot) = sources.municipalities.entry(plan.municipality_id) {
                    slot.insert(self.municipality(plan.municipality_id).await?);
                }
                plan_slot.insert(plan);
            }
            sources.hearings.insert(*id, hearing);
        }
        let plan_ids: Vec<Uuid> = sources.plans.keys().map(|p| p.0).collect();
        let immediate: BTreeSet<(Uuid, Uuid)> = notice_choice::Entity::find()
            .filter(notice_choice::Column::PlanId.is_in(plan_ids.clone()))
            .filter(notice_choice::Column::Immediate.eq(true))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| (c.person_id, c.plan_id))
            .collect();
        let mut people: HashMap<Uuid, Person> = HashMap::new();
        for row in plan_planner::Entity::find()
            .filter(plan_planner::Column::PlanId.is_in(plan_ids))
            .all(&self.conn)
            .await?
        {
            if immediate.contains(&(row.person_id, row.plan_id)) {
                continue;
            }
            let person = self.cached_person(&mut people, row.person_id).await?;
            sources.planners.push((person, PlanId(row.plan_id)));
        }
        for row in follow::Entity::find()
            .filter(follow::Column::HearingId.is_in(hearing_ids.iter().map(|h| h.0)))
            .all(&self.conn)
            .await?
        {
            let person = self.cached_person(&mut people, row.person_id).await?;
            sources.follows.push((person, follow_of(&row)));
        }
        Ok(sources)
    }

    async fn cached_person(
        &self,
        people: &mut HashMap<Uuid, Person>,
        id: Uuid,
    ) -> Result<Person, DbError> {
        if let Some(person) = people.get(&id) {
            return Ok(person.clone());
        }
        let person = self.person(PersonId(id)).await?;
        people.insert(id, person.clone());
        Ok(person)
    }
}

/// Whether `address` is the plan's or the hearing's contact address.
pub fn is_contact(address: &str, plan: &Plan, hearing: &Hearing) -> bool {
    let same = |a: &Option<String>| {
        a.as_deref().is_some_and(|a| {
            domain::person::normalise_email(a) == domain::person::normalise_email(address)
        })
    };
    same(&plan.contact_email) || same(&hearing.contact_email)
}
