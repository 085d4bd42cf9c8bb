//! The audit log's signing-key stores against the real things: the Secret Service on the D-Bus
//! session bus (gnome-keyring in CI) and the kernel's keyutils.
//!
//! Where one is missing the test says `skipped: …` and passes, so `cargo test` works on any
//! machine; CI sets `JIT_REQUIRE_SECRET_SERVICE=1` and `JIT_REQUIRE_KEYUTILS=1`, which turn a
//! skip into a failure there. A few tests run a copy of this binary as a child process (the
//! `child_*` tests, ignored unless a parent starts them), so a child can have its own
//! environment (a dead or silent D-Bus address) or its own kernel session keyring (as cron and
//! systemd do) without touching the other tests of this process.
#![cfg(target_os = "linux")]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jit::audit::keys::{self, KeyStore};
use jit::audit::{KeyRole, Signer};

const CHILD_VAR: &str = "JIT_KEYSTORE_CHILD";
const CHILD_NAME_VAR: &str = "JIT_KEYSTORE_CHILD_NAME";

/// A key name no other run, parallel or earlier, uses.
fn unique_name(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("jit-it-{test}-{}-{nanos}", std::process::id())
}

/// Removes the keys a test made when it ends, passed or failed, so no run leaves keys behind in
/// the user's real keyrings.
struct Cleanup(KeyStore, Vec<(KeyRole, String)>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for (role, name) in &self.1 {
            let _ = keys::delete(&self.0, *role, name);
        }
    }
}

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|value| value == "1")
}

/// Why the Secret Service cannot be used here, if it cannot.
fn secret_service_missing() -> Option<String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Some("DBUS_SESSION_BUS_ADDRESS is not set".to_string());
    }
    // Asked directly, not through jit: a test that only saw jit's error could not tell "no
    // Secret Service here" (skip) from "jit is broken" (fail). On a thread of its own, bounded,
    // so a stuck bus skips (or fails) the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let owned = zbus::blocking::Connection::session()
            .and_then(|bus| zbus::blocking::fdo::DBusProxy::new(&bus))
            .and_then(|dbus| {
                let name = zbus::names::BusName::try_from("org.freedesktop.secrets")?;
                dbus.name_has_owner(name).map_err(Into::into)
            });
        let _ = tx.send(owned);
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some("nobody owns org.freedesktop.secrets on the session bus".to_string()),
        Ok(Err(err)) => Some(format!("the session bus does not answer: {err}")),
        Err(_) => Some("the session bus did not answer within 10s".to_string()),
    }
}

/// `true` when the Secret Service tests can run; otherwise says skipped, or fails in CI.
pub(crate) fn secret_service_here(test: &str) -> bool {
    let Some(why) = secret_service_missing() else {
        return true;
    };
    assert!(
        !required("JIT_REQUIRE_SECRET_SERVICE"),
        "{test}: JIT_REQUIRE_SECRET_SERVICE=1 but {why}"
    );
    eprintln!(
        "{test} skipped: no Secret Service (run under dbus-run-session with gnome-keyring, see \
         .ci/run): {why}"
    );
    false
}

/// Why keyutils cannot be used here, if it cannot: the kernel (or a container's seccomp
/// profile) may refuse keyctl, or have no persistent keyrings.
fn keyutils_missing() -> Option<String> {
    const KEYCTL_GET_PERSISTENT: libc::c_long = 22;
    const KEY_SPEC_SESSION_KEYRING: libc::c_long = -3;
    // SAFETY: keyctl(GET_PERSISTENT, uid, keyring) takes integers only; -1 is "my own uid".
    let id = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_GET_PERSISTENT,
            -1 as libc::c_long,
            KEY_SPEC_SESSION_KEYRING,
        )
    };
    if id < 0 {
        let err = std::io::Error::last_os_error();
        return Some(format!("keyctl(KEYCTL_GET_PERSISTENT) failed: {err}"));
    }
    None
}

pub(crate) fn keyutils_here(test: &str) -> bool {
    let Some(why) = keyutils_missing() else {
        return true;
    };
    assert!(
        !required("JIT_REQUIRE_KEYUTILS"),
        "{test}: JIT_REQUIRE_KEYUTILS=1 but {why}"
    );
    eprintln!("{test} skipped: keyutils is not allowed here ({why})");
    false
}

