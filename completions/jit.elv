
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
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand grant 'Open one network path for a bounded time'
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
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand --to-all-pods 'Every pod in the namespace receives the traffic (an empty podSelector). Broad: asks for confirmation'
            cand --all-ports 'Open every port and protocol (no ports list in the policy). Broad: asks for confirmation'
            cand -y 'Do not ask for confirmation (required for broad grants when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required for broad grants when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;completions'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, or ~/.kube/config; in a pod, the service account)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --config 'Configuration file (default: $XDG_CONFIG_HOME/jit/config.yaml)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jit;help'= {
            cand grant 'Open one network path for a bounded time'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;help;grant'= {
        }
        &'jit;help;completions'= {
        }
        &'jit;help;help'= {
        }
    ]
    $completions[$command]
}
