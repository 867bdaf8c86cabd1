//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_draft")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub kind: String,
    pub file_name: String,
    #[sea_orm(column_type = "Text")]
    pub sections: String,
    #[sea_orm(column_type = "Text")]
    pub warnings: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub document_id: Option<Uuid>,
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
