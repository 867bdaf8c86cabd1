//! Durable comments per second with Samråd on PostgreSQL: each round a fresh
//! database next to the one `--postgres-url` names (made and dropped with `psql`),
//! a Samråd started on it, and the same posters as on SQLite. The peer has no
//! PostgreSQL figure.

use crate::servers::{Kind, Options, Server};
use crate::{Args, Throughput, throughput};
use anyhow::{Context, Result, bail};
use std::process::Command;

/// `url` with its database replaced by `name` (query parameters kept).
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let rest = base
        .strip_prefix("postgres://")
        .or_else(|| base.strip_prefix("postgresql://"))
        .context("--postgres-url must be a postgres:// URL")?;
    let server = rest.split_once('/').map_or(rest, |(server, _)| server);
    let mut out = format!("postgres://{server}/{name}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

fn psql(url: &str, statement: &str) -> Result<()> {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", statement])
        .output()
        .context("running psql (is the PostgreSQL client installed?)")?;
    if !out.status.success() {
        bail!(
            "psql {statement:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// One round's durable-comments figures on a fresh PostgreSQL database.
pub async fn durable(args: &Args, admin_url: &str, round: usize) -> Result<Vec<Throughput>> {
    let name = format!("samrad_bench_{}_{round}", std::process::id());
    let url = with_database(admin_url, &name)?;
    psql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"))?;
    psql(admin_url, &format!("CREATE DATABASE {name}"))?;
    let options = Options {
        samrad: args.samrad.clone(),
        peer_dir: args.peer.clone(),
        database_url: Some(url),
    };
    let dir = args.out.join(format!("round-{round}-samrad-postgres"));
    let _ = std::fs::remove_dir_all(&dir);
    let result = async {
        let server = Server::start(Kind::Samrad, &options, &dir).await?;
        let result = async {
            throughput(&server, 1, None, Some(5), "warm-up").await?;
            let mut figures = Vec::new();
            for &posters in &args.posters {
                crate::log(&format!(
                    "Samråd on PostgreSQL round {round}: {posters} posters"
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
            anyhow::Ok(figures)
        }
        .await;
        server.stop()?;
        result
    }
    .await;
    let dropped = psql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
    let figures = result?;
    dropped?;
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_only_the_database_of_the_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b").unwrap(),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "b").unwrap(),
            "postgres://u:p@h/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "b").unwrap(),
            "postgres://h:5432/b"
        );
    }
}
