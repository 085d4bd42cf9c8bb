//! The command line, as clap sees it: raw values only. Turning them into a validated grant
//! (and naming the flag when one is wrong) happens in `request`, so that every problem can
//! be reported at once and interactive prompting can fill in what is missing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Just-in-time network access on Kubernetes.
///
/// jit opens exactly one network path (pods, namespaces or CIDRs to a set of pods and
/// ports) for a bounded time, as a NetworkPolicy that carries its own expiry, created with
/// your own kubeconfig identity.
#[derive(Debug, Parser)]
#[command(name = "jit", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments. Installed as `kubectl-jit` (the kubectl plugin
    /// convention, which krew follows), `kubectl jit …` runs it: help and errors then say
    /// `kubectl jit`, as the person typed.
    pub fn parse_args() -> Cli {
        let argv0 = std::env::args_os().next().unwrap_or_default();
        let mut command = <Cli as clap::CommandFactory>::command();
        if is_kubectl_plugin(&argv0) {
            command = command.bin_name("kubectl jit");
        }
        let matches = command.get_matches();
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
    }
}

/// Whether the binary was started as `kubectl-jit` (kubectl runs plugins by that name).
pub fn is_kubectl_plugin(argv0: &std::ffi::OsStr) -> bool {
    std::path::Path::new(argv0)
        .file_stem()
        .is_some_and(|stem| stem == "kubectl-jit")
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or
    /// ~/.kube/config; in a pod, the service account).
    #[arg(long, global = true, value_name = "PATH", env = "JIT_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use (default: the current context). Only `jit reap` takes
    /// several (repeat the flag).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Vec<String>,

    /// The namespace to work in (default: the context's namespace, else "default").
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,

    /// Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml).
    #[arg(long, global = true, value_name = "PATH", env = "JIT_CONFIG")]
    pub config: Option<PathBuf>,

    /// No spinners or progress bars (they are only ever drawn on a terminal anyway).
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open one network path for a bounded time.
    ///
    /// jit asks the API server who you are and whether you may write NetworkPolicies, then
    /// applies one policy that admits exactly the sources to the target on the ports, and
    /// carries its expiry (by the API server's clock) in its labels.
    #[command(after_help = GRANT_EXAMPLES)]
    Grant(GrantArgs),

    /// List active grants (and overdue ones the reaper has not removed yet).
    List(ListArgs),

    /// Revoke grants now: by id, or in bulk with --all, --user or --selector.
    ///
    /// Revoking removes the policies at once. Connections already established may outlive
    /// them, depending on the network plugin.
    #[command(after_help = REVOKE_EXAMPLES)]
    Revoke(RevokeArgs),

    /// Give a grant more time: a new expiry from now (by the API server's clock).
    ///
    /// The whole life of a grant, extensions included, is capped by max_lifetime (default
    /// 24h) from its creation.
    Extend(ExtendArgs),

    /// Remove expired grants: what cron, a systemd timer or a CronJob runs.
    ///
    /// A grant is expired when its expiry has passed, when its expiry is missing or
    /// unreadable, or when it has lived longer than max_lifetime (fail closed). Only objects
    /// with jit's marker are ever touched. Never prompts.
    #[command(after_help = REAP_EXAMPLES)]
    Reap(ReapArgs),

    /// Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line.
    #[command(subcommand)]
    Reaper(ReaperCommand),

    /// The signed audit log: set up signing keys, show, verify, export keys, anchor.
    ///
    /// Every grant, extension, revocation and reaped policy is appended to a local,
    /// hash-chained log (default: $XDG_STATE_HOME/jit; JIT_AUDIT_DIR or audit.dir in the
    /// configuration move it), signed with a key set up by `jit log init`.
    #[command(subcommand, after_help = LOG_EXAMPLES)]
    Log(LogCommand),

    /// Show who reaches which target pods on which ports, and which policy decides each,
    /// before and after a grant of this path. Changes nothing.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),

    /// Isolate every pod of a namespace for ingress (a default-deny policy), so that grants
    /// open paths instead of cutting traffic.
    ///
    /// Shows the policy and the pods it isolates first, and applies it only once confirmed
    /// (--yes when not on a terminal). The policy carries no expiry: jit never reaps it.
    Baseline(BaselineArgs),

    /// Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`.
    #[command(subcommand)]
    Rbac(RbacCommand),

    /// Print a ValidatingAdmissionPolicy and its binding that make the API server enforce
    /// jit's rules on jit's NetworkPolicies.
    ///
    /// On create, the requester annotation must be the authenticated user and the expiry
    /// within the maximum TTL of the creation time; on update, the requester, grant id and
    /// marker cannot change and the expiry can never pass the maximum lifetime counted from
    /// creation. A policy that breaks a rule is refused (422) with the rule's message.
    /// Deletes are never checked, so revoking and reaping always work. Needs Kubernetes
    /// 1.30 or later.
    ///
    /// Example: jit guard | kubectl apply -f -
    Guard(GuardArgs),

    /// Tell why something does not work: the kubeconfig and API server, who you are, what
    /// you may do, the network plugin, the signing key and audit log, and the reaper.
    ///
    /// One line per check: ok, warn, FAIL or skip, with a `fix:` line under each problem.
    /// The permissions are those grant, revoke and reap need in -n NS (default: the
    /// context's namespace). Exits 0 when no check failed (warnings allowed), 1 when one
    /// did. It changes nothing and writes no audit entry.
    ///
    /// Example: jit doctor -n team-a
    Doctor(DoctorArgs),

    /// The configuration in force.
    #[command(subcommand)]
    Config(ConfigCommand),

    /// Print shell completions (bash, zsh, fish, powershell, elvish) to stdout.
    ///
    /// Example: jit completions bash > /etc/bash_completion.d/jit
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

const GRANT_EXAMPLES: &str = "\
Examples:
  jit grant -n team-a --to app=db --from app=debug --port 5432 --ttl 30m \\
    --reason \"INC-1234: check replication lag\"
  jit grant -n team-a --to-service db --from-namespace ops:app=toolbox --ttl 1h --reason INC-9
  jit grant -n team-a --to app=api --from-cidr 10.20.0.0/16,except=10.20.9.0/24 \\
    --port 8000-8100/TCP --port 53/UDP --ttl 2h --reason CHG-77
  jit grant … --dry-run -o yaml     # the exact policy, no cluster needed";

/// The path a grant opens (or `jit explain` looks at): target, sources and ports.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache",
    /// "env in (a,b)", "!legacy").
    #[arg(long, value_name = "SELECTOR", help_heading = "Target (exactly one)")]
    pub to: Option<String>,

    /// Pods behind this Service receive the traffic; its ports become the default ports.
    #[arg(long, value_name = "NAME", help_heading = "Target (exactly one)")]
    pub to_service: Option<String>,

    /// Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks
    /// for confirmation.
    #[arg(long, help_heading = "Target (exactly one)")]
    pub to_all_pods: bool,

    /// Pods in the target namespace that may connect, as a label selector. Repeatable.
    #[arg(
        long,
        value_name = "SELECTOR",
        help_heading = "Sources (at least one, OR-ed)"
    )]
    pub from: Vec<String>,

    /// Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR
    /// (e.g. "ops:app=toolbox"). Repeatable.
    #[arg(
        long,
        value_name = "NS[:SELECTOR]",
        help_heading = "Sources (at least one, OR-ed)"
    )]
    pub from_namespace: Vec<String>,

    /// Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g.
    /// "10.0.0.0/8,except=10.9.0.0/16"). Repeatable.
    #[arg(
        long,
        value_name = "CIDR",
        help_heading = "Sources (at least one, OR-ed)"
    )]
    pub from_cidr: Vec<String>,

    /// Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http").
    /// TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated.
    #[arg(
        long,
        short = 'p',
        value_name = "PORT",
        value_delimiter = ',',
        allow_hyphen_values = true,
        help_heading = "Ports (at least one)"
    )]
    pub port: Vec<String>,

    /// Open every port and protocol (no ports list in the policy). Broad: asks for
    /// confirmation.
    #[arg(long, help_heading = "Ports (at least one)")]
    pub all_ports: bool,
}

