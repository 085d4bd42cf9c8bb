//! `jit log keys`: every public key the log has been signed with, retired ones included, as
//! the JSON list `jit log verify --keys` reads. One format, for files: keep it somewhere the
//! log's owner cannot write, and verification no longer trusts keys.json beside the log.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::audit::Setup;
use crate::exit::{Exit, JitError};

pub fn run(dir: &Path, out: &mut dyn Write) -> Result<Exit> {
    let keys = Setup::load(dir)?
        .map(|setup| setup.public_keys())
        .unwrap_or_default();
    if keys.is_empty() {
        return Err(JitError::usage(format!(
            "no signing keys are set up for the audit log in {}",
            dir.display()
        ))
        .with_hint("run `jit log init`")
        .into());
    }
    serde_json::to_writer_pretty(&mut *out, &keys)?;
    writeln!(out)?;
    Ok(Exit::Success)
}
