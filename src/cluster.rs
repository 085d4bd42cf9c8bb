//! The one module that talks to the Kubernetes API. Everything else works on plain values.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use futures::StreamExt;
use http::{HeaderMap, Request, Response};
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, Preconditions};
use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::exit::{Exit, JitError};
use crate::policy::keys;
use crate::retry::{self, Verdict};

/// The field manager jit applies with: `kubectl get --show-managed-fields` shows it.
pub const FIELD_MANAGER: &str = "jit";

/// Create and replace requests as jit's field manager, like its applies.
fn as_jit() -> PostParams {
    PostParams {
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PostParams::default()
    }
}

/// How many objects one list page asks for: large enough that a typical cluster needs one
/// round trip, small enough to bound memory on a huge one.
const PAGE_SIZE: u32 = 500;

/// The longest jit waits for one response. Lists of a few thousand objects and deletes
/// answer in well under a second on a healthy server.
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Requests in flight at once when one operation fans out (per-namespace lists, deletes):
/// enough to hide latency, few enough not to be throttled by API priority and fairness.
pub const CONCURRENCY: usize = 8;

/// An error response from the API server, reduced to what people and exit codes need.
/// (kube's own `Display` for these repeats the whole `Status` debug dump.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: u16,
    pub reason: String,
    pub message: String,
    /// The server's hint for 429s and some 5xx (`details.retryAfterSeconds`).
    pub retry_after: Option<u32>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.message, self.code, self.reason)
    }
}

impl std::error::Error for ApiError {}

/// The API server could not be reached, or stopped answering: connection refused or reset,
/// DNS, TLS, a timeout. Transient as far as retries go.
#[derive(Debug)]
pub struct Unreachable {
    /// The innermost cause, which is the one that says what happened.
    pub cause: String,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot reach the API server: {}", self.cause)
    }
}

impl std::error::Error for Unreachable {}

fn api_error(err: kube::Error) -> anyhow::Error {
    match err {
        kube::Error::Api(status) => ApiError {
            code: status.code,
            reason: status.reason.clone(),
            message: status.message.clone(),
            retry_after: status
                .details
                .as_ref()
                .map(|d| d.retry_after_seconds)
                .filter(|s| *s > 0),
        }
        .into(),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            let mut innermost: &dyn std::error::Error = &err;
            while let Some(source) = innermost.source() {
                innermost = source;
            }
            Unreachable {
                cause: innermost.to_string(),
            }
            .into()
        }
        other => anyhow::Error::new(other),
    }
}

/// The status code of an API error anywhere in the chain.
pub fn api_code(err: &anyhow::Error) -> Option<u16> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<ApiError>())
        .map(|api| api.code)
}

/// Whether a failed request is worth repeating: throttling, server errors and failures to
/// reach the server are; everything else (403, 404, 409, 422, …) is an answer.
fn transient(err: &anyhow::Error) -> Verdict {
    match err
        .chain()
        .find_map(|cause| cause.downcast_ref::<ApiError>())
    {
        Some(api) if matches!(api.code, 429 | 500 | 502 | 503 | 504) => Verdict::Retry {
            after: api
                .retry_after
                .map(|s| std::time::Duration::from_secs(u64::from(s))),
        },
        Some(_) => Verdict::GiveUp,
        None if err.chain().any(|c| c.is::<Unreachable>()) => Verdict::Retry { after: None },
        None => Verdict::GiveUp,
    }
}

/// One API call with jit's bounded retries and readable errors.
async fn call<T, F, Fut>(mut request: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, kube::Error>>,
{
    retry::retry(
        || {
            let attempt = request();
            async move { attempt.await.map_err(api_error) }
        },
        transient,
    )
    .await
}

/// Everything `api` lists with `params` (a label selector, say), page by page: each page
/// retried like any call, `what` naming the list in errors.
async fn list_all<K>(api: &Api<K>, params: ListParams, what: impl Fn() -> String) -> Result<Vec<K>>
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut params = params.limit(PAGE_SIZE);
    let mut all = Vec::new();
    loop {
        let page = call(|| api.list(&params)).await.with_context(&what)?;
        all.extend(page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(all),
        }
    }
}

