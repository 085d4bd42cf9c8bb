//! `jit log anchor NS/NAME`: keeps the log's checkpoint in a ConfigMap, out of reach of
//! whoever can rewrite the local files, so `verify --anchor-from-cluster` can later prove the
//! log still holds everything it held then.
//!
//! The anchor only ever moves forward, and only along the same history: before writing, the
//! stored anchor is checked against the local log (`verify` with it as the anchor), so a
//! truncated or rewritten local log is reported instead of being vouched for. The write is a
//! compare-and-swap on the resourceVersion read, so two anchoring hosts cannot move it back.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::ObjectMeta;

use super::ANCHOR_ANNOTATION;
use crate::audit::{AuditLog, Checkpoint, PublicKey, Setup, Verdict, verify};
use crate::cli::{GlobalArgs, LogAnchorArgs};
use crate::cluster::{self, Cluster};
use crate::exit::{Exit, JitError};
use crate::policy::keys;

/// Reads, checks and writes at most this many times when others write the ConfigMap meanwhile.
const ATTEMPTS: usize = 3;

/// The checkpoint a ConfigMap holds: `None` without the annotation.
pub fn stored(map: &ConfigMap) -> Option<Result<Checkpoint>> {
    let note = map.metadata.annotations.as_ref()?.get(ANCHOR_ANNOTATION)?;
    Some(Checkpoint::parse(note))
}

pub async fn run(
    global: &GlobalArgs,
    dir: &Path,
    args: &LogAnchorArgs,
    out: &mut dyn Write,
) -> Result<Exit> {
    let (ns, name) = super::config_map_ref(&args.config_map, "NS/NAME")?;
    let nothing = || {
        JitError::usage(format!(
            "there is no audit log to anchor in {}",
            dir.display()
        ))
        .with_hint("set up a key with `jit log init`: it writes the first entry")
    };
    let setup = Setup::load(dir)?.ok_or_else(nothing)?;
    let local = AuditLog::open(dir, &setup.origin)?
        .checkpoint()?
        .ok_or_else(nothing)?;
    if local.signatures.is_empty() {
        eprintln!(
            "jit: warning: the checkpoint is unsigned (no signing key was set up when it was \
             written): the anchor proves only what an unsigned checkpoint can"
        );
    }
    let trusted = setup.public_keys();
    let cluster = Cluster::connect(global).await?;

    let mut attempt = 0;
    loop {
        attempt += 1;
        let current = cluster.config_map(&ns, &name).await?;
        let anchored = match current.as_ref().and_then(stored) {
            None => None,
            Some(parsed) => Some(parsed.with_context(|| {
                format!(
                    "configmap {ns}/{name}: its {ANCHOR_ANNOTATION} annotation is not a \
                     checkpoint; remove it (or choose another ConfigMap) to anchor anew"
                )
            })?),
        };
        check(dir, &trusted, &local, anchored.as_ref(), &ns, &name)?;
        if let (Some(anchored), Some(map)) = (&anchored, &current)
            && anchored.size == local.size
        {
            writeln!(
                out,
                "already anchored: {} entries in configmap {ns}/{name} (resourceVersion {})",
                local.size,
                map.metadata.resource_version.as_deref().unwrap_or("?")
            )?;
            return Ok(Exit::Success);
        }

        let written = match current {
            None => {
                cluster
                    .create_config_map(&new_map(&ns, &name, &local))
                    .await
            }
            Some(mut map) => {
                set(&mut map.metadata, &local);
                cluster.replace_config_map(&map).await
            }
        };
        match written {
            Ok(map) => {
                writeln!(
                    out,
                    "anchored {} entries in configmap {ns}/{name} (resourceVersion {})",
                    local.size,
                    map.metadata.resource_version.as_deref().unwrap_or("?")
                )?;
                return Ok(Exit::Success);
            }
            // Someone else created or updated it since it was read: read it again, and
            // judge again against what they wrote.
            Err(err) if cluster::api_code(&err) == Some(409) && attempt < ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

/// Refuses to anchor when the stored anchor is for another log, covers more than the local
/// log, or disagrees with it; and when the local log does not verify against it.
fn check(
    dir: &Path,
    trusted: &[PublicKey],
    local: &Checkpoint,
    anchored: Option<&Checkpoint>,
    ns: &str,
    name: &str,
) -> Result<()> {
    let refuse = |message: String| -> Result<()> {
        Err(JitError::new(Exit::Failure, message)
            .with_hint(format!(
                "see what is wrong with `jit log verify --anchor-from-cluster {ns}/{name}`"
            ))
            .into())
    };
    if let Some(anchored) = anchored {
        if anchored.origin != local.origin {
            return Err(JitError::new(
                Exit::Failure,
                format!(
                    "configmap {ns}/{name} anchors the log {:?}, this log is {:?}",
                    anchored.origin, local.origin
                ),
            )
            .with_hint("anchor each log in a ConfigMap of its own")
            .into());
        }
        if anchored.size > local.size {
            return refuse(format!(
                "the anchor in the cluster covers {} entries, the local log only {}: the local \
                 log was truncated or rolled back",
                anchored.size, local.size
            ));
        }
        if anchored.size == local.size && anchored.root != local.root {
            return refuse(format!(
                "the anchor in the cluster and the local checkpoint both cover {} entries but \
                 disagree: the local log's history was rewritten",
                local.size
            ));
        }
    }
    let report = verify(dir, trusted, anchored)?;
    if matches!(
        report.verdict,
        Verdict::Tampered { .. } | Verdict::Truncated { .. }
    ) {
        return refuse(format!(
            "the local log does not verify, so it is not anchored: {}",
            report.verdict
        ));
    }
    Ok(())
}

fn new_map(ns: &str, name: &str, checkpoint: &Checkpoint) -> ConfigMap {
    let mut map = ConfigMap {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(ns.to_string()),
            ..ObjectMeta::default()
        },
        ..ConfigMap::default()
    };
    set(&mut map.metadata, checkpoint);
    map
}

fn set(metadata: &mut ObjectMeta, checkpoint: &Checkpoint) {
    metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(ANCHOR_ANNOTATION.to_string(), checkpoint.to_note());
    metadata.labels.get_or_insert_with(BTreeMap::new).insert(
        keys::MANAGED_BY.to_string(),
        keys::MANAGED_BY_VALUE.to_string(),
    );
}
