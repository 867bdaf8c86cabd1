//! What every use-case test starts from.

use consultation::{Clock, Consultation, Publisher, Settings};
use db::{Db, StoredEvent};
use domain::PersonId;
use domain::deadline::HearingKind;
use domain::hearing::{Audience, Hearing, HearingState};
use domain::plan::{DocumentKind, NewSection, Plan, Section};
use domain::policy::{Actor, Role};
use std::sync::{Arc, Mutex};

/// Everything the publisher was told, in order.
#[derive(Default)]
pub struct Recorded {
    pub events: Vec<StoredEvent>,
    pub email_wakes: usize,
    pub roles_changed: Vec<PersonId>,
}

#[derive(Default, Clone)]
pub struct RecordingPublisher(pub Arc<Mutex<Recorded>>);

impl Publisher for RecordingPublisher {
    fn committed(&self, events: &[StoredEvent], queued_email: bool) {
        let mut recorded = self.0.lock().expect("lock");
        recorded.events.extend_from_slice(events);
        if queued_email {
            recorded.email_wakes += 1;
        }
    }

    fn roles_changed(&self, person: PersonId) {
        self.0.lock().expect("lock").roles_changed.push(person);
    }
}

/// A clock that stands still until the test moves it.
pub struct TestClock(Mutex<jiff::Timestamp>);

impl TestClock {
    pub fn set(&self, at: jiff::Timestamp) {
        *self.0.lock().expect("lock") = at;
    }
}

impl Clock for TestClock {
    fn now(&self) -> jiff::Timestamp {
        *self.0.lock().expect("lock")
    }
}

pub struct World {
    pub service: Consultation,
    pub published: RecordingPublisher,
    pub clock: Arc<TestClock>,
    pub municipality: domain::MunicipalityId,
    pub plan: Plan,
    pub sections: Vec<Section>,
    pub hearing: Hearing,
    /// The attachment folder of this world alone.
    pub attachments: std::path::PathBuf,
    dir: Option<std::path::PathBuf>,
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        let _ = std::fs::remove_dir_all(&self.attachments);
    }
}

impl World {
    pub fn db(&self) -> &Db {
        self.service.db()
    }

    /// A staff member of the municipality who plans the world's plan.
    pub fn planner(&self) -> Actor {
        Actor {
            person: None,
            roles: vec![
                Role::Staff {
                    municipality: self.municipality,
                },
                Role::Planner {
                    municipality: self.municipality,
                    plan: self.plan.id,
                },
            ],
            ..Default::default()
        }
    }

    /// A signed-in person without roles.
    pub async fn citizen(&self, email: &str, name: &str) -> Actor {
        let person = self
            .db()
            .ensure_person(email, name, domain::Lang::Nn)
            .await
            .expect("person");
        Actor::person(person.id, Vec::new())
    }

    pub fn events(&self) -> Vec<StoredEvent> {
        self.published.0.lock().expect("lock").events.clone()
    }

    pub fn email_wakes(&self) -> usize {
        self.published.0.lock().expect("lock").email_wakes
    }

    /// A session of `person` bound to `municipality`, as the database hands it out.
    pub async fn signed_in(
        &self,
        person: PersonId,
        municipality: Option<domain::MunicipalityId>,
    ) -> db::SignedIn {
        db::SignedIn {
            session: domain::SessionId::new(),
            person: self.db().person(person).await.expect("person"),
            expires_at: self
                .clock
                .now()
                .checked_add(jiff::SignedDuration::from_hours(24))
                .expect("tomorrow"),
            municipality,
            staff: false,
        }
    }

    /// Today in Norway, by the world's clock.
    pub fn clock_date(&self) -> jiff::civil::Date {
        self.clock.now().to_zoned(domain::deadline::oslo()).date()
    }

    /// Every email in the outbox, newest first.
    pub async fn outbox(&self) -> Vec<db::ClaimedJob> {
        self.db().recent_emails(1000).await.expect("outbox")
    }

    /// The stored attachment files: in the attachment folder, or in the database on
    /// PostgreSQL.
    pub async fn stored_files(&self) -> Vec<String> {
        self.service
            .attachment_store()
            .stored_names()
            .await
            .expect("stored files")
    }

