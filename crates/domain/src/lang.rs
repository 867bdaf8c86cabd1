//! The three interface languages. Nynorsk is the default.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nn,
    Nb,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nn, Lang::Nb, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nn => "nn",
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// Accepts the language codes and the tags browsers send (`nn-NO`, `no`, `en-GB`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "nn" => Some(Lang::Nn),
            "nb" | "no" => Some(Lang::Nb),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut candidates: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, lang))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        candidates.first().map(|(_, lang)| *lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_browser_tags() {
        assert_eq!(Lang::parse("nn-NO"), Some(Lang::Nn));
        assert_eq!(Lang::parse("no"), Some(Lang::Nb));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            Lang::from_accept_language("de, en;q=0.5, nb;q=0.8"),
            Some(Lang::Nb)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
    }
}
