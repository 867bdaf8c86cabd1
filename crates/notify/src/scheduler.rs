//! Opens and closes hearings when their times come. Runs in the worker loop, so a
//! hearing whose time passed while the process was down changes state on start.

use db::Db;

/// Who the hearing log names for automatic changes.
pub const ACTOR: &str = "scheduler";

/// Applies every due transition; returns how many hearings changed.
pub async fn tick(db: &Db) -> Result<usize, db::DbError> {
    let mut changed = 0;
    // A hearing that should have opened and closed while we were down takes two
    // rounds; a few rounds cover every case without looping forever.
    for _ in 0..3 {
        let due = db.due_transitions(db::time::now()).await?;
        if due.is_empty() {
            break;
        }
        for (id, transition) in due {
            if db
                .transition_hearing(id, transition, ACTOR, None)
                .await?
                .is_some()
            {
                tracing::info!(hearing = %id, transition = transition.as_str(), "hearing changed state on time");
                metrics::counter!("samrad_hearing_transitions_total", "transition" => transition.as_str()).increment(1);
                changed += 1;
            }
        }
    }
    Ok(changed)
}

/// Deletes input that nobody confirmed within [`domain::privacy::UNCONFIRMED_DAYS`]
/// (and people created for it alone); returns how many comments went.
pub async fn purge_unconfirmed(db: &Db) -> Result<u64, db::DbError> {
    let before = db::time::now()
        .checked_sub(jiff::SignedDuration::from_hours(
            24 * domain::privacy::UNCONFIRMED_DAYS,
        ))
        .map_err(|e| db::DbError::Other(e.to_string()))?;
    let purged = db.purge_unconfirmed(before).await?;
    if purged > 0 {
        tracing::info!(purged, "unconfirmed input deleted");
        metrics::counter!("samrad_unconfirmed_inputs_purged_total").increment(purged);
    }
    Ok(purged)
}
