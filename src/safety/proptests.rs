//! Property tests of grant safety over generated clusters and grants: what a grant writes
//! changes the cluster's reachability by exactly the requested flows (nothing cut, nothing
//! else opened), or `jit` refuses it, with a reason that holds.
//!
//! The check does not trust the assessment: reachability before and after comes from the
//! reach model over its own grid of addresses and ports (every boundary of the generators'
//! alphabet, plus the assessment's own samples), and the requested flows are worked out
//! from the grant here, without `assess`'s rows.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use ipnet::IpNet;
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};

use super::{Assessment, Options, Snapshot, assess, sample_addresses, sample_ports};
use crate::exit::{Exit, JitError};
use crate::policy::{Grant, GrantId, Port, PortRef, Ports, Protocol, Source, Stamp, Target};
use crate::reach::{self, Cluster, Flow, Namespace, Pod, PodId};
use crate::selector::Selector;

const NAMESPACES: [&str; 3] = ["team-a", "team-b", "ops"];
/// Pod selectors, of policies and of grants.
const POD_SELECTORS: [&str; 11] = [
    "",
    "app=db",
    "app=web",
    "app=debug",
    "tier=a",
    "tier=b",
    "app!=db",
    "app in (db,web)",
    "tier",
    "!tier",
    "app=db,tier=a",
];
/// Target selectors, the common ones more often.
const TARGET_SELECTORS: [&str; 10] = [
    "app=db",
    "app=db",
    "app=web",
    "app=debug",
    "app!=db",
    "app in (db,web)",
    "tier=a",
    "tier",
    "!tier",
    "app=db,tier=a",
];
const NAMESPACE_SELECTORS: [&str; 6] = [
    "",
    "env=prod",
    "env!=prod",
    "env",
    "kubernetes.io/metadata.name=team-a",
    "kubernetes.io/metadata.name=ops",
];
/// ipBlocks of policies and CIDR sources of grants: each with its excepts (strict subsets).
const BLOCKS: [(&str, &[&str]); 11] = [
    ("10.0.0.0/8", &[]),
    ("10.0.0.0/8", &["10.0.0.0/30"]),
    ("10.0.0.0/8", &["10.0.0.6/31", "10.0.0.0/31"]),
    ("10.0.0.0/29", &[]),
    ("10.0.0.0/29", &["10.0.0.4/30"]),
    ("10.0.0.4/30", &[]),
    ("10.0.0.4/30", &["10.0.0.6/31"]),
    ("0.0.0.0/0", &[]),
    ("0.0.0.0/0", &["10.0.0.0/8"]),
    ("192.168.0.0/16", &[]),
    ("fd00::/8", &[]),
];
/// The first port of every stretch on which all generated rules, named ports and requested
/// ports answer alike (numbers 53, 80, 5432, 5433, 8080; ranges 1-1024, 5000-5432,
/// 5430-5440, 5433-6000), and one port inside a long stretch.
const PORTS: [u16; 16] = [
    1, 53, 54, 80, 81, 1025, 5000, 5430, 5432, 5433, 5434, 5441, 6001, 8080, 8081, 30000,
];
/// Addresses outside the cluster: the first of every stretch of [`BLOCKS`], and a few inside
/// stretches.
const ADDRESSES: [&str; 15] = [
    "0.0.0.0",
    "10.0.0.0",
    "10.0.0.1",
    "10.0.0.2",
    "10.0.0.4",
    "10.0.0.6",
    "10.0.0.7",
    "10.0.0.8",
    "10.200.0.1",
    "11.0.0.0",
    "192.168.0.0",
    "192.169.0.0",
    "::",
    "fd00::",
    "fe00::",
];
const PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

/// A generated cluster state and a grant in it.
#[derive(Clone)]
struct Case {
    snapshot: Snapshot,
    grant: Grant,
}

/// Which namespace a pod or policy is in: the grant's (so targets and isolation are common),
/// or one of the cluster's.
#[derive(Debug, Clone, Copy)]
enum Place {
    Grant,
    Index(usize),
}

