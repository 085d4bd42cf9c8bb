//! The checks on this machine: the signing keys `jit log init` set up, the audit log's
//! verdict, and the last reap the log records.

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

use super::{Check, names};
use crate::audit::{KeyRecord, KeyRole, Verdict, VerifyReport};
use crate::output;

/// A reap entry older than this is worth a warning: the in-cluster reaper runs every
/// minute, and a timer every few.
pub const REAP_STALE: Duration = Duration::from_secs(10 * 60);

/// How loading one set-up key went (from the store keys.json names, and no other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLoad {
    Loaded,
    /// Nothing is stored there.
    Missing,
    /// A key is stored there, but not the one keys.json lists.
    Other,
    /// The store is unavailable or broken (locked keyring, no D-Bus, a key file others can read).
    Error(String),
}

/// The signing keys: `Ok(None)` when keys.json does not exist, else each key in use (not
/// retired) and how loading it went; `Err` when keys.json cannot be read.
pub type KeyFacts = Result<Option<Vec<(KeyRecord, KeyLoad)>>, String>;

const INIT_HINT: &str = "jit log init sets up a person key (in the OS keyring; --store \
                         keyutils or --store file:PATH where there is no desktop session)";

pub fn judge_keys(facts: &KeyFacts) -> Check {
    let keys = match facts {
        Err(why) => {
            return Check::fail(names::SIGNING_KEY, why.clone()).hint(
                "restore keys.json from a backup, or from the output of jit log keys kept elsewhere",
            );
        }
        Ok(None) => {
            return Check::warn(
                names::SIGNING_KEY,
                "no signing key is set up: audit entries are written unsigned",
            )
            .hint(INIT_HINT);
        }
        Ok(Some(keys)) => keys,
    };
    let describe = |record: &KeyRecord| {
        format!(
            "{} key {} ({}, {})",
            record.role.as_str(),
            record.name,
            record.id,
            record.store
        )
    };
    let mut loaded = Vec::new();
    let mut broken = Vec::new();
    for (record, load) in keys {
        match load {
            KeyLoad::Loaded => loaded.push(format!("{} loads", describe(record))),
            KeyLoad::Missing => {
                broken.push(format!("{} is missing from its store", describe(record)))
            }
            KeyLoad::Other => broken.push(format!(
                "{}: the store holds another key than the one set up",
                describe(record)
            )),
            KeyLoad::Error(why) => broken.push(format!("{}: {why}", describe(record))),
        }
    }
    if !broken.is_empty() {
        return Check::fail(
            names::SIGNING_KEY,
            format!("{}: entries are written unsigned", broken.join("; ")),
        )
        .hint(
            "unlock or restore the store; if the key is lost, jit log init --rotate sets up \
             a new one (the old one still verifies what it signed)",
        );
    }
    if !keys
        .iter()
        .any(|(record, _)| record.role == KeyRole::Person)
    {
        let mut detail =
            "no person key is set up: grants, extensions and revocations made here are written unsigned"
                .to_string();
        if !loaded.is_empty() {
            detail = format!("{}; {detail}", loaded.join("; "));
        }
        return Check::warn(names::SIGNING_KEY, detail).hint(INIT_HINT);
    }
    Check::ok(names::SIGNING_KEY, loaded.join("; "))
}

/// What verifying the log found: `Ok(None)` when there is no log yet.
pub type LogFacts = Result<Option<VerifyReport>, String>;

