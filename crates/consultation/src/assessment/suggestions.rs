//! Suggestions for a hearing's planners, computed in the process by the `analysis`
//! crate (no text leaves the server): groups of near-copies and campaign letters
//! with their shared text and each member's differences, suggested themes beside the
//! plan's own themes (which count as accepted: their inputs stay theirs), and a
//! summary of each section by sentences taken from the inputs.
//!
//! Nothing here is stored or shown to anyone but the plan's planners: a suggestion
//! becomes a decision only when a planner acts on it through the register (its bulk
//! assessment, its themes), which records who and when.

use super::AssessmentError;
use crate::Consultation;
use db::DbError;
use domain::assessment::RegisteredInput;
use domain::hearing::Hearing;
use domain::plan::{Plan, Section};
use domain::policy::Actor;
use domain::{HearingId, InputId, SectionId};
use std::collections::HashMap;

/// An input a suggestion names: its id and its number in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestedInput {
    pub id: InputId,
    pub number: i32,
}

/// A group of near-copies.
#[derive(Debug, Clone)]
pub struct SuggestedGroup {
    pub members: Vec<SuggestedInput>,
    /// The sentences at least half of the members contain.
    pub shared: Vec<String>,
    /// Members that differ from the shared text: what they add and lack.
    pub differences: Vec<MemberDifference>,
}

#[derive(Debug, Clone)]
pub struct MemberDifference {
    pub input: SuggestedInput,
    pub added: Vec<String>,
    pub missing: Vec<String>,
}

/// A theme: one of the plan's (accepted) or a suggestion.
#[derive(Debug, Clone)]
pub struct SuggestedTheme {
    pub name: String,
    pub terms: Vec<String>,
    pub members: Vec<SuggestedInput>,
    pub accepted: bool,
}

/// The summary of the inputs to one section (or to none).
#[derive(Debug, Clone)]
pub struct SectionSummary {
    pub section: Option<Section>,
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

#[derive(Debug, Clone)]
pub struct HearingSuggestions {
    pub plan: Plan,
    pub hearing: Hearing,
    pub inputs: usize,
    pub groups: Vec<SuggestedGroup>,
    pub themes: Vec<SuggestedTheme>,
    pub summaries: Vec<SectionSummary>,
}

impl Consultation {
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

    /// The suggestions for a hearing's inputs, for the plan's planners.
    pub async fn hearing_suggestions(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
    ) -> Result<HearingSuggestions, AssessmentError> {
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
        let inputs = self.db().registered_inputs(entries).await?;
        let themes = self.db().themes_of_plan(plan.id).await?;
        let sections = self.db().sections_of(hearing.document_version_id).await?;
        Ok(suggest(plan, hearing, &inputs, &themes, sections))
    }
}

fn suggest(
    plan: Plan,
    hearing: Hearing,
    inputs: &[RegisteredInput],
    themes: &[domain::assessment::Theme],
    sections: Vec<Section>,
) -> HearingSuggestions {
    let texts: Vec<analysis::Input> = inputs
        .iter()
        .map(|i| analysis::Input::new(i.entry.id.to_string(), i.text()))
        .collect();
    let by_key: HashMap<&str, SuggestedInput> = texts
        .iter()
        .zip(inputs)
        .map(|(t, i)| {
            (
                t.id.as_str(),
                SuggestedInput {
                    id: i.entry.id,
                    number: i.entry.number,
                },
            )
        })
        .collect();
    let named = |key: &str| by_key.get(key).copied();

    let groups = analysis::duplicates::group(&texts, &Default::default())
        .into_iter()
        .map(|g| {
            let details = analysis::duplicates::details(&texts, &g);
            SuggestedGroup {
                members: g.iter().filter_map(|i| named(&texts[*i].id)).collect(),
                shared: details.shared,
                differences: details
                    .members
                    .into_iter()
                    .filter(|m| !m.added.is_empty() || !m.missing.is_empty())
                    .filter_map(|m| {
                        Some(MemberDifference {
                            input: named(&m.id)?,
                            added: m.added,
                            missing: m.missing,
                        })
                    })
                    .collect(),
            }
        })
        .collect();

    // The plan's themes are accepted: their inputs stay theirs.
    let accepted: Vec<analysis::themes::AcceptedTheme> = themes
        .iter()
        .map(|t| analysis::themes::AcceptedTheme {
            name: t.name.clone(),
            terms: vec![t.name.clone()],
            members: inputs
                .iter()
                .filter(|i| i.entry.assessment.themes.iter().any(|x| x.id == t.id))
                .map(|i| i.entry.id.to_string())
                .collect(),
        })
        .collect();
    let themes = analysis::themes::suggest(&texts, &accepted, &Default::default())
        .into_iter()
        .map(|t| SuggestedTheme {
            members: t.members.iter().filter_map(|m| named(m)).collect(),
            name: t.name,
            terms: t.terms,
            accepted: t.accepted,
        })
        .collect();

    // One summary per section (inputs to several sections count in each), in
    // document order, then the inputs to no section.
    let mut per_section: HashMap<Option<SectionId>, Vec<analysis::Input>> = HashMap::new();
    for (input, text) in inputs.iter().zip(&texts) {
        let mut ids = input.entry.input_section_ids.clone();
        for s in &input.entry.assessment.section_ids {
            if !ids.contains(s) {
                ids.push(*s);
            }
        }
        if ids.is_empty() {
            per_section.entry(None).or_default().push(text.clone());
        }
        for s in ids {
            per_section.entry(Some(s)).or_default().push(text.clone());
        }
    }
    let mut summaries = Vec::new();
    let mut order: Vec<Option<Section>> = sections.into_iter().map(Some).collect();
    order.push(None);
    for section in order {
        let Some(of_section) = per_section.get(&section.as_ref().map(|s| s.id)) else {
            continue;
        };
        let points = analysis::summary::summarise(of_section, &Default::default())
            .into_iter()
            .filter_map(|s| {
                Some(SummaryPoint {
                    input: named(&s.source)?,
                    text: s.text,
                    shared_by: s.shared_by,
                })
            })
            .collect();
        summaries.push(SectionSummary {
            section,
            inputs: of_section.len(),
            points,
        });
    }
    HearingSuggestions {
        plan,
        hearing,
        inputs: inputs.len(),
        groups,
        themes,
        summaries,
    }
}
