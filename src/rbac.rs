//! The RBAC a person needs to use jit, printed for a cluster admin when a preflight check
//! finds it missing. Pure text; nothing here is applied.

/// The verbs on networkpolicies a person who grants needs in a namespace: create and patch
/// to apply, get and list to find existing grants, delete to revoke.
pub const GRANTER_VERBS: [&str; 5] = ["create", "patch", "get", "list", "delete"];

/// A Role and RoleBinding that let `user` grant in `namespace`, ready for `kubectl apply -f -`.
pub fn granter_role(namespace: &str, user: &str) -> String {
    let verbs = GRANTER_VERBS.join(", ");
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: jit-granter
  namespace: {namespace}
rules:
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [{verbs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: jit-granter
  namespace: {namespace}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: jit-granter
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: {user:?}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_is_valid_yaml_naming_user_and_namespace() {
        let text = granter_role("team-b", "alice@example.com");
        let docs: Vec<serde_json::Value> = text
            .split("---\n")
            .map(|doc| serde_saphyr::from_str(doc).unwrap())
            .collect();
        assert_eq!(docs[0]["metadata"]["namespace"], "team-b");
        assert_eq!(docs[0]["rules"][0]["verbs"].as_array().unwrap().len(), 5);
        assert_eq!(docs[1]["subjects"][0]["name"], "alice@example.com");
        assert_eq!(docs[1]["roleRef"]["name"], "jit-granter");
    }
}
