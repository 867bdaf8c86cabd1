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
