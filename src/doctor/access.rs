//! The permissions jit's commands use, as SelfSubjectAccessReview questions, and the verdict
//! on the answers: what is missing and what that breaks.
//!
//! Only what jit itself does is asked: `get` on a single NetworkPolicy is in the granter
//! Role for kubectl's sake, but no jit command sends one, so its absence breaks nothing.

use std::collections::BTreeMap;

use super::{Check, Status, names};
use crate::cluster::AccessCheck;

const NETWORKING: &str = "networking.k8s.io";
const CORE: &str = "";

/// A command whose permissions are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Grant,
    Revoke,
    Reap,
}

impl Op {
    pub const ALL: [Op; 3] = [Op::Grant, Op::Revoke, Op::Reap];

    pub fn name(self) -> &'static str {
        match self {
            Op::Grant => names::MAY_GRANT,
            Op::Revoke => names::MAY_REVOKE,
            Op::Reap => names::MAY_REAP,
        }
    }

    /// What the command needs.
    pub fn needs(self) -> &'static [Need] {
        match self {
            Op::Grant => GRANT,
            Op::Revoke => REVOKE,
            Op::Reap => REAP,
        }
    }
}

/// One permission a command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub verb: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
    /// Asked for every namespace at once (a ClusterRole binding), not the one worked in.
    pub cluster_wide: bool,
    /// `None`: the command is refused without it. `Some(what)`: it still works, but this
    /// is lost (a warning).
    pub without: Option<&'static str>,
}

const fn need(verb: &'static str, group: &'static str, resource: &'static str) -> Need {
    Need {
        verb,
        group,
        resource,
        cluster_wide: false,
        without: None,
    }
}

const fn optional(
    verb: &'static str,
    group: &'static str,
    resource: &'static str,
    without: &'static str,
) -> Need {
    Need {
        verb,
        group,
        resource,
        cluster_wide: false,
        without: Some(without),
    }
}

const fn everywhere(verb: &'static str, without: &'static str) -> Need {
    Need {
        verb,
        group: NETWORKING,
        resource: "networkpolicies",
        cluster_wide: true,
        without: Some(without),
    }
}

/// `jit grant` (and `extend`): server-side apply creates with `create` and updates with
/// `patch`; `list` finds the grants already there; the safety checks read the pods.
const GRANT: &[Need] = &[
    need("create", NETWORKING, "networkpolicies"),
    need("patch", NETWORKING, "networkpolicies"),
    need("list", NETWORKING, "networkpolicies"),
    need("list", CORE, "pods"),
    optional(
        "get",
        CORE,
        "namespaces",
        "a grant cannot tell a missing namespace from a typo, nor use its labels",
    ),
    optional("get", CORE, "services", "--to-service cannot be used"),
];

/// `jit revoke`: it lists the grants, then deletes them, in one label-selected request when
/// it may.
const REVOKE: &[Need] = &[
    need("list", NETWORKING, "networkpolicies"),
    need("delete", NETWORKING, "networkpolicies"),
    optional(
        "deletecollection",
        NETWORKING,
        "networkpolicies",
        "revoke --all, --user and --selector delete one grant at a time",
    ),
];

/// `jit reap` without `-n`: one cluster-wide list, then deletes. Without the list it falls
/// back to one list per namespace it may read. The reaper usually runs with its own rights,
/// so a person without these is normal: a warning at most.
const REAP: &[Need] = &[
    everywhere(
        "list",
        "jit reap falls back to one list per namespace it may read",
    ),
    everywhere(
        "delete",
        "it removes expired grants only where it may delete",
    ),
];

/// Every distinct question for `namespace`, for one concurrent wave.
pub fn questions(namespace: &str) -> Vec<AccessCheck> {
    let mut questions: Vec<AccessCheck> = Vec::new();
    for op in Op::ALL {
        for need in op.needs() {
            let question = need.question(namespace);
            if !questions.contains(&question) {
                questions.push(question);
            }
        }
    }
    questions
}

impl Need {
    pub fn question(&self, namespace: &str) -> AccessCheck {
        AccessCheck {
            verb: self.verb,
            group: self.group,
            resource: self.resource,
            // An empty namespace asks about every namespace.
            namespace: if self.cluster_wide {
                String::new()
            } else {
                namespace.to_string()
            },
        }
    }
}

/// The API server's answer to one question: allowed or not, or why it could not say.
pub type Answer = Result<bool, String>;

/// The verdict on `op` for `who` in `namespace`, from the answers to [`questions`].
pub fn judge(op: Op, who: &str, namespace: &str, answers: &[(AccessCheck, Answer)]) -> Check {
    let answer = |need: &Need| {
        let question = need.question(namespace);
        answers
            .iter()
            .find(|(q, _)| *q == question)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| Err("not asked".to_string()))
    };
    let mut refused = Vec::new();
    let mut lost = Vec::new();
    let mut unknown = Vec::new();
    for need in op.needs() {
        match (answer(need), need.without) {
            (Ok(true), _) => {}
            (Ok(false), None) => refused.push(need),
            (Ok(false), Some(_)) => lost.push(need),
            (Err(why), _) => unknown.push(why),
        }
    }
    let place = match op {
        Op::Reap => "in every namespace".to_string(),
        _ => format!("in {namespace}"),
    };
    let hint = match op {
        Op::Grant | Op::Revoke => format!(
            "a cluster admin can allow it: jit rbac granter {namespace} --user {who} | kubectl apply -f -"
        ),
        Op::Reap => format!(
            "normal unless you run the reaper, which needs them everywhere: jit rbac reaper \
             --user {who} (the in-cluster reaper of jit reaper manifest has its own)"
        ),
    };
    if !refused.is_empty() {
        let command = match op {
            Op::Grant => "jit grant",
            Op::Revoke => "jit revoke",
            Op::Reap => "jit reap",
        };
        return Check::fail(
            op.name(),
            format!(
                "{who} may not {} {place}: {command} is refused",
                describe(&refused)
            ),
        )
        .hint(hint);
    }
    if let Some(why) = unknown.first() {
        return Check::skip(op.name(), format!("could not ask the API server: {why}"));
    }
    if !lost.is_empty() {
        let consequences: Vec<&str> = lost.iter().filter_map(|n| n.without).collect();
        return Check::warn(
            op.name(),
            format!(
                "{who} may not {} {place}: {}",
                describe(&lost),
                consequences.join("; ")
            ),
        )
        .hint(hint);
    }
    let all: Vec<&Need> = op.needs().iter().collect();
    Check::new(
        op.name(),
        Status::Ok,
        format!("{who} may {} {place}", describe(&all)),
    )
}

