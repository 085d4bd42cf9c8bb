//! Shell completions and man pages, generated from the clap definition so they can never
//! drift from the real flags. The copies in `completions/` and `man/` are committed for
//! packagers; a test fails when they are stale (`JIT_REGENERATE=1` rewrites them).

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The shells completions are committed for, and the file name each one expects.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "jit.bash"),
    (Shell::Zsh, "_jit"),
    (Shell::Fish, "jit.fish"),
    (Shell::PowerShell, "_jit.ps1"),
    (Shell::Elvish, "jit.elv"),
];

pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "jit", &mut out);
    out
}

/// `jit.1` and one page per subcommand at every depth (`jit-grant.1`, `jit-log-init.1`, …),
/// as (file name, roff) pairs: the SEE ALSO lines clap_mangen writes name exactly these.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    // `jit help` works, but a man page for it (and one per `jit help SUBCOMMAND`) would only
    // repeat these pages.
    let mut command = without_help_subcommands(Cli::command());
    command.build();
    let mut pages = vec![("jit.1".to_string(), render(&command)?)];
    add_subcommand_pages(&command, "jit", &mut pages)?;
    Ok(pages)
}

fn add_subcommand_pages(
    parent: &clap::Command,
    prefix: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    for sub in parent.get_subcommands() {
        let name = format!("{prefix}-{}", sub.get_name());
        let page = sub.clone().name(name.clone()).display_name(name.clone());
        pages.push((format!("{name}.1"), render(&page)?));
        add_subcommand_pages(sub, &name, pages)?;
    }
    Ok(())
}

fn without_help_subcommands(command: clap::Command) -> clap::Command {
    command
        .disable_help_subcommand(true)
        .mut_subcommands(without_help_subcommands)
}

fn render(command: &clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    Ok(out)
}
