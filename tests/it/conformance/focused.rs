//! Behaviour of the fake that the captured fixtures do not show.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::client::{Client, Response};
use crate::fake_api::{FakeApi, Rule, World};

const TEAM_A: &str = "/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies";

fn policy(name: &str, labels: Value) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "podSelector": {"matchLabels": {"app": "db"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432}]}],
        },
    })
}

fn names(list: &Response) -> Vec<String> {
    list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn pagination_with_limit_2_visits_each_of_5_objects_once() {
    let api = FakeApi::start(World::fixtures());
    for name in ["p-e", "p-b", "p-d", "p-a", "p-c"] {
        api.put_networkpolicy("team-a", policy(name, json!({"set": "paged"})));
    }
    let admin = Client::new(&api, Some("admin"));
    let mut seen = Vec::new();
    let mut remaining_counts = Vec::new();
    let mut token = String::new();
    loop {
        let mut query = vec![("limit", "2")];
        if !token.is_empty() {
            query.push(("continue", token.as_str()));
        }
        let page = admin.get(TEAM_A, &query);
        assert_eq!(page.status, 200, "{:#}", page.body);
        assert!(names(&page).len() <= 2);
        seen.extend(names(&page));
        remaining_counts.push(page.body["metadata"]["remainingItemCount"].as_u64());
        match page.body["metadata"]["continue"].as_str() {
            Some(next) => token = next.to_string(),
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["p-a", "p-b", "p-c", "p-d", "p-e"],
        "every object once, in name order"
    );
    // Unfiltered lists say how many remain; the last page has no continue and no count.
    assert_eq!(remaining_counts, [Some(3), Some(1), None]);

    // With a selector the server cannot count what remains, so it does not say.
    let filtered = admin.get(TEAM_A, &[("limit", "2"), ("labelSelector", "set=paged")]);
    assert!(filtered.body["metadata"]["continue"].is_string());
    assert!(
        filtered.body["metadata"]
            .get("remainingItemCount")
            .is_none()
    );
}

#[test]
fn cluster_wide_lists_are_ordered_by_namespace_then_name() {
    let api = FakeApi::start(World::fixtures());
    api.put_networkpolicy("team-b", policy("a", json!({})));
    api.put_networkpolicy("team-a", policy("z", json!({})));
    api.put_networkpolicy("ops", policy("m", json!({})));
    let list =
        Client::new(&api, Some("admin")).get("/apis/networking.k8s.io/v1/networkpolicies", &[]);
    let namespaced: Vec<String> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i["metadata"]["namespace"].as_str().unwrap(),
                i["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(namespaced, ["ops/m", "team-a/z", "team-b/a"]);
}

#[test]
fn label_selector_forms() {
    let api = FakeApi::start(World::fixtures());
    let alice = Client::new(&api, Some("alice"));
    let pods = |selector: &str| -> BTreeSet<String> {
        let list = alice.get(
            "/api/v1/namespaces/team-a/pods",
            &[("labelSelector", selector)],
        );
        assert_eq!(list.status, 200, "{selector}: {:#}", list.body);
        names(&list).into_iter().collect()
    };
    let set =
        |items: &[&str]| -> BTreeSet<String> { items.iter().map(|s| s.to_string()).collect() };
    // team-a pods: db (app=db), web (app=web), debug (app=debug), cache (app=db, tier=cache).
    assert_eq!(pods("app=db"), set(&["cache", "db"]));
    assert_eq!(pods("app==db"), set(&["cache", "db"]));
    assert_eq!(pods("app!=db"), set(&["debug", "web"]));
    assert_eq!(pods("app in (web, debug)"), set(&["debug", "web"]));
    assert_eq!(pods("app notin (db)"), set(&["debug", "web"]));
    assert_eq!(pods("tier"), set(&["cache"]));
    assert_eq!(pods("!tier"), set(&["db", "debug", "web"]));
    assert_eq!(pods("app=db,!tier"), set(&["db"]));
    assert_eq!(pods("app=db, tier=cache"), set(&["cache"]));
    assert_eq!(
        pods("tier notin (cache)"),
        set(&["db", "debug", "web"]),
        "notin also matches a missing key"
    );
    assert_eq!(pods(""), set(&["cache", "db", "debug", "web"]));

    for (bad, message) in [
        (
            "app===",
            "unable to parse requirement: found '=', expected: identifier",
        ),
        (
            "app in (db",
            "unable to parse requirement: found '', expected: ',' or ')'",
        ),
        (
            "=db",
            "found '=', expected: !, identifier, or 'end of string'",
        ),
        ("app=db,", "found '', expected: identifier after ','"),
        (
            "app db",
            "unable to parse requirement: found 'db', expected: in, notin, =, ==, !=, gt, lt",
        ),
    ] {
        let response = alice.get("/api/v1/namespaces/team-a/pods", &[("labelSelector", bad)]);
        assert_eq!(response.status, 400, "{bad}");
        assert_eq!(response.body["reason"], "BadRequest", "{bad}");
        assert_eq!(response.body["message"], message, "{bad}");
    }
}

#[test]
fn apply_by_the_same_manager_updates_and_drops_what_it_no_longer_sends() {
    let api = FakeApi::start(World::fixtures());
    let alice = Client::new(&api, Some("alice"));
    let path = format!("{TEAM_A}/grant");
    let jit = [("fieldManager", "jit")];
    let first = policy("grant", json!({"a": "1", "b": "2"}));
    let created = alice.apply(&path, &jit, &first);
    assert_eq!(created.status, 201, "{:#}", created.body);
    assert_eq!(
        created.body["spec"]["ingress"][0]["ports"][0]["protocol"], "TCP",
        "defaulted"
    );
    assert_eq!(
        created.body["spec"]["policyTypes"],
        json!(["Ingress"]),
        "defaulted"
    );

    let mut second = policy("grant", json!({"a": "1"}));
    second["spec"]["ingress"][0]["ports"][0]["port"] = json!(6432);
    let updated = alice.apply(&path, &jit, &second);
    assert_eq!(updated.status, 200, "{:#}", updated.body);
    let meta = &updated.body["metadata"];
    assert_ne!(
        meta["resourceVersion"],
        created.body["metadata"]["resourceVersion"]
    );
    assert_eq!(meta["uid"], created.body["metadata"]["uid"]);
    assert_eq!(meta["generation"], 2, "spec changed");
    assert_eq!(
        meta["labels"],
        json!({"a": "1"}),
        "label b is no longer applied, so it is gone"
    );
    let stored = api.networkpolicy("team-a", "grant").expect("stored");
    assert_eq!(stored["spec"]["ingress"][0]["ports"][0]["port"], 6432);
    assert_eq!(
        stored["metadata"]["managedFields"]
            .as_array()
            .expect("managedFields")
            .len(),
        1
    );

    // Another manager changing jit's field conflicts; with force it takes the field over.
    let mut other = policy("grant", json!({"a": "1"}));
    other["spec"]["ingress"][0]["ports"][0]["port"] = json!(7432);
    let conflict = alice.apply(&path, &[("fieldManager", "other")], &other);
    assert_eq!(conflict.status, 409, "{:#}", conflict.body);
    assert_eq!(
        conflict.body["message"],
        "Apply failed with 1 conflict: conflict with \"jit\": .spec.ingress",
        "podSelector and the label are unchanged, so only ingress conflicts"
    );
    let forced = alice.apply(
        &path,
        &[("fieldManager", "other"), ("force", "true")],
        &other,
    );
    assert_eq!(forced.status, 200, "{:#}", forced.body);
    let owners: Vec<&str> = forced.body["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .map(|e| e["manager"].as_str().expect("manager"))
        .collect();
    assert_eq!(
        owners,
        ["jit", "other"],
        "both still own something (the label is shared)"
    );
    assert_eq!(
        forced.body["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"].get("f:ingress"),
        None
    );

    let missing_manager = alice.apply(&path, &[], &other);
    assert_eq!(missing_manager.status, 422);
    assert_eq!(
        missing_manager.body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
}

#[test]
fn apply_over_a_posted_object_names_the_update_manager_in_conflicts() {
    let api = FakeApi::start(World::fixtures());
    let alice = Client::new(&api, Some("alice"));
    let posted = alice.post(TEAM_A, &policy("handmade", json!({"a": "1"})));
    assert_eq!(posted.status, 201);
    let at = posted.body["metadata"]["managedFields"][0]["time"]
        .as_str()
        .expect("time")
        .to_string();
    let mut changed = policy("handmade", json!({"a": "1"}));
    changed["spec"]["podSelector"] = json!({"matchLabels": {"app": "cache"}});
    changed["spec"]["ingress"][0]["ports"][0]["port"] = json!(1);
    let conflict = alice.apply(
        &format!("{TEAM_A}/handmade"),
        &[("fieldManager", "jit")],
        &changed,
    );
    assert_eq!(conflict.status, 409, "{:#}", conflict.body);
    let owner = format!("\"python-requests\" using networking.k8s.io/v1 at {at}");
    assert_eq!(
        conflict.body["message"],
        format!(
            "Apply failed with 2 conflicts: conflicts with {owner}:\n- .spec.ingress\n- .spec.podSelector"
        )
    );
    assert_eq!(
        conflict.body["details"]["causes"][1]["field"],
        ".spec.podSelector"
    );
    // Sending the values it already has shares ownership instead of conflicting.
    let same = alice.apply(
        &format!("{TEAM_A}/handmade"),
        &[("fieldManager", "jit")],
        &policy("handmade", json!({"a": "1"})),
    );
    assert_eq!(same.status, 200, "{:#}", same.body);
    let managers: Vec<&str> = same.body["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .map(|e| e["manager"].as_str().expect("manager"))
        .collect();
    assert_eq!(managers, ["python-requests", "jit"]);
    assert_eq!(
        same.body["metadata"]["generation"], 1,
        "the spec did not change"
    );
}

#[test]
fn apply_that_creates_needs_create_permission_too() {
    let patch_only = Rule::new(
        Some("team-a"),
        "networking.k8s.io",
        &["networkpolicies"],
        &["get", "patch"],
    );
    let api = FakeApi::start(World::fixtures().user("bob", &[], vec![patch_only]));
    let bob = Client::new(&api, Some("bob"));
    let denied = bob.apply(
        &format!("{TEAM_A}/new"),
        &[("fieldManager", "jit")],
        &policy("new", json!({})),
    );
    assert_eq!(denied.status, 403, "{:#}", denied.body);
    assert_eq!(
        denied.body["message"],
        "networkpolicies.networking.k8s.io \"new\" is forbidden: User \"bob\" cannot create resource \
         \"networkpolicies\" in API group \"networking.k8s.io\" in the namespace \"team-a\""
    );
    api.put_networkpolicy("team-a", policy("existing", json!({})));
    let allowed = bob.apply(
        &format!("{TEAM_A}/existing"),
        &[("fieldManager", "jit")],
        &policy("existing", json!({"x": "y"})),
    );
    assert_eq!(allowed.status, 200, "{:#}", allowed.body);
}

#[test]
fn access_reviews_follow_the_enforced_rules() {
    let api = FakeApi::start(World::fixtures());
    let review = |user: &str, attrs: Value| -> Value {
        let body = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": attrs}});
        let response = Client::new(&api, Some(user)).post(
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            &body,
        );
        assert_eq!(response.status, 201, "{:#}", response.body);
        response.body["status"].clone()
    };
    let pods_anywhere = json!({"verb": "list", "resource": "pods"});
    assert_eq!(
        review("alice", pods_anywhere.clone())["allowed"],
        true,
        "cluster scope"
    );
    assert_eq!(review("mallory", pods_anywhere)["allowed"], false);
    assert_eq!(
        review(
            "admin",
            json!({"verb": "deletecollection", "group": "networking.k8s.io", "resource": "networkpolicies"})
        ),
        json!({"allowed": true})
    );
    let cluster_netpols =
        json!({"verb": "list", "group": "networking.k8s.io", "resource": "networkpolicies"});
    assert_eq!(review("alice", cluster_netpols), json!({"allowed": false}));
}

#[test]
fn merge_patch_resource_version_is_a_precondition() {
    let api = FakeApi::start(World::fixtures());
    let alice = Client::new(&api, Some("alice"));
    let created = alice.post(TEAM_A, &policy("cas", json!({"state": "one"})));
    assert_eq!(created.status, 201);
    let rv = created.body["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .to_string();
    let patch = |rv: &str, state: &str| {
        let body = json!({"metadata": {"resourceVersion": rv, "labels": {"state": state}}});
        alice.send(
            "PATCH",
            &format!("{TEAM_A}/cas"),
            &[],
            Some("application/merge-patch+json"),
            Some(&body),
        )
    };
    let first = patch(&rv, "two");
    assert_eq!(first.status, 200, "{:#}", first.body);
    assert_eq!(first.body["metadata"]["labels"]["state"], "two");
    let stale = patch(&rv, "three");
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.body["message"],
        "Operation cannot be fulfilled on networkpolicies.networking.k8s.io \"cas\": the object has been \
         modified; please apply your changes to the latest version and try again"
    );
}

#[test]
fn validation_wording_beyond_the_fixtures() {
    let api = FakeApi::start(World::fixtures());
    let admin = Client::new(&api, Some("admin"));
    let invalid = |edit: &dyn Fn(&mut Value)| -> String {
        let mut body = policy("v", json!({}));
        edit(&mut body);
        let response = admin.post(TEAM_A, &body);
        assert_eq!(response.status, 422, "{:#}", response.body);
        response.body["message"]
            .as_str()
            .expect("message")
            .to_string()
    };
    let prefix = "NetworkPolicy.networking.k8s.io \"v\" is invalid: ";
    let port = "spec.ingress[0].ports[0]";
    assert_eq!(
        invalid(
            &|b| b["spec"]["ingress"][0]["ports"][0] = json!({"port": "postgres", "endPort": 9000})
        ),
        format!(
            "{prefix}{port}.endPort: Invalid value: 9000: may not be specified when `port` is non-numeric"
        )
    );
    assert_eq!(
        invalid(&|b| b["spec"]["ingress"][0]["ports"][0]["protocol"] = json!("ICMP")),
        format!(
            "{prefix}{port}.protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""
        )
    );
    assert_eq!(
        invalid(&|b| b["spec"]["ingress"][0]["from"][0] =
            json!({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["192.168.0.0/16"]}})),
        format!(
            "{prefix}spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict subset of `cidr`"
        )
    );
    assert_eq!(
        invalid(
            &|b| b["spec"]["ingress"][0]["from"][0] = json!({"ipBlock": {"cidr": "fd00::/129"}})
        ),
        format!(
            "{prefix}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"fd00::/129\": must be a valid CIDR value, \
             (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        )
    );
    assert_eq!(
        invalid(&|b| b["spec"]["policyTypes"] = json!(["Sideways"])),
        format!(
            "{prefix}spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""
        )
    );
    let too_big =
        invalid(&|b| b["metadata"]["annotations"] = json!({"big": "x".repeat(256 * 1024)}));
    assert_eq!(
        too_big,
        format!("{prefix}metadata.annotations: Too long: may not be more than 262144 bytes")
    );
    let name = admin.post(TEAM_A, &policy("Not_A_Name", json!({})));
    assert_eq!(name.status, 422);
    assert!(
        name.body["message"].as_str().unwrap().contains(
            "metadata.name: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 subdomain"
        )
    );
    let ok = admin.post(TEAM_A, &{
        let mut b = policy("v6", json!({}));
        b["spec"]["ingress"][0]["from"][0] =
            json!({"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}});
        b
    });
    assert_eq!(ok.status, 201, "{:#}", ok.body);
}

#[test]
fn writes_into_a_missing_namespace_are_404() {
    let api = FakeApi::start(World::fixtures());
    let admin = Client::new(&api, Some("admin"));
    let path = "/apis/networking.k8s.io/v1/namespaces/nope/networkpolicies";
    for response in [
        admin.post(path, &policy("x", json!({}))),
        admin.apply(
            &format!("{path}/x"),
            &[("fieldManager", "jit")],
            &policy("x", json!({})),
        ),
    ] {
        assert_eq!(response.status, 404, "{:#}", response.body);
        assert_eq!(response.body["message"], "namespaces \"nope\" not found");
        assert_eq!(
            response.body["details"],
            json!({"name": "nope", "kind": "namespaces"})
        );
    }
}

#[test]
fn dry_runs_store_nothing_and_are_recorded_as_dry_writes() {
    let api = FakeApi::start(World::fixtures());
    let admin = Client::new(&api, Some("admin"));
    api.put_networkpolicy("team-a", policy("keep", json!({"x": "y"})));
    admin.post(
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        &json!({}),
    );
    let dry = [("dryRun", "All")];
    let deleted = admin.send(
        "DELETE",
        TEAM_A,
        &[("labelSelector", "x=y"), ("dryRun", "All")],
        None,
        None,
    );
    assert_eq!(names(&deleted), ["keep"]);
    let one = admin.send("DELETE", &format!("{TEAM_A}/keep"), &dry, None, None);
    assert_eq!(one.status, 200);
    assert!(api.networkpolicy("team-a", "keep").is_some(), "still there");
    let writes = api.writes();
    assert_eq!(
        writes.len(),
        2,
        "the review POST is not a write: {writes:?}"
    );
    assert!(
        writes
            .iter()
            .all(|w| w.dry_run && w.user.as_deref() == Some("admin"))
    );
    assert_eq!(api.requests().len(), 3);
    api.clear_requests();
    assert!(api.requests().is_empty());
}

#[test]
fn injected_429_carries_retry_after_then_requests_succeed() {
    let api = FakeApi::start(World::fixtures());
    api.inject_failure("GET", "/api/v1/namespaces", 429, 1);
    let alice = Client::new(&api, Some("alice"));
    let limited = alice.get("/api/v1/namespaces/team-a", &[]);
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.headers.get("retry-after").map(String::as_str),
        Some("1")
    );
    assert_eq!(limited.body["reason"], "TooManyRequests");
    assert_eq!(limited.body["code"], 429);
    assert_eq!(alice.get("/api/v1/namespaces/team-a", &[]).status, 200);

    api.inject_failure("POST", "/apis/", 500, 1);
    let failed = alice.post(TEAM_A, &policy("x", json!({})));
    assert_eq!(
        (failed.status, failed.body["reason"].as_str()),
        (500, Some("InternalError"))
    );
}

#[test]
fn date_header_and_timestamps_follow_the_clock_skew() {
    let api = FakeApi::start(World::fixtures());
    let skew: i64 = -3 * 86_400;
    api.set_clock_skew(skew);
    let expected = SystemTime::now() - Duration::from_secs(skew.unsigned_abs());
    let near = |t: SystemTime| {
        t.duration_since(expected).unwrap_or_else(|e| e.duration()) < Duration::from_secs(5)
    };
    assert!(near(api.now()));
    let created = Client::new(&api, Some("admin")).post(TEAM_A, &policy("skewed", json!({})));
    let date = jiff::fmt::rfc2822::parse(&created.headers["date"])
        .expect("IMF-fixdate")
        .timestamp();
    assert!(
        near(SystemTime::from(date)),
        "Date {}",
        created.headers["date"]
    );
    let stamp: jiff::Timestamp = created.body["metadata"]["creationTimestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(near(SystemTime::from(stamp)));
}

#[test]
fn bad_or_missing_token_is_401() {
    let api = FakeApi::start(World::fixtures());
    for client in [
        Client::with_token(&api, Some("token-nobody".into())),
        Client::with_token(&api, None),
    ] {
        let response = client.get("/version", &[]);
        assert_eq!(response.status, 401);
        assert_eq!(response.body["reason"], "Unauthorized");
        assert_eq!(response.body["message"], "Unauthorized");
    }
    assert_eq!(api.requests()[0].user, None);
}

#[test]
fn disabled_apis_and_unknown_paths_are_404() {
    let api = FakeApi::start(World::fixtures());
    api.disable_api("/apis/authentication.k8s.io/v1/");
    let alice = Client::new(&api, Some("alice"));
    for response in [
        alice.post(
            "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            &json!({}),
        ),
        alice.get("/apis/example.com/v1/widgets", &[]),
    ] {
        assert_eq!(response.status, 404);
        assert_eq!(
            response.body["message"],
            "the server could not find the requested resource"
        );
    }
}

#[test]
fn kubeconfig_names_the_server_the_user_and_the_namespace() {
    let api = FakeApi::start(World::fixtures());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = api.kubeconfig(dir.path(), "alice", Some("team-a"));
    let text = std::fs::read_to_string(path).expect("kubeconfig");
    assert!(text.contains(&format!("server: \"{}\"", api.url())));
    assert!(text.contains("token: \"token-alice\""));
    assert!(text.contains("namespace: \"team-a\""));
    assert!(text.contains("current-context: \"alice@fake\""));
}
