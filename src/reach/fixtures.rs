//! Test helpers: policies written as YAML (so tests read like the documentation's examples)
//! and flows written as `"namespace/pod"` or an IP address.

use std::net::IpAddr;

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Cluster, Flow, PodId, Protocol, Source, Verdict};

/// A whole NetworkPolicy object, as in the documentation.
pub fn np(yaml: &str) -> NetworkPolicy {
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("bad policy YAML: {e}\n{yaml}"))
}

/// A NetworkPolicy from its spec alone.
pub fn policy(namespace: &str, name: &str, spec_yaml: &str) -> NetworkPolicy {
    let spec: NetworkPolicySpec = serde_saphyr::from_str(spec_yaml)
        .unwrap_or_else(|e| panic!("bad spec YAML: {e}\n{spec_yaml}"));
    NetworkPolicy {
        metadata: ObjectMeta {
            namespace: Some(namespace.into()),
            name: Some(name.into()),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
    }
}

pub fn external(ip: &str) -> IpAddr {
    ip.parse().unwrap()
}

fn pod_id(text: &str) -> PodId {
    let (namespace, name) = text.split_once('/').expect("namespace/name");
    PodId::new(namespace, name)
}

/// `source` is `"namespace/name"` or an IP address.
pub fn flow(source: &str, destination: &str, port: u16, protocol: Protocol) -> Flow {
    let source = match source.parse() {
        Ok(ip) => Source::External(ip),
        Err(_) => Source::Pod(pod_id(source)),
    };
    Flow::new(source, pod_id(destination), port, protocol)
}

pub fn verdict_of(
    cluster: &Cluster,
    source: &str,
    destination: &str,
    port: u16,
    protocol: Protocol,
) -> Verdict {
    cluster
        .allowed(&flow(source, destination, port, protocol))
        .unwrap()
}

/// Just the yes/no.
pub fn allows(
    cluster: &Cluster,
    source: &str,
    destination: &str,
    port: u16,
    protocol: Protocol,
) -> bool {
    verdict_of(cluster, source, destination, port, protocol).is_allowed()
}
