//! How the permission policy sees the things a use case touches.

use db::{Db, DbError};
use domain::hearing::{Comment, Hearing};
use domain::plan::{Document, Plan};
use domain::policy::Resource;

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

pub fn plan_resource(plan: &Plan) -> Resource {
    Resource::Plan {
        municipality: plan.municipality_id,
        plan: plan.id,
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
