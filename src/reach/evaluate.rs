//! The cluster as a whole, and the questions asked of it: is a pod isolated, is a flow allowed
//! and why, and which flows are allowed at all.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use k8s_openapi::api::networking::v1::NetworkPolicy;

use super::error::ClusterError;
use super::model::{Flow, Namespace, Pod, PodId, Source};
use super::netpol::{Policy, PolicyId};
use super::peer::Remote;
use super::verdict::{Direction, RuleRef, Side, Verdict};
use crate::policy::{NAMESPACE_NAME_LABEL, Protocol};

/// The destination end of a flow: the pod and the port it is asked to open.
#[derive(Debug, Clone, Copy)]
struct Target<'a> {
    pod: &'a Pod,
    port: u16,
    protocol: Protocol,
}

/// A snapshot of namespaces, pods and policies that answers reachability questions.
#[derive(Debug, Clone)]
pub struct Cluster {
    namespaces: BTreeMap<String, Namespace>,
    pods: BTreeMap<PodId, Pod>,
    /// Sorted by id, so every list in a verdict comes out sorted.
    policies: Vec<Policy>,
}

impl Cluster {
    /// Checks and indexes the input. Every pod's namespace must be among `namespaces`, and no
    /// namespace, pod or policy may appear twice. Each namespace gets (or keeps) the
    /// `kubernetes.io/metadata.name` label with its own name, as the API server guarantees.
    pub fn new(
        namespaces: impl IntoIterator<Item = Namespace>,
        pods: impl IntoIterator<Item = Pod>,
        policies: &[NetworkPolicy],
    ) -> Result<Cluster, ClusterError> {
        let mut by_name = BTreeMap::new();
        for mut namespace in namespaces {
            namespace
                .labels
                .insert(NAMESPACE_NAME_LABEL.to_owned(), namespace.name.clone());
            if let Some(twice) = by_name.insert(namespace.name.clone(), namespace) {
                return Err(ClusterError::DuplicateNamespace(twice.name));
            }
        }
        let mut by_id = BTreeMap::new();
        for pod in pods {
            let id = pod.id();
            if !by_name.contains_key(&pod.namespace) {
                return Err(ClusterError::UnknownNamespace { pod: id });
            }
            if by_id.insert(id.clone(), pod).is_some() {
                return Err(ClusterError::DuplicatePod(id));
            }
        }
        let mut compiled = policies
            .iter()
            .map(Policy::from_api)
            .collect::<Result<Vec<_>, _>>()?;
        compiled.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(pair) = compiled.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(ClusterError::DuplicatePolicy(pair[0].id.clone()));
        }
        Ok(Cluster {
            namespaces: by_name,
            pods: by_id,
            policies: compiled,
        })
    }

    pub fn namespaces(&self) -> impl Iterator<Item = &Namespace> {
        self.namespaces.values()
    }

    /// In (namespace, name) order.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values()
    }

    pub fn pod(&self, id: &PodId) -> Option<&Pod> {
        self.pods.get(id)
    }

    /// In (namespace, name) order.
    pub fn policies(&self) -> impl Iterator<Item = &PolicyId> {
        self.policies.iter().map(|p| &p.id)
    }

    /// The policies that isolate `pod` for ingress, sorted; empty if it accepts everything.
    /// Only the pod's namespace and labels matter, so the pod need not be in the cluster: a
    /// grant safety check can ask about a pod that does not exist yet.
    pub fn isolated_ingress(&self, pod: &Pod) -> Vec<&PolicyId> {
        self.isolating(pod, Direction::Ingress)
            .map(|p| &p.id)
            .collect()
    }

    /// The policies that isolate `pod` for egress, sorted; empty if it may send anywhere.
    pub fn isolated_egress(&self, pod: &Pod) -> Vec<&PolicyId> {
        self.isolating(pod, Direction::Egress)
            .map(|p| &p.id)
            .collect()
    }

    /// Whether `flow` is allowed, and why. Fails only if the flow names a pod the cluster does
    /// not have.
    pub fn allowed(&self, flow: &Flow) -> Result<Verdict, ClusterError> {
        let destination = self
            .pods
            .get(&flow.destination)
            .ok_or_else(|| ClusterError::UnknownPod(flow.destination.clone()))?;
        let source = match &flow.source {
            Source::Pod(id) => {
                let pod = self
                    .pods
                    .get(id)
                    .ok_or_else(|| ClusterError::UnknownPod(id.clone()))?;
                Remote::Pod {
                    pod,
                    namespace_labels: self.namespace_labels(pod),
                }
            }
            Source::External(ip) => Remote::External(*ip),
        };
        Ok(self.verdict(source, destination, flow.port, flow.protocol))
    }

    /// Every allowed flow from any pod or any of `external` sources to any pod, on any of
    /// `ports`. Comparing the sets before and after a change shows exactly what it opened or
    /// closed. A pod's flows to itself are included (always allowed), so they cancel out of
    /// any comparison.
    pub fn reachability(&self, external: &[IpAddr], ports: &[(u16, Protocol)]) -> BTreeSet<Flow> {
        let pod_sources = self.pods.values().map(|pod| {
            let remote = Remote::Pod {
                pod,
                namespace_labels: self.namespace_labels(pod),
            };
            (Source::Pod(pod.id()), remote)
        });
        let external_sources = external
            .iter()
            .map(|ip| (Source::External(*ip), Remote::External(*ip)));
        let sources: Vec<_> = pod_sources.chain(external_sources).collect();

        let mut allowed = BTreeSet::new();
        for (source, remote) in &sources {
            for destination in self.pods.values() {
                for &(port, protocol) in ports {
                    if self
                        .verdict(*remote, destination, port, protocol)
                        .is_allowed()
                    {
                        allowed.insert(Flow::new(source.clone(), destination.id(), port, protocol));
                    }
                }
            }
        }
        allowed
    }

    fn verdict(
        &self,
        source: Remote<'_>,
        destination: &Pod,
        port: u16,
        protocol: Protocol,
    ) -> Verdict {
        let target = Target {
            pod: destination,
            port,
            protocol,
        };
        let ingress = || self.side(destination, Direction::Ingress, source, target);
        match source {
            Remote::Pod { pod, .. }
                if pod.namespace == destination.namespace && pod.name == destination.name =>
            {
                Verdict {
                    egress: Side::Loopback,
                    ingress: Side::Loopback,
                }
            }
            Remote::Pod { pod, .. } => {
                let to_destination = Remote::Pod {
                    pod: destination,
                    namespace_labels: self.namespace_labels(destination),
                };
                Verdict {
                    egress: self.side(pod, Direction::Egress, to_destination, target),
                    ingress: ingress(),
                }
            }
            Remote::External(_) => Verdict {
                egress: Side::External,
                ingress: ingress(),
            },
        }
    }

    /// What the policies isolating `subject` in `direction` say about a flow to `target` with
    /// `remote` at the other end. Ports resolve on the target pod whichever end is the subject.
    fn side(
        &self,
        subject: &Pod,
        direction: Direction,
        remote: Remote<'_>,
        target: Target<'_>,
    ) -> Side {
        let mut policies = Vec::new();
        let mut allowed_by = Vec::new();
        for policy in self.isolating(subject, direction) {
            policies.push(policy.id.clone());
            for (index, rule) in policy.rules(direction).iter().enumerate() {
                if rule.peers.matches(&policy.id.namespace, remote)
                    && rule
                        .ports
                        .matches(target.port, target.protocol, &target.pod.ports)
                {
                    allowed_by.push(RuleRef {
                        policy: policy.id.clone(),
                        direction,
                        index,
                    });
                }
            }
        }
        if policies.is_empty() {
            Side::NotIsolated
        } else {
            Side::Isolated {
                policies,
                allowed_by,
            }
        }
    }

    fn isolating<'a>(
        &'a self,
        pod: &Pod,
        direction: Direction,
    ) -> impl Iterator<Item = &'a Policy> {
        self.policies
            .iter()
            .filter(move |p| p.isolates(pod, direction))
    }

    fn namespace_labels(&self, pod: &Pod) -> &BTreeMap<String, String> {
        // Cluster::new refuses pods in namespaces it was not given.
        &self.namespaces[&pod.namespace].labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reach::fixtures::{external, flow, policy, verdict_of};

    fn ns(name: &str) -> Namespace {
        Namespace::new(name)
    }

    /// team-a: web, db (port "pg" 5432/TCP, "dns" 53/UDP); team-b: client.
    fn pods() -> Vec<Pod> {
        vec![
            Pod::new("team-a", "web").with_label("app", "web"),
            Pod::new("team-a", "db")
                .with_label("app", "db")
                .with_port("pg", 5432, Protocol::Tcp)
                .with_port("dns", 53, Protocol::Udp),
            Pod::new("team-b", "client").with_label("app", "client"),
        ]
    }

    fn cluster(policies: &[NetworkPolicy]) -> Cluster {
        Cluster::new([ns("team-a"), ns("team-b")], pods(), policies).unwrap()
    }

    const PORTS: &[(u16, Protocol)] = &[
        (53, Protocol::Udp),
        (53, Protocol::Tcp),
        (80, Protocol::Tcp),
        (5432, Protocol::Tcp),
    ];

    #[test]
    fn without_policies_everything_is_reachable() {
        let cluster = cluster(&[]);
        let v = verdict_of(&cluster, "team-b/client", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(
            v,
            Verdict {
                egress: Side::NotIsolated,
                ingress: Side::NotIsolated
            }
        );
        let v = verdict_of(&cluster, "203.0.113.9", "team-a/db", 9, Protocol::Sctp);
        assert_eq!(v.egress, Side::External);
        assert!(v.is_allowed());
        let all = cluster.reachability(&[external("203.0.113.9")], PORTS);
        assert_eq!(all.len(), (3 + 1) * 3 * PORTS.len());
    }

    #[test]
    fn the_first_selecting_policy_cuts_everything_else() {
        let allow_web = policy(
            "team-a",
            "allow-web",
            "podSelector: {matchLabels: {app: db}}\n\
             ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]",
        );
        let before = cluster(&[]).reachability(&[external("203.0.113.9")], PORTS);
        let cluster = cluster(&[allow_web]);
        let after = cluster.reachability(&[external("203.0.113.9")], PORTS);

        let lost: BTreeSet<String> = before.difference(&after).map(ToString::to_string).collect();
        let mut expected = BTreeSet::new();
        for source in ["pod team-b/client", "203.0.113.9"] {
            for (port, protocol) in PORTS {
                expected.insert(format!(
                    "{source} -> pod team-a/db port {port}/{}",
                    protocol.as_str()
                ));
            }
        }
        assert_eq!(lost, expected);
        assert!(after.is_subset(&before));

        let v = verdict_of(&cluster, "team-a/web", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(
            v.ingress.to_string(),
            "allowed by networkpolicy team-a/allow-web (ingress rule 0)"
        );
        let web = cluster.pod(&PodId::new("team-a", "web")).unwrap();
        assert!(
            cluster.isolated_ingress(web).is_empty(),
            "only db is selected"
        );
    }

    #[test]
    fn egress_isolation_at_the_source_blocks_what_ingress_allows() {
        let allow_client = policy(
            "team-a",
            "allow-client",
            "podSelector: {matchLabels: {app: db}}\n\
             ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team-b}}}]}]",
        );
        let deny_egress = policy(
            "team-b",
            "deny-egress",
            "podSelector: {}\npolicyTypes: [Egress]",
        );
        let cluster = cluster(&[allow_client, deny_egress]);
        let v = verdict_of(&cluster, "team-b/client", "team-a/db", 5432, Protocol::Tcp);
        assert!(v.ingress.allows());
        assert_eq!(
            v.egress,
            Side::Isolated {
                policies: vec![PolicyId::new("team-b", "deny-egress")],
                allowed_by: vec![]
            }
        );
        assert!(!v.is_allowed());
        let client = cluster.pod(&PodId::new("team-b", "client")).unwrap();
        assert_eq!(
            cluster.isolated_egress(client),
            [&PolicyId::new("team-b", "deny-egress")]
        );
        assert!(cluster.isolated_ingress(client).is_empty());
    }

    #[test]
    fn policies_select_pods_in_their_own_namespace_only() {
        // In team-b, selecting app=db: there is no such pod there, and team-a's db is not
        // affected however well its labels match.
        let elsewhere = policy("team-b", "deny-db", "podSelector: {matchLabels: {app: db}}");
        let cluster = cluster(&[elsewhere]);
        let db = cluster.pod(&PodId::new("team-a", "db")).unwrap();
        assert!(cluster.isolated_ingress(db).is_empty());
        let v = verdict_of(&cluster, "team-b/client", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(v.ingress, Side::NotIsolated);

        // And a bare podSelector peer means pods in the policy's namespace.
        let allow = policy(
            "team-a",
            "allow-clients",
            "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]",
        );
        let cluster = Cluster::new(
            [ns("team-a"), ns("team-b")],
            pods()
                .into_iter()
                .chain([Pod::new("team-a", "client").with_label("app", "client")]),
            &[allow],
        )
        .unwrap();
        assert!(verdict_of(&cluster, "team-a/client", "team-a/db", 1, Protocol::Tcp).is_allowed());
        assert!(!verdict_of(&cluster, "team-b/client", "team-a/db", 1, Protocol::Tcp).is_allowed());
    }

    #[test]
    fn protocols_must_match_and_default_to_tcp() {
        let dns = policy(
            "team-a",
            "dns",
            "podSelector: {}\ningress: [{ports: [{port: 53}]}, {ports: [{port: 53, protocol: UDP}]}]",
        );
        let cluster = cluster(&[dns]);
        let tcp = verdict_of(&cluster, "team-b/client", "team-a/db", 53, Protocol::Tcp);
        let udp = verdict_of(&cluster, "team-b/client", "team-a/db", 53, Protocol::Udp);
        let sctp = verdict_of(&cluster, "team-b/client", "team-a/db", 53, Protocol::Sctp);
        let rules = |v: &Verdict| -> Vec<usize> {
            match &v.ingress {
                Side::Isolated { allowed_by, .. } => allowed_by.iter().map(|r| r.index).collect(),
                other => panic!("not isolated: {other:?}"),
            }
        };
        assert_eq!(rules(&tcp), vec![0], "no protocol means TCP");
        assert_eq!(rules(&udp), vec![1]);
        assert_eq!(rules(&sctp), Vec::<usize>::new());
        assert!(!sctp.is_allowed());
    }

    #[test]
    fn every_matching_rule_is_reported() {
        let a = policy(
            "team-a",
            "a",
            "podSelector: {}\ningress: [{}, {ports: [{port: 5432}]}]",
        );
        let b = policy(
            "team-a",
            "b",
            "podSelector: {matchLabels: {app: db}}\ningress: [{ports: [{port: pg}]}]",
        );
        let cluster = cluster(&[b, a]);
        let v = verdict_of(&cluster, "team-b/client", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(
            v.ingress.to_string(),
            "allowed by networkpolicy team-a/a (ingress rule 0), networkpolicy team-a/a \
             (ingress rule 1), networkpolicy team-a/b (ingress rule 0)"
        );
    }

    #[test]
    fn a_pod_cannot_block_access_to_itself() {
        let deny_all = policy(
            "team-a",
            "deny-all",
            "podSelector: {}\npolicyTypes: [Ingress, Egress]",
        );
        let cluster = cluster(&[deny_all]);
        let v = verdict_of(&cluster, "team-a/db", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(
            v,
            Verdict {
                egress: Side::Loopback,
                ingress: Side::Loopback
            }
        );
        assert!(!verdict_of(&cluster, "team-a/web", "team-a/db", 5432, Protocol::Tcp).is_allowed());
    }

    #[test]
    fn explicit_policy_types_ignore_the_other_directions_rules() {
        // Egress-only, with ingress rules that would deny: ingress stays unisolated.
        let p = policy(
            "team-a",
            "egress-only",
            "podSelector: {}\npolicyTypes: [Egress]\ningress: [{from: [{podSelector: {matchLabels: {x: y}}}]}]\negress: [{}]",
        );
        let cluster = cluster(&[p]);
        let v = verdict_of(&cluster, "team-b/client", "team-a/db", 5432, Protocol::Tcp);
        assert_eq!(v.ingress, Side::NotIsolated);
    }

    #[test]
    fn bad_input_is_refused() {
        let err = Cluster::new([ns("team-a")], pods(), &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pod team-b/client is in namespace team-b, which is not among the namespaces given"
        );
        let err = Cluster::new([ns("team-a"), ns("team-a")], [], &[]).unwrap_err();
        assert_eq!(err, ClusterError::DuplicateNamespace("team-a".into()));
        let twice = [Pod::new("team-a", "x"), Pod::new("team-a", "x")];
        let err = Cluster::new([ns("team-a")], twice, &[]).unwrap_err();
        assert_eq!(err, ClusterError::DuplicatePod(PodId::new("team-a", "x")));
        let p = policy("team-a", "p", "podSelector: {}");
        let err = Cluster::new([ns("team-a")], [], &[p.clone(), p]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "networkpolicy team-a/p is given more than once"
        );

        let cluster = cluster(&[]);
        let missing = flow("team-a/nope", "team-a/db", 1, Protocol::Tcp);
        assert_eq!(
            cluster.allowed(&missing).unwrap_err().to_string(),
            "no pod team-a/nope in the cluster"
        );
    }

    #[test]
    fn the_namespace_name_label_cannot_be_faked() {
        // The API server sets it on every namespace and keeps it equal to the name.
        let mut forged = ns("team-b");
        forged
            .labels
            .insert(NAMESPACE_NAME_LABEL.into(), "team-a".into());
        let cluster = Cluster::new([ns("team-a"), forged], pods(), &[]).unwrap();
        let team_b = cluster.namespaces().find(|n| n.name == "team-b").unwrap();
        assert_eq!(team_b.labels[NAMESPACE_NAME_LABEL], "team-b");
    }
}
