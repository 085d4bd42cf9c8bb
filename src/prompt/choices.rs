//! What the prompts offer, built from what the cluster returned. Pure, so it is tested
//! without a terminal or a cluster.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::describe;
use crate::expiry::{self, Status};
use crate::output;
use crate::policy::{self, Port, PortRef, Protocol, keys};
use crate::request::TargetRequest;

/// The labels pods are grouped by, preferred first: the recommended name label, then the
/// conventional one. A pod with both is grouped by the first.
pub const GROUP_KEYS: [&str; 2] = ["app.kubernetes.io/name", "app"];

/// Pods that share a value of one of [`GROUP_KEYS`]: one choice of target or source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub value: String,
    /// Pod names, sorted.
    pub pods: Vec<String>,
}

impl Group {
    /// The `--to` / `--from` selector for the group.
    pub fn selector(&self) -> String {
        format!("{}={}", self.key, self.value)
    }

    /// `app=db (2 pods: cache, db)`; at most three names.
    pub fn label(&self) -> String {
        let count = self.pods.len();
        let mut names = self
            .pods
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if count > 3 {
            names.push_str(", …");
        }
        let noun = if count == 1 { "pod" } else { "pods" };
        format!("{} ({count} {noun}: {names})", self.selector())
    }
}

/// The pods grouped by [`GROUP_KEYS`], sorted by key and value. Pods with neither label are
/// left out (a typed selector or "all pods" reaches them).
pub fn pod_groups(pods: &[Pod]) -> Vec<Group> {
    let mut groups: BTreeMap<(usize, String), BTreeSet<String>> = BTreeMap::new();
    for pod in pods {
        let labels = pod.metadata.labels.clone().unwrap_or_default();
        let Some((rank, value)) = GROUP_KEYS
            .iter()
            .enumerate()
            .find_map(|(rank, key)| labels.get(*key).map(|v| (rank, v.clone())))
            .filter(|(_, value)| !value.is_empty())
        else {
            continue;
        };
        groups
            .entry((rank, value))
            .or_default()
            .insert(pod.metadata.name.clone().unwrap_or_default());
    }
    groups
        .into_iter()
        .map(|((rank, value), pods)| Group {
            key: GROUP_KEYS[rank].to_string(),
            value,
            pods: pods.into_iter().collect(),
        })
        .collect()
}

/// `service db (ports 5432/TCP)`.
pub fn service_label(service: &Service) -> String {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    let ports: Vec<String> = service_ports(service)
        .iter()
        .map(|(port, _)| port.to_string())
        .collect();
    if ports.is_empty() {
        format!("service {name}")
    } else {
        format!("service {name} (ports {})", ports.join(", "))
    }
}

/// A port the prompt offers: `spec` is what `--port` takes (`5432/TCP`, `http/TCP`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortOffer {
    pub spec: String,
    pub label: String,
}

/// The pod ports a Service sends to (its targetPorts: a NetworkPolicy sees the pod's port),
/// each with where it came from.
fn service_ports(service: &Service) -> Vec<(Port, String)> {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    let spec = service.spec.clone().unwrap_or_default();
    let mut ports = Vec::new();
    for sp in spec.ports.unwrap_or_default() {
        let Some(protocol) = protocol(sp.protocol.as_deref()) else {
            continue;
        };
        let port = match sp.target_port {
            Some(IntOrString::String(named)) => PortRef::Named(named),
            Some(IntOrString::Int(n)) => match u16::try_from(n) {
                Ok(n) if n > 0 => PortRef::Number(n),
                _ => continue,
            },
            None => match u16::try_from(sp.port) {
                Ok(n) if n > 0 => PortRef::Number(n),
                _ => continue,
            },
        };
        let from = match &sp.name {
            Some(port_name) => format!("service {name} port {port_name}"),
            None => format!("service {name}"),
        };
        ports.push((Port { port, protocol }, from));
    }
    ports
}

fn protocol(text: Option<&str>) -> Option<Protocol> {
    match text {
        None | Some("TCP") => Some(Protocol::Tcp),
        Some("UDP") => Some(Protocol::Udp),
        Some("SCTP") => Some(Protocol::Sctp),
        Some(_) => None,
    }
}

