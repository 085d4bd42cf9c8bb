//! The configuration file through the real binary: `jit config show`, errors that name the
//! file, line and key (exit 2), and `audit.key_store` as `jit log init`'s default store.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::harness::{Jit, Run};

fn config_path(jit: &Jit) -> PathBuf {
    jit.home().join(".config/jit/config.yaml")
}

/// The table under the headline, split into its columns (two spaces or more apart).
fn table(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .skip(1)
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|column| !column.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn headline(run: &Run) -> &str {
    run.stdout.lines().next().unwrap_or_default()
}

#[test]
fn show_without_a_file_lists_the_defaults() {
    let jit = Jit::new();
    let run = jit.run(&["config", "show"]);
    run.success();
    assert_eq!(
        headline(&run),
        format!(
            "no configuration file ({} does not exist): the defaults",
            config_path(&jit).display()
        )
    );
    let state = jit.state_dir().display().to_string();
    assert_eq!(
        table(&run.stdout),
        [
            ["max_ttl", "8h", "default"],
            ["max_lifetime", "1day", "default"],
            ["default_ttl", "none (--ttl is required)", "default"],
            ["opportunistic_reap", "true", "default"],
            ["reason.required", "true", "default"],
            ["reason.pattern", "none (any reason)", "default"],
            ["audit.dir", &state, "default"],
            ["audit.key_store", "keyring", "default"],
        ]
    );
    // Aligned: every source starts in the same column.
    let columns: Vec<usize> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.rfind("default").unwrap())
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn show_gives_the_line_each_value_came_from_and_the_environment() {
    let jit = Jit::new()
        .config(
            "# team limits\nmax_ttl: 2h\ndefault_ttl: 30m\nreason:\n  pattern: '^INC-[0-9]+'\n\
             audit:\n  dir: /var/lib/jit/audit\n",
        )
        .env("JIT_AUDIT_DIR", "/srv/audit");
    let run = jit.run(&["config", "show"]);
    run.success();
    let file = config_path(&jit).display().to_string();
    assert_eq!(headline(&run), format!("configuration file {file}"));
    let at = |line: u32| format!("file {file}:{line}");
    assert_eq!(
        table(&run.stdout),
        [
            ["max_ttl", "2h", &at(2)],
            ["max_lifetime", "1day", "default"],
            ["default_ttl", "30m", &at(3)],
            ["opportunistic_reap", "true", "default"],
            ["reason.required", "true", "default"],
            ["reason.pattern", "^INC-[0-9]+", &at(5)],
            // JIT_AUDIT_DIR wins over audit.dir on line 7.
            ["audit.dir", "/srv/audit", "env JIT_AUDIT_DIR"],
            ["audit.key_store", "keyring", "default"],
        ]
    );

    let run = Jit::new()
        .config("audit:\n  dir: /var/lib/jit/audit\n")
        .run(&["config", "show"]);
    run.success();
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("  audit.dir ")
                && line.contains("/var/lib/jit/audit")
                && line.ends_with("config.yaml:2")),
        "{}",
        run.stdout
    );
}

#[test]
fn show_json_is_one_object() {
    let jit = Jit::new()
        .config("max_ttl: 2h\nopportunistic_reap: false\n")
        .env("JIT_AUDIT_DIR", "/srv/audit");
    let run = jit.run(&["config", "show", "-o", "json"]);
    run.success();
    let report: Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    let file = config_path(&jit).display().to_string();
    assert_eq!(
        report["file"],
        json!({ "path": file, "read": true, "from": "default" })
    );
    let settings = &report["settings"];
    assert_eq!(
        settings["max_ttl"],
        json!({ "value": "2h", "source": "file", "path": file, "line": 1 })
    );
    assert_eq!(
        settings["opportunistic_reap"],
        json!({ "value": false, "source": "file", "path": file, "line": 2 })
    );
    assert_eq!(
        settings["default_ttl"],
        json!({ "value": null, "source": "default" })
    );
    assert_eq!(
        settings["audit.dir"],
        json!({ "value": "/srv/audit", "source": "env", "var": "JIT_AUDIT_DIR" })
    );
    assert_eq!(settings.as_object().unwrap().len(), 8);

    let run = Jit::new().run(&["config", "show", "-o", "json"]);
    run.success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["file"]["read"], false);
    assert_eq!(report["settings"]["max_ttl"]["source"], "default");
}

