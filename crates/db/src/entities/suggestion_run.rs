//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hearing_id: Uuid,
    pub requested_at: Option<DateTimeUtc>,
    pub computed_at: Option<DateTimeUtc>,
    pub inputs: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
