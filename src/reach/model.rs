//! The cluster state the model reasons about (namespaces and pods) and the flows it answers
//! questions about. Plain data, so a test writes a cluster down in a few lines and `jit` can
//! build one from what it lists from the API server.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use k8s_openapi::api::core::v1 as api;

use super::error::ClusterError;
use super::port::parse_protocol;
use crate::policy::{NAMESPACE_NAME_LABEL, Protocol};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

impl Namespace {
    /// A namespace carrying only the `kubernetes.io/metadata.name` label, as a new namespace
    /// does in a real cluster.
    pub fn new(name: impl Into<String>) -> Namespace {
        let name = name.into();
        let labels = BTreeMap::from([(NAMESPACE_NAME_LABEL.to_owned(), name.clone())]);
        Namespace { name, labels }
    }

    pub fn with_label(mut self, key: impl Into<String>, value: impl Into<String>) -> Namespace {
        self.labels.insert(key.into(), value.into());
        self
    }

    pub fn from_api(ns: &api::Namespace) -> Result<Namespace, ClusterError> {
        let name = ns
            .metadata
            .name
            .clone()
            .ok_or(ClusterError::InvalidObject {
                object: "namespace".into(),
                message: "has no metadata.name".into(),
            })?;
        let mut namespace = Namespace::new(name);
        namespace
            .labels
            .extend(ns.metadata.labels.iter().flatten().map(clone_pair));
        Ok(namespace)
    }
}

/// A pod's identity: namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodId {
    pub namespace: String,
    pub name: String,
}

impl PodId {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> PodId {
        PodId {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for PodId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// A named container port: what a policy's `port: http` means on this pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerPort {
    pub port: u16,
    pub protocol: Protocol,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The pod IP, which `ipBlock` peers are checked against too (most CNI plugins do, and the
    /// documentation leaves it to them). `None` for a pod not yet scheduled, which `ipBlock`
    /// peers then never match.
    pub ip: Option<IpAddr>,
    /// Named container ports, by name (names are unique within a pod). Unnamed ports need not be
    /// listed: numeric policy ports match whether or not a container declares them.
    pub ports: BTreeMap<String, ContainerPort>,
}

impl Pod {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Pod {
        Pod {
            namespace: namespace.into(),
            name: name.into(),
            labels: BTreeMap::new(),
            ip: None,
            ports: BTreeMap::new(),
        }
    }

    pub fn with_label(mut self, key: impl Into<String>, value: impl Into<String>) -> Pod {
        self.labels.insert(key.into(), value.into());
        self
    }

    pub fn with_ip(mut self, ip: IpAddr) -> Pod {
        self.ip = Some(ip);
        self
    }

    pub fn with_port(mut self, name: impl Into<String>, port: u16, protocol: Protocol) -> Pod {
        self.ports
            .insert(name.into(), ContainerPort { port, protocol });
        self
    }

    pub fn id(&self) -> PodId {
        PodId::new(&self.namespace, &self.name)
    }

    /// The parts of a Pod object that policies look at: labels, `status.podIP` (the primary IP;
    /// a dual-stack pod's second address is not modelled) and the named ports of its
    /// containers. The caller decides which pods matter (leave out host-network pods, whose
    /// traffic policies do not govern, and finished ones, which have no network).
    pub fn from_api(pod: &api::Pod) -> Result<Pod, ClusterError> {
        let invalid = |message: String| ClusterError::InvalidObject {
            object: format!(
                "pod {}/{}",
                pod.metadata.namespace.as_deref().unwrap_or("?"),
                pod.metadata.name.as_deref().unwrap_or("?")
            ),
            message,
        };
        let (Some(namespace), Some(name)) = (&pod.metadata.namespace, &pod.metadata.name) else {
            return Err(invalid("has no metadata.namespace or metadata.name".into()));
        };
        let mut model = Pod::new(namespace, name);
        model.labels = pod
            .metadata
            .labels
            .iter()
            .flatten()
            .map(clone_pair)
            .collect();
        if let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.as_deref()) {
            let ip = ip
                .parse()
                .map_err(|_| invalid(format!("status.podIP {ip:?} is not an IP address")))?;
            model.ip = Some(ip);
        }
        let containers = pod.spec.iter().flat_map(|spec| &spec.containers);
        for port in containers.flat_map(|c| c.ports.iter().flatten()) {
            let Some(port_name) = &port.name else {
                continue;
            };
            let number = u16::try_from(port.container_port)
                .ok()
                .filter(|n| *n != 0)
                .ok_or_else(|| {
                    invalid(format!(
                        "container port {port_name:?} has number {}",
                        port.container_port
                    ))
                })?;
            let protocol = match port.protocol.as_deref() {
                None => Protocol::Tcp,
                Some(text) => parse_protocol(text).ok_or_else(|| {
                    invalid(format!(
                        "container port {port_name:?} has protocol {text:?}"
                    ))
                })?,
            };
            model = model.with_port(port_name, number, protocol);
        }
        Ok(model)
    }
}

/// Host-network pods are not governed by NetworkPolicy, and finished pods have no network:
/// neither belongs in the model.
pub fn is_policed(pod: &api::Pod) -> bool {
    let host_network = pod
        .spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false);
    let finished = matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    );
    !host_network && !finished
}

