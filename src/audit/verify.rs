//! `verify`: checks every line of the log (format, sequence, hash chain, signature, key role)
//! and the log against its checkpoint and an optional external anchor, and says in one
//! [`Verdict`] whether it can be trusted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use anyhow::{Result, bail};
use ed25519_dalek::VerifyingKey;

use super::batch::BatchVerifier;
use super::checkpoint::{Checkpoint, NoteKey, note_key_hash};
use super::entry::{Action, decode, sha256};
use super::log::{LOG_FILE, for_each_line, lock, open_if_exists, read_checkpoint};
use super::merkle::{Frontier, Hash, leaf_hash};
use super::signer::{PublicKey, hex, key_id};

/// What `verify` concluded. Exit codes (for `jit log verify`, stable like the others):
///
/// | verdict | exit |
/// | --- | --- |
/// | `Valid` | 0 |
/// | `Tampered` | 10 |
/// | `Truncated` | 11 |
/// | `TornTail` | 12 |
/// | `Unverified` | 13 |
///
/// (1 stays "could not run": the log could not be read, a trusted key is malformed.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry is signed by a trusted key allowed to sign it, the chain and sequence are
    /// whole, and the log agrees with its signed checkpoint (and the anchor, if given).
    Valid,
    /// A line was changed, removed, added, reordered, or signed by a key that may not sign
    /// it. `line` is 1-based in `audit.log`; 0 means the checkpoint or the anchor (the reason
    /// says which).
    Tampered { line: usize, reason: String },
    /// The log is shorter than a checkpoint says, or its first entries do not hash to the
    /// root a checkpoint signed: entries were removed or history rolled back.
    Truncated { reason: String },
    /// The log ends in bytes that are not a complete entry (a crash mid-write); the next
    /// append moves them aside and records a `recover` entry.
    TornTail { offset: u64, length: u64 },
    /// Nothing is known to be wrong, but the log cannot be vouched for: unsigned entries, no
    /// trusted key, a checkpoint or anchor no trusted key signed, or no log at all.
    Unverified { reason: String },
}

impl Verdict {
    pub fn exit_code(&self) -> u8 {
        match self {
            Verdict::Valid => 0,
            Verdict::Tampered { .. } => 10,
            Verdict::Truncated { .. } => 11,
            Verdict::TornTail { .. } => 12,
            Verdict::Unverified { .. } => 13,
        }
    }

    pub fn is_valid(&self) -> bool {
        *self == Verdict::Valid
    }

    /// Which of several findings decides: evidence of tampering outranks a missing end,
    /// which outranks a crash, which outranks mere inability to vouch.
    fn severity(&self) -> u8 {
        match self {
            Verdict::Valid => 0,
            Verdict::Unverified { .. } => 1,
            Verdict::TornTail { .. } => 2,
            Verdict::Truncated { .. } => 3,
            Verdict::Tampered { .. } => 4,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Valid => write!(f, "VALID"),
            Verdict::Tampered { line: 0, reason } => write!(f, "TAMPERED: {reason}"),
            Verdict::Tampered { line, reason } => write!(f, "TAMPERED at line {line}: {reason}"),
            Verdict::Truncated { reason } => write!(f, "TRUNCATED: {reason}"),
            Verdict::TornTail { offset, length } => write!(
                f,
                "TORN TAIL: {length} bytes at offset {offset} are not a complete entry"
            ),
            Verdict::Unverified { reason } => write!(f, "UNVERIFIED: {reason}"),
        }
    }
}

/// What was checked and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The most serious finding (the first of equals), or `Valid` when there is none.
    pub verdict: Verdict,
    /// Every finding, in the order found: all tampered lines, not only the first.
    pub findings: Vec<Verdict>,
    /// Complete entries read (the torn tail excluded).
    pub entries: u64,
    /// Entries whose signature verified with a trusted key allowed to sign them.
    pub signed: u64,
    /// Line numbers of unsigned entries (`key` and `sig` null).
    pub unsigned: Vec<usize>,
    pub checkpoint: Option<CheckpointStatus>,
    pub anchor: Option<CheckpointStatus>,
}

impl VerifyReport {
    /// Records `finding`; it becomes the verdict when it is more serious than every finding
    /// before it (the first of equals stays).
    pub fn add(&mut self, finding: Verdict) {
        if finding.severity() > self.verdict.severity() {
            self.verdict = finding.clone();
        }
        self.findings.push(finding);
    }
}

/// What a checkpoint (the log's own, or the anchor) said and who vouched for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointStatus {
    pub size: u64,
    /// Trusted keys whose signature on it verified.
    pub signed_by: Vec<String>,
    /// Whether the log's first `size` entries hash to its root.
    pub consistent: bool,
}

