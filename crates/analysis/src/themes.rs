//! Suggested themes.
//!
//! Each input becomes a TF-IDF vector over Snowball Norwegian stems with the
//! nynorsk and bokmål stop words left out ([`crate::text::stop_words`]). The themes a
//! planner accepted come first and stay: their members stay members, and an input
//! joins the accepted theme it is most similar to (at least
//! [`Options::join_similarity`]) — the theme's centre is the mean of its members'
//! vectors and its terms. The other inputs are clustered by spherical k-means
//! (cosine similarity; deterministic farthest-first start, so the same inputs always
//! give the same themes) into at most [`Options::max_themes`] new themes, each named
//! by its top terms in the form they were most often written. An input less similar
//! than [`Options::min_similarity`] to every theme stays outside all of them.

use crate::Input;
use crate::vectors::{Space, Vector, dot, dot_dense, sparse};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};

/// A theme a planner accepted (and perhaps renamed): its name, the words that
/// describe it, and the inputs it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedTheme {
    pub name: String,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// A theme: accepted (kept from an earlier run) or suggested (new).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub name: String,
    /// Its top terms, as they were most often written.
    pub terms: Vec<String>,
    /// Ids of its inputs, in input order.
    pub members: Vec<String>,
    pub accepted: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub max_themes: usize,
    pub min_members: usize,
    /// The least cosine similarity of an input to a new theme's centre.
    pub min_similarity: f32,
    /// The least cosine similarity of an input to an accepted theme's centre to join it.
    pub join_similarity: f32,
    /// How many top terms name a theme.
    pub name_terms: usize,
    /// Clusters whose centres are at least this similar become one theme.
    pub merge_similarity: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_themes: 8,
            min_members: 2,
            min_similarity: 0.08,
            join_similarity: 0.2,
            name_terms: 3,
            merge_similarity: 0.4,
        }
    }
}

/// The themes of the inputs: the accepted ones first (in the order given), then the
/// suggested ones, largest first.
pub fn suggest(inputs: &[Input], accepted: &[AcceptedTheme], options: &Options) -> Vec<Theme> {
    let texts: Vec<&str> = inputs.iter().map(|i| i.text.as_str()).collect();
    let space = Space::build(&texts);
    let dims = space.vocabulary.len();
    let mut theme_of: Vec<Option<usize>> = vec![None; inputs.len()];

    // Accepted themes: their members stay, then the most similar inputs join.
    let index_of: std::collections::HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (input.id.as_str(), i))
        .collect();
    let mut centres: Vec<Vector> = Vec::with_capacity(accepted.len());
    for (t, theme) in accepted.iter().enumerate() {
        let mut dense = vec![0f32; dims];
        for id in &theme.members {
            if let Some(&i) = index_of.get(id.as_str()) {
                if theme_of[i].is_none() {
                    theme_of[i] = Some(t);
                }
                for (term, w) in &space.vectors[i] {
                    dense[*term as usize] += w;
                }
            }
        }
        let named = space.vector_of_words(&theme.terms);
        let weight = theme.members.len().max(1) as f32;
        for (term, w) in &named {
            dense[*term as usize] += w * weight;
        }
        centres.push(sparse(&dense));
    }
    for (i, v) in space.vectors.iter().enumerate() {
        if theme_of[i].is_some() || v.is_empty() {
            continue;
        }
        let best = centres
            .iter()
            .enumerate()
            .map(|(t, c)| (t, dot(v, c)))
            .filter(|(_, s)| *s >= options.join_similarity)
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        if let Some((t, _)) = best {
            theme_of[i] = Some(t);
        }
    }
    let mut themes: Vec<Theme> = accepted
        .iter()
        .enumerate()
        .map(|(t, theme)| {
            let terms = if theme.terms.is_empty() {
                top_terms(&space, &centres[t], options.name_terms, &HashSet::new())
            } else {
                theme.terms.clone()
            };
            Theme {
                name: theme.name.clone(),
                terms,
                members: members(inputs, &theme_of, t),
                accepted: true,
            }
        })
        .collect();

    // New themes among the rest.
    let rest: Vec<usize> = (0..inputs.len())
        .filter(|i| theme_of[*i].is_none() && !space.vectors[*i].is_empty())
        .collect();
    if options.max_themes == 0 || rest.len() < options.min_members.max(2) {
        return themes;
    }
    // More clusters than themes at first, then the nearest merged.
    let k = ((rest.len() as f64 / 2.0).sqrt().round() as usize).clamp(1, 3 * options.max_themes);
    let clusters = merge(kmeans(&space, &rest, k, dims), options, dims);
    let mut suggested: Vec<(Vec<usize>, Vector)> = Vec::new();
    for (members_of, centre) in clusters {
        let kept: Vec<usize> = members_of
            .into_iter()
            .filter(|i| dot(&space.vectors[*i], &centre) >= options.min_similarity)
            .collect();
        if kept.len() >= options.min_members.max(1) {
            suggested.push((kept, centre));
        }
    }
    suggested.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0[0].cmp(&b.0[0])));
    let mut used: HashSet<u32> = HashSet::new();
    for (members_of, centre) in suggested {
        let terms = top_terms(&space, &centre, options.name_terms, &used);
        for t in &terms {
            if let Some(id) = space.vocabulary_id_of_form(t) {
                used.insert(id);
            }
        }
        let mut ids: BTreeSet<usize> = BTreeSet::new();
        ids.extend(members_of);
        themes.push(Theme {
            name: terms.join(", "),
            terms,
            members: ids.into_iter().map(|i| inputs[i].id.clone()).collect(),
            accepted: false,
        });
    }
    themes
}

