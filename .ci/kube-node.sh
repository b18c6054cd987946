#!/usr/bin/env bash
# A throwaway single-node Kubernetes cluster on this machine, for the real-node tests
# (tests/realnode/): pods that really fail on a real kubelet.
#
#   eval "$(bash .ci/kube-node.sh)"         # start (or reuse); exports KUBEMEDIC_TEST_NODE_*
#   bash .ci/kube-node.sh stop              # stop what it started (by PID), remove every path,
#                                           # mount, cgroup, netns and link it made, restore sysctls
#   bash .ci/kube-node.sh restart-kubelet   # restart the kubelet (pods and node state stay)
#   bash .ci/kube-node.sh stop-kubelet      # stop the kubelet only (the node goes NotReady)
#   bash .ci/kube-node.sh build             # only build (or find) the cached binaries
#
# Everything comes from Debian bookworm: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubelet built once from the source package `kubernetes` (1.20.2)
# and cached in $KUBEMEDIC_KUBE_CACHE/kubernetes-<source version>/ (default
# /var/cache/kubemedic; .ci/kube-apiserver.sh reuses the same kube-apiserver), etcd,
# containerd, runc, the CNI plugins and busybox-static from apt. The pod sandbox image
# (pause, compiled from the same source tree), a busybox workload image, the shop's and the
# two app families' (busybox with .ci/cascade's or .ci/market's static Go binary, built once
# with Debian's Go and cached in the same place) are written as OCI tars and imported into containerd: no
# registry, no download at run time. A
# registry stub on 127.0.0.1 (.ci/registry_stub.py) refuses pulls (404, 401) as real
# registries do.
#
# Everything listens on 127.0.0.1 (free ports), except that the node's InternalIP is the
# machine's own address (a kubelet refuses a loopback node IP); the API server reaches the
# kubelet by the node's name, which resolves to 127.0.0.1. Pods sit on a bridge with no
# gateway and no masquerade: they cannot reach anything outside. The host has an address on
# the bridge (HOST_ON_BRIDGE: the kubelet's HTTP probes and tests reach pods from it, pods
# reach test servers on it), and unreachable routes keep the pod subnet and the service range
# off the machine's default route whatever is (not) on the bridge; `start` checks it with
# `ip route get` and refuses to go on otherwise. Services work as on a real node: kube-proxy
# (built from the same source) in iptables mode DNATs each ClusterIP in the service range,
# which is routed onto the bridge (pods reach it via the host; never the default route), to
# its endpoints; every rule and chain it made goes at stop (`kube-proxy --cleanup`, then the
# nftables tables it created). The cluster's DNS (.ci/cluster_dns.py) answers Service
# names with their ClusterIPs from the API server on the host's bridge address, behind the
# usual `kube-system/kube-dns` Service (10.96.0.10); it forwards nothing. The API server's
# `kubernetes` Service (10.96.0.1:443) reaches the API server on 127.0.0.1 through a socat
# relay on the bridge address, its Endpoints. The kubelet always runs
# with AWS_EC2_METADATA_DISABLED=true, so its credential provider never probes a cloud
# metadata address. The host sysctls the kubelet, kube-proxy and CNI change are saved before
# the first kubelet start and restored by `stop`, which also removes the paths the kubelet and
# containerd hard-wire outside the state directory (when they did not exist before).
# Only the export lines go to stdout (so `eval` works); progress goes to stderr.
set -euo pipefail

CHECKOUT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${KUBEMEDIC_KUBE_CACHE:-/var/cache/kubemedic}"
SUITE=bookworm
MIRROR="${KUBEMEDIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BUILD_PACKAGES=(golang-go golang-github-modern-go-reflect2-dev rsync jq openssl curl python3 dpkg-dev gcc libc6-dev)
NODE_PACKAGES=(etcd-server etcd-client containerd runc containernetworking-plugins busybox-static iproute2 kmod
               socat iptables nftables conntrack ipset)
REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
BINARIES=(kube-apiserver kubelet kube-scheduler kube-controller-manager kube-proxy)
# One node per machine: containerd, the kubelet and the CNI plugins hard-wire paths under
# /run and /var. The state directory is named after the checkout that started it.
STATE="${KUBEMEDIC_NODE_DIR:-/tmp/kubemedic-kube-node-$(echo "$CHECKOUT" | md5sum | cut -c1-8)}"
SOCKET=/run/containerd/containerd.sock
PAUSE_IMAGE=localhost/kubemedic/pause:3.4.1
BUSYBOX_IMAGE=localhost/kubemedic/busybox:1.35.0
SHOP_IMAGE=localhost/kubemedic/shop:1.0.0   # busybox and .ci/shop-service.sh (tests/realnode/shop.py)
CASCADE_IMAGE=localhost/kubemedic/cascade:1.0.0  # busybox and .ci/cascade's binary (tests/cascade/app.py)
MARKET_IMAGE=localhost/kubemedic/market:1.0.0    # busybox and .ci/market's binary (tests/market/app.py)
BRIDGE=kmcni0
POD_SUBNET=10.88.0.0/24
HOST_ON_BRIDGE=10.88.0.1      # host-local IPAM never hands out the range's first address
SERVICE_RANGE=10.96.0.0/24
API_SERVICE_IP=10.96.0.1      # the `kubernetes` Service's ClusterIP (the range's first)
API_RELAY_PORT=6443           # its Endpoints: the socat relay on HOST_ON_BRIDGE to the API server
# The pods' nameserver (the kubelet's clusterDNS): the kube-dns Service, whose Endpoints are
# .ci/cluster_dns.py on HOST_ON_BRIDGE:53.
CLUSTER_DNS_IP=10.96.0.10
UNUSED_POD_IP=10.88.0.254     # for the start-up route check: never a pod's while < 250 pods
UNUSED_SERVICE_IP=10.96.0.254
# What the unreachable routes cost against the bridge's own connected route: a higher metric,
# so the /24 on the bridge wins while the bridge has its address, and the unreachable one
# wins when it does not (bridge deleted, address gone).
FALLBACK_METRIC=4242
GUARD_TABLE=kubemedic_node_guard  # nftables: the host forwards only bridge to bridge
# Paths outside the state directory that containerd, the kubelet and CNI create (stop
# removes each one that did not exist before start).
HARDWIRED=(/run/containerd /run/netns /var/lib/cni /var/lib/kubelet /var/log/pods /var/log/containers
           /run/xtables.lock)
