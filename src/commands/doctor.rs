//! `jit doctor`: why something does not work. One line per check, in this order: the
//! kubeconfig, whether the API server answers, who it says you are, which permissions
//! grant, revoke and reap need you have (in `-n`, the context's namespace or "default"),
//! whether a network plugin that enforces NetworkPolicy runs, the signing key, the audit
//! log's verdict, and the last reap the log records. The verdicts are `crate::doctor`'s.
//!
//! Everything asked of the cluster goes out in one concurrent wave: the SelfSubjectReview,
//! `/version`, the namespace, one SelfSubjectAccessReview per distinct permission and one
//! pod list per namespace where plugins run. When the SelfSubjectReview shows the server unreachable or
//! the credentials rejected, the rest of the wave is dropped and its checks are skipped
//! with that reason, rather than failing one by one. The local checks (keys.json, the
//! signing keys' stores, verifying the log) run on a blocking thread meanwhile.
//!
//! Exit codes: 0 when no check failed (warnings and skipped checks allowed), 1 when one
//! did.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use futures::future::{join_all, try_join};
use jiff::Timestamp;

use crate::audit::keys;
use crate::audit::setup::default_origin;
use crate::audit::{Action, AuditLog, KeyRecord, LOG_FILE, Setup, verify};
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::cluster::{self, AccessCheck, Cluster, Unreachable};
use crate::config::Config;
use crate::doctor::access::{self, Op};
use crate::doctor::local::{self, KeyFacts, KeyLoad, LastReap, LogFacts, ReapFacts};
use crate::doctor::plugin::{self, Listed, PodFacts};
use crate::doctor::{self, Check, names};
use crate::exit::{self, Exit};

