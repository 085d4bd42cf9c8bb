//! Is a network plugin that enforces NetworkPolicy running? A NetworkPolicy is only data
//! for the API server: without such a plugin it opens and closes nothing, and jit's grants
//! (and the default-deny they open a hole in) do nothing at all.
//!
//! Told from the pods of the plugins' node agents (DaemonSets) in the namespaces they are
//! installed to, by the name of their workload or a well-known label. A plugin not in the
//! table, or one installed elsewhere, goes unseen: that is a warning, never a failure.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use super::{Check, names};

/// Where node agents of network plugins run: kube-system for most, calico-system for
/// Calico installed by the Tigera operator.
pub const NAMESPACES: [&str; 2] = ["kube-system", "calico-system"];

/// Whether a plugin enforces NetworkPolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enforces {
    Yes,
    /// It does not; why, and what to do.
    No {
        why: &'static str,
        fix: &'static str,
    },
    /// It may; when it does, and how to find out.
    Maybe {
        why: &'static str,
        fix: &'static str,
    },
    /// The AWS VPC CNI: only with its network policy agent enabled.
    AwsAgent,
}

struct Plugin {
    name: &'static str,
    /// Workload names (the DaemonSet's, which prefixes its pods' names) and values of the
    /// labels in [`NAME_LABELS`] that identify the plugin's node agent.
    workloads: &'static [&'static str],
    enforces: Enforces,
}

/// Labels plugins name their agents with.
const NAME_LABELS: [&str; 5] = [
    "k8s-app",
    "app",
    "app.kubernetes.io/name",
    "name",
    "component",
];

const NO_FIX: &str = "install a plugin that enforces NetworkPolicy (Calico, Cilium, Antrea, …) \
                      alongside it or instead of it";

