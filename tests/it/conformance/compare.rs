//! What "answers the same way" means when a fake response is held against a captured one.
//!
//! - `Status`: kind, apiVersion, status, reason, code, message and details (name, group, kind,
//!   causes, ...) equal; a details `uid` only has to be present (uids are random).
//! - Lists: kind, apiVersion, the same metadata keys, and item by item as objects.
//! - Objects: kind, apiVersion, the same top-level and metadata keys; everything outside metadata
//!   (spec, status, data) equal; name, namespace, labels, annotations, generation equal; uid,
//!   resourceVersion and timestamps only present. `managedFields` equal but for times, except on
//!   objects the `World` seeds (pods, namespaces), which the capture cluster's tooling wrote.
//! - Anything else (the version document): equal.

use std::collections::BTreeSet;

use serde_json::Value;

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn assert_conforms(what: &str, expected: &Value, actual: &Value) {
    let kind = expected["kind"].as_str();
    let seeded = matches!(
        kind,
        Some("Pod" | "PodList" | "Namespace" | "NamespaceList")
    );
    match kind {
        Some("Status") => status(what, expected, actual),
        Some(kind) if kind.ends_with("List") => list(what, expected, actual, seeded),
        Some(_) => object(what, expected, actual, seeded),
        None => assert_eq!(actual, expected, "{what}: body"),
    }
}

fn status(what: &str, expected: &Value, actual: &Value) {
    assert_eq!(
        keys(actual),
        keys(expected),
        "{what}: Status fields\n{actual:#}"
    );
    for field in [
        "kind",
        "apiVersion",
        "metadata",
        "status",
        "reason",
        "code",
        "message",
    ] {
        assert_eq!(actual[field], expected[field], "{what}: Status {field}");
    }
    let (want, got) = (&expected["details"], &actual["details"]);
    assert_eq!(keys(got), keys(want), "{what}: details fields\n{got:#}");
    for (field, value) in want.as_object().into_iter().flatten() {
        if field != "uid" {
            assert_eq!(&got[field], value, "{what}: details.{field}");
        }
    }
}

fn list(what: &str, expected: &Value, actual: &Value, seeded: bool) {
    assert_eq!(actual["kind"], expected["kind"], "{what}: kind");
    assert_eq!(
        actual["apiVersion"], expected["apiVersion"],
        "{what}: apiVersion"
    );
    assert_eq!(
        keys(&actual["metadata"]),
        keys(&expected["metadata"]),
        "{what}: list metadata\n{:#}",
        actual["metadata"]
    );
    let names = |v: &Value| -> Vec<Value> {
        v["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["metadata"]["name"].clone())
            .collect()
    };
    assert_eq!(names(actual), names(expected), "{what}: items");
    let items = expected["items"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(actual["items"].as_array().into_iter().flatten());
    for (i, (want, got)) in items.enumerate() {
        object(&format!("{what}: items[{i}]"), want, got, seeded);
    }
}

fn object(what: &str, expected: &Value, actual: &Value, seeded: bool) {
    assert_eq!(
        keys(actual),
        keys(expected),
        "{what}: top-level fields\n{actual:#}"
    );
    for field in keys(expected).iter().filter(|f| *f != "metadata") {
        assert_eq!(actual[field], expected[field], "{what}: {field}");
    }
    let (want, got) = (&expected["metadata"], &actual["metadata"]);
    assert_eq!(keys(got), keys(want), "{what}: metadata fields\n{got:#}");
    for field in ["name", "namespace", "labels", "annotations", "generation"] {
        assert_eq!(got[field], want[field], "{what}: metadata.{field}");
    }
    if !seeded {
        assert_eq!(
            timeless(&got["managedFields"]),
            timeless(&want["managedFields"]),
            "{what}: managedFields"
        );
    }
}

fn timeless(managed: &Value) -> Value {
    let mut copy = managed.clone();
    for entry in copy
        .as_array_mut()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        entry.remove("time");
    }
    copy
}
