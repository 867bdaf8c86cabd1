//! Emails as letters from the municipality, each in its recipient's language: who
//! sends them, where replies go, who signs, and the language every path carries.

use crate::comments::input;
use crate::support::{World, open_hearing};
use consultation::groups::{InviteInput, InviteOutcome};
use consultation::plans::NewPlanCommand;
use domain::Lang;
use domain::email::{Email, Letterhead};
use domain::plan::Sender;

const PLANNER: &str = "planlegg@alver.example";

/// The envelopes of every email of `kind` to `to`.
async fn emails_to(world: &World, to: &str, kind: &str) -> Vec<db::ClaimedJob> {
    world
        .outbox()
        .await
        .into_iter()
        .filter(|job| job.recipient == to && job.envelope.email.kind() == kind)
        .collect()
}

#[tokio::test]
async fn a_comment_notice_is_in_the_contacts_language_from_the_municipality_with_its_address() {
    let world = open_hearing().await;
    // The plan's contact address belongs to a person who reads bokmål.
    world
        .db()
        .ensure_person("plan@alver.example", "Per Plan", Lang::Nb)
        .await
        .expect("person");
    world
        .db()
        .set_municipality_sender(
            world.municipality,
            &Sender {
                display_name: Some("Alver kommune, planavdelinga".into()),
                from_address: Some("post@alver.example".into()),
                reply_to: None,
                base_url: Some("https://hoyring.alver.example".into()),
            },
        )
        .await
        .expect("sender");
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[0].id, "Meir personale."),
        )
        .await
        .expect("posted");
    let notices = emails_to(&world, "plan@alver.example", "comment_notice").await;
    assert_eq!(notices.len(), 1);
    let envelope = &notices[0].envelope;
    assert_eq!(envelope.lang, Lang::Nb);
    let head = &envelope.letterhead;
    assert_eq!(head.municipality, "Alver kommune");
    assert_eq!(
        head.display_name.as_deref(),
        Some("Alver kommune, planavdelinga")
    );
    assert_eq!(head.from_address.as_deref(), Some("post@alver.example"));
    assert_eq!(head.reply_to.as_deref(), Some("plan@alver.example"));
    assert_eq!(head.recipient_name.as_deref(), Some("Per Plan"));
    let Email::CommentNotice { link, .. } = &envelope.email else {
        panic!("a notice");
    };
    assert!(
        link.starts_with("https://hoyring.alver.example/hearings/"),
        "the municipality's own address: {link}"
    );
}

#[tokio::test]
async fn a_deadline_extension_reaches_each_person_in_their_own_language() {
    let world = open_hearing().await;
    for (email, name, lang) in [
        ("bokmal@example.org", "Bente Bokmål", Lang::Nb),
        ("english@example.org", "Emma English", Lang::En),
    ] {
        let person = world
            .db()
            .ensure_person(email, name, lang)
            .await
            .expect("person");
        world
            .service
            .post_comment(
                &domain::policy::Actor::person(person.id, Vec::new()),
                world.hearing.id,
                input(world.sections[0].id, "Eit innspel."),
            )
            .await
            .expect("posted");
    }
    let later = world
        .hearing
        .deadline
        .to_zoned(domain::deadline::oslo())
        .date()
        .checked_add(jiff::Span::new().days(14))
        .expect("later");
    world
        .service
        .extend_deadline(
            PLANNER.to_owned(),
            &world.hearing,
            later,
            "Mange ba om meir tid.".into(),
        )
        .await
        .expect("extended");
    for (email, lang) in [
        ("bokmal@example.org", Lang::Nb),
        ("english@example.org", Lang::En),
    ] {
        let jobs = emails_to(&world, email, "deadline_extended").await;
        assert_eq!(jobs.len(), 1, "{email}");
        assert_eq!(jobs[0].envelope.lang, lang, "{email}");
        assert_eq!(jobs[0].envelope.letterhead.municipality, "Alver kommune");
    }
}

