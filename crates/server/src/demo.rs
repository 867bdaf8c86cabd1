//! The demo municipality for `samrad serve --demo`: fictional, in nynorsk, loaded
//! once. Each step looks for what an earlier (perhaps interrupted) load left behind.

use db::{Db, DbError, NewDocument, NewHearing, NewPlan};
use domain::deadline::{DeadlineRequest, HearingKind, compute_deadline, oslo};
use domain::group::{GroupKind, MemberRole};
use domain::hearing::{Audience, Hearing, HearingState};
use domain::organisation::OrganisationKind;
use domain::person::StaffRole;
use domain::plan::{DocumentKind, NewSection};

const ANNOUNCEMENT: &str = "Formannskapet vedtok å leggje forslaget til planprogram ut på høyring og offentleg ettersyn etter plan- og bygningslova § 11-13. Planprogrammet seier kva planen skal handle om, korleis arbeidet skal gå føre seg og korleis du kan vere med.\n\nAlle kan gi innspel. Skriv kommentaren din under den delen av dokumentet han gjeld.";

pub const MUNICIPALITY_SLUG: &str = "fjordvik";
/// The demo planner signs in with an emailed link (written to the data folder).
pub const PLANNER_EMAIL: &str = "planleggjar@fjordvik.kommune.example";
/// The demo administrator, who sees the municipality's outbox; signs in likewise.
pub const ADMINISTRATOR_EMAIL: &str = "it@fjordvik.kommune.example";
const PLAN_SLUG: &str = "helse-og-omsorg";
/// The demo's organisation representative, who may give the official response of
/// the pensioners' association; signs in with an emailed link like the planner.
pub const REPRESENTATIVE_EMAIL: &str = "leiar@fjordvik-pensjonistlag.example";
/// A second representative of the same association, so two people can work on its
/// response.
pub const SECOND_REPRESENTATIVE_EMAIL: &str = "nestleiar@fjordvik-pensjonistlag.example";
const ORGANISATION_NAME: &str = "Fjordvik pensjonistlag";

fn section(number: &str, title: &str, level: i32, body: &str) -> NewSection {
    NewSection {
        number: number.into(),
        title: title.into(),
        level,
        body: body.into(),
    }
}

fn sections() -> Vec<NewSection> {
    vec![
        section(
            "1",
            "Innleiing",
            1,
            "Fjordvik kommune skal lage ein kommunedelplan for helse og omsorg for perioden 2026–2038. Planen skal seie kva mål og strategiar kommunen skal arbeide etter, og korleis tenestene skal utviklast dei komande åra.\n\nDette er forslaget til planprogram. Vi vil gjerne høyre kva du meiner.",
        ),
        section(
            "2",
            "Organisering av arbeidet",
            1,
            "Utval for helse og omsorg er styringsgruppe. Ei prosjektgruppe med tilsette frå tenestene gjer det daglege arbeidet.",
        ),
        section(
            "2.1",
            "Roller og ansvar",
            2,
            "- **Styringsgruppa** tek dei viktige vala undervegs.\n- **Prosjektgruppa** skriv planen.\n- **Referansegruppa** gir råd og innspel frå brukarane.",
        ),
        section(
            "2.2",
            "Medverknad",
            2,
            "Eldrerådet, rådet for personar med funksjonsnedsetting og ungdomsrådet er med i referansegruppa. Vi held arbeidsmøte med gruppa og med lag og organisasjonar.",
        ),
        section(
            "3",
            "Sentrale tema",
            1,
            "Vi foreslår å arbeide særleg med:\n\n1. Å bu trygt heime lenger\n2. Rekruttering og kompetanse\n3. Førebygging og meistring\n4. Samarbeid med frivillige",
        ),
    ]
}

