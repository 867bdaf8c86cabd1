//! Workshops (arbeidsmøte) of a plan's groups: planners create, change and cancel
//! them; the members of the invited groups get a letter with the event attached as
//! iCalendar, answer yes, no or maybe with what they need, and are reminded before
//! the start; past capacity a yes goes to the waiting list, and a seat given up goes
//! to the first who waits. The planner sees who comes and records who came.
//!
//! Who may see a workshop: the plan's planners, the municipality's staff and the
//! members of an invited group; for everyone else it does not exist (not found).
//! Every change writes its letters to the outbox in the same transaction.

use crate::Consultation;
use db::{AnswerOutcome, DbError};
use domain::email::{Email, OutgoingEmail, WorkshopEvent};
use domain::group::Group;
use domain::person::Person;
use domain::plan::{Document, Milestone, Municipality, Plan, Section};
use domain::policy::{Action, Actor, can, can_on_workshop};
use domain::validate::FieldError;
use domain::workshop::{
    self, Answer, Needs, Registration, Seat, ValidWorkshop, Workshop, WorkshopDraft,
};
use domain::{GroupId, PersonId, PlanId, WorkshopId};
use std::collections::{BTreeMap, HashMap};

/// Why a workshop use case refused.
#[derive(Debug, thiserror::Error)]
pub enum WorkshopError {
    #[error("the plan was not found")]
    PlanNotFound,
    #[error("the workshop was not found")]
    WorkshopNotFound,
    #[error("the group was not found")]
    GroupNotFound,
    #[error("only the plan's planners may do this")]
    Forbidden,
    #[error("every invited group must be a group of the workshop's plan")]
    UnknownGroup,
    #[error("every agenda section must be a section of one of the plan's documents")]
    UnknownSection,
    #[error("every document to read must be a document of the plan")]
    UnknownDocument,
    #[error("you are not invited to this workshop: only members of its groups can answer")]
    NotInvited,
    #[error("registration closed when the workshop started")]
    RegistrationClosed,
    #[error("the workshop is cancelled")]
    Cancelled,
    #[error("the workshop changed meanwhile; load it again and repeat the change")]
    Changed,
    #[error("answer must be yes, no or maybe")]
    UnknownAnswer,
    #[error("attendance is recorded from the day of the workshop")]
    AttendanceTooEarly,
    #[error("this person has not answered the invitation")]
    NotRegistered,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl WorkshopError {
    /// The stable code of the API's error body.
    pub fn code(&self) -> &'static str {
        use WorkshopError::*;
        match self {
            PlanNotFound | WorkshopNotFound | GroupNotFound => "not_found",
            Forbidden => "forbidden",
            UnknownGroup => "unknown_group",
            UnknownSection => "unknown_section",
            UnknownDocument => "unknown_document",
            NotInvited => "not_invited",
            RegistrationClosed => "registration_closed",
            Cancelled => "workshop_cancelled",
            Changed => "workshop_changed",
            UnknownAnswer => "unknown_answer",
            AttendanceTooEarly => "attendance_too_early",
            NotRegistered => "not_registered",
            Invalid(_) => "validation_failed",
            Db(_) => "internal_error",
        }
    }
}

fn missing(what: WorkshopError) -> impl FnOnce(DbError) -> WorkshopError {
    move |e| match e {
        DbError::NotFound => what,
        other => other.into(),
    }
}

/// An agenda item's section as a page shows it.
#[derive(Debug, Clone)]
pub struct AgendaSection {
    pub document_title: String,
    pub section: Section,
}

/// A registration with the person who answered.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub registration: Registration,
    pub person: Person,
}

/// The counts a planner sees at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Turnout {
    pub yes: usize,
    pub waiting: usize,
    pub maybe: usize,
    pub no: usize,
    /// Invited who have not answered.
    pub unanswered: usize,
    pub attended: usize,
}

