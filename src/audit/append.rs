//! Appending: lock, read the tail, recover a torn tail, write the batch, sync once, then
//! replace the checkpoint. The order is what makes a crash at any point safe:
//!
//! 1. The torn bytes go to `audit.log.torn` and are synced *before* the log is touched, so
//!    they are never lost.
//! 2. The batch (a `recover` entry first, if there was a torn tail) is written at the end of
//!    the last good line, over the torn bytes, and the file cut to its end. A crash here
//!    leaves a new torn tail that the next append recovers the same way.
//! 3. One `fdatasync` for the whole batch: a reap removing fifty policies costs one.
//! 4. The checkpoint is replaced atomically. A crash before it leaves an older checkpoint,
//!    which `verify` accepts: the log may be longer than its checkpoint, never shorter. (A
//!    new log gets an empty checkpoint before its first entry, so there is always one.)

use std::fs::File;
use std::os::unix::fs::FileExt;

use anyhow::{Context, Result};
use jiff::Timestamp;

use super::checkpoint::Checkpoint;
use super::entry::{Action, Event, TornRecord, encode, sha256};
use super::fsio;
use super::log::{AuditLog, CHECKPOINT_FILE, TORN_FILE, for_each_line, lock};
use super::merkle::{Frontier, Hash, leaf_hash};
use super::signer::{Signer, hex};
use super::state::{self, State};
use super::tail;

