//! `jit grant`: validate everything locally, ask the cluster every independent question at
//! once (who am I, may I, does the namespace exist, what grants exist, which pods does the
//! Service select, and the pods and NetworkPolicies of every namespace involved), decide
//! what the grant would change (`safety`), then write its policies with server-side apply.
//!
//! Round trips for a grant: one concurrent wave of reads, then the applies (the ingress
//! policy and any egress side, concurrently): two round trips of latency.

mod gather;
mod resolve;

use std::io::Write;

use anyhow::Result;
use jiff::Timestamp;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::{Action, Event};
use crate::cli::{DryRun, GlobalArgs, GrantArgs, Output};
use crate::cluster::{self, Cluster, Identity};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::expiry;
use crate::interact;
use crate::output;
use crate::policy::{self, Grant, GrantId, Ports, Source, Stamp, Target, keys};
use crate::progress;
use crate::prompt;
use crate::reaper;
use crate::record::{self, Recorder, Signing};
use crate::request::{GrantRequest, TargetRequest};
use crate::safety::{self, Assessment, Options, Snapshot};
use crate::session;

pub use gather::{Facts, Purpose, gather};
pub use resolve::resolve;

pub async fn run(
    global: &GlobalArgs,
    args: &GrantArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    // Every flag is checked before the cluster is touched, with the namespace the
    // kubeconfig names (the in-cluster service account's comes with the connection).
    let local = cluster::local_namespace(global);
    // On a terminal, what is missing is asked for (a client dry run needs no cluster, so
    // it keeps to the flags); off one, the same check names every missing flag.
    let asked = if args.dry_run != Some(DryRun::Client) && interact::can_prompt() {
        let parts = GrantRequest::missing(args, &local, config)?;
        if parts.is_empty() {
            None
        } else {
            let cluster = Cluster::connect(global).await?;
            let answers = prompt::grant::ask(&cluster, global, args, config, &parts).await?;
            Some((answers.request(config)?, cluster))
        }
    } else {
        None
    };
    let preview = asked.is_some();
    let (mut request, cluster) = match asked {
        Some((request, cluster)) => (request, Some(cluster)),
        None => (GrantRequest::from_args(args, &local, config)?, None),
    };
    if args.dry_run == Some(DryRun::Client) {
        return client_dry_run(request, args, out);
    }
    let server_dry_run = args.dry_run == Some(DryRun::Server);
    // Dry runs change nothing and are not recorded; everything else is, allowed or not.
    let mut recorder = (!server_dry_run).then(|| Recorder::start(config, Signing::Person));
    // Caught before anything is written, so a Ctrl-C right after the apply still revokes.
    let signals = (args.session || !args.command.is_empty())
        .then(session::Signals::install)
        .transpose()?;
    let cluster = match cluster {
        // The namespace was answered (or given) with the prompts.
        Some(cluster) => cluster,
        None => {
            let cluster = Cluster::connect(global).await?;
            request.namespace = cluster.namespace(global);
            cluster
        }
    };

    let asking = progress::spinner("asking the API server");
    let (identity, facts) = gather(&cluster, &request, Purpose::Grant).await?;
    drop(asking);
    let namespace = request.namespace.clone();
    let attempt = match facts {
        Ok(facts) => open(&cluster, request, facts, config, args, preview, out).await,
        Err(err) => Err(err),
    };
    let logged = match &mut recorder {
        Some(recorder) => {
            let event = grant_event(&cluster, &identity, &namespace, &attempt);
            recorder.record(vec![event]).await
        }
        None => Ok(()),
    };
    let (opened, unlogged) = match attempt {
        Ok(opened) => (opened, logged.err()),
        Err(err) => return Err(record::failed(err, logged)),
    };

    let now = cluster.server_now().unwrap_or(opened.stamp.created);
    report(out, args.output, &opened, now, server_dry_run)?;
    if let Some(recorder) = &mut recorder
        && config.opportunistic_reap
    {
        let swept = reaper::sweep(&cluster, &opened.existing, config.max_lifetime).await;
        if let Err(err) = recorder
            .record(record::removals(
                &cluster,
                Some(&identity),
                Action::Reap,
                &swept,
            ))
            .await
        {
            eprintln!("jit: {err:#}");
        }
    }
    let mut exit = Exit::Success;
    if let Some(signals) = signals {
        out.flush()?;
        let end = session::hold(
            &cluster,
            signals,
            &opened.applied,
            opened.stamp.id.as_str(),
            opened.stamp.expires,
            &args.command,
            recorder.as_mut().map(|recorder| (recorder, &identity)),
        )
        .await?;
        exit = end.exit();
    }
    match unlogged {
        Some(err) => Err(err),
        None => Ok(exit),
    }
}

