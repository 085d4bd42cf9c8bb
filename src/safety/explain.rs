//! `jit explain` and `grant --explain`: the requested flows before and after the grant, and
//! the policy rules that decide each, as a table a person can check by eye.

use std::io::{self, Write};

use super::{Assessment, Row};
use crate::output;
use crate::reach::{Side, Verdict};

pub fn write_explanation(out: &mut dyn Write, assessment: &Assessment) -> io::Result<()> {
    if assessment.target_pods.is_empty() {
        writeln!(
            out,
            "no pod matches the target: there is no flow to explain"
        )?;
    } else {
        let mut table = vec![
            [
                "FROM",
                "TO",
                "PORT",
                "BEFORE",
                "AFTER",
                "DECIDED BY (AFTER)",
            ]
            .map(String::from)
            .to_vec(),
        ];
        table.extend(assessment.rows.iter().map(row));
        if assessment.rows.is_empty() {
            writeln!(
                out,
                "no source matches a pod or address: no flow to explain"
            )?;
        } else {
            output::columns(out, &table)?;
            if assessment.rows_total > assessment.rows.len() {
                writeln!(
                    out,
                    "(the first {} of {} requested flows; all were checked)",
                    assessment.rows.len(),
                    assessment.rows_total
                )?;
            }
        }
    }
    writeln!(out)?;
    for pod in &assessment.newly_isolated {
        writeln!(
            out,
            "isolates: pod {pod} accepts all ingress today; with the grant only what policies allow"
        )?;
    }
    for side in &assessment.sources {
        if !side.isolated.is_empty() {
            writeln!(
                out,
                "egress: {} isolated for egress in {}: the grant adds an egress policy there",
                plural(side.isolated.len(), "source pod is", "source pods are"),
                side.namespace
            )?;
        }
    }
    for line in &assessment.empty {
        writeln!(out, "warning: {line}")?;
    }
    for np in &assessment.policies {
        writeln!(
            out,
            "writes: networkpolicy {}/{}",
            np.metadata.namespace.as_deref().unwrap_or_default(),
            np.metadata.name.as_deref().unwrap_or_default()
        )?;
    }
    if assessment.cut.is_empty() && assessment.extra.is_empty() {
        writeln!(
            out,
            "changes: only the flows above (checked: nothing else opens or closes among the pods read)"
        )?;
    } else {
        writeln!(
            out,
            "changes: {} flow(s) closed and {} unrequested flow(s) opened besides the ones above",
            assessment.cut_total, assessment.extra_total
        )?;
    }
    Ok(())
}

fn row(row: &Row) -> Vec<String> {
    let from = match &row.cidr {
        Some(cidr) => format!("{} ({cidr})", row.flow.source),
        None => row.flow.source.to_string(),
    };
    vec![
        from,
        row.flow.destination.to_string(),
        format!("{}/{}", row.flow.port, row.flow.protocol.as_str()),
        allowed(&row.before).to_string(),
        allowed(&row.after).to_string(),
        decided(&row.after),
    ]
}

fn allowed(verdict: &Verdict) -> &'static str {
    if verdict.is_allowed() {
        "allowed"
    } else {
        "denied"
    }
}

/// "ingress: team-a/jit-x rule 0; egress: not isolated".
fn decided(verdict: &Verdict) -> String {
    format!(
        "ingress: {}; egress: {}",
        side(&verdict.ingress),
        side(&verdict.egress)
    )
}

fn side(side: &Side) -> String {
    match side {
        Side::External => "outside the cluster".to_string(),
        Side::Loopback => "same pod".to_string(),
        Side::NotIsolated => "not isolated".to_string(),
        Side::Isolated {
            policies,
            allowed_by,
        } if allowed_by.is_empty() => {
            let names: Vec<String> = policies.iter().map(ToString::to_string).collect();
            format!("no rule of {}", names.join(", "))
        }
        Side::Isolated { allowed_by, .. } => {
            let rules: Vec<String> = allowed_by
                .iter()
                .map(|r| format!("{} {} rule {}", r.policy, r.direction, r.index))
                .collect();
            rules.join(", ")
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
