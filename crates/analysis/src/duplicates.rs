//! Near-duplicate and campaign grouping.
//!
//! The method, step by step:
//!
//! 1. **Normalise** each input ([`crate::text::normalise`]): compatibility forms,
//!    case, punctuation, typographic quotes and dashes, white space.
//! 2. **Shingle**: the set of overlapping runs of [`Options::shingle_words`] words,
//!    each hashed to 64 bits. A reordered paragraph changes only the shingles at its
//!    edges, an edited word only the shingles that contain it.
//! 3. **MinHash**: for each of [`HASHES`] random permutations of the 64-bit space
//!    (`x ↦ a·x + b` with `a` odd, seeded, so every run gives the same answer), the
//!    smallest permuted shingle. Two inputs agree at one place with probability equal
//!    to the Jaccard similarity of their shingle sets.
//! 4. **LSH banding**: the signature cut into [`Options::bands`] bands of
//!    [`Options::rows`] rows; inputs that agree on a whole band become candidates.
//!    A pair of similarity `s` becomes a candidate with probability `1 − (1 − sʳ)ᵇ`
//!    (with 32 bands of 2 rows: 0.9996 at `s` = 0.5, 0.95 at `s` = 0.3, 0.27 at
//!    `s` = 0.1; the verification, not the banding, decides).
//! 5. **Verification**: a candidate pair whose signatures make it plausible (the
//!    estimated similarity, or the containment it implies, within 0.15 of its
//!    threshold) is kept if the Jaccard similarity of the
//!    two shingle sets (computed exactly, not estimated) reaches
//!    [`Options::threshold`], or if nearly all of the shorter input's shingles are in
//!    the longer one ([`Options::containment`]: a campaign letter with a long
//!    personal paragraph added).
//! 6. **Union-find** joins the kept pairs into groups. Within a bucket each input is
//!    compared with at most [`MAX_REPRESENTATIVES`] inputs of other groups, so a
//!    campaign of 20,000 copies costs 20,000 comparisons, not 200 million.
//!
//! [`details`] then describes a group: the sentences most members share, and what
//! each member adds or lacks.

use crate::Input;
use crate::text::{normalise, sentences};
use serde::Serialize;
use std::collections::HashMap;

/// How many MinHash values each input gets.
pub const HASHES: usize = 64;
/// How many earlier groups an input in an LSH bucket is compared with.
pub const MAX_REPRESENTATIVES: usize = 6;

/// The settings of the grouping; the defaults are the documented, tested ones.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub shingle_words: usize,
    pub bands: usize,
    pub rows: usize,
    /// The least Jaccard similarity of two inputs' shingle sets that groups them.
    pub threshold: f64,
    /// The least share of the shorter input's shingles found in the longer one that
    /// groups them (for inputs of at least [`Options::containment_min_shingles`]).
    pub containment: f64,
    pub containment_min_shingles: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            shingle_words: 3,
            bands: 32,
            rows: 2,
            threshold: 0.4,
            containment: 0.75,
            containment_min_shingles: 20,
        }
    }
}

/// A group of near-copies: indexes into the inputs given, in input order.
pub type Group = Vec<usize>;

