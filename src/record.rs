//! What the commands write to the audit log, and the order that keeps its two promises:
//!
//! - **Removing access beats logging it.** Commands act first and record afterwards; the
//!   signing key is loaded in the background while they talk to the cluster, so neither a
//!   slow keyring nor a missing key ever delays a revoke or a reap.
//! - **No event is lost or passes as signed when it was not.** Without a usable key the
//!   entries are written unsigned (with a warning saying why; `jit log verify` lists them).
//!   If the log cannot be written at all, the entries are printed to stderr as JSON lines
//!   and the command exits with [`Exit::Unlogged`], so cron mails them and scripts notice.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::keys;
use crate::audit::{
    Action, Actor, AuditLog, ClusterRef, Ed25519Signer, Event, KeyRole, ObjectRef, Setup, Signer,
};
use crate::cluster::{Cluster, Identity};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::reaper::{Item, Outcome};

/// Which key signs a command's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// grant, extend, revoke: the person's key.
    Person,
    /// `jit reap`: the reaper key when one was set up (cron has no desktop session to
    /// unlock a person's keyring), else the person's key.
    Reaper,
}

/// The outcome of looking for the signing key.
enum Key {
    Signer(Box<Ed25519Signer>),
    /// Why entries will be unsigned.
    Unsigned(String),
}

/// Records a command's events. Created when the command starts (the key loads meanwhile);
/// each [`Recorder::record`] is one append.
pub struct Recorder {
    dir: Result<PathBuf, String>,
    key: KeyState,
}

enum KeyState {
    Loading(tokio::task::JoinHandle<Key>),
    Ready(Key),
}

impl Recorder {
    /// Starts looking for the signing key on a blocking thread: the OS keyring answers over
    /// D-Bus, within `keys::LOAD_TIMEOUT` at worst.
    pub fn start(config: &Config, signing: Signing) -> Recorder {
        let dir = config.audit_dir().map_err(|err| format!("{err:#}"));
        let key = match dir.clone() {
            Ok(dir) => tokio::task::spawn_blocking(move || find_key(&dir, signing)),
            Err(why) => tokio::task::spawn(async move { Key::Unsigned(why) }),
        };
        Recorder {
            dir,
            key: KeyState::Loading(key),
        }
    }

    async fn key(&mut self) -> &Key {
        if let KeyState::Loading(handle) = &mut self.key {
            let key = handle.await.unwrap_or_else(|err| {
                Key::Unsigned(format!("loading the signing key failed: {err}"))
            });
            self.key = KeyState::Ready(key);
        }
        match &self.key {
            KeyState::Ready(key) => key,
            KeyState::Loading(_) => unreachable!("resolved above"),
        }
    }

    /// Appends `events` (one write and one sync for all of them). See the module docs for
    /// what happens when that is not possible.
    pub async fn record(&mut self, events: Vec<Event>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let dir = self.dir.clone();
        let key = self.key().await;
        let written = match &dir {
            Ok(dir) => append(dir, &events, key),
            Err(why) => Err(anyhow::anyhow!("{why}")),
        };
        match written {
            Ok(()) => {
                if let Key::Unsigned(why) = key {
                    eprintln!(
                        "jit: warning: audit log: {} written unsigned: {why}",
                        entries(events.len())
                    );
                }
                Ok(())
            }
            Err(err) => {
                for event in &events {
                    eprintln!("jit: unlogged: {}", unlogged_json(event));
                }
                let dir = match &dir {
                    Ok(dir) => dir.display().to_string(),
                    Err(_) => "(unknown directory)".to_string(),
                };
                Err(JitError::new(
                    Exit::Unlogged,
                    format!(
                        "audit log {dir}: could not record {} ({err:#}); they are printed above",
                        entries(events.len())
                    ),
                )
                .with_hint(
                    "what was done stays done; keep the lines above, fix the log directory \
                     (JIT_AUDIT_DIR, audit.dir) and check it with `jit log verify`",
                )
                .into())
            }
        }
    }
}

fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".to_string()
    } else {
        format!("{n} entries")
    }
}

fn append(dir: &std::path::Path, events: &[Event], key: &Key) -> Result<()> {
    let setup = Setup::load_or_create(dir)?;
    let log = AuditLog::open(dir, &setup.origin)?;
    let signer = match key {
        Key::Signer(signer) => Some(signer.as_ref() as &dyn Signer),
        Key::Unsigned(_) => None,
    };
    log.append(events, signer)?;
    Ok(())
}

