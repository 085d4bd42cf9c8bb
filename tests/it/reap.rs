//! `jit reap` end to end: the project's security guarantee. Every grant whose expiry has
//! passed, cannot be read, or lies beyond the maximum lifetime goes; everything else stays,
//! and nothing without jit's marker is ever touched, whatever its name or labels.
//!
//! Grants are made by running `jit grant` and then edited in the fake's store (expiry
//! labels pushed into the past, the server clock moved) rather than by waiting for them to
//! expire. The helpers here are shared by the list, revoke and extend tests.

use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run, words};

pub(crate) const NS: &str = "team-a";
pub(crate) const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
pub(crate) const GRANT_ID: &str = "jit.dev/grant-id";
pub(crate) const EXPIRES: &str = "jit.dev/expires";
pub(crate) const EXPIRES_AT: &str = "jit.dev/expires-at";

/// The NetworkPolicy collection of `ns`, as jit's requests address it.
pub(crate) fn np_path(ns: &str) -> String {
    format!("/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies")
}

/// Attempts jit makes per request before giving up.
const ATTEMPTS: usize = jit::retry::ATTEMPTS as usize;

/// The cluster-wide NetworkPolicy list.
const ALL_NP_PATH: &str = "/apis/networking.k8s.io/v1/networkpolicies";

/// Runs jit with a command line written as people type it.
pub(crate) fn run(jit: &Jit, line: &str) -> Run {
    let args = words(line);
    jit.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

pub(crate) fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The fake API server's clock (real time plus its skew), in unix seconds.
pub(crate) fn server_now(api: &FakeApi) -> i64 {
    unix(api.now())
}

pub(crate) fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub(crate) fn label(np: &Value, key: &str) -> String {
    np["metadata"]["labels"][key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn annotation(np: &Value, key: &str) -> String {
    np["metadata"]["annotations"][key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Grants alice-style access to `app=db` on `port` in `ns` through the real binary and
/// returns the grant id. Different ports make different paths, so grants never collide.
pub(crate) fn grant(jit: &Jit, ns: &str, port: u16, ttl: &str) -> String {
    let out = run(
        jit,
        &format!(
            "grant -n {ns} --to app=db --from app=debug --port {port} --ttl {ttl} --reason INC-1 -o json"
        ),
    );
    out.success();
    let np: Value = serde_json::from_str(&out.stdout).expect("grant -o json prints the policy");
    let id = label(&np, GRANT_ID);
    assert!(!id.is_empty(), "{}", out.stdout);
    id
}

/// The stored policy of grant `id`, as a GET would return it.
pub(crate) fn stored(api: &FakeApi, ns: &str, id: &str) -> Option<Value> {
    api.networkpolicy(ns, &format!("jit-{id}"))
}

/// The names of every NetworkPolicy stored in `ns`, except the world's own default-deny.
pub(crate) fn names(api: &FakeApi, ns: &str) -> Vec<String> {
    api.networkpolicies(ns)
        .iter()
        .map(|np| np["metadata"]["name"].as_str().unwrap().to_string())
        .filter(|name| name != "default-deny-ingress")
        .collect()
}

/// Changes a stored grant the way another client's update would: it gets a new
/// resourceVersion, so jit's preconditions notice.
pub(crate) fn edit(api: &FakeApi, ns: &str, id: &str, change: impl FnOnce(&mut Value)) {
    let mut np = stored(api, ns, id).expect("the grant exists");
    change(&mut np);
    np["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("resourceVersion");
    api.put_networkpolicy(ns, np);
}

/// Sets both expiry fields (label and annotation) of a policy object.
pub(crate) fn set_expiry_fields(np: &mut Value, unix: i64) {
    np["metadata"]["labels"][EXPIRES] = Value::from(unix.to_string());
    np["metadata"]["annotations"][EXPIRES_AT] = Value::from(rfc3339(unix));
}

/// Moves grant `id`'s expiry (label and annotation) to `unix`, as if it had been granted
/// with another ttl.
pub(crate) fn set_expiry(api: &FakeApi, ns: &str, id: &str, unix: i64) {
    edit(api, ns, id, |np| set_expiry_fields(np, unix));
}

/// Stores a NetworkPolicy that jit did not make, with these labels.
pub(crate) fn plant_foreign(api: &FakeApi, ns: &str, name: &str, labels: Value) {
    api.put_networkpolicy(
        ns,
        json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}
        }),
    );
}

/// The requests with this method whose path starts with `prefix`.
pub(crate) fn requests_to(api: &FakeApi, method: &str, prefix: &str) -> usize {
    api.requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(prefix))
        .count()
}

fn admin(api: &FakeApi) -> Jit {
    Jit::against(api, "admin", None)
}

fn alice(api: &FakeApi) -> Jit {
    Jit::against(api, "alice", Some(NS))
}

/// The first line of the summary: the counts.
fn summary(out: &Run) -> &str {
    out.stdout.lines().next().unwrap_or_default()
}

fn reap_json(jit: &Jit, args: &str) -> (Run, Value) {
    let out = run(jit, &format!("reap -o json {args}"));
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("reap -o json prints JSON ({e}): {}", out.stdout));
    (out, report)
}

// 1, 2: expiry decides.

#[test]
fn a_two_second_grant_is_gone_after_reap_and_a_current_one_stays() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    // The long one first: granting the short one second cannot sweep it away early.
    let long = grant(&jit, NS, 5433, "1h");
    let short = grant(&jit, NS, 5432, "2s");
    // Three seconds on, by the API server's clock (the only clock jit trusts).
    api.set_clock_skew(3);

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 2, expired 1, deleted 1, failed 0",
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "  deleted {short} team-a/jit-{short}: expired at "
        )),
        "{}",
        out.stdout
    );
    assert!(stored(&api, NS, &short).is_none());
    assert!(stored(&api, NS, &long).is_some());
}

