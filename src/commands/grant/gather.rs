//! Everything a grant needs to know from the cluster, asked in one concurrent wave: who the
//! caller is and what they may do, and for every namespace the grant touches (the target's
//! and each source namespace) the namespace, its pods and its NetworkPolicies: the snapshot
//! the safety checks decide on.

use anyhow::Result;
use futures::future::join_all;
use k8s_openapi::api::core::v1::{Namespace, Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::cluster::{self, AccessCheck, Cluster, Identity};
use crate::exit::{Exit, JitError};
use crate::expiry;
use crate::policy::Source;
use crate::rbac;
use crate::reach;
use crate::request::{GrantRequest, TargetRequest};
use crate::safety::Snapshot;

/// What the answers are for: a grant must be allowed to write; `jit explain` only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Grant,
    Explain,
}

pub struct Facts {
    pub identity: Identity,
    /// The jit policies in the grant's namespace (duplicates, fresh ids, opportunistic reaping).
    pub existing: Vec<NetworkPolicy>,
    pub service: Option<Service>,
    pub snapshot: Snapshot,
    /// Source namespaces where the caller may not create policies (an egress side there
    /// would be refused).
    pub unwritable: Vec<String>,
    /// Source namespaces whose pods or policies the caller may not read: their egress side is
    /// not checked.
    pub unreadable: Vec<String>,
}

/// One namespace as read: the object (`None`: does not exist), its pods and its policies.
struct Read {
    name: String,
    object: Result<Option<Namespace>>,
    pods: Result<Vec<Pod>>,
    policies: Result<Vec<NetworkPolicy>>,
}

async fn read(cluster: &Cluster, name: String) -> Read {
    let (object, pods, policies) = tokio::join!(
        cluster.namespace_object(&name),
        cluster.pods(&name),
        cluster.all_policies(&name),
    );
    Read {
        name,
        object,
        pods,
        policies,
    }
}

