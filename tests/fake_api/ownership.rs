//! Field ownership: server-side apply (merge, conflicts, removals) and the bookkeeping that
//! ordinary writes (create, update, merge patch) do on `managedFields`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::fields::{self, Entry, Path, Schema};

/// Who is writing, and when.
pub struct Writer<'a> {
    pub manager: &'a str,
    pub api_version: &'a str,
    pub now: &'a str,
}

pub struct Conflict {
    /// The owning manager as the API server prints it.
    pub manager: String,
    pub path: Path,
}

impl Conflict {
    /// The path as structured-merge-diff prints it: `.spec.ingress`.
    pub fn field(&self) -> String {
        self.path.iter().map(|p| format!(".{p}")).collect()
    }
}

/// Applies `config` (the object as sent) from `writer` onto `live`.
///
/// `default` is the kind's defaulting; the values compared and stored are those after defaulting,
/// like the API server which defaults the merged object before it looks for changes. On success the
/// result carries updated `managedFields`; a result equal to `live` means nothing changed.
pub fn apply(
    schema: &Schema,
    live: &Value,
    config: &Value,
    writer: &Writer,
    force: bool,
    default: fn(&mut Value),
) -> Result<Value, Vec<Conflict>> {
    let mut defaulted = config.clone();
    default(&mut defaulted);
    let wanted: BTreeSet<Path> = fields::leaves(schema, config).into_keys().collect();
    let values = fields::leaves(schema, &defaulted);
    let live_values = fields::leaves(schema, live);
    let mut entries = fields::read(live);

    let mut conflicts = Vec::new();
    for path in wanted
        .iter()
        .filter(|p| values.get(*p) != live_values.get(*p))
    {
        for entry in entries
            .iter_mut()
            .filter(|e| !e.is(writer.manager, "Apply"))
        {
            if !entry.fields.contains(path) {
                continue;
            }
            if force {
                entry.fields.remove(path);
            } else {
                conflicts.push(Conflict {
                    manager: entry.describe(),
                    path: path.clone(),
                });
            }
        }
    }
    if !conflicts.is_empty() {
        conflicts.sort_by(|a, b| (&a.manager, &a.path).cmp(&(&b.manager, &b.path)));
        return Err(conflicts);
    }

    let mut merged = live.clone();
    let previous = entries
        .iter()
        .find(|e| e.is(writer.manager, "Apply"))
        .map(|e| e.fields.clone())
        .unwrap_or_default();
    // A field this manager applied before but no longer sends is removed, unless someone else owns it too.
    for path in previous.difference(&wanted) {
        let shared = entries
            .iter()
            .any(|e| !e.is(writer.manager, "Apply") && e.fields.contains(path));
        if !shared {
            fields::remove(&mut merged, path);
        }
    }
    for path in &wanted {
        match values.get(path) {
            Some(v) => fields::set(&mut merged, path, v.clone()),
            None => fields::remove(&mut merged, path),
        }
    }
    default(&mut merged);

    let changed = without_managed(&merged) != without_managed(live) || previous != wanted;
    let entry = Entry {
        manager: writer.manager.to_string(),
        operation: "Apply".to_string(),
        api_version: writer.api_version.to_string(),
        time: String::new(),
        fields: wanted,
    };
    upsert(&mut entries, entry, writer.now, changed);
    fields::write(&mut merged, schema, &entries);
    Ok(merged)
}

/// The `managedFields` of an object created by applying `config`: the applier owns what it sent.
pub fn applied_create(schema: &Schema, obj: &mut Value, config: &Value, writer: &Writer) {
    let entry = Entry {
        manager: writer.manager.to_string(),
        operation: "Apply".to_string(),
        api_version: writer.api_version.to_string(),
        time: writer.now.to_string(),
        fields: fields::leaves(schema, config).into_keys().collect(),
    };
    fields::write(obj, schema, &[entry]);
}

/// Records an ordinary write of `new` over `old` (None for a create): the writer takes the fields
/// whose values it changed away from their previous owners; removed fields are owned by nobody.
pub fn update(schema: &Schema, old: Option<&Value>, new: &mut Value, writer: &Writer) {
    let before = old.map(|o| fields::leaves(schema, o)).unwrap_or_default();
    let after = fields::leaves(schema, new);
    let mut entries = old.map(fields::read).unwrap_or_default();
    let changed: BTreeSet<Path> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(*v))
        .map(|(p, _)| p.clone())
        .collect();
    let removed: BTreeSet<Path> = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    if !changed.is_empty() || !removed.is_empty() {
        for entry in &mut entries {
            entry
                .fields
                .retain(|p| !changed.contains(p) && !removed.contains(p));
        }
        let mut fields = entries
            .iter()
            .find(|e| e.is(writer.manager, "Update"))
            .map(|e| e.fields.clone())
            .unwrap_or_default();
        fields.extend(changed);
        let entry = Entry {
            manager: writer.manager.to_string(),
            operation: "Update".to_string(),
            api_version: writer.api_version.to_string(),
            time: String::new(),
            fields,
        };
        upsert(&mut entries, entry, writer.now, true);
    }
    fields::write(new, schema, &entries);
}

/// Puts `entry` in place of the same manager/operation (keeping its time unless `touched`), or last.
fn upsert(entries: &mut Vec<Entry>, mut entry: Entry, now: &str, touched: bool) {
    match entries
        .iter_mut()
        .find(|e| e.is(&entry.manager, &entry.operation))
    {
        Some(existing) => {
            entry.time = if touched {
                now.to_string()
            } else {
                existing.time.clone()
            };
            *existing = entry;
        }
        None => {
            entry.time = now.to_string();
            entries.push(entry);
        }
    }
}

pub fn without_managed(obj: &Value) -> Value {
    let mut copy = obj.clone();
    if let Some(meta) = copy.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    copy
}
