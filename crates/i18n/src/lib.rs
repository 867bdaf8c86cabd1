//! Interface text in nynorsk (default), bokmål and English.
//!
//! The Fluent files live in `web/locales/<lang>/*.ftl` and are compiled into the
//! binary, so a release needs no files beside it. A message missing in bokmål or
//! English falls back to nynorsk; a test keeps the three catalogues complete.
//!
//! Invariant: no I/O; depends only on `domain`.

use domain::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;

pub use fluent_bundle::FluentValue;

macro_rules! locale_files {
    ($lang:literal) => {
        &[
            include_str!(concat!("../../../web/locales/", $lang, "/main.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/deadline.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/email.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/comments.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/privacy.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/responses.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/screening.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/assessment.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/reminders.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/publishing.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/digest.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/workbench.ftl")),
            include_str!(concat!("../../../web/locales/", $lang, "/workshops.ftl")),
            include_str!(concat!(
                "../../../web/locales/",
                $lang,
                "/workshop_board.ftl"
            )),
            include_str!(concat!(
                "../../../web/locales/",
                $lang,
                "/sign_in_providers.ftl"
            )),
            include_str!(concat!("../../../web/locales/", $lang, "/security.ftl")),
        ]
    };
}

const SOURCES: [(Lang, &[&str]); 3] = [
    (Lang::Nn, locale_files!("nn")),
    (Lang::Nb, locale_files!("nb")),
    (Lang::En, locale_files!("en")),
];

pub struct Catalog {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::load);

/// The catalogue compiled into this binary.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// Shorthand for a message without arguments.
pub fn t(lang: Lang, id: &str) -> String {
    CATALOG.message(lang, id, &[])
}

impl Catalog {
    fn load() -> Self {
        let bundles = SOURCES
            .iter()
            .map(|(lang, sources)| {
                let tag = lang
                    .code()
                    .parse()
                    .unwrap_or_else(|_| unic_langid::langid!("nn"));
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                // Isolation marks would end up inside HTML attributes and email headers.
                bundle.set_use_isolating(false);
                for source in *sources {
                    // A broken file is caught by the tests below; at run time keep what parsed.
                    let resource = FluentResource::try_new((*source).to_owned())
                        .unwrap_or_else(|(partial, _errors)| partial);
                    bundle.add_resource_overriding(resource);
                }
                (*lang, bundle)
            })
            .collect();
        Catalog { bundles }
    }