/// The verdict on granting in a namespace that does not exist: refused, whatever the
/// permissions say (RBAC answers for namespaces that do not exist too).
pub fn missing_namespace(namespace: &str) -> Check {
    Check::fail(
        names::MAY_GRANT,
        format!("namespace {namespace} does not exist: jit grant is refused"),
    )
    .hint("kubectl get namespaces lists them; choose one with -n NS")
}

/// `create, patch networkpolicies; list pods`: verbs grouped by resource, in table order.
fn describe(needs: &[&Need]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut verbs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for need in needs {
        if !order.contains(&need.resource) {
            order.push(need.resource);
        }
        verbs.entry(need.resource).or_default().push(need.verb);
    }
    order
        .iter()
        .map(|resource| format!("{} {resource}", verbs[resource].join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(
        namespace: &str,
        allowed: impl Fn(&AccessCheck) -> Answer,
    ) -> Vec<(AccessCheck, Answer)> {
        questions(namespace)
            .into_iter()
            .map(|q| {
                let a = allowed(&q);
                (q, a)
            })
            .collect()
    }

    #[test]
    fn questions_are_asked_once_each() {
        let questions = questions("team-a");
        assert_eq!(questions.len(), 10, "{questions:#?}");
        let cluster_wide: Vec<&str> = questions
            .iter()
            .filter(|q| q.namespace.is_empty())
            .map(|q| q.verb)
            .collect();
        assert_eq!(cluster_wide, ["list", "delete"]);
    }

    #[test]
    fn everything_allowed_is_ok() {
        let answers = answers("team-a", |_| Ok(true));
        let check = judge(Op::Grant, "admin", "team-a", &answers);
        assert_eq!(check.status, Status::Ok);
        assert_eq!(
            check.detail,
            "admin may create, patch, list networkpolicies; list pods; get namespaces; get services in team-a"
        );
        assert_eq!(check.hint, None);
        let reap = judge(Op::Reap, "admin", "team-a", &answers);
        assert_eq!(
            reap.detail,
            "admin may list, delete networkpolicies in every namespace"
        );
    }

    #[test]
    fn a_missing_required_verb_fails_with_the_rbac_hint() {
        let answers = answers("team-a", |q| Ok(q.verb != "create"));
        let check = judge(Op::Grant, "bob", "team-a", &answers);
        assert_eq!(check.status, Status::Fail);
        assert_eq!(
            check.detail,
            "bob may not create networkpolicies in team-a: jit grant is refused"
        );
        assert_eq!(
            check.hint.as_deref(),
            Some(
                "a cluster admin can allow it: jit rbac granter team-a --user bob | kubectl apply -f -"
            )
        );
        assert_eq!(
            judge(Op::Revoke, "bob", "team-a", &answers).status,
            Status::Ok
        );
    }

    #[test]
    fn a_missing_optional_verb_warns_with_what_is_lost() {
        let answers = answers("team-a", |q| Ok(q.verb != "deletecollection"));
        let check = judge(Op::Revoke, "bob", "team-a", &answers);
        assert_eq!(check.status, Status::Warn);
        assert_eq!(
            check.detail,
            "bob may not deletecollection networkpolicies in team-a: revoke --all, --user and \
             --selector delete one grant at a time"
        );
    }

    #[test]
    fn reap_rights_are_only_ever_a_warning() {
        let answers = answers("team-a", |_| Ok(false));
        let check = judge(Op::Reap, "mallory", "team-a", &answers);
        assert_eq!(check.status, Status::Warn);
        assert!(
            check
                .detail
                .starts_with("mallory may not list, delete networkpolicies in every namespace: "),
            "{}",
            check.detail
        );
        assert!(
            check
                .hint
                .unwrap()
                .contains("jit rbac reaper --user mallory")
        );
    }

    #[test]
    fn an_unanswered_question_skips_unless_something_is_known_refused() {
        let errors = answers("team-a", |_| Err("500 boom".to_string()));
        let check = judge(Op::Grant, "bob", "team-a", &errors);
        assert_eq!(check.status, Status::Skip);
        assert_eq!(check.detail, "could not ask the API server: 500 boom");

        let mixed = answers("team-a", |q| {
            if q.verb == "patch" {
                Ok(false)
            } else {
                Err("500 boom".to_string())
            }
        });
        assert_eq!(
            judge(Op::Grant, "bob", "team-a", &mixed).status,
            Status::Fail
        );
    }
}
