//! The public hearing page and the public comparison of versions. Reading and
//! responding work without JavaScript; `live.js` only adds live updates on top.

use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use consultation::access::hearing_resource;
use consultation::hearings::{HearingError, HearingPage};
use domain::hearing::HearingState;
use domain::policy::{Action, can};
use domain::{CommentId, HearingId, SectionId};
use http::StatusCode;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hearings/{id}", get(hearing_page))
        .route("/documents/{id}/compare", get(public_compare))
}

#[derive(Debug, Default, Deserialize)]
struct HearingQuery {
    posted: Option<Uuid>,
    /// What a comment form just did (`supported`, `edited`, `deleted`, `reported`, …).
    done: Option<String>,
    /// The comment it was done to: the message is shown by it.
    comment: Option<Uuid>,
    /// A comment was stored in this section and waits for its author's confirmation.
    pending: Option<Uuid>,
    /// A comment was stored in this section and waits for screening by a planner.
    screening: Option<Uuid>,
    /// The section whose comments are paged further …
    section: Option<Uuid>,
    /// … to show this many of its newest comments.
    show: Option<usize>,
}

/// The newest comments a section shows at first; a link shows this many more.
pub(crate) const COMMENTS_PER_PAGE: usize = 50;

/// What the reader typed in a comment form, kept when the form must be shown again.
#[derive(Debug, Default, Clone)]
pub(crate) struct FormState {
    pub section_id: Option<SectionId>,
    pub author_name: String,
    pub author_email: String,
    pub body: String,
    pub quote: String,
    /// The message id of why the form was refused.
    pub error: Option<&'static str>,
    pub done: Option<&'static str>,
    /// The comment `done` was done to.
    pub done_comment: Option<Uuid>,
}

async fn hearing_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<HearingQuery>,
) -> Response {
    let Ok(id) = id.parse::<HearingId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let form = FormState {
        done: query
            .done
            .as_deref()
            .and_then(crate::comments::views::done_message),
        done_comment: query.comment,
        ..FormState::default()
    };
    render_hearing(
        &state,
        &page,
        id,
        Notice {
            posted: query.posted.map(SectionId),
            pending: query.pending.map(SectionId),
            screening: query.screening.map(SectionId),
            more: query.section.map(SectionId),
            show: query.show,
        },
        form,
        StatusCode::OK,
    )
    .await
}

/// What the page thanks the reader for, by section.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Notice {
    posted: Option<SectionId>,
    pending: Option<SectionId>,
    screening: Option<SectionId>,
    /// The section the reader asked to see `show` of the newest comments of.
    more: Option<SectionId>,
    show: Option<usize>,
}

