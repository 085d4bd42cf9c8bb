//! The RBAC that people who grant, and the reaper, need: printed by `jit rbac` for a
//! cluster admin, and as a hint when a preflight check finds it missing. Pure generation
//! from typed objects (so every output is schema-valid and no name can inject YAML);
//! nothing here is applied.
//!
//! Every binding binds one subject and is named after it, so applying the output for one
//! person never takes anything away from another: `kubectl apply` replaces a binding's
//! subjects wholesale, and a shared `jit-granter` binding would silently drop whoever a
//! previous run had added. Removing someone is `kubectl delete` of their bindings.

use std::collections::BTreeMap;

use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sha2::{Digest, Sha256};

use crate::reaper_setup;

/// The Role (in each namespace) that lets people grant.
pub const GRANTER: &str = "jit-granter";
/// The ClusterRole that lets them read namespaces.
pub const NAMESPACE_READER: &str = "jit-namespace-reader";

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The verbs on networkpolicies a person who grants needs in a namespace: create and patch
/// to apply (server-side apply creates with a patch), get and list to find existing grants,
/// delete to revoke, and deletecollection because `jit revoke --all` (and `--user`,
/// `--selector`) removes a namespace's grants in one label-selected request, falling back
/// to one delete per grant only where the role lacks it.
pub const GRANTER_VERBS: [&str; 6] = [
    "create",
    "patch",
    "get",
    "list",
    "delete",
    "deletecollection",
];

/// Who a binding is for: a user or a group, as the API server authenticates them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    User(String),
    Group(String),
}

impl Who {
    fn subject(&self) -> Subject {
        let (kind, name) = match self {
            Who::User(name) => ("User", name),
            Who::Group(name) => ("Group", name),
        };
        Subject {
            api_group: Some(RBAC_GROUP.to_owned()),
            kind: kind.to_owned(),
            name: name.clone(),
            namespace: None,
        }
    }

    /// `jit-granter:user:alice@example.com`: the role, the kind and the name, in the style
    /// of Kubernetes' own `system:...` bindings. A name RBAC cannot hold in an object name
    /// (one with `/` or `%`, `.` or `..`, or too long) is replaced by a digest of it.
    fn binding_name(&self, role: &str) -> String {
        let (kind, name) = match self {
            Who::User(name) => ("user", name),
            Who::Group(name) => ("group", name),
        };
        let plain = format!("{role}:{kind}:{name}");
        if plain.len() <= 253 && !name.contains(['/', '%']) && name != "." && name != ".." {
            plain
        } else {
            let digest = Sha256::digest(name.as_bytes());
            let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            format!("{role}:{kind}:sha256-{hex}")
        }
    }
}

/// Labels that say what these objects are. Never `app.kubernetes.io/managed-by: jit`: that
/// marks a grant.
fn metadata(name: &str, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: namespace.map(str::to_owned),
        labels: Some(BTreeMap::from([(
            "app.kubernetes.io/part-of".to_owned(),
            "jit".to_owned(),
        )])),
        ..ObjectMeta::default()
    }
}

fn rule(api_group: &str, resource: &str, verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        api_groups: Some(vec![api_group.to_owned()]),
        resources: Some(vec![resource.to_owned()]),
        verbs: verbs.iter().map(|v| (*v).to_owned()).collect(),
        ..PolicyRule::default()
    }
}

/// What granting in `namespace` needs there: writing and finding NetworkPolicies, reading
/// the pods a grant's selectors match (its safety checks look at them) and the Service
/// `--to-service` names.
pub fn granter(namespace: &str) -> Role {
    Role {
        metadata: metadata(GRANTER, Some(namespace)),
        rules: Some(vec![
            rule("networking.k8s.io", "networkpolicies", &GRANTER_VERBS),
            rule("", "pods", &["get", "list"]),
            rule("", "services", &["get"]),
        ]),
    }
}

pub fn granter_binding(namespace: &str, who: &Who) -> RoleBinding {
    RoleBinding {
        metadata: metadata(&who.binding_name(GRANTER), Some(namespace)),
        role_ref: RoleRef {
            api_group: RBAC_GROUP.to_owned(),
            kind: "Role".to_owned(),
            name: GRANTER.to_owned(),
        },
        subjects: Some(vec![who.subject()]),
    }
}

