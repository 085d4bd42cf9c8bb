//! Why a cluster could not be modelled, or a question about it not answered.
//!
//! The model refuses input it cannot give an exact answer for (a policy the API server would
//! have rejected, a pod in a namespace it was not told about) rather than guessing: a wrong
//! "unreachable" is what a safety check must never say.

use std::fmt;

use super::model::PodId;
use super::netpol::PolicyId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    /// A NetworkPolicy field the API server would not have accepted, e.g.
    /// `networkpolicy team-a/x: spec.ingress[0].ports[1].endPort: …`.
    InvalidPolicy {
        policy: String,
        field: String,
        message: String,
    },
    /// A Pod or Namespace object read from the API without the fields the model needs.
    InvalidObject {
        object: String,
        message: String,
    },
    DuplicateNamespace(String),
    DuplicatePod(PodId),
    DuplicatePolicy(PolicyId),
    /// Namespace selectors need the pod's namespace labels, so every pod's namespace must be
    /// given.
    UnknownNamespace {
        pod: PodId,
    },
    /// A flow named a pod the cluster does not have.
    UnknownPod(PodId),
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::InvalidPolicy {
                policy,
                field,
                message,
            } => write!(f, "networkpolicy {policy}: {field}: {message}"),
            ClusterError::InvalidObject { object, message } => write!(f, "{object}: {message}"),
            ClusterError::DuplicateNamespace(name) => {
                write!(f, "namespace {name} is given more than once")
            }
            ClusterError::DuplicatePod(pod) => write!(f, "pod {pod} is given more than once"),
            ClusterError::DuplicatePolicy(policy) => {
                write!(f, "networkpolicy {policy} is given more than once")
            }
            ClusterError::UnknownNamespace { pod } => write!(
                f,
                "pod {pod} is in namespace {}, which is not among the namespaces given",
                pod.namespace
            ),
            ClusterError::UnknownPod(pod) => write!(f, "no pod {pod} in the cluster"),
        }
    }
}

impl std::error::Error for ClusterError {}

/// A problem in one field of a policy, before the policy's name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
