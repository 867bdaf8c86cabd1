//! Workshops over HTTP: the JSON API (`api.rs`), the `.ics` download, and the pages
//! (`pages.rs`: the workshop's page with the answer form and the planner's view of
//! who comes, the planner's form, and the group's page). The rules live in
//! `consultation::workshops`; this folder extracts, calls one use case and renders.

pub(crate) mod api;
pub(crate) mod pages;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};
use consultation::workshops::WorkshopError;
use domain::Lang;
use http::StatusCode;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/plans/{id}/workshops",
            get(api::list_workshops).post(api::create_workshop),
        )
        .route(
            "/api/v1/workshops/{id}",
            get(api::get_workshop).put(api::update_workshop),
        )
        .route("/api/v1/workshops/{id}/cancel", post(api::cancel_workshop))
        .route(
            "/api/v1/workshops/{id}/registrations",
            get(api::list_registrations),
        )
        .route(
            "/api/v1/workshops/{id}/registration",
            put(api::answer_workshop),
        )
        .route(
            "/api/v1/workshops/{id}/registrations/{person_id}/attendance",
            put(api::record_attendance),
        )
        .merge(pages::routes())
}

/// What a refusal means over HTTP.
fn status_of(err: &WorkshopError) -> StatusCode {
    use WorkshopError::*;
    match err {
        PlanNotFound | WorkshopNotFound | GroupNotFound => StatusCode::NOT_FOUND,
        Forbidden | NotInvited => StatusCode::FORBIDDEN,
        RegistrationClosed | Cancelled | Changed | AttendanceTooEarly => StatusCode::CONFLICT,
        UnknownGroup | UnknownSection | UnknownDocument | UnknownAnswer | NotRegistered
        | Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<WorkshopError> for ApiError {
    fn from(err: WorkshopError) -> Self {
        match err {
            WorkshopError::PlanNotFound => ApiError::not_found("the plan"),
            WorkshopError::WorkshopNotFound => ApiError::not_found("the workshop"),
            WorkshopError::GroupNotFound => ApiError::not_found("the group"),
            WorkshopError::Invalid(e) => e.into(),
            WorkshopError::Db(e) => e.into(),
            other => ApiError::new(status_of(&other), other.code(), other.to_string()),
        }
    }
}

/// A refusal as a page says it: the status and a sentence in the reader's language.
pub(crate) fn form_error(lang: Lang, err: WorkshopError) -> (StatusCode, String) {
    if let WorkshopError::Db(e) = err {
        let api = ApiError::from(e);
        return (api.status, api.message);
    }
    let status = status_of(&err);
    let id = format!("workshop-error-{}", err.code());
    if i18n::catalog().has(lang, &id) {
        return (status, i18n::t(lang, &id));
    }
    (status, err.to_string())
}

/// A time as typed: RFC 3339, or a local date and time (`2027-03-04T09:00`, as a
/// browser's date-time field sends it) in Norwegian time.
pub(crate) fn parse_time(value: &str) -> Option<jiff::Timestamp> {
    let value = value.trim();
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let local: jiff::civil::DateTime = value.parse().ok()?;
    local
        .to_zoned(domain::deadline::oslo())
        .ok()
        .map(|z| z.timestamp())
}

/// A time for a date-time field: local Norwegian time without seconds.
pub(crate) fn local_input(ts: jiff::Timestamp) -> String {
    ts.to_zoned(domain::deadline::oslo())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_norwegian_time_unless_they_say_otherwise() {
        let winter = parse_time("2027-01-10T09:00").expect("local");
        assert_eq!(winter.to_string(), "2027-01-10T08:00:00Z");
        let summer = parse_time("2027-06-10T09:00").expect("local");
        assert_eq!(summer.to_string(), "2027-06-10T07:00:00Z");
        let explicit = parse_time("2027-06-10T09:00:00Z").expect("rfc 3339");
        assert_eq!(explicit.to_string(), "2027-06-10T09:00:00Z");
        assert_eq!(parse_time("tomorrow"), None);
        assert_eq!(local_input(winter), "2027-01-10T09:00");
    }
}
