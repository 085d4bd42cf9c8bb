//! From raw `jit grant` flags to a validated request. Every problem is collected and
//! reported at once, each naming its flag, so a person fixes the command line in one go and
//! nothing is sent to the cluster until the whole request is sound.

mod peer;
mod port;

use std::time::Duration;

use crate::cli::{GrantArgs, PathArgs};
use crate::config::Config;
use crate::exit::JitError;
use crate::policy::{Port, Ports, Source};
use crate::selector::Selector;

pub use peer::{is_dns1123_label, parse_cidr, validate_namespace};
pub use port::parse as parse_port;

/// A grant id as `GrantId::generate` makes them (and label values allow): lowercase
/// letters and digits.
pub fn is_grant_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// What receives the traffic, before any Service has been looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetRequest {
    Pods(Selector),
    Service(String),
    AllPods,
}

/// A grant request whose every flag has been checked. Only `--to-service` still needs the
/// cluster (for the Service's selector and, when no `--port` is given, its ports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRequest {
    pub namespace: String,
    pub target: TargetRequest,
    pub sources: Vec<Source>,
    /// `None` only with `--to-service` and no `--port`: the Service's ports decide.
    pub ports: Option<Ports>,
    pub ttl: Duration,
    pub reason: Option<String>,
}

/// A required part of a grant that no flag gave: what a prompt on a terminal may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Target,
    Sources,
    /// Only when the target is not a Service (whose ports are the default).
    Ports,
    /// Only when the configuration has no default_ttl.
    Ttl,
    /// Only when the configuration requires a reason.
    Reason,
}

/// The longest reason accepted: it is an annotation and a log field, not an essay.
const MAX_REASON_LEN: usize = 1024;

impl GrantRequest {
    pub fn from_args(
        args: &GrantArgs,
        namespace: &str,
        config: &Config,
    ) -> Result<GrantRequest, JitError> {
        GrantRequest::from_parts(
            &args.path,
            args.ttl.as_deref(),
            args.reason.as_deref(),
            namespace,
            config,
        )
    }

    /// [`GrantRequest::from_args`] from the path, `--ttl` and `--reason` alone: what the
    /// interactive prompts fill in goes through exactly the checks the flags do.
    pub fn from_parts(
        path: &PathArgs,
        ttl_text: Option<&str>,
        reason_text: Option<&str>,
        namespace: &str,
        config: &Config,
    ) -> Result<GrantRequest, JitError> {
        let mut problems = Problems::default();
        let checked = check(
            path,
            ttl_text,
            reason_text,
            namespace,
            config,
            &mut problems,
        );
        problems.into_result()?;
        let (target, sources, ports, ttl, reason) = checked;
        Ok(GrantRequest {
            namespace: namespace.to_string(),
            target: target.expect("no problems means a target"),
            sources,
            ports,
            ttl: ttl.expect("no problems means a ttl"),
            reason,
        })
    }

    /// The required parts no flag gave, in the order a prompt asks for them; an error (the
    /// one [`GrantRequest::from_args`] gives) when a flag that was given is wrong, so nobody
    /// answers questions about a command line that fails anyway.
    pub fn missing(
        args: &GrantArgs,
        namespace: &str,
        config: &Config,
    ) -> Result<Vec<Part>, JitError> {
        let mut problems = Problems::default();
        check(
            &args.path,
            args.ttl.as_deref(),
            args.reason.as_deref(),
            namespace,
            config,
            &mut problems,
        );
        if problems.0.iter().all(|problem| problem.2.is_some()) {
            Ok(problems.0.iter().filter_map(|problem| problem.2).collect())
        } else {
            Err(problems
                .into_result()
                .expect_err("a problem that is not a missing part"))
        }
    }

    /// Only the path (`jit explain`): no time and no reason, since nothing is written. The
    /// TTL is the configured default (or maximum), so the request is a real grant's.
    pub fn for_path(
        path: &PathArgs,
        namespace: &str,
        config: &Config,
    ) -> Result<GrantRequest, JitError> {
        let mut problems = Problems::default();
        if let Err(e) = validate_namespace(namespace) {
            problems.push("-n/--namespace", e);
        }
        let target = target(path, &mut problems);
        let sources = sources(path, &mut problems);
        let ports = ports(path, &mut problems);
        problems.into_result()?;
        Ok(GrantRequest {
            namespace: namespace.to_string(),
            target: target.expect("no problems means a target"),
            sources,
            ports,
            ttl: config.default_ttl.unwrap_or(config.max_ttl),
            reason: None,
        })
    }
}

