//! The `from`/`to` peers of a rule: validated once when the policy is read, then matched
//! against the other end of a connection.
//!
//! `ipBlock` is meant for addresses outside the cluster (the documentation: pod IPs are
//! ephemeral and unpredictable), and whether a CNI plugin applies it to pod-to-pod traffic is
//! implementation-defined. This model matches it against a pod's IP too, when the pod has one:
//! most plugins do, and for a safety check the cautious reading is the one that allows more.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use k8s_openapi::api::networking::v1::{IPBlock, NetworkPolicyPeer};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::error::FieldError;
use super::model::Pod;
use crate::selector::Selector;

/// A rule's `from` (ingress) or `to` (egress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Peers {
    /// Absent or empty: every source or destination, inside the cluster or not.
    All,
    /// Any one of these (never empty).
    Only(Vec<Peer>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Peer {
    /// Pods matching `pods` in the namespaces matching `namespaces`, or in the policy's own
    /// namespace when `namespaces` is `None` (no namespaceSelector). A namespaceSelector alone
    /// reads as `pods` = the empty selector, i.e. every pod in those namespaces.
    Pods {
        namespaces: Option<Selector>,
        pods: Selector,
    },
    /// Addresses in `cidr` but in none of `except`.
    IpBlock { cidr: IpNet, except: Vec<IpNet> },
}

/// The other end of a connection, as peers see it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Remote<'a> {
    Pod {
        pod: &'a Pod,
        namespace_labels: &'a BTreeMap<String, String>,
    },
    External(IpAddr),
}

