//! `jit log init`: a new signing key, created in the store chosen and recorded in keys.json.
//!
//! Either both happen or neither: keys.json is checked before anything is created, and a key
//! that could not be recorded is removed from its store again (signing looks only at what
//! keys.json lists, so an unrecorded key would be one nobody can use or verify with).

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::audit::keys::{self, KeyStore};
use crate::audit::setup::hostname;
use crate::audit::{Action, AuditLog, Event, KeyRecord, KeyRole, SETUP_FILE, Setup};
use crate::cli::LogInitArgs;
use crate::config::Config;
use crate::exit::{Exit, JitError};

pub fn run(dir: &Path, args: &LogInitArgs, config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let role = if args.reaper {
        KeyRole::Reaper
    } else {
        KeyRole::Person
    };
    let store = match &args.store {
        Some(text) => text
            .parse::<KeyStore>()
            .map_err(|err| JitError::usage(format!("--store: {err:#}")))?,
        // `audit.key_store` in the configuration, else the desktop keyring.
        None if role == KeyRole::Person => config.key_store.clone().unwrap_or(KeyStore::Keyring),
        // The reaper runs from cron or systemd, where no desktop keyring is unlocked: where
        // its key lives has to be chosen, not defaulted (and not taken from audit.key_store,
        // which names the person key's place: a file store holds one key).
        None => {
            return Err(JitError::usage(
                "--reaper: choose where the reaper key lives with --store keyutils or \
                 --store file:/path (cron has no desktop keyring)",
            )
            .into());
        }
    };

    let setup = Setup::load(dir)?;
    let listed: Vec<&KeyRecord> = setup.iter().flat_map(|s| &s.keys).collect();
    if let Some(current) = listed.iter().find(|k| k.role == role && !k.retired)
        && !args.rotate
    {
        return Err(JitError::usage(format!(
            "a {} key is already set up: {} ({}, in {})",
            role.as_str(),
            current.name,
            current.id,
            current.store
        ))
        .with_hint(
            "to replace it, add --rotate: the old key stays in keys.json, retired, so what it \
             signed still verifies",
        )
        .into());
    }
    let taken = |name: &str| listed.iter().any(|k| k.name == name);
    let name = match &args.name {
        Some(name) if taken(name) => {
            return Err(JitError::usage(format!(
                "--name: a key named {name:?} is already listed in keys.json (retired keys keep \
                 their names)"
            ))
            .with_hint("choose another --name")
            .into());
        }
        Some(name) => name.clone(),
        None => default_name(role, taken),
    };

    let signer = keys::create(&store, role, &name)?;
    let recorded = Setup::update(dir, |setup| {
        let record = KeyRecord::new(&signer.public(), store.clone())?;
        let retiring = setup.signing_key(role).cloned();
        setup.add(record.clone(), args.rotate)?;
        Ok((setup.origin.clone(), record, retiring))
    });
    let (origin, record, retired) = match recorded {
        Ok(recorded) => recorded,
        Err(err) => {
            if let Err(cleanup) = keys::delete(&store, role, &name) {
                eprintln!(
                    "jit: warning: the new key could not be removed from {store} again: {cleanup:#}"
                );
            }
            return Err(err.context(format!(
                "recording the new key in {}; it was removed from {store} again",
                dir.join(SETUP_FILE).display()
            )));
        }
    };

    writeln!(out, "set up the {} key {}", role.as_str(), record.name)?;
    writeln!(out, "  id       {}", record.id)?;
    writeln!(out, "  store    {}", record.store)?;
    writeln!(out, "  public   {}", record.public)?;
    writeln!(out, "  log      {}", dir.display())?;
    if let Some(old) = &retired {
        writeln!(
            out,
            "  retired  {} ({}): still verifies what it signed",
            old.name, old.id
        )?;
    }
    match role {
        KeyRole::Person => writeln!(
            out,
            "next: grant, extend and revoke sign their entries with it. Keep the public keys \
             where this log's owner cannot write: jit log keys > jit-keys.json"
        )?,
        KeyRole::Reaper => {
            writeln!(
                out,
                "next: `jit reap` signs with it when it runs as this user with this log \
                 directory: jit reaper crontab | crontab -   (or: jit reaper systemd)"
            )?;
            if store == KeyStore::Keyutils {
                writeln!(
                    out,
                    "note: keyutils keeps the key in kernel memory only: a reboot (or 3 days \
                     unused) loses it, and reaps are then logged unsigned until \
                     `jit log init --reaper --rotate --store …`"
                )?;
            }
        }
    }

    // The new key's first signature: proof that it works, and a record of the change.
    let mut event = Event::new(
        jiff::Timestamp::now().round(jiff::Unit::Second)?,
        Action::Note,
        "done",
    );
    let mut detail = format!("key set up: {} ({}) in {}", record.name, record.id, store);
    if let Some(old) = &retired {
        detail.push_str(&format!(", retiring {} ({})", old.name, old.id));
    }
    event.detail = Some(detail);
    let logged = AuditLog::open(dir, &origin)
        .and_then(|log| log.append(std::slice::from_ref(&event), Some(&signer)));
    if let Err(err) = logged {
        eprintln!(
            "jit: unlogged: {}",
            serde_json::json!({
                "ts": event.ts.to_string(),
                "action": "note",
                "outcome": event.outcome,
                "detail": event.detail,
            })
        );
        return Err(JitError::new(
            Exit::Unlogged,
            format!(
                "the key is set up, but the audit log in {} could not record it ({err:#})",
                dir.display()
            ),
        )
        .with_hint("check the log directory with `jit log verify`")
        .into());
    }
    Ok(Exit::Success)
}

/// `$USER@host` (or `reaper@host`); a free `-2`, `-3`… variant when that name is listed
/// already, as after a rotation (retired keys keep their names).
fn default_name(role: KeyRole, taken: impl Fn(&str) -> bool) -> String {
    let who = match role {
        KeyRole::Person => std::env::var("USER")
            .ok()
            .filter(|user| !user.is_empty())
            .unwrap_or_else(|| "person".to_string()),
        KeyRole::Reaper => "reaper".to_string(),
    };
    let base = format!("{who}@{}", hostname());
    let mut name = base.clone();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_skip_the_taken_ones() {
        let host = hostname();
        assert_eq!(
            default_name(KeyRole::Reaper, |_| false),
            format!("reaper@{host}")
        );
        let taken = [format!("reaper@{host}"), format!("reaper@{host}-2")];
        assert_eq!(
            default_name(KeyRole::Reaper, |name| taken.iter().any(|t| t == name)),
            format!("reaper@{host}-3")
        );
    }
}
