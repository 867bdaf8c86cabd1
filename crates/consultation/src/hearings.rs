//! Hearings: their deadlines and how they take input.

use crate::Consultation;
use crate::access::{hearing_resource, plan_resource};
use db::{DbError, NewHearing};
use domain::deadline::{
    Deadline, DeadlineError, DeadlineRequest, HearingKind, compute_deadline, deadline_on, oslo,
};
use domain::email::{Email, OutgoingEmail};
use domain::hearing::{Audience, ChangeKind, Hearing, HearingChange, HearingState, Transition};
use domain::policy::{Action, Actor, can};
use domain::validate::{self, FieldError};
use domain::{DocumentVersionId, Lang};

mod reading;
pub use reading::{HearingPage, PlannerHearing};

/// The only time zone Norwegian hearing deadlines are computed in.
pub const TIME_ZONE: &str = "Europe/Oslo";

/// A new hearing as a planner describes it (the API's body and the workbench form).
#[derive(Debug, Clone, Default)]
pub struct NewHearingCommand {
    pub document_version_id: uuid::Uuid,
    pub title: String,
    pub announcement: Option<String>,
    /// `pbl` (the default) or `other`.
    pub kind: Option<String>,
    /// `public` (the default) or `invited`.
    pub audience: Option<String>,
    /// `YYYY-MM-DD`; today when not given.
    pub opens_on: Option<String>,
    pub weeks: Option<u32>,
    pub deadline_on: Option<String>,
    pub time_zone: Option<String>,
    pub override_reason: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

/// A draft's new title, announcement, document version and contact.
#[derive(Debug, Clone, Default)]
pub struct DraftEditCommand {
    pub title: String,
    pub announcement: Option<String>,
    pub document_version_id: uuid::Uuid,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

/// The input a hearing's planners see on its workbench page, with the sections the
/// comments are on.
#[derive(Debug, Clone)]
pub struct HearingInputs {
    /// Oldest first.
    pub comments: Vec<domain::hearing::Comment>,
    pub responses: Vec<domain::response::Response>,
    pub sections: Vec<domain::plan::Section>,
}

/// Why a hearing could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum HearingError {
    #[error("this needs a planner's sign-in or API token")]
    NotSignedIn,
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Unknown, or not the actor's to see: the two look the same.
    #[error("the hearing does not exist")]
    NotFound,
    #[error("the document version does not exist")]
    UnknownDocumentVersion,
    #[error("deadlines are computed in {TIME_ZONE}; {0:?} is not supported")]
    UnknownTimeZone(String),
    #[error("kind must be pbl or other")]
    InvalidKind,
    #[error("audience must be public or invited")]
    InvalidAudience,
    #[error("{0} must be a date written YYYY-MM-DD")]
    InvalidDate(&'static str),
    #[error("give either weeks or deadline_on, not both")]
    AmbiguousDeadline,
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
    #[error("a hearing that is {} cannot {}", .current.as_str(), .transition.as_str())]
    InvalidTransition {
        current: HearingState,
        transition: Transition,
    },
    #[error(
        "closing before the published deadline needs a written reason: it is logged and shown on the public page"
    )]
    EarlyCloseNeedsReason,
    #[error("only a draft can be edited; a published hearing can get a new deadline with a reason")]
    NotADraft,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, thiserror::Error)]
pub enum ExtendError {
    #[error(transparent)]
    Deadline(#[from] domain::deadline::DeadlineError),
    #[error("the new deadline must be later than the current one")]
    NotLater,
    #[error("an assessed hearing cannot be extended")]
    Completed,
    #[error("the hearing changed meanwhile; reload and try again")]
    Conflict,
    #[error(transparent)]
    Db(#[from] DbError),
}

fn parse_date(field: &'static str, text: &str) -> Result<jiff::civil::Date, HearingError> {
    text.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| HearingError::InvalidDate(field))
}

fn optional_line(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| validate::line(field, v, max))
        .transpose()
}