/// `jit grant`: who may reach what, on which ports, for how long, and why.
#[derive(Debug, Args)]
pub struct GrantArgs {
    #[command(flatten)]
    pub path: PathArgs,

    /// How long the path stays open: 90s, 30m, 2h (humantime). At most the configured
    /// maximum (default 8h).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub ttl: Option<String>,

    /// Why the access is needed, e.g. a ticket id (recorded on the policy).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Show what would be applied without applying it. "client" (the default) needs no
    /// cluster at all; "server" asks the API server to validate and authorize it.
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "client"
    )]
    pub dry_run: Option<DryRun>,

    /// Output format: a summary (default), or the applied objects as yaml or json, their
    /// names, or a wide one-line table.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<Output>,

    /// Do not ask for confirmation (required for broad grants when not on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Grant even though the target pods accept all ingress today: the grant's policy makes
    /// them accept only what policies allow, cutting their other traffic. Without it jit
    /// refuses and suggests `jit baseline`.
    #[arg(long, help_heading = "Safety")]
    pub allow_isolation: bool,

    /// Grant even when existing policies already allow the whole path.
    #[arg(long, help_heading = "Safety")]
    pub force: bool,

    /// Show which sources reach which target pods on which ports, before and after the
    /// grant, and which policy decides each; then grant as usual (or stop there with
    /// --dry-run=server).
    #[arg(long, help_heading = "Safety")]
    pub explain: bool,

    /// Stay in the foreground and revoke the grant when you press Ctrl-C, close the
    /// terminal, or the TTL ends, whichever comes first.
    #[arg(long, conflicts_with = "dry_run")]
    pub session: bool,

    /// Run this command (after `--`) with the grant open, revoke the grant when it exits,
    /// and exit with its exit code. The command sees the grant id in JIT_GRANT_ID.
    #[arg(last = true, value_name = "COMMAND", conflicts_with_all = ["dry_run", "session"])]
    pub command: Vec<String>,
}

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  jit explain -n team-a --to app=db --from app=debug --port 5432
  jit explain -n team-a --to-service db --from-namespace ops:app=toolbox";