/// The key that signs, as `jit log init` set it up, from the store it named and no other.
fn find_key(dir: &std::path::Path, signing: Signing) -> Key {
    let setup = match Setup::load(dir) {
        Ok(Some(setup)) => setup,
        Ok(None) => {
            return Key::Unsigned("no signing key is set up (run `jit log init`)".to_string());
        }
        Err(err) => return Key::Unsigned(format!("{err:#}")),
    };
    let record = match signing {
        Signing::Person => setup.signing_key(KeyRole::Person),
        Signing::Reaper => setup
            .signing_key(KeyRole::Reaper)
            .or_else(|| setup.signing_key(KeyRole::Person)),
    };
    let Some(record) = record else {
        return Key::Unsigned(format!(
            "no {} signing key is set up (run `jit log init{}`)",
            match signing {
                Signing::Person => "person",
                Signing::Reaper => "reaper or person",
            },
            if signing == Signing::Reaper {
                " --reaper --store keyutils"
            } else {
                ""
            }
        ));
    };
    match keys::load(&record.store, record.role, &record.name) {
        Ok(Some(signer)) if signer.public().key == record.public => Key::Signer(Box::new(signer)),
        Ok(Some(_)) => Key::Unsigned(format!(
            "the {} key {:?} in {} is not the one set up ({}); run `jit log init --rotate` to set up a new one",
            record.role.as_str(),
            record.name,
            record.store,
            record.id
        )),
        Ok(None) => Key::Unsigned(format!(
            "the {} key {:?} is missing from {}; run `jit log init --rotate` to set up a new one",
            record.role.as_str(),
            record.name,
            record.store
        )),
        Err(err) => Key::Unsigned(format!("{err:#}")),
    }
}

/// An event as one JSON line, for stderr when the log cannot take it.
fn unlogged_json(event: &Event) -> String {
    serde_json::json!({
        "ts": event.ts.to_string(),
        "action": event.action.as_str(),
        "outcome": event.outcome,
        "actor": event.actor,
        "cluster": event.cluster,
        "objects": event.objects,
        "ttl": event.ttl,
        "expires": event.expires,
        "reason": event.reason,
        "detail": event.detail,
    })
    .to_string()
}

/// The outcome word for a request that ended in `err`: refused by RBAC, refused as a
/// duplicate of an active grant, or failed for any other reason.
pub fn outcome_of(err: &anyhow::Error) -> &'static str {
    match crate::exit::classify(err).0 {
        Exit::Denied => "denied",
        Exit::Exists => "exists",
        Exit::Unsafe => "refused",
        _ => "failed",
    }
}

/// The error of a command whose failure has been recorded (or tried to be): the command's
/// own error decides the exit code; a log that could not take the record is reported too,
/// so neither is hidden.
pub fn failed(err: anyhow::Error, logged: Result<()>) -> anyhow::Error {
    if let Err(unlogged) = logged {
        eprintln!("jit: {unlogged:#}");
    }
    err
}

/// When it happened: by the API server's clock when it has answered, else the local one.
pub fn now(cluster: &Cluster) -> Timestamp {
    cluster.server_now().unwrap_or_else(Timestamp::now)
}

/// An event about `cluster`, by `actor`.
pub fn event(cluster: &Cluster, actor: Option<&Identity>, action: Action, outcome: &str) -> Event {
    let mut event = Event::new(now(cluster), action, outcome);
    event.actor = actor.map(|identity| Actor {
        username: identity.username.clone(),
        groups: identity.groups.clone(),
    });
    event.cluster = Some(ClusterRef {
        context: cluster.context.clone(),
        server: cluster.server.clone(),
    });
    event
}

/// A NetworkPolicy as the log names it.
pub fn object(np: &NetworkPolicy) -> ObjectRef {
    ObjectRef {
        namespace: np.metadata.namespace.clone().unwrap_or_default(),
        name: np.metadata.name.clone().unwrap_or_default(),
        uid: np.metadata.uid.clone(),
    }
}

/// RFC 3339 of a timestamp, to the second.
pub fn time(ts: Timestamp) -> String {
    crate::policy::rfc3339(ts)
}

/// One `action` entry per policy removed (`done`) or that could not be removed (`failed`):
/// what a reap, an opportunistic sweep or a per-policy revoke did. Policies already gone or
/// kept (extended meanwhile) were not changed by this run and are not entries.
pub fn removals(
    cluster: &Cluster,
    actor: Option<&Identity>,
    action: Action,
    outcome: &Outcome,
) -> Vec<Event> {
    let entry = |item: &Item, result: &str| {
        let mut event = event(cluster, actor, action, result);
        event.objects = vec![ObjectRef {
            namespace: item.namespace.clone(),
            name: item.name.clone(),
            uid: item.uid.clone(),
        }];
        event.detail = Some(format!("grant {}: {}", item.grant_id, item.why));
        event
    };
    outcome
        .deleted
        .iter()
        .map(|item| entry(item, "done"))
        .chain(outcome.failed.iter().map(|item| entry(item, "failed")))
        .collect()
}
