#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1, for the shared-frontier tests and benches.
#
#   eval "$(scripts/pg-server.sh start DIR [PORT])"   # prints: export UNINEWS_TEST_POSTGRES=...
#   scripts/pg-server.sh stop DIR
#
# Uses the distribution's server (Debian: apt-get install postgresql). initdb refuses to
# run as root, so as root the cluster belongs to the `postgres` user the package creates.
# The cluster is for tests only: trust authentication on loopback, fsync off.
set -euo pipefail
cmd=${1:?usage: pg-server.sh start|stop DIR [PORT]}
dir=${2:?usage: pg-server.sh start|stop DIR [PORT]}
port=${3:-55432}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] && command -v pg_config >/dev/null; then bindir=$(pg_config --bindir); fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg-server.sh: no PostgreSQL server found (Debian: apt-get install postgresql)" >&2
    exit 1
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export UNINEWS_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
*)
    echo "usage: pg-server.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
