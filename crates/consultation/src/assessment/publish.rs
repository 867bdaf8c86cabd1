//! Publishing the assessments of a hearing: every reviewed one at once, after the
//! planner confirmed any left unreviewed, with one letter to each participant that
//! tells how their inputs were assessed. What is published shows beside the input on
//! the hearing page and on the participant's own page.

use super::AssessmentError;
use crate::Consultation;
use crate::letters::{Letter, Recipient};
use db::DbError;
use domain::assessment::{AssessmentState, InputContent, PublishedAssessment, RegisteredInput};
use domain::email::{AssessedInput, Email, OutgoingEmail, excerpt};
use domain::hearing::Hearing;
use domain::policy::Actor;
use domain::{HearingId, InputId, Lang};
use std::collections::{BTreeMap, HashMap};

/// An input of the hearing whose assessment is not reviewed (nor published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreviewedInput {
    pub id: InputId,
    pub number: i32,
    pub state: AssessmentState,
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedBatch {
    /// The inputs whose assessments were published now, by number.
    pub published: Vec<i32>,
    /// Inputs left unreviewed (the planner confirmed publishing without them).
    pub unreviewed: Vec<UnreviewedInput>,
    /// Emails queued now, one per participant.
    pub emails: usize,
}

/// The longest excerpt of an input in the letter, in characters.
const EXCERPT_CHARS: usize = 400;

impl Consultation {
    /// Publishes every reviewed assessment of a hearing. When some are neither
    /// reviewed nor published, nothing happens unless `confirm_unreviewed`: the
    /// refusal names them. Each participant is told once, in their language.
    pub async fn publish_hearing_assessments(
        &self,
        actor: &Actor,
        who: &str,
        hearing_id: HearingId,
        confirm_unreviewed: bool,
    ) -> Result<PublishedBatch, AssessmentError> {
        let hearing = match self.db().hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(AssessmentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = match self.assessed_plan(actor, hearing.plan_id).await {
            Err(AssessmentError::PlanNotFound) => return Err(AssessmentError::HearingNotFound),
            other => other?,
        };
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let unreviewed: Vec<UnreviewedInput> = entries
            .iter()
            .filter(|e| {
                !matches!(
                    e.assessment.state,
                    AssessmentState::Reviewed | AssessmentState::Published
                )
            })
            .map(|e| UnreviewedInput {
                id: e.id,
                number: e.number,
                state: e.assessment.state,
            })
            .collect();
        if !unreviewed.is_empty() && !confirm_unreviewed {
            return Err(AssessmentError::Unreviewed(unreviewed));
        }
        let reviewed: Vec<_> = entries
            .into_iter()
            .filter(|e| e.assessment.state == AssessmentState::Reviewed)
            .collect();
        if reviewed.is_empty() {
            return Ok(PublishedBatch {
                published: Vec::new(),
                unreviewed,
                emails: 0,
            });
        }
        let inputs = self.db().registered_inputs(reviewed).await?;
        let letter = self.plan_letter(&plan, Some(&hearing)).await?;
        let emails = self
            .assessment_letters(&hearing, &plan.title, &letter, &inputs)
            .await?;
        let ids: Vec<InputId> = inputs.iter().map(|i| i.entry.id).collect();
        let by = self.changed_by(actor, who).await?;
        let queued = self.db().publish_assessments(&ids, by, &emails).await?;
        self.record(
            crate::audit::by(
                actor,
                domain::audit::AuditKind::AssessmentPublished,
                Some(plan.municipality_id),
            )
            .plan(Some(plan.id))
            .target(hearing.id)
            .detail(format!("{} inputs", ids.len())),
        )
        .await;
        tracing::info!(hearing = %hearing.id, actor = %who, published = ids.len(), emails = queued, "assessments published");
        self.after_commit(&[], queued > 0);
        Ok(PublishedBatch {
            published: inputs.iter().map(|i| i.entry.number).collect(),
            unreviewed,
            emails: queued,
        })
    }

    /// Who gave an input and where to write to them: a person's own address and
    /// language, else the address a comment was confirmed with. A registered letter
    /// has no address, so its sender is not written to.
    async fn participant(&self, input: &RegisteredInput) -> Result<Option<Recipient>, DbError> {
        let (person, address) = match &input.content {
            InputContent::Comment { comment, .. } => {
                (comment.person_id, comment.author_email.clone())
            }
            InputContent::Response(r) => (Some(r.person_id), None),
            // A workshop note speaks for its group; nobody is written to about it.
            InputContent::Letter(_) | InputContent::WorkshopNote(_) => (None, None),
        };
        if let Some(person) = person {
            match self.db().person(person).await {
                Ok(p) => return Ok(Some(p.into())),
                Err(DbError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        match address {
            Some(address) => Ok(Some(self.recipient_at(&address, Lang::Nn).await?)),
            None => Ok(None),
        }
    }

    /// One letter per participant with all their inputs being published, keyed by
    /// the hearing, the address and the first of those inputs, so that queueing
    /// the same letter again is a no-op.
    async fn assessment_letters(
        &self,
        hearing: &Hearing,
        plan_title: &str,
        letter: &Letter,
        inputs: &[RegisteredInput],
    ) -> Result<Vec<OutgoingEmail>, DbError> {
        let mut by_address: BTreeMap<String, (Recipient, String, Vec<&RegisteredInput>)> =
            BTreeMap::new();
        for input in inputs {
            let Some(recipient) = self.participant(input).await? else {
                continue;
            };
            let key = recipient.email.trim().to_lowercase();
            let name = if recipient.name.is_empty() {
                input.sender().0.to_owned()
            } else {
                recipient.name.clone()
            };
            by_address
                .entry(key)
                .or_insert_with(|| (recipient, name, Vec::new()))
                .2
                .push(input);
        }
        Ok(by_address
            .into_iter()
            .map(|(address, (recipient, name, told))| {
                let first = told.iter().map(|i| i.entry.id.0).min().unwrap_or_default();
                OutgoingEmail {
                    dedupe_key: format!("inputs-assessed:{}:{address}:{first}", hearing.id),
                    municipality: Some(hearing.municipality_id),
                    plan: Some(hearing.plan_id),
                    recipient: recipient.email,
                    lang: recipient.lang,
                    letterhead: letter.to(&name),
                    email: Email::InputsAssessed {
                        hearing_title: hearing.title.clone(),
                        plan_title: plan_title.to_owned(),
                        inputs: told
                            .iter()
                            .map(|i| AssessedInput {
                                excerpt: excerpt(i.text(), EXCERPT_CHARS),
                                outcome: i.entry.assessment.outcome,
                                response: i.entry.assessment.response.clone(),
                            })
                            .collect(),
                        link: letter.link(&format!("/hearings/{}", hearing.id)),
                    },
                }
            })
            .collect())
    }

    /// The published assessments of inputs the reader already sees (comments,
    /// responses), by the input's own id.
    pub async fn published_assessments(
        &self,
        source_ids: &[uuid::Uuid],
    ) -> Result<HashMap<uuid::Uuid, PublishedAssessment>, DbError> {
        self.db().published_assessments(source_ids).await
    }
}
