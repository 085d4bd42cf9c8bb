//! `jit guard`: prints the ValidatingAdmissionPolicy and binding from `guard`, with the
//! limits of the configuration unless the flags say otherwise.

use std::io::Write;

use anyhow::Result;
use clap::ValueEnum;

use crate::cli::{GuardArgs, Output};
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::guard::{self, LimitError, Limits};

pub fn run(args: &GuardArgs, config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let limits = limits(args, config)?;
    if !guard::is_valid_name(&args.name) {
        return Err(JitError::usage(format!(
            "--name {:?}: not a valid object name (lowercase letters, digits, '-' and '.', \
             at most 253)",
            args.name
        ))
        .into());
    }
    match args.output.unwrap_or(Output::Yaml) {
        Output::Yaml => out.write_all(guard::yaml(&args.name, &limits)?.as_bytes())?,
        Output::Json => {
            // Serialized first, so a closed pipe is a plain io::Error (exit 0, as for yaml).
            let text = serde_json::to_string_pretty(&guard::json(&args.name, &limits))?;
            writeln!(out, "{text}")?;
        }
        other => {
            let name = other.to_possible_value().map(|v| v.get_name().to_owned());
            return Err(JitError::usage(format!(
                "-o {}: jit guard prints yaml or json",
                name.unwrap_or_default()
            ))
            .into());
        }
    }
    Ok(Exit::Success)
}

/// The flags, else the configuration; each refusal names the flag (or the configuration
/// key) to change.
fn limits(args: &GuardArgs, config: &Config) -> Result<Limits, JitError> {
    let max_ttl = args.max_ttl.unwrap_or(config.max_ttl);
    let max_lifetime = args.max_lifetime.unwrap_or(config.max_lifetime);
    let ttl_from = if args.max_ttl.is_some() {
        "--max-ttl"
    } else {
        "max_ttl (configuration)"
    };
    let lifetime_from = if args.max_lifetime.is_some() {
        "--max-lifetime"
    } else {
        "max_lifetime (configuration)"
    };
    Limits::new(max_ttl, max_lifetime).map_err(|e| match e {
        LimitError::TtlTooShort => JitError::usage(format!("{ttl_from}: at least 1s")),
        LimitError::LifetimeTooShort => JitError::usage(format!("{lifetime_from}: at least 1s")),
        LimitError::TtlTooLong => JitError::usage(format!("{ttl_from}: too long")),
        LimitError::LifetimeTooLong => JitError::usage(format!("{lifetime_from}: too long")),
        LimitError::TtlOverLifetime => {
            // Blame the flag that was given; with both or neither, the TTL.
            let culprit = if args.max_lifetime.is_some() && args.max_ttl.is_none() {
                lifetime_from
            } else {
                ttl_from
            };
            JitError::usage(format!(
                "{culprit}: the maximum TTL ({}) is longer than the maximum lifetime ({})",
                crate::output::duration(max_ttl),
                crate::output::duration(max_lifetime)
            ))
            .with_hint(
                "a grant cannot be created for longer than it may live: lower --max-ttl or \
                 raise --max-lifetime",
            )
        }
    })
}
