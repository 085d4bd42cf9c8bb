
use builtin;
use str;

set edit:completion:arg-completer[jit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'jit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'jit'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand grant 'Open one network path for a bounded time'
            cand list 'List active grants (and overdue ones the reaper has not removed yet)'
            cand revoke 'Revoke grants now: by id, or in bulk with --all, --user or --selector'
            cand extend 'Give a grant more time: a new expiry from now (by the API server''s clock)'
            cand reap 'Remove expired grants: what cron, a systemd timer or a CronJob runs'
            cand reaper 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line'
            cand log 'The signed audit log: set up signing keys, show, verify, export keys, anchor'
            cand explain 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing'
            cand baseline 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic'
            cand rbac 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`'
            cand guard 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit''s rules on jit''s NetworkPolicies'
            cand doctor 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper'
            cand config 'The configuration in force'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;grant'= {
            cand --to 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")'
            cand --to-service 'Pods behind this Service receive the traffic; its ports become the default ports'
            cand --from 'Pods in the target namespace that may connect, as a label selector. Repeatable'
            cand --from-namespace 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable'
            cand --from-cidr 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable'
            cand -p 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated'
            cand --port 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated'
            cand --ttl 'How long the path stays open: 90s, 30m, 2h (humantime). At most the configured maximum (default 8h)'
            cand --reason 'Why the access is needed, e.g. a ticket id (recorded on the policy)'
            cand --dry-run 'Show what would be applied without applying it. "client" (the default) needs no cluster at all; "server" asks the API server to validate and authorize it'
            cand -o 'Output format: a summary (default), or the applied objects as yaml or json, their names, or a wide one-line table'
            cand --output 'Output format: a summary (default), or the applied objects as yaml or json, their names, or a wide one-line table'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --to-all-pods 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
            cand --all-ports 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
            cand -y 'Do not ask for confirmation (required for broad grants when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required for broad grants when not on a terminal)'
            cand --allow-isolation 'Grant even though the target pods accept all ingress today: the grant''s policy makes them accept only what policies allow, cutting their other traffic. Without it jit refuses and suggests `jit baseline`'
            cand --force 'Grant even when existing policies already allow the whole path'
            cand --explain 'Show which sources reach which target pods on which ports, before and after the grant, and which policy decides each; then grant as usual (or stop there with --dry-run=server)'
            cand --session 'Stay in the foreground and revoke the grant when you press Ctrl-C, close the terminal, or the TTL ends, whichever comes first'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;list'= {
            cand -o 'Output format: a table (default), wide, yaml, json or name'
            cand --output 'Output format: a table (default), wide, yaml, json or name'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -A 'List grants in every namespace you can list'
            cand --all-namespaces 'List grants in every namespace you can list'
            cand --mine 'Only grants you requested (as the API server knows you)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;revoke'= {
            cand --user 'Grants requested by this user'
            cand -l 'Grants whose policies match this label selector'
            cand --selector 'Grants whose policies match this label selector'
            cand -o 'Output format for what was revoked: a summary (default), yaml, json, name or wide'
            cand --output 'Output format for what was revoked: a summary (default), yaml, json, name or wide'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --all 'Every grant in the namespace (with -A: everywhere)'
            cand -A 'Look in every namespace you can list'
            cand --all-namespaces 'Look in every namespace you can list'
            cand -y 'Do not ask (required for bulk revokes when not on a terminal)'
            cand --yes 'Do not ask (required for bulk revokes when not on a terminal)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;extend'= {
            cand --ttl 'How long from now the grant stays open: at most the configured maximum (default 8h), and never past max_lifetime from its creation'
            cand --reason 'Why more time is needed (recorded on the policy). Required, like grant''s --reason, unless the configuration relaxes it'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -A 'Look in every namespace you can list'
            cand --all-namespaces 'Look in every namespace you can list'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;reap'= {
            cand --grace 'How long a grant may stay past its expiry before --check complains'
            cand -o 'Summary format: one line (default) or json'
            cand --output 'Summary format: one line (default) or json'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --dry-run 'Show what would be removed; remove nothing'
            cand --check 'Remove nothing; exit 6 when a grant is overdue by more than --grace (for monitoring that the reaper runs)'
            cand --all-contexts 'Reap every context in the kubeconfig'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;reaper'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand manifest 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
            cand systemd 'Print a systemd service and timer that run `jit reap`'
            cand crontab 'Print a crontab line that runs `jit reap` every minute'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;reaper;manifest'= {
            cand --reaper-namespace 'Namespace for the reaper''s objects'
            cand --image 'Container image with the jit binary as its entrypoint'
            cand --schedule 'Cron schedule'
            cand --audit-claim 'An existing PersistentVolumeClaim in the reaper''s namespace for its audit log. Without one the log lives in an emptyDir and is lost with each pod (the run''s JSON summary on stdout remains)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;reaper;systemd'= {
            cand --binary 'Absolute path of the jit binary'
            cand --interval 'How often to run (systemd time span)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;reaper;crontab'= {
            cand --binary 'Absolute path of the jit binary'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;reaper;help'= {
            cand manifest 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
            cand systemd 'Print a systemd service and timer that run `jit reap`'
            cand crontab 'Print a crontab line that runs `jit reap` every minute'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;reaper;help;manifest'= {
        }
        &'jit;reaper;help;systemd'= {
        }
        &'jit;reaper;help;crontab'= {
        }
        &'jit;reaper;help;help'= {
        }
        &'jit;log'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
            cand show 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)'
            cand verify 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
            cand keys 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
            cand anchor 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;log;init'= {
            cand --store 'Where the secret key lives: keyring (the OS keyring; the default for a person''s key, unless the configuration''s audit.key_store names another), keyutils (the Linux kernel keyring, cleared by a reboot) or file:/absolute/path (a new 0600 file)'
            cand --name 'The key''s name (default: $USER@hostname, or reaper@hostname; with --rotate, the default name with -2, -3… appended, since retired keys keep their names)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --reaper 'Set up the reaper''s key (what `jit reap` signs with) instead of yours. Needs --store: cron has no desktop keyring'
            cand --rotate 'Replace the current key of this role: it is kept in keys.json as retired, so what it signed still verifies, and never signs again'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;log;show'= {
            cand --since 'Only entries from the last DURATION (2h, 30m) or since an RFC 3339 time (2026-11-27T15:00:00Z)'
            cand --action 'Only entries of these actions. Repeatable or comma-separated'
            cand --user 'Only entries by this user (as the API server named them)'
            cand -o 'json: each entry''s line exactly as stored (JSON Lines, signatures intact)'
            cand --output 'json: each entry''s line exactly as stored (JSON Lines, signatures intact)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;log;verify'= {
            cand --keys 'Trust these public keys (a file as `jit log keys` prints it) instead of keys.json beside the log, which whoever can rewrite the log can rewrite too'
            cand --anchor 'A checkpoint kept elsewhere (a copy of the log''s `checkpoint` file): the log must still hold everything it covers'
            cand --anchor-from-cluster 'The checkpoint `jit log anchor NS/NAME` stored in that ConfigMap, as the anchor'
            cand -o 'json: the verdict, counts and every finding as one JSON object'
            cand --output 'json: the verdict, counts and every finding as one JSON object'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;log;keys'= {
            cand -o 'json (the only format, and the default): [{"name", "role", "key"}]'
            cand --output 'json (the only format, and the default): [{"name", "role", "key"}]'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;log;anchor'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;log;help'= {
            cand init 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
            cand show 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)'
            cand verify 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
            cand keys 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
            cand anchor 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;log;help;init'= {
        }
        &'jit;log;help;show'= {
        }
        &'jit;log;help;verify'= {
        }
        &'jit;log;help;keys'= {
        }
        &'jit;log;help;anchor'= {
        }
        &'jit;log;help;help'= {
        }
        &'jit;explain'= {
            cand --to 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")'
            cand --to-service 'Pods behind this Service receive the traffic; its ports become the default ports'
            cand --from 'Pods in the target namespace that may connect, as a label selector. Repeatable'
            cand --from-namespace 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable'
            cand --from-cidr 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable'
            cand -p 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated'
            cand --port 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --to-all-pods 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
            cand --all-ports 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;baseline'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand --dry-run 'Show the policy and what it isolates; apply nothing'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;rbac'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand granter 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
            cand reaper 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;rbac;granter'= {
            cand --user 'Bind the roles to this user. Repeatable'
            cand --group 'Bind the roles to this group. Repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;rbac;reaper'= {
            cand --service-account 'The reaper''s ServiceAccount, as namespace/name (the one `jit reaper manifest` creates is the default)'
            cand --user 'Bind to this user instead (a reaper run from cron with its own kubeconfig)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;rbac;help'= {
            cand granter 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
            cand reaper 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;rbac;help;granter'= {
        }
        &'jit;rbac;help;reaper'= {
        }
        &'jit;rbac;help;help'= {
        }
        &'jit;guard'= {
            cand --max-ttl 'The longest expiry a grant may be created with (default: max_ttl from the configuration)'
            cand --max-lifetime 'The longest a grant may live, extensions included (default: max_lifetime from the configuration)'
            cand --name 'Name of the ValidatingAdmissionPolicy and its binding'
            cand -o 'yaml (the default: two documents) or json (one List)'
            cand --output 'yaml (the default: two documents) or json (one List)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;doctor'= {
            cand -o 'json: every check as one JSON object'
            cand --output 'json: every check as one JSON object'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;config'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;config;show'= {
            cand -o 'json: the values and their sources as one JSON object'
            cand --output 'json: the values and their sources as one JSON object'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;config;help'= {
            cand show 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;config;help;show'= {
        }
        &'jit;config;help;help'= {
        }
        &'jit;completions'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -q 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand --quiet 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;help'= {
            cand grant 'Open one network path for a bounded time'
            cand list 'List active grants (and overdue ones the reaper has not removed yet)'
            cand revoke 'Revoke grants now: by id, or in bulk with --all, --user or --selector'
            cand extend 'Give a grant more time: a new expiry from now (by the API server''s clock)'
            cand reap 'Remove expired grants: what cron, a systemd timer or a CronJob runs'
            cand reaper 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line'
            cand log 'The signed audit log: set up signing keys, show, verify, export keys, anchor'
            cand explain 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing'
            cand baseline 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic'
            cand rbac 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`'
            cand guard 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit''s rules on jit''s NetworkPolicies'
            cand doctor 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper'
            cand config 'The configuration in force'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;help;grant'= {
        }
        &'jit;help;list'= {
        }
        &'jit;help;revoke'= {
        }
        &'jit;help;extend'= {
        }
        &'jit;help;reap'= {
        }
        &'jit;help;reaper'= {
            cand manifest 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
            cand systemd 'Print a systemd service and timer that run `jit reap`'
            cand crontab 'Print a crontab line that runs `jit reap` every minute'
        }
        &'jit;help;reaper;manifest'= {
        }
        &'jit;help;reaper;systemd'= {
        }
        &'jit;help;reaper;crontab'= {
        }
        &'jit;help;log'= {
            cand init 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
            cand show 'Show the log''s entries, oldest first (signatures are not checked: see `verify`)'
            cand verify 'Check every entry''s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
            cand keys 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
            cand anchor 'Store the log''s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
        }
        &'jit;help;log;init'= {
        }
        &'jit;help;log;show'= {
        }
        &'jit;help;log;verify'= {
        }
        &'jit;help;log;keys'= {
        }
        &'jit;help;log;anchor'= {
        }
        &'jit;help;explain'= {
        }
        &'jit;help;baseline'= {
        }
        &'jit;help;rbac'= {
            cand granter 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
            cand reaper 'The reaper''s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
        }
        &'jit;help;rbac;granter'= {
        }
        &'jit;help;rbac;reaper'= {
        }
        &'jit;help;guard'= {
        }
        &'jit;help;doctor'= {
        }
        &'jit;help;config'= {
            cand show 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
        }
        &'jit;help;config;show'= {
        }
        &'jit;help;completions'= {
        }
        &'jit;help;help'= {
        }
    ]
    $completions[$command]
}
