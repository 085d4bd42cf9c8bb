//! Session-bound grants: "when the session ends, the rules roll back".
//!
//! `jit grant … --session` holds the grant in the foreground and revokes it on Ctrl-C,
//! SIGHUP (the terminal closed), SIGTERM, or when the TTL ends, whichever comes first.
//! `jit grant … -- COMMAND` runs the command and revokes when it exits, passing on its exit
//! code. If this process dies without revoking, the TTL and the reaper still bound the grant.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use tokio::signal::unix::{SignalKind, signal};

use crate::audit::Action;
use crate::cluster::{Cluster, Deleted, Identity};
use crate::exit::Exit;
use crate::output;
use crate::record::{self, Recorder};

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Interrupted,
    HungUp,
    Terminated,
    TtlEnded,
    /// The command exited with this code (None: killed by a signal).
    CommandExited(Option<i32>),
}

impl End {
    fn describe(self) -> String {
        match self {
            End::Interrupted => "interrupted".into(),
            End::HungUp => "the terminal closed".into(),
            End::Terminated => "terminated".into(),
            End::TtlEnded => "the TTL ended".into(),
            End::CommandExited(Some(code)) => format!("the command exited with {code}"),
            End::CommandExited(None) => "the command was killed by a signal".into(),
        }
    }

    /// The exit code jit leaves with: the command's, or 128 + the signal's number for a
    /// session ended by a signal (shell convention); 0 when the TTL ran out.
    pub fn exit(self) -> Exit {
        match self {
            End::TtlEnded => Exit::Success,
            End::Interrupted => Exit::Passed(130),
            End::HungUp => Exit::Passed(129),
            End::Terminated => Exit::Passed(143),
            End::CommandExited(Some(code)) => Exit::Passed(code.clamp(0, 255) as u8),
            End::CommandExited(None) => Exit::Failure,
        }
    }
}

/// Holds `policy` open until the session ends, then revokes it. `command`, when not empty,
/// is run with the grant id in `JIT_GRANT_ID`.
/// The signals that end a session, caught from before the grant is written: one arriving
/// between the apply and the wait is not lost (it would otherwise kill jit and leave the
/// grant open until its TTL).
pub struct Signals {
    interrupt: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    pub fn install() -> Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }
}

pub async fn hold(
    cluster: &Cluster,
    signals: Signals,
    policies: &[NetworkPolicy],
    grant_id: &str,
    expires: Timestamp,
    command: &[String],
    mut audit: Option<(&mut Recorder, &Identity)>,
) -> Result<End> {
    let now = cluster.now()?;
    let left = expires.duration_since(now).unsigned_abs();
    let deadline = tokio::time::Instant::now() + if expires > now { left } else { Duration::ZERO };

    let Signals {
        mut interrupt,
        mut hangup,
        mut terminate,
    } = signals;

    let end = if command.is_empty() {
        eprintln!("jit: holding grant {grant_id}; press Ctrl-C to revoke it");
        let ticker = countdown(expires, cluster);
        tokio::select! {
            _ = interrupt.recv() => End::Interrupted,
            _ = hangup.recv() => End::HungUp,
            _ = terminate.recv() => End::Terminated,
            _ = tokio::time::sleep_until(deadline) => End::TtlEnded,
            _ = ticker => unreachable!("the countdown never ends by itself"),
        }
    } else {
        let mut child = tokio::process::Command::new(&command[0])
            .args(&command[1..])
            .env("JIT_GRANT_ID", grant_id)
            .spawn()
            .with_context(|| format!("running {}", command[0]))?;
        // Ctrl-C at a terminal reaches the command too (same process group): jit waits for
        // it to exit rather than revoking under its feet, except on TTL end or SIGTERM/HUP.
        loop {
            tokio::select! {
                status = child.wait() => break End::CommandExited(status?.code()),
                _ = interrupt.recv() => continue,
                _ = hangup.recv() => { let _ = child.start_kill(); break End::HungUp }
                _ = terminate.recv() => { let _ = child.start_kill(); break End::Terminated }
                _ = tokio::time::sleep_until(deadline) => {
                    eprintln!("jit: the TTL of grant {grant_id} ended; revoking it (the command keeps running without the access)");
                    revoke(cluster, policies, grant_id, End::TtlEnded, audit.as_mut()).await?;
                    let status = child.wait().await?;
                    return Ok(End::CommandExited(status.code()));
                }
            }
        }
    };
    revoke(cluster, policies, grant_id, end, audit.as_mut()).await?;
    Ok(end)
}

/// Deletes the grant's policies (its egress side too) by uid only: the session ends it even
/// if it was extended meanwhile. Each revocation is recorded; a log that cannot take it is
/// reported, not a reason to stop.
async fn revoke(
    cluster: &Cluster,
    policies: &[NetworkPolicy],
    grant_id: &str,
    end: End,
    audit: Option<&mut (&mut Recorder, &Identity)>,
) -> Result<()> {
    let deletes = policies.iter().map(|policy| {
        let mut exact = policy.clone();
        exact.metadata.resource_version = None;
        async move { cluster.delete_exact(&exact, false).await }
    });
    let results: Vec<Result<Deleted>> = futures::future::join_all(deletes).await;
    if let Some((recorder, identity)) = audit {
        let events = policies
            .iter()
            .zip(&results)
            .map(|(policy, deleted)| {
                let outcome = match deleted {
                    Ok(Deleted::Deleted) => "done",
                    Ok(Deleted::Gone) => "gone",
                    Ok(Deleted::Changed) | Err(_) => "failed",
                };
                let mut event = record::event(cluster, Some(identity), Action::Revoke, outcome);
                event.objects = vec![record::object(policy)];
                event.detail = Some(format!(
                    "grant {grant_id}: session ended: {}",
                    end.describe()
                ));
                event
            })
            .collect();
        if let Err(err) = recorder.record(events).await {
            eprintln!("jit: {err:#}");
        }
    }
    for (policy, deleted) in policies.iter().zip(results) {
        match deleted? {
            Deleted::Deleted | Deleted::Gone => {}
            Deleted::Changed => anyhow::bail!(
                "grant {grant_id}: networkpolicy {}/{} was replaced by another object with the same name; left it alone",
                policy.metadata.namespace.as_deref().unwrap_or_default(),
                policy.metadata.name.as_deref().unwrap_or_default()
            ),
        }
    }
    // Clear the countdown line first when there is one.
    let clear = if std::io::stderr().is_terminal() {
        "\r\x1b[2K"
    } else {
        ""
    };
    eprintln!("{clear}jit: revoked grant {grant_id} ({})", end.describe());
    Ok(())
}

/// "grant abc: 29m 58s left", redrawn each second on a terminal; silent otherwise.
async fn countdown(expires: Timestamp, cluster: &Cluster) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let on_terminal = std::io::stderr().is_terminal();
    loop {
        tick.tick().await;
        if on_terminal {
            let now = cluster.server_now().unwrap_or_else(Timestamp::now);
            let left = expires.duration_since(now).unsigned_abs();
            eprint!(
                "\r\x1b[2K  {} left (until {})",
                output::duration(left),
                output::local_time(expires)
            );
            let _ = std::io::stderr().flush();
        }
    }
}
