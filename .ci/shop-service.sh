#!/bin/sh
# One service of the real-node tier's shop (tests/realnode/shop.py): the entrypoint of the
# localhost/kubemedic/shop image (busybox), configured as a user configures an app, by env:
#
#   PORT=8080                 serve HTTP there (/healthz answers "ok"), or
#   STORE_LISTEN=6379         serve a one-line TCP protocol there ("PING" -> "+PONG"), as a store
#   <NAME>_URL=http://host:p  call that HTTP upstream's /healthz every CALL_EVERY seconds
#   <NAME>_ADDR=host:port     send PING to that store every CALL_EVERY seconds
#   WARM_CACHE_MB=N           fill an N MiB buffer once at start (the service's memory need)
#   FLAGS_CONFIGMAP=NAME      read that ConfigMap of its namespace from the API server at start,
#                             with its ServiceAccount's token (as an app reading its feature
#                             flags does); stop when the API server refuses (a 403: RBAC)
#
# (Not STORE_PORT and the like: Kubernetes sets <SERVICE>_PORT in every pod for every Service.)
# Upstreams are called by Service name, through the cluster's DNS and kube-proxy; each call is
# logged (success to stdout, failure with busybox's own error text to stderr), so a caller's log
# shows what a broken upstream does to it, as an application's log would.
set -u
NAME="${SERVICE_NAME:-$(hostname)}"
EVERY="${CALL_EVERY:-3}"

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $NAME: $*"; }

server=""
trap 'log "stopping"; [ -z "$server" ] || kill "$server" 2>/dev/null; exit 0' TERM INT

if [ -n "${WARM_CACHE_MB:-}" ]; then
    # one buffer of WARM_CACHE_MB MiB, written through: its memory is really used
    dd if=/dev/zero of=/dev/null bs="${WARM_CACHE_MB}M" count=1 2>/dev/null || exit $?
    log "cache warmed (${WARM_CACHE_MB} MiB)"
fi

if [ -n "${FLAGS_CONFIGMAP:-}" ]; then
    account=/var/run/secrets/kubernetes.io/serviceaccount
    url="https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}/api/v1/namespaces/$(cat "$account/namespace")/configmaps/$FLAGS_CONFIGMAP"
    for attempt in 1 2 3 4 5; do  # a refusal is final; a slow API server is tried again
        if out="$(timeout 10 wget -q -O /dev/null --no-check-certificate \
                  --header "Authorization: Bearer $(cat "$account/token")" "$url" 2>&1)"; then
            log "feature flags read from configmap $FLAGS_CONFIGMAP"
            break
        fi
        log "GET $url failed: ${out:-timed out}" >&2
        case "$out" in *" 401 "*|*" 403 "*|*" 404 "*) attempt=5 ;; esac
        if [ "$attempt" = 5 ]; then
            log "cannot read feature flags from configmap $FLAGS_CONFIGMAP; exiting" >&2
            exit 1
        fi
        sleep 2
    done
fi

if [ -n "${STORE_LISTEN:-}" ]; then
    nc -ll -p "$STORE_LISTEN" -e /bin/sh -c 'read -r line; echo "+PONG"' &
    server=$!
    log "store listening on $STORE_LISTEN"
else
    mkdir -p /tmp/www
    echo ok >/tmp/www/healthz
    echo "$NAME" >/tmp/www/index.html
    httpd -f -p "${PORT:-8080}" -h /tmp/www &
    server=$!
    log "serving HTTP on ${PORT:-8080}"
fi

call() {  # call VAR VALUE: one call to the upstream VAR names, given 5 s as apps give seconds
    case "$1" in
        *_URL)
            if out="$(timeout 5 wget -q -O /dev/null "$2/healthz" 2>&1)"; then
                log "GET $2/healthz ok"
            else
                log "GET $2/healthz failed: ${out:-timed out}" >&2
            fi ;;
        *_ADDR)
            host="${2%:*}"; port="${2##*:}"
            out="$(echo PING | timeout 5 nc -w 4 "$host" "$port" 2>&1)"
            case "$out" in
                +PONG*) log "PING $2 ok" ;;
                *) log "PING $2 failed: ${out:-no answer}" >&2 ;;
            esac ;;
    esac
}

while :; do
    # (not the *_PORT_<n>_TCP_ADDR variables Kubernetes adds for every Service)
    upstreams="$(env | sed -n 's/^\([A-Z0-9_]*_\(URL\|ADDR\)\)=.*/\1/p' \
                 | grep -v '_PORT_[0-9]*_[A-Z]*_ADDR$')"
    for var in $upstreams; do
        eval "value=\${$var}"
        call "$var" "$value"
    done
    sleep "$EVERY" &
    wait $!
done