/// `grant` in 4 times: the grant's namespace, else any (the grant's again, maybe).
fn place(grant: u32) -> impl Strategy<Value = Place> {
    prop_oneof![grant => Just(Place::Grant), 4 - grant => (0..3usize).prop_map(Place::Index)]
}

fn selector(text: &str) -> Selector {
    text.parse()
        .unwrap_or_else(|e| panic!("bad selector {text:?}: {e}"))
}

fn label_selector(text: &str) -> LabelSelector {
    selector(text).to_label_selector()
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![3 => Just(Protocol::Tcp), 1 => Just(Protocol::Udp), 1 => Just(Protocol::Sctp)]
}

#[derive(Debug, Clone)]
struct PodDraft {
    place: Place,
    app: Option<&'static str>,
    tier: Option<&'static str>,
    /// 0: no IP; 1..=8: 10.0.0.N; 9: outside 10/8.
    ip: u8,
    pg: Option<(u16, Protocol)>,
    http: Option<u16>,
    dns: bool,
}

fn pod_draft() -> impl Strategy<Value = PodDraft> {
    (
        place(3),
        prop::option::weighted(0.9, select(vec!["db", "web", "debug"])),
        prop::option::of(select(vec!["a", "b"])),
        prop_oneof![1 => Just(0u8), 3 => 1..=8u8, 1 => Just(9u8)],
        prop::option::of((
            select(vec![5432u16, 5433]),
            select(vec![Protocol::Tcp, Protocol::Udp]),
        )),
        prop::option::of(select(vec![80u16, 8080])),
        any::<bool>(),
    )
        .prop_map(|(place, app, tier, ip, pg, http, dns)| PodDraft {
            place,
            app,
            tier,
            ip,
            pg,
            http,
            dns,
        })
}

fn peer() -> impl Strategy<Value = NetworkPolicyPeer> {
    let pods = select(POD_SELECTORS.to_vec());
    let namespaces = select(NAMESPACE_SELECTORS.to_vec());
    prop_oneof![
        3 => pods.clone().prop_map(|p| NetworkPolicyPeer {
            pod_selector: Some(label_selector(p)),
            ..NetworkPolicyPeer::default()
        }),
        2 => namespaces.clone().prop_map(|n| NetworkPolicyPeer {
            namespace_selector: Some(label_selector(n)),
            ..NetworkPolicyPeer::default()
        }),
        2 => (namespaces, pods).prop_map(|(n, p)| NetworkPolicyPeer {
            namespace_selector: Some(label_selector(n)),
            pod_selector: Some(label_selector(p)),
            ip_block: None,
        }),
        2 => select(BLOCKS.to_vec()).prop_map(|(cidr, except)| NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: cidr.into(),
                except: (!except.is_empty()).then(|| except.iter().map(|e| e.to_string()).collect()),
            }),
            ..NetworkPolicyPeer::default()
        }),
    ]
}

fn policy_port() -> impl Strategy<Value = NetworkPolicyPort> {
    let protocol = prop::option::of(select(vec!["TCP", "UDP", "SCTP"]));
    let port = prop_oneof![
        3 => select(vec![53, 80, 5432]).prop_map(|n| (Some(IntOrString::Int(n)), None)),
        2 => select(vec![(5000, 5432), (5433, 6000)])
            .prop_map(|(a, b)| (Some(IntOrString::Int(a)), Some(b))),
        2 => select(vec!["pg", "http", "dns"])
            .prop_map(|name| (Some(IntOrString::String(name.into())), None)),
        1 => Just((None, None)),
    ];
    (port, protocol).prop_map(|((port, end_port), protocol)| NetworkPolicyPort {
        port,
        end_port,
        protocol: protocol.map(Into::into),
    })
}

/// `(peers, ports)` of one rule; `None` is "all".
type RuleDraft = (
    Option<Vec<NetworkPolicyPeer>>,
    Option<Vec<NetworkPolicyPort>>,
);

