//! Session-bound grants: the grant lives as long as the session (or the command) and is
//! revoked when it ends, however it ends.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run};

const GRANT: [&str; 11] = [
    "grant",
    "--to",
    "app=db",
    "--from",
    "app=debug",
    "--port",
    "5432",
    "--reason",
    "INC-5",
    "--ttl",
    "10m",
];

fn args(extra: &[&'static str]) -> Vec<&'static str> {
    GRANT.iter().chain(extra).copied().collect()
}

/// Waits until the fake holds `n` grants in team-a (the session has started).
#[track_caller]
fn wait_for_grants(api: &FakeApi, n: usize) {
    let started = Instant::now();
    while api.grants("team-a").len() != n {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never saw {n} grants"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, name: &str) {
    // The shell's builtin kill: no procps needed on a fresh machine.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -s {name} {}", child.id())])
        .status()
        .expect("sh runs");
    assert!(status.success());
}

fn finish(child: Child) -> Run {
    Run::from(child.wait_with_output().expect("jit exits"))
}

#[test]
fn ctrl_c_revokes_the_grant() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let child = jit.spawn(&args(&["--session"]));
    wait_for_grants(&api, 1);
    signal(&child, "INT");
    let run = finish(child);
    run.expect_code(130);
    assert!(
        run.stderr.contains("revoked grant") && run.stderr.contains("interrupted"),
        "{}",
        run.stderr
    );
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn closing_the_terminal_revokes_the_grant() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let child = jit.spawn(&args(&["--session"]));
    wait_for_grants(&api, 1);
    signal(&child, "HUP");
    let run = finish(child);
    run.expect_code(129);
    assert!(run.stderr.contains("the terminal closed"), "{}", run.stderr);
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn the_end_of_the_ttl_revokes_the_grant() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let mut a = args(&["--session"]);
    a[10] = "2s";
    let started = Instant::now();
    let run = finish(jit.spawn(&a));
    run.success();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "held for the TTL"
    );
    assert!(run.stderr.contains("the TTL ended"), "{}", run.stderr);
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn a_command_runs_with_the_grant_and_its_exit_code_is_passed_on() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let run = finish(jit.spawn(&args(&[
        "--",
        "sh",
        "-c",
        "echo granted=$JIT_GRANT_ID; exit 7",
    ])));
    run.expect_code(7);
    let id = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("granted="))
        .expect("the command ran");
    assert_eq!(id.len(), 8, "{}", run.stdout);
    assert!(
        run.stderr
            .contains(&format!("revoked grant {id} (the command exited with 7)")),
        "{}",
        run.stderr
    );
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn the_grant_exists_while_the_command_runs() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let child = jit.spawn(&args(&["--", "sleep", "30"]));
    wait_for_grants(&api, 1);
    // Terminating jit ends the command too, and revokes.
    signal(&child, "TERM");
    let run = finish(child);
    run.expect_code(143);
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn a_session_extended_meanwhile_is_still_revoked_at_its_end() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let child = jit.spawn(&args(&["--session"]));
    wait_for_grants(&api, 1);
    let id = api.grants("team-a")[0]["metadata"]["labels"]["jit.dev/grant-id"]
        .as_str()
        .unwrap()
        .to_string();
    jit.run(&["extend", &id, "--ttl", "20m", "--reason", "more"])
        .success();
    signal(&child, "INT");
    finish(child).expect_code(130);
    assert!(api.grants("team-a").is_empty());
}