/// The hearing page, with `form` kept in its section's comment form.
pub(crate) async fn render_hearing(
    state: &AppState,
    page: &PageCtx,
    id: HearingId,
    notice: Notice,
    form: FormState,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let actor = page.actor(state).await;
    // What the reader follows is asked for beside the page's own queries.
    let (loaded, following) = tokio::join!(
        state.consultation().hearing_page(&actor, id),
        state.consultation().following(&actor, id)
    );
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(HearingError::NotFound) => {
            return page.error(state, StatusCode::NOT_FOUND, "hearing-not-found");
        }
        Err(err) => {
            tracing::error!(error = %err, "could not load hearing page");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let HearingPage {
        hearing,
        plan,
        municipality,
        milestones,
        document,
        version_number,
        sections,
        comments,
        supported,
        revisions,
        awaiting,
        assessments,
        earlier,
        early_close,
        last_seq,
    } = loaded;
    let following = match following {
        Ok(following) => following,
        Err(err) => {
            tracing::error!(error = %err, "could not load what a reader follows");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let extras = crate::comments::views::Extras::new(&actor, &hearing, supported, revisions);
    let now = state.consultation().now();
    let days_left = if hearing.deadline > now {
        let today = now.to_zoned(domain::deadline::oslo()).date();
        let last = hearing.deadline.to_zoned(domain::deadline::oslo()).date();
        (last - today).get_days()
    } else {
        -1
    };
    let accepts = matches!(hearing.state, HearingState::Open | HearingState::Closed);
    // The name this reader's own websocket shows in presence, so the page can leave
    // the reader out of "N reading now".
    let presence_self = crate::live::ws::presence_name(&actor, page.signed_in.as_ref());
    // Comments by section and replies by comment, in their order (oldest first).
    let mut top_level: HashMap<SectionId, Vec<&domain::hearing::Comment>> = HashMap::new();
    let mut replies_to: HashMap<CommentId, Vec<&domain::hearing::Comment>> = HashMap::new();
    let by_id: HashMap<CommentId, &domain::hearing::Comment> =
        comments.iter().map(|c| (c.id, c)).collect();
    for c in &comments {
        match c.parent_id {
            None => top_level.entry(c.section_id).or_default().push(c),
            Some(parent) => replies_to.entry(parent).or_default().push(c),
        }
    }
    let mut earlier_by_lineage: HashMap<SectionId, Vec<&consultation::EarlierComment>> =
        HashMap::new();
    for e in earlier.iter().filter(|e| e.comment.status.is_public()) {
        earlier_by_lineage.entry(e.lineage).or_default().push(e);
    }
    // The comment a message is about is shown, however far back it is.
    let about = form
        .done_comment
        .and_then(|id| by_id.get(&CommentId(id)))
        .map(|c| c.parent_id.unwrap_or(c.id));
    let section_views: Vec<_> = sections
        .iter()
        .map(|rendered| {
            let s = &rendered.section;
            let text = &rendered.text;
            // Where each quoted passage is in the text shown, for live.js to mark.
            let passage = |c: &domain::hearing::Comment| {
                c.anchor.as_ref().map(|a| match markup::locate(text, a) {
                    Some((start, end)) => format!("{start}-{end}"),
                    None => String::new(),
                })
            };
            let view = |c: &domain::hearing::Comment, replies: Vec<minijinja::Value>| {
                context! {
                    id => c.id.to_string(),
                    // Neither the text nor the name of a deleted or hidden comment is shown.
                    author => if c.status.is_public() { crate::comments::views::shown_author(lang, c) } else { i18n::t(lang, "comment-removed-author") },
                    anonymised => c.anonymised,
                    body => if c.status.is_public() { c.body.as_str() } else { "" },
                    late => c.late,
                    created => format_datetime(lang, c.created_at),
                    created_iso => c.created_at.to_string(),
                    quote => c.anchor.as_ref().filter(|_| c.status.is_public()).map(|a| a.quote.clone()),
                    passage => if c.status.is_public() { passage(c) } else { None },
                    replies => replies,
                    assessment => assessments.get(&c.id).map(|a| crate::assessment::public_view(lang, a)),
                    reply_key => Uuid::new_v4().to_string(),
                    ..extras.view(lang, c, accepts)
                }
            };
            let earlier_views: Vec<_> = earlier_by_lineage
                .get(&s.lineage)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let c = &e.comment;
                    context! {
                        id => c.id.to_string(),
                        author => c.author_name,
                        body => c.body,
                        version => e.version,
                        created => format_datetime(lang, c.created_at),
                        created_iso => c.created_at.to_string(),
                        quote => c.anchor.as_ref().map(|a| a.quote.clone()),
                        passage => passage(c),
                    }
                })
                .collect();
            let all = top_level.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            let total = all.len();
            let mut limit = COMMENTS_PER_PAGE;
            if notice.more == Some(s.id) {
                limit = limit.max(notice.show.unwrap_or(0));
            }
            if let Some(at) = about.and_then(|id| all.iter().position(|c| c.id == id)) {
                limit = limit.max(total - at);
            }
            let shown = &all[total - limit.min(total)..];
            let hidden = total - shown.len();
            let own: Vec<_> = shown
                .iter()
                .map(|c| {
                    let replies = replies_to
                        .get(&c.id)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .map(|r| view(r, Vec::new()))
                        .collect();
                    view(c, replies)
                })
                .collect();
            let this_form = form.section_id == Some(s.id);
            context! {
                id => s.id.to_string(),
                number => s.number,
                title => s.title,
                heading_level => (s.level + 1).clamp(2, 6),
                body_html => minijinja::Value::from_safe_string(rendered.html.clone()),
                comments => own,
                total => total,
                hidden => hidden,
                // The link that shows more: as many again, at most all of them.
                more => hidden.min(COMMENTS_PER_PAGE),
                show_next => (shown.len() + COMMENTS_PER_PAGE).min(total),
                earlier => earlier_views,
                posted => notice.posted == Some(s.id),
                pending => notice.pending == Some(s.id),
                screening => notice.screening == Some(s.id),
                awaiting => awaiting
                    .iter()
                    .filter(|a| a.section_id == s.id)
                    .map(|a| context! {
                        id => a.id.to_string(),
                        created => format_datetime(lang, a.created_at),
                        excerpt => domain::email::excerpt(&a.body, 300),
                    })
                    .collect::<Vec<_>>(),
                form_error => if this_form { form.error } else { None },
                form_open => this_form,
                form_name => if this_form { form.author_name.as_str() } else { "" },
                form_email => if this_form { form.author_email.as_str() } else { "" },
                form_body => if this_form { form.body.as_str() } else { "" },
                form_quote => if this_form { form.quote.as_str() } else { "" },
                followed => following.iter().any(|f| f.section == Some(s.id)),
                idempotency_key => Uuid::new_v4().to_string(),
            }
        })
        .collect();
    // The plan's meetings beside its milestones, for those who may see them.
    let meetings = state
        .consultation()
        .workshops_of_plan(&actor, plan.id)
        .await
        .unwrap_or_default();
    page.render(
        state,
        status,
        "hearing.html",
        context! {
            meetings => meetings
                .iter()
                .map(|w| context! {
                    id => w.id.to_string(), title => w.title,
                    when => format_datetime(lang, w.starts_at), cancelled => w.is_cancelled(),
                })
                .collect::<Vec<_>>(),
            municipality => context! { slug => municipality.slug, name => municipality.name },
            milestones => milestones
                .iter()
                .map(|m| context! { title => m.title, date => i18n::format_date(lang, m.due_on), done => m.done })
                .collect::<Vec<_>>(),
            // Advice on the deadline is for planners; readers get a neutral note.
            holiday_notes => crate::hearings::api::period_warnings(lang, &hearing)
                .into_iter()
                .filter(|w| w.suggested_deadline.is_some())
                .map(|w| i18n::t(lang, &format!("hearing-over-{}", w.code)))
                .collect::<Vec<_>>(),
            closed_early => early_close.map(|change| context! {
                date => format_datetime(lang, change.created_at),
                reason => change.reason,
                still_on_time => now <= hearing.deadline,
            }),
            announcement_html => hearing
                .announcement
                .as_deref()
                .map(|a| minijinja::Value::from_safe_string(markup::markdown_to_html(a))),
            contact_name => hearing.contact_name,
            contact_email => hearing.contact_email.clone().or(plan.contact_email.clone()),
            hearing => context! {
                id => hearing.id.to_string(),
                title => hearing.title,
                state => hearing.state.as_str(),
                opens => format_datetime(lang, hearing.opens_at),
                deadline => format_datetime(lang, hearing.deadline),
                days_left => days_left,
                accepts => accepts,
                open => hearing.state == HearingState::Open && days_left >= 0,
                screens => hearing.screen_public_input,
            },
            plan => context! {
                title => plan.title,
                start => plan.period_start,
                end => plan.period_end,
            },
            document => context! {
                id => document.id.to_string(),
                title => document.title,
                version => version_number,
                lang => domain::plan::DOCUMENT_LANG.code(),
            },
            // For the times of comments that arrive live, written as the server writes them.
            date_pattern => i18n::datetime_pattern(lang),
            months => i18n::month_names(lang).join(","),
            last_seq => last_seq,
            sections => section_views,
            presence_self => presence_self,
            // The actions a comment that arrives live offers this reader; `__ID__` is
            // replaced with the comment's id in the page.
            live_comment => context! {
                id => "__ID__",
                author => "",
                reply_key => "__KEY__",
                public => true,
                supporters => 0,
                supported => false,
                may_support => page.signed_in.is_some() && accepts,
                may_edit => false,
                may_delete => false,
                may_report => true,
            },
            live_section => context! { id => "__SECTION__" },
            signed_in => page.signed_in.is_some(),
            follows_hearing => following.iter().any(|f| f.section.is_none()),
            done => form.done,
            done_comment => form.done_comment.map(|c| c.to_string()),
            // A signed-in reader writes under their own name: no name or address asked.
            writer => page.signed_in.as_ref().map(|s| s.person.name.clone()),
            // Official responses need a signed-in person who may give input here.
            give_response => actor.person.is_some()
                && can(&actor, Action::Comment, hearing_resource(&hearing)),
        },
    )
}

#[derive(Debug, Deserialize)]
struct CompareQuery {
    from: Option<i32>,
    to: Option<i32>,
}

/// What changed between versions of a document on hearing, for readers.
async fn public_compare(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Response {
    let Ok(id) = id.parse::<domain::DocumentId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    let actor = page.actor(&state).await;
    let consultation = state.consultation();
    let Ok(document) = consultation.readable_document(&actor, id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "error-not-found");
    };
    match consultation
        .document_diff(&actor, &document, query.from, query.to)
        .await
    {
        Ok(diff) => page.render(
            &state,
            StatusCode::OK,
            "planner_compare.html",
            context! {
                diff => minijinja::Value::from_serialize(crate::documents::versions::DocumentDiff::from(diff)),
                back_href => "/",
                back_label => "error-back-home",
                show_inputs => false,
            },
        ),
        Err(err) => {
            let err = crate::ApiError::from(err);
            page.render(
                &state,
                err.status,
                "error.html",
                context! { message_id => "error-title", detail => err.message },
            )
        }
    }
}