    /// A file as the server receives it from a submitter.
    pub async fn file(&self, name: &str, bytes: &[u8]) -> consultation::responses::SubmittedFile {
        consultation::responses::SubmittedFile {
            file_name: name.to_owned(),
            file: self
                .service
                .attachment_store()
                .receive_bytes(bytes)
                .await
                .expect("received"),
        }
    }
}

/// A migrated database of its own, and the folder to remove afterwards.
pub async fn fresh_db() -> (Db, Option<std::path::PathBuf>) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match std::env::var("SAMRAD_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = Db::connect(&admin_url).await.expect("PostgreSQL reachable");
            // Named like the end-to-end databases, so CI drops it afterwards.
            let name = format!("samrad_test_uc_{id}");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            admin.close().await.expect("close");
            let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /<database>");
            let db = Db::connect(&format!("{base}/{name}"))
                .await
                .expect("connect");
            db.migrate().await.expect("migrate");
            (db, None)
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("samrad-uc-test-{id}"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.join("samrad.db").display());
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await.expect("migrate");
            (db, Some(dir))
        }
    }
}

/// A municipality with a plan, a two-section planning programme and a pbl hearing on
/// it that opened yesterday and runs six weeks; the clock stands at now.
pub async fn open_hearing() -> World {
    let (db, dir) = fresh_db().await;
    let now = db::time::now();
    let clock = Arc::new(TestClock(Mutex::new(now)));
    let published = RecordingPublisher::default();
    // Never shared between tests, also when the database is PostgreSQL's.
    let attachments = std::env::temp_dir().join(format!(
        "samrad-uc-attachments-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let service = Consultation::with_clock(
        db.clone(),
        Arc::new(published.clone()),
        clock.clone(),
        Settings {
            base_url: "https://samrad.example".to_owned(),
            report_threshold: 3,
            attachments_dir: attachments.clone(),
        },
    );
    let municipality = db
        .create_municipality("alver", "Alver kommune")
        .await
        .expect("municipality");
    let plan = db
        .create_plan(db::NewPlan {
            municipality_id: municipality.id,
            slug: "helse".to_owned(),
            title: "Kommunedelplan for helse, sosial og omsorg".to_owned(),
            sector: None,
            period_start: 2025,
            period_end: 2033,
            contact_email: Some("plan@alver.example".to_owned()),
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    let document = db
        .create_document(db::NewDocument {
            plan_id: plan.id,
            kind: DocumentKind::PlanningProgramme,
            title: "Planprogram".to_owned(),
            sections: vec![
                NewSection {
                    number: "1".to_owned(),
                    title: "Innleiing".to_owned(),
                    level: 1,
                    body: "Kommunen skal lage ein plan for **helse og omsorg**.".to_owned(),
                },
                NewSection {
                    number: "2".to_owned(),
                    title: "Medverknad".to_owned(),
                    level: 1,
                    body: "Eldrerådet og ungdomsrådet blir inviterte til verkstader.".to_owned(),
                },
            ],
        })
        .await
        .expect("document");
    let opens = now
        .checked_sub(jiff::SignedDuration::from_hours(24))
        .expect("yesterday");
    let deadline = now
        .checked_add(jiff::SignedDuration::from_hours(24 * 41))
        .expect("in six weeks");
    let hearing = db
        .create_hearing(db::NewHearing {
            municipality_id: municipality.id,
            plan_id: plan.id,
            document_version_id: document.version.id,
            title: "Høyring av planprogrammet".to_owned(),
            kind: HearingKind::Pbl,
            audience: Audience::Public,
            state: HearingState::Open,
            opens_at: opens,
            deadline,
            announcement: None,
            contact_name: None,
            contact_email: None,
            actor: "test".to_owned(),
            period_weeks: 6,
        })
        .await
        .expect("hearing");
    World {
        service,
        published,
        clock,
        municipality: municipality.id,
        plan,
        sections: document.sections,
        hearing,
        attachments,
        dir,
    }
}