impl Consultation {
    /// Creates a draft hearing on a document version of a plan the actor plans, with
    /// its deadline computed under the rules; returns it with the computation (whose
    /// warnings only the planner sees).
    pub async fn create_hearing(
        &self,
        actor: &Actor,
        who: String,
        command: NewHearingCommand,
    ) -> Result<(Hearing, Deadline), HearingError> {
        if actor.staff_municipality().is_none() {
            return Err(HearingError::NotSignedIn);
        }
        if let Some(zone) = command.time_zone.as_deref()
            && zone != TIME_ZONE
        {
            return Err(HearingError::UnknownTimeZone(zone.to_owned()));
        }
        let db = self.db();
        let version = match db
            .document_version(DocumentVersionId(command.document_version_id))
            .await
        {
            Ok(version) => version,
            Err(DbError::NotFound) => return Err(HearingError::UnknownDocumentVersion),
            Err(e) => return Err(e.into()),
        };
        let document = db.document(version.document_id).await?;
        let plan = db.plan(document.plan_id).await?;
        if !can(actor, Action::Create, plan_resource(&plan)) {
            // Another municipality's document looks like no document.
            return Err(HearingError::UnknownDocumentVersion);
        }
        let kind = match command.kind.as_deref().unwrap_or("pbl") {
            "pbl" => HearingKind::Pbl,
            "other" => HearingKind::Other,
            _ => return Err(HearingError::InvalidKind),
        };
        let audience = Audience::parse(command.audience.as_deref().unwrap_or("public"))
            .ok_or(HearingError::InvalidAudience)?;
        let opens = match command.opens_on.as_deref() {
            Some(text) => parse_date("opens_on", text)?,
            None => self.now().to_zoned(oslo()).date(),
        };
        let deadline = match (command.deadline_on.as_deref(), command.weeks) {
            (Some(_), Some(_)) => return Err(HearingError::AmbiguousDeadline),
            (Some(text), None) => deadline_on(
                opens,
                parse_date("deadline_on", text)?,
                kind,
                command.override_reason.as_deref(),
                None,
            )?,
            (None, weeks) => compute_deadline(&DeadlineRequest {
                opens,
                weeks: weeks.unwrap_or(domain::deadline::PBL_MINIMUM_WEEKS),
                kind,
                override_reason: command.override_reason.clone(),
            })?,
        };
        if let Some(reason) = &deadline.override_reason {
            tracing::warn!(plan = %plan.id, weeks = deadline.weeks, reason = %reason, "hearing shorter than the pbl minimum, overridden");
        }
        let opens_at = opens
            .to_zoned(oslo())
            .map_err(|_| HearingError::InvalidDate("opens_on"))?
            .timestamp();
        let hearing = db
            .create_hearing(NewHearing {
                municipality_id: plan.municipality_id,
                plan_id: plan.id,
                document_version_id: version.id,
                title: validate::line("title", &command.title, 300)?,
                kind,
                audience,
                state: HearingState::Draft,
                opens_at,
                deadline: deadline.deadline.timestamp(),
                announcement: command
                    .announcement
                    .as_deref()
                    .filter(|a| !a.trim().is_empty())
                    .map(|a| validate::text("announcement", a, 20_000))
                    .transpose()?,
                contact_name: optional_line("contact_name", command.contact_name.as_deref(), 200)?,
                contact_email: command
                    .contact_email
                    .as_deref()
                    .filter(|e| !e.trim().is_empty())
                    .map(|e| validate::email("contact_email", e))
                    .transpose()?,
                actor: match &deadline.override_reason {
                    Some(reason) => format!("{who} (short period: {reason})"),
                    None => who,
                },
                period_weeks: deadline.weeks,
            })
            .await?;
        Ok((hearing, deadline))
    }

    /// Changes a draft before anyone outside the workbench has seen it: title,
    /// announcement, document version (of a document of the same plan) and contact.
    pub async fn edit_draft_hearing(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
        command: DraftEditCommand,
    ) -> Result<Hearing, HearingError> {
        if !can(actor, Action::Edit, hearing_resource(hearing)) {
            return Err(if actor.staff_municipality().is_none() {
                HearingError::NotSignedIn
            } else {
                HearingError::Forbidden
            });
        }
        if hearing.state != HearingState::Draft {
            return Err(HearingError::NotADraft);
        }
        let db = self.db();
        let version = match db
            .document_version(DocumentVersionId(command.document_version_id))
            .await
        {
            Ok(version) => version,
            Err(DbError::NotFound) => return Err(HearingError::UnknownDocumentVersion),
            Err(e) => return Err(e.into()),
        };
        if db.document(version.document_id).await?.plan_id != hearing.plan_id {
            return Err(HearingError::UnknownDocumentVersion);
        }
        let edit = db::DraftHearingEdit {
            title: validate::line("title", &command.title, 300)?,
            announcement: command
                .announcement
                .as_deref()
                .filter(|a| !a.trim().is_empty())
                .map(|a| validate::text("announcement", a, 20_000))
                .transpose()?,
            document_version_id: version.id,
            contact_name: optional_line("contact_name", command.contact_name.as_deref(), 200)?,
            contact_email: command
                .contact_email
                .as_deref()
                .filter(|e| !e.trim().is_empty())
                .map(|e| validate::email("contact_email", e))
                .transpose()?,
        };
        db.edit_draft_hearing(hearing.id, edit, who)
            .await?
            .ok_or(HearingError::NotADraft)
    }

