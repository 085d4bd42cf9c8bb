//! `jit extend`: a new expiry from the API server's now, never past the grant's maximum
//! lifetime from its creationTimestamp, recorded with who, when and why; refused (and
//! nothing changed) when that is not possible.

use serde_json::Value;

use crate::fake_api::{FakeApi, World};
use crate::harness::Jit;
use crate::reap::{
    EXPIRES, EXPIRES_AT, NS, annotation, edit, grant, label, np_path, rfc3339, run, server_now,
    set_expiry, stored,
};

fn alice(api: &FakeApi) -> Jit {
    Jit::against(api, "alice", Some(NS))
}

fn patches(api: &FakeApi) -> usize {
    api.requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count()
}

#[test]
fn extend_moves_the_expiry_by_the_server_clock_and_records_who_and_why() {
    let api = FakeApi::start(World::standard());
    // The API server runs two hours behind this machine: the new expiry is an hour from
    // the *server's* now.
    api.set_clock_skew(-7200);
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "30m");
    let before = stored(&api, NS, &id).unwrap();
    api.clear_requests();

    let out = run(
        &jit,
        &format!("extend {id} --ttl 1h --reason 'INC-1: still digging'"),
    );
    out.success();
    let now = server_now(&api);
    let np = stored(&api, NS, &id).unwrap();
    let expires: i64 = label(&np, EXPIRES).parse().unwrap();
    assert!(
        (now + 3600 - 5..=now + 3600).contains(&expires),
        "expires {expires}, server now {now}"
    );
    assert_eq!(annotation(&np, EXPIRES_AT), rfc3339(expires));
    assert_eq!(annotation(&np, "jit.dev/extended-by"), "alice");
    let at: jiff::Timestamp = annotation(&np, "jit.dev/extended-at").parse().unwrap();
    assert!((now - at.as_second()).abs() <= 5, "extended-at {at}");
    assert_eq!(
        annotation(&np, "jit.dev/extend-reason"),
        "INC-1: still digging"
    );
    // Nothing else moved: the path, the requester, the original reason.
    assert_eq!(np["spec"], before["spec"]);
    for key in ["jit.dev/grant-id", "jit.dev/path", "jit.dev/requester-hash"] {
        assert_eq!(label(&np, key), label(&before, key), "{key}");
    }
    for key in ["jit.dev/requester", "jit.dev/reason", "jit.dev/created-at"] {
        assert_eq!(annotation(&np, key), annotation(&before, key), "{key}");
    }

    // One guarded merge patch.
    let writes = api.writes();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].method, "PATCH");
    assert_eq!(
        writes[0].content_type.as_deref(),
        Some("application/merge-patch+json")
    );
    assert_eq!(
        writes[0].body.as_ref().unwrap()["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
    assert!(
        out.stdout
            .starts_with(&format!("extended {id} for alice: expires ")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("expires in 59m") || out.stdout.contains("expires in 1h ("),
        "{}",
        out.stdout
    );
}

#[test]
fn extending_past_the_max_lifetime_is_refused_and_changes_nothing() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "30m");
    // Created 23 hours ago (by the server's clock): one hour of its 24h life is left.
    let created = server_now(&api) - 23 * 3600;
    edit(&api, NS, &id, |np| {
        np["metadata"]["creationTimestamp"] = Value::from(rfc3339(created));
    });
    let before = stored(&api, NS, &id).unwrap();
    api.clear_requests();

    let out = run(&jit, &format!("extend {id} --ttl 2h --reason r"));
    out.expect_code(2);
    // The limit, and where it comes from (TZ is UTC in the harness).
    let created_at = jiff::Timestamp::from_second(created)
        .unwrap()
        .strftime("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    assert!(
        out.stderr.contains("past its maximum lifetime")
            && out
                .stderr
                .contains(&format!("from its creation at {created_at})")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("at most 59m") || out.stderr.contains("at most 1h"),
        "{}",
        out.stderr
    );
    assert_eq!(stored(&api, NS, &id).unwrap(), before, "unchanged");
    assert_eq!(patches(&api), 0);

    // What is left of its life can still be given.
    run(&jit, &format!("extend {id} --ttl 45m --reason r")).success();
    let expires: i64 = label(&stored(&api, NS, &id).unwrap(), EXPIRES)
        .parse()
        .unwrap();
    assert!(expires >= server_now(&api) + 45 * 60 - 5);
}

#[test]
fn a_ttl_over_the_maximum_is_a_usage_error_before_any_request() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "30m");
    let before = stored(&api, NS, &id).unwrap();
    api.clear_requests();

    let out = run(&jit, &format!("extend {id} --ttl 9h --reason r"));
    out.expect_code(2);
    assert!(out.stderr.contains("--ttl"), "{}", out.stderr);
    assert!(out.stderr.contains("maximum of 8h"), "{}", out.stderr);
    assert!(api.requests().is_empty(), "{:#?}", api.requests());
    assert_eq!(stored(&api, NS, &id).unwrap(), before);
}