fn members(inputs: &[Input], theme_of: &[Option<usize>], t: usize) -> Vec<String> {
    theme_of
        .iter()
        .enumerate()
        .filter(|(_, x)| **x == Some(t))
        .map(|(i, _)| inputs[i].id.clone())
        .collect()
}

/// The terms of highest weight in a centre, as written, skipping stems another theme
/// is named by already when there are others to take.
fn top_terms(space: &Space, centre: &Vector, n: usize, used: &HashSet<u32>) -> Vec<String> {
    let mut ranked: Vec<(u32, f32)> = centre.clone();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let fresh: Vec<u32> = ranked
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !used.contains(id))
        .take(n)
        .collect();
    let chosen = if fresh.is_empty() {
        ranked.iter().map(|(id, _)| *id).take(n).collect()
    } else {
        fresh
    };
    chosen
        .into_iter()
        .map(|id| space.vocabulary.form(id).to_owned())
        .collect()
}

impl Space {
    fn vocabulary_id_of_form(&self, form: &str) -> Option<u32> {
        let stemmer = crate::text::stemmer();
        self.vocabulary.get(&stemmer.stem(form))
    }
}

/// Spherical k-means over the given inputs: (members, centre) for each cluster.
fn kmeans(space: &Space, items: &[usize], k: usize, dims: usize) -> Vec<(Vec<usize>, Vector)> {
    let vectors = &space.vectors;
    // Farthest-first start: the input with the most terms, then each time the
    // input least similar to every centre chosen.
    let first = *items
        .iter()
        .max_by(|a, b| {
            vectors[**a]
                .len()
                .cmp(&vectors[**b].len())
                .then_with(|| b.cmp(a))
        })
        .unwrap_or(&items[0]);
    let mut centres: Vec<Vec<f32>> = vec![dense_of(&vectors[first], dims)];
    let mut nearest: Vec<f32> = items
        .iter()
        .map(|i| dot_dense(&vectors[*i], &centres[0]))
        .collect();
    while centres.len() < k {
        let Some((at, _)) = nearest
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then_with(|| a.0.cmp(&b.0)))
        else {
            break;
        };
        let centre = dense_of(&vectors[items[at]], dims);
        for (n, i) in nearest.iter_mut().zip(items) {
            *n = n.max(dot_dense(&vectors[*i], &centre));
        }
        centres.push(centre);
    }
    let mut assignment = vec![usize::MAX; items.len()];
    for _round in 0..30 {
        let mut changed = false;
        for (slot, i) in items.iter().enumerate() {
            let best = centres
                .iter()
                .enumerate()
                .map(|(c, centre)| (c, dot_dense(&vectors[*i], centre)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(c, _)| c)
                .unwrap_or(0);
            if assignment[slot] != best {
                assignment[slot] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let mut sum = vec![0f32; dims];
            let mut any = false;
            for (slot, i) in items.iter().enumerate() {
                if assignment[slot] == c {
                    any = true;
                    for (term, w) in &vectors[*i] {
                        sum[*term as usize] += w;
                    }
                }
            }
            if any {
                let norm = sum.iter().map(|w| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for w in &mut sum {
                        *w /= norm;
                    }
                }
                *centre = sum;
            }
        }
    }
    centres
        .iter()
        .enumerate()
        .map(|(c, centre)| {
            let members: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(slot, _)| assignment[*slot] == c)
                .map(|(_, i)| *i)
                .collect();
            (members, sparse(centre))
        })
        .filter(|(m, _)| !m.is_empty())
        .collect()
}

