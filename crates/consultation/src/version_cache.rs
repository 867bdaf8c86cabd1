//! What is worked out once per document version and kept in the process: the
//! sections as readers see them (sanitised HTML and its text) and the word diffs
//! between two versions.
//!
//! A version and its sections are written in one transaction and never changed
//! afterwards, so an entry keyed by version id is never stale, and each process
//! may keep its own. The caches are bounded: past their size the entry used least
//! recently goes.

use crate::documents::SectionDiff;
use domain::DocumentVersionId;
use domain::plan::Section;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Versions whose rendered sections are kept (a few hearings are open at a time).
const RENDERED_VERSIONS: usize = 64;
/// Pairs of versions whose diffs are kept.
const DIFFS: usize = 64;

/// A section of a version as readers see it.
#[derive(Debug)]
pub struct RenderedSection {
    pub section: Section,
    /// Its Markdown body as sanitised HTML.
    pub html: String,
    /// The text of that HTML, in which quoted passages are found.
    pub text: String,
}

/// The sections of a version in order, rendered.
pub type RenderedVersion = Arc<Vec<RenderedSection>>;

/// Renders sections (Markdown to sanitised HTML, and its text).
pub fn render_sections(sections: Vec<Section>) -> RenderedVersion {
    Arc::new(
        sections
            .into_iter()
            .map(|section| {
                let html = markup::markdown_to_html(&section.body);
                let text = markup::section_text(&html);
                RenderedSection {
                    section,
                    html,
                    text,
                }
            })
            .collect(),
    )
}

/// A small map that forgets the entry used least recently once it is full.
struct Bounded<K, V> {
    capacity: usize,
    tick: u64,
    entries: HashMap<K, (u64, V)>,
}

impl<K: Hash + Eq + Clone, V: Clone> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Bounded {
            capacity,
            tick: 0,
            entries: HashMap::new(),
        }
    }

    fn get(&mut self, key: &K) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|(used, value)| {
            *used = tick;
            value.clone()
        })
    }

    fn insert(&mut self, key: K, value: V) {
        if self.entries.len() >= self.capacity
            && !self.entries.contains_key(&key)
            && let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(k, _)| k.clone())
        {
            self.entries.remove(&oldest);
        }
        self.tick += 1;
        self.entries.insert(key, (self.tick, value));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// From which version to which a diff goes.
type VersionPair = (DocumentVersionId, DocumentVersionId);

/// The caches of one process (see the module's documentation).
pub(crate) struct VersionCache {
    rendered: Mutex<Bounded<DocumentVersionId, RenderedVersion>>,
    /// Each section's change without the inputs on it (those change as people write).
    diffs: Mutex<Bounded<VersionPair, Arc<Vec<SectionDiff>>>>,
}

impl Default for VersionCache {
    fn default() -> Self {
        VersionCache {
            rendered: Mutex::new(Bounded::new(RENDERED_VERSIONS)),
            diffs: Mutex::new(Bounded::new(DIFFS)),
        }
    }
}

impl VersionCache {
    pub(crate) fn rendered(&self, version: DocumentVersionId) -> Option<RenderedVersion> {
        self.rendered.lock().ok()?.get(&version)
    }

    pub(crate) fn keep_rendered(&self, version: DocumentVersionId, rendered: RenderedVersion) {
        if let Ok(mut cache) = self.rendered.lock() {
            cache.insert(version, rendered);
        }
    }

    pub(crate) fn diff(
        &self,
        from: DocumentVersionId,
        to: DocumentVersionId,
    ) -> Option<Arc<Vec<SectionDiff>>> {
        self.diffs.lock().ok()?.get(&(from, to))
    }

    pub(crate) fn keep_diff(
        &self,
        from: DocumentVersionId,
        to: DocumentVersionId,
        diff: Arc<Vec<SectionDiff>>,
    ) {
        if let Ok(mut cache) = self.diffs.lock() {
            cache.insert((from, to), diff);
        }
    }

    #[cfg(test)]
    fn rendered_len(&self) -> usize {
        self.rendered.lock().map(|c| c.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entry_goes_once_full() {
        let mut cache = Bounded::new(2);
        cache.insert(1, "a");
        cache.insert(2, "b");
        assert_eq!(cache.get(&1), Some("a"));
        cache.insert(3, "c");
        assert_eq!(cache.get(&2), None, "2 was used least recently");
        assert_eq!((cache.get(&1), cache.get(&3)), (Some("a"), Some("c")));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn rendered_versions_are_bounded() {
        let cache = VersionCache::default();
        for _ in 0..RENDERED_VERSIONS + 10 {
            cache.keep_rendered(DocumentVersionId::new(), render_sections(Vec::new()));
        }
        assert_eq!(cache.rendered_len(), RENDERED_VERSIONS);
    }

    #[test]
    fn a_section_is_rendered_as_sanitised_html_with_its_text() {
        let id = domain::SectionId::new();
        let rendered = render_sections(vec![Section {
            id,
            version_id: DocumentVersionId::new(),
            number: "1".into(),
            title: "Føremål".into(),
            level: 1,
            body: "Tekst med **vekt**<script>alert(1)</script>".into(),
            position: 0,
            lineage: id,
        }]);
        assert!(
            rendered[0].html.contains("<strong>vekt</strong>"),
            "{}",
            rendered[0].html
        );
        assert!(
            !rendered[0].html.contains("<script"),
            "{}",
            rendered[0].html
        );
        assert!(
            rendered[0].text.contains("Tekst med vekt"),
            "{}",
            rendered[0].text
        );
    }
}
