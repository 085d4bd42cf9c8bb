//! Pure policy generation: a validated grant and its stamp (who, when, until when) become a
//! NetworkPolicy. No I/O and no clock here, so every byte of the output is testable.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use ipnet::IpNet;
use jiff::Timestamp;
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sha2::{Digest, Sha256};

use crate::selector::Selector;

/// Labels and annotations jit puts on what it creates. Labels are what selectors (the
/// reaper's, `list`'s, duplicate detection's) work on; their values cannot hold colons, so
/// the expiry label is unix seconds and the exact expiry is an annotation.
pub mod keys {
    /// The marker: jit only ever lists, reaps or revokes objects that carry it with the
    /// value [`MANAGED_BY_VALUE`] *and* carry a grant id.
    pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
    pub const MANAGED_BY_VALUE: &str = "jit";
    pub const GRANT_ID: &str = "jit.dev/grant-id";
    /// Expiry as unix seconds (UTC).
    pub const EXPIRES: &str = "jit.dev/expires";
    /// A fingerprint of the path (namespace, target, sources, ports), to find duplicates.
    pub const PATH: &str = "jit.dev/path";
    /// A fingerprint of the requester's username (which may hold characters label values
    /// cannot), so `revoke --user` is one label-selected request.
    pub const REQUESTER_HASH: &str = "jit.dev/requester-hash";

    pub const EXPIRES_AT: &str = "jit.dev/expires-at";
    pub const CREATED_AT: &str = "jit.dev/created-at";
    pub const REQUESTER: &str = "jit.dev/requester";
    pub const REQUESTER_GROUPS: &str = "jit.dev/requester-groups";
    pub const REASON: &str = "jit.dev/reason";
    pub const TTL: &str = "jit.dev/ttl";
    pub const VERSION: &str = "jit.dev/version";
    pub const TARGET_SERVICE: &str = "jit.dev/target-service";

    /// On an egress-side policy: `egress`. The grant's own (ingress) policy has no side label.
    pub const SIDE: &str = "jit.dev/side";
    pub const SIDE_EGRESS: &str = "egress";
    /// On `jit baseline`'s default-deny policy: which direction it isolates.
    pub const BASELINE: &str = "jit.dev/baseline";
    /// On the ingress policy: the namespaces (comma-separated, sorted) that hold its egress
    /// side, so revoke and extend find the whole grant from either half.
    pub const EGRESS_NAMESPACES: &str = "jit.dev/egress-namespaces";
    /// On an egress-side policy: the namespace of the grant's ingress policy.
    pub const GRANT_NAMESPACE: &str = "jit.dev/grant-namespace";

    /// The label selector that finds every jit-managed object: the marker and a non-empty
    /// grant id, exactly what `expiry::is_jit_managed` demands (`key` alone would also match
    /// `key=""`, and a deletecollection deletes whatever its selector matches).
    pub fn managed_selector() -> String {
        format!("{MANAGED_BY}={MANAGED_BY_VALUE},{GRANT_ID},{GRANT_ID}!=")
    }
}

/// The label Kubernetes (≥ 1.21) puts on every namespace with its own name: how a peer
/// selects one namespace by name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Whether `name` is a valid port name (IANA_SVC_NAME, as the API server validates it): at
/// most 15 characters of [a-z0-9-], at least one letter, no leading, trailing or double
/// hyphen. One rule for `--port` and for the policies jit reads.
pub fn is_port_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

