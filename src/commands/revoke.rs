//! `jit revoke`: shut paths now, during an incident. Fast and unambiguous: one
//! deletecollection request per namespace (label-selected, so only jit's grants can match),
//! falling back to one precondition delete per grant for roles without deletecollection.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Result;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::Action;
use crate::cli::{GlobalArgs, Output, RevokeArgs};
use crate::cluster::{self, Cluster, Scope};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::expiry;
use crate::interact;
use crate::output;
use crate::policy::{self, keys};
use crate::progress;
use crate::prompt;
use crate::reaper::{self, Item};
use crate::record::{self, Recorder, Signing};
use crate::request;
use crate::selector::Selector;

pub async fn run(
    global: &GlobalArgs,
    args: &RevokeArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    if names_nothing(args) && interact::can_prompt() {
        return pick_and_revoke(global, args, config, out).await;
    }
    // Checked before the cluster is touched: a wrong command line needs no kubeconfig.
    let selector = selector(args)?;
    let cluster = Cluster::connect(global).await?;
    revoke(global, args, config, out, cluster, selector).await
}

/// On a terminal with nothing named: the person picks among the active grants, and the
/// picked ones are revoked as `jit revoke ID…` would (the pick is the confirmation).
async fn pick_and_revoke(
    global: &GlobalArgs,
    args: &RevokeArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let cluster = Cluster::connect(global).await?;
    let scope = cluster.scope(global, args.all_namespaces);
    let ids = prompt::revoke::pick(&cluster, &scope, config).await?;
    if ids.is_empty() {
        return nothing_matched(args, &scope, out);
    }
    let picked = RevokeArgs {
        ids,
        all: false,
        user: None,
        selector: None,
        all_namespaces: args.all_namespaces,
        yes: true,
        output: args.output,
    };
    let selector = selector(&picked)?;
    revoke(global, &picked, config, out, cluster, selector).await
}

fn names_nothing(args: &RevokeArgs) -> bool {
    args.ids.is_empty() && !args.all && args.user.is_none() && args.selector.is_none()
}

async fn revoke(
    global: &GlobalArgs,
    args: &RevokeArgs,
    config: &Config,
    out: &mut dyn Write,
    cluster: Cluster,
    selector: String,
) -> Result<Exit> {
    let mut recorder = Recorder::start(config, Signing::Person);
    let bulk = args.all || args.user.is_some() || args.selector.is_some();
    let namespace = cluster.namespace(global);
    let scope = cluster.scope(global, args.all_namespaces);

    // With --yes in one namespace there is nothing to show or look up first: one request.
    let fast = args.yes && args.ids.is_empty() && !args.all_namespaces;
    let (namespaces, listed) = if fast {
        (vec![namespace.clone()], None)
    } else {
        let listing = {
            let _listing = progress::spinner("listing grants");
            cluster.list_policies(&scope, &selector).await?
        };
        let grants: Vec<NetworkPolicy> = listing
            .policies
            .into_iter()
            .filter(expiry::is_jit_managed)
            .collect();
        if grants.is_empty() {
            return nothing_matched(args, &scope, out);
        }
        check_every_id_found(args, &grants, &scope)?;
        confirm(&grants, bulk, args.yes)?;
        let mut namespaces: Vec<String> = grants
            .iter()
            .filter_map(|np| np.metadata.namespace.clone())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        (namespaces, Some(grants))
    };

    // Who we are is asked alongside the deletes, for the audit log: it never delays them.
    // A spinner while the deletecollection runs; the per-grant fallback's bar replaces it.
    let revoking = progress::spinner("revoking");
    let (identity, removal) = tokio::join!(
        cluster.whoami(),
        remove_grants(&cluster, &namespaces, &selector, listed.as_deref())
    );
    drop(revoking);
    let identity = identity.ok();
    let events = match &removal {
        Ok((revoked, failed)) => revoked
            .iter()
            .map(|np| {
                let mut event = record::event(&cluster, identity.as_ref(), Action::Revoke, "done");
                event.objects = vec![record::object(np)];
                event.detail = Some(format!("grant {}", Item::of(np, "").grant_id));
                event
            })
            .chain(record::removals(
                &cluster,
                identity.as_ref(),
                Action::Revoke,
                &reaper::Outcome {
                    failed: failed.clone(),
                    ..reaper::Outcome::default()
                },
            ))
            .collect(),
        Err(err) => {
            let outcome = record::outcome_of(err);
            let mut event = record::event(&cluster, identity.as_ref(), Action::Revoke, outcome);
            event.detail = Some(format!("selector {selector}: {err:#}"));
            vec![event]
        }
    };
    let logged = recorder.record(events).await;
    let (revoked, failed) = match removal {
        Ok(done) => done,
        Err(err) => return Err(record::failed(err, logged)),
    };

    // What revoke lists is exactly what it removes, so there is nothing left over for
    // opportunistic reaping to do here.
    report(out, args.output, &revoked, &failed)?;
    logged?;
    Ok(if failed.is_empty() {
        Exit::Success
    } else {
        Exit::Incomplete
    })
}

