//! `samrad backup` of a running server's SQLite database while clients post, and
//! `samrad restore` of it into a fresh data folder: every comment acknowledged
//! before the backup began is in the restored database, which passes SQLite's
//! integrity check, with the attachment folder; `samrad migrate --check` names what
//! would run. Real processes of the `samrad` binary throughout.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn samrad() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samrad"));
    command
        .env_remove("SAMRAD_DATABASE_URL")
        .env_remove("SAMRAD_CONFIG")
        .env("NO_COLOR", "1")
        .current_dir(std::env::temp_dir());
    command
}

fn run(args: &[&str]) -> Output {
    samrad().args(args).output().expect("samrad runs")
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure");
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("samrad: "), "{stderr}");
    stderr
}

struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "samrad-backup-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("folder");
        Folder(dir)
    }

    fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `samrad serve --demo` on a data folder: the process, its address and the demo
/// hearing's id (both read from its log).
struct Server {
    child: Child,
    address: String,
    hearing: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = samrad()
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let mut hearing = None;
        let address = loop {
            let line = lines
                .next()
                .expect("the server logs before it listens")
                .expect("utf-8");
            if let Some(rest) = line.split("hearing=").nth(1) {
                hearing = rest.split_whitespace().next().map(str::to_owned);
            }
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split_whitespace().next().expect("address").to_owned();
            }
        };
        // Keep reading the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            address,
            hearing: hearing.expect("the demo hearing is logged"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The first section of the demo hearing, from its public page.
async fn a_section(http: &reqwest::Client, server: &Server) -> String {
    let page = http
        .get(server.url(&format!("/hearings/{}", server.hearing)))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let at = page.find("id=\"section-").expect("a section on the page") + "id=\"section-".len();
    page[at..at + 36].to_owned()
}

async fn comment_ids(http: &reqwest::Client, server: &Server, token: &str) -> BTreeSet<String> {
    let listed: serde_json::Value = http
        .get(server.url(&format!("/api/v1/hearings/{}/comments", server.hearing)))
        .bearer_auth(token)
        .send()
        .await
        .expect("comments")
        .json()
        .await
        .expect("json");
    listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn a_backup_taken_while_clients_post_restores_every_acknowledged_comment() {
    let data = Folder::new("data");
    let server = Server::start(&data.0);
    let token = succeeded(&run(&[
        "token",
        "create",
        "--municipality",
        "fjordvik",
        "--data-dir",
        &data.arg(),
    ]))
    .trim()
    .to_owned();
    // An attached file, as the server keeps them.
    let attachments = data.0.join("attachments");
    std::fs::create_dir_all(attachments.join("ab")).expect("attachment folder");
    std::fs::write(attachments.join("ab").join("vedlegg.pdf"), b"%PDF-1.7 svar").expect("file");

    let backup_file = data.0.parent().expect("temp").join(format!(
        "{}.zip",
        data.0.file_name().expect("name").to_string_lossy()
    ));
    let rt = runtime();
    let http = reqwest::Client::new();
    let section = rt.block_on(a_section(&http, &server));
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let posters: Vec<_> = (0..3)
        .map(|client| {
            let (http, url, token, section) = (
                http.clone(),
                server.url(&format!("/api/v1/hearings/{}/comments", server.hearing)),
                token.clone(),
                section.clone(),
            );
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            rt.spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let posted = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&serde_json::json!({
                            "section_id": section,
                            "author_name": format!("Klient {client}"),
                            "body": format!("Innspel {n} frå klient {client}."),
                        }))
                        .send()
                        .await
                        .expect("post");
                    assert_eq!(posted.status(), 201, "client {client}");
                    let body: serde_json::Value = posted.json().await.expect("json");
                    acknowledged
                        .lock()
                        .expect("lock")
                        .push(body["id"].as_str().expect("id").to_owned());
                }
                n
            })
        })
        .collect();
    // Clients have posted for a while before the backup begins, and go on.
    while acknowledged.lock().expect("lock").len() < 60 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let before_backup: Vec<String> = acknowledged.lock().expect("lock").clone();
    let backed_up = run(&[
        "backup",
        &backup_file.display().to_string(),
        "--data-dir",
        &data.arg(),
    ]);
    let after_backup = acknowledged.lock().expect("lock").len();
    stop.store(true, Ordering::SeqCst);
    let posted: Vec<usize> = posters
        .into_iter()
        .map(|p| rt.block_on(p).expect("client"))
        .collect();
    let summary: serde_json::Value =
        serde_json::from_str(&succeeded(&backed_up)).expect("JSON summary");
    assert_eq!(summary["attachments"], 1, "{summary}");
    assert!(
        posted.iter().all(|n| *n > 1),
        "every client posted: {posted:?}"
    );
    assert!(
        after_backup > before_backup.len(),
        "clients posted while the backup ran"
    );
    // A second backup into the same file is refused rather than overwriting it.
    let again = one_line_error(&run(&[
        "backup",
        &backup_file.display().to_string(),
        "--data-dir",
        &data.arg(),
    ]));
    assert!(again.contains("exists already"), "{again}");
    drop(server);

    // Restored into a fresh folder.
    let fresh = Folder::new("restored");
    let restored = fresh.0.join("data");
    let report: serde_json::Value = serde_json::from_str(&succeeded(&run(&[
        "restore",
        &backup_file.display().to_string(),
        "--data-dir",
        &restored.display().to_string(),
    ])))
    .expect("JSON report");
    assert_eq!(report["integrity_check"], "ok", "{report}");
    assert_eq!(report["attachments"], 1, "{report}");
    assert_eq!(
        std::fs::read(restored.join("attachments").join("ab").join("vedlegg.pdf"))
            .expect("the attachment is restored"),
        b"%PDF-1.7 svar"
    );
    let checked = rt.block_on(async {
        let db = db::Db::connect(&format!(
            "sqlite://{}?mode=rw",
            restored.join("samrad.db").display()
        ))
        .await
        .expect("open the restored database");
        let check = db.sqlite_integrity_check().await.expect("integrity check");
        db.close().await.ok();
        check
    });
    assert_eq!(checked, "ok");
    // Restoring over a database is refused.
    let over = one_line_error(&run(&[
        "restore",
        &backup_file.display().to_string(),
        "--data-dir",
        &restored.display().to_string(),
    ]));
    assert!(over.contains("fresh data folder"), "{over}");
    let _ = std::fs::remove_file(&backup_file);

    // The restored folder serves every comment acknowledged before the backup began.
    let server = Server::start(&restored);
    let token = succeeded(&run(&[
        "token",
        "create",
        "--municipality",
        "fjordvik",
        "--data-dir",
        &restored.display().to_string(),
    ]))
    .trim()
    .to_owned();
    let listed = rt.block_on(comment_ids(&http, &server, &token));
    let missing: Vec<&String> = before_backup
        .iter()
        .filter(|id| !listed.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged comments are missing",
        missing.len(),
        before_backup.len()
    );
}

