//! Grant safety on the real-cluster tier (runs when `JIT_E2E_KUBECONFIG` is set, says it was
//! skipped otherwise): a grant into a namespace nothing isolates is refused; after
//! `jit baseline` it succeeds; a source isolated for egress gets an egress side that is
//! created, revoked and reaped with its grant.
//!
//! - `JIT_E2E_SAFETY_NAMESPACE` (default `jit-e2e-safety`): a namespace of its own for these
//!   tests (`jit baseline` isolates all of it for the test's duration).
//! - `JIT_E2E_SOURCE_NAMESPACE` (default `jit-e2e-source`): where the client pod lives.
//!
//! The credentials must be able to create pods and NetworkPolicies in both. The test creates
//! one pod in each (never started: policies look only at labels) and deletes everything it
//! made, whatever the outcome. The same scenarios run against the fake API server too, so
//! this code cannot rot where no cluster is at hand.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use serde_json::{Value, json};

use crate::e2e::{client, e2e_kubeconfig, runtime};
use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run};

const TARGET: &str = "app=jit-e2e-db";
const CLIENT: &str = "app=jit-e2e-client";

struct Setup {
    kubeconfig: String,
    target_ns: String,
    source_ns: String,
    /// On a real cluster the pods are created (and removed); the fake is seeded with them.
    create_pods: bool,
}

fn real_cluster(test: &str) -> Option<Setup> {
    e2e_kubeconfig(test).map(|kubeconfig| Setup {
        kubeconfig,
        target_ns: env_or("JIT_E2E_SAFETY_NAMESPACE", "jit-e2e-safety"),
        source_ns: env_or("JIT_E2E_SOURCE_NAMESPACE", "jit-e2e-source"),
        create_pods: true,
    })
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The jit-labelled NetworkPolicies in `ns`.
fn jit_policies(setup: &Setup, ns: &str) -> Vec<NetworkPolicy> {
    runtime().block_on(async {
        let api: Api<NetworkPolicy> = Api::namespaced(client(&setup.kubeconfig).await, ns);
        api.list(&ListParams::default().labels("app.kubernetes.io/managed-by=jit"))
            .await
            .unwrap()
            .items
    })
}

/// The grants (not the baseline) in `ns`.
fn grants(setup: &Setup, ns: &str) -> Vec<NetworkPolicy> {
    jit_policies(setup, ns)
        .into_iter()
        .filter(|np| {
            np.metadata
                .labels
                .as_ref()
                .is_some_and(|l| l.contains_key("jit.dev/grant-id"))
        })
        .collect()
}

/// Removes what a scenario made, on drop: every jit policy in both namespaces, the
/// scenario's own policy and pods.
struct Cleanup<'a>(&'a Setup);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let setup = self.0;
        runtime().block_on(async {
            let client = client(&setup.kubeconfig).await;
            for ns in [&setup.target_ns, &setup.source_ns] {
                let api: Api<NetworkPolicy> = Api::namespaced(client.clone(), ns);
                let jit = ListParams::default().labels("app.kubernetes.io/managed-by=jit");
                let _ = api.delete_collection(&DeleteParams::default(), &jit).await;
                let _ = api
                    .delete("jit-e2e-deny-egress", &DeleteParams::default())
                    .await;
            }
            if setup.create_pods {
                for (ns, name) in [
                    (&setup.target_ns, "jit-e2e-db"),
                    (&setup.source_ns, "jit-e2e-client"),
                ] {
                    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
                    let _ = api.delete(name, &DeleteParams::default()).await;
                }
            }
        });
    }
}

fn create(setup: &Setup, objects: &[(&str, Value)]) {
    runtime().block_on(async {
        let client = client(&setup.kubeconfig).await;
        for (ns, object) in objects {
            let result = if object["kind"] == "Pod" {
                let pod: Pod = serde_json::from_value(object.clone()).unwrap();
                Api::<Pod>::namespaced(client.clone(), ns)
                    .create(&PostParams::default(), &pod)
                    .await
                    .map(|_| ())
            } else {
                let np: NetworkPolicy = serde_json::from_value(object.clone()).unwrap();
                Api::<NetworkPolicy>::namespaced(client.clone(), ns)
                    .create(&PostParams::default(), &np)
                    .await
                    .map(|_| ())
            };
            match result {
                Ok(()) => {}
                Err(kube::Error::Api(status)) if status.code == 409 => {}
                Err(err) => panic!("creating {object}: {err}"),
            }
        }
    });
}

fn pod(name: &str, app: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "infinity"]}]},
    })
}

fn jit(setup: &Setup) -> Jit {
    Jit::new().env("KUBECONFIG", &setup.kubeconfig)
}

fn run(setup: &Setup, args: &[&str]) -> Run {
    jit(setup).run(args)
}

