//! HTTP plumbing: axum routes everything to one handler, which turns the request into an
//! `Incoming`, lets the `Cluster` answer it and writes the reply with the API server's headers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::clock;
use super::cluster::Cluster;
use super::request::Incoming;

pub type Shared = Arc<Mutex<Cluster>>;

/// A panicking handler must not take every later request (and the test's own calls) down with it.
pub fn lock(shared: &Mutex<Cluster>) -> MutexGuard<'_, Cluster> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn router(shared: Shared) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

const MAX_BODY: usize = 16 * 1024 * 1024;

async fn handle(State(shared): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let latency = lock(&shared).latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let query = Query::<BTreeMap<String, String>>::try_from_uri(&parts.uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let incoming = Incoming {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        token: bearer(&parts.headers),
        user_agent: header_text(&parts.headers, header::USER_AGENT).unwrap_or_default(),
        content_type: header_text(&parts.headers, header::CONTENT_TYPE),
        body,
    };
    let (reply, date) = {
        let mut cluster = lock(&shared);
        let reply = cluster.serve(&incoming);
        (reply, clock::http_date(cluster.now()))
    };
    let mut response = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::DATE, date);
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    let body = serde_json::to_vec(&reply.body).expect("JSON values serialize");
    response
        .body(Body::from(body))
        .expect("valid response parts")
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = header_text(headers, header::AUTHORIZATION)?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}
