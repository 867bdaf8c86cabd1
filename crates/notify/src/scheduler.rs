//! Opens and closes hearings when their times come. Runs in the worker loop, so a
//! hearing whose time passed while the process was down changes state on start.

use db::Db;

/// Who the hearing log names for automatic changes.
pub const ACTOR: &str = "scheduler";

/// Applies every due transition, with the letters it sends (links start with the
/// municipality's own address, else `base_url`); returns how many hearings changed.
pub async fn tick(db: &Db, base_url: &str) -> Result<usize, db::DbError> {
    let mut changed = 0;
    // A hearing that should have opened and closed while we were down takes two
    // rounds; a few rounds cover every case without looping forever.
    for _ in 0..3 {
        let due = db.due_transitions(db::time::now()).await?;
        if due.is_empty() {
            break;
        }
        for (id, transition) in due {
            let hearing = db.hearing(id).await?;
            let emails = db
                .hearing_state_emails(&hearing, transition, base_url)
                .await?;
            if db
                .transition_hearing_when_due(id, transition, ACTOR, &emails)
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

/// Queues the deadline reminder due at `now` for every open hearing (only the latest
/// due one, see [`domain::reminder::due`]) to each invited person who has not
/// answered. The outbox's unique key (hearing, person, day, deadline) makes this
/// safe to run twice, late, or in two processes at once. Returns how many were new.
pub async fn queue_reminders(
    db: &Db,
    now: jiff::Timestamp,
    base_url: &str,
) -> Result<usize, db::DbError> {
    let mut queued = 0;
    for hearing in db.open_hearings_at(now).await? {
        let Some(days) = domain::reminder::due(&hearing, now) else {
            continue;
        };
        let invitees = db.invitees(&hearing).await?;
        if invitees.iter().all(|i| i.answered) {
            continue;
        }
        // A due reminder stays due until the next: skip those queued already rather
        // than write (and on SQLite, sync) a refused insert for each every minute.
        let queued_already: std::collections::HashSet<String> =
            db.reminder_keys(hearing.id).await?.into_iter().collect();
        let plan = db.plan(hearing.plan_id).await?;
        let municipality = db.municipality(hearing.municipality_id).await?;
        let emails: Vec<_> = invitees
            .iter()
            .filter(|i| !i.answered)
            .filter(|i| {
                !queued_already.contains(&domain::reminder::dedupe_key(&hearing, i.person.id, days))
            })
            .map(|i| {
                domain::reminder::email(
                    &hearing,
                    &plan,
                    &municipality,
                    &i.person,
                    i.organisations.first().map(|(_, name)| name.clone()),
                    days,
                    base_url,
                    domain::reminder::dedupe_key(&hearing, i.person.id, days),
                )
            })
            .collect();
        let new = db.enqueue_emails(&emails).await?;
        if new > 0 {
            tracing::info!(hearing = %hearing.id, days, reminders = new, "deadline reminders queued");
            metrics::counter!("samrad_reminders_queued_total").increment(new as u64);
        }
        queued += new;
    }
    Ok(queued)
}

/// Queues the reminder of every workshop whose reminder time has come (the hours
/// before the start configured for it, 48 unless changed) to each person who said
/// yes, with a seat or on the waiting list. Keyed per workshop, person and start
/// time in the outbox, so it is queued once however often it runs. Returns how many
/// were new.
pub async fn queue_workshop_reminders(
    db: &Db,
    now: jiff::Timestamp,
    base_url: &str,
) -> Result<usize, db::DbError> {
    use domain::workshop::{self, Answer, Seat};
    let horizon = now
        .checked_add(jiff::SignedDuration::from_hours(i64::from(
            workshop::MAX_REMINDER_HOURS,
        )))
        .map_err(|e| db::DbError::Other(e.to_string()))?;
    let mut queued = 0;
    for ws in db.workshops_starting_between(now, horizon).await? {
        if !ws.reminder_due(now) {
            continue;
        }
        let queued_already: std::collections::HashSet<String> = db
            .outbox_keys_starting(&format!("workshop-reminder:{}:", ws.id))
            .await?
            .into_iter()
            .collect();
        let due: Vec<_> = db
            .workshop_registrations(ws.id)
            .await?
            .into_iter()
            .filter(|r| r.answer == Answer::Yes)
            .filter(|r| !queued_already.contains(&workshop::reminder_key(&ws, r.person_id)))
            .collect();
        if due.is_empty() {
            continue;
        }
        let plan = db.plan(ws.plan_id).await?;
        let municipality = db.municipality(plan.municipality_id).await?;
        let links = municipality.links_from(base_url);
        let organizer = plan.contact_email.clone();
        let event = workshop::event(&ws, &plan, &links, organizer);
        let mut emails = Vec::with_capacity(due.len());
        for registration in due {
            let person = db.person(registration.person_id).await?;
            let email = workshop::for_attendee(
                domain::email::Email::WorkshopReminder {
                    event: event.clone(),
                    hours: ws.reminder_hours,
                    seat: registration.seat == Seat::Confirmed,
                },
                &person,
                Some(registration.answer),
            );
            emails.push(workshop::letter(
                &municipality,
                &plan,
                &person,
                email,
                workshop::reminder_key(&ws, person.id),
            ));
        }
        let new = db.enqueue_emails(&emails).await?;
        if new > 0 {
            tracing::info!(workshop = %ws.id, reminders = new, "workshop reminders queued");
            metrics::counter!("samrad_reminders_queued_total").increment(new as u64);
        }
        queued += new;
    }
    Ok(queued)
}

/// Empties the payload of finished emails older than `retention_days`.
pub async fn purge_outbox(
    db: &Db,
    now: jiff::Timestamp,
    retention_days: u32,
) -> Result<u64, db::DbError> {
    let before = now
        .checked_sub(jiff::SignedDuration::from_hours(
            24 * i64::from(retention_days),
        ))
        .map_err(|e| db::DbError::Other(e.to_string()))?;
    let purged = db.purge_email_payloads(before).await?;
    if purged > 0 {
        tracing::info!(purged, "old email texts emptied");
    }
    Ok(purged)
}

/// Deletes used and expired sign-in and confirmation tokens a day old, and expired
/// sessions.
pub async fn purge_spent_tokens(db: &Db, now: jiff::Timestamp) -> Result<u64, db::DbError> {
    let keep_since = now
        .checked_sub(jiff::SignedDuration::from_hours(24))
        .map_err(|e| db::DbError::Other(e.to_string()))?;
    let purged = db.purge_spent_tokens(now, keep_since).await?;
    if purged > 0 {
        tracing::info!(purged, "spent sign-in tokens and old sessions deleted");
    }
    Ok(purged)
}
