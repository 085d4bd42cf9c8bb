//! Malformed `jit grant` invocations: each exits 2 with a message naming the flag to fix,
//! and the API server sees no write. Run against a live fake server so that "no write" is
//! a real observation, and so that checks needing the cluster (an unknown namespace or
//! Service) are covered too.

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, words};

/// A valid grant; each case below changes one thing.
const GOOD: &str =
    "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1";

/// (what is wrong, the invocation, a flag or phrase stderr must contain)
const CASES: &[(&str, &str, &str)] = &[
    (
        "malformed selector",
        "grant -n team-a --to app=== --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "empty target selector",
        "grant -n team-a --to '' --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "unclosed set",
        "grant -n team-a --to 'env in (a' --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "bare bang",
        "grant -n team-a --to '!' --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "space in key",
        "grant -n team-a --to 'bad key=x' --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "port 0",
        "grant -n team-a --to app=db --from app=debug --port 0 --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "port 70000",
        "grant -n team-a --to app=db --from app=debug --port 70000 --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "unknown protocol",
        "grant -n team-a --to app=db --from app=debug --port 5432/XYZ --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "backwards range",
        "grant -n team-a --to app=db --from app=debug --port 9000-8000 --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "uppercase port name",
        "grant -n team-a --to app=db --from app=debug --port HTTP --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "empty port",
        "grant -n team-a --to app=db --from app=debug --port '' --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "no ports",
        "grant -n team-a --to app=db --from app=debug --ttl 30m --reason INC-1",
        "--port",
    ),
    (
        "ports and all ports",
        "grant -n team-a --to app=db --from app=debug --port 80 --all-ports --ttl 30m --reason INC-1",
        "--all-ports",
    ),
    (
        "prefix over 32",
        "grant -n team-a --to app=db --from-cidr 10.0.0.0/33 --port 5432 --ttl 30m --reason INC-1",
        "--from-cidr",
    ),
    (
        "host bits set",
        "grant -n team-a --to app=db --from-cidr 10.0.0.5/8 --port 5432 --ttl 30m --reason INC-1",
        "--from-cidr",
    ),
    (
        "second cidr without except=",
        "grant -n team-a --to app=db --from-cidr 10.0.0.0/8,10.1.0.0/16 --port 5432 --ttl 30m --reason INC-1",
        "--from-cidr",
    ),
    (
        "except outside the block",
        "grant -n team-a --to app=db --from-cidr 10.0.0.0/8,except=11.0.0.0/16 --port 5432 --ttl 30m --reason INC-1",
        "--from-cidr",
    ),
    (
        "IPv6 prefix over 128",
        "grant -n team-a --to app=db --from-cidr fd00::/129 --port 5432 --ttl 30m --reason INC-1",
        "--from-cidr",
    ),
    (
        "zero ttl",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 0s --reason INC-1",
        "--ttl",
    ),
    (
        "negative ttl",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl -5m --reason INC-1",
        "--ttl",
    ),
    (
        "ttl over the maximum",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 9h --reason INC-1",
        "maximum of 8h",
    ),
    (
        "ttl not a duration",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl soon --reason INC-1",
        "--ttl",
    ),
    (
        "sub-second ttl",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 500ms --reason INC-1",
        "--ttl",
    ),
    (
        "no ttl",
        "grant -n team-a --to app=db --from app=debug --port 5432 --reason INC-1",
        "--ttl",
    ),
    (
        "unknown namespace",
        "grant -n no-such-ns --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "-n/--namespace",
    ),
    (
        "invalid namespace name",
        "grant -n Team_A --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "-n/--namespace",
    ),
    (
        "two targets",
        "grant -n team-a --to app=db --to-service db --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "no target",
        "grant -n team-a --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--to",
    ),
    (
        "no source",
        "grant -n team-a --to app=db --port 5432 --ttl 30m --reason INC-1",
        "--from",
    ),
    (
        "empty source selector",
        "grant -n team-a --to app=db --from '' --port 5432 --ttl 30m --reason INC-1",
        "--from",
    ),
    (
        "missing reason",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m",
        "--reason",
    ),
    (
        "blank reason",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason ' '",
        "--reason",
    ),
    (
        "nothing after the colon",
        "grant -n team-a --to app=db --from-namespace ops: --port 5432 --ttl 30m --reason INC-1",
        "--from-namespace",
    ),
    (
        "invalid source namespace",
        "grant -n team-a --to app=db --from-namespace OPS --port 5432 --ttl 30m --reason INC-1",
        "--from-namespace",
    ),
    (
        "unknown service",
        "grant -n team-a --to-service nope --from app=debug --ttl 30m --reason INC-1",
        "--to-service",
    ),
    (
        "invalid service name",
        "grant -n team-a --to-service Bad_Name --from app=debug --ttl 30m --reason INC-1",
        "--to-service",
    ),
    (
        "unknown context",
        "grant --context nope -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--context",
    ),
    (
        "missing kubeconfig",
        "grant --kubeconfig /no/such/file -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
        "--kubeconfig",
    ),
    (
        "unknown dry-run mode",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1 --dry-run=maybe",
        "--dry-run",
    ),
    (
        "unknown output format",
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1 -o xml",
        "--output",
    ),
    (
        "all ports unconfirmed off a terminal",
        "grant -n team-a --to app=db --from app=debug --all-ports --ttl 30m --reason INC-1",
        "--yes",
    ),
    (
        "whole internet unconfirmed off a terminal",
        "grant -n team-a --to app=db --from-cidr 0.0.0.0/0 --port 443 --ttl 30m --reason INC-1",
        "--yes",
    ),
];

#[test]
fn each_malformed_grant_names_its_flag_and_writes_nothing() {
    assert!(CASES.len() >= 30);
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));

    // The baseline is valid (a dry run, so it writes nothing either): the cases fail for
    // the one thing each of them changes.
    jit.run(
        &[words(GOOD), vec!["--dry-run=server".into()]]
            .concat()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .success();

    for (what, line, needle) in CASES {
        let args = words(line);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = jit.run(&args);
        assert_eq!(run.code, 2, "{what}: expected exit 2\n{}", run.stderr);
        assert!(
            run.stderr.contains(needle),
            "{what}: stderr should mention {needle:?}:\n{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{what}: printed {:?}", run.stdout);
    }
    let writes: Vec<_> = api.writes().into_iter().filter(|w| !w.dry_run).collect();
    assert!(writes.is_empty(), "the API server saw writes: {writes:#?}");
    assert!(api.grants("team-a").is_empty());
}

#[test]
fn a_config_pattern_is_enforced_before_the_cluster_is_asked() {
    let api = FakeApi::start(World::standard());
    let jit =
        Jit::against(&api, "alice", Some("team-a")).config("reason:\n  pattern: '^INC-[0-9]+'\n");
    let args = words(&GOOD.replace("INC-1", "'just looking'"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = jit.run(&args);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--reason") && run.stderr.contains("^INC-[0-9]+"),
        "{}",
        run.stderr
    );
    assert!(
        api.requests().is_empty(),
        "nothing was sent: {:#?}",
        api.requests()
    );
}

#[test]
fn a_broken_config_file_names_the_file_and_key() {
    let jit = Jit::new().config("max_ttl: forever\n");
    let run = jit.run(&["grant", "--dry-run"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("config.yaml") && run.stderr.contains("max_ttl"),
        "{}",
        run.stderr
    );
}
