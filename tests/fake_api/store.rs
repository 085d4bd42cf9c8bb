//! Stored objects and the global resourceVersion counter (etcd's revision).

use std::collections::BTreeMap;

use serde_json::Value;

use super::kinds::{Kind, NAMESPACES};

/// Objects are kept without `kind`/`apiVersion` (list items are served that way) and keyed like
/// etcd keys (`namespace/name`), whose byte order is the order lists come back in.
#[derive(Default)]
pub struct Store {
    objects: BTreeMap<(&'static str, String), Value>,
    revision: u64,
}

fn key(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
}

fn meta_str<'a>(obj: &'a Value, field: &str) -> Option<&'a str> {
    obj.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
}

impl Store {
    /// The current revision, as list responses report it.
    pub fn revision(&self) -> String {
        self.revision.to_string()
    }

    pub fn get(&self, kind: &Kind, namespace: Option<&str>, name: &str) -> Option<&Value> {
        self.objects.get(&(kind.plural, key(namespace, name)))
    }

    pub fn namespace_exists(&self, namespace: &str) -> bool {
        self.get(&NAMESPACES, None, namespace).is_some()
    }

    /// Objects of `kind` in `namespace` (every namespace when None) with their keys, in key order.
    pub fn list(&self, kind: &Kind, namespace: Option<&str>) -> Vec<(String, Value)> {
        let prefix = namespace.map(|ns| format!("{ns}/"));
        self.objects
            .range((kind.plural, String::new())..)
            .take_while(|((plural, _), _)| *plural == kind.plural)
            .filter(|((_, k), _)| prefix.as_ref().is_none_or(|p| k.starts_with(p.as_str())))
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Stores `obj` (created or replaced) under a new revision, which becomes its resourceVersion.
    pub fn put(&mut self, kind: &'static Kind, mut obj: Value) -> Value {
        self.revision += 1;
        obj["metadata"]["resourceVersion"] = Value::from(self.revision.to_string());
        let name = meta_str(&obj, "name").unwrap_or_default();
        let k = key(meta_str(&obj, "namespace"), name);
        self.objects.insert((kind.plural, k), obj.clone());
        obj
    }

    /// Stores `obj` keeping the resourceVersion it already has, if any (later ones stay above it).
    pub fn restore(&mut self, kind: &'static Kind, obj: Value) {
        let given = meta_str(&obj, "resourceVersion").and_then(|rv| rv.parse::<u64>().ok());
        let Some(rv) = given else {
            self.put(kind, obj);
            return;
        };
        self.revision = self.revision.max(rv);
        let k = key(
            meta_str(&obj, "namespace"),
            meta_str(&obj, "name").unwrap_or_default(),
        );
        self.objects.insert((kind.plural, k), obj);
    }

    /// Removes the object; a delete is a write, so it takes a revision too.
    pub fn delete(&mut self, kind: &Kind, namespace: Option<&str>, name: &str) -> Option<Value> {
        let removed = self.objects.remove(&(kind.plural, key(namespace, name)));
        if removed.is_some() {
            self.revision += 1;
        }
        removed
    }
}

/// Sets what the API server sets on every new object; resourceVersion comes from `Store::put`.
pub fn stamp_new(kind: &Kind, obj: &mut Value, now: &str) {
    let meta = &mut obj["metadata"];
    meta["uid"] = Value::from(new_uid());
    meta["creationTimestamp"] = Value::from(now);
    if kind.generation {
        meta["generation"] = Value::from(1);
    }
}

/// A random version-4 UUID.
pub fn new_uid() -> String {
    const VERSION_MASK: u128 = 0xf000 << 64;
    const VARIANT_MASK: u128 = 0xc000 << 48;
    const V4: u128 = 0x4000 << 64;
    const RFC4122: u128 = 0x8000 << 48;
    let bits = (rand::random::<u128>() & !(VERSION_MASK | VARIANT_MASK)) | V4 | RFC4122;
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
