//! `jit revoke` on a terminal with nothing named: offer the active grants and let the
//! person pick. What is picked is revoked by id, through the same path as `jit revoke ID…`.

use anyhow::Result;

use super::choices;
use super::multi_select;
use crate::cluster::{Cluster, Scope};
use crate::config::Config;
use crate::policy::keys;
use crate::progress;

/// The ids picked among the active grants in `scope`; empty when there are none.
pub async fn pick(cluster: &Cluster, scope: &Scope, config: &Config) -> Result<Vec<String>> {
    let listing = {
        let _listing = progress::spinner("listing grants");
        cluster
            .list_policies(scope, &keys::managed_selector())
            .await?
    };
    let now = cluster.now()?;
    let rows = choices::grant_rows(
        &listing.policies,
        now,
        config.max_lifetime,
        matches!(scope, Scope::All),
    );
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<String> = rows.iter().map(|row| row.line.clone()).collect();
    let checked = vec![false; items.len()];
    let picked = multi_select(
        "revoke which grants?",
        &items,
        &checked,
        "nothing was revoked",
    )?;
    let mut ids: Vec<String> = picked.into_iter().map(|i| rows[i].id.clone()).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}
