//! `jit doctor` through the real binary, against the fake API server: a user with rights
//! and one without, a server that does not answer, credentials it rejects, network plugins
//! seen and not, and audit logs valid, tampered, with a recent reap and an old one.
//!
//! Keys live in `file:` stores inside each test's HOME; entries are appended with the
//! library, signed with the key `jit log init` created, as `log_cmd` does.

use jit::audit::keys::{self, KeyStore};
use jit::audit::{Action, AuditLog, Ed25519Signer, Event, KeyRole, ObjectRef, Setup};
use serde_json::Value;

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run};

const KEY_NAME: &str = "alice@test";

#[track_caller]
fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} not in:\n{text}");
}

/// The line of check `name` (without its `fix:` line).
#[track_caller]
fn line<'a>(run: &'a Run, name: &str) -> &'a str {
    run.stdout
        .lines()
        .find(|l| {
            l.get(6..)
                .is_some_and(|rest| rest.starts_with(&format!("{name}  ")))
        })
        .unwrap_or_else(|| panic!("no {name:?} line in:\n{}", run.stdout))
}

/// The `fix:` line right after check `name`'s line.
#[track_caller]
fn fix<'a>(run: &'a Run, name: &str) -> &'a str {
    let wanted = line(run, name);
    let mut lines = run.stdout.lines().skip_while(|l| *l != wanted).skip(1);
    lines
        .next()
        .and_then(|l| l.strip_prefix("      fix: "))
        .unwrap_or_else(|| panic!("no fix line under {name:?} in:\n{}", run.stdout))
}

/// `STATUS  NAME  DETAIL` with the name column as wide as the longest name.
fn expected(status: &str, name: &str, detail: &str) -> String {
    format!("{status:<6}{name:<14}  {detail}")
}

fn doctor(jit: &Jit, extra: &[&str]) -> Run {
    let mut args = vec!["doctor"];
    args.extend_from_slice(extra);
    jit.run(&args)
}

fn doctor_json(jit: &Jit) -> Vec<Value> {
    let run = doctor(jit, &["-o", "json"]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    json["checks"].as_array().expect("checks").clone()
}

/// `jit log init` with a person key in the file `alice.key`, and the key it created.
fn init_key(jit: &Jit) -> Ed25519Signer {
    let path = jit.home().join("alice.key");
    jit.run(&[
        "log",
        "init",
        "--store",
        &format!("file:{}", path.display()),
        "--name",
        KEY_NAME,
    ])
    .success();
    keys::load(&KeyStore::File(path), KeyRole::Person, KEY_NAME)
        .unwrap()
        .expect("the key init created")
}

fn event(action: Action, outcome: &str, ago_secs: i64, i: usize) -> Event {
    let ts = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_secs(ago_secs))
        .unwrap()
        .round(jiff::Unit::Second)
        .unwrap();
    let mut event = Event::new(ts, action, outcome);
    event.objects = vec![ObjectRef {
        namespace: "team-a".to_string(),
        name: format!("jit-{i:08x}"),
        uid: None,
    }];
    event
}

fn append(jit: &Jit, events: &[Event], signer: &Ed25519Signer) {
    let dir = jit.state_dir();
    let setup = Setup::load_or_create(&dir).unwrap();
    AuditLog::open(&dir, &setup.origin)
        .unwrap()
        .append(events, Some(signer as &dyn jit::audit::Signer))
        .unwrap();
}

