//! One audit entry: what the caller records ([`Event`]), what a line holds ([`Entry`]), and
//! the exact line format, written and read here only.
//!
//! A line is `BODY` with its final `}` replaced by `,"sig":<"base64"|null>}` and a `\n`.
//! `BODY` is serde_json's compact serialization of every field but `sig`, and the signed
//! message is `jit-audit-entry-v1\n` followed by `BODY`. A reader recovers `BODY` from the
//! line's own bytes (cut at the last `,"sig":`, add `}`), so nothing is ever re-serialized
//! to check a signature. The cut is unambiguous: inside a JSON string a `"` is always
//! escaped, so `,"sig":` appears only where the object puts it, and the body may not hold a
//! `sig` field of its own (unknown fields are refused).

use std::fmt;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::signer::{Signer, hex, key_id};

/// The `v` of every entry this code writes.
pub const FORMAT_VERSION: u32 = 1;

/// Prepended to an entry's body before signing, so an entry signature can never be replayed
/// as a checkpoint signature or anything else signed by the same key.
pub const ENTRY_DOMAIN: &[u8] = b"jit-audit-entry-v1\n";

/// The `prev` of the first entry.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const SIG_FIELD: &[u8] = b",\"sig\":";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Grant,
    Extend,
    Revoke,
    /// One policy the reaper removed (a reap of many writes one entry per policy).
    Reap,
    /// Written by the log itself after moving a torn tail aside.
    Recover,
    /// Anything else worth recording (e.g. a key rotation).
    Note,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Grant,
        Action::Extend,
        Action::Revoke,
        Action::Reap,
        Action::Recover,
        Action::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Grant => "grant",
            Action::Extend => "extend",
            Action::Revoke => "revoke",
            Action::Reap => "reap",
            Action::Recover => "recover",
            Action::Note => "note",
        }
    }
}

impl std::str::FromStr for Action {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Action> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| {
                anyhow!("unknown action {text:?} (grant, extend, revoke, reap, recover, note)")
            })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who did it, as the API server reported (SelfSubjectReview), never as the kubeconfig says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub username: String,
    pub groups: Vec<String>,
}

/// Which cluster: the kubeconfig context (none in a pod) and the API server's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterRef {
    pub context: Option<String>,
    pub server: String,
}

/// An object acted on. `uid` is absent when there is none (a denied or dry-run grant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
}

/// What a `recover` entry says about the bytes it moved to `audit.log.torn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TornRecord {
    /// Where the torn bytes began in `audit.log`.
    pub offset: u64,
    pub length: u64,
    /// Hex SHA-256 of the torn bytes.
    pub sha256: String,
}

/// One thing to record, as the caller knows it. The log adds `v`, `seq`, `prev`, `key`, `sig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened: the API server's time when known, else the local clock.
    pub ts: Timestamp,
    pub action: Action,
    /// e.g. `allowed`, `denied`, `done`, `failed`, `dry-run`.
    pub outcome: String,
    pub actor: Option<Actor>,
    pub cluster: Option<ClusterRef>,
    pub objects: Vec<ObjectRef>,
    pub ttl: Option<String>,
    pub expires: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
}

impl Event {
    /// An event with only the required fields; set the others directly.
    pub fn new(ts: Timestamp, action: Action, outcome: impl Into<String>) -> Event {
        Event {
            ts,
            action,
            outcome: outcome.into(),
            actor: None,
            cluster: None,
            objects: Vec::new(),
            ttl: None,
            expires: None,
            reason: None,
            detail: None,
        }
    }
}

/// One parsed line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number in `audit.log`.
    pub line: usize,
    pub seq: u64,
    pub event: Event,
    /// Only on `recover` entries.
    pub torn: Option<TornRecord>,
    /// Hex SHA-256 of the previous line's bytes, `\n` included.
    pub prev: String,
    /// [`key_id`] of the signing key; `None` when unsigned.
    pub key: Option<String>,
    /// Base64 Ed25519 signature; `None` when unsigned.
    pub sig: Option<String>,
    /// The line exactly as written (without its `\n`): what `jit log show -o json` prints,
    /// since a re-serialization would no longer match the signature.
    pub raw: String,
}

/// The body as it is on disk, field order included (serde writes fields in this order).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    v: u32,
    seq: u64,
    ts: String,
    action: Action,
    outcome: String,
    actor: Option<Actor>,
    cluster: Option<ClusterRef>,
    objects: Vec<ObjectRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    torn: Option<TornRecord>,
    prev: String,
    key: Option<String>,
}

