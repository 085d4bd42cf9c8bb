//! Runs the real `jit` binary in a clean environment: its own HOME and XDG directories, no
//! ambient KUBECONFIG, UTC, no colour, stdin closed (so never a terminal).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::fake_api::FakeApi;

pub struct Jit {
    home: TempDir,
    env: Vec<(String, String)>,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with the whole run when the exit code is not `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        self.expect_code(0)
    }
}

impl Jit {
    /// No cluster configured at all.
    pub fn new() -> Jit {
        Jit {
            home: tempfile::tempdir().expect("temp dir"),
            env: Vec::new(),
        }
    }

    /// Talking to `api` as `user`, with the kubeconfig context's namespace `namespace`.
    pub fn against(api: &FakeApi, user: &str, namespace: Option<&str>) -> Jit {
        let jit = Jit::new();
        let kubeconfig = api.kubeconfig(jit.home.path(), user, namespace);
        jit.env("KUBECONFIG", kubeconfig.to_str().expect("utf-8 path"))
    }

    /// The HOME the binary runs with (a temporary directory of this `Jit`'s own).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Where the binary keeps its audit log unless told otherwise: `$XDG_STATE_HOME/jit`.
    pub fn state_dir(&self) -> PathBuf {
        self.home.path().join(".local/state/jit")
    }

    pub fn env(mut self, key: &str, value: &str) -> Jit {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Writes `text` as the configuration file in the default location.
    pub fn config(self, text: &str) -> Jit {
        let dir = self.home.path().join(".config/jit");
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.yaml"), text).expect("config file");
        self
    }

    /// The binary with this `Jit`'s environment (its own HOME and XDG dirs, UTC, no
    /// colour), its stdio left to the caller: tests/it/interactive.rs gives it a terminal.
    pub fn command(&self, args: &[&str]) -> Command {
        let home = self.home.path();
        let mut command = Command::new(binary());
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    }

    /// [`Jit::command`] with stdin closed, as under cron.
    fn without_terminal(&self, args: &[&str]) -> Command {
        let mut command = self.command(args);
        command.stdin(Stdio::null());
        command
    }

    /// Starts jit without waiting for it (for runs that hold a session open).
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.without_terminal(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("jit starts")
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.without_terminal(args).output().expect("jit runs");
        Run::from(output)
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jit"))
}

/// Splits a command line on spaces, keeping 'single-quoted' parts together (with '' the
/// empty argument): enough to write test invocations as people type them.
pub fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(current);
    }
    words
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(
        words("grant --to 'app in (a,b)' --reason '' -p 80"),
        ["grant", "--to", "app in (a,b)", "--reason", "", "-p", "80"]
    );
}
