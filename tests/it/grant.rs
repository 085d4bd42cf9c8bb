//! `jit grant` end to end: the real binary, over HTTP, against the fake API server.

use std::time::SystemTime;

use serde_json::Value;

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, words};

const DB: &str = "grant --to app=db --from app=debug --port 5432 --ttl 30m --reason 'INC-1234: check replication lag'";

fn run(jit: &Jit, line: &str) -> crate::harness::Run {
    let args = words(line);
    jit.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn label(np: &Value, key: &str) -> String {
    np["metadata"]["labels"][key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn annotation(np: &Value, key: &str) -> String {
    np["metadata"]["annotations"][key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn alice_grants_in_team_a() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let before = unix(api.now());
    let out = run(&jit, DB);
    out.success();
    let after = unix(api.now());

    let stored = api.grants("team-a");
    assert_eq!(stored.len(), 1, "exactly one policy: {stored:#?}");
    let np = &stored[0];
    let id = label(np, "jit.dev/grant-id");
    assert_eq!(np["metadata"]["name"], format!("jit-{id}"));
    assert_eq!(label(np, "app.kubernetes.io/managed-by"), "jit");

    // Expiry: server-now + ttl, within the few seconds the run took.
    let expires: i64 = label(np, "jit.dev/expires").parse().unwrap();
    assert!(
        (before + 1800 - 1..=after + 1800).contains(&expires),
        "expires {expires} not within [{}, {}]",
        before + 1800,
        after + 1800
    );
    let at: jiff::Timestamp = annotation(np, "jit.dev/expires-at").parse().unwrap();
    assert_eq!(at.as_second(), expires);
    assert_eq!(annotation(np, "jit.dev/requester"), "alice");
    assert_eq!(
        annotation(np, "jit.dev/requester-groups"),
        r#"["devs","system:authenticated"]"#
    );
    assert_eq!(
        annotation(np, "jit.dev/reason"),
        "INC-1234: check replication lag"
    );
    assert_eq!(annotation(np, "jit.dev/ttl"), "30m");
    assert_eq!(annotation(np, "jit.dev/version"), env!("CARGO_PKG_VERSION"));
    assert!(!annotation(np, "jit.dev/created-at").is_empty());

    // Exactly the requested path.
    let spec = &np["spec"];
    assert_eq!(
        spec["podSelector"],
        serde_json::json!({"matchLabels": {"app": "db"}})
    );
    assert_eq!(spec["policyTypes"], serde_json::json!(["Ingress"]));
    assert_eq!(
        spec["ingress"],
        serde_json::json!([{
            "from": [{"podSelector": {"matchLabels": {"app": "debug"}}}],
            "ports": [{"port": 5432, "protocol": "TCP"}]
        }])
    );
    assert!(spec.get("egress").is_none());

    // One write, a server-side apply by field manager jit.
    let writes = api.writes();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].method, "PATCH");
    assert_eq!(
        writes[0].query.get("fieldManager").map(String::as_str),
        Some("jit")
    );
    assert_eq!(
        writes[0].content_type.as_deref(),
        Some("application/apply-patch+yaml")
    );
    assert!(!writes[0].query.contains_key("force"), "never forced");

    // The summary a person reads.
    let stdout = &out.stdout;
    assert!(
        stdout.contains(&format!(
            "granted {id} to alice (groups: devs, system:authenticated)"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("from     pods app=debug"), "{stdout}");
    assert!(
        stdout.contains("to       pods app=db in team-a"),
        "{stdout}"
    );
    assert!(stdout.contains("ports    5432/TCP"), "{stdout}");
    assert!(
        stdout.contains("expires  in 29m 5") || stdout.contains("expires  in 30m ("),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("policy   networkpolicy team-a/jit-{id}")),
        "{stdout}"
    );
}

#[test]
fn expiry_follows_the_server_clock_not_the_laptop() {
    let api = FakeApi::start(World::standard());
    // The API server is two hours behind this machine: a grant must end 30 minutes after
    // the *server's* now, or a laptop clock running fast would mint a longer grant.
    api.set_clock_skew(-7200);
    let jit = Jit::against(&api, "alice", Some("team-a"));
    run(&jit, DB).success();
    let np = &api.grants("team-a")[0];
    let expires: i64 = label(np, "jit.dev/expires").parse().unwrap();
    let server_now = unix(api.now());
    assert!(
        (server_now + 1800 - 5..=server_now + 1800).contains(&expires),
        "expires {expires}, server now {server_now}"
    );
}

#[test]
fn alice_in_team_b_is_denied_and_nothing_is_written() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, &format!("{DB} -n team-b"));
    out.expect_code(3);
    let err = &out.stderr;
    assert!(
        err.contains(r#"user "alice" may not create, patch, list networkpolicies (networking.k8s.io) in namespace "team-b""#),
        "{err}"
    );
    assert!(
        err.contains("kind: Role") && err.contains("namespace: team-b"),
        "{err}"
    );
    assert!(err.contains("kind: User") && err.contains("alice"), "{err}");
    assert!(api.writes().is_empty(), "{:#?}", api.writes());
    assert!(api.grants("team-b").is_empty());
}

#[test]
fn a_user_with_no_rights_is_denied_and_nothing_is_written() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "mallory", Some("team-a"));
    let out = run(&jit, DB);
    out.expect_code(3);
    assert!(
        out.stderr
            .contains(r#"user "mallory" may not create, patch, list"#),
        "{}",
        out.stderr
    );
    assert!(api.writes().is_empty());
}

#[test]
fn rejected_credentials_are_a_denial_with_a_hint() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "nobody-the-server-knows", Some("team-a"));
    let out = run(&jit, DB);
    out.expect_code(3);
    assert!(
        out.stderr.contains("rejected your credentials"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("kubectl auth whoami"), "{}", out.stderr);
    assert!(api.writes().is_empty());
}