/// The known plugins; the first match wins (anetd pods carry Cilium's labels too).
const PLUGINS: &[Plugin] = &[
    Plugin {
        name: "GKE Dataplane V2",
        workloads: &["anetd"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "calico",
        workloads: &["calico-node"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "canal",
        workloads: &["canal"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "cilium",
        workloads: &["cilium", "cilium-agent"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "antrea",
        workloads: &["antrea-agent"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "weave-net",
        workloads: &["weave-net"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "kube-router",
        workloads: &["kube-router"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "azure-npm",
        workloads: &["azure-npm"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "kube-network-policies",
        workloads: &["kube-network-policies"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "kube-ovn",
        workloads: &["kube-ovn-cni"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "ovn-kubernetes",
        workloads: &["ovnkube-node"],
        enforces: Enforces::Yes,
    },
    Plugin {
        name: "aws-node",
        workloads: &["aws-node"],
        enforces: Enforces::AwsAgent,
    },
    Plugin {
        name: "kindnet",
        workloads: &["kindnet", "kindnetd"],
        enforces: Enforces::Maybe {
            why: "kindnet enforces NetworkPolicy only from kind v0.24 on; older kindnet ignores it",
            fix: "check that a default-deny policy stops traffic, or install Calico or Cilium",
        },
    },
    Plugin {
        name: "flannel",
        workloads: &["kube-flannel-ds", "kube-flannel", "flannel"],
        enforces: Enforces::No {
            why: "flannel alone does not enforce NetworkPolicy",
            fix: NO_FIX,
        },
    },
];

/// The AWS VPC CNI's policy agent, and the argument that turns it on.
const AWS_AGENT: &str = "aws-network-policy-agent";
const AWS_AGENT_ON: &str = "--enable-network-policy=true";

/// What the verdict needs of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodFacts {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// Each container's name and arguments.
    pub containers: Vec<(String, Vec<String>)>,
}

impl PodFacts {
    pub fn of(pod: &Pod) -> PodFacts {
        PodFacts {
            name: pod.metadata.name.clone().unwrap_or_default(),
            labels: pod.metadata.labels.clone().unwrap_or_default(),
            containers: pod
                .spec
                .iter()
                .flat_map(|spec| &spec.containers)
                .map(|c| (c.name.clone(), c.args.clone().unwrap_or_default()))
                .collect(),
        }
    }

    /// `calico-node` for `calico-node-x7k2p`: a DaemonSet's pods are its name and a suffix.
    fn workload(&self) -> &str {
        self.name
            .rsplit_once('-')
            .map_or(self.name.as_str(), |(workload, _)| workload)
    }

    fn is(&self, workload: &str) -> bool {
        self.name == workload
            || self.workload() == workload
            || NAME_LABELS
                .iter()
                .any(|key| self.labels.get(*key).is_some_and(|v| v == workload))
    }
}

/// One namespace's pods as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    Pods(Vec<PodFacts>),
    /// 403: the caller may not list pods there.
    Forbidden,
    /// Any other error, as a message.
    Failed(String),
}

/// A plugin whose agents were seen.
struct Seen<'a> {
    plugin: &'a Plugin,
    namespace: &'a str,
    pods: Vec<&'a PodFacts>,
}

impl Seen<'_> {
    fn enforces(&self) -> Enforces {
        match self.plugin.enforces {
            Enforces::AwsAgent => {
                let on = self.pods.iter().any(|pod| {
                    pod.containers.iter().any(|(name, args)| {
                        name == AWS_AGENT && args.iter().any(|a| a == AWS_AGENT_ON)
                    })
                });
                if on {
                    Enforces::Yes
                } else {
                    Enforces::No {
                        why: "the AWS VPC CNI enforces NetworkPolicy only with its network policy agent enabled, and it is not",
                        fix: "set enableNetworkPolicy to \"true\" in the VPC CNI add-on's configuration",
                    }
                }
            }
            other => other,
        }
    }

    fn describe(&self) -> String {
        let count = self.pods.len();
        format!(
            "{} ({count} pod{} in {})",
            self.plugin.name,
            if count == 1 { "" } else { "s" },
            self.namespace
        )
    }
}

/// The verdict on the pods listed in each of [`NAMESPACES`] (in that order).
/// `who` names the caller in a refusal.
pub fn judge(who: &str, listed: &[(&str, Listed)]) -> Check {
    let mut seen: Vec<Seen<'_>> = Vec::new();
    for (namespace, listing) in listed {
        let Listed::Pods(pods) = listing else {
            continue;
        };
        for pod in pods {
            let Some(plugin) = PLUGINS
                .iter()
                .find(|p| p.workloads.iter().any(|w| pod.is(w)))
            else {
                continue;
            };
            match seen
                .iter_mut()
                .find(|s| s.plugin.name == plugin.name && s.namespace == *namespace)
            {
                Some(entry) => entry.pods.push(pod),
                None => seen.push(Seen {
                    plugin,
                    namespace,
                    pods: vec![pod],
                }),
            }
        }
    }

    let enforcing: Vec<String> = seen
        .iter()
        .filter(|s| s.enforces() == Enforces::Yes)
        .map(Seen::describe)
        .collect();
    if !enforcing.is_empty() {
        return Check::ok(
            names::NETWORK_PLUGIN,
            format!("{} enforces NetworkPolicy", enforcing.join(", ")),
        );
    }
    // A plugin that may or does not enforce: say which and why.
    let doubtful = seen.iter().find_map(|s| match s.enforces() {
        Enforces::Maybe { why, fix } | Enforces::No { why, fix } => Some((s, why, fix)),
        _ => None,
    });
    if let Some((seen, why, fix)) = doubtful {
        return Check::warn(
            names::NETWORK_PLUGIN,
            format!(
                "{}: {why}; policies do nothing without an enforcing plugin",
                seen.describe()
            ),
        )
        .hint(fix);
    }

    let read: Vec<&str> = listed
        .iter()
        .filter(|(_, l)| matches!(l, Listed::Pods(_)))
        .map(|(ns, _)| *ns)
        .collect();
    // kube-system is where nearly every plugin runs: not seeing into it, nothing is known.
    match listed.first() {
        Some((namespace, Listed::Forbidden)) => {
            return Check::skip(
                names::NETWORK_PLUGIN,
                format!("{who} may not list pods in {namespace}, where network plugins run"),
            )
            .hint(format!(
                "ask a cluster admin which plugin enforces NetworkPolicy, or run jit doctor as \
                 someone who may list pods in {namespace}"
            ));
        }
        Some((namespace, Listed::Failed(why))) => {
            return Check::skip(
                names::NETWORK_PLUGIN,
                format!("could not list pods in {namespace}: {why}"),
            );
        }
        _ => {}
    }
    let known: Vec<&str> = PLUGINS
        .iter()
        .filter(|p| !matches!(p.enforces, Enforces::No { .. }))
        .map(|p| p.name)
        .collect();
    Check::warn(
        names::NETWORK_PLUGIN,
        format!(
            "no NetworkPolicy-enforcing plugin seen in {} (looked for {}) — policies do \
             nothing without one",
            read.join(", "),
            known.join(", ")
        ),
    )
    .hint(
        "install one (Calico, Cilium, Antrea, …); if yours runs under another name or \
         elsewhere, check that a default-deny policy stops traffic",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;

    fn pod(name: &str, labels: &[(&str, &str)]) -> PodFacts {
        PodFacts {
            name: name.to_string(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            containers: vec![("main".to_string(), Vec::new())],
        }
    }

    fn kube_system(pods: Vec<PodFacts>) -> Vec<(&'static str, Listed)> {
        vec![
            ("kube-system", Listed::Pods(pods)),
            ("calico-system", Listed::Pods(Vec::new())),
        ]
    }

    #[test]
    fn enforcing_plugins_are_found_by_workload_name_or_label() {
        let check = judge(
            "alice",
            &kube_system(vec![
                pod("calico-node-x7k2p", &[]),
                pod("calico-node-9fq2z", &[]),
                pod("coredns-5d78c9869d-abcde", &[("k8s-app", "kube-dns")]),
            ]),
        );
        assert_eq!(check.status, Status::Ok);
        assert_eq!(
            check.detail,
            "calico (2 pods in kube-system) enforces NetworkPolicy"
        );

        let check = judge(
            "alice",
            &kube_system(vec![pod("agent", &[("k8s-app", "cilium")])]),
        );
        assert_eq!(
            check.detail,
            "cilium (1 pod in kube-system) enforces NetworkPolicy"
        );

        // GKE's anetd carries Cilium's label; it is reported as what it is.
        let check = judge(
            "alice",
            &kube_system(vec![pod("anetd-abcde", &[("k8s-app", "cilium")])]),
        );
        assert_eq!(
            check.detail,
            "GKE Dataplane V2 (1 pod in kube-system) enforces NetworkPolicy"
        );
    }

    #[test]
    fn operators_of_plugins_are_not_their_agents() {
        let check = judge(
            "alice",
            &kube_system(vec![pod(
                "cilium-operator-6d8f9c-abcde",
                &[("name", "cilium-operator")],
            )]),
        );
        assert_eq!(check.status, Status::Warn);
    }

    #[test]
    fn calico_of_the_operator_is_found_in_calico_system() {
        let check = judge(
            "alice",
            &[
                (
                    "kube-system",
                    Listed::Pods(vec![pod("kube-proxy-abcde", &[])]),
                ),
                (
                    "calico-system",
                    Listed::Pods(vec![pod(
                        "calico-node-abcde",
                        &[("k8s-app", "calico-node")],
                    )]),
                ),
            ],
        );
        assert_eq!(
            check.detail,
            "calico (1 pod in calico-system) enforces NetworkPolicy"
        );
    }

    #[test]
    fn flannel_and_kindnet_warn_and_say_why() {
        let check = judge(
            "alice",
            &kube_system(vec![pod("kube-flannel-ds-abcde", &[("app", "flannel")])]),
        );
        assert_eq!(check.status, Status::Warn);
        assert_eq!(
            check.detail,
            "flannel (1 pod in kube-system): flannel alone does not enforce NetworkPolicy; \
             policies do nothing without an enforcing plugin"
        );
        let check = judge(
            "alice",
            &kube_system(vec![pod("kindnet-abcde", &[("app", "kindnet")])]),
        );
        assert_eq!(check.status, Status::Warn);
        assert!(check.detail.contains("kind v0.24"), "{}", check.detail);

        // Flannel with Calico's policy on top enforces.
        let check = judge(
            "alice",
            &kube_system(vec![
                pod("kube-flannel-ds-abcde", &[]),
                pod("calico-node-abcde", &[]),
            ]),
        );
        assert_eq!(check.status, Status::Ok);
    }

    #[test]
    fn aws_node_enforces_only_with_its_agent_on() {
        let mut aws = pod("aws-node-abcde", &[("k8s-app", "aws-node")]);
        aws.containers.push((
            AWS_AGENT.to_string(),
            vec!["--enable-network-policy=false".to_string()],
        ));
        let check = judge("alice", &kube_system(vec![aws.clone()]));
        assert_eq!(check.status, Status::Warn);
        assert!(check.hint.unwrap().contains("enableNetworkPolicy"));
        aws.containers[1].1 = vec![AWS_AGENT_ON.to_string()];
        assert_eq!(judge("alice", &kube_system(vec![aws])).status, Status::Ok);
    }

    #[test]
    fn nothing_seen_warns_and_unreadable_kube_system_skips() {
        let check = judge("alice", &kube_system(vec![pod("coredns-abcde", &[])]));
        assert_eq!(check.status, Status::Warn);
        assert!(
            check.detail.starts_with(
                "no NetworkPolicy-enforcing plugin seen in kube-system, calico-system (looked for GKE Dataplane V2, calico,"
            ),
            "{}",
            check.detail
        );
        assert!(!check.detail.contains("flannel"), "{}", check.detail);
        assert!(check.detail.ends_with("— policies do nothing without one"));

        let check = judge(
            "alice",
            &[
                ("kube-system", Listed::Forbidden),
                ("calico-system", Listed::Forbidden),
            ],
        );
        assert_eq!(check.status, Status::Skip);
        assert_eq!(
            check.detail,
            "alice may not list pods in kube-system, where network plugins run"
        );
        let check = judge(
            "alice",
            &[
                ("kube-system", Listed::Failed("500 boom".into())),
                ("calico-system", Listed::Pods(Vec::new())),
            ],
        );
        assert_eq!(check.status, Status::Skip);

        // What is seen elsewhere still counts.
        let check = judge(
            "alice",
            &[
                ("kube-system", Listed::Forbidden),
                (
                    "calico-system",
                    Listed::Pods(vec![pod("calico-node-abcde", &[])]),
                ),
            ],
        );
        assert_eq!(check.status, Status::Ok);
    }
}
