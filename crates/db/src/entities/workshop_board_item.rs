//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop_board_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agenda_item_id: Uuid,
    pub workshop_id: Uuid,
    pub status: String,
    pub stage: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