#[test]
fn alice_may_grant_in_team_a_but_not_reap_everywhere() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let run = doctor(&jit, &[]);
    run.success();
    let kubeconfig = jit.home().join("kubeconfig-alice");
    assert_eq!(
        line(&run, "kubeconfig"),
        expected(
            "ok",
            "kubeconfig",
            &format!(
                "{}, context alice@fake, namespace team-a",
                kubeconfig.display()
            )
        )
    );
    assert_eq!(
        line(&run, "api server"),
        expected(
            "ok",
            "api server",
            &format!("{} answers (Kubernetes v1.36.2)", api.url())
        )
    );
    assert_eq!(
        line(&run, "identity"),
        expected(
            "ok",
            "identity",
            "alice (groups devs, system:authenticated)"
        )
    );
    assert_eq!(
        line(&run, "may grant"),
        expected(
            "ok",
            "may grant",
            "alice may create, patch, list networkpolicies; list pods; get namespaces; get \
             services in team-a"
        )
    );
    // Her Role lacks deletecollection: revoking still works, one grant at a time.
    assert_eq!(
        line(&run, "may revoke"),
        expected(
            "warn",
            "may revoke",
            "alice may not deletecollection networkpolicies in team-a: revoke --all, --user \
             and --selector delete one grant at a time"
        )
    );
    assert_eq!(
        fix(&run, "may revoke"),
        "a cluster admin can allow it: jit rbac granter team-a --user alice | kubectl apply -f -"
    );
    assert_eq!(
        line(&run, "may reap"),
        expected(
            "warn",
            "may reap",
            "alice may not list, delete networkpolicies in every namespace: jit reap falls back \
             to one list per namespace it may read; it removes expired grants only where it may \
             delete"
        )
    );
    assert_contains(fix(&run, "may reap"), "jit rbac reaper --user alice");
    assert!(
        line(&run, "network plugin").starts_with(&expected(
            "warn",
            "network plugin",
            "no NetworkPolicy-enforcing plugin seen in kube-system, calico-system (looked for"
        )),
        "{}",
        run.stdout
    );
    assert!(line(&run, "network plugin").ends_with("— policies do nothing without one"));
    // Nothing set up on this machine: warnings, not failures.
    assert_eq!(
        line(&run, "signing key"),
        expected(
            "warn",
            "signing key",
            "no signing key is set up: audit entries are written unsigned"
        )
    );
    assert_contains(fix(&run, "signing key"), "jit log init");
    assert_eq!(
        line(&run, "audit log"),
        expected(
            "ok",
            "audit log",
            &format!("{}: no entries yet", jit.state_dir().display())
        )
    );
    assert!(
        line(&run, "last reap").starts_with(&expected(
            "warn",
            "last reap",
            "no reap recorded in this log; jit reap records only the grants it removes"
        )),
        "{}",
        run.stdout
    );
    assert_contains(fix(&run, "last reap"), "jit reap --check");
    assert_eq!(
        run.stdout.lines().filter(|l| !l.starts_with(' ')).count(),
        10
    );

    // One concurrent wave: who am I, the version, the namespace, ten access reviews, two
    // pod lists; and doctor changes nothing, nor creates the audit log's directory.
    let requests = api.requests();
    let count = |path: &str| requests.iter().filter(|r| r.path.ends_with(path)).count();
    assert_eq!(requests.len(), 15, "{requests:#?}");
    assert_eq!(count("/namespaces/team-a"), 1);
    assert_eq!(count("/selfsubjectreviews"), 1);
    assert_eq!(count("/version"), 1);
    assert_eq!(count("/selfsubjectaccessreviews"), 10);
    assert_eq!(count("/pods"), 2);
    assert!(api.writes().is_empty());
    assert!(!jit.state_dir().exists());
}

#[test]
fn mallory_may_do_nothing_and_doctor_fails() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "mallory", Some("team-a"));
    let run = doctor(&jit, &[]);
    run.expect_code(1);
    assert_eq!(
        line(&run, "identity"),
        expected("ok", "identity", "mallory (groups system:authenticated)")
    );
    assert_eq!(
        line(&run, "may grant"),
        expected(
            "FAIL",
            "may grant",
            "mallory may not create, patch, list networkpolicies; list pods in team-a: jit grant \
             is refused"
        )
    );
    assert_eq!(
        fix(&run, "may grant"),
        "a cluster admin can allow it: jit rbac granter team-a --user mallory | kubectl apply -f -"
    );
    assert_eq!(
        line(&run, "may revoke"),
        expected(
            "FAIL",
            "may revoke",
            "mallory may not list, delete networkpolicies in team-a: jit revoke is refused"
        )
    );
    assert_eq!(line(&run, "may reap").get(..6), Some("warn  "));
    assert_eq!(
        line(&run, "network plugin"),
        expected(
            "skip",
            "network plugin",
            "mallory may not list pods in kube-system, where network plugins run"
        )
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn json_lists_every_check_in_order() {
    let api = FakeApi::start(World::standard());
    let checks = doctor_json(&Jit::against(&api, "mallory", Some("team-a")));
    let summary: Vec<String> = checks
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["status"].as_str().unwrap(),
                c["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "ok kubeconfig",
            "ok api server",
            "ok identity",
            "fail may grant",
            "fail may revoke",
            "warn may reap",
            "skip network plugin",
            "warn signing key",
            "ok audit log",
            "warn last reap",
        ]
    );
    assert_eq!(checks[2]["hint"], Value::Null);
    assert_eq!(
        checks[3]["hint"],
        "a cluster admin can allow it: jit rbac granter team-a --user mallory | kubectl apply -f -"
    );
    assert_eq!(checks[0].as_object().unwrap().len(), 4);
}