/// A port on the target pods: a number, a range (number to `end`), or a container port name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortRef {
    Number(u16),
    Range(u16, u16),
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Port {
    pub port: PortRef,
    pub protocol: Protocol,
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.port {
            PortRef::Number(n) => write!(f, "{n}")?,
            PortRef::Range(a, b) => write!(f, "{a}-{b}")?,
            PortRef::Named(name) => f.write_str(name)?,
        }
        write!(f, "/{}", self.protocol.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ports {
    /// Asked for with `--all-ports`: the rule has no ports list.
    All,
    /// Sorted and deduplicated, never empty.
    Only(Vec<Port>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Pods(Selector),
    /// Asked for with `--to-all-pods`: an empty podSelector.
    AllPods,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Pods in the grant's own namespace.
    Pods(Selector),
    /// Pods in another namespace; `None` means every pod in it.
    Namespace {
        name: String,
        pods: Option<Selector>,
    },
    Cidr {
        cidr: IpNet,
        except: Vec<IpNet>,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Pods(sel) => write!(f, "pods {sel}"),
            Source::Namespace { name, pods: None } => write!(f, "all pods in {name}"),
            Source::Namespace {
                name,
                pods: Some(sel),
            } => write!(f, "pods {sel} in {name}"),
            Source::Cidr { cidr, except } if except.is_empty() => write!(f, "{cidr}"),
            Source::Cidr { cidr, except } => {
                let except: Vec<String> = except.iter().map(ToString::to_string).collect();
                write!(f, "{cidr} except {}", except.join(", "))
            }
        }
    }
}

/// A validated request for one path. Built by `request` (and, for `--to-service`, completed
/// with the Service's selector by the grant command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub namespace: String,
    pub target: Target,
    /// The Service the target came from, kept for the record.
    pub target_service: Option<String>,
    /// Sorted and deduplicated, never empty.
    pub sources: Vec<Source>,
    pub ports: Ports,
    pub ttl: Duration,
    pub reason: Option<String>,
}

impl Grant {
    /// "pods app=db in team-a", for people.
    pub fn describe_target(&self) -> String {
        let pods = match &self.target {
            Target::Pods(sel) => format!("pods {sel}"),
            Target::AllPods => "all pods".to_string(),
        };
        match &self.target_service {
            Some(svc) => format!("service {svc} ({pods}) in {}", self.namespace),
            None => format!("{pods} in {}", self.namespace),
        }
    }

    pub fn describe_sources(&self) -> String {
        let sources: Vec<String> = self.sources.iter().map(ToString::to_string).collect();
        sources.join("; ")
    }

    pub fn describe_ports(&self) -> String {
        match &self.ports {
            Ports::All => "all ports".to_string(),
            Ports::Only(ports) => {
                let ports: Vec<String> = ports.iter().map(ToString::to_string).collect();
                ports.join(", ")
            }
        }
    }

    /// The CIDR sources, each with its excepts.
    pub fn cidrs(&self) -> impl Iterator<Item = (IpNet, &[IpNet])> {
        self.sources.iter().filter_map(|s| match s {
            Source::Cidr { cidr, except } => Some((*cidr, except.as_slice())),
            _ => None,
        })
    }

    /// Identifies the path regardless of who asks, when, or why: two grants with the same
    /// fingerprint open the same thing. A truncated SHA-256 fits a label value.
    pub fn path_fingerprint(&self) -> String {
        let target = match &self.target {
            Target::Pods(sel) => sel.to_string(),
            Target::AllPods => "*".to_string(),
        };
        let sources: Vec<String> = self.sources.iter().map(canonical_source).collect();
        let ports = match &self.ports {
            Ports::All => "*".to_string(),
            Ports::Only(ports) => {
                let ports: Vec<String> = ports.iter().map(ToString::to_string).collect();
                ports.join(",")
            }
        };
        let canonical = format!(
            "v1\nnamespace={}\ntarget={target}\nsources={}\nports={ports}\n",
            self.namespace,
            sources.join("|")
        );
        let digest = Sha256::digest(canonical.as_bytes());
        digest[..10].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The label value that stands for a username: a truncated SHA-256, hex.
pub fn requester_hash(username: &str) -> String {
    let digest = Sha256::digest(format!("jit-requester-v1\n{username}").as_bytes());
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// Unambiguous text for a source, unlike `Display` which is for people.
fn canonical_source(source: &Source) -> String {
    match source {
        Source::Pods(sel) => format!("pods:{sel}"),
        Source::Namespace { name, pods } => format!(
            "ns:{name}:{}",
            pods.as_ref().map_or("*".to_string(), ToString::to_string)
        ),
        Source::Cidr { cidr, except } => {
            let except: Vec<String> = except.iter().map(ToString::to_string).collect();
            format!("cidr:{cidr}!{}", except.join("!"))
        }
    }
}

/// A short random grant id: 8 characters of [a-z0-9] (about 41 bits), which keeps names
/// like `jit-7f3a9c2e` easy to read out during an incident.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantId(String);

impl GrantId {
    const ALPHABET: &'static [u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

    pub fn generate(rng: &mut impl rand::Rng) -> GrantId {
        let id = (0..8)
            .map(|_| Self::ALPHABET[rng.random_range(0..Self::ALPHABET.len())] as char)
            .collect();
        GrantId(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The NetworkPolicy's name.
    pub fn policy_name(&self) -> String {
        format!("jit-{}", self.0)
    }
}

impl fmt::Display for GrantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who asked, as the API server knows them, and when the grant starts and ends by the API
/// server's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub id: GrantId,
    pub requester: String,
    pub groups: Vec<String>,
    pub created: Timestamp,
    pub expires: Timestamp,
}

impl Stamp {
    /// Expiry from a start time: rounded down to the second, so a grant is never longer
    /// than asked for.
    pub fn expiry(created: Timestamp, ttl: Duration) -> Timestamp {
        let end = created.as_second().saturating_add(ttl.as_secs() as i64);
        Timestamp::from_second(end).unwrap_or(Timestamp::MAX)
    }
}

/// The one NetworkPolicy that opens the grant's path: it selects exactly the target, is of
/// type Ingress only, and has a single ingress rule with exactly the requested peers and
/// ports.
pub fn network_policy(grant: &Grant, stamp: &Stamp) -> NetworkPolicy {
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(stamp.id.policy_name()),
            namespace: Some(grant.namespace.clone()),
            labels: Some(labels(grant, stamp)),
            annotations: Some(annotations(grant, stamp)),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(target_selector(&grant.target)),
            policy_types: Some(vec!["Ingress".to_string()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(grant.sources.iter().map(peer).collect()),
                ports: rule_ports(&grant.ports),
            }]),
            egress: None,
        }),
    }
}

/// The egress side of a grant for sources whose pods are isolated for egress: in the
/// source's namespace, selecting exactly the source's pods, allowing them to reach exactly
/// the target's pods on the grant's ports. Same grant id, expiry and path labels as the
/// ingress policy, so the reaper removes both when the grant expires.
///
/// `number` (1-based) tells a grant's egress policies apart. Returns `None` for a CIDR source,
/// which has no pods (and so no egress to open).
pub fn egress_policy(
    grant: &Grant,
    stamp: &Stamp,
    source: &Source,
    number: usize,
) -> Option<NetworkPolicy> {
    let (namespace, pods) = match source {
        Source::Pods(sel) => (grant.namespace.clone(), sel.to_label_selector()),
        Source::Namespace { name, pods } => (
            name.clone(),
            pods.as_ref()
                .map_or_else(LabelSelector::default, Selector::to_label_selector),
        ),
        Source::Cidr { .. } => return None,
    };
    let mut labels = labels(grant, stamp);
    labels.insert(keys::SIDE.into(), keys::SIDE_EGRESS.into());
    let mut annotations = annotations(grant, stamp);
    annotations.insert(keys::GRANT_NAMESPACE.into(), grant.namespace.clone());
    let to = NetworkPolicyPeer {
        namespace_selector: Some(LabelSelector {
            match_labels: Some(BTreeMap::from([(
                NAMESPACE_NAME_LABEL.to_string(),
                grant.namespace.clone(),
            )])),
            match_expressions: None,
        }),
        pod_selector: Some(target_selector(&grant.target)),
        ip_block: None,
    };
    Some(NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(format!("{}-egress-{number}", stamp.id.policy_name())),
            namespace: Some(namespace),
            labels: Some(labels),
            annotations: Some(annotations),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(pods),
            policy_types: Some(vec!["Egress".to_string()]),
            ingress: None,
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![to]),
                ports: rule_ports(&grant.ports),
            }]),
        }),
    })
}

