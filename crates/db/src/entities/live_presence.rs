//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "live_presence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub process_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub room: String,
    #[sea_orm(column_type = "Text")]
    pub sections: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
