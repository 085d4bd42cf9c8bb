//! `jit list`: the grants in force and the overdue ones the reaper has not removed yet,
//! which `list` then removes itself (opportunistic reaping) unless configured not to.

use serde_json::{Value, json};

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run};
use crate::reap::{
    GRANT_ID, MANAGED_BY, NS, grant, plant_foreign, run, server_now, set_expiry, stored,
};

fn admin(api: &FakeApi) -> Jit {
    Jit::against(api, "admin", Some(NS))
}

fn alice(api: &FakeApi) -> Jit {
    Jit::against(api, "alice", Some(NS))
}

/// The table's cells, row by row (the header first). Columns are at least three spaces
/// apart; cells hold single spaces at most.
fn table(out: &Run) -> Vec<Vec<String>> {
    out.stdout
        .lines()
        .map(|line| {
            line.split("   ")
                .map(str::trim)
                .filter(|cell| !cell.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The row of grant `id`.
#[track_caller]
fn row(out: &Run, id: &str) -> Vec<String> {
    table(out)
        .into_iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row for {id}:\n{}", out.stdout))
}

/// The grant ids listed in the table, sorted.
fn listed(out: &Run) -> Vec<String> {
    let mut ids: Vec<String> = table(out)
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn the_table_shows_each_grant_and_the_overdue_one_before_removing_it() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let db = grant(&jit, NS, 5432, "30m");
    let out = run(
        &jit,
        "grant --to app=web --from-cidr 10.0.0.0/8 --port 53/UDP --ttl 2h --reason INC-2 -o json",
    );
    out.success();
    let web: Value = serde_json::from_str(&out.stdout).unwrap();
    let web = web["metadata"]["labels"][GRANT_ID]
        .as_str()
        .unwrap()
        .to_string();
    let overdue = grant(&jit, NS, 5433, "1h");
    set_expiry(&api, NS, &overdue, server_now(&api) - 60);

    let out = run(&jit, "list");
    out.success();
    let rows = table(&out);
    assert_eq!(
        rows[0],
        [
            "ID",
            "NAMESPACE",
            "TARGET",
            "SOURCES",
            "PORTS",
            "REQUESTER",
            "LEFT"
        ]
    );
    let r = row(&out, &db);
    assert_eq!(
        r[..6],
        [
            db.as_str(),
            "team-a",
            "app=db",
            "app=debug",
            "5432/TCP",
            "alice"
        ]
    );
    assert!(
        (r[6].starts_with("29m") || r[6] == "30m left") && r[6].ends_with(" left"),
        "{}",
        out.stdout
    );
    let r = row(&out, &web);
    assert_eq!(r[2..6], ["app=web", "10.0.0.0/8", "53/UDP", "alice"]);
    assert!(
        r[6].starts_with("1h 59m") || r[6] == "2h left",
        "{}",
        out.stdout
    );
    let r = row(&out, &overdue);
    assert_eq!(r[6], "OVERDUE", "{}", out.stdout);

    // Printed first, then removed on the way out.
    assert!(
        out.stderr
            .contains(&format!("jit: removed expired grant {overdue} ")),
        "{}",
        out.stderr
    );
    assert!(stored(&api, NS, &overdue).is_none());
    assert!(stored(&api, NS, &db).is_some());
    assert!(stored(&api, NS, &web).is_some());
}

#[test]
fn with_opportunistic_reaping_off_the_overdue_grant_stays() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api).config("opportunistic_reap: false\n");
    let overdue = grant(&jit, NS, 5433, "1h");
    set_expiry(&api, NS, &overdue, server_now(&api) - 60);
    api.clear_requests();

    let out = run(&jit, "list");
    out.success();
    assert_eq!(row(&out, &overdue)[6], "OVERDUE");
    assert!(stored(&api, NS, &overdue).is_some());
    assert!(api.writes().is_empty(), "{:#?}", api.writes());
}

#[test]
fn mine_shows_only_the_callers_grants() {
    let api = FakeApi::start(World::standard());
    let hers = grant(&alice(&api), NS, 5432, "1h");
    let his = grant(&admin(&api), NS, 5433, "1h");

    let out = run(&alice(&api), "list");
    out.success();
    assert_eq!(listed(&out), sorted(vec![hers.clone(), his.clone()]));
    assert_eq!(row(&out, &his)[5], "admin");

    let out = run(&alice(&api), "list --mine");
    out.success();
    assert_eq!(listed(&out), [hers.as_str()]);

    let out = run(&admin(&api), "list --mine");
    out.success();
    assert_eq!(listed(&out), [his]);
}

#[test]
fn all_namespaces_lists_every_readable_namespace() {
    let api = FakeApi::start(World::standard());
    let a = grant(&admin(&api), NS, 5432, "1h");
    let b = grant(&admin(&api), "team-b", 5432, "1h");

    let out = run(&admin(&api), "list");
    out.success();
    assert_eq!(listed(&out), [a.as_str()], "the context's namespace only");

    let out = run(&admin(&api), "list -A");
    out.success();
    assert_eq!(listed(&out), sorted(vec![a.clone(), b.clone()]));
    assert_eq!(row(&out, &b)[1], "team-b");

    // alice may read team-a only: she sees that, and is told what she could not see.
    let out = run(&alice(&api), "list -A");
    out.success();
    assert_eq!(listed(&out), [a]);
    assert!(
        out.stderr
            .contains("jit: not allowed to list grants in namespace team-b"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_and_yaml_print_the_grant_objects() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let ids = sorted(vec![
        grant(&jit, NS, 5432, "1h"),
        grant(&jit, NS, 5433, "1h"),
    ]);
    let check = |objects: Vec<Value>| {
        let mut seen: Vec<String> = objects
            .iter()
            .map(|np| {
                assert_eq!(np["kind"], "NetworkPolicy", "{np:#}");
                assert!(np["metadata"].get("managedFields").is_none(), "{np:#}");
                let id = np["metadata"]["labels"][GRANT_ID].as_str().unwrap();
                let live = stored(&api, NS, id).unwrap();
                assert_eq!(np["metadata"]["uid"], live["metadata"]["uid"]);
                assert_eq!(np["spec"], live["spec"]);
                id.to_string()
            })
            .collect();
        seen.sort();
        assert_eq!(seen, ids);
    };

    // One document, a kubectl-style List, whatever the count: jq and json.loads both read it.
    let items = |list: Value| -> Vec<Value> {
        assert_eq!(list["kind"], "List", "{list:#}");
        assert_eq!(list["apiVersion"], "v1", "{list:#}");
        list["items"].as_array().cloned().unwrap_or_default()
    };
    let out = run(&jit, "list -o json");
    out.success();
    let list: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    check(items(list));

    let out = run(&jit, "list -o yaml");
    out.success();
    let list: Value =
        serde_saphyr::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    check(items(list));

    let out = run(&jit, "list -o name");
    out.success();
    let expected: Vec<String> = ids
        .iter()
        .map(|id| format!("networkpolicy.networking.k8s.io/jit-{id}"))
        .collect();
    assert_eq!(
        sorted(out.stdout.lines().map(str::to_string).collect()),
        expected
    );
}

#[test]
fn wide_adds_the_expiry_and_the_reason() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    let id = grant(&jit, NS, 5432, "1h");
    let out = run(&jit, "list -o wide");
    out.success();
    assert_eq!(table(&out)[0][7..], ["EXPIRES", "REASON"]);
    let np = stored(&api, NS, &id).unwrap();
    let r = row(&out, &id);
    assert_eq!(
        r[7],
        np["metadata"]["annotations"]["jit.dev/expires-at"]
            .as_str()
            .unwrap()
    );
    assert_eq!(r[8], "INC-1");
}

#[test]
fn only_jits_grants_are_listed() {
    let api = FakeApi::start(World::standard());
    let jit = alice(&api);
    plant_foreign(&api, NS, "jit-abcd1234", json!({GRANT_ID: "abcd1234"}));
    plant_foreign(&api, NS, "jit-nogrant1", json!({MANAGED_BY: "jit"}));
    plant_foreign(
        &api,
        NS,
        "jit-helm0001",
        json!({MANAGED_BY: "helm", GRANT_ID: "helm0001"}),
    );

    let out = run(&jit, "list");
    out.success();
    assert_eq!(out.stdout, "no grants\n");

    let id = grant(&jit, NS, 5432, "1h");
    let out = run(&jit, "list");
    assert_eq!(listed(&out), [id]);
    // The 3 lookalikes, the grant and the namespace's default-deny policy.
    assert_eq!(api.networkpolicies(NS).len(), 5, "nothing removed");
}
