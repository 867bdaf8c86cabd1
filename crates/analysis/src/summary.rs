//! Extractive summaries: the sentences that best represent what the inputs say.
//!
//! Every input is split into sentences ([`crate::text::sentences`]); sentences that
//! read the same once normalised count once, with every input that wrote them.
//! Sentences become TF-IDF vectors over stems (stop words left out). The score is
//! LexRank: the stationary distribution of a random walk over the graph whose edges
//! join sentences of cosine similarity at least [`Options::edge_similarity`],
//! weighted by that similarity, restarting at a sentence in proportion to how many
//! inputs wrote it. The summary takes the best-scored sentences, skipping any that
//! repeats a chosen one (similarity at least [`Options::redundancy`]).
//!
//! Every summary sentence is a sentence of a real input, given with that input's id
//! and its place there in characters, and with how many inputs make the same point
//! (a sentence of similarity at least [`Options::share_similarity`]).
//!
//! With more distinct sentences than [`Options::max_graph`], the graph holds those
//! nearest the centre of all of them (weighted by how many inputs wrote each), so
//! the cost stays bounded.

use crate::Input;
use crate::text::{normalise, sentences};
use crate::vectors::{Space, Vector, dot, dot_dense};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub sentences: usize,
    pub edge_similarity: f32,
    pub redundancy: f32,
    pub share_similarity: f32,
    pub max_graph: usize,
    /// Sentences with fewer terms (after stop words) are not candidates.
    pub min_terms: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sentences: 5,
            edge_similarity: 0.1,
            redundancy: 0.5,
            share_similarity: 0.5,
            max_graph: 1500,
            min_terms: 3,
        }
    }
}

/// One sentence of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummarySentence {
    pub text: String,
    /// The id of the (first) input that wrote it.
    pub source: String,
    /// Its place in that input's text, in characters (end exclusive).
    pub start: usize,
    pub end: usize,
    /// How many inputs make the same point (the source among them).
    pub shared_by: usize,
    pub score: f64,
}

struct Candidate {
    input: usize,
    start: usize,
    end: usize,
    text: String,
    /// The inputs that wrote this sentence (normalised the same).
    writers: Vec<usize>,
}

/// The summary of the inputs, best sentence first.
pub fn summarise(inputs: &[Input], options: &Options) -> Vec<SummarySentence> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        for s in sentences(&input.text) {
            let key = normalise(&s.text);
            if key.is_empty() {
                continue;
            }
            match by_text.get(&key) {
                Some(&c) => {
                    if candidates[c].writers.last() != Some(&i) {
                        candidates[c].writers.push(i);
                    }
                }
                None => {
                    by_text.insert(key, candidates.len());
                    candidates.push(Candidate {
                        input: i,
                        start: s.start,
                        end: s.end,
                        text: s.text,
                        writers: vec![i],
                    });
                }
            }
        }
    }
    let texts: Vec<&str> = candidates.iter().map(|c| c.text.as_str()).collect();
    let space = Space::build(&texts);
    let eligible: Vec<usize> = (0..candidates.len())
        .filter(|c| space.vectors[*c].len() >= options.min_terms)
        .collect();
    if eligible.is_empty() || options.sentences == 0 {
        return Vec::new();
    }
    // The graph's nodes: all eligible sentences, or those nearest the centre.
    let nodes: Vec<usize> = if eligible.len() <= options.max_graph {
        eligible.clone()
    } else {
        let mut centre = vec![0f32; space.vocabulary.len()];
        for &c in &eligible {
            let weight = candidates[c].writers.len() as f32;
            for (id, w) in &space.vectors[c] {
                centre[*id as usize] += w * weight;
            }
        }
        let mut ranked: Vec<(usize, f32)> = eligible
            .iter()
            .map(|&c| {
                let closeness = dot_dense(&space.vectors[c], &centre);
                (c, closeness)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut kept: Vec<usize> = ranked
            .into_iter()
            .take(options.max_graph)
            .map(|(c, _)| c)
            .collect();
        kept.sort_unstable();
        kept
    };
    let scores = lexrank(&nodes, &space.vectors, &candidates, options);
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then_with(|| a.cmp(b)));
    let mut chosen: Vec<usize> = Vec::new();
    for slot in order {
        if chosen.len() >= options.sentences {
            break;
        }
        let c = nodes[slot];
        if chosen
            .iter()
            .any(|&o| dot(&space.vectors[o], &space.vectors[c]) >= options.redundancy)
        {
            continue;
        }
        chosen.push(c);
    }
    chosen
        .into_iter()
        .map(|c| {
            let mut sharing: HashSet<usize> = candidates[c].writers.iter().copied().collect();
            for &o in &eligible {
                if o != c && dot(&space.vectors[o], &space.vectors[c]) >= options.share_similarity {
                    sharing.extend(candidates[o].writers.iter().copied());
                }
            }
            let slot = nodes.binary_search(&c).unwrap_or(0);
            let candidate = &candidates[c];
            SummarySentence {
                text: candidate.text.clone(),
                source: inputs[candidate.input].id.clone(),
                start: candidate.start,
                end: candidate.end,
                shared_by: sharing.len(),
                score: f64::from(scores[slot]),
            }
        })
        .collect()
}

