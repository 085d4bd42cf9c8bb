//! People-readable summaries of a NetworkPolicy read back from the cluster (for `list`).
//! Pure; the reverse of what `policy` writes, tolerant of policies edited by hand.

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::policy::NAMESPACE_NAME_LABEL;
use crate::selector::Selector;

fn selector(ls: &LabelSelector) -> String {
    match Selector::from_label_selector(ls) {
        Ok(sel) if sel.is_empty() => "all pods".to_string(),
        Ok(sel) => sel.to_string(),
        Err(_) => "(unreadable selector)".to_string(),
    }
}

pub fn target(np: &NetworkPolicy) -> String {
    np.spec
        .as_ref()
        .and_then(|s| s.pod_selector.as_ref())
        .map_or_else(|| "all pods".to_string(), selector)
}

pub fn sources(np: &NetworkPolicy) -> String {
    let peers: Vec<String> = rules(np)
        .flat_map(|rule| rule.from.clone().unwrap_or_default())
        .map(|peer| self::peer(&peer))
        .collect();
    if peers.is_empty() {
        "anywhere".to_string()
    } else {
        peers.join("; ")
    }
}

fn peer(peer: &NetworkPolicyPeer) -> String {
    if let Some(block) = &peer.ip_block {
        return match block.except.as_deref() {
            Some(except) if !except.is_empty() => {
                format!("{} except {}", block.cidr, except.join(", "))
            }
            _ => block.cidr.clone(),
        };
    }
    let pods = peer.pod_selector.as_ref().map(selector);
    let namespace = peer.namespace_selector.as_ref().map(|ns| {
        match ns
            .match_labels
            .as_ref()
            .and_then(|l| l.get(NAMESPACE_NAME_LABEL))
        {
            Some(name)
                if ns.match_expressions.is_none()
                    && ns.match_labels.as_ref().is_some_and(|l| l.len() == 1) =>
            {
                name.clone()
            }
            _ => format!("namespaces {}", selector(ns)),
        }
    });
    match (namespace, pods) {
        (Some(ns), Some(pods)) => format!("{ns}:{pods}"),
        (Some(ns), None) => format!("{ns}:all pods"),
        (None, Some(pods)) => pods,
        (None, None) => "anywhere".to_string(),
    }
}

pub fn ports(np: &NetworkPolicy) -> String {
    let mut all = false;
    let mut ports = Vec::new();
    // An egress side's rule carries the grant's ports too.
    let lists = np.spec.iter().flat_map(|s| {
        let ingress = s.ingress.iter().flatten().map(|r| &r.ports);
        let egress = s.egress.iter().flatten().map(|r| &r.ports);
        ingress.chain(egress)
    });
    for list in lists {
        match list {
            None => all = true,
            Some(list) if list.is_empty() => all = true,
            Some(list) => ports.extend(list.iter().map(|p| {
                let number = match &p.port {
                    Some(IntOrString::Int(n)) => n.to_string(),
                    Some(IntOrString::String(name)) => name.clone(),
                    None => "all".to_string(),
                };
                let range = p.end_port.map(|end| format!("-{end}")).unwrap_or_default();
                format!("{number}{range}/{}", p.protocol.as_deref().unwrap_or("TCP"))
            })),
        }
    }
    if all {
        "all".to_string()
    } else {
        ports.join(",")
    }
}

fn rules(
    np: &NetworkPolicy,
) -> impl Iterator<Item = &k8s_openapi::api::networking::v1::NetworkPolicyIngressRule> {
    np.spec.iter().flat_map(|s| s.ingress.iter().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{
        Grant, GrantId, Port, PortRef, Ports, Protocol, Source, Stamp, Target, network_policy,
    };

    #[test]
    fn reads_back_what_policy_writes() {
        let grant = Grant {
            namespace: "team-a".into(),
            target: Target::Pods("app=db".parse().unwrap()),
            target_service: None,
            sources: vec![
                Source::Pods("app=debug".parse().unwrap()),
                Source::Namespace {
                    name: "ops".into(),
                    pods: Some("app=toolbox".parse().unwrap()),
                },
                Source::Cidr {
                    cidr: "10.0.0.0/8".parse().unwrap(),
                    except: vec!["10.9.0.0/16".parse().unwrap()],
                },
            ],
            ports: Ports::Only(vec![
                Port {
                    port: PortRef::Number(5432),
                    protocol: Protocol::Tcp,
                },
                Port {
                    port: PortRef::Range(8000, 8100),
                    protocol: Protocol::Udp,
                },
            ]),
            ttl: std::time::Duration::from_secs(60),
            reason: None,
        };
        let created: jiff::Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let stamp = Stamp {
            id: GrantId::generate(&mut rand::rng()),
            requester: "alice".into(),
            groups: vec![],
            created,
            expires: Stamp::expiry(created, grant.ttl),
        };
        let np = network_policy(&grant, &stamp);
        assert_eq!(target(&np), "app=db");
        assert_eq!(
            sources(&np),
            "app=debug; ops:app=toolbox; 10.0.0.0/8 except 10.9.0.0/16"
        );
        assert_eq!(ports(&np), "5432/TCP,8000-8100/UDP");

        let mut all = grant.clone();
        all.ports = Ports::All;
        all.target = Target::AllPods;
        let np = network_policy(&all, &stamp);
        assert_eq!(ports(&np), "all");
        assert_eq!(target(&np), "all pods");
    }
}