/// A grant reads the namespaces it involves (its own, and those its sources are in), which
/// are cluster-scoped: so a ClusterRole, and only `get`.
pub fn namespace_reader() -> ClusterRole {
    ClusterRole {
        metadata: metadata(NAMESPACE_READER, None),
        rules: Some(vec![rule("", "namespaces", &["get"])]),
        ..ClusterRole::default()
    }
}

pub fn namespace_reader_binding(who: &Who) -> ClusterRoleBinding {
    ClusterRoleBinding {
        metadata: metadata(&who.binding_name(NAMESPACE_READER), None),
        role_ref: RoleRef {
            api_group: RBAC_GROUP.to_owned(),
            kind: "ClusterRole".to_owned(),
            name: NAMESPACE_READER.to_owned(),
        },
        subjects: Some(vec![who.subject()]),
    }
}

/// `jit rbac granter`: per namespace the Role and a RoleBinding per subject, then the
/// ClusterRole and a ClusterRoleBinding per subject, as YAML documents after a comment
/// saying what they are, ready for `kubectl apply -f -`.
pub fn granter_manifest(
    namespaces: &[String],
    who: &[Who],
) -> Result<String, serde_saphyr::ser::Error> {
    let mut documents = Vec::new();
    for namespace in namespaces {
        documents.push(serde_saphyr::to_string(&granter(namespace))?);
        for w in who {
            documents.push(serde_saphyr::to_string(&granter_binding(namespace, w))?);
        }
    }
    documents.push(serde_saphyr::to_string(&namespace_reader())?);
    for w in who {
        documents.push(serde_saphyr::to_string(&namespace_reader_binding(w))?);
    }
    let header = format!(
        "# jit rbac granter: lets {} grant with jit in {}.\n\
         # One binding per subject, so applying this adds to who may grant and removes no one.\n\
         # Apply with kubectl apply -f - (as someone who may create Roles and ClusterRoles).\n",
        describe(who),
        namespaces.join(", "),
    );
    Ok(header + &documents.join("---\n"))
}

/// `jit rbac reaper`: the reaper's ClusterRole (list, watch and delete networkpolicies,
/// nothing else) bound to `who`, the same objects `jit reaper manifest` includes.
pub fn reaper_manifest(who: &Subject) -> Result<String, serde_saphyr::ser::Error> {
    let documents = [
        serde_saphyr::to_string(&reaper_setup::cluster_role())?,
        serde_saphyr::to_string(&reaper_setup::cluster_role_binding_to(who.clone()))?,
    ];
    let whom = match &who.namespace {
        Some(namespace) => format!("service account {namespace}/{}", who.name),
        None => format!("{} {}", who.kind.to_lowercase(), who.name),
    };
    let whom = one_line(&whom);
    let header = format!(
        "# jit rbac reaper: lets {whom} run `jit reap` in every namespace:\n\
         # list, watch and delete networkpolicies, nothing else.\n\
         # Apply with kubectl apply -f - (as someone who may create ClusterRoles).\n",
    );
    Ok(header + &documents.join("---\n"))
}

/// The reaper's ServiceAccount as a binding subject.
pub fn service_account(namespace: &str, name: &str) -> Subject {
    Subject {
        kind: "ServiceAccount".to_owned(),
        name: name.to_owned(),
        namespace: Some(namespace.to_owned()),
        ..Subject::default()
    }
}

/// A user as a binding subject (a reaper run by cron with its own credentials).
pub fn user(name: &str) -> Subject {
    Who::User(name.to_owned()).subject()
}

/// "user alice, group devs": for the comment above the manifest.
fn describe(who: &[Who]) -> String {
    let names: Vec<String> = who
        .iter()
        .map(|w| match w {
            Who::User(name) => format!("user {name}"),
            Who::Group(name) => format!("group {name}"),
        })
        .collect();
    one_line(&names.join(", "))
}

