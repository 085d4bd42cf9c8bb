//! `jit log init|show|verify|keys|anchor` (issue 4), through the real binary.
//!
//! Keys live in `file:` stores inside each test's HOME, so no keyring is needed. Entries are
//! written with the library from this process into the directory the binary uses, signed
//! with the key `jit log init` created (loaded from its file), as the commands would.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use jit::audit::keys::{self, KeyStore};
use jit::audit::{
    Action, Actor, AuditLog, Ed25519Signer, Event, KeyRole, ObjectRef, PublicKey, Setup,
};
use serde_json::Value;

use crate::fake_api::{FakeApi, World};
use crate::harness::{Jit, Run};

const NAME: &str = "alice@test";
const ANCHOR: &str = "team-a/audit-anchor";

fn key_path(jit: &Jit, file: &str) -> PathBuf {
    jit.home().join(file)
}

fn store_flag(path: &Path) -> String {
    format!("file:{}", path.display())
}

/// `jit log init` for a person key named [`NAME`] in the file `alice.key`.
fn init(jit: &Jit) -> Run {
    let store = store_flag(&key_path(jit, "alice.key"));
    let run = jit.run(&["log", "init", "--store", &store, "--name", NAME]);
    run.success();
    run
}

/// The key `init` created, as the commands load it.
fn signer(jit: &Jit) -> Ed25519Signer {
    keys::load(
        &KeyStore::File(key_path(jit, "alice.key")),
        KeyRole::Person,
        NAME,
    )
    .unwrap()
    .expect("the key init created")
}

fn event(action: Action, user: Option<&str>, ago_secs: i64, i: usize) -> Event {
    let ts = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_secs(ago_secs))
        .unwrap()
        .round(jiff::Unit::Second)
        .unwrap();
    let mut event = Event::new(ts, action, "allowed");
    event.actor = user.map(|name| Actor {
        username: name.to_string(),
        groups: vec!["devs".to_string()],
    });
    event.objects = vec![ObjectRef {
        namespace: "team-a".to_string(),
        name: format!("jit-{i:08x}"),
        uid: None,
    }];
    event.ttl = Some("30m".to_string());
    event.reason = Some(format!("INC-{i}"));
    event
}

/// Appends `events` to the log the binary uses, as one batch.
fn append(jit: &Jit, events: &[Event], signer: Option<&Ed25519Signer>) {
    let dir = jit.state_dir();
    let setup = Setup::load_or_create(&dir).unwrap();
    let log = AuditLog::open(&dir, &setup.origin).unwrap();
    log.append(events, signer.map(|s| s as &dyn jit::audit::Signer))
        .unwrap();
}

/// Grants by alice, signed: `n` of them, one append each.
fn grants(jit: &Jit, n: usize) {
    let signer = signer(jit);
    for i in 0..n {
        append(
            jit,
            &[event(Action::Grant, Some("alice"), 0, i)],
            Some(&signer),
        );
    }
}

fn log_file(jit: &Jit) -> PathBuf {
    jit.state_dir().join(jit::audit::LOG_FILE)
}

fn checkpoint_file(jit: &Jit) -> PathBuf {
    jit.state_dir().join(jit::audit::CHECKPOINT_FILE)
}

/// The log's lines, each with its `\n`.
fn lines(jit: &Jit) -> Vec<String> {
    std::fs::read_to_string(log_file(jit))
        .unwrap()
        .split_inclusive('\n')
        .map(str::to_string)
        .collect()
}

fn keys_json(jit: &Jit) -> Value {
    let text = std::fs::read_to_string(jit.state_dir().join("keys.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn verify(jit: &Jit, extra: &[&str]) -> Run {
    let mut args = vec!["log", "verify"];
    args.extend_from_slice(extra);
    jit.run(&args)
}

#[track_caller]
fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} not in:\n{text}");
}

