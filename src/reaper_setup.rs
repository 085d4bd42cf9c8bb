//! Everything needed to run `jit reap` unattended: a Kubernetes manifest for an in-cluster
//! CronJob, a systemd service and timer, or a crontab line. Pure text generation; nothing
//! here touches a cluster or the host.
//!
//! Expiry is only a label: until the reaper runs, an expired grant still opens its path. So
//! every schedule here aims at "within about a minute", and every setting that could stop a
//! run (overlap, a hung run, a missed slot, an unwritable directory) is chosen so the next
//! run still happens.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, EmptyDirVolumeSource, EnvVar, PersistentVolumeClaimVolumeSource,
    PodSecurityContext, PodSpec, PodTemplateSpec, ResourceRequirements, SeccompProfile,
    SecurityContext, ServiceAccount, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The name of every in-cluster object, and of the container.
pub const NAME: &str = "jit-reaper";

/// The verbs the reaper's ClusterRole grants on networkpolicies: list and watch to find
/// expired grants, delete to remove them. Deliberately nothing that creates or changes a
/// policy.
pub const REAPER_VERBS: [&str; 3] = ["list", "watch", "delete"];

/// Where the image keeps the jit binary's state (its audit log) when run in a pod.
const STATE_HOME: &str = "/var/lib";
const STATE_DIR: &str = "/var/lib/jit";

/// The distroless "nonroot" user: a fixed number so `runAsNonRoot` can be checked by the
/// kubelet without the image declaring a user.
const NONROOT_UID: i64 = 65532;

/// Options for `jit reaper manifest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestOptions {
    /// Where the ServiceAccount and CronJob live.
    pub namespace: String,
    /// A container image whose entrypoint is the jit binary.
    pub image: String,
    /// A Kubernetes CronJob schedule.
    pub schedule: String,
    /// A PersistentVolumeClaim (in `namespace`) for the reaper's audit log. Without one the
    /// log lives in an emptyDir and goes with each pod; only the run's JSON summary on
    /// stdout (the cluster's log pipeline) remains.
    pub audit_claim: Option<String>,
}

impl Default for ManifestOptions {
    fn default() -> Self {
        Self {
            namespace: "jit-system".to_owned(),
            image: default_image(),
            // The reaper is the security guarantee: expiry should hold to within a minute.
            schedule: "* * * * *".to_owned(),
            audit_claim: None,
        }
    }
}

/// The published image of this very version, so the reaper understands the labels this
/// binary writes.
pub fn default_image() -> String {
    format!("ghcr.io/jit-dev/jit:{}", env!("CARGO_PKG_VERSION"))
}

/// The in-cluster reaper: ServiceAccount, ClusterRole (only list, watch and delete on
/// networkpolicies.networking.k8s.io), ClusterRoleBinding and CronJob, in that order, as
/// multi-document YAML separated by `---\n`, ready for `kubectl apply -f -`.
///
/// Built from typed objects rather than a template so the output is always schema-valid
/// and no option value can inject YAML.
pub fn manifest(opts: &ManifestOptions) -> Result<String, serde_saphyr::ser::Error> {
    let documents = [
        serde_saphyr::to_string(&service_account(opts))?,
        serde_saphyr::to_string(&cluster_role())?,
        serde_saphyr::to_string(&cluster_role_binding(opts))?,
        serde_saphyr::to_string(&cron_job(opts))?,
    ];
    Ok(documents.join("---\n"))
}

/// Labels that say what these objects are. Never `app.kubernetes.io/managed-by: jit`: that
/// marks a grant, and the reaper deletes what carries it.
fn labels() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_owned(), NAME.to_owned()),
        ("app.kubernetes.io/part-of".to_owned(), "jit".to_owned()),
    ])
}

fn metadata(namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(NAME.to_owned()),
        namespace: namespace.map(str::to_owned),
        labels: Some(labels()),
        ..ObjectMeta::default()
    }
}

/// Metadata for the job and pod templates: names come from the CronJob controller.
fn template_metadata() -> ObjectMeta {
    ObjectMeta {
        labels: Some(labels()),
        ..ObjectMeta::default()
    }
}

