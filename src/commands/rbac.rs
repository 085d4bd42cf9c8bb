//! `jit rbac granter|reaper`: the RBAC from `rbac`, printed for a cluster admin to apply.
//! Talks to no cluster; the default namespace comes from the kubeconfig's files alone.

use std::io::Write;

use anyhow::Result;

use crate::cli::{GlobalArgs, RbacCommand, RbacGranterArgs, RbacReaperArgs};
use crate::cluster;
use crate::exit::{Exit, JitError};
use crate::rbac::{self, Who};
use crate::request;

pub fn run(global: &GlobalArgs, command: &RbacCommand, out: &mut dyn Write) -> Result<Exit> {
    let text = match command {
        RbacCommand::Granter(args) => granter(global, args)?,
        RbacCommand::Reaper(args) => reaper(args)?,
    };
    out.write_all(text.as_bytes())?;
    Ok(Exit::Success)
}

fn granter(global: &GlobalArgs, args: &RbacGranterArgs) -> Result<String> {
    let mut who: Vec<Who> = Vec::new();
    for (flag, names, make) in [
        ("--user", &args.user, Who::User as fn(String) -> Who),
        ("--group", &args.group, Who::Group),
    ] {
        for name in names {
            if name.trim().is_empty() {
                return Err(JitError::usage(format!("{flag}: a name cannot be empty")).into());
            }
            push_new(&mut who, make(name.clone()));
        }
    }
    if who.is_empty() {
        return Err(JitError::usage(
            "--user or --group: name who may grant (nobody to bind the roles to)",
        )
        .with_hint("for example --user alice@example.com --group devs (both repeatable)")
        .into());
    }
    let mut namespaces: Vec<String> = Vec::new();
    if args.namespaces.is_empty() {
        namespaces.push(cluster::local_namespace(global));
    }
    for namespace in &args.namespaces {
        push_new(&mut namespaces, namespace.clone());
    }
    for namespace in &namespaces {
        request::validate_namespace(namespace).map_err(JitError::usage)?;
    }
    Ok(rbac::granter_manifest(&namespaces, &who)?)
}

fn reaper(args: &RbacReaperArgs) -> Result<String> {
    let subject = match &args.user {
        Some(user) if user.trim().is_empty() => {
            return Err(JitError::usage("--user: a name cannot be empty").into());
        }
        Some(user) => rbac::user(user),
        None => {
            let value = &args.service_account;
            let parsed = value.split_once('/').filter(|(namespace, name)| {
                request::is_dns1123_label(namespace) && is_service_account_name(name)
            });
            let Some((namespace, name)) = parsed else {
                return Err(JitError::usage(format!(
                    "--service-account {value:?}: expected NAMESPACE/NAME"
                ))
                .with_hint("for example --service-account jit-system/jit-reaper")
                .into());
            };
            rbac::service_account(namespace, name)
        }
    };
    Ok(rbac::reaper_manifest(&subject)?)
}

/// A ServiceAccount name: a DNS subdomain.
fn is_service_account_name(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(request::is_dns1123_label)
}

fn push_new<T: PartialEq>(items: &mut Vec<T>, item: T) {
    if !items.contains(&item) {
        items.push(item);
    }
}
