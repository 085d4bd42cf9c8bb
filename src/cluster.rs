//! The one module that talks to the Kubernetes API. Everything else works on plain values.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use http::{HeaderMap, Request, Response};
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{Namespace, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::exit::{Exit, JitError};
use crate::policy::keys;

/// The field manager jit applies with: `kubectl get --show-managed-fields` shows it.
pub const FIELD_MANAGER: &str = "jit";

/// How many objects one list page asks for: large enough that a typical cluster needs one
/// round trip, small enough to bound memory on a huge one.
const PAGE_SIZE: u32 = 500;

/// An error response from the API server, reduced to what people and exit codes need.
/// (kube's own `Display` for these repeats the whole `Status` debug dump.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: u16,
    pub reason: String,
    pub message: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.message, self.code, self.reason)
    }
}

impl std::error::Error for ApiError {}

fn api_error(err: kube::Error) -> anyhow::Error {
    match err {
        kube::Error::Api(status) => ApiError {
            code: status.code,
            reason: status.reason.clone(),
            message: status.message.clone(),
        }
        .into(),
        other => anyhow::Error::new(other),
    }
}

/// The status code of an API error anywhere in the chain.
pub fn api_code(err: &anyhow::Error) -> Option<u16> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<ApiError>())
        .map(|api| api.code)
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
    /// The API server URL, for messages.
    pub server: String,
}

impl Cluster {
    /// Loads the configuration the way kubectl does: `--kubeconfig`, else the files listed in
    /// `KUBECONFIG` (merged), else `~/.kube/config`; with none of those, the in-cluster
    /// service account. Exec plugins, client certificates, tokens, OIDC and proxies all come
    /// with kube's `Config`. No request is sent here.
    pub async fn connect(global: &GlobalArgs) -> Result<Cluster> {
        let config = load_config(global).await?;
        let default_namespace = config.default_namespace.clone();
        let server = config.cluster_url.to_string();
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
        })
    }

    pub fn server_now(&self) -> Option<Timestamp> {
        self.clock.now()
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
        let answer = Api::<SelfSubjectAccessReview>::all(self.client.clone())
            .create(&PostParams::default(), &review)
            .await
            .map_err(api_error)
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
        match api.get_opt(name).await.map_err(api_error) {
            Ok(found) => Ok(Some(found.is_some())),
            Err(err) if matches!(api_code(&err), Some(401 | 403)) => Ok(None),
            Err(err) => Err(err.context(format!("namespace {name}"))),
        }
    }

    pub async fn service(&self, namespace: &str, name: &str) -> Result<Option<Service>> {
        Api::<Service>::namespaced(self.client.clone(), namespace)
            .get_opt(name)
            .await
            .map_err(api_error)
            .with_context(|| format!("service {namespace}/{name}"))
    }

    /// Every jit-managed NetworkPolicy in `namespace`, all pages of one label-selected list.
    pub async fn jit_policies(&self, namespace: &str) -> Result<Vec<NetworkPolicy>> {
        let api = Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace);
        let mut params = ListParams::default()
            .labels(&keys::managed_selector())
            .limit(PAGE_SIZE);
        let mut all = Vec::new();
        loop {
            let page = api
                .list(&params)
                .await
                .map_err(api_error)
                .with_context(|| format!("listing jit networkpolicies in {namespace}"))?;
            all.extend(page.items);
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => return Ok(all),
            }
        }
    }

    /// Server-side apply with field manager `jit`, never forced: a field someone else owns
    /// is a conflict to report, not to overwrite.
    pub async fn apply(&self, policy: &NetworkPolicy, dry_run: bool) -> Result<NetworkPolicy> {
        let namespace = policy.metadata.namespace.as_deref().unwrap_or_default();
        let name = policy.metadata.name.as_deref().unwrap_or_default();
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.dry_run = dry_run;
        Api::<NetworkPolicy>::namespaced(self.client.clone(), namespace)
            .patch(name, &params, &Patch::Apply(policy))
            .await
            .map_err(api_error)
            .with_context(|| format!("networkpolicy {namespace}/{name}"))
    }
}

async fn load_config(global: &GlobalArgs) -> Result<Config> {
    let options = KubeConfigOptions {
        context: global.context.clone(),
        ..KubeConfigOptions::default()
    };
    let kubeconfig = match &global.kubeconfig {
        Some(path) => Some(read_kubeconfig(path)?),
        None if has_local_kubeconfig() => Some(
            Kubeconfig::read().context("reading the kubeconfig (KUBECONFIG or ~/.kube/config)")?,
        ),
        None => None,
    };
    match kubeconfig {
        Some(kubeconfig) => Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| {
                let message = format!("kubeconfig: {e}");
                match &global.context {
                    Some(ctx) => JitError::usage(message)
                        .with_hint(format!("check --context {ctx}: `kubectl config get-contexts` lists the contexts")),
                    None => JitError::usage(message),
                }
                .into()
            }),
        None if global.context.is_some() => Err(JitError::usage(
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

/// The namespace the kubeconfig's context names, read from the files alone (no exec
/// plugin runs, nothing is sent): what `--dry-run=client` uses as the default namespace.
pub fn kubeconfig_namespace(global: &GlobalArgs) -> Option<String> {
    let kubeconfig = match &global.kubeconfig {
        Some(path) => Kubeconfig::read_from(path).ok()?,
        None if has_local_kubeconfig() => Kubeconfig::read().ok()?,
        None => return None,
    };
    let context = global
        .context
        .clone()
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