/// SHA-256 of `bytes`: what `prev` holds for a line (with its `\n`).
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The bytes of one line, `\n` included, for entry `seq` chained to `prev`.
pub(crate) fn encode(
    event: &Event,
    torn: Option<&TornRecord>,
    seq: u64,
    prev: &[u8; 32],
    signer: Option<&dyn Signer>,
) -> Result<Vec<u8>> {
    let body = Body {
        v: FORMAT_VERSION,
        seq,
        ts: event.ts.to_string(),
        action: event.action,
        outcome: event.outcome.clone(),
        actor: event.actor.clone(),
        cluster: event.cluster.clone(),
        objects: event.objects.clone(),
        ttl: event.ttl.clone(),
        expires: event.expires.clone(),
        reason: event.reason.clone(),
        detail: event.detail.clone(),
        torn: torn.cloned(),
        prev: hex(prev),
        key: signer.map(|s| key_id(&s.public_key())),
    };
    let body = serde_json::to_vec(&body).context("serializing an audit entry")?;
    debug_assert_eq!(body.last(), Some(&b'}'));
    let mut line = Vec::with_capacity(body.len() + 100);
    line.extend_from_slice(&body[..body.len() - 1]);
    line.extend_from_slice(SIG_FIELD);
    match signer {
        Some(signer) => {
            let mut message = Vec::with_capacity(ENTRY_DOMAIN.len() + body.len());
            message.extend_from_slice(ENTRY_DOMAIN);
            message.extend_from_slice(&body);
            line.push(b'"');
            line.extend_from_slice(B64.encode(signer.sign(&message)).as_bytes());
            line.extend_from_slice(b"\"}\n");
        }
        None => line.extend_from_slice(b"null}\n"),
    }
    Ok(line)
}

/// A line taken apart: the entry, and what its signature covers.
pub(crate) struct Decoded {
    pub entry: Entry,
    /// [`ENTRY_DOMAIN`] followed by the body: exactly what was signed.
    pub message: Vec<u8>,
    pub signature: Option<[u8; 64]>,
}

/// Takes apart one line (without its `\n`): structure, JSON, format version. Says nothing
/// about whether the signature or the chain are right; `verify` does that.
pub(crate) fn decode(line: &[u8], line_number: usize) -> Result<Decoded> {
    let cut = rfind(line, SIG_FIELD).ok_or_else(|| anyhow!("no \"sig\" field at the end"))?;
    let (message, signature, sig) = match &line[cut + SIG_FIELD.len()..] {
        b"null}" => (body_message(&line[..cut]), None, None),
        [b'"', encoded @ .., b'"', b'}'] => {
            let raw = B64
                .decode(encoded)
                .map_err(|_| anyhow!("\"sig\" is not base64"))?;
            let signature = <[u8; 64]>::try_from(raw.as_slice())
                .map_err(|_| anyhow!("\"sig\" is {} bytes, not 64", raw.len()))?;
            let text = String::from_utf8(encoded.to_vec()).expect("base64 is ASCII");
            (body_message(&line[..cut]), Some(signature), Some(text))
        }
        _ => bail!("the line does not end with a \"sig\" string or null"),
    };
    let body: Body = serde_json::from_slice(&message[ENTRY_DOMAIN.len()..])
        .map_err(|err| anyhow!("not an audit entry: {err}"))?;
    if body.v != FORMAT_VERSION {
        bail!(
            "format version {} (this jit reads {FORMAT_VERSION})",
            body.v
        );
    }
    let ts: Timestamp = body
        .ts
        .parse()
        .map_err(|err| anyhow!("\"ts\" {:?} is not an RFC 3339 time: {err}", body.ts))?;
    let entry = Entry {
        line: line_number,
        seq: body.seq,
        event: Event {
            ts,
            action: body.action,
            outcome: body.outcome,
            actor: body.actor,
            cluster: body.cluster,
            objects: body.objects,
            ttl: body.ttl,
            expires: body.expires,
            reason: body.reason,
            detail: body.detail,
        },
        torn: body.torn,
        prev: body.prev,
        key: body.key,
        sig,
        raw: String::from_utf8_lossy(line).into_owned(),
    };
    Ok(Decoded {
        entry,
        message,
        signature,
    })
}

