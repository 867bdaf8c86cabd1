//! Server-rendered HTML from the templates in `web/templates/`, compiled into the
//! binary. Autoescaping is on for every template, so user text is always text.

use domain::Lang;
use i18n::{FluentValue, catalog};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../web/templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "base.html",
    "form.html",
    "honeypot.html",
    "home.html",
    "hearing.html",
    "accessibility.html",
    "error.html",
    "hearing_list.html",
    "municipality.html",
    "sign_in.html",
    "sign_in_sent.html",
    "sign_in_confirm.html",
    "sign_in_failed.html",
    "sign_in_provider_failed.html",
    "planner.html",
    "planner_new_hearing.html",
    "planner_hearing.html",
    "planner_hearing_live.html",
    "planner_input_row.html",
    "planner_response_row.html",
    "admin_outbox.html",
    "admin_audit.html",
    "planner_tokens.html",
    "admin_sender.html",
    "planner_plan_emails.html",
    "planner_new_plan.html",
    "planner_plan.html",
    "planner_import.html",
    "planner_import_preview.html",
    "planner_document.html",
    "planner_compare.html",
    "planner_edit.html",
    "planner_groups.html",
    "planner_group.html",
    "planner_roster_preview.html",
    "invitation_accept.html",
    "invitation_failed.html",
    "planner_password.html",
    "comment_body.html",
    "assessment_public.html",
    "planner_publish_confirm.html",
    "comment_actions.html",
    "comment_meta.html",
    "comment_delete.html",
    "reply_form.html",
    "planner_moderation.html",
    "confirm_input.html",
    "unsubscribe.html",
    "me.html",
    "me_delete.html",
    "me_deleted.html",
    "response.html",
    "planner_register.html",
    "planner_letter.html",
    "planner_input.html",
    "planner_report.html",
    "planner_suggestions.html",
    "planner_assessment_error.html",
    "planner_statistics.html",
    "planner_register_row.html",
    "planner_register_rows.html",
    "workshop_board.html",
    "workshop_board_screen.html",
    "workshop_minutes.html",
    "workshop_board_setup.html",
    "workshop.html",
    "planner_workshop.html",
    "group.html",
    "group_reading.html",
);

pub struct Templates {
    env: Environment<'static>,
}

/// `t("message-id", name=value, …)`: a message in the page's language.
fn translate(state: &State<'_, '_>, id: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default();
    let mut args: Vec<(&str, FluentValue<'_>)> = Vec::new();
    let keys: Vec<&str> = kwargs.args().collect();
    for key in keys {
        let value: Value = kwargs.get(key)?;
        let fluent = if let Some(n) = value.as_i64() {
            FluentValue::from(n)
        } else {
            FluentValue::from(value.to_string())
        };
        args.push((key, fluent));
    }
    Ok(catalog().message(lang, id, &args))
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            // The templates are part of the binary; a broken one fails the tests.
            if let Err(err) = env.add_template(name, source) {
                tracing::error!(template = name, error = %err, "template does not compile");
            }
        }
        env.add_function("t", translate);
        Templates { env }
    }

    pub fn render(&self, name: &str, context: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

pub use i18n::format_datetime;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