fn service_account(opts: &ManifestOptions) -> ServiceAccount {
    ServiceAccount {
        metadata: metadata(Some(&opts.namespace)),
        ..ServiceAccount::default()
    }
}

/// Cluster-wide because grants live in every namespace. RBAC cannot narrow delete to jit's
/// label, so a stolen token could delete any NetworkPolicy; it can never create or change
/// one, nor read anything else. Also printed by `jit rbac reaper`.
pub(crate) fn cluster_role() -> ClusterRole {
    ClusterRole {
        metadata: metadata(None),
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec!["networking.k8s.io".to_owned()]),
            resources: Some(vec!["networkpolicies".to_owned()]),
            verbs: REAPER_VERBS.map(str::to_owned).to_vec(),
            ..PolicyRule::default()
        }]),
        ..ClusterRole::default()
    }
}

fn cluster_role_binding(opts: &ManifestOptions) -> ClusterRoleBinding {
    cluster_role_binding_to(Subject {
        kind: "ServiceAccount".to_owned(),
        name: NAME.to_owned(),
        namespace: Some(opts.namespace.clone()),
        ..Subject::default()
    })
}

/// The reaper's ClusterRole bound to `subject`: the manifest's ServiceAccount, or whatever
/// `jit rbac reaper` is asked for.
pub(crate) fn cluster_role_binding_to(subject: Subject) -> ClusterRoleBinding {
    ClusterRoleBinding {
        metadata: metadata(None),
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".to_owned(),
            kind: "ClusterRole".to_owned(),
            name: NAME.to_owned(),
        },
        subjects: Some(vec![subject]),
    }
}

fn cron_job(opts: &ManifestOptions) -> CronJob {
    CronJob {
        metadata: metadata(Some(&opts.namespace)),
        spec: Some(CronJobSpec {
            schedule: opts.schedule.clone(),
            // Two reapers racing would only produce conflicting deletes and noisy logs.
            concurrency_policy: Some("Forbid".to_owned()),
            // After a controller outage, a run missed within this window still starts,
            // instead of the reaper silently skipping to the next slot.
            starting_deadline_seconds: Some(120),
            // A run a minute would otherwise pile up finished Jobs; keep a few failures for
            // diagnosis.
            successful_jobs_history_limit: Some(1),
            failed_jobs_history_limit: Some(3),
            job_template: JobTemplateSpec {
                metadata: Some(template_metadata()),
                spec: Some(job_spec(opts)),
            },
            ..CronJobSpec::default()
        }),
        ..CronJob::default()
    }
}

fn job_spec(opts: &ManifestOptions) -> JobSpec {
    JobSpec {
        // Retry a transient API error, but not forever: the next scheduled run is the
        // better retry.
        backoff_limit: Some(2),
        // With Forbid, a hung run would block every later one; kill it instead.
        active_deadline_seconds: Some(300),
        template: PodTemplateSpec {
            metadata: Some(template_metadata()),
            spec: Some(pod_spec(opts)),
        },
        ..JobSpec::default()
    }
}

fn pod_spec(opts: &ManifestOptions) -> PodSpec {
    PodSpec {
        service_account_name: Some(NAME.to_owned()),
        // The reaper authenticates with this token; say so explicitly so a namespace or
        // ServiceAccount default of "off" cannot silently break it.
        automount_service_account_token: Some(true),
        // Each retry gets a fresh pod, so a failed run's logs stay readable alongside the
        // next attempt's (a Job allows only Never or OnFailure).
        restart_policy: Some("Never".to_owned()),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(NONROOT_UID),
            run_as_group: Some(NONROOT_UID),
            // A claimed volume is owned by root until the kubelet hands it to this group.
            fs_group: opts.audit_claim.as_ref().map(|_| NONROOT_UID),
            seccomp_profile: Some(runtime_default_seccomp()),
            ..PodSecurityContext::default()
        }),
        containers: vec![container(&opts.image)],
        volumes: Some(vec![state_volume(opts.audit_claim.as_deref())]),
        ..PodSpec::default()
    }
}