/// What a successful grant wrote.
struct Opened {
    grant: Grant,
    stamp: Stamp,
    /// The ingress policy first, then its egress side.
    applied: Vec<NetworkPolicy>,
    /// The jit policies in the namespace before this grant (for opportunistic reaping).
    existing: Vec<NetworkPolicy>,
}

/// Everything after the identity is known: the checks that can refuse, and the apply.
/// `preview`: the request was answered at prompts, so show it and ask before writing.
async fn open(
    cluster: &Cluster,
    request: GrantRequest,
    mut facts: Facts,
    config: &Config,
    args: &GrantArgs,
    preview: bool,
    out: &mut dyn Write,
) -> Result<Opened> {
    let server_dry_run = args.dry_run == Some(DryRun::Server);
    let grant = resolve(request, facts.service.as_ref())?;
    let now = cluster.now()?;
    refuse_duplicate(&grant, &facts.existing, now, config.max_lifetime)?;

    let created = cluster.now()?;
    let mut stamp = Stamp {
        id: fresh_id(&facts.existing),
        requester: facts.identity.username.clone(),
        groups: facts.identity.groups.clone(),
        created,
        expires: Stamp::expiry(created, grant.ttl),
    };
    let snapshot = without_expired(
        std::mem::take(&mut facts.snapshot),
        now,
        config.max_lifetime,
    );
    let mut assessment = safety::assess(&snapshot, &grant, &stamp)?;
    if args.explain {
        safety::write_explanation(out, &assessment)?;
        writeln!(out)?;
    }
    let options = Options {
        allow_isolation: args.allow_isolation,
        force: args.force,
    };
    if let Some(refusal) = assessment.refusal(options) {
        return Err(refusal.into());
    }
    for ns in &facts.unreadable {
        eprintln!(
            "jit: warning: may not read the pods or networkpolicies of namespace {ns}: if its pods are isolated for egress, the path stays closed at their end"
        );
    }
    refuse_unwritable_egress(&assessment, &facts)?;
    if !server_dry_run {
        confirm_if_empty(&assessment, args.yes)?;
        confirm_if_broad(&grant, args.yes)?;
        if preview && !args.yes {
            confirm_preview(&grant, &stamp, now, &assessment.policies)?;
            // The person may have read for a while: the TTL counts from the write, not
            // from the question.
            stamp.created = cluster.now()?;
            stamp.expires = Stamp::expiry(stamp.created, grant.ttl);
            assessment = safety::assess(&snapshot, &grant, &stamp)?;
        }
    }
    let applying = progress::spinner("applying");
    let applied = apply_all(cluster, &assessment.policies, server_dry_run).await?;
    drop(applying);
    Ok(Opened {
        grant,
        stamp,
        applied,
        existing: facts.existing,
    })
}

/// The snapshot without expired grants: they are the reaper's (and this run's opportunistic
/// sweep's), so a path only they still open is not "already open".
pub(crate) fn without_expired(
    mut snapshot: Snapshot,
    now: Timestamp,
    max_lifetime: std::time::Duration,
) -> Snapshot {
    snapshot.policies.retain(|np| {
        !(expiry::is_jit_managed(np)
            && matches!(
                expiry::status(np, now, max_lifetime),
                expiry::Status::Expired(_)
            ))
    });
    snapshot
}

