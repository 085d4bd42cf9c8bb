//! `jit explain`: what a grant of this path would change, without writing anything. The
//! same reads and the same assessment as `jit grant`, printed instead of acted on.

use std::io::Write;

use anyhow::Result;

use crate::cli::{ExplainArgs, GlobalArgs};
use crate::cluster::{self, Cluster};
use crate::commands::grant::{self, Purpose};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::policy::{GrantId, Stamp};
use crate::progress;
use crate::request::GrantRequest;
use crate::safety::{self, Options};

pub async fn run(
    global: &GlobalArgs,
    args: &ExplainArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let mut request =
        GrantRequest::for_path(&args.path, &cluster::local_namespace(global), config)?;
    let cluster = Cluster::connect(global).await?;
    request.namespace = cluster.namespace(global);
    let asking = progress::spinner("reading pods and policies");
    let (identity, facts) = grant::gather(&cluster, &request, Purpose::Explain).await?;
    drop(asking);
    let mut facts = facts?;
    let path = grant::resolve(request, facts.service.as_ref())?;
    let now = cluster.now()?;
    let stamp = Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: identity.username,
        groups: identity.groups,
        created: now,
        expires: Stamp::expiry(now, path.ttl),
    };
    let snapshot = grant::without_expired(
        std::mem::take(&mut facts.snapshot),
        now,
        config.max_lifetime,
    );
    let assessment = safety::assess(&snapshot, &path, &stamp)?;
    writeln!(
        out,
        "path: from {} to {} ports {}",
        path.describe_sources(),
        path.describe_target(),
        path.describe_ports()
    )?;
    writeln!(out)?;
    safety::write_explanation(out, &assessment)?;
    for ns in &facts.unreadable {
        writeln!(
            out,
            "unknown: may not read the pods or networkpolicies of namespace {ns}; its egress side is not shown"
        )?;
    }
    match assessment.refusal(Options::default()) {
        Some(JitError { message, hint, .. }) => {
            let why = message.trim_start_matches("refusing: ");
            writeln!(out, "verdict: `jit grant` would refuse: {why}")?;
            if let Some(hint) = hint {
                writeln!(out, "  {hint}")?;
            }
        }
        None => writeln!(out, "verdict: `jit grant` would open exactly these flows")?,
    }
    Ok(Exit::Success)
}