/// Usernames are free text: keep a comment on one line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A Role and RoleBinding that let `user` grant in `namespace`, ready for `kubectl apply -f -`:
/// the hint when `jit grant` is refused. The same objects as `jit rbac granter NAMESPACE
/// --user USER` prints for that namespace.
pub fn granter_role(namespace: &str, user: &str) -> String {
    let who = Who::User(user.to_owned());
    let documents = [
        serde_saphyr::to_string(&granter(namespace)),
        serde_saphyr::to_string(&granter_binding(namespace, &who)),
    ];
    // Serializing these plain structs cannot fail; never lose the hint over it.
    documents
        .into_iter()
        .filter_map(Result::ok)
        .collect::<Vec<_>>()
        .join("---\n")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde::de::DeserializeOwned;

    use super::*;

    fn typed<T: DeserializeOwned>(document: &str) -> T {
        serde_saphyr::from_str(document).unwrap_or_else(|e| panic!("{e}\nin document:\n{document}"))
    }

    fn verbs(rule: &PolicyRule) -> BTreeSet<&str> {
        rule.verbs.iter().map(String::as_str).collect()
    }

    fn alice() -> Who {
        Who::User("alice@example.com".into())
    }

    #[test]
    fn role_is_valid_yaml_naming_user_and_namespace() {
        let text = granter_role("team-b", "alice@example.com");
        let documents: Vec<&str> = text.split("---\n").collect();
        assert_eq!(documents.len(), 2, "{text}");
        let role: Role = typed(documents[0]);
        let binding: RoleBinding = typed(documents[1]);
        assert_eq!(role.metadata.namespace.as_deref(), Some("team-b"));
        assert_eq!(role.metadata.name.as_deref(), Some("jit-granter"));
        assert_eq!(binding.metadata.namespace.as_deref(), Some("team-b"));
        assert_eq!(
            binding.metadata.name.as_deref(),
            Some("jit-granter:user:alice@example.com")
        );
        assert_eq!(binding.role_ref.kind, "Role");
        assert_eq!(binding.role_ref.name, "jit-granter");
        let subjects = binding.subjects.unwrap();
        assert_eq!(subjects.len(), 1);
        assert_eq!(subjects[0].kind, "User");
        assert_eq!(subjects[0].name, "alice@example.com");
        assert_eq!(subjects[0].api_group.as_deref(), Some(RBAC_GROUP));
    }

    #[test]
    fn the_hint_is_what_rbac_granter_prints_for_the_namespace() {
        let hint = granter_role("team-b", "alice@example.com");
        let manifest = granter_manifest(&["team-b".into()], &[alice()]).unwrap();
        assert!(manifest.contains(&hint), "{manifest}\n---\n{hint}");
    }

    #[test]
    fn granter_may_write_and_find_policies_and_read_pods_and_services_only() {
        let rules = granter("team-a").rules.unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].api_groups, Some(vec!["networking.k8s.io".into()]));
        assert_eq!(rules[0].resources, Some(vec!["networkpolicies".into()]));
        assert_eq!(
            verbs(&rules[0]),
            BTreeSet::from([
                "create",
                "patch",
                "get",
                "list",
                "delete",
                "deletecollection"
            ])
        );
        assert_eq!(rules[1].api_groups, Some(vec!["".into()]));
        assert_eq!(rules[1].resources, Some(vec!["pods".into()]));
        assert_eq!(verbs(&rules[1]), BTreeSet::from(["get", "list"]));
        assert_eq!(rules[2].resources, Some(vec!["services".into()]));
        assert_eq!(verbs(&rules[2]), BTreeSet::from(["get"]));
        for rule in &rules {
            assert_eq!(rule.resource_names, None);
            assert_eq!(rule.non_resource_urls, None);
            assert!(!rule.verbs.iter().any(|v| v == "*" || v == "update"));
        }
    }

    #[test]
    fn the_namespace_reader_only_gets_namespaces() {
        let role = namespace_reader();
        assert_eq!(role.aggregation_rule, None);
        let rules = role.rules.unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].resources, Some(vec!["namespaces".into()]));
        assert_eq!(verbs(&rules[0]), BTreeSet::from(["get"]));
    }

    #[test]
    fn the_manifest_binds_every_subject_in_every_namespace() {
        let who = [alice(), Who::Group("devs".into())];
        let text = granter_manifest(&["team-a".into(), "team-b".into()], &who).unwrap();
        assert!(text.starts_with("# jit rbac granter: lets user alice@example.com, group devs grant with jit in team-a, team-b.\n"), "{text}");
        let documents: Vec<serde_json::Value> = text
            .split("---\n")
            .map(|d| serde_saphyr::from_str(d).unwrap())
            .collect();
        let summary: Vec<String> = documents
            .iter()
            .map(|d| {
                format!(
                    "{} {}/{} -> {}",
                    d["kind"].as_str().unwrap(),
                    d["metadata"]["namespace"].as_str().unwrap_or("-"),
                    d["metadata"]["name"].as_str().unwrap(),
                    d["subjects"][0]["kind"].as_str().unwrap_or("-"),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "Role team-a/jit-granter -> -",
                "RoleBinding team-a/jit-granter:user:alice@example.com -> User",
                "RoleBinding team-a/jit-granter:group:devs -> Group",
                "Role team-b/jit-granter -> -",
                "RoleBinding team-b/jit-granter:user:alice@example.com -> User",
                "RoleBinding team-b/jit-granter:group:devs -> Group",
                "ClusterRole -/jit-namespace-reader -> -",
                "ClusterRoleBinding -/jit-namespace-reader:user:alice@example.com -> User",
                "ClusterRoleBinding -/jit-namespace-reader:group:devs -> Group",
            ]
        );
        let reader: ClusterRoleBinding = typed(text.split("---\n").nth(7).unwrap());
        assert_eq!(reader.role_ref.kind, "ClusterRole");
        assert_eq!(reader.role_ref.name, NAMESPACE_READER);
    }

    #[test]
    fn names_rbac_cannot_hold_become_digests() {
        let odd = Who::User("https://issuer.example.com/#1234".into());
        let name = odd.binding_name(GRANTER);
        assert!(name.starts_with("jit-granter:user:sha256-"), "{name}");
        assert_eq!(name.len(), "jit-granter:user:sha256-".len() + 16);
        assert_ne!(
            name,
            Who::User("https://issuer.example.com/#1235".into()).binding_name(GRANTER)
        );
        assert!(
            Who::Group("..".into())
                .binding_name(GRANTER)
                .contains("sha256-")
        );
        assert!(
            Who::User("a".repeat(300))
                .binding_name(GRANTER)
                .contains("sha256-")
        );
        // The subject keeps the real name.
        let binding = granter_binding("team-a", &odd);
        assert_eq!(
            binding.subjects.unwrap()[0].name,
            "https://issuer.example.com/#1234"
        );
    }

    #[test]
    fn odd_names_cannot_inject_yaml() {
        let who = [Who::User("eve\nkind: ClusterRole\n# ".into())];
        let text = granter_manifest(&["team-a".into()], &who).unwrap();
        let documents: Vec<&str> = text.split("---\n").collect();
        assert_eq!(documents.len(), 4, "{text}");
        let binding: RoleBinding = typed(documents[1]);
        assert_eq!(
            binding.subjects.unwrap()[0].name,
            "eve\nkind: ClusterRole\n# "
        );
        assert_eq!(text.lines().filter(|l| l.starts_with('#')).count(), 3);
    }

    #[test]
    fn the_reaper_may_list_watch_and_delete_policies_only() {
        let text = reaper_manifest(&service_account("ops", "reaper")).unwrap();
        assert!(
            text.starts_with("# jit rbac reaper: lets service account ops/reaper run"),
            "{text}"
        );
        let documents: Vec<&str> = text.split("---\n").collect();
        assert_eq!(documents.len(), 2);
        let role: ClusterRole = typed(documents[0]);
        let rules = role.rules.unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].resources, Some(vec!["networkpolicies".into()]));
        assert_eq!(
            verbs(&rules[0]),
            BTreeSet::from(["list", "watch", "delete"])
        );
        let binding: ClusterRoleBinding = typed(documents[1]);
        assert_eq!(binding.role_ref.name, role.metadata.name.unwrap());
        let subjects = binding.subjects.unwrap();
        assert_eq!(subjects, [service_account("ops", "reaper")]);

        let text = reaper_manifest(&user("reaper-bot")).unwrap();
        let binding: ClusterRoleBinding = typed(text.split("---\n").nth(1).unwrap());
        let subject = &binding.subjects.unwrap()[0];
        assert_eq!(subject.kind, "User");
        assert_eq!(subject.name, "reaper-bot");
        assert_eq!(subject.namespace, None);
    }
}
