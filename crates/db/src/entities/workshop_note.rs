//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop_note")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workshop_id: Uuid,
    pub agenda_item_id: Uuid,
    pub writer_id: Option<Uuid>,
    pub table_id: Option<Uuid>,
    pub stage: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub spoken_by: Option<String>,
    pub group_label: Option<String>,
    pub merged_into: Option<Uuid>,
    pub writer_named: bool,
    pub input_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
