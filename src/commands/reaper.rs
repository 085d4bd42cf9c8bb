//! `jit reaper manifest|systemd|crontab`: the ways to run `jit reap` unattended, printed
//! ready to install. The text itself comes from `reaper_setup`.

use std::io::Write;

use anyhow::Result;

use crate::cli::ReaperCommand;
use crate::exit::Exit;
use crate::reaper_setup::{self, ManifestOptions};

pub fn run(command: &ReaperCommand, out: &mut dyn Write) -> Result<Exit> {
    match command {
        ReaperCommand::Manifest {
            reaper_namespace,
            image,
            schedule,
            audit_claim,
        } => {
            let options = ManifestOptions {
                namespace: reaper_namespace.clone(),
                image: image.clone().unwrap_or_else(reaper_setup::default_image),
                schedule: schedule.clone(),
                audit_claim: audit_claim.clone(),
            };
            out.write_all(reaper_setup::manifest(&options)?.as_bytes())?;
        }
        ReaperCommand::Systemd { binary, interval } => {
            let (service, timer) = reaper_setup::systemd_units(binary, interval);
            writeln!(out, "# /etc/systemd/system/jit-reap.service")?;
            out.write_all(service.as_bytes())?;
            writeln!(out, "\n# /etc/systemd/system/jit-reap.timer")?;
            out.write_all(timer.as_bytes())?;
        }
        ReaperCommand::Crontab { binary } => {
            writeln!(out, "{}", reaper_setup::crontab_line(binary))?
        }
    }
    Ok(Exit::Success)
}
