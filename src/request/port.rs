//! `--port` values: `5432`, `53/UDP`, `8000-8100/TCP`, `http`.

use crate::policy::{Port, PortRef, Protocol};

pub fn parse(spec: &str) -> Result<Port, String> {
    let (port, protocol) = match spec.split_once('/') {
        Some((port, proto)) => {
            let protocol = parse_protocol(proto).ok_or_else(|| {
                format!("unknown protocol {proto:?} in {spec:?}: use TCP, UDP or SCTP")
            })?;
            (port, protocol)
        }
        None => (spec, Protocol::Tcp),
    };
    let port = port.trim();
    if port.is_empty() {
        return Err(format!(
            "{spec:?} has no port number or name before the protocol"
        ));
    }
    let port = if let Some((a, b)) = port
        .split_once('-')
        .filter(|(a, b)| is_number(a) && is_number(b))
    {
        let (a, b) = (number(a)?, number(b)?);
        match a.cmp(&b) {
            std::cmp::Ordering::Less => PortRef::Range(a, b),
            std::cmp::Ordering::Equal => PortRef::Number(a),
            std::cmp::Ordering::Greater => {
                return Err(format!(
                    "the range {a}-{b} ends before it starts; write {b}-{a}"
                ));
            }
        }
    } else if is_number(port) {
        PortRef::Number(number(port)?)
    } else {
        validate_port_name(port)?;
        PortRef::Named(port.to_string())
    };
    Ok(Port { port, protocol })
}

fn parse_protocol(proto: &str) -> Option<Protocol> {
    match proto.to_ascii_uppercase().as_str() {
        "TCP" => Some(Protocol::Tcp),
        "UDP" => Some(Protocol::Udp),
        "SCTP" => Some(Protocol::Sctp),
        _ => None,
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn number(s: &str) -> Result<u16, String> {
    match s.parse::<u32>() {
        Ok(n @ 1..=65535) => Ok(n as u16),
        _ => Err(format!("port {s} is out of range: ports are 1 to 65535")),
    }
}

/// A container port name, as the API server accepts it ([`crate::policy::is_port_name`]).
fn validate_port_name(name: &str) -> Result<(), String> {
    if crate::policy::is_port_name(name) {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is neither a port number, a range like 8000-8100, nor a valid port name \
             (at most 15 lowercase letters, digits and '-', with at least one letter)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(spec: &str) -> String {
        parse(spec).unwrap().to_string()
    }

    #[test]
    fn valid_ports() {
        assert_eq!(ok("5432"), "5432/TCP");
        assert_eq!(ok("53/UDP"), "53/UDP");
        assert_eq!(ok("53/udp"), "53/UDP");
        assert_eq!(ok("8000-8100/TCP"), "8000-8100/TCP");
        assert_eq!(ok("8000-8000"), "8000/TCP");
        assert_eq!(ok("http"), "http/TCP");
        assert_eq!(ok("http-metrics/SCTP"), "http-metrics/SCTP");
        assert_eq!(ok("65535"), "65535/TCP");
        assert_eq!(ok("1"), "1/TCP");
    }

    #[test]
    fn invalid_ports_say_why() {
        for (spec, needle) in [
            ("0", "out of range"),
            ("70000", "out of range"),
            ("99999999999", "out of range"),
            ("5432/XYZ", "unknown protocol"),
            ("9000-8000", "ends before it starts"),
            ("0-10", "out of range"),
            ("/TCP", "no port number"),
            ("", "no port number"),
            ("-5", "neither a port number"),
            ("HTTP", "neither a port number"),
            ("a-very-long-port-name", "neither a port number"),
            ("http--x", "neither a port number"),
            ("80/", "unknown protocol"),
        ] {
            let err = parse(spec).unwrap_err();
            assert!(err.contains(needle), "{spec:?}: {err}");
        }
    }
}
