//! Finds where the log's good part ends by reading backwards from the end, so an append costs
//! the same on a log of ten entries or ten million.
//!
//! The torn tail is everything after the last complete line (one ending in `\n`) that parses
//! as an entry: a partial line left by a crash mid-write, and any complete lines after the
//! last parseable one (a crash can leave a block of zeros where a line should be). A complete
//! unparseable line *followed by* a good one is not a tail: that is damage in the middle,
//! which `verify` reports as tampering and nothing moves aside.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use super::entry::{decode, sha256};

const CHUNK: u64 = 64 * 1024;

/// The last good entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LastEntry {
    pub seq: u64,
    /// SHA-256 of its line, `\n` included: the next entry's `prev`.
    pub hash: [u8; 32],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tail {
    /// Where the good part ends; bytes from here to the end of the file are torn.
    pub end: u64,
    pub last: Option<LastEntry>,
}

/// Scans `file`, whose length is `len`, from the end.
pub(crate) fn scan(file: &File, len: u64) -> io::Result<Tail> {
    let Some(newline) = newline_before(file, len)? else {
        return Ok(Tail { end: 0, last: None });
    };
    let mut end = newline + 1;
    loop {
        let start = newline_before(file, end - 1)?.map_or(0, |p| p + 1);
        let mut line = vec![0; (end - start) as usize];
        file.read_exact_at(&mut line, start)?;
        if let Ok(decoded) = decode(&line[..line.len() - 1], 0) {
            let last = LastEntry {
                seq: decoded.entry.seq,
                hash: sha256(&line),
            };
            return Ok(Tail {
                end,
                last: Some(last),
            });
        }
        if start == 0 {
            return Ok(Tail { end: 0, last: None });
        }
        end = start;
    }
}

/// The offset of the last `\n` before `pos`.
fn newline_before(file: &File, pos: u64) -> io::Result<Option<u64>> {
    let mut chunk_end = pos;
    let mut buffer = vec![0; CHUNK as usize];
    while chunk_end > 0 {
        let chunk_start = chunk_end.saturating_sub(CHUNK);
        let chunk = &mut buffer[..(chunk_end - chunk_start) as usize];
        file.read_exact_at(chunk, chunk_start)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(chunk_start + i as u64));
        }
        chunk_end = chunk_start;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::entry::{Action, Event, encode};
    use std::io::Write;

    fn line(seq: u64) -> Vec<u8> {
        let event = Event::new(jiff::Timestamp::UNIX_EPOCH, Action::Note, "done");
        encode(&event, None, seq, &[0; 32], None).unwrap()
    }

    fn scan_bytes(bytes: &[u8]) -> Tail {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        scan(&file, bytes.len() as u64).unwrap()
    }

    #[test]
    fn a_clean_log_has_no_torn_tail() {
        let mut log = line(0);
        log.extend(line(1));
        let tail = scan_bytes(&log);
        assert_eq!(tail.end, log.len() as u64);
        assert_eq!(tail.last.unwrap().seq, 1);
        assert_eq!(tail.last.unwrap().hash, sha256(&line(1)));
        assert_eq!(scan_bytes(b""), Tail { end: 0, last: None });
    }

    #[test]
    fn a_partial_line_and_unparseable_lines_after_the_last_entry_are_torn() {
        let good = line(0);
        for torn in [
            &line(1)[..40],
            b"\0\0\0\0\n\0\0".as_slice(),
            b"{\"v\":1}\n",
            &line(1)[..line(1).len() - 1],
        ] {
            let mut log = good.clone();
            log.extend_from_slice(torn);
            let tail = scan_bytes(&log);
            assert_eq!(tail.end, good.len() as u64, "{torn:?}");
            assert_eq!(tail.last.unwrap().seq, 0);
        }
    }

    #[test]
    fn garbage_in_the_middle_is_not_a_tail() {
        let mut log = line(0);
        log.extend_from_slice(b"garbage\n");
        log.extend(line(2));
        assert_eq!(scan_bytes(&log).end, log.len() as u64);
    }

    #[test]
    fn a_file_of_garbage_is_all_torn() {
        let tail = scan_bytes(b"garbage\nmore garbage");
        assert_eq!(tail, Tail { end: 0, last: None });
    }

    #[test]
    fn lines_longer_than_a_chunk_are_found() {
        let mut event = Event::new(jiff::Timestamp::UNIX_EPOCH, Action::Note, "done");
        event.detail = Some("x".repeat(200_000));
        let long = encode(&event, None, 0, &[0; 32], None).unwrap();
        let mut log = long.clone();
        log.extend(line(1));
        log.extend_from_slice(b"partial");
        let tail = scan_bytes(&log);
        assert_eq!(tail.end, (long.len() + line(1).len()) as u64);
    }
}
