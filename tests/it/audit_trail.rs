//! What the commands record in the audit log, run through the real binary against the fake
//! API server: grants (allowed and denied), extends, revokes and every policy a reap
//! removes, with the actor the API server reported and the objects' uids; signed by the
//! right key; and the two invariants when the key or the log fails: access is still
//! removed, and no event is lost or passes as signed.

use std::path::{Path, PathBuf};

use jit::audit::keys::{self, KeyStore};
use jit::audit::{Action, AuditLog, Entry, KeyRecord, KeyRole, Setup, Verdict};
use tempfile::TempDir;

use crate::fake_api::{FakeApi, World};
use crate::harness::Jit;
use crate::reap::{NS, grant, names, run, server_now, set_expiry, stored};

/// One machine's audit directory, shared by the people and the reaper that run jit there.
struct Machine {
    dir: TempDir,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn log_dir(&self) -> PathBuf {
        self.dir.path().join("audit")
    }

    /// `user` at this machine, talking to `api`.
    fn jit(&self, api: &FakeApi, user: &str) -> Jit {
        Jit::against(api, user, Some(NS)).env("JIT_AUDIT_DIR", self.log_dir().to_str().unwrap())
    }

    /// Sets up a signing key in a key file, as `jit log init --store file:…` does.
    fn key(&self, role: KeyRole, name: &str) -> PathBuf {
        let path = self.dir.path().join(format!("{name}.key"));
        let store = KeyStore::File(path.clone());
        let signer = keys::create(&store, role, name).expect("key created");
        Setup::update(&self.log_dir(), |setup| {
            setup.add(KeyRecord::new(&signer.public(), store)?, false)
        })
        .expect("key recorded");
        path
    }

    fn entries(&self) -> Vec<Entry> {
        let setup = Setup::load(&self.log_dir()).unwrap().expect("keys.json");
        AuditLog::open(&self.log_dir(), &setup.origin)
            .unwrap()
            .entries()
            .unwrap()
    }

    fn verify(&self) -> jit::audit::VerifyReport {
        let setup = Setup::load(&self.log_dir()).unwrap().expect("keys.json");
        jit::audit::verify(&self.log_dir(), &setup.public_keys(), None).unwrap()
    }
}

fn key_id_of(machine: &Machine, role: KeyRole) -> String {
    Setup::load(&machine.log_dir())
        .unwrap()
        .unwrap()
        .signing_key(role)
        .unwrap()
        .id
        .clone()
}

#[test]
fn an_allowed_grant_is_recorded_signed_with_the_actor_the_server_reported() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    machine.key(KeyRole::Person, "alice@laptop");
    let alice = machine.jit(&api, "alice");

    let id = grant(&alice, NS, 5432, "30m");

    let entries = machine.entries();
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    let event = &entry.event;
    assert_eq!(event.action, Action::Grant);
    assert_eq!(event.outcome, "allowed");
    let actor = event.actor.as_ref().expect("actor");
    assert_eq!(actor.username, "alice");
    assert!(actor.groups.contains(&"devs".to_string()), "{actor:?}");
    let np = stored(&api, NS, &id).expect("the grant is stored");
    assert_eq!(event.objects.len(), 1);
    assert_eq!(event.objects[0].namespace, NS);
    assert_eq!(event.objects[0].name, format!("jit-{id}"));
    assert_eq!(
        event.objects[0].uid.as_deref(),
        np["metadata"]["uid"].as_str()
    );
    assert_eq!(event.ttl.as_deref(), Some("30m"));
    assert_eq!(
        event.expires.as_deref(),
        np["metadata"]["annotations"]["jit.dev/expires-at"].as_str()
    );
    assert_eq!(event.reason.as_deref(), Some("INC-1"));
    let cluster = event.cluster.as_ref().expect("cluster");
    assert_eq!(cluster.server.trim_end_matches('/'), api.url());
    assert_eq!(
        entry.key.as_deref(),
        Some(key_id_of(&machine, KeyRole::Person).as_str())
    );
    assert_eq!(machine.verify().verdict, Verdict::Valid);
}

