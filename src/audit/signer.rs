//! Who signs entries and checkpoints: the [`Signer`] trait the key stores plug into, an
//! in-memory Ed25519 implementation, and the public half handed to `verify`.

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::entry::Action;

/// What a key may sign. The role travels with the trusted public key, not in the entry, so a
/// stolen reaper key cannot promote itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyRole {
    /// A person's key: may sign every action.
    Person,
    /// The reaper's key (often on a shared host or in a cluster): may sign only `reap`,
    /// `recover` and `note` entries, so its theft cannot forge a grant.
    Reaper,
}

impl KeyRole {
    /// Whether a key of this role may sign an entry of `action`.
    pub fn may_sign(self, action: Action) -> bool {
        match self {
            KeyRole::Person => true,
            KeyRole::Reaper => matches!(action, Action::Reap | Action::Recover | Action::Note),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Person => "person",
            KeyRole::Reaper => "reaper",
        }
    }
}

/// Something that signs with an Ed25519 key: an in-memory seed ([`Ed25519Signer`]), or
/// whatever the key stores offer. Signing cannot fail: a store that may fail (a locked
/// keyring) fails while it is loaded, before an append starts.
pub trait Signer: Send + Sync {
    /// The key's name, e.g. `jit-person-alice@laptop`; it names the key on checkpoint
    /// signature lines, so it must be a valid signed-note key name (no spaces, no `+`).
    fn key_name(&self) -> &str;
    fn role(&self) -> KeyRole;
    fn public_key(&self) -> [u8; 32];
    /// An Ed25519 signature of `message` (RFC 8032, pure).
    fn sign(&self, message: &[u8]) -> [u8; 64];
}

/// A key given to `verify`, e.g. from `jit log keys` export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub name: String,
    pub role: KeyRole,
    /// Base64 (standard, padded) of the 32-byte Ed25519 public key.
    pub key: String,
}

impl PublicKey {
    pub fn new(name: impl Into<String>, role: KeyRole, public: &[u8; 32]) -> PublicKey {
        PublicKey {
            name: name.into(),
            role,
            key: B64.encode(public),
        }
    }

    /// The public half of a signer, as `verify` wants it.
    pub fn of(signer: &dyn Signer) -> PublicKey {
        PublicKey::new(signer.key_name(), signer.role(), &signer.public_key())
    }

    /// The 32 raw bytes; an error names the key when `key` is not base64 of 32 bytes.
    pub fn bytes(&self) -> Result<[u8; 32]> {
        let raw = B64
            .decode(self.key.trim())
            .with_context(|| format!("public key {:?} is not base64", self.name))?;
        match <[u8; 32]>::try_from(raw.as_slice()) {
            Ok(bytes) => Ok(bytes),
            Err(_) => bail!(
                "public key {:?} is {} bytes, an Ed25519 key is 32",
                self.name,
                raw.len()
            ),
        }
    }

    /// The key, ready to check signatures; the point is decompressed once, here.
    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey> {
        VerifyingKey::from_bytes(&self.bytes()?)
            .with_context(|| format!("public key {:?} is not an Ed25519 key", self.name))
    }
}

/// The `key` field of an entry: hex of the first 8 bytes of SHA-256(public key). Short, but
/// it only selects among trusted keys; the signature itself decides.
pub fn key_id(public: &[u8; 32]) -> String {
    hex(&Sha256::digest(public)[..8])
}

/// Lowercase hex, for hashes and key ids.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    out
}

/// An in-memory Ed25519 signer: for tests, and what the key stores return after loading a
/// seed. The seed is wiped when the signer is dropped (ed25519-dalek zeroizes it).
pub struct Ed25519Signer {
    name: String,
    role: KeyRole,
    key: SigningKey,
}

impl Ed25519Signer {
    pub fn from_seed(name: String, role: KeyRole, seed: [u8; 32]) -> Self {
        Ed25519Signer {
            name,
            role,
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// A new key from the operating system's random source.
    pub fn generate(name: String, role: KeyRole) -> Self {
        use rand::TryRngCore;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng
            .try_fill_bytes(&mut seed)
            .expect("the operating system's random source failed");
        Self::from_seed(name, role, seed)
    }

    /// The 32-byte secret seed, for the key stores to save.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn public(&self) -> PublicKey {
        PublicKey::of(self)
    }
}

impl Signer for Ed25519Signer {
    fn key_name(&self) -> &str {
        &self.name
    }

    fn role(&self) -> KeyRole {
        self.role
    }

    fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

/// Never prints the seed.
impl std::fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ed25519Signer")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("key", &key_id(&self.public_key()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_round_trips_and_signatures_verify() {
        let signer = Ed25519Signer::generate("jit-person-alice@laptop".into(), KeyRole::Person);
        let again = Ed25519Signer::from_seed("x".into(), KeyRole::Person, signer.seed());
        assert_eq!(signer.public_key(), again.public_key());
        let sig = signer.sign(b"hello");
        let key = signer.public().verifying_key().unwrap();
        assert!(
            key.verify_strict(b"hello", &ed25519_dalek::Signature::from_bytes(&sig))
                .is_ok()
        );
    }

    #[test]
    fn key_ids_are_16_hex_digits_of_the_keys_hash() {
        // SHA-256 of 32 zero bytes begins 66687aadf862bd77.
        assert_eq!(key_id(&[0; 32]), "66687aadf862bd77");
    }

    #[test]
    fn debug_output_hides_the_seed() {
        let signer = Ed25519Signer::from_seed("k".into(), KeyRole::Reaper, [7; 32]);
        let shown = format!("{signer:?}");
        assert!(
            !shown.contains("07, 07") && !shown.contains("[7, 7"),
            "{shown}"
        );
    }

    #[test]
    fn reaper_keys_sign_only_reaps_recoveries_and_notes() {
        let allowed: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| KeyRole::Reaper.may_sign(*a))
            .collect();
        assert_eq!(allowed, [Action::Reap, Action::Recover, Action::Note]);
        assert!(Action::ALL.into_iter().all(|a| KeyRole::Person.may_sign(a)));
    }

    #[test]
    fn bad_public_keys_are_named() {
        let short = PublicKey {
            name: "k".into(),
            role: KeyRole::Person,
            key: B64.encode([1u8; 31]),
        };
        assert!(short.bytes().unwrap_err().to_string().contains("31 bytes"));
        let junk = PublicKey {
            key: "%%".into(),
            ..short
        };
        assert!(junk.bytes().unwrap_err().to_string().contains("\"k\""));
    }
}
