//! The binary as a kubectl plugin: installed as `kubectl-jit`, `kubectl jit …` runs it (the
//! convention krew follows), and its help speaks of `kubectl jit`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::binary;

/// A directory holding the binary under the plugin's name (a symlink, as `ln -s` installs it).
fn plugin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(binary(), dir.path().join("kubectl-jit")).unwrap();
    dir
}

fn on_path(dir: &Path) -> String {
    let rest = std::env::var("PATH").unwrap_or_default();
    format!("{}:{rest}", dir.display())
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

#[test]
fn started_as_kubectl_jit_the_help_says_kubectl_jit() {
    let dir = plugin_dir();
    let out = Command::new(dir.path().join("kubectl-jit"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Usage: kubectl jit [OPTIONS] <COMMAND>"),
        "{help}"
    );

    // Under its own name nothing changes.
    let out = Command::new(binary()).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Usage: jit [OPTIONS] <COMMAND>"), "{help}");
}

#[test]
fn kubectl_runs_jit_as_a_plugin() {
    let Some(kubectl) = find_in_path("kubectl") else {
        assert!(
            std::env::var_os("JIT_REQUIRE_KUBECTL").is_none(),
            "JIT_REQUIRE_KUBECTL is set but kubectl is not on PATH"
        );
        eprintln!("skipped kubectl_runs_jit_as_a_plugin: kubectl is not on PATH");
        return;
    };
    let dir = plugin_dir();
    let home = tempfile::tempdir().unwrap();
    let kubectl = |args: &[&str]| {
        Command::new(&kubectl)
            .args(args)
            .env("PATH", on_path(dir.path()))
            .env("HOME", home.path())
            .env("KUBECONFIG", home.path().join("no-such-kubeconfig"))
            .output()
            .unwrap()
    };
    let out = kubectl(&["jit", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{help}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        help.contains("Usage: kubectl jit [OPTIONS] <COMMAND>"),
        "{help}"
    );

    // A real command through kubectl: the client dry run needs no cluster.
    let out = kubectl(&[
        "jit",
        "grant",
        "-n",
        "team-a",
        "--to",
        "app=db",
        "--from",
        "app=debug",
        "--port",
        "5432",
        "--ttl",
        "30m",
        "--reason",
        "INC-1",
        "--dry-run",
        "-o",
        "name",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("networkpolicy.networking.k8s.io/jit-"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Exit codes pass through kubectl: a usage error is still 2.
    let out = kubectl(&["jit", "grant", "--to", "app=db"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
