//! The signed, tamper-evident audit log: every grant (allowed or denied), extension,
//! revocation and reaped policy, appended to a local file that nobody can change, shorten or
//! reorder without `verify` noticing.
//!
//! # Files (in the directory given to [`AuditLog::open`], created 0700; every file 0600)
//!
//! | file | what |
//! | --- | --- |
//! | `audit.log` | one JSON entry per line, append-only |
//! | `checkpoint` | size and RFC 6962 Merkle root of the log, a C2SP signed note |
//! | `audit.lock` | `flock`ed by appends (exclusive) and readers (shared) |
//! | `audit.log.torn` | torn tails moved aside by recovery, each after a `#` header line |
//! | `merkle.state` | a checksummed cache of the Merkle frontier; never trusted |
//!
//! # An entry
//!
//! ```text
//! {"v":1,"seq":0,"ts":"2026-11-27T15:12:41Z","action":"grant","outcome":"allowed","actor":{"username":"alice","groups":["devs","system:authenticated"]},"cluster":{"context":"prod","server":"https://prod.example:6443"},"objects":[{"namespace":"team-a","name":"jit-7f3a9c2e","uid":"0b6e4a52-3c1d-4f7e-9a8b-1c2d3e4f5a6b"}],"ttl":"30m","expires":"2026-11-27T15:42:41Z","reason":"INC-1234: check replication lag","prev":"0000000000000000000000000000000000000000000000000000000000000000","key":"10ba682c8ad13513","sig":"PVjG7tgxgq51HcX2s3RbpyVKRSb4r7JDASUWMRilYOR9YHFTfgcZZcQlsR2zW+6fjGMdSsjCkQ9EJgOwYFcMAg=="}
//! ```
//!
//! Fields, in this order: `v` (1), `seq` (0-based, contiguous), `ts` (RFC 3339 UTC, the
//! caller's: the API server's time when known), `action` (`grant` `extend` `revoke` `reap`
//! `recover` `note`), `outcome` (`allowed` `denied` `done` `failed` `dry-run`…), `actor`
//! (`{username, groups}` as the API server reported, or null), `cluster` (`{context,
//! server}` or null), `objects` (`[{namespace, name, uid}]`), then when present `ttl`,
//! `expires`, `reason`, `detail`, `torn` (recover entries: `{offset, length, sha256}`), then
//! `prev` (hex SHA-256 of the previous line's bytes including its `\n`; 64 zeros for the
//! first), `key` ([`key_id`] of the signing key) and `sig` (base64 Ed25519), both null when
//! unsigned.
//!
//! The signature is over the exact bytes written, never a re-serialization: the writer
//! serializes every field but `sig` into `BODY` (`{…}`), signs `jit-audit-entry-v1\n` ||
//! `BODY`, and writes `BODY` without its last `}`, then `,"sig":"<base64>"}` and `\n`. A
//! verifier cuts the line at its last `,"sig":` and puts the `}` back.
//!
//! # The checkpoint
//!
//! ```text
//! jit.dev/audit/laptop
//! 1
//! CL4GcYaR7B1ZdlV7adYQ5QI07F8BhNF6a0IwnwGDh1U=
//!
//! — jit-person-alice@laptop jgUBSLPxMpXT+Es1iOObUJ93NY+pfxlUHrze6tiF+G3Uk76yJZhiStdPjKpuu74rg8Mqpal8tf1hEvDLGrtlwxVNmws=
//! ```
//!
//! C2SP tlog-checkpoint in a C2SP signed note (see [`checkpoint`]), rewritten after every
//! append. An append without a key writes it with no signature line, which `verify` reports
//! as unverified. Export it (`cp checkpoint somewhere-else`) to get an *anchor*: a later
//! `verify` against it proves the log still holds everything it held then.
//!
//! # Guarantees
//!
//! - **Nothing is lost.** An event is written even when no key can be had (unsigned, and
//!   reported as such by `verify`, never counted as signed). [`AuditLog::append`] returns
//!   only after the entries are on disk (`fdatasync`).
//! - **No fork.** Appends hold an exclusive `flock` on `audit.lock` and take `seq` and
//!   `prev` from the file's last line, never from memory, so concurrent appenders (a cron
//!   reap and a person's grant) form one chain. A batch (a reap of many policies) is one
//!   write and one sync.
//! - **Crashes are recovered, not hidden.** A crash mid-write leaves a torn tail: bytes after
//!   the last `\n`, or complete lines after the last one that parses. `verify` reports it;
//!   the next append copies it (synced) to `audit.log.torn`, writes over it starting at the
//!   end of the last good line, and records a `recover` entry with the torn bytes' offset,
//!   length and SHA-256. Complete entries are never removed, and nothing is appended after
//!   torn bytes. A line in the middle that does not parse is never moved: that is tampering.
//! - **Tampering is evident** to `verify` with the trusted public keys: a changed byte (bad
//!   signature), a removed, duplicated or reordered line (seq and prev), a rewrite re-signed
//!   by another key (unknown key), a reaper key signing a grant (role), a shortened or
//!   rolled-back log (the checkpoint, or an anchor kept elsewhere, no longer matches).
//! - **Limits.** Someone who can write the directory can delete the log and its checkpoint
//!   together, or replace them with an older consistent pair; only an anchor kept elsewhere
//!   detects that. A signing key on the same machine signs whatever its holder wants: roles
//!   limit what a stolen reaper key can claim.
//!
//! # Verification, verdicts and exit codes
//!
//! [`verify`] takes the trusted public keys with their roles (`person` keys sign anything,
//! the `reaper` key only `reap`, `recover` and `note`) and optionally an anchor checkpoint.
//! It reads every line once (holding the lock shared, so it never sees half a batch) and
//! checks, per line: that it parses (format version 1, no unknown fields), its signature by
//! a trusted key (checked in batches of 1024, about 5x faster than one by one; see
//! `batch.rs`), the key's role, `seq` (one more than the line before) and `prev`. Then the
//! log against its checkpoint and the anchor: each must be signed by a trusted key, cover no
//! more entries than the log has, and match the Merkle root of the log's first `size`
//! entries. A log longer than its checkpoint is fine (a crash after the entries were synced,
//! before the checkpoint was replaced).
//!
//! The [`VerifyReport`] lists every finding; its [`Verdict`] is the most serious, with a
//! stable exit code ([`Verdict::exit_code`]):
//!
//! | verdict | exit | when |
//! | --- | --- | --- |
//! | `Valid` | 0 | all of the above hold, every entry signed |
//! | `Tampered { line, reason }` | 10 | a line fails to parse (not the last), a bad signature, an unknown key, a role that may not sign the action, a seq gap, duplicate or reordering, a wrong `prev`; line 0: the checkpoint or anchor is unreadable or a trusted key's signature on it fails |
//! | `Truncated { reason }` | 11 | the log has fewer entries than its checkpoint or the anchor, or its first `size` entries do not hash to their root (rolled back or rewritten) |
//! | `TornTail { offset, length }` | 12 | the file ends in a partial line, or in complete lines that do not parse after the last one that does |
//! | `Unverified { reason }` | 13 | unsigned entries (each listed), no trusted keys given, a checkpoint or anchor that no trusted key signed, an anchor for another origin, no checkpoint, no log |
//!
//! A last line that parses but whose signature fails is `Tampered`, not torn: a crash cannot
//! produce that.

pub mod checkpoint;
pub mod keys;
pub mod merkle;
pub mod setup;

mod append;
mod batch;
mod entry;
mod fsio;
mod log;
mod signer;
mod state;
mod tail;
mod verify;

pub use checkpoint::{Checkpoint, NoteSignature};
pub use entry::{
    Action, Actor, ClusterRef, ENTRY_DOMAIN, Entry, Event, FORMAT_VERSION, GENESIS_PREV, ObjectRef,
    TornRecord,
};
pub use log::{AuditLog, CHECKPOINT_FILE, LOCK_FILE, LOG_FILE, TORN_FILE};
pub use setup::{KeyRecord, SETUP_FILE, Setup};
pub use signer::{Ed25519Signer, KeyRole, PublicKey, Signer, key_id};
pub use verify::{CheckpointStatus, Verdict, VerifyReport, verify};
