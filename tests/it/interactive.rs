//! The interactive flow, through a real pseudo-terminal: the binary runs with a terminal on
//! stdin, stdout and stderr (so `interact::can_prompt` is true), and the test presses keys
//! the way a person would. dialoguer's lists: `j` moves down, `k` up, space picks, enter
//! answers.

use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::PtySession;
use serde_json::Value;

use crate::fake_api::{FakeApi, World};
use crate::harness::Jit;
use crate::reap::{NS, annotation, grant, label, stored};

/// Per expectation: a debug build on two loaded cores is slow to start.
const TIMEOUT_MS: u64 = 30_000;

/// One run of jit on a terminal, with everything it wrote so far (for failure messages).
struct Pty {
    session: PtySession,
    transcript: String,
}

impl Pty {
    /// `jit ARGS` with `jit`'s environment (the harness's) and a terminal.
    fn spawn(jit: &Jit, args: &[&str]) -> Pty {
        let mut command = jit.command(args);
        command.env("TERM", "xterm-256color");
        let options = Options::new()
            .timeout_ms(Some(TIMEOUT_MS))
            .strip_ansi_escape_codes(true);
        let session = rexpect::spawn_with_options(command, options).expect("jit starts on a pty");
        Pty {
            session,
            transcript: String::new(),
        }
    }

    /// Waits for `needle` in what jit draws.
    #[track_caller]
    fn expect(&mut self, needle: &str) {
        match self.session.exp_string(needle) {
            Ok(before) => {
                self.transcript.push_str(&before);
                self.transcript.push_str(needle);
            }
            Err(err) => panic!(
                "waiting for {needle:?}: {err}\n--- transcript so far\n{}",
                self.transcript
            ),
        }
    }

    /// Presses `keys` (sent as typed; `\r` is enter).
    fn press(&mut self, keys: &str) {
        self.session.send(keys).expect("write to the pty");
        self.session.flush().expect("flush the pty");
    }

    /// Reads to the end and returns the exit code.
    #[track_caller]
    fn finish(mut self) -> (i32, String) {
        match self.session.exp_eof() {
            Ok(rest) => self.transcript.push_str(&rest),
            Err(err) => panic!(
                "waiting for jit to exit: {err}\n--- transcript so far\n{}",
                self.transcript
            ),
        }
        let code = match self.session.process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("jit did not exit normally: {other:?}\n{}", self.transcript),
        };
        (code, self.transcript)
    }
}

fn ports(np: &Value) -> Vec<i64> {
    np["spec"]["ingress"][0]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["port"].as_i64())
        .collect()
}

#[test]
fn grant_asks_for_everything_missing_and_grants_what_was_picked() {
    let api = FakeApi::start(World::standard());
    let alice = Jit::against(&api, "alice", Some(NS));
    let mut jit = Pty::spawn(&alice, &["grant", "-n", NS]);

    jit.expect("jit grant: not given: --to, --from, --port, --ttl, --reason");
    // Pods by app label first: app=db (db and cache) is preselected.
    jit.expect("to (what receives the traffic)");
    jit.expect("pods app=db (2 pods: cache, db)");
    jit.expect("service db (ports 5432/TCP)");
    jit.expect("type a label selector");
    jit.press("\r");
    // Sources: app=debug is the second group.
    jit.expect("from (who may connect)");
    jit.expect("pods app=debug (1 pod: debug)");
    jit.expect("an address block (CIDR)");
    jit.expect("type a label selector");
    jit.press("j \r");
    // Ports: the db Service sends to the app=db pods, so its port is offered.
    jit.expect("ports (on the target pods)");
    jit.expect("5432/TCP (service db port postgres)");
    jit.expect("another port (type it)");
    jit.press(" \r");
    // TTL: 30m is preselected.
    jit.expect("for how long");
    jit.expect("another duration");
    jit.press("\r");
    jit.expect("reason");
    jit.press("INC-42: check replication lag\r");
    // The preview, and the last word (default: cancel, two up is grant).
    jit.expect("about to grant");
    jit.expect("from     pods app=debug");
    jit.expect("to       pods app=db in team-a");
    jit.expect("ports    5432/TCP");
    jit.expect("reason   INC-42: check replication lag");
    jit.expect("grant?");
    jit.expect("cancel");
    jit.press("kk\r");
    jit.expect("granted");
    let (code, transcript) = jit.finish();
    assert_eq!(code, 0, "{transcript}");

    let grants = api.grants(NS);
    assert_eq!(grants.len(), 1, "{grants:#?}");
    let np = &grants[0];
    assert_eq!(np["spec"]["podSelector"]["matchLabels"]["app"], "db");
    assert_eq!(
        np["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]["app"],
        "debug"
    );
    assert_eq!(ports(np), [5432]);
    assert_eq!(
        annotation(np, "jit.dev/reason"),
        "INC-42: check replication lag"
    );
    assert_eq!(annotation(np, "jit.dev/ttl"), "30m");
    assert_eq!(annotation(np, "jit.dev/requester"), "alice");
}

#[test]
fn grant_asks_only_for_what_is_missing_and_cancel_writes_nothing() {
    let api = FakeApi::start(World::standard());
    let alice = Jit::against(&api, "alice", Some(NS));
    // No -n: the namespace is asked for too, the context's (team-a) preselected.
    let args = [
        "grant",
        "--from",
        "app=debug",
        "--port",
        "5432",
        "--ttl",
        "30m",
        "--reason",
        "INC-7",
    ];
    let mut jit = Pty::spawn(&alice, &args);

    jit.expect("jit grant: not given: --to;");
    jit.expect("namespace");
    jit.expect("> team-a");
    jit.expect("team-b");
    jit.press("\r");
    jit.expect("to (what receives the traffic)");
    jit.expect("type a label selector");
    jit.press("\r");
    jit.expect("about to grant");
    jit.expect("grant?");
    jit.expect("cancel");
    // "show the YAML" (one up from cancel), then the same question again: enter cancels.
    jit.press("k\r");
    jit.expect("kind: NetworkPolicy");
    jit.expect("port: 5432");
    jit.expect("grant?");
    jit.expect("cancel");
    jit.press("\r");
    jit.expect("not confirmed; nothing was written");
    let (code, transcript) = jit.finish();
    assert_eq!(code, 2, "{transcript}");
    // Nothing else was asked.
    for question in [
        "from (who may connect)",
        "ports (on",
        "for how long",
        "reason (",
    ] {
        assert!(!transcript.contains(question), "{question} in {transcript}");
    }
    assert!(api.grants(NS).is_empty());
    assert!(
        api.writes().iter().all(|w| w.dry_run),
        "{:#?}",
        api.writes()
    );
}

#[test]
fn revoke_offers_the_active_grants_and_revokes_only_the_picked_one() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some(NS));
    let mut ids = [grant(&jit, NS, 5432, "30m"), grant(&jit, NS, 5433, "1h")];
    ids.sort();
    let [first, second] = ids;

    let mut pty = Pty::spawn(&jit, &["revoke"]);
    pty.expect("revoke which grants?");
    pty.expect(&format!("{first}  to app=db  from app=debug  by alice"));
    pty.expect(&second);
    pty.expect("left");
    pty.press(" \r");
    pty.expect(&format!("revoked {first}"));
    let (code, transcript) = pty.finish();
    assert_eq!(code, 0, "{transcript}");
    assert!(
        !transcript.contains(&format!("revoked {second}")),
        "{transcript}"
    );

    assert!(stored(&api, NS, &first).is_none(), "{first} is gone");
    let kept = stored(&api, NS, &second).expect("the other grant stays");
    assert_eq!(label(&kept, "jit.dev/grant-id"), second);
}