/// A workshop as its page shows it to the actor.
#[derive(Debug, Clone)]
pub struct WorkshopPage {
    pub workshop: Workshop,
    pub plan: Plan,
    pub groups: Vec<Group>,
    /// Per agenda item (in order), its sections with their document's title.
    pub agenda_sections: Vec<Vec<AgendaSection>>,
    pub readings: Vec<Document>,
    /// The actor's own registration, if they answered.
    pub mine: Option<Registration>,
    /// Whether the actor is invited and may answer now.
    pub may_answer: bool,
    /// Whether the actor is invited (a member of an invited group).
    pub invited: bool,
    /// Whether the actor plans the workshop (and so sees who comes).
    pub manages: bool,
    /// Only for those who manage it: every answer with its person.
    pub registrants: Vec<Registrant>,
    pub turnout: Turnout,
    /// Whether attendance may be recorded now (from the day of the workshop).
    pub attendance_open: bool,
}

/// A group's own page for its members and the plan's planners.
#[derive(Debug, Clone)]
pub struct GroupPage {
    pub group: Group,
    pub plan: Plan,
    pub purpose: String,
    /// Names and organisations; addresses are never shown here.
    pub members: Vec<db::Member>,
    pub workshops: Vec<Workshop>,
    /// The documents its workshops ask it to read, each once.
    pub readings: Vec<Document>,
    /// The actor's own registrations to the group's workshops.
    pub answers: HashMap<WorkshopId, Registration>,
    pub manages: bool,
    /// What the group gave, by register number: its members' published comments,
    /// the official responses of the organisations it holds, and the notes of its
    /// workshops that were confirmed as inputs.
    pub inputs: Vec<domain::assessment::RegisteredInput>,
}

/// A draft a group is asked to read, as its members open it from the group page.
#[derive(Debug, Clone)]
pub struct GroupReading {
    pub group: Group,
    pub plan: Plan,
    pub document: Document,
    pub sections: Vec<Section>,
}

/// A dated entry of a plan's timeline: a milestone or a workshop.
#[derive(Debug, Clone)]
pub enum TimelineEntry {
    Milestone(Milestone),
    Workshop(Box<Workshop>),
}

impl TimelineEntry {
    /// The day it falls on, in Norway.
    pub fn date(&self) -> jiff::civil::Date {
        match self {
            TimelineEntry::Milestone(m) => m.due_on,
            TimelineEntry::Workshop(w) => w.starts_at.to_zoned(domain::deadline::oslo()).date(),
        }
    }
}

/// What the planner's workshop form offers: the plan's groups, and its documents
/// with the sections of their latest version.
#[derive(Debug, Clone)]
pub struct WorkshopFormOptions {
    pub plan: Plan,
    pub groups: Vec<Group>,
    pub documents: Vec<(Document, Vec<Section>)>,
}

/// A change to the workshop's letters: who gets which.
struct Mailing {
    municipality: Municipality,
    plan: Plan,
    event: WorkshopEvent,
    /// Who answered what: each letter's calendar event names its recipient as the
    /// ATTENDEE with their answer.
    answers: HashMap<PersonId, Answer>,
}

impl Mailing {
    fn letter(&self, person: &Person, email: Email, key: String) -> OutgoingEmail {
        let answer = self.answers.get(&person.id).copied();
        let email = workshop::for_attendee(email, person, answer);
        workshop::letter(&self.municipality, &self.plan, person, email, key)
    }
}

impl Consultation {
    async fn plan_of(&self, id: PlanId) -> Result<Plan, WorkshopError> {
        self.db()
            .plan(id)
            .await
            .map_err(missing(WorkshopError::PlanNotFound))
    }

    /// A workshop the actor may do `action` on, with its plan; one they may not
    /// even read is not found.
    async fn workshop_for(
        &self,
        actor: &Actor,
        id: WorkshopId,
        action: Action,
    ) -> Result<(Workshop, Plan), WorkshopError> {
        let workshop = self
            .db()
            .workshop(id)
            .await
            .map_err(missing(WorkshopError::WorkshopNotFound))?;
        let allowed = |action| {
            can_on_workshop(
                actor,
                action,
                workshop.municipality_id,
                workshop.plan_id,
                &workshop.groups,
            )
        };
        if !allowed(Action::Read) {
            return Err(WorkshopError::WorkshopNotFound);
        }
        if !allowed(action) {
            return Err(WorkshopError::Forbidden);
        }
        let plan = self.plan_of(workshop.plan_id).await?;
        Ok((workshop, plan))
    }

