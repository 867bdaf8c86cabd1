//! The workbench's pages around the register: the plan's statistics (bar charts
//! drawn as SVG on the server, each with its numbers in a table beside it), the
//! register's further filters, the bulk form (tick boxes in the list, one form,
//! works without JavaScript) and the rows the register's script fetches when the
//! hub tells it that an input arrived.

use super::pages::{input_row, planner_with_id, refusal, render_register, section_labels};
use crate::auth::planner::Planner;
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field, no_errors, problem_text};
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use consultation::assessment::{
    AssessmentError, AssigneeQuery, BulkAssessmentCommand, BulkResult, RegisterQuery,
    RegisterSurroundings,
};
use domain::assessment::{AssessmentState, RegisteredInput};
use domain::workbench::{SubmitterKind, Tally};
use domain::{HearingId, InputId, Lang, PersonId, PlanId, SectionId, ThemeId};
use http::StatusCode;
use minijinja::{Value, context};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planner/plans/{id}/statistics", get(statistics_page))
        .route("/planner/plans/{id}/register/bulk", post(bulk_submit))
        .route("/planner/plans/{id}/register/rows", get(new_rows))
}

/// Query keys of the register page itself (not filters): tick every row shown, and
/// what the last bulk action did.
pub(super) const PAGE_KEYS: &[&str] = &["select", "changed", "skipped"];

/// The register page's own keys, read from its query string.
#[derive(Debug, Default)]
pub(super) struct PageKeys {
    pub select_all: bool,
    changed: Option<usize>,
    skipped: String,
}

impl PageKeys {
    pub(super) fn of(raw: Option<&str>) -> PageKeys {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default();
        let mut keys = PageKeys::default();
        for (key, value) in pairs {
            match key.as_str() {
                "select" => keys.select_all = value == "all",
                "changed" => keys.changed = value.parse().ok(),
                // Numbers only: it is shown on the page.
                "skipped" => {
                    keys.skipped = value
                        .split(',')
                        .filter(|n| n.parse::<i32>().is_ok())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                _ => {}
            }
        }
        keys
    }
}

/// The bulk form as it was sent.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub(super) struct BulkForm {
    summary: String,
    outcome: String,
    response: String,
    theme: String,
    assignee: String,
}

/// The bulk form on the register page: empty, or refused with what was typed and
/// which rows were ticked.
#[derive(Debug, Default)]
pub(super) struct BulkView {
    form: BulkForm,
    errors: Option<FormErrors>,
    pub selected: HashSet<Uuid>,
}

const BULK_FIELDS: &[Field] = &[
    field("summary", "bulk-summary", "assessment-field-summary"),
    field("outcome", "bulk-outcome", "assessment-field-outcome"),
    field("response", "bulk-response", "assessment-field-response"),
    field("theme", "bulk-theme", "bulk-theme-field"),
    field("assignee", "bulk-assignee", "bulk-assign-field"),
    field("selection", "bulk-selection", "bulk-selection-label"),
];

/// The register's rows, each with its tick box state and assignee.
pub(super) fn register_rows(
    lang: Lang,
    inputs: &[RegisteredInput],
    labels: &HashMap<SectionId, String>,
    planners: &[domain::person::Person],
    select_all: bool,
    selected: &HashSet<Uuid>,
) -> Vec<Value> {
    inputs
        .iter()
        .map(|input| {
            let e = &input.entry;
            let assignee = e
                .assignee_id
                .and_then(|p| planners.iter().find(|x| x.id == p))
                .map(|p| p.name.clone());
            context! {
                selected => select_all || selected.contains(&e.id.0),
                assignee => assignee,
                ..input_row(lang, input, labels)
            }
        })
        .collect()
}

/// The values of the further filters, for the filter form.
pub(super) fn filter_values(query: &RegisterQuery) -> Value {
    context! {
        submitter => query.submitter.map(|k| k.as_str()).unwrap_or_default(),
        theme => query.theme.map(|t| t.to_string()).unwrap_or_default(),
        from => query.from.map(|d| d.to_string()).unwrap_or_default(),
        to => query.to.map(|d| d.to_string()).unwrap_or_default(),
        assignee => match query.assignee {
            None => String::new(),
            Some(AssigneeQuery::Me) => "me".to_owned(),
            Some(AssigneeQuery::Nobody) => "none".to_owned(),
            Some(AssigneeQuery::Planner(p)) => p.to_string(),
        },
    }
}