/// Merges clusters whose centres are alike (cosine at least
/// [`Options::merge_similarity`]), the most alike first, then keeps the
/// [`Options::max_themes`] largest; the members of the others go to the nearest kept
/// centre.
fn merge(
    mut clusters: Vec<(Vec<usize>, Vector)>,
    options: &Options,
    dims: usize,
) -> Vec<(Vec<usize>, Vector)> {
    let centre_of = |a: &Vector, an: usize, b: &Vector, bn: usize| {
        let mut dense = vec![0f32; dims];
        for (id, w) in a {
            dense[*id as usize] += w * an as f32;
        }
        for (id, w) in b {
            dense[*id as usize] += w * bn as f32;
        }
        sparse(&dense)
    };
    loop {
        let mut best: Option<(usize, usize, f32)> = None;
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                let s = dot(&clusters[a].1, &clusters[b].1);
                if s >= options.merge_similarity && best.is_none_or(|(_, _, t)| s > t) {
                    best = Some((a, b, s));
                }
            }
        }
        let Some((a, b, _)) = best else { break };
        let (members_b, centre_b) = clusters.remove(b);
        let (members_a, centre_a) = &clusters[a];
        let centre = centre_of(centre_a, members_a.len(), &centre_b, members_b.len());
        let mut members = members_a.clone();
        members.extend(members_b);
        members.sort_unstable();
        clusters[a] = (members, centre);
    }
    clusters.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0[0].cmp(&b.0[0])));
    if clusters.len() > options.max_themes {
        let dropped = clusters.split_off(options.max_themes);
        for (members, centre) in dropped {
            // Whole clusters move to the kept centre nearest theirs.
            let nearest = clusters
                .iter()
                .enumerate()
                .map(|(k, c)| (k, dot(&c.1, &centre)))
                .max_by(|x, y| x.1.total_cmp(&y.1).then_with(|| y.0.cmp(&x.0)))
                .map(|(k, _)| k)
                .unwrap_or(0);
            clusters[nearest].0.extend(members);
            clusters[nearest].0.sort_unstable();
        }
    }
    clusters
}

