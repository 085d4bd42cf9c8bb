//! `jit revoke`: shutting paths during an incident. One deletecollection request when the
//! role allows it, one precondition delete per grant when it does not; only jit's grants,
//! only the ones asked for, and never without `--yes` off a terminal.

use serde_json::{Value, json};

use crate::fake_api::{FakeApi, Recorded, World};
use crate::harness::{Jit, Run};
use crate::reap::{
    GRANT_ID, MANAGED_BY, NS, grant, names, np_path, plant_foreign, run, server_now, set_expiry,
    stored,
};

fn admin(api: &FakeApi) -> Jit {
    Jit::against(api, "admin", Some(NS))
}

fn alice(api: &FakeApi) -> Jit {
    Jit::against(api, "alice", Some(NS))
}

fn deletes(api: &FakeApi) -> Vec<Recorded> {
    api.requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect()
}

/// Policies in team-a that only look like grants; no revoke may touch them.
fn plant_lookalikes(api: &FakeApi) -> Vec<String> {
    plant_foreign(api, NS, "jit-abcd1234", json!({GRANT_ID: "abcd1234"}));
    plant_foreign(
        api,
        NS,
        "jit-helm0001",
        json!({MANAGED_BY: "helm", GRANT_ID: "helm0001"}),
    );
    plant_foreign(api, NS, "jit-nogrant1", json!({MANAGED_BY: "jit"}));
    plant_foreign(
        api,
        NS,
        "jit-emptyid1",
        json!({MANAGED_BY: "jit", GRANT_ID: ""}),
    );
    let mut planted = vec![
        "jit-abcd1234".to_string(),
        "jit-helm0001".to_string(),
        "jit-nogrant1".to_string(),
        "jit-emptyid1".to_string(),
    ];
    planted.sort();
    planted
}

/// The grant ids named on `revoked …` lines, in order.
fn revoked_ids(out: &Run) -> Vec<String> {
    out.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("revoked "))
        .map(|rest| rest.split(' ').next().unwrap().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

const NOTE: &str = "connections established before the revoke may stay open";

#[test]
fn revoke_all_with_yes_is_one_deletecollection_request() {
    let api = FakeApi::start(World::standard());
    let jit = admin(&api);
    let ids: Vec<String> = (0..5).map(|i| grant(&jit, NS, 5000 + i, "1h")).collect();
    let elsewhere = grant(&jit, "team-b", 5000, "1h");
    let lookalikes = plant_lookalikes(&api);
    api.clear_requests();

    let out = run(&jit, "revoke --all -n team-a --yes");
    out.success();

    // The whole revoke is one round trip: a label-selected deletecollection in team-a, and
    // alongside it (not before) the SelfSubjectReview that names the actor in the audit log.
    let requests = api.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert!(
        requests
            .iter()
            .any(|r| r.method == "POST" && r.path.ends_with("/selfsubjectreviews")),
        "{requests:#?}"
    );
    let writes: Vec<_> = requests.iter().filter(|r| r.method != "POST").collect();
    assert_eq!(writes.len(), 1, "{requests:#?}");
    let delete = writes[0];
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.path, np_path(NS));
    let selector = delete.query.get("labelSelector").expect("label-selected");
    assert!(
        selector.contains("app.kubernetes.io/managed-by=jit"),
        "{selector}"
    );

    assert_eq!(
        sorted(revoked_ids(&out)),
        sorted(ids.clone()),
        "{}",
        out.stdout
    );
    for id in &ids {
        assert!(
            out.stdout.contains(&format!(
                "revoked {id} (networkpolicy team-a/jit-{id}, requested by admin)"
            )),
            "{}",
            out.stdout
        );
    }
    assert!(out.stderr.contains(NOTE), "{}", out.stderr);
    assert_eq!(names(&api, NS), lookalikes, "only grants went");
    assert!(stored(&api, "team-b", &elsewhere).is_some(), "only team-a");
}

#[test]
fn without_deletecollection_each_grant_is_deleted_on_its_own() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let ids: Vec<String> = (0..5).map(|i| grant(&jit, NS, 5000 + i, "1h")).collect();
    let lookalikes = plant_lookalikes(&api);
    api.clear_requests();

    // alice may delete each policy in team-a, but not deletecollection.
    let out = run(&jit, "revoke --all -n team-a --yes");
    out.success();

    let deletes = deletes(&api);
    let collection: Vec<&Recorded> = deletes.iter().filter(|r| r.path == np_path(NS)).collect();
    assert_eq!(collection.len(), 1, "tried the one request first");
    let single: Vec<&Recorded> = deletes.iter().filter(|r| r.path != np_path(NS)).collect();
    assert_eq!(single.len(), 5, "{deletes:#?}");
    for id in &ids {
        let path = format!("{}/jit-{id}", np_path(NS));
        let request = single
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no delete of {path}"));
        // Exactly the object that was listed.
        let preconditions = &request.body.as_ref().unwrap()["preconditions"];
        assert!(preconditions["uid"].is_string(), "{request:#?}");
        assert!(preconditions["resourceVersion"].is_string(), "{request:#?}");
    }
    assert_eq!(names(&api, NS), lookalikes);
    // People see which grants went, as with deletecollection.
    assert_eq!(sorted(revoked_ids(&out)), sorted(ids), "{}", out.stdout);
    assert!(out.stdout.contains("requested by alice"), "{}", out.stdout);
    assert!(out.stderr.contains(NOTE), "{}", out.stderr);
}

