//! The `ports` of a rule: validated once when the policy is read, then matched against a
//! connection's port and protocol on the destination pod.
//!
//! A named port means the destination pod's container port of that name *and* the rule's
//! protocol, in ingress and egress rules alike: the connection always goes to a pod here, and
//! a name only has a meaning on the pod that declares it. A pod without that name (or with it on
//! another protocol) is not matched, whatever the connection's port number.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::NetworkPolicyPort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::error::FieldError;
use super::model::ContainerPort;
use crate::policy::Protocol;

/// The protocol names the API accepts. Case matters: the API server rejects `tcp`.
pub(super) fn parse_protocol(text: &str) -> Option<Protocol> {
    match text {
        "TCP" => Some(Protocol::Tcp),
        "UDP" => Some(Protocol::Udp),
        "SCTP" => Some(Protocol::Sctp),
        _ => None,
    }
}

/// A rule's `ports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ports {
    /// `ports` absent or empty: every port and protocol.
    All,
    /// Any one of these (never empty).
    Only(Vec<PortMatch>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PortMatch {
    pub protocol: Protocol,
    pub port: PortSpec,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PortSpec {
    /// `port` absent: every port of the protocol.
    Any,
    /// `port` alone is the range `port..=port`; with `endPort`, `port..=endPort`.
    Range(u16, u16),
    Named(String),
}

impl Ports {
    /// `field` is the path of the list, e.g. `spec.ingress[0].ports`, for error messages.
    pub fn parse(ports: Option<&[NetworkPolicyPort]>, field: &str) -> Result<Ports, FieldError> {
        match ports {
            None | Some([]) => Ok(Ports::All),
            Some(ports) => ports
                .iter()
                .enumerate()
                .map(|(i, port)| PortMatch::parse(port, &format!("{field}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Ports::Only),
        }
    }

    /// Whether a connection to `port`/`protocol` on a pod with these named ports matches.
    pub fn matches(
        &self,
        port: u16,
        protocol: Protocol,
        named: &BTreeMap<String, ContainerPort>,
    ) -> bool {
        match self {
            Ports::All => true,
            Ports::Only(list) => list.iter().any(|m| m.matches(port, protocol, named)),
        }
    }
}

impl PortMatch {
    fn parse(raw: &NetworkPolicyPort, field: &str) -> Result<PortMatch, FieldError> {
        let protocol = match raw.protocol.as_deref() {
            None => Protocol::Tcp,
            Some(text) => parse_protocol(text).ok_or_else(|| {
                FieldError::new(
                    format!("{field}.protocol"),
                    format!("unsupported protocol {text:?}: expected TCP, UDP or SCTP"),
                )
            })?,
        };
        let port = match (&raw.port, raw.end_port) {
            (None, None) => PortSpec::Any,
            (None, Some(_)) => {
                return Err(FieldError::new(
                    format!("{field}.endPort"),
                    "may not be set without port",
                ));
            }
            (Some(IntOrString::Int(n)), end) => {
                let start = port_number(*n, &format!("{field}.port"))?;
                let end = match end {
                    None => start,
                    Some(end) => {
                        let end = port_number(end, &format!("{field}.endPort"))?;
                        if end < start {
                            return Err(FieldError::new(
                                format!("{field}.endPort"),
                                format!(
                                    "must be greater than or equal to port ({start}), not {end}"
                                ),
                            ));
                        }
                        end
                    }
                };
                PortSpec::Range(start, end)
            }
            (Some(IntOrString::String(name)), end) => {
                if end.is_some() {
                    return Err(FieldError::new(
                        format!("{field}.endPort"),
                        format!("may not be set when port is a name ({name:?})"),
                    ));
                }
                check_port_name(name)
                    .map_err(|why| FieldError::new(format!("{field}.port"), why))?;
                PortSpec::Named(name.clone())
            }
        };
        Ok(PortMatch { protocol, port })
    }

    fn matches(
        &self,
        port: u16,
        protocol: Protocol,
        named: &BTreeMap<String, ContainerPort>,
    ) -> bool {
        if protocol != self.protocol {
            return false;
        }
        match &self.port {
            PortSpec::Any => true,
            PortSpec::Range(start, end) => (*start..=*end).contains(&port),
            PortSpec::Named(name) => named.get(name) == Some(&ContainerPort { port, protocol }),
        }
    }
}

fn port_number(n: i32, field: &str) -> Result<u16, FieldError> {
    u16::try_from(n)
        .ok()
        .filter(|n| *n != 0)
        .ok_or_else(|| FieldError::new(field, format!("must be between 1 and 65535, not {n}")))
}

/// Port names follow the API server's rule ([`crate::policy::is_port_name`]). Checking it
/// here means "80" given as a string is an error, not a name that silently never matches.
fn check_port_name(name: &str) -> Result<(), String> {
    if crate::policy::is_port_name(name) {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a valid port name: at most 15 lowercase letters, digits and '-', \
             with at least one letter and no '-' at either end or twice in a row"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(
        port: Option<IntOrString>,
        end: Option<i32>,
        protocol: Option<&str>,
    ) -> NetworkPolicyPort {
        NetworkPolicyPort {
            port,
            end_port: end,
            protocol: protocol.map(Into::into),
        }
    }

    fn parse_one(port: NetworkPolicyPort) -> Result<PortMatch, FieldError> {
        match Ports::parse(Some(&[port]), "ports")? {
            Ports::Only(mut list) => Ok(list.remove(0)),
            Ports::All => panic!("one port parsed as all ports"),
        }
    }

    #[test]
    fn absent_or_empty_ports_match_everything() {
        assert_eq!(Ports::parse(None, "ports"), Ok(Ports::All));
        assert_eq!(Ports::parse(Some(&[]), "ports"), Ok(Ports::All));
        assert!(Ports::All.matches(1, Protocol::Sctp, &BTreeMap::new()));
    }

    #[test]
    fn protocol_defaults_to_tcp_and_must_match() {
        let tcp = parse_one(raw(Some(IntOrString::Int(53)), None, None)).unwrap();
        assert_eq!(tcp.protocol, Protocol::Tcp);
        let none = BTreeMap::new();
        assert!(tcp.matches(53, Protocol::Tcp, &none));
        assert!(!tcp.matches(53, Protocol::Udp, &none));

        let udp = parse_one(raw(Some(IntOrString::Int(53)), None, Some("UDP"))).unwrap();
        assert!(udp.matches(53, Protocol::Udp, &none));
        assert!(!udp.matches(53, Protocol::Tcp, &none));
        assert!(!udp.matches(54, Protocol::Udp, &none));
    }

    #[test]
    fn protocol_alone_matches_every_port_of_it() {
        let sctp = parse_one(raw(None, None, Some("SCTP"))).unwrap();
        assert_eq!(sctp.port, PortSpec::Any);
        assert!(sctp.matches(1, Protocol::Sctp, &BTreeMap::new()));
        assert!(sctp.matches(65535, Protocol::Sctp, &BTreeMap::new()));
        assert!(!sctp.matches(1, Protocol::Tcp, &BTreeMap::new()));
    }

    #[test]
    fn end_port_is_an_inclusive_range() {
        let range = parse_one(raw(Some(IntOrString::Int(32000)), Some(32768), None)).unwrap();
        let none = BTreeMap::new();
        for (port, inside) in [
            (31999, false),
            (32000, true),
            (32500, true),
            (32768, true),
            (32769, false),
        ] {
            assert_eq!(range.matches(port, Protocol::Tcp, &none), inside, "{port}");
        }
    }

    #[test]
    fn named_ports_resolve_on_the_destination_with_the_rules_protocol() {
        let http = parse_one(raw(Some(IntOrString::String("http".into())), None, None)).unwrap();
        let web = BTreeMap::from([(
            "http".to_owned(),
            ContainerPort {
                port: 8080,
                protocol: Protocol::Tcp,
            },
        )]);
        assert!(http.matches(8080, Protocol::Tcp, &web));
        assert!(
            !http.matches(80, Protocol::Tcp, &web),
            "the name, not a guess"
        );
        assert!(
            !http.matches(8080, Protocol::Tcp, &BTreeMap::new()),
            "no such name"
        );

        let udp_http = BTreeMap::from([(
            "http".to_owned(),
            ContainerPort {
                port: 8080,
                protocol: Protocol::Udp,
            },
        )]);
        assert!(!http.matches(8080, Protocol::Udp, &udp_http), "rule is TCP");
        assert!(!http.matches(8080, Protocol::Tcp, &udp_http), "port is UDP");
    }

    #[test]
    fn invalid_ports_are_rejected_like_the_api_server_does() {
        let cases = [
            (
                raw(Some(IntOrString::Int(0)), None, None),
                "ports[0].port",
                "between 1 and 65535",
            ),
            (
                raw(Some(IntOrString::Int(65536)), None, None),
                "ports[0].port",
                "not 65536",
            ),
            (
                raw(Some(IntOrString::Int(80)), Some(79), None),
                "ports[0].endPort",
                "greater than or equal to port (80)",
            ),
            (
                raw(Some(IntOrString::Int(80)), Some(70000), None),
                "ports[0].endPort",
                "not 70000",
            ),
            (
                raw(None, Some(80), None),
                "ports[0].endPort",
                "without port",
            ),
            (
                raw(Some(IntOrString::String("http".into())), Some(90), None),
                "ports[0].endPort",
                "is a name",
            ),
            (
                raw(Some(IntOrString::String("80".into())), None, None),
                "ports[0].port",
                "not a valid port name",
            ),
            (
                raw(Some(IntOrString::String("Http".into())), None, None),
                "ports[0].port",
                "not a valid port name",
            ),
            (
                raw(Some(IntOrString::String("a--b".into())), None, None),
                "ports[0].port",
                "not a valid port name",
            ),
            (
                raw(
                    Some(IntOrString::String("sixteen-chars-xx".into())),
                    None,
                    None,
                ),
                "ports[0].port",
                "not a valid port name",
            ),
            (
                raw(Some(IntOrString::Int(80)), None, Some("tcp")),
                "ports[0].protocol",
                "expected TCP, UDP or SCTP",
            ),
            (
                raw(Some(IntOrString::Int(80)), None, Some("ICMP")),
                "ports[0].protocol",
                "unsupported protocol \"ICMP\"",
            ),
        ];
        for (port, field, fragment) in cases {
            let err = parse_one(port.clone()).expect_err(&format!("{port:?}"));
            assert_eq!(err.field, field, "{port:?}");
            assert!(
                err.message.contains(fragment),
                "{:?} should contain {fragment:?}",
                err.message
            );
        }
        assert!(check_port_name("a-1").is_ok());
        assert!(check_port_name("metrics-web-abc").is_ok());
    }
}
