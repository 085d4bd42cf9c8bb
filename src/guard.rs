//! `jit guard`: a ValidatingAdmissionPolicy and its binding that make the API server itself
//! enforce jit's rules on jit's NetworkPolicies. Pure object generation; nothing here
//! touches a cluster.
//!
//! jit checks its own requests, but anyone who may write NetworkPolicies could hand-write
//! one that carries jit's labels: another person's name as the requester, or an expiry a
//! year out. The reaper catches the second (fail closed, by the maximum lifetime) but only
//! after the fact, and nothing catches the first. With this policy the API server refuses
//! both when they are written, with status 422 and the validation's message.
//!
//! The rules are CEL (built into the API server since Kubernetes 1.30), so no webhook,
//! certificate or extra deployment is involved.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::admissionregistration::v1::{
    MatchResources, NamedRuleWithOperations, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding, ValidatingAdmissionPolicyBindingSpec,
    ValidatingAdmissionPolicySpec, Validation, Variable,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta,
};

use crate::policy::keys;

/// The default name of the policy and of its binding.
pub const DEFAULT_NAME: &str = "jit-guard";

/// What the API server enforces, in whole seconds (the unit of the expiry label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest a grant may be created for: its expiry at most this long after its
    /// creationTimestamp.
    pub max_ttl: Duration,
    /// The longest a grant may live, extensions included, from its creationTimestamp.
    pub max_lifetime: Duration,
}

/// A limit that cannot be enforced as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitError {
    /// Less than one second: the expiry label counts whole seconds.
    TtlTooShort,
    LifetimeTooShort,
    /// So long that the creation time plus the limit would overflow CEL's 64-bit integers
    /// (an evaluation error would refuse every grant).
    TtlTooLong,
    LifetimeTooLong,
    /// A grant could be created for longer than it may ever live.
    TtlOverLifetime,
}

/// The longest limit accepted: creation time plus this still fits in an i64 for any
/// creation time a cluster can have.
const MAX_LIMIT_SECS: u64 = (i64::MAX / 2) as u64;

impl Limits {
    pub fn new(max_ttl: Duration, max_lifetime: Duration) -> Result<Limits, LimitError> {
        let limits = Limits {
            max_ttl,
            max_lifetime,
        };
        let (ttl, lifetime) = (max_ttl.as_secs(), max_lifetime.as_secs());
        if ttl == 0 {
            Err(LimitError::TtlTooShort)
        } else if lifetime == 0 {
            Err(LimitError::LifetimeTooShort)
        } else if ttl > MAX_LIMIT_SECS {
            Err(LimitError::TtlTooLong)
        } else if lifetime > MAX_LIMIT_SECS {
            Err(LimitError::LifetimeTooLong)
        } else if ttl > lifetime {
            Err(LimitError::TtlOverLifetime)
        } else {
            Ok(limits)
        }
    }

    fn ttl_secs(&self) -> u64 {
        self.max_ttl.as_secs()
    }

    fn lifetime_secs(&self) -> u64 {
        self.max_lifetime.as_secs()
    }
}

/// Whether `name` can name the policy and its binding (a DNS subdomain, as the API server
/// demands of both).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

/// The policy: on every CREATE and UPDATE of a NetworkPolicy that carries jit's marker and a
/// grant id (in its new or, for an UPDATE, its old state: the API server matches the
/// object selector against both, so stripping the labels does not escape it), the
/// validations below must all hold.
pub fn policy(name: &str, limits: &Limits) -> ValidatingAdmissionPolicy {
    ValidatingAdmissionPolicy {
        metadata: metadata(name),
        spec: Some(ValidatingAdmissionPolicySpec {
            // An expression that cannot be evaluated refuses the write: fail closed, as the
            // reaper does.
            failure_policy: Some("Fail".to_owned()),
            match_constraints: Some(MatchResources {
                resource_rules: Some(vec![NamedRuleWithOperations {
                    api_groups: Some(vec!["networking.k8s.io".to_owned()]),
                    api_versions: Some(vec!["v1".to_owned()]),
                    // Not DELETE: revoking and reaping must always work.
                    operations: Some(vec!["CREATE".to_owned(), "UPDATE".to_owned()]),
                    resources: Some(vec!["networkpolicies".to_owned()]),
                    ..NamedRuleWithOperations::default()
                }]),
                object_selector: Some(managed_selector()),
                ..MatchResources::default()
            }),
            variables: Some(variables()),
            validations: Some(validations(limits)),
            ..ValidatingAdmissionPolicySpec::default()
        }),
        status: None,
    }
}

