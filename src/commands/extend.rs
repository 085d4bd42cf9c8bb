//! `jit extend ID --ttl 30m`: a new expiry from the API server's now, never past the
//! grant's maximum lifetime from its creationTimestamp, recorded with who and why. The
//! patch is guarded by the resourceVersion that was read.

use std::io::Write;

use anyhow::{Context, Result};
use jiff::{SignedDuration, Timestamp};

use crate::audit::Action;
use crate::cli::{ExtendArgs, GlobalArgs};
use crate::cluster::Identity;
use crate::cluster::{self, Cluster, Scope};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::expiry::{self, Status};
use crate::output;
use crate::policy::{self, Stamp, keys};
use crate::record::{self, Recorder, Signing};
use crate::request;
use k8s_openapi::api::networking::v1::NetworkPolicy;

/// Who extended the grant last, when, and why.
pub const EXTENDED_BY: &str = "jit.dev/extended-by";
pub const EXTENDED_AT: &str = "jit.dev/extended-at";
pub const EXTEND_REASON: &str = "jit.dev/extend-reason";

pub async fn run(
    global: &GlobalArgs,
    args: &ExtendArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let id = args.id.strip_prefix("jit-").unwrap_or(&args.id);
    if !request::is_grant_id(id) {
        return Err(
            JitError::usage(format!("{:?} is not a grant id (like 7f3a9c2e)", args.id)).into(),
        );
    }
    let ttl = request::parse_ttl(&args.ttl, config)
        .map_err(|e| JitError::usage(format!("--ttl: {e}")))?;
    let reason = request::parse_reason(args.reason.as_deref(), config)
        .map_err(|e| JitError::usage(format!("--reason: {e}")))?;

    let mut recorder = Recorder::start(config, Signing::Person);
    let cluster = Cluster::connect(global).await?;
    let namespace = cluster.namespace(global);
    let scope = cluster.scope(global, args.all_namespaces);
    let selector = id_selector(id);
    let (identity, listing) =
        tokio::join!(cluster.whoami(), cluster.list_policies(&scope, &selector));
    let identity = identity?;
    let ask = Ask {
        id,
        ttl,
        ttl_flag: &args.ttl,
        reason: reason.as_deref(),
    };
    let attempt = extend(
        &cluster, &identity, &ask, listing, &scope, &namespace, config,
    )
    .await;
    let mut event = record::event(
        &cluster,
        Some(&identity),
        Action::Extend,
        match &attempt {
            Ok(_) => "allowed",
            Err(err) => record::outcome_of(err),
        },
    );
    event.reason = reason.clone();
    match &attempt {
        Ok((patched, expires)) => {
            event.objects = patched.iter().map(record::object).collect();
            event.ttl = Some(output::duration(ttl));
            event.expires = Some(record::time(*expires));
            event.detail = Some(format!("grant {id}"));
        }
        Err(err) => event.detail = Some(format!("grant {id}: {err:#}")),
    }
    let logged = recorder.record(vec![event]).await;
    let (patched, expires) = match attempt {
        Ok(done) => done,
        Err(err) => return Err(record::failed(err, logged)),
    };
    let now = cluster.server_now().unwrap_or(expires);
    writeln!(
        out,
        "extended {id} for {}: expires {}",
        identity.username,
        output::expiry(now, expires)
    )?;
    for (i, np) in patched.iter().enumerate() {
        writeln!(
            out,
            "  {}   networkpolicy {}/{}",
            if i > 0 && policy::is_egress_side(np) {
                "egress"
            } else {
                "policy"
            },
            np.metadata.namespace.as_deref().unwrap_or_default(),
            np.metadata.name.as_deref().unwrap_or_default()
        )?;
    }
    logged?;
    Ok(Exit::Success)
}

/// Every policy of grant `id` (its egress side included).
fn id_selector(id: &str) -> String {
    format!("{},{}={id}", keys::managed_selector(), keys::GRANT_ID)
}

/// What was asked, validated.
struct Ask<'a> {
    id: &'a str,
    ttl: std::time::Duration,
    /// `--ttl` as typed, for messages.
    ttl_flag: &'a str,
    reason: Option<&'a str>,
}

