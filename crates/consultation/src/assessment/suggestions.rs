//! Suggestions for a hearing's planners, computed in the process by the `analysis`
//! crate (no text leaves the server): groups of near-copies and campaign letters
//! with their shared text and each member's differences, suggested themes beside the
//! plan's own themes (which count as accepted), and a summary of each section and of
//! each of the plan's themes by sentences taken from the inputs.
//!
//! They are computed in the background ([`Consultation::compute_suggestions`], run
//! by the server's task when asked for or when inputs arrive) and stored with a state
//! — suggested, accepted or dropped — and a history line for every step, with who
//! and when. A recomputation replaces only what is still a suggestion: an accepted
//! group, theme or summary is never changed by it; new inputs that fit an accepted
//! group or theme come as a suggestion to add them. Nothing here is shown to anyone
//! but the plan's planners, and only an accepted suggestion is used: an accepted
//! group's assessment goes through the register's bulk assessment, an accepted
//! theme becomes one of the plan's themes, and only approved summaries reach the
//! report.

use super::{AssessmentError, BulkAssessmentCommand};
use crate::Consultation;
use db::{DbError, NewSuggestion, StoredSuggestion, SuggestionWrite};
use domain::assessment::RegisteredInput;
use domain::hearing::Hearing;
use domain::plan::{Plan, Section};
use domain::policy::Actor;
use domain::{HearingId, InputId, SectionId, ThemeId};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// An input a suggestion names: its id and its number in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestedInput {
    pub id: InputId,
    pub number: i32,
}

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionState {
    Suggested,
    Accepted,
    Dropped,
}

impl SuggestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Suggested => "suggested",
            SuggestionState::Accepted => "accepted",
            SuggestionState::Dropped => "dropped",
        }
    }

    fn parse(s: &str) -> Result<SuggestionState, DbError> {
        match s {
            "suggested" => Ok(SuggestionState::Suggested),
            "accepted" => Ok(SuggestionState::Accepted),
            "dropped" => Ok(SuggestionState::Dropped),
            other => Err(DbError::Corrupt(format!("suggestion state {other}"))),
        }
    }
}

/// What every stored suggestion carries: its id, state, and who decided and when.
#[derive(Debug, Clone)]
pub struct SuggestionMark {
    pub id: Uuid,
    pub state: SuggestionState,
    pub computed_at: jiff::Timestamp,
    pub decided_by: Option<String>,
    pub decided_at: Option<jiff::Timestamp>,
}

