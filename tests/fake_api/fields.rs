//! Field paths of an object and `metadata.managedFields` (who owns which field), read and written.
//!
//! Ownership is tracked at a fixed granularity per kind rather than from an OpenAPI schema: label
//! and annotation keys one by one, plus the containers a kind lists as granular (NetworkPolicy
//! `spec` field by field; ConfigMap `data` key by key); anything else is owned whole.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::status::go_quote;

/// A field path such as `["metadata", "labels", "app"]` or `["spec", "ingress"]`.
pub type Path = Vec<String>;

pub struct Schema {
    /// Containers whose children are owned one by one (besides `metadata.labels`/`annotations`).
    pub granular: &'static [&'static [&'static str]],
    /// Granular containers that are maps: an `Update` owns the map itself too (`".": {}`).
    pub maps: &'static [&'static [&'static str]],
}

impl Schema {
    pub const METADATA_ONLY: Schema = Schema {
        granular: &[],
        maps: &[],
    };

    fn is_granular(&self, path: &[String]) -> bool {
        self.granular.iter().any(|g| same(g, path))
    }

    fn is_map(&self, path: &[String]) -> bool {
        let meta_map = path.len() == 2
            && path[0] == "metadata"
            && (path[1] == "labels" || path[1] == "annotations");
        meta_map || self.maps.iter().any(|m| same(m, path))
    }
}

fn same(a: &[&str], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Every owned field of `obj` with its value. `kind`, `apiVersion`, `status` and the
/// server-managed metadata (name, uid, ...) are nobody's to own.
pub fn leaves(schema: &Schema, obj: &Value) -> BTreeMap<Path, Value> {
    let mut out = BTreeMap::new();
    let Some(top) = obj.as_object() else {
        return out;
    };
    for (key, value) in top {
        match key.as_str() {
            "kind" | "apiVersion" | "status" => {}
            "metadata" => {
                for container in ["labels", "annotations"] {
                    if let Some(map) = value.get(container).and_then(Value::as_object) {
                        for (k, v) in map {
                            out.insert(
                                vec!["metadata".into(), container.into(), k.clone()],
                                v.clone(),
                            );
                        }
                    }
                }
            }
            _ => collect(schema, vec![key.clone()], value, &mut out),
        }
    }
    out
}

fn collect(schema: &Schema, path: Path, value: &Value, out: &mut BTreeMap<Path, Value>) {
    match value.as_object() {
        Some(map) if schema.is_granular(&path) => {
            for (k, v) in map {
                let mut child = path.clone();
                child.push(k.clone());
                collect(schema, child, v, out);
            }
        }
        _ => {
            out.insert(path, value.clone());
        }
    }
}

pub fn get<'a>(obj: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(obj, |node, key| node.get(key))
}

pub fn set(obj: &mut Value, path: &[String], value: Value) {
    let mut node = obj;
    for key in &path[..path.len() - 1] {
        if !node.get(key).is_some_and(Value::is_object) {
            node[key.as_str()] = json!({});
        }
        node = &mut node[key.as_str()];
    }
    node[path[path.len() - 1].as_str()] = value;
}

/// Removes the field, then any map it leaves empty (Go omits empty maps when it serializes).
pub fn remove(obj: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let Some(parent) = parents
        .iter()
        .try_fold(&mut *obj, |node, key| node.get_mut(key))
    else {
        return;
    };
    if let Some(map) = parent.as_object_mut() {
        map.remove(last);
        if map.is_empty() && !parents.is_empty() {
            remove(obj, parents);
        }
    }
}

/// One `managedFields` entry with its field set decoded.
#[derive(Clone, PartialEq)]
pub struct Entry {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub time: String,
    pub fields: BTreeSet<Path>,
}

impl Entry {
    pub fn is(&self, manager: &str, operation: &str) -> bool {
        self.manager == manager && self.operation == operation
    }

    /// How a conflict names this manager (`printManager` in the API server).
    pub fn describe(&self) -> String {
        if self.operation == "Update" {
            let manager = go_quote(&self.manager);
            format!("{manager} using {} at {}", self.api_version, self.time)
        } else {
            go_quote(&self.manager)
        }
    }
}

pub fn read(obj: &Value) -> Vec<Entry> {
    let Some(list) = obj
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .map(|e| {
            let text = |key: &str| {
                e.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let mut fields = BTreeSet::new();
            if let Some(set) = e.get("fieldsV1") {
                decode(set, &mut Vec::new(), &mut fields);
            }
            Entry {
                manager: text("manager"),
                operation: text("operation"),
                api_version: text("apiVersion"),
                time: text("time"),
                fields,
            }
        })
        .collect()
}

/// FieldsV1 is a trie with `f:` (field), `k:`/`v:`/`i:` (list element) keys and `.` for "the node
/// itself"; a node with no children besides `.` is an owned leaf.
fn decode(node: &Value, path: &mut Path, out: &mut BTreeSet<Path>) {
    let children: Vec<(&String, &Value)> = node
        .as_object()
        .map(|m| m.iter().filter(|(k, _)| k.as_str() != ".").collect())
        .unwrap_or_default();
    if children.is_empty() {
        if !path.is_empty() {
            out.insert(path.clone());
        }
        return;
    }
    for (key, child) in children {
        path.push(key.strip_prefix("f:").unwrap_or(key).to_string());
        decode(child, path, out);
        path.pop();
    }
}

/// Writes `entries` into `obj.metadata.managedFields` (removing the key when there are none).
pub fn write(obj: &mut Value, schema: &Schema, entries: &[Entry]) {
    let list: Vec<Value> = entries
        .iter()
        .filter(|e| !e.fields.is_empty())
        .map(|e| {
            json!({
                "manager": e.manager,
                "operation": e.operation,
                "apiVersion": e.api_version,
                "time": e.time,
                "fieldsType": "FieldsV1",
                "fieldsV1": encode(schema, e),
            })
        })
        .collect();
    if !list.is_empty() {
        obj["metadata"]["managedFields"] = Value::Array(list);
    } else if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
}

fn encode(schema: &Schema, entry: &Entry) -> Value {
    let mut root = Map::new();
    for path in &entry.fields {
        let mut node = &mut root;
        for (depth, key) in path.iter().enumerate() {
            let encoded = if is_element(key) {
                key.clone()
            } else {
                format!("f:{key}")
            };
            let child = node.entry(encoded).or_insert_with(|| json!({}));
            // An Update also owns the maps it wrote into; an Apply owns only what it sent.
            if entry.operation == "Update"
                && depth + 1 < path.len()
                && schema.is_map(&path[..=depth])
            {
                child
                    .as_object_mut()
                    .expect("trie node")
                    .insert(".".into(), json!({}));
            }
            node = child.as_object_mut().expect("trie node");
        }
    }
    Value::Object(root)
}

/// List-element keys (`k:{...}`, `v:"x"`, `i:0`) survive a decode/encode round trip unprefixed.
fn is_element(key: &str) -> bool {
    key.starts_with("k:") || key.starts_with("v:") || key.starts_with("i:")
}