#[test]
fn init_records_a_person_key_and_refuses_a_second_without_rotate() {
    let jit = Jit::new();
    let run = init(&jit);
    assert_contains(&run.stdout, "set up the person key alice@test");
    assert_contains(
        &run.stdout,
        &format!("store    file:{}", key_path(&jit, "alice.key").display()),
    );
    assert_contains(&run.stdout, "jit log keys");

    let setup = keys_json(&jit);
    let keys = setup["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["name"], NAME);
    assert_eq!(keys[0]["role"], "person");
    assert_eq!(
        keys[0]["store"],
        store_flag(&key_path(&jit, "alice.key")).as_str()
    );
    assert_eq!(keys[0]["public"], signer(&jit).public().key.as_str());
    let mode = std::fs::metadata(key_path(&jit, "alice.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    // The new key signed a note saying so: the log verifies.
    let note = &lines(&jit)[0];
    assert_contains(note, "\"action\":\"note\"");
    assert_contains(note, "key set up: alice@test");
    verify(&jit, &[]).success();

    let other = store_flag(&key_path(&jit, "other.key"));
    let again = jit.run(&["log", "init", "--store", &other]);
    again.expect_code(2);
    assert_contains(&again.stderr, "already set up: alice@test");
    assert_contains(&again.stderr, "--rotate");
    assert!(
        !key_path(&jit, "other.key").exists(),
        "refused before creating anything"
    );
    assert_eq!(keys_json(&jit), setup);
}

#[test]
fn a_reaper_key_needs_an_explicit_store() {
    let jit = Jit::new();
    let run = jit.run(&["log", "init", "--reaper"]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--store");
    assert_contains(&run.stderr, "cron has no desktop keyring");
    assert!(!jit.state_dir().join("keys.json").exists());

    let store = store_flag(&key_path(&jit, "reaper.key"));
    let run = jit.run(&["log", "init", "--reaper", "--store", &store]);
    run.success();
    assert_contains(&run.stdout, "set up the reaper key reaper@");
    assert_contains(&run.stdout, "`jit reap` signs with it");
    assert_eq!(keys_json(&jit)["keys"][0]["role"], "reaper");
    // A reaper key may sign its own note.
    verify(&jit, &[]).success();
}

#[test]
fn bad_stores_and_names_are_usage_errors() {
    let jit = Jit::new();
    let run = jit.run(&["log", "init", "--store", "file:relative/key"]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--store: ");
    assert_contains(&run.stderr, "absolute path");

    init(&jit);
    let other = store_flag(&key_path(&jit, "other.key"));
    let run = jit.run(&["log", "init", "--rotate", "--store", &other, "--name", NAME]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--name: a key named \"alice@test\"");
    assert!(!key_path(&jit, "other.key").exists());
}

#[test]
fn a_damaged_keys_json_stops_init_before_a_key_is_created() {
    let jit = Jit::new();
    std::fs::create_dir_all(jit.state_dir()).unwrap();
    std::fs::write(jit.state_dir().join("keys.json"), "{not json").unwrap();
    let store = store_flag(&key_path(&jit, "alice.key"));
    let run = jit.run(&["log", "init", "--store", &store]);
    assert_ne!(run.code, 0);
    assert_contains(&run.stderr, "keys.json");
    assert!(!key_path(&jit, "alice.key").exists());
}

#[test]
fn rotate_retires_the_old_key_and_keys_exports_both() {
    let jit = Jit::new();
    let first = store_flag(&key_path(&jit, "first.key"));
    jit.run(&["log", "init", "--store", &first]).success();
    let second = store_flag(&key_path(&jit, "second.key"));
    let run = jit.run(&["log", "init", "--rotate", "--store", &second]);
    run.success();
    assert_contains(&run.stdout, "retired  person@");

    let setup = keys_json(&jit);
    let keys = setup["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["retired"], true);
    assert!(keys[1].get("retired").is_none());
    let first_name = keys[0]["name"].as_str().unwrap();
    assert_eq!(
        keys[1]["name"].as_str().unwrap(),
        format!("{first_name}-2"),
        "retired keys keep their names, so the default gets a suffix"
    );
    assert_contains(&lines(&jit)[1], "retiring");

    let exported = jit.run(&["log", "keys"]);
    exported.success();
    let exported: Vec<PublicKey> = serde_json::from_str(&exported.stdout).unwrap();
    let names: Vec<&str> = exported.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        [
            keys[0]["name"].as_str().unwrap(),
            keys[1]["name"].as_str().unwrap()
        ]
    );
    assert!(exported.iter().all(|k| k.role == KeyRole::Person));
    // -o json is the same (the one format).
    assert_eq!(
        jit.run(&["log", "keys", "-o", "json"]).stdout,
        jit.run(&["log", "keys"]).stdout
    );
    // Entries signed by the retired key and the new one both verify.
    verify(&jit, &[]).success();
}

#[test]
fn keys_without_a_setup_is_an_error() {
    let run = Jit::new().run(&["log", "keys"]);
    run.expect_code(2);
    assert_contains(&run.stderr, "jit log init");
    assert_eq!(run.stdout, "");
}

#[test]
fn verify_valid_and_exported_keys_round_trip() {
    let jit = Jit::new();
    init(&jit);
    grants(&jit, 3);
    let run = verify(&jit, &[]);
    run.success();
    assert!(run.stdout.starts_with("VALID\n"), "{}", run.stdout);
    assert_contains(&run.stdout, "4: 4 signed by a trusted key, 0 unsigned");
    assert_contains(&run.stdout, "checkpoint  4 entries, signed by alice@test");
    assert_contains(
        &run.stderr,
        "trusting the keys recorded beside the log (keys.json)",
    );

    let exported = jit.run(&["log", "keys"]);
    exported.success();
    let file = jit.home().join("trusted.json");
    std::fs::write(&file, &exported.stdout).unwrap();
    let run = verify(&jit, &["--keys", file.to_str().unwrap()]);
    run.success();
    assert!(run.stdout.starts_with("VALID\n"), "{}", run.stdout);
    assert!(!run.stderr.contains("trusting the keys"), "{}", run.stderr);

    let json = verify(&jit, &["-o", "json"]);
    json.success();
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["exit"], 0);
    assert_eq!(report["entries"], 4);
    assert_eq!(report["signed"], 4);
    assert_eq!(report["checkpoint"]["consistent"], true);
}

#[test]
fn verify_with_keys_that_lack_the_signer_fails() {
    let jit = Jit::new();
    init(&jit);
    grants(&jit, 2);
    let stranger = Jit::new();
    init(&stranger);
    let file = jit.home().join("strangers.json");
    std::fs::write(&file, stranger.run(&["log", "keys"]).stdout).unwrap();
    let run = verify(&jit, &["--keys", file.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(!run.stdout.starts_with("VALID"), "{}", run.stdout);

    let garbage = jit.home().join("garbage.json");
    std::fs::write(&garbage, "[{\"name\": 1}]").unwrap();
    let run = verify(&jit, &["--keys", garbage.to_str().unwrap()]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--keys: ");
}

#[test]
fn verify_a_changed_byte_is_tampering_with_its_line() {
    let jit = Jit::new();
    init(&jit);
    grants(&jit, 3);
    let mut lines = lines(&jit);
    assert_contains(&lines[2], "INC-1");
    lines[2] = lines[2].replacen("INC-1", "INC-7", 1);
    std::fs::write(log_file(&jit), lines.concat()).unwrap();
    let run = verify(&jit, &[]);
    run.expect_code(10);
    assert_contains(&run.stdout, "TAMPERED at line 3: bad signature");
    let json: Value = serde_json::from_str(&verify(&jit, &["-o", "json"]).stdout).unwrap();
    assert_eq!(json["verdict"], "tampered");
    assert_eq!(json["line"], 3);
}

#[test]
fn verify_a_removed_last_line_is_truncation() {
    let jit = Jit::new();
    init(&jit);
    grants(&jit, 3);
    let lines = lines(&jit);
    std::fs::write(log_file(&jit), lines[..lines.len() - 1].concat()).unwrap();
    let run = verify(&jit, &[]);
    run.expect_code(11);
    assert_contains(
        &run.stdout,
        "TRUNCATED: its checkpoint covers 4 entries but the log has 3",
    );
}

#[test]
fn verify_half_a_line_at_the_end_is_a_torn_tail() {
    let jit = Jit::new();
    init(&jit);
    grants(&jit, 2);
    let mut bytes = std::fs::read(log_file(&jit)).unwrap();
    let len = bytes.len();
    bytes.extend_from_slice(b"{\"v\":1,\"seq\":3,\"ts\":\"20");
    std::fs::write(log_file(&jit), &bytes).unwrap();
    let run = verify(&jit, &[]);
    run.expect_code(12);
    assert_contains(&run.stdout, &format!("TORN TAIL: 23 bytes at offset {len}"));
}

#[test]
fn verify_unsigned_entries_are_unverified_never_valid() {
    // Written before any key was set up, as a grant without `jit log init` would be.
    let jit = Jit::new();
    append(&jit, &[event(Action::Grant, Some("alice"), 0, 0)], None);
    let run = verify(&jit, &[]);
    run.expect_code(13);
    assert_contains(&run.stdout, "UNVERIFIED");
    assert!(!run.stdout.contains("VALID"), "{}", run.stdout);

    // Signed ones after it do not make up for it.
    init(&jit);
    grants(&jit, 1);
    append(&jit, &[event(Action::Revoke, Some("bob"), 0, 9)], None);
    let run = verify(&jit, &[]);
    run.expect_code(13);
    assert_contains(&run.stdout, "UNVERIFIED: 2 unsigned entries (line 1, 4)");
    assert_contains(&run.stdout, "2 unsigned (line 1, 4)");
    assert!(!run.stdout.contains("VALID"), "{}", run.stdout);
    let json: Value = serde_json::from_str(&verify(&jit, &["-o", "json"]).stdout).unwrap();
    assert_eq!(json["verdict"], "unverified");
    assert_eq!(json["unsigned"], serde_json::json!([1, 4]));
}

#[test]
fn verify_without_a_log_is_unverified() {
    let run = verify(&Jit::new(), &[]);
    run.expect_code(13);
    assert_contains(&run.stdout, "UNVERIFIED: there is no audit log");
}

#[test]
fn show_filters_and_prints_raw_lines() {
    let jit = Jit::new();
    init(&jit);
    let signer = signer(&jit);
    append(
        &jit,
        &[
            event(Action::Grant, Some("alice"), 3 * 3600, 1),
            event(Action::Revoke, Some("bob"), 60, 2),
            event(Action::Grant, Some("bob"), 30, 3),
        ],
        Some(&signer),
    );
    append(&jit, &[event(Action::Reap, None, 0, 4)], None);
    let stored = lines(&jit);
    assert_eq!(stored.len(), 5);

    let all = jit.run(&["log", "show"]);
    all.success();
    let rows: Vec<&str> = all.stdout.lines().collect();
    assert_eq!(rows.len(), 6, "a header and 5 entries:\n{}", all.stdout);
    assert!(rows[0].starts_with("SEQ  TIME"), "{}", rows[0]);
    assert_contains(rows[2], "grant");
    assert_contains(rows[2], "alice");
    assert_contains(rows[2], "team-a/jit-00000001");
    assert_contains(rows[2], "30m");
    assert_contains(rows[2], "alice@test");
    assert_contains(rows[2], "INC-1");
    assert_contains(rows[5], "unsigned");
    assert!(!rows[2].contains("unsigned"), "{}", rows[2]);

    let json = jit.run(&["log", "show", "-o", "json"]);
    json.success();
    assert_eq!(
        json.stdout,
        stored.concat(),
        "byte for byte what audit.log holds"
    );

    let show = |args: &[&str]| {
        let mut all = vec!["log", "show", "-o", "json"];
        all.extend_from_slice(args);
        let run = jit.run(&all);
        run.success();
        run.stdout
    };
    assert_eq!(
        show(&["--action", "grant"]),
        [&*stored[1], &*stored[3]].concat()
    );
    assert_eq!(
        show(&["--action", "revoke,reap"]),
        [&*stored[2], &*stored[4]].concat()
    );
    assert_eq!(
        show(&["--action", "revoke", "--action", "note"]),
        [&*stored[0], &*stored[2]].concat()
    );
    assert_eq!(
        show(&["--user", "bob"]),
        [&*stored[2], &*stored[3]].concat()
    );
    assert_eq!(
        show(&["--since", "1h"]),
        [&*stored[0], &*stored[2], &*stored[3], &*stored[4]].concat()
    );
    assert_eq!(
        show(&["--since", "1h", "--user", "bob", "--action", "grant"]),
        stored[3]
    );
    let long_ago = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(4))
        .unwrap()
        .to_string();
    assert_eq!(show(&["--since", &long_ago]), stored.concat());
    assert_eq!(show(&["--user", "nobody"]), "");

    let bad = jit.run(&["log", "show", "--since", "yesterday"]);
    bad.expect_code(2);
    assert_contains(&bad.stderr, "--since");
    let bad = jit.run(&["log", "show", "--action", "delete"]);
    bad.expect_code(2);
    assert_contains(&bad.stderr, "--action");
}

#[test]
fn show_without_a_log_says_so_and_succeeds() {
    let jit = Jit::new();
    let run = jit.run(&["log", "show"]);
    run.success();
    assert_eq!(run.stdout, "");
    assert_contains(&run.stderr, "no audit log at");
    assert!(!jit.state_dir().exists(), "show creates nothing");
}

fn anchored_note(api: &FakeApi) -> String {
    let map = api
        .config_map("team-a", "audit-anchor")
        .expect("the anchor");
    assert_eq!(
        map["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "jit"
    );
    map["metadata"]["annotations"]["jit.dev/audit-checkpoint"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn anchor_creates_then_moves_forward_and_catches_a_rollback() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    init(&jit);
    grants(&jit, 2);

    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.success();
    assert_contains(
        &run.stdout,
        "anchored 3 entries in configmap team-a/audit-anchor (resourceVersion ",
    );
    let older = std::fs::read_to_string(checkpoint_file(&jit)).unwrap();
    assert_eq!(anchored_note(&api), older);
    let older_lines = lines(&jit);

    grants(&jit, 2);
    // Someone else's write in between: the compare-and-swap loses once, and jit reads again.
    api.inject_failure(
        "PUT",
        "/api/v1/namespaces/team-a/configmaps/audit-anchor",
        409,
        1,
    );
    api.clear_requests();
    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.success();
    assert_contains(&run.stdout, "anchored 5 entries");
    let puts = api.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "one lost to the conflict, one that landed");
    let newer = std::fs::read_to_string(checkpoint_file(&jit)).unwrap();
    assert_eq!(anchored_note(&api), newer);

    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.success();
    assert_contains(&run.stdout, "already anchored: 5 entries");

    let run = verify(&jit, &["--anchor-from-cluster", ANCHOR]);
    run.success();
    assert_contains(
        &run.stdout,
        "anchor      5 entries, signed by alice@test, matches the log",
    );
    let exported = jit.home().join("anchor.checkpoint");
    std::fs::write(&exported, &newer).unwrap();
    verify(&jit, &["--anchor", exported.to_str().unwrap()]).success();

    // Roll the log back to the first anchor's state: log and checkpoint agree with each
    // other, so only an anchor kept elsewhere can tell.
    std::fs::write(log_file(&jit), older_lines.concat()).unwrap();
    std::fs::write(checkpoint_file(&jit), &older).unwrap();
    verify(&jit, &[]).success();

    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.expect_code(1);
    assert_contains(
        &run.stderr,
        "the anchor in the cluster covers 5 entries, the local log only 3",
    );
    assert_contains(
        &run.stderr,
        "jit log verify --anchor-from-cluster team-a/audit-anchor",
    );
    assert_eq!(anchored_note(&api), newer, "the anchor never moves back");

    let run = verify(&jit, &["--anchor-from-cluster", ANCHOR]);
    run.expect_code(11);
    assert_contains(
        &run.stdout,
        "TRUNCATED: the anchor covers 5 entries but the log has 3",
    );
    let run = verify(&jit, &["--anchor", exported.to_str().unwrap()]);
    run.expect_code(11);
}

#[test]
fn anchor_refuses_a_tampered_log() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    init(&jit);
    grants(&jit, 2);
    let mut lines = lines(&jit);
    lines[1] = lines[1].replacen("INC-0", "INC-9", 1);
    std::fs::write(log_file(&jit), lines.concat()).unwrap();
    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.expect_code(1);
    assert_contains(&run.stderr, "the local log does not verify");
    assert!(api.config_map("team-a", "audit-anchor").is_none());
}

#[test]
fn verify_against_a_missing_anchor_is_unverified() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    init(&jit);
    let run = verify(&jit, &["--anchor-from-cluster", "team-a/nothing-here"]);
    run.expect_code(13);
    assert_contains(
        &run.stdout,
        "UNVERIFIED: configmap team-a/nothing-here does not exist",
    );

    let run = verify(&jit, &["--anchor-from-cluster", "nothing-here"]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--anchor-from-cluster: ");

    let garbled = jit.home().join("garbled");
    std::fs::write(&garbled, "not a checkpoint").unwrap();
    let run = verify(&jit, &["--anchor", garbled.to_str().unwrap()]);
    run.expect_code(10);
    assert_contains(&run.stdout, "TAMPERED: the anchor");
}

#[test]
fn anchor_without_a_log_is_a_usage_error() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "admin", Some("team-a"));
    let run = jit.run(&["log", "anchor", ANCHOR]);
    run.expect_code(2);
    assert_contains(&run.stderr, "no audit log to anchor");
    assert!(api.requests().is_empty(), "nothing asked of the cluster");
}