#[test]
fn an_unexpired_grant_stays_and_reap_writes_nothing() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    let before = stored(&api, NS, &id).unwrap();
    // 59 minutes on: a minute left, still current.
    api.set_clock_skew(59 * 60);
    api.clear_requests();

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 0, deleted 0, failed 0"
    );
    assert_eq!(stored(&api, NS, &id).unwrap(), before, "untouched");
    assert!(api.writes().is_empty(), "{:#?}", api.writes());
}

#[test]
fn the_reaper_judges_by_the_server_clock_not_this_machines() {
    let api = FakeApi::start(World::standard());
    // The API server runs an hour behind this machine. A 30m grant ends 30 minutes after
    // the *server's* now, which by this machine's clock is already past.
    api.set_clock_skew(-3600);
    let id = grant(&alice(&api), NS, 5432, "30m");
    let expires: i64 = label(&stored(&api, NS, &id).unwrap(), EXPIRES)
        .parse()
        .unwrap();
    assert!(expires < unix(SystemTime::now()), "expired by local time");

    run(&admin(&api), "reap").success();
    assert!(stored(&api, NS, &id).is_some(), "current by the server");

    // The server catches up with real time: now it is 30 minutes past.
    api.set_clock_skew(0);
    run(&admin(&api), "reap").success();
    assert!(stored(&api, NS, &id).is_none());
}

// 3, 4: hand edits and garbage fail closed.

#[test]
fn an_expiry_pushed_beyond_the_max_lifetime_goes() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let pushed = grant(&jit, NS, 5432, "1h");
    let honest = grant(&jit, NS, 5433, "1h");
    // Someone edits both expiry fields a month ahead to keep the path open: far past the
    // 24h a grant may live from its creationTimestamp, which no client can forge.
    set_expiry(&api, NS, &pushed, server_now(&api) + 30 * 24 * 3600);

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 2, expired 1, deleted 1, failed 0"
    );
    assert!(
        out.stdout.contains("beyond the maximum lifetime"),
        "{}",
        out.stdout
    );
    assert!(stored(&api, NS, &pushed).is_none());
    assert!(stored(&api, NS, &honest).is_some());
}

#[test]
fn the_configured_max_lifetime_is_the_limit() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    // Three hours ahead: well within the default 24h, beyond a configured 2h.
    set_expiry(&api, NS, &id, server_now(&api) + 3 * 3600);

    run(&admin(&api), "reap").success();
    assert!(stored(&api, NS, &id).is_some(), "within the default 24h");

    let strict = admin(&api).config("max_ttl: 1h\nmax_lifetime: 2h\n");
    let out = run(&strict, "reap");
    out.success();
    assert!(
        out.stdout.contains("beyond the maximum lifetime"),
        "{}",
        out.stdout
    );
    assert!(stored(&api, NS, &id).is_none());
}

