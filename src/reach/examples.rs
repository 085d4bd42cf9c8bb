//! The examples of the Kubernetes documentation's NetworkPolicy page, as written there, with
//! the behaviour the page describes for each; then named ports, and a policy made by `jit
//! grant` fed back in.

use std::collections::BTreeSet;

use super::fixtures::{allows, external, np, policy, verdict_of};
use super::*;

const TCP: Protocol = Protocol::Tcp;
const UDP: Protocol = Protocol::Udp;

fn ip(text: &str) -> std::net::IpAddr {
    external(text)
}

const TEST_NETWORK_POLICY: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
";

fn test_network_policy_cluster() -> Cluster {
    Cluster::new(
        [
            Namespace::new("default"),
            Namespace::new("myproject").with_label("project", "myproject"),
            Namespace::new("other"),
        ],
        [
            Pod::new("default", "db")
                .with_label("role", "db")
                .with_ip(ip("10.0.1.10")),
            Pod::new("default", "frontend").with_label("role", "frontend"),
            Pod::new("default", "backend").with_label("role", "backend"),
            Pod::new("default", "cache").with_ip(ip("10.0.0.7")),
            Pod::new("myproject", "anything"),
            Pod::new("other", "frontend").with_label("role", "frontend"),
        ],
        &[np(TEST_NETWORK_POLICY)],
    )
    .unwrap()
}

/// "isolates role=db pods in the default namespace for both ingress and egress traffic"
#[test]
fn test_network_policy_isolates_db_both_ways() {
    let cluster = test_network_policy_cluster();
    let id = PolicyId::new("default", "test-network-policy");
    let db = cluster.pod(&PodId::new("default", "db")).unwrap();
    assert_eq!(cluster.isolated_ingress(db), [&id]);
    assert_eq!(cluster.isolated_egress(db), [&id]);
    for other in cluster.pods().filter(|p| p.name != "db") {
        assert!(cluster.isolated_ingress(other).is_empty(), "{}", other.name);
        assert!(cluster.isolated_egress(other).is_empty(), "{}", other.name);
    }
}

/// Ingress to role=db on TCP 6379 from role=frontend pods in default, any pod in a namespace
/// labelled project=myproject, and 172.17.0.0/16 except 172.17.1.0/24.
#[test]
fn test_network_policy_ingress() {
    let cluster = test_network_policy_cluster();
    let allowed = |source| allows(&cluster, source, "default/db", 6379, TCP);
    assert!(allowed("default/frontend"));
    assert!(allowed("myproject/anything"));
    assert!(allowed("172.17.0.1"));
    assert!(allowed("172.17.0.255"));
    assert!(allowed("172.17.2.0"));
    assert!(allowed("172.17.255.255"));

    assert!(!allowed("default/backend"), "not a frontend");
    assert!(
        !allowed("other/frontend"),
        "a bare podSelector means the policy's own namespace"
    );
    assert!(!allowed("172.17.1.0"), "except");
    assert!(!allowed("172.17.1.255"), "except");
    assert!(!allowed("172.16.255.255"));
    assert!(!allowed("192.0.2.1"));

    assert!(!allows(
        &cluster,
        "default/frontend",
        "default/db",
        6380,
        TCP
    ));
    assert!(!allows(
        &cluster,
        "default/frontend",
        "default/db",
        6379,
        UDP
    ));

    let v = verdict_of(&cluster, "default/frontend", "default/db", 6379, TCP);
    assert_eq!(v.egress, Side::NotIsolated);
    assert_eq!(
        v.ingress.to_string(),
        "allowed by networkpolicy default/test-network-policy (ingress rule 0)"
    );
}

/// Egress from role=db to 10.0.0.0/24 on TCP 5978, and nowhere else.
#[test]
fn test_network_policy_egress() {
    let cluster = test_network_policy_cluster();
    let v = verdict_of(&cluster, "default/db", "default/cache", 5978, TCP);
    assert_eq!(
        v.egress.to_string(),
        "allowed by networkpolicy default/test-network-policy (egress rule 0)"
    );
    assert_eq!(v.ingress, Side::NotIsolated);
    assert!(v.is_allowed());

    assert!(!allows(&cluster, "default/db", "default/cache", 5979, TCP));
    assert!(!allows(&cluster, "default/db", "default/cache", 5978, UDP));
    // frontend has no IP in 10.0.0.0/24 (no IP at all).
    let v = verdict_of(&cluster, "default/db", "default/frontend", 5978, TCP);
    assert_eq!(
        v.egress.to_string(),
        "denied: isolated by networkpolicy default/test-network-policy, and none of their \
         rules matches"
    );
    assert_eq!(v.ingress, Side::NotIsolated);
    assert!(!v.is_allowed());
}