/// Where to look for grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Namespace(String),
    /// Every namespace the caller can list.
    All,
}

/// Grants found, and the namespaces that could not be looked into (no permission).
#[derive(Debug, Default)]
pub struct Listing {
    pub policies: Vec<NetworkPolicy>,
    pub unreadable_namespaces: Vec<String>,
}

/// How a precondition delete ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// Someone else deleted it first.
    Gone,
    /// It changed since it was read (uid or resourceVersion differ): re-read and re-decide.
    Changed,
}

/// The API server's clock, read from the HTTP `Date` header of its responses.
///
/// Expiry is computed from this, never from the laptop's clock: a laptop whose clock runs
/// behind must not mint a longer grant. `Date` has one-second resolution and is rounded
/// down by the server, so `now()` is never ahead of the server by more than the local time
/// elapsed since the response, which is measured with the monotonic clock.
#[derive(Debug, Clone, Default)]
pub struct ServerClock(Arc<Mutex<Option<(Timestamp, Instant)>>>);

impl ServerClock {
    fn observe(&self, headers: &HeaderMap) {
        let date = headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        if let Some(date) = date {
            *self.0.lock().expect("clock lock") = Some((date, Instant::now()));
        }
    }

    /// The server's current time, if any response has told it yet.
    pub fn now(&self) -> Option<Timestamp> {
        let (date, seen) = (*self.0.lock().expect("clock lock"))?;
        let elapsed = SignedDuration::try_from(seen.elapsed()).ok()?;
        date.checked_add(elapsed).ok()
    }
}

/// `Fri, 27 Nov 2026 15:12:41 GMT` (RFC 9110 IMF-fixdate, a subset of RFC 2822).
pub fn parse_http_date(text: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp())
}

/// Who the API server says the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub username: String,
    pub groups: Vec<String>,
}

/// One SelfSubjectAccessReview question: may I `verb` `resource` in `namespace`?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessCheck {
    pub verb: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
    pub namespace: String,
}

/// A connection to one cluster (one kubeconfig context).
pub struct Cluster {
    client: Client,
    clock: ServerClock,
    /// The namespace of the context (or the service account), "default" if none.
    pub default_namespace: String,
    /// The API server URL, for messages and the audit log.
    pub server: String,
    /// The kubeconfig context in use (`None` in a pod, with the service account).
    pub context: Option<String>,
}

impl Cluster {
    /// Loads the configuration the way kubectl does: `--kubeconfig`, else the files listed in
    /// `KUBECONFIG` (merged), else `~/.kube/config`; with none of those, the in-cluster
    /// service account. Exec plugins, client certificates, tokens, OIDC and proxies all come
    /// with kube's `Config`. No request is sent here.
    pub async fn connect(global: &GlobalArgs) -> Result<Cluster> {
        let context = match global.context.as_slice() {
            [] => None,
            [one] => Some(one.as_str()),
            _ => {
                return Err(JitError::usage(
                    "--context: give one context (only jit reap takes several)",
                )
                .into());
            }
        };
        Cluster::connect_to(global, context).await
    }

