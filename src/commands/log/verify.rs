//! `jit log verify`: the library's verdict on the log, with the keys and anchor the person
//! chose, and its exit code (0 valid, 10 tampered, 11 truncated, 12 torn tail,
//! 13 unverified) passed on unchanged.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde_json::{Value, json};

use super::anchor;
use crate::audit::{
    Checkpoint, CheckpointStatus, LOG_FILE, PublicKey, Setup, Verdict, VerifyReport, verify,
};
use crate::cli::{GlobalArgs, LogVerifyArgs};
use crate::cluster::Cluster;
use crate::exit::{Exit, JitError};

pub async fn run(
    global: &GlobalArgs,
    dir: &Path,
    args: &LogVerifyArgs,
    out: &mut dyn Write,
) -> Result<Exit> {
    let (trusted, keys_from) = trusted_keys(dir, args.keys.as_deref())?;
    // What the library cannot see: an anchor that could not be had at all.
    let mut missing_anchor: Option<Verdict> = None;
    let anchor = if let Some(path) = &args.anchor {
        let bytes = std::fs::read(path).map_err(|err| {
            JitError::usage(format!("--anchor: cannot read {}: {err}", path.display()))
        })?;
        match parse_note(&bytes) {
            Ok(checkpoint) => Some(checkpoint),
            Err(err) => {
                missing_anchor = Some(Verdict::Tampered {
                    line: 0,
                    reason: format!("the anchor {} is unreadable: {err:#}", path.display()),
                });
                None
            }
        }
    } else if let Some(reference) = &args.anchor_from_cluster {
        let (ns, name) = super::config_map_ref(reference, "--anchor-from-cluster")?;
        let cluster = Cluster::connect(global).await?;
        let map = cluster.config_map(&ns, &name).await?;
        match map.as_ref().map(anchor::stored) {
            None => {
                missing_anchor = Some(Verdict::Unverified {
                    reason: format!(
                        "configmap {ns}/{name} does not exist: no anchor to check against \
                         (`jit log anchor {ns}/{name}` keeps one there)"
                    ),
                });
                None
            }
            Some(None) => {
                missing_anchor = Some(Verdict::Unverified {
                    reason: format!(
                        "configmap {ns}/{name} holds no {} annotation: no anchor to check against",
                        super::ANCHOR_ANNOTATION
                    ),
                });
                None
            }
            Some(Some(Err(err))) => {
                missing_anchor = Some(Verdict::Tampered {
                    line: 0,
                    reason: format!("the anchor in configmap {ns}/{name} is unreadable: {err:#}"),
                });
                None
            }
            Some(Some(Ok(checkpoint))) => Some(checkpoint),
        }
    } else {
        None
    };

    let mut report = verify(dir, &trusted, anchor.as_ref())?;
    if let Some(finding) = missing_anchor {
        report.add(finding);
    }

    if args.output.is_some() {
        let summary = json_report(dir, &keys_from, &report);
        serde_json::to_writer_pretty(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        human_report(out, dir, &keys_from, &report)?;
    }
    Ok(match report.verdict.exit_code() {
        0 => Exit::Success,
        code => Exit::Passed(code),
    })
}

/// The keys of `--keys FILE`, else those keys.json lists (saying so: whoever can rewrite the
/// log can rewrite keys.json too). Also where they came from, for the report.
fn trusted_keys(dir: &Path, file: Option<&Path>) -> Result<(Vec<PublicKey>, String)> {
    if let Some(file) = file {
        let bytes = std::fs::read(file).map_err(|err| {
            JitError::usage(format!("--keys: cannot read {}: {err}", file.display()))
        })?;
        let keys: Vec<PublicKey> = serde_json::from_slice(&bytes).map_err(|err| {
            JitError::usage(format!(
                "--keys: {} is not a key list as `jit log keys` prints it: {err}",
                file.display()
            ))
        })?;
        return Ok((keys, file.display().to_string()));
    }
    match Setup::load(dir)? {
        Some(setup) => {
            eprintln!(
                "jit: trusting the keys recorded beside the log (keys.json); for independent \
                 verification pass --keys from `jit log keys` kept elsewhere"
            );
            Ok((setup.public_keys(), "keys.json".to_string()))
        }
        None => {
            eprintln!("jit: no keys.json beside the log and no --keys: no key is trusted");
            Ok((Vec::new(), "none".to_string()))
        }
    }
}

fn parse_note(bytes: &[u8]) -> Result<Checkpoint> {
    let text = std::str::from_utf8(bytes).map_err(|_| anyhow::anyhow!("it is not UTF-8"))?;
    Checkpoint::parse(text)
}

fn human_report(
    out: &mut dyn Write,
    dir: &Path,
    keys_from: &str,
    report: &VerifyReport,
) -> std::io::Result<()> {
    writeln!(out, "{}", report.verdict)?;
    writeln!(out, "  log         {}", dir.join(LOG_FILE).display())?;
    writeln!(out, "  keys        {keys_from}")?;
    let unsigned = if report.unsigned.is_empty() {
        String::new()
    } else {
        format!(" (line {})", lines(&report.unsigned))
    };
    writeln!(
        out,
        "  entries     {}: {} signed by a trusted key, {} unsigned{unsigned}",
        report.entries,
        report.signed,
        report.unsigned.len()
    )?;
    writeln!(out, "  checkpoint  {}", status(report.checkpoint.as_ref()))?;
    if let Some(anchor) = &report.anchor {
        writeln!(out, "  anchor      {}", status(Some(anchor)))?;
    }
    if report.findings.len() > 1 {
        writeln!(out, "findings:")?;
        for finding in &report.findings {
            writeln!(out, "  {finding}")?;
        }
    }
    Ok(())
}

fn status(status: Option<&CheckpointStatus>) -> String {
    let Some(status) = status else {
        return "none".to_string();
    };
    let signed = if status.signed_by.is_empty() {
        "not signed by a trusted key".to_string()
    } else {
        format!("signed by {}", status.signed_by.join(", "))
    };
    let matches = if status.consistent {
        "matches the log"
    } else {
        "does not match the log"
    };
    format!("{} entries, {signed}, {matches}", status.size)
}

fn lines(numbers: &[usize]) -> String {
    const SHOWN: usize = 10;
    let mut text = numbers
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if numbers.len() > SHOWN {
        text.push_str(&format!(", … and {} more", numbers.len() - SHOWN));
    }
    text
}

fn kind(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::Tampered { .. } => "tampered",
        Verdict::Truncated { .. } => "truncated",
        Verdict::TornTail { .. } => "torn-tail",
        Verdict::Unverified { .. } => "unverified",
    }
}

fn finding_json(verdict: &Verdict) -> Value {
    let mut value = json!({
        "verdict": kind(verdict),
        "exit": verdict.exit_code(),
        "message": verdict.to_string(),
    });
    match verdict {
        Verdict::Tampered { line, .. } => value["line"] = json!(line),
        Verdict::TornTail { offset, length } => {
            value["offset"] = json!(offset);
            value["length"] = json!(length);
        }
        _ => {}
    }
    value
}

fn status_json(status: Option<&CheckpointStatus>) -> Value {
    status.map_or(
        Value::Null,
        |s| json!({"size": s.size, "signed_by": s.signed_by, "consistent": s.consistent}),
    )
}

fn json_report(dir: &Path, keys_from: &str, report: &VerifyReport) -> Value {
    let mut value = finding_json(&report.verdict);
    let extra = json!({
        "log": dir.join(LOG_FILE),
        "keys": keys_from,
        "entries": report.entries,
        "signed": report.signed,
        "unsigned": report.unsigned,
        "checkpoint": status_json(report.checkpoint.as_ref()),
        "anchor": status_json(report.anchor.as_ref()),
        "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    if let (Some(map), Value::Object(more)) = (value.as_object_mut(), extra) {
        map.extend(more);
    }
    value
}