/// Removes the grants `selector` matches in `namespaces`, then the other half of each grant
/// that lives elsewhere (an egress side in a source namespace, or the ingress policy of an
/// egress side that was matched): a grant is revoked whole. The second wave costs a round
/// trip only when there is such a half.
async fn remove_grants(
    cluster: &Cluster,
    namespaces: &[String],
    selector: &str,
    listed: Option<&[NetworkPolicy]>,
) -> Result<(Vec<NetworkPolicy>, Vec<Item>)> {
    let (mut revoked, mut failed) = remove(cluster, namespaces, selector, listed).await?;
    let mut elsewhere = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for np in &revoked {
        for ns in policy::partner_namespaces(np) {
            if !namespaces.contains(&ns) {
                elsewhere.insert(ns);
                ids.insert(Item::of(np, "").grant_id);
            }
        }
    }
    if elsewhere.is_empty() {
        return Ok((revoked, failed));
    }
    let ids: Vec<String> = ids.into_iter().collect();
    let partners = format!(
        "{},{} in ({})",
        keys::managed_selector(),
        keys::GRANT_ID,
        ids.join(",")
    );
    let elsewhere: Vec<String> = elsewhere.into_iter().collect();
    match remove(cluster, &elsewhere, &partners, None).await {
        Ok((more, more_failed)) => {
            revoked.extend(more);
            failed.extend(more_failed);
        }
        Err(err) => {
            for ns in elsewhere {
                failed.push(Item {
                    namespace: ns,
                    name: "(the rest of the grant)".to_string(),
                    grant_id: ids.join(","),
                    uid: None,
                    why: format!("{err:#}"),
                });
            }
        }
    }
    Ok((revoked, failed))
}

/// One deletecollection per namespace; per-policy precondition deletes where the role
/// lacks deletecollection. Returns what was revoked and what could not be.
async fn remove(
    cluster: &Cluster,
    namespaces: &[String],
    selector: &str,
    listed: Option<&[NetworkPolicy]>,
) -> Result<(Vec<NetworkPolicy>, Vec<Item>)> {
    let mut revoked: Vec<NetworkPolicy> = Vec::new();
    let mut failed: Vec<Item> = Vec::new();
    for ns in namespaces {
        match cluster.delete_collection(ns, selector, false).await {
            Ok(deleted) => revoked.extend(deleted),
            Err(err) if cluster::api_code(&err) == Some(403) => {
                // The role may delete each policy but lacks deletecollection.
                let grants: Vec<NetworkPolicy> = match listed {
                    Some(grants) => grants
                        .iter()
                        .filter(|np| np.metadata.namespace.as_ref() == Some(ns))
                        .cloned()
                        .collect(),
                    None => {
                        cluster
                            .list_policies(&Scope::Namespace(ns.clone()), selector)
                            .await?
                            .policies
                    }
                };
                let now = cluster.now()?;
                let judge = |np: &NetworkPolicy, _| {
                    expiry::is_jit_managed(np).then(|| "revoked".to_string())
                };
                let outcome = reaper::remove(cluster, grants.clone(), &judge, now, false).await;
                if outcome.deleted.is_empty()
                    && outcome.gone.is_empty()
                    && !outcome.failed.is_empty()
                {
                    return Err(err);
                }
                revoked.extend(
                    outcome
                        .deleted
                        .iter()
                        .map(|item| find(&grants, item).unwrap_or_else(|| stub(item))),
                );
                failed.extend(outcome.failed);
            }
            Err(err) => return Err(err),
        }
    }
    Ok((revoked, failed))
}