const REVOKE_EXAMPLES: &str = "\
Examples:
  jit revoke 7f3a9c2e                       # one grant, in the current namespace
  jit revoke 7f3a9c2e k2m9x0qa -A           # wherever they are
  jit revoke --all -n team-a --yes          # every grant in team-a: one request
  jit revoke --all -A --yes                 # every grant everywhere
  jit revoke --user alice -A --yes";

const REAP_EXAMPLES: &str = "\
Examples:
  jit reap                                  # every namespace you can list
  jit reap --dry-run                        # what would go
  jit reap -o json                          # for cron mail and log shippers
  jit reap --all-contexts                   # every context in the kubeconfig
  jit reap --check --grace 5m               # monitoring: fail if the reaper is not running";

const LOG_EXAMPLES: &str = "\
Examples:
  jit log init                                    # your key, in the OS keyring
  jit log init --reaper --store file:/etc/jit/reaper.key
  jit log keys > ~/safe/jit-keys.json             # keep the public keys elsewhere
  jit log show --since 2h --action grant
  jit log verify --keys ~/safe/jit-keys.json      # exit 0 only when every entry verifies
  jit log anchor jit-system/audit-anchor          # keep the checkpoint in the cluster";

/// `jit explain`: the path, and nothing about time or reasons.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub path: PathArgs,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Show the policy and what it isolates; apply nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum RbacCommand {
    /// What people who grant need: a Role per namespace (networkpolicies create, patch, get,
    /// list, delete and deletecollection; get and list pods; get services), a ClusterRole
    /// to get namespaces, and a binding of each to each --user and --group.
    ///
    /// Each binding binds one subject and is named after it (jit-granter:user:alice), so
    /// applying the output adds people and never drops anyone an earlier run added.
    ///
    /// Example: jit rbac granter team-a team-b --group devs | kubectl apply -f -
    Granter(RbacGranterArgs),
    /// The reaper's ClusterRole and its binding: list, watch and delete networkpolicies,
    /// nothing else (the same objects `jit reaper manifest` includes).
    ///
    /// Example: jit rbac reaper --user reaper-bot | kubectl apply -f -
    Reaper(RbacReaperArgs),
}

