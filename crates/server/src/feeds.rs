//! Machine-readable views of hearings for municipal web sites and calendars: an Atom
//! feed per municipality (and one for the whole installation) and an iCalendar file
//! with each hearing's deadline.

use crate::state::AppState;
use crate::web::lang::ReaderLang;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Text};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::HearingId;
use domain::Lang;
use domain::hearing::Hearing;
use domain::policy::Actor;
use http::{StatusCode, header};
use i18n::{FluentValue, catalog, t};
use icalendar::{Calendar, Component, EventLike};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hearings.atom", get(all_hearings_feed))
        .route("/m/{slug}/hearings.atom", get(municipality_feed))
        .route("/hearings/{id}/deadline.ics", get(deadline_ics))
}

fn fixed(ts: jiff::Timestamp) -> FixedDateTime {
    chrono::DateTime::from_timestamp(ts.as_second(), 0)
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l
}

/// The feed and calendar differ by the reader's language, so caches keep one per language.
const VARY: (header::HeaderName, &str) = (header::VARY, "Accept-Language, Cookie");

fn feed(
    state: &AppState,
    lang: Lang,
    title: &str,
    self_path: &str,
    hearings: &[Hearing],
) -> Response {
    let base = &state.config().base_url;
    let entries: Vec<Entry> = hearings
        .iter()
        .map(|h| {
            let mut e = Entry::default();
            e.set_title(h.title.clone());
            e.set_id(format!("urn:uuid:{}", h.id));
            e.set_updated(fixed(h.created_at.max(h.opens_at)));
            e.set_published(Some(fixed(h.created_at)));
            e.set_links(vec![link(format!("{base}/hearings/{}", h.id))]);
            let when = catalog().message(
                lang,
                "feed-deadline",
                &[(
                    "date",
                    FluentValue::from(i18n::format_datetime(lang, h.deadline)),
                )],
            );
            let summary = match &h.announcement {
                Some(a) => format!("{a}\n\n{when}"),
                None => when,
            };
            e.set_summary(Some(Text::plain(summary)));
            e
        })
        .collect();
    let mut f = Feed::default();
    f.set_title(title.to_owned());
    f.set_id(format!("{base}{self_path}"));
    let updated = hearings
        .iter()
        .map(|h| h.created_at.max(h.opens_at))
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    f.set_updated(fixed(updated));
    let mut self_link = link(format!("{base}{self_path}"));
    self_link.set_rel("self");
    f.set_links(vec![self_link, link(format!("{base}/"))]);
    f.set_lang(Some(lang.code().to_owned()));
    f.set_entries(entries);
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            VARY,
        ],
        f.to_string(),
    )
        .into_response()
}

async fn all_hearings_feed(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
) -> Response {
    match state.consultation().published_hearings().await {
        Ok(hearings) => feed(
            &state,
            lang,
            &t(lang, "feed-title-all"),
            "/hearings.atom",
            &hearings,
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not build feed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn municipality_feed(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    Path(slug): Path<String>,
) -> Response {
    match state.consultation().municipality_with_hearings(&slug).await {
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Ok(Some((municipality, hearings))) => feed(
            &state,
            lang,
            &catalog().message(
                lang,
                "feed-title-municipality",
                &[(
                    "municipality",
                    FluentValue::from(municipality.name.as_str()),
                )],
            ),
            &format!("/m/{slug}/hearings.atom"),
            &hearings,
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not build feed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn deadline_ics(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<HearingId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // The calendar file is public: only a hearing anyone may read has one.
    let Ok(hearing) = state
        .consultation()
        .visible_hearing(&Actor::anonymous(), id)
        .await
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let local = hearing.deadline.to_zoned(domain::deadline::oslo());
    let Some(day) = chrono::NaiveDate::from_ymd_opt(
        i32::from(local.year()),
        u32::try_from(local.month()).unwrap_or(1),
        u32::try_from(local.day()).unwrap_or(1),
    ) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let url = format!("{}/hearings/{}", state.config().base_url, hearing.id);
    let event = icalendar::Event::new()
        .uid(&format!("deadline-{}@samrad", hearing.id))
        .summary(&catalog().message(
            lang,
            "ics-summary",
            &[("hearing", FluentValue::from(hearing.title.as_str()))],
        ))
        .description(&format!(
            "{}\n{url}",
            catalog().message(
                lang,
                "ics-description",
                &[(
                    "date",
                    FluentValue::from(i18n::format_datetime(lang, hearing.deadline)),
                )],
            )
        ))
        .url(&url)
        .all_day(day)
        .done();
    let calendar = Calendar::new().name("Samråd").push(event).done();
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hoyringsfrist.ics\"",
            ),
            VARY,
        ],
        calendar.to_string(),
    )
        .into_response()
}