pub async fn run(
    global: &GlobalArgs,
    args: &DoctorArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    // Started first: a keyring may take a while (up to keys::LOAD_TIMEOUT) and a long log
    // a while to verify, and neither needs the cluster.
    let local = config.audit_dir().map(|dir| {
        let task = tokio::task::spawn_blocking({
            let dir = dir.clone();
            move || inspect(&dir)
        });
        (dir, task)
    });

    let (mut checks, server_now) = cluster_checks(global).await;
    // Log entries carry the API server's time: judge their age by it when it is known.
    let now = server_now.unwrap_or_else(Timestamp::now);
    match local {
        Ok((dir, task)) => {
            let facts = task.await?;
            checks.push(local::judge_keys(&facts.keys));
            checks.push(local::judge_log(&dir, &facts.log));
            checks.push(local::judge_last_reap(&facts.reap, now));
        }
        Err(err) => {
            let hint = exit::classify(&err).1.map(str::to_string);
            let why = format!("no audit log directory: {err:#}");
            checks.push(Check::skip(names::SIGNING_KEY, why.clone()));
            let mut fail = Check::fail(names::AUDIT_LOG, format!("{err:#}"));
            fail.hint = hint;
            checks.push(fail);
            checks.push(Check::skip(names::LAST_REAP, why));
        }
    }

    if args.output.is_some() {
        serde_json::to_writer_pretty(&mut *out, &doctor::to_json(&checks))?;
        writeln!(out)?;
    } else {
        doctor::write_text(out, &checks)?;
    }
    Ok(if doctor::failed(&checks) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The checks that ask the cluster, and the API server's time if it answered.
async fn cluster_checks(global: &GlobalArgs) -> (Vec<Check>, Option<Timestamp>) {
    let source = kubeconfig_source(global);
    let cluster = match Cluster::connect(global).await {
        Ok(cluster) => cluster,
        Err(err) => {
            let detail = match &source {
                Some(source) => format!("{source}: {}", crate::exit::describe(&err)),
                None => crate::exit::describe(&err),
            };
            let mut fail = Check::fail(names::KUBECONFIG, detail);
            fail.hint = exit::classify(&err).1.map(str::to_string);
            let mut checks = vec![fail];
            checks.extend(skipped("there is no usable kubeconfig"));
            return (checks, None);
        }
    };
    let namespace = cluster.namespace(global);
    let context = cluster
        .context
        .as_deref()
        .map(|c| format!(", context {c}"))
        .unwrap_or_default();
    let source = source.unwrap_or_else(|| "no kubeconfig: the pod's service account".to_string());
    let mut checks = vec![Check::ok(
        names::KUBECONFIG,
        format!("{source}{context}, namespace {namespace}"),
    )];

    let questions = access::questions(&namespace);
    let wave = wave(&cluster, &namespace, &questions).await;
    // `https://host:6443/` as kube has it; people write it without the slash.
    let server = cluster.server.trim_end_matches('/');
    let (identity, version, namespace_exists, answers, pods) = match wave {
        Ok(answers) => answers,
        Err(err) if err.chain().any(|c| c.is::<Unreachable>()) => {
            let cause = err
                .chain()
                .find_map(|c| c.downcast_ref::<Unreachable>())
                .map_or_else(|| format!("{err:#}"), |u| u.cause.clone());
            let mut fail =
                Check::fail(names::API_SERVER, format!("cannot reach {server}: {cause}"));
            fail.hint = exit::classify(&err).1.map(str::to_string);
            checks.push(fail);
            checks.extend(skipped("the API server did not answer").skip(1));
            return (checks, None);
        }
        Err(err) => {
            // Rejected credentials (401): the server answers, but will not say more.
            checks.push(Check::ok(names::API_SERVER, format!("{server} answers")));
            checks.push(
                Check::fail(
                    names::IDENTITY,
                    format!("the API server rejected your credentials: {err:#}"),
                )
                .hint(
                    "check them with kubectl auth whoami; an expired token or certificate \
                     needs renewing",
                ),
            );
            checks.extend(skipped("the API server did not accept your credentials").skip(2));
            return (checks, cluster.server_now());
        }
    };

    let version = version
        .map(|v| format!(" (Kubernetes {v})"))
        .unwrap_or_default();
    match &identity {
        Err(err) if matches!(cluster::api_code(err), Some(429 | 500..=599)) => {
            checks.push(Check::fail(
                names::API_SERVER,
                format!("{server} answers with errors: {err:#}"),
            ))
        }
        _ => checks.push(Check::ok(
            names::API_SERVER,
            format!("{server} answers{version}"),
        )),
    }
    let who = match &identity {
        Ok(identity) => {
            let groups = if identity.groups.is_empty() {
                String::new()
            } else {
                format!(" (groups {})", identity.groups.join(", "))
            };
            checks.push(Check::ok(
                names::IDENTITY,
                format!("{}{groups}", identity.username),
            ));
            identity.username.clone()
        }
        Err(err) => {
            let mut fail = Check::fail(names::IDENTITY, format!("{err:#}"));
            fail.hint = exit::classify(err).1.map(str::to_string);
            checks.push(fail);
            "you".to_string()
        }
    };

    let answers: Vec<(AccessCheck, access::Answer)> = questions
        .into_iter()
        .zip(answers)
        .map(|(question, answer)| (question, answer.map_err(|err| format!("{err:#}"))))
        .collect();
    for op in Op::ALL {
        checks.push(match (op, &namespace_exists) {
            (Op::Grant, Ok(Some(false))) => access::missing_namespace(&namespace),
            _ => access::judge(op, &who, &namespace, &answers),
        });
    }

    let listed: Vec<(&str, Listed)> = plugin::NAMESPACES
        .into_iter()
        .zip(pods)
        .map(|(namespace, pods)| {
            let listed = match pods {
                Ok(pods) => Listed::Pods(pods.iter().map(PodFacts::of).collect()),
                Err(err) if cluster::api_code(&err) == Some(403) => Listed::Forbidden,
                Err(err) => Listed::Failed(format!("{err:#}")),
            };
            (namespace, listed)
        })
        .collect();
    checks.push(plugin::judge(&who, &listed));
    (checks, cluster.server_now())
}

type Answers = (
    Result<cluster::Identity>,
    Result<String>,
    Result<Option<bool>>,
    Vec<Result<bool>>,
    Vec<Result<Vec<k8s_openapi::api::core::v1::Pod>>>,
);

/// Every request at once. `Err` when the SelfSubjectReview shows that nothing else can
/// succeed (the server is unreachable, or rejects the credentials): then the requests
/// still in flight are dropped instead of each retrying to the same end.
async fn wave(cluster: &Cluster, namespace: &str, questions: &[AccessCheck]) -> Result<Answers> {
    let identity = async {
        match cluster.whoami().await {
            Err(err)
                if err.chain().any(|c| c.is::<Unreachable>())
                    || cluster::api_code(&err) == Some(401) =>
            {
                Err(err)
            }
            other => Ok(other),
        }
    };
    let rest = async {
        Ok(tokio::join!(
            cluster.server_version(),
            cluster.namespace_exists(namespace),
            join_all(questions.iter().map(|q| cluster.allowed(q))),
            join_all(plugin::NAMESPACES.iter().map(|ns| cluster.pods(ns))),
        ))
    };
    let (identity, (version, exists, answers, pods)) = try_join(identity, rest).await?;
    Ok((identity, version, exists, answers, pods))
}

/// The cluster checks after the kubeconfig, skipped for `why`.
fn skipped(why: &str) -> impl Iterator<Item = Check> + '_ {
    [
        names::API_SERVER,
        names::IDENTITY,
        Op::Grant.name(),
        Op::Revoke.name(),
        Op::Reap.name(),
        names::NETWORK_PLUGIN,
    ]
    .into_iter()
    .map(move |name| Check::skip(name, why))
}

/// Where the kubeconfig comes from, as kubectl would look: --kubeconfig, KUBECONFIG (one
/// or more files), ~/.kube/config; `None`: none of those, so the service account of the pod
/// jit runs in.
fn kubeconfig_source(global: &GlobalArgs) -> Option<String> {
    if let Some(path) = &global.kubeconfig {
        return Some(path.display().to_string());
    }
    if let Some(paths) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        return Some(paths.to_string_lossy().into_owned());
    }
    let path = Path::new(&std::env::var_os("HOME")?).join(".kube/config");
    path.exists().then(|| path.display().to_string())
}