#[test]
fn a_denied_grant_is_recorded_as_denied_and_nothing_is_written_to_the_cluster() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    machine.key(KeyRole::Person, "mallory@laptop");
    let mallory = machine.jit(&api, "mallory");

    let out = run(
        &mallory,
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
    );
    out.expect_code(3);
    assert!(names(&api, NS).is_empty());

    let entries = machine.entries();
    let event = &entries.last().unwrap().event;
    assert_eq!(
        (event.action, event.outcome.as_str()),
        (Action::Grant, "denied")
    );
    assert_eq!(event.actor.as_ref().unwrap().username, "mallory");
    assert!(event.objects.is_empty());
    let detail = event.detail.as_deref().unwrap();
    assert!(
        detail.contains("team-a") && detail.contains("may not"),
        "{detail}"
    );
    assert_eq!(machine.verify().verdict, Verdict::Valid);
}

#[test]
fn extend_and_revoke_are_recorded_with_the_policy() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    machine.key(KeyRole::Person, "alice@laptop");
    let alice = machine.jit(&api, "alice");
    let id = grant(&alice, NS, 5432, "30m");
    let uid = stored(&api, NS, &id).unwrap()["metadata"]["uid"]
        .as_str()
        .unwrap()
        .to_string();

    run(&alice, &format!("extend {id} --ttl 1h --reason INC-2")).success();
    run(&alice, &format!("revoke {id}")).success();

    let entries = machine.entries();
    let [grant_entry, extend, revoke] = &entries[..] else {
        panic!("three entries: {entries:#?}");
    };
    assert_eq!(grant_entry.event.action, Action::Grant);
    assert_eq!(
        (extend.event.action, extend.event.outcome.as_str()),
        (Action::Extend, "allowed")
    );
    assert_eq!(extend.event.ttl.as_deref(), Some("1h"));
    assert_eq!(extend.event.reason.as_deref(), Some("INC-2"));
    assert_eq!(extend.event.objects[0].uid.as_deref(), Some(uid.as_str()));
    assert_eq!(
        (revoke.event.action, revoke.event.outcome.as_str()),
        (Action::Revoke, "done")
    );
    assert_eq!(revoke.event.objects[0].uid.as_deref(), Some(uid.as_str()));
    assert_eq!(revoke.event.actor.as_ref().unwrap().username, "alice");
    assert_eq!(machine.verify().verdict, Verdict::Valid);
}

/// Three expired grants: one reap, three entries, one batch (contiguous, one append), all
/// signed by the reaper key, which may sign reaps; the person's grants by the person key.
#[test]
fn a_reap_records_each_removed_policy_signed_by_the_reaper_key() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    machine.key(KeyRole::Person, "alice@laptop");
    machine.key(KeyRole::Reaper, "reaper@host");
    let alice = machine.jit(&api, "alice");
    let ids: Vec<String> = [5432, 5433, 5434]
        .into_iter()
        .map(|port| grant(&alice, NS, port, "30m"))
        .collect();
    for id in &ids {
        set_expiry(&api, NS, id, server_now(&api) - 60);
    }

    let reaper = machine.jit(&api, "admin");
    run(&reaper, "reap").success();
    assert!(names(&api, NS).is_empty());

    let entries = machine.entries();
    assert_eq!(entries.len(), 6, "{entries:#?}");
    let reaps = &entries[3..];
    let mut reaped: Vec<String> = reaps
        .iter()
        .map(|entry| {
            assert_eq!(
                (entry.event.action, entry.event.outcome.as_str()),
                (Action::Reap, "done")
            );
            assert_eq!(entry.event.actor.as_ref().unwrap().username, "admin");
            assert_eq!(
                entry.key.as_deref(),
                Some(key_id_of(&machine, KeyRole::Reaper).as_str())
            );
            assert!(entry.event.objects[0].uid.is_some());
            entry.event.objects[0].name.clone()
        })
        .collect();
    reaped.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("jit-{id}")).collect();
    expected.sort();
    assert_eq!(reaped, expected);
    assert_eq!(machine.verify().verdict, Verdict::Valid);
}