#[test]
fn the_same_path_twice_is_refused_while_the_first_is_active() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    run(&jit, DB).success();
    let first = label(&api.grants("team-a")[0], "jit.dev/grant-id");

    // Same path, other ttl and reason, ports given in another spelling.
    let again = run(
        &jit,
        "grant --to app=db --from app=debug --port 5432/tcp --ttl 1h --reason other",
    );
    again.expect_code(4);
    assert!(
        again
            .stderr
            .contains(&format!("grant {first} already opens this path")),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("requested by alice"),
        "{}",
        again.stderr
    );
    assert_eq!(api.grants("team-a").len(), 1);

    // A different path is a different grant.
    run(
        &jit,
        "grant --to app=db --from app=debug --port 5433 --ttl 30m --reason INC-2",
    )
    .success();
    assert_eq!(api.grants("team-a").len(), 2);
}

#[test]
fn an_expired_grant_for_the_same_path_does_not_block_a_new_one() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    run(&jit, DB).success();
    let mut old = api.grants("team-a").remove(0);
    let past = (unix(api.now()) - 60).to_string();
    old["metadata"]["labels"]["jit.dev/expires"] = Value::String(past);
    let old_id = label(&old, "jit.dev/grant-id");
    api.put_networkpolicy("team-a", old);
    let out = run(&jit, DB);
    out.success();
    // The new grant is made, and the expired one it saw is reaped on the way out.
    let left = api.grants("team-a");
    assert_eq!(left.len(), 1, "{left:#?}");
    assert_ne!(label(&left[0], "jit.dev/grant-id"), old_id);
    assert!(
        out.stderr
            .contains(&format!("removed expired grant {old_id}")),
        "{}",
        out.stderr
    );
}

#[test]
fn opportunistic_reaping_can_be_turned_off() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a")).config("opportunistic_reap: false\n");
    run(&jit, DB).success();
    let mut old = api.grants("team-a").remove(0);
    old["metadata"]["labels"]["jit.dev/expires"] =
        Value::String((unix(api.now()) - 60).to_string());
    api.put_networkpolicy("team-a", old);
    run(&jit, DB).success();
    assert_eq!(api.grants("team-a").len(), 2);
}

#[test]
fn a_service_target_uses_its_selector_and_target_ports() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(
        &jit,
        "grant --to-service db --from-namespace ops:app=toolbox --ttl 10m --reason INC-3",
    );
    out.success();
    let np = &api.grants("team-a")[0];
    assert_eq!(
        np["spec"]["podSelector"],
        serde_json::json!({"matchLabels": {"app": "db"}})
    );
    assert_eq!(
        np["spec"]["ingress"][0],
        serde_json::json!({
            "from": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ops"}},
                "podSelector": {"matchLabels": {"app": "toolbox"}}
            }],
            "ports": [{"port": 5432, "protocol": "TCP"}]
        })
    );
    assert_eq!(annotation(np, "jit.dev/target-service"), "db");
    assert!(
        out.stdout
            .contains("to       service db (pods app=db) in team-a"),
        "{}",
        out.stdout
    );
}

#[test]
fn server_dry_run_is_authorized_and_validated_but_stores_nothing() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, &format!("{DB} --dry-run=server"));
    out.success();
    assert!(out.stdout.contains("server dry run"), "{}", out.stdout);
    assert!(api.grants("team-a").is_empty());
    let writes = api.writes();
    assert_eq!(writes.len(), 1);
    assert!(writes[0].dry_run);
    assert_eq!(
        writes[0].query.get("dryRun").map(String::as_str),
        Some("All")
    );

    // Denials are still denials in a dry run.
    run(&jit, &format!("{DB} --dry-run=server -n team-b")).expect_code(3);
}

