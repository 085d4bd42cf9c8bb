//! `jit grant` on a terminal with required flags missing: ask for exactly those, offering
//! what the cluster has (namespaces, pods grouped by app, Services, their ports), then show
//! what would be granted and ask before writing it.
//!
//! The answers become flag values ([`Answers`]) and go through
//! [`GrantRequest::from_parts`], the checks the flags go through: a prompt cannot let
//! anything through that the command line would refuse.

use anyhow::Result;
use k8s_openapi::api::core::v1::Service;

use super::choices::{self, Group};
use super::{input, multi_select, select, term};
use crate::cli::{GlobalArgs, GrantArgs, PathArgs};
use crate::cluster::{self, Cluster};
use crate::config::Config;
use crate::exit::JitError;
use crate::request::{self, GrantRequest, Part, TargetRequest};

const NOTHING: &str = "nothing was written";

/// The flags as given, completed with the answers.
pub struct Answers {
    pub namespace: String,
    pub path: PathArgs,
    pub ttl: Option<String>,
    pub reason: Option<String>,
}

impl Answers {
    /// The request, checked exactly like one from flags.
    pub fn request(&self, config: &Config) -> Result<GrantRequest, JitError> {
        GrantRequest::from_parts(
            &self.path,
            self.ttl.as_deref(),
            self.reason.as_deref(),
            &self.namespace,
            config,
        )
    }
}

/// Asks for each of `parts` (what [`GrantRequest::missing`] found), and for the namespace
/// when the target is asked for and `-n` was not given.
pub async fn ask(
    cluster: &Cluster,
    global: &GlobalArgs,
    args: &GrantArgs,
    config: &Config,
    parts: &[Part],
) -> Result<Answers> {
    let missing: Vec<String> = parts.iter().map(|part| flag(*part).to_string()).collect();
    term().write_line(&format!(
        "jit grant: not given: {}; choose below (esc cancels)",
        missing.join(", ")
    ))?;

    let mut namespace = cluster.namespace(global);
    if global.namespace.is_none() && parts.contains(&Part::Target) {
        namespace = ask_namespace(cluster, &namespace).await?;
    }
    let mut answers = Answers {
        namespace: namespace.clone(),
        path: copy(&args.path),
        ttl: args.ttl.clone(),
        reason: args.reason.clone(),
    };
    let wants_lists = parts
        .iter()
        .any(|part| matches!(part, Part::Target | Part::Sources | Part::Ports));
    let (pods, services) = if wants_lists {
        let (pods, services) = tokio::join!(cluster.pods(&namespace), cluster.services(&namespace));
        (or_nothing(pods), or_nothing(services))
    } else {
        (Vec::new(), Vec::new())
    };
    let groups = choices::pod_groups(&pods);

    let target = if parts.contains(&Part::Target) {
        let target = ask_target(&namespace, &groups, &services)?;
        match &target {
            TargetRequest::Pods(selector) => answers.path.to = Some(selector.to_string()),
            TargetRequest::Service(name) => answers.path.to_service = Some(name.clone()),
            TargetRequest::AllPods => answers.path.to_all_pods = true,
        }
        Some(target)
    } else {
        given_target(&answers.path)
    };
    if parts.contains(&Part::Sources) {
        ask_sources(cluster, &namespace, &groups, &mut answers.path).await?;
    }
    if parts.contains(&Part::Ports) {
        let offers = match &target {
            Some(target) => choices::port_offers(target, &pods, &services),
            None => Vec::new(),
        };
        let service = matches!(target, Some(TargetRequest::Service(_)));
        answers.path.port = ask_ports(&offers, service)?;
    }
    if parts.contains(&Part::Ttl) {
        answers.ttl = Some(ask_ttl(config)?);
    }
    if parts.contains(&Part::Reason) {
        answers.reason = Some(ask_reason(config)?);
    }
    Ok(answers)
}

/// Shows `summary` and asks whether to write it; the YAML on request. Default: no.
pub fn confirm(summary: &str, yaml: &str) -> Result<bool> {
    let term = term();
    term.write_line("")?;
    term.write_str(summary)?;
    let items = [
        "grant".to_string(),
        "show the YAML".to_string(),
        "cancel".to_string(),
    ];
    loop {
        match select("grant?", &items, 2, NOTHING)? {
            0 => return Ok(true),
            1 => term.write_str(yaml)?,
            _ => return Ok(false),
        }
    }
}

