//! Object validation with the API server's wording (apimachinery `validation` and the
//! NetworkPolicy / ConfigMap validators), so 422 bodies match the real ones.

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::kinds::{CONFIG_MAPS, Kind, NETWORK_POLICIES};
use super::status::FieldError;

const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const CONFIG_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const TOTAL_ANNOTATION_SIZE: usize = 256 * 1024;

fn whole(fmt: &str) -> Regex {
    Regex::new(&format!("^{fmt}$")).expect("valid regex")
}

static LABEL_VALUE: LazyLock<Regex> = LazyLock::new(|| whole(LABEL_VALUE_FMT));
static QUALIFIED_NAME: LazyLock<Regex> = LazyLock::new(|| whole(QUALIFIED_NAME_FMT));
static DNS1123_SUBDOMAIN: LazyLock<Regex> = LazyLock::new(|| whole(DNS1123_SUBDOMAIN_FMT));
static CONFIG_KEY: LazyLock<Regex> = LazyLock::new(|| whole(CONFIG_KEY_FMT));

/// `validation.RegexError`; note the API server's doubled spaces after each example.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: String = examples
        .iter()
        .map(|e| format!("'{e}', "))
        .collect::<Vec<_>>()
        .join(" or ");
    format!("{msg} (e.g. {examples}regex used for validation is '{fmt}')")
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !LABEL_VALUE.is_match(value) {
        let msg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', \
                   and must start and end with an alphanumeric character";
        errs.push(regex_error(
            msg,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `validation.IsQualifiedName`: label keys and annotation keys.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let msg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    let examples = ["MyName", "my.name", "123-abc"];
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain_errors(prefix)
                        .into_iter()
                        .map(|e| format!("prefix part {e}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(msg, QUALIFIED_NAME_FMT, &examples)
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !QUALIFIED_NAME.is_match(name) {
        errs.push(format!(
            "name part {}",
            regex_error(msg, QUALIFIED_NAME_FMT, &examples)
        ));
    }
    errs
}

pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !DNS1123_SUBDOMAIN.is_match(value) {
        let msg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', \
                   and must start and end with an alphanumeric character";
        errs.push(regex_error(msg, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// Everything wrong with `obj` as an object of `kind` (empty when valid).
pub fn object(kind: &Kind, obj: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(obj.get("metadata").unwrap_or(&Value::Null));
    if std::ptr::eq(kind, &NETWORK_POLICIES) {
        network_policy_spec(obj.get("spec").unwrap_or(&Value::Null), "spec", &mut errs);
    } else if std::ptr::eq(kind, &CONFIG_MAPS) {
        config_map_keys(obj, &mut errs);
    }
    errs
}

fn object_meta(meta: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match meta.get("name").and_then(Value::as_str).unwrap_or_default() {
        "" => errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        )),
        name => {
            for msg in dns1123_subdomain_errors(name) {
                errs.push(FieldError::invalid("metadata.name", name, &msg));
            }
        }
    }
    labels(meta.get("labels"), "metadata.labels", &mut errs);
    let annotations = string_map(meta.get("annotations"));
    for key in annotations.keys() {
        // Annotation keys are qualified names, compared case-insensitively.
        for msg in qualified_name_errors(&key.to_lowercase()) {
            errs.push(FieldError::invalid("metadata.annotations", key, &msg));
        }
    }
    let size: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > TOTAL_ANNOTATION_SIZE {
        errs.push(FieldError::too_long(
            "metadata.annotations",
            TOTAL_ANNOTATION_SIZE,
        ));
    }
    errs
}

/// Label maps (object labels and `matchLabels`); keys in sorted order for stable messages.
fn labels(map: Option<&Value>, field: &str, errs: &mut Vec<FieldError>) {
    for (key, value) in string_map(map) {
        for msg in qualified_name_errors(&key) {
            errs.push(FieldError::invalid(field, &key, &msg));
        }
        for msg in label_value_errors(&value) {
            errs.push(FieldError::invalid(field, &value, &msg));
        }
    }
}

fn string_map(map: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    map.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn config_map_keys(obj: &Value, errs: &mut Vec<FieldError>) {
    for field in ["data", "binaryData"] {
        for key in obj
            .get(field)
            .and_then(Value::as_object)
            .map(Map::keys)
            .into_iter()
            .flatten()
        {
            if key.len() > 253 {
                errs.push(FieldError::invalid(field, key, &max_len_error(253)));
            }
            if !CONFIG_KEY.is_match(key) {
                let msg =
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
                let detail =
                    regex_error(msg, CONFIG_KEY_FMT, &["key.name", "KEY_NAME", "key-name"]);
                errs.push(FieldError::invalid(field, key, &detail));
            }
        }
    }
}

fn label_selector(sel: &Value, field: &str, errs: &mut Vec<FieldError>) {
    labels(
        sel.get("matchLabels"),
        &format!("{field}.matchLabels"),
        errs,
    );
    let exprs = sel.get("matchExpressions").and_then(Value::as_array);
    for (i, expr) in exprs.into_iter().flatten().enumerate() {
        let path = format!("{field}.matchExpressions[{i}]");
        let op = expr
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let has_values = expr
            .get("values")
            .and_then(Value::as_array)
            .is_some_and(|v| !v.is_empty());
        match op {
            "In" | "NotIn" if !has_values => errs.push(FieldError::required(
                &format!("{path}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if has_values => errs.push(FieldError::forbidden(
                &format!("{path}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                &format!("{path}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        let key = expr.get("key").and_then(Value::as_str).unwrap_or_default();
        for msg in qualified_name_errors(key) {
            errs.push(FieldError::invalid(&format!("{path}.key"), key, &msg));
        }
    }
}

fn network_policy_spec(spec: &Value, field: &str, errs: &mut Vec<FieldError>) {
    label_selector(
        spec.get("podSelector").unwrap_or(&Value::Null),
        &format!("{field}.podSelector"),
        errs,
    );
    for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
        let rules = spec.get(direction).and_then(Value::as_array);
        for (i, rule) in rules.into_iter().flatten().enumerate() {
            let rule_path = format!("{field}.{direction}[{i}]");
            for (j, port) in rule
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                network_policy_port(port, &format!("{rule_path}.ports[{j}]"), errs);
            }
            for (j, peer) in rule
                .get(peers)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                network_policy_peer(peer, &format!("{rule_path}.{peers}[{j}]"), errs);
            }
        }
    }
    let types = spec
        .get("policyTypes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if types.len() > 2 {
        let shown = serde_json::to_string(&types).unwrap_or_default();
        let detail = "may not specify more than two policyTypes";
        errs.push(FieldError::invalid(
            &format!("{field}.policyTypes"),
            &shown,
            detail,
        ));
        return;
    }
    for (i, t) in types.iter().enumerate() {
        let t = t.as_str().unwrap_or_default();
        if t != "Ingress" && t != "Egress" {
            errs.push(FieldError::not_supported(
                &format!("{field}.policyTypes[{i}]"),
                t,
                &["Ingress", "Egress"],
            ));
        }
    }
}

fn port_number_errors(port: i64) -> Option<&'static str> {
    (!(1..=65535).contains(&port)).then_some("must be between 1 and 65535, inclusive")
}

/// `validation.IsValidPortName`: named ports (IANA service names).
fn port_name_errors(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push(max_len_error(15));
    }
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

fn network_policy_port(port: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let protocol = port.get("protocol").and_then(Value::as_str);
    if let Some(protocol) = protocol.filter(|p| !["TCP", "UDP", "SCTP"].contains(p)) {
        errs.push(FieldError::not_supported(
            &format!("{path}.protocol"),
            protocol,
            &["TCP", "UDP", "SCTP"],
        ));
    }
    let end_port = port.get("endPort").and_then(Value::as_i64);
    let end_path = format!("{path}.endPort");
    match port.get("port") {
        Some(Value::Number(n)) => {
            let number = n.as_i64().unwrap_or(0);
            if let Some(msg) = port_number_errors(number) {
                errs.push(FieldError::invalid_int(
                    &format!("{path}.port"),
                    number,
                    msg,
                ));
            }
            if let Some(end) = end_port {
                // The API server reports `port`'s value here, not `endPort`'s (see the endport fixture).
                if end < number {
                    errs.push(FieldError::invalid_int(
                        &end_path,
                        number,
                        "must be greater than or equal to `port`",
                    ));
                }
                if let Some(msg) = port_number_errors(end) {
                    errs.push(FieldError::invalid_int(&end_path, end, msg));
                }
            }
        }
        Some(Value::String(name)) => {
            if let Some(end) = end_port {
                errs.push(FieldError::invalid_int(
                    &end_path,
                    end,
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for msg in port_name_errors(name) {
                errs.push(FieldError::invalid(&format!("{path}.port"), name, &msg));
            }
        }
        _ => {
            if let Some(end) = end_port {
                errs.push(FieldError::invalid_int(
                    &end_path,
                    end,
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
}

fn network_policy_peer(peer: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let mut peers = 0;
    for selector in ["podSelector", "namespaceSelector"] {
        if let Some(sel) = peer.get(selector).filter(|v| !v.is_null()) {
            peers += 1;
            label_selector(sel, &format!("{path}.{selector}"), errs);
        }
    }
    let ip_block = peer.get("ipBlock").filter(|v| !v.is_null());
    if let Some(block) = ip_block {
        peers += 1;
        ip_block_errors(block, &format!("{path}.ipBlock"), errs);
    }
    if peers == 0 {
        errs.push(FieldError::required(path, "must specify a peer"));
    } else if peers > 1 && ip_block.is_some() {
        errs.push(FieldError::forbidden(
            path,
            "may not specify both ipBlock and another peer",
        ));
    }
}

const CIDR_HINT: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

fn ip_block_errors(block: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let cidr_path = format!("{path}.cidr");
    let cidr = block
        .get("cidr")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if cidr.is_empty() {
        errs.push(FieldError::required(&cidr_path, ""));
        return;
    }
    let Some(net) = Cidr::parse(cidr) else {
        errs.push(FieldError::invalid(&cidr_path, cidr, CIDR_HINT));
        return;
    };
    for (i, except) in block
        .get("except")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let except_path = format!("{path}.except[{i}]");
        let text = except.as_str().unwrap_or_default();
        match Cidr::parse(text) {
            None => errs.push(FieldError::invalid(&except_path, text, CIDR_HINT)),
            Some(inner) if !net.strictly_contains(&inner) => {
                errs.push(FieldError::invalid(
                    &except_path,
                    text,
                    "must be a strict subset of `cidr`",
                ));
            }
            Some(_) => {}
        }
    }
}

/// An IPv4 or IPv6 prefix, parsed like Go's `net.ParseCIDR` (host bits may be set).
struct Cidr {
    v6: bool,
    bits: u128,
    len: u32,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (addr, len) = text.split_once('/')?;
        if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 3 {
            return None;
        }
        let len: u32 = len.parse().ok()?;
        match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) if len <= 32 => Some(Cidr {
                v6: false,
                bits: u128::from(u32::from(a)) << 96,
                len,
            }),
            IpAddr::V6(a) if len <= 128 => Some(Cidr {
                v6: true,
                bits: u128::from(a),
                len,
            }),
            _ => None,
        }
    }

    fn mask(len: u32) -> u128 {
        if len == 0 {
            0
        } else {
            u128::MAX << (128 - len)
        }
    }

    /// `except` must lie inside `cidr` and be a longer prefix.
    fn strictly_contains(&self, inner: &Cidr) -> bool {
        let mask = Cidr::mask(self.len);
        self.v6 == inner.v6 && self.bits & mask == inner.bits & mask && inner.len > self.len
    }
}