# Host sysctls the kubelet (container manager), kube-proxy (route_localnet, always set in
# iptables mode) and the CNI plugins may change.
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
         kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward
         net.ipv6.conf.all.forwarding net.bridge.bridge-nf-call-iptables
         net.bridge.bridge-nf-call-ip6tables net.ipv4.conf.all.route_localnet)

SCRIPT=kube-node.sh
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cached_dir() {
    # The newest complete cached build, whatever its source version (no network needed).
    local dir bin
    for dir in $(ls -1d "$CACHE"/kubernetes-* 2>/dev/null | sort -V -r); do
        for bin in "${BINARIES[@]}" pause; do [ -x "$dir/$bin" ] || continue 2; done
        echo "$dir"; return 0
    done
    return 1
}

partial_dir() {
    # The newest cached build that has the pause binary and its source version but misses some
    # of BINARIES (one cached before kube-proxy was added): build only what it lacks.
    local dir
    for dir in $(ls -1d "$CACHE"/kubernetes-* 2>/dev/null | sort -V -r); do
        case "$dir" in *.tmp) continue ;; esac
        [ -x "$dir/pause" ] && [ -s "$dir/source-version" ] && { echo "$dir"; return 0; }
    done
    return 1
}

build() {
    local dir
    if dir="$(cached_dir)"; then echo "$dir"; return 0; fi
    install_packages "${BUILD_PACKAGES[@]}"
    local work apt version src started partial="" missing=() bin
    started=$(date +%s)
    if partial="$(partial_dir)"; then
        for bin in "${BINARIES[@]}"; do [ -x "$partial/$bin" ] || missing+=("$bin"); done
    else
        missing=("${BINARIES[@]}")
    fi
    work="$(mktemp -d /tmp/kubemedic-kube-build.XXXXXX)"
    # shellcheck disable=SC2064  # build runs in its own subshell: EXIT cleans up on failure too
    trap "rm -rf '$work'" EXIT
    mkdir -p "$work/apt/lists/partial" "$work/apt/parts" "$work/src"
    echo "deb-src $MIRROR $SUITE main" >"$work/apt/sources.list"
    apt=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=$work/apt/parts"
         -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
         -o "APT::Sandbox::User=root")
    say "fetching Debian's $SUITE source index (private apt config in $work/apt)"
    apt-get "${apt[@]}" update -qq >&2
    if [ -n "$partial" ]; then
        version="$(cat "$partial/source-version")"  # the same source as the binaries it has
    else
        version="$(apt-cache "${apt[@]}" showsrc kubernetes | sed -n 's/^Version: //p' | sort -V | tail -n 1)"
    fi
    [ -n "$version" ] || die "no source package 'kubernetes' in $SUITE"
    say "downloading source kubernetes $version"
    (cd "$work/src" && apt-get "${apt[@]}" source --download-only "kubernetes=$version" >&2) \
        || die "source kubernetes $version is not in $SUITE any more: remove ${partial:-the cache} to rebuild all"
    (cd "$work/src" && dpkg-source --no-check -x ./*.dsc tree >/dev/null)
    src="$work/src/tree"
    # The vendored reflect2 1.0.1 breaks on Go >= 1.18; Debian's 1.0.2 is API-compatible.
    [ -d "$REFLECT2" ] || die "$REFLECT2 missing (package golang-github-modern-go-reflect2-dev)"
    rm -rf "$src/vendor/github.com/modern-go/reflect2"
    cp -r "$REFLECT2" "$src/vendor/github.com/modern-go/reflect2"
    say "building ${missing[*]} (all five: 9-10 minutes on a quiet 2-core machine, 20 when loaded)"
    # `make` (not plain `go build`, which fails on go.mod under -mod=vendor): GOPATH mode,
    # generated OpenAPI code. One make for all the binaries shares the compile work.
    local what=""
    for bin in "${missing[@]}"; do what="$what cmd/$bin"; done
    (cd "$src" && env HOME="$work/home" GOPATH="$work/gopath" GOCACHE="$work/gocache" \
        GOFLAGS=-mod=vendor CGO_ENABLED=0 make WHAT="${what# }" >&2)
    if [ -n "$partial" ]; then  # add the missing ones, each in one rename
        for bin in "${missing[@]}"; do
            install -m 755 "$src/_output/bin/$bin" "$partial/$bin.tmp"
            mv "$partial/$bin.tmp" "$partial/$bin"
        done
        say "built ${missing[*]} into $partial in $(( $(date +%s) - started )) s"
        echo "$partial"
        return 0
    fi
    # The pod sandbox image's only binary, from the same tree (no registry is used).
    gcc -Os -static -DVERSION="v$version-kubemedic" -o "$work/pause" "$src/build/pause/linux/pause.c"
    strip "$work/pause"
    local dest="$CACHE/kubernetes-$version"
    mkdir -p "$dest.tmp"
    for bin in "${BINARIES[@]}"; do install -m 755 "$src/_output/bin/$bin" "$dest.tmp/$bin"; done
    install -m 755 "$work/pause" "$dest.tmp/pause"
    echo "$version" >"$dest.tmp/source-version"
    rm -rf "$dest"
    mv "$dest.tmp" "$dest"
    say "built ${BINARIES[*]} and pause into $dest in $(( $(date +%s) - started )) s"
    echo "$dest"
}

app_binary() {
    # An app family's one static binary (.ci/NAME: Go, standard library only; tests/cascade/,
    # tests/market/), built once per source with Debian's Go and cached beside the Kubernetes
    # build; no module download.
    local name="$1" sum dir work
    sum="$(cat "$CHECKOUT/.ci/$name/go.mod" "$CHECKOUT/.ci/$name"/*.go | sha256sum | cut -c1-16)"
    dir="$CACHE/$name-$sum"
    if [ ! -x "$dir/$name" ]; then
        install_packages golang-go
        work="$(mktemp -d "/tmp/kubemedic-$name-build.XXXXXX")"
        if ! (cd "$CHECKOUT/.ci/$name" && env HOME="$work" GOCACHE="$work/cache" GOPATH="$work/gopath" \
                GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' \
                -o "$work/$name" . >&2); then
            rm -rf "$work"
            die "could not build .ci/$name"
        fi
        mkdir -p "$dir"
        install -m 755 "$work/$name" "$dir/$name.tmp"
        mv "$dir/$name.tmp" "$dir/$name"
        rm -rf "$work"
        say "built the $name app's binary into $dir"
    fi
    echo "$dir/$name"
}

api() {  # api METHOD PATH [curl args...]: the API server as admin
    local method="$1" path="$2"; shift 2
    curl -fsS --max-time 10 --cacert "$STATE/serving.crt" -X "$method" \
        -H "Authorization: Bearer $(cat "$STATE/admin-token")" \
        "https://127.0.0.1:$(cat "$STATE/apiserver-port")$path" "$@"
}

wait_until() {  # wait_until SECONDS DESCRIPTION PIDFILE COMMAND...: poll COMMAND every 0.2 s
    local seconds="$1" what="$2" pidfile="$3" started=$EPOCHREALTIME; shift 3
    local deadline=$(( $(date +%s) + seconds ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if "$@" >/dev/null 2>&1; then
            say "$what in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s"
            return 0
        fi
        [ -z "$pidfile" ] || alive "$pidfile" || break
        sleep 0.2
    done
    return 1
}

fail_with_log() { [ -f "$1" ] && tail -n 30 "$1" >&2; die "$2"; }

node_name() { hostname | tr '[:upper:]' '[:lower:]'; }

node_ip() {
    # The machine's own address: a kubelet refuses a loopback node IP.
    ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -n 1
}

# --- host snapshot: what stop must give back ---------------------------------------------

save_host_state() {
    # Once per node (never on a kubelet restart): sysctl values, which hard-wired paths
    # existed, and a baseline of links, netns, mounts and cgroups for the leftovers test.
    [ -d "$STATE/host-before" ] && return 0
    mkdir -p "$STATE/host-before"
    local key path
    for key in "${SYSCTLS[@]}"; do
        [ -e "/proc/sys/${key//.//}" ] && echo "$key=$(cat "/proc/sys/${key//.//}")"
    done >"$STATE/host-before/sysctl"
    sysctl -a 2>/dev/null | sort >"$STATE/host-before/sysctl-all" || true  # for the leftovers test
    for path in "${HARDWIRED[@]}"; do [ -e "$path" ] && echo "$path"; done \
        >"$STATE/host-before/paths" || true
    ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort >"$STATE/host-before/links"
    host_routes >"$STATE/host-before/routes"
    host_addresses >"$STATE/host-before/addresses"
    ls -1 /run/netns 2>/dev/null | sort >"$STATE/host-before/netns" || true
    awk '{print $2}' /proc/self/mounts | sort >"$STATE/host-before/mounts"
    nft list tables 2>/dev/null | sort >"$STATE/host-before/nft-tables" || true
    nft list ruleset 2>/dev/null >"$STATE/host-before/nft-ruleset" || true
    find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -type d 2>/dev/null | sort \
        >"$STATE/host-before/cgroups" || true
}

restore_sysctls() {
    [ -s "$STATE/host-before/sysctl" ] || return 0
    local line key value current
    while IFS= read -r line; do
        key="${line%%=*}"; value="${line#*=}"
        current="$(cat "/proc/sys/${key//.//}" 2>/dev/null || true)"
        if [ "$current" != "$value" ]; then
            echo "$value" >"/proc/sys/${key//.//}" || say "could not restore $key=$value"
        fi
    done <"$STATE/host-before/sysctl"
}

# --- pod network: the host on the bridge, both ranges kept off the default route -----------

host_routes() {  # every IPv4 route of every table, one a line, without the kernel's caches
    ip -4 route show table all | sed 's/ *$//' | sort
}

host_addresses() {  # every IPv4 address: "LINK ADDRESS/PREFIX"
    ip -4 -o addr show | awk '{print $2, $4}' | sort
}

default_route() {  # "dev DEV" and "via GATEWAY" of the machine's default route, one a line
    ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev" || $i == "via") print $i, $(i + 1)}' \
        | sort -u
}

setup_pod_network() {
    # Before any pod: the CNI bridge plugin finds the bridge (and leaves its address alone,
    # isGateway false) instead of creating a bare one on the first pod.
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
        ip link add "$BRIDGE" type bridge || die "cannot create bridge $BRIDGE (needs CAP_NET_ADMIN)"
    fi
    ip addr replace "$HOST_ON_BRIDGE/${POD_SUBNET#*/}" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    # ClusterIPs are nobody's address: kube-proxy DNATs them where packets enter (PREROUTING for
    # pods, OUTPUT for the host); the route only says where the rest goes. Onto the bridge, as a
    # real node sends them towards its gateway: a Service without endpoints is then refused by
    # kube-proxy's REJECT in FORWARD ("connection refused"), an unused ClusterIP gets no ARP
    # answer, and nothing reaches the machine's default route.
    ip route replace "$SERVICE_RANGE" dev "$BRIDGE" src "$HOST_ON_BRIDGE"
    local range
    for range in "$POD_SUBNET" "$SERVICE_RANGE"; do
        ip route replace unreachable "$range" metric "$FALLBACK_METRIC"
    done
    # A pod's request to a ClusterIP is DNATed on the host and forwarded back onto the bridge,
    # so the host forwards (restored at stop), but only bridge to bridge: a table of our own
    # drops whatever would be forwarded from the bridge to any other link or the other way
    # (a pod with NET_RAW could otherwise send through the host's default route).
    nft -f - <<EOF