#[derive(Debug, Args)]
pub struct RbacGranterArgs {
    /// The namespaces people may grant in (default: the -n namespace, else the kubeconfig
    /// context's, else "default").
    #[arg(value_name = "NS")]
    pub namespaces: Vec<String>,

    /// Bind the roles to this user. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub user: Vec<String>,

    /// Bind the roles to this group. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub group: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RbacReaperArgs {
    /// The reaper's ServiceAccount, as namespace/name (the one `jit reaper manifest`
    /// creates is the default).
    #[arg(long, value_name = "NS/NAME", default_value = "jit-system/jit-reaper")]
    pub service_account: String,

    /// Bind to this user instead (a reaper run from cron with its own kubeconfig).
    #[arg(long, value_name = "NAME", conflicts_with = "service_account")]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
pub struct GuardArgs {
    /// The longest expiry a grant may be created with (default: max_ttl from the
    /// configuration).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_ttl: Option<std::time::Duration>,

    /// The longest a grant may live, extensions included (default: max_lifetime from the
    /// configuration).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_lifetime: Option<std::time::Duration>,

    /// Name of the ValidatingAdmissionPolicy and its binding.
    #[arg(long, value_name = "NAME", default_value = "jit-guard")]
    pub name: String,

    /// yaml (the default: two documents) or json (one List).
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<Output>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// json: every check as one JSON object.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration and where each value came from (the file, the
    /// environment, or the default).
    Show(ConfigShowArgs),
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// json: the values and their sources as one JSON object.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List grants in every namespace you can list.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Only grants you requested (as the API server knows you).
    #[arg(long)]
    pub mine: bool,

    /// Output format: a table (default), wide, yaml, json or name.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<Output>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Grant ids (as shown by grant and list; "jit-" prefixes are accepted).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// Every grant in the namespace (with -A: everywhere).
    #[arg(long)]
    pub all: bool,

    /// Grants requested by this user.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Grants whose policies match this label selector.
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Look in every namespace you can list.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Do not ask (required for bulk revokes when not on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Output format for what was revoked: a summary (default), yaml, json, name or wide.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<Output>,
}

#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// The grant id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// How long from now the grant stays open: at most the configured maximum (default 8h),
    /// and never past max_lifetime from its creation.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub ttl: String,

    /// Why more time is needed (recorded on the policy). Required, like grant's --reason,
    /// unless the configuration relaxes it.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Look in every namespace you can list.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct ReapArgs {
    /// Show what would be removed; remove nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Remove nothing; exit 6 when a grant is overdue by more than --grace (for
    /// monitoring that the reaper runs).
    #[arg(long)]
    pub check: bool,

    /// How long a grant may stay past its expiry before --check complains.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = humantime::parse_duration)]
    pub grace: std::time::Duration,

    /// Reap every context in the kubeconfig.
    #[arg(long, conflicts_with = "context")]
    pub all_contexts: bool,