pub fn judge_log(dir: &Path, facts: &LogFacts) -> Check {
    let report = match facts {
        Err(why) => {
            return Check::fail(
                names::AUDIT_LOG,
                format!("{}: cannot be verified: {why}", dir.display()),
            );
        }
        Ok(None) => {
            return Check::ok(
                names::AUDIT_LOG,
                format!("{}: no entries yet", dir.display()),
            );
        }
        Ok(Some(report)) => report,
    };
    let counts = format!(
        "{} entries, {} signed by a key in keys.json, {} unsigned",
        report.entries,
        report.signed,
        report.unsigned.len()
    );
    let detail = format!("{}: {}; {counts}", dir.display(), report.verdict);
    match &report.verdict {
        Verdict::Valid => Check::ok(names::AUDIT_LOG, detail),
        Verdict::Unverified { .. } => Check::warn(names::AUDIT_LOG, detail).hint(
            "jit log verify lists the unsigned entries; with a signing key set up (jit log \
             init), later ones are signed",
        ),
        Verdict::TornTail { .. } => Check::warn(names::AUDIT_LOG, detail).hint(
            "a write was cut off (a crash); the next entry moves the torn bytes to \
             audit.log.torn and records it",
        ),
        Verdict::Tampered { .. } | Verdict::Truncated { .. } => {
            Check::fail(names::AUDIT_LOG, detail).hint(
                "jit log verify shows every finding; verify against an anchor kept elsewhere (jit \
             log anchor) to learn what was there",
            )
        }
    }
}

/// The last `reap` entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastReap {
    pub ts: Timestamp,
    /// `done` or `failed`.
    pub outcome: String,
    /// `namespace/name` of the policy it was about.
    pub object: Option<String>,
}

/// `Ok(None)`: no reap entry (or no log).
pub type ReapFacts = Result<Option<LastReap>, String>;

const REAP_HINT: &str = "jit reap --check asks the cluster whether a grant is overdue; jit \
                         reaper manifest runs a reaper in the cluster";

