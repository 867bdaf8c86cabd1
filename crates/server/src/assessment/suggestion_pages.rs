//! The suggestions page of a hearing: stored near-copy groups, themes and summaries
//! with their state (suggested, accepted, dropped), when they were computed, the
//! button that asks for a new computation (done in the background), every decision a
//! planner can take on each, and the history of all of them.

use super::pages::{message, planner_with_id, refusal};
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::assessment::{
    AssessmentError, SuggestedInput, SuggestionDecision, SuggestionMark, SuggestionState,
    SummarySubject,
};
use domain::assessment::Outcome;
use domain::{HearingId, InputId, Lang};
use http::StatusCode;
use minijinja::{Value, context};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner/hearings/{id}/suggestions", get(suggestions_page))
        .route(
            "/planner/hearings/{id}/suggestions/compute",
            post(compute_request),
        )
        .route("/planner/suggestions/{id}", post(decide))
}

fn input(i: &SuggestedInput) -> Value {
    context! { id => i.id.to_string(), number => i.number }
}

fn mark(lang: Lang, m: &SuggestionMark) -> Value {
    context! {
        id => m.id.to_string(),
        key => format!("s{}", m.id.simple()),
        state => m.state.as_str(),
        suggested => m.state == SuggestionState::Suggested,
        decided_by => m.decided_by.clone(),
        decided_at => m.decided_at.map(|t| format_datetime(lang, t)),
    }
}

