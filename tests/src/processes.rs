//! Real `samrad serve` and `samrad worker` processes on one PostgreSQL database, as
//! behind a load balancer: started from the built binary with the environment an
//! operator would set, killed with SIGKILL or stopped with SIGTERM by the test.

use crate::{TempDir, TestApp};
use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `samrad` binary: `SAMRAD_BIN`, else the one `cargo test` built beside this
/// test binary (`target/debug/samrad`). Fails loudly when there is none.
pub fn samrad_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("SAMRAD_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/debug/deps/e2e-… → target/debug/samrad
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("samrad"))
        .expect("a target folder");
    assert!(
        bin.is_file(),
        "no samrad binary at {}: build it (cargo build -p samrad) or set SAMRAD_BIN",
        bin.display()
    );
    bin
}

/// One running `samrad` process; killed when dropped.
pub struct SamradProcess {
    child: Child,
    /// Where `serve` listens (for a worker, the address links in emails name).
    pub address: SocketAddr,
    _dir: TempDir,
}

impl SamradProcess {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.address)
    }

    /// Kills the process at once (SIGKILL): no goodbye, as a crash or an OOM kill.
    pub fn kill(mut self) {
        self.child.kill().expect("killed");
        self.child.wait().expect("reaped");
    }

    /// Stops the process as its service manager would (SIGTERM) and waits for it.
    pub async fn terminate(mut self) -> anyhow::Result<()> {
        let pid = self.child.id();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(exited) = self.child.try_wait()? {
                anyhow::ensure!(exited.success(), "samrad exited with {exited}");
                return Ok(());
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "samrad did not stop within 15 s of SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SamradProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What differs between the processes the test starts.
pub enum Role {
    /// `samrad serve` without its embedded worker.
    Serve,
    /// `samrad worker`.
    Worker,
}

/// A free loopback port (bound, then released for the process to bind).
fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// Starts `samrad serve` (or `samrad worker`) on `app`'s database and SMTP sink, with
/// `extra` settings as `SAMRAD_*` variables; for `serve`, waits until it answers.
pub async fn start_samrad(
    app: &TestApp,
    role: Role,
    extra: &[(&str, &str)],
) -> anyhow::Result<SamradProcess> {
    let dir = TempDir::new();
    let address = free_port();
    let mut command = Command::new(samrad_bin());
    command
        .arg(match role {
            Role::Serve => "serve",
            Role::Worker => "worker",
        })
        // No samrad.toml from wherever the test runs.
        .current_dir(&dir.0)
        .env_remove("SAMRAD_CONFIG")
        .env("SAMRAD_BIND", address.to_string())
        .env("SAMRAD_DATA_DIR", &dir.0)
        .env("SAMRAD_DATABASE_URL", &app.database_url)
        .env("SAMRAD_SMTP_URL", format!("smtp://{}", app.smtp.address()))
        .env("SAMRAD_EMBEDDED_WORKER", "false")
        .env("SAMRAD_LOG_LEVEL", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, value) in extra {
        command.env(key, value);
    }
    let mut child = command.spawn().context("cannot start samrad")?;
    if let Role::Serve = role {
        let client = reqwest::Client::new();
        let url = format!("http://{address}/healthz");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(answer) = client.get(&url).send().await
                && answer.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("samrad serve exited at start with {status}");
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "samrad serve did not answer on {address} within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    Ok(SamradProcess {
        child,
        address,
        _dir: dir,
    })
}