/// The flag a part stands for, as `--help` names it.
fn flag(part: Part) -> &'static str {
    match part {
        Part::Target => "--to",
        Part::Sources => "--from",
        Part::Ports => "--port",
        Part::Ttl => "--ttl",
        Part::Reason => "--reason",
    }
}

/// A list the person may not read: offer what can be typed instead, and say why.
fn or_nothing<T>(listed: Result<Vec<T>>) -> Vec<T> {
    listed.unwrap_or_else(|err| {
        let _ = term().write_line(&format!("  (could not list: {err:#})"));
        Vec::new()
    })
}

async fn ask_namespace(cluster: &Cluster, current: &str) -> Result<String> {
    let names = match cluster.namespace_names().await {
        Ok(names) if !names.is_empty() => names,
        Ok(_) => Vec::new(),
        Err(err) if matches!(cluster::api_code(&err), Some(401 | 403)) => Vec::new(),
        Err(err) => return Err(err),
    };
    if names.is_empty() {
        return input(
            "namespace",
            Some(current),
            |text: &String| request::validate_namespace(text.trim()),
            NOTHING,
        )
        .map(|text| text.trim().to_string());
    }
    let default = names.iter().position(|ns| ns == current).unwrap_or(0);
    let picked = select("namespace", &names, default, NOTHING)?;
    Ok(names[picked].clone())
}

fn ask_target(namespace: &str, groups: &[Group], services: &[Service]) -> Result<TargetRequest> {
    let mut items: Vec<String> = groups
        .iter()
        .map(|g| format!("pods {}", g.label()))
        .collect();
    items.extend(services.iter().map(choices::service_label));
    items.push(format!("every pod in {namespace} (broad: asks again)"));
    items.push("type a label selector…".to_string());
    let picked = select("to (what receives the traffic)", &items, 0, NOTHING)?;
    let services_start = groups.len();
    let every = services_start + services.len();
    Ok(if picked < services_start {
        TargetRequest::Pods(
            request::parse_selector(&groups[picked].selector()).map_err(anyhow::Error::msg)?,
        )
    } else if picked < every {
        let name = services[picked - services_start]
            .metadata
            .name
            .clone()
            .unwrap_or_default();
        TargetRequest::Service(name)
    } else if picked == every {
        TargetRequest::AllPods
    } else {
        TargetRequest::Pods(
            request::parse_selector(&ask_selector("to")?).map_err(anyhow::Error::msg)?,
        )
    })
}

fn ask_selector(prompt: &str) -> Result<String> {
    input(
        &format!("{prompt} (label selector, e.g. app=db)"),
        None,
        |text: &String| request::parse_selector(text).map(drop),
        NOTHING,
    )
}

/// Fills `--from`, `--from-namespace` and `--from-cidr` from one multi-select.
async fn ask_sources(
    cluster: &Cluster,
    namespace: &str,
    groups: &[Group],
    path: &mut PathArgs,
) -> Result<()> {
    let mut items: Vec<String> = groups
        .iter()
        .map(|g| format!("pods {}", g.label()))
        .collect();
    let elsewhere = items.len();
    items.push("pods in another namespace…".to_string());
    items.push("an address block (CIDR)…".to_string());
    items.push("type a label selector…".to_string());
    let checked = vec![false; items.len()];
    let picked = multi_select("from (who may connect)", &items, &checked, NOTHING)?;
    for index in picked {
        if index < elsewhere {
            path.from.push(groups[index].selector());
        } else if index == elsewhere {
            path.from_namespace
                .push(ask_other_namespace(cluster, namespace).await?);
        } else if index == elsewhere + 1 {
            path.from_cidr.push(input(
                "from CIDR (e.g. 10.0.0.0/8 or 10.0.0.0/8,except=10.9.0.0/16)",
                None,
                |text: &String| request::parse_cidr(text).map(drop),
                NOTHING,
            )?);
        } else {
            path.from.push(ask_selector("from")?);
        }
    }
    Ok(())
}