fn register_url(plan: Uuid, pairs: &[(String, String)]) -> String {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if query.is_empty() {
        format!("/planner/plans/{plan}/register")
    } else {
        format!("/planner/plans/{plan}/register?{query}")
    }
}

/// What the register page needs beyond its rows and basic filters.
pub(super) fn register_context(
    plan: Uuid,
    pairs: &[(String, String)],
    around: &RegisterSurroundings,
    keys: &PageKeys,
    bulk: BulkView,
) -> Value {
    let mut all = pairs.to_vec();
    all.push(("select".into(), "all".into()));
    let rows_query: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "after" && k != "sort" && k != "limit")
        .cloned()
        .collect();
    let rooms = around
        .live_rooms
        .iter()
        .map(|(hearing, seq)| format!("hearing:{hearing}@{seq}"))
        .collect::<Vec<_>>()
        .join(" ");
    context! {
        submitters => SubmitterKind::all().iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        planners => around.planners.iter().map(|p| context! { id => p.id.to_string(), name => p.name.clone() }).collect::<Vec<_>>(),
        bulk => context! {
            form => bulk.form,
            errors => bulk.errors.map_or_else(no_errors, |e| e.value()),
        },
        back => serde_urlencoded::to_string(pairs).unwrap_or_default(),
        select_all_url => format!("{}#inputs-heading", register_url(plan, &all)),
        select_none_url => format!("{}#inputs-heading", register_url(plan, pairs)),
        rows_url => format!("/planner/plans/{plan}/register/rows?{}", serde_urlencoded::to_string(&rows_query).unwrap_or_default()),
        live_rooms => rooms,
        bulk_done => keys.changed.map(|changed| context! {
            changed => changed,
            skipped => keys.skipped.clone(),
        }),
    }
}

/// The rows after `after` that match the page's filters, oldest first, for the
/// register's script; an empty list when there is none.
async fn new_rows(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw_query.as_deref().unwrap_or_default()).unwrap_or_default();
    let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "lang").collect();
    let mut query = match RegisterQuery::parse(&pairs) {
        Ok(q) => q,
        Err(_) => return page.error(&state, StatusCode::UNPROCESSABLE_ENTITY, "error-title"),
    };
    query.descending = false;
    query.limit = consultation::assessment::MAX_SELECTION as u64;
    let service = state.consultation();
    let found = match service
        .plan_register(&planner.actor, PlanId(id), &query)
        .await
    {
        Ok(found) => found,
        Err(err) => {
            return refusal(&state, &page, &err)
                .unwrap_or_else(|| page.error(&state, StatusCode::NOT_FOUND, "error-not-found"));
        }
    };
    let around = match service
        .register_surroundings(&planner.actor, PlanId(id))
        .await
    {
        Ok(around) => around,
        Err(err) => {
            return refusal(&state, &page, &err)
                .unwrap_or_else(|| page.error(&state, StatusCode::NOT_FOUND, "error-not-found"));
        }
    };
    let labels = section_labels(page.lang, &found.sections);
    let rows = register_rows(
        page.lang,
        &found.inputs,
        &labels,
        &around.planners,
        false,
        &HashSet::new(),
    );
    page.render(
        &state,
        StatusCode::OK,
        "planner_register_rows.html",
        context! { inputs => rows },
    )
}

/// Which bulk action a refusal is about, for the message beside its field.
fn bulk_field(err: &AssessmentError) -> &'static str {
    match err {
        AssessmentError::NothingSelected | AssessmentError::SelectionTooLarge => "selection",
        AssessmentError::UnknownTheme => "theme",
        AssessmentError::UnknownAssignee => "assignee",
        AssessmentError::UnknownValue { field, .. } => field,
        AssessmentError::Invalid(e) => e.field,
        _ => "",
    }
}

