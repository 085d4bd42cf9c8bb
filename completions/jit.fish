# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jit_global_optspecs
    string join \n kubeconfig= context= n/namespace= config= q/quiet h/help V/version
end

function __fish_jit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_jit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_jit_using_subcommand
    set -l cmd (__fish_jit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c jit -n "__fish_jit_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_needs_command" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_needs_command" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_needs_command" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_needs_command" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_needs_command" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_needs_command" -f -a "grant" -d 'Open one network path for a bounded time'
complete -c jit -n "__fish_jit_needs_command" -f -a "list" -d 'List active grants (and overdue ones the reaper has not removed yet)'
complete -c jit -n "__fish_jit_needs_command" -f -a "revoke" -d 'Revoke grants now: by id, or in bulk with --all, --user or --selector'
complete -c jit -n "__fish_jit_needs_command" -f -a "extend" -d 'Give a grant more time: a new expiry from now (by the API server\'s clock)'
complete -c jit -n "__fish_jit_needs_command" -f -a "reap" -d 'Remove expired grants: what cron, a systemd timer or a CronJob runs'
complete -c jit -n "__fish_jit_needs_command" -f -a "reaper" -d 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line'
complete -c jit -n "__fish_jit_needs_command" -f -a "log" -d 'The signed audit log: set up signing keys, show, verify, export keys, anchor'
complete -c jit -n "__fish_jit_needs_command" -f -a "explain" -d 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing'
complete -c jit -n "__fish_jit_needs_command" -f -a "baseline" -d 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic'
complete -c jit -n "__fish_jit_needs_command" -f -a "rbac" -d 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`'
complete -c jit -n "__fish_jit_needs_command" -f -a "guard" -d 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit\'s rules on jit\'s NetworkPolicies'
complete -c jit -n "__fish_jit_needs_command" -f -a "doctor" -d 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper'
complete -c jit -n "__fish_jit_needs_command" -f -a "config" -d 'The configuration in force'
complete -c jit -n "__fish_jit_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
complete -c jit -n "__fish_jit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand grant" -l to -d 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l to-service -d 'Pods behind this Service receive the traffic; its ports become the default ports' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l from -d 'Pods in the target namespace that may connect, as a label selector. Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l from-namespace -d 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l from-cidr -d 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -s p -l port -d 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l ttl -d 'How long the path stays open: 90s, 30m, 2h (humantime). At most the configured maximum (default 8h)' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l reason -d 'Why the access is needed, e.g. a ticket id (recorded on the policy)' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l dry-run -d 'Show what would be applied without applying it. "client" (the default) needs no cluster at all; "server" asks the API server to validate and authorize it' -r -f -a "client\t'Print the policy; talk to no cluster'
server\t'Send it with dryRun=All: validated and authorized by the API server, not stored'"
complete -c jit -n "__fish_jit_using_subcommand grant" -s o -l output -d 'Output format: a summary (default), or the applied objects as yaml or json, their names, or a wide one-line table' -r -f -a "yaml\t''
json\t''
name\t''
wide\t''"
complete -c jit -n "__fish_jit_using_subcommand grant" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand grant" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand grant" -l to-all-pods -d 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand grant" -l all-ports -d 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand grant" -s y -l yes -d 'Do not ask for confirmation (required for broad grants when not on a terminal)'
complete -c jit -n "__fish_jit_using_subcommand grant" -l allow-isolation -d 'Grant even though the target pods accept all ingress today: the grant\'s policy makes them accept only what policies allow, cutting their other traffic. Without it jit refuses and suggests `jit baseline`'
complete -c jit -n "__fish_jit_using_subcommand grant" -l force -d 'Grant even when existing policies already allow the whole path'
complete -c jit -n "__fish_jit_using_subcommand grant" -l explain -d 'Show which sources reach which target pods on which ports, before and after the grant, and which policy decides each; then grant as usual (or stop there with --dry-run=server)'
complete -c jit -n "__fish_jit_using_subcommand grant" -l session -d 'Stay in the foreground and revoke the grant when you press Ctrl-C, close the terminal, or the TTL ends, whichever comes first'
complete -c jit -n "__fish_jit_using_subcommand grant" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand grant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand grant" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand list" -s o -l output -d 'Output format: a table (default), wide, yaml, json or name' -r -f -a "yaml\t''
json\t''
name\t''
wide\t''"
complete -c jit -n "__fish_jit_using_subcommand list" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand list" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand list" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand list" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand list" -s A -l all-namespaces -d 'List grants in every namespace you can list'
complete -c jit -n "__fish_jit_using_subcommand list" -l mine -d 'Only grants you requested (as the API server knows you)'
complete -c jit -n "__fish_jit_using_subcommand list" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand list" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand list" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand revoke" -l user -d 'Grants requested by this user' -r
complete -c jit -n "__fish_jit_using_subcommand revoke" -s l -l selector -d 'Grants whose policies match this label selector' -r
complete -c jit -n "__fish_jit_using_subcommand revoke" -s o -l output -d 'Output format for what was revoked: a summary (default), yaml, json, name or wide' -r -f -a "yaml\t''
json\t''
name\t''
wide\t''"
complete -c jit -n "__fish_jit_using_subcommand revoke" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand revoke" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand revoke" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand revoke" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand revoke" -l all -d 'Every grant in the namespace (with -A: everywhere)'
complete -c jit -n "__fish_jit_using_subcommand revoke" -s A -l all-namespaces -d 'Look in every namespace you can list'
complete -c jit -n "__fish_jit_using_subcommand revoke" -s y -l yes -d 'Do not ask (required for bulk revokes when not on a terminal)'
complete -c jit -n "__fish_jit_using_subcommand revoke" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand extend" -l ttl -d 'How long from now the grant stays open: at most the configured maximum (default 8h), and never past max_lifetime from its creation' -r
complete -c jit -n "__fish_jit_using_subcommand extend" -l reason -d 'Why more time is needed (recorded on the policy). Required, like grant\'s --reason, unless the configuration relaxes it' -r
complete -c jit -n "__fish_jit_using_subcommand extend" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand extend" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand extend" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand extend" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand extend" -s A -l all-namespaces -d 'Look in every namespace you can list'
complete -c jit -n "__fish_jit_using_subcommand extend" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand extend" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reap" -l grace -d 'How long a grant may stay past its expiry before --check complains' -r
complete -c jit -n "__fish_jit_using_subcommand reap" -s o -l output -d 'Summary format: one line (default) or json' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand reap" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reap" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand reap" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand reap" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reap" -l dry-run -d 'Show what would be removed; remove nothing'
complete -c jit -n "__fish_jit_using_subcommand reap" -l check -d 'Remove nothing; exit 6 when a grant is overdue by more than --grace (for monitoring that the reaper runs)'
complete -c jit -n "__fish_jit_using_subcommand reap" -l all-contexts -d 'Reap every context in the kubeconfig'
complete -c jit -n "__fish_jit_using_subcommand reap" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand reap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand reap" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -f -a "manifest" -d 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -f -a "systemd" -d 'Print a systemd service and timer that run `jit reap`'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -f -a "crontab" -d 'Print a crontab line that runs `jit reap` every minute'
complete -c jit -n "__fish_jit_using_subcommand reaper; and not __fish_seen_subcommand_from manifest systemd crontab help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l reaper-namespace -d 'Namespace for the reaper\'s objects' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l image -d 'Container image with the jit binary as its entrypoint' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l schedule -d 'Cron schedule' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l audit-claim -d 'An existing PersistentVolumeClaim in the reaper\'s namespace for its audit log. Without one the log lives in an emptyDir and is lost with each pod (the run\'s JSON summary on stdout remains)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from manifest" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -l binary -d 'Absolute path of the jit binary' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -l interval -d 'How often to run (systemd time span)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from systemd" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -l binary -d 'Absolute path of the jit binary' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from crontab" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from help" -f -a "manifest" -d 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from help" -f -a "systemd" -d 'Print a systemd service and timer that run `jit reap`'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from help" -f -a "crontab" -d 'Print a crontab line that runs `jit reap` every minute'
complete -c jit -n "__fish_jit_using_subcommand reaper; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "init" -d 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "show" -d 'Show the log\'s entries, oldest first (signatures are not checked: see `verify`)'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "verify" -d 'Check every entry\'s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "keys" -d 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "anchor" -d 'Store the log\'s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
complete -c jit -n "__fish_jit_using_subcommand log; and not __fish_seen_subcommand_from init show verify keys anchor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l store -d 'Where the secret key lives: keyring (the OS keyring; the default for a person\'s key, unless the configuration\'s audit.key_store names another), keyutils (the Linux kernel keyring, cleared by a reboot) or file:/absolute/path (a new 0600 file)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l name -d 'The key\'s name (default: $USER@hostname, or reaper@hostname; with --rotate, the default name with -2, -3… appended, since retired keys keep their names)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l reaper -d 'Set up the reaper\'s key (what `jit reap` signs with) instead of yours. Needs --store: cron has no desktop keyring'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -l rotate -d 'Replace the current key of this role: it is kept in keys.json as retired, so what it signed still verifies, and never signs again'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l since -d 'Only entries from the last DURATION (2h, 30m) or since an RFC 3339 time (2026-11-27T15:00:00Z)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l action -d 'Only entries of these actions. Repeatable or comma-separated' -r -f -a "grant\t''
extend\t''
revoke\t''
reap\t''
recover\t''
note\t''"
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l user -d 'Only entries by this user (as the API server named them)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -s o -l output -d 'json: each entry\'s line exactly as stored (JSON Lines, signatures intact)' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l keys -d 'Trust these public keys (a file as `jit log keys` prints it) instead of keys.json beside the log, which whoever can rewrite the log can rewrite too' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l anchor -d 'A checkpoint kept elsewhere (a copy of the log\'s `checkpoint` file): the log must still hold everything it covers' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l anchor-from-cluster -d 'The checkpoint `jit log anchor NS/NAME` stored in that ConfigMap, as the anchor' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -s o -l output -d 'json: the verdict, counts and every finding as one JSON object' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -s o -l output -d 'json (the only format, and the default): [{"name", "role", "key"}]' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from keys" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from anchor" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "init" -d 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the log\'s entries, oldest first (signatures are not checked: see `verify`)'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check every entry\'s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "keys" -d 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "anchor" -d 'Store the log\'s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
complete -c jit -n "__fish_jit_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand explain" -l to -d 'Pods that receive the traffic, as a label selector (kubectl syntax: "app=db,tier!=cache", "env in (a,b)", "!legacy")' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l to-service -d 'Pods behind this Service receive the traffic; its ports become the default ports' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l from -d 'Pods in the target namespace that may connect, as a label selector. Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l from-namespace -d 'Pods in another namespace that may connect: NS (every pod in it) or NS:SELECTOR (e.g. "ops:app=toolbox"). Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l from-cidr -d 'Addresses that may connect: CIDR[,except=CIDR...] (IPv4 or IPv6, e.g. "10.0.0.0/8,except=10.9.0.0/16"). Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -s p -l port -d 'Ports on the target pods: 5432, 53/UDP, 8000-8100/TCP or a named port ("http"). TCP unless a protocol (TCP, UDP, SCTP) is given. Repeatable or comma-separated' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand explain" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand explain" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand explain" -l to-all-pods -d 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand explain" -l all-ports -d 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand explain" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand explain" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand explain" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand baseline" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand baseline" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand baseline" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand baseline" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand baseline" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c jit -n "__fish_jit_using_subcommand baseline" -l dry-run -d 'Show the policy and what it isolates; apply nothing'
complete -c jit -n "__fish_jit_using_subcommand baseline" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand baseline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand baseline" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -f -a "granter" -d 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -f -a "reaper" -d 'The reaper\'s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and not __fish_seen_subcommand_from granter reaper help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -l user -d 'Bind the roles to this user. Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -l group -d 'Bind the roles to this group. Repeatable' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from granter" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -l service-account -d 'The reaper\'s ServiceAccount, as namespace/name (the one `jit reaper manifest` creates is the default)' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -l user -d 'Bind to this user instead (a reaper run from cron with its own kubeconfig)' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from reaper" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from help" -f -a "granter" -d 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from help" -f -a "reaper" -d 'The reaper\'s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
complete -c jit -n "__fish_jit_using_subcommand rbac; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand guard" -l max-ttl -d 'The longest expiry a grant may be created with (default: max_ttl from the configuration)' -r
complete -c jit -n "__fish_jit_using_subcommand guard" -l max-lifetime -d 'The longest a grant may live, extensions included (default: max_lifetime from the configuration)' -r
complete -c jit -n "__fish_jit_using_subcommand guard" -l name -d 'Name of the ValidatingAdmissionPolicy and its binding' -r
complete -c jit -n "__fish_jit_using_subcommand guard" -s o -l output -d 'yaml (the default: two documents) or json (one List)' -r -f -a "yaml\t''
json\t''
name\t''
wide\t''"
complete -c jit -n "__fish_jit_using_subcommand guard" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand guard" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand guard" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand guard" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand guard" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand guard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand guard" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand doctor" -s o -l output -d 'json: every check as one JSON object' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand doctor" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand doctor" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand doctor" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand doctor" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand doctor" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'json: the values and their sources as one JSON object' -r -f -a "json\t''"
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand completions" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand completions" -l context -d 'The kubeconfig context to use (default: the current context). Only `jit reap` takes several (repeat the flag)' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand completions" -s q -l quiet -d 'No spinners or progress bars (they are only ever drawn on a terminal anyway)'
complete -c jit -n "__fish_jit_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "grant" -d 'Open one network path for a bounded time'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "list" -d 'List active grants (and overdue ones the reaper has not removed yet)'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "revoke" -d 'Revoke grants now: by id, or in bulk with --all, --user or --selector'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "extend" -d 'Give a grant more time: a new expiry from now (by the API server\'s clock)'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "reap" -d 'Remove expired grants: what cron, a systemd timer or a CronJob runs'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "reaper" -d 'Set up the reaper: a Kubernetes CronJob, a systemd timer, or a crontab line'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "log" -d 'The signed audit log: set up signing keys, show, verify, export keys, anchor'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "explain" -d 'Show who reaches which target pods on which ports, and which policy decides each, before and after a grant of this path. Changes nothing'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "baseline" -d 'Isolate every pod of a namespace for ingress (a default-deny policy), so that grants open paths instead of cutting traffic'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "rbac" -d 'Print the RBAC people who grant, and the reaper, need: ready for `kubectl apply -f -`'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "guard" -d 'Print a ValidatingAdmissionPolicy and its binding that make the API server enforce jit\'s rules on jit\'s NetworkPolicies'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "doctor" -d 'Tell why something does not work: the kubeconfig and API server, who you are, what you may do, the network plugin, the signing key and audit log, and the reaper'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "config" -d 'The configuration in force'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant list revoke extend reap reaper log explain baseline rbac guard doctor config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reaper" -f -a "manifest" -d 'Print the in-cluster reaper: ServiceAccount, ClusterRole (list/watch/delete on networkpolicies only), ClusterRoleBinding and CronJob'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reaper" -f -a "systemd" -d 'Print a systemd service and timer that run `jit reap`'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reaper" -f -a "crontab" -d 'Print a crontab line that runs `jit reap` every minute'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "init" -d 'Set up a signing key: create it in a key store and record its public half beside the log (keys.json)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "show" -d 'Show the log\'s entries, oldest first (signatures are not checked: see `verify`)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "verify" -d 'Check every entry\'s signature, the hash chain and the checkpoint; exit 0 only when the whole log verifies'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "keys" -d 'Print every public key the log has been signed with (retired ones included) as JSON: the file `verify --keys` reads'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "anchor" -d 'Store the log\'s checkpoint in a ConfigMap, so that a later `verify --anchor-from-cluster` proves the local log still holds everything it held then'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from rbac" -f -a "granter" -d 'What people who grant need: a Role per namespace (networkpolicies create, patch, get, list, delete and deletecollection; get and list pods; get services), a ClusterRole to get namespaces, and a binding of each to each --user and --group'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from rbac" -f -a "reaper" -d 'The reaper\'s ClusterRole and its binding: list, watch and delete networkpolicies, nothing else (the same objects `jit reaper manifest` includes)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective configuration and where each value came from (the file, the environment, or the default)'
