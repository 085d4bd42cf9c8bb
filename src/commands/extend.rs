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
    let selector = format!("{},{}={id}", keys::managed_selector(), keys::GRANT_ID);
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
            event.objects = vec![record::object(patched)];
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
        "extended {id} for {}: expires {} ({})",
        identity.username,
        output::local_time(expires),
        output::relative(now, expires)
    )?;
    writeln!(
        out,
        "  policy   networkpolicy {}/{}",
        patched.metadata.namespace.unwrap_or_default(),
        patched.metadata.name.unwrap_or_default()
    )?;
    logged?;
    Ok(Exit::Success)
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
) -> Result<(NetworkPolicy, Timestamp)> {
    let Ask {
        id,
        ttl,
        ttl_flag,
        reason,
    } = *ask;
    let grant = listing?
        .policies
        .into_iter()
        .find(expiry::is_jit_managed)
        .ok_or_else(|| match scope {
            Scope::Namespace(_) => {
                JitError::usage(format!("no grant {id} in namespace {namespace}"))
                    .with_hint("-A looks in every namespace; `jit list -A` shows every grant")
            }
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
    let created = grant
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| t.0)
        .context("the policy has no creationTimestamp")?;
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
    let patched = match cluster.patch_metadata(&grant, &labels, &annotations).await {
        Ok(patched) => patched,
        Err(err) if cluster::api_code(&err) == Some(409) => {
            return Err(JitError::new(
                Exit::Failure,
                format!("grant {id} changed while being extended; nothing was changed"),
            )
            .with_hint("run the same command again")
            .into());
        }
        Err(err) => return Err(err),
    };
    Ok((patched, expires))
}
