//! jit: just-in-time network access on Kubernetes.
//!
//! The binary is a thin shell around [`run`]; tests and the completion/man page
//! generators use [`cli::Cli`] directly.

pub mod audit;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod describe;
pub mod doctor;
pub mod exit;
pub mod expiry;
pub mod generate;
pub mod guard;
pub mod interact;
pub mod output;
pub mod policy;
pub mod progress;
pub mod prompt;
pub mod rbac;
pub mod reach;
pub mod reaper;
pub mod reaper_setup;
pub mod record;
pub mod request;
pub mod retry;
pub mod safety;
pub mod selector;
pub mod session;

use std::io::Write;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::exit::Exit;

/// Runs one parsed command line, writing results to `out`.
pub async fn run(cli: Cli, out: &mut dyn Write) -> Result<Exit> {
    progress::set_quiet(cli.global.quiet);
    let config = Config::load(cli.global.config.as_deref())?;
    match &cli.command {
        Command::Grant(args) => commands::grant::run(&cli.global, args, &config, out).await,
        Command::List(args) => commands::list::run(&cli.global, args, &config, out).await,
        Command::Revoke(args) => commands::revoke::run(&cli.global, args, &config, out).await,
        Command::Extend(args) => commands::extend::run(&cli.global, args, &config, out).await,
        Command::Reap(args) => commands::reap::run(&cli.global, args, &config, out).await,
        Command::Reaper(command) => commands::reaper::run(command, out),
        Command::Log(command) => commands::log::run(&cli.global, command, &config, out).await,
        Command::Explain(args) => commands::explain::run(&cli.global, args, &config, out).await,
        Command::Baseline(args) => commands::baseline::run(&cli.global, args, &config, out).await,
        Command::Rbac(command) => commands::rbac::run(&cli.global, command, out),
        Command::Guard(args) => commands::guard::run(args, &config, out),
        Command::Doctor(args) => commands::doctor::run(&cli.global, args, &config, out).await,
        Command::Config(command) => commands::config::run(&cli.global, command, &config, out),
        Command::Completions { shell } => {
            out.write_all(&generate::completions(*shell))?;
            Ok(Exit::Success)
        }
    }
}