#[test]
fn the_admin_with_calico_running_is_all_ok_on_the_cluster_side() {
    let world = World::standard()
        .namespace("kube-system")
        .pod(
            "kube-system",
            "calico-node-x7k2p",
            &[("k8s-app", "calico-node")],
        )
        .pod(
            "kube-system",
            "calico-node-9fq2z",
            &[("k8s-app", "calico-node")],
        )
        .pod(
            "kube-system",
            "coredns-5d78c9869d-abcde",
            &[("k8s-app", "kube-dns")],
        );
    let api = FakeApi::start(world);
    let run = doctor(&Jit::against(&api, "admin", None), &["-n", "team-b"]);
    run.success();
    for name in ["may grant", "may revoke", "may reap"] {
        assert_eq!(line(&run, name).get(..6), Some("ok    "), "{}", run.stdout);
    }
    assert_eq!(
        line(&run, "may revoke"),
        expected(
            "ok",
            "may revoke",
            "admin may list, delete, deletecollection networkpolicies in team-b"
        )
    );
    assert_eq!(
        line(&run, "may reap"),
        expected(
            "ok",
            "may reap",
            "admin may list, delete networkpolicies in every namespace"
        )
    );
    assert_eq!(
        line(&run, "network plugin"),
        expected(
            "ok",
            "network plugin",
            "calico (2 pods in kube-system) enforces NetworkPolicy"
        )
    );
}

#[test]
fn kindnet_alone_is_a_warning_that_says_why() {
    let world = World::standard().namespace("kube-system").pod(
        "kube-system",
        "kindnet-abcde",
        &[("app", "kindnet")],
    );
    let api = FakeApi::start(world);
    let run = doctor(&Jit::against(&api, "alice", Some("team-a")), &[]);
    run.success();
    assert_eq!(
        line(&run, "network plugin"),
        expected(
            "warn",
            "network plugin",
            "kindnet (1 pod in kube-system): kindnet enforces NetworkPolicy only from kind v0.24 \
             on; older kindnet ignores it; policies do nothing without an enforcing plugin"
        )
    );
    assert_contains(fix(&run, "network plugin"), "default-deny");
}

#[test]
fn an_unreachable_server_fails_once_and_skips_the_checks_that_need_it() {
    let api = FakeApi::start(World::standard());
    let url = api.url();
    let jit = Jit::against(&api, "alice", Some("team-a"));
    drop(api);
    let run = doctor(&jit, &[]);
    run.expect_code(1);
    assert_eq!(line(&run, "kubeconfig").get(..6), Some("ok    "));
    assert!(
        line(&run, "api server").starts_with(&expected(
            "FAIL",
            "api server",
            &format!("cannot reach {url}: ")
        )),
        "{}",
        run.stdout
    );
    assert_eq!(
        fix(&run, "api server"),
        "check the server address in the kubeconfig, and the network, VPN or proxy in between"
    );
    for name in [
        "identity",
        "may grant",
        "may revoke",
        "may reap",
        "network plugin",
    ] {
        assert_eq!(
            line(&run, name),
            expected("skip", name, "the API server did not answer")
        );
    }
    // The local checks do not need it.
    assert_eq!(line(&run, "audit log").get(..6), Some("ok    "));
    assert_eq!(line(&run, "last reap").get(..6), Some("warn  "));
}

#[test]
fn rejected_credentials_fail_identity_and_skip_the_rest() {
    let api = FakeApi::start(World::standard());
    // A user the server does not know: its token is refused (401).
    let run = doctor(&Jit::against(&api, "eve", Some("team-a")), &[]);
    run.expect_code(1);
    assert_eq!(line(&run, "api server").get(..6), Some("ok    "));
    assert!(
        line(&run, "identity").starts_with(&expected(
            "FAIL",
            "identity",
            "the API server rejected your credentials: "
        )),
        "{}",
        run.stdout
    );
    assert_contains(fix(&run, "identity"), "kubectl auth whoami");
    for name in ["may grant", "may revoke", "may reap", "network plugin"] {
        assert_eq!(
            line(&run, name),
            expected(
                "skip",
                name,
                "the API server did not accept your credentials"
            )
        );
    }
    // The rest of the wave was dropped, and nothing was written.
    assert!(api.writes().is_empty());
}

