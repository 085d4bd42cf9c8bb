//! The real-cluster tier for `jit guard`: runs when `JIT_E2E_KUBECONFIG` names a kubeconfig
//! (as `e2e.rs` does) whose identity may also create ValidatingAdmissionPolicies and
//! namespaces, and says it was skipped otherwise.
//!
//! So that the guard cannot touch anything else in the cluster (the reaper test in `e2e.rs`
//! hand-edits an expiry on purpose, perhaps at the same moment), the test makes its own
//! namespace and binds the policy to that namespace only; the policy itself is exactly what
//! `jit guard` prints. Everything is deleted again, whatever the outcome.

use std::time::Duration;

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

use crate::e2e::{client, e2e_kubeconfig, runtime};
use crate::harness::Jit;

/// The guard's limits here: short, so "past the lifetime" is a near date.
const MAX_TTL: &str = "1h";
const MAX_LIFETIME_SECS: i64 = 2 * 3600;

/// The API server's status code for a refused request, or None when it was accepted.
fn refusal<T>(result: Result<T, kube::Error>) -> Option<u16> {
    match result {
        Ok(_) => None,
        Err(kube::Error::Api(status)) => Some(status.code),
        Err(other) => panic!("not an API refusal: {other}"),
    }
}

/// Deletes the guard and the namespace (and so every policy in it) on drop.
struct Cleanup {
    kubeconfig: String,
    name: String,
    namespace: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        runtime().block_on(async {
            let client = client(&self.kubeconfig).await;
            let dp = DeleteParams::default();
            let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
            let _ = bindings.delete(&self.name, &dp).await;
            let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
            let _ = policies.delete(&self.name, &dp).await;
            let namespaces: Api<Namespace> = Api::all(client);
            let _ = namespaces.delete(&self.namespace, &dp).await;
        });
    }
}

/// A NetworkPolicy carrying jit's labels, written by hand.
fn hand_made(name: &str, requester: &str, expires: i64) -> NetworkPolicy {
    serde_json::from_value(json!({
        "metadata": {
            "name": name,
            "labels": {
                "app.kubernetes.io/managed-by": "jit",
                "jit.dev/grant-id": "e2eforged",
                "jit.dev/expires": expires.to_string(),
            },
            "annotations": {"jit.dev/requester": requester},
        },
        "spec": {"podSelector": {"matchLabels": {"app": "jit-e2e-db"}}, "policyTypes": ["Ingress"]},
    }))
    .unwrap()
}

#[test]
fn real_cluster_guard_lets_jit_through_and_refuses_forgeries() {
    if let Some(kubeconfig) = e2e_kubeconfig("real_cluster_guard") {
        guard_lets_jit_through_and_refuses_forgeries(&kubeconfig);
    }
}

fn guard_lets_jit_through_and_refuses_forgeries(kubeconfig: &str) {
    let suffix = format!("{:x}", jiff::Timestamp::now().as_second() % 0x100000);
    let name = format!("jit-e2e-guard-{suffix}");
    let namespace = format!("jit-e2e-guard-{suffix}");
    let jit = Jit::new().env("KUBECONFIG", kubeconfig);

    // The policy as jit prints it; the binding narrowed to the test's namespace.
    let out = jit.run(&[
        "guard",
        "--name",
        &name,
        "--max-ttl",
        MAX_TTL,
        "--max-lifetime",
        &format!("{MAX_LIFETIME_SECS}s"),
        "-o",
        "json",
    ]);
    out.success();
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    let policy: ValidatingAdmissionPolicy =
        serde_json::from_value(list["items"][0].clone()).unwrap();
    let mut binding: Value = list["items"][1].clone();
    binding["spec"]["matchResources"] = json!({"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": namespace,
    }}});
    let binding: ValidatingAdmissionPolicyBinding = serde_json::from_value(binding).unwrap();

    let rt = runtime();
    let created = rt.block_on(async {
        let client = client(kubeconfig).await;
        let ssapply = PatchParams::apply("jit-e2e").force();
        let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
        match policies
            .patch(&name, &ssapply, &Patch::Apply(&policy))
            .await
        {
            Err(kube::Error::Api(status)) if status.code == 403 => return false,
            other => {
                other.unwrap();
            }
        }
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let ns: Namespace =
            serde_json::from_value(json!({"metadata": {"name": namespace}})).unwrap();
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .unwrap();
        let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client);
        bindings
            .patch(&name, &ssapply, &Patch::Apply(&binding))
            .await
            .unwrap();
        true
    });
    let _cleanup = Cleanup {
        kubeconfig: kubeconfig.to_owned(),
        name: name.clone(),
        namespace: namespace.clone(),
    };
    if !created {
        eprintln!(
            "skipped real_cluster_guard: the kubeconfig may not create ValidatingAdmissionPolicies"
        );
        return;
    }

    // The API server compiles a new policy and learns of the namespace in the background:
    // wait until a dry run of a forgery is refused.
    rt.block_on(async {
        let api: Api<NetworkPolicy> = Api::namespaced(client(kubeconfig).await, &namespace);
        let dry_run = PostParams {
            dry_run: true,
            ..PostParams::default()
        };
        let forged = hand_made("jit-e2e-probe", "nobody-at-all", 1);
        for _ in 0..60 {
            if refusal(api.create(&dry_run, &forged).await) == Some(422) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("the guard never came into force");
    });

    // An honest grant passes, and so does extending it within the lifetime.
    let out = jit.run(&[
        "grant",
        "-n",
        &namespace,
        "--to",
        "app=jit-e2e-db",
        "--from",
        "app=jit-e2e-guard",
        "--port",
        "5432",
        "--ttl",
        "10m",
        "--reason",
        "jit e2e guard",
        "-o",
        "name",
    ]);
    out.success();
    let granted = out
        .stdout
        .trim()
        .trim_start_matches("networkpolicy.networking.k8s.io/")
        .to_string();
    let id = granted.trim_start_matches("jit-");
    jit.run(&[
        "extend",
        id,
        "-n",
        &namespace,
        "--ttl",
        "30m",
        "--reason",
        "jit e2e guard extend",
    ])
    .success();

    rt.block_on(async {
        let api: Api<NetworkPolicy> = Api::namespaced(client(kubeconfig).await, &namespace);
        let np = api.get(&granted).await.unwrap();
        let created = np.metadata.creation_timestamp.unwrap().0.as_second();

        // Someone else's name as the requester: 422, with the guard's message.
        let forged = hand_made("jit-e2e-forged", "someone-else", created + 60);
        match api.create(&PostParams::default(), &forged).await {
            Err(kube::Error::Api(status)) => {
                assert_eq!(status.code, 422, "{status:?}");
                assert!(status.message.contains("jit.dev/requester"), "{status:?}");
            }
            Ok(_) => panic!("a forged requester was accepted"),
            Err(other) => panic!("{other}"),
        }

        // Pushing the expiry past the lifetime by hand: 422.
        let far = (created + MAX_LIFETIME_SECS + 60).to_string();
        let patch = json!({"metadata": {"labels": {"jit.dev/expires": far}}});
        let refused = api
            .patch(&granted, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
        assert_eq!(refusal(refused), Some(422));

        // Stripping jit's labels to escape the guard (and the reaper): 422.
        let patch = json!({"metadata": {"labels": {
            "app.kubernetes.io/managed-by": null,
            "jit.dev/grant-id": null,
        }}});
        let refused = api
            .patch(&granted, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
        assert_eq!(refusal(refused), Some(422));

        // Revoking is never in the guard's way.
        api.delete(&granted, &DeleteParams::default())
            .await
            .unwrap();
    });
}