/// A trusted key, ready to use.
struct Trusted {
    public: PublicKey,
    note_hash: [u8; 4],
}

/// What a queued signature claims, to judge once the batch says whether it is genuine.
struct Claim {
    line: usize,
    key: usize,
    action: Action,
}

/// Verifies the log in `dir` against `trusted` keys and, if given, an `anchor`: a checkpoint
/// kept elsewhere (exported earlier, or witnessed), which the log must still contain.
pub fn verify(
    dir: &Path,
    trusted: &[PublicKey],
    anchor: Option<&Checkpoint>,
) -> Result<VerifyReport> {
    let (keys, verifying) = prepare(trusted)?;
    let by_id: HashMap<String, usize> = verifying
        .iter()
        .enumerate()
        .map(|(i, k)| (key_id(&k.to_bytes()), i))
        .collect();
    let note_keys: Vec<NoteKey<'_>> = keys
        .iter()
        .zip(&verifying)
        .map(|(k, key)| NoteKey {
            name: &k.public.name,
            hash: k.note_hash,
            key,
        })
        .collect();

    let _lock = lock(dir, false)?;
    let mut findings = Vec::new();
    let checkpoint = match read_checkpoint(dir) {
        Ok(checkpoint) => checkpoint,
        Err(err) => {
            findings.push(Verdict::Tampered {
                line: 0,
                reason: format!("{err:#}"),
            });
            None
        }
    };

    // Roots of the prefixes the checkpoints speak of, taken as the frontier passes them.
    let wanted: Vec<u64> = checkpoint.iter().chain(anchor).map(|c| c.size).collect();
    let mut roots: HashMap<u64, Hash> = HashMap::new();
    let mut frontier = Frontier::new();
    roots.insert(0, frontier.root());

    let mut report = VerifyReport {
        verdict: Verdict::Valid,
        findings: Vec::new(),
        entries: 0,
        signed: 0,
        unsigned: Vec::new(),
        checkpoint: None,
        anchor: None,
    };
    // Why each bad line is bad: its signature first (known only when its batch is checked),
    // then its place in the chain.
    let mut signature_problems: BTreeMap<usize, String> = BTreeMap::new();
    let mut chain_problems: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut batch = BatchVerifier::new(&verifying);
    let mut judge = |results: Vec<(Claim, bool)>, report: &mut VerifyReport| {
        for (claim, genuine) in results {
            let key = &keys[claim.key].public;
            if !genuine {
                signature_problems.insert(claim.line, format!("bad signature (key {})", key.name));
            } else if !key.role.may_sign(claim.action) {
                signature_problems.insert(
                    claim.line,
                    format!(
                        "key {} has role {} and may not sign a {} entry",
                        key.name,
                        key.role.as_str(),
                        claim.action
                    ),
                );
            } else {
                report.signed += 1;
            }
        }
    };

    let mut unchecked = 0u64;
    let path = dir.join(LOG_FILE);
    let mut log_exists = false;
    if let Some(file) = open_if_exists(&path)? {
        log_exists = true;
        let mut prev: Hash = [0; 32];
        let mut expected_seq = Some(0u64);
        let (end, len) = for_each_line(&file, |number, line| {
            frontier.push(leaf_hash(&line[..line.len() - 1]));
            if wanted.contains(&frontier.size()) {
                roots.insert(frontier.size(), frontier.root());
            }
            let mut reasons = Vec::new();
            match decode(&line[..line.len() - 1], number) {
                Err(err) => {
                    reasons.push(format!("unparsable line: {err}"));
                    expected_seq = None;
                }
                Ok(decoded) => {
                    let entry = &decoded.entry;
                    match (&entry.key, decoded.signature) {
                        (None, None) => report.unsigned.push(number),
                        (Some(id), Some(signature)) => match by_id.get(id) {
                            None if keys.is_empty() => unchecked += 1,
                            None => reasons.push(format!("signed by unknown key {id}")),
                            Some(&key) => {
                                let claim = Claim {
                                    line: number,
                                    key,
                                    action: entry.event.action,
                                };
                                let done = batch.push(claim, key, decoded.message, signature);
                                judge(done, &mut report);
                            }
                        },
                        _ => {
                            reasons.push("\"key\" and \"sig\" must both be set or both null".into())
                        }
                    }
                    if let Some(expected) = expected_seq
                        && entry.seq != expected
                    {
                        reasons.push(if entry.seq > expected {
                            format!("seq {} where {expected} was expected: a gap", entry.seq)
                        } else {
                            format!(
                                "seq {} where {expected} was expected: a duplicate or out-of-order entry",
                                entry.seq
                            )
                        });
                    }
                    if entry.prev != hex(&prev) {
                        reasons.push(if number == 1 {
                            "prev of the first line is not 64 zeros".to_string()
                        } else {
                            format!("prev does not match the hash of line {}", number - 1)
                        });
                    }
                    expected_seq = Some(entry.seq + 1);
                }
            }
            if !reasons.is_empty() {
                chain_problems.insert(number, reasons);
            }
            prev = sha256(line);
            Ok(())
        })?;
        judge(batch.finish(), &mut report);
        let mut lines: Vec<usize> = signature_problems.keys().copied().collect();
        lines.extend(chain_problems.keys());
        lines.sort_unstable();
        lines.dedup();
        for line in lines {
            let reasons: Vec<String> = signature_problems
                .remove(&line)
                .into_iter()
                .chain(chain_problems.remove(&line).unwrap_or_default())
                .collect();
            findings.push(Verdict::Tampered {
                line,
                reason: reasons.join("; "),
            });
        }
        if end < len {
            findings.push(Verdict::TornTail {
                offset: end,
                length: len - end,
            });
        }
    }
    report.entries = frontier.size();

    if let Some(checkpoint) = &checkpoint {
        let status = check_against(
            checkpoint,
            "its checkpoint",
            &note_keys,
            &roots,
            report.entries,
            &mut findings,
        );
        report.checkpoint = Some(status);
    } else if report.entries > 0 {
        findings.push(Verdict::Unverified {
            reason: "there is no checkpoint".into(),
        });
    }
    if let Some(anchor) = anchor {
        if let Some(checkpoint) = &checkpoint
            && checkpoint.origin != anchor.origin
        {
            findings.push(Verdict::Unverified {
                reason: format!(
                    "the anchor is for {:?}, this log is {:?}",
                    anchor.origin, checkpoint.origin
                ),
            });
        }
        let status = check_against(
            anchor,
            "the anchor",
            &note_keys,
            &roots,
            report.entries,
            &mut findings,
        );
        report.anchor = Some(status);
    }

    if !report.unsigned.is_empty() {
        findings.push(Verdict::Unverified {
            reason: format!(
                "{} unsigned {} (line {})",
                report.unsigned.len(),
                plural(report.unsigned.len() as u64, "entry", "entries"),
                list(&report.unsigned)
            ),
        });
    }
    if unchecked > 0 {
        findings.push(Verdict::Unverified {
            reason: format!("no trusted keys were given: {unchecked} signatures were not checked"),
        });
    }
    if report.entries == 0 && findings.is_empty() {
        findings.push(Verdict::Unverified {
            reason: if log_exists {
                "the log is empty".into()
            } else {
                format!("there is no audit log in {}", dir.display())
            },
        });
    }

    for finding in findings {
        report.add(finding);
    }
    Ok(report)
}