/// Runs the ignored test `child` of this binary in a child process with `envs`; returns its
/// `child:` output line.
fn run_child(child: &str, envs: &[(&str, &str)], limit: Duration) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        &format!("keystore::{child}"),
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_VAR, child)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (key, value) in envs {
        cmd.env(key, value);
    }
    let mut process = cmd.spawn().unwrap();
    let started = Instant::now();
    // Polled, so a child that hangs fails this test instead of hanging it.
    let status = loop {
        if let Some(status) = process.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            process.kill().unwrap();
            let _ = process.wait();
            panic!("{child} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stdout = String::new();
    process
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    process
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{child}: {status}\n{stdout}\n{stderr}");
    stdout
        .lines()
        // After the test harness's `test … ... ` on the same line.
        .find_map(|line| line.split_once("child: ").map(|(_, result)| result))
        .unwrap_or_else(|| panic!("{child} printed no result\n{stdout}\n{stderr}"))
        .to_string()
}

/// True in a child process started for `child`; a plain `--ignored` run skips it.
fn in_child(child: &str) -> bool {
    std::env::var(CHILD_VAR).is_ok_and(|value| value == child)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads `role`/name (from the parent's environment) and prints what came of it, with the time
/// it took in milliseconds.
fn load_and_report(store: &KeyStore, role: KeyRole) {
    let name = std::env::var(CHILD_NAME_VAR).unwrap_or_else(|_| "jit-it-child".to_string());
    let started = Instant::now();
    let result = keys::load(store, role, &name);
    let millis = started.elapsed().as_millis();
    match result {
        Ok(Some(signer)) => println!("child: some {millis} {}", hex(&signer.public_key())),
        Ok(None) => println!("child: none {millis}"),
        Err(err) => println!(
            "child: err {millis} {}",
            format!("{err:#}").replace('\n', " ")
        ),
    }
}

#[test]
#[ignore = "run by secret_service_unreachable_is_a_fast_error and the tests after it"]
fn child_load_from_keyring() {
    if in_child("child_load_from_keyring") {
        load_and_report(&KeyStore::Keyring, KeyRole::Reaper);
    }
}

#[test]
#[ignore = "run by keyutils_key_is_found_from_another_session"]
fn child_load_from_keyutils_in_new_session() {
    if !in_child("child_load_from_keyutils_in_new_session") {
        return;
    }
    // What cron and systemd services have: a session keyring of their own, not the one the
    // key was created from.
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: a null name asks the kernel for a new anonymous session keyring.
    let id = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
        )
    };
    assert!(id >= 0, "{}", std::io::Error::last_os_error());
    load_and_report(&KeyStore::Keyutils, KeyRole::Reaper);
}

#[test]
fn secret_service_round_trip() {
    if !secret_service_here("secret_service_round_trip") {
        return;
    }
    let name = unique_name("ss");
    let store = KeyStore::Keyring;
    let _cleanup = Cleanup(
        store.clone(),
        vec![
            (KeyRole::Person, name.clone()),
            (KeyRole::Reaper, name.clone()),
        ],
    );
    assert!(
        keys::load(&store, KeyRole::Person, &name)
            .unwrap()
            .is_none()
    );

    let person = keys::create(&store, KeyRole::Person, &name).unwrap();
    // The same name in the other role is another key.
    let reaper = keys::create(&store, KeyRole::Reaper, &name).unwrap();
    assert_ne!(person.public_key(), reaper.public_key());

    let loaded = keys::load(&store, KeyRole::Person, &name).unwrap().unwrap();
    assert_eq!(loaded.public_key(), person.public_key());
    assert_eq!(loaded.key_name(), name);
    assert_eq!(loaded.role(), KeyRole::Person);
    let message = b"a grant was made";
    assert_eq!(loaded.sign(message), person.sign(message));

    let err = keys::create(&store, KeyRole::Person, &name)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already holds a signing key"), "{err}");
    assert!(
        err.contains(&format!(
            "secret-tool clear service jit-audit username person:{name}"
        )),
        "{err}"
    );
    let still = keys::load(&store, KeyRole::Person, &name).unwrap().unwrap();
    assert_eq!(still.public_key(), person.public_key(), "not overwritten");

    // Another process (a later `jit grant`) finds the same key.
    let seen = run_child(
        "child_load_from_keyring",
        &[(CHILD_NAME_VAR, &name)],
        Duration::from_secs(60),
    );
    assert!(
        seen.starts_with("some ") && seen.ends_with(&hex(&reaper.public_key())),
        "{seen}"
    );

    // The removal the error message gives works, where its tool is installed.
    let cleared = Command::new("secret-tool")
        .args(["clear", "service", "jit-audit", "username"])
        .arg(format!("person:{name}"))
        .status();
    match cleared {
        Ok(status) => {
            assert!(status.success());
            assert!(
                keys::load(&store, KeyRole::Person, &name)
                    .unwrap()
                    .is_none()
            );
        }
        Err(_) => assert!(keys::delete(&store, KeyRole::Person, &name).unwrap()),
    }
    assert!(keys::delete(&store, KeyRole::Reaper, &name).unwrap());
    assert!(!keys::delete(&store, KeyRole::Reaper, &name).unwrap());
    assert!(
        keys::load(&store, KeyRole::Reaper, &name)
            .unwrap()
            .is_none()
    );
}

#[test]
fn secret_service_unreachable_is_a_fast_error() {
    // No Secret Service needed: the child is pointed at a bus that is not there.
    let dir = tempfile::tempdir().unwrap();
    let address = format!("unix:path={}", dir.path().join("no-bus").display());
    let seen = run_child(
        "child_load_from_keyring",
        &[("DBUS_SESSION_BUS_ADDRESS", &address)],
        Duration::from_secs(60),
    );
    let (millis, message) = seen
        .strip_prefix("err ")
        .and_then(|rest| rest.split_once(' '))
        .unwrap_or_else(|| panic!("not an error: {seen}"));
    assert!(millis.parse::<u64>().unwrap() < 5000, "{seen}");
    assert!(
        message.contains("key store keyring is unavailable"),
        "{seen}"
    );
    assert!(message.contains("Secret Service"), "{seen}");
    assert!(
        message.contains("keyutils"),
        "the fix names the other stores: {seen}"
    );
}

#[test]
fn secret_service_that_never_answers_times_out() {
    // A bus that accepts the connection and then says nothing, as a wedged D-Bus does: `load`
    // must give up after its timeout, so the reaper goes on revoking.
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let held = std::thread::spawn(move || {
        let mut conns = Vec::new();
        // One connection is all the child makes; keep it open, unanswered.
        if let Ok((conn, _)) = listener.accept() {
            conns.push(conn);
        }
        std::thread::sleep(Duration::from_secs(20));
        drop(conns);
    });
    let address = format!("unix:path={}", socket.display());
    let seen = run_child(
        "child_load_from_keyring",
        &[("DBUS_SESSION_BUS_ADDRESS", &address)],
        Duration::from_secs(30),
    );
    let (millis, message) = seen
        .strip_prefix("err ")
        .and_then(|rest| rest.split_once(' '))
        .unwrap_or_else(|| panic!("not an error: {seen}"));
    let millis: u64 = millis.parse().unwrap();
    let limit = keys::LOAD_TIMEOUT.as_millis() as u64;
    assert!(
        (limit..limit + 3000).contains(&millis),
        "gave up after {millis} ms: {seen}"
    );
    assert!(message.contains("did not answer within 5s"), "{seen}");
    drop(held);
}

#[test]
fn keyutils_round_trip() {
    if !keyutils_here("keyutils_round_trip") {
        return;
    }
    let name = unique_name("ku");
    let store = KeyStore::Keyutils;
    let _cleanup = Cleanup(
        store.clone(),
        vec![
            (KeyRole::Person, name.clone()),
            (KeyRole::Reaper, name.clone()),
        ],
    );
    assert!(
        keys::load(&store, KeyRole::Person, &name)
            .unwrap()
            .is_none()
    );
    let person = keys::create(&store, KeyRole::Person, &name).unwrap();
    let reaper = keys::create(&store, KeyRole::Reaper, &name).unwrap();
    assert_ne!(person.public_key(), reaper.public_key());
    let loaded = keys::load(&store, KeyRole::Person, &name).unwrap().unwrap();
    assert_eq!(loaded.public_key(), person.public_key());

    let err = keys::create(&store, KeyRole::Person, &name)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already holds a signing key"), "{err}");
    assert!(
        err.contains(&format!("keyctl purge -s user jit-audit:person:{name}")),
        "{err}"
    );

    // The removal the error message gives works, where keyctl is installed.
    let purged = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "keyctl get_persistent @s >/dev/null && keyctl purge -s user jit-audit:person:{name} \
             >/dev/null"
        ))
        .status();
    match purged {
        Ok(status) if status.success() => {}
        _ => assert!(keys::delete(&store, KeyRole::Person, &name).unwrap()),
    }
    assert!(
        keys::load(&store, KeyRole::Person, &name)
            .unwrap()
            .is_none()
    );
    assert!(keys::delete(&store, KeyRole::Reaper, &name).unwrap());
    assert!(
        keys::load(&store, KeyRole::Reaper, &name)
            .unwrap()
            .is_none()
    );
}

#[test]
fn keyutils_key_is_found_from_another_session() {
    if !keyutils_here("keyutils_key_is_found_from_another_session") {
        return;
    }
    let name = unique_name("ku-session");
    let store = KeyStore::Keyutils;
    let _cleanup = Cleanup(store.clone(), vec![(KeyRole::Reaper, name.clone())]);
    let reaper = keys::create(&store, KeyRole::Reaper, &name).unwrap();
    let seen = run_child(
        "child_load_from_keyutils_in_new_session",
        &[(CHILD_NAME_VAR, &name)],
        Duration::from_secs(60),
    );
    assert!(keys::delete(&store, KeyRole::Reaper, &name).unwrap());
    assert!(
        seen.starts_with("some ") && seen.ends_with(&hex(&reaper.public_key())),
        "{seen}"
    );
}
