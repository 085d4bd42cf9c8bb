//! Ordinary writes: create (POST), update (PUT) and merge patch, with their preconditions.

use serde_json::{Value, json};

use super::kinds::Kind;
use super::ownership::{self, Writer};
use super::request::Call;
use super::resources::typed;
use super::route::Target;
use super::status::{self, Answer, Reply};
use super::store::{self, Store};
use super::{defaults, validate};

/// Metadata the server owns: whatever a client sends for these is ignored on create.
const SERVER_OWNED: [&str; 7] = [
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "generation",
    "managedFields",
    "deletionTimestamp",
    "selfLink",
];

/// Checks `kind`/`apiVersion` (when present) against the URL and drops them: stored objects go without.
pub fn strip_type(kind: &Kind, obj: &mut Value) -> Result<(), Reply> {
    let map = obj.as_object_mut().expect("object body");
    if let Some(v) = map
        .remove("apiVersion")
        .filter(|v| v.as_str() != Some(&kind.api_version()))
    {
        let got = v.as_str().unwrap_or_default();
        let msg = format!(
            "the API version in the data ({got}) does not match the expected API version ({})",
            kind.api_version()
        );
        return Err(status::bad_request(&msg));
    }
    if let Some(v) = map.remove("kind").filter(|v| v.as_str() != Some(kind.kind)) {
        let got = v.as_str().unwrap_or_default();
        let msg = format!(
            "the kind in the data ({got}) does not match the expected kind ({})",
            kind.kind
        );
        return Err(status::bad_request(&msg));
    }
    if !map.get("metadata").is_some_and(Value::is_object) {
        map.insert("metadata".into(), json!({}));
    }
    Ok(())
}