#[test]
fn without_a_terminal_nothing_is_asked_and_every_missing_flag_is_named() {
    let api = FakeApi::start(World::standard());
    let jit = Jit::against(&api, "alice", Some(NS));

    let out = jit.run(&["grant", "-n", NS]);
    out.expect_code(2);
    for flag in ["--to", "--from", "--port", "--ttl", "--reason"] {
        assert!(
            out.stderr.contains(&format!("{flag}: missing")),
            "{flag} in {}",
            out.stderr
        );
    }
    assert!(api.requests().is_empty(), "{:#?}", api.requests());

    let out = jit.run(&["revoke"]);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("IDs, --all, --user NAME or --selector SELECTOR"),
        "{}",
        out.stderr
    );
    assert!(api.requests().is_empty(), "{:#?}", api.requests());
}

/// On a terminal a slow API server gets a spinner (after 200 ms), and removals one by one get
/// a bar; `-q` draws neither. (Off a terminal they never appear: tests/it/reap.rs.)
#[test]
fn progress_is_drawn_on_a_terminal_unless_quiet() {
    let api = FakeApi::start(World::standard());
    let alice = Jit::against(&api, "alice", Some(NS));
    for port in [7001, 7002, 7003] {
        grant(&alice, NS, port, "1h");
    }
    let ids: Vec<String> = api
        .grants(NS)
        .iter()
        .map(|np| label(np, "jit.dev/grant-id"))
        .collect();
    api.set_latency(std::time::Duration::from_millis(600));

    let mut jit = Pty::spawn(&alice, &["list"]);
    jit.expect("listing grants");
    let (code, transcript) = jit.finish();
    assert_eq!(code, 0, "{transcript}");
    assert!(
        transcript.contains("app=debug"),
        "the table follows: {transcript}"
    );

    let jit = Pty::spawn(&alice, &["list", "-q"]);
    let (code, transcript) = jit.finish_after("ID");
    assert_eq!(code, 0, "{transcript}");
    assert!(!transcript.contains("listing grants"), "{transcript}");

    // The reaper's removals, one request each, under a bar.
    let past = crate::reap::server_now(&api) - 60;
    for id in &ids {
        crate::reap::set_expiry(&api, NS, id, past);
    }
    let mut jit = Pty::spawn(&alice, &["reap"]);
    jit.expect("removing [");
    let (code, transcript) = jit.finish();
    assert_eq!(code, 0, "{transcript}");
    assert!(transcript.contains("deleted 3"), "{transcript}");
    assert!(api.grants(NS).is_empty());

    // A bulk revoke is one slow request here: a spinner while it runs.
    api.set_latency(std::time::Duration::ZERO);
    grant(&alice, NS, 7004, "1h");
    api.set_latency(std::time::Duration::from_millis(600));
    let mut jit = Pty::spawn(&alice, &["revoke", "--all", "--yes"]);
    jit.expect("revoking");
    let (code, transcript) = jit.finish();
    assert_eq!(code, 0, "{transcript}");
    assert!(api.grants(NS).is_empty(), "{transcript}");
}

impl Pty {
    /// Waits for `needle`, then reads to the end.
    #[track_caller]
    fn finish_after(mut self, needle: &str) -> (i32, String) {
        self.expect(needle);
        self.finish()
    }
}
