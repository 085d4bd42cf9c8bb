//! How results are shown: a summary for people, or the objects themselves for machines.

use std::io::{self, Write};
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::cli::Output;
use crate::policy::keys;

/// `2026-11-27 16:42:41 CET`: the local wall-clock time people plan with.
pub fn local_time(ts: Timestamp) -> String {
    ts.to_zoned(TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// `29m 58s`: whole seconds, as people read them.
pub fn duration(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// "in 29m 58s", or "expired 3s ago".
pub fn relative(now: Timestamp, then: Timestamp) -> String {
    let delta = then.duration_since(now);
    match Duration::try_from(delta) {
        Ok(ahead) => format!("in {}", duration(ahead)),
        Err(_) => format!(
            "expired {} ago",
            duration(Duration::try_from(delta.abs()).unwrap_or_default())
        ),
    }
}

/// "in 29m 58s (14:32 CET)": how long, then the local clock time people plan with; the date
/// too when it is not today ("in 1day 2h (2026-11-28 16:42 CET)").
pub fn expiry(now: Timestamp, expires: Timestamp) -> String {
    expiry_in(now, expires, &TimeZone::system())
}

fn expiry_in(now: Timestamp, expires: Timestamp, zone: &TimeZone) -> String {
    let at = expires.to_zoned(zone.clone());
    let same_day = at.date() == now.to_zoned(zone.clone()).date();
    let clock = if same_day {
        at.strftime("%H:%M %Z").to_string()
    } else {
        at.strftime("%Y-%m-%d %H:%M %Z").to_string()
    };
    format!("{} ({clock})", relative(now, expires))
}

/// Objects as the API server returned them, minus managedFields (as kubectl shows them):
/// yaml documents or json objects, one per object (what `grant` writes, ready for GitOps).
pub fn objects(out: &mut dyn Write, format: Output, policies: &[NetworkPolicy]) -> Result<()> {
    let cleaned = without_managed_fields(policies);
    match format {
        Output::Yaml => {
            for (i, np) in cleaned.iter().enumerate() {
                if i > 0 {
                    writeln!(out, "---")?;
                }
                out.write_all(serde_saphyr::to_string(np)?.as_bytes())?;
            }
        }
        Output::Json => {
            for np in &cleaned {
                serde_json::to_writer_pretty(&mut *out, np)?;
                writeln!(out)?;
            }
        }
        Output::Name | Output::Wide => names_or_table(out, format, &cleaned)?,
    }
    Ok(())
}

/// Like [`objects`], but yaml and json are one `List` whatever the count, as
/// `kubectl get -o json` prints (one parseable document for jq and json.loads alike).
pub fn list(out: &mut dyn Write, format: Output, policies: &[NetworkPolicy]) -> Result<()> {
    let list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {},
        "items": without_managed_fields(policies),
    });
    match format {
        Output::Yaml => out.write_all(serde_saphyr::to_string(&list)?.as_bytes())?,
        Output::Json => {
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
        Output::Name | Output::Wide => names_or_table(out, format, policies)?,
    }
    Ok(())
}

fn without_managed_fields(policies: &[NetworkPolicy]) -> Vec<NetworkPolicy> {
    policies
        .iter()
        .cloned()
        .map(|mut np| {
            np.metadata.managed_fields = None;
            np
        })
        .collect()
}

/// `-o name` (kubectl's resource/name lines) or `-o wide` (a table).
fn names_or_table(out: &mut dyn Write, format: Output, cleaned: &[NetworkPolicy]) -> Result<()> {
    match format {
        Output::Name => {
            for np in cleaned {
                writeln!(
                    out,
                    "networkpolicy.networking.k8s.io/{}",
                    np.metadata.name.as_deref().unwrap_or_default()
                )?;
            }
        }
        _ => wide(out, cleaned)?,
    }
    Ok(())
}

fn wide(out: &mut dyn Write, policies: &[NetworkPolicy]) -> io::Result<()> {
    let label = |np: &NetworkPolicy, key: &str| {
        np.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(key).cloned())
            .unwrap_or_default()
    };
    let annotation = |np: &NetworkPolicy, key: &str| {
        np.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(key).cloned())
            .unwrap_or_default()
    };
    let rows: Vec<[String; 6]> = policies
        .iter()
        .map(|np| {
            [
                np.metadata.namespace.clone().unwrap_or_default(),
                np.metadata.name.clone().unwrap_or_default(),
                label(np, keys::GRANT_ID),
                annotation(np, keys::REQUESTER),
                annotation(np, keys::EXPIRES_AT),
                annotation(np, keys::REASON),
            ]
        })
        .collect();
    let header = [
        "NAMESPACE",
        "NAME",
        "GRANT",
        "REQUESTER",
        "EXPIRES",
        "REASON",
    ]
    .map(String::from);
    let table: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(rows.into_iter().map(|row| row.to_vec()))
        .collect();
    columns(out, &table)
}

/// Left-aligned columns, three spaces apart, like kubectl's tables.
pub fn columns(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(cell.chars().count()),
                None => widths.push(cell.chars().count()),
            }
        }
    }
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", cells.join("   ").trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now: Timestamp = "2026-11-27T15:12:41Z".parse().unwrap();
        let later: Timestamp = "2026-11-27T15:42:39.4Z".parse().unwrap();
        assert_eq!(relative(now, later), "in 29m 58s");
        assert_eq!(relative(later, now), "expired 29m 58s ago");
    }

    #[test]
    fn expiries_say_how_long_then_the_clock_time() {
        // A POSIX rule, not the tz database: the test must not depend on the machine's tzdata.
        let zone = TimeZone::posix("CET-1").unwrap();
        let now: Timestamp = "2026-11-27T13:02:41Z".parse().unwrap();
        let soon: Timestamp = "2026-11-27T13:32:39Z".parse().unwrap();
        assert_eq!(expiry_in(now, soon, &zone), "in 29m 58s (14:32 CET)");
        let tomorrow: Timestamp = "2026-11-28T15:42:41Z".parse().unwrap();
        assert_eq!(
            expiry_in(now, tomorrow, &zone),
            "in 1day 2h 40m (2026-11-28 16:42 CET)"
        );
        assert_eq!(
            expiry_in(soon, now, &zone),
            "expired 29m 58s ago (14:02 CET)"
        );
    }
}
