//! Grant safety: what a grant would really change, decided before anything is written.
//!
//! NetworkPolicies are additive allow-lists with one trap: the first policy that selects a
//! pod *isolates* it, so a naive "allow X" can cut everything else the pod accepted. And a
//! connection needs both ends: an ingress allow opens nothing when the source is isolated for
//! egress. So a grant is assessed against a [`Snapshot`] of the namespaces involved: which
//! pods it targets, which it would isolate, which sources need an egress side, whether the
//! path is open already, and (the proof) which flows differ before and after, with every
//! difference that is not a requested flow reported.
//!
//! Pure: the snapshot comes in, an [`Assessment`] comes out. `jit grant` refuses on it,
//! `jit explain` prints it, and the property tests check it against the whole cluster.

mod delta;
mod explain;
mod requested;
mod samples;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use anyhow::Result;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::exit::{Exit, JitError};
use crate::policy::{self, Grant, Protocol, Source, Stamp, Target};
use crate::reach::{self, Flow, Namespace, Pod, PodId, Verdict};

use requested::Requested;

pub use explain::write_explanation;

/// The part of the cluster a grant touches: the namespaces of its target and sources, their
/// pods, and every NetworkPolicy in them.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub namespaces: Vec<Namespace>,
    pub pods: Vec<Pod>,
    pub policies: Vec<NetworkPolicy>,
    /// Source namespaces whose pods or policies could not be read (no permission): their
    /// egress side is not checked, and not warned about as empty.
    pub unreadable: Vec<String>,
}

/// What the grant asks for, and may go ahead despite.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--allow-isolation`: isolating pods (and cutting their other traffic) is accepted.
    pub allow_isolation: bool,
    /// `--force`: grant even when the whole path is already open.
    pub force: bool,
}

/// One requested flow, before and after the grant.
#[derive(Debug, Clone)]
pub struct Row {
    pub flow: Flow,
    /// For an address source: the `--from-cidr` it stands for.
    pub cidr: Option<String>,
    pub before: Verdict,
    pub after: Verdict,
}

/// A pod source and its egress isolation.
#[derive(Debug, Clone)]
pub struct EgressSide {
    pub source: Source,
    pub namespace: String,
    /// Source pods some policy isolates for egress: the grant needs an egress side for them.
    pub isolated: Vec<PodId>,
    /// Source pods that may send anywhere; an egress policy would isolate them.
    pub free: Vec<PodId>,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub namespace: String,
    pub target_pods: Vec<PodId>,
    /// Target pods no policy isolates for ingress today.
    pub newly_isolated: Vec<PodId>,
    /// Every pod source, with its egress isolation.
    pub sources: Vec<EgressSide>,
    /// Selectors that match no pod, as sentences.
    pub empty: Vec<String>,
    /// What the grant writes: its ingress policy, then its egress side (if any).
    pub policies: Vec<NetworkPolicy>,
    /// The requested flows between pods and addresses that exist, before and after (the
    /// first [`ROWS_LISTED`]).
    pub rows: Vec<Row>,
    /// How many requested flows there are, all counted.
    pub rows_total: usize,
    /// Whether every requested flow is allowed already.
    all_open_before: bool,
    /// Flows allowed before and not after (among the pods of the snapshot; the first
    /// [`delta::LISTED`]).
    pub cut: Vec<Flow>,
    /// How many flows are cut, all counted.
    pub cut_total: usize,
    /// Flows allowed after and not before that were not asked for (the first
    /// [`delta::LISTED`]).
    pub extra: Vec<Flow>,
    pub extra_total: usize,
}