/// The binding that puts the policy in force everywhere: a failed validation refuses the
/// request (not just a warning or an audit annotation).
pub fn binding(name: &str) -> ValidatingAdmissionPolicyBinding {
    ValidatingAdmissionPolicyBinding {
        metadata: metadata(name),
        spec: Some(ValidatingAdmissionPolicyBindingSpec {
            policy_name: Some(name.to_owned()),
            validation_actions: Some(vec!["Deny".to_owned()]),
            ..ValidatingAdmissionPolicyBindingSpec::default()
        }),
    }
}

/// The policy and binding as two YAML documents, after a comment saying what they are,
/// ready for `kubectl apply -f -`.
pub fn yaml(name: &str, limits: &Limits) -> Result<String, serde_saphyr::ser::Error> {
    let header = format!(
        "# jit guard: the API server refuses jit-labelled NetworkPolicies that break jit's rules\n\
         # (max TTL {}, max lifetime {}). Needs Kubernetes 1.30 or later.\n\
         # Apply with: jit guard | kubectl apply -f -\n",
        human(limits.max_ttl),
        human(limits.max_lifetime),
    );
    let documents = [
        serde_saphyr::to_string(&policy(name, limits))?,
        serde_saphyr::to_string(&binding(name))?,
    ];
    Ok(header + &documents.join("---\n"))
}

/// The policy and binding as one `v1` `List` (as `kubectl get -o json` prints several
/// objects): one JSON document that jq and `kubectl apply -f -` both take.
pub fn json(name: &str, limits: &Limits) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {},
        "items": [policy(name, limits), binding(name)],
    })
}

/// Never `app.kubernetes.io/managed-by: jit`: that marks a grant.
fn metadata(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        labels: Some(BTreeMap::from([(
            "app.kubernetes.io/part-of".to_owned(),
            "jit".to_owned(),
        )])),
        ..ObjectMeta::default()
    }
}

/// `managed-by In [jit]` and `grant-id Exists`: what makes a policy a grant to jit.
fn managed_selector() -> LabelSelector {
    LabelSelector {
        match_expressions: Some(vec![
            LabelSelectorRequirement {
                key: keys::MANAGED_BY.to_owned(),
                operator: "In".to_owned(),
                values: Some(vec![keys::MANAGED_BY_VALUE.to_owned()]),
            },
            LabelSelectorRequirement {
                key: keys::GRANT_ID.to_owned(),
                operator: "Exists".to_owned(),
                values: None,
            },
        ]),
        match_labels: None,
    }
}

/// A label or annotation of `object` (`object` or `oldObject`), or '' where the map or the
/// key is missing. '' is never a valid requester, grant id or marker, so "missing" and
/// "empty" may be one value; a missing key is then a plain denial with the validation's
/// message rather than an evaluation error.
fn metadata_value(object: &str, map: &str, key: &str) -> String {
    format!(
        "has({object}.metadata.{map}) && '{key}' in {object}.metadata.{map} \
         ? {object}.metadata.{map}['{key}'] : ''"
    )
}