    fn bundle(&self, lang: Lang) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, bundle)| bundle)
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).is_some_and(|b| b.has_message(id))
    }

    /// Formats a message; falls back to nynorsk, then to the id itself so a missing
    /// text is visible instead of blank.
    pub fn message(&self, lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let (attribute_owner, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fa = FluentArgs::new();
            for (key, value) in args {
                fa.set(*key, value.clone());
            }
            fa
        });
        for candidate in [lang, Lang::Nn] {
            let Some(bundle) = self.bundle(candidate) else {
                continue;
            };
            let Some(message) = bundle.get_message(attribute_owner) else {
                continue;
            };
            let pattern = match attribute {
                Some(name) => message.get_attribute(name).map(|a| a.value()),
                None => message.value(),
            };
            if let Some(pattern) = pattern {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, fluent_args.as_ref(), &mut errors)
                    .into_owned();
            }
        }
        id.to_owned()
    }

    /// All message ids of a language, for completeness checks.
    pub fn message_ids(lang: Lang) -> Vec<String> {
        let mut ids = Vec::new();
        for (l, sources) in SOURCES.iter() {
            if *l != lang {
                continue;
            }
            for source in *sources {
                if let Ok(resource) = FluentResource::try_new((*source).to_owned()) {
                    for entry in resource.entries() {
                        if let fluent_syntax::ast::Entry::Message(m) = entry {
                            ids.push(m.id.name.to_owned());
                        }
                    }
                }
            }
        }
        ids
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

/// "3. mai 2024" or "3 May 2024".
pub fn format_date(lang: Lang, date: jiff::civil::Date) -> String {
    let month = usize::try_from(date.month() - 1).unwrap_or(0);
    match lang {
        Lang::Nn | Lang::Nb => format!("{}. {} {}", date.day(), MONTHS_NN[month], date.year()),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// The month names, January first, as dates are written in `lang`.
pub fn month_names(lang: Lang) -> [&'static str; 12] {
    match lang {
        Lang::Nn | Lang::Nb => MONTHS_NN,
        Lang::En => MONTHS_EN,
    }
}

/// How a date and time are written in `lang`, with the places `{day}`, `{month}`
/// (its name), `{year}`, `{hour}` and `{minute}` (two digits each). The pages hand it
/// to their script, so a comment that arrives live shows its time as the server would.
pub fn datetime_pattern(lang: Lang) -> &'static str {
    match lang {
        Lang::Nn | Lang::Nb => "{day}. {month} {year} kl. {hour}:{minute}",
        Lang::En => "{day} {month} {year} at {hour}:{minute}",
    }
}

/// "3. mai 2024 kl. 23:59" or "3 May 2024 at 23:59", in Norwegian time.
pub fn format_datetime(lang: Lang, ts: jiff::Timestamp) -> String {
    let z = ts.to_zoned(domain::deadline::oslo());
    let month = usize::try_from(z.month() - 1).unwrap_or(0);
    datetime_pattern(lang)
        .replace("{day}", &z.day().to_string())
        .replace("{month}", month_names(lang)[month])
        .replace("{year}", &z.year().to_string())
        .replace("{hour}", &format!("{:02}", z.hour()))
        .replace("{minute}", &format!("{:02}", z.minute()))
}

/// A file size for people: "12 kB", "3,4 MB" (Norwegian) or "3.4 MB" (English),
/// rounded up so a file is never said to be smaller than it is.
pub fn format_size(lang: Lang, bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let text = if bytes < MB {
        format!("{} kB", bytes.div_ceil(KB).max(1))
    } else {
        let tenths = (bytes * 10).div_ceil(MB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    };
    match lang {
        Lang::Nn | Lang::Nb => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses() {
        for (lang, sources) in SOURCES.iter() {
            for source in *sources {
                if let Err((_, errors)) = FluentResource::try_new((*source).to_owned()) {
                    panic!("{lang:?}: {errors:?}");
                }
            }
        }
    }

    #[test]
    fn bokmaal_and_english_have_every_nynorsk_message_and_no_extra() {
        let mut nn = Catalog::message_ids(Lang::Nn);
        nn.sort();
        assert!(nn.len() > 10, "the nynorsk catalogue looks empty");
        for lang in [Lang::Nb, Lang::En] {
            let mut other = Catalog::message_ids(lang);
            other.sort();
            assert_eq!(nn, other, "{lang:?} differs from nynorsk");
        }
    }

    #[test]
    fn languages_differ_and_arguments_are_filled_in() {
        let nn = t(Lang::Nn, "nav-skip");
        let en = t(Lang::En, "nav-skip");
        assert_ne!(nn, en);
        let text = catalog().message(
            Lang::En,
            "hearing-days-left",
            &[("days", FluentValue::from(3))],
        );
        assert!(text.contains('3'), "{text}");
    }

    #[test]
    fn dates_are_local_and_localised() {
        let ts: jiff::Timestamp = "2024-05-03T21:59:00Z".parse().expect("valid");
        assert_eq!(format_datetime(Lang::Nn, ts), "3. mai 2024 kl. 23:59");
        assert_eq!(format_datetime(Lang::En, ts), "3 May 2024 at 23:59");
        assert_eq!(
            format_date(Lang::En, jiff::civil::date(2024, 12, 24)),
            "24 December 2024"
        );
        let winter: jiff::Timestamp = "2024-02-19T22:59:00Z".parse().expect("valid");
        assert_eq!(
            format_datetime(Lang::Nb, winter),
            "19. februar 2024 kl. 23:59"
        );
    }

    #[test]
    fn sizes_are_rounded_up_and_localised() {
        assert_eq!(format_size(Lang::Nn, 0), "1 kB");
        assert_eq!(format_size(Lang::Nn, 2000), "2 kB");
        assert_eq!(format_size(Lang::Nb, 3 * 1024 * 1024 + 1), "3,1 MB");
        assert_eq!(format_size(Lang::En, 10 * 1024 * 1024), "10.0 MB");
    }

    #[test]
    fn unknown_id_shows_itself() {
        assert_eq!(t(Lang::Nb, "no-such-message"), "no-such-message");
    }
}
