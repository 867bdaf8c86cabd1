//! Server-rendered HTML from the templates in `web/templates/`, compiled into the
//! binary. Autoescaping is on for every template, so user text is always text.

use domain::Lang;
use i18n::{FluentValue, catalog};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../web/templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "base.html",
    "home.html",
    "hearing.html",
    "accessibility.html",
    "error.html",
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

const MONTHS_NN: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "3. mai 2024 kl. 23:59" or "3 May 2024 at 23:59", in Norwegian time.
pub fn format_datetime(lang: Lang, ts: jiff::Timestamp) -> String {
    let z = ts.to_zoned(domain::deadline::oslo());
    let month = usize::try_from(z.month() - 1).unwrap_or(0);
    match lang {
        Lang::Nn | Lang::Nb => format!(
            "{}. {} {} kl. {:02}:{:02}",
            z.day(),
            MONTHS_NN[month],
            z.year(),
            z.hour(),
            z.minute()
        ),
        Lang::En => format!(
            "{} {} {} at {:02}:{:02}",
            z.day(),
            MONTHS_EN[month],
            z.year(),
            z.hour(),
            z.minute()
        ),
    }
}

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

    #[test]
    fn dates_are_local_and_localised() {
        let ts: jiff::Timestamp = "2024-05-03T21:59:00Z".parse().expect("valid");
        assert_eq!(format_datetime(Lang::Nn, ts), "3. mai 2024 kl. 23:59");
        assert_eq!(format_datetime(Lang::En, ts), "3 May 2024 at 23:59");
    }
}
