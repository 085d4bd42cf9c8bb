//! Finite stand-ins for infinite sets. A policy rule matches a port when it lies in one of a
//! few intervals (a number, a range, a named port resolved on the pod), and an address when it
//! lies in a CIDR minus some excepts. Between two consecutive interval boundaries every rule
//! answers the same, so one port or address per stretch (its first) stands for all of them:
//! checking those checks everything, exactly.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::policy::{PortRef, Ports, Protocol};
use crate::reach::Pod;

pub const PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

/// The first port of every stretch of ports on which all of `policies`' rules, the pods'
/// named ports and the requested ports answer alike.
pub fn port_boundaries(policies: &[NetworkPolicy], pods: &[&Pod], requested: &Ports) -> Vec<u16> {
    let mut points = BTreeSet::from([1u16]);
    let mut interval = |start: u16, end: u16| {
        points.insert(start);
        if let Some(next) = end.checked_add(1) {
            points.insert(next);
        }
    };
    for np in policies {
        for port in rule_ports(np) {
            match (&port.port, port.end_port) {
                (Some(IntOrString::Int(n)), end) => {
                    let start = clamp(*n);
                    interval(start, end.map_or(start, clamp));
                }
                // A named port means the pod's own number for it: covered below.
                (Some(IntOrString::String(_)), _) | (None, _) => {}
            }
        }
    }
    for pod in pods {
        for port in pod.ports.values() {
            interval(port.port, port.port);
        }
    }
    if let Ports::Only(ports) = requested {
        for port in ports {
            match port.port {
                PortRef::Number(n) => interval(n, n),
                PortRef::Range(a, b) => interval(a, b),
                PortRef::Named(_) => {}
            }
        }
    }
    points.into_iter().filter(|p| *p >= 1).collect()
}