/// `ENTRY_DOMAIN || body_without_brace || "}"`.
fn body_message(body_without_brace: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(ENTRY_DOMAIN.len() + body_without_brace.len() + 1);
    message.extend_from_slice(ENTRY_DOMAIN);
    message.extend_from_slice(body_without_brace);
    message.push(b'}');
    message
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::signer::{Ed25519Signer, KeyRole};

    fn event() -> Event {
        let mut event = Event::new(
            "2026-11-27T15:12:41Z".parse().unwrap(),
            Action::Grant,
            "allowed",
        );
        event.actor = Some(Actor {
            username: "alice".into(),
            groups: vec!["devs".into(), "system:authenticated".into()],
        });
        event.cluster = Some(ClusterRef {
            context: Some("prod".into()),
            server: "https://10.0.0.1:6443".into(),
        });
        event.objects = vec![ObjectRef {
            namespace: "team-a".into(),
            name: "jit-7f3a9c2e".into(),
            uid: Some("5b1c".into()),
        }];
        event.ttl = Some("30m".into());
        event.reason = Some("INC-1234: a \"quoted\" ,\"sig\": trick".into());
        event
    }

    #[test]
    fn an_unsigned_line_is_exactly_this() {
        let line = encode(&event(), None, 0, &[0; 32], None).unwrap();
        let expected = concat!(
            r#"{"v":1,"seq":0,"ts":"2026-11-27T15:12:41Z","action":"grant","outcome":"allowed","#,
            r#""actor":{"username":"alice","groups":["devs","system:authenticated"]},"#,
            r#""cluster":{"context":"prod","server":"https://10.0.0.1:6443"},"#,
            r#""objects":[{"namespace":"team-a","name":"jit-7f3a9c2e","uid":"5b1c"}],"#,
            r#""ttl":"30m","reason":"INC-1234: a \"quoted\" ,\"sig\": trick","#,
            r#""prev":"0000000000000000000000000000000000000000000000000000000000000000","#,
            r#""key":null,"sig":null}"#,
            "\n"
        );
        assert_eq!(String::from_utf8(line).unwrap(), expected);
    }

    #[test]
    fn actions_parse_from_their_names() {
        for action in Action::ALL {
            assert_eq!(action.to_string().parse::<Action>().unwrap(), action);
        }
        assert!("delete".parse::<Action>().is_err());
    }

    #[test]
    fn a_signed_line_decodes_to_what_was_signed() {
        let signer = Ed25519Signer::from_seed("k".into(), KeyRole::Person, [9; 32]);
        let line = encode(&event(), None, 5, &[1; 32], Some(&signer)).unwrap();
        let decoded = decode(&line[..line.len() - 1], 6).unwrap();
        assert_eq!(decoded.entry.event, event());
        assert_eq!(decoded.entry.seq, 5);
        assert_eq!(decoded.entry.line, 6);
        assert_eq!(decoded.entry.prev, hex(&[1; 32]));
        assert_eq!(decoded.entry.key, Some(key_id(&signer.public_key())));
        let key = signer.public().verifying_key().unwrap();
        let sig = ed25519_dalek::Signature::from_bytes(&decoded.signature.unwrap());
        assert!(key.verify_strict(&decoded.message, &sig).is_ok());
        assert!(decoded.message.starts_with(ENTRY_DOMAIN));
    }

    #[test]
    fn malformed_lines_are_refused_with_a_reason() {
        let line = encode(&event(), None, 0, &[0; 32], None).unwrap();
        let line = &line[..line.len() - 1];
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (line[..line.len() - 3].to_vec(), "does not end"),
            (b"garbage".to_vec(), "no \"sig\""),
            (
                String::from_utf8_lossy(line)
                    .replace("\"v\":1", "\"v\":2")
                    .into_bytes(),
                "format version 2",
            ),
            (
                String::from_utf8_lossy(line)
                    .replace("\"key\":null", "\"key\":null,\"sig\":\"AAAA\"")
                    .into_bytes(),
                "not an audit entry",
            ),
            (
                String::from_utf8_lossy(line)
                    .replace("\"sig\":null", "\"sig\":\"AAAA\"")
                    .into_bytes(),
                "3 bytes",
            ),
        ];
        for (bytes, reason) in cases {
            let err = decode(&bytes, 1).err().expect("refused").to_string();
            assert!(err.contains(reason), "{err:?} should say {reason:?}");
        }
    }
}
