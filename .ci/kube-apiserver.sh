#!/usr/bin/env bash
# Start a throwaway etcd + kube-apiserver on loopback for the real-server tests
# (tests/realserver/), restart the API server, or stop both.
#
#   eval "$(bash .ci/kube-apiserver.sh)"   # start (or reuse); exports KUBEMEDIC_TEST_KUBECONFIG etc.
#   bash .ci/kube-apiserver.sh restart     # restart kube-apiserver only (etcd and its data stay)
#   bash .ci/kube-apiserver.sh stop        # stop both by PID and remove the state directory
#   eval "$(bash .ci/kube-apiserver.sh second)"  # a second, independent server (the fleet tier's
#                                          # other cluster): exports KUBEMEDIC_TEST_SECOND_KUBECONFIG etc.;
#                                          # `stop` stops it too
#   bash .ci/kube-apiserver.sh build       # only build (or find) the cached binary
#
# No registry ships a kube-apiserver binary, so it is built from Debian bookworm's
# source package `kubernetes` (1.20.2, dependencies vendored, builds offline) with
# Debian's Go, once, by `.ci/kube-node.sh build` (with the node's other binaries), and
# cached outside the checkout in $KUBEMEDIC_KUBE_CACHE/kubernetes-<source version>/
# (default /var/cache/kubemedic). Nothing built here is committed or shipped: it exists
# for tests only.
#
# The server: etcd on a tmpfs data dir, kube-apiserver with a self-signed serving
# cert, a service-account key pair (TokenRequest works), a static admin token in
# system:masters, RBAC authorization, and the ServiceAccount admission plugin off
# (no controller-manager runs, so no token controller). Both listen on 127.0.0.1
# on free ports. Only the export lines go to stdout (so `eval` works); progress
# goes to stderr.
set -euo pipefail

# One server per checkout by default, so worktrees on one machine never stop each other's.
CHECKOUT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${KUBEMEDIC_KAPI_DIR:-/tmp/kubemedic-kube-apiserver-$(echo "$CHECKOUT" | md5sum | cut -c1-8)}"
CACHE="${KUBEMEDIC_KUBE_CACHE:-/var/cache/kubemedic}"
MIRROR="${KUBEMEDIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=(etcd-server etcd-client jq openssl curl python3)

SCRIPT=kube-apiserver.sh
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cached_binary() {
    # The newest cached build, whatever its source version (no network needed): the one
    # .ci/kube-node.sh builds with the node's binaries, or an older API-server-only one.
    local bin
    for bin in $(ls -1d "$CACHE"/kubernetes-*/kube-apiserver 2>/dev/null | sort -V -r) \
               $(ls -1d "$CACHE"/kube-apiserver-*/kube-apiserver 2>/dev/null | sort -V -r); do
        [ -x "$bin" ] && { echo "$bin"; return 0; }
    done
    return 1
}

build() {
    # One build for both scripts: .ci/kube-node.sh builds and caches the four server
    # binaries (kube-apiserver among them) from the same source package.
    local bin dir
    if bin="$(cached_binary)"; then echo "$bin"; return 0; fi
    dir="$(KUBEMEDIC_KUBE_CACHE="$CACHE" KUBEMEDIC_DEBIAN_MIRROR="$MIRROR" \
        bash "$CHECKOUT/.ci/kube-node.sh" build)" || die "building the Kubernetes binaries failed"
    echo "$dir/kube-apiserver"
}

healthy() {
    curl -fsk --max-time 2 -H "Authorization: Bearer $(cat "$STATE/admin-token")" \
        "https://127.0.0.1:$(cat "$STATE/apiserver-port")/readyz" >/dev/null 2>&1
}

