//! `jit log show`: the entries, filtered, as a table for people or as the stored lines.
//!
//! Nothing here checks a signature (that is `jit log verify`): the KEY column says which key
//! an entry claims, or that it is unsigned.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use jiff::Timestamp;

use crate::audit::setup::default_origin;
use crate::audit::{Action, AuditLog, Entry, LOG_FILE, Setup};
use crate::cli::LogShowArgs;
use crate::exit::{Exit, JitError};
use crate::output;

pub fn run(dir: &Path, args: &LogShowArgs, out: &mut dyn Write) -> Result<Exit> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let actions = args
        .action
        .iter()
        .map(|a| a.parse::<Action>())
        .collect::<Result<Vec<_>>>()?;
    if !dir.join(LOG_FILE).exists() {
        eprintln!("jit: no audit log at {} yet", dir.display());
        return Ok(Exit::Success);
    }
    // keys.json only names the keys here; a damaged one is `verify`'s business.
    let setup = Setup::load(dir).ok().flatten();
    let origin = setup
        .as_ref()
        .map(|s| s.origin.clone())
        .unwrap_or_else(default_origin);
    let names: HashMap<String, String> = setup
        .iter()
        .flat_map(|s| &s.keys)
        .map(|k| (k.id.clone(), k.name.clone()))
        .collect();

    let entries = AuditLog::open(dir, &origin)?.entries()?;
    let shown = entries.iter().filter(|entry| {
        let event = &entry.event;
        since.is_none_or(|since| event.ts >= since)
            && (actions.is_empty() || actions.contains(&event.action))
            && args.user.as_ref().is_none_or(|user| {
                event
                    .actor
                    .as_ref()
                    .is_some_and(|actor| actor.username == *user)
            })
    });
    if args.output.is_some() {
        // The stored bytes, never a re-serialization: each line still verifies on its own.
        for entry in shown {
            writeln!(out, "{}", entry.raw)?;
        }
        return Ok(Exit::Success);
    }
    let rows: Vec<Vec<String>> = shown.map(|entry| row(entry, &names)).collect();
    if !rows.is_empty() {
        table(out, &rows)?;
    }
    Ok(Exit::Success)
}

/// `2h` (that long ago, by the local clock) or an RFC 3339 time.
fn parse_since(text: &str) -> Result<Timestamp> {
    let wrong = || {
        JitError::usage(format!(
            "--since: {text:?} is neither a duration (90s, 30m, 2h) nor an RFC 3339 time \
             (2026-11-27T15:00:00Z)"
        ))
    };
    if let Ok(ago) = humantime::parse_duration(text) {
        return Timestamp::now()
            .checked_sub(ago)
            .map_err(|_| wrong().into());
    }
    text.parse::<Timestamp>().map_err(|_| wrong().into())
}

const HEADER: [&str; 10] = [
    "SEQ", "TIME", "ACTION", "OUTCOME", "USER", "OBJECTS", "TTL", "EXPIRES", "KEY", "REASON",
];

fn row(entry: &Entry, names: &HashMap<String, String>) -> Vec<String> {
    let event = &entry.event;
    let or_dash = |text: Option<&str>| text.unwrap_or("-").to_string();
    let objects = event
        .objects
        .iter()
        .map(|o| format!("{}/{}", o.namespace, o.name))
        .collect::<Vec<_>>()
        .join(",");
    let expires = event.expires.as_deref().map(|text| {
        text.parse::<Timestamp>()
            .map(output::local_time)
            .unwrap_or_else(|_| text.to_string())
    });
    let key = match &entry.key {
        None => "unsigned".to_string(),
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
    };
    let torn = entry
        .torn
        .as_ref()
        .map(|t| format!("moved {} torn bytes at offset {} aside", t.length, t.offset));
    let why = [event.reason.clone(), event.detail.clone(), torn]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    vec![
        entry.seq.to_string(),
        output::local_time(event.ts),
        event.action.to_string(),
        event.outcome.clone(),
        or_dash(event.actor.as_ref().map(|a| a.username.as_str())),
        if objects.is_empty() {
            "-".into()
        } else {
            objects
        },
        or_dash(event.ttl.as_deref()),
        or_dash(expires.as_deref()),
        key,
        if why.is_empty() {
            "-".into()
        } else {
            why.join("; ")
        },
    ]
}

/// Columns padded to their widest cell; the last (free text) is not padded.
fn table(out: &mut dyn Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len() - 1;
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i == last {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_duration_or_a_time() {
        let before = Timestamp::now();
        let ago = before.duration_since(parse_since("2h").unwrap());
        assert!(
            (ago - jiff::SignedDuration::from_hours(2)).abs() < jiff::SignedDuration::from_secs(5)
        );
        assert_eq!(
            parse_since("2026-11-27T15:00:00Z").unwrap().to_string(),
            "2026-11-27T15:00:00Z"
        );
        for bad in ["yesterday", "2026-11-27", "-2h"] {
            let err = parse_since(bad).unwrap_err().to_string();
            assert!(err.starts_with("--since: "), "{err}");
        }
    }
}
