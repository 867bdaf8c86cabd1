//! `samrad bench-seed` (hidden): fills the demo plan's register with many inputs
//! through the storage layer, for `tests/bench/register_search.py`. Comments (some
//! of them replies), official responses from many people and letters registered by
//! hand, in nynorsk and bokmål, with texts varied enough that searching means
//! something. Deterministic: the same count gives the same texts.

use anyhow::Context;
use db::{Db, NewComment, NewLetter, NewResponseVersion};
use domain::assessment::{Channel, SenderKind};
use domain::response::OnBehalfOf;
use domain::{CommentId, Lang, SectionId};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

/// Comments are stored this many at a time, one transaction each.
const BATCH: usize = 500;

const OPENINGS: &[&str] = &[
    "Vi meiner at",
    "Eldrerådet ønskjer at",
    "Vi i pensjonistlaget meiner at",
    "Ungdomsrådet vil at",
    "Vi mener at",
    "Brukerrådet ønsker at",
    "Som pårørande ser eg at",
    "Som pårørende ser jeg at",
    "Frivilligsentralen meiner at",
    "Det er viktig at",
];
const SUBJECTS: &[&str] = &[
    "barnehagane",
    "barnehagene",
    "sjukeheimen",
    "sykehjemmet",
    "heimetenesta",
    "hjemmetjenesten",
    "dagsenteret",
    "kollektivtransporten",
    "bussrutene",
    "gangvegane",
    "gangveiene",
    "omsorgsbustadene",
    "omsorgsboligene",
    "helsestasjonen",
    "fastlegane",
    "fastlegene",
    "frivilligheita",
    "frivilligheten",
    "kvardagsrehabiliteringa",
    "hverdagsrehabiliteringen",
    "velferdsteknologien",
    "tryggleiksalarmane",
    "trygghetsalarmene",
];
const VERBS: &[&str] = &[
    "må styrkjast",
    "må styrkes",
    "treng meir ressursar",
    "trenger mer ressurser",
    "bør liggje nær sentrum",
    "bør ligge nær sentrum",
    "må vere tilgjengelege for alle",
    "må være tilgjengelige for alle",
    "må planleggjast saman med brukarane",
    "må planlegges sammen med brukerne",
    "har for lange ventelister",
    "manglar tilsette",
    "mangler ansatte",
];
const REASONS: &[&str] = &[
    "fordi talet på eldre aukar kraftig fram mot 2033.",
    "fordi antallet eldre øker kraftig fram mot 2033.",
    "slik at folk kan bu heime lenger.",
    "slik at folk kan bo hjemme lenger.",
    "og vi ber kommunen sjå på erfaringane frå nabokommunane.",
    "og vi ber kommunen se på erfaringene fra nabokommunene.",
    "då mange i bygda ikkje har bil.",
    "da mange i bygda ikke har bil.",
    "for å betre folkehelsa og minske einsemda.",
    "for å bedre folkehelsen og redusere ensomheten.",
    "og universell utforming må vere med frå starten.",
];
const PLACES: &[&str] = &[
    "Fjordvik sentrum",
    "Nordbygda",
    "Sørvågen",
    "Lia",
    "Holmen",
    "Strandvegen",
    "skulekrinsen i Vik",
];
const NAMES: &[&str] = &[
    "Kari", "Ola", "Ingrid", "Per", "Astrid", "Nils", "Sigrid", "Lars", "Marit", "Jon",
];
const SURNAMES: &[&str] = &[
    "Nordmann", "Haugen", "Berg", "Dahl", "Lie", "Bakke", "Strand", "Moe", "Vik", "Solberg",
];

fn text(rng: &mut StdRng) -> String {
    let sentences = rng.random_range(1..=4);
    let mut out = Vec::with_capacity(sentences);
    for _ in 0..sentences {
        let place = if rng.random_bool(0.4) {
            format!(" i {}", PLACES.choose(rng).unwrap_or(&""))
        } else {
            String::new()
        };
        out.push(format!(
            "{} {}{} {} {}",
            OPENINGS.choose(rng).unwrap_or(&""),
            SUBJECTS.choose(rng).unwrap_or(&""),
            place,
            VERBS.choose(rng).unwrap_or(&""),
            REASONS.choose(rng).unwrap_or(&""),
        ));
    }
    out.join(" ")
}

fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {}",
        NAMES.choose(rng).unwrap_or(&""),
        SURNAMES.choose(rng).unwrap_or(&"")
    )
}

/// What was stored, for the benchmark script.
#[derive(Debug, Serialize)]
pub struct Seeded {
    pub plan_id: String,
    pub hearing_id: String,
    pub comments: usize,
    pub responses: usize,
    pub letters: usize,
}

/// Stores `inputs` inputs on the demo plan's hearing (loading the demo first if it
/// is not there): 70 % comments, 10 % responses, 20 % letters.
pub async fn seed(db: &Db, inputs: usize) -> anyhow::Result<Seeded> {
    let hearing = server::demo::load(db)
        .await
        .context("cannot load the demo")?;
    let sections = db.sections_of(hearing.document_version_id).await?;
    let document = db.document_version(hearing.document_version_id).await?;
    let mut rng = StdRng::seed_from_u64(inputs as u64);
    let now = jiff::Timestamp::now();
    let responses = inputs / 10;
    let letters = inputs / 5;
    let comments = inputs - responses - letters;

    let mut posted: Vec<(CommentId, SectionId)> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..comments {
        let section = sections
            .choose(&mut rng)
            .context("the demo has no sections")?;
        // One in five answers an earlier comment, on its section.
        let parent = if i > 0 && rng.random_bool(0.2) {
            posted.choose(&mut rng).copied()
        } else {
            None
        };
        let section_id = parent.map_or(section.id, |(_, s)| s);
        let id = CommentId::new();
        batch.push(NewComment {
            id,
            hearing_id: hearing.id,
            document_id: document.document_id,
            section_id,
            author_name: name(&mut rng),
            author_email: None,
            body: text(&mut rng),
            late: false,
            created_at: now,
            parent_id: parent.map(|(p, _)| p),
            anchor: None,
            person_id: None,
            idempotency_key: None,
            emails: Vec::new(),
            unconfirmed: None,
            screened: false,
        });
        posted.push((id, section_id));
        if batch.len() == BATCH || i + 1 == comments {
            db.post_comments(&batch).await?;
            batch.clear();
        }
    }
    for i in 0..responses {
        let email = format!("bench-{i}@fjordvik.example");
        let person_name = name(&mut rng);
        let person = db.ensure_person(&email, &person_name, Lang::Nn).await?;
        let section_ids = vec![sections.choose(&mut rng).context("no sections")?.id];
        db.submit_response(
            NewResponseVersion {
                hearing_id: hearing.id,
                on_behalf_of: OnBehalfOf::Person(person.id),
                person_id: person.id,
                person_name,
                text: text(&mut rng),
                section_ids,
                new_attachments: Vec::new(),
                keep_attachment_ids: Vec::new(),
                late: false,
                idempotency_key: None,
                based_on_version: None,
                at: now,
            },
            |_, _| Vec::new(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("response {i}: {e}"))?;
    }
    for _ in 0..letters {
        let organisation = rng.random_bool(0.5);
        db.register_letter(NewLetter {
            plan_id: hearing.plan_id,
            hearing_id: Some(hearing.id),
            sender_name: if organisation {
                format!("{} sanitetslag", PLACES.choose(&mut rng).unwrap_or(&""))
            } else {
                name(&mut rng)
            },
            sender_kind: if organisation {
                SenderKind::Organisation
            } else {
                SenderKind::Person
            },
            channel: *[Channel::Letter, Channel::Email]
                .choose(&mut rng)
                .unwrap_or(&Channel::Letter),
            received_on: now.to_zoned(domain::deadline::oslo()).date(),
            text: text(&mut rng),
            late: false,
            registered_by: "bench-seed".to_owned(),
            at: now,
            sender_contact: None,
            sender_person_id: None,
        })
        .await?;
    }
    Ok(Seeded {
        plan_id: hearing.plan_id.to_string(),
        hearing_id: hearing.id.to_string(),
        comments,
        responses,
        letters,
    })
}