/// The (port, protocol) pairs a grant asks to open on `pod`, one per stretch of `boundaries`.
/// A named port the pod does not declare (with that protocol) opens nothing on it.
pub fn requested_ports(requested: &Ports, pod: &Pod, boundaries: &[u16]) -> Vec<(u16, Protocol)> {
    let mut out = BTreeSet::new();
    match requested {
        Ports::All => {
            for protocol in PROTOCOLS {
                out.extend(boundaries.iter().map(|p| (*p, protocol)));
            }
        }
        Ports::Only(ports) => {
            for port in ports {
                match &port.port {
                    PortRef::Number(n) => {
                        out.insert((*n, port.protocol));
                    }
                    PortRef::Range(a, b) => {
                        out.insert((*a, port.protocol));
                        out.extend(
                            boundaries
                                .iter()
                                .filter(|p| (*a..=*b).contains(*p))
                                .map(|p| (*p, port.protocol)),
                        );
                    }
                    PortRef::Named(name) => {
                        if let Some(cp) = pod.ports.get(name)
                            && cp.protocol == port.protocol
                        {
                            out.insert((cp.port, cp.protocol));
                        }
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Every (port, protocol) that tells rules apart: each protocol at each boundary.
pub fn all_ports(boundaries: &[u16]) -> Vec<(u16, Protocol)> {
    PROTOCOLS
        .iter()
        .flat_map(|protocol| boundaries.iter().map(move |p| (*p, *protocol)))
        .collect()
}

/// Addresses outside the cluster that tell every `ipBlock` of `policies` (and `extra`
/// blocks) apart: the first address of each stretch, plus the first address of each family.
pub fn address_boundaries(policies: &[NetworkPolicy], extra: &[IpNet]) -> Vec<IpAddr> {
    let mut points: BTreeSet<IpAddr> = BTreeSet::from([
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ]);
    let mut add = |net: &IpNet| {
        points.insert(net.network());
        if let Some(next) = next_address(net.broadcast()) {
            points.insert(next);
        }
    };
    for net in policy_blocks(policies).iter().chain(extra) {
        add(net);
    }
    points.into_iter().collect()
}

/// The addresses among `boundaries` that a CIDR source with these excepts covers; its first
/// address always stands for the first stretch.
pub fn addresses_in(cidr: &IpNet, except: &[IpNet], boundaries: &[IpAddr]) -> Vec<IpAddr> {
    let mut out: BTreeSet<IpAddr> = boundaries
        .iter()
        .copied()
        .filter(|ip| cidr.contains(ip))
        .collect();
    out.insert(cidr.network());
    out.into_iter()
        .filter(|ip| !except.iter().any(|e| e.contains(ip)))
        .collect()
}

/// Whether a CIDR source with these excepts covers `ip`.
pub fn covers(cidr: &IpNet, except: &[IpNet], ip: &IpAddr) -> bool {
    cidr.contains(ip) && !except.iter().any(|e| e.contains(ip))
}

/// Every ipBlock CIDR and except in `policies`.
pub fn policy_blocks(policies: &[NetworkPolicy]) -> Vec<IpNet> {
    let mut nets = Vec::new();
    for np in policies {
        let Some(spec) = &np.spec else { continue };
        let ingress = spec
            .ingress
            .iter()
            .flatten()
            .flat_map(|r| r.from.iter().flatten());
        let egress = spec
            .egress
            .iter()
            .flatten()
            .flat_map(|r| r.to.iter().flatten());
        for peer in ingress.chain(egress) {
            if let Some(block) = &peer.ip_block {
                nets.extend(block.cidr.parse::<IpNet>().ok());
                for except in block.except.iter().flatten() {
                    nets.extend(except.parse::<IpNet>().ok());
                }
            }
        }
    }
    nets
}

fn rule_ports(np: &NetworkPolicy) -> Vec<&NetworkPolicyPort> {
    let Some(spec) = &np.spec else {
        return Vec::new();
    };
    let ingress = spec
        .ingress
        .iter()
        .flatten()
        .flat_map(|r| r.ports.iter().flatten());
    let egress = spec
        .egress
        .iter()
        .flatten()
        .flat_map(|r| r.ports.iter().flatten());
    ingress.chain(egress).collect()
}

fn clamp(n: i32) -> u16 {
    u16::try_from(n.clamp(1, 65535)).unwrap_or(65535)
}

fn next_address(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v4) => u32::from(v4).checked_add(1).map(|n| IpAddr::V4(n.into())),
        IpAddr::V6(v6) => u128::from(v6).checked_add(1).map(|n| IpAddr::V6(n.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Port;

    fn np(yaml: &str) -> NetworkPolicy {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn port_stretches_start_at_every_boundary() {
        let policy = np("
metadata: {name: a, namespace: x}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: 80}, {port: 8000, endPort: 8100}, {port: http}]
");
        let pod = Pod::new("x", "p").with_port("http", 8080, Protocol::Tcp);
        let points = port_boundaries(&[policy], &[&pod], &Ports::All);
        assert_eq!(points, [1, 80, 81, 8000, 8080, 8081, 8101]);
    }

    #[test]
    fn a_range_is_sampled_at_its_start_and_every_boundary_inside() {
        let requested = Ports::Only(vec![Port {
            port: PortRef::Range(8050, 9000),
            protocol: Protocol::Udp,
        }]);
        let pod = Pod::new("x", "p");
        let ports = requested_ports(&requested, &pod, &[1, 80, 81, 8000, 8101, 9001]);
        assert_eq!(ports, [(8050, Protocol::Udp), (8101, Protocol::Udp)]);
    }

    #[test]
    fn named_ports_resolve_per_pod_and_protocol() {
        let requested = Ports::Only(vec![Port {
            port: PortRef::Named("dns".into()),
            protocol: Protocol::Udp,
        }]);
        let with = Pod::new("x", "a").with_port("dns", 53, Protocol::Udp);
        let tcp = Pod::new("x", "b").with_port("dns", 53, Protocol::Tcp);
        assert_eq!(
            requested_ports(&requested, &with, &[]),
            [(53, Protocol::Udp)]
        );
        assert!(requested_ports(&requested, &tcp, &[]).is_empty());
    }

    #[test]
    fn addresses_split_at_block_edges_and_skip_excepts() {
        let policy = np("
metadata: {name: a, namespace: x}
spec:
  podSelector: {}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
");
        let cidr: IpNet = "10.0.0.0/9".parse().unwrap();
        let except: Vec<IpNet> = vec!["10.1.2.0/24".parse().unwrap()];
        let points = address_boundaries(&[policy], &[cidr, except[0]]);
        let inside = addresses_in(&cidr, &except, &points);
        let text: Vec<String> = inside.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["10.0.0.0", "10.1.0.0", "10.1.3.0", "10.2.0.0"]);
        assert!(covers(&cidr, &except, &"10.1.3.1".parse().unwrap()));
        assert!(!covers(&cidr, &except, &"10.1.2.1".parse().unwrap()));
    }
}
