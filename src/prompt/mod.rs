//! The questions `jit grant` and `jit revoke` ask when something they need was not given
//! and a person is at the terminal (`interact::can_prompt`). Off a terminal nothing here
//! runs: the commands fail naming the flags instead.
//!
//! The prompts render on stderr, so stdout carries only the result (`-o yaml` stays clean).
//! What is offered is built by the pure functions in [`choices`]; what is answered goes
//! through the same checks as the flags.

pub mod choices;
pub mod grant;
pub mod revoke;

use std::io;

use anyhow::Result;
use dialoguer::console::Term;

use crate::exit::JitError;

fn term() -> Term {
    Term::stderr()
}

/// Escape, `q` or Ctrl-C at a question: stop, having changed nothing.
fn answered<T>(answer: dialoguer::Result<Option<T>>, nothing: &str) -> Result<T> {
    let cancelled = || -> anyhow::Error {
        // dialoguer hides the cursor while a list is shown.
        let _ = term().show_cursor();
        JitError::usage(format!("cancelled; {nothing}")).into()
    };
    match answer {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(cancelled()),
        Err(dialoguer::Error::IO(err)) if err.kind() == io::ErrorKind::Interrupted => {
            Err(cancelled())
        }
        Err(err) => Err(err.into()),
    }
}

/// One of `items`; `default` is preselected.
fn select(prompt: &str, items: &[String], default: usize, nothing: &str) -> Result<usize> {
    let answer = dialoguer::Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact_on_opt(&term());
    answered(answer, nothing)
}

/// At least one of `items` (space picks, enter is done); `checked` are preselected.
fn multi_select(
    prompt: &str,
    items: &[String],
    checked: &[bool],
    nothing: &str,
) -> Result<Vec<usize>> {
    loop {
        let answer = dialoguer::MultiSelect::new()
            .with_prompt(format!("{prompt} (space picks, enter is done)"))
            .items(items)
            .defaults(checked)
            .interact_on_opt(&term());
        let picked = answered(answer, nothing)?;
        if !picked.is_empty() {
            return Ok(picked);
        }
        term().write_line("  pick at least one with space, then press enter (esc cancels)")?;
    }
}

/// A line of text that `valid` accepts (it explains why not, and the question stays).
fn input(
    prompt: &str,
    initial: Option<&str>,
    valid: impl FnMut(&String) -> Result<(), String>,
    nothing: &str,
) -> Result<String> {
    let mut question = dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .validate_with(valid);
    if let Some(initial) = initial {
        question = question.with_initial_text(initial);
    }
    answered(question.interact_text_on(&term()).map(Some), nothing)
}
