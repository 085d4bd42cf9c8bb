//! `World`: the users, their permissions and the objects a fake API server starts with.

use serde_json::{Value, json};

use super::kinds::{self, Kind};
use super::seed;

/// One RBAC rule: these verbs on these resources of one API group, in one namespace or everywhere.
#[derive(Clone, Debug)]
pub struct Rule {
    /// None = cluster-wide (a ClusterRoleBinding), which also covers every namespace.
    pub namespace: Option<String>,
    /// API group, `""` for the core group, `"*"` for any.
    pub group: String,
    /// Resource names (`"networkpolicies"`), or `"*"`.
    pub resources: Vec<String>,
    /// Verbs (`"get"`, `"list"`, `"create"`, `"update"`, `"patch"`, `"delete"`, `"deletecollection"`), or `"*"`.
    pub verbs: Vec<String>,
}

impl Rule {
    pub fn new(namespace: Option<&str>, group: &str, resources: &[&str], verbs: &[&str]) -> Rule {
        Rule {
            namespace: namespace.map(str::to_string),
            group: group.to_string(),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            verbs: verbs.iter().map(|v| v.to_string()).collect(),
        }
    }

    pub fn allows(&self, verb: &str, group: &str, resource: &str, namespace: Option<&str>) -> bool {
        let any = |list: &[String], item: &str| list.iter().any(|x| x == item || x == "*");
        let scope = match &self.namespace {
            None => true,
            Some(ns) => namespace == Some(ns.as_str()),
        };
        scope
            && (self.group == group || self.group == "*")
            && any(&self.resources, resource)
            && any(&self.verbs, verb)
    }
}

/// A rule with the binding that grants it, named the way RBAC's "allowed by" reason names it.
#[derive(Clone, Debug)]
pub struct Grant {
    pub rule: Rule,
    pub binding: String,
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
    pub grants: Vec<Grant>,
}

/// Builder for the initial state of a `FakeApi`.
pub struct World {
    pub(super) users: Vec<User>,
    /// Namespace objects; stored first, so the other objects' namespaces exist.
    pub(super) namespaces: Vec<Value>,
    /// Pods and services, stored in the order they were added.
    pub(super) objects: Vec<(&'static Kind, Value)>,
}

impl World {
    pub fn empty() -> World {
        World {
            users: Vec::new(),
            namespaces: Vec::new(),
            objects: Vec::new(),
        }
    }

    /// [`World::fixtures`] with team-a isolated for ingress (a default-deny policy, as
    /// `jit baseline` writes it): where grants open paths instead of cutting traffic.
    pub fn standard() -> World {
        World::fixtures().policy(
            "team-a",
            "default-deny-ingress",
            json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
        )
    }

    /// The world the fixtures were captured in (no NetworkPolicies), plus the pods `debug`
    /// and `cache` (app=db, tier=cache) that give selector tests something to tell apart.
    pub fn fixtures() -> World {
        let alice = vec![
            Grant {
                rule: Rule::new(
                    Some("team-a"),
                    "networking.k8s.io",
                    &["networkpolicies"],
                    &["get", "list", "watch", "create", "update", "patch", "delete"],
                ),
                binding: "RoleBinding \"devs-networkpolicy-editor/team-a\" of Role \"networkpolicy-editor\" to Group \"devs\""
                    .to_string(),
            },
            Grant {
                rule: Rule::new(None, "", &["pods", "services", "namespaces"], &["get", "list", "watch"]),
                binding: "ClusterRoleBinding \"devs-viewer\" of ClusterRole \"viewer\" to Group \"devs\"".to_string(),
            },
        ];
        let postgres =
            json!([{"name": "postgres", "port": 5432, "targetPort": 5432, "protocol": "TCP"}]);
        World::empty()
            .user("admin", &["system:masters"], Vec::new())
            .user_with_grants("alice", &["devs"], alice)
            .user("mallory", &[], Vec::new())
            .namespace("default")
            .namespace("team-a")
            .namespace("team-b")
            .namespace("ops")
            .pod("team-a", "db", &[("app", "db")])
            .pod("team-a", "web", &[("app", "web")])
            .pod("team-a", "debug", &[("app", "debug")])
            .pod("team-a", "cache", &[("app", "db"), ("tier", "cache")])
            .pod("ops", "toolbox", &[("app", "toolbox")])
            .service("team-a", "db", &[("app", "db")], postgres)
    }

    /// Adds a user (token `token-NAME`, uid `uid-NAME`); `system:authenticated` is added to `groups`.
    /// Each rule gets its own synthetic binding, named after the user.
    pub fn user(self, name: &str, groups: &[&str], rules: Vec<Rule>) -> World {
        let grants = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let binding = match &rule.namespace {
                    Some(ns) => format!("RoleBinding \"{name}-{i}/{ns}\" of Role \"{name}-{i}\" to User \"{name}\""),
                    None => format!("ClusterRoleBinding \"{name}-{i}\" of ClusterRole \"{name}-{i}\" to User \"{name}\""),
                };
                Grant { rule, binding }
            })
            .collect();
        self.user_with_grants(name, groups, grants)
    }

    fn user_with_grants(mut self, name: &str, groups: &[&str], grants: Vec<Grant>) -> World {
        let mut groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        if !groups.iter().any(|g| g == "system:authenticated") {
            groups.push("system:authenticated".to_string());
        }
        self.users.push(User {
            name: name.to_string(),
            uid: format!("uid-{name}"),
            groups,
            grants,
        });
        self
    }

    pub fn namespace(mut self, name: &str) -> World {
        self.namespaces.push(seed::namespace(name));
        self
    }

    pub fn pod(mut self, ns: &str, name: &str, labels: &[(&str, &str)]) -> World {
        self.objects
            .push((&kinds::PODS, seed::pod(ns, name, labels)));
        self
    }

    /// A NetworkPolicy with this `spec` (not jit's: no labels).
    pub fn policy(mut self, ns: &str, name: &str, spec: Value) -> World {
        self.objects.push((
            &kinds::NETWORK_POLICIES,
            json!({"metadata": {"name": name, "namespace": ns}, "spec": spec}),
        ));
        self
    }

    /// A pod with a named container port (`name`, `port`, TCP).
    pub fn pod_with_port(
        mut self,
        ns: &str,
        name: &str,
        labels: &[(&str, &str)],
        port: (&str, u16),
    ) -> World {
        let mut pod = seed::pod(ns, name, labels);
        pod["spec"]["containers"][0]["ports"] =
            json!([{"name": port.0, "containerPort": port.1, "protocol": "TCP"}]);
        self.objects.push((&kinds::PODS, pod));
        self
    }

    /// `ports` is the Service's `spec.ports` array; missing `protocol`/`targetPort` are defaulted.
    pub fn service(
        mut self,
        ns: &str,
        name: &str,
        selector: &[(&str, &str)],
        ports: Value,
    ) -> World {
        let index = self
            .objects
            .iter()
            .filter(|(k, _)| k.plural == "services")
            .count();
        self.objects.push((
            &kinds::SERVICES,
            seed::service(ns, name, selector, ports, index),
        ));
        self
    }
}