/// Judged at `now` (the API server's time when it answered, else this machine's).
pub fn judge_last_reap(facts: &ReapFacts, now: Timestamp) -> Check {
    const ELSEWHERE: &str = "jit reap records only the grants it removes, and a reaper \
                             running elsewhere (in the cluster, another host) keeps its own log";
    let last = match facts {
        Err(why) => return Check::skip(names::LAST_REAP, format!("cannot read the log: {why}")),
        Ok(None) => {
            return Check::warn(
                names::LAST_REAP,
                format!("no reap recorded in this log; {ELSEWHERE}"),
            )
            .hint(REAP_HINT);
        }
        Ok(Some(last)) => last,
    };
    let age = Duration::try_from(now.duration_since(last.ts)).unwrap_or_default();
    let when = format!(
        "{} ago ({})",
        output::duration(age),
        output::local_time(last.ts)
    );
    let object = last.object.as_deref().unwrap_or("a grant");
    if last.outcome == "failed" {
        return Check::warn(
            names::LAST_REAP,
            format!("the last reap, {when}, could not remove {object}"),
        )
        .hint(format!("{REAP_HINT}; jit log show --action reap shows why"));
    }
    if age > REAP_STALE {
        return Check::warn(
            names::LAST_REAP,
            format!(
                "the last reap recorded here was {when}, over {} ago; {ELSEWHERE}",
                output::duration(REAP_STALE)
            ),
        )
        .hint(REAP_HINT);
    }
    Check::ok(names::LAST_REAP, format!("{when}, it removed {object}"))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::audit::keys::KeyStore;
    use crate::doctor::Status;

    fn record(role: KeyRole, name: &str) -> KeyRecord {
        KeyRecord {
            name: name.to_string(),
            role,
            public: "AAAA".to_string(),
            id: "10ba682c8ad13513".to_string(),
            store: KeyStore::File(PathBuf::from("/keys/alice.key")),
            created: "2026-11-27T15:12:41Z".to_string(),
            retired: false,
        }
    }

    #[test]
    fn keys() {
        let ok = judge_keys(&Ok(Some(vec![(
            record(KeyRole::Person, "alice"),
            KeyLoad::Loaded,
        )])));
        assert_eq!(ok.status, Status::Ok);
        assert_eq!(
            ok.detail,
            "person key alice (10ba682c8ad13513, file:/keys/alice.key) loads"
        );

        let none = judge_keys(&Ok(None));
        assert_eq!(none.status, Status::Warn);
        assert!(none.hint.unwrap().starts_with("jit log init"));

        let missing = judge_keys(&Ok(Some(vec![(
            record(KeyRole::Person, "alice"),
            KeyLoad::Missing,
        )])));
        assert_eq!(missing.status, Status::Fail);
        assert_eq!(
            missing.detail,
            "person key alice (10ba682c8ad13513, file:/keys/alice.key) is missing from its store: \
             entries are written unsigned"
        );

        let reaper_only = judge_keys(&Ok(Some(vec![(
            record(KeyRole::Reaper, "cron"),
            KeyLoad::Loaded,
        )])));
        assert_eq!(reaper_only.status, Status::Warn);
        assert!(
            reaper_only.detail.starts_with("reaper key cron"),
            "{}",
            reaper_only.detail
        );

        let unreadable = judge_keys(&Err("keys.json is not a jit key list".into()));
        assert_eq!(unreadable.status, Status::Fail);
    }

    fn report(verdict: Verdict) -> VerifyReport {
        VerifyReport {
            verdict,
            findings: Vec::new(),
            entries: 3,
            signed: 3,
            unsigned: Vec::new(),
            checkpoint: None,
            anchor: None,
        }
    }

    #[test]
    fn log_verdicts() {
        let dir = Path::new("/state/jit");
        let valid = judge_log(dir, &Ok(Some(report(Verdict::Valid))));
        assert_eq!(valid.status, Status::Ok);
        assert_eq!(
            valid.detail,
            "/state/jit: VALID; 3 entries, 3 signed by a key in keys.json, 0 unsigned"
        );
        let tampered = judge_log(
            dir,
            &Ok(Some(report(Verdict::Tampered {
                line: 2,
                reason: "bad signature".into(),
            }))),
        );
        assert_eq!(tampered.status, Status::Fail);
        assert!(
            tampered
                .detail
                .contains("TAMPERED at line 2: bad signature")
        );
        let unverified = judge_log(
            dir,
            &Ok(Some(report(Verdict::Unverified {
                reason: "1 unsigned entry".into(),
            }))),
        );
        assert_eq!(unverified.status, Status::Warn);
        assert_eq!(judge_log(dir, &Ok(None)).status, Status::Ok);
        assert_eq!(judge_log(dir, &Err("locked".into())).status, Status::Fail);
    }

    #[test]
    fn last_reap_by_age_and_outcome() {
        let now: Timestamp = "2026-11-27T15:12:41Z".parse().unwrap();
        let at = |secs: i64, outcome: &str| {
            Ok(Some(LastReap {
                ts: now - jiff::SignedDuration::from_secs(secs),
                outcome: outcome.to_string(),
                object: Some("team-a/jit-1".to_string()),
            }))
        };
        let recent = judge_last_reap(&at(90, "done"), now);
        assert_eq!(recent.status, Status::Ok);
        assert!(
            recent.detail.starts_with("1m 30s ago ("),
            "{}",
            recent.detail
        );
        assert!(recent.detail.ends_with("it removed team-a/jit-1"));

        let stale = judge_last_reap(&at(2 * 3600, "done"), now);
        assert_eq!(stale.status, Status::Warn);
        assert!(
            stale
                .detail
                .starts_with("the last reap recorded here was 2h ago")
        );
        assert!(stale.hint.unwrap().contains("jit reap --check"));

        let failed = judge_last_reap(&at(60, "failed"), now);
        assert_eq!(failed.status, Status::Warn);
        assert!(failed.detail.contains("could not remove team-a/jit-1"));

        let never = judge_last_reap(&Ok(None), now);
        assert_eq!(never.status, Status::Warn);
        assert!(never.detail.starts_with("no reap recorded in this log"));
    }
}
