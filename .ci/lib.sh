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

started_at() {  # started_at PID: the process's start time in clock ticks since boot
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    # shellcheck disable=SC2086  # split the fields after "(comm) " on purpose
    set -- ${stat##*) }
    echo "${20}"
}

remember_pid() {  # remember_pid PIDFILE PID: the PID and its start time, so a PID the
    # kernel hands to another process later (after a killed run) is never taken for ours
    echo "$2 $(started_at "$2" || echo 0)" >"$1"
}

alive() {  # alive PIDFILE: the process it names runs (and, when recorded, is the same one)
    local pid since
    [ -s "$1" ] || return 1
    read -r pid since <"$1" || true
    kill -0 "$pid" 2>/dev/null || return 1
    [ -z "${since:-}" ] || [ "$since" = "$(started_at "$pid")" ]
}

stop_pid() {  # stop_pid PIDFILE [SECONDS]: TERM, then KILL after SECONDS (default 10)
    local pidfile="$1" pid tries=$(( ${2:-10} * 10 ))
    [ -s "$pidfile" ] || return 0
    if alive "$pidfile"; then
        read -r pid _ <"$pidfile"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

any_alive() {  # any_alive DIR: a process named by one of DIR's pid files still runs
    local pidfile
    for pidfile in "$1"/*.pid; do alive "$pidfile" && return 0; done
    return 1
}

reclaim_stale() {  # reclaim_stale OURS GLOB SCRIPT VAR [live-ok]: stop each state dir matching
    # GLOB, but OURS, whose processes all died (a run killed before its trap): run SCRIPT stop
    # with VAR naming it. One whose processes live belongs to a run in progress: that is an
    # error, unless live-ok (servers that coexist on free ports: it is left alone).
    local ours="$1" glob="$2" script="$3" var="$4" live="${5:-}" dir
    for dir in $glob; do
        [ -d "$dir" ] && [ "$dir" != "$ours" ] || continue
        if any_alive "$dir"; then
            [ "$live" = live-ok ] && continue
            die "$dir belongs to a run in progress; stop it first: $var=$dir bash $script stop"
        fi
        say "stopping what a killed run left in $dir"
        env "$var=$dir" bash "$script" stop >&2 || die "could not clean $dir up"
    done
    return 0
}
