//! The resource types the fake serves, and how each is named in URLs, bodies and messages.

use super::fields::Schema;

pub struct Kind {
    /// URL segment and RBAC resource name, e.g. `networkpolicies`.
    pub plural: &'static str,
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    /// Pods, services and namespaces are only seeded by the `World`; the fake answers reads for them.
    pub writable: bool,
    /// Whether objects carry `metadata.generation` (config maps and namespaces do not).
    pub generation: bool,
    /// Which parts of the object are owned field by field for server-side apply.
    pub schema: Schema,
}

impl Kind {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `schema.GroupResource.String()`: how the API server names the resource in most messages.
    pub fn group_resource(&self) -> String {
        qualify(self.plural, self.group)
    }

    /// `schema.GroupKind.String()`: used in 422 and delete-precondition messages.
    pub fn group_kind(&self) -> String {
        qualify(self.kind, self.group)
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }
}

pub fn qualify(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{group}")
    }
}

pub static NAMESPACES: Kind = Kind {
    plural: "namespaces",
    group: "",
    version: "v1",
    kind: "Namespace",
    namespaced: false,
    writable: false,
    generation: false,
    schema: Schema::METADATA_ONLY,
};

pub static PODS: Kind = Kind {
    plural: "pods",
    group: "",
    version: "v1",
    kind: "Pod",
    namespaced: true,
    writable: false,
    generation: true,
    schema: Schema::METADATA_ONLY,
};

pub static SERVICES: Kind = Kind {
    plural: "services",
    group: "",
    version: "v1",
    kind: "Service",
    namespaced: true,
    writable: false,
    generation: false,
    schema: Schema::METADATA_ONLY,
};

pub static CONFIG_MAPS: Kind = Kind {
    plural: "configmaps",
    group: "",
    version: "v1",
    kind: "ConfigMap",
    namespaced: true,
    writable: true,
    generation: false,
    schema: Schema {
        granular: &[&["data"], &["binaryData"]],
        maps: &[&["data"], &["binaryData"]],
    },
};

pub static NETWORK_POLICIES: Kind = Kind {
    plural: "networkpolicies",
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    namespaced: true,
    writable: true,
    generation: true,
    // Each top-level spec field is atomic (`f:ingress: {}` in the fixtures), so ownership stops there.
    schema: Schema {
        granular: &[&["spec"]],
        maps: &[],
    },
};

static ALL: [&Kind; 5] = [
    &NAMESPACES,
    &PODS,
    &SERVICES,
    &CONFIG_MAPS,
    &NETWORK_POLICIES,
];

pub fn lookup(group: &str, version: &str, plural: &str) -> Option<&'static Kind> {
    ALL.iter()
        .copied()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
}