#[test]
fn revoke_one_grant_by_id() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let a = grant(&jit, NS, 5432, "1h");
    let b = grant(&jit, NS, 5433, "1h");
    let c = grant(&jit, NS, 5434, "1h");

    let out = run(&jit, &format!("revoke {a}"));
    out.success();
    assert_eq!(
        out.stdout,
        format!("revoked {a} (networkpolicy team-a/jit-{a}, requested by alice)\n")
    );
    assert!(out.stderr.contains(NOTE), "{}", out.stderr);
    assert!(stored(&api, NS, &a).is_none());

    // The policy name works as well as the id.
    run(&jit, &format!("revoke jit-{b}")).success();
    assert_eq!(names(&api, NS), [format!("jit-{c}")]);
}

#[test]
fn an_unknown_id_is_a_usage_error_naming_it_and_revokes_nothing() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let known = grant(&jit, NS, 5432, "1h");

    let out = run(&jit, "revoke zzzz9999");
    out.expect_code(2);
    assert!(
        out.stderr.contains("no grant zzzz9999 in namespace team-a"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("-A"), "hint: {}", out.stderr);

    // One known and one unknown: nothing at all is revoked.
    api.clear_requests();
    let out = run(&jit, &format!("revoke {known} zzzz9999"));
    out.expect_code(2);
    assert!(out.stderr.contains("no grant zzzz9999"), "{}", out.stderr);
    assert!(!out.stderr.contains(&known), "{}", out.stderr);
    assert!(deletes(&api).is_empty(), "{:#?}", deletes(&api));
    assert!(stored(&api, NS, &known).is_some());

    let out = run(&jit, "revoke Not_An_Id");
    out.expect_code(2);
    assert!(
        out.stderr.contains("\"Not_An_Id\" is not a grant id"),
        "{}",
        out.stderr
    );
}

#[test]
fn revoke_all_off_a_terminal_without_yes_refuses_and_names_yes() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    grant(&jit, NS, 5432, "1h");
    grant(&jit, NS, 5433, "1h");
    api.clear_requests();

    // stdin is closed: nobody can answer a prompt.
    let out = run(&jit, "revoke --all");
    out.expect_code(2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert!(deletes(&api).is_empty(), "{:#?}", deletes(&api));
    assert_eq!(api.grants(NS).len(), 2);
}

#[test]
fn revoke_user_removes_only_that_users_grants_in_every_namespace() {
    let api = FakeApi::start(World::standard());
    let alices: Vec<String> = (0..2)
        .map(|i| grant(&alice(&api), NS, 5000 + i, "1h"))
        .collect();
    let admins_a = grant(&admin(&api), NS, 6000, "1h");
    let admins_b = grant(&admin(&api), "team-b", 6000, "1h");
    // One of alice's grants in team-b too (copied there with her requester labels).
    let mut copy = stored(&api, NS, &alices[0]).unwrap();
    let meta = copy["metadata"].as_object_mut().unwrap();
    for server_owned in ["uid", "resourceVersion", "creationTimestamp", "namespace"] {
        meta.remove(server_owned);
    }
    copy["metadata"]["name"] = Value::from("jit-alicebbb");
    copy["metadata"]["labels"][GRANT_ID] = Value::from("alicebbb");
    api.put_networkpolicy("team-b", copy);

    let out = run(&admin(&api), "revoke --user alice -A --yes");
    out.success();
    let mut expected = alices.clone();
    expected.push("alicebbb".to_string());
    assert_eq!(
        sorted(revoked_ids(&out)),
        sorted(expected),
        "{}",
        out.stdout
    );
    assert_eq!(names(&api, NS), [format!("jit-{admins_a}")]);
    assert_eq!(names(&api, "team-b"), [format!("jit-{admins_b}")]);
}

#[test]
fn ids_in_other_namespaces_are_found_with_all_namespaces() {
    let api = FakeApi::start(World::standard());
    let jit = admin(&api);
    let here = grant(&jit, NS, 5432, "1h");
    let there = grant(&jit, "team-b", 5432, "1h");
    let stays = grant(&jit, "team-b", 5433, "1h");

    // The context's namespace is team-a: not found there.
    let out = run(&jit, &format!("revoke {there}"));
    out.expect_code(2);
    assert!(
        out.stderr.contains(&format!("no grant {there}")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("-A"), "{}", out.stderr);
    assert!(stored(&api, "team-b", &there).is_some());

    let out = run(&jit, &format!("revoke {here} {there} -A"));
    out.success();
    assert_eq!(
        sorted(revoked_ids(&out)),
        sorted(vec![here.clone(), there.clone()])
    );
    assert!(stored(&api, NS, &here).is_none());
    assert!(stored(&api, "team-b", &there).is_none());
    assert!(stored(&api, "team-b", &stays).is_some());
}

#[test]
fn revoke_also_takes_expired_grants() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "1h");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    let out = run(&jit, &format!("revoke {id}"));
    out.success();
    assert_eq!(revoked_ids(&out), [id.as_str()]);
    assert!(stored(&api, NS, &id).is_none());
}

#[test]
fn revoke_prints_the_revoked_objects_on_request() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "1h");
    let out = run(&jit, &format!("revoke {id} -o name"));
    out.success();
    assert_eq!(
        out.stdout,
        format!("networkpolicy.networking.k8s.io/jit-{id}\n")
    );
}
