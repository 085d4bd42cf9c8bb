//! Turns a request path into what it addresses, the way the API server's RequestInfo does.

use super::kinds::{self, Kind};

pub enum Route {
    Version,
    SelfSubjectReview,
    SelfSubjectAccessReview,
    Resource(Target),
    Unknown,
}

pub struct Target {
    pub kind: &'static Kind,
    /// The namespace in the URL; None for cluster-scoped objects and all-namespaces lists.
    pub namespace: Option<String>,
    /// None addresses the collection.
    pub name: Option<String>,
}

impl Target {
    /// The namespace RBAC sees: for `/api/v1/namespaces/{name}` the API server treats the
    /// namespace object's name as the request's namespace.
    pub fn rbac_namespace(&self) -> Option<&str> {
        if self.kind.plural == "namespaces" {
            self.name.as_deref()
        } else {
            self.namespace.as_deref()
        }
    }
}

pub fn parse(path: &str) -> Route {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let (group, version, rest) = match segments.as_slice() {
        ["version"] => return Route::Version,
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Route::Unknown,
    };
    match (group, version, rest) {
        ("authentication.k8s.io", "v1", ["selfsubjectreviews"]) => return Route::SelfSubjectReview,
        ("authorization.k8s.io", "v1", ["selfsubjectaccessreviews"]) => {
            return Route::SelfSubjectAccessReview;
        }
        _ => {}
    }
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] if *plural != "namespaces" => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        _ => return Route::Unknown,
    };
    let Some(kind) = kinds::lookup(group, version, plural) else {
        return Route::Unknown;
    };
    // A namespaced object is only reachable under its namespace, and vice versa.
    let misplaced = matches!(
        (kind.namespaced, namespace, name),
        (true, None, Some(_)) | (false, Some(_), _)
    );
    if misplaced {
        return Route::Unknown;
    }
    Route::Resource(Target {
        kind,
        namespace: namespace.map(str::to_string),
        name: name.map(str::to_string),
    })
}