    /// A hearing the actor may read; unknown and hidden ones look the same.
    pub async fn visible_hearing(
        &self,
        actor: &Actor,
        id: domain::HearingId,
    ) -> Result<Hearing, HearingError> {
        self.hearing_for(actor, id, Action::Read).await
    }

    /// A hearing the actor plans (may change); others look unknown.
    pub async fn planned_hearing(
        &self,
        actor: &Actor,
        id: domain::HearingId,
    ) -> Result<Hearing, HearingError> {
        self.hearing_for(actor, id, Action::Edit).await
    }

    async fn hearing_for(
        &self,
        actor: &Actor,
        id: domain::HearingId,
        action: Action,
    ) -> Result<Hearing, HearingError> {
        match self.db().hearing(id).await {
            Ok(hearing) if can(actor, action, hearing_resource(&hearing)) => Ok(hearing),
            Ok(_) | Err(DbError::NotFound) => Err(HearingError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Every comment and official response of a hearing the actor plans, for the
    /// workbench (the whole page, or one row that arrived live).
    pub async fn hearing_inputs(
        &self,
        actor: &Actor,
        hearing: &Hearing,
    ) -> Result<HearingInputs, HearingError> {
        if !can(actor, Action::Edit, hearing_resource(hearing)) {
            return Err(HearingError::NotFound);
        }
        let db = self.db();
        Ok(HearingInputs {
            comments: db.comments_of_hearing(hearing.id).await?,
            responses: db.responses_of_hearing(hearing.id).await?,
            sections: db.sections_of(hearing.document_version_id).await?,
        })
    }

    /// The hearing's log (who changed what, when and why): for its planners, as it
    /// names who acted.
    pub async fn hearing_log(
        &self,
        actor: &Actor,
        hearing: &Hearing,
    ) -> Result<Vec<HearingChange>, HearingError> {
        if !can(actor, Action::Edit, hearing_resource(hearing)) {
            return Err(HearingError::NotSignedIn);
        }
        Ok(self.db().hearing_changes(hearing.id).await?)
    }

    /// When and why a planner closed the hearing before its published deadline.
    pub async fn early_close(&self, hearing: &Hearing) -> Result<Option<HearingChange>, DbError> {
        if !matches!(hearing.state, HearingState::Closed | HearingState::Assessed) {
            return Ok(None);
        }
        Ok(self
            .db()
            .hearing_changes(hearing.id)
            .await?
            .into_iter()
            .rev()
            .find(|c| c.kind == ChangeKind::Closed && c.created_at < hearing.deadline))
    }

    /// Moves a hearing through its lifecycle (schedule, open, close, complete), logged
    /// with who and why, and announced.
    pub async fn change_hearing_state(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
        transition: Transition,
        reason: Option<String>,
    ) -> Result<Hearing, HearingError> {
        if !can(actor, Action::ChangeState, hearing_resource(hearing)) {
            return Err(if actor.staff_municipality().is_none() {
                HearingError::NotSignedIn
            } else {
                HearingError::Forbidden
            });
        }
        let reason = reason
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| validate::text("reason", r, 2000))
            .transpose()?;
        if !transition.allowed_from(hearing.state) {
            return Err(HearingError::InvalidTransition {
                current: hearing.state,
                transition,
            });
        }
        // Closing before the published deadline is a decision the public must be able
        // to read the reason for; input that still arrives before the deadline is on
        // time (see `Hearing::input_timing`).
        if transition == Transition::Close && self.now() < hearing.deadline && reason.is_none() {
            return Err(HearingError::EarlyCloseNeedsReason);
        }
        let emails = self
            .db()
            .hearing_state_emails(hearing, transition, &self.settings().base_url)
            .await?;
        match self
            .db()
            .transition_hearing(hearing.id, transition, who, reason, &emails)
            .await?
        {
            Some(changed) => {
                self.after_commit(&changed.events, !emails.is_empty());
                Ok(changed.hearing)
            }
            None => {
                let now = self.db().hearing(hearing.id).await?;
                Err(HearingError::InvalidTransition {
                    current: now.state,
                    transition,
                })
            }
        }
    }

    /// Turns screening of public input on a hearing on or off. The caller has checked
    /// that the actor plans the hearing's plan.
    pub async fn set_screening(
        &self,
        actor: &Actor,
        who: &str,
        hearing: &Hearing,
        on: bool,
    ) -> Result<Hearing, DbError> {
        debug_assert!(can(actor, Action::Edit, hearing_resource(hearing)));
        let changed = self.db().set_screening(hearing.id, on).await?;
        if hearing.screen_public_input != on {
            tracing::info!(hearing = %hearing.id, actor = %who, on, "screening of public input changed");
        }
        Ok(changed)
    }

    /// Moves a hearing's deadline to `requested` (or the next working day), logs it with
    /// its reason and tells everyone who took part.
    pub async fn extend_deadline(
        &self,
        actor: String,
        hearing: &Hearing,
        requested: jiff::civil::Date,
        reason: String,
    ) -> Result<Hearing, ExtendError> {
        use domain::deadline::{deadline_on, oslo};
        use domain::hearing::HearingState;
        if hearing.state == HearingState::Assessed {
            return Err(ExtendError::Completed);
        }
        let opens = hearing.opens_at.to_zoned(oslo()).date();
        // The reason is logged, so it also covers a period that stays under six weeks.
        // The period keeps the weeks it stands for, so a deadline moved to make up for
        // holidays is recognised as compensated.
        let computed = deadline_on(
            opens,
            requested,
            hearing.kind,
            Some(&reason),
            Some(hearing.period_weeks),
        )?;
        let new_deadline = computed.deadline.timestamp();
        if new_deadline <= hearing.deadline {
            return Err(ExtendError::NotLater);
        }
        let db = self.db();
        let plan = db.plan(hearing.plan_id).await?;
        // A draft has been seen by nobody outside the workbench: nobody to tell.
        let mut addresses: Vec<String> = if hearing.state == HearingState::Draft {
            Vec::new()
        } else {
            plan.contact_email
                .iter()
                .cloned()
                .chain(hearing.contact_email.clone())
                .chain(db.commenter_emails(hearing.id).await?)
                .collect()
        };
        addresses.sort();
        addresses.dedup();
        let letter = self.plan_letter(&plan, Some(hearing)).await?;
        let mut emails: Vec<OutgoingEmail> = Vec::with_capacity(addresses.len());
        for address in addresses {
            // Each in their own language: a person's, else nynorsk.
            let recipient = self.recipient_at(&address, Lang::Nn).await?;
            emails.push(OutgoingEmail {
                dedupe_key: format!(
                    "deadline-extended:{}:{}:{address}",
                    hearing.id,
                    new_deadline.as_second()
                ),
                municipality: Some(hearing.municipality_id),
                plan: Some(hearing.plan_id),
                recipient: address,
                lang: recipient.lang,
                email: Email::DeadlineExtended {
                    hearing_title: hearing.title.clone(),
                    new_deadline: new_deadline.to_string(),
                    reason: reason.clone(),
                    link: letter.link(&format!("/hearings/{}", hearing.id)),
                },
                letterhead: letter.to(&recipient.name),
            });
        }
        let changed = match db
            .extend_deadline(
                hearing.id,
                hearing.deadline,
                new_deadline,
                &actor,
                &reason,
                &emails,
            )
            .await
        {
            Ok(changed) => changed,
            Err(DbError::Conflict(_)) => return Err(ExtendError::Conflict),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(hearing = %hearing.id, actor = %actor, reason = %reason, "deadline extended");
        self.after_commit(&changed.events, !emails.is_empty());
        Ok(changed.hearing)
    }
}