/// Where the audit log goes: the claim when one is named (the log then outlives the pod),
/// else an emptyDir. Never a claim by default: on a cluster without a default StorageClass
/// the pod would stay Pending and expired grants would stay open, and removing access beats
/// logging it.
fn state_volume(claim: Option<&str>) -> Volume {
    match claim {
        Some(claim) => Volume {
            name: "state".to_owned(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim.to_owned(),
                read_only: None,
            }),
            ..Volume::default()
        },
        None => Volume {
            name: "state".to_owned(),
            empty_dir: Some(EmptyDirVolumeSource {
                size_limit: Some(Quantity("16Mi".to_owned())),
                ..EmptyDirVolumeSource::default()
            }),
            ..Volume::default()
        },
    }
}

fn container(image: &str) -> Container {
    Container {
        name: NAME.to_owned(),
        image: Some(image.to_owned()),
        // The image's entrypoint is `jit`; JSON gives one summary line per run to the
        // cluster's log pipeline.
        args: Some(["reap", "-o", "json"].map(str::to_owned).to_vec()),
        // The root filesystem is read-only, so jit's audit log needs somewhere writable;
        // without it a run could fail and leave expired grants open.
        env: Some(vec![EnvVar {
            name: "XDG_STATE_HOME".to_owned(),
            value: Some(STATE_HOME.to_owned()),
            ..EnvVar::default()
        }]),
        volume_mounts: Some(vec![VolumeMount {
            name: "state".to_owned(),
            mount_path: STATE_DIR.to_owned(),
            ..VolumeMount::default()
        }]),
        resources: Some(ResourceRequirements {
            requests: Some(quantities("10m", "32Mi")),
            limits: Some(quantities("100m", "64Mi")),
            ..ResourceRequirements::default()
        }),
        security_context: Some(SecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(NONROOT_UID),
            run_as_group: Some(NONROOT_UID),
            read_only_root_filesystem: Some(true),
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".to_owned()]),
                ..Capabilities::default()
            }),
            seccomp_profile: Some(runtime_default_seccomp()),
            ..SecurityContext::default()
        }),
        ..Container::default()
    }
}

fn runtime_default_seccomp() -> SeccompProfile {
    SeccompProfile {
        type_: "RuntimeDefault".to_owned(),
        ..SeccompProfile::default()
    }
}

fn quantities(cpu: &str, memory: &str) -> BTreeMap<String, Quantity> {
    BTreeMap::from([
        ("cpu".to_owned(), Quantity(cpu.to_owned())),
        ("memory".to_owned(), Quantity(memory.to_owned())),
    ])
}

/// A systemd service and timer running `<binary> reap -o json` every `interval` (a systemd
/// time span such as "1min"), as (jit-reap.service text, jit-reap.timer text).
///
/// `binary` should be an absolute path without quotes or backslashes (systemd refuses
/// those); spaces and `%` are fine. `interval` is written as given, so the caller validates
/// it (`systemd-analyze timespan` accepts the same syntax).
pub fn systemd_units(binary: &str, interval: &str) -> (String, String) {
    (systemd_service(binary), systemd_timer(interval))
}

const INSTALL_STEPS: &str = "\
# Install (as root):
#   useradd --system --no-create-home --shell /usr/sbin/nologin jit
#   install -D -m 0600 -o jit /path/to/reaper-kubeconfig /etc/jit/kubeconfig
#   cp jit-reap.service jit-reap.timer /etc/systemd/system/
#   systemctl daemon-reload
#   systemctl enable --now jit-reap.timer
#
# The kubeconfig needs only list, watch and delete on networkpolicies.networking.k8s.io
# in every namespace (the ClusterRole in `jit reaper manifest`).
";

fn systemd_service(binary: &str) -> String {
    let exec = systemd_exec_path(binary);
    format!(
        "\
# jit-reap.service: deletes expired jit grants. Started by jit-reap.timer.
#
{INSTALL_STEPS}
[Unit]
Description=Delete expired jit network access grants
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={exec} reap -o json
# A dedicated user holding only the reaper's kubeconfig, not a person's credentials.
User=jit
Environment=KUBECONFIG=/etc/jit/kubeconfig
# jit's audit log lives in $XDG_STATE_HOME/jit; StateDirectory= creates /var/lib/jit for
# User= and keeps it writable under ProtectSystem=strict.
Environment=XDG_STATE_HOME=/var/lib
StateDirectory=jit
StateDirectoryMode=0700
# A hung run must not hold the timer back: the next run is what closes expired paths.
TimeoutStartSec=300
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
"
    )
}

