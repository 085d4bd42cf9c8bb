//! `jit rbac granter|reaper`: the RBAC printed by the binary, ready for `kubectl apply -f -`.

use serde_json::{Value, json};

use crate::harness::{Jit, Run};

fn documents(run: &Run) -> Vec<Value> {
    run.success();
    assert!(
        run.stdout.starts_with("# jit rbac "),
        "a comment says what it is\n{}",
        run.stdout
    );
    run.stdout
        .split("---\n")
        .map(|doc| serde_saphyr::from_str(doc).expect("each document parses"))
        .collect()
}

/// "Kind namespace/name" for each document.
fn summary(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| {
            format!(
                "{} {}/{}",
                d["kind"].as_str().unwrap(),
                d["metadata"]["namespace"].as_str().unwrap_or("-"),
                d["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn granter_binds_users_and_groups_in_each_namespace() {
    let run = Jit::new().run(&[
        "rbac", "granter", "team-a", "team-b", "--user", "alice", "--group", "devs",
    ]);
    let docs = documents(&run);
    assert_eq!(
        summary(&docs),
        [
            "Role team-a/jit-granter",
            "RoleBinding team-a/jit-granter:user:alice",
            "RoleBinding team-a/jit-granter:group:devs",
            "Role team-b/jit-granter",
            "RoleBinding team-b/jit-granter:user:alice",
            "RoleBinding team-b/jit-granter:group:devs",
            "ClusterRole -/jit-namespace-reader",
            "ClusterRoleBinding -/jit-namespace-reader:user:alice",
            "ClusterRoleBinding -/jit-namespace-reader:group:devs",
        ]
    );
    assert_eq!(
        docs[0]["rules"],
        json!([
            {"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies"],
             "verbs": ["create", "patch", "get", "list", "delete", "deletecollection"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
            {"apiGroups": [""], "resources": ["services"], "verbs": ["get"]},
        ])
    );
    assert_eq!(
        docs[1]["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "jit-granter"})
    );
    assert_eq!(
        docs[1]["subjects"],
        json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}])
    );
    assert_eq!(
        docs[2]["subjects"],
        json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"}])
    );
    assert_eq!(
        docs[6]["rules"],
        json!([{"apiGroups": [""], "resources": ["namespaces"], "verbs": ["get"]}])
    );
    assert_eq!(docs[7]["roleRef"]["kind"], "ClusterRole");
    assert_eq!(docs[7]["roleRef"]["name"], "jit-namespace-reader");
}

#[test]
fn granter_defaults_to_the_namespace_grant_would_use() {
    let namespaces = |run: &Run| -> Vec<String> {
        documents(run)
            .iter()
            .filter(|d| d["kind"] == "Role")
            .map(|d| d["metadata"]["namespace"].as_str().unwrap().to_owned())
            .collect()
    };
    let jit = Jit::new();
    assert_eq!(
        namespaces(&jit.run(&["rbac", "granter", "--user", "alice"])),
        ["default"]
    );
    assert_eq!(
        namespaces(&jit.run(&["rbac", "granter", "-n", "ops", "--user", "alice"])),
        ["ops"]
    );

    // The kubeconfig context's namespace, read from the file alone: nothing is contacted.
    let kubeconfig = jit.home().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n\
         clusters: [{name: k, cluster: {server: 'https://127.0.0.1:1'}}]\n\
         users: [{name: u, user: {token: t}}]\n\
         contexts: [{name: c, context: {cluster: k, user: u, namespace: team-c}}]\n",
    )
    .unwrap();
    let jit = Jit::new().env("KUBECONFIG", kubeconfig.to_str().unwrap());
    assert_eq!(
        namespaces(&jit.run(&["rbac", "granter", "--user", "alice"])),
        ["team-c"]
    );
    // Named namespaces win, each once.
    assert_eq!(
        namespaces(&jit.run(&["rbac", "granter", "x", "y", "x", "--user", "alice"])),
        ["x", "y"]
    );
}

#[test]
fn granter_without_anyone_to_bind_is_a_usage_error_naming_the_flags() {
    let run = Jit::new().run(&["rbac", "granter", "team-a"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("--user") && run.stderr.contains("--group"),
        "{}",
        run.stderr
    );
}

#[test]
fn granter_refuses_names_that_cannot_be_namespaces() {
    let run = Jit::new().run(&["rbac", "granter", "Team_A", "--user", "alice"]);
    run.expect_code(2);
    assert!(run.stderr.contains("Team_A"), "{}", run.stderr);

    let run = Jit::new().run(&["rbac", "granter", "team-a", "--user", ""]);
    run.expect_code(2);
    assert!(run.stderr.contains("--user"), "{}", run.stderr);
}

#[test]
fn granter_hint_matches_the_command() {
    // What `jit grant` suggests when refused is part of what `jit rbac granter` prints.
    let hint = jit::rbac::granter_role("team-a", "alice");
    let run = Jit::new().run(&["rbac", "granter", "team-a", "--user", "alice"]);
    run.success();
    assert!(run.stdout.contains(&hint), "{}\n---\n{hint}", run.stdout);
}

#[test]
fn reaper_binds_its_cluster_role_to_the_service_account_or_a_user() {
    let docs = documents(&Jit::new().run(&["rbac", "reaper"]));
    assert_eq!(
        summary(&docs),
        [
            "ClusterRole -/jit-reaper",
            "ClusterRoleBinding -/jit-reaper"
        ]
    );
    assert_eq!(
        docs[0]["rules"],
        json!([{"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies"], "verbs": ["list", "watch", "delete"]}])
    );
    assert_eq!(
        docs[1]["subjects"],
        json!([{"kind": "ServiceAccount", "name": "jit-reaper", "namespace": "jit-system"}])
    );

    let docs =
        documents(&Jit::new().run(&["rbac", "reaper", "--service-account", "security/reaper"]));
    assert_eq!(
        docs[1]["subjects"],
        json!([{"kind": "ServiceAccount", "name": "reaper", "namespace": "security"}])
    );

    let docs = documents(&Jit::new().run(&["rbac", "reaper", "--user", "reaper-bot"]));
    assert_eq!(
        docs[1]["subjects"],
        json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "reaper-bot"}])
    );
}

#[test]
fn reaper_rbac_is_the_one_in_the_reaper_manifest() {
    let rbac = documents(&Jit::new().run(&["rbac", "reaper"]));
    let manifest = Jit::new().run(&["reaper", "manifest"]);
    manifest.success();
    let manifest: Vec<Value> = manifest
        .stdout
        .split("---\n")
        .map(|doc| serde_saphyr::from_str(doc).unwrap())
        .collect();
    assert_eq!(rbac[0], manifest[1], "the ClusterRole");
    assert_eq!(rbac[1], manifest[2], "the ClusterRoleBinding");
}

#[test]
fn reaper_refuses_a_malformed_service_account() {
    for bad in ["jit-reaper", "/x", "ns/", "Ns/x", "a/b/c"] {
        let run = Jit::new().run(&["rbac", "reaper", "--service-account", bad]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("--service-account"),
            "{bad}: {}",
            run.stderr
        );
    }
    let run = Jit::new().run(&[
        "rbac",
        "reaper",
        "--user",
        "bot",
        "--service-account",
        "a/b",
    ]);
    run.expect_code(2);
}
