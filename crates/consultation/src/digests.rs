//! Daily digests, the person's side: following a hearing or a section of it (a
//! daily digest of its new published comments), and a planner's choice per plan
//! between a notice at each input and the daily digest (the default). The
//! notification worker's scheduler queues the digests; the notices at each input
//! are queued by the features that take input, which ask [`Consultation::notice_now`].

use crate::Consultation;
use crate::access::hearing_resource;
use db::{DbError, FollowRecord, NoticeChoiceRecord};
use domain::digest::Follow;
use domain::policy::{Action, Actor, Resource, can};
use domain::{HearingId, PersonId, PlanId, SectionId};

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("sign in to follow a hearing")]
    SignInRequired,
    #[error("the hearing does not exist")]
    HearingNotFound,
    #[error("the section is not part of the document on hearing")]
    SectionNotInHearing,
    #[error("you may change only your own email settings")]
    Forbidden,
    #[error("you plan no plan with that id")]
    NotYourPlan,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Consultation {
    /// What `actor` can follow on a hearing they may read: the hearing itself and,
    /// when given, one of its sections.
    async fn followable(
        &self,
        actor: &Actor,
        hearing: HearingId,
        section: Option<SectionId>,
    ) -> Result<(PersonId, Follow), DigestError> {
        let person = actor.person.ok_or(DigestError::SignInRequired)?;
        let found = match self.db().hearing(hearing).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(DigestError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        // Unknown and forbidden look the same.
        if !can(actor, Action::Read, hearing_resource(&found)) {
            return Err(DigestError::HearingNotFound);
        }
        if let Some(section) = section {
            match self.db().section(section).await {
                Ok(s) if s.version_id == found.document_version_id => {}
                Ok(_) | Err(DbError::NotFound) => return Err(DigestError::SectionNotInHearing),
                Err(e) => return Err(e.into()),
            }
        }
        Ok((person, Follow { hearing, section }))
    }

    /// The signed-in person follows the hearing, or one of its sections: each day
    /// they get a digest of the new published comments there (not their own).
    pub async fn follow(
        &self,
        actor: &Actor,
        hearing: HearingId,
        section: Option<SectionId>,
    ) -> Result<Follow, DigestError> {
        let (person, what) = self.followable(actor, hearing, section).await?;
        self.db().follow(person, what).await?;
        Ok(what)
    }

    /// The signed-in person stops following the hearing or the section.
    pub async fn unfollow(
        &self,
        actor: &Actor,
        hearing: HearingId,
        section: Option<SectionId>,
    ) -> Result<(), DigestError> {
        let person = actor.person.ok_or(DigestError::SignInRequired)?;
        self.db()
            .unfollow(person, Follow { hearing, section })
            .await?;
        Ok(())
    }

    /// What the signed-in reader follows on `hearing` (nothing for anyone else).
    pub async fn following(
        &self,
        actor: &Actor,
        hearing: HearingId,
    ) -> Result<Vec<Follow>, DigestError> {
        let Some(person) = actor.person else {
            return Ok(Vec::new());
        };
        Ok(self
            .db()
            .follows_of(person)
            .await?
            .into_iter()
            .map(|f| f.follow)
            .filter(|f| f.hearing == hearing)
            .collect())
    }

    /// Everything `person` follows, with names, oldest first.
    pub async fn follows(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<FollowRecord>, DigestError> {
        if !can(actor, Action::Read, Resource::Person { person }) {
            return Err(DigestError::Forbidden);
        }
        Ok(self.db().follows_of(person).await?)
    }

    /// The plans `person` plans, each with whether they hear of its input at once.
    pub async fn notice_choices(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<NoticeChoiceRecord>, DigestError> {
        if !can(actor, Action::Read, Resource::Person { person }) {
            return Err(DigestError::Forbidden);
        }
        Ok(self.db().notice_choices(person).await?)
    }

    /// For each plan (one `person` plans), whether they hear of each input at once
    /// (`true`) or in the daily digest. All or nothing: a plan they do not plan
    /// refuses the whole.
    pub async fn save_notice_choices(
        &self,
        actor: &Actor,
        person: PersonId,
        choices: &[(PlanId, bool)],
    ) -> Result<(), DigestError> {
        if !can(actor, Action::Edit, Resource::Person { person }) {
            return Err(DigestError::Forbidden);
        }
        let planned = self.db().notice_choices(person).await?;
        if choices
            .iter()
            .any(|(plan, _)| !planned.iter().any(|p| p.plan_id == *plan))
        {
            return Err(DigestError::NotYourPlan);
        }
        self.db().set_notice_choices(person, choices).await?;
        Ok(())
    }

    /// Whether the notice about one new input to `plan` goes to `address` now; `false`
    /// when a planner there hears of it in the daily digest instead.
    pub async fn notice_now(&self, address: &str, plan: PlanId) -> Result<bool, DbError> {
        Ok(!self.db().wants_digest(address, plan).await?)
    }
}
