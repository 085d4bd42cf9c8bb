//! Removing grants: what `jit reap` does, what `revoke` falls back to without
//! deletecollection, and what grant/list/revoke do with expired grants they happen to see.
//!
//! The safety of the whole tool rests here, so each removal deletes exactly the object that
//! was judged (uid + resourceVersion preconditions); when the object changed in between (a
//! 409) it is read again and judged again, so a grant extended between the list and the
//! delete stays. Objects without jit's marker are never deleted, whatever else is true.

use std::time::Duration;

use anyhow::Result;
use futures::StreamExt;
use jiff::Timestamp;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use serde::Serialize;

use crate::cluster::{CONCURRENCY, Cluster, Deleted, Scope};
use crate::expiry::{self, Status};
use crate::policy::keys;

/// How many times one object is re-read and re-judged after it changed under us.
const REJUDGE: usize = 3;

/// One grant the reaper looked at closely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub namespace: String,
    pub name: String,
    pub grant_id: String,
    pub uid: Option<String>,
    /// Why it was (or would have been) removed, or why it was kept or failed.
    pub why: String,
}

impl Item {
    pub fn of(np: &NetworkPolicy, why: impl Into<String>) -> Item {
        Item {
            namespace: np.metadata.namespace.clone().unwrap_or_default(),
            name: np.metadata.name.clone().unwrap_or_default(),
            grant_id: np
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(keys::GRANT_ID).cloned())
                .unwrap_or_default(),
            uid: np.metadata.uid.clone(),
            why: why.into(),
        }
    }
}

/// What became of each expired grant.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    /// Deleted now (or, in a dry run, would have been).
    pub deleted: Vec<Item>,
    /// Already gone when we got to it.
    pub gone: Vec<Item>,
    /// Current again when re-read (extended meanwhile), or no longer jit's: kept.
    pub kept: Vec<Item>,
    /// Could not be removed: the run must not report success.
    pub failed: Vec<Item>,
}

/// The verdict on one object as it is now: `Some(why)` to remove it.
pub type Judge = dyn Fn(&NetworkPolicy, Timestamp) -> Option<String> + Sync;

/// The reaper's verdict: jit-managed and not provably current.
pub fn expired_verdict(
    max_lifetime: Duration,
) -> impl Fn(&NetworkPolicy, Timestamp) -> Option<String> + Sync {
    move |np, now| {
        if !expiry::is_jit_managed(np) {
            return None;
        }
        match expiry::status(np, now, max_lifetime) {
            Status::Expired(why) => Some(why.to_string()),
            Status::Active { .. } => None,
        }
    }
}

/// Removes every object in `candidates` that `judge` condemns, up to [`CONCURRENCY`] at a
/// time. `now` is the API server's clock; re-reads use the clock as it is then.
pub async fn remove(
    cluster: &Cluster,
    candidates: Vec<NetworkPolicy>,
    judge: &Judge,
    now: Timestamp,
    dry_run: bool,
) -> Outcome {
    let condemned: Vec<(NetworkPolicy, String)> = candidates
        .into_iter()
        .filter_map(|np| judge(&np, now).map(|why| (np, why)))
        .collect();
    let bar = crate::progress::bar(condemned.len(), "removing");
    let results: Vec<(Fate, Item)> = futures::stream::iter(condemned)
        .map(|(np, why)| remove_one(cluster, np, why, judge, dry_run))
        .buffer_unordered(CONCURRENCY)
        .inspect(|_| bar.step())
        .collect()
        .await;
    drop(bar);
    let mut outcome = Outcome::default();
    for (fate, item) in results {
        match fate {
            Fate::Deleted => outcome.deleted.push(item),
            Fate::Gone => outcome.gone.push(item),
            Fate::Kept => outcome.kept.push(item),
            Fate::Failed => outcome.failed.push(item),
        }
    }
    for list in [
        &mut outcome.deleted,
        &mut outcome.gone,
        &mut outcome.kept,
        &mut outcome.failed,
    ] {
        list.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    }
    outcome
}

enum Fate {
    Deleted,
    Gone,
    Kept,
    Failed,
}

async fn remove_one(
    cluster: &Cluster,
    mut np: NetworkPolicy,
    mut why: String,
    judge: &Judge,
    dry_run: bool,
) -> (Fate, Item) {
    for _ in 0..REJUDGE {
        match cluster.delete_exact(&np, dry_run).await {
            Ok(Deleted::Deleted) => return (Fate::Deleted, Item::of(&np, why)),
            Ok(Deleted::Gone) => return (Fate::Gone, Item::of(&np, why)),
            Ok(Deleted::Changed) => match rejudge(cluster, &np, judge).await {
                Ok(Rejudged::Gone) => return (Fate::Gone, Item::of(&np, why)),
                Ok(Rejudged::Keep) => {
                    return (
                        Fate::Kept,
                        Item::of(&np, "changed since it was listed and is current now"),
                    );
                }
                Ok(Rejudged::Remove(fresh, fresh_why)) => {
                    np = *fresh;
                    why = fresh_why;
                }
                Err(err) => return (Fate::Failed, Item::of(&np, format!("{err:#}"))),
            },
            Err(err) => return (Fate::Failed, Item::of(&np, format!("{err:#}"))),
        }
    }
    (
        Fate::Failed,
        Item::of(&np, "kept changing while being removed"),
    )
}

enum Rejudged {
    Gone,
    Keep,
    Remove(Box<NetworkPolicy>, String),
}

/// Reads the object again. With a label-selected list rather than a GET: the in-cluster
/// reaper's role has only list, watch and delete. An object that no longer matches (deleted,
/// or stripped of jit's marker) is left alone either way.
async fn rejudge(cluster: &Cluster, np: &NetworkPolicy, judge: &Judge) -> Result<Rejudged> {
    let namespace = np.metadata.namespace.clone().unwrap_or_default();
    let name = np.metadata.name.as_deref().unwrap_or_default();
    let id = Item::of(np, "").grant_id;
    let selector = format!("{},{}={id}", keys::managed_selector(), keys::GRANT_ID);
    let listing = cluster
        .list_policies(&Scope::Namespace(namespace), &selector)
        .await?;
    let Some(fresh) = listing
        .policies
        .into_iter()
        .find(|p| p.metadata.name.as_deref() == Some(name))
    else {
        return Ok(Rejudged::Gone);
    };
    let now = cluster.now()?;
    Ok(match judge(&fresh, now) {
        Some(why) => Rejudged::Remove(Box::new(fresh), why),
        None => Rejudged::Keep,
    })
}

/// Opportunistic reaping: grant and list remove the expired grants they happen to have
/// listed. Best effort: a failure is a warning, never the command's failure. Returns what
/// happened, for the audit log.
pub async fn sweep(cluster: &Cluster, seen: &[NetworkPolicy], max_lifetime: Duration) -> Outcome {
    let Some(now) = cluster.server_now() else {
        return Outcome::default();
    };
    let judge = expired_verdict(max_lifetime);
    let outcome = remove(cluster, seen.to_vec(), &judge, now, false).await;
    for item in &outcome.deleted {
        eprintln!(
            "jit: removed expired grant {} (networkpolicy {}/{}: {})",
            item.grant_id, item.namespace, item.name, item.why
        );
    }
    for item in &outcome.failed {
        eprintln!(
            "jit: warning: could not remove expired grant {} (networkpolicy {}/{}): {}",
            item.grant_id, item.namespace, item.name, item.why
        );
    }
    outcome
}