fn grant_args<'a>(setup: &'a Setup, from: &'a str, ttl: &'a str) -> Vec<&'a str> {
    let mut args = vec!["grant", "-n", &setup.target_ns, "--to", TARGET];
    args.extend(from.split(' '));
    args.extend(["--port", "5432", "--ttl", ttl, "--reason", "jit e2e safety"]);
    args
}

#[test]
fn real_cluster_refusal_then_baseline_then_grant() {
    if let Some(setup) = real_cluster("real_cluster_refusal_then_baseline_then_grant") {
        refusal_then_baseline_then_grant(&setup);
    }
}

fn refusal_then_baseline_then_grant(setup: &Setup) {
    let _cleanup = Cleanup(setup);
    if setup.create_pods {
        create(
            setup,
            &[(&setup.target_ns, pod("jit-e2e-db", "jit-e2e-db"))],
        );
    }
    let client_in_target = format!("--from {CLIENT}");
    let out = run(setup, &grant_args(setup, &client_in_target, "5m"));
    out.expect_code(8);
    assert!(
        out.stderr
            .contains(&format!("`jit baseline -n {}`", setup.target_ns)),
        "{}",
        out.stderr
    );
    assert!(
        grants(setup, &setup.target_ns).is_empty(),
        "nothing written"
    );

    run(setup, &["baseline", "-n", &setup.target_ns, "--yes"]).success();
    let out = run(setup, &grant_args(setup, &client_in_target, "5m"));
    out.success();
    assert_eq!(grants(setup, &setup.target_ns).len(), 1, "{}", out.stdout);
}

#[test]
fn real_cluster_egress_pair_is_created_revoked_and_reaped_together() {
    if let Some(setup) = real_cluster("real_cluster_egress_pair") {
        egress_pair_is_created_revoked_and_reaped_together(&setup);
    }
}

fn egress_pair_is_created_revoked_and_reaped_together(setup: &Setup) {
    let _cleanup = Cleanup(setup);
    let mut objects = vec![(
        setup.source_ns.as_str(),
        json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "jit-e2e-deny-egress"},
            "spec": {"podSelector": {"matchLabels": {"app": "jit-e2e-client"}}, "policyTypes": ["Egress"]},
        }),
    )];
    if setup.create_pods {
        objects.push((&setup.target_ns, pod("jit-e2e-db", "jit-e2e-db")));
        objects.push((&setup.source_ns, pod("jit-e2e-client", "jit-e2e-client")));
    }
    create(setup, &objects);
    run(setup, &["baseline", "-n", &setup.target_ns, "--yes"]).success();
    let from = format!("--from-namespace {}:{CLIENT}", setup.source_ns);

    // Created together, revoked together.
    let mut args = grant_args(setup, &from, "10m");
    args.extend(["-o", "name"]);
    let out = run(setup, &args);
    out.success();
    assert_eq!(
        out.stdout.lines().count(),
        2,
        "two policies: {}",
        out.stdout
    );
    assert_eq!(grants(setup, &setup.target_ns).len(), 1);
    assert_eq!(grants(setup, &setup.source_ns).len(), 1);
    let id = grants(setup, &setup.target_ns)[0]
        .metadata
        .labels
        .as_ref()
        .unwrap()["jit.dev/grant-id"]
        .clone();
    run(setup, &["revoke", &id, "-n", &setup.target_ns]).success();
    assert!(grants(setup, &setup.target_ns).is_empty());
    assert!(grants(setup, &setup.source_ns).is_empty());

    // Reaped together.
    run(setup, &grant_args(setup, &from, "2s")).success();
    assert_eq!(grants(setup, &setup.source_ns).len(), 1);
    std::thread::sleep(std::time::Duration::from_secs(3));
    let out = run(setup, &["reap"]);
    out.success();
    assert!(grants(setup, &setup.target_ns).is_empty(), "{}", out.stdout);
    assert!(grants(setup, &setup.source_ns).is_empty(), "{}", out.stdout);
}

/// The scenarios against the fake API server, as admin: team-a as the target namespace
/// (nothing isolates it at first) and ops as the source.
#[test]
fn the_safety_tier_passes_against_the_fake_server() {
    let world = || {
        World::fixtures()
            .pod("team-a", "jit-e2e-db", &[("app", "jit-e2e-db")])
            .pod("ops", "jit-e2e-client", &[("app", "jit-e2e-client")])
    };
    for scenario in [
        refusal_then_baseline_then_grant as fn(&Setup),
        egress_pair_is_created_revoked_and_reaped_together,
    ] {
        let api = FakeApi::start(world());
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = api.kubeconfig(dir.path(), "admin", Some("team-a"));
        let setup = Setup {
            kubeconfig: kubeconfig.to_str().unwrap().to_string(),
            target_ns: "team-a".into(),
            source_ns: "ops".into(),
            create_pods: false,
        };
        scenario(&setup);
        assert!(jit_policies(&setup, "ops").is_empty(), "cleaned up");
    }
}