/// The reaper's key file is gone (a wiped host, a bad deploy): expired access is still
/// removed, the entries are still written, unsigned, with a warning saying why, and verify
/// reports them as unverified, never valid.
#[test]
fn without_its_key_the_reaper_still_removes_access_and_records_it_unsigned() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let alice = machine.jit(&api, "alice");
    let id = grant(&alice, NS, 5432, "30m");
    let key_file = machine.key(KeyRole::Reaper, "reaper@host");
    std::fs::remove_file(&key_file).unwrap();
    set_expiry(&api, NS, &id, server_now(&api) - 60);

    let out = run(&machine.jit(&api, "admin"), "reap");
    out.success();
    assert!(
        stored(&api, NS, &id).is_none(),
        "removing access beats logging it"
    );
    assert!(
        out.stderr.contains("written unsigned") && out.stderr.contains("missing from file:"),
        "{}",
        out.stderr
    );

    let entries = machine.entries();
    let reap = entries.last().unwrap();
    assert_eq!(reap.event.action, Action::Reap);
    assert_eq!((reap.key.as_deref(), reap.sig.as_deref()), (None, None));
    let report = machine.verify();
    assert!(
        matches!(report.verdict, Verdict::Unverified { .. }),
        "{:?}",
        report.verdict
    );
}

/// The log cannot be written (its directory is a file): the reap still removes the access,
/// prints each event on stderr as a JSON line and exits 7, so cron mails them.
#[test]
fn when_the_log_cannot_be_written_the_events_go_to_stderr_and_the_exit_says_so() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let alice = machine.jit(&api, "alice");
    let ids: Vec<String> = [5432, 5433]
        .into_iter()
        .map(|port| grant(&alice, NS, port, "30m"))
        .collect();
    for id in &ids {
        set_expiry(&api, NS, id, server_now(&api) - 60);
    }
    let blocked = machine.dir.path().join("not-a-dir");
    std::fs::write(&blocked, b"").unwrap();

    let reaper =
        Jit::against(&api, "admin", Some(NS)).env("JIT_AUDIT_DIR", blocked.to_str().unwrap());
    let out = run(&reaper, "reap");
    out.expect_code(7);
    assert!(names(&api, NS).is_empty(), "the access is removed first");
    let unlogged: Vec<serde_json::Value> = out
        .stderr
        .lines()
        .filter_map(|line| line.strip_prefix("jit: unlogged: "))
        .map(|json| serde_json::from_str(json).expect("one JSON object per line"))
        .collect();
    assert_eq!(unlogged.len(), 2, "{}", out.stderr);
    let mut named: Vec<&str> = unlogged
        .iter()
        .map(|event| {
            assert_eq!(event["action"], "reap");
            assert_eq!(event["actor"]["username"], "admin");
            event["objects"][0]["name"].as_str().unwrap()
        })
        .collect();
    named.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("jit-{id}")).collect();
    expected.sort();
    assert_eq!(named, expected);
    assert!(
        out.stderr.contains("could not record 2 entries"),
        "{}",
        out.stderr
    );
}

/// A grant with no key set up at all still leaves its entry, and says it is unsigned.
#[test]
fn without_any_key_set_up_entries_are_written_unsigned_with_a_warning() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let alice = machine.jit(&api, "alice");
    let out = run(
        &alice,
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1",
    );
    out.success();
    assert!(out.stderr.contains("jit log init"), "{}", out.stderr);
    let entries = machine.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].sig, None);
    assert!(Path::new(&machine.log_dir().join("keys.json")).exists());
}

/// Dry runs change nothing and leave no entry.
#[test]
fn dry_runs_are_not_recorded() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let alice = machine.jit(&api, "alice");
    run(
        &alice,
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1 --dry-run=server",
    )
    .success();
    run(
        &alice,
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m --reason INC-1 --dry-run",
    )
    .success();
    assert!(!machine.log_dir().join("audit.log").exists());
}