#[test]
fn migrate_check_names_what_would_run_and_says_so_in_its_exit_status() {
    let data = Folder::new("migrate");
    let fresh = run(&["migrate", "--check", "--data-dir", &data.arg()]);
    assert_eq!(fresh.status.code(), Some(1), "pending on a new folder");
    let names = String::from_utf8(fresh.stdout).expect("utf-8");
    assert!(names.lines().count() > 10, "{names}");
    assert!(
        names.lines().any(|l| l == "m20261215_000200_input_stems"),
        "{names}"
    );
    assert!(
        !data.0.join("samrad.db").exists(),
        "checking creates no database"
    );
    succeeded(&run(&["migrate", "--data-dir", &data.arg()]));
    let current = run(&["migrate", "--check", "--data-dir", &data.arg()]);
    assert_eq!(current.status.code(), Some(0));
    assert!(current.stdout.is_empty());
}

#[test]
fn postgres_is_backed_up_with_its_own_tools() {
    let output = run(&[
        "backup",
        "/tmp/never-written.zip",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/none",
    ]);
    let message = one_line_error(&output);
    assert!(message.contains("pg_dump"), "{message}");
    assert!(!Path::new("/tmp/never-written.zip").exists());
    let message = one_line_error(&run(&[
        "restore",
        "/tmp/never-written.zip",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/none",
    ]));
    assert!(message.contains("pg_restore"), "{message}");
}
