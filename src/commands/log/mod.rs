//! `jit log init|show|verify|keys|anchor`: the signed audit log (`crate::audit`) at the
//! command line, one module per subcommand. All of them work on the directory
//! [`Config::audit_dir`] names, the one every other command appends to.

mod anchor;
mod init;
mod keys;
mod show;
mod verify;

use std::io::Write;

use anyhow::Result;

use crate::cli::{GlobalArgs, LogCommand};
use crate::config::Config;
use crate::exit::{Exit, JitError};

/// The ConfigMap annotation `jit log anchor` keeps the checkpoint note in.
pub const ANCHOR_ANNOTATION: &str = "jit.dev/audit-checkpoint";

pub async fn run(
    global: &GlobalArgs,
    command: &LogCommand,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let dir = config.audit_dir()?;
    match command {
        LogCommand::Init(args) => init::run(&dir, args, config, out),
        LogCommand::Show(args) => show::run(&dir, args, out),
        LogCommand::Verify(args) => verify::run(global, &dir, args, out).await,
        LogCommand::Keys(_) => keys::run(&dir, out),
        LogCommand::Anchor(args) => anchor::run(global, &dir, args, out).await,
    }
}

/// `NS/NAME` as (namespace, name); `what` names the argument in the error.
fn config_map_ref(text: &str, what: &str) -> Result<(String, String)> {
    match text.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => Err(JitError::usage(format!(
            "{what}: {text:?} is not namespace/name of a ConfigMap"
        ))
        .with_hint("for example jit-system/audit-anchor")
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_map_references() {
        assert_eq!(
            config_map_ref("jit-system/anchor", "NS/NAME").unwrap(),
            ("jit-system".to_string(), "anchor".to_string())
        );
        for bad in ["anchor", "/anchor", "ns/", "a/b/c", ""] {
            let err = config_map_ref(bad, "--anchor-from-cluster").unwrap_err();
            assert!(
                err.to_string().starts_with("--anchor-from-cluster: "),
                "{err}"
            );
        }
    }
}
