//! `samrad-bench`: measures Samråd and a minimal Node.js peer (tests/bench/peer/) side
//! by side on one machine over loopback, alternating between them, and writes the
//! figures as JSON and as a Markdown table. See BENCHMARKS.md.
//!
//! Each round starts each server afresh (Samråd with its demo on a new data folder,
//! the peer on a new SQLite file) and measures, in order:
//! - durable comments per second through HTTP at each number of concurrent posters,
//!   then that every acknowledged comment is stored exactly once;
//! - a burst of N comments from 64 posters, all acknowledged, all stored once;
//! - for each number of subscribers: server memory per idle subscribed websocket, and
//!   the time from a post's acknowledgement to the last subscriber having the event.
//!
//! The server's CPU time and memory come from /proc/PID; the load generator's own CPU
//! time is recorded beside it, so a saturated load generator shows.

mod client;
mod emails;
mod fanout;
mod pages;
mod postgres;
mod servers;

use anyhow::{Context, Result, bail};
use clap::Parser;
use client::{Http, Progress};
use serde::Serialize;
use servers::{Kind, Options, Server, Target, cpu_seconds, rss_kib};
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug, Clone)]
#[command(
    name = "samrad-bench",
    about = "Samråd's benchmark, side by side with a Node.js peer"
)]
struct Args {
    /// The samrad binary to start (a release build for figures worth reporting).
    #[arg(long, default_value = "target/release/samrad")]
    samrad: PathBuf,
    /// The peer's folder (server.js with its node_modules installed).
    #[arg(long, default_value = "tests/bench/peer")]
    peer: PathBuf,
    /// Where the servers' data, the JSON and the Markdown table go.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Samråd on this database instead of SQLite in its data folder (an empty one).
    #[arg(long)]
    database_url: Option<String>,
    /// Leave the peer out.
    #[arg(long)]
    no_peer: bool,
    /// Rounds; each round measures every server once, alternating which goes first.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Concurrent posters of the throughput figure.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    posters: Vec<usize>,
    /// Seconds each throughput measurement posts for.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Comments in the burst (posted by 64 posters as fast as they are answered).
    #[arg(long, default_value_t = 5000)]
    burst: usize,
    /// Subscribers of the fan-out figure (each a websocket on the same room); capped
    /// by the open-file limits of this process and the server (the table says so).
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,50000")]
    subscribers: Vec<usize>,
    /// Comments posted to the subscribers (one poster).
    #[arg(long, default_value_t = 20)]
    fanout_comments: usize,
    /// Comments per second posted to the subscribers.
    #[arg(long, default_value_t = 5.0)]
    fanout_rate: f64,
    /// Source addresses 127.0.0.1 … 127.0.0.N the websockets come from.
    #[arg(long, default_value_t = 8)]
    source_addresses: u8,
    /// Emails queued at once for figure (6), emails per second (0: leave it out).
    #[arg(long, default_value_t = 2000)]
    emails: usize,
    /// Comments on one section for figure (7), the hearing page (0: leave it out).
    #[arg(long, default_value_t = 2000)]
    page_comments: usize,
    /// Views of the hearing page measured for figure (7).
    #[arg(long, default_value_t = 20)]
    page_requests: usize,
    /// Subscribers of the saturation figure (0 leaves it out).
    #[arg(long, default_value_t = 1000)]
    saturation_subscribers: usize,
    /// Posters posting as fast as they are answered in the saturation figure.
    #[arg(long, default_value_t = 16)]
    saturation_posters: usize,
    /// Seconds the saturation figure posts for.
    #[arg(long, default_value_t = 5.0)]
    saturation_seconds: f64,
    /// Also measure durable comments per second with Samråd on PostgreSQL: a server
    /// URL (`postgres://postgres@127.0.0.1:5432/postgres`); each round makes a fresh
    /// database beside the one it names and drops it afterwards (with `psql`).
    #[arg(long)]
    postgres_url: Option<String>,
}

#[derive(Serialize, Clone)]
struct Throughput {
    posters: usize,
    acknowledged: usize,
    failed: usize,
    seconds: f64,
    per_second: f64,
    post_p50_ms: f64,
    post_p99_ms: f64,
    stored_exactly_once: bool,
    missing: usize,
    duplicated: usize,
    first_failure: Option<String>,
    server_cpu_seconds: f64,
    load_generator_cpu_seconds: f64,
    server_rss_kib: u64,
}