/// The name of `jit baseline`'s policy: one per namespace.
pub const BASELINE_NAME: &str = "jit-baseline-deny-ingress";

/// `jit baseline`: isolate every pod of `namespace` for ingress, allowing nothing. It
/// carries jit's marker but no grant id and no expiry, so nothing of jit's ever reaps or
/// revokes it.
pub fn baseline_policy(namespace: &str) -> NetworkPolicy {
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(BASELINE_NAME.to_string()),
            namespace: Some(namespace.to_string()),
            labels: Some(BTreeMap::from([
                (keys::MANAGED_BY.into(), keys::MANAGED_BY_VALUE.into()),
                (keys::BASELINE.into(), "ingress".into()),
            ])),
            annotations: Some(BTreeMap::from([(
                keys::VERSION.into(),
                env!("CARGO_PKG_VERSION").into(),
            )])),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            policy_types: Some(vec!["Ingress".to_string()]),
            ingress: None,
            egress: None,
        }),
    }
}

/// Records on the ingress policy where its egress side lives.
pub fn note_egress_namespaces(ingress: &mut NetworkPolicy, egress: &[NetworkPolicy]) {
    let mut namespaces: Vec<String> = egress
        .iter()
        .filter_map(|np| np.metadata.namespace.clone())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    if !namespaces.is_empty() {
        ingress
            .metadata
            .annotations
            .get_or_insert_default()
            .insert(keys::EGRESS_NAMESPACES.into(), namespaces.join(","));
    }
}