    /// Like [`Cluster::connect`], for a given kubeconfig context.
    pub async fn connect_to(global: &GlobalArgs, context: Option<&str>) -> Result<Cluster> {
        let mut config = load_config(global, context).await?;
        // jit retries by itself, with bounds fit for incidents and cron (see `retry`).
        config.default_retry = false;
        // kube sets no read timeout: a server that accepts the connection and never answers
        // would hang a cron reaper for good. A timed-out request is retried like a reset.
        config.read_timeout.get_or_insert(READ_TIMEOUT);
        let default_namespace = config.default_namespace.clone();
        let server = config.cluster_url.to_string();
        let context = match context {
            Some(context) => Some(context.to_string()),
            None => local_kubeconfig(global)
                .ok()
                .flatten()
                .and_then(|kubeconfig| kubeconfig.current_context),
        };
        let clock = ServerClock::default();
        let observer = clock.clone();
        let client = ClientBuilder::try_from(config)
            .map_err(api_error)
            .context("setting up the Kubernetes client")?
            .with_layer(&tower::util::MapResponseLayer::new(
                move |response: Response<_>| {
                    observer.observe(response.headers());
                    response
                },
            ))
            .build();
        Ok(Cluster {
            client,
            clock,
            default_namespace,
            server,
            context,
        })
    }

    /// `-n`, else the namespace of the context (or of the service account).
    pub fn namespace(&self, global: &GlobalArgs) -> String {
        global
            .namespace
            .clone()
            .unwrap_or_else(|| self.default_namespace.clone())
    }

    /// `-A`: every namespace; else [`Cluster::namespace`].
    pub fn scope(&self, global: &GlobalArgs, all_namespaces: bool) -> Scope {
        if all_namespaces {
            Scope::All
        } else {
            Scope::Namespace(self.namespace(global))
        }
    }

    pub fn server_now(&self) -> Option<Timestamp> {
        self.clock.now()
    }

    /// The API server's current time, for decisions: an error, never the local clock, if
    /// the server has not sent a `Date` header yet.
    pub fn now(&self) -> Result<Timestamp> {
        self.clock
            .now()
            .context("the API server sent no Date header, so jit cannot tell the time by it")
    }