type Checked = (
    Option<TargetRequest>,
    Vec<Source>,
    Option<Ports>,
    Option<Duration>,
    Option<String>,
);

/// Every check of a grant request, each problem recorded with its flag.
fn check(
    path: &PathArgs,
    ttl_text: Option<&str>,
    reason_text: Option<&str>,
    namespace: &str,
    config: &Config,
    problems: &mut Problems,
) -> Checked {
    if let Err(e) = validate_namespace(namespace) {
        problems.push("-n/--namespace", e);
    }
    let target = target(path, problems);
    let sources = sources(path, problems);
    let ports = ports(path, problems);
    let ttl = ttl(ttl_text, config, problems);
    let reason = reason(reason_text, config, problems);
    (target, sources, ports, ttl, reason)
}

/// Problems found so far, each with the flag it is about (and the part, when the problem
/// is that nothing gave it).
#[derive(Default)]
struct Problems(Vec<(String, String, Option<Part>)>);

impl Problems {
    fn push(&mut self, flag: &str, message: impl Into<String>) {
        self.0.push((flag.to_string(), message.into(), None));
    }

    fn missing(&mut self, part: Part, flag: &str, message: impl Into<String>) {
        self.0.push((flag.to_string(), message.into(), Some(part)));
    }

    fn into_result(self) -> Result<(), JitError> {
        match self.0.as_slice() {
            [] => Ok(()),
            [(flag, message, _)] => Err(JitError::usage(format!("{flag}: {message}"))
                .with_hint("nothing was sent to the cluster; see `jit grant --help`")),
            many => {
                let lines: Vec<String> = many
                    .iter()
                    .map(|(flag, message, _)| format!("  {flag}: {message}"))
                    .collect();
                Err(JitError::usage(format!(
                    "{} problems with this grant:\n{}",
                    many.len(),
                    lines.join("\n")
                ))
                .with_hint("nothing was sent to the cluster; see `jit grant --help`"))
            }
        }
    }
}

fn selector(flag: &str, text: &str, problems: &mut Problems) -> Option<Selector> {
    match parse_selector(text) {
        Ok(sel) => Some(sel),
        Err(e) => {
            problems.push(flag, e);
            None
        }
    }
}

/// A `--to` or `--from` selector: kubectl syntax, and never empty (an empty one selects
/// every pod, which has flags of its own).
pub fn parse_selector(text: &str) -> Result<Selector, String> {
    match text.parse::<Selector>() {
        Ok(sel) if sel.is_empty() => Err(
            "an empty selector selects every pod; name the pods (e.g. app=db), or say so \
             explicitly with --to-all-pods or --from-namespace NS"
                .to_string(),
        ),
        Ok(sel) => Ok(sel),
        Err(e) => Err(e.to_string()),
    }
}

fn target(args: &PathArgs, problems: &mut Problems) -> Option<TargetRequest> {
    let given = [
        args.to.is_some(),
        args.to_service.is_some(),
        args.to_all_pods,
    ]
    .iter()
    .filter(|given| **given)
    .count();
    if given == 0 {
        problems.missing(
            Part::Target,
            "--to",
            "missing: say which pods receive the traffic with --to SELECTOR or --to-service NAME",
        );
        return None;
    }
    if given > 1 {
        problems.push(
            "--to",
            "give exactly one of --to, --to-service and --to-all-pods",
        );
        return None;
    }
    if let Some(text) = &args.to {
        return selector("--to", text, problems).map(TargetRequest::Pods);
    }
    if let Some(name) = &args.to_service {
        if !is_dns1123_label(name) {
            problems.push(
                "--to-service",
                format!("{name:?} is not a valid Service name"),
            );
            return None;
        }
        return Some(TargetRequest::Service(name.clone()));
    }
    Some(TargetRequest::AllPods)
}

fn sources(args: &PathArgs, problems: &mut Problems) -> Vec<Source> {
    let mut sources = Vec::new();
    for text in &args.from {
        sources.extend(selector("--from", text, problems).map(Source::Pods));
    }
    for text in &args.from_namespace {
        match peer::parse_namespace(text) {
            Ok(source) => sources.push(source),
            Err(e) => problems.push("--from-namespace", e),
        }
    }
    for text in &args.from_cidr {
        match peer::parse_cidr(text) {
            Ok(source) => sources.push(source),
            Err(e) => problems.push("--from-cidr", e),
        }
    }
    let given = args.from.len() + args.from_namespace.len() + args.from_cidr.len();
    if given == 0 {
        problems.missing(
            Part::Sources,
            "--from",
            "missing: say who may connect with --from SELECTOR, --from-namespace NS[:SELECTOR] \
             or --from-cidr CIDR",
        );
    }
    sources.sort();
    sources.dedup();
    sources
}