fn dense_of(v: &Vector, dims: usize) -> Vec<f32> {
    let mut dense = vec![0f32; dims];
    for (id, w) in v {
        dense[*id as usize] = *w;
    }
    dense
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(offset: usize, per_topic: usize) -> Vec<Input> {
        let topics: [&[&str]; 3] = [
            &[
                "Barnehagen på Nordheim treng fleire plassar og nye barnehagelærarar.",
                "Ventelista til barnehageplass er for lang, barnehagen må byggjast ut.",
                "Barnehagar nær bustadene gjer kvardagen lettare for småbarnsforeldre.",
                "Fleire barnehageplassar trengst, og barnehagen treng uteområde.",
            ],
            &[
                "Trafikken gjennom sentrum er farleg, vegen treng fortau og fartsdumpar.",
                "Tungtrafikken på vegen forbi skulen må flyttast, trafikken er for stor.",
                "Bygg gang- og sykkelveg langs vegen, trafikken gjer det utrygt.",
                "Vegen gjennom sentrum har for mykje trafikk og for høg fart.",
            ],
            &[
                "Vindkraftverket på fjellet vil øydeleggje naturen og reinbeitet.",
                "Vindturbinane støyar, og vindkraft på fjellet skader fuglelivet.",
                "Nei til vindkraft i urørt natur, fjellet må vernast.",
                "Vindkraftverket gir lite att til bygda og øydelegg naturen på fjellet.",
            ],
        ];
        let mut out = Vec::new();
        for n in 0..per_topic {
            for (t, sentences) in topics.iter().enumerate() {
                let text = format!(
                    "{} {}",
                    sentences[n % sentences.len()],
                    sentences[(n + 1) % sentences.len()]
                );
                out.push(Input::new(format!("{}-{}", t, offset + n), text));
            }
        }
        out
    }

    #[test]
    fn inputs_on_three_topics_fall_in_three_themes_named_by_their_words() {
        let inputs = corpus(0, 8);
        let themes = suggest(&inputs, &[], &Options::default());
        assert!(themes.len() >= 3, "{themes:#?}");
        for topic in ["0-", "1-", "2-"] {
            // Each topic's inputs are together in one theme, and no theme mixes topics.
            let holding: Vec<&Theme> = themes
                .iter()
                .filter(|t| t.members.iter().any(|m| m.starts_with(topic)))
                .collect();
            assert_eq!(holding.len(), 1, "{topic}: {themes:#?}");
            assert!(holding[0].members.iter().all(|m| m.starts_with(topic)));
            assert_eq!(holding[0].members.len(), 8);
        }
        let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
        assert!(names.iter().any(|n| n.contains("barnehag")), "{names:?}");
        assert!(
            names
                .iter()
                .any(|n| n.contains("trafikk") || n.contains("veg")),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.contains("vindkraft") || n.contains("fjell")),
            "{names:?}"
        );
        assert!(themes.iter().all(|t| !t.accepted));
        // The same inputs give the same themes.
        assert_eq!(themes, suggest(&inputs, &[], &Options::default()));
    }

    #[test]
    fn accepted_themes_stay_when_new_inputs_arrive() {
        let first = corpus(0, 8);
        let themes = suggest(&first, &[], &Options::default());
        let traffic = themes
            .iter()
            .find(|t| t.members.iter().all(|m| m.starts_with("1-")))
            .expect("a traffic theme");
        // The planner renames it and accepts it.
        let accepted = vec![AcceptedTheme {
            name: "Trafikktryggleik".into(),
            terms: traffic.terms.clone(),
            members: traffic.members.clone(),
        }];
        let mut more = first.clone();
        more.extend(corpus(100, 6));
        let again = suggest(&more, &accepted, &Options::default());
        assert_eq!(again[0].name, "Trafikktryggleik");
        assert!(again[0].accepted);
        for m in &traffic.members {
            assert!(again[0].members.contains(m), "{m} left the accepted theme");
        }
        // The new traffic inputs joined it, and nothing else did.
        assert_eq!(again[0].members.len(), 14, "{:#?}", again[0]);
        assert!(again[0].members.iter().all(|m| m.starts_with("1-")));
        // No new theme about traffic beside it.
        assert!(
            again[1..]
                .iter()
                .all(|t| t.members.iter().all(|m| !m.starts_with("1-")))
        );
    }
}
