#!/usr/bin/env bash
# Run a command with the network cut off: packaging/no-network.sh CMD [ARGS...]
#
# The command runs in a new, empty network namespace (only a loopback interface, and
# that one down), so nothing it does can reach another machine. As a second fence the
# proxy variables point at a closed local port. Before running the command, the script
# proves the cut: a TCP connection to a public address must fail inside the namespace.
# Exits with the command's status; 2 if the network could not be cut off.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

# Inside the namespace (re-entered with this marker): prove the cut, then run the command.
if [ "${TFLAB_NO_NETWORK_INSIDE:-}" = "1" ]; then
    unset TFLAB_NO_NETWORK_INSIDE
    probe_host=1.1.1.1     # a public address; nothing must answer
    if timeout 5 bash -c "exec 3<>/dev/tcp/$probe_host/443" 2>/dev/null; then
        echo "no-network: a TCP connection to $probe_host:443 succeeded: the network is NOT cut off" >&2
        exit 2
    fi
    echo "no-network: network cut off (TCP connect to $probe_host:443 fails)" >&2
    export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
    export HTTP_PROXY=$http_proxy HTTPS_PROXY=$https_proxy ALL_PROXY=$http_proxy no_proxy="" NO_PROXY=""
    exec "$@"
fi

if ! command -v unshare >/dev/null; then
    echo "no-network: 'unshare' (util-linux) is needed" >&2
    exit 2
fi
self=$(readlink -f "$0")
export TFLAB_NO_NETWORK_INSIDE=1
if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
    exec unshare --net -- "$self" "$@"
fi
if unshare --map-root-user --net true 2>/dev/null; then
    exec unshare --map-root-user --net -- "$self" "$@"
fi
echo "no-network: cannot create a network namespace here (needs root or user namespaces)" >&2
exit 2
