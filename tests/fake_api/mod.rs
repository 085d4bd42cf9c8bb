//! An in-process fake Kubernetes API server for integration tests.
//!
//! It answers the requests `jit` makes (whoami, access reviews, namespaces, pods, services,
//! config maps and NetworkPolicies) the way a real kube-apiserver 1.36 does: same status codes,
//! `Status` bodies, RBAC denials, validation errors, server-side apply conflicts and list
//! pagination (checked against captured responses by `tests/it/conformance`). Its selector
//! parser, RBAC and validation are its own code, independent of the crate under test.
//!
//! Plain HTTP on 127.0.0.1; a kubeconfig with a bearer token `token-USER` selects the user.

mod apply;
mod clock;
mod cluster;
mod defaults;
mod delete;
mod fields;
mod kinds;
mod ownership;
mod paging;
mod rbac;
mod request;
mod resources;
mod reviews;
mod route;
mod seed;
mod selector;
mod server;
mod status;
mod store;
mod validate;
mod world;
mod write;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use cluster::{Cluster, Edit, Fault};
use resources::typed;
use server::lock;
// Each test binary that includes this module uses some of these (the bench only `World`).
#[allow(unused_imports)]
pub use world::{Rule, World};

/// A request the fake received, as it arrived.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    /// The authenticated user; None when the token was missing or unknown.
    pub user: Option<String>,
    pub content_type: Option<String>,
    /// The body as JSON (a non-JSON body as a JSON string); None when empty.
    pub body: Option<Value>,
    /// `?dryRun=All` was set.
    pub dry_run: bool,
}

impl Recorded {
    /// A request that asks to change stored state (whether or not it did): POST/PUT/PATCH/DELETE,
    /// except the review POSTs, which only ask questions.
    pub fn is_write(&self) -> bool {
        let review = self.path.ends_with("/selfsubjectreviews")
            || self.path.ends_with("/selfsubjectaccessreviews");
        matches!(self.method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE") && !review
    }
}

/// A running fake API server; dropping it stops the server.
pub struct FakeApi {
    cluster: Arc<Mutex<Cluster>>,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeApi {
    /// Starts serving `world` on a free port on its own thread and tokio runtime, so plain
    /// synchronous tests can use it; returns once it is listening.
    pub fn start(world: World) -> FakeApi {
        let cluster = Arc::new(Mutex::new(Cluster::new(world)));
        let app = server::router(cluster.clone());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("fake-api".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("tokio runtime for the fake API server");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                        .await
                        .expect("bind 127.0.0.1:0");
                    ready_tx
                        .send(listener.local_addr().expect("bound address"))
                        .expect("starter waits");
                    // Stopping drops the server future; dropping the runtime then ends open connections.
                    tokio::select! {
                        served = axum::serve(listener, app) => served.expect("fake API server"),
                        _ = stopped => {}
                    }
                });
            })
            .expect("spawn the fake API server thread");
        let addr = ready_rx.recv().expect("fake API server started");
        FakeApi {
            cluster,
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Writes a kubeconfig for `user` (bearer token `token-USER`) into `dir` and returns its path;
    /// its current context's namespace is `namespace` when given.
    pub fn kubeconfig(&self, dir: &Path, user: &str, namespace: Option<&str>) -> PathBuf {
        let namespace = namespace
            .map(|ns| format!("\n    namespace: \"{ns}\""))
            .unwrap_or_default();
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: \"{url}\"\n\
             users:\n- name: \"{user}\"\n  user:\n    token: \"token-{user}\"\n\
             contexts:\n- name: \"{user}@fake\"\n  context:\n    cluster: fake\n    user: \"{user}\"{namespace}\n\
             current-context: \"{user}@fake\"\n",
            url = self.url(),
        );
        let path = dir.join(format!("kubeconfig-{user}"));
        std::fs::write(&path, text).expect("write kubeconfig");
        path
    }