#[derive(Serialize, Clone)]
struct Fanout {
    /// As asked, before the open-file limits capped it.
    asked: usize,
    /// What capped the subscribers, when something did.
    limited_by: Option<String>,
    subscribers: usize,
    subscribed: usize,
    comments: usize,
    rss_before_kib: u64,
    rss_connected_kib: u64,
    kib_per_connection: f64,
    /// Per comment: the last subscriber's receipt after the post's acknowledgement.
    last_p50_ms: f64,
    last_p99_ms: f64,
    last_max_ms: f64,
    /// Every delivery after the post's acknowledgement.
    all_p50_ms: f64,
    all_p99_ms: f64,
    post_p50_ms: f64,
    missing_deliveries: usize,
    closed_early: usize,
    server_cpu_seconds: f64,
    load_generator_cpu_seconds: f64,
}

#[derive(Serialize, Clone)]
struct Run {
    round: usize,
    server: Kind,
    throughput: Vec<Throughput>,
    burst: Throughput,
    fanout: Vec<Fanout>,
    saturation: Option<fanout::Saturation>,
    /// Samråd on PostgreSQL (empty for the peer, or without `--postgres-url`).
    postgres: Vec<Throughput>,
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((q * sorted.len() as f64) as usize).min(sorted.len() - 1);
    sorted[index]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn own_cpu() -> f64 {
    cpu_seconds(std::process::id())
}

/// Posts one comment; its id and the time it took.
async fn post(
    http: &mut Http,
    server: &Target,
    headers: &[(&str, &str)],
    text: &str,
) -> Result<String> {
    let body = serde_json::json!({
        "section_id": server.section,
        "author_name": "Måling",
        "body": text,
    })
    .to_string();
    let key = uuid::Uuid::new_v4().to_string();
    let mut with_key = headers.to_vec();
    with_key.push(("Idempotency-Key", &key));
    let (status, answer) = http
        .request("POST", &server.post_path, &with_key, body.as_bytes())
        .await?;
    if status != 201 {
        bail!("{status} {}", String::from_utf8_lossy(&answer));
    }
    let answer: serde_json::Value = serde_json::from_slice(&answer)?;
    answer["id"]
        .as_str()
        .map(str::to_owned)
        .context("an answer without id")
}

/// Posters post until `deadline` or until `budget` comments are taken; then every
/// acknowledged comment is looked for among the stored ones.
async fn throughput(
    server: &Server,
    posters: usize,
    seconds: Option<f64>,
    budget: Option<usize>,
    label: &str,
) -> Result<Throughput> {
    let headers = Arc::new(server.headers());
    let target = Arc::new(server.target());
    let taken = Arc::new(AtomicUsize::new(0));
    let cpu_server = cpu_seconds(server.pid);
    let cpu_own = own_cpu();
    let started = Instant::now();
    let deadline = seconds.map(|s| started + Duration::from_secs_f64(s));
    let mut tasks = Vec::new();
    for poster in 0..posters {
        let headers = headers.clone();
        let taken = taken.clone();
        let label = label.to_owned();
        let addr = server.addr;
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let mut acked = Vec::new();
            let mut times = Vec::new();
            let mut failed = 0usize;
            let mut first_failure = None;
            let mut http = Http::connect(addr).await?;
            for i in 0.. {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                if budget.is_some_and(|b| taken.fetch_add(1, Ordering::Relaxed) >= b) {
                    break;
                }
                let t0 = Instant::now();
                match post(
                    &mut http,
                    &target,
                    &headers,
                    &format!("{label} {poster}-{i}"),
                )
                .await
                {
                    Ok(id) => {
                        times.push(t0.elapsed().as_secs_f64() * 1000.0);
                        acked.push(id);
                    }
                    Err(e) => {
                        failed += 1;
                        first_failure.get_or_insert(e.to_string());
                        http = Http::connect(addr).await?;
                    }
                }
            }
            anyhow::Ok((acked, times, failed, first_failure))
        }));
    }
    let mut acked = Vec::new();
    let mut times = Vec::new();
    let mut failed = 0;
    let mut first_failure = None;
    for task in tasks {
        let (a, t, f, first) = task.await??;
        acked.extend(a);
        times.extend(t);
        failed += f;
        first_failure = first_failure.or(first);
    }
    if acked.is_empty() {
        bail!(
            "no post was acknowledged: {}",
            first_failure.unwrap_or_default()
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = cpu_seconds(server.pid) - cpu_server;
    let own = own_cpu() - cpu_own;
    let rss = rss_kib(server.pid);
    let mut stored: HashMap<String, usize> = HashMap::new();
    for id in server.stored_ids().await? {
        *stored.entry(id).or_default() += 1;
    }
    let missing = acked.iter().filter(|id| !stored.contains_key(*id)).count();
    let duplicated = acked
        .iter()
        .filter(|id| stored.get(*id).is_some_and(|n| *n > 1))
        .count();
    let times = sorted(times);
    Ok(Throughput {
        posters,
        acknowledged: acked.len(),
        failed,
        seconds: elapsed,
        per_second: acked.len() as f64 / elapsed,
        post_p50_ms: percentile(&times, 0.5),
        post_p99_ms: percentile(&times, 0.99),
        stored_exactly_once: missing == 0 && duplicated == 0 && failed == 0,
        missing,
        duplicated,
        first_failure,
        server_cpu_seconds: server_cpu,
        load_generator_cpu_seconds: own,
        server_rss_kib: rss,
    })
}

async fn fanout(server: &Server, args: &Args, asked: usize) -> Result<Fanout> {
    let (room, limit) = fanout::websocket_room(server.pid);
    let subscribers = asked.min(room);
    let limited_by = (subscribers < asked).then_some(limit);
    let epoch = Instant::now();
    let progress = Arc::new(Progress::default());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let gate = Arc::new(tokio::sync::Semaphore::new(256));
    let rss_before = rss_kib(server.pid);
    let mut tasks = Vec::with_capacity(subscribers);
    for i in 0..subscribers {
        let permit = gate.clone().acquire_owned().await?;
        let source = IpAddr::V4(Ipv4Addr::new(
            127,
            0,
            0,
            1 + (i % usize::from(args.source_addresses.max(1))) as u8,
        ));
        let progress2 = progress.clone();
        tasks.push(tokio::spawn(client::subscriber(
            server.addr,
            source,
            server.room.clone(),
            epoch,
            progress2,
            permit,
            stop_rx.clone(),
        )));
        if progress.failed.load(Ordering::Relaxed) > 0 {
            break;
        }
    }
    let wait = Instant::now();
    while progress.subscribed.load(Ordering::Relaxed) < subscribers
        && wait.elapsed() < Duration::from_secs(60)
        && !tasks.iter().any(|t| t.is_finished())
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let subscribed = progress.subscribed.load(Ordering::Relaxed);
    // Let the burst of presence messages and allocations settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = rss_kib(server.pid);

    let headers = server.headers();
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let target = server.target();
    let mut http = Http::connect(server.addr).await?;
    let mut acks: HashMap<String, u64> = HashMap::new();
    let mut post_times = Vec::new();
    let cpu_server = cpu_seconds(server.pid);
    let cpu_own = own_cpu();
    let started = Instant::now();
    for i in 0..args.fanout_comments {
        let due = started + Duration::from_secs_f64(i as f64 / args.fanout_rate);
        tokio::time::sleep_until(due.into()).await;
        let t0 = Instant::now();
        let id = post(&mut http, &target, &headers, &format!("fan-out {i}")).await?;
        post_times.push(t0.elapsed().as_secs_f64() * 1000.0);
        acks.insert(id, epoch.elapsed().as_micros() as u64);
    }
    let expected = subscribed * args.fanout_comments;
    let wait = Instant::now();
    while progress.deliveries.load(Ordering::Relaxed) < expected
        && wait.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let server_cpu = cpu_seconds(server.pid) - cpu_server;
    let own = own_cpu() - cpu_own;
    let _ = stop_tx.send(true);
    let mut last: HashMap<&str, u64> = HashMap::new();
    let mut all = Vec::new();
    let mut delivered = 0usize;
    let mut closed_early = 0;
    let mut results = Vec::new();
    for task in tasks {
        match task.await? {
            Ok(received) => {
                closed_early += usize::from(received.closed_early);
                results.push(received);
            }
            Err(_) => closed_early += 1,
        }
    }
    for received in &results {
        for (id, at) in &received.events {
            if let Some((id, ack)) = acks.get_key_value(id.as_str()) {
                delivered += 1;
                let after = *at as f64 / 1000.0 - *ack as f64 / 1000.0;
                all.push(after);
                let entry = last.entry(id.as_str()).or_insert(*at);
                *entry = (*entry).max(*at);
            }
        }
    }
    let last = sorted(
        last.iter()
            .map(|(id, at)| *at as f64 / 1000.0 - acks[*id] as f64 / 1000.0)
            .collect(),
    );
    let all = sorted(all);
    let post_times = sorted(post_times);
    Ok(Fanout {
        asked,
        limited_by,
        subscribers,
        subscribed,
        comments: args.fanout_comments,
        rss_before_kib: rss_before,
        rss_connected_kib: rss_connected,
        kib_per_connection: (rss_connected as f64 - rss_before as f64) / subscribed.max(1) as f64,
        last_p50_ms: percentile(&last, 0.5),
        last_p99_ms: percentile(&last, 0.99),
        last_max_ms: last.last().copied().unwrap_or(f64::NAN),
        all_p50_ms: percentile(&all, 0.5),
        all_p99_ms: percentile(&all, 0.99),
        post_p50_ms: percentile(&post_times, 0.5),
        missing_deliveries: (subscribers * args.fanout_comments).saturating_sub(delivered),
        closed_early,
        server_cpu_seconds: server_cpu,
        load_generator_cpu_seconds: own,
    })
}

async fn measure(args: &Args, kind: Kind, round: usize) -> Result<Run> {
    let options = Options {
        samrad: args.samrad.clone(),
        peer_dir: args.peer.clone(),
        database_url: args.database_url.clone(),
    };
    let dir = args
        .out
        .join(format!("round-{round}-{kind:?}").to_lowercase());
    let _ = std::fs::remove_dir_all(&dir);
    let server = Server::start(kind, &options, &dir).await?;
    let result = async {
        // Warm up: a few posts so lazily made state is not counted.
        throughput(&server, 1, None, Some(5), "warm-up").await?;
        let mut figures = Vec::new();
        for &posters in &args.posters {
            log(&format!(
                "{} round {round}: {posters} posters",
                kind.label()
            ));
            figures.push(
                throughput(
                    &server,
                    posters,
                    Some(args.seconds),
                    None,
                    &format!("durable {posters}"),
                )
                .await?,
            );
        }
        log(&format!(
            "{} round {round}: burst of {}",
            kind.label(),
            args.burst
        ));
        let burst = throughput(&server, 64, None, Some(args.burst), "burst").await?;
        let mut fan = Vec::new();
        for &n in &args.subscribers {
            log(&format!("{} round {round}: {n} subscribers", kind.label()));
            fan.push(fanout(&server, args, n).await?);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let saturation = if args.saturation_subscribers > 0 {
            log(&format!(
                "{} round {round}: saturation, {} subscribers",
                kind.label(),
                args.saturation_subscribers
            ));
            Some(
                fanout::saturation(
                    &server,
                    args.saturation_subscribers,
                    args.saturation_posters,
                    args.saturation_seconds,
                    args.source_addresses,
                )
                .await?,
            )
        } else {
            None
        };
        anyhow::Ok(Run {
            round,
            server: kind,
            throughput: figures,
            burst,
            fanout: fan,
            saturation,
            postgres: Vec::new(),
        })
    }
    .await;
    server.stop()?;
    result
}

fn log(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|v| !v.is_nan());
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// One row per figure: the medians over the rounds, and Samråd's figure over the peer's.
fn table(args: &Args, runs: &[Run], machine: &serde_json::Value, command: &str) -> String {
    let of = |kind: Kind, f: &dyn Fn(&Run) -> Option<f64>| {
        median(
            runs.iter()
                .filter(|r| r.server == kind)
                .filter_map(f)
                .collect(),
        )
    };
    let mut rows: Vec<(String, f64, f64, &str)> = Vec::new();
    for (i, posters) in args.posters.iter().enumerate() {
        let f = move |r: &Run| r.throughput.get(i).map(|t| t.per_second);
        rows.push((
            format!("durable comments/s, {posters} posters (higher is better)"),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
        let f = move |r: &Run| r.throughput.get(i).map(|t| t.post_p50_ms);
        rows.push((
            format!("POST p50 ms, {posters} posters"),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
        let f = move |r: &Run| {
            r.throughput
                .get(i)
                .map(|t| 1e6 * t.server_cpu_seconds / t.acknowledged.max(1) as f64)
        };
        rows.push((
            format!("server CPU µs per comment, {posters} posters"),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
    }
    let f = |r: &Run| Some(r.burst.seconds);
    rows.push((
        format!("burst of {} comments from 64 posters, s", args.burst),
        of(Kind::Samrad, &f),
        of(Kind::Peer, &f),
        "",
    ));
    for (i, n) in args.subscribers.iter().enumerate() {
        let f = move |r: &Run| r.fanout.get(i).map(|x| x.kib_per_connection);
        rows.push((
            format!("server KiB per idle subscribed websocket, {n}"),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
        for (name, pick) in [
            ("p50", (|x: &Fanout| x.last_p50_ms) as fn(&Fanout) -> f64),
            ("p99", |x: &Fanout| x.last_p99_ms),
            ("max", |x: &Fanout| x.last_max_ms),
        ] {
            let f = move |r: &Run| r.fanout.get(i).map(pick);
            rows.push((
                format!("ack → last of {n} subscribers, {name} ms"),
                of(Kind::Samrad, &f),
                of(Kind::Peer, &f),
                "",
            ));
        }
        let f = move |r: &Run| {
            r.fanout.get(i).map(|x| {
                1e6 * x.server_cpu_seconds / (x.subscribed.max(1) * x.comments.max(1)) as f64
            })
        };
        rows.push((
            format!("server CPU µs per delivery, {n} subscribers"),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
    }
    if args.saturation_subscribers > 0 {
        let n = args.saturation_subscribers;
        let f = |r: &Run| r.saturation.as_ref().map(|s| s.frames_per_second);
        rows.push((
            format!(
                "frames delivered/s at saturation, {n} subscribers, {} posters (higher is better)",
                args.saturation_posters
            ),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
        let f = |r: &Run| {
            r.saturation
                .as_ref()
                .map(|s| 1e6 * s.server_cpu_seconds / s.deliveries.max(1) as f64)
        };
        rows.push((
            "server CPU µs per delivery at saturation".into(),
            of(Kind::Samrad, &f),
            of(Kind::Peer, &f),
            "",
        ));
    }
    if args.postgres_url.is_some() {
        for (i, posters) in args.posters.iter().enumerate() {
            let f = move |r: &Run| r.postgres.get(i).map(|t| t.per_second);
            rows.push((
                format!("durable comments/s on PostgreSQL, {posters} posters (higher is better)"),
                of(Kind::Samrad, &f),
                f64::NAN,
                "",
            ));
            let f = move |r: &Run| r.postgres.get(i).map(|t| t.post_p50_ms);
            rows.push((
                format!("POST p50 ms on PostgreSQL, {posters} posters"),
                of(Kind::Samrad, &f),
                f64::NAN,
                "",
            ));
        }
    }
    let checks_ok = runs.iter().all(|r| {
        r.throughput.iter().all(|t| t.stored_exactly_once)
            && r.postgres.iter().all(|t| t.stored_exactly_once)
            && r.saturation
                .as_ref()
                .is_none_or(|s| s.missing_deliveries == 0)
            && r.burst.stored_exactly_once
            && r.fanout
                .iter()
                .all(|f| f.missing_deliveries == 0 && f.subscribed == f.subscribers)
    });
    let generator = median(
        runs.iter()
            .flat_map(|r| r.throughput.iter())
            .map(|t| t.load_generator_cpu_seconds / t.seconds)
            .collect(),
    );
    let mut out = String::new();
    out.push_str(&format!(
        "Machine: {} cores, {}, {} KiB memory, Linux {} (load average at start {}). \
         Medians of {} rounds.\n\nCommand: `{command}`\n\n",
        machine["cores"],
        machine["cpu"].as_str().unwrap_or("?"),
        machine["memory_kib"].as_str().unwrap_or("?"),
        machine["kernel"].as_str().unwrap_or("?"),
        machine["loadavg_at_start"].as_str().unwrap_or("?"),
        args.rounds,
    ));
    out.push_str("| figure | Samråd | ws peer | Samråd / peer |\n|---|---:|---:|---:|\n");
    for (name, samrad, peer, _) in rows {
        out.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            number(samrad),
            number(peer),
            if peer.is_nan() || peer == 0.0 {
                "—".into()
            } else {
                format!("{:.2}", samrad / peer)
            }
        ));
    }
    out.push_str(&format!(
        "\nEvery acknowledged comment stored exactly once and every event delivered in every run: **{}**. \
         Load generator CPU while posting (median, cores): {:.2}.\n",
        if checks_ok { "yes" } else { "NO (see the JSON)" },
        generator
    ));
    // Subscriber counts the machine's limits did not allow.
    let mut limited: Vec<String> = runs
        .iter()
        .flat_map(|r| r.fanout.iter().map(move |f| (r.server, f)))
        .filter_map(|(kind, f)| {
            f.limited_by.as_ref().map(|by| {
                format!(
                    "{}: {} subscribers asked, {} connected, stopped by {by}",
                    kind.label(),
                    f.asked,
                    f.subscribers
                )
            })
        })
        .collect();
    limited.dedup();
    for line in limited {
        out.push_str(&format!("\n{line}.\n"));
    }
    out
}

/// Figures (6) and (7), which the peer has nothing like: each round on a fresh Samråd.
async fn samrad_only(args: &Args) -> Result<(Vec<emails::Emails>, Vec<pages::Page>)> {
    let options = Options {
        samrad: args.samrad.clone(),
        peer_dir: args.peer.clone(),
        database_url: args.database_url.clone(),
    };
    let (mut email_runs, mut page_runs) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        if args.emails > 0 {
            log(&format!("Samråd round {round}: {} emails", args.emails));
            let dir = args.out.join(format!("round-{round}-emails"));
            let _ = std::fs::remove_dir_all(&dir);
            email_runs.push(
                emails::measure(&options, &dir, round, args.emails)
                    .await
                    .with_context(|| format!("emails in round {round}"))?,
            );
        }
        if args.page_comments > 0 {
            log(&format!(
                "Samråd round {round}: hearing page with {} comments",
                args.page_comments
            ));
            let dir = args.out.join(format!("round-{round}-page"));
            let _ = std::fs::remove_dir_all(&dir);
            page_runs.push(
                pages::measure(
                    &options,
                    &dir,
                    round,
                    args.page_comments,
                    args.page_requests,
                )
                .await
                .with_context(|| format!("the hearing page in round {round}"))?,
            );
        }
    }
    Ok((email_runs, page_runs))
}

fn samrad_only_table(email_runs: &[emails::Emails], page_runs: &[pages::Page]) -> String {
    let rows: Vec<(String, f64)> = emails::rows(email_runs)
        .into_iter()
        .chain(pages::rows(page_runs))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n| figure (Samråd only) | Samråd |\n|---|---:|\n");
    for (name, value) in rows {
        out.push_str(&format!("| {name} | {} |\n", number(value)));
    }
    out
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    std::fs::create_dir_all(&args.out)?;
    let machine = servers::machine();
    let mut kinds = vec![Kind::Samrad];
    if !args.no_peer {
        kinds.push(Kind::Peer);
    }
    let mut runs = Vec::new();
    for round in 0..args.rounds {
        let mut order = kinds.clone();
        if round % 2 == 1 {
            order.reverse();
        }
        for kind in order {
            let mut run = measure(&args, kind, round)
                .await
                .with_context(|| format!("{} in round {round}", kind.label()))?;
            if let (Kind::Samrad, Some(url)) = (kind, &args.postgres_url) {
                run.postgres = postgres::durable(&args, url, round)
                    .await
                    .with_context(|| format!("Samråd on PostgreSQL in round {round}"))?;
            }
            runs.push(run);
        }
    }
    let (email_runs, page_runs) = samrad_only(&args).await?;
    let mut table = table(&args, &runs, &machine, &command);
    table.push_str(&samrad_only_table(&email_runs, &page_runs));
    let json = serde_json::json!({
        "machine": machine,
        "command": command,
        "runs": runs,
        "emails": email_runs,
        "pages": page_runs,
    });
    std::fs::write(
        args.out.join("bench.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    std::fs::write(args.out.join("bench.md"), &table)?;
    std::io::stdout().write_all(table.as_bytes())?;
    let failed = runs.iter().any(|r| {
        !r.throughput.iter().all(|t| t.stored_exactly_once)
            || !r.postgres.iter().all(|t| t.stored_exactly_once)
            || !r.burst.stored_exactly_once
    });
    if failed {
        bail!("an acknowledged comment was missing or stored twice (see the JSON)");
    }
    Ok(())
}