fn ports(args: &PathArgs, problems: &mut Problems) -> Option<Ports> {
    if args.all_ports {
        if !args.port.is_empty() {
            problems.push("--all-ports", "give either --port or --all-ports, not both");
        }
        return Some(Ports::All);
    }
    let mut ports: Vec<Port> = Vec::new();
    for text in &args.port {
        match port::parse(text) {
            Ok(port) => ports.push(port),
            Err(e) => problems.push("--port", e),
        }
    }
    if args.port.is_empty() {
        if args.to_service.is_none() {
            problems.missing(
                Part::Ports,
                "--port",
                "missing: name at least one port (e.g. --port 5432), or open every port \
                 explicitly with --all-ports",
            );
        }
        return None;
    }
    ports.sort();
    ports.dedup();
    Some(Ports::Only(ports))
}

fn ttl(text: Option<&str>, config: &Config, problems: &mut Problems) -> Option<Duration> {
    let Some(text) = text else {
        if config.default_ttl.is_none() {
            problems.missing(
                Part::Ttl,
                "--ttl",
                format!(
                    "missing: say how long the path stays open, e.g. --ttl 30m (at most {})",
                    humantime::format_duration(config.max_ttl)
                ),
            );
        }
        return config.default_ttl;
    };
    match parse_ttl(text, config) {
        Ok(ttl) => Some(ttl),
        Err(e) => {
            problems.push("--ttl", e);
            None
        }
    }
}

/// A `--ttl` value: a humantime duration of at least 1s and at most the configured maximum.
pub fn parse_ttl(text: &str, config: &Config) -> Result<Duration, String> {
    let ttl = match humantime::parse_duration(text.trim()) {
        Ok(ttl) => ttl,
        Err(_) if text.trim_start().starts_with('-') => {
            return Err(format!("{text:?}: a grant lasts a positive time, e.g. 30m"));
        }
        Err(e) => {
            return Err(format!(
                "{text:?} is not a duration like 90s, 30m or 2h ({e})"
            ));
        }
    };
    if ttl < Duration::from_secs(1) {
        return Err(format!("{text:?}: a grant lasts at least 1s"));
    }
    if ttl > config.max_ttl {
        let from = match &config.file {
            Some(file) => format!("max_ttl in {}", file.display()),
            None => "the default; max_ttl in the configuration file changes it".to_string(),
        };
        return Err(format!(
            "{text} is longer than the maximum of {} ({from})",
            humantime::format_duration(config.max_ttl)
        ));
    }
    Ok(ttl)
}

fn reason(text: Option<&str>, config: &Config, problems: &mut Problems) -> Option<String> {
    match parse_reason(text, config) {
        Ok(reason) => reason,
        Err(e) => {
            // Absent (or blank) is a missing part; anything else is a wrong value.
            if text.is_none_or(|t| t.trim().is_empty()) {
                problems.missing(Part::Reason, "--reason", e);
            } else {
                problems.push("--reason", e);
            }
            // Keep going: the other flags still get checked.
            None
        }
    }
}