fn rule() -> impl Strategy<Value = RuleDraft> {
    (
        prop::option::weighted(0.8, prop::collection::vec(peer(), 1..=2)),
        prop::option::weighted(0.6, prop::collection::vec(policy_port(), 1..=2)),
    )
}

#[derive(Debug, Clone)]
struct PolicyDraft {
    place: Place,
    pod_selector: &'static str,
    policy_types: Option<Vec<&'static str>>,
    ingress: Option<Vec<RuleDraft>>,
    egress: Option<Vec<RuleDraft>>,
}

fn policy_types() -> impl Strategy<Value = Option<Vec<&'static str>>> {
    prop_oneof![
        Just(None),
        Just(Some(vec!["Ingress"])),
        Just(Some(vec!["Egress"])),
        Just(Some(vec!["Ingress", "Egress"])),
    ]
}

fn policy_draft() -> impl Strategy<Value = PolicyDraft> {
    // Default-deny policies are common, or nearly every grant would isolate its target.
    let deny = (place(3), policy_types()).prop_map(|(place, policy_types)| PolicyDraft {
        place,
        pod_selector: "",
        policy_types,
        ingress: None,
        egress: None,
    });
    let rules = || prop::option::of(prop::collection::vec(rule(), 0..=2));
    let any = (
        place(2),
        select(POD_SELECTORS.to_vec()),
        policy_types(),
        rules(),
        rules(),
    )
        .prop_map(
            |(place, pod_selector, policy_types, ingress, egress)| PolicyDraft {
                place,
                pod_selector,
                policy_types,
                ingress,
                egress,
            },
        );
    prop_oneof![3 => deny, 3 => any]
}

fn cidr_source() -> impl Strategy<Value = Source> {
    select(BLOCKS.to_vec()).prop_map(|(cidr, except)| Source::Cidr {
        cidr: cidr.parse().unwrap(),
        except: except.iter().map(|e| e.parse().unwrap()).collect(),
    })
}