#[test]
fn the_earlier_of_label_and_annotation_decides() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let label_pushed = grant(&jit, NS, 5432, "1h");
    let annotation_pushed = grant(&jit, NS, 5433, "1h");
    let now = server_now(&api);
    // Editing one of the two fields never lengthens a grant: the other still says it ended.
    edit(&api, NS, &label_pushed, |np| {
        set_expiry_fields(np, now - 60);
        np["metadata"]["labels"][EXPIRES] = Value::from((now + 3600).to_string());
    });
    edit(&api, NS, &annotation_pushed, |np| {
        set_expiry_fields(np, now - 60);
        np["metadata"]["annotations"][EXPIRES_AT] = Value::from(rfc3339(now + 3600));
    });

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 2, expired 2, deleted 2, failed 0"
    );
    assert!(api.grants(NS).is_empty());
}

#[test]
fn a_missing_or_unreadable_expiry_goes() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5000, "1h");
    let no_label = grant(&jit, NS, 5001, "1h");
    let not_a_number = grant(&jit, NS, 5002, "1h");
    let empty_label = grant(&jit, NS, 5003, "1h");
    let bad_annotation = grant(&jit, NS, 5004, "1h");
    let no_fields = grant(&jit, NS, 5005, "1h");
    let labels = |np: &mut Value| np["metadata"]["labels"].as_object_mut().unwrap().clone();
    edit(&api, NS, &no_label, |np| {
        let mut l = labels(np);
        l.remove(EXPIRES);
        np["metadata"]["labels"] = Value::Object(l);
    });
    edit(&api, NS, &not_a_number, |np| {
        np["metadata"]["labels"][EXPIRES] = Value::from("soon");
    });
    edit(&api, NS, &empty_label, |np| {
        np["metadata"]["labels"][EXPIRES] = Value::from("");
    });
    edit(&api, NS, &bad_annotation, |np| {
        np["metadata"]["annotations"][EXPIRES_AT] = Value::from("tomorrow");
    });
    edit(&api, NS, &no_fields, |np| {
        let mut l = labels(np);
        l.remove(EXPIRES);
        np["metadata"]["labels"] = Value::Object(l);
        np["metadata"]["annotations"] = json!({});
    });

    let (out, report) = reap_json(&admin(&api), "");
    out.success();
    let deleted = report["contexts"][0]["deleted"].as_array().unwrap();
    let mut gone: Vec<&str> = deleted
        .iter()
        .map(|i| i["grant_id"].as_str().unwrap())
        .collect();
    gone.sort();
    let mut expected = vec![
        no_label.as_str(),
        not_a_number.as_str(),
        empty_label.as_str(),
        bad_annotation.as_str(),
        no_fields.as_str(),
    ];
    expected.sort();
    assert_eq!(gone, expected, "{report:#}");
    for item in deleted {
        assert!(
            item["why"]
                .as_str()
                .unwrap()
                .starts_with("expiry unreadable: "),
            "{item}"
        );
    }
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
}

// 5: only jit's own objects.

#[test]
fn lookalikes_without_the_marker_are_never_touched() {
    let api = FakeApi::start(World::standard());
    let real = grant(&alice(&api), NS, 5432, "1h");
    set_expiry(&api, NS, &real, server_now(&api) - 60);
    let past = (server_now(&api) - 3600).to_string();
    // Each of these looks like an expired grant in some way, and none is jit's.
    let lookalikes = [
        // jit's name and expiry, but no managed-by marker.
        ("jit-abcd1234", json!({GRANT_ID: "abcd1234", EXPIRES: past})),
        // The marker but no grant id.
        ("jit-nogrant1", json!({MANAGED_BY: "jit", EXPIRES: past})),
        // The marker with an empty grant id.
        (
            "jit-emptyid1",
            json!({MANAGED_BY: "jit", GRANT_ID: "", EXPIRES: past}),
        ),
        // Someone else's tool, with a grant id and an expired expiry.
        (
            "jit-helm0001",
            json!({MANAGED_BY: "helm", GRANT_ID: "helm0001", EXPIRES: past}),
        ),
    ];
    for (name, labels) in &lookalikes {
        plant_foreign(&api, NS, name, labels.clone());
    }
    let before: Vec<Value> = api.networkpolicies(NS);

    let out = run(&admin(&api), "reap");
    out.success();
    // Only the real grant counts, is listed, and goes.
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 1, failed 0"
    );
    assert!(stored(&api, NS, &real).is_none());
    let mut left = names(&api, NS);
    left.sort();
    let mut expected: Vec<&str> = lookalikes.iter().map(|(name, _)| *name).collect();
    expected.sort();
    assert_eq!(left, expected);
    // Not even a delete was attempted on any of them.
    for (name, _) in &lookalikes {
        assert_eq!(
            requests_to(&api, "DELETE", &format!("{}/{name}", np_path(NS))),
            0,
            "{name}"
        );
        let was = before.iter().find(|np| np["metadata"]["name"] == *name);
        assert_eq!(
            api.networkpolicy(NS, name).as_ref(),
            was,
            "{name} unchanged"
        );
    }
}

