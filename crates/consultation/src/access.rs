//! How the permission policy sees the things a use case touches.

use db::{Db, DbError};
use domain::PlanId;
use domain::group::Group;
use domain::hearing::{Comment, Hearing};
use domain::plan::{Document, Plan};
use domain::policy::{Action, Actor, Resource, can};

pub fn hearing_resource(hearing: &Hearing) -> Resource {
    Resource::Hearing {
        municipality: hearing.municipality_id,
        plan: hearing.plan_id,
        state: hearing.state,
        audience: hearing.audience,
    }
}

/// A comment as the policy sees it: an input of the hearing's plan, by its author.
pub fn input_resource(hearing: &Hearing, comment: &Comment) -> Resource {
    Resource::Input {
        municipality: hearing.municipality_id,
        plan: hearing.plan_id,
        author: comment.person_id,
    }
}

/// A plan as the policy sees it for changing it (who plans it); for reading it use
/// [`readable_plan_resource`], which knows whether it has published anything.
pub fn plan_resource(plan: &Plan) -> Resource {
    Resource::Plan {
        municipality: plan.municipality_id,
        plan: plan.id,
        published: false,
    }
}

/// A plan as the policy sees it for reading and following it: public once it has
/// published a hearing (scheduled, open or over), in preparation before.
pub async fn readable_plan_resource(db: &Db, plan: &Plan) -> Result<Resource, DbError> {
    let published = db
        .hearings_of_plan(plan.id)
        .await?
        .iter()
        .any(|h| h.state.is_published());
    Ok(Resource::Plan {
        municipality: plan.municipality_id,
        plan: plan.id,
        published,
    })
}

/// A group on a plan.
pub fn group_resource(plan: &Plan, group: &Group) -> Resource {
    Resource::Group {
        municipality: plan.municipality_id,
        plan: plan.id,
        group: group.id,
    }
}

/// A document as the policy sees it: its plan and the audience of its hearings.
pub async fn document_resource(db: &Db, document: &Document) -> Result<Resource, DbError> {
    let plan = db.plan(document.plan_id).await?;
    Ok(Resource::Document {
        municipality: plan.municipality_id,
        plan: plan.id,
        hearing_audience: db.document_audience(document.id).await?,
    })
}

/// Why the actor may not change a plan.
#[derive(Debug)]
pub enum PlanRefusal {
    /// Not on any municipality's staff: sign in first.
    NotSignedIn,
    /// Unknown, or not the actor's to change: the two look the same.
    NotFound,
    Db(DbError),
}

/// A plan the actor plans (or administers): every feature that changes a plan asks here.
pub async fn editable_plan(db: &Db, actor: &Actor, id: PlanId) -> Result<Plan, PlanRefusal> {
    if actor.staff_municipality().is_none() {
        return Err(PlanRefusal::NotSignedIn);
    }
    match db.plan(id).await {
        Ok(plan) if can(actor, Action::Edit, plan_resource(&plan)) => Ok(plan),
        Ok(_) | Err(DbError::NotFound) => Err(PlanRefusal::NotFound),
        Err(e) => Err(PlanRefusal::Db(e)),
    }
}

/// The municipality the actor administers (its staff and settings), if any.
pub(crate) fn administered_municipality(actor: &Actor) -> Option<domain::MunicipalityId> {
    actor
        .roles
        .iter()
        .find_map(|role| match role {
            domain::policy::Role::Administrator { municipality } => Some(*municipality),
            _ => None,
        })
        .filter(|id| {
            can(
                actor,
                Action::ManageStaff,
                Resource::Municipality { id: *id },
            )
        })
}
