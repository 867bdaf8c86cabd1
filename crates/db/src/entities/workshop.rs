//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub purpose: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub address: Option<String>,
    pub step_free_access: bool,
    pub hearing_loop: bool,
    pub parking: bool,
    pub interpreter_on_request: bool,
    pub online_link: Option<String>,
    pub capacity: Option<i32>,
    pub reminder_hours: i32,
    pub status: String,
    pub sequence: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
