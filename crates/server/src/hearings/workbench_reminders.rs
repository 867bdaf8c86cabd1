//! The reminders section of the planner's hearing page: the days before the deadline
//! when those who have not answered are reminded, who stands where, and one extra
//! reminder by hand. The JSON API for the same is in `reminders.rs`.

use super::workbench_page::{Shown, planner_and_hearing, render_hearing};
use crate::state::AppState;
use crate::web::form::FormErrors;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use consultation::reminders::{ReminderError, ReminderOverview};
use domain::Lang;
use minijinja::{Value, context};
use serde::Deserialize;

/// The reminders section: the days, when each goes out, and who stands where.
pub(super) fn reminders_view(lang: Lang, o: ReminderOverview) -> Value {
    context! {
        days => domain::reminder::days_text(&o.days).replace(',', ", "),
        planned => o.planned.iter().map(|p| context! {
            days => p.days,
            at => format_datetime(lang, p.at),
            passed => p.passed,
        }).collect::<Vec<_>>(),
        invitees => o.invitees.iter().map(|i| context! {
            name => i.name,
            email => i.email,
            organisations => i.organisations.join(", "),
            answered => i.answered,
            next => i.next_reminder.map(|at| format_datetime(lang, at)),
        }).collect::<Vec<_>>(),
        can_send_now => o.can_send_now,
    }
}

/// A reminder refusal in the reader's language.
fn reminder_message(lang: Lang, err: &ReminderError) -> String {
    match err {
        ReminderError::Forbidden => i18n::t(lang, "planner-forbidden"),
        ReminderError::Db(_) => i18n::t(lang, "reminders-error-unavailable"),
        ReminderError::Days(_) | ReminderError::NotOpen => {
            i18n::t(lang, &format!("reminders-error-{}", err.code()))
        }
    }
}

/// The page again with a refusal at the top.
fn refused(lang: Lang, err: ReminderError) -> Shown {
    let text = reminder_message(lang, &err);
    let status = super::reminders::reminder_error(err).status;
    Shown::refused(lang, status, FormErrors::general(lang, text))
}

#[derive(Debug, Deserialize)]
pub(super) struct RemindersForm {
    #[serde(default)]
    days: String,
}

pub(super) async fn set_reminders(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<RemindersForm>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let lang = page.lang;
    let shown = match domain::reminder::parse_days(&form.days) {
        Err(e) => (hearing, refused(lang, e.into())),
        Ok(days) => match state
            .consultation()
            .set_reminder_days(&planner.actor, &planner.who, &hearing, &days)
            .await
        {
            Ok(changed) => (changed, Shown::done(lang, "reminders-done-saved")),
            Err(err) => (hearing, refused(lang, err)),
        },
    };
    render_hearing(&state, &page, &planner, &shown.0, shown.1).await
}

pub(super) async fn send_reminders(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let (planner, hearing) = match planner_and_hearing(&state, &page, &id).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let lang = page.lang;
    let shown = match state
        .consultation()
        .send_reminders_now(&planner.actor, &planner.who, &hearing)
        .await
    {
        Ok(count) => Shown::notice(
            lang,
            i18n::catalog().message(
                lang,
                "reminders-done-sent",
                &[("count", fluent_bundle::FluentValue::from(count))],
            ),
        ),
        Err(err) => refused(lang, err),
    };
    render_hearing(&state, &page, &planner, &hearing, shown).await
}
