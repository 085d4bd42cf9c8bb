//! The `jit` binary: parse, run, turn the outcome into an exit code.

use std::io::Write;
use std::process::ExitCode;

use jit::cli::Cli;
use jit::exit::{self, Exit};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    // One thread: jit is I/O bound, and its concurrent requests need no more.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut stdout = std::io::stdout().lock();
    let result = runtime.block_on(jit::run(cli, &mut stdout));
    // Everything that matters is done when `run` returns (audit entries are synced before
    // it does). A signing key still loading for a command that failed early must not hold
    // up the exit: dropping the runtime would wait for it.
    runtime.shutdown_background();
    let result = result.and_then(|exit| {
        stdout.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let (exit, hint) = exit::classify(&err);
            eprintln!("jit: {}", exit::describe(&err));
            if let Some(hint) = hint {
                eprintln!("hint: {hint}");
            }
            debug_assert_ne!(exit, Exit::Success);
            ExitCode::from(exit.code())
        }
    }
}

/// `jit … | head` closing the pipe early is not an error (as in ripgrep).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
