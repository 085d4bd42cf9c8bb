//! Exit codes: part of jit's interface. Scripts and cron wrappers branch on them, so each
//! one is documented in the README and tested; never renumber one.
//!
//! `jit log verify` exits with its verdict's own code (`audit::Verdict::exit_code`), passed
//! through [`Exit::Passed`]: 10 tampered, 11 truncated or rolled back, 12 torn tail, 13
//! unverified. Those numbers are as stable as the ones below.

use std::fmt;

/// Why jit stopped. The numbers are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Success,
    /// An API, network or I/O error: the request may be fine, the world was not.
    Failure,
    /// The invocation is wrong (a flag, the configuration, a namespace or Service that does
    /// not exist): nothing was written. Also clap's own code for usage errors.
    Usage,
    /// The API server refused: not authenticated, or not authorized (RBAC).
    Denied,
    /// An active grant already opens this path; nothing new was written.
    Exists,
    /// Some grants that should have been removed (expired, or asked to be revoked) could
    /// not be: the access may still be open. Cron must notice this one.
    Incomplete,
    /// `jit reap --check`: a grant is overdue by more than the grace period, so the reaper
    /// is not running (or not succeeding).
    Overdue,
    /// What was asked was done, but its audit log entries could not be written: they were
    /// printed to stderr instead (as JSON lines) so they are not lost.
    Unlogged,
    /// The grant would change more than the requested path (it would isolate pods and cut
    /// their other traffic), or its effect could not be checked: nothing was written.
    Unsafe,
    /// `jit grant -- COMMAND`: the command's own exit code, passed on; or, for a session
    /// ended by a signal, 128 + the signal's number (the shell's convention). `jit log
    /// verify`: its verdict's code, 10 tampered, 11 truncated, 12 torn tail, 13 unverified.
    Passed(u8),
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Denied => 3,
            Exit::Exists => 4,
            Exit::Incomplete => 5,
            Exit::Overdue => 6,
            Exit::Unlogged => 7,
            Exit::Unsafe => 8,
            Exit::Passed(code) => code,
        }
    }
}

/// An error that knows its exit code and, where one helps, a hint to fix it.
///
/// Commands return `anyhow::Error`; `main` looks for this type in the chain to pick the
/// exit code and print the hint. Errors without it exit with [`Exit::Failure`].
#[derive(Debug)]
pub struct JitError {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl JitError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        JitError {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JitError {}

/// An error and its causes on one line, like `{:#}`, but a cause whose text the line already
/// ends with is left out: some errors (kube's among them) repeat their source in their own
/// message, which would print it twice.
pub fn describe(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

/// The exit code and hint for any error: the first [`JitError`] in the chain decides;
/// an API refusal (401/403) anywhere in the chain means [`Exit::Denied`].
pub fn classify(err: &anyhow::Error) -> (Exit, Option<&str>) {
    for cause in err.chain() {
        if let Some(jit) = cause.downcast_ref::<JitError>() {
            return (jit.exit, jit.hint.as_deref());
        }
        if let Some(api) = cause.downcast_ref::<crate::cluster::ApiError>()
            && matches!(api.code, 401 | 403)
        {
            return (Exit::Denied, None);
        }
        if cause.is::<crate::cluster::Unreachable>() {
            return (
                Exit::Failure,
                Some(
                    "check the server address in the kubeconfig, and the network, VPN or proxy in between",
                ),
            );
        }
    }
    (Exit::Failure, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn codes_are_stable() {
        let codes: Vec<u8> = [
            Exit::Success,
            Exit::Failure,
            Exit::Usage,
            Exit::Denied,
            Exit::Exists,
            Exit::Incomplete,
            Exit::Overdue,
            Exit::Unlogged,
            Exit::Unsafe,
            Exit::Passed(42),
        ]
        .iter()
        .map(|e| e.code())
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 42]);
    }

    #[test]
    fn the_innermost_jit_error_decides_even_under_context() {
        let err = anyhow::Error::new(JitError::usage("--port: bad").with_hint("use 5432"))
            .context("networkpolicy team-a/jit-abc");
        assert_eq!(classify(&err), (Exit::Usage, Some("use 5432")));
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::other("No such file or directory (os error 2)");
        let err = anyhow::Error::new(io)
            .context("failed to read kubeconfig: No such file or directory (os error 2)")
            .context("reading the kubeconfig");
        assert_eq!(
            describe(&err),
            "reading the kubeconfig: failed to read kubeconfig: No such file or directory (os error 2)"
        );
        assert_eq!(format!("{err:#}").matches("os error 2").count(), 2);
    }

    #[test]
    fn plain_errors_are_failures() {
        let err: anyhow::Error = Err::<(), _>(std::io::Error::other("disk"))
            .context("writing")
            .unwrap_err();
        assert_eq!(classify(&err), (Exit::Failure, None));
    }

    #[test]
    fn api_refusals_are_denied() {
        let err = anyhow::Error::new(crate::cluster::ApiError {
            code: 403,
            reason: "Forbidden".into(),
            message: "nope".into(),
            retry_after: None,
        })
        .context("networkpolicy team-b/jit-x");
        assert_eq!(classify(&err).0, Exit::Denied);
    }
}