make_credentials() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$STATE/serving.key" -out "$STATE/serving.crt" 2>/dev/null
    openssl genrsa -out "$STATE/sa.key" 2048 2>/dev/null
    openssl rsa -in "$STATE/sa.key" -pubout -out "$STATE/sa.pub" 2>/dev/null
    openssl rand -hex 24 >"$STATE/admin-token"
    echo "$(cat "$STATE/admin-token"),kubemedic-test-admin,kubemedic-test-admin,system:masters" >"$STATE/tokens.csv"
    chmod 600 "$STATE"/*.key "$STATE/admin-token" "$STATE/tokens.csv"
    # Audit what service accounts (the bot under test) ask: reads with their status,
    # writes with their bodies (dryRun, UID preconditions). Test setup (admin) is not logged.
    cat >"$STATE/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Request
  userGroups: [system:serviceaccounts]
  verbs: [create, update, patch, delete, deletecollection]
- level: Metadata
  userGroups: [system:serviceaccounts]
- level: None
EOF
}

write_kubeconfig() {
    local ca
    ca="$(base64 -w0 <"$STATE/serving.crt")"
    cat >"$STATE/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: realserver
  cluster:
    server: https://127.0.0.1:$(cat "$STATE/apiserver-port")
    certificate-authority-data: $ca
users:
- name: admin
  user:
    token: $(cat "$STATE/admin-token")
contexts:
- name: realserver
  context: {cluster: realserver, user: admin}
current-context: realserver
EOF
    chmod 600 "$STATE/admin.kubeconfig"
}

start_etcd() {
    local client peer data
    client="$(free_port)"; peer="$(free_port)"
    data="$(mktemp -d /dev/shm/kubemedic-etcd.XXXXXX 2>/dev/null || mktemp -d)"
    echo "$data" >"$STATE/etcd-data"
    echo "$client" >"$STATE/etcd-port"
    etcd --name kubemedic --data-dir "$data" \
        --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "kubemedic=http://127.0.0.1:$peer" --log-level warn \
        >"$STATE/etcd.log" 2>&1 &
    remember_pid "$STATE/etcd.pid" $!
    for _ in $(seq 1 100); do
        ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client" endpoint health >/dev/null 2>&1 && return 0
        alive "$STATE/etcd.pid" || break
        sleep 0.1
    done
    tail -n 20 "$STATE/etcd.log" >&2
    die "etcd did not become healthy"
}

start_apiserver() {
    local bin="$1" port
    port="$(cat "$STATE/apiserver-port" 2>/dev/null || true)"
    [ -n "$port" ] || { port="$(free_port)"; echo "$port" >"$STATE/apiserver-port"; }
    "$bin" \
        --etcd-servers "http://127.0.0.1:$(cat "$STATE/etcd-port")" \
        --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" --insecure-port 0 \
        --tls-cert-file "$STATE/serving.crt" --tls-private-key-file "$STATE/serving.key" \
        --cert-dir "$STATE/certs" \
        --token-auth-file "$STATE/tokens.csv" \
        --service-account-key-file "$STATE/sa.pub" --service-account-signing-key-file "$STATE/sa.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --api-audiences https://kubernetes.default.svc.cluster.local \
        --authorization-mode RBAC \
        --audit-policy-file "$STATE/audit-policy.yaml" --audit-log-path "$STATE/audit.log" \
        --kubelet-certificate-authority "$STATE/serving.crt" --kubelet-preferred-address-types InternalIP \
        --disable-admission-plugins ServiceAccount \
        --service-cluster-ip-range 10.96.0.0/24 --endpoint-reconciler-type none \
        --enable-priority-and-fairness=false --profiling=false --logtostderr=true --v=0 \
        >>"$STATE/apiserver.log" 2>&1 &
    remember_pid "$STATE/apiserver.pid" $!
    local started=$EPOCHREALTIME
    for _ in $(seq 1 600); do
        if healthy; then
            say "kube-apiserver $("$bin" --version | awk '{print $2}') ready on 127.0.0.1:$port" \
                "in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s"
            return 0
        fi
        alive "$STATE/apiserver.pid" || break
        sleep 0.1
    done
    tail -n 30 "$STATE/apiserver.log" >&2
    die "kube-apiserver did not become ready"
}

print_env() {
    echo "export KUBEMEDIC_TEST_KUBECONFIG=$STATE/admin.kubeconfig"
    echo "export KUBEMEDIC_TEST_KUBE_APISERVER_DIR=$STATE"
    echo "export KUBEMEDIC_TEST_KUBE_VERSION=$(cat "$STATE/version")"
    echo "export KUBEMEDIC_TEST_KUBE_AUDIT_LOG=$STATE/audit.log"
}

start() {
    if alive "$STATE/apiserver.pid" && alive "$STATE/etcd.pid" && healthy; then
        say "reusing the server already on 127.0.0.1:$(cat "$STATE/apiserver-port")"
        print_env
        return 0
    fi
    [ -d "$STATE" ] && stop >/dev/null 2>&1
    # What a killed run of another checkout left (its etcd data in /dev/shm): removed first.
    # Another checkout's server that runs is left alone: servers coexist on free ports.
    reclaim_stale "$STATE" "/tmp/kubemedic-kube-apiserver-*" "$CHECKOUT/.ci/kube-apiserver.sh" KUBEMEDIC_KAPI_DIR \
        live-ok
    install_packages "${PACKAGES[@]}"
    local bin
    bin="$(build)"  # a subshell
    mkdir -p "$STATE/certs"
    chmod 700 "$STATE"
    echo "$bin" >"$STATE/binary"
    "$bin" --version | awk '{print $2}' >"$STATE/version"
    make_credentials
    start_etcd
    start_apiserver "$bin"
    write_kubeconfig
    print_env
}

restart() {
    [ -s "$STATE/binary" ] || die "no server state in $STATE; start it first"
    stop_pid "$STATE/apiserver.pid"
    start_apiserver "$(cat "$STATE/binary")"
}

stop() {
    if [ -d "$STATE-second" ]; then (STATE="$STATE-second"; stop); fi
    if [ ! -d "$STATE" ]; then say "no server state in $STATE; nothing to stop"; return 0; fi
    stop_pid "$STATE/apiserver.pid"
    stop_pid "$STATE/etcd.pid"
    [ -s "$STATE/etcd-data" ] && rm -rf "$(cat "$STATE/etcd-data")"
    rm -rf "$STATE"
    say "stopped and removed $STATE"
}

second() {  # a second server beside the first, its exports renamed KUBEMEDIC_TEST_SECOND_*
    STATE="$STATE-second"
    start | sed 's/^export KUBEMEDIC_TEST_/export KUBEMEDIC_TEST_SECOND_/'
}

case "${1:-start}" in
    start) start ;;
    second) second ;;
    restart) restart ;;
    stop) stop ;;
    build) (build) ;;
    *) say "usage: $0 [start|restart|stop|build]"; exit 2 ;;
esac