fn systemd_timer(interval: &str) -> String {
    format!(
        "\
# jit-reap.timer: runs jit-reap.service every {interval}, so an expired grant is deleted
# within about that long.
#
{INSTALL_STEPS}
[Unit]
Description=Delete expired jit network access grants every {interval}

[Timer]
# Also covers downtime: grants that expired while the host was off go soon after boot.
OnBootSec=1min
OnUnitActiveSec={interval}
# systemd would otherwise batch wake-ups by up to a minute, doubling the worst case.
AccuracySec=10s
# Only OnCalendar= timers use this; here so that switching to one keeps the catch-up.
Persistent=true

[Install]
WantedBy=timers.target
"
    )
}

/// `path` as the executable of an ExecStart line: systemd expands `%` specifiers in it even
/// inside quotes (but not `$` variables: those only in arguments), and splits on whitespace
/// outside quotes.
fn systemd_exec_path(path: &str) -> String {
    let escaped = path.replace('%', "%%");
    if path
        .chars()
        .all(|c| is_plain_path_char(c) || c == '%' || c == '$')
    {
        escaped
    } else {
        let quoted = escaped.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{quoted}\"")
    }
}

/// Characters that mean nothing to systemd's or the shell's word splitting and quoting.
fn is_plain_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/._-+:@,=".contains(c)
}

/// A user-crontab line running the reaper every minute, appending its one-line JSON summary
/// to /var/log/jit-reap.log (which must be writable by the crontab's owner), e.g.
/// `* * * * * /usr/local/bin/jit reap -o json >> /var/log/jit-reap.log 2>&1`.
///
/// `binary` should be absolute: cron's PATH is minimal.
pub fn crontab_line(binary: &str) -> String {
    let command = shell_word(binary);
    format!("* * * * * {command} reap -o json >> /var/log/jit-reap.log 2>&1")
}

