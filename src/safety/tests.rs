//! Scenarios of grant safety: each one a small cluster, a grant, and exactly what `assess`
//! decides about it (the policies it would write, the flows before and after, the refusal).

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::*;
use crate::policy::{GrantId, Port, PortRef, Ports, Protocol, keys};
use crate::reach::fixtures::policy;
use crate::reach::{Direction, PolicyId, RuleRef, Side};
use crate::selector::Selector;

const TCP: Protocol = Protocol::Tcp;
const UDP: Protocol = Protocol::Udp;

fn sel(text: &str) -> Selector {
    text.parse().unwrap()
}

fn default_deny(namespace: &str) -> NetworkPolicy {
    policy(
        namespace,
        "default-deny",
        "podSelector: {}\npolicyTypes: [Ingress]",
    )
}

fn pod(namespace: &str, name: &str, app: &str) -> Pod {
    Pod::new(namespace, name).with_label("app", app)
}

fn id(text: &str) -> PodId {
    let (namespace, name) = text.split_once('/').unwrap();
    PodId::new(namespace, name)
}

fn from_pod(source: &str, destination: &str, port: u16, protocol: Protocol) -> Flow {
    Flow::new(
        reach::Source::Pod(id(source)),
        id(destination),
        port,
        protocol,
    )
}

fn from_ip(source: &str, destination: &str, port: u16, protocol: Protocol) -> Flow {
    Flow::new(
        reach::Source::External(source.parse().unwrap()),
        id(destination),
        port,
        protocol,
    )
}

fn port(number: u16) -> Ports {
    Ports::Only(vec![Port {
        port: PortRef::Number(number),
        protocol: TCP,
    }])
}

/// `--to app=db` in team-a, on 5432/TCP.
fn grant(sources: Vec<Source>) -> Grant {
    Grant {
        namespace: "team-a".into(),
        target: Target::Pods(sel("app=db")),
        target_service: None,
        sources,
        ports: port(5432),
        ttl: Duration::from_secs(30 * 60),
        reason: None,
    }
}

fn debug_to_db() -> Grant {
    grant(vec![Source::Pods(sel("app=debug"))])
}

fn stamp() -> Stamp {
    let created: Timestamp = "2026-11-27T15:12:41Z".parse().unwrap();
    Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: "alice".into(),
        groups: vec!["devs".into()],
        created,
        expires: Stamp::expiry(created, Duration::from_secs(30 * 60)),
    }
}

fn snapshot(namespaces: &[&str], pods: Vec<Pod>, policies: Vec<NetworkPolicy>) -> Snapshot {
    Snapshot {
        namespaces: namespaces.iter().map(|n| Namespace::new(*n)).collect(),
        pods,
        policies,
        unreadable: vec![],
    }
}

/// team-a: db, debug and web.
fn team_a(policies: Vec<NetworkPolicy>) -> Snapshot {
    snapshot(
        &["team-a"],
        vec![
            pod("team-a", "db", "db"),
            pod("team-a", "debug", "debug"),
            pod("team-a", "web", "web"),
        ],
        policies,
    )
}

/// The cluster with the snapshot's policies and `extra` ones: the independent check.
fn cluster(snapshot: &Snapshot, extra: &[NetworkPolicy]) -> reach::Cluster {
    let mut policies = snapshot.policies.clone();
    policies.extend(extra.iter().cloned());
    reach::Cluster::new(
        snapshot.namespaces.iter().cloned(),
        snapshot.pods.iter().cloned(),
        &policies,
    )
    .unwrap()
}

fn allowed(cluster: &reach::Cluster, flow: &Flow) -> bool {
    cluster.allowed(flow).unwrap().is_allowed()
}

fn name(np: &NetworkPolicy) -> &str {
    np.metadata.name.as_deref().unwrap()
}