/// What the local checks are judged on.
struct LocalFacts {
    keys: KeyFacts,
    log: LogFacts,
    reap: ReapFacts,
}

/// Reads keys.json, loads each signing key in use from its store (never prompting: the
/// keyring is bounded by keys::LOAD_TIMEOUT), verifies the log against keys.json's keys as
/// `jit log verify` does by default, and finds the last reap entry.
fn inspect(dir: &Path) -> LocalFacts {
    let setup = Setup::load(dir).map_err(|err| format!("{err:#}"));
    let keys = setup.clone().map(|setup| {
        setup.map(|setup| {
            setup
                .keys
                .into_iter()
                .filter(|record| !record.retired)
                .map(|record| {
                    let load = load_key(&record);
                    (record, load)
                })
                .collect()
        })
    });
    if !dir.join(LOG_FILE).exists() {
        return LocalFacts {
            keys,
            log: Ok(None),
            reap: Ok(None),
        };
    }
    let setup = setup.ok().flatten();
    let trusted = setup.as_ref().map(Setup::public_keys).unwrap_or_default();
    let log = verify(dir, &trusted, None)
        .map(Some)
        .map_err(|err| format!("{err:#}"));
    let origin = setup.map_or_else(default_origin, |s| s.origin);
    let reap = last_reap(dir, &origin).map_err(|err| format!("{err:#}"));
    LocalFacts { keys, log, reap }
}

fn load_key(record: &KeyRecord) -> KeyLoad {
    match keys::load(&record.store, record.role, &record.name) {
        Ok(Some(signer)) if signer.public().key == record.public => KeyLoad::Loaded,
        Ok(Some(_)) => KeyLoad::Other,
        Ok(None) => KeyLoad::Missing,
        Err(err) => KeyLoad::Error(format!("{err:#}")),
    }
}

fn last_reap(dir: &Path, origin: &str) -> Result<Option<LastReap>> {
    let entries = AuditLog::open(dir, origin)?.entries()?;
    Ok(entries
        .into_iter()
        .rev()
        .find(|entry| entry.event.action == Action::Reap)
        .map(|entry| LastReap {
            ts: entry.event.ts,
            outcome: entry.event.outcome,
            object: entry
                .event
                .objects
                .first()
                .map(|o| format!("{}/{}", o.namespace, o.name)),
        }))
}