async fn bulk_submit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let mut form = BulkForm::default();
    let mut action = String::new();
    let mut back = String::new();
    let mut inputs = Vec::new();
    let mut malformed = false;
    for (key, value) in pairs {
        match key.as_str() {
            "input" => match value.parse::<Uuid>() {
                Ok(input) => inputs.push(input),
                Err(_) => malformed = true,
            },
            "summary" => form.summary = value,
            "outcome" => form.outcome = value,
            "response" => form.response = value,
            "theme" => form.theme = value,
            "assignee" => form.assignee = value,
            "action" => action = value,
            "back" => back = value,
            _ => {}
        }
    }
    // The filters to return to, allow-listed: anything else is dropped.
    let back_pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(&back)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| consultation::assessment::QUERY_KEYS.contains(&k.as_str()))
            .collect();
    if malformed {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    }
    let service = state.consultation();
    let selected: Vec<InputId> = inputs.iter().copied().map(InputId).collect();
    let plan = PlanId(id);
    let done = match action.as_str() {
        "assess" => {
            service
                .bulk_assess(
                    &planner.actor,
                    &planner.who,
                    plan,
                    BulkAssessmentCommand {
                        inputs: selected,
                        summary: form.summary.clone(),
                        outcome: form.outcome.clone(),
                        response: form.response.clone(),
                    },
                )
                .await
        }
        "theme" => match form.theme.parse::<Uuid>() {
            Ok(theme) => {
                service
                    .bulk_set_theme(
                        &planner.actor,
                        &planner.who,
                        plan,
                        &selected,
                        ThemeId(theme),
                    )
                    .await
            }
            Err(_) => Err(AssessmentError::UnknownTheme),
        },
        "assign" => match form.assignee.trim() {
            "" => {
                service
                    .bulk_assign(&planner.actor, &planner.who, plan, &selected, None)
                    .await
            }
            value => match value.parse::<Uuid>() {
                Ok(person) => {
                    service
                        .bulk_assign(
                            &planner.actor,
                            &planner.who,
                            plan,
                            &selected,
                            Some(PersonId(person)),
                        )
                        .await
                }
                Err(_) => Err(AssessmentError::UnknownAssignee),
            },
        },
        _ => return page.error(&state, StatusCode::UNPROCESSABLE_ENTITY, "error-title"),
    };
    match done {
        Ok(result) => Redirect::to(&done_url(id, &back_pairs, &result)).into_response(),
        Err(err) => match refusal(&state, &page, &err) {
            Some(response) => response,
            None => {
                let lang = page.lang;
                let errors = match &err {
                    AssessmentError::Invalid(e) => {
                        FormErrors::field(lang, BULK_FIELDS, e.field, problem_text(lang, e.problem))
                    }
                    other => FormErrors::field(
                        lang,
                        BULK_FIELDS,
                        bulk_field(other),
                        super::error_text(lang, other),
                    ),
                };
                let view = BulkView {
                    form,
                    errors: Some(errors),
                    selected: inputs.into_iter().collect(),
                };
                render_register(
                    &state,
                    &page,
                    &planner,
                    id,
                    Some(serde_urlencoded::to_string(&back_pairs).unwrap_or_default()),
                    view,
                    super::status(&err),
                )
                .await
            }
        },
    }
}

/// The register again, with its filters and what the bulk action did.
fn done_url(plan: Uuid, back: &[(String, String)], result: &BulkResult) -> String {
    let mut pairs = back.to_vec();
    pairs.push(("changed".into(), result.changed.len().to_string()));
    if !result.skipped.is_empty() {
        let numbers: Vec<String> = result
            .skipped
            .iter()
            .map(|s| s.number.to_string())
            .collect();
        pairs.push(("skipped".into(), numbers.join(",")));
    }
    format!("{}#inputs-heading", register_url(plan, &pairs))
}

/// One bar chart: a bar per row, as wide as its share of the largest.
#[derive(Debug, serde::Serialize)]
struct ChartRow {
    label: String,
    count: u64,
    /// The bar's width in the drawing's units (the longest is 520 of 600).
    bar: String,
    /// Where the number after the bar starts.
    count_x: String,
}

/// The longest bar, in the drawing's units (600 wide, room for its number).
const BAR_MAX: f64 = 520.0;

/// Shorter labels in the drawing; the table beside it has them whole.
const CHART_LABEL_CHARS: usize = 48;

fn chart(rows: Vec<(String, u64)>) -> Value {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let rows: Vec<ChartRow> = rows
        .into_iter()
        .map(|(label, count)| {
            let bar = count as f64 / max as f64 * BAR_MAX;
            ChartRow {
                bar: format!("{bar:.1}"),
                count_x: format!("{:.1}", bar + 6.0),
                label,
                count,
            }
        })
        .collect();
    let short: Vec<String> = rows
        .iter()
        .map(|r| {
            let mut s: String = r.label.chars().take(CHART_LABEL_CHARS).collect();
            if r.label.chars().count() > CHART_LABEL_CHARS {
                s.push('…');
            }
            s
        })
        .collect();
    context! { rows => rows, short => short, height => rows_height(short.len()) }
}

