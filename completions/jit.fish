# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jit_global_optspecs
    string join \n kubeconfig= context= n/namespace= config= h/help V/version
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
complete -c jit -n "__fish_jit_needs_command" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c jit -n "__fish_jit_needs_command" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_needs_command" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_needs_command" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_needs_command" -f -a "grant" -d 'Open one network path for a bounded time'
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
complete -c jit -n "__fish_jit_using_subcommand grant" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand grant" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand grant" -l to-all-pods -d 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand grant" -l all-ports -d 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
complete -c jit -n "__fish_jit_using_subcommand grant" -s y -l yes -d 'Do not ask for confirmation (required for broad grants when not on a terminal)'
complete -c jit -n "__fish_jit_using_subcommand grant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand grant" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand completions" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)' -r -F
complete -c jit -n "__fish_jit_using_subcommand completions" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -l config -d 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)' -r -F
complete -c jit -n "__fish_jit_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant completions help" -f -a "grant" -d 'Open one network path for a bounded time'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant completions help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from grant completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
