//! Replies, and the `Status` bodies the API server sends for failures, worded as it words them.

use serde_json::{Map, Value, json};

use super::kinds::{Kind, qualify};

/// What a handler answers: HTTP status, JSON body and any extra headers.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
}

/// Handlers return failures as `Err` so `?` can short-circuit; both sides are sent the same way.
pub type Answer = Result<Reply, Reply>;

impl Reply {
    pub fn new(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            headers: Vec::new(),
        }
    }
}

/// A `details` object with the empty fields left out, as Go's `omitempty` does.
pub fn details(name: &str, group: &str, kind: &str) -> Map<String, Value> {
    let mut d = Map::new();
    for (key, value) in [("name", name), ("group", group), ("kind", kind)] {
        if !value.is_empty() {
            d.insert(key.to_string(), Value::from(value));
        }
    }
    d
}

pub fn failure(
    code: u16,
    reason: &str,
    message: &str,
    details: Option<Map<String, Value>>,
) -> Reply {
    let mut body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "code": code,
    });
    if !reason.is_empty() {
        body["reason"] = Value::from(reason);
    }
    if let Some(d) = details {
        body["details"] = Value::Object(d);
    }
    Reply::new(code, body)
}

pub fn unauthorized() -> Reply {
    failure(401, "Unauthorized", "Unauthorized", None)
}

pub fn unknown_path() -> Reply {
    failure(
        404,
        "NotFound",
        "the server could not find the requested resource",
        Some(Map::new()),
    )
}

pub fn method_not_allowed() -> Reply {
    failure(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        Some(Map::new()),
    )
}

pub fn unsupported_media_type() -> Reply {
    let message = "the body of the request was in an unknown format - accepted media types include: \
                   application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";
    failure(415, "UnsupportedMediaType", message, Some(Map::new()))
}

pub fn bad_request(message: &str) -> Reply {
    failure(400, "BadRequest", message, None)
}

pub fn not_found(kind: &Kind, name: &str) -> Reply {
    let message = format!("{} {} not found", kind.group_resource(), go_quote(name));
    failure(
        404,
        "NotFound",
        &message,
        Some(details(name, kind.group, kind.plural)),
    )
}

pub fn namespace_not_found(namespace: &str) -> Reply {
    let message = format!("namespaces {} not found", go_quote(namespace));
    failure(
        404,
        "NotFound",
        &message,
        Some(details(namespace, "", "namespaces")),
    )
}

pub fn already_exists(kind: &Kind, name: &str) -> Reply {
    let message = format!(
        "{} {} already exists",
        kind.group_resource(),
        go_quote(name)
    );
    failure(
        409,
        "AlreadyExists",
        &message,
        Some(details(name, kind.group, kind.plural)),
    )
}

/// The message of a lost compare-and-swap (`OptimisticLockErrorMsg`).
pub const MODIFIED: &str =
    "the object has been modified; please apply your changes to the latest version and try again";

pub fn conflict(kind: &Kind, name: &str, why: &str) -> Reply {
    let message = format!(
        "Operation cannot be fulfilled on {} {}: {why}",
        kind.group_resource(),
        go_quote(name)
    );
    failure(
        409,
        "Conflict",
        &message,
        Some(details(name, kind.group, kind.plural)),
    )
}

/// Delete preconditions fail in the storage layer, which names the kind rather than the resource.
pub fn precondition_conflict(kind: &Kind, name: &str, why: &str) -> Reply {
    let message = format!(
        "Operation cannot be fulfilled on {} {}: {why}",
        kind.group_kind(),
        go_quote(name)
    );
    failure(
        409,
        "Conflict",
        &message,
        Some(details(name, kind.group, kind.kind)),
    )
}

pub fn forbidden(group: &str, resource: &str, name: &str, why: &str) -> Reply {
    let subject = match (resource.is_empty(), name.is_empty()) {
        (true, _) => String::new(),
        (false, true) => format!("{} is ", qualify(resource, group)),
        (false, false) => format!("{} {} is ", qualify(resource, group), go_quote(name)),
    };
    let message = format!("{subject}forbidden: {why}");
    failure(
        403,
        "Forbidden",
        &message,
        Some(details(name, group, resource)),
    )
}

pub fn deleted(kind: &Kind, name: &str, uid: &str) -> Reply {
    let mut d = details(name, kind.group, kind.plural);
    d.insert("uid".into(), Value::from(uid));
    Reply::new(
        200,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d}),
    )
}

