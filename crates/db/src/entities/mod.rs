//! sea-orm entities, one module per table, in the form `sea-orm-cli generate entity`
//! writes them. Regenerating may overwrite this folder and nothing else: hand-written
//! code lives in `crate::repo`.

pub mod api_token;
pub mod assessment_change;
pub mod comment;
pub mod comment_report;
pub mod comment_revision;
pub mod comment_support;
pub mod document;
pub mod document_version;
pub mod email_opt_out;
pub mod event;
pub mod group_membership;
pub mod hearing;
pub mod hearing_change;
pub mod import_draft;
pub mod input_counter;
pub mod input_register;
pub mod input_theme;
pub mod invitation;
pub mod moderation_log;
pub mod municipality;
pub mod organisation;
pub mod outbox;
pub mod person;
pub mod plan;
pub mod plan_group;
pub mod plan_milestone;
pub mod plan_planner;
pub mod registered_letter;
pub mod response;
pub mod response_attachment;
pub mod response_version;
pub mod room_sequence;
pub mod section;
pub mod server_secret;
pub mod session;
pub mod sign_in_token;
pub mod staff;
pub mod theme;
pub mod workshop;
pub mod workshop_agenda_item;
pub mod workshop_agenda_section;
pub mod workshop_group;
pub mod workshop_reading;
pub mod workshop_registration;
