
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'jit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'jit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'jit' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Open one network path for a bounded time')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List active grants (and overdue ones the reaper has not removed yet)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke grants now: by id, or in bulk with --all, --user or --selector')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Give a grant more time: a new expiry from now (by the API server''s clock)')
            [CompletionResult]::new('reap', 'reap', [CompletionResultType]::ParameterValue, 'Remove expired grants: what cron, a systemd timer or a CronJob runs')
            [CompletionResult]::new('reaper', 'reaper', [CompletionResultType]::ParameterValue, 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The signed audit log: set up signing keys, show, verify, export keys, anchor')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`')
            [CompletionResult]::new('guard', 'guard', [CompletionResultType]::ParameterValue, 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit''s rules on jit''s NetworkPolicies')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The configuration in force')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;grant' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")')
            [CompletionResult]::new('--to-service', '--to-service', [CompletionResultType]::ParameterName, 'Pods behind this Service receive the traffic; its ports become the default ports')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Pods in the target namespace that may connect, as a label selector. Repeatable')
            [CompletionResult]::new('--from-namespace', '--from-namespace', [CompletionResultType]::ParameterName, 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable')
            [CompletionResult]::new('--from-cidr', '--from-cidr', [CompletionResultType]::ParameterName, 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the path stays open: 90s, 30m, 2h (humantime). At most the configured maximum (default 8h)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the access is needed, e.g. a ticket id (recorded on the policy)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be applied without applying it. "client" (the default) needs no cluster at all; "server" asks the API server to validate and authorize it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a summary (default), or the applied objects as yaml or json, their names, or a wide one-line table')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a summary (default), or the applied objects as yaml or json, their names, or a wide one-line table')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('--to-all-pods', '--to-all-pods', [CompletionResultType]::ParameterName, 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation')
            [CompletionResult]::new('--all-ports', '--all-ports', [CompletionResultType]::ParameterName, 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required for broad grants when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required for broad grants when not on a terminal)')
            [CompletionResult]::new('--allow-isolation', '--allow-isolation', [CompletionResultType]::ParameterName, 'Grant even though the target pods accept all ingress today: the grant''s policy makes them accept only what policies allow, cutting their other traffic. Without it jit refuses and suggests `jit baseline`')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Grant even when existing policies already allow the whole path')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show which sources reach which target pods on which ports, before and after the grant, and which policy decides each; then grant as usual (or stop there with --dry-run=server)')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Stay in the foreground and revoke the grant when you press Ctrl-C, close the terminal, or the TTL ends, whichever comes first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table (default), wide, yaml, json or name')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table (default), wide, yaml, json or name')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List grants in every namespace you can list')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List grants in every namespace you can list')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only grants you requested (as the API server knows you)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;revoke' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Grants requested by this user')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Grants whose policies match this label selector')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Grants whose policies match this label selector')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for what was revoked: a summary (default), yaml, json, name or wide')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for what was revoked: a summary (default), yaml, json, name or wide')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every grant in the namespace (with -A: everywhere)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace you can list')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace you can list')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (required for bulk revokes when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (required for bulk revokes when not on a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;extend' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long from now the grant stays open: at most the configured maximum (default 8h), and never past max_lifetime from its creation')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why more time is needed (recorded on the policy). Required, like grant''s --reason, unless the configuration relaxes it')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace you can list')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace you can list')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;reap' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long a grant may stay past its expiry before --check complains')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Summary format: one line (default) or json')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Summary format: one line (default) or json')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed; remove nothing')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Remove nothing; exit 6 when a grant is overdue by more than --grace (for monitoring that the reaper runs)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Reap every context in the kubeconfig')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;reaper' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob')
            [CompletionResult]::new('systemd', 'systemd', [CompletionResultType]::ParameterValue, 'Print a systemd service and timer that run `jit reap`')
            [CompletionResult]::new('crontab', 'crontab', [CompletionResultType]::ParameterValue, 'Print a crontab line that runs `jit reap` every minute')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;reaper;manifest' {
            [CompletionResult]::new('--reaper-namespace', '--reaper-namespace', [CompletionResultType]::ParameterName, 'Namespace for the reaper''s objects')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image with the jit binary as its entrypoint')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Cron schedule')
            [CompletionResult]::new('--audit-claim', '--audit-claim', [CompletionResultType]::ParameterName, 'An existing PersistentVolumeClaim in the reaper''s namespace for its audit log. Without one the log lives in an emptyDir and is lost with each pod (the run''s JSON summary on stdout remains)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;reaper;systemd' {
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Absolute path of the jit binary')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often to run (systemd time span)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;reaper;crontab' {
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Absolute path of the jit binary')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;reaper;help' {
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob')
            [CompletionResult]::new('systemd', 'systemd', [CompletionResultType]::ParameterValue, 'Print a systemd service and timer that run `jit reap`')
            [CompletionResult]::new('crontab', 'crontab', [CompletionResultType]::ParameterValue, 'Print a crontab line that runs `jit reap` every minute')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;reaper;help;manifest' {
            break
        }
        'jit;reaper;help;systemd' {
            break
        }
        'jit;reaper;help;crontab' {
            break
        }
        'jit;reaper;help;help' {
            break
        }
        'jit;log' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads')
            [CompletionResult]::new('anchor', 'anchor', [CompletionResultType]::ParameterValue, 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;log;init' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the secret key lives: keyring (the OS keyring; the default for a person''s key, unless the configuration''s audit.key_store names another), keyutils (the Linux kernel keyring, cleared by a reboot) or file:/absolute/path (a new 0600 file)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The key''s name (default: $USER@hostname, or reaper@hostname; with --rotate, the default name with -2, -3… appended, since retired keys keep their names)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('--reaper', '--reaper', [CompletionResultType]::ParameterName, 'Set up the reaper''s key (what `jit reap` signs with) instead of yours. Needs --store: cron has no desktop keyring')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Replace the current key of this role: it is kept in keys.json as retired, so what it signed still verifies, and never signs again')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;log;show' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries from the last DURATION (2h, 30m) or since an RFC 3339 time (2026-11-27T15:00:00Z)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only entries of these actions. Repeatable or comma-separated')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only entries by this user (as the API server named them)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json: each entry''s line exactly as stored (JSON Lines, signatures intact)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json: each entry''s line exactly as stored (JSON Lines, signatures intact)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;log;verify' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Trust these public keys (a file as `jit log keys` prints it) instead of keys.json beside the log, which whoever can rewrite the log can rewrite too')
            [CompletionResult]::new('--anchor', '--anchor', [CompletionResultType]::ParameterName, 'A checkpoint kept elsewhere (a copy of the log''s `checkpoint` file): the log must still hold everything it covers')
            [CompletionResult]::new('--anchor-from-cluster', '--anchor-from-cluster', [CompletionResultType]::ParameterName, 'The checkpoint `jit log anchor NS/NAME` stored in that ConfigMap, as the anchor')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json: the verdict, counts and every finding as one JSON object')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json: the verdict, counts and every finding as one JSON object')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;log;keys' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json (the only format, and the default): [{"name", "role", "key"}]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json (the only format, and the default): [{"name", "role", "key"}]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;log;anchor' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;log;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads')
            [CompletionResult]::new('anchor', 'anchor', [CompletionResultType]::ParameterValue, 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;log;help;init' {
            break
        }
        'jit;log;help;show' {
            break
        }
        'jit;log;help;verify' {
            break
        }
        'jit;log;help;keys' {
            break
        }
        'jit;log;help;anchor' {
            break
        }
        'jit;log;help;help' {
            break
        }
        'jit;explain' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")')
            [CompletionResult]::new('--to-service', '--to-service', [CompletionResultType]::ParameterName, 'Pods behind this Service receive the traffic; its ports become the default ports')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Pods in the target namespace that may connect, as a label selector. Repeatable')
            [CompletionResult]::new('--from-namespace', '--from-namespace', [CompletionResultType]::ParameterName, 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable')
            [CompletionResult]::new('--from-cidr', '--from-cidr', [CompletionResultType]::ParameterName, 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('--to-all-pods', '--to-all-pods', [CompletionResultType]::ParameterName, 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation')
            [CompletionResult]::new('--all-ports', '--all-ports', [CompletionResultType]::ParameterName, 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;baseline' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the policy and what it isolates; apply nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;rbac' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('granter', 'granter', [CompletionResultType]::ParameterValue, 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group')
            [CompletionResult]::new('reaper', 'reaper', [CompletionResultType]::ParameterValue, 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;rbac;granter' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Bind the roles to this user. Repeatable')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Bind the roles to this group. Repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;rbac;reaper' {
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'The reaper''s ServiceAccount, as namespace/name (the one `jit reaper manifest` creates is the default)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Bind to this user instead (a reaper run from cron with its own kubeconfig)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;rbac;help' {
            [CompletionResult]::new('granter', 'granter', [CompletionResultType]::ParameterValue, 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group')
            [CompletionResult]::new('reaper', 'reaper', [CompletionResultType]::ParameterValue, 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;rbac;help;granter' {
            break
        }
        'jit;rbac;help;reaper' {
            break
        }
        'jit;rbac;help;help' {
            break
        }
        'jit;guard' {
            [CompletionResult]::new('--max-ttl', '--max-ttl', [CompletionResultType]::ParameterName, 'The longest expiry a grant may be created with (default: max_ttl from the configuration)')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'The longest a grant may live, extensions included (default: max_lifetime from the configuration)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the ValidatingAdmissionPolicy and its binding')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'yaml (the default: two documents) or json (one List)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'yaml (the default: two documents) or json (one List)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;doctor' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json: every check as one JSON object')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json: every check as one JSON object')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;config' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value came from (the file, the environment, or the default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;config;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json: the values and their sources as one JSON object')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json: the values and their sources as one JSON object')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value came from (the file, the environment, or the default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;config;help;show' {
            break
        }
        'jit;config;help;help' {
            break
        }
        'jit;completions' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No spinners or progress bars (they are only ever drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jit;help' {
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Open one network path for a bounded time')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List active grants (and overdue ones the reaper has not removed yet)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke grants now: by id, or in bulk with --all, --user or --selector')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Give a grant more time: a new expiry from now (by the API server''s clock)')
            [CompletionResult]::new('reap', 'reap', [CompletionResultType]::ParameterValue, 'Remove expired grants: what cron, a systemd timer or a CronJob runs')
            [CompletionResult]::new('reaper', 'reaper', [CompletionResultType]::ParameterValue, 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The signed audit log: set up signing keys, show, verify, export keys, anchor')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`')
            [CompletionResult]::new('guard', 'guard', [CompletionResultType]::ParameterValue, 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit''s rules on jit''s NetworkPolicies')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The configuration in force')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jit;help;grant' {
            break
        }
        'jit;help;list' {
            break
        }
        'jit;help;revoke' {
            break
        }
        'jit;help;extend' {
            break
        }
        'jit;help;reap' {
            break
        }
        'jit;help;reaper' {
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob')
            [CompletionResult]::new('systemd', 'systemd', [CompletionResultType]::ParameterValue, 'Print a systemd service and timer that run `jit reap`')
            [CompletionResult]::new('crontab', 'crontab', [CompletionResultType]::ParameterValue, 'Print a crontab line that runs `jit reap` every minute')
            break
        }
        'jit;help;reaper;manifest' {
            break
        }
        'jit;help;reaper;systemd' {
            break
        }
        'jit;help;reaper;crontab' {
            break
        }
        'jit;help;log' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads')
            [CompletionResult]::new('anchor', 'anchor', [CompletionResultType]::ParameterValue, 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then')
            break
        }
        'jit;help;log;init' {
            break
        }
        'jit;help;log;show' {
            break
        }
        'jit;help;log;verify' {
            break
        }
        'jit;help;log;keys' {
            break
        }
        'jit;help;log;anchor' {
            break
        }
        'jit;help;explain' {
            break
        }
        'jit;help;baseline' {
            break
        }
        'jit;help;rbac' {
            [CompletionResult]::new('granter', 'granter', [CompletionResultType]::ParameterValue, 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group')
            [CompletionResult]::new('reaper', 'reaper', [CompletionResultType]::ParameterValue, 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)')
            break
        }
        'jit;help;rbac;granter' {
            break
        }
        'jit;help;rbac;reaper' {
            break
        }
        'jit;help;guard' {
            break
        }
        'jit;help;doctor' {
            break
        }
        'jit;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value came from (the file, the environment, or the default)')
            break
        }
        'jit;help;config;show' {
            break
        }
        'jit;help;completions' {
            break
        }
        'jit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
