//! The `samrad` binary as an operator meets it: output formats, exit codes and
//! one-line errors.

#[path = "cli/deploy_files.rs"]
mod deploy_files;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn samrad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samrad"))
        .args(args)
        .env_remove("SAMRAD_DATABASE_URL")
        .env_remove("SAMRAD_CONFIG")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("samrad runs")
}

fn one_line_error(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected failure, got {:?}",
        output.status
    );
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("samrad: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "samrad-cli-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[test]
fn deadline_prints_the_hole_example_as_json() {
    let output = samrad(&[
        "deadline",
        "--opens",
        "2024-03-22",
        "--weeks",
        "6",
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["opens"], "2024-03-22");
    assert_eq!(json["deadline"], "2024-05-03T23:59:00+02:00");
    assert_eq!(json["warnings"][0]["code"], "overlaps_easter");
    assert!(
        json["warnings"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[test]
fn following_the_suggested_deadline_clears_the_holiday_warning() {
    let json = |args: &[&str]| -> serde_json::Value {
        let output = samrad(args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("JSON on stdout")
    };
    // Eight weeks from 1 December 2026 run over Christmas.
    let first = json(&[
        "deadline",
        "--opens",
        "2026-12-01",
        "--weeks",
        "8",
        "--json",
    ]);
    assert_eq!(first["deadline"], "2027-01-26T23:59:00+01:00");
    assert_eq!(first["warnings"][0]["code"], "overlaps_christmas");
    let suggested = first["warnings"][0]["suggested_deadline"]
        .as_str()
        .expect("a suggested deadline")
        .to_owned();
    assert_eq!(suggested, "2027-02-04T23:59:00+01:00");
    let followed = json(&[
        "deadline",
        "--opens",
        "2026-12-01",
        "--weeks",
        "8",
        "--deadline-on",
        &suggested[..10],
        "--json",
    ]);
    assert_eq!(followed["deadline"], suggested.as_str());
    assert_eq!(followed["warnings"], serde_json::json!([]), "{followed}");
    let shorter = one_line_error(&samrad(&[
        "deadline",
        "--opens",
        "2026-12-01",
        "--weeks",
        "8",
        "--deadline-on",
        "2027-01-20",
        "--json",
    ]));
    assert!(shorter.contains("--weeks 8"), "{shorter}");
}

#[test]
fn deadline_refusals_are_one_line_with_a_non_zero_exit() {
    let short = one_line_error(&samrad(&[
        "deadline",
        "--opens",
        "2024-03-22",
        "--weeks",
        "3",
        "--json",
    ]));
    assert!(short.contains("§ 11-14"), "{short}");
    one_line_error(&samrad(&[
        "deadline",
        "--opens",
        "2024-03-22",
        "--weeks",
        "0",
        "--json",
    ]));
    one_line_error(&samrad(&[
        "deadline",
        "--opens",
        "2024-03-22",
        "--weeks",
        "520",
        "--json",
    ]));
    let date = one_line_error(&samrad(&["deadline", "--opens", "22.03.2024", "--json"]));
    assert!(date.contains("YYYY-MM-DD"), "{date}");
    let ok = samrad(&[
        "deadline",
        "--opens",
        "2024-03-22",
        "--weeks",
        "3",
        "--other",
        "--json",
    ]);
    assert!(ok.status.success());
}

#[test]
fn unknown_flags_and_bad_folders_are_named_in_one_line() {
    let unknown = samrad(&["serve", "--no-such-flag"]);
    assert_eq!(unknown.status.code(), Some(2));
    let text = String::from_utf8_lossy(&unknown.stderr).trim().to_owned();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("--no-such-flag"), "{text}");

    let file = temp_dir().join("a-file");
    std::fs::write(&file, "x").expect("file");
    let blocked = one_line_error(&samrad(&[
        "migrate",
        "--data-dir",
        &file.join("data").to_string_lossy(),
    ]));
    assert!(blocked.contains("data folder"), "{blocked}");

    let unreachable = one_line_error(&samrad(&[
        "migrate",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ]));
    assert!(unreachable.contains("database"), "{unreachable}");
    let nonsense = one_line_error(&samrad(&["migrate", "--database-url", "mysql://x"]));
    assert!(nonsense.contains("sqlite: or postgres:"), "{nonsense}");
}

#[test]
fn a_report_threshold_out_of_range_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_samrad"))
        .args(["migrate", "--data-dir", &temp_dir().to_string_lossy()])
        .env_remove("SAMRAD_DATABASE_URL")
        .env_remove("SAMRAD_CONFIG")
        .env("SAMRAD_REPORT_THRESHOLD", "0")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("samrad runs");
    let message = one_line_error(&output);
    assert!(message.contains("report_threshold"), "{message}");
}

#[test]
fn a_port_in_use_is_reported() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr").to_string();
    let dir = temp_dir();
    let error = one_line_error(&samrad(&[
        "serve",
        "--bind",
        &address,
        "--data-dir",
        &dir.to_string_lossy(),
    ]));
    assert!(
        error.contains("cannot listen") && error.contains(&address),
        "{error}"
    );
}

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

/// Starts `samrad serve` on a free port with its data in `dir`; returns the process
/// the address it listens on (read from its log line) and its log until then.
fn spawn_serve(
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (std::process::Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samrad"))
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env_remove("SAMRAD_DATABASE_URL")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let started = Instant::now();
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut log = String::new();
    let address = loop {
        let line = lines
            .next()
            .expect("the server logs before it listens")
            .expect("utf-8");
        log.push_str(&line);
        log.push('\n');
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no listening line"
        );
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address, log)
}

#[test]
fn serve_starts_answers_and_stops_gracefully_on_sigterm() {
    let dir = temp_dir();
    let (mut child, address, _) = spawn_serve(&dir, &[]);
    for path in ["/", "/healthz", "/readyz", "/metrics", "/api/openapi.json"] {
        let response = http_get(&address, path);
        assert!(
            response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
            "{path}: {response}"
        );
    }
    assert!(
        dir.join("samrad.db").exists(),
        "SQLite lives in the data folder"
    );
    assert!(
        dir.join("attachments").is_dir(),
        "attachments of responses live in the data folder"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            assert!(exit.success(), "exit after SIGTERM: {exit:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn seed(name: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds")
        .join(name);
    assert!(
        path.is_file(),
        "the seed document {} is missing: CI must have ../shared beside the clone",
        path.display()
    );
    path
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn import_dry_run_prints_the_alver_outline_as_json() {
    let file = seed("002_ec8b448d3d8b0d56.txt");
    let output = samrad(&[
        "import",
        &file.to_string_lossy(),
        "--format",
        "text",
        "--dry-run",
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let numbers: Vec<&str> = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s["number"].as_str())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(
        numbers,
        [
            "1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1",
            "4.2", "5", "5.1", "5.2", "5.3", "5.4"
        ]
    );
    let second = &json["sections"][2];
    assert_eq!(second["title"], "Slik jobbar Alver med planlegging");
    assert_eq!(second["level"], 1);
    assert!(json["warnings"].is_array());
}

#[test]
fn import_refuses_bad_files_in_one_line() {
    let dir = temp_dir();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").expect("file");
    let error = one_line_error(&samrad(&[
        "import",
        &empty.to_string_lossy(),
        "--dry-run",
        "--json",
    ]));
    assert!(error.contains("empty"), "{error}");
    let fake = dir.join("fake.docx");
    std::fs::write(&fake, b"PK\x03\x04 not really a zip").expect("file");
    one_line_error(&samrad(&[
        "import",
        &fake.to_string_lossy(),
        "--format",
        "docx",
        "--dry-run",
    ]));
    one_line_error(&samrad(&[
        "import",
        &dir.join("missing.txt").to_string_lossy(),
        "--dry-run",
    ]));
    one_line_error(&samrad(&[
        "import",
        &empty.to_string_lossy(),
        "--format",
        "odt",
        "--dry-run",
    ]));
    // A document that imports, but without --dry-run it needs a plan to go into.
    let good = dir.join("plan.md");
    std::fs::write(&good, "# 1 Innleiing\n\nKvifor vi lagar planen.\n").expect("file");
    let no_plan = one_line_error(&samrad(&["import", &good.to_string_lossy()]));
    assert!(no_plan.contains("--plan"), "{no_plan}");
}

#[test]
fn import_into_a_plan_twice_makes_a_second_version() {
    let dir = temp_dir();
    let data = dir.to_string_lossy().into_owned();
    let ok = |args: &[&str]| {
        let output = samrad(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    ok(&[
        "municipality",
        "add",
        "testvik",
        "--name",
        "Testvik kommune",
        "--data-dir",
        &data,
    ]);
    let file = dir.join("plan.md");
    std::fs::write(
        &file,
        "# 1 Innleiing\n\nFørste utkast.\n\n# 2 Tema\n\nHelse.\n",
    )
    .expect("file");
    // A plan to import into, made through the same database.
    let runtime = tokio_runtime();
    runtime.block_on(async {
        let db = db::Db::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.join("samrad.db").display()
        ))
        .await
        .expect("db");
        let m = db
            .municipality_by_slug("testvik")
            .await
            .expect("query")
            .expect("municipality");
        db.create_plan(db::NewPlan {
            municipality_id: m.id,
            slug: "helse".into(),
            title: "Helseplan".into(),
            sector: None,
            period_start: 2026,
            period_end: 2030,
            contact_email: None,
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    });
    let first = ok(&[
        "import",
        &file.to_string_lossy(),
        "--municipality",
        "testvik",
        "--plan",
        "helse",
        "--title",
        "Planprogram",
        "--json",
        "--data-dir",
        &data,
    ]);
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).expect("json");
    assert_eq!(first["version"], 1);
    std::fs::write(
        &file,
        "# 1 Innleiing\n\nAndre utkast.\n\n# 2 Tema\n\nHelse og omsorg.\n",
    )
    .expect("file");
    let second = ok(&[
        "import",
        &file.to_string_lossy(),
        "--municipality",
        "testvik",
        "--plan",
        "helse",
        "--title",
        "Planprogram",
        "--json",
        "--data-dir",
        &data,
    ]);
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).expect("json");
    assert_eq!(second["version"], 2);
    assert_eq!(second["document_id"], first["document_id"]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}
