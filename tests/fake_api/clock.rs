//! The server's clock (real time plus a settable skew) and the two ways it is written.

use std::time::{Duration, SystemTime};

use jiff::Timestamp;

pub fn skewed(skew_secs: i64) -> SystemTime {
    let now = SystemTime::now();
    let delta = Duration::from_secs(skew_secs.unsigned_abs());
    if skew_secs >= 0 {
        now + delta
    } else {
        now - delta
    }
}

fn timestamp(t: SystemTime) -> Timestamp {
    Timestamp::try_from(t).expect("clock within jiff's range")
}

/// RFC 3339 with whole seconds, as Kubernetes writes `creationTimestamp`.
pub fn rfc3339(t: SystemTime) -> String {
    timestamp(t).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 7231 IMF-fixdate, for the `Date` header.
pub fn http_date(t: SystemTime) -> String {
    timestamp(t)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
