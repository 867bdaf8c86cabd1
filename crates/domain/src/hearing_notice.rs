//! The letters a hearing's change of state sends: "the hearing is open" to the
//! members of the plan's groups, "the hearing is closed" to them and to everyone
//! who gave input. Built here so that a planner's action and the scheduler send
//! the same letters.

use crate::Lang;
use crate::email::{Email, Letterhead, OutgoingEmail};
use crate::hearing::{Hearing, Transition};
use crate::plan::{Municipality, Plan};

/// One person to tell, in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub email: String,
    pub lang: Lang,
    /// For the greeting; may be empty.
    pub name: String,
}

/// Whether a transition sends letters, and to whom beside the groups' members.
pub fn tells_participants(transition: Transition) -> bool {
    matches!(transition, Transition::Open | Transition::Close)
}

/// The letters `transition` of `hearing` sends to `addressees` (who the caller
/// chose: see [`tells_participants`]). The dedupe key names the hearing and the
/// recipient, and a closing also the deadline, so a hearing reopened by a later
/// deadline may close (and tell) again, while a repeated close never doubles.
pub fn state_emails(
    hearing: &Hearing,
    plan: &Plan,
    municipality: &Municipality,
    transition: Transition,
    addressees: &[Addressee],
    installation_url: &str,
) -> Vec<OutgoingEmail> {
    let base_url = municipality.links_from(installation_url);
    let link = format!("{base_url}/hearings/{}", hearing.id);
    let letterhead = Letterhead::of_plan(municipality, plan, Some(hearing));
    addressees
        .iter()
        .filter_map(|a| {
            let (dedupe_key, email) = match transition {
                Transition::Open => (
                    format!("hearing-opened:{}:{}", hearing.id, a.email),
                    Email::HearingOpened {
                        hearing_title: hearing.title.clone(),
                        plan_title: plan.title.clone(),
                        deadline: hearing.deadline.to_string(),
                        link: link.clone(),
                    },
                ),
                Transition::Close => (
                    format!(
                        "hearing-closed:{}:{}:{}",
                        hearing.id,
                        hearing.deadline.as_second(),
                        a.email
                    ),
                    Email::HearingClosed {
                        hearing_title: hearing.title.clone(),
                        plan_title: plan.title.clone(),
                        link: link.clone(),
                    },
                ),
                Transition::Schedule | Transition::Complete => return None,
            };
            Some(OutgoingEmail {
                dedupe_key,
                municipality: Some(hearing.municipality_id),
                plan: Some(hearing.plan_id),
                recipient: a.email.clone(),
                lang: a.lang,
                email,
                letterhead: letterhead.clone().to(&a.name),
            })
        })
        .collect()
}
