//! Reading hearings: the public hearing page with everything it shows, the planner's
//! view of one hearing, and the lists on the front page, a municipality's page and
//! the feeds.

use super::HearingError;
use crate::Consultation;
use crate::access::hearing_resource;
use crate::moderation::ModerationOverview;
use db::{DbError, EarlierComment};
use domain::hearing::{Comment, Hearing, HearingChange};
use domain::moderation::Revision;
use domain::plan::Municipality;
use domain::plan::{Document, DocumentVersion, Milestone, Plan};
use domain::policy::{Action, Actor, can};
use domain::room::Room;
use domain::{CommentId, HearingId};
use std::collections::{HashMap, HashSet};

/// Everything the public hearing page shows, as the reader may see it.
pub struct HearingPage {
    pub hearing: Hearing,
    pub plan: Plan,
    pub municipality: Municipality,
    pub milestones: Vec<Milestone>,
    pub document: Document,
    /// The number of the version the hearing is on.
    pub version_number: i32,
    /// The sections of that version as readers see them (kept per version).
    pub sections: crate::version_cache::RenderedVersion,
    /// The hearing's comments (deleted and hidden ones too, shown as such).
    pub comments: Vec<Comment>,
    /// The comments the reader supports.
    pub supported: HashSet<CommentId>,
    /// The earlier texts of edited public comments.
    pub revisions: HashMap<CommentId, Vec<Revision>>,
    /// The reader's own input waiting for screening: shown to them alone.
    pub awaiting: Vec<Comment>,
    /// The published assessments of the hearing's comments.
    pub assessments: HashMap<CommentId, domain::assessment::PublishedAssessment>,
    /// Comments on earlier versions of the document, from hearings the reader may read.
    pub earlier: Vec<EarlierComment>,
    /// When and why the hearing was closed before its deadline.
    pub early_close: Option<HearingChange>,
    /// Where the document's live room stands, for the page's websocket to resume from.
    pub last_seq: i64,
}

/// Everything the planner's page of one hearing shows.
pub struct PlannerHearing {
    pub plan: Plan,
    pub changes: Vec<HearingChange>,
    /// Its comments, responses and the sections they are on.
    pub inputs: super::HearingInputs,
    pub moderation: ModerationOverview,
    /// For a draft: the plan's documents with their versions, newest first, any of
    /// which the hearing may be moved to.
    pub draft_versions: Vec<(Document, Vec<DocumentVersion>)>,
    /// Where the hearing's live room stands.
    pub last_seq: i64,
}

impl Consultation {
    /// The public hearing page for this reader; unknown and hidden hearings are
    /// [`HearingError::NotFound`].
    pub async fn hearing_page(
        &self,
        actor: &Actor,
        id: HearingId,
    ) -> Result<HearingPage, HearingError> {
        let hearing = self.visible_hearing(actor, id).await?;
        let db = self.db();
        // What depends only on the hearing, at once (on SQLite from the pool of
        // readers beside the writer).
        let (version, plan, comments, supported, awaiting, municipality, milestones, early_close) =
            tokio::try_join!(
                db.document_version(hearing.document_version_id),
                db.plan(hearing.plan_id),
                db.comments_of_hearing(hearing.id),
                async {
                    match actor.person {
                        Some(person) => db.supported_by(hearing.id, person).await,
                        None => Ok(HashSet::new()),
                    }
                },
                async {
                    match actor.person {
                        Some(person) => db.own_screening(hearing.id, person).await,
                        None => Ok(Vec::new()),
                    }
                },
                db.municipality(hearing.municipality_id),
                db.milestones_of(hearing.plan_id),
                self.early_close(&hearing),
            )?;
        let edited: Vec<CommentId> = comments
            .iter()
            .filter(|c| c.edited_at.is_some() && c.status.is_public())
            .map(|c| c.id)
            .collect();
        let public: Vec<uuid::Uuid> = comments
            .iter()
            .filter(|c| c.status.is_public())
            .map(|c| c.id.0)
            .collect();
        // Then what depends on the version or the comments, at once too.
        let (document, sections, revisions, assessments, last_seq, earlier) = tokio::try_join!(
            db.document(version.document_id),
            self.rendered_sections(version.id),
            async {
                if edited.is_empty() {
                    Ok(HashMap::new())
                } else {
                    db.comment_revisions_of(&edited).await
                }
            },
            db.published_assessments(&public),
            db.last_seq(Room::Document(version.document_id)),
            self.visible_earlier_comments(actor, version.document_id, version.number),
        )?;
        let assessments = assessments
            .into_iter()
            .map(|(id, a)| (CommentId(id), a))
            .collect();
        Ok(HearingPage {
            hearing,
            plan,
            municipality,
            milestones,
            document,
            version_number: version.number,
            sections,
            comments,
            supported,
            revisions,
            awaiting,
            assessments,
            earlier,
            early_close,
            last_seq,
        })
    }