    /// Checks a draft against what is stored: the groups, sections and documents
    /// must be the plan's.
    async fn checked(
        &self,
        plan: &Plan,
        draft: &WorkshopDraft,
    ) -> Result<ValidWorkshop, WorkshopError> {
        let valid = workshop::validate(draft)?;
        let db = self.db();
        let groups: Vec<GroupId> = db
            .groups_of_plan(plan.id)
            .await?
            .iter()
            .map(|g| g.id)
            .collect();
        if valid.groups.iter().any(|g| !groups.contains(g)) {
            return Err(WorkshopError::UnknownGroup);
        }
        let documents: Vec<_> = db
            .documents_of(plan.id)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        if valid.readings.iter().any(|d| !documents.contains(d)) {
            return Err(WorkshopError::UnknownDocument);
        }
        for item in &valid.agenda {
            for section in &item.sections {
                let section = db
                    .section(*section)
                    .await
                    .map_err(missing(WorkshopError::UnknownSection))?;
                let version = db.document_version(section.version_id).await?;
                if !documents.contains(&version.document_id) {
                    return Err(WorkshopError::UnknownSection);
                }
            }
        }
        Ok(valid)
    }

    async fn mailing(&self, plan: &Plan, workshop: &Workshop) -> Result<Mailing, WorkshopError> {
        let municipality = self.db().municipality(plan.municipality_id).await?;
        let event = workshop::event(
            workshop,
            plan,
            &self.base_url_of(&municipality),
            plan.contact_email.clone(),
        );
        let answers = self
            .db()
            .workshop_registrations(workshop.id)
            .await?
            .into_iter()
            .map(|r| (r.person_id, r.answer))
            .collect();
        Ok(Mailing {
            municipality,
            plan: plan.clone(),
            event,
            answers,
        })
    }

    /// The members of the groups, each once (people who asked to be forgotten and
    /// have no address are left out).
    async fn members_of(
        &self,
        groups: &[GroupId],
    ) -> Result<BTreeMap<PersonId, Person>, WorkshopError> {
        let mut people = BTreeMap::new();
        for group in groups {
            for member in self.db().members(*group).await? {
                if !member.person.email.is_empty() {
                    people.insert(member.person.id, member.person);
                }
            }
        }
        Ok(people)
    }

    /// Everyone a change is told to: the invited, and whoever answered (they may
    /// have been invited through a group that is no longer invited).
    async fn told_of_changes(
        &self,
        workshop: &Workshop,
    ) -> Result<BTreeMap<PersonId, Person>, WorkshopError> {
        let mut people = self.members_of(&workshop.groups).await?;
        for registration in self.db().workshop_registrations(workshop.id).await? {
            if let std::collections::btree_map::Entry::Vacant(entry) =
                people.entry(registration.person_id)
            {
                let person = self.db().person(registration.person_id).await?;
                if !person.email.is_empty() {
                    entry.insert(person);
                }
            }
        }
        Ok(people)
    }

    /// Creates a workshop on a plan the actor plans and invites the members of its
    /// groups, in one transaction.
    pub async fn create_workshop(
        &self,
        actor: &Actor,
        plan: PlanId,
        draft: &WorkshopDraft,
    ) -> Result<Workshop, WorkshopError> {
        let plan = self.plan_of(plan).await?;
        // Like every planner's change of a plan: not the actor's is not found.
        if !can_on_workshop(actor, Action::Create, plan.municipality_id, plan.id, &[]) {
            return Err(WorkshopError::PlanNotFound);
        }
        let valid = self.checked(&plan, draft).await?;
        let id = WorkshopId::new();
        let now = self.now();
        // The letters describe the workshop as it will be stored.
        let planned = as_stored(id, &plan, &valid, 0);
        let mailing = self.mailing(&plan, &planned).await?;
        let emails: Vec<_> = self
            .members_of(&valid.groups)
            .await?
            .values()
            .map(|person| {
                mailing.letter(
                    person,
                    Email::WorkshopInvitation {
                        event: mailing.event.clone(),
                        update: false,
                    },
                    format!("workshop:{id}:0:{}", person.id),
                )
            })
            .collect();
        let stored = self
            .db()
            .create_workshop(id, plan.id, &valid, actor.person, now, &emails)
            .await?;
        self.after_commit(&[], !emails.is_empty());
        Ok(stored)
    }

