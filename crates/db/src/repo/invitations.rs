//! Invitations to groups. The link's token is stored only as a hash; accepting is a
//! single conditional update, so a token works once and never after it expired or
//! was revoked, whichever path asks.

use super::{memberships, organisations, parse_enum, people};
use crate::entities::{invitation, person, plan, plan_group};
use crate::repo::tokens::hash_token;
use crate::time::{from_db, to_db};
use crate::{Db, DbError, SignedIn};
use domain::email::{Email, Letterhead, OutgoingEmail};
use domain::group::MemberRole;
use domain::invitation::{Invitation, validity};
use domain::organisation::OrganisationKind;
use domain::person::Person;
use domain::{GroupId, InvitationId, Lang, MunicipalityId, OrganisationId, PlanId};
use jiff::{SignedDuration, Timestamp};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

fn into_domain(m: invitation::Model) -> Result<Invitation, DbError> {
    Ok(Invitation {
        id: m.id.into(),
        group_id: m.group_id.into(),
        person_id: m.person_id.into(),
        role: parse_enum(&m.role, MemberRole::parse, "member role")?,
        organisation_id: m.organisation_id.map(Into::into),
        created_at: from_db(m.created_at)?,
        expires_at: from_db(m.expires_at)?,
        accepted_at: m.accepted_at.map(from_db).transpose()?,
        revoked_at: m.revoked_at.map(from_db).transpose()?,
        sent_at: from_db(m.sent_at)?,
    })
}

/// The organisation an invitee speaks for.
#[derive(Debug, Clone)]
pub enum InviteeOrganisation {
    Existing(OrganisationId),
    /// Added to the register with the invitation.
    New {
        name: String,
    },
}

#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub municipality: MunicipalityId,
    pub group: GroupId,
    pub name: String,
    pub email: String,
    /// For a person not known yet; a known person keeps their own language.
    pub lang: Lang,
    pub role: MemberRole,
    pub organisation: Option<InviteeOrganisation>,
    pub token: String,
    pub invited_by: String,
    /// The invitation email, with the link to `token`.
    pub message: Email,
    /// Who the letter is from; the greeting gets the person's name here.
    pub letterhead: Letterhead,
}

#[derive(Debug, Clone)]
pub enum InviteOutcome {
    Invited {
        invitation: Invitation,
        person: Person,
    },
    AlreadyMember {
        person: Person,
    },
}

/// A pending or finished invitation with the person it is for.
#[derive(Debug, Clone)]
pub struct InvitationWithPerson {
    pub invitation: Invitation,
    pub person: Person,
}

fn outgoing(
    (municipality, plan): (Option<MunicipalityId>, Option<PlanId>),
    id: InvitationId,
    sent_at: Timestamp,
    person: &Person,
    message: Email,
    letterhead: Letterhead,
) -> OutgoingEmail {
    OutgoingEmail {
        dedupe_key: format!("invitation:{id}:{}", sent_at.as_microsecond()),
        municipality,
        plan,
        recipient: person.email.clone(),
        lang: person.lang,
        email: message,
        letterhead: letterhead.to(&person.name),
    }
}

