//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registered_letter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub hearing_id: Option<Uuid>,
    pub sender_name: String,
    pub sender_kind: String,
    pub channel: String,
    pub received_on: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub late: bool,
    pub registered_by: String,
    pub registered_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub sender_contact: Option<String>,
    pub sender_person_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
