//! `jit baseline -n NS`: isolate every pod of a namespace for ingress with one default-deny
//! policy, so that grants there open paths instead of cutting traffic. It changes what the
//! namespace accepts, so it shows the policy and the pods it isolates first, and applies it
//! only once confirmed. Recorded in the audit log.

use std::io::Write;

use anyhow::Result;
use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::audit::Action;
use crate::cli::{BaselineArgs, GlobalArgs, Output};
use crate::cluster::Cluster;
use crate::config::Config;
use crate::exit::{Exit, JitError};
use crate::interact;
use crate::output;
use crate::policy;
use crate::reach;
use crate::record::{self, Recorder, Signing};
use crate::request;

pub async fn run(
    global: &GlobalArgs,
    args: &BaselineArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let cluster = Cluster::connect(global).await?;
    let namespace = cluster.namespace(global);
    request::validate_namespace(&namespace)
        .map_err(|e| JitError::usage(format!("-n/--namespace: {e}")))?;
    let (identity, object, pods, policies) = tokio::join!(
        cluster.whoami(),
        cluster.namespace_object(&namespace),
        cluster.pods(&namespace),
        cluster.all_policies(&namespace),
    );
    if let Ok(None) = object {
        return Err(
            JitError::usage(format!("-n/--namespace: namespace {namespace:?} not found"))
                .with_hint("`kubectl get namespaces` lists them")
                .into(),
        );
    }
    let (pods, policies) = (pods?, policies?);
    if let Some(existing) = policies
        .iter()
        .find(|np| np.metadata.name.as_deref() == Some(policy::BASELINE_NAME))
    {
        writeln!(
            out,
            "namespace {namespace} already has its baseline: networkpolicy {namespace}/{}",
            existing.metadata.name.as_deref().unwrap_or_default()
        )?;
        return Ok(Exit::Success);
    }

    let baseline = policy::baseline_policy(&namespace);
    let newly_isolated = not_isolated(&namespace, &pods, &policies)?;
    writeln!(
        out,
        "jit baseline: a default-deny ingress policy for namespace {namespace}"
    )?;
    output::objects(out, Output::Yaml, std::slice::from_ref(&baseline))?;
    let effect = if newly_isolated.is_empty() {
        "every pod in the namespace is isolated for ingress already: this changes no traffic today, and isolates pods created later".to_string()
    } else {
        format!(
            "isolates {} pod(s) that accept traffic from everywhere today: {}; afterwards they accept only what NetworkPolicies allow (grants included)",
            newly_isolated.len(),
            newly_isolated.join(", ")
        )
    };
    writeln!(out, "effect: {effect}")?;
    if args.dry_run {
        writeln!(out, "dry run: nothing was applied")?;
        return Ok(Exit::Success);
    }
    out.flush()?;
    let question = format!("apply the baseline to namespace {namespace}?");
    if !interact::confirm(&question, std::slice::from_ref(&effect), args.yes)? {
        return Err(JitError::usage("not confirmed; nothing was applied").into());
    }

    let mut recorder = Recorder::start(config, Signing::Person);
    let applied = cluster.apply(&baseline, false).await;
    let identity = identity.ok();
    let mut event = record::event(
        &cluster,
        identity.as_ref(),
        Action::Note,
        match &applied {
            Ok(_) => "done",
            Err(err) => record::outcome_of(err),
        },
    );
    event.detail = Some(match &applied {
        Ok(_) => format!("baseline: default-deny ingress in namespace {namespace}; {effect}"),
        Err(err) => format!("baseline: namespace {namespace}: {err:#}"),
    });
    if let Ok(np) = &applied {
        event.objects = vec![record::object(np)];
    }
    let logged = recorder.record(vec![event]).await;
    let applied: NetworkPolicy = match applied {
        Ok(np) => np,
        Err(err) => return Err(record::failed(err, logged)),
    };
    writeln!(
        out,
        "applied networkpolicy {namespace}/{}",
        applied.metadata.name.as_deref().unwrap_or_default()
    )?;
    logged?;
    Ok(Exit::Success)
}

/// The pods of `namespace` no policy isolates for ingress today, by name.
fn not_isolated(
    namespace: &str,
    pods: &[k8s_openapi::api::core::v1::Pod],
    policies: &[NetworkPolicy],
) -> Result<Vec<String>> {
    let model: Vec<reach::Pod> = pods
        .iter()
        .filter(|pod| reach::is_policed(pod))
        .map(reach::Pod::from_api)
        .collect::<Result<_, _>>()?;
    let cluster = reach::Cluster::new([reach::Namespace::new(namespace)], model, policies)?;
    Ok(cluster
        .pods()
        .filter(|pod| cluster.isolated_ingress(pod).is_empty())
        .map(|pod| pod.name.clone())
        .collect())
}