/// FNV-1a over bytes.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The SplitMix64 finaliser: spreads the bits of a hash.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The sorted, distinct hashed shingles of a text.
pub fn shingles(text: &str, words_per_shingle: usize) -> Vec<u64> {
    let normal = normalise(text);
    let words: Vec<u64> = normal
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| fnv(w.as_bytes()))
        .collect();
    let k = words_per_shingle.max(1);
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < k {
        vec![mix(words.iter().fold(0u64, |h, w| h.rotate_left(17) ^ w))]
    } else {
        words
            .windows(k)
            .map(|window| {
                mix(window.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, w| {
                    h.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ w
                }))
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The permutations `a·x + b` of the MinHash, from a fixed seed.
fn permutations() -> [(u64, u64); HASHES] {
    let mut state: u64 = 0x5a4d_5241_4432_3032; // fixed: every run gives the same groups
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(state)
    };
    std::array::from_fn(|_| (next() | 1, next()))
}

fn signature(shingles: &[u64], perms: &[(u64, u64); HASHES]) -> [u64; HASHES] {
    let mut mins = [u64::MAX; HASHES];
    for &s in shingles {
        for (m, (a, b)) in mins.iter_mut().zip(perms) {
            let v = a.wrapping_mul(s).wrapping_add(*b);
            if v < *m {
                *m = v;
            }
        }
    }
    mins
}

/// The Jaccard similarity of two sorted sets and their overlap.
fn overlap(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both
}

/// Whether two inputs' shingle sets are near enough to group them.
fn near(a: &[u64], b: &[u64], options: &Options) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let both = overlap(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - both;
    if both / union >= options.threshold {
        return true;
    }
    let shorter = a.len().min(b.len());
    shorter >= options.containment_min_shingles && both / shorter as f64 >= options.containment
}

/// How far below a threshold an estimate may fall and still be checked exactly:
/// about two and a half standard errors of a similarity estimated from 64 hashes.
const ESTIMATE_MARGIN: f64 = 0.15;

/// Whether the MinHash signatures leave the pair a chance of passing [`near`]: the
/// Jaccard similarity they estimate (the share of equal places), or the containment
/// that estimate implies for the sets' sizes, is near enough to its threshold. Far
/// cheaper than comparing the sets, so most chance meetings in a bucket stop here.
fn plausible(
    a: &[u64; HASHES],
    b: &[u64; HASHES],
    len_a: usize,
    len_b: usize,
    options: &Options,
) -> bool {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let jaccard = equal as f64 / HASHES as f64;
    if jaccard >= options.threshold - ESTIMATE_MARGIN {
        return true;
    }
    let shorter = len_a.min(len_b);
    if shorter < options.containment_min_shingles {
        return false;
    }
    let both = jaccard * (len_a + len_b) as f64 / (1.0 + jaccard);
    both / shorter as f64 >= options.containment - ESTIMATE_MARGIN
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let up = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = up;
            x = up;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index is the root, so the result does not depend on order.
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[high as usize] = low;
        }
    }
}

/// Groups of two or more near-copies among the texts, each group in input order and
/// the groups in the order of their first member.
pub fn group_texts<S: AsRef<str>>(texts: &[S], options: &Options) -> Vec<Group> {
    let n = texts.len();
    let rows = options.rows.max(1);
    let bands = options.bands.clamp(1, HASHES / rows);
    let perms = permutations();
    let sets: Vec<Vec<u64>> = texts
        .iter()
        .map(|t| shingles(t.as_ref(), options.shingle_words))
        .collect();
    // One bucket key per input and band.
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(n * bands);
    let signatures: Vec<[u64; HASHES]> = sets.iter().map(|set| signature(set, &perms)).collect();
    for (index, set) in sets.iter().enumerate() {
        if set.is_empty() {
            continue;
        }
        let sig = &signatures[index];
        for band in 0..bands {
            let mut h = mix(band as u64 + 1);
            for v in &sig[band * rows..(band + 1) * rows] {
                h = mix(h ^ v);
            }
            keys.push((h, index as u32));
        }
    }
    keys.sort_unstable();
    let mut groups = UnionFind::new(n);
    let mut representatives: Vec<u32> = Vec::with_capacity(MAX_REPRESENTATIVES);
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        if end - start > 1 {
            representatives.clear();
            for &(_, member) in &keys[start..end] {
                let root = groups.find(member);
                let mut joined = false;
                for &rep in &representatives {
                    if groups.find(rep) == root {
                        joined = true;
                        break;
                    }
                }
                if joined {
                    continue;
                }
                for &rep in &representatives {
                    let (a, b) = (rep as usize, member as usize);
                    if plausible(
                        &signatures[a],
                        &signatures[b],
                        sets[a].len(),
                        sets[b].len(),
                        options,
                    ) && near(&sets[a], &sets[b], options)
                    {
                        groups.union(rep, member);
                        joined = true;
                        break;
                    }
                }
                if !joined && representatives.len() < MAX_REPRESENTATIVES {
                    representatives.push(member);
                }
            }
        }
        start = end;
    }
    let mut by_root: HashMap<u32, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = groups.find(i as u32);
        by_root.entry(root).or_default().push(i);
    }
    let mut out: Vec<Group> = by_root.into_values().filter(|g| g.len() > 1).collect();
    out.sort_unstable_by_key(|g| g[0]);
    out
}

/// Groups of two or more near-copies among the inputs, by index.
pub fn group(inputs: &[Input], options: &Options) -> Vec<Group> {
    let texts: Vec<&str> = inputs.iter().map(|i| i.text.as_str()).collect();
    group_texts(&texts, options)
}

/// What a group of near-copies has in common and where each member differs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GroupDetails {
    /// The sentences at least half of the members contain (compared normalised), as
    /// the first member containing most of them wrote them, in its order.
    pub shared: Vec<String>,
    pub members: Vec<MemberDifferences>,
}

/// One member's differences from the shared text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MemberDifferences {
    pub id: String,
    /// Its sentences that are not shared (personal lines, edited sentences).
    pub added: Vec<String>,
    /// Shared sentences it does not contain.
    pub missing: Vec<String>,
}

