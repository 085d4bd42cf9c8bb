//! `merkle.state`: the Merkle frontier after the last append, so the next checkpoint costs
//! O(log n) instead of rereading the whole log. It is a cache and nothing trusts it: it names
//! the byte length and last line hash it belongs to, and is rebuilt from the log whenever
//! they do not match the log's actual tail (after a crash, a recovery, or any doubt).

use std::path::Path;

use super::entry::sha256;
use super::fsio;
use super::merkle::{Frontier, Hash};
use super::signer::hex;

pub(crate) const STATE_FILE: &str = "merkle.state";
const MAGIC: &str = "jit-audit-merkle-v1";

/// The frontier over the log's first `end` bytes, whose last line hashes to `last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    pub end: u64,
    pub last: Hash,
    pub frontier: Frontier,
}

impl State {
    fn to_text(&self) -> String {
        let mut text = format!(
            "{MAGIC}\n{} {} {}\n",
            self.end,
            self.frontier.size(),
            hex(&self.last)
        );
        for node in self.frontier.nodes() {
            text.push_str(&hex(node));
            text.push('\n');
        }
        // A checksum, so a half-written or bit-rotted cache is noticed, not used.
        let sum = hex(&sha256(text.as_bytes()));
        text.push_str(&sum);
        text.push('\n');
        text
    }

    fn from_text(text: &str) -> Option<State> {
        let (content, sum) = text.strip_suffix('\n')?.rsplit_once('\n')?;
        let content = format!("{content}\n");
        if hex(&sha256(content.as_bytes())) != sum {
            return None;
        }
        let mut lines = content.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let mut header = lines.next()?.split(' ');
        let end = header.next()?.parse().ok()?;
        let size = header.next()?.parse().ok()?;
        let last = unhex(header.next()?)?;
        let nodes = lines.map(unhex).collect::<Option<Vec<_>>>()?;
        Some(State {
            end,
            last,
            frontier: Frontier::from_parts(size, nodes)?,
        })
    }
}

/// The cached state, if there is a readable one.
pub(crate) fn load(dir: &Path) -> Option<State> {
    let bytes = fsio::read_if_exists(&dir.join(STATE_FILE)).ok()??;
    State::from_text(std::str::from_utf8(&bytes).ok()?)
}

/// Saves the cache atomically but without syncing: losing it costs one rebuild, and the
/// rebuild is checked against the log anyway.
pub(crate) fn save(dir: &Path, state: &State) -> std::io::Result<()> {
    fsio::replace(dir, STATE_FILE, state.to_text().as_bytes(), false)
}

fn unhex(text: &str) -> Option<Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut hash = [0; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::merkle::leaf_hash;

    #[test]
    fn the_state_round_trips_and_damage_is_refused() {
        let mut frontier = Frontier::new();
        for i in 0..11u8 {
            frontier.push(leaf_hash(&[i]));
        }
        let state = State {
            end: 1234,
            last: [7; 32],
            frontier,
        };
        let text = state.to_text();
        assert_eq!(State::from_text(&text), Some(state));
        assert_eq!(State::from_text(&text.replace("1234", "1235")), None);
        assert_eq!(State::from_text(&text[..text.len() - 10]), None);
        assert_eq!(State::from_text(""), None);
    }
}