    /// Summary format: one line (default) or json.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<ReapOutput>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReapOutput {
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ReaperCommand {
    /// Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on
    /// networkpolicies only), ClusterRoleBinding and CronJob.
    Manifest {
        /// Namespace for the reaper's objects.
        #[arg(long, value_name = "NS", default_value = "jit-system")]
        reaper_namespace: String,
        /// Container image with the jit binary as its entrypoint.
        #[arg(long, value_name = "IMAGE")]
        image: Option<String>,
        /// Cron schedule.
        #[arg(long, value_name = "CRON", default_value = "* * * * *")]
        schedule: String,
        /// An existing PersistentVolumeClaim in the reaper's namespace for its audit log.
        /// Without one the log lives in an emptyDir and is lost with each pod (the run's
        /// JSON summary on stdout remains).
        #[arg(long, value_name = "PVC")]
        audit_claim: Option<String>,
    },
    /// Print a systemd service and timer that run `jit reap`.
    Systemd {
        /// Absolute path of the jit binary.
        #[arg(long, value_name = "PATH", default_value = "/usr/local/bin/jit", value_parser = absolute_path)]
        binary: String,
        /// How often to run (systemd time span).
        #[arg(long, value_name = "SPAN", default_value = "1min", value_parser = one_line)]
        interval: String,
    },
    /// Print a crontab line that runs `jit reap` every minute.
    Crontab {
        /// Absolute path of the jit binary.
        #[arg(long, value_name = "PATH", default_value = "/usr/local/bin/jit", value_parser = absolute_path)]
        binary: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Set up a signing key: create it in a key store and record its public half beside the
    /// log (keys.json).
    ///
    /// A person's key signs grants, extensions and revocations; the reaper's key (--reaper)
    /// signs only what `jit reap` records, so a stolen reaper key cannot forge a grant. The
    /// new key signs a `note` entry saying it was set up, which proves it works.
    Init(LogInitArgs),

    /// Show the log's entries, oldest first (signatures are not checked: see `verify`).
    Show(LogShowArgs),

    /// Check every entry's signature, the hash chain and the checkpoint; exit 0 only when the
    /// whole log verifies.
    ///
    /// Exit codes: 0 valid, 10 tampered, 11 truncated or rolled back, 12 torn tail (a crash
    /// mid-write), 13 unverified (unsigned entries, no trusted key, no checkpoint or log), 1
    /// could not run.
    Verify(LogVerifyArgs),

    /// Print every public key the log has been signed with (retired ones included) as JSON:
    /// the file `verify --keys` reads.
    Keys(LogKeysArgs),

    /// Store the log's checkpoint in a ConfigMap, so that a later `verify
    /// --anchor-from-cluster` proves the local log still holds everything it held then.
    ///
    /// The ConfigMap's annotation `jit.dev/audit-checkpoint` holds the checkpoint; it is
    /// created if missing and only ever moved forward (a compare-and-swap on its
    /// resourceVersion). An anchor covering more than the local log is refused: the local log
    /// was truncated or rolled back.
    Anchor(LogAnchorArgs),
}

#[derive(Debug, Args)]
pub struct LogInitArgs {
    /// Set up the reaper's key (what `jit reap` signs with) instead of yours. Needs --store:
    /// cron has no desktop keyring.
    #[arg(long)]
    pub reaper: bool,

    /// Where the secret key lives: keyring (the OS keyring; the default for a person's key,
    /// unless the configuration's audit.key_store names another),
    /// keyutils (the Linux kernel keyring, cleared by a reboot) or file:/absolute/path (a
    /// new 0600 file).
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,

    /// The key's name (default: $USER@hostname, or reaper@hostname; with --rotate, the
    /// default name with -2, -3… appended, since retired keys keep their names).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Replace the current key of this role: it is kept in keys.json as retired, so what it
    /// signed still verifies, and never signs again.
    #[arg(long)]
    pub rotate: bool,
}

#[derive(Debug, Args)]
pub struct LogShowArgs {
    /// Only entries from the last DURATION (2h, 30m) or since an RFC 3339 time
    /// (2026-11-27T15:00:00Z).
    #[arg(long, value_name = "DURATION|TIME")]
    pub since: Option<String>,

    /// Only entries of these actions. Repeatable or comma-separated.
    #[arg(
        long,
        value_name = "ACTION",
        value_delimiter = ',',
        value_parser = ["grant", "extend", "revoke", "reap", "recover", "note"]
    )]
    pub action: Vec<String>,

