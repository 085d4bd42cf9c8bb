//! An HTTP request as the handlers see it, and the per-call context (who, when).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::Value;

use super::clock;
use super::status::{self, Reply};
use super::world::User;

pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    /// The bearer token, if any.
    pub token: Option<String>,
    pub user_agent: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Incoming {
    /// `?dryRun=All`, or `"dryRun": ["All"]` in the body (where clients put it for DELETE).
    pub fn dry_run(&self) -> bool {
        let in_body = || {
            let dry_run = self.json_body().and_then(|b| b.get("dryRun").cloned());
            dry_run
                .and_then(|v| v.as_array().map(|a| a.iter().any(|x| x == "All")))
                .unwrap_or(false)
        };
        self.query.get("dryRun").is_some_and(|v| v == "All") || in_body()
    }

    /// The body as JSON, or None when there is none (a non-JSON body is kept as a string).
    pub fn json_body(&self) -> Option<Value> {
        if self.body.is_empty() {
            return None;
        }
        Some(
            serde_json::from_slice(&self.body).unwrap_or_else(|_| {
                Value::String(String::from_utf8_lossy(&self.body).into_owned())
            }),
        )
    }
}

/// One authenticated request being served.
pub struct Call<'a> {
    pub req: &'a Incoming,
    pub user: &'a User,
    pub now: SystemTime,
}

impl Call<'_> {
    pub fn now(&self) -> String {
        clock::rfc3339(self.now)
    }

    pub fn query(&self, key: &str) -> Option<&str> {
        self.req
            .query
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The manager of an ordinary write: `?fieldManager=`, else the User-Agent up to its first `/`
    /// (so requests from `python-requests/2.32` are managed by `python-requests`, as in the fixtures).
    pub fn manager(&self) -> String {
        match self.query("fieldManager") {
            Some(m) => m.to_string(),
            None => self
                .req
                .user_agent
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The body, which must be a JSON object.
    pub fn object_body(&self) -> Result<Value, Reply> {
        let value: Value = serde_json::from_slice(&self.req.body).map_err(|e| {
            status::bad_request(&format!("couldn't get version/kind; json parse error: {e}"))
        })?;
        if !value.is_object() {
            return Err(status::bad_request(
                "the body of the request must be a JSON object",
            ));
        }
        Ok(value)
    }
}
