#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the storage tests, or stop it.
#
#   eval "$(bash .ci/postgres.sh)"   # start (or reuse) and export KUBEMEDIC_TEST_POSTGRES_URL
#   bash .ci/postgres.sh restart     # restart it (fast shutdown, same data): a database restart
#   bash .ci/postgres.sh stop        # stop it and remove its data directory
#
# KUBEMEDIC_PG_PORT and KUBEMEDIC_PG_DATA pick another server (the fleet tier restarts its own,
# never the shared one on 55432).
# PostgreSQL refuses to run as root, so the server runs as the `postgres`
# user. It listens on 127.0.0.1 only, with trust auth for loopback: it holds
# nothing but test data and lives in /tmp. Only the export line goes to
# stdout (so `eval` works); progress goes to stderr.
set -euo pipefail

PORT="${KUBEMEDIC_PG_PORT:-55432}"
DATA="${KUBEMEDIC_PG_DATA:-/tmp/kubemedic-pg-$PORT}"
DB=kubemedic_test
PGUSER_OS=postgres
LOG="$DATA.log"

SCRIPT=postgres.sh
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
    return 1
}

as_postgres() {
    # Run a command as the postgres OS user (directly if we already are it).
    if [ "$(id -un)" = "$PGUSER_OS" ]; then "$@"
    elif command -v runuser >/dev/null 2>&1; then runuser -u "$PGUSER_OS" -- "$@"
    else su "$PGUSER_OS" -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

install_postgres() {
    say "initdb not found; installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql-15 >&2 || apt-get install -y -qq postgresql >&2
}

ready() { pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -t 1 >/dev/null 2>&1; }

start() {
    local bindir
    bindir="$(find_bindir)" || { install_postgres; bindir="$(find_bindir)"; }
    export PATH="$bindir:$PATH"
    id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --create-home "$PGUSER_OS"
    if ready; then
        say "reusing the server already on 127.0.0.1:$PORT"
    else
        if [ ! -s "$DATA/PG_VERSION" ]; then
            rm -rf "$DATA"
            install -d -o "$PGUSER_OS" -m 700 "$DATA"
            as_postgres "$bindir/initdb" -D "$DATA" -U postgres --auth=trust \
                --encoding=UTF8 --locale=C >&2
        fi
        # Stale pid file from a killed run: pg_ctl would refuse to start.
        if [ -f "$DATA/postmaster.pid" ] && ! as_postgres "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
            rm -f "$DATA/postmaster.pid"
        fi
        touch "$LOG" && chown "$PGUSER_OS" "$LOG"
        as_postgres "$bindir/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start \
            -o "-h 127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2
        for _ in $(seq 1 30); do ready && break; sleep 1; done
        ready || { say "server did not become ready; log:"; tail -n 30 "$LOG" >&2; exit 1; }
    fi
    if ! psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
        createdb -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    fi
    say "ready on 127.0.0.1:$PORT (data $DATA)"
    echo "export KUBEMEDIC_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:$PORT/$DB"
}

stop() {
    local bindir
    bindir="$(find_bindir)" || { say "PostgreSQL is not installed; nothing to stop"; return 0; }
    if [ -s "$DATA/PG_VERSION" ]; then
        as_postgres "$bindir/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
        rm -rf "$DATA" "$LOG"
        say "stopped and removed $DATA"
    else
        say "no server data in $DATA; nothing to stop"
    fi
}

restart() {
    local bindir
    bindir="$(find_bindir)" || die "PostgreSQL is not installed"
    [ -s "$DATA/PG_VERSION" ] || die "no server data in $DATA to restart"
    as_postgres "$bindir/pg_ctl" -D "$DATA" -l "$LOG" -m fast -w -t 30 restart >&2
    say "restarted on 127.0.0.1:$PORT"
}

case "${1:-start}" in
    start) start ;;
    restart) restart ;;
    stop) stop ;;
    *) say "usage: $0 [start|restart|stop]"; exit 2 ;;
esac