/// LexRank scores of the nodes (continuous: edges weighted by similarity), with a
/// restart in proportion to how many inputs wrote each sentence.
fn lexrank(
    nodes: &[usize],
    vectors: &[Vector],
    candidates: &[Candidate],
    options: &Options,
) -> Vec<f32> {
    let n = nodes.len();
    let mut edges: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for a in 0..n {
        for b in a + 1..n {
            let s = dot(&vectors[nodes[a]], &vectors[nodes[b]]);
            if s >= options.edge_similarity {
                edges[a].push((b, s));
                edges[b].push((a, s));
            }
        }
    }
    let sums: Vec<f32> = edges
        .iter()
        .map(|e| e.iter().map(|(_, w)| w).sum())
        .collect();
    let total: f32 = nodes
        .iter()
        .map(|c| candidates[*c].writers.len() as f32)
        .sum();
    let restart: Vec<f32> = nodes
        .iter()
        .map(|c| candidates[*c].writers.len() as f32 / total)
        .collect();
    let damping = 0.85f32;
    let mut rank = restart.clone();
    for _ in 0..100 {
        let mut next: Vec<f32> = restart.iter().map(|r| (1.0 - damping) * r).collect();
        let mut dangling = 0.0;
        for a in 0..n {
            if sums[a] == 0.0 {
                dangling += rank[a];
                continue;
            }
            for (b, w) in &edges[a] {
                next[*b] += damping * rank[a] * w / sums[a];
            }
        }
        for (x, r) in next.iter_mut().zip(&restart) {
            *x += damping * dangling * r;
        }
        let change: f32 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < 1e-6 {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Vec<Input> {
        let mut out = vec![
            Input::new(
                "a",
                "Hei. Vegen gjennom sentrum er farleg for borna på veg til skulen. Eg ønskjer fortau.",
            ),
            Input::new(
                "b",
                "Borna som går til skulen, møter farleg trafikk på vegen gjennom sentrum. Helsing Kari",
            ),
            Input::new(
                "c",
                "Parken ved elva må takast vare på, han er det finaste grøntområdet i bygda.",
            ),
            Input::new(
                "d",
                "Vegen gjennom sentrum er farleg for borna på veg til skulen!",
            ),
            Input::new(
                "e",
                "Eg likar biblioteket og håpar det får lengre opningstider om kvelden.",
            ),
            Input::new(
                "f",
                "Grøntområdet ved elva må ikkje byggjast ned, parken er viktig for bygda.",
            ),
        ];
        out.push(Input::new(
            "g",
            "Det trengst fortau og lågare fart på vegen gjennom sentrum, for skulevegen til borna er farleg.",
        ));
        out
    }

    #[test]
    fn every_summary_sentence_is_a_real_sentence_of_its_source() {
        let inputs = inputs();
        let summary = summarise(&inputs, &Options::default());
        assert!(!summary.is_empty());
        for s in &summary {
            let source = inputs
                .iter()
                .find(|i| i.id == s.source)
                .expect("a real input");
            let chars: Vec<char> = source.text.chars().collect();
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
            assert!(s.shared_by >= 1);
        }
        // The point most inputs make comes first, with the inputs that share it.
        assert!(summary[0].text.contains("sentrum"), "{summary:#?}");
        assert!(summary[0].shared_by >= 3, "{summary:#?}");
        // Greetings are no points.
        assert!(
            summary
                .iter()
                .all(|s| s.text != "Hei." && !s.text.contains("Helsing"))
        );
        // No two sentences say the same.
        let texts: HashSet<&str> = summary.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts.len(), summary.len());
    }

    #[test]
    fn no_inputs_no_summary() {
        assert!(summarise(&[], &Options::default()).is_empty());
        assert!(summarise(&[Input::new("a", "  ")], &Options::default()).is_empty());
    }
}