table ip $GUARD_TABLE {
    chain forward {
        type filter hook forward priority -10; policy accept;
        iifname "$BRIDGE" oifname != "$BRIDGE" counter drop
        iifname != "$BRIDGE" oifname "$BRIDGE" counter drop
    }
}
EOF
    echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables  # replies from a pod pass conntrack
    echo 1 >/proc/sys/net/ipv4/ip_forward
    check_pod_network
}

route_problem() {
    # Why a packet to an unused pod IP or service IP would not go to the bridge, or would name
    # the default route's device or gateway; nothing when all is well.
    local target route hop
    for target in "$UNUSED_POD_IP" "$UNUSED_SERVICE_IP"; do
        route="$(ip -4 route get "$target" 2>&1 || true)"
        while IFS= read -r hop; do
            [ -n "$hop" ] || continue
            case " $route " in *" $hop "*)
                echo "a packet to $target would take the default route ($hop): $route"; return 0 ;;
            esac
        done < <(default_route)
        case "$route " in
            *"dev $BRIDGE "*) ;;
            *) echo "a packet to $target should go to $BRIDGE, \`ip route get\` says: $route"; return 0 ;;
        esac
    done
}

check_pod_network() {
    local problem
    problem="$(route_problem)"
    [ -z "$problem" ] || die "pod network: $problem"
    say "pod network: host $HOST_ON_BRIDGE on $BRIDGE; $POD_SUBNET and $SERVICE_RANGE on it, never on the default route"
}

