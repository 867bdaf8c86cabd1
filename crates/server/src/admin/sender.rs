//! The administrator's form for how the municipality's emails are sent: the
//! sender's display name and address, where replies go, and the public address its
//! links start with. A refused form comes back with what was typed and the error
//! beside its field.

use crate::auth::planner::require_planner;
use crate::state::AppState;
use crate::web::form::{Field, FormErrors, field, no_errors};
use crate::web::page::PageCtx;
use axum::extract::{Form, State};
use axum::response::Response;
use consultation::sender_settings::{SenderError, TypedSender};
use domain::plan::Municipality;
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

const FIELDS: &[Field] = &[
    field(
        "display_name",
        "sender-display-name",
        "sender-field-display-name",
    ),
    field("from_address", "sender-from", "sender-field-from"),
    field("reply_to", "sender-reply-to", "sender-field-reply-to"),
    field("base_url", "sender-base-url", "sender-field-base-url"),
];

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct SenderForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    from_address: String,
    #[serde(default)]
    reply_to: String,
    #[serde(default)]
    base_url: String,
}

impl SenderForm {
    fn of(municipality: &Municipality) -> SenderForm {
        let sender = &municipality.sender;
        SenderForm {
            display_name: sender.display_name.clone().unwrap_or_default(),
            from_address: sender.from_address.clone().unwrap_or_default(),
            reply_to: sender.reply_to.clone().unwrap_or_default(),
            base_url: sender.base_url.clone().unwrap_or_default(),
        }
    }
}

fn refused(state: &AppState, page: &PageCtx, err: &SenderError) -> Response {
    match err {
        SenderError::Forbidden => page.error(state, StatusCode::FORBIDDEN, "sender-forbidden"),
        SenderError::Db(e) => {
            tracing::error!(error = %e, "could not load or store the sender settings");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
        SenderError::Invalid(_) => {
            page.error(state, StatusCode::UNPROCESSABLE_ENTITY, "error-title")
        }
    }
}

fn render(
    state: &AppState,
    page: &PageCtx,
    municipality: &Municipality,
    form: &SenderForm,
    (status, errors, saved): (StatusCode, Value, bool),
) -> Response {
    page.render(
        state,
        status,
        "admin_sender.html",
        context! {
            municipality => municipality.name,
            form => Value::from_serialize(form),
            errors => errors,
            saved => saved,
        },
    )
}

pub(crate) async fn sender_form(State(state): State<AppState>, page: PageCtx) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match state.consultation().sender_settings(&planner.actor).await {
        Ok(municipality) => render(
            &state,
            &page,
            &municipality,
            &SenderForm::of(&municipality),
            (StatusCode::OK, no_errors(), false),
        ),
        Err(err) => refused(&state, &page, &err),
    }
}

pub(crate) async fn save_sender(
    State(state): State<AppState>,
    page: PageCtx,
    Form(form): Form<SenderForm>,
) -> Response {
    let planner = match require_planner(&state, &page).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let typed = TypedSender {
        display_name: Some(form.display_name.clone()),
        from_address: Some(form.from_address.clone()),
        reply_to: Some(form.reply_to.clone()),
        base_url: Some(form.base_url.clone()),
    };
    let service = state.consultation();
    match service
        .set_sender_settings(&planner.actor, &planner.who, &typed)
        .await
    {
        Ok(municipality) => render(
            &state,
            &page,
            &municipality,
            &SenderForm::of(&municipality),
            (StatusCode::OK, no_errors(), true),
        ),
        Err(SenderError::Invalid(e)) => match service.sender_settings(&planner.actor).await {
            Ok(municipality) => render(
                &state,
                &page,
                &municipality,
                &form,
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    FormErrors::invalid(page.lang, FIELDS, &e).value(),
                    false,
                ),
            ),
            Err(err) => refused(&state, &page, &err),
        },
        Err(err) => refused(&state, &page, &err),
    }
}