    /// SelfSubjectReview: who the API server thinks we are. Falls back to v1beta1 (1.27)
    /// and refuses clearly on servers older than that.
    pub async fn whoami(&self) -> Result<Identity> {
        #[derive(Deserialize)]
        struct Review {
            status: Option<ReviewStatus>,
        }
        #[derive(Deserialize)]
        struct ReviewStatus {
            #[serde(rename = "userInfo")]
            user_info: Option<UserInfo>,
        }
        #[derive(Deserialize)]
        struct UserInfo {
            username: Option<String>,
            groups: Option<Vec<String>>,
        }

        for version in ["v1", "v1beta1"] {
            let body = serde_json::json!({
                "apiVersion": format!("authentication.k8s.io/{version}"),
                "kind": "SelfSubjectReview",
            });
            let request = Request::post(format!(
                "/apis/authentication.k8s.io/{version}/selfsubjectreviews"
            ))
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body)?)?;
            match self
                .client
                .request::<Review>(request)
                .await
                .map_err(api_error)
            {
                Ok(review) => {
                    let info = review.status.and_then(|s| s.user_info).ok_or_else(|| {
                        anyhow!("the SelfSubjectReview came back without userInfo")
                    })?;
                    let username = info.username.filter(|u| !u.is_empty()).ok_or_else(|| {
                        anyhow!("the API server reports no username for these credentials")
                    })?;
                    return Ok(Identity {
                        username,
                        groups: info.groups.unwrap_or_default(),
                    });
                }
                Err(err) if api_code(&err) == Some(404) => continue,
                Err(err) => {
                    return Err(
                        err.context("asking the API server who you are (SelfSubjectReview)")
                    );
                }
            }
        }
        Err(JitError::new(
            Exit::Failure,
            "this API server does not support SelfSubjectReview (authentication.k8s.io, Kubernetes 1.27 or later)",
        )
        .with_hint(
            "jit records the requester exactly as the API server knows them and will not guess it \
             from the kubeconfig; upgrade the cluster to Kubernetes 1.28 or later",
        )
        .into())
    }

    /// SelfSubjectAccessReview: may the caller do this? Asked before any write, so a denial
    /// leaves nothing behind.
    pub async fn allowed(&self, check: &AccessCheck) -> Result<bool> {
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(check.namespace.clone()),
                    verb: Some(check.verb.to_string()),
                    group: Some(check.group.to_string()),
                    resource: Some(check.resource.to_string()),
                    ..ResourceAttributes::default()
                }),
                ..SelfSubjectAccessReviewSpec::default()
            },
            ..SelfSubjectAccessReview::default()
        };
        let api = Api::<SelfSubjectAccessReview>::all(self.client.clone());
        let params = PostParams::default();
        let answer = call(|| api.create(&params, &review))
            .await
            .with_context(|| {
                format!(
                    "asking whether you may {} {} in namespace {}",
                    check.verb, check.resource, check.namespace
                )
            })?;
        Ok(answer.status.is_some_and(|s| s.allowed))
    }

    /// Whether the namespace exists; `None` when the caller may not read namespaces (then
    /// the write itself will say so).
    pub async fn namespace_exists(&self, name: &str) -> Result<Option<bool>> {
        let api = Api::<Namespace>::all(self.client.clone());
        match call(|| api.get_opt(name)).await {
            Ok(found) => Ok(Some(found.is_some())),
            Err(err) if matches!(api_code(&err), Some(401 | 403)) => Ok(None),
            Err(err) => Err(err.context(format!("namespace {name}"))),
        }
    }

    /// A namespace object (for its labels), `None` if it does not exist. A 403 is an error
    /// the caller can tell apart with [`api_code`].
    pub async fn namespace_object(&self, name: &str) -> Result<Option<Namespace>> {
        let api = Api::<Namespace>::all(self.client.clone());
        call(|| api.get_opt(name))
            .await
            .with_context(|| format!("namespace {name}"))
    }

    /// Every pod in `namespace`, page by page.
    pub async fn pods(&self, namespace: &str) -> Result<Vec<Pod>> {
        let api = Api::<Pod>::namespaced(self.client.clone(), namespace);
        list_all(&api, ListParams::default(), || {
            format!("listing pods in {namespace}")
        })
        .await
    }

    /// Every NetworkPolicy in `namespace`, jit's or not: what decides reachability there.
    pub async fn all_policies(&self, namespace: &str) -> Result<Vec<NetworkPolicy>> {
        self.list_pages(Some(namespace), "").await
    }

    pub async fn service(&self, namespace: &str, name: &str) -> Result<Option<Service>> {
        let api = Api::<Service>::namespaced(self.client.clone(), namespace);
        call(|| api.get_opt(name))
            .await
            .with_context(|| format!("service {namespace}/{name}"))
    }

    pub async fn config_map(&self, namespace: &str, name: &str) -> Result<Option<ConfigMap>> {
        let api = Api::<ConfigMap>::namespaced(self.client.clone(), namespace);
        call(|| api.get_opt(name))
            .await
            .with_context(|| format!("configmap {namespace}/{name}"))
    }

    pub async fn create_config_map(&self, map: &ConfigMap) -> Result<ConfigMap> {
        let namespace = map.metadata.namespace.as_deref().unwrap_or_default();
        let name = map.metadata.name.as_deref().unwrap_or_default();
        let api = Api::<ConfigMap>::namespaced(self.client.clone(), namespace);
        let params = as_jit();
        call(|| api.create(&params, map))
            .await
            .with_context(|| format!("configmap {namespace}/{name}"))
    }

    /// Replaces `map` as read: its `resourceVersion` makes this a compare-and-swap (the API
    /// server answers 409 if anyone changed it since).
    pub async fn replace_config_map(&self, map: &ConfigMap) -> Result<ConfigMap> {
        let namespace = map.metadata.namespace.as_deref().unwrap_or_default();
        let name = map.metadata.name.as_deref().unwrap_or_default();
        let api = Api::<ConfigMap>::namespaced(self.client.clone(), namespace);
        let params = as_jit();
        call(|| api.replace(name, &params, map))
            .await
            .with_context(|| format!("configmap {namespace}/{name}"))
    }

    /// Every NetworkPolicy matching `selector` in the scope: all pages of label-selected
    /// lists. For [`Scope::All`], one cluster-wide list when the caller may; otherwise each
    /// namespace the caller can see, skipping (and reporting) those it may not read.
    pub async fn list_policies(&self, scope: &Scope, selector: &str) -> Result<Listing> {
        let namespace = match scope {
            Scope::Namespace(ns) => ns.clone(),
            Scope::All => match self.list_pages(None, selector).await {
                Ok(policies) => {
                    return Ok(Listing {
                        policies,
                        unreadable_namespaces: Vec::new(),
                    });
                }
                Err(err) if api_code(&err) == Some(403) => {
                    return self.list_each_namespace(selector).await;
                }
                Err(err) => return Err(err),
            },
        };
        Ok(Listing {
            policies: self.list_pages(Some(&namespace), selector).await?,
            unreadable_namespaces: Vec::new(),
        })
    }

    async fn list_each_namespace(&self, selector: &str) -> Result<Listing> {
        let api = Api::<Namespace>::all(self.client.clone());
        let params = ListParams::default();
        let namespaces = call(|| api.list(&params))
            .await
            .context("listing networkpolicies cluster-wide is forbidden, and so is listing namespaces to look into each")?;
        let names: Vec<String> = namespaces
            .items
            .into_iter()
            .filter_map(|ns| ns.metadata.name)
            .collect();
        let results: Vec<(String, Result<Vec<NetworkPolicy>>)> = futures::stream::iter(names)
            .map(|ns| async move {
                let result = self.list_pages(Some(&ns), selector).await;
                (ns, result)
            })
            .buffered(CONCURRENCY)
            .collect()
            .await;
        let mut listing = Listing::default();
        for (ns, result) in results {
            match result {
                Ok(policies) => listing.policies.extend(policies),
                Err(err) if api_code(&err) == Some(403) => listing.unreadable_namespaces.push(ns),
                Err(err) => return Err(err),
            }
        }
        Ok(listing)
    }

    async fn list_pages(
        &self,
        namespace: Option<&str>,
        selector: &str,
    ) -> Result<Vec<NetworkPolicy>> {
        let api = match namespace {
            Some(ns) => Api::<NetworkPolicy>::namespaced(self.client.clone(), ns),
            None => Api::<NetworkPolicy>::all(self.client.clone()),
        };
        list_all(
            &api,
            ListParams::default().labels(selector),
            || match namespace {
                Some(ns) => format!("listing networkpolicies in {ns}"),
                None => "listing networkpolicies in all namespaces".to_string(),
            },
        )
        .await
    }

    /// Every jit-managed NetworkPolicy in `namespace`.
    pub async fn jit_policies(&self, namespace: &str) -> Result<Vec<NetworkPolicy>> {
        let scope = Scope::Namespace(namespace.to_string());
        Ok(self
            .list_policies(&scope, &keys::managed_selector())
            .await?
            .policies)
    }

    /// Server-side apply with field manager `jit`, never forced: a field someone else owns
    /// is a conflict to report, not to overwrite.
    pub async fn apply(&self, policy: &NetworkPolicy, dry_run: bool) -> Result<NetworkPolicy> {
        let namespace = policy.metadata.namespace.as_deref().unwrap_or_default();
        let name = policy.metadata.name.as_deref().unwrap_or_default();
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.dry_run = dry_run;
        let api = Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace);
        let patch = Patch::Apply(policy);
        call(|| api.patch(name, &params, &patch))
            .await
            .with_context(|| format!("networkpolicy {namespace}/{name}"))
    }

    /// Deletes exactly the object that was read: the uid and resourceVersion preconditions
    /// make the API server refuse (409) if it was replaced or changed (say, extended) since.
    pub async fn delete_exact(&self, policy: &NetworkPolicy, dry_run: bool) -> Result<Deleted> {
        let namespace = policy.metadata.namespace.as_deref().unwrap_or_default();
        let name = policy.metadata.name.as_deref().unwrap_or_default();
        let params = DeleteParams {
            dry_run,
            preconditions: Some(Preconditions {
                uid: policy.metadata.uid.clone(),
                resource_version: policy.metadata.resource_version.clone(),
            }),
            ..DeleteParams::default()
        };
        let api = Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace);
        match call(|| api.delete(name, &params)).await {
            Ok(_) => Ok(Deleted::Deleted),
            Err(err) if api_code(&err) == Some(404) => Ok(Deleted::Gone),
            Err(err) if api_code(&err) == Some(409) => Ok(Deleted::Changed),
            Err(err) => Err(err.context(format!("networkpolicy {namespace}/{name}"))),
        }
    }

    /// One deletecollection request: every NetworkPolicy in `namespace` matching
    /// `selector`. Returns what was deleted.
    pub async fn delete_collection(
        &self,
        namespace: &str,
        selector: &str,
        dry_run: bool,
    ) -> Result<Vec<NetworkPolicy>> {
        let api = Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace);
        let delete = DeleteParams {
            dry_run,
            ..DeleteParams::default()
        };
        let list = ListParams::default().labels(selector);
        let deleted = call(|| api.delete_collection(&delete, &list))
            .await
            .with_context(|| format!("deleting networkpolicies {selector} in {namespace}"))?;
        Ok(deleted.left().map(|list| list.items).unwrap_or_default())
    }

    /// A JSON merge patch of labels and annotations, guarded by the resourceVersion that
    /// was read: a concurrent change makes it fail (409) instead of being overwritten.
    pub async fn patch_metadata(
        &self,
        policy: &NetworkPolicy,
        labels: &std::collections::BTreeMap<String, String>,
        annotations: &std::collections::BTreeMap<String, String>,
    ) -> Result<NetworkPolicy> {
        let namespace = policy.metadata.namespace.as_deref().unwrap_or_default();
        let name = policy.metadata.name.as_deref().unwrap_or_default();
        let patch = serde_json::json!({
            "metadata": {
                "resourceVersion": policy.metadata.resource_version,
                "labels": labels,
                "annotations": annotations,
            }
        });
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.to_string()),
            ..PatchParams::default()
        };
        let api = Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace);
        let patch = Patch::Merge(&patch);
        call(|| api.patch(name, &params, &patch))
            .await
            .with_context(|| format!("networkpolicy {namespace}/{name}"))
    }

    /// The API server's version as `/version` reports it (`v1.36.2`): for `jit doctor`.
    pub async fn server_version(&self) -> Result<String> {
        call(|| self.client.apiserver_version())
            .await
            .map(|info| info.git_version)
            .context("asking the API server its version")
    }

    /// The names of every namespace, sorted (for `jit grant`'s prompts).
    pub async fn namespace_names(&self) -> Result<Vec<String>> {
        let api = Api::<Namespace>::all(self.client.clone());
        let namespaces = list_all(&api, ListParams::default(), || {
            "listing namespaces".to_string()
        })
        .await?;
        let mut names: Vec<String> = namespaces
            .into_iter()
            .filter_map(|ns| ns.metadata.name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// Every Service in `namespace`, page by page (for `jit grant`'s prompts).
    pub async fn services(&self, namespace: &str) -> Result<Vec<Service>> {
        let api = Api::<Service>::namespaced(self.client.clone(), namespace);
        list_all(&api, ListParams::default(), || {
            format!("listing services in {namespace}")
        })
        .await
    }
}

async fn load_config(global: &GlobalArgs, context: Option<&str>) -> Result<Config> {
    let options = KubeConfigOptions {
        context: context.map(str::to_string),
        ..KubeConfigOptions::default()
    };
    match local_kubeconfig(global)? {
        Some(kubeconfig) => Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| {
                let message = format!("kubeconfig: {e}");
                match context {
                    Some(ctx) => JitError::usage(message)
                        .with_hint(format!("check --context {ctx}: `kubectl config get-contexts` lists the contexts")),
                    None => JitError::usage(message),
                }
                .into()
            }),
        None if context.is_some() => Err(JitError::usage(
            "--context was given but no kubeconfig was found",
        )
        .with_hint("pass --kubeconfig PATH or set KUBECONFIG")
        .into()),
        None => Config::incluster().map_err(|e| {
            JitError::usage(format!(
                "no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist), \
                 and not running in a pod ({e})"
            ))
            .with_hint("pass --kubeconfig PATH, set KUBECONFIG, or use --dry-run to see the policy without a cluster")
            .into()
        }),
    }
}