#[test]
fn no_kubeconfig_fails_the_first_check_and_skips_the_cluster() {
    let run = doctor(&Jit::new(), &[]);
    run.expect_code(1);
    assert!(
        line(&run, "kubeconfig").starts_with(&expected(
            "FAIL",
            "kubeconfig",
            "no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist), and \
             not running in a pod"
        )),
        "{}",
        run.stdout
    );
    assert_contains(fix(&run, "kubeconfig"), "--kubeconfig PATH");
    for name in ["api server", "identity", "may grant", "network plugin"] {
        assert_eq!(
            line(&run, name),
            expected("skip", name, "there is no usable kubeconfig")
        );
    }
}

#[test]
fn a_valid_log_and_a_recent_reap_are_ok() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let signer = init_key(&jit);
    append(&jit, &[event(Action::Grant, "allowed", 600, 1)], &signer);
    append(&jit, &[event(Action::Reap, "done", 90, 1)], &signer);
    let run = doctor(&jit, &[]);
    run.success();
    let key_id = &Setup::load(&jit.state_dir()).unwrap().unwrap().keys[0].id;
    assert_eq!(
        line(&run, "signing key"),
        expected(
            "ok",
            "signing key",
            &format!(
                "person key {KEY_NAME} ({key_id}, file:{}) loads",
                jit.home().join("alice.key").display()
            )
        )
    );
    assert_eq!(
        line(&run, "audit log"),
        expected(
            "ok",
            "audit log",
            &format!(
                "{}: VALID; 3 entries, 3 signed by a key in keys.json, 0 unsigned",
                jit.state_dir().display()
            )
        )
    );
    let last = line(&run, "last reap");
    // Judged by the API server's clock, whose Date header has whole seconds.
    assert!(
        last.starts_with(&expected("ok", "last reap", "1m ")),
        "{last}"
    );
    assert!(
        last.ends_with(" UTC), it removed team-a/jit-00000001"),
        "{last}"
    );
}

#[test]
fn a_tampered_log_fails_and_an_old_reap_warns() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    let signer = init_key(&jit);
    append(
        &jit,
        &[event(Action::Reap, "done", 3 * 3600 + 30, 7)],
        &signer,
    );
    append(&jit, &[event(Action::Grant, "allowed", 60, 8)], &signer);
    let log = jit.state_dir().join(jit::audit::LOG_FILE);
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen("jit-00000008", "jit-00000009", 1)).unwrap();

    let run = doctor(&jit, &[]);
    run.expect_code(1);
    assert_eq!(
        line(&run, "audit log"),
        expected(
            "FAIL",
            "audit log",
            &format!(
                "{}: TAMPERED at line 3: bad signature (key {KEY_NAME}); 3 entries, 2 signed by \
                 a key in keys.json, 0 unsigned",
                jit.state_dir().display()
            )
        )
    );
    assert_contains(fix(&run, "audit log"), "jit log verify");
    // The reap entry itself is intact, and three hours old.
    assert!(
        line(&run, "last reap").starts_with(&expected(
            "warn",
            "last reap",
            "the last reap recorded here was 3h "
        )),
        "{}",
        run.stdout
    );
    assert_eq!(line(&run, "signing key").get(..6), Some("ok    "));
}

#[test]
fn a_key_missing_from_its_store_fails() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some("team-a"));
    init_key(&jit);
    std::fs::remove_file(jit.home().join("alice.key")).unwrap();
    let run = doctor(&jit, &[]);
    run.expect_code(1);
    assert!(
        line(&run, "signing key")
            .ends_with("is missing from its store: entries are written unsigned"),
        "{}",
        run.stdout
    );
    assert_contains(fix(&run, "signing key"), "jit log init --rotate");
}

#[test]
fn a_namespace_that_does_not_exist_fails_the_grant_check() {
    let api = FakeApi::start(World::standard());
    let run = doctor(
        &Jit::against(&api, "alice", Some("team-a")),
        &["-n", "team-x"],
    );
    run.expect_code(1);
    assert_eq!(
        line(&run, "may grant"),
        expected(
            "FAIL",
            "may grant",
            "namespace team-x does not exist: jit grant is refused"
        )
    );
    assert_eq!(
        fix(&run, "may grant"),
        "kubectl get namespaces lists them; choose one with -n NS"
    );
    assert_contains(line(&run, "kubeconfig"), "namespace team-x");
}