// 6: the precondition.

#[test]
fn a_grant_extended_between_list_and_delete_stays() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    let name = format!("jit-{id}");
    // Someone extends the grant after the reaper listed it and just before its delete
    // arrives: the delete's resourceVersion precondition fails with a real 409.
    let extended = server_now(&api) + 3600;
    api.edit_before_next(
        "DELETE",
        &format!("{}/{name}", np_path(NS)),
        NS,
        &name,
        move |np| set_expiry_fields(np, extended),
    );
    api.clear_requests();

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 0, failed 0, extended meanwhile 1",
        "{}",
        out.stdout
    );
    let np = stored(&api, NS, &id).expect("the extended grant stays");
    assert_eq!(label(&np, EXPIRES), extended.to_string());
    assert_eq!(annotation(&np, EXPIRES_AT), rfc3339(extended));
    // One refused delete, one re-read (of the object or its namespace), no second delete.
    let object = format!("{}/{name}", np_path(NS));
    assert_eq!(requests_to(&api, "DELETE", &object), 1);
    assert_eq!(requests_to(&api, "GET", &np_path(NS)), 1);

    // The JSON report says the same.
    let (_, report) = reap_json(&admin(&api), "");
    assert_eq!(report["contexts"][0]["expired"], 0);
}

#[test]
fn a_grant_changed_meanwhile_but_still_expired_is_judged_again_and_goes() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    let name = format!("jit-{id}");
    let object = format!("{}/{name}", np_path(NS));
    // A change that does not make it current (another reason): still to go.
    api.edit_before_next("DELETE", &object, NS, &name, |np| {
        np["metadata"]["annotations"]["jit.dev/reason"] = Value::from("edited");
    });

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 1, failed 0"
    );
    assert!(stored(&api, NS, &id).is_none());
    assert_eq!(requests_to(&api, "DELETE", &object), 2, "409, then deleted");
}

#[test]
fn a_grant_deleted_by_someone_else_meanwhile_is_already_gone() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    // The delete finds nothing to delete (revoked by someone at the same moment).
    api.inject_failure("DELETE", &format!("{}/jit-{id}", np_path(NS)), 404, 1);
    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 0, failed 0, already gone 1"
    );
}

// 7: failures.

#[test]
fn transient_failures_on_deletes_are_retried_within_the_run() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5430, "1h");
    let a = grant(&jit, NS, 5431, "1h");
    let b = grant(&jit, NS, 5432, "1h");
    set_expiry(&api, NS, &a, server_now(&api) - 60);
    set_expiry(&api, NS, &b, server_now(&api) - 60);
    let objects = format!("{}/", np_path(NS));
    api.inject_failure("DELETE", &objects, 500, 2);
    api.inject_failure("DELETE", &objects, 429, 1);

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 3, expired 2, deleted 2, failed 0"
    );
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
    assert_eq!(
        requests_to(&api, "DELETE", &objects),
        5,
        "2 deletes + 3 retries"
    );
}

#[test]
fn transient_failures_on_the_list_are_retried_within_the_run() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5430, "1h");
    let expired = grant(&jit, NS, 5431, "1h");
    set_expiry(&api, NS, &expired, server_now(&api) - 60);
    api.inject_failure("GET", ALL_NP_PATH, 429, 1);
    api.inject_failure("GET", ALL_NP_PATH, 500, 1);

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 2, expired 1, deleted 1, failed 0"
    );
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
    assert_eq!(requests_to(&api, "GET", ALL_NP_PATH), 3);
}