#[tokio::test]
async fn a_member_list_carries_each_persons_language() {
    let world = open_hearing().await;
    let group = world
        .service
        .create_group(&world.planner(), world.plan.id, "reference_group", "Ref")
        .await
        .expect("group");
    let csv = "namn;e-post;organisasjon;gruppe;rolle;språk\n\
        Bente;bente@x.example;;;;bokmål\n\
        Emma;emma@x.example;;;;en\n\
        Nils;nils@x.example;;;leiar;\n";
    world
        .service
        .import_roster(&world.planner(), PLANNER, group.id, csv.as_bytes(), false)
        .await
        .expect("imported");
    for (email, lang) in [
        ("bente@x.example", Lang::Nb),
        ("emma@x.example", Lang::En),
        ("nils@x.example", Lang::Nn),
    ] {
        let jobs = emails_to(&world, email, "invitation").await;
        assert_eq!(jobs.len(), 1, "{email}");
        assert_eq!(jobs[0].envelope.lang, lang, "{email}");
    }
}

#[tokio::test]
async fn an_invitation_is_signed_by_the_plans_contact_with_role_meetings_and_case_number() {
    let world = open_hearing().await;
    let planner = world.planner();
    // A planner's actor with staff rights creates a plan with its contact person.
    let plan = world
        .service
        .create_plan(
            &planner,
            NewPlanCommand {
                slug: "oppvekst".into(),
                title: "Kommunedelplan for oppvekst".into(),
                period_start: 2026,
                period_end: 2036,
                contact_email: Some("planavdelinga@alver.example".into()),
                contact_name: Some("Namn Namnesen".into()),
                contact_department: Some("Plan og analyse".into()),
                contact_phone: Some("00 00 00 00".into()),
                case_number: Some("20/5000".into()),
                ..NewPlanCommand::default()
            },
        )
        .await
        .expect("plan");
    assert_eq!(plan.case_number.as_deref(), Some("20/5000"));
    assert_eq!(plan.contact.phone.as_deref(), Some("00 00 00 00"));
    let staff = domain::policy::Actor {
        person: None,
        roles: vec![
            domain::policy::Role::Staff {
                municipality: world.municipality,
            },
            domain::policy::Role::Planner {
                municipality: world.municipality,
                plan: plan.id,
            },
        ],
        ..Default::default()
    };
    let next_month = world
        .clock_date()
        .checked_add(jiff::Span::new().days(30))
        .expect("date");
    world
        .service
        .add_milestone(
            &staff,
            plan.id,
            "Referansemøte",
            &next_month.to_string(),
            false,
        )
        .await
        .expect("milestone");
    let group = world
        .service
        .create_group(
            &staff,
            plan.id,
            "reference_group",
            "Referansegruppe oppvekst",
        )
        .await
        .expect("group");
    let outcome = world
        .service
        .invite_one(
            &staff,
            PLANNER,
            group.id,
            InviteInput {
                name: "Kari Nordmann".into(),
                email: "kari@lag.example".into(),
                role: "organisation_representative".into(),
                organisation_name: Some("Pensjonistlaget".into()),
                lang: Some("en".into()),
                ..InviteInput::default()
            },
        )
        .await
        .expect("invited");
    assert!(matches!(outcome, InviteOutcome::Invited { .. }));
    let jobs = emails_to(&world, "kari@lag.example", "invitation").await;
    assert_eq!(jobs.len(), 1);
    let envelope = &jobs[0].envelope;
    assert_eq!(envelope.lang, Lang::En);
    let Letterhead {
        contact,
        case_number,
        reply_to,
        recipient_name,
        ..
    } = &envelope.letterhead;
    assert_eq!(case_number.as_deref(), Some("20/5000"));
    assert_eq!(reply_to.as_deref(), Some("planavdelinga@alver.example"));
    assert_eq!(recipient_name.as_deref(), Some("Kari Nordmann"));
    let contact = contact.clone().expect("a contact");
    assert_eq!(contact.name.as_deref(), Some("Namn Namnesen"));
    assert_eq!(contact.department.as_deref(), Some("Plan og analyse"));
    let Email::Invitation {
        role,
        organisation_name,
        meetings,
        group_kind,
        ..
    } = &envelope.email
    else {
        panic!("an invitation");
    };
    assert_eq!(*role, domain::group::MemberRole::OrganisationRepresentative);
    assert_eq!(organisation_name.as_deref(), Some("Pensjonistlaget"));
    assert_eq!(*group_kind, domain::group::GroupKind::ReferenceGroup);
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].date, next_month.to_string());
}