/// A session-bound grant: the grant and the revoke at the session's end are both recorded,
/// the revoke saying why the session ended.
#[test]
fn a_session_grant_records_its_revocation_when_the_command_ends() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    machine.key(KeyRole::Person, "alice@laptop");
    let alice = machine.jit(&api, "alice");
    run(
        &alice,
        "grant -n team-a --to app=db --from app=debug --port 5432 --ttl 10m --reason INC-5 -- sh -c 'exit 3'",
    )
    .expect_code(3);
    assert!(names(&api, NS).is_empty());

    let entries = machine.entries();
    let [granted, revoked] = &entries[..] else {
        panic!("two entries: {entries:#?}");
    };
    assert_eq!(
        (granted.event.action, granted.event.outcome.as_str()),
        (Action::Grant, "allowed")
    );
    assert_eq!(
        (revoked.event.action, revoked.event.outcome.as_str()),
        (Action::Revoke, "done")
    );
    assert_eq!(revoked.event.objects, granted.event.objects);
    let detail = revoked.event.detail.as_deref().unwrap();
    assert!(detail.contains("the command exited with 3"), "{detail}");
    assert_eq!(machine.verify().verdict, Verdict::Valid);
}

/// A name no other test (or earlier run) uses in the shared keyrings.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}@ci", std::process::id())
}

/// The real thing, through the binary: a person's key made by `jit log init` in the Secret
/// Service (gnome-keyring in CI) signs their grant; a reaper key made in the kernel's
/// keyutils store (what cron can reach) signs the reap; `jit log verify` says VALID.
#[test]
fn keys_in_the_secret_service_and_keyutils_sign_grants_and_reaps() {
    let test = "keys_in_the_secret_service_and_keyutils_sign_grants_and_reaps";
    if !crate::keystore::secret_service_here(test) || !crate::keystore::keyutils_here(test) {
        return;
    }
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let person = unique("alice");
    let reaper_name = unique("reaper");
    let alice = machine
        .jit(&api, "alice")
        .env("DBUS_SESSION_BUS_ADDRESS", &bus);
    let reaper = machine.jit(&api, "admin");

    run(&alice, &format!("log init --name {person}")).success();
    run(
        &reaper,
        &format!("log init --reaper --store keyutils --name {reaper_name}"),
    )
    .success();
    let id = grant(&alice, NS, 5432, "30m");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    // No D-Bus for the reaper, as under cron.
    let out = run(&reaper, "reap");
    out.success();
    assert!(!out.stderr.contains("unsigned"), "{}", out.stderr);

    let entries = machine.entries();
    let signed_by = |action: Action| {
        entries
            .iter()
            .find(|entry| entry.event.action == action)
            .and_then(|entry| entry.key.clone())
    };
    assert_eq!(
        signed_by(Action::Grant),
        Some(key_id_of(&machine, KeyRole::Person))
    );
    assert_eq!(
        signed_by(Action::Reap),
        Some(key_id_of(&machine, KeyRole::Reaper))
    );
    let verified = run(&reaper, "log verify");
    verified.success();
    assert!(verified.stdout.contains("VALID"), "{}", verified.stdout);

    keys::delete(&KeyStore::Keyring, KeyRole::Person, &person).unwrap();
    keys::delete(&KeyStore::Keyutils, KeyRole::Reaper, &reaper_name).unwrap();
}

/// An API server without SelfSubjectReview (older than 1.27, or the API turned off): the
/// reaper does not wait on it or give up over it; it removes the access and records the
/// removal with the actor unknown.
#[test]
fn a_reaper_that_cannot_learn_who_it_is_still_reaps_and_records_an_unknown_actor() {
    let api = FakeApi::start(World::standard());
    let machine = Machine::new();
    let alice = machine.jit(&api, "alice");
    let id = grant(&alice, NS, 5432, "30m");
    set_expiry(&api, NS, &id, server_now(&api) - 60);
    api.disable_api("/apis/authentication.k8s.io/");

    run(&machine.jit(&api, "admin"), "reap").success();
    assert!(stored(&api, NS, &id).is_none());
    let entries = machine.entries();
    let reap = entries.last().unwrap();
    assert_eq!(
        (reap.event.action, reap.event.outcome.as_str()),
        (Action::Reap, "done")
    );
    assert_eq!(reap.event.actor, None);
    assert_eq!(reap.event.objects[0].name, format!("jit-{id}"));
}
