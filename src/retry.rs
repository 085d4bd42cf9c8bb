//! Bounded retries for transient API failures.
//!
//! kube's built-in retry waits up to 1000 s between up to 15 attempts: far too long for a
//! revoke during an incident or a cron reaper that must finish before its next run. jit
//! turns it off and retries here instead: 429 and 5xx answers, and failures to reach the
//! server at all, at most [`ATTEMPTS`] times, with jittered exponential backoff, honouring
//! the server's retry-after hint up to [`MAX_WAIT`]. Every operation retried this way is
//! idempotent (reads, reviews, server-side apply, deletes with preconditions).

use std::future::Future;
use std::time::Duration;

use rand::Rng;

/// Attempts per operation, the first included.
pub const ATTEMPTS: u32 = 5;
/// The longest single wait, whatever the server asks for.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
const FIRST_WAIT: Duration = Duration::from_millis(200);

/// What a failed attempt means for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Final: retrying cannot help (4xx other than 429, a bad response, …).
    GiveUp,
    /// Transient; the server may have said how long to wait.
    Retry { after: Option<Duration> },
}

/// Runs `attempt` until it succeeds, fails for good, or runs out of attempts.
pub async fn retry<T, E, F, Fut>(mut attempt: F, classify: impl Fn(&E) -> Verdict) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut n = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) => match classify(&err) {
                Verdict::Retry { after } if n < ATTEMPTS => {
                    tokio::time::sleep(wait(n, after)).await;
                    n += 1;
                }
                _ => return Err(err),
            },
        }
    }
}

/// The wait before attempt `n + 1`: the server's hint if it gave one, else 200 ms doubling
/// with ±50 % jitter (so a fleet of reapers does not retry in lockstep); never over MAX_WAIT.
pub fn wait(n: u32, server_hint: Option<Duration>) -> Duration {
    let wait = server_hint.unwrap_or_else(|| {
        let base = FIRST_WAIT.saturating_mul(1 << (n - 1).min(10));
        base.mul_f64(rand::rng().random_range(0.5..1.5))
    });
    wait.min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test(start_paused = true)]
    async fn retries_transient_failures_then_succeeds() {
        let calls = Cell::new(0);
        let result: Result<u32, &str> = retry(
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move { if n < 3 { Err("busy") } else { Ok(n) } }
            },
            |_| Verdict::Retry { after: None },
        )
        .await;
        assert_eq!(result, Ok(3));
        assert_eq!(calls.get(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_once_on_final_errors_and_after_the_last_attempt() {
        let calls = Cell::new(0);
        let result: Result<(), &str> = retry(
            || {
                calls.set(calls.get() + 1);
                async { Err("forbidden") }
            },
            |_| Verdict::GiveUp,
        )
        .await;
        assert_eq!(result, Err("forbidden"));
        assert_eq!(calls.get(), 1);

        calls.set(0);
        let started = tokio::time::Instant::now();
        let result: Result<(), &str> = retry(
            || {
                calls.set(calls.get() + 1);
                async { Err("busy") }
            },
            |_| Verdict::Retry {
                after: Some(Duration::from_secs(1)),
            },
        )
        .await;
        assert_eq!(result, Err("busy"));
        assert_eq!(calls.get(), ATTEMPTS);
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(u64::from(ATTEMPTS - 1))
        );
    }

    #[test]
    fn waits_grow_and_stay_bounded() {
        assert!(wait(1, None) <= Duration::from_millis(300));
        assert!(wait(3, None) >= Duration::from_millis(400));
        assert_eq!(wait(30, None), MAX_WAIT);
        assert_eq!(wait(1, Some(Duration::from_secs(3600))), MAX_WAIT);
        assert_eq!(
            wait(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
    }
}
