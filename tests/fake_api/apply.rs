//! Server-side apply (`PATCH` with `application/apply-patch+yaml`).

use serde_json::{Map, Value, json};

use super::defaults;
use super::ownership::{self, Conflict, Writer};
use super::rbac::{self, Attributes};
use super::request::Call;
use super::resources::typed;
use super::route::Target;
use super::status::{self, Answer, FieldError, Reply};
use super::store::{self, Store};
use super::write::{bump_generation, check_valid, place, require_namespace, strip_type};

pub fn apply(store: &mut Store, call: &Call, target: &Target) -> Answer {
    let kind = target.kind;
    let name = target.name.as_deref().unwrap_or_default();
    // PatchOptions are validated before anything else: a 422 naming the options, not the object.
    let Some(manager) = call.query("fieldManager") else {
        let error = FieldError::required("fieldManager", "is required for apply patch");
        return Err(status::invalid("meta.k8s.io", "PatchOptions", "", &[error]));
    };
    // The body is YAML by content type; clients send JSON, which is YAML, and only that is parsed.
    let mut config = call.object_body()?;
    strip_type(kind, &mut config)?;
    place(&mut config, target)?;
    match config["metadata"].get("name").and_then(Value::as_str) {
        Some(given) if given != name => {
            let msg = format!(
                "the name of the object ({given}) does not match the name on the URL ({name})"
            );
            return Err(status::bad_request(&msg));
        }
        _ => config["metadata"]["name"] = Value::from(name),
    }
    if let Some(meta) = config["metadata"].as_object_mut() {
        meta.remove("managedFields");
    }
    let (now, api_version) = (call.now(), kind.api_version());
    let writer = Writer {
        manager,
        api_version: &api_version,
        now: &now,
    };
    let default = defaults::for_kind(kind);
    let dry_run = call.req.dry_run();

    let Some(live) = store.get(kind, target.namespace.as_deref(), name).cloned() else {
        require_namespace(store, target)?;
        let mut obj = config.clone();
        default(&mut obj);
        check_valid(kind, &obj)?;
        // Applying to an absent object creates it, which takes the create permission as well.
        let attrs = Attributes::Resource {
            verb: "create",
            group: kind.group,
            resource: kind.plural,
            namespace: target.namespace.as_deref(),
            name,
        };
        rbac::require(call.user, &attrs)?;
        ownership::applied_create(&kind.schema, &mut obj, &config, &writer);
        store::stamp_new(kind, &mut obj, &now);
        let stored = if dry_run { obj } else { store.put(kind, obj) };
        return Ok(Reply::new(201, typed(kind, stored)));
    };

    let force = call.query("force") == Some("true");
    let mut merged = ownership::apply(&kind.schema, &live, &config, &writer, force, default)
        .map_err(conflicts)?;
    check_valid(kind, &merged)?;
    if merged == live {
        return Ok(Reply::new(200, typed(kind, live)));
    }
    bump_generation(kind, &live, &mut merged);
    let stored = if dry_run {
        merged
    } else {
        store.put(kind, merged)
    };
    Ok(Reply::new(200, typed(kind, stored)))
}

/// The 409 for an apply that would take fields another manager owns.
fn conflicts(conflicts: Vec<Conflict>) -> Reply {
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|c| json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", c.manager), "field": c.field()}))
        .collect();
    let message = match conflicts.as_slice() {
        [one] => format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            one.manager,
            one.field()
        ),
        many => {
            // Grouped by manager, managers sorted (the conflicts already are).
            let mut lines: Vec<String> = Vec::new();
            let mut current: Option<&str> = None;
            for c in many {
                if current != Some(c.manager.as_str()) {
                    lines.push(format!("conflicts with {}:", c.manager));
                    current = Some(&c.manager);
                }
                lines.push(format!("- {}", c.field()));
            }
            format!(
                "Apply failed with {} conflicts: {}",
                many.len(),
                lines.join("\n")
            )
        }
    };
    let mut details = Map::new();
    details.insert("causes".into(), Value::Array(causes));
    status::failure(409, "Conflict", &message, Some(details))
}