/// The namespaces holding the other half of a grant's policy: the egress namespaces of an
/// ingress policy, or the grant namespace of an egress one.
pub fn partner_namespaces(np: &NetworkPolicy) -> Vec<String> {
    let annotations = np.metadata.annotations.clone().unwrap_or_default();
    let mut namespaces: Vec<String> = annotations
        .get(keys::EGRESS_NAMESPACES)
        .map(|list| {
            list.split(',')
                .filter(|ns| !ns.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    namespaces.extend(annotations.get(keys::GRANT_NAMESPACE).cloned());
    namespaces.retain(|ns| Some(ns) != np.metadata.namespace.as_ref());
    namespaces.sort();
    namespaces.dedup();
    namespaces
}

/// Whether this is the egress side of a grant (not the grant's own ingress policy).
pub fn is_egress_side(np: &NetworkPolicy) -> bool {
    np.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(keys::SIDE))
        .map(String::as_str)
        == Some(keys::SIDE_EGRESS)
}

fn target_selector(target: &Target) -> LabelSelector {
    match target {
        Target::Pods(sel) => sel.to_label_selector(),
        Target::AllPods => LabelSelector::default(),
    }
}

fn rule_ports(ports: &Ports) -> Option<Vec<NetworkPolicyPort>> {
    match ports {
        Ports::All => None,
        Ports::Only(ports) => Some(ports.iter().map(policy_port).collect()),
    }
}

fn labels(grant: &Grant, stamp: &Stamp) -> BTreeMap<String, String> {
    BTreeMap::from([
        (keys::MANAGED_BY.into(), keys::MANAGED_BY_VALUE.into()),
        (keys::GRANT_ID.into(), stamp.id.to_string()),
        (keys::EXPIRES.into(), stamp.expires.as_second().to_string()),
        (keys::PATH.into(), grant.path_fingerprint()),
        (
            keys::REQUESTER_HASH.into(),
            requester_hash(&stamp.requester),
        ),
    ])
}

fn annotations(grant: &Grant, stamp: &Stamp) -> BTreeMap<String, String> {
    let mut map = BTreeMap::from([
        (keys::EXPIRES_AT.into(), rfc3339(stamp.expires)),
        (keys::CREATED_AT.into(), rfc3339(stamp.created)),
        (keys::REQUESTER.into(), stamp.requester.clone()),
        (
            keys::REQUESTER_GROUPS.into(),
            serde_json::to_string(&stamp.groups).expect("strings serialize"),
        ),
        (
            keys::TTL.into(),
            humantime::format_duration(grant.ttl).to_string(),
        ),
        (keys::VERSION.into(), env!("CARGO_PKG_VERSION").into()),
    ]);
    if let Some(reason) = &grant.reason {
        map.insert(keys::REASON.into(), reason.clone());
    }
    if let Some(svc) = &grant.target_service {
        map.insert(keys::TARGET_SERVICE.into(), svc.clone());
    }
    map
}

/// RFC 3339 in UTC with whole seconds, e.g. `2026-11-27T15:42:41Z`.
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn peer(source: &Source) -> NetworkPolicyPeer {
    match source {
        Source::Pods(sel) => NetworkPolicyPeer {
            pod_selector: Some(sel.to_label_selector()),
            ..NetworkPolicyPeer::default()
        },
        Source::Namespace { name, pods } => NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector {
                match_labels: Some(BTreeMap::from([(
                    NAMESPACE_NAME_LABEL.to_string(),
                    name.clone(),
                )])),
                match_expressions: None,
            }),
            // Within one peer, namespaceSelector AND podSelector: these pods in that namespace.
            pod_selector: pods.as_ref().map(Selector::to_label_selector),
            ip_block: None,
        },
        Source::Cidr { cidr, except } => NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: cidr.to_string(),
                except: (!except.is_empty())
                    .then(|| except.iter().map(ToString::to_string).collect()),
            }),
            ..NetworkPolicyPeer::default()
        },
    }
}

