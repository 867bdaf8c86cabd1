//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

/// One stem of a registered input's text: the register's search index.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "input_stem")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub input_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub stem: String,
    pub plan_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
