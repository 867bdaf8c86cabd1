//! Figure (6): emails per second through the notification worker to a local SMTP
//! sink that this tool runs itself.
//!
//! Samråd starts with its SMTP URL pointing at the sink; a planner makes a plan and
//! a group over the API and invites N people at once with a CSV roster
//! (`POST /api/v1/groups/{id}/invitations/import`), which queues N invitation
//! letters in the outbox in one transaction. Measured: from the import's answer
//! until the sink has accepted all N (rendering each letter as text and HTML, SMTP,
//! and recording each as sent), and the server's CPU time over that span.

use crate::client::Http;
use crate::servers::{Kind, Options, Server, cpu_seconds};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[derive(Serialize, Clone)]
pub struct Emails {
    pub round: usize,
    pub emails: usize,
    pub arrived: usize,
    /// The import that queues them, answered after its commit.
    pub queue_ms: f64,
    /// From the import's answer until the sink had the last one.
    pub deliver_seconds: f64,
    pub per_second: f64,
    pub server_cpu_seconds: f64,
    /// Connections the worker opened to the sink (pooled, so few).
    pub smtp_connections: usize,
}

/// A minimal SMTP server: accepts every message and counts it.
struct Sink {
    addr: SocketAddr,
    count: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    arrived: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Sink {
    async fn start() -> Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let count = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let arrived = Arc::new(Notify::new());
        let (c, n, a) = (count.clone(), connections.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                n.fetch_add(1, Ordering::Relaxed);
                let (c, a) = (c.clone(), a.clone());
                tokio::spawn(async move {
                    let _ = session(stream, &c, &a).await;
                });
            }
        });
        Ok(Sink {
            addr,
            count,
            connections,
            arrived,
            task,
        })
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Waits until `count` messages have arrived; false after `timeout`.
    async fn wait_for(&self, count: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            if self.count() >= count {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.count() >= count;
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(stream: TcpStream, count: &AtomicUsize, arrived: &Notify) -> Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::with_capacity(64 * 1024, read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let verb = line
            .get(..4)
            .map(<[u8]>::to_ascii_uppercase)
            .unwrap_or_default();
        match verb.as_slice() {
            b"EHLO" => {
                write
                    .write_all(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            }
            b"DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" {
                        break;
                    }
                }
                count.fetch_add(1, Ordering::Relaxed);
                arrived.notify_waiters();
                write.write_all(b"250 accepted\r\n").await?;
            }
            b"QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"250 ok\r\n").await?,
        }
    }
}

async fn api(
    http: &mut Http,
    method: &str,
    path: &str,
    token: &str,
    content_type: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    let auth = format!("Bearer {token}");
    let (status, answer) = http
        .request(
            method,
            path,
            &[("Authorization", &auth), ("Content-Type", content_type)],
            body,
        )
        .await?;
    if !(200..300).contains(&status) {
        bail!(
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    Ok(serde_json::from_slice(&answer).unwrap_or(serde_json::Value::Null))
}

/// Measures figure (6) once on a fresh Samråd.
pub async fn measure(options: &Options, dir: &Path, round: usize, n: usize) -> Result<Emails> {
    let sink = Sink::start().await?;
    let smtp = format!("smtp://{}", sink.addr);
    let server = Server::start_with_env(
        Kind::Samrad,
        options,
        dir,
        &[("SAMRAD_SMTP_URL", &smtp), ("RUST_LOG", "warn")],
    )
    .await?;
    let token = server.token.clone().context("Samråd has a token")?;
    let mut http = Http::connect(server.addr).await?;
    let json = "application/json";
    let plan = api(
        &mut http,
        "POST",
        "/api/v1/plans",
        &token,
        json,
        br#"{"slug":"maaling","title":"Plan for m\u00e5ling","period_start":2026,"period_end":2030}"#,
    )
    .await?;
    let plan = plan["id"].as_str().context("a plan id")?.to_owned();
    let group = api(
        &mut http,
        "POST",
        &format!("/api/v1/plans/{plan}/groups"),
        &token,
        json,
        br#"{"kind":"reference_group","name":"Referansegruppa"}"#,
    )
    .await?;
    let group = group["id"].as_str().context("a group id")?.to_owned();
    let mut roster = String::from("name,email,organisation,group\n");
    for i in 0..n {
        roster.push_str(&format!(
            "Deltakar {i},deltakar{i}@maaling.example,,Referansegruppa\n"
        ));
    }
    // What the demo itself sent at start has arrived before counting starts.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = sink.count();
    let cpu = cpu_seconds(server.pid);
    let started = Instant::now();
    api(
        &mut http,
        "POST",
        &format!("/api/v1/groups/{group}/invitations/import"),
        &token,
        "text/csv",
        roster.as_bytes(),
    )
    .await?;
    let queued = Instant::now();
    let complete = sink
        .wait_for(before + n, Duration::from_secs(60 + n as u64 / 10))
        .await;
    let done = Instant::now();
    let server_cpu = cpu_seconds(server.pid) - cpu;
    let arrived = sink.count() - before;
    server.stop()?;
    if !complete {
        bail!("only {arrived} of {n} emails arrived at the sink");
    }
    let deliver = (done - queued).as_secs_f64();
    Ok(Emails {
        round,
        emails: n,
        arrived,
        queue_ms: (queued - started).as_secs_f64() * 1000.0,
        deliver_seconds: deliver,
        per_second: n as f64 / deliver,
        server_cpu_seconds: server_cpu,
        smtp_connections: sink.connections.load(Ordering::Relaxed),
    })
}

/// The rows of the Markdown table: medians over the rounds.
pub fn rows(runs: &[Emails]) -> Vec<(String, f64)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let of = |f: &dyn Fn(&Emails) -> f64| crate::median(runs.iter().map(f).collect());
    vec![
        (
            format!(
                "emails/s to a local SMTP sink, {} invitation letters (higher is better)",
                first.emails
            ),
            of(&|e| e.per_second),
        ),
        (
            format!("queueing {} letters (one import), ms", first.emails),
            of(&|e| e.queue_ms),
        ),
        (
            "server CPU µs per email".to_owned(),
            of(&|e| 1e6 * e.server_cpu_seconds / e.emails.max(1) as f64),
        ),
        (
            "SMTP connections opened".to_owned(),
            of(&|e| e.smtp_connections as f64),
        ),
    ]
}
