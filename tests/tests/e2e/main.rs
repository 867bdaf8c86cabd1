//! The end-to-end suite as one test binary: one link instead of one per file, and
//! the tests of every module run side by side. `cargo test -p tests --test e2e
//! groups::` runs one module.
//!
//! Each module starts its own applications with `tests::spawn_app`; the shared
//! fixtures are in `tests/src/fixtures.rs`.

mod api_tokens;
mod architecture;
mod assessment;
mod attachment_storage;
mod audit_log;
mod comments_lifecycle;
mod demo_emails;
mod digests;
mod documents;
mod email_settings;
mod groups;
mod hardening;
mod hearings;
mod import_outline;
mod import_web;
mod mail_delivery;
mod mime_check;
mod oidc_sign_in;
mod outbox_admin;
mod passages;
mod plan_export;
mod postgres_processes;
mod privacy;
mod register_tools;
mod reminders;
mod response_revisions;
mod responses;
mod return_paths;
mod screening;
mod security;
mod sign_in;
mod slow_client;
mod stored_secrets;
mod suggestions;
mod walking_slice;
mod websocket;
mod workbench_forms;
mod workshop_board;
mod workshops;