#[test]
fn deletes_failing_past_every_retry_exit_5_and_the_next_run_finishes() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5430, "1h");
    let stuck = grant(&jit, NS, 5431, "1h");
    let fine = grant(&jit, NS, 5432, "1h");
    set_expiry(&api, NS, &stuck, server_now(&api) - 60);
    set_expiry(&api, NS, &fine, server_now(&api) - 60);
    let stuck_path = format!("{}/jit-{stuck}", np_path(NS));
    // Every attempt at this one grant fails.
    api.inject_failure("DELETE", &stuck_path, 503, ATTEMPTS);

    let out = run(&admin(&api), "reap");
    // The access may still be open: cron must notice.
    out.expect_code(5);
    assert_eq!(
        summary(&out),
        "reap: listed 3, expired 2, deleted 1, failed 1"
    );
    assert!(
        out.stdout
            .contains(&format!("  FAILED {stuck} team-a/jit-{stuck}: ")),
        "{}",
        out.stdout
    );
    assert_eq!(
        requests_to(&api, "DELETE", &stuck_path),
        ATTEMPTS,
        "bounded retries"
    );
    assert!(
        stored(&api, NS, &fine).is_none(),
        "one failure stops nothing else"
    );
    assert!(stored(&api, NS, &stuck).is_some());

    let next = run(&admin(&api), "reap");
    next.success();
    assert_eq!(
        summary(&next),
        "reap: listed 2, expired 1, deleted 1, failed 0"
    );
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
}

#[test]
fn a_list_failing_past_every_retry_exits_5_and_the_next_run_finishes() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5430, "1h");
    let expired = grant(&jit, NS, 5431, "1h");
    set_expiry(&api, NS, &expired, server_now(&api) - 60);
    api.inject_failure("GET", ALL_NP_PATH, 500, ATTEMPTS);
    api.clear_requests();

    let out = run(&admin(&api), "reap");
    out.expect_code(5);
    assert!(
        summary(&out).starts_with("reap: FAILED: listing networkpolicies in all namespaces: "),
        "{}",
        out.stdout
    );
    assert!(api.writes().is_empty(), "nothing judged, nothing deleted");
    assert!(stored(&api, NS, &expired).is_some());

    run(&admin(&api), "reap").success();
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
}

// 8: reports, modes and scopes.

#[test]
fn the_json_report_counts_every_outcome() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let current = grant(&jit, NS, 5430, "1h");
    let a = grant(&jit, NS, 5431, "1h");
    let b = grant(&admin(&api), "team-b", 5432, "1h");
    set_expiry(&api, NS, &a, server_now(&api) - 60);
    set_expiry(&api, "team-b", &b, server_now(&api) - 60);

    let (out, report) = reap_json(&admin(&api), "");
    out.success();
    let ctx = &report["contexts"][0];
    assert_eq!(ctx["context"], Value::Null, "{report:#}");
    assert_eq!(ctx["listed"], 3, "{report:#}");
    assert_eq!(ctx["expired"], 2);
    assert_eq!(ctx["failed"], json!([]));
    assert_eq!(ctx["gone"], json!([]));
    assert_eq!(ctx["kept"], json!([]));
    assert_eq!(ctx["overdue"], json!([]));
    assert_eq!(ctx["unreadable_namespaces"], json!([]));
    assert_eq!(ctx["error"], Value::Null);
    let now: jiff::Timestamp = ctx["now"].as_str().unwrap().parse().unwrap();
    assert!((now.as_second() - server_now(&api)).abs() <= 5);
    let deleted = ctx["deleted"].as_array().unwrap();
    assert_eq!(deleted.len(), 2);
    // Sorted by namespace, then name.
    assert_eq!(deleted[0]["namespace"], "team-a");
    assert_eq!(deleted[0]["name"], format!("jit-{a}"));
    assert_eq!(deleted[0]["grant_id"], a.as_str());
    assert!(
        deleted[0]["why"]
            .as_str()
            .unwrap()
            .starts_with("expired at "),
        "{report:#}"
    );
    assert_eq!(deleted[1]["namespace"], "team-b");
    assert_eq!(deleted[1]["grant_id"], b.as_str());
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
    assert!(api.grants("team-b").is_empty());
}