/// Assesses `grant` (stamped, so the policies are the exact ones that would be written)
/// against `snapshot`.
pub fn assess(snapshot: &Snapshot, grant: &Grant, stamp: &Stamp) -> Result<Assessment> {
    let before = reach::Cluster::new(
        snapshot.namespaces.iter().cloned(),
        snapshot.pods.iter().cloned(),
        &snapshot.policies,
    )?;
    let namespace = grant.namespace.clone();
    let target_pods: Vec<&Pod> = before
        .pods()
        .filter(|pod| pod.namespace == namespace && targets(&grant.target, pod))
        .collect();
    let newly_isolated: Vec<PodId> = target_pods
        .iter()
        .filter(|pod| before.isolated_ingress(pod).is_empty())
        .map(|pod| pod.id())
        .collect();

    let mut empty = Vec::new();
    if target_pods.is_empty() {
        empty.push(format!("{} matches no pod", grant.describe_target()));
    }
    let mut sources = Vec::new();
    let mut policies = vec![policy::network_policy(grant, stamp)];
    for source in &grant.sources {
        let Some((source_ns, pods)) = source_pods(&before, &namespace, source) else {
            continue;
        };
        if snapshot.unreadable.contains(&source_ns) {
            continue;
        }
        if pods.is_empty() {
            let known = before.namespaces().any(|ns| ns.name == source_ns);
            empty.push(if known {
                format!("--from {source}: matches no pod")
            } else {
                format!("--from {source}: namespace {source_ns} does not exist")
            });
        }
        let (isolated, free): (Vec<&Pod>, Vec<&Pod>) = pods
            .iter()
            .partition(|pod| !before.isolated_egress(pod).is_empty());
        if !isolated.is_empty() {
            let number = policies.len();
            policies.extend(policy::egress_policy(grant, stamp, source, number));
        }
        sources.push(EgressSide {
            source: source.clone(),
            namespace: source_ns,
            isolated: isolated.iter().map(|p| p.id()).collect(),
            free: free.iter().map(|p| p.id()).collect(),
        });
    }
    let (ingress, egress) = policies.split_at_mut(1);
    policy::note_egress_namespaces(&mut ingress[0], egress);

    let mut all_policies = snapshot.policies.clone();
    all_policies.extend(policies.iter().cloned());
    let after = reach::Cluster::new(
        snapshot.namespaces.iter().cloned(),
        snapshot.pods.iter().cloned(),
        &all_policies,
    )?;
    let all_pods: Vec<&Pod> = before.pods().collect();
    let boundaries = samples::port_boundaries(&all_policies, &all_pods, &grant.ports);
    let addresses = samples::address_boundaries(&all_policies, &cidr_blocks(grant));

    let mut blocks = samples::policy_blocks(&all_policies);
    blocks.extend(cidr_blocks(grant));
    let source_ids: Vec<PodId> = sources
        .iter()
        .flat_map(|side| side.isolated.iter().chain(&side.free).cloned())
        .collect();
    let requested = Requested::new(
        grant,
        &target_pods,
        source_ids.iter().cloned(),
        &all_pods,
        &boundaries,
    );

    // The requested flows: every source pod and every stretch of every CIDR, to every target
    // pod, on every requested port. Pods alike to every rule share one verdict per port, so a
    // broad grant (millions of flows) costs classes × ports verdicts.
    let source_set: BTreeSet<PodId> = source_ids.iter().cloned().collect();
    let source_pods: Vec<&Pod> = all_pods
        .iter()
        .copied()
        .filter(|pod| source_set.contains(&pod.id()))
        .collect();
    let source_classes = delta::classes(&source_pods, &blocks);
    let mut rows = Rows::new(&before, &after);
    for targets in delta::classes(&target_pods, &blocks).into_values() {
        let ports = requested.ports(&targets[0].id());
        for sources in source_classes.values() {
            rows.add(From::Pods(sources), &targets, &ports, None)?;
        }
        for source in &grant.sources {
            let Source::Cidr { cidr, except } = source else {
                continue;
            };
            for ip in samples::addresses_in(cidr, except, &addresses) {
                let cidr = Some(cidr.to_string());
                rows.add(From::Address(ip), &targets, &ports, cidr)?;
            }
        }
    }

    // The proof: compare every flow the new policies could change. Ingress changes only at
    // the target pods; egress only at the pods the egress side selects.
    let egress_ids: BTreeSet<PodId> = sources
        .iter()
        .filter(|side| !side.isolated.is_empty())
        .flat_map(|side| side.isolated.iter().chain(&side.free).cloned())
        .collect();
    let egress_pods: Vec<&Pod> = all_pods
        .iter()
        .copied()
        .filter(|pod| egress_ids.contains(&pod.id()))
        .collect();
    let delta = delta::compare(&delta::Inputs {
        before: &before,
        after: &after,
        all_pods: &all_pods,
        targets: &target_pods,
        egress: &egress_pods,
        addresses: &addresses,
        ports: &samples::all_ports(&boundaries),
        blocks: &blocks,
        permitted: &requested,
    })?;

    Ok(Assessment {
        namespace,
        target_pods: target_pods.iter().map(|p| p.id()).collect(),
        newly_isolated,
        sources,
        empty,
        policies,
        rows_total: rows.total,
        all_open_before: rows.all_open_before,
        rows: rows.listed,
        cut: delta.cut,
        cut_total: delta.cut_total,
        extra: delta.extra,
        extra_total: delta.extra_total,
    })
}

