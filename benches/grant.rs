//! How long a grant takes, and why: API round trips dominate, so this counts them and times
//! the real binary against the fake API server with injected per-request latency.
//!
//!     cargo bench --bench grant
//!
//! A grant sends 8 requests: a first wave of 7 independent reads issued concurrently
//! (SelfSubjectReview, 3 SelfSubjectAccessReviews, the namespace, its pods and its policies),
//! then the apply. With latency L per request, the wall time should stay near 2 L, not 8 L.

#[path = "../tests/fake_api/mod.rs"]
#[allow(dead_code)]
mod fake_api;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_api::{FakeApi, World};

const RUNS: usize = 7;

fn main() {
    println!(
        "{:>10}  {:>8}  {:>12}  {:>12}  {:>14}",
        "latency", "requests", "median wall", "min wall", "if sequential"
    );
    for latency_ms in [0u64, 25, 50, 100] {
        let api = FakeApi::start(World::standard());
        api.set_latency(Duration::from_millis(latency_ms));
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = api.kubeconfig(dir.path(), "alice", Some("team-a"));

        let mut walls = Vec::new();
        let mut requests = 0;
        for run in 0..RUNS {
            api.clear_requests();
            let port = (6000 + run).to_string();
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_jit"))
                .args([
                    "grant",
                    "--to",
                    "app=db",
                    "--from",
                    "app=debug",
                    "--port",
                    &port,
                ])
                .args(["--ttl", "30m", "--reason", "bench", "-o", "name"])
                .env_clear()
                .env("KUBECONFIG", &kubeconfig)
                .env("HOME", dir.path())
                .stdout(Stdio::null())
                .status()
                .unwrap();
            walls.push(started.elapsed());
            assert!(status.success(), "grant failed in the benchmark");
            requests = api.requests().len();
        }
        walls.sort();
        let sequential = Duration::from_millis(latency_ms * requests as u64);
        println!(
            "{:>8}ms  {:>8}  {:>10.1}ms  {:>10.1}ms  {:>12.1}ms",
            latency_ms,
            requests,
            walls[RUNS / 2].as_secs_f64() * 1000.0,
            walls[0].as_secs_f64() * 1000.0,
            sequential.as_secs_f64() * 1000.0,
        );
    }
}