/// A 422 `Invalid` for `group_kind` (e.g. `NetworkPolicy` in `networking.k8s.io`).
pub fn invalid(group: &str, kind: &str, name: &str, errors: &[FieldError]) -> Reply {
    let mut d = details(name, group, kind);
    let causes: Vec<Value> = errors
        .iter()
        .map(|e| json!({"reason": e.kind.reason(), "message": e.body(), "field": e.field}))
        .collect();
    d.insert("causes".into(), Value::Array(causes));
    let message = format!(
        "{} {} is invalid: {}",
        qualify(kind, group),
        go_quote(name),
        aggregate(errors)
    );
    failure(422, "Invalid", &message, Some(d))
}

/// `utilerrors.NewAggregate(...).Error()`: duplicates dropped, several bracketed.
fn aggregate(errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let text = format!("{}: {}", e.field, e.body());
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    match seen.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// A failure answered on purpose by `FakeApi::inject_failure`.
pub fn injected(code: u16) -> Reply {
    let mut reply = match code {
        429 => {
            let mut d = Map::new();
            d.insert("retryAfterSeconds".into(), Value::from(1));
            failure(
                429,
                "TooManyRequests",
                "Too many requests, please try again later.",
                Some(d),
            )
        }
        500 => {
            let mut d = Map::new();
            d.insert("causes".into(), json!([{"message": "injected failure"}]));
            failure(
                500,
                "InternalError",
                "Internal error occurred: injected failure",
                Some(d),
            )
        }
        503 => failure(
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request",
            None,
        ),
        504 => failure(
            504,
            "Timeout",
            "the server was unable to return a response in the time allotted",
            None,
        ),
        other => failure(other, "", "injected failure", None),
    };
    if code == 429 {
        reply.headers.push(("Retry-After", "1".to_string()));
    }
    reply
}

/// One `field.Error`: where, what kind of problem, the offending value and why.
pub struct FieldError {
    pub field: String,
    pub kind: ErrorKind,
    /// Already rendered as Go prints it (`"quoted"` for strings, bare for numbers); None when omitted.
    pub value: Option<String>,
    pub detail: String,
}

#[derive(Clone, Copy)]
pub enum ErrorKind {
    Required,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
}

impl ErrorKind {
    fn reason(self) -> &'static str {
        match self {
            ErrorKind::Required => "FieldValueRequired",
            ErrorKind::Invalid => "FieldValueInvalid",
            ErrorKind::NotSupported => "FieldValueNotSupported",
            ErrorKind::Forbidden => "FieldValueForbidden",
            ErrorKind::TooLong => "FieldValueTooLong",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ErrorKind::Required => "Required value",
            ErrorKind::Invalid => "Invalid value",
            ErrorKind::NotSupported => "Unsupported value",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::TooLong => "Too long",
        }
    }
}

impl FieldError {
    pub fn invalid(field: &str, value: &str, detail: &str) -> FieldError {
        FieldError::with_value(ErrorKind::Invalid, field, go_quote(value), detail)
    }

    pub fn invalid_int(field: &str, value: i64, detail: &str) -> FieldError {
        FieldError::with_value(ErrorKind::Invalid, field, value.to_string(), detail)
    }

    pub fn required(field: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorKind::Required,
            value: None,
            detail: detail.into(),
        }
    }

    pub fn forbidden(field: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorKind::Forbidden,
            value: None,
            detail: detail.into(),
        }
    }

    pub fn too_long(field: &str, max_bytes: usize) -> FieldError {
        let detail = format!("may not be more than {max_bytes} bytes");
        FieldError {
            field: field.into(),
            kind: ErrorKind::TooLong,
            value: None,
            detail,
        }
    }

    pub fn not_supported(field: &str, value: &str, supported: &[&str]) -> FieldError {
        let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        let detail = format!("supported values: {}", quoted.join(", "));
        FieldError::with_value(ErrorKind::NotSupported, field, go_quote(value), &detail)
    }

    fn with_value(kind: ErrorKind, field: &str, value: String, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            kind,
            value: Some(value),
            detail: detail.into(),
        }
    }

    /// `field.Error.ErrorBody()`.
    pub fn body(&self) -> String {
        let mut s = match &self.value {
            Some(v) => format!("{}: {v}", self.kind.label()),
            None => self.kind.label().to_string(),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

/// Go's `%q` for the strings we meet (Rust's `{:?}` differs for some escapes, e.g. `\u{1b}`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