fn two_namespaces(policies: &[&str]) -> Cluster {
    let policies: Vec<_> = policies.iter().map(|yaml| np(yaml)).collect();
    Cluster::new(
        [Namespace::new("default"), Namespace::new("other")],
        [
            Pod::new("default", "a").with_label("app", "a"),
            Pod::new("default", "b").with_label("app", "b"),
            Pod::new("other", "c").with_label("app", "c"),
        ],
        &policies,
    )
    .unwrap()
}

const PORTS: &[(u16, Protocol)] = &[(80, TCP), (53, UDP)];

fn reachable(cluster: &Cluster) -> BTreeSet<String> {
    cluster
        .reachability(&[ip("198.51.100.1")], PORTS)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Every (source, destination) pair, on every port of [`PORTS`], that `keep` accepts.
fn pairs(keep: impl Fn(&str, &str) -> bool) -> BTreeSet<String> {
    let sources = [
        "pod default/a",
        "pod default/b",
        "pod other/c",
        "198.51.100.1",
    ];
    let destinations = ["default/a", "default/b", "other/c"];
    let mut out = BTreeSet::new();
    for source in sources {
        for destination in destinations {
            if keep(source, destination) || source == format!("pod {destination}") {
                for (port, protocol) in PORTS {
                    out.insert(format!(
                        "{source} -> pod {destination} port {port}/{}",
                        protocol.as_str()
                    ));
                }
            }
        }
    }
    out
}

const DEFAULT_DENY_INGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: default
spec:
  podSelector: {}
  policyTypes:
  - Ingress
";

const ALLOW_ALL_INGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-ingress
  namespace: default
spec:
  podSelector: {}
  ingress:
  - {}
  policyTypes:
  - Ingress
";

const DEFAULT_DENY_EGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: default
spec:
  podSelector: {}
  policyTypes:
  - Egress
";

const ALLOW_ALL_EGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-egress
  namespace: default
spec:
  podSelector: {}
  egress:
  - {}
  policyTypes:
  - Egress
";

const DEFAULT_DENY_ALL: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: default
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
";

/// "Default deny all ingress traffic": nothing reaches pods in default (but themselves), and
/// their egress is untouched.
#[test]
fn default_deny_ingress() {
    let cluster = two_namespaces(&[DEFAULT_DENY_INGRESS]);
    assert_eq!(
        reachable(&cluster),
        pairs(|_, destination| destination == "other/c")
    );
}

/// "Allow all ingress traffic": the pods are isolated, and every connection is allowed anyway,
/// even alongside a default deny.
#[test]
fn allow_all_ingress() {
    let everything = pairs(|_, _| true);
    assert_eq!(reachable(&two_namespaces(&[])), everything);
    let cluster = two_namespaces(&[ALLOW_ALL_INGRESS]);
    assert_eq!(reachable(&cluster), everything);
    let cluster = two_namespaces(&[DEFAULT_DENY_INGRESS, ALLOW_ALL_INGRESS]);
    assert_eq!(reachable(&cluster), everything);
    let v = verdict_of(&cluster, "other/c", "default/a", 80, TCP);
    assert_eq!(
        v.ingress,
        Side::Isolated {
            policies: vec![
                PolicyId::new("default", "allow-all-ingress"),
                PolicyId::new("default", "default-deny-ingress"),
            ],
            allowed_by: vec![RuleRef {
                policy: PolicyId::new("default", "allow-all-ingress"),
                direction: Direction::Ingress,
                index: 0,
            }],
        }
    );
}

/// "Default deny all egress traffic": pods in default send nowhere (but to themselves), and
/// still receive.
#[test]
fn default_deny_egress() {
    let cluster = two_namespaces(&[DEFAULT_DENY_EGRESS]);
    assert_eq!(
        reachable(&cluster),
        pairs(|source, _| !source.starts_with("pod default/"))
    );
}

#[test]
fn allow_all_egress() {
    let everything = pairs(|_, _| true);
    assert_eq!(reachable(&two_namespaces(&[ALLOW_ALL_EGRESS])), everything);
    let cluster = two_namespaces(&[DEFAULT_DENY_EGRESS, ALLOW_ALL_EGRESS]);
    assert_eq!(reachable(&cluster), everything);
}

/// "Default deny all ingress and all egress traffic".
#[test]
fn default_deny_all() {
    let cluster = two_namespaces(&[DEFAULT_DENY_ALL]);
    assert_eq!(
        reachable(&cluster),
        pairs(|source, destination| {
            !source.starts_with("pod default/") && !destination.starts_with("default/")
        })
    );
}

fn alice_cluster(peers: &str) -> Cluster {
    let yaml = format!(
        "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: from-alice
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: server
  ingress:
  - from:
{peers}"
    );
    Cluster::new(
        [
            Namespace::new("default"),
            Namespace::new("alice").with_label("user", "alice"),
            Namespace::new("bob").with_label("user", "bob"),
        ],
        [
            Pod::new("default", "server").with_label("app", "server"),
            Pod::new("default", "client").with_label("role", "client"),
            Pod::new("default", "other"),
            Pod::new("alice", "client").with_label("role", "client"),
            Pod::new("alice", "other"),
            Pod::new("bob", "client").with_label("role", "client"),
        ],
        &[np(&yaml)],
    )
    .unwrap()
}

fn sources_reaching_server(cluster: &Cluster) -> Vec<String> {
    cluster
        .reachability(&[], &[(80, TCP)])
        .into_iter()
        .filter(|f| f.destination == PodId::new("default", "server"))
        .map(|f| f.source.to_string())
        .filter(|s| s != "pod default/server")
        .collect()
}

/// One peer with both selectors: role=client pods in namespaces labelled user=alice.
#[test]
fn namespace_and_pod_selector_in_one_peer_is_and() {
    let cluster = alice_cluster(
        "    - namespaceSelector:
        matchLabels:
          user: alice
      podSelector:
        matchLabels:
          role: client
",
    );
    assert_eq!(sources_reaching_server(&cluster), ["pod alice/client"]);
}

/// Two peers: every pod in namespaces labelled user=alice, or role=client pods in the policy's
/// own namespace.
#[test]
fn namespace_and_pod_selector_as_two_peers_is_or() {
    let cluster = alice_cluster(
        "    - namespaceSelector:
        matchLabels:
          user: alice
    - podSelector:
        matchLabels:
          role: client
",
    );
    assert_eq!(
        sources_reaching_server(&cluster),
        ["pod alice/client", "pod alice/other", "pod default/client"]
    );
}

/// "Targeting a range of ports": role=db pods may reach 10.0.0.0/24 on TCP 32000 to 32768.
#[test]
fn end_port_range() {
    let policy = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: multi-port-egress
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 32000
          endPort: 32768
";
    let cluster = Cluster::new(
        [Namespace::new("default")],
        [
            Pod::new("default", "db").with_label("role", "db"),
            Pod::new("default", "inside").with_ip(ip("10.0.0.20")),
            Pod::new("default", "outside").with_ip(ip("10.0.1.20")),
            Pod::new("default", "pending"),
        ],
        &[np(policy)],
    )
    .unwrap();
    for (port, expected) in [(31999, false), (32000, true), (32768, true), (32769, false)] {
        assert_eq!(
            allows(&cluster, "default/db", "default/inside", port, TCP),
            expected,
            "port {port}"
        );
    }
    assert!(!allows(
        &cluster,
        "default/db",
        "default/inside",
        32000,
        UDP
    ));
    assert!(!allows(
        &cluster,
        "default/db",
        "default/outside",
        32000,
        TCP
    ));
    assert!(
        !allows(&cluster, "default/db", "default/pending", 32000, TCP),
        "no IP, no ipBlock match"
    );
}

/// "Targeting a Namespace by its name": the control plane labels every namespace with
/// kubernetes.io/metadata.name, so selecting on it works even when the input did not say so.
#[test]
fn namespace_by_name() {
    let policy = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-namespaces
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: myapp
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchExpressions:
        - key: kubernetes.io/metadata.name
          operator: In
          values: [\"frontend\", \"backend\"]
";
    let bare = |name: &str| Namespace {
        name: name.into(),
        labels: Default::default(),
    };
    let cluster = Cluster::new(
        ["default", "frontend", "backend", "other"].map(bare),
        [
            Pod::new("default", "myapp").with_label("app", "myapp"),
            Pod::new("frontend", "a"),
            Pod::new("backend", "b"),
            Pod::new("other", "c"),
        ],
        &[np(policy)],
    )
    .unwrap();
    assert!(allows(&cluster, "default/myapp", "frontend/a", 443, TCP));
    assert!(allows(&cluster, "default/myapp", "backend/b", 53, UDP));
    assert!(!allows(&cluster, "default/myapp", "other/c", 443, TCP));
}

/// Named ports resolve on the destination pod, in ingress and egress rules alike.
#[test]
fn named_ports() {
    let ingress = policy(
        "default",
        "web-http",
        "podSelector: {matchLabels: {app: web}}\ningress: [{ports: [{port: http}]}]",
    );
    let egress = policy(
        "default",
        "client-http",
        "podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\n\
         egress: [{ports: [{port: http}]}]",
    );
    let cluster = Cluster::new(
        [Namespace::new("default")],
        [
            Pod::new("default", "web-1")
                .with_label("app", "web")
                .with_port("http", 8080, TCP),
            Pod::new("default", "web-2")
                .with_label("app", "web")
                .with_port("http", 9090, TCP),
            Pod::new("default", "web-3").with_label("app", "web"),
            Pod::new("default", "client").with_label("app", "client"),
            Pod::new("default", "other").with_port("http", 80, TCP),
        ],
        &[ingress, egress],
    )
    .unwrap();
    // Ingress: "other" is not isolated for egress, so only web-*'s ingress decides.
    assert!(allows(
        &cluster,
        "default/other",
        "default/web-1",
        8080,
        TCP
    ));
    assert!(!allows(
        &cluster,
        "default/other",
        "default/web-1",
        9090,
        TCP
    ));
    assert!(allows(
        &cluster,
        "default/other",
        "default/web-2",
        9090,
        TCP
    ));
    assert!(!allows(
        &cluster,
        "default/other",
        "default/web-2",
        8080,
        TCP
    ));
    assert!(!allows(
        &cluster,
        "default/other",
        "default/web-3",
        8080,
        TCP
    ));
    // Egress: the client's "http" means the destination's http port.
    assert!(allows(
        &cluster,
        "default/client",
        "default/web-2",
        9090,
        TCP
    ));
    assert!(allows(&cluster, "default/client", "default/other", 80, TCP));
    assert!(!allows(
        &cluster,
        "default/client",
        "default/other",
        8080,
        TCP
    ));
    let v = verdict_of(&cluster, "default/client", "default/web-1", 8080, TCP);
    assert_eq!(
        v.egress.to_string(),
        "allowed by networkpolicy default/client-http (egress rule 0)"
    );
    assert_eq!(
        v.ingress.to_string(),
        "allowed by networkpolicy default/web-http (ingress rule 0)"
    );
}

/// A jit grant is an ingress policy, so on a pod nothing isolated yet it closes every other
/// path while opening its own: the reason grant safety needs this model.
#[test]
fn a_grant_on_an_unisolated_pod_cuts_other_traffic() {
    use std::time::Duration;

    use crate::policy::{
        Grant, GrantId, Port, PortRef, Ports, Source as GrantSource, Stamp, Target, network_policy,
    };

    let grant = Grant {
        namespace: "team-a".into(),
        target: Target::Pods("app=db".parse().unwrap()),
        target_service: None,
        sources: vec![GrantSource::Pods("app=debug".parse().unwrap())],
        ports: Ports::Only(vec![Port {
            port: PortRef::Number(5432),
            protocol: TCP,
        }]),
        ttl: Duration::from_secs(600),
        reason: None,
    };
    let created = "2026-11-27T15:12:41Z".parse().unwrap();
    let stamp = Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: "alice".into(),
        groups: vec![],
        created,
        expires: Stamp::expiry(created, grant.ttl),
    };
    let granted = network_policy(&grant, &stamp);
    let pods = [
        Pod::new("team-a", "db").with_label("app", "db"),
        Pod::new("team-a", "debug").with_label("app", "debug"),
        Pod::new("team-a", "app").with_label("app", "api"),
    ];
    let deny = policy("team-a", "default-deny", "podSelector: {}");
    let ports = [(5432, TCP)];
    let db_flows = |policies: &[k8s_openapi::api::networking::v1::NetworkPolicy]| {
        let cluster = Cluster::new([Namespace::new("team-a")], pods.clone(), policies).unwrap();
        cluster
            .reachability(&[], &ports)
            .into_iter()
            .filter(|f| {
                f.destination.name == "db" && f.source != Source::Pod(f.destination.clone())
            })
            .map(|f| f.source.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(db_flows(&[]), ["pod team-a/app", "pod team-a/debug"]);
    assert_eq!(
        db_flows(std::slice::from_ref(&granted)),
        ["pod team-a/debug"]
    );
    assert_eq!(db_flows(std::slice::from_ref(&deny)), Vec::<String>::new());
    assert_eq!(db_flows(&[deny, granted.clone()]), ["pod team-a/debug"]);

    let cluster = Cluster::new([Namespace::new("team-a")], pods.clone(), &[granted]).unwrap();
    let v = verdict_of(&cluster, "team-a/debug", "team-a/db", 5432, TCP);
    assert_eq!(
        v.ingress.to_string(),
        format!(
            "allowed by networkpolicy team-a/{} (ingress rule 0)",
            stamp.id.policy_name()
        )
    );
}