#[derive(Debug, Clone)]
enum SourceDraft {
    Pods(&'static str),
    /// A namespace of the cluster (by index), or one that does not exist (`None`).
    Namespace(Option<usize>, Option<&'static str>),
    Cidr(Source),
}

fn source_draft() -> impl Strategy<Value = SourceDraft> {
    let namespace = prop_oneof![9 => (0..3usize).prop_map(Some), 1 => Just(None)];
    prop_oneof![
        3 => select(POD_SELECTORS.to_vec()).prop_map(SourceDraft::Pods),
        3 => (namespace, prop::option::of(select(POD_SELECTORS.to_vec())))
            .prop_map(|(ns, pods)| SourceDraft::Namespace(ns, pods)),
        2 => cidr_source().prop_map(SourceDraft::Cidr),
    ]
}

fn grant_ports() -> impl Strategy<Value = Ports> {
    let port = prop_oneof![
        3 => (select(vec![80u16, 5432, 5433]), protocol())
            .prop_map(|(n, protocol)| Port { port: PortRef::Number(n), protocol }),
        1 => (select(vec![(5430u16, 5440u16), (1, 1024)]), protocol())
            .prop_map(|((a, b), protocol)| Port { port: PortRef::Range(a, b), protocol }),
        // Named ports, mostly with the protocol pods declare them with.
        2 => select(vec![("pg", Protocol::Tcp), ("http", Protocol::Tcp), ("dns", Protocol::Udp)])
            .prop_map(|(name, protocol)| Port { port: PortRef::Named(name.into()), protocol }),
        1 => (select(vec!["pg", "http", "dns"]), protocol())
            .prop_map(|(name, protocol)| Port { port: PortRef::Named(name.into()), protocol }),
    ];
    prop_oneof![
        1 => Just(Ports::All),
        4 => prop::collection::vec(port, 1..=2).prop_map(|mut ports| {
            ports.sort();
            ports.dedup();
            Ports::Only(ports)
        }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        2..=3usize,
        prop::collection::vec(prop::option::of(select(vec!["prod", "dev"])), 3),
        prop::collection::vec(pod_draft(), 2..=6),
        prop::collection::vec(policy_draft(), 0..=4),
        0..3usize,
        prop::option::weighted(0.75, select(TARGET_SELECTORS.to_vec())),
        prop::collection::vec(source_draft(), 1..=2),
        grant_ports(),
    )
        .prop_map(
            |(count, envs, pods, policies, grant_ns, target, sources, ports)| {
                build(
                    count, &envs, &pods, &policies, grant_ns, target, &sources, ports,
                )
            },
        )
}

#[allow(clippy::too_many_arguments)]
fn build(
    count: usize,
    envs: &[Option<&str>],
    pods: &[PodDraft],
    policies: &[PolicyDraft],
    grant_ns: usize,
    target: Option<&str>,
    sources: &[SourceDraft],
    ports: Ports,
) -> Case {
    let grant_ns = grant_ns % count;
    let ns_name = |place: Place| match place {
        Place::Grant => NAMESPACES[grant_ns],
        Place::Index(i) => NAMESPACES[i % count],
    };
    let namespaces = NAMESPACES[..count]
        .iter()
        .zip(envs)
        .map(|(name, env)| match env {
            Some(env) => Namespace::new(*name).with_label("env", *env),
            None => Namespace::new(*name),
        })
        .collect();
    let pods = pods
        .iter()
        .enumerate()
        .map(|(i, draft)| {
            let mut pod = Pod::new(ns_name(draft.place), format!("p{i}"));
            if let Some(app) = draft.app {
                pod = pod.with_label("app", app);
            }
            if let Some(tier) = draft.tier {
                pod = pod.with_label("tier", tier);
            }
            match draft.ip {
                0 => {}
                9 => pod = pod.with_ip(format!("192.168.0.{}", i + 1).parse().unwrap()),
                n => pod = pod.with_ip(format!("10.0.0.{n}").parse().unwrap()),
            }
            if let Some((port, protocol)) = draft.pg {
                pod = pod.with_port("pg", port, protocol);
            }
            if let Some(port) = draft.http {
                pod = pod.with_port("http", port, Protocol::Tcp);
            }
            if draft.dns {
                pod = pod.with_port("dns", 53, Protocol::Udp);
            }
            pod
        })
        .collect();
    let policies = policies
        .iter()
        .enumerate()
        .map(|(i, draft)| NetworkPolicy {
            metadata: ObjectMeta {
                namespace: Some(ns_name(draft.place).into()),
                name: Some(format!("np{i}")),
                ..ObjectMeta::default()
            },
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(label_selector(draft.pod_selector)),
                policy_types: draft
                    .policy_types
                    .as_ref()
                    .map(|types| types.iter().map(|t| t.to_string()).collect()),
                ingress: draft.ingress.as_ref().map(|rules| {
                    rules
                        .iter()
                        .map(|(from, ports)| NetworkPolicyIngressRule {
                            from: from.clone(),
                            ports: ports.clone(),
                        })
                        .collect()
                }),
                egress: draft.egress.as_ref().map(|rules| {
                    rules
                        .iter()
                        .map(|(to, ports)| NetworkPolicyEgressRule {
                            to: to.clone(),
                            ports: ports.clone(),
                        })
                        .collect()
                }),
            }),
        })
        .collect();
    let mut sources: Vec<Source> = sources
        .iter()
        .map(|draft| match draft {
            SourceDraft::Pods(sel) => Source::Pods(selector(sel)),
            SourceDraft::Namespace(ns, pods) => Source::Namespace {
                name: ns.map_or("ghost", |i| NAMESPACES[i % count]).into(),
                pods: pods.map(selector),
            },
            SourceDraft::Cidr(source) => source.clone(),
        })
        .collect();
    sources.sort();
    sources.dedup();
    let grant = Grant {
        namespace: NAMESPACES[grant_ns].into(),
        target: target.map_or(Target::AllPods, |sel| Target::Pods(selector(sel))),
        target_service: None,
        sources,
        ports,
        ttl: Duration::from_secs(600),
        reason: None,
    };
    Case {
        snapshot: Snapshot {
            namespaces,
            pods,
            policies,
            unreadable: vec![],
        },
        grant,
    }
}

/// Readable, so a shrunk failing case can be read (and turned into a scenario test).
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        for ns in &self.snapshot.namespaces {
            writeln!(f, "namespace {} {:?}", ns.name, ns.labels)?;
        }
        for pod in &self.snapshot.pods {
            let ports: Vec<String> = pod
                .ports
                .iter()
                .map(|(name, p)| format!("{name}={}/{}", p.port, p.protocol.as_str()))
                .collect();
            writeln!(
                f,
                "pod {} {:?} ip={:?} ports=[{}]",
                pod.id(),
                pod.labels,
                pod.ip,
                ports.join(", ")
            )?;
        }
        for np in &self.snapshot.policies {
            let yaml = serde_saphyr::to_string(np).map_err(|_| fmt::Error)?;
            writeln!(f, "---\n{yaml}")?;
        }
        writeln!(
            f,
            "grant: to {}; from {}; ports {}",
            self.grant.describe_target(),
            self.grant.describe_sources(),
            self.grant.describe_ports()
        )
    }
}

