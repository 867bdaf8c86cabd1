//! The grouping measured on 10,000 generated inputs: planted campaigns whose copies
//! have edited and inserted words, reordered sentences, added personal lines and
//! typographic changes, among distinct inputs written from the same phrases on the
//! same topics. The same seed always gives the same inputs.

use analysis::Input;
use analysis::duplicates::{Options, group};
use std::collections::HashMap;

/// SplitMix64: a small, seeded generator, so the set is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Topic {
    nouns: &'static [&'static str],
    places: &'static [&'static str],
    verbs: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        nouns: &[
            "barnehagen",
            "barnehageplassane",
            "uteområdet",
            "ventelista",
            "personalet",
            "bemanninga",
            "opningstida",
            "leikeplassen",
        ],
        places: &[
            "Nordheim",
            "sentrum",
            "Bakkeli",
            "Fjordvik",
            "Sørbygda",
            "Åsen",
        ],
        verbs: &[
            "byggjast ut",
            "prioriterast",
            "takast vare på",
            "styrkjast",
            "flyttast",
            "utvidast",
        ],
    },
    Topic {
        nouns: &[
            "vegen",
            "trafikken",
            "fortauet",
            "krysset",
            "fartsgrensa",
            "gang- og sykkelvegen",
            "bussen",
            "parkeringa",
        ],
        places: &["skulen", "sentrum", "hamna", "Storgata", "brua", "kyrkja"],
        verbs: &[
            "utbetrast",
            "gjerast tryggare",
            "flyttast",
            "byggjast",
            "stengjast",
            "regulerast",
        ],
    },
    Topic {
        nouns: &[
            "vindkraftverket",
            "turbinane",
            "naturen",
            "reinbeitet",
            "fuglelivet",
            "utsikta",
            "støyen",
            "anleggsvegane",
        ],
        places: &[
            "fjellet",
            "heia",
            "Storfjellet",
            "vidda",
            "Kvitåsen",
            "myrane",
        ],
        verbs: &[
            "stoppast",
            "vernast",
            "utgreiast betre",
            "flyttast",
            "avgrensast",
            "takast omsyn til",
        ],
    },
    Topic {
        nouns: &[
            "idrettshallen",
            "symjehallen",
            "kunstgrasbana",
            "klubbhuset",
            "lysløypa",
            "ungdomsklubben",
            "garderobane",
            "treningstidene",
        ],
        places: &[
            "skulen",
            "Nordheim",
            "idrettsparken",
            "Bakkeli",
            "sentrum",
            "Vikane",
        ],
        verbs: &[
            "byggjast",
            "rehabiliterast",
            "opnast for alle",
            "prioriterast",
            "finansierast",
            "planleggjast",
        ],
    },
    Topic {
        nouns: &[
            "bustadfeltet",
            "leilegheitene",
            "tomtene",
            "grøntområdet",
            "byggjehøgda",
            "fortettinga",
            "utsikta",
            "sola",
        ],
        places: &[
            "Åsen",
            "strandsona",
            "Fjordvik",
            "Sørbygda",
            "elva",
            "Kvernhusbakken",
        ],
        verbs: &[
            "reduserast",
            "tilpassast nabolaget",
            "skjermast",
            "planleggjast på nytt",
            "avgrensast",
            "byggjast lågare",
        ],
    },
    Topic {
        nouns: &[
            "hamna",
            "kaia",
            "småbåthamna",
            "molo",
            "sjøfronten",
            "fiskemottaket",
            "turstien",
            "badeplassen",
        ],
        places: &[
            "Fjordvik",
            "Vikane",
            "sentrum",
            "Nesset",
            "Holmen",
            "Strandvegen",
        ],
        verbs: &[
            "opnast for ålmenta",
            "sikrast",
            "byggjast om",
            "takast vare på",
            "utvidast",
            "ryddast",
        ],
    },
];

const GROUPS: &[&str] = &[
    "borna",
    "dei eldre",
    "ungdomen",
    "familiane",
    "hytteeigarane",
    "alle som bur her",
    "turgåarane",
    "næringslivet",
];
const TIMES: &[&str] = &[
    "neste år",
    "før vinteren",
    "innan 2030",
    "i planperioden",
    "så snart som mogleg",
    "før anleggsstart",
];
const OPINIONS: &[&str] = &[
    "meiner",
    "synest",
    "trur",
    "er sikker på",
    "er redd for",
    "ønskjer",
];
const ADJECTIVES: &[&str] = &[
    "viktig",
    "farleg",
    "for dårleg",
    "verdifull",
    "uheldig",
    "nødvendig",
    "for dyr",
    "populær",
];