    /// Changes a workshop that has not been cancelled, raising its SEQUENCE, and
    /// tells the invited and whoever answered (an update of their calendar event).
    pub async fn update_workshop(
        &self,
        actor: &Actor,
        id: WorkshopId,
        draft: &WorkshopDraft,
    ) -> Result<Workshop, WorkshopError> {
        let (current, plan) = self.workshop_for(actor, id, Action::Edit).await?;
        if current.is_cancelled() {
            return Err(WorkshopError::Cancelled);
        }
        let valid = self.checked(&plan, draft).await?;
        let changed = as_stored(id, &plan, &valid, current.sequence + 1);
        let mailing = self.mailing(&plan, &changed).await?;
        let mut told = self.told_of_changes(&current).await?;
        told.extend(self.members_of(&changed.groups).await?);
        let sequence = changed.sequence;
        let letters = |promoted: &[PersonId]| {
            let mut emails: Vec<_> = told
                .values()
                .map(|person| {
                    mailing.letter(
                        person,
                        Email::WorkshopInvitation {
                            event: mailing.event.clone(),
                            update: true,
                        },
                        format!("workshop:{id}:{sequence}:{}", person.id),
                    )
                })
                .collect();
            emails.extend(promoted.iter().filter_map(|p| told.get(p)).map(|person| {
                mailing.letter(
                    person,
                    Email::WorkshopSeat {
                        event: mailing.event.clone(),
                    },
                    format!("workshop-seat:{id}:{sequence}:{}", person.id),
                )
            }));
            emails
        };
        let (stored, _, events) = self
            .db()
            .update_workshop(id, current.sequence, &valid, self.now(), letters)
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => WorkshopError::Changed,
                other => other.into(),
            })?;
        self.after_commit(&events, true);
        Ok(stored)
    }

    /// Cancels a workshop: its calendar event is cancelled (METHOD:CANCEL) for the
    /// invited and whoever answered.
    pub async fn cancel_workshop(
        &self,
        actor: &Actor,
        id: WorkshopId,
    ) -> Result<Workshop, WorkshopError> {
        let (current, plan) = self.workshop_for(actor, id, Action::Delete).await?;
        if current.is_cancelled() {
            return Err(WorkshopError::Cancelled);
        }
        let mut cancelled = current.clone();
        cancelled.sequence += 1;
        cancelled.status = workshop::WorkshopStatus::Cancelled;
        let mailing = self.mailing(&plan, &cancelled).await?;
        let emails: Vec<_> = self
            .told_of_changes(&current)
            .await?
            .values()
            .map(|person| {
                mailing.letter(
                    person,
                    Email::WorkshopCancelled {
                        event: mailing.event.clone(),
                    },
                    format!("workshop-cancel:{id}:{}", person.id),
                )
            })
            .collect();
        let (stored, events) = self
            .db()
            .cancel_workshop(id, current.sequence, self.now(), &emails)
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => WorkshopError::Changed,
                other => other.into(),
            })?;
        self.after_commit(&events, !emails.is_empty());
        Ok(stored)
    }

    /// A plan's workshops the actor may see, by start time.
    pub async fn workshops_of_plan(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Vec<Workshop>, WorkshopError> {
        let plan = self.plan_of(plan).await?;
        let visible: Vec<_> = self
            .db()
            .workshops_of_plan(plan.id)
            .await?
            .into_iter()
            .filter(|w| {
                can_on_workshop(actor, Action::Read, w.municipality_id, w.plan_id, &w.groups)
            })
            .collect();
        // A plan nobody may read, without a workshop the actor sees, is not found.
        if visible.is_empty()
            && !can(
                actor,
                Action::Read,
                crate::access::readable_plan_resource(self.db(), &plan).await?,
            )
        {
            return Err(WorkshopError::PlanNotFound);
        }
        Ok(visible)
    }

    /// The plan's timeline for the actor: its milestones and the workshops they
    /// may see, by date (a milestone before a workshop on the same day).
    pub async fn plan_timeline(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Vec<TimelineEntry>, WorkshopError> {
        let workshops = self.workshops_of_plan(actor, plan).await?;
        let mut entries: Vec<_> = self
            .db()
            .milestones_of(plan)
            .await?
            .into_iter()
            .map(TimelineEntry::Milestone)
            .chain(
                workshops
                    .into_iter()
                    .map(|w| TimelineEntry::Workshop(Box::new(w))),
            )
            .collect();
        entries.sort_by_key(|e| (e.date(), matches!(e, TimelineEntry::Workshop(_))));
        Ok(entries)
    }

    /// What the form for a new or changed workshop of a plan offers, for its planners.
    pub async fn workshop_form(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<WorkshopFormOptions, WorkshopError> {
        let plan = self.plan_of(plan).await?;
        if !can_on_workshop(actor, Action::Create, plan.municipality_id, plan.id, &[]) {
            return Err(WorkshopError::PlanNotFound);
        }
        let db = self.db();
        let mut documents = Vec::new();
        for document in db.documents_of(plan.id).await? {
            let sections = match db.latest_version(document.id).await {
                Ok(version) => db.sections_of(version.id).await?,
                Err(DbError::NotFound) => Vec::new(),
                Err(e) => return Err(e.into()),
            };
            documents.push((document, sections));
        }
        Ok(WorkshopFormOptions {
            groups: db.groups_of_plan(plan.id).await?,
            plan,
            documents,
        })
    }

    /// One workshop the actor may see.
    pub async fn workshop(&self, actor: &Actor, id: WorkshopId) -> Result<Workshop, WorkshopError> {
        Ok(self.workshop_for(actor, id, Action::Read).await?.0)
    }

    /// The workshop as a calendar event, for those who may see it.
    pub async fn workshop_event(
        &self,
        actor: &Actor,
        id: WorkshopId,
    ) -> Result<(Workshop, WorkshopEvent), WorkshopError> {
        let (workshop, plan) = self.workshop_for(actor, id, Action::Read).await?;
        let mailing = self.mailing(&plan, &workshop).await?;
        let mut event = mailing.event;
        // An invited member's copy names them as the attendee, with their answer.
        if let Some(person) = actor.person {
            let invited = can_on_workshop(
                actor,
                Action::Comment,
                plan.municipality_id,
                plan.id,
                &workshop.groups,
            );
            let answer = mailing.answers.get(&person).copied();
            if invited || answer.is_some() {
                let person = self.db().person(person).await?;
                if !person.email.is_empty() {
                    event.attendee = Some(workshop::attendee(&person, answer));
                }
            }
        }
        Ok((workshop, event))
    }

    /// Everything the workshop's page shows the actor.
    pub async fn workshop_page(
        &self,
        actor: &Actor,
        id: WorkshopId,
    ) -> Result<WorkshopPage, WorkshopError> {
        let (workshop, plan) = self.workshop_for(actor, id, Action::Read).await?;
        let db = self.db();
        let mut groups = Vec::new();
        for group in &workshop.groups {
            groups.push(db.group(*group).await?);
        }
        let mut agenda_sections = Vec::new();
        let mut titles: HashMap<domain::DocumentVersionId, String> = HashMap::new();
        for item in &workshop.agenda {
            let mut sections = Vec::new();
            for id in &item.sections {
                let Ok(section) = db.section(*id).await else {
                    continue;
                };
                let title = match titles.get(&section.version_id) {
                    Some(t) => t.clone(),
                    None => {
                        let version = db.document_version(section.version_id).await?;
                        let title = db.document(version.document_id).await?.title;
                        titles.insert(section.version_id, title.clone());
                        title
                    }
                };
                sections.push(AgendaSection {
                    document_title: title,
                    section,
                });
            }
            agenda_sections.push(sections);
        }
        let mut readings = Vec::new();
        for document in &workshop.readings {
            readings.push(db.document(*document).await?);
        }
        let registrations = db.workshop_registrations(workshop.id).await?;
        let mine = actor
            .person
            .and_then(|p| registrations.iter().find(|r| r.person_id == p).cloned());
        let invited = can_on_workshop(
            actor,
            Action::Comment,
            workshop.municipality_id,
            workshop.plan_id,
            &workshop.groups,
        ) && actor.person.is_some();
        let manages = can_on_workshop(
            actor,
            Action::ManageMembers,
            workshop.municipality_id,
            workshop.plan_id,
            &workshop.groups,
        );
        let now = self.now();
        let mut turnout = Turnout::default();
        let mut registrants = Vec::new();
        if manages {
            let invitees = self.members_of(&workshop.groups).await?;
            for registration in &registrations {
                match (registration.answer, registration.seat) {
                    (Answer::Yes, Seat::Waiting) => turnout.waiting += 1,
                    (Answer::Yes, _) => turnout.yes += 1,
                    (Answer::Maybe, _) => turnout.maybe += 1,
                    (Answer::No, _) => turnout.no += 1,
                }
                if registration.attended == Some(true) {
                    turnout.attended += 1;
                }
                let person = match invitees.get(&registration.person_id) {
                    Some(p) => p.clone(),
                    None => db.person(registration.person_id).await?,
                };
                registrants.push(Registrant {
                    registration: registration.clone(),
                    person,
                });
            }
            turnout.unanswered = invitees
                .keys()
                .filter(|p| !registrations.iter().any(|r| r.person_id == **p))
                .count();
        }
        Ok(WorkshopPage {
            may_answer: invited && workshop.takes_registrations(now),
            attendance_open: attendance_open(&workshop, now),
            workshop,
            plan,
            groups,
            agenda_sections,
            readings,
            mine,
            invited,
            manages,
            registrants,
            turnout,
        })
    }

    /// Records the actor's answer to a workshop's invitation, with what they need.
    /// A yes past capacity goes to the waiting list (not an error); a seat given up
    /// goes to the first who waits, who is told. Refused after the start, for a
    /// cancelled workshop and for anyone not invited; nothing is stored then.
    pub async fn answer_workshop(
        &self,
        actor: &Actor,
        id: WorkshopId,
        answer: &str,
        needs: &Needs,
    ) -> Result<Registration, WorkshopError> {
        let (workshop, plan) = self.workshop_for(actor, id, Action::Read).await?;
        let answer = Answer::parse(answer.trim()).ok_or(WorkshopError::UnknownAnswer)?;
        let Some(person) = actor.person else {
            return Err(WorkshopError::NotInvited);
        };
        if !can_on_workshop(
            actor,
            Action::Comment,
            workshop.municipality_id,
            workshop.plan_id,
            &workshop.groups,
        ) {
            return Err(WorkshopError::NotInvited);
        }
        if workshop.is_cancelled() {
            return Err(WorkshopError::Cancelled);
        }
        if !workshop.takes_registrations(self.now()) {
            return Err(WorkshopError::RegistrationClosed);
        }
        let needs = needs.validated()?;
        let mailing = self.mailing(&plan, &workshop).await?;
        // Those who might get a seat: everyone who waits now.
        let mut waiting = HashMap::new();
        for r in self.db().workshop_registrations(id).await? {
            if r.seat == Seat::Waiting {
                waiting.insert(r.person_id, self.db().person(r.person_id).await?);
            }
        }
        let letters = |outcome: &AnswerOutcome| {
            outcome
                .promoted
                .iter()
                .filter_map(|p| waiting.get(p))
                .map(|person| {
                    mailing.letter(
                        person,
                        Email::WorkshopSeat {
                            event: mailing.event.clone(),
                        },
                        format!(
                            "workshop-seat:{id}:{}:{}",
                            outcome.registration.answered_at.as_microsecond(),
                            person.id
                        ),
                    )
                })
                .collect()
        };
        let outcome = self
            .db()
            .answer_workshop(
                id,
                person,
                answer,
                &needs,
                workshop.capacity,
                self.now(),
                letters,
            )
            .await?;
        self.after_commit(&[], !outcome.promoted.is_empty());
        Ok(outcome.registration)
    }

    /// Records whether a registered person came, from the day of the workshop.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        id: WorkshopId,
        person: PersonId,
        attended: bool,
    ) -> Result<(), WorkshopError> {
        let (workshop, _) = self.workshop_for(actor, id, Action::ManageMembers).await?;
        if !attendance_open(&workshop, self.now()) {
            return Err(WorkshopError::AttendanceTooEarly);
        }
        if self
            .db()
            .set_workshop_attendance(id, person, attended)
            .await?
        {
            Ok(())
        } else {
            Err(WorkshopError::NotRegistered)
        }
    }

    /// The registrations of a workshop with their people, for its planners.
    pub async fn workshop_registrations(
        &self,
        actor: &Actor,
        id: WorkshopId,
    ) -> Result<Vec<Registrant>, WorkshopError> {
        self.workshop_for(actor, id, Action::ManageMembers).await?;
        Ok(self.workshop_page(actor, id).await?.registrants)
    }

    /// A group the actor may see, with its plan and as the policy sees it; others
    /// (and unknown ones) are not found.
    async fn readable_group(
        &self,
        actor: &Actor,
        id: GroupId,
    ) -> Result<(Group, Plan, domain::policy::Resource), WorkshopError> {
        let group = self
            .db()
            .group(id)
            .await
            .map_err(missing(WorkshopError::GroupNotFound))?;
        let plan = self.plan_of(group.plan_id).await?;
        let resource = crate::access::group_resource(&plan, &group);
        if !can(actor, Action::Read, resource) {
            return Err(WorkshopError::GroupNotFound);
        }
        Ok((group, plan, resource))
    }

    /// A group's page: its purpose, members (names and organisations), meetings,
    /// the documents it is asked to read and the actor's answers. For the group's
    /// members and the plan's planners and staff; others find nothing.
    pub async fn group_page(&self, actor: &Actor, id: GroupId) -> Result<GroupPage, WorkshopError> {
        let db = self.db();
        let (group, plan, resource) = self.readable_group(actor, id).await?;
        let manages = can(actor, Action::ManageMembers, resource);
        let mut members = db.members(group.id).await?;
        for member in &mut members {
            member.person.email.clear();
        }
        members.retain(|m| !m.person.name.is_empty());
        let workshops = db.workshops_of_group(group.id).await?;
        let mut readings: Vec<Document> = Vec::new();
        for document in workshops.iter().flat_map(|w| w.readings.iter()) {
            if !readings.iter().any(|d| d.id == *document) {
                readings.push(db.document(*document).await?);
            }
        }
        let mut answers = HashMap::new();
        if let Some(person) = actor.person {
            for w in &workshops {
                if let Some(r) = db
                    .workshop_registrations(w.id)
                    .await?
                    .into_iter()
                    .find(|r| r.person_id == person)
                {
                    answers.insert(w.id, r);
                }
            }
        }
        let inputs = self.group_inputs(&group, &plan, &workshops).await?;
        Ok(GroupPage {
            purpose: db.group_purpose(group.id).await?,
            group,
            plan,
            members,
            workshops,
            readings,
            answers,
            manages,
            inputs,
        })
    }

    /// The inputs of the plan's register that came from the group.
    async fn group_inputs(
        &self,
        group: &Group,
        plan: &Plan,
        workshops: &[Workshop],
    ) -> Result<Vec<domain::assessment::RegisteredInput>, WorkshopError> {
        use domain::assessment::InputContent;
        let db = self.db();
        let memberships = db.members(group.id).await?;
        let people: Vec<PersonId> = memberships.iter().map(|m| m.person.id).collect();
        let organisations: Vec<domain::OrganisationId> = memberships
            .iter()
            .filter_map(|m| m.membership.organisation_id)
            .collect();
        let rows = db
            .register_page(
                plan.id,
                &db::RegisterFilter {
                    limit: 10_000,
                    ..Default::default()
                },
            )
            .await?;
        let inputs = db.registered_inputs(rows).await?;
        Ok(inputs
            .into_iter()
            .filter(|input| match &input.content {
                InputContent::Comment { comment, .. } => {
                    comment.status.is_public()
                        && comment.person_id.is_some_and(|p| people.contains(&p))
                }
                InputContent::Response(response) => response
                    .organisation_id
                    .is_some_and(|o| organisations.contains(&o)),
                InputContent::WorkshopNote(note) => {
                    workshops.iter().any(|w| w.id == note.workshop_id)
                }
                InputContent::Letter(_) => false,
            })
            .collect())
    }

    /// A document the group is asked to read before one of its workshops, for the
    /// group's members (and the plan's planners and staff), even while it is a draft
    /// no hearing shows. Not found for anyone else, and for any other document.
    pub async fn group_reading(
        &self,
        actor: &Actor,
        id: GroupId,
        document: domain::DocumentId,
    ) -> Result<GroupReading, WorkshopError> {
        let db = self.db();
        let (group, plan, _) = self.readable_group(actor, id).await?;
        let asked = db
            .workshops_of_group(group.id)
            .await?
            .iter()
            .any(|w| w.readings.contains(&document));
        let resource = domain::policy::Resource::Reading {
            municipality: plan.municipality_id,
            plan: plan.id,
            group: group.id,
        };
        if !asked || !can(actor, Action::Read, resource) {
            return Err(WorkshopError::UnknownDocument);
        }
        let document = db.document(document).await?;
        let version = db.latest_version(document.id).await?;
        let sections = db.sections_of(version.id).await?;
        Ok(GroupReading {
            group,
            plan,
            document,
            sections,
        })
    }

    /// Writes a group's purpose, shown on its page.
    pub async fn set_group_purpose(
        &self,
        actor: &Actor,
        id: GroupId,
        purpose: &str,
    ) -> Result<(), WorkshopError> {
        let db = self.db();
        let (group, _, resource) = self.readable_group(actor, id).await?;
        if !can(actor, Action::Edit, resource) {
            return Err(WorkshopError::Forbidden);
        }
        let purpose = if purpose.trim().is_empty() {
            String::new()
        } else {
            domain::validate::text("purpose", purpose, workshop::MAX_PURPOSE_CHARS)?
        };
        db.set_group_purpose(group.id, &purpose).await?;
        Ok(())
    }
}

/// A checked draft as the workshop it becomes at `sequence`, for its letters.
fn as_stored(id: WorkshopId, plan: &Plan, valid: &ValidWorkshop, sequence: u32) -> Workshop {
    Workshop {
        id,
        municipality_id: plan.municipality_id,
        plan_id: plan.id,
        title: valid.title.clone(),
        purpose: valid.purpose.clone(),
        starts_at: valid.starts_at,
        ends_at: valid.ends_at,
        place: valid.place.clone(),
        online_link: valid.online_link.clone(),
        capacity: valid.capacity,
        reminder_hours: valid.reminder_hours,
        status: workshop::WorkshopStatus::Scheduled,
        sequence,
        groups: valid.groups.clone(),
        agenda: valid
            .agenda
            .iter()
            .enumerate()
            .map(|(i, item)| workshop::AgendaItem {
                id: domain::AgendaItemId::new(),
                position: u32::try_from(i + 1).unwrap_or(u32::MAX),
                title: item.title.clone(),
                sections: item.sections.clone(),
                minutes: item.minutes,
                stages: item.stages.clone(),
            })
            .collect(),
        readings: valid.readings.clone(),
    }
}

/// Attendance is recorded from the workshop's day (in Norway) on.
fn attendance_open(workshop: &Workshop, now: jiff::Timestamp) -> bool {
    let oslo = domain::deadline::oslo();
    !workshop.is_cancelled()
        && now.to_zoned(oslo.clone()).date() >= workshop.starts_at.to_zoned(oslo).date()
}