/// Named once, read by the validations as `variables.NAME`. The API server evaluates a
/// variable only when a validation reads it, so the `oldObject` ones (null on CREATE) are
/// only read behind `request.operation != 'UPDATE' ||`.
fn variables() -> Vec<Variable> {
    let variable = |name: &str, expression: String| Variable {
        name: name.to_owned(),
        expression,
    };
    vec![
        variable(
            "requester",
            metadata_value("object", "annotations", keys::REQUESTER),
        ),
        variable(
            "oldRequester",
            metadata_value("oldObject", "annotations", keys::REQUESTER),
        ),
        variable(
            "grantId",
            metadata_value("object", "labels", keys::GRANT_ID),
        ),
        variable(
            "oldGrantId",
            metadata_value("oldObject", "labels", keys::GRANT_ID),
        ),
        variable(
            "managedBy",
            metadata_value("object", "labels", keys::MANAGED_BY),
        ),
        variable(
            "oldManagedBy",
            metadata_value("oldObject", "labels", keys::MANAGED_BY),
        ),
        // Unix seconds, or -1 when the label is missing or not a number (int() of anything
        // else would be an evaluation error, not a denial with a message). At most 12 digits
        // so int() cannot overflow.
        variable(
            "expiresLabel",
            metadata_value("object", "labels", keys::EXPIRES),
        ),
        variable(
            "expires",
            "variables.expiresLabel.matches('^[0-9]{1,12}$') ? int(variables.expiresLabel) : -1"
                .to_owned(),
        ),
        // Set by the API server before validating admission runs, on CREATE too, and
        // immutable after. Typed as a timestamp by the API server (string() then
        // timestamp() is the identity) and as a string by plain JSON (timestamp() parses
        // it); int() of a timestamp is unix seconds. Missing, it is an evaluation error,
        // which refuses the write (failurePolicy Fail).
        variable(
            "created",
            "int(timestamp(string(object.metadata.creationTimestamp)))".to_owned(),
        ),
    ]
}

fn validations(limits: &Limits) -> Vec<Validation> {
    let validation = |expression: String, message: String| Validation {
        expression,
        message: Some(message),
        ..Validation::default()
    };
    let on_create = |rule: &str| format!("request.operation != 'CREATE' || {rule}");
    let on_update = |rule: &str| format!("request.operation != 'UPDATE' || {rule}");
    let (ttl, lifetime) = (limits.ttl_secs(), limits.lifetime_secs());
    vec![
        validation(
            on_create("variables.requester == request.userInfo.username"),
            format!(
                "the {} annotation must be the name of the user who creates the grant",
                keys::REQUESTER
            ),
        ),
        validation(
            "variables.expires >= 0".to_owned(),
            format!(
                "the {} label must be the grant's expiry in unix seconds",
                keys::EXPIRES
            ),
        ),
        validation(
            on_create(&format!("variables.expires <= variables.created + {ttl}")),
            format!(
                "the {} label may be at most {} ({ttl}s, the maximum TTL) after the policy's creation",
                keys::EXPIRES,
                human(limits.max_ttl)
            ),
        ),
        // `jit extend` moves the expiry; never past this.
        validation(
            on_update(&format!(
                "variables.expires <= variables.created + {lifetime}"
            )),
            format!(
                "the {} label may be at most {} ({lifetime}s, the maximum lifetime, extensions included) after the policy's creation",
                keys::EXPIRES,
                human(limits.max_lifetime)
            ),
        ),
        validation(
            on_update("variables.requester == variables.oldRequester"),
            format!(
                "the {} annotation cannot be changed or removed",
                keys::REQUESTER
            ),
        ),
        validation(
            on_update("variables.grantId == variables.oldGrantId"),
            format!("the {} label cannot be changed or removed", keys::GRANT_ID),
        ),
        validation(
            on_update("variables.managedBy == variables.oldManagedBy"),
            format!(
                "the {}={} label cannot be changed or removed",
                keys::MANAGED_BY,
                keys::MANAGED_BY_VALUE
            ),
        ),
    ]
}

