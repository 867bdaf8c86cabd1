//! Counting windows per key (a client address, an email address) for the limits that
//! are not a whole route's: comments from people without an account, and the like.
//!
//! Each key has a window of fixed length that starts with its first hit; the map is
//! trimmed of finished windows whenever it grows past [`TRIM_AT`], so an attacker who
//! changes address at every request cannot make it grow without end.

use crate::auth::sign_in::{SIGN_IN_BURST, SIGN_IN_LIMITED, SIGN_IN_REFILL_SECS};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept before the finished windows are swept out.
const TRIM_AT: usize = 10_000;

pub(crate) struct Limiter {
    max: u32,
    period: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// At most `max` hits per key in `period`.
    pub(crate) fn new(max: u32, period: Duration) -> Limiter {
        Limiter {
            max: max.max(1),
            period,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The whole seconds `key` must wait before its next hit, if it must.
    pub(crate) fn wait(&self, key: &str) -> Option<u64> {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let (start, count) = windows.get(key)?;
        let elapsed = now.saturating_duration_since(*start);
        (elapsed < self.period && *count >= self.max).then(|| seconds(self.period - elapsed))
    }

    /// Counts one hit for `key`; `Err` holds the seconds to wait when it is over its limit.
    pub(crate) fn hit(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= TRIM_AT && !windows.contains_key(key) {
            windows.retain(|_, (start, _)| now.saturating_duration_since(*start) < self.period);
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        let elapsed = now.saturating_duration_since(entry.0);
        if elapsed >= self.period {
            *entry = (now, 0);
        } else if entry.1 >= self.max {
            return Err(seconds(self.period - elapsed));
        }
        entry.1 += 1;
        Ok(())
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.windows.lock().map(|w| w.len()).unwrap_or_default()
    }
}

/// Rounded up, and at least one: "Retry-After: 0" would invite an immediate retry.
fn seconds(left: Duration) -> u64 {
    let whole = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    whole.max(1)
}

/// Hits every `(limiter, key)` pair if none of them is over its limit; otherwise
/// hits none and gives the longest wait.
pub(crate) fn hit_all(limits: &[(&Limiter, &str)]) -> Result<(), u64> {
    if let Some(wait) = limits.iter().filter_map(|(l, k)| l.wait(k)).max() {
        return Err(wait);
    }
    for (limiter, key) in limits {
        limiter.hit(key)?;
    }
    Ok(())
}

/// The sign-in routes' per-address limit, counted in the database when several
/// processes may share it (PostgreSQL): the same bucket the process's own limiter
/// keeps, but filled by requests to every process. With one process (SQLite) the
/// process's limiter alone decides. A database that does not answer lets the
/// request through to the process's own limiter.
pub(crate) async fn shared_sign_in(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limited = request.method() == http::Method::POST
        && SIGN_IN_LIMITED.contains(&request.uri().path())
        && state.db().backend() == db::Backend::Postgres;
    if !limited {
        return next.run(request).await;
    }
    let address = request
        .extensions()
        .get::<crate::security::client::Client>()
        .and_then(|c| c.address)
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        });
    let Some(address) = address else {
        return next.run(request).await;
    };
    let taken = state
        .db()
        .take_rate_token(
            &format!("sign-in-by-address:{address}"),
            SIGN_IN_REFILL_SECS as f64,
            SIGN_IN_BURST,
        )
        .await;
    match taken {
        Ok(Ok(())) => next.run(request).await,
        Ok(Err(wait)) => (
            http::StatusCode::TOO_MANY_REQUESTS,
            [(http::header::RETRY_AFTER, wait.to_string())],
            format!("Too Many Requests! Wait for {wait}s"),
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "shared rate limit unavailable; counting in this process");
            next.run(request).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_limit_waits_for_the_rest_of_its_window() {
        let limiter = Limiter::new(2, Duration::from_secs(600));
        assert_eq!(limiter.hit("a"), Ok(()));
        assert_eq!(limiter.hit("a"), Ok(()));
        let wait = limiter.hit("a").expect_err("third hit refused");
        assert!((1..=600).contains(&wait), "{wait}");
        assert!(limiter.wait("a").is_some());
        assert_eq!(limiter.hit("b"), Ok(()), "other keys are not affected");
    }

    #[test]
    fn hit_all_counts_nothing_when_one_key_is_over() {
        let by_address = Limiter::new(5, Duration::from_secs(600));
        let by_email = Limiter::new(1, Duration::from_secs(600));
        assert_eq!(
            hit_all(&[(&by_address, "ip"), (&by_email, "x@y.no")]),
            Ok(())
        );
        assert!(hit_all(&[(&by_address, "ip"), (&by_email, "x@y.no")]).is_err());
        // The refused attempt did not use up the address's allowance.
        for _ in 0..4 {
            assert_eq!(hit_all(&[(&by_address, "ip")]), Ok(()));
        }
        assert!(hit_all(&[(&by_address, "ip")]).is_err());
    }

    #[test]
    fn finished_windows_are_swept_out() {
        let limiter = Limiter::new(1, Duration::ZERO);
        for n in 0..(TRIM_AT + 10) {
            limiter
                .hit(&n.to_string())
                .expect("a window of no length never fills");
        }
        assert!(limiter.keys() <= 11, "kept {}", limiter.keys());
    }
}