#[test]
fn dry_run_deletes_nothing_and_says_what_would_go() {
    let api = FakeApi::start(World::standard());
    let id = grant(&alice(&api), NS, 5432, "1h");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    let before = stored(&api, NS, &id).unwrap();
    api.clear_requests();

    let out = run(&admin(&api), "reap --dry-run");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, would delete 1, failed 0"
    );
    assert!(
        out.stdout.contains(&format!("  would delete {id} team-a/")),
        "{}",
        out.stdout
    );
    assert_eq!(stored(&api, NS, &id).unwrap(), before);
    // Whatever was sent was a server-side dry run.
    assert!(
        api.writes().iter().all(|w| w.dry_run),
        "{:#?}",
        api.writes()
    );
}

#[test]
fn namespace_flag_limits_the_reap_to_that_namespace() {
    let api = FakeApi::start(World::standard());
    let a = grant(&alice(&api), NS, 5432, "1h");
    let b = grant(&admin(&api), "team-b", 5432, "1h");
    set_expiry(&api, NS, &a, server_now(&api) - 60);
    set_expiry(&api, "team-b", &b, server_now(&api) - 60);
    api.clear_requests();

    let out = run(&admin(&api), "reap -n team-a");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 1, failed 0"
    );
    assert!(stored(&api, NS, &a).is_none());
    assert!(stored(&api, "team-b", &b).is_some());
    assert_eq!(
        requests_to(&api, "GET", ALL_NP_PATH),
        0,
        "no cluster-wide list"
    );
}

