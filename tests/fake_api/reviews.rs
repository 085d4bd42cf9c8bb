//! `/version`, SelfSubjectReview (who am I) and SelfSubjectAccessReview (may I).

use serde_json::{Value, json};

use super::fields::Schema;
use super::ownership::{self, Writer};
use super::rbac::{self, Attributes};
use super::request::Call;
use super::status::{self, Answer, FieldError, Reply};

/// `version.json`'s body: the captured server.
fn version_body() -> Value {
    json!({
        "major": "1",
        "minor": "36",
        "emulationMajor": "1",
        "emulationMinor": "36",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "35",
        "gitVersion": "v1.36.2",
        "gitCommit": "98b35193b2ac7a23a673325f5e9b830ecd5ba406",
        "gitTreeState": "clean",
        "buildDate": "2026-11-27T15:02:58Z",
        "goVersion": "go1.27.3-X:nojsonv2",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

pub fn version(call: &Call) -> Answer {
    if call.req.method != "GET" {
        return Err(status::method_not_allowed());
    }
    rbac::require(
        call.user,
        &Attributes::NonResource {
            verb: "get",
            path: "/version",
        },
    )?;
    Ok(Reply::new(200, version_body()))
}

/// Reviews are only ever created; RBAC still applies (everyone has it via system:basic-user).
fn create_review(call: &Call, group: &'static str, resource: &'static str) -> Result<(), Reply> {
    if call.req.method != "POST" {
        return Err(status::method_not_allowed());
    }
    let attrs = Attributes::Resource {
        verb: "create",
        group,
        resource,
        namespace: None,
        name: "",
    };
    rbac::require(call.user, &attrs)
}

pub fn self_subject(call: &Call) -> Answer {
    create_review(call, "authentication.k8s.io", "selfsubjectreviews")?;
    let user = call.user;
    Ok(Reply::new(
        201,
        json!({
            "kind": "SelfSubjectReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": call.now()},
            "status": {"userInfo": {"username": user.name, "uid": user.uid, "groups": user.groups}},
        }),
    ))
}

/// Field ownership of a review: the attributes are owned one by one (see the SSAR fixtures).
const REVIEW_SCHEMA: Schema = Schema {
    granular: &[
        &["spec"],
        &["spec", "resourceAttributes"],
        &["spec", "nonResourceAttributes"],
    ],
    maps: &[
        &["spec", "resourceAttributes"],
        &["spec", "nonResourceAttributes"],
    ],
};

pub fn access_review(call: &Call) -> Answer {
    create_review(call, "authorization.k8s.io", "selfsubjectaccessreviews")?;
    let body = call.object_body()?;
    let spec = body.get("spec").cloned().unwrap_or_else(|| json!({}));
    let text = |attrs: &Value, key: &str| {
        attrs
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let decision = match (
        spec.get("resourceAttributes"),
        spec.get("nonResourceAttributes"),
    ) {
        (Some(ra), None) => {
            let namespace = text(ra, "namespace");
            let (verb, group, resource, name) = (
                text(ra, "verb"),
                text(ra, "group"),
                text(ra, "resource"),
                text(ra, "name"),
            );
            let attrs = Attributes::Resource {
                verb: &verb,
                group: &group,
                resource: &resource,
                // An empty namespace asks about the cluster scope.
                namespace: Some(namespace.as_str()).filter(|ns| !ns.is_empty()),
                name: &name,
            };
            rbac::authorize(call.user, &attrs)
        }
        (None, Some(nra)) => {
            let (verb, path) = (text(nra, "verb"), text(nra, "path"));
            rbac::authorize(
                call.user,
                &Attributes::NonResource {
                    verb: &verb,
                    path: &path,
                },
            )
        }
        _ => {
            let error = FieldError::invalid(
                "spec.resourceAttributes",
                "null",
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            );
            return Err(status::invalid(
                "authorization.k8s.io",
                "SelfSubjectAccessReview",
                "",
                &[error],
            ));
        }
    };
    // A denial carries no reason at all (the field is omitted), as the fixtures show.
    let mut verdict = json!({"allowed": decision.allowed});
    if !decision.reason.is_empty() {
        verdict["reason"] = Value::from(decision.reason);
    }
    let mut review = json!({
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {},
        "spec": spec,
    });
    let (now, manager) = (call.now(), call.manager());
    let writer = Writer {
        manager: &manager,
        api_version: "authorization.k8s.io/v1",
        now: &now,
    };
    ownership::update(&REVIEW_SCHEMA, None, &mut review, &writer);
    review["status"] = verdict;
    Ok(Reply::new(201, review))
}
