//! `jit list`: the grants in force, and the overdue ones the reaper has not removed yet.

use std::io::Write;

use anyhow::Result;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::Action;
use crate::cli::{GlobalArgs, ListArgs, Output};
use crate::cluster::Cluster;
use crate::config::Config;
use crate::describe;
use crate::exit::Exit;
use crate::expiry::{self, Status};
use crate::output;
use crate::policy::{self, keys};
use crate::progress;
use crate::reaper;
use crate::record::{self, Recorder, Signing};

pub async fn run(
    global: &GlobalArgs,
    args: &ListArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let cluster = Cluster::connect(global).await?;
    let scope = cluster.scope(global, args.all_namespaces);
    let listing = {
        let _listing = progress::spinner("listing grants");
        cluster
            .list_policies(&scope, &keys::managed_selector())
            .await?
    };
    let mut grants: Vec<NetworkPolicy> = listing
        .policies
        .into_iter()
        .filter(expiry::is_jit_managed)
        .collect();
    if args.mine {
        let me = cluster.whoami().await?.username;
        grants.retain(|np| annotation(np, keys::REQUESTER) == me);
    }
    let now = cluster.now()?;

    match args.output {
        Some(format @ (Output::Yaml | Output::Json | Output::Name)) => {
            output::list(out, format, &grants)?
        }
        format => table(out, &grants, now, config, format == Some(Output::Wide))?,
    }
    for ns in &listing.unreadable_namespaces {
        eprintln!("jit: not allowed to list grants in namespace {ns}");
    }
    if config.opportunistic_reap {
        let swept = reaper::sweep(&cluster, &grants, config.max_lifetime).await;
        if !swept.deleted.is_empty() || !swept.failed.is_empty() {
            // Rare (the reaper normally gets there first), so only then the key and the
            // identity: a plain `jit list` costs no more than before.
            let mut recorder = Recorder::start(config, Signing::Person);
            let identity = cluster.whoami().await.ok();
            let events = record::removals(&cluster, identity.as_ref(), Action::Reap, &swept);
            recorder.record(events).await?;
        }
    }
    Ok(Exit::Success)
}

fn annotation(np: &NetworkPolicy, key: &str) -> String {
    np.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key).cloned())
        .unwrap_or_default()
}

/// Whether the ingress policy of this egress side is listed too.
fn partner_listed(egress: &NetworkPolicy, grants: &[NetworkPolicy]) -> bool {
    let id = label(egress, keys::GRANT_ID);
    let home = annotation(egress, keys::GRANT_NAMESPACE);
    grants.iter().any(|np| {
        !policy::is_egress_side(np)
            && label(np, keys::GRANT_ID) == id
            && np.metadata.namespace.as_deref() == Some(home.as_str())
    })
}

/// The SOURCES cell: the sources, and where the grant's egress side is (listed or not).
fn sources(np: &NetworkPolicy, egress_side: bool) -> String {
    if egress_side {
        return describe::target(np);
    }
    match annotation(np, keys::EGRESS_NAMESPACES).as_str() {
        "" => describe::sources(np),
        namespaces => format!(
            "{} (+egress in {})",
            describe::sources(np),
            namespaces.replace(',', ", ")
        ),
    }
}

fn label(np: &NetworkPolicy, key: &str) -> String {
    np.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key).cloned())
        .unwrap_or_default()
}

fn table(
    out: &mut dyn Write,
    grants: &[NetworkPolicy],
    now: jiff::Timestamp,
    config: &Config,
    wide: bool,
) -> Result<()> {
    if grants.is_empty() {
        writeln!(out, "no grants")?;
        return Ok(());
    }
    let mut header = vec![
        "ID",
        "NAMESPACE",
        "TARGET",
        "SOURCES",
        "PORTS",
        "REQUESTER",
        "LEFT",
    ];
    if wide {
        header.extend(["EXPIRES", "REASON"]);
    }
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for np in grants {
        // A grant is one row: its egress side is folded into its ingress policy's row when
        // both are listed.
        let egress_side = policy::is_egress_side(np);
        if egress_side && partner_listed(np, grants) {
            continue;
        }
        let left = match expiry::status(np, now, config.max_lifetime) {
            Status::Active { expires } => format!(
                "{} left",
                output::duration(expires.duration_since(now).unsigned_abs())
            ),
            Status::Expired(_) => "OVERDUE".to_string(),
        };
        let mut row = vec![
            label(np, keys::GRANT_ID),
            np.metadata.namespace.clone().unwrap_or_default(),
            if egress_side {
                format!(
                    "(egress side of a grant in {})",
                    annotation(np, keys::GRANT_NAMESPACE)
                )
            } else {
                describe::target(np)
            },
            sources(np, egress_side),
            describe::ports(np),
            annotation(np, keys::REQUESTER),
            left,
        ];
        if wide {
            row.push(annotation(np, keys::EXPIRES_AT));
            row.push(annotation(np, keys::REASON));
        }
        rows.push(row);
    }
    output::columns(out, &rows)?;
    Ok(())
}
