//! The flows a grant asks for, as a question ("is this flow requested?") rather than a list:
//! a broad grant (every pod of a namespace to every pod of another) asks for millions.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;

use super::samples;
use crate::policy::{Grant, Protocol};
use crate::reach::{self, Flow, Pod, PodId};

pub struct Requested {
    /// Each target pod, with the (port, protocol) pairs asked for on it.
    targets: BTreeMap<PodId, BTreeSet<(u16, Protocol)>>,
    /// Pods the grant's pod sources select, and pods whose IP a CIDR source covers.
    sources: BTreeSet<PodId>,
    cidrs: Vec<(IpNet, Vec<IpNet>)>,
}

impl Requested {
    pub fn new(
        grant: &Grant,
        targets: &[&Pod],
        source_pods: impl IntoIterator<Item = PodId>,
        all_pods: &[&Pod],
        boundaries: &[u16],
    ) -> Requested {
        let cidrs: Vec<(IpNet, Vec<IpNet>)> = grant
            .cidrs()
            .map(|(cidr, except)| (cidr, except.to_vec()))
            .collect();
        let mut sources: BTreeSet<PodId> = source_pods.into_iter().collect();
        // Pods whose address a CIDR covers are sources too (policies match ipBlocks against
        // pod IPs on most network plugins), but need no egress side.
        sources.extend(
            all_pods
                .iter()
                .filter(|pod| {
                    pod.ip.is_some_and(|ip| {
                        cidrs
                            .iter()
                            .any(|(cidr, except)| samples::covers(cidr, except, &ip))
                    })
                })
                .map(|pod| pod.id()),
        );
        let targets = targets
            .iter()
            .map(|pod| {
                let ports = samples::requested_ports(&grant.ports, pod, boundaries);
                (pod.id(), ports.into_iter().collect())
            })
            .collect();
        Requested {
            targets,
            sources,
            cidrs,
        }
    }

    /// The (port, protocol) pairs asked for on `target` (none if it is not a target).
    pub fn ports(&self, target: &PodId) -> Vec<(u16, Protocol)> {
        self.targets
            .get(target)
            .map(|ports| ports.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn contains(&self, flow: &Flow) -> bool {
        let Some(ports) = self.targets.get(&flow.destination) else {
            return false;
        };
        if !ports.contains(&(flow.port, flow.protocol)) {
            return false;
        }
        match &flow.source {
            reach::Source::Pod(id) => self.sources.contains(id),
            reach::Source::External(ip) => self
                .cidrs
                .iter()
                .any(|(cidr, except)| samples::covers(cidr, except, ip)),
        }
    }
}