    /// Only entries by this user (as the API server named them).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// json: each entry's line exactly as stored (JSON Lines, signatures intact).
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

#[derive(Debug, Args)]
pub struct LogVerifyArgs {
    /// Trust these public keys (a file as `jit log keys` prints it) instead of keys.json beside
    /// the log, which whoever can rewrite the log can rewrite too.
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,

    /// A checkpoint kept elsewhere (a copy of the log's `checkpoint` file): the log must still
    /// hold everything it covers.
    #[arg(long, value_name = "FILE")]
    pub anchor: Option<PathBuf>,

    /// The checkpoint `jit log anchor NS/NAME` stored in that ConfigMap, as the anchor.
    #[arg(long, value_name = "NS/NAME", conflicts_with = "anchor")]
    pub anchor_from_cluster: Option<String>,

    /// json: the verdict, counts and every finding as one JSON object.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

#[derive(Debug, Args)]
pub struct LogKeysArgs {
    /// json (the only format, and the default): [{"name", "role", "key"}].
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

#[derive(Debug, Args)]
pub struct LogAnchorArgs {
    /// The ConfigMap that keeps the anchor, as namespace/name.
    #[arg(value_name = "NS/NAME")]
    pub config_map: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JsonOutput {
    Json,
}

/// Values written into unit files and crontabs: a newline would start a new directive.
fn one_line(value: &str) -> Result<String, String> {
    if value.is_empty() || value.chars().any(char::is_control) {
        Err("must be one non-empty line".into())
    } else {
        Ok(value.to_string())
    }
}

/// cron and systemd run with a minimal PATH: the binary must be named absolutely.
fn absolute_path(value: &str) -> Result<String, String> {
    let value = one_line(value)?;
    if value.starts_with('/') {
        Ok(value)
    } else {
        Err(format!(
            "{value:?} is not an absolute path (cron and systemd do not search PATH)"
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DryRun {
    /// Print the policy; talk to no cluster.
    Client,
    /// Send it with dryRun=All: validated and authorized by the API server, not stored.
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Yaml,
    Json,
    Name,
    Wide,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn grant(cli: Cli) -> GrantArgs {
        match cli.command {
            Command::Grant(args) => args,
            other => panic!("expected grant, got {other:?}"),
        }
    }

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dry_run_defaults_to_client_and_takes_server() {
        let cli = Cli::parse_from(["jit", "grant", "--dry-run"]);
        assert_eq!(grant(cli).dry_run, Some(DryRun::Client));
        let cli = Cli::parse_from(["jit", "grant", "--dry-run=server"]);
        assert_eq!(grant(cli).dry_run, Some(DryRun::Server));
    }

    #[test]
    fn global_flags_work_before_and_after_the_subcommand() {
        let a = Cli::parse_from(["jit", "-n", "team-a", "grant"]);
        let b = Cli::parse_from(["jit", "grant", "-n", "team-a"]);
        assert_eq!(a.global.namespace.as_deref(), Some("team-a"));
        assert_eq!(b.global.namespace.as_deref(), Some("team-a"));
    }

    #[test]
    fn the_plugin_name_is_recognised_with_any_directory_or_extension() {
        use std::ffi::OsStr;
        assert!(is_kubectl_plugin(OsStr::new("kubectl-jit")));
        assert!(is_kubectl_plugin(OsStr::new(
            "/home/a/.krew/bin/kubectl-jit"
        )));
        assert!(is_kubectl_plugin(OsStr::new("kubectl-jit.exe")));
        assert!(!is_kubectl_plugin(OsStr::new("/usr/local/bin/jit")));
        assert!(!is_kubectl_plugin(OsStr::new("kubectl-jitter")));
    }

    #[test]
    fn ports_split_on_commas() {
        let cli = Cli::parse_from(["jit", "grant", "--port", "80,443", "-p", "53/UDP"]);
        assert_eq!(grant(cli).path.port, ["80", "443", "53/UDP"]);
    }
}
