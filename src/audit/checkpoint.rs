//! The checkpoint: the log's size and Merkle root in the C2SP `tlog-checkpoint` format, as a
//! C2SP `signed-note`, so standard tooling (witnesses, `note.Open`) can read and check it.
//!
//! ```text
//! <origin>\n<size>\n<base64 root>\n\n— <key name> <base64(key hash || signature)>\n
//! ```
//!
//! The signature covers the note text up to and including the newline that ends the root
//! line; key hash = first 4 bytes of SHA-256(key name || 0x0A || 0x01 || public key), 0x01
//! being the signed-note algorithm byte for Ed25519. An append without a key writes the
//! same text with no signature line (a note C2SP parsers refuse, so nobody takes it for a
//! signed one); `verify` reports such a checkpoint as unverified.

use anyhow::{Context, Result, anyhow, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use super::merkle::Hash;
use super::signer::Signer;

/// C2SP's limit: a note with more signatures than this is refused.
const MAX_SIGNATURES: usize = 100;
const SIGNATURE_PREFIX: &str = "\u{2014} ";
const ALG_ED25519: u8 = 0x01;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Names the log, e.g. `jit.dev/audit/<hostname>`.
    pub origin: String,
    /// The number of entries (lines) the root covers.
    pub size: u64,
    /// The RFC 6962 root over those lines (each without its `\n`).
    pub root: Hash,
    /// Extension lines after the root; jit writes none, but keeps those it reads since
    /// they are signed.
    pub extensions: Vec<String>,
    pub signatures: Vec<NoteSignature>,
}

/// One `— name base64` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_hash: [u8; 4],
    /// The signature bytes after the key hash (64 for Ed25519).
    pub signature: Vec<u8>,
}

/// What a checkpoint's signatures say given a set of trusted keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteCheck {
    /// Names of trusted keys whose signature verified.
    pub verified: Vec<String>,
    /// Names of trusted keys whose signature line is there but does not verify.
    pub bad: Vec<String>,
}

/// A key as the note checker needs it.
pub(crate) struct NoteKey<'a> {
    pub name: &'a str,
    pub hash: [u8; 4],
    pub key: &'a VerifyingKey,
}

/// The signed-note key hash of an Ed25519 key.
pub fn note_key_hash(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', ALG_ED25519]);
    hasher.update(public);
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Whether `name` may name a key in a signed note: not empty, no spaces, no `+`.
pub fn valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

impl Checkpoint {
    /// An unsigned checkpoint.
    pub fn new(origin: &str, size: u64, root: Hash) -> Checkpoint {
        Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// The signed part: `origin\nsize\nroot\n` and any extension lines.
    pub fn body(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for line in &self.extensions {
            body.push_str(line);
            body.push('\n');
        }
        body
    }

    /// The whole note, as written to the `checkpoint` file.
    pub fn to_note(&self) -> String {
        let mut note = self.body();
        note.push('\n');
        for sig in &self.signatures {
            let mut blob = sig.key_hash.to_vec();
            blob.extend_from_slice(&sig.signature);
            note.push_str(&format!(
                "{SIGNATURE_PREFIX}{} {}\n",
                sig.name,
                B64.encode(blob)
            ));
        }
        note
    }

    /// Adds `signer`'s signature line.
    pub fn sign(&mut self, signer: &dyn Signer) -> Result<()> {
        let name = signer.key_name();
        ensure!(
            valid_key_name(name),
            "key name {name:?} cannot sign a checkpoint: a signed-note key name has no spaces or '+'"
        );
        let signature = signer.sign(self.body().as_bytes());
        self.signatures.push(NoteSignature {
            name: name.to_string(),
            key_hash: note_key_hash(name, &signer.public_key()),
            signature: signature.to_vec(),
        });
        Ok(())
    }

    /// Checks every signature line made by one of `keys` (matched by name and key hash, as
    /// signed-note verifiers do); lines by other keys are ignored.
    pub(crate) fn check(&self, keys: &[NoteKey<'_>]) -> NoteCheck {
        let body = self.body();
        let mut check = NoteCheck::default();
        for sig in &self.signatures {
            for key in keys {
                if key.name != sig.name || key.hash != sig.key_hash {
                    continue;
                }
                let good = <[u8; 64]>::try_from(sig.signature.as_slice())
                    .map(|bytes| {
                        key.key
                            .verify_strict(body.as_bytes(), &Signature::from_bytes(&bytes))
                            .is_ok()
                    })
                    .unwrap_or(false);
                let list = if good {
                    &mut check.verified
                } else {
                    &mut check.bad
                };
                if !list.contains(&sig.name) {
                    list.push(sig.name.clone());
                }
            }
        }
        check
    }

    /// Parses a checkpoint note, signed or not (an unsigned one has no signature lines).
    pub fn parse(text: &str) -> Result<Checkpoint> {
        ensure!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a checkpoint may hold no control characters but newlines"
        );
        ensure!(text.ends_with('\n'), "a checkpoint ends with a newline");
        let split = text
            .rfind("\n\n")
            .ok_or_else(|| anyhow!("a checkpoint has a blank line before its signatures"))?;
        let (body, signatures) = (&text[..split + 1], &text[split + 2..]);

        let mut lines = body.lines();
        let origin = lines.next().unwrap_or_default();
        ensure!(!origin.is_empty(), "the checkpoint's origin line is empty");
        let size = lines.next().unwrap_or_default();
        ensure!(
            !size.is_empty()
                && size.bytes().all(|b| b.is_ascii_digit())
                && (size == "0" || !size.starts_with('0')),
            "the checkpoint's size {size:?} is not a decimal number"
        );
        let size: u64 = size.parse().context("the checkpoint's size is too large")?;
        let root = lines.next().unwrap_or_default();
        let root = B64
            .decode(root)
            .ok()
            .and_then(|raw| Hash::try_from(raw.as_slice()).ok())
            .ok_or_else(|| anyhow!("the checkpoint's root {root:?} is not base64 of 32 bytes"))?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        ensure!(
            extensions.iter().all(|line| !line.is_empty()),
            "the checkpoint has an empty line in its body"
        );

        let signatures = signatures
            .lines()
            .map(parse_signature_line)
            .collect::<Result<Vec<_>>>()?;
        ensure!(
            signatures.len() <= MAX_SIGNATURES,
            "the checkpoint has more than {MAX_SIGNATURES} signatures"
        );
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions,
            signatures,
        })
    }
}