/// The checks on networkpolicies a grant needs in its own namespace: server-side apply
/// needs `patch`, and `create` when the object is new (it always is); `list` finds existing
/// grants for the same path.
fn writes(namespace: &str, verbs: &[&'static str]) -> Vec<AccessCheck> {
    verbs
        .iter()
        .map(|verb| AccessCheck {
            verb,
            group: "networking.k8s.io",
            resource: "networkpolicies",
            namespace: namespace.to_string(),
        })
        .collect()
}

/// The namespaces of the sources, other than the grant's own, sorted.
pub fn source_namespaces(request: &GrantRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .sources
        .iter()
        .filter_map(|s| match s {
            Source::Namespace { name, .. } if *name != request.namespace => Some(name.clone()),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Asks everything at once. The outer error: the API server did not say who we are (then
/// there is no one to record a request for); the inner one: the request is refused or
/// cannot go on, recorded as such.
pub async fn gather(
    cluster: &Cluster,
    request: &GrantRequest,
    purpose: Purpose,
) -> Result<(Identity, Result<Facts>)> {
    let namespace = &request.namespace;
    let others = source_namespaces(request);
    let (own_checks, other_checks) = match purpose {
        Purpose::Grant => (
            writes(namespace, &["create", "patch", "list"]),
            others
                .iter()
                .map(|ns| writes(ns, &["create", "patch"]))
                .collect(),
        ),
        Purpose::Explain => (Vec::new(), Vec::new()),
    };
    let service = async {
        match &request.target {
            TargetRequest::Service(name) => cluster.service(namespace, name).await,
            _ => Ok(None),
        }
    };
    let other_answers = join_all(
        other_checks
            .iter()
            .map(|checks: &Vec<AccessCheck>| join_all(checks.iter().map(|c| cluster.allowed(c)))),
    );
    let (identity, answers, other_answers, own, others_read, service) = tokio::join!(
        cluster.whoami(),
        join_all(own_checks.iter().map(|check| cluster.allowed(check))),
        other_answers,
        read(cluster, namespace.clone()),
        join_all(others.iter().map(|ns| read(cluster, ns.clone()))),
        service,
    );

    // The order of these checks is the order of the explanations a person needs: who they
    // are, whether the namespace is real, then whether they may write there.
    let identity = identity.map_err(|err| match cluster::api_code(&err) {
        Some(401) => JitError::new(
            Exit::Denied,
            format!("the API server rejected your credentials: {err:#}"),
        )
        .with_hint(
            "check them with `kubectl auth whoami`; an expired token or certificate needs renewing",
        )
        .into(),
        _ => err,
    })?;
    let facts = check(
        identity.clone(),
        namespace,
        &own_checks,
        answers,
        &others,
        other_answers,
        own,
        others_read,
        service,
    );
    Ok((identity, facts))
}

#[allow(clippy::too_many_arguments)]
fn check(
    identity: Identity,
    namespace: &str,
    checks: &[AccessCheck],
    answers: Vec<Result<bool>>,
    others: &[String],
    other_answers: Vec<Vec<Result<bool>>>,
    own: Read,
    others_read: Vec<Read>,
    service: Result<Option<Service>>,
) -> Result<Facts> {
    let own_object = match own.object {
        Ok(None) => {
            return Err(JitError::usage(format!(
                "-n/--namespace: namespace {namespace:?} not found"
            ))
            .with_hint("`kubectl get namespaces` lists them")
            .into());
        }
        Ok(Some(ns)) => Some(ns),
        // Not allowed to read namespaces: the name is all there is (and all a grant's own
        // peers use).
        Err(err) if cluster::api_code(&err) == Some(403) => None,
        Err(err) => return Err(err),
    };
    let mut denied = Vec::new();
    for (check, answer) in checks.iter().zip(answers) {
        if !answer? {
            denied.push(check.verb);
        }
    }
    if !denied.is_empty() {
        return Err(JitError::new(
            Exit::Denied,
            format!(
                "user {:?} may not {} networkpolicies (networking.k8s.io) in namespace {namespace:?}; nothing was written",
                identity.username,
                denied.join(", "),
            ),
        )
        .with_hint(format!(
            "a cluster admin can allow it by applying this Role and RoleBinding:\n{}",
            rbac::granter_role(namespace, &identity.username)
        ))
        .into());
    }
    let mut unwritable = Vec::new();
    for (ns, answers) in others.iter().zip(other_answers) {
        let mut allowed = true;
        for answer in answers {
            allowed &= answer?;
        }
        if !allowed {
            unwritable.push(ns.clone());
        }
    }

    let mut snapshot = Snapshot::default();
    let unreadable_own = |what: &str, err: anyhow::Error| -> anyhow::Error {
        if cluster::api_code(&err) == Some(403) {
            JitError::new(
                Exit::Denied,
                format!(
                    "user {:?} may not list {what} in namespace {namespace:?}: jit reads them to check \
                     what the grant would change before writing anything; nothing was written",
                    identity.username
                ),
            )
            .with_hint(format!(
                "`jit rbac granter {namespace} --user {}` prints the RBAC a granter needs",
                identity.username
            ))
            .into()
        } else {
            err
        }
    };
    let own_pods = own.pods.map_err(|e| unreadable_own("pods", e))?;
    let own_policies = own
        .policies
        .map_err(|e| unreadable_own("networkpolicies", e))?;
    let existing = own_policies
        .iter()
        .filter(|np| expiry::is_jit_managed(np))
        .cloned()
        .collect();
    add_namespace(
        &mut snapshot,
        namespace,
        own_object.as_ref(),
        &own_pods,
        own_policies,
    )?;

    let mut unreadable = Vec::new();
    for read in others_read {
        let object = match read.object {
            Ok(None) => continue, // does not exist: the safety checks say so
            Ok(Some(ns)) => Some(ns),
            Err(err) if cluster::api_code(&err) == Some(403) => None,
            Err(err) => return Err(err),
        };
        match (read.pods, read.policies) {
            (Ok(pods), Ok(policies)) => {
                add_namespace(&mut snapshot, &read.name, object.as_ref(), &pods, policies)?
            }
            (Err(err), _) | (_, Err(err)) if cluster::api_code(&err) == Some(403) => {
                unreadable.push(read.name.clone());
                snapshot.unreadable.push(read.name);
            }
            (Err(err), _) | (_, Err(err)) => return Err(err),
        }
    }
    Ok(Facts {
        identity,
        existing,
        service: service?,
        snapshot,
        unwritable,
        unreadable,
    })
}

fn add_namespace(
    snapshot: &mut Snapshot,
    name: &str,
    object: Option<&Namespace>,
    pods: &[Pod],
    policies: Vec<NetworkPolicy>,
) -> Result<()> {
    snapshot.namespaces.push(match object {
        Some(ns) => reach::Namespace::from_api(ns)?,
        None => reach::Namespace::new(name),
    });
    for pod in pods.iter().filter(|pod| reach::is_policed(pod)) {
        snapshot.pods.push(reach::Pod::from_api(pod)?);
    }
    snapshot.policies.extend(policies);
    Ok(())
}
