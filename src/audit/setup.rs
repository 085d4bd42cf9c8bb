//! What `jit log init` chose, kept beside the log in `keys.json`: the log's origin (its name
//! in checkpoints) and every signing key's public half, role and store.
//!
//! ```json
//! {"origin":"jit.dev/audit/laptop","keys":[{"name":"alice@laptop","role":"person",
//!  "public":"…base64…","id":"10ba682c8ad13513","store":"keyring","created":"2026-11-27T15:12:41Z"}]}
//! ```
//!
//! The store is recorded because signing must look exactly there and nowhere else (no
//! silent fallback). A rotated key stays in the file, `retired`, so entries it signed still
//! verify. The file is what `jit log verify` trusts by default; someone who can rewrite the
//! log can rewrite it too, so independent verification uses keys exported with
//! `jit log keys` and kept elsewhere.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::fsio;
use super::keys::KeyStore;
use super::log::lock;
use super::signer::{KeyRole, PublicKey, key_id};

pub const SETUP_FILE: &str = "keys.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The log's name in its checkpoints: `jit.dev/audit/<hostname>` unless chosen.
    pub origin: String,
    #[serde(default)]
    pub keys: Vec<KeyRecord>,
}

/// One signing key, as the log knows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRecord {
    pub name: String,
    pub role: KeyRole,
    /// Base64 of the 32-byte Ed25519 public key.
    pub public: String,
    /// [`key_id`] of the public key: what entries carry in `key`.
    pub id: String,
    /// Where the secret half lives.
    pub store: KeyStore,
    /// RFC 3339, local clock.
    pub created: String,
    /// Replaced by a newer key of the same role: still trusted for what it signed, never
    /// used to sign again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl KeyRecord {
    pub fn new(public: &PublicKey, store: KeyStore) -> Result<KeyRecord> {
        Ok(KeyRecord {
            name: public.name.clone(),
            role: public.role,
            public: public.key.clone(),
            id: key_id(&public.bytes()?),
            store,
            created: jiff::Timestamp::now()
                .round(jiff::Unit::Second)?
                .to_string(),
            retired: false,
        })
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            name: self.name.clone(),
            role: self.role,
            key: self.public.clone(),
        }
    }
}

impl Setup {
    /// The setup of a log nobody has run `jit log init` for: this host's origin, no keys.
    pub fn fresh() -> Setup {
        Setup {
            origin: default_origin(),
            keys: Vec::new(),
        }
    }