#[test]
fn an_expired_grant_cannot_be_extended() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "30m");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    let before = stored(&api, NS, &id).unwrap();
    api.clear_requests();

    let out = run(&jit, &format!("extend {id} --ttl 1h --reason r"));
    out.expect_code(2);
    assert!(
        out.stderr.contains(&format!(
            "grant {id} can no longer be extended: expired at "
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("jit grant"), "hint: {}", out.stderr);
    assert_eq!(stored(&api, NS, &id).unwrap(), before);
    assert_eq!(patches(&api), 0);
}

#[test]
fn an_unknown_id_is_a_usage_error_naming_it() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let out = run(&jit, "extend zzzz9999 --ttl 1h --reason r");
    out.expect_code(2);
    assert!(
        out.stderr.contains("no grant zzzz9999 in namespace team-a"),
        "{}",
        out.stderr
    );
    assert!(api.writes().is_empty());

    // With -A, the message says where jit looked.
    let out = run(&jit, "extend zzzz9999 --ttl 1h --reason r -A");
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("no grant zzzz9999 in any namespace you can list"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("-A looks"), "{}", out.stderr);

    let out = run(&jit, "extend 'not an id' --ttl 1h --reason r");
    out.expect_code(2);
    assert!(out.stderr.contains("is not a grant id"), "{}", out.stderr);
}

#[test]
fn a_grant_changed_while_being_extended_is_left_as_the_other_writer_left_it() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "30m");
    let expires = label(&stored(&api, NS, &id).unwrap(), EXPIRES);
    let name = format!("jit-{id}");
    // Someone changes the grant between extend's read and its patch.
    api.edit_before_next(
        "PATCH",
        &format!("{}/{name}", np_path(NS)),
        NS,
        &name,
        |np| np["metadata"]["annotations"]["jit.dev/reason"] = Value::from("edited"),
    );

    let out = run(&jit, &format!("extend {id} --ttl 1h --reason r"));
    out.expect_code(1);
    assert!(
        out.stderr.contains(&format!(
            "grant {id} changed while being extended; nothing was changed"
        )),
        "{}",
        out.stderr
    );
    let np = stored(&api, NS, &id).unwrap();
    assert_eq!(label(&np, EXPIRES), expires);
    assert_eq!(annotation(&np, "jit.dev/reason"), "edited");
    assert_eq!(annotation(&np, "jit.dev/extended-by"), "");
}

#[test]
fn all_namespaces_finds_a_grant_elsewhere() {
    let api = FakeApi::start(World::standard());
    let admin = Jit::against(&api, "admin", Some(NS));
    let id = grant(&admin, "team-b", 5432, "30m");

    let out = run(&admin, &format!("extend {id} --ttl 2h --reason r"));
    out.expect_code(2);
    assert!(out.stderr.contains("-A"), "hint: {}", out.stderr);

    run(&admin, &format!("extend {id} --ttl 2h --reason r -A")).success();
    let np = stored(&api, "team-b", &id).unwrap();
    let expires: i64 = label(&np, EXPIRES).parse().unwrap();
    assert!(expires >= server_now(&api) + 2 * 3600 - 5);
    assert_eq!(annotation(&np, "jit.dev/extended-by"), "admin");
}
