//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "input_register")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub number: i32,
    pub kind: String,
    pub source_id: Uuid,
    pub hearing_id: Option<Uuid>,
    pub received_at: DateTimeUtc,
    pub late: bool,
    pub listed: bool,
    #[sea_orm(column_type = "Text")]
    pub input_sections: String,
    #[sea_orm(column_type = "Text")]
    pub linked_sections: String,
    #[sea_orm(column_type = "Text")]
    pub search_tokens: String,
    pub stamp: String,
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub outcome: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub response: String,
    #[sea_orm(column_type = "Text")]
    pub change_text: String,
    pub change_section_id: Option<Uuid>,
    pub drafted_by: Option<String>,
    pub drafted_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub registered_at: DateTimeUtc,
    pub assignee_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