start_api_relay() {
    # The `kubernetes` Service's endpoint: the API server itself listens on 127.0.0.1 only.
    socat "TCP-LISTEN:$API_RELAY_PORT,bind=$HOST_ON_BRIDGE,reuseaddr,fork" \
        "TCP:127.0.0.1:$(cat "$STATE/apiserver-port")" >>"$STATE/api-relay.log" 2>&1 &
    remember_pid "$STATE/api-relay.pid" $!
    wait_until 10 "API server relayed on $HOST_ON_BRIDGE:$API_RELAY_PORT" "$STATE/api-relay.pid" \
        curl -fsS --max-time 2 --cacert "$STATE/serving.crt" "https://$HOST_ON_BRIDGE:$API_RELAY_PORT/readyz" \
        -H "Authorization: Bearer $(cat "$STATE/admin-token")" \
        || fail_with_log "$STATE/api-relay.log" "the API relay on $HOST_ON_BRIDGE:$API_RELAY_PORT did not start"
}

publish_cluster_services() {
    # What a real control plane publishes: the `kubernetes` Service's Endpoints (the API
    # server's endpoint reconciler is off: it would publish 127.0.0.1) and the kube-dns Service.
    wait_until 30 "Service default/kubernetes created" "$STATE/apiserver.pid" \
        api GET /api/v1/namespaces/default/services/kubernetes \
        || fail_with_log "$STATE/apiserver.log" "the API server did not create Service default/kubernetes"
    wait_until 30 "namespace kube-system created" "$STATE/apiserver.pid" api GET /api/v1/namespaces/kube-system \
        || fail_with_log "$STATE/apiserver.log" "the API server did not create namespace kube-system"
    local endpoints='{"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kubernetes"},
        "subsets": [{"addresses": [{"ip": "'$HOST_ON_BRIDGE'"}],
                     "ports": [{"name": "https", "port": '$API_RELAY_PORT', "protocol": "TCP"}]}]}'
    api POST /api/v1/namespaces/default/endpoints -H 'Content-Type: application/json' -d "$endpoints" >/dev/null
    api POST /api/v1/namespaces/kube-system/services -H 'Content-Type: application/json' -d '{
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "labels": {"k8s-app": "kube-dns"}},
        "spec": {"clusterIP": "'$CLUSTER_DNS_IP'",
                 "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}]}}' >/dev/null
    api POST /api/v1/namespaces/kube-system/endpoints -H 'Content-Type: application/json' -d '{
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kube-dns"},
        "subsets": [{"addresses": [{"ip": "'$HOST_ON_BRIDGE'"}],
                     "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}]}]}' >/dev/null
}

start_cluster_dns() {
    python3 "$CHECKOUT/.ci/cluster_dns.py" serve --listen "$HOST_ON_BRIDGE" \
        --api "https://127.0.0.1:$(cat "$STATE/apiserver-port")" --ca "$STATE/serving.crt" \
        --token-file "$STATE/admin-token" >>"$STATE/cluster-dns.log" 2>&1 &
    remember_pid "$STATE/cluster-dns.pid" $!
    wait_until 10 "cluster DNS answering on $HOST_ON_BRIDGE:53" "$STATE/cluster-dns.pid" \
        python3 "$CHECKOUT/.ci/cluster_dns.py" query kubernetes.default.svc.cluster.local --server "$HOST_ON_BRIDGE" \
        || fail_with_log "$STATE/cluster-dns.log" "the cluster DNS on $HOST_ON_BRIDGE:53 did not answer"
}

proxied() {  # kube-proxy has written the kube-dns Service's rules, with an endpoint behind them
    iptables -w 5 -t nat -S KUBE-SERVICES 2>/dev/null | grep -q -- "-d $CLUSTER_DNS_IP/32 .*-j KUBE-SVC-" || return 1
    iptables -w 5 -t nat -S 2>/dev/null | grep -q -- "-j DNAT .*--to-destination $HOST_ON_BRIDGE:53"
}

start_kube_proxy() {
    "$(cat "$STATE/binaries")/kube-proxy" --config "$STATE/kube-proxy-config.yaml" \
        --logtostderr=true --v=0 >>"$STATE/kube-proxy.log" 2>&1 &
    remember_pid "$STATE/kube-proxy.pid" $!
    wait_until 60 "kube-proxy routing Services (iptables)" "$STATE/kube-proxy.pid" proxied \
        || fail_with_log "$STATE/kube-proxy.log" "kube-proxy wrote no rules for Service kube-system/kube-dns"
}

remove_pod_network() {
    local range
    for range in "$POD_SUBNET" "$SERVICE_RANGE"; do
        grep -qxF "unreachable $range metric $FALLBACK_METRIC" "$STATE/host-before/routes" 2>/dev/null && continue
        ip route del unreachable "$range" metric "$FALLBACK_METRIC" 2>/dev/null || true
    done
    # the bridge's addresses go with the bridge (remove_links); were it kept, take them off
    if grep -qxF "$BRIDGE" "$STATE/host-before/links" 2>/dev/null; then
        ip route del "$SERVICE_RANGE" dev "$BRIDGE" 2>/dev/null || true
        ip addr del "$HOST_ON_BRIDGE/${POD_SUBNET#*/}" dev "$BRIDGE" 2>/dev/null || true
    fi
}

# --- credentials and configuration -------------------------------------------------------

make_credentials() {
    local node
    node="$(node_name)"
    # One serving cert for the API server and the kubelet, trusted as the kubelet's CA too.
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:$node,IP:$API_SERVICE_IP,DNS:kubernetes.default.svc,IP:$HOST_ON_BRIDGE" \
        -keyout "$STATE/serving.key" -out "$STATE/serving.crt" 2>/dev/null
    openssl genrsa -out "$STATE/sa.key" 2048 2>/dev/null
    openssl rsa -in "$STATE/sa.key" -pubout -out "$STATE/sa.pub" 2>/dev/null
    local who
    : >"$STATE/tokens.csv"
    for who in admin node scheduler controller-manager kube-proxy; do openssl rand -hex 24 >"$STATE/$who-token"; done
    {
        echo "$(cat "$STATE/admin-token"),kubemedic-test-admin,kubemedic-test-admin,system:masters"
        echo "$(cat "$STATE/node-token"),system:node:$node,system:node:$node,system:nodes"
        echo "$(cat "$STATE/scheduler-token"),system:kube-scheduler,system:kube-scheduler"
        echo "$(cat "$STATE/controller-manager-token"),system:kube-controller-manager,system:kube-controller-manager"
        # bound to ClusterRole system:node-proxier by the API server's bootstrap policy
        echo "$(cat "$STATE/kube-proxy-token"),system:kube-proxy,system:kube-proxy"
    } >"$STATE/tokens.csv"
    chmod 600 "$STATE"/*.key "$STATE"/*-token "$STATE/tokens.csv"
    # Audit what service accounts (the bot under test) ask: reads with their status,
    # writes with their bodies (dryRun, UID preconditions).
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

write_kubeconfig() {  # write_kubeconfig WHO: $STATE/WHO.kubeconfig with WHO's token
    local ca
    ca="$(base64 -w0 <"$STATE/serving.crt")"
    cat >"$STATE/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: realnode
  cluster:
    server: https://127.0.0.1:$(cat "$STATE/apiserver-port")
    certificate-authority-data: $ca
users:
- name: $1
  user:
    token: $(cat "$STATE/$1-token")
contexts:
- name: realnode
  context: {cluster: realnode, user: $1}
current-context: realnode
EOF
    chmod 600 "$STATE/$1.kubeconfig"
}

write_containerd_config() {
    mkdir -p "$STATE/containerd" "$STATE/cni/net.d" "$STATE/cni/ipam"
    cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                    "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                    "io.containerd.internal.v1.opt", "io.containerd.grpc.v1.introspection.tracing"]
[grpc]
  address = "$SOCKET"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  disable_apparmor = true
  # No CAP_SYS_RESOURCE in this sandbox: without this every sandbox fails with
  # "can't get final child's PID from pipe: EOF".
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
EOF
    cat >"$STATE/cni/net.d/10-kubemedic.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "kubemedic",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_SUBNET", "gateway": "$HOST_ON_BRIDGE"}]],
        "routes": [{"dst": "$SERVICE_RANGE", "gw": "$HOST_ON_BRIDGE"}],
        "dataDir": "$STATE/cni/ipam"
      }
    }
  ]
}
EOF
}

write_kubelet_config() {
    mkdir -p "$STATE/kubelet"
    # Pods resolve nothing: no cluster DNS runs (queries to CLUSTER_DNS_IP are refused by the host)
    # and no query may leave the machine.
    echo "nameserver 127.0.0.1" >"$STATE/resolv.conf"
    cat >"$STATE/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $(cat "$STATE/kubelet-port")
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $(cat "$STATE/kubelet-healthz-port")
tlsCertFile: $STATE/serving.crt
tlsPrivateKeyFile: $STATE/serving.key
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS_IP]
resolvConf: $STATE/resolv.conf
makeIPTablesUtilChains: false
serializeImagePulls: false
nodeStatusUpdateFrequency: 2s
# Tens of failing pods change status every few seconds: the default 5 QPS queues the
# kubelet's status updates and pod deletions behind each other.
kubeAPIQPS: 50
kubeAPIBurst: 100
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
EOF
}

write_kube_proxy_config() {
    # iptables mode; no conntrack sysctl touched (0 = leave the kernel's values); NodePorts
    # only on the bridge address; the pod subnet as the cluster CIDR (traffic from elsewhere
    # to a Service is masqueraded, as on a real node).
    cat >"$STATE/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $STATE/kube-proxy.kubeconfig
mode: iptables
hostnameOverride: $(node_name)
bindAddress: 127.0.0.1
clusterCIDR: $POD_SUBNET
healthzBindAddress: 127.0.0.1:$(cat "$STATE/kube-proxy-healthz-port")
metricsBindAddress: 127.0.0.1:$(cat "$STATE/kube-proxy-metrics-port")
nodePortAddresses: [$HOST_ON_BRIDGE/32]
oomScoreAdj: 0
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  syncPeriod: 30s
  minSyncPeriod: 0s
EOF
}

# --- images ------------------------------------------------------------------------------

build_images() {
    local bins="$1" links=() applet cascade market
    cascade="$(app_binary cascade)"
    market="$(app_binary market)"
    mkdir -p "$STATE/images/etc"
    python3 "$CHECKOUT/.ci/oci_image.py" "$STATE/images/pause.tar" "$PAUSE_IMAGE" \
        --file "$bins/pause:/pause" --entrypoint /pause
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        >"$STATE/images/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$STATE/images/etc/group"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || links+=(--link "/bin/$applet:busybox")
    done
    python3 "$CHECKOUT/.ci/oci_image.py" "$STATE/images/busybox.tar" "$BUSYBOX_IMAGE" \
        --file /bin/busybox:/bin/busybox --file "$STATE/images/etc/passwd:/etc/passwd" \
        --file "$STATE/images/etc/group:/etc/group" --dir /tmp --dir /root "${links[@]}" \
        --cmd /bin/sh
    # The shop's services (tests/realnode/shop.py): the same busybox, and the service script as
    # the image's entrypoint, so the shop's Deployments read as a user's (image, env, ports).
    python3 "$CHECKOUT/.ci/oci_image.py" "$STATE/images/shop.tar" "$SHOP_IMAGE" \
        --file /bin/busybox:/bin/busybox --file "$STATE/images/etc/passwd:/etc/passwd" \
        --file "$STATE/images/etc/group:/etc/group" \
        --file "$CHECKOUT/.ci/shop-service.sh:/usr/local/bin/shop-service" \
        --dir /tmp --dir /root "${links[@]}" --entrypoint /usr/local/bin/shop-service
    # The cascade app's tiers (tests/cascade/app.py): the same busybox (a sidecar's httpd, a
    # shell), and .ci/cascade's binary as the entrypoint; each Deployment names its tier.
    python3 "$CHECKOUT/.ci/oci_image.py" "$STATE/images/cascade.tar" "$CASCADE_IMAGE" \
        --file /bin/busybox:/bin/busybox --file "$STATE/images/etc/passwd:/etc/passwd" \
        --file "$STATE/images/etc/group:/etc/group" \
        --file "$cascade:/usr/local/bin/cascade" \
        --dir /tmp --dir /root --dir /var/cache/catalog "${links[@]}" \
        --entrypoint /usr/local/bin/cascade
    # The market app's processes (tests/market/app.py): the same busybox (an init container's
    # nc, a sidecar's httpd), and .ci/market's binary as the entrypoint.
    python3 "$CHECKOUT/.ci/oci_image.py" "$STATE/images/market.tar" "$MARKET_IMAGE" \
        --file /bin/busybox:/bin/busybox --file "$STATE/images/etc/passwd:/etc/passwd" \
        --file "$STATE/images/etc/group:/etc/group" \
        --file "$market:/usr/local/bin/market" \
        --dir /tmp --dir /root "${links[@]}" \
        --entrypoint /usr/local/bin/market
}

import_images() {
    local tar
    for tar in "$STATE/images/pause.tar" "$STATE/images/busybox.tar" "$STATE/images/shop.tar" \
               "$STATE/images/cascade.tar" "$STATE/images/market.tar"; do
        ctr --address "$SOCKET" -n k8s.io images import --no-unpack "$tar" >/dev/null \
            || die "ctr could not import $tar"
    done
}

# --- processes ---------------------------------------------------------------------------

start_etcd() {
    local client peer data
    client="$(free_port)"; peer="$(free_port)"
    data="$(mktemp -d /dev/shm/kubemedic-node-etcd.XXXXXX 2>/dev/null || mktemp -d)"
    echo "$data" >"$STATE/etcd-data"
    echo "$client" >"$STATE/etcd-port"
    etcd --name kubemedic --data-dir "$data" \
        --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "kubemedic=http://127.0.0.1:$peer" --log-level warn \
        >"$STATE/etcd.log" 2>&1 &
    remember_pid "$STATE/etcd.pid" $!
    wait_until 30 "etcd healthy" "$STATE/etcd.pid" \
        env ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client" endpoint health \
        || fail_with_log "$STATE/etcd.log" "etcd did not become healthy"
}

start_apiserver() {
    local bins="$1"
    "$bins/kube-apiserver" \
        --etcd-servers "http://127.0.0.1:$(cat "$STATE/etcd-port")" \
        --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
        --secure-port "$(cat "$STATE/apiserver-port")" --insecure-port 0 \
        --tls-cert-file "$STATE/serving.crt" --tls-private-key-file "$STATE/serving.key" \
        --cert-dir "$STATE/certs" \
        --token-auth-file "$STATE/tokens.csv" \
        --service-account-key-file "$STATE/sa.pub" --service-account-signing-key-file "$STATE/sa.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --api-audiences https://kubernetes.default.svc.cluster.local \
        --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
        --audit-policy-file "$STATE/audit-policy.yaml" --audit-log-path "$STATE/audit.log" \
        --kubelet-certificate-authority "$STATE/serving.crt" \
        --kubelet-preferred-address-types Hostname,InternalIP \
        --service-cluster-ip-range "$SERVICE_RANGE" --endpoint-reconciler-type none \
        --enable-priority-and-fairness=false --profiling=false --logtostderr=true --v=0 \
        >>"$STATE/apiserver.log" 2>&1 &
    remember_pid "$STATE/apiserver.pid" $!
    wait_until 120 "kube-apiserver ready on 127.0.0.1:$(cat "$STATE/apiserver-port")" \
        "$STATE/apiserver.pid" api GET /readyz \
        || fail_with_log "$STATE/apiserver.log" "kube-apiserver did not become ready"
}

start_controllers() {
    local bins="$1"
    "$bins/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
        --use-service-account-credentials=true --service-account-private-key-file "$STATE/sa.key" \
        --root-ca-file "$STATE/serving.crt" --leader-elect=false --port 0 --secure-port 0 \
        --node-monitor-grace-period 20s --profiling=false --logtostderr=true --v=0 \
        >>"$STATE/controller-manager.log" 2>&1 &
    remember_pid "$STATE/controller-manager.pid" $!
    "$bins/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
        --leader-elect=false --port 0 --secure-port 0 --profiling=false --logtostderr=true --v=0 \
        >>"$STATE/scheduler.log" 2>&1 &
    remember_pid "$STATE/scheduler.pid" $!
}

start_containerd() {
    [ -e "$SOCKET" ] && ! alive "$STATE/containerd.pid" \
        && die "$SOCKET exists but is not this node's containerd: another containerd or node runs on" \
               "this machine (one whose state is not under /tmp/kubemedic-kube-node-*)?"
    containerd --config "$STATE/containerd/config.toml" >>"$STATE/containerd.log" 2>&1 &
    remember_pid "$STATE/containerd.pid" $!
    wait_until 60 "containerd $(containerd --version | awk '{print $3}') ready" \
        "$STATE/containerd.pid" ctr --address "$SOCKET" version \
        || fail_with_log "$STATE/containerd.log" "containerd did not start"
}

start_registry_stub() {
    rm -f "$STATE/registry-port"
    python3 "$CHECKOUT/.ci/registry_stub.py" "$STATE/registry-port" >>"$STATE/registry.log" 2>&1 &
    remember_pid "$STATE/registry.pid" $!
    wait_until 10 "registry stub listening" "$STATE/registry.pid" test -s "$STATE/registry-port" \
        || fail_with_log "$STATE/registry.log" "the registry stub did not start"
}

node_ready() {
    api GET "/api/v1/nodes/$(node_name)" | jq -e \
        '.status.conditions[] | select(.type == "Ready" and .status == "True")'
}

start_kubelet() {
    local bins
    bins="$(cat "$STATE/binaries")"
    save_host_state  # before the first kubelet start only; a no-op on restarts
    # AWS_EC2_METADATA_DISABLED: the kubelet's built-in AWS credential provider would
    # otherwise probe 169.254.169.254. Set on every start.
    env AWS_EC2_METADATA_DISABLED=true "$bins/kubelet" \
        --config "$STATE/kubelet-config.yaml" --kubeconfig "$STATE/node.kubeconfig" \
        --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" \
        --volume-plugin-dir "$STATE/kubelet/volume-plugins" \
        --container-runtime remote --container-runtime-endpoint "unix://$SOCKET" \
        --image-service-endpoint "unix://$SOCKET" \
        --pod-infra-container-image "$PAUSE_IMAGE" \
        --node-ip "$(cat "$STATE/node-ip")" --hostname-override "$(node_name)" \
        --logtostderr=true --v=1 \
        >>"$STATE/kubelet.log" 2>&1 &
    remember_pid "$STATE/kubelet.pid" $!
    wait_until 120 "node $(node_name) Ready" "$STATE/kubelet.pid" node_ready \
        || fail_with_log "$STATE/kubelet.log" "the node did not become Ready"
}

print_env() {
    echo "export KUBEMEDIC_TEST_NODE_KUBECONFIG=$STATE/admin.kubeconfig"
    echo "export KUBEMEDIC_TEST_NODE_DIR=$STATE"
    echo "export KUBEMEDIC_TEST_NODE_IMAGE=$BUSYBOX_IMAGE"
    echo "export KUBEMEDIC_TEST_NODE_SHOP_IMAGE=$SHOP_IMAGE"
    echo "export KUBEMEDIC_TEST_NODE_CASCADE_IMAGE=$CASCADE_IMAGE"
    echo "export KUBEMEDIC_TEST_NODE_MARKET_IMAGE=$MARKET_IMAGE"
    echo "export KUBEMEDIC_TEST_NODE_REGISTRY=127.0.0.1:$(cat "$STATE/registry-port")"
    echo "export KUBEMEDIC_TEST_NODE_NAME=$(node_name)"
    echo "export KUBEMEDIC_TEST_NODE_HOST_IP=$HOST_ON_BRIDGE"
}

running() {
    local name
    for name in etcd apiserver controller-manager scheduler containerd kubelet registry api-relay \
                cluster-dns kube-proxy; do
        alive "$STATE/$name.pid" || return 1
    done
    node_ready >/dev/null 2>&1 && [ -z "$(route_problem)" ]
}

start() {
    if [ -d "$STATE" ] && running; then
        say "reusing the node already running (state in $STATE)"
        print_env
        return 0
    fi
    [ -d "$STATE" ] && stop >/dev/null 2>&1
    # A node left by a run of another checkout that was killed before its trap (its mounts,
    # bridge, /run/containerd and sysctls are still there): give them back first.
    reclaim_stale "$STATE" "/tmp/kubemedic-kube-node-*" "$CHECKOUT/.ci/kube-node.sh" KUBEMEDIC_NODE_DIR
    install_packages "${NODE_PACKAGES[@]}" jq openssl curl python3
    local bins started=$EPOCHREALTIME
    bins="$(build)"  # a subshell
    mkdir -p "$STATE/certs"
    chmod 700 "$STATE"
    echo "$bins" >"$STATE/binaries"
    "$bins/kube-apiserver" --version | awk '{print $2}' >"$STATE/version"
    [ -n "$(node_ip)" ] || die "no global IPv4 address for the node's InternalIP"
    node_ip >"$STATE/node-ip"
    local port
    for port in apiserver-port kubelet-port kubelet-healthz-port kube-proxy-healthz-port \
                kube-proxy-metrics-port; do free_port >"$STATE/$port"; done
    make_credentials
    for who in admin node scheduler controller-manager kube-proxy; do write_kubeconfig "$who"; done
    write_containerd_config
    write_kubelet_config
    write_kube_proxy_config
    build_images "$bins"
    start_etcd
    start_apiserver "$bins"
    start_controllers "$bins"
    save_host_state  # before containerd and the kubelet touch anything
    setup_pod_network
    start_api_relay
    publish_cluster_services
    start_cluster_dns
    start_kube_proxy
    start_containerd
    import_images
    start_registry_stub
    start_kubelet
    say "node $(node_name) ($(cat "$STATE/version")) up in" \
        "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s; state in $STATE"
    print_env
}

# --- stop --------------------------------------------------------------------------------

no_pods_left() { [ "$(api GET /api/v1/pods | jq '.items | length')" = 0 ]; }

delete_pods() {
    # Through the API while the kubelet runs, so it tears the sandboxes down itself:
    # controllers first (nothing recreates the pods), then every pod, then wait.
    stop_pid "$STATE/controller-manager.pid" 5
    local ns
    for ns in $(api GET /api/v1/namespaces | jq -r '.items[].metadata.name'); do
        api DELETE "/api/v1/namespaces/$ns/pods?gracePeriodSeconds=1" >/dev/null 2>&1 || true
    done
    wait_until 90 "pods deleted by the kubelet" "$STATE/kubelet.pid" no_pods_left \
        || say "some pods were not deleted in time; removing their containers directly"
    return 0
}

remove_containers() {
    # What the kubelet left: kill and delete tasks and containers, then the shims by the
    # pid files containerd wrote for them.
    local id shim
    if alive "$STATE/containerd.pid"; then
        for id in $(ctr --address "$SOCKET" -n k8s.io tasks list -q 2>/dev/null); do
            ctr --address "$SOCKET" -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
        done
        sleep 0.5
        for id in $(ctr --address "$SOCKET" -n k8s.io tasks list -q 2>/dev/null); do
            ctr --address "$SOCKET" -n k8s.io tasks delete -f "$id" >/dev/null 2>&1 || true
        done
        for id in $(ctr --address "$SOCKET" -n k8s.io containers list -q 2>/dev/null); do
            ctr --address "$SOCKET" -n k8s.io containers delete "$id" >/dev/null 2>&1 || true
        done
    fi
    for shim in "$STATE"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
        if [ -f "$shim" ]; then stop_pid "$shim" 5; fi
    done
    return 0
}

kill_cgroup_processes() {
    # Anything still inside the cgroups the kubelet created (containers it started).
    local procs pid
    for procs in $(find /sys/fs/cgroup/*/kubepods -name cgroup.procs 2>/dev/null); do
        for pid in $(cat "$procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    done
}

remove_cgroups() {
    local dir
    for dir in /sys/fs/cgroup/*/kubepods; do
        [ -d "$dir" ] || continue
        grep -qxF "$dir" "$STATE/host-before/cgroups" 2>/dev/null && continue
        find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
        [ -d "$dir" ] && say "could not remove cgroup $dir"
    done
    return 0
}

unmount_ours() {
    # Deepest first: overlay rootfs, shm, netns bind mounts, kubelet volumes (tmpfs).
    local mount prefixes=("$STATE" /run/containerd /run/netns /var/lib/kubelet)
    local prefix
    for mount in $(awk '{print $2}' /proc/self/mounts | sort -r); do
        for prefix in "${prefixes[@]}"; do
            case "$mount" in
                "$prefix"|"$prefix"/*)
                    grep -qxF "$mount" "$STATE/host-before/mounts" 2>/dev/null && continue
                    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || say "could not unmount $mount"
                    ;;
            esac
        done
    done
}

remove_links() {
    local link
    for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
        grep -qxF "$link" "$STATE/host-before/links" 2>/dev/null && continue
        case "$link" in "$BRIDGE"|veth*) ip link delete "$link" 2>/dev/null || true ;; esac
    done
}

remove_hardwired_paths() {
    local path ns
    for ns in /run/netns/cni-*; do
        [ -e "$ns" ] || continue
        grep -qxF "$(basename "$ns")" "$STATE/host-before/netns" 2>/dev/null || rm -f "$ns"
    done
    for path in "${HARDWIRED[@]}"; do
        grep -qxF "$path" "$STATE/host-before/paths" 2>/dev/null && continue
        rm -rf "$path"
    done
}

remove_firewall_rules() {
    # kube-proxy's own cleanup (its chains and jumps, IPv4 and IPv6), then the nftables tables
    # that did not exist before the node started: the guard and those iptables-nft created.
    local bins family name left
    if [ -s "$STATE/binaries" ] && [ -x "$(cat "$STATE/binaries")/kube-proxy" ]; then
        bins="$(cat "$STATE/binaries")"
        "$bins/kube-proxy" --cleanup --cleanup-ipvs=false >>"$STATE/kube-proxy-cleanup.log" 2>&1 \
            || say "kube-proxy --cleanup reported errors: $(tail -n 3 "$STATE/kube-proxy-cleanup.log")"
    fi
    command -v nft >/dev/null || return 0
    nft list tables 2>/dev/null | while read -r _ family name; do
        grep -qxF "table $family $name" "$STATE/host-before/nft-tables" 2>/dev/null && continue
        # (kube-proxy 1.20's --cleanup leaves its KUBE-PROXY-CANARY chains, and KUBE-MARK-DROP
        # and KUBE-MARK-MASQ, which it shares with the kubelet: anything else is news)
        left="$(nft list table "$family" "$name" 2>/dev/null | grep -o 'chain KUBE-[A-Z0-9-]*' \
                | grep -v 'KUBE-PROXY-CANARY\|KUBE-MARK-DROP\|KUBE-MARK-MASQ' || true)"
        [ -z "$left" ] || say "table $family $name still had $(echo "$left" | tr "\n" " ")after kube-proxy --cleanup"
        nft delete table "$family" "$name" || say "could not delete nftables table $family $name"
    done
}

stop_kubelet() {
    stop_pid "$STATE/kubelet.pid" 15
}

stop() {
    if [ ! -d "$STATE" ]; then say "no node state in $STATE; nothing to stop"; return 0; fi
    local started=$EPOCHREALTIME
    if alive "$STATE/kubelet.pid" && alive "$STATE/apiserver.pid"; then delete_pods; fi
    stop_kubelet
    stop_pid "$STATE/controller-manager.pid" 5
    stop_pid "$STATE/scheduler.pid" 5
    stop_pid "$STATE/registry.pid" 5
    stop_pid "$STATE/api-relay.pid" 5
    stop_pid "$STATE/kube-proxy.pid" 5
    stop_pid "$STATE/cluster-dns.pid" 5
    remove_firewall_rules
    remove_containers
    kill_cgroup_processes
    stop_pid "$STATE/containerd.pid" 10
    stop_pid "$STATE/apiserver.pid"
    stop_pid "$STATE/etcd.pid"
    [ -s "$STATE/etcd-data" ] && rm -rf "$(cat "$STATE/etcd-data")"
    unmount_ours
    remove_cgroups
    remove_links
    remove_pod_network
    remove_hardwired_paths
    restore_sysctls
    rm -rf "$STATE"
    say "stopped and removed $STATE in" \
        "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s"
}

need_state() { [ -s "$STATE/binaries" ] || die "no node state in $STATE; start it first"; }

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    restart-kubelet) need_state; stop_kubelet; start_kubelet ;;
    stop-kubelet) need_state; stop_kubelet ;;
    build) (build); app_binary cascade >/dev/null; app_binary market >/dev/null ;;
    *) say "usage: $0 [start|stop|restart-kubelet|stop-kubelet|build]"; exit 2 ;;
esac