fn sentence(rng: &mut Rng, topic: &Topic) -> String {
    let n = rng.pick(topic.nouns);
    let n2 = rng.pick(topic.nouns);
    let p = rng.pick(topic.places);
    let v = rng.pick(topic.verbs);
    let g = rng.pick(GROUPS);
    let t = rng.pick(TIMES);
    let o = rng.pick(OPINIONS);
    let a = rng.pick(ADJECTIVES);
    let capital = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    match rng.below(12) {
        0 => format!("Eg {o} at {n} ved {p} må {v}."),
        1 => format!("{} er {a} for {g} i {p}.", capital(n)),
        2 => format!("Kommunen bør sørgje for at {n} blir {a} {t}."),
        3 => format!("For {g} er det {a} at {n} og {n2} ved {p} må {v}."),
        4 => format!("Vi har sett at {n} i {p} er {a}, og difor må {n2} {v} {t}."),
        5 => format!("{} ved {p} må {v} {t}, elles blir {n2} {a}.", capital(n)),
        6 => format!("Planen seier lite om {n}, men {g} treng at {n2} blir {a}."),
        7 => format!("Det er {a} at {n} ikkje er nemnt i planen for {p}."),
        8 => format!("Vi ber om at {n} ved {p} blir greidd ut før {n2} kan {v}."),
        9 => format!("Mange av {g} i {p} {o} at {n} er {a}."),
        10 => format!("Dersom {n} skal {v}, må {n2} i {p} vere {a} {t}."),
        _ => format!("Eg {o} at planen for {p} tek omsyn til {n} og {g}."),
    }
}

fn personal_line(rng: &mut Rng, topic: &Topic) -> String {
    let p = rng.pick(topic.places);
    let years = 2 + rng.below(50);
    match rng.below(5) {
        0 => format!("Eg har budd i {p} i {years} år og kjenner området godt."),
        1 => format!("Sjølv har eg tre born som går forbi {p} kvar dag, og eg er uroleg."),
        2 => format!("Som pensjonist etter {years} år i kommunen bryr eg meg om dette."),
        3 => format!("Med helsing frå ein nabo i {p}, som har skrive til kommunen før."),
        _ => format!("Eg skriv dette på vegner av familien min, som har hytte ved {p}."),
    }
}

