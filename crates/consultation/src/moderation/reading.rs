//! What waits for a planner's decision in a hearing, and what was decided.

use crate::Consultation;
use db::{DbError, ModerationEntry, QueuedComment};
use domain::HearingId;
use domain::hearing::Comment;

pub use analysis::personal_data::{Finding as PersonalData, Kind as PersonalDataKind};

/// A hearing's input waiting for screening, its reported and hidden comments, and
/// the log of moderation decisions.
pub struct ModerationOverview {
    pub screening: Vec<Comment>,
    /// For each input waiting for screening (in the same order), what in its text
    /// may be personal data, with its range in characters: suggestions for the
    /// planner, who decides.
    pub personal_data: Vec<Vec<PersonalData>>,
    pub queue: Vec<QueuedComment>,
    pub log: Vec<ModerationEntry>,
}

impl Consultation {
    /// The caller has found the hearing to be the actor's to plan.
    pub(crate) async fn moderation_overview(
        &self,
        hearing: HearingId,
    ) -> Result<ModerationOverview, DbError> {
        let screening = self.db().screening_of_hearing(hearing).await?;
        let personal_data = screening
            .iter()
            .map(|c| analysis::personal_data::find(&c.body))
            .collect();
        Ok(ModerationOverview {
            screening,
            personal_data,
            queue: self.db().moderation_queue(hearing).await?,
            log: self.db().moderation_log(hearing).await?,
        })
    }

    /// The key a report by someone not signed in is counted under: a salted hash of
    /// the client's address and the browser's own reporter value.
    pub async fn anonymous_reporter_key(
        &self,
        address: &str,
        browser: &str,
    ) -> Result<String, DbError> {
        let salt = self.db().server_secret(REPORTER_SALT).await?;
        Ok(db::anonymous_reporter_key(&salt, address, browser))
    }
}

/// The name of the server secret that salts reporters' keys.
const REPORTER_SALT: &str = "reporter-salt";
