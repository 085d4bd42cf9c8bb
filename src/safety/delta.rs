//! The proof that a grant changes only what it asks for: every flow the new policies could
//! change is compared before and after.
//!
//! Comparing pod by pod costs pods² × ports verdicts, each over every policy: minutes for a
//! namespace of a thousand pods. But policies see a pod only through its namespace, its
//! labels, its named ports and which `ipBlock`s hold its IP, so pods alike in those are
//! alike to every rule: one verdict per *class* of pods stands for all its members (the
//! replicas of a Deployment are one class). Flows are then listed member by member, up to
//! [`LISTED`] of each kind; the totals are always exact.

use std::collections::BTreeMap;
use std::net::IpAddr;

use anyhow::Result;
use ipnet::IpNet;

use super::requested::Requested;
use crate::policy::Protocol;
use crate::reach::{self, ContainerPort, Flow, Pod};

/// At most this many cut (or extra) flows are kept for messages and tests; the totals count
/// them all.
pub const LISTED: usize = 10_000;

/// Flows that change and were not asked to.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// Allowed before, not after (the first [`LISTED`]).
    pub cut: Vec<Flow>,
    pub cut_total: usize,
    /// Allowed after, not before, and not requested (the first [`LISTED`]).
    pub extra: Vec<Flow>,
    pub extra_total: usize,
}

/// What rules can tell apart about a pod.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    namespace: String,
    labels: BTreeMap<String, String>,
    ports: BTreeMap<String, ContainerPort>,
    /// For each ipBlock (and except) anywhere in the policies or the grant: does it hold
    /// the pod's IP?
    in_blocks: Vec<bool>,
}

/// Pods grouped by [`Key`], members in the order given.
pub fn classes<'a>(pods: &[&'a Pod], blocks: &[IpNet]) -> BTreeMap<Key, Vec<&'a Pod>> {
    let mut classes: BTreeMap<Key, Vec<&Pod>> = BTreeMap::new();
    for pod in pods {
        let key = Key {
            namespace: pod.namespace.clone(),
            labels: pod.labels.clone(),
            ports: pod.ports.clone(),
            in_blocks: blocks
                .iter()
                .map(|b| pod.ip.is_some_and(|ip| b.contains(&ip)))
                .collect(),
        };
        classes.entry(key).or_default().push(pod);
    }
    classes
}

/// Where flows come from: a class of pods, or one address outside the cluster.
enum Remote<'a> {
    Pods(&'a [&'a Pod]),
    Address(IpAddr),
}

pub struct Inputs<'a> {
    pub before: &'a reach::Cluster,
    pub after: &'a reach::Cluster,
    pub all_pods: &'a [&'a Pod],
    /// Pods whose ingress the grant changes.
    pub targets: &'a [&'a Pod],
    /// Pods whose egress the grant changes (its egress side selects them).
    pub egress: &'a [&'a Pod],
    pub addresses: &'a [IpAddr],
    pub ports: &'a [(u16, Protocol)],
    /// Every ipBlock, except and grant CIDR: their edges split pods into classes.
    pub blocks: &'a [IpNet],
    /// Flows the grant asked to open.
    pub permitted: &'a Requested,
}

pub fn compare(inputs: &Inputs<'_>) -> Result<Delta> {
    let mut delta = Delta::default();
    let all = classes(inputs.all_pods, inputs.blocks);
    let targets = classes(inputs.targets, inputs.blocks);
    let egress = classes(inputs.egress, inputs.blocks);

    // Ingress changes only at the targets: from every pod and every address.
    let remotes: Vec<(Option<&Key>, Remote<'_>)> = all
        .iter()
        .map(|(key, members)| (Some(key), Remote::Pods(members)))
        .chain(
            inputs
                .addresses
                .iter()
                .map(|ip| (None, Remote::Address(*ip))),
        )
        .collect();
    for (target_key, target_members) in &targets {
        for (remote_key, remote) in &remotes {
            let same = *remote_key == Some(target_key);
            compare_classes(inputs, &mut delta, remote, target_members, same)?;
        }
    }
    // Egress changes only at the pods the egress side selects: to every other pod (flows
    // to the targets were compared above).
    for (source_key, source_members) in &egress {
        for (destination_key, destination_members) in &all {
            if targets.contains_key(destination_key) {
                continue;
            }
            let same = source_key == destination_key;
            compare_classes(
                inputs,
                &mut delta,
                &Remote::Pods(source_members),
                destination_members,
                same,
            )?;
        }
    }
    Ok(delta)
}

/// One verdict per port for a representative flow from `remote` into `destinations`, then
/// every member flow counted (and listed, up to [`LISTED`]) where it changed. `same`: the
/// two classes are one, so a pod's flows to itself (always allowed) are left out.
fn compare_classes(
    inputs: &Inputs<'_>,
    delta: &mut Delta,
    remote: &Remote<'_>,
    destinations: &[&Pod],
    same: bool,
) -> Result<()> {
    let destination = destinations[0];
    let representative = match remote {
        Remote::Address(ip) => reach::Source::External(*ip),
        Remote::Pods(members) => {
            // A flow between two different pods, whichever the class holds.
            match members
                .iter()
                .find(|pod| !same || pod.id() != destination.id())
            {
                Some(pod) => reach::Source::Pod(pod.id()),
                None => return Ok(()), // a class of one pod: only its flow to itself
            }
        }
    };
    for &(port, protocol) in inputs.ports {
        let flow = Flow::new(representative.clone(), destination.id(), port, protocol);
        let was = inputs.before.allowed(&flow)?.is_allowed();
        let is = inputs.after.allowed(&flow)?.is_allowed();
        let (list, total) = if was && !is {
            (&mut delta.cut, &mut delta.cut_total)
        } else if is && !was && !inputs.permitted.contains(&flow) {
            (&mut delta.extra, &mut delta.extra_total)
        } else {
            continue;
        };
        let sources: Vec<reach::Source> = match remote {
            Remote::Address(ip) => vec![reach::Source::External(*ip)],
            Remote::Pods(members) => members.iter().map(|p| reach::Source::Pod(p.id())).collect(),
        };
        for source in &sources {
            for destination in destinations {
                if matches!(source, reach::Source::Pod(id) if *id == destination.id()) {
                    continue;
                }
                *total += 1;
                if list.len() < LISTED {
                    list.push(Flow::new(source.clone(), destination.id(), port, protocol));
                }
            }
        }
    }
    Ok(())
}
