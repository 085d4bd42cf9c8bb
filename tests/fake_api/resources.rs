//! Requests on resources: which verb a request is, RBAC for it, reads, and handing writes on.

use serde_json::{Map, Value, json};

use super::kinds::Kind;
use super::paging;
use super::rbac::{self, Attributes};
use super::request::Call;
use super::route::Target;
use super::selector::Selector;
use super::status::{self, Answer, Reply};
use super::store::Store;
use super::{apply, delete, write};

pub fn handle(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let verb = match (call.req.method.as_str(), target.name.is_some()) {
        ("GET", true) => "get",
        ("GET", false) => "list",
        ("POST", false) => "create",
        ("PUT", true) => "update",
        ("PATCH", true) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => return Err(status::method_not_allowed()),
    };
    let kind = target.kind;
    let attrs = Attributes::Resource {
        verb,
        group: kind.group,
        resource: kind.plural,
        namespace: target.rbac_namespace(),
        name: target.name.as_deref().unwrap_or_default(),
    };
    rbac::require(call.user, &attrs)?;
    if !kind.writable && verb != "get" && verb != "list" {
        return Err(status::method_not_allowed());
    }
    match verb {
        "get" => get(store, target),
        "list" => list(store, call, target),
        "create" => write::create(store, call, target),
        "update" => write::update(store, call, target),
        "patch" => patch(store, call, target),
        "delete" => delete::one(store, call, target),
        _ => delete::collection(store, call, target),
    }
}

fn patch(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let content_type = call.req.content_type.as_deref().unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    match media {
        "application/apply-patch+yaml" => apply::apply(store, call, target),
        // Strategic merge patch equals merge patch for the kinds served here: none of their
        // lists has a merge strategy, so lists are replaced either way.
        "application/merge-patch+json" | "application/strategic-merge-patch+json" => {
            write::merge_patch(store, call, target)
        }
        _ => Err(status::unsupported_media_type()),
    }
}

/// An object as served alone: with its `kind` and `apiVersion` (list items go without).
pub fn typed(kind: &Kind, mut obj: Value) -> Value {
    obj["kind"] = Value::from(kind.kind);
    obj["apiVersion"] = Value::from(kind.api_version());
    obj
}

pub fn list_body(kind: &Kind, items: Vec<Value>, metadata: Map<String, Value>) -> Value {
    json!({"kind": kind.list_kind(), "apiVersion": kind.api_version(), "metadata": metadata, "items": items})
}

/// The `labelSelector` query parameter, parsed (a malformed one is a 400).
fn selector(call: &Call) -> Result<Option<Selector>, Reply> {
    call.query("labelSelector")
        .map(|text| Selector::parse(text).map_err(|e| status::bad_request(&e)))
        .transpose()
}

pub fn matching(
    store: &Store,
    call: &Call,
    target: &Target,
) -> Result<(Vec<(String, Value)>, bool), Reply> {
    let selector = selector(call)?;
    let entries = store
        .list(target.kind, target.namespace.as_deref())
        .into_iter()
        .filter(|(_, obj)| {
            let labels = obj.pointer("/metadata/labels").and_then(Value::as_object);
            selector.as_ref().is_none_or(|s| s.matches(labels))
        })
        .collect();
    Ok((entries, selector.is_some()))
}

fn get(store: &Store, target: &Target) -> Answer {
    let name = target.name.as_deref().unwrap_or_default();
    let namespace = target.namespace.as_deref();
    match store.get(target.kind, namespace, name) {
        Some(obj) => Ok(Reply::new(200, typed(target.kind, obj.clone()))),
        None => Err(status::not_found(target.kind, name)),
    }
}

fn list(store: &Store, call: &Call, target: &Target) -> Answer {
    let (entries, filtered) = matching(store, call, target)?;
    let page = paging::paginate(entries, &call.req.query, store.revision(), filtered)?;
    Ok(Reply::new(
        200,
        list_body(target.kind, page.items, page.metadata),
    ))
}