fn clone_pair((key, value): (&String, &String)) -> (String, String) {
    (key.clone(), value.clone())
}

/// Where a connection comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Pod(PodId),
    /// An address outside the cluster, which only `ipBlock` peers can match.
    External(IpAddr),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Pod(pod) => write!(f, "pod {pod}"),
            Source::External(ip) => write!(f, "{ip}"),
        }
    }
}

/// One connection: a source opening `port`/`protocol` on a destination pod. The port is the
/// pod's own (container) port, as NetworkPolicy sees it, not a Service port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flow {
    pub source: Source,
    pub destination: PodId,
    pub port: u16,
    pub protocol: Protocol,
}

impl Flow {
    pub fn new(source: Source, destination: PodId, port: u16, protocol: Protocol) -> Flow {
        Flow {
            source,
            destination,
            port,
            protocol,
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} -> pod {} port {}/{}",
            self.source,
            self.destination,
            self.port,
            self.protocol.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    #[test]
    fn namespaces_carry_their_name_label() {
        let ns = Namespace::new("team-a").with_label("env", "prod");
        assert_eq!(ns.labels[NAMESPACE_NAME_LABEL], "team-a");
        assert_eq!(ns.labels["env"], "prod");

        let api_ns = api::Namespace {
            metadata: ObjectMeta {
                name: Some("team-b".into()),
                labels: Some(BTreeMap::from([("env".into(), "dev".into())])),
                ..ObjectMeta::default()
            },
            ..api::Namespace::default()
        };
        let ns = Namespace::from_api(&api_ns).unwrap();
        assert_eq!(ns, Namespace::new("team-b").with_label("env", "dev"));
    }

    #[test]
    fn pod_from_api_keeps_labels_ip_and_named_ports() {
        let port = |name: Option<&str>, number: i32, protocol: Option<&str>| api::ContainerPort {
            name: name.map(Into::into),
            container_port: number,
            protocol: protocol.map(Into::into),
            ..api::ContainerPort::default()
        };
        let mut pod = api::Pod {
            metadata: ObjectMeta {
                namespace: Some("team-a".into()),
                name: Some("db-0".into()),
                labels: Some(BTreeMap::from([("app".into(), "db".into())])),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                containers: vec![
                    Container {
                        name: "db".into(),
                        ports: Some(vec![
                            port(Some("pg"), 5432, None),
                            port(None, 9187, Some("TCP")),
                        ]),
                        ..Container::default()
                    },
                    Container {
                        name: "dns".into(),
                        ports: Some(vec![port(Some("dns"), 53, Some("UDP"))]),
                        ..Container::default()
                    },
                ],
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                pod_ip: Some("10.1.2.3".into()),
                ..PodStatus::default()
            }),
        };
        let model = Pod::from_api(&pod).unwrap();
        let expected = Pod::new("team-a", "db-0")
            .with_label("app", "db")
            .with_ip("10.1.2.3".parse().unwrap())
            .with_port("pg", 5432, Protocol::Tcp)
            .with_port("dns", 53, Protocol::Udp);
        assert_eq!(model, expected);

        pod.status.as_mut().unwrap().pod_ip = Some("10.1.2".into());
        let err = Pod::from_api(&pod).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pod team-a/db-0: status.podIP \"10.1.2\" is not an IP address"
        );
        pod.status = None;
        pod.spec.as_mut().unwrap().containers[1].ports =
            Some(vec![port(Some("x"), 1, Some("tcp"))]);
        let err = Pod::from_api(&pod).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pod team-a/db-0: container port \"x\" has protocol \"tcp\""
        );
    }

    #[test]
    fn flows_order_and_print() {
        let a = Flow::new(
            Source::Pod(PodId::new("a", "x")),
            PodId::new("b", "y"),
            80,
            Protocol::Tcp,
        );
        let b = Flow::new(
            Source::External("192.0.2.1".parse().unwrap()),
            PodId::new("b", "y"),
            53,
            Protocol::Udp,
        );
        assert!(a < b, "pod sources sort before external ones");
        assert_eq!(a.to_string(), "pod a/x -> pod b/y port 80/TCP");
        assert_eq!(b.to_string(), "192.0.2.1 -> pod b/y port 53/UDP");
    }
}