impl AuditLog {
    /// Appends `events` in order, signed by `signer` (unsigned when `None`: an event is never
    /// dropped for want of a key), and returns their `seq`s. Blocks while another process
    /// appends. If the log ends in a torn tail, it is first moved aside and a `recover` entry
    /// written (its `seq` is not among those returned). An empty `events` still recovers and
    /// rewrites the checkpoint.
    pub fn append(&self, events: &[Event], signer: Option<&dyn Signer>) -> Result<Vec<u64>> {
        let _lock = lock(self.dir(), true)?;
        let path = self.log_path();
        let log = fsio::private()
            .read(true)
            .write(true)
            .create(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        let len = log.metadata()?.len();
        let tail = tail::scan(&log, len).with_context(|| format!("reading {}", path.display()))?;

        let mut batch = Batch {
            next_seq: tail.last.map_or(0, |last| last.seq + 1),
            prev: tail.last.map_or([0; 32], |last| last.hash),
            bytes: Vec::new(),
            leaves: Vec::new(),
            signer,
        };
        let prev_before = batch.prev;
        if len == 0 && !self.dir().join(CHECKPOINT_FILE).exists() {
            // A new log gets its (empty) checkpoint before its first entry, so a crash
            // between that entry's sync and its checkpoint leaves a checkpoint that merely
            // lags, as at any later append, rather than none at all.
            self.write_checkpoint(&Frontier::new(), signer)?;
        }
        if tail.end < len {
            let torn = self.move_aside(&log, tail.end, len)?;
            let ts = events.first().map_or_else(Timestamp::now, |e| e.ts);
            let mut recover = Event::new(ts, Action::Recover, "done");
            recover.detail = Some(format!(
                "moved {} torn bytes at offset {} to {TORN_FILE}",
                torn.length, torn.offset
            ));
            batch.push(&recover, Some(&torn))?;
        }
        let seqs = events
            .iter()
            .map(|event| batch.push(event, None))
            .collect::<Result<Vec<u64>>>()?;

        let end = tail.end + batch.bytes.len() as u64;
        if !batch.bytes.is_empty() {
            log.write_all_at(&batch.bytes, tail.end)
                .and_then(|()| if end < len { log.set_len(end) } else { Ok(()) })
                .and_then(|()| log.sync_data())
                .with_context(|| format!("writing {}", path.display()))?;
            if len == 0 {
                // A new file: its directory entry must be durable too.
                fsio::sync_dir(self.dir())?;
            }
        }

        let mut frontier = self.frontier(&log, tail.end, &prev_before)?;
        for leaf in &batch.leaves {
            frontier.push(*leaf);
        }
        self.write_checkpoint(&frontier, signer)?;
        let cache = State {
            end,
            last: batch.prev,
            frontier,
        };
        // Only a cache: failing to save it costs the next append a rebuild, nothing else.
        let _ = state::save(self.dir(), &cache);
        Ok(seqs)
    }

    /// Replaces the checkpoint, atomically and durably, signed by `signer` if there is one.
    fn write_checkpoint(&self, frontier: &Frontier, signer: Option<&dyn Signer>) -> Result<()> {
        let mut checkpoint = Checkpoint::new(self.origin(), frontier.size(), frontier.root());
        if let Some(signer) = signer {
            checkpoint.sign(signer)?;
        }
        fsio::replace(
            self.dir(),
            CHECKPOINT_FILE,
            checkpoint.to_note().as_bytes(),
            true,
        )
        .context("writing the audit checkpoint")
    }

    /// Copies `[offset, len)` of the log to the torn file, durably, and says what it moved.
    fn move_aside(&self, log: &File, offset: u64, len: u64) -> Result<TornRecord> {
        let mut torn = vec![0; (len - offset) as usize];
        log.read_exact_at(&mut torn, offset)?;
        let record = TornRecord {
            offset,
            length: torn.len() as u64,
            sha256: hex(&sha256(&torn)),
        };
        let path = self.dir().join(TORN_FILE);
        let existed = path.exists();
        let mut text = format!(
            "# jit audit: {} torn bytes from {} at offset {}, sha256 {}, moved {}\n",
            record.length,
            super::log::LOG_FILE,
            record.offset,
            record.sha256,
            Timestamp::now()
        )
        .into_bytes();
        text.extend_from_slice(&torn);
        text.push(b'\n');
        let file = fsio::private()
            .append(true)
            .create(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        std::io::Write::write_all(&mut &file, &text)
            .and_then(|()| file.sync_data())
            .with_context(|| format!("writing {}", path.display()))?;
        if !existed {
            fsio::sync_dir(self.dir())?;
        }
        Ok(record)
    }

    /// The Merkle frontier over the log's first `end` bytes: from the cache when it is for
    /// exactly those bytes, else rebuilt by reading them.
    fn frontier(&self, log: &File, end: u64, last: &Hash) -> Result<Frontier> {
        if let Some(cached) = state::load(self.dir())
            && cached.end == end
            && cached.last == *last
        {
            return Ok(cached.frontier);
        }
        let mut frontier = Frontier::new();
        let mut read = 0;
        for_each_line(log, |_, line| {
            read += line.len() as u64;
            if read <= end {
                frontier.push(leaf_hash(&line[..line.len() - 1]));
            }
            Ok(())
        })?;
        Ok(frontier)
    }
}

/// The lines being appended, chained as they are made.
struct Batch<'a> {
    next_seq: u64,
    prev: Hash,
    bytes: Vec<u8>,
    leaves: Vec<Hash>,
    signer: Option<&'a dyn Signer>,
}

impl Batch<'_> {
    fn push(&mut self, event: &Event, torn: Option<&TornRecord>) -> Result<u64> {
        let seq = self.next_seq;
        let line = encode(event, torn, seq, &self.prev, self.signer)?;
        self.prev = sha256(&line);
        self.leaves.push(leaf_hash(&line[..line.len() - 1]));
        self.bytes.extend_from_slice(&line);
        self.next_seq += 1;
        Ok(seq)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::audit::entry::GENESIS_PREV;
    use crate::audit::log::{LOCK_FILE, LOG_FILE};
    use crate::audit::signer::{Ed25519Signer, KeyRole};
    use crate::audit::state::STATE_FILE;

    fn event(i: u64) -> Event {
        let mut event = Event::new(Timestamp::UNIX_EPOCH, Action::Grant, "allowed");
        event.reason = Some(format!("entry {i}"));
        event
    }

    fn signer() -> Ed25519Signer {
        Ed25519Signer::from_seed("alice".into(), KeyRole::Person, [5; 32])
    }

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_directory_is_0700_and_every_file_0600() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("state/jit");
        let log = AuditLog::open(&dir, "test").unwrap();
        log.append(&[event(0)], Some(&signer())).unwrap();
        // A torn tail, so that the next append creates the torn file too.
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join(LOG_FILE))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{torn"))
            .unwrap();
        log.append(&[event(1)], None).unwrap();
        assert_eq!(mode(&dir), 0o700);
        for file in [LOG_FILE, LOCK_FILE, CHECKPOINT_FILE, TORN_FILE, STATE_FILE] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
    }

