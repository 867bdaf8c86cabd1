//! Deadline reminders from the planner's side: on which days they go out, who has
//! answered and who will be reminded when, and one extra reminder sent by hand.
//! The scheduled ones are queued by the notification worker (`notify::scheduler`)
//! with the same rules from `domain::reminder`.

use crate::Consultation;
use crate::access::hearing_resource;
use db::DbError;
use domain::hearing::{Hearing, HearingState};
use domain::policy::{Action, Actor, can};
use domain::reminder::{self, ReminderDaysError};
use jiff::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    #[error("only the planners of the plan may do this")]
    Forbidden,
    #[error(transparent)]
    Days(#[from] ReminderDaysError),
    #[error("reminders can only be sent while the hearing is open")]
    NotOpen,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ReminderError {
    pub fn code(&self) -> &'static str {
        match self {
            ReminderError::Forbidden => "forbidden",
            ReminderError::Days(e) => e.code(),
            ReminderError::NotOpen => "not_open",
            ReminderError::Db(_) => "unavailable",
        }
    }
}

/// One reminder of the hearing's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedReminder {
    pub days: u32,
    pub at: Timestamp,
    /// Its time has passed (it went out, or was skipped for a nearer one).
    pub passed: bool,
}

/// One invited person and where they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteeStatus {
    pub name: String,
    pub email: String,
    pub organisations: Vec<String>,
    pub answered: bool,
    /// When they will be reminded next, unless they answer first.
    pub next_reminder: Option<Timestamp>,
}

/// What the planner's hearing page shows about reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderOverview {
    pub days: Vec<u32>,
    pub planned: Vec<PlannedReminder>,
    pub invitees: Vec<InviteeStatus>,
    /// Whether a reminder can be sent by hand now.
    pub can_send_now: bool,
}

impl Consultation {
    fn require_planner(actor: &Actor, hearing: &Hearing) -> Result<(), ReminderError> {
        if can(actor, Action::Edit, hearing_resource(hearing)) {
            Ok(())
        } else {
            Err(ReminderError::Forbidden)
        }
    }

    /// Who is invited, who has answered, and when reminders go out.
    pub async fn reminder_overview(
        &self,
        actor: &Actor,
        hearing: &Hearing,
    ) -> Result<ReminderOverview, ReminderError> {
        Self::require_planner(actor, hearing)?;
        let now = self.now();
        let next = reminder::next(hearing, now).map(|(_, at)| at);
        let invitees = self
            .db()
            .invitees(hearing)
            .await?
            .into_iter()
            .map(|i| InviteeStatus {
                name: i.person.name,
                email: i.person.email,
                organisations: i.organisations.into_iter().map(|(_, name)| name).collect(),
                answered: i.answered,
                next_reminder: if i.answered { None } else { next },
            })
            .collect();
        Ok(ReminderOverview {
            days: hearing.reminder_days.clone(),
            planned: reminder::schedule(hearing)
                .into_iter()
                .map(|(days, at)| PlannedReminder {
                    days,
                    at,
                    passed: at <= now,
                })
                .collect(),
            invitees,
            can_send_now: hearing.state == HearingState::Open && now < hearing.deadline,
        })
    }

    /// Sets the days before the deadline reminders go out on (empty: none); logged.
    pub async fn set_reminder_days(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
        days: &[u32],
    ) -> Result<Hearing, ReminderError> {
        Self::require_planner(actor, hearing)?;
        let days = reminder::normalise_days(days)?;
        let changed = self.db().set_reminder_days(hearing.id, &days, who).await?;
        tracing::info!(hearing = %hearing.id, actor = %who, days = %reminder::days_text(&days), "reminder days changed");
        Ok(changed)
    }

    /// Reminds everyone invited who has not answered, now, once more than planned;
    /// logged in the hearing's log. Returns how many were reminded.
    pub async fn send_reminders_now(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
    ) -> Result<usize, ReminderError> {
        Self::require_planner(actor, hearing)?;
        let now = self.now();
        if hearing.state != HearingState::Open || now >= hearing.deadline {
            return Err(ReminderError::NotOpen);
        }
        let db = self.db();
        let plan = db.plan(hearing.plan_id).await?;
        let municipality = db.municipality(hearing.municipality_id).await?;
        let days_left = reminder::days_left(hearing.deadline, now);
        // A second click within the same minute queues nothing more.
        let minute = now.as_second() / 60;
        let emails: Vec<_> = db
            .invitees(hearing)
            .await?
            .into_iter()
            .filter(|i| !i.answered)
            .map(|i| {
                reminder::email(
                    hearing,
                    &plan,
                    &municipality,
                    &i.person,
                    i.organisations.first().map(|(_, name)| name.clone()),
                    days_left,
                    &self.settings().base_url,
                    format!("reminder:{}:{}:by-hand:{minute}", hearing.id, i.person.id),
                )
            })
            .collect();
        let queued = db.send_reminders_now(hearing.id, &emails, who).await?;
        tracing::info!(hearing = %hearing.id, actor = %who, reminded = queued, "reminder sent by hand");
        self.after_commit(&[], queued > 0);
        Ok(queued)
    }
}