impl Peers {
    /// `field` is the path of the list, e.g. `spec.ingress[0].from`, for error messages.
    pub fn parse(peers: Option<&[NetworkPolicyPeer]>, field: &str) -> Result<Peers, FieldError> {
        match peers {
            None | Some([]) => Ok(Peers::All),
            Some(peers) => peers
                .iter()
                .enumerate()
                .map(|(i, peer)| Peer::parse(peer, &format!("{field}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Peers::Only),
        }
    }

    /// `policy_namespace` is where a podSelector without a namespaceSelector looks.
    pub fn matches(&self, policy_namespace: &str, remote: Remote<'_>) -> bool {
        match self {
            Peers::All => true,
            Peers::Only(peers) => peers.iter().any(|p| p.matches(policy_namespace, remote)),
        }
    }
}

impl Peer {
    fn parse(raw: &NetworkPolicyPeer, field: &str) -> Result<Peer, FieldError> {
        match (&raw.ip_block, &raw.namespace_selector, &raw.pod_selector) {
            (Some(block), None, None) => parse_ip_block(block, &format!("{field}.ipBlock")),
            (Some(_), _, _) => Err(FieldError::new(
                field,
                "ipBlock may not be combined with podSelector or namespaceSelector",
            )),
            (None, None, None) => Err(FieldError::new(
                field,
                "must set podSelector, namespaceSelector or ipBlock",
            )),
            (None, namespaces, pods) => Ok(Peer::Pods {
                namespaces: namespaces
                    .as_ref()
                    .map(|ls| selector(ls, &format!("{field}.namespaceSelector")))
                    .transpose()?,
                pods: pods
                    .as_ref()
                    .map(|ls| selector(ls, &format!("{field}.podSelector")))
                    .transpose()?
                    .unwrap_or_default(),
            }),
        }
    }

    fn matches(&self, policy_namespace: &str, remote: Remote<'_>) -> bool {
        match (self, remote) {
            (
                Peer::Pods { namespaces, pods },
                Remote::Pod {
                    pod,
                    namespace_labels,
                },
            ) => {
                let in_namespace = match namespaces {
                    None => pod.namespace == policy_namespace,
                    Some(selector) => selector.matches(namespace_labels),
                };
                in_namespace && pods.matches(&pod.labels)
            }
            (Peer::Pods { .. }, Remote::External(_)) => false,
            (Peer::IpBlock { cidr, except }, remote) => {
                let ip = match remote {
                    Remote::Pod { pod, .. } => pod.ip,
                    Remote::External(ip) => Some(ip),
                };
                ip.is_some_and(|ip| cidr.contains(&ip) && !except.iter().any(|e| e.contains(&ip)))
            }
        }
    }
}

/// The selector of a policy, with the API server's validation; see [`Selector`].
pub(super) fn selector(ls: &LabelSelector, field: &str) -> Result<Selector, FieldError> {
    Selector::from_label_selector(ls).map_err(|e| FieldError::new(field, e.to_string()))
}

/// As the API server validates an ipBlock: each `except` must lie strictly inside `cidr`. Host
/// bits in a CIDR (`10.0.0.1/8`) are dropped, as older API servers did when they accepted them.
fn parse_ip_block(block: &IPBlock, field: &str) -> Result<Peer, FieldError> {
    let parse = |text: &str, field: String| {
        text.parse::<IpNet>().map(|net| net.trunc()).map_err(|_| {
            FieldError::new(field, format!("{text:?} is not a CIDR (e.g. 10.0.0.0/16)"))
        })
    };
    let cidr = parse(&block.cidr, format!("{field}.cidr"))?;
    let mut except = Vec::new();
    for (i, text) in block.except.iter().flatten().enumerate() {
        let field = format!("{field}.except[{i}]");
        let net = parse(text, field.clone())?;
        if !(cidr.contains(&net) && net.prefix_len() > cidr.prefix_len()) {
            return Err(FieldError::new(
                field,
                format!("{text} must be a strict subset of cidr {cidr}"),
            ));
        }
        except.push(net);
    }
    Ok(Peer::IpBlock { cidr, except })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(labels: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            match_expressions: None,
        }
    }

    fn block(cidr: &str, except: &[&str]) -> NetworkPolicyPeer {
        NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: cidr.into(),
                except: (!except.is_empty())
                    .then(|| except.iter().map(|e| e.to_string()).collect()),
            }),
            ..NetworkPolicyPeer::default()
        }
    }

    fn parse_one(peer: NetworkPolicyPeer) -> Result<Peer, FieldError> {
        match Peers::parse(Some(&[peer]), "from")? {
            Peers::Only(mut list) => Ok(list.remove(0)),
            Peers::All => panic!("one peer parsed as all peers"),
        }
    }

    #[test]
    fn absent_or_empty_peers_match_everything() {
        assert_eq!(Peers::parse(None, "from"), Ok(Peers::All));
        assert_eq!(Peers::parse(Some(&[]), "from"), Ok(Peers::All));
        let ip = Remote::External("198.51.100.1".parse().unwrap());
        assert!(Peers::All.matches("any", ip));
    }

    #[test]
    fn namespace_selector_alone_means_every_pod_there() {
        let peer = parse_one(NetworkPolicyPeer {
            namespace_selector: Some(ls(&[("team", "ops")])),
            ..NetworkPolicyPeer::default()
        })
        .unwrap();
        assert_eq!(
            peer,
            Peer::Pods {
                namespaces: Some("team=ops".parse().unwrap()),
                pods: Selector::default(),
            }
        );
        let pod = Pod::new("ops", "anything");
        let ops = BTreeMap::from([("team".to_owned(), "ops".to_owned())]);
        let other = BTreeMap::new();
        let remote = |labels| Remote::Pod {
            pod: &pod,
            namespace_labels: labels,
        };
        assert!(peer.matches("team-a", remote(&ops)));
        assert!(!peer.matches("team-a", remote(&other)));
    }

    #[test]
    fn ip_blocks_exclude_their_exceptions_and_see_pod_ips() {
        let peer = parse_one(block("172.17.0.0/16", &["172.17.1.0/24"])).unwrap();
        let ext = |ip: &str| Remote::External(ip.parse().unwrap());
        assert!(peer.matches("ns", ext("172.17.0.1")));
        assert!(peer.matches("ns", ext("172.17.255.255")));
        assert!(!peer.matches("ns", ext("172.17.1.9")));
        assert!(!peer.matches("ns", ext("172.18.0.1")));
        assert!(
            !peer.matches("ns", ext("::ffff:172.17.0.1")),
            "IPv6 is another family"
        );

        let labels = BTreeMap::new();
        let with_ip = Pod::new("x", "a").with_ip("172.17.0.5".parse().unwrap());
        let without_ip = Pod::new("x", "b");
        let pod = |pod| Remote::Pod {
            pod,
            namespace_labels: &labels,
        };
        assert!(peer.matches("ns", pod(&with_ip)));
        assert!(!peer.matches("ns", pod(&without_ip)));

        let v6 = parse_one(block("2001:db8::/64", &[])).unwrap();
        assert!(v6.matches("ns", ext("2001:db8::1")));
        assert!(!v6.matches("ns", ext("2001:db9::1")));
    }

    #[test]
    fn host_bits_in_a_cidr_are_dropped() {
        let peer = parse_one(block("10.1.2.3/8", &[])).unwrap();
        assert_eq!(
            peer,
            Peer::IpBlock {
                cidr: "10.0.0.0/8".parse().unwrap(),
                except: vec![]
            }
        );
    }

    #[test]
    fn invalid_peers_are_rejected_like_the_api_server_does() {
        let both = NetworkPolicyPeer {
            pod_selector: Some(ls(&[])),
            ..block("10.0.0.0/8", &[])
        };
        let bad_selector = NetworkPolicyPeer {
            pod_selector: Some(ls(&[("app", "-x")])),
            ..NetworkPolicyPeer::default()
        };
        let cases = [
            (
                NetworkPolicyPeer::default(),
                "from[0]",
                "must set podSelector, namespaceSelector or ipBlock",
            ),
            (both, "from[0]", "may not be combined"),
            (block("10.0.0.0", &[]), "from[0].ipBlock.cidr", "not a CIDR"),
            (
                block("10.0.0.0/8", &["11.0.0.0/16"]),
                "from[0].ipBlock.except[0]",
                "strict subset of cidr 10.0.0.0/8",
            ),
            (
                block("10.0.0.0/8", &["10.0.0.0/8"]),
                "from[0].ipBlock.except[0]",
                "strict subset",
            ),
            (
                block("10.0.0.0/8", &["fd00::/16"]),
                "from[0].ipBlock.except[0]",
                "strict subset",
            ),
            (
                bad_selector,
                "from[0].podSelector",
                "invalid label value \"-x\"",
            ),
        ];
        for (peer, field, fragment) in cases {
            let err = parse_one(peer.clone()).expect_err(&format!("{peer:?}"));
            assert_eq!(err.field, field, "{peer:?}");
            assert!(
                err.message.contains(fragment),
                "{:?} should contain {fragment:?}",
                err.message
            );
        }
    }
}
