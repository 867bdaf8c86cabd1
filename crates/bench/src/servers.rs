//! Starting the servers under test (Samråd and the Node.js peer) as processes of their
//! own, finding what to post to, and reading their CPU time and memory from /proc.

use crate::client::Http;
use anyhow::{Context, Result, anyhow, bail};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Samrad,
    Peer,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Samrad => "Samråd",
            Kind::Peer => "ws peer",
        }
    }
}

/// A running server and what the clients need to post to it and subscribe.
pub struct Server {
    child: Guard,
    pub pid: u32,
    pub addr: SocketAddr,
    pub post_path: String,
    pub list_path: String,
    pub token: Option<String>,
    pub section: String,
    pub room: String,
}

/// Where comments are posted.
#[derive(Clone)]
pub struct Target {
    pub post_path: String,
    pub section: String,
}

pub struct Options {
    pub samrad: PathBuf,
    pub peer_dir: PathBuf,
    pub database_url: Option<String>,
}

/// A server process, ended when the measurement ends (also on an error).
struct Guard(Option<Child>);

impl Guard {
    fn get(&mut self) -> &mut Child {
        self.0
            .as_mut()
            .expect("the process is running until stopped")
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

async fn wait_until_up(addr: SocketAddr, path: &str, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            bail!("the server exited while starting: {status}");
        }
        if let Ok(mut http) = Http::connect(addr).await
            && let Ok((200, _)) = http.request("GET", path, &[], b"").await
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the server at {addr} did not answer {path} within two minutes")
}

/// The first value after `before` (up to the next quote) that is a UUID.
fn between<'a>(text: &'a str, before: &str, _after: &str) -> Option<&'a str> {
    text.match_indices(before)
        .map(|(at, _)| &text[at + before.len()..])
        .filter_map(|rest| rest.get(..36))
        .find(|value| uuid::Uuid::parse_str(value).is_ok() && value.len() == 36)
}

impl Server {
    pub async fn start(kind: Kind, options: &Options, dir: &Path) -> Result<Server> {
        Self::start_with_env(kind, options, dir, &[]).await
    }

    /// [`Server::start`] with these environment variables for the server (Samråd's
    /// `SAMRAD_…` settings).
    pub async fn start_with_env(
        kind: Kind,
        options: &Options,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> Result<Server> {
        std::fs::create_dir_all(dir)?;
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let log = std::fs::File::create(dir.join("server.log"))?;
        match kind {
            Kind::Samrad => {
                let mut command = Command::new(&options.samrad);
                command
                    .arg("serve")
                    .arg("--demo")
                    // No demo inputs: nothing for the suggestions' background task
                    // to compute while the benchmark measures.
                    .arg("--demo-without-inputs")
                    .arg("--bind")
                    .arg(addr.to_string())
                    .envs(env.iter().copied());
                storage_args(&mut command, options, dir);
                let child = command
                    .stdout(log.try_clone()?)
                    .stderr(log)
                    .spawn()
                    .with_context(|| format!("starting {}", options.samrad.display()))?;
                let mut child = Guard(Some(child));
                wait_until_up(addr, "/healthz", child.get()).await?;
                let mut command = Command::new(&options.samrad);
                command.args(["token", "create", "--municipality", "fjordvik"]);
                storage_args(&mut command, options, dir);
                let out = command.output()?;
                if !out.status.success() {
                    bail!(
                        "samrad token create failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                let token = String::from_utf8(out.stdout)?.trim().to_owned();
                let mut http = Http::connect(addr).await?;
                let (_, hearings) = http
                    .request("GET", "/api/v1/municipalities/fjordvik/hearings", &[], b"")
                    .await?;
                let hearings: Vec<serde_json::Value> = serde_json::from_slice(&hearings)?;
                let hearing = hearings
                    .iter()
                    .find(|h| h["state"] == "open" && h["audience"] == "public")
                    .and_then(|h| h["id"].as_str())
                    .ok_or_else(|| anyhow!("the demo has no open public hearing"))?
                    .to_owned();
                let (_, page) = http
                    .request("GET", &format!("/hearings/{hearing}"), &[], b"")
                    .await?;
                let page = String::from_utf8_lossy(&page);
                let document = between(&page, "data-document-id=\"", "\"")
                    .ok_or_else(|| anyhow!("no document on the hearing page"))?;
                let section = between(&page, "name=\"section_id\" value=\"", "\"")
                    .ok_or_else(|| anyhow!("no section on the hearing page"))?;
                Ok(Server {
                    pid: child.get().id(),
                    child,
                    addr,
                    post_path: format!("/api/v1/hearings/{hearing}/comments"),
                    list_path: format!("/api/v1/hearings/{hearing}/comments"),
                    token: Some(token),
                    section: section.to_owned(),
                    room: format!("document:{document}"),
                })
            }
            Kind::Peer => {
                let child = Command::new("node")
                    .arg(options.peer_dir.join("server.js"))
                    .arg(port.to_string())
                    .arg(dir.join("peer.sqlite"))
                    .stdout(log.try_clone()?)
                    .stderr(log)
                    .spawn()
                    .context("starting node (is Node.js installed?)")?;
                let mut child = Guard(Some(child));
                wait_until_up(addr, "/comments", child.get()).await?;
                Ok(Server {
                    pid: child.get().id(),
                    child,
                    addr,
                    post_path: "/comments".into(),
                    list_path: "/comments".into(),
                    token: None,
                    section: uuid::Uuid::new_v4().to_string(),
                    room: "document:peer".into(),
                })
            }
        }
    }

    pub fn stop(mut self) -> Result<()> {
        if let Some(mut child) = self.child.0.take() {
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }

    /// What a poster needs.
    pub fn target(&self) -> Target {
        Target {
            post_path: self.post_path.clone(),
            section: self.section.clone(),
        }
    }

    /// The headers of a post (the token for Samråd).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Content-Type", "application/json".to_owned())];
        if let Some(token) = &self.token {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
        headers
    }

    /// Every stored comment id (to check that each acknowledged one is there once).
    pub async fn stored_ids(&self) -> Result<Vec<String>> {
        let mut http = Http::connect(self.addr).await?;
        let headers = self.headers();
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (status, body) = http.request("GET", &self.list_path, &headers, b"").await?;
        if status != 200 {
            bail!("listing the comments answered {status}");
        }
        let list: Vec<serde_json::Value> = serde_json::from_slice(&body)?;
        Ok(list
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect())
    }
}

fn storage_args(command: &mut Command, options: &Options, dir: &Path) {
    command.arg("--data-dir").arg(dir);
    if let Some(url) = &options.database_url {
        command.arg("--database-url").arg(url);
    }
    command.stdin(Stdio::null());
}

/// User + system CPU seconds of a process (from /proc/PID/stat).
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Resident memory of a process in KiB (VmRSS).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The machine the run was on.
pub fn machine() -> serde_json::Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let memory = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_owned())
        .unwrap_or_default();
    serde_json::json!({
        "hostname": read("/proc/sys/kernel/hostname").trim(),
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
        "cpu": model,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "memory_kib": memory,
        "loadavg_at_start": read("/proc/loadavg").split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    })
}
