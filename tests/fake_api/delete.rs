//! DELETE of one object (with DeleteOptions preconditions) and of a collection.

use serde_json::{Map, Value};

use super::request::Call;
use super::resources::{list_body, matching};
use super::route::Target;
use super::status::{self, Answer, Reply};
use super::store::Store;

/// The DeleteOptions body, if any (an empty object when absent).
fn options(call: &Call) -> Result<Value, Reply> {
    if call.req.body.is_empty() {
        Ok(Value::Object(Map::new()))
    } else {
        call.object_body()
    }
}

pub fn one(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    let name = target.name.as_deref().unwrap_or_default();
    let namespace = target.namespace.as_deref();
    let existing = store
        .get(kind, namespace, name)
        .ok_or_else(|| status::not_found(kind, name))?;
    let options = options(call)?;
    let live = |field: &str| {
        existing
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let (uid, rv) = (live("uid").to_string(), live("resourceVersion"));
    let wanted = |field: &str| {
        options
            .pointer(&format!("/preconditions/{field}"))
            .and_then(Value::as_str)
    };
    if let Some(want) = wanted("uid").filter(|w| *w != uid) {
        let why = format!(
            "the UID in the precondition ({want}) does not match the UID in record ({uid}). \
             The object might have been deleted and then recreated"
        );
        return Err(status::precondition_conflict(kind, name, &why));
    }
    if let Some(want) = wanted("resourceVersion").filter(|w| *w != rv) {
        let why = format!(
            "the ResourceVersion in the precondition ({want}) does not match the ResourceVersion in record ({rv}). \
             The object might have been modified"
        );
        return Err(status::precondition_conflict(kind, name, &why));
    }
    if !call.req.dry_run() {
        store.delete(kind, namespace, name);
    }
    Ok(status::deleted(kind, name, &uid))
}

/// Deletes every match and answers with them (as they were) in a list at the revision before.
pub fn collection(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    options(call)?;
    let (doomed, _) = matching(store, call, target)?;
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".into(), Value::from(store.revision()));
    if !call.req.dry_run() {
        for (_, obj) in &doomed {
            let ns = obj.pointer("/metadata/namespace").and_then(Value::as_str);
            let name = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            store.delete(kind, ns, name);
        }
    }
    let items = doomed.into_iter().map(|(_, obj)| obj).collect();
    Ok(Reply::new(200, list_body(kind, items, metadata)))
}