/// Checks one checkpoint: who signed it, whether the log still has its size, and whether
/// the log's first `size` entries hash to its root.
fn check_against(
    checkpoint: &Checkpoint,
    what: &str,
    keys: &[NoteKey<'_>],
    roots: &HashMap<u64, Hash>,
    entries: u64,
    findings: &mut Vec<Verdict>,
) -> CheckpointStatus {
    let signatures = checkpoint.check(keys);
    for name in &signatures.bad {
        findings.push(Verdict::Tampered {
            line: 0,
            reason: format!("the signature by {name} on {what} does not verify"),
        });
    }
    if signatures.verified.is_empty() {
        findings.push(Verdict::Unverified {
            reason: if checkpoint.signatures.is_empty() {
                format!("{what} is unsigned")
            } else {
                format!("{what} is not signed by a trusted key")
            },
        });
    }
    let consistent = match roots.get(&checkpoint.size) {
        None => {
            findings.push(Verdict::Truncated {
                reason: format!(
                    "{what} covers {} entries but the log has {entries}",
                    checkpoint.size
                ),
            });
            false
        }
        Some(root) if *root != checkpoint.root => {
            findings.push(Verdict::Truncated {
                reason: format!(
                    "the log's first {} entries do not hash to the root {what} signed: history was rewritten or rolled back",
                    checkpoint.size
                ),
            });
            false
        }
        Some(_) => true,
    };
    CheckpointStatus {
        size: checkpoint.size,
        signed_by: signatures.verified,
        consistent,
    }
}

/// The trusted keys, checked: each decompressed once, none weak, none in two roles.
fn prepare(trusted: &[PublicKey]) -> Result<(Vec<Trusted>, Vec<VerifyingKey>)> {
    let mut keys: Vec<Trusted> = Vec::with_capacity(trusted.len());
    let mut verifying: Vec<VerifyingKey> = Vec::with_capacity(trusted.len());
    for public in trusted {
        let key = public.verifying_key()?;
        if key.is_weak() {
            bail!("public key {:?} is a weak (small-order) key", public.name);
        }
        if let Some(i) = verifying.iter().position(|k| *k == key)
            && keys[i].public.role != public.role
        {
            bail!(
                "public key {:?} is trusted twice, as {} and as {}",
                public.name,
                keys[i].public.role.as_str(),
                public.role.as_str()
            );
        }
        keys.push(Trusted {
            note_hash: note_key_hash(&public.name, &key.to_bytes()),
            public: public.clone(),
        });
        verifying.push(key);
    }
    Ok((keys, verifying))
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// "3, 7, 9" or "3, 7, 9, … and 12 more".
fn list(lines: &[usize]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(ToString::to_string).collect();
    let mut text = shown.join(", ");
    if lines.len() > SHOWN {
        text.push_str(&format!(", … and {} more", lines.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::entry::{Action, Event};
    use crate::audit::log::{AuditLog, CHECKPOINT_FILE};
    use crate::audit::signer::{Ed25519Signer, KeyRole};

    fn person() -> Ed25519Signer {
        Ed25519Signer::from_seed("alice".into(), KeyRole::Person, [1; 32])
    }

    fn events(n: u64) -> Vec<Event> {
        (0..n)
            .map(|i| {
                let mut e = Event::new(jiff::Timestamp::UNIX_EPOCH, Action::Revoke, "done");
                e.detail = Some(i.to_string());
                e
            })
            .collect()
    }

    #[test]
    fn exit_codes_are_distinct_and_stable() {
        let codes: Vec<u8> = [
            Verdict::Valid,
            Verdict::Tampered {
                line: 1,
                reason: String::new(),
            },
            Verdict::Truncated {
                reason: String::new(),
            },
            Verdict::TornTail {
                offset: 0,
                length: 1,
            },
            Verdict::Unverified {
                reason: String::new(),
            },
        ]
        .iter()
        .map(Verdict::exit_code)
        .collect();
        assert_eq!(codes, [0, 10, 11, 12, 13]);
    }

    #[test]
    fn a_signed_log_is_valid() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "o").unwrap();
        log.append(&events(3), Some(&person())).unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert_eq!(report.verdict, Verdict::Valid, "{:?}", report.findings);
        assert_eq!((report.entries, report.signed), (3, 3));
        let checkpoint = report.checkpoint.unwrap();
        assert_eq!(checkpoint.signed_by, ["alice"]);
        assert!(checkpoint.consistent);
    }

    #[test]
    fn unsigned_entries_are_each_reported_and_never_valid() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "o").unwrap();
        log.append(&events(1), Some(&person())).unwrap();
        log.append(&events(2), None).unwrap();
        log.append(&events(1), Some(&person())).unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert_eq!(report.unsigned, [2, 3]);
        assert_eq!(report.signed, 2);
        assert_eq!(
            report.verdict,
            Verdict::Unverified {
                reason: "2 unsigned entries (line 2, 3)".into()
            }
        );
    }

    #[test]
    fn without_trusted_keys_nothing_is_vouched_for() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "o").unwrap();
        log.append(&events(2), Some(&person())).unwrap();
        let report = verify(dir.path(), &[], None).unwrap();
        assert_eq!(report.verdict.exit_code(), 13, "{}", report.verdict);
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.to_string().contains("2 signatures were not checked"))
        );
    }

    #[test]
    fn no_log_is_unverified_not_valid() {
        let dir = tempfile::tempdir().unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert!(report.verdict.to_string().contains("there is no audit log"));
        AuditLog::open(dir.path(), "o")
            .unwrap()
            .append(&[], None)
            .unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert_eq!(report.verdict.exit_code(), 13, "{}", report.verdict);
    }

    #[test]
    fn a_forged_checkpoint_signature_is_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "o").unwrap();
        log.append(&events(3), Some(&person())).unwrap();
        let path = dir.path().join(CHECKPOINT_FILE);
        let note = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, note.replacen("\n3\n", "\n2\n", 1)).unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert_eq!(
            report.verdict,
            Verdict::Tampered {
                line: 0,
                reason: "the signature by alice on its checkpoint does not verify".into()
            }
        );
        std::fs::write(&path, "junk").unwrap();
        let report = verify(dir.path(), &[person().public()], None).unwrap();
        assert!(matches!(report.verdict, Verdict::Tampered { line: 0, .. }));
    }

    #[test]
    fn the_same_key_cannot_be_trusted_in_two_roles() {
        let mut reaper = person().public();
        reaper.role = KeyRole::Reaper;
        let dir = tempfile::tempdir().unwrap();
        assert!(verify(dir.path(), &[person().public(), reaper], None).is_err());
    }
}
