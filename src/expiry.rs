//! Is a grant still current? The one decision the reaper, `list`, and duplicate detection
//! share. It fails closed: a jit-managed policy that cannot be proven current is expired.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::policy::keys;

/// The default limit on a grant's whole life, extensions included, counted from the
/// policy's creationTimestamp (set by the API server, so it cannot be forged by a client).
pub const DEFAULT_MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Provably current until `expires`.
    Active { expires: Timestamp },
    /// To be removed, and why.
    Expired(Why),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The expiry has passed.
    Passed { expires: Timestamp },
    /// No expiry label, or one that is not unix seconds, or an expiry annotation that does
    /// not parse: nobody can say when it should end, so it ends now.
    Unreadable(String),
    /// Alive (or set to live) longer than the maximum lifetime since creation: someone
    /// edited the expiry by hand to keep it open.
    OverLifetime {
        created: Timestamp,
        limit: Timestamp,
    },
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Passed { expires } => write!(f, "expired at {}", crate::policy::rfc3339(*expires)),
            Why::Unreadable(what) => write!(f, "expiry unreadable: {what}"),
            Why::OverLifetime { created, limit } => write!(
                f,
                "beyond the maximum lifetime (created {}, limit {})",
                crate::policy::rfc3339(*created),
                crate::policy::rfc3339(*limit)
            ),
        }
    }
}

/// True for objects jit made: the managed-by marker *and* a grant id. Nothing else is ever
/// listed as a grant, revoked or reaped, whatever its name.
pub fn is_jit_managed(np: &NetworkPolicy) -> bool {
    let Some(labels) = np.metadata.labels.as_ref() else {
        return false;
    };
    labels.get(keys::MANAGED_BY).map(String::as_str) == Some(keys::MANAGED_BY_VALUE)
        && labels.get(keys::GRANT_ID).is_some_and(|id| !id.is_empty())
}

/// The grant's status at `now` (the API server's clock).
pub fn status(np: &NetworkPolicy, now: Timestamp, max_lifetime: Duration) -> Status {
    let expires = match expiry(np) {
        Ok(expires) => expires,
        Err(what) => return Status::Expired(Why::Unreadable(what)),
    };
    if let Some(created) = np.metadata.creation_timestamp.as_ref().map(|t| t.0) {
        let lifetime = SignedDuration::try_from(max_lifetime).unwrap_or(SignedDuration::MAX);
        let limit = created.checked_add(lifetime).unwrap_or(Timestamp::MAX);
        if expires > limit || now >= limit {
            return Status::Expired(Why::OverLifetime { created, limit });
        }
    }
    if expires <= now {
        Status::Expired(Why::Passed { expires })
    } else {
        Status::Active { expires }
    }
}

/// The expiry the policy claims: the label (what selectors and admission policies see),
/// and, when the annotation is present too, the earlier of the two — a hand edit of one
/// of them never lengthens a grant.
pub fn expiry(np: &NetworkPolicy) -> Result<Timestamp, String> {
    let label = np
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(keys::EXPIRES))
        .ok_or_else(|| format!("no {} label", keys::EXPIRES))?;
    let from_label = label
        .parse::<i64>()
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok())
        .ok_or_else(|| format!("{} label {label:?} is not unix seconds", keys::EXPIRES))?;
    match np
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(keys::EXPIRES_AT))
    {
        None => Ok(from_label),
        Some(text) => {
            let from_annotation = text
                .parse::<Timestamp>()
                .map_err(|_| format!("{} annotation {text:?} is not RFC 3339", keys::EXPIRES_AT))?;
            Ok(from_label.min(from_annotation))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
    use std::collections::BTreeMap;

    const HOUR: Duration = Duration::from_secs(3600);

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn policy(
        labels: &[(&str, &str)],
        annotations: &[(&str, &str)],
        created: &str,
    ) -> NetworkPolicy {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        NetworkPolicy {
            metadata: ObjectMeta {
                labels: Some(map(labels)),
                annotations: Some(map(annotations)),
                creation_timestamp: Some(Time(ts(created))),
                ..ObjectMeta::default()
            },
            spec: None,
        }
    }

    fn grant(expires_unix: &str, expires_at: Option<&str>) -> NetworkPolicy {
        let labels = [
            (keys::MANAGED_BY, "jit"),
            (keys::GRANT_ID, "abc"),
            (keys::EXPIRES, expires_unix),
        ];
        let annotations: Vec<(&str, &str)> = expires_at
            .map(|e| (keys::EXPIRES_AT, e))
            .into_iter()
            .collect();
        policy(&labels, &annotations, "2026-11-27T12:00:00Z")
    }

    // 2026-11-27T12:30:00Z
    const HALF_PAST: &str = "1795782600";

    #[test]
    fn before_and_after_the_expiry() {
        let np = grant(HALF_PAST, Some("2026-11-27T12:30:00Z"));
        assert_eq!(
            status(&np, ts("2026-11-27T12:29:59Z"), 24 * HOUR),
            Status::Active {
                expires: ts("2026-11-27T12:30:00Z")
            }
        );
        assert!(matches!(
            status(&np, ts("2026-11-27T12:30:00Z"), 24 * HOUR),
            Status::Expired(Why::Passed { .. })
        ));
    }

    #[test]
    fn missing_or_garbled_expiry_fails_closed() {
        let now = ts("2026-11-27T12:01:00Z");
        let no_label = policy(
            &[(keys::MANAGED_BY, "jit"), (keys::GRANT_ID, "a")],
            &[],
            "2026-11-27T12:00:00Z",
        );
        for np in [
            no_label,
            grant("soon", None),
            grant("", None),
            grant(HALF_PAST, Some("tomorrow")),
        ] {
            assert!(
                matches!(
                    status(&np, now, 24 * HOUR),
                    Status::Expired(Why::Unreadable(_))
                ),
                "{np:?}"
            );
        }
    }

    #[test]
    fn a_hand_edited_label_beyond_the_lifetime_goes() {
        // Created at 12:00 with a 24h lifetime; the label was edited to a year later.
        let np = grant("1827318600", None);
        assert!(matches!(
            status(&np, ts("2026-11-27T13:00:00Z"), 24 * HOUR),
            Status::Expired(Why::OverLifetime { .. })
        ));
    }

    #[test]
    fn the_earlier_of_label_and_annotation_counts() {
        // The label was pushed an hour later by hand; the annotation still says 12:30.
        let np = grant("1795786200", Some("2026-11-27T12:30:00Z"));
        assert!(matches!(
            status(&np, ts("2026-11-27T12:45:00Z"), 24 * HOUR),
            Status::Expired(Why::Passed { .. })
        ));
    }

    #[test]
    fn only_marked_objects_with_a_grant_id_are_jit_managed() {
        assert!(is_jit_managed(&grant(HALF_PAST, None)));
        let lookalike = policy(&[(keys::MANAGED_BY, "jit")], &[], "2026-11-27T12:00:00Z");
        assert!(!is_jit_managed(&lookalike));
        let other = policy(
            &[(keys::MANAGED_BY, "helm"), (keys::GRANT_ID, "x")],
            &[],
            "2026-11-27T12:00:00Z",
        );
        assert!(!is_jit_managed(&other));
        assert!(!is_jit_managed(&NetworkPolicy::default()));
    }
}
