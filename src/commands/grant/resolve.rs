//! From a checked request to a grant: the Service, when the target is one, supplies the pods
//! (its selector) and, when no `--port` was given, the ports (its targetPorts).

use anyhow::{Context, Result};
use k8s_openapi::api::core::v1::Service;

use crate::exit::JitError;
use crate::policy::{Grant, Port, PortRef, Ports, Protocol, Target};
use crate::request::{GrantRequest, TargetRequest};
use crate::selector::Selector;

/// Completes the request with what the Service says (its selector, and its ports when no
/// `--port` was given).
pub fn resolve(request: GrantRequest, service: Option<&Service>) -> Result<Grant> {
    let (target, target_service, service_ports) = match &request.target {
        TargetRequest::Pods(sel) => (Target::Pods(sel.clone()), None, None),
        TargetRequest::AllPods => (Target::AllPods, None, None),
        TargetRequest::Service(name) => {
            let service = service.ok_or_else(|| {
                JitError::usage(format!(
                    "--to-service: service {name:?} not found in namespace {:?}",
                    request.namespace
                ))
                .with_hint(format!(
                    "`kubectl get services -n {}` lists them",
                    request.namespace
                ))
            })?;
            let (selector, ports) = service_target(name, service)?;
            (Target::Pods(selector), Some(name.clone()), Some(ports))
        }
    };
    let ports = match (request.ports, service_ports) {
        (Some(ports), _) => ports,
        (None, Some(ports)) => ports,
        (None, None) => unreachable!("request validation requires ports unless --to-service"),
    };
    Ok(Grant {
        namespace: request.namespace,
        target,
        target_service,
        sources: request.sources,
        ports,
        ttl: request.ttl,
        reason: request.reason,
    })
}

/// The pods a Service sends to, and the pod ports (targetPort) it sends to: a
/// NetworkPolicy sees the pod's port, never the Service's.
fn service_target(name: &str, service: &Service) -> Result<(Selector, Ports)> {
    let spec = service.spec.clone().unwrap_or_default();
    let selector = spec
        .selector
        .filter(|s| !s.is_empty())
        .map(|labels| Selector::from_labels(&labels))
        .ok_or_else(|| {
            JitError::usage(format!(
                "--to-service: service {name:?} has no selector (its endpoints are managed by hand), so jit cannot tell which pods it reaches"
            ))
            .with_hint("name the pods with --to SELECTOR")
        })?;
    let mut ports = Vec::new();
    for sp in spec.ports.unwrap_or_default() {
        let protocol = match sp.protocol.as_deref() {
            None | Some("TCP") => Protocol::Tcp,
            Some("UDP") => Protocol::Udp,
            Some("SCTP") => Protocol::Sctp,
            Some(other) => anyhow::bail!("service {name}: unknown protocol {other}"),
        };
        let port = match sp.target_port {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(named)) => {
                PortRef::Named(named)
            }
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => {
                PortRef::Number(u16::try_from(n).context("service targetPort out of range")?)
            }
            None => PortRef::Number(u16::try_from(sp.port).context("service port out of range")?),
        };
        ports.push(Port { port, protocol });
    }
    if ports.is_empty() {
        return Err(JitError::usage(format!(
            "--port: service {name:?} declares no ports; name them with --port"
        ))
        .into());
    }
    ports.sort();
    ports.dedup();
    Ok((selector, Ports::Only(ports)))
}
