//! A NetworkPolicy object read once into the form the evaluator works on: defaults applied as
//! the API server applies them, selectors parsed, ports and CIDRs checked. Doing it up front
//! means a malformed policy is one clear error when the cluster is built, never a silent
//! "matches nothing" in the middle of an answer.

use std::fmt;

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};

use super::error::{ClusterError, FieldError};
use super::model::Pod;
use super::peer::{Peers, selector};
use super::port::Ports;
use super::verdict::Direction;
use crate::selector::Selector;

/// A policy's identity: namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyId {
    pub namespace: String,
    pub name: String,
}

impl PolicyId {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> PolicyId {
        PolicyId {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Policy {
    pub id: PolicyId,
    pub pod_selector: Selector,
    pub ingress_type: bool,
    pub egress_type: bool,
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

/// One ingress or egress rule: it matches a connection when both its peers and its ports do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rule {
    pub peers: Peers,
    pub ports: Ports,
}

impl Policy {
    pub fn from_api(np: &NetworkPolicy) -> Result<Policy, ClusterError> {
        let (Some(namespace), Some(name)) = (&np.metadata.namespace, &np.metadata.name) else {
            return Err(ClusterError::InvalidObject {
                object: format!(
                    "networkpolicy {}/{}",
                    np.metadata.namespace.as_deref().unwrap_or("?"),
                    np.metadata.name.as_deref().unwrap_or("?")
                ),
                message: "has no metadata.namespace or metadata.name".into(),
            });
        };
        let id = PolicyId::new(namespace, name);
        Policy::from_spec(id.clone(), np).map_err(|e| ClusterError::InvalidPolicy {
            policy: id.to_string(),
            field: e.field,
            message: e.message,
        })
    }

    fn from_spec(id: PolicyId, np: &NetworkPolicy) -> Result<Policy, FieldError> {
        // A policy without a spec is read as the API server stores it: the empty spec, which
        // defaults to an Ingress policy selecting every pod, i.e. "deny all ingress".
        let default = Default::default();
        let spec = np.spec.as_ref().unwrap_or(&default);
        // podSelector is optional since Kubernetes 1.33, meaning the empty selector.
        let pod_selector = spec
            .pod_selector
            .as_ref()
            .map(|ls| selector(ls, "spec.podSelector"))
            .transpose()?
            .unwrap_or_default();

        let ingress = rules(
            spec.ingress
                .iter()
                .flatten()
                .map(|rule| (rule.from.as_deref(), rule.ports.as_deref())),
            "spec.ingress",
            "from",
        )?;
        let egress = rules(
            spec.egress
                .iter()
                .flatten()
                .map(|rule| (rule.to.as_deref(), rule.ports.as_deref())),
            "spec.egress",
            "to",
        )?;

        // The API server's defaulting: no (or an empty) policyTypes means Ingress, plus Egress
        // when there are egress rules. Given explicitly, it is taken as written, so an
        // Egress-only policy leaves ingress alone even if it has ingress rules.
        let (ingress_type, egress_type) = match spec.policy_types.as_deref() {
            None | Some([]) => (true, !egress.is_empty()),
            Some(types) => {
                let mut both = (false, false);
                for (i, t) in types.iter().enumerate() {
                    match t.as_str() {
                        "Ingress" => both.0 = true,
                        "Egress" => both.1 = true,
                        _ => {
                            return Err(FieldError::new(
                                format!("spec.policyTypes[{i}]"),
                                format!("unknown policy type {t:?}: expected Ingress or Egress"),
                            ));
                        }
                    }
                }
                both
            }
        };

        Ok(Policy {
            id,
            pod_selector,
            ingress_type,
            egress_type,
            ingress,
            egress,
        })
    }

    /// Whether this policy isolates `pod` in `direction`: it is in the pod's namespace, selects
    /// the pod, and is of that type. Policies never select pods in other namespaces.
    pub fn isolates(&self, pod: &Pod, direction: Direction) -> bool {
        let of_type = match direction {
            Direction::Ingress => self.ingress_type,
            Direction::Egress => self.egress_type,
        };
        of_type && pod.namespace == self.id.namespace && self.pod_selector.matches(&pod.labels)
    }

    pub fn rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// One direction's rules: `(peers, ports)` of each, named in errors as `FIELD[i].PEERS` and
/// `FIELD[i].ports` (`spec.ingress[0].from`, `spec.egress[2].ports`).
fn rules<'a>(
    raw: impl Iterator<
        Item = (
            Option<&'a [NetworkPolicyPeer]>,
            Option<&'a [NetworkPolicyPort]>,
        ),
    >,
    field: &str,
    peers_field: &str,
) -> Result<Vec<Rule>, FieldError> {
    raw.enumerate()
        .map(|(i, (peers, ports))| {
            Ok(Rule {
                peers: Peers::parse(peers, &format!("{field}[{i}].{peers_field}"))?,
                ports: Ports::parse(ports, &format!("{field}[{i}].ports"))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reach::fixtures::policy;

    fn types(yaml_spec: &str) -> (bool, bool) {
        let p = Policy::from_api(&policy("default", "p", yaml_spec)).unwrap();
        (p.ingress_type, p.egress_type)
    }

    #[test]
    fn policy_types_default_like_the_api_server() {
        assert_eq!(types("podSelector: {}"), (true, false));
        assert_eq!(types("podSelector: {}\npolicyTypes: []"), (true, false));
        assert_eq!(types("podSelector: {}\negress: []"), (true, false));
        assert_eq!(types("podSelector: {}\negress: [{}]"), (true, true));
        assert_eq!(
            types("podSelector: {}\npolicyTypes: [Egress]"),
            (false, true)
        );
        assert_eq!(
            types("podSelector: {}\npolicyTypes: [Egress]\ningress: [{}]"),
            (false, true)
        );
        assert_eq!(
            types("podSelector: {}\npolicyTypes: [Ingress, Egress]"),
            (true, true)
        );
    }

    #[test]
    fn a_missing_spec_or_pod_selector_selects_every_pod() {
        let mut np = policy("default", "p", "podSelector: {}");
        np.spec = None;
        let p = Policy::from_api(&np).unwrap();
        assert!((p.ingress_type, p.egress_type) == (true, false));
        assert!(p.isolates(&Pod::new("default", "any"), Direction::Ingress));

        let p = Policy::from_api(&policy("default", "p", "policyTypes: [Egress]")).unwrap();
        assert!(p.isolates(&Pod::new("default", "any"), Direction::Egress));
        assert!(!p.isolates(&Pod::new("default", "any"), Direction::Ingress));
        assert!(!p.isolates(&Pod::new("other", "any"), Direction::Egress));
    }

    #[test]
    fn errors_name_the_policy_and_the_field() {
        let cases = [
            (
                "policyTypes: [ingress]",
                "networkpolicy default/p: spec.policyTypes[0]: unknown policy type \"ingress\": \
                 expected Ingress or Egress",
            ),
            (
                "podSelector: {matchExpressions: [{key: app, operator: Equals, values: [x]}]}",
                "networkpolicy default/p: spec.podSelector: unknown matchExpressions operator \
                 \"Equals\" for key \"app\": expected In, NotIn, Exists or DoesNotExist",
            ),
            (
                "ingress: [{}, {ports: [{port: 80, endPort: 8}]}]",
                "networkpolicy default/p: spec.ingress[1].ports[0].endPort: must be greater \
                 than or equal to port (80), not 8",
            ),
            (
                "egress: [{to: [{podSelector: {}}, {}]}]",
                "networkpolicy default/p: spec.egress[0].to[1]: must set podSelector, \
                 namespaceSelector or ipBlock",
            ),
        ];
        for (spec, message) in cases {
            let err = Policy::from_api(&policy("default", "p", spec)).unwrap_err();
            assert_eq!(err.to_string(), message);
        }

        let mut np = policy("default", "p", "podSelector: {}");
        np.metadata.namespace = None;
        assert_eq!(
            Policy::from_api(&np).unwrap_err().to_string(),
            "networkpolicy ?/p: has no metadata.namespace or metadata.name"
        );
    }
}
