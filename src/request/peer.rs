//! Source values: `--from-namespace NS[:SELECTOR]` and `--from-cidr CIDR[,except=CIDR...]`.

use ipnet::IpNet;

use crate::policy::Source;
use crate::selector::Selector;

pub fn parse_namespace(spec: &str) -> Result<Source, String> {
    let (name, selector) = match spec.split_once(':') {
        Some((name, sel)) => (name, Some(sel)),
        None => (spec, None),
    };
    validate_namespace(name)?;
    let pods = match selector {
        None => None,
        Some(sel) if sel.trim().is_empty() => {
            return Err(format!(
                "nothing after ':'; write {name}:SELECTOR for some pods, or just {name} for every pod in it"
            ));
        }
        Some(sel) => Some(
            sel.parse::<Selector>()
                .map_err(|e| format!("{e} (in {spec:?})"))?,
        ),
    };
    Ok(Source::Namespace {
        name: name.to_string(),
        pods,
    })
}

pub fn parse_cidr(spec: &str) -> Result<Source, String> {
    let mut parts = spec.split(',').map(str::trim);
    let cidr = network(parts.next().unwrap_or_default())?;
    let mut except = Vec::new();
    for part in parts {
        let Some(ex) = part.strip_prefix("except=") else {
            return Err(format!(
                "unexpected {part:?}: write except={part} to exclude it, or repeat --from-cidr for another source"
            ));
        };
        let ex = network(ex)?;
        if ex.prefix_len() <= cidr.prefix_len() || !cidr.contains(&ex) {
            return Err(format!("except={ex} must be a smaller block inside {cidr}"));
        }
        except.push(ex);
    }
    except.sort();
    except.dedup();
    Ok(Source::Cidr { cidr, except })
}

/// A CIDR whose host bits are zero: `10.0.0.5/8` is almost certainly a typo for one of two
/// very different grants, so it is refused with both readings.
fn network(text: &str) -> Result<IpNet, String> {
    let net: IpNet = text
        .parse()
        .map_err(|_| format!("{text:?} is not a CIDR like 10.0.0.0/8 or fd00::/8"))?;
    if net.addr() != net.network() {
        let host = IpNet::new(net.addr(), net.max_prefix_len()).expect("max prefix is valid");
        return Err(format!(
            "{text} has host bits set: did you mean {} or {host}?",
            net.trunc()
        ));
    }
    Ok(net)
}

/// A namespace name is a DNS-1123 label.
pub fn validate_namespace(name: &str) -> Result<(), String> {
    if is_dns1123_label(name) {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a valid namespace name (at most 63 lowercase letters, digits and '-', \
             starting and ending with a letter or digit)"
        ))
    }
}

pub fn is_dns1123_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_names_are_dns_labels() {
        assert!(is_dns1123_label("team-a"));
        for bad in ["", "Team", "team_a", "-a", "a-", "a.b", &"a".repeat(64)] {
            assert!(!is_dns1123_label(bad), "{bad:?}");
        }
    }

    #[test]
    fn namespaces_with_and_without_pods() {
        assert_eq!(
            parse_namespace("ops").unwrap().to_string(),
            "all pods in ops"
        );
        assert_eq!(
            parse_namespace("ops:app=toolbox").unwrap().to_string(),
            "pods app=toolbox in ops"
        );
        assert!(
            parse_namespace("ops:")
                .unwrap_err()
                .contains("nothing after")
        );
        assert!(
            parse_namespace("Ops")
                .unwrap_err()
                .contains("not a valid namespace")
        );
        assert!(
            parse_namespace(":app=x")
                .unwrap_err()
                .contains("not a valid namespace")
        );
        assert!(parse_namespace("ops:app===x").is_err());
    }

    #[test]
    fn cidrs_with_excepts_v4_and_v6() {
        assert_eq!(
            parse_cidr("10.0.0.0/8,except=10.9.0.0/16,except=10.1.0.0/16")
                .unwrap()
                .to_string(),
            "10.0.0.0/8 except 10.1.0.0/16, 10.9.0.0/16"
        );
        assert_eq!(parse_cidr("fd00::/8").unwrap().to_string(), "fd00::/8");
        assert_eq!(parse_cidr("0.0.0.0/0").unwrap().to_string(), "0.0.0.0/0");
    }

    #[test]
    fn bad_cidrs_say_why() {
        for (spec, needle) in [
            ("10.0.0.0/33", "not a CIDR"),
            ("10.0.0.0", "not a CIDR"),
            ("banana", "not a CIDR"),
            ("10.0.0.5/8", "did you mean 10.0.0.0/8 or 10.0.0.5/32"),
            ("10.0.0.0/8,10.1.0.0/16", "write except=10.1.0.0/16"),
            ("10.0.0.0/8,except=11.0.0.0/16", "inside 10.0.0.0/8"),
            ("10.0.0.0/8,except=10.0.0.0/8", "smaller block"),
            ("10.0.0.0/8,except=fd00::/16", "inside"),
            ("fd00::1/8", "host bits"),
        ] {
            let err = parse_cidr(spec).unwrap_err();
            assert!(err.contains(needle), "{spec:?}: {err}");
        }
    }
}
