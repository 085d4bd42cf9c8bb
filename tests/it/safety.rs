//! Grant safety end to end, against the fake API server: a grant opens exactly the requested
//! path or is refused with an explanation; `jit baseline` isolates a namespace first; an
//! egress side is created, listed, extended, revoked and reaped with its grant.

use serde_json::{Value, json};

use crate::fake_api::{FakeApi, Rule, World};
use crate::harness::Jit;
use crate::reap::{EXPIRES, GRANT_ID, label, run, server_now, set_expiry_fields};

const DB: &str =
    "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-7";
const FROM_OPS: &str = "grant -n team-a --to app=db --from-namespace ops:app=toolbox --port 5432 --ttl 30m --reason INC-8";

fn names(policies: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = policies
        .iter()
        .map(|np| np["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// team-a isolated for ingress, and ops isolated for egress: a source there needs an egress
/// side.
fn egress_isolated_ops() -> World {
    World::standard().policy(
        "ops",
        "default-deny-egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    )
}

/// carol may grant in team-a and read (not write) policies in ops.
fn with_carol(world: World) -> World {
    world.user(
        "carol",
        &[],
        vec![
            Rule::new(
                Some("team-a"),
                "networking.k8s.io",
                &["networkpolicies"],
                &["*"],
            ),
            Rule::new(
                Some("ops"),
                "networking.k8s.io",
                &["networkpolicies"],
                &["get", "list"],
            ),
            Rule::new(
                None,
                "",
                &["pods", "services", "namespaces"],
                &["get", "list"],
            ),
        ],
    )
}

#[test]
fn a_grant_into_a_namespace_nothing_isolates_is_refused_and_explained() {
    let api = FakeApi::start(World::fixtures());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, DB);
    out.expect_code(8);
    let err = &out.stderr;
    // Which pods would lose which traffic, and the two ways out.
    assert!(
        err.contains("no NetworkPolicy isolates pods team-a/cache, team-a/db for ingress"),
        "{err}"
    );
    assert!(
        err.contains("pod team-a/web -> team-a/db"),
        "a concrete pair that would be cut: {err}"
    );
    assert!(err.contains("`jit baseline -n team-a`"), "{err}");
    assert!(err.contains("--allow-isolation"), "{err}");
    assert!(api.writes().is_empty(), "{:#?}", api.writes());

    // Knowingly: the grant goes ahead.
    let out = run(&jit, &format!("{DB} --allow-isolation"));
    out.success();
    assert_eq!(api.grants("team-a").len(), 1);
}

#[test]
fn after_jit_baseline_the_same_grant_succeeds() {
    let api = FakeApi::start(World::fixtures());
    let jit = Jit::against(&api, "alice", Some("team-a"));

    // Shown first; never applied without a confirmation, and without a terminal that is --yes.
    let out = run(&jit, "baseline -n team-a");
    out.expect_code(2);
    assert!(out.stdout.contains("podSelector: {}"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "isolates 4 pod(s) that accept traffic from everywhere today: cache, db, debug, web"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert!(api.writes().is_empty());

    let out = run(&jit, "baseline -n team-a --dry-run");
    out.success();
    assert!(api.writes().is_empty());

    run(&jit, "baseline -n team-a --yes").success();
    let stored = api.networkpolicies("team-a");
    assert_eq!(names(&stored), ["jit-baseline-deny-ingress"]);
    let baseline = &stored[0];
    assert_eq!(baseline["spec"]["policyTypes"], json!(["Ingress"]));
    assert_eq!(baseline["spec"]["podSelector"], json!({}));
    assert_eq!(
        label(baseline, GRANT_ID),
        "",
        "a baseline is not a grant: never reaped"
    );

    // A second baseline changes nothing.
    let out = run(&jit, "baseline -n team-a --yes");
    out.success();
    assert!(
        out.stdout.contains("already has its baseline"),
        "{}",
        out.stdout
    );

    let out = run(&jit, DB);
    out.success();
    assert_eq!(api.grants("team-a").len(), 2, "the baseline and the grant");
    // The baseline is no grant: list and reap leave it alone.
    let out = run(&jit, "list");
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
}

#[test]
fn a_source_isolated_for_egress_gets_an_egress_side_listed_extended_and_revoked_with_it() {
    let api = FakeApi::start(egress_isolated_ops());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    let out = run(&jit, FROM_OPS);
    out.success();
    let ingress = api.grants("team-a");
    let egress = api.grants("ops");
    assert_eq!(ingress.len(), 1);
    assert_eq!(egress.len(), 1);
    let id = label(&ingress[0], GRANT_ID);
    let side = &egress[0];
    assert_eq!(side["metadata"]["name"], format!("jit-{id}-egress-1"));
    assert_eq!(label(side, GRANT_ID), id);
    assert_eq!(label(side, EXPIRES), label(&ingress[0], EXPIRES));
    assert_eq!(label(side, "jit.dev/side"), "egress");
    assert_eq!(side["spec"]["policyTypes"], json!(["Egress"]));
    assert_eq!(
        side["spec"]["podSelector"],
        json!({"matchLabels": {"app": "toolbox"}})
    );
    assert_eq!(
        side["spec"]["egress"],
        json!([{
            "to": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "team-a"}},
                "podSelector": {"matchLabels": {"app": "db"}},
            }],
            "ports": [{"port": 5432, "protocol": "TCP"}],
        }])
    );
    assert_eq!(
        ingress[0]["metadata"]["annotations"]["jit.dev/egress-namespaces"],
        "ops"
    );
    assert!(
        out.stdout
            .contains(&format!("egress   networkpolicy ops/jit-{id}-egress-1")),
        "{}",
        out.stdout
    );

    // One grant, one row.
    let out = run(&jit, "list -A");
    out.success();
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", out.stdout);
    assert!(rows[0].contains("(+egress in ops)"), "{}", out.stdout);

    // Extending the grant extends both halves.
    run(&jit, &format!("extend {id} --ttl 2h --reason INC-8")).success();
    let (a, b) = (&api.grants("team-a")[0], &api.grants("ops")[0]);
    assert_eq!(label(a, EXPIRES), label(b, EXPIRES));
    let left = label(a, EXPIRES).parse::<i64>().unwrap() - server_now(&api);
    assert!((7100..=7200).contains(&left), "{left}");

    // Revoking it by id in its namespace removes both halves.
    let out = run(&jit, &format!("revoke {id}"));
    out.success();
    assert!(api.grants("team-a").is_empty());
    assert!(api.grants("ops").is_empty(), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("networkpolicy ops/jit-{id}-egress-1")),
        "{}",
        out.stdout
    );
}

