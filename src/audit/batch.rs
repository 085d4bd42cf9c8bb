//! Checking many Ed25519 signatures at once, several times faster than one by one: a log's
//! entries are nearly all signed by one or two keys, so a random linear combination of their
//! verification equations costs one multiscalar multiplication with one point per signature
//! plus one per key.
//!
//! For signatures s_i on messages M_i with nonces R_i by keys A_k(i), and random 128-bit
//! z_i, the batch holds when
//!
//! ```text
//! [8] ( -(Σ z_i s_i) B + Σ z_i R_i + Σ_k (Σ_{i: k(i)=k} z_i h_i) A_k ) = 0,
//! h_i = SHA-512(R_i || A_k(i) || M_i) mod ℓ
//! ```
//!
//! A forged signature makes this fail except with probability about 2^-128 (the z_i are drawn
//! after the signatures are fixed, from the thread's CSPRNG). What single verification
//! rejects outright is rejected here too before the batch: a non-canonical s, an R that does
//! not decompress or has small order, and (in `verify`) weak trusted keys. When a batch
//! fails, its signatures are checked one by one with `verify_strict` to name each bad one.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha512};

/// Signatures per multiscalar multiplication: past about a thousand the gain flattens, and
/// the messages kept for a fallback stay under a megabyte or so.
pub(crate) const BATCH: usize = 1024;

/// One signature waiting in the batch.
pub(crate) struct Pending<T> {
    /// The caller's tag (a line number, what it claims), handed back with the result.
    pub tag: T,
    key: usize,
    message: Vec<u8>,
    signature: [u8; 64],
    /// Passed the checks that precede the equation.
    well_formed: bool,
}

pub(crate) struct BatchVerifier<'k, T> {
    keys: &'k [VerifyingKey],
    key_points: Vec<EdwardsPoint>,
    pending: Vec<Pending<T>>,
    /// z_i for each R_i, in the order of `nonces`.
    scalars: Vec<Scalar>,
    nonces: Vec<EdwardsPoint>,
    basepoint: Scalar,
    key_scalars: Vec<Scalar>,
}

impl<'k, T> BatchVerifier<'k, T> {
    pub fn new(keys: &'k [VerifyingKey]) -> Self {
        BatchVerifier {
            keys,
            key_points: keys.iter().map(VerifyingKey::to_edwards).collect(),
            pending: Vec::with_capacity(BATCH),
            scalars: Vec::with_capacity(BATCH + keys.len() + 1),
            nonces: Vec::with_capacity(BATCH + keys.len() + 1),
            basepoint: Scalar::ZERO,
            key_scalars: vec![Scalar::ZERO; keys.len()],
        }
    }

    /// Queues `signature` of `message` by `keys[key]`; returns the results of a full batch.
    pub fn push(
        &mut self,
        tag: T,
        key: usize,
        message: Vec<u8>,
        signature: [u8; 64],
    ) -> Vec<(T, bool)> {
        let well_formed = self.add_to_equation(key, &message, &signature);
        self.pending.push(Pending {
            tag,
            key,
            message,
            signature,
            well_formed,
        });
        if self.pending.len() >= BATCH {
            self.finish()
        } else {
            Vec::new()
        }
    }

    /// Checks what is queued: each tag with whether its signature verified.
    pub fn finish(&mut self) -> Vec<(T, bool)> {
        let batch_holds = self.equation_holds();
        let results = self
            .pending
            .drain(..)
            .map(|p| {
                let good = p.well_formed
                    && (batch_holds
                        || self.keys[p.key]
                            .verify_strict(&p.message, &Signature::from_bytes(&p.signature))
                            .is_ok());
                (p.tag, good)
            })
            .collect();
        self.scalars.clear();
        self.nonces.clear();
        self.basepoint = Scalar::ZERO;
        self.key_scalars.fill(Scalar::ZERO);
        results
    }

    /// Adds one signature's terms; false when it is malformed (and so left out).
    fn add_to_equation(&mut self, key: usize, message: &[u8], signature: &[u8; 64]) -> bool {
        let r_bytes: [u8; 32] = signature[..32].try_into().expect("32 bytes");
        let s_bytes: [u8; 32] = signature[32..].try_into().expect("32 bytes");
        let Some(nonce) = CompressedEdwardsY(r_bytes).decompress() else {
            return false;
        };
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
            return false;
        };
        if nonce.is_small_order() {
            return false;
        }
        let mut hasher = Sha512::new();
        hasher.update(r_bytes);
        hasher.update(self.keys[key].as_bytes());
        hasher.update(message);
        let h = Scalar::from_bytes_mod_order_wide(&hasher.finalize().into());
        let z = Scalar::from(rand::random::<u128>());
        self.basepoint += z * s;
        self.key_scalars[key] += z * h;
        self.scalars.push(z);
        self.nonces.push(nonce);
        true
    }

    fn equation_holds(&self) -> bool {
        if self.nonces.is_empty() {
            return true;
        }
        let scalars = self
            .scalars
            .iter()
            .copied()
            .chain([-self.basepoint])
            .chain(self.key_scalars.iter().copied());
        let points = self
            .nonces
            .iter()
            .copied()
            .chain([ED25519_BASEPOINT_POINT])
            .chain(self.key_points.iter().copied());
        EdwardsPoint::vartime_multiscalar_mul(scalars, points)
            .mul_by_cofactor()
            .is_identity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn keys() -> (Vec<SigningKey>, Vec<VerifyingKey>) {
        let signing: Vec<SigningKey> = (1..=3u8)
            .map(|i| SigningKey::from_bytes(&[i; 32]))
            .collect();
        let verifying = signing.iter().map(SigningKey::verifying_key).collect();
        (signing, verifying)
    }

    #[test]
    fn good_signatures_by_several_keys_pass_and_each_bad_one_is_named() {
        let (signing, verifying) = keys();
        let mut batch = BatchVerifier::new(&verifying);
        let mut results = Vec::new();
        for i in 0..(BATCH + 300) {
            let key = i % 3;
            let message = format!("entry {i}").into_bytes();
            let mut signature = signing[key].sign(&message).to_bytes();
            match i {
                5 => signature[40] ^= 1,       // s changed
                700 => signature[3] ^= 1,      // R changed
                1100 => signature[63] |= 0xf0, // s not canonical
                _ => {}
            }
            // 900 claims the wrong key.
            let claimed = if i == 900 { (key + 1) % 3 } else { key };
            results.extend(batch.push(i, claimed, message, signature));
        }
        results.extend(batch.finish());
        assert_eq!(results.len(), BATCH + 300);
        let bad: Vec<usize> = results.iter().filter(|r| !r.1).map(|r| r.0).collect();
        assert_eq!(bad, [5, 700, 900, 1100]);
        assert!(results.iter().enumerate().all(|(i, r)| r.0 == i));
    }

    #[test]
    fn an_empty_batch_has_no_results() {
        let (_, verifying) = keys();
        assert!(BatchVerifier::<()>::new(&verifying).finish().is_empty());
    }
}