/// The shared text and each member's differences for one group (indexes into `inputs`).
pub fn details(inputs: &[Input], group: &[usize]) -> GroupDetails {
    let split: Vec<Vec<(String, String)>> = group
        .iter()
        .map(|&i| {
            sentences(&inputs[i].text)
                .into_iter()
                .map(|s| (normalise(&s.text), s.text))
                .filter(|(n, _)| !n.is_empty())
                .collect()
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for member in &split {
        let mut seen = std::collections::HashSet::new();
        for (normal, _) in member {
            if seen.insert(normal.as_str()) {
                *counts.entry(normal.as_str()).or_default() += 1;
            }
        }
    }
    let is_shared = |normal: &str| counts.get(normal).is_some_and(|c| c * 2 >= group.len());
    // The member that holds the most shared sentences writes the shared text.
    let model = split
        .iter()
        .enumerate()
        .max_by_key(|(i, m)| {
            let held = m.iter().filter(|(n, _)| is_shared(n)).count();
            (held, std::cmp::Reverse(*i))
        })
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut shared_normal: Vec<&str> = Vec::new();
    let mut shared = Vec::new();
    if let Some(member) = split.get(model) {
        for (normal, text) in member {
            if is_shared(normal) && !shared_normal.contains(&normal.as_str()) {
                shared_normal.push(normal);
                shared.push(text.clone());
            }
        }
    }
    let members = group
        .iter()
        .zip(&split)
        .map(|(&i, member)| {
            let added = member
                .iter()
                .filter(|(n, _)| !shared_normal.contains(&n.as_str()))
                .map(|(_, t)| t.clone())
                .collect();
            let missing = shared_normal
                .iter()
                .zip(&shared)
                .filter(|(n, _)| !member.iter().any(|(m, _)| m == *n))
                .map(|(_, t)| t.clone())
                .collect();
            MemberDifferences {
                id: inputs[i].id.clone(),
                added,
                missing,
            }
        })
        .collect();
    GroupDetails { shared, members }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: &str, text: &str) -> Input {
        Input {
            id: id.into(),
            text: text.into(),
        }
    }

    const LETTER: &str = "Vi seier nei til den nye vegen gjennom Fjordvik sentrum. \
        Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen. \
        Kommunen må heller satse på kollektivtrafikk og trygge gang- og sykkelvegar. \
        Vi ber om at planen blir send tilbake og at innbyggjarane blir høyrde.";

    #[test]
    fn copies_with_edits_reordering_and_personal_lines_are_grouped() {
        let reordered = {
            let parts: Vec<&str> = LETTER.split(". ").collect();
            format!("{}. {}. {}. {}", parts[2], parts[0], parts[1], parts[3])
        };
        let inputs = vec![
            input("a", LETTER),
            input("b", &LETTER.replace("nye", "planlagde").to_uppercase()),
            input("c", &reordered),
            input(
                "d",
                &format!("{LETTER}\n\nEg bur sjølv ved elva og går der kvar dag med hunden."),
            ),
            input(
                "e",
                "Barnehagen på Nordheim treng fleire plassar, og ventelistene er lange.",
            ),
            input(
                "f",
                "Eg ønskjer ein ny idrettshall i bygda, for ungdomen har ingen stad å vere.",
            ),
        ];
        let groups = group(&inputs, &Options::default());
        assert_eq!(groups, vec![vec![0, 1, 2, 3]]);
        let described = details(&inputs, &groups[0]);
        assert_eq!(described.shared.len(), 4, "{described:?}");
        let d = &described.members[3];
        assert_eq!(d.id, "d");
        assert_eq!(
            d.added,
            ["Eg bur sjølv ved elva og går der kvar dag med hunden."]
        );
        assert!(d.missing.is_empty());
        let b = &described.members[1];
        assert_eq!(b.added.len(), 1, "{b:?}");
        assert_eq!(b.missing.len(), 1, "{b:?}");
    }

    #[test]
    fn empty_and_unrelated_inputs_are_not_grouped() {
        let inputs = vec![
            input("a", ""),
            input("b", "  "),
            input("c", "Nei."),
            input("d", "Ja."),
        ];
        assert!(group(&inputs, &Options::default()).is_empty());
    }

    #[test]
    fn short_identical_inputs_are_grouped() {
        let inputs = vec![
            input("a", "Nei til vindkraft!"),
            input("b", "nei til VINDKRAFT"),
        ];
        assert_eq!(group(&inputs, &Options::default()), vec![vec![0, 1]]);
    }
}
