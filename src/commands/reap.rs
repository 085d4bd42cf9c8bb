//! `jit reap`: remove expired grants, unattended. One paginated, label-selected list per
//! context (cluster-wide when allowed), the API server's clock, precondition deletes, and a
//! summary a cron mail or a log shipper can read. It never prompts.

use std::io::Write;

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use crate::audit::Action;
use crate::cli::{GlobalArgs, ReapArgs, ReapOutput};
use crate::cluster::{self, Cluster, Scope};
use crate::config::Config;
use crate::exit::Exit;
use crate::expiry::{self, Status};
use crate::policy::keys;
use crate::reaper::{self, Item, Outcome};
use crate::record::{self, Recorder, Signing};

/// The result for one context.
#[derive(Debug, Serialize)]
struct ContextReport {
    context: Option<String>,
    /// The API server's time when the grants were judged.
    now: Option<String>,
    listed: usize,
    expired: usize,
    #[serde(flatten)]
    outcome: Outcome,
    /// `--check`: grants past their expiry by more than the grace period.
    overdue: Vec<Item>,
    unreadable_namespaces: Vec<String>,
    /// Set when the context could not be reaped at all.
    error: Option<String>,
}

pub async fn run(
    global: &GlobalArgs,
    args: &ReapArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let contexts: Vec<Option<String>> = if args.all_contexts {
        cluster::kubeconfig_contexts(global)?
            .into_iter()
            .map(Some)
            .collect()
    } else if global.context.is_empty() {
        vec![None]
    } else {
        global.context.iter().cloned().map(Some).collect()
    };

    // Dry runs and --check change nothing and are not recorded.
    let mut recorder =
        (!args.dry_run && !args.check).then(|| Recorder::start(config, Signing::Reaper));
    let mut unlogged = None;
    let mut reports = Vec::new();
    for context in contexts {
        let report =
            match reap_context(global, args, config, context.as_deref(), &mut recorder).await {
                Ok((report, Err(err))) => {
                    unlogged = Some(err);
                    report
                }
                Ok((report, Ok(()))) => report,
                Err(err) => ContextReport {
                    context: context.clone(),
                    now: None,
                    listed: 0,
                    expired: 0,
                    outcome: Outcome::default(),
                    overdue: Vec::new(),
                    unreadable_namespaces: Vec::new(),
                    error: Some(format!("{err:#}")),
                },
            };
        reports.push(report);
    }

    match args.output {
        Some(ReapOutput::Json) => {
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "contexts": reports }))?;
            writeln!(out)?;
        }
        None => {
            for report in &reports {
                summary(out, report, args)?;
            }
        }
    }

    let failed = reports
        .iter()
        .any(|r| r.error.is_some() || !r.outcome.failed.is_empty());
    let overdue = reports.iter().any(|r| !r.overdue.is_empty());
    if let Some(err) = unlogged {
        // The access is removed; only its record is missing (and printed on stderr).
        // Incomplete removal is the more urgent news, so it keeps its exit code.
        if failed {
            eprintln!("jit: {err:#}");
        } else {
            return Err(err);
        }
    }
    Ok(if failed {
        Exit::Incomplete
    } else if overdue {
        Exit::Overdue
    } else {
        Exit::Success
    })
}

async fn reap_context(
    global: &GlobalArgs,
    args: &ReapArgs,
    config: &Config,
    context: Option<&str>,
    recorder: &mut Option<Recorder>,
) -> Result<(ContextReport, Result<()>)> {
    let cluster = Cluster::connect_to(global, context).await?;
    let scope = match &global.namespace {
        Some(ns) => Scope::Namespace(ns.clone()),
        None => Scope::All,
    };
    // Who the reaper is, for the log, asked alongside the whole run: never before a delete
    // (a slow or unsupported SelfSubjectReview must not hold up removing access). An
    // identity that cannot be had is recorded as unknown, never a reason not to reap.
    let identity = async {
        match recorder {
            Some(_) => cluster.whoami().await.ok(),
            None => None,
        }
    };
    let (identity, report) = tokio::join!(
        identity,
        judge_and_remove(&cluster, args, config, context, &scope)
    );
    let report = report?;
    let logged = match recorder {
        Some(recorder) => {
            let events =
                record::removals(&cluster, identity.as_ref(), Action::Reap, &report.outcome);
            recorder.record(events).await
        }
        None => Ok(()),
    };
    Ok((report, logged))
}

