//! `limit`/`continue` pagination of lists, with continue tokens shaped like the API server's.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::status::{self, Reply};

pub struct Page {
    pub items: Vec<Value>,
    /// The list's `metadata`: resourceVersion, and continue/remainingItemCount when more remain.
    pub metadata: Map<String, Value>,
}

/// Cuts one page out of `entries` (etcd key, object), which must be in key order.
///
/// A continued list reports the revision of its first page, as the real server does (which serves
/// it from that snapshot; the fake reads current state). `remainingItemCount` is only sent for
/// unfiltered lists: with a selector the server cannot know how many of the rest match.
pub fn paginate(
    entries: Vec<(String, Value)>,
    query: &BTreeMap<String, String>,
    revision: String,
    filtered: bool,
) -> Result<Page, Reply> {
    let limit = match query.get("limit").map(String::as_str) {
        None | Some("") => 0,
        Some(text) => text.parse::<usize>().map_err(|_| {
            let value = status::go_quote(text);
            status::bad_request(&format!(
                "limit: Invalid value: {value}: must be a non-negative integer"
            ))
        })?,
    };
    let (start, revision) = match query.get("continue").filter(|t| !t.is_empty()) {
        Some(token) => decode(token)?,
        None => (String::new(), revision),
    };
    let mut items: Vec<(String, Value)> = entries
        .into_iter()
        .filter(|(key, _)| *key >= start)
        .collect();
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".into(), Value::from(revision.clone()));
    if limit > 0 && items.len() > limit {
        let rest = items.split_off(limit);
        let last = &items[limit - 1].0;
        metadata.insert(
            "continue".into(),
            Value::from(encode(&revision, &format!("{last}\u{0}"))),
        );
        if !filtered {
            metadata.insert("remainingItemCount".into(), Value::from(rest.len()));
        }
    }
    Ok(Page {
        items: items.into_iter().map(|(_, v)| v).collect(),
        metadata,
    })
}

fn encode(revision: &str, start: &str) -> String {
    let rv: u64 = revision.parse().unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json!({"v": "meta.k8s.io/v1", "rv": rv, "start": start}).to_string())
}

/// The (start key, revision) a token continues from.
fn decode(token: &str) -> Result<(String, String), Reply> {
    let invalid = |why: &str| status::bad_request(&format!("continue key is not valid: {why}"));
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| invalid("illegal base64 data"))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid("malformed JSON"))?;
    if value.get("v").and_then(Value::as_str) != Some("meta.k8s.io/v1") {
        return Err(invalid(
            "incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ));
    }
    let start = value
        .get("start")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("missing start"))?;
    let rv = value
        .get("rv")
        .and_then(Value::as_u64)
        .ok_or_else(|| invalid("missing resourceVersion"))?;
    Ok((start.to_string(), rv.to_string()))
}