/// The ports worth offering for `target`: a Service's own ports; for pods, their
/// containers' ports and the ports of the Services that send to them. Sorted, each once,
/// with every place it came from.
pub fn port_offers(target: &TargetRequest, pods: &[Pod], services: &[Service]) -> Vec<PortOffer> {
    let mut offers: BTreeMap<Port, BTreeSet<String>> = BTreeMap::new();
    let mut add = |port: Port, from: String| {
        offers.entry(port).or_default().insert(from);
    };
    match target {
        TargetRequest::Service(name) => {
            for service in services
                .iter()
                .filter(|s| s.metadata.name.as_deref() == Some(name.as_str()))
            {
                for (port, from) in service_ports(service) {
                    add(port, from);
                }
            }
        }
        TargetRequest::Pods(_) | TargetRequest::AllPods => {
            let selected: Vec<&Pod> = pods
                .iter()
                .filter(|pod| match target {
                    TargetRequest::Pods(selector) => {
                        selector.matches(&pod.metadata.labels.clone().unwrap_or_default())
                    }
                    _ => true,
                })
                .collect();
            for pod in &selected {
                let pod_name = pod.metadata.name.as_deref().unwrap_or_default();
                let containers = pod.spec.as_ref().map(|s| s.containers.as_slice());
                for container in containers.unwrap_or_default() {
                    for cp in container.ports.as_deref().unwrap_or_default() {
                        let (Ok(number), Some(protocol)) = (
                            u16::try_from(cp.container_port),
                            protocol(cp.protocol.as_deref()),
                        ) else {
                            continue;
                        };
                        if number == 0 {
                            continue;
                        }
                        let from = match &cp.name {
                            Some(port_name) => format!("pod {pod_name} port {port_name}"),
                            None => format!("pod {pod_name}"),
                        };
                        add(
                            Port {
                                port: PortRef::Number(number),
                                protocol,
                            },
                            from,
                        );
                    }
                }
            }
            for service in services {
                let wanted = service
                    .spec
                    .as_ref()
                    .and_then(|s| s.selector.clone())
                    .filter(|s| !s.is_empty());
                let Some(wanted) = wanted else { continue };
                let sends_to_them = selected.iter().any(|pod| {
                    let labels = pod.metadata.labels.clone().unwrap_or_default();
                    wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
                });
                if sends_to_them {
                    for (port, from) in service_ports(service) {
                        add(port, from);
                    }
                }
            }
        }
    }
    offers
        .into_iter()
        .map(|(port, from)| PortOffer {
            spec: port.to_string(),
            label: format!(
                "{port} ({})",
                from.into_iter().collect::<Vec<_>>().join(", ")
            ),
        })
        .collect()
}

/// The TTLs offered: the usual ones up to the maximum (the maximum alone when it is
/// shorter than all of them), and which is preselected: 30m when offered, else the longest.
pub fn ttl_choices(max_ttl: Duration) -> (Vec<Duration>, usize) {
    let usual = [15, 30, 60, 120, 240].map(|minutes| Duration::from_secs(minutes * 60));
    let mut choices: Vec<Duration> = usual.into_iter().filter(|ttl| *ttl <= max_ttl).collect();
    if choices.is_empty() {
        choices.push(max_ttl);
    }
    let default = choices
        .iter()
        .position(|ttl| *ttl == Duration::from_secs(30 * 60))
        .unwrap_or(choices.len() - 1);
    (choices, default)
}

/// One active grant as the revoke prompt shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    pub id: String,
    pub line: String,
}

