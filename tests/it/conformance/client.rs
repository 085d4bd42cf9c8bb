//! A small blocking HTTP client for talking to the fake as a given user.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::fake_api::FakeApi;

pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Value,
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

impl Client {
    /// Requests authenticated as `user` (bearer token `token-USER`); None sends no token.
    pub fn new(api: &FakeApi, user: Option<&str>) -> Client {
        Client::with_token(api, user.map(|u| format!("token-{u}")))
    }

    pub fn with_token(api: &FakeApi, token: Option<String>) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            // The fixtures were captured with python-requests; the API server names the field
            // manager of ordinary writes after the User-Agent, so the replay sends the same one.
            .user_agent("python-requests/2.32.3")
            .build()
            .into();
        Client {
            agent,
            base: api.url(),
            token,
        }
    }

    pub fn send(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        content_type: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let url = format!("{}{path}", self.base);
        let mut builder = match method {
            "GET" => self.agent.get(&url).force_send_body(),
            "DELETE" => self.agent.delete(&url).force_send_body(),
            "POST" => self.agent.post(&url),
            "PUT" => self.agent.put(&url),
            "PATCH" => self.agent.patch(&url),
            other => panic!("unsupported method {other}"),
        };
        for (key, value) in query {
            builder = builder.query(key, value);
        }
        if let Some(token) = &self.token {
            builder = builder.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(ct) = content_type {
            builder = builder.header("Content-Type", ct);
        }
        let result = match body {
            Some(b) => builder.send(serde_json::to_vec(b).expect("JSON body")),
            None => builder.send_empty(),
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_lowercase(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let text = response.body_mut().read_to_string().expect("response body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: body is not JSON ({e}): {text}"));
        Response {
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> Response {
        self.send("GET", path, query, None, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Response {
        self.send("POST", path, &[], Some("application/json"), Some(body))
    }

    /// Server-side apply; `query` carries fieldManager, force, dryRun.
    pub fn apply(&self, path: &str, query: &[(&str, &str)], body: &Value) -> Response {
        self.send(
            "PATCH",
            path,
            query,
            Some("application/apply-patch+yaml"),
            Some(body),
        )
    }
}
