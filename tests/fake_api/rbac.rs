//! Authorization: RBAC-like rules per user, the built-in grants every authenticated user has, and
//! the API server's 403 wording.

use super::status::{self, Reply, go_quote};
use super::world::{Grant, Rule, User};

/// What a request asks to do, as the authorizer sees it.
pub enum Attributes<'a> {
    Resource {
        verb: &'a str,
        group: &'a str,
        resource: &'a str,
        /// None for cluster scope.
        namespace: Option<&'a str>,
        /// Empty for collections and creates.
        name: &'a str,
    },
    NonResource {
        verb: &'a str,
        path: &'a str,
    },
}

pub struct Decision {
    pub allowed: bool,
    /// Why it was allowed (`RBAC: allowed by ...`); empty when denied, as the API server leaves it.
    pub reason: String,
}

/// Paths any authenticated user may GET (ClusterRole `system:public-info-viewer`).
const PUBLIC_PATHS: [&str; 4] = ["/version", "/healthz", "/livez", "/readyz"];

/// ClusterRole `system:basic-user`, bound to every authenticated user: asking who you are and
/// what you may do.
fn builtin_grants() -> Vec<Grant> {
    let binding = "ClusterRoleBinding \"system:basic-user\" of ClusterRole \"system:basic-user\" to Group \"system:authenticated\"";
    vec![
        Grant {
            rule: Rule::new(
                None,
                "authentication.k8s.io",
                &["selfsubjectreviews"],
                &["create"],
            ),
            binding: binding.to_string(),
        },
        Grant {
            rule: Rule::new(
                None,
                "authorization.k8s.io",
                &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                &["create"],
            ),
            binding: binding.to_string(),
        },
    ]
}

pub fn authorize(user: &User, attrs: &Attributes) -> Decision {
    // system:masters bypasses RBAC entirely (the API server's privileged-group authorizer), so
    // there is no RBAC reason to report.
    if user.groups.iter().any(|g| g == "system:masters") {
        return Decision {
            allowed: true,
            reason: String::new(),
        };
    }
    let reason = match *attrs {
        Attributes::Resource {
            verb,
            group,
            resource,
            namespace,
            ..
        } => builtin_grants()
            .iter()
            .chain(&user.grants)
            .find(|g| g.rule.allows(verb, group, resource, namespace))
            .map(|g| format!("RBAC: allowed by {}", g.binding)),
        Attributes::NonResource { verb, path } => (verb == "get" && PUBLIC_PATHS.contains(&path))
            .then(|| {
                "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \
             \"system:public-info-viewer\" to Group \"system:authenticated\""
                    .to_string()
            }),
    };
    Decision {
        allowed: reason.is_some(),
        reason: reason.unwrap_or_default(),
    }
}

/// Ok when allowed, else the 403 the API server sends.
pub fn require(user: &User, attrs: &Attributes) -> Result<(), Reply> {
    if authorize(user, attrs).allowed {
        Ok(())
    } else {
        Err(forbidden(user, attrs))
    }
}

fn forbidden(user: &User, attrs: &Attributes) -> Reply {
    let who = go_quote(&user.name);
    match *attrs {
        Attributes::Resource {
            verb,
            group,
            resource,
            namespace,
            name,
        } => {
            let scope = match namespace {
                Some(ns) => format!("in the namespace {}", go_quote(ns)),
                None => "at the cluster scope".to_string(),
            };
            let why = format!(
                "User {who} cannot {verb} resource {} in API group {} {scope}",
                go_quote(resource),
                go_quote(group)
            );
            status::forbidden(group, resource, name, &why)
        }
        Attributes::NonResource { verb, path } => status::forbidden(
            "",
            "",
            "",
            &format!("User {who} cannot {verb} path {}", go_quote(path)),
        ),
    }
}
