//! Use cases of the consultation service, tested without HTTP: each test gets a
//! migrated database of its own (SQLite, or a fresh PostgreSQL database when
//! `SAMRAD_TEST_DATABASE_URL` is set), a publisher that records what it was told, and
//! a clock the test moves.

mod assessment;
mod comments;
mod digests;
mod documents;
mod groups;
mod hearings;
mod import_outline;
mod letters;
mod moderation;
mod notices;
mod people;
mod responses;
mod support;
mod workbench;
mod workshops;
