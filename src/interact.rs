//! Asking the person at the keyboard, and never anyone else: without a terminal on both
//! stdin and stderr (cron, CI, a pipe) jit does not prompt, it fails and says which flag
//! to pass.

use std::io::IsTerminal;

use anyhow::Result;

use crate::exit::JitError;

/// True when a person can answer a prompt.
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks `question` (default: no). `--yes` answers for the person; without a terminal and
/// without `--yes` this is a usage error naming `--yes`.
pub fn confirm(question: &str, why: &[String], yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !can_prompt() {
        return Err(
            JitError::usage(format!("{question} needs confirmation: {}", why.join("; ")))
                .with_hint("not on a terminal, so jit will not ask: pass --yes to confirm")
                .into(),
        );
    }
    for line in why {
        eprintln!("  ! {line}");
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact_on(&dialoguer::console::Term::stderr())?)
}
