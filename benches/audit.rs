//! How fast the audit log is: verify throughput on one core, and append latency with its
//! fsyncs and checkpoint.
//!
//!     cargo bench --bench audit
//!
//! Verify reads, parses, hash-chains, Merkle-hashes and signature-checks every entry of a
//! 100,000-entry log (target: at least 50,000 entries/s on one core). Append latency is the
//! wall time of `AuditLog::append` as a command sees it: lock, tail read, write, one
//! `fdatasync`, checkpoint written by temporary file + fsync + rename + directory fsync.

use std::time::{Duration, Instant};

use jit::audit::{
    Action, Actor, AuditLog, ClusterRef, Ed25519Signer, Event, KeyRole, ObjectRef, Verdict, verify,
};

const ENTRIES: usize = 100_000;

fn event(i: usize) -> Event {
    let mut event = Event::new(
        jiff::Timestamp::from_second(1_795_000_000 + i as i64).unwrap(),
        Action::Grant,
        "allowed",
    );
    event.actor = Some(Actor {
        username: "alice@example.com".into(),
        groups: vec!["devs".into(), "system:authenticated".into()],
    });
    event.cluster = Some(ClusterRef {
        context: Some("prod-eu-1".into()),
        server: "https://prod-eu-1.example.com:6443".into(),
    });
    event.objects = vec![ObjectRef {
        namespace: "team-a".into(),
        name: format!("jit-{i:08x}"),
        uid: Some("6f1c2a7e-1f0b-4c3e-9a7d-2b8e5f4c1d0a".into()),
    }];
    event.ttl = Some("30m".into());
    event.expires = Some("2026-11-27T16:42:41Z".into());
    event.reason = Some("INC-1234: check replication lag".into());
    event
}

fn main() {
    let signer =
        Ed25519Signer::from_seed("jit-person-alice@laptop".into(), KeyRole::Person, [7; 32]);
    let trusted = [signer.public()];

    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path(), "jit.dev/audit/bench").unwrap();
    let events: Vec<Event> = (0..ENTRIES).map(event).collect();
    let started = Instant::now();
    for chunk in events.chunks(1000) {
        log.append(chunk, Some(&signer)).unwrap();
    }
    let build = started.elapsed();
    let bytes = std::fs::metadata(log.log_path()).unwrap().len();
    println!(
        "built {ENTRIES} signed entries ({:.1} MB, {:.0} bytes/entry) in {:.2?}: {:.0} entries/s appended in batches of 1000",
        bytes as f64 / 1e6,
        bytes as f64 / ENTRIES as f64,
        build,
        ENTRIES as f64 / build.as_secs_f64()
    );

    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let report = verify(dir.path(), &trusted, None).unwrap();
        runs.push(started.elapsed());
        assert_eq!(report.verdict, Verdict::Valid, "{:?}", report.findings);
        assert_eq!(report.signed, ENTRIES as u64);
    }
    runs.sort();
    println!(
        "verify {ENTRIES} entries, one thread: best {:.2?} ({:.0} entries/s), median {:.2?} ({:.0} entries/s)",
        runs[0],
        ENTRIES as f64 / runs[0].as_secs_f64(),
        runs[1],
        ENTRIES as f64 / runs[1].as_secs_f64()
    );

    // The same without keys: everything but the signature checks (format, chain, Merkle).
    let started = Instant::now();
    let report = verify(dir.path(), &[], None).unwrap();
    let unkeyed = started.elapsed();
    assert_eq!(report.entries, ENTRIES as u64);
    println!(
        "  of which parsing, hash chain and Merkle tree (verify without keys): {:.2?} ({:.0} entries/s)",
        unkeyed,
        ENTRIES as f64 / unkeyed.as_secs_f64()
    );

    // Appends to a log that already holds 100,000 entries: the tail read and the cached
    // Merkle frontier keep them independent of the log's size.
    latency("append 1 entry (signed)", 200, || {
        log.append(&events[..1], Some(&signer)).unwrap();
    });
    latency("append 1 entry (unsigned)", 200, || {
        log.append(&events[..1], None).unwrap();
    });
    for batch in [10, 100] {
        let took = latency(&format!("append a batch of {batch} (signed)"), 50, || {
            log.append(&events[..batch], Some(&signer)).unwrap();
        });
        println!("    = {:.2?} per entry at the median", took / batch as u32);
    }
}

/// Runs `f` `runs` times and prints the median and the 95th percentile; returns the median.
fn latency(what: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    println!(
        "{what}: median {:.2?}, p95 {:.2?}, min {:.2?} ({runs} runs)",
        median,
        times[runs * 95 / 100],
        times[0]
    );
    median
}