    #[test]
    fn appends_chain_and_number_entries_and_batches_return_their_seqs() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "test").unwrap();
        assert_eq!(log.append(&[event(0)], Some(&signer())).unwrap(), [0]);
        assert_eq!(
            log.append(&[event(1), event(2), event(3)], None).unwrap(),
            [1, 2, 3]
        );
        // A second handle on the same directory continues the same chain: nothing in memory.
        let other = AuditLog::open(dir.path(), "test").unwrap();
        assert_eq!(other.append(&[event(4)], Some(&signer())).unwrap(), [4]);

        let bytes = std::fs::read(dir.path().join(LOG_FILE)).unwrap();
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let entries = log.entries().unwrap();
        assert_eq!(entries.len(), 5);
        assert_eq!(entries[0].prev, GENESIS_PREV);
        for (i, entry) in entries.iter().enumerate() {
            assert_eq!(entry.seq, i as u64);
            assert_eq!(entry.line, i + 1);
            assert_eq!(entry.event, event(i as u64));
            if i > 0 {
                assert_eq!(entry.prev, hex(&sha256(lines[i - 1])));
            }
        }
        assert!(entries[0].sig.is_some() && entries[1].sig.is_none());
        let checkpoint = log.checkpoint().unwrap().unwrap();
        assert_eq!(checkpoint.size, 5);
        assert_eq!(checkpoint.signatures.len(), 1);
    }

    #[test]
    fn the_merkle_cache_is_rebuilt_when_it_does_not_match_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "test").unwrap();
        for i in 0..6 {
            log.append(&[event(i)], None).unwrap();
        }
        let honest = log.checkpoint().unwrap().unwrap().root;
        let state = dir.path().join(STATE_FILE);

        // Gone, or for another log: the root is still the log's.
        for damage in [None, Some(b"jit-audit-merkle-v1\n0 0 00\n".as_slice())] {
            match damage {
                None => std::fs::remove_file(&state).unwrap(),
                Some(bytes) => std::fs::write(&state, bytes).unwrap(),
            }
            log.append(&[], None).unwrap();
            assert_eq!(log.checkpoint().unwrap().unwrap().root, honest);
        }

        let mut frontier = Frontier::new();
        for line in std::fs::read(dir.path().join(LOG_FILE))
            .unwrap()
            .split_inclusive(|&b| b == b'\n')
        {
            frontier.push(leaf_hash(&line[..line.len() - 1]));
        }
        assert_eq!(frontier.root(), honest);
    }

    #[test]
    fn a_torn_tail_is_moved_aside_and_a_recover_entry_records_it() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "test").unwrap();
        log.append(&[event(0), event(1)], Some(&signer())).unwrap();
        let good = std::fs::read(dir.path().join(LOG_FILE)).unwrap();
        let torn = b"{\"v\":1,\"seq\":2,\"ts\":\"1970-01-01T00:00:00Z\",\"act";
        let mut damaged = good.clone();
        damaged.extend_from_slice(torn);
        std::fs::write(dir.path().join(LOG_FILE), &damaged).unwrap();

        assert_eq!(log.append(&[event(2)], Some(&signer())).unwrap(), [3]);
        let entries = log.entries().unwrap();
        assert_eq!(entries.len(), 4);
        let recover = &entries[2];
        assert_eq!(recover.event.action, Action::Recover);
        assert_eq!(
            recover.torn,
            Some(TornRecord {
                offset: good.len() as u64,
                length: torn.len() as u64,
                sha256: hex(&sha256(torn)),
            })
        );
        assert_eq!(entries[3].event, event(2));
        let after = std::fs::read(dir.path().join(LOG_FILE)).unwrap();
        assert!(after.starts_with(&good), "every complete entry is kept");
        let moved = std::fs::read(dir.path().join(TORN_FILE)).unwrap();
        let header = format!(
            "# jit audit: {} torn bytes from audit.log at offset {}, sha256 {}, moved ",
            torn.len(),
            good.len(),
            hex(&sha256(torn))
        );
        assert!(moved.starts_with(header.as_bytes()), "{moved:?}");
        assert!(moved.ends_with(&[torn.as_slice(), b"\n"].concat()));
    }

    #[test]
    fn a_torn_tail_longer_than_the_new_batch_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path(), "test").unwrap();
        log.append(&[event(0)], None).unwrap();
        let mut bytes = std::fs::read(dir.path().join(LOG_FILE)).unwrap();
        bytes.extend(std::iter::repeat_n(b'x', 10_000));
        std::fs::write(dir.path().join(LOG_FILE), &bytes).unwrap();
        log.append(&[], None).unwrap();
        let entries = log.entries().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].event.action, Action::Recover);
        let len = std::fs::metadata(dir.path().join(LOG_FILE)).unwrap().len();
        assert!(len < 2_000, "the file ends at the recover entry: {len}");
    }
}
