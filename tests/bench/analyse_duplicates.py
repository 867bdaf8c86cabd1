#!/usr/bin/env python3
"""Near-duplicate and campaign grouping of many inputs with `samrad analyse duplicates`.

Writes a JSON Lines file of `--inputs` generated inputs (default 100,000; the same
seed gives the same file): half of them copies of planted campaign letters in groups
of 2 to 1,000, each copy with the changes signers make (edited and inserted words,
reordered sentences, a dropped sentence, personal lines added, paragraphs, quotes and
dashes, capitals, doubled spaces), the other half distinct inputs written from the
same phrases on the same topics. Then runs

    samrad analyse duplicates FILE --json

once, and prints one JSON line: the wall-clock seconds of the whole command
(reading and parsing the file, grouping, printing) and the processor seconds it
used (user and system; less disturbed by other work on the machine, and the
grouping runs on one core), the groups found, and the
precision and recall of the pairs against the planted groups.

    cargo build --release -p samrad
    python3 tests/bench/analyse_duplicates.py --samrad target/release/samrad [--inputs 100000]

Use a release build, and say on what machine it ran and what else was running.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import tempfile
import time

TOPICS = [
    (["barnehagen", "barnehageplassane", "uteområdet", "ventelista", "personalet", "bemanninga", "opningstida", "leikeplassen"],
     ["Nordheim", "sentrum", "Bakkeli", "Fjordvik", "Sørbygda", "Åsen"],
     ["byggjast ut", "prioriterast", "takast vare på", "styrkjast", "flyttast", "utvidast"]),
    (["vegen", "trafikken", "fortauet", "krysset", "fartsgrensa", "gang- og sykkelvegen", "bussen", "parkeringa"],
     ["skulen", "sentrum", "hamna", "Storgata", "brua", "kyrkja"],
     ["utbetrast", "gjerast tryggare", "flyttast", "byggjast", "stengjast", "regulerast"]),
    (["vindkraftverket", "turbinane", "naturen", "reinbeitet", "fuglelivet", "utsikta", "støyen", "anleggsvegane"],
     ["fjellet", "heia", "Storfjellet", "vidda", "Kvitåsen", "myrane"],
     ["stoppast", "vernast", "utgreiast betre", "flyttast", "avgrensast", "takast omsyn til"]),
    (["idrettshallen", "symjehallen", "kunstgrasbana", "klubbhuset", "lysløypa", "ungdomsklubben", "garderobane", "treningstidene"],
     ["skulen", "Nordheim", "idrettsparken", "Bakkeli", "sentrum", "Vikane"],
     ["byggjast", "rehabiliterast", "opnast for alle", "prioriterast", "finansierast", "planleggjast"]),
    (["bustadfeltet", "leilegheitene", "tomtene", "grøntområdet", "byggjehøgda", "fortettinga", "utsikta", "sola"],
     ["Åsen", "strandsona", "Fjordvik", "Sørbygda", "elva", "Kvernhusbakken"],
     ["reduserast", "tilpassast nabolaget", "skjermast", "planleggjast på nytt", "avgrensast", "byggjast lågare"]),
    (["hamna", "kaia", "småbåthamna", "moloen", "sjøfronten", "fiskemottaket", "turstien", "badeplassen"],
     ["Fjordvik", "Vikane", "sentrum", "Nesset", "Holmen", "Strandvegen"],
     ["opnast for ålmenta", "sikrast", "byggjast om", "takast vare på", "utvidast", "ryddast"]),
]
GROUPS = ["borna", "dei eldre", "ungdomen", "familiane", "hytteeigarane", "alle som bur her", "turgåarane", "næringslivet"]
TIMES = ["neste år", "før vinteren", "innan 2030", "i planperioden", "så snart som mogleg", "før anleggsstart"]
OPINIONS = ["meiner", "synest", "trur", "er sikker på", "er redd for", "ønskjer"]
ADJECTIVES = ["viktig", "farleg", "for dårleg", "verdifull", "uheldig", "nødvendig", "for dyr", "populær"]
TEMPLATES = [
    "Eg {o} at {n} ved {p} må {v}.",
    "{N} er {a} for {g} i {p}.",
    "Kommunen bør sørgje for at {n} blir {a} {t}.",
    "For {g} er det {a} at {n} og {n2} ved {p} må {v}.",
    "Vi har sett at {n} i {p} er {a}, og difor må {n2} {v} {t}.",
    "{N} ved {p} må {v} {t}, elles blir {n2} {a}.",
    "Planen seier lite om {n}, men {g} treng at {n2} blir {a}.",
    "Det er {a} at {n} ikkje er nemnt i planen for {p}.",
    "Vi ber om at {n} ved {p} blir greidd ut før {n2} kan {v}.",
    "Mange av {g} i {p} {o} at {n} er {a}.",
    "Dersom {n} skal {v}, må {n2} i {p} vere {a} {t}.",
    "Eg {o} at planen for {p} tek omsyn til {n} og {g}.",
]
PERSONAL = [
    "Eg har budd i {p} i {y} år og kjenner området godt.",
    "Sjølv har eg tre born som går forbi {p} kvar dag, og eg er uroleg.",
    "Som pensjonist etter {y} år i kommunen bryr eg meg om dette.",
    "Med helsing frå ein nabo i {p}, som har skrive til kommunen før.",
    "Eg skriv dette på vegner av familien min, som har hytte ved {p}.",
]


def sentence(rng, topic):
    nouns, places, verbs = topic
    n = rng.choice(nouns)
    return rng.choice(TEMPLATES).format(
        o=rng.choice(OPINIONS), n=n, N=n[:1].upper() + n[1:], n2=rng.choice(nouns),
        p=rng.choice(places), v=rng.choice(verbs), g=rng.choice(GROUPS),
        t=rng.choice(TIMES), a=rng.choice(ADJECTIVES))


def personal(rng, topic):
    return rng.choice(PERSONAL).format(p=rng.choice(topic[1]), y=rng.randint(2, 51))


def variant(rng, base, topic):
    s = list(base)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(s))
            words = s[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(topic[0])
            s[i] = " ".join(words)
    if rng.random() < 0.3:
        i = rng.randrange(len(s))
        words = s[i].split(" ")
        words.insert(rng.randrange(len(words)), rng.choice(["verkeleg", "absolutt", "særleg", "no", "også"]))
        s[i] = " ".join(words)
    if rng.random() < 0.3 and len(s) > 2:
        a, b = rng.randrange(len(s)), rng.randrange(len(s))
        s[a], s[b] = s[b], s[a]
    if rng.random() < 0.1 and len(s) > 4:
        s.pop(rng.randrange(len(s)))
    if rng.random() < 0.4:
        if rng.random() < 0.5:
            s.insert(0, personal(rng, topic))
        else:
            s.append(personal(rng, topic))
    if rng.random() < 0.15:
        for _ in range(rng.randint(2, 4)):
            s.append(personal(rng, topic) if rng.random() < 0.5 else sentence(rng, topic))
    if rng.random() < 0.3:
        text = "\n\n".join(" ".join(s[i:i + 2]) for i in range(0, len(s), 2))
    else:
        text = " ".join(s)
    if rng.random() < 0.3:
        text = text.replace(", og", " – og").replace(" at ", " at «").replace(".", ".» ")
    if rng.random() < 0.2:
        text = text.upper()
    if rng.random() < 0.2:
        text = text.replace(" ", "  ")
    return text


def generate(total, seed):
    rng = random.Random(seed)
    texts = []
    label = 0
    while len(texts) < total // 2:
        r = rng.random()
        size = rng.randint(2, 5) if r < 0.6 else rng.randint(6, 60) if r < 0.9 else rng.randint(61, 1000)
        topic = rng.choice(TOPICS)
        base = [sentence(rng, topic) for _ in range(rng.randint(3, 9))]
        texts.extend((variant(rng, base, topic), label) for _ in range(size))
        label += 1
    while len(texts) < total:
        topic = rng.choice(TOPICS)
        s = [sentence(rng, topic) for _ in range(rng.randint(3, 8))]
        if rng.random() < 0.3:
            s.append(personal(rng, topic))
        texts.append((" ".join(s), None))
    rng.shuffle(texts)
    return texts


def pairs(n):
    return n * (n - 1) // 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samrad", required=True, help="the samrad binary (a release build)")
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", metavar="FILE",
                        help="also write the generated inputs to FILE (for the grouping alone: "
                             "cargo run --release -p analysis --example group_jsonl -- FILE)")
    args = parser.parse_args()

    texts = generate(args.inputs, args.seed)
    labels = {f"i{i}": label for i, (_, label) in enumerate(texts)}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "inputs.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for i, (text, _) in enumerate(texts):
                f.write(json.dumps({"id": f"i{i}", "text": text}, ensure_ascii=False) + "\n")
        size = os.path.getsize(path)
        if args.keep:
            with open(path, "rb") as source, open(args.keep, "wb") as kept:
                kept.write(source.read())
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        out = subprocess.run([args.samrad, "analyse", "duplicates", path, "--json"],
                             capture_output=True, check=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    groups = json.loads(out.stdout)["groups"]

    true_sizes = {}
    for label in labels.values():
        if label is not None:
            true_sizes[label] = true_sizes.get(label, 0) + 1
    true_pairs = sum(pairs(n) for n in true_sizes.values())
    found_pairs = sum(pairs(len(g)) for g in groups)
    correct = 0
    for g in groups:
        counts = {}
        for i in g:
            if labels[i] is not None:
                counts[labels[i]] = counts.get(labels[i], 0) + 1
        correct += sum(pairs(n) for n in counts.values())
    print(json.dumps({
        "inputs": args.inputs,
        "file_mb": round(size / 1e6, 1),
        "planted_groups": len(true_sizes),
        "groups_found": len(groups),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "precision": round(correct / max(found_pairs, 1), 4),
        "recall": round(correct / max(true_pairs, 1), 4),
    }))


if __name__ == "__main__":
    main()