#[test]
fn check_exits_6_only_when_a_grant_is_overdue_past_the_grace_and_deletes_nothing() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    grant(&jit, NS, 5430, "1h");
    let late = grant(&jit, NS, 5431, "1h");
    // Expired ten minutes ago: the reaper should have run by now.
    set_expiry(&api, NS, &late, server_now(&api) - 600);
    api.clear_requests();

    let out = run(&admin(&api), "reap --check");
    out.expect_code(6);
    assert_eq!(
        summary(&out),
        "reap --check: listed 2, expired 1, overdue 1 (grace 5m)"
    );
    assert!(
        out.stdout
            .contains(&format!("  overdue {late} team-a/jit-{late}: expired at ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("overdue by 10m"), "{}", out.stdout);

    let (out, report) = reap_json(&admin(&api), "--check --grace 5m");
    out.expect_code(6);
    assert_eq!(
        report["contexts"][0]["overdue"][0]["grant_id"],
        late.as_str()
    );
    assert_eq!(report["contexts"][0]["deleted"], json!([]));

    // Within a 15 minute grace the reaper is merely not there yet.
    let out = run(&admin(&api), "reap --check --grace 15m");
    out.success();
    assert_eq!(
        summary(&out),
        "reap --check: listed 2, expired 1, overdue 0 (grace 15m)"
    );

    assert!(api.writes().is_empty(), "{:#?}", api.writes());
    assert_eq!(api.grants(NS).len(), 2);
}

#[test]
fn a_user_who_cannot_list_cluster_wide_reaps_the_namespaces_it_can_read() {
    let api = FakeApi::start(World::standard());
    let mine = grant(&alice(&api), NS, 5432, "1h");
    let theirs = grant(&admin(&api), "team-b", 5432, "1h");
    set_expiry(&api, NS, &mine, server_now(&api) - 60);
    set_expiry(&api, "team-b", &theirs, server_now(&api) - 60);

    // No -n: alice may not list networkpolicies cluster-wide, so jit looks into each
    // namespace she can see.
    let out = run(&alice(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 1, expired 1, deleted 1, failed 0"
    );
    assert!(
        out.stdout
            .contains("  not allowed to list grants in: default, ops, team-b"),
        "{}",
        out.stdout
    );
    assert!(stored(&api, NS, &mine).is_none());
    assert!(stored(&api, "team-b", &theirs).is_some());

    let (_, report) = reap_json(&alice(&api), "");
    assert_eq!(
        report["contexts"][0]["unreadable_namespaces"],
        json!(["default", "ops", "team-b"])
    );
}

#[test]
fn an_unknown_context_fails_cleanly() {
    let api = FakeApi::start(World::standard());
    let out = run(&admin(&api), "reap --context nowhere");
    // Reported like any context that could not be reaped (so cron notices), naming it;
    // no panic, and nothing sent to any cluster.
    out.expect_code(5);
    assert!(
        out.stdout
            .starts_with("reap: context nowhere: FAILED: kubeconfig: "),
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(api.requests().is_empty(), "{:#?}", api.requests());
}

/// A kubeconfig with one context per (name, server URL), each as admin.
fn kubeconfig_with_contexts(dir: &std::path::Path, contexts: &[(&str, &str)]) -> String {
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for (name, url) in contexts {
        text += &format!("- name: {name}\n  cluster:\n    server: \"{url}\"\n");
    }
    text += "users:\n- name: admin\n  user:\n    token: token-admin\ncontexts:\n";
    for (name, _) in contexts {
        text += &format!("- name: {name}\n  context:\n    cluster: {name}\n    user: admin\n");
    }
    text += &format!("current-context: {}\n", contexts[0].0);
    let path = dir.join("kubeconfig");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn all_contexts_reaps_every_cluster_and_one_unreachable_cluster_stops_no_other() {
    let east = FakeApi::start(World::standard());
    let west = FakeApi::start(World::standard());
    let e = grant(&alice(&east), NS, 5432, "1h");
    let w = grant(&alice(&west), NS, 5432, "1h");
    set_expiry(&east, NS, &e, server_now(&east) - 60);
    set_expiry(&west, NS, &w, server_now(&west) - 60);
    let dir = tempfile::tempdir().unwrap();

    let both =
        kubeconfig_with_contexts(dir.path(), &[("east", &east.url()), ("west", &west.url())]);
    let out = run(&Jit::new().env("KUBECONFIG", &both), "reap --all-contexts");
    out.success();
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        lines,
        [
            "reap: context east: listed 1, expired 1, deleted 1, failed 0",
            "reap: context west: listed 1, expired 1, deleted 1, failed 0",
        ]
    );
    assert!(east.grants(NS).is_empty());
    assert!(west.grants(NS).is_empty());

    // Nothing listens on port 1 (a freed port of a stopped fake could be taken by another
    // test's fake, running in parallel).
    let gone_url = "http://127.0.0.1:1";
    let e = grant(&alice(&east), NS, 5433, "1h");
    set_expiry(&east, NS, &e, server_now(&east) - 60);
    let config = kubeconfig_with_contexts(dir.path(), &[("dead", gone_url), ("east", &east.url())]);
    let out = run(
        &Jit::new().env("KUBECONFIG", &config),
        "reap --context dead --context east",
    );
    out.expect_code(5);
    assert!(
        out.stdout.starts_with("reap: context dead: FAILED: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("reap: context east: listed 1, expired 1, deleted 1, failed 0"),
        "{}",
        out.stdout
    );
    assert!(east.grants(NS).is_empty());
}

// 9: unattended.

#[test]
fn reap_never_prompts_and_needs_no_terminal() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    // Many at once: what a bulk revoke would ask to confirm.
    let ids: Vec<String> = (0..4).map(|i| grant(&jit, NS, 6000 + i, "1h")).collect();
    for id in &ids {
        set_expiry(&api, NS, id, server_now(&api) - 60);
    }
    // stdin is closed (/dev/null) and stdout/stderr are pipes, as under cron.
    let admin = admin(&api);
    let mut child = admin.spawn(&["reap"]);
    assert!(child.stdin.is_none());
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "reap is waiting for something"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = Run::from(child.wait_with_output().unwrap());
    out.success();
    assert!(!out.stderr.contains("--yes"), "{}", out.stderr);
    assert!(api.grants(NS).is_empty());
    // No progress bar or spinner is drawn into the pipe: cron mail stays plain text.
    for text in [&out.stdout, &out.stderr] {
        assert!(
            !text.contains('\r') && !text.contains('\x1b'),
            "control characters in {text:?}"
        );
    }
}

#[test]
fn check_flags_a_grant_pushed_past_its_lifetime_but_not_one_that_just_ran_out() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let pushed = grant(&jit, NS, 5432, "1h");
    let ran_out = grant(&jit, NS, 5433, "1h");
    let now = server_now(&api);
    // Created half an hour ago and edited to stay open for a month: the reaper should
    // have removed it at its first run after the edit, so with no reaper this is overdue.
    edit(&api, NS, &pushed, |np| {
        np["metadata"]["creationTimestamp"] = Value::from(rfc3339(now - 1800));
        set_expiry_fields(np, now + 30 * 24 * 3600);
    });
    // Extended right up to its 24h limit, which passed a minute ago: not yet overdue.
    edit(&api, NS, &ran_out, |np| {
        np["metadata"]["creationTimestamp"] = Value::from(rfc3339(now - 24 * 3600 - 60));
        set_expiry_fields(np, now - 120);
    });

    let (out, report) = reap_json(&admin(&api), "--check");
    out.expect_code(6);
    let overdue = report["contexts"][0]["overdue"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{report:#}");
    assert_eq!(overdue[0]["grant_id"], pushed.as_str());
    assert!(
        overdue[0]["why"]
            .as_str()
            .unwrap()
            .starts_with("beyond the maximum lifetime"),
        "{report:#}"
    );
    assert_eq!(api.grants(NS).len(), 2, "--check deletes nothing");
}

#[test]
fn reap_follows_every_page_of_the_list() {
    let api = FakeApi::start(World::standard());
    let current = grant(&alice(&api), NS, 5432, "1h");
    // More expired grants than one list page holds (jit asks for 500 at a time).
    let template = stored(&api, NS, &current).unwrap();
    let past = server_now(&api) - 60;
    let expired: Vec<String> = (0..520).map(|i| format!("exp{i:05}")).collect();
    for id in &expired {
        let mut np = template.clone();
        let meta = np["metadata"].as_object_mut().unwrap();
        for server_owned in ["uid", "resourceVersion", "creationTimestamp"] {
            meta.remove(server_owned);
        }
        np["metadata"]["name"] = Value::from(format!("jit-{id}"));
        np["metadata"]["labels"][GRANT_ID] = Value::from(id.as_str());
        set_expiry_fields(&mut np, past);
        api.put_networkpolicy(NS, np);
    }
    api.clear_requests();

    let out = run(&admin(&api), "reap");
    out.success();
    assert_eq!(
        summary(&out),
        "reap: listed 521, expired 520, deleted 520, failed 0"
    );
    assert_eq!(names(&api, NS), [format!("jit-{current}")]);
    let lists: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == ALL_NP_PATH)
        .collect();
    assert_eq!(lists.len(), 2, "two pages");
    assert!(lists[1].query.contains_key("continue"), "{:#?}", lists[1]);
}

/// A reaper killed mid-run (SIGKILL: no cleanup at all) leaves nothing half-done: each
/// delete is atomic on the server, so the next run removes the rest, and only the rest.
#[test]
fn a_reap_killed_mid_run_leaves_nothing_inconsistent_and_the_next_run_finishes() {
    let api = FakeApi::start(World::standard());
    let current = grant(&alice(&api), NS, 5432, "1h");
    let template = stored(&api, NS, &current).unwrap();
    let past = server_now(&api) - 60;
    for i in 0..40 {
        let mut np = template.clone();
        let meta = np["metadata"].as_object_mut().unwrap();
        for server_owned in ["uid", "resourceVersion", "creationTimestamp"] {
            meta.remove(server_owned);
        }
        let id = format!("kill{i:04}");
        np["metadata"]["name"] = Value::from(format!("jit-{id}"));
        np["metadata"]["labels"][GRANT_ID] = Value::from(id.as_str());
        set_expiry_fields(&mut np, past);
        api.put_networkpolicy(NS, np);
    }
    // Slow enough that the kill lands while deletes are in flight.
    api.set_latency(std::time::Duration::from_millis(60));
    let reaper = admin(&api); // owns the kubeconfig: keep it alive while the child runs
    let mut child = reaper.spawn(&["reap"]);
    let started = std::time::Instant::now();
    while api.grants(NS).len() > 30 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the reap never started deleting"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let left = api.grants(NS).len();
    assert!(left > 1, "killed before it finished ({left} left)");

    api.set_latency(std::time::Duration::ZERO);
    let out = run(&reaper, "reap");
    out.success();
    assert_eq!(
        names(&api, NS),
        [format!("jit-{current}")],
        "{}",
        out.stdout
    );
}