/// The drawing's height in its units: a label line and a bar per row.
fn rows_height(rows: usize) -> usize {
    rows.max(1) * 44 + 8
}

fn tallies<K: Copy>(list: &[Tally<K>], label: impl Fn(K) -> String) -> Vec<(String, u64)> {
    list.iter().map(|t| (label(t.key), t.count)).collect()
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct StatisticsForm {
    hearing: String,
}

async fn statistics_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let (planner, id) = match planner_with_id(&state, &page, &raw).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let form: StatisticsForm =
        serde_urlencoded::from_str(raw_query.as_deref().unwrap_or_default()).unwrap_or_default();
    let hearing = match form.hearing.trim() {
        "" => None,
        value => match value.parse() {
            Ok(h) => Some(HearingId(h)),
            Err(_) => return page.error(&state, StatusCode::NOT_FOUND, "error-not-found"),
        },
    };
    render_statistics(&state, &page, &planner, PlanId(id), hearing).await
}

async fn render_statistics(
    state: &AppState,
    page: &PageCtx,
    planner: &Planner,
    plan: PlanId,
    hearing: Option<HearingId>,
) -> Response {
    let found = match state
        .consultation()
        .plan_statistics(&planner.actor, plan, hearing)
        .await
    {
        Ok(found) => found,
        Err(AssessmentError::HearingNotInPlan) => {
            return page.error(state, StatusCode::NOT_FOUND, "error-not-found");
        }
        Err(err) => {
            return refusal(state, page, &err)
                .unwrap_or_else(|| page.error(state, StatusCode::NOT_FOUND, "error-not-found"));
        }
    };
    let lang = page.lang;
    let s = &found.statistics;
    let sections = section_labels(lang, &found.sections);
    let themes: HashMap<ThemeId, String> = found
        .themes
        .iter()
        .map(|t| (t.id, t.name.clone()))
        .collect();
    let mut by_theme = tallies(&s.by_theme, |t| themes.get(&t).cloned().unwrap_or_default());
    by_theme.push((i18n::t(lang, "stats-without-theme"), s.without_theme));
    let charts = vec![
        context! { id => "sections", title => i18n::t(lang, "stats-by-section"), column => i18n::t(lang, "stats-col-section"), note => i18n::t(lang, "stats-section-note"),
        chart => chart(tallies(&s.by_section, |id| sections.get(&id).cloned().unwrap_or_default())) },
        context! { id => "days", note => (), title => i18n::t(lang, "stats-by-day"), column => i18n::t(lang, "stats-col-day"),
        chart => chart(tallies(&s.by_day, |d| i18n::format_date(lang, d))) },
        context! { id => "submitters", note => (), title => i18n::t(lang, "stats-by-submitter"), column => i18n::t(lang, "stats-col-submitter"),
        chart => chart(tallies(&s.by_submitter, |k| i18n::t(lang, &format!("submitter-{}", k.as_str())))) },
        context! { id => "outcomes", note => (), title => i18n::t(lang, "stats-by-outcome"), column => i18n::t(lang, "stats-col-outcome"),
        chart => chart(tallies(&s.by_outcome, |o| i18n::t(lang, &format!("outcome-{}", o.map_or("none", |o| o.as_str()))))) },
        context! { id => "states", note => (), title => i18n::t(lang, "stats-by-state"), column => i18n::t(lang, "stats-col-state"),
        chart => chart(tallies(&s.by_state, |st: AssessmentState| i18n::t(lang, &format!("assessment-state-{}", st.as_str())))) },
        context! { id => "themes", note => (), title => i18n::t(lang, "stats-by-theme"), column => i18n::t(lang, "stats-col-theme"),
        chart => chart(by_theme) },
    ];
    page.render(
        state,
        StatusCode::OK,
        "planner_statistics.html",
        context! {
            plan => context! { id => found.plan.id.to_string(), title => found.plan.title.clone() },
            hearings => found.hearings.iter().map(|h| context! { id => h.id.to_string(), title => h.title.clone() }).collect::<Vec<_>>(),
            hearing => found.hearing.map(|h| h.to_string()).unwrap_or_default(),
            total => s.total,
            charts => charts,
        },
    )
}