/// A copy of a campaign letter with the changes a signer makes.
fn variant(rng: &mut Rng, base: &[String], topic: &Topic) -> String {
    let mut sentences: Vec<String> = base.to_vec();
    if rng.chance(0.5) {
        for _ in 0..1 + rng.below(4) {
            let s = rng.below(sentences.len());
            let mut words: Vec<String> = sentences[s].split(' ').map(str::to_owned).collect();
            let w = rng.below(words.len());
            words[w] = rng.pick(topic.nouns).to_owned();
            sentences[s] = words.join(" ");
        }
    }
    if rng.chance(0.3) {
        let s = rng.below(sentences.len());
        let mut words: Vec<String> = sentences[s].split(' ').map(str::to_owned).collect();
        let w = rng.below(words.len());
        words.insert(
            w,
            rng.pick(&[
                "verkeleg",
                "absolutt",
                "særleg",
                "no",
                "også",
                "heilt klart",
            ])
            .to_owned(),
        );
        sentences[s] = words.join(" ");
    }
    if rng.chance(0.3) && sentences.len() > 2 {
        let a = rng.below(sentences.len());
        let b = rng.below(sentences.len());
        sentences.swap(a, b);
    }
    if rng.chance(0.1) && sentences.len() > 4 {
        let s = rng.below(sentences.len());
        sentences.remove(s);
    }
    if rng.chance(0.4) {
        let line = personal_line(rng, topic);
        if rng.chance(0.5) {
            sentences.insert(0, line);
        } else {
            sentences.push(line);
        }
    }
    if rng.chance(0.15) {
        // A long personal paragraph of the signer's own.
        for _ in 0..2 + rng.below(3) {
            let line = if rng.chance(0.5) {
                personal_line(rng, topic)
            } else {
                sentence(rng, topic)
            };
            sentences.push(line);
        }
    }
    let mut text = if rng.chance(0.3) {
        // Paragraphs.
        sentences
            .chunks(2)
            .map(|c| c.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        sentences.join(" ")
    };
    if rng.chance(0.3) {
        text = text
            .replace(", og", " – og")
            .replace(" at ", " at «")
            .replace('.', ".» ");
    }
    if rng.chance(0.2) {
        text = text.to_uppercase();
    }
    if rng.chance(0.2) {
        text = text.replace(' ', "  ");
    }
    text
}

/// 10,000 inputs and the planted group of each (None: written alone).
fn generate(seed: u64, total: usize) -> (Vec<Input>, Vec<Option<usize>>) {
    let mut rng = Rng(seed);
    let mut texts: Vec<(String, Option<usize>)> = Vec::with_capacity(total);
    let mut planted = 0;
    while texts.len() < total / 2 {
        let size = match rng.below(10) {
            0..=5 => 2 + rng.below(4),
            6..=8 => 6 + rng.below(25),
            _ => 31 + rng.below(90),
        };
        let topic = &TOPICS[rng.below(TOPICS.len())];
        let base: Vec<String> = (0..3 + rng.below(7))
            .map(|_| sentence(&mut rng, topic))
            .collect();
        for _ in 0..size {
            texts.push((variant(&mut rng, &base, topic), Some(planted)));
        }
        planted += 1;
    }
    while texts.len() < total {
        let topic = &TOPICS[rng.below(TOPICS.len())];
        let mut sentences: Vec<String> = (0..3 + rng.below(6))
            .map(|_| sentence(&mut rng, topic))
            .collect();
        if rng.chance(0.3) {
            sentences.push(personal_line(&mut rng, topic));
        }
        texts.push((sentences.join(" "), None));
    }
    // Shuffle, so groups are not in runs.
    for i in (1..texts.len()).rev() {
        let j = rng.below(i + 1);
        texts.swap(i, j);
    }
    let labels = texts.iter().map(|(_, l)| *l).collect();
    let inputs = texts
        .into_iter()
        .enumerate()
        .map(|(i, (text, _))| Input::new(format!("i{i}"), text))
        .collect();
    (inputs, labels)
}

fn pairs(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

#[test]
fn grouping_finds_planted_campaigns_with_high_pair_precision_and_recall() {
    let (inputs, labels) = generate(0x5eed_2026, 10_000);
    let groups = group(&inputs, &Options::default());

    let mut true_sizes: HashMap<usize, usize> = HashMap::new();
    for label in labels.iter().flatten() {
        *true_sizes.entry(*label).or_default() += 1;
    }
    let true_pairs: u64 = true_sizes.values().map(|n| pairs(*n)).sum();
    let found_pairs: u64 = groups.iter().map(|g| pairs(g.len())).sum();
    let mut correct: u64 = 0;
    for g in &groups {
        let mut by_label: HashMap<usize, usize> = HashMap::new();
        for i in g {
            if let Some(label) = labels[*i] {
                *by_label.entry(label).or_default() += 1;
            }
        }
        correct += by_label.values().map(|n| pairs(*n)).sum::<u64>();
    }
    let precision = correct as f64 / found_pairs.max(1) as f64;
    let recall = correct as f64 / true_pairs.max(1) as f64;
    let planted_members = labels.iter().filter(|l| l.is_some()).count();
    eprintln!(
        "10,000 inputs ({planted_members} in {} planted groups, {true_pairs} planted pairs): \
         {} groups found, {found_pairs} pairs, precision {precision:.4}, recall {recall:.4}",
        true_sizes.len(),
        groups.len()
    );
    assert!(precision >= 0.95, "precision {precision:.4}");
    assert!(recall >= 0.95, "recall {recall:.4}");
    // Every group found has two or more members, and no input is in two groups.
    let mut seen = vec![false; inputs.len()];
    for g in &groups {
        assert!(g.len() >= 2);
        for i in g {
            assert!(!seen[*i], "input {i} in two groups");
            seen[*i] = true;
        }
    }
}

#[test]
fn the_generated_set_has_near_copies_that_are_not_identical() {
    // The test above would be trivial if the copies were the same text.
    let (inputs, labels) = generate(0x5eed_2026, 2_000);
    let mut texts_by_label: HashMap<usize, std::collections::HashSet<&str>> = HashMap::new();
    for (input, label) in inputs.iter().zip(&labels) {
        if let Some(l) = label {
            texts_by_label
                .entry(*l)
                .or_default()
                .insert(input.text.as_str());
        }
    }
    let members: usize = labels.iter().filter(|l| l.is_some()).count();
    let distinct: usize = texts_by_label.values().map(|s| s.len()).sum();
    assert!(
        distinct * 10 >= members * 8,
        "{distinct} distinct texts of {members}"
    );
}
