//! Integration tests of the importer: one binary, one module per input kind.

mod bad_input;
mod docx;
mod lost_tables;
mod markdown;
mod pdf;
mod properties;
mod seed;
mod support;
mod text_rules;