/// The label selector for what to revoke: jit's marker, always, and the filters given.
fn selector(args: &RevokeArgs) -> Result<String> {
    if names_nothing(args) {
        return Err(JitError::usage(
            "say which grants to revoke: IDs, --all, --user NAME or --selector SELECTOR",
        )
        .with_hint("`jit list` shows the grants and their ids")
        .into());
    }
    if !args.ids.is_empty() && args.all {
        return Err(JitError::usage("--all: give either grant ids or --all, not both").into());
    }
    let mut parts = vec![keys::managed_selector()];
    if !args.ids.is_empty() {
        let mut ids = Vec::new();
        for raw in &args.ids {
            let id = raw.strip_prefix("jit-").unwrap_or(raw);
            if !request::is_grant_id(id) {
                return Err(
                    JitError::usage(format!("{raw:?} is not a grant id (like 7f3a9c2e)")).into(),
                );
            }
            ids.push(id.to_string());
        }
        ids.sort();
        ids.dedup();
        parts.push(format!("{} in ({})", keys::GRANT_ID, ids.join(",")));
    }
    if let Some(user) = &args.user {
        parts.push(format!(
            "{}={}",
            keys::REQUESTER_HASH,
            policy::requester_hash(user)
        ));
    }
    if let Some(text) = &args.selector {
        let extra: Selector = text
            .parse()
            .map_err(|e| JitError::usage(format!("--selector: {e}")))?;
        if !extra.is_empty() {
            parts.push(extra.to_string());
        }
    }
    Ok(parts.join(","))
}

fn nothing_matched(args: &RevokeArgs, scope: &Scope, out: &mut dyn Write) -> Result<Exit> {
    let place = match scope {
        Scope::Namespace(ns) => format!("in namespace {ns}"),
        Scope::All => "in any namespace you can list".to_string(),
    };
    if !args.ids.is_empty() {
        return Err(
            JitError::usage(format!("no grant {} {place}", args.ids.join(", ")))
                .with_hint("`jit list -A` shows every grant; -A looks in all namespaces")
                .into(),
        );
    }
    writeln!(out, "no grants to revoke {place}")?;
    Ok(Exit::Success)
}

fn check_every_id_found(args: &RevokeArgs, grants: &[NetworkPolicy], scope: &Scope) -> Result<()> {
    let found: Vec<&str> = grants
        .iter()
        .filter_map(|np| {
            np.metadata
                .labels
                .as_ref()?
                .get(keys::GRANT_ID)
                .map(String::as_str)
        })
        .collect();
    let missing: Vec<&str> = args
        .ids
        .iter()
        .map(|raw| raw.strip_prefix("jit-").unwrap_or(raw))
        .filter(|id| !found.contains(id))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let hint = match scope {
        Scope::Namespace(_) => "nothing was revoked; -A looks in every namespace",
        Scope::All => "nothing was revoked; `jit list -A` shows every grant",
    };
    Err(JitError::usage(format!("no grant {}", missing.join(", ")))
        .with_hint(hint)
        .into())
}

fn confirm(grants: &[NetworkPolicy], bulk: bool, yes: bool) -> Result<()> {
    if yes || (!bulk && !interact::can_prompt()) {
        return Ok(());
    }
    let lines: Vec<String> = grants.iter().map(describe).collect();
    let question = format!(
        "revoke {} grant{}?",
        grants.len(),
        if grants.len() == 1 { "" } else { "s" }
    );
    if interact::confirm(&question, &lines, false)? {
        Ok(())
    } else {
        Err(JitError::usage("not confirmed; nothing was revoked").into())
    }
}

fn describe(np: &NetworkPolicy) -> String {
    let item = Item::of(np, "");
    let requester = np
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(keys::REQUESTER).cloned())
        .unwrap_or_else(|| "?".into());
    format!(
        "{} (networkpolicy {}/{}, requested by {requester})",
        item.grant_id, item.namespace, item.name
    )
}

/// The policy as it was listed, so the report can name the grant and its requester.
fn find(grants: &[NetworkPolicy], item: &Item) -> Option<NetworkPolicy> {
    grants
        .iter()
        .find(|np| {
            np.metadata.name.as_deref() == Some(item.name.as_str())
                && np.metadata.namespace.as_deref() == Some(item.namespace.as_str())
        })
        .cloned()
}

fn stub(item: &Item) -> NetworkPolicy {
    let mut np = NetworkPolicy::default();
    np.metadata.name = Some(item.name.clone());
    np.metadata.namespace = Some(item.namespace.clone());
    np.metadata.uid = item.uid.clone();
    np
}

fn report(
    out: &mut dyn Write,
    format: Option<Output>,
    revoked: &[NetworkPolicy],
    failed: &[Item],
) -> Result<()> {
    match format {
        Some(format) => output::list(out, format, revoked)?,
        None => {
            if revoked.is_empty() {
                writeln!(out, "no grants to revoke")?;
            }
            for np in revoked {
                writeln!(out, "revoked {}", describe(np))?;
            }
        }
    }
    for item in failed {
        eprintln!(
            "jit: could not revoke {} (networkpolicy {}/{}): {}",
            item.grant_id, item.namespace, item.name, item.why
        );
    }
    if !revoked.is_empty() {
        eprintln!(
            "note: connections established before the revoke may stay open, depending on the network plugin; \
             restart the client pods to be sure they are cut"
        );
    }
    Ok(())
}