fn stamp() -> Stamp {
    let created = "2026-11-27T15:12:41Z".parse().unwrap();
    Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: "alice".into(),
        groups: vec![],
        created,
        expires: Stamp::expiry(created, Duration::from_secs(600)),
    }
}

/// The flows the grant asks for, worked out from the grant alone.
struct Requested<'a> {
    grant: &'a Grant,
    pods: BTreeMap<PodId, &'a Pod>,
    targets: Vec<&'a Pod>,
    /// Pods the `--from` selectors match.
    source_pods: Vec<&'a Pod>,
    blocks: Vec<(IpNet, Vec<IpNet>)>,
}

impl<'a> Requested<'a> {
    fn new(case: &'a Case) -> Requested<'a> {
        let grant = &case.grant;
        let pods = &case.snapshot.pods;
        let targets = pods
            .iter()
            .filter(|p| p.namespace == grant.namespace)
            .filter(|p| match &grant.target {
                Target::AllPods => true,
                Target::Pods(sel) => sel.matches(&p.labels),
            })
            .collect();
        let source_pods: Vec<&Pod> = pods
            .iter()
            .filter(|p| {
                grant.sources.iter().any(|s| match s {
                    Source::Pods(sel) => p.namespace == grant.namespace && sel.matches(&p.labels),
                    Source::Namespace { name, pods } => {
                        p.namespace == *name && pods.as_ref().is_none_or(|s| s.matches(&p.labels))
                    }
                    Source::Cidr { .. } => false,
                })
            })
            .collect();
        let blocks = grant
            .cidrs()
            .map(|(cidr, except)| (cidr, except.to_vec()))
            .collect();
        Requested {
            grant,
            pods: pods.iter().map(|p| (p.id(), p)).collect(),
            targets,
            source_pods,
            blocks,
        }
    }

    fn covered(&self, ip: &IpAddr) -> bool {
        self.blocks
            .iter()
            .any(|(cidr, except)| cidr.contains(ip) && !except.iter().any(|e| e.contains(ip)))
    }

    fn port(&self, target: &Pod, port: u16, protocol: Protocol) -> bool {
        match &self.grant.ports {
            Ports::All => true,
            Ports::Only(list) => list.iter().any(|p| {
                p.protocol == protocol
                    && match &p.port {
                        PortRef::Number(n) => *n == port,
                        PortRef::Range(a, b) => (*a..=*b).contains(&port),
                        PortRef::Named(name) => target
                            .ports
                            .get(name)
                            .is_some_and(|cp| cp.port == port && cp.protocol == protocol),
                    }
            }),
        }
    }

    /// Whether the grant asks for `flow`, from a selected pod, a covered address, or a pod
    /// whose IP a CIDR covers (the model matches ipBlocks against pod IPs too).
    fn contains(&self, flow: &Flow) -> bool {
        let Some(target) = self.targets.iter().find(|t| t.id() == flow.destination) else {
            return false;
        };
        let source = match &flow.source {
            reach::Source::Pod(id) => {
                self.source_pods.iter().any(|p| p.id() == *id)
                    || self.pods[id].ip.is_some_and(|ip| self.covered(&ip))
            }
            reach::Source::External(ip) => self.covered(ip),
        };
        source && self.port(target, flow.port, flow.protocol)
    }
}

/// Reachability before and after the grant's policies, over the grid.
struct World {
    before: Cluster,
    after: Cluster,
    external: Vec<IpAddr>,
    ports: Vec<(u16, Protocol)>,
    before_flows: BTreeSet<Flow>,
    after_flows: BTreeSet<Flow>,
}

impl World {
    fn new(case: &Case, a: &Assessment) -> Result<World, TestCaseError> {
        let snapshot = &case.snapshot;
        let mut all = snapshot.policies.clone();
        all.extend(a.policies.iter().cloned());
        let cluster = |policies: &[NetworkPolicy]| {
            Cluster::new(
                snapshot.namespaces.iter().cloned(),
                snapshot.pods.iter().cloned(),
                policies,
            )
            .map_err(|e| TestCaseError::fail(format!("cluster: {e}")))
        };
        let before = cluster(&snapshot.policies)?;
        let after = cluster(&all)?;

        let mut external: BTreeSet<IpAddr> = ADDRESSES.iter().map(|a| a.parse().unwrap()).collect();
        external.extend(sample_addresses(&all, &case.grant));
        let external: Vec<IpAddr> = external.into_iter().collect();
        let mut ports: BTreeSet<(u16, Protocol)> = PORTS
            .iter()
            .flat_map(|p| PROTOCOLS.map(|protocol| (*p, protocol)))
            .collect();
        ports.extend(sample_ports(&all, &snapshot.pods, &case.grant));
        let ports: Vec<(u16, Protocol)> = ports.into_iter().collect();

        let before_flows = before.reachability(&external, &ports);
        let after_flows = after.reachability(&external, &ports);
        Ok(World {
            before,
            after,
            external,
            ports,
            before_flows,
            after_flows,
        })
    }

