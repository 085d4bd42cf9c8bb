//! A pure model of NetworkPolicy reachability (`networking.k8s.io/v1`): given namespaces, pods
//! and NetworkPolicy objects, which connections does the cluster allow, and because of which
//! policy rule? No I/O, no clock, no client: grant safety checks compare the reachability of a
//! cluster before and after a grant, and `jit explain` prints a [`Verdict`], so both need answers
//! that are deterministic and testable to the byte.
//!
//! The semantics are those of the Kubernetes documentation
//! (<https://kubernetes.io/docs/concepts/services-networking/network-policies/>) and the API
//! reference for the v1 types:
//!
//! - A pod is *isolated* for ingress iff some policy in its own namespace selects it
//!   (`podSelector`, empty = every pod) and has `Ingress` among its policy types; likewise for
//!   egress. `policyTypes` left out (or empty) means `Ingress`, plus `Egress` if the policy has
//!   egress rules. A direction that is not isolated allows everything.
//! - A connection needs both ends: egress at the source (unless the source is not isolated for
//!   egress, or is outside the cluster) and ingress at the destination (unless it is not
//!   isolated for ingress). Rules are additive: any one matching rule of any isolating policy
//!   allows the connection, and nothing ever denies one explicitly.
//! - A rule matches when both its peers and its ports match; `from`/`to` and `ports` that are
//!   absent or empty match everything.
//! - "A pod cannot block access to itself": a pod's connection to itself is always allowed.
//!
//! What is deliberately not modelled: traffic from a pod's own node (always allowed by the
//! documentation, but the model has no nodes), host-network pods (policies do not apply to
//! them; leave them out of the input), Services (flows name the pod's own port, after any
//! Service translation) and egress to destinations outside the cluster.

mod error;
mod evaluate;
mod model;
mod netpol;
mod peer;
mod port;
mod verdict;

#[cfg(test)]
mod examples;
#[cfg(test)]
pub(crate) mod fixtures;

pub use crate::policy::Protocol;
pub use error::ClusterError;
pub use evaluate::Cluster;
pub use model::{ContainerPort, Flow, Namespace, Pod, PodId, Source, is_policed};
pub use netpol::PolicyId;
pub use verdict::{Direction, RuleRef, Side, Verdict};