#[test]
fn an_expired_grant_and_its_egress_side_are_reaped_together() {
    let api = FakeApi::start(egress_isolated_ops());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    run(&jit, FROM_OPS).success();
    let past = server_now(&api) - 60;
    for ns in ["team-a", "ops"] {
        let mut np = api.grants(ns).remove(0);
        set_expiry_fields(&mut np, past);
        np["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("resourceVersion");
        api.put_networkpolicy(ns, np);
    }
    let out = run(&jit, "reap -o json");
    out.success();
    assert!(api.grants("team-a").is_empty(), "{}", out.stdout);
    assert!(api.grants("ops").is_empty(), "{}", out.stdout);
    let summary: Value = serde_json::from_str(&out.stdout).unwrap();
    let deleted: Vec<&str> = summary["contexts"][0]["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["namespace"].as_str().unwrap())
        .collect();
    assert_eq!(deleted.len(), 2, "{summary:#}");
    assert!(
        deleted.contains(&"ops") && deleted.contains(&"team-a"),
        "{summary:#}"
    );
}

#[test]
fn an_egress_side_where_the_granter_may_not_write_is_denied_before_anything_is_written() {
    let api = FakeApi::start(with_carol(egress_isolated_ops()));
    let out = run(&Jit::against(&api, "carol", Some("team-a")), FROM_OPS);
    out.expect_code(3);
    assert!(
        out.stderr
            .contains("the source pods in namespace ops are isolated for egress"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            r#"needs an egress policy there, and user "carol" may not create networkpolicies in ops"#
        ),
        "{}",
        out.stderr
    );
    assert!(api.writes().is_empty(), "{:#?}", api.writes());

    // alice may not even read ops: the ingress side is granted, with a warning that the
    // other end is unchecked.
    let out = run(&Jit::against(&api, "alice", Some("team-a")), FROM_OPS);
    out.success();
    assert!(
        out.stderr.contains(
            "may not read the pods or networkpolicies of namespace ops: if its pods are isolated for egress"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(api.grants("team-a").len(), 1);
    assert!(api.grants("ops").is_empty());
}

#[test]
fn a_path_that_is_already_open_is_named_and_not_granted_unless_forced() {
    let api = FakeApi::start(World::standard().policy(
        "team-a",
        "debug-to-db",
        json!({
            "podSelector": {"matchLabels": {"app": "db"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "debug"}}}]}],
        }),
    ));
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, DB);
    out.expect_code(4);
    assert!(
        out.stderr
            .contains("the path is already open: allowed by networkpolicy team-a/debug-to-db"),
        "{}",
        out.stderr
    );
    assert!(api.writes().is_empty());
    run(&jit, &format!("{DB} --force")).success();
    assert_eq!(api.grants("team-a").len(), 1);
}

