//! `completions/` and `man/` are generated from the clap definition and committed. This
//! test fails, with a diff, when they are stale; `JIT_REGENERATE=1 cargo test --test it
//! generated` rewrites them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::harness::Jit;

fn expected_files() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(PathBuf, Vec<u8>)> = jit::generate::SHELLS
        .iter()
        .map(|(shell, name)| {
            (
                root.join("completions").join(name),
                jit::generate::completions(*shell),
            )
        })
        .collect();
    for (name, page) in jit::generate::man_pages().expect("man pages render") {
        files.push((root.join("man").join(name), page));
    }
    files
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let files = expected_files();
    if std::env::var_os("JIT_REGENERATE").is_some() {
        for dir in ["completions", "man"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (path, content) in &files {
            std::fs::write(path, content).unwrap();
        }
        eprintln!("rewrote {} generated files", files.len());
        return;
    }

    let mut stale = Vec::new();
    for (path, expected) in &files {
        match std::fs::read(path) {
            Ok(actual) if &actual == expected => {}
            Ok(actual) => stale.push(format!(
                "{} differs:\n{}",
                path.display(),
                first_difference(
                    &String::from_utf8_lossy(expected),
                    &String::from_utf8_lossy(&actual)
                )
            )),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    // A file no longer generated (a removed subcommand's page) is stale too.
    let wanted: BTreeSet<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    for dir in ["completions", "man"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if !wanted.contains(entry.path().as_path()) {
                stale.push(format!("{} is no longer generated", entry.path().display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale:\n{}\n\nrefresh them with: JIT_REGENERATE=1 cargo test --test it generated",
        stale.join("\n")
    );
}

/// The first differing line, with a little context, as `-committed` / `+generated`.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    format!(
        "  line {}:\n  -{}\n  +{}",
        at + 1,
        a.get(at).unwrap_or(&"<end of file>"),
        e.get(at).unwrap_or(&"<end of file>")
    )
}

#[test]
fn the_binary_prints_the_committed_completions() {
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/jit.bash"))
            .expect("completions/jit.bash is committed");
    let run = Jit::new().run(&["completions", "bash"]);
    run.success();
    assert_eq!(run.stdout, committed);
    assert!(
        run.stdout.contains("--to-service"),
        "bash completion knows grant's flags"
    );
}

#[test]
fn there_is_a_man_page_per_subcommand_and_every_reference_has_its_page() {
    let pages = jit::generate::man_pages().unwrap();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "jit.1",
        "jit-grant.1",
        "jit-list.1",
        "jit-revoke.1",
        "jit-extend.1",
        "jit-reap.1",
        "jit-reaper.1",
        "jit-reaper-manifest.1",
        "jit-reaper-systemd.1",
        "jit-reaper-crontab.1",
        "jit-log.1",
        "jit-log-init.1",
        "jit-log-show.1",
        "jit-log-verify.1",
        "jit-log-keys.1",
        "jit-log-anchor.1",
        "jit-completions.1",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    // SEE ALSO names pages as `jit\-log\-init(1)`: each must be one that exists.
    for (name, page) in &pages {
        let page = String::from_utf8_lossy(page);
        for reference in page.split_whitespace().filter(|w| w.starts_with("jit\\-")) {
            let Some(stem) = reference
                .split("(1)")
                .next()
                .filter(|_| reference.contains("(1)"))
            else {
                continue;
            };
            let file = format!("{}.1", stem.replace("\\-", "-"));
            assert!(
                names.contains(&file.as_str()),
                "{name} refers to {file}, which is not generated"
            );
        }
    }
    let grant = &pages[1].1;
    let grant = String::from_utf8_lossy(grant);
    assert!(grant.contains("jit\\-grant"), "{grant}");
    assert!(grant.contains("\\-\\-reason"), "{grant}");
}

/// `man -l man/jit.1` renders every page as a person would read it: no troff warnings, the
/// name line, and each subcommand's page its own name and synopsis.
#[test]
fn every_man_page_renders_with_man() {
    let Ok(status) = std::process::Command::new("man").arg("--version").output() else {
        assert!(
            std::env::var_os("JIT_REQUIRE_MAN").is_none(),
            "JIT_REQUIRE_MAN is set but man is not on PATH"
        );
        eprintln!("skipped every_man_page_renders_with_man: man is not on PATH");
        return;
    };
    assert!(status.status.success());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    pages.sort();
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let out = std::process::Command::new("man")
            .args(["-P", "cat", "-l"])
            .arg(&page)
            .env("MANWIDTH", "80")
            // groff reports problems only when asked to.
            .env("MANROFFOPT", "-ww")
            .output()
            .unwrap();
        // Justified text: compare with runs of spaces collapsed.
        let text = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", page.display());
        assert!(stderr.trim().is_empty(), "{}: {stderr}", page.display());
        let stem = page.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            text.contains("NAME") && text.contains(&format!("{stem} - ")),
            "{}:\n{text}",
            page.display()
        );
        assert!(text.contains("SYNOPSIS"), "{}:\n{text}", page.display());
    }
}
