//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearing")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub plan_id: Uuid,
    pub document_version_id: Uuid,
    pub title: String,
    pub kind: String,
    pub audience: String,
    pub state: String,
    pub opens_at: DateTimeUtc,
    pub deadline: DateTimeUtc,
    pub created_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub announcement: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub screen_public_input: bool,
    pub period_weeks: Option<i32>,
    pub reminder_days: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