/// The kubeconfig kubectl would use, if any (files only; nothing is sent).
fn local_kubeconfig(global: &GlobalArgs) -> Result<Option<Kubeconfig>> {
    match &global.kubeconfig {
        Some(path) => Ok(Some(read_kubeconfig(path)?)),
        None if has_local_kubeconfig() => Ok(Some(
            Kubeconfig::read().context("reading the kubeconfig (KUBECONFIG or ~/.kube/config)")?,
        )),
        None => Ok(None),
    }
}

/// Every context name in the kubeconfig, for `jit reap --all-contexts`.
pub fn kubeconfig_contexts(global: &GlobalArgs) -> Result<Vec<String>> {
    let kubeconfig = local_kubeconfig(global)?.ok_or_else(|| {
        JitError::usage("--all-contexts: no kubeconfig found")
            .with_hint("pass --kubeconfig PATH or set KUBECONFIG")
    })?;
    Ok(kubeconfig.contexts.into_iter().map(|c| c.name).collect())
}

fn read_kubeconfig(path: &Path) -> Result<Kubeconfig> {
    Kubeconfig::read_from(path)
        .map_err(|e| JitError::usage(format!("--kubeconfig {}: {e}", path.display())).into())
}

/// True when kubectl would find a kubeconfig: KUBECONFIG set, or ~/.kube/config present.
fn has_local_kubeconfig() -> bool {
    std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty())
        || std::env::var_os("HOME")
            .is_some_and(|home| Path::new(&home).join(".kube/config").exists())
}