fn parse_signature_line(line: &str) -> Result<NoteSignature> {
    let Some(rest) = line.strip_prefix(SIGNATURE_PREFIX) else {
        bail!("checkpoint signature line {line:?} does not start with \"— \"");
    };
    let (name, blob) = rest
        .split_once(' ')
        .ok_or_else(|| anyhow!("checkpoint signature line {line:?} has no signature"))?;
    ensure!(
        valid_key_name(name),
        "bad key name {name:?} in the checkpoint"
    );
    let blob = B64
        .decode(blob)
        .map_err(|_| anyhow!("the checkpoint signature by {name} is not base64"))?;
    ensure!(
        blob.len() > 4,
        "the checkpoint signature by {name} is too short"
    );
    Ok(NoteSignature {
        name: name.to_string(),
        key_hash: [blob[0], blob[1], blob[2], blob[3]],
        signature: blob[4..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::signer::{Ed25519Signer, KeyRole};

    /// The example key of golang.org/x/mod/sumdb/note, the reference implementation:
    /// `PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz`.
    fn peter() -> Ed25519Signer {
        let raw = B64
            .decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
            .unwrap();
        assert_eq!(raw[0], ALG_ED25519);
        let seed: [u8; 32] = raw[1..].try_into().unwrap();
        Ed25519Signer::from_seed("PeterNeumann".into(), KeyRole::Person, seed)
    }

    #[test]
    fn signature_lines_match_the_reference_implementation_byte_for_byte() {
        let signer = peter();
        let public = B64
            .decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
            .unwrap();
        assert_eq!(signer.public_key().as_slice(), &public[1..]);
        assert_eq!(
            note_key_hash("PeterNeumann", &signer.public_key()),
            [0xc7, 0x4f, 0x20, 0xa3]
        );
        // The note package signs any text; a checkpoint is one kind. Build the signature
        // line for the reference text the same way `sign` does.
        let text = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
        let mut blob = note_key_hash("PeterNeumann", &signer.public_key()).to_vec();
        blob.extend_from_slice(&signer.sign(text.as_bytes()));
        assert_eq!(
            format!("{SIGNATURE_PREFIX}PeterNeumann {}\n", B64.encode(blob)),
            "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        );
    }

    #[test]
    fn a_signed_checkpoint_round_trips_and_verifies() {
        let signer =
            Ed25519Signer::from_seed("jit-person-alice@laptop".into(), KeyRole::Person, [3; 32]);
        let mut checkpoint = Checkpoint::new("jit.dev/audit/laptop", 42, [0xab; 32]);
        checkpoint.sign(&signer).unwrap();
        let note = checkpoint.to_note();
        assert!(note.starts_with(
            "jit.dev/audit/laptop\n42\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n\n— jit-person-alice@laptop "
        ));
        let parsed = Checkpoint::parse(&note).unwrap();
        assert_eq!(parsed, checkpoint);

        let key = signer.public().verifying_key().unwrap();
        let keys = [NoteKey {
            name: "jit-person-alice@laptop",
            hash: note_key_hash("jit-person-alice@laptop", &signer.public_key()),
            key: &key,
        }];
        assert_eq!(parsed.check(&keys).verified, ["jit-person-alice@laptop"]);

        let forged = Checkpoint::parse(&note.replace("\n42\n", "\n41\n")).unwrap();
        let check = forged.check(&keys);
        assert!(check.verified.is_empty());
        assert_eq!(check.bad, ["jit-person-alice@laptop"]);
    }

    #[test]
    fn an_unsigned_checkpoint_parses_with_no_signatures() {
        let checkpoint = Checkpoint::new("o", 0, [0; 32]);
        let note = checkpoint.to_note();
        assert_eq!(
            note,
            "o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"
        );
        assert_eq!(Checkpoint::parse(&note).unwrap().signatures, []);
    }

    #[test]
    fn malformed_checkpoints_are_refused() {
        let root = B64.encode([0u8; 32]);
        for (text, reason) in [
            (format!("o\n01\n{root}\n\n"), "not a decimal"),
            (format!("o\n1\n{root}\n"), "blank line"),
            ("o\n1\nAAAA\n\n".to_string(), "32 bytes"),
            (format!("\n1\n{root}\n\n"), "origin"),
            (format!("o\n1\n{root}\n\nsig\n"), "does not start"),
            (format!("o\n1\n{root}\n\n— a+b AAAAAAAA\n"), "key name"),
            (format!("o\n1\n{root}\r\n\n"), "control"),
        ] {
            let err = Checkpoint::parse(&text).unwrap_err().to_string();
            assert!(err.contains(reason), "{text:?}: {err}");
        }
    }

    #[test]
    fn key_names_with_spaces_or_plus_cannot_sign() {
        let signer = Ed25519Signer::from_seed("alice laptop".into(), KeyRole::Person, [1; 32]);
        assert!(Checkpoint::new("o", 1, [0; 32]).sign(&signer).is_err());
    }
}