/// Everything after the identity is known: find the grant, check its limits, patch it.
async fn extend(
    cluster: &Cluster,
    identity: &Identity,
    ask: &Ask<'_>,
    listing: Result<cluster::Listing>,
    scope: &Scope,
    namespace: &str,
    config: &Config,
) -> Result<(Vec<NetworkPolicy>, Timestamp)> {
    let Ask {
        id,
        ttl,
        ttl_flag,
        reason,
    } = *ask;
    let mut policies: Vec<NetworkPolicy> = listing?
        .policies
        .into_iter()
        .filter(expiry::is_jit_managed)
        .collect();
    // The other half of the grant (its egress side, or its ingress policy) may live in
    // another namespace: extend it too, or it would be reaped before the rest.
    let mut elsewhere: Vec<String> = policies
        .iter()
        .flat_map(policy::partner_namespaces)
        .filter(|ns| {
            !policies
                .iter()
                .any(|np| np.metadata.namespace.as_ref() == Some(ns))
        })
        .collect();
    elsewhere.sort();
    elsewhere.dedup();
    let selector = id_selector(id);
    let scopes: Vec<Scope> = elsewhere.into_iter().map(Scope::Namespace).collect();
    for listing in futures::future::join_all(
        scopes
            .iter()
            .map(|scope| cluster.list_policies(scope, &selector)),
    )
    .await
    {
        policies.extend(listing?.policies.into_iter().filter(expiry::is_jit_managed));
    }
    // The grant's own (ingress) policy decides; its egress side follows.
    policies.sort_by_key(policy::is_egress_side);
    let grant = policies.first().cloned().ok_or_else(|| match scope {
        Scope::Namespace(_) => JitError::usage(format!("no grant {id} in namespace {namespace}"))
            .with_hint("-A looks in every namespace; `jit list -A` shows every grant"),
        Scope::All => JitError::usage(format!("no grant {id} in any namespace you can list"))
            .with_hint("`jit list -A` shows every grant"),
    })?;

    let now = cluster.now()?;
    if let Status::Expired(why) = expiry::status(&grant, now, config.max_lifetime) {
        return Err(
            JitError::usage(format!("grant {id} can no longer be extended: {why}"))
                .with_hint("request a new grant with `jit grant`")
                .into(),
        );
    }
    // The halves of a grant are created a moment apart: the earliest bounds the lifetime,
    // so no half outlives it (and `jit guard`, which checks each object, agrees).
    let created = policies
        .iter()
        .map(|np| {
            np.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0)
                .context("the policy has no creationTimestamp")
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .min()
        .context("no policy")?;
    let lifetime = SignedDuration::try_from(config.max_lifetime).unwrap_or(SignedDuration::MAX);
    let limit = created.checked_add(lifetime).unwrap_or(Timestamp::MAX);
    let expires = Stamp::expiry(now, ttl);
    if expires > limit {
        let most = output::duration(limit.duration_since(now).unsigned_abs());
        return Err(JitError::usage(format!(
            "--ttl {}: grant {id} would end at {}, past its maximum lifetime ({} from its creation at {}); at most {most} more",
            ttl_flag,
            output::local_time(expires),
            output::duration(config.max_lifetime),
            output::local_time(created),
        ))
        .with_hint("a grant cannot be kept open indefinitely: request a new one")
        .into());
    }

    let mut labels = std::collections::BTreeMap::new();
    labels.insert(keys::EXPIRES.to_string(), expires.as_second().to_string());
    let mut annotations = std::collections::BTreeMap::new();
    annotations.insert(keys::EXPIRES_AT.to_string(), policy::rfc3339(expires));
    annotations.insert(EXTENDED_BY.to_string(), identity.username.clone());
    annotations.insert(EXTENDED_AT.to_string(), policy::rfc3339(now));
    if let Some(reason) = reason {
        annotations.insert(EXTEND_REASON.to_string(), reason.to_string());
    }
    let results = futures::future::join_all(
        policies
            .iter()
            .map(|np| cluster.patch_metadata(np, &labels, &annotations)),
    )
    .await;
    let mut patched = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(np) => patched.push(np),
            Err(err) => errors.push(err),
        }
    }
    match errors.into_iter().next() {
        None => Ok((patched, expires)),
        Some(err) if patched.is_empty() && cluster::api_code(&err) == Some(409) => {
            Err(JitError::new(
                Exit::Failure,
                format!("grant {id} changed while being extended; nothing was changed"),
            )
            .with_hint("run the same command again")
            .into())
        }
        Some(err) if patched.is_empty() => Err(err),
        Some(err) => Err(JitError::new(
            Exit::Incomplete,
            format!(
                "grant {id} was extended only in part ({} of {} policies): {err:#}",
                patched.len(),
                policies.len()
            ),
        )
        .with_hint("run the same command again; the part not extended expires at the old time")
        .into()),
    }
}