#[test]
fn output_formats_print_the_applied_object() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));

    let out = run(&jit, &format!("{DB} -o json"));
    out.success();
    let printed: Value = serde_json::from_str(&out.stdout).unwrap();
    let stored = &api.grants("team-a")[0];
    assert_eq!(printed["metadata"]["uid"], stored["metadata"]["uid"]);
    assert_eq!(printed["spec"], stored["spec"]);
    assert!(
        printed["metadata"].get("managedFields").is_none(),
        "managedFields are hidden"
    );

    let out = run(
        &jit,
        "grant --to app=db --from app=debug --port 6000 --ttl 30m --reason r -o yaml",
    );
    out.success();
    let printed: Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(printed["kind"], "NetworkPolicy");
    assert!(
        printed["metadata"]["resourceVersion"].is_string(),
        "{}",
        out.stdout
    );

    let out = run(
        &jit,
        "grant --to app=db --from app=debug --port 6001 --ttl 30m --reason r -o name",
    );
    out.success();
    assert!(
        out.stdout
            .starts_with("networkpolicy.networking.k8s.io/jit-"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().count(), 1);

    let out = run(
        &jit,
        "grant --to app=db --from app=debug --port 6002 --ttl 30m --reason r -o wide",
    );
    out.success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("NAMESPACE") && lines[0].contains("REQUESTER"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].starts_with("team-a") && lines[1].contains("alice"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_namespace_defaults_to_the_contexts() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-b"));
    // The context says team-b, where alice may not write; -n overrides it.
    run(&jit, DB).expect_code(3);
    run(&jit, &format!("{DB} -n team-a")).success();
    assert_eq!(api.grants("team-a").len(), 1);
}

#[test]
fn several_kubeconfig_files_are_merged_like_kubectl() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::new();
    let dir = tempfile::tempdir().unwrap();
    let real = api.kubeconfig(dir.path(), "alice", Some("team-a"));
    // An empty first file and a missing-context-free second: KUBECONFIG=a:b.
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "apiVersion: v1\nkind: Config\n").unwrap();
    let list = std::env::join_paths([&empty, &real]).unwrap();
    let jit = jit.env("KUBECONFIG", list.to_str().unwrap());
    run(&jit, DB).success();
    assert_eq!(api.grants("team-a").len(), 1);
}

#[test]
fn an_old_server_without_selfsubjectreview_gets_a_clear_message() {
    let api = FakeApi::start(World::standard());
    api.disable_api("/apis/authentication.k8s.io/");
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let out = run(&jit, DB);
    out.expect_code(1);
    assert!(
        out.stderr.contains("does not support SelfSubjectReview"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1.28"), "{}", out.stderr);
    assert!(api.writes().is_empty());
}

#[test]
fn a_grant_costs_eight_requests_in_two_rounds() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    run(&jit, DB).success();
    let requests = api.requests();
    let summary: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // SelfSubjectReview, 3 access reviews, the namespace, its pods and its policies, all
    // at once; then the apply.
    assert_eq!(requests.len(), 8, "{summary:#?}");
    // The apply is last: every read came before any write.
    assert_eq!(requests.last().unwrap().method, "PATCH", "{summary:#?}");
}

#[test]
fn client_dry_run_needs_no_cluster_and_prints_the_exact_policy() {
    let out = Jit::new().run(&[
        "grant",
        "-n",
        "team-a",
        "--to",
        "app=db",
        "--from",
        "app=debug",
        "--port",
        "5432",
        "--ttl",
        "30m",
        "--reason",
        "INC-1234: check replication lag",
        "--dry-run",
        "-o",
        "yaml",
    ]);
    out.success();
    assert!(
        out.stderr
            .contains("needs an egress policy beside this one, or opens a path"),
        "{}",
        out.stderr
    );
    let np: Value = serde_saphyr::from_str(&out.stdout).unwrap();
    let created: jiff::Timestamp = annotation(&np, "jit.dev/created-at").parse().unwrap();
    let expires: jiff::Timestamp = annotation(&np, "jit.dev/expires-at").parse().unwrap();
    assert_eq!(expires.as_second() - created.as_second(), 1800);
    assert_eq!(
        label(&np, "jit.dev/expires"),
        expires.as_second().to_string()
    );
    // Everything but the id and the times is fixed: compare it exactly.
    let id = label(&np, "jit.dev/grant-id");
    let masked = out
        .stdout
        .replace(&id, "ID")
        .replace(&annotation(&np, "jit.dev/created-at"), "CREATED")
        .replace(&annotation(&np, "jit.dev/expires-at"), "EXPIRES")
        .replace(&label(&np, "jit.dev/expires"), "UNIX");
    insta::assert_snapshot!(masked);
}

#[test]
fn an_unreachable_api_server_is_retried_then_reported_with_a_hint() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: dead\n\
             clusters: [{{name: dead, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: dead, context: {{cluster: dead, user: u, namespace: team-a}}}}]\n"
        ),
    )
    .unwrap();
    let jit = Jit::new().env("KUBECONFIG", kubeconfig.to_str().unwrap());
    let started = std::time::Instant::now();
    let out = run(&jit, DB);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("cannot reach the API server: Connection refused"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: check the server address in the kubeconfig"),
        "{}",
        out.stderr
    );
    // Retried with backoff (about 3 s in all), and bounded.
    let took = started.elapsed();
    assert!(
        took > std::time::Duration::from_millis(1000),
        "not retried: {took:?}"
    );
    assert!(
        took < std::time::Duration::from_secs(30),
        "not bounded: {took:?}"
    );
}
