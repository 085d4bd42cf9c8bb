//! The answer to "is this flow allowed?", with the reasons: for each end, whether policies
//! isolate it and which rules let the flow through. `jit explain` prints these; grant safety
//! checks compare them.

use std::fmt;

use super::netpol::PolicyId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule of one policy: `spec.ingress[index]` or `spec.egress[index]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleRef {
    pub policy: PolicyId,
    pub direction: Direction,
    pub index: usize,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "networkpolicy {} ({} rule {})",
            self.policy, self.direction, self.index
        )
    }
}

/// What one end of a flow decides: the source's egress or the destination's ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// The source is outside the cluster, so no policy governs its egress.
    External,
    /// A pod connecting to itself, which the documentation says no policy can block.
    Loopback,
    /// No policy isolates the pod in this direction, so everything is allowed.
    NotIsolated,
    /// These policies (sorted) isolate the pod; the flow passes iff `allowed_by` (every rule
    /// of theirs that matches it, sorted) is not empty.
    Isolated {
        policies: Vec<PolicyId>,
        allowed_by: Vec<RuleRef>,
    },
}

impl Side {
    pub fn allows(&self) -> bool {
        match self {
            Side::External | Side::Loopback | Side::NotIsolated => true,
            Side::Isolated { allowed_by, .. } => !allowed_by.is_empty(),
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::External => f.write_str("allowed: the source is outside the cluster"),
            Side::Loopback => f.write_str("allowed: a pod's traffic to itself is never blocked"),
            Side::NotIsolated => f.write_str("allowed: not isolated by any networkpolicy"),
            Side::Isolated {
                policies,
                allowed_by,
            } if allowed_by.is_empty() => {
                f.write_str("denied: isolated by networkpolicy ")?;
                write_list(f, policies)?;
                f.write_str(", and none of their rules matches")
            }
            Side::Isolated { allowed_by, .. } => {
                f.write_str("allowed by ")?;
                write_list(f, allowed_by)
            }
        }
    }
}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// Both ends of a flow. It is allowed iff both allow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The source's egress.
    pub egress: Side,
    /// The destination's ingress.
    pub ingress: Side,
}

impl Verdict {
    pub fn is_allowed(&self) -> bool {
        self.egress.allows() && self.ingress.allows()
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overall = if self.is_allowed() {
            "allowed"
        } else {
            "denied"
        };
        write!(
            f,
            "{overall}\n  egress at the source: {}\n  ingress at the destination: {}",
            self.egress, self.ingress
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_read_as_sentences() {
        let allow_db = RuleRef {
            policy: PolicyId::new("team-a", "allow-db"),
            direction: Direction::Ingress,
            index: 0,
        };
        assert_eq!(
            allow_db.to_string(),
            "networkpolicy team-a/allow-db (ingress rule 0)"
        );
        let verdict = Verdict {
            egress: Side::NotIsolated,
            ingress: Side::Isolated {
                policies: vec![PolicyId::new("team-a", "allow-db")],
                allowed_by: vec![allow_db],
            },
        };
        assert!(verdict.is_allowed());
        assert_eq!(
            verdict.to_string(),
            "allowed\n  egress at the source: allowed: not isolated by any networkpolicy\n  \
             ingress at the destination: allowed by networkpolicy team-a/allow-db (ingress rule 0)"
        );

        let denied = Side::Isolated {
            policies: vec![PolicyId::new("a", "deny"), PolicyId::new("a", "web")],
            allowed_by: vec![],
        };
        assert!(!denied.allows());
        assert_eq!(
            denied.to_string(),
            "denied: isolated by networkpolicy a/deny, a/web, and none of their rules matches"
        );
        let verdict = Verdict {
            egress: denied,
            ingress: Side::External,
        };
        assert!(!verdict.is_allowed());
        assert!(verdict.to_string().starts_with("denied\n"));
    }
}