fn rows(a: &Assessment) -> Vec<(String, bool, bool)> {
    a.rows
        .iter()
        .map(|r| {
            (
                r.flow.to_string(),
                r.before.is_allowed(),
                r.after.is_allowed(),
            )
        })
        .collect()
}

fn rule(namespace: &str, name: &str, direction: Direction) -> RuleRef {
    RuleRef {
        policy: PolicyId::new(namespace, name),
        direction,
        index: 0,
    }
}

fn ids(list: &[&str]) -> Vec<PodId> {
    list.iter().map(|t| id(t)).collect()
}

/// Every sampled port of the simple grants below: the stretches start at 1, 5432 and 5433.
fn sampled_ports() -> Vec<(u16, Protocol)> {
    [TCP, UDP, Protocol::Sctp]
        .into_iter()
        .flat_map(|p| [1, 5432, 5433].map(|n| (n, p)))
        .collect()
}

#[test]
fn a_target_no_policy_isolates_is_refused_with_the_baseline_hint() {
    let snapshot = team_a(vec![]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert_eq!(a.target_pods, ids(&["team-a/db"]));
    assert_eq!(a.newly_isolated, ids(&["team-a/db"]));

    let err = a.refusal(Options::default()).expect("refused");
    assert_eq!(err.exit, Exit::Unsafe);
    assert!(
        err.message
            .starts_with("refusing: no NetworkPolicy isolates pod team-a/db for ingress, so "),
        "{}",
        err.message
    );
    // What it cuts, as pairs of pods (debug keeps only the granted port).
    assert!(
        err.message.ends_with(
            " other ingress: pod team-a/debug -> team-a/db, \
             pod team-a/web -> team-a/db, and every address outside the cluster; \
             nothing was written"
        ),
        "{}",
        err.message
    );
    assert_eq!(
        err.hint.as_deref(),
        Some(
            "isolate the namespace first with `jit baseline -n team-a` (a default-deny ingress \
             policy, shown before it is applied), then grant; or grant anyway with --allow-isolation"
        )
    );
    // --force is about open paths, not isolation.
    let forced = a.refusal(Options {
        allow_isolation: false,
        force: true,
    });
    assert_eq!(forced.map(|e| e.exit), Some(Exit::Unsafe));
}

#[test]
fn allow_isolation_grants_and_lists_every_cut_flow() {
    let snapshot = team_a(vec![]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    let options = Options {
        allow_isolation: true,
        force: false,
    };
    assert!(a.refusal(options).is_none());
    // Allowed before (nothing isolates db) and after: not "already open", since the grant's
    // point is to keep the path through the isolation.
    assert_eq!(
        rows(&a),
        [(
            "pod team-a/debug -> pod team-a/db port 5432/TCP".into(),
            true,
            true
        )]
    );
    assert!(!a.already_open());

    let mut expected = BTreeSet::new();
    for &(port, protocol) in &sampled_ports() {
        for source in ["team-a/debug", "team-a/web"] {
            if !(source == "team-a/debug" && port == 5432 && protocol == TCP) {
                expected.insert(from_pod(source, "team-a/db", port, protocol));
            }
        }
        for ip in ["0.0.0.0", "::"] {
            expected.insert(from_ip(ip, "team-a/db", port, protocol));
        }
    }
    let cut: BTreeSet<Flow> = a.cut.iter().cloned().collect();
    assert_eq!(cut.len(), a.cut.len(), "no flow is listed twice");
    assert_eq!(cut, expected);
    assert!(a.extra.is_empty());

    // The cut is real: web reaches db before and not after.
    let web = from_pod("team-a/web", "team-a/db", 5432, TCP);
    assert!(allowed(&cluster(&snapshot, &[]), &web));
    assert!(!allowed(&cluster(&snapshot, &a.policies), &web));
}

#[test]
fn an_egress_only_policy_does_not_isolate_for_ingress() {
    let egress_only = policy(
        "team-a",
        "egress-only",
        "podSelector: {}\npolicyTypes: [Egress]\negress: [{}]",
    );
    let snapshot = team_a(vec![egress_only]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert_eq!(a.newly_isolated, ids(&["team-a/db"]));
    let err = a.refusal(Options::default()).unwrap();
    assert_eq!(err.exit, Exit::Unsafe);
    assert!(
        err.message
            .contains("no NetworkPolicy isolates pod team-a/db")
    );
}

#[test]
fn several_unisolated_pods_are_all_named() {
    let mut snapshot = team_a(vec![]);
    snapshot.pods.push(pod("team-a", "db-2", "db"));
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert_eq!(a.newly_isolated, ids(&["team-a/db", "team-a/db-2"]));
    let err = a.refusal(Options::default()).unwrap();
    assert!(
        err.message.starts_with(
            "refusing: no NetworkPolicy isolates pods team-a/db, team-a/db-2 for ingress, so they \
             accept traffic from everywhere today; the grant's policy would isolate them and cut \
             all their other ingress"
        ),
        "{}",
        err.message
    );
}

#[test]
fn behind_a_default_deny_the_grant_opens_exactly_its_flow() {
    let snapshot = team_a(vec![default_deny("team-a")]);
    let stamp = stamp();
    let a = assess(&snapshot, &debug_to_db(), &stamp).unwrap();
    assert!(a.refusal(Options::default()).is_none());
    assert!(a.newly_isolated.is_empty());
    assert_eq!(a.policies.len(), 1);
    assert_eq!(name(&a.policies[0]), stamp.id.policy_name());
    assert_eq!(a.policies[0].metadata.namespace.as_deref(), Some("team-a"));
    assert_eq!(a.policies[0], {
        let mut np = policy::network_policy(&debug_to_db(), &stamp);
        policy::note_egress_namespaces(&mut np, &[]);
        np
    });

    assert_eq!(a.rows.len(), 1);
    let row = &a.rows[0];
    assert_eq!(row.flow, from_pod("team-a/debug", "team-a/db", 5432, TCP));
    assert_eq!(row.cidr, None);
    assert!(!row.before.is_allowed());
    assert_eq!(
        row.before.ingress,
        Side::Isolated {
            policies: vec![PolicyId::new("team-a", "default-deny")],
            allowed_by: vec![],
        }
    );
    assert!(row.after.is_allowed());
    assert_eq!(
        row.after.ingress,
        Side::Isolated {
            policies: vec![
                PolicyId::new("team-a", "default-deny"),
                PolicyId::new("team-a", stamp.id.policy_name()),
            ],
            allowed_by: vec![rule("team-a", &stamp.id.policy_name(), Direction::Ingress)],
        }
    );
    assert_eq!(a.sources.len(), 1);
    assert!(a.sources[0].isolated.is_empty());
    assert_eq!(a.sources[0].free, ids(&["team-a/debug"]));
    assert!(a.cut.is_empty());
    assert!(a.extra.is_empty());
    assert!(a.empty.is_empty());

    // Independently: only that one flow changes, on any port.
    let before = cluster(&snapshot, &[]);
    let after = cluster(&snapshot, &a.policies);
    let ports: Vec<(u16, Protocol)> = sampled_ports()
        .into_iter()
        .chain([(5431, TCP), (80, TCP)])
        .collect();
    let external = ["0.0.0.0".parse().unwrap(), "192.0.2.1".parse().unwrap()];
    let before = before.reachability(&external, &ports);
    let after = after.reachability(&external, &ports);
    let opened: Vec<String> = after.difference(&before).map(ToString::to_string).collect();
    assert_eq!(opened, ["pod team-a/debug -> pod team-a/db port 5432/TCP"]);
    assert!(before.is_subset(&after));

    let mut text = Vec::new();
    write_explanation(&mut text, &a).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains(&format!(
            "writes: networkpolicy team-a/{}",
            stamp.id.policy_name()
        )),
        "{text}"
    );
    assert!(text.contains("changes: only the flows above"), "{text}");
}

/// team-a (default deny): db; ops: toolbox and other, with `ops_policies`.
fn with_ops(ops_policies: Vec<NetworkPolicy>) -> Snapshot {
    let mut policies = vec![default_deny("team-a")];
    policies.extend(ops_policies);
    snapshot(
        &["team-a", "ops"],
        vec![
            pod("team-a", "db", "db"),
            pod("ops", "toolbox", "toolbox"),
            pod("ops", "other", "other"),
        ],
        policies,
    )
}

#[test]
fn egress_isolated_sources_get_an_egress_policy_in_their_namespace() {
    let deny_egress = policy(
        "ops",
        "deny-egress",
        "podSelector: {}\npolicyTypes: [Egress]",
    );
    let snapshot = with_ops(vec![deny_egress]);
    let grant = grant(vec![Source::Namespace {
        name: "ops".into(),
        pods: Some(sel("app=toolbox")),
    }]);
    let stamp = stamp();
    let a = assess(&snapshot, &grant, &stamp).unwrap();
    assert!(a.refusal(Options::default()).is_none());
    assert_eq!(a.sources.len(), 1);
    assert_eq!(a.sources[0].namespace, "ops");
    assert_eq!(a.sources[0].isolated, ids(&["ops/toolbox"]));
    assert!(a.sources[0].free.is_empty());

    let names: Vec<(&str, &str)> = a
        .policies
        .iter()
        .map(|np| (np.metadata.namespace.as_deref().unwrap(), name(np)))
        .collect();
    let egress_name = format!("{}-egress-1", stamp.id.policy_name());
    assert_eq!(
        names,
        [
            ("team-a", stamp.id.policy_name().as_str()),
            ("ops", egress_name.as_str())
        ]
    );
    let (ingress, egress) = (&a.policies[0], &a.policies[1]);

    let spec = egress.spec.as_ref().unwrap();
    assert_eq!(
        spec.pod_selector,
        Some(sel("app=toolbox").to_label_selector())
    );
    assert_eq!(spec.policy_types, Some(vec!["Egress".to_string()]));
    assert_eq!(spec.ingress, None);
    let rules = spec.egress.as_ref().unwrap();
    assert_eq!(rules.len(), 1);
    let to = rules[0].to.as_ref().unwrap();
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].pod_selector, Some(sel("app=db").to_label_selector()));
    assert_eq!(
        to[0].namespace_selector,
        Some(LabelSelector {
            match_labels: Some(std::collections::BTreeMap::from([(
                policy::NAMESPACE_NAME_LABEL.to_string(),
                "team-a".to_string(),
            )])),
            match_expressions: None,
        })
    );
    let ports = rules[0].ports.as_ref().unwrap();
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0].port, Some(IntOrString::Int(5432)));
    assert_eq!(ports[0].protocol.as_deref(), Some("TCP"));

    let labels = |np: &NetworkPolicy| np.metadata.labels.clone().unwrap();
    let annotations = |np: &NetworkPolicy| np.metadata.annotations.clone().unwrap();
    for key in [keys::GRANT_ID, keys::EXPIRES, keys::PATH, keys::MANAGED_BY] {
        assert_eq!(labels(egress)[key], labels(ingress)[key], "{key}");
    }
    assert_eq!(labels(egress)[keys::GRANT_ID], stamp.id.as_str());
    assert_eq!(
        labels(egress)[keys::EXPIRES],
        stamp.expires.as_second().to_string()
    );
    assert_eq!(labels(egress)[keys::SIDE], "egress");
    assert!(!labels(ingress).contains_key(keys::SIDE));
    assert!(policy::is_egress_side(egress));
    assert!(!policy::is_egress_side(ingress));
    assert_eq!(annotations(ingress)[keys::EGRESS_NAMESPACES], "ops");
    assert_eq!(annotations(egress)[keys::GRANT_NAMESPACE], "team-a");
    assert_eq!(policy::partner_namespaces(ingress), ["ops"]);
    assert_eq!(policy::partner_namespaces(egress), ["team-a"]);

    // The flow, denied at both ends before, allowed by both new policies after.
    assert_eq!(a.rows.len(), 1);
    let row = &a.rows[0];
    assert_eq!(row.flow, from_pod("ops/toolbox", "team-a/db", 5432, TCP));
    assert!(!row.before.egress.allows());
    assert!(!row.before.ingress.allows());
    assert_eq!(
        row.after.egress,
        Side::Isolated {
            policies: vec![
                PolicyId::new("ops", "deny-egress"),
                PolicyId::new("ops", &egress_name),
            ],
            allowed_by: vec![rule("ops", &egress_name, Direction::Egress)],
        }
    );
    assert!(row.after.is_allowed());
    assert!(a.cut.is_empty());
    assert!(a.extra.is_empty());

    // Independently: both halves are needed, and nothing else opens.
    let flow = from_pod("ops/toolbox", "team-a/db", 5432, TCP);
    assert!(!allowed(&cluster(&snapshot, &a.policies[..1]), &flow));
    let after = cluster(&snapshot, &a.policies);
    assert!(allowed(&after, &flow));
    assert!(!allowed(
        &after,
        &from_pod("ops/toolbox", "team-a/db", 5433, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("ops/other", "team-a/db", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("ops/toolbox", "ops/other", 5432, TCP)
    ));
}

#[test]
fn sources_partly_isolated_for_egress_are_refused() {
    let deny_toolbox = policy(
        "ops",
        "deny-toolbox-egress",
        "podSelector: {matchLabels: {app: toolbox}}\npolicyTypes: [Egress]",
    );
    let snapshot = with_ops(vec![deny_toolbox]);
    let grant = grant(vec![Source::Namespace {
        name: "ops".into(),
        pods: None,
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert_eq!(a.sources[0].isolated, ids(&["ops/toolbox"]));
    assert_eq!(a.sources[0].free, ids(&["ops/other"]));
    assert!(a.newly_isolated.is_empty());

    let err = a.refusal(Options::default()).unwrap();
    assert_eq!(err.exit, Exit::Unsafe);
    assert_eq!(
        err.message,
        "refusing: the sources all pods in ops include pods isolated for egress (ops/toolbox) and \
         pods that are not (ops/other); the egress policy the first need would isolate the others \
         and cut their other outgoing traffic; nothing was written"
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("narrow --from to pods of one kind, or grant anyway with --allow-isolation")
    );

    // Granted anyway: other loses its egress to toolbox, on every port.
    let options = Options {
        allow_isolation: true,
        force: false,
    };
    assert!(a.refusal(options).is_none());
    let cut: BTreeSet<Flow> = a.cut.iter().cloned().collect();
    let expected: BTreeSet<Flow> = sampled_ports()
        .into_iter()
        .map(|(port, protocol)| from_pod("ops/other", "ops/toolbox", port, protocol))
        .collect();
    assert_eq!(cut, expected);
    let after = cluster(&snapshot, &a.policies);
    assert!(!allowed(
        &after,
        &from_pod("ops/other", "ops/toolbox", 80, TCP)
    ));
    assert!(allowed(
        &after,
        &from_pod("ops/other", "team-a/db", 5432, TCP)
    ));
    assert!(allowed(
        &after,
        &from_pod("ops/toolbox", "team-a/db", 5432, TCP)
    ));
}

#[test]
fn an_open_path_is_refused_as_existing_unless_forced() {
    let allow_debug = policy(
        "team-a",
        "allow-debug",
        "podSelector: {matchLabels: {app: db}}\n\
         ingress: [{from: [{podSelector: {matchLabels: {app: debug}}}]}]",
    );
    let snapshot = team_a(vec![allow_debug]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert!(a.newly_isolated.is_empty(), "allow-debug isolates db");
    assert!(a.already_open());
    assert_eq!(a.open_by(), ["networkpolicy team-a/allow-debug"]);
    let err = a.refusal(Options::default()).unwrap();
    assert_eq!(err.exit, Exit::Exists);
    assert_eq!(
        err.message,
        "the path is already open: allowed by networkpolicy team-a/allow-debug; nothing was written"
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("`jit explain` shows who reaches what; grant anyway with --force")
    );
    let forced = Options {
        allow_isolation: false,
        force: true,
    };
    assert!(a.refusal(forced).is_none());
    assert!(a.cut.is_empty());
    assert!(a.extra.is_empty());
}

#[test]
fn a_pod_granted_to_itself_is_already_open_and_says_why() {
    let a = assess(
        &team_a(vec![default_deny("team-a")]),
        &grant(vec![Source::Pods(sel("app=db"))]),
        &stamp(),
    )
    .unwrap();
    assert_eq!(a.rows_total, 1);
    assert!(a.already_open());
    assert!(a.open_by().is_empty());
    let err = a.refusal(Options::default()).unwrap();
    assert_eq!(err.exit, Exit::Exists);
    assert_eq!(
        err.message,
        "the path is already open: it is each pod's traffic to itself, which no policy can \
         block; nothing was written"
    );
}

/// Many alike pods share verdicts, yet every flow is counted and listed like any other.
#[test]
fn replicas_share_verdicts_and_every_flow_is_counted() {
    let mut pods: Vec<Pod> = (0..4)
        .map(|i| pod("team-a", &format!("db-{i}"), "db"))
        .collect();
    pods.extend((0..3).map(|i| pod("team-a", &format!("debug-{i}"), "debug")));
    let snapshot = snapshot(&["team-a"], pods, vec![default_deny("team-a")]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert_eq!(a.rows_total, 12);
    assert_eq!(a.rows.len(), 12);
    let flows: std::collections::BTreeSet<String> =
        a.rows.iter().map(|r| r.flow.to_string()).collect();
    assert_eq!(flows.len(), 12);
    assert!(flows.contains("pod team-a/debug-2 -> pod team-a/db-3 port 5432/TCP"));
    assert!(
        a.rows
            .iter()
            .all(|r| !r.before.is_allowed() && r.after.is_allowed())
    );
    assert!(a.refusal(Options::default()).is_none());
}

#[test]
fn an_open_path_names_the_policies_of_both_ends() {
    let allow_debug = policy(
        "team-a",
        "allow-debug",
        "podSelector: {matchLabels: {app: db}}\n\
         ingress: [{from: [{podSelector: {matchLabels: {app: debug}}}]}]",
    );
    let debug_egress = policy(
        "team-a",
        "debug-egress",
        "podSelector: {matchLabels: {app: debug}}\npolicyTypes: [Egress]\n\
         egress: [{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 5432}]}]",
    );
    let snapshot = team_a(vec![allow_debug, debug_egress]);
    let a = assess(&snapshot, &debug_to_db(), &stamp()).unwrap();
    assert_eq!(a.sources[0].isolated, ids(&["team-a/debug"]));
    // Isolated for egress, so the grant carries an egress side, though the path is open.
    assert_eq!(a.policies.len(), 2);
    let err = a.refusal(Options::default()).unwrap();
    assert_eq!(err.exit, Exit::Exists);
    assert_eq!(
        err.message,
        "the path is already open: allowed by networkpolicy team-a/allow-debug, \
         networkpolicy team-a/debug-egress; nothing was written"
    );
}

#[test]
fn a_partly_open_range_is_not_already_open() {
    let some_ports = policy(
        "team-a",
        "some-ports",
        "podSelector: {matchLabels: {app: db}}\n\
         ingress: [{from: [{podSelector: {}}], ports: [{port: 8050, endPort: 8060}]}]",
    );
    let snapshot = team_a(vec![some_ports]);
    let mut grant = debug_to_db();
    grant.ports = Ports::Only(vec![Port {
        port: PortRef::Range(8000, 8100),
        protocol: TCP,
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert_eq!(
        rows(&a),
        [
            (
                "pod team-a/debug -> pod team-a/db port 8000/TCP".into(),
                false,
                true
            ),
            (
                "pod team-a/debug -> pod team-a/db port 8050/TCP".into(),
                true,
                true
            ),
            (
                "pod team-a/debug -> pod team-a/db port 8061/TCP".into(),
                false,
                true
            ),
        ]
    );
    assert!(!a.already_open());
    assert!(a.refusal(Options::default()).is_none());
    let after = cluster(&snapshot, &a.policies);
    assert!(allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db", 8100, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db", 8101, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/web", "team-a/db", 8000, TCP)
    ));
}

#[test]
fn selectors_that_match_no_pod_are_warnings() {
    let snapshot = team_a(vec![default_deny("team-a")]);
    let grant = grant(vec![
        Source::Pods(sel("app=nothing")),
        Source::Namespace {
            name: "ghost".into(),
            pods: None,
        },
    ]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert_eq!(
        a.empty,
        [
            "--from pods app=nothing: matches no pod",
            "--from all pods in ghost: namespace ghost does not exist",
        ]
    );
    assert!(a.rows.is_empty());
    assert_eq!(a.policies.len(), 1);
    assert!(
        a.refusal(Options::default()).is_none(),
        "a warning, not a refusal"
    );

    let mut to_nothing = debug_to_db();
    to_nothing.target = Target::Pods(sel("app=cache"));
    let a = assess(&snapshot, &to_nothing, &stamp()).unwrap();
    assert_eq!(a.empty, ["pods app=cache in team-a matches no pod"]);
    assert!(a.target_pods.is_empty());
    assert!(a.newly_isolated.is_empty());
    assert!(a.refusal(Options::default()).is_none());
    let mut text = Vec::new();
    write_explanation(&mut text, &a).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.starts_with("no pod matches the target"), "{text}");
    assert!(
        text.contains("warning: pods app=cache in team-a matches no pod"),
        "{text}"
    );
}

#[test]
fn a_cidr_source_has_address_rows_and_no_egress_side() {
    let mut snapshot = team_a(vec![
        default_deny("team-a"),
        // Even with every pod isolated for egress: an address source has no pods to open.
        policy(
            "team-a",
            "deny-egress",
            "podSelector: {}\npolicyTypes: [Egress]",
        ),
    ]);
    snapshot.pods = vec![
        pod("team-a", "db", "db"),
        pod("team-a", "web", "web").with_ip("10.3.0.5".parse().unwrap()),
        pod("team-a", "debug", "debug").with_ip("10.1.0.7".parse().unwrap()),
    ];
    let grant = grant(vec![Source::Cidr {
        cidr: "10.0.0.0/8".parse().unwrap(),
        except: vec!["10.1.0.0/16".parse().unwrap()],
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert!(a.refusal(Options::default()).is_none());
    assert!(a.sources.is_empty());
    assert_eq!(a.policies.len(), 1);
    let annotations = a.policies[0].metadata.annotations.clone().unwrap();
    assert!(!annotations.contains_key(keys::EGRESS_NAMESPACES));

    assert_eq!(
        rows(&a),
        [
            (
                "10.0.0.0 -> pod team-a/db port 5432/TCP".into(),
                false,
                true
            ),
            (
                "10.2.0.0 -> pod team-a/db port 5432/TCP".into(),
                false,
                true
            ),
        ]
    );
    assert!(
        a.rows
            .iter()
            .all(|r| r.cidr.as_deref() == Some("10.0.0.0/8"))
    );
    assert!(a.rows.iter().all(|r| r.after.egress == Side::External));
    assert!(a.cut.is_empty());
    assert!(a.extra.is_empty());

    let after = cluster(&snapshot, &a.policies);
    assert!(allowed(
        &after,
        &from_ip("10.255.255.255", "team-a/db", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_ip("10.1.2.3", "team-a/db", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_ip("11.0.0.0", "team-a/db", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_ip("10.0.0.1", "team-a/db", 5433, TCP)
    ));
    // web's address is covered, but web itself may not send: no egress side for addresses.
    assert!(!allowed(
        &after,
        &from_pod("team-a/web", "team-a/db", 5432, TCP)
    ));
}

#[test]
fn a_pod_whose_ip_the_cidr_covers_is_a_permitted_source() {
    let mut snapshot = team_a(vec![default_deny("team-a")]);
    snapshot.pods = vec![
        pod("team-a", "db", "db"),
        pod("team-a", "web", "web").with_ip("10.3.0.5".parse().unwrap()),
        pod("team-a", "debug", "debug").with_ip("10.1.0.7".parse().unwrap()),
    ];
    let grant = grant(vec![Source::Cidr {
        cidr: "10.0.0.0/8".parse().unwrap(),
        except: vec!["10.1.0.0/16".parse().unwrap()],
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert!(a.refusal(Options::default()).is_none());
    assert!(a.extra.is_empty(), "{:?}", a.extra);
    let after = cluster(&snapshot, &a.policies);
    assert!(allowed(
        &after,
        &from_pod("team-a/web", "team-a/db", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db", 5432, TCP)
    ));
}

#[test]
fn a_named_port_resolves_on_each_target_pod() {
    let snapshot = snapshot(
        &["team-a"],
        vec![
            pod("team-a", "db-0", "db").with_port("pg", 5432, TCP),
            pod("team-a", "db-1", "db").with_port("pg", 6432, TCP),
            pod("team-a", "db-2", "db").with_port("pg", 5432, UDP),
            pod("team-a", "db-3", "db"),
            pod("team-a", "debug", "debug"),
        ],
        vec![default_deny("team-a")],
    );
    let mut grant = debug_to_db();
    grant.ports = Ports::Only(vec![Port {
        port: PortRef::Named("pg".into()),
        protocol: TCP,
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert!(a.refusal(Options::default()).is_none());
    assert_eq!(
        rows(&a),
        [
            (
                "pod team-a/debug -> pod team-a/db-0 port 5432/TCP".into(),
                false,
                true
            ),
            (
                "pod team-a/debug -> pod team-a/db-1 port 6432/TCP".into(),
                false,
                true
            ),
        ]
    );
    assert!(a.cut.is_empty());
    assert!(a.extra.is_empty());
    let after = cluster(&snapshot, &a.policies);
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db-1", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db-2", 5432, UDP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db-2", 5432, TCP)
    ));
    assert!(!allowed(
        &after,
        &from_pod("team-a/debug", "team-a/db-3", 5432, TCP)
    ));
}

#[test]
fn an_unreadable_source_namespace_is_neither_empty_nor_given_an_egress_side() {
    // ops could not be read: its pods and policies are not in the snapshot.
    let mut snapshot = snapshot(
        &["team-a", "ops"],
        vec![pod("team-a", "db", "db")],
        vec![default_deny("team-a")],
    );
    snapshot.unreadable = vec!["ops".into()];
    let grant = grant(vec![Source::Namespace {
        name: "ops".into(),
        pods: Some(sel("app=toolbox")),
    }]);
    let a = assess(&snapshot, &grant, &stamp()).unwrap();
    assert!(a.empty.is_empty(), "{:?}", a.empty);
    assert!(a.sources.is_empty());
    assert_eq!(a.policies.len(), 1);
    assert!(a.rows.is_empty());
    assert!(a.refusal(Options::default()).is_none());
}
