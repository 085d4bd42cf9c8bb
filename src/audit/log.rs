//! [`AuditLog`]: where the log lives, its lock, and reading it back. Appending is in
//! `append.rs`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, ensure};

use super::checkpoint::Checkpoint;
use super::entry::{Entry, decode};
use super::fsio;
use super::tail;

/// One JSON entry per line.
pub const LOG_FILE: &str = "audit.log";
/// Held (flock) by every append; readers take it shared so they never see half a batch.
pub const LOCK_FILE: &str = "audit.lock";
/// Torn tails moved aside by recovery, each after a header line giving its offset.
pub const TORN_FILE: &str = "audit.log.torn";
/// The latest checkpoint (signed note).
pub const CHECKPOINT_FILE: &str = "checkpoint";

/// An audit log in a directory. Holds no state but its location: every append reads the
/// log's tail under the lock, so any number of processes can append.
#[derive(Debug, Clone)]
pub struct AuditLog {
    dir: PathBuf,
    origin: String,
}

impl AuditLog {
    /// Opens (creating it 0700 if needed) the log in `dir`. `origin` names the log in its
    /// checkpoints, e.g. `jit.dev/audit/<hostname>`; it is one line of text.
    pub fn open(dir: &Path, origin: &str) -> Result<AuditLog> {
        ensure!(
            !origin.is_empty() && !origin.chars().any(char::is_control),
            "the audit log's origin {origin:?} must be one non-empty line"
        );
        fsio::create_dir(dir)
            .with_context(|| format!("creating the audit log directory {}", dir.display()))?;
        Ok(AuditLog {
            dir: dir.to_path_buf(),
            origin: origin.to_string(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.join(LOG_FILE)
    }

    /// Every entry, in order, for `jit log show` (which filters). A torn tail is left out
    /// (it is not an entry); any other line that does not parse is an error naming it, since
    /// then the log needs `jit log verify`, not a partial listing.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let _lock = lock(&self.dir, false)?;
        let path = self.log_path();
        let Some(file) = open_if_exists(&path)? else {
            return Ok(Vec::new());
        };
        let mut entries = Vec::new();
        for_each_line(&file, |number, line| {
            let decoded = decode(&line[..line.len() - 1], number).map_err(|err| {
                anyhow!(
                    "line {number} of {} is not an audit entry ({err}); run `jit log verify`",
                    path.display()
                )
            })?;
            entries.push(decoded.entry);
            Ok(())
        })?;
        Ok(entries)
    }

    /// The latest checkpoint, if an append has written one.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        read_checkpoint(&self.dir)
    }
}

/// Takes the log's lock: exclusive to append, shared to read. Readers of a directory they
/// cannot write (a copy kept as evidence) go without: nobody appends there.
pub(crate) fn lock(dir: &Path, exclusive: bool) -> Result<Option<File>> {
    let path = dir.join(LOCK_FILE);
    let file = if exclusive {
        fsio::private()
            .read(true)
            .write(true)
            .create(true)
            .open(&path)
    } else {
        File::open(&path)
    };
    let file = match file {
        Ok(file) => file,
        Err(_) if !exclusive => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("opening {}", path.display())),
    };
    if exclusive {
        file.lock()
    } else {
        file.lock_shared()
    }
    .with_context(|| format!("locking {}", path.display()))?;
    Ok(Some(file))
}

pub(crate) fn open_if_exists(path: &Path) -> Result<Option<File>> {
    match File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("opening {}", path.display())),
    }
}

pub(crate) fn read_checkpoint(dir: &Path) -> Result<Option<Checkpoint>> {
    let path = dir.join(CHECKPOINT_FILE);
    let Some(bytes) =
        fsio::read_if_exists(&path).with_context(|| format!("reading {}", path.display()))?
    else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8", path.display()))?;
    Checkpoint::parse(&text)
        .map(Some)
        .with_context(|| format!("reading {}", path.display()))
}

/// Calls `each(line number, line with its \n)` for every line before the torn tail, and
/// returns where the tail starts and the file's length.
pub(crate) fn for_each_line(
    file: &File,
    mut each: impl FnMut(usize, &[u8]) -> Result<()>,
) -> Result<(u64, u64)> {
    let len = file.metadata()?.len();
    let tail = tail::scan(file, len)?;
    let mut reader = BufReader::with_capacity(1 << 20, file.take(tail.end));
    let mut line = Vec::with_capacity(1024);
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        // Everything before the tail ends in '\n': the tail starts after one.
        debug_assert_eq!(line.last(), Some(&b'\n'));
        each(number, &line)?;
    }
    Ok((tail.end, len))
}
