//! Fan-out beyond the idle figure: many subscribers held within the machine's
//! open-file limits, and frames delivered per second at saturation (posters posting
//! as fast as they are answered while every subscriber receives every comment).

use crate::client::{self, Progress};
use crate::servers::{Server, cpu_seconds};
use anyhow::Result;
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// File descriptors each side keeps free for everything but the websockets (HTTP
/// clients, the database, logs).
const SPARE_FILES: usize = 256;

/// The soft open-file limit of a process (`Max open files` in /proc/PID/limits).
fn open_file_limit(pid: &str) -> Option<usize> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

fn open_files(pid: &str) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |dir| dir.count())
}

/// How many more websockets both this process and the server can open, and which
/// limit decides it.
pub fn websocket_room(server_pid: u32) -> (usize, String) {
    let server = server_pid.to_string();
    let room = |pid: &str| {
        open_file_limit(pid)
            .map(|limit| (limit.saturating_sub(open_files(pid) + SPARE_FILES), limit))
    };
    match (room("self"), room(&server)) {
        (Some((own, own_limit)), Some((theirs, their_limit))) => {
            if own <= theirs {
                (
                    own,
                    format!("the load generator's open-file limit ({own_limit})"),
                )
            } else {
                (
                    theirs,
                    format!("the server's open-file limit ({their_limit})"),
                )
            }
        }
        _ => (usize::MAX, "unknown".into()),
    }
}

/// Subscribers connected to one room, until dropped.
pub struct Subscribers {
    pub progress: Arc<Progress>,
    pub subscribed: usize,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<Result<client::Received>>>,
}

impl Subscribers {
    /// Connects `n` websockets from 127.0.0.1 … 127.0.0.`sources` and waits until they
    /// have subscribed (or a minute has passed).
    pub async fn connect(server: &Server, n: usize, sources: u8) -> Result<Subscribers> {
        let epoch = Instant::now();
        let progress = Arc::new(Progress::default());
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let gate = Arc::new(tokio::sync::Semaphore::new(256));
        let mut tasks = Vec::with_capacity(n);
        for i in 0..n {
            let permit = gate.clone().acquire_owned().await?;
            let source = IpAddr::V4(Ipv4Addr::new(
                127,
                0,
                0,
                1 + (i % usize::from(sources.max(1))) as u8,
            ));
            tasks.push(tokio::spawn(client::subscriber(
                server.addr,
                source,
                server.room.clone(),
                epoch,
                progress.clone(),
                permit,
                stop_rx.clone(),
            )));
        }
        let wait = Instant::now();
        while progress.subscribed.load(Ordering::Relaxed) < n
            && wait.elapsed() < Duration::from_secs(60)
            && !tasks.iter().any(|t| t.is_finished())
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let subscribed = progress.subscribed.load(Ordering::Relaxed);
        Ok(Subscribers {
            progress,
            subscribed,
            stop,
            tasks,
        })
    }

    /// Closes them; how many had closed before.
    pub async fn close(self) -> usize {
        let _ = self.stop.send(true);
        let mut closed_early = 0;
        for task in self.tasks {
            match task.await {
                Ok(Ok(received)) => closed_early += usize::from(received.closed_early),
                _ => closed_early += 1,
            }
        }
        closed_early
    }
}

#[derive(Serialize, Clone)]
pub struct Saturation {
    pub subscribers: usize,
    pub subscribed: usize,
    pub posters: usize,
    pub comments: usize,
    /// Frames that reached subscribers, from the first post to the last delivery.
    pub deliveries: usize,
    pub seconds: f64,
    pub frames_per_second: f64,
    /// Deliveries expected (subscribers × comments) that never came.
    pub missing_deliveries: usize,
    pub server_cpu_seconds: f64,
    pub load_generator_cpu_seconds: f64,
}

/// `posters` post as fast as they are answered for `seconds` to a room with
/// `subscribers` websockets; frames delivered per second until the last subscriber
/// has every comment.
pub async fn saturation(
    server: &Server,
    subscribers: usize,
    posters: usize,
    seconds: f64,
    sources: u8,
) -> Result<Saturation> {
    let subs = Subscribers::connect(server, subscribers, sources).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let delivered_before = subs.progress.deliveries.load(Ordering::Relaxed);
    let cpu_server = cpu_seconds(server.pid);
    let cpu_own = crate::own_cpu();
    let started = Instant::now();
    let comments = Arc::new(AtomicUsize::new(0));
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for poster in 0..posters {
        let headers = server.headers();
        let target = server.target();
        let addr = server.addr;
        let comments = comments.clone();
        tasks.push(tokio::spawn(async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let mut http = client::Http::connect(addr).await?;
            let mut i = 0;
            while Instant::now() < deadline {
                crate::post(
                    &mut http,
                    &target,
                    &headers,
                    &format!("saturation {poster}-{i}"),
                )
                .await?;
                comments.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let comments = comments.load(Ordering::Relaxed);
    let expected = subs.subscribed * comments;
    let wait = Instant::now();
    let delivered = || {
        subs.progress
            .deliveries
            .load(Ordering::Relaxed)
            .saturating_sub(delivered_before)
    };
    while delivered() < expected && wait.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let deliveries = delivered();
    let server_cpu = cpu_seconds(server.pid) - cpu_server;
    let own = crate::own_cpu() - cpu_own;
    let subscribed = subs.subscribed;
    subs.close().await;
    Ok(Saturation {
        subscribers,
        subscribed,
        posters,
        comments,
        deliveries,
        seconds: elapsed,
        frames_per_second: deliveries as f64 / elapsed,
        missing_deliveries: expected.saturating_sub(deliveries),
        server_cpu_seconds: server_cpu,
        load_generator_cpu_seconds: own,
    })
}