/// Applies the grant's policies concurrently. All or nothing: when one fails, the ones
/// written are deleted again, so a grant is never left half open.
async fn apply_all(
    cluster: &Cluster,
    policies: &[NetworkPolicy],
    dry_run: bool,
) -> Result<Vec<NetworkPolicy>> {
    let results =
        futures::future::join_all(policies.iter().map(|np| cluster.apply(np, dry_run))).await;
    let mut applied = Vec::new();
    let mut first_error = None;
    for result in results {
        match result {
            Ok(np) => applied.push(np),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    let Some(err) = first_error else {
        return Ok(applied);
    };
    if !dry_run {
        for np in &applied {
            if let Err(undo) = cluster.delete_exact(np, false).await {
                eprintln!(
                    "jit: could not remove networkpolicy {}/{} after the failed grant: {undo:#}; its expiry still bounds it",
                    np.metadata.namespace.as_deref().unwrap_or_default(),
                    np.metadata.name.as_deref().unwrap_or_default()
                );
            }
        }
    }
    Err(err)
}

/// An egress side in a namespace the caller may not write to would fail half-way: say so
/// before writing anything.
fn refuse_unwritable_egress(assessment: &Assessment, facts: &Facts) -> Result<()> {
    for np in assessment.policies.iter().skip(1) {
        let ns = np.metadata.namespace.as_deref().unwrap_or_default();
        if facts.unwritable.iter().any(|u| u == ns) {
            return Err(JitError::new(
                Exit::Denied,
                format!(
                    "the source pods in namespace {ns} are isolated for egress, so the grant needs an egress policy there, \
                     and user {:?} may not create networkpolicies in {ns}; nothing was written",
                    facts.identity.username
                ),
            )
            .with_hint(format!(
                "someone who may write there can grant it; `jit rbac granter {ns} --user {}` prints the RBAC needed",
                facts.identity.username
            ))
            .into());
        }
    }
    Ok(())
}

/// After the prompts: the grant as it would be written (the summary a grant prints, and
/// the YAML on request), and the last word before it is.
fn confirm_preview(
    grant: &Grant,
    stamp: &Stamp,
    now: Timestamp,
    policies: &[NetworkPolicy],
) -> Result<()> {
    let mut text = Vec::new();
    let headline = format!("about to grant {} to {}", stamp.id, stamp.requester);
    summary(&mut text, &headline, grant, stamp, now, policies)?;
    let mut yaml = Vec::new();
    output::objects(&mut yaml, Output::Yaml, policies)?;
    let confirmed = prompt::grant::confirm(
        &String::from_utf8_lossy(&text),
        &String::from_utf8_lossy(&yaml),
    )?;
    if confirmed {
        Ok(())
    } else {
        Err(JitError::usage("not confirmed; nothing was written").into())
    }
}

/// A selector that matches no pod is probably a typo: warn, and ask on a terminal.
fn confirm_if_empty(assessment: &Assessment, yes: bool) -> Result<()> {
    if assessment.empty.is_empty() {
        return Ok(());
    }
    for line in &assessment.empty {
        eprintln!("jit: warning: {line}");
    }
    if yes || !interact::can_prompt() {
        return Ok(());
    }
    if interact::confirm("grant anyway?", &assessment.empty, false)? {
        Ok(())
    } else {
        Err(JitError::usage("not confirmed; nothing was written").into())
    }
}

/// The audit entry for a grant request: allowed (with the policies, the path and the
/// expiry), or denied, refused (as unsafe or a duplicate), or failed (with why).
fn grant_event(
    cluster: &Cluster,
    identity: &Identity,
    namespace: &str,
    attempt: &Result<Opened>,
) -> Event {
    match attempt {
        Ok(opened) => {
            let mut event = record::event(cluster, Some(identity), Action::Grant, "allowed");
            event.objects = opened.applied.iter().map(record::object).collect();
            event.ttl = Some(crate::output::duration(opened.grant.ttl));
            event.expires = Some(record::time(opened.stamp.expires));
            event.reason = opened.grant.reason.clone();
            event.detail = Some(format!(
                "grant {}: from {} to {} ports {}",
                opened.stamp.id,
                opened.grant.describe_sources(),
                opened.grant.describe_target(),
                opened.grant.describe_ports()
            ));
            event
        }
        Err(err) => {
            let outcome = record::outcome_of(err);
            let mut event = record::event(cluster, Some(identity), Action::Grant, outcome);
            event.detail = Some(format!("namespace {namespace}: {err:#}"));
            event
        }
    }
}

/// `--dry-run=client`: the exact policy, with no cluster at all. The requester is unknown
/// (only the API server can say who the credentials belong to) and the clock is local.
fn client_dry_run(request: GrantRequest, args: &GrantArgs, out: &mut dyn Write) -> Result<Exit> {
    let format = args.output;
    if args.explain {
        return Err(JitError::usage(
            "--explain: who reaches what depends on the cluster's pods and policies, which --dry-run=client does not read",
        )
        .with_hint("use --dry-run=server --explain, or `jit explain`")
        .into());
    }
    if matches!(request.target, TargetRequest::Service(_)) {
        return Err(JitError::usage(
            "--to-service: reading the Service's selector needs the cluster, which --dry-run=client does not use",
        )
        .with_hint("use --dry-run=server, or name the pods with --to SELECTOR")
        .into());
    }
    let grant = resolve(request, None)?;
    let created = Timestamp::now();
    let stamp = Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: "(unknown: --dry-run=client does not ask the API server)".to_string(),
        groups: Vec::new(),
        created,
        expires: Stamp::expiry(created, grant.ttl),
    };
    let policy = policy::network_policy(&grant, &stamp);
    match format {
        Some(format) => output::objects(out, format, std::slice::from_ref(&policy))?,
        None => {
            summary(
                out,
                "would grant (client dry run: nothing was sent)",
                &grant,
                &stamp,
                created,
                std::slice::from_ref(&policy),
            )?;
            writeln!(out, "---")?;
            output::objects(out, Output::Yaml, &[policy])?;
        }
    }
    eprintln!(
        "note: not checked without the cluster: whether the grant would isolate pods, needs an egress policy \
         beside this one, or opens a path that is open already (--dry-run=server checks)"
    );
    Ok(Exit::Success)
}

/// Asking twice for the same path while a grant for it is active must not quietly mint a
/// second one: say what exists instead. (An expired one is the reaper's business.)
fn refuse_duplicate(
    grant: &Grant,
    existing: &[NetworkPolicy],
    now: Timestamp,
    max_lifetime: std::time::Duration,
) -> Result<()> {
    let fingerprint = grant.path_fingerprint();
    let active = existing.iter().find_map(|np| {
        let same_path =
            np.metadata.labels.as_ref().and_then(|l| l.get(keys::PATH)) == Some(&fingerprint);
        match expiry::status(np, now, max_lifetime) {
            expiry::Status::Active { expires } if same_path && expiry::is_jit_managed(np) => {
                Some((np, expires))
            }
            _ => None,
        }
    });
    let Some((active, expires)) = active else {
        return Ok(());
    };
    let annotations = active.metadata.annotations.clone().unwrap_or_default();
    let labels = active.metadata.labels.clone().unwrap_or_default();
    Err(JitError::new(
        Exit::Exists,
        format!(
            "grant {} already opens this path: networkpolicy {}/{}, requested by {}, expires {}",
            labels.get(keys::GRANT_ID).map_or("?", String::as_str),
            grant.namespace,
            active.metadata.name.as_deref().unwrap_or_default(),
            annotations.get(keys::REQUESTER).map_or("?", String::as_str),
            output::expiry(now, expires),
        ),
    )
    .with_hint("nothing was written; that grant already gives this access until it expires")
    .into())
}

/// Broad grants are allowed, but only when asked for in so many words and confirmed.
fn confirm_if_broad(grant: &Grant, yes: bool) -> Result<()> {
    let mut why = Vec::new();
    if grant.ports == Ports::All {
        why.push("--all-ports opens every port and protocol".to_string());
    }
    if grant.target == Target::AllPods {
        why.push(format!(
            "--to-all-pods opens every pod in namespace {}",
            grant.namespace
        ));
    }
    for source in &grant.sources {
        if let Source::Cidr { cidr, .. } = source
            && cidr.prefix_len() == 0
        {
            why.push(format!("--from-cidr {cidr} admits every address"));
        }
    }
    if why.is_empty() || interact::confirm("open this broad path?", &why, yes)? {
        Ok(())
    } else {
        Err(JitError::usage("not confirmed; nothing was written").into())
    }
}

/// A grant id whose policy name is not taken in the namespace (a collision is unlikely,
/// but an apply onto an existing name would rewrite someone else's grant).
fn fresh_id(existing: &[NetworkPolicy]) -> GrantId {
    let mut rng = rand::rng();
    loop {
        let id = GrantId::generate(&mut rng);
        let name = id.policy_name();
        if !existing
            .iter()
            .any(|np| np.metadata.name.as_deref() == Some(name.as_str()))
        {
            return id;
        }
    }
}

fn report(
    out: &mut dyn Write,
    format: Option<Output>,
    opened: &Opened,
    now: Timestamp,
    server_dry_run: bool,
) -> Result<()> {
    if let Some(format) = format {
        return output::objects(out, format, &opened.applied);
    }
    let stamp = &opened.stamp;
    let groups = if stamp.groups.is_empty() {
        String::new()
    } else {
        format!(" (groups: {})", stamp.groups.join(", "))
    };
    let headline = if server_dry_run {
        format!(
            "would grant {} to {}{groups} (server dry run: validated and authorized, nothing was stored)",
            stamp.id, stamp.requester
        )
    } else {
        format!("granted {} to {}{groups}", stamp.id, stamp.requester)
    };
    summary(out, &headline, &opened.grant, stamp, now, &opened.applied)
}

/// `policies`: the grant's ingress policy first, then its egress side.
fn summary(
    out: &mut dyn Write,
    headline: &str,
    grant: &Grant,
    stamp: &Stamp,
    now: Timestamp,
    policies: &[NetworkPolicy],
) -> Result<()> {
    writeln!(out, "{headline}")?;
    writeln!(out, "  from     {}", grant.describe_sources())?;
    writeln!(out, "  to       {}", grant.describe_target())?;
    writeln!(out, "  ports    {}", grant.describe_ports())?;
    writeln!(out, "  expires  {}", output::expiry(now, stamp.expires))?;
    if let Some(reason) = &grant.reason {
        writeln!(out, "  reason   {reason}")?;
    }
    for (i, np) in policies.iter().enumerate() {
        writeln!(
            out,
            "  {}   networkpolicy {}/{}",
            if i == 0 { "policy" } else { "egress" },
            np.metadata.namespace.as_deref().unwrap_or(&grant.namespace),
            np.metadata.name.as_deref().unwrap_or_default()
        )?;
    }
    Ok(())
}