impl Db {
    /// Invites everyone in `invitations` in one transaction: all are stored with their
    /// emails, or none. A pending invitation of the same person to the same group is
    /// replaced; a person who already is a member is left as they are. The links are
    /// valid for 14 days from `at`.
    pub async fn invite(
        &self,
        invitations: Vec<NewInvitation>,
        at: Timestamp,
    ) -> Result<Vec<InviteOutcome>, DbError> {
        let txn = self.conn.begin().await?;
        let mut outcomes = Vec::with_capacity(invitations.len());
        for new in invitations {
            let person = people::into_domain(
                people::ensure_person_in(&txn, &new.email, &new.name, new.lang).await?,
            )?;
            let already = crate::entities::group_membership::Entity::find()
                .filter(crate::entities::group_membership::Column::GroupId.eq(new.group.0))
                .filter(crate::entities::group_membership::Column::PersonId.eq(person.id.0))
                .one(&txn)
                .await?
                .is_some();
            if already {
                outcomes.push(InviteOutcome::AlreadyMember { person });
                continue;
            }
            let organisation = match new.organisation {
                None => None,
                Some(InviteeOrganisation::Existing(id)) => Some(id),
                Some(InviteeOrganisation::New { name }) => Some(
                    organisations::ensure(
                        &txn,
                        new.municipality,
                        &name,
                        OrganisationKind::UserOrganisation,
                    )
                    .await?
                    .id,
                ),
            };
            invitation::Entity::update_many()
                .col_expr(invitation::Column::RevokedAt, Expr::value(Some(to_db(at))))
                .filter(invitation::Column::GroupId.eq(new.group.0))
                .filter(invitation::Column::PersonId.eq(person.id.0))
                .filter(invitation::Column::AcceptedAt.is_null())
                .filter(invitation::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
            let expires = at
                .checked_add(validity())
                .map_err(|e| DbError::Other(e.to_string()))?;
            let id = InvitationId::new();
            let model = invitation::Entity::insert(invitation::ActiveModel {
                id: Set(id.0),
                group_id: Set(new.group.0),
                person_id: Set(person.id.0),
                role: Set(new.role.as_str().to_owned()),
                organisation_id: Set(organisation.map(|o| o.0)),
                token_hash: Set(hash_token(&new.token)),
                invited_by: Set(new.invited_by.chars().take(254).collect()),
                created_at: Set(to_db(at)),
                sent_at: Set(to_db(at)),
                expires_at: Set(to_db(expires)),
                accepted_at: Set(None),
                revoked_at: Set(None),
            })
            .exec_with_returning(&txn)
            .await?;
            let plan = crate::entities::plan_group::Entity::find_by_id(new.group.0)
                .one(&txn)
                .await?
                .map(|group| PlanId(group.plan_id));
            super::outbox::enqueue(
                &txn,
                &outgoing(
                    (Some(new.municipality), plan),
                    id,
                    at,
                    &person,
                    new.message,
                    new.letterhead,
                ),
            )
            .await?;
            outcomes.push(InviteOutcome::Invited {
                invitation: into_domain(model)?,
                person,
            });
        }
        txn.commit().await?;
        Ok(outcomes)
    }

    /// Sends a pending (or expired) invitation again with a new link, valid 14 days
    /// from `at`; the old link stops working. Accepted and revoked ones are not resent.
    pub async fn resend_invitation(
        &self,
        id: InvitationId,
        token: &str,
        message: Email,
        letterhead: Letterhead,
        at: Timestamp,
    ) -> Result<Invitation, DbError> {
        let txn = self.conn.begin().await?;
        let expires = at
            .checked_add(validity())
            .map_err(|e| DbError::Other(e.to_string()))?;
        let updated = invitation::Entity::update_many()
            .col_expr(
                invitation::Column::TokenHash,
                Expr::value(hash_token(token)),
            )
            .col_expr(invitation::Column::SentAt, Expr::value(to_db(at)))
            .col_expr(invitation::Column::ExpiresAt, Expr::value(to_db(expires)))
            .filter(invitation::Column::Id.eq(id.0))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::Conflict(
                "the invitation is accepted or revoked".into(),
            ));
        }
        let model = invitation::Entity::find_by_id(id.0)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let person = people::into_domain(
            person::Entity::find_by_id(model.person_id)
                .one(&txn)
                .await?
                .ok_or(DbError::NotFound)?,
        )?;
        let plan = match crate::entities::plan_group::Entity::find_by_id(model.group_id)
            .one(&txn)
            .await?
        {
            Some(group) => {
                crate::entities::plan::Entity::find_by_id(group.plan_id)
                    .one(&txn)
                    .await?
            }
            None => None,
        };
        let sent_for = (
            plan.as_ref().map(|p| MunicipalityId(p.municipality_id)),
            plan.as_ref().map(|p| PlanId(p.id)),
        );
        super::outbox::enqueue(
            &txn,
            &outgoing(sent_for, id, at, &person, message, letterhead),
        )
        .await?;
        txn.commit().await?;
        into_domain(model)
    }

    /// Revokes a pending invitation. Returns false if it was accepted or revoked already.
    pub async fn revoke_invitation(
        &self,
        id: InvitationId,
        at: Timestamp,
    ) -> Result<bool, DbError> {
        let updated = invitation::Entity::update_many()
            .col_expr(invitation::Column::RevokedAt, Expr::value(Some(to_db(at))))
            .filter(invitation::Column::Id.eq(id.0))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    pub async fn invitation(&self, id: InvitationId) -> Result<Invitation, DbError> {
        into_domain(
            invitation::Entity::find_by_id(id.0)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?,
        )
    }

    /// The invitation a link's token belongs to, whatever its status.
    pub async fn invitation_by_token(
        &self,
        token: &str,
    ) -> Result<Option<InvitationWithPerson>, DbError> {
        let Some(model) = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash_token(token)))
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        let Some(person) = person::Entity::find_by_id(model.person_id)
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(InvitationWithPerson {
            invitation: into_domain(model)?,
            person: people::into_domain(person)?,
        }))
    }

    pub async fn invitations_of_group(
        &self,
        group: GroupId,
    ) -> Result<Vec<InvitationWithPerson>, DbError> {
        let rows = invitation::Entity::find()
            .filter(invitation::Column::GroupId.eq(group.0))
            .order_by_desc(invitation::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let people: std::collections::HashMap<_, _> = person::Entity::find()
            .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(p) = people.get(&row.person_id).cloned() {
                out.push(InvitationWithPerson {
                    person: people::into_domain(p)?,
                    invitation: into_domain(row)?,
                });
            }
        }
        Ok(out)
    }

    /// Accepts an invitation by its link's token: adds the membership, confirms the
    /// address and signs the person in to the plan's municipality. `None` when the
    /// token is unknown, used, revoked or expired at `at`.
    pub async fn accept_invitation(
        &self,
        token: &str,
        session_secret: &str,
        session_ttl: SignedDuration,
        at: Timestamp,
    ) -> Result<Option<(Invitation, SignedIn)>, DbError> {
        let txn = self.conn.begin().await?;
        let hash = hash_token(token);
        let claimed = invitation::Entity::update_many()
            .col_expr(invitation::Column::AcceptedAt, Expr::value(Some(to_db(at))))
            .filter(invitation::Column::TokenHash.eq(hash.clone()))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(to_db(at)))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(None);
        }
        let model = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash))
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let invitation = into_domain(model)?;
        let group = plan_group::Entity::find_by_id(invitation.group_id.0)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let municipality = plan::Entity::find_by_id(group.plan_id)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?
            .municipality_id;
        memberships::upsert(
            &txn,
            invitation.group_id,
            invitation.person_id,
            invitation.role,
            invitation.organisation_id,
        )
        .await?;
        people::confirm_email(&txn, invitation.person_id, at).await?;
        let signed_in = people::open_session(
            &txn,
            invitation.person_id,
            Some(MunicipalityId(municipality)),
            session_secret,
            session_ttl,
        )
        .await?;
        txn.commit().await?;
        Ok(Some((invitation, signed_in)))
    }
}