fn policy_port(port: &Port) -> NetworkPolicyPort {
    let (number, end_port) = match &port.port {
        PortRef::Number(n) => (IntOrString::Int(i32::from(*n)), None),
        PortRef::Range(a, b) => (IntOrString::Int(i32::from(*a)), Some(i32::from(*b))),
        PortRef::Named(name) => (IntOrString::String(name.clone()), None),
    };
    NetworkPolicyPort {
        port: Some(number),
        end_port,
        protocol: Some(port.protocol.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(s: &str) -> Selector {
        s.parse().unwrap()
    }

    /// alice's stamp for `grant`, at a fixed time.
    fn stamp(grant: &Grant) -> Stamp {
        let created: Timestamp = "2026-11-27T15:12:41Z".parse().unwrap();
        Stamp {
            id: GrantId("7f3a9c2e".into()),
            requester: "alice".into(),
            groups: vec!["devs".into(), "system:authenticated".into()],
            created,
            expires: Stamp::expiry(created, grant.ttl),
        }
    }

    fn db_grant() -> Grant {
        Grant {
            namespace: "team-a".into(),
            target: Target::Pods(sel("app=db")),
            target_service: None,
            sources: vec![Source::Pods(sel("app=debug"))],
            ports: Ports::Only(vec![Port {
                port: PortRef::Number(5432),
                protocol: Protocol::Tcp,
            }]),
            ttl: Duration::from_secs(30 * 60),
            reason: Some("INC-1234: check replication lag".into()),
        }
    }

    fn yaml(np: &NetworkPolicy) -> String {
        serde_saphyr::to_string(np).unwrap()
    }

    #[test]
    fn the_issue_example_as_yaml() {
        insta::assert_snapshot!(yaml(&network_policy(&db_grant(), &stamp(&db_grant()))));
    }

    #[test]
    fn every_kind_of_source_and_port() {
        let grant = Grant {
            namespace: "team-a".into(),
            target: Target::Pods(sel("app=db,tier!=cache")),
            target_service: Some("db".into()),
            sources: vec![
                Source::Pods(sel("env in (a,b),!legacy")),
                Source::Namespace {
                    name: "ops".into(),
                    pods: Some(sel("app=toolbox")),
                },
                Source::Namespace {
                    name: "monitoring".into(),
                    pods: None,
                },
                Source::Cidr {
                    cidr: "10.0.0.0/8".parse().unwrap(),
                    except: vec!["10.9.0.0/16".parse().unwrap()],
                },
                Source::Cidr {
                    cidr: "fd00::/8".parse().unwrap(),
                    except: vec![],
                },
            ],
            ports: Ports::Only(vec![
                Port {
                    port: PortRef::Number(53),
                    protocol: Protocol::Udp,
                },
                Port {
                    port: PortRef::Range(8000, 8100),
                    protocol: Protocol::Tcp,
                },
                Port {
                    port: PortRef::Named("http".into()),
                    protocol: Protocol::Sctp,
                },
            ]),
            ttl: Duration::from_secs(90),
            reason: None,
        };
        insta::assert_snapshot!(yaml(&network_policy(&grant, &stamp(&grant))));
    }

    #[test]
    fn all_ports_and_all_pods_only_when_asked() {
        let mut grant = db_grant();
        let np = network_policy(&grant, &stamp(&grant));
        let rule = &np.spec.as_ref().unwrap().ingress.as_ref().unwrap()[0];
        assert_eq!(rule.ports.as_ref().unwrap().len(), 1);
        assert_ne!(
            np.spec.as_ref().unwrap().pod_selector,
            Some(LabelSelector::default())
        );

        grant.ports = Ports::All;
        grant.target = Target::AllPods;
        let np = network_policy(&grant, &stamp(&grant));
        let spec = np.spec.unwrap();
        assert_eq!(spec.ingress.unwrap()[0].ports, None);
        assert_eq!(spec.pod_selector, Some(LabelSelector::default()));
    }

    #[test]
    fn labels_carry_marker_id_and_unix_expiry() {
        let np = network_policy(&db_grant(), &stamp(&db_grant()));
        let labels = np.metadata.labels.unwrap();
        assert_eq!(labels[keys::MANAGED_BY], "jit");
        assert_eq!(labels[keys::GRANT_ID], "7f3a9c2e");
        // 2026-11-27T15:42:41Z
        assert_eq!(labels[keys::EXPIRES], "1795794161");
        let annotations = np.metadata.annotations.unwrap();
        assert_eq!(annotations[keys::EXPIRES_AT], "2026-11-27T15:42:41Z");
        assert_eq!(annotations[keys::TTL], "30m");
        assert_eq!(np.metadata.name.as_deref(), Some("jit-7f3a9c2e"));
    }

    #[test]
    fn expiry_rounds_down_never_up() {
        let created: Timestamp = "2026-11-27T15:12:41.999Z".parse().unwrap();
        let expires = Stamp::expiry(created, Duration::from_millis(60_900));
        assert_eq!(rfc3339(expires), "2026-11-27T15:13:41Z");
    }

    #[test]
    fn fingerprint_depends_on_the_path_only() {
        let a = db_grant();
        let mut b = db_grant();
        b.ttl = Duration::from_secs(60);
        b.reason = Some("other".into());
        assert_eq!(a.path_fingerprint(), b.path_fingerprint());
        assert_eq!(a.path_fingerprint().len(), 20);

        let mut c = db_grant();
        c.ports = Ports::Only(vec![Port {
            port: PortRef::Number(5433),
            protocol: Protocol::Tcp,
        }]);
        assert_ne!(a.path_fingerprint(), c.path_fingerprint());
        let mut d = db_grant();
        d.namespace = "team-b".into();
        assert_ne!(a.path_fingerprint(), d.path_fingerprint());
    }

    #[test]
    fn grant_ids_are_short_lowercase_and_differ() {
        let mut rng = rand::rng();
        let a = GrantId::generate(&mut rng);
        let b = GrantId::generate(&mut rng);
        assert_eq!(a.as_str().len(), 8);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_ne!(a, b);
    }
}