/// `NS` or `NS:SELECTOR`, as `--from-namespace` takes it.
async fn ask_other_namespace(cluster: &Cluster, namespace: &str) -> Result<String> {
    let names: Vec<String> = match cluster.namespace_names().await {
        Ok(names) => names.into_iter().filter(|ns| ns != namespace).collect(),
        Err(err) if matches!(cluster::api_code(&err), Some(401 | 403)) => Vec::new(),
        Err(err) => return Err(err),
    };
    let other = if names.is_empty() {
        input(
            "from namespace",
            None,
            |text: &String| request::validate_namespace(text.trim()),
            NOTHING,
        )?
        .trim()
        .to_string()
    } else {
        names[select("from namespace", &names, 0, NOTHING)?].clone()
    };
    let groups = choices::pod_groups(&or_nothing(cluster.pods(&other).await));
    let mut items: Vec<String> = groups
        .iter()
        .map(|g| format!("pods {}", g.label()))
        .collect();
    items.push(format!("every pod in {other}"));
    items.push("type a label selector…".to_string());
    let picked = select(&format!("from which pods in {other}"), &items, 0, NOTHING)?;
    Ok(if picked < groups.len() {
        format!("{other}:{}", groups[picked].selector())
    } else if picked == groups.len() {
        other
    } else {
        format!("{other}:{}", ask_selector("from")?)
    })
}

/// `--port` values: picked from `offers` (all preselected for a Service, whose ports are
/// the natural choice), or typed.
fn ask_ports(offers: &[choices::PortOffer], service: bool) -> Result<Vec<String>> {
    let typed = || {
        input(
            "port (e.g. 5432, 53/UDP, 8000-8100, http; several: 80,443)",
            None,
            |text: &String| {
                text.split(',')
                    .try_for_each(|spec| request::parse_port(spec.trim()).map(drop))
            },
            NOTHING,
        )
        .map(|text| {
            text.split(',')
                .map(|spec| spec.trim().to_string())
                .collect()
        })
    };
    if offers.is_empty() {
        return typed();
    }
    let mut items: Vec<String> = offers.iter().map(|o| o.label.clone()).collect();
    items.push("another port (type it)…".to_string());
    let mut checked = vec![service; offers.len()];
    checked.push(false);
    let picked = multi_select("ports (on the target pods)", &items, &checked, NOTHING)?;
    let mut ports = Vec::new();
    for index in picked {
        match offers.get(index) {
            Some(offer) => ports.push(offer.spec.clone()),
            None => ports.extend(typed()?),
        }
    }
    Ok(ports)
}

fn ask_ttl(config: &Config) -> Result<String> {
    let (ttls, default) = choices::ttl_choices(config.max_ttl);
    let mut items: Vec<String> = ttls
        .iter()
        .map(|ttl| humantime::format_duration(*ttl).to_string())
        .collect();
    items.push("another duration…".to_string());
    let picked = select("for how long", &items, default, NOTHING)?;
    if picked < ttls.len() {
        return Ok(items[picked].clone());
    }
    input(
        &format!(
            "for how long (e.g. 45m; at most {})",
            humantime::format_duration(config.max_ttl)
        ),
        None,
        |text: &String| request::parse_ttl(text, config).map(drop),
        NOTHING,
    )
}

fn ask_reason(config: &Config) -> Result<String> {
    let prompt = match &config.reason_pattern {
        Some(pattern) => format!("reason (matching {})", pattern.as_str()),
        None => "reason (e.g. INC-1234: check replication lag)".to_string(),
    };
    input(
        &prompt,
        None,
        |text: &String| request::parse_reason(Some(text), config).map(drop),
        NOTHING,
    )
}

/// The target the flags gave, when they gave one that parses (for the port offers).
fn given_target(path: &PathArgs) -> Option<TargetRequest> {
    if let Some(text) = &path.to {
        return request::parse_selector(text).ok().map(TargetRequest::Pods);
    }
    if let Some(name) = &path.to_service {
        return Some(TargetRequest::Service(name.clone()));
    }
    path.to_all_pods.then_some(TargetRequest::AllPods)
}

fn copy(path: &PathArgs) -> PathArgs {
    PathArgs {
        to: path.to.clone(),
        to_service: path.to_service.clone(),
        to_all_pods: path.to_all_pods,
        from: path.from.clone(),
        from_namespace: path.from_namespace.clone(),
        from_cidr: path.from_cidr.clone(),
        port: path.port.clone(),
        all_ports: path.all_ports,
    }
}
