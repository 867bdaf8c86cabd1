//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop_board")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workshop_id: Uuid,
    pub current_item_id: Option<Uuid>,
    pub dot_budget: i32,
    #[sea_orm(column_type = "Text")]
    pub minutes: String,
    pub minutes_updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