/// At most this many requested flows are kept (for `jit explain`): a broad grant asks for
/// millions, all of them checked and counted.
pub const ROWS_LISTED: usize = 10_000;

/// Where requested flows come from: a class of pods alike to every rule, or one address.
#[derive(Clone, Copy)]
enum From<'a> {
    Pods(&'a [&'a Pod]),
    Address(std::net::IpAddr),
}

/// The requested flows with their verdicts: all counted, the first [`ROWS_LISTED`] kept.
struct Rows<'a> {
    before: &'a reach::Cluster,
    after: &'a reach::Cluster,
    listed: Vec<Row>,
    total: usize,
    all_open_before: bool,
}

impl<'a> Rows<'a> {
    fn new(before: &'a reach::Cluster, after: &'a reach::Cluster) -> Rows<'a> {
        Rows {
            before,
            after,
            listed: Vec::new(),
            total: 0,
            all_open_before: true,
        }
    }

    /// The flows from `from` to the class `targets` on `ports`: one verdict pair per port
    /// for a representative flow between two different pods, shared by every member flow.
    /// A pod's flow to itself (when a class is both source and target) is answered on its
    /// own: it is always allowed, so it never changes `all_open_before`.
    fn add(
        &mut self,
        from: From<'_>,
        targets: &[&Pod],
        ports: &[(u16, Protocol)],
        cidr: Option<String>,
    ) -> Result<()> {
        let sources: Vec<reach::Source> = match from {
            From::Pods(pods) => pods.iter().map(|p| reach::Source::Pod(p.id())).collect(),
            From::Address(ip) => vec![reach::Source::External(ip)],
        };
        let representative = sources.iter().find_map(|source| {
            targets
                .iter()
                .find(|t| !matches!(source, reach::Source::Pod(id) if *id == t.id()))
                .map(|t| (source.clone(), t.id()))
        });
        for &(port, protocol) in ports {
            let shared = match &representative {
                Some((source, target)) => {
                    let flow = Flow::new(source.clone(), target.clone(), port, protocol);
                    let pair = (self.before.allowed(&flow)?, self.after.allowed(&flow)?);
                    self.all_open_before &= pair.0.is_allowed();
                    Some(pair)
                }
                None => None,
            };
            self.total += sources.len() * targets.len();
            for source in &sources {
                for target in targets {
                    if self.listed.len() >= ROWS_LISTED {
                        break;
                    }
                    let flow = Flow::new(source.clone(), target.id(), port, protocol);
                    let itself = matches!(source, reach::Source::Pod(id) if *id == target.id());
                    let (before, after) = match (&shared, itself) {
                        (Some((before, after)), false) => (before.clone(), after.clone()),
                        _ => (self.before.allowed(&flow)?, self.after.allowed(&flow)?),
                    };
                    self.listed.push(Row {
                        flow,
                        cidr: cidr.clone(),
                        before,
                        after,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Every CIDR and except of the grant's sources: their edges split the address space too.
fn cidr_blocks(grant: &Grant) -> Vec<ipnet::IpNet> {
    grant
        .cidrs()
        .flat_map(|(cidr, except)| std::iter::once(cidr).chain(except.iter().copied()))
        .collect()
}

fn targets(target: &Target, pod: &Pod) -> bool {
    match target {
        Target::Pods(sel) => sel.matches(&pod.labels),
        Target::AllPods => true,
    }
}

/// A pod source's namespace and the pods it matches there; `None` for a CIDR.
fn source_pods<'a>(
    cluster: &'a reach::Cluster,
    grant_namespace: &str,
    source: &Source,
) -> Option<(String, Vec<&'a Pod>)> {
    let (namespace, selector) = match source {
        Source::Pods(sel) => (grant_namespace.to_string(), Some(sel)),
        Source::Namespace { name, pods } => (name.clone(), pods.as_ref()),
        Source::Cidr { .. } => return None,
    };
    let pods = cluster
        .pods()
        .filter(|pod| pod.namespace == namespace)
        .filter(|pod| selector.is_none_or(|sel| sel.matches(&pod.labels)))
        .collect();
    Some((namespace, pods))
}

impl Assessment {
    /// Whether the grant would open nothing new: there are requested flows, every one is
    /// allowed already, and the grant isolates no pod (when it does, its point is to keep the
    /// path open through the isolation).
    pub fn already_open(&self) -> bool {
        self.newly_isolated.is_empty() && self.rows_total > 0 && self.all_open_before
    }

    /// The policies that open the path today (for "already allowed by …").
    pub fn open_by(&self) -> Vec<String> {
        let mut names = BTreeSet::new();
        for row in &self.rows {
            for side in [&row.before.ingress, &row.before.egress] {
                if let reach::Side::Isolated { allowed_by, .. } = side {
                    names.extend(
                        allowed_by
                            .iter()
                            .map(|r| format!("networkpolicy {}", r.policy)),
                    );
                }
            }
        }
        names.into_iter().collect()
    }

    /// Egress sides whose source selector matches pods that are isolated and pods that are
    /// not: one egress policy for them would isolate the free ones.
    fn mixed_egress(&self) -> Vec<&EgressSide> {
        self.sources
            .iter()
            .filter(|s| !s.isolated.is_empty() && !s.free.is_empty())
            .collect()
    }

    /// Why the grant must not go ahead, if it must not: the first reason in the order a person
    /// needs them (what would break, then what is pointless).
    pub fn refusal(&self, options: Options) -> Option<JitError> {
        if !self.extra.is_empty() {
            return Some(
                JitError::new(
                    Exit::Unsafe,
                    format!(
                        "refusing: these policies would open more than the requested path, e.g. {}; nothing was written",
                        sample(&self.extra)
                    ),
                )
                .with_hint("this is a bug in jit's policy generation; please report it with `jit explain` output"),
            );
        }
        if !options.allow_isolation && !self.newly_isolated.is_empty() {
            return Some(self.isolation_refusal());
        }
        if !options.allow_isolation
            && let Some(side) = self.mixed_egress().first()
        {
            return Some(
                JitError::new(
                    Exit::Unsafe,
                    format!(
                        "refusing: the sources {} include pods isolated for egress ({}) and pods that are not ({}); \
                         the egress policy the first need would isolate the others and cut their other outgoing traffic; \
                         nothing was written",
                        side.source,
                        names(&side.isolated),
                        names(&side.free),
                    ),
                )
                .with_hint("narrow --from to pods of one kind, or grant anyway with --allow-isolation"),
            );
        }
        if !options.allow_isolation && !self.cut.is_empty() {
            return Some(
                JitError::new(
                    Exit::Unsafe,
                    format!(
                        "refusing: the grant would cut {} flow(s) that are open today, e.g. {}; nothing was written",
                        self.cut_total,
                        sample(&self.cut)
                    ),
                )
                .with_hint("`jit explain` shows the path; grant anyway with --allow-isolation"),
            );
        }
        if !options.force && self.already_open() {
            return Some(
                JitError::new(
                    Exit::Exists,
                    match self.open_by().as_slice() {
                        // Only pods' traffic to themselves, which nothing can block.
                        [] => "the path is already open: it is each pod's traffic to itself, \
                               which no policy can block; nothing was written"
                            .to_string(),
                        by => format!(
                            "the path is already open: allowed by {}; nothing was written",
                            by.join(", ")
                        ),
                    },
                )
                .with_hint("`jit explain` shows who reaches what; grant anyway with --force"),
            );
        }
        None
    }

    fn isolation_refusal(&self) -> JitError {
        // Before, nothing isolates these pods: every port is open to everyone. So what is cut
        // is best said as pairs of pods (every port but the granted ones).
        let pairs: BTreeSet<(&PodId, &PodId)> = self
            .cut
            .iter()
            .filter_map(|f| match &f.source {
                reach::Source::Pod(source) => Some((source, &f.destination)),
                reach::Source::External(_) => None,
            })
            .collect();
        let (they, accept, them, their) = if self.newly_isolated.len() == 1 {
            ("it", "accepts", "it", "its")
        } else {
            ("they", "accept", "them", "their")
        };
        let mut message = format!(
            "refusing: no NetworkPolicy isolates {} for ingress, so {they} {accept} traffic from everywhere today; \
             the grant's policy would isolate {them} and cut all {their} other ingress",
            pod_list(&self.newly_isolated),
        );
        if !pairs.is_empty() {
            let shown: Vec<String> = pairs
                .iter()
                .take(8)
                .map(|(source, destination)| format!("pod {source} -> {destination}"))
                .collect();
            message.push_str(&format!(": {}", shown.join(", ")));
            if pairs.len() > 8 {
                message.push_str(&format!(" and {} more pairs of pods", pairs.len() - 8));
            }
        }
        message.push_str(", and every address outside the cluster; nothing was written");
        JitError::new(Exit::Unsafe, message).with_hint(format!(
            "isolate the namespace first with `jit baseline -n {ns}` (a default-deny ingress policy, \
             shown before it is applied), then grant; or grant anyway with --allow-isolation",
            ns = self.namespace
        ))
    }
}

fn pod_list(pods: &[PodId]) -> String {
    match pods {
        [one] => format!("pod {one}"),
        many => format!("pods {}", names(many)),
    }
}

fn names(pods: &[PodId]) -> String {
    let shown: Vec<String> = pods.iter().take(8).map(ToString::to_string).collect();
    let more = pods.len().saturating_sub(8);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn sample(flows: &[Flow]) -> String {
    let shown: Vec<String> = flows.iter().take(3).map(ToString::to_string).collect();
    shown.join("; ")
}

/// The addresses an assessment samples, for tests: every boundary of every ipBlock.
#[cfg(test)]
pub(crate) fn sample_addresses(policies: &[NetworkPolicy], grant: &Grant) -> Vec<std::net::IpAddr> {
    samples::address_boundaries(policies, &cidr_blocks(grant))
}

/// The ports an assessment samples, for tests.
#[cfg(test)]
pub(crate) fn sample_ports(
    policies: &[NetworkPolicy],
    pods: &[Pod],
    grant: &Grant,
) -> Vec<(u16, crate::policy::Protocol)> {
    let pods: Vec<&Pod> = pods.iter().collect();
    samples::all_ports(&samples::port_boundaries(policies, &pods, &grant.ports))
}