/// The body's namespace must match the URL's; the URL's is then written into the object.
pub fn place(obj: &mut Value, target: &Target) -> Result<(), Reply> {
    let Some(ns) = target.namespace.as_deref() else {
        return Ok(());
    };
    let meta = &mut obj["metadata"];
    match meta.get("namespace").and_then(Value::as_str) {
        Some(given) if !given.is_empty() && given != ns => Err(status::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {
            meta["namespace"] = Value::from(ns);
            Ok(())
        }
    }
}

/// Admission's NamespaceLifecycle: nothing is created in a namespace that does not exist.
pub fn require_namespace(store: &Store, target: &Target) -> Result<(), Reply> {
    match target.namespace.as_deref() {
        Some(ns) if !store.namespace_exists(ns) => Err(status::namespace_not_found(ns)),
        _ => Ok(()),
    }
}

/// Ok, or the 422 listing everything wrong with `obj`.
pub fn check_valid(kind: &Kind, obj: &Value) -> Result<(), Reply> {
    let errors = validate::object(kind, obj);
    if errors.is_empty() {
        return Ok(());
    }
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Err(status::invalid(kind.group, kind.kind, name, &errors))
}

pub fn create(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    let mut obj = call.object_body()?;
    strip_type(kind, &mut obj)?;
    place(&mut obj, target)?;
    require_namespace(store, target)?;
    let meta = obj["metadata"].as_object_mut().expect("metadata object");
    for field in SERVER_OWNED {
        meta.remove(field);
    }
    let generate = meta
        .get("generateName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if meta
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .is_empty()
        && !generate.is_empty()
    {
        meta.insert(
            "name".into(),
            Value::from(format!("{generate}{}", random_suffix())),
        );
    }
    defaults::for_kind(kind)(&mut obj);
    check_valid(kind, &obj)?;
    let name = obj["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if store
        .get(kind, target.namespace.as_deref(), &name)
        .is_some()
    {
        return Err(status::already_exists(kind, &name));
    }
    let (now, manager, api_version) = (call.now(), call.manager(), kind.api_version());
    ownership::update(
        &kind.schema,
        None,
        &mut obj,
        &Writer {
            manager: &manager,
            api_version: &api_version,
            now: &now,
        },
    );
    store::stamp_new(kind, &mut obj, &now);
    let stored = if call.req.dry_run() {
        obj
    } else {
        store.put(kind, obj)
    };
    Ok(Reply::new(201, typed(kind, stored)))
}

/// `generateName`'s suffix: five characters from the API server's alphabet (no vowels, no 0/1/3).
fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..5)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn update(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    let name = target.name.as_deref().unwrap_or_default();
    let mut obj = call.object_body()?;
    strip_type(kind, &mut obj)?;
    place(&mut obj, target)?;
    match obj["metadata"].get("name").and_then(Value::as_str) {
        Some(given) if given != name => {
            let msg = format!(
                "the name of the object ({given}) does not match the name on the URL ({name})"
            );
            return Err(status::bad_request(&msg));
        }
        _ => obj["metadata"]["name"] = Value::from(name),
    }
    let existing = store
        .get(kind, target.namespace.as_deref(), name)
        .cloned()
        .ok_or_else(|| status::not_found(kind, name))?;
    check_preconditions(kind, name, &obj, &existing)?;
    commit(store, call, kind, &existing, obj)
}

pub fn merge_patch(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    let name = target.name.as_deref().unwrap_or_default();
    let patch = call.object_body()?;
    let existing = store
        .get(kind, target.namespace.as_deref(), name)
        .cloned()
        .ok_or_else(|| status::not_found(kind, name))?;
    check_preconditions(kind, name, &patch, &existing)?;
    let mut obj = existing.clone();
    merge(&mut obj, &patch);
    strip_type(kind, &mut obj)?;
    commit(store, call, kind, &existing, obj)
}

/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    let Some(fields) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let map = target.as_object_mut().expect("just made an object");
    for (key, value) in fields {
        if value.is_null() {
            map.remove(key);
        } else {
            merge(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// A `metadata.resourceVersion` sent with an update is a compare-and-swap; a `uid` must match too.
fn check_preconditions(
    kind: &Kind,
    name: &str,
    sent: &Value,
    existing: &Value,
) -> Result<(), Reply> {
    let sent_meta = |field: &str| {
        sent.pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let live_meta = |field: &str| {
        existing
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    if let Some(uid) = sent_meta("uid").filter(|uid| *uid != live_meta("uid")) {
        let why = format!(
            "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
            live_meta("uid")
        );
        return Err(status::conflict(kind, name, &why));
    }
    if sent_meta("resourceVersion").is_some_and(|rv| rv != live_meta("resourceVersion")) {
        return Err(status::conflict(kind, name, status::MODIFIED));
    }
    Ok(())
}

/// Finishes an update of `existing` to `obj`: defaults, validation, server-owned metadata,
/// ownership; a write that changes nothing is not stored and keeps its resourceVersion.
fn commit(
    store: &mut Store,
    call: &Call,
    kind: &'static Kind,
    existing: &Value,
    mut obj: Value,
) -> Answer {
    defaults::for_kind(kind)(&mut obj);
    check_valid(kind, &obj)?;
    for field in ["uid", "creationTimestamp", "resourceVersion", "generation"] {
        match existing["metadata"].get(field) {
            Some(v) => obj["metadata"][field] = v.clone(),
            None => {
                obj["metadata"]
                    .as_object_mut()
                    .expect("metadata object")
                    .remove(field);
            }
        }
    }
    bump_generation(kind, existing, &mut obj);
    let (now, manager, api_version) = (call.now(), call.manager(), kind.api_version());
    ownership::update(
        &kind.schema,
        Some(existing),
        &mut obj,
        &Writer {
            manager: &manager,
            api_version: &api_version,
            now: &now,
        },
    );
    if obj == *existing || call.req.dry_run() {
        return Ok(Reply::new(200, typed(kind, obj)));
    }
    Ok(Reply::new(200, typed(kind, store.put(kind, obj))))
}

/// `metadata.generation` counts changes to everything but metadata (and status).
pub fn bump_generation(kind: &Kind, existing: &Value, obj: &mut Value) {
    let content = |o: &Value| {
        let mut copy = o.clone();
        if let Some(map) = copy.as_object_mut() {
            map.remove("metadata");
            map.remove("status");
        }
        copy
    };
    if kind.generation && content(existing) != content(obj) {
        let generation = existing
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        obj["metadata"]["generation"] = Value::from(generation + 1);
    }
}
