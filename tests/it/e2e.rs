//! The real-cluster tier: runs when `JIT_E2E_KUBECONFIG` names a kubeconfig for a cluster
//! that enforces RBAC, and says it was skipped otherwise.
//!
//! - `JIT_E2E_KUBECONFIG`: credentials allowed to grant in `JIT_E2E_NAMESPACE`.
//! - `JIT_E2E_NAMESPACE`: an existing namespace to grant in (default `jit-e2e`).
//! - `JIT_E2E_DENIED_NAMESPACE` (optional): a namespace the same credentials may not write.
//!
//! Every policy a test creates is deleted again through kube, whatever the outcome.

use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, DeleteParams, ListParams};

use crate::harness::Jit;

struct RealCluster {
    kubeconfig: String,
    namespace: String,
    denied_namespace: Option<String>,
}

/// `JIT_E2E_KUBECONFIG`, or `None` after saying that `test` was skipped. Every file of the
/// real-cluster tier starts here.
pub(crate) fn e2e_kubeconfig(test: &str) -> Option<String> {
    match std::env::var("JIT_E2E_KUBECONFIG") {
        Ok(kubeconfig) if !kubeconfig.is_empty() => Some(kubeconfig),
        _ => {
            eprintln!("skipped {test}: JIT_E2E_KUBECONFIG is not set (the real-cluster tier)");
            None
        }
    }
}

fn real_cluster(test: &str) -> Option<RealCluster> {
    e2e_kubeconfig(test).map(|kubeconfig| RealCluster {
        kubeconfig,
        namespace: std::env::var("JIT_E2E_NAMESPACE").unwrap_or_else(|_| "jit-e2e".into()),
        denied_namespace: std::env::var("JIT_E2E_DENIED_NAMESPACE")
            .ok()
            .filter(|ns| !ns.is_empty()),
    })
}

/// A kube client for the tier's own checks and clean-up, from `kubeconfig`.
pub(crate) async fn client(kubeconfig: &str) -> kube::Client {
    let kubeconfig = kube::config::Kubeconfig::read_from(kubeconfig).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    kube::Client::try_from(config).unwrap()
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Deletes the policy on drop, so a failing assertion leaves no open path behind.
struct Cleanup<'a>(&'a RealCluster, String);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        runtime().block_on(async {
            let api: Api<NetworkPolicy> =
                Api::namespaced(client(&self.0.kubeconfig).await, &self.0.namespace);
            let _ = api.delete(&self.1, &DeleteParams::default()).await;
        });
    }
}

#[test]
fn real_cluster_grant_writes_the_policy_with_a_server_clock_expiry() {
    if let Some(cluster) = real_cluster("real_cluster_grant") {
        grant_writes_the_policy_with_a_server_clock_expiry(&cluster);
    }
}

fn grant_writes_the_policy_with_a_server_clock_expiry(cluster: &RealCluster) {
    let jit = Jit::new().env("KUBECONFIG", &cluster.kubeconfig);
    let started = jiff::Timestamp::now();
    let out = jit.run(&[
        "grant",
        "-n",
        &cluster.namespace,
        "--to",
        "app=jit-e2e-db",
        "--from",
        "app=jit-e2e-debug",
        "--port",
        "5432",
        "--ttl",
        "2m",
        "--reason",
        "jit e2e test",
        "-o",
        "name",
    ]);
    out.success();
    let name = out
        .stdout
        .trim()
        .trim_start_matches("networkpolicy.networking.k8s.io/")
        .to_string();
    let _cleanup = Cleanup(cluster, name.clone());

    let np = runtime().block_on(async {
        let api: Api<NetworkPolicy> =
            Api::namespaced(client(&cluster.kubeconfig).await, &cluster.namespace);
        api.get(&name).await.unwrap()
    });
    let labels = np.metadata.labels.unwrap();
    assert_eq!(labels["app.kubernetes.io/managed-by"], "jit");
    let expires: i64 = labels["jit.dev/expires"].parse().unwrap();
    let created = np.metadata.creation_timestamp.unwrap().0.as_second();
    assert!(
        (created + 115..=created + 125).contains(&expires),
        "created {created}, expires {expires}"
    );
    assert!(
        (expires - started.as_second() - 120).abs() < 60,
        "the test machine and the cluster disagree wildly"
    );
}

#[test]
fn real_cluster_server_dry_run_stores_nothing() {
    if let Some(cluster) = real_cluster("real_cluster_server_dry_run") {
        server_dry_run_stores_nothing(&cluster);
    }
}

fn server_dry_run_stores_nothing(cluster: &RealCluster) {
    let jit = Jit::new().env("KUBECONFIG", &cluster.kubeconfig);
    let out = jit.run(&[
        "grant",
        "-n",
        &cluster.namespace,
        "--to",
        "app=jit-e2e-db",
        "--from",
        "app=jit-e2e-dry",
        "--port",
        "5432",
        "--ttl",
        "2m",
        "--reason",
        "jit e2e dry run",
        "--dry-run=server",
        "-o",
        "name",
    ]);
    out.success();
    let name = out
        .stdout
        .trim()
        .trim_start_matches("networkpolicy.networking.k8s.io/")
        .to_string();
    let found = runtime().block_on(async {
        let api: Api<NetworkPolicy> =
            Api::namespaced(client(&cluster.kubeconfig).await, &cluster.namespace);
        api.get_opt(&name).await.unwrap()
    });
    assert!(found.is_none(), "a server dry run stored {name}");
}