/// The active grants among `policies` (their ingress policies: an egress side is revoked
/// with its grant), sorted by namespace and id, as aligned lines: id, namespace (when
/// `namespaces`), target, sources, requester, time left.
pub fn grant_rows(
    policies: &[NetworkPolicy],
    now: Timestamp,
    max_lifetime: Duration,
    namespaces: bool,
) -> Vec<GrantRow> {
    let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
    for np in policies {
        if !expiry::is_jit_managed(np) || policy::is_egress_side(np) {
            continue;
        }
        let Status::Active { expires } = expiry::status(np, now, max_lifetime) else {
            continue;
        };
        let labels = np.metadata.labels.clone().unwrap_or_default();
        let annotations = np.metadata.annotations.clone().unwrap_or_default();
        let id = labels.get(keys::GRANT_ID).cloned().unwrap_or_default();
        let ns = np.metadata.namespace.clone().unwrap_or_default();
        let left =
            output::duration(Duration::try_from(expires.duration_since(now)).unwrap_or_default());
        let mut cells = vec![id.clone()];
        if namespaces {
            cells.push(ns.clone());
        }
        cells.extend([
            format!("to {}", describe::target(np)),
            format!("from {}", describe::sources(np)),
            format!(
                "by {}",
                annotations.get(keys::REQUESTER).map_or("?", String::as_str)
            ),
            format!("{left} left"),
        ]);
        rows.push((ns, id, cells));
    }
    rows.sort();
    let columns = rows.first().map_or(0, |(_, _, cells)| cells.len());
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|(_, _, cells)| cells[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.into_iter()
        .map(|(_, id, cells)| {
            let last = cells.len() - 1;
            let line = cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    if i == last {
                        cell.clone()
                    } else {
                        format!("{cell:<width$}", width = widths[i])
                    }
                })
                .collect::<Vec<_>>()
                .join("  ");
            GrantRow { id, line }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, labels: serde_json::Value, ports: serde_json::Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "main", "ports": ports}]},
        }))
        .unwrap()
    }

    fn service(name: &str, selector: serde_json::Value, ports: serde_json::Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": name},
            "spec": {"selector": selector, "ports": ports},
        }))
        .unwrap()
    }

    fn team_a() -> (Vec<Pod>, Vec<Service>) {
        let pods = vec![
            pod("db", json!({"app": "db"}), json!([])),
            pod("cache", json!({"app": "db", "tier": "cache"}), json!([])),
            pod(
                "web",
                json!({"app": "web"}),
                json!([{"name": "http", "containerPort": 8080}]),
            ),
            pod(
                "api-7d9",
                json!({"app.kubernetes.io/name": "api", "app": "legacy"}),
                json!([{"containerPort": 9000, "protocol": "TCP"}, {"containerPort": 53, "protocol": "UDP"}]),
            ),
            pod("lonely", json!({"team": "a"}), json!([])),
        ];
        let services = vec![
            service(
                "db",
                json!({"app": "db"}),
                json!([{"name": "postgres", "port": 5432, "targetPort": 5432}]),
            ),
            service(
                "web",
                json!({"app": "web"}),
                json!([{"port": 80, "targetPort": "http", "protocol": "TCP"}]),
            ),
            service("manual", json!({}), json!([{"port": 1}])),
        ];
        (pods, services)
    }

    #[test]
    fn pods_are_grouped_by_their_app_labels() {
        let (pods, _) = team_a();
        let groups = pod_groups(&pods);
        let labels: Vec<String> = groups.iter().map(Group::label).collect();
        assert_eq!(
            labels,
            [
                "app.kubernetes.io/name=api (1 pod: api-7d9)",
                "app=db (2 pods: cache, db)",
                "app=web (1 pod: web)",
            ]
        );
        assert_eq!(groups[1].selector(), "app=db");
    }

    #[test]
    fn a_service_offers_its_target_ports() {
        let (pods, services) = team_a();
        let offers = port_offers(&TargetRequest::Service("web".into()), &pods, &services);
        assert_eq!(
            offers,
            [PortOffer {
                spec: "http/TCP".into(),
                label: "http/TCP (service web)".into()
            }]
        );
    }

    #[test]
    fn pods_offer_container_ports_and_the_ports_of_services_in_front_of_them() {
        let (pods, services) = team_a();
        let db = TargetRequest::Pods("app=db".parse().unwrap());
        let offers = port_offers(&db, &pods, &services);
        assert_eq!(
            offers,
            [PortOffer {
                spec: "5432/TCP".into(),
                label: "5432/TCP (service db port postgres)".into()
            }]
        );
        let web = TargetRequest::Pods("app=web".parse().unwrap());
        let specs: Vec<String> = port_offers(&web, &pods, &services)
            .into_iter()
            .map(|o| o.spec)
            .collect();
        assert_eq!(specs, ["8080/TCP", "http/TCP"]);
        let all: Vec<String> = port_offers(&TargetRequest::AllPods, &pods, &services)
            .into_iter()
            .map(|o| o.spec)
            .collect();
        assert_eq!(
            all,
            ["53/UDP", "5432/TCP", "8080/TCP", "9000/TCP", "http/TCP"]
        );
        // Every spec is one `--port` accepts.
        for spec in all {
            crate::request::parse_port(&spec).unwrap();
        }
    }

    #[test]
    fn ttl_choices_stay_within_the_maximum() {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        let (choices, default) = ttl_choices(minutes(8 * 60));
        assert_eq!(choices, [15, 30, 60, 120, 240].map(minutes));
        assert_eq!(default, 1);
        let (choices, default) = ttl_choices(minutes(20));
        assert_eq!(choices, [minutes(15)]);
        assert_eq!(default, 0);
        let (choices, default) = ttl_choices(minutes(5));
        assert_eq!(choices, [minutes(5)]);
        assert_eq!(default, 0);
    }

    fn grant(ns: &str, id: &str, expires: i64, extra: serde_json::Value) -> NetworkPolicy {
        let mut labels = json!({
            "app.kubernetes.io/managed-by": "jit",
            "jit.dev/grant-id": id,
            "jit.dev/expires": expires.to_string(),
        });
        labels
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(json!({
            "metadata": {
                "name": format!("jit-{id}"),
                "namespace": ns,
                "labels": labels,
                "annotations": {"jit.dev/requester": "alice"},
            },
            "spec": {
                "podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "debug"}}}]}],
            },
        }))
        .unwrap()
    }

    #[test]
    fn revoke_offers_active_grants_only() {
        let now = Timestamp::from_second(1_000_000).unwrap();
        let policies = [
            grant("team-a", "zz000002", 1_000_000 + 600, json!({})),
            grant("team-a", "aa000001", 1_000_000 + 1800, json!({})),
            grant("team-a", "expired1", 1_000_000 - 1, json!({})),
            grant(
                "ops",
                "egress01",
                1_000_000 + 60,
                json!({"jit.dev/side": "egress"}),
            ),
        ];
        let rows = grant_rows(&policies, now, Duration::from_secs(86400), false);
        let lines: Vec<&str> = rows.iter().map(|r| r.line.as_str()).collect();
        assert_eq!(
            lines,
            [
                "aa000001  to app=db  from app=debug  by alice  30m left",
                "zz000002  to app=db  from app=debug  by alice  10m left",
            ]
        );
        let rows = grant_rows(&policies, now, Duration::from_secs(86400), true);
        assert!(
            rows[0].line.starts_with("aa000001  team-a  to app=db"),
            "{rows:?}"
        );
    }
}