    /// Reads `dir/keys.json`; `None` when there is none.
    pub fn load(dir: &Path) -> Result<Option<Setup>> {
        let path = dir.join(SETUP_FILE);
        let Some(bytes) =
            fsio::read_if_exists(&path).with_context(|| format!("reading {}", path.display()))?
        else {
            return Ok(None);
        };
        let setup: Setup = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is not a jit key list; restore it from a backup (or `jit log keys` output kept elsewhere)",
                path.display()
            )
        })?;
        Ok(Some(setup))
    }

    /// The setup in `dir`, written there first (with [`Setup::fresh`]) when there is none,
    /// so the origin of a log never changes after its first entry. Under the log's lock:
    /// two first appends at once agree on one file.
    pub fn load_or_create(dir: &Path) -> Result<Setup> {
        if let Some(setup) = Setup::load(dir)? {
            return Ok(setup);
        }
        fsio::create_dir(dir)
            .with_context(|| format!("creating the audit log directory {}", dir.display()))?;
        let _lock = lock(dir, true)?;
        if let Some(setup) = Setup::load(dir)? {
            return Ok(setup);
        }
        let setup = Setup::fresh();
        setup.write(dir)?;
        Ok(setup)
    }

    /// Changes the setup under the log's lock, from what is on disk now (another process
    /// may have changed it meanwhile).
    pub fn update<T>(dir: &Path, change: impl FnOnce(&mut Setup) -> Result<T>) -> Result<T> {
        fsio::create_dir(dir)
            .with_context(|| format!("creating the audit log directory {}", dir.display()))?;
        let _lock = lock(dir, true)?;
        let mut setup = Setup::load(dir)?.unwrap_or_else(Setup::fresh);
        let result = change(&mut setup)?;
        setup.write(dir)?;
        Ok(result)
    }

    fn write(&self, dir: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        fsio::replace(dir, SETUP_FILE, &bytes, true)
            .with_context(|| format!("writing {}", dir.join(SETUP_FILE).display()))
    }

    /// The key that signs for `role` now (not retired), if one was set up.
    pub fn signing_key(&self, role: KeyRole) -> Option<&KeyRecord> {
        self.keys.iter().find(|k| k.role == role && !k.retired)
    }

    /// Adds `record` as the signing key of its role. With `rotate`, the current key of that
    /// role is retired; without it, an existing key is an error (it may be the only one that
    /// verifies what came before, and replacing it should be a decision).
    pub fn add(&mut self, record: KeyRecord, rotate: bool) -> Result<()> {
        if let Some(current) = self
            .keys
            .iter_mut()
            .find(|k| k.role == record.role && !k.retired)
        {
            if !rotate {
                bail!(
                    "a {} key is already set up: {} ({}, in {})",
                    record.role.as_str(),
                    current.name,
                    current.id,
                    current.store
                );
            }
            current.retired = true;
        }
        if self.keys.iter().any(|k| k.name == record.name) {
            bail!(
                "a key named {:?} is already listed (retired keys keep their names); choose another with --name",
                record.name
            );
        }
        self.keys.push(record);
        Ok(())
    }

    /// Every key this log has been signed with, retired ones included.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys.iter().map(KeyRecord::public_key).collect()
    }
}

/// `jit.dev/audit/<hostname>`.
pub fn default_origin() -> String {
    format!("jit.dev/audit/{}", hostname())
}

/// This machine's name, for origins and default key names (`localhost` if it has none).
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into the buffer we own.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let name = if rc == 0 {
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    } else {
        String::new()
    };
    let name: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '+')
        .collect();
    if name.is_empty() {
        "localhost".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Ed25519Signer;

    fn record(name: &str, role: KeyRole) -> KeyRecord {
        let signer = Ed25519Signer::generate(name.to_string(), role);
        KeyRecord::new(&signer.public(), KeyStore::Keyutils).unwrap()
    }

    #[test]
    fn first_use_writes_one_origin_that_later_loads_keep() {
        let dir = tempfile::tempdir().unwrap();
        let first = Setup::load_or_create(dir.path()).unwrap();
        assert!(first.origin.starts_with("jit.dev/audit/"));
        let again = Setup::load_or_create(dir.path()).unwrap();
        assert_eq!(first, again);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join(SETUP_FILE))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_second_key_of_a_role_needs_rotate_and_retires_the_first() {
        let mut setup = Setup::fresh();
        setup
            .add(record("alice@laptop", KeyRole::Person), false)
            .unwrap();
        setup
            .add(record("reaper@laptop", KeyRole::Reaper), false)
            .unwrap();
        let err = setup
            .add(record("alice2@laptop", KeyRole::Person), false)
            .unwrap_err();
        assert!(err.to_string().contains("already set up"), "{err}");
        setup
            .add(record("alice2@laptop", KeyRole::Person), true)
            .unwrap();
        assert_eq!(
            setup.signing_key(KeyRole::Person).unwrap().name,
            "alice2@laptop"
        );
        assert_eq!(
            setup.public_keys().len(),
            3,
            "the retired key still verifies"
        );
        assert_eq!(
            setup.signing_key(KeyRole::Reaper).unwrap().name,
            "reaper@laptop"
        );
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETUP_FILE), b"{not json").unwrap();
        let err = format!("{:#}", Setup::load_or_create(dir.path()).unwrap_err());
        assert!(err.contains("keys.json"), "{err}");
    }
}