#[test]
fn real_cluster_denial_writes_nothing() {
    if let Some(cluster) = real_cluster("real_cluster_denial") {
        denial_writes_nothing(&cluster);
    }
}

fn denial_writes_nothing(cluster: &RealCluster) {
    let Some(denied) = &cluster.denied_namespace else {
        eprintln!("skipped real_cluster_denial: JIT_E2E_DENIED_NAMESPACE is not set");
        return;
    };
    let jit = Jit::new().env("KUBECONFIG", &cluster.kubeconfig);
    let out = jit.run(&[
        "grant",
        "-n",
        denied,
        "--to",
        "app=db",
        "--from",
        "app=debug",
        "--port",
        "5432",
        "--ttl",
        "2m",
        "--reason",
        "jit e2e denial",
    ]);
    out.expect_code(3);
    let left = runtime().block_on(async {
        let api: Api<NetworkPolicy> = Api::namespaced(client(&cluster.kubeconfig).await, denied);
        api.list(&ListParams::default().labels("app.kubernetes.io/managed-by=jit"))
            .await
    });
    if let Ok(list) = left {
        assert!(list.items.iter().all(|np| {
            np.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("jit.dev/reason"))
                .map(String::as_str)
                != Some("jit e2e denial")
        }));
    }
}

/// The reaper against a real API server: an expired grant goes, a current one stays, a
/// hand-edited expiry beyond the maximum lifetime goes, and a look-alike without jit's
/// marker stays.
#[test]
fn real_cluster_reap_removes_exactly_the_expired_grants() {
    if let Some(cluster) = real_cluster("real_cluster_reap") {
        reap_removes_exactly_the_expired_grants(&cluster);
    }
}

fn reap_removes_exactly_the_expired_grants(cluster: &RealCluster) {
    let jit = Jit::new().env("KUBECONFIG", &cluster.kubeconfig);
    let grant = |from: &str, ttl: &str| {
        let out = jit.run(&[
            "grant",
            "-n",
            &cluster.namespace,
            "--to",
            "app=jit-e2e-db",
            "--from",
            from,
            "--port",
            "5432",
            "--ttl",
            ttl,
            "--reason",
            "jit e2e reap",
            "-o",
            "name",
        ]);
        out.success();
        out.stdout
            .trim()
            .trim_start_matches("networkpolicy.networking.k8s.io/")
            .to_string()
    };
    let short = grant("app=jit-e2e-short", "2s");
    let long = grant("app=jit-e2e-long", "10m");
    let edited = grant("app=jit-e2e-edited", "10m");
    let _cleanup = [
        short.clone(),
        long.clone(),
        edited.clone(),
        "jit-lookalike".to_string(),
    ]
    .map(|name| Cleanup(cluster, name));

    runtime().block_on(async {
        let api: Api<NetworkPolicy> = Api::namespaced(client(&cluster.kubeconfig).await, &cluster.namespace);
        // Someone pushes the expiry label a year out by hand.
        let far = (jiff::Timestamp::now().as_second() + 365 * 86400).to_string();
        let patch = serde_json::json!({"metadata": {"labels": {"jit.dev/expires": far}, "annotations": {"jit.dev/expires-at": null}}});
        api.patch(&edited, &kube::api::PatchParams::default(), &kube::api::Patch::Merge(&patch))
            .await
            .unwrap();
        // A policy that looks like a grant but lacks jit's marker.
        let lookalike: NetworkPolicy = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "jit-lookalike", "labels": {"jit.dev/expires": "1"}},
            "spec": {"podSelector": {"matchLabels": {"app": "jit-e2e-db"}}, "policyTypes": ["Ingress"]}
        }))
        .unwrap();
        api.create(&kube::api::PostParams::default(), &lookalike).await.unwrap();
    });
    std::thread::sleep(std::time::Duration::from_secs(3));

    let out = jit.run(&["reap", "-n", &cluster.namespace, "-o", "json"]);
    out.success();
    let exists = |name: &str| {
        runtime().block_on(async {
            let api: Api<NetworkPolicy> =
                Api::namespaced(client(&cluster.kubeconfig).await, &cluster.namespace);
            api.get_opt(name).await.unwrap().is_some()
        })
    };
    assert!(!exists(&short), "the expired grant is gone\n{}", out.stdout);
    assert!(exists(&long), "the current grant stays\n{}", out.stdout);
    assert!(
        !exists(&edited),
        "the hand-edited grant is gone\n{}",
        out.stdout
    );
    assert!(
        exists("jit-lookalike"),
        "the look-alike stays\n{}",
        out.stdout
    );
}

/// The tier's own code must not rot where no cluster is at hand: run its scenarios against
/// the fake API server (alice may write in team-a and not in team-b).
#[test]
fn the_real_cluster_tier_passes_against_the_fake_server() {
    let api = crate::fake_api::FakeApi::start(crate::fake_api::World::standard());
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = api.kubeconfig(dir.path(), "alice", Some("team-a"));
    let cluster = RealCluster {
        kubeconfig: kubeconfig.to_str().unwrap().to_string(),
        namespace: "team-a".into(),
        denied_namespace: Some("team-b".into()),
    };
    grant_writes_the_policy_with_a_server_clock_expiry(&cluster);
    server_dry_run_stores_nothing(&cluster);
    denial_writes_nothing(&cluster);
    reap_removes_exactly_the_expired_grants(&cluster);
}