#[test]
fn a_selector_that_matches_no_pod_is_a_warning_not_a_prompt_without_a_terminal() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(
        &jit,
        "grant --to app=dbb --from app=debug --port 5432 --ttl 30m --reason typo",
    );
    out.success();
    assert!(
        out.stderr
            .contains("warning: pods app=dbb in team-a matches no pod"),
        "{}",
        out.stderr
    );
}

#[test]
fn explain_shows_each_flow_before_and_after_and_what_decides_it() {
    let api = FakeApi::start(with_carol(egress_isolated_ops()));
    let jit = Jit::against(&api, "carol", Some("team-a"));
    let out = run(
        &jit,
        "explain --to app=db --from app=debug --from-namespace ops:app=toolbox --port 5432",
    );
    out.success();
    let text = &out.stdout;
    let row = |from: &str, to: &str| {
        text.lines()
            .find(|l| l.starts_with(from) && l.contains(to))
            .unwrap_or_else(|| panic!("no row {from} -> {to}:\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let debug = row("pod team-a/debug", "team-a/db ");
    assert!(
        debug
            .starts_with("pod team-a/debug team-a/db 5432/TCP denied allowed ingress: team-a/jit-"),
        "{debug}"
    );
    assert!(debug.ends_with("egress: not isolated"), "{debug}");
    let toolbox = row("pod ops/toolbox", "team-a/cache");
    assert!(toolbox.contains("denied allowed"), "{toolbox}");
    assert!(toolbox.contains("egress: ops/jit-"), "{toolbox}");
    assert!(
        text.contains("egress: 1 source pod is isolated for egress in ops"),
        "{text}"
    );
    assert!(
        text.contains("verdict: `jit grant` would open exactly these flows"),
        "{text}"
    );
    assert!(api.writes().is_empty(), "explain writes nothing");

    // Before a baseline, explain says why a grant would be refused.
    let api = FakeApi::start(World::fixtures());
    let out = run(
        &Jit::against(&api, "alice", Some("team-a")),
        "explain --to app=db --from app=debug --port 5432",
    );
    out.success();
    assert!(out.stdout.contains("allowed   allowed"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("verdict: `jit grant` would refuse: no NetworkPolicy isolates"),
        "{}",
        out.stdout
    );
}

#[test]
fn grant_explain_with_a_server_dry_run_shows_the_flows_and_stores_nothing() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, &format!("{DB} --explain --dry-run=server"));
    out.success();
    assert!(out.stdout.contains("FROM"), "{}", out.stdout);
    assert!(out.stdout.contains("would grant"), "{}", out.stdout);
    assert!(api.grants("team-a").is_empty());

    let out = run(&jit, &format!("{DB} --explain --dry-run"));
    out.expect_code(2);
    assert!(out.stderr.contains("--explain"), "{}", out.stderr);
}
