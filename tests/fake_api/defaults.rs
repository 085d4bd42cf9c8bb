//! Defaulting the API server does before validation and storage (`SetDefaults_*`).

use serde_json::{Value, json};

use super::kinds::{Kind, NETWORK_POLICIES};

/// The defaulting function for `kind` (a no-op for kinds without defaults we model).
pub fn for_kind(kind: &Kind) -> fn(&mut Value) {
    if std::ptr::eq(kind, &NETWORK_POLICIES) {
        network_policy
    } else {
        |_| {}
    }
}

/// NetworkPolicy: `podSelector` always present; port protocol TCP; `policyTypes` inferred when
/// empty (Ingress, plus Egress if there are egress rules); empty rule lists dropped as Go omits them.
fn network_policy(obj: &mut Value) {
    if !obj.get("spec").is_some_and(Value::is_object) {
        obj["spec"] = json!({});
    }
    let spec = obj["spec"].as_object_mut().expect("spec is an object");
    spec.entry("podSelector").or_insert_with(|| json!({}));
    for direction in ["ingress", "egress"] {
        let empty = spec
            .get(direction)
            .is_some_and(|v| v.is_null() || v.as_array().is_some_and(Vec::is_empty));
        if empty {
            spec.remove(direction);
        }
        let rules = spec.get_mut(direction).and_then(Value::as_array_mut);
        for rule in rules.into_iter().flatten() {
            let ports = rule.get_mut("ports").and_then(Value::as_array_mut);
            for port in ports.into_iter().flatten().filter_map(Value::as_object_mut) {
                port.entry("protocol").or_insert_with(|| json!("TCP"));
            }
        }
    }
    let no_types = spec
        .get("policyTypes")
        .is_none_or(|v| v.as_array().is_none_or(Vec::is_empty));
    if no_types {
        let mut types = vec![json!("Ingress")];
        if spec.contains_key("egress") {
            types.push(json!("Egress"));
        }
        spec.insert("policyTypes".into(), Value::Array(types));
    }
}