/// Loads the demo once; returns its open hearing.
pub async fn load(db: &Db) -> Result<Hearing, DbError> {
    let municipality = match db.municipality_by_slug(MUNICIPALITY_SLUG).await? {
        Some(m) => m,
        None => match db
            .create_municipality(MUNICIPALITY_SLUG, "Fjordvik kommune")
            .await
        {
            Ok(m) => m,
            // Another process loaded it at the same moment.
            Err(DbError::Conflict(_)) => db
                .municipality_by_slug(MUNICIPALITY_SLUG)
                .await?
                .ok_or(DbError::NotFound)?,
            Err(e) => return Err(e),
        },
    };
    let planner = db
        .ensure_person(PLANNER_EMAIL, "Kari Nordmann", domain::Lang::Nn)
        .await?;
    if db.staff_roles(planner.id).await?.is_empty() {
        db.set_staff_role(planner.id, municipality.id, StaffRole::Planner)
            .await?;
    }
    let administrator = db
        .ensure_person(ADMINISTRATOR_EMAIL, "Ida Drift", domain::Lang::Nn)
        .await?;
    if db.staff_roles(administrator.id).await?.is_empty() {
        db.set_staff_role(administrator.id, municipality.id, StaffRole::Administrator)
            .await?;
    }
    let plan = match db.plan_by_slug(municipality.id, PLAN_SLUG).await? {
        Some(p) => p,
        None => {
            db.create_plan(NewPlan {
                municipality_id: municipality.id,
                slug: PLAN_SLUG.into(),
                title: "Kommunedelplan for helse og omsorg".into(),
                sector: Some("Helse og omsorg".into()),
                period_start: 2026,
                period_end: 2038,
                contact_email: Some("planavdelinga@fjordvik.kommune.example".into()),
                contact: domain::plan::PlanContact {
                    name: Some("Kari Nordmann".into()),
                    department: Some("Plan og analyse".into()),
                    phone: Some("00 00 00 00".into()),
                },
                case_number: Some("26/1234".into()),
            })
            .await?
        }
    };
    db.add_plan_planner(plan.id, planner.id).await?;
    if db.groups_of_plan(plan.id).await?.is_empty() {
        match db
            .create_group(
                plan.id,
                GroupKind::ReferenceGroup,
                "Referansegruppe for helse og omsorg",
            )
            .await
        {
            Ok(_) | Err(DbError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(group) = db.groups_of_plan(plan.id).await?.into_iter().next() {
        let existing = db
            .organisations(municipality.id)
            .await?
            .into_iter()
            .find(|o| o.name == ORGANISATION_NAME);
        let organisation = match existing {
            Some(o) => o,
            None => match db
                .create_organisation(
                    municipality.id,
                    ORGANISATION_NAME,
                    OrganisationKind::UserOrganisation,
                )
                .await
            {
                Ok(o) => o,
                Err(DbError::Conflict(_)) => db
                    .organisations(municipality.id)
                    .await?
                    .into_iter()
                    .find(|o| o.name == ORGANISATION_NAME)
                    .ok_or(DbError::NotFound)?,
                Err(e) => return Err(e),
            },
        };
        for (email, name) in [
            (REPRESENTATIVE_EMAIL, "Ola Fjeld"),
            (SECOND_REPRESENTATIVE_EMAIL, "Randi Strand"),
        ] {
            let representative = db.ensure_person(email, name, domain::Lang::Nn).await?;
            db.add_member(
                group.id,
                representative.id,
                MemberRole::OrganisationRepresentative,
                Some(organisation.id),
            )
            .await?;
        }
    }
    if db.milestones_of(plan.id).await?.is_empty() {
        let today = jiff::Timestamp::now().to_zoned(oslo()).date();
        for (title, days, done) in [
            ("Oppstart av planarbeidet", -60, true),
            ("Planprogrammet på høyring", 0, false),
            ("Arbeidsmøte med referansegruppa", 28, false),
            ("Planforslaget på høyring", 180, false),
            ("Politisk vedtak i kommunestyret", 330, false),
        ] {
            let due = today
                .checked_add(jiff::Span::new().days(days))
                .map_err(|e| DbError::Other(e.to_string()))?;
            db.add_milestone(plan.id, title, due, done).await?;
        }
    }
    if let Some(hearing) = db.hearings_of_plan(plan.id).await?.into_iter().next() {
        ensure_workshop(db, &plan).await?;
        return Ok(hearing);
    }
    let version = match db.documents_of(plan.id).await?.first() {
        Some(document) => db.latest_version(document.id).await?,
        None => {
            db.create_document(NewDocument {
                plan_id: plan.id,
                kind: DocumentKind::PlanningProgramme,
                title: "Planprogram for kommunedelplan for helse og omsorg".into(),
                sections: sections(),
            })
            .await?
            .version
        }
    };
    let today = jiff::Timestamp::now().to_zoned(oslo()).date();
    let deadline = compute_deadline(&DeadlineRequest {
        opens: today,
        weeks: 6,
        kind: HearingKind::Pbl,
        override_reason: None,
    })
    .map_err(|e| DbError::Other(e.to_string()))?;
    let opens_at = today
        .to_zoned(oslo())
        .map_err(|e| DbError::Other(e.to_string()))?
        .timestamp();
    let hearing = db
        .create_hearing(NewHearing {
            municipality_id: municipality.id,
            plan_id: plan.id,
            document_version_id: version.id,
            title: "Høyring: planprogram for helse og omsorg".into(),
            kind: HearingKind::Pbl,
            audience: Audience::Public,
            state: HearingState::Open,
            opens_at,
            deadline: deadline.deadline.timestamp(),
            announcement: Some(ANNOUNCEMENT.into()),
            contact_name: Some("Kari Nordmann, rådgjevar, plan og analyse".into()),
            contact_email: Some("planavdelinga@fjordvik.kommune.example".into()),
            actor: "demo".into(),
            period_weeks: deadline.weeks,
        })
        .await?;
    ensure_workshop(db, &plan).await?;
    Ok(hearing)
}

/// A workshop of the reference group four weeks ahead, with an agenda about
/// sections of the planning programme, when the plan has none yet.
async fn ensure_workshop(db: &Db, plan: &domain::plan::Plan) -> Result<(), DbError> {
    use domain::workshop::{AgendaDraft, IgpStage, Place, WorkshopDraft};
    if !db.workshops_of_plan(plan.id).await?.is_empty() {
        return Ok(());
    }
    let Some(group) = db.groups_of_plan(plan.id).await?.into_iter().next() else {
        return Ok(());
    };
    let Some(document) = db.documents_of(plan.id).await?.into_iter().next() else {
        return Ok(());
    };
    let sections = db
        .sections_of(db.latest_version(document.id).await?.id)
        .await?;
    let numbered = |number: &str| {
        sections
            .iter()
            .filter(|s| s.number == number)
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    let day = jiff::Timestamp::now()
        .to_zoned(oslo())
        .date()
        .checked_add(jiff::Span::new().days(28))
        .map_err(|e| DbError::Other(e.to_string()))?;
    let at = |hour: i8| {
        day.at(hour, 0, 0, 0)
            .to_zoned(oslo())
            .map(|z| z.timestamp())
            .map_err(|e| DbError::Other(e.to_string()))
    };
    let all_stages = vec![IgpStage::Individual, IgpStage::Group, IgpStage::Plenum];
    let draft = WorkshopDraft {
        title: "Arbeidsmøte med referansegruppa: sentrale tema".into(),
        purpose: "Vi går gjennom dei sentrale tema i planprogrammet og korleis brukarane kan vere med. Kvar for seg, så i grupper, så i plenum.".into(),
        starts_at: Some(at(10)?),
        ends_at: Some(at(13)?),
        place: Some(Place {
            address: "Fjordvik rådhus, kommunestyresalen, Storgata 1".into(),
            step_free_access: true,
            hearing_loop: true,
            parking: true,
            interpreter_on_request: true,
        }),
        online_link: None,
        capacity: Some(25),
        reminder_hours: None,
        groups: vec![group.id],
        agenda: vec![
            AgendaDraft {
                title: "Velkomen og kva vi skal gjere i dag".into(),
                sections: numbered("1"),
                minutes: 15,
                stages: vec![IgpStage::Plenum],
            },
            AgendaDraft {
                title: "Sentrale tema".into(),
                sections: numbered("3"),
                minutes: 75,
                stages: all_stages.clone(),
            },
            AgendaDraft {
                title: "Medverknad vidare".into(),
                sections: numbered("2.2"),
                minutes: 45,
                stages: all_stages,
            },
            AgendaDraft {
                title: "Oppsummering".into(),
                sections: Vec::new(),
                minutes: 15,
                stages: vec![IgpStage::Plenum],
            },
        ],
        readings: vec![document.id],
    };
    let valid = domain::workshop::validate(&draft).map_err(|e| DbError::Other(e.to_string()))?;
    db.set_group_purpose(
        group.id,
        "Referansegruppa gir råd og innspel frå brukarane til kommunedelplanen for helse og omsorg: eldrerådet, rådet for personar med funksjonsnedsetting, ungdomsrådet og lag og organisasjonar.",
    )
    .await?;
    db.create_workshop(
        domain::WorkshopId::new(),
        plan.id,
        &valid,
        None,
        db::time::now(),
        &[],
    )
    .await?;
    Ok(())
}

/// The campaign letter of the demo: near-copies of it arrive with small edits.
const CAMPAIGN: &str = "Vi krev at dagsenteret på Nordheim blir halde ope. \
    Dagsenteret gir eldre eit trygt tilbod og avlastar dei pårørande. \
    Å leggje ned tilbodet vil føre til fleire innleggingar og meir einsemd. \
    Kommunen må heller byggje ut dagsenteret og tilsetje fleire fagfolk.";

/// The demo hearing's inputs, once: a campaign (near-copies with personal lines
/// and edits), inputs on several themes, and two inputs with personal data that wait
/// in screening (a valid fødselsnummer, a phone number, an email address); then the
/// hearing's suggestions are asked for, so the background task computes them.
pub async fn load_inputs(db: &Db, hearing: &Hearing) -> Result<(), DbError> {
    if !db.comments_of_hearing(hearing.id).await?.is_empty()
        || !db.screening_of_hearing(hearing.id).await?.is_empty()
    {
        return Ok(());
    }
    let version = db.document_version(hearing.document_version_id).await?;
    let sections = db.sections_of(version.id).await?;
    let section = |number: &str| {
        sections
            .iter()
            .find(|s| s.number == number)
            .or(sections.first())
            .map(|s| s.id)
            .ok_or(DbError::NotFound)
    };
    let campaign: Vec<String> = vec![
        CAMPAIGN.to_owned(),
        format!("{CAMPAIGN} Mor mi går der kvar veke og gler seg til kvar gong."),
        CAMPAIGN.replace("Nordheim", "Nordheim skule"),
        format!("Til kommunen. {CAMPAIGN}"),
        CAMPAIGN.replace("fleire fagfolk", "fleire sjukepleiarar og fagfolk"),
        format!("{CAMPAIGN} Eg har sjølv vore pårørande i mange år."),
    ];
    let themed = [
        (
            "3",
            "Det er vanskeleg å rekruttere sjukepleiarar til heimetenesta. Kommunen bør tilby studentar sommarjobb og stipend, slik at fleire sjukepleiarar vel å bli verande i Fjordvik.",
        ),
        (
            "3",
            "Rekruttering av sjukepleiarar og helsefagarbeidarar må vere eit hovudtema. Heimetenesta manglar fagfolk, og turnusen er for tung for dei tilsette.",
        ),
        (
            "3",
            "Heimetenesta treng fleire fagfolk. Løn og faste stillingar avgjer om sjukepleiarar blir verande.",
        ),
        (
            "3",
            "Frivillige lag kan gjere mykje for eldre som bur heime aleine. Kommunen bør ha ein frivilligkoordinator som samordnar besøksteneste og turgrupper.",
        ),
        (
            "3",
            "Frivilligsentralen og lag og organisasjonar bør vere med i planarbeidet. Besøksteneste og turgrupper gir eldre meir fellesskap.",
        ),
        (
            "2.2",
            "Ungdomsrådet må få vere med i referansegruppa frå starten. Unge pårørande blir ofte gløymde i planar for helse og omsorg.",
        ),
        (
            "2.2",
            "Arbeidsmøta bør haldast på kveldstid, slik at pårørande i arbeid kan delta i medverknaden.",
        ),
        (
            "1",
            "Planperioden til 2038 er lang. Planen bør reviderast kvart fjerde år.",
        ),
    ];
    let now = jiff::Timestamp::now();
    let mut n = 0u32;
    let post = |body: String, section_id, screened: bool, n: u32| {
        let (name, email) = match n % 4 {
            0 => ("Innbyggjar i Fjordvik", "innbyggjar"),
            1 => ("Nabo på Nordheim", "nabo"),
            2 => ("Pårørande", "parorande"),
            _ => ("Tilsett i heimetenesta", "tilsett"),
        };
        db::NewComment {
            id: domain::CommentId(uuid::Uuid::now_v7()),
            hearing_id: hearing.id,
            document_id: version.document_id,
            section_id,
            author_name: format!("{name} {n}"),
            author_email: Some(format!("{email}{n}@demo.example")),
            body,
            late: false,
            created_at: now,
            parent_id: None,
            anchor: None,
            person_id: None,
            idempotency_key: None,
            emails: Vec::new(),
            unconfirmed: None,
            screened,
        }
    };
    for body in campaign {
        n += 1;
        db.post_comment(post(body, section("3")?, false, n)).await?;
    }
    for (number, body) in themed {
        n += 1;
        db.post_comment(post(body.to_owned(), section(number)?, false, n))
            .await?;
    }
    // Screened: personal data the planner sees highlighted before publishing.
    for body in [
        "Eg heiter Ola Nordmann, fødselsnummer 15038512010, og har diabetes. Eg treng heimesjukepleie kvar dag og ber om at dagsenteret held fram. Ring meg på 912 34 567.",
        "Mor mi bur på Storgata 12, 6800 Fjordvik, og får ikkje den hjelpa ho treng. Skriv til ola.nordmann@demo.example om de vil vite meir.",
    ] {
        n += 1;
        db.post_comment(post(body.to_owned(), section("3")?, true, n))
            .await?;
    }
    db.request_suggestions(hearing.id, db::time::now()).await
}
