# Shell helpers the .ci scripts share; sourced, never run. The sourcing script sets
# SCRIPT (its name, for messages) before sourcing.
# shellcheck shell=bash

say() { echo "${SCRIPT:-ci}: $*" >&2; }
die() { say "$*"; exit 1; }

install_packages() {  # install_packages PKG...: apt-get install the ones not installed yet
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

free_port() {  # a TCP port free on loopback now
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }  # alive PIDFILE

stop_pid() {  # stop_pid PIDFILE [SECONDS]: TERM, then KILL after SECONDS (default 10)
    local pidfile="$1" pid tries=$(( ${2:-10} * 10 ))
    [ -s "$pidfile" ] || return 0
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}