/// Near-copies, themes and summaries as stored, with what a planner may do with each.
async fn suggestions_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let found = match state
        .consultation()
        .hearing_suggestions(&planner.actor, HearingId(id))
        .await
    {
        Ok(found) => found,
        Err(err) => {
            return refusal(&state, &page, &err)
                .unwrap_or_else(|| page.error(&state, StatusCode::NOT_FOUND, "error-not-found"));
        }
    };
    let lang = page.lang;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let done = pairs
        .into_iter()
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v)
        .filter(|v| {
            [
                "compute", "accepted", "split", "members", "dropped", "renamed", "merged",
                "approved",
            ]
            .contains(&v.as_str())
        });
    let visible = |m: &SuggestionMark| m.state != SuggestionState::Dropped;
    let groups: Vec<Value> = found
        .groups
        .iter()
        .filter(|g| visible(&g.mark))
        .map(|g| {
            context! {
                mark => mark(lang, &g.mark),
                joins => g.joins.is_some(),
                members => g.members.iter().map(input).collect::<Vec<_>>(),
                numbers => g.members.iter().map(|m| m.number.to_string()).collect::<Vec<_>>().join(", "),
                shared => g.shared.clone(),
                differences => g.differences.iter().map(|d| context! {
                    input => input(&d.input),
                    added => d.added.clone(),
                    missing => d.missing.clone(),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    // The suggested themes another one can be merged into.
    let open_themes: Vec<(Uuid, String)> = found
        .themes
        .iter()
        .filter(|t| t.mark.state == SuggestionState::Suggested && t.theme.is_none())
        .map(|t| (t.mark.id, t.name.clone()))
        .collect();
    let themes: Vec<Value> = found
        .themes
        .iter()
        .filter(|t| visible(&t.mark))
        .map(|t| {
            context! {
                mark => mark(lang, &t.mark),
                name => t.name.clone(),
                terms => t.terms.join(", "),
                joins => t.theme.is_some() && t.mark.state == SuggestionState::Suggested,
                members => t.members.iter().map(input).collect::<Vec<_>>(),
                merge_into => open_themes
                    .iter()
                    .filter(|(other, _)| *other != t.mark.id)
                    .map(|(other, name)| context! { id => other.to_string(), name => name.clone() })
                    .collect::<Vec<_>>(),
            }
        })
        .collect();
    let summaries: Vec<Value> = found
        .summaries
        .iter()
        .filter(|s| visible(&s.mark))
        .map(|s| {
            let (subject, theme) = match &s.subject {
                SummarySubject::Section(x) => (format!("{} {}", x.number, x.title), false),
                SummarySubject::NoSection => (i18n::t(lang, "suggestions-no-section"), false),
                SummarySubject::Theme { name, .. } => (name.clone(), true),
            };
            context! {
                mark => mark(lang, &s.mark),
                subject => subject,
                theme => theme,
                inputs => s.inputs,
                points => s.points.iter().map(|p| context! {
                    text => p.text.clone(),
                    input => input(&p.input),
                    shared_by => p.shared_by,
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let history: Vec<Value> = found
        .history
        .iter()
        .rev()
        .filter(|h| h.action != "computed")
        .take(200)
        .map(|h| {
            context! {
                at => format_datetime(lang, h.at),
                who => h.who.clone(),
                kind => h.kind.clone(),
                name => h.name.clone(),
                action => h.action.clone(),
                detail => h.detail.clone(),
            }
        })
        .collect();
    page.render(
        &state,
        StatusCode::OK,
        "planner_suggestions.html",
        context! {
            hearing => context! { id => found.hearing.id.to_string(), title => found.hearing.title.clone() },
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title.clone() },
            inputs => found.inputs,
            computed_at => found.computed_at.map(|t| format_datetime(lang, t)),
            pending => found.pending,
            done => done,
            outcomes => Outcome::ALL.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
            groups => groups,
            themes => themes,
            summaries => summaries,
            history => history,
        },
    )
}

/// Asks for the hearing's suggestions to be computed again, in the background.
async fn compute_request(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    match state
        .consultation()
        .request_suggestions(&planner.actor, HearingId(id))
        .await
    {
        Ok(()) => Redirect::to(&format!("/planner/hearings/{id}/suggestions?done=compute"))
            .into_response(),
        Err(err) => failed(&state, &page, &err, None),
    }
}

fn failed(
    state: &AppState,
    page: &PageCtx,
    err: &AssessmentError,
    back: Option<String>,
) -> Response {
    if matches!(err, AssessmentError::SuggestionNotFound) {
        return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
    }
    refusal(state, page, err).unwrap_or_else(|| {
        page.render(
            state,
            super::status(err),
            "planner_assessment_error.html",
            context! {
                message => message(page.lang, err),
                back => back.unwrap_or_else(|| "/planner".to_owned()),
            },
        )
    })
}

/// A planner's decision on one suggestion, from the page's forms.
async fn decide(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut members = Vec::new();
    for (key, value) in &pairs {
        if key == "input" {
            match value.parse::<Uuid>() {
                Ok(input) => members.push(InputId(input)),
                Err(_) => return page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
            }
        }
    }
    let action = field("action");
    let (decision, done) = match action.as_str() {
        "accept-group" => (
            SuggestionDecision::AcceptGroup {
                members,
                summary: field("summary"),
                outcome: field("outcome"),
                response: field("response"),
            },
            "accepted",
        ),
        "split" => (SuggestionDecision::SplitGroup { members }, "split"),
        "drop-members" => (SuggestionDecision::DropMembers { members }, "members"),
        "accept-theme" => (
            SuggestionDecision::AcceptTheme {
                name: field("name"),
                members,
            },
            "accepted",
        ),
        "rename" => (
            SuggestionDecision::RenameTheme {
                name: field("name"),
            },
            "renamed",
        ),
        "merge" => match field("into").parse::<Uuid>() {
            Ok(into) => (SuggestionDecision::MergeTheme { into }, "merged"),
            Err(_) => {
                return failed(&state, &page, &AssessmentError::SuggestionNotFound, None);
            }
        },
        "approve" => (SuggestionDecision::ApproveSummary, "approved"),
        "drop" => (SuggestionDecision::Drop, "dropped"),
        _ => {
            return failed(
                &state,
                &page,
                &AssessmentError::UnknownValue {
                    field: "action",
                    allowed: "accept-group, split, drop-members, accept-theme, rename, merge, approve, drop"
                        .to_owned(),
                },
                None,
            );
        }
    };
    match state
        .consultation()
        .decide_suggestion(&planner.actor, &planner.who, id, decision)
        .await
    {
        Ok(hearing) => Redirect::to(&format!(
            "/planner/hearings/{}/suggestions?done={done}",
            hearing.0
        ))
        .into_response(),
        Err(err) => {
            // Back to the hearing's suggestions when the planner may see them.
            let back = state
                .consultation()
                .suggestion_hearing(&planner.actor, id)
                .await
                .ok()
                .map(|h| format!("/planner/hearings/{}/suggestions", h.0));
            failed(&state, &page, &err, back)
        }
    }
}
