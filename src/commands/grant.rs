//! `jit grant`: validate everything locally, ask the cluster every independent question at
//! once (who am I, may I, does the namespace exist, what grants exist, which pods does the
//! Service select), then write one NetworkPolicy with server-side apply.
//!
//! Round trips for a grant: one concurrent wave of reads (SelfSubjectReview, three
//! SelfSubjectAccessReviews, the namespace, the jit policies in it, and the Service when
//! `--to-service` is used), then the apply: two round trips of latency.

use std::io::Write;

use anyhow::{Context, Result};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::{Action, Event};
use crate::cli::{DryRun, GlobalArgs, GrantArgs, Output};
use crate::cluster::{self, AccessCheck, Cluster, Identity};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::expiry;
use crate::interact;
use crate::output;
use crate::policy::{
    self, Grant, GrantId, Port, PortRef, Ports, Protocol, Source, Stamp, Target, keys,
};
use crate::rbac;
use crate::reaper;
use crate::record::{self, Recorder, Signing};
use crate::request::{GrantRequest, TargetRequest};
use crate::selector::Selector;
use crate::session;

pub async fn run(
    global: &GlobalArgs,
    args: &GrantArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    // Every flag is checked before the cluster is touched, with the namespace the
    // kubeconfig names (the in-cluster service account's comes with the connection).
    let mut request = GrantRequest::from_args(args, &local_namespace(global), config)?;
    if args.dry_run == Some(DryRun::Client) {
        return client_dry_run(request, args.output, out);
    }
    let server_dry_run = args.dry_run == Some(DryRun::Server);
    // Dry runs change nothing and are not recorded; everything else is, allowed or not.
    let mut recorder = (!server_dry_run).then(|| Recorder::start(config, Signing::Person));
    // Caught before anything is written, so a Ctrl-C right after the apply still revokes.
    let signals = (args.session || !args.command.is_empty())
        .then(session::Signals::install)
        .transpose()?;
    let cluster = Cluster::connect(global).await?;
    request.namespace = cluster.namespace(global);

    let (identity, facts) = gather(&cluster, &request).await?;
    let namespace = request.namespace.clone();
    let attempt = match facts {
        Ok(facts) => open(&cluster, request, facts, config, args.yes, server_dry_run).await,
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
    report(
        out,
        args.output,
        &opened.grant,
        &opened.stamp,
        now,
        &opened.applied,
        server_dry_run,
    )?;
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
    applied: NetworkPolicy,
    /// The jit policies in the namespace before this grant (for opportunistic reaping).
    existing: Vec<NetworkPolicy>,
}

/// Everything after the identity is known: the checks that can refuse, and the apply.
async fn open(
    cluster: &Cluster,
    request: GrantRequest,
    facts: Facts,
    config: &Config,
    yes: bool,
    server_dry_run: bool,
) -> Result<Opened> {
    let grant = resolve(request, facts.service.as_ref())?;
    let now = cluster.now()?;
    refuse_duplicate(&grant, &facts.existing, now, config.max_lifetime)?;
    if !server_dry_run {
        confirm_if_broad(&grant, yes)?;
    }

    let created = cluster.now()?;
    let stamp = Stamp {
        id: fresh_id(&facts.existing),
        requester: facts.identity.username.clone(),
        groups: facts.identity.groups.clone(),
        created,
        expires: Stamp::expiry(created, grant.ttl),
    };
    let applied = cluster
        .apply(&policy::network_policy(&grant, &stamp), server_dry_run)
        .await?;
    Ok(Opened {
        grant,
        stamp,
        applied,
        existing: facts.existing,
    })
}

/// The audit entry for a grant request: allowed (with the policy, the path and the expiry),
/// or denied, refused as a duplicate, or failed (with why).
fn grant_event(
    cluster: &Cluster,
    identity: &Identity,
    namespace: &str,
    attempt: &Result<Opened>,
) -> Event {
    match attempt {
        Ok(opened) => {
            let mut event = record::event(cluster, Some(identity), Action::Grant, "allowed");
            event.objects = vec![record::object(&opened.applied)];
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
fn client_dry_run(
    request: GrantRequest,
    format: Option<Output>,
    out: &mut dyn Write,
) -> Result<Exit> {
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
        Some(format) => output::objects(out, format, &[policy])?,
        None => {
            summary(
                out,
                "would grant (client dry run: nothing was sent)",
                &grant,
                &stamp,
                created,
                &policy,
            )?;
            writeln!(out, "---")?;
            output::objects(out, Output::Yaml, &[policy])?;
        }
    }
    Ok(Exit::Success)
}

/// `-n`, else the namespace of the kubeconfig's context, else "default".
fn local_namespace(global: &GlobalArgs) -> String {
    global
        .namespace
        .clone()
        .or_else(|| cluster::kubeconfig_namespace(global))
        .unwrap_or_else(|| "default".to_string())
}

/// Everything the grant needs to know from the cluster, asked concurrently.
struct Facts {
    identity: Identity,
    existing: Vec<NetworkPolicy>,
    service: Option<Service>,
}

/// Asks everything at once. The outer error: the API server did not say who we are (then
/// there is no one to record a request for); the inner one: the request is refused or
/// cannot go on, recorded as such.
async fn gather(cluster: &Cluster, request: &GrantRequest) -> Result<(Identity, Result<Facts>)> {
    let namespace = &request.namespace;
    // Server-side apply needs `patch`, and `create` when the object is new (it always is);
    // `list` finds existing grants for the same path.
    let checks: Vec<AccessCheck> = ["create", "patch", "list"]
        .into_iter()
        .map(|verb| AccessCheck {
            verb,
            group: "networking.k8s.io",
            resource: "networkpolicies",
            namespace: namespace.clone(),
        })
        .collect();
    let service = async {
        match &request.target {
            TargetRequest::Service(name) => cluster.service(namespace, name).await,
            _ => Ok(None),
        }
    };
    let (identity, answers, namespace_exists, existing, service) = tokio::join!(
        cluster.whoami(),
        futures::future::join_all(checks.iter().map(|check| cluster.allowed(check))),
        cluster.namespace_exists(namespace),
        cluster.jit_policies(namespace),
        service,
    );

    // The order of these checks is the order of the explanations a person needs: who they
    // are, whether the namespace is real, then whether they may write there.
    let identity = identity.map_err(|err| match cluster::api_code(&err) {
        Some(401) => JitError::new(
            Exit::Denied,
            format!("the API server rejected your credentials: {err:#}"),
        )
        .with_hint(
            "check them with `kubectl auth whoami`; an expired token or certificate needs renewing",
        )
        .into(),
        _ => err,
    })?;
    let facts = check(
        identity.clone(),
        namespace,
        &checks,
        answers,
        namespace_exists,
        existing,
        service,
    );
    Ok((identity, facts))
}

fn check(
    identity: Identity,
    namespace: &str,
    checks: &[AccessCheck],
    answers: Vec<Result<bool>>,
    namespace_exists: Result<Option<bool>>,
    existing: Result<Vec<NetworkPolicy>>,
    service: Result<Option<Service>>,
) -> Result<Facts> {
    if namespace_exists? == Some(false) {
        return Err(
            JitError::usage(format!("-n/--namespace: namespace {namespace:?} not found"))
                .with_hint("`kubectl get namespaces` lists them")
                .into(),
        );
    }
    let mut denied = Vec::new();
    for (check, answer) in checks.iter().zip(answers) {
        if !answer? {
            denied.push(check.verb);
        }
    }
    if !denied.is_empty() {
        return Err(JitError::new(
            Exit::Denied,
            format!(
                "user {:?} may not {} networkpolicies (networking.k8s.io) in namespace {namespace:?}; nothing was written",
                identity.username,
                denied.join(", "),
            ),
        )
        .with_hint(format!(
            "a cluster admin can allow it by applying this Role and RoleBinding:\n{}",
            rbac::granter_role(namespace, &identity.username)
        ))
        .into());
    }
    Ok(Facts {
        identity,
        existing: existing?,
        service: service?,
    })
}

/// Completes the request with what the Service says (its selector, and its ports when no
/// `--port` was given).
fn resolve(request: GrantRequest, service: Option<&Service>) -> Result<Grant> {
    let (target, target_service, service_ports) = match &request.target {
        TargetRequest::Pods(sel) => (Target::Pods(sel.clone()), None, None),
        TargetRequest::AllPods => (Target::AllPods, None, None),
        TargetRequest::Service(name) => {
            let service = service.ok_or_else(|| {
                JitError::usage(format!(
                    "--to-service: service {name:?} not found in namespace {:?}",
                    request.namespace
                ))
                .with_hint(format!(
                    "`kubectl get services -n {}` lists them",
                    request.namespace
                ))
            })?;
            let (selector, ports) = service_target(name, service)?;
            (Target::Pods(selector), Some(name.clone()), Some(ports))
        }
    };
    let ports = match (request.ports, service_ports) {
        (Some(ports), _) => ports,
        (None, Some(ports)) => ports,
        (None, None) => unreachable!("request validation requires ports unless --to-service"),
    };
    Ok(Grant {
        namespace: request.namespace,
        target,
        target_service,
        sources: request.sources,
        ports,
        ttl: request.ttl,
        reason: request.reason,
    })
}

/// The pods a Service sends to, and the pod ports (targetPort) it sends to: a
/// NetworkPolicy sees the pod's port, never the Service's.
fn service_target(name: &str, service: &Service) -> Result<(Selector, Ports)> {
    let spec = service.spec.clone().unwrap_or_default();
    let selector = spec
        .selector
        .filter(|s| !s.is_empty())
        .map(|labels| Selector::from_labels(&labels))
        .ok_or_else(|| {
            JitError::usage(format!(
                "--to-service: service {name:?} has no selector (its endpoints are managed by hand), so jit cannot tell which pods it reaches"
            ))
            .with_hint("name the pods with --to SELECTOR")
        })?;
    let mut ports = Vec::new();
    for sp in spec.ports.unwrap_or_default() {
        let protocol = match sp.protocol.as_deref() {
            None | Some("TCP") => Protocol::Tcp,
            Some("UDP") => Protocol::Udp,
            Some("SCTP") => Protocol::Sctp,
            Some(other) => anyhow::bail!("service {name}: unknown protocol {other}"),
        };
        let port = match sp.target_port {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(named)) => {
                PortRef::Named(named)
            }
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => {
                PortRef::Number(u16::try_from(n).context("service targetPort out of range")?)
            }
            None => PortRef::Number(u16::try_from(sp.port).context("service port out of range")?),
        };
        ports.push(Port { port, protocol });
    }
    if ports.is_empty() {
        return Err(JitError::usage(format!(
            "--port: service {name:?} declares no ports; name them with --port"
        ))
        .into());
    }
    ports.sort();
    ports.dedup();
    Ok((selector, Ports::Only(ports)))
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
            "grant {} already opens this path: networkpolicy {}/{}, requested by {}, expires {} ({})",
            labels.get(keys::GRANT_ID).map_or("?", String::as_str),
            grant.namespace,
            active.metadata.name.as_deref().unwrap_or_default(),
            annotations.get(keys::REQUESTER).map_or("?", String::as_str),
            output::local_time(expires),
            output::relative(now, expires),
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
    grant: &Grant,
    stamp: &Stamp,
    now: Timestamp,
    applied: &NetworkPolicy,
    server_dry_run: bool,
) -> Result<()> {
    if let Some(format) = format {
        return output::objects(out, format, std::slice::from_ref(applied));
    }
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
    summary(out, &headline, grant, stamp, now, applied)
}

fn summary(
    out: &mut dyn Write,
    headline: &str,
    grant: &Grant,
    stamp: &Stamp,
    now: Timestamp,
    policy: &NetworkPolicy,
) -> Result<()> {
    writeln!(out, "{headline}")?;
    writeln!(out, "  from     {}", grant.describe_sources())?;
    writeln!(out, "  to       {}", grant.describe_target())?;
    writeln!(out, "  ports    {}", grant.describe_ports())?;
    writeln!(
        out,
        "  expires  {} ({})",
        output::local_time(stamp.expires),
        output::relative(now, stamp.expires)
    )?;
    if let Some(reason) = &grant.reason {
        writeln!(out, "  reason   {reason}")?;
    }
    writeln!(
        out,
        "  policy   networkpolicy {}/{}",
        grant.namespace,
        policy.metadata.name.as_deref().unwrap_or_default()
    )?;
    Ok(())
}
