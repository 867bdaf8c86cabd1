//! Queues the daily digests: once a day, at the configured hour (Norwegian time),
//! one letter per person listing the day before's new inputs to the plans they
//! chose a digest for, and the new published comments where they follow (never
//! their own). Nothing is queued for someone with nothing new. Each digest is keyed
//! by person and day in the outbox, so running twice, late or in two processes
//! queues it once.

use db::{Db, DigestSources, NewInput, is_contact};
use domain::PersonId;
use domain::digest::{DigestDay, dedupe_key};
use domain::email::{DigestHearing, DigestInput, DigestSection, Email, Letterhead, OutgoingEmail};
use domain::person::{Person, normalise_email};
use std::collections::BTreeMap;

/// Queues the digests due at `now` that are not queued yet; returns how many were new.
pub async fn queue_digests(
    db: &Db,
    now: jiff::Timestamp,
    hour: u8,
    base_url: &str,
) -> Result<usize, db::DbError> {
    let Some(day) = domain::digest::due(now, hour) else {
        return Ok(0);
    };
    let queued_already = db.digest_keys_on(day.sent_on).await?;
    let sources = db.digest_sources(day.from, day.until).await?;
    let emails: Vec<OutgoingEmail> = digests(&sources, day, base_url)
        .into_iter()
        .filter(|e| !queued_already.contains(&e.dedupe_key))
        .collect();
    let new = db.enqueue_emails(&emails).await?;
    if new > 0 {
        tracing::info!(digests = new, day = %day.sent_on, "daily digests queued");
        metrics::counter!("samrad_digests_queued_total").increment(new as u64);
    }
    Ok(new)
}

/// What one person's digest lists.
#[derive(Default)]
struct Parts<'a> {
    person: Option<&'a Person>,
    planned: Vec<&'a NewInput>,
    followed: Vec<&'a NewInput>,
}

fn by_self(person: &Person, input: &NewInput) -> bool {
    input.author == Some(person.id)
        || input
            .author_email
            .as_deref()
            .is_some_and(|a| normalise_email(a) == person.email)
}

/// The digest of each person with something new.
fn digests(sources: &DigestSources, day: DigestDay, base_url: &str) -> Vec<OutgoingEmail> {
    let mut parts: BTreeMap<PersonId, Parts<'_>> = BTreeMap::new();
    for (planner, plan_id) in &sources.planners {
        let Some(plan) = sources.plans.get(plan_id) else {
            continue;
        };
        for input in &sources.inputs {
            let Some(hearing) = sources.hearings.get(&input.hearing) else {
                continue;
            };
            // The same addresses the notice at each input goes to.
            let told = if input.is_response() {
                is_contact(&planner.email, plan, hearing)
            } else {
                plan.contact_email
                    .as_deref()
                    .is_some_and(|a| normalise_email(a) == planner.email)
            };
            if hearing.plan_id == *plan_id && told {
                let entry = parts.entry(planner.id).or_default();
                entry.person = Some(planner);
                entry.planned.push(input);
            }
        }
    }
    for (follower, follow) in &sources.follows {
        for input in &sources.inputs {
            let Some(section) = &input.section else {
                continue;
            };
            let followed = input.hearing == follow.hearing
                && follow.section.is_none_or(|s| s == section.id)
                && !by_self(follower, input);
            if !followed {
                continue;
            }
            let entry = parts.entry(follower.id).or_default();
            entry.person = Some(follower);
            // A hearing and one of its sections followed: listed once.
            if !entry.followed.iter().any(|i| i.id == input.id) {
                entry.followed.push(input);
            }
        }
    }
    let inputs_day = day.sent_on.yesterday().unwrap_or(day.sent_on);
    parts
        .into_values()
        .filter_map(|p| {
            let person = p.person?;
            let first = p.planned.first().or(p.followed.first())?;
            let hearing = sources.hearings.get(&first.hearing)?;
            let municipality = sources.municipalities.get(&hearing.municipality_id)?;
            let links = municipality.links_from(base_url);
            Some(OutgoingEmail {
                dedupe_key: dedupe_key(person.id, day.sent_on),
                municipality: Some(hearing.municipality_id),
                // A digest may list several plans: it is on no one plan's email page.
                plan: None,
                recipient: person.email.clone(),
                lang: person.lang,
                email: Email::Digest {
                    day: inputs_day.to_string(),
                    planned: grouped(sources, &p.planned, &links),
                    followed: grouped(sources, &p.followed, &links),
                },
                letterhead: Letterhead::of_municipality(municipality).to(&person.name),
            })
        })
        .collect()
}

/// Inputs by plan, hearing and section, in the order of plan and hearing titles and
/// section numbers; a hearing's responses come after its sections.
fn grouped(sources: &DigestSources, inputs: &[&NewInput], links: &str) -> Vec<DigestHearing> {
    // (plan title, hearing title, hearing id) → (section key → inputs)
    type Sections = BTreeMap<(bool, String), Vec<DigestInput>>;
    let mut hearings: BTreeMap<(String, String, uuid::Uuid), Sections> = BTreeMap::new();
    for input in inputs {
        let Some(hearing) = sources.hearings.get(&input.hearing) else {
            continue;
        };
        let plan_title = sources
            .plans
            .get(&hearing.plan_id)
            .map(|p| p.title.clone())
            .unwrap_or_default();
        let (section_key, link) = match &input.section {
            Some(s) => (
                (false, format!("{} {}", s.number, s.title).trim().to_owned()),
                format!("{links}/hearings/{}#comment-{}", hearing.id, input.id),
            ),
            None => (
                (true, String::new()),
                format!("{links}/responses/{}", input.id),
            ),
        };
        hearings
            .entry((plan_title, hearing.title.clone(), hearing.id.0))
            .or_default()
            .entry(section_key)
            .or_default()
            .push(DigestInput {
                id: input.id,
                author_name: input.author_name.clone(),
                excerpt: domain::email::excerpt(&input.body, 300),
                late: input.late,
                link,
            });
    }
    hearings
        .into_iter()
        .map(
            |((plan_title, hearing_title, id), sections)| DigestHearing {
                plan_title,
                hearing_title,
                link: format!("{links}/hearings/{id}"),
                sections: sections
                    .into_iter()
                    .map(|((_, title), inputs)| DigestSection { title, inputs })
                    .collect(),
            },
        )
        .collect()
}
