//! Automatic help for planners, computed inside Samråd: no text leaves the process.
//!
//! - [`duplicates`]: near-duplicate and campaign grouping (shingles, MinHash, LSH,
//!   verified by Jaccard similarity, joined by union-find), with each group's shared
//!   text and each member's differences.
//! - [`personal_data`]: flags for screening — national identity numbers (checked by
//!   both check digits), phone numbers, email addresses, postal addresses and words
//!   that suggest special categories of personal data — with character ranges.
//! - [`themes`]: suggested themes (stop words, the Snowball Norwegian stemmer, TF-IDF,
//!   clustering), named by their top terms, stable around the themes a planner accepted.
//! - [`summary`]: extractive summaries — sentences of real inputs chosen by their
//!   centrality in a graph of sentence similarity, each with its source and how many
//!   inputs share the point.
//!
//! Everything here is a suggestion: the workbench stores it as one until a planner
//! accepts it.
//!
//! Invariant: no I/O; depends on no workspace crate but `domain`.

pub mod duplicates;
pub mod personal_data;
pub mod summary;
pub mod text;
pub mod themes;
mod vectors;

use serde::{Deserialize, Serialize};

/// One input to analyse: an identifier the caller understands and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub id: String,
    pub text: String,
}

impl Input {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Input {
            id: id.into(),
            text: text.into(),
        }
    }
}