    fn is_allowed(cluster: &Cluster, flow: &Flow) -> Result<bool, TestCaseError> {
        cluster
            .allowed(flow)
            .map(|v| v.is_allowed())
            .map_err(|e| TestCaseError::fail(format!("{flow}: {e}")))
    }
}

/// What a checked case came to, for the statistics.
#[derive(Debug, Clone, Copy)]
struct Checked {
    outcome: Outcome,
    /// Flows the grant's policies open.
    opened: usize,
    /// Egress-side policies among them.
    egress_sides: usize,
}

/// Why a case was refused (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Granted,
    Isolation,
    MixedEgress,
    Cut,
    Exists,
}

fn reason(err: &JitError) -> Result<Outcome, TestCaseError> {
    let m = err.message.as_str();
    let outcome = match err.exit {
        Exit::Unsafe if m.starts_with("refusing: no NetworkPolicy isolates ") => Outcome::Isolation,
        Exit::Unsafe if m.starts_with("refusing: the sources ") => Outcome::MixedEgress,
        Exit::Unsafe if m.starts_with("refusing: the grant would cut ") => Outcome::Cut,
        Exit::Exists if m.starts_with("the path is already open") => Outcome::Exists,
        _ => {
            return Err(TestCaseError::fail(format!(
                "unexpected refusal ({:?}): {m}",
                err.exit
            )));
        }
    };
    Ok(outcome)
}