/// `word` for cron's `/bin/sh`, with `%` escaped because cron turns a bare one into a
/// newline and feeds the rest to the command's stdin.
fn shell_word(word: &str) -> String {
    let quoted = if word.chars().all(is_plain_path_char) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    };
    quoted.replace('%', r"\%")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::process::Command;

    use serde::de::DeserializeOwned;

    use super::*;
    use crate::policy::keys::MANAGED_BY;

    const FIXED_IMAGE: &str = "registry.example.com/jit:test";

    struct Parsed {
        service_account: ServiceAccount,
        cluster_role: ClusterRole,
        binding: ClusterRoleBinding,
        cron_job: CronJob,
    }

    fn parse(opts: &ManifestOptions) -> Parsed {
        parse_split(&manifest(opts).unwrap(), "---\n")
    }

    fn parse_split(text: &str, separator: &str) -> Parsed {
        let documents: Vec<&str> = text.split(separator).collect();
        assert_eq!(documents.len(), 4, "{text}");
        Parsed {
            service_account: typed(documents[0]),
            cluster_role: typed(documents[1]),
            binding: typed(documents[2]),
            cron_job: typed(documents[3]),
        }
    }

    /// k8s-openapi checks apiVersion and kind while deserializing, so this also checks the
    /// order of the documents.
    fn typed<T: DeserializeOwned>(document: &str) -> T {
        serde_saphyr::from_str(document).unwrap_or_else(|e| panic!("{e}\nin document:\n{document}"))
    }

    fn custom() -> ManifestOptions {
        ManifestOptions {
            namespace: "security-ops".to_owned(),
            image: FIXED_IMAGE.to_owned(),
            schedule: "*/2 * * * *".to_owned(),
            audit_claim: None,
        }
    }

    fn pod(cron_job: &CronJob) -> &PodTemplateSpec {
        let job = cron_job.spec.as_ref().unwrap().job_template.spec.as_ref();
        &job.unwrap().template
    }

    fn only_container(cron_job: &CronJob) -> &Container {
        let containers = &pod(cron_job).spec.as_ref().unwrap().containers;
        assert_eq!(containers.len(), 1);
        &containers[0]
    }

    fn all_metadata(parsed: &Parsed) -> Vec<(&str, &ObjectMeta)> {
        let spec = parsed.cron_job.spec.as_ref().unwrap();
        vec![
            ("ServiceAccount", &parsed.service_account.metadata),
            ("ClusterRole", &parsed.cluster_role.metadata),
            ("ClusterRoleBinding", &parsed.binding.metadata),
            ("CronJob", &parsed.cron_job.metadata),
            ("job template", spec.job_template.metadata.as_ref().unwrap()),
            (
                "pod template",
                pod(&parsed.cron_job).metadata.as_ref().unwrap(),
            ),
        ]
    }

    #[test]
    fn defaults_run_this_version_every_minute_in_jit_system() {
        let opts = ManifestOptions::default();
        assert_eq!(opts.namespace, "jit-system");
        assert_eq!(opts.schedule, "* * * * *");
        assert_eq!(
            opts.image,
            format!("ghcr.io/jit-dev/jit:{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn every_object_is_named_jit_reaper_and_namespaced_only_where_it_should_be() {
        let parsed = parse(&ManifestOptions::default());
        for (what, meta) in &all_metadata(&parsed)[..4] {
            assert_eq!(meta.name.as_deref(), Some(NAME), "{what}");
        }
        assert_eq!(
            parsed.service_account.metadata.namespace.as_deref(),
            Some("jit-system")
        );
        assert_eq!(
            parsed.cron_job.metadata.namespace.as_deref(),
            Some("jit-system")
        );
        assert_eq!(parsed.cluster_role.metadata.namespace, None);
        assert_eq!(parsed.binding.metadata.namespace, None);
    }

    #[test]
    fn cluster_role_allows_only_list_watch_delete_on_networkpolicies() {
        let role = parse(&ManifestOptions::default()).cluster_role;
        assert_eq!(role.aggregation_rule, None);
        let rules = role.rules.unwrap();
        assert_eq!(rules.len(), 1);
        let rule = &rules[0];
        assert_eq!(rule.api_groups, Some(vec!["networking.k8s.io".to_owned()]));
        assert_eq!(rule.resources, Some(vec!["networkpolicies".to_owned()]));
        assert_eq!(rule.resource_names, None);
        assert_eq!(rule.non_resource_urls, None);
        let verbs: BTreeSet<&str> = rule.verbs.iter().map(String::as_str).collect();
        assert_eq!(verbs, BTreeSet::from(["list", "watch", "delete"]));
        assert_eq!(rule.verbs.len(), 3, "no duplicate verbs");
    }

    #[test]
    fn binding_binds_the_role_to_the_service_account_in_its_namespace() {
        let parsed = parse(&custom());
        let binding = parsed.binding;
        assert_eq!(binding.role_ref.api_group, "rbac.authorization.k8s.io");
        assert_eq!(binding.role_ref.kind, "ClusterRole");
        assert_eq!(
            Some(&binding.role_ref.name),
            parsed.cluster_role.metadata.name.as_ref()
        );
        let subjects = binding.subjects.unwrap();
        assert_eq!(subjects.len(), 1);
        assert_eq!(subjects[0].kind, "ServiceAccount");
        assert_eq!(
            Some(&subjects[0].name),
            parsed.service_account.metadata.name.as_ref()
        );
        assert_eq!(subjects[0].namespace.as_deref(), Some("security-ops"));
        assert_eq!(
            parsed.service_account.metadata.namespace.as_deref(),
            Some("security-ops")
        );
    }

    #[test]
    fn cron_job_never_overlaps_catches_up_and_cannot_hang() {
        let cron_job = parse(&ManifestOptions::default()).cron_job;
        let spec = cron_job.spec.as_ref().unwrap();
        assert_eq!(spec.schedule, "* * * * *");
        assert_eq!(spec.concurrency_policy.as_deref(), Some("Forbid"));
        assert_eq!(spec.starting_deadline_seconds, Some(120));
        assert_eq!(spec.successful_jobs_history_limit, Some(1));
        assert_eq!(spec.failed_jobs_history_limit, Some(3));
        assert_eq!(spec.suspend, None);
        let job = spec.job_template.spec.as_ref().unwrap();
        assert_eq!(job.backoff_limit, Some(2));
        assert_eq!(job.active_deadline_seconds, Some(300));
    }

    #[test]
    fn pod_runs_reap_with_its_token_as_an_unprivileged_non_root_user() {
        let cron_job = parse(&ManifestOptions::default()).cron_job;
        let pod = pod(&cron_job).spec.as_ref().unwrap();
        assert_eq!(pod.service_account_name.as_deref(), Some(NAME));
        assert_eq!(pod.automount_service_account_token, Some(true));
        assert_eq!(pod.restart_policy.as_deref(), Some("Never"));
        assert_eq!(pod.host_network, None);
        assert_eq!(pod.host_pid, None);
        let pod_security = pod.security_context.as_ref().unwrap();
        assert_eq!(pod_security.run_as_non_root, Some(true));
        assert_eq!(pod_security.run_as_user, Some(65532));
        assert_eq!(
            pod_security.seccomp_profile.as_ref().unwrap().type_,
            "RuntimeDefault"
        );

        let container = only_container(&cron_job);
        assert_eq!(container.image, Some(default_image()));
        assert_eq!(container.command, None, "the entrypoint is jit");
        assert_eq!(
            container.args,
            Some(vec!["reap".into(), "-o".into(), "json".into()])
        );
        let security = container.security_context.as_ref().unwrap();
        assert_eq!(security.run_as_non_root, Some(true));
        assert_eq!(security.run_as_user, Some(65532));
        assert_eq!(security.read_only_root_filesystem, Some(true));
        assert_eq!(security.allow_privilege_escalation, Some(false));
        assert_eq!(security.privileged, None);
        let capabilities = security.capabilities.as_ref().unwrap();
        assert_eq!(capabilities.drop, Some(vec!["ALL".to_owned()]));
        assert_eq!(capabilities.add, None);
        assert_eq!(
            security.seccomp_profile.as_ref().unwrap().type_,
            "RuntimeDefault"
        );
    }

    #[test]
    fn container_resources_are_small_and_bounded() {
        let cron_job = parse(&ManifestOptions::default()).cron_job;
        let resources = only_container(&cron_job).resources.clone().unwrap();
        assert_eq!(resources.requests, Some(quantities("10m", "32Mi")));
        assert_eq!(resources.limits, Some(quantities("100m", "64Mi")));
    }

    #[test]
    fn audit_log_directory_is_writable_despite_read_only_root() {
        let cron_job = parse(&ManifestOptions::default()).cron_job;
        let container = only_container(&cron_job);
        let env = container.env.as_ref().unwrap();
        assert!(
            env.iter()
                .any(|var| var.name == "XDG_STATE_HOME" && var.value.as_deref() == Some("/var/lib"))
        );
        let mount = &container.volume_mounts.as_ref().unwrap()[0];
        assert_eq!(mount.mount_path, "/var/lib/jit");
        assert_eq!(mount.read_only, None);
        let volumes = pod(&cron_job)
            .spec
            .as_ref()
            .unwrap()
            .volumes
            .clone()
            .unwrap();
        assert_eq!(volumes[0].name, mount.name);
        assert!(volumes[0].empty_dir.is_some());
        assert_eq!(
            pod(&cron_job)
                .spec
                .as_ref()
                .unwrap()
                .security_context
                .as_ref()
                .unwrap()
                .fs_group,
            None
        );
    }

    #[test]
    fn an_audit_claim_keeps_the_log_across_runs_and_is_writable_by_the_reaper() {
        let opts = ManifestOptions {
            audit_claim: Some("jit-audit".to_owned()),
            ..ManifestOptions::default()
        };
        let cron_job = parse(&opts).cron_job;
        let spec = pod(&cron_job).spec.as_ref().unwrap();
        let volumes = spec.volumes.as_ref().unwrap();
        assert_eq!(volumes.len(), 1);
        assert!(volumes[0].empty_dir.is_none());
        assert_eq!(
            volumes[0]
                .persistent_volume_claim
                .as_ref()
                .unwrap()
                .claim_name,
            "jit-audit"
        );
        let mount = &only_container(&cron_job).volume_mounts.as_ref().unwrap()[0];
        assert_eq!(
            (mount.name.as_str(), mount.mount_path.as_str()),
            ("state", "/var/lib/jit")
        );
        assert_eq!(
            spec.security_context.as_ref().unwrap().fs_group,
            Some(NONROOT_UID)
        );
    }

    #[test]
    fn no_object_carries_the_grant_marker_and_all_carry_the_reaper_labels() {
        let parsed = parse(&custom());
        for (what, meta) in all_metadata(&parsed) {
            let found = meta.labels.as_ref().unwrap();
            assert!(!found.contains_key(MANAGED_BY), "{what}: {found:?}");
            assert_eq!(found, &labels(), "{what}");
        }
        let text = manifest(&ManifestOptions::default()).unwrap();
        assert!(!text.contains(MANAGED_BY), "{text}");
    }

    #[test]
    fn options_are_honoured() {
        let opts = custom();
        let parsed = parse(&opts);
        let spec = parsed.cron_job.spec.as_ref().unwrap();
        assert_eq!(spec.schedule, opts.schedule);
        assert_eq!(
            parsed.cron_job.metadata.namespace.as_deref(),
            Some(opts.namespace.as_str())
        );
        assert_eq!(
            only_container(&parsed.cron_job).image.as_deref(),
            Some(FIXED_IMAGE)
        );
    }

    #[test]
    fn option_values_cannot_inject_yaml() {
        let opts = ManifestOptions {
            namespace: "a\nkind: Secret".to_owned(),
            image: "x\n---\nkind: Pod".to_owned(),
            schedule: "* * * * *\"\n  verbs: [create]".to_owned(),
            audit_claim: Some("c\nkind: Secret".to_owned()),
        };
        let text = manifest(&opts).unwrap();
        // Split on separator lines only: a quoted value here may hold "---\n".
        let parsed = parse_split(&text, "\n---\n");
        assert_eq!(parsed.cron_job.spec.unwrap().schedule, opts.schedule);
        assert_eq!(
            parsed.service_account.metadata.namespace.as_deref(),
            Some(opts.namespace.as_str())
        );
    }

    #[test]
    fn default_manifest() {
        let text = manifest(&ManifestOptions::default()).unwrap();
        let image = regex::escape(&default_image());
        insta::with_settings!({ filters => vec![(image.as_str(), "ghcr.io/jit-dev/jit:[VERSION]")] }, {
            insta::assert_snapshot!(text);
        });
    }

    /// `key=value` pairs of one `[section]` of a unit file, in order, comments skipped.
    fn unit_section<'a>(unit: &'a str, section: &str) -> Vec<(&'a str, &'a str)> {
        let header = format!("[{section}]");
        unit.lines()
            .skip_while(|line| *line != header)
            .skip(1)
            .take_while(|line| !line.starts_with('['))
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| line.split_once('=').expect(line))
            .collect()
    }

    fn assert_has(pairs: &[(&str, &str)], key: &str, value: &str) {
        assert!(
            pairs.contains(&(key, value)),
            "missing {key}={value} in {pairs:?}"
        );
    }

    #[test]
    fn service_is_a_hardened_oneshot_as_the_jit_user() {
        let (service, _) = systemd_units("/usr/local/bin/jit", "1min");
        let pairs = unit_section(&service, "Service");
        for (key, value) in [
            ("Type", "oneshot"),
            ("ExecStart", "/usr/local/bin/jit reap -o json"),
            ("User", "jit"),
            ("Environment", "KUBECONFIG=/etc/jit/kubeconfig"),
            ("Environment", "XDG_STATE_HOME=/var/lib"),
            ("StateDirectory", "jit"),
            ("TimeoutStartSec", "300"),
            ("NoNewPrivileges", "yes"),
            ("ProtectSystem", "strict"),
            ("ProtectHome", "yes"),
            ("PrivateTmp", "yes"),
        ] {
            assert_has(&pairs, key, value);
        }
        assert!(service.contains("systemctl enable --now jit-reap.timer"));
        assert!(service.starts_with('#'), "install notes come first");
    }

    #[test]
    fn timer_runs_every_interval_from_boot_on() {
        let (_, timer) = systemd_units("/usr/local/bin/jit", "30s");
        let pairs = unit_section(&timer, "Timer");
        for (key, value) in [
            ("OnBootSec", "1min"),
            ("OnUnitActiveSec", "30s"),
            ("AccuracySec", "10s"),
            ("Persistent", "true"),
        ] {
            assert_has(&pairs, key, value);
        }
        assert_eq!(
            unit_section(&timer, "Install"),
            [("WantedBy", "timers.target")]
        );
        assert!(timer.contains("systemctl enable --now jit-reap.timer"));
        assert!(timer.starts_with('#'), "install notes come first");
    }

    #[test]
    fn exec_start_quotes_and_escapes_odd_paths() {
        assert_eq!(systemd_exec_path("/usr/bin/jit"), "/usr/bin/jit");
        assert_eq!(systemd_exec_path("/opt/100%/jit"), "/opt/100%%/jit");
        assert_eq!(systemd_exec_path("/opt/$HOME/jit"), "/opt/$HOME/jit");
        assert_eq!(systemd_exec_path("/opt/my jit"), "\"/opt/my jit\"");
        assert_eq!(systemd_exec_path(r#"/opt/a"b\c"#), r#""/opt/a\"b\\c""#);
    }

    fn systemd_analyze_installed() -> bool {
        Command::new("which")
            .arg("systemd-analyze")
            .output()
            .is_ok_and(|out| out.status.success())
    }

    fn write_units(dir: &Path, binary: &str) -> [String; 2] {
        let (service, timer) = systemd_units(binary, "1min");
        let service_path = dir.join("jit-reap.service");
        let timer_path = dir.join("jit-reap.timer");
        std::fs::write(&service_path, service).unwrap();
        std::fs::write(&timer_path, timer).unwrap();
        [service_path, timer_path].map(|p| p.to_str().unwrap().to_owned())
    }

    /// systemd-analyze only warns (and exits 0) on unknown keys, so warnings about our
    /// files count as failures too.
    fn assert_verifies(paths: &[String]) {
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .args(paths)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "systemd-analyze verify: {stderr}");
        let about_us: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains("jit-reap"))
            .collect();
        assert!(about_us.is_empty(), "systemd-analyze verify: {stderr}");
    }

    #[test]
    fn units_pass_systemd_analyze_verify() {
        if !systemd_analyze_installed() {
            println!("skipped systemd-analyze: not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        assert_verifies(&write_units(dir.path(), "/bin/true"));

        // The quoting must hold up in systemd's own parser: it checks the binary exists.
        // (systemd refuses executables whose path holds quotes or backslashes, however quoted.)
        let odd = dir.path().join("odd dir 100% $x");
        std::fs::create_dir(&odd).unwrap();
        let binary = odd.join("my jit");
        std::os::unix::fs::symlink("/bin/true", &binary).unwrap();
        assert_verifies(&write_units(&odd, binary.to_str().unwrap()));
    }

    #[test]
    fn crontab_line_runs_reap_every_minute_from_an_absolute_path() {
        let line = crontab_line("/usr/local/bin/jit");
        assert_eq!(
            line,
            "* * * * * /usr/local/bin/jit reap -o json >> /var/log/jit-reap.log 2>&1"
        );
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[..5], ["*"; 5]);
        assert!(fields[5].starts_with('/'));
        assert_eq!(fields[6], "reap");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn crontab_line_survives_cron_and_the_shell() {
        assert_eq!(
            crontab_line("/opt/my jit/jit"),
            "* * * * * '/opt/my jit/jit' reap -o json >> /var/log/jit-reap.log 2>&1"
        );
        // A bare % would end the command; $ would be expanded by the shell.
        assert!(crontab_line("/opt/100%/jit").contains(r"'/opt/100\%/jit' reap"));
        assert!(crontab_line("/opt/$x/jit").contains("'/opt/$x/jit' reap"));
        assert!(crontab_line("/opt/it's/jit").contains(r"'/opt/it'\''s/jit' reap"));
    }

    /// What cron hands `/bin/sh` (a `\%` becomes `%`) must come out as the same path.
    #[test]
    fn crontab_quoting_round_trips_through_sh() {
        for path in [
            "/usr/local/bin/jit",
            "/opt/my jit/100% $HOME `x` it's \\ \"q\"/jit",
        ] {
            let word = shell_word(path).replace(r"\%", "%");
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s' {word}"))
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), path);
        }
    }
}