/// A group of near-copies.
#[derive(Debug, Clone)]
pub struct SuggestedGroup {
    pub mark: SuggestionMark,
    pub members: Vec<SuggestedInput>,
    /// The sentences at least half of the members contain.
    pub shared: Vec<String>,
    /// Members that differ from the shared text: what they add and lack.
    pub differences: Vec<MemberDifference>,
    /// For new inputs that fit an accepted group: that group.
    pub joins: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct MemberDifference {
    pub input: SuggestedInput,
    pub added: Vec<String>,
    pub missing: Vec<String>,
}

/// A suggested theme (or new inputs for one of the plan's themes).
#[derive(Debug, Clone)]
pub struct SuggestedTheme {
    pub mark: SuggestionMark,
    pub name: String,
    pub terms: Vec<String>,
    pub members: Vec<SuggestedInput>,
    /// The plan's theme it became (accepted) or that its inputs would join.
    pub theme: Option<ThemeId>,
}

/// What a summary is about.
#[derive(Debug, Clone)]
pub enum SummarySubject {
    Section(Section),
    NoSection,
    Theme { id: ThemeId, name: String },
}

/// The summary of the inputs to one section (or to none), or of one theme.
#[derive(Debug, Clone)]
pub struct SectionSummary {
    pub mark: SuggestionMark,
    pub subject: SummarySubject,
    pub inputs: usize,
    pub points: Vec<SummaryPoint>,
}

/// One sentence of a summary, as an input wrote it.
#[derive(Debug, Clone)]
pub struct SummaryPoint {
    pub text: String,
    pub input: SuggestedInput,
    /// How many inputs make the same point.
    pub shared_by: usize,
}

/// One step in the history of a hearing's suggestions.
#[derive(Debug, Clone)]
pub struct SuggestionStep {
    pub suggestion: Uuid,
    pub kind: String,
    pub name: String,
    pub action: String,
    /// `None` for the computation.
    pub who: Option<String>,
    pub detail: String,
    pub at: jiff::Timestamp,
}

#[derive(Debug, Clone)]
pub struct HearingSuggestions {
    pub plan: Plan,
    pub hearing: Hearing,
    pub inputs: usize,
    /// When the suggestions were last computed (`None`: never).
    pub computed_at: Option<jiff::Timestamp>,
    /// A computation is asked for and not done yet.
    pub pending: bool,
    pub groups: Vec<SuggestedGroup>,
    pub themes: Vec<SuggestedTheme>,
    pub summaries: Vec<SectionSummary>,
    pub history: Vec<SuggestionStep>,
}

/// An approved summary, as the report shows it.
#[derive(Debug, Clone)]
pub struct ApprovedSummary {
    pub subject: SummarySubject,
    pub points: Vec<SummaryPoint>,
    pub approved_by: String,
    pub approved_at: jiff::Timestamp,
}

/// A planner's decision on a suggestion.
#[derive(Debug, Clone)]
pub enum SuggestionDecision {
    /// A group: one assessment for the members kept, as a draft (the register's
    /// bulk assessment); the others are dropped from the group.
    AcceptGroup {
        members: Vec<InputId>,
        summary: String,
        outcome: String,
        response: String,
    },
    /// A group: these members go to a group of their own (still a suggestion).
    SplitGroup {
        members: Vec<InputId>,
    },
    /// A group or theme: these members are taken out.
    DropMembers {
        members: Vec<InputId>,
    },
    /// A theme: becomes one of the plan's themes under this name, for the members kept.
    AcceptTheme {
        name: String,
        members: Vec<InputId>,
    },
    RenameTheme {
        name: String,
    },
    /// A theme: merged into another suggested theme (its members join that one).
    MergeTheme {
        into: Uuid,
    },
    /// A summary: approved for the report (replacing an earlier approved one).
    ApproveSummary,
    /// Any suggestion: not wanted.
    Drop,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct GroupBody {
    members: Vec<InputId>,
    #[serde(default)]
    shared: Vec<String>,
    #[serde(default)]
    differences: Vec<DifferenceBody>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DifferenceBody {
    input: InputId,
    added: Vec<String>,
    missing: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ThemeBody {
    terms: Vec<String>,
    members: Vec<InputId>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct SummaryBody {
    inputs: usize,
    points: Vec<PointBody>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct PointBody {
    text: String,
    input: InputId,
    shared_by: usize,
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn body<T: for<'a> Deserialize<'a>>(s: &StoredSuggestion) -> Result<T, AssessmentError> {
    serde_json::from_str(&s.body)
        .map_err(|e| AssessmentError::Db(DbError::Corrupt(format!("suggestion body: {e}"))))
}

fn mark(s: &StoredSuggestion) -> Result<SuggestionMark, AssessmentError> {
    Ok(SuggestionMark {
        id: s.id,
        state: SuggestionState::parse(&s.state)?,
        computed_at: s.computed_at,
        decided_by: s.decided_by.clone(),
        decided_at: s.decided_at,
    })
}

fn ids_text(ids: &[InputId], numbers: &HashMap<InputId, i32>) -> String {
    let mut n: Vec<i32> = ids.iter().filter_map(|i| numbers.get(i).copied()).collect();
    n.sort_unstable();
    n.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}

/// What one computation found, before it is compared with what planners decided.
struct Computed {
    groups: Vec<(GroupBody, Option<Uuid>)>,
    themes: Vec<(String, ThemeBody, Option<ThemeId>)>,
    summaries: Vec<(String, String, SummaryBody)>,
}

impl Consultation {
    /// Asks for a hearing's suggestions to be computed in the background.
    pub async fn request_suggestions(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
    ) -> Result<(), AssessmentError> {
        let (hearing, _) = self.suggestions_hearing(actor, hearing_id).await?;
        self.db()
            .request_suggestions(hearing.id, self.now())
            .await?;
        self.inner_suggestions_wake().notify_one();
        Ok(())
    }

    /// Computes the suggestions of every hearing that is due (asked for, or with
    /// inputs newer than its last computation); returns how many were computed. The
    /// server's background task calls this; a failure of one hearing is logged and
    /// the others go on.
    pub async fn compute_due_suggestions(&self) -> Result<usize, AssessmentError> {
        let due = self.db().suggestion_runs_due().await?;
        let mut done = 0;
        for hearing in due {
            match self.compute_suggestions(hearing).await {
                Ok(()) => done += 1,
                Err(err) => {
                    tracing::warn!(hearing = %hearing.0, error = %err, "could not compute suggestions");
                }
            }
        }
        Ok(done)
    }

    /// Computes a hearing's suggestions and stores them beside what planners
    /// decided before (which stays as it is).
    pub async fn compute_suggestions(&self, hearing_id: HearingId) -> Result<(), AssessmentError> {
        let started = self.now();
        let hearing = match self.db().hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(AssessmentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let inputs = self.case_file_inputs(entries).await?;
        let themes = self.db().themes_of_plan(hearing.plan_id).await?;
        let sections = self.db().sections_of(hearing.document_version_id).await?;
        let stored = self.db().suggestions_of_hearing(hearing.id).await?;
        let count = inputs.len();
        // The analysis is processor work: off the async threads.
        let computed = tokio::task::spawn_blocking(move || {
            let computed = compute(&inputs, &themes, &sections);
            merge(computed, &stored)
        })
        .await
        .map_err(|e| AssessmentError::Db(DbError::Other(e.to_string())))??;
        self.db()
            .store_computed_suggestions(
                hearing.id,
                computed,
                i32::try_from(count).unwrap_or(i32::MAX),
                started,
            )
            .await?;
        metrics::counter!("samrad_suggestion_runs_total").increment(1);
        Ok(())
    }

    async fn suggestions_hearing(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
    ) -> Result<(Hearing, Plan), AssessmentError> {
        let hearing = match self.db().hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(AssessmentError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = match self.assessed_plan(actor, hearing.plan_id).await {
            Err(AssessmentError::PlanNotFound) => return Err(AssessmentError::HearingNotFound),
            other => other?,
        };
        Ok((hearing, plan))
    }

    /// The stored suggestions of a hearing, with their states and history, for the
    /// plan's planners. Reading computes nothing.
    pub async fn hearing_suggestions(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
    ) -> Result<HearingSuggestions, AssessmentError> {
        let (hearing, plan) = self.suggestions_hearing(actor, hearing_id).await?;
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let numbers: HashMap<InputId, i32> = entries.iter().map(|e| (e.id, e.number)).collect();
        let run = self.db().suggestion_run(hearing.id).await?;
        let stored = self.db().suggestions_of_hearing(hearing.id).await?;
        let themes = self.db().themes_of_plan(plan.id).await?;
        let sections = self.db().sections_of(hearing.document_version_id).await?;
        let named = |id: &InputId| {
            numbers.get(id).map(|n| SuggestedInput {
                id: *id,
                number: *n,
            })
        };
        let mut groups = Vec::new();
        let mut suggested_themes = Vec::new();
        let mut summaries = Vec::new();
        for s in &stored {
            match s.kind.as_str() {
                "group" => {
                    let b: GroupBody = body(s)?;
                    groups.push(SuggestedGroup {
                        mark: mark(s)?,
                        members: b.members.iter().filter_map(named).collect(),
                        shared: b.shared,
                        differences: b
                            .differences
                            .into_iter()
                            .filter_map(|d| {
                                Some(MemberDifference {
                                    input: named(&d.input)?,
                                    added: d.added,
                                    missing: d.missing,
                                })
                            })
                            .collect(),
                        joins: s
                            .subject
                            .strip_prefix("joins:")
                            .and_then(|x| x.parse().ok()),
                    });
                }
                "theme" => {
                    let b: ThemeBody = body(s)?;
                    suggested_themes.push(SuggestedTheme {
                        mark: mark(s)?,
                        name: s.name.clone(),
                        terms: b.terms,
                        members: b.members.iter().filter_map(named).collect(),
                        theme: s
                            .subject
                            .strip_prefix("theme:")
                            .and_then(|x| x.parse().ok())
                            .map(ThemeId),
                    });
                }
                "summary" => {
                    let Some(subject) = subject_of(&s.subject, &sections, &themes) else {
                        continue;
                    };
                    let b: SummaryBody = body(s)?;
                    summaries.push(SectionSummary {
                        mark: mark(s)?,
                        subject,
                        inputs: b.inputs,
                        points: b
                            .points
                            .into_iter()
                            .filter_map(|p| {
                                Some(SummaryPoint {
                                    input: named(&p.input)?,
                                    text: p.text,
                                    shared_by: p.shared_by,
                                })
                            })
                            .collect(),
                    });
                }
                _ => {}
            }
        }
        let by_id: HashMap<Uuid, &StoredSuggestion> = stored.iter().map(|s| (s.id, s)).collect();
        let history = self
            .db()
            .suggestion_history(hearing.id)
            .await?
            .into_iter()
            .filter_map(|l| {
                let s = by_id.get(&l.suggestion_id)?;
                Some(SuggestionStep {
                    suggestion: l.suggestion_id,
                    kind: s.kind.clone(),
                    name: s.name.clone(),
                    action: l.action,
                    who: l.who,
                    detail: l.detail,
                    at: l.at,
                })
            })
            .collect();
        Ok(HearingSuggestions {
            plan,
            hearing,
            inputs: entries.len(),
            computed_at: run.as_ref().and_then(|r| r.computed_at),
            pending: run
                .as_ref()
                .is_some_and(|r| r.requested_at.is_some() || r.computed_at.is_none()),
            groups,
            themes: suggested_themes,
            summaries,
            history,
        })
    }

    /// The summaries of a hearing that a planner approved, for the report.
    pub(super) async fn approved_summaries(
        &self,
        hearing: &Hearing,
    ) -> Result<Vec<ApprovedSummary>, AssessmentError> {
        let stored = self.db().suggestions_of_hearing(hearing.id).await?;
        let themes = self.db().themes_of_plan(hearing.plan_id).await?;
        let sections = self.db().sections_of(hearing.document_version_id).await?;
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let numbers: HashMap<InputId, i32> = entries.iter().map(|e| (e.id, e.number)).collect();
        let mut out = Vec::new();
        for s in stored
            .iter()
            .filter(|s| s.kind == "summary" && s.state == "accepted")
        {
            let Some(subject) = subject_of(&s.subject, &sections, &themes) else {
                continue;
            };
            let b: SummaryBody = body(s)?;
            out.push(ApprovedSummary {
                subject,
                points: b
                    .points
                    .into_iter()
                    .filter_map(|p| {
                        Some(SummaryPoint {
                            input: SuggestedInput {
                                id: p.input,
                                number: *numbers.get(&p.input)?,
                            },
                            text: p.text,
                            shared_by: p.shared_by,
                        })
                    })
                    .collect(),
                approved_by: s.decided_by.clone().unwrap_or_default(),
                approved_at: s.decided_at.unwrap_or(s.computed_at),
            });
        }
        // Sections in document order, then inputs to no section, then themes by name.
        out.sort_by_key(|a| match &a.subject {
            SummarySubject::Section(s) => (0, i64::from(s.position), String::new()),
            SummarySubject::NoSection => (1, 0, String::new()),
            SummarySubject::Theme { name, .. } => (2, 0, name.to_lowercase()),
        });
        Ok(out)
    }

    /// The hearing of a suggestion the actor plans.
    pub async fn suggestion_hearing(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<HearingId, AssessmentError> {
        let s = match self.db().suggestion(id).await {
            Ok(s) => s,
            Err(DbError::NotFound) => return Err(AssessmentError::SuggestionNotFound),
            Err(e) => return Err(e.into()),
        };
        let (hearing, _) = self.suggestions_hearing(actor, s.hearing_id).await?;
        Ok(hearing.id)
    }

    /// A planner decides on a suggestion; every step lands in its history with who
    /// and when. A suggestion decided by someone else meanwhile is refused
    /// (`SuggestionChanged`) and nothing is written.
    pub async fn decide_suggestion(
        &self,
        actor: &Actor,
        who: &str,
        id: Uuid,
        decision: SuggestionDecision,
    ) -> Result<HearingId, AssessmentError> {
        let s = match self.db().suggestion(id).await {
            Ok(s) => s,
            Err(DbError::NotFound) => return Err(AssessmentError::SuggestionNotFound),
            Err(e) => return Err(e.into()),
        };
        let (hearing, plan) = match self.suggestions_hearing(actor, s.hearing_id).await {
            Err(AssessmentError::HearingNotFound) => {
                return Err(AssessmentError::SuggestionNotFound);
            }
            other => other?,
        };
        let entries = self.db().register_of_hearing(hearing.id).await?;
        let numbers: HashMap<InputId, i32> = entries.iter().map(|e| (e.id, e.number)).collect();
        let at = self.now();
        let update = |state: &str, name: &str, body: String, action: &str, detail: String| {
            SuggestionWrite::Update {
                id: s.id,
                expect_state: s.state.clone(),
                state: state.to_owned(),
                name: name.to_owned(),
                body,
                action: action.to_owned(),
                detail,
            }
        };
        let suggested = s.state == "suggested";
        let writes = match (s.kind.as_str(), decision) {
            (_, SuggestionDecision::Drop) if suggested => {
                vec![update(
                    "dropped",
                    &s.name,
                    s.body.clone(),
                    "dropped",
                    String::new(),
                )]
            }
            (
                "group",
                SuggestionDecision::AcceptGroup {
                    members,
                    summary,
                    outcome,
                    response,
                },
            ) if suggested => {
                let mut b: GroupBody = body(&s)?;
                let kept = subset(&members, &b.members)?;
                // The assessment first: a refused one leaves the suggestion as it was.
                self.bulk_assess(
                    actor,
                    who,
                    plan.id,
                    BulkAssessmentCommand {
                        inputs: kept.clone(),
                        summary,
                        outcome,
                        response,
                    },
                )
                .await?;
                let dropped: Vec<InputId> = b
                    .members
                    .iter()
                    .filter(|m| !kept.contains(m))
                    .copied()
                    .collect();
                b.members = kept.clone();
                b.differences.retain(|d| kept.contains(&d.input));
                let mut detail = ids_text(&kept, &numbers);
                if !dropped.is_empty() {
                    detail = format!("{detail} (−{})", ids_text(&dropped, &numbers));
                }
                let mut writes = Vec::new();
                match s
                    .subject
                    .strip_prefix("joins:")
                    .and_then(|x| x.parse::<Uuid>().ok())
                {
                    // New inputs for an accepted group: that group grows, and says so.
                    Some(group) => {
                        let target = self.db().suggestion(group).await?;
                        let mut tb: GroupBody = body(&target)?;
                        tb.members.extend(kept.iter().copied());
                        writes.push(SuggestionWrite::Update {
                            id: target.id,
                            expect_state: target.state.clone(),
                            state: target.state.clone(),
                            name: target.name.clone(),
                            body: json(&tb),
                            action: "joined".to_owned(),
                            detail: ids_text(&kept, &numbers),
                        });
                        writes.push(update("accepted", &s.name, json(&b), "accepted", detail));
                    }
                    None => writes.push(update("accepted", &s.name, json(&b), "accepted", detail)),
                }
                writes
            }
            ("group", SuggestionDecision::SplitGroup { members }) if suggested => {
                let mut b: GroupBody = body(&s)?;
                let split = subset(&members, &b.members)?;
                let rest: Vec<InputId> = b
                    .members
                    .iter()
                    .filter(|m| !split.contains(m))
                    .copied()
                    .collect();
                if split.len() < 2 || rest.len() < 2 {
                    return Err(AssessmentError::GroupTooSmall);
                }
                let part = GroupBody {
                    members: split.clone(),
                    shared: b.shared.clone(),
                    differences: b
                        .differences
                        .iter()
                        .filter(|d| split.contains(&d.input))
                        .cloned()
                        .collect(),
                };
                b.members = rest;
                b.differences.retain(|d| !split.contains(&d.input));
                let detail = ids_text(&split, &numbers);
                vec![
                    update("suggested", &s.name, json(&b), "split", detail.clone()),
                    SuggestionWrite::Insert {
                        hearing_id: hearing.id,
                        suggestion: NewSuggestion {
                            kind: "group".to_owned(),
                            subject: String::new(),
                            name: String::new(),
                            body: json(&part),
                        },
                        action: "split_off".to_owned(),
                        detail,
                    },
                ]
            }
            ("group", SuggestionDecision::DropMembers { members }) if suggested => {
                let mut b: GroupBody = body(&s)?;
                let out = subset(&members, &b.members)?;
                b.members.retain(|m| !out.contains(m));
                b.differences.retain(|d| !out.contains(&d.input));
                if b.members.len() < 2 {
                    return Err(AssessmentError::GroupTooSmall);
                }
                vec![update(
                    "suggested",
                    &s.name,
                    json(&b),
                    "members_dropped",
                    ids_text(&out, &numbers),
                )]
            }
            ("theme", SuggestionDecision::DropMembers { members }) if suggested => {
                let mut b: ThemeBody = body(&s)?;
                let out = subset(&members, &b.members)?;
                b.members.retain(|m| !out.contains(m));
                if b.members.is_empty() {
                    return Err(AssessmentError::NothingSelected);
                }
                vec![update(
                    "suggested",
                    &s.name,
                    json(&b),
                    "members_dropped",
                    ids_text(&out, &numbers),
                )]
            }
            ("theme", SuggestionDecision::RenameTheme { name }) if suggested => {
                let name = domain::validate::text("name", &name, 200)?;
                vec![update(
                    "suggested",
                    &name,
                    s.body.clone(),
                    "renamed",
                    format!("{} → {name}", s.name),
                )]
            }
            ("theme", SuggestionDecision::MergeTheme { into }) if suggested => {
                let target = match self.db().suggestion(into).await {
                    Ok(t)
                        if t.hearing_id == hearing.id
                            && t.kind == "theme"
                            && t.state == "suggested"
                            && t.id != s.id
                            && !t.subject.starts_with("theme:") =>
                    {
                        t
                    }
                    Ok(_) | Err(DbError::NotFound) => {
                        return Err(AssessmentError::SuggestionNotFound);
                    }
                    Err(e) => return Err(e.into()),
                };
                let b: ThemeBody = body(&s)?;
                let mut tb: ThemeBody = body(&target)?;
                for m in &b.members {
                    if !tb.members.contains(m) {
                        tb.members.push(*m);
                    }
                }
                for t in &b.terms {
                    if !tb.terms.contains(t) {
                        tb.terms.push(t.clone());
                    }
                }
                vec![
                    SuggestionWrite::Update {
                        id: target.id,
                        expect_state: "suggested".to_owned(),
                        state: "suggested".to_owned(),
                        name: target.name.clone(),
                        body: json(&tb),
                        action: "merged_in".to_owned(),
                        detail: s.name.clone(),
                    },
                    update(
                        "dropped",
                        &s.name,
                        s.body.clone(),
                        "merged",
                        target.name.clone(),
                    ),
                ]
            }
            ("theme", SuggestionDecision::AcceptTheme { name, members }) if suggested => {
                let mut b: ThemeBody = body(&s)?;
                let kept = subset(&members, &b.members)?;
                let existing = s
                    .subject
                    .strip_prefix("theme:")
                    .and_then(|x| x.parse().ok())
                    .map(ThemeId);
                let (_theme, name) = match existing {
                    // New inputs for one of the plan's themes: tagged with it.
                    Some(theme) => {
                        self.bulk_set_theme(actor, who, plan.id, &kept, theme)
                            .await?;
                        (theme, s.name.clone())
                    }
                    None => {
                        let (theme, _) = self
                            .accept_suggested_theme(actor, who, plan.id, &name, &kept)
                            .await?;
                        (theme.id, theme.name)
                    }
                };
                let dropped: Vec<InputId> = b
                    .members
                    .iter()
                    .filter(|m| !kept.contains(m))
                    .copied()
                    .collect();
                b.members = kept.clone();
                let mut detail = ids_text(&kept, &numbers);
                if !dropped.is_empty() {
                    detail = format!("{detail} (−{})", ids_text(&dropped, &numbers));
                }
                vec![SuggestionWrite::Update {
                    id: s.id,
                    expect_state: "suggested".to_owned(),
                    state: "accepted".to_owned(),
                    name,
                    body: json(&b),
                    action: "accepted".to_owned(),
                    detail,
                }]
            }
            ("summary", SuggestionDecision::ApproveSummary) if suggested => {
                let mut writes = Vec::new();
                // One approved summary per subject: the earlier one is replaced.
                for earlier in self
                    .db()
                    .suggestions_of_hearing(hearing.id)
                    .await?
                    .into_iter()
                    .filter(|e| {
                        e.kind == "summary" && e.state == "accepted" && e.subject == s.subject
                    })
                {
                    writes.push(SuggestionWrite::Update {
                        id: earlier.id,
                        expect_state: "accepted".to_owned(),
                        state: "dropped".to_owned(),
                        name: earlier.name.clone(),
                        body: earlier.body.clone(),
                        action: "replaced".to_owned(),
                        detail: String::new(),
                    });
                }
                writes.push(update(
                    "accepted",
                    &s.name,
                    s.body.clone(),
                    "approved",
                    String::new(),
                ));
                writes
            }
            _ => return Err(AssessmentError::SuggestionChanged),
        };
        match self.db().write_suggestions(writes, who, at).await {
            Ok(_) => Ok(hearing.id),
            Err(DbError::Conflict(_)) => Err(AssessmentError::SuggestionChanged),
            Err(e) => Err(e.into()),
        }
    }

    /// A planner accepts a suggested theme, perhaps renamed and without some of its
    /// inputs: it becomes a theme of the plan and tags the inputs kept (each change
    /// in the input's history, with who and when). The selection is checked before
    /// the theme is created, so a refused selection leaves no theme behind.
    pub async fn accept_suggested_theme(
        &self,
        actor: &Actor,
        who: &str,
        plan_id: domain::PlanId,
        name: &str,
        inputs: &[InputId],
    ) -> Result<(domain::assessment::Theme, super::BulkResult), AssessmentError> {
        self.selection(actor, plan_id, inputs).await?;
        let theme = self
            .change_theme(
                actor,
                plan_id,
                super::ThemeCommand::Create {
                    name: name.to_owned(),
                },
            )
            .await?;
        let tagged = self
            .bulk_set_theme(actor, who, plan_id, inputs, theme.id)
            .await?;
        Ok((theme, tagged))
    }
}

/// The chosen members, each one of the suggestion's; none chosen is refused.
fn subset(chosen: &[InputId], of: &[InputId]) -> Result<Vec<InputId>, AssessmentError> {
    let mut out: Vec<InputId> = Vec::new();
    for c in chosen {
        if !of.contains(c) {
            return Err(AssessmentError::InputNotFound);
        }
        if !out.contains(c) {
            out.push(*c);
        }
    }
    if out.is_empty() {
        return Err(AssessmentError::NothingSelected);
    }
    Ok(out)
}

fn subject_of(
    subject: &str,
    sections: &[Section],
    themes: &[domain::assessment::Theme],
) -> Option<SummarySubject> {
    if subject == "section:none" {
        return Some(SummarySubject::NoSection);
    }
    if let Some(id) = subject.strip_prefix("section:") {
        let id: Uuid = id.parse().ok()?;
        return sections
            .iter()
            .find(|s| s.id.0 == id)
            .map(|s| SummarySubject::Section(s.clone()));
    }
    let id: Uuid = subject.strip_prefix("theme:")?.parse().ok()?;
    themes
        .iter()
        .find(|t| t.id.0 == id)
        .map(|t| SummarySubject::Theme {
            id: t.id,
            name: t.name.clone(),
        })
}

fn compute(
    inputs: &[RegisteredInput],
    themes: &[domain::assessment::Theme],
    sections: &[Section],
) -> Computed {
    let texts: Vec<analysis::Input> = inputs
        .iter()
        .map(|i| analysis::Input::new(i.entry.id.to_string(), i.text()))
        .collect();
    let by_key: HashMap<&str, InputId> = texts
        .iter()
        .zip(inputs)
        .map(|(t, i)| (t.id.as_str(), i.entry.id))
        .collect();
    let named = |key: &str| by_key.get(key).copied();

    let groups = analysis::duplicates::group(&texts, &Default::default())
        .into_iter()
        .map(|g| {
            let details = analysis::duplicates::details(&texts, &g);
            GroupBody {
                members: g.iter().filter_map(|i| named(&texts[*i].id)).collect(),
                shared: details.shared,
                differences: details
                    .members
                    .into_iter()
                    .filter(|m| !m.added.is_empty() || !m.missing.is_empty())
                    .filter_map(|m| {
                        Some(DifferenceBody {
                            input: named(&m.id)?,
                            added: m.added,
                            missing: m.missing,
                        })
                    })
                    .collect(),
            }
        })
        .map(|g| (g, None))
        .collect();

    // The plan's themes are accepted: their inputs stay theirs, and new inputs that
    // fit one come back as a suggestion to add them.
    let tagged = |t: &domain::assessment::Theme| -> Vec<String> {
        inputs
            .iter()
            .filter(|i| i.entry.assessment.themes.iter().any(|x| x.id == t.id))
            .map(|i| i.entry.id.to_string())
            .collect()
    };
    let accepted: Vec<analysis::themes::AcceptedTheme> = themes
        .iter()
        .map(|t| analysis::themes::AcceptedTheme {
            name: t.name.clone(),
            terms: vec![t.name.clone()],
            members: tagged(t),
        })
        .collect();
    let mut suggested_themes = Vec::new();
    for t in analysis::themes::suggest(&texts, &accepted, &Default::default()) {
        let members: Vec<InputId> = t.members.iter().filter_map(|m| named(m)).collect();
        if t.accepted {
            let Some(plan_theme) = themes.iter().find(|x| x.name == t.name) else {
                continue;
            };
            let already: HashSet<String> = tagged(plan_theme).into_iter().collect();
            let new: Vec<InputId> = members
                .into_iter()
                .filter(|m| !already.contains(&m.to_string()))
                .collect();
            if !new.is_empty() {
                suggested_themes.push((
                    t.name,
                    ThemeBody {
                        terms: t.terms,
                        members: new,
                    },
                    Some(plan_theme.id),
                ));
            }
        } else if !members.is_empty() {
            suggested_themes.push((
                t.name,
                ThemeBody {
                    terms: t.terms,
                    members,
                },
                None,
            ));
        }
    }

    // One summary per section (inputs to several sections count in each), in
    // document order, then the inputs to no section; then one per theme of the plan.
    let mut per_subject: HashMap<String, Vec<analysis::Input>> = HashMap::new();
    for (input, text) in inputs.iter().zip(&texts) {
        let mut ids: Vec<SectionId> = input.entry.input_section_ids.clone();
        for s in &input.entry.assessment.section_ids {
            if !ids.contains(s) {
                ids.push(*s);
            }
        }
        if ids.is_empty() {
            per_subject
                .entry("section:none".to_owned())
                .or_default()
                .push(text.clone());
        }
        for s in ids {
            per_subject
                .entry(format!("section:{}", s.0))
                .or_default()
                .push(text.clone());
        }
        for t in &input.entry.assessment.themes {
            per_subject
                .entry(format!("theme:{}", t.id.0))
                .or_default()
                .push(text.clone());
        }
    }
    let mut order: Vec<(String, String)> = sections
        .iter()
        .map(|s| {
            (
                format!("section:{}", s.id.0),
                format!("{} {}", s.number, s.title),
            )
        })
        .collect();
    order.push(("section:none".to_owned(), String::new()));
    order.extend(
        themes
            .iter()
            .map(|t| (format!("theme:{}", t.id.0), t.name.clone())),
    );
    let mut summaries = Vec::new();
    for (subject, name) in order {
        let Some(of_subject) = per_subject.get(&subject) else {
            continue;
        };
        let points: Vec<PointBody> = analysis::summary::summarise(of_subject, &Default::default())
            .into_iter()
            .filter_map(|s| {
                Some(PointBody {
                    input: named(&s.source)?,
                    text: s.text,
                    shared_by: s.shared_by,
                })
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        summaries.push((
            subject,
            name,
            SummaryBody {
                inputs: of_subject.len(),
                points,
            },
        ));
    }
    Computed {
        groups,
        themes: suggested_themes,
        summaries,
    }
}

/// What a computation stores beside the planners' decisions: accepted groups keep
/// their members (new inputs that fit one are suggested as additions to it),
/// nothing a planner dropped comes back unchanged, and a summary equal to the
/// approved one of its subject is not suggested again.
fn merge(
    computed: Computed,
    stored: &[StoredSuggestion],
) -> Result<Vec<NewSuggestion>, AssessmentError> {
    let decided = |kind: &str, state: &str| {
        stored
            .iter()
            .filter(|s| s.kind == kind && s.state == state)
            .collect::<Vec<_>>()
    };
    let accepted_groups: Vec<(Uuid, GroupBody)> = decided("group", "accepted")
        .into_iter()
        .map(|s| Ok((s.id, body::<GroupBody>(s)?)))
        .collect::<Result<_, AssessmentError>>()?;
    let dropped_groups: Vec<HashSet<InputId>> = decided("group", "dropped")
        .into_iter()
        .map(|s| Ok(body::<GroupBody>(s)?.members.into_iter().collect()))
        .collect::<Result<_, AssessmentError>>()?;
    let mut out = Vec::new();
    for (mut group, _) in computed.groups {
        let members: HashSet<InputId> = group.members.iter().copied().collect();
        if dropped_groups.contains(&members) {
            continue;
        }
        // Members already in an accepted group stay there.
        let host = accepted_groups
            .iter()
            .find(|(_, a)| a.members.iter().any(|m| members.contains(m)));
        let claimed: HashSet<InputId> = accepted_groups
            .iter()
            .flat_map(|(_, a)| a.members.iter().copied())
            .collect();
        let fresh: Vec<InputId> = group
            .members
            .iter()
            .filter(|m| !claimed.contains(m))
            .copied()
            .collect();
        match host {
            Some((host, _)) => {
                if fresh.is_empty() {
                    continue;
                }
                group.members = fresh.clone();
                group.differences.retain(|d| fresh.contains(&d.input));
                out.push(NewSuggestion {
                    kind: "group".to_owned(),
                    subject: format!("joins:{host}"),
                    name: String::new(),
                    body: json(&group),
                });
            }
            None => {
                if fresh.len() < 2 {
                    continue;
                }
                out.push(NewSuggestion {
                    kind: "group".to_owned(),
                    subject: String::new(),
                    name: String::new(),
                    body: json(&group),
                });
            }
        }
    }
    let dropped_themes: Vec<&StoredSuggestion> = decided("theme", "dropped");
    for (name, theme, plan_theme) in computed.themes {
        let same_as_dropped = dropped_themes.iter().any(|d| {
            body::<ThemeBody>(d).is_ok_and(|b| {
                b.members.iter().collect::<HashSet<_>>() == theme.members.iter().collect()
            })
        });
        if same_as_dropped {
            continue;
        }
        out.push(NewSuggestion {
            kind: "theme".to_owned(),
            subject: plan_theme
                .map(|t| format!("theme:{}", t.0))
                .unwrap_or_default(),
            name,
            body: json(&theme),
        });
    }
    let approved: Vec<&StoredSuggestion> = decided("summary", "accepted");
    for (subject, name, summary) in computed.summaries {
        let unchanged = approved
            .iter()
            .any(|a| a.subject == subject && body::<SummaryBody>(a).is_ok_and(|b| b == summary));
        if unchanged {
            continue;
        }
        out.push(NewSuggestion {
            kind: "summary".to_owned(),
            subject,
            name,
            body: json(&summary),
        });
    }
    Ok(out)
}