/// The property: the grant's policies change reachability by requested flows only, open every
/// requested flow, cut nothing unless isolation is allowed, and a refusal's reason holds.
fn check(case: &Case, options: Options) -> Result<Checked, TestCaseError> {
    let a = assess(&case.snapshot, &case.grant, &stamp())
        .map_err(|e| TestCaseError::fail(format!("assess: {e:#}")))?;
    let world = World::new(case, &a)?;
    let requested = Requested::new(case);

    // Nothing but requested flows opens, whatever the options (an extra flow is a bug in the
    // policies jit writes, not a risk a flag accepts).
    let opened: Vec<&Flow> = world.after_flows.difference(&world.before_flows).collect();
    for flow in &opened {
        prop_assert!(requested.contains(flow), "unrequested flow opened: {flow}");
    }
    prop_assert!(
        a.extra.is_empty(),
        "assess reports extra flows: {:?}",
        a.extra
    );

    // Every requested flow from a selected pod or a covered address is open after.
    let sources = requested
        .source_pods
        .iter()
        .map(|p| reach::Source::Pod(p.id()))
        .chain(
            world
                .external
                .iter()
                .filter(|ip| requested.covered(ip))
                .map(|ip| reach::Source::External(*ip)),
        );
    let mut wanted = 0usize;
    for source in sources {
        for target in &requested.targets {
            for &(port, protocol) in &world.ports {
                if requested.port(target, port, protocol) {
                    let flow = Flow::new(source.clone(), target.id(), port, protocol);
                    prop_assert!(
                        world.after_flows.contains(&flow),
                        "requested flow not open after the grant: {flow}"
                    );
                    wanted += 1;
                }
            }
        }
    }

    // The cut flows: each one assess lists is cut, and it sees a cut between the same ends
    // (any address for an external source) on the same protocol as the grid does. Both sample
    // every stretch of ports and addresses, so neither may miss one the other finds.
    let cut: Vec<&Flow> = world.before_flows.difference(&world.after_flows).collect();
    let ends = |flow: &Flow| {
        let source = match &flow.source {
            reach::Source::Pod(id) => Some(id.clone()),
            reach::Source::External(_) => None,
        };
        (source, flow.destination.clone(), flow.protocol)
    };
    let grid_ends: BTreeSet<_> = cut.iter().map(|f| ends(f)).collect();
    let assessed_ends: BTreeSet<_> = a.cut.iter().map(ends).collect();
    prop_assert_eq!(
        &grid_ends,
        &assessed_ends,
        "cut on the grid, e.g. {:?}; cut by assess, e.g. {:?}",
        cut.iter()
            .take(3)
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        a.cut
            .iter()
            .take(3)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    for flow in &a.cut {
        prop_assert!(
            World::is_allowed(&world.before, flow)? && !World::is_allowed(&world.after, flow)?
        );
    }

    // Isolation and egress sides, from the model rather than from the assessment.
    let unisolated: Vec<PodId> = requested
        .targets
        .iter()
        .filter(|t| world.before.isolated_ingress(t).is_empty())
        .map(|t| t.id())
        .collect();
    prop_assert_eq!(&unisolated, &a.newly_isolated);
    let mixed = case.grant.sources.iter().any(|source| {
        let pods: Vec<&&Pod> = requested
            .source_pods
            .iter()
            .filter(|p| match source {
                Source::Pods(sel) => p.namespace == case.grant.namespace && sel.matches(&p.labels),
                Source::Namespace { name, pods } => {
                    p.namespace == *name && pods.as_ref().is_none_or(|s| s.matches(&p.labels))
                }
                Source::Cidr { .. } => false,
            })
            .collect();
        let isolated = pods
            .iter()
            .filter(|p| !world.before.isolated_egress(p).is_empty())
            .count();
        isolated > 0 && isolated < pods.len()
    });

    let checked = |outcome| Checked {
        outcome,
        opened: opened.len(),
        egress_sides: a.policies.len() - 1,
    };
    let Some(err) = a.refusal(options) else {
        if !options.allow_isolation {
            prop_assert!(unisolated.is_empty(), "granted, isolating {unisolated:?}");
            prop_assert!(!mixed, "granted, isolating some sources for egress");
            prop_assert!(
                cut.is_empty(),
                "granted, cutting {}",
                cut.iter()
                    .take(3)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        return Ok(checked(Outcome::Granted));
    };
    prop_assert!(!err.message.is_empty());
    prop_assert!(err.hint.as_deref().is_some_and(|h| !h.is_empty()));
    let outcome = reason(&err)?;
    match outcome {
        Outcome::Isolation => {
            prop_assert!(!options.allow_isolation);
            prop_assert!(!unisolated.is_empty());
            for pod in unisolated.iter().take(8) {
                prop_assert!(err.message.contains(&pod.to_string()), "{} not named", pod);
            }
            prop_assert!(
                err.hint.as_deref().is_some_and(
                    |h| h.contains(&format!("jit baseline -n {}", case.grant.namespace))
                ),
                "{:?}",
                err.hint
            );
        }
        Outcome::MixedEgress => {
            prop_assert!(!options.allow_isolation);
            prop_assert!(mixed, "refused as mixed: {}", err.message);
        }
        Outcome::Cut => {
            prop_assert!(!options.allow_isolation);
            prop_assert!(!cut.is_empty(), "refused for a cut the grid does not see");
        }
        Outcome::Exists => {
            prop_assert!(!options.force);
            prop_assert!(unisolated.is_empty());
            prop_assert!(wanted > 0, "already open, but nothing is requested");
            prop_assert!(
                opened
                    .iter()
                    .all(|f| !matches!(f.source, reach::Source::External(_))
                        && !requested
                            .source_pods
                            .iter()
                            .any(|p| f.source == reach::Source::Pod(p.id()))),
                "refused as open, but the grant would open {:?}",
                opened
                    .iter()
                    .take(3)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            );
        }
        Outcome::Granted => unreachable!(),
    }
    Ok(checked(outcome))
}

fn config() -> Config {
    Config {
        // Failing cases are printed (shrunk); no regression files next to the sources.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Granted (with no flag) means: after = before + requested flows only, all of them open.
    #[test]
    fn a_granted_grant_changes_exactly_the_requested_flows(case in case()) {
        check(&case, Options::default())?;
    }

    /// Accepting isolation may cut flows, but never opens an unrequested one.
    #[test]
    fn with_allow_isolation_nothing_unrequested_opens(case in case()) {
        check(&case, Options { allow_isolation: true, force: false })?;
    }
}

/// The same property on a fixed sequence of cases (the same ones every run), counting
/// outcomes: many must get past the refusals and open flows, or the properties above would
/// prove little; and each kind of refusal must come up.
#[test]
fn generated_grants_are_often_granted() {
    let config = Config {
        cases: 200,
        ..config()
    };
    let mut runner = TestRunner::new_with_rng(
        config.clone(),
        TestRng::deterministic_rng(config.rng_algorithm),
    );
    let counts: RefCell<BTreeMap<Outcome, usize>> = RefCell::default();
    // Granted cases that open something, and that need an egress side.
    let (opening, egress) = (Cell::new(0), Cell::new(0));
    let result = runner.run(&case(), |case| {
        let checked = check(&case, Options::default())?;
        *counts.borrow_mut().entry(checked.outcome).or_default() += 1;
        if checked.outcome == Outcome::Granted && checked.opened > 0 {
            opening.set(opening.get() + 1);
            if checked.egress_sides > 0 {
                egress.set(egress.get() + 1);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let counts = counts.into_inner();
    let (opening, egress) = (opening.get(), egress.get());
    eprintln!(
        "outcomes of {} generated grants: {counts:?}; granted and opening flows: {opening}, \
         of which with an egress side: {egress}",
        config.cases
    );
    let count = |o| counts.get(&o).copied().unwrap_or(0);
    let cases = config.cases as usize;
    assert!(
        count(Outcome::Granted) * 2 >= cases,
        "fewer than half granted: {counts:?}"
    );
    // A grant matching no pod is granted too, and proves nothing: enough must open flows.
    assert!(
        opening * 5 >= cases,
        "fewer than a fifth granted and opening flows: {opening}"
    );
    assert!(
        egress * 20 >= cases,
        "few grants with an egress side: {egress}"
    );
    assert!(count(Outcome::Isolation) > 0, "{counts:?}");
    assert!(count(Outcome::Exists) > 0, "{counts:?}");
    assert!(count(Outcome::MixedEgress) > 0, "{counts:?}");
}
