//! Figure (7): the public hearing page of a section with many comments.
//!
//! A fresh Samråd gets N comments on one section of its open public hearing
//! (posted through the API by 64 posters); then a reader who is not signed in asks
//! for the hearing page again and again on one keep-alive connection. Measured: the
//! time to the whole answer (p50, p99) and its size.

use crate::client::Http;
use crate::servers::{Kind, Options, Server, cpu_seconds};
use anyhow::{Result, bail};
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

#[derive(Serialize, Clone)]
pub struct Page {
    pub round: usize,
    pub comments: usize,
    pub requests: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub bytes: usize,
    pub server_cpu_ms_per_page: f64,
}

/// Measures figure (7) once on a fresh Samråd.
pub async fn measure(
    options: &Options,
    dir: &Path,
    round: usize,
    comments: usize,
    requests: usize,
) -> Result<Page> {
    let server = Server::start(Kind::Samrad, options, dir).await?;
    let result = async {
        let posted = crate::throughput(&server, 64, None, Some(comments), "page").await?;
        if posted.acknowledged != comments {
            bail!(
                "{} of {comments} comments acknowledged: {:?}",
                posted.acknowledged,
                posted.first_failure
            );
        }
        let path = server
            .post_path
            .strip_prefix("/api/v1")
            .and_then(|p| p.strip_suffix("/comments"))
            .unwrap_or(&server.post_path)
            .to_owned();
        let mut http = Http::connect(server.addr).await?;
        // The first view fills what is cached per document version.
        let (status, body) = http.request("GET", &path, &[], b"").await?;
        if status != 200 {
            bail!("GET {path}: {status}");
        }
        let mut bytes = body.len();
        let mut times = Vec::with_capacity(requests);
        let cpu = cpu_seconds(server.pid);
        for _ in 0..requests {
            let t0 = Instant::now();
            let (status, body) = http.request("GET", &path, &[], b"").await?;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            if status != 200 {
                bail!("GET {path}: {status}");
            }
            bytes = body.len();
        }
        let server_cpu = cpu_seconds(server.pid) - cpu;
        let times = crate::sorted(times);
        Ok(Page {
            round,
            comments,
            requests,
            p50_ms: crate::percentile(&times, 0.5),
            p99_ms: crate::percentile(&times, 0.99),
            bytes,
            server_cpu_ms_per_page: 1000.0 * server_cpu / requests.max(1) as f64,
        })
    }
    .await;
    server.stop()?;
    result
}

/// The rows of the Markdown table: medians over the rounds.
pub fn rows(runs: &[Page]) -> Vec<(String, f64)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let of = |f: &dyn Fn(&Page) -> f64| crate::median(runs.iter().map(f).collect());
    let n = first.comments;
    vec![
        (
            format!("hearing page, section with {n} comments, p50 ms"),
            of(&|p| p.p50_ms),
        ),
        (
            format!("hearing page, section with {n} comments, p99 ms"),
            of(&|p| p.p99_ms),
        ),
        (
            format!("hearing page, section with {n} comments, KiB"),
            of(&|p| p.bytes as f64 / 1024.0),
        ),
        (
            format!("server CPU ms per hearing page, {n} comments"),
            of(&|p| p.server_cpu_ms_per_page),
        ),
    ]
}