    /// Every request received, in the order they were served.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.cluster).requests.clone()
    }

    /// The requests that changed or would have changed stored state (see `Recorded::is_write`),
    /// including dry runs (marked `dry_run`) and ones that were refused.
    pub fn writes(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(Recorded::is_write)
            .collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.cluster).requests.clear();
    }

    /// Delays every later answer by `d`.
    pub fn set_latency(&self, d: Duration) {
        lock(&self.cluster).latency = d;
    }

    /// Sets the server clock to real time plus `secs` (Date headers, timestamps in objects).
    pub fn set_clock_skew(&self, secs: i64) {
        lock(&self.cluster).skew_secs = secs;
    }

    pub fn now(&self) -> SystemTime {
        lock(&self.cluster).now()
    }

    /// The stored NetworkPolicy as a GET would return it.
    pub fn networkpolicy(&self, ns: &str, name: &str) -> Option<Value> {
        let cluster = lock(&self.cluster);
        let obj = cluster
            .store
            .get(&kinds::NETWORK_POLICIES, Some(ns), name)?;
        Some(typed(&kinds::NETWORK_POLICIES, obj.clone()))
    }

    /// The stored ConfigMap as a GET would return it.
    pub fn config_map(&self, ns: &str, name: &str) -> Option<Value> {
        let cluster = lock(&self.cluster);
        let obj = cluster.store.get(&kinds::CONFIG_MAPS, Some(ns), name)?;
        Some(typed(&kinds::CONFIG_MAPS, obj.clone()))
    }

    /// The stored NetworkPolicies of `ns`, ordered by name, each as a GET would return it.
    pub fn networkpolicies(&self, ns: &str) -> Vec<Value> {
        let cluster = lock(&self.cluster);
        let stored = cluster.store.list(&kinds::NETWORK_POLICIES, Some(ns));
        stored
            .into_iter()
            .map(|(_, obj)| typed(&kinds::NETWORK_POLICIES, obj))
            .collect()
    }

    /// The NetworkPolicies in `ns` that carry jit's marker (what grants wrote), without the
    /// world's own policies.
    pub fn grants(&self, ns: &str) -> Vec<Value> {
        self.networkpolicies(ns)
            .into_iter()
            .filter(|np| np["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "jit")
            .collect()
    }

    /// Stores `obj` in `ns` directly (no RBAC, validation or ownership bookkeeping), filling in
    /// uid, creationTimestamp, generation and resourceVersion where missing.
    pub fn put_networkpolicy(&self, ns: &str, obj: Value) {
        lock(&self.cluster).put_networkpolicy(ns, obj);
    }

    /// The next `times` requests with this method and a path starting with `path_prefix` fail with
    /// `status` and a matching Status body (429 adds `Retry-After: 1`).
    pub fn inject_failure(&self, method: &str, path_prefix: &str, status: u16, times: usize) {
        lock(&self.cluster).faults.push(Fault {
            method: method.to_string(),
            path_prefix: path_prefix.to_string(),
            status,
            remaining: times,
        });
    }

    /// Just before serving the next request with this method and a path starting with
    /// `path_prefix`, changes the stored NetworkPolicy `ns`/`name` with `change`, as another
    /// client's update would (it gets a new resourceVersion). The request then sees the changed
    /// object, e.g. a precondition delete of the old version fails with a genuine 409: how
    /// tests make "someone extended the grant between jit's list and its delete" happen.
    pub fn edit_before_next(
        &self,
        method: &str,
        path_prefix: &str,
        ns: &str,
        name: &str,
        change: impl FnOnce(&mut Value) + Send + 'static,
    ) {
        lock(&self.cluster).edits.push(Edit {
            method: method.to_string(),
            path_prefix: path_prefix.to_string(),
            namespace: ns.to_string(),
            name: name.to_string(),
            change: Box::new(change),
        });
    }

    /// Answers 404 for every path under `prefix` (e.g. `/apis/authentication.k8s.io/v1/`), as a
    /// server without that API would.
    pub fn disable_api(&self, prefix: &str) {
        lock(&self.cluster).disabled.push(prefix.to_string());
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The server may already be gone (it panicked); then there is nothing to stop.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