/// A `--reason` value: one line, not too long, present and matching the pattern when the
/// configuration says so.
pub fn parse_reason(text: Option<&str>, config: &Config) -> Result<Option<String>, String> {
    let Some(reason) = text.map(str::trim).filter(|r| !r.is_empty()) else {
        return if config.reason_required {
            Err("missing: say why the access is needed, e.g. --reason \"INC-1234: check replication lag\"".into())
        } else {
            Ok(None)
        };
    };
    if reason.chars().any(char::is_control) {
        return Err("must be one line of text without control characters".into());
    }
    if reason.len() > MAX_REASON_LEN {
        return Err(format!(
            "is {} bytes long; at most {MAX_REASON_LEN}",
            reason.len()
        ));
    }
    if let Some(pattern) = &config.reason_pattern
        && !pattern.is_match(reason)
    {
        return Err(format!(
            "{reason:?} does not match the required pattern {} (reason.pattern in the configuration)",
            pattern.as_str()
        ));
    }
    Ok(Some(reason.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn request(flags: &[&str], config: &Config) -> Result<GrantRequest, JitError> {
        let argv = ["jit", "grant"].iter().chain(flags).copied();
        let Command::Grant(args) = Cli::parse_from(argv).command else {
            unreachable!("parsed a grant")
        };
        GrantRequest::from_args(&args, "team-a", config)
    }

    const GOOD: [&str; 8] = [
        "--to",
        "app=db",
        "--from",
        "app=debug",
        "--port",
        "5432",
        "--ttl",
        "30m",
    ];

    fn missing(flags: &[&str], config: &Config) -> Result<Vec<Part>, JitError> {
        let argv = ["jit", "grant"].iter().chain(flags).copied();
        let Command::Grant(args) = Cli::parse_from(argv).command else {
            unreachable!("parsed a grant")
        };
        GrantRequest::missing(&args, "team-a", config)
    }

    #[test]
    fn missing_parts_are_what_a_prompt_asks_for() {
        let all = missing(&[], &Config::default()).unwrap();
        assert_eq!(
            all,
            [
                Part::Target,
                Part::Sources,
                Part::Ports,
                Part::Ttl,
                Part::Reason
            ]
        );
        let relaxed = Config {
            reason_required: false,
            default_ttl: Some(Duration::from_secs(600)),
            ..Config::default()
        };
        assert_eq!(
            missing(&["--to-service", "db"], &relaxed).unwrap(),
            [Part::Sources]
        );
        let mut flags = GOOD.to_vec();
        flags.extend(["--reason", "INC-1"]);
        assert_eq!(missing(&flags, &Config::default()).unwrap(), []);
    }

    #[test]
    fn a_wrong_flag_is_an_error_before_any_prompt() {
        let err = missing(&["--port", "99999"], &Config::default())
            .unwrap_err()
            .to_string();
        // The whole report, as without a terminal: the wrong value and what is missing.
        assert!(err.contains("--port: port 99999 is out of range"), "{err}");
        assert!(err.contains("--to: missing"), "{err}");
    }

    #[test]
    fn the_issue_example() {
        let mut flags = GOOD.to_vec();
        flags.extend(["--reason", "INC-1234"]);
        let req = request(&flags, &Config::default()).unwrap();
        assert_eq!(req.ttl, Duration::from_secs(1800));
        assert_eq!(req.reason.as_deref(), Some("INC-1234"));
        assert_eq!(req.sources.len(), 1);
    }

    #[test]
    fn every_missing_flag_is_named_at_once() {
        let err = request(&[], &Config::default()).unwrap_err().to_string();
        for flag in ["--to", "--from", "--port", "--ttl", "--reason"] {
            assert!(
                err.contains(&format!("  {flag}: missing")),
                "{flag} in {err}"
            );
        }
        assert!(err.starts_with("5 problems"), "{err}");
    }

    #[test]
    fn config_relaxes_reason_and_supplies_ttl() {
        let config = Config {
            reason_required: false,
            default_ttl: Some(Duration::from_secs(600)),
            ..Config::default()
        };
        let req = request(&GOOD[..6], &config).unwrap();
        assert_eq!(req.ttl, Duration::from_secs(600));
        assert_eq!(req.reason, None);
    }

    #[test]
    fn reason_pattern_is_enforced() {
        let config = Config {
            reason_pattern: Some(regex::Regex::new("^INC-[0-9]+").unwrap()),
            ..Config::default()
        };
        let mut flags = GOOD.to_vec();
        flags.extend(["--reason", "because"]);
        let err = request(&flags, &config).unwrap_err().to_string();
        assert!(err.contains("^INC-[0-9]+"), "{err}");
    }

    #[test]
    fn service_target_may_leave_ports_to_the_service() {
        let req = request(
            &[
                "--to-service",
                "db",
                "--from",
                "app=x",
                "--ttl",
                "1m",
                "--reason",
                "r",
            ],
            &Config::default(),
        )
        .unwrap();
        assert_eq!(req.target, TargetRequest::Service("db".into()));
        assert_eq!(req.ports, None);
    }

    #[test]
    fn over_the_maximum_names_the_maximum() {
        let mut flags = GOOD.to_vec();
        flags[7] = "9h";
        flags.extend(["--reason", "r"]);
        let err = request(&flags, &Config::default()).unwrap_err().to_string();
        assert!(err.contains("longer than the maximum of 8h"), "{err}");
    }
}