/// `8h`, `1day`: as the flags and the configuration take durations.
fn human(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use jiff::Timestamp;
    use k8s_openapi::api::networking::v1::NetworkPolicy;
    use rand::SeedableRng;
    use serde_json::{Value, json};

    use super::*;
    use crate::policy::{self, Grant, GrantId, Port, PortRef, Ports, Protocol, Source, Stamp};

    const HOUR: u64 = 3600;

    fn limits() -> Limits {
        Limits::new(
            Duration::from_secs(8 * HOUR),
            Duration::from_secs(24 * HOUR),
        )
        .unwrap()
    }

    fn spec() -> ValidatingAdmissionPolicySpec {
        policy(DEFAULT_NAME, &limits()).spec.unwrap()
    }

    #[test]
    fn limits_must_be_whole_seconds_and_ttl_within_lifetime() {
        let secs = Duration::from_secs;
        assert_eq!(
            Limits::new(secs(9 * HOUR), secs(8 * HOUR)),
            Err(LimitError::TtlOverLifetime)
        );
        assert_eq!(
            Limits::new(Duration::from_millis(900), secs(HOUR)),
            Err(LimitError::TtlTooShort)
        );
        assert_eq!(
            Limits::new(secs(1), Duration::ZERO),
            Err(LimitError::LifetimeTooShort)
        );
        assert_eq!(
            Limits::new(secs(1), secs(u64::MAX)),
            Err(LimitError::LifetimeTooLong)
        );
        assert_eq!(
            Limits::new(secs(u64::MAX), secs(u64::MAX)),
            Err(LimitError::TtlTooLong)
        );
        assert!(Limits::new(secs(HOUR), secs(HOUR)).is_ok());
    }

    #[test]
    fn names_are_dns_subdomains() {
        assert!(is_valid_name("jit-guard"));
        assert!(is_valid_name("jit.guard.example"));
        for bad in [
            "",
            "Jit",
            "jit_guard",
            "-jit",
            "jit-",
            "a..b",
            &"a".repeat(254),
        ] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn matches_create_and_update_of_networkpolicies_carrying_the_marker_and_a_grant_id() {
        let spec = spec();
        assert_eq!(spec.failure_policy.as_deref(), Some("Fail"));
        assert_eq!(spec.param_kind, None);
        let constraints = spec.match_constraints.unwrap();
        let rules = constraints.resource_rules.unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].api_groups, Some(vec!["networking.k8s.io".into()]));
        assert_eq!(rules[0].api_versions, Some(vec!["v1".into()]));
        assert_eq!(rules[0].resources, Some(vec!["networkpolicies".into()]));
        assert_eq!(
            rules[0].operations,
            Some(vec!["CREATE".into(), "UPDATE".into()])
        );
        let selector = serde_json::to_value(constraints.object_selector.unwrap()).unwrap();
        assert_eq!(
            selector,
            json!({"matchExpressions": [
                {"key": "app.kubernetes.io/managed-by", "operator": "In", "values": ["jit"]},
                {"key": "jit.dev/grant-id", "operator": "Exists"},
            ]})
        );
        // The reaper and revoke must never be refused.
        assert_eq!(constraints.namespace_selector, None);
        assert_eq!(constraints.exclude_resource_rules, None);
    }

    #[test]
    fn every_validation_has_a_message_and_denies() {
        for v in spec().validations.unwrap() {
            assert!(v.message.as_deref().is_some_and(|m| !m.is_empty()), "{v:?}");
            assert_eq!(v.reason, None, "the default, Invalid: status 422");
        }
        assert!(
            spec().validations.unwrap()[2]
                .message
                .as_deref()
                .unwrap()
                .contains("8h (28800s, the maximum TTL)")
        );
    }

    #[test]
    fn the_binding_denies_with_the_policy_of_the_same_name() {
        let b = binding("my-guard");
        assert_eq!(b.metadata.name.as_deref(), Some("my-guard"));
        let spec = b.spec.unwrap();
        assert_eq!(spec.policy_name.as_deref(), Some("my-guard"));
        assert_eq!(spec.validation_actions, Some(vec!["Deny".into()]));
        assert_eq!(spec.match_resources, None);
        assert_eq!(spec.param_ref, None);
    }

    #[test]
    fn nothing_guarded_is_marked_as_a_grant() {
        for labels in [
            policy("g", &limits()).metadata.labels,
            binding("g").metadata.labels,
        ] {
            assert!(!labels.unwrap().contains_key(keys::MANAGED_BY));
        }
    }

    /// The request bodies the real API server accepted (vap-create.json and
    /// vap-binding-create.json): ours have the same fields, with the same types, plus ours.
    #[test]
    fn objects_have_the_shape_the_api_server_accepted() {
        let fixture = |file: &str| -> Value {
            let path = format!(
                "{}/../shared/k8s-fixtures/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    serde_json::from_str::<Value>(&text).unwrap()["request"]["body"].clone()
                }
                Err(_) => Value::Null,
            }
        };
        let (vap, vab) = (
            fixture("vap-create.json"),
            fixture("vap-binding-create.json"),
        );
        if vap.is_null() || vab.is_null() {
            println!("skipped: the captured fixtures are not beside the repository");
            return;
        }
        let ours = serde_json::to_value(policy("fixture-guard", &limits())).unwrap();
        assert_same_shape(&vap, &ours, "policy");
        let ours = serde_json::to_value(binding("fixture-guard")).unwrap();
        assert_same_shape(&vab, &ours, "binding");
        assert_eq!(vab["spec"], ours["spec"]);
        // And the typed structs read the captured ones back.
        let _: ValidatingAdmissionPolicy = serde_json::from_value(vap).unwrap();
        let _: ValidatingAdmissionPolicyBinding = serde_json::from_value(vab).unwrap();
    }

    /// Every field of `captured` is in `ours` with a value of the same JSON type (objects
    /// recursively, arrays by their first element).
    fn assert_same_shape(captured: &Value, ours: &Value, at: &str) {
        match (captured, ours) {
            (Value::Object(c), Value::Object(o)) => {
                for (key, value) in c {
                    let Some(mine) = o.get(key) else {
                        panic!("{at}.{key} is missing from ours: {ours}");
                    };
                    assert_same_shape(value, mine, &format!("{at}.{key}"));
                }
            }
            (Value::Array(c), Value::Array(o)) => {
                if let (Some(c), Some(o)) = (c.first(), o.first()) {
                    assert_same_shape(c, o, &format!("{at}[0]"));
                }
            }
            (c, o) => assert_eq!(
                std::mem::discriminant(c),
                std::mem::discriminant(o),
                "{at}: {c} vs {o}"
            ),
        }
    }

    #[test]
    fn yaml_is_two_documents_after_a_comment() {
        let text = yaml(DEFAULT_NAME, &limits()).unwrap();
        assert!(text.starts_with("# jit guard:"), "{text}");
        let documents: Vec<&str> = text.split("---\n").collect();
        assert_eq!(documents.len(), 2);
        let vap: ValidatingAdmissionPolicy = serde_saphyr::from_str(documents[0]).unwrap();
        let vab: ValidatingAdmissionPolicyBinding = serde_saphyr::from_str(documents[1]).unwrap();
        assert_eq!(vap, policy(DEFAULT_NAME, &limits()));
        assert_eq!(vab, binding(DEFAULT_NAME));
    }

    #[test]
    fn json_is_one_list() {
        let list = json(DEFAULT_NAME, &limits());
        assert_eq!(list["kind"], "List");
        let kinds: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding"
            ]
        );
    }

    #[test]
    fn default_guard_as_yaml() {
        insta::assert_snapshot!(yaml(DEFAULT_NAME, &limits()).unwrap());
    }

    // The CEL, evaluated for real with the `cel` crate on admission requests built from the
    // policies jit itself writes.
    //
    // Where this interpreter differs from the API server's (cel-go with Kubernetes'
    // libraries), and so what these tests cannot show:
    // - no type checking: the API server checks every expression against the
    //   NetworkPolicy schema when the policy is created (status.typeChecking); here objects
    //   are untyped JSON maps, so creationTimestamp is a string, not a timestamp (the
    //   expression handles both; only the string path runs here);
    // - variables are evaluated up front rather than lazily: one that fails (the oldObject
    //   ones on CREATE, where oldObject is null) is left out, so reading it would fail
    //   exactly as the API server's lazy evaluation would;
    // - no cost limits, and matchConstraints (objectSelector, operations) are not
    //   evaluated: the tests below only send what the selector would match.

    /// The messages of the validations that deny `request` (an evaluation error denies too,
    /// failurePolicy being Fail: reported as "error: ...").
    fn denials(spec: &ValidatingAdmissionPolicySpec, request: &Value) -> Vec<String> {
        let env = Arc::new(cel::Env::stdlib());
        let mut context = cel::Context::with_env(env.clone());
        for name in ["object", "oldObject", "request"] {
            let value = cel::to_value(&request[name]).unwrap();
            context.add_variable_from_value(name, value);
        }
        let mut variables: HashMap<String, cel::Value> = HashMap::new();
        for variable in spec.variables.as_deref().unwrap_or_default() {
            context.add_variable_from_value("variables", variables.clone());
            let program = env
                .compile(&variable.expression)
                .unwrap_or_else(|e| panic!("{}: {e}", variable.expression));
            if let Ok(value) = program.execute(&context) {
                variables.insert(variable.name.clone(), value);
            }
        }
        context.add_variable_from_value("variables", variables);
        let mut denied = Vec::new();
        for validation in spec.validations.as_deref().unwrap_or_default() {
            let program = env
                .compile(&validation.expression)
                .unwrap_or_else(|e| panic!("{}: {e}", validation.expression));
            match program.execute(&context) {
                Ok(cel::Value::Bool(true)) => {}
                Ok(cel::Value::Bool(false)) => denied.push(validation.message.clone().unwrap()),
                other => denied.push(format!("error: {other:?} in {}", validation.expression)),
            }
        }
        denied
    }

    const CREATED: &str = "2026-11-27T15:12:41Z";

    fn created() -> i64 {
        CREATED.parse::<Timestamp>().unwrap().as_second()
    }

    /// The policy `jit grant --ttl TTL` writes for alice, as the API server holds it when
    /// validating (with its creationTimestamp).
    fn grant(ttl: Duration) -> Value {
        let grant = Grant {
            namespace: "team-a".into(),
            target: policy::Target::Pods("app=db".parse().unwrap()),
            target_service: None,
            sources: vec![Source::Pods("app=debug".parse().unwrap())],
            ports: Ports::Only(vec![Port {
                port: PortRef::Number(5432),
                protocol: Protocol::Tcp,
            }]),
            ttl,
            reason: Some("INC-1234".into()),
        };
        let created: Timestamp = CREATED.parse().unwrap();
        let stamp = Stamp {
            id: GrantId::generate(&mut rand::rngs::StdRng::seed_from_u64(7)),
            requester: "alice".into(),
            groups: vec!["devs".into()],
            created,
            expires: Stamp::expiry(created, ttl),
        };
        let np: NetworkPolicy = policy::network_policy(&grant, &stamp);
        let mut object = serde_json::to_value(np).unwrap();
        object["metadata"]["creationTimestamp"] = json!(CREATED);
        object
    }

    fn create(user: &str, object: &Value) -> Value {
        json!({
            "request": {"operation": "CREATE", "userInfo": {"username": user, "groups": ["devs"]}},
            "object": object,
            "oldObject": null,
        })
    }

    fn update(user: &str, old: &Value, new: &Value) -> Value {
        json!({
            "request": {"operation": "UPDATE", "userInfo": {"username": user}},
            "object": new,
            "oldObject": old,
        })
    }

    /// `jit extend`'s merge patch: a new expiry label, `secs` after creation.
    fn extended(old: &Value, secs: i64) -> Value {
        let mut new = old.clone();
        new["metadata"]["labels"][keys::EXPIRES] = json!((created() + secs).to_string());
        new["metadata"]["annotations"]["jit.dev/extended-by"] = json!("alice");
        new
    }

    #[track_caller]
    fn assert_allowed(request: &Value) {
        let denied = denials(&spec(), request);
        assert!(denied.is_empty(), "denied: {denied:#?}");
    }

    #[track_caller]
    fn assert_denied_for(request: &Value, reason: &str) {
        let denied = denials(&spec(), request);
        assert!(
            denied.iter().any(|m| m.contains(reason)),
            "expected a denial about {reason:?}, got {denied:#?}"
        );
    }

    #[test]
    fn cel_an_honest_grant_passes() {
        assert_allowed(&create("alice", &grant(Duration::from_secs(30 * 60))));
        // At exactly the maximum TTL too.
        assert_allowed(&create("alice", &grant(Duration::from_secs(8 * HOUR))));
    }

    #[test]
    fn cel_a_forged_requester_is_denied() {
        let object = grant(Duration::from_secs(60));
        assert_eq!(
            denials(&spec(), &create("mallory", &object)),
            ["the jit.dev/requester annotation must be the name of the user who creates the grant"]
        );
        let mut without = object.clone();
        without["metadata"]["annotations"]
            .as_object_mut()
            .unwrap()
            .remove(keys::REQUESTER);
        assert_denied_for(&create("alice", &without), "must be the name of the user");
        let mut no_annotations = object;
        no_annotations["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("annotations");
        assert_denied_for(
            &create("alice", &no_annotations),
            "must be the name of the user",
        );
    }

    #[test]
    fn cel_an_expiry_past_the_maximum_ttl_is_denied() {
        let request = create("alice", &grant(Duration::from_secs(8 * HOUR + 1)));
        assert_eq!(
            denials(&spec(), &request),
            [
                "the jit.dev/expires label may be at most 8h (28800s, the maximum TTL) after the policy's creation"
            ]
        );
    }

    #[test]
    fn cel_a_missing_or_unreadable_expiry_is_denied_not_an_error() {
        let object = grant(Duration::from_secs(60));
        for value in [
            None,
            Some("soon"),
            Some("-5"),
            Some("1e9"),
            Some("9999999999999"),
        ] {
            let mut object = object.clone();
            let labels = object["metadata"]["labels"].as_object_mut().unwrap();
            match value {
                Some(v) => labels.insert(keys::EXPIRES.into(), json!(v)),
                None => labels.remove(keys::EXPIRES),
            };
            let denied = denials(&spec(), &create("alice", &object));
            assert!(
                denied.iter().any(|m| m.contains("unix seconds")),
                "{value:?}: {denied:#?}"
            );
            assert!(
                denied.iter().all(|m| !m.starts_with("error:")),
                "{value:?}: {denied:#?}"
            );
        }
    }

    #[test]
    fn cel_a_missing_creation_timestamp_is_refused() {
        let mut object = grant(Duration::from_secs(60));
        object["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("creationTimestamp");
        assert!(!denials(&spec(), &create("alice", &object)).is_empty());
    }

    #[test]
    fn cel_an_extension_within_the_lifetime_passes() {
        let old = grant(Duration::from_secs(30 * 60));
        assert_allowed(&update("alice", &old, &extended(&old, 10 * 3600)));
        // Up to the last second of the lifetime, by someone else too (extend is any
        // granter's to do; the requester stays).
        assert_allowed(&update("bob", &old, &extended(&old, 24 * 3600)));
        // Shortening, or any other label edit that keeps the rules.
        assert_allowed(&update("alice", &old, &extended(&old, 60)));
    }

    #[test]
    fn cel_an_extension_past_the_lifetime_is_denied() {
        let old = grant(Duration::from_secs(30 * 60));
        let year = 365 * 24 * 3600;
        for secs in [24 * 3600 + 1, year] {
            assert_eq!(
                denials(&spec(), &update("alice", &old, &extended(&old, secs))),
                [
                    "the jit.dev/expires label may be at most 1day (86400s, the maximum lifetime, extensions included) after the policy's creation"
                ]
            );
        }
    }

    #[test]
    fn cel_the_requester_cannot_change() {
        let old = grant(Duration::from_secs(60));
        let mut new = old.clone();
        new["metadata"]["annotations"][keys::REQUESTER] = json!("bob");
        assert_eq!(
            denials(&spec(), &update("bob", &old, &new)),
            ["the jit.dev/requester annotation cannot be changed or removed"]
        );
        let mut removed = old.clone();
        removed["metadata"]["annotations"]
            .as_object_mut()
            .unwrap()
            .remove(keys::REQUESTER);
        assert_denied_for(
            &update("alice", &old, &removed),
            "requester annotation cannot",
        );
    }

    #[test]
    fn cel_the_marker_and_grant_id_cannot_be_removed_or_changed() {
        let old = grant(Duration::from_secs(60));
        let edit = |key: &str, value: Option<&str>| {
            let mut new = old.clone();
            let labels = new["metadata"]["labels"].as_object_mut().unwrap();
            match value {
                Some(v) => labels.insert(key.into(), json!(v)),
                None => labels.remove(key),
            };
            update("alice", &old, &new)
        };
        let marker = "app.kubernetes.io/managed-by=jit label cannot";
        let grant_id = "grant-id label cannot";
        assert_denied_for(&edit(keys::MANAGED_BY, None), marker);
        assert_denied_for(&edit(keys::MANAGED_BY, Some("someone-else")), marker);
        assert_denied_for(&edit(keys::GRANT_ID, None), grant_id);
        assert_denied_for(&edit(keys::GRANT_ID, Some("other")), grant_id);
        // Every label at once, which the object selector still matches by the old object.
        let mut bare = old.clone();
        bare["metadata"].as_object_mut().unwrap().remove("labels");
        let denied = denials(&spec(), &update("alice", &old, &bare));
        for what in [marker, grant_id, "unix seconds"] {
            assert!(
                denied.iter().any(|m| m.contains(what)),
                "{what}: {denied:#?}"
            );
        }
    }

    #[test]
    fn cel_an_update_cannot_turn_a_plain_policy_into_a_grant() {
        let new = grant(Duration::from_secs(60));
        let mut old = new.clone();
        old["metadata"].as_object_mut().unwrap().remove("labels");
        old["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("annotations");
        let denied = denials(&spec(), &update("alice", &old, &new));
        assert_eq!(denied.len(), 3, "{denied:#?}");
    }

    /// The captured exchange: the policy the API server enforced denied alice writing
    /// admin's name and let her write her own. Ours does the same with jit's keys.
    #[test]
    fn cel_agrees_with_the_captured_denial() {
        let object = grant(Duration::from_secs(60));
        let mut forged = object.clone();
        forged["metadata"]["annotations"][keys::REQUESTER] = json!("admin");
        assert_denied_for(&create("alice", &forged), "must be the name of the user");
        assert_allowed(&create("alice", &object));
    }

    /// The interpreter's own behaviour the expressions rely on, so a difference from the API
    /// server's CEL shows up here rather than as a wrong verdict above.
    #[test]
    fn cel_interpreter_does_what_the_expressions_need() {
        let eval = |expression: &str| {
            let env = Arc::new(cel::Env::stdlib());
            let program = env.compile(expression).unwrap();
            let mut context = cel::Context::with_env(env);
            context.add_variable_from_value(
                "m",
                cel::to_value(json!({"labels": {"a/b": "1"}})).unwrap(),
            );
            program.execute(&context)
        };
        let is_true = |e: &str| assert_eq!(eval(e), Ok(cel::Value::Bool(true)), "{e}");
        is_true("int(timestamp(string('2026-11-27T15:12:41Z'))) == 1795792361");
        is_true("int(timestamp(string(timestamp('2026-11-27T15:12:41Z')))) == 1795792361");
        is_true("has(m.labels) && !has(m.annotations)");
        is_true("'a/b' in m.labels && !('c' in m.labels)");
        is_true("true || m.nothing.at.all");
        is_true("'123'.matches('^[0-9]{1,12}$') && !'12a'.matches('^[0-9]{1,12}$')");
    }
}
