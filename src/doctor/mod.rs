//! `jit doctor`'s checks as values: each verdict judged from facts gathered elsewhere
//! (`commands::doctor` asks the cluster and reads the audit log), and how a list of them
//! is printed. Nothing here does I/O, so every verdict is unit-tested.
//!
//! - [`access`]: which permissions grant, revoke and reap need, and what is missing;
//! - [`plugin`]: whether a network plugin that enforces NetworkPolicy runs in the cluster;
//! - [`local`]: the signing key, the audit log's verdict and the last reap it records.

pub mod access;
pub mod local;
pub mod plugin;

use std::io::{self, Write};

use serde::Serialize;

/// A check's verdict. Only [`Status::Fail`] makes `jit doctor` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Works, but something is off or could not be confirmed.
    Warn,
    /// This is why something does not work.
    Fail,
    /// Not checked: an earlier check failed, or the answer could not be had.
    Skip,
}

impl Status {
    /// The first column of the text output: failures stand out.
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
        }
    }
}

/// One line of the report (and one object of `-o json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    /// How to fix it (printed as a `fix:` line).
    pub hint: Option<String>,
}

impl Check {
    pub fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
        Check {
            name,
            status,
            detail: detail.into(),
            hint: None,
        }
    }

    pub fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Ok, detail)
    }

    pub fn warn(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Warn, detail)
    }

    pub fn fail(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Fail, detail)
    }

    pub fn skip(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Skip, detail)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Check {
        self.hint = Some(hint.into());
        self
    }
}

/// The names of the checks, in the order they are printed.
pub mod names {
    pub const KUBECONFIG: &str = "kubeconfig";
    pub const API_SERVER: &str = "api server";
    pub const IDENTITY: &str = "identity";
    pub const MAY_GRANT: &str = "may grant";
    pub const MAY_REVOKE: &str = "may revoke";
    pub const MAY_REAP: &str = "may reap";
    pub const NETWORK_PLUGIN: &str = "network plugin";
    pub const SIGNING_KEY: &str = "signing key";
    pub const AUDIT_LOG: &str = "audit log";
    pub const LAST_REAP: &str = "last reap";
}

/// Whether any check failed: what decides the exit code.
pub fn failed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.status == Status::Fail)
}

/// One line per check, `STATUS  NAME  DETAIL`, and a `fix:` line under it when there is a
/// hint.
pub fn write_text(out: &mut dyn Write, checks: &[Check]) -> io::Result<()> {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for check in checks {
        writeln!(
            out,
            "{:<6}{:<width$}  {}",
            check.status.label(),
            check.name,
            one_line(&check.detail)
        )?;
        if let Some(hint) = &check.hint {
            writeln!(out, "{:<6}fix: {}", "", one_line(hint))?;
        }
    }
    Ok(())
}

/// `{"checks": [{"name", "status", "detail", "hint"}, …]}`.
pub fn to_json(checks: &[Check]) -> serde_json::Value {
    serde_json::json!({ "checks": checks })
}

/// Details quote server messages and file contents: keep each check on its line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_one_aligned_line_per_check_with_fix_lines() {
        let checks = [
            Check::ok(names::KUBECONFIG, "/home/a/.kube/config, context dev"),
            Check::fail(names::API_SERVER, "cannot reach https://x:6443\n(refused)")
                .hint("check the network"),
            Check::skip(names::IDENTITY, "the API server did not answer"),
        ];
        let mut out = Vec::new();
        write_text(&mut out, &checks).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ok    kubeconfig  /home/a/.kube/config, context dev\n\
             FAIL  api server  cannot reach https://x:6443 (refused)\n\
             \x20     fix: check the network\n\
             skip  identity    the API server did not answer\n"
        );
        assert!(failed(&checks));
        assert!(!failed(&checks[..1]));
        assert!(!failed(&[Check::warn(names::LAST_REAP, "never")]));
    }

    #[test]
    fn json_has_every_field_and_lowercase_statuses() {
        let json = to_json(&[
            Check::warn(names::LAST_REAP, "never").hint("jit reap --check"),
            Check::ok(names::IDENTITY, "alice"),
        ]);
        assert_eq!(
            json,
            serde_json::json!({"checks": [
                {"name": "last reap", "status": "warn", "detail": "never", "hint": "jit reap --check"},
                {"name": "identity", "status": "ok", "detail": "alice", "hint": null},
            ]})
        );
    }
}