    /// Comments on versions before `version` of a document, from hearings the reader
    /// may read.
    async fn visible_earlier_comments(
        &self,
        actor: &Actor,
        document: domain::DocumentId,
        version: i32,
    ) -> Result<Vec<EarlierComment>, DbError> {
        let db = self.db();
        let mut earlier = db.earlier_comments(document, version).await?;
        let mut hearings: Vec<HearingId> = earlier.iter().map(|e| e.comment.hearing_id).collect();
        hearings.sort_unstable();
        hearings.dedup();
        let mut visible = Vec::new();
        for id in hearings {
            let hearing = db.hearing(id).await?;
            if can(actor, Action::Read, hearing_resource(&hearing)) {
                visible.push(id);
            }
        }
        earlier.retain(|e| visible.contains(&e.comment.hearing_id));
        Ok(earlier)
    }

    /// The planner's page of a hearing the actor plans; others look unknown.
    pub async fn planner_hearing(
        &self,
        actor: &Actor,
        hearing: &Hearing,
    ) -> Result<PlannerHearing, HearingError> {
        if !can(actor, Action::Edit, hearing_resource(hearing)) {
            return Err(HearingError::NotFound);
        }
        let db = self.db();
        let mut draft_versions = Vec::new();
        if hearing.state == domain::hearing::HearingState::Draft {
            for document in db.documents_of(hearing.plan_id).await? {
                let mut versions = db.versions_of(document.id).await?;
                versions.reverse();
                draft_versions.push((document, versions));
            }
        }
        Ok(PlannerHearing {
            plan: db.plan(hearing.plan_id).await?,
            changes: db.hearing_changes(hearing.id).await?,
            inputs: self.hearing_inputs(actor, hearing).await?,
            moderation: self.moderation_overview(hearing.id).await?,
            draft_versions,
            last_seq: db.last_seq(Room::Hearing(hearing.id)).await?,
        })
    }

    /// Every published hearing (not drafts), for the front page and the feed.
    pub async fn published_hearings(&self) -> Result<Vec<Hearing>, DbError> {
        self.db().published_hearings(None).await
    }

    /// The municipalities that use Samråd, for the front page.
    pub async fn municipalities(&self) -> Result<Vec<Municipality>, DbError> {
        self.db().municipalities().await
    }

    /// A municipality by its short name with its published hearings; `None` for no
    /// such municipality.
    pub async fn municipality_with_hearings(
        &self,
        slug: &str,
    ) -> Result<Option<(Municipality, Vec<Hearing>)>, DbError> {
        match self.db().municipality_by_slug(slug).await? {
            Some(municipality) => {
                let hearings = self.db().published_hearings(Some(municipality.id)).await?;
                Ok(Some((municipality, hearings)))
            }
            None => Ok(None),
        }
    }

    /// The hearings open for input now, everywhere (a person's page offers them).
    pub async fn open_hearings(&self) -> Result<Vec<Hearing>, DbError> {
        self.db().open_hearings().await
    }
}
