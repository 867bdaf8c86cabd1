//! Sparse TF-IDF vectors over stems, shared by the themes and the summaries.

use crate::text::{Term, stemmer, terms};
use std::collections::HashMap;

/// A sparse vector: (term id, weight), sorted by term id, of length 1 (or empty).
pub(crate) type Vector = Vec<(u32, f32)>;

/// The stems seen, with the form each was most often written in.
#[derive(Default)]
pub(crate) struct Vocabulary {
    ids: HashMap<String, u32>,
    stems: Vec<String>,
    forms: Vec<HashMap<String, u32>>,
}

impl Vocabulary {
    pub fn id(&mut self, term: &Term) -> u32 {
        let id = match self.ids.get(&term.stem) {
            Some(id) => *id,
            None => {
                let id = self.stems.len() as u32;
                self.ids.insert(term.stem.clone(), id);
                self.stems.push(term.stem.clone());
                self.forms.push(HashMap::new());
                id
            }
        };
        *self.forms[id as usize]
            .entry(term.word.clone())
            .or_default() += 1;
        id
    }

    pub fn get(&self, stem: &str) -> Option<u32> {
        self.ids.get(stem).copied()
    }

    pub fn len(&self) -> usize {
        self.stems.len()
    }

    /// The form a stem was most often written in (the shortest, then the first in
    /// alphabetical order, of equally frequent ones).
    pub fn form(&self, id: u32) -> &str {
        self.forms[id as usize]
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(w, _)| w.as_str())
            .unwrap_or(&self.stems[id as usize])
    }
}

/// Counted terms of each text, their vocabulary, and TF-IDF vectors.
pub(crate) struct Space {
    pub vocabulary: Vocabulary,
    pub idf: Vec<f32>,
    pub vectors: Vec<Vector>,
}

impl Space {
    /// Vectors of the texts: weight `(1 + ln tf) · idf` with
    /// `idf = ln((1 + n) / (1 + df)) + 1`, normalised to length 1. Stems that only
    /// one text uses are left out when there are ten texts or more (they tell no
    /// texts together).
    pub fn build<S: AsRef<str>>(texts: &[S]) -> Space {
        let stemmer = stemmer();
        let mut vocabulary = Vocabulary::default();
        let counted: Vec<HashMap<u32, u32>> = texts
            .iter()
            .map(|t| {
                let mut counts = HashMap::new();
                for term in terms(t.as_ref(), &stemmer) {
                    *counts.entry(vocabulary.id(&term)).or_default() += 1;
                }
                counts
            })
            .collect();
        let mut df = vec![0u32; vocabulary.len()];
        for counts in &counted {
            for id in counts.keys() {
                df[*id as usize] += 1;
            }
        }
        let n = texts.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|d| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)
            .collect();
        let min_df = if texts.len() >= 10 { 2 } else { 1 };
        let vectors = counted
            .into_iter()
            .map(|counts| {
                let mut v: Vector = counts
                    .into_iter()
                    .filter(|(id, _)| df[*id as usize] >= min_df)
                    .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * idf[id as usize]))
                    .collect();
                v.sort_unstable_by_key(|(id, _)| *id);
                normalise(&mut v);
                v
            })
            .collect();
        Space {
            vocabulary,
            idf,
            vectors,
        }
    }

    /// The vector of words given by a person (a theme's terms), in this space.
    pub fn vector_of_words(&self, words: &[String]) -> Vector {
        let stemmer = stemmer();
        let mut v: Vector = Vec::new();
        for word in words {
            for term in terms(word, &stemmer) {
                if let Some(id) = self.vocabulary.get(&term.stem)
                    && !v.iter().any(|(i, _)| *i == id)
                {
                    v.push((id, self.idf[id as usize]));
                }
            }
        }
        v.sort_unstable_by_key(|(id, _)| *id);
        normalise(&mut v);
        v
    }
}

pub(crate) fn normalise(v: &mut Vector) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// The dot product of two sparse vectors (their cosine, both being of length 1).
pub(crate) fn dot(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The dot product of a sparse vector with a dense one.
pub(crate) fn dot_dense(a: &Vector, dense: &[f32]) -> f32 {
    a.iter().map(|(id, w)| w * dense[*id as usize]).sum()
}

/// A dense vector as a sparse one of length 1.
pub(crate) fn sparse(dense: &[f32]) -> Vector {
    let mut v: Vector = dense
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0.0)
        .map(|(id, w)| (id as u32, *w))
        .collect();
    normalise(&mut v);
    v
}