/// List, judge by the API server's clock, and remove (or, with --check, find the overdue).
async fn judge_and_remove(
    cluster: &Cluster,
    args: &ReapArgs,
    config: &Config,
    context: Option<&str>,
    scope: &Scope,
) -> Result<ContextReport> {
    let selector = keys::managed_selector();
    let listing = {
        let _listing = crate::progress::spinner("listing grants");
        cluster.list_policies(scope, &selector).await?
    };
    let now = cluster.now()?;
    // The list was label-selected; the marker is checked again here, in jit's own code.
    let grants: Vec<_> = listing
        .policies
        .into_iter()
        .filter(expiry::is_jit_managed)
        .collect();
    let expired = grants
        .iter()
        .filter(|np| {
            matches!(
                expiry::status(np, now, config.max_lifetime),
                Status::Expired(_)
            )
        })
        .count();

    let mut report = ContextReport {
        context: context.map(str::to_string),
        now: Some(crate::policy::rfc3339(now)),
        listed: grants.len(),
        expired,
        outcome: Outcome::default(),
        overdue: Vec::new(),
        unreadable_namespaces: listing.unreadable_namespaces,
        error: None,
    };
    if args.check {
        report.overdue = overdue(&grants, now, config, args.grace);
    } else {
        let judge = reaper::expired_verdict(config.max_lifetime);
        report.outcome = reaper::remove(cluster, grants, &judge, now, args.dry_run).await;
    }
    Ok(report)
}

/// Grants the reaper should have removed by now: past their expiry by more than `grace`,
/// or unreadable or over the lifetime for longer than that (counted from when they were
/// created, the best time we have).
fn overdue(
    grants: &[k8s_openapi::api::networking::v1::NetworkPolicy],
    now: Timestamp,
    config: &Config,
    grace: std::time::Duration,
) -> Vec<Item> {
    let grace = jiff::SignedDuration::try_from(grace).unwrap_or(jiff::SignedDuration::MAX);
    grants
        .iter()
        .filter_map(|np| {
            let Status::Expired(why) = expiry::status(np, now, config.max_lifetime) else {
                return None;
            };
            let created = np
                .metadata
                .creation_timestamp
                .as_ref()
                .map_or(Timestamp::UNIX_EPOCH, |t| t.0);
            let since = match &why {
                expiry::Why::Passed { expires } => *expires,
                // Ran out at its expiry, within the lifetime. An expiry set beyond the
                // lifetime is itself the fault, from some unknown time after creation:
                // counting from its limit would hide it from --check for up to a day.
                expiry::Why::OverLifetime { limit, .. } => match expiry::expiry(np) {
                    Ok(expires) if expires <= *limit => expires,
                    _ => created,
                },
                expiry::Why::Unreadable(_) => created,
            };
            let late = now.duration_since(since);
            (late > grace).then(|| {
                Item::of(
                    np,
                    format!(
                        "{why}; overdue by {}",
                        crate::output::duration(late.unsigned_abs())
                    ),
                )
            })
        })
        .collect()
}

fn summary(out: &mut dyn Write, report: &ContextReport, args: &ReapArgs) -> Result<()> {
    let context = report
        .context
        .as_deref()
        .map(|c| format!(" context {c}:"))
        .unwrap_or_default();
    if let Some(err) = &report.error {
        writeln!(out, "reap:{context} FAILED: {err}")?;
        return Ok(());
    }
    if args.check {
        writeln!(
            out,
            "reap --check:{context} listed {}, expired {}, overdue {} (grace {})",
            report.listed,
            report.expired,
            report.overdue.len(),
            crate::output::duration(args.grace)
        )?;
        for item in &report.overdue {
            writeln!(
                out,
                "  overdue {} {}/{}: {}",
                item.grant_id, item.namespace, item.name, item.why
            )?;
        }
        return Ok(());
    }
    let o = &report.outcome;
    let verb = if args.dry_run {
        "would delete"
    } else {
        "deleted"
    };
    writeln!(
        out,
        "reap:{context} listed {}, expired {}, {verb} {}, failed {}{}{}",
        report.listed,
        report.expired,
        o.deleted.len(),
        o.failed.len(),
        if o.gone.is_empty() {
            String::new()
        } else {
            format!(", already gone {}", o.gone.len())
        },
        if o.kept.is_empty() {
            String::new()
        } else {
            format!(", extended meanwhile {}", o.kept.len())
        },
    )?;
    for item in &o.deleted {
        writeln!(
            out,
            "  {verb} {} {}/{}: {}",
            item.grant_id, item.namespace, item.name, item.why
        )?;
    }
    for item in &o.failed {
        writeln!(
            out,
            "  FAILED {} {}/{}: {}",
            item.grant_id, item.namespace, item.name, item.why
        )?;
    }
    if !report.unreadable_namespaces.is_empty() {
        writeln!(
            out,
            "  not allowed to list grants in: {}",
            report.unreadable_namespaces.join(", ")
        )?;
    }
    Ok(())
}