#[test]
fn an_explicit_file_says_how_it_was_chosen() {
    let jit = Jit::new();
    let path = jit.home().join("team.yaml");
    std::fs::write(&path, "max_ttl: 1h\n").unwrap();
    let path = path.to_str().unwrap();

    let run = jit.run(&["config", "show", "--config", path]);
    run.success();
    assert_eq!(
        headline(&run),
        format!("configuration file {path} (from --config)")
    );
    assert_eq!(
        table(&run.stdout)[0],
        ["max_ttl", "1h", &format!("file {path}:1")]
    );

    let run = Jit::new().env("JIT_CONFIG", path).run(&["config", "show"]);
    run.success();
    assert_eq!(
        headline(&run),
        format!("configuration file {path} (from JIT_CONFIG)")
    );

    let missing = jit.home().join("missing.yaml");
    let run = jit.run(&["config", "show", "--config", missing.to_str().unwrap()]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        format!(
            "jit: configuration {}: no such file\nhint: check --config and JIT_CONFIG; \
             without them, jit reads $XDG_CONFIG_HOME/jit/config.yaml when it exists\n",
            missing.display()
        )
    );
}

#[test]
fn errors_name_the_file_line_and_key() {
    let cases = [
        (
            "max_lifetime: 24h\n\nmax_ttl: 8 hourz\n",
            ":3: max_ttl: \"8 hourz\" is not a duration like 90s, 30m or 2h",
        ),
        (
            "reason:\n  required: perhaps\n",
            ":2: reason.required: expected true or false",
        ),
        (
            "reason:\n  required: true\n  pattern: '^(INC'\n",
            ":3: reason.pattern: \"^(INC\" is not a regular expression: unclosed group",
        ),
        (
            "max_lifetime: 12h\nmax_ttl: 16h\n",
            ":2: max_ttl: 16h is longer than max_lifetime 12h (line 1)\nhint: lower max_ttl, or \
             raise max_lifetime (no grant outlives it, extensions included)",
        ),
        (
            "max_ttl: 1h\ndefault_ttl: 2h\n",
            ":2: default_ttl: 2h is longer than max_ttl 1h (line 1)",
        ),
        (
            "audit:\n  dir: /var/lib/jit\n  key: x\n",
            ":3: unknown key \"audit.key\" (known: audit.dir, audit.key_store)",
        ),
        (
            "audit:\n  key_store: file:keys/alice\n",
            ":2: audit.key_store: key store \"file:keys/alice\": give an absolute path (cron \
             and systemd run jit from another directory), as in `file:/etc/jit/reaper.key`",
        ),
    ];
    for (text, message) in cases {
        let jit = Jit::new().config(text);
        let run = jit.run(&["config", "show"]);
        run.expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "jit: configuration {}{message}\n",
                config_path(&jit).display()
            ),
            "{text:?}"
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn an_unknown_key_is_an_error_for_every_command_with_a_suggestion() {
    let jit = Jit::new().config("max_ttl: 2h\n\n# typo below\nmax_tll: 4h\n");
    for args in [&["config", "show"][..], &["log", "show"]] {
        let run = jit.run(args);
        run.expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "jit: configuration {}:4: unknown key \"max_tll\" (known: max_ttl, max_lifetime, \
                 default_ttl, opportunistic_reap, reason, audit)\nhint: did you mean max_ttl?\n",
                config_path(&jit).display()
            )
        );
    }
}

#[test]
fn log_init_keeps_the_person_key_in_the_configured_store() {
    let jit = Jit::new();
    let key = jit.home().join("alice.key");
    let store = format!("file:{}", key.display());
    let jit = jit.config(&format!("audit:\n  key_store: {store}\n"));

    let run = jit.run(&["config", "show"]);
    run.success();
    assert_eq!(
        table(&run.stdout)[7],
        [
            "audit.key_store",
            &store,
            &format!("file {}:2", config_path(&jit).display())
        ]
    );

    // No --store: the configured one.
    let run = jit.run(&["log", "init", "--name", "alice@test"]);
    run.success();
    assert!(
        run.stdout
            .lines()
            .any(|line| line == format!("  store    {store}")),
        "{}",
        run.stdout
    );
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let setup: Value =
        serde_json::from_str(&std::fs::read_to_string(jit.state_dir().join("keys.json")).unwrap())
            .unwrap();
    assert_eq!(setup["keys"][0]["store"], store.as_str());

    // The reaper's store is still chosen explicitly: one file holds one key.
    let run = jit.run(&["log", "init", "--reaper"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--store"), "{}", run.stderr);

    // --store still wins over the configuration.
    let other = jit.home().join("other.key");
    let run = jit.run(&[
        "log",
        "init",
        "--rotate",
        "--name",
        "alice@test-2",
        "--store",
        &format!("file:{}", other.display()),
    ]);
    run.success();
    assert!(other.exists());
}