/// `-n`, else the namespace of the kubeconfig's context, else "default": the namespace
/// known without connecting (what flags are checked against, and what `jit rbac` prints for).
pub fn local_namespace(global: &GlobalArgs) -> String {
    global
        .namespace
        .clone()
        .or_else(|| kubeconfig_namespace(global))
        .unwrap_or_else(|| "default".to_string())
}

/// The namespace the kubeconfig's context names, read from the files alone (no exec
/// plugin runs, nothing is sent): what `--dry-run=client` uses as the default namespace.
pub fn kubeconfig_namespace(global: &GlobalArgs) -> Option<String> {
    let kubeconfig = local_kubeconfig(global).ok()??;
    let context = global
        .context
        .first()
        .cloned()
        .or_else(|| kubeconfig.current_context.clone())?;
    kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)?
        .context
        .as_ref()?
        .namespace
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse() {
        let ts = parse_http_date("Fri, 27 Nov 2026 15:12:41 GMT").unwrap();
        assert_eq!(ts.to_string(), "2026-11-27T15:12:41Z");
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn clock_moves_on_from_the_last_date_seen() {
        let clock = ServerClock::default();
        assert_eq!(clock.now(), None);
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::DATE,
            "Fri, 27 Nov 2026 15:12:41 GMT".parse().unwrap(),
        );
        clock.observe(&headers);
        let now = clock.now().unwrap();
        let base: Timestamp = "2026-11-27T15:12:41Z".parse().unwrap();
        assert!(now >= base && now < base + SignedDuration::from_secs(5));
    }
}
