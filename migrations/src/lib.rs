//! Database migrations for Samråd, shared by SQLite and PostgreSQL.
//!
//! Invariant: migrations describe tables with sea-query only and never import the
//! entities of the `db` crate, so a migration keeps meaning what it meant when written.

// sea-orm-migration's trait signatures elide the lifetime of `SchemaManager`.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_groups;
mod m20261122_000003_hearing_lifecycle;
mod m20261122_000004_people_and_sessions;
mod m20261122_000005_import_drafts;
mod m20261122_000006_milestones;
mod m20261122_000007_section_lineage;
mod m20261122_000008_comment_replies;
mod m20261122_000009_comment_anchors;
mod m20261122_000010_memberships;
mod m20261122_000030_privacy;
mod m20261122_000040_responses;
mod m20261122_000050_comment_lifecycle;
mod m20261122_000060_screening;
mod m20261201_000070_hearing_period;
mod m20261201_000080_import_draft_revision;
mod m20261202_000090_letters;
mod m20261210_000100_assessment;
mod m20261211_000110_reminders_and_outbox;
mod m20261212_000120_email_opt_outs;
mod m20261213_000130_digests;
mod m20261213_000140_register_views;
mod m20261213_000150_register_numbers_at_insert;
mod m20261213_000160_workshops;
mod m20261213_000170_workshop_board;
mod m20261214_000180_outbox_plan;
mod m20261215_000200_input_stems;
mod m20261215_000240_external_sign_in;
mod m20261216_000250_shared_live_state;
mod m20261216_000260_stored_file_chunks;
mod m20261216_000270_audit_and_tokens;
mod m20261216_000280_suggestions;
mod m20261216_000285_comment_redactions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_groups::Migration),
            Box::new(m20261122_000003_hearing_lifecycle::Migration),
            Box::new(m20261122_000004_people_and_sessions::Migration),
            Box::new(m20261122_000005_import_drafts::Migration),
            Box::new(m20261122_000006_milestones::Migration),
            Box::new(m20261122_000007_section_lineage::Migration),
            Box::new(m20261122_000008_comment_replies::Migration),
            Box::new(m20261122_000009_comment_anchors::Migration),
            Box::new(m20261122_000010_memberships::Migration),
            Box::new(m20261122_000050_comment_lifecycle::Migration),
            Box::new(m20261122_000030_privacy::Migration),
            Box::new(m20261122_000040_responses::Migration),
            Box::new(m20261122_000060_screening::Migration),
            Box::new(m20261201_000070_hearing_period::Migration),
            Box::new(m20261201_000080_import_draft_revision::Migration),
            Box::new(m20261202_000090_letters::Migration),
            Box::new(m20261210_000100_assessment::Migration),
            Box::new(m20261211_000110_reminders_and_outbox::Migration),
            Box::new(m20261212_000120_email_opt_outs::Migration),
            Box::new(m20261213_000130_digests::Migration),
            Box::new(m20261213_000140_register_views::Migration),
            Box::new(m20261213_000150_register_numbers_at_insert::Migration),
            Box::new(m20261213_000160_workshops::Migration),
            Box::new(m20261213_000170_workshop_board::Migration),
            Box::new(m20261214_000180_outbox_plan::Migration),
            Box::new(m20261215_000200_input_stems::Migration),
            Box::new(m20261215_000240_external_sign_in::Migration),
            Box::new(m20261216_000250_shared_live_state::Migration),
            Box::new(m20261216_000260_stored_file_chunks::Migration),
            Box::new(m20261216_000270_audit_and_tokens::Migration),
            Box::new(m20261216_000280_suggestions::Migration),
            Box::new(m20261216_000285_comment_redactions::Migration),
        ]
    }
}
