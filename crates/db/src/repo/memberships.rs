//! Who takes part in what: group memberships, the planners of each plan, and the
//! roles a person holds, as the permission policy sees them.

use super::parse_enum;
use crate::entities::{group_membership, person, plan, plan_group, plan_planner, staff};
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::group::{MemberRole, Membership};
use domain::person::{Person, StaffRole};
use domain::policy::Role;
use domain::{GroupId, MembershipId, MunicipalityId, OrganisationId, PersonId, PlanId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;
use uuid::Uuid;

fn into_domain(m: group_membership::Model) -> Result<Membership, DbError> {
    Ok(Membership {
        id: m.id.into(),
        group_id: m.group_id.into(),
        person_id: m.person_id.into(),
        role: parse_enum(&m.role, MemberRole::parse, "member role")?,
        organisation_id: m.organisation_id.map(Into::into),
    })
}

/// A member with what the member list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub membership: Membership,
    pub person: Person,
    pub organisation: Option<String>,
}

/// Adds (or changes the role of) a member; one membership per person and group.
pub(crate) async fn upsert<C: ConnectionTrait>(
    conn: &C,
    group: GroupId,
    person: PersonId,
    role: MemberRole,
    organisation: Option<OrganisationId>,
) -> Result<(), DbError> {
    group_membership::Entity::insert(group_membership::ActiveModel {
        id: Set(MembershipId::new().0),
        group_id: Set(group.0),
        person_id: Set(person.0),
        role: Set(role.as_str().to_owned()),
        organisation_id: Set(organisation.map(|o| o.0)),
        created_at: Set(to_db(now())),
    })
    .on_conflict(
        OnConflict::columns([
            group_membership::Column::GroupId,
            group_membership::Column::PersonId,
        ])
        .update_columns([
            group_membership::Column::Role,
            group_membership::Column::OrganisationId,
        ])
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

impl Db {
    pub async fn add_member(
        &self,
        group: GroupId,
        person: PersonId,
        role: MemberRole,
        organisation: Option<OrganisationId>,
    ) -> Result<(), DbError> {
        upsert(&self.conn, group, person, role, organisation).await
    }

    /// Removes a member. Returns whether there was such a membership.
    pub async fn remove_member(&self, group: GroupId, person: PersonId) -> Result<bool, DbError> {
        let deleted = group_membership::Entity::delete_many()
            .filter(group_membership::Column::GroupId.eq(group.0))
            .filter(group_membership::Column::PersonId.eq(person.0))
            .exec(&self.conn)
            .await?;
        Ok(deleted.rows_affected > 0)
    }

    pub async fn members(&self, group: GroupId) -> Result<Vec<Member>, DbError> {
        let rows = group_membership::Entity::find()
            .filter(group_membership::Column::GroupId.eq(group.0))
            .order_by_asc(group_membership::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let people: HashMap<Uuid, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let organisations: HashMap<Uuid, String> = crate::entities::organisation::Entity::find()
            .filter(
                crate::entities::organisation::Column::Id
                    .is_in(rows.iter().filter_map(|r| r.organisation_id)),
            )
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut members = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(person) = people.get(&row.person_id).cloned() else {
                continue;
            };
            let organisation = row
                .organisation_id
                .and_then(|o| organisations.get(&o).cloned());
            members.push(Member {
                membership: into_domain(row)?,
                person: super::people::into_domain(person)?,
                organisation,
            });
        }
        members.sort_by(|a, b| {
            a.person
                .name
                .to_lowercase()
                .cmp(&b.person.name.to_lowercase())
        });
        Ok(members)
    }

    pub async fn memberships_of(&self, person: PersonId) -> Result<Vec<Membership>, DbError> {
        group_membership::Entity::find()
            .filter(group_membership::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// Makes a person a planner of a plan (idempotent).
    pub async fn add_plan_planner(&self, plan: PlanId, person: PersonId) -> Result<(), DbError> {
        plan_planner::Entity::insert(plan_planner::ActiveModel {
            id: Set(Uuid::now_v7()),
            plan_id: Set(plan.0),
            person_id: Set(person.0),
            created_at: Set(to_db(now())),
        })
        .on_conflict(
            OnConflict::columns([plan_planner::Column::PlanId, plan_planner::Column::PersonId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map(|_| ())
        .or_else(|e| match e {
            // "do nothing" on a conflict may be reported as nothing inserted.
            sea_orm::DbErr::RecordNotInserted => Ok(()),
            other => Err(other.into()),
        })
    }

    pub async fn plan_planners(&self, plan: PlanId) -> Result<Vec<Person>, DbError> {
        let ids: Vec<Uuid> = plan_planner::Entity::find()
            .filter(plan_planner::Column::PlanId.eq(plan.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| p.person_id)
            .collect();
        person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .order_by_asc(person::Column::Name)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(super::people::into_domain)
            .collect()
    }

    /// Every role the person holds, in `municipality` only when given (a session is
    /// bound to the municipality it signed in to).
    pub async fn roles(
        &self,
        person: PersonId,
        municipality: Option<MunicipalityId>,
    ) -> Result<Vec<Role>, DbError> {
        let in_scope = |m: Uuid| municipality.is_none_or(|wanted| wanted.0 == m);
        let mut roles = Vec::new();
        for s in staff::Entity::find()
            .filter(staff::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
        {
            if !in_scope(s.municipality_id) {
                continue;
            }
            let municipality = MunicipalityId(s.municipality_id);
            roles.push(match parse_enum(&s.role, StaffRole::parse, "staff role")? {
                StaffRole::Administrator => Role::Administrator { municipality },
                StaffRole::Planner => Role::Staff { municipality },
            });
        }
        let planned: Vec<Uuid> = plan_planner::Entity::find()
            .filter(plan_planner::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| p.plan_id)
            .collect();
        let memberships = group_membership::Entity::find()
            .filter(group_membership::Column::PersonId.eq(person.0))
            .all(&self.conn)
            .await?;
        let groups: HashMap<Uuid, Uuid> = plan_group::Entity::find()
            .filter(plan_group::Column::Id.is_in(memberships.iter().map(|m| m.group_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|g| (g.id, g.plan_id))
            .collect();
        let plans: HashMap<Uuid, Uuid> = plan::Entity::find()
            .filter(plan::Column::Id.is_in(planned.iter().copied().chain(groups.values().copied())))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.municipality_id))
            .collect();
        for plan_id in planned {
            if let Some(&m) = plans.get(&plan_id)
                && in_scope(m)
            {
                roles.push(Role::Planner {
                    municipality: MunicipalityId(m),
                    plan: PlanId(plan_id),
                });
            }
        }
        for membership in memberships {
            let Some(&plan_id) = groups.get(&membership.group_id) else {
                continue;
            };
            let Some(&m) = plans.get(&plan_id) else {
                continue;
            };
            if !in_scope(m) {
                continue;
            }
            let role = parse_enum(&membership.role, MemberRole::parse, "member role")?;
            roles.push(Role::Member {
                municipality: MunicipalityId(m),
                plan: PlanId(plan_id),
                group: GroupId(membership.group_id),
                chair: role == MemberRole::Chair,
            });
            if let (MemberRole::OrganisationRepresentative, Some(organisation)) =
                (role, membership.organisation_id)
            {
                roles.push(Role::Representative {
                    municipality: MunicipalityId(m),
                    organisation: OrganisationId(organisation),
                });
            }
        }
        Ok(roles)
    }
}
